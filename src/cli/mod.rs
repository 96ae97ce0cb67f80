//! The command line: argument parsing, reading and writing files, exit codes.
//!
//! This module owns the user's view of the program: subcommands, help text, where output goes,
//! and the exit codes scripts rely on (0 clean, 1 findings, 2 usage or I/O error). It holds no
//! format knowledge of its own.
//!
//! The folder is everything the command line needs and the library must not do (file,
//! process, thread and terminal I/O): the subcommands here, [`runner`] (walking, threads),
//! [`files`] (reading and naming files), [`config`] and [`scope`] (`nianbao.toml`),
//! [`baseline`], [`output`] and [`sarif`] (writing), [`pdftotext`], [`timing`], [`review`]
//! and [`zh`] (the Chinese help). It uses the library; nothing in the library uses it.

pub mod baseline;
pub mod config;
pub mod files;
pub mod output;
pub mod pdftotext;
pub mod review;
pub mod runner;
pub mod sarif;
pub mod scope;
pub mod timing;
pub mod zh;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::data;
use crate::diagnostics::{self, Severity, SourceFiles};
use crate::edition;
use crate::extract;
use crate::init;
use crate::lint::Totals;
use crate::render::{self, Format};
use crate::rules::registry;
use crate::{errln, outln};
use baseline::Baseline;

/// Exit codes.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// How `lint` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// 带源码片段，给人看
    Human,
    /// 每条一行：文件:行:列: 代码 说明
    Concise,
    /// 一个 JSON 文档（字段见 README）
    Json,
    /// SARIF 2.1.0，供代码扫描（GitHub code scanning 等）上传
    Sarif,
    /// GitHub Actions 的工作流命令（::error file=…），在拉取请求中标注
    Github,
}

#[derive(Debug, Parser)]
#[command(
    name = "nianbao",
    version,
    about = "编写和检查政府信息公开工作年度报告",
    long_about = "nianbao 根据数据文件生成符合国家统一格式的政府信息公开工作年度报告，并检查报告草稿。\n\n\
        典型流程：\n  nianbao init --year 2023 --agency 青山区人民政府 -o 2023.yaml   # 生成数据文件\n  \
        （填写 2023.yaml）\n  nianbao render 2023.yaml -o 2023.md                             # 生成报告\n  \
        nianbao render 2023.yaml --check 2023.md                        # 核对报告与数据是否一致\n\n\
        退出码：0 无问题；1 发现错误（或 --check 不一致）；2 用法错误或读写失败。",
    after_help = "用 `nianbao <命令> --help` 查看各命令的说明。"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// 文本文件的编码（如 GB18030、GBK、Big5、UTF-16LE），用于自动识别出错时；默认自动识别
    /// UTF-8（可带 BOM）、UTF-16（带 BOM）、GB18030/GBK 和 Big5
    #[arg(long, global = true, value_name = "NAME")]
    encoding: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 生成一个完整的数据文件（各表各行均为0，正文为占位文字）
    Init {
        /// 报告年度（统计年度），例如 2023；用 --from 时默认为上年年度加1
        #[arg(long, value_parser = clap::value_parser!(i32).range(2008..=2100), required_unless_present = "from")]
        year: Option<i32>,
        /// 机关名称，例如 青山区人民政府；用 --from 时默认沿用上年
        #[arg(long, required_unless_present = "from")]
        agency: Option<String>,
        /// 上年的数据文件或报告（报告会先被提取）。预填由上年决定的数字：上年结转＝上年结转下年度
        /// 继续办理；2019版式的上一年项目数量＝上年的上一年项目数量＋本年增/减；2021版式的
        /// 现行有效件数先填上年的数（本年无制发、废止时成立）。正文不复制，仍为占位文字
        #[arg(long, value_name = "LAST")]
        from: Option<PathBuf>,
        /// 版式（2019 或 2021）；默认按年度确定：2019—2020年用2019版式，2021年起用2021版式
        #[arg(long)]
        edition: Option<u16>,
        /// 写入的文件；省略则写到标准输出
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 覆盖已存在的文件
        #[arg(long)]
        force: bool,
    },
    /// 由数据文件生成报告（Markdown、HTML 或 Word）；数据有错误时不生成，退出码1
    Render {
        /// 数据文件（YAML）
        data: PathBuf,
        /// 输出格式；省略时按 -o（或 --check）文件的扩展名确定（.md → markdown，.html/.htm →
        /// html，.docx → docx），否则为 markdown
        #[arg(long = "to", value_enum)]
        format: Option<ToFormat>,
        /// 写入的文件；省略则写到标准输出（docx 不写到终端，须重定向到文件或管道）
        #[arg(short, long, conflicts_with = "check")]
        output: Option<PathBuf>,
        /// 不写文件，而是核对这份报告是否与现在生成的内容一致；不一致时打印差异并以1退出。
        /// 只有换行符（CRLF 与 LF）不同时视为一致
        #[arg(long, value_name = "REPORT")]
        check: Option<PathBuf>,
        /// 加入由统计数据生成的图表（HTML 与 Word）：按申请人类型的新收申请、办理结果；
        /// 与 --previous 一起时再加本年与上年的对比
        #[arg(long)]
        charts: bool,
        /// 上年的数据文件（或报告），用于本年与上年对比的图表
        #[arg(long, value_name = "LAST", requires = "charts")]
        previous: Option<PathBuf>,
        /// 只输出 HTML 正文（不含 <html>、<head>），样式全部写在元素上，粘贴到网站编辑器后表格边框、
        /// 对齐和落款不丢失；仅用于 --to html
        #[arg(long)]
        fragment: bool,
        /// 覆盖生成后又被修改过（如在 Word 中审阅）或不是由 nianbao 生成的 Word 文件
        #[arg(long)]
        force: bool,
    },
    /// 检查报告（.md .txt .html .docx .pdf，任何常见编码）或数据文件（.yaml）：缺失的部分、不平衡的表格、错误的年份
    Lint(LintArgs),
    /// 把已发布的报告或草稿（.md .txt .html .docx .pdf）还原为数据文件：三张统计表、机关、年度和各部分正文。
    /// 未能读出的行会被注释并说明原因，同时在标准错误中列出；此时退出码为1
    Extract {
        /// 报告或草稿
        draft: PathBuf,
        /// 写入的数据文件；省略则写到标准输出
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 报告年度，覆盖从标题或统计期限识别的年度
        #[arg(long, value_parser = clap::value_parser!(i32).range(2008..=2100))]
        year: Option<i32>,
        /// 版式（2019 或 2021），覆盖按年度确定的版式
        #[arg(long)]
        edition: Option<u16>,
        /// 覆盖已存在的文件
        #[arg(long)]
        force: bool,
    },
    /// 汇总审阅一批报告：每份报告一行的概览、问题清单、数字长表、同比和本辖区合计，写成 .xlsx、.csv 或 .html
    Review(ReviewArgs),
    /// 显示某个检查代码的说明，例如 `nianbao explain T101` 或 `nianbao explain balance-r1`
    Explain {
        /// 检查代码或它的名称
        code: String,
    },
    /// 列出全部检查代码：代码、默认级别、名称和一句话说明
    Rules,
}

#[derive(Debug, clap::Args)]
struct LintArgs {
    /// 文件或目录；“-”表示从标准输入读取（与 --stdin-filename 一起用）。
    ///
    /// 目录按文件名顺序遍历，遵守 .gitignore/.ignore，跳过隐藏文件；检查其中的 .md .markdown .txt .html .htm .docx .pdf .yaml .yml 文件。
    ///
    /// 只检查报告和数据文件：不像报告的文件（README、配置、笔记）和 nianbao.toml 中 exclude 的文件被跳过
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// 报告年度，覆盖从标题或统计期限识别的年度
    #[arg(long, value_parser = clap::value_parser!(i32).range(2008..=2100))]
    year: Option<i32>,
    /// 版式（2019 或 2021），覆盖按年度确定的版式
    #[arg(long)]
    edition: Option<u16>,
    /// 配置文件；默认从每个文件所在目录向上查找 nianbao.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// 输出格式：human（带源码片段）、concise（每条一行）、json、sarif（代码扫描）或 github（GitHub Actions 标注）
    #[arg(long, value_enum, default_value = "human")]
    output_format: OutputFormat,
    /// 有警告时也以1退出
    #[arg(long)]
    deny_warnings: bool,
    /// 只打印统计：每个检查代码出现的次数（降序）和有错误的文件数，不逐条列出
    #[arg(long)]
    statistics: bool,
    /// 上年的报告或数据文件：核对上年结转等跨年数字（X1–X3），找出沿用上年未改的段落（X6、X7）。
    /// 也可在 nianbao.toml 中用 previous = "路径" 设置
    #[arg(long, value_name = "LAST")]
    previous: Option<PathBuf>,
    /// 并行检查的线程数；默认每个CPU核一个
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// 在标准错误中列出跳过的文件（不是报告，或被 exclude 排除）及原因，以及基线中已不再出现的记录
    #[arg(short, long)]
    verbose: bool,
    /// 基线文件：其中记录的（已核对并接受的）检查结果不再报告，只报告新出现的。也可在 nianbao.toml 中用 baseline = "路径" 设置
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// 按当前的检查结果重写基线文件（保留已有记录的 reason，删去不再出现的记录），不逐条列出结果；基线文件由 --baseline 或 nianbao.toml 的 baseline 指定
    #[arg(long)]
    update_baseline: bool,
    /// 与“-”一起用：把标准输入当作这个文件检查——格式按扩展名，配置从它所在的目录查找，诊断中也用这个名字（供编辑器检查尚未保存的内容）；文件不必存在
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ReviewArgs {
    /// 报告文件或目录（目录的遍历方式与 lint 相同）；上年的报告也放在这里，按机关名称和年度配对
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// 写入的文件，格式按扩展名：.xlsx（工作簿）、.csv（概览，其余各表写在旁边的 名称-findings.csv 等文件）或 .html（看板）
    #[arg(short, long, required = true)]
    output: PathBuf,
    /// 配置文件；默认从每个文件所在目录向上查找 nianbao.toml
    #[arg(long)]
    config: Option<PathBuf>,
    /// 并行检查的线程数；默认每个CPU核一个
    #[arg(short = 'j', long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
}

/// The progress bar `lint` and `review` draw on a terminal for long runs.
fn progress_bar(files: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(files as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 个文件  预计剩余 {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Runs the program and maps every outcome to an exit code.
pub fn main() -> ExitCode {
    // clap's frame and errors in Chinese (`cli_zh`).
    let command = crate::cli::zh::localise(<Cli as clap::CommandFactory>::command());
    let args = crate::cli::zh::args();
    let parsed = command
        .clone()
        .try_get_matches_from(&args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let report = crate::cli::zh::report(&e, &command, &args);
            let _ = if report.to_stdout {
                output::print(&report.text)
            } else {
                output::eprint(&report.text)
            };
            return ExitCode::from(report.code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // The reader has gone (`nianbao lint dir | head`): nobody is left to tell, and the run
        // stopped at the first write that failed. Exit quietly with success, as ripgrep does.
        Err(e) if output::is_closed_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            // Nowhere to report a failure to report the failure.
            let _ = errln!("错误：{e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let input = crate::input::Options {
        encoding: cli.encoding.clone(),
        pdf: Some(pdftotext::read),
    };
    if let Some(name) = &cli.encoding
        && crate::input::decode::encoding_for(name).is_none()
    {
        return Err(crate::input::InputError::UnknownEncoding { name: name.clone() }.into());
    }
    match cli.command {
        Command::Init {
            year,
            agency,
            edition,
            from,
            output,
            force,
        } => cmd_init(
            year,
            agency,
            edition,
            from.as_deref(),
            output,
            force,
            &input,
        ),
        Command::Render {
            data,
            format,
            output,
            check,
            charts,
            previous,
            fragment,
            force,
        } => cmd_render(
            &data,
            &input,
            RenderArgs {
                format: format.map(Format::from),
                output,
                check,
                charts,
                previous,
                fragment,
                force,
            },
        ),
        Command::Lint(args) => cmd_lint(args, &input),
        Command::Extract {
            draft,
            output,
            year,
            edition,
            force,
        } => cmd_extract(&draft, output.as_deref(), year, edition, force, &input),
        Command::Review(args) => cmd_review(args, &input),
        Command::Explain { code } => cmd_explain(&code),
        Command::Rules => {
            let mut out = std::io::stdout().lock();
            for c in registry::all() {
                writeln!(
                    out,
                    "{:<5} {}  {:<28} {}",
                    c.code,
                    severity_chinese(c.severity),
                    c.name,
                    c.summary()
                )?;
            }
            Ok(EXIT_OK)
        }
    }
}

/// What `review` writes, by the output's extension.
enum ReviewFormat {
    Xlsx,
    Csv,
    Html,
}

fn cmd_review(args: ReviewArgs, input: &crate::input::Options) -> anyhow::Result<u8> {
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
    let (review, passed_over) =
        crate::cli::review::gather::gather(&files, collected.failures, &options, || {
            if let Some(bar) = &progress {
                bar.inc(1);
            }
        })?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let written = match format {
        ReviewFormat::Xlsx => {
            output::write_file(
                &args.output,
                &crate::cli::review::xlsx::workbook(&review)?,
                &inputs,
            )?;
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

/// A severity as `rules` lists it.
fn severity_chinese(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// `explain`: a code (`B001`) or its name (`balance-r1`), in any case.
fn cmd_explain(code: &str) -> anyhow::Result<u8> {
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

/// Writes a command's product to `path` (atomically, never onto one of `inputs`) or to
/// standard output.
fn write_output(
    path: Option<&Path>,
    data: impl AsRef<[u8]>,
    inputs: &[&Path],
) -> anyhow::Result<()> {
    let data = data.as_ref();
    match path {
        Some(path) => Ok(output::write_file(path, data, inputs)?),
        None => Ok(output::print_bytes(data)?),
    }
}

fn print_diagnostics(
    files: &SourceFiles,
    diagnostics: &[diagnostics::Diagnostic],
) -> anyhow::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    let color = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let stream = StandardStream::stderr(color);
    let mut lock = stream.lock();
    diagnostics::emit_human(&mut lock, files, diagnostics)?;
    Ok(())
}

fn cmd_init(
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

/// `nianbao render`'s options after parsing.
struct RenderArgs {
    format: Option<Format>,
    output: Option<PathBuf>,
    check: Option<PathBuf>,
    charts: bool,
    previous: Option<PathBuf>,
    fragment: bool,
    force: bool,
}

/// A path as it must be typed in a shell command: quoted when it has spaces or other
/// characters the shell would read (`'reports/2024 草稿/2024.md'`).
fn shell_path(path: &Path) -> String {
    let text = path.display().to_string();
    match shlex::try_quote(&text) {
        Ok(quoted) => quoted.into_owned(),
        // A NUL cannot be in a path; keep the text as it is.
        Err(_) => text,
    }
}

/// The format `--to` names, as typed.
fn format_name(format: Format) -> String {
    format.name().to_owned()
}

/// `render --to`: the library's [`Format`], as the command line offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ToFormat {
    #[value(help = "Markdown 文本（.md）")]
    Markdown,
    #[value(help = "网页（.html），可直接发布")]
    Html,
    #[value(help = "Word 文件（.docx），按党政机关公文格式（GB/T 9704）排版")]
    Docx,
}

impl From<ToFormat> for Format {
    fn from(format: ToFormat) -> Format {
        match format {
            ToFormat::Markdown => Format::Markdown,
            ToFormat::Html => Format::Html,
            ToFormat::Docx => Format::Docx,
        }
    }
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

fn cmd_render(path: &Path, input: &crate::input::Options, args: RenderArgs) -> anyhow::Result<u8> {
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

/// Reads a draft (or, for `init --from`, a data file) into a report.
fn read_report(
    path: &Path,
    year: Option<i32>,
    edition_number: Option<u16>,
    options: &crate::input::Options,
) -> anyhow::Result<extract::Extracted> {
    if files::is_data_file(path) {
        let text = files::read_text(path, options)?;
        let loaded = data::load(&text);
        if loaded.has_errors() {
            let mut files = SourceFiles::default();
            files.add(path.display().to_string(), text.clone());
            print_diagnostics(&files, &loaded.diagnostics)?;
            anyhow::bail!("{} 有错误，无法使用", path.display());
        }
        let report = loaded
            .report
            .ok_or_else(|| anyhow::anyhow!("{} 无法读取", path.display()))?;
        return Ok(extract::Extracted {
            report,
            notes: Vec::new(),
        });
    }
    let overrides = crate::reading::Overrides {
        year,
        edition: edition_number,
    };
    let reading = files::read_reading(path, options, overrides)?;
    extract::from_reading(&reading).map_err(|e| anyhow::anyhow!("{}：{e}", path.display()))
}

fn refuse_overwrite(output: Option<&Path>, force: bool) -> anyhow::Result<()> {
    if let Some(path) = output
        && path.exists()
        && !force
    {
        anyhow::bail!("{} 已存在；要覆盖请加 --force", path.display());
    }
    Ok(())
}

fn cmd_extract(
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

fn cmd_lint(args: LintArgs, input: &crate::input::Options) -> anyhow::Result<u8> {
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
    let sarif_rules: Vec<diagnostics::sarif::Rule> = registry::all()
        .iter()
        .map(|c| diagnostics::sarif::Rule {
            id: c.code,
            name: &c.name,
            summary: c.summary(),
            explain: &c.explain,
            severity: c.severity,
            family: c.family.letter(),
        })
        .collect();
    let mut json = (args.output_format == OutputFormat::Json && !args.update_baseline)
        .then(|| {
            let frame = Totals::default().json_document(0);
            output::split_at_array(&frame, "diagnostics", 1)
                .map(|(head, _)| head.to_owned())
                .ok_or_else(|| anyhow::anyhow!("JSON 文档中没有 diagnostics 数组"))
        })
        .transpose()?
        .map(|head| output::PrettyArray::new(std::io::BufWriter::new(std::io::stdout()), 1, head));
    let mut sarif = (args.output_format == OutputFormat::Sarif && !args.update_baseline)
        .then(|| sarif::Writer::new(&sarif_rules));
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
            for value in &report.json {
                json.push(value)?;
            }
        }
        if let Some(sarif) = &mut sarif {
            sarif.push(std::mem::take(&mut report.sarif))?;
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

/// Runs with fewer files finish before a bar would be worth drawing.
const PROGRESS_THRESHOLD: usize = 50;
