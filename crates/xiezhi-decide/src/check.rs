//! The questions a platform asks and the answers it gets (DESIGN.md 3.4).

use serde::{Deserialize, Serialize};

use crate::state::{Millis, PushCategory, PushChannel};

/// One question about one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// May content be personalised for the subject (art. 42; Algorithm Provisions 17)?
    Personalize,
    /// May a push be sent on this channel for this category?
    Push {
        /// The channel.
        channel: PushChannel,
        /// The category (marketing when not given).
        #[serde(default)]
        category: PushCategory,
    },
    /// May this user tag be used?
    UseTag {
        /// Tag id.
        tag: String,
    },
    /// May the subject's PI be processed for this purpose (a data-map activity id)?
    Process {
        /// Purpose id.
        purpose: String,
    },
    /// May the platform ask the subject for consent to this purpose now (refusal memory,
    /// art. 22(5))?
    AskConsent {
        /// Purpose id.
        purpose: String,
    },
}

/// Why a decision came out as it did. Stable snake_case ids in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Personalised recommendation is on (the default).
    RecommendationOn,
    /// The subject switched personalised recommendation off.
    RecommendationOff,
    /// No refusal recorded for this channel and category.
    PushAllowed,
    /// The subject refused pushes on this channel for this category.
    PushRefused,
    /// The tag is registered and not deleted.
    TagActive,
    /// The subject deleted the tag.
    TagDeleted,
    /// The tag was never registered for the subject (register it so the user can see it).
    TagUnknown,
    /// A valid consent covers the purpose.
    ConsentGranted,
    /// The purpose rests on a legal basis other than consent (PIPL 13(2)–(7)).
    OtherLegalBasis,
    /// No consent recorded for the purpose.
    ConsentMissing,
    /// The subject refused consent.
    ConsentRefused,
    /// The subject withdrew consent.
    ConsentWithdrawn,
    /// The purpose's scope changed after the consent was given: fresh consent needed.
    ConsentStale,
    /// The consent recorded is of a weaker kind than the purpose requires (e.g. general
    /// consent for a purpose that needs separate consent).
    ConsentKindInsufficient,
    /// The subject is under 14 and no guardian consent covers the purpose.
    GuardianConsentRequired,
    /// The purpose is not known to the policy (not an activity of the data map).
    PurposeUnknown,
    /// Processing is restricted to storage (rights request or retention expiry).
    ProcessingRestricted,
    /// The platform may ask for consent.
    MayAsk,
    /// The subject refused recently: do not ask again before `since`.
    RefusalCoolDown,
    /// Consent is already granted; there is nothing to ask.
    AlreadyGranted,
}

impl Reason {
    /// Stable id (same as the JSON form).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RecommendationOn => "recommendation_on",
            Self::RecommendationOff => "recommendation_off",
            Self::PushAllowed => "push_allowed",
            Self::PushRefused => "push_refused",
            Self::TagActive => "tag_active",
            Self::TagDeleted => "tag_deleted",
            Self::TagUnknown => "tag_unknown",
            Self::ConsentGranted => "consent_granted",
            Self::OtherLegalBasis => "other_legal_basis",
            Self::ConsentMissing => "consent_missing",
            Self::ConsentRefused => "consent_refused",
            Self::ConsentWithdrawn => "consent_withdrawn",
            Self::ConsentStale => "consent_stale",
            Self::ConsentKindInsufficient => "consent_kind_insufficient",
            Self::GuardianConsentRequired => "guardian_consent_required",
            Self::PurposeUnknown => "purpose_unknown",
            Self::ProcessingRestricted => "processing_restricted",
            Self::MayAsk => "may_ask",
            Self::RefusalCoolDown => "refusal_cool_down",
            Self::AlreadyGranted => "already_granted",
        }
    }
}

/// The answer to one [`Check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// Whether the platform may go ahead.
    pub allow: bool,
    /// Why.
    pub reason: Reason,
    /// When the state behind the answer began (a switch-off, a refusal, a consent), or, with
    /// [`Reason::RefusalCoolDown`], when the platform may ask again.
    pub since: Option<Millis>,
}

impl Decision {
    /// An allowing decision.
    pub fn allow(reason: Reason, since: Option<Millis>) -> Self {
        Self {
            allow: true,
            reason,
            since,
        }
    }

    /// A denying decision.
    pub fn deny(reason: Reason, since: Option<Millis>) -> Self {
        Self {
            allow: false,
            reason,
            since,
        }
    }
}
