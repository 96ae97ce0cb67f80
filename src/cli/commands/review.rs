//! `nianbao review`: a jurisdiction's reports gathered (`review::gather`) and written as a
//! workbook, CSV files or a dashboard, by the output's extension.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::review::{gather, xlsx};
use crate::cli::{
    EXIT_OK, EXIT_USAGE, PROGRESS_THRESHOLD, ReviewArgs, config, output, progress_bar, runner,
};
use crate::errln;

/// What `review` writes, by the output's extension.
enum ReviewFormat {
    Xlsx,
    Csv,
    Html,
}

pub(in crate::cli) fn cmd_review(
    args: ReviewArgs,
    input: &crate::input::Options,
) -> anyhow::Result<u8> {
    let extension = args
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let format = match extension.as_deref() {
        Some("xlsx") => ReviewFormat::Xlsx,
        Some("csv") => ReviewFormat::Csv,
        Some("html" | "htm") => ReviewFormat::Html,
        _ => {
            errln!(
                "错误：无法按扩展名确定 {} 的格式：请用 .xlsx、.csv 或 .html",
                args.output.display()
            )?;
            return Ok(EXIT_USAGE);
        }
    };
    let explicit = args.config.as_deref().map(config::load).transpose()?;
    let collected = runner::collect_files(&args.paths);
    let files = collected.files;
    let options = runner::Options {
        config: explicit.as_ref(),
        previous: None,
        year: None,
        edition: None,
        output: runner::Output::CountsOnly,
        threads: args.threads.map_or(0, usize::from),
        input: input.clone(),
        stdin: None,
        cwd: std::env::current_dir().ok(),
        baseline: None,
        update_baseline: false,
    };
    let progress = (std::io::stderr().is_terminal() && files.len() >= PROGRESS_THRESHOLD)
        .then(|| progress_bar(files.len()));
    // The workbook's figures sheet is written as the rows come, while the workers read on.
    let mut workbook = matches!(format, ReviewFormat::Xlsx)
        .then(xlsx::Writer::new)
        .transpose()?;
    let (review, passed_over) = gather::gather_with(
        &files,
        collected.failures,
        &options,
        || {
            if let Some(bar) = &progress {
                bar.inc(1);
            }
        },
        |row| workbook.as_mut().map_or(Ok(()), |w| w.add(row)),
    )?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let written = match format {
        ReviewFormat::Xlsx => {
            let bytes = match workbook {
                Some(writer) => writer.finish(&review)?,
                None => xlsx::workbook(&review)?,
            };
            output::write_file(&args.output, &bytes, &inputs)?;
            vec![args.output.clone()]
        }
        ReviewFormat::Html => {
            output::write_file(
                &args.output,
                crate::cli::review::html::dashboard(&review).as_bytes(),
                &inputs,
            )?;
            vec![args.output.clone()]
        }
        ReviewFormat::Csv => {
            let mut written = Vec::new();
            for (path, bytes) in crate::cli::review::csv::files(&review, &args.output)? {
                output::write_file(&path, &bytes, &inputs)?;
                written.push(path);
            }
            written
        }
    };
    let unreadable = review
        .rows
        .iter()
        .filter(|r| matches!(r.status, crate::cli::review::Status::Unreadable(_)))
        .count();
    errln!(
        "已写出 {}：{} 份报告（{unreadable} 份无法读取），{} 条问题；跳过 {passed_over} 个不是报告的文件",
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("、"),
        review.rows.len(),
        review.findings.len()
    )?;
    Ok(EXIT_OK)
}
