//! Which files `nianbao.toml`'s `include` and `exclude` globs name: compiled once per
//! configuration ([`Globs`]) and matched against a path relative to the configuration file's
//! folder ([`Scope::claim`]), giving the [`Claim`] the engine acts on (`crate::detect`).
//! Paths are the command line's business: the library only ever sees the claim.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::cli::files::{absolute, slashed};
pub use crate::detect::Claim;

/// A compiled list of globs, as written in `include` or `exclude`.
///
/// Written like `.gitignore` lines, matched against the path relative to the configuration's
/// folder with `/` as separator: `*` and `?` stay within a folder, `**` crosses folders; a
/// pattern with no `/` matches a file or folder of that name anywhere (`README.md`, `*.yml`);
/// a pattern naming a folder (`notes`, `notes/`, `drafts/old`) matches everything in it; a
/// leading `/` anchors a pattern to the configuration's folder.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
    /// Glob index in `set` → index in `patterns`.
    owner: Vec<usize>,
}

impl PartialEq for Globs {
    fn eq(&self, other: &Self) -> bool {
        self.patterns == other.patterns
    }
}

impl Globs {
    /// Compiles `patterns`; the first one that is no glob, with why.
    pub fn new(patterns: &[String]) -> Result<Globs, (String, String)> {
        let mut builder = GlobSetBuilder::new();
        let mut owner = Vec::new();
        for (i, pattern) in patterns.iter().enumerate() {
            let trimmed = pattern.trim();
            let bad = |why: String| (pattern.clone(), why);
            if trimmed.is_empty() {
                return Err(bad("空的模式".to_owned()));
            }
            let anchored = trimmed.starts_with('/');
            let body = trimmed.trim_start_matches('/').trim_end_matches('/');
            if body.is_empty() {
                return Err(bad("模式只有“/”".to_owned()));
            }
            let base = if anchored || body.contains('/') {
                body.to_owned()
            } else {
                format!("**/{body}")
            };
            // The path itself, or anything inside it when it names a folder.
            for glob in [base.clone(), format!("{base}/**")] {
                let compiled = GlobBuilder::new(&glob)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| bad(describe_glob_error(&e)))?;
                builder.add(compiled);
                owner.push(i);
            }
        }
        let set = builder
            .build()
            .map_err(|e| (patterns.join(", "), describe_glob_error(&e)))?;
        Ok(Globs {
            patterns: patterns.to_vec(),
            set,
            owner,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The first pattern (as written) that matches `relative`, a `/`-separated relative path.
    pub fn matching(&self, relative: &str) -> Option<&str> {
        if self.patterns.is_empty() {
            return None;
        }
        self.set
            .matches(relative)
            .into_iter()
            .filter_map(|g| self.owner.get(g))
            .min()
            .and_then(|&i| self.patterns.get(i))
            .map(String::as_str)
    }
}

fn describe_glob_error(e: &globset::Error) -> String {
    use globset::ErrorKind;
    match e.kind() {
        ErrorKind::UnclosedClass => "方括号 [ 没有闭合".to_owned(),
        ErrorKind::InvalidRange(a, b) => format!("字符范围 {a}-{b} 无效"),
        ErrorKind::UnopenedAlternates => "花括号 } 没有对应的 {".to_owned(),
        ErrorKind::UnclosedAlternates => "花括号 { 没有闭合".to_owned(),
        ErrorKind::DanglingEscape => "末尾的 \\ 没有转义任何字符".to_owned(),
        ErrorKind::InvalidRecursive => "** 只能单独作为路径的一段（如 a/**/b）".to_owned(),
        _ => e.to_string(),
    }
}

/// What a configuration says about files by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// The folder patterns are relative to: the configuration file's.
    pub root: Option<PathBuf>,
    pub include: Globs,
    pub exclude: Globs,
}

impl Scope {
    /// What `include`/`exclude` say about `path` (as the user gave it, relative to the working
    /// directory or absolute). A file outside the configuration's folder is matched by its
    /// absolute path.
    pub fn claim(&self, path: &Path) -> Claim {
        if self.include.is_empty() && self.exclude.is_empty() {
            return Claim::Unclaimed;
        }
        let absolute = absolute(path);
        let relative = self
            .root
            .as_deref()
            .and_then(|root| absolute.strip_prefix(root).ok())
            .unwrap_or(&absolute);
        let relative = slashed(relative);
        if let Some(p) = self.exclude.matching(&relative) {
            return Claim::Excluded(p.to_owned());
        }
        match self.include.matching(&relative) {
            Some(p) => Claim::Included(p.to_owned()),
            None => Claim::Unclaimed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(patterns: &[&str]) -> Globs {
        Globs::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>()).expect("globs")
    }

    #[test]
    fn globs_read_like_gitignore_lines() {
        let g = globs(&["README.md", "notes", "/drafts/*.md", "docs/**/*.yml"]);
        assert_eq!(g.matching("README.md"), Some("README.md"));
        assert_eq!(g.matching("sub/README.md"), Some("README.md"));
        assert_eq!(g.matching("notes/2023/意见.md"), Some("notes"));
        assert_eq!(g.matching("drafts/a.md"), Some("/drafts/*.md"));
        assert_eq!(g.matching("drafts/old/a.md"), None, "* stays in its folder");
        assert_eq!(g.matching("sub/drafts/a.md"), None, "/ anchors");
        assert_eq!(g.matching("docs/a/b/c.yml"), Some("docs/**/*.yml"));
        assert_eq!(g.matching("reports/2023.md"), None);
    }

    #[test]
    fn a_bad_glob_is_named_with_why() {
        let (pattern, why) =
            Globs::new(&["ok/*.md".to_owned(), "[abc".to_owned()]).expect_err("unclosed");
        assert_eq!(pattern, "[abc");
        assert!(why.contains('['), "{why}");
        assert!(Globs::new(&[" ".to_owned()]).is_err());
    }

    #[test]
    fn exclude_wins_over_include() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::create_dir_all(root.join("reports/old")).expect("dirs");
        let scope = Scope {
            root: Some(root.clone()),
            include: globs(&["reports/**/*.md"]),
            exclude: globs(&["reports/old"]),
        };
        assert_eq!(
            scope.claim(&root.join("reports/2023.md")),
            Claim::Included("reports/**/*.md".to_owned())
        );
        assert_eq!(
            scope.claim(&root.join("reports/old/2019.md")),
            Claim::Excluded("reports/old".to_owned())
        );
        assert_eq!(scope.claim(&root.join("README.md")), Claim::Unclaimed);
        // A file that does not exist (standard input named by --stdin-filename) is placed too.
        assert_eq!(
            scope.claim(&root.join("reports/new/../2024.md")),
            Claim::Included("reports/**/*.md".to_owned())
        );
    }
}
