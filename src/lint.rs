//! One file's bytes checked and its findings rendered: what every face of the engine calls —
//! the command line for each file of a run, the web page for the file dropped on it.
//!
//! Owns the order of the work for one file (is it a report? a data file goes through the loader
//! and the gate, anything else through input → reading → rules; last year's comparison;
//! configuration applied), the rendering of its findings for each output format, and the
//! counts over a run with the summary line and the JSON document's frame. It does no I/O: the
//! bytes, the configuration and last year's report are handed in, the rendered text handed
//! back; stage timing is the caller's ([`Stopwatch`]).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::Buffer;

use crate::detect::{self, Claim};
use crate::diagnostics::{self, Diagnostic, Severity, SourceFiles};
use crate::input::{self, InputError};
use crate::reading::{self, Overrides, Reading};
use crate::report::Report;
use crate::rules::previous::{Figures, Previous};
use crate::rules::{self, Config, registry};

/// A stage of checking a file, for timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file and decoding it into a document (text, Word, PDF, HTML …).
    Input,
    /// The document read: view, outline, tables, year.
    Reading,
    /// The rules, last year's comparison, the baseline.
    Rules,
    /// Rendering the findings and printing them.
    Output,
}

/// Times the stages of the work (the command line's `NIANBAO_STAGE_TIMES`); the library has
/// no clock of its own (there is none in a browser's WebAssembly).
pub trait Stopwatch {
    fn time<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T;
}

/// No timing.
pub struct Untimed;

impl Stopwatch for Untimed {
    fn time<T>(&self, _: Stage, work: impl FnOnce() -> T) -> T {
        work()
    }
}

/// A data file (`.yaml`, `.yml`) rather than a report.
pub fn is_data_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml"))
}

/// Bytes (a file's, or standard input's) decoded as the text file `path`.
pub fn text_of(
    path: &Path,
    bytes: Vec<u8>,
    options: &input::Options,
) -> Result<String, InputError> {
    let name = path.display().to_string();
    let (text, _) = input::decode::decode(&name, bytes, options.encoding.as_deref())?;
    Ok(text)
}

/// Bytes (a file's, or standard input's) read as the report `path`: the format by its
/// extension.
pub fn reading_of(
    path: &Path,
    bytes: Vec<u8>,
    options: &input::Options,
    overrides: Overrides,
    clock: &impl Stopwatch,
) -> Result<Reading, InputError> {
    let name = path.display().to_string();
    let document = clock.time(Stage::Input, || {
        input::from_bytes(&name, input::Format::from_path(path), bytes, options)
    })?;
    Ok(clock.time(Stage::Reading, || reading::read(document, overrides)))
}

/// How the findings of one file are to be rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// codespan text, with ANSI colours when `color` is set.
    Human { color: bool },
    /// One line per diagnostic, `file:line:col: CODE message`.
    Concise,
    /// One JSON object per diagnostic.
    Json,
    /// One SARIF result per diagnostic.
    Sarif,
    /// One GitHub workflow command per diagnostic.
    Github,
    /// Nothing per diagnostic; only the counts (`--statistics`).
    CountsOnly,
}

/// A data file loaded to be rendered: the loader's findings and, once it loads with no error,
/// the gate's (what `lint` would find in the rendered report, `crate::gate`), in the order of
/// the file; the report only when none of them is an error. The loader's findings block as
/// they always have, whatever the configuration ignores; it grades only the report rules'.
pub fn load_to_render(text: &str, config: &Config) -> (Vec<Diagnostic>, Option<Report>) {
    let loaded = crate::data::load_with(text, &config.data_options());
    let mut found = loaded.diagnostics;
    if let Some(report) = &loaded.report
        && !found.iter().any(|d| d.severity == Severity::Error)
    {
        let gated = crate::gate::check(text, report, &found, config);
        found.extend(gated);
        found.sort_by_key(|d| (d.position().1, d.code.clone()));
    }
    let report = loaded
        .report
        .filter(|_| !found.iter().any(|d| d.severity == Severity::Error));
    (found, report)
}

/// The outcome for one file, ready to print.
#[derive(Debug, Default)]
pub struct FileReport {
    pub path: PathBuf,
    /// Rendered findings (human output).
    pub text: String,
    /// Findings as JSON objects (JSON output).
    pub json: Vec<serde_json::Value>,
    /// Findings as SARIF results (SARIF output).
    pub sarif: Vec<serde_sarif::sarif::Result>,
    /// Number of findings per code, and per severity.
    pub by_code: BTreeMap<String, usize>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// The file could not be read or its configuration was invalid.
    pub failure: Option<String>,
    /// The file is not a report (or is excluded), and why: it was not checked.
    pub passed_over: Option<String>,
    /// Passed over because it is an old binary Word/WPS file (`.doc`, `.wps`).
    pub legacy: bool,
    /// Findings the baseline hid (not counted above, not rendered).
    pub hidden: usize,
}

/// A file checked: the text its diagnostics point into (the decoded file, or a Word or PDF
/// document's text view) and the diagnostics.
pub struct Checked {
    pub text: String,
    /// How the text maps to the file's bytes, and where parts of it are (Word, PDF).
    pub origin: input::Origin,
    pub loci: Vec<input::Locus>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What became of one file.
pub enum Outcome {
    Checked(Checked),
    /// Not a report (or excluded): not checked, for this reason (`--verbose`).
    PassedOver(String),
}

/// What a checked report was read as, shown to a caller that summarises it (`review`) before
/// it is dropped.
pub enum Seen<'a> {
    /// A draft or published report, through the reading stage.
    Reading(&'a Reading),
    /// A data file, loaded.
    Report(&'a Report),
}

/// What one file is checked with, besides its bytes.
pub struct Setting<'a> {
    pub config: &'a Config,
    /// What the configuration's `include`/`exclude` say about the file (`Unclaimed` when the
    /// caller has no globs).
    pub claim: Claim,
    /// Last year's report, for the X rules.
    pub previous: Option<&'a Previous>,
    pub input: &'a input::Options,
}

/// Checks one file's bytes, named `path`: decides whether it is a report (`crate::detect`), and
/// if so checks it: a data file through the loader and the gate, any other file through the
/// input and reading stages and the rules; then, with last year's report, the X rules. `seen`
/// is shown the reading (or the loaded data file) of a file that is a report, so that the file
/// is read once whatever else is wanted of it; `clock` times the stages.
pub fn check(
    path: &Path,
    bytes: Vec<u8>,
    setting: &Setting<'_>,
    seen: &mut dyn FnMut(Seen<'_>),
    clock: &impl Stopwatch,
) -> Result<Outcome, InputError> {
    let Setting {
        config,
        claim,
        previous,
        input: options,
    } = setting;
    let (config, previous) = (*config, *previous);
    if let Claim::Excluded(pattern) = claim {
        return Ok(Outcome::PassedOver(format!(
            "nianbao.toml 的 exclude（“{pattern}”）排除了它"
        )));
    }
    if is_data_file(path) {
        let text = clock.time(Stage::Input, || text_of(path, bytes, options))?;
        if detect::of_data(&text).is_none() {
            let Claim::Included(pattern) = claim else {
                return Ok(Outcome::PassedOver(detect::why_not(true)));
            };
            let mut found = vec![detect::not_a_report(pattern, text.trim().is_empty(), true)];
            config.apply(&mut found);
            return Ok(Outcome::Checked(Checked {
                text,
                origin: input::Origin::Utf8 { bom: 0 },
                loci: Vec::new(),
                diagnostics: found,
            }));
        }
        let (mut found, report) = clock.time(Stage::Rules, || rules::lint_data(&text, config));
        // The gate: the report rules on what the file renders to, once it loads clean.
        if let Some(report) = &report
            && !found.iter().any(|d| d.severity == Severity::Error)
        {
            let gated = clock.time(Stage::Rules, || {
                crate::gate::check(&text, report, &found, config)
            });
            found.extend(gated);
        }
        if let Some(report) = &report {
            seen(Seen::Report(report));
        }
        if let (Some(previous), Some(report)) = (previous, &report) {
            let this = Figures::of_report(report, &text);
            let mut compared = rules::previous::check(&this, &text, previous);
            config.apply(&mut compared);
            found.extend(compared);
        }
        found.sort_by_key(|d| (d.position().1, d.code.clone()));
        return Ok(Outcome::Checked(Checked {
            text,
            origin: input::Origin::Utf8 { bom: 0 },
            loci: Vec::new(),
            diagnostics: found,
        }));
    }
    let reading = reading_of(path, bytes, options, rules::overrides(config), clock)?;
    let found = if detect::of_reading(&reading).is_some() {
        seen(Seen::Reading(&reading));
        let mut found = clock.time(Stage::Rules, || rules::lint(&reading, config));
        if let Some(previous) = previous {
            let this = Figures::of_reading(&reading);
            let mut compared = rules::previous::check(&this, &reading.document.text, previous);
            rules::finish(&reading, config, &mut compared);
            found.extend(compared);
            found.sort_by_key(|d| (d.position().1, d.code.clone()));
        }
        found
    } else {
        let Claim::Included(pattern) = claim else {
            return Ok(Outcome::PassedOver(detect::why_not(false)));
        };
        let empty = reading.document.content().trim().is_empty();
        let mut found = vec![detect::not_a_report(pattern, empty, false)];
        config.apply(&mut found);
        found
    };
    let document = reading.document;
    Ok(Outcome::Checked(Checked {
        text: document.text,
        origin: document.origin,
        loci: document.loci,
        diagnostics: found,
    }))
}

impl FileReport {
    /// Counts `found` by code and by severity.
    pub fn count(&mut self, found: &[Diagnostic]) {
        for d in found {
            *self.by_code.entry(d.code.clone()).or_default() += 1;
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// Renders `found` (in `files`) for `output`: SARIF results carry `fingerprints` (one per
    /// finding, or none), SARIF and GitHub name files relative to `cwd`.
    pub fn render(
        &mut self,
        files: &SourceFiles,
        found: &[Diagnostic],
        fingerprints: &[String],
        output: Output,
        cwd: Option<&Path>,
    ) {
        render_into(self, files, found, fingerprints, output, cwd);
    }
}

fn render_into(
    report: &mut FileReport,
    files: &SourceFiles,
    found: &[Diagnostic],
    fingerprints: &[String],
    output: Output,
    cwd: Option<&Path>,
) {
    match output {
        Output::Human { color } => {
            let mut buffer = if color {
                Buffer::ansi()
            } else {
                Buffer::no_color()
            };
            // Writing into memory cannot fail.
            let _ = diagnostics::emit_human(&mut buffer, files, found);
            report.text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
        }
        Output::Json => {
            report.json = found
                .iter()
                .filter_map(|d| serde_json::to_value(diagnostics::to_json(files, d)).ok())
                .collect();
        }
        Output::Concise => report.text = diagnostics::concise::render(files, found),
        Output::Github => report.text = diagnostics::github::render(files, found, cwd),
        Output::Sarif => {
            report.sarif = diagnostics::sarif::results(files, found, Some(fingerprints), cwd)
        }
        Output::CountsOnly => {}
    }
}

/// Counts over a whole run.
#[derive(Debug, Default)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files_with_errors: usize,
    pub by_code: std::collections::BTreeMap<String, usize>,
    pub failures: Vec<(String, String)>,
    /// Files that are not reports (or are excluded): not checked.
    pub passed_over: usize,
    /// Findings a baseline accepted: not reported.
    pub baselined: usize,
    /// Old binary Word/WPS files found in a walk: not checked, named in the summary.
    pub legacy: Vec<String>,
}

impl Totals {
    pub fn add(&mut self, report: &FileReport) {
        self.errors += report.errors;
        self.warnings += report.warnings;
        self.infos += report.infos;
        if report.errors > 0 {
            self.files_with_errors += 1;
        }
        for (code, n) in &report.by_code {
            *self.by_code.entry(code.clone()).or_default() += n;
        }
        if let Some(why) = &report.failure {
            self.failures
                .push((report.path.display().to_string(), why.clone()));
        }
        if report.legacy {
            self.legacy.push(report.path.display().to_string());
        } else if report.passed_over.is_some() {
            self.passed_over += 1;
        }
        self.baselined += report.hidden;
    }

    /// The closing line: `检查了 3 个文件（跳过 4 个不是报告的文件）：1 个错误，0 个警告`.
    pub fn summary(&self, checked: usize, verbose: bool) -> String {
        let mut line = format!("检查了 {checked} 个文件");
        if self.passed_over > 0 {
            line.push_str(&format!(
                "（跳过 {} 个不是报告的文件{}）",
                self.passed_over,
                if verbose { "" } else { "，--verbose 列出" }
            ));
        }
        line.push_str(&format!(
            "：{} 个错误，{} 个警告",
            self.errors, self.warnings
        ));
        if self.baselined > 0 {
            line.push_str(&format!("（另有 {} 个已在基线中接受）", self.baselined));
        }
        if !self.failures.is_empty() {
            line.push_str(&format!("，{} 个文件无法检查", self.failures.len()));
        }
        if !self.legacy.is_empty() {
            line.push_str(&format!(
                "\n另有 {} 个旧版 Word/WPS 文件未检查（{}）：请在 Word/WPS 中另存为 .docx 后再检查",
                self.legacy.len(),
                self.legacy.join("、")
            ));
        }
        line
    }

    /// `--statistics`: one line per code, most frequent first, then the files with errors.
    pub fn write_statistics(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut rows: Vec<(&String, &usize)> = self.by_code.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (code, n) in rows {
            let (severity, name) = registry::get(code).map_or(("", ""), |c| {
                (registry::severity_word(c.severity), &*c.name)
            });
            writeln!(out, "{n:>7}  {code}  {severity:<7}  {name}")?;
        }
        writeln!(out, "有错误的文件：{} 个", self.files_with_errors)
    }

    /// The JSON document `{"version": 1, "diagnostics": [...], "summary": {...}}`, pretty
    /// printed with its diagnostics left out (an empty array): the frame the streamed
    /// diagnostics are written into (`output::split_at_array`).
    pub fn json_document(&self, files: usize) -> String {
        // A `Value` with string keys always serialises; an empty frame is caught by the caller.
        serde_json::to_string_pretty(&self.json_value(files)).unwrap_or_default()
    }

    /// The JSON document with an empty `diagnostics` array, as a value.
    pub fn json_value(&self, files: usize) -> serde_json::Value {
        serde_json::json!({
            "version": 1,
            "diagnostics": [],
            "summary": {
                "files": files,
                "passed_over": self.passed_over,
                "not_checked_legacy_word": self.legacy,
                "baselined": self.baselined,
                "errors": self.errors,
                "warnings": self.warnings,
                "infos": self.infos,
                "files_with_errors": self.files_with_errors,
                "by_code": self.by_code,
                "failures": self.failures.iter().map(|(file, message)| serde_json::json!({"file": file, "message": message})).collect::<Vec<_>>(),
            },
        })
    }
}
