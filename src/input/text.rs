//! Plain text and Markdown → [`Document`]: the text as it is, with table rows recognised.
//!
//! Owns the two text layouts of tables: Markdown pipe rows (`| 规章 | 0 |  | 5 |`) and rows
//! pasted from Word, Excel or a web page with cells separated by tabs (`规章\t\t0\t5`, and
//! `规章\t\t\t` for three blank cells: those programs separate cells and end the row without a
//! tab). In both, an empty cell between separators is a blank cell, not nothing; tabs before the
//! first cell only indent it. Elsewhere a pipe or tab is a
//! cell separator as well (a tab in the content), so label-anchored reading still sees cells in
//! layouts that are not rows. Markdown's emphasis markers (`*`) and `<!-- … -->` comments (in
//! Markdown and plain text, anywhere: between rows, inside a row or a cell) are left out of the
//! content without ending a table; the text itself is never changed.

use std::ops::Range;

use super::{Builder, Document, Format, Origin};

/// Characters that separate cells in pasted and Markdown tables.
fn is_pipe(c: char) -> bool {
    matches!(c, '|' | '｜' | '¦')
}

/// The kind of table row a line is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Pipes,
    Tabs,
}

/// Reads text (already decoded) as plain text or Markdown.
///
/// `<!-- … -->` comments (Markdown's, and the suppression comments people paste into plain
/// text drafts too) are left out of the content wherever they are — in prose, between table
/// rows, inside a row or a cell — so that a comment never changes what is read: a line that
/// holds only comments inside a table does not end the table.
pub fn read(name: &str, format: Format, text: String, origin: Origin) -> Document {
    let comments = if format.has_comments() {
        comment_ranges(&text)
    } else {
        Vec::new()
    };
    let mut builder = Builder::over(name, format, text, origin);
    let text_len = builder.text().len();
    let mut open: Option<RowKind> = None;
    let mut pipes = Vec::new();
    let mut at = 0;
    while at < text_len {
        let line_end = memchr::memchr(b'\n', &builder.text().as_bytes()[at..])
            .map_or(text_len, |i| at + i + 1);
        let line = at..line_end;
        at = line_end;
        let body = line.start..trim_newline(builder.text(), line.clone());
        let kind = if touches(&comments, &line) {
            let visible = visible(builder.text(), &comments, body.clone());
            if visible.trim().is_empty() {
                // Nothing but comments (comments may span lines). Inside a table the rows
                // go on; elsewhere the line break stays (it may separate paragraphs).
                if open.is_none() {
                    copy_plain(&mut builder, &comments, line, format);
                }
                continue;
            }
            row_kind(&visible)
        } else {
            row_kind(&builder.text()[body.clone()])
        };
        if kind != open {
            if open.is_some() {
                builder.end_table(line.start);
            }
            if kind.is_some() {
                builder.start_table(line.start);
            }
            open = kind;
        }
        match kind {
            Some(RowKind::Pipes) => {
                pipe_row(&mut builder, &comments, body.clone(), format, &mut pipes);
            }
            Some(RowKind::Tabs) => tab_row(&mut builder, &comments, body.clone(), format),
            None => copy_plain(&mut builder, &comments, body.clone(), format),
        }
        // The line break itself, unless a comment runs over it.
        copy_plain(&mut builder, &comments, body.end..line.end, format);
    }
    builder.finish()
}

/// Whether any comment overlaps `range`.
fn touches(comments: &[Range<usize>], range: &Range<usize>) -> bool {
    comments
        .iter()
        .any(|c| c.end > range.start && c.start < range.end)
}

/// Whether byte `at` lies inside a comment.
fn in_comment(comments: &[Range<usize>], at: usize) -> bool {
    comments.iter().any(|c| c.contains(&at))
}

/// The text of `range` with its comments left out (borrowed when no comment touches it, as
/// for nearly every line and cell).
fn visible<'t>(
    text: &'t str,
    comments: &[Range<usize>],
    range: Range<usize>,
) -> std::borrow::Cow<'t, str> {
    if !touches(comments, &range) {
        return std::borrow::Cow::Borrowed(&text[range]);
    }
    std::borrow::Cow::Owned(
        outside(comments, range)
            .into_iter()
            .map(|piece| &text[piece])
            .collect(),
    )
}

/// End of a line's text without its `\r\n` / `\n`.
fn trim_newline(text: &str, line: Range<usize>) -> usize {
    let s = &text[line.clone()];
    line.start + s.trim_end_matches(['\n', '\r']).len()
}

/// A pipe row starts with a pipe and has at least one more; a tab row has, after any leading
/// tabs, a first cell with something in it and at least one more cell.
fn row_kind(line: &str) -> Option<RowKind> {
    let trimmed = line.trim_start_matches([' ', '\u{3000}']);
    if trimmed.starts_with(is_pipe) {
        let first = special_len(trimmed.as_bytes()[0]);
        let only_pipes = Wanted {
            star: false,
            dropped: false,
        };
        if next_special(&trimmed.as_bytes()[first..], only_pipes).is_some() {
            return Some(RowKind::Pipes);
        }
    }
    // Without a tab the line is one cell (most lines: prose).
    memchr::memchr(b'\t', line.as_bytes())?;
    let cells = line
        .split('\t')
        .skip_while(|s| s.trim().is_empty())
        .take(2)
        .count();
    (cells >= 2).then_some(RowKind::Tabs)
}

/// Copies text, turning stray pipes into cell separators and dropping Markdown emphasis and
/// comments.
fn copy_plain(
    builder: &mut Builder,
    comments: &[Range<usize>],
    range: Range<usize>,
    format: Format,
) {
    if touches(comments, &range) {
        for piece in outside(comments, range) {
            copy_plain(builder, &[], piece, format);
        }
        return;
    }
    if builder.text().as_bytes().get(range.clone()) == Some(b"\n") {
        // A line's own line break (most calls): nothing in it to look for.
        builder.copy_clean(range);
        return;
    }
    // One scan finds both what this reader turns into something else and what the builder
    // drops; the runs between are copied as they are.
    let wanted = Wanted {
        star: format == Format::Markdown,
        dropped: true,
    };
    let mut run_start = range.start;
    while let Some(i) = builder
        .text()
        .get(run_start..range.end)
        .and_then(|rest| next_special(rest.as_bytes(), wanted))
        .map(|i| run_start + i)
    {
        let len = special_len(builder.text().as_bytes()[i]);
        builder.copy_clean(run_start..i);
        if builder.text().as_bytes()[i] != b'*' && builder.text().as_bytes()[i] != b'\r' {
            // A pipe (`|`, `｜`, `¦`); private-use characters are dropped like `\r` and `*`.
            let c = builder.text()[i..].chars().next().unwrap_or('|');
            if is_pipe(c) {
                builder.push('\t', i..i + len);
            }
        }
        run_start = i + len;
    }
    builder.copy_clean(run_start..range.end);
}

/// Which characters [`next_special`] looks for besides the pipes (`|`, `｜`, `¦`).
#[derive(Debug, Clone, Copy)]
struct Wanted {
    /// Markdown's emphasis marker `*`.
    star: bool,
    /// What the builder drops ([`super::dropped`]): `\r` and private-use characters.
    dropped: bool,
}

/// Byte offset of the first character of `bytes` (valid UTF-8) that is a pipe or one of
/// `wanted`, found by bytes instead of decoding every character: a table of the bytes such a
/// character starts with (`|`, `*`, `\r`; `¦` is C2 A6, `｜` EF BD 9C, U+E000–U+F8FF EE .. ..
/// or EF 80–A3 ..), looked up eight bytes at a time, each hit checked against the bytes after
/// it. A lead byte is never a continuation byte, so every hit starts a character. (memchr
/// restarted at every full-width comma, EF BC 8C, and cost more on short lines and cells.)
fn next_special(bytes: &[u8], wanted: Wanted) -> Option<usize> {
    let table = &LEADS[usize::from(wanted.star) | usize::from(wanted.dropped) << 1];
    let mut at = 0;
    loop {
        let i = at + super::find_lead(&bytes[at..], table)?;
        let next = bytes.get(i + 1).copied();
        let hit = match bytes[i] {
            0xC2 => next == Some(0xA6),
            0xEE => true,
            0xEF => {
                (wanted.dropped && next.is_some_and(|b| b <= 0xA3))
                    || (next == Some(0xBD) && bytes.get(i + 2) == Some(&0x9C))
            }
            _ => true,
        };
        if hit {
            return Some(i);
        }
        at = i + 1;
    }
}

/// For each [`Wanted`] (index: `star | dropped << 1`), which bytes may start a character
/// [`next_special`] looks for.
static LEADS: [[u8; 256]; 4] = [
    leads(false, false),
    leads(true, false),
    leads(false, true),
    leads(true, true),
];

const fn leads(star: bool, dropped: bool) -> [u8; 256] {
    let mut table = [0; 256];
    table[b'|' as usize] = 1;
    table[0xC2] = 1;
    table[0xEF] = 1;
    if star {
        table[b'*' as usize] = 1;
    }
    if dropped {
        table[b'\r' as usize] = 1;
        table[0xEE] = 1;
    }
    table
}

/// Length of the character whose UTF-8 lead byte is `lead`.
fn special_len(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0xC0..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// `| a | b |  |`: the cells between the pipes; the markdown separator row (`| --- |`) says
/// nothing and is left out of the content. Pipes inside comments separate nothing.
fn pipe_row(
    builder: &mut Builder,
    comments: &[Range<usize>],
    line: Range<usize>,
    format: Format,
    pipes: &mut Vec<usize>,
) {
    let text = &builder.text()[line.clone()];
    // `pipes` is the caller's, reused from row to row.
    pipes.clear();
    let only_pipes = Wanted {
        star: false,
        dropped: false,
    };
    let mut at = 0;
    while let Some(i) = next_special(&text.as_bytes()[at..], only_pipes).map(|i| at + i) {
        if !in_comment(comments, line.start + i) {
            pipes.push(line.start + i);
        }
        at = i + special_len(text.as_bytes()[i]);
    }
    // The pipe before a cell and the cell, for two pipes in a row.
    let cell_of = |builder: &Builder, w: &[usize]| {
        let pipe_len = special_len(builder.text().as_bytes()[w[0]]);
        (w[0]..w[0] + pipe_len, w[0] + pipe_len..w[1])
    };
    let separator_row = pipes.windows(2).all(|w| {
        let (_, cell) = cell_of(builder, w);
        let seen = visible(builder.text(), comments, cell);
        let c = seen.trim();
        !c.is_empty()
            && c.trim_matches(':').len() >= 3
            && c.trim_matches(':').chars().all(|ch| ch == '-')
    });
    if separator_row {
        return;
    }
    let last_pipe = pipes.last().copied().unwrap_or(line.start);
    builder.start_row(line.start);
    for w in pipes.windows(2) {
        let (pipe, cell) = cell_of(builder, w);
        let at = builder.start_cell(pipe);
        copy_plain(builder, comments, cell.clone(), format);
        builder.end_cell(at, cell, 1, 1);
    }
    // Text after the last pipe (a row without a closing pipe) is a last cell.
    let pipe_len = builder.text()[last_pipe..]
        .chars()
        .next()
        .map_or(1, char::len_utf8);
    let tail = (last_pipe + pipe_len).min(line.end)..line.end;
    if !visible(builder.text(), comments, tail.clone())
        .trim()
        .is_empty()
    {
        let at = builder.start_cell(last_pipe..last_pipe);
        copy_plain(builder, comments, tail.clone(), format);
        builder.end_cell(at, tail, 1, 1);
    }
}

/// `规章\t\t0\t5`: cells between tabs; an empty one is a blank cell. Leading tabs only indent
/// the row. Tabs inside comments separate nothing.
fn tab_row(builder: &mut Builder, comments: &[Range<usize>], line: Range<usize>, format: Format) {
    let text = builder.text()[line.clone()].to_owned();
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\t' && !in_comment(comments, line.start + i) {
            pieces.push((start, &text[start..i]));
            start = i + 1;
        }
    }
    pieces.push((start, &text[start..]));
    let full = builder.text();
    let first = pieces.iter().position(|&(offset, piece)| {
        let range = line.start + offset..line.start + offset + piece.len();
        !visible(full, comments, range).trim().is_empty()
    });
    let last = pieces.len().checked_sub(1);
    let (Some(first), Some(last)) = (first, last) else {
        copy_plain(builder, comments, line, format);
        return;
    };
    // Leading padding (tabs and spaces before the first cell) stays in the content as it is.
    let row_start = line.start + pieces[first].0;
    copy_plain(builder, comments, line.start..row_start, format);
    builder.start_row(row_start);
    for (offset, piece) in &pieces[first..=last] {
        let cell = line.start + offset..line.start + offset + piece.len();
        let tab = cell.start.saturating_sub(1)..cell.start;
        let at = builder.start_cell(if cell.start > line.start {
            tab
        } else {
            cell.start..cell.start
        });
        copy_plain(builder, comments, cell.clone(), format);
        builder.end_cell(at, cell, 1, 1);
    }
    let row_end = line.start + pieces[last].0 + pieces[last].1.len();
    copy_plain(builder, comments, row_end..line.end, format);
}

/// Byte ranges of `<!-- … -->` comments (an unclosed one runs to the end).
fn comment_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    // memmem, not `str::find`: the whole file is scanned, SIMD rather than byte by byte.
    let bytes = text.as_bytes();
    while let Some(start) = memchr::memmem::find(&bytes[at..], b"<!--").map(|i| at + i) {
        let after = &bytes[start + 4..];
        // `<!-->` and `<!--->` are whole, empty comments (CommonMark and HTML alike), as
        // `rules::suppression` reads them too.
        let end = if after.starts_with(b">") {
            start + 5
        } else if after.starts_with(b"->") {
            start + 6
        } else {
            memchr::memmem::find(after, b"-->").map_or(text.len(), |i| start + 4 + i + 3)
        };
        out.push(start..end);
        at = end;
    }
    out
}

/// The parts of `range` outside every comment.
fn outside(comments: &[Range<usize>], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = range.start;
    for c in comments
        .iter()
        .filter(|c| c.end > range.start && c.start < range.end)
    {
        if c.start > at {
            out.push(at..c.start);
        }
        at = at.max(c.end);
    }
    if at < range.end {
        out.push(at..range.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::BLANK_CELL;

    /// What [`row_kind`] was before it scanned bytes.
    fn row_kind_by_chars(line: &str) -> Option<RowKind> {
        let trimmed = line.trim_start_matches([' ', '\u{3000}']);
        if trimmed.starts_with(is_pipe) && trimmed.chars().filter(|&c| is_pipe(c)).nth(1).is_some()
        {
            return Some(RowKind::Pipes);
        }
        let cells = line
            .split('\t')
            .skip_while(|s| s.trim().is_empty())
            .take(2)
            .count();
        (cells >= 2).then_some(RowKind::Tabs)
    }

    proptest::proptest! {
        #[test]
        fn row_kinds_are_found_by_bytes(line in "[ \u{3000}\t|a年\u{A6}\u{A5}\u{FF5C}\u{FF0C}-]{0,12}") {
            proptest::prop_assert_eq!(row_kind(&line), row_kind_by_chars(&line));
        }
    }

    /// The scan [`next_special`] replaced: decode every character.
    fn next_special_by_chars(text: &str, wanted: Wanted) -> Option<usize> {
        text.char_indices()
            .find(|&(_, c)| {
                is_pipe(c)
                    || (wanted.star && c == '*')
                    || (wanted.dropped && super::super::dropped(c))
            })
            .map(|(i, _)| i)
    }

    proptest::proptest! {
        /// The byte scan stops where decoding every character does, for every set of wanted
        /// characters: pipes, their neighbours that share lead bytes (`¥` C2 A5, `，` EF BC 8C,
        /// `～` EF BD 9E), the private-use area and its neighbours.
        #[test]
        fn specials_are_found_by_bytes(
            text in "[a年*\r|\t\u{A5}\u{A6}\u{A7}\u{FF5C}\u{FF5B}\u{FF5E}\u{FF0C}\u{D7FF}\u{E000}\u{E123}\u{EFFF}\u{F000}\u{F8FF}\u{F900}\u{FFFD}\u{1F600}]{0,16}",
            star: bool,
            dropped: bool,
        ) {
            let wanted = Wanted { star, dropped };
            proptest::prop_assert_eq!(
                next_special(text.as_bytes(), wanted),
                next_special_by_chars(&text, wanted)
            );
            if let Some(i) = next_special(text.as_bytes(), wanted) {
                let c = text[i..].chars().next().expect("a character");
                proptest::prop_assert_eq!(special_len(text.as_bytes()[i]), c.len_utf8());
            }
        }
    }

    fn doc(text: &str, format: Format) -> Document {
        read("t", format, text.to_owned(), Origin::Utf8 { bom: 0 })
    }

    #[test]
    fn markdown_pipe_rows_keep_blank_cells() {
        let d = doc(
            "标题\n| 规章 | 0 |  | 5 |\n| --- | --- | --- | --- |\n正文\n",
            Format::Markdown,
        );
        assert_eq!(d.tables.len(), 1);
        let row = &d.tables[0].rows[0];
        assert_eq!(row.cells.len(), 4);
        assert!(row.cells[2].blank);
        assert_eq!(
            d.content(),
            format!("标题\n\t 规章 \t 0 \t{BLANK_CELL}\t 5 \n\n正文\n")
        );
        // The blank mark points at the cell between its pipes.
        assert_eq!(&d.text[d.text_range(row.cells[2].content.clone())], "  ");
    }

    #[test]
    fn tabbed_rows_keep_blank_cells_between_tabs_only() {
        let d = doc("规章\t\t0\t5\t\n\t8\n", Format::Text);
        let cells: Vec<bool> = d.tables[0].rows[0].cells.iter().map(|c| c.blank).collect();
        assert_eq!(cells, [false, true, false, false, true]);
        // A line with one cell after a leading tab is not a row (one cell per line layouts).
        assert_eq!(d.tables[0].rows.len(), 1);
        assert!(d.content().ends_with("\t8\n"));
    }

    #[test]
    fn a_row_of_blank_cells_is_a_row() {
        let d = doc("规章\t\t\t\n", Format::Text);
        let cells: Vec<bool> = d.tables[0].rows[0].cells.iter().map(|c| c.blank).collect();
        assert_eq!(cells, [false, true, true, true]);
    }

    #[test]
    fn a_comment_between_or_inside_rows_does_not_split_the_table() {
        for format in [Format::Markdown, Format::Text] {
            let text = "| 规章 | 1 | 2 |\n<!-- nianbao-disable-next-line T005 -->\n| 规范性文件 | 3<!-- x | y --> | 4 |\n<!--\n多行\n-->\n| 其他 | <!-- z --> | 6 |\n正文\n";
            let d = doc(text, format);
            assert_eq!(d.tables.len(), 1, "{format:?}: {}", d.content());
            let rows = &d.tables[0].rows;
            assert_eq!(rows.len(), 3, "{format:?}");
            assert!(rows.iter().all(|r| r.cells.len() == 3), "{format:?}");
            assert!(
                rows[2].cells[1].blank,
                "a cell holding only a comment is blank"
            );
            assert!(!d.content().contains("<!--"), "{}", d.content());
            // Offsets stay exact: the cell's 3 is the 3 of the text.
            let three = &rows[1].cells[1];
            assert_eq!(&d.content()[three.content.clone()], " 3 ");
            let r = d.text_range(three.content.start + 1..three.content.start + 2);
            assert_eq!(r.start, text.find("3<!--").expect("3"));
        }
        // A tab-separated row with a comment between its rows and inside a cell.
        let d = doc(
            "规章\t1\t2\n<!-- c -->\n规范性文件\t3<!-- \t -->\t4\n",
            Format::Text,
        );
        assert_eq!(d.tables.len(), 1);
        assert_eq!(d.tables[0].rows[1].cells.len(), 3);
    }

    #[test]
    fn empty_comments_end_where_they_open() {
        let text = "a<!-->b<!--->c<!-- x -->d<!--";
        let got: Vec<&str> = comment_ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["<!-->", "<!--->", "<!-- x -->", "<!--"]);
    }

    #[test]
    fn a_comment_line_in_prose_keeps_its_line_break() {
        let d = doc("甲\n<!-- c -->\n乙\n", Format::Markdown);
        assert_eq!(d.content(), "甲\n\n乙\n");
    }

    #[test]
    fn comments_and_emphasis_are_left_out_and_offsets_kept() {
        let text = "a<!-- x\ny -->**b**|c\r\n";
        let d = doc(text, Format::Markdown);
        assert_eq!(d.content(), "ab\tc\n");
        let b = d.content().find('b').expect("b");
        assert_eq!(&text[d.text_range(b..b + 1)], "b");
    }
}
