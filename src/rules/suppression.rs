//! Suppression comments in drafts.
//!
//! Inline, `<!-- nianbao-disable-next-line CODE -->` and `<!-- nianbao-disable CODE -->` …
//! `<!-- nianbao-enable CODE -->` silence findings in Markdown, HTML and plain text (codes separated by
//! spaces or commas); a comment that cannot work is a warning at the comment (N002).
//! Owns reading those comments and applying them to a file's findings; which rules run at all
//! is `rules::config`.

use std::ops::Range;

use super::RuleInfo;
use super::pattern::{matches, unknown_pattern};
use crate::diagnostics::{Diagnostic, Severity};
use crate::input::Format as Kind;

/// The rule of this module: a suppression comment that names no real code, or is misspelt.
pub const RULES: &[RuleInfo] = &[RuleInfo {
    code: "N002",
    name: "bad-suppression-comment",
    severity: Severity::Warning,
    explain: "`nianbao-disable…` 注释写错了：指令名不对（应为 nianbao-disable-next-line、nianbao-disable 或 nianbao-enable），或其中的代码不是任何检查代码，也不是代码前缀（诊断给出最接近的代码）。这样的注释什么也不会屏蔽。多个代码可用空格或逗号分隔。",
}];

/// What a suppression comment asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    DisableNextLine,
    Disable,
    Enable,
}

/// One `<!-- nianbao-… -->` comment, read.
#[derive(Debug)]
struct Comment {
    /// `None` when the word after `nianbao-` is not a directive.
    directive: Option<Directive>,
    /// The directive word as written.
    word: String,
    /// Code patterns with their byte spans; empty means every code.
    codes: Vec<(String, Range<usize>)>,
    /// The whole comment, `<!--` to `-->`.
    span: Range<usize>,
}

/// Separators between the codes of one comment: spaces, commas (ASCII and Chinese), 、 and ;.
fn is_code_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；')
}

/// Every `<!-- nianbao-… -->` comment of a Markdown or HTML draft, in order.
fn comments(source: &str, kind: Kind) -> Vec<Comment> {
    let mut out = Vec::new();
    // memmem (SIMD) for the whole-text probe: `str::contains` builds a Two-Way searcher and
    // scans byte by byte, a tenth of a percent of a run for a comment most reports lack.
    if !kind.has_comments() || memchr::memmem::find(source.as_bytes(), b"nianbao-").is_none() {
        return out;
    }
    let mut at = 0;
    while let Some(start) = source[at..].find("<!--").map(|s| s + at) {
        let body_start = start + 4;
        // `<!-->` and `<!--->` are whole, empty comments in HTML and in CommonMark; any other
        // comment ends at the first `-->` after its opening `<!--`, never one overlapping it.
        let after = &source[body_start..];
        if after.starts_with('>') || after.starts_with("->") {
            at = body_start + if after.starts_with('>') { 1 } else { 2 };
            continue;
        }
        let Some(end) = after.find("-->").map(|e| body_start + e + 3) else {
            break;
        };
        at = end;
        let body = &source[body_start..end - 3];
        let lead = body.len() - body.trim_start().len();
        let body = body.trim_start();
        let Some(rest) = body.strip_prefix("nianbao-") else {
            continue;
        };
        let word_len = rest.find(is_code_separator).unwrap_or(rest.len());
        let word = &rest[..word_len];
        let directive = match word {
            "disable-next-line" => Some(Directive::DisableNextLine),
            "disable" => Some(Directive::Disable),
            "enable" => Some(Directive::Enable),
            _ => None,
        };
        let codes_start = body_start + lead + "nianbao-".len() + word_len;
        let mut codes = Vec::new();
        let mut offset = codes_start;
        for piece in source[codes_start..end - 3].split_inclusive(is_code_separator) {
            let code = piece.trim_end_matches(is_code_separator);
            if !code.is_empty() {
                codes.push((code.to_owned(), offset..offset + code.len()));
            }
            offset += piece.len();
        }
        out.push(Comment {
            directive,
            word: format!("nianbao-{word}"),
            codes,
            span: start..end,
        });
    }
    out
}

/// Applies `nianbao-disable…` comments of a Markdown, HTML or plain-text draft. The "next line"
/// of a comment in a table is also the next row (the first row of `tables` that starts at or
/// after the comment's end): an HTML row runs over several lines, and a comment inside a row
/// or a cell speaks of the row after it, as the line after it does in a Markdown table.
pub fn suppress_inline(
    source: &str,
    kind: Kind,
    tables: &[crate::input::Table],
    diagnostics: &mut Vec<Diagnostic>,
) {
    // (code pattern, byte range silenced)
    let mut silenced: Vec<(String, Range<usize>)> = Vec::new();
    let mut open: Vec<(String, usize)> = Vec::new();
    for comment in comments(source, kind) {
        let Some(directive) = comment.directive else {
            continue;
        };
        let codes: Vec<String> = if comment.codes.is_empty() {
            vec!["ALL".to_owned()]
        } else {
            comment.codes.into_iter().map(|(c, _)| c).collect()
        };
        let end = comment.span.end;
        match directive {
            Directive::DisableNextLine => {
                let line_end = source[end..]
                    .find('\n')
                    .map_or(source.len(), |n| end + n + 1);
                let next_end = source[line_end..]
                    .find('\n')
                    .map_or(source.len(), |n| line_end + n);
                let next_row = tables
                    .iter()
                    .filter(|t| t.span.start <= end && end <= t.span.end)
                    .flat_map(|t| &t.rows)
                    .find(|r| r.span.start >= end)
                    .map(|r| r.span.clone());
                for c in codes {
                    if let Some(row) = &next_row {
                        silenced.push((c.clone(), row.clone()));
                    }
                    silenced.push((c, line_end..next_end));
                }
            }
            Directive::Disable => open.extend(codes.into_iter().map(|c| (c, end))),
            Directive::Enable => {
                for c in codes {
                    if let Some(i) = open
                        .iter()
                        .rposition(|(o, _)| o.eq_ignore_ascii_case(&c) || c == "ALL")
                    {
                        let (code, from) = open.remove(i);
                        silenced.push((code, from..comment.span.start));
                    }
                }
            }
        }
    }
    silenced.extend(open.into_iter().map(|(c, from)| (c, from..source.len())));
    if silenced.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let (_, pos) = d.position();
        !silenced
            .iter()
            .any(|(c, r)| r.contains(&pos) && matches(c, &d.code))
    });
}

/// Whether a code or prefix names a code; the closest code otherwise (`registry::check_pattern`,
/// handed in by the engine, so that this module, whose code the registry lists, does not use
/// the registry).
pub type KnownCode = fn(&str) -> Result<(), &'static str>;

/// Suppression comments that cannot do what they say (N002): an unknown directive, or a code
/// that is no code (`known` says which are).
pub fn check_comments(source: &str, kind: Kind, known: KnownCode) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for comment in comments(source, kind) {
        if comment.directive.is_none() {
            let hint = crate::data::closest(
                &comment.word,
                [
                    "nianbao-disable-next-line",
                    "nianbao-disable",
                    "nianbao-enable",
                ],
            )
            .unwrap_or("nianbao-disable");
            out.push(
                Diagnostic::warning(
                    "N002",
                    format!("“{}”不是 nianbao 的指令，这条注释不起作用", comment.word),
                )
                .with_label(comment.span.clone(), "未知的指令")
                .with_note(format!("是否想写“{hint}”？")),
            );
            continue;
        }
        for (code, span) in &comment.codes {
            if let Err(closest) = known(code) {
                out.push(
                    Diagnostic::warning(
                        "N002",
                        format!(
                            "注释中的{}，它不会屏蔽任何检查",
                            unknown_pattern(code, closest)
                        ),
                    )
                    .with_label(span.clone(), "不是检查代码")
                    .with_fix(closest.to_owned()),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry::check_pattern;

    fn d(code: &str, at: usize) -> Diagnostic {
        Diagnostic::error(code, "x").with_label(at..at + 1, "")
    }

    #[test]
    fn inline_comments_silence_findings() {
        let src = "a\n<!-- nianbao-disable-next-line Y003 -->\nline two\n<!-- nianbao-disable T -->\nxx\n<!-- nianbao-enable T -->\nzz\n";
        let two = src.find("line two").expect("two");
        let xx = src.find("xx").expect("xx");
        let zz = src.find("zz").expect("zz");
        let mut ds = vec![d("Y003", two), d("T101", two), d("T004", xx), d("T004", zz)];
        suppress_inline(src, Kind::Markdown, &[], &mut ds);
        let got: Vec<(&str, usize)> = ds
            .iter()
            .map(|d| (d.code.as_str(), d.position().1))
            .collect();
        assert_eq!(got, [("T101", two), ("T004", zz)]);
    }

    #[test]
    fn empty_comments_end_where_they_open() {
        // Found by the no-panic property in CI: `<!-->` used to be read as running from its
        // `<!--` to the `-->` overlapping it, and the body slice panicked.
        for (src, want) in [
            ("<!--><!-- nianbao-disable", 0),
            ("<!---><!-- nianbao-disable T101 -->", 1),
            ("<!--> <!-- nianbao-disable T101 -->", 1),
            ("<!-- nianbao-disable T101 -->", 1),
            ("<!---->", 0),
        ] {
            let got = comments(src, Kind::Markdown);
            assert_eq!(got.len(), want, "{src:?}: {got:?}");
            for c in &got {
                assert_eq!(&src[c.span.clone()], "<!-- nianbao-disable T101 -->");
            }
        }
    }

    #[test]
    fn codes_in_a_comment_may_be_separated_by_commas_or_spaces() {
        for list in [
            "T101, T103",
            "T101,T103",
            "T101 T103",
            "T101，T103",
            "T101、T103",
        ] {
            let src = format!("<!-- nianbao-disable {list} -->\nxx\n");
            let xx = src.find("xx").expect("xx");
            let mut ds = vec![d("T101", xx), d("T103", xx), d("T104", xx)];
            suppress_inline(&src, Kind::Markdown, &[], &mut ds);
            let left: Vec<&str> = ds.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(left, ["T104"], "{list}");
            assert!(
                check_comments(&src, Kind::Markdown, check_pattern).is_empty(),
                "{list}"
            );
        }
    }

    #[test]
    fn an_unknown_code_or_directive_in_a_comment_is_a_warning_at_the_comment() {
        let src = "a\n<!-- nianbao-disable T10l Y -->\n<!-- nianbao-disble T101 -->\n";
        let found = check_comments(src, Kind::Markdown, check_pattern);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().all(|d| d.code == "N002"));
        assert_eq!(&src[found[0].labels[0].span.clone()], "T10l");
        assert_eq!(found[0].fix.as_deref(), Some("T101"));
        assert!(found[0].message.contains("T101"), "{}", found[0].message);
        assert!(src[found[1].labels[0].span.clone()].contains("nianbao-disble"));
        assert!(
            found[1].notes[0].contains("nianbao-disable"),
            "{:?}",
            found[1].notes
        );
        // Plain-text drafts may hold them too; PDF and Word have none.
        assert_eq!(check_comments(src, Kind::Text, check_pattern).len(), 2);
        assert!(check_comments(src, Kind::Pdf, check_pattern).is_empty());
    }
}
