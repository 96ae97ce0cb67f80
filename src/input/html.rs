//! HTML → [`Document`], through the html5gum tokenizer (WHATWG tokenisation with byte spans).
//!
//! Owns what a web page's markup means for its text: block elements end lines, `<br>` breaks
//! them, tables are rebuilt from `<tr>`/`<td>`/`<th>` with their `rowspan`/`colspan` (blank
//! cells kept), entities are decoded with each character still pointing at the bytes it came
//! from. It also owns telling the report from the page around it: `<script>`/`<style>`,
//! navigation, breadcrumbs, footers and related-link lists are left out of the content; the
//! page `<title>`, a CMS article-title element and a CMS metadata table (索引号, 发布机构,
//! 发文日期 …) are recorded as [`super::Meta`] instead of being read as report text.

use std::ops::Range;

use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};

use super::{Builder, Document, Format, Origin};

/// Elements after which text starts on a new line. [`kind`] says it as [`BLOCK`]; the list is
/// its test oracle.
#[cfg(test)]
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "main",
    "header",
    "hr",
    "blockquote",
    "pre",
    "caption",
    "center",
    "body",
    "html",
    "address",
    "figure",
    "figcaption",
];

/// Elements whose content is never report text. [`kind`] says it as [`SKIPPED_KIND`]; the list is
/// its test oracle.
#[cfg(test)]
const SKIPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "select", "button", "nav", "footer",
    "aside", "svg", "object", "form",
];

/// Words in a `class` or `id` that mark page chrome (checked per word of the attribute, split
/// at spaces, `-` and `_`): navigation, breadcrumbs (当前位置 = dqwz), footers, share bars and
/// related-link lists (相关链接 = xglj).
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "bread",
    "position",
    "location",
    "dqwz",
    "footer",
    "foot",
    "bottom",
    "copyright",
    "share",
    "related",
    "relate",
    "xglj",
    "sidebar",
    "toolbar",
    "print",
    "fontsize",
];

/// Labels of a CMS metadata table (the block above a published article).
const META_LABELS: &[&str] = &[
    "索引号",
    "主题分类",
    "发布机构",
    "发文机关",
    "发文机构",
    "成文日期",
    "发文日期",
    "发布日期",
    "文号",
    "公开方式",
    "有效性",
    "信息来源",
];

/// Elements that never have an end tag. [`kind`] says it as [`VOID_KIND`]; the list is
/// its test oracle.
#[cfg(test)]
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// What the reader does with an element, by its name: a set of the flags below.
type Kind = u8;
const BLOCK: Kind = 1;
const SKIPPED_KIND: Kind = 1 << 1;
const VOID_KIND: Kind = 1 << 2;
const TITLE: Kind = 1 << 3;
const TABLE: Kind = 1 << 4;
const ROW: Kind = 1 << 5;
const CELL: Kind = 1 << 6;

/// The kind of an element by its (lowercased) name: one `match` over the bytes instead of
/// looking the name up in [`BLOCKS`], [`SKIPPED`] and [`VOID`] as a string, once per tag.
fn kind(name: &[u8]) -> Kind {
    match name {
        b"br" | b"hr" => BLOCK | VOID_KIND,
        b"p" | b"div" | b"li" | b"ul" | b"ol" | b"dl" | b"dt" | b"dd" | b"h1" | b"h2" | b"h3"
        | b"h4" | b"h5" | b"h6" | b"section" | b"article" | b"main" | b"header" | b"blockquote"
        | b"pre" | b"caption" | b"center" | b"body" | b"html" | b"address" | b"figure"
        | b"figcaption" => BLOCK,
        b"script" | b"style" | b"template" | b"noscript" | b"iframe" | b"select" | b"button"
        | b"nav" | b"footer" | b"aside" | b"svg" | b"object" | b"form" => SKIPPED_KIND,
        b"area" | b"base" | b"col" | b"embed" | b"img" | b"input" | b"link" | b"meta"
        | b"source" | b"track" | b"wbr" => VOID_KIND,
        b"title" => TITLE,
        b"table" => TABLE,
        b"tr" => ROW,
        b"td" | b"th" => CELL,
        _ => 0,
    }
}

/// What the reader is inside of.
struct Skip {
    /// The element being skipped and how deeply it is nested in itself.
    name: Vec<u8>,
    depth: usize,
    /// Record the skipped element's text as this meta key (`title`).
    record: Option<&'static str>,
    text: String,
    span: Range<usize>,
}

/// An open table cell.
struct OpenCell {
    content_start: usize,
    start: usize,
    colspan: usize,
    rowspan: usize,
    /// How many tables were open when the cell started (the cell belongs to the innermost).
    depth: usize,
}

/// An element whose text is recorded as the page's title while it is also read as content.
struct TitleElement {
    name: Vec<u8>,
    depth: usize,
    content_start: usize,
    start: usize,
}

/// The attributes of a tag the reader looks at; every other attribute is passed over without
/// being kept.
const KEPT: [&[u8]; 4] = [b"class", b"id", b"colspan", b"rowspan"];

/// The tag being tokenised: its name, where it starts and the kept attributes. Its buffers are
/// reused from tag to tag, so a tag costs no allocation (html5gum's default emitter built a
/// token with an owned name and a map of every attribute for each tag, a third of reading a
/// page).
#[derive(Default)]
struct Tag {
    name: Vec<u8>,
    start: usize,
    /// Whether each of [`KEPT`] was given (the first of a repeated attribute counts, as in the
    /// default emitter), and its value.
    seen: [bool; 4],
    values: [Vec<u8>; 4],
    /// The kept attribute whose value is being read, if any.
    current: Option<usize>,
}

impl Tag {
    fn attribute(&mut self, name: &[u8]) {
        self.current = KEPT
            .iter()
            .position(|k| *k == name)
            .filter(|&i| !self.seen[i]);
        if let Some(i) = self.current {
            self.seen[i] = true;
        }
    }

    fn value(&mut self, value: &[u8]) {
        if let Some(i) = self.current {
            self.values[i].extend_from_slice(value);
        }
    }

    /// The value of attribute `KEPT[i]` when the tag has it.
    fn get(&self, i: usize) -> Option<&[u8]> {
        self.seen[i].then(|| self.values[i].as_slice())
    }

    fn clear_attributes(&mut self) {
        self.seen = [false; 4];
        for v in &mut self.values {
            v.clear();
        }
        self.current = None;
    }
}

/// html5gum's callback emitter without parse errors: the reader ignores them, and checking
/// every character for them cost a sixth of tokenizing. Errors never split or change the
/// other tokens (the emitter reports them beside the tokens), so what is read is the same.
struct Quiet<E>(E);

impl<E: Emitter> ForwardingEmitter for Quiet<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    #[inline]
    fn emit_error(&mut self, _error: html5gum::Error) {}

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

/// What the reader knows of the page so far.
struct Page<'s> {
    b: Builder,
    /// The page's text (a copy of the builder's, which the builder cannot lend while it is
    /// being added to).
    source: &'s str,
    skip: Option<Skip>,
    cells: Vec<OpenCell>,
    title: Option<TitleElement>,
    tables: usize,
}

/// Reads an HTML page (already decoded).
pub fn read(name: &str, text: String, origin: Origin) -> Document {
    let b = Builder::over(name, Format::Html, text, origin);
    let source = b.text().to_owned();
    let mut page = Page {
        b,
        source: &source,
        skip: None,
        cells: Vec::new(),
        title: None,
        tables: 0,
    };
    let mut tag = Tag::default();
    {
        let mut emitter = CallbackEmitter::new(
            |event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
                page.event(&mut tag, event, span.start..span.end);
                None
            },
        );
        // Raw-text elements (script, style, textarea, title) are tokenised as text.
        emitter.naively_switch_states(true);
        // The callback reads every event and yields no token: iterating only drives the
        // tokenizer.
        Tokenizer::new_with_emitter(source.as_str(), Quiet(emitter)).for_each(drop);
    }
    let end = page.b.text().len();
    close_cell(&mut page.b, &mut page.cells, page.tables, end);
    page.b.finish()
}

impl Page<'_> {
    /// One event of the tokenizer, in the order of the page.
    fn event(&mut self, tag: &mut Tag, event: CallbackEvent<'_>, span: Range<usize>) {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                tag.name.clear();
                tag.name.extend_from_slice(name);
                tag.start = span.start;
            }
            CallbackEvent::AttributeName { name } => tag.attribute(name),
            CallbackEvent::AttributeValue { value } => tag.value(value),
            CallbackEvent::CloseStartTag { self_closing } => {
                self.start_tag(tag, tag.start..span.end, self_closing);
                tag.clear_attributes();
            }
            CallbackEvent::EndTag { name } => {
                tag.clear_attributes();
                self.end_tag(name, span);
            }
            CallbackEvent::String { value } => {
                // Most text is valid UTF-8 (it comes from a `str`): checked with SIMD, with
                // the standard library's lossy conversion only for the rest.
                let decoded = match simdutf8::basic::from_utf8(value) {
                    Ok(text) => std::borrow::Cow::Borrowed(text),
                    Err(_) => String::from_utf8_lossy(value),
                };
                self.string(span, &decoded);
            }
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
    }

    fn start_tag(&mut self, tag: &Tag, span: Range<usize>, self_closing: bool) {
        let b = &mut self.b;
        let cells = &mut self.cells;
        // The tokenizer lowercases tag names; they are compared as bytes, as they come.
        let name = tag.name.as_slice();
        let kind = kind(name);
        if let Some(s) = &mut self.skip {
            if s.name == name && kind & VOID_KIND == 0 && !self_closing {
                s.depth += 1;
            }
            return;
        }
        // The element's class and id words (most tags have neither: no words, no allocation).
        let mut words = String::new();
        for key in [0, 1] {
            if let Some(v) = tag.get(key) {
                words.push(' ');
                words.push_str(&String::from_utf8_lossy(v).to_ascii_lowercase());
            }
        }
        let chrome = !words.is_empty()
            && words
                .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .any(|w| CHROME_WORDS.contains(&w));
        if kind & (TITLE | SKIPPED_KIND) != 0 || chrome {
            if kind & VOID_KIND == 0 && !self_closing {
                self.skip = Some(Skip {
                    name: name.to_vec(),
                    depth: 1,
                    record: (kind & TITLE != 0).then_some("title"),
                    text: String::new(),
                    span: span.end..span.end,
                });
            }
            return;
        }
        let titled = !words.is_empty()
            && words
                .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .any(|w| w == "title" || w == "tit" || w == "bt");
        if titled && self.title.is_none() && kind & VOID_KIND == 0 {
            b.break_line(span.clone());
            self.title = Some(TitleElement {
                name: name.to_vec(),
                depth: 1,
                content_start: b.content_len(),
                start: span.end,
            });
            return;
        }
        if let Some(t) = &mut self.title
            && t.name == name
        {
            t.depth += 1;
        }
        match kind {
            TABLE => {
                b.start_table(span.start);
                self.tables += 1;
            }
            ROW => {
                close_cell(b, cells, self.tables, span.start);
                if self.tables > 0 {
                    b.start_row(span.start);
                }
            }
            CELL if self.tables > 0 => {
                close_cell(b, cells, self.tables, span.start);
                let number = |key: usize| {
                    tag.get(key)
                        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse().ok())
                        .unwrap_or(1)
                };
                let content_start = b.start_cell(span.clone());
                cells.push(OpenCell {
                    content_start,
                    start: span.start,
                    colspan: number(2),
                    rowspan: number(3),
                    depth: self.tables,
                });
            }
            k if k & BLOCK != 0 => b.break_line(span),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &[u8], span: Range<usize>) {
        let b = &mut self.b;
        let cells = &mut self.cells;
        if let Some(s) = &mut self.skip {
            if s.name == name {
                s.depth -= 1;
                if s.depth == 0 {
                    if let Some(key) = s.record {
                        let value = s.text.trim().to_owned();
                        if !value.is_empty() {
                            b.meta(key, &value, s.span.clone());
                        }
                    }
                    self.skip = None;
                }
            }
            return;
        }
        if let Some(t) = &mut self.title
            && t.name == name
        {
            t.depth -= 1;
            if t.depth == 0 {
                let value = b.content_since(t.content_start).replace(['\n', '\t'], " ");
                let value = value.trim();
                if !value.is_empty() && value.chars().count() <= 200 {
                    b.meta("title", value, t.start..span.start);
                }
                self.title = None;
                b.break_line(span);
                return;
            }
        }
        match kind(name) {
            TABLE if self.tables > 0 => {
                close_cell(b, cells, self.tables, span.start);
                let mut found = Vec::new();
                b.end_table_if(span.end, |ended| {
                    found = metadata(ended.content);
                    found.is_empty()
                });
                for (key, value) in found {
                    let at = span.start..span.start;
                    b.meta(&key, &value, at);
                }
                self.tables -= 1;
            }
            CELL | ROW => close_cell(b, cells, self.tables, span.end),
            k if k & BLOCK != 0 => b.break_line(span),
            _ => {}
        }
    }

    fn string(&mut self, raw: Range<usize>, decoded: &str) {
        if let Some(s) = &mut self.skip {
            if s.record.is_some() {
                s.text.push_str(decoded);
                if s.text.len() == decoded.len() {
                    s.span.start = raw.start;
                }
                s.span.end = raw.end;
            }
            return;
        }
        copy_text(&mut self.b, self.source, raw, decoded);
    }
}

/// Ends the open cell of the innermost table, if any (HTML lets `</td>` be left out).
fn close_cell(b: &mut Builder, cells: &mut Vec<OpenCell>, tables: usize, end: usize) {
    while let Some(cell) = cells.last() {
        if cell.depth < tables {
            // A cell of an outer table: it stays open around the inner table.
            return;
        }
        let Some(cell) = cells.pop() else { return };
        if cell.depth > tables {
            // Its table is gone already.
            continue;
        }
        b.end_cell(
            cell.content_start,
            cell.start..end.max(cell.start),
            cell.colspan,
            cell.rowspan,
        );
        return;
    }
}

/// A table of CMS metadata fields (`索引号` / `发布机构` / `发文日期` …): the fields found, or
/// nothing when the table is not one.
fn metadata(content: &str) -> Vec<(String, String)> {
    // Most tables (the report's own) hold no label at all: one search per label over the
    // content instead of cutting every table into cells.
    if !META_LABELS
        .iter()
        .any(|l| memchr::memmem::find(content.as_bytes(), l.as_bytes()).is_some())
    {
        return Vec::new();
    }
    metadata_fields(content)
}

/// [`metadata`] without its prefilter: the table's cells, read as fields.
fn metadata_fields(content: &str) -> Vec<(String, String)> {
    let cells: Vec<&str> = content
        .split(['\t', '\n'])
        .map(|c| c.trim_matches(|ch: char| ch.is_whitespace() || ch == '\u{3000}'))
        .filter(|c| !c.is_empty())
        .collect();
    let mut found = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let Some(label) = META_LABELS.iter().find(|l| cell.starts_with(**l)) else {
            continue;
        };
        let rest = cell[label.len()..].trim_start_matches([':', '：', ' ']);
        let value = if rest.is_empty() {
            cells.get(i + 1).copied().unwrap_or("")
        } else {
            rest
        };
        found.push(((*label).to_owned(), value.to_owned()));
    }
    // Two fields at least, and the table is mostly fields (a report table may contain 文号).
    if found.len() >= 2 && cells.len() <= found.len() * 3 {
        found
    } else {
        Vec::new()
    }
}

/// Copies a text token: `decoded` is what the tokenizer made of the `raw` bytes (entities
/// decoded). Each decoded character is matched to its raw bytes, so that `&nbsp;` or `&#x4e00;`
/// points at the entity. Source line breaks inside text are spaces in HTML.
fn copy_text(b: &mut Builder, page: &str, raw: Range<usize>, decoded: &str) {
    let source = &page[raw.clone()];
    if source == decoded && !decoded.contains('\n') {
        b.copy(raw);
        return;
    }
    let mut at = 0; // in `source`
    for c in decoded.chars() {
        let here = raw.start + at;
        let rest = &source[at..];
        if c == '\n' {
            // "\r\n" or "\n" in the source.
            let len = if rest.starts_with("\r\n") {
                2
            } else {
                usize::from(rest.starts_with('\n'))
            };
            b.push(' ', here..here + len);
            at += len;
        } else if rest.starts_with(c) && !(c == '&' && entity_len(rest) > 1) {
            b.copy(here..here + c.len_utf8());
            at += c.len_utf8();
        } else if rest.starts_with('&') {
            let len = entity_len(rest);
            b.push(c, here..here + len);
            at += len;
        } else {
            // Something the tokenizer changed (a NUL, a character after an entity that
            // decoded to two): point at where we are.
            b.push(c, here..here);
        }
        if at > source.len() {
            at = source.len();
        }
    }
}

/// Length of the character reference at the start of `s` (`&amp;`, `&#20013;`, `&nbsp`).
fn entity_len(s: &str) -> usize {
    let body = s
        .as_bytes()
        .iter()
        .skip(1)
        .take(40)
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    let with_semicolon = s.as_bytes().get(1 + body) == Some(&b';');
    1 + body + usize::from(with_semicolon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::BLANK_CELL;

    fn doc(html: &str) -> Document {
        read("t.html", html.to_owned(), Origin::Utf8 { bom: 0 })
    }

    /// What [`kind`] replaced: the names looked up in the lists.
    fn kind_by_lists(name: &[u8]) -> Kind {
        let Ok(name) = std::str::from_utf8(name) else {
            return 0;
        };
        let mut kind = 0;
        for (list, flag) in [(BLOCKS, BLOCK), (SKIPPED, SKIPPED_KIND), (VOID, VOID_KIND)] {
            if list.contains(&name) {
                kind |= flag;
            }
        }
        kind | match name {
            "title" => TITLE,
            "table" => TABLE,
            "tr" => ROW,
            "td" | "th" => CELL,
            _ => 0,
        }
    }

    #[test]
    fn element_kinds_are_those_of_the_lists() {
        for name in BLOCKS.iter().chain(SKIPPED).chain(VOID).chain(&[
            "title", "table", "tr", "td", "th", "span", "a", "tbody", "", "divx", "h7", "bR",
        ]) {
            assert_eq!(
                kind(name.as_bytes()),
                kind_by_lists(name.as_bytes()),
                "{name}"
            );
        }
    }

    proptest::proptest! {
        /// Any name, including near misses of the listed ones.
        #[test]
        fn element_kinds_match_the_lists_for_any_name(name in "[a-z1-6]{0,3}|(br|hr|td|th|tr|p|div|nav|img|title|table)[a-z]?") {
            proptest::prop_assert_eq!(kind(name.as_bytes()), kind_by_lists(name.as_bytes()));
        }

        /// The label prefilter never turns away a table the full reading keeps.
        #[test]
        fn metadata_prefilter_keeps_every_metadata_table(
            cells in proptest::collection::vec("(索引号|发布机构|文号|发文日期|某局|2024|：| )", 0..8)
        ) {
            let content = cells.join("\t");
            proptest::prop_assert_eq!(metadata(&content), metadata_fields(&content));
        }
    }

    #[test]
    fn tables_are_rebuilt_with_merges_and_blank_cells() {
        let html = "<table><tr><td rowspan=2>甲</td><td>1</td><td>&nbsp;</td></tr><tr><td><p></p></td><td>4</td></tr></table>";
        let d = doc(html);
        let t = &d.tables[0];
        let grid: Vec<Vec<(usize, bool)>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| (c.column, c.blank)).collect())
            .collect();
        assert_eq!(
            grid,
            [
                vec![(0, false), (1, false), (2, true)],
                vec![(1, true), (2, false)]
            ]
        );
        let blank = &t.rows[0].cells[2];
        assert_eq!(
            &d.text[d.text_range(blank.content.clone())],
            "<td>&nbsp;</td>"
        );
        assert_eq!(d.content().matches(BLANK_CELL).count(), 2);
    }

    #[test]
    fn entities_point_at_their_bytes_and_scripts_are_skipped() {
        let html = "<p>一&nbsp;二&amp;三</p><script>var x = '四';</script><p>五</p>";
        let d = doc(html);
        assert_eq!(d.content(), "一\u{a0}二&三\n五\n");
        let amp = d.content().find('&').expect("&");
        assert_eq!(&html[d.text_range(amp..amp + 1)], "&amp;");
        let five = d.content().find('五').expect("五");
        assert_eq!(&html[d.text_range(five..five + 3)], "五");
    }

    #[test]
    fn page_chrome_is_left_out_and_titles_and_metadata_recorded() {
        let html = "<html><head><title>某局2023年政府信息公开工作年度报告_某市人民政府门户网站</title></head><body>\
            <div class=\"breadcrumb\">首页 &gt; 政务公开</div>\
            <table><tr><td>索引号：</td><td>123</td><td>发布机构：</td><td>某局</td></tr><tr><td>发文日期：</td><td>2024-01-20</td></tr></table>\
            <div class=\"article-title\">某局2023年政府信息公开工作年度报告</div>\
            <p>正文</p><div class=\"xglj\">相关链接</div><footer>版权所有</footer></body></html>";
        let d = doc(html);
        assert!(!d.content().contains("首页"), "{:?}", d.content());
        assert!(!d.content().contains("索引号"), "{:?}", d.content());
        assert!(!d.content().contains("相关链接") && !d.content().contains("版权"));
        assert!(d.content().contains("某局2023年政府信息公开工作年度报告\n"));
        assert!(d.tables.is_empty());
        let meta: Vec<(&str, &str)> = d
            .meta
            .iter()
            .map(|m| (m.key.as_str(), m.value.as_str()))
            .collect();
        assert!(meta.contains(&("发布机构", "某局")), "{meta:?}");
        assert!(meta.contains(&("发文日期", "2024-01-20")), "{meta:?}");
        assert_eq!(
            meta.iter().filter(|(k, _)| *k == "title").count(),
            2,
            "{meta:?}"
        );
    }

    #[test]
    fn unclosed_cells_and_stray_tags_do_not_panic() {
        for html in [
            "<table><tr><td>1<td>2<tr><td>3",
            "</td></tr></table><td>",
            "<table><table><td>x</table>",
            "<p>&#99999999;&",
            "<title>x",
            "<div class=nav>",
        ] {
            let d = doc(html);
            let _ = d.text_range(0..d.content().len());
        }
    }
}
