//! Issue 17, items 4 and 6: comments never change the reading, and findings point where the
//! fault is. Each test runs the binary on a fixture of `tests/fixtures/fault/` (made from the
//! project's own shaoxing-2019 example, rendered, with one defect planted).

mod common;

use common::{fixture, make, nianbao, stdout};
use serde_json::Value;

/// `lint --format json` on `path`: (exit code, findings).
fn findings(path: &std::path::Path) -> (i32, Vec<Value>) {
    let out = nianbao()
        .args(["lint", "--output-format", "json"])
        .arg(path)
        .output()
        .expect("runs");
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON output");
    let list = json["diagnostics"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap_or(-1), list)
}

fn codes(found: &[Value]) -> Vec<String> {
    found
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn first<'a>(found: &'a [Value], code: &str) -> &'a Value {
    found
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {found:#?}"))
}

/// A copy of a fixture with `from` replaced by `to`, in a temporary folder.
fn variant(name: &str, from: &str, to: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let text = std::fs::read_to_string(fixture(&format!("fault/{name}"))).expect("fixture");
    assert!(text.contains(from), "{from} not in {name}");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    (dir, path)
}

// ---------------------------------------------------------------------------------------------
// Item 4: comments between rows, inside a row, inside a cell. Word documents have no such
// comments (Word's own comments are not body text and are never read), so there is no docx case.

/// The planted 1375 → 1380 fails R1 (自然人 column) and R3 (its row); comments around the rows
/// of 表三 must not hide either, whatever the format.
#[test]
fn comments_in_a_table_do_not_split_it_in_any_text_format() {
    for name in [
        "comment-in-table.md",
        "comment-in-table.txt",
        "comment-in-table.html",
    ] {
        let (code, found) = findings(&fixture(&format!("fault/{name}")));
        assert_eq!(code, 1, "{name}: {found:#?}");
        assert_eq!(codes(&found), ["T101", "T103"], "{name}: {found:#?}");
    }
}

/// A suppression comment still applies to the row after it — in HTML, where a row runs over
/// several lines, to the whole next row.
#[test]
fn a_suppression_comment_before_a_row_silences_that_row_only() {
    for (name, row) in [
        (
            "comment-in-table.md",
            "| 一、本年新收政府信息公开申请数量 |",
        ),
        (
            "comment-in-table.txt",
            "| 一、本年新收政府信息公开申请数量 |",
        ),
        (
            "comment-in-table.html",
            "<tr>\n<th class=\"row-label\" colspan=\"3\">一、本年新收政府信息公开申请数量",
        ),
    ] {
        let (_dir, path) = variant(
            name,
            row,
            &format!("<!-- nianbao-disable-next-line T103 -->\n{row}"),
        );
        let (code, found) = findings(&path);
        assert_eq!(code, 1, "{name}: {found:#?}");
        assert_eq!(codes(&found), ["T101"], "{name}: {found:#?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Item 6: findings at the fault.

/// Line (1-based) of the primary label.
fn line(d: &Value) -> u64 {
    d["line"].as_u64().unwrap_or(0)
}

#[test]
fn a_missing_section_is_pointed_at_where_it_belongs() {
    let path = fixture("fault/missing-fifth.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let (code, found) = findings(&path);
    assert_eq!(code, 1);
    assert_eq!(codes(&found), ["S001"], "{found:#?}");
    let s001 = first(&found, "S001");
    // The heading of 六, which follows where 五 should be.
    let six = text
        .lines()
        .position(|l| l.starts_with("## 六、"))
        .expect("six");
    assert_eq!(line(s001) as usize, six + 1, "{s001:#?}");
    assert_eq!(s001["labels"][0]["message"], "此处应有第五部分");

    // The last section is missing: at the end of the text.
    let path = fixture("fault/missing-last.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let (_, found) = findings(&path);
    let s001 = first(&found, "S001");
    assert_eq!(
        line(s001) as usize,
        text.trim_end().lines().count(),
        "{s001:#?}"
    );
    assert_eq!(s001["labels"][0]["message"], "此处应有第六部分");
}

#[test]
fn a_misspelt_heading_is_a_nonstandard_title_not_a_missing_section() {
    let (code, found) = findings(&fixture("fault/title-typo.md"));
    assert_eq!(codes(&found), ["S004"], "{found:#?}");
    assert_eq!(code, 0, "S004 is a warning");
    assert_eq!(
        first(&found, "S004")["fix"],
        "四、政府信息公开行政复议、行政诉讼情况"
    );
}

#[test]
fn a_file_without_any_section_heading_gives_one_finding() {
    let (code, found) = findings(&fixture("fault/period-note.md"));
    assert_eq!(code, 1);
    assert_eq!(codes(&found), ["S001"], "{found:#?}");
    let message = first(&found, "S001")["message"].as_str().unwrap_or("");
    assert!(message.contains("没有找到任何部分标题"), "{message}");
}

/// One wrong cell (自然人 予以公开 615 → 651) fails R3 on its row and R2 on its column by the
/// same 36: the finding names that cell and the fix is 615 there, not 670 for the row's 总计.
#[test]
fn a_row_and_a_column_failing_by_the_same_amount_point_at_their_cell() {
    let path = fixture("fault/one-cell-off.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let (code, found) = findings(&path);
    assert_eq!(code, 1);
    assert_eq!(codes(&found), ["T103", "T102"], "{found:#?}");
    let r3 = first(&found, "T103");
    let message = r3["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("自然人列 （一）予以公开 一格可能有误"),
        "{message}"
    );
    assert_eq!(r3["fix"], "615");
    let start = r3["byte_start"].as_u64().expect("byte_start") as usize;
    assert_eq!(
        &text[start..start + 3],
        "651",
        "the primary label is the cell"
    );
    let r2 = first(&found, "T102");
    assert!(
        r2["notes"].as_array().is_some_and(|n| n.iter().any(|n| n
            .as_str()
            .is_some_and(|n| n.contains("（一）予以公开 一格可能有误")))),
        "{r2:#?}"
    );
    assert!(r2["fix"].is_null(), "{r2:#?}");
}

/// Where the row's 总计 and the grand total agree with each other but not with the cells, no
/// single cell is to blame: no fix.
#[test]
fn no_fix_where_the_evidence_is_ambiguous() {
    let (_dir, path) = variant(
        "one-cell-off.md",
        "|  | （七）总计 |  | 1334 | 24 | 5 | 3 | 8 | 9 | 1383 |",
        "|  | （七）总计 |  | 1370 | 24 | 5 | 3 | 8 | 9 | 1383 |",
    );
    // Now 自然人 balances (R2 holds with 651; R1 fails), and R3 on 予以公开 still fails while
    // the column of totals holds: the total is not the fault, nor is any single cell.
    let (_, found) = findings(&path);
    let r3 = first(&found, "T103");
    assert!(r3["fix"].is_null(), "{r3:#?}");
}

/// Word locations name the report's table: 表三 in the message, 表三 in the location, with
/// Word's own count beside it.
#[test]
fn word_locations_use_the_report_table_names() {
    let text = std::fs::read_to_string(fixture("fault/one-cell-off.md")).expect("fixture");
    // As Word: headings as plain paragraphs, the Markdown separator rows left out.
    let plain: String = text
        .lines()
        .filter(|l| !l.starts_with("| ---"))
        .map(|l| l.trim_start_matches("## "))
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.docx");
    std::fs::write(&path, make::docx_from_text(&plain)).expect("docx");
    let (_, found) = findings(&path);
    let r3 = first(&found, "T103");
    let location = r3["location"]["text"].as_str().unwrap_or("");
    assert!(location.starts_with("表三（第"), "{location}");
    assert!(location.contains("个表格）"), "{location}");
    // Table 三 is not Word's third table here: table 二 is several Word tables.
    assert!(!location.starts_with("表三（第3个"), "{location}");
}
