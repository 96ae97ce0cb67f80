//! The benchmark's corpus tool (see `scripts/bench.sh`):
//!
//! ```text
//! cargo run --release --example bench_corpus -- generate DIR N SAMPLES_DIR [SEED]
//! cargo run --release --example bench_corpus -- check MANIFEST LINT_JSON
//! ```
//!
//! `generate` writes N reports into DIR (real samples and rendered reports with planted defects)
//! and `DIR/../manifest.tsv`; `check` compares `nianbao lint --output-format json` output with the
//! manifest and exits 1 unless every planted defect is found and no unplanted file has an error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use nianbao::corpus;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") if args.len() >= 4 => generate(&args[1..]),
        Some("check") if args.len() == 3 => check(Path::new(&args[1]), Path::new(&args[2])),
        _ => Err(
            "usage: bench_corpus generate DIR N SAMPLES_DIR [SEED] | check MANIFEST LINT_JSON"
                .into(),
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bench_corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn generate(args: &[String]) -> Result<ExitCode, String> {
    let dir = PathBuf::from(&args[0]);
    let n: usize = args[1].parse().map_err(|e| format!("N: {e}"))?;
    let samples_dir = Path::new(&args[2]);
    let seed: u64 = match args.get(3) {
        Some(s) => s.parse().map_err(|e| format!("SEED: {e}"))?,
        None => 2026,
    };
    let mut samples = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(samples_dir)
        .map_err(|e| format!("{}: {e}", samples_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && !p.ends_with("README.md"))
        .collect();
    names.sort();
    for path in names {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("sample.txt");
        samples.push((name.to_owned(), text));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let files = corpus::generate(n, &samples, seed);
    let mut bytes = 0;
    for (entry, text) in &files {
        bytes += text.len();
        let path = dir.join(&entry.file);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let entries: Vec<corpus::Entry> = files.into_iter().map(|(e, _)| e).collect();
    let manifest = dir.with_extension("manifest.tsv");
    std::fs::write(&manifest, corpus::manifest(&entries))
        .map_err(|e| format!("{}: {e}", manifest.display()))?;
    let planted = entries.iter().filter(|e| e.defect.is_some()).count();
    println!(
        "{} files, {:.1} MB, {planted} with a planted defect; manifest {}",
        entries.len(),
        bytes as f64 / 1e6,
        manifest.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn check(manifest: &Path, json: &Path) -> Result<ExitCode, String> {
    let manifest_text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let entries = corpus::parse_manifest(&manifest_text)?;
    let json_text =
        std::fs::read_to_string(json).map_err(|e| format!("{}: {e}", json.display()))?;
    let doc: serde_json::Value =
        serde_json::from_str(&json_text).map_err(|e| format!("{}: {e}", json.display()))?;
    let accuracy = corpus::check(&entries, &doc);
    println!(
        "accuracy: {}/{} planted defects found, {} missed, {} unplanted files with errors (of {} files)",
        accuracy.found,
        accuracy.planted,
        accuracy.missed.len(),
        accuracy.false_errors.len(),
        accuracy.files
    );
    for file in accuracy.missed.iter().take(10) {
        println!("  missed: {file}");
    }
    for (file, codes) in accuracy.false_errors.iter().take(10) {
        println!("  false error: {file} {}", codes.join(","));
    }
    Ok(if accuracy.perfect() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
