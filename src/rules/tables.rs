//! Rules T001–T008 and the equations T101–T104: what is wrong with tables 二, 三 and 四 as the
//! reading stage read them.
//!
//! The reading stage says, for every row, which cells it read and where, or why it could not;
//! this family turns that into findings. A table that could not be read is reported once
//! (T007), never as a flood of row errors; blank cells and placeholders are counted as 0 and
//! reported once per table (T008), so that a blank total that should not be zero is caught by
//! the equations. A missing, wrong-edition or unreadable row only removes the equations that
//! involve it (the equations skip a column or row with a value missing); the others still run.

use std::ops::Range;

use super::{Context, RuleInfo};
use crate::balance;
use crate::diagnostics::{Diagnostic, Severity};
use crate::edition::{CellKind, Edition};
use crate::reading::{GridRead, ReadCell, Reading, RowRead, TableRead};

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "T001",
        name: "missing-table",
        severity: Severity::Error,
        explain: "第二、三、四部分应各有一张统计表（表二主动公开、表三申请情况、表四复议诉讼）。未找到任何官方行标签时报告此项。",
    },
    RuleInfo {
        code: "T002",
        name: "missing-row",
        severity: Severity::Error,
        explain: "表中缺少官方格式的某一行（行标签须与国家统一格式一致，允许繁体、半角标点和断行）。",
    },
    RuleInfo {
        code: "T003",
        name: "wrong-edition-row",
        severity: Severity::Error,
        explain: "表中出现了另一版式的行，例如2021版式报告中的“规范性文件”（应为“行政规范性文件”）或单行的“（六）其他处理”（2021版式分为3行）。报告年度决定版式。只有涉及这些行的勾稽关系不核对，其他照常核对。",
    },
    RuleInfo {
        code: "T004",
        name: "cell-count",
        severity: Severity::Error,
        explain: "某行的数字个数与官方格式不符（表三每行7个，表四共15个）。这样的行不参与勾稽关系核对，以免误报；不涉及它的勾稽关系照常核对。",
    },
    RuleInfo {
        code: "T005",
        name: "odd-cell",
        severity: Severity::Warning,
        explain: "单元格写法不规范：件数带单位（“9个”）或小数点（“2151.0”）。金额可带小数和单位；“本年增/减”可带正负号或“增”“减”。",
    },
    RuleInfo {
        code: "T006",
        name: "negative-count",
        severity: Severity::Error,
        explain: "件数为负（如“--253”）。只有2019版式表二的“本年增/减”可以为负。",
    },
    RuleInfo {
        code: "T007",
        name: "unreadable-table",
        severity: Severity::Warning,
        explain: "整张表无法可靠读取，因此未核对：数字与表头交错（常见于 PDF 直接转换的文字）、数字连在一起无法分列（常见于网页爬取的文字），或多数行的数字个数与列数不符。请用版式保留的转换（pdftotext -layout）或原文件检查。每张表只报告一次。",
    },
    RuleInfo {
        code: "T008",
        name: "blank-cells",
        severity: Severity::Warning,
        explain: "表中有空白单元格，或用“/”“-”“—”“无”代替0。这些单元格按0计算并参与勾稽关系核对，因此本应非零的空白总计会由勾稽关系报出。每张表报告一次，标出第一个这样的单元格。官方格式中没有数据的单元格应填0。",
    },
    RuleInfo {
        code: "T009",
        name: "glued-row-inconsistent",
        severity: Severity::Error,
        explain: "网页爬取或复制的文字中，表三一行的数字连在一起（如“191000019”）。nianbao 按列数拆分这些数字（不含前导零），只保留满足本行“总计等于各列之和”及各列勾稽关系的拆分：只有一种时照常读取；有多种时报告一次 T007；一种也没有时报告此项——无论怎样拆分这一行都不平衡，说明此行的数字本身有误。",
    },
];

pub fn check(cx: &mut Context) {
    let reading = cx.reading;
    let Some(edition) = reading.edition else {
        return;
    };
    if reading.legacy {
        return;
    }
    if let Some(other) = template_mismatch(reading) {
        // One finding for the whole layout, instead of one per row of the other template.
        template(cx, edition, other);
    } else {
        active(cx, edition);
        applications(cx, edition);
    }
    appeals(cx, edition);
    let found = balance::check(edition, |t| reading.grid(t));
    for d in found {
        cx.push(d);
    }
}

/// The other edition whose rows tables 二 and 三 are laid out in, when they are: rows of it
/// in both tables, or several in one.
fn template_mismatch(reading: &Reading) -> Option<u16> {
    let rows: Vec<u16> = [&reading.active.table, &reading.applications.table]
        .iter()
        .flat_map(|t| t.wrong_edition.iter().map(|r| r.edition))
        .collect();
    let tables = [&reading.active.table, &reading.applications.table]
        .iter()
        .filter(|t| !t.wrong_edition.is_empty())
        .count();
    let first = *rows.first()?;
    (rows.iter().all(|&e| e == first) && (tables == 2 || rows.len() >= 3)).then_some(first)
}

/// T003 once for tables 二 and 三 laid out on another edition's template.
fn template(cx: &mut Context, edition: &Edition, other: u16) {
    let reading = cx.reading;
    let rows: Vec<&crate::reading::tables::WrongEditionRow> =
        [&reading.active.table, &reading.applications.table]
            .iter()
            .flat_map(|t| t.wrong_edition.iter())
            .collect();
    let Some(first) = rows.iter().min_by_key(|r| r.range.start) else {
        return;
    };
    let examples = rows
        .iter()
        .take(3)
        .map(|r| format!("“{}”", reading.source(r.range.clone())))
        .collect::<Vec<_>>()
        .join("、");
    let year = reading.year().map_or(String::new(), |y| format!("{y}年度"));
    cx.push(
        Diagnostic::error(
            "T003",
            format!(
                "统计表按{other}版式填写：{year}报告应使用{}版式（{}）",
                edition.edition, edition.basis
            ),
        )
        .with_label(
            reading.span(first.range.clone()),
            format!("{other}版式的行"),
        )
        .with_note(format!(
            "{other}版式的行共{}处，如{examples}；表二、表三的逐行检查从略，请按{}版式重排后再检查",
            rows.len(),
            edition.edition
        )),
    );
}

const NAMES: [&str; 3] = ["表二", "表三", "表四"];
const FULL_NAMES: [&str; 3] = [
    "表二（主动公开政府信息情况）",
    "表三（收到和处理政府信息公开申请情况）",
    "表四（政府信息公开行政复议、行政诉讼情况）",
];

/// T001 (no table in a section that is there) and T007 (a table that could not be read).
/// Returns whether the table's rows are worth judging one by one.
fn whole_table(cx: &mut Context, table: &TableRead, index: usize) -> bool {
    let reading = cx.reading;
    let section = index + 1;
    if reading.sections.get(section).cloned().flatten().is_none() {
        return false;
    }
    if !table.found {
        let at = reading.heading_span(section);
        cx.push(
            Diagnostic::error("T001", format!("未找到{}", FULL_NAMES[index]))
                .with_label(at, "此部分应有统计表"),
        );
        return false;
    }
    if let Some((why, range)) = &table.unreadable {
        cx.push(
            Diagnostic::warning(
                "T007",
                format!("{}无法可靠读取：{}，未核对", NAMES[index], why.describe()),
            )
            .with_label(reading.span(range.clone()), why.describe()),
        );
        return false;
    }
    if let Some((found, expected, range)) = &table.miscount {
        cx.push(
            Diagnostic::error(
                "T004",
                format!("{}应有{expected}个数，读到{found}个", NAMES[index]),
            )
            .with_label(
                reading.span(range.clone()),
                format!("{}的数字", NAMES[index]),
            ),
        );
    }
    for row in &table.wrong_edition {
        let span = reading.span(row.range.clone());
        let written = reading.source(row.range.clone());
        let (message, label) = match &row.single_row_of {
            Some(_) => (
                format!(
                    "“{written}”在{}版式中分为多行，这是另一版式的单行写法",
                    reading.edition.map_or(0, |e| e.edition)
                ),
                "单行写法".to_owned(),
            ),
            None => (
                format!(
                    "“{written}”是{}版式{}的行，本报告应使用{}版式",
                    row.edition,
                    NAMES[index],
                    reading.edition.map_or(0, |e| e.edition)
                ),
                format!("{}版式的行", row.edition),
            ),
        };
        cx.push(Diagnostic::error("T003", message).with_label(span, label));
    }
    true
}

/// T005 and T006 for one cell; blank cells and placeholders are counted instead.
fn check_cell(cx: &mut Context, cell: &ReadCell, kind: CellKind, blanks: &mut Blanks) {
    let reading = cx.reading;
    let v = &cell.value;
    // Where the cell is and what it says are worked out only for a finding (most cells have
    // none): tracing a range back to the text is two searches.
    let span = || reading.span(cell.range.clone());
    if v.blank || v.placeholder {
        blanks.add(v.blank, span);
        return;
    }
    let text = || reading.view.compact[cell.range.clone()].to_owned();
    if v.value < 0.0 && kind != CellKind::Signed {
        let text = text();
        cx.push(
            Diagnostic::error("T006", format!("件数不能为负：“{text}”")).with_label(span(), "负数"),
        );
        return;
    }
    let odd = if !v.is_plausible() {
        Some("数字大得不合理（超过一万亿），未参与勾稽核对")
    } else if kind == CellKind::Amount {
        None
    } else if v.unit.is_some() {
        Some("件数不应带单位")
    } else if v.decimal {
        Some("件数不应带小数点")
    } else {
        None
    };
    if let Some(why) = odd {
        let text = text();
        let mut d = Diagnostic::warning("T005", format!("单元格“{text}”写法不规范：{why}"))
            .with_label(span(), why);
        if let Some(count) = v.as_count() {
            d = d.with_fix(count.to_string());
        }
        cx.push(d);
    }
}

/// Blank and placeholder cells of one table.
#[derive(Default)]
struct Blanks {
    blank: usize,
    placeholder: usize,
    first: Option<Range<usize>>,
}

impl Blanks {
    fn add(&mut self, blank: bool, span: impl FnOnce() -> Range<usize>) {
        if blank {
            self.blank += 1;
        } else {
            self.placeholder += 1;
        }
        self.first.get_or_insert_with(span);
    }

    fn report(self, cx: &mut Context, index: usize) {
        let Some(first) = self.first else { return };
        let what = match (self.blank, self.placeholder) {
            (b, 0) => format!("{b}个空白单元格"),
            (0, p) => format!("{p}个用“/”“-”等代替0的单元格"),
            (b, p) => format!("{b}个空白单元格和{p}个用“/”“-”等代替0的单元格"),
        };
        cx.push(
            Diagnostic::warning("T008", format!("{}有{what}，按0计算", NAMES[index]))
                .with_label(first, "第一个这样的单元格")
                .with_note("官方格式中没有数据的单元格应填0"),
        );
    }
}

/// T004 for a row with the wrong number of figures.
fn cell_count(cx: &mut Context, index: usize, row_label: &str, row: &RowRead, columns: &str) {
    if let RowRead::WrongCount {
        label,
        found,
        expected,
    } = row
    {
        let span = cx.reading.span(label.clone());
        cx.push(
            Diagnostic::error(
                "T004",
                format!(
                    "{}“{row_label}”行应有{expected}个数，读到{found}个",
                    NAMES[index]
                ),
            )
            .with_label(span, "此行不参与勾稽核对")
            .with_note(format!("列：{columns}")),
        );
    }
}

fn missing_row(cx: &mut Context, index: usize, row_label: &str) {
    let at = cx.reading.heading_span(index + 1);
    cx.push(
        Diagnostic::error("T002", format!("{}缺少“{row_label}”行", NAMES[index]))
            .with_label(at, NAMES[index]),
    );
}

/// Table 二.
fn active(cx: &mut Context, edition: &Edition) {
    let reading: &Reading = cx.reading;
    if !whole_table(cx, &reading.active.table, 0) {
        return;
    }
    let wrong_edition = !reading.active.table.wrong_edition.is_empty();
    let mut blanks = Blanks::default();
    for (b, block) in edition.active.blocks.iter().enumerate() {
        let columns = block
            .columns
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join("、");
        for (r, name) in block.rows.iter().enumerate() {
            let Some(row) = reading.active.rows.get(b).and_then(|rows| rows.get(r)) else {
                continue;
            };
            match row {
                RowRead::Missing if !wrong_edition => missing_row(cx, 0, name),
                RowRead::Missing => {}
                RowRead::WrongCount { .. } => cell_count(cx, 0, name, row, &columns),
                RowRead::Glued { .. } => {}
                RowRead::Read { cells, .. } => {
                    for (c, cell) in cells.iter().enumerate() {
                        let kind = block.columns.get(c).map_or(CellKind::Count, |c| c.kind);
                        check_cell(cx, cell, kind, &mut blanks);
                    }
                }
            }
        }
    }
    blanks.report(cx, 0);
}

/// Table 三.
fn applications(cx: &mut Context, edition: &Edition) {
    let reading: &Reading = cx.reading;
    let read: &GridRead = &reading.applications;
    if !whole_table(cx, &read.table, 1) {
        return;
    }
    let def = &edition.applications;
    let wrong_edition = !read.table.wrong_edition.is_empty();
    let columns = def.column_labels().collect::<Vec<_>>().join("、");
    let mut blanks = Blanks::default();
    let mut ambiguous = Vec::new();
    for (id, row_def) in def.data_rows() {
        let Some(row) = read.rows.get(id) else {
            continue;
        };
        match row {
            RowRead::Glued {
                label,
                splits: 0,
                capped: false,
            } => no_split(cx, 1, &row_def.label, label.clone()),
            RowRead::Glued {
                label,
                splits,
                capped,
            } => ambiguous.push((&row_def.label, label.clone(), *splits, *capped)),
            RowRead::Missing => {
                // A row of the other edition stands where this edition's 其他处理 rows are.
                let explained = wrong_edition && (id == "其他处理" || id.starts_with("其他处理."));
                if !explained {
                    missing_row(cx, 1, &row_def.label);
                }
            }
            RowRead::WrongCount { .. } if !wrong_edition => {
                cell_count(cx, 1, &row_def.label, row, &columns);
            }
            RowRead::WrongCount { .. } => {}
            RowRead::Read { cells, .. } => {
                for cell in cells {
                    check_cell(cx, cell, CellKind::Count, &mut blanks);
                }
            }
        }
    }
    blanks.report(cx, 1);
    ambiguous_rows(cx, 1, &ambiguous);
}

/// T009 for a row whose glued figures no split reads consistently.
fn no_split(cx: &mut Context, index: usize, row_label: &str, label: Range<usize>) {
    let span = cx.reading.span(label);
    cx.push(
        Diagnostic::error(
            "T009",
            format!(
                "{}“{row_label}”行的数字粘连在一起，任何一种拆分都不能使本行的总计等于各列之和",
                NAMES[index]
            ),
        )
        .with_label(span, "此行的数字有误")
        .with_note("请对照原表核对此行；这一行不参与勾稽核对"),
    );
}

/// One T007 for the rows of a table whose glued figures can be split in several ways.
fn ambiguous_rows(cx: &mut Context, index: usize, rows: &[(&String, Range<usize>, usize, bool)]) {
    let Some((_, first, _, _)) = rows.first() else {
        return;
    };
    let listed = rows
        .iter()
        .map(|(name, _, splits, capped)| {
            let more = if *capped { "以上" } else { "" };
            format!("“{name}”（数字粘连，有{splits}种{more}拆分）")
        })
        .collect::<Vec<_>>()
        .join("、");
    let span = cx.reading.span(first.clone());
    cx.push(
        Diagnostic::warning(
            "T007",
            format!(
                "{}有{}行无法可靠读取：{listed}，这些行未核对",
                NAMES[index],
                rows.len()
            ),
        )
        .with_label(span, "数字粘连，有多种拆分")
        .with_note("其余各行照常核对；请用原表或保留表格的文本核对这些行"),
    );
}

/// Table 四.
fn appeals(cx: &mut Context, _edition: &Edition) {
    let reading: &Reading = cx.reading;
    let read: &GridRead = &reading.appeals;
    if !whole_table(cx, &read.table, 2) {
        return;
    }
    let mut blanks = Blanks::default();
    for row in read.rows.values() {
        for cell in row.cells().unwrap_or_default() {
            check_cell(cx, cell, CellKind::Count, &mut blanks);
        }
    }
    blanks.report(cx, 2);
    // Glued figures are split for the whole table at once: one finding for the table.
    if let Some(RowRead::Glued {
        label,
        splits,
        capped,
    }) = read
        .rows
        .values()
        .find(|r| matches!(r, RowRead::Glued { .. }))
    {
        let span = reading.span(label.clone());
        let d = if *splits == 0 && !capped {
            Diagnostic::error(
                "T009",
                "表四的数字粘连在一起，任何一种拆分都不能使每行的总计等于各项之和".to_owned(),
            )
            .with_label(span, "表四的数字有误")
            .with_note("请对照原表核对表四")
        } else {
            let more = if *capped { "以上" } else { "" };
            Diagnostic::warning(
                "T007",
                format!("表四无法可靠读取：数字粘连，有{splits}种{more}拆分，未核对"),
            )
            .with_label(span, "数字粘连，有多种拆分")
        };
        cx.push(d);
    }
}
