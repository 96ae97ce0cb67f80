//! Which report this is: its title, the statistics period, the report year with the evidence
//! for it, and the agency.
//!
//! Owns recognising title forms — `<机关><年份>年度?政府信息公开工作年度报告`, the year-first
//! `<年份>年<机关>政府信息公开工作年度报告`, `<机关>政府信息公开工作<年份>年度报告`, a title split over
//! two lines (agency, then the year line), or a title that exists only as the page's `<title>`
//! (site suffixes such as `_××人民政府门户网站` cut off) — the statistics period in its wordings,
//! and the agency from the title, the CMS 发布机构 field, or the introduction. It decides nothing
//! about whether a year is right; the year rules judge the mentions against what is read here.

use std::ops::Range;

use super::view::View;
use crate::input::Document;

/// The report's title as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// The title's text (normalised, no whitespace).
    pub text: String,
    /// Where it is: a range of `compact`, or `None` when it is the page's `<title>` only.
    pub range: Option<Range<usize>>,
    /// The year in the title and its `compact` range (when the title is in the content).
    pub year: Option<(i32, Option<Range<usize>>)>,
    /// What the title names besides the year: the agency.
    pub agency: Option<String>,
}

/// The statistics period (`统计期限自2024年1月1日起至2024年12月31日止`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub range: Range<usize>,
    pub start: (i32, Range<usize>),
    /// The end year when written (`至2024年12月31日`); often left out (`到12月31日止`).
    pub end: Option<(i32, Range<usize>)>,
}

/// Where the report year was read from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearSource {
    /// `--year` or `year =` in the configuration.
    Given,
    Title,
    Period,
    /// The page's `<title>` (no title in the text).
    PageTitle,
    /// The introduction's self-reference (`结合本机关2023年度政府信息公开工作编制`).
    Introduction,
    /// The year most statements of the year's work are led by (`2023年，…`).
    Statements,
    /// The CMS publication date, minus one (reports are published the year after).
    Published,
}

impl YearSource {
    pub fn describe(self) -> &'static str {
        match self {
            YearSource::Given => "指定的年度",
            YearSource::Title => "标题",
            YearSource::Period => "统计期限",
            YearSource::PageTitle => "网页标题",
            YearSource::Introduction => "开头说明",
            YearSource::Statements => "正文中多数“某年，”开头的叙述",
            YearSource::Published => "网页的发布日期",
        }
    }
}

/// The report year and what it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Year {
    pub year: i32,
    pub source: YearSource,
}

/// Where the agency's name was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencySource {
    Title,
    /// The CMS 发布机构 field.
    Publisher,
    /// `结合××局2023年度政府信息公开工作编制` in the introduction.
    Introduction,
}

/// `政府信息公开工作年度报告` and its shorter forms, `政府信息公开工作2023年度报告` among them: what
/// ends a title. Its byte range in `text`, the first there is.
fn anchor(text: &str) -> Option<Range<usize>> {
    text.match_indices("政府信息公开")
        .find_map(|(start, head)| {
            let mut at = start + head.len();
            let skip = |at: &mut usize, word: &str| {
                if text[*at..].starts_with(word) {
                    *at += word.len();
                }
            };
            skip(&mut at, "工作");
            let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
            if digits == 4 && text[at + 4..].starts_with('年') {
                at += 4 + "年".len();
                skip(&mut at, "度");
            }
            skip(&mut at, "年度");
            skip(&mut at, "工作");
            skip(&mut at, "的");
            text[at..]
                .starts_with("报告")
                .then(|| start..at + "报告".len())
        })
}

/// The year in a title: `2023年` or `2023年度` (the four digits before 年; an agency name that
/// ends in digits, separated by a space the compact view dropped, does not hide it).
fn year_in(text: &str) -> Option<(i32, Range<usize>)> {
    memchr::memmem::find_iter(text.as_bytes(), "年".as_bytes()).find_map(|at| {
        let start = at.checked_sub(4)?;
        let digits = text.get(start..at)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = digits.parse().ok()?;
        let end = at
            + "年".len()
            + if text[at + 3..].starts_with('度') {
                3
            } else {
                0
            };
        (1990..=2100).contains(&year).then_some((year, start..end))
    })
}

/// Endings that make a short line plausible as an agency's name on the line above a title.
const AGENCY_ENDINGS: &[&str] = &[
    "政府",
    "办公室",
    "办公厅",
    "局",
    "委员会",
    "委",
    "厅",
    "院",
    "署",
    "中心",
    "区",
    "县",
    "市",
    "镇",
    "乡",
    "街道",
    "管委会",
    "管理委员会",
    "办事处",
    "所",
    "处",
    "会",
    "馆",
    "站",
    "队",
    "部",
];

fn looks_like_agency(text: &str) -> bool {
    let n = text.chars().count();
    (2..=40).contains(&n) && AGENCY_ENDINGS.iter().any(|e| text.ends_with(e))
}

/// What a title names besides its year and the words `政府信息公开工作年度报告`.
fn agency_of(title: &str, year: Option<&Range<usize>>, anchor: Range<usize>) -> Option<String> {
    let mut name = String::with_capacity(title.len());
    for (at, c) in title.char_indices() {
        let in_year = year.is_some_and(|y| y.contains(&at));
        if !in_year && at < anchor.start {
            name.push(c);
        }
    }
    let mut name = name.trim_start_matches('#').to_owned();
    for prefix in ["关于", "《"] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest.to_owned();
        }
    }
    for suffix in ["关于", "的", "度"] {
        if let Some(rest) = name.strip_suffix(suffix) {
            name = rest.to_owned();
        }
    }
    (name.chars().count() >= 2 && name.chars().count() <= 40).then_some(name)
}

/// The title among the first lines, before the first heading: a short line with the title
/// words, joined with the line above when that line holds the agency and this one does not.
/// Lines of the document, from the top, in which the title is looked for.
const MAX_TITLE_LINE: usize = 24;

/// What separates a page's menu or breadcrumb from the title on one line.
const BREADCRUMB: &[char] = &['>', '》', '»', '|', ':'];

pub fn title(view: &View, first_heading: usize) -> Option<Title> {
    for (i, line) in view.lines.iter().enumerate() {
        // The title is among the first lines, before the first heading.
        // A crawled page's menu may take many short lines before it.
        if line.start >= first_heading || i >= MAX_TITLE_LINE {
            break;
        }
        let text = &view.compact[line.clone()];
        let Some(m) = anchor(text) else {
            if text.chars().count() > 80 {
                // The introduction: the title would have come before it.
                break;
            }
            continue;
        };
        // Menu or breadcrumb text before the title on its line (`首页>信息公开>…`,
        // `当前位置:…`): the title starts after the last of its separators.
        let cut = text[..m.start]
            .rmatch_indices(BREADCRUMB)
            .next()
            .map_or(0, |(at, sep)| at + sep.len());
        let line = &(line.start + cut..line.end);
        let text = &text[cut..];
        let m = m.start - cut..m.end - cut;
        if text.chars().count() > 80 {
            // The introduction: the title would have come before it.
            break;
        }
        let own_year = year_in(&text[..m.end]);
        let before = &text[..m.start];
        let before_without_year = own_year.as_ref().map_or(before.to_owned(), |(_, r)| {
            format!(
                "{}{}",
                &text[..r.start.min(m.start)],
                &text[r.end.min(m.start)..m.start]
            )
        });
        // A line above holding the agency: `××局` / `2022 年度政府信息公开工作年度报告`.
        let mut range = line.start..line.start + m.end;
        if before_without_year.trim_start_matches('#').is_empty()
            && i > 0
            && looks_like_agency(&view.compact[view.lines[i - 1].clone()])
        {
            range.start = view.lines[i - 1].start;
        }
        let joined = view.compact[range.clone()].to_owned();
        let offset = range.start;
        let anchor_at = m.start + (line.start - offset);
        let year = year_in(&joined);
        let agency = agency_of(
            &joined,
            year.as_ref().map(|(_, r)| r),
            anchor_at..joined.len(),
        );
        return Some(Title {
            text: joined,
            range: Some(range),
            year: year.map(|(y, r)| (y, Some(r.start + offset..r.end + offset))),
            agency,
        });
    }
    None
}

/// A title from the page's `<title>` or a CMS title field, when the text has none.
pub fn page_title(document: &Document) -> Option<Title> {
    document
        .meta
        .iter()
        .filter(|m| m.key == "title")
        .find_map(|m| {
            let text: String = super::script::simplify(&m.value)
                .chars()
                .filter_map(super::normalize::normalize_char)
                .filter(|c| !c.is_whitespace())
                .collect();
            let found = anchor(&text)?;
            // Site suffixes (`_××人民政府门户网站`) come after the title words.
            let text = text[..found.end].to_owned();
            let year = year_in(&text);
            let agency = agency_of(
                &text,
                year.as_ref().map(|(_, r)| r),
                found.start..text.len(),
            );
            Some(Title {
                year: year.map(|(y, _)| (y, None)),
                agency,
                text,
                range: None,
            })
        })
}

/// The statistics period: `2024年1月1日起至2024年12月31日`, `2019年1月1日到12月31日`,
/// `2024年度1月1日-…` (the first there is).
pub fn period(view: &View) -> Option<Period> {
    let text = view.compact.as_str();
    let four_digits_before = |end: usize| -> Option<(i32, Range<usize>)> {
        let start = end.checked_sub(4)?;
        let year = text.get(start..end)?.parse().ok()?;
        Some((year, start..end + "年".len()))
    };
    text.match_indices("1月1日").find_map(|(at, day)| {
        let before = &text[..at];
        let year_end = before
            .strip_suffix("年度")
            .or_else(|| before.strip_suffix('年'))?
            .len();
        let start = four_digits_before(year_end)?;
        // `21年1月1日` inside `2021年1月1日`: the digits before must be the whole year.
        if text[..start.1.start].ends_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let mut rest = at + day.len();
        if text[rest..].starts_with('起') {
            rest += '起'.len_utf8();
        }
        let joiner = ["至", "到", "-", "~"]
            .into_iter()
            .find(|j| text[rest..].starts_with(j))?;
        rest += joiner.len();
        let digits = text[rest..].bytes().take_while(u8::is_ascii_digit).count();
        let end = (digits == 4 && text[rest + 4..].starts_with('年'))
            .then(|| four_digits_before(rest + 4))
            .flatten();
        if end.is_some() {
            rest += 4 + "年".len();
        }
        text[rest..].starts_with("12月31日").then(|| Period {
            range: start.1.start..rest + "12月31日".len(),
            start,
            end,
        })
    })
}

/// The year the introduction names as the report's (`结合本机关2023年度政府信息公开工作编制`,
/// `现公布…2023年政府信息公开工作年度报告`), outside the title.
pub fn intro_year(
    view: &View,
    first_heading: usize,
    title: Option<&Range<usize>>,
) -> Option<(i32, Range<usize>)> {
    let intro = view.compact.get(..first_heading.min(view.compact.len()))?;
    intro.match_indices("政府信息公开").find_map(|(at, _)| {
        if title.is_some_and(|t| t.contains(&at)) {
            return None;
        }
        let before = intro[..at].trim_end_matches('的').trim_end_matches('度');
        let before = before.strip_suffix('年')?;
        let start = before.len().checked_sub(4)?;
        let year: i32 = before.get(start..)?.parse().ok()?;
        (1990..=2100)
            .contains(&year)
            .then_some((year, start..start + 4 + "年".len()))
    })
}

/// The year that most `YYYY年，` statements lead with (section 一 usually opens `2023年，我局…`).
pub fn statements_year(view: &View) -> Option<i32> {
    let mut counts: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
    // memmem, not `match_indices`: the whole view is scanned, and `str`'s two-way searcher
    // goes byte by byte (the same non-overlapping matches: `年,` cannot overlap itself).
    for at in memchr::memmem::find_iter(view.compact.as_bytes(), "年,".as_bytes()) {
        let Some(digits) = at.checked_sub(4).and_then(|s| view.compact.get(s..at)) else {
            continue;
        };
        if let Ok(year) = digits.parse::<i32>()
            && (2008..=2100).contains(&year)
        {
            *counts.entry(year).or_default() += 1;
        }
    }
    let (year, count) = counts.into_iter().max_by_key(|(y, n)| (*n, *y))?;
    (count >= 2).then_some(year)
}

/// The year before the page's publication date (发布日期 / 发文日期 / 成文日期), if it says one.
pub fn published_year(document: &Document) -> Option<i32> {
    document
        .meta
        .iter()
        .filter(|m| matches!(m.key.as_str(), "发布日期" | "发文日期" | "成文日期"))
        .find_map(|m| {
            let digits: String = m.value.chars().take_while(char::is_ascii_digit).collect();
            let year: i32 = digits.parse().ok()?;
            (2009..=2101).contains(&year).then_some(year - 1)
        })
}

/// The agency the CMS 发布机构 field names.
pub fn publisher(document: &Document) -> Option<String> {
    document
        .meta
        .iter()
        .find(|m| matches!(m.key.as_str(), "发布机构" | "发文机关" | "发文机构"))
        .map(|m| m.value.clone())
        .filter(|v| looks_like_agency(v))
}

/// Without a title line, the agency the introduction names: `结合绍兴市人民政府2019年度政府信息
/// 公开工作编制而成`.
pub fn intro_agency(view: &View, intro_end: usize) -> Option<String> {
    let intro = view.compact.get(..intro_end.min(view.compact.len()))?;
    // `NNNN年[度][的]政府信息公开`, and up to 30 characters before it back to a separator.
    let (year_at, _) = intro.match_indices("政府信息公开").find_map(|(at, _)| {
        let before = intro[..at].trim_end_matches('的').trim_end_matches('度');
        let before = before.strip_suffix('年')?;
        let digits = before.len().checked_sub(4)?;
        let year = before.get(digits..)?;
        year.bytes()
            .all(|b| b.is_ascii_digit())
            .then_some((digits, at))
    })?;
    let name: String = {
        let mut chars: Vec<char> = intro[..year_at]
            .chars()
            .rev()
            .take_while(|c| !",.;:()《》".contains(*c))
            .take(30)
            .collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let mut agency = name.as_str();
    for verb in ["结合", "根据", "由", "是", "为", "对", "现将", "按照"] {
        agency = agency.strip_prefix(verb).unwrap_or(agency);
    }
    looks_like_agency(agency).then(|| agency.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Format;

    fn read(text: &str) -> (View, Option<Title>) {
        let doc = Document::plain("t", Format::Text, text.to_owned());
        let view = View::new(&doc);
        let title = title(&view, view.compact.len());
        (view, title)
    }

    fn year_and_agency(text: &str) -> (Option<i32>, Option<String>) {
        let (_, t) = read(text);
        let t = t.expect("a title");
        (t.year.map(|(y, _)| y), t.agency)
    }

    #[test]
    fn title_forms() {
        let expect = |y: i32, a: &str| (Some(y), Some(a.to_owned()));
        assert_eq!(
            year_and_agency("# 青山区人民政府2023年政府信息公开工作年度报告\n"),
            expect(2023, "青山区人民政府")
        );
        assert_eq!(
            year_and_agency("2021年青山区财政局政府信息公开工作年度报告\n"),
            expect(2021, "青山区财政局")
        );
        assert_eq!(
            year_and_agency("青山区财政局\n2022 年度政府信息公开工作年度报告\n"),
            expect(2022, "青山区财政局")
        );
        assert_eq!(
            year_and_agency("青山区财政局政府信息公开工作2022年度报告\n"),
            expect(2022, "青山区财政局")
        );
        assert_eq!(
            year_and_agency(
                "首页 > 政务公开\n青山区人民政府办公室2024年度政府信息公开工作年度报告\n"
            ),
            expect(2024, "青山区人民政府办公室")
        );
    }

    #[test]
    fn the_period_keeps_both_years() {
        let (view, _) = read("统计期限自2023年1月1日至2021年12月31日止。\n");
        let p = period(&view).expect("period");
        assert_eq!((p.start.0, p.end.map(|e| e.0)), (2023, Some(2021)));
        let (view, _) = read("数据统计期限从2019年1月1日到12月31日止。\n");
        let p = period(&view).expect("period");
        assert_eq!((p.start.0, p.end), (2019, None));
    }

    #[test]
    fn the_page_title_loses_its_site_suffix() {
        let mut doc = Document::plain("t.html", Format::Html, String::new());
        doc.meta.push(crate::input::Meta {
            key: "title".into(),
            value: "2021年青山区财政局政府信息公开工作年度报告_青山区人民政府门户网站".into(),
            span: 0..0,
        });
        let t = page_title(&doc).expect("title");
        assert_eq!(t.text, "2021年青山区财政局政府信息公开工作年度报告");
        assert_eq!(t.agency.as_deref(), Some("青山区财政局"));
    }
}
