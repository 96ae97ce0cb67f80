//! The fingerprint nianbao records in a Word file it writes, so that rendering again over a
//! file that was edited since (reviewed in Word, with tracked changes) can be refused.
//!
//! The fingerprint is a 64-bit FNV-1a hash of the document part (`word/document.xml`) as
//! written, kept in a custom document property (`docProps/custom.xml`, which Word shows under
//! File → Properties → Custom and keeps when it saves). Any edit saved by Word rewrites the
//! document part, so the hash no longer matches.

use std::io::Read;

/// The custom property's name.
pub const PROPERTY: &str = "nianbao-fingerprint";

/// The fingerprint of a document part's bytes: `fnv1a64:` and 16 hex digits.
pub fn of(document_xml: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in document_xml {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("fnv1a64:{hash:016x}")
}

/// The `docProps/custom.xml` part holding `fingerprint`.
pub fn custom_part(fingerprint: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <property fmtid=\"{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}\" pid=\"2\" name=\"{PROPERTY}\">\
         <vt:lpwstr>{fingerprint}</vt:lpwstr></property></Properties>"
    )
}

/// What an existing `.docx` says about whether nianbao may replace it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Written by nianbao and not changed since.
    Unchanged,
    /// Written by nianbao, then changed (edited and saved in Word, say).
    Changed,
    /// No fingerprint: not written by nianbao, written by an older version, or not a Word file.
    Unrecorded,
}

/// The state of an existing Word file's bytes.
pub fn state(docx: &[u8]) -> State {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(docx)) else {
        return State::Unrecorded;
    };
    let Some(recorded) = read_part(&mut zip, "docProps/custom.xml").and_then(|x| recorded(&x))
    else {
        return State::Unrecorded;
    };
    match read_part(&mut zip, "word/document.xml") {
        Some(document) if of(&document) == recorded => State::Unchanged,
        _ => State::Changed,
    }
}

fn read_part(zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut file = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The fingerprint recorded in a custom properties part, if any.
fn recorded(custom_xml: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(custom_xml);
    let mut inside = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "property" => {
                inside = e
                    .attributes()
                    .flatten()
                    .any(|a| a.key.local_name().as_ref() == "name" && *a.value == *PROPERTY);
            }
            Event::Text(t) if inside => {
                let text = t.xml10_content().trim().to_owned();
                if !text.is_empty() {
                    return Some(text);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "property" => inside = false,
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_property_reads_back() {
        let part = custom_part(&of(b"<w:document/>"));
        assert_eq!(recorded(part.as_bytes()), Some(of(b"<w:document/>")));
        assert_eq!(recorded(b"<Properties/>"), None);
    }

    #[test]
    fn fingerprints_differ_with_content() {
        assert_ne!(of(b"a"), of(b"b"));
        assert_eq!(of(b""), "fnv1a64:cbf29ce484222325");
    }

    #[test]
    fn bytes_that_are_not_a_word_file_are_unrecorded() {
        assert_eq!(state(b"not a zip"), State::Unrecorded);
    }
}
