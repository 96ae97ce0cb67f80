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
        $crate::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` that returns an `io::Result` instead of panicking on a closed pipe.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::eprint(&format!("{}\n", format_args!($($arg)*)))
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

    #[test]
    fn a_closed_pipe_is_recognised_through_context() {
        let e = anyhow::Error::from(io::Error::from(io::ErrorKind::BrokenPipe)).context("写输出");
        assert!(is_closed_pipe(&e));
        assert!(!is_closed_pipe(&anyhow::anyhow!("别的错误")));
    }
}
