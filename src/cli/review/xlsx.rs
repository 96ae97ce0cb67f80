//! The review as an Excel workbook (`rust_xlsxwriter`): one worksheet per sheet, the header row
//! frozen and filterable, numbers as numbers, columns wide enough for Chinese, and the
//! overview's status column coloured by a conditional format (so a re-sorted or edited sheet
//! keeps its colours).
//!
//! Speed (issue 21: the review within 1.5× of `lint`): every sheet is written in
//! `rust_xlsxwriter`'s constant-memory mode — each row goes to a temporary file as soon as the
//! next begins, with its strings inline, so the ~10⁵-row figures sheet is never held as a cell
//! table nor interned in a shared-string table — and the zip is deflated at level 1, since
//! compressing the figures sheet's XML was most of the remaining time.

use rust_xlsxwriter::{
    ConditionalFormatText, ConditionalFormatTextRule, DocProperties, ExcelDateTime, Format,
    Workbook, Worksheet, XlsxError,
};

use super::sheets::{STATUS_COLUMN, Value};
use super::{Review, Status, display_width};

/// Widest a column is made (characters of width), so a long message does not push the rest
/// off screen.
const MAX_WIDTH: usize = 60;

/// The deflate level of the zip container: 1, the fastest (the default, 6, took about a third
/// of the whole review's time on the figures sheet for a file ~1.5× smaller).
const ZIP_LEVEL: u8 = 1;

/// The workbook's bytes.
pub fn workbook(review: &Review) -> anyhow::Result<Vec<u8>> {
    build(review).map_err(|e| anyhow::anyhow!("无法生成 Excel 文件：{e}"))
}

fn build(review: &Review) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time: the same reports give the same bytes, as `lint` gives the same
    // output.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    book.set_zip_compression_level(ZIP_LEVEL);
    let header = Format::new().set_bold().set_background_color("#DDE4EE");
    for sheet in review.sheets() {
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet.name)?;
        let mut widths: Vec<usize> = sheet.headers.iter().map(|h| display_width(h)).collect();
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &header)?;
        }
        let mut last_row = 0u32;
        for (r, row) in sheet.rows.enumerate() {
            let r = r as u32 + 1;
            last_row = r;
            for (c, value) in row.iter().enumerate() {
                write_cell(ws, r, c as u16, value)?;
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(width(value));
                }
            }
        }
        let last_col = sheet.headers.len().saturating_sub(1) as u16;
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, last_row, last_col)?;
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w).min(MAX_WIDTH) as f64 + 2.0)?;
        }
        if sheet.slug.is_empty() && last_row > 0 {
            colour_status(ws, last_row)?;
        }
    }
    book.save_to_buffer()
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
