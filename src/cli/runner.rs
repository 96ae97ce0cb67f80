//! Linting many files: finding them, choosing each file's configuration, running the rules in
//! parallel and handing results back in a deterministic order.
//!
//! Owns the corpus side of `nianbao lint`: the directory walk (the `ignore` crate, so
//! `.gitignore` and hidden files are respected), each file's setup (configuration, last year's
//! report, baseline), the thread pool (rayon), and the order of output (the order of the file
//! list, whatever order the threads finish in). In the worker, each file is read once (or
//! standard input in its stead), passed over when `crate::detect` says it is no report, linted,
//! filtered by its baseline, and its diagnostics rendered, so only the rendered text, not the
//! file, is kept until it is printed. It prints nothing itself: the caller gets one [`FileReport`] at a time,
//! and when the caller fails (the reader of the output has gone) no further file is started.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use rayon::prelude::*;

use crate::cli::baseline::{self, Baseline};
use crate::cli::config::{self, Loaded};
use crate::cli::files::{absolute, describe_io_error, input_options, read_bytes, read_previous};
use crate::cli::scope::{Claim, Scope};
use crate::cli::timing::{self, Clock, Stage};
use crate::diagnostics::SourceFiles;
use crate::input::{self, InputError};
use crate::lint::{self, Setting};
pub use crate::lint::{Checked, Outcome, Output, Seen};
use crate::rules::Config;
use crate::rules::previous::Previous;

/// File extensions `lint` reads when it walks a directory.
pub const LINTED_EXTENSIONS: [&str; 9] = [
    "md", "markdown", "txt", "html", "htm", "yaml", "yml", "docx", "pdf",
];

/// What every file of a run shares.
pub struct Options<'a> {
    /// `--config`: one configuration for all files instead of discovering `nianbao.toml`.
    pub config: Option<&'a Loaded>,
    /// `--previous`: last year's report for every file (else `previous` in the configuration).
    pub previous: Option<&'a Path>,
    /// `--year` / `--edition`: override whatever the configuration says.
    pub year: Option<i32>,
    pub edition: Option<u16>,
    pub output: Output,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// How files are read (`--encoding`).
    pub input: input::Options,
    /// Standard input, read as the one file of the run (`lint - --stdin-filename NAME`).
    pub stdin: Option<&'a Stdin>,
    /// The working directory, which SARIF and GitHub output name files relative to.
    pub cwd: Option<PathBuf>,
    /// `--baseline FILE`: for every file, instead of `baseline` in the configuration.
    pub baseline: Option<Arc<Baseline>>,
    /// `--update-baseline`: a baseline file named in a configuration may not exist yet.
    pub update_baseline: bool,
}

/// Standard input and the file it stands for: its name, format and configuration.
pub struct Stdin {
    pub name: PathBuf,
    pub bytes: Vec<u8>,
}

/// The outcome for one file, ready to print (`lint::FileReport`), and what its baseline made
/// of it.
#[derive(Debug, Default)]
pub struct FileReport {
    pub report: lint::FileReport,
    /// The baseline that applied, and the file's name in it.
    pub baseline: Option<(Arc<Baseline>, String)>,
    /// Baseline entries of this file that matched no finding.
    pub stale: Vec<baseline::Entry>,
    /// Every finding of the file as a baseline entry, hidden or not (`--update-baseline`).
    pub records: Vec<baseline::Entry>,
    /// With `--output-format json`: each finding's JSON object, pretty-printed, in place of
    /// `report.json`. Serialised by the worker that checked the file, so that the printing
    /// thread only copies bytes and frees one string per finding: it used to serialise every
    /// finding itself and free each value's many small allocations, and glibc's allocator
    /// takes the lock of the worker's arena for each such free (futex calls on both threads).
    pub json_pretty: Vec<String>,
    /// With `--output-format sarif`: each result pretty-printed, in place of `report.sarif`
    /// (by the worker, as `json_pretty`).
    pub sarif_pretty: Vec<String>,
}

impl FileReport {
    /// The report of `path`, nothing in it yet.
    pub fn new(path: &Path) -> FileReport {
        FileReport {
            report: lint::FileReport {
                path: path.to_path_buf(),
                ..lint::FileReport::default()
            },
            ..FileReport::default()
        }
    }

    /// `path` could not be checked, for this reason.
    pub fn failed(path: &Path, why: String) -> FileReport {
        let mut report = FileReport::new(path);
        report.failure = Some(why);
        report
    }
}

impl std::ops::Deref for FileReport {
    type Target = lint::FileReport;
    fn deref(&self) -> &lint::FileReport {
        &self.report
    }
}

impl std::ops::DerefMut for FileReport {
    fn deref_mut(&mut self) -> &mut lint::FileReport {
        &mut self.report
    }
}

/// What `lint` was asked to check: the files, and the places that could not be walked.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<PathBuf>,
    /// Directories (or entries in them) that could not be read, as failed reports.
    pub failures: Vec<FileReport>,
    /// Old binary Word/WPS files (`.doc`, `.wps`) found in a walked directory: not readable,
    /// so not checked, but never passed over in silence (see [`legacy_reports`]).
    pub legacy: Vec<PathBuf>,
}

/// Extensions of the old binary Word and WPS formats, which nianbao cannot read.
pub const LEGACY_EXTENSIONS: [&str; 2] = ["doc", "wps"];

/// Why a walked `.doc`/`.wps` file was not checked.
pub const LEGACY_WHY: &str = "旧版 Word/WPS 二进制格式（.doc/.wps），未检查：请另存为 .docx";

/// Files to lint, in a stable order: named files as given; directories walked with `.gitignore`,
/// `.ignore` and hidden files respected, entries sorted by name, only the linted extensions,
/// symbolic links followed (each file once, a link back up the tree passed over), and `.doc`/
/// `.wps` files set aside in [`Collected::legacy`].
/// Nothing here stops the run: a named path that does not exist stays in the list (reading it
/// fails, and that file alone is reported), and a directory entry that cannot be read becomes
/// a failure while the rest of the walk goes on.
pub fn collect_files(paths: &[PathBuf]) -> Collected {
    let mut out = Collected::default();
    let mut seen = Identities::default();
    for path in paths {
        if !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            out.files.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            // An editorial folder need not be a git repository for its .gitignore to count.
            .require_git(false)
            // A report linked into the folder is checked like the others; `ignore` stops at a
            // link back to a folder being walked (an `Error::Loop`, passed over below).
            .follow_links(true)
            // By name: siblings' paths are their folder's path and their names, so the paths
            // compare as the names do, without the path parsing `file_name()` does on every
            // comparison (about 1.5 ms before the first report of a 2,000-file folder).
            .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let linted = is_linted(entry.path());
                    let legacy = has_extension(entry.path(), &LEGACY_EXTENSIONS);
                    // The same file reached twice (directly and through a link, or through two
                    // links) is checked once, under the first name the sorted walk gives it.
                    if (linted || legacy) && seen.first(entry.path(), entry.path_is_symlink()) {
                        if linted {
                            out.files.push(entry.into_path());
                        } else {
                            out.legacy.push(entry.into_path());
                        }
                    }
                }
                Err(e) if is_loop(&e) => {}
                Err(e) => out.failures.push(walk_failure(path, &e)),
            }
        }
    }
    out
}

/// The files a walk has found, by what identifies a file across links: its canonical path
/// (the path as given when it cannot be resolved).
///
/// A file that is not itself a link has its folder's canonical path joined with its name,
/// which is what `canonicalize` gives for it: the folder is resolved once for the files the
/// walk finds in it one after the other, not once per file (resolving every file was a third
/// of the time before the first report was read, on a folder of 2,000).
#[derive(Default)]
struct Identities {
    seen: std::collections::HashSet<std::ffi::OsString, rustc_hash::FxBuildHasher>,
    /// The folder last resolved, as walked, and its canonical path.
    folder: Option<(PathBuf, Option<PathBuf>)>,
}

impl Identities {
    /// Whether `path` (a link itself when `is_link`) is a file not found before.
    fn first(&mut self, path: &Path, is_link: bool) -> bool {
        let identity = match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) if !is_link => {
                let fresh =
                    !matches!(&self.folder, Some((f, _)) if f.as_os_str() == parent.as_os_str());
                if fresh {
                    self.folder = Some((parent.to_path_buf(), std::fs::canonicalize(parent).ok()));
                }
                match &self.folder {
                    Some((_, Some(canonical))) => canonical.join(name),
                    _ => path.to_path_buf(),
                }
            }
            _ => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        };
        // Canonical paths have no `.`, `..` or doubled separators: equal paths are equal bytes.
        self.seen.insert(identity.into_os_string())
    }
}

/// Whether a walk error is a link back to a folder already being walked.
fn is_loop(error: &ignore::Error) -> bool {
    match error {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
        _ => false,
    }
}

/// Reports for the `.doc`/`.wps` files a walk found: not checked (and named in the summary),
/// or a failure when `include` in their configuration claims them as reports.
pub fn legacy_reports(files: &[PathBuf], options: &Options) -> Vec<FileReport> {
    let configs = configs_for(files, options);
    files
        .iter()
        .zip(&configs.of_file)
        .map(|(path, config)| {
            let mut report = FileReport::new(path);
            match &configs.distinct[*config] {
                Err(why) => report.failure = Some(why.clone()),
                Ok(loaded) => match loaded.scope.claim(path) {
                    Claim::Included(pattern) => {
                        report.failure = Some(format!(
                            "{}（nianbao.toml 的 include“{pattern}”把它列为报告）",
                            InputError::OldWordFormat {
                                path: path.display().to_string()
                            }
                        ));
                    }
                    _ => {
                        report.passed_over = Some(LEGACY_WHY.to_owned());
                        report.legacy = true;
                    }
                },
            }
            report
        })
        .collect()
}

fn walk_failure(root: &Path, error: &ignore::Error) -> FileReport {
    let why = match error.io_error() {
        Some(io) => describe_io_error(io),
        None => error.to_string(),
    };
    FileReport::failed(root, format!("无法遍历 {}：{why}", root.display()))
}

fn is_linted(path: &Path) -> bool {
    has_extension(path, &LINTED_EXTENSIONS)
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// What one file is checked with: its configuration and, if any, last year's report and the
/// baseline of accepted findings.
pub struct Setup {
    pub config: Config,
    /// Which files the configuration names as reports or excludes.
    pub scope: Scope,
    pub previous: Option<Arc<Previous>>,
    pub baseline: Option<Arc<Baseline>>,
}

/// Each file's setup: `--config` for all, or the nearest `nianbao.toml`, looked up once per
/// directory; last year's report and the baseline read once per path. A broken configuration
/// file, an unreadable previous report or a broken baseline fails the files it applies to, not
/// the whole run. Files under one configuration share one setup.
pub fn setups_for(files: &[PathBuf], options: &Options) -> Vec<Result<Arc<Setup>, String>> {
    let mut previous: HashMap<PathBuf, Result<Arc<Previous>, String>> = HashMap::new();
    let mut baselines: HashMap<PathBuf, Result<Arc<Baseline>, String>> = HashMap::new();
    let configs = configs_for(files, options);
    let setups: Vec<Result<Arc<Setup>, String>> = configs
        .distinct
        .into_iter()
        .map(|config| {
            let Loaded { config, scope } = config?;
            let path = options
                .previous
                .map(Path::to_path_buf)
                .or(config.previous.clone());
            let previous = match path {
                None => None,
                Some(path) => Some(
                    previous
                        .entry(path)
                        .or_insert_with_key(|p| {
                            read_previous(p, &options.input)
                                .map(Arc::new)
                                .map_err(|e| format!("{e:#}"))
                        })
                        .clone()?,
                ),
            };
            let baseline = match (&options.baseline, &config.baseline) {
                (Some(given), _) => Some(given.clone()),
                (None, None) => None,
                (None, Some(path)) => Some(
                    baselines
                        .entry(path.clone())
                        .or_insert_with_key(|p| {
                            Baseline::load(p, options.update_baseline)
                                .map(Arc::new)
                                .map_err(|e| format!("{e:#}"))
                        })
                        .clone()?,
                ),
            };
            Ok(Arc::new(Setup {
                config,
                scope,
                previous,
                baseline,
            }))
        })
        .collect();
    configs.of_file.iter().map(|&i| setups[i].clone()).collect()
}

/// The configurations of a list of files: each one once, in the order files first use it, and
/// which one each file uses.
struct Configs {
    distinct: Vec<Result<Loaded, String>>,
    /// For each file, its configuration's index in `distinct`.
    of_file: Vec<usize>,
}

fn configs_for(files: &[PathBuf], options: &Options) -> Configs {
    let override_options = |mut loaded: Result<Loaded, String>| {
        if let Ok(Loaded { config, .. }) = &mut loaded {
            if options.year.is_some() {
                config.year = options.year;
            }
            if options.edition.is_some() {
                config.edition = options.edition;
            }
        }
        loaded
    };
    if let Some(given) = options.config {
        return Configs {
            distinct: vec![override_options(Ok(given.clone()))],
            of_file: vec![0; files.len()],
        };
    }
    let mut configs = Configs {
        distinct: Vec::new(),
        of_file: Vec::with_capacity(files.len()),
    };
    let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
    // The folder of the file before, and its index: a walk gives a folder's files together.
    let mut last: Option<(&Path, usize)> = None;
    for path in files {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let index = match last {
            Some((last_dir, index)) if last_dir.as_os_str() == dir.as_os_str() => index,
            _ => *by_dir.entry(dir.to_path_buf()).or_insert_with_key(|dir| {
                // A folder that does not exist (standard input named as a new file) is looked
                // up from its nearest existing ancestor.
                let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| absolute(dir));
                let loaded = config::discover(&dir)
                    .map(|p| config::load(&p))
                    .transpose()
                    .map(Option::unwrap_or_default)
                    .map_err(|e| format!("{e:#}"));
                configs.distinct.push(override_options(loaded));
                configs.distinct.len() - 1
            }),
        };
        last = Some((dir, index));
        configs.of_file.push(index);
    }
    configs
}

/// Reads one file (or, with `bytes`, standard input as if it were that file) and checks it
/// (`lint::check`) with its configuration and what the configuration's globs say about it: an
/// excluded file is not even read. `seen` is shown the reading (or the loaded data file) of a
/// file that is a report, so that the file is read once whatever else is wanted of it.
pub fn check_file(
    path: &Path,
    bytes: Option<Vec<u8>>,
    (config, scope): (&Config, &Scope),
    previous: Option<&Previous>,
    options: &input::Options,
    seen: &mut dyn FnMut(Seen<'_>),
) -> Result<Outcome, InputError> {
    let claim = scope.claim(path);
    if let Claim::Excluded(pattern) = &claim {
        return Ok(Outcome::PassedOver(format!(
            "nianbao.toml 的 exclude（“{pattern}”）排除了它"
        )));
    }
    let bytes = match bytes {
        Some(bytes) => bytes,
        None => timing::time(Stage::Input, || read_bytes(path))?,
    };
    let input = input_options(options);
    let setting = Setting {
        config,
        claim,
        previous,
        input: &input,
    };
    lint::check(path, bytes, &setting, seen, &Clock)
}

/// Lints one file (standard input, when the run reads it), hides what its baseline accepts,
/// and renders the rest.
fn lint_file(path: &Path, setup: &Setup, options: &Options) -> FileReport {
    let previous = setup.previous.as_deref();
    let bytes = options.stdin.map(|s| s.bytes.clone());
    let mut report = FileReport::new(path);
    let key = setup.baseline.as_ref().map(|b| b.key(path));
    if let (Some(baseline), Some(key)) = (&setup.baseline, &key) {
        report.baseline = Some((baseline.clone(), key.clone()));
    }
    let Checked {
        text,
        origin,
        loci,
        diagnostics: found,
    } = match check_file(
        path,
        bytes,
        (&setup.config, &setup.scope),
        previous,
        &options.input,
        &mut |_| {},
    ) {
        Ok(Outcome::Checked(checked)) => checked,
        Ok(Outcome::PassedOver(why)) => {
            // Not a report (any more): what the baseline accepted in it is stale.
            if let (Some(baseline), Some(key)) = (&setup.baseline, &key) {
                report.stale = baseline.apply(key, &[], &[]).stale;
            }
            report.passed_over = Some(why);
            return report;
        }
        Err(e) => {
            // Unread: the baseline's entries for it are neither matched nor stale.
            report.baseline = None;
            report.failure = Some(e.to_string());
            return report;
        }
    };
    if found.is_empty() && setup.baseline.is_none() {
        return report;
    }
    let mut files = SourceFiles::default();
    files.add_read(path.display().to_string(), text, origin, loci);
    if let Some(previous) = previous {
        files.add(previous.name.clone(), previous.text.clone());
    }
    // Fingerprints are for the baseline and for SARIF only.
    let fingerprints: Vec<String> = if setup.baseline.is_some() || options.output == Output::Sarif {
        found
            .iter()
            .map(|d| baseline::fingerprint(&files, d))
            .collect()
    } else {
        Vec::new()
    };
    let (found, fingerprints) = match (&setup.baseline, &key) {
        (Some(baseline), Some(key)) => {
            let matched = baseline.apply(key, &found, &fingerprints);
            report.stale = matched.stale;
            report.records = matched.records;
            let mut shown = (Vec::new(), Vec::new());
            for ((d, fingerprint), hidden) in
                found.into_iter().zip(fingerprints).zip(matched.hidden)
            {
                if hidden {
                    report.hidden += 1;
                } else {
                    shown.0.push(d);
                    shown.1.push(fingerprint);
                }
            }
            shown
        }
        _ => (found, fingerprints),
    };
    report.count(&found);
    if !found.is_empty() {
        timing::time(Stage::Output, || {
            report.render(
                &files,
                &found,
                &fingerprints,
                options.output,
                options.cwd.as_deref(),
            );
            // A `Value` with string keys always serialises.
            report.json_pretty = std::mem::take(&mut report.report.json)
                .iter()
                .filter_map(|value| serde_json::to_string_pretty(value).ok())
                .collect();
            report.sarif_pretty =
                crate::cli::sarif::pretty_results(std::mem::take(&mut report.report.sarif));
        });
    }
    report
}

/// Lints `files` on `options.threads` threads and calls `sink` with each file's report, in the
/// order of `files`, as soon as it and every file before it are done. The first error `sink`
/// returns stops the run: no further file is started, and the error is returned.
pub fn run(
    files: &[PathBuf],
    options: &Options,
    sink: impl FnMut(FileReport) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let setups = setups_for(files, options);
    let lint_one = |index: usize| {
        let path = &files[index];
        match &setups[index] {
            Ok(setup) => lint_file(path, setup, options),
            Err(why) => FileReport::failed(path, why.clone()),
        }
    };
    schedule(files.len(), options.threads, Handout::Split, lint_one, sink)
}

/// The most files a worker hands to the printer at once.
pub(crate) const MAX_BATCH: usize = 32;

/// `0..count` cut into the batches workers take: 1, 2, 4, … files, up to [`MAX_BATCH`] (and
/// small enough that every thread gets several), so the first results come at once and the
/// rest cost one hand-off (a channel send that may wake the printer) per batch, not per file.
fn batches(count: usize, threads: usize) -> Vec<std::ops::Range<usize>> {
    let most = (count / (threads.max(1) * 4)).clamp(1, MAX_BATCH);
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 1);
    while start < count {
        let end = (start + size).min(count);
        out.push(start..end);
        start = end;
        size = (size * 2).min(most);
    }
    out
}

/// How the workers take the batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handout {
    /// rayon's own split of the list (`par_iter`): `lint`'s. On the 2,000-report corpus its
    /// peak memory with `--output-format json` is ~19 MB, against ~24.5 MB in file order.
    Split,
    /// In file order (`par_bridge`): no worker runs far ahead of the sink, which the review's
    /// paced workers need (`review::gather`; with halves, the second worker would idle until
    /// the first half was written).
    InOrder,
}

/// Runs `work` for `0..count` on `threads` threads (0: one per core) and hands the results to
/// `sink` in index order. Workers take the indexes in `batches` and hand each batch over in
/// one piece. Once `sink` fails, workers take no new index; the ones under way finish and are
/// discarded.
pub fn schedule<T: Send>(
    count: usize,
    threads: usize,
    handout: Handout,
    work: impl Fn(usize) -> T + Sync,
    mut sink: impl FnMut(T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if count <= 1 {
        // The pre-commit case: no threads to start.
        for index in 0..count {
            sink(work(index))?;
        }
        return Ok(());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| anyhow::anyhow!("无法创建线程池：{e}"))?;
    let batches = batches(count, pool.current_num_threads());
    let (sender, receiver) = mpsc::channel::<(usize, Vec<T>)>();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (work, stop, batches) = (&work, &stop, &batches);
        scope.spawn(move || {
            pool.install(|| {
                // An `Err` ends the parallel loop: rayon hands out no further batch.
                let run = |sender: &mut mpsc::Sender<(usize, Vec<T>)>, batch: &Range<usize>| {
                    let mut reports = Vec::with_capacity(batch.len());
                    for index in batch.clone() {
                        if stop.load(Ordering::Relaxed) {
                            return Err(());
                        }
                        reports.push(work(index));
                    }
                    // Fails only once the receiver is gone, that is, when the sink failed.
                    sender.send((batch.start, reports)).map_err(|_| ())
                };
                let _ = match handout {
                    Handout::Split => batches.par_iter().try_for_each_with(sender, run),
                    Handout::InOrder => batches.iter().par_bridge().try_for_each_with(sender, run),
                };
            });
        });
        // Reorder: hold batches that finish early until their turn.
        let mut pending: BTreeMap<usize, Vec<T>> = BTreeMap::new();
        let mut next = 0;
        let mut outcome = Ok(());
        'receive: for (start, reports) in receiver.iter() {
            pending.insert(start, reports);
            while let Some(reports) = pending.remove(&next) {
                for report in reports {
                    if let Err(e) = sink(report) {
                        stop.store(true, Ordering::Relaxed);
                        outcome = Err(e);
                        break 'receive;
                    }
                    next += 1;
                }
            }
        }
        drop(receiver);
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The options of a plain `lint` (no flags), printing `output` on `threads` threads.
    fn plain(output: Output, threads: usize) -> Options<'static> {
        Options {
            config: None,
            previous: None,
            year: None,
            edition: None,
            output,
            threads,
            input: input::Options::default(),
            stdin: None,
            cwd: None,
            baseline: None,
            update_baseline: false,
        }
    }

    #[test]
    fn a_walk_lists_files_depth_first_with_siblings_by_name() {
        // The folder `a` comes before `a-b.md` and `a.md` by name, though as bytes of whole
        // paths `a/…` sorts after both (`-` and `.` are below `/`): a comparison of anything
        // but siblings' paths would show.
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b.md", "a.md", "a-b.md", "A.md", "中.md", "a/x.md", "a/b/y.md", "a/c.md",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "").unwrap();
        }
        let walked = collect_files(&[dir.path().to_path_buf()]).files;
        let names: Vec<String> = walked
            .iter()
            .map(|p| {
                let relative = p.strip_prefix(dir.path()).unwrap();
                relative.to_string_lossy().replace('\\', "/")
            })
            .collect();
        let expected = [
            "A.md", "a/b/y.md", "a/c.md", "a/x.md", "a-b.md", "a.md", "b.md", "中.md",
        ];
        assert_eq!(names, expected);
        // The order a sort of the whole paths by their components gives.
        let mut by_components = walked.clone();
        by_components.sort();
        assert_eq!(walked, by_components);
    }

    #[test]
    fn output_order_is_the_file_order_on_any_number_of_threads() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for i in 0..40 {
            let path = dir.path().join(format!("{i:02}.md"));
            // Two section headings make it a report; no year anywhere: every file reports
            // N001, so every file has output.
            std::fs::write(
                &path,
                format!("# 报告{i}\n\n一、总体情况\n\n二、主动公开政府信息情况\n"),
            )
            .unwrap();
            files.push(path);
        }
        for threads in [1, 2, 4] {
            let options = plain(Output::Human { color: false }, threads);
            let mut seen = Vec::new();
            run(&files, &options, |r| {
                assert!(r.text.contains("N001"), "{}", r.text);
                seen.push(r.path.clone());
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, files, "{threads} threads");
        }
    }

    #[test]
    fn batches_cover_every_index_once_growing_to_the_cap() {
        for (count, threads) in [(2, 2), (40, 2), (1000, 1), (1000, 4), (7, 16)] {
            let cut = batches(count, threads);
            let flat: Vec<usize> = cut.iter().flat_map(|b| b.clone()).collect();
            assert_eq!(flat, (0..count).collect::<Vec<_>>(), "{count} on {threads}");
            assert_eq!(cut[0].len(), 1, "the first file comes alone");
            assert!(cut.iter().all(|b| !b.is_empty() && b.len() <= MAX_BATCH));
        }
        assert_eq!(
            batches(1000, 1).iter().map(|b| b.len()).max(),
            Some(MAX_BATCH)
        );
        // Forty files on two threads: batches of at most five, so both threads share the work.
        assert!(batches(40, 2).iter().all(|b| b.len() <= 5));
    }

    #[test]
    fn walk_respects_gitignore_and_hidden_files_and_sorts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("drafts")).unwrap();
        std::fs::create_dir_all(root.join(".cache")).unwrap();
        for f in [
            "b.md",
            "a.md",
            "drafts/c.txt",
            "drafts/old.md",
            ".cache/x.md",
            "notes.xlsx",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "drafts/old.md\n").unwrap();
        let found = collect_files(&[root.to_path_buf()]);
        assert!(found.failures.is_empty());
        let names: Vec<String> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.md", "b.md", "drafts/c.txt"]);
    }

    /// Resolving a file's folder once gives what resolving every file gave: the same file
    /// reached by two names (a folder given twice over, a linked folder, a linked file) is one.
    #[cfg(unix)]
    #[test]
    fn a_file_is_identified_as_canonicalize_identifies_it() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("reports");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        for f in ["a.md", "sub/b.md"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::fs::write(elsewhere.join("c.md"), "x").unwrap();
        symlink(&elsewhere, root.join("folder")).unwrap();
        symlink(elsewhere.join("c.md"), root.join("sub/linked.md")).unwrap();
        let names = [
            root.join("a.md"),
            root.join("sub/b.md"),
            root.join("sub/../a.md"),
            root.join("folder/c.md"),
            root.join("sub/linked.md"),
            elsewhere.join("c.md"),
            root.join("sub/b.md"),
            dir.path().join("missing/d.md"),
            dir.path().join("missing/d.md"),
        ];
        let mut identities = Identities::default();
        let mut canonical = std::collections::HashSet::new();
        for name in &names {
            let is_link = std::fs::symlink_metadata(name).is_ok_and(|m| m.is_symlink());
            assert_eq!(
                identities.first(name, is_link),
                canonical.insert(std::fs::canonicalize(name).unwrap_or_else(|_| name.clone())),
                "{}",
                name.display()
            );
        }
        // A folder and a folder inside it: each file once.
        let walked = collect_files(&[root.clone(), root.join("sub"), elsewhere]);
        assert_eq!(walked.files.len(), 3, "{:?}", walked.files);
    }

    /// Files take their folder's configuration, in any order of folders, and files under one
    /// configuration share one setup.
    #[test]
    fn each_file_takes_its_folders_configuration() {
        let dir = tempfile::tempdir().unwrap();
        for (folder, year) in [("a", 2020), ("b", 2021)] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
            std::fs::write(
                dir.path().join(folder).join("nianbao.toml"),
                format!("year = {year}\n"),
            )
            .unwrap();
        }
        let files: Vec<PathBuf> = ["a/1.md", "b/2.md", "a/3.md", "a/4.md", "b/5.md"]
            .iter()
            .map(|f| dir.path().join(f))
            .collect();
        let options = plain(Output::Json, 1);
        let setups = setups_for(&files, &options);
        let years: Vec<Option<i32>> = setups
            .iter()
            .map(|s| s.as_ref().unwrap().config.year)
            .collect();
        assert_eq!(
            years,
            [Some(2020), Some(2021), Some(2020), Some(2020), Some(2021)]
        );
        let shared = |i: usize, j: usize| {
            Arc::ptr_eq(setups[i].as_ref().unwrap(), setups[j].as_ref().unwrap())
        };
        assert!(shared(0, 2) && shared(0, 3) && shared(1, 4) && !shared(0, 1));
        // `--year` overrides every folder's.
        let options = Options {
            year: Some(2023),
            ..options
        };
        assert!(
            setups_for(&files, &options)
                .iter()
                .all(|s| s.as_ref().unwrap().config.year == Some(2023))
        );
    }

    #[test]
    fn an_unreadable_file_fails_alone() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.md");
        std::fs::write(&good, "# x\n").unwrap();
        let missing = dir.path().join("missing.md");
        let options = plain(Output::Json, 2);
        let mut reports = Vec::new();
        let collected = collect_files(&[missing, good]);
        assert_eq!(collected.files.len(), 2, "a missing path stays in the list");
        run(&collected.files, &options, |r| {
            reports.push(r);
            Ok(())
        })
        .unwrap();
        let why = reports[0].failure.as_deref().expect("missing.md fails");
        assert!(why.contains("文件不存在"), "{why}");
        assert!(reports[1].failure.is_none());
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        use std::sync::atomic::AtomicUsize;
        for (threads, handout) in [1, 2, 4]
            .into_iter()
            .flat_map(|t| [(t, Handout::Split), (t, Handout::InOrder)])
        {
            // Every file but the first waits until the sink has failed, so the count of files
            // finished afterwards does not depend on how fast this machine is.
            let failed = AtomicBool::new(false);
            let finished = AtomicUsize::new(0);
            let work = |index: usize| {
                while index > 0 && !failed.load(Ordering::SeqCst) {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
                finished.fetch_add(1, Ordering::SeqCst);
                FileReport::new(&PathBuf::from(format!("{index}.md")))
            };
            let mut delivered = 0;
            let result = schedule(1000, threads, handout, work, |_| {
                delivered += 1;
                failed.store(true, Ordering::SeqCst);
                anyhow::bail!("reader gone")
            });
            assert!(result.is_err(), "the sink's error is returned");
            assert_eq!(delivered, 1, "nothing is handed on after the failure");
            // The first file, and at most the one each worker was waiting in (with slack).
            let finished = finished.load(Ordering::SeqCst);
            assert!(
                finished <= 1 + 2 * threads,
                "{threads} threads: {finished} of 1000 files linted after the sink failed"
            );
        }
    }
}
