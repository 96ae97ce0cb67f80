//! Bytes → text: which encoding a text file is in, and the decoded text with a map back to the
//! file's bytes.
//!
//! Owns encodings only; nothing here knows what the text says. Detection goes, in order: a
//! byte-order mark (UTF-8, UTF-16LE, UTF-16BE); UTF-16 without one (NUL bytes on one side of
//! every pair); valid UTF-8; then the Chinese legacy encodings, GB18030 (GBK's superset) and
//! Big5, each checked for malformed bytes: the one that is well-formed wins, and when both are,
//! `chardetng`'s guess on the first 16 KB decides. A file nothing decodes is an error that lists
//! what was tried and where each failed. `--encoding NAME` (any WHATWG label, through `encoding_rs`) skips detection.
//!
//! Every decoded character keeps the file bytes it came from: [`Origin::Decoded`] holds an
//! [`OffsetMap`] from text offsets to file offsets, built in runs (a run of Chinese characters
//! decoded from GBK is one run, not one entry per character). Data files (YAML) are decoded by
//! the same [`decode`].

use encoding_rs::{BIG5, Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use super::{InputError, OffsetMap, Origin};

/// The encoding a label names (`GB18030`, `gbk`, `utf-16le` …: WHATWG labels), if any.
pub fn encoding_for(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
}

/// Decodes a text file's bytes. `forced` is the `--encoding` the user gave.
pub fn decode(
    name: &str,
    bytes: Vec<u8>,
    forced: Option<&str>,
) -> Result<(String, Origin), InputError> {
    if let Some(label) = forced {
        let encoding = encoding_for(label).ok_or_else(|| InputError::UnknownEncoding {
            name: label.to_owned(),
        })?;
        return decode_as(name, bytes, encoding);
    }
    let mut tried = Vec::new();
    if let Some((encoding, bom)) = bom(&bytes) {
        if encoding == UTF_8 {
            return utf8(bytes, bom).map_err(|at| InputError::Undecodable {
                path: name.to_owned(),
                tried: format!("UTF-8（有 BOM，第 {} 字节处无效）", at),
            });
        }
        return match strict(&bytes, bom, encoding) {
            Ok((text, map)) => Ok(decoded(text, encoding, map)),
            Err(at) => Err(InputError::Undecodable {
                path: name.to_owned(),
                tried: format!("{}（有 BOM，第 {at} 字节处无效）", encoding.name()),
            }),
        };
    }
    if let Some(encoding) = utf16_without_bom(&bytes) {
        match strict(&bytes, 0, encoding) {
            Ok((text, map)) if !binary(&text) => return Ok(decoded(text, encoding, map)),
            Ok(_) => tried.push(format!("{}（含有控制字符）", encoding.name())),
            Err(at) => tried.push(format!("{}（第 {at} 字节处无效）", encoding.name())),
        }
    }
    let bytes = match utf8_string(bytes) {
        Ok(text) if !binary(&text) => return Ok((text, Origin::Utf8 { bom: 0 })),
        Ok(text) => {
            tried.push("UTF-8（含有控制字符，像是二进制文件）".to_owned());
            text.into_bytes()
        }
        Err(e) => {
            tried.push(format!(
                "UTF-8（第 {} 字节处无效）",
                e.utf8_error().valid_up_to()
            ));
            e.into_bytes()
        }
    };
    // The Chinese legacy encodings: GB18030 (GBK's superset) and Big5, each checked for
    // malformed bytes without keeping its text. Much Big5 is also well-formed GB18030 (and the
    // other way round); then chardetng's guess on the first bytes decides.
    let gb = valid(&bytes, GB18030);
    let big5 = valid(&bytes, BIG5);
    let chosen = match (gb, big5) {
        (Ok(()), Ok(())) => Some(if guess_is_big5(&bytes) { BIG5 } else { GB18030 }),
        (Ok(()), Err(_)) => Some(GB18030),
        (Err(_), Ok(())) => Some(BIG5),
        (Err(a), Err(b)) => {
            tried.push(format!("GB18030/GBK（第 {a} 字节处无效）"));
            tried.push(format!("Big5（第 {b} 字节处无效）"));
            None
        }
    };
    if let Some(encoding) = chosen {
        match strict(&bytes, 0, encoding) {
            Ok((text, map)) if !binary(&text) => return Ok(decoded(text, encoding, map)),
            Ok(_) => tried.push(format!("{}（含有控制字符）", encoding.name())),
            Err(at) => tried.push(format!("{}（第 {at} 字节处无效）", encoding.name())),
        }
    }
    Err(InputError::Undecodable {
        path: name.to_owned(),
        tried: tried.join("、"),
    })
}

/// The encoding and length of a byte-order mark at the start of `bytes`.
fn bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        Some((UTF_8, 3))
    } else if bytes.starts_with(b"\xFF\xFE") {
        Some((UTF_16LE, 2))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((UTF_16BE, 2))
    } else {
        None
    }
}

fn decoded(text: String, encoding: &'static Encoding, map: OffsetMap) -> (String, Origin) {
    (
        text,
        Origin::Decoded {
            encoding: encoding.name(),
            map,
        },
    )
}

/// `String::from_utf8`, validated by simdutf8 first: most reports are UTF-8 and mostly Chinese,
/// where the standard library's check goes byte by byte (3.5% of a run's instructions); the
/// standard check runs only on invalid bytes, for its error (where the first invalid byte is).
fn utf8_string(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just validated `bytes` as UTF-8.
        return Ok(unsafe { String::from_utf8_unchecked(bytes) });
    }
    String::from_utf8(bytes)
}

/// UTF-8 after a byte-order mark of `bom` bytes; the offset of the first invalid byte if not.
fn utf8(mut bytes: Vec<u8>, bom: usize) -> Result<(String, Origin), usize> {
    bytes.drain(..bom.min(bytes.len()));
    utf8_string(bytes)
        .map(|text| (text, Origin::Utf8 { bom }))
        .map_err(|e| e.utf8_error().valid_up_to() + bom)
}

/// Decodes with the encoding the user named: strictly when the file is valid in it, otherwise
/// with a replacement character for each malformed sequence, unless there are so many that the
/// name must be wrong.
fn decode_as(
    name: &str,
    bytes: Vec<u8>,
    encoding: &'static Encoding,
) -> Result<(String, Origin), InputError> {
    let bom = match bom(&bytes) {
        Some((e, len)) if e == encoding => len,
        _ => 0,
    };
    if encoding == UTF_8 {
        let valid = std::str::from_utf8(&bytes[bom..]).is_ok();
        if valid {
            return utf8(bytes, bom).map_err(|at| wrong(name, encoding, at, 1));
        }
    }
    let first_error = match strict(&bytes, bom, encoding) {
        Ok((text, map)) => return Ok(decoded(text, encoding, map)),
        Err(at) => at,
    };
    let (text, map, replaced) = lossy(&bytes, bom, encoding);
    let chars = text.chars().count();
    if replaced > 10 && replaced * 100 > chars {
        return Err(wrong(name, encoding, first_error, replaced));
    }
    Ok(decoded(text, encoding, map))
}

fn wrong(name: &str, encoding: &'static Encoding, at: usize, count: usize) -> InputError {
    InputError::WrongEncoding {
        path: name.to_owned(),
        encoding: encoding.name().to_owned(),
        why: format!("第 {at} 字节起有 {count} 处无法解码"),
    }
}

/// Whether `bytes` are well-formed in `encoding`; the offset of the first malformed byte if
/// not. Decodes through a small buffer, so that checking a large file costs no memory.
fn valid(bytes: &[u8], encoding: &'static Encoding) -> Result<(), usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut buffer = String::with_capacity(64 * 1024);
    let mut at = 0;
    loop {
        buffer.clear();
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut buffer, true);
        at += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(()),
            encoding_rs::DecoderResult::OutputFull => {}
            encoding_rs::DecoderResult::Malformed(bad, extra) => {
                return Err(at.saturating_sub(usize::from(bad) + usize::from(extra)));
            }
        }
    }
}

/// chardetng's guess, on the first 16 KB, between the simplified (GBK) and traditional (Big5)
/// encodings. Only the start is read: the guess settles early, and chardetng reads a few MB a
/// second.
fn guess_is_big5(bytes: &[u8]) -> bool {
    const PREFIX: usize = 16 * 1024;
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // A prefix may end inside a character: not the last bytes, so that is not an error.
    detector.feed(&bytes[..bytes.len().min(PREFIX)], bytes.len() <= PREFIX);
    detector.guess(None, chardetng::Utf8Detection::Deny) == BIG5
}

/// UTF-16 without a byte-order mark: many NUL bytes, nearly all on the same side of their
/// pair (the ASCII characters, digits and line breaks of a report in UTF-16; a few Chinese
/// characters such as 一 U+4E00 have a NUL on the other side).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    // Text in UTF-8 or a legacy encoding has no zero byte at all (found at SIMD speed).
    memchr::memchr(0, sample)?;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let pairs = sample.len() / 2;
    if odd * 20 > pairs && even * 4 < odd {
        Some(UTF_16LE)
    } else if even * 20 > pairs && odd * 4 < even {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Text that holds control characters other than tab, line breaks and form feed is not a
/// report (a binary file that happens to decode).
fn binary(text: &str) -> bool {
    let sample = &text.as_bytes()[..text.len().min(1 << 20)];
    // Whole chunks folded without an early exit, so that the compiler checks many bytes at once.
    sample.chunks(256).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' && b != b'\x0C')
        })
    })
}

/// Decodes `bytes[start..]` strictly, with the exact map back to the bytes; the file offset of
/// the first malformed byte sequence if there is one.
fn strict(
    bytes: &[u8],
    start: usize,
    encoding: &'static Encoding,
) -> Result<(String, OffsetMap), usize> {
    let body = &bytes[start.min(bytes.len())..];
    let text = decode_strictly(body, encoding).map_err(|at| start + at)?;
    let map = match walk(bytes, start, encoding, &text) {
        Some(map) => map,
        // The encoding's byte structure did not line up with the decoder's output (it should):
        // map byte by byte instead.
        None => lossy(bytes, start, encoding).1,
    };
    Ok((text, map))
}

/// Decodes `body` without replacement; the offset of the first malformed sequence if there is
/// one. The text is decoded into room for one and a half times the bytes (what two-byte
/// Chinese characters take in UTF-8), grown a megabyte at a time if that is not enough:
/// encoding_rs touches every page of the room it is given, so room beyond need would count in
/// the process's memory.
fn decode_strictly(body: &[u8], encoding: &'static Encoding) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(body.len() / 2 * 3 + 64);
    let mut at = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&body[at..], &mut text, true);
        at += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => text.reserve_exact(1 << 20),
            encoding_rs::DecoderResult::Malformed(bad, extra) => {
                return Err(at.saturating_sub(usize::from(bad) + usize::from(extra)));
            }
        }
    }
    text.shrink_to_fit();
    Ok(text)
}

/// Maps a strictly decoded text back to its bytes by walking the encoding's byte sequences and
/// the decoded characters side by side. `None` for an encoding whose structure is not known
/// here, or if the two do not line up.
fn walk(bytes: &[u8], start: usize, encoding: &'static Encoding, text: &str) -> Option<OffsetMap> {
    let mut map = OffsetMap::default();
    // A run starts where the script changes (ASCII against the rest): reserve that many, so
    // that a large file's map is not built by doubling.
    let changes = text
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii() != w[1].is_ascii())
        .count();
    map.reserve(changes + 1);
    let mut chars = text.chars().peekable();
    let mut at = start;
    while at < bytes.len() {
        let len = sequence_len(encoding, &bytes[at..])?;
        let c = chars.next()?;
        let mut derived = c.len_utf8();
        // Four Big5 (HKSCS) codes decode to a letter and a combining mark.
        if encoding == BIG5
            && len == 2
            && bytes[at] == 0x88
            && matches!(c, '\u{CA}' | '\u{EA}')
            && let Some(&mark) = chars.peek()
            && matches!(mark, '\u{304}' | '\u{30C}')
        {
            chars.next();
            derived += mark.len_utf8();
        }
        if at + len > bytes.len() {
            return None;
        }
        map.unit(at, derived, len);
        at += len;
    }
    chars.next().is_none().then_some(map)
}

/// Length of the byte sequence that starts `rest` and decodes to one character.
fn sequence_len(encoding: &'static Encoding, rest: &[u8]) -> Option<usize> {
    let &first = rest.first()?;
    if encoding.is_single_byte() {
        return Some(1);
    }
    if encoding == UTF_16LE || encoding == UTF_16BE {
        let unit = if encoding == UTF_16LE {
            u16::from_le_bytes([first, *rest.get(1)?])
        } else {
            u16::from_be_bytes([first, *rest.get(1)?])
        };
        return Some(if (0xD800..0xDC00).contains(&unit) {
            4
        } else {
            2
        });
    }
    if encoding == GB18030 || encoding == GBK {
        return Some(match (first, rest.get(1)) {
            (..0x81, _) => 1,
            (0xFF, _) => return None,
            (_, Some(0x30..=0x39)) => 4,
            _ => 2,
        });
    }
    if encoding == BIG5 {
        return Some(if first < 0x80 { 1 } else { 2 });
    }
    if encoding == UTF_8 {
        return Some(match first {
            ..0x80 => 1,
            0xC0..0xE0 => 2,
            0xE0..0xF0 => 3,
            _ => 4,
        });
    }
    None
}

/// Decodes byte by byte, replacing malformed sequences, so that each character's bytes are
/// known whatever the encoding. Slower than [`walk`]; used for damaged files and encodings
/// whose structure `walk` does not know. Returns the text, its map, and how many replacements
/// were made.
fn lossy(bytes: &[u8], start: usize, encoding: &'static Encoding) -> (String, OffsetMap, usize) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len().saturating_mul(3) / 2);
    let mut map = OffsetMap::default();
    let mut replaced = 0;
    let mut pending = start;
    let step = decoder.max_utf8_buffer_length(1).unwrap_or(16).max(16);
    let mut emit = |text: &String, from: usize, pending: &mut usize, to: usize| {
        let new = &text[from..];
        let mut chars = new.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            map.unit(*pending, c.len_utf8(), to - *pending);
        } else {
            for c in new.chars() {
                map.replaced(c.len_utf8(), *pending..to);
            }
        }
        *pending = to;
    };
    for at in start..bytes.len() {
        text.reserve(step);
        let before = text.len();
        let (_, _, had_errors) = decoder.decode_to_string(&bytes[at..at + 1], &mut text, false);
        replaced += usize::from(had_errors);
        if text.len() > before {
            emit(&text, before, &mut pending, at + 1);
        }
    }
    text.reserve(step);
    let before = text.len();
    let (_, _, had_errors) = decoder.decode_to_string(&[], &mut text, true);
    replaced += usize::from(had_errors);
    if text.len() > before {
        emit(&text, before, &mut pending, bytes.len());
    }
    (text, map, replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "一、总体情况\r\n2019年，本机关收到申请 12 件。\n（一）予以公开\t3\t\u{3000}\n𠀀end";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        if encoding == UTF_16LE || encoding == UTF_16BE {
            let units = text.encode_utf16();
            return units
                .flat_map(|u| {
                    if encoding == UTF_16LE {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    }
                })
                .collect();
        }
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    /// Every character of the decoded text maps to exactly the bytes that encode it.
    fn assert_exact(bytes: &[u8], text: &str, origin: &Origin, encoding: &'static Encoding) {
        for (i, c) in text.char_indices() {
            let range = origin.file_range(i..i + c.len_utf8());
            let piece = &bytes[range.clone()];
            let (back, _) = encoding.decode_without_bom_handling(piece);
            assert_eq!(back, c.to_string(), "char {c:?} at {i} → bytes {range:?}");
        }
    }

    #[test]
    fn chinese_legacy_and_utf16_files_decode_with_an_exact_map() {
        let text = SAMPLE.replace('𠀀', "");
        for (encoding, with_bom) in [
            (GB18030, false),
            (UTF_16LE, true),
            (UTF_16BE, true),
            (UTF_16LE, false),
        ] {
            let sample = if encoding == GB18030 { SAMPLE } else { &text };
            let mut bytes = Vec::new();
            if with_bom {
                bytes.extend(if encoding == UTF_16LE {
                    b"\xFF\xFE"
                } else {
                    b"\xFE\xFF"
                });
            }
            bytes.extend(encode(encoding, sample));
            let (decoded, origin) = decode("t", bytes.clone(), None).expect("decodes");
            assert_eq!(decoded, sample, "{}", encoding.name());
            assert_exact(&bytes, &decoded, &origin, encoding);
            assert!(
                matches!(&origin, Origin::Decoded { map, .. } if map.runs() < sample.chars().count()),
                "{origin:?}"
            );
        }
    }

    #[test]
    fn big5_is_detected() {
        let traditional =
            "二、主動公開政府信息情況\n本機關收到申請十二件，予以公開三件。\n".repeat(3);
        let bytes = encode(BIG5, &traditional);
        let (decoded, origin) = decode("t", bytes.clone(), None).expect("decodes");
        assert_eq!(decoded, traditional);
        assert_eq!(origin.encoding(), "Big5");
        assert_exact(&bytes, &decoded, &origin, BIG5);
    }

    #[test]
    fn utf8_with_and_without_bom_is_read_as_it_is() {
        let (text, origin) = decode("t", "\u{feff}年报".into(), None).expect("utf-8");
        assert_eq!((text.as_str(), origin), ("年报", Origin::Utf8 { bom: 3 }));
        let (text, origin) = decode("t", "年报".into(), None).expect("utf-8");
        assert_eq!((text.as_str(), origin), ("年报", Origin::Utf8 { bom: 0 }));
    }

    #[test]
    fn forced_encodings_override_detection_and_unknown_names_are_errors() {
        let bytes = encode(GB18030, "年报");
        let (text, origin) = decode("t", bytes.clone(), Some("gbk")).expect("gbk");
        assert_eq!(text, "年报");
        assert_eq!(origin.encoding(), "GBK");
        let err = decode("t", bytes, Some("klingon")).expect_err("unknown");
        assert!(matches!(err, InputError::UnknownEncoding { .. }));
    }

    #[test]
    fn a_forced_encoding_tolerates_a_damaged_byte_but_not_a_wrong_name() {
        let mut bytes = encode(GB18030, &"本机关收到申请十二件。".repeat(20));
        bytes.push(0xFF);
        let (text, origin) = decode("t", bytes.clone(), Some("GB18030")).expect("lossy");
        assert!(text.ends_with('\u{FFFD}'));
        assert_exact(
            &bytes[..bytes.len() - 1],
            &text[..text.len() - 3],
            &origin,
            GB18030,
        );
        let err = decode("t", bytes, Some("UTF-8")).expect_err("not utf-8");
        assert!(matches!(err, InputError::WrongEncoding { .. }), "{err}");
    }

    #[test]
    fn undecodable_bytes_list_what_was_tried() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(2000).collect();
        let err = decode("x.txt", bytes, None).expect_err("garbage");
        let message = err.to_string();
        assert!(message.contains("UTF-8（第 128 字节处无效）"), "{message}");
        assert!(message.contains("Big5"), "{message}");
    }

    #[test]
    fn lossy_decoding_maps_each_character() {
        let bytes = encode(GB18030, SAMPLE);
        let (text, map, replaced) = lossy(&bytes, 0, GB18030);
        assert_eq!((text.as_str(), replaced), (SAMPLE, 0));
        let origin = Origin::Decoded {
            encoding: "gb18030",
            map,
        };
        assert_exact(&bytes, &text, &origin, GB18030);
    }
}
