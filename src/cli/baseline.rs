//! The baseline: findings that have been checked and accepted, kept in a file beside the
//! reports (`--baseline FILE`, or `baseline = "…"` in nianbao.toml) instead of comments inside
//! the report's published text.
//!
//! Owns the file format, the fingerprint of a finding and the matching:
//!
//! - The file is TOML: `version = 1` and one `[[finding]]` table per accepted finding with
//!   `file` (relative to the baseline file's folder, `/` separators), `code`, `fingerprint`,
//!   `message` (for people; never matched) and an optional `reason`.
//! - A finding's fingerprint hashes what the finding is *about*, never where it is: its code,
//!   its message and each label's message and text (an equation's row labels and figures, both
//!   sides and the difference; a year as written), and the text around its primary span on its
//!   own line (a year's sentence), with whitespace and line numbers (`第 3 行`) left out. Lines
//!   inserted or removed elsewhere leave it unchanged; a changed figure, year or wording in
//!   what was accepted changes it, and the finding is new again. The hash is 64-bit FNV-1a,
//!   written as 16 hex digits: stable across platforms and versions of Rust.
//! - Matching is per file, code and fingerprint, and counts: two identical findings need two
//!   entries. Entries left unmatched in a file that was checked are stale.
//!
//! It reads and writes the baseline file and hides findings; the runner decides when.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::cli::files::{absolute, slashed};
use crate::diagnostics::{Diagnostic, SourceFiles};

/// The format's version, written first in the file.
pub const VERSION: u32 = 1;
/// Characters of context taken either side of the primary span, on its line.
pub const CONTEXT: usize = 10;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The file, relative to the baseline file's folder, with `/` separators.
    pub file: String,
    pub code: String,
    pub fingerprint: String,
    /// The finding's message when it was accepted, for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Why it was accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The file as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    #[serde(default, rename = "finding", skip_serializing_if = "Vec::is_empty")]
    findings: Vec<Entry>,
}

/// A baseline file, read.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The path as given (for messages and writing).
    pub path: PathBuf,
    /// The absolute folder entries' paths are relative to.
    dir: PathBuf,
    pub entries: Vec<Entry>,
}

/// What the baseline did to one file's findings.
#[derive(Debug, Default)]
pub struct Matched {
    /// For each finding, whether the baseline hides it.
    pub hidden: Vec<bool>,
    /// Entries of this file that matched no finding.
    pub stale: Vec<Entry>,
    /// The file's findings as entries (accepted ones keep their reason), for
    /// `--update-baseline`.
    pub records: Vec<Entry>,
}

impl Baseline {
    /// An empty baseline that will be written to `path`.
    pub fn empty(path: &Path) -> Baseline {
        Baseline {
            path: path.to_path_buf(),
            dir: absolute(path)
                .parent()
                .map_or_else(PathBuf::new, Path::to_path_buf),
            entries: Vec::new(),
        }
    }

    /// Reads a baseline file; with `missing_ok`, a file that does not exist is an empty
    /// baseline (`--update-baseline` creates it).
    pub fn load(path: &Path, missing_ok: bool) -> anyhow::Result<Baseline> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if missing_ok && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Baseline::empty(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
                "基线文件 {} 不存在；用 --update-baseline 生成它",
                path.display()
            ),
            Err(e) => anyhow::bail!(
                "无法读取基线文件 {}：{}",
                path.display(),
                crate::cli::files::describe_io_error(&e)
            ),
        };
        let document: Document = toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            anyhow::anyhow!(
                "基线文件 {} 有误{}：{}",
                path.display(),
                line.map(|l| format!("（第 {l} 行）")).unwrap_or_default(),
                crate::messages::toml_cause(e.message())
            )
        })?;
        if document.version != VERSION {
            anyhow::bail!(
                "基线文件 {} 的版本是 {}，本程序只读版本 {VERSION}",
                path.display(),
                document.version
            );
        }
        Ok(Baseline {
            entries: document.findings,
            ..Baseline::empty(path)
        })
    }

    /// How the baseline names `path` (a file as the user gave it): relative to the baseline's
    /// folder, with `/` separators.
    pub fn key(&self, path: &Path) -> String {
        slashed(&relative(&self.dir, &absolute(path)))
    }

    /// Whether the file an entry names still exists.
    pub fn exists(&self, entry: &Entry) -> bool {
        self.dir.join(&entry.file).exists()
    }

    /// Matches one file's findings (with their fingerprints) against its entries.
    pub fn apply(&self, key: &str, found: &[Diagnostic], fingerprints: &[String]) -> Matched {
        let mut open: Vec<(usize, &Entry)> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.file == key)
            .collect();
        let mut matched = Matched::default();
        for (d, fingerprint) in found.iter().zip(fingerprints) {
            let at = open
                .iter()
                .position(|(_, e)| e.code == d.code && e.fingerprint == *fingerprint);
            let reason = at.and_then(|i| open.remove(i).1.reason.clone());
            matched.hidden.push(at.is_some());
            matched.records.push(Entry {
                file: key.to_owned(),
                code: d.code.clone(),
                fingerprint: fingerprint.clone(),
                message: Some(d.message.clone()),
                reason,
            });
        }
        matched.stale = open.into_iter().map(|(_, e)| e.clone()).collect();
        matched
    }

    /// The file's text: the entries of `records` for the files this run looked at
    /// (`checked`), and the entries of the other files as they were, except those whose file
    /// no longer exists. Sorted by file; within a file, in the order of the findings.
    pub fn updated(
        &self,
        checked: &[String],
        records: BTreeMap<String, Vec<Entry>>,
    ) -> (String, usize) {
        let mut by_file: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for e in &self.entries {
            if !checked.contains(&e.file) && self.exists(e) {
                by_file.entry(e.file.clone()).or_default().push(e.clone());
            }
        }
        for (file, entries) in records {
            by_file.insert(file, entries);
        }
        let findings: Vec<Entry> = by_file.into_values().flatten().collect();
        let count = findings.len();
        let body = toml::to_string(&Document {
            version: VERSION,
            findings,
        })
        .unwrap_or_default();
        (format!("{HEADER}{body}"), count)
    }
}

/// `to` relative to the folder `from` (both absolute), with `..` where it lies outside;
/// `to` itself when they share no root (another drive).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to_parts[common..] {
        out.push(part.as_os_str());
    }
    out
}

/// What a baseline file says about itself.
const HEADER: &str = "# nianbao 基线：已核对并接受的检查结果。`nianbao lint --baseline 本文件` 不再报告它们。\n\
# 每条以 文件、代码和指纹（finding 的内容，与行号无关）对应；message 只供阅读，reason 可写明接受的理由。\n\
# `nianbao lint --update-baseline` 按当前结果重写本文件（保留 reason）。\n\n";

/// 64-bit FNV-1a: small, fixed, and the same everywhere.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, text: &str) {
        for b in text.bytes().chain(std::iter::once(0xff)) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Text as the fingerprint sees it: no whitespace, no line numbers.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('第') {
        out.push_str(&rest[..at]);
        let after = &rest[at + '第'.len_utf8()..];
        let digits = after.trim_start();
        let number_len = digits.len()
            - digits
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .len();
        let tail = digits[number_len..].trim_start();
        if number_len > 0 && tail.starts_with('行') {
            rest = &tail['行'.len_utf8()..];
        } else {
            out.push('第');
            rest = after;
        }
    }
    out.push_str(rest);
    out.retain(|c| !c.is_whitespace());
    out
}

/// The text around `span` on its own line: up to [`CONTEXT`] characters either side.
fn context(text: &str, span: &std::ops::Range<usize>) -> String {
    if span.is_empty() || span.start >= text.len() {
        return String::new();
    }
    let start = floor(text, span.start);
    let end = floor(text, span.end.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let end = end.max(start).min(line_end);
    let before: String = {
        let mut chars: Vec<char> = text[line_start..start]
            .chars()
            .rev()
            .take(CONTEXT)
            .collect();
        chars.reverse();
        chars.into_iter().collect()
    };
    let after: String = text[end..line_end].chars().take(CONTEXT).collect();
    format!("{before}{}{after}", &text[start..end])
}

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The fingerprint of a finding (see the module's documentation).
pub fn fingerprint(files: &SourceFiles, d: &Diagnostic) -> String {
    let mut hash = Fnv::new();
    hash.write(&d.code);
    hash.write(&normalise(&d.message));
    for label in &d.labels {
        hash.write(&normalise(&label.message));
        let text = files.text(label.file);
        let span = floor(text, label.span.start)..floor(text, label.span.end.max(label.span.start));
        hash.write(&normalise(&text[span]));
    }
    if let Some(primary) = d.labels.first() {
        hash.write(&normalise(&context(
            files.text(primary.file),
            &primary.span,
        )));
    }
    format!("{:016x}", hash.0)
}

/// What a run did with one baseline file: the files it looked at (checked, or passed over as
/// no report), by their name in the baseline, and their findings as entries.
#[derive(Debug)]
pub struct Tally {
    pub baseline: Arc<Baseline>,
    pub checked: Vec<String>,
    pub records: BTreeMap<String, Vec<Entry>>,
}

impl Tally {
    pub fn new(baseline: Arc<Baseline>) -> Tally {
        Tally {
            baseline,
            checked: Vec::new(),
            records: BTreeMap::new(),
        }
    }

    /// The baseline file's new text and its number of entries (`--update-baseline`).
    pub fn updated(self) -> (String, usize) {
        self.baseline.updated(&self.checked, self.records)
    }

    /// Entries of files this run did not look at whose file no longer exists.
    pub fn vanished(&self) -> impl Iterator<Item = &Entry> {
        self.baseline
            .entries
            .iter()
            .filter(|e| !self.checked.contains(&e.file) && !self.baseline.exists(e))
    }
}

/// The tallies of a run, one per baseline file used.
pub type Tallies = HashMap<PathBuf, Tally>;

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(text: &str, needle: &str, code: &str, message: &str) -> (SourceFiles, Diagnostic) {
        let mut files = SourceFiles::default();
        files.add("r.md", text);
        let at = text.find(needle).expect("needle");
        let d = Diagnostic::error(code, message).with_label(at..at + needle.len(), "这里");
        (files, d)
    }

    const REPORT: &str =
        "# 标题\n\n2022年，我局共受理申请85件。\n\n| 行政复议 | 4 | 1 | 0 | 1 | 6 |\n";

    #[test]
    fn a_fingerprint_survives_lines_inserted_above_and_not_a_changed_figure() {
        let (files, d) = finding(REPORT, "2022年", "Y008", "年份2022年与报告年度2023年不符");
        let before = fingerprint(&files, &d);
        let moved = format!("新加的一行\n\n{REPORT}");
        let (files2, d2) = finding(&moved, "2022年", "Y008", "年份2022年与报告年度2023年不符");
        assert_eq!(fingerprint(&files2, &d2), before, "moved down two lines");
        let reworded = REPORT.replace("85件", "86件");
        let (files3, d3) = finding(
            &reworded,
            "2022年",
            "Y008",
            "年份2022年与报告年度2023年不符",
        );
        assert_ne!(
            fingerprint(&files3, &d3),
            before,
            "the sentence around it changed"
        );
        let (files4, d4) = finding(REPORT, "6", "T104", "总计 6，各列之和 6");
        let (files5, d5) = finding(
            &REPORT.replace("| 6 |", "| 7 |"),
            "7",
            "T104",
            "总计 7，各列之和 6",
        );
        assert_ne!(fingerprint(&files4, &d4), fingerprint(&files5, &d5));
    }

    #[test]
    fn line_numbers_and_whitespace_do_not_count() {
        assert_eq!(normalise("第 3 行：重复的键“年度”"), "：重复的键“年度”");
        assert_eq!(normalise("第12行 a b"), "ab");
        assert_eq!(normalise("第一部分 第三 第"), "第一部分第三第");
        assert_eq!(normalise("表2 第6行第10列"), "表2第10列");
    }

    #[test]
    fn context_stays_on_the_line_and_is_empty_for_an_empty_span() {
        let text = "上一行\n一二三四五六七八九十甲乙2022年丙丁\n下一行";
        let at = text.find("2022年").expect("year");
        assert_eq!(
            context(text, &(at..at + "2022年".len())),
            "三四五六七八九十甲乙2022年丙丁"
        );
        assert_eq!(context(text, &(0..0)), "");
    }

    #[test]
    fn files_are_named_relative_to_the_baseline_folder() {
        let root = Path::new("/repo");
        assert_eq!(
            relative(root, Path::new("/repo/a/b.md")),
            Path::new("a/b.md")
        );
        assert_eq!(
            relative(Path::new("/repo/ci"), Path::new("/repo/drafts/x.md")),
            Path::new("../drafts/x.md")
        );
    }

    #[test]
    fn matching_counts_duplicates_and_keeps_reasons() {
        let dir = tempfile::tempdir().expect("dir");
        let mut baseline = Baseline::empty(&dir.path().join("baseline.toml"));
        let entry = |fp: &str, reason: Option<&str>| Entry {
            file: "r.md".to_owned(),
            code: "T101".to_owned(),
            fingerprint: fp.to_owned(),
            message: None,
            reason: reason.map(str::to_owned),
        };
        baseline.entries = vec![entry("aa", Some("核对过")), entry("zz", None)];
        let d = Diagnostic::error("T101", "x");
        let found = vec![d.clone(), d.clone(), d];
        let fps = vec!["aa".to_owned(), "aa".to_owned(), "bb".to_owned()];
        let m = baseline.apply("r.md", &found, &fps);
        assert_eq!(
            m.hidden,
            [true, false, false],
            "one entry hides one finding"
        );
        assert_eq!(m.stale, [entry("zz", None)]);
        assert_eq!(m.records[0].reason.as_deref(), Some("核对过"));
        assert_eq!(m.records[1].reason, None);
    }

    #[test]
    fn the_file_reads_back_what_update_wrote() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("nianbao-baseline.toml");
        let baseline = Baseline::empty(&path);
        let records = BTreeMap::from([(
            "报告 2023.md".to_owned(),
            vec![Entry {
                file: "报告 2023.md".to_owned(),
                code: "T101".to_owned(),
                fingerprint: "0123456789abcdef".to_owned(),
                message: Some("勾稽关系R1不成立".to_owned()),
                reason: Some("原表如此，已向办公室核实".to_owned()),
            }],
        )]);
        let (text, count) = baseline.updated(&["报告 2023.md".to_owned()], records);
        assert_eq!(count, 1);
        std::fs::write(&path, &text).expect("write");
        let read = Baseline::load(&path, false).expect("reads");
        assert_eq!(read.entries.len(), 1);
        assert_eq!(read.key(&dir.path().join("报告 2023.md")), "报告 2023.md");
        assert!(text.starts_with("# nianbao 基线"), "{text}");
        assert!(text.contains("[[finding]]"), "{text}");
    }

    #[test]
    fn a_broken_or_missing_file_is_an_error_that_says_what_to_do() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("b.toml");
        let missing = Baseline::load(&path, false).expect_err("missing");
        assert!(
            missing.to_string().contains("--update-baseline"),
            "{missing}"
        );
        assert!(Baseline::load(&path, true).is_ok());
        std::fs::write(
            &path,
            "version = 1\n[[finding]]\nfile = \"a.md\"\ncode = 3\n",
        )
        .expect("write");
        let broken = Baseline::load(&path, false).expect_err("broken");
        assert!(broken.to_string().contains("第 4 行"), "{broken}");
    }
}
