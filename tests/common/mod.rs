//! Helpers shared by the integration tests: run the real binary, locate fixtures and samples.
#![allow(dead_code)]

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

/// The shared samples (real published reports), beside the repository.
pub fn sample(name: &str) -> PathBuf {
    root().join("../shared/samples").join(name)
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
