//! Rule S006: bold or italic marks in a Markdown draft that will be printed as asterisks.
//!
//! Chinese reports write their bold lead-ins as `**（二）依申请公开情况。**2024年…`. Under
//! CommonMark's flanking rules a `**` after `。` and before a letter or digit cannot close (nor a
//! `**` after a letter and before `（` open), so every CommonMark renderer — a CMS, GitHub, a
//! static site generator — prints the asterisks. `nianbao render` reads such marks the way the
//! writer meant ([`crate::render::prose`]); this rule tells the writer of a Markdown draft where
//! other tools will not.

use pulldown_cmark::{Event, Parser};

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};
use crate::input::Format;
use crate::render::prose::{is_cjk_punctuation, stuck_delimiters};

pub const RULES: &[RuleInfo] = &[RuleInfo {
    code: "S006",
    name: "literal-emphasis",
    severity: Severity::Warning,
    explain: "Markdown 草稿中的“**”或“*”紧挨着中文标点，另一侧是文字或数字（如“**（二）依申请公开情况。**2024年”），按 CommonMark 规则不构成加粗或斜体，网站、GitHub 等 Markdown 工具会把星号原样显示出来。nianbao render 按作者本意处理这类写法，但其他工具不会。把标点移到“**”之外即可（“**（二）依申请公开情况**。2024年”）。只检查 Markdown 文件。",
}];

pub fn check(cx: &mut Context) {
    let document = &cx.reading.document;
    if document.format != Format::Markdown {
        return;
    }
    let text = document.text.as_str();
    let stuck = stuck_delimiters(text);
    if stuck.is_empty() {
        return;
    }
    // Where plain CommonMark leaves the characters as text.
    let literal: Vec<std::ops::Range<usize>> = Parser::new(text)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Text(_)))
        .map(|(_, range)| range)
        .collect();
    for (run, before) in stuck {
        // The parser gives each unmatched `*` a text event of its own.
        let printed = run
            .clone()
            .all(|at| literal.iter().any(|r| r.start <= at && at < r.end));
        if !printed {
            continue;
        }
        let marks = &text[run.clone()];
        let (punctuation, letter) = if before {
            (
                text[run.end..].chars().next(),
                text[..run.start].chars().next_back(),
            )
        } else {
            (
                text[..run.start].chars().next_back(),
                text[run.end..].chars().next(),
            )
        };
        let (Some(punctuation), Some(letter)) = (punctuation, letter) else {
            continue;
        };
        debug_assert!(is_cjk_punctuation(punctuation));
        let what = if marks.chars().count() >= 2 {
            "加粗"
        } else {
            "斜体"
        };
        let message = if before {
            format!(
                "“{marks}”在“{letter}”之后、标点“{punctuation}”之前，按 CommonMark 规则不能开始{what}，发布后会显示为星号"
            )
        } else {
            format!(
                "“{marks}”在标点“{punctuation}”之后、“{letter}”之前，按 CommonMark 规则不能结束{what}，发布后会显示为星号"
            )
        };
        let note = if before {
            format!("把“{punctuation}”移到“{marks}”之前，或在“{letter}”与“{marks}”之间换用其他写法")
        } else {
            format!(
                "把“{punctuation}”移到“{marks}”之后，如“{marks}（二）依申请公开情况{marks}{punctuation}2024年”"
            )
        };
        cx.push(
            Diagnostic::warning("S006", message)
                .with_label(run, "会原样显示的星号")
                .with_note(note),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::input::Format;
    use crate::rules::testing::lint_text;

    fn s006(text: &str, format: Format) -> Vec<String> {
        lint_text(text, format)
            .into_iter()
            .filter(|d| d.code == "S006")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_bold_lead_in_closed_after_a_full_stop_is_flagged() {
        let found = s006(
            "# 某局2023年政府信息公开工作年度报告\n\n**（二）依申请公开情况。**2024年共收到申请35件。\n",
            Format::Markdown,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("“。”之后、“2”之前"), "{}", found[0]);
    }

    #[test]
    fn an_opening_mark_before_a_bracket_is_flagged() {
        let found = s006("全年**（见附表）**共3件。\n", Format::Markdown);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("“年”之后、标点“（”之前"), "{}", found[0]);
        assert!(found[0].contains("不能开始加粗"), "{}", found[0]);
        assert!(found[1].contains("不能结束加粗"), "{}", found[1]);
    }

    #[test]
    fn marks_commonmark_reads_are_not_flagged() {
        for ok in [
            "**（二）依申请公开情况**。2024年共收到申请35件。",
            "**（二）依申请公开情况。** 2024年",
            "全年共收到申请**35件**。",
            "转义的 \\*\\*（一）。\\*\\*2024",
            "`。**2` 在代码里",
        ] {
            assert!(s006(ok, Format::Markdown).is_empty(), "{ok}");
        }
        // Plain text has no Markdown to misread.
        assert!(s006("**（二）依申请公开情况。**2024年", Format::Text).is_empty());
    }
}
