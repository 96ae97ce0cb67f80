//! How text is normalised for matching, and what a table cell says.
//!
//! Owns the character-level normalisation that lets published text match the official labels
//! (traditional → simplified is done by `view` with fast2s; here: full-width → half-width,
//! quotes dropped, list punctuation unified) and the grammar of a figure in a cell (sign,
//! digits, decimals, unit, placeholders, blank cells, page numbers).

use crate::input::BLANK_CELL;

/// The memo tables below are keyed by the official labels only (a few hundred, never a
/// document's text), so they hash with FxHash, not SipHash: the defence against chosen keys is
/// not needed, and hashing was a tenth of a one-report run's start. (Sizing them up front was
/// tried: the larger tables touched more pages, and cost more page faults than the rehashing
/// they saved.)
type Memo<V> = std::collections::HashMap<String, V, rustc_hash::FxBuildHasher>;

fn new_memo<V>() -> std::cell::RefCell<Memo<V>> {
    std::cell::RefCell::new(Memo::default())
}

/// Normalises one character for matching; `None` drops it.
pub fn normalize_char(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' => Some(' '),
        '\u{200B}' | '\u{FEFF}' | '\r' => None,
        '“' | '”' | '‘' | '’' | '"' | '\'' | '「' | '」' | '『' | '』' => None,
        // Variants left by automatic script conversion (反覆 → 反复).
        '覆' => Some('复'),
        '、' => Some('.'),
        '。' => Some('.'),
        '〔' => Some('['),
        '〕' => Some(']'),
        '—' | '–' => Some('-'),
        c => Some(c),
    }
}

/// Phrase variants that automatic traditional-script conversion produces for official labels
/// (Taiwan usage: 文件 → 檔案). Each label is also searched in these forms.
const PHRASE_VARIANTS: [(&str, &str); 1] = [("文件", "档案")];

/// `label` (normalised) and its phrase variants. Memoised per thread: the same official labels
/// are looked for in every file.
pub fn label_forms(label: &str) -> std::rc::Rc<[String]> {
    thread_local! {
        static MEMO: std::cell::RefCell<Memo<std::rc::Rc<[String]>>> = new_memo();
    }
    MEMO.with(|memo| {
        if let Some(forms) = memo.borrow().get(label) {
            return forms.clone();
        }
        let mut forms = vec![label.to_owned()];
        for (official, variant) in PHRASE_VARIANTS {
            if label.contains(official) {
                forms.push(label.replace(official, variant));
            }
        }
        let forms: std::rc::Rc<[String]> = forms.into();
        memo.borrow_mut().insert(label.to_owned(), forms.clone());
        forms
    })
}

/// A label as it is matched: simplified, half-width, no whitespace or quotes.
///
/// The same few hundred official labels are normalised for every file read, so the results
/// are memoised per thread (script conversion dominated the profile before).
pub fn normalize_label(label: &str) -> String {
    thread_local! {
        static MEMO: std::cell::RefCell<Memo<String>> = new_memo();
    }
    MEMO.with(|memo| {
        if let Some(done) = memo.borrow().get(label) {
            return done.clone();
        }
        let done: String = super::script::simplify(label)
            .chars()
            .filter_map(normalize_char)
            .filter(|c| !c.is_whitespace())
            .collect();
        memo.borrow_mut().insert(label.to_owned(), done.clone());
        done
    })
}

/// A figure as published, with what is odd about it.
#[derive(Debug, Clone, PartialEq)]
pub struct CellValue {
    pub value: f64,
    /// A unit written in the cell (`个`, `元`, `万元`).
    pub unit: Option<&'static str>,
    /// A sign written in the cell (`-`, `+`, `--`, `减`, `增`).
    pub sign: Option<&'static str>,
    /// Written with a decimal point.
    pub decimal: bool,
    /// A placeholder for an empty cell (`/`, `-`, `—`, `无`), read as 0.
    pub placeholder: bool,
    /// A cell with nothing in it, read as 0.
    pub blank: bool,
}

impl CellValue {
    /// The value as a count, when it is a whole number no larger than a report's figures can
    /// be ([`crate::report::MAX_FIGURE`]; a larger one is reported as T005, not summed).
    pub fn as_count(&self) -> Option<i64> {
        (self.value.fract() == 0.0 && self.is_plausible()).then_some(self.value as i64)
    }

    /// Finite and within ±[`crate::report::MAX_FIGURE`].
    pub fn is_plausible(&self) -> bool {
        self.value.is_finite() && self.value.abs() <= crate::report::MAX_FIGURE as f64
    }

    /// A plain count, as read from glued figures or bare digits.
    pub fn count(value: i64) -> CellValue {
        CellValue {
            value: value as f64,
            ..CellValue::zero(false, false)
        }
    }

    fn zero(placeholder: bool, blank: bool) -> CellValue {
        CellValue {
            value: 0.0,
            unit: None,
            sign: None,
            decimal: false,
            placeholder,
            blank,
        }
    }
}

/// What a token of the view is.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// Words: labels, prose.
    Text,
    /// A table cell holding a figure, possibly with a sign, unit or decimals; or a blank cell.
    Number(CellValue),
    /// A page number such as `-3-`: ignored.
    PageNumber,
}

const SIGNS: [&str; 5] = ["--", "+", "-", "减", "增"];
const UNITS: [&str; 7] = ["个", "件", "项", "次", "条", "万元", "元"];

/// Splits `text` into the pieces of a cell: sign, digits (with thousands separators),
/// fraction (with its point) and unit. The grammar, as a regex (kept as the reference in the
/// tests): `^(--|\+|-|减|增)?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?(个|件|项|次|条|万元|元)?$`.
/// Hand-written because it runs on every token with a digit.
fn split_cell(text: &str) -> Option<(Option<&'static str>, &str, &str, Option<&'static str>)> {
    let sign = SIGNS.into_iter().find(|s| text.starts_with(s));
    let rest = &text[sign.map_or(0, str::len)..];
    let int_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b',')
        .count();
    let (int, rest) = rest.split_at(int_len);
    if int.is_empty() || !int.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if int.contains(',') {
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let frac_len = match rest.strip_prefix('.') {
        Some(after) => {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            digits + 1
        }
        None => 0,
    };
    let (frac, unit) = rest.split_at(frac_len);
    let unit = match unit {
        "" => None,
        u => Some(UNITS.into_iter().find(|x| *x == u)?),
    };
    Some((sign, int, frac, unit))
}

/// A page number as PDF text prints it: `-3-` or `第3页` / `第3页共10页`.
fn is_page_number(text: &str) -> bool {
    fn short_number(s: &str) -> bool {
        (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    }
    if let Some(inner) = text.strip_prefix('-').and_then(|t| t.strip_suffix('-')) {
        return short_number(inner);
    }
    let Some(inner) = text.strip_prefix('第') else {
        return false;
    };
    let Some((page, rest)) = inner.split_once('页') else {
        return false;
    };
    short_number(page)
        && (rest.is_empty()
            || rest
                .strip_prefix('共')
                .and_then(|r| r.strip_suffix('页'))
                .is_some_and(short_number))
}

/// The value of a figure's digits (`int` with thousands separators, `frac` with its point),
/// as `str::parse::<f64>` reads them without the separators. A whole number of up to 19
/// digits — nearly every cell — is summed as an integer without building a string: `u64 as
/// f64` rounds to nearest, ties to even, as the parser does, so the value is the same.
fn magnitude(int: &str, frac: &str) -> Option<f64> {
    if frac.is_empty() {
        let mut n: u64 = 0;
        let mut digits = 0;
        for b in int.bytes().filter(|b| *b != b',') {
            n = n * 10 + u64::from(b - b'0');
            digits += 1;
            if digits == 19 {
                break;
            }
        }
        if digits < 19 {
            return Some(n as f64);
        }
    }
    let digits: String = int
        .chars()
        .filter(|c| *c != ',')
        .chain(frac.chars())
        .collect();
    digits.parse::<f64>().ok()
}

/// Classifies a whitespace-free piece of the view.
pub fn classify(text: &str) -> TokenKind {
    // Most figures are bare digits (`0`, `12`, `2024`): read at once, as the general path
    // below would (no sign, no unit, not a page number; up to 18 digits sum exactly), without
    // trying every sign, unit and page-number form first. `tests` check the two agree.
    if (1..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        let n = text.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        return TokenKind::Number(CellValue::count(n));
    }
    classify_general(text)
}

/// [`classify`] without its shortcut for bare digits.
fn classify_general(text: &str) -> TokenKind {
    if text.starts_with(BLANK_CELL) && text.len() == BLANK_CELL.len_utf8() {
        return TokenKind::Number(CellValue::zero(false, true));
    }
    if matches!(text, "/" | "-" | "--" | "无" | "\\") {
        return TokenKind::Number(CellValue::zero(true, false));
    }
    // Most tokens are prose. A cell starts with a digit or a sign and a page number with `-`
    // or `第` (`split_cell`, `is_page_number`), so most are passed over on their first
    // character; without a digit a token is neither either.
    let figure_start = matches!(text.as_bytes().first(), Some(b'0'..=b'9' | b'-' | b'+'))
        || text.starts_with(['减', '增', '第']);
    if !figure_start || !text.bytes().any(|b| b.is_ascii_digit()) {
        return TokenKind::Text;
    }
    if is_page_number(text) {
        return TokenKind::PageNumber;
    }
    let Some((sign, int, frac, unit)) = split_cell(text) else {
        return TokenKind::Text;
    };
    let Some(magnitude) = magnitude(int, frac) else {
        return TokenKind::Text;
    };
    let negative = matches!(sign, Some("-" | "--" | "减"));
    TokenKind::Number(CellValue {
        value: if negative { -magnitude } else { magnitude },
        unit,
        sign,
        decimal: !frac.is_empty(),
        placeholder: false,
        blank: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The cell and page-number grammars as regexes: the reference the hand-written readers
    /// are checked against.
    const CELL: &str = r"^(?P<sign>--|\+|-|减|增)?(?P<num>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<frac>\.[0-9]+)?(?P<unit>个|件|项|次|条|万元|元)?$";
    const PAGE: &str = r"^(?:-[0-9]{1,3}-|第[0-9]{1,3}页(?:共[0-9]{1,3}页)?)$";

    fn check_against_reference(text: &str) {
        let cell = Regex::new(CELL).unwrap();
        let page = Regex::new(PAGE).unwrap();
        let expected = cell.captures(text).map(|c| {
            (
                c.name("sign").map(|m| m.as_str()),
                c.name("num").map_or("", |m| m.as_str()),
                c.name("frac").map_or("", |m| m.as_str()),
                c.name("unit").map(|m| m.as_str()),
            )
        });
        let got = split_cell(text);
        assert_eq!(
            got.map(|(s, n, f, u)| (s.map(str::to_owned), n, f, u.map(str::to_owned))),
            expected.map(|(s, n, f, u)| (s.map(str::to_owned), n, f, u.map(str::to_owned))),
            "cell {text:?}"
        );
        assert_eq!(is_page_number(text), page.is_match(text), "page {text:?}");
    }

    proptest! {
        #[test]
        fn cell_reader_agrees_with_the_grammar(text in "(--|\\+|-|减|增|第)?[0-9,.]{0,9}(个|件|万元|元|页|页共12页|-|x)?") {
            check_against_reference(&text);
        }
    }

    #[test]
    fn cell_reader_edge_cases() {
        for text in [
            "1,234",
            "12,34",
            ",123",
            "1,234,567.5万元",
            "3.",
            ".5",
            "-12-",
            "-1234-",
            "第3页共10页",
            "第3页共",
            "增22",
            "--253",
            "9个",
            "1元x",
            "",
        ] {
            check_against_reference(text);
        }
    }

    proptest! {
        #[test]
        fn whole_numbers_read_as_the_parser_reads_them(text in "[0-9]{1,25}|[0-9]{1,3}(,[0-9]{3}){0,7}") {
            let plain: String = text.chars().filter(|c| *c != ',').collect();
            prop_assert_eq!(magnitude(&text, ""), plain.parse::<f64>().ok());
        }
    }

    proptest! {
        /// The shortcut for bare digits reads them as the general path does (up to 25 digits:
        /// past 18 the shortcut leaves them to the general path).
        #[test]
        fn bare_digits_classify_as_the_general_path_does(text in "[0-9]{1,25}") {
            prop_assert_eq!(classify(&text), classify_general(&text));
        }
    }

    #[test]
    fn odd_cells_are_classified() {
        let unit = |t: &str| match classify(t) {
            TokenKind::Number(v) => (v.value, v.unit, v.decimal, v.placeholder, v.blank),
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(unit("9个"), (9.0, Some("个"), false, false, false));
        assert_eq!(unit("2151.0"), (2151.0, None, true, false, false));
        assert_eq!(unit("--253"), (-253.0, None, false, false, false));
        assert_eq!(unit("/"), (0.0, None, false, true, false));
        assert_eq!(unit("1,234"), (1234.0, None, false, false, false));
        assert_eq!(
            unit(&BLANK_CELL.to_string()),
            (0.0, None, false, false, true)
        );
        assert_eq!(classify("-3-"), TokenKind::PageNumber);
        assert_eq!(classify("2024年"), TokenKind::Text);
        // A figure too large to be a count is not one.
        assert_eq!(
            match classify("99999999999999999999") {
                TokenKind::Number(v) => v.as_count(),
                _ => Some(0),
            },
            None
        );
    }
}
