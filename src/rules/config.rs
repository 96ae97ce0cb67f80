//! Configuration (`nianbao.toml`), handed in as text.
//!
//! Owns which rules run and at what severity: `select`/`ignore` by code or family prefix,
//! `[severity]` re-grading, the report year/edition for files that do not state them, the
//! publication deadline; and it carries, as written, what only the command line acts on: last
//! year's report, which files are reports by name (`include`/`exclude`) and the baseline file
//! (`cli::config` finds and reads the file, resolves the paths and compiles the globs). A
//! configuration is checked whole: an unknown key, a code or prefix that names no code
//! (`T10l`), a bad level or deadline is an error that names the closest real one — never a
//! silent no-op. Suppression comments are `rules::suppression`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use serde::Deserialize;

use super::pattern::{matches, unknown_pattern};
use super::registry::check_pattern;
use crate::diagnostics::{Diagnostic, Severity};

/// Unknown keys are not left to serde: [`Config::parse`] reports them all, with suggestions.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Config {
    /// Only these codes or prefixes run (all when empty).
    #[serde(default)]
    pub select: Vec<String>,
    /// These codes or prefixes never report.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Code or prefix → error | warning | info.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Report year for files that do not state it.
    #[serde(default)]
    pub year: Option<i32>,
    /// Edition for files that do not state it.
    #[serde(default)]
    pub edition: Option<u16>,
    /// Last year's report or data file, for the X1–X3 and X6–X8 rules; relative paths are
    /// relative to the configuration file.
    #[serde(default)]
    pub previous: Option<PathBuf>,
    /// Globs of files that are reports whatever they hold (an emptied one is an error, N003).
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files never checked; wins over `include`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The baseline file of accepted findings (relative to the configuration file).
    #[serde(default)]
    pub baseline: Option<PathBuf>,
    /// The publication deadline for data files (`"1月31日"` or `"3月31日"`), when the agency's
    /// name does not say it (D011); a data file's own 发布时限 wins.
    #[serde(default)]
    pub deadline: Option<String>,
}

/// The keys a configuration file may have.
const KEYS: [&str; 10] = [
    "select", "ignore", "severity", "year", "edition", "previous", "include", "exclude",
    "baseline", "deadline",
];

/// What `key` should hold, when `value` is not that.
fn wrong_type(key: &str, value: &toml::de::DeValue) -> Option<&'static str> {
    use toml::de::DeValue;
    let fits = match (key, value) {
        ("select" | "ignore" | "include" | "exclude", DeValue::Array(items)) => items
            .iter()
            .all(|i| matches!(i.get_ref(), DeValue::String(_))),
        ("severity", DeValue::Table(entries)) => entries
            .iter()
            .all(|(_, v)| matches!(v.get_ref(), DeValue::String(_))),
        ("year" | "edition", DeValue::Integer(_))
        | ("previous" | "baseline" | "deadline", DeValue::String(_)) => true,
        (
            "select" | "ignore" | "severity" | "year" | "edition" | "previous" | "include"
            | "exclude" | "baseline" | "deadline",
            _,
        ) => false,
        _ => true,
    };
    (!fits).then_some(match key {
        "select" | "ignore" => "代码或前缀的列表，例如 [\"T\", \"Y004\"]",
        "include" | "exclude" => "路径模式的列表，例如 [\"reports/**/*.md\"]",
        "severity" => "一节 [severity]，每行 代码 = \"error\"、\"warning\" 或 \"info\"",
        "year" => "4位数字年份，例如 2023",
        "edition" => "版式 2019 或 2021（数字）",
        "deadline" => "发布时限 \"1月31日\" 或 \"3月31日\"（加引号）",
        _ => "文件路径（加引号的文字）",
    })
}

/// One problem in a configuration's text: its line (0 when it has none) and the message line.
pub type Problem = (usize, String);

/// A problem at `at` (a byte range of `text`), its line named in the message.
pub fn located(text: &str, at: Option<Range<usize>>, what: String) -> Problem {
    match at {
        Some(span) => {
            let line = line_of(text, span.start);
            (line, format!("  第 {line} 行：{what}"))
        }
        None => (0, format!("  {what}")),
    }
}

/// Problems listed one per line, in the order of the file.
pub fn listed(mut problems: Vec<Problem>) -> String {
    problems.sort_by_key(|(line, _)| *line);
    problems
        .into_iter()
        .map(|(_, p)| p)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a value is written, for messages: its first occurrence in the text.
pub fn written_at(text: &str, value: &str) -> Option<Range<usize>> {
    text.find(&format!("\"{value}\""))
        .or_else(|| text.find(value))
        .map(|i| i..i)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

impl Config {
    /// Parses and checks a configuration's text; the problems, one per line, otherwise.
    pub fn parse(text: &str) -> Result<Config, String> {
        Self::check(text).map_err(listed)
    }

    /// [`Config::parse`], with the problems left as [`Problem`]s, so that a caller can add its
    /// own (the command line's globs) before they are listed.
    pub fn check(text: &str) -> Result<Config, Vec<Problem>> {
        let located = |at: Option<Range<usize>>, what: String| located(text, at, what);
        let document = toml::de::DeTable::parse(text)
            .map_err(|e| {
                located(
                    e.span(),
                    format!(
                        "不是合法的 TOML：{}",
                        crate::messages::toml_cause(e.message())
                    ),
                )
            })
            .map_err(|problem| vec![problem])?;
        let mut problems = Vec::new();
        for (key, value) in document.get_ref() {
            if let Some(expected) = wrong_type(key.get_ref(), value.get_ref()) {
                problems.push(located(
                    Some(value.span()),
                    format!("“{}”应为{expected}", key.get_ref()),
                ));
            }
            if !KEYS.contains(&key.get_ref().as_ref()) {
                let hint = crate::data::closest(key.get_ref(), KEYS).map_or_else(
                    || format!("可用的键：{}", KEYS.join("、")),
                    |k| format!("是否想写“{k}”？"),
                );
                problems.push(located(
                    Some(key.span()),
                    format!("未知的键“{}”；{hint}", key.get_ref()),
                ));
            }
        }
        // Unknown keys are reported above, so serde may ignore them; a type it still rejects is
        // one `wrong_type` did not foresee.
        let config: Config = match toml::from_str(text) {
            Ok(config) => config,
            Err(_) if !problems.is_empty() => return Err(problems),
            Err(e) => {
                return Err(vec![located(
                    e.span(),
                    crate::messages::toml_cause(e.message()),
                )]);
            }
        };
        let at = |pattern: &str| written_at(text, pattern);
        for (list, patterns) in [("select", &config.select), ("ignore", &config.ignore)] {
            for pattern in patterns {
                if let Err(closest) = check_pattern(pattern) {
                    problems.push(located(
                        at(pattern),
                        format!("{list} 中的{}", unknown_pattern(pattern, closest)),
                    ));
                }
            }
        }
        for (pattern, level) in &config.severity {
            if let Err(closest) = check_pattern(pattern) {
                problems.push(located(
                    at(pattern),
                    format!("[severity] 中的{}", unknown_pattern(pattern, closest)),
                ));
            }
            if Severity::parse(level).is_none() {
                problems.push(located(
                    at(pattern),
                    format!(
                        "[severity] 中 {pattern} 的级别“{level}”无效（可用 error、warning、info）"
                    ),
                ));
            }
        }
        if let Some(deadline) = &config.deadline
            && crate::data::Deadline::parse(deadline).is_none()
        {
            problems.push(located(
                at(deadline),
                format!("deadline 只能是 \"1月31日\" 或 \"3月31日\"，写的是“{deadline}”"),
            ));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// What the data-file loader takes from the configuration.
    pub fn data_options(&self) -> crate::data::Options {
        crate::data::Options {
            deadline: self
                .deadline
                .as_deref()
                .and_then(crate::data::Deadline::parse),
        }
    }

    /// Drops unselected or ignored findings and re-grades the rest.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| {
            (self.select.is_empty() || self.select.iter().any(|p| matches(p, &d.code)))
                && !self.ignore.iter().any(|p| matches(p, &d.code))
        });
        for d in diagnostics.iter_mut() {
            // The longest matching pattern wins: `T101` over `T`.
            if let Some(level) = self
                .severity
                .iter()
                .filter(|(p, _)| matches(p, &d.code))
                .max_by_key(|(p, _)| p.len())
                .and_then(|(_, l)| Severity::parse(l))
            {
                d.severity = level;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(code: &str, at: usize) -> Diagnostic {
        Diagnostic::error(code, "x").with_label(at..at + 1, "")
    }

    #[test]
    fn select_ignore_and_regrade_by_prefix() {
        let config: Config =
            toml::from_str("ignore = [\"Y\"]\n[severity]\nT = \"warning\"\nT101 = \"error\"\n")
                .expect("parses");
        let mut ds = vec![d("Y003", 0), d("T005", 0), d("T101", 0)];
        config.apply(&mut ds);
        let got: Vec<(&str, Severity)> = ds.iter().map(|d| (d.code.as_str(), d.severity)).collect();
        assert_eq!(
            got,
            [("T005", Severity::Warning), ("T101", Severity::Error)]
        );
    }

    #[test]
    fn a_configuration_is_checked_whole_and_names_the_closest_code() {
        let problems = Config::parse(
            "select = [\"T10l\"]\nignore = [\"Y\", \"Q\"]\n[severity]\nT005 = \"fatal\"\nZ999 = \"error\"\n",
        )
        .expect_err("invalid");
        let lines: Vec<&str> = problems.lines().collect();
        assert_eq!(lines.len(), 4, "{problems}");
        assert!(
            lines[0].contains("第 1 行") && lines[0].contains("T101"),
            "{problems}"
        );
        assert!(lines[1].contains("“Q”"), "{problems}");
        assert!(problems.contains("“fatal”无效"), "{problems}");
        assert!(problems.contains("“Z999”"), "{problems}");
        // Prefixes, whole codes, lower case and ALL are all codes.
        let ok = Config::parse("select = [\"T\", \"t1\", \"Y004\", \"all\", \"X\"]\n");
        assert!(ok.is_ok(), "{ok:?}");
        let typo = Config::parse("selct = [\"T\"]\nignore = [\"Y04\"]\n").expect_err("unknown key");
        assert!(typo.contains("“select”"), "{typo}");
        assert!(typo.contains("Y004"), "the rest is checked too: {typo}");
        let wrong = Config::parse("select = \"T\"\nyear = \"2023\"\n").expect_err("types");
        assert_eq!(wrong.lines().count(), 2, "{wrong}");
        assert!(wrong.contains("“select”应为代码或前缀的列表"), "{wrong}");
        assert!(wrong.contains("第 2 行：“year”应为4位数字年份"), "{wrong}");
        let syntax = Config::parse("select = [\"T\"\n").expect_err("not TOML");
        assert!(syntax.contains("不是合法的 TOML"), "{syntax}");
        let empty = Config::parse("select = [\"\"]\n").expect_err("empty pattern");
        assert!(empty.contains("不是检查代码"), "{empty}");
    }
}
