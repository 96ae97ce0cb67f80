//! Rendering throughput: load + render 1,000 generated data files (half per edition).
//! Run: `cargo bench --bench render`. Prints wall time and files per second.

use std::time::Instant;

use nianbao::render::{self, Format};
use nianbao::{data, edition, testdata};

fn main() {
    let files: Vec<String> = (0..1000u64)
        .map(|i| {
            let year = if i % 2 == 0 { 2020 } else { 2023 };
            let e = edition::for_year(year).expect("edition");
            testdata::balanced_data_file(e, year, i)
        })
        .collect();
    let bytes: usize = files.iter().map(String::len).sum();
    for format in [Format::Markdown, Format::Html] {
        let mut best = f64::MAX;
        let mut out_bytes = 0;
        for _ in 0..5 {
            let start = Instant::now();
            out_bytes = 0;
            for text in &files {
                let loaded = data::load(text);
                let report = loaded.report.expect("valid");
                out_bytes += render::render(&report, format).expect("renders").len();
            }
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "load+render {:?}: 1000 files ({:.1} MB in, {:.1} MB out) in {:.3} s (best of 5) = {:.0} files/s",
            format,
            bytes as f64 / 1e6,
            out_bytes as f64 / 1e6,
            best,
            1000.0 / best
        );
    }
}
