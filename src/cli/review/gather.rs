//! Gathering a review: every file through the corpus runner once, a row and findings kept per
//! file, the reading dropped.
//!
//! Owns the corpus side of `nianbao review`: each file's configuration as `lint` finds it
//! (`runner::setups_for`), the thread pool and the file order (`runner::schedule`), and turning
//! each file's outcome — checked, passed over, or unreadable — into what the review keeps.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

use crate::cli::runner::{self, Checked, Outcome, Seen};
use crate::diagnostics::SourceFiles;

use super::{Review, Row, Summary, findings_of, row_of, summarise_reading, summarise_report};

/// What one file became.
enum Gathered {
    Report(Box<Row>, Vec<super::Finding>),
    PassedOver,
}

/// Reads and checks `files` on `options.threads` threads; `tick` is called once per file, in
/// file order (for a progress bar). Returns the review and the number of files passed over
/// (not reports). `failures` are places the walk could not read: unreadable rows.
pub fn gather(
    files: &[PathBuf],
    failures: Vec<runner::FileReport>,
    options: &runner::Options,
    tick: impl FnMut(),
) -> anyhow::Result<(Review, usize)> {
    gather_with(files, failures, options, tick, |_| Ok(()))
}

/// [`gather`], handing each row to `on_row` as soon as it is the review's next (in the
/// review's order, on the calling thread, while the workers read the files after it): an
/// output can write what it needs of the row meanwhile ([`super::xlsx::Writer::add`]). An
/// error from `on_row` stops the gathering.
///
/// The workers keep at most `AHEAD` files ahead of `on_row` (`Pace`): when `on_row` is
/// the slower (the workbook's figures sheet: about as much work as the reading), the workers
/// wait instead of taking the cores from it, so it does not fall behind and then write the
/// rows left over alone on one core; a quick `on_row` never makes them wait.
pub fn gather_with(
    files: &[PathBuf],
    failures: Vec<runner::FileReport>,
    options: &runner::Options,
    mut tick: impl FnMut(),
    mut on_row: impl FnMut(&Row) -> anyhow::Result<()>,
) -> anyhow::Result<(Review, usize)> {
    let mut review = Review::default();
    for failure in failures {
        let row = Row::unreadable(
            failure.path.display().to_string(),
            failure.report.failure.unwrap_or_default(),
        );
        on_row(&row)?;
        review.rows.push(row);
    }
    let setups = runner::setups_for(files, options);
    let mut passed_over = 0;
    let pace = Pace::default();
    let pace = &pace;
    runner::schedule(
        files.len(),
        options.threads,
        runner::Handout::InOrder,
        |index| {
            pace.wait_for(index);
            let path = &files[index];
            match &setups[index] {
                Ok(setup) => one(path, setup, options),
                Err(why) => Gathered::Report(
                    Box::new(Row::unreadable(path.display().to_string(), why.clone())),
                    Vec::new(),
                ),
            }
        },
        |gathered| {
            tick();
            match gathered {
                Gathered::Report(row, findings) => {
                    if let Err(e) = on_row(&row) {
                        pace.stop();
                        return Err(e);
                    }
                    review.rows.push(*row);
                    review.findings.extend(findings);
                }
                Gathered::PassedOver => passed_over += 1,
            }
            pace.handed_one();
            Ok(())
        },
    )?;
    review.sort_findings();
    Ok((review, passed_over))
}

/// How many files the workers may read ahead of the rows handed to `on_row`. More than the
/// corpus runner's largest batch (a batch is handed over whole, so the batch `on_row` waits
/// for must never wait for `on_row`), and few enough that the rows held meanwhile stay small.
const AHEAD: usize = 4 * runner::MAX_BATCH;

/// The workers' pace: the number of files handed over in order so far, which a worker
/// waits on before reading a file more than `AHEAD` beyond it.
#[derive(Default)]
struct Pace {
    handed: Mutex<usize>,
    moved: Condvar,
}

impl Pace {
    fn wait_for(&self, index: usize) {
        let Ok(mut handed) = self.handed.lock() else {
            return;
        };
        while index >= handed.saturating_add(AHEAD) {
            match self.moved.wait(handed) {
                Ok(next) => handed = next,
                Err(_) => return,
            }
        }
    }

    fn handed_one(&self) {
        if let Ok(mut handed) = self.handed.lock() {
            *handed = handed.saturating_add(1);
            // Woken a batch at a time, not once a row.
            if *handed % (AHEAD / 4) == 0 {
                self.moved.notify_all();
            }
        }
    }

    /// The gathering failed: no worker waits any more.
    fn stop(&self) {
        if let Ok(mut handed) = self.handed.lock() {
            *handed = usize::MAX;
        }
        self.moved.notify_all();
    }
}

fn one(path: &Path, setup: &runner::Setup, options: &runner::Options) -> Gathered {
    let name = path.display().to_string();
    let mut summary: Option<Summary> = None;
    let outcome = runner::check_file(
        path,
        None,
        (&setup.config, &setup.scope),
        setup.previous.as_deref(),
        &options.input,
        &mut |seen| {
            summary = Some(match seen {
                Seen::Reading(reading) => summarise_reading(reading),
                Seen::Report(report) => summarise_report(report),
            })
        },
    );
    let Checked {
        text,
        origin,
        loci,
        diagnostics,
    } = match outcome {
        Ok(Outcome::Checked(checked)) => checked,
        Ok(Outcome::PassedOver(_)) => return Gathered::PassedOver,
        Err(e) => {
            return Gathered::Report(Box::new(Row::unreadable(name, e.to_string())), Vec::new());
        }
    };
    // A file nianbao.toml includes that is no report, or a data file that does not load:
    // checked, with nothing read.
    let summary = summary.unwrap_or(Summary {
        agency: None,
        year: None,
        edition: None,
        published: None,
        figures: Vec::new(),
    });
    let mut files = SourceFiles::default();
    files.add_read(name.clone(), text, origin, loci);
    if let Some(previous) = &setup.previous {
        files.add(previous.name.clone(), previous.text.clone());
    }
    let findings = findings_of(&files, &name, summary.agency.as_deref(), &diagnostics);
    let row = row_of(name, summary, &diagnostics);
    Gathered::Report(Box::new(row), findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_worker_waits_until_the_rows_before_it_are_handed_and_a_stop_frees_all() {
        let pace = Pace::default();
        let started = AtomicBool::new(false);
        let passed = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                pace.wait_for(AHEAD - 1);
                started.store(true, Ordering::SeqCst);
                pace.wait_for(AHEAD);
                passed.store(true, Ordering::SeqCst);
            });
            while !started.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(
                !passed.load(Ordering::SeqCst),
                "file AHEAD waits for the first row"
            );
            for _ in 0..AHEAD / 4 {
                pace.handed_one();
            }
        });
        assert!(passed.load(Ordering::SeqCst));
        std::thread::scope(|scope| {
            scope.spawn(|| pace.wait_for(10 * AHEAD));
            std::thread::sleep(std::time::Duration::from_millis(20));
            pace.stop();
        });
    }
}
