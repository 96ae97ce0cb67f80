//! No injected script: text from a data file, however hostile, cannot add markup, links with
//! dangerous targets, or structure to a rendered report, in any output. Every text field of the
//! data file is tried with every string of a hostile corpus, through the real binary.

mod common;

use common::*;
use pulldown_cmark::{Event, Options, Parser, Tag};

/// Strings that try to open HTML, script, links, images or Markdown structure.
const CORPUS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">点我</a>",
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我](java&#9;script:alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD4=)",
    "[点我](vbscript:msgbox(1))",
    "![图](javascript:alert(1))",
    "![图](data:image/svg+xml,<svg/onload=alert(1)>)",
    "<javascript:alert(1)>",
    "](javascript:alert(1))",
    "`代码` ```围栏```",
    "正文\n# 注入的标题",
    "正文\n\n## 二、主动公开政府信息情况",
    "正文\n===",
    "| 伪 | 表 |\n| --- | --- |\n| 1 | 2 |",
    "<!-- nianbao-disable -->",
    "&lt;script&gt;",
    "控制\u{1}字符\u{7f}",
    "- 列表\n1. 编号",
];

/// A data file from the bundled example with `field` set to `value`.
fn data_file(field: &str, value: &str) -> String {
    let base = std::fs::read_to_string(example("qingshan-2023.yaml")).expect("example");
    // A JSON string is a valid YAML double-quoted scalar, whatever it contains.
    let quoted = serde_json::to_string(value).expect("json");
    match field {
        "机关" => base.replace("机关: 青山区人民政府", &format!("机关: {quoted}")),
        "发布日期" => base.replace("发布日期: 2024-01-20", &format!("发布日期: {quoted}")),
        section => {
            // 正文 rewritten: plain text in the required sections, the hostile value in one.
            let start = base.find("正文:\n").expect("正文");
            let end = base.find("主动公开:\n").expect("表二");
            let mut prose = String::from("正文:\n");
            for key in ["总体情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
            {
                if key != section {
                    prose.push_str(&format!("  {key}: 本部分的正文。\n"));
                }
            }
            prose.push_str(&format!("  {section}: {quoted}\n"));
            format!("{}{prose}{}", &base[..start], &base[end..])
        }
    }
}

const FIELDS: &[&str] = &[
    "机关",
    "发布日期",
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
];

/// Renders, or `None` when the loader refuses the value (a newline in a single-line field is
/// an error there, with a D code).
fn render(data: &str, format: &str) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("data.yaml");
    std::fs::write(&path, data).expect("write");
    let out = nianbao()
        .args(["render", "--to", format])
        .arg(&path)
        .output()
        .expect("runs");
    match out.status.code() {
        Some(0) => Some(out.stdout),
        Some(1) if stderr(&out).contains("D0") => None,
        other => panic!("{other:?}: {}\n{data}", stderr(&out)),
    }
}

fn dangerous(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "data:", "vbscript:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// The Markdown has no HTML, no dangerous link or image, exactly one `#` heading (the title),
/// the six official `##` headings and the three official tables.
fn check_markdown(markdown: &str, case: &str) {
    let mut h2 = Vec::new();
    let mut h1 = 0;
    let mut tables = 0;
    let mut in_h2 = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => panic!("{case}: raw HTML {h:?}"),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                assert!(!dangerous(&dest_url), "{case}: {dest_url}");
            }
            Event::Start(Tag::Heading { level, .. }) => match level {
                pulldown_cmark::HeadingLevel::H1 => h1 += 1,
                pulldown_cmark::HeadingLevel::H2 => {
                    in_h2 = true;
                    h2.push(String::new());
                }
                other => panic!("{case}: a {other:?} heading"),
            },
            Event::End(pulldown_cmark::TagEnd::Heading(_)) => in_h2 = false,
            Event::Text(t) if in_h2 => h2.last_mut().expect("heading").push_str(&t),
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::BlockQuote(_) | Tag::CodeBlock(_)) => {
                panic!("{case}: new block structure")
            }
            _ => {}
        }
    }
    assert_eq!(h1, 1, "{case}: one title");
    assert_eq!(
        h2,
        [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项"
        ],
        "{case}"
    );
    assert_eq!(tables, 3, "{case}: the three official tables only");
}

/// Every tag in the HTML is one the renderer writes, no attribute is an event handler, and
/// every link and image target is safe.
fn check_html(html: &str, case: &str) {
    const TAGS: &[&str] = &[
        "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span",
        "div", "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "a", "img", "em",
        "strong", "ul", "ol", "li", "br", "code", "h3", "caption",
    ];
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        assert!(TAGS.contains(&name), "{case}: tag <{tag}>");
        let lower = tag.to_ascii_lowercase();
        for attribute in lower.split_whitespace().skip(1) {
            assert!(!attribute.starts_with("on"), "{case}: handler in <{tag}>");
            for key in ["href=", "src="] {
                if let Some(value) = attribute.strip_prefix(key) {
                    assert!(!dangerous(value.trim_matches('"')), "{case}: <{tag}>");
                }
            }
        }
        rest = &after[end.min(after.len())..];
    }
    assert_eq!(html.matches("<h1>").count(), 1, "{case}");
    assert_eq!(html.matches("<h2>").count(), 6, "{case}");
    assert_eq!(html.matches("<table").count(), 3, "{case}");
}

#[test]
fn hostile_text_in_any_field_adds_no_markup_or_structure() {
    let mut rendered = 0;
    for field in FIELDS {
        for value in CORPUS {
            let case = format!("{field} = {value:?}");
            let data = data_file(field, value);
            if let Some(md) = render(&data, "markdown") {
                check_markdown(&String::from_utf8(md).expect("UTF-8"), &case);
                rendered += 1;
            }
            if let Some(html) = render(&data, "html") {
                check_html(&String::from_utf8(html).expect("UTF-8"), &case);
            }
            if let Some(docx) = render(&data, "docx") {
                check_docx(&docx, &case);
            }
        }
    }
    // Most cases render (only newlines in single-line fields may be refused by the loader).
    assert!(rendered > FIELDS.len() * CORPUS.len() / 2, "{rendered}");
}

/// The Word document's XML is well formed and its headings are the official ones.
fn check_docx(bytes: &[u8], case: &str) {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("document")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{case}: {e}"));
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let headings: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .filter(|p| {
            p.descendants().any(|n| {
                n.has_tag_name((W, "pStyle")) && n.attribute((W, "val")) == Some("Heading1")
            })
        })
        .map(|p| {
            p.descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect()
        })
        .collect();
    assert_eq!(headings.len(), 6, "{case}: {headings:?}");
    assert!(
        doc.descendants().all(|n| !n.has_tag_name((W, "hyperlink"))),
        "{case}"
    );
}
