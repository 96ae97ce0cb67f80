//! The engine for one file in memory, as the web page (WebAssembly, `web/`) and integrators
//! call it: bytes and a name in, exactly what `nianbao lint` prints for that file out; a data
//! file's text in, the rendered report out.
//!
//! Owns only the composition: the configuration handed in as `nianbao.toml`'s text, one file
//! checked (`crate::lint`), the run's summary for that one file. No I/O, no clock, no threads;
//! `include`/`exclude`, `previous` and `baseline` in the configuration name files, so they mean
//! nothing here and are ignored.

use std::path::Path;

use codespan_reporting::term::termcolor::Buffer;

use crate::diagnostics::SourceFiles;
use crate::input;
use crate::lint::{self, FileReport, Outcome, Output, Setting, Totals, Untimed};
use crate::render::{self, Format};
use crate::rules::Config;

/// What the command line's flags would say.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The text of a `nianbao.toml` (`select`, `ignore`, `[severity]`, `year`, `edition`,
    /// `deadline`).
    pub config: Option<String>,
    /// `--year`: the report year for a file that does not state it.
    pub year: Option<i32>,
    /// `--edition`: 2019 or 2021, for a file that does not say.
    pub edition: Option<u16>,
    /// `--encoding`: decode text files with this encoding instead of detecting it.
    pub encoding: Option<String>,
}

/// Exactly what `nianbao lint --output-format json NAME` prints for a file `name` holding
/// `bytes` (the whole JSON document, its line break included).
pub fn lint_json(name: &str, bytes: Vec<u8>, options: &Options) -> String {
    let (report, checked) = lint_one(name, bytes, options, Output::Json);
    let mut totals = Totals::default();
    totals.add(&report);
    let mut document = totals.json_value(checked);
    document["diagnostics"] = serde_json::Value::Array(report.json);
    // A `Value` with string keys always serialises.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// Exactly what `nianbao lint NAME` prints, without colour, for a file `name` holding `bytes`:
/// the findings with their excerpts, then the summary line. A file that cannot be read is said
/// as the command line says it on standard error (`错误：…`), before the summary.
pub fn lint_human(name: &str, bytes: Vec<u8>, options: &Options) -> String {
    let (report, checked) = lint_one(name, bytes, options, Output::Human { color: false });
    let mut totals = Totals::default();
    totals.add(&report);
    let mut text = String::new();
    if let Some(why) = &report.failure {
        text.push_str(&format!("错误：{why}\n"));
    }
    text.push_str(&report.text);
    text.push_str(&totals.summary(checked, false));
    text.push('\n');
    text
}

/// Whether `name` is a data file (`.yaml`, `.yml`), which [`render()`] turns into a report.
pub fn is_data_file(name: &str) -> bool {
    lint::is_data_file(Path::new(name))
}

/// A data file rendered as `nianbao render DATA --to FORMAT` writes it (`format`: `markdown`,
/// `html` or `docx`). The error is what the command line would say instead: the findings that
/// stop the report (as `nianbao lint` shows them), or an unknown format.
pub fn render(yaml: &str, format: &str) -> Result<Vec<u8>, String> {
    let format = match format {
        "markdown" | "md" => Format::Markdown,
        "html" => Format::Html,
        "docx" | "word" => Format::Docx,
        other => return Err(format!("不认识的格式“{other}”：可用 markdown、html、docx")),
    };
    let config = Config::default();
    let (found, report) = lint::load_to_render(yaml, &config);
    let Some(report) = report else {
        let mut files = SourceFiles::default();
        files.add("数据文件".to_owned(), yaml.to_owned());
        let mut buffer = Buffer::no_color();
        // Writing into memory cannot fail.
        let _ = crate::diagnostics::emit_human(&mut buffer, &files, &found);
        let errors = found
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .count();
        return Err(format!(
            "{}数据文件有 {errors} 个错误，未生成报告",
            String::from_utf8_lossy(buffer.as_slice())
        ));
    };
    let options = render::Options::default();
    render::render_document(&report, format, &options)
        .map(|rendered| rendered.as_bytes().to_vec())
        .map_err(|e| e.to_string())
}

/// One file checked as `lint` checks it, with its findings rendered for `output`; and whether
/// it counts as checked (a file that is no report is passed over).
fn lint_one(name: &str, bytes: Vec<u8>, options: &Options, output: Output) -> (FileReport, usize) {
    let path = Path::new(name);
    let mut report = FileReport {
        path: path.to_path_buf(),
        ..FileReport::default()
    };
    let mut config = match options.config.as_deref().map(Config::parse).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(problems) => {
            report.failure = Some(format!("配置 nianbao.toml 有误：\n{problems}"));
            return (report, 1);
        }
    };
    if options.year.is_some() {
        config.year = options.year;
    }
    if options.edition.is_some() {
        config.edition = options.edition;
    }
    let input = input::Options {
        encoding: options.encoding.clone(),
        pdf: None,
    };
    let setting = Setting {
        config: &config,
        claim: crate::detect::Claim::Unclaimed,
        previous: None,
        input: &input,
    };
    let checked = match lint::check(path, bytes, &setting, &mut |_| {}, &Untimed) {
        Ok(Outcome::Checked(checked)) => checked,
        Ok(Outcome::PassedOver(why)) => {
            report.passed_over = Some(why);
            return (report, 0);
        }
        Err(e) => {
            report.failure = Some(e.to_string());
            return (report, 1);
        }
    };
    let found = checked.diagnostics;
    report.count(&found);
    if !found.is_empty() {
        let mut files = SourceFiles::default();
        files.add_read(name.to_owned(), checked.text, checked.origin, checked.loci);
        report.render(&files, &found, &[], output, None);
    }
    (report, 1)
}
