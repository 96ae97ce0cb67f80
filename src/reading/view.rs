//! A document's content as the reading stage matches it: normalised, without whitespace, cut
//! into lines and tokens, every byte traceable to the document's text.
//!
//! Owns [`View`]. The content is converted traditional → simplified (fast2s, character for
//! character), normalised (`normalize_char`), and stripped of whitespace into one string,
//! `compact`, so that `2024 年`, `２０２４年` and `2024年` read alike and labels broken across
//! lines or cells still match. Whitespace survives only as boundaries: a line is a range of
//! `compact`, and so is a token (a run of non-whitespace: a word, a figure, a blank-cell mark).
//! Only `compact` and a run-length map back to the content are kept — no per-character table —
//! so that a large file costs a few times its size.

use std::ops::Range;

use super::normalize::{CellValue, TokenKind, classify, normalize_char};
use crate::input::{Document, OffsetMap};

/// What a token is. The figure of a number is read again when asked ([`View::cell`]), so that
/// a token costs twelve bytes, not the size of a figure with its unit and sign: a large file
/// has millions of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Words: labels, prose.
    Text,
    /// A table cell holding a figure (or a blank cell, or a placeholder).
    Number,
    /// A page number such as `-3-`: ignored.
    PageNumber,
}

impl Class {
    fn of(kind: &TokenKind) -> Class {
        match kind {
            TokenKind::Text => Class::Text,
            TokenKind::Number(_) => Class::Number,
            TokenKind::PageNumber => Class::PageNumber,
        }
    }
}

/// A token: a maximal run of non-whitespace in the content, as a range of `compact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    start: u32,
    end: u32,
    pub class: Class,
}

impl Token {
    fn new(range: Range<usize>, class: Class) -> Token {
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Token {
            start: at(range.start),
            end: at(range.end),
            class,
        }
    }

    /// The token's range of `compact`.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The ASCII bytes that are characters [`normalize_char`] keeps as they are and that are not
/// whitespace: everything but the whitespace, the quotes it drops, and `\r`. Built at compile
/// time; `tests` check it against `normalize_char`.
const ASCII_KEPT: [bool; 128] = {
    let mut kept = [true; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        if c.is_ascii_whitespace() || matches!(c, '\u{0B}' | '"' | '\'' | '\r') {
            kept[b] = false;
        }
        b += 1;
    }
    kept
};

/// The three-byte characters the byte walk of [`View::add_plain_line`] passes over whole: the
/// Chinese characters U+4E00–U+9FFF that neither script conversion nor [`normalize_char`]
/// changes (all but 覆 and the traditional ones). For a character led by 0xE4–0xE9, bit
/// `third & 0x3F` of entry `(lead - 0xE4) << 6 | (second & 0x3F)`: one lookup instead of
/// decoding the code point and testing it three times. Built at compile time; `tests` check it
/// against the tests it replaces.
static PASSED_CJK: [u64; 384] = {
    let mut table = [0u64; 384];
    let mut entry = 0;
    while entry < 384 {
        let mut bit = 0;
        while bit < 64 {
            let n = 0x4000 + ((entry as u32) << 6) + bit;
            if n >= 0x4E00 && n != '覆' as u32 && !super::script::may_change_const(n) {
                table[entry] |= 1 << bit;
            }
            bit += 1;
        }
        entry += 1;
    }
    table
};

/// Whether the three-byte character `lead second third` (lead 0xE4–0xE9) is one of
/// [`PASSED_CJK`].
#[inline]
fn passed_cjk(lead: u8, second: u8, third: u8) -> bool {
    let entry = usize::from(lead - 0xE4) << 6 | usize::from(second & 0x3F);
    PASSED_CJK[entry] >> (third & 0x3F) & 1 != 0
}

/// Length in bytes of the run of [`PASSED_CJK`] characters `bytes` starts with: the body of
/// a line of Chinese text, walked in a loop of its own (few values live, none on the stack).
#[inline(never)]
fn passed_cjk_run(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(&[lead @ 0xE4..=0xE9, second, third]) = bytes.get(at..at + 3) {
        if !passed_cjk(lead, second, third) {
            break;
        }
        at += 3;
    }
    at
}

/// The normalised, whitespace-free view of a document.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The content, normalised, without whitespace.
    pub compact: String,
    /// `compact` → `Document::content`.
    map: OffsetMap,
    /// Non-blank lines, as ranges of `compact`.
    pub lines: Vec<Range<usize>>,
    pub tokens: Vec<Token>,
}

impl View {
    pub fn new(document: &Document) -> View {
        View::build(document, View::add_plain_line)
    }

    /// [`View::new`], with `add_plain` reading the lines that need no script conversion (the
    /// tests pass the `char`-by-`char` walk the byte walk replaced).
    fn build(
        document: &Document,
        add_plain: fn(&mut View, &str, usize, super::script::Table) -> bool,
    ) -> View {
        let content = document.content();
        let mut view = View {
            compact: String::with_capacity(content.len()),
            ..View::default()
        };
        // Room for what a report's content usually makes, so that the vectors are not grown
        // step by step (each step a copy): per content byte, the 90th percentile over the
        // benchmark corpus is 0.08 map runs, 0.007 lines and 0.036 tokens. Capped at a
        // megabyte's worth, beyond which growing costs little; `shrink_to_fit` below gives
        // back what is left over.
        let usual = content.len().min(1 << 20);
        view.map.reserve(usual / 12);
        view.lines.reserve(usual / 128);
        view.tokens.reserve(usual / 28);
        let table = super::script::Table::get();
        let mut line_start = 0;
        let mut buffer = String::new();
        // The lines of `split_inclusive('\n')`, found by the memchr crate's SIMD search
        // rather than core's.
        while line_start < content.len() {
            let line_end = memchr::memchr(b'\n', &content.as_bytes()[line_start..])
                .map_or(content.len(), |i| line_start + i + 1);
            let line = &content[line_start..line_end];
            if !add_plain(&mut view, line, line_start, table) {
                view.add_converted_line(line, line_start, &mut buffer);
            }
            line_start = line_end;
        }
        merge_split_signs(&mut view);
        view.compact.shrink_to_fit();
        view.map.shrink_to_fit();
        view.lines.shrink_to_fit();
        view.tokens.shrink_to_fit();
        view
    }

    /// Adds one line of content (at content offset `offset`) that needs no script conversion,
    /// in one pass: runs of characters that normalise to themselves are copied to `compact`
    /// and recorded in the map as one piece each. Returns `false`, having added nothing, when
    /// the line holds a character `fast2s` may change (`add_converted_line` reads it then).
    ///
    /// The line is walked by bytes, not by `char`: ASCII that stays as it is (a table of the
    /// 128) and the common Chinese characters U+4E00–U+9FFF (three bytes led by 0xE4–0xE9) are
    /// passed over without decoding a `char` or running `normalize_char`, which was a fifth of
    /// reading a report. Every other character takes the full path. `tests` check this against
    /// the `char`-by-`char` walk it replaced.
    fn add_plain_line(&mut self, line: &str, offset: usize, table: super::script::Table) -> bool {
        let first = self.compact.len();
        let first_token = self.tokens.len();
        let mut token: Option<usize> = None;
        // Start (in `line`) of the run of unchanged characters not yet copied.
        let mut run = 0;
        let bytes = line.as_bytes();
        let mut at = 0;
        while let Some(&lead) = bytes.get(at) {
            // A three-byte character U+4000–U+9FFF (`line` is valid UTF-8), asked first: most
            // characters of a report are, and most of them are passed over by one lookup.
            let c = if let Some(&[lead @ 0xE4..=0xE9, second, third]) = bytes.get(at..at + 3) {
                if passed_cjk(lead, second, third) {
                    at += 3;
                    at += passed_cjk_run(&bytes[at..]);
                    continue;
                }
                let n = (u32::from(lead & 0x0F) << 12)
                    | (u32::from(second & 0x3F) << 6)
                    | u32::from(third & 0x3F);
                if table.may_change_bmp(n) {
                    self.compact.truncate(first);
                    self.map.truncate(first);
                    self.tokens.truncate(first_token);
                    return false;
                }
                if n >= 0x4E00 && n != u32::from('覆') {
                    at += 3;
                    continue;
                }
                match char::from_u32(n) {
                    Some(c) => c,
                    None => break,
                }
            } else if lead < 0x80 {
                if ASCII_KEPT[usize::from(lead)] {
                    at += 1;
                    continue;
                }
                char::from(lead)
            } else {
                let Some(c) = line.get(at..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                if table.may_change(c) {
                    self.compact.truncate(first);
                    self.map.truncate(first);
                    self.tokens.truncate(first_token);
                    return false;
                }
                c
            };
            let len = c.len_utf8();
            let normal = normalize_char(c);
            if normal == Some(c) && !c.is_whitespace() {
                at += len;
                continue;
            }
            if run < at {
                token.get_or_insert(self.compact.len());
                self.compact.push_str(&line[run..at]);
                self.map.copied(offset + run, at - run);
            }
            run = at + len;
            match normal {
                None => {}
                Some(n) if n.is_whitespace() => {
                    if let Some(start) = token.take() {
                        self.push_token(start);
                    }
                }
                Some(n) => {
                    token.get_or_insert(self.compact.len());
                    self.compact.push(n);
                    let source = offset + at;
                    if n.len_utf8() == len {
                        self.map.copied(source, len);
                    } else {
                        self.map.replaced(n.len_utf8(), source..source + len);
                    }
                }
            }
            at += len;
        }
        if run < line.len() {
            token.get_or_insert(self.compact.len());
            self.compact.push_str(&line[run..]);
            self.map.copied(offset + run, line.len() - run);
        }
        if let Some(start) = token {
            self.push_token(start);
        }
        if self.compact.len() > first {
            self.lines.push(first..self.compact.len());
        }
        true
    }

    /// Adds one line of content (at content offset `offset`) in traditional script, converted
    /// character by character. `buffer` is scratch space for the conversion, reused from line
    /// to line.
    fn add_converted_line(&mut self, line: &str, offset: usize, buffer: &mut String) {
        // fast2s converts three-byte characters in place and keeps the number of characters,
        // so the two iterators stay in step.
        buffer.clear();
        buffer.push_str(line);
        fast2s::replace(buffer);
        let simplified: &str = buffer;
        let first = self.compact.len();
        let mut token: Option<usize> = None;
        // A stretch of characters copied at their own length, recorded in the map at once; a
        // dropped or whitespace character breaks the stretch (the next source offset is not
        // where the stretch ends).
        let mut copied: Option<(usize, usize)> = None;
        for ((at, original), converted) in line.char_indices().zip(simplified.chars()) {
            let normal = normalize_char(converted);
            match normal {
                None => continue,
                Some(c) if c.is_whitespace() => {
                    if let Some(start) = token.take() {
                        self.push_token(start);
                    }
                }
                Some(c) => {
                    token.get_or_insert(self.compact.len());
                    self.compact.push(c);
                    let source = offset + at;
                    let len = original.len_utf8();
                    match &mut copied {
                        Some((start, run)) if c.len_utf8() == len && *start + *run == source => {
                            *run += len;
                        }
                        _ => {
                            if let Some((start, run)) = copied.take() {
                                self.map.copied(start, run);
                            }
                            if c.len_utf8() == len {
                                copied = Some((source, len));
                            } else {
                                self.map.replaced(c.len_utf8(), source..source + len);
                            }
                        }
                    }
                }
            }
        }
        if let Some((start, run)) = copied {
            self.map.copied(start, run);
        }
        if let Some(start) = token {
            self.push_token(start);
        }
        if self.compact.len() > first {
            self.lines.push(first..self.compact.len());
        }
    }

    fn push_token(&mut self, start: usize) {
        let range = start..self.compact.len();
        let class = Class::of(&classify(&self.compact[range.clone()]));
        self.tokens.push(Token::new(range, class));
    }

    /// Number of runs in the map back to the content (memory measurements).
    pub fn map_runs(&self) -> usize {
        self.map.runs()
    }

    /// The content range that `compact` bytes `range` stand for.
    pub fn content_range(&self, range: Range<usize>) -> Range<usize> {
        self.map.range(range)
    }

    /// [`View::content_range`] for ranges asked in increasing order (see
    /// [`OffsetMap::range_near`](crate::input::map::OffsetMap::range_near)).
    pub fn content_range_near(&self, range: Range<usize>, hint: &mut usize) -> Range<usize> {
        self.map.range_near(range, hint)
    }

    /// The content offset where `compact` byte `at` starts (`content_range(at..).start`, with
    /// one search of the map rather than two).
    pub fn content_start(&self, at: usize) -> usize {
        self.map.start(at)
    }

    /// [`View::content_start`] for offsets asked in increasing order (see
    /// [`OffsetMap::start_near`](crate::input::map::OffsetMap::start_near)).
    pub fn content_start_near(&self, at: usize, hint: &mut usize) -> usize {
        self.map.start_near(at, hint)
    }

    /// A token's text.
    pub fn token_text(&self, token: usize) -> &str {
        self.tokens
            .get(token)
            .and_then(|t| self.compact.get(t.range()))
            .unwrap_or("")
    }

    /// The figure a number token holds.
    pub fn cell(&self, token: usize) -> Option<CellValue> {
        match self.tokens.get(token)?.class {
            Class::Number => match classify(self.token_text(token)) {
                TokenKind::Number(v) => Some(v),
                _ => None,
            },
            _ => None,
        }
    }

    /// Index of the first token that ends after `compact` offset `at`.
    pub fn token_at(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| t.range().end <= at)
    }

    /// The `compact` range from the first to the last of `tokens`.
    pub fn tokens_range(&self, tokens: Range<usize>) -> Range<usize> {
        if self.tokens.is_empty() {
            return 0..0;
        }
        let last_index = self.tokens.len() - 1;
        let first = self.tokens[tokens.start.min(last_index)].range();
        let last = self.tokens[tokens
            .end
            .saturating_sub(1)
            .clamp(tokens.start.min(last_index), last_index)]
        .range();
        first.start..last.end.max(first.start)
    }

    /// Index of the line holding `compact` offset `at`, if any.
    pub fn line_of(&self, at: usize) -> Option<usize> {
        let i = self.lines.partition_point(|l| l.end <= at);
        (i < self.lines.len() && self.lines[i].start <= at).then_some(i)
    }
}

/// `减 40` and `增 22` published with a space: one signed cell. The tokens are merged in place
/// (most views have no such pair: nothing moves then).
fn merge_split_signs(view: &mut View) {
    let tokens = &mut view.tokens;
    let mut kept = 0;
    let mut next = 0;
    while let Some(&token) = tokens.get(next) {
        next += 1;
        let mut merged = token;
        if matches!(&view.compact[token.range()], "减" | "增")
            && let Some(number) = tokens.get(next)
            && number.class == Class::Number
            && number.range().start == token.range().end
        {
            let range = token.range().start..number.range().end;
            let class = Class::of(&classify(&view.compact[range.clone()]));
            merged = Token::new(range, class);
            next += 1;
        }
        tokens[kept] = merged;
        kept += 1;
    }
    tokens.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Format;

    fn view(text: &str) -> (Document, View) {
        let doc = Document::plain("t", Format::Text, text.to_owned());
        let view = View::new(&doc);
        (doc, view)
    }

    /// Every character U+4000–U+9FFF is in [`PASSED_CJK`] exactly when the byte walk's tests
    /// would pass it over: not one `fast2s` may change, U+4E00 or above, not 覆.
    #[test]
    fn passed_cjk_is_the_walks_tests() {
        let table = crate::reading::script::Table::get();
        for n in 0x4000u32..=0x9FFF {
            let c = char::from_u32(n).unwrap();
            let mut bytes = [0; 4];
            let b = c.encode_utf8(&mut bytes).as_bytes();
            let entry = usize::from(b[0] - 0xE4) << 6 | usize::from(b[1] & 0x3F);
            let passed = PASSED_CJK[entry] >> (b[2] & 0x3F) & 1 != 0;
            let walk = !table.may_change(c) && n >= 0x4E00 && c != '覆';
            assert_eq!(passed, walk, "U+{n:04X}");
        }
    }

    /// The `char`-by-`char` walk [`View::add_plain_line`] replaced, kept as its oracle.
    fn add_plain_line_by_char(
        view: &mut View,
        line: &str,
        offset: usize,
        table: crate::reading::script::Table,
    ) -> bool {
        let first = view.compact.len();
        let first_token = view.tokens.len();
        let mut token: Option<usize> = None;
        let mut run = 0;
        for (at, c) in line.char_indices() {
            if table.may_change(c) {
                view.compact.truncate(first);
                view.map.truncate(first);
                view.tokens.truncate(first_token);
                return false;
            }
            if c.is_ascii_alphanumeric() || (('\u{4E00}'..='\u{9FFF}').contains(&c) && c != '覆') {
                continue;
            }
            let normal = normalize_char(c);
            if normal == Some(c) && !c.is_whitespace() {
                continue;
            }
            if run < at {
                token.get_or_insert(view.compact.len());
                view.compact.push_str(&line[run..at]);
                view.map.copied(offset + run, at - run);
            }
            let len = c.len_utf8();
            run = at + len;
            match normal {
                None => {}
                Some(n) if n.is_whitespace() => {
                    if let Some(start) = token.take() {
                        view.push_token(start);
                    }
                }
                Some(n) => {
                    token.get_or_insert(view.compact.len());
                    view.compact.push(n);
                    let source = offset + at;
                    if n.len_utf8() == len {
                        view.map.copied(source, len);
                    } else {
                        view.map.replaced(n.len_utf8(), source..source + len);
                    }
                }
            }
        }
        if run < line.len() {
            token.get_or_insert(view.compact.len());
            view.compact.push_str(&line[run..]);
            view.map.copied(offset + run, line.len() - run);
        }
        if let Some(start) = token {
            view.push_token(start);
        }
        if view.compact.len() > first {
            view.lines.push(first..view.compact.len());
        }
        true
    }

    #[test]
    fn the_ascii_table_is_what_normalize_char_keeps() {
        for b in 0u8..128 {
            let c = char::from(b);
            let kept = normalize_char(c) == Some(c) && !c.is_whitespace();
            assert_eq!(ASCII_KEPT[usize::from(b)], kept, "{b:#x}");
            assert!(!crate::reading::script::may_change(c), "{b:#x}");
        }
    }

    proptest::proptest! {
        /// The byte walk reads every line as the `char` walk did: the same compact text, map,
        /// lines and tokens, and the same lines handed on for conversion.
        #[test]
        fn the_byte_walk_reads_as_the_char_walk(
            text in "[a-zA-Z0-9 \t\r\n\"'，。、覆開国年㐀䶵\u{3000}\u{FF10}-\u{FF19}\u{E000}é€😀—“”-]{0,40}"
        ) {
            let doc = Document::plain("t", Format::Text, text.clone());
            let by_bytes = View::new(&doc);
            let by_char = View::build(&doc, add_plain_line_by_char);
            proptest::prop_assert_eq!(&by_bytes.compact, &by_char.compact);
            proptest::prop_assert_eq!(&by_bytes.lines, &by_char.lines);
            proptest::prop_assert_eq!(&by_bytes.tokens, &by_char.tokens);
            proptest::prop_assert_eq!(format!("{:?}", by_bytes.map), format!("{:?}", by_char.map));
        }
    }

    #[test]
    fn traditional_and_full_width_are_normalised_with_offsets_kept() {
        let src = "（一）予以公開\n１２３";
        let (doc, v) = view(src);
        assert_eq!(v.compact, "(一)予以公开123");
        let open = v.compact.find('开').expect("开");
        assert_eq!(&src[doc.text_range(v.content_range(open..open + 3))], "開");
        assert_eq!(v.lines.len(), 2);
        assert_eq!(
            v.cell(v.tokens.len() - 1),
            match classify("123") {
                TokenKind::Number(n) => Some(n),
                _ => None,
            }
        );
    }

    #[test]
    fn tokens_are_whitespace_separated_and_split_signs_merge() {
        let (_, v) = view("规章 减 40\t12\n");
        let texts: Vec<&str> = (0..v.tokens.len()).map(|t| v.token_text(t)).collect();
        assert_eq!(texts, ["规章", "减40", "12"]);
        // A sign before a sign, a sign at the end, pairs one after another.
        let (_, v) = view("减 减 40 增 7 增 8 增\n");
        let texts: Vec<&str> = (0..v.tokens.len()).map(|t| v.token_text(t)).collect();
        assert_eq!(texts, ["减", "减40", "增7", "增8", "增"]);
        assert_eq!(v.tokens[1].class, Class::Number);
        assert_eq!(v.tokens[4].class, Class::Text);
    }

    /// The one-pass reader of lines in simplified script gives what the character-by-character
    /// reader of converted lines gives: the same compact text, tokens, lines and map.
    fn both_readers(text: &str) -> (View, View) {
        let table = crate::reading::script::Table::get();
        let (mut fast, mut slow) = (View::default(), View::default());
        let mut buffer = String::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if !fast.add_plain_line(line, at, table) {
                fast.add_converted_line(line, at, &mut buffer);
            }
            slow.add_converted_line(line, at, &mut buffer);
            at += line.len();
        }
        (fast, slow)
    }

    fn assert_same(text: &str) {
        let (fast, slow) = both_readers(text);
        assert_eq!(fast.compact, slow.compact, "{text:?}");
        assert_eq!(fast.tokens, slow.tokens, "{text:?}");
        assert_eq!(fast.lines, slow.lines, "{text:?}");
        assert_eq!(fast.map, slow.map, "{text:?}");
    }

    #[test]
    fn the_one_pass_reader_agrees_with_the_converting_reader() {
        for text in [
            "",
            "规章 减 40\t12\r\n",
            "“行政许可”　１２３、　覆盖。\n\n",
            "（一）予以公開\n１２３",
            "a\u{200B}b\u{FEFF}c 'd' — e–f 〔2024〕",
            "\u{E000}\u{3000}\u{A0}x\u{2003}y",
        ] {
            assert_same(text);
        }
    }

    /// The characters the one-pass reader passes over without `normalize_char` are ones it
    /// leaves as they are.
    #[test]
    fn characters_passed_over_normalise_to_themselves() {
        let chinese = ('\u{4E00}'..='\u{9FFF}').filter(|&c| c != '覆');
        let ascii = ('0'..='z').filter(char::is_ascii_alphanumeric);
        for c in chinese.chain(ascii) {
            assert_eq!(normalize_char(c), Some(c), "{c}");
            assert!(!c.is_whitespace(), "{c}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_reader_agrees_on_any_text(
            text in "[a-z0-9 \t\r\n“”'\"、。—–〔〕　\u{A0}\u{200B}\u{FEFF}１２Ａ（）规章减覆開公]{0,40}"
        ) {
            assert_same(&text);
        }
    }

    #[test]
    fn any_text_does_not_panic() {
        for src in ["", "\n\n", "减", "　", "\u{E000}", "a\r\nb"] {
            let (_, v) = view(src);
            let _ = v.tokens_range(0..v.tokens.len());
            let _ = v.content_range(0..v.compact.len());
        }
    }
}
