//! Everything a person reads is Chinese: every command's help, the usual parse errors, I/O and
//! TOML errors, `rules` and `explain`. Runs the real binary.

mod common;

use common::nianbao;

/// clap's English frame; none of it may reach a user.
const ENGLISH_FRAME: &[&str] = &[
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "Print version",
    "Possible values",
    "possible values",
    "default:",
    "error:",
    "tip:",
    "[OPTIONS]",
    "<COMMAND>",
];

fn assert_no_english_frame(what: &str, text: &str) {
    for word in ENGLISH_FRAME {
        assert!(!text.contains(word), "{what}: “{word}” in\n{text}");
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// A space between two Chinese characters: a doc comment's line break that clap joined.
fn stray_space(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).find_map(|w| {
        (w[1] == ' ' && is_cjk(w[0]) && is_cjk(w[2])).then(|| w.iter().collect::<String>())
    })
}

/// The subcommands `nianbao --help` lists under 命令.
fn subcommands() -> Vec<String> {
    let out = nianbao().arg("--help").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let section = text
        .split("命令：\n")
        .nth(1)
        .expect("a 命令 section")
        .split("\n\n")
        .next()
        .expect("lines");
    let names: Vec<String> = section
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    names
}

#[test]
fn every_help_is_chinese_without_stray_spaces() {
    let mut runs = vec![vec!["--help".to_owned()], vec!["-h".to_owned()]];
    for name in subcommands() {
        runs.push(vec![name.clone(), "--help".to_owned()]);
        runs.push(vec![name.clone(), "-h".to_owned()]);
        runs.push(vec!["help".to_owned(), name]);
    }
    for args in runs {
        let out = nianbao().args(&args).output().expect("runs");
        let what = args.join(" ");
        assert_eq!(out.status.code(), Some(0), "{what}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains("用法："), "{what}:\n{text}");
        assert!(text.contains("显示帮助"), "{what}:\n{text}");
        assert_no_english_frame(&what, &text);
        assert_eq!(stray_space(&text), None, "{what}:\n{text}");
    }
    let version = nianbao().arg("-V").output().expect("runs");
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("nianbao "));
}

#[test]
fn possible_values_and_defaults_are_listed_in_chinese() {
    let out = nianbao().args(["lint", "--help"]).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("可选值："), "{text}");
    assert!(text.contains("默认：human"), "{text}");
    let render = nianbao().args(["render", "--help"]).output().expect("runs");
    let text = String::from_utf8(render.stdout).expect("utf-8");
    assert!(text.contains("docx：Word 文件"), "{text}");
}

/// Each usual mistake, what the message must say, and its exit code.
#[test]
fn the_usual_errors_are_chinese_and_point_to_the_right_thing() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["lint", "--format", "json", "x.md"],
            &[
                "不认识的参数“--format”",
                "“--output-format”",
                "nianbao lint --help",
            ],
        ),
        (&["lint"], &["缺少必需的参数", "<路径>"]),
        (
            &["lint", "--output-format", "xml", "x.md"],
            &["不接受“xml”", "human、concise"],
        ),
        (
            &["lint", "--year", "abc", "x.md"],
            &["“abc”无效", "须为整数"],
        ),
        (
            &["init", "--year", "2300", "--agency", "甲"],
            &["须在 2008 到 2100 之间"],
        ),
        (&["lnt"], &["没有“lnt”这个命令", "“lint”", "可用的命令"]),
        (
            &["render", "a.yaml", "-o", "a.md", "--check", "b.md"],
            &["不能与"],
        ),
        (&["render", "a.yaml", "--chart"], &["“--charts”"]),
    ];
    for (args, wanted) in cases {
        let out = nianbao().args(*args).output().expect("runs");
        let what = args.join(" ");
        assert_eq!(out.status.code(), Some(2), "{what}");
        assert!(out.stdout.is_empty(), "{what}");
        let text = String::from_utf8(out.stderr).expect("utf-8");
        assert!(text.starts_with("错误："), "{what}:\n{text}");
        for w in *wanted {
            assert!(text.contains(w), "{what}: no “{w}” in\n{text}");
        }
        assert_no_english_frame(&what, &text);
    }
    // No command at all: the help, on standard error, as a usage error.
    let out = nianbao().output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_no_english_frame("nianbao", &String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_unwritable_output_is_one_chinese_sentence_naming_the_file_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("文件");
    std::fs::write(&blocker, "x").expect("write");
    let target = blocker.join("2023.yaml");
    let out = nianbao()
        .args(["init", "--year", "2023", "--agency", "青山区人民政府", "-o"])
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stderr).expect("utf-8");
    assert!(text.contains("路径中的某一级不是目录"), "{text}");
    assert_eq!(text.matches("2023.yaml").count(), 1, "{text}");
    assert!(!text.contains("os error"), "{text}");
    assert!(!text.contains(".nianbao-"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn a_broken_configuration_is_described_in_chinese() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("nianbao.toml"),
        "year = 2023\nyear = 2024\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("a.md"),
        "# 青山区人民政府2023年政府信息公开工作年度报告\n",
    )
    .expect("write");
    let out = nianbao()
        .arg("lint")
        .arg("--config")
        .arg(dir.path().join("nianbao.toml"))
        .arg(dir.path().join("a.md"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stderr).expect("utf-8");
    assert!(text.contains("键重复"), "{text}");
    assert!(!text.contains("duplicate"), "{text}");
}

#[test]
fn rules_lists_chinese_summaries_and_explain_takes_a_name() {
    let out = nianbao().arg("rules").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let t101 = text
        .lines()
        .find(|l| l.starts_with("T101 "))
        .expect("T101 listed");
    assert!(t101.contains("balance-r1"), "{t101}");
    assert!(t101.contains("错误"), "{t101}");
    assert!(t101.chars().any(is_cjk) && t101.ends_with('。'), "{t101}");
    for line in text.lines() {
        assert!(line.chars().any(is_cjk), "no Chinese summary: {line}");
    }
    for name in ["balance-r1", "BALANCE-R1", "T101", "t101"] {
        let out = nianbao().args(["explain", name]).output().expect("runs");
        assert!(out.status.success(), "{name}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(
            text.starts_with("T101 balance-r1（默认级别：错误）"),
            "{name}: {text}"
        );
    }
    let out = nianbao()
        .args(["explain", "balance-r"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stderr).expect("utf-8");
    assert!(text.contains("要找的是“balance-r"), "{text}");
}
