//! Year over year: `extract` turns reports back into data files, `init --from` starts next
//! year's file from last year's, and `lint --previous` compares consecutive reports (X rules).

mod common;

use common::*;
use nianbao::data;
use nianbao::report::Report;

const SAMPLES: [&str; 5] = [
    "shaoxing-2019.txt",
    "fuzhou-office-2020-traditional.txt",
    "linan-2020.txt",
    "huaian-2024-pdftotext-layout.txt",
    "huaian-2024-pdftotext.txt",
];

fn load(text: &str) -> Report {
    let loaded = data::load(text);
    assert!(!loaded.has_errors(), "{:#?}\n{text}", loaded.diagnostics);
    loaded.report.expect("report")
}

/// A grid's figures without the spans they were read from.
fn values(grid: &nianbao::report::Grid) -> Vec<(String, Vec<Option<i64>>)> {
    grid.rows
        .iter()
        .map(|(id, row)| {
            (
                id.clone(),
                row.cells
                    .iter()
                    .map(|c| c.as_ref().map(|c| c.value))
                    .collect(),
            )
        })
        .collect()
}

fn grid_row(report: &Report, table: &str, id: &str) -> Vec<i64> {
    let grid = match table {
        "三" => &report.applications,
        _ => &report.appeals,
    };
    let width = if table == "三" { 7 } else { 5 };
    (0..width)
        .map(|c| grid.value(id, c).unwrap_or(-1))
        .collect()
}

fn extract(name: &str, dir: &std::path::Path) -> (std::process::Output, String) {
    let out_path = dir.join(name.replace(".txt", ".yaml"));
    let out = nianbao()
        .arg("extract")
        .arg(sample(name))
        .arg("-o")
        .arg(&out_path)
        .output()
        .expect("runs");
    let text = std::fs::read_to_string(&out_path).unwrap_or_default();
    (out, text)
}

/// Render a data file and lint the result: no errors.
fn render_and_lint(data_file: &std::path::Path) {
    let report = data_file.with_extension("md");
    let out = nianbao()
        .arg("render")
        .arg(data_file)
        .arg("-o")
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = nianbao().arg("lint").arg(&report).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}:\n{}",
        data_file.display(),
        stderr(&out)
    );
    assert!(stderr(&out).contains("0 个错误"), "{}", stderr(&out));
}

#[test]
fn extract_render_lint_is_clean_for_every_sample_and_figures_are_exact() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in SAMPLES {
        let (out, text) = extract(name, dir.path());
        if name == "huaian-2024-pdftotext.txt" {
            // Plain pdftotext scrambles table 四 (T007): its rows are left out, commented, and
            // the command says so and exits 1. Filled in from the published table, the file
            // renders and lints clean like the others.
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            assert!(stderr(&out).contains("表四"), "{}", stderr(&out));
            assert!(text.contains("# 行政复议: [?, ?, ?, ?]"), "{text}");
            let filled = text
                .replace("# 行政复议: [?, ?, ?, ?]", "行政复议: [72, 64, 178, 37]")
                .replace(
                    "# 未经复议直接起诉: [?, ?, ?, ?]",
                    "未经复议直接起诉: [13, 4, 8, 1]",
                )
                .replace("# 复议后起诉: [?, ?, ?, ?]", "复议后起诉: [12, 1, 1, 6]");
            std::fs::write(dir.path().join("huaian-2024-pdftotext.yaml"), filled).expect("write");
        } else {
            assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        }
        render_and_lint(&dir.path().join(name.replace(".txt", ".yaml")));
    }

    let read = |name: &str| {
        load(
            &std::fs::read_to_string(dir.path().join(name.replace(".txt", ".yaml")))
                .expect("extracted"),
        )
    };
    let shaoxing = read("shaoxing-2019.txt");
    assert_eq!((shaoxing.year, shaoxing.edition.edition), (2019, 2019));
    assert_eq!(shaoxing.agency, "绍兴市人民政府");
    assert_eq!(
        grid_row(&shaoxing, "三", "本年新收"),
        [1375, 28, 5, 3, 8, 10, 1429]
    );
    assert_eq!(
        grid_row(&shaoxing, "三", "结转下年度"),
        [61, 4, 0, 0, 0, 1, 66]
    );
    assert_eq!(grid_row(&shaoxing, "四", "复议后起诉")[4], 8);

    let fuzhou = read("fuzhou-office-2020-traditional.txt");
    assert_eq!(fuzhou.agency, "福州市人民政府办公厅");
    assert_eq!(grid_row(&fuzhou, "三", "总计"), [207, 4, 0, 0, 0, 0, 211]);
    assert_eq!(
        grid_row(&fuzhou, "三", "无法提供.本机关不掌握相关政府信息"),
        [114, 0, 0, 0, 0, 0, 114]
    );

    let linan = read("linan-2020.txt");
    assert_eq!(grid_row(&linan, "三", "本年新收"), [30, 3, 0, 0, 0, 0, 33]);
    assert_eq!(grid_row(&linan, "四", "行政复议")[0], 8);

    for name in [
        "huaian-2024-pdftotext-layout.txt",
        "huaian-2024-pdftotext.txt",
    ] {
        let huaian = read(name);
        assert_eq!(
            (huaian.year, huaian.agency.as_str()),
            (2024, "淮安市人民政府"),
            "{name}"
        );
        assert_eq!(
            grid_row(&huaian, "三", "本年新收"),
            [3001, 53, 0, 0, 61, 4, 3119],
            "{name}"
        );
        assert_eq!(
            grid_row(&huaian, "三", "总计"),
            [2932, 53, 0, 0, 61, 4, 3050],
            "{name}"
        );
        assert_eq!(
            grid_row(&huaian, "三", "结转下年度"),
            [103, 0, 0, 0, 0, 0, 103],
            "{name}"
        );
        assert_eq!(
            grid_row(&huaian, "四", "行政复议"),
            [72, 64, 178, 37, 351],
            "{name}"
        );
        // Table 二, with the amount kept as published.
        assert_eq!(
            huaian.active[3][0][0].map(|n| n.to_string()),
            Some("96171.6".to_owned()),
            "{name}"
        );
    }
    // Prose is the original text, re-flowed: a paragraph broken by a page number is whole.
    let huaian = read("huaian-2024-pdftotext.txt");
    let overview = huaian.prose[0].clone().unwrap_or_default();
    assert!(
        overview.contains("将栏目不更新、政策解读不通俗易懂"),
        "{overview}"
    );
    assert!(
        huaian.prose[5]
            .clone()
            .unwrap_or_default()
            .contains("信息处理费 3940 元")
    );
}

#[test]
fn extracting_a_rendered_report_gives_back_its_data() {
    let original = load(&std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example"));
    for format in ["markdown", "html"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let ext = if format == "html" { "html" } else { "md" };
        let report = dir.path().join(format!("r.{ext}"));
        let out = nianbao()
            .args(["render", "--to", format])
            .arg(example("qingshan-2023.yaml"))
            .arg("-o")
            .arg(&report)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0));
        let out = nianbao()
            .arg("extract")
            .arg(&report)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let back = load(&stdout(&out));
        assert_eq!(
            values(&back.applications),
            values(&original.applications),
            "{format}"
        );
        assert_eq!(values(&back.appeals), values(&original.appeals), "{format}");
        assert_eq!(back.active, original.active, "{format}");
        assert_eq!((back.year, back.agency.as_str()), (2023, "青山区人民政府"));
        assert_eq!(
            back.prose, original.prose,
            "{format}: prose comes back paragraph for paragraph"
        );
    }
}
