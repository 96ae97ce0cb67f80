//! `nianbao init`: a complete data file for one edition, every row present, ready to fill.
//!
//! This module owns the text of a new data file (through `templates/init.yaml`). It writes
//! nothing to disk itself; the command line decides where the text goes.

use askama::Template;

use crate::carry;
use crate::data::PLACEHOLDER;
use crate::edition::{Edition, GridTable, Prose};
use crate::report::{Cell, Grid, Number, Report};

struct ProseSection<'a> {
    title: &'a str,
    hint: &'a str,
    required: bool,
    /// The section's text, indented for a YAML block scalar.
    text: Option<String>,
}

struct ActiveLine {
    comment: Option<String>,
    key: String,
    columns: String,
    /// Why the row is commented out (a cell could not be read).
    missing: Option<String>,
}

/// One line of table 三 or 四: a group key (no value) or a row with its values.
struct GridLine {
    indent: &'static str,
    key: String,
    values: Option<String>,
    /// Why the row is commented out (a cell could not be read).
    missing: Option<String>,
}

#[derive(Template)]
#[template(path = "init.yaml", escape = "none")]
struct InitFile<'a> {
    edition: &'a Edition,
    year: i32,
    agency: String,
    published: Option<&'a str>,
    header: &'a str,
    placeholder: &'a str,
    prose: Vec<ProseSection<'a>>,
    active: Vec<ActiveLine>,
    applications: Vec<GridLine>,
    application_columns: String,
    appeals: Vec<GridLine>,
    appeal_columns: String,
}

/// `[1, 2, 3]`, or the reason the row cannot be written (cells that could not be read).
fn value_list(cells: &[Option<i64>], unread: &str) -> Result<String, String> {
    let written: Vec<String> = cells
        .iter()
        .map(|c| c.map_or_else(|| "?".to_owned(), |v| v.to_string()))
        .collect();
    let list = format!("[{}]", written.join(", "));
    if cells.iter().all(Option::is_some) {
        Ok(list)
    } else {
        Err(format!("{list}  # {unread}"))
    }
}

fn grid_lines(table: &GridTable, grid: &Grid, unread: &str) -> Vec<GridLine> {
    let width = table.columns.len();
    let mut lines = Vec::new();
    let row_line = |indent, key: &str, id: &str| {
        let cells: Vec<Option<i64>> = (0..width).map(|c| grid.value(id, c)).collect();
        let (values, missing) = match value_list(&cells, unread) {
            Ok(list) => (Some(list), None),
            Err(why) => (None, Some(why)),
        };
        GridLine {
            indent,
            key: key.to_owned(),
            values,
            missing,
        }
    };
    for row in &table.rows {
        if row.derived {
            continue;
        }
        match (&row.id, &row.group) {
            (Some(id), _) => match id.split_once('.') {
                Some((_, name)) => lines.push(row_line("    ", name, id)),
                None => lines.push(row_line("  ", id, id)),
            },
            (None, Some(group)) => {
                let has_children = table
                    .data_rows()
                    .any(|(id, _)| id.starts_with(&format!("{group}.")));
                if has_children {
                    lines.push(GridLine {
                        indent: "  ",
                        key: group.clone(),
                        values: None,
                        missing: None,
                    });
                }
            }
            (None, None) => {}
        }
    }
    lines
}

/// The text of a new data file: every row zero, placeholder prose.
pub fn data_file(
    edition: &'static Edition,
    year: i32,
    agency: &str,
) -> Result<String, askama::Error> {
    write(
        &Report::empty(edition, year, agency),
        "由 nianbao init 生成",
        "",
    )
}

/// Reason written beside a prefilled row whose figure last year's report did not give.
pub const UNREAD_LAST_YEAR: &str = "上年报告中未能读出对应的数字（? 处），请填写后取消注释";

/// Next year's report from last year's: zeros and placeholders, except the figures last year's
/// report fixes (see `carry`). Returns what was prefilled, for the user.
pub fn next_year(
    last: &Report,
    edition: &'static Edition,
    year: i32,
    agency: &str,
) -> (Report, Vec<String>) {
    let mut report = Report::empty(edition, year, agency);
    let mut notes = Vec::new();
    if last.year + 1 != year {
        notes.push(format!(
            "注意：上年文件是{}年度的，新文件是{year}年度的",
            last.year
        ));
    }
    let carried = carry::carried_applications(edition, last.edition, &last.applications);
    if let Some(row) = report.applications.rows.get_mut("上年结转") {
        for (c, cell) in row.cells.iter_mut().enumerate() {
            // A column last year's report does not give stays unknown, not zero.
            *cell = carried
                .iter()
                .find(|e| e.at == carry::Cell::Applications("上年结转".to_owned(), c))
                .map(|e| Cell::computed(e.value));
        }
        let values: Vec<String> = row
            .cells
            .iter()
            .map(|c| c.as_ref().map_or("?".to_owned(), |c| c.value.to_string()))
            .collect();
        notes.push(format!(
            "已预填 上年结转 = 上年结转下年度继续办理：[{}]",
            values.join(", ")
        ));
    }
    let zero_active = report.active.clone();
    for e in carry::active(edition, &zero_active, last.edition, &last.active) {
        if let carry::Cell::Active(b, r, c) = e.at
            && let Some(cell) = report
                .active
                .get_mut(b)
                .and_then(|rows| rows.get_mut(r))
                .and_then(|cells| cells.get_mut(c))
        {
            *cell = Some(Number::Int(e.value));
            let block = &edition.active.blocks[b];
            notes.push(format!(
                "已预填 {} {} = {}",
                block.rows[r], block.columns[c].key, e.value
            ));
        }
    }
    (report, notes)
}

/// A data file holding `report`. Prose that is `None` gets the placeholder; a row with a cell
/// that is `None` is written commented out, with `unread` as the reason, so that loading the
/// file reports it missing rather than taking a guess for a figure.
pub fn write(report: &Report, origin: &str, unread: &str) -> Result<String, askama::Error> {
    let edition = report.edition;
    let prose = edition
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| ProseSection {
            title: &s.title,
            hint: &s.hint,
            required: s.prose == Prose::Required,
            text: report
                .prose
                .get(i)
                .cloned()
                .flatten()
                .map(|t| indent_block(&t)),
        })
        .collect();
    let active = edition
        .active
        .blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| {
            block.rows.iter().enumerate().map(move |(r, row)| {
                let values: Vec<Option<Number>> = (0..block.columns.len())
                    .map(|c| {
                        report
                            .active
                            .get(b)
                            .and_then(|rows| rows.get(r))
                            .and_then(|cells| cells.get(c).copied().flatten())
                    })
                    .collect();
                let columns = block
                    .columns
                    .iter()
                    .zip(&values)
                    .map(|(c, v)| {
                        format!("{}: {}", c.key, v.map_or("?".to_owned(), |v| v.to_string()))
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                ActiveLine {
                    comment: (r == 0).then(|| {
                        let labels: Vec<&str> = block.columns.iter().map(|c| c.label()).collect();
                        format!("{}：{}", block.title, labels.join(" · "))
                    }),
                    key: row.clone(),
                    columns,
                    missing: values
                        .iter()
                        .any(Option::is_none)
                        .then(|| unread.to_owned()),
                }
            })
        })
        .collect();
    InitFile {
        edition,
        year: report.year,
        // A JSON string is a valid YAML double-quoted scalar: any agency name is safe.
        agency: serde_json::to_string(&report.agency).unwrap_or_else(|_| "\"\"".to_owned()),
        published: report.published.as_deref(),
        header: origin,
        placeholder: PLACEHOLDER,
        prose,
        active,
        applications: grid_lines(&edition.applications, &report.applications, unread),
        application_columns: edition.applications.columns.join(", "),
        appeals: grid_lines(&edition.appeals, &report.appeals, unread),
        appeal_columns: edition.appeals.columns.join(", "),
    }
    .render()
    .map(|mut text| {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    })
}

/// Prose as the body of a YAML block scalar at four spaces; blank lines stay blank.
fn indent_block(text: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("    {}", l.trim_end())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
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
