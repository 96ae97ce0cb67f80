//! The report as a Word document (`.docx`) in the style of official documents (GB/T 9704).
//!
//! This module owns the Word package: the page (A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm;
//! 22 lines of 28 characters on a `linesAndChars` document grid), the paragraph styles (title 2号
//! 方正小标宋简体, headings 3号 黑体, sub-headings 3号 楷体_GB2312, body 3号 仿宋_GB2312, tables 五号
//! 宋体), pictures in paragraphs of their own line height (an exact one clips them), the tables
//! with the official merges (`w:gridSpan`, `w:vMerge`) and repeated header rows, page numbers
//! (`— 1 —`, 4号 宋体, outer side), and the 落款 with indents in characters. It prints a
//! [`ReportView`]; the layout decisions (what goes where, which cells merge) are made in
//! [`super`].
//!
//! The XML parts are askama templates under `templates/docx/` (escaped for XML); the package is
//! written with the `zip` crate with fixed timestamps, so the same report gives the same bytes.
//! Everything a reader needs to read the report back is plain: one `w:tbl` per table with one
//! `w:tc` per grid position where Word expects one (`w:vMerge` without a value below a merged
//! cell), each figure as the only text of its cell, each heading and the title a paragraph of
//! its own with the official text.

use std::io::{Cursor, Write};

use askama::Template;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::prose::{BlockKind, flatten};
use super::{Error, ReportView, Slot, TableModel, ems};

/// Twentieths of a point per millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;
/// The text block (版心) is 156 mm wide.
pub const TEXT_WIDTH: u32 = 8844;
/// One character of 3号 (16 pt) body text, in twips.
const BODY_CHAR: u32 = 320;
/// One line of body text: 225 mm / 22 lines, in twips (the template's fixed line spacing).
pub const LINE: u32 = 579;
/// The document grid's character pitch, as Word records it: 1/4096 pt added to the 16 pt of a
/// 3号 character. −849 makes the pitch 15.793 pt, so 28 characters fill the 442.2 pt (156 mm)
/// line and a 29th does not fit; without it Word sets 27 characters of 16 pt plus the
/// remainder as extra spacing.
pub const CHAR_SPACE: i32 = -849;
pub use super::LINE_CHARS;
/// Characters of 2号 (22 pt) title text on one line of the 156 mm text block.
const TITLE_CHARS: f64 = 20.0;

fn mm(v: f64) -> u32 {
    (v * TWIPS_PER_MM).round() as u32
}

/// Page margins in twips: 天头 37 mm, 订口 28 mm, and what a 156 × 225 mm text block leaves of
/// A4 (210 × 297 mm).
pub struct Margins {
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub left: u32,
    /// From the bottom edge to the footer: the page number sits 7 mm under the text block.
    pub footer: u32,
}

/// A4 in twips.
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;

pub fn margins() -> Margins {
    let (top, left) = (mm(37.0), mm(28.0));
    Margins {
        top,
        right: PAGE_WIDTH - left - TEXT_WIDTH,
        bottom: PAGE_HEIGHT - top - mm(225.0),
        left,
        footer: mm(297.0 - 37.0 - 225.0 - 7.0 - 5.0),
    }
}

enum Item {
    Para(Para),
    Table(Table),
    Image(Image),
}

/// A chart as a picture in its own paragraph, with its caption below.
struct Image {
    /// Relationship id (`rIdChart1`) and file under `word/media/`.
    id: String,
    file: String,
    number: usize,
    name: String,
    /// The text equivalent, for screen readers (`descr`).
    description: String,
    caption: String,
    /// Size in EMU (English Metric Units, 36 000 per millimetre).
    cx: u64,
    cy: u64,
}

/// A binary part of the package: its name (`word/media/chart1.png`) and bytes.
type Media = (String, Vec<u8>);

/// Charts are printed 150 mm wide, inside the 156 mm text block.
const CHART_WIDTH_EMU: u64 = 150 * 36_000;

struct Para {
    style: &'static str,
    keep_next: bool,
    /// Twips before the paragraph.
    space_before: u32,
    /// Hundredths of a character from the right margin (the 落款: `w:rightChars`).
    indent_right_chars: Option<u32>,
    runs: Vec<RunView>,
}

struct RunView {
    text: String,
    bold: bool,
    italic: bool,
    break_before: bool,
}

impl Para {
    fn new(style: &'static str, text: &str) -> Para {
        Para {
            style,
            keep_next: false,
            space_before: 0,
            indent_right_chars: None,
            runs: vec![RunView {
                text: xml_text(text),
                bold: false,
                italic: false,
                break_before: false,
            }],
        }
    }
}

struct Table {
    total: u32,
    grid: Vec<u32>,
    style: &'static str,
    rows: Vec<Row>,
}

struct Row {
    header: bool,
    keep_next: bool,
    cells: Vec<Cell>,
}

enum Merge {
    None,
    Restart,
    Continue,
}

struct Cell {
    width: u32,
    span: usize,
    merge: Merge,
    text: String,
    left: bool,
}

#[derive(Template)]
#[template(path = "docx/document.xml")]
struct Document {
    body: Vec<Item>,
    margins: Margins,
}

impl Document {
    /// `w:right` in twips for a `w:rightChars` value, for readers that ignore character units.
    fn char_twips(&self, hundredths: &u32) -> u32 {
        hundredths * BODY_CHAR / 100
    }
}

#[derive(Template)]
#[template(path = "docx/document-rels.xml")]
struct DocumentRels<'a> {
    images: Vec<&'a Image>,
}

#[derive(Template)]
#[template(path = "docx/footer.xml")]
struct Footer {
    /// `right` on odd pages, `left` on even pages: the outer side.
    side: &'static str,
}

#[derive(Template)]
#[template(path = "docx/core.xml")]
struct Core<'a> {
    title: &'a str,
    creator: &'a str,
}

/// Text as XML allows it: characters XML 1.0 forbids (C0 controls other than tab and line
/// breaks, U+FFFE, U+FFFF) are dropped; askama escapes the rest.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            (matches!(c, '\t' | '\n' | '\r') || !c.is_control())
                && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
        })
        .collect()
}

/// Grid column widths in twips, adding up to the text width exactly.
fn grid(model: &TableModel) -> Vec<u32> {
    let mut widths: Vec<u32> = model
        .widths
        .iter()
        .map(|w| (w * f64::from(TEXT_WIDTH)).round() as u32)
        .collect();
    let sum: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last = (*last + TEXT_WIDTH).saturating_sub(sum).max(1);
    }
    widths
}

fn table(model: &TableModel) -> Table {
    let grid = grid(model);
    let slots = model.slots();
    let last = slots.len().saturating_sub(1);
    let rows = slots
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let has_figures = model
                .rows
                .get(r)
                .is_some_and(|row| row.iter().any(|c| !c.label));
            let mut cells = Vec::new();
            let mut c = 0;
            while c < row.len() {
                let (cell, merge) = match row[c] {
                    Slot::Origin(cell) => (
                        Some(cell),
                        if cell.rowspan > 1 {
                            Merge::Restart
                        } else {
                            Merge::None
                        },
                    ),
                    Slot::Below {
                        cell,
                        first_column: true,
                    } => (Some(cell), Merge::Continue),
                    // Right of an origin is skipped below; an uncovered position is an empty cell.
                    _ => (None, Merge::None),
                };
                let span = cell.map_or(1, |cell| cell.colspan).max(1);
                let end = (c + span).min(row.len());
                let continuing = matches!(merge, Merge::Continue);
                cells.push(Cell {
                    width: grid[c..end].iter().sum(),
                    span: end - c,
                    text: match (cell, continuing) {
                        (Some(cell), false) => xml_text(&flatten(&cell.text)),
                        _ => String::new(),
                    },
                    left: !continuing && cell.is_some_and(|cell| model.is_row_label(r, cell)),
                    merge,
                });
                c = end;
            }
            Row {
                header: r < model.header_rows,
                // Header rows (and table 二's block titles) stay with the first row they head;
                // the last row never stands alone.
                keep_next: r < model.header_rows || !has_figures || (r + 1 == last && last > 0),
                cells,
            }
        })
        .collect();
    Table {
        total: TEXT_WIDTH,
        grid,
        style: "TableText",
        rows,
    }
}

/// The document body (title, intro, sections with prose and tables, charts, 落款) and the
/// pictures it embeds.
fn body(view: &ReportView) -> Result<(Vec<Item>, Vec<Media>), Error> {
    let mut media = Vec::new();
    let mut title = Para::new("Title", &view.title);
    // A title too long for one line breaks after the agency, where the sense allows it.
    let (agency, rest) = view.title_parts();
    if ems(&view.title) > TITLE_CHARS && !agency.is_empty() {
        title.runs = vec![
            RunView {
                text: xml_text(agency),
                bold: false,
                italic: false,
                break_before: false,
            },
            RunView {
                text: xml_text(rest),
                bold: false,
                italic: false,
                break_before: true,
            },
        ];
    }
    let mut body = vec![
        Item::Para(title),
        Item::Para(Para::new("Normal", &view.intro)),
    ];
    for (index, section) in view.sections.iter().enumerate() {
        let mut heading = Para::new("Heading1", &section.heading);
        heading.keep_next = true;
        body.push(Item::Para(heading));
        for block in section.prose.blocks() {
            let style = match block.kind {
                BlockKind::SubHeading => "Heading2",
                BlockKind::Body | BlockKind::ListItem => "Normal",
            };
            let mut runs = Vec::new();
            for run in &block.runs {
                for (i, line) in run.text.split('\n').enumerate() {
                    runs.push(RunView {
                        text: xml_text(line),
                        bold: run.bold,
                        italic: run.italic,
                        break_before: i > 0,
                    });
                }
            }
            body.push(Item::Para(Para {
                style,
                keep_next: block.kind == BlockKind::SubHeading,
                space_before: 0,
                indent_right_chars: None,
                runs,
            }));
        }
        if let Some(model) = &section.table {
            body.push(Item::Table(table(model)));
        }
        // Charts follow table 三, as in the HTML page.
        if index == super::CHARTS_AFTER_SECTION && !view.charts.is_empty() {
            let rasteriser = super::charts::Rasteriser::new();
            for (i, chart) in view.charts.iter().enumerate() {
                let (png, width, height) = rasteriser.png(chart)?;
                let number = i + 1;
                let file = format!("chart{number}.png");
                media.push((format!("word/media/{file}"), png));
                body.push(Item::Image(Image {
                    id: format!("rIdChart{number}"),
                    file,
                    number,
                    name: format!("图{number}"),
                    description: xml_text(&chart.text()),
                    caption: xml_text(&chart.title),
                    cx: CHART_WIDTH_EMU,
                    cy: CHART_WIDTH_EMU * u64::from(height) / u64::from(width.max(1)),
                }));
            }
        }
    }
    // The last line of text goes with the 落款 rather than leave it alone on a page.
    if let Some(Item::Para(last)) = body.last_mut() {
        last.keep_next = true;
    }
    let agency = &view.signature.agency;
    let date = view.signature.date.as_deref();
    let (name_in, date_in) = view.signature.indents();
    let mut signature = Para::new("Signature", agency);
    signature.space_before = LINE;
    signature.indent_right_chars = Some(hundredths(name_in));
    signature.keep_next = date.is_some();
    body.push(Item::Para(signature));
    if let (Some(date), Some(date_in)) = (date, date_in) {
        let mut dated = Para::new("Signature", date);
        dated.indent_right_chars = Some(hundredths(date_in));
        body.push(Item::Para(dated));
    }
    Ok((body, media))
}

/// Characters as Word's hundredths of a character.
fn hundredths(chars: f64) -> u32 {
    (chars * 100.0).round().max(0.0) as u32
}

/// The `.docx` package.
pub fn write(view: &ReportView) -> Result<Vec<u8>, Error> {
    let (body, media) = body(view)?;
    let images: Vec<&Image> = body
        .iter()
        .filter_map(|item| match item {
            Item::Image(image) => Some(image),
            _ => None,
        })
        .collect();
    let rels = DocumentRels { images }.render()?;
    let document = Document {
        body,
        margins: margins(),
    }
    .render()?;
    let core = Core {
        title: &xml_text(&view.title),
        creator: &xml_text(&view.signature.agency),
    }
    .render()?;
    // What this file is, recorded so a later render can tell whether it was edited since.
    let custom = super::fingerprint::custom_part(&super::fingerprint::of(document.as_bytes()));
    let parts: [(&str, String); 12] = [
        (
            "[Content_Types].xml",
            include_str!("../../templates/docx/content-types.xml").to_owned(),
        ),
        (
            "_rels/.rels",
            include_str!("../../templates/docx/package-rels.xml").to_owned(),
        ),
        ("docProps/core.xml", core),
        (
            "docProps/app.xml",
            include_str!("../../templates/docx/app.xml").to_owned(),
        ),
        ("docProps/custom.xml", custom),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", rels),
        (
            "word/styles.xml",
            include_str!("../../templates/docx/styles.xml").to_owned(),
        ),
        (
            "word/settings.xml",
            include_str!("../../templates/docx/settings.xml").to_owned(),
        ),
        (
            "word/fontTable.xml",
            include_str!("../../templates/docx/font-table.xml").to_owned(),
        ),
        ("word/footer1.xml", Footer { side: "right" }.render()?),
        ("word/footer2.xml", Footer { side: "left" }.render()?),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT);
    for (name, content) in parts {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    for (name, content) in media {
        zip.start_file(name, options)?;
        zip.write_all(&content)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_follow_gb_t_9704() {
        let m = margins();
        assert_eq!(m.top, 2098);
        assert_eq!(m.left, 1587);
        // 版心 156 × 225 mm on A4 (11906 × 16838 twips).
        assert_eq!(PAGE_WIDTH - m.left - m.right, TEXT_WIDTH);
        assert_eq!(PAGE_HEIGHT - m.top - m.bottom, mm(225.0));
        assert_eq!(TEXT_WIDTH, mm(156.0));
    }

    use crate::render::signature_indents;

    #[test]
    fn the_signature_follows_gb_t_9704_without_a_seal() {
        // A name longer than the date: name two in, date starting two to the right of it.
        let (name, date) = signature_indents(12.0, Some(6.5));
        assert_eq!((name, date), (2.0, Some(5.5)));
        assert_eq!(
            LINE_CHARS - name - 12.0 + 2.0,
            LINE_CHARS - date.unwrap_or(0.0) - 6.5
        );
        // A date longer than the name (after the shift): date two in, the name moves right.
        let (name, date) = signature_indents(7.0, Some(6.5));
        assert_eq!((name, date), (3.5, Some(2.0)));
        assert_eq!(LINE_CHARS - name - 7.0 + 2.0, LINE_CHARS - 2.0 - 6.5);
        // No date, and a name that wraps.
        assert_eq!(signature_indents(7.0, None), (2.0, None));
        assert_eq!(signature_indents(31.0, Some(6.5)), (2.0, Some(2.0)));
    }

    #[test]
    fn twenty_eight_characters_fit_a_line_and_a_twenty_ninth_does_not() {
        let pitch = 16.0 + f64::from(CHAR_SPACE) / 4096.0;
        let width = f64::from(TEXT_WIDTH) / 20.0;
        assert_eq!((width / pitch).floor(), LINE_CHARS);
        // 22 lines in the 225 mm text block.
        assert_eq!(mm(225.0) / LINE, 22);
    }

    #[test]
    fn forbidden_xml_characters_are_dropped() {
        assert_eq!(xml_text("青\u{1}山\u{FFFF}区\t"), "青山区\t");
    }
}
