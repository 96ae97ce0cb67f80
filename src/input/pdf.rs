//! PDF → [`Document`], from the text poppler's `pdftotext -layout` makes of it (the mode that
//! keeps a table row on one line, its columns set apart by spaces).
//!
//! Owns what that text means: pages end at form feeds, and each page becomes a
//! [`Place::Page`] of the text view. Running `pdftotext` is a process, so it is the command
//! line's (`cli::pdftotext`, handed in as [`super::Options::pdf`]); without it a PDF is refused
//! with [`InputError::PdfNotReadHere`]. The view is the pages' text in order, form feeds
//! left out; its content is laid out like any text file's (the reading stage finds the labels
//! and the figures after them). A PDF with no text at all is a scan and is refused, never read
//! as an empty report; a missing `pdftotext` is said with the command that installs it.

use super::{Document, Format, InputError, Locus, Origin, Place, text};

/// The name `pdftotext` has on `os` (`std::env::consts::OS`): Poppler's Windows builds ship
/// `pdftotext.exe`, looked up on `PATH` like any program.
pub fn program_name(os: &str) -> &'static str {
    if os == "windows" {
        "pdftotext.exe"
    } else {
        "pdftotext"
    }
}

/// How to install Poppler's `pdftotext` on `os` (`std::env::consts::OS`).
pub fn install_hint(os: &str) -> &'static str {
    match os {
        "windows" => {
            "Windows 用 `scoop install poppler` 或 `choco install poppler`，或下载 Poppler 的 Windows 版（poppler-windows）后把其中的 Library\\bin 文件夹加入 PATH"
        }
        "macos" => "macOS 用 `brew install poppler`",
        _ => {
            "Debian/Ubuntu 用 `sudo apt-get install poppler-utils poppler-data`，Fedora 用 `sudo dnf install poppler-utils`，macOS 用 `brew install poppler`"
        }
    }
}

/// The document that `pdftotext -layout` output stands for: pages split at form feeds.
pub fn from_layout_text(name: &str, output: &str) -> Result<Document, InputError> {
    if output.chars().all(|c| c.is_whitespace()) {
        return Err(InputError::ScannedPdf {
            path: name.to_owned(),
        });
    }
    let mut view = String::with_capacity(output.len());
    let mut pages = Vec::new();
    let body = output.strip_suffix('\x0C').unwrap_or(output);
    for (i, page) in body.split('\x0C').enumerate() {
        let start = view.len();
        view.push_str(page);
        if !view.is_empty() && !view.ends_with('\n') {
            view.push('\n');
        }
        if view.len() > start {
            pages.push(Locus {
                span: start..view.len(),
                place: Place::Page { page: i + 1 },
            });
        }
    }
    let mut document = text::read(name, Format::Pdf, view, Origin::View);
    document.loci = pages;
    Ok(document)
}

#[cfg(test)]
mod tests {

    #[test]
    fn windows_looks_for_pdftotext_exe_and_says_how_to_install_it() {
        assert_eq!(program_name("windows"), "pdftotext.exe");
        assert_eq!(program_name("linux"), "pdftotext");
        assert_eq!(program_name("macos"), "pdftotext");
        let hint = install_hint("windows");
        assert!(
            hint.contains("scoop install poppler") && hint.contains("PATH"),
            "{hint}"
        );
        assert!(!hint.contains("apt-get"), "{hint}");
        assert!(install_hint("linux").contains("apt-get"));
        assert!(install_hint("macos").contains("brew"));
    }
    use super::*;

    #[test]
    fn pages_split_at_form_feeds_and_become_places() {
        let d = from_layout_text("r.pdf", "一、总体情况\n  正文\n\x0C二、主动公开\n\x0C")
            .expect("text");
        assert_eq!(d.text, "一、总体情况\n  正文\n二、主动公开\n");
        let second = d.text.find('二').expect("page 2");
        assert_eq!(d.place(second), Some(Place::Page { page: 2 }));
        assert_eq!(d.place(0), Some(Place::Page { page: 1 }));
        assert_eq!(d.format, Format::Pdf);
    }

    #[test]
    fn a_pdf_without_text_is_a_scan() {
        let err = from_layout_text("scan.pdf", "\n\x0C \n\x0C").expect_err("scan");
        assert!(matches!(err, InputError::ScannedPdf { .. }));
        assert!(err.to_string().contains("此PDF没有文字层"));
    }
}
