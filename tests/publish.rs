//! The publishing story: `render -o report.docx` gives the Word document an agency signs off,
//! read here with an independent reader (unzip + XML) the way Word would see it; the output
//! format follows the file name; `--check` is not fooled by line endings.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::*;
use nianbao::{data, edition};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts of a `.docx` package by name.
fn unzip(path: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).expect("docx written");
    let mut archive = zip::ZipArchive::new(file).expect("a zip package");
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 XML part");
        let name = entry.name().expect("entry name").into_owned();
        parts.insert(name, text);
    }
    parts
}

/// `nianbao render DATA -o PATH`, which must succeed; the format follows PATH's extension.
fn render_to(data: &Path, path: &Path) {
    let out = nianbao()
        .arg("render")
        .arg(data)
        .arg("-o")
        .arg(path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn render_docx(data: &Path, dir: &Path) -> BTreeMap<String, String> {
    let out_path = dir.join("report.docx");
    render_to(data, &out_path);
    unzip(&out_path)
}

fn w<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|n| n.has_tag_name((W, name)))
}

fn attr<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.attribute((W, name))
}

/// All text of a node's `w:t` descendants.
fn text(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect()
}

fn style(p: roxmltree::Node) -> Option<String> {
    w(p, "pPr")
        .and_then(|ppr| w(ppr, "pStyle"))
        .and_then(|s| attr(s, "val"))
        .map(str::to_owned)
}

/// Millimetres in twips, as Word measures a page.
fn mm(v: f64) -> i64 {
    (v * 1440.0 / 25.4).round() as i64
}

fn num(node: roxmltree::Node, name: &str) -> i64 {
    attr(node, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("w:{name} on {:?}", node.tag_name()))
}

/// A table read back as Word lays it out: for each row, each grid position's text, with merged
/// cells' text repeated over the positions they cover (gridSpan across, vMerge down).
struct ReadTable {
    columns: usize,
    rows: Vec<Vec<String>>,
    header_rows: usize,
    rows_that_split: usize,
    /// (text, rows covered) of each vertically merged cell.
    vertical: Vec<(String, usize)>,
}

fn read_table(tbl: roxmltree::Node) -> ReadTable {
    let grid = w(tbl, "tblGrid").expect("tblGrid");
    let columns = grid
        .children()
        .filter(|n| n.has_tag_name((W, "gridCol")))
        .count();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header_rows = 0;
    let mut rows_that_split = 0;
    // Open vertical merges: column → index into `vertical`.
    let mut open: BTreeMap<usize, usize> = BTreeMap::new();
    let mut vertical: Vec<(String, usize)> = Vec::new();
    for tr in tbl.children().filter(|n| n.has_tag_name((W, "tr"))) {
        let trpr = w(tr, "trPr");
        if trpr.and_then(|p| w(p, "tblHeader")).is_some() {
            assert_eq!(header_rows, rows.len(), "header rows are the topmost rows");
            header_rows += 1;
        }
        if trpr.and_then(|p| w(p, "cantSplit")).is_none() {
            rows_that_split += 1;
        }
        let mut row = Vec::new();
        for tc in tr.children().filter(|n| n.has_tag_name((W, "tc"))) {
            let tcpr = w(tc, "tcPr").expect("tcPr");
            let span = w(tcpr, "gridSpan").map_or(1, |g| num(g, "val") as usize);
            let column = row.len();
            let content = match w(tcpr, "vMerge") {
                Some(v) if attr(v, "val") == Some("restart") => {
                    open.insert(column, vertical.len());
                    vertical.push((text(tc), 1));
                    text(tc)
                }
                Some(v) => {
                    assert_eq!(attr(v, "val"), None, "continuation cells carry no value");
                    assert_eq!(text(tc), "", "a continuation cell is empty");
                    let i = *open.get(&column).expect("a merge to continue");
                    vertical[i].1 += 1;
                    vertical[i].0.clone()
                }
                None => {
                    open.remove(&column);
                    text(tc)
                }
            };
            row.extend(std::iter::repeat_n(content, span));
        }
        assert_eq!(row.len(), columns, "every row covers the grid: {row:?}");
        rows.push(row);
    }
    ReadTable {
        columns,
        rows,
        header_rows,
        rows_that_split,
        vertical,
    }
}

#[test]
fn the_word_document_has_the_official_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = render_docx(&example("qingshan-2023.yaml"), dir.path());
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/footer1.xml",
        "word/footer2.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        let part = parts.get(name).unwrap_or_else(|| panic!("{name} missing"));
        roxmltree::Document::parse(part).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let types = &parts["[Content_Types].xml"];
    for part in [
        "/word/document.xml",
        "/word/styles.xml",
        "/word/footer1.xml",
    ] {
        assert!(
            types.contains(&format!("PartName=\"{part}\"")),
            "{part} not declared"
        );
    }

    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("xml");
    let body = w(doc.root_element(), "body").expect("body");

    // The page: A4, 天头 37 mm, 订口 28 mm, text block 156 × 225 mm.
    let sect = w(body, "sectPr").expect("sectPr");
    let size = w(sect, "pgSz").expect("pgSz");
    assert_eq!((num(size, "w"), num(size, "h")), (mm(210.0), mm(297.0)));
    let margins = w(sect, "pgMar").expect("pgMar");
    assert_eq!(num(margins, "top"), mm(37.0));
    assert_eq!(num(margins, "left"), mm(28.0));
    let text_width = num(size, "w") - num(margins, "left") - num(margins, "right");
    let text_height = num(size, "h") - num(margins, "top") - num(margins, "bottom");
    assert!((text_width - mm(156.0)).abs() <= 2, "{text_width}");
    assert!((text_height - mm(225.0)).abs() <= 2, "{text_height}");

    // Fonts and sizes by style, and the fixed line spacing: 22 lines fill the text block.
    let styles = roxmltree::Document::parse(&parts["word/styles.xml"]).expect("xml");
    let by_id = |id: &str| {
        styles
            .descendants()
            .find(|n| n.has_tag_name((W, "style")) && attr(*n, "styleId") == Some(id))
            .unwrap_or_else(|| panic!("style {id}"))
    };
    let font = |node: roxmltree::Node| -> (String, i64) {
        let rpr = w(node, "rPr").expect("rPr");
        let fonts = w(rpr, "rFonts").and_then(|f| attr(f, "eastAsia"));
        let size = w(rpr, "sz").map(|s| num(s, "val"));
        (
            fonts.unwrap_or_default().to_owned(),
            size.unwrap_or_default(),
        )
    };
    let defaults = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "rPrDefault")))
        .expect("defaults");
    assert_eq!(
        font(defaults),
        ("仿宋_GB2312".to_owned(), 32),
        "body 3号 仿宋"
    );
    assert_eq!(
        font(by_id("Title")),
        ("方正小标宋简体".to_owned(), 44),
        "2号"
    );
    assert_eq!(font(by_id("Heading1")), ("黑体".to_owned(), 32));
    assert_eq!(font(by_id("Heading2")), ("楷体_GB2312".to_owned(), 32));
    let spacing = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "pPrDefault")))
        .and_then(|d| d.descendants().find(|n| n.has_tag_name((W, "spacing"))))
        .expect("line spacing");
    assert_eq!(attr(spacing, "lineRule"), Some("exact"));
    let line = num(spacing, "line");
    assert!(
        22 * line <= text_height && 23 * line > text_height,
        "{line}"
    );
    let fonts = &parts["word/fontTable.xml"];
    assert!(fonts.contains("w:name=\"方正小标宋简体\"><w:altName w:val=\"小标宋\"/>"));

    // Paragraphs: the title, the six official headings, the (一) sub-headings.
    let paragraphs: Vec<_> = body
        .children()
        .filter(|n| n.has_tag_name((W, "p")))
        .collect();
    assert_eq!(style(paragraphs[0]).as_deref(), Some("Title"));
    assert_eq!(
        text(paragraphs[0]),
        "青山区人民政府2023年政府信息公开工作年度报告"
    );
    let e = edition::by_number(2021).expect("edition");
    let headings: Vec<String> = paragraphs
        .iter()
        .filter(|p| style(**p).as_deref() == Some("Heading1"))
        .map(|p| text(*p))
        .collect();
    let official: Vec<String> = e.sections.iter().map(|s| s.heading()).collect();
    assert_eq!(headings, official);
    let subs: Vec<String> = paragraphs
        .iter()
        .filter(|p| style(**p).as_deref() == Some("Heading2"))
        .map(|p| text(*p))
        .collect();
    assert_eq!(
        subs,
        [
            "（一）主动公开",
            "（二）依申请公开",
            "（三）政府信息管理",
            "（四）政府信息公开平台建设",
            "（五）监督保障"
        ]
    );

    // The 落款: agency, then the date of 发布日期, right-aligned, last.
    let signature: Vec<_> = paragraphs[paragraphs.len() - 2..].to_vec();
    assert_eq!(
        signature.iter().map(|p| text(*p)).collect::<Vec<_>>(),
        ["青山区人民政府", "2024年1月20日"]
    );
    for p in &signature {
        assert_eq!(style(*p).as_deref(), Some("Signature"));
    }
    let signature_style = by_id("Signature");
    let jc = signature_style
        .descendants()
        .find(|n| n.has_tag_name((W, "jc")))
        .and_then(|j| attr(j, "val"));
    assert_eq!(jc, Some("right"));

    // Footers: "— N —" with a PAGE field, 4号 宋体, on the outer side (odd right, even left).
    let settings = &parts["word/settings.xml"];
    assert!(settings.contains("<w:evenAndOddHeaders/>"));
    let references: BTreeMap<&str, &str> = sect
        .children()
        .filter(|n| n.has_tag_name((W, "footerReference")))
        .map(|n| {
            (
                attr(n, "type").expect("type"),
                n.attribute((R, "id")).expect("r:id"),
            )
        })
        .collect();
    let rels = &parts["word/_rels/document.xml.rels"];
    for (kind, side) in [("default", "right"), ("even", "left")] {
        let id = references[kind];
        let target = rels
            .split("<Relationship ")
            .find(|r| r.contains(&format!("Id=\"{id}\"")))
            .and_then(|r| r.split("Target=\"").nth(1))
            .and_then(|t| t.split('"').next())
            .expect("footer relationship");
        let footer = &parts[&format!("word/{target}")];
        let xml = roxmltree::Document::parse(footer).expect("xml");
        let instr: String = xml
            .descendants()
            .filter(|n| n.has_tag_name((W, "instrText")))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(instr.trim(), "PAGE", "{kind} footer");
        assert_eq!(text(xml.root_element()), "— 1 —", "{kind} footer");
        let jc = xml
            .descendants()
            .find(|n| n.has_tag_name((W, "jc")))
            .and_then(|j| attr(j, "val"));
        assert_eq!(jc, Some(side), "{kind} footer");
    }
    assert_eq!(font(by_id("Footer")), ("宋体".to_owned(), 28), "4号 宋体");

    // The three tables, with the official merges, repeated headers, rows that do not split.
    let tables: Vec<ReadTable> = body
        .children()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .map(read_table)
        .collect();
    assert_eq!(tables.len(), 3);
    for t in &tables {
        assert_eq!(t.rows_that_split, 0);
    }
    let report = data::load(&std::fs::read_to_string(example("qingshan-2023.yaml")).expect("read"))
        .report
        .expect("report");

    // 二: four grid columns; a one-column block's figure spans the three figure columns.
    let active = &tables[0];
    assert_eq!(active.columns, 4);
    for (label, figure) in [
        ("行政许可", "5821"),
        ("行政处罚", "1204"),
        ("行政强制", "37"),
        ("行政事业性收费", "312.45"),
    ] {
        let row = active.rows.iter().find(|r| r[0] == label).expect("row");
        assert_eq!(row[1..], [figure, figure, figure], "{label}");
    }
    let rule = active
        .rows
        .iter()
        .find(|r| r[0] == "行政规范性文件")
        .expect("row");
    assert_eq!(rule[1..], ["7", "3", "41"]);

    // 三: ten grid columns, three header rows, the corner and the label blocks merged down.
    let applications = &tables[1];
    assert_eq!(applications.columns, 10);
    assert_eq!(applications.header_rows, 3);
    let merged: BTreeMap<&str, usize> = applications
        .vertical
        .iter()
        .map(|(t, n)| (t.as_str(), *n))
        .collect();
    assert_eq!(merged["三、本年度办理结果"], 22);
    assert_eq!(merged["（三）不予公开"], 8);
    assert_eq!(merged["（四）无法提供"], 3);
    assert_eq!(merged["（五）不予处理"], 5);
    assert_eq!(merged["（六）其他处理"], 3);
    assert_eq!(merged["自然人"], 2);
    assert_eq!(merged["总计"], 2);
    assert!(
        merged
            .keys()
            .any(|k| k.starts_with("（本列数据的勾稽关系为"))
    );
    let def = &e.applications;
    for (id, row) in def.data_rows() {
        let printed = applications
            .rows
            .iter()
            .find(|r| r[..3].contains(&row.label))
            .unwrap_or_else(|| panic!("{}", row.label));
        let expected: Vec<String> = (0..def.width())
            .map(|c| report.applications.value(id, c).expect("value").to_string())
            .collect();
        assert_eq!(printed[3..], expected[..], "{}", row.label);
    }

    // 四: fifteen columns of figures under three header rows.
    let appeals = &tables[2];
    assert_eq!((appeals.columns, appeals.header_rows), (15, 3));
    let expected: Vec<String> = e
        .appeals
        .data_rows()
        .flat_map(|(id, _)| (0..e.appeals.width()).map(move |c| (id.to_owned(), c)))
        .map(|(id, c)| report.appeals.value(&id, c).expect("value").to_string())
        .collect();
    assert_eq!(appeals.rows[3], expected);
}

#[test]
fn the_word_document_is_the_same_bytes_every_time_and_checks_against_itself() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.docx");
    let b = dir.path().join("b.docx");
    for path in [&a, &b] {
        render_to(&example("qingshan-2023.yaml"), path);
    }
    let bytes = std::fs::read(&a).expect("read");
    assert!(bytes.starts_with(b"PK"), "a zip package");
    assert_eq!(bytes, std::fs::read(&b).expect("read"));
    let check = |path: &Path| {
        nianbao()
            .arg("render")
            .arg(example("qingshan-2023.yaml"))
            .arg("--check")
            .arg(path)
            .output()
            .expect("runs")
    };
    assert_eq!(check(&a).status.code(), Some(0));
    std::fs::write(&b, &bytes[..bytes.len() - 1]).expect("write");
    assert_eq!(check(&b).status.code(), Some(1));
}

#[test]
fn the_output_format_follows_the_file_name_or_to_where_the_name_says_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let render = |name: &str, to: Option<&str>| -> Vec<u8> {
        let path = dir.path().join(name);
        let mut cmd = nianbao();
        cmd.arg("render").arg(example("qingshan-2023.yaml"));
        if let Some(to) = to {
            cmd.args(["--to", to]);
        }
        let out = cmd.arg("-o").arg(&path).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        std::fs::read(&path).expect("written")
    };
    assert!(render("r.html", None).starts_with(b"<!DOCTYPE html>"));
    assert!(render("r.HTM", None).starts_with(b"<!DOCTYPE html>"));
    assert!(render("r.md", None).starts_with("# 青山区".as_bytes()));
    assert!(render("r.docx", None).starts_with(b"PK"));
    assert!(render("r.txt", None).starts_with("# 青山区".as_bytes()));
    // --to decides where the extension says nothing; one that contradicts it is refused
    // (tests/render_guard.rs).
    assert!(render("r2.txt", Some("html")).starts_with(b"<!DOCTYPE html>"));
    assert!(render("r2.out", Some("docx")).starts_with(b"PK"));

    // Word to a pipe is fine (the harness's stdout is a pipe, never a terminal).
    let out = nianbao()
        .args(["render", "--to", "docx"])
        .arg(example("qingshan-2023.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"PK"));
}

#[test]
fn check_ignores_crlf_line_ends_but_not_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["r.md", "r.html"] {
        let path = dir.path().join(name);
        render_to(&example("qingshan-2023.yaml"), &path);
        let lf = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, lf.replace('\n', "\r\n")).expect("write");
        let check = || {
            nianbao()
                .arg("render")
                .arg(example("qingshan-2023.yaml"))
                .arg("--check")
                .arg(&path)
                .output()
                .expect("runs")
        };
        let out = check();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
        assert!(stderr(&out).contains("CRLF"), "{}", stderr(&out));
        std::fs::write(&path, lf.replace("5821", "5822").replace('\n', "\r\n")).expect("write");
        let out = check();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let diff = stdout(&out);
        assert_eq!(
            diff.lines()
                .filter(|l| l.starts_with('-') && !l.starts_with("---"))
                .count(),
            1,
            "{name}: only the changed line differs, not every line:\n{diff}"
        );
    }
}

/// The figure captions of an HTML page, tags removed: each chart's title and its figures.
fn captions(html: &str) -> Vec<String> {
    html.split("<figcaption>")
        .skip(1)
        .filter_map(|c| c.split("</figcaption>").next())
        .map(|c| {
            let mut text = String::new();
            let mut in_tag = false;
            for ch in c.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => text.push(ch),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

#[test]
fn charts_are_made_from_the_tables_and_keep_the_page_lint_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("charts.html");
    let out = nianbao()
        .arg("render")
        .arg(example("qingshan-2023.yaml"))
        .arg("--charts")
        .arg("--previous")
        .arg(fixture("qingshan-2022.yaml"))
        .arg("-o")
        .arg(&page)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).expect("written");
    assert_eq!(html.matches("<svg ").count(), 3);
    assert_eq!(html.matches("role=\"img\"").count(), 3);
    // The data, not the pixels: each chart's caption and text equivalent.
    let captions = captions(&html);
    insta::assert_snapshot!("charts-qingshan-2023", captions.join("\n"));
    // Every figure of the text equivalent is drawn as a label in the SVG.
    for (caption, svg) in captions.iter().zip(html.split("<svg ").skip(1)) {
        let svg = svg.split("</svg>").next().expect("svg");
        let (_, data) = caption.split_once('：').expect("a text equivalent");
        let figures = data
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty() && n.len() < 4);
        for n in figures {
            assert!(
                svg.contains(&format!(">{n}<")) || svg.contains(&format!(">\n{n}\n<")),
                "{n} not drawn in {caption}"
            );
        }
    }
    // Outcomes use the official categories and add up to （七）总计.
    assert!(captions[1].contains("予以公开44件") && captions[1].contains("其他处理5件"));
    let out = nianbao().arg("lint").arg(&page).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("0 个错误，0 个警告"),
        "{}",
        stdout(&out)
    );
    let out = nianbao().arg("extract").arg(&page).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Markdown has no charts, and says so.
    let out = nianbao()
        .arg("render")
        .arg(example("qingshan-2023.yaml"))
        .arg("--charts")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("不含图表"));
    assert!(!stdout(&out).contains("<svg"));
}

#[test]
fn charts_in_word_are_pictures_with_their_text_equivalent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("charts.docx");
    let out = nianbao()
        .arg("render")
        .arg(example("qingshan-2023.yaml"))
        .args(["--charts", "-o"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let parts = unzip_binary(&path);
    for n in [1, 2] {
        let png = &parts[&format!("word/media/chart{n}.png")];
        assert!(png.starts_with(b"\x89PNG"), "chart {n} is a PNG");
    }
    let xml = String::from_utf8(parts["word/document.xml"].clone()).expect("UTF-8");
    let doc = roxmltree::Document::parse(&xml).expect("xml");
    let pictures: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "docPr")
        .map(|n| {
            (
                n.attribute("name").unwrap_or(""),
                n.attribute("descr").unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        pictures,
        [
            (
                "图1",
                "自然人115件，商业企业6件，科研机构0件，社会公益组织0件，法律服务机构1件，其他2件。"
            ),
            (
                "图2",
                "予以公开44件，部分公开11件，不予公开11件，无法提供40件，不予处理11件，其他处理5件。"
            ),
        ]
    );
    let rels = String::from_utf8(parts["word/_rels/document.xml.rels"].clone()).expect("UTF-8");
    assert!(rels.contains("Target=\"media/chart1.png\""));
    let types = String::from_utf8(parts["[Content_Types].xml"].clone()).expect("UTF-8");
    assert!(types.contains("Extension=\"png\""));
}

/// The parts of a package as bytes (pictures are not text).
fn unzip_binary(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).expect("docx written");
    let mut archive = zip::ZipArchive::new(file).expect("a zip package");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read");
            (entry.name().expect("name").into_owned(), bytes)
        })
        .collect()
}

#[test]
fn word_is_never_written_to_a_terminal() {
    // util-linux `script` gives the program a terminal as stdout.
    let has_script = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("script").is_file()));
    if !has_script {
        skipped("no `script` (util-linux) to provide a terminal");
        return;
    }
    let binary = assert_cmd::cargo::cargo_bin("nianbao");
    let command = format!(
        "'{}' render '{}' --to docx",
        binary.display(),
        example("qingshan-2023.yaml").display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .expect("script runs");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{screen}");
    assert!(screen.contains("不写到终端"), "{screen}");
    assert!(
        !screen.contains("PK\u{3}\u{4}"),
        "no zip bytes on the screen"
    );
}

#[test]
fn the_signature_reads_back_as_the_publication_date_not_as_prose() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["r.md", "r.html"] {
        let path = dir.path().join(name);
        render_to(&example("qingshan-2023.yaml"), &path);
        let out = nianbao().arg("extract").arg(&path).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let back = data::load(&stdout(&out)).report.expect("report");
        assert_eq!(back.published.as_deref(), Some("2024-01-20"), "{name}");
        assert_eq!(
            back.prose.last().cloned().flatten().as_deref(),
            Some("本年度未收取信息处理费。"),
            "{name}"
        );
    }
}

/// The Word document reads back: `extract report.docx` gives the data file's figures, agency,
/// year, date and prose, and `lint report.docx` is clean — with and without charts, for both
/// editions.
#[test]
fn the_word_document_reads_back_as_its_data() {
    use nianbao::data;
    let dir = tempfile::tempdir().expect("tempdir");
    for (example, charts) in [
        ("qingshan-2023.yaml", false),
        ("qingshan-2023.yaml", true),
        ("shaoxing-2019.yaml", false),
    ] {
        let data_path = root().join("examples").join(example);
        let original = data::load(&std::fs::read_to_string(&data_path).expect("example"))
            .report
            .expect("example loads");
        let docx = dir.path().join(format!("{example}-{charts}.docx"));
        let mut render = nianbao();
        render.arg("render").arg(&data_path).arg("-o").arg(&docx);
        if charts {
            render.arg("--charts");
        }
        let out = render.output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

        let out = nianbao().arg("lint").arg(&docx).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{example}: {}", stdout(&out));
        assert!(
            stdout(&out).contains("0 个错误，0 个警告"),
            "{example}: {}",
            stdout(&out)
        );

        let out = nianbao().arg("extract").arg(&docx).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{example}: {}", stderr(&out));
        let back = data::load(&stdout(&out));
        assert!(!back.has_errors(), "{example}: {:?}", back.diagnostics);
        let back = back.report.expect("extracted data loads");
        assert_eq!(
            (back.year, back.agency.as_str(), back.published.as_deref()),
            (
                original.year,
                original.agency.as_str(),
                original.published.as_deref()
            ),
            "{example}"
        );
        let cells = |g: &nianbao::report::Grid| -> Vec<(String, Vec<Option<i64>>)> {
            g.rows
                .iter()
                .map(|(id, r)| {
                    (
                        id.clone(),
                        r.cells
                            .iter()
                            .map(|c| c.as_ref().map(|c| c.value))
                            .collect(),
                    )
                })
                .collect()
        };
        assert_eq!(
            cells(&back.applications),
            cells(&original.applications),
            "{example}"
        );
        assert_eq!(cells(&back.appeals), cells(&original.appeals), "{example}");
        assert_eq!(back.active, original.active, "{example}");
        assert_eq!(
            back.prose, original.prose,
            "{example}: prose comes back paragraph for paragraph"
        );
    }
}

/// Issue 19: each point of publishing read from the produced files.
fn stress() -> std::path::PathBuf {
    fixture("publish/stress.yaml")
}

/// `render ARGS`, which must succeed, as text.
fn rendered(args: &[&str]) -> String {
    let out = nianbao().arg("render").args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn bold_lead_ins_are_bold_in_word_html_and_markdown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = render_docx(&stress(), dir.path());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("XML");
    let para = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .find(|p| text(*p).starts_with("（二）依申请公开情况。"))
        .expect("the lead-in paragraph");
    let runs: Vec<(String, bool)> = para
        .children()
        .filter(|n| n.has_tag_name((W, "r")))
        .map(|r| {
            let bold = w(r, "rPr").and_then(|p| w(p, "b")).is_some();
            (text(r), bold)
        })
        .collect();
    assert_eq!(
        runs[0],
        ("（二）依申请公开情况。".to_owned(), true),
        "{runs:?}"
    );
    assert!(!runs[1].1 && runs[1].0.starts_with("全年共收到申请35227件"));
    assert!(!text(para).contains('*'));

    let html = rendered(&[stress().to_str().expect("path"), "--to", "html"]);
    assert!(html.contains("<strong>（二）依申请公开情况。</strong>全年共收到申请"));
    assert!(!html.contains("**"), "asterisks printed");

    // Markdown that a plain CommonMark renderer shows bold.
    let md = rendered(&[stress().to_str().expect("path"), "--to", "markdown"]);
    let mut plain = String::new();
    pulldown_cmark::html::push_html(&mut plain, pulldown_cmark::Parser::new(&md));
    assert!(
        plain.contains("<strong>（二）依申请公开情况。</strong>全年共收到申请"),
        "{md}"
    );
    assert!(!plain.contains("**"), "{plain}");
    // And lint, reading that Markdown back, finds nothing to warn about.
    let path = dir.path().join("r.md");
    std::fs::write(&path, &md).expect("write");
    let out = nianbao().arg("lint").arg(&path).output().expect("runs");
    assert!(!stdout(&out).contains("S006"), "{}", stdout(&out));
}

#[test]
fn lint_warns_where_a_markdown_draft_would_print_asterisks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let md = rendered(&[example("qingshan-2023.yaml").to_str().expect("path")]).replace(
        "全年通过区政府门户网站",
        "**（一）主动公开。**全年通过区政府门户网站",
    );
    let path = dir.path().join("draft.md");
    std::fs::write(&path, md).expect("write");
    let out = nianbao().arg("lint").arg(&path).output().expect("runs");
    let shown = stdout(&out);
    assert!(shown.contains("warning[S006]"), "{shown}");
    assert!(shown.contains("标点“。”之后、“全”之前"), "{shown}");
    let out = nianbao().args(["explain", "S006"]).output().expect("runs");
    assert!(stdout(&out).contains("CommonMark"), "{}", stdout(&out));
}

#[test]
fn word_has_a_28_character_grid_unclipped_pictures_and_unstretched_breaks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("r.docx");
    let out = nianbao()
        .arg("render")
        .arg(stress())
        .args(["--charts", "-o"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let parts = unzip_binary(&path);
    let xml = |name: &str| String::from_utf8(parts[name].clone()).expect("UTF-8");
    let document = xml("word/document.xml");
    let doc = roxmltree::Document::parse(&document).expect("XML");
    let grid = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "docGrid")))
        .expect("docGrid");
    assert_eq!(attr(grid, "type"), Some("linesAndChars"));
    assert_eq!(num(grid, "linePitch"), 579);
    // Word's pitch: 16 pt (the default size) + charSpace/4096 pt; 28 of them fill 156 mm.
    let pitch = 16.0 + num(grid, "charSpace") as f64 / 4096.0;
    let width = mm(156.0) as f64 / 20.0;
    assert_eq!((width / pitch).floor(), 28.0, "pitch {pitch}");
    assert_eq!(mm(225.0) / 579, 22);
    // Pictures sit in paragraphs with automatic line spacing, not the body's exact 28.95 pt.
    let pictures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .filter(|p| p.descendants().any(|n| n.has_tag_name((W, "drawing"))))
        .collect();
    assert_eq!(pictures.len(), 2);
    for p in pictures {
        let spacing = w(w(p, "pPr").expect("pPr"), "spacing").expect("own spacing");
        assert_eq!(attr(spacing, "lineRule"), Some("auto"));
        assert_eq!(num(spacing, "line"), 240);
    }
    // A line ended by a manual break is not stretched across the width.
    let settings = xml("word/settings.xml");
    let settings = roxmltree::Document::parse(&settings).expect("XML");
    assert!(
        settings
            .descendants()
            .any(|n| n.has_tag_name((W, "doNotExpandShiftReturn")))
    );
    assert!(
        document.contains("<w:br/>"),
        "the stress file has line breaks"
    );
}

#[test]
fn table_three_in_word_has_the_official_widths_and_text_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = render_docx(&stress(), dir.path());
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("XML");
    let table = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .find(|t| text(*t).contains("申请人情况"))
        .expect("table 三");
    let cols: Vec<f64> = w(table, "tblGrid")
        .expect("grid")
        .children()
        .filter(|n| n.has_tag_name((W, "gridCol")))
        .map(|c| num(c, "w") as f64)
        .collect();
    let total: f64 = cols.iter().sum();
    // The official template: 754, 921, 3271 and 7 × 685 of 9748.
    for (got, template) in cols.iter().zip([754.0, 921.0, 3271.0, 685.0]) {
        assert!((got / total - template / 9748.0).abs() < 0.002, "{cols:?}");
    }
    assert!(
        cols[2] / total > 0.32,
        "label column about a third: {cols:?}"
    );
    // Every cell in the table text style, which is 五号 (10.5 pt).
    let styles = roxmltree::Document::parse(&parts["word/styles.xml"]).expect("XML");
    let table_text = styles
        .descendants()
        .find(|n| n.has_tag_name((W, "style")) && attr(*n, "styleId") == Some("TableText"))
        .expect("TableText");
    let size = table_text
        .descendants()
        .find(|n| n.has_tag_name((W, "sz")))
        .expect("size");
    assert_eq!(num(size, "val"), 21);
    for p in table.descendants().filter(|n| n.has_tag_name((W, "p"))) {
        assert_eq!(style(p).as_deref(), Some("TableText"));
    }
}

/// The 落款's paragraphs: (text, jc, rightChars).
fn signature(parts: &BTreeMap<String, String>) -> Vec<(String, i64)> {
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("XML");
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .filter(|p| style(*p).as_deref() == Some("Signature"))
        .map(|p| {
            let ind = w(w(p, "pPr").expect("pPr"), "ind").expect("indent");
            (text(p), num(ind, "rightChars"))
        })
        .collect()
}

#[test]
fn the_signature_follows_gb_t_9704_in_characters() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 青山区人民政府 (7 characters) over 2024年1月20日 (6.5): the date would end 0.5 characters
    // in, so it goes two in and the name moves right to start two characters before it.
    let parts = render_docx(&example("qingshan-2023.yaml"), dir.path());
    assert_eq!(
        signature(&parts),
        [
            ("青山区人民政府".to_owned(), 350),
            ("2024年1月20日".to_owned(), 200)
        ]
    );
    // A longer name: the name two characters in, the date starting two characters after it.
    let base = std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example");
    let longer = dir.path().join("longer.yaml");
    std::fs::write(
        &longer,
        base.replace(
            "机关: 青山区人民政府",
            "机关: 青山区人民政府办公室政务公开科",
        ),
    )
    .expect("write");
    let parts = render_docx(&longer, dir.path());
    let sig = signature(&parts);
    assert_eq!(sig[0].1, 200);
    // Name start = 28 − 2 − 15; date start = 28 − rightChars − 6.5: two characters apart.
    let name_start = 28.0 - 2.0 - 15.0;
    let date_start = 28.0 - sig[1].1 as f64 / 100.0 - 6.5;
    assert_eq!(date_start - name_start, 2.0, "{sig:?}");
    // No 发布日期: one paragraph, and a warning.
    let undated = dir.path().join("undated.yaml");
    std::fs::write(&undated, base.replace("发布日期: 2024-01-20\n", "")).expect("write");
    let path = dir.path().join("undated.docx");
    let out = nianbao()
        .arg("render")
        .arg(&undated)
        .arg("-o")
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("警告：数据文件没有“发布日期”"),
        "{}",
        stderr(&out)
    );
    assert_eq!(signature(&unzip(&path)).len(), 1);
}

#[test]
fn the_html_fragment_carries_its_styles_inline() {
    let fragment = rendered(&[
        stress().to_str().expect("path"),
        "--to",
        "html",
        "--fragment",
    ]);
    assert!(
        !fragment.contains("<html") && !fragment.contains("<style") && !fragment.contains("<head")
    );
    let doc = roxmltree::Document::parse(&fragment).expect("the fragment is well-formed");
    let style_of = |n: roxmltree::Node| n.attribute("style").unwrap_or_default().to_owned();
    let tables: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("table"))
        .collect();
    assert_eq!(tables.len(), 3);
    for t in &tables {
        assert_eq!(t.attribute("border"), Some("1"));
        assert!(style_of(*t).contains("border-collapse:collapse"));
        let caption = t
            .children()
            .find(|n| n.has_tag_name("caption"))
            .expect("caption");
        assert!(caption.text().is_some_and(|c| c.ends_with("统计表")));
        for cell in t
            .descendants()
            .filter(|n| n.has_tag_name("td") || n.has_tag_name("th"))
        {
            let s = style_of(cell);
            assert!(s.contains("border:1px solid #000"), "{s}");
            assert!(s.contains("padding:"), "{s}");
            assert!(s.contains("text-align:"), "{s}");
            if cell.has_tag_name("td") {
                assert!(s.contains("white-space:nowrap"), "{s}");
            } else {
                assert!(cell.attribute("scope").is_some(), "th without scope");
            }
        }
        let scroll = t.parent().expect("wrapper");
        assert!(style_of(scroll).contains("overflow-x:auto"));
        for tr in t.descendants().filter(|n| n.has_tag_name("tr")) {
            assert!(style_of(tr).contains("page-break-inside:avoid"));
        }
    }
    // Row labels are row headers, column headers are column headers.
    assert!(fragment.contains("scope=\"row\""));
    assert!(fragment.contains("scope=\"col\""));
    // （四）平台建设 is a heading, in 楷体, not bold.
    let sub = doc
        .descendants()
        .find(|n| n.has_tag_name("h3"))
        .expect("a sub-heading");
    assert_eq!(sub.text(), Some("（四）平台建设"));
    assert!(style_of(sub).contains("楷体") && style_of(sub).contains("font-weight:normal"));
    // The 落款 right-aligned by inline style.
    let signature: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("p") && style_of(*n).contains("text-align:right"))
        .collect();
    assert_eq!(signature.len(), 2);
    assert!(
        signature[0]
            .text()
            .is_some_and(|t| t.starts_with("青山市江北新区"))
    );
    // The full page is still a page with its stylesheet.
    let page = rendered(&[stress().to_str().expect("path"), "--to", "html"]);
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<style>"));
    assert!(page.contains("white-space: nowrap"));
    // --fragment is HTML only.
    let out = nianbao()
        .arg("render")
        .arg(stress())
        .args(["--to", "markdown", "--fragment"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// The DOM after `script` ran in a page of `body`, by headless Chromium (killed after a minute).
fn dump_dom(chromium: &Path, dir: &Path, body: &str, script: &str) -> Option<String> {
    let page = dir.join("page.html");
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">{body}<pre id=\"result\"></pre><script>{script}</script></body></html>"
        ),
    )
    .ok()?;
    let mut child = std::process::Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .arg("--dump-dom")
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(&page)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let start = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() < std::time::Duration::from_secs(60) => {
                std::thread::sleep(std::time::Duration::from_millis(100))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    let start = out.find("<pre id=\"result\">")? + "<pre id=\"result\">".len();
    let end = out[start..].find("</pre>")? + start;
    Some(out[start..end].to_owned())
}

#[test]
fn the_pasted_fragment_draws_borders_and_keeps_figures_on_one_line_at_390_px() {
    let Some(chromium) = chromium() else {
        skipped("no chromium on PATH (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for data in [stress(), example("qingshan-2023.yaml")] {
        let fragment = rendered(&[data.to_str().expect("path"), "--to", "html", "--fragment"]);
        // A site page with no stylesheet of ours, 390 px wide like a phone.
        let body = format!("<div style=\"width:390px\">{fragment}</div>");
        let script = r#"
            const out = [];
            const cells = [...document.querySelectorAll('td, th')];
            const unbordered = cells.filter(c => {
                const s = getComputedStyle(c);
                return !(parseFloat(s.borderTopWidth) >= 1 && s.borderTopStyle === 'solid'
                    && parseFloat(s.borderLeftWidth) >= 1 && s.borderLeftStyle === 'solid');
            }).length;
            out.push('cells=' + cells.length, 'unbordered=' + unbordered);
            let wrapped = 0, figures = 0;
            for (const td of document.querySelectorAll('td')) {
                if (!td.textContent.trim()) continue;
                figures++;
                const range = document.createRange();
                range.selectNodeContents(td);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1 || td.scrollWidth > td.clientWidth + 1) wrapped++;
            }
            out.push('figures=' + figures, 'wrapped=' + wrapped);
            const scrolls = [...document.querySelectorAll('.table-scroll')]
                .filter(d => d.scrollWidth > d.clientWidth + 1).length;
            out.push('scrolling=' + scrolls);
            document.getElementById('result').textContent = out.join(' ');
        "#;
        let Some(result) = dump_dom(&chromium, dir.path(), &body, script) else {
            skipped("chromium did not run");
            return;
        };
        let field = |name: &str| -> usize {
            result
                .split(' ')
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} in {result:?}"))
        };
        assert!(field("cells") > 100, "{result}");
        assert_eq!(field("unbordered"), 0, "{}: {result}", data.display());
        assert!(field("figures") > 40, "{result}");
        assert_eq!(field("wrapped"), 0, "{}: {result}", data.display());
        if data == stress() {
            // Five-digit figures do not fit 390 px: the table scrolls instead of squeezing.
            assert!(field("scrolling") >= 1, "{result}");
        }
    }
}
