//! Reading the files users give into what the stages work on: a data file's text for the
//! loader, any other file through the input and reading stages (from the file, or from bytes
//! standing in for it: standard input), last year's report for the year-over-year rules; and
//! naming them alike wherever they are given from ([`absolute`], [`slashed`]).
//!
//! Shared by the command line, the corpus runner, file detection and the baseline, so that
//! every way a file enters the program reads it alike. Never writes.

use std::path::{Component, Path, PathBuf};

use crate::cli::timing::Clock;
use crate::data;
use crate::input::{self, InputError};
use crate::lint;
pub use crate::lint::{is_data_file, text_of};
use crate::reading::{self, Overrides, Reading};
use crate::rules::previous::{Figures, Previous};

pub use crate::input::describe_io_error;

/// A text file (a data file, a report to compare with), decoded like any text file.
pub fn read_text(path: &Path, options: &input::Options) -> Result<String, InputError> {
    text_of(path, read_bytes(path)?, options)
}

/// A file's bytes, with the error a user reads.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|error| InputError::Io {
        path: path.display().to_string(),
        error,
    })
}

/// A report (any supported format) read as an annual report.
pub fn read_reading(
    path: &Path,
    options: &input::Options,
    overrides: Overrides,
) -> Result<Reading, InputError> {
    Ok(reading::read(read_document(path, options)?, overrides))
}

/// How the command line reads files: as the user said, and PDF through `pdftotext`.
pub fn input_options(options: &input::Options) -> input::Options {
    let mut options = options.clone();
    options.pdf.get_or_insert(crate::cli::pdftotext::read);
    options
}

/// Reads a file into a document (the format by its extension and content, see
/// [`input::from_bytes`]).
pub fn read_document(path: &Path, options: &input::Options) -> Result<input::Document, InputError> {
    let name = path.display().to_string();
    input::from_bytes(
        &name,
        input::Format::from_path(path),
        read_bytes(path)?,
        &input_options(options),
    )
}

/// Bytes (a file's, or standard input's) read as the report `path`, timed.
pub fn reading_of(
    path: &Path,
    bytes: Vec<u8>,
    options: &input::Options,
    overrides: Overrides,
) -> Result<Reading, InputError> {
    lint::reading_of(path, bytes, &input_options(options), overrides, &Clock)
}

/// Last year's report or data file, for `lint --previous`.
pub fn read_previous(path: &Path, options: &input::Options) -> anyhow::Result<Previous> {
    let name = path.display().to_string();
    let (text, figures) = if is_data_file(path) {
        let text = read_text(path, options)?;
        let loaded = data::load(&text);
        let figures = loaded
            .report
            .as_ref()
            .map(|report| Figures::of_report(report, &text));
        (text, figures)
    } else {
        let reading = read_reading(path, options, Overrides::default())?;
        let figures = Figures::of_reading(&reading);
        (reading.document.text, Some(figures))
    };
    let figures = figures
        .filter(|f| f.year.is_some())
        .ok_or_else(|| anyhow::anyhow!("无法确定上年报告 {name} 的年度"))?;
    Ok(Previous {
        name,
        text,
        figures,
    })
}

/// A path with `/` separators (how globs and the baseline name files).
pub fn slashed(path: &Path) -> String {
    let mut out = String::new();
    for (i, part) in path.components().enumerate() {
        match part {
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(p) => {
                out.push_str(&p.as_os_str().to_string_lossy());
                continue;
            }
            _ => {}
        }
        if i > 0 && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

/// `path` made absolute without requiring it to exist: its folder resolved through the file
/// system when it exists (so links and `..` resolve as the system does), otherwise against
/// the working directory, `.` and `..` taken lexically.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    if let (Some(parent), Some(name)) = (joined.parent(), joined.file_name())
        && let Ok(parent) = std::fs::canonicalize(parent)
    {
        return parent.join(name);
    }
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
