//! nianbao in an editorial repository, as a pre-commit hook and a CI step: only the reports are
//! checked (README, docs and CI configuration, and notes are passed over), `include` and
//! `exclude` in nianbao.toml, and an emptied report that `include` claims fails.

mod common;

use std::path::{Path, PathBuf};

use common::{example, nianbao, stderr, stdout};
use nianbao::data;
use nianbao::render::{self, Format};

/// The bundled 2023 example rendered as Markdown: a clean report.
fn clean_report() -> String {
    let loaded = data::load(
        &std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example data file"),
    );
    render::render(&loaded.report.expect("report"), Format::Markdown).expect("renders")
}

/// The clean report with one figure changed: R3 no longer holds in （一）予以公开.
fn defective_draft() -> String {
    let clean = clean_report();
    let draft = clean.replace("| （一）予以公开 |  | 40 |", "| （一）予以公开 |  | 41 |");
    assert_ne!(draft, clean, "the defect is planted");
    draft
}

const README: &str = "# 青山区政务公开编辑部\n\n本仓库存放青山区人民政府2023年政府信息公开工作年度报告的草稿和数据。\n提交前运行 `nianbao lint .`。\n\n## 目录\n\n- reports/：已定稿的报告和数据文件\n- drafts/：草稿\n- notes/：编辑笔记\n";
const MKDOCS: &str = "site_name: 青山区政务公开\nnav:\n  - 首页: index.md\n  - 年度报告: reports/2023.md\ntheme:\n  name: material\n";
const PRE_COMMIT: &str = "repos:\n  - repo: local\n    hooks:\n      - id: nianbao-lint\n        name: nianbao lint\n        entry: nianbao lint\n        language: system\n        files: \\.(md|ya?ml)$\n";
const NOTES: &str = "# 2023年报修改意见\n\n## 总体情况\n\n第一段的数字要与表三一致，2023年的申请数要再核对。\n\n## 主动公开\n\n规章一栏请再核对。\n\n一、总体情况部分需要重写；统计期限要写全。\n";

/// The files of the test repository, relative to its root: three are reports.
const NOT_REPORTS: [&str; 4] = [
    "README.md",
    "mkdocs.yml",
    ".pre-commit-config.yaml",
    "notes/修改意见.md",
];
const CLEAN_REPORT: &str = "reports/2023.md";
const DATA_FILE: &str = "reports/2023.yaml";
/// A name with a space and Chinese characters, as editors name files.
const DRAFT: &str = "drafts/2024年 草稿.md";

/// An editorial repository: README, docs config, CI config, notes in Chinese, a clean report,
/// its data file and a defective draft.
fn editorial_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let files: [(&str, String); 7] = [
        ("README.md", README.to_owned()),
        ("mkdocs.yml", MKDOCS.to_owned()),
        (".pre-commit-config.yaml", PRE_COMMIT.to_owned()),
        ("notes/修改意见.md", NOTES.to_owned()),
        (CLEAN_REPORT, clean_report()),
        (
            DATA_FILE,
            std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example"),
        ),
        (DRAFT, defective_draft()),
    ];
    for (name, text) in files {
        write(dir.path(), name, &text);
    }
    dir
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
    std::fs::write(path, text).expect("write");
}

/// Runs `nianbao ARGS` in `root`.
fn run_in(root: &Path, args: &[&str]) -> std::process::Output {
    nianbao()
        .current_dir(root)
        .args(args)
        .output()
        .expect("runs")
}

/// Runs `nianbao lint ARGS --output-format json --verbose` in `root`.
fn lint_json(root: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = nianbao()
        .current_dir(root)
        .arg("lint")
        .args(args)
        .args(["--output-format", "json", "--verbose"])
        .output()
        .expect("runs");
    let json = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    (out.status.code(), json, stderr(&out))
}

/// Files with findings of severity error, by name.
fn files_with_errors(json: &serde_json::Value) -> Vec<String> {
    let mut files: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["file"].as_str().expect("file").replace('\\', "/"))
        .collect();
    files.dedup();
    files
}

/// The files `--verbose` says were passed over.
fn passed_over(stderr: &str) -> Vec<String> {
    let mut names: Vec<String> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("跳过 "))
        .filter_map(|l| l.split_once('：').map(|(name, _)| name.replace('\\', "/")))
        .collect();
    names.sort();
    names
}

#[test]
fn a_directory_walk_checks_exactly_the_three_reports_and_fails_only_on_the_draft() {
    let repo = editorial_repository();
    let (code, json, err) = lint_json(repo.path(), &["."]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(json["summary"]["files"], 3, "{json:#}");
    assert_eq!(files_with_errors(&json), [format!("./{DRAFT}")]);
    // The walk skips hidden files (.pre-commit-config.yaml) before anything is read.
    assert_eq!(
        passed_over(&err),
        ["./README.md", "./mkdocs.yml", "./notes/修改意见.md"],
        "{err}"
    );
    assert_eq!(json["summary"]["passed_over"], 3);
}

#[test]
fn the_same_files_named_one_by_one_as_pre_commit_passes_them() {
    let repo = editorial_repository();
    let mut names: Vec<&str> = NOT_REPORTS.to_vec();
    names.extend([CLEAN_REPORT, DATA_FILE, DRAFT]);
    let (code, json, err) = lint_json(repo.path(), &names);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(json["summary"]["files"], 3, "{json:#}");
    assert_eq!(files_with_errors(&json), [DRAFT]);
    let mut expected: Vec<&str> = NOT_REPORTS.to_vec();
    expected.sort();
    assert_eq!(passed_over(&err), expected, "{err}");
    // Without the draft, the hook passes.
    let (code, json, err) = lint_json(repo.path(), &names[..names.len() - 1]);
    assert_eq!(code, Some(0), "{err}\n{json:#}");
    // Each file alone too: a file that is not a report passes quietly, with a summary that
    // says it was passed over.
    for name in NOT_REPORTS {
        let out = run_in(repo.path(), &["lint", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
        assert_eq!(
            stdout(&out),
            "检查了 0 个文件（跳过 1 个不是报告的文件，--verbose 列出）：0 个错误，0 个警告\n",
            "{name}"
        );
        assert_eq!(stderr(&out), "", "{name}: passed over silently");
    }
}

#[test]
fn include_claims_files_and_an_emptied_report_fails() {
    let repo = editorial_repository();
    write(
        repo.path(),
        "nianbao.toml",
        "include = [\"reports/**\", \"drafts/*.md\"]\nexclude = [\"notes\"]\n",
    );
    // An emptied report and a data file emptied of its keys: without `include` they would be
    // passed over; claimed by it, they are errors.
    write(repo.path(), "reports/2023.md", "");
    write(repo.path(), "reports/2023.yaml", "# 待填写\n");
    let (code, json, err) = lint_json(repo.path(), &["."]);
    assert_eq!(code, Some(1), "{err}");
    let n003: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "N003")
        .map(|d| {
            (
                d["file"].as_str().expect("file"),
                d["message"].as_str().expect("message"),
            )
        })
        .collect();
    assert_eq!(n003.len(), 2, "{json:#}");
    assert_eq!(n003[0].0, "./reports/2023.md");
    assert!(n003[0].1.contains("“reports/**”") && n003[0].1.contains("文件是空的"));
    assert_eq!(n003[1].0, "./reports/2023.yaml");
    assert!(n003[1].1.contains("没有数据文件的内容"), "{}", n003[1].1);
    // exclude wins, and says so.
    assert!(
        err.contains("跳过 ./notes/修改意见.md：nianbao.toml 的 exclude（“notes”）排除了它"),
        "{err}"
    );
}

#[test]
fn exclude_wins_over_what_a_file_holds_and_over_include() {
    let repo = editorial_repository();
    write(
        repo.path(),
        "nianbao.toml",
        "include = [\"drafts\"]\nexclude = [\"drafts/*草稿.md\"]\n",
    );
    let (code, json, err) = lint_json(repo.path(), &["."]);
    assert_eq!(code, Some(0), "{err}\n{json:#}");
    assert_eq!(json["summary"]["files"], 2);
    assert!(
        err.contains(&format!("跳过 ./{DRAFT}：nianbao.toml 的 exclude")),
        "{err}"
    );
    // Named explicitly, an excluded file is passed over all the same (pre-commit names it).
    let (code, _, err) = lint_json(repo.path(), &[DRAFT]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_bad_glob_is_a_configuration_error() {
    let repo = editorial_repository();
    write(repo.path(), "nianbao.toml", "exclude = [\"notes/[abc\"]\n");
    let out = run_in(repo.path(), &["lint", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("第 1 行：exclude 中的“notes/[abc”不是有效的路径模式"),
        "{}",
        stderr(&out)
    );
}

/// Paths given absolute match the globs too (relative to the configuration's folder).
#[test]
fn globs_match_absolute_paths_against_the_configuration_folder() {
    let repo = editorial_repository();
    write(repo.path(), "nianbao.toml", "exclude = [\"drafts\"]\n");
    let draft: PathBuf = repo.path().join(DRAFT);
    let out = nianbao()
        .current_dir(std::env::temp_dir())
        .arg("lint")
        .arg(&draft)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// The draft of the baseline tests: the planted table defect (T103, T102) and a statement
/// led by last year (Y008), all checked and accepted.
fn accepted_draft() -> String {
    let draft = defective_draft().replacen(
        "2023年，青山区人民政府坚持",
        "2022年，青山区人民政府坚持",
        1,
    );
    assert!(draft.contains("2022年，青山区人民政府坚持"));
    draft
}

/// `(code, file)` of each finding `nianbao lint . --output-format json` reports, and the
/// summary.
fn findings(root: &Path, args: &[&str]) -> (Option<i32>, Vec<String>, serde_json::Value) {
    let (code, json, err) = lint_json(root, args);
    assert!(
        !err.contains("错误"),
        "no failure expected: {err}\n{json:#}"
    );
    let codes = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_owned())
        .collect();
    (code, codes, json["summary"].clone())
}

#[test]
fn a_baseline_hides_accepted_findings_after_lines_are_inserted_and_reports_a_new_one_alone() {
    let repo = editorial_repository();
    write(repo.path(), DRAFT, &accepted_draft());
    let (code, codes, _) = findings(repo.path(), &["."]);
    assert_eq!(code, Some(1));
    assert_eq!(codes, ["Y008", "T103", "T102"]);
    // Accept them.
    let out = run_in(
        repo.path(),
        &[
            "lint",
            ".",
            "--baseline",
            "nianbao-baseline.toml",
            "--update-baseline",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("已写入基线 nianbao-baseline.toml：3 条记录\n"),
        "{}",
        stdout(&out)
    );
    let written =
        std::fs::read_to_string(repo.path().join("nianbao-baseline.toml")).expect("baseline");
    assert_eq!(written.matches("[[finding]]").count(), 3, "{written}");
    assert!(
        written.contains(&format!("file = \"{DRAFT}\"")),
        "{written}"
    );
    // A line inserted at the top moves every finding down; all stay accepted.
    let draft = std::fs::read_to_string(repo.path().join(DRAFT)).expect("draft");
    write(
        repo.path(),
        DRAFT,
        &format!("<!-- 第二稿，待主任审核 -->\n\n{draft}"),
    );
    let (code, codes, summary) =
        findings(repo.path(), &[".", "--baseline", "nianbao-baseline.toml"]);
    assert_eq!(code, Some(0), "{codes:?}");
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(summary["baselined"], 3);
    // A new defect is reported alone.
    let draft = std::fs::read_to_string(repo.path().join(DRAFT)).expect("draft");
    write(
        repo.path(),
        DRAFT,
        &draft.replace(
            "本年度未收取信息处理费。",
            "本年度未收取信息处理费。本报告预计2023年2月完成编制。",
        ),
    );
    let (code, codes, summary) =
        findings(repo.path(), &[".", "--baseline", "nianbao-baseline.toml"]);
    assert_eq!(code, Some(1));
    assert_eq!(codes, ["Y002"]);
    assert_eq!(summary["baselined"], 3);
}

#[test]
fn a_changed_accepted_figure_is_a_new_finding_and_its_entry_is_stale() {
    let repo = editorial_repository();
    write(repo.path(), DRAFT, &accepted_draft());
    write(
        repo.path(),
        "nianbao.toml",
        "baseline = \"nianbao-baseline.toml\"\n",
    );
    let update = run_in(repo.path(), &["lint", ".", "--update-baseline"]);
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    // A reason written by hand survives the next update.
    let path = repo.path().join("nianbao-baseline.toml");
    let text = std::fs::read_to_string(&path).expect("baseline");
    let text = text.replacen(
        "code = \"Y008\"",
        "code = \"Y008\"\nreason = \"引用上年工作，已核实\"",
        1,
    );
    std::fs::write(&path, text).expect("reason");
    // The accepted R3 defect in （一）予以公开 now has another figure: 41 → 42.
    let draft =
        accepted_draft().replace("| （一）予以公开 |  | 41 |", "| （一）予以公开 |  | 42 |");
    write(repo.path(), DRAFT, &draft);
    let (code, codes, summary) = findings(repo.path(), &["."]);
    assert_eq!(code, Some(1));
    assert_eq!(codes, ["T103", "T102"], "the Y008 stays accepted");
    assert_eq!(summary["baselined"], 1);
    let (_, _, err) = lint_json(repo.path(), &["."]);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("中的记录已不再出现"))
            .count(),
        2,
        "{err}"
    );
    // Updating drops the stale entries, writes the new ones and keeps the reason.
    let update = run_in(repo.path(), &["lint", ".", "--update-baseline"]);
    assert_eq!(update.status.code(), Some(0));
    let text = std::fs::read_to_string(&path).expect("baseline");
    assert_eq!(text.matches("[[finding]]").count(), 3, "{text}");
    assert!(text.contains("reason = \"引用上年工作，已核实\""), "{text}");
    assert!(text.contains("相差 -2"), "the new R3 finding: {text}");
    let (code, codes, _) = findings(repo.path(), &["."]);
    assert_eq!((code, codes), (Some(0), Vec::<String>::new()));
}

#[test]
fn a_baseline_entry_names_the_file_relative_to_the_baseline_wherever_lint_runs() {
    let repo = editorial_repository();
    let out = run_in(
        repo.path(),
        &[
            "lint",
            ".",
            "--baseline",
            "ci/baseline.toml",
            "--update-baseline",
        ],
    );
    // ci/ does not exist: the baseline cannot be written there.
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    std::fs::create_dir_all(repo.path().join("ci")).expect("ci");
    let out = run_in(
        repo.path(),
        &[
            "lint",
            ".",
            "--baseline",
            "ci/baseline.toml",
            "--update-baseline",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(repo.path().join("ci/baseline.toml")).expect("written");
    assert!(text.contains(&format!("file = \"../{DRAFT}\"")), "{text}");
    // From another folder, naming the draft by an absolute path, the entries still match.
    let out = nianbao()
        .current_dir(repo.path().join("ci"))
        .arg("lint")
        .arg(repo.path().join(DRAFT))
        .args(["--baseline", "baseline.toml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("另有 2 个已在基线中接受"),
        "{}",
        stdout(&out)
    );
    // Without a baseline file, --update-baseline says what it needs.
    let out = run_in(repo.path(), &["lint", ".", "--update-baseline"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--baseline FILE"), "{}", stderr(&out));
}

/// `nianbao lint - --stdin-filename PATH`, as an editor runs it on the buffer being edited.
fn lint_stdin(root: &Path, name: &str, bytes: Vec<u8>, extra: &[&str]) -> std::process::Output {
    nianbao()
        .current_dir(root)
        .args([
            "lint",
            "-",
            "--stdin-filename",
            name,
            "--output-format",
            "concise",
        ])
        .args(extra)
        .write_stdin(bytes)
        .output()
        .expect("runs")
}

#[test]
fn standard_input_is_linted_as_the_file_it_names() {
    let repo = editorial_repository();
    // The buffer of a file not saved yet, in a folder that does not exist yet: named so in
    // the findings, configured by the repository's nianbao.toml.
    write(repo.path(), "nianbao.toml", "ignore = [\"T102\"]\n");
    let out = lint_stdin(
        repo.path(),
        "drafts/2025/新稿.md",
        defective_draft().into_bytes(),
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("drafts/2025/新稿.md:55:28: T103 "),
        "{text}"
    );
    assert!(!text.contains("T102"), "the configuration applies: {text}");
    assert!(
        !repo.path().join("drafts/2025").exists(),
        "nothing is written"
    );
    // The format follows the name: a data file, a Word document, a GB18030 text.
    let data = std::fs::read_to_string(example("qingshan-2023.yaml"))
        .expect("example")
        .replace("年度: 2023", "年度: 2023年");
    let out = lint_stdin(repo.path(), "reports/2023.yaml", data.into_bytes(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("reports/2023.yaml:") && stdout(&out).contains(" D010 "),
        "{}",
        stdout(&out)
    );
    let word = common::make::docx_from_text(
        &std::fs::read_to_string(common::seed("shaoxing-2019.txt"))
            .expect("seed")
            .replacen("1375", "1376", 1),
    );
    let out = lint_stdin(repo.path(), "报告.docx", word, &[]);
    assert!(
        stdout(&out).contains("报告.docx:54:20: T101 "),
        "{}",
        stdout(&out)
    );
    let legacy = common::make::legacy(&defective_draft(), encoding_rs::GB18030);
    let out = lint_stdin(repo.path(), "草稿.txt", legacy, &[]);
    assert!(
        stdout(&out).contains("草稿.txt:55:28: T103 "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn standard_input_that_is_no_report_or_is_excluded_is_passed_over() {
    let repo = editorial_repository();
    let out = lint_stdin(
        repo.path(),
        "notes/新笔记.md",
        NOTES.as_bytes().to_vec(),
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("跳过 1 个不是报告的文件"),
        "{}",
        stdout(&out)
    );
    write(repo.path(), "nianbao.toml", "exclude = [\"drafts\"]\n");
    let out = lint_stdin(repo.path(), DRAFT, defective_draft().into_bytes(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // And a baseline applies to it as to the file.
    write(
        repo.path(),
        "nianbao.toml",
        "baseline = \"baseline.toml\"\n",
    );
    let update = run_in(repo.path(), &["lint", ".", "--update-baseline"]);
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    let edited = format!("新加的一行\n{}", defective_draft());
    let out = lint_stdin(repo.path(), DRAFT, edited.into_bytes(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("另有 2 个已在基线中接受"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn standard_input_is_used_alone() {
    let repo = editorial_repository();
    for args in [
        vec!["lint", "-", "README.md"],
        vec!["lint", "README.md", "--stdin-filename", "x.md"],
    ] {
        let out = nianbao()
            .current_dir(repo.path())
            .args(&args)
            .write_stdin("")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains("“-”"), "{}", stderr(&out));
    }
}

/// The extensions `lint` reads, as pre-commit's `files` pattern and the plain hook must match.
fn linted_names() -> Vec<String> {
    nianbao::cli::runner::LINTED_EXTENSIONS
        .iter()
        .flat_map(|e| [format!("a/报告 1.{e}"), format!("B.{}", e.to_uppercase())])
        .collect()
}

#[test]
fn the_pre_commit_manifest_declares_every_format_lint_reads() {
    let manifest =
        std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).expect("manifest");
    let files = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("files:"))
        .expect("a files pattern")
        .trim();
    // pre-commit reads the pattern with Python's re; this one is also a Rust regex.
    let pattern = regex::Regex::new(files).expect("a regular expression");
    for name in linted_names() {
        assert!(pattern.is_match(&name), "{files} misses {name}");
    }
    for name in ["a.toml", "a.rs", "a.doc", "Makefile", "a.md.bak"] {
        assert!(!pattern.is_match(name), "{files} matches {name}");
    }
    assert!(manifest.contains("entry: nianbao lint"));
}

/// Runs `sh scripts/pre-commit` in `root` with the nianbao under test first on the PATH.
fn run_hook(root: &Path) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("nianbao");
    let bin_dir = binary.parent().expect("target dir");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    std::process::Command::new("sh")
        .arg(common::root().join("scripts/pre-commit"))
        .current_dir(root)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs")
}

fn git(root: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=编辑",
            "-c",
            "user.email=editor@example.org",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn the_plain_git_hook_handles_names_with_spaces_and_chinese_characters() {
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_err()
    {
        common::skipped("git is not installed");
        return;
    }
    let repo = editorial_repository();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    // Staged: the defective draft (a space and Chinese characters in its name) among files
    // that are not reports. The hook fails, naming the draft.
    let out = run_hook(repo.path());
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!("{DRAFT}:55:28")),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("检查了 3 个文件"), "{}", stdout(&out));
    // Fixed and staged again: it passes.
    write(repo.path(), DRAFT, &clean_report());
    git(repo.path(), &["add", "-A"]);
    let out = run_hook(repo.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // Nothing staged: nianbao is not run at all.
    git(repo.path(), &["commit", "-q", "-m", "初稿"]);
    let out = run_hook(repo.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "", "nianbao ran with no file");
    // A Word document named in capitals is staged and checked.
    let word = common::make::docx_from_text(
        &std::fs::read_to_string(common::seed("shaoxing-2019.txt"))
            .expect("seed")
            .replacen("1375", "1376", 1),
    );
    std::fs::write(repo.path().join("报告 终稿.DOCX"), word).expect("docx");
    git(repo.path(), &["add", "-A"]);
    let out = run_hook(repo.path());
    assert_ne!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("报告 终稿.DOCX"), "{}", stdout(&out));
}

/// Detection must never pass over a real report: every sample (the seeds, and the reference
/// samples when ../shared is present), every layout fixture and every data file of the tests
/// is taken for a report.
#[test]
fn every_sample_fixture_and_data_file_is_taken_for_a_report() {
    let mut paths: Vec<PathBuf> = common::samples_present(&[
        "huaian-2024-pdftotext.txt",
        "huaian-2024-pdftotext-layout.txt",
        "pingtan-2024.html",
        "shanghai-bgt-2019.html",
        "official-template-2021.docx",
        "huaian-2024.pdf",
    ])
    .into_iter()
    .map(|(_, p)| p)
    .collect();
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        paths.retain(|p| p.extension().is_none_or(|e| e != "pdf"));
    }
    for dir in ["tests/fixtures", "tests/fixtures/layouts", "examples"] {
        for entry in std::fs::read_dir(common::root().join(dir)).expect(dir) {
            let path = entry.expect("entry").path();
            if path.is_file() && path.extension().is_some_and(|e| e != "rs") {
                paths.push(path);
            }
        }
    }
    assert!(paths.len() >= 15, "{paths:?}");
    let out = nianbao()
        .arg("lint")
        .args(&paths)
        .args(["--output-format", "json", "--verbose"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(json["summary"]["passed_over"], 0, "{}", stderr(&out));
    assert_eq!(json["summary"]["files"], paths.len());
}
