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
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[value(help = "Markdown 文本（.md）")]
    Markdown,
    #[value(help = "网页（.html），可直接发布")]
    Html,
    /// Word (Office Open XML), in the style of official documents (GB/T 9704).
    #[value(help = "Word 文件（.docx），按党政机关公文格式（GB/T 9704）排版")]
    Docx,
}

impl Format {
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
    /// Each grid column's share of the text width (they add up to 1). Figure columns are wide
    /// enough for a four-character header on one line at the table's text size; label columns
    /// take what is left.
    pub widths: Vec<f64>,
    /// Printed in 小五 (9 pt) rather than 五号 (10.5 pt): table 三, whose ten columns would
    /// otherwise squeeze the labels.
    pub small_text: bool,
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

/// Figure columns: four characters plus cell padding, as a share of the 156 mm text width.
const FIGURE_COLUMN_SMALL: f64 = 0.094;

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
        small_text: false,
    }
}

/// Label column shares for table 三: the outer group columns narrow (two characters, then four),
/// the innermost takes what the figure columns leave.
fn label_widths(depth: usize, share: f64) -> Vec<f64> {
    let mut widths: Vec<f64> = (0..depth.saturating_sub(1))
        .map(|i| if i == 0 { 0.055 } else { 0.095 })
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
    let label_share = 1.0 - FIGURE_COLUMN_SMALL * def.width() as f64;
    let mut widths = label_widths(depth, label_share);
    widths.extend(std::iter::repeat_n(FIGURE_COLUMN_SMALL, def.width()));
    TableModel {
        width,
        header_rows: 3,
        rows,
        widths,
        small_text: true,
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
        small_text: false,
    }
}

/// A section as the outputs see it.
pub struct SectionView {
    /// `一、总体情况`.
    pub heading: String,
    /// The prose after the policy of [`prose`].
    pub prose: Prose,
    pub table: Option<TableModel>,
}

/// The 落款: the agency, then the date (from 发布日期), right-aligned at the end.
pub struct Signature {
    pub agency: String,
    /// `2024年1月20日`; `None` when the data file gives no 发布日期.
    pub date: Option<String>,
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
}

impl HtmlPage<'_> {
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

fn html(view: &ReportView) -> Result<String, Error> {
    let charts = view
        .charts
        .iter()
        .map(charts::Chart::svg)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HtmlPage {
        view,
        prose: view.sections.iter().map(|s| s.prose.to_html()).collect(),
        charts,
    }
    .render()?)
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
        Format::Html => Output::Text(html(&view)?),
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
