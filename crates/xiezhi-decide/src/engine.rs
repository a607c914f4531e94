//! The decision function: policy + subject state + check → decision. Pure and allocation-free.

use crate::check::{Check, Decision, Reason};
use crate::policy::{Basis, Policy};
use crate::state::{ConsentKind, ConsentStatus, Millis, SubjectState};

/// Answers one check. `now` only matters for the refusal cool-down.
///
/// Order of reasoning: a storage-only restriction denies every use; then each action reads
/// its own switch (recommendation, push refusal, tag, consent).
pub fn decide(policy: &Policy, state: &SubjectState, check: &Check, now: Millis) -> Decision {
    if let Some(since) = state.restricted_since
        && !matches!(check, Check::AskConsent { .. })
    {
        return Decision::deny(Reason::ProcessingRestricted, Some(since));
    }
    match check {
        Check::Personalize => match state.recommendation_off_since {
            Some(since) => Decision::deny(Reason::RecommendationOff, Some(since)),
            None => Decision::allow(Reason::RecommendationOn, None),
        },
        Check::Push { channel, category } => match state.push_refusal(*channel, *category) {
            Some(r) => Decision::deny(Reason::PushRefused, Some(r.since)),
            None => Decision::allow(Reason::PushAllowed, None),
        },
        Check::UseTag { tag } => match state.tag(tag) {
            None => Decision::deny(Reason::TagUnknown, None),
            Some(t) => match t.deleted_since {
                Some(since) => Decision::deny(Reason::TagDeleted, Some(since)),
                None => match state.recommendation_off_since {
                    // A tag aimed at personal characteristics exists for personalisation;
                    // with personalisation off it may not be used.
                    Some(since) if t.personal => {
                        Decision::deny(Reason::RecommendationOff, Some(since))
                    }
                    _ => Decision::allow(Reason::TagActive, Some(t.added)),
                },
            },
        },
        Check::Process { purpose } => decide_process(policy, state, purpose),
        Check::AskConsent { purpose } => decide_ask(policy, state, purpose, now),
    }
}

fn decide_process(policy: &Policy, state: &SubjectState, purpose: &str) -> Decision {
    let Some(p) = policy.purpose(purpose) else {
        return Decision::deny(Reason::PurposeUnknown, None);
    };
    let required = match &p.basis {
        Basis::Other { .. } => return Decision::allow(Reason::OtherLegalBasis, None),
        Basis::Consent { kind } => *kind,
    };
    let Some(c) = state.consent(purpose) else {
        return if state.minor.under_14 {
            Decision::deny(Reason::GuardianConsentRequired, None)
        } else {
            Decision::deny(Reason::ConsentMissing, None)
        };
    };
    match c.status {
        ConsentStatus::Refused => return Decision::deny(Reason::ConsentRefused, Some(c.since)),
        ConsentStatus::Withdrawn => {
            return Decision::deny(Reason::ConsentWithdrawn, Some(c.since));
        }
        ConsentStatus::Granted => {}
    }
    if c.stale || c.scope_digest != p.scope_digest {
        return Decision::deny(Reason::ConsentStale, Some(c.since));
    }
    if state.minor.under_14 && c.kind != ConsentKind::Guardian {
        return Decision::deny(Reason::GuardianConsentRequired, Some(c.since));
    }
    if !c.kind.satisfies(required) && c.kind != ConsentKind::Guardian {
        return Decision::deny(Reason::ConsentKindInsufficient, Some(c.since));
    }
    Decision::allow(Reason::ConsentGranted, Some(c.since))
}

fn decide_ask(policy: &Policy, state: &SubjectState, purpose: &str, now: Millis) -> Decision {
    let Some(p) = policy.purpose(purpose) else {
        return Decision::deny(Reason::PurposeUnknown, None);
    };
    if let Basis::Other { .. } = p.basis {
        return Decision::deny(Reason::OtherLegalBasis, None);
    }
    match state.consent(purpose) {
        None => Decision::allow(Reason::MayAsk, None),
        Some(c) => match c.status {
            ConsentStatus::Granted if !c.stale && c.scope_digest == p.scope_digest => {
                Decision::deny(Reason::AlreadyGranted, Some(c.since))
            }
            ConsentStatus::Refused if c.scope_digest == p.scope_digest => {
                let until = c
                    .ask_again_after
                    .unwrap_or(c.since.saturating_add(policy.refusal_cool_down_ms));
                if now < until {
                    Decision::deny(Reason::RefusalCoolDown, Some(until))
                } else {
                    Decision::allow(Reason::MayAsk, None)
                }
            }
            _ => Decision::allow(Reason::MayAsk, None),
        },
    }
}
