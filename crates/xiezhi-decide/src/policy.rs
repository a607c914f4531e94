//! The policy: which purposes exist, on what legal basis, and the scope each consent covers.
//!
//! Built from the data map's processing activities (one purpose per activity id) so the
//! decision API and the published processing rules cannot drift apart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::state::{ConsentKind, Millis};

/// Default refusal cool-down: 48 hours (catalog SR-CONSENT-03, default [UNCONFIRMED]).
pub const DEFAULT_REFUSAL_COOL_DOWN_MS: Millis = 48 * 3_600_000;

/// What a person agrees to when consenting to a purpose (Reg. art. 22; PIPL 14). A change in
/// any of these needs fresh consent (art. 22(6)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Purpose of processing.
    pub purpose: String,
    /// Method of processing.
    #[serde(default)]
    pub method: Option<String>,
    /// PI type ids, sorted.
    #[serde(default)]
    pub pi_types: Vec<String>,
    /// Retention and what happens at expiry, e.g. `365d; delete`.
    #[serde(default)]
    pub retention: Option<String>,
    /// Recipient ids, sorted.
    #[serde(default)]
    pub recipients: Vec<String>,
}

impl Scope {
    /// Sorts and de-duplicates the lists so that equal scopes have equal digests.
    pub fn normalised(mut self) -> Self {
        self.pi_types.sort();
        self.pi_types.dedup();
        self.recipients.sort();
        self.recipients.dedup();
        self
    }

    /// `sha256:` + hex SHA-256 of the canonical JSON of the normalised scope.
    pub fn digest(&self) -> String {
        let canonical = self.clone().normalised();
        // Field order is fixed by the struct; serialising a plain struct cannot fail.
        let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
        let hash = Sha256::digest(&bytes);
        let mut out = String::with_capacity(7 + 64);
        out.push_str("sha256:");
        for b in hash.iter() {
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

/// How processing for a purpose is justified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// PIPL 13(1): consent of the required kind.
    Consent {
        /// The weakest kind that suffices.
        kind: ConsentKind,
    },
    /// PIPL 13(2)–(7): another basis (named as in the data map, e.g. `contract`).
    Other {
        /// The basis.
        name: String,
    },
}

/// One purpose of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurposePolicy {
    /// Purpose id (the activity id).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Legal basis.
    pub basis: Basis,
    /// The scope a consent covers.
    pub scope: Scope,
    /// [`Scope::digest`] of `scope`.
    pub scope_digest: String,
}

impl PurposePolicy {
    /// A purpose with its digest computed.
    pub fn new(id: impl Into<String>, name: impl Into<String>, basis: Basis, scope: Scope) -> Self {
        let scope = scope.normalised();
        let scope_digest = scope.digest();
        Self {
            id: id.into(),
            name: name.into(),
            basis,
            scope,
            scope_digest,
        }
    }
}

/// All purposes, the refusal cool-down and a version id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Policy {
    /// `sha256:…` over the purposes and settings; changes when any of them changes.
    pub version: String,
    /// How long after a refusal the platform may not ask again.
    pub refusal_cool_down_ms: Millis,
    purposes: BTreeMap<String, PurposePolicy>,
}

impl Default for Policy {
    fn default() -> Self {
        Self::new(Vec::new(), DEFAULT_REFUSAL_COOL_DOWN_MS)
    }
}

impl Policy {
    /// A policy over these purposes (a later duplicate id replaces an earlier one).
    pub fn new(purposes: Vec<PurposePolicy>, refusal_cool_down_ms: Millis) -> Self {
        let purposes: BTreeMap<String, PurposePolicy> =
            purposes.into_iter().map(|p| (p.id.clone(), p)).collect();
        let mut hasher = Sha256::new();
        hasher.update(refusal_cool_down_ms.to_le_bytes());
        for p in purposes.values() {
            hasher.update(p.id.as_bytes());
            hasher.update([0]);
            hasher.update(p.scope_digest.as_bytes());
            hasher.update([0]);
            match &p.basis {
                Basis::Consent { kind } => hasher.update(kind.as_str().as_bytes()),
                Basis::Other { name } => hasher.update(name.as_bytes()),
            }
            hasher.update([0]);
        }
        let hash = hasher.finalize();
        let mut version = String::from("sha256:");
        for b in hash.iter().take(8) {
            version.push_str(&format!("{b:02x}"));
        }
        Self {
            version,
            refusal_cool_down_ms,
            purposes,
        }
    }

    /// The purpose with this id.
    pub fn purpose(&self, id: &str) -> Option<&PurposePolicy> {
        self.purposes.get(id)
    }

    /// Every purpose, by id.
    pub fn purposes(&self) -> impl Iterator<Item = &PurposePolicy> {
        self.purposes.values()
    }

    /// Builds the policy from a loaded data-map project: one purpose per processing activity
    /// that has not ended. Activities on consent require the strongest kind they list
    /// (written > separate > general; a `guardian` entry alone means general consent given by
    /// a guardian, which the engine demands anyway for children under 14).
    pub fn from_project(project: &xiezhi_map::Project, refusal_cool_down_ms: Millis) -> Self {
        let mut purposes = Vec::new();
        for (_, activity) in project.each(|m| &m.activities) {
            if activity.ended.is_some() {
                continue;
            }
            let basis = match activity.legal_basis {
                xiezhi_map::model::LegalBasis::Consent => {
                    let mut kind = ConsentKind::General;
                    for k in &activity.consent {
                        let k = match k {
                            xiezhi_map::model::ConsentKind::General => ConsentKind::General,
                            xiezhi_map::model::ConsentKind::Separate => ConsentKind::Separate,
                            xiezhi_map::model::ConsentKind::Written => ConsentKind::Written,
                            xiezhi_map::model::ConsentKind::Guardian => ConsentKind::General,
                        };
                        if k.satisfies(kind) {
                            kind = k;
                        }
                    }
                    Basis::Consent { kind }
                }
                other => Basis::Other {
                    name: legal_basis_id(other).to_owned(),
                },
            };
            let retention = activity.retention.as_ref().map(|r| {
                let days = r
                    .days
                    .map(|d| format!("{d}d"))
                    .unwrap_or_else(|| "undetermined".to_owned());
                format!("{days}; {}", expiry_id(r.on_expiry))
            });
            let scope = Scope {
                purpose: activity.purpose.clone(),
                method: activity.method.clone(),
                pi_types: activity
                    .pi_types
                    .iter()
                    .map(|t| t.value.0.id().to_owned())
                    .collect(),
                retention,
                recipients: activity
                    .recipients
                    .iter()
                    .map(|r| r.value.clone())
                    .collect(),
            };
            purposes.push(PurposePolicy::new(
                activity.id.value.clone(),
                activity.name.clone(),
                basis,
                scope,
            ));
        }
        Self::new(purposes, refusal_cool_down_ms)
    }
}

fn legal_basis_id(b: xiezhi_map::model::LegalBasis) -> &'static str {
    use xiezhi_map::model::LegalBasis as L;
    match b {
        L::Consent => "consent",
        L::Contract => "contract",
        L::LegalObligation => "legal_obligation",
        L::Emergency => "emergency",
        L::PublicInterestNews => "public_interest_news",
        L::PubliclyDisclosed => "publicly_disclosed",
        L::OtherLaw => "other_law",
    }
}

fn expiry_id(a: xiezhi_map::model::ExpiryAction) -> &'static str {
    use xiezhi_map::model::ExpiryAction as E;
    match a {
        E::Delete => "delete",
        E::Anonymise => "anonymise",
        E::Restrict => "restrict",
        E::Review => "review",
    }
}
