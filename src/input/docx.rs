//! Word (`.docx`) → [`Document`]: the package read directly (`zip`, `quick-xml`), never through
//! text that something else flattened.
//!
//! Owns what a Word file's XML means for its text: paragraphs with their runs, tabs, breaks and
//! fields' results (not their instructions); tracked insertions kept and deletions dropped;
//! content controls read through; list numbering rendered where it is simple (`一、`, `（一）`,
//! `1.`); and tables rebuilt on Word's grid (`w:gridSpan`, `w:vMerge`, `w:hMerge`,
//! `w:gridBefore`/`w:gridAfter`), blank cells and cells holding only full-width spaces kept as
//! blank cells. Headers, footers, footnotes, comments and text boxes are not body text and are
//! not read.
//!
//! The text people are shown is a view made here: one paragraph per line, one table row per
//! line with cells separated by ` | ` (a vertically merged cell is shown in the row where it
//! starts). Every non-empty paragraph and every cell gets a [`Place`] (`第N段`,
//! `表N 第R行第C列`, the column on the table's grid). A single-column table that holds another
//! table, or a table of one cell, is a layout box: its content is read as if it stood in the
//! body. Other tables nested in a cell are read as that cell's text.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::{Builder, Document, Format, InputError, Place};

/// Most a part of the package may hold once decompressed (a zip bomb stops here).
const MAX_PART: u64 = 200 * 1024 * 1024;
/// Most tables nested in one another.
const MAX_NESTING: usize = 32;

const WORD_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const COMPATIBILITY: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Reads a `.docx` file's bytes.
pub fn read(name: &str, bytes: &[u8]) -> Result<Document, InputError> {
    let bad = |why: String| InputError::BadDocx {
        path: name.to_owned(),
        why,
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("无法打开压缩包（{e}）")))?;
    let main = part(&mut zip, "_rels/.rels")
        .ok()
        .flatten()
        .and_then(|rels| {
            relationships(&rels, "")
                .into_iter()
                .find(|(kind, _)| kind.ends_with("/officeDocument"))
                .map(|(_, target)| target)
        })
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let xml = part(&mut zip, &main)
        .map_err(&bad)?
        .ok_or_else(|| bad(format!("缺少正文 {main}（可能不是 Word 文档）")))?;
    let folder = main.rsplit_once('/').map_or("", |(folder, _)| folder);
    let file = main
        .rsplit_once('/')
        .map_or(main.as_str(), |(_, file)| file);
    let related = part(&mut zip, &format!("{folder}/_rels/{file}.rels"))
        .ok()
        .flatten()
        .map(|rels| relationships(&rels, folder))
        .unwrap_or_default();
    let mut related_part = |kind: &str, fallback: &str| {
        let path = related
            .iter()
            .find(|(k, _)| k.ends_with(kind))
            .map_or_else(|| fallback.to_owned(), |(_, target)| target.clone());
        part(&mut zip, &path).ok().flatten()
    };
    let numbering = related_part("/numbering", "word/numbering.xml");
    let styles = related_part("/styles", "word/styles.xml");
    let blocks = parse(&xml).map_err(|why| bad(format!("{main}：{why}")))?;
    let numbering = Numbering::new(numbering.as_deref(), styles.as_deref());
    let mut writer = Writer {
        b: Builder::view(name, Format::Docx),
        numbering,
        paragraphs: 0,
        tables: 0,
    };
    writer.blocks(&blocks);
    Ok(writer.b.finish())
}

/// A part of the package as text; `None` when the package does not have it.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str) -> Result<Option<String>, String> {
    let mut file = match zip.by_name(path) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("无法读取 {path}（{e}）")),
    };
    if file.size() > MAX_PART {
        return Err(format!("{path} 解压后超过 200 MB"));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
    file.by_ref()
        .take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("无法解压 {path}（{e}）"))?;
    if bytes.len() as u64 > MAX_PART {
        return Err(format!("{path} 解压后超过 200 MB"));
    }
    // XML parts are UTF-8, or UTF-16 with a byte-order mark.
    let (text, _, _) = encoding_rs::UTF_8.decode(&bytes);
    Ok(Some(text.into_owned()))
}

/// The `(type, target)` of each relationship in a `.rels` part, targets resolved against
/// `folder` (the folder of the part the relationships belong to).
fn relationships(xml: &str, folder: &str) -> Vec<(String, String)> {
    let mut reader = NsReader::from_str(xml);
    let mut out = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(kind), Some(target)) = (attr(&e, "Type"), attr(&e, "Target")) {
                    out.push((kind, resolve(folder, &target)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A relationship target as a path in the package.
fn resolve(folder: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The value of the attribute with local name `local` (whatever its prefix).
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The body as the XML gives it, before it is laid out as text.
#[derive(Debug)]
enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    num_id: Option<String>,
    level: Option<usize>,
    style: Option<String>,
}

#[derive(Debug, Default)]
struct Table {
    rows: Vec<TableRow>,
}

#[derive(Debug, Default)]
struct TableRow {
    /// Grid columns left empty before the first cell (`w:gridBefore`).
    before: usize,
    cells: Vec<TableCell>,
}

#[derive(Debug)]
struct TableCell {
    span: usize,
    vertical: Merge,
    horizontal: Merge,
    blocks: Vec<Block>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Merge {
    #[default]
    None,
    Restart,
    Continue,
}

/// Which property element the parser is in (their children are read for a few settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Properties {
    None,
    Paragraph,
    Row,
    Cell,
}

/// Elements whose content is never body text: deleted and moved-away text, field
/// instructions, property blocks and their tracked changes, text boxes and drawings, the
/// alternative content Word writes for older readers, section settings.
const SKIPPED: &[&str] = &[
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "delInstrText",
    "sdtPr",
    "sdtEndPr",
    "rPr",
    "tblPr",
    "tblGrid",
    "tblPrEx",
    "pPrChange",
    "rPrChange",
    "tcPrChange",
    "trPrChange",
    "tblPrChange",
    "sectPr",
    "txbxContent",
    "drawing",
    "pict",
    "object",
    "footnoteReference",
    "endnoteReference",
    "commentReference",
    "customXmlPr",
];

/// Reads `word/document.xml` into blocks.
fn parse(xml: &str) -> Result<Vec<Block>, String> {
    let mut p = Parser {
        containers: vec![Vec::new()],
        tables: Vec::new(),
        cells: Vec::new(),
        paragraphs: Vec::new(),
        skip: 0,
        fields: Vec::new(),
        in_text: false,
        runs: 0,
        properties: Properties::None,
    };
    let mut reader = NsReader::from_str(xml);
    loop {
        let position = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("XML 第 {position} 字节附近有错（{e}）"))?;
        let space = match ns {
            ResolveResult::Bound(ns) => match ns.as_ref() {
                n if WORD_NAMESPACES.contains(&n) => Space::Word,
                COMPATIBILITY => Space::Compatibility,
                _ => Space::Other,
            },
            _ => Space::Other,
        };
        match event {
            Event::Start(e) => {
                if p.skip > 0 {
                    p.skip += 1;
                } else {
                    p.start(space, &e, false)?;
                }
            }
            Event::Empty(e) if p.skip == 0 => {
                p.start(space, &e, true)?;
                p.end(space, e.local_name().as_ref());
            }
            Event::End(e) => {
                if p.skip > 0 {
                    p.skip -= 1;
                } else {
                    p.end(space, e.local_name().as_ref());
                }
            }
            Event::Text(t) => p.text(&t.xml10_content()),
            Event::CData(t) => p.text(&t.into_inner()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    p.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(p.finish())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    Word,
    Compatibility,
    Other,
}

struct Parser {
    /// Where finished blocks go: the body, then each open cell.
    containers: Vec<Vec<Block>>,
    tables: Vec<Table>,
    cells: Vec<TableCell>,
    paragraphs: Vec<Paragraph>,
    /// Depth inside an element whose content is not read.
    skip: usize,
    /// Open complex fields: `true` once past `separate` (their result is text, their
    /// instruction is not).
    fields: Vec<bool>,
    in_text: bool,
    runs: usize,
    properties: Properties,
}

impl Parser {
    fn visible(&self) -> bool {
        self.skip == 0 && self.fields.iter().all(|&result| result)
    }

    fn push(&mut self, s: &str) {
        if self.visible()
            && let Some(p) = self.paragraphs.last_mut()
        {
            p.text.push_str(s);
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_text {
            self.push(s);
        }
    }

    fn start(&mut self, space: Space, e: &BytesStart, empty: bool) -> Result<(), String> {
        let local = e.local_name();
        let local = local.as_ref();
        if space == Space::Compatibility && local == "Fallback" {
            self.skip = usize::from(!empty);
            return Ok(());
        }
        if space != Space::Word {
            return Ok(());
        }
        if SKIPPED.contains(&local) {
            self.skip = usize::from(!empty);
            return Ok(());
        }
        let value = || attr(e, "val");
        let number = || value().and_then(|v| v.trim().parse::<usize>().ok());
        match (local, self.properties) {
            ("p", _) => self.paragraphs.push(Paragraph::default()),
            ("pPr", _) => self.properties = Properties::Paragraph,
            ("trPr", _) => self.properties = Properties::Row,
            ("tcPr", _) => self.properties = Properties::Cell,
            ("pStyle", Properties::Paragraph) => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.style = value();
                }
            }
            ("numId", Properties::Paragraph) => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.num_id = value();
                }
            }
            ("ilvl", Properties::Paragraph) => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.level = number();
                }
            }
            ("gridBefore", Properties::Row) => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.before = number().unwrap_or(0).min(1000);
                }
            }
            ("gridSpan", Properties::Cell) => {
                if let Some(cell) = self.cells.last_mut() {
                    cell.span = number().unwrap_or(1).clamp(1, 1000);
                }
            }
            ("vMerge" | "hMerge", Properties::Cell) => {
                let merge = if value().as_deref() == Some("restart") {
                    Merge::Restart
                } else {
                    Merge::Continue
                };
                if let Some(cell) = self.cells.last_mut() {
                    if local == "vMerge" {
                        cell.vertical = merge;
                    } else {
                        cell.horizontal = merge;
                    }
                }
            }
            (_, Properties::Paragraph | Properties::Row | Properties::Cell) => {}
            ("r", _) => self.runs += usize::from(!empty),
            ("t", _) => self.in_text = !empty,
            ("tab" | "ptab", _) if self.runs > 0 => self.push("\t"),
            ("br" | "cr", _)
                if self.runs > 0
                    && !matches!(attr(e, "type").as_deref(), Some("page" | "column")) =>
            {
                self.push("\n")
            }
            ("noBreakHyphen", _) if self.runs > 0 => self.push("-"),
            ("fldChar", _) => match attr(e, "fldCharType").as_deref() {
                Some("begin") if self.fields.len() < 64 => self.fields.push(false),
                Some("separate") => {
                    if let Some(last) = self.fields.last_mut() {
                        *last = true;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            ("tbl", _) => {
                if self.tables.len() >= MAX_NESTING {
                    return Err(format!("表格嵌套超过 {MAX_NESTING} 层"));
                }
                self.tables.push(Table::default());
            }
            ("tr", _) => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(TableRow::default());
                }
            }
            ("tc", _) => {
                self.cells.push(TableCell {
                    span: 1,
                    vertical: Merge::None,
                    horizontal: Merge::None,
                    blocks: Vec::new(),
                });
                self.containers.push(Vec::new());
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, space: Space, local: &str) {
        if space != Space::Word {
            return;
        }
        match local {
            "pPr" | "trPr" | "tcPr" => self.properties = Properties::None,
            "p" => {
                if let Some(p) = self.paragraphs.pop()
                    && let Some(container) = self.containers.last_mut()
                {
                    container.push(Block::Paragraph(p));
                }
            }
            "r" => self.runs = self.runs.saturating_sub(1),
            "t" => self.in_text = false,
            "tc" => self.end_cell(),
            "tbl" => {
                if let Some(table) = self.tables.pop()
                    && let Some(container) = self.containers.last_mut()
                {
                    container.push(Block::Table(table));
                }
            }
            _ => {}
        }
    }

    fn end_cell(&mut self) {
        if self.containers.len() < 2 {
            return;
        }
        let (Some(mut cell), Some(blocks)) = (self.cells.pop(), self.containers.pop()) else {
            return;
        };
        cell.blocks = blocks;
        match self.tables.last_mut() {
            Some(table) => {
                if table.rows.is_empty() {
                    table.rows.push(TableRow::default());
                }
                if let Some(row) = table.rows.last_mut() {
                    row.cells.push(cell);
                }
            }
            // A cell outside any table: its text belongs where it stands.
            None => {
                if let Some(container) = self.containers.last_mut() {
                    container.extend(cell.blocks);
                }
            }
        }
    }

    /// Closes whatever the XML left open.
    fn finish(mut self) -> Vec<Block> {
        while !self.paragraphs.is_empty() {
            self.end(Space::Word, "p");
        }
        while self.containers.len() > 1 {
            self.end_cell();
        }
        while !self.tables.is_empty() {
            self.end(Space::Word, "tbl");
        }
        self.containers.pop().unwrap_or_default()
    }
}

/// A cell placed on the table's grid.
struct Placed<'a> {
    cell: &'a TableCell,
    column: usize,
    colspan: usize,
    rowspan: usize,
}

/// The cells that start in each row, with their grid columns and merges resolved: a
/// `w:vMerge` continuation lengthens the cell above it (same column, same width); a
/// continuation with nothing to continue is a cell of its own.
fn grid(table: &Table) -> Vec<Vec<Placed<'_>>> {
    let mut out: Vec<Vec<Placed>> = Vec::with_capacity(table.rows.len());
    // For each grid column, the cell (row, index) that a continuation there would lengthen.
    let mut open: Vec<Option<(usize, usize)>> = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let mut placed: Vec<Placed> = Vec::with_capacity(row.cells.len());
        let mut column = row.before;
        for cell in &row.cells {
            let span = cell.span.max(1);
            if cell.horizontal == Merge::Continue
                && let Some(last) = placed.last_mut()
            {
                last.colspan += span;
                column += span;
                continue;
            }
            if cell.vertical == Merge::Continue
                && let Some(Some((above_row, above))) = open.get(column).copied()
                && let Some(above) = out.get_mut(above_row).and_then(|p| p.get_mut(above))
                && above.column == column
                && above.colspan == span
            {
                above.rowspan += 1;
                column += span;
                continue;
            }
            if open.len() < column + span {
                open.resize(column + span, None);
            }
            for slot in &mut open[column..column + span] {
                *slot = None;
            }
            if cell.vertical == Merge::Restart {
                open[column] = Some((r, placed.len()));
            }
            placed.push(Placed {
                cell,
                column,
                colspan: span,
                rowspan: 1,
            });
            column += span;
        }
        out.push(placed);
    }
    out
}

/// A character of a script written without spaces between words.
fn wide(c: Option<char>) -> bool {
    c.is_some_and(|c| !c.is_ascii() && !c.is_whitespace())
}

/// A table used to lay out a page rather than to hold figures: one cell per row and another
/// table inside, or a single cell.
fn is_layout(table: &Table) -> bool {
    let single = table.rows.iter().all(|r| r.cells.len() <= 1);
    let cells: usize = table.rows.iter().map(|r| r.cells.len()).sum();
    let nested = table.rows.iter().any(|r| {
        r.cells
            .iter()
            .any(|c| c.blocks.iter().any(|b| matches!(b, Block::Table(_))))
    });
    single && (nested || cells <= 1)
}

/// Lays the blocks out as the text view.
struct Writer {
    b: Builder,
    numbering: Numbering,
    paragraphs: usize,
    tables: usize,
}

impl Writer {
    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(p) => self.paragraph(p),
                Block::Table(t) if is_layout(t) => {
                    for row in &t.rows {
                        for cell in &row.cells {
                            self.blocks(&cell.blocks);
                        }
                    }
                }
                Block::Table(t) => self.table(t),
            }
        }
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let label = self.numbering.label(p);
        let at = self.b.text().len();
        self.b.view_str(&label);
        self.b.view_str(&p.text);
        let end = self.b.text().len();
        if !self.b.text()[at..end].trim().is_empty() {
            self.paragraphs += 1;
            let paragraph = self.paragraphs;
            self.b.locus(at..end, Place::Paragraph { paragraph });
        }
        self.b.view_str("\n");
    }

    /// A cell's text on one line: its paragraphs (and any table inside it) joined, by a space
    /// except between two Chinese characters.
    fn cell_text(&mut self, blocks: &[Block], out: &mut String) {
        for block in blocks {
            match block {
                Block::Paragraph(p) => {
                    let text = format!("{}{}", self.numbering.label(p), p.text);
                    if text.is_empty() || (text.trim().is_empty() && !out.is_empty()) {
                        continue;
                    }
                    // A cell's text broken into paragraphs or lines (`结果` / `纠正`) is
                    // joined again: directly between Chinese characters, by a space otherwise.
                    for piece in text.split(['\n', '\r']) {
                        let piece = piece.replace('\t', " ");
                        if piece.is_empty() {
                            continue;
                        }
                        let joined = wide(out.chars().next_back()) && wide(piece.chars().next());
                        if !out.is_empty() && !joined {
                            out.push(' ');
                        }
                        out.push_str(&piece);
                    }
                }
                Block::Table(t) => {
                    for row in &t.rows {
                        for cell in &row.cells {
                            self.cell_text(&cell.blocks, out);
                        }
                    }
                }
            }
        }
    }

    fn table(&mut self, table: &Table) {
        self.tables += 1;
        let number = self.tables;
        let start = self.b.text().len();
        self.b.start_table(start);
        for (r, (row, cells)) in table.rows.iter().zip(grid(table)).enumerate() {
            let at = self.b.text().len();
            self.b.start_row(at);
            self.b.skip_columns(row.before);
            for (i, placed) in cells.iter().enumerate() {
                let separator = if i == 0 {
                    at..at
                } else {
                    self.b.view_only(" | ")
                };
                let content_start = self.b.start_cell(separator.clone());
                let mut text = String::new();
                self.cell_text(&placed.cell.blocks, &mut text);
                // An empty cell still takes a character of the row, so that it can be pointed at.
                self.b.view_str(if text.is_empty() { " " } else { &text });
                let span = separator.start..self.b.text().len();
                self.b
                    .end_cell(content_start, span.clone(), placed.colspan, placed.rowspan);
                self.b.locus(
                    span,
                    Place::Cell {
                        table: number,
                        row: r + 1,
                        column: placed.column + 1,
                        report_table: None,
                    },
                );
            }
            self.b.view_str("\n");
        }
        let end = self.b.text().len();
        self.b.end_table(end);
    }
}

/// Word's list numbering, rendered as the text people see before a numbered paragraph
/// (`一、`, `（二）`, `3.`) where the format is a simple one; bullets and formats not known here
/// are left out.
#[derive(Default)]
struct Numbering {
    /// Abstract numbering → its levels.
    abstracts: HashMap<String, Vec<Level>>,
    /// Numbering instance → its abstract numbering and start overrides by level.
    instances: HashMap<String, Instance>,
    /// Style → the numbering it brings (`numId`, level) and the style it is based on.
    styles: HashMap<String, StyleNumbering>,
    /// Current counters by abstract numbering (lists sharing one continue each other).
    counters: HashMap<String, [Option<i64>; 9]>,
}

#[derive(Default, Clone)]
struct Level {
    format: String,
    text: String,
    start: i64,
    suffix: String,
    style: Option<String>,
}

#[derive(Default)]
struct Instance {
    abstract_id: String,
    starts: HashMap<usize, i64>,
    used: bool,
}

#[derive(Default)]
struct StyleNumbering {
    num_id: Option<String>,
    level: Option<usize>,
    based_on: Option<String>,
}

impl Numbering {
    fn new(numbering: Option<&str>, styles: Option<&str>) -> Numbering {
        let mut n = Numbering::default();
        if let Some(xml) = numbering {
            n.read_numbering(xml);
        }
        if let Some(xml) = styles {
            n.read_styles(xml);
        }
        n
    }

    fn read_numbering(&mut self, xml: &str) {
        let mut reader = NsReader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut instance: Option<String> = None;
        let mut level: Option<usize> = None;
        let mut override_level: Option<usize> = None;
        while let Ok(event) = reader.read_event() {
            let (e, empty) = match &event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        "abstractNum" => abstract_id = None,
                        "num" => instance = None,
                        "lvl" => level = None,
                        "lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let value = attr(e, "val");
            fn current<'a>(
                levels: &'a mut HashMap<String, Vec<Level>>,
                id: &Option<String>,
                level: Option<usize>,
            ) -> Option<&'a mut Level> {
                levels.get_mut(id.as_ref()?)?.get_mut(level?)
            }
            match e.local_name().as_ref() {
                "abstractNum" if !empty => {
                    abstract_id = attr(e, "abstractNumId");
                    if let Some(id) = &abstract_id {
                        self.abstracts.entry(id.clone()).or_default();
                    }
                }
                "lvl" if !empty && abstract_id.is_some() => {
                    level = attr(e, "ilvl")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .filter(|&l| l < 9);
                    if let (Some(id), Some(l)) = (&abstract_id, level) {
                        let levels = self.abstracts.entry(id.clone()).or_default();
                        if levels.len() <= l {
                            levels.resize(
                                l + 1,
                                Level {
                                    start: 1,
                                    ..Level::default()
                                },
                            );
                        }
                    }
                }
                "start" => {
                    if let Some(l) = current(&mut self.abstracts, &abstract_id, level) {
                        l.start = value.and_then(|v| v.trim().parse().ok()).unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let Some(l) = current(&mut self.abstracts, &abstract_id, level) {
                        l.format = value.unwrap_or_default();
                    }
                }
                "lvlText" => {
                    if let Some(l) = current(&mut self.abstracts, &abstract_id, level) {
                        l.text = value.unwrap_or_default();
                    }
                }
                "suff" => {
                    if let Some(l) = current(&mut self.abstracts, &abstract_id, level) {
                        l.suffix = value.unwrap_or_default();
                    }
                }
                "pStyle" => {
                    if let Some(l) = current(&mut self.abstracts, &abstract_id, level) {
                        l.style = value;
                    }
                }
                "num" if !empty => {
                    instance = attr(e, "numId");
                    if let Some(id) = &instance {
                        self.instances.entry(id.clone()).or_default();
                    }
                }
                "abstractNumId" => {
                    if let Some(i) = instance.as_ref().and_then(|id| self.instances.get_mut(id)) {
                        i.abstract_id = value.unwrap_or_default();
                    }
                }
                "lvlOverride" if !empty => {
                    override_level = attr(e, "ilvl").and_then(|v| v.trim().parse().ok());
                }
                "startOverride" => {
                    if let (Some(i), Some(l), Some(start)) = (
                        instance.as_ref().and_then(|id| self.instances.get_mut(id)),
                        override_level,
                        value.and_then(|v| v.trim().parse().ok()),
                    ) {
                        i.starts.insert(l, start);
                    }
                }
                _ => {}
            }
        }
    }

    fn read_styles(&mut self, xml: &str) {
        let mut reader = NsReader::from_str(xml);
        let mut style: Option<String> = None;
        while let Ok(event) = reader.read_event() {
            let e = match &event {
                Event::Start(e) | Event::Empty(e) => e,
                Event::End(e) if e.local_name().as_ref() == "style" => {
                    style = None;
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let Some(id) = style.clone() else {
                if e.local_name().as_ref() == "style" {
                    style = attr(e, "styleId");
                }
                continue;
            };
            let entry = self.styles.entry(id).or_default();
            match e.local_name().as_ref() {
                "basedOn" => entry.based_on = attr(e, "val"),
                "numId" => entry.num_id = attr(e, "val"),
                "ilvl" => entry.level = attr(e, "val").and_then(|v| v.trim().parse().ok()),
                _ => {}
            }
        }
    }

    /// The numbering a paragraph shows, counted (call once per paragraph, in order).
    fn label(&mut self, p: &Paragraph) -> String {
        if self.abstracts.is_empty() {
            return String::new();
        }
        let (num_id, level) = match &p.num_id {
            Some(id) => (id.clone(), p.level),
            None => {
                let Some((id, level)) = self.style_numbering(p.style.as_deref()) else {
                    return String::new();
                };
                (id, p.level.or(level))
            }
        };
        let Some(instance) = self.instances.get_mut(&num_id) else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(&instance.abstract_id) else {
            return String::new();
        };
        // A level may be tied to the paragraph's style instead of given.
        let level = level
            .or_else(|| {
                levels
                    .iter()
                    .position(|l| l.style.is_some() && l.style == p.style)
            })
            .unwrap_or(0)
            .min(8);
        let counters = self
            .counters
            .entry(instance.abstract_id.clone())
            .or_insert([None; 9]);
        if !instance.used {
            instance.used = true;
            for &l in instance.starts.keys() {
                if let Some(c) = counters.get_mut(l) {
                    *c = None;
                }
            }
        }
        let start = |l: usize| {
            instance
                .starts
                .get(&l)
                .copied()
                .or_else(|| levels.get(l).map(|v| v.start))
                .unwrap_or(1)
        };
        counters[level] = Some(counters[level].map_or(start(level), |v| v + 1));
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        let Some(this) = levels.get(level) else {
            return String::new();
        };
        if matches!(this.format.as_str(), "bullet" | "none" | "") {
            return String::new();
        }
        let mut out = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            match (c, digit) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let l = d as usize - 1;
                    let value = counters[l].unwrap_or_else(|| start(l));
                    let format = levels.get(l).map_or("decimal", |v| v.format.as_str());
                    let Some(number) = format_number(value, format) else {
                        return String::new();
                    };
                    out.push_str(&number);
                }
                _ => out.push(c),
            }
        }
        match this.suffix.as_str() {
            "space" => out.push(' '),
            "nothing" => {}
            _ if out.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.') => out.push(' '),
            _ => {}
        }
        out
    }

    /// The numbering a style brings, looked up through the styles it is based on.
    fn style_numbering(&self, style: Option<&str>) -> Option<(String, Option<usize>)> {
        let mut style = style?;
        for _ in 0..16 {
            let s = self.styles.get(style)?;
            if let Some(id) = &s.num_id {
                return (id != "0").then(|| (id.clone(), s.level));
            }
            style = s.based_on.as_deref()?;
        }
        None
    }
}

/// A counter in one of Word's number formats.
fn format_number(n: i64, format: &str) -> Option<String> {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    let chinese = |n: i64, digits: &[char; 10], ten: char, hundred: char| -> Option<String> {
        let n = usize::try_from(n)
            .ok()
            .filter(|&n| (1..1000).contains(&n))?;
        let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
        let mut s = String::new();
        if h > 0 {
            s.push(digits[h]);
            s.push(hundred);
        }
        if t > 0 {
            if t > 1 || h > 0 {
                s.push(digits[t]);
            }
            s.push(ten);
        } else if h > 0 && u > 0 {
            s.push(if digits == &DIGITS { '零' } else { digits[0] });
        }
        if u > 0 {
            s.push(digits[u]);
        }
        Some(s)
    };
    let small = |n: i64, max: i64| (1..=max).contains(&n).then_some(n as u32);
    Some(match format {
        "decimal" => n.to_string(),
        "decimalZero" => format!("{n:02}"),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(n, &DIGITS, '十', '百')?,
        "chineseLegalSimplified" | "ideographLegalTraditional" => chinese(n, &LEGAL, '拾', '佰')?,
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .map(|d| DIGITS[d.to_digit(10).unwrap_or(0) as usize])
            .collect(),
        "ideographTraditional" => {
            const STEMS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
            STEMS.get(small(n, 10)? as usize - 1)?.to_string()
        }
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            char::from_u32(0x2460 + small(n, 20)? - 1)?.to_string()
        }
        "decimalEnclosedParen" => char::from_u32(0x2474 + small(n, 20)? - 1)?.to_string(),
        "decimalEnclosedFullstop" => char::from_u32(0x2488 + small(n, 20)? - 1)?.to_string(),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|d| char::from_u32(0xFF10 + d.to_digit(10).unwrap_or(0)).unwrap_or(d))
            .collect(),
        "lowerLetter" | "upperLetter" => {
            let i = small(n, 26 * 20)? - 1;
            let letter = char::from(b'a' + (i % 26) as u8);
            let s: String = std::iter::repeat_n(letter, i as usize / 26 + 1).collect();
            if format == "upperLetter" {
                s.to_ascii_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" => {
            let mut n = small(n, 3999)?;
            let mut s = String::new();
            for (value, numeral) in [
                (1000, "m"),
                (900, "cm"),
                (500, "d"),
                (400, "cd"),
                (100, "c"),
                (90, "xc"),
                (50, "l"),
                (40, "xl"),
                (10, "x"),
                (9, "ix"),
                (5, "v"),
                (4, "iv"),
                (1, "i"),
            ] {
                while n >= value {
                    s.push_str(numeral);
                    n -= value;
                }
            }
            if format == "upperRoman" {
                s.to_ascii_uppercase()
            } else {
                s
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counters_read_as_people_write_them() {
        let f = |n| format_number(n, "chineseCounting").unwrap_or_default();
        assert_eq!(
            [f(1), f(10), f(11), f(20), f(23), f(105), f(110)],
            ["一", "十", "十一", "二十", "二十三", "一百零五", "一百一十"]
        );
        assert_eq!(
            format_number(3, "decimalEnclosedCircle").as_deref(),
            Some("③")
        );
        assert_eq!(format_number(4, "upperRoman").as_deref(), Some("IV"));
        assert_eq!(
            format_number(2, "ideographTraditional").as_deref(),
            Some("乙")
        );
        assert_eq!(format_number(1, "klingon"), None);
    }

    #[test]
    fn relationship_targets_resolve_against_their_folder() {
        assert_eq!(resolve("word", "numbering.xml"), "word/numbering.xml");
        assert_eq!(resolve("word", "/word/styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word/sub", "../media/x.png"), "word/media/x.png");
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
    }

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn body(xml: &str) -> Vec<Block> {
        parse(&format!(
            "<w:document {NS}><w:body>{xml}</w:body></w:document>"
        ))
        .expect("parses")
    }

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text.clone()),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn runs_keep_insertions_and_field_results_and_drop_the_rest() {
        let blocks = body(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs><w:rPr><w:ins w:id="1"/></w:rPr></w:pPr>
              <w:r><w:t xml:space="preserve">共 </w:t></w:r>
              <w:ins w:id="2"><w:r><w:t>12</w:t></w:r></w:ins>
              <w:del w:id="3"><w:r><w:delText>11</w:delText></w:r></w:del>
              <w:r><w:tab/><w:t>件&amp;</w:t><w:br/><w:t>次</w:t></w:r>
              <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
              <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
              <w:fldSimple w:instr=" DATE "><w:r><w:t>2024年</w:t></w:r></w:fldSimple>
              <w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>
              <mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>新</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>旧</w:t></w:r></mc:Fallback></mc:AlternateContent>
              <w:r><w:footnoteReference w:id="1"/></w:r></w:p><w:p/>"#,
        );
        assert_eq!(texts(&blocks), ["共 12\t件&\n次32024年控件新", ""]);
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        for xml in [
            "<w:document><w:body><w:p></w:body>",
            "<w:p><w:t>&bogus;</w:t>",
            "\u{0}",
            "<w:tbl><w:tc><w:p/></w:tc>",
        ] {
            let _ = parse(xml);
        }
        let deep = "<w:tbl><w:tr><w:tc>".repeat(40);
        let err = parse(&format!("<w:body {NS}>{deep}")).expect_err("too deep");
        assert!(err.contains("嵌套"), "{err}");
    }
}
