//! Configuration (`nianbao.toml`) and suppression comments in drafts.
//!
//! Owns which rules run and at what severity: `select`/`ignore` by code or family prefix,
//! `[severity]` re-grading, the report year/edition for files that do not state them, last
//! year's report, which files are reports by name (`include`/`exclude`, compiled by
//! `crate::detect`) and the baseline file; paths are relative to the configuration file. A
//! configuration is checked whole when it is read: an unknown key, a code or prefix that
//! names no code (`T10l`), or a glob that is none, is an error that names the closest real one
//! — never a silent no-op.
//! Inline, `<!-- nianbao-disable-next-line CODE -->` and `<!-- nianbao-disable CODE -->` …
//! `<!-- nianbao-enable CODE -->` silence findings in Markdown, HTML and plain text (codes separated by
//! spaces or commas); a comment that cannot work is a warning at the comment (N002).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::RuleInfo;
use super::registry::check_pattern;
use crate::detect::{Globs, Scope};
use crate::diagnostics::{Diagnostic, Severity};
use crate::input::Format as Kind;

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
    /// `include` and `exclude` compiled, with the folder they are relative to.
    #[serde(skip)]
    pub scope: Scope,
}

fn matches(pattern: &str, code: &str) -> bool {
    let pattern = pattern.trim().to_uppercase();
    pattern == "ALL" || code.starts_with(&pattern)
}

/// The rule of this module: a suppression comment that names no real code, or is misspelt.
pub const RULES: &[RuleInfo] = &[RuleInfo {
    code: "N002",
    name: "bad-suppression-comment",
    severity: Severity::Warning,
    explain: "`nianbao-disable…` 注释写错了：指令名不对（应为 nianbao-disable-next-line、nianbao-disable 或 nianbao-enable），或其中的代码不是任何检查代码，也不是代码前缀（诊断给出最接近的代码）。这样的注释什么也不会屏蔽。多个代码可用空格或逗号分隔。",
}];

/// The keys a configuration file may have.
const KEYS: [&str; 10] = [
    "select", "ignore", "severity", "year", "edition", "previous", "include", "exclude",
    "baseline", "deadline",
];

/// The message for a pattern that names no code.
fn unknown_pattern(pattern: &str, closest: &str) -> String {
    format!("“{pattern}”不是检查代码，也不是代码前缀；最接近的代码是 {closest}")
}

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

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

impl Config {
    /// Reads a config file and checks it whole: every unknown key, unknown code or bad level
    /// is reported, each with its line, in one error.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!(
                "无法读取配置 {}：{}",
                path.display(),
                crate::files::describe_io_error(&e)
            )
        })?;
        let mut config = Self::parse(&text)
            .map_err(|problems| anyhow::anyhow!("配置 {} 有误：\n{problems}", path.display()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        for file in [&mut config.previous, &mut config.baseline]
            .into_iter()
            .flatten()
        {
            if file.is_relative() {
                *file = dir.join(&*file);
            }
        }
        config.scope.root = crate::files::absolute(path).parent().map(Path::to_path_buf);
        Ok(config)
    }

    /// Parses and checks a configuration's text; the problems, one per line, otherwise.
    pub fn parse(text: &str) -> Result<Config, String> {
        // (line, message): problems are listed in the order of the file.
        let located = |at: Option<std::ops::Range<usize>>, what: String| match at {
            Some(span) => {
                let line = line_of(text, span.start);
                (line, format!("  第 {line} 行：{what}"))
            }
            None => (0, format!("  {what}")),
        };
        let listed = |mut problems: Vec<(usize, String)>| {
            problems.sort_by_key(|(line, _)| *line);
            problems
                .into_iter()
                .map(|(_, p)| p)
                .collect::<Vec<_>>()
                .join("\n")
        };
        let document = toml::de::DeTable::parse(text).map_err(|e| {
            located(
                e.span(),
                format!(
                    "不是合法的 TOML：{}",
                    crate::messages::toml_cause(e.message())
                ),
            )
            .1
        })?;
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
            Err(_) if !problems.is_empty() => return Err(listed(problems)),
            Err(e) => {
                return Err(located(e.span(), crate::messages::toml_cause(e.message())).1);
            }
        };
        // Where a pattern is written, for messages: its first occurrence in the text.
        let at = |pattern: &str| {
            text.find(&format!("\"{pattern}\""))
                .or_else(|| text.find(pattern))
                .map(|i| i..i)
        };
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
        let mut config = config;
        for (list, patterns) in [("include", &config.include), ("exclude", &config.exclude)] {
            match Globs::new(patterns) {
                Ok(globs) if list == "include" => config.scope.include = globs,
                Ok(globs) => config.scope.exclude = globs,
                Err((pattern, why)) => problems.push(located(
                    at(&pattern),
                    format!("{list} 中的“{pattern}”不是有效的路径模式：{why}"),
                )),
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(listed(problems))
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

    /// The nearest `nianbao.toml` in `dir` or its ancestors.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join("nianbao.toml"))
            .find(|p| p.is_file())
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

/// What a suppression comment asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    DisableNextLine,
    Disable,
    Enable,
}

/// One `<!-- nianbao-… -->` comment, read.
#[derive(Debug)]
struct Comment {
    /// `None` when the word after `nianbao-` is not a directive.
    directive: Option<Directive>,
    /// The directive word as written.
    word: String,
    /// Code patterns with their byte spans; empty means every code.
    codes: Vec<(String, Range<usize>)>,
    /// The whole comment, `<!--` to `-->`.
    span: Range<usize>,
}

/// Separators between the codes of one comment: spaces, commas (ASCII and Chinese), 、 and ;.
fn is_code_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；')
}

/// Every `<!-- nianbao-… -->` comment of a Markdown or HTML draft, in order.
fn comments(source: &str, kind: Kind) -> Vec<Comment> {
    let mut out = Vec::new();
    if !kind.has_comments() || !source.contains("nianbao-") {
        return out;
    }
    let mut at = 0;
    while let Some(start) = source[at..].find("<!--").map(|s| s + at) {
        let Some(end) = source[start..].find("-->").map(|e| start + e + 3) else {
            break;
        };
        at = end;
        let body_start = start + 4;
        let body = &source[body_start..end - 3];
        let lead = body.len() - body.trim_start().len();
        let body = body.trim_start();
        let Some(rest) = body.strip_prefix("nianbao-") else {
            continue;
        };
        let word_len = rest.find(is_code_separator).unwrap_or(rest.len());
        let word = &rest[..word_len];
        let directive = match word {
            "disable-next-line" => Some(Directive::DisableNextLine),
            "disable" => Some(Directive::Disable),
            "enable" => Some(Directive::Enable),
            _ => None,
        };
        let codes_start = body_start + lead + "nianbao-".len() + word_len;
        let mut codes = Vec::new();
        let mut offset = codes_start;
        for piece in source[codes_start..end - 3].split_inclusive(is_code_separator) {
            let code = piece.trim_end_matches(is_code_separator);
            if !code.is_empty() {
                codes.push((code.to_owned(), offset..offset + code.len()));
            }
            offset += piece.len();
        }
        out.push(Comment {
            directive,
            word: format!("nianbao-{word}"),
            codes,
            span: start..end,
        });
    }
    out
}

/// Applies `nianbao-disable…` comments of a Markdown, HTML or plain-text draft. The "next line"
/// of a comment in a table is also the next row (the first row of `tables` that starts at or
/// after the comment's end): an HTML row runs over several lines, and a comment inside a row
/// or a cell speaks of the row after it, as the line after it does in a Markdown table.
pub fn suppress_inline(
    source: &str,
    kind: Kind,
    tables: &[crate::input::Table],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // (code pattern, byte range silenced)
    let mut silenced: Vec<(String, Range<usize>)> = Vec::new();
    let mut open: Vec<(String, usize)> = Vec::new();
    for comment in comments(source, kind) {
        let Some(directive) = comment.directive else {
            continue;
        };
        let codes: Vec<String> = if comment.codes.is_empty() {
            vec!["ALL".to_owned()]
        } else {
            comment.codes.into_iter().map(|(c, _)| c).collect()
        };
        let end = comment.span.end;
        match directive {
            Directive::DisableNextLine => {
                let line_end = source[end..]
                    .find('\n')
                    .map_or(source.len(), |n| end + n + 1);
                let next_end = source[line_end..]
                    .find('\n')
                    .map_or(source.len(), |n| line_end + n);
                let next_row = tables
                    .iter()
                    .filter(|t| t.span.start <= end && end <= t.span.end)
                    .flat_map(|t| &t.rows)
                    .find(|r| r.span.start >= end)
                    .map(|r| r.span.clone());
                for c in codes {
                    if let Some(row) = &next_row {
                        silenced.push((c.clone(), row.clone()));
                    }
                    silenced.push((c, line_end..next_end));
                }
            }
            Directive::Disable => open.extend(codes.into_iter().map(|c| (c, end))),
            Directive::Enable => {
                for c in codes {
                    if let Some(i) = open
                        .iter()
                        .rposition(|(o, _)| o.eq_ignore_ascii_case(&c) || c == "ALL")
                    {
                        let (code, from) = open.remove(i);
                        silenced.push((code, from..comment.span.start));
                    }
                }
            }
        }
    }
    silenced.extend(open.into_iter().map(|(c, from)| (c, from..source.len())));
    if silenced.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let (_, pos) = d.position();
        !silenced
            .iter()
            .any(|(c, r)| r.contains(&pos) && matches(c, &d.code))
    });
}

/// Suppression comments that cannot do what they say (N002): an unknown directive, or a code
/// that is no code.
pub fn check_comments(source: &str, kind: Kind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for comment in comments(source, kind) {
        if comment.directive.is_none() {
            let hint = crate::data::closest(
                &comment.word,
                [
                    "nianbao-disable-next-line",
                    "nianbao-disable",
                    "nianbao-enable",
                ],
            )
            .unwrap_or("nianbao-disable");
            out.push(
                Diagnostic::warning(
                    "N002",
                    format!("“{}”不是 nianbao 的指令，这条注释不起作用", comment.word),
                )
                .with_label(comment.span.clone(), "未知的指令")
                .with_note(format!("是否想写“{hint}”？")),
            );
            continue;
        }
        for (code, span) in &comment.codes {
            if let Err(closest) = check_pattern(code) {
                out.push(
                    Diagnostic::warning(
                        "N002",
                        format!(
                            "注释中的{}，它不会屏蔽任何检查",
                            unknown_pattern(code, closest)
                        ),
                    )
                    .with_label(span.clone(), "不是检查代码")
                    .with_fix(closest.to_owned()),
                );
            }
        }
    }
    out
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
    fn inline_comments_silence_findings() {
        let src = "a\n<!-- nianbao-disable-next-line Y003 -->\nline two\n<!-- nianbao-disable T -->\nxx\n<!-- nianbao-enable T -->\nzz\n";
        let two = src.find("line two").expect("two");
        let xx = src.find("xx").expect("xx");
        let zz = src.find("zz").expect("zz");
        let mut ds = vec![d("Y003", two), d("T101", two), d("T004", xx), d("T004", zz)];
        suppress_inline(src, Kind::Markdown, &[], &mut ds);
        let got: Vec<(&str, usize)> = ds
            .iter()
            .map(|d| (d.code.as_str(), d.position().1))
            .collect();
        assert_eq!(got, [("T101", two), ("T004", zz)]);
    }

    #[test]
    fn codes_in_a_comment_may_be_separated_by_commas_or_spaces() {
        for list in [
            "T101, T103",
            "T101,T103",
            "T101 T103",
            "T101，T103",
            "T101、T103",
        ] {
            let src = format!("<!-- nianbao-disable {list} -->\nxx\n");
            let xx = src.find("xx").expect("xx");
            let mut ds = vec![d("T101", xx), d("T103", xx), d("T104", xx)];
            suppress_inline(&src, Kind::Markdown, &[], &mut ds);
            let left: Vec<&str> = ds.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(left, ["T104"], "{list}");
            assert!(check_comments(&src, Kind::Markdown).is_empty(), "{list}");
        }
    }

    #[test]
    fn an_unknown_code_or_directive_in_a_comment_is_a_warning_at_the_comment() {
        let src = "a\n<!-- nianbao-disable T10l Y -->\n<!-- nianbao-disble T101 -->\n";
        let found = check_comments(src, Kind::Markdown);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().all(|d| d.code == "N002"));
        assert_eq!(&src[found[0].labels[0].span.clone()], "T10l");
        assert_eq!(found[0].fix.as_deref(), Some("T101"));
        assert!(found[0].message.contains("T101"), "{}", found[0].message);
        assert!(src[found[1].labels[0].span.clone()].contains("nianbao-disble"));
        assert!(
            found[1].notes[0].contains("nianbao-disable"),
            "{:?}",
            found[1].notes
        );
        // Plain-text drafts may hold them too; PDF and Word have none.
        assert_eq!(check_comments(src, Kind::Text).len(), 2);
        assert!(check_comments(src, Kind::Pdf).is_empty());
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
