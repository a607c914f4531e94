//! Scoring findings against a labelled evaluation corpus (`scripts/gen_eval_corpus.py`, described
//! in `scripts/README-eval.md`): per PI type true positives, false positives, false negatives,
//! precision and recall, checked against the quality floors.
//!
//! # Inputs
//!
//! [`load_labels`] reads `labels.ndjson` (and `manifest.json` when it is there) from a corpus
//! directory. Span labels are `{path, start, end, type}` with byte offsets into the file exactly as
//! written; column labels are `{path, kind: "column", column, type}`. Label paths are relative to
//! the corpus directory.
//!
//! [`score`] takes the findings of a scan of that directory. Finding paths are the paths as
//! scanned (`/tmp/corpus/app_001.log`, `corpus/app_001.log`, `./app_001.log`...); they are made
//! relative to the corpus directory first (lexically, then through the file system, then by the
//! longest suffix that names a corpus file). Findings outside the corpus (including
//! `labels.ndjson` and `manifest.json` themselves) are counted, not scored. When the manifest is
//! present, its file list is the corpus.
//!
//! The scan must report every value as a match finding: values folded into a column finding are
//! not matched to their cell labels and count as misses.
//!
//! # Span matching
//!
//! * A match finding of type T **matches** a span label of the **same** type T when their byte
//!   ranges `[start, end)` overlap by at least half of the shorter of the two (and by at least one
//!   byte): `2 × overlap ≥ min(len(finding), len(label))`. So `138 1234 5678` found inside the
//!   label `+86 138 1234 5678` matches, and a label found one character short matches too.
//! * Each label is matched **at most once** and each finding matches at most one label. Pairs are
//!   assigned greedily, largest overlap first (ties: the closer aligned pair, then the earlier one),
//!   so the result does not depend on the order of the findings.
//! * A matched finding is a true positive of T. A finding left unmatched is a false positive of
//!   its own type, whatever it overlaps: a second finding on an already matched label (a
//!   duplicate), a finding overlapping a label of another type (a type confusion), a finding
//!   overlapping a same-type label by less than half, or a finding on no label at all.
//! * A label left unmatched is a false negative of the label's type. A finding of another type on
//!   it does not cover it; another finding of the right type does.
//! * Findings without byte offsets (spreadsheet cells) cannot be located and are only counted.
//!
//! # Column classification
//!
//! Column findings are scored separately against column labels, per type: a column finding
//! matches a column label with the same path, the same header (compared after trimming spaces and
//! a byte-order mark) and the same type; each label at most once. Only table files are scored
//! (files the manifest marks as `kind: "table"`, else files with a column label or a
//! `.csv`/`.tsv`/`.xlsx`/`.xls` name): the corpus labels no JSON key paths, so column findings
//! elsewhere are counted, not scored. A column finding on a misleading column (a `phone` header
//! over order numbers) is a false positive.
//!
//! # Floors
//!
//! [`floor`] gives the minimum precision and recall per type: 0.99 for checksum-validated types,
//! 0.95 for mobile, landline, e-mail and IP addresses, 0.85 for names and addresses. Other types
//! are reported without a floor. [`EvalReport::below_floors`] lists the misses.
//!
//! Reports never hold values: examples give a path and byte offsets (or a column header) only.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use xiezhi_model::{ColumnFinding, Finding, Lang, MatchFinding, PiType};

/// Name of the label file in a corpus directory.
pub const LABELS_FILE: &str = "labels.ndjson";
/// Name of the manifest file in a corpus directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// How many false-positive and false-negative examples a report keeps per type.
pub const EXAMPLES_KEPT: usize = 20;

/// A labelled PI value: bytes `[start, end)` of a corpus file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpanLabel {
    /// Path relative to the corpus directory, `/`-separated.
    pub path: String,
    /// Byte offset of the value's first byte in the file as written.
    pub start: u64,
    /// Byte offset just past the value.
    pub end: u64,
    /// The PI type.
    #[serde(rename = "type")]
    pub pi_type: PiType,
}

/// A labelled table column whose values are all of one PI type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnLabel {
    /// Path relative to the corpus directory, `/`-separated.
    pub path: String,
    /// The header as written in the file.
    pub column: String,
    /// The PI type.
    #[serde(rename = "type")]
    pub pi_type: PiType,
}

/// One file of the corpus, as listed by the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusFile {
    /// Path relative to the corpus directory, `/`-separated.
    pub path: String,
    /// The generator's file kind (`table`, `app_log`, `zh_prose`...), if given.
    pub kind: Option<String>,
    /// Size in bytes, if given.
    pub bytes: Option<u64>,
}

/// The labels of a corpus: span labels, column labels and, when known, the list of files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    spans: Vec<SpanLabel>,
    columns: Vec<ColumnLabel>,
    files: Option<BTreeMap<String, CorpusFile>>,
}

impl Labels {
    /// Labels built in code. Paths are normalised (`./a.txt` → `a.txt`). Without a file list the
    /// corpus is every scanned file except [`LABELS_FILE`] and [`MANIFEST_FILE`].
    pub fn new(spans: Vec<SpanLabel>, columns: Vec<ColumnLabel>) -> Self {
        let spans = spans
            .into_iter()
            .map(|l| SpanLabel {
                path: clean_label_path(&l.path),
                ..l
            })
            .collect();
        let columns = columns
            .into_iter()
            .map(|l| ColumnLabel {
                path: clean_label_path(&l.path),
                ..l
            })
            .collect();
        Labels {
            spans,
            columns,
            files: None,
        }
    }

    /// Sets the list of corpus files (what the manifest lists). Findings in other files are not
    /// scored, and files without labels count every finding as a false positive.
    pub fn with_files(mut self, files: impl IntoIterator<Item = CorpusFile>) -> Self {
        self.files = Some(
            files
                .into_iter()
                .map(|f| {
                    let path = clean_label_path(&f.path);
                    (path.clone(), CorpusFile { path, ..f })
                })
                .collect(),
        );
        self
    }

    /// The span labels, in file order.
    pub fn spans(&self) -> &[SpanLabel] {
        &self.spans
    }

    /// The column labels, in file order.
    pub fn columns(&self) -> &[ColumnLabel] {
        &self.columns
    }

    /// The corpus files from the manifest, if it was read.
    pub fn files(&self) -> Option<impl Iterator<Item = &CorpusFile>> {
        self.files.as_ref().map(|f| f.values())
    }

    /// Number of span labels per type.
    pub fn span_counts(&self) -> BTreeMap<PiType, u64> {
        let mut out = BTreeMap::new();
        for l in &self.spans {
            *out.entry(l.pi_type).or_insert(0) += 1;
        }
        out
    }

    fn in_corpus(&self, rel: &str) -> bool {
        match &self.files {
            Some(files) => files.contains_key(rel),
            None => rel != LABELS_FILE && rel != MANIFEST_FILE,
        }
    }

    fn known_paths(&self) -> HashSet<&str> {
        let mut known: HashSet<&str> = self.spans.iter().map(|l| l.path.as_str()).collect();
        known.extend(self.columns.iter().map(|l| l.path.as_str()));
        if let Some(files) = &self.files {
            known.extend(files.keys().map(String::as_str));
        }
        known
    }

    fn table_files(&self) -> HashSet<&str> {
        let mut out: HashSet<&str> = self.columns.iter().map(|l| l.path.as_str()).collect();
        match &self.files {
            Some(files) => out.extend(
                files
                    .values()
                    .filter(|f| f.kind.as_deref() == Some("table"))
                    .map(|f| f.path.as_str()),
            ),
            None => out.extend(
                self.spans
                    .iter()
                    .map(|l| l.path.as_str())
                    .filter(|p| is_table_name(p)),
            ),
        }
        out
    }
}

/// Why a corpus could not be loaded. Messages name the file (and line) and what is wrong; they
/// never quote values.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A line of `labels.ndjson` is not a valid label.
    #[error("{}:{line}: {message}", .path.display())]
    Label {
        /// The label file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// `manifest.json` is malformed or disagrees with the labels.
    #[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
struct RawLabel {
    path: Option<String>,
    kind: Option<String>,
    start: Option<u64>,
    end: Option<u64>,
    column: Option<String>,
    #[serde(rename = "type")]
    pi_type: Option<String>,
}

/// Reads `labels.ndjson` and, when present, `manifest.json` from a corpus directory.
///
/// Checks every label (known type, `start < end`, relative path, no duplicate) and, with a
/// manifest, that every labelled file is listed, that spans end inside the file and that the
/// manifest's per-type counts agree with the labels.
pub fn load_labels(dir: &Path) -> Result<Labels, EvalError> {
    let labels_path = dir.join(LABELS_FILE);
    let bytes = fs::read(&labels_path).map_err(|source| EvalError::Io {
        path: labels_path.clone(),
        source,
    })?;
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest = match fs::read(&manifest_path) {
        Ok(m) => Some(parse_manifest(&manifest_path, &m)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(EvalError::Io {
                path: manifest_path,
                source,
            });
        }
    };
    let bad = |line: usize, message: String| EvalError::Label {
        path: labels_path.clone(),
        line,
        message,
    };

    let mut spans = Vec::new();
    let mut columns = Vec::new();
    let mut seen_spans: HashMap<(String, u64, u64, PiType), usize> = HashMap::new();
    let mut seen_columns: HashMap<(String, String), usize> = HashMap::new();
    for (i, raw_line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let raw_line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if raw_line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text =
            std::str::from_utf8(raw_line).map_err(|_| bad(line, "not valid UTF-8".to_owned()))?;
        let raw: RawLabel = serde_json::from_str(text)
            .map_err(|e| bad(line, format!("not a label object: {e}")))?;
        let path = match raw.path.as_deref() {
            None | Some("") => return Err(bad(line, "missing `path`".to_owned())),
            Some(p) => p,
        };
        if path.starts_with('/') || path.split('/').any(|c| c == "..") {
            return Err(bad(
                line,
                format!("`path` {path:?} must be relative to the corpus directory"),
            ));
        }
        let path = clean_label_path(path);
        let type_id = raw
            .pi_type
            .as_deref()
            .ok_or_else(|| bad(line, "missing `type`".to_owned()))?;
        let pi_type: PiType = type_id
            .parse()
            .map_err(|_| bad(line, format!("unknown PI type `{type_id}`")))?;
        if let Some(m) = &manifest
            && !m.files.contains_key(&path)
        {
            return Err(bad(
                line,
                format!("file `{path}` is not in the file list of {MANIFEST_FILE}"),
            ));
        }
        match raw.kind.as_deref() {
            Some("column") => {
                let column = match raw.column {
                    Some(c) if !c.trim().is_empty() => c,
                    _ => return Err(bad(line, "column label without `column`".to_owned())),
                };
                if let Some(first) =
                    seen_columns.insert((path.clone(), column_key(&column).to_owned()), line)
                {
                    return Err(bad(
                        line,
                        format!(
                            "column `{column}` of `{path}` is already labelled on line {first}"
                        ),
                    ));
                }
                columns.push(ColumnLabel {
                    path,
                    column,
                    pi_type,
                });
            }
            None | Some("span") | Some("value") => {
                let (Some(start), Some(end)) = (raw.start, raw.end) else {
                    return Err(bad(line, "span label without `start` and `end`".to_owned()));
                };
                if start >= end {
                    return Err(bad(line, format!("empty or reversed span {start}..{end}")));
                }
                if let Some(size) = manifest
                    .as_ref()
                    .and_then(|m| m.files.get(&path))
                    .and_then(|f| f.bytes)
                    && end > size
                {
                    return Err(bad(
                        line,
                        format!(
                            "span {start}..{end} ends past the end of `{path}` ({size} bytes in {MANIFEST_FILE})"
                        ),
                    ));
                }
                if let Some(first) = seen_spans.insert((path.clone(), start, end, pi_type), line) {
                    return Err(bad(line, format!("duplicate of the label on line {first}")));
                }
                spans.push(SpanLabel {
                    path,
                    start,
                    end,
                    pi_type,
                });
            }
            Some(other) => {
                return Err(bad(
                    line,
                    format!("unknown label kind `{other}` (expected `column` or none)"),
                ));
            }
        }
    }

    let mut labels = Labels::new(spans, columns);
    if let Some(m) = manifest {
        check_counts(&manifest_path, "counts_per_type", &m.span_counts, || {
            labels.span_counts()
        })?;
        check_counts(
            &manifest_path,
            "column_labels_per_type",
            &m.column_counts,
            || {
                let mut out = BTreeMap::new();
                for l in &labels.columns {
                    *out.entry(l.pi_type).or_insert(0) += 1;
                }
                out
            },
        )?;
        labels.files = Some(m.files);
    }
    Ok(labels)
}

struct Manifest {
    files: BTreeMap<String, CorpusFile>,
    span_counts: Option<BTreeMap<PiType, u64>>,
    column_counts: Option<BTreeMap<PiType, u64>>,
}

fn parse_manifest(path: &Path, bytes: &[u8]) -> Result<Manifest, EvalError> {
    let bad = |line: Option<usize>, message: String| EvalError::Manifest {
        path: path.to_owned(),
        line,
        message,
    };
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| bad(Some(e.line()), format!("not valid JSON: {e}")))?;
    let list = value
        .get("files")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| bad(None, "no `files` array".to_owned()))?;
    let mut files = BTreeMap::new();
    for (i, entry) in list.iter().enumerate() {
        let p = entry
            .get("path")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| bad(None, format!("files[{i}] has no string `path`")))?;
        let p = clean_label_path(p);
        let file = CorpusFile {
            path: p.clone(),
            kind: entry
                .get("kind")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
            bytes: entry.get("bytes").and_then(serde_json::Value::as_u64),
        };
        if files.insert(p.clone(), file).is_some() {
            return Err(bad(None, format!("files[{i}]: `{p}` is listed twice")));
        }
    }
    let counts = |key: &str| -> Result<Option<BTreeMap<PiType, u64>>, EvalError> {
        let Some(obj) = value.get(key) else {
            return Ok(None);
        };
        let obj = obj
            .as_object()
            .ok_or_else(|| bad(None, format!("`{key}` is not an object")))?;
        let mut out = BTreeMap::new();
        for (k, v) in obj {
            let t: PiType = k
                .parse()
                .map_err(|_| bad(None, format!("`{key}` names an unknown PI type `{k}`")))?;
            let n = v
                .as_u64()
                .ok_or_else(|| bad(None, format!("`{key}.{k}` is not a count")))?;
            out.insert(t, n);
        }
        Ok(Some(out))
    };
    Ok(Manifest {
        span_counts: counts("counts_per_type")?,
        column_counts: counts("column_labels_per_type")?,
        files,
    })
}

fn check_counts(
    path: &Path,
    key: &str,
    expected: &Option<BTreeMap<PiType, u64>>,
    actual: impl FnOnce() -> BTreeMap<PiType, u64>,
) -> Result<(), EvalError> {
    let Some(expected) = expected else {
        return Ok(());
    };
    let actual = actual();
    for &t in PiType::ALL {
        let e = expected.get(&t).copied().unwrap_or(0);
        let a = actual.get(&t).copied().unwrap_or(0);
        if e != a {
            return Err(EvalError::Manifest {
                path: path.to_owned(),
                line: None,
                message: format!("`{key}.{t}` is {e} but {LABELS_FILE} has {a} such labels"),
            });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Floors

/// The minimum precision and recall required of a type, as a fraction (0.99), or `None` for
/// types reported without a floor.
pub fn floor(t: PiType) -> Option<f64> {
    floor_percent(t).map(|p| f64::from(p) / 100.0)
}

fn floor_percent(t: PiType) -> Option<u32> {
    use PiType::*;
    match t {
        CnResidentId | BankCard | CnUscc | HkId | TwId | Vin | Imei => Some(99),
        CnMobile | CnLandline | Email | Ipv4 | Ipv6 => Some(95),
        PersonName | CnAddress | StreetAddress => Some(85),
        _ => None,
    }
}

/// Precision or recall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// TP / (TP + FP).
    Precision,
    /// TP / (TP + FN).
    Recall,
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Metric::Precision => "precision",
            Metric::Recall => "recall",
        })
    }
}

/// A type whose precision or recall is below its floor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorMiss {
    /// The type.
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// Which metric missed.
    pub metric: Metric,
    /// The measured value.
    pub value: f64,
    /// The floor.
    pub floor: f64,
}

impl fmt::Display for FloorMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {:.4} < {:.2}",
            self.pi_type, self.metric, self.value, self.floor
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Report

/// Scores of one PI type (spans or columns).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeScore {
    /// The type.
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// Labels of the type (TP + FN).
    pub labels: u64,
    /// Findings of the type that were scored (TP + FP).
    pub found: u64,
    /// Findings matched to a label.
    pub true_positives: u64,
    /// Findings matched to no label.
    pub false_positives: u64,
    /// Labels matched by no finding.
    pub false_negatives: u64,
    /// TP / (TP + FP); `None` when nothing was found.
    pub precision: Option<f64>,
    /// TP / (TP + FN); `None` when there is no label.
    pub recall: Option<f64>,
    /// The floor for precision and recall (`None`: no floor; always `None` for columns).
    pub floor: Option<f64>,
    /// False when precision or recall is below the floor.
    pub ok: bool,
    /// Why the false positives are false.
    pub false_positive_reasons: ReasonCounts,
    /// Why the labels were missed.
    pub false_negative_reasons: ReasonCounts,
}

impl TypeScore {
    fn new(pi_type: PiType, floor_pct: Option<u32>, c: &Tally) -> Self {
        let precision = ratio(c.tp, c.tp + c.fp);
        let recall = ratio(c.tp, c.tp + c.fn_);
        let ok =
            floor_pct.is_none_or(|p| meets(c.tp, c.tp + c.fp, p) && meets(c.tp, c.tp + c.fn_, p));
        TypeScore {
            pi_type,
            labels: c.tp + c.fn_,
            found: c.tp + c.fp,
            true_positives: c.tp,
            false_positives: c.fp,
            false_negatives: c.fn_,
            precision,
            recall,
            floor: floor_pct.map(|p| f64::from(p) / 100.0),
            ok,
            false_positive_reasons: c.fp_reasons.clone(),
            false_negative_reasons: c.fn_reasons.clone(),
        }
    }

    fn misses(&self) -> Vec<FloorMiss> {
        let Some(floor) = self.floor else {
            return Vec::new();
        };
        let Some(pct) = floor_percent(self.pi_type) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let checks = [
            (Metric::Precision, self.found, self.precision),
            (Metric::Recall, self.labels, self.recall),
        ];
        for (metric, den, value) in checks {
            if !meets(self.true_positives, den, pct) {
                out.push(FloorMiss {
                    pi_type: self.pi_type,
                    metric,
                    value: value.unwrap_or(0.0),
                    floor,
                });
            }
        }
        out
    }
}

/// `num / den >= pct / 100`, exactly; a metric with nothing to measure (`den == 0`) holds.
fn meets(num: u64, den: u64, pct: u32) -> bool {
    den == 0 || u128::from(num) * 100 >= u128::from(den) * u128::from(pct)
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Counts by [`Reason`] for one type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReasonCounts {
    /// No label (FP) or no finding (FN) overlaps at all.
    pub none_overlapping: u64,
    /// Overlaps a label (FP) or a finding (FN) of another type.
    pub other_type: u64,
    /// Overlaps one of the same type, by less than half of the shorter span.
    pub partial: u64,
    /// FP: its label was already matched by another finding.
    pub duplicate: u64,
    /// FN: a finding that would match was matched to another label (it spans several).
    pub merged: u64,
}

impl ReasonCounts {
    fn add(&mut self, r: Reason) {
        let slot = match r {
            Reason::NoneOverlapping => &mut self.none_overlapping,
            Reason::OtherType => &mut self.other_type,
            Reason::Partial => &mut self.partial,
            Reason::Duplicate => &mut self.duplicate,
            Reason::Merged => &mut self.merged,
        };
        *slot += 1;
    }
}

/// Why a finding is a false positive or a label a false negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Nothing of any type overlaps it (FP: an unlabelled place; FN: not found at all). For
    /// columns: no label (FP) or no finding (FN) on that column.
    NoneOverlapping,
    /// It overlaps a label (FP) or finding (FN) of another type: a type confusion.
    OtherType,
    /// It overlaps one of the same type, but by less than half of the shorter span.
    Partial,
    /// FP: its label was already matched (a second finding on the same value).
    Duplicate,
    /// FN: the finding that would match it was matched to another label.
    Merged,
}

impl Reason {
    /// Stable snake_case id.
    pub const fn id(self) -> &'static str {
        match self {
            Reason::NoneOverlapping => "none_overlapping",
            Reason::OtherType => "other_type",
            Reason::Partial => "partial",
            Reason::Duplicate => "duplicate",
            Reason::Merged => "merged",
        }
    }
}

/// Whether an example is a false positive or a false negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExampleKind {
    /// A finding matched to no label.
    FalsePositive,
    /// A label matched by no finding.
    FalseNegative,
}

/// Where a false positive or false negative is: a path and byte offsets (or a column header),
/// never the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// False positive or false negative.
    pub kind: ExampleKind,
    /// Type of the finding (FP) or label (FN).
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// Path relative to the corpus directory.
    pub path: String,
    /// Byte offset (spans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<u64>,
    /// Byte offset just past the span (spans).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
    /// Column header (columns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Why it is wrong.
    pub reason: Reason,
    /// With [`Reason::OtherType`]: the type of the overlapping label (FP) or finding (FN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_type: Option<PiType>,
}

impl Example {
    /// `path:start-end` for a span, `path[column]` for a column.
    pub fn location(&self) -> String {
        match (self.start, self.end, &self.column) {
            (Some(s), Some(e), _) => format!("{}:{s}-{e}", self.path),
            (_, _, Some(c)) => format!("{}[{c}]", self.path),
            _ => self.path.clone(),
        }
    }
}

impl fmt::Display for Example {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ExampleKind::FalsePositive => "FP",
            ExampleKind::FalseNegative => "FN",
        };
        write!(
            f,
            "{kind} {} {} {}",
            self.pi_type,
            self.location(),
            self.reason.id()
        )?;
        if let Some(o) = self.other_type {
            let what = match self.kind {
                ExampleKind::FalsePositive => "label",
                ExampleKind::FalseNegative => "found as",
            };
            write!(f, " ({what} {o})")?;
        }
        Ok(())
    }
}

/// How often findings of one type sat on labels of another (span matching).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confusion {
    /// Type of the finding.
    pub found: PiType,
    /// Type of the label it overlapped.
    pub labelled: PiType,
    /// Unmatched findings of `found` overlapping a label of `labelled`.
    pub count: u64,
}

/// Micro-averaged totals over all types.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Labels.
    pub labels: u64,
    /// Findings scored.
    pub found: u64,
    /// True positives.
    pub true_positives: u64,
    /// False positives.
    pub false_positives: u64,
    /// False negatives.
    pub false_negatives: u64,
    /// Micro-averaged precision.
    pub precision: Option<f64>,
    /// Micro-averaged recall.
    pub recall: Option<f64>,
    /// Harmonic mean of the two.
    pub f1: Option<f64>,
}

impl Totals {
    fn of(rows: &[TypeScore]) -> Self {
        let tp: u64 = rows.iter().map(|r| r.true_positives).sum();
        let fp: u64 = rows.iter().map(|r| r.false_positives).sum();
        let fn_: u64 = rows.iter().map(|r| r.false_negatives).sum();
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        Totals {
            labels: tp + fn_,
            found: tp + fp,
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
            precision,
            recall,
            f1,
        }
    }
}

/// Findings that were not scored, by why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Unscored {
    /// Findings whose path is not a corpus file (`labels.ndjson`, other directories, database
    /// columns).
    pub outside_corpus: u64,
    /// Match findings without byte offsets (spreadsheet cells).
    pub without_offsets: u64,
    /// Column findings in files that are not tables (JSON key paths).
    pub columns_not_in_tables: u64,
}

/// The result of [`score`]: per-type span and column scores, totals, confusions and examples.
///
/// Serialises (for `xiezhi eval --format json`) with the fields below plus `below_floors` (the
/// list of [`FloorMiss`]) and `passed` (true when that list is empty).
#[derive(Debug, Clone, PartialEq)]
pub struct EvalReport {
    /// Span scores per type, in catalog order: types with labels, findings or a floor.
    pub types: Vec<TypeScore>,
    /// Micro-averages of `types`.
    pub overall: Totals,
    /// Column-classification scores per type, in catalog order: types with column labels or
    /// column findings.
    pub columns: Vec<TypeScore>,
    /// Micro-averages of `columns`.
    pub columns_overall: Totals,
    /// Type confusions of span findings, most frequent first.
    pub confusions: Vec<Confusion>,
    /// Findings that were not scored.
    pub unscored: Unscored,
    fp_examples: Vec<Example>,
    fn_examples: Vec<Example>,
    column_examples: Vec<Example>,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    passed: bool,
    below_floors: Vec<FloorMiss>,
    types: &'a [TypeScore],
    overall: &'a Totals,
    columns: &'a [TypeScore],
    columns_overall: &'a Totals,
    confusions: &'a [Confusion],
    unscored: &'a Unscored,
    false_positive_examples: &'a [Example],
    false_negative_examples: &'a [Example],
    column_examples: &'a [Example],
}

impl Serialize for EvalReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let below_floors = self.below_floors();
        ReportJson {
            passed: below_floors.is_empty(),
            below_floors,
            types: &self.types,
            overall: &self.overall,
            columns: &self.columns,
            columns_overall: &self.columns_overall,
            confusions: &self.confusions,
            unscored: &self.unscored,
            false_positive_examples: &self.fp_examples,
            false_negative_examples: &self.fn_examples,
            column_examples: &self.column_examples,
        }
        .serialize(s)
    }
}

impl EvalReport {
    /// Every type whose span precision or recall is below its [`floor`]. Types without labels
    /// and findings pass; a floored type with labels but no finding fails on recall.
    pub fn below_floors(&self) -> Vec<FloorMiss> {
        self.types.iter().flat_map(TypeScore::misses).collect()
    }

    /// True when no floor is missed.
    pub fn passed(&self) -> bool {
        self.types.iter().all(|t| t.misses().is_empty())
    }

    /// The span score of one type, if it is in the report.
    pub fn type_score(&self, t: PiType) -> Option<&TypeScore> {
        self.types.iter().find(|s| s.pi_type == t)
    }

    /// The column score of one type, if it is in the report.
    pub fn column_score(&self, t: PiType) -> Option<&TypeScore> {
        self.columns.iter().find(|s| s.pi_type == t)
    }

    /// Span false positives: at most `limit` per type (up to [`EXAMPLES_KEPT`]), in type order,
    /// then by path and offset. Locations only, never values.
    pub fn examples(&self, limit: usize) -> Vec<&Example> {
        per_type(&self.fp_examples, limit)
    }

    /// Span false negatives (missed labels), like [`EvalReport::examples`].
    pub fn missed(&self, limit: usize) -> Vec<&Example> {
        per_type(&self.fn_examples, limit)
    }

    /// Column false positives and false negatives (all of them), by type and path.
    pub fn column_errors(&self) -> &[Example] {
        &self.column_examples
    }

    /// Aligned plain-text tables: span scores per type (id, localized name, labels, found, TP,
    /// FP, FN, precision, recall, floor, ok/FAIL), micro-averages, the column-classification
    /// table, and the floor verdict.
    pub fn render_table(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let mut out = String::new();
        let head = |zh_s: &'static str, en_s: &'static str| if zh { zh_s } else { en_s };
        out.push_str(head(
            "值识别（同类型、重叠不少于较短区间一半即匹配）\n",
            "Values (same type, overlapping by at least half of the shorter span)\n",
        ));
        out.push_str(&render_rows(&self.types, &self.overall, lang, true));
        out.push('\n');
        out.push_str(head(
            "列分类（同一文件、同一表头、同类型）\n",
            "Column classification (same file, same header, same type)\n",
        ));
        out.push_str(&render_rows(
            &self.columns,
            &self.columns_overall,
            lang,
            false,
        ));
        let u = &self.unscored;
        if u.outside_corpus + u.without_offsets + u.columns_not_in_tables > 0 {
            out.push('\n');
            out.push_str(&if zh {
                format!(
                    "未计分：语料外 {}，无字节偏移 {}，非表格文件的列 {}\n",
                    u.outside_corpus, u.without_offsets, u.columns_not_in_tables
                )
            } else {
                format!(
                    "Not scored: outside the corpus {}, without byte offsets {}, columns outside tables {}\n",
                    u.outside_corpus, u.without_offsets, u.columns_not_in_tables
                )
            });
        }
        out.push('\n');
        let misses = self.below_floors();
        if misses.is_empty() {
            out.push_str(head("全部达到下限。\n", "All floors hold.\n"));
        } else {
            out.push_str(&if zh {
                format!("{} 项低于下限：\n", misses.len())
            } else {
                format!("{} below floor:\n", misses.len())
            });
            for m in misses {
                out.push_str(&format!("  {m}\n"));
            }
        }
        out
    }

    /// Up to `limit` false-positive and false-negative locations per type, one per line
    /// (`FP cn_mobile app_001.log:120-131 other_type (label imei)`), then the column errors.
    pub fn render_examples(&self, limit: usize, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        let mut out = String::new();
        let sections: [(&str, &str, Vec<&Example>); 3] = [
            (
                "误报（位置）",
                "False positives (locations)",
                self.examples(limit),
            ),
            (
                "漏报（位置）",
                "False negatives (locations)",
                self.missed(limit),
            ),
            (
                "列分类错误",
                "Column errors",
                self.column_examples.iter().collect(),
            ),
        ];
        for (zh_t, en_t, list) in sections {
            if list.is_empty() {
                continue;
            }
            out.push_str(if zh { zh_t } else { en_t });
            out.push('\n');
            for e in list {
                out.push_str(&format!("  {e}\n"));
            }
        }
        out
    }
}

/// The first `limit` examples of each type, in the order given.
fn per_type<E: std::borrow::Borrow<Example>>(
    list: impl IntoIterator<Item = E>,
    limit: usize,
) -> Vec<E> {
    let mut count: HashMap<PiType, usize> = HashMap::new();
    list.into_iter()
        .filter(|e| {
            let n = count.entry(e.borrow().pi_type).or_insert(0);
            *n += 1;
            *n <= limit
        })
        .collect()
}

fn render_rows(rows: &[TypeScore], total: &Totals, lang: Lang, floors: bool) -> String {
    let zh = lang == Lang::ZhCn;
    let mut header: Vec<String> = if zh {
        vec![
            "类型",
            "名称",
            "标注",
            "发现",
            "TP",
            "FP",
            "FN",
            "精确率",
            "召回率",
        ]
    } else {
        vec![
            "type",
            "name",
            "labels",
            "found",
            "TP",
            "FP",
            "FN",
            "precision",
            "recall",
        ]
    }
    .into_iter()
    .map(str::to_owned)
    .collect();
    if floors {
        header.push(if zh { "下限" } else { "floor" }.to_owned());
        header.push(if zh { "结果" } else { "result" }.to_owned());
    }
    let mut table = vec![header];
    for r in rows {
        let mut row = vec![
            r.pi_type.id().to_owned(),
            r.pi_type.name(lang).to_owned(),
            r.labels.to_string(),
            r.found.to_string(),
            r.true_positives.to_string(),
            r.false_positives.to_string(),
            r.false_negatives.to_string(),
            fmt_metric(r.precision),
            fmt_metric(r.recall),
        ];
        if floors {
            row.push(
                r.floor
                    .map_or_else(|| "—".to_owned(), |f| format!("{f:.2}")),
            );
            row.push(
                match r.floor {
                    None => "—",
                    Some(_) if r.ok => "ok",
                    Some(_) => "FAIL",
                }
                .to_owned(),
            );
        }
        table.push(row);
    }
    let mut total_row = vec![
        if zh { "合计" } else { "total" }.to_owned(),
        if zh { "微平均" } else { "micro-average" }.to_owned(),
        total.labels.to_string(),
        total.found.to_string(),
        total.true_positives.to_string(),
        total.false_positives.to_string(),
        total.false_negatives.to_string(),
        fmt_metric(total.precision),
        fmt_metric(total.recall),
    ];
    if floors {
        total_row.push(String::new());
        total_row.push(String::new());
    }
    table.push(total_row);
    align(&table, &[0, 1], table.len() - 1)
}

fn fmt_metric(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.4}"))
}

/// Pads cells to the widest in their column (columns in `left` are left-aligned, the rest
/// right-aligned) and draws a rule under the header and above row `rule_before`.
fn align(rows: &[Vec<String>], left: &[usize], rule_before: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let total_width = widths.iter().sum::<usize>() + 2 * cols.saturating_sub(1);
    let rule = "-".repeat(total_width);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        if i == 1 || (i == rule_before && i > 1) {
            out.push_str(&rule);
            out.push('\n');
        }
        let mut line = String::new();
        for (j, (cell, &w)) in row.iter().zip(&widths).enumerate() {
            if j > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(w.saturating_sub(display_width(cell)));
            if left.contains(&j) {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Terminal columns of a string: East Asian wide and full-width characters count 2.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = u32::from(c);
            let wide = matches!(c,
                0x1100..=0x115F
                | 0x2E80..=0x303E
                | 0x3041..=0x33FF
                | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF
                | 0xA000..=0xA4CF
                | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F
                | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6
                | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Scoring

#[derive(Debug, Clone, Default)]
struct Tally {
    tp: u64,
    fp: u64,
    fn_: u64,
    fp_reasons: ReasonCounts,
    fn_reasons: ReasonCounts,
}

#[derive(Debug, Clone, Copy)]
struct Span {
    start: u64,
    end: u64,
    pi_type: PiType,
}

impl Span {
    fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    fn overlap(&self, other: &Span) -> u64 {
        self.end
            .min(other.end)
            .saturating_sub(self.start.max(other.start))
    }

    /// The matching rule, without the type check: at least one byte and at least half of the
    /// shorter span.
    fn close_enough(&self, other: &Span) -> bool {
        let ov = self.overlap(other);
        ov > 0 && 2 * ov >= self.len().min(other.len())
    }
}

/// Scores findings against labels; `corpus_dir` is the directory the labels came from, used to
/// make finding paths relative. See the module documentation for the rules.
pub fn score(labels: &Labels, corpus_dir: &Path, findings: &[Finding]) -> EvalReport {
    let known = labels.known_paths();
    let tables = labels.table_files();
    let mut resolver = Resolver::new(corpus_dir, &known);
    let mut unscored = Unscored::default();

    let mut found_spans: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    let mut found_columns: Vec<(String, &ColumnFinding)> = Vec::new();
    for f in findings {
        match f {
            Finding::Match(m) => {
                let Some(rel) = resolver.resolve(&m.path).filter(|r| labels.in_corpus(r)) else {
                    unscored.outside_corpus += 1;
                    continue;
                };
                let Some(span) = located(m) else {
                    unscored.without_offsets += 1;
                    continue;
                };
                found_spans.entry(rel).or_default().push(span);
            }
            Finding::Column(c) => {
                let Some(rel) = c
                    .path
                    .as_deref()
                    .and_then(|p| resolver.resolve(p))
                    .filter(|r| labels.in_corpus(r))
                else {
                    unscored.outside_corpus += 1;
                    continue;
                };
                if !tables.contains(rel.as_str()) {
                    unscored.columns_not_in_tables += 1;
                    continue;
                }
                found_columns.push((rel, c));
            }
        }
    }

    let mut label_spans: BTreeMap<&str, Vec<Span>> = BTreeMap::new();
    for l in &labels.spans {
        label_spans.entry(l.path.as_str()).or_default().push(Span {
            start: l.start,
            end: l.end,
            pi_type: l.pi_type,
        });
    }
    let mut paths: BTreeSet<&str> = label_spans.keys().copied().collect();
    paths.extend(found_spans.keys().map(String::as_str));

    let mut tallies = vec![Tally::default(); PiType::COUNT];
    let mut confusions: BTreeMap<(PiType, PiType), u64> = BTreeMap::new();
    let mut fp_examples = Vec::new();
    let mut fn_examples = Vec::new();
    let empty = Vec::new();
    for path in paths {
        let ls = label_spans.get(path).unwrap_or(&empty);
        let fs = found_spans.get(path).unwrap_or(&empty);
        let outcome = match_file(ls, fs);
        for (i, f) in fs.iter().enumerate() {
            let t = &mut tallies[f.pi_type.index()];
            match outcome.finding_reason.get(i).copied().flatten() {
                None => t.tp += 1,
                Some((reason, other)) => {
                    t.fp += 1;
                    t.fp_reasons.add(reason);
                    if let Some(o) = other {
                        *confusions.entry((f.pi_type, o)).or_insert(0) += 1;
                    }
                    fp_examples.push(span_example(
                        ExampleKind::FalsePositive,
                        path,
                        f,
                        reason,
                        other,
                    ));
                }
            }
        }
        for (i, l) in ls.iter().enumerate() {
            if let Some((reason, other)) = outcome.label_reason.get(i).copied().flatten() {
                let t = &mut tallies[l.pi_type.index()];
                t.fn_ += 1;
                t.fn_reasons.add(reason);
                fn_examples.push(span_example(
                    ExampleKind::FalseNegative,
                    path,
                    l,
                    reason,
                    other,
                ));
            }
        }
    }

    let (column_tallies, column_examples) = score_columns(labels, &found_columns);

    let types: Vec<TypeScore> = PiType::ALL
        .iter()
        .filter_map(|&t| {
            let c = &tallies[t.index()];
            let pct = floor_percent(t);
            (c.tp + c.fp + c.fn_ > 0 || pct.is_some()).then(|| TypeScore::new(t, pct, c))
        })
        .collect();
    let columns: Vec<TypeScore> = PiType::ALL
        .iter()
        .filter_map(|&t| {
            let c = &column_tallies[t.index()];
            (c.tp + c.fp + c.fn_ > 0).then(|| TypeScore::new(t, None, c))
        })
        .collect();
    let mut confusions: Vec<Confusion> = confusions
        .into_iter()
        .map(|((found, labelled), count)| Confusion {
            found,
            labelled,
            count,
        })
        .collect();
    confusions.sort_by_key(|c| std::cmp::Reverse(c.count));

    EvalReport {
        overall: Totals::of(&types),
        columns_overall: Totals::of(&columns),
        types,
        columns,
        confusions,
        unscored,
        fp_examples: keep_examples(fp_examples),
        fn_examples: keep_examples(fn_examples),
        column_examples: sort_examples(column_examples),
    }
}

fn located(m: &MatchFinding) -> Option<Span> {
    Some(Span {
        start: m.start?,
        end: m.end?,
        pi_type: m.pi_type,
    })
}

fn span_example(
    kind: ExampleKind,
    path: &str,
    s: &Span,
    reason: Reason,
    other_type: Option<PiType>,
) -> Example {
    Example {
        kind,
        pi_type: s.pi_type,
        path: path.to_owned(),
        start: Some(s.start),
        end: Some(s.end),
        column: None,
        reason,
        other_type,
    }
}

fn sort_examples(mut list: Vec<Example>) -> Vec<Example> {
    list.sort_by(|a, b| {
        (a.pi_type, &a.path, a.start, a.end, &a.column)
            .cmp(&(b.pi_type, &b.path, b.start, b.end, &b.column))
    });
    list
}

fn keep_examples(list: Vec<Example>) -> Vec<Example> {
    per_type(sort_examples(list), EXAMPLES_KEPT)
}

type Why = Option<(Reason, Option<PiType>)>;

struct FileOutcome {
    /// Per finding: `None` if matched, else why not.
    finding_reason: Vec<Why>,
    /// Per label: `None` if matched, else why not.
    label_reason: Vec<Why>,
}

/// Matches the findings of one file to its labels.
fn match_file(labels: &[Span], found: &[Span]) -> FileOutcome {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by_key(|&i| labels.get(i).map(|l| (l.start, l.end)));
    let sorted: Vec<Span> = order
        .iter()
        .filter_map(|&i| labels.get(i).copied())
        .collect();
    let mut max_end = Vec::with_capacity(sorted.len());
    let mut m = 0;
    for l in &sorted {
        m = m.max(l.end);
        max_end.push(m);
    }
    // Labels (indices into `labels`) overlapping span `f` by at least one byte.
    let overlapping = |f: &Span| -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = sorted.partition_point(|l| l.start < f.end);
        while i > 0 {
            i -= 1;
            if max_end.get(i).is_none_or(|&e| e <= f.start) {
                break;
            }
            if let (Some(l), Some(&orig)) = (sorted.get(i), order.get(i))
                && l.overlap(f) > 0
            {
                out.push(orig);
            }
        }
        out
    };

    let overlaps: Vec<Vec<usize>> = found.iter().map(overlapping).collect();
    // Candidate pairs: (overlap, misalignment, label start, finding start, label, finding).
    let mut candidates = Vec::new();
    for (fi, (f, ls)) in found.iter().zip(&overlaps).enumerate() {
        for &li in ls {
            let Some(l) = labels.get(li) else { continue };
            if l.pi_type == f.pi_type && l.close_enough(f) {
                let misalign = l.start.abs_diff(f.start) + l.end.abs_diff(f.end);
                candidates.push((l.overlap(f), misalign, l.start, f.start, f.end, li, fi));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then((a.2, a.3, a.4, a.5, a.6).cmp(&(b.2, b.3, b.4, b.5, b.6)))
    });
    let mut label_taken = vec![false; labels.len()];
    let mut finding_taken = vec![false; found.len()];
    for &(_, _, _, _, _, li, fi) in &candidates {
        if let (Some(lt), Some(ft)) = (label_taken.get(li), finding_taken.get(fi))
            && !*lt
            && !*ft
        {
            label_taken[li] = true;
            finding_taken[fi] = true;
        }
    }

    // Why each unmatched finding is a false positive: duplicate > partial > other type > none.
    let mut finding_reason = Vec::with_capacity(found.len());
    // Per label: unmatched findings touching it, for the false-negative reasons.
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); labels.len()];
    for (fi, (f, ls)) in found.iter().zip(&overlaps).enumerate() {
        for &li in ls {
            if let Some(t) = touching.get_mut(li) {
                t.push(fi);
            }
        }
        if finding_taken.get(fi).copied().unwrap_or(false) {
            finding_reason.push(None);
            continue;
        }
        let near = ls.iter().filter_map(|&li| labels.get(li));
        finding_reason.push(Some(unmatched_reason(f, near, Reason::Duplicate)));
    }

    // Why each unmatched label is a false negative: merged > partial > other type > none.
    let mut label_reason = Vec::with_capacity(labels.len());
    for (li, l) in labels.iter().enumerate() {
        if label_taken.get(li).copied().unwrap_or(false) {
            label_reason.push(None);
            continue;
        }
        let near = touching
            .get(li)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&fi| found.get(fi));
        label_reason.push(Some(unmatched_reason(l, near, Reason::Merged)));
    }

    FileOutcome {
        finding_reason,
        label_reason,
    }
}

/// Why the unmatched `span` (a finding, or a label) is wrong, given the spans of the other side
/// that overlap it. The most telling reason: `taken_reason` (duplicate / merged) when one of its
/// type is close enough (it would have matched, so it was taken), then partial, then the type
/// of the other-type span overlapping most.
fn unmatched_reason<'a>(
    span: &Span,
    near: impl IntoIterator<Item = &'a Span>,
    taken_reason: Reason,
) -> (Reason, Option<PiType>) {
    let (mut taken, mut partial) = (false, false);
    let mut other: Option<(u64, PiType)> = None;
    for n in near {
        if n.pi_type == span.pi_type {
            if n.close_enough(span) {
                taken = true;
            } else {
                partial = true;
            }
        } else if other.is_none_or(|(best, _)| n.overlap(span) > best) {
            other = Some((n.overlap(span), n.pi_type));
        }
    }
    if taken {
        (taken_reason, None)
    } else if partial {
        (Reason::Partial, None)
    } else if let Some((_, t)) = other {
        (Reason::OtherType, Some(t))
    } else {
        (Reason::NoneOverlapping, None)
    }
}

fn score_columns(
    labels: &Labels,
    found: &[(String, &ColumnFinding)],
) -> (Vec<Tally>, Vec<Example>) {
    let mut tallies = vec![Tally::default(); PiType::COUNT];
    let mut examples = Vec::new();
    // (path, header) → (label index, taken).
    let mut by_key: HashMap<(&str, &str), (usize, bool)> = HashMap::new();
    for (i, l) in labels.columns.iter().enumerate() {
        by_key.insert((l.path.as_str(), column_key(&l.column)), (i, false));
    }
    let mut sorted: Vec<&(String, &ColumnFinding)> = found.iter().collect();
    sorted.sort_by(|a, b| (&a.0, &a.1.column, a.1.pi_type).cmp(&(&b.0, &b.1.column, b.1.pi_type)));
    for (path, c) in sorted {
        let key = (path.as_str(), column_key(&c.column));
        let label = by_key
            .get_mut(&key)
            .and_then(|(i, taken)| labels.columns.get(*i).map(|l| (l, taken)));
        let why = match label {
            Some((l, taken)) if l.pi_type == c.pi_type && !*taken => {
                *taken = true;
                None
            }
            Some((l, _)) if l.pi_type == c.pi_type => Some((Reason::Duplicate, None)),
            Some((l, _)) => Some((Reason::OtherType, Some(l.pi_type))),
            None => Some((Reason::NoneOverlapping, None)),
        };
        let t = &mut tallies[c.pi_type.index()];
        match why {
            None => t.tp += 1,
            Some((reason, other_type)) => {
                t.fp += 1;
                t.fp_reasons.add(reason);
                examples.push(Example {
                    kind: ExampleKind::FalsePositive,
                    pi_type: c.pi_type,
                    path: path.clone(),
                    start: None,
                    end: None,
                    column: Some(c.column.clone()),
                    reason,
                    other_type,
                });
            }
        }
    }
    // Types found per (path, header), for the reasons of the misses.
    let mut found_types: HashMap<(&str, &str), PiType> = HashMap::new();
    for (path, c) in found {
        found_types.insert((path.as_str(), column_key(&c.column)), c.pi_type);
    }
    for l in &labels.columns {
        let key = (l.path.as_str(), column_key(&l.column));
        if by_key.get(&key).is_some_and(|&(_, taken)| taken) {
            continue;
        }
        let (reason, other_type) = match found_types.get(&key) {
            Some(&t) if t != l.pi_type => (Reason::OtherType, Some(t)),
            _ => (Reason::NoneOverlapping, None),
        };
        let t = &mut tallies[l.pi_type.index()];
        t.fn_ += 1;
        t.fn_reasons.add(reason);
        examples.push(Example {
            kind: ExampleKind::FalseNegative,
            pi_type: l.pi_type,
            path: l.path.clone(),
            start: None,
            end: None,
            column: Some(l.column.clone()),
            reason,
            other_type,
        });
    }
    (tallies, examples)
}

/// A header compared loosely: surrounding spaces and a byte-order mark do not count.
fn column_key(header: &str) -> &str {
    header.trim_start_matches('\u{feff}').trim()
}

fn is_table_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".csv", ".tsv", ".xlsx", ".xls"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

// ---------------------------------------------------------------------------------------------
// Paths

/// A label path, `/`-separated without `.` components or empty segments.
fn clean_label_path(p: &str) -> String {
    p.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Lexical components: `.` dropped, `a/..` folded, the root kept as `/`.
fn lexical(p: &Path) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if out.last().is_some_and(|l| l != ".." && l != "/") {
                    out.pop();
                } else {
                    out.push("..".to_owned());
                }
            }
            Component::RootDir => out.push("/".to_owned()),
            Component::Prefix(pre) => out.push(pre.as_os_str().to_string_lossy().into_owned()),
            Component::Normal(n) => out.push(n.to_string_lossy().into_owned()),
        }
    }
    out
}

/// Makes finding paths relative to the corpus directory (cached per distinct path).
struct Resolver<'a> {
    root: Vec<String>,
    canonical_root: Option<PathBuf>,
    known: &'a HashSet<&'a str>,
    cache: HashMap<String, Option<String>>,
}

impl<'a> Resolver<'a> {
    fn new(corpus_dir: &Path, known: &'a HashSet<&'a str>) -> Self {
        Resolver {
            root: lexical(corpus_dir),
            canonical_root: fs::canonicalize(corpus_dir).ok(),
            known,
            cache: HashMap::new(),
        }
    }

    fn resolve(&mut self, path: &str) -> Option<String> {
        if let Some(hit) = self.cache.get(path) {
            return hit.clone();
        }
        let rel = self.resolve_uncached(path);
        self.cache.insert(path.to_owned(), rel.clone());
        rel
    }

    fn resolve_uncached(&self, path: &str) -> Option<String> {
        let comps = lexical(Path::new(path));
        let absolute = comps.first().is_some_and(|c| c == "/");
        let root_absolute = self.root.first().is_some_and(|c| c == "/");
        // 1. Lexically under the corpus directory as given.
        if absolute == root_absolute
            && comps.len() > self.root.len()
            && comps.starts_with(&self.root)
        {
            return comps.get(self.root.len()..).map(|rest| rest.join("/"));
        }
        // 2. Through the file system (relative paths resolve against the working directory).
        if let (Some(root), Ok(real)) = (&self.canonical_root, fs::canonicalize(path)) {
            return real
                .strip_prefix(root)
                .ok()
                .map(lexical)
                .filter(|c| !c.is_empty())
                .map(|c| c.join("/"));
        }
        // 3. The path is not on disk here: the longest suffix naming a corpus file.
        (1..=comps.len()).rev().find_map(|k| {
            let tail = comps.get(comps.len() - k..)?;
            if tail.first().is_some_and(|c| c == "/" || c == "..") {
                return None;
            }
            let cand = tail.join("/");
            self.known.contains(cand.as_str()).then_some(cand)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xiezhi_model::{PiCategory, PiType::*};

    fn m(path: &str, start: u64, end: u64, t: PiType) -> Finding {
        Finding::Match(MatchFinding {
            path: path.into(),
            line: 1,
            column: 1,
            start: Some(start),
            end: Some(end),
            pi_type: t,
            category: t.category(),
            sensitive: false,
            confidence: 0.9,
            rule: t.id().into(),
            masked: "***".into(),
            evidence: vec![],
            value: None,
            field: None,
            sheet: None,
            cell: None,
            encoding: None,
        })
    }

    fn col(path: &str, column: &str, t: PiType) -> Finding {
        Finding::Column(ColumnFinding {
            path: Some(path.into()),
            source: None,
            table: None,
            sheet: None,
            column: column.into(),
            index: None,
            pi_type: t,
            category: PiCategory::BasicProfile,
            sensitive: false,
            sampled: 10,
            matched: 10,
            confidence: 0.9,
            evidence: vec![],
        })
    }

    fn sl(path: &str, start: u64, end: u64, t: PiType) -> SpanLabel {
        SpanLabel {
            path: path.into(),
            start,
            end,
            pi_type: t,
        }
    }

    fn cl(path: &str, column: &str, t: PiType) -> ColumnLabel {
        ColumnLabel {
            path: path.into(),
            column: column.into(),
            pi_type: t,
        }
    }

    fn counts(r: &EvalReport, t: PiType) -> (u64, u64, u64) {
        r.type_score(t)
            .map(|s| (s.true_positives, s.false_positives, s.false_negatives))
            .unwrap_or_default()
    }

    fn corpus() -> &'static Path {
        Path::new("/nonexistent-xiezhi-eval/corpus")
    }

    #[test]
    fn overlap_rule_is_half_of_the_shorter() {
        let labels = Labels::new(
            vec![
                sl("a.txt", 0, 17, CnMobile),      // +86 138 1234 5678
                sl("a.txt", 100, 110, Email),      // found exactly half
                sl("a.txt", 200, 210, Email),      // found less than half
                sl("a.txt", 300, 310, Ipv4),       // touched only at the edge
                sl("a.txt", 400, 404, PersonName), // short label inside a long finding
            ],
            vec![],
        );
        let findings = vec![
            m("/nonexistent-xiezhi-eval/corpus/a.txt", 4, 17, CnMobile),
            m("/nonexistent-xiezhi-eval/corpus/a.txt", 105, 120, Email),
            m("/nonexistent-xiezhi-eval/corpus/a.txt", 206, 230, Email),
            m("/nonexistent-xiezhi-eval/corpus/a.txt", 310, 320, Ipv4),
            m(
                "/nonexistent-xiezhi-eval/corpus/a.txt",
                390,
                430,
                PersonName,
            ),
        ];
        let r = score(&labels, corpus(), &findings);
        assert_eq!(counts(&r, CnMobile), (1, 0, 0));
        assert_eq!(counts(&r, Email), (1, 1, 1));
        assert_eq!(counts(&r, Ipv4), (0, 1, 1));
        assert_eq!(counts(&r, PersonName), (1, 0, 0));
        let email = r.type_score(Email).unwrap();
        assert_eq!(email.false_positive_reasons.partial, 1);
        assert_eq!(email.false_negative_reasons.partial, 1);
        assert_eq!(email.precision, Some(0.5));
        let ipv4 = r.type_score(Ipv4).unwrap();
        assert_eq!(ipv4.false_positive_reasons.none_overlapping, 1);
        assert_eq!(ipv4.false_negative_reasons.none_overlapping, 1);
    }

    #[test]
    fn a_label_is_matched_once_and_duplicates_are_false_positives() {
        let labels = Labels::new(vec![sl("a.log", 10, 28, CnResidentId)], vec![]);
        let findings = vec![
            m("a.log", 10, 27, CnResidentId), // worse alignment, listed first
            m("a.log", 10, 28, CnResidentId),
            m("a.log", 10, 28, CnResidentId),
        ];
        let r = score(&labels, Path::new(""), &findings);
        assert_eq!(counts(&r, CnResidentId), (1, 2, 0));
        let s = r.type_score(CnResidentId).unwrap();
        assert_eq!(s.false_positive_reasons.duplicate, 2);
        // The best-aligned finding won: the examples list the others.
        let ex: Vec<String> = r.examples(10).iter().map(|e| e.location()).collect();
        assert_eq!(ex, ["a.log:10-27", "a.log:10-28"]);
        // Order of the findings does not change the result.
        let mut rev = findings.clone();
        rev.reverse();
        assert_eq!(score(&labels, Path::new(""), &rev), r);
    }

    #[test]
    fn one_finding_over_two_labels_matches_one() {
        let labels = Labels::new(
            vec![
                sl("a.txt", 0, 10, GpsCoordinate),
                sl("a.txt", 12, 20, GpsCoordinate),
            ],
            vec![],
        );
        let r = score(&labels, Path::new("."), &[m("a.txt", 0, 20, GpsCoordinate)]);
        assert_eq!(counts(&r, GpsCoordinate), (1, 0, 1));
        assert_eq!(
            r.type_score(GpsCoordinate)
                .unwrap()
                .false_negative_reasons
                .merged,
            1
        );
        assert_eq!(r.missed(5)[0].location(), "a.txt:12-20");
        // The greedy assignment prefers the bigger overlap.
        assert_eq!(r.missed(5)[0].reason, Reason::Merged);
    }

    #[test]
    fn type_confusion_is_a_false_positive_and_a_miss_unless_covered() {
        let labels = Labels::new(
            vec![sl("t.csv", 0, 15, Imei), sl("t.csv", 20, 39, BankCard)],
            vec![],
        );
        // IMEI found as bank card: FP for bank_card, FN for imei.
        // The bank card label is found as cn_resident_id and as bank_card: covered.
        let findings = vec![
            m("t.csv", 0, 15, BankCard),
            m("t.csv", 20, 38, CnResidentId),
            m("t.csv", 20, 39, BankCard),
        ];
        let r = score(&labels, Path::new(""), &findings);
        assert_eq!(counts(&r, BankCard), (1, 1, 0));
        assert_eq!(counts(&r, Imei), (0, 0, 1));
        assert_eq!(counts(&r, CnResidentId), (0, 1, 0));
        assert_eq!(
            r.type_score(Imei)
                .unwrap()
                .false_negative_reasons
                .other_type,
            1
        );
        assert_eq!(
            r.confusions,
            vec![
                Confusion {
                    found: CnResidentId,
                    labelled: BankCard,
                    count: 1
                },
                Confusion {
                    found: BankCard,
                    labelled: Imei,
                    count: 1
                },
            ]
        );
        let fp: Vec<String> = r.examples(5).iter().map(|e| e.to_string()).collect();
        assert_eq!(
            fp,
            [
                "FP cn_resident_id t.csv:20-38 other_type (label bank_card)",
                "FP bank_card t.csv:0-15 other_type (label imei)",
            ]
        );
        let fn_: Vec<String> = r.missed(5).iter().map(|e| e.to_string()).collect();
        assert_eq!(fn_, ["FN imei t.csv:0-15 other_type (found as bank_card)"]);
    }

    #[test]
    fn paths_are_normalised() {
        let labels = Labels::new(
            vec![
                sl("./a.txt", 0, 5, Email),
                sl("sub/b.txt", 0, 5, Email),
                sl("c.txt", 0, 5, Email),
                sl("d.txt", 0, 5, Email),
            ],
            vec![],
        );
        let findings = vec![
            m("/nonexistent-xiezhi-eval/corpus/a.txt", 0, 5, Email),
            m(
                "/nonexistent-xiezhi-eval/./corpus/sub/../sub/b.txt",
                0,
                5,
                Email,
            ),
            // Elsewhere, not on disk: the longest suffix naming a corpus file.
            m("copied/corpus/c.txt", 0, 5, Email),
            // The label file itself and an unknown file are outside the corpus (no manifest:
            // unknown files are scored, so this one is a false positive).
            m("/nonexistent-xiezhi-eval/corpus/labels.ndjson", 0, 5, Email),
            m("/nonexistent-xiezhi-eval/corpus/e.txt", 0, 5, Email),
            m("/elsewhere/z.txt", 0, 5, Email),
        ];
        let r = score(&labels, corpus(), &findings);
        assert_eq!(counts(&r, Email), (3, 1, 1));
        assert_eq!(r.unscored.outside_corpus, 2);
        assert_eq!(r.missed(5)[0].location(), "d.txt:0-5");
        assert_eq!(r.examples(5)[0].location(), "e.txt:0-5");

        // With a file list, only listed files count.
        let files = ["a.txt", "sub/b.txt", "c.txt", "d.txt"].map(|p| CorpusFile {
            path: p.into(),
            kind: None,
            bytes: None,
        });
        let r = score(&labels.clone().with_files(files), corpus(), &findings);
        assert_eq!(counts(&r, Email), (3, 0, 1));
        assert_eq!(r.unscored.outside_corpus, 3);

        // Relative corpus directory, relative finding paths.
        let r = score(
            &labels,
            Path::new("./x/corpus"),
            &[m("x/corpus/./a.txt", 0, 5, Email)],
        );
        assert_eq!(counts(&r, Email), (1, 0, 3));
    }

    #[test]
    fn paths_resolve_through_the_file_system() {
        let dir = tempfile::tempdir().unwrap();
        let corpus_dir = dir.path().join("corpus");
        fs::create_dir(&corpus_dir).unwrap();
        fs::write(corpus_dir.join("a.txt"), "x").unwrap();
        fs::create_dir(dir.path().join("other")).unwrap();
        fs::write(dir.path().join("other/a.txt"), "x").unwrap();
        let labels = Labels::new(vec![sl("a.txt", 0, 1, Email)], vec![]);
        // A path through a symlink resolves via the file system.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&corpus_dir, dir.path().join("link")).unwrap();
            let via = dir.path().join("link/a.txt");
            let r = score(
                &labels,
                &corpus_dir,
                &[m(via.to_str().unwrap(), 0, 1, Email)],
            );
            assert_eq!(counts(&r, Email), (1, 0, 0));
        }
        // A file with the same name in another directory is not the corpus file.
        let other = dir.path().join("other/a.txt");
        let r = score(
            &labels,
            &dir.path().join("./corpus"),
            &[m(other.to_str().unwrap(), 0, 1, Email)],
        );
        assert_eq!(counts(&r, Email), (0, 0, 1));
        assert_eq!(r.unscored.outside_corpus, 1);
    }

    #[test]
    fn columns_are_scored_separately() {
        let labels = Labels::new(
            vec![sl("t.csv", 50, 61, CnMobile)],
            vec![
                cl("t.csv", "sfzh", CnResidentId),
                cl("t.csv", "sjhm", CnMobile),
                cl("t.csv", "xm", PersonName),
                cl("u.csv", "email", Email),
            ],
        );
        let findings = vec![
            col("t.csv", "\u{feff}sfzh", CnResidentId), // BOM-prefixed header still matches
            col("t.csv", "sfzh", CnResidentId),         // duplicate
            col("t.csv", "sjhm", CnLandline),           // wrong type
            col("t.csv", "phone", CnMobile),            // misleading column, unlabelled
            col("api.json", "data.records[].mobile", CnMobile), // not a table
            m("t.csv", 50, 61, CnMobile),
        ];
        let r = score(&labels, Path::new(""), &findings);
        let c = |t| {
            r.column_score(t)
                .map(|s| (s.true_positives, s.false_positives, s.false_negatives))
        };
        assert_eq!(c(CnResidentId), Some((1, 1, 0)));
        assert_eq!(c(CnMobile), Some((0, 1, 1)));
        assert_eq!(c(CnLandline), Some((0, 1, 0)));
        assert_eq!(c(PersonName), Some((0, 0, 1)));
        assert_eq!(c(Email), Some((0, 0, 1)));
        assert_eq!(r.unscored.columns_not_in_tables, 1);
        assert_eq!(counts(&r, CnMobile), (1, 0, 0));
        assert_eq!(r.columns_overall.true_positives, 1);
        assert_eq!(r.columns_overall.false_positives, 3);
        assert_eq!(r.columns_overall.false_negatives, 3);
        let errs: Vec<String> = r.column_errors().iter().map(|e| e.to_string()).collect();
        assert!(
            errs.contains(&"FN cn_mobile t.csv[sjhm] other_type (found as cn_landline)".to_owned()),
            "{errs:?}"
        );
        assert!(
            errs.contains(&"FP cn_mobile t.csv[phone] none_overlapping".to_owned()),
            "{errs:?}"
        );
        // Column results do not affect the span floors.
        assert!(r.type_score(CnMobile).unwrap().ok);
    }

    #[test]
    fn floors_and_report() {
        // 99 of 100 resident ids found, one false positive: exactly 0.99 on both.
        let mut spans = Vec::new();
        let mut findings = Vec::new();
        for i in 0..100u64 {
            spans.push(sl("a.txt", i * 20, i * 20 + 18, CnResidentId));
            if i > 0 {
                findings.push(m("a.txt", i * 20, i * 20 + 18, CnResidentId));
            }
        }
        findings.push(m("a.txt", 5000, 5018, CnResidentId));
        // 9 of 10 mobiles: recall 0.9 < 0.95. 1 health label missed: no floor.
        for i in 0..10u64 {
            spans.push(sl("b.txt", i * 20, i * 20 + 11, CnMobile));
            if i > 0 {
                findings.push(m("b.txt", i * 20, i * 20 + 11, CnMobile));
            }
        }
        spans.push(sl("b.txt", 1000, 1004, Health));
        // Vin has no labels but one finding: precision 0.
        findings.push(m("b.txt", 2000, 2017, Vin));
        let r = score(&Labels::new(spans, vec![]), Path::new(""), &findings);
        let id = r.type_score(CnResidentId).unwrap();
        assert!(id.ok);
        assert_eq!(id.precision, Some(0.99));
        let misses: Vec<String> = r.below_floors().iter().map(|m| m.to_string()).collect();
        assert_eq!(
            misses,
            [
                "cn_mobile recall 0.9000 < 0.95",
                "vin precision 0.0000 < 0.99"
            ]
        );
        assert!(!r.passed());
        assert!(r.type_score(Health).unwrap().floor.is_none());
        assert!(r.type_score(Health).unwrap().ok);
        // Floored types without labels or findings are listed and pass.
        assert!(r.type_score(HkId).unwrap().ok);
        assert_eq!(r.overall.true_positives, 99 + 9);
        assert_eq!(r.overall.false_positives, 2);
        assert_eq!(r.overall.false_negatives, 1 + 1 + 1);

        let en = r.render_table(Lang::En);
        assert!(en.contains("FAIL"), "{en}");
        assert!(en.contains("2 below floor"), "{en}");
        let line = en
            .lines()
            .find(|l| l.starts_with("cn_resident_id"))
            .unwrap();
        assert!(line.contains("0.9900") && line.ends_with("ok"), "{line}");
        let line = en.lines().find(|l| l.starts_with("health")).unwrap();
        assert!(line.ends_with("—"), "{line}");
        let zh = r.render_table(Lang::ZhCn);
        assert!(
            zh.contains("居民身份证号码") && zh.contains("召回率"),
            "{zh}"
        );
        // Columns line up: rows of the first table all end at the result column.
        let rows: Vec<usize> = zh
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("合计"))
            .filter(|l| !l.starts_with('-'))
            .map(display_width)
            .collect();
        assert!(rows.len() > 5 && rows.iter().all(|&w| w == rows[0]), "{zh}");

        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["passed"], false);
        assert_eq!(json["below_floors"][0]["type"], "cn_mobile");
        assert_eq!(json["below_floors"][0]["metric"], "recall");
        assert_eq!(json["types"][0]["type"], "cn_resident_id");
        assert_eq!(json["types"][0]["false_positives"], 1);
        let text = serde_json::to_string(&r).unwrap();
        assert!(!text.contains("***"), "no masked values either");
    }

    #[test]
    fn table_alignment_handles_wide_characters() {
        let rows = vec![
            vec!["a".to_owned(), "姓名".to_owned(), "1".to_owned()],
            vec!["bb".to_owned(), "IPv4 地址".to_owned(), "100".to_owned()],
        ];
        let out = align(&rows, &[0, 1], 99);
        let widths: Vec<usize> = out.lines().map(display_width).collect();
        assert_eq!(widths[0], widths[2], "{out}");
        assert!(out.lines().nth(2).unwrap().ends_with("100"));
    }

    #[test]
    fn examples_are_limited_per_type_and_hold_no_values() {
        let labels = Labels::new(vec![], vec![]);
        let findings: Vec<Finding> = (0..30u64)
            .map(|i| m("a.txt", i * 10, i * 10 + 5, Email))
            .chain((0..3u64).map(|i| m("a.txt", 1000 + i * 10, 1005 + i * 10, Ipv4)))
            .collect();
        let r = score(&labels, Path::new(""), &findings);
        assert_eq!(r.examples(2).len(), 4);
        assert_eq!(r.examples(100).len(), EXAMPLES_KEPT + 3);
        assert_eq!(r.examples(1)[0].location(), "a.txt:0-5");
        let text = r.render_examples(1, Lang::En);
        assert!(
            text.contains("FP email a.txt:0-5 none_overlapping"),
            "{text}"
        );
    }

    fn write_corpus(labels: &str, manifest: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(LABELS_FILE), labels).unwrap();
        if let Some(mf) = manifest {
            fs::write(dir.path().join(MANIFEST_FILE), mf).unwrap();
        }
        dir
    }

    #[test]
    fn load_labels_reads_spans_columns_and_manifest() {
        let labels = concat!(
            "{\"path\": \"t.csv\", \"start\": 3, \"end\": 21, \"type\": \"cn_resident_id\"}\r\n",
            "\n",
            "{\"path\": \"t.csv\", \"kind\": \"column\", \"column\": \"sfzh\", \"type\": \"cn_resident_id\"}\n",
            "{\"path\": \"a.log\", \"start\": 0, \"end\": 11, \"type\": \"cn_mobile\"}\n",
        );
        let manifest = r#"{"counts_per_type": {"cn_resident_id": 1, "cn_mobile": 1},
            "column_labels_per_type": {"cn_resident_id": 1},
            "files": [{"path": "t.csv", "kind": "table", "bytes": 100},
                      {"path": "a.log", "kind": "app_log", "bytes": 50},
                      {"path": "empty.log", "kind": "app_log", "bytes": 50}]}"#;
        let dir = write_corpus(labels, Some(manifest));
        let l = load_labels(dir.path()).unwrap();
        assert_eq!(l.spans().len(), 2);
        assert_eq!(l.columns(), &[cl("t.csv", "sfzh", CnResidentId)]);
        assert_eq!(l.files().unwrap().count(), 3);
        // A finding in a listed file without labels is a false positive; the manifest and
        // label files themselves are outside the corpus.
        let base = dir.path().to_str().unwrap();
        let findings = vec![
            m(&format!("{base}/t.csv"), 3, 21, CnResidentId),
            m(&format!("{base}/empty.log"), 0, 11, CnMobile),
            m(&format!("{base}/{LABELS_FILE}"), 0, 11, CnMobile),
            col(&format!("{base}/t.csv"), "sfzh", CnResidentId),
        ];
        let r = score(&l, dir.path(), &findings);
        assert_eq!(counts(&r, CnResidentId), (1, 0, 0));
        assert_eq!(counts(&r, CnMobile), (0, 1, 1));
        assert_eq!(r.unscored.outside_corpus, 1);
        assert_eq!(r.column_score(CnResidentId).unwrap().true_positives, 1);

        // Without a manifest the labels still load.
        let dir = write_corpus(labels, None);
        assert!(load_labels(dir.path()).unwrap().files().is_none());
    }

    #[test]
    fn load_labels_errors_name_file_line_and_problem() {
        let err = |labels: &str, manifest: Option<&str>| {
            let dir = write_corpus(labels, manifest);
            let e = load_labels(dir.path()).unwrap_err().to_string();
            assert!(!e.contains("13812345678"));
            e
        };
        let ok = "{\"path\": \"a.txt\", \"start\": 0, \"end\": 5, \"type\": \"email\"}\n";
        let e = err(
            &format!("{ok}{{\"path\": \"a.txt\", \"start\": 0, \"end\": 5, \"type\": \"nope\"}}\n"),
            None,
        );
        assert!(
            e.ends_with("labels.ndjson:2: unknown PI type `nope`"),
            "{e}"
        );
        let e = err(
            &format!(
                "{ok}{{\"path\": \"a.txt\", \"start\": 9, \"end\": 5, \"type\": \"email\"}}\n"
            ),
            None,
        );
        assert!(e.ends_with(":2: empty or reversed span 9..5"), "{e}");
        let e = err(
            &format!("{ok}{{\"path\": \"a.txt\", \"type\": \"email\"}}\n"),
            None,
        );
        assert!(
            e.contains(":2: span label without `start` and `end`"),
            "{e}"
        );
        let e = err(&format!("{ok}{ok}"), None);
        assert!(e.contains(":2: duplicate of the label on line 1"), "{e}");
        let e = err("{not json\n", None);
        assert!(e.contains(":1: not a label object"), "{e}");
        let e = err(
            "{\"path\": \"/etc/a\", \"start\": 0, \"end\": 5, \"type\": \"email\"}\n",
            None,
        );
        assert!(e.contains(":1: `path` \"/etc/a\" must be relative"), "{e}");
        let e = err(
            "{\"path\": \"a\", \"kind\": \"row\", \"type\": \"email\"}\n",
            None,
        );
        assert!(e.contains(":1: unknown label kind `row`"), "{e}");
        let e = err(
            "{\"path\": \"a\", \"kind\": \"column\", \"type\": \"email\"}\n",
            None,
        );
        assert!(e.contains(":1: column label without `column`"), "{e}");
        let e = err(ok, Some(r#"{"files": [{"path": "b.txt"}]}"#));
        assert!(
            e.contains(":1: file `a.txt` is not in the file list of manifest.json"),
            "{e}"
        );
        let e = err(ok, Some(r#"{"files": [{"path": "a.txt", "bytes": 4}]}"#));
        assert!(
            e.contains(":1: span 0..5 ends past the end of `a.txt` (4 bytes"),
            "{e}"
        );
        let e = err(
            ok,
            Some(r#"{"counts_per_type": {"email": 2}, "files": [{"path": "a.txt"}]}"#),
        );
        assert!(
            e.ends_with(
                "manifest.json: `counts_per_type.email` is 2 but labels.ndjson has 1 such labels"
            ),
            "{e}"
        );
        let e = err(ok, Some("{\n\"files\": ["));
        assert!(e.contains("manifest.json:2: not valid JSON"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = load_labels(dir.path()).unwrap_err().to_string();
        assert!(
            e.starts_with("cannot read ") && e.contains("labels.ndjson"),
            "{e}"
        );
    }
}
