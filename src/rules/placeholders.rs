//! Rule S005: fill-in placeholders left in a report.
//!
//! Owns recognising the text a drafter was meant to replace: the `【待填写】` that `nianbao init`
//! writes (with the section hint after it), the hints on their own, other `【…】` fill-in
//! markers (`【请填写机关名称】`), the official blank template's `（文字描述）` and its kind of
//! bracketed instruction (`（此处填写…）`), and runs of `XXX`/`×××`/`＊＊＊` standing for a name
//! or a figure (`20XX年`). Works on the compact view, so full-width and half-width brackets,
//! letters and asterisks read alike, in every format. Real reports' brackets — `（一）`, `《…》`,
//! `（以下简称…）`, `【打印】` — are not placeholders: a bracket counts only when its words
//! ask for filling in.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem;

use super::{Context, RuleInfo};
use crate::data::PLACEHOLDER;
use crate::diagnostics::{Diagnostic, Severity};
use crate::reading::normalize::normalize_label;

pub const RULES: &[RuleInfo] = &[RuleInfo {
    code: "S005",
    name: "placeholder-text",
    severity: Severity::Error,
    explain: "报告中仍有待填写的占位文字：`nianbao init` 写入的“【待填写】”及其后的提示语、其他“【…】”填写标记（如“【请填写机关名称】”）、官方空白模板的“（文字描述）”和“（此处填写…）”一类说明、代替名称或数字的“XXX”“×××”“＊＊＊”“20XX年”。发布前须替换为实际内容。“（一）”“《…》”“（以下简称…）”等正常括号不在此列。",
}];

/// Words inside `【…】` that make it a fill-in marker.
const FILL_WORDS: [&str; 12] = [
    "待填",
    "填写",
    "请填",
    "填报",
    "待补",
    "补充",
    "待定",
    "待核",
    "此处",
    "文字描述",
    "文字说明",
    "XX",
];

/// How a parenthesised instruction of a blank template starts (after `(`).
const INSTRUCTIONS: [&str; 8] = [
    "文字描述",
    "文字说明",
    "此处填写",
    "此处",
    "请填写",
    "请填",
    "填写",
    "待填写",
];

/// The longest bracket content read as a marker, in bytes (twenty characters).
const MARKER_LIMIT: usize = 60;

/// The section hints `nianbao init` writes after its placeholder, as the compact view reads
/// them, longest first, each with its searcher (built once per run, not once per file).
fn hints() -> &'static [(String, memmem::Finder<'static>)] {
    static HINTS: LazyLock<Vec<(String, memmem::Finder<'static>)>> = LazyLock::new(|| {
        let mut hints = every_hint();
        sorted_unique(&mut hints);
        hints
            .into_iter()
            .map(|h| {
                let finder = memmem::Finder::new(h.as_bytes()).into_owned();
                (h, finder)
            })
            .collect()
    });
    &HINTS
}

/// Every edition's section hints, normalised, the empty ones left out (with their copies: the
/// editions share most hints).
fn every_hint() -> Vec<String> {
    crate::edition::all()
        .iter()
        .flat_map(|e| e.sections.iter())
        .map(|s| normalize_label(&s.hint))
        .filter(|h| !h.is_empty())
        .collect()
}

/// Sorts `hints` longest first (stably) and drops every later copy of a hint. Editions share
/// most hints, and equal-length hints of one edition stand between the copies, so the former
/// `dedup` (adjacent copies only) left them in: each copy was one more scan of every report, and
/// a copy could never add a finding (all its matches were already covered by the first copy's).
fn sorted_unique(hints: &mut Vec<String>) {
    hints.sort_by_key(|h| std::cmp::Reverse(h.len()));
    let mut seen = std::collections::BTreeSet::new();
    hints.retain(|h| seen.insert(h.clone()));
}

/// `nianbao init`'s placeholder as the compact view reads it.
fn placeholder() -> &'static str {
    static PLACEHOLDER_LABEL: LazyLock<String> = LazyLock::new(|| normalize_label(PLACEHOLDER));
    &PLACEHOLDER_LABEL
}

/// Adds to `found` every match of `hints` (in their order) that does not start inside a
/// placeholder found before it.
fn mark_hints(
    compact: &str,
    hints: &[(String, memmem::Finder<'_>)],
    found: &mut BTreeMap<usize, usize>,
) {
    for (hint, finder) in hints {
        for at in finder.find_iter(compact.as_bytes()) {
            let covered = found
                .range(..=at)
                .next_back()
                .is_some_and(|(_, &end)| at < end);
            if !covered {
                found.insert(at, at + hint.len());
            }
        }
    }
}

/// Whether `c` stands in a run for a name or figure.
fn mask(c: char) -> bool {
    matches!(c, 'X' | 'x' | '×' | '*')
}

/// Every placeholder in `compact`: its range and the text to quote.
pub fn find(compact: &str) -> Vec<Range<usize>> {
    // Found so far, by start: a later match inside one of them is part of it.
    let mut found: BTreeMap<usize, usize> = BTreeMap::new();
    let placeholder = placeholder();
    let covered = |found: &BTreeMap<usize, usize>, at: usize| {
        found
            .range(..=at)
            .next_back()
            .is_some_and(|(_, &end)| at < end)
    };
    // 【…】 and (…) markers; 【待填写】 takes the hint after it.
    for (open, close) in [('【', '】'), ('(', ')')] {
        // memmem, not `match_indices(char)`: core searches for a character's last byte, which
        // most Chinese characters share with 【.
        let mut buf = [0; 4];
        let needle = open.encode_utf8(&mut buf).as_bytes();
        for at in memchr::memmem::find_iter(compact.as_bytes(), needle) {
            let inner_start = at + open.len_utf8();
            let Some(len) = compact[inner_start..]
                .char_indices()
                .take_while(|&(i, _)| i <= MARKER_LIMIT)
                .find(|&(_, c)| c == close || c == open)
                .filter(|&(_, c)| c == close)
                .map(|(i, _)| i)
            else {
                continue;
            };
            let inner = &compact[inner_start..inner_start + len];
            let end = inner_start + len + close.len_utf8();
            let marker = if open == '【' {
                FILL_WORDS.iter().any(|w| inner.contains(w))
            } else {
                INSTRUCTIONS.iter().any(|w| inner.starts_with(w))
            };
            if !marker || covered(&found, at) {
                continue;
            }
            let mut range = at..end;
            if &compact[at..end] == placeholder
                && let Some((hint, _)) = hints()
                    .iter()
                    .find(|(h, _)| compact[end..].starts_with(h.as_str()))
            {
                range.end += hint.len();
            }
            found.insert(range.start, range.end);
        }
    }
    // The hints alone, once the marker before them was deleted.
    mark_hints(compact, hints(), &mut found);
    // XXX, ×××, ***: three or more, not part of a word; 20XX年 with two.
    // Only bytes that can start a mask character are looked at: `X`, `x`, `*`, and 0xC3,
    // the first byte of `×` (and of other Latin-1 letters, read and passed over).
    let bytes = compact.as_bytes();
    let (mut ascii, mut latin) = (
        memchr::memchr3_iter(b'X', b'x', b'*', bytes).peekable(),
        memchr::memchr_iter(0xC3, bytes).peekable(),
    );
    let mut from = 0;
    loop {
        while ascii.next_if(|&i| i < from).is_some() {}
        while latin.next_if(|&i| i < from).is_some() {}
        let start = match (ascii.peek(), latin.peek()) {
            (Some(&a), Some(&l)) => a.min(l),
            (Some(&a), None) => a,
            (None, Some(&l)) => l,
            (None, None) => break,
        };
        let mut count = 0;
        let mut end = start;
        for d in compact[start..].chars() {
            if !mask(d) {
                break;
            }
            end += d.len_utf8();
            count += 1;
        }
        if count == 0 {
            from = start + 1;
            continue;
        }
        from = end;
        let before = compact[..start].chars().next_back();
        let after = compact[end..].chars().next();
        let in_word = before.is_some_and(|b| b.is_ascii_alphabetic())
            || after.is_some_and(|a| a.is_ascii_alphabetic());
        let year = count == 2
            && (compact[..start].ends_with("20") || compact[..start].ends_with("19"))
            && after == Some('年');
        if (count >= 3 || year) && !in_word && !covered(&found, start) {
            let start = if year { start - 2 } else { start };
            found.insert(start, end);
        }
    }
    found.into_iter().map(|(start, end)| start..end).collect()
}

pub fn check(cx: &mut Context) {
    let reading = cx.reading;
    let compact = reading.view.compact.as_str();
    // A line of nothing but asterisks or crosses is a separator, not a placeholder.
    let separator = |r: &Range<usize>| {
        reading.view.line_of(r.start).is_some_and(|l| {
            let line = &reading.view.lines[l];
            compact[line.clone()].chars().all(|c| mask(c) || c == '-')
        })
    };
    for range in find(compact) {
        if separator(&range) {
            continue;
        }
        let written = reading.source(range.clone()).to_owned();
        let shown: String = if written.chars().count() > 24 {
            written.chars().take(20).chain("…".chars()).collect()
        } else {
            written
        };
        cx.push(
            Diagnostic::error("S005", format!("报告中仍有占位文字“{shown}”，发布前须填写"))
                .with_label(reading.span(range), "占位文字"),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use memchr::memmem;

    use super::{every_hint, find, hints, mark_hints};
    use crate::input::Format;
    use crate::reading::normalize::normalize_label;
    use crate::rules::testing::lint_text;

    fn placeholders(text: &str) -> Vec<String> {
        let compact = crate::reading::normalize::normalize_label(text);
        find(&compact)
            .into_iter()
            .map(|r| compact[r].to_owned())
            .collect()
    }

    #[test]
    fn fill_in_markers_are_found() {
        assert_eq!(placeholders("一、总体情况【待填写】"), ["【待填写】"]);
        assert_eq!(
            placeholders("本机关【请填写机关名称】在本年度"),
            ["【请填写机关名称】"]
        );
        assert_eq!(placeholders("一、总体情况（文字描述）"), ["(文字描述)"]);
        assert_eq!(
            placeholders("（此处填写主动公开情况）"),
            ["(此处填写主动公开情况)"]
        );
        assert_eq!(placeholders("XXX局收到申请xxx件"), ["XXX", "xxx"]);
        assert_eq!(placeholders("由×××负责，＊＊＊件"), ["×××", "***"]);
        assert_eq!(placeholders("20XX年政府信息公开"), ["20XX"]);
        // Latin-1 letters share their first byte with ×.
        assert_eq!(placeholders("café×××件，Ã××"), ["×××"]);
        assert_eq!(placeholders("XX*x，x"), ["XX*x"]);
    }

    #[test]
    fn the_init_placeholder_takes_its_hint() {
        let text =
            "【待填写】写明本年度工作存在的主要问题、上年度问题的整改情况和下一年度的改进措施。";
        let found = placeholders(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("【待填写】写明"), "{found:?}");
        // The hint alone, the marker deleted.
        let found = placeholders(
            "写明本年度工作存在的主要问题、上年度问题的整改情况和下一年度的改进措施。",
        );
        assert_eq!(found.len(), 1, "{found:?}");
    }

    /// The hints as `hints()` built them before `sorted_unique`: sorted longest first, and
    /// only adjacent copies dropped.
    fn hints_as_before() -> Vec<String> {
        let mut hints = every_hint();
        hints.sort_by_key(|h| std::cmp::Reverse(h.len()));
        hints.dedup();
        hints
    }

    fn finders(hints: &[String]) -> Vec<(String, memmem::Finder<'static>)> {
        hints
            .iter()
            .map(|h| (h.clone(), memmem::Finder::new(h.as_bytes()).into_owned()))
            .collect()
    }

    #[test]
    fn each_hint_is_searched_once_and_finds_what_the_copies_found() {
        let before = hints_as_before();
        let now: Vec<String> = hints().iter().map(|(h, _)| h.clone()).collect();
        // The same hints, in the same order of first appearance, without copies.
        let mut expected = before.clone();
        let mut seen = std::collections::BTreeSet::new();
        expected.retain(|h| seen.insert(h.clone()));
        assert_eq!(now, expected);
        assert!(now.len() <= before.len());
        // What the hint pass marks is the same with and without the copies, on texts made of
        // the hints: alone, twice, glued, cut short, overlapping one another, after markers.
        let (before, now) = (finders(&before), finders(&now));
        let mut texts = vec![String::new(), "正文。".to_owned()];
        for (i, (a, _)) in now.iter().enumerate() {
            let (b, _) = &now[(i + 1) % now.len()];
            let half: String = a.chars().take(a.chars().count() / 2).collect();
            texts.push(a.clone());
            texts.push(format!("前文{a}{a}后文"));
            texts.push(format!("{a}{b}{half}"));
            texts.push(format!("{half}{a}【待填写】{b}"));
            let tail: String = a.chars().skip(2).collect();
            texts.push(format!("{b}{tail}{a}"));
        }
        texts.push(now.iter().map(|(h, _)| h.as_str()).collect());
        for text in &texts {
            let compact = normalize_label(text);
            let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
            mark_hints(&compact, &before, &mut old);
            mark_hints(&compact, &now, &mut new);
            assert_eq!(old, new, "{text}");
        }
    }

    #[test]
    fn ordinary_brackets_are_not_placeholders() {
        for text in [
            "（一）主动公开。（二）依申请公开。",
            "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）",
            "【打印】【关闭】【字体：大 中 小】",
            "（2）",
            "（单位：万元）",
            "3×3的表格，XL号",
            "访问www.example.gov.cn",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        ] {
            assert_eq!(placeholders(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn each_placeholder_is_one_error_with_its_span() {
        let text = "# 青山区2023年政府信息公开工作年度报告\n\n## 一、总体情况\n\n【待填写】本局XXX。\n\n## 二、主动公开政府信息情况\n\n（文字描述）\n";
        let found: Vec<_> = lint_text(text, Format::Markdown)
            .into_iter()
            .filter(|d| d.code == "S005")
            .collect();
        let spans: Vec<&str> = found
            .iter()
            .map(|d| &text[d.labels[0].span.clone()])
            .collect();
        assert_eq!(spans, ["【待填写】", "XXX", "（文字描述）"]);
        // A line of asterisks is a separator.
        let text = "# 青山区2023年政府信息公开工作年度报告\n\n******\n\n正文。\n";
        assert!(
            !lint_text(text, Format::Text)
                .iter()
                .any(|d| d.code == "S005")
        );
    }
}
