//! Stage 3, rules: *what is wrong with it?* Functions over a [`Reading`] (or a loaded data
//! file) that return diagnostics.
//!
//! Owns the order in which families run, configuration and suppression, and the registry of
//! every code (`registry`: code, name, default severity, family, explanation — gathered from
//! where each code is documented). Each family lives in its own file with its tests and its
//! `RULES`: `sections` (S001–S004), `placeholders` (S005), `tables` (T…, with the equations T101–T104 from the edition files),
//! `years` (Y…), `crosscheck` (X4, X5) and `previous` (X1–X3, X6–X8, against last year's
//! report). Rules never read files and never write them.

pub mod config;
pub mod crosscheck;
pub mod emphasis;
pub mod pattern;
pub mod placeholders;
pub mod previous;
pub mod registry;
pub mod sections;
pub mod suppression;
pub mod tables;
pub mod years;

use crate::data;
use crate::diagnostics::{Diagnostic, Severity};
use crate::reading::{Overrides, Reading};

pub use config::Config;

pub use crate::diagnostics::RuleInfo;

/// The rules of this module itself: a file whose year cannot be read.
pub const META_RULES: &[RuleInfo] = &[RuleInfo {
    code: "N001",
    name: "unknown-year",
    severity: Severity::Warning,
    explain: "无法从标题、统计期限或正文确定报告年度，因而无法确定版式，只做了与版式无关的检查。可用 --year 或 nianbao.toml 的 year 指定。",
}];

/// What the rules share while checking one reading.
pub struct Context<'r> {
    pub reading: &'r Reading,
    pub diagnostics: Vec<Diagnostic>,
}

impl Context<'_> {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
}

/// The year and edition a configuration fixes for files that do not state them.
pub fn overrides(config: &Config) -> Overrides {
    Overrides {
        year: config.year,
        edition: config.edition,
    }
}

/// Runs every rule on a reading; applies suppression comments and the configuration.
pub fn lint(reading: &Reading, config: &Config) -> Vec<Diagnostic> {
    let mut cx = Context {
        reading,
        diagnostics: Vec::new(),
    };
    if reading.year.is_none() {
        cx.push(
            Diagnostic::warning(
                "N001",
                "无法确定报告年度（标题、统计期限和正文中都没有找到），只做了部分检查",
            )
            .with_label(0..0, "文件开头"),
        );
    }
    tables::check(&mut cx);
    sections::check(&mut cx);
    placeholders::check(&mut cx);
    emphasis::check(&mut cx);
    years::check(&mut cx);
    crosscheck::check(&mut cx);
    let mut diagnostics = cx.diagnostics;
    diagnostics.extend(suppression::check_comments(
        &reading.document.text,
        reading.document.format,
        registry::check_pattern,
    ));
    finish(reading, config, &mut diagnostics);
    diagnostics
}

/// Suppression comments, then the configuration, then source order.
pub fn finish(reading: &Reading, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    suppression::suppress_inline(
        &reading.document.text,
        reading.document.format,
        &reading.document.tables,
        diagnostics,
    );
    config.apply(diagnostics);
    diagnostics.sort_by_key(|d| (d.position().1, d.code.clone()));
}

/// Lints a data file: the loader's checks and the equations. The report rules on what it
/// renders to are `crate::gate`'s (the rules do not render).
pub fn lint_data(
    source: &str,
    config: &Config,
) -> (Vec<Diagnostic>, Option<crate::report::Report>) {
    let loaded = data::load_with(source, &config.data_options());
    let mut diagnostics = loaded.diagnostics;
    config.apply(&mut diagnostics);
    (diagnostics, loaded.report)
}

#[cfg(test)]
pub mod testing {
    //! Reading and linting text in unit tests.
    use super::*;
    use crate::input::{Document, Format};

    pub fn read(text: &str, format: Format) -> Reading {
        crate::reading::read(
            Document::plain("test", format, text.to_owned()),
            Overrides::default(),
        )
    }

    pub fn lint_text(text: &str, format: Format) -> Vec<Diagnostic> {
        lint(&read(text, format), &Config::default())
    }
}
