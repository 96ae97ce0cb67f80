//! Where nianbao's output goes: standard output, standard error, and the files a command writes.
//!
//! This module owns writing, never deciding what to write:
//!
//! - The two streams are written through functions that return errors instead of panicking
//!   (`println!` panics when the reader has gone). A closed pipe comes back as
//!   [`std::io::ErrorKind::BrokenPipe`]; [`is_closed_pipe`] recognises it anywhere in an error
//!   chain, and `cli::main` then ends the run quietly with status 0, as ripgrep does.
//! - Files are written whole or not at all: into a temporary file in the target's directory,
//!   flushed to disk, then renamed over the target (the `tempfile` crate). A write that fails
//!   half-way (disk full, quota) leaves the previous file as it was and no partial file behind.
//!   A target that is one of the command's own inputs — the same file after links are resolved
//!   (the `same-file` crate) — is refused before anything is written.
//! - A long JSON array inside a pretty-printed document (the findings of `lint --output-format
//!   json` or `sarif`) is written element by element as the elements come ([`PrettyArray`]),
//!   into the frame of the document cut at that array ([`split_at_array`]), so memory does not
//!   grow with the number of elements and the bytes are those `serde_json` would have written
//!   for the whole document at once.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> io::Result<()> {
    print_bytes(text.as_bytes())
}

/// Writes bytes (a rendered Word file) to standard output and flushes it.
pub fn print_bytes(data: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(data)?;
    out.flush()
}

/// Writes `text` to standard error.
pub fn eprint(text: &str) -> io::Result<()> {
    io::stderr().lock().write_all(text.as_bytes())
}

/// `println!` that returns an `io::Result` instead of panicking on a closed pipe.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that returns an `io::Result` instead of panicking on a closed pipe.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::eprint(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// Whether `error` (or anything in its chain) is a write to a pipe whose reader has gone.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("不能写入 {target}：它就是本命令读取的 {input}（会覆盖输入文件）；请换一个输出文件名")]
    OntoInput { target: String, input: String },
    /// The cause in Chinese, in one sentence with the user's file: the I/O error's own text
    /// would add `(os error 30)` and the temporary file's name, and printing it as a source
    /// would say it twice.
    #[error("无法写入 {path}：{}", crate::input::describe_io_error(.error))]
    Io { path: String, error: io::Error },
}

/// Writes `data` to `path` atomically, refusing to write onto any of `inputs`.
pub fn write_file(path: &Path, data: &[u8], inputs: &[&Path]) -> Result<(), WriteError> {
    write_file_with(path, inputs, |file| file.write_all(data))
}

/// [`write_file`] with the content supplied by `fill`, which writes into the temporary file.
fn write_file_with(
    path: &Path,
    inputs: &[&Path],
    fill: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
) -> Result<(), WriteError> {
    for input in inputs {
        // Either path missing (the usual case for a new output) means they are not the same.
        if same_file::is_same_file(path, input).unwrap_or(false) {
            return Err(WriteError::OntoInput {
                target: path.display().to_string(),
                input: input.display().to_string(),
            });
        }
    }
    let io_error = |error: io::Error| WriteError::Io {
        path: path.display().to_string(),
        error,
    };
    // Through a symbolic link, replace the file it points to, not the link.
    let target = resolve_link(path);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".nianbao-").suffix(".tmp");
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(io_error(io::Error::new(
                io::ErrorKind::IsADirectory,
                "这是一个目录",
            )));
        }
        // The replacement keeps the permissions of the file it replaces.
        builder.permissions(meta.permissions());
    } else {
        // A new file gets what `std::fs::write` would give it: 0o666 less the umask.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
    }
    let mut temp = builder.tempfile_in(&dir).map_err(io_error)?;
    fill(temp.as_file_mut()).map_err(io_error)?;
    temp.as_file_mut().flush().map_err(io_error)?;
    temp.as_file().sync_all().map_err(io_error)?;
    temp.persist(&target).map_err(|e| io_error(e.error))?;
    Ok(())
}

/// The elements of a JSON array `depth` levels deep in a pretty-printed document, written one
/// at a time exactly as `serde_json::to_writer_pretty` writes them inside the whole document
/// (two spaces an indent level). `head`, the document up to the array's `[`, is written before
/// the first element, or by [`finish`](Self::finish) when there is none.
pub struct PrettyArray<W: Write> {
    out: W,
    head: Option<Vec<u8>>,
    /// The indent of the elements (`depth + 1` levels).
    indent: Vec<u8>,
    count: usize,
}

impl<W: Write> PrettyArray<W> {
    pub fn new(out: W, depth: usize, head: impl Into<Vec<u8>>) -> Self {
        Self {
            out,
            head: Some(head.into()),
            indent: b"  ".repeat(depth + 1),
            count: 0,
        }
    }

    /// Writes one element.
    pub fn push(&mut self, value: &impl serde::Serialize) -> io::Result<()> {
        // `From` keeps the kind of an I/O error (a closed pipe must stay recognisable).
        let text = serde_json::to_vec_pretty(value).map_err(io::Error::from)?;
        self.push_pretty(&text)
    }

    /// Writes one element already pretty-printed (`serde_json::to_vec_pretty`'s text).
    pub fn push_pretty(&mut self, text: &[u8]) -> io::Result<()> {
        if let Some(head) = self.head.take() {
            self.out.write_all(&head)?;
        }
        self.out
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        // A pretty-printed value has raw line breaks only between its tokens (one inside a
        // string is escaped), so each line takes the array's indent: written with the line
        // break before it, the breaks found by memchr.
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text) {
            self.out.write_all(&self.indent)?;
            self.out.write_all(&text[start..=end])?;
            start = end + 1;
        }
        self.out.write_all(&self.indent)?;
        self.out.write_all(&text[start..])?;
        self.count += 1;
        Ok(())
    }

    /// Writes the head if no element did, and the closing bracket; returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(head) = self.head.take() {
            self.out.write_all(&head)?;
        }
        if self.count > 0 {
            self.out.write_all(b"\n")?;
            self.out
                .write_all(&self.indent[..self.indent.len().saturating_sub(2)])?;
        }
        self.out.write_all(b"]")?;
        Ok(self.out)
    }
}

/// Cuts a pretty-printed document at the empty array under `key`, whose line is indented
/// `depth` levels: the text up to and including its `[`, and the text after its `]`. `None`
/// when there is no such array.
pub fn split_at_array<'a>(
    document: &'a str,
    key: &str,
    depth: usize,
) -> Option<(&'a str, &'a str)> {
    // Raw line breaks occur only between tokens, so this line is the key itself, not text
    // inside some string.
    let line = format!(
        "\n{}{}: []",
        "  ".repeat(depth),
        serde_json::Value::from(key)
    );
    let at = document.find(&line)? + line.len() - 1;
    Some((&document[..at], &document[at + 1..]))
}

fn resolve_link(path: &Path) -> PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_write_that_fails_half_way_leaves_the_old_file_and_no_debris() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("report.md");
        std::fs::write(&path, "上一版报告\n").expect("write");
        let result = write_file_with(&path, &[], |file| {
            file.write_all("半个新报告".as_bytes())?;
            Err(io::Error::other("设备上没有空间"))
        });
        let err = result.expect_err("the failure is reported");
        assert!(err.to_string().contains("设备上没有空间"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "上一版报告\n"
        );
        assert_eq!(entries(dir.path()), ["report.md"], "no temporary file left");
    }

    #[test]
    fn a_complete_write_replaces_the_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("report.md");
        std::fs::write(&path, "old").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        write_file(&path, b"new", &[]).expect("writes");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert_eq!(entries(dir.path()), ["report.md"]);
    }

    #[test]
    fn writing_onto_an_input_is_refused_even_through_a_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data.yaml");
        std::fs::write(&data, "年度: 2023\n").expect("write");
        let err = write_file(&data, b"report", &[&data]).expect_err("refused");
        assert!(matches!(err, WriteError::OntoInput { .. }), "{err}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.yaml");
            std::os::unix::fs::symlink(&data, &link).expect("symlink");
            let err = write_file(&link, b"report", &[&data]).expect_err("refused");
            assert!(matches!(err, WriteError::OntoInput { .. }), "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(&data).expect("read"),
            "年度: 2023\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn through_a_link_the_linked_file_is_replaced_and_the_link_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        std::fs::write(&real, "old").expect("write");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_file(&link, b"new", &[]).expect("writes");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new");
    }

    /// A document written through [`PrettyArray`] in its frame is byte for byte the one
    /// `serde_json` writes whole, at any depth and with any number of elements.
    #[test]
    fn a_streamed_array_matches_the_whole_document() {
        for count in [0, 1, 3] {
            let items: Vec<serde_json::Value> = (0..count)
                .map(|i| {
                    serde_json::json!({"code": format!("T{i}"), "labels": [{"a": i, "b": []}],
                        "message": "含\"results\": []\n与换行"})
                })
                .collect();
            let whole = |items: Vec<serde_json::Value>| {
                serde_json::to_string_pretty(&serde_json::json!({
                    "a": 1,
                    "runs": [{"results": items, "tool": {"x": [1, 2]}}],
                }))
                .expect("serialises")
            };
            let expected = whole(items.clone());
            let frame = whole(Vec::new());
            let (head, tail) = split_at_array(&frame, "results", 3).expect("found");
            let mut array = PrettyArray::new(Vec::new(), 3, head);
            for item in &items {
                array.push(item).expect("writes");
            }
            let mut out = array.finish().expect("writes");
            out.extend_from_slice(tail.as_bytes());
            assert_eq!(String::from_utf8(out).expect("utf-8"), expected, "{count}");
            let back: serde_json::Value = serde_json::from_str(&expected).expect("parses");
            assert_eq!(
                back["runs"][0]["results"].as_array().map(Vec::len),
                Some(count)
            );
        }
        assert!(split_at_array("{}", "results", 1).is_none());
    }

    #[test]
    fn a_closed_pipe_is_recognised_through_context() {
        let e = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe)).context("写输出");
        assert!(is_closed_pipe(&e));
        assert!(!is_closed_pipe(&anyhow::anyhow!("别的错误")));
    }
}
