//! The registry: the one list of every code nianbao reports, with its name, default severity,
//! family and explanation.
//!
//! Each code is documented beside the code that reports it — a rule family's `RULES`, the data
//! loader's `CODES`, the file detector's `RULES` — and the equations T101–T104 come from the
//! edition files, explained by one template here from each edition's wording. This module only
//! gathers them: `nianbao rules`, `nianbao explain`, `--statistics`, the SARIF rule list, the
//! check of code patterns in `nianbao.toml` and suppression comments, and the code tables in
//! README.md and README.en.md all read [`all`], so a code added to a family appears everywhere
//! at once.
//!
//! Nothing in the input or reading stages may use it (tests/architecture.rs).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::diagnostics::{RuleInfo, Severity};
use crate::edition;

/// The families of codes, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// D: the YAML data file.
    Data,
    /// S: the six sections.
    Sections,
    /// T: the statistics tables and their equations.
    Tables,
    /// Y: years.
    Years,
    /// X: cross-checks within a report and against last year's.
    CrossChecks,
    /// N: notes about the file and about nianbao's own comments.
    Notes,
}

impl Family {
    /// The family's letter, which is also the prefix of its codes.
    pub fn letter(self) -> &'static str {
        match self {
            Family::Data => "D",
            Family::Sections => "S",
            Family::Tables => "T",
            Family::Years => "Y",
            Family::CrossChecks => "X",
            Family::Notes => "N",
        }
    }

    /// What the family checks, in a few words (for listings).
    pub fn describe(self) -> &'static str {
        match self {
            Family::Data => "数据文件",
            Family::Sections => "部分",
            Family::Tables => "统计表",
            Family::Years => "年份",
            Family::CrossChecks => "交叉核对",
            Family::Notes => "文件与注释",
        }
    }
}

/// One code: everything the program and its documentation say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub name: Cow<'static, str>,
    pub severity: Severity,
    pub family: Family,
    pub explain: Cow<'static, str>,
}

impl Code {
    fn of(family: Family, info: &RuleInfo) -> Code {
        Code {
            code: info.code,
            name: Cow::Borrowed(info.name),
            severity: info.severity,
            family,
            explain: Cow::Borrowed(info.explain),
        }
    }

    /// The first sentence of the explanation (up to and including the first `。`).
    pub fn summary(&self) -> &str {
        match self.explain.find('。') {
            Some(i) => &self.explain[..i + '。'.len_utf8()],
            None => &self.explain,
        }
    }
}

/// The codes each module documents, by family.
fn declared() -> Vec<(Family, &'static [RuleInfo])> {
    use super::{
        crosscheck, emphasis, placeholders, previous, sections, suppression, tables, years,
    };
    vec![
        (Family::Data, crate::data::CODES),
        (Family::Sections, sections::RULES),
        (Family::Sections, placeholders::RULES),
        (Family::Sections, emphasis::RULES),
        (Family::Tables, tables::RULES),
        (Family::Years, years::RULES),
        (Family::CrossChecks, crosscheck::RULES),
        (Family::CrossChecks, previous::RULES),
        (Family::Notes, super::META_RULES),
        (Family::Notes, suppression::RULES),
        (Family::Notes, crate::detect::RULES),
    ]
}

/// How an equation code is explained: the relation as each edition states it, filled into one
/// template.
fn equations() -> Vec<Code> {
    /// An equation's relation (`R1`) and its wording in each edition that has it.
    type Worded = (&'static str, Vec<(u16, &'static str)>);
    let mut by_code: BTreeMap<&'static str, Worded> = BTreeMap::new();
    for e in edition::all() {
        for eq in &e.equations {
            let entry = by_code
                .entry(eq.code.as_str())
                .or_insert_with(|| (eq.relation.as_str(), Vec::new()));
            entry.1.push((e.edition, eq.text.as_str()));
        }
    }
    by_code
        .into_iter()
        .map(|(code, (relation, texts))| {
            let all_alike = texts.windows(2).all(|w| w[0].1 == w[1].1);
            let statement = if all_alike {
                texts.first().map_or(String::new(), |(_, t)| (*t).to_owned())
            } else {
                texts
                    .iter()
                    .map(|(edition, text)| format!("{edition}版式：{text}"))
                    .collect::<Vec<_>>()
                    .join("；")
            };
            Code {
                code,
                name: Cow::Owned(format!("balance-{}", relation.to_lowercase())),
                severity: Severity::Error,
                family: Family::Tables,
                explain: Cow::Owned(format!(
                    "勾稽关系{relation}：{statement}。不成立时是错误：报告的统计数据自相矛盾。诊断给出两边的值与差额，并标出所涉及的单元格。数据文件中的总计由程序计算，因此数据文件只可能违反R1，或与自行填写的总计不符。"
                )),
            }
        })
        .collect()
}

/// `T101` → (`T`, 101): codes sort by family letter, then by number.
fn sort_key(code: &str) -> (String, u32) {
    let split = code
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(code.len());
    (
        code[..split].to_owned(),
        code[split..].parse().unwrap_or(u32::MAX),
    )
}

/// Every code, by family and then by number.
pub fn all() -> &'static [Code] {
    static ALL: OnceLock<Vec<Code>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut codes: Vec<Code> = declared()
            .into_iter()
            .flat_map(|(family, infos)| infos.iter().map(move |i| Code::of(family, i)))
            .chain(equations())
            .collect();
        codes.sort_by_key(|c| (c.family, sort_key(c.code)));
        codes
    })
}

/// The code written `code` (any case, surrounding blanks ignored).
pub fn get(code: &str) -> Option<&'static Code> {
    let wanted = code.trim().to_uppercase();
    all().iter().find(|c| c.code == wanted)
}

/// Whether `pattern` names codes: `ALL`, a code, or a prefix of codes (`T`, `T1`). Otherwise
/// the closest real code, to suggest.
pub fn check_pattern(pattern: &str) -> Result<(), &'static str> {
    let wanted = pattern.trim().to_uppercase();
    if wanted == "ALL" || (!wanted.is_empty() && all().iter().any(|c| c.code.starts_with(&wanted)))
    {
        return Ok(());
    }
    Err(all()
        .iter()
        .min_by_key(|c| strsim::levenshtein(&wanted, c.code))
        .map_or("", |c| c.code))
}

/// `error`, `warning` or `info`.
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The code table of README.en.md: one row per code, generated from the registry (a test keeps
/// the README in step).
pub fn markdown_table() -> String {
    table_under("| code | family | default | name | 说明 |")
}

/// The code table of README.md (Chinese): the same rows as [`markdown_table`] under a Chinese
/// header.
pub fn markdown_table_zh() -> String {
    table_under("| 代码 | 类别 | 默认级别 | 名称 | 说明 |")
}

fn table_under(header: &str) -> String {
    let mut out = format!("{header}\n|---|---|---|---|---|\n");
    for c in all() {
        out.push_str(&format!(
            "| {} | {} {} | {} | `{}` | {} |\n",
            c.code,
            c.family.letter(),
            c.family.describe(),
            severity_word(c.severity),
            c.name,
            c.summary().replace('|', "\\|"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_each_sits_in_the_family_its_letter_names() {
        let mut seen = std::collections::HashSet::new();
        for c in all() {
            assert!(seen.insert(c.code), "{} listed twice", c.code);
            assert!(
                c.code.starts_with(c.family.letter()),
                "{} in family {:?}",
                c.code,
                c.family
            );
            assert!(!c.explain.is_empty() && !c.name.is_empty(), "{}", c.code);
            assert!(
                c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{}: name {} is not kebab case",
                c.code,
                c.name
            );
        }
    }

    #[test]
    fn the_equations_come_from_the_edition_files() {
        for code in ["T101", "T102", "T103", "T104"] {
            let c = get(code).expect("an equation code");
            assert_eq!(c.family, Family::Tables);
            assert_eq!(c.severity, Severity::Error);
        }
        // R2 is worded differently in the two editions (one （六） row in 2019, three in 2021):
        // both wordings are explained.
        let r2 = get("T102").expect("T102");
        assert!(
            r2.explain.contains("2019版式：") && r2.explain.contains("2021版式："),
            "{}",
            r2.explain
        );
        assert_eq!(get("t101 ").map(|c| c.code), Some("T101"));
        assert!(get("T100").is_none());
    }

    #[test]
    fn listing_order_is_by_family_then_number() {
        let codes: Vec<&str> = all().iter().map(|c| c.code).collect();
        let position = |code: &str| codes.iter().position(|c| *c == code).expect(code);
        assert!(position("D013") < position("S001"));
        assert!(position("T007") < position("T101"));
        assert!(position("X3") < position("X4") && position("X5") < position("X6"));
        assert_eq!(codes.last(), Some(&"N003"));
    }

    #[test]
    fn a_pattern_names_codes_or_gets_the_closest_one() {
        assert!(check_pattern("T").is_ok());
        assert!(check_pattern("t1").is_ok());
        assert!(check_pattern("all").is_ok());
        assert_eq!(check_pattern("T10l"), Err("T101"));
        assert!(check_pattern("").is_err());
    }
}
