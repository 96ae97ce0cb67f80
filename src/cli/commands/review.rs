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

/// The readers' threads when `--threads` is not given. The workbook's figures sheet is written
/// on this thread while the others read, and it is about as much work as the reading itself
/// (`rust_xlsxwriter` spends some 2,400 instructions a cell, 1,600 cells a report): so the
/// writer keeps a core of its own. With one reader per core, three busy threads share two
/// cores, the writer gets two thirds of one, falls behind and finishes alone after the
/// readers. The other outputs are written at the end: one reader per core (0).
fn default_threads(format: &ReviewFormat) -> usize {
    match format {
        ReviewFormat::Xlsx => {
            std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
        }
        ReviewFormat::Csv | ReviewFormat::Html => 0,
    }
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
        threads: args
            .threads
            .map_or_else(|| default_threads(&format), usize::from),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_leaves_its_writer_a_core_and_the_other_outputs_take_them_all() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let readers = default_threads(&ReviewFormat::Xlsx);
        assert!(readers >= 1, "at least one reader");
        assert!(
            readers < cores || cores == 1,
            "{readers} readers on {cores} cores"
        );
        assert_eq!(default_threads(&ReviewFormat::Csv), 0, "0: one per core");
        assert_eq!(default_threads(&ReviewFormat::Html), 0);
    }
}
