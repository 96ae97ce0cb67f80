//! Linting a directory: the walk, parallel runs in a deterministic order, `--statistics`, and
//! the accuracy of a corpus run against its planted-defect manifest (the benchmark's corpus,
//! small).

mod common;

use common::*;
use nianbao::corpus;

/// The seed samples and, when `../shared/samples` is beside the repository, the reference
/// samples in text form.
fn samples() -> Vec<(String, String)> {
    samples_present(&[
        "huaian-2024-pdftotext-layout.txt",
        "huaian-2024-pdftotext.txt",
    ])
    .into_iter()
    .map(|(name, path)| {
        let text = std::fs::read_to_string(path).expect("sample");
        (name, text)
    })
    .collect()
}

/// Writes a corpus of `n` files into a temporary directory.
fn write_corpus(n: usize, seed: u64) -> (tempfile::TempDir, Vec<corpus::Entry>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = corpus::generate(n, &samples(), seed);
    for (entry, text) in &files {
        std::fs::write(dir.path().join(&entry.file), text).expect("write");
    }
    (dir, files.into_iter().map(|(e, _)| e).collect())
}

#[test]
fn corpus_run_finds_every_planted_defect_and_nothing_else() {
    let (dir, entries) = write_corpus(120, 5);
    assert!(entries.iter().filter(|e| e.defect.is_some()).count() >= 20);
    let out = nianbao()
        .args(["lint", "--output-format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let accuracy = corpus::check(&entries, &doc);
    assert!(accuracy.perfect(), "{accuracy:?}");
    assert_eq!(doc["summary"]["files"], 120);
    assert_eq!(
        doc["summary"]["files_with_errors"], accuracy.planted,
        "exactly the planted files have errors"
    );
}

#[test]
fn output_is_the_same_on_one_thread_and_many() {
    let (dir, _) = write_corpus(40, 9);
    let run = |threads: &str| {
        nianbao()
            .args(["lint", "-j", threads])
            .arg(dir.path())
            .output()
            .expect("runs")
    };
    let one = run("1");
    let many = run("4");
    assert_eq!(stdout(&one), stdout(&many));
    assert!(stdout(&one).contains("检查了 40 个文件"));
}

#[test]
fn statistics_count_codes_and_files_with_errors() {
    let (dir, entries) = write_corpus(60, 3);
    let out = nianbao()
        .args(["lint", "--statistics"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let text = stdout(&out);
    let planted = entries.iter().filter(|e| e.defect.is_some()).count();
    assert!(
        text.contains(&format!("有错误的文件：{planted} 个")),
        "{text}"
    );
    // One line per code: count, code, severity, name; no per-diagnostic output.
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().nth(1) == Some("S001")),
        "{text}"
    );
    assert!(!text.contains("┌─"), "{text}");
}

#[test]
fn a_file_that_cannot_be_read_fails_alone_with_exit_two() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(seed("linan-2020.txt"), dir.path().join("a.txt")).expect("copy");
    // No supported encoding decodes these bytes (GBK text would be decoded and read).
    std::fs::write(dir.path().join("b.txt"), b"\x80\xff\x80\xff").expect("write");
    std::fs::write(dir.path().join(".gitignore"), "ignored.txt\n").expect("write");
    std::fs::write(dir.path().join("ignored.txt"), b"\xff").expect("write");
    let out = nianbao()
        .arg("lint")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("b.txt") && err.contains("编码"), "{err}");
    assert!(!err.contains("ignored.txt"), "{err}");
    assert!(stdout(&out).contains("检查了 2 个文件"), "{}", stdout(&out));
}

/// One report-year reference changed at a time, in the seed samples, the reference samples when
/// present, and generated reports: every structural role is found at the changed bytes, and no
/// variant gains another error.
#[test]
fn a_changed_year_reference_is_found_by_its_role() {
    use nianbao::corpus::years::{self, Role};
    use nianbao::input::{self, Format};
    use nianbao::reading::{self, Overrides};
    let mut outcomes = Vec::new();
    let mut texts: Vec<(String, String, Format)> = samples_present(&[
        "huaian-2024-pdftotext-layout.txt",
        "huaian-2024-pdftotext.txt",
        "pingtan-2024.html",
        "shanghai-bgt-2019.html",
    ])
    .into_iter()
    .map(|(name, path)| {
        let format = Format::from_path(&path).unwrap_or(Format::Text);
        let text = nianbao::cli::files::read_document(&path, &input::Options::default())
            .expect("sample")
            .text;
        (name, text, format)
    })
    .collect();
    for (entry, text) in corpus::generate(20, &[], 3) {
        if entry.defect.is_none() {
            let format = if entry.file.ends_with(".html") {
                Format::Html
            } else {
                Format::Markdown
            };
            texts.push((entry.file, text, format));
        }
    }
    for (name, text, format) in &texts {
        let year = reading::read(
            input::Document::plain(name, *format, text.clone()),
            Overrides::default(),
        )
        .year()
        .expect("a year");
        for outcome in years::measure(text, *format, year) {
            assert!(
                outcome.false_errors.is_empty(),
                "{name} {}: {:?}",
                outcome.role,
                outcome.false_errors
            );
            outcomes.push(outcome);
        }
    }
    for (role, found, planted) in years::tally(&outcomes) {
        eprintln!("{role}: {found}/{planted}");
        if role.structural() && role != Role::Title {
            assert!(planted > 0, "{role} never planted");
        }
        if role.structural() {
            assert_eq!(found, planted, "{role}");
        }
    }
}
