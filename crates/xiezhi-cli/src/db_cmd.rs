//! `xiezhi scan postgres://… | mysql://… | sqlite://…`: discovery in a live database, then the
//! optional label outputs (`--suggest`, `--labels-json`, `--write-comments`).

use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;
use xiezhi_detect::{EngineConfig, TypeSet};
use xiezhi_map::suggest::{ConfirmedLabel, SuggestedField, write_suggestions};
use xiezhi_model::{Lang, PiType, SensitivityPack};
use xiezhi_scan::sql::{ColumnLabel, DbUrl, SqlScanOptions, scan_database, write_comments};

use crate::cli::{ScanArgs, ScanFormat};
use crate::scan_cmd::{CliSink, Observed, open_output, warnings_to_stderr};
use crate::table;

/// One label of the JSON export.
#[derive(Debug, Serialize)]
struct LabelOut<'a> {
    location: String,
    schema: &'a str,
    table: &'a str,
    column: &'a str,
    /// `confirmed` (from the data map) or `suggested` (from this scan).
    label: &'static str,
    /// `null` when a person confirmed the field holds no PI.
    #[serde(rename = "type")]
    pi_type: Option<PiType>,
    sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sampled: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matched: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<String>,
}

#[derive(Debug, Serialize)]
struct LabelsFile<'a> {
    tool: &'static str,
    version: &'static str,
    source: &'a str,
    labels: Vec<LabelOut<'a>>,
}

fn location(url: &DbUrl, schema: &str, table: &str) -> String {
    format!("{}/{schema}.{table}", url.source())
}

/// Runs a database scan; returns whether findings reached --fail-on.
pub fn run(args: &ScanArgs, url: &DbUrl, lang: Lang, pack: SensitivityPack) -> Result<bool> {
    if args.show_values {
        anyhow::bail!(match lang {
            Lang::ZhCn => "数据库扫描不打印抽样值：去掉 --show-values",
            Lang::En => "database scans never print sampled values: drop --show-values",
        });
    }
    let mut types = if args.types.is_empty() {
        TypeSet::all()
    } else {
        args.types.iter().copied().collect()
    };
    for t in &args.exclude_types {
        types = types.without(*t);
    }
    let options = SqlScanOptions {
        sample: args.sample,
        statement_timeout: args.statement_timeout,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        engine: EngineConfig {
            types,
            min_confidence: args.min_confidence,
        },
        pack,
    };
    let (rep, mut table_out) = open_output(args, pack, lang, redacted_args())?;
    let mut sink = CliSink {
        reporter: rep,
        fail_on: args.fail_on,
        show_values: false,
        observed: Observed::default(),
    };
    let scan = scan_database(url, &options, &mut sink).context(match lang {
        Lang::ZhCn => "数据库扫描失败",
        Lang::En => "the database scan failed",
    })?;
    if let Some(r) = sink.reporter.as_mut() {
        r.finish(&scan.summary)
            .context("cannot write the end of the output; check the disk or the pipe")?;
    }
    if let Some(out) = table_out.as_mut() {
        let text = table::render_db_scan(url.source(), &scan, &sink.observed, args.sample, lang);
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .context("cannot write the summary table; check the disk or the pipe")?;
    }
    if args.format == ScanFormat::Csv {
        warnings_to_stderr(&scan.summary, &sink.observed, lang);
    }

    // Labels: confirmed ones from the data map (read by --suggest) win over this scan's.
    let mut confirmed: Vec<ConfirmedLabel> = Vec::new();
    if let Some(path) = &args.suggest {
        let fields: Vec<SuggestedField> = scan
            .labels
            .iter()
            .map(|l| SuggestedField {
                location: location(url, &l.schema, &l.table),
                dataset_name: l
                    .table_comment
                    .clone()
                    .unwrap_or_else(|| format!("{}.{}", l.schema, l.table)),
                field: l.column.clone(),
                pi_type: l.pi_type,
                sensitive: l.sensitive,
                confidence: l.confidence,
                evidence: l.evidence.clone(),
            })
            .collect();
        let outcome = write_suggestions(path, url.source(), env!("CARGO_PKG_VERSION"), &fields)
            .with_context(|| format!("cannot write the suggestions to `{}`", path.display()))?;
        eprintln!(
            "{}",
            match lang {
                Lang::ZhCn => format!(
                    "已写入建议标注 {} 个到 {}；{} 个字段已由人工确认，未覆盖",
                    outcome.suggested,
                    path.display(),
                    outcome.kept_confirmed
                ),
                Lang::En => format!(
                    "wrote {} suggested labels to {}; {} fields confirmed by a person were left as they are",
                    outcome.suggested,
                    path.display(),
                    outcome.kept_confirmed
                ),
            }
        );
        confirmed = outcome.confirmed;
    }
    let merged = merge_labels(url, &scan.labels, &confirmed);
    if let Some(path) = &args.labels_json {
        let doc = LabelsFile {
            tool: "xiezhi",
            version: env!("CARGO_PKG_VERSION"),
            source: url.source(),
            labels: merged,
        };
        let text = serde_json::to_string_pretty(&doc)?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write the labels to `{}`", path.display()))?;
    }
    if args.write_comments {
        eprintln!(
            "{}",
            match lang {
                Lang::ZhCn => {
                    "警告：--write-comments 会修改数据库：在已有列注释后追加 [xiezhi: 类型]（另开可写连接，单个事务）。"
                }
                Lang::En => {
                    "warning: --write-comments changes the database: it appends [xiezhi: TYPE] to column comments (separate writable connection, one transaction)."
                }
            }
        );
        let comments: Vec<(String, String, String, Option<String>, PiType)> =
            merge_labels(url, &scan.labels, &confirmed)
                .into_iter()
                .filter_map(|l| {
                    let ty = l.pi_type?;
                    let existing = scan
                        .tables
                        .iter()
                        .find(|t| t.schema == l.schema && t.table == l.table)
                        .and_then(|t| t.columns.iter().find(|c| c.name == l.column))
                        .and_then(|c| c.comment.clone());
                    Some((
                        l.schema.to_owned(),
                        l.table.to_owned(),
                        l.column.to_owned(),
                        existing,
                        ty,
                    ))
                })
                .collect();
        let n = write_comments(url, &comments, args.statement_timeout)
            .context("cannot write the column comments")?;
        eprintln!(
            "{}",
            match lang {
                Lang::ZhCn => format!("已写入列注释 {n} 个"),
                Lang::En => format!("{n} column comments written"),
            }
        );
    }
    Ok(sink.observed.failing > 0)
}

/// This scan's labels, with the confirmed ones of the data map in their place (and confirmed
/// labels of this source the scan did not report).
fn merge_labels<'a>(
    url: &DbUrl,
    scanned: &'a [ColumnLabel],
    confirmed: &'a [ConfirmedLabel],
) -> Vec<LabelOut<'a>> {
    let mut out = Vec::new();
    let prefix = format!("{}/", url.source());
    for l in scanned {
        let loc = location(url, &l.schema, &l.table);
        if let Some(c) = confirmed
            .iter()
            .find(|c| c.location == loc && c.field == l.column)
        {
            out.push(LabelOut {
                location: loc,
                schema: &l.schema,
                table: &l.table,
                column: &l.column,
                label: "confirmed",
                pi_type: c.pi_type,
                sensitive: c.sensitive,
                data_type: Some(&l.data_type),
                confidence: None,
                sampled: None,
                matched: None,
                evidence: Vec::new(),
            });
        } else {
            out.push(LabelOut {
                location: loc,
                schema: &l.schema,
                table: &l.table,
                column: &l.column,
                label: "suggested",
                pi_type: Some(l.pi_type),
                sensitive: l.sensitive,
                data_type: Some(&l.data_type),
                confidence: Some(l.confidence),
                sampled: Some(l.sampled),
                matched: Some(l.matched),
                evidence: l.evidence.clone(),
            });
        }
    }
    for c in confirmed {
        let Some(rest) = c.location.strip_prefix(&prefix) else {
            continue;
        };
        let Some((schema, table)) = rest.split_once('.') else {
            continue;
        };
        let seen = scanned
            .iter()
            .any(|l| l.schema == schema && l.table == table && l.column == c.field);
        if !seen {
            out.push(LabelOut {
                location: c.location.clone(),
                schema,
                table,
                column: &c.field,
                label: "confirmed",
                pi_type: c.pi_type,
                sensitive: c.sensitive,
                data_type: None,
                confidence: None,
                sampled: None,
                matched: None,
                evidence: Vec::new(),
            });
        }
    }
    out
}

/// The command line for SARIF `invocations`, with database URLs shown without credentials.
fn redacted_args() -> Vec<String> {
    std::env::args()
        .map(|a| match DbUrl::parse(&a) {
            Some(u) => u.source().to_owned(),
            None => a,
        })
        .collect()
}
