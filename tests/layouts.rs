//! Real-world layouts, reproduced with our own example report (`tests/fixtures/layouts/`, made
//! by `scripts/make-layout-fixtures.py`): blank cells, title forms, a CMS page's chrome, a
//! crawler's one-line text. Each is reported once at the right place, with no false alarm.

mod common;

use common::*;
use serde_json::Value;

fn layout(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/layouts").join(name)
}

/// `lint --output-format json` on a fixture: (code, severity, line of the primary label).
fn findings(name: &str) -> Vec<(String, String, u64)> {
    let out = nianbao()
        .args(["lint", "--output-format", "json"])
        .arg(layout(name))
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_owned(),
                d["severity"].as_str().unwrap_or("").to_owned(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn codes(name: &str) -> Vec<String> {
    let mut codes: Vec<String> = findings(name).into_iter().map(|(c, ..)| c).collect();
    codes.sort();
    codes
}

#[test]
fn blank_cells_count_as_zero_are_reported_once_per_table_and_a_blank_total_is_caught() {
    for name in ["blank-cells.html", "blank-cells.md", "blank-cells-tabs.txt"] {
        assert_eq!(
            codes(name),
            ["T008", "T008", "T008", "T102", "T103"],
            "{name}: one T008 per table; R3 on the row whose 总计 is blank, R2 on the 总计 column"
        );
        let text = std::fs::read_to_string(layout(name)).expect("fixture");
        let r3_line = findings(name)
            .into_iter()
            .find(|(c, ..)| c == "T103")
            .map(|(.., line)| line)
            .expect("T103");
        let line = text.lines().nth(r3_line as usize - 1).unwrap_or("");
        // The finding is on the 予以公开 row (or, in HTML, its blank 总计 cell).
        assert!(
            line.contains("予以公开") || line.contains("&nbsp;") || name.ends_with(".html"),
            "{name}: line {r3_line}: {line}"
        );
    }
}

#[test]
fn title_forms_give_the_year_and_the_agency() {
    for name in [
        "title-year-first.txt",
        "title-split.txt",
        "title-year-late.txt",
        "cms-page.html",
    ] {
        assert_eq!(codes(name), Vec::<String>::new(), "{name}");
        let out = nianbao()
            .arg("extract")
            .arg(layout(name))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let data = stdout(&out);
        assert!(data.contains("年度: 2023"), "{name}: {data}");
        assert!(
            data.contains("机关: \"青山区人民政府\"\n"),
            "{name}: {data}"
        );
    }
}

#[test]
fn page_chrome_is_not_report_text() {
    let out = nianbao()
        .arg("extract")
        .arg(layout("cms-page.html"))
        .output()
        .expect("runs");
    let data = stdout(&out);
    for chrome in [
        "首页",
        "当前位置",
        "索引号",
        "相关链接",
        "版权所有",
        "主办单位",
    ] {
        assert!(!data.contains(chrome), "{chrome} in {data}");
    }
    assert!(data.contains("本年度未收取信息处理费"), "{data}");
}

#[test]
fn a_one_line_crawled_report_finds_its_sections_and_names_its_glued_tables_once() {
    let found = findings("one-line.txt");
    let codes: Vec<&str> = found.iter().map(|(c, ..)| c.as_str()).collect();
    // Tables 三 and 四 are split by their equations; table 二 has none to split it by.
    assert_eq!(codes, ["T007"], "{found:?}");
    assert!(found.iter().all(|(_, severity, _)| severity == "warning"));
    let out = nianbao()
        .args(["lint"])
        .arg(layout("one-line.txt"))
        .output()
        .expect("runs");
    assert!(stdout(&out).contains("数字连在一起") || stderr(&out).contains("数字连在一起"));
}
