//! `nianbao init` and `nianbao extract`: a data file written from nothing, from last year's
//! report or data file, or from a draft.

use std::path::{Path, PathBuf};

use crate::cli::{
    EXIT_FINDINGS, EXIT_OK, files, read_report, refuse_overwrite, shell_path, write_output,
};
use crate::errln;
use crate::{edition, extract, init};

pub(in crate::cli) fn cmd_init(
    year: Option<i32>,
    agency: Option<String>,
    number: Option<u16>,
    from: Option<&Path>,
    output: Option<PathBuf>,
    force: bool,
    input: &crate::input::Options,
) -> anyhow::Result<u8> {
    refuse_overwrite(output.as_deref(), force)?;
    let last = from
        .map(|p| read_report(p, None, None, input))
        .transpose()?;
    let (year, agency) = match &last {
        Some(l) => (
            year.unwrap_or(l.report.year + 1),
            agency.unwrap_or_else(|| l.report.agency.clone()),
        ),
        // clap requires both without --from.
        None => (year.unwrap_or_default(), agency.unwrap_or_default()),
    };
    let agency = agency.trim();
    if agency.is_empty() {
        anyhow::bail!("--agency 不能为空");
    }
    let edition = match number {
        Some(n) => {
            let e = edition::by_number(n).ok_or_else(|| {
                anyhow::anyhow!("没有{n}版式；可用的版式：{:?}", edition::numbers())
            })?;
            if let Some(expected) = edition::for_year(year).filter(|x| x.edition != n) {
                errln!("警告：{year}年度的报告应使用{}版式，按要求使用{n}版式生成", expected.edition)?;
            }
            e
        }
        None => edition::for_year(year).ok_or_else(|| {
            anyhow::anyhow!("{year}年度的报告不适用2019或2021版式（2018年及以前适用旧规定）；如确需生成，请用 --edition 指定")
        })?,
    };
    let text = match (&last, from) {
        (Some(last), Some(from)) => {
            let (report, notes) = init::next_year(&last.report, edition, year, agency);
            for note in notes {
                errln!("{note}")?;
            }
            init::write(
                &report,
                &format!("由 nianbao init --from {} 生成", from.display()),
                init::UNREAD_LAST_YEAR,
            )?
        }
        _ => init::data_file(edition, year, agency)?,
    };
    write_output(output.as_deref(), &text, from.as_slice())?;
    if let Some(path) = output {
        errln!(
            "已生成 {}（{year}年度，{}版式）。填写后运行：nianbao render {}",
            path.display(),
            edition.edition,
            shell_path(&path)
        )?;
    }
    Ok(EXIT_OK)
}

pub(in crate::cli) fn cmd_extract(
    path: &Path,
    output: Option<&Path>,
    year: Option<i32>,
    edition_number: Option<u16>,
    force: bool,
    input: &crate::input::Options,
) -> anyhow::Result<u8> {
    if files::is_data_file(path) {
        anyhow::bail!("{} 已经是数据文件", path.display());
    }
    refuse_overwrite(output, force)?;
    let extracted = read_report(path, year, edition_number, input)?;
    let text = init::write(
        &extracted.report,
        &format!("由 nianbao extract 从 {} 提取", path.display()),
        extract::UNREAD,
    )?;
    write_output(output, &text, &[path])?;
    for note in &extracted.notes {
        errln!("注意：{note}")?;
    }
    Ok(if extracted.notes.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}
