//! SARIF 2.1.0, the format code scanning reads (GitHub, GitLab, Azure DevOps), built with the
//! typed model of the `serde-sarif` crate (generated from the 2.1.0 schema), never as
//! hand-written JSON.
//!
//! Owns the mapping from [`Diagnostic`]s to one SARIF run: the tool's rules (every code, with
//! its name, summary, explanation and default level — the caller hands them in from the
//! registry), one result per finding (`ruleId`, `ruleIndex`, level, the message with its notes,
//! the primary label as a physical location with start and end line and column, the other
//! labels as related locations, the finding's fingerprint when it has one), and files that
//! could not be read as tool execution notifications. Columns count Unicode code points
//! (`columnKind: unicodeCodePoints`), as everywhere in nianbao. URIs are relative to the working
//! directory (`uriBaseId: %SRCROOT%`, which `originalUriBaseIds` resolves) and percent-encoded;
//! a file outside it gets a `file://` URI. For a Word or PDF document the line and column are
//! those of its text view (as in every output) and the place in the document is added as a
//! logical location and to the message (`位置：表三（第2个表格）第6行第10列`).
//!
//! Writing a long run's log as it goes (a spool on disk) is the command line's business:
//! `cli::sarif`.

use std::collections::BTreeMap;
use std::path::Path;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_sarif::sarif;

use super::{Diagnostic, Place, Severity, SourceFiles, full_message, relative_name};

/// The schema the log names (SchemaStore's copy of the OASIS 2.1.0 schema).
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base URI id relative URIs are resolved against: the working directory of the run.
pub const SRCROOT: &str = "%SRCROOT%";
/// The key of nianbao's fingerprint in `partialFingerprints` (the baseline's, see
/// `crate::cli::baseline`): stable when lines are inserted above a finding.
pub const FINGERPRINT_KEY: &str = "nianbao/v1";

/// What a URI path keeps unescaped: RFC 3986's unreserved characters and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A code as the tool's rule list gives it.
#[derive(Debug, Clone, Copy)]
pub struct Rule<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// One sentence.
    pub summary: &'a str,
    pub explain: &'a str,
    pub severity: Severity,
    /// The family's letter (`T`), as a tag.
    pub family: &'a str,
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

fn level_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// An artifact location: a relative URI against [`SRCROOT`], or a `file://` URI.
pub fn artifact(name: &str, cwd: Option<&Path>) -> sarif::ArtifactLocation {
    let relative = relative_name(name, cwd);
    if relative.starts_with('/') {
        return sarif::ArtifactLocation::builder()
            .uri(format!("file://{}", utf8_percent_encode(&relative, PATH)))
            .build();
    }
    sarif::ArtifactLocation::builder()
        .uri(utf8_percent_encode(&relative, PATH).to_string())
        .uri_base_id(SRCROOT)
        .build()
}

fn region(files: &SourceFiles, file: usize, span: &std::ops::Range<usize>) -> sarif::Region {
    let at = files.position(file, span);
    sarif::Region::builder()
        .start_line(at.line as i64)
        .start_column(at.column as i64)
        .end_line(at.end_line as i64)
        .end_column(at.end_column as i64)
        .build()
}

fn logical(place: Place) -> sarif::LogicalLocation {
    let kind = match place {
        Place::Paragraph { .. } => "paragraph",
        Place::Cell { .. } => "tableCell",
        Place::Page { .. } => "page",
    };
    sarif::LogicalLocation::builder()
        .name(place.describe())
        .fully_qualified_name(place.describe())
        .kind(kind)
        .build()
}

/// One result per finding of one file; `fingerprints`, when given, one per finding.
pub fn results(
    files: &SourceFiles,
    diagnostics: &[Diagnostic],
    fingerprints: Option<&[String]>,
    cwd: Option<&Path>,
) -> Vec<sarif::Result> {
    diagnostics
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let at = files.primary(d);
            let (file, span) = d
                .labels
                .first()
                .map_or((0, 0..0), |l| (l.file, l.span.clone()));
            let physical = sarif::PhysicalLocation::builder()
                .artifact_location(artifact(files.name(file), cwd))
                .region(region(files, file, &span))
                .build();
            let mut location = sarif::Location::builder()
                .physical_location(physical)
                .build();
            if let Some(place) = at.place {
                location.logical_locations = Some(vec![logical(place)]);
            }
            if let Some(label) = d.labels.first().filter(|l| !l.message.is_empty()) {
                location.message = Some(
                    sarif::Message::builder()
                        .text(label.message.clone())
                        .build(),
                );
            }
            let related: Vec<sarif::Location> = d
                .labels
                .iter()
                .enumerate()
                .skip(1)
                .map(|(id, l)| {
                    sarif::Location::builder()
                        .id(id as i64)
                        .physical_location(
                            sarif::PhysicalLocation::builder()
                                .artifact_location(artifact(files.name(l.file), cwd))
                                .region(region(files, l.file, &l.span))
                                .build(),
                        )
                        .message(sarif::Message::builder().text(l.message.clone()).build())
                        .build()
                })
                .collect();
            let message = sarif::Message::builder()
                .text(full_message(d, at.place, "\n"))
                .build();
            let mut result = sarif::Result::builder()
                .rule_id(d.code.clone())
                .level(level(d.severity))
                .message(message)
                .locations(vec![location])
                .build();
            if !related.is_empty() {
                result.related_locations = Some(related);
            }
            if let Some(fingerprint) = fingerprints.and_then(|f| f.get(i)) {
                result.partial_fingerprints = Some(BTreeMap::from([(
                    FINGERPRINT_KEY.to_owned(),
                    fingerprint.clone(),
                )]));
            }
            result
        })
        .collect()
}

/// The index of each rule in the tool's rule list, for `ruleIndex`.
/// Fills in a result's `ruleIndex` from its `ruleId` (`index` from [`rule_indexes`]).
pub(crate) fn set_rule_index(result: &mut sarif::Result, index: &BTreeMap<&str, usize>) {
    result.rule_index = result
        .rule_id
        .as_deref()
        .and_then(|id| index.get(id))
        .map(|&i| i as i64);
}

pub(crate) fn rule_indexes<'a>(rules: &[Rule<'a>]) -> BTreeMap<&'a str, usize> {
    rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect()
}

/// The whole log: one run with the tool's rules, `results` (their `ruleIndex` filled in), and
/// `failures` (`(file, why)`) as notifications that make the run unsuccessful.
pub fn log(
    rules: &[Rule],
    mut results: Vec<sarif::Result>,
    failures: &[(String, String)],
    cwd: Option<&Path>,
) -> sarif::Sarif {
    let index = rule_indexes(rules);
    for result in &mut results {
        set_rule_index(result, &index);
    }
    let descriptors: Vec<sarif::ReportingDescriptor> = rules
        .iter()
        .map(|r| {
            sarif::ReportingDescriptor::builder()
                .id(r.id)
                .name(r.name)
                .short_description(
                    sarif::MultiformatMessageString::builder()
                        .text(r.summary)
                        .build(),
                )
                .full_description(
                    sarif::MultiformatMessageString::builder()
                        .text(r.explain)
                        .build(),
                )
                .help(
                    sarif::MultiformatMessageString::builder()
                        .text(format!("{}\n\n（nianbao explain {}）", r.explain, r.id))
                        .build(),
                )
                .default_configuration(
                    sarif::ReportingConfiguration::builder()
                        .level(serde_json::json!(level_word(r.severity)))
                        .build(),
                )
                .properties(
                    sarif::PropertyBag::builder()
                        .tags(vec![r.family.to_owned()])
                        .build(),
                )
                .build()
        })
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("nianbao")
        .full_name(format!("nianbao {}", env!("CARGO_PKG_VERSION")))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors)
        .build();
    let notifications: Vec<sarif::Notification> = failures
        .iter()
        .map(|(file, why)| {
            sarif::Notification::builder()
                .level(serde_json::json!("error"))
                .message(sarif::Message::builder().text(why.clone()).build())
                .locations(vec![
                    sarif::Location::builder()
                        .physical_location(
                            sarif::PhysicalLocation::builder()
                                .artifact_location(artifact(file, cwd))
                                .build(),
                        )
                        .build(),
                ])
                .build()
        })
        .collect();
    let mut invocation = sarif::Invocation::builder()
        .execution_successful(failures.is_empty())
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let mut run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    if let Some(cwd) = cwd {
        let mut root =
            utf8_percent_encode(&relative_name(&cwd.display().to_string(), None), PATH).to_string();
        if !root.ends_with('/') {
            root.push('/');
        }
        run.original_uri_base_ids = Some(BTreeMap::from([(
            SRCROOT.to_owned(),
            sarif::ArtifactLocation::builder()
                .uri(format!("file://{root}"))
                .build(),
        )]));
    }
    sarif::Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A rule for tests (also `cli::sarif`'s).
    pub(crate) fn rule() -> Rule<'static> {
        Rule {
            id: "T101",
            name: "balance-r1",
            summary: "勾稽关系R1。",
            explain: "勾稽关系R1：……",
            severity: Severity::Error,
            family: "T",
        }
    }

    #[test]
    fn a_finding_becomes_a_result_with_its_rule_region_and_related_locations() {
        let mut files = SourceFiles::default();
        files.add("/work/repo/报告 2023.md", "标题\n数字 12 在此\n合计 13\n");
        let start = "标题\n数字 ".len();
        let total = "标题\n数字 12 在此\n合计 ".len();
        let d = Diagnostic::error("T101", "不平衡")
            .with_label(start..start + 2, "左边")
            .with_label(total..total + 2, "右边");
        let cwd = Path::new("/work/repo");
        let found = results(&files, &[d], Some(&["abc".to_owned()]), Some(cwd));
        let log = log(&[rule()], found, &[], Some(cwd));
        let json = serde_json::to_value(&log).expect("serialises");
        let result = &json["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "T101");
        assert_eq!(result["ruleIndex"], 0);
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "%E6%8A%A5%E5%91%8A%202023.md"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], SRCROOT);
        assert_eq!(location["region"]["startLine"], 2);
        assert_eq!(location["region"]["startColumn"], 4);
        assert_eq!(location["region"]["endColumn"], 6);
        assert_eq!(result["relatedLocations"][0]["message"]["text"], "右边");
        assert_eq!(result["partialFingerprints"][FINGERPRINT_KEY], "abc");
        assert_eq!(
            json["runs"][0]["originalUriBaseIds"][SRCROOT]["uri"],
            "file:///work/repo/"
        );
        // The typed model reads back what it wrote, field for field.
        let back: sarif::Sarif = serde_json::from_value(json.clone()).expect("parses");
        assert_eq!(serde_json::to_value(&back).expect("serialises"), json);
    }

    #[test]
    fn a_file_outside_the_working_directory_gets_a_file_uri() {
        let location = artifact("/elsewhere/a b.md", Some(Path::new("/work/repo")));
        assert_eq!(location.uri.as_deref(), Some("file:///elsewhere/a%20b.md"));
        assert_eq!(location.uri_base_id, None);
        let location = artifact("./drafts/x.md", Some(Path::new("/work/repo")));
        assert_eq!(location.uri.as_deref(), Some("drafts/x.md"));
    }

    #[test]
    fn an_unreadable_file_makes_the_run_unsuccessful() {
        let log = log(
            &[rule()],
            Vec::new(),
            &[("x.docx".to_owned(), "不是有效的 Word 文档".to_owned())],
            None,
        );
        let invocation = &log.runs[0].invocations.as_ref().expect("invocations")[0];
        assert!(!invocation.execution_successful);
        assert_eq!(
            invocation
                .tool_execution_notifications
                .as_ref()
                .map(Vec::len),
            Some(1)
        );
    }
}
