//! The register of generated reports (`xiezhi report`): each generation is one audit-chain
//! event `report.generated` whose payload (committed by digest) names the report and the
//! SHA-256 of every input it was built from, plus a row in `generated_reports` for listing
//! (the calendar of duties reads it to know which periods are done).

use serde::{Deserialize, Serialize};
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::db::vals;
use crate::store::{Append, Store};

/// One input of a generated report and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    /// What it is: a data-map file path, `answers:PATH`, `evidence:store`, …
    pub name: String,
    /// `sha256:<hex>` of its bytes.
    pub digest: String,
}

/// A report about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReport {
    /// Report kind id (`important-data-annual`, `pipia`, …).
    pub kind: String,
    /// The activity / flow it is about, when per-subject.
    pub subject: Option<String>,
    /// The year it reports on.
    pub period_year: Option<i32>,
    /// `zh-CN` or `en`.
    pub lang: String,
    /// `html`, `markdown`, `json` or `pdf`.
    pub format: String,
    /// `sha256:<hex>` of the output document's bytes.
    pub output_digest: String,
    /// Every input, with its digest.
    pub inputs: Vec<ReportInput>,
    /// Open questions the document still lists.
    pub missing: u32,
}

/// A recorded report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRecord {
    /// Audit seq of the `report.generated` event (also the register's key).
    pub seq: i64,
    /// When it was generated.
    pub generated_at: Millis,
    /// Who generated it.
    pub actor: String,
    /// What was generated.
    #[serde(flatten)]
    pub report: NewReport,
}

fn record_row(r: &crate::db::Row) -> Result<ReportRecord, StoreError> {
    let inputs: Vec<ReportInput> = serde_json::from_str(&r.text(7)?)
        .map_err(|e| StoreError::Corrupt(format!("generated_reports.inputs: {e}")))?;
    Ok(ReportRecord {
        seq: r.i64(0)?,
        report: NewReport {
            kind: r.text(1)?,
            subject: r.opt_text(2)?,
            period_year: r.opt_i64(3)?.and_then(|y| i32::try_from(y).ok()),
            lang: r.text(4)?,
            format: r.text(5)?,
            output_digest: r.text(6)?,
            inputs,
            missing: u32::try_from(r.i64(8)?).unwrap_or(u32::MAX),
        },
        generated_at: r.i64(9)?,
        actor: r.text(10)?,
    })
}

const COLUMNS: &str = "seq, kind, subject, period_year, lang, format, output_digest, inputs, missing, generated_at, actor";

impl Store {
    /// Records a generated report: the audit event (payload = the report and its inputs'
    /// digests) and the register row, in one transaction.
    pub async fn record_report(
        &self,
        report: &NewReport,
        actor: &str,
        at: Millis,
    ) -> Result<ReportRecord, StoreError> {
        let payload = serde_json::to_value(report)
            .map_err(|e| StoreError::Corrupt(format!("report record: {e}")))?;
        let inputs = serde_json::to_string(&report.inputs)
            .map_err(|e| StoreError::Corrupt(format!("report inputs: {e}")))?;
        let mut w = self.begin_write().await?;
        let seq = w
            .append(Append {
                at,
                kind: "report.generated",
                actor,
                subject: None,
                payload: Some(payload),
                outbox: None,
            })
            .await?;
        w.conn()
            .exec(
                "recording a generated report",
                "INSERT INTO generated_reports (seq, kind, subject, period_year, lang, format, output_digest, inputs, missing, generated_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                vals![
                    seq,
                    report.kind.as_str(),
                    report.subject.as_deref(),
                    report.period_year.map(i64::from),
                    report.lang.as_str(),
                    report.format.as_str(),
                    report.output_digest.as_str(),
                    inputs,
                    i64::from(report.missing),
                    at,
                    actor
                ],
            )
            .await?;
        w.commit().await?;
        Ok(ReportRecord {
            seq,
            generated_at: at,
            actor: actor.to_owned(),
            report: report.clone(),
        })
    }

    /// Every recorded report, oldest first (optionally of one kind).
    pub async fn generated_reports(
        &self,
        kind: Option<&str>,
    ) -> Result<Vec<ReportRecord>, StoreError> {
        let mut c = self.conn().await?;
        let rows = match kind {
            Some(k) => {
                c.conn()
                    .all(
                        "listing generated reports",
                        &format!(
                            "SELECT {COLUMNS} FROM generated_reports WHERE kind = ? ORDER BY seq"
                        ),
                        vals![k],
                    )
                    .await?
            }
            None => {
                c.conn()
                    .all(
                        "listing generated reports",
                        &format!("SELECT {COLUMNS} FROM generated_reports ORDER BY seq"),
                        vec![],
                    )
                    .await?
            }
        };
        rows.iter().map(record_row).collect()
    }
}
