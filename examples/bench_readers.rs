//! The readers' benchmark tool (see `scripts/bench-readers.sh`):
//!
//! ```text
//! cargo run --release --example bench_readers -- make DIR SAMPLE.txt
//! cargo run --release --example bench_readers -- read FILE [N]
//! ```
//!
//! `make` writes the Word, PDF, GB18030 and UTF-16 forms of a plain-text report into DIR (the
//! same fixtures the tests build, `tests/common/make.rs`), plus a 40 MB GB18030 file for the
//! memory check. `read` reads FILE through `input::read` N times and prints the median time,
//! the sizes of the text and content, and how many runs the maps hold.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

#[path = "../tests/common/make.rs"]
#[allow(dead_code)]
mod make;

use nianbao::input::{Options, Origin};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("make") if args.len() == 3 => make_fixtures(Path::new(&args[1]), Path::new(&args[2])),
        Some("read") if args.len() >= 2 => read(
            Path::new(&args[1]),
            args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1),
        ),
        _ => Err("usage: bench_readers make DIR SAMPLE.txt | read FILE [N]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_readers: {e}");
            ExitCode::FAILURE
        }
    }
}

fn make_fixtures(dir: &Path, sample: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let text = std::fs::read_to_string(sample)?;
    let stem = sample
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("report");
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(
        dir.join(format!("{stem}.docx")),
        make::docx_from_text(&text),
    )?;
    std::fs::write(dir.join(format!("{stem}.pdf")), make::pdf(&lines))?;
    std::fs::write(
        dir.join(format!("{stem}-gb18030.txt")),
        make::legacy(&text, encoding_rs::GB18030),
    )?;
    std::fs::write(
        dir.join(format!("{stem}-utf16le.txt")),
        make::utf16(&text, true),
    )?;
    let big = make::legacy(&text, encoding_rs::GB18030);
    let copies = (40_000_000 / big.len().max(1)) + 1;
    std::fs::write(dir.join("big-gb18030.txt"), big.repeat(copies))?;
    Ok(())
}

fn read(path: &Path, n: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n.max(1) {
        let start = Instant::now();
        let doc = nianbao::cli::files::read_document(path, &Options::default())?;
        times.push(start.elapsed());
        last = Some(doc);
    }
    times.sort();
    let Some(doc) = last else { return Ok(()) };
    let median = times[times.len() / 2];
    let size = std::fs::metadata(path)?.len();
    let origin_runs = match &doc.origin {
        Origin::Decoded { map, .. } => map.runs(),
        _ => 0,
    };
    println!(
        "{}: {:.2} ms median of {} ({:.1} MB/s); {} encoding; text {} B, content {} B, {} tables, {} loci; runs: decode map {}, content map {}",
        path.display(),
        median.as_secs_f64() * 1000.0,
        times.len(),
        size as f64 / 1e6 / median.as_secs_f64(),
        doc.origin.encoding(),
        doc.text.len(),
        doc.content().len(),
        doc.tables.len(),
        doc.loci.len(),
        origin_runs,
        doc.map.runs(),
    );
    Ok(())
}
