//! The review as one self-contained HTML dashboard: no network, no CDN — the styles and the
//! sorting script inline, the charts inline SVG drawn here. The overview table sorts by any
//! column (click a header, or open the page with `#sort=N` / `#sort=-N` for column N, 0-based);
//! charts show the findings by family and by agency and the jurisdiction's totals over the
//! years; each agency links to its findings.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::sheets::{Value, overview_headers, overview_row};
use super::{FAMILIES, Finding, KEY_FIGURES, Review, agency_key, severity_word, show_number};

/// Agencies the by-agency chart shows at most (the most findings first).
const TOP_AGENCIES: usize = 30;
/// The figures the totals chart draws per year (indexes into [`KEY_FIGURES`]).
const TOTALS_CHARTED: [usize; 3] = [0, 8, 9];
const SERIES_COLOURS: [&str; 3] = ["#4472c4", "#ed7d31", "#a5a5a5"];

/// Text made safe for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em;color:#222}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}h3{font-size:1em}\
table{border-collapse:collapse;font-size:.85em}th,td{border:1px solid #ccc;padding:.2em .4em;white-space:nowrap}\
th{background:#dde4ee;cursor:pointer;position:sticky;top:0}td.n{text-align:right}\
tr[data-status=有错误] td.status{background:#ffc7ce}tr[data-status=无法读取] td.status{background:#f4b6c2}\
tr[data-status=有警告] td.status{background:#ffeb9c}tr[data-status=无问题] td.status{background:#c6efce}\
.charts{display:flex;flex-wrap:wrap;gap:2em}.charts figure{margin:0}svg text{font-size:11px}\
.wrap{overflow-x:auto;max-height:80vh}";

const SCRIPT: &str = r#"(function(){
var table=document.getElementById('overview');
function key(td,numeric){var t=td?td.textContent:'';if(!numeric)return t;if(t==='')return -Infinity;return parseFloat(t);}
function sortBy(col,desc){
  var th=table.tHead.rows[0].cells[col];if(!th)return;
  var numeric=th.getAttribute('data-type')==='number';
  var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
  rows.sort(function(a,b){var x=key(a.cells[col],numeric),y=key(b.cells[col],numeric);
    var r=numeric?(x-y):(x<y?-1:(x>y?1:0));return desc?-r:r;});
  rows.forEach(function(r){body.appendChild(r);});
  table.setAttribute('data-sorted',(desc?'-':'')+col);
}
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
  th.addEventListener('click',function(){var s=table.getAttribute('data-sorted');sortBy(i,s===String(i));});
});
var m=/sort=(-?)(\d+)/.exec(location.hash);if(m){sortBy(parseInt(m[2],10),m[1]==='-');}
document.body.setAttribute('data-ready','1');
})();"#;

/// The dashboard's text.
pub fn dashboard(review: &Review) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>政府信息公开工作年度报告审阅</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>政府信息公开工作年度报告审阅</h1>\n"
    );
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &review.rows {
        *by_status.entry(row.status.word()).or_default() += 1;
    }
    let late = review
        .rows
        .iter()
        .filter(|r| r.on_time() == Some(false))
        .count();
    let _ = writeln!(
        out,
        "<p id=\"summary\">共 <b>{}</b> 份报告：{}；逾期发布 {late} 份；问题 {} 条。</p>",
        review.rows.len(),
        by_status
            .iter()
            .map(|(s, n)| format!("{s} {n} 份"))
            .collect::<Vec<_>>()
            .join("，"),
        review.findings.len()
    );
    let anchors = agency_anchors(&review.findings);
    out.push_str("<h2>图表</h2>\n<div class=\"charts\">\n");
    out.push_str(&family_chart(review));
    out.push_str(&agency_chart(review, &anchors));
    out.push_str(&totals_chart(review));
    out.push_str("</div>\n");
    overview(&mut out, review, &anchors);
    totals_table(&mut out, review);
    findings(&mut out, review, &anchors);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// Each agency with findings (by its normalised name) and its section's anchor, in the order
/// of the findings list.
fn agency_anchors(findings: &[Finding]) -> BTreeMap<String, String> {
    let mut anchors = BTreeMap::new();
    for f in findings {
        let key = f.agency.as_deref().map(agency_key).unwrap_or_default();
        let n = anchors.len();
        anchors.entry(key).or_insert_with(|| format!("agency-{n}"));
    }
    anchors
}

fn overview(out: &mut String, review: &Review, anchors: &BTreeMap<String, String>) {
    out.push_str("<h2>概览</h2>\n<div class=\"wrap\"><table id=\"overview\">\n<thead><tr>");
    let headers = overview_headers();
    // Column types from the first rows' values: a column of numbers sorts as numbers.
    for (c, h) in headers.iter().enumerate() {
        let numeric = c >= 9 || c == 2 || c == 3;
        let _ = write!(
            out,
            "<th data-type=\"{}\">{}</th>",
            if numeric { "number" } else { "text" },
            escape(h)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &review.rows {
        let _ = write!(
            out,
            "<tr data-status=\"{}\" data-file=\"{}\">",
            row.status.word(),
            escape(&row.file)
        );
        for (c, value) in overview_row(row).iter().enumerate() {
            let class = match (c, value) {
                (7, _) => " class=\"status\"",
                (_, Value::Number(_)) => " class=\"n\"",
                _ => "",
            };
            let text = escape(&value.shown());
            let anchor = (c == 1)
                .then(|| row.agency_key().unwrap_or_default())
                .and_then(|k| anchors.get(&k));
            match anchor {
                Some(a) if row.errors + row.warnings + row.infos > 0 => {
                    let _ = write!(out, "<td{class}><a href=\"#{a}\">{text}</a></td>");
                }
                _ => {
                    let _ = write!(out, "<td{class}>{text}</td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn totals_table(out: &mut String, review: &Review) {
    out.push_str(
        "<h2>合计</h2>\n<div class=\"wrap\"><table id=\"totals\">\n<thead><tr><th>数字</th>",
    );
    let totals = review.totals();
    let mut years: Vec<i32> = totals.iter().map(|t| t.year).collect();
    years.dedup();
    for y in &years {
        let _ = write!(out, "<th>{y}年度</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for figure in KEY_FIGURES {
        let _ = write!(out, "<tr><td>{}</td>", escape(figure.header));
        for y in &years {
            let t = totals
                .iter()
                .find(|t| t.year == *y && t.figure == figure.header);
            match t {
                Some(t) => {
                    let _ = write!(
                        out,
                        "<td class=\"n\" title=\"{} 份报告中 {} 份计入\">{}</td>",
                        t.reports,
                        t.counted,
                        show_number(t.sum)
                    );
                }
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn findings(out: &mut String, review: &Review, anchors: &BTreeMap<String, String>) {
    out.push_str("<h2>问题清单（按机关）</h2>\n");
    let mut current: Option<String> = None;
    for f in &review.findings {
        let key = f.agency.as_deref().map(agency_key).unwrap_or_default();
        if current.as_ref() != Some(&key) {
            if current.is_some() {
                out.push_str("</tbody></table></section>\n");
            }
            let anchor = anchors.get(&key).map_or("", String::as_str);
            let name = f.agency.as_deref().unwrap_or("（未识别机关）");
            let _ = write!(
                out,
                "<section class=\"agency\" id=\"{anchor}\"><h3>{}</h3>\n<table><thead><tr>\
                 <th>文件</th><th>行</th><th>位置</th><th>代码</th><th>级别</th><th>说明</th>\
                 </tr></thead><tbody>\n",
                escape(name)
            );
            current = Some(key);
        }
        let _ = writeln!(
            out,
            "<tr class=\"finding\"><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.file),
            f.line,
            escape(&f.place),
            escape(&f.code),
            severity_word(f.severity),
            escape(&f.message)
        );
    }
    if current.is_some() {
        out.push_str("</tbody></table></section>\n");
    }
}

/// A horizontal bar chart: one bar per (label, value, link).
fn bar_chart(id: &str, title: &str, bars: &[(String, f64, Option<String>)]) -> String {
    let label_width = bars
        .iter()
        .map(|(l, _, _)| super::display_width(l))
        .max()
        .unwrap_or(4)
        .clamp(4, 40) as f64
        * 6.5;
    let bar_area = 260.0;
    let height = 24.0 + bars.len() as f64 * 20.0;
    let width = label_width + bar_area + 60.0;
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1.0);
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" \
         width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">\n",
        escape(title),
        escape(title)
    );
    for (i, (label, value, link)) in bars.iter().enumerate() {
        let y = 12.0 + i as f64 * 20.0;
        let w = value / max * bar_area;
        let text = format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_width - 4.0,
            y + 12.0,
            escape(label)
        );
        match link {
            Some(href) => {
                let _ = write!(svg, "<a href=\"#{href}\">{text}</a>");
            }
            None => svg.push_str(&text),
        }
        let _ = writeln!(
            svg,
            "<rect class=\"bar\" data-label=\"{}\" data-value=\"{}\" x=\"{label_width:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"15\" fill=\"#4472c4\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            escape(label),
            show_number(*value),
            y + 2.0,
            label_width + w + 4.0,
            y + 12.0,
            show_number(*value)
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

fn family_chart(review: &Review) -> String {
    let names = [
        "数据文件",
        "部分",
        "统计表",
        "年份",
        "交叉核对",
        "文件与注释",
    ];
    let bars: Vec<(String, f64, Option<String>)> = FAMILIES
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let n: usize = review.rows.iter().map(|r| r.families[i]).sum();
            (format!("{f} {}", names[i]), n as f64, None)
        })
        .collect();
    bar_chart("chart-family", "问题数（按检查类别）", &bars)
}

fn agency_chart(review: &Review, anchors: &BTreeMap<String, String>) -> String {
    let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for f in &review.findings {
        let key = f.agency.as_deref().map(agency_key).unwrap_or_default();
        let name = f
            .agency
            .clone()
            .unwrap_or_else(|| "（未识别机关）".to_owned());
        counts.entry(key).or_insert((name, 0)).1 += 1;
    }
    let mut ranked: Vec<(String, (String, usize))> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.1.cmp(&a.1.1).then_with(|| a.0.cmp(&b.0)));
    let bars: Vec<(String, f64, Option<String>)> = ranked
        .into_iter()
        .take(TOP_AGENCIES)
        .map(|(key, (name, n))| (name, n as f64, anchors.get(&key).cloned()))
        .collect();
    bar_chart("chart-agency", "问题数（按机关，前30个）", &bars)
}

/// Grouped vertical bars: per year, the charted totals.
fn totals_chart(review: &Review) -> String {
    let totals = review.totals();
    let mut years: Vec<i32> = totals.iter().map(|t| t.year).collect();
    years.dedup();
    let value = |year: i32, figure: usize| {
        totals
            .iter()
            .find(|t| t.year == year && t.figure == KEY_FIGURES[figure].header)
            .map_or(0.0, |t| t.sum)
    };
    let max = years
        .iter()
        .flat_map(|y| TOTALS_CHARTED.iter().map(move |f| (*y, *f)))
        .map(|(y, f)| value(y, f))
        .fold(0.0, f64::max)
        .max(1.0);
    let group = 30.0 * TOTALS_CHARTED.len() as f64 + 30.0;
    let (plot_h, top, left) = (180.0, 40.0, 10.0);
    let width = left + group * years.len().max(1) as f64 + 10.0;
    let height = top + plot_h + 24.0;
    let mut svg = format!(
        "<figure><figcaption>本辖区合计（按年度）</figcaption><svg id=\"chart-totals\" class=\"chart\" \
         xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" role=\"img\" aria-label=\"本辖区合计\">\n"
    );
    for (s, f) in TOTALS_CHARTED.iter().enumerate() {
        let _ = write!(
            svg,
            "<rect x=\"{:.0}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.0}\" y=\"15\">{}</text>",
            left + s as f64 * 110.0,
            SERIES_COLOURS[s],
            left + s as f64 * 110.0 + 14.0,
            escape(KEY_FIGURES[*f].header)
        );
    }
    for (g, year) in years.iter().enumerate() {
        let x0 = left + g as f64 * group;
        for (s, f) in TOTALS_CHARTED.iter().enumerate() {
            let v = value(*year, *f);
            let h = v / max * plot_h;
            let _ = write!(
                svg,
                "<rect class=\"bar\" data-year=\"{year}\" data-label=\"{}\" data-value=\"{}\" x=\"{:.1}\" y=\"{:.1}\" width=\"26\" height=\"{h:.1}\" fill=\"{}\"><title>{year}年度 {}：{}</title></rect>",
                escape(KEY_FIGURES[*f].header),
                show_number(v),
                x0 + s as f64 * 30.0,
                top + plot_h - h,
                SERIES_COLOURS[s],
                escape(KEY_FIGURES[*f].header),
                show_number(v)
            );
        }
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
            x0 + 45.0,
            top + plot_h + 16.0
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }

    #[test]
    fn the_page_needs_no_network() {
        let page = dashboard(&Review::default());
        // The only address is the SVG namespace, which is a name, not a request.
        assert_eq!(
            page.matches("http").count(),
            page.matches("http://www.w3.org/2000/svg").count()
        );
        assert!(!page.contains("<link"));
        assert!(!page.contains("src="), "no external script or image");
        assert!(page.contains("<svg id=\"chart-family\""));
    }
}
