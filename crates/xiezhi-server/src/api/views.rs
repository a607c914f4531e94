//! JSON views of a subject's state, with RFC 3339 times.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xiezhi_decide::time::format_rfc3339;
use xiezhi_decide::{ConsentKind, ConsentStatus, PushCategory, PushChannel, SubjectState};

/// A subject's settings as the platform and the user see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectView {
    /// Personalised recommendation.
    pub recommendation: RecommendationView,
    /// Every channel × category with whether pushes are refused.
    pub push: Vec<PushView>,
    /// Registered tags, deleted ones included (as tombstones).
    pub tags: Vec<TagView>,
    /// Latest consent per purpose.
    pub consents: Vec<ConsentView>,
    /// Under 14 (guardian consent needed).
    pub under_14: bool,
    /// A guardian is linked.
    pub guardian_linked: bool,
    /// Processing restricted to storage since (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restricted_since: Option<String>,
    /// State version (audit sequence number of the last change; 0 = never changed).
    pub version: i64,
}

/// The recommendation switch.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationView {
    /// On (personalised) or off.
    pub on: bool,
    /// When it was switched off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub off_since: Option<String>,
}

/// One push channel and category.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushView {
    /// Channel.
    pub channel: PushChannel,
    /// Category.
    pub category: PushCategory,
    /// Refused by the user.
    pub refused: bool,
    /// Since when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// A tag.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagView {
    /// Tag id.
    pub id: String,
    /// Label shown to the user.
    pub label: String,
    /// Which system derived it.
    pub source: String,
    /// Aimed at personal characteristics.
    pub personal: bool,
    /// Registered at.
    pub added: String,
    /// Deleted by the user at (a tombstone: it cannot be registered again).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}

/// A consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    /// Purpose id.
    pub purpose: String,
    /// Granted, refused, withdrawn.
    pub status: ConsentStatus,
    /// Kind.
    pub kind: ConsentKind,
    /// Since.
    pub since: String,
    /// Processing-rules version shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules_version: Option<String>,
    /// The purpose's scope changed since: fresh consent needed.
    pub stale: bool,
    /// With a refusal: the platform may ask again from this moment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask_again_after: Option<String>,
}

impl From<&SubjectState> for SubjectView {
    fn from(s: &SubjectState) -> Self {
        let mut push = Vec::new();
        for channel in PushChannel::ALL {
            for category in PushCategory::ALL {
                let refusal = s.push_refusal(channel, category);
                push.push(PushView {
                    channel,
                    category,
                    refused: refusal.is_some(),
                    since: refusal.map(|r| format_rfc3339(r.since)),
                });
            }
        }
        Self {
            recommendation: RecommendationView {
                on: s.recommendation_off_since.is_none(),
                off_since: s.recommendation_off_since.map(format_rfc3339),
            },
            push,
            tags: s
                .tags
                .iter()
                .map(|t| TagView {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    source: t.source.clone(),
                    personal: t.personal,
                    added: format_rfc3339(t.added),
                    deleted: t.deleted_since.map(format_rfc3339),
                })
                .collect(),
            consents: s
                .consents
                .iter()
                .map(|c| ConsentView {
                    purpose: c.purpose.clone(),
                    status: c.status,
                    kind: c.kind,
                    since: format_rfc3339(c.since),
                    rules_version: c.rules_version.clone(),
                    stale: c.stale,
                    ask_again_after: c.ask_again_after.map(format_rfc3339),
                })
                .collect(),
            under_14: s.minor.under_14,
            guardian_linked: s.minor.guardian_linked,
            restricted_since: s.restricted_since.map(format_rfc3339),
            version: s.version,
        }
    }
}

/// Preference changes; omitted fields are left as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesChange {
    /// Personalised recommendation on (true) or off (false).
    #[serde(default)]
    pub recommendation: Option<bool>,
    /// Push refusals to set or lift.
    #[serde(default)]
    pub push: Vec<PushChange>,
}

/// Refuse or allow pushes on one channel and category.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushChange {
    /// Channel.
    pub channel: PushChannel,
    /// Category (marketing when omitted).
    #[serde(default)]
    pub category: PushCategory,
    /// True to refuse, false to allow again.
    pub refused: bool,
}

/// The state after a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeResponse {
    /// Audit sequence number of the (last) change: pass it as `min_version` to any node.
    pub state_version: i64,
    /// The subject's settings after the change.
    pub state: SubjectView,
}
