//! Running poppler's `pdftotext -layout -enc UTF-8 - -` on a PDF's bytes, with a time limit,
//! for the input stage's PDF reader (`input::pdf`, which owns what the text means). A missing
//! program is said with the command that installs it.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::input::pdf::program_name;
use crate::input::{Document, InputError, pdf};

/// The program, overridable for tests and unusual installs (`NIANBAO_PDFTOTEXT=/path/to/it`).
fn program() -> String {
    std::env::var("NIANBAO_PDFTOTEXT")
        .unwrap_or_else(|_| program_name(std::env::consts::OS).to_owned())
}

/// How long one PDF may take before `pdftotext` is stopped.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The text `pdftotext -layout` makes of a PDF file's bytes: what [`crate::input::Options::pdf`]
/// takes.
pub fn read(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    pdftotext(name, bytes, &program())
}

/// Reads a PDF file's bytes into a document with the `pdftotext` at `program`.
pub fn read_with(name: &str, bytes: Vec<u8>, program: &str) -> Result<Document, InputError> {
    let output = pdftotext(name, bytes, program)?;
    pdf::from_layout_text(name, &output)
}

/// Runs `pdftotext -layout -enc UTF-8 - -` with the PDF on its standard input.
fn pdftotext(name: &str, bytes: Vec<u8>, program: &str) -> Result<String, InputError> {
    let bad = |why: String| InputError::BadPdf {
        path: name.to_owned(),
        why,
    };
    let mut child = Command::new(program)
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                InputError::PdfToolMissing
            }
            _ => bad(format!("无法运行 pdftotext（{e}）")),
        })?;
    // Feed standard input and drain both outputs on their own threads, so that a full pipe
    // never stalls either side.
    let mut stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            // pdftotext may stop reading early on a broken file; its exit status says why.
            let _ = stdin.write_all(&bytes);
        }
    });
    let mut stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let (sender, receiver) = mpsc::channel();
    let mut stdout = child.stdout.take();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let result = stdout.as_mut().map(|s| s.read_to_end(&mut out));
        let _ = sender.send((out, result.map(|r| r.is_ok()).unwrap_or(false)));
    });
    let Ok((out, _)) = receiver.recv_timeout(TIMEOUT) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(bad(format!(
            "pdftotext 在 {} 秒内没有读完",
            TIMEOUT.as_secs()
        )));
    };
    let status = child
        .wait()
        .map_err(|e| bad(format!("pdftotext 异常退出（{e}）")))?;
    let _ = writer.join();
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        let why = errors
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("pdftotext 读取失败")
            .to_owned();
        return Err(bad(why));
    }
    Ok(String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
