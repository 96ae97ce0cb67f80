//! Rules X4 and X5: what the prose says against what the tables say, within one report.
//!
//! X4 (2021 edition): table 三 shows applications closed because the fee notice went unpaid,
//! so section 六 must report the 信息处理费. X5: a figure the prose quotes ("共收到政府信息公开
//! 申请3119件", "行政复议351件", "行政诉讼46件", "结转下年度继续办理103件", "因无法提供相关信息
//! 答复2件") that differs from the table cells it restates, read under the category word nearest
//! before it. A sentence naming another year is skipped unless the year rules judge that year a
//! leftover of last year's report (`years::other_years`). Both run without `--previous`; X1–X3 and X6–X8 compare with last
//! year's report and live in `previous`.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::edition::{GridTable, TableId};
use crate::report::Grid;

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "X4",
        name: "fee-not-reported",
        severity: Severity::Warning,
        explain: "（2021版式）表三“（六）其他处理”第2项（申请人逾期未按收费通知要求缴纳费用）大于0，说明发出过收费通知，第六部分应报告信息处理费的收取情况（《政府信息公开信息处理费管理办法》）。",
    },
    RuleInfo {
        code: "X5",
        name: "prose-figure-mismatch",
        severity: Severity::Error,
        explain: "正文中复述的数字与表格不符，例如“共收到政府信息公开申请120件”而表三“本年新收”为124件。每个数字归于它前面最近的类别词（中间只隔“答复”“相关信息”“的”等连接词）：收到/受理申请（本年新收）、上年结转、结转下年度、予以公开（同意公开）、部分公开（区分处理后公开）、予以公开及部分公开、不予公开、无法提供、不予处理、其他处理（各为该类各行之和），以及行政复议、行政诉讼（直接起诉与复议后起诉之和；须在第四部分或前文说明是信息公开的复议诉讼）；“办结”“答复”只在没有更近的类别词时指（七）总计，所以“给予同意公开答复1件”核对的是予以公开。一行的数取各列之和（总计栏留空时也能核对），与印出的总计相同也算相符。不核对第五部分（常谈及上年问题和下年计划）、正当提及其他年份或“去年”“同比”的句子（“较2022年”“2022年同期”“2019年以来”）、“其中…”的分项，以及表格内的数字；但以其他年份开头、被年份规则判为沿用上年（Y003、Y008）的句子仍然核对，因为它自称叙述本年度。诊断同时标出表格中的对应单元格，标签为表格印出的数字；印出的总计与各列之和不同时，消息给出两者。",
    },
];

pub fn check(cx: &mut Context) {
    fee_reported(cx);
    prose_figures(cx);
}

fn fee_reported(cx: &mut Context) {
    let reading = cx.reading;
    let Some(edition) = reading.edition else {
        return;
    };
    let Some(grid) = reading.grid(TableId::Applications) else {
        return;
    };
    let fee_row = "其他处理.申请人逾期未按收费通知要求缴纳费用";
    let Some(cell) = grid.cell(fee_row, edition.applications.width() - 1) else {
        return;
    };
    if cell.value <= 0 {
        return;
    }
    let six = reading.sections.get(5).cloned().flatten();
    let mentions = six
        .as_ref()
        .and_then(|r| reading.view.compact.get(r.clone()))
        .is_some_and(|text| text.contains("处理费"));
    if !mentions {
        let span = cell.span.clone().unwrap_or(0..0);
        cx.push(
            Diagnostic::warning(
                "X4",
                format!(
                    "表三有{}件申请因逾期未缴费不再处理，第六部分却未报告信息处理费",
                    cell.value
                ),
            )
            .with_label(span, "发出过收费通知"),
        );
    }
}

/// A kind of figure the prose quotes, and the table rows it restates. The phrase is one of
/// the category words, then connecting words (each at most once, in any order), the word that
/// must come before the figure if any, the figure and 件.
struct Quoted {
    anchors: &'static [&'static str],
    fillers: &'static [&'static str],
    required: Option<&'static str>,
    what: &'static str,
    table: TableId,
    /// Rows summed; `组.` stands for every row of the group (`不予公开.` = its eight rows).
    rows: &'static [&'static str],
    /// Only in section 四, or where the clause says 信息公开 before the figure: the words
    /// alone (`行政复议…件`) also count the agency's other cases.
    qualified: bool,
    /// 办结/答复 in general: counts only when no category phrase leads to the same figure
    /// (`同意公开答复1件` is 予以公开, not the total).
    generic: bool,
}

/// Words that may stand between a category word and its figure in these phrases.
const APPLICATION_WORDS: &[&str] = &["各类", "政府信息公开", "依申请公开", "共", "合计"];
/// Words between a category of outcome and its figure: `同意公开答复1件`,
/// `因无法提供相关信息答复2件`, `其他处理的申请2件`. Longer words first.
const OUTCOME_WORDS: &[&str] = &[
    "相关政府信息",
    "相关信息",
    "政府信息",
    "信息",
    "的",
    "申请",
    "答复",
    "回复",
    "告知",
    "决定",
    "共",
];

/// The quoted figures, anchored on the official category words and their common wordings
/// (`、` reads as `.`).
const QUOTED: [Quoted; 13] = [
    Quoted {
        anchors: &["收到", "新收", "受理"],
        fillers: APPLICATION_WORDS,
        required: Some("申请"),
        what: "收到的申请",
        table: TableId::Applications,
        rows: &["本年新收"],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["上年结转", "上年度结转", "上一年度结转"],
        fillers: &["的", "政府信息公开申请", "申请", "共"],
        required: None,
        what: "上年结转的申请",
        table: TableId::Applications,
        rows: &["上年结转"],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &[
            "结转下年度",
            "结转下一年度",
            "结转至下年度",
            "结转到下年度",
            "结转至下一年度",
        ],
        fillers: &["继续办理", "办理", "的", "申请", "共"],
        required: None,
        what: "结转下年度的申请",
        table: TableId::Applications,
        rows: &["结转下年度"],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["办结", "答复"],
        fillers: &["各类", "政府信息公开", "依申请公开", "申请", "共", "合计"],
        required: None,
        what: "办结或答复的申请",
        table: TableId::Applications,
        rows: &["总计"],
        qualified: false,
        generic: true,
    },
    Quoted {
        anchors: &[
            "予以公开和部分公开",
            "予以公开及部分公开",
            "予以公开与部分公开",
            "予以公开.部分公开",
            "予以公开或部分公开",
        ],
        fillers: OUTCOME_WORDS,
        required: None,
        what: "予以公开和部分公开的申请",
        table: TableId::Applications,
        rows: &["予以公开", "部分公开"],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["予以公开", "同意公开"],
        fillers: OUTCOME_WORDS,
        required: None,
        what: "予以公开的申请",
        table: TableId::Applications,
        rows: &["予以公开"],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &[
            "部分公开",
            "区分处理后公开",
            "区分处理后予以公开",
            "区分处理后部分公开",
        ],
        fillers: OUTCOME_WORDS,
        required: None,
        what: "部分公开的申请",
        table: TableId::Applications,
        rows: &["部分公开"],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["不予公开", "不同意公开"],
        fillers: OUTCOME_WORDS,
        required: None,
        what: "不予公开的申请",
        table: TableId::Applications,
        rows: &["不予公开."],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["无法提供"],
        fillers: OUTCOME_WORDS,
        required: None,
        what: "无法提供的申请",
        table: TableId::Applications,
        rows: &["无法提供."],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["不予处理"],
        fillers: OUTCOME_WORDS,
        required: None,
        what: "不予处理的申请",
        table: TableId::Applications,
        rows: &["不予处理."],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["其他处理", "其它处理"],
        fillers: OUTCOME_WORDS,
        required: None,
        what: "其他处理的申请",
        table: TableId::Applications,
        // One row in the 2019 edition, a group of three in the 2021 edition.
        rows: &["其他处理", "其他处理."],
        qualified: false,
        generic: false,
    },
    Quoted {
        anchors: &["行政复议"],
        fillers: &["案件", "共"],
        required: None,
        what: "行政复议",
        table: TableId::Appeals,
        rows: &["行政复议"],
        qualified: true,
        generic: false,
    },
    Quoted {
        anchors: &["行政诉讼"],
        fillers: &["案件", "共"],
        required: None,
        what: "行政诉讼",
        table: TableId::Appeals,
        rows: &["未经复议直接起诉", "复议后起诉"],
        qualified: true,
        generic: false,
    },
];

/// Finds the category words of the phrases in a text: leftmost-longest, without overlaps.
///
/// Where the CPU has the SIMD it needs (x86-64, aarch64), a packed searcher (Teddy) alone: it
/// is built in a tenth of the time of an automaton, and one report's whole run is short (issue
/// 23). Elsewhere (wasm), an Aho-Corasick automaton; the two report the same matches (tested).
enum Anchors {
    Packed(aho_corasick::packed::Searcher),
    Automaton(AhoCorasick),
}

impl Anchors {
    fn packed(words: &[&str]) -> Option<Anchors> {
        aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(words)
            .build()
            .map(Anchors::Packed)
    }

    fn automaton(words: &[&str]) -> Anchors {
        // A contiguous NFA, not the DFA the builder picks for so few words: a third of the
        // build time, while the search time is the prefilter's either way.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(words)
            .unwrap_or_else(|e| panic!("{e}"));
        Anchors::Automaton(automaton)
    }

    /// Each match: (word index, start, end).
    fn find_iter<'a>(
        &'a self,
        text: &'a str,
    ) -> Box<dyn Iterator<Item = (usize, usize, usize)> + 'a> {
        match self {
            Anchors::Packed(searcher) => Box::new(
                searcher
                    .find_iter(text)
                    .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
            ),
            Anchors::Automaton(automaton) => Box::new(
                automaton
                    .find_iter(text)
                    .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
            ),
        }
    }
}

/// Every category word of every phrase, in order, with the phrase each starts.
fn anchor_words() -> (Vec<&'static str>, Vec<usize>) {
    QUOTED
        .iter()
        .enumerate()
        .flat_map(|(i, q)| q.anchors.iter().map(move |a| (*a, i)))
        .unzip()
}

/// The category words' searcher, built once, with the phrase each word starts.
fn anchors() -> &'static (Anchors, Vec<usize>) {
    static ANCHORS: OnceLock<(Anchors, Vec<usize>)> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let (words, owners) = anchor_words();
        let searcher = Anchors::packed(&words).unwrap_or_else(|| Anchors::automaton(&words));
        (searcher, owners)
    })
}

/// A quoted figure in the text: which phrase, where its category word starts, and the figure.
struct Quote {
    phrase: usize,
    start: usize,
    figure: std::ops::Range<usize>,
}

/// The rest of phrase `q` after its category word (ending at `at`): the figure's range.
fn rest_of_phrase(text: &str, q: &Quoted, mut at: usize) -> Option<std::ops::Range<usize>> {
    let mut used = vec![false; q.fillers.len()];
    let mut required = q.required.is_none();
    loop {
        let rest = text.get(at..)?;
        if let Some(i) = (0..q.fillers.len()).find(|&i| !used[i] && rest.starts_with(q.fillers[i]))
        {
            used[i] = true;
            at += q.fillers[i].len();
        } else if let Some(word) = q.required.filter(|w| !required && rest.starts_with(w)) {
            required = true;
            at += word.len();
        } else {
            break;
        }
    }
    let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    (required && digits > 0 && text[at + digits..].starts_with('件')).then_some(at..at + digits)
}

/// Every quoted figure in `text`, in order, each under the category phrase nearest before it:
/// a figure that both a category word and 办结/答复 lead to (`同意公开答复1件`) is the category's.
fn quotes(text: &str) -> Vec<Quote> {
    let (automaton, owners) = anchors();
    let mut found: Vec<Quote> = Vec::new();
    for (word, start, end) in automaton.find_iter(text) {
        let phrase = owners[word];
        let Some(figure) = rest_of_phrase(text, &QUOTED[phrase], end) else {
            continue;
        };
        let quote = Quote {
            phrase,
            start,
            figure,
        };
        match found.last_mut() {
            Some(last) if last.figure == quote.figure => {
                // The same figure: a category word wins over 办结/答复, the nearer over the
                // farther.
                if QUOTED[last.phrase].generic || !QUOTED[quote.phrase].generic {
                    *last = quote;
                }
            }
            _ => found.push(quote),
        }
    }
    found
}

/// The rows a quoted figure restates, with group prefixes expanded.
fn rows_of<'e>(quoted: &Quoted, table: &'e GridTable) -> Vec<&'e str> {
    quoted
        .rows
        .iter()
        .flat_map(|r| {
            table
                .data_rows()
                .map(|(id, _)| id)
                .filter(move |id| match r.strip_suffix('.') {
                    Some(group) => id
                        .strip_prefix(group)
                        .is_some_and(|rest| rest.starts_with('.')),
                    None => id == r,
                })
        })
        .collect()
}

/// A row's figure as the table shows it and as its cells add up.
struct RowFigure {
    /// The printed total cell, or the sum when the total is blank, computed or missing.
    shown: i64,
    /// The sum of the data cells (so that a total cell left blank or miswritten does not hide
    /// a disagreement), or the total when a data cell is missing.
    computed: i64,
    span: Option<std::ops::Range<usize>>,
}

fn row_value(grid: &Grid, table: &GridTable, id: &str) -> Option<RowFigure> {
    let total_column = table.columns.len();
    let total_cell = grid.cell(id, total_column);
    let data: Option<i64> = (0..total_column)
        .map(|c| grid.value(id, c))
        .try_fold(0i64, |acc, v| acc.checked_add(v?));
    let printed = total_cell
        .filter(|c| !c.blank && c.span.is_some())
        .map(|c| c.value);
    let computed = data.or(total_cell.map(|c| c.value))?;
    let span = total_cell
        .and_then(|c| c.span.clone())
        .or_else(|| grid.rows.get(id).and_then(|r| r.span.clone()));
    Some(RowFigure {
        shown: printed.unwrap_or(computed),
        computed,
        span,
    })
}

/// Words that put a sentence's figures in another period: they are not this year's table.
const OTHER_PERIOD: [&str; 5] = ["去年", "上年", "上一年", "同比", "较20"];

/// Whether `clause` (a comma-delimited stretch before a category word) takes a part of the
/// category: `其中因涉及国家秘密不予公开2件` (after `不予公开10件`). `其中予以公开80件`
/// enumerates the categories themselves.
fn part_of_category(clause: &str) -> bool {
    clause.rfind("其中").is_some_and(|i| {
        let between = clause[i + "其中".len()..].trim_start_matches([',', ':']);
        !["", "给予", "作出", "因", "对"].contains(&between)
    })
}

fn prose_figures(cx: &mut Context) {
    let reading = cx.reading;
    let (Some(_), Some(edition)) = (reading.year(), reading.edition) else {
        return;
    };
    if reading.legacy {
        return;
    }
    let text = reading.view.compact.as_str();
    // Inside the tables the figures are cells, checked as tables: only prose counts here.
    let tables: Vec<std::ops::Range<usize>> = [1, 2, 3]
        .iter()
        .filter_map(|&i| {
            let extent = reading.sections.get(i).cloned().flatten()?;
            let first = reading.headings.iter().find(|h| h.section == i)?;
            Some(first.range.end..extent.end)
        })
        .collect();
    let in_table_section = |at: usize| tables.iter().any(|r| r.contains(&at));
    let four = reading.sections.get(3).cloned().flatten();
    let five = reading.sections.get(4).cloned().flatten();
    // Other years named in the text, and whether the year rules judge each a leftover.
    let other_years = std::cell::OnceCell::new();
    // A sentence ends at a full stop, not at `、` (which the view also writes as `.`).
    let sentence_end = |at: usize| match text[at..].chars().next() {
        Some(';' | '!' | '?') => true,
        Some('.') => reading.source(at..at + 1) != "、",
        _ => false,
    };
    let mut found = Vec::new();
    for quote in quotes(text) {
        let quoted = &QUOTED[quote.phrase];
        let all = quote.start..quote.figure.end + "件".len();
        let figure = quote.figure.clone();
        // Section 五 speaks of last year's problems and next year's plans.
        if five.as_ref().is_some_and(|r| r.contains(&all.start)) {
            continue;
        }
        // A figure inside a table's rows (a cell followed by 件 in pasted text) is not prose.
        let line = reading.view.line_of(all.start);
        let in_table_line = line.is_some_and(|l| {
            let line = &reading.view.lines[l];
            in_table_section(all.start)
                && reading.view.tokens
                    [reading.view.token_at(line.start)..reading.view.token_at(line.end)]
                    .iter()
                    .filter(|t| t.class == crate::reading::view::Class::Number)
                    .count()
                    >= 3
        });
        if in_table_line {
            continue;
        }
        let table = edition.grid(quoted.table);
        let Some(grid) = reading.grid(quoted.table) else {
            continue;
        };
        let values: Option<Vec<RowFigure>> = rows_of(quoted, table)
            .into_iter()
            .map(|id| row_value(grid, table, id))
            .collect();
        let Some(values) = values.filter(|v| !v.is_empty()) else {
            continue;
        };
        let sum =
            |f: fn(&RowFigure) -> i64| values.iter().try_fold(0i64, |acc, v| acc.checked_add(f(v)));
        let (Some(shown), Some(computed)) = (sum(|v| v.shown), sum(|v| v.computed)) else {
            continue;
        };
        let Ok(quoted_value) = text[figure.clone()].parse::<i64>() else {
            continue;
        };
        // The sentence this figure is in, up to the figure.
        let mut clause_start = all.start;
        let clause_start = loop {
            match text[..clause_start].rfind(['.', ';', '!', '?']) {
                Some(i) if sentence_end(i) => break i + 1,
                Some(i) => clause_start = i,
                None => break 0,
            }
        };
        let clause = &text[clause_start..all.end];
        // Another year in the sentence: quiet when it is legitimately another year (比上年,
        // 2022年同期); checked when the year rules judge it a leftover of last year's report
        // (`2022年，共收到…`), which still claims to describe this report.
        let other_year = other_years
            .get_or_init(|| super::years::other_years(reading))
            .iter()
            .any(|(r, leftover)| !leftover && clause_start <= r.start && r.end <= all.end);
        let other_period =
            quoted.rows != ["上年结转"] && OTHER_PERIOD.iter().any(|w| clause.contains(w));
        // "其中…" restates a part, not the total: for 办结/答复 and the appeals anywhere in
        // the sentence, for a category only within its own comma-clause.
        let before = &clause[..all.start - clause_start];
        let partial = if quoted.generic || quoted.qualified {
            before.contains("其中")
        } else if quoted.rows == ["本年新收"] {
            false
        } else {
            let comma = before.rfind([',', '.']).map_or(0, |i| i + 1);
            part_of_category(&before[comma..])
        };
        let qualified = !quoted.qualified
            || four.as_ref().is_some_and(|r| r.contains(&all.start))
            || before.contains("信息公开");
        if other_year
            || other_period
            || partial
            || !qualified
            || quoted_value == shown
            || quoted_value == computed
        {
            continue;
        }
        let sums = if computed == shown {
            String::new()
        } else {
            format!("（各列之和为{computed}件）")
        };
        let mut d = Diagnostic::error(
            "X5",
            format!(
                "正文说{}为{quoted_value}件，表格中为{shown}件{sums}",
                quoted.what
            ),
        )
        .with_label(reading.span(figure.clone()), format!("表格中为{shown}"));
        for v in values {
            if let Some(span) = v.span {
                d = d.with_label(span, format!("表格：{}", v.shown));
            }
        }
        found.push(d);
    }
    for d in found {
        cx.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::input::Format;

    /// The packed searcher (x86-64, aarch64) and the automaton (elsewhere) find the same
    /// category words, on texts made of the words, their prefixes and suffixes, and filler.
    #[test]
    fn the_packed_searcher_and_the_automaton_find_the_same_words() {
        let (words, _) = super::anchor_words();
        let automaton = super::Anchors::automaton(&words);
        let Some(packed) = super::Anchors::packed(&words) else {
            eprintln!("no packed searcher on this CPU: only the automaton is used here");
            return;
        };
        let mut pieces: Vec<String> = vec!["件".into(), "共".into(), "12".into(), "，".into()];
        for w in &words {
            let chars: Vec<char> = w.chars().collect();
            pieces.push((*w).to_owned());
            pieces.push(chars[..chars.len() - 1].iter().collect());
            pieces.push(chars[1..].iter().collect());
        }
        // A fixed pseudo-random walk over the pieces: texts short (Rabin-Karp inside the packed
        // searcher) and long (Teddy).
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut found = 0;
        for round in 0..400 {
            let mut text = String::new();
            for _ in 0..(round % 60 + 1) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(&pieces[(state % pieces.len() as u64) as usize]);
            }
            let a: Vec<_> = automaton.find_iter(&text).collect();
            let p: Vec<_> = packed.find_iter(&text).collect();
            assert_eq!(a, p, "{text}");
            found += a.len();
        }
        assert!(
            found > 1_000,
            "the texts hold too few words to compare: {found}"
        );
    }
    use crate::rules::testing::lint_text;

    fn codes(text: &str) -> Vec<String> {
        lint_text(text, Format::Markdown)
            .into_iter()
            .filter(|d| d.code.starts_with('X'))
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    }

    fn report(overview: &str) -> String {
        let data = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/qingshan-2023.yaml"
        ))
        .unwrap_or_default();
        let report = crate::data::load(&data).report.expect("example loads");
        let text =
            crate::render::render(&report, crate::render::Format::Markdown).expect("renders");
        text.replacen("全年共收到政府信息公开申请124件", overview, 1)
    }

    #[test]
    fn quoted_figures_are_checked_against_the_tables() {
        // The example says 124 and its table says 124: silent.
        assert_eq!(
            codes(&report("全年共收到政府信息公开申请124件")),
            Vec::<String>::new()
        );
        let found = codes(&report("全年共收到政府信息公开申请120件"));
        assert_eq!(found, ["X5 正文说收到的申请为120件，表格中为124件"]);
        // Appeals: 行政复议 total 6 in the example; 行政诉讼 = 3 + 2.
        assert_eq!(
            codes(&report(
                "全年共收到政府信息公开申请124件，行政复议6件，行政诉讼5件"
            )),
            Vec::<String>::new()
        );
        let found = codes(&report(
            "全年共收到政府信息公开申请124件，行政复议7件，行政诉讼4件",
        ));
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn fee_notices_require_the_fee_to_be_reported_in_section_six() {
        let data = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/qingshan-2023.yaml"
        ))
        .unwrap_or_default();
        let mut report = crate::data::load(&data).report.expect("example loads");
        // Two applications closed for an unpaid fee notice (cell and row total).
        if let Some(row) = report
            .applications
            .rows
            .get_mut("其他处理.申请人逾期未按收费通知要求缴纳费用")
        {
            row.cells[0] = Some(crate::report::Cell::computed(2));
            row.cells[6] = Some(crate::report::Cell::computed(2));
        }
        let x_codes = |report: &crate::report::Report| -> Vec<String> {
            let text =
                crate::render::render(report, crate::render::Format::Markdown).expect("renders");
            codes(&text)
                .into_iter()
                .filter(|c| c.starts_with("X4"))
                .collect()
        };
        // Section 六 of the example says 本年度未收取信息处理费: reported, silent.
        assert_eq!(x_codes(&report), Vec::<String>::new());
        report.prose[5] = Some("本年度无其他需要报告的事项。".to_owned());
        assert_eq!(
            x_codes(&report),
            ["X4 表三有2件申请因逾期未缴费不再处理，第六部分却未报告信息处理费"]
        );
    }

    #[test]
    fn figures_legitimately_of_another_year_are_not_checked() {
        for overview in [
            "2022年同期共收到政府信息公开申请99件，本年共收到政府信息公开申请124件",
            "2019年以来共收到政府信息公开申请500件，本年共收到政府信息公开申请124件",
            "比上年多收到申请10件，全年共收到政府信息公开申请124件",
            "与2022年相比，共收到政府信息公开申请99件的情况有所变化，全年共收到政府信息公开申请124件",
        ] {
            assert_eq!(codes(&report(overview)), Vec::<String>::new(), "{overview}");
        }
    }

    #[test]
    fn figures_of_a_leftover_year_are_still_checked() {
        // Y003 judges 2022 a leftover: the sentence still claims to describe this report.
        assert_eq!(
            codes(&report("2022年，共收到政府信息公开申请99件")),
            ["X5 正文说收到的申请为99件，表格中为124件"]
        );
        assert_eq!(
            codes(&report(
                "2022年共收到政府信息公开申请99件，本年共收到政府信息公开申请124件"
            )),
            ["X5 正文说收到的申请为99件，表格中为124件"]
        );
    }

    #[test]
    fn the_nearest_category_phrase_decides() {
        // The example's table: 予以公开 44, 部分公开 11, 不予公开 11, 无法提供 40, 其他处理 5
        // (examples/qingshan-2023.yaml).
        let found = codes(&report(
            "全年共收到政府信息公开申请124件。给予同意公开答复44件，不予公开答复11件，区分处理后公开11件，因无法提供相关信息答复4件，其他处理7件",
        ));
        assert!(found.iter().all(|c| !c.contains("办结")), "{found:?}");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("X5 正文说无法提供的申请为4件"),
            "{found:?}"
        );
        assert_eq!(found[1], "X5 正文说其他处理的申请为7件，表格中为5件");
    }
}
