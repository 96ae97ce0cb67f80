//! `nianbao review` on a jurisdiction made for the test: six agencies over two years, rendered
//! as Markdown, HTML and Word, with planted defects (a table that does not add up, a missing
//! section, a stale statistics year, a carry-over not taken from last year), a report
//! published late, an agency missing in the second year, a new one, a file that cannot be
//! read, and a note that is no report. The workbook is read back with calamine and every
//! overview cell is compared with what the reading stage and `lint` say of each file; the CSV
//! files are parsed; the dashboard is opened in headless Chromium.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{CHROMIUM_FLAGS, chromium, nianbao, skipped};
use nianbao::edition::{self, TableId};
use nianbao::report::{Cell, Report};
use nianbao::{data, render, testdata};

/// One report of the fixture tree: what was planted in it.
struct Planted {
    file: String,
    agency: &'static str,
    year: i32,
    published: &'static str,
    late: bool,
}

const AGENCIES: [&str; 6] = [
    "青山区人民政府",
    "青山区教育局",
    "青山区卫生健康局",
    "青山区财政局",
    "青山区民政局",
    "青山区司法局",
];

fn report(agency: &str, year: i32, seed: u64, published: &str) -> Report {
    let edition = edition::for_year(year).expect("edition");
    let text = testdata::balanced_data_file(edition, year, seed);
    let text = text.replacen(&format!("测试市人民政府{seed}"), agency, 1);
    let text = format!("发布日期: {published}\n{text}");
    let loaded = data::load(&text);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    loaded.report.expect("report")
}

fn set(report: &mut Report, row: &str, column: usize, value: i64) {
    let cells = &mut report.applications.rows.get_mut(row).expect("row").cells;
    cells[column] = Some(Cell::computed(value));
}

/// This year's 上年结转 made last year's 结转下年度, the table kept in balance.
fn carry_from(report: &mut Report, last: &Report) {
    let edition = report.edition;
    let n = edition.applications.columns.len();
    for c in 0..n {
        let forward = last.applications.value("结转下年度", c).expect("forward");
        let carried = report.applications.value("上年结转", c).expect("carried");
        let new = report.applications.value("本年新收", c).expect("new");
        let mut now = new + carried - forward;
        if now < 0 {
            let granted = report.applications.value("予以公开", c).expect("granted");
            set(report, "予以公开", c, granted - now);
            now = 0;
        }
        set(report, "上年结转", c, forward);
        set(report, "本年新收", c, now);
    }
    let grid = &mut report.applications;
    grid.rows.remove("总计");
    for row in grid.rows.values_mut() {
        row.cells.truncate(n);
    }
    grid.derive_totals(edition, TableId::Applications);
}

fn write_text(dir: &Path, name: &str, report: &Report, html: bool) -> String {
    let format = if html {
        render::Format::Html
    } else {
        render::Format::Markdown
    };
    let text = render::render(report, format).expect("render");
    std::fs::write(dir.join(name), text).expect("write");
    name.to_owned()
}

/// The fixture tree; returns what was planted in each report.
fn jurisdiction(dir: &Path) -> Vec<Planted> {
    let mut planted = Vec::new();
    let mut last: HashMap<&str, Report> = HashMap::new();
    for (i, agency) in AGENCIES.iter().enumerate() {
        let published = "2023-01-16";
        let mut r = report(agency, 2022, 100 + i as u64, published);
        let name = format!("2022/{i}-{}.md", agency);
        let mut text = render::render(&r, render::Format::Markdown).expect("render");
        if *agency == "青山区财政局" {
            // A statistics period left from the year before.
            text = text.replacen("统计期限自2022年1月1日", "统计期限自2021年1月1日", 1);
        }
        std::fs::write(dir.join(&name), text).expect("write");
        planted.push(Planted {
            file: name,
            agency,
            year: 2022,
            published,
            late: false,
        });
        r.published = None;
        last.insert(agency, r);
    }
    for (i, agency) in AGENCIES.iter().enumerate() {
        if *agency == "青山区司法局" {
            continue; // no report this year
        }
        let (published, late) = match *agency {
            // A government has until 31 March; a department until 31 January.
            "青山区人民政府" => ("2024-03-20", false),
            "青山区财政局" => ("2024-03-15", true),
            _ => ("2024-01-22", false),
        };
        let mut r = report(agency, 2023, 200 + i as u64, published);
        if *agency != "青山区民政局" {
            carry_from(&mut r, &last[agency]);
        }
        let name = match *agency {
            "青山区教育局" => {
                // A figure changed after the totals were made: table 三 does not add up.
                let v = r.applications.value("部分公开", 0).expect("cell");
                set(&mut r, "部分公开", 0, v + 7);
                let bytes = match render::render_document(
                    &r,
                    render::Format::Docx,
                    &render::Options::default(),
                )
                .expect("render")
                {
                    render::Output::Binary(b) => b,
                    render::Output::Text(_) => panic!("docx is bytes"),
                };
                let name = format!("2023/{i}-{agency}.docx");
                std::fs::write(dir.join(&name), bytes).expect("write");
                name
            }
            "青山区卫生健康局" => {
                let mut text = render::render(&r, render::Format::Html).expect("render");
                let heading = r.edition.sections[4].heading();
                text = text.replacen(&heading, "", 1);
                let name = format!("2023/{i}-{agency}.html");
                std::fs::write(dir.join(&name), text).expect("write");
                name
            }
            _ => write_text(dir, &format!("2023/{i}-{agency}.html"), &r, true),
        };
        planted.push(Planted {
            file: name,
            agency,
            year: 2023,
            published,
            late,
        });
    }
    // A new agency, with no report last year.
    let r = report("青山区交通运输局", 2023, 300, "2024-01-25");
    let name = write_text(dir, "2023/9-青山区交通运输局.md", &r, false);
    planted.push(Planted {
        file: name,
        agency: "青山区交通运输局",
        year: 2023,
        published: "2024-01-25",
        late: false,
    });
    std::fs::write(dir.join("2023/broken.docx"), "这不是 Word 文件").expect("write");
    std::fs::write(
        dir.join("2023/README.md"),
        "# 说明\n\n本目录存放各单位报告。\n",
    )
    .expect("write");
    planted
}

fn tree() -> (tempfile::TempDir, Vec<Planted>) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("2022")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("2023")).expect("mkdir");
    let planted = jurisdiction(dir.path());
    (dir, planted)
}

fn review(dir: &Path, output: &str) -> std::process::Output {
    nianbao()
        .current_dir(dir)
        .args(["review", "2022", "2023", "-o", output])
        .output()
        .expect("runs")
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        Data::Empty => None,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(name).expect(name);
    range.rows().map(|r| r.to_vec()).collect()
}

/// What `lint` says of one file: counts by severity and by family.
fn lint_counts(dir: &Path, file: &str) -> (usize, usize, usize, [usize; 6]) {
    let out = nianbao()
        .current_dir(dir)
        .args(["lint", "--output-format", "json", file])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let mut counts = (0, 0, 0, [0usize; 6]);
    for d in diagnostics {
        match d["severity"].as_str() {
            Some("error") => counts.0 += 1,
            Some("warning") => counts.1 += 1,
            _ => counts.2 += 1,
        }
        let code = d["code"].as_str().unwrap_or("");
        if let Some(i) = ["D", "S", "T", "Y", "X", "N"]
            .iter()
            .position(|f| code.starts_with(f))
        {
            counts.3[i] += 1;
        }
    }
    counts
}

/// The key figures, read from the reading stage directly.
fn expected_figures(path: &Path) -> Vec<Option<f64>> {
    let reading = nianbao::cli::files::read_reading(
        path,
        &nianbao::input::Options::default(),
        nianbao::reading::Overrides::default(),
    )
    .expect("reads");
    let edition = reading.edition.expect("edition");
    let three = reading.grid(TableId::Applications).expect("table 三");
    let four = reading.grid(TableId::Appeals).expect("table 四");
    let total3 = edition.applications.columns.len();
    let total4 = edition.appeals.columns.len();
    let sum = |prefix: &str| -> Option<f64> {
        let rows: Vec<&String> = three
            .rows
            .keys()
            .filter(|id| *id == prefix || id.starts_with(&format!("{prefix}.")))
            .collect();
        assert!(!rows.is_empty(), "{prefix}");
        rows.iter()
            .map(|id| three.value(id, total3).map(|v| v as f64))
            .sum()
    };
    let mut out: Vec<Option<f64>> = [
        "本年新收",
        "上年结转",
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
        "总计",
        "结转下年度",
    ]
    .iter()
    .map(|id| sum(id))
    .collect();
    for id in ["行政复议", "未经复议直接起诉", "复议后起诉"] {
        out.push(four.value(id, total4).map(|v| v as f64));
    }
    // Table 二 (2021 edition in this tree): 现行有效件数, then 处理决定数量, then 收费金额.
    assert_eq!(edition.edition, 2021);
    let active = reading.active_values();
    let value = |b: usize, r: usize, c: usize| {
        active[b][r][c].map(|n| match n {
            nianbao::report::Number::Int(i) => i as f64,
            nianbao::report::Number::Decimal(x) => x,
        })
    };
    out.extend([
        value(0, 0, 2),
        value(0, 1, 2),
        value(1, 0, 0),
        value(2, 0, 0),
        value(2, 1, 0),
        value(3, 0, 0),
    ]);
    out
}

#[test]
fn the_workbook_overview_matches_the_readings_cell_by_cell() {
    let (dir, planted) = tree();
    let out = review(dir.path(), "review.xlsx");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("13 份报告（1 份无法读取）"), "{stderr}");
    assert!(stderr.contains("跳过 1 个不是报告的文件"), "{stderr}");
    let mut book: Xlsx<_> = open_workbook(dir.path().join("review.xlsx")).expect("opens");
    assert_eq!(
        book.sheet_names(),
        ["概览", "问题清单", "数字", "同比", "合计"]
    );
    let overview = sheet(&mut book, "概览");
    let headers: Vec<String> = overview[0].iter().map(text).collect();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    assert_eq!(overview.len(), 1 + 13, "a header and one row per report");
    let by_file: HashMap<String, &Vec<Data>> =
        overview[1..].iter().map(|r| (text(&r[0]), r)).collect();

    let broken = by_file["2023/broken.docx"];
    assert_eq!(text(&broken[col("状态")]), "无法读取");
    assert!(text(&broken[col("无法读取的原因")]).contains("Word"));

    let first_figure = col("三·本年新收");
    for p in &planted {
        let row = by_file
            .get(&p.file)
            .unwrap_or_else(|| panic!("{} has no row", p.file));
        let path = dir.path().join(&p.file);
        let reading = nianbao::cli::files::read_reading(
            &path,
            &nianbao::input::Options::default(),
            nianbao::reading::Overrides::default(),
        )
        .expect("reads");
        let what = &p.file;
        assert_eq!(text(&row[col("机关")]), p.agency, "{what}");
        assert_eq!(
            reading.agency.as_ref().map(|a| a.0.as_str()),
            Some(p.agency),
            "{what}"
        );
        assert_eq!(number(&row[col("年度")]), Some(f64::from(p.year)), "{what}");
        assert_eq!(reading.year(), Some(p.year), "{what}");
        assert_eq!(
            number(&row[col("版式")]),
            reading.edition.map(|e| f64::from(e.edition)),
            "{what}"
        );
        assert_eq!(text(&row[col("发布日期")]), p.published, "{what}");
        let deadline = if p.agency.ends_with("人民政府") {
            format!("{}-03-31", p.year + 1)
        } else {
            format!("{}-01-31", p.year + 1)
        };
        assert_eq!(text(&row[col("发布期限")]), deadline, "{what}");
        assert_eq!(
            text(&row[col("是否按期")]),
            if p.late { "否" } else { "是" },
            "{what}"
        );
        let (errors, warnings, infos, families) = lint_counts(dir.path(), &p.file);
        let status = if errors > 0 {
            "有错误"
        } else if warnings > 0 {
            "有警告"
        } else {
            "无问题"
        };
        assert_eq!(text(&row[col("状态")]), status, "{what}");
        assert_eq!(text(&row[col("无法读取的原因")]), "", "{what}");
        assert_eq!(number(&row[col("错误")]), Some(errors as f64), "{what}");
        assert_eq!(number(&row[col("警告")]), Some(warnings as f64), "{what}");
        assert_eq!(number(&row[col("提示")]), Some(infos as f64), "{what}");
        for (i, n) in families.iter().enumerate() {
            assert_eq!(
                number(&row[col("错误") + 3 + i]),
                Some(*n as f64),
                "{what}: family {i}"
            );
        }
        let figures = expected_figures(&path);
        assert_eq!(row.len(), first_figure + figures.len(), "{what}");
        for (i, expected) in figures.iter().enumerate() {
            assert_eq!(
                number(&row[first_figure + i]),
                *expected,
                "{what}: {}",
                headers[first_figure + i]
            );
        }
    }
    // The planted defects surface where they were planted.
    let status = |file: &str| text(&by_file[file][col("状态")]);
    assert_eq!(status("2023/1-青山区教育局.docx"), "有错误");
    assert!(number(&by_file["2023/1-青山区教育局.docx"][col("T·统计表")]).unwrap() > 0.0);
    assert!(number(&by_file["2023/2-青山区卫生健康局.html"][col("S·部分")]).unwrap() > 0.0);
    assert!(number(&by_file["2022/3-青山区财政局.md"][col("Y·年份")]).unwrap() > 0.0);

    // Findings: sorted by agency; the Word file's findings say where in the document.
    let findings = sheet(&mut book, "问题清单");
    assert_eq!(
        findings[0].iter().map(text).collect::<Vec<_>>(),
        ["机关", "文件", "行", "位置", "代码", "级别", "说明"]
    );
    let agencies: Vec<String> = findings[1..].iter().map(|r| text(&r[0])).collect();
    let mut runs = agencies.clone();
    runs.dedup();
    let mut distinct = runs.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        runs.len(),
        distinct.len(),
        "each agency's findings together"
    );
    let word: Vec<&Vec<Data>> = findings[1..]
        .iter()
        .filter(|r| text(&r[1]).ends_with(".docx") && text(&r[4]).starts_with('T'))
        .collect();
    assert!(!word.is_empty());
    assert!(
        word.iter().any(|r| text(&r[3]).starts_with('表')),
        "a table cell's place in the Word file"
    );
    let total_findings: f64 = overview[1..]
        .iter()
        .map(|r| {
            number(&r[col("错误")]).unwrap_or(0.0)
                + number(&r[col("警告")]).unwrap_or(0.0)
                + number(&r[col("提示")]).unwrap_or(0.0)
        })
        .sum();
    assert_eq!((findings.len() - 1) as f64, total_findings);

    // Figures in long form: every cell of tables 二, 三 and 四 of every readable report.
    let figures = sheet(&mut book, "数字");
    let per_report = {
        let e = edition::for_year(2023).expect("edition");
        let active: usize = e
            .active
            .blocks
            .iter()
            .map(|b| b.rows.len() * b.columns.len())
            .sum();
        let grid = |g: &edition::GridTable| g.data_rows().count() * (g.columns.len() + 1);
        active + grid(&e.applications) + grid(&e.appeals)
    };
    assert_eq!(figures.len() - 1, planted.len() * per_report);
    let edu = figures[1..]
        .iter()
        .find(|r| {
            text(&r[2]) == "2023/1-青山区教育局.docx"
                && text(&r[4]).starts_with("（二）部分公开")
                && text(&r[5]) == "自然人"
        })
        .expect("the planted cell");
    assert_eq!(text(&edu[7]), "印出");

    // Year over year.
    let yoy = sheet(&mut book, "同比");
    let find = |agency: &str, year: f64| {
        yoy[1..]
            .iter()
            .find(|r| text(&r[0]) == agency && number(&r[1]) == Some(year))
            .unwrap_or_else(|| panic!("{agency} {year}"))
    };
    assert_eq!(text(&find("青山区教育局", 2023.0)[9]), "一致");
    assert_eq!(text(&find("青山区教育局", 2023.0)[10]), "已配对");
    assert_eq!(text(&find("青山区民政局", 2023.0)[9]), "不一致");
    assert_eq!(text(&find("青山区司法局", 2023.0)[10]), "本年缺报告");
    assert_eq!(text(&find("青山区交通运输局", 2023.0)[10]), "无上年报告");
    let edu = find("青山区卫生健康局", 2023.0);
    let (now, before) = (number(&edu[4]).unwrap(), number(&edu[5]).unwrap());
    if before != 0.0 {
        let pct = ((now - before) / before * 1000.0).round() / 10.0;
        assert_eq!(number(&edu[6]), Some(pct));
    }
    // The carry-over columns are the overview's 上年结转 and last year's 结转下年度.
    let gov23 = by_file["2023/0-青山区人民政府.html"];
    let gov22 = by_file["2022/0-青山区人民政府.md"];
    let gov = find("青山区人民政府", 2023.0);
    assert_eq!(number(&gov[7]), number(&gov23[col("三·上年结转")]));
    assert_eq!(number(&gov[8]), number(&gov22[col("三·结转下年度")]));

    // Totals: per year and figure, the sum over that year's rows and how many.
    let totals = sheet(&mut book, "合计");
    for year in [2022.0, 2023.0] {
        let rows: Vec<&&Vec<Data>> = by_file
            .values()
            .filter(|r| number(&r[col("年度")]) == Some(year))
            .collect();
        let expected: f64 = rows
            .iter()
            .filter_map(|r| number(&r[col("三·本年新收")]))
            .sum();
        let t = totals[1..]
            .iter()
            .find(|r| number(&r[0]) == Some(year) && text(&r[1]) == "三·本年新收")
            .expect("total");
        assert_eq!(number(&t[2]), Some(expected));
        assert_eq!(number(&t[4]), Some(rows.len() as f64));
    }
}

#[test]
fn the_csv_files_parse_and_open_in_excel_as_utf8() {
    let (dir, planted) = tree();
    let out = review(dir.path(), "review.csv");
    assert_eq!(out.status.code(), Some(0));
    for (name, rows) in [
        ("review.csv", planted.len() + 1),
        ("review-yoy.csv", 0),
        ("review-findings.csv", 0),
        ("review-figures.csv", 0),
        ("review-totals.csv", 0),
    ] {
        let bytes = std::fs::read(dir.path().join(name)).expect(name);
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{name} has a BOM");
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let headers = reader.headers().expect("headers").clone();
        let records: Vec<csv::StringRecord> =
            reader.records().collect::<Result<_, _>>().expect(name);
        assert!(records.iter().all(|r| r.len() == headers.len()), "{name}");
        if rows > 0 {
            assert_eq!(records.len(), rows, "{name}");
            assert_eq!(&headers[0], "文件");
            let files: Vec<&str> = records.iter().map(|r| r.get(0).unwrap_or("")).collect();
            for p in &planted {
                assert!(files.contains(&p.file.as_str()), "{}", p.file);
            }
        } else {
            assert!(!records.is_empty(), "{name}");
        }
    }
}

#[test]
fn an_unknown_extension_or_an_unwritable_place_is_a_usage_error() {
    let (dir, _) = tree();
    let out = review(dir.path(), "review.txt");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".xlsx"));
    let out = review(dir.path(), "no/such/dir/review.xlsx");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_same_reports_give_the_same_workbook() {
    let (dir, _) = tree();
    assert_eq!(review(dir.path(), "a.xlsx").status.code(), Some(0));
    assert_eq!(review(dir.path(), "b.xlsx").status.code(), Some(0));
    let a = std::fs::read(dir.path().join("a.xlsx")).expect("a");
    let b = std::fs::read(dir.path().join("b.xlsx")).expect("b");
    assert!(a == b, "two runs wrote different workbooks");
}

/// The page's DOM after its scripts ran, as headless Chromium has it.
fn dump_dom(chromium: &Path, page: &Path, hash: &str, profile: &Path) -> Option<String> {
    let out = Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args(CHROMIUM_FLAGS)
        .args(["--virtual-time-budget=3000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}{hash}", page.display()))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_dashboard_shows_the_overview_and_its_charts_in_chromium() {
    let (dir, planted) = tree();
    let out = review(dir.path(), "review.html");
    assert_eq!(out.status.code(), Some(0));
    let page = dir.path().join("review.html");
    let html = std::fs::read_to_string(&page).expect("page");
    assert!(
        !html.contains("<link") && !html.contains(" src="),
        "self-contained"
    );
    let Some(chromium) = chromium() else {
        skipped("no chromium on PATH (apt-get install chromium)");
        return;
    };
    let profile = tempfile::tempdir().expect("profile");
    // Sorted by 年度 (column 2), descending, by the page's own script.
    let Some(dom) = dump_dom(&chromium, &page, "#sort=-2", profile.path()) else {
        skipped("chromium could not open the page");
        return;
    };
    assert!(dom.contains("data-ready=\"1\""), "the script ran");
    assert!(
        dom.contains("data-sorted=\"-2\""),
        "the script sorted the table"
    );
    let rows: Vec<&str> = dom.split("<tr data-status=").skip(1).collect();
    assert_eq!(rows.len(), planted.len() + 1, "one row per report");
    let years: Vec<i32> = rows
        .iter()
        .filter_map(|r| {
            let cells: Vec<&str> = r.split("<td").collect();
            let year = cells.get(3)?.split('>').nth(1)?.split('<').next()?;
            year.parse().ok()
        })
        .collect();
    assert_eq!(years.len(), planted.len());
    assert!(
        years.windows(2).all(|w| w[0] >= w[1]),
        "sorted by year, descending: {years:?}"
    );
    for chart in ["chart-family", "chart-agency", "chart-totals"] {
        assert!(dom.contains(&format!("<svg id=\"{chart}\"")), "{chart}");
    }
    // The by-family chart's bars carry the counts of the findings list.
    let findings = dom.matches("<tr class=\"finding\">").count();
    let family_total: f64 = dom
        .split("<svg id=\"chart-family\"")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .expect("family chart")
        .split("data-value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .sum();
    assert_eq!(family_total, findings as f64);
    // Two years of totals, three bars each.
    let totals = dom
        .split("<svg id=\"chart-totals\"")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .expect("totals chart");
    assert_eq!(totals.matches("class=\"bar\"").count(), 6);
    // Each agency with findings links to its section.
    let edu = dom
        .split("<tr data-status=")
        .find(|r| r.contains("2023/1-青山区教育局.docx"))
        .expect("row");
    let anchor = edu
        .split("href=\"#")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("agency link");
    assert!(dom.contains(&format!(
        "<section class=\"agency\" id=\"{anchor}\"><h3>青山区教育局</h3>"
    )));
}
