//! The documentation a clone ships with: README.md (Chinese, for the people who write and check
//! the reports) and README.en.md (the same in English). Every relative link in either resolves
//! inside the repository (a user's clone has no `../shared`), both carry the registry's code
//! table and the same set-up commands, and they keep the same outline.

mod common;

use common::root;

/// How the code table of one README is generated.
type TableFn = fn() -> String;

/// The two READMEs, each with the code table it carries.
const READMES: [(&str, TableFn); 2] = [
    ("README.md", nianbao::rules::registry::markdown_table_zh),
    ("README.en.md", nianbao::rules::registry::markdown_table),
];

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The relative link targets of a Markdown text (`](target)`, without `#fragment`).
fn relative_links(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("](") {
        let rest = &text[i + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = rest[..end].split('#').next().unwrap_or("");
        if target.is_empty() || target.contains("://") || target.starts_with('<') {
            continue;
        }
        out.push(target);
    }
    out
}

#[test]
fn readme_links_resolve_inside_the_repository() {
    for (name, _) in READMES {
        let readme = read(name);
        let links = relative_links(&readme);
        for target in &links {
            assert!(
                !target.starts_with(".."),
                "{name} links outside the repository: {target}"
            );
            assert!(
                root().join(target).exists(),
                "{name} links to {target}, which is not in the repository"
            );
        }
        assert!(
            !links.is_empty(),
            "{name} should link the data-file interface"
        );
        assert!(
            readme.contains("](docs/data-file.md)"),
            "{name} points at the data-file interface inside the repository"
        );
        assert!(
            !readme.contains("shared/spec"),
            "{name} still points at shared/spec"
        );
    }
}

/// Each README links the other in its first line, so a reader lands on the language they read.
#[test]
fn each_readme_links_the_other_at_the_top() {
    let zh = read("README.md");
    let en = read("README.en.md");
    let first = |t: &str| t.lines().next().unwrap_or("").to_owned();
    assert!(
        first(&zh).contains("](README.en.md)"),
        "README.md's first line links README.en.md: {}",
        first(&zh)
    );
    assert!(
        first(&en).contains("](README.md)") && first(&en).contains("中文"),
        "README.en.md's first line links README.md as 中文: {}",
        first(&en)
    );
}

const CODES_BEGIN: &str = "<!-- codes:begin";
const CODES_END: &str = "<!-- codes:end -->";

/// The byte range of the generated table between the markers.
fn table_range(name: &str, readme: &str) -> std::ops::Range<usize> {
    let begin = readme
        .find(CODES_BEGIN)
        .unwrap_or_else(|| panic!("{name} has a codes:begin marker"));
    let body_start = begin + readme[begin..].find('\n').expect("marker line") + 1;
    let body_end = body_start
        + readme[body_start..]
            .find(CODES_END)
            .unwrap_or_else(|| panic!("{name} has a codes:end marker"));
    body_start..body_end
}

/// Both READMEs' code tables are the registry's: every code, no other. `NIANBAO_UPDATE_README=1`
/// rewrites the tables of both in place (then review the diff).
#[test]
fn readme_code_table_is_the_registry() {
    let update = std::env::var_os("NIANBAO_UPDATE_README").is_some();
    let mut stale = Vec::new();
    for (name, table) in READMES {
        let path = root().join(name);
        let readme = read(name);
        let range = table_range(name, &readme);
        let table = table();
        if readme[range.clone()] == table {
            continue;
        }
        if update {
            let updated = format!("{}{table}{}", &readme[..range.start], &readme[range.end..]);
            std::fs::write(&path, updated).unwrap_or_else(|e| panic!("{name} written: {e}"));
        } else {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "the code table of {} differs from the registry; run \
         `NIANBAO_UPDATE_README=1 cargo test --test docs` and review the diff",
        stale.join(" and ")
    );
}

/// The tables are the same rows in both languages; only the header differs.
#[test]
fn both_code_tables_have_the_same_rows() {
    let rows = |t: String| t.lines().skip(2).map(str::to_owned).collect::<Vec<_>>();
    let zh = rows(nianbao::rules::registry::markdown_table_zh());
    let en = rows(nianbao::rules::registry::markdown_table());
    assert_eq!(zh, en);
    assert!(zh.len() > 40, "{} rows", zh.len());
}

/// Every code a README names anywhere (`T101`, `X4`, `N002` …) is a code of the registry.
#[test]
fn every_code_the_readme_names_exists() {
    let code = regex::Regex::new(r"\b(?:[DSTYN][0-9]{3}|X[0-9])\b").expect("regex");
    for (name, _) in READMES {
        let readme = read(name);
        let mut named = 0;
        for m in code.find_iter(&readme) {
            assert!(
                nianbao::rules::registry::get(m.as_str()).is_some(),
                "{name} names {}, which is no code",
                m.as_str()
            );
            named += 1;
        }
        assert!(named > 40, "{name} names {named} codes");
    }
}

/// The commands of the first `sh` block under a heading (comments and blank lines left out).
fn commands_under(name: &str, readme: &str, heading: &str) -> Vec<String> {
    let at = readme
        .find(heading)
        .unwrap_or_else(|| panic!("{name} has the heading {heading}"));
    let block = &readme[at..];
    let start = block
        .find("```sh\n")
        .unwrap_or_else(|| panic!("{name}: a sh block under {heading}"))
        + "```sh\n".len();
    let end = start + block[start..].find("```").expect("the block ends");
    block[start..end]
        .lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Both READMEs open with the same two set-up commands — the main job on the bundled example,
/// and the test suite — and the example they name is in the repository.
#[test]
fn both_readmes_keep_the_two_set_up_commands() {
    let expected = [
        "cargo run --release -- render examples/qingshan-2023.yaml",
        "cargo test",
    ];
    for (name, heading) in [
        ("README.md", "## 快速上手"),
        ("README.en.md", "## Quick start"),
    ] {
        let commands = commands_under(name, &read(name), heading);
        assert_eq!(commands, expected, "{name}'s set-up commands");
    }
    assert!(root().join("examples/qingshan-2023.yaml").exists());
}

/// The Chinese README is the English one translated: the same headings at each level, in the
/// same order, and as many code blocks — so a section added to one is added to both.
#[test]
fn both_readmes_have_the_same_outline() {
    let outline = |t: &str| {
        let mut in_code = false;
        let mut levels = Vec::new();
        for line in t.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            } else if !in_code && line.starts_with('#') {
                levels.push(line.chars().take_while(|&c| c == '#').count());
            }
        }
        levels
    };
    let zh = outline(&read("README.md"));
    let en = outline(&read("README.en.md"));
    assert_eq!(
        zh, en,
        "README.md and README.en.md have different outlines (heading levels in order)"
    );
    let fences = |t: &str| t.matches("\n```").count();
    assert_eq!(
        fences(&read("README.md")),
        fences(&read("README.en.md")),
        "README.md and README.en.md have a different number of code blocks"
    );
}
