//! The concise output: one line per finding, `file:line:col: CODE message`, as compilers and
//! ruff's `--output-format concise` print them, for editors' problem matchers and for grep.
//!
//! Owns the line's shape only. The message is kept on its line (line breaks become spaces); a
//! finding in a Word or PDF document ends with where it is (`（位置：表三（第2个表格）第6行第10列）`).

use super::{Diagnostic, SourceFiles};

/// The findings of one file, one line each.
pub fn render(files: &SourceFiles, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&line(files, d));
        out.push('\n');
    }
    out
}

/// `draft.md:55:53: T103 勾稽关系R3不成立…`.
pub fn line(files: &SourceFiles, d: &Diagnostic) -> String {
    let at = files.primary(d);
    let message = d.message.replace(['\r', '\n'], " ");
    let place = at
        .place
        .map(|p| format!("（位置：{}）", p.describe()))
        .unwrap_or_default();
    format!(
        "{}:{}:{}: {} {message}{place}",
        at.file, at.line, at.column, d.code
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_finding_with_file_line_and_column() {
        let mut files = SourceFiles::default();
        files.add("报告 草稿.md", "标题\n数字 12 在此\n");
        let start = "标题\n数字 ".len();
        let d = Diagnostic::error("T101", "不平衡\n差 1").with_label(start..start + 2, "这里");
        assert_eq!(
            render(&files, &[d.clone(), d]),
            "报告 草稿.md:2:4: T101 不平衡 差 1\n报告 草稿.md:2:4: T101 不平衡 差 1\n"
        );
    }
}
