//! Where the time of a `lint` run goes, by stage, so the next optimisation can be chosen from
//! data (`scripts/bench.sh` prints the table).
//!
//! Owns the per-stage totals: with `NIANBAO_STAGE_TIMES` set in the environment, every timed
//! step adds its duration to its stage (summed over all threads, so on many cores the total
//! exceeds the wall clock), and `lint` prints the table to standard error at the end. Unset,
//! timing costs one check of a flag read once per run.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

pub use crate::lint::Stage;
use crate::lint::Stopwatch;

/// The environment variable that turns timing on.
pub const VARIABLE: &str = "NIANBAO_STAGE_TIMES";

const STAGES: [(Stage, &str); 4] = [
    (Stage::Input, "input"),
    (Stage::Reading, "reading"),
    (Stage::Rules, "rules"),
    (Stage::Output, "output"),
];

static NANOS: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os(VARIABLE).is_some_and(|v| !v.is_empty()))
}

/// Runs `f`, adding its duration to `stage` when timing is on.
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    NANOS[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    out
}

/// The command line's [`Stopwatch`]: [`time`].
pub struct Clock;

impl Stopwatch for Clock {
    fn time<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        time(stage, work)
    }
}

/// The table of stage totals (seconds and share), when timing is on.
pub fn report() -> Option<String> {
    enabled()
        .then(|| table(&STAGES.map(|(stage, _)| NANOS[stage as usize].load(Ordering::Relaxed))))
}

fn table(nanos: &[u64; 4]) -> String {
    let total: u64 = nanos.iter().sum();
    let mut out = String::from("各阶段耗时（各线程合计）：\n");
    for ((_, name), &n) in STAGES.iter().zip(nanos) {
        let share = if total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / total as f64
        };
        out.push_str(&format!(
            "  {name:<8} {:>9.3} s {share:>6.1}%\n",
            n as f64 / 1e9
        ));
    }
    out.push_str(&format!("  {:<8} {:>9.3} s\n", "total", total as f64 / 1e9));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_each_stage_its_seconds_and_share() {
        let text = table(&[1_000_000_000, 3_000_000_000, 0, 0]);
        assert!(text.contains("input        1.000 s   25.0%"), "{text}");
        assert!(text.contains("reading      3.000 s   75.0%"), "{text}");
        assert!(text.contains("total        4.000 s"), "{text}");
        assert!(table(&[0; 4]).contains("0.0%"));
    }
}
