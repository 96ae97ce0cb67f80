//! One diagnostic type for everything nianbao reports, and its outputs.
//!
//! This module owns [`Diagnostic`], the source files diagnostics point into, and the ways of
//! printing them: codespan-reporting for people (each diagnostic drawn against an
//! [`excerpt`] of its lines, so that a long line shows a window around the span, not the
//! whole line), one line per finding ([`concise`]), a stable JSON document for machines,
//! SARIF 2.1.0 for code scanning ([`sarif`]) and GitHub workflow commands ([`github`]). It
//! must not decide *what* is wrong: the data loader and the lint rules do that.

pub mod concise;
pub mod excerpt;
pub mod github;
pub mod sarif;

use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

use crate::input::{Locus, Origin, Place};

use excerpt::Excerpt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// A code's identity and documentation, declared beside the code that reports it (each rule
/// family's `RULES`, the data loader's `CODES`). `crate::rules::registry` lists them all.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub code: &'static str,
    /// A short English name in kebab case (`missing-section`), as in SARIF and `nianbao rules`.
    pub name: &'static str,
    pub severity: Severity,
    /// What the code means and what to do about it (`nianbao explain`), in Chinese.
    pub explain: &'static str,
}

/// Index of a file in a [`SourceFiles`] set.
pub type FileId = usize;

/// A place in a file, with what to say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Range<usize>,
    pub message: String,
}

/// A finding: a code, a severity, a message, and the places it is about.
///
/// The first label is the primary one; it is where `line`/`column` in JSON point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    /// A replacement that is certain to be right, for the primary span.
    pub fix: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_owned(),
            severity,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            fix: None,
        }
    }

    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    pub fn warning(code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    /// Adds a label in file 0 (the file being checked).
    pub fn with_label(self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.with_label_in(0, span, message)
    }

    pub fn with_label_in(
        mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Where the diagnostic points: the primary label's start, or 0.
    pub fn position(&self) -> (FileId, usize) {
        self.labels
            .first()
            .map_or((0, 0), |l| (l.file, l.span.start))
    }

    /// The diagnostic with every label moved to `file`.
    pub fn in_file(mut self, file: FileId) -> Self {
        for label in &mut self.labels {
            label.file = file;
        }
        self
    }
}

/// The files diagnostics point into.
#[derive(Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

struct SourceFile {
    name: String,
    text: String,
    /// Byte offset of the start of each line; the first is 0.
    line_starts: Vec<usize>,
    /// How `text` relates to the file on disk (for JSON byte offsets).
    origin: Origin,
    /// Where parts of `text` are in a Word or PDF document.
    loci: Vec<Locus>,
}

impl SourceFiles {
    /// Adds a UTF-8 text file (or text the program made).
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_read(name, text, Origin::Utf8 { bom: 0 }, Vec::new())
    }

    /// Adds a file as the input stage read it: its text, how that text maps to the file's
    /// bytes, and where parts of it are in a Word or PDF document.
    pub fn add_read(
        &mut self,
        name: impl Into<String>,
        text: impl Into<String>,
        origin: Origin,
        loci: Vec<Locus>,
    ) -> FileId {
        let text = text.into();
        // memchr's SIMD search for the line ends, not `match_indices`' general searcher.
        // Counted first (memchr counts without finding each end): collected through `chain`,
        // the vector grew by doubling.
        let mut line_starts =
            Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        self.files.push(SourceFile {
            name: name.into(),
            text,
            line_starts,
            origin,
            loci,
        });
        self.files.len() - 1
    }

    /// The file bytes a text range stands for.
    pub fn file_range(&self, id: FileId, range: Range<usize>) -> Range<usize> {
        self.files
            .get(id)
            .map_or(range.clone(), |f| f.origin.file_range(range))
    }

    /// Where a text offset is in a Word or PDF document.
    pub fn place(&self, id: FileId, offset: usize) -> Option<Place> {
        let loci = &self.files.get(id)?.loci;
        let i = loci.partition_point(|l| l.span.end <= offset);
        loci.get(i)
            .filter(|l| l.span.start <= offset)
            .or_else(|| loci.get(i))
            .map(|l| l.place)
    }

    pub fn name(&self, id: FileId) -> &str {
        self.files.get(id).map_or("", |f| f.name.as_str())
    }

    pub fn text(&self, id: FileId) -> &str {
        self.files.get(id).map_or("", |f| f.text.as_str())
    }

    fn line_starts(&self, id: FileId) -> &[usize] {
        self.files
            .get(id)
            .map_or(&[0], |f| f.line_starts.as_slice())
    }

    /// 0-based index of the line holding byte `offset`.
    fn line_index(&self, id: FileId, offset: usize) -> usize {
        self.line_starts(id)
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte offset where line `index` starts.
    fn line_start(&self, id: FileId, index: usize) -> usize {
        self.line_starts(id)
            .get(index)
            .copied()
            .unwrap_or(self.text(id).len())
    }

    /// Line `index` without its line break (`\n` or `\r\n`).
    fn line_content(&self, id: FileId, index: usize) -> Range<usize> {
        let text = self.text(id);
        let start = self.line_start(id, index);
        let next = self
            .line_starts(id)
            .get(index + 1)
            .copied()
            .unwrap_or(text.len());
        let line = &text[start..next];
        let content = line
            .strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or(line);
        start..start + content.len()
    }

    /// `span` moved inside the file and onto character boundaries.
    fn clamp(&self, id: FileId, span: &Range<usize>) -> Range<usize> {
        let text = self.text(id);
        let start = floor_char_boundary(text, span.start);
        let end = floor_char_boundary(text, span.end.max(start));
        start..end
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = floor_char_boundary(text, offset);
        let line = self.line_index(id, offset);
        let column = text[self.line_start(id, line)..offset].chars().count() + 1;
        (line + 1, column)
    }
}

/// Where a label is, as outputs that print positions give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position<'a> {
    pub file: &'a str,
    /// 1-based; columns count characters.
    pub line: usize,
    pub column: usize,
    /// The position just after the span (exclusive), 1-based.
    pub end_line: usize,
    pub end_column: usize,
    /// Where it is in a Word or PDF document.
    pub place: Option<Place>,
}

impl SourceFiles {
    /// The position of `span` in file `id`.
    pub fn position(&self, id: FileId, span: &Range<usize>) -> Position<'_> {
        let (line, column) = self.line_column(id, span.start);
        let (end_line, end_column) = self.line_column(id, span.end.max(span.start));
        Position {
            file: self.name(id),
            line,
            column,
            end_line,
            end_column,
            place: self.place(id, span.start),
        }
    }

    /// The position of a diagnostic's primary label (the start of file 0 when it has none).
    pub fn primary(&self, d: &Diagnostic) -> Position<'_> {
        let (file, span) = d
            .labels
            .first()
            .map_or((0, 0..0), |l| (l.file, l.span.clone()));
        self.position(file, &span)
    }
}

/// A file name as given (relative to the working directory, or absolute) made relative to
/// `cwd` when it is inside it, with `/` separators and no leading `./`: how CI systems name
/// files in a repository.
pub fn relative_name(name: &str, cwd: Option<&std::path::Path>) -> String {
    let path = std::path::Path::new(name);
    let relative = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut rooted = false;
    for part in relative.components() {
        use std::path::Component;
        match part {
            Component::CurDir => {}
            Component::RootDir => rooted = true,
            Component::Prefix(p) => parts.push(p.as_os_str().to_string_lossy().into_owned()),
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    if rooted { format!("/{joined}") } else { joined }
}

/// The text of a finding on one line: the message, then each note, the fix and the place in
/// a Word or PDF document, joined by `sep`.
pub fn full_message(d: &Diagnostic, place: Option<Place>, sep: &str) -> String {
    let mut parts = vec![d.message.clone()];
    parts.extend(d.notes.iter().cloned());
    if let Some(fix) = &d.fix {
        parts.push(format!("建议改为：{fix}"));
    }
    if let Some(place) = place {
        parts.push(format!("位置：{}", place.describe()));
    }
    parts.join(sep)
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_codespan(excerpt: &Excerpt, d: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    };
    let labels = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let span = excerpt.span(l.file, &l.span);
            let label = if i == 0 {
                cs::Label::primary(l.file, span)
            } else {
                cs::Label::secondary(l.file, span)
            };
            label.with_message(&l.message)
        })
        .collect();
    let mut notes = d.notes.clone();
    if let Some(fix) = &d.fix {
        notes.push(format!("建议改为：{fix}"));
    }
    if let Some(place) = d
        .labels
        .first()
        .and_then(|l| excerpt.files().place(l.file, l.span.start))
    {
        notes.push(format!("位置：{}", place.describe()));
    }
    cs::Diagnostic::new(severity)
        .with_code(&d.code)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}

/// Writes diagnostics for people, with source snippets and carets.
pub fn emit_human(
    out: &mut dyn WriteColor,
    files: &SourceFiles,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    for d in diagnostics {
        let excerpt = Excerpt::new(files, d);
        term::emit_to_write_style(out, &config, &excerpt, &to_codespan(&excerpt, d)).map_err(
            |e| match e {
                codespan_reporting::files::Error::Io(io) => io,
                other => std::io::Error::other(other),
            },
        )?;
    }
    Ok(())
}

/// Diagnostics as plain text (no colour), as `emit_human` prints them.
pub fn render_plain(files: &SourceFiles, diagnostics: &[Diagnostic]) -> String {
    let mut buffer = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    // Writing into memory cannot fail.
    let _ = emit_human(&mut buffer, files, diagnostics);
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

/// One diagnostic in the JSON output. The field set is documented in README.md and stable.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub severity: Severity,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub message: &'a str,
    pub notes: &'a [String],
    pub fix: Option<&'a str>,
    pub labels: Vec<JsonLabel<'a>>,
    /// Where the primary label is in a Word or PDF document; absent for text files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<JsonLocation>,
}

/// A place in a Word or PDF document: `{"kind": "cell", "table": 4, "row": 5, "column": 3, "report_table": "三",
/// "text": "表三（第4个表格）第5行第3列"}`, `{"kind": "paragraph", "paragraph": 12, …}`, `{"kind": "page", …}`.
#[derive(Debug, Serialize)]
pub struct JsonLocation {
    #[serde(flatten)]
    pub place: Place,
    pub text: String,
}

impl JsonLocation {
    fn of(place: Place) -> JsonLocation {
        JsonLocation {
            text: place.describe(),
            place,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonLabel<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<JsonLocation>,
}

pub fn to_json<'a>(files: &'a SourceFiles, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let (file, span) = d
        .labels
        .first()
        .map_or((0, 0..0), |l| (l.file, l.span.clone()));
    let (line, column) = files.line_column(file, span.start);
    let (end_line, end_column) = files.line_column(file, span.end);
    let bytes = files.file_range(file, span.clone());
    JsonDiagnostic {
        code: &d.code,
        severity: d.severity,
        file: files.name(file),
        line,
        column,
        end_line,
        end_column,
        byte_start: bytes.start,
        byte_end: bytes.end,
        message: &d.message,
        notes: &d.notes,
        fix: d.fix.as_deref(),
        location: files.place(file, span.start).map(JsonLocation::of),
        labels: d
            .labels
            .iter()
            .map(|l| {
                let (line, column) = files.line_column(l.file, l.span.start);
                let bytes = files.file_range(l.file, l.span.clone());
                JsonLabel {
                    file: files.name(l.file),
                    line,
                    column,
                    byte_start: bytes.start,
                    byte_end: bytes.end,
                    message: &l.message,
                    location: files.place(l.file, l.span.start).map(JsonLocation::of),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let mut files = SourceFiles::default();
        let id = files.add("a.md", "一、总体情况\n二、主动公开");
        let offset = "一、总体情况\n二、".len();
        assert_eq!(files.line_column(id, offset), (2, 3));
        // An offset inside a character is moved back to its start, never a panic.
        assert_eq!(files.line_column(id, 1), (1, 1));
        assert_eq!(files.line_column(id, 10_000), (2, 7));
    }

    #[test]
    fn json_points_at_the_primary_label() {
        let mut files = SourceFiles::default();
        files.add("a.md", "标题\n数字 12 在此");
        let start = "标题\n数字 ".len();
        let d = Diagnostic::error("T101", "不平衡")
            .with_label(start..start + 2, "这里")
            .with_label(0..6, "那里");
        let json = to_json(&files, &d);
        assert_eq!((json.line, json.column, json.end_column), (2, 4, 6));
        assert_eq!(json.labels.len(), 2);
    }
}
