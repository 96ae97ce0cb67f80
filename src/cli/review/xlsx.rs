//! The review as an Excel workbook (`rust_xlsxwriter`): one worksheet per sheet, the header row
//! frozen and filterable, numbers as numbers, columns wide enough for Chinese, and the
//! overview's status column coloured by a conditional format (so a re-sorted or edited sheet
//! keeps its colours). A sheet longer than a worksheet holds goes on in numbered sheets
//! (`数字（2）`…), so a national run's figures are not lost to Excel's row limit.
//!
//! Speed (issue 21: the review within 1.5× of `lint`): the figures sheet is nine tenths of
//! the cells (≈200 figures per report), so it is written as the reports come ([`Writer::add`],
//! which `gather` can call from its in-order sink while the workers still read the next
//! files) and with a shared-string table (`rust_xlsxwriter`'s low-memory mode: each row goes
//! to a temporary file as soon as the next begins, and the agency, file, row and column names
//! repeated on every row are written once, so the sheet's XML is about half as long to
//! format and to deflate). The other sheets are small and keep their strings inline
//! (constant-memory mode). The zip is deflated at level 1, and numbers are printed by `zmij`
//! (`rust_xlsxwriter`'s `zmij` feature: `2020.0` rather than `core::fmt`'s `2020`, the same
//! number to Excel and `calamine`; 2.4% of the writer's instructions).
//!
//! Where the time goes (callgrind, 100 reports, 160,000 figure cells): the writer's thread
//! runs more instructions than all the reading (485M against 414M), ~2,400 a cell inside
//! `rust_xlsxwriter` (a `String` and an `Arc<str>` per text cell, the shared-string hash, a
//! `BTreeMap` per row, `write!` of each `<c>` element to the temporary file) and, at the end,
//! the deflate of the sheet's XML (~114 MB for 2,000 reports) alone on one core. No call
//! pattern of the crate's API is much cheaper (inline strings: +10%; an in-memory sheet:
//! +30% and 0.5 GB). The readers are paced so that the writer keeps a core ([`super::gather`]),
//! and the writer's thread is then the wall time: on 2 cores, 2,000 reports, about 2.7×
//! `lint`'s wall time (2.2× its CPU time); without the figures sheet (which the `.csv`
//! output also has) 1.25×.

use rust_xlsxwriter::{
    ConditionalFormatText, ConditionalFormatTextRule, DocProperties, ExcelDateTime, Format,
    Workbook, Worksheet, XlsxError,
};

use super::sheets::{
    FIGURE_HEADERS, FIGURES_NAME, FIGURES_SLUG, STATUS_COLUMN, Value, figure_cells,
};
use super::{Review, Row, Status, display_width};

/// Widest a column is made (characters of width), so a long message does not push the rest
/// off screen.
const MAX_WIDTH: usize = 60;

/// The deflate level of the zip container: 1, the fastest (the default, 6, took about a third
/// of the whole review's time on the figures sheet for a file ~1.5× smaller).
const ZIP_LEVEL: u8 = 1;

/// The workbook's bytes.
pub fn workbook(review: &Review) -> anyhow::Result<Vec<u8>> {
    let mut writer = Writer::new()?;
    for row in &review.rows {
        writer.add(row)?;
    }
    writer.finish(review)
}

/// The data rows one worksheet holds: Excel's 1,048,576 rows less the header. A sheet with
/// more (the figures of more than about 5,000 reports) goes on in `数字（2）`, `数字（3）`…
const ROWS_PER_SHEET: u32 = 1_048_575;

/// The name of part `part` (from 1) of a sheet: the name itself, then `名称（2）`…
fn part_name(name: &str, part: usize) -> String {
    if part == 1 {
        name.to_owned()
    } else {
        format!("{name}（{part}）")
    }
}

/// A workbook being written: the figures sheet fills as the reports come, the other sheets
/// are written at the end. The same reports give the same bytes whether they were added
/// during the gathering or after it.
pub struct Writer {
    book: Workbook,
    header: Format,
    /// The figures sheet and, past [`ROWS_PER_SHEET`] rows, its continuations.
    figures: Vec<Worksheet>,
    widths: Vec<usize>,
    /// The last row written on the last of `figures`.
    last_row: u32,
    rows_per_sheet: u32,
}

impl Writer {
    pub fn new() -> anyhow::Result<Writer> {
        Writer::start(ROWS_PER_SHEET).map_err(failed)
    }

    fn start(rows_per_sheet: u32) -> Result<Writer, XlsxError> {
        let mut book = Workbook::new();
        // A fixed creation time: the same reports give the same bytes, as `lint` gives the
        // same output.
        let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        book.set_zip_compression_level(ZIP_LEVEL);
        let header = Format::new().set_bold().set_background_color("#DDE4EE");
        let mut writer = Writer {
            book,
            header,
            figures: Vec::new(),
            widths: FIGURE_HEADERS.iter().map(|h| display_width(h)).collect(),
            last_row: 0,
            rows_per_sheet,
        };
        writer.next_figures_sheet()?;
        Ok(writer)
    }

    /// Starts the next part of the figures sheet.
    fn next_figures_sheet(&mut self) -> Result<(), XlsxError> {
        let mut figures = self.book.new_worksheet_with_low_memory()?;
        figures.set_name(part_name(FIGURES_NAME, self.figures.len() + 1))?;
        write_headers(&mut figures, &FIGURE_HEADERS, &self.header)?;
        self.figures.push(figures);
        self.last_row = 0;
        Ok(())
    }

    /// Writes `row`'s figures. Call it for every report of the review, in the review's order.
    pub fn add(&mut self, row: &Row) -> anyhow::Result<()> {
        for (i, figure) in row.figures.iter().enumerate() {
            let cells = figure_cells(row, figure);
            // The agency, year and file are the report's, the same on each of its rows:
            // measured once.
            let measured = if i == 0 { 0 } else { REPORT_COLUMNS };
            if self.last_row == self.rows_per_sheet {
                self.next_figures_sheet().map_err(failed)?;
            }
            self.last_row += 1;
            let Some(sheet) = self.figures.last_mut() else {
                continue;
            };
            write_row(sheet, self.last_row, &cells, &mut self.widths, measured).map_err(failed)?;
        }
        Ok(())
    }

    /// The workbook's bytes: the figures added so far and the review's other sheets.
    pub fn finish(self, review: &Review) -> anyhow::Result<Vec<u8>> {
        self.build(review).map_err(failed)
    }

    fn build(self, review: &Review) -> Result<Vec<u8>, XlsxError> {
        let Writer {
            mut book,
            header,
            figures,
            widths: figure_widths,
            last_row: figures_last_row,
            rows_per_sheet,
        } = self;
        let mut figures = Some(figures);
        for sheet in review.sheets() {
            // Each part of the sheet: the worksheet, its widths and its last row.
            let parts: Vec<(Worksheet, Vec<usize>, u32)> = if sheet.slug == FIGURES_SLUG {
                let Some(figures) = figures.take() else {
                    continue;
                };
                let count = figures.len();
                figures
                    .into_iter()
                    .enumerate()
                    .map(|(k, ws)| {
                        let last = if k + 1 == count {
                            figures_last_row
                        } else {
                            rows_per_sheet
                        };
                        (ws, figure_widths.clone(), last)
                    })
                    .collect()
            } else {
                let mut parts = Vec::new();
                let mut rows = sheet.rows.peekable();
                loop {
                    let mut ws = book.new_worksheet_with_constant_memory()?;
                    ws.set_name(part_name(sheet.name, parts.len() + 1))?;
                    write_headers(&mut ws, &sheet.headers, &header)?;
                    let mut widths: Vec<usize> =
                        sheet.headers.iter().map(|h| display_width(h)).collect();
                    let mut last_row = 0u32;
                    while last_row < rows_per_sheet {
                        let Some(row) = rows.next() else { break };
                        last_row += 1;
                        write_row(&mut ws, last_row, &row, &mut widths, 0)?;
                    }
                    parts.push((ws, widths, last_row));
                    if rows.peek().is_none() {
                        break;
                    }
                }
                parts
            };
            for (mut ws, widths, last_row) in parts {
                let last_col = widths.len().saturating_sub(1) as u16;
                ws.set_freeze_panes(1, 0)?;
                ws.autofilter(0, 0, last_row, last_col)?;
                for (c, w) in widths.iter().enumerate() {
                    ws.set_column_width(c as u16, (*w).min(MAX_WIDTH) as f64 + 2.0)?;
                }
                if sheet.slug.is_empty() && last_row > 0 {
                    colour_status(&mut ws, last_row)?;
                }
                book.push_worksheet(ws);
            }
        }
        book.save_to_buffer()
    }
}

fn failed(e: XlsxError) -> anyhow::Error {
    anyhow::anyhow!("无法生成 Excel 文件：{e}")
}

fn write_headers(ws: &mut Worksheet, headers: &[&str], format: &Format) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, format)?;
    }
    Ok(())
}

/// The figures sheet's columns that are the report's own (agency, year, file).
const REPORT_COLUMNS: usize = 3;

/// Writes one row's cells and widens `widths` to fit those from column `measured` on.
fn write_row(
    ws: &mut Worksheet,
    r: u32,
    cells: &[Value<'_>],
    widths: &mut [usize],
    measured: usize,
) -> Result<(), XlsxError> {
    for (c, value) in cells.iter().enumerate() {
        write_cell(ws, r, c as u16, value)?;
        if c >= measured
            && let Some(w) = widths.get_mut(c)
        {
            *w = (*w).max(width(value));
        }
    }
    Ok(())
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, value: &Value) -> Result<(), XlsxError> {
    match value {
        Value::Text(s) => ws.write_string(row, col, s.as_ref()).map(|_| ()),
        Value::Number(n) => ws.write_number(row, col, *n).map(|_| ()),
        Value::Empty => Ok(()),
    }
}

/// A cell's width in characters, as its text is shown, without building that text for a
/// whole number.
fn width(value: &Value) -> usize {
    match value {
        Value::Text(s) => display_width(s),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
            let mut whole = n.abs() as u64;
            let mut digits = 1;
            while whole >= 10 {
                whole /= 10;
                digits += 1;
            }
            digits + usize::from(*n < 0.0)
        }
        Value::Number(_) => value.shown().len(),
        Value::Empty => 0,
    }
}

/// Red for errors and unreadable reports, amber for warnings, green for clean ones.
fn colour_status(ws: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
    let col = STATUS_COLUMN as u16;
    for (status, colour) in [
        (Status::Errors, "#FFC7CE"),
        (Status::Unreadable(String::new()), "#F4B6C2"),
        (Status::Warnings, "#FFEB9C"),
        (Status::Clean, "#C6EFCE"),
    ] {
        let rule = ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains(
                status.word().to_owned(),
            ))
            .set_format(Format::new().set_background_color(colour));
        ws.add_conditional_format(1, col, last_row, col, &rule)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::review::{CellState, Figure, Table};
    use calamine::{Data, Reader, Xlsx};

    fn report(file: &str, agency: &str, figures: &[(&str, &'static str, Option<f64>)]) -> Row {
        let mut row = Row::unreadable(file.to_owned(), String::new());
        row.status = Status::Clean;
        row.agency = Some(agency.to_owned());
        row.year = Some(2023);
        row.figures = figures
            .iter()
            .map(|(label, column, value)| Figure {
                table: Table::Applications,
                row_id: "本年新收",
                row: (*label).to_owned(),
                column,
                value: *value,
                state: if value.is_some() {
                    CellState::Printed
                } else {
                    CellState::Unread
                },
            })
            .collect();
        row
    }

    fn review() -> Review {
        Review {
            rows: vec![
                Row::unreadable("坏.docx".to_owned(), "无法解压".to_owned()),
                report(
                    "甲.txt",
                    "甲局",
                    &[
                        ("本年新收", "自然人", Some(12.0)),
                        ("本年新收", "总计", None),
                    ],
                ),
                report("乙.txt", "乙局 <&>", &[("上年结转", "总计", Some(3.5))]),
            ],
            findings: Vec::new(),
        }
    }

    #[test]
    fn the_streamed_figures_sheet_holds_the_figures_rows_and_the_same_bytes_come_twice() {
        let review = review();
        let bytes = workbook(&review).expect("writes");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).expect("opens");
        assert_eq!(
            book.sheet_names(),
            ["概览", "问题清单", "数字", "同比", "合计"],
            "the figures sheet keeps its place though it is written first"
        );
        let range = book.worksheet_range(FIGURES_NAME).expect("figures sheet");
        let read: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::String(s) => s.clone(),
                        Data::Float(f) => crate::cli::review::show_number(*f),
                        Data::Empty => String::new(),
                        other => format!("{other:?}"),
                    })
                    .collect()
            })
            .collect();
        let sheets = review.sheets();
        let figures = sheets
            .into_iter()
            .find(|s| s.slug == FIGURES_SLUG)
            .expect("figures");
        let mut expected: Vec<Vec<String>> =
            vec![figures.headers.iter().map(|h| (*h).to_owned()).collect()];
        expected.extend(
            figures
                .rows
                .map(|row| row.iter().map(|v| v.shown().into_owned()).collect()),
        );
        assert_eq!(read, expected);
        assert_eq!(read.len(), 4, "a header and three figures");
        assert_eq!(workbook(&review).expect("writes again"), bytes);
    }

    /// A sheet longer than a worksheet holds goes on in `数字（2）`…, each part with its header,
    /// and no figure is lost (Excel's limit is shrunk to 2 rows here).
    #[test]
    fn a_sheet_longer_than_excel_allows_goes_on_in_numbered_sheets() {
        let mut review = review();
        review.rows.push(report(
            "丙.txt",
            "丙局",
            &[
                ("本年新收", "自然人", Some(1.0)),
                ("本年新收", "总计", Some(2.0)),
            ],
        ));
        let mut writer = Writer::start(2).expect("starts");
        for row in &review.rows {
            writer.add(row).expect("adds");
        }
        let bytes = writer.finish(&review).expect("writes");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
        let names = book.sheet_names();
        assert_eq!(
            names[..7],
            [
                "概览",
                "概览（2）",
                "问题清单",
                "数字",
                "数字（2）",
                "数字（3）",
                "同比"
            ]
        );
        assert!(names.contains(&"合计（2）".to_owned()), "{names:?}");
        for name in &names {
            let height = book.worksheet_range(name).expect("a sheet").height();
            assert!(
                (1..=3).contains(&height),
                "{name}: a header and at most two rows"
            );
        }
        let mut files = Vec::new();
        for name in ["数字", "数字（2）", "数字（3）"] {
            let range = book.worksheet_range(name).expect("a figures sheet");
            let rows: Vec<_> = range.rows().collect();
            assert_eq!(
                rows[0][0],
                Data::String(FIGURE_HEADERS[0].to_owned()),
                "{name}"
            );
            assert!(rows.len() <= 3, "{name}: a header and at most two rows");
            files.extend(rows[1..].iter().map(|r| r[2].to_string()));
        }
        assert_eq!(files, ["甲.txt", "甲.txt", "乙.txt", "丙.txt", "丙.txt"]);
        let overview: usize = ["概览", "概览（2）"]
            .iter()
            .map(|n| book.worksheet_range(n).expect("overview").height() - 1)
            .sum();
        assert_eq!(overview, review.rows.len());
    }

    #[test]
    fn width_matches_the_shown_text() {
        for n in [
            0.0,
            7.0,
            10.0,
            99.0,
            100.0,
            -3.0,
            -120.0,
            1.5,
            123456789.0,
            -0.25,
        ] {
            let value = Value::Number(n);
            assert_eq!(width(&value), value.shown().len(), "{n}");
        }
        assert_eq!(width(&Value::Text("表三ab".into())), 6);
        assert_eq!(width(&Value::Empty), 0);
    }
}
