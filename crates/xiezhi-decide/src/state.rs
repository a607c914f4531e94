//! What the platform's end user has chosen: the per-subject state every decision reads.
//!
//! The store (`xiezhi-store`) builds a [`SubjectState`] from its tables; the engine
//! ([`crate::decide`]) reads it. A subject nobody has written about has the default state:
//! recommendations on, no push refused, no tag, no consent.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// A push channel (art. 42: refusal of pushed information per channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushChannel {
    /// App notification (APNs, vendor push channels).
    AppPush,
    /// Text message.
    Sms,
    /// E-mail.
    Email,
    /// Message inside the app (站内信).
    InApp,
}

impl PushChannel {
    /// Every channel.
    pub const ALL: [PushChannel; 4] = [Self::AppPush, Self::Sms, Self::Email, Self::InApp];

    /// Stable id used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AppPush => "app_push",
            Self::Sms => "sms",
            Self::Email => "email",
            Self::InApp => "in_app",
        }
    }

    /// Parses [`PushChannel::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a push is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushCategory {
    /// Marketing and recommended content (the default when a check names none).
    #[default]
    Marketing,
    /// Service messages (order status, security notices).
    Service,
}

impl PushCategory {
    /// Every category.
    pub const ALL: [PushCategory; 2] = [Self::Marketing, Self::Service];

    /// Stable id used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Marketing => "marketing",
            Self::Service => "service",
        }
    }

    /// Parses [`PushCategory::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Kind of consent (Reg. art. 22; PIPL 14, 29, 31, 39).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Ordinary consent.
    General,
    /// Separate consent (单独同意): sensitive PI, provision, disclosure, cross-border.
    Separate,
    /// Written consent (书面同意).
    Written,
    /// Consent given by the parent or guardian of a child under 14.
    Guardian,
}

impl ConsentKind {
    /// Every kind.
    pub const ALL: [ConsentKind; 4] =
        [Self::General, Self::Separate, Self::Written, Self::Guardian];

    /// Stable id used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Separate => "separate",
            Self::Written => "written",
            Self::Guardian => "guardian",
        }
    }

    /// Parses [`ConsentKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether a consent of this kind satisfies a purpose that requires `required`.
    /// Written consent satisfies separate and general; separate satisfies general; guardian
    /// consent is judged apart (it is what a child's consent must be) and satisfies any
    /// requirement because the guardian gives it in the form the purpose requires.
    pub fn satisfies(self, required: ConsentKind) -> bool {
        fn rank(k: ConsentKind) -> u8 {
            match k {
                ConsentKind::General => 0,
                ConsentKind::Separate => 1,
                ConsentKind::Written => 2,
                ConsentKind::Guardian => 3,
            }
        }
        match required {
            ConsentKind::Guardian => self == ConsentKind::Guardian,
            _ => rank(self) >= rank(required),
        }
    }
}

/// Where a consent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    /// Given and not withdrawn.
    Granted,
    /// Explicitly refused (refusal memory: do not ask again before the cool-down ends).
    Refused,
    /// Withdrawn after having been given.
    Withdrawn,
}

impl ConsentStatus {
    /// Stable id used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Parses [`ConsentStatus::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Granted, Self::Refused, Self::Withdrawn]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// The current consent of a subject for one purpose (the latest record wins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentState {
    /// Purpose id (a processing-activity id of the data map).
    pub purpose: String,
    /// Granted, refused or withdrawn.
    pub status: ConsentStatus,
    /// Kind of the consent given (or asked for, when refused).
    pub kind: ConsentKind,
    /// Digest of the scope the person agreed to (see [`crate::Scope::digest`]).
    pub scope_digest: String,
    /// Processing-rules version shown when the consent was given.
    pub rules_version: Option<String>,
    /// When this status began.
    pub since: Millis,
    /// With `Refused`: the platform may ask again from this moment.
    pub ask_again_after: Option<Millis>,
    /// Marked stale because the purpose's scope changed after it was given (art. 22(6)).
    pub stale: bool,
}

/// Refusal of pushes on one channel for one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRefusal {
    /// Channel refused.
    pub channel: PushChannel,
    /// Category refused.
    pub category: PushCategory,
    /// When it was refused.
    pub since: Millis,
}

/// A user tag (用户标签) the platform registered for the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TagState {
    /// Tag id, e.g. `interest:football`.
    pub id: String,
    /// Human-readable label shown to the user.
    pub label: String,
    /// Which system derived it (e.g. `recsys-v3`).
    pub source: String,
    /// Aimed at personal characteristics (art. 42: the user may delete it).
    pub personal: bool,
    /// When it was (last) registered.
    pub added: Millis,
    /// Deleted by the user at this moment: a tombstone; the platform may not re-add it.
    pub deleted_since: Option<Millis>,
}

/// Age status of the subject (PIPL 31; Reg. art. 22(3)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MinorStatus {
    /// The subject is under 14: consent must come from a guardian.
    pub under_14: bool,
    /// A guardian is linked to the subject.
    pub guardian_linked: bool,
}

/// Everything a decision needs to know about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubjectState {
    /// Personalised recommendations switched off since this moment (`None` = on).
    pub recommendation_off_since: Option<Millis>,
    /// Refused push channel/category pairs.
    pub push_refusals: Vec<PushRefusal>,
    /// Registered tags, sorted by id.
    pub tags: Vec<TagState>,
    /// Latest consent per purpose, sorted by purpose.
    pub consents: Vec<ConsentState>,
    /// Age status.
    pub minor: MinorStatus,
    /// Processing restricted to storage only since this moment (PIPL 44/47; rights requests).
    pub restricted_since: Option<Millis>,
    /// Audit sequence number of the last change to this subject (0 = never changed).
    pub version: i64,
}

impl SubjectState {
    /// The tag with this id.
    pub fn tag(&self, id: &str) -> Option<&TagState> {
        self.tags
            .binary_search_by(|t| t.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.tags.get(i))
    }

    /// The consent for this purpose.
    pub fn consent(&self, purpose: &str) -> Option<&ConsentState> {
        self.consents
            .binary_search_by(|c| c.purpose.as_str().cmp(purpose))
            .ok()
            .and_then(|i| self.consents.get(i))
    }

    /// The refusal of `channel`/`category`, if any.
    pub fn push_refusal(
        &self,
        channel: PushChannel,
        category: PushCategory,
    ) -> Option<&PushRefusal> {
        self.push_refusals
            .iter()
            .find(|r| r.channel == channel && r.category == category)
    }

    /// Sorts tags and consents so lookups work; call after building a state by hand.
    pub fn normalise(&mut self) {
        self.tags.sort_by(|a, b| a.id.cmp(&b.id));
        self.tags.dedup_by(|a, b| a.id == b.id);
        self.consents.sort_by(|a, b| a.purpose.cmp(&b.purpose));
        self.consents.dedup_by(|a, b| a.purpose == b.purpose);
        self.push_refusals.sort_by_key(|r| (r.channel, r.category));
        self.push_refusals
            .dedup_by(|a, b| a.channel == b.channel && a.category == b.category);
    }
}
