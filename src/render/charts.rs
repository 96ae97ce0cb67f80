//! Charts made from a report's tables (`render --charts`): the data of each chart, and the chart
//! as an SVG figure drawn with plotters.
//!
//! This module owns which charts exist and what they show: applications by applicant type
//! (table 三, 一、本年新收), the outcomes of handling (table 三, 三、本年度办理结果, by the official
//! categories), and with last year's report this year against last year. It must not decide
//! where a chart goes in the report; the layout in [`super`] does. Labels are text in the SVG,
//! so the reader's system CJK fonts draw them; the figure carries a text equivalent for screen
//! readers. For Word, the same SVG is rasterised to PNG with resvg ([`Rasteriser`]), the text
//! drawn with a bundled subset of Noto Sans CJK SC (OFL 1.1, `fonts/OFL.txt`) holding exactly
//! the characters charts use, so the picture has its labels on any machine and the same bytes
//! everywhere.
//!
//! Sizes are chosen for print: the 640-unit chart is printed 150 mm wide (1 unit ≈ 0.66 pt), so
//! text of [`TEXT_SIZE`] units is at least 10.5 pt (五号) on paper. The unit stands upright
//! above the value axis, as `（件）`.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::edition::GridTable;
use crate::report::Report;

use super::Error;

/// One chart: categories along the x axis, one bar per series in each category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Caption, e.g. `图1 本年新收政府信息公开申请（按申请人类型）`.
    pub title: String,
    pub unit: &'static str,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// `本年` / `上年`; empty for a chart with one series.
    pub name: String,
    pub values: Vec<i64>,
}

/// The charts of a report, in the order they are printed.
pub fn charts(report: &Report, previous: Option<&Report>) -> Vec<Chart> {
    let mut charts = vec![by_applicant(report), by_outcome(report)];
    if let Some(last) = previous {
        charts.push(year_over_year(report, last));
    }
    for (i, chart) in charts.iter_mut().enumerate() {
        chart.title = format!("图{} {}", i + 1, chart.title);
    }
    charts
}

/// 一、本年新收 by applicant column (自然人, 商业企业, …).
fn by_applicant(report: &Report) -> Chart {
    let def = &report.edition.applications;
    let first = def.data_rows().next().map(|(id, _)| id).unwrap_or_default();
    Chart {
        title: "本年新收政府信息公开申请（按申请人类型）".to_owned(),
        unit: "件",
        categories: def.columns.clone(),
        series: vec![Series {
            name: String::new(),
            values: (0..def.columns.len())
                .map(|c| report.applications.value(first, c).unwrap_or(0))
                .collect(),
        }],
    }
}

/// The official outcome categories of 三、本年度办理结果 with their totals: `（一）予以公开` …
/// `（六）其他处理` (a category with sub-rows sums them; （七）总计 is left out).
pub fn outcomes(report: &Report) -> Vec<(String, i64)> {
    outcomes_of(&report.edition.applications, |id| {
        report
            .applications
            .value(id, report.edition.applications.columns.len())
            .unwrap_or(0)
    })
}

fn outcomes_of(def: &GridTable, total: impl Fn(&str) -> i64) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for row in def.rows.iter().filter(|r| !r.derived) {
        match (row.level, row.id.as_deref()) {
            (1, id) => out.push((category_name(&row.label), id.map_or(0, &total))),
            (2, Some(id)) => {
                if let Some(last) = out.last_mut() {
                    last.1 += total(id);
                }
            }
            _ => {}
        }
    }
    out
}

/// `（二）部分公开（区分处理的，只计这一情形，不计其他情形）` → `部分公开`: the category's name
/// without its numeral and its counting note.
fn category_name(label: &str) -> String {
    let name = label
        .strip_prefix('（')
        .and_then(|rest| rest.split_once('）'))
        .map_or(label, |(_, name)| name);
    name.split('（').next().unwrap_or(name).to_owned()
}

fn by_outcome(report: &Report) -> Chart {
    let (categories, values) = outcomes(report).into_iter().unzip();
    Chart {
        title: "本年度办理结果".to_owned(),
        unit: "件",
        categories,
        series: vec![Series {
            name: String::new(),
            values,
        }],
    }
}

/// Headline figures of both years side by side: new applications, each outcome category, and
/// the administrative reconsiderations and lawsuits of table 四.
fn year_over_year(report: &Report, last: &Report) -> Chart {
    let headline = |r: &Report| -> Vec<(String, i64)> {
        let apps = &r.edition.applications;
        let total_column = apps.columns.len();
        let first = apps
            .data_rows()
            .next()
            .map(|(id, _)| id)
            .unwrap_or_default();
        let mut figures = vec![(
            "新收申请".to_owned(),
            r.applications.value(first, total_column).unwrap_or(0),
        )];
        figures.extend(outcomes(r));
        let appeals = &r.edition.appeals;
        let total = appeals.columns.len();
        let mut litigation = 0;
        for (id, row) in appeals.data_rows() {
            let v = r.appeals.value(id, total).unwrap_or(0);
            match row.parent {
                None => figures.push((row.label.clone(), v)),
                Some(_) => litigation += v,
            }
        }
        figures.push(("行政诉讼".to_owned(), litigation));
        figures
    };
    let now = headline(report);
    let before = headline(last);
    let categories: Vec<String> = now.iter().map(|(n, _)| n.clone()).collect();
    let last_values = categories
        .iter()
        .map(|c| before.iter().find(|(n, _)| n == c).map_or(0, |(_, v)| *v))
        .collect();
    Chart {
        title: format!("{}年与{}年对比", report.year, last.year),
        unit: "件",
        categories,
        series: vec![
            Series {
                name: format!("{}年", last.year),
                values: last_values,
            },
            Series {
                name: format!("{}年", report.year),
                values: now.into_iter().map(|(_, v)| v).collect(),
            },
        ],
    }
}

/// Fonts named in the SVG: the reader's system draws the labels in a page; the rasteriser has
/// only the bundled Noto Sans CJK SC subset.
const FONT: &str =
    "SimHei, Heiti SC, Noto Sans CJK SC, Microsoft YaHei, WenQuanYi Zen Hei, sans-serif";

/// The bundled font: Noto Sans CJK SC Regular cut to the characters of every chart label.
pub const CHART_FONT: &[u8] = include_bytes!("fonts/NotoSansCJKsc-chart-subset.otf");

/// Chart width in SVG units, and how wide it is printed in Word.
pub const WIDTH: u32 = 640;
const PRINTED_WIDTH_MM: f64 = 150.0;

/// Text size in SVG units: 16 units of a 640-unit chart printed 150 mm wide are 10.6 pt.
pub const TEXT_SIZE: u32 = 16;
/// The size to ask plotters for: its SVG backend writes `font-size` as the size divided by 1.24.
const PLOTTERS_SIZE: u32 = 20;

/// The size in points on paper of `units` SVG units.
pub fn printed_points(units: u32) -> f64 {
    f64::from(units) * PRINTED_WIDTH_MM / f64::from(WIDTH) * 72.0 / 25.4
}
const COLOURS: [RGBColor; 2] = [RGBColor(0x9e, 0x9e, 0x9e), RGBColor(0xb7, 0x1c, 0x1c)];

impl Chart {
    /// The chart as a sentence: `自然人115件，商业企业6件，……`.
    pub fn text(&self) -> String {
        let per_category = self.categories.iter().enumerate().map(|(i, c)| {
            let values: Vec<String> = self
                .series
                .iter()
                .map(|s| {
                    let v = s.values.get(i).copied().unwrap_or(0);
                    format!("{}{v}{}", s.name, self.unit)
                })
                .collect();
            if self.series.len() > 1 {
                format!("{c}：{}", values.join("，"))
            } else {
                format!("{c}{}", values.join(""))
            }
        });
        let joiner = if self.series.len() > 1 { "；" } else { "，" };
        format!("{}。", per_category.collect::<Vec<_>>().join(joiner))
    }

    /// The bar chart as an SVG document (no XML declaration).
    pub fn svg_image(&self) -> Result<String, Error> {
        const HEIGHT: u32 = 360;
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            draw(self, &root).map_err(|e| Error::Chart(e.to_string()))?;
            root.present().map_err(|e| Error::Chart(e.to_string()))?;
        }
        Ok(svg)
    }

    /// Every piece of text drawn in the picture: categories, values, series names, the unit.
    pub fn drawn_text(&self) -> Vec<String> {
        let mut out = self.categories.clone();
        out.extend(self.series.iter().map(|s| s.name.clone()));
        out.extend(
            self.series
                .iter()
                .flat_map(|s| s.values.iter().map(i64::to_string)),
        );
        out.push(unit_label(self.unit));
        // The value axis: every digit may appear.
        out.push("0123456789".to_owned());
        out
    }

    /// Whether the chart names another year than the report's (the comparison).
    pub fn compares_years(&self) -> bool {
        self.series.len() > 1
    }

    /// The chart as an HTML figure: the SVG, a caption, and the figures as text for screen
    /// readers. The comparison names last year on purpose, so it is fenced off from the
    /// linter's check for statistics attributed to another year (Y003).
    pub fn svg(&self) -> Result<String, Error> {
        let image = self.svg_image()?;
        let image = image.replacen("<svg ", "<svg role=\"img\" aria-hidden=\"true\" ", 1);
        let figure = format!(
            "<figure class=\"chart\">\n{image}\n<figcaption>{title}<span class=\"visually-hidden\">：{text}</span></figcaption>\n</figure>",
            title = escape(&self.title),
            text = escape(&self.text()),
        );
        Ok(if self.compares_years() {
            format!("<!-- nianbao-disable Y003 -->\n{figure}\n<!-- nianbao-enable Y003 -->")
        } else {
            figure
        })
    }
}

/// Turns chart SVG into PNG for Word, with the bundled font only (no system fonts: the same
/// picture on every machine).
pub struct Rasteriser {
    options: resvg::usvg::Options<'static>,
}

/// The characters of `text` that the bundled chart font has no glyph for.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    use skrifa::MetadataProvider;
    let Ok(font) = skrifa::FontRef::new(CHART_FONT) else {
        return text.chars().filter(|c| !c.is_whitespace()).collect();
    };
    let charmap = font.charmap();
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && charmap.map(*c).is_none())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `（件）`: the unit as it stands above the value axis.
fn unit_label(unit: &str) -> String {
    format!("（{unit}）")
}

/// Pixels per SVG unit: the 640-unit-wide chart printed 150 mm wide is about 220 dpi.
const SCALE: f32 = 2.0;

impl Rasteriser {
    pub fn new() -> Rasteriser {
        let mut options = resvg::usvg::Options::default();
        options.fontdb_mut().load_font_data(CHART_FONT.to_vec());
        let family = "Noto Sans CJK SC".to_owned();
        options.font_family = family.clone();
        let db = options.fontdb_mut();
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family);
        Rasteriser { options }
    }

    /// One warning for each chart with text the bundled font cannot draw (it would be missing
    /// from the picture in Word), naming the characters.
    pub fn missing_text(&self, charts: &[Chart]) -> Vec<String> {
        charts
            .iter()
            .filter_map(|chart| {
                let missing = missing_glyphs(&chart.drawn_text().concat());
                (!missing.is_empty()).then(|| {
                    format!(
                        "{}中的文字“{}”无法在图片中显示（内置图表字体不含这些字符）",
                        chart.title,
                        missing.iter().collect::<String>()
                    )
                })
            })
            .collect()
    }

    /// The chart as PNG bytes and its size in pixels.
    pub fn png(&self, chart: &Chart) -> Result<(Vec<u8>, u32, u32), Error> {
        let svg = chart.svg_image()?;
        let tree = resvg::usvg::Tree::from_str(&svg, &self.options)
            .map_err(|e| Error::Chart(e.to_string()))?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(SCALE)
            .ok_or_else(|| Error::Chart("图表尺寸无效".to_owned()))?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| Error::Chart("图表尺寸无效".to_owned()))?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(SCALE, SCALE),
            &mut pixmap.as_mut(),
        );
        let png = pixmap
            .encode_png()
            .map_err(|e| Error::Chart(e.to_string()))?;
        Ok((png, size.width(), size.height()))
    }
}

impl Default for Rasteriser {
    fn default() -> Self {
        Self::new()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

type DrawResult<T> = Result<T, DrawingAreaErrorKind<std::io::Error>>;

fn draw(
    chart: &Chart,
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
) -> DrawResult<()> {
    root.fill(&WHITE)?;
    let n = chart.categories.len().max(1);
    let max = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    // Head room for the value labels above the bars.
    let top = (max as f64 * 1.18).ceil();
    let size = TEXT_SIZE as i32;
    // Long names go on two lines.
    let two_lines = chart.categories.iter().any(|c| c.chars().count() > 4);
    let mut context = ChartBuilder::on(root)
        .margin(12)
        .margin_top(if chart.series.len() > 1 { 44 } else { 34 })
        .x_label_area_size(if two_lines { 2 * size + 16 } else { size + 14 })
        .y_label_area_size(4 * size)
        .build_cartesian_2d(0f64..n as f64, 0f64..top)?;
    context
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| format!("{}", v.round() as i64))
        .y_label_style((FONT, PLOTTERS_SIZE))
        .light_line_style(WHITE)
        .draw()?;
    // The unit upright above the value axis (a rotated `件` reads as a fallen character).
    let (axis_x, axis_top) = context.backend_coord(&(0.0, top));
    root.draw(&Text::new(
        unit_label(chart.unit),
        (axis_x - 4, axis_top - 6),
        TextStyle::from((FONT, PLOTTERS_SIZE).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Bottom)),
    ))?;
    let series = chart.series.len().max(1);
    let bar = 0.7 / series as f64;
    for (s, data) in chart.series.iter().enumerate() {
        // One series in red; two: last year grey, this year red.
        let colour = if series == 1 {
            COLOURS[1]
        } else {
            COLOURS[s % COLOURS.len()]
        };
        context.draw_series(data.values.iter().enumerate().map(|(i, v)| {
            let x0 = i as f64 + 0.15 + bar * s as f64;
            Rectangle::new([(x0, 0.0), (x0 + bar, *v as f64)], colour.filled())
        }))?;
        let value_style = TextStyle::from((FONT, PLOTTERS_SIZE).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        context.draw_series(data.values.iter().enumerate().map(|(i, v)| {
            let x = i as f64 + 0.15 + bar * (s as f64 + 0.5);
            Text::new(v.to_string(), (x, *v as f64), value_style.clone())
        }))?;
    }
    // Category labels under the axis, drawn on the root so that they sit outside the plot.
    let label_style = TextStyle::from((FONT, PLOTTERS_SIZE).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (i, name) in chart.categories.iter().enumerate() {
        let (x, y) = context.backend_coord(&(i as f64 + 0.5, 0.0));
        let chars: Vec<char> = name.chars().collect();
        let lines: Vec<String> = if chars.len() > 4 {
            let mid = chars.len().div_ceil(2);
            vec![chars[..mid].iter().collect(), chars[mid..].iter().collect()]
        } else {
            vec![name.clone()]
        };
        for (l, line) in lines.iter().enumerate() {
            root.draw(&Text::new(
                line.clone(),
                (x, y + 6 + l as i32 * (size + 2)),
                label_style.clone(),
            ))?;
        }
    }
    // Legend for two series.
    if chart.series.len() > 1 {
        let legend_style = TextStyle::from((FONT, PLOTTERS_SIZE).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let mut x = 70;
        for (s, data) in chart.series.iter().enumerate() {
            let colour = COLOURS[s % COLOURS.len()];
            root.draw(&Rectangle::new([(x, 10), (x + 16, 26)], colour.filled()))?;
            root.draw(&Text::new(
                data.name.clone(),
                (x + 22, 18),
                legend_style.clone(),
            ))?;
            x += 120;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data;

    fn report(text: &str) -> Report {
        let loaded = data::load(text);
        assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
        loaded.report.expect("report")
    }

    #[test]
    fn outcome_categories_add_up_to_the_total() {
        for text in [
            include_str!("../../examples/qingshan-2023.yaml"),
            include_str!("../../examples/shaoxing-2019.yaml"),
        ] {
            let r = report(text);
            let o = outcomes(&r);
            assert_eq!(
                o.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
                [
                    "予以公开",
                    "部分公开",
                    "不予公开",
                    "无法提供",
                    "不予处理",
                    "其他处理"
                ]
            );
            let total = r.applications.value("总计", 6).expect("total");
            assert_eq!(o.iter().map(|(_, v)| v).sum::<i64>(), total);
        }
    }

    #[test]
    fn the_svg_names_every_category_and_value() {
        let r = report(include_str!("../../examples/qingshan-2023.yaml"));
        for chart in charts(&r, Some(&r)) {
            let svg = chart.svg_image().expect("draws");
            assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
            for (i, c) in chart.categories.iter().enumerate() {
                let shown: String = c.chars().take(2).collect();
                assert!(svg.contains(&shown), "{c} missing");
                for s in &chart.series {
                    assert!(
                        svg.contains(&format!(">{}<", s.values[i]))
                            || svg.contains(&format!(">\n{}\n<", s.values[i]))
                    );
                }
            }
        }
    }

    #[test]
    fn the_bundled_font_draws_every_chart_of_every_edition() {
        for edition in crate::edition::all() {
            let year = i32::from(edition.edition) + 1;
            let r = Report::empty(edition, year, "某局");
            let last = Report::empty(edition, year - 1, "某局");
            for chart in charts(&r, Some(&last)) {
                let text = chart.drawn_text().concat();
                assert_eq!(missing_glyphs(&text), Vec::<char>::new(), "{}", chart.title);
            }
        }
        assert!(
            Rasteriser::new()
                .missing_text(&charts(
                    &report(include_str!("../../examples/qingshan-2023.yaml")),
                    None
                ))
                .is_empty()
        );
        // A character outside the subset is named in a warning.
        let mut odd = charts(
            &Report::empty(
                crate::edition::by_number(2021).expect("edition"),
                2023,
                "某局",
            ),
            None,
        );
        odd[0].categories[0] = "龘龘".to_owned();
        let warnings = Rasteriser::new().missing_text(&odd);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("龘"), "{}", warnings[0]);
    }

    #[test]
    fn text_prints_at_least_five_hao_and_the_unit_stands_upright() {
        assert!(
            printed_points(TEXT_SIZE) >= 10.5,
            "{}",
            printed_points(TEXT_SIZE)
        );
        let r = report(include_str!("../../examples/qingshan-2023.yaml"));
        for chart in charts(&r, Some(&r)) {
            let svg = chart.svg_image().expect("draws");
            let doc = roxmltree::Document::parse(&svg).expect("SVG is XML");
            let texts: Vec<_> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .collect();
            assert!(!texts.is_empty());
            for t in &texts {
                let size: f64 = t
                    .attribute("font-size")
                    .and_then(|v| v.trim_end_matches("px").parse().ok())
                    .unwrap_or(0.0);
                assert!(size >= f64::from(TEXT_SIZE), "{:?} at {size}", t.text());
                assert!(
                    t.attribute("transform")
                        .is_none_or(|v| !v.contains("rotate")),
                    "{:?}",
                    t.text()
                );
            }
            assert!(
                texts
                    .iter()
                    .any(|t| t.text().map(str::trim) == Some("（件）")),
                "{svg}"
            );
        }
    }

    #[test]
    fn the_picture_has_text_without_system_fonts() {
        // Rasterised with the bundled font only: the label area holds dark pixels.
        let r = report(include_str!("../../examples/qingshan-2023.yaml"));
        let chart = &charts(&r, None)[0];
        let (png, w, h) = Rasteriser::new().png(chart).expect("rasterises");
        let (again, _, _) = Rasteriser::new().png(chart).expect("rasterises");
        assert_eq!(png, again, "the same picture every time");
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).expect("PNG");
        assert_eq!((pixmap.width(), pixmap.height()), (w, h));
        // The bottom band (category labels) has black text pixels.
        let band = (h * 85 / 100)..h;
        let dark = pixmap
            .pixels()
            .iter()
            .enumerate()
            .filter(|(i, p)| band.contains(&(*i as u32 / w)) && p.red() < 80 && p.green() < 80)
            .count();
        assert!(dark > 200, "{dark} dark pixels under the axis");
    }
}
