//! The stages import only earlier stages: input knows nothing of reading or rules, reading
//! nothing of rules (DESIGN.md, "The data flow"). Checked by reading the sources, so that a
//! stray `use` fails here rather than in review.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                out.push((path, text));
            }
        }
    }
    assert!(!out.is_empty(), "no sources under src/{dir}");
    out
}

/// Lines of `text` that refer to any of `modules` as `crate::module`.
fn uses(text: &str, modules: &[&str]) -> Vec<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .filter(|line| {
            modules.iter().any(|m| {
                line.contains(&format!("crate::{m}::"))
                    || line.contains(&format!("crate::{m};"))
                    || line.contains(&format!("crate::{m}}}"))
                    || line.contains(&format!("crate::{m},"))
                    || line.contains(&format!("crate::{{{m}"))
            })
        })
        .map(str::to_owned)
        .collect()
}

/// Modules that come after the reading stage: the rule engine and everything that drives it.
const LATER_THAN_READING: &[&str] = &[
    "rules", "extract", "cli", "runner", "files", "corpus", "init", "render", "detect", "baseline",
];

#[test]
fn the_input_stage_uses_no_later_stage() {
    let mut later = vec!["reading"];
    later.extend_from_slice(LATER_THAN_READING);
    later.push("data");
    for (path, text) in sources("input") {
        let found = uses(&text, &later);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

#[test]
fn the_reading_stage_uses_no_later_stage() {
    for (path, text) in sources("reading") {
        let found = uses(&text, LATER_THAN_READING);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

#[test]
fn the_check_would_catch_a_stray_import() {
    assert_eq!(
        uses(
            "use crate::rules::Config;\n// use crate::rules::x;\n",
            &["rules"]
        ),
        ["use crate::rules::Config;"]
    );
    assert_eq!(uses("use crate::{rules, input};", &["rules"]).len(), 1);
}

/// The library's sources (everything under `src/` but the command line's folder and
/// `main.rs`), each without its test module (tests may read fixtures).
fn library_sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if path != root.join("cli") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") && path != root.join("main.rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                let code = match text.find("#[cfg(test)]") {
                    Some(at) => text[..at].to_owned(),
                    None => text,
                };
                out.push((path, code));
            }
        }
    }
    out.sort();
    out
}

/// Lines of `code` (comments left out) that contain any of `needles`.
fn lines_with(code: &str, needles: &[&str]) -> Vec<String> {
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .filter(|line| needles.iter().any(|n| line.contains(n)))
        .map(str::to_owned)
        .collect()
}

/// DESIGN.md: the library does no file, process, thread or terminal I/O, so that it builds for
/// WebAssembly; that belongs to the command line's folder (`src/cli/`).
#[test]
fn the_library_does_no_file_process_thread_or_terminal_io() {
    let io = [
        "std::fs",
        "std::process",
        "std::thread",
        "std::io::stdout",
        "std::io::stderr",
        "std::io::stdin",
        "io::stdout()",
        "io::stderr()",
        "std::env::var",
        "std::env::current_dir",
        "Instant::now",
        "println!",
        "eprintln!",
    ];
    let sources = library_sources();
    assert!(sources.len() > 50, "found {} sources", sources.len());
    for (path, code) in &sources {
        let found = lines_with(code, &io);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

/// Nothing in the library uses the command line, or the crates only it depends on (the
/// `cli` feature's: arguments, walking, threads, progress, temporary files, globs, workbooks).
#[test]
fn nothing_in_the_library_uses_the_command_line() {
    let command_line = [
        "crate::cli",
        "clap::",
        "rayon::",
        "ignore::",
        "indicatif::",
        "tempfile::",
        "same_file::",
        "globset::",
        "rust_xlsxwriter::",
        "csv::",
        "shlex::",
    ];
    for (path, code) in library_sources() {
        if path.ends_with("src/lib.rs") {
            continue;
        }
        let found = lines_with(&code, &command_line);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

/// The modules a library source file refers to, among `names`, through `prefix` (`crate::` for
/// top-level modules, `super::` and `crate::rules::` for a folder's).
fn referred(code: &str, prefixes: &[String], names: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for prefix in prefixes {
            let mut rest = line;
            while let Some(at) = rest.find(prefix.as_str()) {
                rest = &rest[at + prefix.len()..];
                // `prefix::name` or `prefix::{a, b::c}`.
                let group = if let Some(inner) = rest.strip_prefix('{') {
                    inner.split('}').next().unwrap_or("")
                } else {
                    rest
                };
                for item in group.split(',') {
                    let word: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                        .collect();
                    if names.contains(&word) && !out.contains(&word) {
                        out.push(word);
                    }
                    if !rest.starts_with('{') {
                        break;
                    }
                }
            }
        }
    }
    out
}

/// A cycle in `edges` (module → modules it uses), if there is one.
fn cycle(edges: &std::collections::BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &std::collections::BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, edges, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    edges
        .keys()
        .find_map(|node| visit(node, edges, &mut Vec::new(), &mut done))
}

/// No circle between the library's modules: the top-level ones (`input`, `reading`, `rules`,
/// `lint`, `api` …), and the files within each folder (a rule family does not use the
/// registry that lists it).
#[test]
fn the_library_modules_use_each_other_without_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sources = library_sources();
    let module_of = |path: &Path| -> Option<(String, Option<String>)> {
        let relative = path.strip_prefix(&src).ok()?;
        let mut parts = relative.iter().map(|p| p.to_string_lossy().into_owned());
        let first = parts.next()?;
        let top = first.trim_end_matches(".rs").to_owned();
        let inner = parts.next().map(|f| f.trim_end_matches(".rs").to_owned());
        Some((top, inner))
    };
    let tops: Vec<String> = sources
        .iter()
        .filter_map(|(p, _)| module_of(p).map(|(top, _)| top))
        .filter(|top| top != "lib")
        .collect();
    let mut edges: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (path, code) in &sources {
        let Some((top, _)) = module_of(path) else {
            continue;
        };
        if top == "lib" {
            continue;
        }
        let used = referred(code, &["crate::".to_owned()], &tops);
        let entry = edges.entry(top.clone()).or_default();
        entry.extend(used.into_iter().filter(|m| *m != top));
        entry.sort();
        entry.dedup();
    }
    assert!(edges.contains_key("rules") && edges.contains_key("input"));
    assert_eq!(cycle(&edges), None, "top-level modules: {edges:#?}");
    // Within each folder, between its files (`mod.rs`, which gathers them, aside).
    let folders: Vec<String> = std::fs::read_dir(&src)
        .expect("src")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !p.ends_with("cli"))
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    for folder in folders {
        let files: Vec<(String, &String)> = sources
            .iter()
            .filter_map(|(p, code)| match module_of(p) {
                Some((top, Some(inner))) if top == folder && inner != "mod" => Some((inner, code)),
                _ => None,
            })
            .collect();
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let prefixes = ["super::".to_owned(), format!("crate::{folder}::")];
        let edges: std::collections::BTreeMap<String, Vec<String>> = files
            .iter()
            .map(|(name, code)| {
                let used = referred(code, &prefixes, &names);
                (
                    name.clone(),
                    used.into_iter().filter(|m| m != name).collect(),
                )
            })
            .collect();
        assert_eq!(cycle(&edges), None, "src/{folder}: {edges:#?}");
    }
}

#[test]
fn the_circle_check_would_catch_a_circle() {
    let edges: std::collections::BTreeMap<String, Vec<String>> = [
        ("config", vec!["registry"]),
        ("registry", vec!["suppression"]),
        ("suppression", vec!["config"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert!(cycle(&edges).is_some());
    let names: Vec<String> = ["registry", "config"].map(str::to_owned).to_vec();
    assert_eq!(
        referred(
            "use super::{config, registry::check};",
            &["super::".to_owned()],
            &names
        ),
        ["config", "registry"]
    );
    assert_eq!(
        lines_with("// std::fs here\nlet x = std::fs::read(p);\n", &["std::fs"]).len(),
        1
    );
}
