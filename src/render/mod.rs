//! [`Report`] → the report in the official layout: Markdown, a print-ready HTML page, or a Word
//! document.
//!
//! This module owns the layout: the title, the opening paragraph, the order of the six sections,
//! the 落款 (agency and date) at the end, and each table as a [`TableModel`] of cells with the
//! row/column spans of the official template and the column widths every output uses. The askama
//! templates under `templates/` and the Word writer in [`docx`] only print a model; they make no
//! decisions. Text from the data file reaches an output only through [`prose`], which decides
//! what it may do. Rendering is deterministic: the same report always gives the same bytes.

pub mod charts;
pub mod docx;
pub mod fingerprint;
pub mod prose;

use std::path::Path;

use askama::Template;

use crate::edition::{Edition, GridTable};
use crate::report::{Grid, Report};

use prose::Prose;

/// Charts go after this section's table: 三、收到和处理政府信息公开申请情况 (index from 0).
pub const CHARTS_AFTER_SECTION: usize = 2;

/// Output formats of `nianbao render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    /// Word (Office Open XML), in the style of official documents (GB/T 9704).
    Docx,
}

impl Format {
    /// The format's name, as `--to` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }

    /// The format an output file's extension asks for: `.md`/`.markdown`, `.html`/`.htm`,
    /// `.docx` (case ignored). `None` for any other extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    /// Whether the output is bytes that must not go to a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Docx
    }
}

/// A rendered report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Text(String),
    Binary(Vec<u8>),
}

impl Output {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Output::Text(t) => t.as_bytes(),
            Output::Binary(b) => b,
        }
    }

    pub fn into_text(self) -> Option<String> {
        match self {
            Output::Text(t) => Some(t),
            Output::Binary(_) => None,
        }
    }
}

/// What to add to the report beyond the official content.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Charts made from the tables (`render --charts`).
    pub charts: bool,
    /// Last year's report, for the year-over-year chart.
    pub previous: Option<&'a Report>,
    /// HTML only: the article body alone, every style it needs inline, to paste into a site's
    /// editor (`render --to html --fragment`).
    pub fragment: bool,
}

/// Why a report could not be rendered. Every variant is a bug or an I/O failure inside the
/// program, never a property of the data (a loaded report always renders).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("模板出错：{0}")]
    Template(#[from] askama::Error),
    #[error("无法生成 Word 文件：{0}")]
    Package(#[from] zip::result::ZipError),
    #[error("无法生成 Word 文件：{0}")]
    Io(#[from] std::io::Error),
    #[error("无法生成图表：{0}")]
    Chart(String),
    #[error("{0:?} 是二进制格式，请用 render::render_document")]
    NotText(Format),
}

/// One cell of a rendered table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
    /// A label (header or row label) rather than a figure.
    pub label: bool,
}

impl ModelCell {
    fn label(text: impl Into<String>) -> Self {
        ModelCell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            label: true,
        }
    }
    fn value(text: impl Into<String>) -> Self {
        ModelCell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            label: false,
        }
    }
    fn span(mut self, colspan: usize, rowspan: usize) -> Self {
        self.colspan = colspan;
        self.rowspan = rowspan;
        self
    }
}

/// A table as rows of cells; cells covered by a span above or to the left are not listed.
#[derive(Debug, Clone, PartialEq)]
pub struct TableModel {
    pub width: usize,
    /// How many leading rows are header rows (repeated on every printed page).
    pub header_rows: usize,
    pub rows: Vec<Vec<ModelCell>>,
    /// Each grid column's share of the text width (they add up to 1), as in the official
    /// template: equal columns for tables 二 and 四; for table 三 label columns of about half
    /// the width (the innermost alone a third) and seven equal figure columns.
    pub widths: Vec<f64>,
}

/// What occupies one position of a table's grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot<'a> {
    /// The top-left position of a cell.
    Origin(&'a ModelCell),
    /// A position under a cell that starts in an earlier row: `first_column` is true at the
    /// cell's leftmost column (where Word expects a `w:vMerge` continuation cell).
    Below {
        cell: &'a ModelCell,
        first_column: bool,
    },
    /// A position to the right of a cell's origin in the same row.
    Right,
    /// Not covered by any cell (a model that does not fill its width).
    Empty,
}

/// The width reckoned for one digit of a figure, in ems: the widest common serif fallback's
/// (DejaVu Serif, 0.636 em), rounded up. See [`TableModel::min_width_em`].
const DIGIT_EM: f64 = 0.65;

impl TableModel {
    /// Every grid position, row by row: which cell starts or continues there.
    pub fn slots(&self) -> Vec<Vec<Slot<'_>>> {
        let mut grid: Vec<Vec<Slot<'_>>> = vec![vec![Slot::Empty; self.width]; self.rows.len()];
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for cell in row {
                while c < self.width && grid[r][c] != Slot::Empty {
                    c += 1;
                }
                for dr in 0..cell.rowspan {
                    for dc in 0..cell.colspan {
                        if let Some(slot) = grid.get_mut(r + dr).and_then(|g| g.get_mut(c + dc)) {
                            *slot = match (dr, dc) {
                                (0, 0) => Slot::Origin(cell),
                                (0, _) => Slot::Right,
                                (_, dc) => Slot::Below {
                                    cell,
                                    first_column: dc == 0,
                                },
                            };
                        }
                    }
                }
                c += cell.colspan;
            }
        }
        grid
    }

    /// Whether a cell of row `r` is a row label (printed left-aligned): a one-row label in a
    /// body row that also holds figures. Headers, block titles and merged group labels are
    /// centred.
    pub fn is_row_label(&self, r: usize, cell: &ModelCell) -> bool {
        cell.label
            && cell.rowspan == 1
            && r >= self.header_rows
            && self
                .rows
                .get(r)
                .is_some_and(|row| row.iter().any(|c| !c.label))
    }

    /// The narrowest the table may be, in ems of its text, so that no figure wraps inside its
    /// cell: every column's share of the width must hold its longest figure (plus padding and
    /// border) and every label column one character. A narrower screen scrolls the table
    /// sideways instead of squeezing it. A digit is reckoned at `DIGIT_EM`: the faces the
    /// tables name (宋体, SimSun, Songti SC) have half-em digits, but where none is installed the
    /// browser's `serif` stands in, and on Linux that is often DejaVu Serif, whose digits are
    /// 0.636 em wide (headless Chromium on Debian: five-digit figures overflowed at half an em).
    pub fn min_width_em(&self) -> f64 {
        let mut need = vec![1.5_f64; self.width];
        for row in self.slots() {
            for (c, slot) in row.iter().enumerate() {
                if let Slot::Origin(cell) = slot
                    && !cell.label
                    && cell.colspan == 1
                {
                    let digits = cell.text.chars().count() as f64;
                    need[c] = need[c].max(digits * DIGIT_EM + 0.5);
                }
            }
        }
        need.iter()
            .zip(&self.widths)
            .map(|(n, share)| n / share.max(0.01))
            .fold(0.0, f64::max)
            .ceil()
    }

    /// The `scope` of a label cell of row `r`: `col`/`colgroup` in the header rows and for
    /// table 二's title and header rows, `row` for row labels.
    pub fn scope(&self, r: usize, cell: &ModelCell) -> &'static str {
        let header_like = r < self.header_rows
            || self
                .rows
                .get(r)
                .is_some_and(|row| row.iter().all(|c| c.label));
        match (header_like, cell.colspan > 1) {
            (true, true) => "colgroup",
            (true, false) => "col",
            (false, _) => "row",
        }
    }

    /// The table as a rectangle of texts, covered positions empty (for Markdown pipes).
    pub fn rectangle(&self) -> Vec<Vec<String>> {
        self.slots()
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|slot| match slot {
                        Slot::Origin(cell) => cell.text.clone(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect()
    }
}

/// Table 三's column widths in the official template (国办公开办函〔2021〕30号 附件, `w:gridCol`
/// in twips): two outer label columns, the innermost label column, and each figure column, of
/// a 9748-twip table. Only the proportions are used.
const TEMPLATE_TABLE_THREE: (f64, [f64; 2], f64) = (9748.0, [754.0, 921.0], 685.0);

/// Table 二: block title rows, header rows, data rows. As in the official template, a block
/// with fewer columns than the widest one gives its last column the remaining width, so a single
/// figure spans its block instead of sitting beside empty boxes.
pub fn active_table(report: &Report) -> TableModel {
    let table = &report.edition.active;
    let width = 1 + table
        .blocks
        .iter()
        .map(|b| b.columns.len())
        .max()
        .unwrap_or(1);
    let mut rows = Vec::new();
    for (b, block) in table.blocks.iter().enumerate() {
        rows.push(vec![ModelCell::label(&block.title).span(width, 1)]);
        let n = block.columns.len();
        let last_span = width.saturating_sub(n).max(1);
        let span_of = |c: usize| if c + 1 == n { last_span } else { 1 };
        let mut header = vec![ModelCell::label("信息内容")];
        header.extend(
            block
                .columns
                .iter()
                .enumerate()
                .map(|(c, col)| ModelCell::label(col.label()).span(span_of(c), 1)),
        );
        rows.push(header);
        for (r, name) in block.rows.iter().enumerate() {
            let mut row = vec![ModelCell::label(name)];
            for c in 0..n {
                let value = report
                    .active
                    .get(b)
                    .and_then(|v| v.get(r))
                    .and_then(|v| v.get(c))
                    .copied()
                    .flatten();
                row.push(
                    ModelCell::value(value.map_or_else(String::new, |n| n.to_string()))
                        .span(span_of(c), 1),
                );
            }
            rows.push(row);
        }
    }
    TableModel {
        width,
        header_rows: 0,
        rows,
        widths: vec![1.0 / width as f64; width],
    }
}

/// Label column shares for table 三 as in the official template: the outer group columns
/// narrow (754 and 921 of 9748), the innermost takes what the figure columns leave (3271 of
/// 9748 in the template, about a third).
fn label_widths(depth: usize, share: f64) -> Vec<f64> {
    let (total, outer, _) = TEMPLATE_TABLE_THREE;
    let mut widths: Vec<f64> = (0..depth.saturating_sub(1))
        .map(|i| outer.get(i).copied().unwrap_or(outer[1]) / total)
        .collect();
    let used: f64 = widths.iter().sum();
    widths.push((share - used).max(0.05));
    widths
}

/// Table 三: corner and three header rows, then label cells merged as in the official template.
pub fn applications_table(def: &GridTable, grid: &Grid) -> TableModel {
    let depth = 1 + def.rows.iter().map(|r| r.level as usize).max().unwrap_or(0);
    let width = depth + def.width();
    let n = def.columns.len();
    let mut rows = Vec::new();
    let corner = def.corner.clone().unwrap_or_default();
    rows.push(vec![
        ModelCell::label(corner).span(depth, 3),
        ModelCell::label(def.over.clone().unwrap_or_default()).span(def.width(), 1),
    ]);
    let mut second = Vec::new();
    let mut third = Vec::new();
    let group = def.column_group.as_ref();
    let mut c = 0;
    while c < n {
        match group.filter(|g| g.first == c) {
            Some(g) => {
                second.push(ModelCell::label(&g.label).span(g.last - g.first + 1, 1));
                for col in &def.columns[g.first..=g.last.min(n - 1)] {
                    third.push(ModelCell::label(col));
                }
                c = g.last + 1;
            }
            None => {
                second.push(ModelCell::label(&def.columns[c]).span(1, 2));
                c += 1;
            }
        }
    }
    second.push(ModelCell::label(&def.total).span(1, 2));
    rows.push(second);
    rows.push(third);
    let values: Vec<(&str, Vec<i64>)> = grid.complete_rows(def).collect();
    for (index, row) in def.rows.iter().enumerate() {
        let Some(id) = row.id.as_deref() else {
            continue;
        };
        let mut cells = Vec::new();
        // Group labels that start here span the data rows beneath them.
        let mut start = index;
        while start > 0
            && def.rows[start - 1].group.is_some()
            && def.rows[start - 1].level < def.rows[start].level.max(1)
        {
            start -= 1;
        }
        for g in &def.rows[start..index] {
            let span = def.rows[index..]
                .iter()
                .take_while(|r| r.level > g.level)
                .filter(|r| r.id.is_some())
                .count();
            cells.push(ModelCell::label(&g.label).span(1, span.max(1)));
        }
        let colspan = depth - row.level as usize;
        cells.push(ModelCell::label(&row.label).span(colspan.max(1), 1));
        if let Some((_, v)) = values.iter().find(|(rid, _)| *rid == id) {
            cells.extend(v.iter().map(|x| ModelCell::value(x.to_string())));
        }
        rows.push(cells);
    }
    let (total, _, figure) = TEMPLATE_TABLE_THREE;
    let figure = figure / total;
    let label_share = 1.0 - figure * def.width() as f64;
    let mut widths = label_widths(depth, label_share);
    widths.extend(std::iter::repeat_n(figure, def.width()));
    TableModel {
        width,
        header_rows: 3,
        rows,
        widths,
    }
}

/// Table 四: a three-level header and one row of figures.
pub fn appeals_table(def: &GridTable, grid: &Grid) -> TableModel {
    let per = def.width();
    let width = per * def.data_rows().count();
    let mut top = Vec::new();
    let mut middle = Vec::new();
    let mut bottom = Vec::new();
    let mut figures = Vec::new();
    let data: Vec<_> = def.data_rows().collect();
    let mut i = 0;
    while i < data.len() {
        let (_, row) = data[i];
        match &row.parent {
            None => {
                top.push(ModelCell::label(&row.label).span(per, 1));
                middle.extend(def.column_labels().map(|l| ModelCell::label(l).span(1, 2)));
                i += 1;
            }
            Some(parent) => {
                let members = data[i..]
                    .iter()
                    .take_while(|(_, r)| r.parent.as_ref() == Some(parent))
                    .count();
                top.push(ModelCell::label(parent).span(per * members, 1));
                for (_, member) in &data[i..i + members] {
                    middle.push(ModelCell::label(&member.label).span(per, 1));
                    bottom.extend(def.column_labels().map(ModelCell::label));
                }
                i += members;
            }
        }
    }
    for (id, values) in grid.complete_rows(def) {
        let _ = id;
        figures.extend(values.iter().map(|v| ModelCell::value(v.to_string())));
    }
    TableModel {
        width,
        header_rows: 3,
        rows: vec![top, middle, bottom, figures],
        widths: vec![1.0 / width as f64; width],
    }
}

/// A section as the outputs see it.
pub struct SectionView {
    /// `一、总体情况`.
    pub heading: String,
    /// The prose after the policy of [`prose`].
    pub prose: Prose,
    pub table: Option<TableModel>,
    /// The table's caption, for screen readers: `表二　主动公开政府信息情况统计表` (not the bare
    /// title, which a reader of the page would take for the section heading again).
    pub caption: String,
}

/// The 落款: the agency, then the date (from 发布日期), right-aligned at the end.
pub struct Signature {
    pub agency: String,
    /// `2024年1月20日`; `None` when the data file gives no 发布日期.
    pub date: Option<String>,
}

/// Characters per line of body text (3号 in the 156 mm text block).
pub const LINE_CHARS: f64 = 28.0;

/// Width of a line of body text in characters: CJK one, ASCII half.
pub fn ems(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

impl Signature {
    /// The right indents of the agency and the date, in characters ([`signature_indents`]).
    pub fn indents(&self) -> (f64, Option<f64>) {
        signature_indents(ems(&self.agency), self.date.as_deref().map(ems))
    }
}

/// The 落款 of a document without a seal, GB/T 9704-2012 §7.3.5.2: the agency right-aligned two
/// characters in from the right; the date on the next line, its first character two characters
/// right of the agency's first character — unless the date is the longer, when the date goes two
/// characters in from the right and the agency moves right to keep the two-character offset.
/// Returns the right indents of the agency and the date, in characters. A name too long for one
/// line (it wraps) keeps two characters and the date goes two characters in too.
pub fn signature_indents(name: f64, date: Option<f64>) -> (f64, Option<f64>) {
    let Some(date) = date else {
        return (2.0, None);
    };
    if name > LINE_CHARS - 2.0 {
        return (2.0, Some(2.0));
    }
    // The date starts at the name's start + 2: its right indent is 2 + name − 2 − date.
    let date_in = name - date;
    if date_in >= 2.0 {
        (2.0, Some(date_in))
    } else {
        (2.0 + 2.0 - date_in, Some(2.0))
    }
}

/// The whole report as the outputs see it. Single-line fields are flattened (no line breaks)
/// but not escaped: each output escapes for itself.
pub struct ReportView {
    pub title: String,
    pub intro: String,
    pub sections: Vec<SectionView>,
    pub signature: Signature,
    pub charts: Vec<charts::Chart>,
}

impl ReportView {
    /// The title as the agency and the rest (`青山区人民政府`, `2023年政府信息公开工作年度报告`):
    /// where a title too long for one line breaks. The agency is empty when the title does not
    /// start with it.
    pub fn title_parts(&self) -> (&str, &str) {
        let agency = self.signature.agency.as_str();
        match self.title.strip_prefix(agency) {
            Some(rest) if !agency.is_empty() => (agency, rest),
            _ => ("", self.title.as_str()),
        }
    }
}

/// The opening paragraph: legal basis, the six parts, the statistics period.
fn intro(edition: &Edition, agency: &str, year: i32) -> String {
    let parts: Vec<&str> = edition.sections.iter().map(|s| s.title.as_str()).collect();
    format!(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》（{basis}）要求，由{agency}编制。全文包括{parts}等六部分内容。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        basis = edition.basis,
        parts = parts.join("、"),
    )
}

/// The title as one line: `青山区人民政府2023年政府信息公开工作年度报告`.
pub fn title(report: &Report) -> String {
    format!(
        "{}{}年政府信息公开工作年度报告",
        prose::flatten(&report.agency),
        report.year
    )
}

/// 发布日期 as an official document dates itself: `2024-01-20` → `2024年1月20日`. A date that
/// does not read as one is printed as written (the loader has warned about it).
pub fn chinese_date(date: &str) -> String {
    let parts: Vec<Option<u32>> = date.trim().split('-').map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [Some(y), Some(m), Some(d)] if (1..=12).contains(m) && (1..=31).contains(d) => {
            format!("{y}年{m}月{d}日")
        }
        _ => prose::flatten(date),
    }
}

pub fn view(report: &Report, options: &Options) -> ReportView {
    let edition = report.edition;
    let agency = prose::flatten(&report.agency);
    let sections = edition
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let markdown = report.prose.get(i).cloned().flatten().unwrap_or_default();
            let table = match i {
                1 => Some(active_table(report)),
                2 => Some(applications_table(
                    &edition.applications,
                    &report.applications,
                )),
                3 => Some(appeals_table(&edition.appeals, &report.appeals)),
                _ => None,
            };
            SectionView {
                heading: s.heading(),
                prose: Prose::parse(&markdown),
                table,
                caption: format!(
                    "表{}　{}统计表",
                    s.heading().split('、').next().unwrap_or_default(),
                    s.title
                ),
            }
        })
        .collect();
    ReportView {
        title: title(report),
        intro: intro(edition, &agency, report.year),
        sections,
        signature: Signature {
            agency,
            date: report.published.as_deref().map(chinese_date),
        },
        charts: if options.charts {
            charts::charts(report, options.previous)
        } else {
            Vec::new()
        },
    }
}

/// Markdown fields, each escaped by [`prose::inline_markdown`] or produced by the prose policy.
#[derive(Template)]
#[template(path = "report.md", escape = "none")]
struct MarkdownPage {
    title: String,
    intro: String,
    sections: Vec<MarkdownSection>,
    agency: String,
    date: Option<String>,
}

struct MarkdownSection {
    heading: String,
    prose: String,
    table: Option<Vec<Vec<String>>>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct HtmlPage<'a> {
    view: &'a ReportView,
    /// Prose and chart SVG, already safe: produced by the prose policy and the chart module.
    prose: Vec<String>,
    charts: Vec<String>,
    /// The article body only, styles inline ([`Options::fragment`]).
    fragment: bool,
}

/// Body text: 3号 仿宋.
const FANGSONG: &str = "'仿宋_GB2312','FangSong_GB2312','仿宋','FangSong','STFangsong',serif";
const HEITI: &str = "'黑体','SimHei','Heiti SC',sans-serif";
const KAITI: &str = "'楷体_GB2312','KaiTi_GB2312','楷体','KaiTi','STKaiti',serif";
const SONGTI: &str = "'宋体','SimSun','Songti SC',serif";
const TITLE_FONT: &str = "'方正小标宋简体','FZXiaoBiaoSong-B05S','小标宋','方正小标宋_GBK','STSong','SimSun','宋体',serif";

/// The inline style of each element of a fragment: what the page's stylesheet says, for a
/// site editor that keeps `style` attributes and drops `<style>`.
fn inline_style(element: &str) -> String {
    let cell = "border:1px solid #000;padding:0.2em 0.15em;text-align:center;vertical-align:middle;font-weight:normal";
    match element {
        "article" => format!(
            "font-family:{FANGSONG};font-size:16pt;line-height:28.9pt;color:#000;background:#fff;max-width:156mm;margin:0 auto"
        ),
        "h1" => format!(
            "font-family:{TITLE_FONT};font-size:22pt;font-weight:normal;text-align:center;line-height:1.45;margin:0 0 28.9pt"
        ),
        "title-part" => "display:inline-block".to_owned(),
        "h2" => format!(
            "font-family:{HEITI};font-size:16pt;font-weight:normal;text-indent:2em;margin:0;page-break-after:avoid;break-after:avoid"
        ),
        "h3" => format!(
            "font-family:{KAITI};font-size:16pt;font-weight:normal;text-indent:2em;margin:0;page-break-after:avoid;break-after:avoid"
        ),
        "p" => "text-indent:2em;margin:0;text-align:justify".to_owned(),
        "list" => "margin:0;padding-left:4em".to_owned(),
        "scroll" => "overflow-x:auto;-webkit-overflow-scrolling:touch;margin:0.5em 0 1em".to_owned(),
        "table" => format!(
            ";border-collapse:collapse;width:100%;table-layout:fixed;margin:0;font-family:{SONGTI};font-size:10.5pt;line-height:1.35;border:1px solid #000"
        ),
        "caption" => "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap".to_owned(),
        "tr" => "page-break-inside:avoid;break-inside:avoid".to_owned(),
        "th" => cell.to_owned(),
        "th-row" => format!("{cell};text-align:left"),
        "td" => format!("{cell};white-space:nowrap"),
        "signature" => "margin-top:28.9pt;page-break-inside:avoid;break-inside:avoid".to_owned(),
        "signature-p" => ";text-indent:0;text-align:right;margin:0".to_owned(),
        _ => String::new(),
    }
}

impl HtmlPage<'_> {
    /// ` style="…"` for an element of a fragment; nothing on the full page, whose stylesheet
    /// does it.
    fn css(&self, element: &str) -> String {
        if self.fragment {
            format!(" style=\"{}\"", inline_style(element))
        } else {
            String::new()
        }
    }

    /// The table's styles after its `min-width` (fragment only).
    fn table_css(&self) -> String {
        if self.fragment {
            inline_style("table")
        } else {
            String::new()
        }
    }

    /// The 落款 paragraphs' styles after their indent (fragment only).
    fn signature_css(&self) -> String {
        if self.fragment {
            inline_style("signature-p")
        } else {
            String::new()
        }
    }

    /// `width:12.5%` for a `<col>`.
    fn col_width(&self, share: &f64) -> String {
        format!("{:.2}%", share * 100.0)
    }

    /// Whether a row holds labels only (a block title or header row inside the body).
    fn labels_only(&self, row: &[ModelCell]) -> bool {
        row.iter().all(|c| c.label)
    }

    /// Whether a row starts a cell that spans rows below it.
    fn starts_merge(&self, row: &[ModelCell]) -> bool {
        row.iter().any(|c| c.rowspan > 1)
    }
}

/// A cell's text for a Markdown pipe table: pipes escaped, line breaks flattened.
fn pipe_cell(text: &str) -> String {
    prose::flatten(text).replace('|', "\\|")
}

fn markdown(view: &ReportView) -> Result<String, Error> {
    let esc = |t: &str| prose::inline_markdown(t);
    let agency = esc(&view.signature.agency);
    let page = MarkdownPage {
        title: esc(&view.title),
        intro: esc(&view.intro),
        sections: view
            .sections
            .iter()
            .map(|s| MarkdownSection {
                heading: esc(&s.heading),
                prose: s.prose.to_markdown(),
                table: s.table.as_ref().map(|t| {
                    t.rectangle()
                        .into_iter()
                        .map(|row| row.iter().map(|c| pipe_cell(c)).collect())
                        .collect()
                }),
            })
            .collect(),
        agency,
        date: view.signature.date.as_deref().map(esc),
    };
    Ok(page.render()?)
}

/// Prose HTML with the fragment's inline styles on the tags the prose policy writes. User text
/// is escaped, so these tag strings only occur as the renderer's own tags.
fn styled_prose(html: &str) -> String {
    let attr = |e: &str| format!(" style=\"{}\"", inline_style(e));
    html.replace("<p>", &format!("<p{}>", attr("p")))
        .replace(
            "<h3 class=\"sub-heading\">",
            &format!("<h3 class=\"sub-heading\"{}>", attr("h3")),
        )
        .replace("<ul>", &format!("<ul{}>", attr("list")))
        .replace("<ol>", &format!("<ol{}>", attr("list")))
        .replace("<ol start=", &format!("<ol{} start=", attr("list")))
}

fn html(view: &ReportView, fragment: bool) -> Result<String, Error> {
    let charts = view
        .charts
        .iter()
        .map(charts::Chart::svg)
        .collect::<Result<Vec<_>, _>>()?;
    let prose = view.sections.iter().map(|s| s.prose.to_html());
    Ok(HtmlPage {
        view,
        prose: if fragment {
            prose.map(|p| styled_prose(&p)).collect()
        } else {
            prose.collect()
        },
        charts,
        fragment,
    }
    .render()?)
}

/// What a rendered report will lack that its publisher should know before it goes out, in
/// Chinese, one sentence each: the 落款 without a date (no 发布日期), chart text no font can
/// draw. Rendering goes ahead; the command line prints these as warnings.
pub fn warnings(report: &Report, format: Format, options: &Options) -> Vec<String> {
    let mut out = Vec::new();
    if report
        .published
        .as_deref()
        .is_none_or(|d| d.trim().is_empty())
    {
        out.push(
            "数据文件没有“发布日期”，落款将只有机关名称、没有成文日期；请在数据文件中填写“发布日期: YYYY-MM-DD”"
                .to_owned(),
        );
    }
    if options.charts && format == Format::Docx {
        let view = view(report, options);
        out.extend(charts::Rasteriser::new().missing_text(&view.charts));
    }
    out
}

/// Renders a report in any format with options (charts).
pub fn render_document(
    report: &Report,
    format: Format,
    options: &Options,
) -> Result<Output, Error> {
    let view = view(report, options);
    Ok(match format {
        Format::Markdown => Output::Text(markdown(&view)?),
        Format::Html => Output::Text(html(&view, options.fragment)?),
        Format::Docx => Output::Binary(docx::write(&view)?),
    })
}

/// Renders a report as text (Markdown or HTML) without options. [`Format::Docx`] is bytes:
/// use [`render_document`].
pub fn render(report: &Report, format: Format) -> Result<String, Error> {
    if format.is_binary() {
        return Err(Error::NotText(format));
    }
    render_document(report, format, &Options::default())?
        .into_text()
        .ok_or(Error::NotText(format))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;

    fn report(text: &str) -> Report {
        let loaded = data::load(text);
        assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
        loaded.report.expect("report")
    }

    #[test]
    fn table_three_label_cells_merge_like_the_official_template() {
        let r = report(include_str!("../../examples/qingshan-2023.yaml"));
        let model = applications_table(&r.edition.applications, &r.applications);
        assert_eq!(model.width, 10);
        // 三、本年度办理结果 spans all 22 result rows incl. （七）总计.
        let results = model
            .rows
            .iter()
            .flatten()
            .find(|c| c.text == "三、本年度办理结果")
            .expect("row");
        assert_eq!(results.rowspan, 22);
        let refused = model
            .rows
            .iter()
            .flatten()
            .find(|c| c.text == "（三）不予公开")
            .expect("row");
        assert_eq!(refused.rowspan, 8);
        let first = model
            .rows
            .iter()
            .flatten()
            .find(|c| c.text.starts_with("一、本年新收"))
            .expect("row");
        assert_eq!(first.colspan, 3);
        // Every row covers the full width.
        for row in model.rectangle() {
            assert_eq!(row.len(), 10);
        }
        // Widths as in the official template: labels about half, the innermost about a third.
        let sum: f64 = model.widths.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "{sum}");
        assert!(
            (model.widths[2] - 3271.0 / 9748.0).abs() < 0.002,
            "{:?}",
            model.widths
        );
        assert!((model.widths[9] - 685.0 / 9748.0).abs() < 1e-9);
    }

    #[test]
    fn table_four_has_fifteen_figures() {
        let r = report(include_str!("../../examples/qingshan-2023.yaml"));
        let model = appeals_table(&r.edition.appeals, &r.appeals);
        assert_eq!(model.width, 15);
        let figures: Vec<&str> = model.rows[3].iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            figures,
            [
                "4", "1", "0", "1", "6", "2", "0", "1", "0", "3", "1", "0", "0", "1", "2"
            ]
        );
    }

    #[test]
    fn a_report_built_in_code_cannot_inject_structure_either() {
        let e = crate::edition::by_number(2021).expect("edition");
        let mut r = Report::empty(e, 2023, "某局\n# 注入<script>alert(1)</script>");
        r.published = Some("2024-01-20\n- 列表".to_owned());
        r.prose[0] = Some("（一）主动公开\n\n<img src=x onerror=alert(1)>".to_owned());
        let md = render(&r, Format::Markdown).expect("renders");
        let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
        assert_eq!(headings.len(), 7, "{headings:?}");
        assert!(
            headings[0].starts_with("# 某局 \\# 注入"),
            "{}",
            headings[0]
        );
        assert!(
            pulldown_cmark::Parser::new(&md).all(|e| !matches!(
                e,
                pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)
            )),
            "{md}"
        );
        assert!(!md.lines().any(|l| l.starts_with("- ")), "{md}");
        let html = render(&r, Format::Html).expect("renders");
        assert!(!html.contains("<script") && !html.contains("<img"));
        let docx = render_document(&r, Format::Docx, &Options::default()).expect("renders");
        assert!(docx.as_bytes().starts_with(b"PK"));
    }

    #[test]
    fn html_escapes_user_text() {
        let text = include_str!("../../examples/qingshan-2023.yaml")
            .replace("机关: 青山区人民政府", "机关: \"<b>青山</b>&区\"")
            .replace("本年度未收取信息处理费。", "<script>alert(1)</script>");
        let html = render(&report(&text), Format::Html).expect("renders");
        assert!(!html.contains("<script>alert"), "raw HTML leaked");
        assert!(!html.contains("<b>青山"), "agency not escaped");
        assert!(
            html.contains("&lt;b&gt;青山&lt;/b&gt;&amp;区") || html.contains("&#60;b&#62;"),
            "{}",
            &html[..400]
        );
    }
}
