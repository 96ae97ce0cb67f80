//! The gate on a data file: every report rule, run on the report a data file renders to, with
//! each finding pointed back into the YAML.
//!
//! Owns one question: what would `lint` say of the report that `render` is about to write, said
//! of the data file? The report is rendered in memory (Markdown), read through the normal input
//! and reading stages and linted with [`rules::lint`]; each label is then mapped into the data
//! file: a span in a section's prose to the same characters of that section's 正文 text (aligned
//! with a character diff, so YAML indentation, escapes and the prose serialiser's changes do not
//! move it), a table cell to the row's value in the YAML (a derived total to its row or table
//! key), the title and introduction to 机关/年度, the 落款 to 机关/发布日期.
//!
//! Dropped: findings the loader rules out (the table rules, T…: totals are derived and every
//! equation is checked on load; N001/N003: the year is given and the output is a report) and
//! findings that restate one of the loader's own at the same place (a placeholder where D009
//! reports the field; a 落款 date where D011 reports 发布日期).

use std::ops::Range;

use crate::data::yaml::{self, Node, Value};
use crate::diagnostics::{Diagnostic, Label};
use crate::edition::TableId;
use crate::input::{Document, Format as Kind};
use crate::reading::{self, Overrides, Reading};
use crate::render::{self, Format, prose};
use crate::report::Report;
use crate::rules::{self, Config};

/// The note every gate finding carries: where it was found.
const NOTE: &str = "在由数据文件生成的报告中发现；已指回数据文件中的对应位置";

/// Codes the loader rules out on a data file that loads clean.
fn ruled_out(code: &str) -> bool {
    code.starts_with('T') || code == "N001" || code == "N003"
}

/// Report codes that restate a loader code when both point at the same place.
const RESTATED: &[(&str, &str)] = &[("S005", "D009"), ("Y002", "D011")];

/// Runs the report rules on what `report` (loaded from `source`) renders to and returns the
/// findings, in `source`. `loaded` are the loader's own findings, for the restated ones.
pub fn check(
    source: &str,
    report: &Report,
    loaded: &[Diagnostic],
    config: &Config,
) -> Vec<Diagnostic> {
    let Ok(markdown) = render::render(report, Format::Markdown) else {
        return Vec::new();
    };
    let Ok(root) = yaml::parse(source) else {
        return Vec::new();
    };
    let reading = reading::read(
        Document::plain("gate", Kind::Markdown, markdown.clone()),
        Overrides {
            year: Some(report.year),
            edition: Some(report.edition.edition),
        },
    );
    let found = rules::lint(&reading, config);
    if found.is_empty() {
        return Vec::new();
    }
    let map = Map::new(source, &markdown, report, &root, &reading);
    let mut out = Vec::new();
    for d in found {
        if ruled_out(&d.code) {
            continue;
        }
        let mapped = map.diagnostic(d);
        let restated = RESTATED.iter().any(|(code, by)| {
            mapped.code == *code
                && loaded.iter().any(|l| {
                    l.code == *by && overlaps(&l.labels[..l.labels.len().min(1)], &mapped.labels)
                })
        });
        if !restated {
            out.push(mapped);
        }
    }
    out
}

fn overlaps(a: &[Label], b: &[Label]) -> bool {
    a.iter().any(|x| {
        b.iter().any(|y| {
            x.span.start < y.span.end.max(y.span.start + 1)
                && y.span.start < x.span.end.max(x.span.start + 1)
        })
    })
}

/// Where a span of the rendered report came from.
enum Target {
    /// A section's prose: the 正文 value's span, and the aligned characters (rendered byte,
    /// source byte, the character's length in each).
    Prose {
        value: Range<usize>,
        pairs: Vec<(usize, usize, usize, usize)>,
    },
    /// A place with one source span (a heading, the title, a table).
    Fixed(Range<usize>),
}

struct Region {
    rendered: Range<usize>,
    target: Target,
}

/// The table cells of the rendered report with their source spans.
struct CellSpan {
    rendered: Range<usize>,
    source: Range<usize>,
    exact: bool,
}

/// The rendered report's regions and cells, each with where it came from in the data file.
struct Map<'a> {
    source: &'a str,
    rendered: &'a str,
    regions: Vec<Region>,
    cells: Vec<CellSpan>,
    /// Where anything unplaced goes: 正文, or the start of the file.
    fallback: Range<usize>,
}

fn key_span(root: &Node, key: &str) -> Option<Range<usize>> {
    match &root.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k.span.clone()),
        _ => None,
    }
}

fn value_span(root: &Node, key: &str) -> Option<Range<usize>> {
    root.get(key).map(|n| n.span.clone())
}

impl<'a> Map<'a> {
    fn new(
        source: &'a str,
        rendered: &'a str,
        report: &Report,
        root: &Node,
        reading: &Reading,
    ) -> Map<'a> {
        let edition = report.edition;
        let start = 0..0;
        let agency = value_span(root, "机关").unwrap_or(start.clone());
        let year = value_span(root, "年度").unwrap_or(start.clone());
        let prose_key = key_span(root, "正文");
        let fallback = prose_key.clone().unwrap_or(start.clone());
        let mut regions = Vec::new();
        // Each section: its heading line, then its prose, then (二–四) its table.
        let mut headings = Vec::new();
        let mut at = 0;
        for section in &edition.sections {
            let line = format!("\n## {}\n", prose::inline_markdown(&section.heading()));
            let Some(found) = rendered[at..].find(&line).map(|i| i + at) else {
                break;
            };
            headings.push(found + 1..found + line.len() - 1);
            at = found + line.len();
        }
        // The 落款 is the last paragraphs: after the last section's content.
        let signature_start = rendered
            .trim_end()
            .rfind(&format!("\n{}", prose::inline_markdown(&report.agency)))
            .map_or(rendered.len(), |i| i + 1);
        let title_end = headings.first().map_or(rendered.len(), |h| h.start);
        regions.push(Region {
            rendered: 0..title_end,
            target: Target::Fixed(agency.clone()),
        });
        let entries: Vec<(&str, Range<usize>, &Node)> = match root.get("正文").map(|n| &n.value) {
            Some(Value::Map(e)) => e
                .iter()
                .map(|(k, v)| (k.name.as_str(), k.span.clone(), v))
                .collect(),
            _ => Vec::new(),
        };
        for (i, heading) in headings.iter().enumerate() {
            let section = &edition.sections[i];
            let entry = entries.iter().find(|(name, _, _)| {
                section.title == *name
                    || section.heading() == *name
                    || section.variants.iter().any(|v| v == name)
            });
            let end = headings
                .get(i + 1)
                .map_or(signature_start, |h| h.start)
                .max(heading.end);
            regions.push(Region {
                rendered: heading.clone(),
                target: Target::Fixed(
                    entry
                        .map(|(_, key, _)| key.clone())
                        .unwrap_or(fallback.clone()),
                ),
            });
            let table_key = match i {
                1 => key_span(root, &edition.active.key),
                2 => key_span(root, &edition.applications.key),
                3 => key_span(root, &edition.appeals.key),
                _ => None,
            };
            let body = heading.end..end;
            let markdown = report
                .prose
                .get(i)
                .cloned()
                .flatten()
                .map(|t| prose::Prose::parse(&t).to_markdown())
                .unwrap_or_default();
            let prose_at = (!markdown.is_empty())
                .then(|| rendered[body.clone()].find(&markdown))
                .flatten()
                .map(|p| body.start + p);
            if let (Some(p), Some((_, _, node))) = (prose_at, entry) {
                let range = p..p + markdown.len();
                regions.push(Region {
                    rendered: range.clone(),
                    target: Target::Prose {
                        value: node.span.clone(),
                        pairs: align(&source[node.span.clone()], node.span.start, &markdown, p),
                    },
                });
            }
            // The rest of the section (the table, blank lines) stands for the table's key.
            regions.push(Region {
                rendered: body,
                target: Target::Fixed(table_key.unwrap_or(fallback.clone())),
            });
        }
        let date = value_span(root, "发布日期");
        regions.push(Region {
            rendered: signature_start..rendered.len(),
            target: Target::Fixed(agency.clone()),
        });
        if let (Some(date), Some(published)) = (date, report.published.as_deref()) {
            let shown = prose::inline_markdown(&render::chinese_date(published));
            if let Some(p) = rendered[signature_start.min(rendered.len())..].rfind(&shown) {
                let p = p + signature_start;
                regions.push(Region {
                    rendered: p..p + shown.len(),
                    target: Target::Fixed(date),
                });
            }
        }
        // The year in the title and the introduction stands for 年度.
        let year_text = report.year.to_string();
        let mut from = 0;
        while let Some(p) = rendered[from..title_end].find(&year_text) {
            let p = p + from;
            regions.push(Region {
                rendered: p..p + year_text.len(),
                target: Target::Fixed(year.clone()),
            });
            from = p + year_text.len();
        }
        Map {
            source,
            rendered,
            regions,
            cells: cells(report, root, reading),
            fallback,
        }
    }

    /// `d` with every label in the data file (unplaced ones at 正文 or the file's start), its
    /// fix kept only where the primary label holds the very text the fix replaces.
    fn diagnostic(&self, mut d: Diagnostic) -> Diagnostic {
        let mut exact_primary = false;
        for (i, label) in d.labels.iter_mut().enumerate() {
            let (span, exact) = self.place(label.span.clone());
            if i == 0 {
                exact_primary = exact;
            }
            label.span = span;
        }
        if !exact_primary {
            d.fix = None;
        }
        d.with_note(NOTE)
    }

    /// The source span of a rendered span, and whether it holds the same text.
    fn place(&self, span: Range<usize>) -> (Range<usize>, bool) {
        if let Some(cell) = self.cells.iter().find(|c| {
            c.rendered.start <= span.start && span.start < c.rendered.end.max(c.rendered.start + 1)
        }) {
            return (cell.source.clone(), cell.exact);
        }
        // The innermost region holding the span's start.
        let region = self
            .regions
            .iter()
            .filter(|r| {
                r.rendered.start <= span.start
                    && (span.start < r.rendered.end || span.start == r.rendered.start)
            })
            .min_by_key(|r| r.rendered.len());
        let Some(region) = region else {
            return (self.fallback.clone(), false);
        };
        match &region.target {
            Target::Fixed(target) => {
                let same = self.rendered.get(span.clone()) == self.source.get(target.clone());
                (target.clone(), same)
            }
            Target::Prose { value, pairs } => {
                let first = pairs
                    .iter()
                    .find(|p| p.0 >= span.start && p.0 < span.end.max(span.start + 1));
                let last = pairs
                    .iter()
                    .rev()
                    .find(|p| p.0 >= span.start && p.0 < span.end);
                match (first, last) {
                    (Some(f), Some(l)) if l.1 + l.3 >= f.1 => {
                        let mapped = f.1..l.1 + l.3;
                        let same =
                            self.rendered.get(span.clone()) == self.source.get(mapped.clone());
                        (mapped, same)
                    }
                    (Some(f), _) => (f.1..f.1, false),
                    _ => (value.clone(), false),
                }
            }
        }
    }
}

/// The characters `rendered` (at `rendered_at`) shares with `source` (at `source_at`), in
/// order: (rendered byte, source byte, rendered length, source length).
fn align(
    source: &str,
    source_at: usize,
    rendered: &str,
    rendered_at: usize,
) -> Vec<(usize, usize, usize, usize)> {
    let old: Vec<(usize, char)> = source.char_indices().collect();
    let new: Vec<(usize, char)> = rendered.char_indices().collect();
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .diff_chars(source, rendered);
    let mut pairs = Vec::new();
    for op in diff.ops() {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            for k in 0..len {
                let (Some(&(o, oc)), Some(&(n, nc))) =
                    (old.get(old_index + k), new.get(new_index + k))
                else {
                    continue;
                };
                pairs.push((rendered_at + n, source_at + o, nc.len_utf8(), oc.len_utf8()));
            }
        }
    }
    pairs
}

/// Every table cell of the rendered report that was read, with its place in the data file:
/// the figure's own span, or (for a derived figure) its row's, or its table's key.
fn cells(report: &Report, root: &Node, reading: &Reading) -> Vec<CellSpan> {
    let edition = report.edition;
    let mut out = Vec::new();
    // Table 二: block → row → column, keyed in the YAML by row name and column key.
    let active = root.get(&edition.active.key);
    for (b, rows) in reading.active_spans().iter().enumerate() {
        let Some(block) = edition.active.blocks.get(b) else {
            continue;
        };
        for (r, spans) in rows.iter().enumerate() {
            let Some(row) = block.rows.get(r) else {
                continue;
            };
            let row_node = active.and_then(|a| a.get(row));
            for (c, span) in spans.iter().enumerate() {
                let (Some(span), Some(column)) = (span, block.columns.get(c)) else {
                    continue;
                };
                let cell = row_node.and_then(|n| n.get(&column.key));
                let Some(target) = cell.or(row_node).map(|n| n.span.clone()) else {
                    continue;
                };
                out.push(CellSpan {
                    rendered: span.clone(),
                    source: target,
                    exact: cell.is_some(),
                });
            }
        }
    }
    for (table, data) in [
        (TableId::Applications, &report.applications),
        (TableId::Appeals, &report.appeals),
    ] {
        let key = key_span(root, &edition.grid(table).key);
        let Some(grid) = reading.grid(table) else {
            continue;
        };
        for (id, row) in &grid.rows {
            let data_row = data.rows.get(id);
            for (c, cell) in row.cells.iter().enumerate() {
                let Some(rendered) = cell.as_ref().and_then(|c| c.span.clone()) else {
                    continue;
                };
                let own = data_row
                    .and_then(|r| r.cells.get(c))
                    .and_then(|c| c.as_ref())
                    .and_then(|c| c.span.clone());
                let exact = own.is_some();
                let Some(source) = own
                    .or_else(|| data_row.and_then(|r| r.span.clone()))
                    .or_else(|| key.clone())
                else {
                    continue;
                };
                out.push(CellSpan {
                    rendered,
                    source,
                    exact,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;

    const EXAMPLE: &str = include_str!("../examples/qingshan-2023.yaml");

    fn gate(text: &str) -> Vec<Diagnostic> {
        let loaded = data::load(text);
        let report = loaded.report.expect("report");
        check(text, &report, &loaded.diagnostics, &Config::default())
    }

    #[test]
    fn the_example_passes_the_gate() {
        assert!(gate(EXAMPLE).is_empty(), "{:#?}", gate(EXAMPLE));
    }

    #[test]
    fn a_prose_figure_that_contradicts_the_table_is_found_in_the_yaml() {
        let text = EXAMPLE.replace(
            "全年共收到政府信息公开申请124件",
            "全年共收到政府信息公开申请135件",
        );
        let found = gate(&text);
        let x5 = found.iter().find(|d| d.code == "X5").expect("X5");
        let span = x5.labels[0].span.clone();
        assert!(text[span.clone()].contains("135"), "{:?}", &text[span]);
        // The table's figure is pointed at in the table's rows.
        let table = text.find("申请情况:").expect("table");
        assert!(
            x5.labels.iter().skip(1).all(|l| l.span.start >= table),
            "{x5:#?}"
        );
    }

    #[test]
    fn a_plan_for_the_report_year_is_found_in_section_five() {
        let text = EXAMPLE.replace("2024年，我们将丰富解读形式", "2023年，我们将加强解读");
        let found = gate(&text);
        let y = found.iter().find(|d| d.code == "Y009").expect("Y009");
        let span = y.labels[0].span.clone();
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        assert!(
            text[line_start..].starts_with("    2023年，我区"),
            "{}",
            &text[line_start..span.end + 10]
        );
        assert!(text[span].contains("2023"));
    }

    #[test]
    fn a_date_the_loader_reports_is_not_reported_again_by_the_report_rules() {
        // The 落款 date comes from 发布日期: D011 says it, Y002 on the 落款 would repeat it.
        let text = EXAMPLE.replace("发布日期: 2024-01-20", "发布日期: 2023-12-20");
        let loaded = data::load(&text);
        assert_eq!(loaded.diagnostics.len(), 1, "{:#?}", loaded.diagnostics);
        assert!(gate(&text).is_empty(), "{:#?}", gate(&text));
        // A compilation date in the prose is the prose's: Y002, at its characters in 正文.
        let text = EXAMPLE.replace(
            "本年度未收取信息处理费。",
            "本报告于2023年1月底前完成编制并发布。",
        );
        let found = gate(&text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "Y002");
        assert!(text[found[0].labels[0].span.clone()].starts_with("2023年1月底前完成编制"));
    }

    #[test]
    fn alignment_survives_indentation_and_escapes() {
        let pairs = align("  a*b\n  c", 10, "a\\*b c", 100);
        let rendered_c = pairs.iter().find(|p| p.0 == 105).expect("c");
        assert_eq!(rendered_c.1, 18);
    }
}
