//! Issue 9, "safe and self-contained": each reproduction of the issue, run against the real
//! binary. No panic, no lost file, no silent typo, every problem at once, output where users
//! look for it.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::Stdio;

use common::*;

/// A data file with `n` unknown top-level keys: about `n` findings, a few hundred bytes each.
fn noisy_data_file(n: usize) -> String {
    let mut text = String::from("年度: 2023\n机关: 某局\n");
    for i in 0..n {
        text.push_str(&format!("未知键{i}: 1\n"));
    }
    text
}

/// A folder of `files` noisy data files: far more output than a pipe buffer holds.
fn noisy_corpus(files: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..files {
        std::fs::write(dir.path().join(format!("{i:04}.yaml")), noisy_data_file(40))
            .expect("write");
    }
    dir
}

fn binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("nianbao"));
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Waits for a child spawned with a piped stderr: its exit code and what it said there.
fn finish(mut child: std::process::Child) -> (Option<i32>, String) {
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    (child.wait().expect("waits").code(), err)
}

#[test]
fn lint_into_a_pipe_closed_after_one_line_ends_quietly() {
    let dir = noisy_corpus(300);
    // `nianbao lint corpus/ | head -1`, standard error kept to see that nothing is said there.
    let mut child = binary()
        .arg("lint")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("one line");
    assert!(
        first.starts_with("warning[") || first.starts_with("error["),
        "{first}"
    );
    drop(stdout);
    let (code, err) = finish(child);
    assert_eq!(code, Some(0), "exits as ripgrep does: {err}");
    assert_eq!(err, "", "no panic, no message about the pipe");
}

#[test]
fn lint_with_both_streams_into_a_closed_pipe_does_not_panic() {
    let dir = noisy_corpus(300);
    // `nianbao lint corpus/ 2>&1 | head -1`
    let (reader, writer) = std::io::pipe().expect("pipe");
    let mut child = binary()
        .arg("lint")
        .arg(dir.path())
        .stdout(writer.try_clone().expect("clone"))
        .stderr(writer)
        .spawn()
        .expect("spawns");
    let mut reader = BufReader::new(reader);
    let mut first = String::new();
    reader.read_line(&mut first).expect("one line");
    drop(reader);
    let status = child.wait().expect("waits");
    // A panic exits with 101.
    assert_eq!(status.code(), Some(0));
}

#[test]
fn other_commands_into_a_closed_pipe_end_quietly() {
    for args in [
        vec!["rules"],
        vec!["explain", "T101"],
        vec!["render", "examples/qingshan-2023.yaml"],
        vec!["--help"],
        vec!["lint", "--output-format", "json", "examples"],
    ] {
        let mut child = binary()
            .current_dir(root())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        // Close the reading end at once: every write fails.
        drop(child.stdout.take());
        let (code, err) = finish(child);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn lint_findings_go_to_standard_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.yaml"), noisy_data_file(2)).expect("write");
    let out = nianbao()
        .arg("lint")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let findings = stdout(&out);
    assert!(findings.contains("D002"), "{findings}");
    assert!(findings.contains("检查了 1 个文件"), "{findings}");
    assert_eq!(stderr(&out), "", "nothing about the run to report");
}

#[test]
fn a_missing_path_is_reported_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.yaml"), noisy_data_file(1)).expect("write");
    let out = nianbao()
        .current_dir(dir.path())
        .args(["lint", "missing.md", "good.yaml", "--output-format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("a JSON document all the same");
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["failures"][0]["file"], "missing.md");
    assert!(
        doc["summary"]["failures"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("文件不存在")),
        "{doc}"
    );
    assert!(
        doc["diagnostics"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["file"] == "good.yaml")),
        "good.yaml was checked: {doc}"
    );
    assert!(stderr(&out).contains("missing.md"), "{}", stderr(&out));

    // The same in human output: the error on stderr, good.yaml's findings on stdout.
    let out = nianbao()
        .current_dir(dir.path())
        .args(["lint", "missing.md", "good.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("good.yaml"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("1 个文件无法检查"),
        "{}",
        stdout(&out)
    );
}

fn render_to(data: &Path, target: &Path) -> std::process::Output {
    nianbao()
        .arg("render")
        .arg(data)
        .arg("-o")
        .arg(target)
        .output()
        .expect("runs")
}

#[test]
fn writing_onto_an_input_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data.yaml");
    std::fs::copy(example("qingshan-2023.yaml"), &data).expect("copy");
    let original = std::fs::read_to_string(&data).expect("read");

    let out = render_to(&data, &data);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("会覆盖输入文件"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&data).expect("read"), original);

    // The same file by another name.
    std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
    let out = nianbao()
        .current_dir(dir.path())
        .args(["render", "data.yaml", "-o", "./sub/../data.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    #[cfg(unix)]
    {
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&data, &link).expect("symlink");
        assert_eq!(render_to(&data, &link).status.code(), Some(2));
    }
    assert_eq!(std::fs::read_to_string(&data).expect("read"), original);

    // init --from LAST -o LAST, extract REPORT -o REPORT: refused even with --force.
    let out = nianbao()
        .current_dir(dir.path())
        .args(["init", "--from", "data.yaml", "-o", "data.yaml", "--force"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&data).expect("read"), original);
    let report = dir.path().join("report.md");
    assert_eq!(render_to(&data, &report).status.code(), Some(0));
    let rendered = std::fs::read_to_string(&report).expect("read");
    let out = nianbao()
        .current_dir(dir.path())
        .args(["extract", "report.md", "-o", "report.md", "--force"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&report).expect("read"), rendered);
}

#[test]
fn output_files_are_replaced_whole_never_rewritten_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.md");
    std::fs::write(&report, "上一版报告\n").expect("write");
    // A second name for the old file: a write in place (truncate, then write) would change it
    // too; a new file renamed over the target leaves it as it was.
    let old_name = dir.path().join("old.md");
    std::fs::hard_link(&report, &old_name).expect("hard link");
    let out = render_to(&example("qingshan-2023.yaml"), &report);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&report)
            .expect("read")
            .contains("青山区人民政府2023年政府信息公开工作年度报告")
    );
    assert_eq!(
        std::fs::read_to_string(&old_name).expect("read"),
        "上一版报告\n"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["old.md", "report.md"], "no temporary file left");
}

#[test]
fn a_failed_write_leaves_no_file_and_init_can_be_retried() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The target's folder does not exist: the write fails before any file is created.
    let target = dir.path().join("no-such-folder").join("2023.yaml");
    let init = |target: &Path| {
        nianbao()
            .args(["init", "--year", "2023", "--agency", "某局", "-o"])
            .arg(target)
            .output()
            .expect("runs")
    };
    let out = init(&target);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("无法写入"), "{}", stderr(&out));
    assert!(!target.exists());
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    let out = init(&target);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// The bundled example rendered as Markdown, with one figure changed so that R2 (T102) and R3
/// (T103) fail.
fn unbalanced_draft() -> String {
    let out = nianbao()
        .arg("render")
        .arg(example("qingshan-2023.yaml"))
        .output()
        .expect("runs");
    let text = stdout(&out);
    let planted = text.replace("| （一）予以公开 |  | 40 |", "| （一）予以公开 |  | 41 |");
    assert_ne!(
        planted, text,
        "the planted figure is in the rendered report"
    );
    planted
}

fn codes_printed(out: &std::process::Output) -> Vec<String> {
    stdout(out)
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once('[')?;
            let (code, _) = rest.split_once(']')?;
            Some(code.to_owned())
        })
        .collect()
}

#[test]
fn a_misspelt_code_in_the_configuration_is_an_error_not_silence() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("draft.md"), unbalanced_draft()).expect("write");
    let lint = |config: &str| {
        std::fs::write(dir.path().join("nianbao.toml"), config).expect("write");
        nianbao()
            .current_dir(dir.path())
            .args(["lint", "draft.md"])
            .output()
            .expect("runs")
    };
    assert_eq!(
        lint("").status.code(),
        Some(1),
        "errors without configuration"
    );
    for (config, closest) in [
        ("select = [\"T10l\"]\n", "T101"),
        ("ignore = [\"Y04\"]\n", "Y004"),
        ("[severity]\nT1O1 = \"warning\"\n", "T101"),
    ] {
        let out = lint(config);
        assert_eq!(out.status.code(), Some(2), "{config}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(
            err.contains("不是检查代码") && err.contains(closest),
            "{config}: {err}"
        );
        // Once, not once per file.
        assert_eq!(err.matches("不是检查代码").count(), 1, "{err}");
    }
    // Given with --config, the same check.
    std::fs::write(dir.path().join("other.toml"), "select = [\"T10l\"]\n").expect("write");
    let out = nianbao()
        .current_dir(dir.path())
        .args(["lint", "--config", "other.toml", "draft.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("T101"), "{}", stderr(&out));
}

#[test]
fn suppression_comments_take_comma_lists_and_warn_about_unknown_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let draft = unbalanced_draft();
    let lint = |text: &str| {
        std::fs::write(dir.path().join("draft.md"), text).expect("write");
        nianbao()
            .current_dir(dir.path())
            .args(["lint", "draft.md"])
            .output()
            .expect("runs")
    };
    let codes = codes_printed(&lint(&draft));
    assert!(
        codes.contains(&"T102".to_owned()) && codes.contains(&"T103".to_owned()),
        "{codes:?}"
    );
    for comment in [
        "<!-- nianbao-disable T102, T103 -->",
        "<!-- nianbao-disable T102 T103 -->",
    ] {
        let out = lint(&format!("{comment}\n{draft}"));
        let codes = codes_printed(&out);
        assert!(
            !codes.iter().any(|c| c.starts_with("T10")),
            "{comment}: {codes:?}"
        );
        assert!(!codes.contains(&"N002".to_owned()), "{comment}: {codes:?}");
        assert_eq!(out.status.code(), Some(0), "{comment}: {}", stdout(&out));
    }
    let out = lint(&format!("<!-- nianbao-disable T10l, T103 -->\n{draft}"));
    let codes = codes_printed(&out);
    assert!(
        codes.contains(&"T102".to_owned()),
        "not suppressed: {codes:?}"
    );
    assert!(!codes.contains(&"T103".to_owned()), "suppressed: {codes:?}");
    assert!(codes.contains(&"N002".to_owned()), "{codes:?}");
    assert!(
        stdout(&out).contains("最接近的代码是 T101"),
        "{}",
        stdout(&out)
    );
}

fn example_text() -> String {
    std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example")
}

fn render_text(dir: &Path, name: &str, text: &str) -> std::process::Output {
    std::fs::write(dir.join(name), text).expect("write");
    nianbao()
        .current_dir(dir)
        .args(["render", name])
        .output()
        .expect("runs")
}

#[test]
fn counts_near_the_end_of_i64_are_data_errors_not_wrapped_totals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = example_text().replace(
        "本年新收: [115, 6, 0, 0, 1, 2]",
        "本年新收: [9223372036854775800, 6, 0, 0, 1, 2]",
    );
    let out = render_text(dir.path(), "big.yaml", &text);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("error[D013]"), "{err}");
    assert!(!err.contains("-9223372036854775"), "no wrapped sum: {err}");
    assert_eq!(stdout(&out), "", "nothing rendered");

    // In a draft: a warning on the cell, kept out of the equations; no panic, no wrapped sum.
    let report = nianbao()
        .arg("render")
        .arg(example("qingshan-2023.yaml"))
        .output()
        .expect("runs");
    let draft = stdout(&report).replace(
        "| 一、本年新收政府信息公开申请数量 |  |  | 115 |",
        "| 一、本年新收政府信息公开申请数量 |  |  | 9223372036854775807 |",
    );
    std::fs::write(dir.path().join("big.md"), draft).expect("write");
    let out = nianbao()
        .current_dir(dir.path())
        .args(["lint", "big.md"])
        .output()
        .expect("runs");
    let findings = stdout(&out);
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
    assert!(findings.contains("数字大得不合理"), "{findings}");
    assert!(!findings.contains("-9223372036854775"), "{findings}");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn yaml_errors_are_explained_in_chinese_with_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = format!("年度: 2023\na: {}1{}\n", "[".repeat(70), "]".repeat(70));
    for (text, words) in [
        (deep.as_str(), "嵌套超过16层"),
        ("年度: 2023\n---\n年度: 2024\n", "不止一个 YAML 文档"),
        ("年度: 2023\n正文:\n\t总体情况: x\n", "制表符"),
        ("年度: 2023\n申请情况: {本年新收: [1, 2\n", "没有闭合"),
    ] {
        let out = render_text(dir.path(), "bad.yaml", text);
        assert_eq!(out.status.code(), Some(1), "{text}");
        let err = stderr(&out);
        assert!(err.contains("error[D001]"), "{text}: {err}");
        assert!(err.contains(words), "{text}: {err}");
        assert!(
            err.contains("第 ") && err.contains(" 行："),
            "{text}: {err}"
        );
        for english in ["Options", "budget", "Depth", "from_str", "disallowed"] {
            assert!(!err.contains(english), "{text}: {err}");
        }
    }
}

#[test]
fn one_bad_value_hides_no_other_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = example_text()
        .replace("年度: 2023", "年度: 2023年")
        .replace("年度: 2023年\n", "年度: 2023年\n年度: 2024\n")
        .replace(
            "  复议后起诉: [1, 0, 0, 1]",
            "  复议后起诉: [1, 0, .nan, 1]",
        )
        .replace(
            "结转下年度: [6, 0, 0, 0, 0, 1]",
            "结转下年度: [9, 0, 0, 0, 0, 1]",
        );
    let out = render_text(dir.path(), "bad.yaml", &text);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for code in ["D001", "D010", "D013", "T101"] {
        assert!(err.contains(&format!("error[{code}]")), "{code}: {err}");
    }
    assert!(err.contains("建议改为：2023"), "{err}");
}

#[test]
fn a_line_break_in_the_agency_name_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = example_text().replace(
        "机关: 青山区人民政府",
        "机关: \"青山区人民政府\\n# 伪造的标题\"",
    );
    let out = render_text(dir.path(), "agency.yaml", &text);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[D012]"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn a_minified_page_prints_output_proportionate_to_its_findings() {
    let out = nianbao()
        .args(["render", "--to", "html"])
        .arg(example("qingshan-2023.yaml"))
        .output()
        .expect("runs");
    let page = stdout(&out).replace('\n', "");
    let planted = page.replacen("<td>40</td>", "<td>41</td>", 1);
    assert_ne!(planted, page);
    let dir = tempfile::tempdir().expect("tempdir");
    let lint = |text: &str| {
        std::fs::write(dir.path().join("min.html"), text).expect("write");
        nianbao()
            .current_dir(dir.path())
            .args(["lint", "min.html"])
            .output()
            .expect("runs")
    };
    let out = lint(&planted);
    assert_eq!(out.status.code(), Some(1));
    let findings = stdout(&out);
    // Two findings (T103 with one label, T102 with one label per row of the table).
    assert!(findings.contains("error[T103]") && findings.contains("error[T102]"));
    assert!(
        findings.len() < 6_000,
        "{} bytes:\n{findings}",
        findings.len()
    );
    insta::assert_snapshot!("minified-page-diagnostics", findings);

    // A megabyte more on the same line changes nothing in what is printed.
    let padded = planted.replacen(
        "<body>",
        &format!("<body><p>{}</p>", "政务公开".repeat(250_000)),
        1,
    );
    let out = lint(&padded);
    let more = stdout(&out);
    assert!(more.len() < 6_000, "{} bytes", more.len());
    assert!(more.contains(":1:"), "line numbers stay right: {more}");
}
