//! The review as tables: the five sheets every output writes (概览, 问题清单, 数字, 同比, 合计),
//! each a header and rows of cells, produced one row at a time so that the long figures sheet
//! is never held as text.

use std::borrow::Cow;

use super::{FAMILIES, Figure, KEY_FIGURES, Review, Row, severity_word, show_number};

/// A cell: text, a number, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Empty,
}

impl<'a> Value<'a> {
    fn text(s: impl Into<Cow<'a, str>>) -> Value<'a> {
        Value::Text(s.into())
    }

    fn opt_text(s: Option<impl Into<Cow<'a, str>>>) -> Value<'a> {
        s.map_or(Value::Empty, |s| Value::Text(s.into()))
    }

    fn number(n: Option<f64>) -> Value<'a> {
        n.map_or(Value::Empty, Value::Number)
    }

    /// The cell as CSV and HTML show it.
    pub fn shown(&self) -> Cow<'_, str> {
        match self {
            Value::Text(s) => Cow::Borrowed(s),
            Value::Number(n) => Cow::Owned(show_number(*n)),
            Value::Empty => Cow::Borrowed(""),
        }
    }
}

/// One sheet.
pub struct Sheet<'a> {
    /// The sheet's name in the workbook.
    pub name: &'static str,
    /// The suffix of its CSV file (`review-findings.csv`); empty for the overview.
    pub slug: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Box<dyn Iterator<Item = Vec<Value<'a>>> + Send + 'a>,
}

/// The overview's fixed columns, before the family counts and the key figures.
pub const OVERVIEW_COLUMNS: [&str; 12] = [
    "文件",
    "机关",
    "年度",
    "版式",
    "发布日期",
    "发布期限",
    "是否按期",
    "状态",
    "无法读取的原因",
    "错误",
    "警告",
    "提示",
];

/// Index of the status column in the overview (for its colours).
pub const STATUS_COLUMN: usize = 7;

/// The overview's headers: fixed columns, one per family, one per key figure.
pub fn overview_headers() -> Vec<&'static str> {
    let families = [
        "D·数据文件",
        "S·部分",
        "T·统计表",
        "Y·年份",
        "X·交叉核对",
        "N·文件与注释",
    ];
    debug_assert_eq!(families.len(), FAMILIES.len());
    OVERVIEW_COLUMNS
        .iter()
        .copied()
        .chain(families)
        .chain(KEY_FIGURES.iter().map(|k| k.header))
        .collect()
}

/// One report's overview row.
pub fn overview_row(row: &Row) -> Vec<Value<'_>> {
    let mut cells = vec![
        Value::text(row.file.as_str()),
        Value::opt_text(row.agency.as_deref()),
        Value::number(row.year.map(f64::from)),
        Value::number(row.edition.map(f64::from)),
        Value::opt_text(row.published.map(|d| d.to_string())),
        Value::opt_text(row.deadline().map(|d| d.to_string())),
        match (row.on_time(), row.published) {
            (Some(true), _) => Value::text("是"),
            (Some(false), _) => Value::text("否"),
            (None, None) if row.year.is_some() => Value::text("未注明日期"),
            _ => Value::Empty,
        },
        Value::text(row.status.word()),
        Value::opt_text(Some(row.status.reason()).filter(|r| !r.is_empty())),
        Value::Number(row.errors as f64),
        Value::Number(row.warnings as f64),
        Value::Number(row.infos as f64),
    ];
    cells.extend(row.families.iter().map(|n| Value::Number(*n as f64)));
    cells.extend(row.key.iter().map(|v| Value::number(*v)));
    cells
}

/// The figures sheet's name and CSV suffix; the workbook writes it as the reports come
/// ([`super::xlsx::Writer::add`]).
pub const FIGURES_NAME: &str = "数字";
pub const FIGURES_SLUG: &str = "figures";

/// The figures sheet's headers: the long form, one row per figure.
pub const FIGURE_HEADERS: [&str; 8] =
    ["机关", "年度", "文件", "表", "行", "列", "数值", "填写情况"];

/// One figure's row in the figures sheet.
pub fn figure_cells<'a>(row: &'a Row, f: &'a Figure) -> [Value<'a>; 8] {
    [
        Value::opt_text(row.agency.as_deref()),
        Value::number(row.year.map(f64::from)),
        Value::text(row.file.as_str()),
        Value::text(f.table.name()),
        Value::text(f.row.as_str()),
        Value::text(f.column),
        Value::number(f.value),
        Value::text(f.state.word()),
    ]
}

impl Review {
    /// The five sheets, overview first.
    pub fn sheets(&self) -> Vec<Sheet<'_>> {
        let yoy = self.year_over_year();
        let totals = self.totals();
        vec![
            Sheet {
                name: "概览",
                slug: "",
                headers: overview_headers(),
                rows: Box::new(self.rows.iter().map(overview_row)),
            },
            Sheet {
                name: "问题清单",
                slug: "findings",
                headers: vec!["机关", "文件", "行", "位置", "代码", "级别", "说明"],
                rows: Box::new(self.findings.iter().map(|f| {
                    vec![
                        Value::opt_text(f.agency.as_deref()),
                        Value::text(f.file.as_str()),
                        Value::Number(f.line as f64),
                        Value::opt_text(Some(f.place.as_str()).filter(|p| !p.is_empty())),
                        Value::text(f.code.as_str()),
                        Value::text(severity_word(f.severity)),
                        Value::text(f.message.as_str()),
                    ]
                })),
            },
            Sheet {
                name: FIGURES_NAME,
                slug: FIGURES_SLUG,
                headers: FIGURE_HEADERS.to_vec(),
                rows: Box::new(self.rows.iter().flat_map(|row| {
                    row.figures
                        .iter()
                        .map(move |f| Vec::from(figure_cells(row, f)))
                })),
            },
            Sheet {
                name: "同比",
                slug: "yoy",
                headers: vec![
                    "机关",
                    "年度",
                    "文件",
                    "上年文件",
                    "本年新收",
                    "上年新收",
                    "新收增减（%）",
                    "上年结转",
                    "上年报告的结转下年度",
                    "结转是否一致",
                    "说明",
                ],
                rows: Box::new(yoy.into_iter().map(|y| {
                    vec![
                        Value::text(y.agency.clone()),
                        Value::Number(f64::from(y.year)),
                        Value::opt_text(y.file.clone()),
                        Value::opt_text(y.previous_file.clone()),
                        Value::number(y.new),
                        Value::number(y.previous_new),
                        Value::number(y.new_change().map(|p| (p * 10.0).round() / 10.0)),
                        Value::number(y.carried),
                        Value::number(y.previous_forward),
                        match y.carry_matches {
                            Some(true) => Value::text("一致"),
                            Some(false) => Value::text("不一致"),
                            None => Value::Empty,
                        },
                        Value::text(y.note()),
                    ]
                })),
            },
            Sheet {
                name: "合计",
                slug: "totals",
                headers: vec!["年度", "数字", "合计", "计入的报告数", "该年度报告数"],
                rows: Box::new(totals.into_iter().map(|t| {
                    vec![
                        Value::Number(f64::from(t.year)),
                        Value::text(t.figure),
                        Value::Number(t.sum),
                        Value::Number(t.counted as f64),
                        Value::Number(t.reports as f64),
                    ]
                })),
            },
        ]
    }
}
