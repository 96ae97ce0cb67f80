//! The input stage through `input::read` / `input::from_bytes`: encodings, Word and PDF files
//! as a user hands them over, read into the same document their text originals make.

mod common;

use std::path::Path;
use std::process::Command;

use common::make;
use common::{SEEDS, reference, seed, skipped};
use nianbao::input::{self, BLANK_CELL, Document, Format, InputError, Options, Place};
use proptest::prelude::*;

/// Bytes read as the command line reads them (PDF through its `pdftotext`).
fn read_bytes(name: &str, bytes: Vec<u8>) -> Result<Document, InputError> {
    let options = Options {
        pdf: Some(nianbao::cli::pdftotext::read),
        ..Options::default()
    };
    input::from_bytes(name, Format::from_path(Path::new(name)), bytes, &options)
}

fn original(name: &str) -> String {
    std::fs::read_to_string(seed(name)).expect("seed sample")
}

/// Whether `pdftotext` can be run; announces the skip when not.
fn have_pdftotext() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        skipped("pdftotext is not installed (apt-get install poppler-utils poppler-data)");
    }
    ok
}

// ---------------------------------------------------------------------------------------------
// Encodings

#[test]
fn seed_samples_in_gb18030_and_utf16_decode_to_their_utf8_text_with_exact_byte_offsets() {
    for name in SEEDS {
        let text = original(name);
        let utf8 = read_bytes(name, text.clone().into_bytes()).expect("utf-8");
        let encodings: Vec<(&str, Vec<u8>)> = vec![
            ("gb18030", make::legacy(&text, encoding_rs::GB18030)),
            ("UTF-16LE", make::utf16(&text, true)),
            ("UTF-16BE", make::utf16(&text, false)),
        ];
        for (label, bytes) in encodings {
            let doc = read_bytes(name, bytes.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_eq!(doc.text, text, "{name} in {label}");
            assert_eq!(doc.content(), utf8.content(), "{name} in {label}");
            assert_eq!(doc.tables, utf8.tables, "{name} in {label}");
            // chardetng names a simplified-Chinese legacy file GBK; GB18030 is decoded alike.
            let named = doc.origin.encoding().replace("GBK", "gb18030");
            assert_eq!(named, label, "{name}");
            // Every character's file range holds exactly that character's bytes.
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).expect("label");
            for (i, c) in doc.text.char_indices() {
                let range = doc.origin.file_range(i..i + c.len_utf8());
                let (back, _) = encoding.decode_without_bom_handling(&bytes[range.clone()]);
                assert_eq!(
                    back,
                    c.to_string(),
                    "{name} {label}: {c:?} at {i} → {range:?}"
                );
            }
        }
    }
}

#[test]
fn a_traditional_report_in_big5_is_detected() {
    // The traditional-script seed, less the few characters Big5 cannot hold.
    let text: String = original("fuzhou-office-2020-traditional.txt")
        .chars()
        .filter(|c| {
            let (_, _, unmappable) = encoding_rs::BIG5.encode(&c.to_string());
            !unmappable
        })
        .collect();
    let doc = read_bytes("f.txt", make::legacy(&text, encoding_rs::BIG5)).expect("big5");
    assert_eq!(doc.origin.encoding(), "Big5");
    assert_eq!(doc.text, text);
}

#[test]
fn encoding_can_be_forced_and_a_file_nothing_decodes_says_what_was_tried() {
    let text = original("shaoxing-2019.txt");
    let options = Options {
        encoding: Some("GBK".to_owned()),
        ..Options::default()
    };
    let gbk = make::legacy(&text, encoding_rs::GB18030);
    let doc = input::from_bytes("s.txt", Some(Format::Text), gbk, &options).expect("forced");
    assert_eq!(doc.text, text);

    let garbage: Vec<u8> = (0u32..4000)
        .map(|i| (i * 7919 % 251) as u8 | 0x80)
        .collect();
    let err = read_bytes("g.txt", garbage).expect_err("undecodable");
    let message = err.to_string();
    assert!(matches!(err, InputError::Undecodable { .. }));
    for tried in ["UTF-8", "Big5", "--encoding"] {
        assert!(message.contains(tried), "{message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Word

const NUMBERING: &str = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;

fn numbered(text: &str, level: usize) -> String {
    format!(
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}</w:p>",
        make::run(text)
    )
}

/// A small 2021-edition report of our own, laid out as Word lays out the official template:
/// numbered headings, tracked changes, a field, and tables with merged and blank cells.
fn word_report() -> Vec<u8> {
    use make::{cell, para, row, table};
    let n = |v: &str| cell(v, 1, None);
    let applicants = |label: &str, merge: Option<&str>, values: [&str; 7]| {
        let mut cells = Vec::new();
        if let Some(m) = merge {
            cells.push(cell(
                if m == "restart" {
                    "三、本年度办理结果"
                } else {
                    ""
                },
                1,
                Some(m),
            ));
            cells.push(cell(label, 2, None));
        } else {
            cells.push(cell(label, 3, None));
        }
        cells.extend(values.iter().map(|v| n(v)));
        row(&cells, 0)
    };
    let body = [
        para("某县审计局2023年政府信息公开工作年度报告"),
        numbered("总体情况", 0),
        numbered("主动公开", 1),
        format!(
            "<w:p>{}<w:ins w:id=\"1\" w:author=\"a\">{}</w:ins><w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>11</w:delText></w:r></w:del>{}</w:p>",
            make::run("本年度共主动公开政府信息"),
            make::run("12"),
            make::run("条。")
        ),
        format!(
            "<w:p>{}<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> DOCPROPERTY 年度 </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>{}</w:p>",
            make::run("统计期限为"),
            make::run("2023"),
            make::run("年1月1日至12月31日。")
        ),
        numbered("主动公开政府信息情况", 0),
        table(
            4,
            &[
                row(&[cell("第二十条第（一）项", 4, None)], 0),
                row(&[n("信息内容"), n("本年制发件数"), n("本年废止件数"), n("现行有效件数")], 0),
                row(&[n("规章"), n("\u{3000}\u{3000}"), n(""), n("0")], 0),
                row(&[n("行政规范性文件"), n("3"), n("1"), n("25")], 0),
                row(&[n("行政许可"), cell("7", 2, None)], 1),
            ],
        ),
        numbered("收到和处理政府信息公开申请情况", 0),
        table(
            10,
            &[
                row(
                    &[
                        cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, Some("restart")),
                        cell("申请人情况", 7, None),
                    ],
                    0,
                ),
                row(
                    &[
                        cell("", 3, Some("continue")),
                        cell("自然人", 1, Some("restart")),
                        cell("法人或其他组织", 5, None),
                        cell("总计", 1, Some("restart")),
                    ],
                    0,
                ),
                row(
                    &[
                        cell("", 3, Some("continue")),
                        cell("", 1, Some("continue")),
                        n("商业\n企业"),
                        n("科研机构"),
                        n("社会公益组织"),
                        n("法律服务机构"),
                        n("其他"),
                        cell("", 1, Some("continue")),
                    ],
                    0,
                ),
                applicants("一、本年新收政府信息公开申请数量", None, ["5", "1", "0", "0", "0", "0", "6"]),
                applicants("（一）予以公开", Some("restart"), ["3", "\u{3000}", "", "", "", "", "3"]),
                applicants("（二）部分公开", Some("continue"), ["2", "1", "0", "0", "0", "0", "3"]),
            ],
        ),
        numbered("政府信息公开行政复议、行政诉讼情况", 0),
        para("本年度无行政复议、行政诉讼。"),
    ]
    .concat();
    make::docx(&body, Some(NUMBERING))
}

#[test]
fn word_paragraphs_read_with_numbering_insertions_and_field_results() {
    let doc = read_bytes("report.docx", word_report()).expect("docx");
    assert_eq!(doc.format, Format::Docx);
    let lines: Vec<&str> = doc.text.lines().collect();
    assert_eq!(lines[1], "一、总体情况");
    assert_eq!(lines[2], "（一）主动公开");
    assert_eq!(
        lines[3], "本年度共主动公开政府信息12条。",
        "insertion kept, deletion dropped"
    );
    assert_eq!(
        lines[4], "统计期限为2023年1月1日至12月31日。",
        "field result, not instruction"
    );
    assert_eq!(lines[5], "二、主动公开政府信息情况", "numbering continues");
    assert!(doc.text.contains("\n三、收到和处理政府信息公开申请情况\n"));
    assert!(
        doc.content()
            .contains("\n四、政府信息公开行政复议、行政诉讼情况\n")
    );
    // Places: the 4th non-empty paragraph is the tracked-change line.
    let at = doc.text.find("本年度共").expect("para");
    assert_eq!(
        doc.location(at..at + 3),
        Some(Place::Paragraph { paragraph: 4 })
    );
    assert_eq!(Place::Paragraph { paragraph: 4 }.describe(), "第4段");
}

#[test]
fn word_tables_are_rebuilt_on_the_grid_with_merged_and_blank_cells() {
    let doc = read_bytes("report.docx", word_report()).expect("docx");
    assert_eq!(doc.tables.len(), 2);
    let grid = |t: usize| -> Vec<Vec<(usize, usize, usize, bool)>> {
        doc.tables[t]
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (c.column, c.colspan, c.rowspan, c.blank))
                    .collect()
            })
            .collect()
    };
    let first = grid(0);
    assert_eq!(first[0], [(0, 4, 1, false)]);
    // 规章: a cell of full-width spaces and an empty cell are both blank cells.
    assert_eq!(
        first[2],
        [
            (0, 1, 1, false),
            (1, 1, 1, true),
            (2, 1, 1, true),
            (3, 1, 1, false)
        ]
    );
    // w:gridBefore: the row starts in the second grid column.
    assert_eq!(first[4], [(1, 1, 1, false), (2, 2, 1, false)]);

    let second = grid(1);
    assert_eq!(second[0], [(0, 3, 3, false), (3, 7, 1, false)]);
    assert_eq!(
        second[1],
        [(3, 1, 2, false), (4, 5, 1, false), (9, 1, 2, false)]
    );
    assert_eq!(
        second[2].iter().map(|c| c.0).collect::<Vec<_>>(),
        [4, 5, 6, 7, 8]
    );
    assert_eq!(
        second[4][0],
        (0, 1, 2, false),
        "三、本年度办理结果 spans two rows"
    );
    assert_eq!(
        second[5][0],
        (1, 2, 1, false),
        "the continuation is not a new cell"
    );
    assert_eq!(
        second[4].iter().map(|c| c.3).collect::<Vec<_>>(),
        [false, false, false, true, true, true, true, true, false]
    );
    let cell_text = |t: usize, r: usize, c: usize| {
        let cell = &doc.tables[t].rows[r].cells[c];
        doc.content()[cell.content.clone()].to_owned()
    };
    assert_eq!(
        cell_text(1, 2, 0),
        "商业企业",
        "a cell's lines joined without a space"
    );
    assert_eq!(cell_text(1, 4, 4), BLANK_CELL.to_string());
    assert_eq!(cell_text(1, 3, 1), "5");

    // The text view: one row per line, cells separated by " | ".
    assert!(
        doc.text.contains("\n规章 | \u{3000}\u{3000} |   | 0\n"),
        "{}",
        doc.text
    );
    assert!(
        doc.text
            .contains("\n一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6\n")
    );
    // Where a figure is, for people.
    let five = doc.tables[1].rows[3].cells[1].span.clone();
    assert_eq!(&doc.text[five.clone()], " | 5");
    let place = doc.location(five).expect("place");
    assert_eq!(
        place,
        Place::Cell {
            table: 2,
            row: 4,
            column: 4,
            report_table: None
        }
    );
    assert_eq!(place.describe(), "第2个表格 第4行第4列");
}

#[test]
fn tables_inside_tables_do_not_lose_the_report() {
    use make::{cell, para, row, table};
    // A one-cell layout table around the report, and a table nested in a figure table's cell.
    let inner = table(2, &[row(&[cell("甲", 1, None), cell("乙", 1, None)], 0)]);
    let figures = table(
        2,
        &[row(
            &[
                cell("规章", 1, None),
                format!("<w:tc>{}{inner}</w:tc>", para("注")),
            ],
            0,
        )],
    );
    let layout = table(
        1,
        &[row(
            &[format!(
                "<w:tc>{}{figures}{}</w:tc>",
                para("一、总体情况"),
                para("正文")
            )],
            0,
        )],
    );
    let doc = read_bytes("n.docx", make::docx(&layout, None)).expect("docx");
    assert_eq!(doc.text, "一、总体情况\n规章 | 注甲乙\n正文\n");
    assert_eq!(doc.tables.len(), 1);
    assert_eq!(doc.tables[0].rows[0].cells.len(), 2);
    assert_eq!(doc.location(0..1), Some(Place::Paragraph { paragraph: 1 }));
}

#[test]
fn a_word_version_of_each_seed_sample_has_the_text_lines_of_the_original() {
    for name in SEEDS {
        let text = original(name);
        let doc = read_bytes("r.docx", make::docx_from_text(&text)).expect("docx");
        let view: Vec<&str> = doc.text.lines().collect();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(view.len(), lines.len(), "{name}");
        for (i, (v, l)) in view.iter().zip(&lines).enumerate() {
            if !l.contains('|') {
                assert_eq!(v, l, "{name} line {}", i + 1);
            }
        }
    }
}

#[test]
fn old_binary_word_files_are_refused_with_the_way_out() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    for name in ["report.doc", "report.wps", "report.docx", "report.txt"] {
        let err = read_bytes(name, ole.clone()).expect_err("old format");
        assert!(matches!(err, InputError::OldWordFormat { .. }), "{name}");
        assert!(
            err.to_string()
                .contains("请在 Word/WPS 中另存为 .docx 后再检查"),
            "{err}"
        );
    }
}

#[test]
fn broken_word_packages_are_errors_that_say_so() {
    let no_document = {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        out.start_file("hello.txt", zip::write::SimpleFileOptions::default())
            .expect("entry");
        std::io::Write::write_all(&mut out, "你好".as_bytes()).expect("write");
        out.finish().expect("finish").into_inner()
    };
    let truncated = {
        let mut full = word_report();
        full.truncate(full.len() / 2);
        full
    };
    let malformed = make::docx("<w:p><w:r><w:t>未闭合</w:r></w:p>", None);
    for (what, bytes) in [
        ("no document", no_document),
        ("truncated", truncated),
        ("malformed xml", malformed),
        ("not a zip", b"PK\x03\x04 not really".to_vec()),
    ] {
        match read_bytes("x.docx", bytes) {
            Err(InputError::BadDocx { why, .. }) => assert!(!why.is_empty(), "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
}

#[test]
fn the_official_blank_template_reads_as_a_2021_report_with_every_figure_cell_blank() {
    let Some(path) = reference("official-template-2021.docx") else {
        return;
    };
    let doc = nianbao::cli::files::read_document(&path, &Options::default()).expect("template");
    let lines: Vec<&str> = doc.text.lines().map(str::trim).collect();
    for heading in [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ] {
        assert!(lines.contains(&heading), "{heading} missing");
    }
    for label in [
        "本年制发件数",
        "（七）总计",
        "四、结转下年度继续办理",
        "未经复议直接起诉",
    ] {
        assert!(doc.content().contains(label), "{label} missing");
    }
    assert_eq!(doc.tables.len(), 3);
    let blank: Vec<usize> = doc
        .tables
        .iter()
        .map(|t| {
            t.rows
                .iter()
                .flat_map(|r| &r.cells)
                .filter(|c| c.blank)
                .count()
        })
        .collect();
    // Table 二: 规章 and 行政规范性文件 three each, four one-figure rows; table 三: 25 rows of
    // seven; table 四: fifteen.
    assert_eq!(blank, [10, 175, 15]);
    // No cell holds a figure.
    for t in &doc.tables {
        for c in t.rows.iter().flat_map(|r| &r.cells) {
            let text = doc.content()[c.content.clone()].trim();
            assert!(
                c.blank || !text.chars().all(|ch| ch.is_ascii_digit() || ch == '.'),
                "cell {text:?} reads as a figure"
            );
        }
    }
    // Every cell has its place.
    let last = doc.tables[2].rows[3].cells[14].span.clone();
    assert_eq!(
        doc.location(last),
        Some(Place::Cell {
            table: 3,
            row: 4,
            column: 15,
            report_table: None
        })
    );
}

// ---------------------------------------------------------------------------------------------
// PDF

#[test]
fn a_pdf_made_from_a_seed_sample_reads_as_its_text_page_by_page() {
    if !have_pdftotext() {
        return;
    }
    for name in ["shaoxing-2019.txt", "fuzhou-office-2020-traditional.txt"] {
        let text = original(name);
        let lines: Vec<&str> = text.lines().collect();
        let doc = read_bytes("r.pdf", make::pdf(&lines)).expect("pdf");
        assert_eq!(doc.format, Format::Pdf);
        let view: Vec<&str> = doc.text.lines().map(str::trim).collect();
        let want: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
        assert_eq!(view, want, "{name}");
        // Line 51 is the first of page 2.
        let second = doc
            .text
            .lines()
            .take(50)
            .map(|l| l.len() + 1)
            .sum::<usize>();
        assert_eq!(
            doc.location(second..second + 1),
            Some(Place::Page { page: 2 })
        );
        assert_eq!(Place::Page { page: 2 }.describe(), "第2页");
    }
}

#[test]
fn a_scanned_pdf_is_refused_not_passed() {
    if !have_pdftotext() {
        return;
    }
    let err = read_bytes("scan.pdf", make::scanned_pdf()).expect_err("scan");
    assert!(matches!(err, InputError::ScannedPdf { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("此PDF没有文字层（可能是扫描件），请先进行文字识别（OCR）")
    );
}

#[test]
fn a_broken_pdf_is_an_error() {
    if !have_pdftotext() {
        return;
    }
    let err = read_bytes("x.pdf", b"%PDF-1.4\nnothing here".to_vec()).expect_err("broken");
    assert!(
        matches!(
            err,
            InputError::BadPdf { .. } | InputError::ScannedPdf { .. }
        ),
        "{err}"
    );
}

#[test]
fn without_pdftotext_the_message_says_how_to_install_it() {
    let err =
        nianbao::cli::pdftotext::read_with("r.pdf", make::scanned_pdf(), "/nonexistent/pdftotext")
            .expect_err("missing tool");
    assert!(matches!(err, InputError::PdfToolMissing));
    let message = err.to_string();
    assert!(
        message.contains("apt-get install poppler-utils poppler-data"),
        "{message}"
    );
    assert!(message.contains("brew install poppler"), "{message}");
}

#[test]
fn the_published_huaian_pdf_reads_as_its_layout_extraction() {
    let (Some(pdf), Some(layout)) = (
        reference("huaian-2024.pdf"),
        reference("huaian-2024-pdftotext-layout.txt"),
    ) else {
        return;
    };
    if !have_pdftotext() {
        return;
    }
    let doc = nianbao::cli::files::read_document(&pdf, &Options::default()).expect("pdf");
    let extraction = std::fs::read_to_string(layout).expect("layout text");
    assert_eq!(doc.text, extraction.replace('\x0C', ""));
    assert_eq!(doc.loci.len(), 6, "six pages");
}

// ---------------------------------------------------------------------------------------------
// Nothing a user hands over makes the reader panic.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_read_as_text_markdown_html_or_word_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        zip_header in any::<bool>(),
        format in 0usize..4,
    ) {
        let mut bytes = bytes;
        if zip_header {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let name = ["a.txt", "a.md", "a.html", "a.docx"][format];
        let _ = read_bytes(name, bytes);
    }

    #[test]
    fn any_word_body_never_panics(body in "(<w:(p|r|t|tbl|tr|tc|tcPr|vMerge|gridSpan w:val=\"[0-9]{1,4}\"|del|ins|fldChar w:fldCharType=\"(begin|separate|end)\"|br|tab)/?>|</w:(p|r|t|tbl|tr|tc|tcPr|del|ins)>|[一二三0-9 　]){0,60}") {
        let _ = read_bytes("a.docx", make::docx(&body, Some(NUMBERING)));
    }
}

#[test]
fn any_bytes_read_as_pdf_never_panic() {
    if !have_pdftotext() {
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(12));
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..400), |tail| {
            let mut bytes = b"%PDF-1.4\n".to_vec();
            bytes.extend(tail);
            let _ = read_bytes("a.pdf", bytes);
            Ok(())
        })
        .expect("no panic");
}
