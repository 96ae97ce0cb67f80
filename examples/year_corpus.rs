//! Measures the year rules: plants one year mistake at a time in every report given (files or
//! directories) and in N generated reports, and prints found/planted per role.
//!
//! ```text
//! cargo run --release --example year_corpus -- [N] PATH...
//! cargo run --release --example year_corpus -- write DIR PATH...   # the variants as files
//! cargo run --release --example year_corpus -- score DIR LINT_JSON # any binary's findings
//! ```
//!
//! `write` and `score` measure another build (e.g. an older one) on the same variants: a
//! planted mistake counts as found there when any Y-code finding points at the changed bytes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nianbao::corpus::{self, years};
use nianbao::input::{self, Format};
use nianbao::reading::{self, Overrides};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("write") if args.len() >= 3 => return write(Path::new(&args[1]), &args[2..]),
        Some("score") if args.len() == 3 => return score(Path::new(&args[1]), Path::new(&args[2])),
        _ => {}
    }
    let generated: usize = match args.first().and_then(|a| a.parse().ok()) {
        Some(n) => {
            args.remove(0);
            n
        }
        None => 50,
    };
    let mut outcomes = Vec::new();
    for path in files_in(&args) {
        let Some(format @ (Format::Text | Format::Markdown | Format::Html)) =
            Format::from_path(&path)
        else {
            continue;
        };
        let Ok(document) = nianbao::cli::files::read_document(&path, &input::Options::default())
        else {
            continue;
        };
        let text = document.text.clone();
        let Some(year) = reading::read(document, Overrides::default()).year() else {
            continue;
        };
        let found = years::measure(&text, format, year);
        if std::env::var_os("SHOW_MISSES").is_some() {
            for v in years::variants(&text, format, year) {
                let hit = years::measure_one(&text, &v, format);
                if !hit.found {
                    let at = v.changed.start;
                    let from = v.text[..at]
                        .char_indices()
                        .rev()
                        .nth(20)
                        .map_or(0, |(i, _)| i);
                    let to = v.text[at..]
                        .char_indices()
                        .nth(20)
                        .map_or(v.text.len(), |(i, _)| at + i);
                    eprintln!("  missed {}: {:?}", v.role, &v.text[from..to]);
                }
            }
        }
        let false_errors: Vec<&years::Outcome> = found
            .iter()
            .filter(|o| !o.false_errors.is_empty())
            .collect();
        eprintln!(
            "{}: {} planted, {} found, {} with new errors {:?}",
            path.display(),
            found.len(),
            found.iter().filter(|o| o.found).count(),
            false_errors.len(),
            false_errors
                .iter()
                .map(|o| (o.role, o.false_errors.clone()))
                .collect::<Vec<_>>()
        );
        outcomes.extend(found);
    }
    for (entry, text) in corpus::generate(generated, &[], 11) {
        if entry.defect.is_some() {
            continue;
        }
        let format = if entry.file.ends_with(".html") {
            Format::Html
        } else {
            Format::Markdown
        };
        let year: i32 = entry.file[entry.file.len() - 9..entry.file.len() - 5]
            .trim_start_matches('-')
            .parse()
            .or_else(|_| entry.file.split(['-', '.']).nth(2).unwrap_or("").parse())
            .unwrap_or(0);
        outcomes.extend(years::measure(&text, format, year));
    }
    println!("{:16} {:>6} {:>8}", "role", "found", "planted");
    for (role, found, planted) in years::tally(&outcomes) {
        println!("{:16} {found:>6} {planted:>8}", role.to_string());
    }
    let false_errors = outcomes
        .iter()
        .filter(|o| !o.false_errors.is_empty())
        .count();
    println!("variants with a new error besides the planted one: {false_errors}");
    ExitCode::SUCCESS
}

/// Files named, and the files of directories named, in order.
fn files_in(args: &[String]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut found: Vec<PathBuf> =
                    entries.filter_map(|e| Some(e.ok()?.path())).collect();
                found.sort();
                files.extend(found);
            }
            Err(_) => files.push(path.to_path_buf()),
        }
    }
    files
}

/// Writes every variant of every report as a file, and `manifest.tsv` (file, role, changed
/// byte range).
fn write(dir: &Path, paths: &[String]) -> ExitCode {
    let _ = std::fs::create_dir_all(dir);
    let mut manifest = String::from("file\trole\tstart\tend\n");
    let mut n = 0;
    for path in files_in(paths) {
        let Some(format @ (Format::Text | Format::Markdown | Format::Html)) =
            Format::from_path(&path)
        else {
            continue;
        };
        let Ok(document) = nianbao::cli::files::read_document(&path, &input::Options::default())
        else {
            continue;
        };
        let text = document.text.clone();
        let Some(year) = reading::read(document, Overrides::default()).year() else {
            continue;
        };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
        for v in years::variants(&text, format, year) {
            n += 1;
            let name = format!("{n:04}.{ext}");
            if std::fs::write(dir.join(&name), &v.text).is_err() {
                return ExitCode::from(2);
            }
            manifest.push_str(&format!(
                "{name}\t{}\t{}\t{}\n",
                v.role, v.changed.start, v.changed.end
            ));
        }
    }
    if std::fs::write(dir.join("manifest.tsv"), manifest).is_err() {
        return ExitCode::from(2);
    }
    eprintln!("{n} variants in {}", dir.display());
    ExitCode::SUCCESS
}

/// Scores `nianbao lint --output-format json DIR` output against `DIR/manifest.tsv`.
fn score(dir: &Path, json: &Path) -> ExitCode {
    let (Ok(manifest), Ok(json)) = (
        std::fs::read_to_string(dir.join("manifest.tsv")),
        std::fs::read_to_string(json),
    ) else {
        return ExitCode::from(2);
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&json) else {
        return ExitCode::from(2);
    };
    let mut tally: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, role, start, end] = cols[..] else {
            continue;
        };
        let (Ok(start), Ok(end)) = (start.parse::<u64>(), end.parse::<u64>()) else {
            continue;
        };
        let found = doc["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|d| {
                d["file"].as_str().is_some_and(|f| f.ends_with(file))
                    && d["code"].as_str().is_some_and(|c| c.starts_with('Y'))
                    && d["labels"].as_array().into_iter().flatten().any(|l| {
                        let (s, e) = (
                            l["byte_start"].as_u64().unwrap_or(0),
                            l["byte_end"].as_u64().unwrap_or(0),
                        );
                        s < end && start < e.max(s + 1)
                    })
            });
        let entry = tally.entry(role.to_owned()).or_default();
        entry.1 += 1;
        if found {
            entry.0 += 1;
        }
    }
    for (role, (found, planted)) in tally {
        println!("{role:16} {found:>6} {planted:>8}");
    }
    ExitCode::SUCCESS
}
