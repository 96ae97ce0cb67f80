//! The consistency relationships (勾稽关系) of tables 三 and 四, evaluated on any [`Grid`].
//!
//! This module owns the arithmetic of the equations an edition declares and the wording of a
//! failed equation. The same code checks a data file and the tables recovered from a draft.

use crate::diagnostics::Diagnostic;
use crate::edition::{Edition, Equation, EquationKind, GridTable};
use crate::report::{Grid, GridRowValues, checked_sum};

/// Data cells blamed by a table's row equations: (row id, column, value it would have to be).
type Shared = Vec<(String, usize, i64)>;

/// Checks every equation of `edition` on the grids it is about.
pub fn check<'g>(
    edition: &Edition,
    grid_of: impl Fn(crate::edition::TableId) -> Option<&'g Grid>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The cells blamed by the row equations of a table, worked out once for all its column
    // equations.
    let mut shared_of: Vec<(crate::edition::TableId, Shared)> = Vec::new();
    for eq in &edition.equations {
        let Some(grid) = grid_of(eq.table) else {
            continue;
        };
        let def = edition.grid(eq.table);
        let columns: Vec<&Equation> = edition
            .equations
            .iter()
            .filter(|e| e.table == eq.table && e.kind == EquationKind::Columns)
            .collect();
        match eq.kind {
            EquationKind::Columns => {
                let rows: Vec<&Equation> = edition
                    .equations
                    .iter()
                    .filter(|e| e.table == eq.table && e.kind == EquationKind::RowTotal)
                    .collect();
                let i = match shared_of.iter().position(|(t, _)| *t == eq.table) {
                    Some(i) => i,
                    None => {
                        shared_of.push((eq.table, shared_cells(&rows, &columns, def, grid)));
                        shared_of.len() - 1
                    }
                };
                check_columns(eq, def, grid, &shared_of[i].1, &mut out);
            }
            EquationKind::RowTotal => check_row_totals(eq, def, grid, &columns, &mut out),
        }
    }
    out
}

/// Which one cell of a row would, changed alone, make the row's equation hold and leave every
/// column equation through that row holding (or repaired).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Culprit {
    /// The row's total column: the data cells agree with the column equations.
    Total,
    /// A data cell: the row equation and the column equations through it fail by the same
    /// amount. `value` is what the cell would have to be.
    Cell {
        column: usize,
        value: i64,
        /// The column equations that fail through it (`R2`, `R1、R2`).
        relations: String,
    },
    /// No single cell, or more than one, fits the evidence: no change is suggested.
    Unclear,
}

/// `left − right` of a column equation in one column (`None` when a side cannot be summed).
fn column_gap(eq: &Equation, grid: &Grid, column: usize) -> Option<i128> {
    let sum = |rows: &[String]| checked_sum(rows.iter().map(|r| grid.value(r, column)));
    Some(i128::from(sum(&eq.left)?) - i128::from(sum(&eq.right)?))
}

/// The change to the cell at (`row`, `column`) that would make `eq` hold there; `None` when
/// the row is not in the equation or a side cannot be summed.
fn column_change(eq: &Equation, grid: &Grid, row: &str, column: usize) -> Option<i128> {
    let gap = column_gap(eq, grid, column)?;
    if eq.left.iter().any(|r| r == row) {
        Some(-gap)
    } else if eq.right.iter().any(|r| r == row) {
        Some(gap)
    } else {
        None
    }
}

/// The culprit of a failed row equation on `row` whose total falls short of the data columns'
/// sum by `short` (sum − total): the cell whose change by the amount the row asks also
/// satisfies every column equation through the row (and at least one of them).
fn culprit(columns: &[&Equation], def: &GridTable, grid: &Grid, row: &str, short: i128) -> Culprit {
    if columns.is_empty() {
        // No column equation to weigh the evidence (table 四): the written total is what the
        // row's own equation corrects, as it always has.
        return Culprit::Total;
    }
    let total_column = def.width() - 1;
    let mut found = Vec::new();
    for column in 0..def.width() {
        // The change the row asks of this cell.
        let wanted = if column == total_column {
            short
        } else {
            -short
        };
        let written = grid.cell(row, column).is_some_and(|c| c.span.is_some());
        let changes: Vec<i128> = columns
            .iter()
            .filter_map(|eq| column_change(eq, grid, row, column))
            .collect();
        if written && !changes.is_empty() && changes.iter().all(|&c| c == wanted) {
            found.push(column);
        }
    }
    match found.as_slice() {
        [column] if *column == total_column => Culprit::Total,
        [column] => grid
            .value(row, *column)
            .and_then(|v| i64::try_from(i128::from(v) - short).ok())
            .map_or(Culprit::Unclear, |value| Culprit::Cell {
                column: *column,
                value,
                relations: columns
                    .iter()
                    .filter(|eq| column_change(eq, grid, row, *column).is_some())
                    .map(|eq| eq.relation.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            }),
        _ => Culprit::Unclear,
    }
}

/// The data cells named as culprits of failed row equations: (row id, column, value it
/// would have to be).
fn shared_cells(rows: &[&Equation], columns: &[&Equation], def: &GridTable, grid: &Grid) -> Shared {
    let mut out = Vec::new();
    if rows.is_empty() {
        return out;
    }
    let total_column = def.width() - 1;
    for (id, _) in def.data_rows() {
        let Some((total, sum)) = row_gap(def, grid, id) else {
            continue;
        };
        if total == sum {
            continue;
        }
        let short = i128::from(sum) - i128::from(total);
        if let Culprit::Cell { column, value, .. } = culprit(columns, def, grid, id, short)
            && column < total_column
        {
            out.push((id.to_owned(), column, value));
        }
    }
    out
}

/// A row's written total and the sum of its data columns, when both can be read.
fn row_gap(def: &GridTable, grid: &Grid, id: &str) -> Option<(i64, i64)> {
    let total_column = def.width() - 1;
    let values = grid.rows.get(id)?;
    if values.cells.len() < def.width() {
        return None;
    }
    let total = values.cells.get(total_column)?.as_ref()?;
    let sum = checked_sum(
        values.cells[..total_column]
            .iter()
            .map(|c| c.as_ref().map(|c| c.value)),
    )?;
    Some((total.value, sum))
}

fn label_of<'a>(def: &'a GridTable, id: &'a str) -> &'a str {
    def.row(id).map_or(id, |r| r.label.as_str())
}

/// A short form of a row label for equation sides: `一、本年新收…` stays readable.
fn short_label(def: &GridTable, id: &str) -> String {
    let label = label_of(def, id);
    let parent = id.split_once('.').map(|(group, _)| group);
    match parent {
        Some(group) => format!("{group}{}", label.split('（').next().unwrap_or(label)),
        None => label
            .split('（')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or(label)
            .to_owned(),
    }
}

fn side_text(def: &GridTable, rows: &[String]) -> String {
    if rows.len() > 4 {
        return format!("{}项之和", rows.len());
    }
    rows.iter()
        .map(|r| short_label(def, r))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn check_columns(
    eq: &Equation,
    def: &GridTable,
    grid: &Grid,
    shared: &[(String, usize, i64)],
    out: &mut Vec<Diagnostic>,
) {
    let total_column = def.width() - 1;
    let mut data_column_failed = false;
    // Each side's rows looked up once, not once per column.
    let resolve = |rows: &[String]| -> Vec<Option<&GridRowValues>> {
        rows.iter().map(|r| grid.rows.get(r)).collect()
    };
    let (left_rows, right_rows) = (resolve(&eq.left), resolve(&eq.right));
    for column in 0..def.width() {
        // Checked: a sum that would overflow is not a sum to compare (figures are bounded by
        // report::MAX_FIGURE where they are read, so this does not happen in practice).
        let sum = |rows: &[Option<&GridRowValues>]| {
            checked_sum(rows.iter().map(|r| {
                r.and_then(|r| r.cells.get(column)?.as_ref())
                    .map(|c| c.value)
            }))
        };
        let (Some(left), Some(right)) = (sum(&left_rows), sum(&right_rows)) else {
            continue;
        };
        if left == right {
            continue;
        }
        // A total column that fails only because a data column failed adds nothing.
        if column == total_column && data_column_failed {
            continue;
        }
        data_column_failed |= column < total_column;
        let column_label = def.column_labels().nth(column).unwrap_or("");
        let mut d = Diagnostic::error(
            &eq.code,
            format!(
                "勾稽关系{}不成立（{}列）：{} = {}，{} = {}，相差 {}",
                eq.relation,
                column_label,
                side_text(def, &eq.left),
                left,
                side_text(def, &eq.right),
                right,
                i128::from(left) - i128::from(right)
            ),
        );
        let mut labelled = false;
        for (side, rows) in [("左边", &eq.left), ("右边", &eq.right)] {
            for r in rows {
                let Some(cell) = grid.cell(r, column) else {
                    continue;
                };
                let span = cell
                    .span
                    .clone()
                    .or_else(|| grid.rows.get(r).and_then(|row| row.span.clone()));
                let Some(span) = span else { continue };
                if rows.len() > 4 && cell.value == 0 && labelled {
                    continue; // long sums: label the cells that contribute
                }
                let what = if cell.span.is_some() {
                    ""
                } else {
                    "（计算值）"
                };
                d = d.with_label(
                    span,
                    format!("{side}：{} = {}{what}", short_label(def, r), cell.shown()),
                );
                labelled = true;
            }
        }
        d = d.with_note(format!("{}：{}", eq.relation, eq.text));
        let rows_in = |r: &String| eq.left.contains(r) || eq.right.contains(r);
        for (row, _, value) in shared.iter().filter(|(r, c, _)| *c == column && rows_in(r)) {
            d = d.with_note(format!(
                "{column_label}列 {} 一格可能有误：该行的总计与各列之和也相差同样的数，该格改为 {value} 则两式都成立",
                label_of(def, row)
            ));
        }
        out.push(d);
    }
}

fn check_row_totals(
    eq: &Equation,
    def: &GridTable,
    grid: &Grid,
    columns: &[&Equation],
    out: &mut Vec<Diagnostic>,
) {
    let total_column = def.width() - 1;
    for (id, row) in def.data_rows() {
        let Some(values) = grid.rows.get(id) else {
            continue;
        };
        let Some(total) = values.cells.get(total_column).and_then(Option::as_ref) else {
            continue;
        };
        let Some((_, sum)) = row_gap(def, grid, id) else {
            continue;
        };
        if sum == total.value {
            continue;
        }
        let span = total
            .span
            .clone()
            .or_else(|| values.span.clone())
            .unwrap_or(0..0);
        let failed = format!(
            "勾稽关系{}不成立（{}）：{}列为{}，各列之和为 {}，相差 {}",
            eq.relation,
            row.label,
            def.total,
            if total.blank {
                total.shown()
            } else {
                format!(" {}", total.value)
            },
            sum,
            i128::from(total.value) - i128::from(sum)
        );
        let short = i128::from(sum) - i128::from(total.value);
        let total_label = format!("{}：{}", def.total, total.shown());
        let note = format!("{}：{}", eq.relation, eq.text);
        // A blank total is an omission, not a wrong figure: filling it in is the fix.
        let blamed = if total.blank {
            Culprit::Total
        } else {
            culprit(columns, def, grid, id, short)
        };
        let d = match blamed {
            Culprit::Total => Diagnostic::error(&eq.code, failed)
                .with_label(span, total_label)
                .with_note(note)
                .with_fix(sum.to_string()),
            Culprit::Cell {
                column,
                value,
                relations,
            } => {
                let column_label = def.column_labels().nth(column).unwrap_or("");
                let cell = grid.cell(id, column);
                let cell_span = cell.and_then(|c| c.span.clone()).unwrap_or(span.clone());
                let shown = cell.map_or_else(String::new, crate::report::Cell::shown);
                Diagnostic::error(
                    &eq.code,
                    format!(
                        "{column_label}列 {} 一格可能有误（{}与{column_label}列的{relations}相差同样的数，该格改为 {value} 则都成立）：{failed}",
                        row.label, eq.relation
                    ),
                )
                .with_label(cell_span, format!("{column_label}：{shown}"))
                .with_label(span, total_label)
                .with_note(note)
                .with_fix(value.to_string())
            }
            Culprit::Unclear => Diagnostic::error(&eq.code, failed)
                .with_label(span, total_label)
                .with_note(note)
                .with_note("各列的勾稽关系不能确定是总计还是哪一格有误，未给出修改建议".to_owned()),
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::{self, TableId};
    use crate::report::{Cell, GridRowValues};

    fn grid_with(edition: &Edition, table: TableId, set: &[(&str, [i64; 6])]) -> Grid {
        let def = edition.grid(table);
        let mut grid = Grid::default();
        for (id, row) in def.data_rows() {
            if row.derived {
                continue;
            }
            let mut cells: Vec<Option<Cell>> = vec![Some(Cell::computed(0)); def.columns.len()];
            if let Some((_, values)) = set.iter().find(|(r, _)| *r == id) {
                for (c, v) in values.iter().take(def.columns.len()).enumerate() {
                    cells[c] = Some(Cell {
                        value: *v,
                        span: Some(c..c + 1),
                        blank: false,
                    });
                }
            }
            grid.rows
                .insert(id.to_owned(), GridRowValues { cells, span: None });
        }
        grid.derive_totals(edition, table);
        grid
    }

    #[test]
    fn balanced_table_passes_every_equation() {
        let e = edition::by_number(2021).expect("2021");
        let grid = grid_with(
            e,
            TableId::Applications,
            &[
                ("本年新收", [10, 1, 0, 0, 0, 0]),
                ("上年结转", [2, 0, 0, 0, 0, 0]),
                ("予以公开", [9, 1, 0, 0, 0, 0]),
                ("结转下年度", [3, 0, 0, 0, 0, 0]),
            ],
        );
        assert_eq!(
            check(e, |t| (t == TableId::Applications).then_some(&grid)),
            vec![]
        );
    }

    #[test]
    fn r1_failure_names_both_sides_and_the_difference_once() {
        let e = edition::by_number(2021).expect("2021");
        let grid = grid_with(
            e,
            TableId::Applications,
            &[
                ("本年新收", [10, 0, 0, 0, 0, 0]),
                ("予以公开", [8, 0, 0, 0, 0, 0]),
            ],
        );
        let found = check(e, |t| (t == TableId::Applications).then_some(&grid));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "T101");
        assert!(
            found[0].message.contains("（自然人列）"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("= 10"), "{}", found[0].message);
        assert!(found[0].message.contains("= 8"), "{}", found[0].message);
        assert!(found[0].message.ends_with("相差 2"), "{}", found[0].message);
    }

    #[test]
    fn figures_near_the_end_of_i64_never_overflow() {
        // Figures are bounded where they are read; the checker does not rely on it.
        for e in edition::all() {
            let mut grid = grid_with(e, TableId::Applications, &[]);
            for row in grid.rows.values_mut() {
                for cell in row.cells.iter_mut().flatten() {
                    cell.value = i64::MAX;
                }
                if let Some(Some(total)) = row.cells.last_mut() {
                    total.value = i64::MIN;
                }
            }
            let found = check(e, |t| (t == TableId::Applications).then_some(&grid));
            // Only R3 on rows whose sum fits (none here); no wrapped sum is ever printed.
            assert!(
                found
                    .iter()
                    .all(|d| !d.message.contains("-9223372036854775")),
                "{found:#?}"
            );
        }
    }

    #[test]
    fn a_blank_total_is_named_as_blank_not_as_a_written_zero() {
        let e = edition::by_number(2019).expect("2019");
        let mut grid = grid_with(e, TableId::Applications, &[]);
        if let Some(row) = grid.rows.get_mut("本年新收") {
            row.cells[0] = Some(Cell {
                value: 4,
                span: Some(0..1),
                blank: false,
            });
            row.cells[6] = Some(Cell {
                value: 0,
                span: Some(5..6),
                blank: true,
            });
        }
        let found = check(e, |t| (t == TableId::Applications).then_some(&grid));
        let r3 = found
            .iter()
            .find(|d| d.message.contains("本年新收") && d.message.contains("各列之和"))
            .expect("R3 fires on the blank total");
        assert!(
            r3.message.contains("总计列为空白（按0计），各列之和为 4"),
            "{}",
            r3.message
        );
        assert!(!r3.message.contains("列为 0"), "{}", r3.message);
        // A blank total is filled in with the sum, whatever the columns say.
        assert_eq!(r3.fix.as_deref(), Some("4"), "{r3:#?}");
    }

    /// A balanced 2019 table 三 (自然人 only) with the 予以公开 cell of 自然人 written as `natural`.
    fn one_cell_off(natural: i64) -> Grid {
        let e = edition::by_number(2019).expect("2019");
        let mut grid = grid_with(
            e,
            TableId::Applications,
            &[
                ("本年新收", [50, 2, 0, 0, 0, 0]),
                ("上年结转", [4, 0, 0, 0, 0, 0]),
                ("予以公开", [natural, 2, 0, 0, 0, 0]),
                ("结转下年度", [10, 0, 0, 0, 0, 0]),
            ],
        );
        // The report prints its totals: 予以公开 and 总计 as they were before the slip.
        if let Some(row) = grid.rows.get_mut("予以公开") {
            row.cells[6] = Some(Cell {
                value: 46,
                span: Some(60..61),
                blank: false,
            });
        }
        if let Some(row) = grid.rows.get_mut("总计") {
            row.cells[0] = Some(Cell {
                value: 44,
                span: Some(70..71),
                blank: false,
            });
            row.cells[6] = Some(Cell {
                value: 46,
                span: Some(76..77),
                blank: false,
            });
        }
        grid
    }

    #[test]
    fn a_row_and_a_column_failing_by_the_same_amount_name_their_shared_cell() {
        let e = edition::by_number(2019).expect("2019");
        let grid = one_cell_off(80);
        let found = check(e, |t| (t == TableId::Applications).then_some(&grid));
        let r3 = found.iter().find(|d| d.code == "T103").expect("R3 fails");
        assert!(
            r3.message
                .starts_with("自然人列 （一）予以公开 一格可能有误"),
            "{}",
            r3.message
        );
        assert_eq!(r3.fix.as_deref(), Some("44"), "the fix is for the cell");
        assert_eq!(r3.labels[0].span, 0..1, "the primary label is the cell");
        let r2 = found.iter().find(|d| d.code == "T102").expect("R2 fails");
        assert!(
            r2.notes
                .iter()
                .any(|n| n.contains("（一）予以公开 一格可能有误")),
            "{:?}",
            r2.notes
        );
        // The balanced table passes.
        let fine = one_cell_off(44);
        assert_eq!(
            check(e, |t| (t == TableId::Applications).then_some(&fine)),
            vec![]
        );
    }

    #[test]
    fn no_fix_where_the_columns_do_not_point_at_one_cell() {
        let e = edition::by_number(2019).expect("2019");
        let with_totals = |row_total: i64, grand_total: i64| {
            let mut grid = one_cell_off(44);
            if let Some(row) = grid.rows.get_mut("予以公开") {
                row.cells[6] = Some(Cell {
                    value: row_total,
                    span: Some(60..61),
                    blank: false,
                });
            }
            if let Some(row) = grid.rows.get_mut("总计") {
                row.cells[6] = Some(Cell {
                    value: grand_total,
                    span: Some(76..77),
                    blank: false,
                });
            }
            grid
        };
        // 予以公开's total and the grand total agree with each other but not with the cells:
        // either could be the slip, so nothing is suggested.
        let grid = with_totals(40, 40);
        let found = check(e, |t| (t == TableId::Applications).then_some(&grid));
        let r3 = found.iter().find(|d| d.code == "T103").expect("R3 fails");
        assert_eq!(r3.fix, None, "{r3:#?}");
        assert!(
            r3.notes.iter().any(|n| n.contains("未给出修改建议")),
            "{r3:#?}"
        );
        // A wrong row total alone (the column of totals fails by the same amount) is fixed at
        // the total, as before.
        let grid = with_totals(40, 46);
        let found = check(e, |t| (t == TableId::Applications).then_some(&grid));
        let r3 = found.iter().find(|d| d.code == "T103").expect("R3 fails");
        assert_eq!(r3.fix.as_deref(), Some("46"), "{found:#?}");
    }

    #[test]
    fn written_total_that_disagrees_fires_r3() {
        let e = edition::by_number(2019).expect("2019");
        let mut grid = grid_with(e, TableId::Applications, &[]);
        if let Some(row) = grid.rows.get_mut("本年新收") {
            row.cells[0] = Some(Cell {
                value: 1,
                span: Some(0..1),
                blank: false,
            });
            row.cells[6] = Some(Cell {
                value: 2,
                span: Some(5..6),
                blank: false,
            });
        }
        let codes: Vec<String> = check(e, |t| (t == TableId::Applications).then_some(&grid))
            .into_iter()
            .map(|d| d.code)
            .collect();
        // R3 on the row; R1 in the 自然人 column (1 ≠ 0), its total column failure implied.
        assert_eq!(codes, ["T101", "T103"]);
    }
}
