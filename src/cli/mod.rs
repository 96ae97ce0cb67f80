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
pub mod commands;
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
use crate::diagnostics::{self, SourceFiles};
use crate::errln;
use crate::extract;
use crate::render::Format;
use crate::rules::registry;
use commands::authoring::{cmd_extract, cmd_init};
use commands::explain::{cmd_explain, severity_chinese};
use commands::lint::cmd_lint;
use commands::render::{RenderArgs, cmd_render};
use commands::review::cmd_review;

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
    let args = crate::cli::zh::args();
    // The Chinese frame (`zh::localise`) changes only what clap prints: help, version and
    // errors, which all come out of clap as an error. So the arguments are parsed with clap's
    // plain tree first, and the localised tree (a tenth of a one-report run's start-up) is built
    // only when that parse has something to print.
    let parsed = <Cli as clap::CommandFactory>::command()
        .try_get_matches_from(&args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(_) => match parse_localised(&args) {
            Ok(cli) => cli,
            Err(code) => return code,
        },
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

/// The arguments parsed with clap's frame and errors in Chinese (`zh`); on a parse error (help
/// and version included) the message is printed and the exit code returned.
fn parse_localised(args: &[std::ffi::OsString]) -> Result<Cli, ExitCode> {
    let command = crate::cli::zh::localise(<Cli as clap::CommandFactory>::command());
    let parsed = command
        .clone()
        .try_get_matches_from(args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    parsed.map_err(|e| {
        let report = crate::cli::zh::report(&e, &command, args);
        let _ = if report.to_stdout {
            output::print(&report.text)
        } else {
            output::eprint(&report.text)
        };
        ExitCode::from(report.code)
    })
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

/// Runs with fewer files finish before a bar would be worth drawing.
const PROGRESS_THRESHOLD: usize = 50;
