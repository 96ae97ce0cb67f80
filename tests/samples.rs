//! The real published reports in `../shared/samples` (reference material, read at run time and
//! never copied): every one lints without errors except 上海市人民政府办公厅 2019, which reports
//! exactly its real defects, and the official blank template, whose （文字描述） are placeholders
//! (S005); and the figures read from the HTML pages are the published ones
//! (`figures.json`, read by hand). Skipped, with a notice, on a clone without `../shared`.

mod common;

use common::*;
use nianbao::edition::TableId;
use nianbao::input;
use nianbao::reading::{self, Overrides, Reading};
use serde_json::Value;

fn samples_dir() -> Option<std::path::PathBuf> {
    let dir = root().join("../shared/samples");
    if dir.is_dir() {
        Some(dir)
    } else {
        skipped("../shared/samples is not present");
        None
    }
}

#[test]
fn every_sample_lints_without_errors_but_the_one_with_real_defects() {
    let Some(dir) = samples_dir() else { return };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("samples")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| input::Format::from_path(std::path::Path::new(n)).is_some())
        .collect();
    names.sort();
    assert!(names.len() >= 9, "{names:?}");
    let pdf_reader = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    for name in names {
        if name.ends_with(".pdf") && !pdf_reader {
            skipped(&format!("pdftotext is not installed; {name} not linted"));
            continue;
        }
        let mut cmd = nianbao();
        cmd.args(["lint", "--output-format", "json"])
            .arg(dir.join(&name));
        if name.starts_with("official-template") {
            // The blank template states no year.
            cmd.args(["--year", "2021"]);
        }
        let out = cmd.output().expect("runs");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
        let mut errors: Vec<String> = doc["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["code"].as_str().unwrap_or("").to_owned())
            .collect();
        errors.sort();
        if name == "shanghai-bgt-2019.html" {
            // Its 总计 column is blank in 11 non-zero rows (R3 on each, R2 on the column) and
            // two prose figures disagree with its table (258 vs 275, 265 vs 337).
            let mut expected = vec!["T102".to_owned()];
            expected.extend(std::iter::repeat_n("T103".to_owned(), 11));
            expected.extend(["X5".to_owned(), "X5".to_owned()]);
            assert_eq!(errors, expected, "{name}");
            let messages: Vec<&str> = doc["diagnostics"]
                .as_array()
                .expect("array")
                .iter()
                .filter(|d| d["code"] == "X5")
                .filter_map(|d| d["message"].as_str())
                .collect();
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains("258件") && m.contains("275件"))
            );
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains("265件") && m.contains("337件"))
            );
            // The blank totals are named as blanks, not as zeros the page does not print.
            let blank_totals = doc["diagnostics"]
                .as_array()
                .expect("array")
                .iter()
                .filter(|d| d["code"] == "T103")
                .filter_map(|d| d["message"].as_str())
                .filter(|m| m.contains("总计列为空白（按0计）"))
                .count();
            assert_eq!(blank_totals, 11);
        } else if name.starts_with("official-template") {
            // The blank template's three （文字描述…） placeholders, and nothing else.
            assert_eq!(errors, ["S005"; 3], "{name}: {}", stdout(&out));
            let quoted = doc["diagnostics"]
                .as_array()
                .expect("array")
                .iter()
                .filter(|d| d["code"] == "S005")
                .filter_map(|d| d["message"].as_str())
                .filter(|m| m.contains("（文字描述"))
                .count();
            assert_eq!(quoted, 3, "{name}: {}", stdout(&out));
        } else {
            assert_eq!(errors, Vec::<String>::new(), "{name}: {}", stdout(&out));
        }
    }
}

fn read(path: &std::path::Path) -> Reading {
    reading::read(
        nianbao::cli::files::read_document(path, &input::Options::default()).expect("sample reads"),
        Overrides::default(),
    )
}

/// The edition row id for a key of figures.json (leaf labels without their group).
fn row_id(reading: &Reading, key: &str) -> String {
    let edition = reading.edition.expect("edition");
    edition
        .applications
        .data_rows()
        .map(|(id, _)| id)
        .find(|id| *id == key || id.ends_with(&format!(".{key}")))
        .unwrap_or_else(|| panic!("no row {key}"))
        .to_owned()
}

#[test]
fn the_web_pages_figures_are_the_published_ones() {
    let Some(dir) = samples_dir() else { return };
    let figures: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("figures.json")).expect("figures.json"),
    )
    .expect("json");
    for (name, published) in figures.as_object().expect("object") {
        if name == "note" {
            continue;
        }
        let reading = read(&dir.join(name));
        assert_eq!(
            reading.edition.map(|e| u64::from(e.edition)),
            published["edition"].as_u64(),
            "{name}"
        );
        let grid = reading
            .grid(TableId::Applications)
            .unwrap_or_else(|| panic!("{name}: table 三 read"));
        for (key, row) in published["table3"].as_object().expect("table3") {
            let id = row_id(&reading, key);
            let want: Vec<i64> = row
                .as_array()
                .expect("row")
                .iter()
                .map(|v| v.as_i64().unwrap_or(0))
                .collect();
            let got: Vec<i64> = (0..7).map(|c| grid.value(&id, c).unwrap_or(-1)).collect();
            assert_eq!(got, want, "{name} {key}");
        }
        if let Some(table4) = published["table4"].as_array() {
            let grid = reading
                .grid(TableId::Appeals)
                .unwrap_or_else(|| panic!("{name}: table 四 read"));
            let got: Vec<i64> = ["行政复议", "未经复议直接起诉", "复议后起诉"]
                .iter()
                .flat_map(|id| (0..5).map(move |c| grid.value(id, c).unwrap_or(-1)))
                .collect();
            let want: Vec<i64> = table4.iter().map(|v| v.as_i64().unwrap_or(0)).collect();
            assert_eq!(got, want, "{name} table 四");
        }
    }
}
