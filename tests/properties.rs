//! Invariants over many generated data files: any valid data file loads clean and renders tables
//! in which every equation of its edition holds.

use nianbao::edition::{self, EquationKind, TableId};
use nianbao::extract;
use nianbao::input::{Document, Format as Kind};
use nianbao::reading::{self, Overrides};
use nianbao::render::{self, Format};
use nianbao::{data, testdata};
use proptest::prelude::*;

/// The figures of table 三 as printed in the rendered Markdown, by row label.
fn rendered_rows(markdown: &str, e: &edition::Edition) -> Vec<(String, Vec<i64>)> {
    let start = markdown.find(&e.sections[2].heading()).expect("section 三");
    let end = markdown.find(&e.sections[3].heading()).expect("section 四");
    markdown[start..end]
        .lines()
        .filter(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            let numbers: Vec<i64> = cells.iter().filter_map(|c| c.parse().ok()).collect();
            let label = cells
                .iter()
                .rev()
                .find(|c| !c.is_empty() && c.parse::<i64>().is_err())?;
            (numbers.len() == 7).then(|| (label.to_string(), numbers))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_valid_data_file_renders_with_every_equation_holding(seed in any::<u64>(), year in 2019i32..2030) {
        let e = edition::for_year(year).expect("edition");
        let text = testdata::balanced_data_file(e, year, seed);
        let loaded = data::load(&text);
        prop_assert!(loaded.diagnostics.is_empty(), "{:#?}\n{text}", loaded.diagnostics);
        let report = loaded.report.expect("report");
        let markdown = render::render(&report, Format::Markdown).expect("renders");
        let rows = rendered_rows(&markdown, e);
        prop_assert_eq!(rows.len(), e.applications.data_rows().count());
        let by_id = |id: &str| -> Vec<i64> {
            let label = &e.applications.row(id).expect("row").label;
            rows.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone()).expect("rendered row")
        };
        for eq in e.equations.iter().filter(|q| q.table == TableId::Applications) {
            match eq.kind {
                EquationKind::Columns => for c in 0..7 {
                    let left: i64 = eq.left.iter().map(|r| by_id(r)[c]).sum();
                    let right: i64 = eq.right.iter().map(|r| by_id(r)[c]).sum();
                    prop_assert_eq!(left, right, "{} column {}", eq.relation, c);
                },
                EquationKind::RowTotal => for (_, v) in &rows {
                    prop_assert_eq!(v[..6].iter().sum::<i64>(), v[6]);
                },
            }
        }
        let html = render::render(&report, Format::Html).expect("renders");
        prop_assert!(html.starts_with("<!DOCTYPE html>"));
    }

    /// Whatever renders lints clean: a valid data file with neutral prose passes the gate of
    /// `lint`/`render`, and the report it renders to lints clean on its own (the gate leaves
    /// out the table rules, so this is where a table the reader misreads would show).
    #[test]
    fn whatever_renders_lints_clean(seed in any::<u64>(), year in 2019i32..2030) {
        use nianbao::rules::{self, Config};
        let e = edition::for_year(year).expect("edition");
        // Neutral prose: section 六 reports the fee, which X4 asks for whenever table 三 shows
        // applications closed for an unpaid fee notice.
        let text = testdata::balanced_data_file(e, year, seed).replace(
            "做好其他需要报告的事项工作。",
            "做好其他需要报告的事项工作。信息处理费依规收取。",
        );
        let loaded = data::load(&text);
        let report = loaded.report.expect("report");
        let gated = nianbao::gate::check(&text, &report, &loaded.diagnostics, &Config::default());
        prop_assert!(gated.is_empty(), "{:#?}\n{text}", gated);
        let markdown = render::render(&report, Format::Markdown).expect("renders");
        let reading = reading::read(Document::plain("r", Kind::Markdown, markdown.clone()), Overrides::default());
        let found = rules::lint(&reading, &Config::default());
        prop_assert!(found.is_empty(), "{:#?}\n{markdown}", found);
    }

    /// extract(render(x)) gives back x's figures, in both output formats.
    #[test]
    fn extracting_a_rendered_report_recovers_its_figures(seed in any::<u64>(), year in 2019i32..2030, html in any::<bool>()) {
        let e = edition::for_year(year).expect("edition");
        let report = data::load(&testdata::balanced_data_file(e, year, seed)).report.expect("report");
        let (format, kind) = if html { (Format::Html, Kind::Html) } else { (Format::Markdown, Kind::Markdown) };
        let text = render::render(&report, format).expect("renders");
        let back = extract::from_reading(&reading::read(Document::plain("r", kind, text), Overrides::default())).expect("extracts");
        prop_assert!(back.notes.is_empty(), "{:?}", back.notes);
        let values = |g: &nianbao::report::Grid, id: &str, width: usize| -> Vec<Option<i64>> {
            (0..width).map(|c| g.value(id, c)).collect()
        };
        for (id, _) in e.applications.data_rows().filter(|(_, r)| !r.derived) {
            prop_assert_eq!(values(&back.report.applications, id, 6), values(&report.applications, id, 6), "{}", id);
        }
        for (id, _) in e.appeals.data_rows() {
            prop_assert_eq!(values(&back.report.appeals, id, 4), values(&report.appeals, id, 4), "{}", id);
        }
        // Amounts compare by value: 0.0 is printed, and read back, as 0.
        let as_f64 = |a: &Vec<Vec<Vec<Option<nianbao::report::Number>>>>| -> Vec<Option<f64>> {
            a.iter().flatten().flatten().map(|n| n.map(|n| match n {
                nianbao::report::Number::Int(i) => i as f64,
                nianbao::report::Number::Decimal(x) => x,
            })).collect()
        };
        prop_assert_eq!(as_f64(&back.report.active), as_f64(&report.active));
        prop_assert_eq!(back.report.year, year);
    }

    #[test]
    fn extract_never_panics_on_arbitrary_text(text in "\\PC{0,300}", html in any::<bool>()) {
        let kind = if html { Kind::Html } else { Kind::Text };
        let read = |t: String| reading::read(Document::plain("r", kind, t), Overrides::default());
        let _ = extract::from_reading(&read(text.clone()));
        let _ = extract::from_reading(&read(format!("<p>2023年政府信息公开工作年度报告</p><{text}")));
    }

    #[test]
    fn the_loader_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = data::load(&text);
    }

    #[test]
    fn the_loader_never_panics_on_mangled_examples(cut in 0usize..4000, junk in "[\\[\\]{}:,\\-\"' \n0-9a]{0,8}") {
        let base = include_str!("../examples/qingshan-2023.yaml");
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let text = format!("{}{junk}{}", &base[..at], &base[at..]);
        let _ = data::load(&text);
    }
}

/// No entry point panics, whatever it is given (issue 9: "no panic, ever").
mod no_panic {
    use nianbao::diagnostics::{self, Diagnostic, SourceFiles};
    use nianbao::edition;
    use nianbao::extract;
    use nianbao::input::{self, Document, Format as Kind};
    use nianbao::reading::{self, Overrides, Reading};
    use nianbao::render::{self, Format};
    use nianbao::report::{Cell, Number, Report};
    use nianbao::rules::previous::{self, Figures, Previous};
    use nianbao::rules::{self, Config, suppression};
    use nianbao::{data, init, testdata};
    use proptest::prelude::*;

    fn read(text: &str, kind: Kind) -> Reading {
        reading::read(
            Document::plain("t", kind, text.to_owned()),
            Overrides::default(),
        )
    }

    /// Text that is mostly ordinary but reaches the odd corners: line breaks of every kind,
    /// control characters, markup, quotes, wide and combining characters, long runs.
    fn nasty_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,80}",
            "[\\n\\r\\t\\u{0}\\u{1b}\\u{85}\\u{2028}\\u{2029}<>&\"'`|#*\\-:\\[\\]{}!a-z0-9 表一二三（）、，。…]{0,80}",
            ("\\PC{0,20}", 0usize..3000).prop_map(|(s, n)| s.repeat(n.min(3000 / (s.len() + 1)))),
        ]
    }

    fn any_figure() -> impl Strategy<Value = i64> {
        prop_oneof![0i64..1000, any::<i64>(), Just(i64::MAX), Just(i64::MIN)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Arbitrary strings in every text field and arbitrary figures in every cell: both
        /// formats render (or fail with an error value), and the result can be read back.
        #[test]
        fn render_with_anything_in_every_field(
            year in 2019i32..2030,
            agency in nasty_text(),
            published in proptest::option::of(nasty_text()),
            prose in proptest::collection::vec(proptest::option::of(nasty_text()), 6),
            figures in proptest::collection::vec(any_figure(), 200),
            amount in any::<f64>(),
        ) {
            let e = edition::for_year(year).expect("edition");
            let mut report = Report::empty(e, year, &agency);
            report.published = published;
            for (slot, text) in report.prose.iter_mut().zip(prose) {
                *slot = text;
            }
            let mut figures = figures.into_iter().cycle();
            for grid in [&mut report.applications, &mut report.appeals] {
                for row in grid.rows.values_mut() {
                    for cell in row.cells.iter_mut() {
                        *cell = Some(Cell::computed(figures.next().unwrap_or(0)));
                    }
                }
            }
            for cell in report.active.iter_mut().flatten().flatten() {
                *cell = Some(Number::Int(figures.next().unwrap_or(0)));
            }
            report.active[0][0][0] = Some(Number::Decimal(amount));
            report.applications.derive_totals(e, edition::TableId::Applications);
            report.appeals.derive_totals(e, edition::TableId::Appeals);
            for (format, kind) in [(Format::Markdown, Kind::Markdown), (Format::Html, Kind::Html)] {
                if let Ok(text) = render::render(&report, format) {
                    let reading = read(&text, kind);
                    let _ = extract::from_reading(&reading);
                    let _ = rules::lint(&reading, &Config::default());
                }
            }
            let _ = init::write(&report, &agency, "?");
        }

        /// The data loader on data files with anything in the text fields and any number in
        /// the cells, written the ways YAML allows.
        #[test]
        fn the_loader_with_anything_in_every_field(
            seed in any::<u64>(),
            agency in nasty_text(),
            year in prop_oneof![Just("2023".to_owned()), "\\PC{0,8}"],
            cell in prop_oneof![
                any::<i64>().prop_map(|i| i.to_string()),
                any::<u64>().prop_map(|i| format!("{i}0")),
                any::<f64>().prop_map(|f| f.to_string()),
                Just(".nan".to_owned()), Just("-.inf".to_owned()), Just("1e999".to_owned()),
                "\\PC{0,6}",
            ],
        ) {
            let e = edition::for_year(2023).expect("edition");
            let text = testdata::balanced_data_file(e, 2023, seed)
                .replacen("年度: 2023", &format!("年度: {year}"), 1)
                .replacen("本年新收: [", &format!("本年新收: [{cell}, "), 1);
            let text = match text.find("机关:") {
                Some(at) => {
                    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
                    format!("{}机关: {}{}", &text[..at], serde_json::to_string(&agency).unwrap_or_default(), &text[end..])
                }
                None => text,
            };
            let loaded = data::load(&text);
            if let Some(report) = loaded.report.filter(|_| !loaded.diagnostics.iter().any(|d| d.severity == diagnostics::Severity::Error)) {
                let _ = render::render(&report, Format::Html);
            }
            let _ = rules::lint_data(&text, &Config::default());
        }

        /// Each draft reader, on text shaped like its format.
        #[test]
        fn each_draft_reader_on_markup_soup(
            parts in proptest::collection::vec(prop_oneof![
                "\\PC{0,12}",
                Just("<td>".to_owned()), Just("</td>".to_owned()), Just("<tr>".to_owned()),
                Just("<script>".to_owned()), Just("<!--".to_owned()), Just("-->".to_owned()),
                Just("&#x".to_owned()), Just("&amp;".to_owned()), Just("&#99999999;".to_owned()),
                Just(" | ".to_owned()), Just("\n".to_owned()), Just("\r\n".to_owned()),
                Just("一、本年新收政府信息公开申请数量".to_owned()),
                Just("2023年".to_owned()), Just("9223372036854775807".to_owned()),
                Just("1e308".to_owned()), Just("-".to_owned()), Just("/".to_owned()),
            ], 0..60),
        ) {
            let text: String = parts.concat();
            for kind in [Kind::Text, Kind::Markdown, Kind::Html] {
                let reading = read(&text, kind);
                let _ = rules::lint(&reading, &Config::default());
                let _ = extract::from_reading(&reading);
                let figures = Figures::of_reading(&reading);
                let last = Previous {
                    name: "last.md".into(),
                    text: reading.document.text.clone(),
                    figures: figures.clone(),
                };
                let _ = previous::check(&figures, &reading.document.text, &last);
                // The same text as bytes in a file of that format (encoding detection too).
                let _ = input::from_bytes("t", Some(kind), text.clone().into_bytes(), &input::Options::default());
            }
        }

        /// The configuration loader on anything, and on TOML of the right shape with odd values.
        #[test]
        fn the_config_loader(
            text in "\\PC{0,120}",
            patterns in proptest::collection::vec("\\PC{0,6}", 0..4),
            level in "\\PC{0,8}",
        ) {
            let _ = Config::parse(&text);
            let toml = format!(
                "select = {}\nignore = {}\n[severity]\n{} = {}\n",
                serde_json::to_string(&patterns).unwrap_or_default(),
                serde_json::to_string(&patterns).unwrap_or_default(),
                serde_json::to_string(patterns.first().map_or("T", String::as_str)).unwrap_or_default(),
                serde_json::to_string(&level).unwrap_or_default(),
            );
            if let Ok(config) = Config::parse(&toml) {
                let mut found = vec![Diagnostic::error("T101", "x").with_label(0..1, "")];
                config.apply(&mut found);
            }
        }

        /// Suppression comments, well- and ill-formed, around findings at any position.
        #[test]
        fn suppression_comments(
            parts in proptest::collection::vec(prop_oneof![
                "\\PC{0,10}",
                Just("<!--".to_owned()), Just("-->".to_owned()), Just(">".to_owned()), Just("->".to_owned()),
                Just("<!-- nianbao-disable".to_owned()), Just(" nianbao-enable ".to_owned()),
                Just("nianbao-disable-next-line".to_owned()), Just("nianbao-".to_owned()),
                Just(" T101, ".to_owned()), Just("，Y、".to_owned()), Just("\n".to_owned()),
            ], 0..30),
            at in proptest::collection::vec(any::<usize>(), 0..6),
        ) {
            let text: String = parts.concat();
            for kind in [Kind::Markdown, Kind::Html] {
                let mut found: Vec<Diagnostic> = at
                    .iter()
                    .map(|&a| Diagnostic::error("T101", "x").with_label(a..a.saturating_add(1), ""))
                    .collect();
                suppression::suppress_inline(&text, kind, &[], &mut found);
                let _ = suppression::check_comments(&text, kind, rules::registry::check_pattern);
            }
        }

        /// Human and JSON output of diagnostics with any spans (reversed, past the end, inside
        /// a character) in text with long lines.
        #[test]
        fn diagnostics_output(
            text in prop_oneof![
                "\\PC{0,200}",
                ("\\PC{1,6}", 1usize..400).prop_map(|(s, n)| s.repeat(n)),
                ("[a表\\n\\r]{0,10}", "\\PC{0,5}", 1usize..300).prop_map(|(a, b, n)| format!("{a}{}{a}", b.repeat(n))),
            ],
            spans in proptest::collection::vec((any::<usize>(), any::<usize>()), 1..8),
            small in proptest::collection::vec((0usize..2000, 0usize..2000), 1..8),
        ) {
            let mut files = SourceFiles::default();
            files.add("a.md", text.clone());
            files.add("b.md", text.repeat(2));
            let mut d = Diagnostic::error("T101", "x");
            for (i, &(start, end)) in spans.iter().chain(&small).enumerate() {
                d = d.with_label_in(i % 2, start..end, "标签");
            }
            let plain = diagnostics::render_plain(&files, std::slice::from_ref(&d));
            prop_assert!(plain.contains("T101"));
            let _ = serde_json::to_string(&diagnostics::to_json(&files, &d));
        }
    }
}
