//! The incident register as stored (catalog 4.9, SR-INC-01..03): one row per incident with the
//! `xiezhi-incident` record, timeline and data-map estimate as JSON documents plus indexed
//! columns (id, state, level, opened_at), and an event log. Every write appends its audit-chain
//! event (`incident.opened`, `incident.updated`, `incident.reported`, `incident.notified`,
//! `incident.exemption`, `incident.closed`) in the same transaction; the event data is the
//! chain payload, so the chain commits to it.
//!
//! The store keeps plain types: grading, clocks and the document format are `xiezhi-incident`'s
//! concern (the caller converts). The documents hold counts and PI types only; the event data
//! must too (notices: channel and counts, never recipients' addresses).

use serde::{Deserialize, Serialize};
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::db::{Row, vals};
use crate::store::{Append, Store};

/// What happened to an incident (the audit event kind is `incident.<kind>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentEventKind {
    /// Opened (recorded in the register).
    Opened,
    /// Fields changed (re-graded).
    Updated,
    /// A report (initial, supplementary, summary) was filed with the authority.
    Reported,
    /// A notice to affected people was rendered or sent (channel and counts).
    Notified,
    /// The decision not to notify individuals, with reasons.
    Exemption,
    /// Closed.
    Closed,
}

impl IncidentEventKind {
    /// `opened`, `updated`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Updated => "updated",
            Self::Reported => "reported",
            Self::Notified => "notified",
            Self::Exemption => "exemption",
            Self::Closed => "closed",
        }
    }

    /// The audit event kind, `incident.opened` etc.
    pub fn audit_kind(self) -> &'static str {
        match self {
            Self::Opened => "incident.opened",
            Self::Updated => "incident.updated",
            Self::Reported => "incident.reported",
            Self::Notified => "incident.notified",
            Self::Exemption => "incident.exemption",
            Self::Closed => "incident.closed",
        }
    }
}

/// The documents and indexed columns of an incident, as the caller computed them.
#[derive(Debug, Clone, Copy)]
pub struct IncidentDoc<'a> {
    /// Incident id (`INC-…`).
    pub id: &'a str,
    /// `open` or `closed`.
    pub state: &'a str,
    /// Grade id (`general`, `relatively_large`, `major`, `especially_major`).
    pub level: &'a str,
    /// Detection time (ms).
    pub detected_at: Millis,
    /// When closed (ms).
    pub closed_at: Option<Millis>,
    /// Closing remark.
    pub close_reason: Option<&'a str>,
    /// The incident record (JSON).
    pub record: &'a str,
    /// The timeline (JSON).
    pub timeline: &'a str,
    /// The data-map estimate (JSON).
    pub estimate: Option<&'a str>,
}

/// One event to log with a write.
#[derive(Debug, Clone)]
pub struct IncidentEventInput<'a> {
    /// What happened.
    pub kind: IncidentEventKind,
    /// Who did it (`cli`, `apikey:…`).
    pub actor: &'a str,
    /// When (ms).
    pub at: Millis,
    /// Details: field names, counts, report kind, channel, reasons — never PI values.
    pub data: serde_json::Value,
}

/// A stored incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredIncident {
    /// Id.
    pub id: String,
    /// `open` / `closed`.
    pub state: String,
    /// Grade id.
    pub level: String,
    /// When recorded (ms).
    pub opened_at: Millis,
    /// When detected (ms).
    pub detected_at: Millis,
    /// Last change (ms).
    pub updated_at: Millis,
    /// When closed (ms).
    pub closed_at: Option<Millis>,
    /// Closing remark.
    pub close_reason: Option<String>,
    /// Record JSON.
    pub record: String,
    /// Timeline JSON.
    pub timeline: String,
    /// Estimate JSON.
    pub estimate: Option<String>,
    /// Audit seq of the last write (the version for optimistic concurrency).
    pub seq: i64,
}

/// One logged event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentEvent {
    /// Incident id.
    pub incident_id: String,
    /// Audit seq.
    pub seq: i64,
    /// When (ms).
    pub at: Millis,
    /// `opened`, `updated`, `reported`, `notified`, `exemption`, `closed`.
    pub kind: String,
    /// Who.
    pub actor: String,
    /// Details.
    pub data: serde_json::Value,
}

const COLUMNS: &str = "id, state, level, opened_at, detected_at, updated_at, closed_at, close_reason, record, timeline, estimate, seq";

fn incident_row(r: &Row) -> Result<StoredIncident, StoreError> {
    Ok(StoredIncident {
        id: r.text(0)?,
        state: r.text(1)?,
        level: r.text(2)?,
        opened_at: r.i64(3)?,
        detected_at: r.i64(4)?,
        updated_at: r.i64(5)?,
        closed_at: r.opt_i64(6)?,
        close_reason: r.opt_text(7)?,
        record: r.text(8)?,
        timeline: r.text(9)?,
        estimate: r.opt_text(10)?,
        seq: r.i64(11)?,
    })
}

fn check_doc(doc: &IncidentDoc<'_>) -> Result<(), StoreError> {
    if doc.id.trim().is_empty() {
        return Err(StoreError::InvalidInput("incident id is blank".into()));
    }
    if !matches!(doc.state, "open" | "closed") {
        return Err(StoreError::InvalidInput(
            "incident state must be `open` or `closed`".into(),
        ));
    }
    Ok(())
}

async fn log_event(
    w: &mut crate::store::Write,
    id: &str,
    ev: &IncidentEventInput<'_>,
) -> Result<i64, StoreError> {
    let mut payload = ev.data.clone();
    if let Some(m) = payload.as_object_mut() {
        m.insert("incident".into(), serde_json::Value::String(id.to_owned()));
    }
    let seq = w
        .append(Append {
            at: ev.at,
            kind: ev.kind.audit_kind(),
            actor: ev.actor,
            subject: None,
            payload: Some(payload),
            outbox: None,
        })
        .await?;
    let data = ev.data.to_string();
    w.conn()
        .exec(
            "logging an incident event",
            "INSERT INTO incident_events (incident_id, seq, at, kind, actor, data) VALUES (?, ?, ?, ?, ?, ?)",
            vals![id, seq, ev.at, ev.kind.as_str(), ev.actor, data],
        )
        .await?;
    Ok(seq)
}

impl Store {
    /// Records a new incident with its `opened` event (fails if the id exists).
    pub async fn open_incident(
        &self,
        doc: IncidentDoc<'_>,
        ev: IncidentEventInput<'_>,
    ) -> Result<StoredIncident, StoreError> {
        check_doc(&doc)?;
        let mut w = self.begin_write().await?;
        let exists = w
            .conn()
            .opt(
                "looking up an incident",
                "SELECT id FROM incidents WHERE id = ?",
                vals![doc.id],
            )
            .await?;
        if exists.is_some() {
            return Err(StoreError::IncidentExists {
                id: doc.id.to_owned(),
            });
        }
        let seq = log_event(&mut w, doc.id, &ev).await?;
        w.conn()
            .exec(
                "recording an incident",
                "INSERT INTO incidents (id, state, level, opened_at, detected_at, updated_at, closed_at, close_reason, record, timeline, estimate, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                vals![doc.id, doc.state, doc.level, ev.at, doc.detected_at, ev.at, doc.closed_at, doc.close_reason, doc.record, doc.timeline, doc.estimate, seq],
            )
            .await?;
        w.commit().await?;
        self.get_incident(doc.id)
            .await?
            .ok_or_else(|| StoreError::IncidentNotFound {
                id: doc.id.to_owned(),
            })
    }

    /// Replaces an incident's documents and columns with its event, if it is still at version
    /// `expected_seq` (else [`StoreError::IncidentConflict`]: reload and retry).
    pub async fn save_incident(
        &self,
        doc: IncidentDoc<'_>,
        expected_seq: i64,
        ev: IncidentEventInput<'_>,
    ) -> Result<StoredIncident, StoreError> {
        check_doc(&doc)?;
        let mut w = self.begin_write().await?;
        let row = w
            .conn()
            .opt(
                "reading an incident",
                "SELECT seq FROM incidents WHERE id = ?",
                vals![doc.id],
            )
            .await?
            .ok_or_else(|| StoreError::IncidentNotFound {
                id: doc.id.to_owned(),
            })?;
        if row.i64(0)? != expected_seq {
            return Err(StoreError::IncidentConflict {
                id: doc.id.to_owned(),
            });
        }
        let seq = log_event(&mut w, doc.id, &ev).await?;
        w.conn()
            .exec(
                "updating an incident",
                "UPDATE incidents SET state = ?, level = ?, detected_at = ?, updated_at = ?, closed_at = ?, close_reason = ?, record = ?, timeline = ?, estimate = ?, seq = ? WHERE id = ?",
                vals![doc.state, doc.level, doc.detected_at, ev.at, doc.closed_at, doc.close_reason, doc.record, doc.timeline, doc.estimate, seq, doc.id],
            )
            .await?;
        w.commit().await?;
        self.get_incident(doc.id)
            .await?
            .ok_or_else(|| StoreError::IncidentNotFound {
                id: doc.id.to_owned(),
            })
    }

    /// Logs an event without changing the documents (e.g. a notice rendered for printing).
    pub async fn log_incident_event(
        &self,
        id: &str,
        ev: IncidentEventInput<'_>,
    ) -> Result<i64, StoreError> {
        let mut w = self.begin_write().await?;
        let exists = w
            .conn()
            .opt(
                "looking up an incident",
                "SELECT id FROM incidents WHERE id = ?",
                vals![id],
            )
            .await?;
        if exists.is_none() {
            return Err(StoreError::IncidentNotFound { id: id.to_owned() });
        }
        let seq = log_event(&mut w, id, &ev).await?;
        w.commit().await?;
        Ok(seq)
    }

    /// One incident.
    pub async fn get_incident(&self, id: &str) -> Result<Option<StoredIncident>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .opt(
                "reading an incident",
                &format!("SELECT {COLUMNS} FROM incidents WHERE id = ?"),
                vals![id],
            )
            .await?
            .as_ref()
            .map(incident_row)
            .transpose()
    }

    /// Incidents, newest detection first; only `state` (`open`/`closed`) when given.
    pub async fn list_incidents(
        &self,
        state: Option<&str>,
        limit: u32,
    ) -> Result<Vec<StoredIncident>, StoreError> {
        let mut c = self.conn().await?;
        let rows = match state {
            Some(s) => {
                c.conn()
                    .all(
                        "listing incidents",
                        &format!("SELECT {COLUMNS} FROM incidents WHERE state = ? ORDER BY detected_at DESC, id LIMIT ?"),
                        vals![s, i64::from(limit)],
                    )
                    .await?
            }
            None => {
                c.conn()
                    .all(
                        "listing incidents",
                        &format!("SELECT {COLUMNS} FROM incidents ORDER BY detected_at DESC, id LIMIT ?"),
                        vals![i64::from(limit)],
                    )
                    .await?
            }
        };
        rows.iter().map(incident_row).collect()
    }

    /// The event log of an incident, oldest first.
    pub async fn incident_events(&self, id: &str) -> Result<Vec<IncidentEvent>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "reading incident events",
                "SELECT incident_id, seq, at, kind, actor, data FROM incident_events WHERE incident_id = ? ORDER BY seq",
                vals![id],
            )
            .await?
            .iter()
            .map(|r| {
                let data = r.text(5)?;
                Ok(IncidentEvent {
                    incident_id: r.text(0)?,
                    seq: r.i64(1)?,
                    at: r.i64(2)?,
                    kind: r.text(3)?,
                    actor: r.text(4)?,
                    data: serde_json::from_str(&data).map_err(|e| {
                        StoreError::Corrupt(format!("incident event data is not JSON: {e}"))
                    })?,
                })
            })
            .collect()
    }
}
