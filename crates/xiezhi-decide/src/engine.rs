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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{PurposePolicy, Scope};
    use crate::state::{
        ConsentState, MinorStatus, PushCategory, PushChannel, PushRefusal, TagState,
    };

    const COOL: Millis = 48 * 3_600_000;

    fn policy() -> Policy {
        Policy::new(
            vec![
                PurposePolicy::new(
                    "ads",
                    "Ads",
                    Basis::Consent {
                        kind: ConsentKind::General,
                    },
                    Scope {
                        purpose: "ads".into(),
                        ..Scope::default()
                    },
                ),
                PurposePolicy::new(
                    "face",
                    "Face login",
                    Basis::Consent {
                        kind: ConsentKind::Separate,
                    },
                    Scope {
                        purpose: "face".into(),
                        pi_types: vec!["biometric".into()],
                        ..Scope::default()
                    },
                ),
                PurposePolicy::new(
                    "orders",
                    "Orders",
                    Basis::Other {
                        name: "contract".into(),
                    },
                    Scope::default(),
                ),
            ],
            COOL,
        )
    }

    fn consent(
        p: &Policy,
        purpose: &str,
        status: ConsentStatus,
        kind: ConsentKind,
    ) -> ConsentState {
        ConsentState {
            purpose: purpose.into(),
            status,
            kind,
            scope_digest: p
                .purpose(purpose)
                .map(|x| x.scope_digest.clone())
                .unwrap_or_default(),
            rules_version: None,
            since: 100,
            ask_again_after: None,
            stale: false,
        }
    }

    fn process(p: &Policy, s: &SubjectState, purpose: &str) -> Decision {
        decide(
            p,
            s,
            &Check::Process {
                purpose: purpose.into(),
            },
            1_000,
        )
    }

    #[test]
    fn defaults_of_an_unknown_subject() {
        let p = policy();
        let s = SubjectState::default();
        assert!(decide(&p, &s, &Check::Personalize, 0).allow);
        let push = Check::Push {
            channel: PushChannel::Sms,
            category: PushCategory::Marketing,
        };
        assert_eq!(decide(&p, &s, &push, 0).reason, Reason::PushAllowed);
        let tag = Check::UseTag {
            tag: "interest:x".into(),
        };
        assert_eq!(
            decide(&p, &s, &tag, 0),
            Decision::deny(Reason::TagUnknown, None)
        );
        assert_eq!(process(&p, &s, "ads").reason, Reason::ConsentMissing);
        assert_eq!(
            process(&p, &s, "orders"),
            Decision::allow(Reason::OtherLegalBasis, None)
        );
        assert_eq!(process(&p, &s, "nope").reason, Reason::PurposeUnknown);
    }

    #[test]
    fn switches() {
        let p = policy();
        let mut s = SubjectState {
            recommendation_off_since: Some(42),
            push_refusals: vec![PushRefusal {
                channel: PushChannel::AppPush,
                category: PushCategory::Marketing,
                since: 7,
            }],
            tags: vec![
                TagState {
                    id: "a".into(),
                    label: "A".into(),
                    source: "r".into(),
                    personal: true,
                    added: 1,
                    deleted_since: None,
                },
                TagState {
                    id: "b".into(),
                    label: "B".into(),
                    source: "r".into(),
                    personal: false,
                    added: 1,
                    deleted_since: None,
                },
                TagState {
                    id: "c".into(),
                    label: "C".into(),
                    source: "r".into(),
                    personal: true,
                    added: 1,
                    deleted_since: Some(9),
                },
            ],
            ..SubjectState::default()
        };
        s.normalise();
        assert_eq!(
            decide(&p, &s, &Check::Personalize, 0),
            Decision::deny(Reason::RecommendationOff, Some(42))
        );
        let refused = Check::Push {
            channel: PushChannel::AppPush,
            category: PushCategory::Marketing,
        };
        assert_eq!(
            decide(&p, &s, &refused, 0),
            Decision::deny(Reason::PushRefused, Some(7))
        );
        let service = Check::Push {
            channel: PushChannel::AppPush,
            category: PushCategory::Service,
        };
        assert!(
            decide(&p, &s, &service, 0).allow,
            "only the refused category is blocked"
        );
        assert_eq!(
            decide(&p, &s, &Check::UseTag { tag: "a".into() }, 0).reason,
            Reason::RecommendationOff
        );
        assert_eq!(
            decide(&p, &s, &Check::UseTag { tag: "b".into() }, 0).reason,
            Reason::TagActive
        );
        assert_eq!(
            decide(&p, &s, &Check::UseTag { tag: "c".into() }, 0),
            Decision::deny(Reason::TagDeleted, Some(9))
        );
        s.recommendation_off_since = None;
        assert_eq!(
            decide(&p, &s, &Check::UseTag { tag: "a".into() }, 0).reason,
            Reason::TagActive
        );
    }

    #[test]
    fn consents() {
        let p = policy();
        let mut s = SubjectState {
            consents: vec![
                consent(&p, "ads", ConsentStatus::Granted, ConsentKind::General),
                consent(&p, "face", ConsentStatus::Granted, ConsentKind::General),
            ],
            ..SubjectState::default()
        };
        s.normalise();
        assert_eq!(
            process(&p, &s, "ads"),
            Decision::allow(Reason::ConsentGranted, Some(100))
        );
        assert_eq!(
            process(&p, &s, "face").reason,
            Reason::ConsentKindInsufficient
        );
        s.consents[1].kind = ConsentKind::Separate;
        assert!(process(&p, &s, "face").allow);
        s.consents[1].kind = ConsentKind::Written;
        assert!(process(&p, &s, "face").allow, "written satisfies separate");
        s.consents[0].stale = true;
        assert_eq!(process(&p, &s, "ads").reason, Reason::ConsentStale);
        s.consents[0].stale = false;
        s.consents[0].scope_digest = "sha256:old".into();
        assert_eq!(process(&p, &s, "ads").reason, Reason::ConsentStale);
        s.consents[0].status = ConsentStatus::Withdrawn;
        assert_eq!(process(&p, &s, "ads").reason, Reason::ConsentWithdrawn);
        s.consents[0].status = ConsentStatus::Refused;
        assert_eq!(process(&p, &s, "ads").reason, Reason::ConsentRefused);
        s.restricted_since = Some(5);
        assert_eq!(
            process(&p, &s, "orders"),
            Decision::deny(Reason::ProcessingRestricted, Some(5))
        );
        assert_eq!(
            decide(&p, &s, &Check::Personalize, 0).reason,
            Reason::ProcessingRestricted
        );
    }

    #[test]
    fn children_need_guardian_consent() {
        let p = policy();
        let mut s = SubjectState {
            minor: MinorStatus {
                under_14: true,
                guardian_linked: true,
            },
            ..SubjectState::default()
        };
        assert_eq!(
            process(&p, &s, "ads").reason,
            Reason::GuardianConsentRequired
        );
        s.consents = vec![consent(
            &p,
            "ads",
            ConsentStatus::Granted,
            ConsentKind::General,
        )];
        assert_eq!(
            process(&p, &s, "ads").reason,
            Reason::GuardianConsentRequired
        );
        s.consents = vec![consent(
            &p,
            "ads",
            ConsentStatus::Granted,
            ConsentKind::Guardian,
        )];
        assert!(process(&p, &s, "ads").allow);
        s.consents = vec![consent(
            &p,
            "face",
            ConsentStatus::Granted,
            ConsentKind::Guardian,
        )];
        assert!(
            process(&p, &s, "face").allow,
            "the guardian consents in the form required"
        );
    }

    #[test]
    fn refusal_cool_down_boundary() {
        let p = policy();
        let mut c = consent(&p, "ads", ConsentStatus::Refused, ConsentKind::General);
        c.since = 1_000;
        let s = SubjectState {
            consents: vec![c],
            ..SubjectState::default()
        };
        let ask = Check::AskConsent {
            purpose: "ads".into(),
        };
        let until = 1_000 + COOL;
        assert_eq!(
            decide(&p, &s, &ask, until - 1),
            Decision::deny(Reason::RefusalCoolDown, Some(until))
        );
        assert_eq!(
            decide(&p, &s, &ask, until),
            Decision::allow(Reason::MayAsk, None)
        );
        // A changed scope is a new question: the old refusal does not block asking.
        let mut s2 = s.clone();
        s2.consents[0].scope_digest = "sha256:old".into();
        assert!(decide(&p, &s2, &ask, until - 1).allow);
        let granted = SubjectState {
            consents: vec![consent(
                &p,
                "ads",
                ConsentStatus::Granted,
                ConsentKind::General,
            )],
            ..SubjectState::default()
        };
        assert_eq!(decide(&p, &granted, &ask, 0).reason, Reason::AlreadyGranted);
        let orders = Check::AskConsent {
            purpose: "orders".into(),
        };
        assert_eq!(
            decide(&p, &granted, &orders, 0).reason,
            Reason::OtherLegalBasis
        );
    }

    #[test]
    fn checks_parse_from_the_documented_json() {
        let body = r#"[{"action":"personalize"},
            {"action":"push","channel":"app_push","category":"marketing"},
            {"action":"use_tag","tag":"interest:football"},
            {"action":"process","purpose":"sms-marketing"},
            {"action":"ask_consent","purpose":"ads"}]"#;
        let checks: Vec<Check> = serde_json::from_str(body).unwrap_or_default();
        assert_eq!(checks.len(), 5);
        assert!(serde_json::from_str::<Check>(r#"{"action":"push","channel":"pigeon"}"#).is_err());
        assert!(
            serde_json::from_str::<Check>(r#"{"action":"push","channel":"sms","x":1}"#).is_err()
        );
    }
}
