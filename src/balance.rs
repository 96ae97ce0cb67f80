//! The consistency relationships (勾稽关系) of tables 三 and 四, evaluated on any [`Grid`].
//!
//! This module owns the arithmetic of the equations an edition declares and the wording of a
//! failed equation. The same code checks a data file and the tables recovered from a draft.

use crate::diagnostics::Diagnostic;
use crate::edition::{Edition, Equation, EquationKind, GridTable};
use crate::report::{Grid, checked_sum};

/// Checks every equation of `edition` on the grids it is about.
pub fn check<'g>(
    edition: &Edition,
    grid_of: impl Fn(crate::edition::TableId) -> Option<&'g Grid>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for eq in &edition.equations {
        let Some(grid) = grid_of(eq.table) else {
            continue;
        };
        let def = edition.grid(eq.table);
        match eq.kind {
            EquationKind::Columns => check_columns(eq, def, grid, &mut out),
            EquationKind::RowTotal => check_row_totals(eq, def, grid, &mut out),
        }
    }
    out
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

fn check_columns(eq: &Equation, def: &GridTable, grid: &Grid, out: &mut Vec<Diagnostic>) {
    let total_column = def.width() - 1;
    let mut data_column_failed = false;
    for column in 0..def.width() {
        // Checked: a sum that would overflow is not a sum to compare (figures are bounded by
        // report::MAX_FIGURE where they are read, so this does not happen in practice).
        let sum = |rows: &[String]| checked_sum(rows.iter().map(|r| grid.value(r, column)));
        let (Some(left), Some(right)) = (sum(&eq.left), sum(&eq.right)) else {
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
        out.push(d.with_note(format!("{}：{}", eq.relation, eq.text)));
    }
}

fn check_row_totals(eq: &Equation, def: &GridTable, grid: &Grid, out: &mut Vec<Diagnostic>) {
    let total_column = def.width() - 1;
    for (id, row) in def.data_rows() {
        let Some(values) = grid.rows.get(id) else {
            continue;
        };
        let Some(total) = values.cells.get(total_column).and_then(Option::as_ref) else {
            continue;
        };
        let Some(sum) = checked_sum(
            values.cells[..total_column.min(values.cells.len())]
                .iter()
                .map(|c| c.as_ref().map(|c| c.value)),
        ) else {
            continue;
        };
        if sum == total.value || values.cells.len() < def.width() {
            continue;
        }
        let span = total
            .span
            .clone()
            .or_else(|| values.span.clone())
            .unwrap_or(0..0);
        out.push(
            Diagnostic::error(
                &eq.code,
                format!(
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
                ),
            )
            .with_label(span, format!("{}：{}", def.total, total.shown()))
            .with_note(format!("{}：{}", eq.relation, eq.text))
            .with_fix(sum.to_string()),
        );
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
