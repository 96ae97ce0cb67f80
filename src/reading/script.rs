//! Which text needs converting from traditional to simplified script before it is read.
//!
//! Owns the set of characters `fast2s` can change (`traditional.txt`: every character its
//! table maps to another, and the few it converts only beside certain neighbours; a test checks
//! the list against `fast2s` itself), held as a bitset over the Basic Multilingual Plane built
//! at compile time. Text with none of them — most reports are in simplified script — is passed on
//! as it is, unconverted and uncopied. `fast2s` changes a character only into another of the
//! same length, so converting or not never moves an offset.

use std::borrow::Cow;

/// The characters `fast2s` can change, forty to a line.
const TRADITIONAL: &str = include_str!("traditional.txt");

/// One bit per code point below U+10000 (`fast2s` converts only three-byte characters).
type Bits = [u64; 1024];

/// The set, built by the compiler from the list (it is the same for every run, so no run spends
/// time on it).
static BITS: Bits = SET;
const SET: Bits = bits_of(TRADITIONAL.as_bytes());

/// [`may_change`] for a code point, usable in a `const fn` (tables derived from the set at
/// compile time).
pub(super) const fn may_change_const(n: u32) -> bool {
    n < 0x10000 && SET[(n >> 6) as usize] & (1 << (n & 63)) != 0
}

/// The bitset of the characters of `list` (UTF-8) other than whitespace, below U+10000.
const fn bits_of(list: &[u8]) -> Bits {
    let mut bits = [0u64; 1024];
    let mut i = 0;
    while i < list.len() {
        let lead = list[i] as u32;
        let (n, len) = if lead < 0x80 {
            (lead, 1)
        } else if lead < 0xE0 {
            (((lead & 0x1F) << 6) | (list[i + 1] as u32 & 0x3F), 2)
        } else if lead < 0xF0 {
            let n = ((lead & 0x0F) << 12)
                | ((list[i + 1] as u32 & 0x3F) << 6)
                | (list[i + 2] as u32 & 0x3F);
            (n, 3)
        } else {
            (0x10000, 4)
        };
        if n < 0x10000 && !is_whitespace(n) {
            bits[(n >> 6) as usize] |= 1 << (n & 63);
        }
        i += len;
    }
    bits
}

/// `char::is_whitespace` (Unicode's White_Space) for a code point, usable in a `const fn`.
const fn is_whitespace(n: u32) -> bool {
    matches!(
        n,
        0x09..=0x0D
            | 0x20
            | 0x85
            | 0xA0
            | 0x1680
            | 0x2000..=0x200A
            | 0x2028
            | 0x2029
            | 0x202F
            | 0x205F
            | 0x3000
    )
}

fn bits() -> &'static Bits {
    &BITS
}

/// Whether `fast2s` may change `c` (in some context).
pub fn may_change(c: char) -> bool {
    let n = c as usize;
    n < 0x10000 && bits()[n >> 6] & (1 << (n & 63)) != 0
}

/// The set of characters `fast2s` may change, fetched once for a loop over many characters.
#[derive(Clone, Copy)]
pub struct Table(&'static Bits);

impl Table {
    pub fn get() -> Table {
        Table(bits())
    }

    /// Whether `fast2s` may change `c` (in some context).
    #[inline]
    pub fn may_change(self, c: char) -> bool {
        self.may_change_bmp(c as u32)
    }

    /// [`Table::may_change`] for a code point already decoded from bytes.
    #[inline]
    pub fn may_change_bmp(self, n: u32) -> bool {
        let n = n as usize;
        n < 0x10000 && self.0[n >> 6] & (1 << (n & 63)) != 0
    }
}

/// Whether `text` has any character `fast2s` may change.
pub fn needs_conversion(text: &str) -> bool {
    if text.is_ascii() {
        return false;
    }
    let bits = bits();
    text.chars().any(|c| {
        let n = c as usize;
        n < 0x10000 && bits[n >> 6] & (1 << (n & 63)) != 0
    })
}

/// `text` in simplified script: `fast2s::convert` of it, borrowed as it is when there is
/// nothing to convert.
pub fn simplify(text: &str) -> Cow<'_, str> {
    if needs_conversion(text) {
        Cow::Owned(fast2s::convert(text))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list is exactly what `fast2s` changes: every three-byte character it converts on
    /// its own is in it, and every one in it is changed in some context.
    #[test]
    fn the_list_is_what_fast2s_changes() {
        let mut missing = Vec::new();
        for n in 0x800u32..0x10000 {
            let Some(c) = char::from_u32(n) else { continue };
            let alone = c.to_string();
            if fast2s::convert(&alone) != alone && !may_change(c) {
                missing.push(c);
            }
        }
        assert!(missing.is_empty(), "fast2s changes these: {missing:?}");
        // The ones converted only beside certain neighbours. (藉 is listed too, though fast2s
        // never changes it: a character too many only costs a conversion, never a difference.)
        for word in ["看著", "苧麻", "闔家", "鍾書", "校讎", "計畫"] {
            assert_ne!(fast2s::convert(word), word, "{word}");
            assert!(needs_conversion(word), "{word}");
        }
        for c in TRADITIONAL.chars().filter(|c| !c.is_whitespace()) {
            assert_eq!(c.len_utf8(), 3, "{c}");
        }
    }

    /// The bitset the compiler builds has exactly the list's characters.
    #[test]
    fn the_compiled_bitset_is_the_list() {
        let mut expected = [0u64; 1024];
        for c in TRADITIONAL.chars().filter(|c| !c.is_whitespace()) {
            let n = c as usize;
            if n < 0x10000 {
                expected[n >> 6] |= 1 << (n & 63);
            }
        }
        assert!(BITS == expected);
        let n = '藉' as usize;
        assert_eq!(bits_of("a \u{3000}é藉".as_bytes())[n >> 6], 1 << (n & 63));
        assert_eq!(bits_of("\u{3000}".as_bytes()), [0u64; 1024]);
        assert_eq!(bits_of("é".as_bytes())[0], 0);
        for n in 0..0x10000 {
            let c = char::from_u32(n);
            assert_eq!(
                is_whitespace(n),
                c.is_some_and(char::is_whitespace),
                "{n:x}"
            );
        }
        assert_eq!(bits_of("é".as_bytes())[0xe9 >> 6], 1 << (0xe9 & 63));
    }

    #[test]
    fn simplified_text_is_borrowed_and_traditional_text_converted() {
        let simplified = "二〇二三年政府信息公开工作年度报告，主动公开 12 条";
        assert!(!needs_conversion(simplified));
        assert!(matches!(simplify(simplified), Cow::Borrowed(_)));
        assert_eq!(simplify(simplified), fast2s::convert(simplified));
        let traditional = "二〇二三年政府資訊公開工作年度報告";
        assert!(needs_conversion(traditional));
        assert_eq!(simplify(traditional), "二〇二三年政府资讯公开工作年度报告");
        assert!(!needs_conversion("ascii only"));
    }
}
