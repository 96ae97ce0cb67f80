//! The output formats for CI and editors: SARIF 2.1.0 (parsed back into serde-sarif's typed
//! model), GitHub workflow commands (checked against their syntax) and the concise one-line
//! format; snapshots of each; exit codes the same in every format.

mod common;

use std::path::Path;

use common::{example, make, nianbao, seed, stderr, stdout};
use nianbao::data;
use nianbao::render::{self, Format};
use serde_sarif::sarif::Sarif;

fn clean_report() -> String {
    let loaded = data::load(
        &std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example data file"),
    );
    render::render(&loaded.report.expect("report"), Format::Markdown).expect("renders")
}

fn with_defect(clean: &str) -> String {
    let draft = clean.replace("| （一）予以公开 |  | 40 |", "| （一）予以公开 |  | 41 |");
    assert_ne!(draft, clean);
    draft
}

/// A folder with a defective Markdown draft (a name with a space and Chinese characters), a
/// defective Word document, and a clean report.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let clean = clean_report();
    std::fs::create_dir_all(dir.path().join("drafts")).expect("folder");
    std::fs::write(
        dir.path().join("drafts/2023年 草稿.md"),
        with_defect(&clean),
    )
    .expect("draft");
    // A real report's figures (a seed sample) with one figure changed, as Word.
    let seed = std::fs::read_to_string(seed("shaoxing-2019.txt"))
        .expect("seed")
        .replacen("1375", "1376", 1);
    std::fs::write(
        dir.path().join("drafts/报告.docx"),
        make::docx_from_text(&seed),
    )
    .expect("docx");
    std::fs::write(dir.path().join("clean.md"), &clean).expect("clean");
    dir
}

fn lint(root: &Path, args: &[&str]) -> std::process::Output {
    nianbao()
        .current_dir(root)
        .arg("lint")
        .args(args)
        .output()
        .expect("runs")
}

/// Output with the temporary folder and the version replaced, for snapshots.
fn redacted(text: &str, root: &Path) -> String {
    let root = std::fs::canonicalize(root).expect("canonical");
    text.replace(&root.display().to_string(), "[ROOT]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

fn percent_decoded(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn sarif_parses_back_into_the_typed_model() {
    let dir = workspace();
    let out = lint(dir.path(), &[".", "--output-format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let log: Sarif = serde_json::from_str(&text).expect("parses into serde-sarif's model");
    // Nothing was written that the model does not hold.
    assert_eq!(serde_json::to_value(&log).expect("serialises"), json);
    assert_eq!(log.version, "2.1.0");
    assert_eq!(log.runs.len(), 1, "one run per invocation");
    let run = &log.runs[0];
    let rules = run.tool.driver.rules.as_ref().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    let registry: Vec<&str> = nianbao::rules::registry::all()
        .iter()
        .map(|c| c.code)
        .collect();
    assert_eq!(ids, registry, "the rule list is the registry");
    for rule in rules {
        assert!(rule.name.is_some() && rule.help.is_some() && rule.full_description.is_some());
        let level = &rule.default_configuration.as_ref().expect("level").level;
        assert!(
            matches!(
                level.as_ref().and_then(|l| l.as_str()),
                Some("error" | "warning" | "note")
            ),
            "{}",
            rule.id
        );
    }
    let results = run.results.as_ref().expect("results");
    assert_eq!(
        results.len(),
        6,
        "two in the draft, four in the Word document"
    );
    for result in results {
        let fingerprint = result.partial_fingerprints.as_ref().expect("fingerprints");
        assert_eq!(
            fingerprint["nianbao/v1"].len(),
            16,
            "the baseline's fingerprint"
        );
        let id = result.rule_id.as_deref().expect("ruleId");
        let index = result.rule_index.expect("ruleIndex") as usize;
        assert_eq!(rules[index].id, id);
        let location = &result.locations.as_ref().expect("locations")[0];
        let physical = location.physical_location.as_ref().expect("physical");
        let uri = physical
            .artifact_location
            .as_ref()
            .and_then(|a| a.uri.as_deref())
            .expect("uri");
        assert!(!uri.contains(':') && !uri.starts_with("./"), "{uri}");
        assert!(dir.path().join(percent_decoded(uri)).is_file(), "{uri}");
        let region = physical.region.as_ref().expect("region");
        let (line, column) = (
            region.start_line.expect("line"),
            region.start_column.expect("col"),
        );
        let (end_line, end_column) = (
            region.end_line.expect("end"),
            region.end_column.expect("end"),
        );
        assert!(line >= 1 && column >= 1 && (end_line, end_column) >= (line, column));
        // The Word document's findings say where they are in the document.
        if uri.ends_with(".docx") {
            let logical = location
                .logical_locations
                .as_ref()
                .expect("logical location");
            assert!(
                logical[0]
                    .name
                    .as_deref()
                    .is_some_and(|n| n.starts_with('表') || n.ends_with('段')),
                "{logical:?}"
            );
        }
    }
    // The snapshot keeps the rules the results use (the list is the registry, checked above).
    let mut shown = json.clone();
    let used: Vec<&str> = results
        .iter()
        .filter_map(|r| r.rule_id.as_deref())
        .collect();
    if let Some(rules) = shown["runs"][0]["tool"]["driver"]["rules"].as_array_mut() {
        rules.retain(|r| r["id"].as_str().is_some_and(|id| used.contains(&id)));
    }
    let shown = serde_json::to_string_pretty(&shown).expect("JSON");
    insta::assert_snapshot!("sarif", redacted(&shown, dir.path()));
}

#[test]
fn github_output_is_workflow_commands() {
    let dir = workspace();
    let out = lint(dir.path(), &[".", "--output-format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let command = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:%\n]+(%2C[^,:%\n]*)*,line=[1-9][0-9]*,col=[1-9][0-9]*,endLine=[1-9][0-9]*,endColumn=[1-9][0-9]*,title=[A-Z][0-9]+::[^\r\n]+$",
    )
    .expect("regex");
    let lines: Vec<&str> = text.lines().collect();
    let (summary, commands) = lines.split_last().expect("lines");
    assert_eq!(commands.len(), 6, "{text}");
    for line in commands {
        assert!(command.is_match(line), "not a workflow command: {line}");
    }
    assert!(summary.starts_with("检查了 3 个文件"), "{summary}");
    assert!(
        commands[0].starts_with("::error file=drafts/2023年 草稿.md,line=55,col=28,"),
        "{}",
        commands[0]
    );
    insta::assert_snapshot!("github", text);
}

#[test]
fn concise_output_is_one_line_per_finding() {
    let dir = workspace();
    let out = lint(dir.path(), &["drafts", "--output-format", "concise"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let line =
        regex::Regex::new(r"^[^:\n]+:[1-9][0-9]*:[1-9][0-9]*: [A-Z][0-9]+ .+$").expect("regex");
    let lines: Vec<&str> = text.lines().collect();
    let (_, findings) = lines.split_last().expect("lines");
    assert_eq!(findings.len(), 6, "{text}");
    for l in findings {
        assert!(line.is_match(l), "{l}");
    }
    insta::assert_snapshot!("concise", text);
}

#[test]
fn every_format_keeps_the_exit_codes() {
    let dir = workspace();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let clean = lint(dir.path(), &["clean.md", "--output-format", format]);
        assert_eq!(clean.status.code(), Some(0), "{format}: {}", stdout(&clean));
        let missing = lint(
            dir.path(),
            &["clean.md", "missing.md", "--output-format", format],
        );
        assert_eq!(missing.status.code(), Some(2), "{format}");
        assert!(stderr(&missing).contains("missing.md"), "{format}");
    }
    // A file that could not be read is an annotation, and makes the SARIF run unsuccessful.
    let github = lint(dir.path(), &["missing.md", "--output-format", "github"]);
    assert!(
        stdout(&github).starts_with("::error file=missing.md,title=nianbao::无法读取 missing.md"),
        "{}",
        stdout(&github)
    );
    let sarif = lint(dir.path(), &["missing.md", "--output-format", "sarif"]);
    let log: Sarif = serde_json::from_str(&stdout(&sarif)).expect("SARIF");
    let invocation = &log.runs[0].invocations.as_ref().expect("invocation")[0];
    assert!(!invocation.execution_successful);
}
