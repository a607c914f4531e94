//! The scan pipeline: walk the paths, read every file with the reader its format needs, run the
//! detection engine on a rayon pool, and stream findings and warnings to one sink.
//!
//! # Threads and memory
//!
//! [`scan`] builds a rayon pool of [`ScanOptions::threads`] threads. A producer thread walks the
//! paths and hands files to the pool (`par_bridge`), one file per task; structured files
//! (CSV/TSV, JSON, NDJSON, XLSX) and small text files are read start to end by their task. Text
//! files larger than two chunks are set aside (only their paths are kept) and scanned after the
//! walk, one at a time, each split into pieces scanned in parallel by the whole pool (see
//! [`crate::textscan`]). Nesting the two kinds of parallelism would let a waiting worker steal
//! another big file and stack buffers; keeping them apart bounds memory at about
//! `threads × 16 MiB` for the first phase and `2 × threads × chunk` plus decoded text for the
//! second, whatever the number and size of the files.
//!
//! Findings travel in batches of at most [`BATCH`] through a bounded channel to the thread that
//! called [`scan`], which alone writes to the sink, updates the [`Summary`] and calls the
//! progress callback. The channel holds at most 64 batches, so a slow sink slows the workers
//! down instead of letting findings pile up; nothing keeps all findings of a scan. When the
//! sink fails (disk full, closed pipe), the workers are told to stop and [`scan`] returns the
//! error.
//!
//! Order: findings of one file arrive in file order (offset order for text, reading order for
//! structured files, then its column findings). With more than one thread, files are
//! interleaved in completion order; with one thread the order is the walk's, which is
//! deterministic.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use rayon::prelude::*;
use thiserror::Error;
use xiezhi_detect::{Engine, EngineConfig, Match, mask};
use xiezhi_model::{Finding, MatchFinding, PiType, SensitivityPack, Warning, WarningReason};

use crate::csv::{CsvOptions, read_csv};
use crate::decode::{ReadError, TextEncoding, binary_magic, is_probably_binary, sniff_encoding};
use crate::json::{JsonOptions, read_json};
use crate::report::Reporter;
use crate::sniff::{FileFormat, detect_format};
use crate::structured::StructuredScan;
use crate::summary::{FileTotals, Summary};
use crate::textscan::{
    DEFAULT_CHUNK_SIZE, DEFAULT_OVERLAP, TextHit, TextScanConfig, TextSink, scan_text,
};
use crate::walk::{WalkError, WalkItem, WalkOptions, walk};
use crate::xlsx::{XlsxOptions, read_xlsx};

/// Findings sent to the writer at once.
pub const BATCH: usize = 512;
/// Batches waiting for the writer at most.
const CHANNEL_BOUND: usize = 64;
/// Bytes read to sniff a file's format and encoding.
const HEAD_BYTES: usize = 8 * 1024;
/// Files kept in [`Summary::files`] (those with the most findings).
pub const TOP_FILES: usize = 100;

/// What to scan and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanOptions {
    /// Files and directories to scan.
    pub paths: Vec<PathBuf>,
    /// Globs, ignore files, symbolic links, size limit (see [`crate::walk`]).
    pub walk: WalkOptions,
    /// Worker threads; 0 means one per available CPU.
    pub threads: usize,
    /// Types to report and the confidence threshold.
    pub engine: EngineConfig,
    /// The standard that decides which PI is sensitive.
    pub pack: SensitivityPack,
    /// Put raw values into findings (`--show-values`).
    pub show_values: bool,
    /// Size of a text piece scanned at once (default 4 MiB); small values are for tests.
    pub chunk_size: usize,
    /// Overlap between text pieces (default 4 KiB): longer values across a piece edge are cut.
    pub overlap: usize,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: Vec::new(),
            walk: WalkOptions::default(),
            threads: 0,
            engine: EngineConfig::default(),
            pack: SensitivityPack::default(),
            show_values: false,
            chunk_size: DEFAULT_CHUNK_SIZE,
            overlap: DEFAULT_OVERLAP,
        }
    }
}

/// Where findings and warnings go. Every [`Reporter`] is one; a collecting sink for tests and
/// `xiezhi eval` is a `Vec` wrapper implementing it.
pub trait FindingSink {
    /// One finding.
    fn finding(&mut self, finding: &Finding) -> io::Result<()>;
    /// One warning.
    fn warning(&mut self, warning: &Warning) -> io::Result<()>;
}

impl<R: Reporter + ?Sized> FindingSink for R {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        Reporter::finding(self, finding)
    }
    fn warning(&mut self, warning: &Warning) -> io::Result<()> {
        Reporter::warning(self, warning)
    }
}

/// A sink that keeps everything in memory (for tests and evaluation on small corpora).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CollectingSink {
    /// Findings in arrival order.
    pub findings: Vec<Finding>,
    /// Warnings in arrival order.
    pub warnings: Vec<Warning>,
}

impl FindingSink for CollectingSink {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        self.findings.push(finding.clone());
        Ok(())
    }
    fn warning(&mut self, warning: &Warning) -> io::Result<()> {
        self.warnings.push(warning.clone());
        Ok(())
    }
}

/// How far the scan is, for progress bars.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Progress {
    /// Files finished (scanned or skipped).
    pub files: u64,
    /// Bytes read so far.
    pub bytes: u64,
    /// Findings so far.
    pub findings: u64,
    /// Warnings so far.
    pub warnings: u64,
    /// Since the scan started.
    pub elapsed: Duration,
}

/// Why a scan could not run or finish.
#[derive(Debug, Error)]
pub enum ScanError {
    /// A path or glob given on the command line is wrong.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads: {source}; try a smaller --threads")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The error.
        source: rayon::ThreadPoolBuildError,
    },
    /// Findings could not be written.
    #[error(
        "cannot write the findings: {source}; check that the output file's disk is not full, or that the program reading the output is still running"
    )]
    Output {
        /// The error.
        source: io::Error,
    },
    /// A scan thread ended abnormally (a bug).
    #[error(
        "a scan thread stopped unexpectedly; please report this as a bug with the command line used"
    )]
    Internal,
}

/// Scans `options.paths` and streams findings and warnings to `sink`; calls `progress` now and
/// then from the calling thread. Returns the totals; writing them (and closing the document) is
/// the caller's job, e.g. [`Reporter::finish`].
pub fn scan<S: FindingSink + ?Sized>(
    options: &ScanOptions,
    sink: &mut S,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Summary, ScanError> {
    let started = Instant::now();
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        options.threads
    };
    let walker = walk(&options.paths, &options.walk)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("xiezhi-scan-{i}"))
        .build()
        .map_err(|source| ScanError::Threads { threads, source })?;
    let engine = Engine::new(options.engine.clone());
    let mut summary = Summary::new(options.pack, threads);
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(CHANNEL_BOUND);
    let cancelled = AtomicBool::new(false);
    let shared = Shared {
        engine: &engine,
        options,
        threads,
        cancelled: &cancelled,
        deferred: Mutex::new(Vec::new()),
    };

    let result = std::thread::scope(|scope| {
        let producer = scope.spawn(|| {
            let tx = tx;
            pool.install(|| {
                walker.par_bridge().for_each(|item| {
                    if !shared.cancelled.load(Ordering::Relaxed) {
                        shared.guarded(item, Phase::Walk, &tx);
                    }
                });
                let deferred = match shared.deferred.lock() {
                    Ok(mut list) => std::mem::take(&mut *list),
                    Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
                };
                for (path, size) in deferred {
                    if shared.cancelled.load(Ordering::Relaxed) {
                        break;
                    }
                    shared.guarded(
                        WalkItem::File {
                            path,
                            size,
                            explicit: false,
                        },
                        Phase::BigText,
                        &tx,
                    );
                }
            });
        });
        let consumed = consume(&rx, sink, &mut summary, started, progress);
        if consumed.is_err() {
            cancelled.store(true, Ordering::Relaxed);
            // Unblock the workers: drain until they are gone.
            while rx.recv().is_ok() {}
        }
        let joined = producer.join();
        match (consumed, joined) {
            (Err(e), _) => Err(e),
            (Ok(()), Err(_)) => Err(ScanError::Internal),
            (Ok(()), Ok(())) => Ok(()),
        }
    });
    result?;
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    summary.files.sort_by(|a, b| {
        (b.values + b.columns)
            .cmp(&(a.values + a.columns))
            .then_with(|| a.path.cmp(&b.path))
    });
    summary.files.truncate(TOP_FILES);
    Ok(summary)
}

/// The writer side: everything that touches the sink and the summary.
fn consume<S: FindingSink + ?Sized>(
    rx: &Receiver<Msg>,
    sink: &mut S,
    summary: &mut Summary,
    started: Instant,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(), ScanError> {
    let mut state = Progress::default();
    let mut last_call = Instant::now();
    let output = |source| ScanError::Output { source };
    for msg in rx.iter() {
        let mut force = false;
        match msg {
            Msg::Findings(findings) => {
                for f in &findings {
                    sink.finding(f).map_err(output)?;
                    count_finding(summary, f);
                }
                state.findings = state.findings.saturating_add(findings.len() as u64);
            }
            Msg::Warning(w) => {
                sink.warning(&w).map_err(output)?;
                summary.count_warning(w.reason);
                state.warnings = state.warnings.saturating_add(1);
            }
            Msg::Bytes(n) => {
                summary.bytes_scanned = summary.bytes_scanned.saturating_add(n);
                state.bytes = summary.bytes_scanned;
            }
            Msg::Done(done) => {
                count_file(summary, done);
                state.files = state.files.saturating_add(1);
                force = state.files == 1;
            }
        }
        if force || last_call.elapsed() >= Duration::from_millis(100) {
            last_call = Instant::now();
            state.elapsed = started.elapsed();
            progress(&state);
        }
    }
    state.elapsed = started.elapsed();
    progress(&state);
    Ok(())
}

fn count_finding(summary: &mut Summary, f: &Finding) {
    let totals = summary.by_type.entry(f.pi_type()).or_default();
    totals.sensitive = f.sensitive();
    match f {
        Finding::Match(_) => {
            totals.values = totals.values.saturating_add(1);
            summary.match_findings = summary.match_findings.saturating_add(1);
        }
        Finding::Column(_) => {
            totals.columns = totals.columns.saturating_add(1);
            summary.column_findings = summary.column_findings.saturating_add(1);
        }
    }
    if f.sensitive() {
        summary.sensitive_findings = summary.sensitive_findings.saturating_add(1);
    }
}

fn count_file(summary: &mut Summary, done: FileDone) {
    match done.outcome {
        Outcome::Scanned => summary.files_scanned = summary.files_scanned.saturating_add(1),
        Outcome::Binary => summary.files_binary = summary.files_binary.saturating_add(1),
        Outcome::Empty => summary.files_empty = summary.files_empty.saturating_add(1),
        Outcome::Unreadable => {
            summary.files_unreadable = summary.files_unreadable.saturating_add(1);
        }
        Outcome::TooLarge => {}
    }
    if done.values + done.columns == 0 {
        return;
    }
    summary.files_with_findings = summary.files_with_findings.saturating_add(1);
    for t in &done.types {
        let totals = summary.by_type.entry(*t).or_default();
        totals.files = totals.files.saturating_add(1);
    }
    summary.files.push(FileTotals {
        path: done.path,
        values: done.values,
        columns: done.columns,
        sensitive: done.sensitive,
        types: done.types,
    });
    if summary.files.len() >= TOP_FILES * 4 {
        summary
            .files
            .sort_by_key(|f| std::cmp::Reverse(f.values + f.columns));
        summary.files.truncate(TOP_FILES);
    }
}

/// A message from a worker to the writer.
#[derive(Debug)]
enum Msg {
    Findings(Vec<Finding>),
    Warning(Warning),
    Bytes(u64),
    Done(FileDone),
}

/// How a file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Scanned,
    Binary,
    Empty,
    Unreadable,
    TooLarge,
}

/// The per-file totals sent when a file is finished.
#[derive(Debug)]
struct FileDone {
    path: String,
    outcome: Outcome,
    values: u64,
    columns: u64,
    sensitive: u64,
    types: Vec<PiType>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// During the walk: big text files are set aside.
    Walk,
    /// After the walk: one big text file at a time, in parallel pieces.
    BigText,
}

/// What every worker shares.
struct Shared<'a> {
    engine: &'a Engine,
    options: &'a ScanOptions,
    threads: usize,
    cancelled: &'a AtomicBool,
    deferred: Mutex<Vec<(PathBuf, u64)>>,
}

/// What a finding needs to know about its file.
#[derive(Debug, Clone)]
pub(crate) struct FileContext {
    /// Path as reported.
    pub(crate) path: String,
    pub(crate) pack: SensitivityPack,
    pub(crate) show_values: bool,
    /// Encoding label when not UTF-8.
    pub(crate) encoding: Option<&'static str>,
}

impl FileContext {
    /// A match finding for `m`, whose value text is `value`.
    pub(crate) fn match_finding(
        &self,
        m: &Match,
        value: &str,
        line: u64,
        column: u64,
        start: Option<u64>,
        end: Option<u64>,
    ) -> MatchFinding {
        MatchFinding {
            path: self.path.clone(),
            line,
            column,
            start,
            end,
            pi_type: m.pi_type,
            category: m.pi_type.category(),
            sensitive: self.pack.is_sensitive(m.pi_type),
            confidence: m.confidence,
            rule: m.pi_type.id().to_owned(),
            masked: mask(m.pi_type, value),
            evidence: m.evidence.iter().map(|e| (*e).to_owned()).collect(),
            value: self.show_values.then(|| value.to_owned()),
            field: None,
            sheet: None,
            cell: None,
            encoding: self.encoding.map(str::to_owned),
        }
    }
}

/// Where the readers of one file put findings and warnings.
pub(crate) trait FileEmit {
    /// One finding.
    fn finding(&mut self, finding: Finding);
    /// One warning about the file.
    fn warning(&mut self, reason: WarningReason, line: Option<u64>, message: String);
}

/// The per-file output: batches findings for the writer and keeps the file's totals.
struct FileOut<'a> {
    tx: &'a Sender<Msg>,
    cancelled: &'a AtomicBool,
    path: String,
    batch: Vec<Finding>,
    values: u64,
    columns: u64,
    sensitive: u64,
    types: xiezhi_detect::TypeSet,
    warned: Vec<WarningReason>,
}

impl<'a> FileOut<'a> {
    fn new(tx: &'a Sender<Msg>, cancelled: &'a AtomicBool, path: String) -> Self {
        FileOut {
            tx,
            cancelled,
            path,
            batch: Vec::new(),
            values: 0,
            columns: 0,
            sensitive: 0,
            types: xiezhi_detect::TypeSet::EMPTY,
            warned: Vec::new(),
        }
    }

    fn send(&self, msg: Msg) {
        if self.tx.send(msg).is_err() {
            self.cancelled.store(true, Ordering::Relaxed);
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            self.send(Msg::Findings(batch));
        }
    }

    fn bytes(&self, n: u64) {
        if n > 0 {
            self.send(Msg::Bytes(n));
        }
    }

    fn done(mut self, outcome: Outcome) {
        self.flush();
        let types = self.types.iter().collect();
        let done = FileDone {
            path: std::mem::take(&mut self.path),
            outcome,
            values: self.values,
            columns: self.columns,
            sensitive: self.sensitive,
            types,
        };
        self.send(Msg::Done(done));
    }

    fn warned(&self, reason: WarningReason) -> bool {
        self.warned.contains(&reason)
    }
}

impl FileEmit for FileOut<'_> {
    fn finding(&mut self, finding: Finding) {
        match &finding {
            Finding::Match(_) => self.values = self.values.saturating_add(1),
            Finding::Column(_) => self.columns = self.columns.saturating_add(1),
        }
        if finding.sensitive() {
            self.sensitive = self.sensitive.saturating_add(1);
        }
        self.types = self.types.with(finding.pi_type());
        self.batch.push(finding);
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }

    fn warning(&mut self, reason: WarningReason, line: Option<u64>, message: String) {
        // Keep findings and warnings of a file in order.
        self.flush();
        self.warned.push(reason);
        let warning = Warning {
            path: self.path.clone(),
            line,
            reason,
            message,
        };
        self.send(Msg::Warning(warning));
    }
}

/// Counts bytes read through it.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count = self.count.saturating_add(n as u64);
        Ok(n)
    }
}

/// Turns text hits into findings.
struct TextFindings<'a, 'b> {
    ctx: &'a FileContext,
    out: &'a mut FileOut<'b>,
    /// Whether bytes read count for the summary (not when a broken JSON file is read again).
    count_bytes: bool,
}

impl TextSink for TextFindings<'_, '_> {
    fn hit(&mut self, hit: &TextHit<'_>) {
        let finding = self.ctx.match_finding(
            hit.found,
            hit.value,
            hit.line,
            hit.column,
            Some(hit.start),
            Some(hit.end),
        );
        self.out.finding(Finding::Match(finding));
    }

    fn progress(&mut self, bytes: u64) {
        if self.count_bytes {
            self.out.bytes(bytes);
        }
    }

    fn stop(&self) -> bool {
        self.out.cancelled.load(Ordering::Relaxed)
    }
}

impl Shared<'_> {
    /// Scans one walked item; a panic (a bug) costs only this file, which gets a warning.
    fn guarded(&self, item: WalkItem, phase: Phase, tx: &Sender<Msg>) {
        let path = match &item {
            WalkItem::File { path, .. }
            | WalkItem::TooLarge { path, .. }
            | WalkItem::Error { path, .. } => path.clone(),
        };
        let run = std::panic::AssertUnwindSafe(|| self.handle(item, phase, tx));
        if std::panic::catch_unwind(run).is_err() {
            let mut out = FileOut::new(tx, self.cancelled, display(&path));
            out.warning(
                WarningReason::Unreadable,
                None,
                "internal error while scanning this file; it was skipped. Please report this bug (the file's name and format, not its content)".to_owned(),
            );
            out.done(Outcome::Unreadable);
        }
    }

    /// Scans one walked item.
    fn handle(&self, item: WalkItem, phase: Phase, tx: &Sender<Msg>) {
        match item {
            WalkItem::File { path, size, .. } => self.file(&path, size, phase, tx),
            WalkItem::TooLarge { path, size } => {
                let mut out = FileOut::new(tx, self.cancelled, display(&path));
                let limit = self.options.walk.max_file_size.unwrap_or(0);
                out.warning(
                    WarningReason::TooLarge,
                    None,
                    format!(
                        "the file is {size} bytes, over the --max-file-size limit of {limit} bytes; it was not read (raise the limit to scan it)"
                    ),
                );
                out.done(Outcome::TooLarge);
            }
            WalkItem::Error { path, message } => {
                let mut out = FileOut::new(tx, self.cancelled, display(&path));
                out.warning(WarningReason::Unreadable, None, message);
                out.done(Outcome::Unreadable);
            }
        }
    }

    /// Scans one file.
    fn file(&self, path: &Path, size: u64, phase: Phase, tx: &Sender<Msg>) {
        let mut out = FileOut::new(tx, self.cancelled, display(path));
        let outcome = self.read_file(path, size, phase, &mut out);
        match outcome {
            Some(outcome) => out.done(outcome),
            // Set aside for the second phase: no totals yet.
            None => out.flush(),
        }
    }

    /// Reads and scans a file; `None` when it was set aside for the big-text phase.
    fn read_file(
        &self,
        path: &Path,
        size: u64,
        phase: Phase,
        out: &mut FileOut<'_>,
    ) -> Option<Outcome> {
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                out.warning(WarningReason::Unreadable, None, io_message(&e));
                return Some(Outcome::Unreadable);
            }
        };
        let mut head = Vec::with_capacity(HEAD_BYTES);
        if let Err(e) = (&mut file).take(HEAD_BYTES as u64).read_to_end(&mut head) {
            out.warning(WarningReason::Unreadable, None, io_message(&e));
            return Some(Outcome::Unreadable);
        }
        if head.is_empty() {
            out.warning(WarningReason::Empty, None, "the file is empty".to_owned());
            return Some(Outcome::Empty);
        }
        let format = detect_format(path, &head);
        if format == FileFormat::Xlsx {
            drop(file);
            return Some(self.xlsx(path, size, out));
        }
        let sniffed = sniff_encoding(&head);
        if let Some(kind) = binary_magic(&head) {
            out.warning(
                WarningReason::Binary,
                None,
                format!("binary file ({kind}); skipped"),
            );
            return Some(Outcome::Binary);
        }
        if is_probably_binary(&head, sniffed) {
            out.warning(
                WarningReason::Binary,
                None,
                "looks like binary data (NUL or control bytes); skipped".to_owned(),
            );
            return Some(Outcome::Binary);
        }
        let ctx = FileContext {
            path: out.path.clone(),
            pack: self.options.pack,
            show_values: self.options.show_values,
            encoding: (sniffed.encoding != TextEncoding::Utf8).then(|| sniffed.encoding.label()),
        };
        let big = size > (self.options.chunk_size as u64).saturating_mul(2);
        let text_config = |pieces: usize, report_from: u64| TextScanConfig {
            chunk_size: self.options.chunk_size,
            overlap: self.options.overlap,
            pieces,
            report_from,
        };
        let reader = io::Cursor::new(head).chain(file);
        let result: Result<(), ReadError> = match format {
            FileFormat::Text if phase == Phase::Walk && big && self.threads > 1 => {
                match self.deferred.lock() {
                    Ok(mut list) => list.push((path.to_path_buf(), size)),
                    Err(poisoned) => poisoned.into_inner().push((path.to_path_buf(), size)),
                }
                return None;
            }
            FileFormat::Text | FileFormat::Xlsx => {
                let pieces = if phase == Phase::BigText {
                    self.threads
                } else {
                    1
                };
                self.text(reader, sniffed, &ctx, text_config(pieces, 0), out)
            }
            FileFormat::Csv { delimiter } => {
                let options = CsvOptions {
                    delimiter,
                    ..CsvOptions::default()
                };
                let mut counting = Counting {
                    inner: reader,
                    count: 0,
                };
                let mut cells = StructuredScan::new(self.engine, &ctx, out);
                let r = read_csv(&mut counting, sniffed, &options, &mut cells);
                cells.finish();
                out.bytes(counting.count);
                r.map(|_| ())
            }
            FileFormat::Json | FileFormat::Ndjson => {
                let options = JsonOptions {
                    ndjson: format == FileFormat::Ndjson,
                    ..JsonOptions::default()
                };
                let mut counting = Counting {
                    inner: reader,
                    count: 0,
                };
                let mut cells = StructuredScan::new(self.engine, &ctx, out);
                let r = read_json(&mut counting, sniffed, &options, &mut cells);
                cells.finish();
                out.bytes(counting.count);
                match r {
                    Ok(stats) => match stats.malformed_at {
                        // The rest of a broken document is scanned as text.
                        Some(at) if at < size => match File::open(path) {
                            Ok(again) => self.text(again, sniffed, &ctx, text_config(1, at), out),
                            Err(e) => Err(ReadError::Io {
                                offset: 0,
                                source: e,
                            }),
                        },
                        _ => Ok(()),
                    },
                    Err(e) => Err(e),
                }
            }
        };
        match result {
            Ok(_) => Some(Outcome::Scanned),
            Err(e) => {
                out.warning(e.reason(), None, read_error_message(&e));
                Some(Outcome::Unreadable)
            }
        }
    }

    /// Scans text. Bytes read are reported as the scan goes.
    fn text<R: Read + Send>(
        &self,
        reader: R,
        sniffed: crate::decode::Sniffed,
        ctx: &FileContext,
        config: TextScanConfig,
        out: &mut FileOut<'_>,
    ) -> Result<(), ReadError> {
        let mut sink = TextFindings {
            ctx,
            out,
            count_bytes: config.report_from == 0,
        };
        let stats = scan_text(reader, sniffed, self.engine, &config, &mut sink)?;
        if stats.decode_errors > 0 && !out.warned(WarningReason::DecodeErrors) {
            out.warning(
                WarningReason::DecodeErrors,
                None,
                format!(
                    "{} byte sequences are invalid in {} and were replaced; values around them may be missed",
                    stats.decode_errors,
                    sniffed.encoding.label()
                ),
            );
        }
        Ok(())
    }

    fn xlsx(&self, path: &Path, size: u64, out: &mut FileOut<'_>) -> Outcome {
        let ctx = FileContext {
            path: out.path.clone(),
            pack: self.options.pack,
            show_values: self.options.show_values,
            encoding: None,
        };
        let mut cells = StructuredScan::new(self.engine, &ctx, out);
        let result = read_xlsx(path, &XlsxOptions::default(), &mut cells);
        cells.finish();
        out.bytes(size);
        match result {
            Ok(_) => Outcome::Scanned,
            Err(e) => {
                let outcome = match e {
                    ReadError::Io { .. } => Outcome::Unreadable,
                    ReadError::Spreadsheet { .. } => Outcome::Scanned,
                };
                out.warning(e.reason(), None, read_error_message(&e));
                outcome
            }
        }
    }
}

/// A path as it appears in findings.
fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "permission denied; run the scan as a user who may read it, or exclude it".to_owned()
        }
        io::ErrorKind::NotFound => "the file vanished during the scan".to_owned(),
        _ => format!("cannot read the file ({e})"),
    }
}

fn read_error_message(e: &ReadError) -> String {
    match e {
        ReadError::Io { offset, source } => format!(
            "reading stopped at byte {offset}: {}; findings before that point were reported",
            io_message(source)
        ),
        ReadError::Spreadsheet { reason } => format!("cannot open the spreadsheet: {reason}"),
    }
}
