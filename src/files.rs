//! Reading the files users give: UTF-8 text (a byte-order mark dropped, anything else refused
//! with a message, never a crash), and telling data files from drafts.
//!
//! Shared by the command line, the corpus runner and `lint --previous`, so that every way a
//! file enters the program reads it alike.

use std::path::Path;

/// Reads a text file; invalid UTF-8 is an error, not a crash.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("无法读取 {}：{e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} 不是 UTF-8 文本（第 {} 字节处无效）；请先转换为 UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    // A byte-order mark is not part of the content.
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text))
}

/// A data file (`.yaml`, `.yml`) rather than a draft.
pub fn is_data_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml"))
}
