//! The authoring story: `init` writes a data file, `render` turns it into the official layout,
//! `render --check` keeps a committed draft in step with its data.

mod common;

use common::*;
use nianbao::edition;

fn all_official_labels(e: &edition::Edition) -> Vec<String> {
    let mut labels: Vec<String> = e.sections.iter().map(|s| s.heading()).collect();
    for block in &e.active.blocks {
        labels.push(block.title.clone());
        labels.extend(block.columns.iter().map(|c| c.label().to_owned()));
        labels.extend(block.rows.iter().cloned());
    }
    for table in [&e.applications, &e.appeals] {
        labels.extend(table.rows.iter().map(|r| r.label.clone()));
        labels.extend(table.column_labels().map(str::to_owned));
    }
    labels
}

#[test]
fn init_then_render_gives_every_official_label_for_both_editions() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (year, number) in [(2020, 2019), (2023, 2021)] {
        let data = dir.path().join(format!("{year}.yaml"));
        let out = nianbao()
            .args([
                "init",
                "--year",
                &year.to_string(),
                "--agency",
                "青山区人民政府",
                "-o",
            ])
            .arg(&data)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        let text = std::fs::read_to_string(&data).expect("written");
        assert!(text.contains(&format!("版式: {number}")));
        for format in ["markdown", "html"] {
            let out = nianbao()
                .args(["render", "--to", format])
                .arg(&data)
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let report = stdout(&out);
            assert!(report.contains(&format!("青山区人民政府{year}年政府信息公开工作年度报告")));
            assert!(report.contains(&format!("统计期限自{year}年1月1日起至{year}年12月31日止")));
            let e = edition::by_number(number).expect("edition");
            for label in all_official_labels(e) {
                let shown = if format == "html" {
                    label.replace('“', "&#8220;").replace('”', "&#8221;")
                } else {
                    label.clone()
                };
                assert!(
                    report.contains(&label) || report.contains(&shown),
                    "{format} {number}: missing {label}"
                );
            }
            // The placeholders are still there, and reported as warnings.
            assert!(stderr(&out).contains("D009"));
        }
    }
}

#[test]
fn init_writes_to_stdout_and_refuses_to_overwrite() {
    let out = nianbao()
        .args(["init", "--year", "2023", "--agency", "某局"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("机关: \"某局\""));

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("data.yaml");
    std::fs::write(&path, "keep me").expect("write");
    let out = nianbao()
        .args(["init", "--year", "2023", "--agency", "某局", "-o"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "keep me",
        "no data lost"
    );
    let out = nianbao()
        .args([
            "init", "--year", "2023", "--agency", "某局", "--force", "-o",
        ])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("申请情况")
    );
}

#[test]
fn init_for_2018_is_a_usage_error() {
    let out = nianbao()
        .args(["init", "--year", "2018", "--agency", "某局"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2018"));
}

#[test]
fn rendered_examples_match_snapshots() {
    for (name, format) in [
        ("qingshan-2023.yaml", "markdown"),
        ("shaoxing-2019.yaml", "markdown"),
        ("qingshan-2023.yaml", "html"),
    ] {
        let out = nianbao()
            .args(["render", "--to", format])
            .arg(example(name))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        // Examples render without warnings, except that an example without 发布日期 (shaoxing,
        // whose published page gives no date) is told its 落款 will be undated.
        let undated = !std::fs::read_to_string(example(name))
            .expect("example")
            .contains("发布日期:");
        let expected = if undated {
            "警告：数据文件没有“发布日期”，落款将只有机关名称、没有成文日期；请在数据文件中填写“发布日期: YYYY-MM-DD”\n"
        } else {
            ""
        };
        assert_eq!(stderr(&out), expected, "{name}");
        insta::assert_snapshot!(format!("render-{name}-{format}"), stdout(&out));
    }
}

#[test]
fn rendering_is_deterministic() {
    let a = nianbao()
        .args(["render"])
        .arg(example("qingshan-2023.yaml"))
        .output()
        .expect("runs");
    let b = nianbao()
        .args(["render"])
        .arg(example("qingshan-2023.yaml"))
        .output()
        .expect("runs");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn planted_problems_are_all_reported_in_one_run() {
    let out = run_in_root(&["render", "tests/fixtures/planted-2021.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "", "nothing rendered");
    insta::assert_snapshot!("planted-2021-diagnostics", stderr(&out));
}

#[test]
fn r1_imbalance_in_a_data_file_blocks_rendering() {
    let out = run_in_root(&["render", "tests/fixtures/unbalanced-2019.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("unbalanced-2019-diagnostics", stderr(&out));
}

#[test]
fn check_passes_on_a_fresh_render_and_prints_a_diff_otherwise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.md");
    let data = example("qingshan-2023.yaml");
    let out = nianbao()
        .arg("render")
        .arg(&data)
        .arg("-o")
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let out = nianbao()
        .arg("render")
        .arg(&data)
        .arg("--check")
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let edited = std::fs::read_to_string(&report)
        .expect("read")
        .replace("| 5821 |", "| 5822 |");
    std::fs::write(&report, edited).expect("write");
    let out = nianbao()
        .arg("render")
        .arg(&data)
        .arg("--check")
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let diff = stdout(&out);
    assert!(diff.contains("-| 行政许可 | 5822 |"), "{diff}");
    assert!(diff.contains("+| 行政许可 | 5821 |"), "{diff}");
}

#[test]
fn bad_input_gives_exit_code_two_and_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = dir.path().join("bad.yaml");
    // Bytes no supported encoding decodes (0x80 and 0xFF start nothing in UTF-8, GB18030 or Big5).
    std::fs::write(&binary, b"\x80\xff\x80\xff garbage").expect("write");
    let out = nianbao().arg("render").arg(&binary).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("编码"), "{}", stderr(&out));

    let out = nianbao()
        .args(["render", "no/such/file.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("无法读取"));

    let out = nianbao()
        .args(["render", "--to", "docx", "x.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn explain_and_rules() {
    let out = nianbao().args(["explain", "t101"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理")
    );
    let out = nianbao().args(["explain", "Z999"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = nianbao().arg("rules").output().expect("runs");
    assert!(stdout(&out).lines().any(|l| l.starts_with("D002")));
}
