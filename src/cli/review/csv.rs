//! The review as CSV files: the overview at the path given, each other sheet beside it as
//! `NAME-findings.csv`, `NAME-figures.csv`, `NAME-yoy.csv`, `NAME-totals.csv`. UTF-8 with a byte
//! order mark, so that Excel opens the Chinese correctly; quoting by the `csv` crate.

use std::path::{Path, PathBuf};

use super::Review;

/// The byte order mark Excel looks for.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Each sheet's file name (from the overview's `path`) and its bytes.
pub fn files(review: &Review, path: &Path) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut out = Vec::new();
    for sheet in review.sheets() {
        let mut writer = csv::Writer::from_writer(BOM.to_vec());
        writer.write_record(&sheet.headers)?;
        for row in sheet.rows {
            writer.write_record(row.iter().map(|v| v.shown().into_owned()))?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("无法写出 CSV：{}", e.error()))?;
        out.push((sheet_path(path, sheet.slug), bytes));
    }
    Ok(out)
}

/// `review.csv` + `findings` → `review-findings.csv`; the overview (empty slug) is `path`.
pub fn sheet_path(path: &Path, slug: &str) -> PathBuf {
    if slug.is_empty() {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}-{slug}.csv"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_named_after_the_overview() {
        let p = Path::new("out/review.csv");
        assert_eq!(sheet_path(p, ""), Path::new("out/review.csv"));
        assert_eq!(sheet_path(p, "yoy"), Path::new("out/review-yoy.csv"));
    }
}
