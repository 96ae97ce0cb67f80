//! The rendered report as a reader holds it: the HTML page printed by headless Chromium (and
//! the Word document converted by LibreOffice, when it is installed), read page by page with
//! `pdftotext`. No page shows table rows without the table's header row, no heading is left at
//! the foot of a page, the last row of table 三 and the 落款 never stand alone, and every page
//! carries its number.
//!
//! These tests need programs outside Rust (`chromium` or `google-chrome`, `pdftotext` from
//! poppler-utils, `soffice` for Word); without them they say so on stderr and pass.
//! `scripts/print-check.sh` makes the same PDFs and PNG pages for a person to look at.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The first of `names` found on PATH.
fn program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Runs a command, killing it after `limit`. `true` when it exited 0.
fn run(mut cmd: Command, limit: Duration) -> bool {
    let Ok(mut child) = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn() else {
        return false;
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if start.elapsed() < limit => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

/// The text of each page of a PDF, in layout order.
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn lines(page: &str) -> Vec<&str> {
    page.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// A printed page number: `— 3 —` (spacing as the PDF gives it).
fn page_number(line: &str) -> Option<usize> {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.strip_prefix('—')?.strip_suffix('—')?.parse().ok()
}

/// How many whole numbers a line holds (a row of table 三 has 7, table 四's figures 15).
fn figures(line: &str) -> usize {
    line.split_whitespace()
        .filter(|t| t.parse::<i64>().is_ok())
        .count()
}

const HEADINGS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

fn is_heading(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    HEADINGS.contains(&compact.as_str())
        || (compact.starts_with('（') && compact.chars().count() <= 16 && !compact.contains('。'))
        || (compact.starts_with("第二十条第") && compact.ends_with('项'))
}

/// Every rule of a printed report, with `what` naming the case in failures.
fn check_pages(pages: &[String], what: &str) {
    assert!(pages.len() >= 2, "{what}: {} page(s)", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let n = i + 1;
        let lines = lines(page);
        let numbered = lines.iter().any(|l| page_number(l) == Some(n));
        assert!(numbered, "{what}: page {n} has no page number:\n{page}");
        let text: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| page_number(l).is_none())
            .collect();
        // No heading (section, (一) sub-heading, table 二 block title) ends a page.
        if let Some(last) = text.last() {
            assert!(
                !is_heading(last),
                "{what}: page {n} ends with the heading {last:?}"
            );
        }
        // Table rows are never printed without the table's header.
        if text.iter().any(|l| figures(l) == 7) {
            assert!(
                page.contains("申请人情况"),
                "{what}: page {n} shows rows of table 三 without its header:\n{page}"
            );
        }
        if text.iter().any(|l| figures(l) == 15) {
            assert!(
                page.contains("行政诉讼"),
                "{what}: page {n} shows table 四 without its header"
            );
        }
        // The last row of table 三 has company.
        if text.iter().any(|l| l.starts_with("四、结转下年度继续办理")) {
            let rows = text.iter().filter(|l| figures(l) == 7).count();
            assert!(rows >= 2, "{what}: table 三's last row alone on page {n}");
        }
    }
    // The 落款 closes the last page, with text above it.
    let last = lines(pages.last().expect("a page"));
    let body: Vec<&&str> = last.iter().filter(|l| page_number(l).is_none()).collect();
    assert!(
        body.len() > 2,
        "{what}: the 落款 is alone on the last page: {last:?}"
    );
}

/// The example with `extra` paragraphs added to 总体情况, so that headings and tables fall at
/// different places on the pages.
fn variant(dir: &Path, extra: usize) -> PathBuf {
    let base = std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example");
    let mut added = String::new();
    for i in 0..extra {
        added.push_str(&format!(
            "\n    第{}段补充说明：本年度持续推进政务公开标准化规范化建设，完善主动公开目录，加强政策解读与回应关切，提升政府网站信息发布质量。\n",
            i + 1
        ));
    }
    let at = base
        .find("  存在的主要问题及改进情况: |")
        .expect("section 五");
    let text = format!("{}{added}{}", &base[..at], &base[at..]);
    let path = dir.join(format!("variant-{extra}.yaml"));
    std::fs::write(&path, text).expect("write");
    path
}

fn render(data: &Path, out: &Path, extra_args: &[&str]) {
    let result = nianbao()
        .arg("render")
        .arg(data)
        .args(extra_args)
        .arg("-o")
        .arg(out)
        .output()
        .expect("runs");
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
}

#[test]
fn the_printed_html_page_keeps_headers_headings_and_the_signature_with_their_text() {
    let Some(chromium) = program(&[
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]) else {
        skipped("no chromium or google-chrome on PATH (apt-get install chromium)");
        return;
    };
    if program(&["pdftotext"]).is_none() {
        skipped("no pdftotext on PATH (apt-get install poppler-utils)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("profile");
    let mut cases: Vec<(String, PathBuf, Vec<String>)> = (0..=8)
        .map(|extra| {
            (
                format!("{extra} extra paragraphs"),
                variant(dir.path(), extra),
                vec![],
            )
        })
        .collect();
    cases.push((
        "charts".to_owned(),
        example("qingshan-2023.yaml"),
        vec![
            "--charts".to_owned(),
            "--previous".to_owned(),
            fixture("qingshan-2022.yaml").display().to_string(),
        ],
    ));
    cases.push((
        "2019 edition".to_owned(),
        example("shaoxing-2019.yaml"),
        vec![],
    ));
    for (i, (what, data, args)) in cases.iter().enumerate() {
        let html = dir.path().join(format!("{i}.html"));
        let pdf = dir.path().join(format!("{i}.pdf"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        render(data, &html, &args);
        let mut print = Command::new(&chromium);
        print
            .args(CHROMIUM_FLAGS)
            .arg("--no-pdf-header-footer")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(&html);
        if !run(print, Duration::from_secs(120)) || !pdf.exists() {
            skipped(&format!("{} could not print {what}", chromium.display()));
            return;
        }
        check_pages(&pages(&pdf), &format!("HTML, {what}"));
    }
}

#[test]
fn the_word_document_converted_by_libreoffice_keeps_the_same_rules() {
    let Some(soffice) = program(&["soffice", "libreoffice"]) else {
        skipped("no soffice on PATH (apt-get install libreoffice-writer-nogui)");
        return;
    };
    if program(&["pdftotext"]).is_none() {
        skipped("no pdftotext on PATH (apt-get install poppler-utils)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut documents = Vec::new();
    for extra in [0, 3, 6] {
        let docx = dir.path().join(format!("{extra}.docx"));
        render(&variant(dir.path(), extra), &docx, &[]);
        documents.push((format!("{extra} extra paragraphs"), docx));
    }
    let docx = dir.path().join("2019.docx");
    render(&example("shaoxing-2019.yaml"), &docx, &[]);
    documents.push(("2019 edition".to_owned(), docx));
    let mut convert = Command::new(&soffice);
    convert
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("lo-profile").display()
        ))
        .args(documents.iter().map(|(_, p)| p));
    if !run(convert, Duration::from_secs(300)) {
        skipped(&format!(
            "{} could not convert the documents",
            soffice.display()
        ));
        return;
    }
    for (what, docx) in &documents {
        let pdf = docx.with_extension("pdf");
        check_pages(&pages(&pdf), &format!("Word, {what}"));
    }
}
