//! Finding and reading `nianbao.toml`: the nearest one above a file ([`discover`]), read and
//! checked whole ([`load`]): the library checks the rule settings (`rules::Config::check`),
//! this module adds the `include`/`exclude` globs (compiled into a [`Scope`]) and resolves
//! `previous` and `baseline` against the configuration file's folder.

use std::path::{Path, PathBuf};

use crate::cli::files::absolute;
use crate::cli::scope::{Globs, Scope};
use crate::rules::Config;
use crate::rules::config::{listed, located, written_at};

/// A configuration as the command line uses it: the rule settings, and which files it names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    pub config: Config,
    pub scope: Scope,
}

/// Parses and checks a configuration's text, globs included; the problems, one per line,
/// otherwise, in the order of the file.
pub fn parse(text: &str) -> Result<Loaded, String> {
    let (config, mut problems) = match Config::check(text) {
        Ok(config) => (Some(config), Vec::new()),
        Err(problems) => (None, problems),
    };
    // The globs are checked even when the rest has problems, so that every problem is named at
    // once; they need the text read as TOML, which a syntax error rules out.
    let written: Option<Config> = config.clone().or_else(|| toml::from_str(text).ok());
    let mut scope = Scope::default();
    if let Some(written) = &written {
        for (list, patterns) in [("include", &written.include), ("exclude", &written.exclude)] {
            match Globs::new(patterns) {
                Ok(globs) if list == "include" => scope.include = globs,
                Ok(globs) => scope.exclude = globs,
                Err((pattern, why)) => problems.push(located(
                    text,
                    written_at(text, &pattern),
                    format!("{list} 中的“{pattern}”不是有效的路径模式：{why}"),
                )),
            }
        }
    }
    match config {
        Some(config) if problems.is_empty() => Ok(Loaded { config, scope }),
        _ => Err(listed(problems)),
    }
}

/// Reads a configuration file and checks it whole: every unknown key, unknown code, bad level
/// or bad glob is reported, each with its line, in one error.
pub fn load(path: &Path) -> anyhow::Result<Loaded> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::anyhow!(
            "无法读取配置 {}：{}",
            path.display(),
            crate::input::describe_io_error(&e)
        )
    })?;
    let mut loaded = parse(&text)
        .map_err(|problems| anyhow::anyhow!("配置 {} 有误：\n{problems}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    for file in [&mut loaded.config.previous, &mut loaded.config.baseline]
        .into_iter()
        .flatten()
    {
        if file.is_relative() {
            *file = dir.join(&*file);
        }
    }
    loaded.scope.root = absolute(path).parent().map(Path::to_path_buf);
    Ok(loaded)
}

/// The nearest `nianbao.toml` in `dir` or its ancestors.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("nianbao.toml"))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_glob_is_listed_with_the_other_problems_in_file_order() {
        let problems =
            parse("exclude = [\"notes/[abc\"]\nselect = [\"T10l\"]\n").expect_err("two problems");
        let lines: Vec<&str> = problems.lines().collect();
        assert_eq!(lines.len(), 2, "{problems}");
        assert!(
            lines[0].contains("第 1 行：exclude 中的“notes/[abc”不是有效的路径模式"),
            "{problems}"
        );
        assert!(lines[1].contains("T101"), "{problems}");
    }

    #[test]
    fn globs_are_compiled_into_the_scope() {
        let loaded =
            parse("include = [\"reports/**/*.md\"]\nexclude = [\"notes\"]\n").expect("valid");
        assert_eq!(
            loaded.scope.include.matching("reports/2023/a.md"),
            Some("reports/**/*.md")
        );
        assert_eq!(loaded.scope.exclude.matching("notes/x.md"), Some("notes"));
    }
}
