//! `nianbao render`: a data file loaded and gated (`lint::load_to_render`), rendered
//! (`render`) and written whole, or compared with the report on disk (`--check`); refuses a
//! format that contradicts the file's extension and an edited Word file it would replace.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::{
    EXIT_FINDINGS, EXIT_OK, config, files, print_diagnostics, read_report, shell_path, write_output,
};
use crate::diagnostics::{Severity, SourceFiles};
use crate::errln;
use crate::render::{self, Format};

/// `nianbao render`'s options after parsing.
pub(in crate::cli) struct RenderArgs {
    pub(in crate::cli) format: Option<Format>,
    pub(in crate::cli) output: Option<PathBuf>,
    pub(in crate::cli) check: Option<PathBuf>,
    pub(in crate::cli) charts: bool,
    pub(in crate::cli) previous: Option<PathBuf>,
    pub(in crate::cli) fragment: bool,
    pub(in crate::cli) force: bool,
}

/// The format `--to` names, as typed.
fn format_name(format: Format) -> String {
    format.name().to_owned()
}

/// `--to` against the extension of the file written or checked: a Markdown file named
/// `.docx` (or the reverse) is refused.
fn refuse_contradiction(format: Option<Format>, file: Option<&Path>) -> anyhow::Result<()> {
    if let (Some(asked), Some(file)) = (format, file)
        && let Some(named) = Format::from_path(file)
        && named != asked
    {
        anyhow::bail!(
            "--to {} 与文件 {} 的扩展名不符（扩展名表示 {}）；请去掉 --to，或改用与格式相符的文件名",
            format_name(asked),
            file.display(),
            format_name(named)
        );
    }
    Ok(())
}

/// `render -o X.docx` over an existing Word file: only one nianbao wrote and nobody changed
/// since, unless `--force` (a reviewed file's tracked changes would be lost).
fn refuse_replacing_edited_docx(path: &Path, force: bool) -> anyhow::Result<()> {
    use render::fingerprint::State;
    if force || Format::from_path(path) != Some(Format::Docx) {
        return Ok(());
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => anyhow::bail!(
            "无法读取 {}：{}",
            path.display(),
            files::describe_io_error(&e)
        ),
    };
    match render::fingerprint::state(&bytes) {
        State::Unchanged => Ok(()),
        State::Changed => anyhow::bail!(
            "{} 在 nianbao 生成后被修改过（例如在 Word 中审阅或修订），覆盖会丢失这些修改；请先另存一份，或确认不再需要后加 --force 覆盖",
            path.display()
        ),
        State::Unrecorded => anyhow::bail!(
            "{} 不是由 nianbao 生成的（没有 nianbao 的生成记录），覆盖会丢失其中的内容；请换一个文件名，或确认后加 --force 覆盖",
            path.display()
        ),
    }
}

pub(in crate::cli) fn cmd_render(
    path: &Path,
    input: &crate::input::Options,
    args: RenderArgs,
) -> anyhow::Result<u8> {
    // --to wins; otherwise the extension of the file written (or checked) decides. A --to
    // that contradicts that extension is a mistake.
    refuse_contradiction(
        args.format,
        args.output.as_deref().or(args.check.as_deref()),
    )?;
    if let Some(output) = &args.output {
        refuse_replacing_edited_docx(output, args.force)?;
    }
    let format = args
        .format
        .or_else(|| {
            args.output
                .as_deref()
                .or(args.check.as_deref())
                .and_then(Format::from_path)
        })
        .unwrap_or(Format::Markdown);
    if args.fragment && format != Format::Html {
        anyhow::bail!("--fragment 只用于 HTML：请加 --to html，或输出到 .html 文件");
    }
    if format.is_binary()
        && args.output.is_none()
        && args.check.is_none()
        && std::io::stdout().is_terminal()
    {
        anyhow::bail!(
            "Word 文件是二进制内容，不写到终端：请用 -o report.docx 指定文件，或把输出重定向到文件或管道"
        );
    }
    let text = files::read_text(path, input)?;
    // The nearest nianbao.toml decides the rules and the deadline, as for `lint`.
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    let config = config::discover(&dir)
        .map(|p| config::load(&p))
        .transpose()?
        .map(|loaded| loaded.config)
        .unwrap_or_default();
    let (found, report) = crate::lint::load_to_render(&text, &config);
    let mut files = SourceFiles::default();
    files.add(path.display().to_string(), text);
    print_diagnostics(&files, &found)?;
    let report = match report {
        Some(report) => report,
        _ => {
            let errors = found
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            errln!("{} 有 {errors} 个错误，未生成报告", path.display())?;
            return Ok(EXIT_FINDINGS);
        }
    };
    let previous = args
        .previous
        .as_deref()
        .map(|p| read_report(p, None, None, input))
        .transpose()?;
    if args.charts && format == Format::Markdown {
        let _ = errln!("注意：Markdown 报告不含图表；图表见 --to html 或 --to docx");
    }
    let options = render::Options {
        charts: args.charts,
        previous: previous.as_ref().map(|p| &p.report),
        fragment: args.fragment,
    };
    for warning in render::warnings(&report, format, &options) {
        let _ = errln!("警告：{warning}");
    }
    let rendered = render::render_document(&report, format, &options)?;
    let Some(report_path) = args.check else {
        let mut inputs = vec![path];
        inputs.extend(args.previous.as_deref());
        write_output(args.output.as_deref(), rendered.as_bytes(), &inputs)?;
        return Ok(EXIT_OK);
    };
    let stale = |why: &str| {
        let _ = errln!(
            "{} 与数据文件 {} 不一致{why}；运行 nianbao render {} -o {} 更新",
            report_path.display(),
            path.display(),
            shell_path(path),
            shell_path(&report_path)
        );
        Ok(EXIT_FINDINGS)
    };
    let rendered = match rendered {
        render::Output::Text(text) => text,
        render::Output::Binary(bytes) => {
            let current = std::fs::read(&report_path).map_err(|e| {
                anyhow::anyhow!(
                    "无法读取 {}：{}",
                    report_path.display(),
                    files::describe_io_error(&e)
                )
            })?;
            return if current == bytes {
                Ok(EXIT_OK)
            } else {
                stale("（Word 文件不逐行比较）")
            };
        }
    };
    let current = files::read_text(&report_path, input)?;
    if current == rendered {
        return Ok(EXIT_OK);
    }
    // A checkout with CRLF line ends (git's autocrlf on Windows) is the same report.
    let current_lf = current.replace("\r\n", "\n");
    if current_lf == rendered {
        let _ = errln!(
            "注意：{} 只有换行符不同（CRLF 与 LF），内容一致",
            report_path.display()
        );
        return Ok(EXIT_OK);
    }
    let diff = similar::TextDiff::from_lines(&current_lf, &rendered);
    let mut out = std::io::stdout().lock();
    write!(
        out,
        "{}",
        diff.unified_diff().context_radius(3).header(
            &report_path.display().to_string(),
            &format!("{}（由 {} 生成）", report_path.display(), path.display())
        )
    )?;
    out.flush()?;
    stale("")
}
