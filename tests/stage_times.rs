//! `NIANBAO_STAGE_TIMES`: `lint` says where its time went, by stage, on standard error (for
//! scripts/bench.sh), and says nothing of it otherwise; standard output is the same either way.

mod common;

use common::{nianbao, stderr, stdout};

#[test]
fn stage_times_are_printed_only_when_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..3 {
        // Two section headings make it a report; no year: each file has a finding (N001).
        std::fs::write(
            dir.path().join(format!("{i}.md")),
            format!("# 报告{i}\n\n一、总体情况\n\n二、主动公开政府信息情况\n"),
        )
        .expect("write");
    }
    let run = |timed: bool| {
        let mut cmd = nianbao();
        cmd.args(["lint", "--output-format", "json", "-j1"])
            .arg(dir.path())
            .env_remove(nianbao::cli::timing::VARIABLE);
        if timed {
            cmd.env(nianbao::cli::timing::VARIABLE, "1");
        }
        cmd.output().expect("runs")
    };
    let (plain, timed) = (run(false), run(true));
    assert!(!stderr(&plain).contains("各阶段耗时"), "{}", stderr(&plain));
    let table = stderr(&timed);
    for line in ["各阶段耗时", "input", "reading", "rules", "output", "total"] {
        assert!(table.contains(line), "{line} missing from:\n{table}");
    }
    assert_eq!(stdout(&plain), stdout(&timed));
    let json: serde_json::Value = serde_json::from_str(&stdout(&timed)).expect("JSON");
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(3));
    assert_eq!(plain.status.code(), timed.status.code());
}
