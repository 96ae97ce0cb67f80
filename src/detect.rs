//! Which files are reports: `lint` checks a file only if it is one, so that an editorial
//! repository's README, docs and CI configuration, and notes, are passed over.
//!
//! Owns two decisions, both made from cheap evidence the runner already has:
//!
//! - **by name**, before the file is read: what the `include` and `exclude` globs of
//!   `nianbao.toml` say about the file ([`Claim`]; the command line matches the globs against
//!   paths, `cli::scope`). `exclude` always wins; an excluded file is not even read.
//! - **by content**, after the file is read once and before it is linted ([`of_reading`],
//!   [`of_data`]): a report has its title (a line that is `…政府信息公开工作年度报告` with a year,
//!   among the first lines, or the page's `<title>`), or a statistics period, or at least two
//!   of the official section headings written with their numeral (`一、总体情况`,
//!   `二、主动公开政府信息情况` …); a data file has at least two of the data file's top-level
//!   keys (`年度`, `机关`, `申请情况` …).
//!
//! A file `include` claims that has none of this is an error (N003): an emptied report must not
//! pass. A file nothing claims that has none of it is passed over. This module decides; the
//! runner acts. It judges nothing about a report's content.

use crate::data::TOP_KEYS;
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};
use crate::reading::Reading;

/// The code this module reports.
pub const RULES: &[RuleInfo] = &[RuleInfo {
    code: "N003",
    name: "not-a-report",
    severity: Severity::Error,
    explain: "nianbao.toml 的 include 把这个文件列为报告，但它是空的，或其中没有报告的任何内容：没有报告标题（“××2023年政府信息公开工作年度报告”）、没有统计期限、没有两个以上带序号的部分标题；数据文件则没有 年度、机关、申请情况 等顶层键中的两个。被清空或误删内容的报告不能通过检查。不是报告的文件请从 include 中去掉，或列入 exclude。",
}];

/// How many of the official section headings a draft must have, when it has neither title nor
/// statistics period.
pub const MIN_HEADINGS: usize = 2;
/// How many of the data file's top-level keys a YAML file must have.
pub const MIN_DATA_KEYS: usize = 2;

/// Top-level keys named in messages.
const DATA_KEYS_NAMED: &str = "年度、机关、主动公开、申请情况";

/// Why a file looks like a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The report's title (`青山区人民政府2023年政府信息公开工作年度报告`).
    Title(String),
    /// The statistics period (`2023年1月1日至12月31日`).
    Period,
    /// Official section headings with their numerals, this many different ones.
    Headings(usize),
    /// The data file's top-level keys found.
    DataKeys(Vec<&'static str>),
}

/// Whether a draft, read, looks like an annual report.
pub fn of_reading(reading: &Reading) -> Option<Evidence> {
    if let Some(title) = reading.title.as_ref().filter(|t| is_title_line(reading, t)) {
        return Some(Evidence::Title(title.text.clone()));
    }
    if reading.period.is_some() {
        return Some(Evidence::Period);
    }
    let mut sections: Vec<usize> = reading
        .headings
        .iter()
        .filter(|h| h.numeral.is_some())
        .map(|h| h.section)
        .collect();
    sections.sort_unstable();
    sections.dedup();
    (sections.len() >= MIN_HEADINGS).then_some(Evidence::Headings(sections.len()))
}

/// A title read from the text counts when it names a year and its line ends with the title
/// words (or a bracketed remark after them): a sentence that mentions the report
/// (`本仓库存放…政府信息公开工作年度报告的草稿`) is no title. A page's `<title>` counts as it is.
fn is_title_line(reading: &Reading, title: &crate::reading::Title) -> bool {
    if title.year.is_none() {
        return false;
    }
    let Some(range) = &title.range else {
        return true;
    };
    let compact = &reading.view.compact;
    let line_end = reading
        .view
        .lines
        .iter()
        .find(|l| l.start <= range.end && range.end <= l.end)
        .map_or(range.end, |l| l.end);
    let rest = compact.get(range.end..line_end).unwrap_or("");
    rest.is_empty() || rest.starts_with(['(', '（', '[', '【', '<', '《'])
}

/// Whether a YAML file looks like a data file: at least [`MIN_DATA_KEYS`] of the top-level
/// keys, read from the lines that start a top-level key (so a file with YAML errors is still
/// recognised, and nothing is parsed twice).
pub fn of_data(text: &str) -> Option<Evidence> {
    let mut found: Vec<&'static str> = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}');
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, _)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']);
        if let Some(k) = TOP_KEYS.iter().find(|k| **k == key)
            && !found.contains(k)
        {
            found.push(k);
        }
    }
    (found.len() >= MIN_DATA_KEYS).then_some(Evidence::DataKeys(found))
}

/// Why a file is not taken for a report, for `--verbose`.
pub fn why_not(data_file: bool) -> String {
    if data_file {
        format!("不是数据文件（顶层没有 {DATA_KEYS_NAMED} 等键中的{MIN_DATA_KEYS}个）")
    } else {
        format!(
            "看起来不是年度报告（没有报告标题和统计期限，带序号的部分标题少于{MIN_HEADINGS}个）"
        )
    }
}

/// N003: a file `include` claims that has nothing of a report.
pub fn not_a_report(pattern: &str, empty: bool, data_file: bool) -> Diagnostic {
    let what = if empty {
        "文件是空的".to_owned()
    } else if data_file {
        format!("其中没有数据文件的内容（顶层没有 {DATA_KEYS_NAMED} 等键中的{MIN_DATA_KEYS}个）")
    } else {
        format!(
            "其中没有报告的任何内容（没有报告标题、统计期限，带序号的部分标题少于{MIN_HEADINGS}个）"
        )
    };
    Diagnostic::error(
        "N003",
        format!("按 nianbao.toml 的 include（“{pattern}”）这是一份报告，但{what}"),
    )
    .with_label(0..0, "文件开头")
    .with_note(
        "被清空的报告不能通过检查；若这个文件不是报告，请把它从 include 中去掉或列入 exclude",
    )
}

/// What the names say about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// `exclude` matches (the pattern as written): never checked, never read.
    Excluded(String),
    /// `include` matches: checked, and an error if it has nothing of a report.
    Included(String),
    /// Neither: checked if it looks like a report.
    Unclaimed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Document, Format};
    use crate::reading::{self, Overrides};

    fn evidence(text: &str) -> Option<Evidence> {
        let document = Document::plain("t.md", Format::Markdown, text.to_owned());
        of_reading(&reading::read(document, Overrides::default()))
    }

    #[test]
    fn a_draft_is_a_report_by_its_title_its_period_or_two_numbered_headings() {
        assert!(matches!(
            evidence("# 青山区人民政府2023年政府信息公开工作年度报告\n\n正文待写。\n"),
            Some(Evidence::Title(_))
        ));
        assert_eq!(
            evidence("本报告统计期限自2023年1月1日起至2023年12月31日止。\n"),
            Some(Evidence::Period)
        );
        assert_eq!(
            evidence("## 一、总体情况\n\n待写\n\n## 二、主动公开政府信息情况\n\n待写\n"),
            Some(Evidence::Headings(2))
        );
    }

    #[test]
    fn notes_and_readmes_are_not_reports() {
        for text in [
            "",
            "# 编辑部说明\n\n本仓库存放青山区人民政府2023年政府信息公开工作年度报告的草稿。\n",
            "# 修改意见\n\n## 总体情况\n\n数字要再核对。\n\n## 主动公开\n\n补充规章。\n",
            "# 会议记录\n\n一、总体情况部分需要重写。\n",
            "政府信息公开工作年度报告\n",
            "# Editorial repository\n\nRun `nianbao lint .` before you commit.\n",
        ] {
            assert_eq!(evidence(text), None, "{text}");
        }
    }

    #[test]
    fn a_data_file_is_recognised_by_its_top_level_keys_even_when_broken() {
        assert!(of_data("机关: 青山区人民政府\n年度: 2023\n").is_some());
        assert!(of_data("\u{feff}\"年度\": 2023\n申请情况: [\n").is_some());
        assert_eq!(
            of_data("site_name: 年报\nnav:\n  - 年度: x\n  - 机关: y\n"),
            None
        );
        assert_eq!(of_data("repos:\n  - repo: local\n"), None);
        assert_eq!(of_data("年度: 2023\n"), None, "one key is not enough");
    }
}
