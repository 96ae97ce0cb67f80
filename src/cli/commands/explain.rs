//! `nianbao explain` and `nianbao rules`: a code's explanation, and the list of every code.

use crate::cli::{EXIT_OK, EXIT_USAGE};
use crate::diagnostics::Severity;
use crate::rules::registry;
use crate::{errln, outln};

/// A severity as `rules` lists it.
pub(in crate::cli) fn severity_chinese(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// `explain`: a code (`B001`) or its name (`balance-r1`), in any case.
pub(in crate::cli) fn cmd_explain(code: &str) -> anyhow::Result<u8> {
    let wanted = code.trim();
    let found = registry::get(wanted).or_else(|| {
        registry::all()
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(wanted))
    });
    Ok(match found {
        Some(c) => {
            outln!(
                "{} {}（默认级别：{}）\n\n{}",
                c.code,
                c.name,
                severity_chinese(c.severity),
                c.explain
            )?;
            EXIT_OK
        }
        None => {
            let closest = registry::all()
                .iter()
                .flat_map(|c| [c.code, &*c.name])
                .map(|n| {
                    (
                        strsim::jaro_winkler(&n.to_lowercase(), &wanted.to_lowercase()),
                        n,
                    )
                })
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, n)| format!("要找的是“{n}”吗？"))
                .unwrap_or_default();
            errln!("错误：没有检查代码或名称“{code}”。{closest}用 `nianbao rules` 列出全部代码。")?;
            EXIT_USAGE
        }
    })
}
