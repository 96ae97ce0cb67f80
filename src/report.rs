//! The report as data: what a data file says once loaded, and what the renderer prints.
//!
//! This module owns [`Report`] and the derived totals. Values keep the byte span they came from
//! (when they came from a file), so that checks on a report can point at the source.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::edition::{Edition, EquationKind, GridTable, TableId};

/// The largest figure (in absolute value) a report may hold: 10¹², a trillion. Anything larger
/// is a typing slip (D013 in a data file, T005 in a draft), and keeping figures below it means
/// no sum of a report's figures can come near the end of `i64`.
pub const MAX_FIGURE: i64 = 1_000_000_000_000;

/// The sum of `values`; `None` when one is missing or the sum would overflow.
pub fn checked_sum(values: impl IntoIterator<Item = Option<i64>>) -> Option<i64> {
    values
        .into_iter()
        .try_fold(0i64, |acc, v| acc.checked_add(v?))
}

/// A number in table 二: a count, a signed change, or an amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Decimal(f64),
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            // Rust prints the shortest decimal that reads back the same value: 312.45, 96171.6.
            Number::Decimal(x) => write!(f, "{x}"),
        }
    }
}

/// One cell of a grid table, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub value: i64,
    /// Byte span in the source file; `None` for a computed cell.
    pub span: Option<Range<usize>>,
    /// The cell was left blank (or held a not-applicable mark such as `—`) and is read as 0;
    /// messages say so instead of showing a 0 the report does not print.
    pub blank: bool,
}

impl Cell {
    pub fn computed(value: i64) -> Self {
        Cell {
            value,
            span: None,
            blank: false,
        }
    }

    /// The value as a message shows it: `0` for a written zero, `空白（按0计）` for a blank.
    pub fn shown(&self) -> String {
        if self.blank {
            "空白（按0计）".to_owned()
        } else {
            self.value.to_string()
        }
    }
}

/// Values of a grid table (三 or 四): row id → cells (data columns, then the total column).
/// A missing row or a `None` cell is one that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    pub rows: BTreeMap<String, GridRowValues>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GridRowValues {
    pub cells: Vec<Option<Cell>>,
    /// Span of the whole row (its label or its list), for messages about the row.
    pub span: Option<Range<usize>>,
}

impl Grid {
    pub fn value(&self, row: &str, column: usize) -> Option<i64> {
        self.cell(row, column).map(|c| c.value)
    }

    pub fn cell(&self, row: &str, column: usize) -> Option<&Cell> {
        self.rows.get(row)?.cells.get(column)?.as_ref()
    }

    /// Fills what the data file leaves to computation: each row's total column (when not
    /// written) and each row an equation `defines` (when not written), in edition order.
    pub fn derive_totals(&mut self, edition: &Edition, table: TableId) {
        let def = edition.grid(table);
        let width = def.width();
        for row in self.rows.values_mut() {
            row.cells.resize(width, None);
            if row.cells[width - 1].is_none()
                && let Some(sum) = sum_cells(&row.cells[..width - 1])
            {
                row.cells[width - 1] = Some(Cell::computed(sum));
            }
        }
        for eq in edition.equations.iter().filter(|e| e.table == table) {
            let (Some(target), EquationKind::Columns) = (&eq.defines, eq.kind) else {
                continue;
            };
            if self.rows.contains_key(target) {
                continue;
            }
            let cells = (0..width)
                .map(|c| checked_sum(eq.right.iter().map(|r| self.value(r, c))).map(Cell::computed))
                .collect();
            self.rows
                .insert(target.clone(), GridRowValues { cells, span: None });
        }
    }

    /// Every data row of `def` with all its cells, in edition order (for rendering).
    pub fn complete_rows<'a>(
        &'a self,
        def: &'a GridTable,
    ) -> impl Iterator<Item = (&'a str, Vec<i64>)> + 'a {
        def.data_rows().map(move |(id, _)| {
            let values = (0..def.width())
                .map(|c| self.value(id, c).unwrap_or(0))
                .collect();
            (id, values)
        })
    }
}

fn sum_cells(cells: &[Option<Cell>]) -> Option<i64> {
    checked_sum(cells.iter().map(|c| c.as_ref().map(|c| c.value)))
}

/// A loaded data file.
#[derive(Debug, Clone)]
pub struct Report {
    pub edition: &'static Edition,
    pub agency: String,
    pub year: i32,
    /// 发布日期 as written (YYYY-MM-DD).
    pub published: Option<String>,
    /// Prose per section, indexed like `edition.sections`.
    pub prose: Vec<Option<String>>,
    /// Table 二: block → row → column.
    pub active: Vec<Vec<Vec<Option<Number>>>>,
    pub applications: Grid,
    pub appeals: Grid,
}

impl Report {
    /// A report with every figure zero and no prose: what `init` starts from.
    pub fn empty(edition: &'static Edition, year: i32, agency: &str) -> Report {
        let zeros = |table: &GridTable| Grid {
            rows: table
                .data_rows()
                .filter(|(_, r)| !r.derived)
                .map(|(id, _)| {
                    let cells = vec![Some(Cell::computed(0)); table.columns.len()];
                    (id.to_owned(), GridRowValues { cells, span: None })
                })
                .collect(),
        };
        Report {
            edition,
            agency: agency.to_owned(),
            year,
            published: None,
            prose: vec![None; edition.sections.len()],
            active: edition
                .active
                .blocks
                .iter()
                .map(|b| vec![vec![Some(Number::Int(0)); b.columns.len()]; b.rows.len()])
                .collect(),
            applications: zeros(&edition.applications),
            appeals: zeros(&edition.appeals),
        }
    }

    pub fn grid(&self, table: TableId) -> &Grid {
        match table {
            TableId::Applications => &self.applications,
            TableId::Appeals => &self.appeals,
        }
    }
}
