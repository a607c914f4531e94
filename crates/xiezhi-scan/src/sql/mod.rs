//! Discovery in live databases: PostgreSQL, MySQL/MariaDB and SQLite.
//!
//! [`scan_database`] lists schemas, tables and columns from the catalogue (`pg_catalog`,
//! `information_schema`, `sqlite_master` + `pragma_table_info`) with column and table
//! comments, reads a bounded sample of non-null values per column and classifies each column
//! with the detection engine: the column name — or, when the name says nothing, its comment —
//! in English, Chinese or pinyin is the field hint, the sampled values are the evidence
//! ([`ColumnClassifier`]).
//!
//! # What touches the database
//!
//! * One connection, one **read-only transaction** with a **statement timeout**: PostgreSQL
//!   `SET TRANSACTION READ ONLY` + `SET LOCAL statement_timeout`; MySQL/MariaDB
//!   `max_execution_time` / `max_statement_time` + `START TRANSACTION READ ONLY`; SQLite opens
//!   the file read-only (`mode=ro`) with `PRAGMA query_only = ON` (SQLite has no statement
//!   timeout; its reads are LIMIT-bounded reads of a local file). The transaction is rolled
//!   back at the end.
//! * **No full-table scans.** PostgreSQL tables whose planner estimate (`reltuples`) exceeds
//!   10,000 rows are read with `TABLESAMPLE SYSTEM (p)`, `p` sized from the estimate for about
//!   20 rows per wanted value, then `LIMIT N`; if that comes back short (many NULLs, an
//!   unanalysed table) the first `N` non-null rows are read with `LIMIT N` under a savepoint,
//!   so a statement timeout there keeps what the sample found. MySQL and SQLite read the first
//!   `N` non-null rows (`LIMIT N`). Values are cut to 4,096 characters.
//! * Identifiers are always quoted (`"schema"."table"`, `` `db`.`table` ``).
//! * **Samples are never stored or printed raw**: each column's values are classified in
//!   memory and dropped before the next column is read. Findings carry counts and evidence
//!   only; a label keeps one masked example ([`xiezhi_detect::mask`]) for the terminal table.

mod conn;
mod url;

use std::time::{Duration, Instant};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;
use xiezhi_detect::{
    ColumnClassifier, ColumnVerdict, Engine, EngineConfig, Match, Scratch, field_hint,
};
use xiezhi_model::{ColumnFinding, Finding, PiType, SensitivityPack, Warning, WarningReason};

pub use url::{DbUrl, Dialect};

use crate::pipeline::FindingSink;
use crate::summary::{FileTotals, Summary};

/// Default number of non-null values sampled per column.
pub const DEFAULT_SAMPLE: u32 = 100;
/// Most values sampled per column (the classifier's own limit).
pub const MAX_SAMPLE: u32 = xiezhi_detect::column::SAMPLE_LIMIT as u32;
/// Default statement timeout.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// What went wrong talking to a database.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    /// The connection could not be opened.
    #[error(
        "cannot connect to {db}: {message}; check the host, port, user, password and database name"
    )]
    Connect {
        /// The URL without credentials.
        db: String,
        /// The driver's message.
        message: String,
    },
    /// A query failed.
    #[error("{db}: {what} failed: {message}")]
    Query {
        /// The URL without credentials.
        db: String,
        /// What was being done.
        what: &'static str,
        /// The driver's message.
        message: String,
    },
    /// A `--include`/`--exclude` glob does not parse.
    #[error("invalid table glob `{glob}`: {message}; use schema.table patterns such as `public.*`")]
    Glob {
        /// The glob.
        glob: String,
        /// The parser's message.
        message: String,
    },
    /// Something this database cannot do.
    #[error("{message}")]
    Unsupported {
        /// What and why.
        message: String,
    },
    /// The async runtime could not start.
    #[error("cannot start the database runtime: {0}")]
    Runtime(String),
}

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct SqlScanOptions {
    /// Non-null values sampled per column (1..=[`MAX_SAMPLE`]).
    pub sample: u32,
    /// Timeout of every statement.
    pub statement_timeout: Duration,
    /// `schema.table` globs to scan (all when empty). For SQLite the schema is `main`.
    pub include: Vec<String>,
    /// `schema.table` globs to skip (wins over `include`).
    pub exclude: Vec<String>,
    /// Types and minimum confidence.
    pub engine: EngineConfig,
    /// Decides the `sensitive` flag.
    pub pack: SensitivityPack,
}

impl Default for SqlScanOptions {
    fn default() -> Self {
        SqlScanOptions {
            sample: DEFAULT_SAMPLE,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            include: Vec::new(),
            exclude: Vec::new(),
            engine: EngineConfig::default(),
            pack: SensitivityPack::default(),
        }
    }
}

/// A table (or materialised view) from the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableInfo {
    /// Schema (MySQL: database; SQLite: `main`).
    pub schema: String,
    /// Table name.
    pub table: String,
    /// Table comment.
    pub comment: Option<String>,
    /// The planner's row estimate (`-1` when unknown).
    pub estimated_rows: f64,
    /// Columns in order.
    pub columns: Vec<ColumnInfo>,
}

/// A column from the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnInfo {
    /// Column name.
    pub name: String,
    /// Declared type (`character varying(32)`, `varchar(32)`, `TEXT`).
    pub data_type: String,
    /// Column comment.
    pub comment: Option<String>,
}

/// A column that got a label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnLabel {
    /// Schema.
    pub schema: String,
    /// Table.
    pub table: String,
    /// Table comment (a readable name for the data map).
    pub table_comment: Option<String>,
    /// Column.
    pub column: String,
    /// Declared type.
    pub data_type: String,
    /// The column comment before the scan.
    pub comment: Option<String>,
    /// The type.
    #[serde(rename = "type")]
    pub pi_type: PiType,
    /// Sensitive under the pack.
    pub sensitive: bool,
    /// Non-null values sampled.
    pub sampled: u64,
    /// Values that validated.
    pub matched: u64,
    /// 0..=1.
    pub confidence: f32,
    /// `values:0.990`, `name:pinyin sfzh`, `comment:手机号`.
    pub evidence: Vec<String>,
    /// One sampled value of the type, masked (`139****0001`), for people reviewing the label in
    /// the terminal. Never the raw value; not written to the data map.
    #[serde(skip)]
    pub masked_example: Option<String>,
}

/// The result of [`scan_database`] besides the findings sent to the sink.
#[derive(Debug, Clone)]
pub struct DbScan {
    /// Totals (tables count as "files").
    pub summary: Summary,
    /// Tables scanned (after the filters).
    pub tables: Vec<TableInfo>,
    /// Labelled columns.
    pub labels: Vec<ColumnLabel>,
    /// `MariaDB` when the MySQL server is MariaDB.
    pub server: Option<String>,
}

fn glob_set(globs: &[String]) -> Result<GlobSet, SqlError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| SqlError::Glob {
            glob: g.clone(),
            message: e.to_string(),
        })?);
    }
    b.build().map_err(|e| SqlError::Glob {
        glob: globs.join(","),
        message: e.to_string(),
    })
}

/// Runs `fut` on a single-threaded tokio runtime.
pub(crate) fn block_on<F: std::future::Future>(fut: F) -> Result<F::Output, SqlError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SqlError::Runtime(e.to_string()))?;
    Ok(rt.block_on(fut))
}

/// The hint of a column: its name's, or its comment's when the name says nothing.
pub fn column_hint(name: &str, comment: Option<&str>) -> xiezhi_detect::FieldHint {
    let hint = field_hint(name);
    if hint.is_empty()
        && let Some(c) = comment
    {
        let mut from_comment = field_hint(c);
        if !from_comment.is_empty() {
            from_comment.evidence = match from_comment.evidence.strip_prefix("name:") {
                Some(rest) => format!("comment:{rest}"),
                None => format!("comment:{}", from_comment.evidence),
            };
            return from_comment;
        }
    }
    hint
}

/// Scans the database at `url`: findings (one [`ColumnFinding`] per labelled column) and
/// warnings (tables that could not be sampled) go to `sink`.
pub fn scan_database(
    url: &DbUrl,
    options: &SqlScanOptions,
    sink: &mut dyn FindingSink,
) -> Result<DbScan, SqlError> {
    let include = glob_set(&options.include)?;
    let exclude = glob_set(&options.exclude)?;
    let engine = Engine::new(options.engine.clone());
    let sample = options.sample.clamp(1, MAX_SAMPLE);
    let started = Instant::now();
    block_on(async {
        let mut conn = conn::Conn::open_read_only(url, options.statement_timeout).await?;
        let server = conn.is_mariadb().then(|| "MariaDB".to_owned());
        let result = scan_tables(
            &mut conn, url, options, sample, &include, &exclude, &engine, sink,
        )
        .await;
        conn.close().await;
        let (mut summary, tables, labels) = result?;
        summary.elapsed_secs = started.elapsed().as_secs_f64();
        Ok(DbScan {
            summary,
            tables,
            labels,
            server,
        })
    })?
}

type ScanParts = (Summary, Vec<TableInfo>, Vec<ColumnLabel>);

#[allow(clippy::too_many_arguments)]
async fn scan_tables(
    conn: &mut conn::Conn,
    url: &DbUrl,
    options: &SqlScanOptions,
    sample: u32,
    include: &GlobSet,
    exclude: &GlobSet,
    engine: &Engine,
    sink: &mut dyn FindingSink,
) -> Result<ScanParts, SqlError> {
    let io_err = |e: std::io::Error| SqlError::Query {
        db: url.source().to_owned(),
        what: "writing findings",
        message: e.to_string(),
    };
    let mut tables = conn.tables(url).await?;
    tables.retain(|t| {
        let key = format!("{}.{}", t.schema, t.table);
        (include.is_empty() || include.is_match(&key)) && !exclude.is_match(&key)
    });
    let mut summary = Summary::new(options.pack, 1);
    let mut labels = Vec::new();
    let mut scratch = Scratch::default();
    let mut matches: Vec<Match> = Vec::new();
    let config = engine.config();
    for t in &tables {
        summary.files_scanned += 1;
        let qualified = format!("{}.{}", t.schema, t.table);
        let mut totals = FileTotals {
            path: format!("{} {qualified}", url.source()),
            ..FileTotals::default()
        };
        for (index, c) in t.columns.iter().enumerate() {
            let values = match conn.sample(url, t, &c.name, sample).await {
                Ok(v) => v,
                Err(e) => {
                    summary.count_warning(WarningReason::Unreadable);
                    sink.warning(&Warning {
                        path: format!("{} {qualified}.{}", url.source(), c.name),
                        line: None,
                        reason: WarningReason::Unreadable,
                        message: format!("column not sampled: {e}"),
                    })
                    .map_err(io_err)?;
                    continue;
                }
            };
            let verdict = classify(
                engine,
                &c.name,
                c.comment.as_deref(),
                &values,
                &mut scratch,
                &mut matches,
            );
            let masked_example = verdict.as_ref().and_then(|v| {
                masked_example(
                    engine,
                    &c.name,
                    c.comment.as_deref(),
                    &values,
                    v.pi_type,
                    &mut scratch,
                    &mut matches,
                )
            });
            summary.bytes_scanned += values.iter().map(|v| v.len() as u64).sum::<u64>();
            drop(values);
            let Some(v) = verdict else { continue };
            if !config.types.contains(v.pi_type) || v.confidence < config.min_confidence {
                continue;
            }
            let sensitive = options.pack.is_sensitive(v.pi_type);
            let finding = Finding::Column(ColumnFinding {
                path: None,
                source: Some(url.source().to_owned()),
                table: Some(qualified.clone()),
                sheet: None,
                column: c.name.clone(),
                index: u32::try_from(index).ok(),
                pi_type: v.pi_type,
                category: v.pi_type.category(),
                sensitive,
                sampled: v.sampled,
                matched: v.matched,
                confidence: v.confidence,
                evidence: v.evidence.clone(),
            });
            sink.finding(&finding).map_err(io_err)?;
            summary.column_findings += 1;
            summary.values_in_columns += v.matched;
            if sensitive {
                summary.sensitive_findings += 1;
                totals.sensitive += 1;
            }
            let tt = summary.by_type.entry(v.pi_type).or_default();
            tt.columns += 1;
            tt.values += v.matched;
            tt.sensitive = sensitive;
            if !totals.types.contains(&v.pi_type) {
                totals.types.push(v.pi_type);
                tt.files += 1;
            }
            totals.columns += 1;
            totals.values += v.matched;
            labels.push(ColumnLabel {
                schema: t.schema.clone(),
                table: t.table.clone(),
                table_comment: t.comment.clone(),
                column: c.name.clone(),
                data_type: c.data_type.clone(),
                comment: c.comment.clone(),
                pi_type: v.pi_type,
                sensitive,
                sampled: v.sampled,
                matched: v.matched,
                confidence: v.confidence,
                evidence: v.evidence,
                masked_example,
            });
        }
        if totals.columns > 0 {
            totals.types.sort();
            summary.files_with_findings += 1;
            summary.files.push(totals);
        }
    }
    summary
        .files
        .sort_by(|a, b| b.values.cmp(&a.values).then_with(|| a.path.cmp(&b.path)));
    Ok((summary, tables, labels))
}

/// Classifies one column from its name, comment and sampled values.
pub fn classify(
    engine: &Engine,
    name: &str,
    comment: Option<&str>,
    values: &[Vec<u8>],
    scratch: &mut Scratch,
    matches: &mut Vec<Match>,
) -> Option<ColumnVerdict> {
    let mut classifier = ColumnClassifier::with_hint(column_hint(name, comment));
    for raw in values {
        let text = String::from_utf8_lossy(raw);
        let value = text.trim();
        if value.is_empty() {
            continue;
        }
        matches.clear();
        engine.scan_field(value, classifier.hint(), scratch, matches);
        classifier.observe(value.len(), matches);
        if !classifier.wants_more() {
            break;
        }
    }
    matches.clear();
    classifier.verdict()
}

/// The first sampled value holding `ty`, masked with [`xiezhi_detect::mask`].
pub fn masked_example(
    engine: &Engine,
    name: &str,
    comment: Option<&str>,
    values: &[Vec<u8>],
    ty: PiType,
    scratch: &mut Scratch,
    matches: &mut Vec<Match>,
) -> Option<String> {
    let hint = column_hint(name, comment);
    let mut out = None;
    for raw in values {
        let text = String::from_utf8_lossy(raw);
        let value = text.trim();
        matches.clear();
        engine.scan_field(value, &hint, scratch, matches);
        if let Some(m) = matches.iter().find(|m| m.pi_type == ty)
            && let Some(found) = value.get(m.start..m.end)
        {
            out = Some(xiezhi_detect::mask(ty, found));
            break;
        }
    }
    matches.clear();
    out
}

/// The comment that records `label` on its column: the existing comment without an earlier
/// `[xiezhi: …]` tag, then ` [xiezhi: TYPE]`.
pub fn comment_with_label(existing: Option<&str>, pi_type: PiType) -> String {
    let mut base = existing.unwrap_or("").to_owned();
    if let Some(i) = base.find("[xiezhi:")
        && let Some(len) = base.get(i..).and_then(|s| s.find(']'))
    {
        base.replace_range(i..=i + len, "");
    }
    let base = base.trim();
    if base.is_empty() {
        format!("[xiezhi: {}]", pi_type.id())
    } else {
        format!("{base} [xiezhi: {}]", pi_type.id())
    }
}

/// Writes `labels` back as column comments (PostgreSQL `COMMENT ON COLUMN`, on a separate
/// writable connection, one transaction). Existing comments are kept; the label is appended as
/// `[xiezhi: TYPE]`, replacing an earlier tag. MySQL/MariaDB are refused: `ALTER TABLE …
/// MODIFY … COMMENT` restates the whole column definition, which cannot be done safely from
/// the catalogue alone. SQLite has no comments.
pub fn write_comments(
    url: &DbUrl,
    labels: &[(String, String, String, Option<String>, PiType)],
    statement_timeout: Duration,
) -> Result<usize, SqlError> {
    match url.dialect() {
        Dialect::Postgres => {
            let comments: Vec<(String, String, String, String)> = labels
                .iter()
                .map(|(s, t, c, existing, ty)| {
                    (
                        s.clone(),
                        t.clone(),
                        c.clone(),
                        comment_with_label(existing.as_deref(), *ty),
                    )
                })
                .collect();
            block_on(conn::write_pg_comments(url, statement_timeout, &comments))??;
            Ok(comments.len())
        }
        Dialect::MySql => Err(SqlError::Unsupported {
            message: "--write-comments is not supported for MySQL/MariaDB: a column comment can only be changed with ALTER TABLE … MODIFY, which restates the whole column definition (type, default, charset, generated expression) and may rebuild the table; use --labels-json or --suggest instead".to_owned(),
        }),
        Dialect::Sqlite => Err(SqlError::Unsupported {
            message: "--write-comments: SQLite has no column comments; use --labels-json or --suggest instead".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_hint_only_when_name_says_nothing() {
        let h = column_hint("c7", Some("身份证号码"));
        assert!(h.types.contains(PiType::CnResidentId));
        assert!(h.evidence.starts_with("comment:"), "{}", h.evidence);
        let h = column_hint("mobile", Some("身份证号码"));
        assert!(h.types.contains(PiType::CnMobile));
        assert!(!h.types.contains(PiType::CnResidentId));
        let h = column_hint("c7", Some("备用字段"));
        assert!(h.is_empty());
    }

    #[test]
    fn label_comment_keeps_the_human_text() {
        assert_eq!(
            comment_with_label(Some("手机号码"), PiType::CnMobile),
            "手机号码 [xiezhi: cn_mobile]"
        );
        assert_eq!(
            comment_with_label(Some("手机号码 [xiezhi: email]"), PiType::CnMobile),
            "手机号码 [xiezhi: cn_mobile]"
        );
        assert_eq!(comment_with_label(None, PiType::Email), "[xiezhi: email]");
    }

    #[test]
    fn classify_uses_values_and_hint() {
        let engine = Engine::new(EngineConfig::default());
        let mut scratch = Scratch::default();
        let mut m = Vec::new();
        let mobiles: Vec<Vec<u8>> = (0..50)
            .map(|i| format!("1391234{:04}", i * 7).into_bytes())
            .collect();
        let v = classify(&engine, "sjhm", None, &mobiles, &mut scratch, &mut m);
        assert_eq!(v.map(|v| v.pi_type), Some(PiType::CnMobile));
        let flags: Vec<Vec<u8>> = (0..50).map(|i| format!("{}", i % 2).into_bytes()).collect();
        let v = classify(
            &engine,
            "email_verified",
            None,
            &flags,
            &mut scratch,
            &mut m,
        );
        assert_eq!(v, None);
    }
}
