//! Issue 17, items 2, 3, 5 and the X5 labels of item 6, on fixtures of a made-up agency
//! (tests/fixtures/x5/, rendered from baisha-2023.yaml and then edited): a pasted paragraph led
//! by last year's year still has its figures checked, legitimate comparisons stay quiet,
//! placeholders are errors in every format, X5 names the category nearest the figure, and its
//! labels show the printed total.

mod common;

use common::*;
use serde_json::Value;

/// Lints a fixture of tests/fixtures/x5 as JSON: the exit code and the diagnostics.
fn lint(name: &str) -> (i32, Vec<Value>) {
    let out = nianbao()
        .args(["lint", "--output-format", "json"])
        .arg(fixture(&format!("x5/{name}")))
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let diagnostics = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap_or(-1), diagnostics)
}

fn messages(diagnostics: &[Value], code: &str) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == code)
        .filter_map(|d| d["message"].as_str().map(str::to_owned))
        .collect()
}

fn labels(d: &Value) -> Vec<String> {
    d["labels"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["message"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn the_data_file_behind_the_fixtures_is_clean() {
    let out = nianbao()
        .arg("lint")
        .arg(fixture("x5/baisha-2023.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_pasted_paragraph_of_last_year_has_its_figures_checked() {
    // 2022年，共收到政府信息公开申请85件，上年结转5件… in a 2023 report whose table says 32 and 3.
    let (code, found) = lint("leftover.md");
    assert_eq!(code, 1);
    assert_eq!(
        messages(&found, "X5"),
        [
            "正文说收到的申请为85件，表格中为32件",
            "正文说上年结转的申请为5件，表格中为3件"
        ]
    );
    assert_eq!(messages(&found, "Y003").len(), 1, "{found:?}");
}

#[test]
fn legitimate_comparisons_with_another_year_stay_quiet() {
    // 2022年同期…40件, 与2022年相比, 2019年以来…210件, 比上年少收到申请8件.
    let (code, found) = lint("comparison.md");
    assert_eq!(code, 0, "{found:?}");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_category_phrase_nearest_the_figure_decides() {
    // 给予同意公开答复13件，不予公开答复3件，区分处理后公开4件，因无法提供相关信息答复2件，其他处理2件
    // against a table with 无法提供 0 and 其他处理 4.
    let (code, found) = lint("category.md");
    assert_eq!(code, 1);
    assert_eq!(
        messages(&found, "X5"),
        [
            "正文说无法提供的申请为2件，表格中为0件",
            "正文说其他处理的申请为2件，表格中为4件"
        ]
    );
    assert!(
        !messages(&found, "X5").iter().any(|m| m.contains("办结")),
        "{found:?}"
    );
}

#[test]
fn x5_labels_show_the_printed_total_and_the_message_both() {
    // 本年新收's 总计 printed as 40 while its cells add up to 32; the prose says 35.
    let (_, found) = lint("printed-total.md");
    let x5: Vec<&Value> = found.iter().filter(|d| d["code"] == "X5").collect();
    assert_eq!(x5.len(), 1, "{found:?}");
    assert_eq!(
        x5[0]["message"],
        "正文说收到的申请为35件，表格中为40件（各列之和为32件）"
    );
    assert_eq!(labels(x5[0]), ["表格中为40", "表格：40"]);
}

#[test]
fn placeholders_are_errors_in_every_format() {
    // A draft still holding nianbao init's 【待填写】 and its hint in 一, 五 and 六.
    let (code, found) = lint("placeholder-draft.md");
    assert_eq!(code, 1);
    let s005 = messages(&found, "S005");
    assert_eq!(s005.len(), 3, "{found:?}");
    assert!(s005.iter().all(|m| m.contains("【待填写】")), "{s005:?}");
    // （文字描述）, XXX局 and xxx件, rendered to HTML and to Word.
    for name in ["template.html", "template.docx"] {
        let (code, found) = lint(name);
        assert_eq!(code, 1, "{name}");
        assert_eq!(
            messages(&found, "S005"),
            [
                "报告中仍有占位文字“（文字描述）”，发布前须填写",
                "报告中仍有占位文字“XXX”，发布前须填写",
                "报告中仍有占位文字“xxx”，发布前须填写"
            ],
            "{name}"
        );
    }
}

#[test]
fn reports_rendered_from_complete_data_and_the_seed_samples_have_no_placeholders() {
    let mut files: Vec<std::path::PathBuf> = SEEDS.iter().map(|n| seed(n)).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["qingshan-2023.yaml", "shaoxing-2019.yaml"] {
        for ext in ["md", "html", "docx"] {
            let out = dir.path().join(format!("{name}.{ext}"));
            nianbao()
                .arg("render")
                .arg(example(name))
                .arg("-o")
                .arg(&out)
                .assert()
                .success();
            files.push(out);
        }
    }
    for file in files {
        let out = nianbao()
            .args(["lint", "--output-format", "json"])
            .arg(&file)
            .output()
            .expect("runs");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
        let found = doc["diagnostics"].as_array().cloned().unwrap_or_default();
        assert!(
            messages(&found, "S005").is_empty(),
            "{}: {found:?}",
            file.display()
        );
    }
}
