//! The SARIF log of a long `lint` run, written without holding its results: each file's
//! results are serialised as they come into a spool (a temporary file), and the log's frame
//! ([`crate::diagnostics::sarif::log`]) is written around them at the end, because the frame's
//! `invocations`, which come before `results`, depend on every file having been read.

use std::collections::BTreeMap;
use std::io::{self, Seek, Write};
use std::path::Path;
use std::sync::LazyLock;

use serde_sarif::sarif;

use crate::diagnostics::sarif::{Rule, log, rule_indexes, set_rule_index};
use crate::rules::registry;

/// Where [`Writer`] keeps the serialised results until the end: a temporary file, or memory
/// when no temporary file can be made.
enum Spool {
    File(io::BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

impl Write for Spool {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match self {
            Spool::File(file) => file.write(data),
            Spool::Memory(memory) => memory.write(data),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Spool::File(file) => file.flush(),
            Spool::Memory(_) => Ok(()),
        }
    }
}

/// The SARIF log of a run, written as the files' results come: the same bytes as
/// `serde_json::to_writer_pretty` of [`log`] with the registry's rules and all the results,
/// and a line break.
pub struct Writer {
    rules: &'static [Rule<'static>],
    results: crate::cli::output::PrettyArray<Spool>,
}

/// The rules of `lint`'s log: every code of the registry, in order (built once, with the
/// registry, the first time SARIF is asked for).
pub fn registry_rules() -> &'static [Rule<'static>] {
    static RULES: LazyLock<Vec<Rule<'static>>> = LazyLock::new(|| {
        registry::all()
            .iter()
            .map(|c| Rule {
                id: c.code,
                name: &c.name,
                summary: c.summary(),
                explain: &c.explain,
                severity: c.severity,
                family: c.family.letter(),
            })
            .collect()
    });
    &RULES
}

/// Each result with its `ruleIndex` filled in (its code's place in [`registry_rules`]),
/// pretty-printed, for [`Writer::push_pretty`]. Done by the worker that checked the file, so
/// that the printing thread only copies bytes and frees one string per result: a result freed
/// there is many small allocations, and glibc's allocator takes the lock of the worker's arena
/// for each.
pub fn pretty_results(results: Vec<sarif::Result>) -> Vec<String> {
    static INDEX: LazyLock<BTreeMap<&'static str, usize>> =
        LazyLock::new(|| rule_indexes(registry_rules()));
    results
        .into_iter()
        .filter_map(|mut result| {
            set_rule_index(&mut result, &INDEX);
            // A result has string keys only: it always serialises.
            serde_json::to_string_pretty(&result).ok()
        })
        .collect()
}

/// How deep `runs[0].results` is in the log.
const RESULTS_DEPTH: usize = 3;

impl Writer {
    /// A writer whose log lists every code of the registry, in order (what
    /// [`pretty_results`] numbers the results by), its spool opened. Builds the registry.
    pub fn open() -> Self {
        let spool = match tempfile::tempfile() {
            Ok(file) => Spool::File(io::BufWriter::new(file)),
            Err(_) => Spool::Memory(Vec::new()),
        };
        Self {
            rules: registry_rules(),
            results: crate::cli::output::PrettyArray::new(spool, RESULTS_DEPTH, Vec::new()),
        }
    }

    /// Adds one file's results as [`pretty_results`] gave them.
    pub fn push_pretty(&mut self, results: &[String]) -> io::Result<()> {
        for result in results {
            self.results.push_pretty(result.as_bytes())?;
        }
        Ok(())
    }

    /// Writes the whole log to `out`, with `failures` (`(file, why)`) as notifications.
    pub fn finish(
        self,
        failures: &[(String, String)],
        cwd: Option<&Path>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let frame = serde_json::to_string_pretty(&log(self.rules, Vec::new(), failures, cwd))
            .map_err(io::Error::from)?;
        let (head, tail) = crate::cli::output::split_at_array(&frame, "results", RESULTS_DEPTH)
            .ok_or_else(|| io::Error::other("SARIF 日志中没有 results 数组"))?;
        out.write_all(head.as_bytes())?;
        match self.results.finish()? {
            Spool::File(file) => {
                let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.rewind()?;
                io::copy(&mut file, out)?;
            }
            Spool::Memory(memory) => out.write_all(&memory)?,
        }
        out.write_all(tail.as_bytes())?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::sarif::results;
    use crate::diagnostics::{Diagnostic, SourceFiles};

    /// The streamed log is the whole log, byte for byte, with and without results and failures.
    #[test]
    fn the_writer_writes_the_log_serde_writes_whole() {
        let mut files = SourceFiles::default();
        files.add("/work/repo/a.md", "标题\n数字 12\n");
        // Codes from the start and the end of the registry, and one in the middle.
        let found = [
            Diagnostic::error("T101", "不平衡").with_label(3..5, "左边"),
            Diagnostic::warning("Y003", "年份").with_label(0..3, "这里"),
            Diagnostic::error("S001", "缺少部分").with_label(0..3, "这里"),
        ];
        let rules = registry_rules();
        let cwd = Some(Path::new("/work/repo"));
        for (count, failures) in [
            (0, vec![]),
            (2, vec![]),
            (
                3,
                vec![("x.docx".to_owned(), "不是有效的 Word 文档".to_owned())],
            ),
        ] {
            let mut writer = Writer::open();
            let mut all = Vec::new();
            for _ in 0..count {
                let results = results(&files, &found, None, cwd);
                all.extend(results.clone());
                writer
                    .push_pretty(&pretty_results(results))
                    .expect("writes");
            }
            let mut streamed = Vec::new();
            writer
                .finish(&failures, cwd, &mut streamed)
                .expect("writes");
            let mut whole =
                serde_json::to_vec_pretty(&log(rules, all, &failures, cwd)).expect("serialises");
            whole.push(b'\n');
            assert_eq!(
                String::from_utf8(streamed.clone()),
                String::from_utf8(whole)
            );
            let back: sarif::Sarif = serde_json::from_slice(&streamed).expect("parses back");
            assert_eq!(
                back.runs[0].results.as_ref().map(Vec::len),
                Some(count * found.len())
            );
        }
    }
}
