//! Rules Y001–Y009: years that do not belong where they are written.
//!
//! A model of year references. The report year R is decided by the reading stage from the
//! strongest evidence (given, title, statistics period, page title, the majority of `R年，`
//! statements); here every year mention is judged by its role:
//!
//! - the title and the statistics period (Y001 title ≠ period, Y006 period start ≠ end);
//! - the introduction's self-reference (`结合本机关R年度政府信息公开工作编制`, Y007);
//! - the report's own compilation, publication or deadline dates, which fall after R (Y002);
//! - statistics attributed to a year (`R年，共受理申请85件`, Y003);
//! - a statement of the year's work that a year leads, in sections 一–四 and 六 (Y008);
//! - plans and improvement measures in 五 (`将…`, `下一步`, `明年`), for R+1 or later (Y009);
//! - a year after R+1 (Y004) and a malformed year (Y005).
//!
//! Mentions that are legitimately other years stay quiet: `YYYY年以来`, `较YYYY年`,
//! `YYYY年年报指出`, document titles in 《》, targets (`到YYYY年`, `YYYY年远景目标`), dates of
//! events (`YYYY年修订`). Works on the compact view, so `2024 年`, `２０２４年` and traditional
//! script read alike; `二〇二四年` is read too.

use std::ops::Range;

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::reading::Reading;

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "Y001",
        name: "title-period-mismatch",
        severity: Severity::Error,
        explain: "标题中的年度与统计期限的年度不一致，通常是沿用上一年报告时漏改。",
    },
    RuleInfo {
        code: "Y002",
        name: "stale-report-date",
        severity: Severity::Error,
        explain: "报告本身的编制、完成或发布时间落在报告年度或更早（报告应在次年编制发布），例如2023年度报告中的“预计于2023年1月底前完成编制并发布”。",
    },
    RuleInfo {
        code: "Y003",
        name: "statistics-of-another-year",
        severity: Severity::Warning,
        explain: "把统计数字归于报告年度以外的年份（如2023年度报告写“2022年，共受理申请85件”），常是沿用上年报告的遗留。第五部分谈上年问题、下年计划不在此列。",
    },
    RuleInfo {
        code: "Y004",
        name: "future-year",
        severity: Severity::Warning,
        explain: "出现晚于报告年度次年的年份，可能是笔误。目标年份（“到2035年”“2035年远景目标”）和文件名（《…》）中的年份除外。",
    },
    RuleInfo {
        code: "Y005",
        name: "malformed-year",
        severity: Severity::Error,
        explain: "年份写法有误，如“202年”“20231年”。全角数字和中文数字年份是可以的。",
    },
    RuleInfo {
        code: "Y006",
        name: "period-years-differ",
        severity: Severity::Error,
        explain: "统计期限的起止年份不同（如“自2023年1月1日至2021年12月31日”）：报告自相矛盾，统计期限应为报告年度的1月1日至12月31日。",
    },
    RuleInfo {
        code: "Y007",
        name: "intro-year",
        severity: Severity::Error,
        explain: "开头说明中本报告所涉的年度（如“结合本机关2021年度政府信息公开工作编制”“现公布…2021年政府信息公开工作年度报告”）与报告年度不一致，通常是沿用上年报告时漏改。",
    },
    RuleInfo {
        code: "Y008",
        name: "statement-year",
        severity: Severity::Warning,
        explain: "第一至四部分和第六部分中以年份开头、叙述本年度工作的句子（如“2022年，我县坚持…”“（一）主动公开。2021年，县政府网站公开…”）写的不是报告年度，常是沿用上年报告的遗留。“2019年以来”“较2022年”等不在此列。",
    },
    RuleInfo {
        code: "Y009",
        name: "plan-year",
        severity: Severity::Warning,
        explain: "第五部分的改进计划（“将…”“下一步”“明年”）写的是报告年度或更早（如2023年度报告写“2023年，我局将从三个方面加以改进”）：计划应针对报告年度的次年，这常是沿用上年报告的遗留。",
    },
];

/// The longest of `words` that `text` starts with.
fn starts_with_any<'w>(text: &str, words: &[&'w str]) -> Option<&'w str> {
    words
        .iter()
        .filter(|w| text.starts_with(**w))
        .max_by_key(|w| w.len())
        .copied()
}

/// `text` up to (not including) the first of `stops`, and at most `limit` bytes long (cut at a
/// character boundary).
fn until<'t>(text: &'t str, stops: &[char], limit: usize) -> &'t str {
    let end = text.find(stops).unwrap_or(text.len()).min(limit);
    let mut end = end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The report's own date written at mention `m`: `2023年1月底前完成编制…`. Its range in
/// `compact`: the date, the verb, and up to twelve bytes after it, to a full stop — the words
/// that say what was compiled or published. Matched by hand (a regex for it is a millisecond of
/// compiling on every pre-commit run).
fn own_date(compact: &str, m: &Mention) -> Option<Range<usize>> {
    let mut at = m.range.end;
    let digits = |at: usize| compact[at..].bytes().take_while(u8::is_ascii_digit).count();
    let month = digits(at);
    if !(1..=2).contains(&month) || !compact[at + month..].starts_with('月') {
        return None;
    }
    at += month + "月".len();
    let day = digits(at);
    if (1..=2).contains(&day) && compact[at + day..].starts_with('日') {
        at += day + "日".len();
    }
    if let Some(when) = starts_with_any(
        &compact[at..],
        &[
            "底前",
            "前",
            "底",
            "初",
            "中下旬",
            "上中旬",
            "中旬",
            "下旬",
            "上旬",
        ],
    ) {
        at += when.len();
    }
    // The verb right after the date, or after a short place (`前在本机关门户网站发布`).
    const VERBS: [&str; 6] = ["完成", "编制", "发布", "公布", "印发", "报送"];
    let verb = match starts_with_any(&compact[at..], &VERBS) {
        Some(verb) => verb,
        None => {
            let place = until(&compact[at..], &['.', ',', ';'], 36);
            let (skip, verb) = VERBS
                .iter()
                .filter_map(|v| place.find(v).map(|i| (i, *v)))
                .min()?;
            at += skip;
            verb
        }
    };
    at += verb.len();
    at += until(&compact[at..], &['.'], 12).len();
    Some(m.range.start..at)
}

/// Whether mention `m` attributes application statistics to its year: `2022年，共受理申请85件`
/// (a verb of receiving or handling within a dozen characters, then 申请, then a figure of 件,
/// all in one clause).
fn statistic(compact: &str, m: &Mention) -> bool {
    let clause = until(&compact[m.range.end..], &['.', ';'], usize::MAX);
    let verbs = ["收到", "受理", "新收", "办理", "答复"];
    let head = until(clause, &[], 3 + 6 + 36 + 6 + 6);
    let Some(verb_at) = verbs
        .iter()
        .filter_map(|v| head.find(v).map(|i| i + v.len()))
        .min()
    else {
        return false;
    };
    let after_verb = &clause[verb_at..];
    let Some(apply) = until(after_verb, &[], 48 + 6).find("申请") else {
        return false;
    };
    let after_apply = &after_verb[apply + "申请".len()..];
    let window = until(after_apply, &[], 18 + 12);
    window.char_indices().any(|(i, c)| {
        c.is_ascii_digit() && {
            let digits = window[i..].bytes().take_while(u8::is_ascii_digit).count();
            after_apply[i + digits..].starts_with('件')
        }
    })
}

/// A year written in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mention {
    year: i32,
    /// The digits and `年`, in `compact`.
    range: Range<usize>,
}

const CHINESE_DIGITS: [char; 11] = [
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九',
];

fn chinese_digit(c: char) -> Option<i32> {
    match c {
        '〇' | '零' => Some(0),
        _ => CHINESE_DIGITS
            .iter()
            .position(|d| *d == c)
            .map(|i| i as i32 - 1),
    }
}

/// Where `年` is in `compact`: `match_indices('年')`, found by memmem (SIMD) rather than by
/// core's byte search for its last byte, which stops at every character sharing it.
fn nian(compact: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(compact.as_bytes(), "年".as_bytes())
}

/// Every maximal run of ASCII digits followed by `年`: the digits' byte range in compact.
fn digit_runs_before_nian(compact: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    nian(compact).filter_map(|at| {
        let digits = compact.as_bytes()[..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        (digits > 0).then(|| at - digits..at)
    })
}

/// Every year mention: four digits, or four Chinese numerals (`二〇二三`), before `年`.
fn mentions(compact: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for at in nian(compact) {
        let end = at + "年".len();
        let digits = compact.as_bytes()[..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 4 {
            if let Ok(year) = compact[at - 4..at].parse() {
                out.push(Mention {
                    year,
                    range: at - 4..end,
                });
            }
            continue;
        }
        let numerals: Vec<(usize, char)> = compact[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| chinese_digit(*c).is_some())
            .collect();
        if numerals.len() == 4 {
            let year = numerals
                .iter()
                .rev()
                .filter_map(|(_, c)| chinese_digit(*c))
                .fold(0, |acc, d| acc * 10 + d);
            if (1990..=2100).contains(&year) {
                out.push(Mention {
                    year,
                    range: numerals[3].0..end,
                });
            }
        }
    }
    out
}

/// Where a mention stands: which part of the report, and its clause.
struct Place<'a> {
    /// Index of the section it is in, or `None` before the first heading (the introduction).
    section: Option<usize>,
    /// The text of its clause before and after the mention.
    before: &'a str,
    after: &'a str,
}

/// Characters that end a clause in the compact view. The view writes `、` (an enumeration
/// comma) as `.` too, so a `.` ends a clause only where the text has a full stop.
///
/// They are all ASCII, so a byte that is one of them is that character (UTF-8 never uses an
/// ASCII byte inside another character): the clause ends are sought by bytes, not by
/// decoding every character of the clause.
fn ends_clause(reading: &Reading, compact: &str, at: usize) -> bool {
    match compact.as_bytes().get(at) {
        Some(b';' | b'!' | b'?') => true,
        Some(b'.') => reading.source(at..at + 1) != "、",
        _ => false,
    }
}

fn place<'a>(reading: &Reading, compact: &'a str, m: &Mention) -> Place<'a> {
    let line = reading
        .view
        .line_of(m.range.start)
        .map_or(0..compact.len(), |l| reading.view.lines[l].clone());
    // A heading run into the line (one-line crawler text) starts a clause too.
    let heading_end = reading
        .headings
        .iter()
        .map(|h| h.range.end)
        .filter(|&e| e <= m.range.start && e > line.start)
        .max()
        .unwrap_or(line.start);
    let bytes = compact.as_bytes();
    let maybe_end = |b: &u8| matches!(b, b';' | b'!' | b'?' | b'.');
    let start = (heading_end..m.range.start)
        .rev()
        .filter(|&i| bytes.get(i).is_some_and(maybe_end))
        .find(|&i| ends_clause(reading, compact, i))
        .map_or(heading_end, |i| i + 1);
    let end = (m.range.end..line.end)
        .filter(|&i| bytes.get(i).is_some_and(maybe_end))
        .find(|&i| ends_clause(reading, compact, i))
        .unwrap_or(line.end);
    let section = reading.sections.iter().position(|s| {
        s.as_ref()
            .is_some_and(|r| r.start <= m.range.start && m.range.start < r.end)
    });
    let first_heading = reading
        .headings
        .first()
        .map_or(usize::MAX, |h| h.range.start);
    let section = if m.range.start < first_heading {
        None
    } else {
        section
    };
    Place {
        section,
        before: &compact[start..m.range.start],
        after: &compact[m.range.end..end],
    }
}

/// A mention that legitimately names another year: a span of time since it, a comparison, last
/// year's report, a document title, a target or a date of an event.
fn quiet(p: &Place) -> bool {
    let after = p.after;
    let inside_title = p.before.matches('《').count() > p.before.matches('》').count();
    inside_title
        || [
            "以来",
            "底以来",
            "度以来",
            "年报",
            "度年报",
            "度报告",
            "远景",
            "修订",
            "修正",
            "颁布",
            "施行",
            "版",
            "之前",
            "同期",
            "度同期",
        ]
        .iter()
        .any(|w| after.starts_with(w))
        || [
            "较", "比", "与", "同", "相比", "对比", "到", "至", "截至", "截止", "力争", "争取",
            "确保", "于", "在",
        ]
        .iter()
        .any(|w| p.before.ends_with(w))
}

/// A clause led by the mention: nothing before it but a sub-heading marker (`(一)`, `1.`, `一是`).
fn leads(p: &Place) -> bool {
    let before = p.before.trim_start_matches('#');
    if before.is_empty() {
        return true;
    }
    let marker = before
        .trim_start_matches('(')
        .trim_end_matches([')', '.', ':', ','])
        .trim_end_matches('是');
    !marker.is_empty()
        && marker.chars().count() <= 3
        && marker
            .chars()
            .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
}

/// Whether what follows `年` is a month (`3月`): the mention is a date.
fn after_month(after: &str) -> bool {
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && after[digits..].starts_with('月')
}

/// A line that holds only a full date, after the last heading: the date of the 落款.
fn is_signature_date(reading: &Reading, compact: &str, m: &Mention) -> bool {
    let Some(line) = reading
        .view
        .line_of(m.range.start)
        .map(|l| &reading.view.lines[l])
    else {
        return false;
    };
    let last_heading = reading.headings.iter().map(|h| h.range.end).max();
    let text = &compact[line.clone()];
    line.start == m.range.start
        && last_heading.is_some_and(|h| line.start >= h)
        && text.ends_with('日')
        && text.chars().count() <= 12
}

/// Words that make a clause in 五 a plan for the future.
const FUTURE: [&str; 22] = [
    "将从",
    "将继续",
    "将进一步",
    "将持续",
    "将着力",
    "将重点",
    "将围绕",
    "将加大",
    "将加强",
    "将不断",
    "将切实",
    "将全面",
    "将坚持",
    "将深入",
    "将在",
    "将以",
    "将采取",
    "计划",
    "拟",
    "下一步",
    "明年",
    "今后",
];

/// What a year mention is, as the rules judge it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// Nothing to report: the report year, or another year legitimately named.
    Fine,
    /// The report's own compilation or publication date (its range), not after the report year.
    StaleDate(Range<usize>),
    /// The 落款's date, not after the report year.
    StaleSignature,
    /// A date of an event after next year.
    FutureDate,
    /// The introduction names another year as this report's (Y007).
    Intro,
    /// Application statistics attributed to another year (Y003): a leftover.
    Statistic,
    /// A statement of the year's work led by another year (Y008): a leftover.
    Statement,
    /// A plan in 五 for the report year or earlier (Y009).
    Plan,
    /// A year after next year (Y004).
    Future,
}

impl Verdict {
    /// A statement of this report's work written with another year: what a copy of last
    /// year's report leaves behind (Y003, Y008).
    fn leftover(&self) -> bool {
        matches!(self, Verdict::Statistic | Verdict::Statement)
    }
}

/// Judges one year mention of a report of `year`.
fn judge(reading: &Reading, compact: &str, year: i32, m: &Mention) -> Verdict {
    let inside = |r: Option<Range<usize>>| {
        r.is_some_and(|r| r.start <= m.range.start && m.range.end <= r.end)
    };
    if inside(reading.title.as_ref().and_then(|t| t.range.clone()))
        || inside(reading.period.as_ref().map(|p| p.range.clone()))
    {
        return Verdict::Fine;
    }
    let p = place(reading, compact, m);
    let y = m.year;
    // The report's own dates: before anything else, a date of compiling or publishing the
    // report that is not after the report year.
    if let Some(all) = own_date(compact, m) {
        let text = &compact[all.clone()];
        let about_report = p.section.is_none()
            || [text, p.before, p.after]
                .iter()
                .any(|t| t.contains("报告") || t.contains("年报"));
        if about_report {
            return if y <= year {
                Verdict::StaleDate(all)
            } else {
                Verdict::Fine
            };
        }
    }
    // A line that is only a date, in the last section: the 落款's date, the report's own.
    let dated = after_month(p.after);
    if dated && is_signature_date(reading, compact, m) {
        return if y <= year {
            Verdict::StaleSignature
        } else {
            Verdict::Fine
        };
    }
    if quiet(&p) || dated {
        // A full date (`2023年3月5日`) is the date of an event, not a statement's lead.
        return if dated && y > year + 1 && y < 2200 && !quiet(&p) {
            Verdict::FutureDate
        } else {
            Verdict::Fine
        };
    }
    let self_reference = [
        "政府信息公开",
        "度政府信息公开",
        "度的政府信息公开",
        "的政府信息公开",
        "政务公开",
        "度政务公开",
    ]
    .iter()
    .any(|w| p.after.starts_with(w));
    match p.section {
        None if self_reference && y != year => Verdict::Intro,
        Some(s) if s != 4 && statistic(compact, m) && y != year => Verdict::Statistic,
        Some(s) if s != 4 && leads(&p) && y != year => Verdict::Statement,
        Some(4)
            if y <= year
                && FUTURE
                    .iter()
                    .any(|w| p.after.contains(w) || p.before.contains(w)) =>
        {
            Verdict::Plan
        }
        _ if y > year + 1 && y < 2200 => Verdict::Future,
        _ => Verdict::Fine,
    }
}

/// The year mentions (ranges of `compact`) that name a year other than the report's, each
/// with whether the year rules judge it a leftover (Y003, Y008: this report's statistics or
/// work written with another year) rather than a legitimate other year (`2019年以来`,
/// `较2022年`, a document title, a date of an event). X5 checks the figures of a leftover's
/// sentence and leaves a legitimate other year's alone.
pub fn other_years(reading: &Reading) -> Vec<(Range<usize>, bool)> {
    let Some(year) = reading.year() else {
        return Vec::new();
    };
    let compact = reading.view.compact.as_str();
    mentions(compact)
        .into_iter()
        .filter(|m| m.year != year)
        .map(|m| {
            let leftover = judge(reading, compact, year, &m).leftover();
            (m.range, leftover)
        })
        .collect()
}

pub fn check(cx: &mut Context) {
    let reading = cx.reading;
    let Some(year) = reading.year() else { return };
    let compact = reading.view.compact.as_str();
    period_and_title(cx, year);
    let mut found = Vec::new();
    for m in mentions(compact) {
        let span = reading.span(m.range.clone());
        let y = m.year;
        let future = || {
            Diagnostic::warning("Y004", format!("{year}年度报告中出现了{y}年"))
                .with_label(span.clone(), "年份晚于报告年度的次年")
        };
        match judge(reading, compact, year, &m) {
            Verdict::Fine => {}
            Verdict::StaleDate(all) => found.push(
                Diagnostic::error(
                    "Y002",
                    format!(
                        "报告的编制或发布时间写成了{y}年：{year}年度报告应在{}年编制发布",
                        year + 1
                    ),
                )
                .with_label(reading.span(all), "时间不对")
                .with_fix(format!("{}年", year + 1)),
            ),
            Verdict::StaleSignature => found.push(
                Diagnostic::error(
                    "Y002",
                    format!("落款日期写成了{y}年：{year}年度报告应在{}年发布", year + 1),
                )
                .with_label(span.clone(), "落款日期")
                .with_fix(format!("{}年", year + 1)),
            ),
            Verdict::FutureDate | Verdict::Future => found.push(future()),
            Verdict::Intro => found.push(
                Diagnostic::error(
                    "Y007",
                    format!("开头说明中本报告的年度写成了{y}年，本报告是{year}年度的"),
                )
                .with_label(span.clone(), format!("应为{year}年？"))
                .with_fix(format!("{year}年")),
            ),
            Verdict::Statistic => found.push(
                Diagnostic::warning("Y003", format!("{year}年度报告中把申请统计归于{y}年"))
                    .with_label(span.clone(), format!("应为{year}年？"))
                    .with_fix(format!("{year}年")),
            ),
            Verdict::Statement => found.push(
                Diagnostic::warning(
                    "Y008",
                    format!("叙述本年度工作的句子以{y}年开头，本报告是{year}年度的"),
                )
                .with_label(span.clone(), format!("应为{year}年？"))
                .with_fix(format!("{year}年")),
            ),
            Verdict::Plan => found.push(
                Diagnostic::warning(
                    "Y009",
                    format!(
                        "改进计划写的是{y}年：{year}年度报告的计划应针对{}年",
                        year + 1
                    ),
                )
                .with_label(span.clone(), format!("应为{}年？", year + 1))
                .with_fix(format!("{}年", year + 1)),
            ),
        }
    }
    for d in found {
        cx.push(d);
    }
    malformed(cx, compact);
}

/// Y001 (the title, the page title or the statistics period names another year than the
/// report's) and Y006 (the period's own years differ).
fn period_and_title(cx: &mut Context, year: i32) {
    let reading = cx.reading;
    let source = reading.year.map_or("", |y| y.source.describe());
    let title = reading
        .title
        .as_ref()
        .and_then(|t| t.year.clone())
        .and_then(|(y, r)| Some((y, reading.span(r?))));
    let period = reading.period.as_ref().map(|p| {
        (
            p.start.0,
            p.end.as_ref().map(|(e, _)| *e),
            reading.span(p.range.clone()),
        )
    });
    if let (Some(p), Some((start, Some(end), _))) = (&reading.period, &period)
        && end != start
    {
        cx.push(
            Diagnostic::error(
                "Y006",
                format!("统计期限的起止年份不同：自{start}年起，至{end}年止"),
            )
            .with_label(
                reading.span(p.end.as_ref().map_or(0..0, |(_, r)| r.clone())),
                format!("止于{end}年"),
            )
            .with_label(reading.span(p.start.1.clone()), format!("起于{start}年")),
        );
    }
    // The period is off when the year it names (both ends, or its one written year) is not
    // the report's; when its ends differ, Y006 says so, unless neither is the report's.
    let period_off = period.as_ref().is_some_and(|(start, end, _)| match end {
        Some(end) if end != start => *start != year && *end != year,
        _ => *start != year,
    });
    let title_off = title.as_ref().is_some_and(|(t, _)| *t != year);
    match (&title, &period) {
        (Some((t, title_span)), Some((start, _, period_span))) if title_off || period_off => {
            let (first, second) = if title_off {
                (
                    (title_span.clone(), format!("标题：{t}年")),
                    (period_span.clone(), format!("统计期限：{start}年")),
                )
            } else {
                (
                    (period_span.clone(), format!("统计期限：{start}年")),
                    (title_span.clone(), format!("标题：{t}年")),
                )
            };
            cx.push(
                Diagnostic::error(
                    "Y001",
                    format!("标题年度（{t}年）与统计期限年度（{start}年）不一致"),
                )
                .with_label(first.0, first.1)
                .with_label(second.0, second.1)
                .with_note(format!("报告年度按{source}定为{year}年")),
            );
        }
        (Some((t, span)), None) if title_off => cx.push(
            Diagnostic::error(
                "Y001",
                format!("标题年度（{t}年）与报告年度（{year}年，依据{source}）不一致"),
            )
            .with_label(span.clone(), format!("标题：{t}年")),
        ),
        (None, Some((start, _, span))) if period_off => cx.push(
            Diagnostic::error(
                "Y001",
                format!("统计期限年度（{start}年）与报告年度（{year}年，依据{source}）不一致"),
            )
            .with_label(span.clone(), format!("统计期限：{start}年")),
        ),
        _ => {}
    }
    // The page's <title>, when the text has a title of its own.
    if reading.title.as_ref().is_some_and(|t| t.range.is_some())
        && let Some(page) = crate::reading::title::page_title(&reading.document)
        && let Some((page_year, _)) = page.year
        && page_year != year
        && let Some(meta) = reading.document.meta.iter().find(|m| m.key == "title")
    {
        cx.push(
            Diagnostic::error(
                "Y001",
                format!("网页标题的年度（{page_year}年）与报告年度（{year}年）不一致"),
            )
            .with_label(meta.span.clone(), format!("网页标题：{page_year}年")),
        );
    }
}

/// Y005: `202年`, `20231年` dated like a year.
fn malformed(cx: &mut Context, compact: &str) {
    let reading = cx.reading;
    for range in digit_runs_before_nian(compact) {
        let after = &compact[range.end + "年".len()..];
        let month_digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let dated = after.starts_with('度')
            || ((1..=2).contains(&month_digits) && after[month_digits..].starts_with('月'));
        if !dated {
            continue;
        }
        let digits = &compact[range.clone()];
        let plausible_prefix = digits.starts_with("20") || digits.starts_with("19");
        // Part of a longer figure (`1.202年` would be a decimal, `3202年` is not 3 digits).
        let before = &compact[..range.start];
        let preceded_by_digit_context = before.ends_with(|c: char| c.is_ascii_digit())
            || before
                .strip_suffix('.')
                .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()));
        if plausible_prefix
            && (digits.len() == 3 || digits.len() == 5)
            && !preceded_by_digit_context
        {
            cx.push(
                Diagnostic::error("Y005", format!("年份“{digits}年”写法有误")).with_label(
                    reading.span(range.start..range.end + "年".len()),
                    "不是4位年份",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::input::Format;
    use crate::rules::testing::lint_text;

    const HEAD: &str = "# 青山区2023年政府信息公开工作年度报告\n本报告结合青山区人民政府2023年度政府信息公开工作编制。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n";

    /// The Y codes for a report with `intro` after the standard opening and `sections` as the
    /// bodies of sections 一 to 六.
    fn codes_in(intro: &str, sections: [&str; 6]) -> Vec<String> {
        let titles = [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ];
        let mut text = format!("{HEAD}{intro}\n");
        for (t, body) in titles.iter().zip(sections) {
            text.push_str(&format!("## {t}\n{body}\n"));
        }
        let mut codes: Vec<String> = lint_text(&text, Format::Markdown)
            .into_iter()
            .filter(|d| d.code.starts_with('Y'))
            .map(|d| d.code)
            .collect();
        codes.sort();
        codes
    }

    fn one(section: usize, body: &str) -> Vec<String> {
        let mut sections = [""; 6];
        sections[section] = body;
        codes_in("", sections)
    }

    fn year_codes(body: &str) -> Vec<String> {
        one(0, body)
    }

    #[test]
    fn malformed_years_are_errors_and_plausible_ones_are_not() {
        assert_eq!(year_codes("202年度完成。"), ["Y005"]);
        assert_eq!(year_codes("截至20231年3月。"), ["Y005"]);
        assert_eq!(year_codes("全年办理2023年度事项。"), Vec::<String>::new());
        // A figure followed by 年 (年限) is not a year.
        assert_eq!(year_codes("文件有效期为5年。"), Vec::<String>::new());
    }

    #[test]
    fn years_after_next_year_are_warned_about_except_targets() {
        assert_eq!(
            year_codes("本机关计划于2026年完成评估。"),
            Vec::<String>::new()
        );
        assert_eq!(year_codes("相关工作2026年完成。"), ["Y004"]);
        assert_eq!(year_codes("对标2035年远景目标。"), Vec::<String>::new());
        assert_eq!(year_codes("力争到2027年全面建成。"), Vec::<String>::new());
    }

    #[test]
    fn the_period_must_agree_with_itself_and_the_title() {
        let text =
            |period: &str| format!("# 青山区2023年政府信息公开工作年度报告\n统计期限{period}。\n");
        let codes = |t: String| -> Vec<String> {
            let mut c: Vec<String> = lint_text(&t, Format::Markdown)
                .into_iter()
                .filter(|d| d.code.starts_with('Y'))
                .map(|d| d.code)
                .collect();
            c.sort();
            c
        };
        assert_eq!(
            codes(text("自2023年1月1日至2023年12月31日")),
            Vec::<String>::new()
        );
        assert_eq!(codes(text("自2023年1月1日至2021年12月31日")), ["Y006"]);
        assert_eq!(codes(text("自2022年1月1日至2022年12月31日")), ["Y001"]);
        assert_eq!(codes(text("从2022年1月1日到12月31日止")), ["Y001"]);
    }

    #[test]
    fn the_intro_must_name_the_report_year() {
        assert_eq!(
            codes_in(
                "现将本机关2021年度政府信息公开工作年度报告公布如下。",
                [""; 6]
            ),
            ["Y007"]
        );
        assert_eq!(
            codes_in("《条例》于2019年修订施行。", [""; 6]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn statements_of_the_years_work_are_led_by_the_report_year() {
        assert_eq!(one(0, "2022 年，我县坚持以人民为中心。"), ["Y008"]);
        assert_eq!(
            one(0, "（一）主动公开。2021年，县政府网站公开信息120条。"),
            ["Y008"]
        );
        assert_eq!(
            one(0, "2023年，我县坚持以人民为中心。"),
            Vec::<String>::new()
        );
        assert_eq!(one(5, "2022年，本机关未收取信息处理费。"), ["Y008"]);
        // Legitimate other years.
        assert_eq!(one(0, "2019年以来，我县持续推进。"), Vec::<String>::new());
        assert_eq!(
            one(0, "全年公开信息较2022年增长12%。"),
            Vec::<String>::new()
        );
        assert_eq!(
            one(0, "印发《2022年政务公开工作要点》。"),
            Vec::<String>::new()
        );
        assert_eq!(
            one(0, "对照2022年年报指出的问题逐项整改。"),
            Vec::<String>::new()
        );
        assert_eq!(one(0, "二〇二二年，我县坚持以人民为中心。"), ["Y008"]);
    }

    #[test]
    fn statistics_of_another_year_are_warned_about() {
        assert_eq!(one(2, "2022年，共受理申请85件。"), ["Y003"]);
        assert_eq!(one(2, "2023年，共受理申请85件。"), Vec::<String>::new());
        // Last year's figure quoted as a comparison.
        assert_eq!(one(2, "2022年同期共受理申请85件。"), Vec::<String>::new());
    }

    #[test]
    fn other_years_say_which_are_leftovers() {
        let text = format!(
            "{HEAD}## 一、总体情况\n2022年，共受理申请85件。2019年以来，我县持续推进。较2022年增长12%。\n"
        );
        let reading = crate::rules::testing::read(&text, Format::Markdown);
        let judged: Vec<(String, bool)> = super::other_years(&reading)
            .into_iter()
            .map(|(r, leftover)| (reading.view.compact[r].to_owned(), leftover))
            .collect();
        assert_eq!(
            judged,
            [
                ("2022年".to_owned(), true),
                ("2019年".to_owned(), false),
                ("2022年".to_owned(), false)
            ]
        );
    }

    #[test]
    fn the_reports_own_dates_fall_after_the_report_year() {
        assert_eq!(
            codes_in("本报告预计于2023年1月底前完成编制并发布。", [""; 6]),
            ["Y002"]
        );
        assert_eq!(
            codes_in("本报告预计于2024年1月底前完成编制并发布。", [""; 6]),
            Vec::<String>::new()
        );
        // A place between the date and the verb; a 中下旬 date.
        assert_eq!(
            codes_in("本报告预计于2023年1月25日前在本机关门户网站发布。", [""; 6]),
            ["Y002"]
        );
        assert_eq!(
            codes_in("本报告预计2023年2月中下旬完成编制。", [""; 6]),
            ["Y002"]
        );
    }

    #[test]
    fn the_signature_date_falls_after_the_report_year() {
        assert_eq!(
            one(5, "无。\n\n青山区人民政府\n\n2024年1月20日"),
            Vec::<String>::new()
        );
        assert_eq!(one(5, "无。\n\n青山区人民政府\n\n2023年1月20日"), ["Y002"]);
        // A date in a statement is the date of an event.
        assert_eq!(one(0, "2022年3月5日，召开专题会议。"), Vec::<String>::new());
    }

    #[test]
    fn plans_in_section_five_are_for_next_year() {
        assert_eq!(one(4, "2023年，我局将从三个方面加以改进。"), ["Y009"]);
        assert_eq!(
            one(4, "2024年，我局将从三个方面加以改进。"),
            Vec::<String>::new()
        );
        // Last year's problems and this year's measures are what 五 is about.
        assert_eq!(one(4, "2022年存在的问题已全部整改。"), Vec::<String>::new());
        assert_eq!(
            one(4, "2023年，我局政务公开工作取得新进展。"),
            Vec::<String>::new()
        );
    }
}
