//! Issue 17, items 1, 7 and 8: the data file passes the same gate as the report it renders to
//! (findings pointing into the YAML), the publication deadline follows the agency, and the
//! slips of a Chinese keyboard are named with their half-width fix. Fixtures: tests/fixtures/gate/.

mod common;

use std::path::Path;

use common::*;

fn gate_fixture(name: &str) -> std::path::PathBuf {
    fixture(&format!("gate/{name}"))
}

/// `lint --output-format concise` of `path`: (exit code, the finding lines).
fn concise(path: &Path) -> (Option<i32>, Vec<String>) {
    let out = nianbao()
        .args(["lint", "--output-format", "concise"])
        .arg(path)
        .output()
        .expect("runs");
    let lines = stdout(&out)
        .lines()
        .filter(|l| !l.starts_with("检查了"))
        .map(str::to_owned)
        .collect();
    (out.status.code(), lines)
}

/// The 1-based line of the first line of `path` holding `needle`.
fn line_of(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).expect("fixture");
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in {}", path.display()))
}

/// The diagnostics of `lint --output-format json`.
fn json_diagnostics(path: &Path) -> Vec<serde_json::Value> {
    let out = nianbao()
        .args(["lint", "--output-format", "json"])
        .arg(path)
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    value["diagnostics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn the_clean_fixture_passes_lint_and_render() {
    let path = gate_fixture("clean-2024.yaml");
    assert_eq!(concise(&path), (Some(0), Vec::new()));
    let out = nianbao().arg("render").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn render_refuses_a_data_file_whose_prose_contradicts_its_table() {
    let path = gate_fixture("prose-contradiction-2024.yaml");
    let line = line_of(&path, "政府信息公开申请35件");
    assert_eq!(line, 16);
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("report.md");
    let out = nianbao()
        .arg("render")
        .arg(&path)
        .arg("-o")
        .arg(&target)
        .output()
        .expect("runs");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[X5]"), "{err}");
    assert!(
        err.contains(&format!("prose-contradiction-2024.yaml:{line}:")),
        "{err}"
    );
    assert!(err.contains("未生成报告"), "{err}");
    assert!(!target.exists(), "nothing is written");
    // lint says the same, at the same line, with the table's row as the other place.
    let (code, lines) = concise(&path);
    assert_eq!(code, Some(1));
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!("{}:{line}:", path.display())) && lines[0].contains(" X5 "),
        "{lines:#?}"
    );
    let x5 = &json_diagnostics(&path)[0];
    let labels = x5["labels"].as_array().expect("labels");
    let table_line = line_of(&path, "本年新收:");
    assert!(
        labels.iter().skip(1).any(|l| l["line"] == table_line),
        "{x5:#}"
    );
    assert_eq!(x5["end_line"], line);
}

#[test]
fn a_plan_for_the_report_year_in_section_five_is_y009_on_the_yaml_line() {
    let path = gate_fixture("plan-year-2024.yaml");
    let line = line_of(&path, "2024年，我局将");
    assert_eq!(line, 30);
    let (code, lines) = concise(&path);
    assert_eq!(code, Some(0), "a warning: {lines:#?}");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!("{}:{line}:", path.display())) && lines[0].contains(" Y009 "),
        "{lines:#?}"
    );
    // The column is the year's, inside the block scalar.
    let text = std::fs::read_to_string(&path).expect("fixture");
    let shown = text.lines().nth(line - 1).expect("line");
    let column = shown[..shown.find("2024年").expect("year")].chars().count() + 1;
    assert!(
        lines[0].contains(&format!(":{line}:{column}:")),
        "{lines:#?}"
    );
    // Warnings are shown by render but do not block it.
    let out = nianbao().arg("render").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning[Y009]"), "{}", stderr(&out));
    assert!(stdout(&out).contains("2024年，我局将"));
}

#[test]
fn extract_then_render_of_a_contradicting_report_is_refused() {
    let report = gate_fixture("contradiction-report.md");
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data.yaml");
    let out = nianbao()
        .arg("extract")
        .arg(&report)
        .arg("-o")
        .arg(&data)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = nianbao()
        .arg("render")
        .arg(&data)
        .arg("-o")
        .arg(dir.path().join("again.md"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("error[X5]"), "{}", stderr(&out));
    assert!(!dir.path().join("again.md").exists());
}

#[test]
fn the_deadline_follows_the_agency() {
    // A department: 1月31日.
    let path = gate_fixture("department-late-2024.yaml");
    let (code, lines) = concise(&path);
    assert_eq!(code, Some(0), "{lines:#?}");
    assert_eq!(lines.len(), 1, "{lines:#?}");
    let line = line_of(&path, "发布日期:");
    assert!(
        lines[0].starts_with(&format!("{}:{line}:", path.display()))
            && lines[0].contains(" D011 ")
            && lines[0].contains("2025年1月31日前"),
        "{lines:#?}"
    );
    // The county government's own report: 3月31日.
    assert_eq!(
        concise(&gate_fixture("government-2024.yaml")),
        (Some(0), Vec::new())
    );
    // The override in the data file, and in nianbao.toml.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let overridden = dir.path().join("overridden.yaml");
    std::fs::write(
        &overridden,
        text.replace(
            "发布日期: 2025-02-15",
            "发布日期: 2025-02-15\n发布时限: 3月31日",
        ),
    )
    .expect("write");
    assert_eq!(concise(&overridden), (Some(0), Vec::new()));
    let configured = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        configured.path().join("nianbao.toml"),
        "deadline = \"3月31日\"\n",
    )
    .expect("write");
    let copy = configured.path().join("report.yaml");
    std::fs::write(&copy, &text).expect("write");
    assert_eq!(concise(&copy), (Some(0), Vec::new()));
    // A government's office is a department: 1月31日 again.
    let office = dir.path().join("office.yaml");
    std::fs::write(
        &office,
        text.replace("机关: 某县教育局", "机关: 某县人民政府办公室"),
    )
    .expect("write");
    let (_, lines) = concise(&office);
    assert!(
        lines.len() == 1 && lines[0].contains(" D011 "),
        "{lines:#?}"
    );
}

#[test]
fn keyboard_slips_are_named_with_their_half_width_fix() {
    for (name, typed, fix, words) in [
        ("slip-colon.yaml", "：", ": ", "全角冒号"),
        (
            "slip-comma.yaml",
            "[2，0，0，0，0，0]",
            "[2, 0, 0, 0, 0, 0]",
            "全角逗号",
        ),
        ("slip-digits.yaml", "１２", "12", "全角数字"),
        ("slip-unit.yaml", "12件", "12", "单位“件”"),
        (
            "slip-thousands.yaml",
            "{本年处理决定数量: 5,821}",
            "{本年处理决定数量: 5821}",
            "千分位",
        ),
    ] {
        let path = gate_fixture(name);
        let found = json_diagnostics(&path);
        assert_eq!(found.len(), 1, "{name}: {found:#?}");
        let d = &found[0];
        let message = d["message"].as_str().unwrap_or("");
        assert!(message.contains(words), "{name}: {message}");
        assert_eq!(d["fix"], fix, "{name}: {d:#}");
        let text = std::fs::read_to_string(&path).expect("fixture");
        let span = d["byte_start"].as_u64().unwrap_or(0) as usize
            ..d["byte_end"].as_u64().unwrap_or(0) as usize;
        assert_eq!(&text[span], typed, "{name}");
        assert!(!message.contains("未知的键"), "{name}: {message}");
    }
}
