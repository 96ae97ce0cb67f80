//! Editions of the official format as data.
//!
//! This module owns the edition files under `rules/editions/` (embedded in the binary as
//! constants `build.rs` makes of them, see `Node`): their schema, their validation, and the
//! choice of edition for a report year. It must not know about data files or drafts; the
//! renderer, the data loader and the linter all read the same [`Edition`] values.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;

/// The embedded edition files, newest last.
#[cfg(test)]
const EMBEDDED: [(&str, &str); 2] = [
    (
        "rules/editions/2019.yaml",
        include_str!("../rules/editions/2019.yaml"),
    ),
    (
        "rules/editions/2021.yaml",
        include_str!("../rules/editions/2021.yaml"),
    ),
];

/// One edition of the national format (e.g. 国办公开办函〔2021〕30号).
#[derive(Debug, Clone, Deserialize)]
pub struct Edition {
    pub edition: u16,
    pub basis: String,
    pub first_year: i32,
    #[serde(default)]
    pub last_year: Option<i32>,
    pub sections: Vec<Section>,
    pub active: ActiveTable,
    pub applications: GridTable,
    pub appeals: GridTable,
    pub equations: Vec<Equation>,
}

/// Whether a section carries prose in the data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Prose {
    Required,
    Optional,
}

/// One of the six sections of the report.
#[derive(Debug, Clone, Deserialize)]
pub struct Section {
    /// The Chinese numeral, `一` … `六`.
    pub number: String,
    /// The official title without the numeral.
    pub title: String,
    pub prose: Prose,
    /// What the section must contain, for the placeholder `nianbao init` writes.
    #[serde(default)]
    pub hint: String,
    /// Titles seen in real reports that mean the same section.
    #[serde(default)]
    pub variants: Vec<String>,
}

impl Section {
    /// The heading as printed: `一、总体情况`.
    pub fn heading(&self) -> String {
        format!("{}、{}", self.number, self.title)
    }
}

/// Table 二: blocks of rows under a `第二十条第（X）项` title.
#[derive(Debug, Clone, Deserialize)]
pub struct ActiveTable {
    /// Key of the table in the data file.
    pub key: String,
    pub blocks: Vec<ActiveBlock>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ActiveBlock {
    pub title: String,
    pub columns: Vec<ActiveColumn>,
    pub rows: Vec<String>,
}

/// What a cell of table 二 may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    /// A non-negative integer.
    Count,
    /// An integer that may be negative (`本年增/减`).
    Signed,
    /// A non-negative amount, decimals allowed (万元 or 元).
    Amount,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ActiveColumn {
    /// Short key used in the data file.
    pub key: String,
    /// Official header label, when it differs from the key.
    #[serde(default)]
    label: Option<String>,
    pub kind: CellKind,
}

impl ActiveColumn {
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.key)
    }
}

/// Tables 三 and 四: rows × columns of counts, with a derived total column.
#[derive(Debug, Clone, Deserialize)]
pub struct GridTable {
    pub key: String,
    /// Table 三's merged corner cell.
    #[serde(default)]
    pub corner: Option<String>,
    /// Table 三's `申请人情况` header over all data columns.
    #[serde(default)]
    pub over: Option<String>,
    /// The data columns, in order; the total column follows them.
    pub columns: Vec<String>,
    /// A header spanning some columns (`法人或其他组织` over columns 1..=5).
    #[serde(default)]
    pub column_group: Option<ColumnGroup>,
    /// Label of the total column.
    pub total: String,
    pub rows: Vec<GridRow>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ColumnGroup {
    pub label: String,
    pub first: usize,
    pub last: usize,
}

/// A row of a grid table: either a data row (`id`) or a merged group label (`group`).
#[derive(Debug, Clone, Deserialize)]
pub struct GridRow {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    pub label: String,
    #[serde(default)]
    pub level: u8,
    /// Computed from an equation (`（七）总计`); optional in the data file.
    #[serde(default)]
    pub derived: bool,
    /// A header above this row's label (table 四: `行政诉讼`).
    #[serde(default)]
    pub parent: Option<String>,
}

impl GridTable {
    /// Number of cells in a data row including the total column.
    pub fn width(&self) -> usize {
        self.columns.len() + 1
    }

    /// The data rows (not group labels), in order.
    pub fn data_rows(&self) -> impl Iterator<Item = (&str, &GridRow)> {
        self.rows
            .iter()
            .filter_map(|r| r.id.as_deref().map(|id| (id, r)))
    }

    pub fn row(&self, id: &str) -> Option<&GridRow> {
        self.rows.iter().find(|r| r.id.as_deref() == Some(id))
    }

    /// Every column label including the total.
    pub fn column_labels(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(self.total.as_str()))
    }
}

/// Which grid table an equation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableId {
    Applications,
    Appeals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquationKind {
    /// For every column: sum(left rows) = sum(right rows).
    Columns,
    /// For every row: total column = sum of the data columns.
    RowTotal,
}

/// A consistency relationship (勾稽关系) between cells.
#[derive(Debug, Clone, Deserialize)]
pub struct Equation {
    /// Diagnostic code, e.g. `T101`.
    pub code: String,
    /// Name in the spec, e.g. `R1`.
    pub relation: String,
    pub table: TableId,
    pub kind: EquationKind,
    /// The equation as a person reads it.
    pub text: String,
    /// The row this equation computes, when the data file leaves it out.
    #[serde(default)]
    pub defines: Option<String>,
    #[serde(default)]
    pub left: Vec<String>,
    #[serde(default)]
    pub right: Vec<String>,
}

impl Edition {
    pub fn grid(&self, table: TableId) -> &GridTable {
        match table {
            TableId::Applications => &self.applications,
            TableId::Appeals => &self.appeals,
        }
    }

    pub fn applies_to(&self, year: i32) -> bool {
        year >= self.first_year && self.last_year.is_none_or(|last| year <= last)
    }

    /// The equation that computes `row` of `table`, if any.
    pub fn defining_equation(&self, table: TableId, row: &str) -> Option<&Equation> {
        self.equations
            .iter()
            .find(|e| e.table == table && e.defines.as_deref() == Some(row))
    }

    /// Checks the internal consistency of an edition file.
    fn validate(&self) -> Result<(), String> {
        for table in [&self.applications, &self.appeals] {
            let mut seen = HashSet::new();
            for row in &table.rows {
                if row.id.is_some() == row.group.is_some() {
                    return Err(format!("行 `{}` 须有且只有 id 或 group 之一", row.label));
                }
                if let Some(id) = &row.id
                    && !seen.insert(id.as_str())
                {
                    return Err(format!("行 id `{id}` 重复"));
                }
            }
        }
        for eq in &self.equations {
            let table = self.grid(eq.table);
            for id in eq.left.iter().chain(&eq.right) {
                if table.row(id).is_none() {
                    return Err(format!("等式 {} 引用了不存在的行 `{id}`", eq.code));
                }
            }
            if eq.kind == EquationKind::Columns && (eq.left.is_empty() || eq.right.is_empty()) {
                return Err(format!("等式 {} 的两边不能为空", eq.code));
            }
        }
        if self.sections.len() != 6 {
            return Err(format!("应有6个部分，实有{}个", self.sections.len()));
        }
        Ok(())
    }
}

/// An error in an edition file.
#[derive(Debug, thiserror::Error)]
#[error("版式文件 {path} 有误：{message}")]
pub struct EditionError {
    pub path: String,
    pub message: String,
}

/// The edition files as trees of constants, converted by `build.rs` (no text to parse at run
/// time: see [`Node`]).
const EMBEDDED_TREES: [(&str, &Node); 2] = [
    ("rules/editions/2019.yaml", &EDITION_2019),
    ("rules/editions/2021.yaml", &EDITION_2021),
];

include!(concat!(env!("OUT_DIR"), "/editions.rs"));

/// An edition file's YAML as data the compiler lays out: what `build.rs` turns each file into.
/// The edition types are deserialised from it as from any serde format, so the YAML stays
/// the one definition and nothing is scanned or parsed when the program starts.
#[derive(Debug)]
enum Node {
    Bool(bool),
    Int(i64),
    Str(&'static str),
    Seq(&'static [Node]),
    Map(&'static [(&'static str, Node)]),
}

impl<'de> serde::de::IntoDeserializer<'de, serde::de::value::Error> for &'static Node {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> serde::Deserializer<'de> for &'static Node {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        use serde::de::value::{MapDeserializer, SeqDeserializer};
        match *self {
            Node::Bool(b) => visitor.visit_bool(b),
            Node::Int(n) => visitor.visit_i64(n),
            Node::Str(s) => visitor.visit_str(s),
            Node::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Node::Map(entries) => {
                let mut map = MapDeserializer::new(entries.iter().map(|(k, v)| (*k, v)));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    /// A key that is present has a value (`build.rs` refuses a null): an absent one is `None`.
    fn deserialize_option<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        use serde::de::IntoDeserializer;
        match self {
            Node::Str(s) => {
                let s: serde::de::value::StrDeserializer<'_, Self::Error> = s.into_deserializer();
                serde::Deserializer::deserialize_enum(s, name, variants, visitor)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

fn from_tree(path: &str, tree: &'static Node) -> Result<Edition, EditionError> {
    validated(path, Edition::deserialize(tree).map_err(|e| e.to_string()))
}

/// Parses and validates one edition file.
pub fn parse(path: &str, text: &str) -> Result<Edition, EditionError> {
    validated(
        path,
        serde_saphyr::from_str(text).map_err(|e| e.to_string()),
    )
}

fn validated(path: &str, parsed: Result<Edition, String>) -> Result<Edition, EditionError> {
    let error = |message| EditionError {
        path: path.to_owned(),
        message,
    };
    let edition = parsed.map_err(error)?;
    edition.validate().map_err(error)?;
    Ok(edition)
}

/// All editions known to the binary, oldest first. Parsed once per process.
pub fn all() -> &'static [Edition] {
    static EDITIONS: OnceLock<Vec<Edition>> = OnceLock::new();
    EDITIONS.get_or_init(|| {
        EMBEDDED_TREES
            .iter()
            .map(|(path, tree)| match from_tree(path, tree) {
                Ok(e) => e,
                // The embedded files are part of the program and covered by tests below.
                Err(e) => panic!("{e}"),
            })
            .collect()
    })
}

/// What the readers derive from one edition (its labels normalised, their searchers), made on
/// first use and kept for the run: once per edition, not once per report. `cache` is the
/// caller's own static; each edition's value is made apart, so a run over one report makes
/// only its edition's.
pub fn derived<T: Send + Sync>(
    cache: &'static OnceLock<Vec<OnceLock<T>>>,
    edition: &Edition,
    make: impl FnOnce(&'static Edition) -> T,
) -> &'static T {
    let editions = all();
    let cells = cache.get_or_init(|| editions.iter().map(|_| OnceLock::new()).collect());
    // Every edition comes from `all()`; one that did not would take the oldest's.
    let i = editions
        .iter()
        .position(|e| e.edition == edition.edition)
        .unwrap_or(0);
    cells[i].get_or_init(|| make(&editions[i]))
}

/// The edition named `number` (2019, 2021).
pub fn by_number(number: u16) -> Option<&'static Edition> {
    all().iter().find(|e| e.edition == number)
}

/// The edition that applies to a report for `year`; `None` for 2018 and earlier.
pub fn for_year(year: i32) -> Option<&'static Edition> {
    all().iter().find(|e| e.applies_to(year))
}

/// The editions other than `edition`, to recognise keys and labels of the wrong edition.
pub fn others(edition: &Edition) -> impl Iterator<Item = &'static Edition> {
    let number = edition.edition;
    all().iter().filter(move |e| e.edition != number)
}

/// Numbers of the known editions, for messages.
pub fn numbers() -> Vec<u16> {
    all().iter().map(|e| e.edition).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_built_from_the_yaml_gives_the_same_editions() {
        for ((path, yaml), (_, tree)) in EMBEDDED.iter().zip(EMBEDDED_TREES.iter()) {
            let from_yaml = parse(path, yaml).expect("yaml");
            let from_tree = from_tree(path, tree).expect("tree");
            assert_eq!(format!("{from_yaml:?}"), format!("{from_tree:?}"), "{path}");
        }
    }

    /// What the tree holds reaches the types as the YAML would: options, enums, defaults,
    /// numbers; and a tree of the wrong shape is an error, not a panic.
    #[test]
    fn a_tree_deserialises_like_the_yaml() {
        static COLUMN: Node = Node::Map(&[
            ("key", Node::Str("本年新制作")),
            ("kind", Node::Str("signed")),
        ]);
        let column = ActiveColumn::deserialize(&COLUMN).expect("column");
        assert_eq!(
            (column.label(), column.kind),
            ("本年新制作", CellKind::Signed)
        );
        static ROW: Node = Node::Map(&[
            ("group", Node::Str("（三）")),
            ("label", Node::Str("本年度办理结果")),
            ("level", Node::Int(1)),
            ("derived", Node::Bool(true)),
        ]);
        let row = GridRow::deserialize(&ROW).expect("row");
        assert_eq!((row.id, row.group.as_deref()), (None, Some("（三）")));
        assert_eq!((row.level, row.derived, row.parent), (1, true, None));
        static WRONG: Node = Node::Map(&[("key", Node::Str("x")), ("kind", Node::Str("many"))]);
        assert!(ActiveColumn::deserialize(&WRONG).is_err());
        static NOT_A_MAP: Node = Node::Seq(&[Node::Int(-1)]);
        assert!(ActiveColumn::deserialize(&NOT_A_MAP).is_err());
        assert!(u8::deserialize(&Node::Int(-1)).is_err());
    }

    #[test]
    fn embedded_editions_parse_and_validate() {
        assert_eq!(numbers(), vec![2019, 2021]);
    }

    #[test]
    fn edition_follows_the_report_year() {
        assert_eq!(for_year(2018).map(|e| e.edition), None);
        assert_eq!(for_year(2019).map(|e| e.edition), Some(2019));
        assert_eq!(for_year(2020).map(|e| e.edition), Some(2019));
        assert_eq!(for_year(2021).map(|e| e.edition), Some(2021));
        assert_eq!(for_year(2030).map(|e| e.edition), Some(2021));
    }

    #[test]
    fn table_three_has_the_official_number_of_data_rows() {
        // format.md §4: 23 data rows in 2019 and 25 in 2021, each of 7 cells.
        let rows = |n| by_number(n).map(|e| e.applications.data_rows().count());
        assert_eq!(rows(2019), Some(23));
        assert_eq!(rows(2021), Some(25));
        assert_eq!(by_number(2021).map(|e| e.applications.width()), Some(7));
        assert_eq!(by_number(2021).map(|e| e.appeals.width() * 3), Some(15));
    }

    #[test]
    fn official_section_titles() {
        let e = by_number(2021).expect("2021");
        let headings: Vec<String> = e.sections.iter().map(Section::heading).collect();
        assert_eq!(
            headings,
            [
                "一、总体情况",
                "二、主动公开政府信息情况",
                "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况",
                "五、存在的主要问题及改进情况",
                "六、其他需要报告的事项"
            ]
        );
    }

    #[test]
    fn r2_covers_every_result_row() {
        for e in all() {
            let r2 = e
                .defining_equation(TableId::Applications, "总计")
                .expect("R2");
            let results: Vec<&str> = e
                .applications
                .data_rows()
                .filter(|(_, r)| r.level >= 1 && !r.derived)
                .map(|(id, _)| id)
                .collect();
            let right: Vec<&str> = r2.right.iter().map(String::as_str).collect();
            assert_eq!(right, results, "edition {}", e.edition);
        }
    }

    #[test]
    fn a_broken_edition_file_is_an_error_not_a_panic() {
        let err = parse("x.yaml", "edition: [").err().map(|e| e.to_string());
        assert!(err.is_some_and(|m| m.contains("x.yaml")));
        let text =
            include_str!("../rules/editions/2021.yaml").replace("left: [本年新收", "left: [不存在");
        let err = parse("y.yaml", &text).err().map(|e| e.message);
        assert_eq!(err.as_deref(), Some("等式 T101 引用了不存在的行 `不存在`"));
    }
}
