//! The prose of a section as people wrote it: original characters, re-flowed into paragraphs.
//!
//! Owns turning a stretch of a document's content (markup already gone) into paragraphs: PDF
//! text breaks lines at the page width and inserts page numbers and page-break margins; pasted
//! text indents paragraphs; numbered items (`（一）`, `1.`) start new ones. Table residue (lines of
//! cells) is dropped. Each paragraph keeps where it starts in the content, so that a finding
//! about a paragraph can point at it.

use std::ops::Range;

use super::normalize::{TokenKind, classify, normalize_char};
use crate::input::BLANK_CELL;

/// A paragraph and the content range of its first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub start: Range<usize>,
}

/// Lines that are page chrome when they end a crawled page (`相关链接`, `联系我们` …): they and
/// everything after them are not the report.
pub const TRAILING_CHROME: &[&str] = &[
    "相关链接",
    "相关词条",
    "热门词条",
    "联系我们",
    "网站地图",
    "版权所有",
    "主办单位",
    "打印本页",
    "关闭窗口",
    "返回顶部",
    "分享到",
    "扫一扫",
    "【打印】",
    "【关闭】",
];

/// How a format breaks its text into lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Every line is a paragraph (Word paragraphs, HTML blocks).
    Paragraphs,
    /// Lines may be wraps of a longer paragraph (PDF text, pasted text, Markdown).
    Wrapped,
}

/// Paragraphs of `content[range]`.
pub fn paragraphs(content: &str, range: Range<usize>, lines: Lines) -> Vec<Piece> {
    let Some(text) = content.get(range.clone()) else {
        return Vec::new();
    };
    let mut out: Vec<Piece> = Vec::new();
    let mut current = String::new();
    let mut current_start = 0..0;
    let flush = |current: &mut String, start: &Range<usize>, out: &mut Vec<Piece>| {
        if !current.is_empty() {
            out.push(Piece {
                text: std::mem::take(current),
                start: start.clone(),
            });
        }
    };
    let (mut blank, mut page_break) = (false, false);
    let mut at = range.start;
    for line in text.split_inclusive('\n') {
        let line_range = at..at + line.len();
        at += line.len();
        let line = line.trim_end_matches('\n');
        let trimmed = line.trim_matches(|c: char| c.is_whitespace());
        let indented = line.starts_with("  ") || line.starts_with('\u{3000}');
        let compact: String = super::script::simplify(trimmed)
            .chars()
            .filter_map(normalize_char)
            .filter(|c| !c.is_whitespace())
            .collect();
        if trimmed.is_empty() {
            blank = true;
            continue;
        }
        if TRAILING_CHROME.iter().any(|c| compact.starts_with(c)) && compact.chars().count() <= 12 {
            break;
        }
        if classify(&compact) == TokenKind::PageNumber {
            page_break = true;
            continue;
        }
        // Table residue: rows of cells.
        if line.contains('\t') || trimmed.contains(BLANK_CELL) || trimmed.starts_with('|') {
            continue;
        }
        // A blank line ends a paragraph, unless it is the margin of a page break that falls
        // mid-sentence.
        let paragraph_ends = blank && (!page_break || ends_sentence(&current));
        if lines == Lines::Paragraphs
            || paragraph_ends
            || starts_item(trimmed)
            || indented
            || ends_sentence(&current)
        {
            flush(&mut current, &current_start, &mut out);
        }
        blank = false;
        page_break = false;
        if current.is_empty() {
            let lead = line.len() - line.trim_start().len();
            current_start = line_range.start + lead..line_range.start + lead + trimmed.len();
        }
        let needs_space = current
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && trimmed.starts_with(|c: char| c.is_ascii_alphanumeric());
        if needs_space {
            current.push(' ');
        }
        current.push_str(trimmed);
        // A short numbered line is a sub-heading: it stands alone.
        if starts_item(trimmed) && trimmed.chars().count() <= 20 && !trimmed.contains('。') {
            flush(&mut current, &current_start, &mut out);
        }
    }
    flush(&mut current, &current_start, &mut out);
    out
}

/// The paragraphs joined as a data file holds prose (blank lines between paragraphs).
pub fn text(content: &str, range: Range<usize>, lines: Lines) -> Option<String> {
    let pieces = paragraphs(content, range, lines);
    (!pieces.is_empty()).then(|| {
        pieces
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

/// A line that ends a sentence or announces what follows (full-width or, as some reports write
/// them, half-width punctuation; not `.`, which ends decimals too).
fn ends_sentence(text: &str) -> bool {
    text.ends_with(['。', '！', '？', '：', '；', ':', ';', '!', '?'])
}

/// `（一）`, `一、`, `1.`, `1、` at the start of a line: a new item.
fn starts_item(line: &str) -> bool {
    const NUMERALS: &str = "一二三四五六七八九十";
    let mut chars = line.chars();
    match chars.next() {
        Some('（' | '(') => chars
            .next()
            .is_some_and(|c| NUMERALS.contains(c) || c.is_ascii_digit()),
        Some(c) if NUMERALS.contains(c) => chars.next() == Some('、'),
        Some(c) if c.is_ascii_digit() => {
            let rest: String = chars.skip_while(char::is_ascii_digit).take(1).collect();
            matches!(rest.as_str(), "." | "、" | "．")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_lines_are_reflowed_into_paragraphs() {
        let text = "  2023年，本机关认真贯彻落实《条例》，持续\n深化政务公开。\n  （一）主动公开\n全年主动公开政府信息\n120条。\n\n- 3 -\n\n下一段开始";
        let prose = super::text(text, 0..text.len(), Lines::Wrapped).expect("prose");
        assert_eq!(
            prose,
            "2023年，本机关认真贯彻落实《条例》，持续深化政务公开。\n\n（一）主动公开\n\n全年主动公开政府信息120条。\n\n下一段开始"
        );
        let pieces = paragraphs(text, 0..text.len(), Lines::Wrapped);
        let signature = "青山区人民政府\n2024年1月20日\n";
        assert_eq!(
            paragraphs(signature, 0..signature.len(), Lines::Paragraphs).len(),
            2,
            "in Word, a line is a paragraph"
        );
        assert_eq!(&text[pieces[1].start.clone()], "（一）主动公开");
    }

    #[test]
    fn page_chrome_at_the_end_is_not_prose() {
        let text = "无其他需要报告的事项。\n\n相關詞條\n\n熱門詞條\n";
        assert_eq!(
            super::text(text, 0..text.len(), Lines::Wrapped).as_deref(),
            Some("无其他需要报告的事项。")
        );
    }
}
