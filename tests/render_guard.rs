//! `render` does not destroy review work: the Word file it writes records a fingerprint of
//! what it wrote; writing over a Word file changed since (or never written by nianbao) needs
//! `--force`; a `--to` that contradicts the output's extension is refused; hints quote paths.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::nianbao;

fn data_file(dir: &Path) -> PathBuf {
    let data = dir.join("2023.yaml");
    let out = nianbao()
        .args(["init", "--year", "2023", "--agency", "青山区人民政府", "-o"])
        .arg(&data)
        .output()
        .expect("runs");
    assert!(out.status.success());
    data
}

fn render(data: &Path, args: &[&str], output: &Path) -> std::process::Output {
    nianbao()
        .arg("render")
        .arg(data)
        .args(args)
        .arg("-o")
        .arg(output)
        .output()
        .expect("runs")
}

fn parts(docx: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(docx).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).expect("part");
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).expect("read");
            (part.name().expect("name").to_string(), bytes)
        })
        .collect()
}

/// The Word file as Word would leave it after an edit: the document part changed.
fn edit_in_word(docx: &Path) {
    let edited: Vec<(String, Vec<u8>)> = parts(docx)
        .into_iter()
        .map(|(name, bytes)| {
            if name == "word/document.xml" {
                let text = String::from_utf8(bytes).expect("utf-8");
                (name, text.replacen("青山区", "青山县", 1).into_bytes())
            } else {
                (name, bytes)
            }
        })
        .collect();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(docx).expect("create"));
    for (name, bytes) in edited {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(&bytes).expect("write");
    }
    zip.finish().expect("finish");
}

#[test]
fn the_word_file_records_its_fingerprint_as_a_custom_property() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = data_file(dir.path());
    let docx = dir.path().join("2023.docx");
    assert!(render(&data, &[], &docx).status.success());
    let parts = parts(&docx);
    let part = |name: &str| {
        let bytes = &parts.iter().find(|(n, _)| n == name).expect(name).1;
        String::from_utf8(bytes.clone()).expect("utf-8")
    };
    let custom = part("docProps/custom.xml");
    let xml = roxmltree::Document::parse(&custom).expect("XML");
    let property = xml
        .descendants()
        .find(|n| n.attribute("name") == Some("nianbao-fingerprint"))
        .expect("the property");
    assert!(property.text().is_none());
    let value = property.first_element_child().and_then(|v| v.text());
    assert!(value.is_some_and(|v| v.starts_with("fnv1a64:")), "{custom}");
    assert!(part("[Content_Types].xml").contains("/docProps/custom.xml"));
    assert!(part("_rels/.rels").contains("relationships/custom-properties"));
}

#[test]
fn an_edited_word_file_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = data_file(dir.path());
    let docx = dir.path().join("2023.docx");
    assert!(render(&data, &[], &docx).status.success());
    // Unchanged since nianbao wrote it: rendering again is fine.
    assert!(render(&data, &[], &docx).status.success());

    edit_in_word(&docx);
    let reviewed = std::fs::read(&docx).expect("read");
    let out = render(&data, &[], &docx);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("被修改过") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&docx).expect("read"),
        reviewed,
        "left as it was"
    );

    assert!(render(&data, &["--force"], &docx).status.success());
    assert_ne!(std::fs::read(&docx).expect("read"), reviewed);
}

#[test]
fn a_word_file_nianbao_did_not_write_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = data_file(dir.path());
    let docx = dir.path().join("their.docx");
    std::fs::write(&docx, b"PK\x03\x04 someone else's document").expect("write");
    let out = render(&data, &[], &docx);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("不是由 nianbao 生成的"), "{stderr}");
    assert!(render(&data, &["--force"], &docx).status.success());
}

#[test]
fn a_format_contradicting_the_extension_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = data_file(dir.path());
    let docx = dir.path().join("2023.docx");
    let out = render(&data, &["--to", "markdown"], &docx);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--to markdown") && stderr.contains("扩展名不符"),
        "{stderr}"
    );
    assert!(!docx.exists());
    // Agreeing, or an extension that says nothing, is fine.
    assert!(render(&data, &["--to", "docx"], &docx).status.success());
    let txt = dir.path().join("2023.txt");
    assert!(render(&data, &["--to", "markdown"], &txt).status.success());
}

#[test]
fn hints_quote_paths_for_the_shell() {
    let dir = tempfile::tempdir().expect("temp dir");
    let drafts = dir.path().join("2024 草稿");
    std::fs::create_dir(&drafts).expect("dir");
    let data = data_file(&drafts);
    let report = drafts.join("2023.md");
    std::fs::write(&report, "# 旧的报告\n").expect("write");
    let out = nianbao()
        .arg("render")
        .arg(&data)
        .arg("--check")
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let quoted = format!("-o '{}'", report.display());
    assert!(stderr.contains(&quoted), "{quoted} not in {stderr}");
}
