//! Text from the data file on its way into an output: the prose policy and the escaping of
//! single-line fields.
//!
//! This module owns what text written by an agency may do in a rendered report. Prose is
//! Markdown, parsed once with pulldown-cmark and filtered into a stream of *allowed* events that
//! every output prints:
//!
//! - kept: paragraphs (a paragraph that is only `（一）…` is a sub-heading), emphasis, strong,
//!   bulleted and numbered lists, line breaks, inline code (printed as text), links whose target
//!   is `http:`, `https:`, `mailto:` or relative, images whose source is `http:`, `https:` or
//!   relative;
//! - flattened to paragraphs of their text: headings (a report's headings are the official ones),
//!   block quotes, code blocks;
//! - shown as text, never interpreted: raw HTML (`<script>`, `onerror=`);
//! - dropped, keeping the text: links and images with any other target (`javascript:`, `data:`,
//!   `vbscript:`, `file:` …; the scheme is read the way a browser reads it, ignoring case, blanks
//!   and control characters); thematic breaks.
//!
//! Emphasis follows CommonMark with one amendment for Chinese text ([`cjk_flanking`]): a run of
//! `*` or `_` that touches CJK punctuation on one side may open and close whatever stands on
//! its other side, so `**（二）依申请公开情况。**2024年…` is bold up to the `。` as its writer
//! meant (CommonMark alone leaves the `**` as text: a closing run after punctuation must be
//! followed by a space or punctuation). The Markdown output writes such emphasis in a form every
//! CommonMark renderer reads as emphasis ([`Prose::to_markdown`]).
//!
//! Single-line fields (机关, dates) are not Markdown: [`inline_markdown`] escapes them so that
//! they print as the characters they are, and flattens line breaks into spaces. The module must
//! not know about the report's layout; it only turns text into safe pieces.

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

/// The prose of one section after the policy: events every output may print as they are.
pub struct Prose {
    events: Vec<Event<'static>>,
}

/// A paragraph-level block for outputs that lay text out themselves (Word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Body,
    /// A paragraph that is only a `（一）…` heading.
    SubHeading,
    /// A list item: its marker is part of the first run (`1.`, `•`).
    ListItem,
}

/// A piece of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// Whether a link target may survive into a published page.
pub fn safe_link(target: &str) -> bool {
    match scheme(target) {
        None => true,
        Some(s) => matches!(s.as_str(), "http" | "https" | "mailto"),
    }
}

/// Whether an image source may survive into a published page.
pub fn safe_image(source: &str) -> bool {
    match scheme(source) {
        None => true,
        Some(s) => matches!(s.as_str(), "http" | "https"),
    }
}

/// The URL scheme as a browser finds it: blanks and control characters are ignored (browsers
/// strip them), case is ignored. `None` for a relative reference.
fn scheme(target: &str) -> Option<String> {
    let cleaned: String = target
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let colon = cleaned.find(':')?;
    let head = &cleaned[..colon];
    // A relative reference may contain a colon after its first `/`, `?` or `#`.
    if head.contains(['/', '?', '#']) {
        return None;
    }
    let mut chars = head.chars();
    let first = chars.next()?;
    if first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        Some(head.to_ascii_lowercase())
    } else {
        // `\` or a non-ASCII character before the colon: no scheme, a relative path.
        None
    }
}

/// A paragraph text that is a `（一）主动公开` sub-heading: the numeral in full-width brackets,
/// a short title, no sentence end.
pub fn is_sub_heading(text: &str) -> bool {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('（') else {
        return false;
    };
    let Some((numeral, title)) = rest.split_once('）') else {
        return false;
    };
    let title_len = title.chars().count();
    !numeral.is_empty()
        && numeral.chars().count() <= 3
        && numeral.chars().all(|c| "一二三四五六七八九十".contains(c))
        && (1..=30).contains(&title_len)
        && !title.contains(['。', '！', '？', '；', '，'])
}

impl Prose {
    /// Parses prose and applies the policy.
    pub fn parse(markdown: &str) -> Prose {
        let amended = cjk_flanking(markdown);
        let marks = amended.is_some();
        let markdown = amended.as_deref().unwrap_or(markdown);
        let owned = |s: CowStr<'_>| owned(s, marks);
        let push_text = |out: &mut Vec<Event<'static>>, open: &[bool], text: String| {
            push_text(out, open, text, marks)
        };
        let mut out: Vec<Event<'static>> = Vec::new();
        // Stack of what each open tag became: kept (`true`) or dropped (`false`).
        let mut open: Vec<bool> = Vec::new();
        // Image alt text is inline events inside the image; a dropped image keeps them.
        for event in Parser::new(markdown) {
            match event {
                Event::Start(tag) => {
                    let kept = match tag {
                        Tag::Paragraph | Tag::Emphasis | Tag::Strong | Tag::Item => {
                            out.push(Event::Start(tag.into_static()));
                            true
                        }
                        Tag::List(start) => {
                            out.push(Event::Start(Tag::List(start)));
                            true
                        }
                        Tag::Heading { .. } | Tag::CodeBlock(_) => {
                            out.push(Event::Start(Tag::Paragraph));
                            true
                        }
                        Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        } if link_type == LinkType::Email || safe_link(&dest_url) => {
                            out.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: owned(dest_url),
                                title: owned(title),
                                id: owned(id),
                            }));
                            true
                        }
                        Tag::Image {
                            link_type,
                            dest_url,
                            title,
                            id,
                        } if safe_image(&dest_url) => {
                            out.push(Event::Start(Tag::Image {
                                link_type,
                                dest_url: owned(dest_url),
                                title: owned(title),
                                id: owned(id),
                            }));
                            true
                        }
                        // Block quotes, HTML blocks, dangerous links and images, and anything
                        // the parser options do not enable: the tag goes, the content stays.
                        _ => false,
                    };
                    open.push(kept);
                }
                Event::End(end) => {
                    if open.pop().unwrap_or(false) {
                        out.push(Event::End(match end {
                            TagEnd::Heading(_) | TagEnd::CodeBlock => TagEnd::Paragraph,
                            other => other,
                        }));
                    }
                }
                Event::Text(t) => push_text(&mut out, &open, t.into_string()),
                Event::Code(t) => push_text(&mut out, &open, t.into_string()),
                Event::Html(t) | Event::InlineHtml(t) => {
                    push_text(&mut out, &open, t.into_string());
                }
                Event::SoftBreak => out.push(Event::SoftBreak),
                Event::HardBreak => out.push(Event::HardBreak),
                Event::Rule => {}
                // Not enabled by the parser options; kept as text should that ever change.
                other => {
                    if let Event::FootnoteReference(t)
                    | Event::InlineMath(t)
                    | Event::DisplayMath(t) = other
                    {
                        push_text(&mut out, &open, t.into_string());
                    }
                }
            }
        }
        Prose { events: out }
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The prose as HTML. Sub-heading paragraphs become `<h3 class="sub-heading">` (a heading
    /// under the section's `<h2>`, for screen readers and outlines).
    pub fn to_html(&self) -> String {
        let events = self.with_sub_headings(|start| {
            if start {
                Event::Html(CowStr::Borrowed("<h3 class=\"sub-heading\">"))
            } else {
                Event::Html(CowStr::Borrowed("</h3>\n"))
            }
        });
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }

    /// The prose as Markdown that means exactly the allowed events: every character that could
    /// start other structure is escaped by the serialiser.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let options = pulldown_cmark_to_cmark::Options {
            list_token: '-',
            ..Default::default()
        };
        match pulldown_cmark_to_cmark::cmark_with_options(
            self.events.iter(),
            &mut out,
            pulldown_cmark::Options::empty(),
            options,
        ) {
            Ok(_) => portable_emphasis(out.trim_end()),
            // The stream is well formed by construction; should the serialiser still refuse it,
            // the text alone, escaped, is the safe fallback.
            Err(_) => self
                .blocks()
                .iter()
                .map(|b| {
                    inline_markdown(&b.runs.iter().map(|r| r.text.as_str()).collect::<String>())
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        }
    }

    /// Paragraph-level blocks with styled runs, for Word.
    pub fn blocks(&self) -> Vec<Block> {
        let mut blocks: Vec<Block> = Vec::new();
        let mut current: Option<Block> = None;
        let (mut bold, mut italic) = (0usize, 0usize);
        // Per open list: the next number, or `None` for bullets.
        let mut lists: Vec<Option<u64>> = Vec::new();
        let mut item_marker: Option<String> = None;
        let push_run = |current: &mut Option<Block>, text: &str, bold: bool, italic: bool| {
            let block = current.get_or_insert_with(|| Block {
                kind: BlockKind::Body,
                runs: Vec::new(),
            });
            match block.runs.last_mut() {
                Some(last) if last.bold == bold && last.italic == italic => {
                    last.text.push_str(text)
                }
                _ => block.runs.push(Run {
                    text: text.to_owned(),
                    bold,
                    italic,
                }),
            }
        };
        let finish = |current: &mut Option<Block>, blocks: &mut Vec<Block>| {
            if let Some(mut block) = current.take()
                && block.runs.iter().any(|r| !r.text.trim().is_empty())
            {
                let text: String = block.runs.iter().map(|r| r.text.as_str()).collect();
                if block.kind == BlockKind::Body && is_sub_heading(&text) {
                    block.kind = BlockKind::SubHeading;
                }
                blocks.push(block);
            }
        };
        for event in &self.events {
            match event {
                // Paragraphs inside a (loose) list item belong to the item.
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                    if item_marker.is_none() =>
                {
                    finish(&mut current, &mut blocks);
                }
                Event::Start(Tag::List(start)) => {
                    finish(&mut current, &mut blocks);
                    lists.push(*start);
                }
                Event::End(TagEnd::List(_)) => {
                    finish(&mut current, &mut blocks);
                    lists.pop();
                }
                Event::Start(Tag::Item) => {
                    finish(&mut current, &mut blocks);
                    let marker = match lists.last_mut() {
                        Some(Some(n)) => {
                            let m = format!("{n}.");
                            *n += 1;
                            m
                        }
                        _ => "•".to_owned(),
                    };
                    current = Some(Block {
                        kind: BlockKind::ListItem,
                        runs: vec![Run {
                            text: format!("{marker} "),
                            bold: false,
                            italic: false,
                        }],
                    });
                    item_marker = Some(marker);
                }
                Event::End(TagEnd::Item) => {
                    finish(&mut current, &mut blocks);
                    item_marker = None;
                }
                Event::Start(Tag::Strong) => bold += 1,
                Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
                Event::Start(Tag::Emphasis) => italic += 1,
                Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
                Event::Text(t) => push_run(&mut current, t, bold > 0, italic > 0),
                Event::SoftBreak => {}
                Event::HardBreak => push_run(&mut current, "\n", bold > 0, italic > 0),
                _ => {}
            }
        }
        finish(&mut current, &mut blocks);
        blocks
    }

    /// The events with each sub-heading paragraph's start and end replaced by `marker(true)` /
    /// `marker(false)`.
    fn with_sub_headings(&self, marker: impl Fn(bool) -> Event<'static>) -> Vec<Event<'static>> {
        let mut out = Vec::with_capacity(self.events.len());
        let mut i = 0;
        while i < self.events.len() {
            if let Event::Start(Tag::Paragraph) = self.events[i] {
                // A paragraph of plain text only.
                let mut j = i + 1;
                let mut text = String::new();
                while let Some(Event::Text(t)) = self.events.get(j) {
                    text.push_str(t);
                    j += 1;
                }
                if matches!(self.events.get(j), Some(Event::End(TagEnd::Paragraph)))
                    && is_sub_heading(&text)
                {
                    out.push(marker(true));
                    out.extend(self.events[i + 1..j].iter().cloned());
                    out.push(marker(false));
                    i = j + 1;
                    continue;
                }
            }
            out.push(self.events[i].clone());
            i += 1;
        }
        out
    }
}

/// A link target or title, without the marks [`cjk_flanking`] added.
fn owned(s: CowStr<'_>, marks: bool) -> CowStr<'static> {
    if marks {
        CowStr::from(without_marks(&s))
    } else {
        CowStr::from(s.into_string())
    }
}

/// A character that counts as punctuation for CommonMark's flanking rules and that
/// [`cjk_flanking`] inserts beside a delimiter run; every piece of text the parser returns has
/// it removed again. A text that already contains it is parsed without the amendment.
const FLANK_MARK: char = '\u{2056}';

fn without_marks(text: &str) -> String {
    text.replace(FLANK_MARK, "")
}

/// CJK punctuation: the CJK Symbols and Punctuation block (`。`, `、`, `「」`, `【】` …), the
/// full-width forms that are punctuation (`（）`, `，`, `：`, `；`, `！`, `？` …), the vertical
/// forms, and the quotation marks, dashes and ellipsis Chinese text uses (`“”‘’`, `—`, `…`, `·`).
pub fn is_cjk_punctuation(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{FE10}'..='\u{FE1F}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
        | '\u{2018}'..='\u{201F}'
        | '\u{2014}'
        | '\u{2026}'
        | '\u{00B7}'
    )
}

/// Whether CommonMark counts `c` as punctuation for flanking (Unicode P and S categories; here:
/// ASCII punctuation, CJK punctuation and the general punctuation block, which is what the
/// amendment needs to tell apart).
fn is_flank_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || is_cjk_punctuation(c)
        || ('\u{2010}'..='\u{205E}').contains(&c)
        || matches!(c, '\u{00A1}'..='\u{00BF}')
}

/// Where an emphasis delimiter run touches CJK punctuation on one side and a letter, digit or
/// ideograph on the other, where CommonMark would not let it open (`年**（`) or close (`。**2`).
/// Each item is the byte offset of the run and which side needs a mark: `true` for before the
/// run, `false` for after it. Backslash-escaped delimiters and code spans' backticks are left
/// alone (a mark inside a code span is removed with the others).
pub fn stuck_delimiters(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    // Jumps from one `\`, `*` or `_` to the next with memchr (all three are ASCII, so they are
    // whole characters wherever they are found); the characters between need no look.
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr3(b'\\', b'*', b'_', &bytes[at..]) {
        let start = at + found;
        let c = bytes[start];
        if c == b'\\' {
            // The escaped character, whatever its length, is passed over with the backslash.
            let escaped = text[start + 1..].chars().next().map_or(0, char::len_utf8);
            at = start + 1 + escaped;
            continue;
        }
        let end = start + bytes[start..].iter().take_while(|&&b| b == c).count();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if let Some(letter_before) = stuck_side(before, after) {
            out.push((start..end, letter_before));
        }
        at = end;
    }
    out
}

/// Whether a delimiter run between `before` and `after` is stuck: `Some(false)` with Chinese
/// punctuation before it and a letter after, `Some(true)` the other way round.
fn stuck_side(before: Option<char>, after: Option<char>) -> Option<bool> {
    let plain = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace() && !is_flank_punctuation(c));
    let cjk = |c: Option<char>| c.is_some_and(is_cjk_punctuation);
    if cjk(before) && plain(after) {
        Some(false)
    } else if plain(before) && cjk(after) {
        Some(true)
    } else {
        None
    }
}

/// The Markdown with a `FLANK_MARK` on the letter side of every run [`stuck_delimiters`]
/// finds: with punctuation on both sides the run is both left- and right-flanking, so it can
/// close (`**（二）情况。**2024年`) and open (`2024年**（二）情况**`) as the CJK-friendly
/// amendment to CommonMark (markdown-cjk-friendly) lets it. `None` when nothing needs a mark or
/// the text already holds the mark (it is then parsed as plain CommonMark).
pub fn cjk_flanking(markdown: &str) -> Option<String> {
    if markdown.contains(FLANK_MARK) {
        return None;
    }
    let stuck = stuck_delimiters(markdown);
    if stuck.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(markdown.len() + stuck.len() * 3);
    let mut at = 0;
    for (run, before) in stuck {
        let cut = if before { run.start } else { run.end };
        out.push_str(&markdown[at..cut]);
        out.push(FLANK_MARK);
        at = cut;
    }
    out.push_str(&markdown[at..]);
    Some(out)
}

/// Markdown from the serialiser with every delimiter run that CommonMark would not read as
/// emphasis made readable: the letter beside it is written as a numeric character reference
/// (`。**&#50;024年`), which is punctuation (`&`, `;`) to the flanking rules and the same
/// character to a reader. Only runs beside CJK punctuation are touched.
fn portable_emphasis(markdown: &str) -> String {
    let stuck: Vec<_> = stuck_delimiters(markdown)
        .into_iter()
        .filter(|(run, _)| markdown[run.clone()].starts_with('*'))
        .collect();
    if stuck.is_empty() {
        return markdown.to_owned();
    }
    let mut out = String::with_capacity(markdown.len() + stuck.len() * 8);
    let mut at = 0;
    for (run, before) in stuck {
        let letter = if before {
            markdown[..run.start].char_indices().next_back()
        } else {
            markdown[run.end..]
                .char_indices()
                .next()
                .map(|(o, c)| (o + run.end, c))
        };
        let Some((offset, c)) = letter else {
            continue;
        };
        if offset < at {
            continue;
        }
        out.push_str(&markdown[at..offset]);
        out.push_str(&format!("&#{};", u32::from(c)));
        at = offset + c.len_utf8();
    }
    out.push_str(&markdown[at..]);
    out
}

/// Text inside the kept structure; text directly at top level (a block quote's or HTML block's
/// content whose paragraph tag was dropped) gets a paragraph of its own.
fn push_text(out: &mut Vec<Event<'static>>, open: &[bool], text: String, marks: bool) {
    let text = if marks { without_marks(&text) } else { text };
    if text.is_empty() {
        return;
    }
    if open.iter().any(|kept| *kept) {
        out.push(Event::Text(CowStr::from(text)));
    } else {
        out.push(Event::Start(Tag::Paragraph));
        out.push(Event::Text(CowStr::from(text.trim_end().to_owned())));
        out.push(Event::End(TagEnd::Paragraph));
    }
}

/// A single-line field (机关, a date) as Markdown that prints exactly its characters: line breaks
/// and other control characters become spaces, characters that could open Markdown or HTML
/// structure are backslash-escaped, and a line-start marker (`#`, `>`, `-`, `+`, `=`, `1.`) is
/// escaped too, because the field may begin a line (the 落款).
pub fn inline_markdown(text: &str) -> String {
    let flat = flatten(text);
    let mut out = String::with_capacity(flat.len() + 8);
    for c in flat.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // Block markers only matter at the start of a line.
    let first_is_marker = out.starts_with(['-', '+', '=']);
    if first_is_marker {
        out.insert(0, '\\');
    }
    // `1.` / `1)` opens an ordered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

/// A single-line field with line breaks, tabs and other control characters made spaces and
/// runs of spaces collapsed; leading and trailing blanks removed.
pub fn flatten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_control() || c.is_whitespace() && c != '\u{3000}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stuck_delimiters` as it was written first, over a vector of every character: the
    /// reference for the memchr version.
    fn stuck_by_chars(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            if c == '\\' {
                i += 2;
                continue;
            }
            if c != '*' && c != '_' {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len() && chars[j].1 == c {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |(o, _)| *o);
            let before = i.checked_sub(1).map(|k| chars[k].1);
            let after = chars.get(j).map(|(_, c)| *c);
            if let Some(letter_before) = super::stuck_side(before, after) {
                out.push((start..end, letter_before));
            }
            i = j;
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn stuck_delimiters_agree_with_the_character_scan(
            text in "[*_\\\\（）。，a年2 ]{0,16}"
        ) {
            proptest::prop_assert_eq!(stuck_delimiters(&text), stuck_by_chars(&text));
        }
    }

    #[test]
    fn schemes_are_read_like_a_browser_reads_them() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:msgbox",
            "file:///etc/passwd",
        ] {
            assert!(!safe_link(bad), "{bad:?}");
            assert!(!safe_image(bad), "{bad:?}");
        }
        for good in [
            "https://www.gov.cn/",
            "http://x.cn",
            "report.pdf",
            "/a/b?c=d:e",
            "#top",
        ] {
            assert!(safe_link(good), "{good:?}");
            assert!(safe_image(good), "{good:?}");
        }
        assert!(safe_link("mailto:gk@qingshan.gov.cn"));
        assert!(!safe_image("mailto:gk@qingshan.gov.cn"));
    }

    #[test]
    fn dangerous_links_keep_their_text_only() {
        let p = Prose::parse("请[点我](javascript:alert(1))和[官网](https://www.gov.cn/)。");
        let html = p.to_html();
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("点我"));
        assert!(
            html.contains("<a href=\"https://www.gov.cn/\">官网</a>"),
            "{html}"
        );
        let md = p.to_markdown();
        assert!(!md.contains("javascript"), "{md}");
        assert!(md.contains("[官网](https://www.gov.cn/)"), "{md}");
    }

    #[test]
    fn raw_html_is_text_in_both_outputs() {
        let p = Prose::parse("前<script>alert(1)</script>后\n\n<img src=x onerror=alert(1)>");
        let html = p.to_html();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        let md = p.to_markdown();
        // Re-parsing the Markdown finds no HTML at all.
        assert!(
            Parser::new(&md).all(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_))),
            "{md}"
        );
        assert!(md.contains("script"), "the text is kept: {md}");
    }

    #[test]
    fn headings_in_prose_become_paragraphs() {
        let p = Prose::parse("第一段\n# 伪造标题\n\n> 引用");
        let md = p.to_markdown();
        assert!(
            Parser::new(&md)
                .all(|e| !matches!(e, Event::Start(Tag::Heading { .. } | Tag::BlockQuote(_)))),
            "{md}"
        );
        assert!(md.contains("伪造标题"));
        assert!(!p.to_html().contains("<h1"));
    }

    #[test]
    fn sub_headings_are_recognised() {
        assert!(is_sub_heading("（一）主动公开"));
        assert!(is_sub_heading("（十二）其他"));
        assert!(!is_sub_heading("（一）主动公开。全年公开信息3620条"));
        assert!(!is_sub_heading("一、总体情况"));
        let p = Prose::parse("（一）主动公开\n\n全年公开。");
        assert!(
            p.to_html()
                .starts_with("<h3 class=\"sub-heading\">（一）主动公开</h3>")
        );
        let blocks = p.blocks();
        assert_eq!(blocks[0].kind, BlockKind::SubHeading);
        assert_eq!(blocks[1].kind, BlockKind::Body);
    }

    #[test]
    fn lists_and_emphasis_reach_word_blocks() {
        let p = Prose::parse("1. 第一\n2. **第二**\n\n- 要点");
        let blocks = p.blocks();
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].runs[0].text, "1. 第一");
        assert_eq!(blocks[1].kind, BlockKind::ListItem);
        assert!(blocks[1].runs.iter().any(|r| r.bold && r.text == "第二"));
        assert_eq!(blocks[2].runs[0].text, "• 要点");
    }

    /// The HTML a plain CommonMark renderer makes of some Markdown.
    fn commonmark(md: &str) -> String {
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, Parser::new(md));
        s
    }

    #[test]
    fn bold_lead_ins_end_at_cjk_punctuation() {
        let p = Prose::parse("**（二）依申请公开情况。**2024年共收到申请35件。");
        assert_eq!(
            p.to_html(),
            "<p><strong>（二）依申请公开情况。</strong>2024年共收到申请35件。</p>\n"
        );
        let blocks = p.blocks();
        assert_eq!(blocks[0].runs[0].text, "（二）依申请公开情况。");
        assert!(blocks[0].runs[0].bold);
        assert!(!blocks[0].runs[1].bold);
        assert_eq!(blocks[0].runs[1].text, "2024年共收到申请35件。");
        // Opening after a letter, before punctuation.
        let p = Prose::parse("全年**（见附表）**共3件，*“重点”*工作");
        assert_eq!(
            p.to_html(),
            "<p>全年<strong>（见附表）</strong>共3件，<em>“重点”</em>工作</p>\n"
        );
        // CommonMark alone prints the asterisks: the amendment is what makes the difference.
        assert!(commonmark("**（二）情况。**2024年").contains("**"));
    }

    #[test]
    fn the_amendment_leaves_other_text_alone() {
        for (md, html) in [
            ("a **b** c", "<p>a <strong>b</strong> c</p>\n"),
            ("3 * 4 = 12。*注", "<p>3 * 4 = 12。*注</p>\n"),
            (
                "转义\\*\\*（一）。\\*\\*2024",
                "<p>转义**（一）。**2024</p>\n",
            ),
            ("`。**2`", "<p>。**2</p>\n"),
            ("含\u{2056}标记。**2", "<p>含\u{2056}标记。**2</p>\n"),
        ] {
            assert_eq!(Prose::parse(md).to_html(), html, "{md}");
        }
    }

    #[test]
    fn markdown_output_is_bold_in_any_commonmark_renderer() {
        for md in [
            "**（二）依申请公开情况。**2024年共收到申请35件。",
            "全年**（见附表）**共3件。",
            "全年共**3件。**全部办结。",
        ] {
            let out = Prose::parse(md).to_markdown();
            let plain = commonmark(&out);
            assert_eq!(plain, Prose::parse(md).to_html(), "{md} → {out}");
            assert!(!plain.contains('*'), "{out}");
            // And reading it back gives the same prose.
            assert_eq!(Prose::parse(&out).to_html(), plain);
        }
    }

    #[test]
    fn single_line_fields_cannot_open_structure() {
        for (input, expected) in [
            ("青山区人民政府", "青山区人民政府"),
            ("某局\n# 标题", "某局 \\# 标题"),
            ("- 列表", "\\- 列表"),
            ("1. 编号", "1\\. 编号"),
            ("<script>", "\\<script\\>"),
            ("[点我](javascript:x)", "\\[点我\\](javascript:x)"),
            ("a`b`|c", "a\\`b\\`\\|c"),
        ] {
            assert_eq!(inline_markdown(input), expected);
            let html = {
                let mut s = String::new();
                pulldown_cmark::html::push_html(&mut s, Parser::new(&inline_markdown(input)));
                s
            };
            assert!(html.starts_with("<p>"), "{input:?} → {html}");
            assert!(!html.contains("<a ") && !html.contains("<script"), "{html}");
        }
    }
}
