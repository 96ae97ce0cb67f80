//! Slips of a Chinese keyboard in a data file, named: a full-width colon after a key
//! (`机关："某县教育局"`), full-width commas in a list (`[2，0，0]`), full-width digits (`１２`),
//! a unit after a number (`12件`) and thousands separators (`5,821`).
//!
//! Owns recognising them and saying, for each, what was typed and the half-width fix. The
//! parser's own finding on such a line is misleading (`未知的键“821”`, a list of one item), so
//! [`scan`] finds the slips in the source text and the loader puts a slip's finding in place of
//! the parser's or loader's finding it explains; [`number`] names the slip in a figure written
//! as text. Nothing here is reported on its own: a full-width colon in prose is prose.

use std::ops::Range;

/// A slip found in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// What the fix replaces.
    pub span: Range<usize>,
    /// What was typed and what it should be, in Chinese.
    pub message: String,
    pub label: &'static str,
    /// The half-width text for `span`.
    pub fix: String,
    /// A key-colon slip: the parser fails somewhere after it, not on it.
    pub colon: bool,
}

/// Full-width digits, signs and commas as their half-width forms; other characters as they are.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | '．' | '－' | '＋' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '，' => ',',
        c => c,
    }
}

/// Units people type after a figure.
const UNITS: [&str; 11] = [
    "万元", "人次", "件", "个", "条", "次", "篇", "项", "元", "份", "人",
];

/// Whether `text` is digits grouped by thousands separators: `5,821`, `1,234,567.5`.
fn is_grouped(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A figure written as text (`１２`, `12件`, `5,821`): what was typed, named, and the number,
/// when the text is one of these slips (or several at once).
pub fn number(text: &str) -> Option<(String, String)> {
    let trimmed = text.trim();
    let mut what = Vec::new();
    let half: String = trimmed.chars().map(half_width).collect();
    if half != trimmed {
        what.push("全角数字".to_owned());
    }
    let mut rest = half.as_str();
    if let Some(unit) = UNITS.iter().find(|u| rest.ends_with(**u)) {
        rest = rest[..rest.len() - unit.len()].trim_end();
        what.push(format!("单位“{unit}”"));
    }
    let plain = if is_grouped(rest) {
        what.push("千分位逗号".to_owned());
        rest.replace(',', "")
    } else {
        rest.to_owned()
    };
    if what.is_empty() || plain.parse::<f64>().is_err() {
        return None;
    }
    Some((
        format!(
            "数字写成了“{trimmed}”（{}）；应写半角数字 {plain}",
            what.join("、")
        ),
        plain,
    ))
}

/// The slips in `text` that can mislead the parser: full-width colons after keys, full-width
/// commas and colons and thousands separators inside `[…]` and `{…}`.
pub fn scan(text: &str) -> Vec<Slip> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let content = body[indent..].strip_prefix("- ").unwrap_or(&body[indent..]);
        let content_at = start + (body.len() - content.len());
        if content.starts_with('#') {
            continue;
        }
        // `键：值`: a key, then a full-width colon where the half-width one belongs.
        if let Some(colon) = content.find('：') {
            let key = &content[..colon];
            if !key.is_empty()
                && !key.contains([':', ' ', '[', '{', '"', '\'', '，', '。', '、'])
                && key.chars().count() <= 30
            {
                let after = &content[colon + '：'.len_utf8()..];
                out.push(Slip {
                    span: content_at + colon..content_at + colon + '：'.len_utf8(),
                    message: format!("“{key}”后用了全角冒号“：”；键后应是半角冒号加空格“: ”"),
                    label: "全角冒号",
                    fix: if after.starts_with(' ') { ":" } else { ": " }.to_owned(),
                    colon: true,
                });
            }
        }
        // A flow collection on this line.
        let Some(open) = content.find(['[', '{']) else {
            continue;
        };
        let close = content.rfind([']', '}']).map_or(content.len(), |c| c + 1);
        if close <= open {
            continue;
        }
        let flow = &content[open..close];
        let mut what = Vec::new();
        if flow.contains('，') {
            what.push("全角逗号“，”");
        }
        if flow.contains('：') {
            what.push("全角冒号“：”");
        }
        let fixed_marks = flow.replace("，", ", ").replace("：", ": ");
        // Thousands separators: `5,821` with no blank after the comma.
        let (fixed, grouped) = ungroup(&fixed_marks);
        let grouped = grouped.join("、");
        if !grouped.is_empty() {
            what.push(&grouped);
        }
        if what.is_empty() {
            continue;
        }
        let fixed = fixed.replace(",  ", ", ").replace(":  ", ": ");
        out.push(Slip {
            span: content_at + open..content_at + close,
            message: format!(
                "列表或映射中用了{}；应为半角标点，数字不加千分位：{fixed}",
                what.join("、")
            ),
            label: "全角标点或千分位",
            fix: fixed,
            colon: false,
        });
    }
    out
}

/// `flow` with every thousands-grouped number (`5,821`, `1,234,567`) written without commas,
/// and each such number as typed, named.
fn ungroup(flow: &str) -> (String, Vec<String>) {
    let mut named = Vec::new();
    let chars: Vec<char> = flow.chars().collect();
    let mut out = String::with_capacity(flow.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_number = c.is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if starts_number {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ',') {
                j += 1;
            }
            let token: String = chars[i..j].iter().collect();
            let token = token.trim_end_matches(',');
            if is_grouped(token) {
                named.push(format!("千分位逗号“{token}”"));
                out.push_str(&token.replace(',', ""));
                i += token.chars().count();
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    (out, named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_written_as_text_are_named() {
        for (typed, plain, word) in [
            ("１２", "12", "全角数字"),
            ("12件", "12", "单位“件”"),
            ("5,821", "5821", "千分位逗号"),
            ("１，２３４件", "1234", "千分位逗号"),
        ] {
            let (message, fix) = number(typed).unwrap_or_else(|| panic!("{typed}"));
            assert_eq!(fix, plain, "{typed}");
            assert!(message.contains(word), "{message}");
            assert!(message.contains(typed), "{message}");
        }
        assert_eq!(number("十二"), None);
        assert_eq!(number("12"), None);
        assert_eq!(number("1,2"), None);
    }

    #[test]
    fn slips_in_the_source_are_found_with_their_fix() {
        let text = "机关：\"某县教育局\"\n申请情况:\n  本年新收: [2，0，0，0，0，0]\n主动公开:\n  行政许可: {本年处理决定数量: 5,821}\n";
        let slips = scan(text);
        let fixes: Vec<(&str, &str)> = slips
            .iter()
            .map(|s| (&text[s.span.clone()], s.fix.as_str()))
            .collect();
        assert_eq!(
            fixes,
            [
                ("：", ": "),
                ("[2，0，0，0，0，0]", "[2, 0, 0, 0, 0, 0]"),
                ("{本年处理决定数量: 5,821}", "{本年处理决定数量: 5821}"),
            ]
        );
        // A list without blanks after its commas is not a thousands separator's.
        assert!(scan("a: [2,0,0,0,0,0]\n").is_empty());
    }
}
