//! The command line: argument parsing, reading and writing files, exit codes.
//!
//! This module owns the user's view of the program: subcommands, help text, where output goes,
//! and the exit codes scripts rely on (0 clean, 1 findings, 2 usage or I/O error). It holds no
//! format knowledge of its own.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use crate::data;
use crate::diagnostics::{self, Severity, SourceFiles};
use crate::draft::Kind;
use crate::edition;
use crate::init;
use crate::lint::{self, Config};
use crate::render::{self, Format};

/// Exit codes.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// How `lint` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Parser)]
#[command(
    name = "nianbao",
    version,
    about = "编写和检查政府信息公开工作年度报告 — author and lint 政府信息公开工作年度报告",
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
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 生成一个完整的数据文件（各表各行均为0，正文为占位文字）
    Init {
        /// 报告年度（统计年度），例如 2023
        #[arg(long, value_parser = clap::value_parser!(i32).range(2008..=2100))]
        year: i32,
        /// 机关名称，例如 青山区人民政府
        #[arg(long)]
        agency: String,
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
    /// 由数据文件生成报告（Markdown 或 HTML）；数据有错误时不生成，退出码1
    Render {
        /// 数据文件（YAML）
        data: PathBuf,
        /// 输出格式
        #[arg(long = "to", value_enum, default_value = "markdown")]
        format: Format,
        /// 写入的文件；省略则写到标准输出
        #[arg(short, long, conflicts_with = "check")]
        output: Option<PathBuf>,
        /// 不写文件，而是核对 REPORT 是否与现在生成的内容一致；不一致时打印差异并以1退出
        #[arg(long, value_name = "REPORT")]
        check: Option<PathBuf>,
    },
    /// 检查报告草稿（.md .txt .html）或数据文件（.yaml）：缺失的部分、不平衡的表格、错误的年份
    Lint {
        /// 文件或目录（目录下的 .md .markdown .txt .html .htm .yaml .yml 文件都会检查）
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
        /// 输出格式：human（带源码片段）或 json
        #[arg(long, value_enum, default_value = "human")]
        output_format: OutputFormat,
        /// 有警告时也以1退出
        #[arg(long)]
        deny_warnings: bool,
    },
    /// 显示某个检查代码的说明，例如 `nianbao explain T101`
    Explain {
        /// 检查代码
        code: String,
    },
    /// 列出全部检查代码
    Rules,
}

/// Runs the program and maps every outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Init {
            year,
            agency,
            edition,
            output,
            force,
        } => cmd_init(year, &agency, edition, output, force),
        Command::Render {
            data,
            format,
            output,
            check,
        } => cmd_render(&data, format, output, check),
        Command::Lint {
            paths,
            year,
            edition,
            config,
            output_format,
            deny_warnings,
        } => cmd_lint(
            &paths,
            year,
            edition,
            config.as_deref(),
            output_format,
            deny_warnings,
        ),
        Command::Explain { code } => Ok(cmd_explain(&code)),
        Command::Rules => {
            let mut out = std::io::stdout().lock();
            for (code, severity, name, _) in all_codes() {
                writeln!(out, "{code}  {:<7}  {name}", severity_word(severity))?;
            }
            Ok(EXIT_OK)
        }
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Every code the program can report: data-file checks and the editions' equations.
pub fn all_codes() -> Vec<(String, Severity, String, String)> {
    let mut codes: Vec<(String, Severity, String, String)> = data::CODES
        .iter()
        .map(|(c, s, n, e)| (c.to_string(), *s, n.to_string(), e.to_string()))
        .chain(lint::rules().map(|r| {
            (
                r.code.to_owned(),
                r.severity,
                r.name.to_owned(),
                r.explain.to_owned(),
            )
        }))
        .collect();
    let mut seen = std::collections::BTreeMap::new();
    for e in edition::all() {
        for eq in &e.equations {
            seen.entry(eq.code.clone()).or_insert_with(|| {
                (
                    format!("balance-{}", eq.relation.to_lowercase()),
                    format!(
                        "勾稽关系{}：{}。不成立时是错误：报告的统计数据自相矛盾。诊断给出两边的值与差额，并标出所涉及的单元格。数据文件中的总计由程序计算，因此数据文件只可能违反R1，或与自行填写的总计不符。",
                        eq.relation, eq.text
                    ),
                )
            });
        }
    }
    codes.extend(
        seen.into_iter()
            .map(|(c, (n, e))| (c, Severity::Error, n, e)),
    );
    codes
}

fn cmd_explain(code: &str) -> u8 {
    let wanted = code.trim().to_uppercase();
    match all_codes().into_iter().find(|(c, ..)| *c == wanted) {
        Some((code, severity, name, explanation)) => {
            println!(
                "{code} {name}（默认级别：{}）\n\n{explanation}",
                severity_word(severity)
            );
            EXIT_OK
        }
        None => {
            eprintln!("错误：没有检查代码“{code}”。用 `nianbao rules` 列出全部代码。");
            EXIT_USAGE
        }
    }
}

/// Reads a text file; invalid UTF-8 is an error, not a crash.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("无法读取 {}：{e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} 不是 UTF-8 文本（第 {} 字节处无效）；请先转换为 UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    // A byte-order mark is not part of the content.
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}

fn write_output(path: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
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
    year: i32,
    agency: &str,
    number: Option<u16>,
    output: Option<PathBuf>,
    force: bool,
) -> anyhow::Result<u8> {
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
                eprintln!("警告：{year}年度的报告应使用{}版式，按要求使用{n}版式生成", expected.edition);
            }
            e
        }
        None => edition::for_year(year).ok_or_else(|| {
            anyhow::anyhow!("{year}年度的报告不适用2019或2021版式（2018年及以前适用旧规定）；如确需生成，请用 --edition 指定")
        })?,
    };
    let text = init::data_file(edition, year, agency)?;
    if let Some(path) = &output
        && path.exists()
        && !force
    {
        anyhow::bail!("{} 已存在；要覆盖请加 --force", path.display());
    }
    write_output(output.as_deref(), &text)?;
    if let Some(path) = output {
        eprintln!(
            "已生成 {}（{}版式）。填写后运行：nianbao render {}",
            path.display(),
            edition.edition,
            path.display()
        );
    }
    Ok(EXIT_OK)
}

fn cmd_render(
    path: &Path,
    format: Format,
    output: Option<PathBuf>,
    check: Option<PathBuf>,
) -> anyhow::Result<u8> {
    let text = read_text(path)?;
    let loaded = data::load(&text);
    let mut files = SourceFiles::default();
    files.add(path.display().to_string(), text);
    print_diagnostics(&files, &loaded.diagnostics)?;
    let report = match loaded.report {
        Some(report)
            if !loaded
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error) =>
        {
            report
        }
        _ => {
            let errors = loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!("{} 有 {errors} 个错误，未生成报告", path.display());
            return Ok(EXIT_FINDINGS);
        }
    };
    let rendered = render::render(&report, format)?;
    match check {
        None => {
            write_output(output.as_deref(), &rendered)?;
            Ok(EXIT_OK)
        }
        Some(report_path) => {
            let current = read_text(&report_path)?;
            if current == rendered {
                return Ok(EXIT_OK);
            }
            let diff = similar::TextDiff::from_lines(&current, &rendered);
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
            eprintln!(
                "{} 与数据文件 {} 不一致；运行 nianbao render {} -o {} 更新",
                report_path.display(),
                path.display(),
                path.display(),
                report_path.display()
            );
            Ok(EXIT_FINDINGS)
        }
    }
}

const LINTED_EXTENSIONS: [&str; 7] = ["md", "markdown", "txt", "html", "htm", "yaml", "yml"];

/// Files to lint: named files as given, directories walked (hidden entries and `target` skipped),
/// in sorted order so that output is deterministic.
fn collect_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| anyhow::anyhow!("无法读取 {}：{e}", path.display()))?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("无法读取目录 {}：{e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| LINTED_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn is_data_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml"))
}

fn cmd_lint(
    paths: &[PathBuf],
    year: Option<i32>,
    edition_number: Option<u16>,
    config_path: Option<&Path>,
    output_format: OutputFormat,
    deny_warnings: bool,
) -> anyhow::Result<u8> {
    if let Some(n) = edition_number
        && edition::by_number(n).is_none()
    {
        anyhow::bail!("没有{n}版式；可用的版式：{:?}", edition::numbers());
    }
    let explicit = config_path.map(Config::load).transpose()?;
    let files = collect_files(paths)?;
    let mut sources = SourceFiles::default();
    let mut all = Vec::new();
    let mut configs: std::collections::HashMap<PathBuf, Config> = std::collections::HashMap::new();
    for path in &files {
        let text = read_text(path)?;
        let mut config = match &explicit {
            Some(c) => c.clone(),
            None => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let dir = if dir.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    dir
                };
                match configs.get(&dir) {
                    Some(c) => c.clone(),
                    None => {
                        let found = std::fs::canonicalize(&dir)
                            .ok()
                            .and_then(|d| Config::discover(&d))
                            .map(|p| Config::load(&p))
                            .transpose()?
                            .unwrap_or_default();
                        configs.insert(dir, found.clone());
                        found
                    }
                }
            }
        };
        if year.is_some() {
            config.year = year;
        }
        if edition_number.is_some() {
            config.edition = edition_number;
        }
        let outcome = if is_data_file(path) {
            lint::lint_data(&text, &config)
        } else {
            lint::lint_draft(&text, Kind::from_path(path).unwrap_or(Kind::Text), &config)
        };
        let id = sources.add(path.display().to_string(), text);
        all.extend(outcome.diagnostics.into_iter().map(|d| d.in_file(id)));
    }
    match output_format {
        OutputFormat::Json => {
            let mut out = std::io::stdout().lock();
            diagnostics::emit_json(&mut out, &sources, &all, files.len())?;
        }
        OutputFormat::Human => {
            print_diagnostics(&sources, &all)?;
            let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = all
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
            eprintln!(
                "检查了 {} 个文件：{errors} 个错误，{warnings} 个警告",
                files.len()
            );
        }
    }
    let errors = all.iter().any(|d| d.severity == Severity::Error);
    let warnings = all.iter().any(|d| d.severity == Severity::Warning);
    Ok(if errors || (deny_warnings && warnings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
