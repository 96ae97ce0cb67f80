//! The command line's frame in Chinese: clap's help layout, headings, help and version flags,
//! possible values, defaults and value names, and clap's parse errors, all rendered here.
//!
//! `cli` declares the commands (with Chinese doc comments); [`localise`] then rewrites the
//! built `clap::Command` tree so that nothing of clap's English frame is left (`Usage:`,
//! `Options:`, `Print help`, `[default: …]`, `Possible values:`), and [`report`] turns a
//! `clap::Error` into a Chinese message from its kind and context (the argument, the value,
//! the closest real argument or command) with the exit code scripts rely on.
//!
//! clap is built without its `wrap_help` feature, so it never wraps help text; the stray
//! spaces in Chinese sentences came from clap_derive joining the lines of a doc comment with a
//! space, and [`join_cjk`] removes a space between two Chinese characters.

use std::error::Error as _;
use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The help layout: clap's default without its English `Usage:` heading.
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// Chinese names for the values of options, by argument id (clap would print the id in
/// capitals: `--year <YEAR>`). Arguments not listed keep their declared value name.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("year", "年度"),
    ("agency", "机关"),
    ("from", "上年文件"),
    ("edition", "版式"),
    ("output", "文件"),
    ("format", "格式"),
    ("check", "报告"),
    ("previous", "上年文件"),
    ("data", "数据文件"),
    ("draft", "报告"),
    ("code", "代码"),
    ("paths", "路径"),
    ("config", "文件"),
    ("output_format", "格式"),
    ("threads", "线程数"),
    ("baseline", "文件"),
    ("stdin_filename", "路径"),
    ("encoding", "编码"),
];

/// The arguments of the process, with `nianbao help [命令]` read as `nianbao [命令] --help`
/// (clap's own `help` subcommand, with its English description, is turned off).
pub fn args() -> Vec<OsString> {
    rewrite_help(std::env::args_os().collect())
}

fn rewrite_help(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    args
}

/// `cmd` and all its subcommands with the Chinese frame.
pub fn localise(cmd: Command) -> Command {
    let has_version = cmd.get_version().is_some();
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .disable_version_flag(true);
    if let Some(about) = cmd.get_about().map(|s| join_cjk(&s.to_string())) {
        cmd = cmd.about(about);
    }
    if let Some(about) = cmd.get_long_about().map(|s| join_cjk(&s.to_string())) {
        cmd = cmd.long_about(about);
    }
    cmd = cmd.mut_args(localise_arg);
    cmd = cmd.arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help("显示帮助（-h 为摘要，--help 为详细说明）")
            .help_heading("选项"),
    );
    if has_version {
        cmd = cmd.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, localise);
    }
    cmd
}

/// One argument: its heading, value name, help without stray spaces, and its possible values
/// and default written into the help in Chinese instead of clap's `[possible values: …]`.
fn localise_arg(arg: Arg) -> Arg {
    let mut arg = arg;
    if arg.get_help_heading().is_none() {
        let heading = if arg.is_positional() {
            "参数"
        } else {
            "选项"
        };
        arg = arg.help_heading(heading);
    }
    if let Some((_, name)) = VALUE_NAMES
        .iter()
        .find(|(id, _)| arg.get_id().as_str() == *id)
        && arg.get_action().takes_values()
    {
        arg = arg.value_name(*name);
    }
    let short = arg.get_help().map(|s| join_cjk(&s.to_string()));
    let long = arg.get_long_help().map(|s| join_cjk(&s.to_string()));
    let mut short_extra = String::new();
    let mut long_extra = String::new();
    let values: Vec<clap::builder::PossibleValue> = if arg.get_action().takes_values() {
        arg.get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect()
    } else {
        Vec::new()
    };
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        short_extra.push_str(&format!("（可选值：{}", names.join("、")));
        long_extra.push_str("\n\n可选值：");
        for value in &values {
            long_extra.push_str(&format!("\n  {}", value.get_name()));
            if let Some(help) = value.get_help() {
                long_extra.push_str(&format!("：{}", join_cjk(&help.to_string())));
            }
        }
        arg = arg.hide_possible_values(true);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        let defaults = defaults.join("、");
        if short_extra.is_empty() {
            short_extra.push_str(&format!("（默认：{defaults}"));
        } else {
            short_extra.push_str(&format!("；默认：{defaults}"));
        }
        long_extra.push_str(&format!("\n\n默认：{defaults}"));
        arg = arg.hide_default_value(true);
    }
    if !short_extra.is_empty() {
        short_extra.push('）');
    }
    if let Some(short) = &short {
        arg = arg.help(format!("{short}{short_extra}"));
    }
    match (&long, &short) {
        (Some(long), _) => arg = arg.long_help(format!("{long}{long_extra}")),
        (None, Some(short)) if !long_extra.is_empty() => {
            arg = arg.long_help(format!("{short}{long_extra}"));
        }
        _ => {}
    }
    arg
}

/// Whether `c` belongs to Chinese text: ideographs, CJK punctuation, full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}')
}

/// `text` without the spaces that stand between two Chinese characters (clap_derive joins the
/// lines of a doc comment with a space; Chinese has no spaces between words).
pub fn join_cjk(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && chars.get(i + 1).is_some_and(|&n| is_cjk(n)) && is_cjk(chars[i - 1])
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// What to print for a parse error and with which exit code: help and version to standard
/// output with 0; everything else in Chinese to standard error with 2.
#[derive(Debug, PartialEq, Eq)]
pub struct Report {
    pub text: String,
    pub to_stdout: bool,
    pub code: u8,
}

/// The Chinese report of `error`; `cmd` is the localised command it came from and `args` the
/// arguments it parsed (to name the subcommand in the hint when clap's error does not).
pub fn report(error: &clap::Error, cmd: &Command, args: &[OsString]) -> Report {
    let sub = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find_map(|a| cmd.find_subcommand(a));
    let kind = error.kind();
    match kind {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            return Report {
                text: frame(&error.render().to_string()),
                to_stdout: true,
                code: 0,
            };
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return Report {
                text: frame(&error.render().to_string()),
                to_stdout: false,
                code: 2,
            };
        }
        _ => {}
    }
    let text = |k: ContextKind| error.get(k).map(context_text).unwrap_or_default();
    let list = |k: ContextKind| match error.get(k) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(other) => vec![context_text(other)],
        None => Vec::new(),
    };
    let arg = frame(&text(ContextKind::InvalidArg));
    let value = text(ContextKind::InvalidValue);
    let mut message = match kind {
        ErrorKind::UnknownArgument => {
            let mut m = format!("不认识的参数“{arg}”");
            let closest = list(ContextKind::SuggestedArg)
                .first()
                .cloned()
                .or_else(|| closest_flag(&arg, sub.unwrap_or(cmd)));
            if let Some(s) = closest {
                m.push_str(&format!("；要用的是“{}”吗？", frame(&s)));
            } else if let Some(s) = list(ContextKind::SuggestedSubcommand).first() {
                m.push_str(&format!("；要用的是命令“{s}”吗？"));
            } else if error.get(ContextKind::TrailingArg).is_some() {
                m.push_str(&format!("；如果“{arg}”是文件名，请写在“--”之后"));
            }
            m
        }
        ErrorKind::InvalidSubcommand => {
            let name = text(ContextKind::InvalidSubcommand);
            let mut m = format!("没有“{name}”这个命令");
            let commands: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            let closest = fewest_edits(&name, &commands)
                .map(str::to_owned)
                .or_else(|| list(ContextKind::SuggestedSubcommand).first().cloned());
            if let Some(s) = closest {
                m.push_str(&format!("；要用的是“{s}”吗？"));
            } else {
                m.push('。');
            }
            m.push_str(&format!("可用的命令：{}", commands.join("、")));
            m
        }
        ErrorKind::MissingSubcommand => {
            let commands: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            format!("缺少命令；可用的命令：{}", commands.join("、"))
        }
        ErrorKind::MissingRequiredArgument => {
            let missing: Vec<String> = list(ContextKind::InvalidArg)
                .iter()
                .map(|a| format!("“{}”", frame(a)))
                .collect();
            format!("缺少必需的参数：{}", missing.join("、"))
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("“{arg}”缺少值"),
        ErrorKind::InvalidValue => {
            let mut m = format!("“{arg}”不接受“{value}”");
            let valid = list(ContextKind::ValidValue);
            if !valid.is_empty() {
                m.push_str(&format!("；可用的值：{}", valid.join("、")));
            }
            if let Some(s) = list(ContextKind::SuggestedValue).first() {
                m.push_str(&format!("；要用的是“{s}”吗？"));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let why = error
                .source()
                .map(validation_cause)
                .unwrap_or_else(|| "值不合法".to_owned());
            format!("“{arg}”的值“{value}”无效：{why}")
        }
        ErrorKind::ArgumentConflict => {
            let prior = list(ContextKind::PriorArg);
            if prior.is_empty() {
                format!("“{arg}”不能与其他参数一起使用")
            } else {
                let prior: Vec<String> = prior.iter().map(|p| format!("“{}”", frame(p))).collect();
                format!("“{arg}”不能与{}一起使用", prior.join("、"))
            }
        }
        ErrorKind::TooManyValues => format!("“{arg}”多了值“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("“{arg}”的值的个数不对")
        }
        ErrorKind::NoEquals => format!("“{arg}”的值须用“=”连接"),
        ErrorKind::InvalidUtf8 => "参数中有不是 UTF-8 编码的文字".to_owned(),
        _ => "命令行参数有误".to_owned(),
    };
    message.insert_str(0, "错误：");
    message.push('\n');
    let usage = text(ContextKind::Usage);
    let usage = frame(&usage);
    let usage = usage.trim();
    if !usage.is_empty() {
        message.push('\n');
        message.push_str(usage);
        message.push('\n');
    }
    let command = usage
        .strip_prefix("用法：")
        .map(|u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| match sub {
            Some(sub) => format!("{} {}", cmd.get_name(), sub.get_name()),
            None => cmd.get_name().to_owned(),
        });
    message.push_str(&format!("\n用 `{command} --help` 查看说明。\n"));
    Report {
        text: message,
        to_stdout: false,
        code: 2,
    }
}

/// The name among `names` that `given` is fewest edits away from (`lnt` → `lint`), if that is
/// at most two edits; the first such name on a tie.
fn fewest_edits<'a>(given: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (strsim::levenshtein(given, n), *n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// The long option of `cmd` closest to the unknown `given` (`--format` → `--output-format`):
/// one that contains it, else the most similar by Jaro–Winkler.
fn closest_flag(given: &str, cmd: &Command) -> Option<String> {
    let given = given
        .split('=')
        .next()
        .unwrap_or(given)
        .trim_start_matches('-');
    if given.len() < 2 {
        return None;
    }
    let longs: Vec<&str> = cmd.get_arguments().filter_map(Arg::get_long).collect();
    let containing = longs
        .iter()
        .find(|l| l.contains(given) || given.contains(**l));
    let best = containing
        .copied()
        .or_else(|| fewest_edits(given, &longs))
        .or_else(|| {
            longs
                .iter()
                .map(|l| (strsim::jaro_winkler(l, given), *l))
                .filter(|(score, _)| *score > 0.7)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, l)| l)
        })?;
    Some(format!("--{best}"))
}

fn context_text(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::None => String::new(),
        // `ContextValue` is non-exhaustive.
        _ => value.to_string(),
    }
}

/// The words clap puts into usage lines and help that no template reaches.
fn frame(text: &str) -> String {
    text.replace("Usage: ", "用法：")
        .replace("\n参数:\n", "\n参数：\n")
        .replace("\n选项:\n", "\n选项：\n")
        .replace("\n命令:\n", "\n命令：\n")
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
        .replace("[COMMAND]", "[命令]")
}

/// Why a value was refused by its parser, in Chinese: clap's integer parsers say
/// `invalid digit found in string` or `2300 is not in 2008..=2100`.
fn validation_cause(source: &(dyn std::error::Error + 'static)) -> String {
    if let Some(e) = source.downcast_ref::<std::num::ParseIntError>() {
        use std::num::IntErrorKind;
        return match e.kind() {
            IntErrorKind::Empty => "不能为空".to_owned(),
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => "数字太大".to_owned(),
            _ => "须为整数".to_owned(),
        };
    }
    let words = source.to_string();
    if let Some((_, range)) = words.split_once(" is not in ") {
        let range = range.trim();
        if let Some((low, high)) = range.split_once("..=") {
            return format!("须在 {low} 到 {high} 之间");
        }
        if let Some(low) = range.strip_suffix("..") {
            return format!("至少为 {low}");
        }
        if let Some((low, high)) = range.split_once("..") {
            return format!("须不小于 {low} 且小于 {high}");
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_between_chinese_characters_go_and_others_stay() {
        assert_eq!(
            join_cjk("上年结转下年度 继续办理"),
            "上年结转下年度继续办理"
        );
        assert_eq!(join_cjk("正文。 未能读出"), "正文。未能读出");
        assert_eq!(join_cjk("用 --year 指定 2023 年"), "用 --year 指定 2023 年");
        assert_eq!(join_cjk("a b"), "a b");
    }

    #[test]
    fn help_is_read_as_the_help_flag() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            rewrite_help(args(&["nianbao", "help", "lint"])),
            args(&["nianbao", "lint", "--help"])
        );
        assert_eq!(
            rewrite_help(args(&["nianbao", "lint", "help"])),
            args(&["nianbao", "lint", "help"])
        );
    }

    #[test]
    fn range_and_digit_errors_are_chinese() {
        let digit = "x".parse::<i32>().unwrap_err();
        assert_eq!(validation_cause(&digit), "须为整数");
        let range: Box<dyn std::error::Error> = "2300 is not in 2008..=2100".into();
        assert_eq!(validation_cause(range.as_ref()), "须在 2008 到 2100 之间");
        let open: Box<dyn std::error::Error> = "0 is not in 1..".into();
        assert_eq!(validation_cause(open.as_ref()), "至少为 1");
    }
}
