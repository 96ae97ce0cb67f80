//! Rules S001–S004: the six sections — missing, duplicated, out of order, non-standard titles.

use super::{Context, RuleInfo};
use crate::diagnostics::{Diagnostic, Severity};

pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "S001",
        name: "missing-section",
        severity: Severity::Error,
        explain: "报告缺少法定六部分之一（一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项）。标题须单独成行。2018年及以前的报告不按此检查。",
    },
    RuleInfo {
        code: "S002",
        name: "duplicate-section",
        severity: Severity::Warning,
        explain: "同一部分的标题出现了两次，常见于复制粘贴。",
    },
    RuleInfo {
        code: "S003",
        name: "section-order",
        severity: Severity::Warning,
        explain: "六个部分应按一至六的顺序排列。",
    },
    RuleInfo {
        code: "S004",
        name: "nonstandard-title",
        severity: Severity::Warning,
        explain: "部分标题与国家统一格式的标题不一致（例如缺少序号、用“其它”代替“其他”、末尾加句号）。诊断给出规范标题。",
    },
];

pub fn check(cx: &mut Context) {
    let reading = cx.reading;
    let Some(edition) = reading.edition else {
        return;
    };
    if reading.legacy {
        return;
    }
    let mut seen = vec![false; edition.sections.len()];
    let mut last = None;
    for h in &reading.headings {
        let span = reading.span(h.range.clone());
        let section = &edition.sections[h.section];
        if seen[h.section] {
            cx.push(
                Diagnostic::new(
                    "S002",
                    Severity::Warning,
                    format!("“{}”重复出现", section.heading()),
                )
                .with_label(span.clone(), "重复的标题"),
            );
            continue;
        }
        seen[h.section] = true;
        if let Some(prev) = last
            && h.section < prev
        {
            cx.push(
                Diagnostic::new(
                    "S003",
                    Severity::Warning,
                    format!(
                        "“{}”应在“{}”之前",
                        section.heading(),
                        edition.sections[prev].heading()
                    ),
                )
                .with_label(span.clone(), "顺序不对"),
            );
        }
        last = Some(h.section);
        if !h.exact {
            let written = reading.source(h.range.clone());
            cx.push(
                Diagnostic::new(
                    "S004",
                    Severity::Warning,
                    format!("标题“{written}”与规范标题不一致"),
                )
                .with_label(span.clone(), "非规范标题")
                .with_fix(section.heading()),
            );
        }
    }
    if reading.headings.is_empty() {
        // Nothing to place the sections between: one finding, not one per section.
        cx.push(
            Diagnostic::new(
                "S001",
                Severity::Error,
                format!(
                    "没有找到任何部分标题：报告应有{}部分（{}），标题须单独成行",
                    edition.sections.len(),
                    edition
                        .sections
                        .iter()
                        .map(|s| s.heading())
                        .collect::<Vec<_>>()
                        .join("；")
                ),
            )
            .with_label(0..0, "文件开头"),
        );
        return;
    }
    let end = reading.document.text.trim_end().len();
    for (i, section) in edition.sections.iter().enumerate() {
        if seen[i] {
            continue;
        }
        // Where it belongs: just before the first heading of a later section, or at the end.
        let at = reading
            .headings
            .iter()
            .find(|h| h.section > i)
            .map_or(end, |h| reading.span(h.range.clone()).start);
        cx.push(
            Diagnostic::new(
                "S001",
                Severity::Error,
                format!("缺少第{}部分“{}”", section.number, section.heading()),
            )
            .with_label(at..at, format!("此处应有第{}部分", section.number))
            .with_note(format!(
                "可接受的标题（须单独成行）：{}",
                std::iter::once(section.heading())
                    .chain(section.variants.iter().cloned())
                    .collect::<Vec<_>>()
                    .join("；")
            )),
        );
    }
}
