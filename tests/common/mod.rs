//! Helpers shared by the integration tests: run the real binary, locate fixtures and samples.
#![allow(dead_code)]

pub mod make;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub fn nianbao() -> Command {
    let mut cmd = Command::cargo_bin("nianbao").expect("binary built");
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The project's own sample documents (real published reports that may be copied), kept in
/// `tests/fixtures/samples/`.
pub const SEEDS: [&str; 3] = [
    "shaoxing-2019.txt",
    "fuzhou-office-2020-traditional.txt",
    "linan-2020.txt",
];

/// One of the project's own sample documents (always present).
pub fn seed(name: &str) -> PathBuf {
    assert!(SEEDS.contains(&name), "{name} is not a seed sample");
    root().join("tests/fixtures/samples").join(name)
}

/// A reference-only sample from `../shared/samples/`, read at run time and never copied into
/// the repository. `None` when the folder is absent (a user's fresh clone); the skip is then
/// announced on stderr, which the test harness does not capture, so `cargo test` shows it.
pub fn reference(name: &str) -> Option<PathBuf> {
    let path = root().join("../shared/samples").join(name);
    if path.exists() {
        return Some(path);
    }
    skipped(&format!("../shared/samples/{name} is not present"));
    None
}

/// Announces that (part of) a test was skipped, past the harness's output capture.
pub fn skipped(why: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(std::io::stderr().lock(), "skipped ({test}): {why}");
}

/// Seed samples, then the reference samples that are present: `(name, path)`.
pub fn samples_present(references: &[&str]) -> Vec<(String, PathBuf)> {
    SEEDS
        .iter()
        .map(|n| (n.to_string(), seed(n)))
        .chain(
            references
                .iter()
                .filter_map(|n| reference(n).map(|p| (n.to_string(), p))),
        )
        .collect()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Run from the repository root so that paths in diagnostics are stable in snapshots.
pub fn run_in_root(args: &[&str]) -> Output {
    nianbao()
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs")
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}

/// The flags every headless Chromium in the tests runs with: no sandbox (CI runs as root), no
/// GPU, and no first-run page, background traffic, component updates or sync to slow it down
/// or reach the network. Each test adds its own (`--dump-dom`, `--virtual-time-budget` …) and
/// a fresh `--user-data-dir`.
pub const CHROMIUM_FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Headless Chromium (or Chrome), if one is on the PATH; tests that need it skip without it.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}
