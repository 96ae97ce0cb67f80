//! Nothing in a walked folder is skipped in silence: reports reached through symbolic links
//! are checked (once, and a link back up the tree does not loop), and old binary Word/WPS
//! files are counted and named as not checked, or fail when `include` claims them.

mod common;

use std::path::Path;

use common::{nianbao, seed};

fn lint_json(dir: &Path) -> (Option<i32>, serde_json::Value, String) {
    let out = nianbao()
        .args(["lint", "--output-format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    let json = serde_json::from_slice(&out.stdout).expect("JSON");
    (
        out.status.code(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn linked_reports_are_checked_once_and_loops_end() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("reports");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(root.join("sub")).expect("dirs");
    std::fs::create_dir_all(&elsewhere).expect("dirs");
    std::fs::copy(seed("linan-2020.txt"), elsewhere.join("2020.txt")).expect("copy");
    // The same report through a file link and through a folder link; a link back up.
    symlink(elsewhere.join("2020.txt"), root.join("linked.txt")).expect("link");
    symlink(&elsewhere, root.join("folder")).expect("link");
    symlink(&root, root.join("sub/up")).expect("link");
    let (code, json, stderr) = lint_json(&root);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(json["summary"]["files"], 1, "{json:#}");
    assert_eq!(
        json["summary"]["failures"],
        serde_json::json!([]),
        "{json:#}"
    );

    // Before links were followed this folder gave 检查了 0 个文件.
    let out = nianbao().arg("lint").arg(&root).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("检查了 1 个文件"), "{text}");
}

#[test]
fn old_word_files_in_a_walk_are_named_as_not_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(seed("linan-2020.txt"), dir.path().join("2020.txt")).expect("copy");
    std::fs::write(dir.path().join("2021.doc"), b"\xD0\xCF\x11\xE0old").expect("write");
    std::fs::create_dir(dir.path().join("wps")).expect("dir");
    std::fs::write(dir.path().join("wps/2022.WPS"), b"\xD0\xCF\x11\xE0old").expect("write");
    let out = nianbao()
        .arg("lint")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("检查了 1 个文件"), "{text}");
    assert!(text.contains("另有 2 个旧版 Word/WPS 文件未检查"), "{text}");
    assert!(
        text.contains("2021.doc") && text.contains("2022.WPS"),
        "{text}"
    );
    assert!(text.contains("另存为 .docx"), "{text}");
    let (_, json, _) = lint_json(dir.path());
    assert_eq!(
        json["summary"]["not_checked_legacy_word"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{json:#}"
    );
}

#[test]
fn an_old_word_file_that_include_claims_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("nianbao.toml"), "include = [\"*.doc\"]\n").expect("write");
    std::fs::write(dir.path().join("2021.doc"), b"\xD0\xCF\x11\xE0old").expect("write");
    std::fs::write(dir.path().join("notes.wps"), b"\xD0\xCF\x11\xE0old").expect("write");
    let out = nianbao()
        .arg("lint")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2021.doc 是旧版 Word/WPS 二进制格式"),
        "{stderr}"
    );
    assert!(stderr.contains("include"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 个文件无法检查"), "{stdout}");
    assert!(
        stdout.contains("另有 1 个旧版 Word/WPS 文件未检查"),
        "{stdout}"
    );
    assert!(stdout.contains("notes.wps"), "{stdout}");
}
