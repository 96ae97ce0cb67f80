//! Random but valid data files, for property tests and benchmarks.
//!
//! This module owns one thing: turning a seed into a balanced data-file text of a given edition.
//! It uses a small deterministic generator so that benchmarks are reproducible without a
//! random-number crate in the binary.

use std::fmt::Write;

use crate::edition::Edition;

/// A tiny deterministic generator (SplitMix64).
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A value in `0..bound` skewed towards small numbers, as real tables are.
    pub fn count(&mut self, bound: u64) -> i64 {
        let r = self.next_u64();
        let scale = match r % 4 {
            0 => 1,
            1 => 10,
            2 => 100,
            _ => bound.max(1),
        };
        ((r >> 8) % scale.min(bound.max(1))) as i64
    }
}

/// A complete, balanced data file for `edition` and `year`, from `seed`.
pub fn balanced_data_file(edition: &Edition, year: i32, seed: u64) -> String {
    let mut rng = SplitMix::new(seed);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "版式: {}\n机关: 测试市人民政府{seed}\n年度: {year}\n正文:",
        edition.edition
    );
    for s in edition
        .sections
        .iter()
        .filter(|s| s.prose == crate::edition::Prose::Required)
    {
        let _ = writeln!(
            out,
            "  {}: |\n    {year}年，本机关依法做好{}工作。",
            s.title, s.title
        );
    }
    let _ = writeln!(out, "{}:", edition.active.key);
    for block in &edition.active.blocks {
        for row in &block.rows {
            let cells: Vec<String> = block
                .columns
                .iter()
                .map(|c| {
                    let v = rng.count(5000);
                    match c.kind {
                        crate::edition::CellKind::Amount => {
                            format!("{}: {}.{}", c.key, v, rng.count(10))
                        }
                        crate::edition::CellKind::Signed => format!("{}: {}", c.key, v - 2500),
                        crate::edition::CellKind::Count => format!("{}: {v}", c.key),
                    }
                })
                .collect();
            let _ = writeln!(out, "  {row}: {{{}}}", cells.join(", "));
        }
    }
    // Table 三: results are random; 本年新收 + 上年结转 is made to cover them plus the carry-over.
    let def = &edition.applications;
    let n = def.columns.len();
    let mut rows: Vec<(String, Vec<i64>)> = Vec::new();
    let mut results = vec![0i64; n];
    for (id, row) in def.data_rows() {
        if row.derived {
            continue;
        }
        let values: Vec<i64> = (0..n).map(|_| rng.count(300)).collect();
        if row.level >= 1 {
            for (t, v) in results.iter_mut().zip(&values) {
                *t += v;
            }
        }
        rows.push((id.to_owned(), values));
    }
    let carried: Vec<i64> = (0..n)
        .map(|c| rng.count(results[c] as u64 + 1).min(results[c]))
        .collect();
    let forward: Vec<i64> = (0..n).map(|_| rng.count(50)).collect();
    for (id, values) in &mut rows {
        match id.as_str() {
            "上年结转" => *values = carried.clone(),
            "本年新收" => {
                *values = (0..n)
                    .map(|c| results[c] + forward[c] - carried[c])
                    .collect()
            }
            "结转下年度" => *values = forward.clone(),
            _ => {}
        }
    }
    let _ = writeln!(out, "{}:", def.key);
    let mut open_group = String::new();
    for (id, values) in &rows {
        let list = format!(
            "[{}]",
            values
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        match id.split_once('.') {
            Some((group, name)) => {
                if *group != open_group {
                    let _ = writeln!(out, "  {group}:");
                    open_group = group.to_owned();
                }
                let _ = writeln!(out, "    {name}: {list}");
            }
            None => {
                open_group.clear();
                let _ = writeln!(out, "  {id}: {list}");
            }
        }
    }
    let _ = writeln!(out, "{}:", edition.appeals.key);
    for (id, _) in edition.appeals.data_rows() {
        let values: Vec<String> = (0..edition.appeals.columns.len())
            .map(|_| rng.count(40).to_string())
            .collect();
        let _ = writeln!(out, "  {id}: [{}]", values.join(", "));
    }
    out
}
