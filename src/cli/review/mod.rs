//! `nianbao review`: a reviewer's desk — every report of a jurisdiction in one table.
//!
//! This module owns the review's model and its outputs: one [`Row`] per report (agency, year,
//! edition, 发布日期 against the deadline, status, counts by family, key figures), the findings
//! list, the figures in long form, the year-over-year pairing and the jurisdiction's totals
//! ([`Review`]); and writing them as a workbook ([`xlsx`]), CSV files ([`csv`]) or a
//! self-contained dashboard ([`html`]). A row is built from the reading (or the loaded data
//! file) the linter already made (`summarise`); [`gather`] runs the files through the
//! corpus runner so that each file is read once and no reading is kept.

pub mod csv;
pub mod gather;
pub mod html;
pub mod sheets;
pub mod xlsx;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostics::{Diagnostic, Severity, SourceFiles};
use crate::edition::{CellKind, Edition, GridTable, TableId};
use crate::reading::Reading;
use crate::reading::tables::active_number;
use crate::report::{Grid, Number, Report};

/// The code families, in the order their count columns appear.
pub const FAMILIES: [&str; 6] = ["D", "S", "T", "Y", "X", "N"];

/// How a report came out of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Clean,
    Warnings,
    Errors,
    /// Could not be read, and why.
    Unreadable(String),
}

impl Status {
    /// The word the outputs show: `无问题`, `有警告`, `有错误`, `无法读取`.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Clean => "无问题",
            Status::Warnings => "有警告",
            Status::Errors => "有错误",
            Status::Unreadable(_) => "无法读取",
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Status::Unreadable(why) => why,
            _ => "",
        }
    }
}

/// A calendar date (`YYYY-MM-DD` in every output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// `2024-01-20`, `2024/1/20`, `2024年1月20日` (optionally followed by a time).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let mut numbers = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        let year: i32 = numbers.next()?.parse().ok()?;
        let month: u32 = numbers.next()?.parse().ok()?;
        let day: u32 = numbers.next()?.parse().ok()?;
        ((1000..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
            .then_some(Date { year, month, day })
    }
}

/// The day by which the report for `year` must be published: the rule of the data loader's D011
/// ([`crate::data::Deadline::for_agency`]): 31 January of the next year for every agency, 31 March
/// only for a 县级以上地方人民政府's own report (《政府信息公开条例》第五十条). Unknown agency: 31 January.
pub fn deadline(agency: Option<&str>, year: i32) -> Date {
    let rule = agency.map_or(
        crate::data::Deadline::January,
        crate::data::Deadline::for_agency,
    );
    Date {
        year: year.saturating_add(1),
        month: rule.month(),
        day: 31,
    }
}

/// Which table a figure is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Active,
    Applications,
    Appeals,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Active => "表二",
            Table::Applications => "表三",
            Table::Appeals => "表四",
        }
    }
}

/// How a figure stands in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    /// Printed in the report (or entered in the data file).
    Printed,
    /// Left blank, or a not-applicable mark (`—`, `/`), counted as 0.
    Blank,
    /// Not read (the table or the row could not be read).
    Unread,
    /// Not in the data file, computed from it (a derived total).
    Computed,
}

impl CellState {
    pub fn word(self) -> &'static str {
        match self {
            CellState::Printed => "印出",
            CellState::Blank => "空白",
            CellState::Unread => "未读出",
            CellState::Computed => "计算",
        }
    }
}

/// One figure of one report, in long form.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub table: Table,
    /// The row's id in the edition (`不予公开.属于国家秘密`, `规章`).
    pub row_id: &'static str,
    /// The row as the report labels it (`1.属于国家秘密`; table 四: `行政诉讼·复议后起诉`).
    pub row: String,
    pub column: &'static str,
    pub value: Option<f64>,
    pub state: CellState,
}

/// A figure the overview shows for every report.
pub struct KeyFigure {
    /// The column header.
    pub header: &'static str,
    source: Source,
}

enum Source {
    /// Table 三 or 四, the total column of the row (or the sum of the rows under a group).
    Grid(Table, &'static str),
    /// Table 二: the first of `rows` the edition has, the first of `columns` it has.
    Active(&'static [&'static str], &'static [&'static str]),
}

/// The overview's figure columns.
pub const KEY_FIGURES: &[KeyFigure] = &[
    grid(Table::Applications, "三·本年新收", "本年新收"),
    grid(Table::Applications, "三·上年结转", "上年结转"),
    grid(Table::Applications, "三·予以公开", "予以公开"),
    grid(Table::Applications, "三·部分公开", "部分公开"),
    grid(Table::Applications, "三·不予公开", "不予公开"),
    grid(Table::Applications, "三·无法提供", "无法提供"),
    grid(Table::Applications, "三·不予处理", "不予处理"),
    grid(Table::Applications, "三·其他处理", "其他处理"),
    grid(Table::Applications, "三·办理结果总计", "总计"),
    grid(Table::Applications, "三·结转下年度", "结转下年度"),
    grid(Table::Appeals, "四·行政复议", "行政复议"),
    grid(Table::Appeals, "四·未经复议直接起诉", "未经复议直接起诉"),
    grid(Table::Appeals, "四·复议后起诉", "复议后起诉"),
    KeyFigure {
        header: "二·规章",
        source: Source::Active(&["规章"], &["现行有效件数", "对外公开总数量"]),
    },
    KeyFigure {
        header: "二·规范性文件",
        source: Source::Active(
            &["行政规范性文件", "规范性文件"],
            &["现行有效件数", "对外公开总数量"],
        ),
    },
    KeyFigure {
        header: "二·行政许可",
        source: Source::Active(&["行政许可"], &["本年处理决定数量", "处理决定数量"]),
    },
    KeyFigure {
        header: "二·行政处罚",
        source: Source::Active(&["行政处罚"], &["本年处理决定数量", "处理决定数量"]),
    },
    KeyFigure {
        header: "二·行政强制",
        source: Source::Active(&["行政强制"], &["本年处理决定数量", "处理决定数量"]),
    },
    KeyFigure {
        header: "二·收费金额（万元）",
        source: Source::Active(&["行政事业性收费"], &["本年收费金额"]),
    },
];

const fn grid(table: Table, header: &'static str, row: &'static str) -> KeyFigure {
    KeyFigure {
        header,
        source: Source::Grid(table, row),
    }
}

/// Index of `三·本年新收` etc. in [`KEY_FIGURES`], for the year-over-year comparison.
const NEW: usize = 0;
const CARRIED: usize = 1;
const FORWARD: usize = 9;

impl KeyFigure {
    /// The figure's value among `figures`: `None` when the report does not have it or it (or a
    /// row under it) was not read.
    pub fn value(&self, figures: &[Figure], edition: Option<&Edition>) -> Option<f64> {
        match self.source {
            Source::Grid(table, id) => {
                let total = grid_def(edition?, table)?.total.as_str();
                let under = |f: &&Figure| {
                    f.table == table
                        && f.column == total
                        && (f.row_id == id
                            || f.row_id
                                .strip_prefix(id)
                                .is_some_and(|r| r.starts_with('.')))
                };
                let mut cells = figures.iter().filter(under).peekable();
                cells.peek()?;
                cells.map(|f| f.value).sum()
            }
            Source::Active(rows, columns) => {
                let row = rows.iter().find(|r| {
                    figures
                        .iter()
                        .any(|f| f.table == Table::Active && f.row_id == **r)
                })?;
                let column = columns.iter().find(|c| {
                    figures
                        .iter()
                        .any(|f| f.table == Table::Active && f.row_id == *row && f.column == **c)
                })?;
                figures
                    .iter()
                    .find(|f| f.table == Table::Active && f.row_id == *row && f.column == *column)?
                    .value
            }
        }
    }
}

fn grid_def(edition: &Edition, table: Table) -> Option<&GridTable> {
    match table {
        Table::Applications => Some(edition.grid(TableId::Applications)),
        Table::Appeals => Some(edition.grid(TableId::Appeals)),
        Table::Active => None,
    }
}

/// One finding, as the list sent back to an agency shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub agency: Option<String>,
    pub line: usize,
    /// Where in a Word or PDF document (`表三（第2个表格）第5行第3列`, `第3页`); empty for text files.
    pub place: String,
    pub code: String,
    pub severity: Severity,
    pub message: String,
}

/// The word a severity is shown as.
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// One report.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub file: String,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub edition: Option<u16>,
    pub published: Option<Date>,
    pub status: Status,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings per family, in the order of [`FAMILIES`].
    pub families: [usize; FAMILIES.len()],
    /// The values of [`KEY_FIGURES`].
    pub key: Vec<Option<f64>>,
    pub figures: Vec<Figure>,
}

impl Row {
    /// A file that could not be read.
    pub fn unreadable(file: String, why: String) -> Row {
        Row {
            file,
            agency: None,
            year: None,
            edition: None,
            published: None,
            status: Status::Unreadable(why),
            errors: 0,
            warnings: 0,
            infos: 0,
            families: [0; FAMILIES.len()],
            key: vec![None; KEY_FIGURES.len()],
            figures: Vec::new(),
        }
    }

    /// The publication deadline, when the year is known.
    pub fn deadline(&self) -> Option<Date> {
        self.year.map(|y| deadline(self.agency.as_deref(), y))
    }

    /// `是` / `否` / empty when the date or the year is unknown.
    pub fn on_time(&self) -> Option<bool> {
        Some(self.published? <= self.deadline()?)
    }

    /// The agency's name normalised for pairing years: no spaces or punctuation, simplified
    /// script.
    pub fn agency_key(&self) -> Option<String> {
        self.agency.as_deref().map(agency_key)
    }
}

/// An agency's name as pairing compares it.
pub fn agency_key(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() && !c.is_whitespace())
        .collect();
    fast2s::convert(&kept)
}

/// What a report was read as: the reading's or the data file's figures, agency, year.
pub struct Summary {
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub edition: Option<&'static Edition>,
    pub published: Option<Date>,
    pub figures: Vec<Figure>,
}

/// What the review keeps of a reading.
pub fn summarise_reading(reading: &Reading) -> Summary {
    let edition = reading.edition.filter(|_| !reading.legacy);
    let mut figures = Vec::new();
    if let Some(edition) = edition {
        for (b, block) in edition.active.blocks.iter().enumerate() {
            for (r, row) in block.rows.iter().enumerate() {
                let cells = reading
                    .active
                    .rows
                    .get(b)
                    .and_then(|rows| rows.get(r))
                    .and_then(|row| row.cells());
                for (c, column) in block.columns.iter().enumerate() {
                    let cell = cells.and_then(|cells| cells.get(c));
                    let value = cell.and_then(|cell| active_number(cell, column.kind));
                    let state = match cell {
                        None => CellState::Unread,
                        Some(_) if value.is_none() => CellState::Unread,
                        Some(cell) if cell.value.blank || cell.value.placeholder => {
                            CellState::Blank
                        }
                        Some(_) => CellState::Printed,
                    };
                    figures.push(Figure {
                        table: Table::Active,
                        row_id: row.as_str(),
                        row: row.clone(),
                        column: column.key.as_str(),
                        value: value.map(number),
                        state,
                    });
                }
            }
        }
        for table in [Table::Applications, Table::Appeals] {
            let id = if table == Table::Applications {
                TableId::Applications
            } else {
                TableId::Appeals
            };
            grid_figures(
                edition,
                table,
                reading.grid(id),
                |cell| {
                    if cell.blank {
                        CellState::Blank
                    } else {
                        CellState::Printed
                    }
                },
                &mut figures,
            );
        }
    }
    Summary {
        agency: reading.agency.as_ref().map(|(a, _)| a.clone()),
        year: reading.year(),
        edition,
        published: published_of(reading),
        figures,
    }
}

/// What the review keeps of a data file.
pub fn summarise_report(report: &Report) -> Summary {
    let edition = report.edition;
    let mut figures = Vec::new();
    for (b, block) in edition.active.blocks.iter().enumerate() {
        for (r, row) in block.rows.iter().enumerate() {
            for (c, column) in block.columns.iter().enumerate() {
                let value = report
                    .active
                    .get(b)
                    .and_then(|rows| rows.get(r))
                    .and_then(|cells| cells.get(c))
                    .copied()
                    .flatten();
                figures.push(Figure {
                    table: Table::Active,
                    row_id: row.as_str(),
                    row: row.clone(),
                    column: column.key.as_str(),
                    value: value.map(number),
                    state: if value.is_some() {
                        CellState::Printed
                    } else {
                        CellState::Unread
                    },
                });
            }
        }
    }
    for (table, grid) in [
        (Table::Applications, &report.applications),
        (Table::Appeals, &report.appeals),
    ] {
        let mut grid = grid.clone();
        let id = if table == Table::Applications {
            TableId::Applications
        } else {
            TableId::Appeals
        };
        grid.derive_totals(edition, id);
        grid_figures(
            edition,
            table,
            Some(&grid),
            |cell| {
                if cell.span.is_none() {
                    CellState::Computed
                } else if cell.blank {
                    CellState::Blank
                } else {
                    CellState::Printed
                }
            },
            &mut figures,
        );
    }
    Summary {
        agency: Some(report.agency.clone()),
        year: Some(report.year),
        edition: Some(edition),
        published: report.published.as_deref().and_then(Date::parse),
        figures,
    }
}

fn number(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Decimal(x) => x,
    }
}

fn grid_figures(
    edition: &'static Edition,
    table: Table,
    grid: Option<&Grid>,
    state: impl Fn(&crate::report::Cell) -> CellState,
    out: &mut Vec<Figure>,
) {
    let Some(def) = grid_def(edition, table) else {
        return;
    };
    let columns: Vec<&'static str> = def
        .columns
        .iter()
        .map(String::as_str)
        .chain([def.total.as_str()])
        .collect();
    for (id, row) in def.data_rows() {
        let label = match &row.parent {
            Some(parent) => format!("{parent}·{}", row.label),
            None => row.label.clone(),
        };
        for (c, column) in columns.iter().enumerate() {
            let cell = grid.and_then(|g| g.cell(id, c));
            out.push(Figure {
                table,
                row_id: id,
                row: label.clone(),
                column,
                value: cell.map(|c| c.value as f64),
                state: cell.map_or(CellState::Unread, &state),
            });
        }
    }
}

/// The report's 发布日期: the page's metadata (发布日期, 发文日期, 成文日期), else the date of
/// the 落款 that closes the report (a line that is only a date, such as `2024年1月20日`).
pub fn published_of(reading: &Reading) -> Option<Date> {
    let meta = reading
        .document
        .meta
        .iter()
        .filter(|m| matches!(m.key.as_str(), "发布日期" | "发文日期" | "成文日期"))
        .find_map(|m| Date::parse(&m.value));
    meta.or_else(|| {
        reading
            .document
            .content()
            .lines()
            .rev()
            .map(|l| l.trim().trim_matches(['#', '*', ' ', '\u{3000}']))
            .filter(|l| !l.is_empty())
            .take(8)
            .find_map(signature_date)
    })
}

/// A line that is only a date: `2024年1月20日`.
fn signature_date(line: &str) -> Option<Date> {
    let line = line.strip_suffix('日')?;
    let (y, rest) = line.split_once('年')?;
    let (m, d) = rest.split_once('月')?;
    let number = |s: &str| s.trim().parse::<u32>().ok();
    let (y, m, d) = (number(y)?, number(m)?, number(d)?);
    Date::parse(&format!("{y}-{m}-{d}"))
}

/// A checked report's row: the summary, and the counts of its findings.
pub fn row_of(file: String, summary: Summary, found: &[Diagnostic]) -> Row {
    let mut row = Row::unreadable(file, String::new());
    row.agency = summary.agency;
    row.year = summary.year;
    row.edition = summary.edition.map(|e| e.edition);
    row.published = summary.published;
    for d in found {
        match d.severity {
            Severity::Error => row.errors += 1,
            Severity::Warning => row.warnings += 1,
            Severity::Info => row.infos += 1,
        }
        if let Some(i) = FAMILIES.iter().position(|f| d.code.starts_with(f)) {
            row.families[i] += 1;
        }
    }
    row.status = if row.errors > 0 {
        Status::Errors
    } else if row.warnings > 0 {
        Status::Warnings
    } else {
        Status::Clean
    };
    row.key = KEY_FIGURES
        .iter()
        .map(|k| k.value(&summary.figures, summary.edition))
        .collect();
    row.figures = summary.figures;
    row
}

/// The findings of one file, with where each is.
pub fn findings_of(
    files: &SourceFiles,
    file: &str,
    agency: Option<&str>,
    found: &[Diagnostic],
) -> Vec<Finding> {
    found
        .iter()
        .map(|d| {
            let position = files.primary(d);
            Finding {
                file: file.to_owned(),
                agency: agency.map(str::to_owned),
                line: position.line,
                place: position.place.map(|p| p.describe()).unwrap_or_default(),
                code: d.code.clone(),
                severity: d.severity,
                message: d.message.clone(),
            }
        })
        .collect()
}

/// A report beside the same agency's report of the year before.
#[derive(Debug, Clone, PartialEq)]
pub struct YearOverYear {
    pub agency: String,
    pub year: i32,
    /// This year's file; `None` when the agency has no report this year.
    pub file: Option<String>,
    pub previous_file: Option<String>,
    pub new: Option<f64>,
    pub previous_new: Option<f64>,
    /// 上年结转 this year, and last year's 结转下年度 (总计 column).
    pub carried: Option<f64>,
    pub previous_forward: Option<f64>,
    /// Whether 上年结转 equals last year's 结转下年度 in every column (the X1 relation).
    pub carry_matches: Option<bool>,
}

impl YearOverYear {
    /// 新收 change against last year, in percent.
    pub fn new_change(&self) -> Option<f64> {
        let (now, before) = (self.new?, self.previous_new?);
        (before != 0.0).then(|| (now - before) / before * 100.0)
    }

    /// What the row says, in a word: `已配对`, `无上年报告`, `本年缺报告`.
    pub fn note(&self) -> &'static str {
        match (&self.file, &self.previous_file) {
            (Some(_), Some(_)) => "已配对",
            (Some(_), None) => "无上年报告",
            (None, _) => "本年缺报告",
        }
    }
}

/// A jurisdiction total: one figure summed over one year's reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    pub year: i32,
    pub figure: &'static str,
    pub sum: f64,
    /// Reports whose figure was read (and summed).
    pub counted: usize,
    /// Reports of the year.
    pub reports: usize,
}

/// Everything a review writes.
#[derive(Debug, Default)]
pub struct Review {
    pub rows: Vec<Row>,
    pub findings: Vec<Finding>,
}

impl Review {
    /// The findings sorted for sending back: by agency, then file, then line.
    pub fn sort_findings(&mut self) {
        self.findings.sort_by(|a, b| {
            let key = |f: &Finding| f.agency.as_deref().map(agency_key).unwrap_or_default();
            key(a)
                .cmp(&key(b))
                .then_with(|| a.file.cmp(&b.file))
                .then_with(|| a.line.cmp(&b.line))
                .then_with(|| a.code.cmp(&b.code))
        });
    }

    /// Each report with an agency and a year, beside the same agency's report of the year
    /// before; then the agencies with a report one year and none the next (among the years
    /// the review covers).
    pub fn year_over_year(&self) -> Vec<YearOverYear> {
        let mut by_key: HashMap<(String, i32), &Row> = HashMap::new();
        for row in &self.rows {
            if let (Some(key), Some(year)) = (row.agency_key(), row.year) {
                by_key.entry((key, year)).or_insert(row);
            }
        }
        let mut out = Vec::new();
        for row in &self.rows {
            let (Some(key), Some(year), Some(agency)) = (row.agency_key(), row.year, &row.agency)
            else {
                continue;
            };
            // The first file of an agency and year stands for it.
            if !by_key
                .get(&(key.clone(), year))
                .is_some_and(|r| std::ptr::eq(*r, row))
            {
                continue;
            }
            let last = by_key.get(&(key, year.saturating_sub(1)));
            out.push(YearOverYear {
                agency: agency.clone(),
                year,
                file: Some(row.file.clone()),
                previous_file: last.map(|l| l.file.clone()),
                new: row.key[NEW],
                previous_new: last.and_then(|l| l.key[NEW]),
                carried: row.key[CARRIED],
                previous_forward: last.and_then(|l| l.key[FORWARD]),
                carry_matches: last.and_then(|l| carry_matches(row, l)),
            });
        }
        let years: BTreeSet<i32> = by_key.keys().map(|(_, y)| *y).collect();
        let mut missing: Vec<YearOverYear> = by_key
            .iter()
            .filter(|((key, year), _)| {
                let next = year.saturating_add(1);
                next != *year && years.contains(&next) && !by_key.contains_key(&(key.clone(), next))
            })
            .map(|((_, year), last)| YearOverYear {
                agency: last.agency.clone().unwrap_or_default(),
                year: year.saturating_add(1),
                file: None,
                previous_file: Some(last.file.clone()),
                new: None,
                previous_new: last.key[NEW],
                carried: None,
                previous_forward: last.key[FORWARD],
                carry_matches: None,
            })
            .collect();
        missing.sort_by(|a, b| (a.year, &a.previous_file).cmp(&(b.year, &b.previous_file)));
        out.extend(missing);
        out
    }

    /// Each key figure summed over each year's reports, with the count behind each sum.
    pub fn totals(&self) -> Vec<Total> {
        let mut years: BTreeMap<i32, Vec<&Row>> = BTreeMap::new();
        for row in &self.rows {
            if let Some(year) = row.year {
                years.entry(year).or_default().push(row);
            }
        }
        let mut out = Vec::new();
        for (year, rows) in years {
            for (i, figure) in KEY_FIGURES.iter().enumerate() {
                let values: Vec<f64> = rows.iter().filter_map(|r| r.key[i]).collect();
                out.push(Total {
                    year,
                    figure: figure.header,
                    sum: values.iter().sum(),
                    counted: values.len(),
                    reports: rows.len(),
                });
            }
        }
        out
    }
}

/// Whether `row`'s 上年结转 equals `last`'s 结转下年度 in every column of table 三.
fn carry_matches(row: &Row, last: &Row) -> Option<bool> {
    let cells = |r: &Row, id: &str| -> Option<Vec<(&'static str, f64)>> {
        r.figures
            .iter()
            .filter(|f| f.table == Table::Applications && f.row_id == id)
            .map(|f| Some((f.column, f.value?)))
            .collect()
    };
    let now = cells(row, "上年结转")?;
    let before = cells(last, "结转下年度")?;
    (!now.is_empty() && now.len() == before.len()).then(|| now == before)
}

/// Column widths that fit Chinese text: a CJK character counts two.
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// A figure as text: whole numbers without a decimal point.
pub fn show_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Whether a figure column holds amounts (decimals) rather than counts.
pub fn is_amount(kind: CellKind) -> bool {
    kind == CellKind::Amount
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_the_forms_reports_print() {
        let d = |y, m, day| {
            Some(Date {
                year: y,
                month: m,
                day,
            })
        };
        assert_eq!(Date::parse("2024-01-20"), d(2024, 1, 20));
        assert_eq!(Date::parse("2024年1月20日"), d(2024, 1, 20));
        assert_eq!(Date::parse("2024/3/5 10:00"), d(2024, 3, 5));
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("今天"), None);
        assert_eq!(signature_date("2024年1月20日"), d(2024, 1, 20));
        assert_eq!(signature_date("于2024年1月20日发布"), None);
    }

    #[test]
    fn governments_have_until_march_and_departments_until_january() {
        let march = Date {
            year: 2024,
            month: 3,
            day: 31,
        };
        let january = Date {
            year: 2024,
            month: 1,
            day: 31,
        };
        assert_eq!(deadline(Some("青山区人民政府"), 2023), march);
        assert_eq!(deadline(Some("青山区人民政府办公室"), 2023), january);
        assert_eq!(deadline(Some("青山区教育局"), 2023), january);
        assert_eq!(deadline(None, 2023), january);
    }

    #[test]
    fn agency_names_pair_across_spaces_and_scripts() {
        assert_eq!(agency_key("青山區 教育局"), agency_key("青山区教育局"));
        assert_ne!(agency_key("青山区教育局"), agency_key("青山区卫健局"));
    }

    fn row(file: &str, agency: &str, year: i32, new: f64, carried: f64, forward: f64) -> Row {
        let mut row = Row::unreadable(file.to_owned(), String::new());
        row.status = Status::Clean;
        row.agency = Some(agency.to_owned());
        row.year = Some(year);
        row.key[NEW] = Some(new);
        row.key[CARRIED] = Some(carried);
        row.key[FORWARD] = Some(forward);
        for (id, value) in [("上年结转", carried), ("结转下年度", forward)] {
            row.figures.push(Figure {
                table: Table::Applications,
                row_id: if id == "上年结转" {
                    "上年结转"
                } else {
                    "结转下年度"
                },
                row: id.to_owned(),
                column: "总计",
                value: Some(value),
                state: CellState::Printed,
            });
        }
        row
    }

    #[test]
    fn year_over_year_pairs_by_agency_and_names_the_missing() {
        let review = Review {
            rows: vec![
                row("a22", "甲局", 2022, 100.0, 0.0, 5.0),
                row("a23", "甲 局", 2023, 150.0, 5.0, 2.0),
                row("b22", "乙局", 2022, 10.0, 0.0, 3.0),
                row("c23", "丙局", 2023, 7.0, 1.0, 0.0),
            ],
            findings: Vec::new(),
        };
        let yoy = review.year_over_year();
        let a = yoy
            .iter()
            .find(|y| y.file.as_deref() == Some("a23"))
            .unwrap();
        assert_eq!(a.previous_file.as_deref(), Some("a22"));
        assert_eq!(a.new_change(), Some(50.0));
        assert_eq!(a.carry_matches, Some(true));
        assert_eq!(a.note(), "已配对");
        let b = yoy.iter().find(|y| y.file.is_none()).unwrap();
        assert_eq!((b.agency.as_str(), b.year), ("乙局", 2023));
        assert_eq!(b.note(), "本年缺报告");
        let c = yoy
            .iter()
            .find(|y| y.file.as_deref() == Some("c23"))
            .unwrap();
        assert_eq!(c.note(), "无上年报告");
        assert_eq!(yoy.len(), 5, "a22, a23, b22, c23 and b missing in 2023");
    }

    #[test]
    fn totals_count_the_reports_behind_each_sum() {
        let mut unread = row("x", "丁局", 2023, 0.0, 0.0, 0.0);
        unread.key[NEW] = None;
        let review = Review {
            rows: vec![
                row("a", "甲局", 2023, 100.0, 0.0, 5.0),
                row("b", "乙局", 2023, 20.0, 0.0, 5.0),
                unread,
            ],
            findings: Vec::new(),
        };
        let totals = review.totals();
        let new = totals
            .iter()
            .find(|t| t.figure == KEY_FIGURES[NEW].header)
            .unwrap();
        assert_eq!((new.sum, new.counted, new.reports), (120.0, 2, 3));
    }
}
