//! The YAML data file (数据文件) → [`Report`], with every problem as a diagnostic.
//!
//! This module owns the data-file format of `docs/data-file.md`: its keys, the shapes of
//! its rows, the checks on its values, and the codes `D001`–`D013`. It reports every problem it
//! finds in one pass (never only the first: a bad 年度 or 版式 does not stop the tables from
//! being checked) and points each at the offending YAML. It does not render, and it leaves the
//! balance equations to [`crate::balance`].

pub mod slips;
pub mod yaml;

use std::ops::Range;

use crate::balance;
use crate::diagnostics::{Diagnostic, RuleInfo, Severity};
use crate::edition::{self, CellKind, Edition, GridTable, Prose, TableId};
use crate::report::{Cell, Grid, GridRowValues, MAX_FIGURE, Number, Report};
use yaml::{Key, Node, Value};

/// Marks prose that `nianbao init` wrote and nobody has filled yet.
pub const PLACEHOLDER: &str = "【待填写】";

/// The codes this module reports, with a name and an explanation (`nianbao explain`).
pub const CODES: &[RuleInfo] = &[
    RuleInfo {
        code: "D001",
        name: "yaml-syntax",
        severity: Severity::Error,
        explain: "数据文件不是合法的 YAML，或顶层不是映射（键: 值）。修正所指位置的语法后再检查。",
    },
    RuleInfo {
        code: "D002",
        name: "unknown-key",
        severity: Severity::Error,
        explain: "数据文件中出现了本版式没有的键。键名须与 `nianbao init` 生成的完全一致；诊断会给出最接近的有效键。",
    },
    RuleInfo {
        code: "D003",
        name: "other-edition-key",
        severity: Severity::Error,
        explain: "键属于另一版式（例如2021版式文件中的“本年新制作数量”“规范性文件”）。报告年度决定版式：2019—2020年度用2019版式，2021年度起用2021版式。",
    },
    RuleInfo {
        code: "D004",
        name: "missing-field",
        severity: Severity::Error,
        explain: "缺少必填的字段或表格行。即使为0也须写出，以免漏填。",
    },
    RuleInfo {
        code: "D005",
        name: "wrong-length",
        severity: Severity::Error,
        explain: "表三每行应有6个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他），可另加第7个数作为填写的总计；表四每行应有4个数（结果维持、结果纠正、其他结果、尚未审结），可另加第5个数作为总计。",
    },
    RuleInfo {
        code: "D006",
        name: "wrong-type",
        severity: Severity::Error,
        explain: "值的类型不对：例如应填数字处填了文字或留空，应填列表处填了单个数。数字不要加引号、单位或千分位逗号。",
    },
    RuleInfo {
        code: "D007",
        name: "negative-count",
        severity: Severity::Error,
        explain: "件数不能为负数。只有2019版式表二的“本年增/减”可以为负。",
    },
    RuleInfo {
        code: "D008",
        name: "not-an-integer",
        severity: Severity::Error,
        explain: "件数必须是整数。只有金额（本年收费金额、采购总金额）可以有小数。",
    },
    RuleInfo {
        code: "D009",
        name: "unfilled-prose",
        severity: Severity::Warning,
        explain: "正文某部分为空或仍是 `nianbao init` 写入的占位文字（含“【待填写】”）。发布前须填写。",
    },
    RuleInfo {
        code: "D010",
        name: "bad-metadata",
        severity: Severity::Error,
        explain: "机关、年度或版式有误：年度须为4位数字年份；版式只能是2019或2021，且应与年度相符；2018年及以前的报告不适用这两种版式。",
    },
    RuleInfo {
        code: "D011",
        name: "publication-date",
        severity: Severity::Warning,
        explain: "发布日期格式应为 YYYY-MM-DD；报告应在统计年度结束后、法定期限前发布（《条例》第五十条）。期限由机关名称判断：机关名称以“人民政府”结尾的（县级以上地方人民政府本级的报告）为次年3月31日；其余一律为次年1月31日——政府的部门（某县教育局）、政府的办公室或办公厅（某县人民政府办公室）、乡镇人民政府和街道办事处都在此列。判断不对时，可在数据文件中写“发布时限: 3月31日”（或“1月31日”），或在 nianbao.toml 中写 deadline = \"3月31日\"；数据文件中的写法优先。",
    },
    RuleInfo {
        code: "D012",
        name: "line-break-in-single-line-field",
        severity: Severity::Error,
        explain: "机关、发布日期只能写在一行：其中不能有换行（例如 `机关: |` 块写法中的多行）或其他控制字符。机关名称出现在报告标题中，换行会打乱报告的结构。",
    },
    RuleInfo {
        code: "D013",
        name: "implausible-number",
        severity: Severity::Error,
        explain: "数字大得不合理：件数和金额的绝对值不能超过一万亿（10¹²），非数（.nan）和无穷大（.inf、1e999）也不是数字。这样的数多半是多打了数字或粘贴错了位置；若照此计算，总计会溢出。",
    },
];

/// The keys of a data file's top level.
pub const TOP_KEYS: [&str; 9] = [
    "版式",
    "机关",
    "年度",
    "发布日期",
    "发布时限",
    "正文",
    "主动公开",
    "申请情况",
    "复议诉讼",
];

/// The outcome of loading: the report when the file was complete enough to build one, and
/// every diagnostic found (in file 0). A report with error diagnostics must not be rendered.
#[derive(Debug)]
pub struct Loaded {
    pub report: Option<Report>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// The publication deadline of 条例 第五十条: 1月31日 of the next year for every agency, 3月31日
/// for a 县级以上地方人民政府's own report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    January,
    March,
}

impl Deadline {
    /// `1月31日` / `3月31日` (also `01-31`, `3-31`, with blanks or full-width digits).
    pub fn parse(text: &str) -> Option<Deadline> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - 0xFF10 + u32::from('0')).unwrap_or(c)
                }
                c => c,
            })
            .collect();
        match compact.trim_start_matches('0').trim_end_matches('前') {
            "1月31日" | "1-31" => Some(Deadline::January),
            "3月31日" | "3-31" => Some(Deadline::March),
            _ => None,
        }
    }

    /// The deadline that 机关 implies: 3月31日 when it ends with 人民政府 and is not a 乡/镇
    /// government (a government's own report); 1月31日 otherwise — for its departments, its
    /// 办公室/办公厅, 乡镇 and 街道.
    pub fn for_agency(agency: &str) -> Deadline {
        let agency = agency.trim();
        match agency.strip_suffix("人民政府") {
            Some(place) if !place.ends_with(['乡', '镇']) && !place.is_empty() => Deadline::March,
            _ => Deadline::January,
        }
    }

    pub fn month(self) -> u32 {
        match self {
            Deadline::January => 1,
            Deadline::March => 3,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Deadline::January => "1月31日",
            Deadline::March => "3月31日",
        }
    }
}

/// What the loader is told from outside the file (nianbao.toml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// `deadline` in nianbao.toml; the data file's 发布时限 wins over it.
    pub deadline: Option<Deadline>,
}

/// Loads a data file's text.
pub fn load(text: &str) -> Loaded {
    load_with(text, &Options::default())
}

/// Loads a data file's text with options from the configuration.
pub fn load_with(text: &str, options: &Options) -> Loaded {
    let root = match yaml::parse(text) {
        Ok(root) => root,
        Err(e) => {
            let end = next_char_end(text, e.offset);
            // A full-width colon after a key on the line the parser gave up on, or the line
            // before, is the likelier cause.
            let line_end = text
                .get(e.offset..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |i| e.offset + i);
            let before = text.get(..e.offset).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let previous_start = before[..line_start.saturating_sub(1)]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let slip = slips::scan(text)
                .into_iter()
                .rfind(|s| s.colon && (previous_start..=line_end).contains(&s.span.start));
            let d = match slip {
                Some(slip) => slip_diagnostic("D001", slip)
                    .with_note(format!("YAML 读取器的原话：{}", e.message)),
                None => Diagnostic::error("D001", format!("YAML 语法错误：{}", e.message))
                    .with_label(e.offset..end, "此处无法解析"),
            };
            return Loaded {
                report: None,
                diagnostics: vec![d],
            };
        }
    };
    let mut loader = Loader {
        diagnostics: Vec::new(),
        suggested: Vec::new(),
        deadline: options.deadline,
    };
    for (first, repeated) in yaml::duplicate_keys(&root) {
        loader.push(
            Diagnostic::error(
                "D001",
                format!("键“{}”重复出现；同一层中每个键只能写一次", repeated.name),
            )
            .with_label(repeated.span.clone(), "再次出现")
            .with_label(first.span.clone(), "第一次出现"),
        );
    }
    let checked = loader.report(&root);
    let mut diagnostics = loader.diagnostics;
    // The tables are checked even when the report cannot be claimed (a bad 年度 or 版式).
    let report = checked.map(|(report, claimed)| {
        diagnostics.extend(balance::check(report.edition, |t| Some(report.grid(t))));
        (report, claimed)
    });
    name_slips(text, &mut diagnostics);
    diagnostics.sort_by_key(|d| d.position().1);
    let report = report.and_then(|(report, claimed)| claimed.then_some(report));
    Loaded {
        report,
        diagnostics,
    }
}

/// A slip's finding, under the code of the finding it explains.
fn slip_diagnostic(code: &str, slip: slips::Slip) -> Diagnostic {
    Diagnostic::error(code, slip.message)
        .with_label(slip.span, slip.label)
        .with_fix(slip.fix)
}

/// Puts each keyboard slip's finding in place of the findings it caused: an unknown key, a list
/// of the wrong length, a value of the wrong type, a missing field at the same place.
fn name_slips(text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let caused = |d: &Diagnostic, slip: &slips::Slip| {
        matches!(d.code.as_str(), "D001" | "D002" | "D004" | "D005" | "D006")
            && d.labels.first().is_some_and(|l| {
                l.span.start < slip.span.end && slip.span.start < l.span.end.max(l.span.start + 1)
            })
    };
    for slip in slips::scan(text) {
        let Some(first) = diagnostics.iter().position(|d| caused(d, &slip)) else {
            continue;
        };
        let code = diagnostics[first].code.clone();
        let replaced: Vec<String> = diagnostics
            .iter()
            .filter(|d| caused(d, &slip))
            .map(|d| d.message.clone())
            .collect();
        diagnostics.retain(|d| !caused(d, &slip));
        let mut d = slip_diagnostic(&code, slip);
        for message in replaced {
            d = d.with_note(format!("因此读成了：{message}"));
        }
        diagnostics.push(d);
    }
}

fn next_char_end(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|t| t.chars().next())
        .map_or(offset, |c| offset + c.len_utf8())
}

struct Loader {
    diagnostics: Vec<Diagnostic>,
    /// Keys a D002 already suggested: their absence is the same slip, not a second finding.
    suggested: Vec<String>,
    /// The deadline nianbao.toml sets, if any.
    deadline: Option<Deadline>,
}

/// The closest of `candidates` to `key`, if it is close enough to be a likely typo.
pub fn closest<'a>(key: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key_len = key.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(key, c), c))
        .filter(|(d, c)| *d <= (key_len.max(c.chars().count()) / 2).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

impl Loader {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, node: &Node, expected: &str) {
        self.push(
            Diagnostic::error("D006", format!("应为{expected}，实为{}", node.kind()))
                .with_label(node.span.clone(), format!("应为{expected}")),
        );
    }

    /// An unknown key: a key of the other edition (D003) or a typo (D002).
    fn unknown_key(
        &mut self,
        key: &Key,
        valid: &[&str],
        other_edition: Option<(u16, bool)>,
        place: &str,
    ) {
        if let Some((number, true)) = other_edition {
            self.push(
                Diagnostic::error(
                    "D003",
                    format!("“{}”是{number}版式的键，不属于本报告的版式", key.name),
                )
                .with_label(key.span.clone(), format!("{number}版式的键"))
                .with_note(format!("{place}的有效键：{}", valid.join("、"))),
            );
            return;
        }
        let mut d = Diagnostic::error("D002", format!("未知的键“{}”", key.name))
            .with_label(key.span.clone(), format!("{place}没有这个键"));
        match closest(&key.name, valid.iter().copied()) {
            Some(best) => {
                self.suggested.push(best.to_owned());
                d = d.with_note(format!("是否想写“{best}”？")).with_fix(best);
            }
            None => d = d.with_note(format!("{place}的有效键：{}", valid.join("、"))),
        }
        self.push(d);
    }

    fn entries<'n>(&mut self, node: &'n Node, what: &str) -> &'n [(Key, Node)] {
        match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, &format!("映射（{what}）"));
                &[]
            }
        }
    }

    /// The report, and whether it can be claimed: `false` when 年度 or 版式 is unusable, in
    /// which case the rest was checked against the edition the file's keys fit best.
    fn report(&mut self, root: &Node) -> Option<(Report, bool)> {
        let Value::Map(entries) = &root.value else {
            let span = root.span.clone();
            self.push(
                Diagnostic::error("D001", "数据文件的顶层应是映射（键: 值），例如“年度: 2023”")
                    .with_label(span, "此处不是映射"),
            );
            return None;
        };
        for (key, _) in entries {
            if !TOP_KEYS.contains(&key.name.as_str()) {
                self.unknown_key(key, &TOP_KEYS, None, "数据文件顶层");
            }
        }
        let whole = root.span.start..root.span.start;
        let year = self.year(root.get("年度"), whole.clone());
        let edition = self.edition(root.get("版式"), year, whole.clone());
        let claimed = year.is_some() && edition.is_some();
        let edition = edition
            .or_else(|| year.and_then(edition::for_year))
            .unwrap_or_else(|| best_fit(root));
        let agency = match root.get("机关") {
            Some(
                node @ Node {
                    value: Value::Str(s),
                    ..
                },
            ) if !s.trim().is_empty() => {
                self.single_line(node, s, "机关名称");
                s.trim().to_owned()
            }
            Some(node) => {
                self.push(
                    Diagnostic::error("D010", "机关名称应是非空文字")
                        .with_label(node.span.clone(), "机关名称"),
                );
                String::new()
            }
            None => {
                self.missing(whole.clone(), "机关", "数据文件顶层");
                String::new()
            }
        };
        let deadline = self.deadline(root.get("发布时限"), &agency);
        let published = root
            .get("发布日期")
            .and_then(|n| self.published(n, year, deadline));
        let year = year.unwrap_or_default();
        let prose = self.prose(edition, root.get("正文"), whole.clone());
        let active = self.active(edition, entry(root, &edition.active.key), whole.clone());
        let mut applications = self.grid(
            edition,
            TableId::Applications,
            entry(root, &edition.applications.key),
            whole.clone(),
        );
        let mut appeals = self.grid(
            edition,
            TableId::Appeals,
            entry(root, &edition.appeals.key),
            whole,
        );
        applications.derive_totals(edition, TableId::Applications);
        appeals.derive_totals(edition, TableId::Appeals);
        let report = Report {
            edition,
            agency,
            year,
            published,
            prose,
            active,
            applications,
            appeals,
        };
        Some((report, claimed))
    }

    /// D012: a field that is printed on one line (in the title, in a sentence) has none of
    /// the characters that would break it over lines.
    fn single_line(&mut self, node: &Node, text: &str, what: &str) -> bool {
        let Some(bad) = text.trim().chars().find(|c| breaks_line(*c)) else {
            return true;
        };
        let shown = match bad {
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => "换行".to_owned(),
            c => format!("控制字符 U+{:04X}", u32::from(c)),
        };
        self.push(
            Diagnostic::error("D012", format!("{what}只能写一行，其中有{shown}"))
                .with_label(node.span.clone(), format!("{what}中有{shown}"))
                .with_note("去掉其中的换行；用 `|` 或 `>` 写成的多行块只适合正文"),
        );
        false
    }

    fn missing(&mut self, at: Range<usize>, key: &str, place: &str) {
        if self.suggested.iter().any(|s| s == key) {
            return;
        }
        self.push(
            Diagnostic::error("D004", format!("{place}缺少“{key}”"))
                .with_label(at, format!("此处应有“{key}”")),
        );
    }

    fn year(&mut self, node: Option<&Node>, whole: Range<usize>) -> Option<i32> {
        let Some(node) = node else {
            self.missing(whole, "年度", "数据文件顶层");
            return None;
        };
        if let Value::Int(y) = node.value
            && (2008..=2100).contains(&y)
        {
            return i32::try_from(y).ok();
        }
        let mut d = Diagnostic::error("D010", "年度应是4位数字年份，例如 2023")
            .with_label(node.span.clone(), "不是有效的年度")
            .with_note("年度有误时，其余各项仍按文件中的键最接近的版式检查，但不生成报告");
        // `2023年`, `"2023"`: the year is there, in the wrong form.
        if let Value::Str(text) = &node.value {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 4 && text.trim().trim_end_matches('年').trim() == digits {
                d = d.with_fix(digits);
            }
        }
        self.push(d);
        None
    }

    /// The edition the file is for: 版式 if valid, else the one its 年度 implies. `None` (with
    /// a diagnostic, unless 年度 itself was the problem) when neither says.
    fn edition(
        &mut self,
        node: Option<&Node>,
        year: Option<i32>,
        whole: Range<usize>,
    ) -> Option<&'static Edition> {
        let by_year = year.and_then(edition::for_year);
        let Some(node) = node else {
            if let (None, Some(year)) = (by_year, year) {
                self.push(
                    Diagnostic::error(
                        "D010",
                        format!("{year}年度的报告不适用2019或2021版式（2018年及以前适用旧规定）"),
                    )
                    .with_label(whole, "年度"),
                );
            }
            return by_year;
        };
        let named = match node.value {
            Value::Int(n) => u16::try_from(n).ok().and_then(edition::by_number),
            _ => None,
        };
        let Some(named) = named else {
            let known: Vec<String> = edition::numbers().iter().map(u16::to_string).collect();
            self.push(
                Diagnostic::error("D010", format!("版式只能是 {}", known.join(" 或 ")))
                    .with_label(node.span.clone(), "未知的版式"),
            );
            return None;
        };
        if let (Some(expected), Some(year)) = (by_year, year)
            && expected.edition != named.edition
        {
            self.push(
                Diagnostic::warning(
                    "D010",
                    format!(
                        "{year}年度的报告应使用{}版式，文件写的是{}版式",
                        expected.edition, named.edition
                    ),
                )
                .with_label(node.span.clone(), "与年度不符")
                .with_fix(expected.edition.to_string()),
            );
        }
        Some(named)
    }

    /// The deadline: 发布时限 in the file, else nianbao.toml's, else what 机关 implies; and
    /// where it came from, for the message.
    fn deadline(&mut self, node: Option<&Node>, agency: &str) -> (Deadline, &'static str) {
        if let Some(node) = node {
            let written = match &node.value {
                Value::Str(s) => Deadline::parse(s),
                _ => None,
            };
            match written {
                Some(d) => return (d, "数据文件的“发布时限”"),
                None => self.push(
                    Diagnostic::warning("D011", "发布时限只能是“1月31日”或“3月31日”")
                        .with_label(node.span.clone(), "无法识别的发布时限")
                        .with_note(
                            "未写或写错时，按机关名称判断：本级人民政府3月31日，其余1月31日",
                        ),
                ),
            }
        }
        if let Some(d) = self.deadline {
            return (d, "nianbao.toml 的 deadline");
        }
        let d = Deadline::for_agency(agency);
        (
            d,
            match d {
                Deadline::March => "机关为本级人民政府",
                Deadline::January => "机关不是县级以上人民政府本级",
            },
        )
    }

    fn published(
        &mut self,
        node: &Node,
        year: Option<i32>,
        (deadline, why): (Deadline, &'static str),
    ) -> Option<String> {
        let text = match &node.value {
            Value::Str(s) => s.trim().to_owned(),
            _ => String::new(),
        };
        if !self.single_line(node, &text, "发布日期") {
            return None;
        }
        let parts: Vec<Option<u32>> = text.split('-').map(|p| p.parse().ok()).collect();
        let [Some(y), Some(m), Some(d)] = parts[..] else {
            self.push(
                Diagnostic::warning("D011", "发布日期应写成 YYYY-MM-DD，例如 2024-01-20")
                    .with_label(node.span.clone(), "无法识别的日期"),
            );
            return None;
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            self.push(
                Diagnostic::warning("D011", format!("发布日期“{text}”不是有效日期"))
                    .with_label(node.span.clone(), "无效日期"),
            );
            return None;
        }
        let (Ok(y), Some(year)) = (i32::try_from(y), year) else {
            return Some(text);
        };
        if y <= year {
            self.push(
                Diagnostic::warning(
                    "D011",
                    format!("发布日期早于{year}年度结束：报告应在{}年发布", year + 1),
                )
                .with_label(node.span.clone(), "发布日期"),
            );
        } else if (y, m) > (year + 1, deadline.month()) {
            self.push(
                Diagnostic::warning(
                    "D011",
                    format!(
                        "发布日期晚于法定期限：{year}年度报告最迟应在{}年{}前发布（{why}）",
                        year + 1,
                        deadline.describe()
                    ),
                )
                .with_label(node.span.clone(), "逾期发布")
                .with_note(
                    "《条例》第五十条：各级人民政府部门在每年1月31日前公布上一年度报告；县级以上地方人民政府本级的报告在3月31日前公布。期限判断不对时，在数据文件中写“发布时限: 3月31日”或“发布时限: 1月31日”",
                ),
            );
        }
        Some(text)
    }

    fn prose(
        &mut self,
        edition: &Edition,
        node: Option<&Node>,
        whole: Range<usize>,
    ) -> Vec<Option<String>> {
        let mut prose = vec![None; edition.sections.len()];
        let titles: Vec<&str> = edition.sections.iter().map(|s| s.title.as_str()).collect();
        let at = node.map_or(whole, |n| n.span.start..n.span.start);
        let entries = node.map_or(&[][..], |n| self.entries(n, "各部分正文"));
        for (key, value) in entries {
            let Some(index) = edition.sections.iter().position(|s| {
                s.title == key.name || s.heading() == key.name || s.variants.contains(&key.name)
            }) else {
                self.unknown_key(key, &titles, None, "正文");
                continue;
            };
            match &value.value {
                Value::Str(text) => {
                    if text.trim().is_empty() || text.contains(PLACEHOLDER) {
                        self.push(
                            Diagnostic::warning(
                                "D009",
                                format!("“{}”尚未填写", edition.sections[index].heading()),
                            )
                            .with_label(value.span.clone(), "占位文字或空白"),
                        );
                    }
                    prose[index] = Some(text.trim_end().to_owned());
                }
                Value::Null => self.push(
                    Diagnostic::warning(
                        "D009",
                        format!("“{}”尚未填写", edition.sections[index].heading()),
                    )
                    .with_label(key.span.clone(), "空白"),
                ),
                _ => self.wrong_type(value, "文字"),
            }
        }
        for (index, section) in edition.sections.iter().enumerate() {
            let present = entries.iter().any(|(k, _)| {
                k.name == section.title
                    || k.name == section.heading()
                    || section.variants.contains(&k.name)
            });
            if section.prose == Prose::Required && !present {
                self.push(
                    Diagnostic::warning("D009", format!("正文缺少“{}”", section.title))
                        .with_label(at.clone(), format!("此处应有“{}”", section.title)),
                );
            }
            let _ = index;
        }
        prose
    }

    fn number(&mut self, node: &Node, kind: CellKind) -> Option<Number> {
        if let Some(why) = implausible(&node.value) {
            self.push(
                Diagnostic::error("D013", why)
                    .with_label(node.span.clone(), "不合理的数")
                    .with_note("件数和金额的绝对值不超过一万亿（10¹²）"),
            );
            return None;
        }
        let number = match &node.value {
            Value::Int(i) => Number::Int(*i),
            Value::Float(f) if kind == CellKind::Amount && f.is_finite() => Number::Decimal(*f),
            Value::Float(f) if f.fract() == 0.0 && f.is_finite() => {
                // Within the bound checked above, so the conversion is exact.
                self.push(
                    Diagnostic::error("D008", format!("件数应是整数，写成了 {f}"))
                        .with_label(node.span.clone(), "去掉小数点")
                        .with_fix(format!("{}", *f as i64)),
                );
                return None;
            }
            Value::Float(f) => {
                self.push(
                    Diagnostic::error("D008", format!("件数应是整数，写成了 {f}"))
                        .with_label(node.span.clone(), "不是整数"),
                );
                return None;
            }
            Value::Str(s) if slips::number(s).is_some() => {
                if let Some((message, fix)) = slips::number(s) {
                    self.push(
                        Diagnostic::error("D006", message)
                            .with_label(node.span.clone(), "应为半角数字")
                            .with_fix(fix),
                    );
                }
                return None;
            }
            Value::Str(s) => {
                let cleaned: String = s
                    .chars()
                    .filter(|c| !matches!(c, ',' | '，' | ' '))
                    .collect();
                let mut d = Diagnostic::error("D006", format!("应为数字，实为文字“{s}”"))
                    .with_label(node.span.clone(), "不是数字");
                if cleaned.parse::<f64>().is_ok() {
                    d = d.with_note("去掉引号、单位或逗号").with_fix(cleaned);
                }
                self.push(d);
                return None;
            }
            _ => {
                self.wrong_type(node, "数字");
                return None;
            }
        };
        let negative = match number {
            Number::Int(i) => i < 0,
            Number::Decimal(f) => f < 0.0,
        };
        if negative && kind != CellKind::Signed {
            self.push(
                Diagnostic::error("D007", format!("不能为负数：{number}"))
                    .with_label(node.span.clone(), "负数"),
            );
            return None;
        }
        Some(number)
    }

    fn active(
        &mut self,
        edition: &Edition,
        entry: Option<(&Key, &Node)>,
        whole: Range<usize>,
    ) -> Vec<Vec<Vec<Option<Number>>>> {
        let table = &edition.active;
        let mut values: Vec<Vec<Vec<Option<Number>>>> = table
            .blocks
            .iter()
            .map(|b| vec![vec![None; b.columns.len()]; b.rows.len()])
            .collect();
        let Some((table_key, node)) = entry else {
            self.missing(whole, &table.key, "数据文件顶层");
            return values;
        };
        let mut other_edition_rows = false;
        let valid_rows: Vec<&str> = table
            .blocks
            .iter()
            .flat_map(|b| b.rows.iter().map(String::as_str))
            .collect();
        let other_rows: Vec<(u16, Vec<String>)> = edition::others(edition)
            .map(|o| {
                (
                    o.edition,
                    o.active
                        .blocks
                        .iter()
                        .flat_map(|b| b.rows.clone())
                        .collect(),
                )
            })
            .collect();
        let entries = self.entries(node, "表二各行");
        for (key, row_node) in entries {
            let Some((b, r)) = table.blocks.iter().enumerate().find_map(|(b, block)| {
                block
                    .rows
                    .iter()
                    .position(|r| *r == key.name)
                    .map(|r| (b, r))
            }) else {
                let other = other_rows
                    .iter()
                    .find(|(_, rows)| rows.contains(&key.name))
                    .map(|(n, _)| (*n, true));
                other_edition_rows |= other.is_some();
                self.unknown_key(key, &valid_rows, other, "表二");
                continue;
            };
            let block = &table.blocks[b];
            let valid_cols: Vec<&str> = block.columns.iter().map(|c| c.key.as_str()).collect();
            let row_entries = self.entries(row_node, "各列的数");
            let mut other_edition_columns = false;
            for (col_key, cell) in row_entries {
                let Some(c) = block.columns.iter().position(|c| c.key == col_key.name) else {
                    let other = edition::others(edition)
                        .find(|o| {
                            o.active
                                .blocks
                                .iter()
                                .any(|ob| ob.columns.iter().any(|c| c.key == col_key.name))
                        })
                        .map(|o| (o.edition, true));
                    other_edition_columns |= other.is_some();
                    self.unknown_key(
                        col_key,
                        &valid_cols,
                        other,
                        &format!("表二“{}”行", key.name),
                    );
                    continue;
                };
                values[b][r][c] = self.number(cell, block.columns[c].kind);
            }
            for column in &block.columns {
                // A key of the other edition was reported already (D003): that is the missing one.
                if matches!(row_node.value, Value::Map(_))
                    && !other_edition_columns
                    && !row_entries.iter().any(|(k, _)| k.name == column.key)
                {
                    self.missing(
                        row_node.span.clone(),
                        &column.key,
                        &format!("表二“{}”行", key.name),
                    );
                }
            }
        }
        for name in &valid_rows {
            if !other_edition_rows && !entries.iter().any(|(k, _)| k.name == *name) {
                self.missing(table_key.span.clone(), name, "表二（主动公开）");
            }
        }
        values
    }

    /// Tables 三 and 四: rows are lists of counts; dotted ids are nested under a group key.
    fn grid(
        &mut self,
        edition: &Edition,
        table: TableId,
        table_entry: Option<(&Key, &Node)>,
        whole: Range<usize>,
    ) -> Grid {
        let def = edition.grid(table);
        let mut grid = Grid::default();
        let Some((table_key, node)) = table_entry else {
            self.missing(whole, &def.key, "数据文件顶层");
            return grid;
        };
        let others: Vec<&GridTable> = edition::others(edition).map(|o| o.grid(table)).collect();
        let other_number = edition::others(edition).next().map_or(0, |o| o.edition);
        self.grid_level(def, &others, other_number, node, "", &mut grid);
        for (id, row) in def.data_rows() {
            if row.derived || grid.rows.contains_key(id) {
                continue;
            }
            let (group, name) = id.split_once('.').map_or(("", id), |(g, n)| (g, n));
            let place = if group.is_empty() {
                format!("表“{}”", def.key)
            } else {
                format!("“{group}”")
            };
            let at = match entry(node, group) {
                Some((group_key, _)) => group_key.span.clone(),
                None => table_key.span.clone(),
            };
            // A group that is missing as a whole is reported once, below.
            if !group.is_empty() && node.get(group).is_none() {
                continue;
            }
            self.missing(at, name, &place);
        }
        for group in def.rows.iter().filter_map(|r| r.group.as_deref()) {
            let has_children = def
                .data_rows()
                .any(|(id, _)| id.starts_with(&format!("{group}.")));
            if has_children && node.get(group).is_none() {
                self.missing(table_key.span.clone(), group, &format!("表“{}”", def.key));
            }
        }
        grid
    }

    fn grid_level(
        &mut self,
        def: &GridTable,
        others: &[&GridTable],
        other_number: u16,
        node: &Node,
        prefix: &str,
        grid: &mut Grid,
    ) {
        let valid: Vec<&str> = def
            .rows
            .iter()
            .filter_map(|r| r.id.as_deref().or(r.group.as_deref()))
            .filter_map(|id| match prefix {
                "" => Some(id.split('.').next().unwrap_or(id)),
                p => id.strip_prefix(p).and_then(|rest| rest.strip_prefix('.')),
            })
            .fold(Vec::new(), |mut acc, id| {
                if !acc.contains(&id) {
                    acc.push(id);
                }
                acc
            });
        let place = if prefix.is_empty() {
            format!("表“{}”", def.key)
        } else {
            format!("“{prefix}”")
        };
        let entries = self.entries(node, "各行");
        for (key, value) in entries {
            let id = if prefix.is_empty() {
                key.name.clone()
            } else {
                format!("{prefix}.{}", key.name)
            };
            let is_group = def
                .rows
                .iter()
                .any(|r| r.group.as_deref() == Some(id.as_str()))
                && def
                    .data_rows()
                    .any(|(rid, _)| rid.starts_with(&format!("{id}.")));
            if is_group {
                if let Value::Seq(_) = value.value {
                    // A group written as one row: the single （六）其他处理 of the other edition.
                    if others.iter().any(|o| o.row(&id).is_some()) {
                        self.push(
                            Diagnostic::error(
                                "D003",
                                format!(
                                    "“{}”在本版式中分为多行，这是{other_number}版式的写法",
                                    key.name
                                ),
                            )
                            .with_label(value.span.clone(), format!("{other_number}版式的单行写法"))
                            .with_note(format!(
                                "应写成映射：{}",
                                valid_children(def, &id).join("、")
                            )),
                        );
                        continue;
                    }
                }
                self.grid_level(def, others, other_number, value, &id, grid);
                continue;
            }
            let Some(row) = def.row(&id) else {
                let in_other = others.iter().any(|o| {
                    o.row(&id).is_some()
                        || o.rows
                            .iter()
                            .any(|r| r.group.as_deref() == Some(id.as_str()))
                });
                self.unknown_key(
                    key,
                    &valid,
                    in_other.then_some((other_number, true)),
                    &place,
                );
                continue;
            };
            let cells = self.grid_row(def, row.label.as_str(), value);
            grid.rows.insert(
                id,
                GridRowValues {
                    cells,
                    span: Some(key.span.start..value.span.end),
                },
            );
        }
    }

    fn grid_row(&mut self, def: &GridTable, label: &str, node: &Node) -> Vec<Option<Cell>> {
        let width = def.width();
        let Value::Seq(items) = &node.value else {
            self.wrong_type(node, &format!("{}个数的列表", def.columns.len()));
            return vec![None; width];
        };
        if items.len() != def.columns.len() && items.len() != width {
            self.push(
                Diagnostic::error(
                    "D005",
                    format!(
                        "“{label}”应有{}个数（可另加总计为第{}个），实有{}个",
                        def.columns.len(),
                        width,
                        items.len()
                    ),
                )
                .with_label(node.span.clone(), format!("{}个数", items.len()))
                .with_note(format!(
                    "列的顺序：{}",
                    def.column_labels().collect::<Vec<_>>().join("、")
                )),
            );
            return vec![None; width];
        }
        let mut cells: Vec<Option<Cell>> = items
            .iter()
            .map(|item| {
                self.number(item, CellKind::Count).map(|n| Cell {
                    value: match n {
                        Number::Int(i) => i,
                        Number::Decimal(f) => f as i64,
                    },
                    span: Some(item.span.clone()),
                    blank: false,
                })
            })
            .collect();
        cells.resize(width, None);
        cells
    }
}

/// Characters that would break a one-line field: line breaks and other control characters.
fn breaks_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Why a YAML number is not a plausible figure (D013): beyond ±10¹², or not finite.
fn implausible(value: &Value) -> Option<String> {
    match *value {
        Value::Int(i) if i.unsigned_abs() > MAX_FIGURE.unsigned_abs() => {
            Some(format!("数字 {i} 大得不合理（绝对值超过一万亿）"))
        }
        Value::Float(f) if !f.is_finite() => Some(format!(
            "“{}”不是有限的数字",
            if f.is_nan() {
                "非数（NaN）"
            } else {
                "无穷大"
            }
        )),
        Value::Float(f) if f.abs() > MAX_FIGURE as f64 => {
            Some(format!("数字 {f} 大得不合理（绝对值超过一万亿）"))
        }
        _ => None,
    }
}

/// The edition whose table keys the file uses most: what to check a file against when its
/// 年度 and 版式 do not say. Ties go to the newest edition.
fn best_fit(root: &Node) -> &'static Edition {
    let editions = edition::all();
    let keys_of = |key: &str| -> Vec<&str> {
        match root.get(key).map(|n| &n.value) {
            Some(Value::Map(entries)) => entries.iter().map(|(k, _)| k.name.as_str()).collect(),
            _ => Vec::new(),
        }
    };
    let score = |e: &Edition| {
        let active = keys_of(&e.active.key);
        let rows = active
            .iter()
            .filter(|k| {
                e.active
                    .blocks
                    .iter()
                    .any(|b| b.rows.iter().any(|r| r == *k))
            })
            .count();
        let applications = keys_of(&e.applications.key);
        let grid = applications
            .iter()
            .filter(|k| {
                e.applications.rows.iter().any(|r| {
                    r.id.as_deref()
                        .is_some_and(|id| id.split('.').next() == Some(**k))
                        || r.group.as_deref() == Some(**k)
                })
            })
            .count();
        rows + grid
    };
    editions
        .iter()
        .enumerate()
        .max_by_key(|(i, e)| (score(e), *i))
        .map(|(_, e)| e)
        .unwrap_or_else(|| unreachable!("editions are embedded"))
}

/// The entry `key` of a mapping node, with the key's span.
fn entry<'n>(node: &'n Node, key: &str) -> Option<(&'n Key, &'n Node)> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, v)| (k, v)),
        _ => None,
    }
}

fn valid_children(def: &GridTable, group: &str) -> Vec<String> {
    def.data_rows()
        .filter_map(|(id, _)| {
            id.strip_prefix(group)
                .and_then(|r| r.strip_prefix('.'))
                .map(str::to_owned)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE_2021: &str = include_str!("../../examples/qingshan-2023.yaml");

    fn codes(loaded: &Loaded) -> Vec<&str> {
        loaded.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn the_2021_example_loads_clean_with_derived_totals() {
        let loaded = load(EXAMPLE_2021);
        assert_eq!(
            codes(&loaded),
            Vec::<&str>::new(),
            "{:#?}",
            loaded.diagnostics
        );
        let report = loaded.report.expect("report");
        assert_eq!(report.edition.edition, 2021);
        // 本年新收 [115, 6, 0, 0, 1, 2] → 总计 124
        assert_eq!(report.applications.value("本年新收", 6), Some(124));
        let r1_left = report.applications.value("本年新收", 6).unwrap_or(0)
            + report.applications.value("上年结转", 6).unwrap_or(0);
        let r1_right = report.applications.value("总计", 6).unwrap_or(0)
            + report.applications.value("结转下年度", 6).unwrap_or(0);
        assert_eq!(r1_left, r1_right);
        assert_eq!(report.appeals.value("行政复议", 4), Some(6));
    }

    #[test]
    fn unknown_key_suggests_the_closest_valid_key() {
        let text = EXAMPLE_2021.replace("  予以公开:", "  予以公示:");
        let loaded = load(&text);
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.code == "D002")
            .expect("D002");
        assert_eq!(d.fix.as_deref(), Some("予以公开"));
        assert_eq!(&text[d.labels[0].span.clone()], "予以公示");
    }

    #[test]
    fn key_of_the_other_edition_is_named_as_such() {
        let text =
            EXAMPLE_2021.replace("行政规范性文件: {本年制发件数", "规范性文件: {本年制发件数");
        let loaded = load(&text);
        assert_eq!(
            codes(&loaded),
            ["D003"],
            "one slip, one diagnostic: {:#?}",
            loaded.diagnostics
        );
    }

    #[test]
    fn single_other_processing_row_in_a_2021_file_is_the_2019_shape() {
        let start = EXAMPLE_2021.find("  其他处理:").expect("其他处理");
        let end = EXAMPLE_2021[start..].find("  结转下年度").expect("next") + start;
        let text = format!(
            "{}  其他处理: [5, 0, 0, 0, 0, 0]\n{}",
            &EXAMPLE_2021[..start],
            &EXAMPLE_2021[end..]
        );
        let loaded = load(&text);
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.code == "D003")
            .expect("D003");
        assert!(d.message.contains("2019版式"), "{}", d.message);
    }

    #[test]
    fn several_planted_problems_are_all_reported_with_spans() {
        let text = EXAMPLE_2021
            .replace(
                "本年新收: [115, 6, 0, 0, 1, 2]",
                "本年新收: [115, 6, 0, 0, 1]",
            )
            .replace(
                "上年结转: [5, 0, 0, 0, 0, 0]",
                "上年结转: [5, -1, 0, 0, 0, \"x\"]",
            )
            .replace(
                "行政许可: {本年处理决定数量: 5821}",
                "行政许可: {本年处理决定数量: 58.5}",
            );
        let loaded = load(&text);
        let found = codes(&loaded);
        for code in ["D005", "D007", "D006", "D008"] {
            assert!(found.contains(&code), "{code} missing from {found:?}");
        }
        for d in &loaded.diagnostics {
            let span = d.labels[0].span.clone();
            assert!(
                text.get(span.clone()).is_some(),
                "{span:?} is not a valid span"
            );
        }
        let d5 = loaded
            .diagnostics
            .iter()
            .find(|d| d.code == "D005")
            .expect("D005");
        assert_eq!(&text[d5.labels[0].span.clone()], "[115, 6, 0, 0, 1]");
    }

    #[test]
    fn r1_imbalance_is_an_error_with_both_sides() {
        let text = EXAMPLE_2021.replace(
            "结转下年度: [6, 0, 0, 0, 0, 1]",
            "结转下年度: [9, 0, 0, 0, 0, 1]",
        );
        let loaded = load(&text);
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.code == "T101")
            .expect("T101");
        assert!(d.message.contains("相差 -3"), "{}", d.message);
        assert_eq!(
            loaded
                .diagnostics
                .iter()
                .filter(|d| d.code == "T101")
                .count(),
            1
        );
    }

    #[test]
    fn written_total_is_cross_checked() {
        let text = EXAMPLE_2021.replace(
            "本年新收: [115, 6, 0, 0, 1, 2]",
            "本年新收: [115, 6, 0, 0, 1, 2, 125]",
        );
        let loaded = load(&text);
        let d = loaded
            .diagnostics
            .iter()
            .find(|d| d.code == "T103")
            .expect("T103");
        assert_eq!(&text[d.labels[0].span.clone()], "125");
        assert_eq!(d.fix.as_deref(), Some("124"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "",
            "- 1\n- 2",
            "年度: 二〇二三",
            "年度: 2023\n版式: 2022",
            "a: [",
            "年度: 1999\n",
            "\u{feff}年度: 2023",
        ] {
            let loaded = load(text);
            assert!(loaded.has_errors(), "{text:?} should not load clean");
        }
    }

    #[test]
    fn a_bad_year_does_not_hide_the_other_problems() {
        let text = EXAMPLE_2021
            .replace("年度: 2023", "年度: 2023年")
            .replace("行政复议: [4, 1, 0, 1]", "行政复议: [4, 1, 0]")
            .replace(
                "结转下年度: [6, 0, 0, 0, 0, 1]",
                "结转下年度: [9, 0, 0, 0, 0, 1]",
            )
            .replace(
                "机关: 青山区人民政府\n",
                "机关: 青山区人民政府\n机构: 办公室\n",
            );
        let loaded = load(&text);
        let found = codes(&loaded);
        for code in ["D010", "D005", "D002", "T101"] {
            assert!(found.contains(&code), "{code} missing from {found:?}");
        }
        assert!(
            !found.contains(&"D003"),
            "checked against the right edition: {found:?}"
        );
        let d010 = &loaded.diagnostics[found.iter().position(|c| *c == "D010").unwrap_or(0)];
        assert_eq!(d010.fix.as_deref(), Some("2023"));
        assert!(
            loaded.report.is_none(),
            "no report is claimed without a year"
        );
    }

    #[test]
    fn without_a_usable_year_or_edition_the_file_is_checked_against_the_edition_it_fits() {
        // A 2019-edition file whose 年度 and 版式 are both unusable.
        let text = include_str!("../../examples/shaoxing-2019.yaml")
            .replace("年度: 2019", "年度: 去年")
            .replace("版式: 2019", "版式: 2020");
        let loaded = load(&text);
        let found = codes(&loaded);
        assert_eq!(found, ["D010", "D010"], "{:#?}", loaded.diagnostics);
        assert!(loaded.report.is_none());
        // A bad 版式 with a good 年度: the year's edition.
        let loaded = load(&EXAMPLE_2021.replace("版式: 2021", "版式: 2022"));
        assert_eq!(codes(&loaded), ["D010"], "{:#?}", loaded.diagnostics);
    }

    #[test]
    fn single_line_fields_reject_line_breaks() {
        for agency in [
            "机关: \"青山区\\n人民政府\"",
            "机关: |\n  青山区\n  人民政府",
            "机关: \"青山区\\u2028人民政府\"",
            "机关: \"青山区\\t人民政府\"",
        ] {
            let loaded = load(&EXAMPLE_2021.replace("机关: 青山区人民政府", agency));
            assert_eq!(
                codes(&loaded),
                ["D012"],
                "{agency}: {:#?}",
                loaded.diagnostics
            );
            assert!(loaded.has_errors());
        }
        // A block scalar's final line break is not part of the name.
        let loaded =
            load(&EXAMPLE_2021.replace("机关: 青山区人民政府", "机关: |\n  青山区人民政府"));
        assert_eq!(codes(&loaded), Vec::<&str>::new());
        let loaded = load(&EXAMPLE_2021.replace(
            "发布日期: 2024-01-20",
            "发布日期: \"2024-01-20\\n<script>\"",
        ));
        assert_eq!(codes(&loaded), ["D012"], "{:#?}", loaded.diagnostics);
        assert_eq!(loaded.report.and_then(|r| r.published), None);
    }

    #[test]
    fn figures_beyond_a_trillion_are_data_errors_never_wrapped_sums() {
        for (cell, written) in [
            ("9223372036854775807", "9223372036854775807"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("18446744073709551615", "18446744073709551615"),
            ("1000000000001", "1000000000001"),
            ("1e999", "1e999"),
            (".nan", ".nan"),
            (".inf", ".inf"),
        ] {
            let text = EXAMPLE_2021.replace(
                "本年新收: [115, 6, 0, 0, 1, 2]",
                &format!("本年新收: [{cell}, 9223372036854775807, 0, 0, 1, 2]"),
            );
            let loaded = load(&text);
            let d013: Vec<&str> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.code == "D013")
                .map(|d| &text[d.labels[0].span.clone()])
                .collect();
            assert_eq!(d013, [written, "9223372036854775807"], "{cell}");
            // The row is incomplete, so no equation is claimed on it: no wrapped total.
            assert!(
                !loaded.diagnostics.iter().any(|d| d.code.starts_with('T')),
                "{:#?}",
                loaded.diagnostics
            );
        }
        // A trillion itself is allowed, and the sums that involve it are exact.
        let text = EXAMPLE_2021
            .replace(
                "本年新收: [115, 6, 0, 0, 1, 2]",
                "本年新收: [1000000000000, 6, 0, 0, 1, 2]",
            )
            .replace(
                "行政事业性收费: {本年收费金额: 312.45}",
                "行政事业性收费: {本年收费金额: 1.5e13}",
            );
        let loaded = load(&text);
        assert_eq!(
            codes(&loaded),
            ["D013", "T101"],
            "{:#?}",
            loaded.diagnostics
        );
        let t101 = &loaded.diagnostics[1];
        assert!(t101.message.contains("= 1000000000005"), "{}", t101.message);
    }

    #[test]
    fn a_repeated_key_is_reported_with_both_places_and_the_rest_still_checked() {
        let text = EXAMPLE_2021
            .replace("年度: 2023\n", "年度: 2023\n年度: 2024\n")
            .replace(
                "结转下年度: [6, 0, 0, 0, 0, 1]",
                "结转下年度: [9, 0, 0, 0, 0, 1]",
            );
        let loaded = load(&text);
        assert_eq!(
            codes(&loaded),
            ["D001", "T101"],
            "{:#?}",
            loaded.diagnostics
        );
        let d = &loaded.diagnostics[0];
        assert_eq!(d.labels.len(), 2);
        assert!(d.labels[0].span.start > d.labels[1].span.start);
        assert_eq!(&text[d.labels[0].span.clone()], "年度");
    }

    #[test]
    fn the_deadline_is_decided_from_the_agency() {
        for (agency, deadline) in [
            ("青山区人民政府", Deadline::March),
            ("某市人民政府", Deadline::March),
            ("某县教育局", Deadline::January),
            ("某县人民政府办公室", Deadline::January),
            ("某省人民政府办公厅", Deadline::January),
            ("某镇人民政府", Deadline::January),
            ("某街道办事处", Deadline::January),
            ("人民政府", Deadline::January),
        ] {
            assert_eq!(Deadline::for_agency(agency), deadline, "{agency}");
        }
        assert_eq!(Deadline::parse("３月３１日"), Some(Deadline::March));
        assert_eq!(Deadline::parse("01-31"), Some(Deadline::January));
        assert_eq!(Deadline::parse("2月28日"), None);
    }

    #[test]
    fn a_late_department_report_is_d011_unless_the_deadline_is_overridden() {
        let department = EXAMPLE_2021
            .replace("机关: 青山区人民政府", "机关: 青山区教育局")
            .replace("发布日期: 2024-01-20", "发布日期: 2024-02-15");
        assert_eq!(codes(&load(&department)), ["D011"]);
        let government = EXAMPLE_2021.replace("发布日期: 2024-01-20", "发布日期: 2024-02-15");
        assert_eq!(codes(&load(&government)), Vec::<&str>::new());
        let options = Options {
            deadline: Some(Deadline::March),
        };
        assert_eq!(codes(&load_with(&department, &options)), Vec::<&str>::new());
        // The data file's own key wins over the configuration.
        let keyed = government.replace("年度: 2023\n", "年度: 2023\n发布时限: 1月31日\n");
        assert_eq!(codes(&load_with(&keyed, &options)), ["D011"]);
        let bad = government.replace("年度: 2023\n", "年度: 2023\n发布时限: 4月30日\n");
        assert_eq!(codes(&load(&bad)), ["D011"]);
    }

    #[test]
    fn a_syntax_error_is_named_after_the_full_width_colon_that_caused_it() {
        let text = EXAMPLE_2021.replace("机关: 青山区人民政府", "机关：青山区人民政府");
        let loaded = load(&text);
        assert_eq!(codes(&loaded), ["D001"], "{:#?}", loaded.diagnostics);
        let d = &loaded.diagnostics[0];
        assert!(d.message.contains("全角冒号"), "{}", d.message);
        assert_eq!(&text[d.labels[0].span.clone()], "：");
        assert_eq!(d.fix.as_deref(), Some(": "));
        // A syntax error far from any slip keeps the parser's own words.
        let text = EXAMPLE_2021
            .replace(
                "上年结转: [5, 0, 0, 0, 0, 0]",
                "上年结转: [5，0，0，0，0，0]",
            )
            .replace("复议诉讼:\n", "复议诉讼:\n\t");
        let loaded = load(&text);
        assert_eq!(codes(&loaded), ["D001"], "{:#?}", loaded.diagnostics);
        assert!(
            loaded.diagnostics[0].message.contains("制表符"),
            "{}",
            loaded.diagnostics[0].message
        );
    }

    #[test]
    fn placeholder_prose_is_reported_until_filled() {
        let text = EXAMPLE_2021.replace("本年度未收取信息处理费。", "【待填写】");
        let loaded = load(&text);
        assert_eq!(codes(&loaded), ["D009"]);
        assert!(!loaded.has_errors());
    }
}
