//! Where the six sections of a report are: heading lines matched against the edition's titles,
//! and headings run into the text when a crawler or CMS export put the report on one line.
//!
//! Owns heading recognition only. A heading is a line that is, after normalisation and without
//! Markdown markers, `一、总体情况`, a known variant, or the bare title (`总体情况`). Table rows such
//! as `三、本年度办理结果` start with the same numerals but are not section titles. When a section
//! has no heading line, its numbered title (`二、主动公开政府信息情况`) is looked for inside the
//! lines, after the previous section's heading: that is how a one-line report is read.

use std::ops::Range;

use super::normalize::normalize_label;
use super::view::View;
use crate::edition::Edition;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Index into `edition.sections`.
    pub section: usize,
    /// The heading's range in the view's `compact` text.
    pub range: Range<usize>,
    /// The official heading, character for character (after normalisation).
    pub exact: bool,
    /// The numeral written before the title, if any.
    pub numeral: Option<String>,
    /// Found inside a line rather than as a line of its own.
    pub inline: bool,
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// The numeral is borrowed: it is copied only for a line that turns out to be a heading (most
/// lines this is asked about are not).
fn strip_numeral(key: &str) -> (Option<&'static str>, &str) {
    // Each numeral is one character: the one the key starts with (or, after `(`, the one in
    // brackets) is looked up, rather than every numeral tried as a prefix in turn.
    let numeral = |c: char| NUMERALS.iter().copied().find(|n| n.starts_with(c));
    let mut chars = key.chars();
    match chars.next() {
        Some('(') => {
            if let Some(c) = chars.next()
                && let Some(n) = numeral(c)
                && let Some(rest) = key['('.len_utf8() + c.len_utf8()..].strip_prefix(')')
            {
                return (Some(n), rest);
            }
            (None, key)
        }
        Some(c) => match numeral(c) {
            Some(n) => {
                let rest = &key[c.len_utf8()..];
                // A heading whose 、 was lost (`一总体情况`) keeps the rest as it is: the caller
                // accepts it only when the rest is a section's title.
                (Some(n), rest.strip_prefix(['.', ',', ' ']).unwrap_or(rest))
            }
            None => (None, key),
        },
        None => (None, key),
    }
}

/// Normalised titles (official and variants) of each section, and the official headings.
struct Titles {
    official: Vec<String>,
    titles: Vec<Vec<String>>,
    /// Each title's section (the first section that has it), for the lookup of every short
    /// line: hashed rather than compared with every title in turn.
    section_of: rustc_hash::FxHashMap<String, usize>,
}

impl Titles {
    /// The titles of `edition`, normalised once per run (they were normalised again for
    /// every report, forty strings each time).
    fn of(edition: &Edition) -> &'static Titles {
        static ALL: std::sync::OnceLock<Vec<std::sync::OnceLock<Titles>>> =
            std::sync::OnceLock::new();
        crate::edition::derived(&ALL, edition, Titles::new)
    }

    fn new(edition: &Edition) -> Titles {
        let titles: Vec<Vec<String>> = edition
            .sections
            .iter()
            .map(|s| {
                std::iter::once(&s.title)
                    .chain(&s.variants)
                    .map(|t| normalize_label(t))
                    .collect()
            })
            .collect();
        let mut section_of = rustc_hash::FxHashMap::default();
        for (section, own) in titles.iter().enumerate() {
            for title in own {
                section_of.entry(title.clone()).or_insert(section);
            }
        }
        Titles {
            official: edition
                .sections
                .iter()
                .map(|s| normalize_label(&s.heading()))
                .collect(),
            titles,
            section_of,
        }
    }
}

/// The longest line read as a heading, in characters.
const HEADING_CHARS: usize = 40;

/// Whether `key` is too long to be a heading: more than [`HEADING_CHARS`] characters. Told by
/// its length in bytes where that settles it (a character is one to four bytes), so that the
/// characters of a paragraph are not counted to learn that it is one.
fn too_long_for_heading(key: &str) -> bool {
    key.len() > HEADING_CHARS * 4
        || (key.len() > HEADING_CHARS && key.chars().count() > HEADING_CHARS)
}

/// All headings, in order of appearance.
pub fn headings(view: &View, edition: &Edition) -> Vec<Heading> {
    let titles = Titles::of(edition);
    let mut found = Vec::new();
    for line in &view.lines {
        let key = &view.compact[line.clone()];
        let hashes = key.len() - key.trim_start_matches('#').len();
        let key = key
            .trim_start_matches('#')
            .trim_end_matches(['.', ':', ',']);
        if key.is_empty() || too_long_for_heading(key) {
            continue;
        }
        let (numeral, rest) = strip_numeral(key);
        let Some(&section) = titles.section_of.get(rest) else {
            continue;
        };
        let full = &view.compact[line.start + hashes..line.end];
        found.push(Heading {
            section,
            range: line.clone(),
            exact: titles.official[section] == full,
            numeral: numeral.map(str::to_owned),
            inline: false,
        });
    }
    if found
        .iter()
        .map(|h| h.section)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        < edition.sections.len()
    {
        misspelt_headings(view, edition, titles, &mut found);
        inline_headings(view, edition, titles, &mut found);
    }
    found
}

/// How many edits a title may be off and still be read as that section's (a typo such as
/// `行政法复议` for `行政复议`): one per eight characters, at least one.
///
/// Lines whose length alone puts them further off are passed over without computing the
/// distance (it is at least the difference in length): most lines of a report are prose.
fn close_to(written: &str, title: &str) -> bool {
    let len = title.chars().count();
    let most = (len / 8).max(1);
    len >= 4
        && written.chars().count().abs_diff(len) <= most
        && strsim::levenshtein(written, title) <= most
}

/// Heading lines of sections not otherwise found whose title is a few edits off the official
/// one, numbered as that section (`四、政府信息公开行政法复议、行政诉讼情况`) or, unnumbered, placed
/// where it belongs (after the section before it, before the one after it). Read as the
/// section with `exact: false`, so the title is reported as non-standard, not the section as
/// missing.
fn misspelt_headings(view: &View, edition: &Edition, titles: &Titles, found: &mut Vec<Heading>) {
    let missing: Vec<usize> = (0..edition.sections.len())
        .filter(|&i| !found.iter().any(|h| h.section == i))
        .collect();
    let mut added = Vec::new();
    for line in &view.lines {
        let key = &view.compact[line.clone()];
        let key = key
            .trim_start_matches('#')
            .trim_end_matches(['.', ':', ',']);
        if key.is_empty() || too_long_for_heading(key) {
            continue;
        }
        let (numeral, rest) = strip_numeral(key);
        let placed = |section: usize| {
            let before = found
                .iter()
                .filter(|h| h.section < section)
                .all(|h| h.range.end <= line.start);
            let after = found
                .iter()
                .filter(|h| h.section > section)
                .all(|h| h.range.start >= line.end);
            before && after
        };
        let Some(&section) = missing.iter().find(|&&i| {
            let numbered = numeral == Some(edition.sections[i].number.as_str());
            (numbered || (numeral.is_none() && placed(i)))
                && !added.iter().any(|h: &Heading| h.section == i)
                && titles.titles[i].iter().any(|t| close_to(rest, t))
        }) else {
            continue;
        };
        added.push(Heading {
            section,
            range: line.clone(),
            exact: false,
            numeral: numeral.map(str::to_owned),
            inline: false,
        });
    }
    found.extend(added);
    found.sort_by_key(|h| h.range.start);
}

/// Numbered titles inside lines (`…工作。二、主动公开政府信息情况（一）…`), for sections without a
/// heading line: each looked for after the heading of the section before it.
fn inline_headings(view: &View, edition: &Edition, titles: &Titles, found: &mut Vec<Heading>) {
    let mut after = 0;
    let mut added = Vec::new();
    for (section, s) in edition.sections.iter().enumerate() {
        if let Some(h) = found.iter().find(|h| h.section == section) {
            after = after.max(h.range.end);
            continue;
        }
        let numeral = s.number.as_str();
        // With its 、 or, in text a crawler glued together, without it (`四政府信息公开…`).
        let hit = titles.titles[section].iter().find_map(|title| {
            [format!("{numeral}.{title}"), format!("{numeral}{title}")]
                .into_iter()
                .find_map(|needle| {
                    view.compact
                        .get(after..)?
                        .find(&needle)
                        .map(|at| (after + at..after + at + needle.len(), needle))
                })
        });
        let Some((range, needle)) = hit else {
            continue;
        };
        after = range.end;
        added.push(Heading {
            section,
            exact: titles.official[section] == needle,
            range,
            numeral: Some(numeral.to_owned()),
            inline: true,
        });
    }
    found.extend(added);
    found.sort_by_key(|h| h.range.start);
}

/// The `compact` range each section covers: from its first heading to the next heading.
pub fn extents(view: &View, headings: &[Heading], sections: usize) -> Vec<Option<Range<usize>>> {
    let mut out = vec![None; sections];
    for (i, h) in headings.iter().enumerate() {
        if out[h.section].is_some() {
            continue;
        }
        let end = headings
            .get(i + 1)
            .map_or(view.compact.len(), |n| n.range.start);
        out[h.section] = Some(h.range.end..end.max(h.range.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length check only spares computing distances: `close_to` says what the distance
    /// alone says, for titles and lines shorter, longer and as long, a few edits apart.
    #[test]
    fn close_to_agrees_with_the_distance_alone() {
        let titles = [
            "总体情况",
            "主动公开政府信息情况",
            "政府信息公开行政复议、行政诉讼情况",
            "存在的主要问题及改进情况",
            "其他需要报告的事项",
        ];
        for title in titles {
            let chars: Vec<char> = title.chars().collect();
            let mut lines = vec![String::new(), "一".to_owned(), format!("{title}{title}")];
            for cut in 0..=4.min(chars.len()) {
                lines.push(chars[cut..].iter().collect());
                lines.push(chars[..chars.len() - cut].iter().collect());
                lines.push(format!("{}{title}", "报".repeat(cut)));
                lines.push(format!("{title}{}", "告".repeat(cut)));
                let mut swapped = chars.clone();
                for c in swapped.iter_mut().take(cut) {
                    *c = '某';
                }
                lines.push(swapped.into_iter().collect());
            }
            for line in &lines {
                let len = title.chars().count();
                let by_distance = len >= 4 && strsim::levenshtein(line, title) <= (len / 8).max(1);
                assert_eq!(close_to(line, title), by_distance, "{line} / {title}");
            }
        }
        assert!(close_to("政府信息公开行政法复议、行政诉讼情况", titles[2]));
    }

    /// `strip_numeral` as first written, every numeral tried as a prefix: the reference.
    fn strip_by_prefixes(key: &str) -> (Option<&'static str>, &str) {
        for n in NUMERALS {
            if let Some(rest) = key.strip_prefix(n)
                && let Some(rest) = rest.strip_prefix(['.', ',', ' '])
            {
                return (Some(n), rest);
            }
            if let Some(rest) = key
                .strip_prefix('(')
                .and_then(|k| k.strip_prefix(n))
                .and_then(|k| k.strip_prefix(')'))
            {
                return (Some(n), rest);
            }
        }
        for n in NUMERALS {
            if let Some(rest) = key.strip_prefix(n) {
                return (Some(n), rest);
            }
        }
        (None, key)
    }

    proptest::proptest! {
        #[test]
        fn numerals_are_stripped_as_by_prefixes(key in "[(一三十()., 总a]{0,5}") {
            proptest::prop_assert_eq!(strip_numeral(&key), strip_by_prefixes(&key));
        }

        /// The byte-length shortcut says what counting the characters says, for lines of one-
        /// to four-byte characters around the limit.
        #[test]
        fn heading_length_is_told_as_by_counting(key in "[a情é😀]{0,60}") {
            proptest::prop_assert_eq!(too_long_for_heading(&key), key.chars().count() > HEADING_CHARS);
        }
    }
    use crate::input::{Document, Format};

    fn found(text: &str) -> Vec<(usize, bool, bool)> {
        let doc = Document::plain("t", Format::Text, text.to_owned());
        let view = View::new(&doc);
        let edition = crate::edition::by_number(2021).expect("2021");
        headings(&view, edition)
            .into_iter()
            .map(|h| (h.section, h.exact, h.inline))
            .collect()
    }

    #[test]
    fn heading_lines_and_variants() {
        assert_eq!(
            found("一、总体情况\n正文\n## 二、主动公开政府信息情况\n六、其它需要报告的事项。\n"),
            [(0, true, false), (1, true, false), (5, false, false)]
        );
        // Table 三's row labels are not headings.
        assert_eq!(found("三、本年度办理结果\n四、结转下年度继续办理\n"), []);
        // Without 、 (a crawler dropped it) or with the wrong numeral: the official words decide.
        assert_eq!(
            found("一总体情况\n正文\n五存在的主要问题及改进情况\n七、其他需要报告的事项\n"),
            [(0, false, false), (4, false, false), (5, false, false)]
        );
    }

    #[test]
    fn a_misspelt_title_numbered_or_placed_as_its_section_is_that_section() {
        let text = "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政法复议、行政诉讼情况\n存在的主要问提及改进情况\n六、其他需要报告的事项\n";
        assert_eq!(
            found(text),
            [
                (0, true, false),
                (1, true, false),
                (2, true, false),
                (3, false, false),
                (4, false, false),
                (5, true, false)
            ]
        );
        // Numbered as another section, or too far off: not a heading.
        assert_eq!(
            found("一、总体情况\n二、政府信息公开行政法复议、行政诉讼情况\n三、本年度办理情况\n"),
            [(0, true, false)]
        );
    }

    #[test]
    fn headings_run_into_one_line_are_found_in_order() {
        let one_line = "一、总体情况 本机关……。二、主动公开政府信息情况 表… 三、收到和处理政府信息公开申请情况 三、本年度办理结果 … 四、政府信息公开行政复议、行政诉讼情况 … 五、存在的主要问题及改进情况 … 六、其他需要报告的事项 无。";
        let sections: Vec<usize> = found(one_line).into_iter().map(|(s, ..)| s).collect();
        assert_eq!(sections, [0, 1, 2, 3, 4, 5]);
        let glued = "一总体情况本机关……。二主动公开政府信息情况表… 三收到和处理政府信息公开申请情况 四、结转下年度继续办理1001002四政府信息公开行政复议、行政诉讼情况… 五存在的主要问题及改进情况… 六其他需要报告的事项无。";
        let sections: Vec<usize> = found(glued).into_iter().map(|(s, ..)| s).collect();
        assert_eq!(sections, [0, 1, 2, 3, 4, 5]);
    }
}
