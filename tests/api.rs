//! The library's face for one file in memory (`nianbao::api`, what the web page calls) says
//! exactly what the command line says for the same file: the same JSON document, the same
//! human text, the same rendered report. Each file is written into a fresh folder and linted
//! there by the real binary under the same name.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, make, nianbao, seed, stderr, stdout};
use nianbao::api::{self, Options};

/// Every fixture the page might be given: the seed samples, drafts in each format, data files.
fn files() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = common::SEEDS.iter().map(|n| seed(n)).collect();
    for folder in ["fault", "glued", "layouts", "x5", "gate"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(fixture(folder))
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        out.extend(entries);
    }
    out.push(fixture("planted-2021.yaml"));
    out.push(common::example("qingshan-2023.yaml"));
    out
}

/// Runs `nianbao lint ARGS NAME` in `dir`, where `name` holds `bytes`.
fn cli(dir: &Path, name: &str, bytes: &[u8], args: &[&str]) -> std::process::Output {
    std::fs::write(dir.join(name), bytes).expect("write");
    let output = nianbao()
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .arg(name)
        .output()
        .expect("runs");
    std::fs::remove_file(dir.join(name)).expect("remove");
    output
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn lint_json_is_the_command_lines_json_document_for_every_fixture() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut compared = 0;
    for path in files() {
        let name = name_of(&path);
        let bytes = std::fs::read(&path).expect("fixture");
        let out = cli(dir.path(), &name, &bytes, &["--output-format", "json"]);
        let from_api = api::lint_json(&name, bytes, &Options::default());
        assert_eq!(from_api, stdout(&out), "{name}");
        compared += 1;
    }
    assert!(compared > 40, "only {compared} fixtures");
}

#[test]
fn lint_human_is_what_the_command_line_prints() {
    let dir = tempfile::tempdir().expect("temp dir");
    for path in files() {
        let name = name_of(&path);
        let bytes = std::fs::read(&path).expect("fixture");
        let out = cli(dir.path(), &name, &bytes, &[]);
        let from_api = api::lint_human(&name, bytes, &Options::default());
        // A file that cannot be read is said on standard error, before the summary.
        let printed = format!("{}{}", stderr(&out), stdout(&out));
        assert_eq!(from_api, printed, "{name}");
    }
}

#[test]
fn options_are_the_command_lines_flags_and_configuration() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(seed("shaoxing-2019.txt")).expect("seed");
    let gbk = make::legacy(&text, encoding_rs::GB18030);
    let draft = std::fs::read(fixture("x5/leftover.md")).expect("fixture");
    let config = "ignore = [\"Y\"]\n[severity]\nX5 = \"warning\"\n";
    std::fs::write(dir.path().join("nianbao.toml"), config).expect("config");
    for (name, bytes, args, options) in [
        (
            "draft.md",
            draft.clone(),
            vec![],
            Options {
                config: Some(config.to_owned()),
                ..Options::default()
            },
        ),
        (
            "gbk.txt",
            gbk,
            vec!["--encoding", "GBK", "--year", "2019"],
            Options {
                config: Some(config.to_owned()),
                encoding: Some("GBK".to_owned()),
                year: Some(2019),
                ..Options::default()
            },
        ),
    ] {
        let mut args = args;
        args.extend(["--output-format", "json"]);
        let out = cli(dir.path(), name, &bytes, &args);
        assert_eq!(
            api::lint_json(name, bytes, &options),
            stdout(&out),
            "{name}"
        );
    }
    // A configuration with a mistake fails the file, as it does on the command line.
    std::fs::write(dir.path().join("nianbao.toml"), "selct = [\"T\"]\n").expect("config");
    let out = cli(dir.path(), "draft.md", &draft, &["--output-format", "json"]);
    let json = api::lint_json(
        "draft.md",
        draft,
        &Options {
            config: Some("selct = [\"T\"]\n".to_owned()),
            ..Options::default()
        },
    );
    let document: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let cli_document: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let message = |d: &serde_json::Value| d["summary"]["failures"][0]["message"].clone();
    assert!(
        message(&document)
            .as_str()
            .is_some_and(|m| m.contains("是否想写“select”")),
        "{json}"
    );
    // The same problems; the command line names the file it found.
    assert_eq!(
        message(&document)
            .as_str()
            .and_then(|m| m.split_once('\n'))
            .map(|(_, problems)| problems.to_owned()),
        message(&cli_document)
            .as_str()
            .and_then(|m| m.split_once('\n'))
            .map(|(_, problems)| problems.to_owned()),
    );
}

#[test]
fn a_pdf_is_refused_plainly_with_the_command_to_use_instead() {
    let pdf = make::pdf(&["青山区人民政府2023年政府信息公开工作年度报告"]);
    let json = api::lint_json("report.pdf", pdf, &Options::default());
    let document: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let message = document["summary"]["failures"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("无法读取 PDF") && message.contains("nianbao lint report.pdf"),
        "{json}"
    );
}

#[test]
fn render_gives_the_bytes_the_command_line_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = common::example("qingshan-2023.yaml");
    let yaml = std::fs::read_to_string(&data).expect("example");
    for (format, file) in [("markdown", "r.md"), ("html", "r.html"), ("docx", "r.docx")] {
        let target = dir.path().join(file);
        let out = nianbao()
            .arg("render")
            .arg(&data)
            .arg("-o")
            .arg(&target)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        let written = std::fs::read(&target).expect("written");
        assert_eq!(
            api::render(&yaml, format).expect("renders"),
            written,
            "{format}"
        );
    }
    let rendered = api::render(&yaml, "docx").expect("renders");
    // What the page renders lints clean through the page.
    let json = api::lint_json("r.docx", rendered, &Options::default());
    let document: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(document["summary"]["errors"], 0, "{json}");
    assert!(api::render(&yaml, "pdf").is_err());
    let broken = api::render("年度: 2023\n机关: [\n", "html").expect_err("broken");
    assert!(broken.contains("未生成报告"), "{broken}");
    assert!(api::is_data_file("2023.YAML") && !api::is_data_file("2023.md"));
}
