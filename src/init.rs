//! `nianbao init`: a complete data file for one edition, every row present, ready to fill.
//!
//! This module owns the text of a new data file (through `templates/init.yaml`). It writes
//! nothing to disk itself; the command line decides where the text goes.

use askama::Template;

use crate::data::PLACEHOLDER;
use crate::edition::{Edition, Prose};

struct ProseSection<'a> {
    title: &'a str,
    hint: &'a str,
    required: bool,
}

struct ActiveLine {
    comment: Option<String>,
    key: String,
    columns: String,
}

/// One line of table 三 or 四: a group key (no value) or a row with its zeros.
struct GridLine {
    indent: &'static str,
    key: String,
    zeros: Option<String>,
}

#[derive(Template)]
#[template(path = "init.yaml", escape = "none")]
struct InitFile<'a> {
    edition: &'a Edition,
    year: i32,
    agency: String,
    placeholder: &'a str,
    prose: Vec<ProseSection<'a>>,
    active: Vec<ActiveLine>,
    applications: Vec<GridLine>,
    application_columns: String,
    appeals: Vec<GridLine>,
    appeal_columns: String,
}

fn grid_lines(table: &crate::edition::GridTable) -> Vec<GridLine> {
    let zeros = format!("[{}]", vec!["0"; table.columns.len()].join(", "));
    let mut lines = Vec::new();
    for row in &table.rows {
        if row.derived {
            continue;
        }
        match (&row.id, &row.group) {
            (Some(id), _) => match id.split_once('.') {
                Some((_, name)) => lines.push(GridLine {
                    indent: "    ",
                    key: name.to_owned(),
                    zeros: Some(zeros.clone()),
                }),
                None => lines.push(GridLine {
                    indent: "  ",
                    key: id.clone(),
                    zeros: Some(zeros.clone()),
                }),
            },
            (None, Some(group)) => {
                let has_children = table
                    .data_rows()
                    .any(|(id, _)| id.starts_with(&format!("{group}.")));
                if has_children {
                    lines.push(GridLine {
                        indent: "  ",
                        key: group.clone(),
                        zeros: None,
                    });
                }
            }
            (None, None) => {}
        }
    }
    lines
}

/// The text of a new data file.
pub fn data_file(edition: &Edition, year: i32, agency: &str) -> Result<String, askama::Error> {
    let prose = edition
        .sections
        .iter()
        .map(|s| ProseSection {
            title: &s.title,
            hint: &s.hint,
            required: s.prose == Prose::Required,
        })
        .collect();
    let active = edition
        .active
        .blocks
        .iter()
        .flat_map(|block| {
            block
                .rows
                .iter()
                .enumerate()
                .map(move |(i, row)| ActiveLine {
                    comment: (i == 0).then(|| {
                        let labels: Vec<&str> = block.columns.iter().map(|c| c.label()).collect();
                        format!("{}：{}", block.title, labels.join(" · "))
                    }),
                    key: row.clone(),
                    columns: block
                        .columns
                        .iter()
                        .map(|c| format!("{}: 0", c.key))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        })
        .collect();
    InitFile {
        edition,
        year,
        // A JSON string is a valid YAML double-quoted scalar: any agency name is safe.
        agency: serde_json::to_string(agency).unwrap_or_else(|_| "\"\"".to_owned()),
        placeholder: PLACEHOLDER,
        prose,
        active,
        applications: grid_lines(&edition.applications),
        application_columns: edition.applications.columns.join(", "),
        appeals: grid_lines(&edition.appeals),
        appeal_columns: edition.appeals.columns.join(", "),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{data, edition};

    #[test]
    fn init_file_loads_with_only_placeholder_warnings() {
        for number in edition::numbers() {
            let e = edition::by_number(number).expect("edition");
            let text = data_file(e, e.first_year, "青山区人民政府: 办公室 #1").expect("renders");
            let loaded = data::load(&text);
            let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(
                codes,
                ["D009", "D009", "D009"],
                "edition {number}:\n{text}\n{:#?}",
                loaded.diagnostics
            );
            let report = loaded.report.expect("report");
            assert_eq!(report.agency, "青山区人民政府: 办公室 #1");
            assert_eq!(report.edition.edition, number);
        }
    }
}
