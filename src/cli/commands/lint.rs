//! `nianbao lint`: the files to check, each file's configuration, the run (`runner`), and
//! the findings printed as they come in the format asked for, the summary, the baseline
//! rewritten on `--update-baseline`, and the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::baseline::{self, Baseline};
use crate::cli::{
    EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, LintArgs, OutputFormat, PROGRESS_THRESHOLD, config, files,
    output, progress_bar, runner, sarif, timing,
};
use crate::diagnostics;
use crate::edition;
use crate::lint::Totals;
use crate::{errln, outln};

pub(in crate::cli) fn cmd_lint(
    args: LintArgs,
    input: &crate::input::Options,
) -> anyhow::Result<u8> {
    if let Some(n) = args.edition
        && edition::by_number(n).is_none()
    {
        anyhow::bail!("没有{n}版式；可用的版式：{:?}", edition::numbers());
    }
    let explicit = args.config.as_deref().map(config::load).transpose()?;
    if let Some(previous) = &args.previous {
        std::fs::metadata(previous).map_err(|e| {
            anyhow::anyhow!(
                "无法读取上年报告 {}：{}",
                previous.display(),
                files::describe_io_error(&e)
            )
        })?;
    }
    let baseline = args
        .baseline
        .as_deref()
        .map(|p| Baseline::load(p, args.update_baseline))
        .transpose()?
        .map(std::sync::Arc::new);
    let stdin = read_stdin(&args)?;
    let collected = match &stdin {
        Some(stdin) => runner::Collected {
            files: vec![stdin.name.clone()],
            failures: Vec::new(),
            legacy: Vec::new(),
        },
        None => runner::collect_files(&args.paths),
    };
    let files = collected.files;
    // Findings go to standard output (where `> findings.txt` puts them, as with ruff and Vale);
    // progress and problems with the run itself go to standard error.
    let colored = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let output = match (args.statistics, args.output_format) {
        // Rewriting the baseline prints what was written, not the findings.
        _ if args.update_baseline => runner::Output::CountsOnly,
        (_, OutputFormat::Json) => runner::Output::Json,
        (_, OutputFormat::Sarif) => runner::Output::Sarif,
        (_, OutputFormat::Github) => runner::Output::Github,
        (true, OutputFormat::Human | OutputFormat::Concise) => runner::Output::CountsOnly,
        (false, OutputFormat::Human) => runner::Output::Human { color: colored },
        (false, OutputFormat::Concise) => runner::Output::Concise,
    };
    let cwd = std::env::current_dir().ok();
    let options = runner::Options {
        config: explicit.as_ref(),
        previous: args.previous.as_deref(),
        year: args.year,
        edition: args.edition,
        output,
        threads: args.threads.map_or(0, usize::from),
        input: input.clone(),
        stdin: stdin.as_ref(),
        cwd: cwd.clone(),
        baseline,
        update_baseline: args.update_baseline,
    };
    // A progress bar only for people watching a long run: never on a pipe, never with output
    // for machines.
    let progress = (std::io::stderr().is_terminal()
        && matches!(
            args.output_format,
            OutputFormat::Human | OutputFormat::Concise
        )
        && files.len() >= PROGRESS_THRESHOLD)
        .then(|| progress_bar(files.len()));
    let mut totals = Totals::default();
    // JSON and SARIF are written as the files' findings come, not held whole (see `output`).
    let sarif_wanted = args.output_format == OutputFormat::Sarif && !args.update_baseline;
    let mut json = (args.output_format == OutputFormat::Json && !args.update_baseline)
        .then(|| {
            let frame = Totals::default().json_document(0);
            output::split_at_array(&frame, "diagnostics", 1)
                .map(|(head, _)| head.to_owned())
                .ok_or_else(|| anyhow::anyhow!("JSON 文档中没有 diagnostics 数组"))
        })
        .transpose()?
        .map(|head| output::PrettyArray::new(std::io::BufWriter::new(std::io::stdout()), 1, head));
    // The registry (all the codes, with the equations' wording from both editions) is built
    // only for SARIF's rule list: the other formats need none of it to check one report.
    let mut sarif = sarif_wanted.then(sarif::Writer::open);
    let github = args.output_format == OutputFormat::Github && !args.update_baseline;
    let mut tallies = baseline::Tallies::new();
    // A broken nianbao.toml fails every file below it with the same message: say it once.
    let mut said = std::collections::HashSet::new();
    let verbose = args.verbose;
    let mut take = |mut report: runner::FileReport| -> anyhow::Result<()> {
        let mut print = || -> std::io::Result<()> {
            if let Some(why) = &report.failure
                && said.insert(why.clone())
            {
                errln!("错误：{why}")?;
            }
            if let Some(why) = report.failure.as_ref().filter(|_| github) {
                let file = report.path.display().to_string();
                let command = diagnostics::github::failure(&file, why, cwd.as_deref());
                output::print(&format!("{command}\n"))?;
            }
            if let Some(why) = report.passed_over.as_ref().filter(|_| verbose) {
                errln!("跳过 {}：{why}", report.path.display())?;
            }
            if let Some((baseline, _)) = report.baseline.as_ref().filter(|_| verbose) {
                for entry in &report.stale {
                    errln!("{}", stale_line(&baseline.path, entry, "已不再出现"))?;
                }
            }
            if !report.text.is_empty() {
                output::print(&report.text)?;
            }
            Ok(())
        };
        match &progress {
            Some(bar)
                if report.failure.is_some()
                    || !report.text.is_empty()
                    || (verbose && (report.passed_over.is_some() || !report.stale.is_empty())) =>
            {
                bar.suspend(print)?
            }
            _ => print()?,
        }
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        totals.add(&report);
        if let Some((baseline, key)) = report.baseline.take() {
            let tally = tallies
                .entry(baseline.path.clone())
                .or_insert_with(|| baseline::Tally::new(baseline));
            tally.checked.push(key.clone());
            tally
                .records
                .insert(key, std::mem::take(&mut report.records));
        }
        if let Some(json) = &mut json {
            for text in &report.json_pretty {
                json.push_pretty(text.as_bytes())?;
            }
        }
        if let Some(sarif) = &mut sarif {
            sarif.push_pretty(&report.sarif_pretty)?;
        }
        Ok(())
    };
    for failure in collected.failures {
        take(failure)?;
    }
    for legacy in runner::legacy_reports(&collected.legacy, &options) {
        take(legacy)?;
    }
    runner::run(&files, &options, |report| {
        timing::time(timing::Stage::Output, || take(report))
    })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    // The baseline given on the command line is written even when no file used it.
    if let Some(given) = &options.baseline {
        tallies
            .entry(given.path.clone())
            .or_insert_with(|| baseline::Tally::new(given.clone()));
    }
    if verbose {
        for (file, tally) in &tallies {
            for entry in tally.vanished() {
                errln!("{}", stale_line(file, entry, "所在的文件已不存在"))?;
            }
        }
    }
    let checked = files.len() - totals.passed_over;
    if args.update_baseline {
        return update_baselines(&files, tallies, &totals, checked);
    }
    if let Some(json) = json {
        let mut out = json.finish()?;
        let frame = totals.json_document(checked);
        let (_, tail) = output::split_at_array(&frame, "diagnostics", 1)
            .ok_or_else(|| anyhow::anyhow!("JSON 文档中没有 diagnostics 数组"))?;
        writeln!(out, "{tail}")?;
        out.flush()?;
    }
    let mut out = std::io::stdout().lock();
    match args.output_format {
        OutputFormat::Json => {}
        OutputFormat::Sarif => {
            if let Some(sarif) = sarif {
                sarif.finish(&totals.failures, cwd.as_deref(), &mut out)?;
            }
        }
        OutputFormat::Human | OutputFormat::Concise | OutputFormat::Github => {
            if args.statistics && args.output_format != OutputFormat::Github {
                totals.write_statistics(&mut out)?;
            }
            writeln!(out, "{}", totals.summary(checked, verbose))?;
        }
    }
    out.flush()?;
    drop(out);
    // `NIANBAO_STAGE_TIMES`: where the time went, for scripts/bench.sh.
    if let Some(table) = timing::report() {
        output::eprint(&table)?;
    }
    Ok(if !totals.failures.is_empty() {
        EXIT_USAGE
    } else if totals.errors > 0 || (args.deny_warnings && totals.warnings > 0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `lint -`: standard input, named by `--stdin-filename` (else `-`), read whole.
fn read_stdin(args: &LintArgs) -> anyhow::Result<Option<runner::Stdin>> {
    use std::io::Read;
    let dash = Path::new("-");
    if !args.paths.iter().any(|p| p == dash) {
        if args.stdin_filename.is_some() {
            anyhow::bail!(
                "--stdin-filename 只与“-”（从标准输入读取）一起使用：nianbao lint - --stdin-filename PATH"
            );
        }
        return Ok(None);
    }
    if args.paths.len() > 1 {
        anyhow::bail!("“-”（从标准输入读取）只能单独使用，不能与其他文件或目录一起");
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("无法读取标准输入：{}", files::describe_io_error(&e)))?;
    Ok(Some(runner::Stdin {
        name: args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| dash.to_path_buf()),
        bytes,
    }))
}

/// A baseline entry that matched nothing, for `--verbose`.
fn stale_line(file: &Path, entry: &baseline::Entry, why: &str) -> String {
    format!(
        "基线 {} 中的记录{why}：{} {} {}{}",
        file.display(),
        entry.file,
        entry.code,
        entry.message.as_deref().unwrap_or(&entry.fingerprint),
        entry
            .reason
            .as_deref()
            .map(|r| format!("（理由：{r}）"))
            .unwrap_or_default()
    )
}

/// `--update-baseline`: rewrites each baseline file the run used with the current findings.
fn update_baselines(
    files: &[PathBuf],
    tallies: baseline::Tallies,
    totals: &Totals,
    checked: usize,
) -> anyhow::Result<u8> {
    if tallies.is_empty() && totals.failures.is_empty() {
        anyhow::bail!(
            "--update-baseline 需要基线文件：用 --baseline FILE 指定，或在 nianbao.toml 中写 baseline = \"路径\""
        );
    }
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let mut written: Vec<(PathBuf, baseline::Tally)> = tallies.into_iter().collect();
    written.sort_by(|a, b| a.0.cmp(&b.0));
    for (file, tally) in written {
        let (text, count) = tally.updated();
        output::write_file(&file, text.as_bytes(), &inputs)?;
        outln!("已写入基线 {}：{count} 条记录", file.display())?;
    }
    outln!(
        "检查了 {checked} 个文件{}",
        if totals.failures.is_empty() {
            String::new()
        } else {
            format!(
                "，{} 个文件无法检查（它们在基线中的记录保持不变）",
                totals.failures.len()
            )
        }
    )?;
    Ok(if totals.failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_USAGE
    })
}
