//! Published versions of the processing rules: immutable rows identified by the SHA-256 of the
//! rules document; publishing the same document again returns the existing version.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::db::vals;
use crate::store::{Append, Store};

/// A published version (without its bodies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesVersion {
    /// 1, 2, 3, …
    pub version: i64,
    /// `sha256:<hex>` of the JSON document.
    pub digest: String,
    /// When it was published.
    pub published_at: Millis,
    /// Audit seq of the publication.
    pub seq: i64,
}

/// The outcome of a publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// A new version was stored.
    New(RulesVersion),
    /// The same document was already published as this version.
    Unchanged(RulesVersion),
}

fn version_row(r: &crate::db::Row) -> Result<RulesVersion, StoreError> {
    Ok(RulesVersion {
        version: r.i64(0)?,
        digest: r.text(1)?,
        published_at: r.i64(2)?,
        seq: r.i64(3)?,
    })
}

impl Store {
    /// Publishes the rules: `document` is the JSON form, `html_zh`/`html_en` the pages served.
    pub async fn publish_rules(
        &self,
        document: &str,
        html_zh: &str,
        html_en: &str,
        actor: &str,
        at: Millis,
    ) -> Result<Published, StoreError> {
        let digest = format!(
            "sha256:{}",
            hex::encode(Sha256::digest(document.as_bytes()))
        );
        let mut w = self.begin_write().await?;
        let existing = w
            .conn()
            .all(
                "reading the rules versions",
                "SELECT version, digest, published_at, seq FROM rules_versions WHERE digest = ?",
                vals![&digest],
            )
            .await?;
        if let Some(row) = existing.first() {
            let v = version_row(row)?;
            w.commit().await?;
            return Ok(Published::Unchanged(v));
        }
        let last = w
            .conn()
            .one(
                "reading the last rules version",
                "SELECT COALESCE(MAX(version), 0) FROM rules_versions",
                vec![],
            )
            .await?
            .i64(0)?;
        let version = last + 1;
        let seq = w
            .append(Append {
                at,
                kind: "rules.published",
                actor,
                subject: None,
                payload: None,
                outbox: Some(serde_json::json!({ "version": version, "digest": digest })),
            })
            .await?;
        w.conn()
            .exec(
                "publishing the rules",
                "INSERT INTO rules_versions (version, digest, published_at, document, html_zh, html_en, seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
                vals![version, &digest, at, document, html_zh, html_en, seq],
            )
            .await?;
        w.commit().await?;
        Ok(Published::New(RulesVersion {
            version,
            digest,
            published_at: at,
            seq,
        }))
    }

    /// Every published version, oldest first.
    pub async fn rules_versions(&self) -> Result<Vec<RulesVersion>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "listing the rules versions",
                "SELECT version, digest, published_at, seq FROM rules_versions ORDER BY version",
                vec![],
            )
            .await?
            .iter()
            .map(version_row)
            .collect()
    }

    /// The JSON document and the two pages of `version` (the latest when `None`).
    pub async fn rules_version_bodies(
        &self,
        version: Option<i64>,
    ) -> Result<Option<(RulesVersion, String, String, String)>, StoreError> {
        let mut c = self.conn().await?;
        let rows = match version {
            Some(v) => {
                c.conn()
                    .all(
                        "reading a rules version",
                        "SELECT version, digest, published_at, seq, document, html_zh, html_en FROM rules_versions WHERE version = ?",
                        vals![v],
                    )
                    .await?
            }
            None => {
                c.conn()
                    .all(
                        "reading the latest rules version",
                        "SELECT version, digest, published_at, seq, document, html_zh, html_en FROM rules_versions ORDER BY version DESC LIMIT 1",
                        vec![],
                    )
                    .await?
            }
        };
        match rows.first() {
            None => Ok(None),
            Some(r) => Ok(Some((version_row(r)?, r.text(4)?, r.text(5)?, r.text(6)?))),
        }
    }
}

/// Consent records per processing-rules version and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentStat {
    /// The rules version the person was shown (as recorded with the consent).
    pub rules_version: Option<String>,
    /// `granted`, `refused`, `withdrawn`.
    pub status: String,
    /// Records.
    pub count: i64,
}

impl Store {
    /// Consent records counted by rules version and status (art. 44 reporting, version review).
    pub async fn consent_stats(&self) -> Result<Vec<ConsentStat>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "counting consents",
                "SELECT rules_version, status, COUNT(*) FROM consents GROUP BY rules_version, status ORDER BY rules_version, status",
                vec![],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(ConsentStat {
                    rules_version: r.opt_text(0)?,
                    status: r.text(1)?,
                    count: r.i64(2)?,
                })
            })
            .collect()
    }
}
