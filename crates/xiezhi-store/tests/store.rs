//! Store behaviour, the same functions on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::TestDb;
use serde_json::json;
use xiezhi_decide::{
    Basis, ConsentKind, ConsentStatus, DEFAULT_REFUSAL_COOL_DOWN_MS, Policy, PurposePolicy,
    PushCategory, PushChannel, Scope,
};
use xiezhi_store::Problem;
use xiezhi_store::{ConsentInput, KeyScope, StoreError, TagInput};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

fn scope(purpose: &str, pi: &[&str]) -> Scope {
    Scope {
        purpose: purpose.to_owned(),
        method: Some("recommendation".into()),
        pi_types: pi.iter().map(|s| s.to_string()).collect(),
        retention: Some("365d; delete".into()),
        recipients: vec![],
    }
}

fn consent(subject: &str, purpose: &str, status: ConsentStatus, kind: ConsentKind) -> ConsentInput {
    ConsentInput {
        subject: subject.to_owned(),
        purpose: purpose.to_owned(),
        status,
        kind,
        rules_version: Some("v3".into()),
        scope: scope("personalised feed", &["browsing_history"]),
        channel: "app:settings".into(),
        evidence: Some(json!({"screen": "consent-v3", "text_sha256": "ab12"})),
        guardian: None,
    }
}

fn tag(id: &str) -> TagInput {
    TagInput {
        id: id.to_owned(),
        label: "喜欢足球".into(),
        source: "recsys-v3".into(),
        personal: true,
    }
}

/// A few changes of every kind, for chain tests.
async fn some_history(db: &TestDb) {
    let s = &db.store;
    s.set_recommendation("u1", false, "user", T0).await.unwrap();
    s.register_tag("u1", tag("interest:football"), "apikey:k1", T0 + 1)
        .await
        .unwrap();
    s.record_consent(
        consent("u1", "feed", ConsentStatus::Granted, ConsentKind::General),
        "user",
        T0 + 2,
    )
    .await
    .unwrap();
    s.set_push(
        "u2",
        PushChannel::Sms,
        PushCategory::Marketing,
        true,
        "user",
        T0 + 3,
    )
    .await
    .unwrap();
    s.delete_tag("u1", "interest:football", "user", T0 + 4)
        .await
        .unwrap();
    s.withdraw_consent("u1", "feed", "user", T0 + 5)
        .await
        .unwrap();
}

async fn operations_change_state_and_version(db: Arc<TestDb>) {
    let s = &db.store;
    let empty = s.load_subject("u1").await.unwrap();
    assert_eq!(empty.version, 0);
    assert!(empty.recommendation_off_since.is_none());

    let c1 = s.set_recommendation("u1", false, "user", T0).await.unwrap();
    assert_eq!(c1.state.recommendation_off_since, Some(T0));
    assert_eq!(c1.state.version, c1.seq);
    let c2 = s
        .set_recommendation("u1", false, "user", T0 + 10)
        .await
        .unwrap();
    assert_eq!(
        c2.state.recommendation_off_since,
        Some(T0),
        "switching off twice keeps the first moment"
    );
    assert!(c2.seq > c1.seq);

    let c3 = s
        .set_push(
            "u1",
            PushChannel::AppPush,
            PushCategory::Marketing,
            true,
            "user",
            T0 + 20,
        )
        .await
        .unwrap();
    assert_eq!(c3.state.push_refusals.len(), 1);
    assert_eq!(
        c3.state
            .push_refusal(PushChannel::AppPush, PushCategory::Marketing)
            .unwrap()
            .since,
        T0 + 20
    );

    let c4 = s
        .register_tag("u1", tag("interest:football"), "apikey:k1", T0 + 30)
        .await
        .unwrap();
    let t = c4.state.tag("interest:football").unwrap();
    assert_eq!(
        (t.label.as_str(), t.personal, t.added, t.deleted_since),
        ("喜欢足球", true, T0 + 30, None)
    );

    let c5 = s
        .record_consent(
            consent("u1", "feed", ConsentStatus::Granted, ConsentKind::Separate),
            "user",
            T0 + 40,
        )
        .await
        .unwrap();
    let cs = c5.state.consent("feed").unwrap();
    assert_eq!(cs.status, ConsentStatus::Granted);
    assert_eq!(cs.kind, ConsentKind::Separate);
    assert_eq!(
        cs.scope_digest,
        scope("personalised feed", &["browsing_history"]).digest()
    );
    assert_eq!(cs.rules_version.as_deref(), Some("v3"));
    assert_eq!(cs.since, T0 + 40);

    let c6 = s
        .withdraw_consent("u1", "feed", "user", T0 + 50)
        .await
        .unwrap();
    assert_eq!(
        c6.state.consent("feed").unwrap().status,
        ConsentStatus::Withdrawn
    );
    assert_eq!(c6.state.consent("feed").unwrap().since, T0 + 50);

    let c7 = s.set_minor("u1", true, "system", T0 + 60).await.unwrap();
    assert!(c7.state.minor.under_14 && !c7.state.minor.guardian_linked);
    let c8 = s
        .link_guardian(
            "u1",
            "parent-9",
            Some(json!({"id_check": "ok"})),
            "user",
            T0 + 70,
        )
        .await
        .unwrap();
    assert!(c8.state.minor.guardian_linked);

    let c9 = s
        .delete_tag("u1", "interest:football", "user", T0 + 80)
        .await
        .unwrap();
    assert_eq!(
        c9.state.tag("interest:football").unwrap().deleted_since,
        Some(T0 + 80)
    );

    let c10 = s
        .set_push(
            "u1",
            PushChannel::AppPush,
            PushCategory::Marketing,
            false,
            "user",
            T0 + 90,
        )
        .await
        .unwrap();
    assert!(c10.state.push_refusals.is_empty());
    let c11 = s
        .set_recommendation("u1", true, "user", T0 + 100)
        .await
        .unwrap();
    assert!(c11.state.recommendation_off_since.is_none());
    let c12 = s
        .set_restricted("u1", true, "user", T0 + 110)
        .await
        .unwrap();
    assert_eq!(c12.state.restricted_since, Some(T0 + 110));

    let seqs = [
        c1.seq, c2.seq, c3.seq, c4.seq, c5.seq, c6.seq, c7.seq, c8.seq, c9.seq, c10.seq, c11.seq,
        c12.seq,
    ];
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    let loaded = s.load_subject("u1").await.unwrap();
    assert_eq!(loaded, c12.state);
    assert_eq!(loaded.version, c12.seq);
    assert_eq!(s.head_seq().await.unwrap(), c12.seq);
    // Another subject is untouched.
    assert_eq!(s.load_subject("u2").await.unwrap().version, 0);
    assert_eq!(s.tags("u1").await.unwrap().len(), 1);
}

async fn tombstone_refuses_re_adding(db: Arc<TestDb>) {
    let s = &db.store;
    s.register_tag("u1", tag("interest:football"), "apikey:k1", T0)
        .await
        .unwrap();
    // Re-registering a live tag is fine (refresh).
    s.register_tag("u1", tag("interest:football"), "apikey:k1", T0 + 1)
        .await
        .unwrap();
    s.delete_tag("u1", "interest:football", "user", T0 + 2)
        .await
        .unwrap();
    let head = s.head_seq().await.unwrap();
    let err = s
        .register_tag("u1", tag("interest:football"), "apikey:k1", T0 + 3)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::TagTombstoned { ref tag } if tag == "interest:football"),
        "{err}"
    );
    assert_eq!(
        s.head_seq().await.unwrap(),
        head,
        "a refused write appends nothing"
    );
    // Another subject may still get the tag.
    s.register_tag("u2", tag("interest:football"), "apikey:k1", T0 + 4)
        .await
        .unwrap();
    let err = s
        .delete_tag("u1", "never:registered", "user", T0 + 5)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::TagNotFound { .. }), "{err}");
}

async fn withdraw_without_grant_fails(db: Arc<TestDb>) {
    let s = &db.store;
    let err = s
        .withdraw_consent("u1", "feed", "user", T0)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ConsentNotGranted { ref purpose } if purpose == "feed"),
        "{err}"
    );
    s.record_consent(
        consent("u1", "feed", ConsentStatus::Refused, ConsentKind::General),
        "user",
        T0,
    )
    .await
    .unwrap();
    let err = s
        .withdraw_consent("u1", "feed", "user", T0 + 1)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::ConsentNotGranted { .. }));
    s.record_consent(
        consent("u1", "feed", ConsentStatus::Granted, ConsentKind::General),
        "user",
        T0 + 2,
    )
    .await
    .unwrap();
    s.withdraw_consent("u1", "feed", "user", T0 + 3)
        .await
        .unwrap();
    let err = s
        .withdraw_consent("u1", "feed", "user", T0 + 4)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::ConsentNotGranted { .. }), "twice");
    let hist = s.consent_history("u1").await.unwrap();
    let statuses: Vec<_> = hist.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            ConsentStatus::Refused,
            ConsentStatus::Granted,
            ConsentStatus::Withdrawn
        ]
    );
    // Withdrawal status is not accepted by record_consent.
    let err = s
        .record_consent(
            consent("u1", "feed", ConsentStatus::Withdrawn, ConsentKind::General),
            "user",
            T0,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidInput(_)));
}

async fn refusal_cool_down(db: Arc<TestDb>) {
    let s = &db.store;
    assert_eq!(s.refusal_cool_down_ms(), DEFAULT_REFUSAL_COOL_DOWN_MS);
    let c = s
        .record_consent(
            consent("u1", "feed", ConsentStatus::Refused, ConsentKind::General),
            "user",
            T0,
        )
        .await
        .unwrap();
    let st = c.state.consent("feed").unwrap();
    assert_eq!(st.status, ConsentStatus::Refused);
    assert_eq!(st.ask_again_after, Some(T0 + DEFAULT_REFUSAL_COOL_DOWN_MS));
    s.set_refusal_cool_down_ms(60_000).await.unwrap();
    let c = s
        .record_consent(
            consent("u1", "ads", ConsentStatus::Refused, ConsentKind::General),
            "user",
            T0,
        )
        .await
        .unwrap();
    assert_eq!(
        c.state.consent("ads").unwrap().ask_again_after,
        Some(T0 + 60_000)
    );
    // The setting is persisted.
    let again = xiezhi_store::Store::open(&db.url).await.unwrap();
    assert_eq!(again.refusal_cool_down_ms(), 60_000);
    again.close().await;
    assert!(s.set_refusal_cool_down_ms(-1).await.is_err());
    // A grant has no ask-again time.
    let c = s
        .record_consent(
            consent("u1", "ads", ConsentStatus::Granted, ConsentKind::General),
            "user",
            T0 + 1,
        )
        .await
        .unwrap();
    assert_eq!(c.state.consent("ads").unwrap().ask_again_after, None);
}

async fn guardian_consent_needs_link(db: Arc<TestDb>) {
    let s = &db.store;
    s.set_minor("kid", true, "system", T0).await.unwrap();
    let head = s.head_seq().await.unwrap();
    let err = s
        .record_consent(
            consent("kid", "feed", ConsentStatus::Granted, ConsentKind::Guardian),
            "user",
            T0 + 1,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::GuardianNotLinked), "{err}");
    assert_eq!(s.head_seq().await.unwrap(), head);
    s.link_guardian("kid", "mum", None, "user", T0 + 2)
        .await
        .unwrap();
    let mut wrong = consent("kid", "feed", ConsentStatus::Granted, ConsentKind::Guardian);
    wrong.guardian = Some("stranger".into());
    let err = s.record_consent(wrong, "user", T0 + 3).await.unwrap_err();
    assert!(matches!(err, StoreError::GuardianMismatch));
    let c = s
        .record_consent(
            consent("kid", "feed", ConsentStatus::Granted, ConsentKind::Guardian),
            "user",
            T0 + 4,
        )
        .await
        .unwrap();
    assert!(c.state.minor.under_14 && c.state.minor.guardian_linked);
    assert_eq!(c.state.consent("feed").unwrap().kind, ConsentKind::Guardian);
    let hist = s.consent_history("kid").await.unwrap();
    assert_eq!(
        hist.last().unwrap().guardian.as_deref(),
        Some("mum"),
        "guardian consent names the guardian"
    );
    assert!(
        hist.last()
            .unwrap()
            .payload_digest
            .as_deref()
            .unwrap()
            .starts_with("sha256:")
    );
    let c = s.set_minor("kid", false, "system", T0 + 5).await.unwrap();
    assert!(!c.state.minor.under_14);
}

fn policy(pi: &[&str]) -> Policy {
    Policy::new(
        vec![
            PurposePolicy::new(
                "feed",
                "Feed",
                Basis::Consent {
                    kind: ConsentKind::General,
                },
                scope("personalised feed", pi),
            ),
            PurposePolicy::new(
                "billing",
                "Billing",
                Basis::Other {
                    name: "contract".into(),
                },
                scope("billing", &["phone"]),
            ),
        ],
        DEFAULT_REFUSAL_COOL_DOWN_MS,
    )
}

async fn stale_after_scope_change(db: Arc<TestDb>) {
    let s = &db.store;
    let first = s
        .sync_purposes(&policy(&["browsing_history"]), "cli", T0)
        .await
        .unwrap();
    assert_eq!(
        first,
        vec![("billing".to_owned(), 0), ("feed".to_owned(), 0)]
    );
    assert!(
        s.sync_purposes(&policy(&["browsing_history"]), "cli", T0 + 1)
            .await
            .unwrap()
            .is_empty(),
        "unchanged policy"
    );
    s.record_consent(
        consent("u1", "feed", ConsentStatus::Granted, ConsentKind::General),
        "user",
        T0 + 2,
    )
    .await
    .unwrap();
    s.record_consent(
        consent("u2", "feed", ConsentStatus::Granted, ConsentKind::General),
        "user",
        T0 + 3,
    )
    .await
    .unwrap();
    s.withdraw_consent("u2", "feed", "user", T0 + 4)
        .await
        .unwrap();
    s.record_consent(
        consent("u3", "feed", ConsentStatus::Refused, ConsentKind::General),
        "user",
        T0 + 5,
    )
    .await
    .unwrap();
    let v1 = s.load_subject("u1").await.unwrap().version;
    let changed = s
        .sync_purposes(&policy(&["browsing_history", "location"]), "cli", T0 + 6)
        .await
        .unwrap();
    assert_eq!(
        changed,
        vec![("feed".to_owned(), 1)],
        "only u1 held a current grant"
    );
    let u1 = s.load_subject("u1").await.unwrap();
    assert!(u1.consent("feed").unwrap().stale);
    assert!(u1.version > v1, "stale marking bumps the version");
    assert!(
        !s.load_subject("u2")
            .await
            .unwrap()
            .consent("feed")
            .unwrap()
            .stale
    );
    // Already stale: not marked again.
    let new_digest = scope("personalised feed", &["x"]).digest();
    assert_eq!(
        s.mark_stale("feed", &new_digest, "cli", T0 + 7)
            .await
            .unwrap(),
        0
    );
    // A fresh grant on the new scope is not stale; mark_stale with its digest leaves it.
    let mut fresh = consent("u1", "feed", ConsentStatus::Granted, ConsentKind::General);
    fresh.scope = scope("personalised feed", &["location", "browsing_history"]);
    let c = s.record_consent(fresh, "user", T0 + 8).await.unwrap();
    assert!(!c.state.consent("feed").unwrap().stale);
    let digest = c.state.consent("feed").unwrap().scope_digest.clone();
    assert_eq!(
        s.mark_stale("feed", &digest, "cli", T0 + 9).await.unwrap(),
        0
    );
    assert_eq!(
        s.mark_stale("feed", &new_digest, "cli", T0 + 10)
            .await
            .unwrap(),
        1
    );
    assert!(s.audit_verify(&[]).await.unwrap().is_ok());
}

async fn chain_in_order_and_verifies(db: Arc<TestDb>) {
    some_history(&db).await;
    let s = &db.store;
    let report = s.audit_verify(&[]).await.unwrap();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.events, 6);
    assert_eq!(
        report.payloads_checked, 3,
        "tag registered, consent, tag deleted carry payloads"
    );
    let mut out = Vec::new();
    assert_eq!(s.audit_export(&mut out, false).await.unwrap(), 6);
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "preference.recommendation",
            "tag.registered",
            "consent.granted",
            "preference.push",
            "tag.deleted",
            "consent.withdrawn"
        ]
    );
    let seqs: Vec<i64> = lines.iter().map(|l| l["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);
    assert_eq!(lines[1]["actor"], "apikey:k1");
    for w in lines.windows(2) {
        assert_eq!(w[1]["prev_hash"], w[0]["hash"]);
    }
    // No raw subject id or tag label in the chain.
    let text = serde_json::to_string(&lines).unwrap();
    assert!(!text.contains("\"u1\"") && !text.contains("喜欢足球"));
    assert!(
        lines[0]["subject_ref"]
            .as_str()
            .unwrap()
            .starts_with("hmac-sha256:")
    );
}

async fn edited_row_is_named(db: Arc<TestDb>) {
    some_history(&db).await;
    assert_eq!(
        db.raw("UPDATE audit_events SET actor = 'cli' WHERE seq = 3")
            .await,
        1
    );
    let r = db.store.audit_verify(&[]).await.unwrap();
    let bad = r.first_bad.expect("edit detected");
    assert_eq!(bad.seq, 3);
    assert!(matches!(bad.problem, Problem::HashMismatch { .. }), "{bad}");
}

async fn deleted_row_names_gap(db: Arc<TestDb>) {
    some_history(&db).await;
    assert_eq!(db.raw("DELETE FROM audit_events WHERE seq = 4").await, 1);
    let bad = db
        .store
        .audit_verify(&[])
        .await
        .unwrap()
        .first_bad
        .expect("gap detected");
    assert_eq!(
        bad.problem,
        Problem::SeqGap {
            missing_from: 4,
            missing_to: 4
        }
    );
    assert_eq!(
        bad.seq, 5,
        "the first row after the gap is the one reported"
    );
}

async fn deleted_tail_is_detected(db: Arc<TestDb>) {
    some_history(&db).await;
    db.raw("DELETE FROM audit_events WHERE seq = 6").await;
    let bad = db
        .store
        .audit_verify(&[])
        .await
        .unwrap()
        .first_bad
        .expect("truncation detected");
    assert_eq!(
        bad.problem,
        Problem::SeqGap {
            missing_from: 6,
            missing_to: 6
        }
    );
}

async fn edited_payload_is_named(db: Arc<TestDb>) {
    some_history(&db).await;
    let body = "'{\"subject\":\"u1\",\"tag\":\"interest:basketball\"}'";
    let sql = if db.is_pg() {
        format!("UPDATE audit_payloads SET body = convert_to({body}, 'UTF8') WHERE seq = 2")
    } else {
        format!("UPDATE audit_payloads SET body = CAST({body} AS BLOB) WHERE seq = 2")
    };
    assert_eq!(db.raw(&sql).await, 1);
    let bad = db
        .store
        .audit_verify(&[])
        .await
        .unwrap()
        .first_bad
        .expect("payload edit detected");
    assert_eq!(bad.seq, 2);
    assert!(
        matches!(bad.problem, Problem::PayloadDigestMismatch { .. }),
        "{bad}"
    );
}

async fn erasing_payloads_keeps_chain_valid(db: Arc<TestDb>) {
    some_history(&db).await;
    db.store
        .link_guardian("u2", "dad", Some(json!({"doc": "hukou"})), "user", T0 + 9)
        .await
        .unwrap();
    let n = db
        .store
        .erase_subject_payloads("u1", "cli", T0 + 10)
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM audit_payloads WHERE body IS NOT NULL")
            .await,
        1,
        "u2's payload is kept"
    );
    let r = db.store.audit_verify(&[]).await.unwrap();
    assert!(r.is_ok(), "{r:?}");
    assert_eq!((r.payloads_erased, r.payloads_checked), (3, 1));
    assert_eq!(
        db.store
            .erase_subject_payloads("u1", "cli", T0 + 11)
            .await
            .unwrap(),
        0
    );
    assert!(db.store.audit_verify(&[]).await.unwrap().is_ok());
}

async fn api_keys(db: Arc<TestDb>) {
    let s = &db.store;
    let k = s
        .create_api_key("recsys", &[KeyScope::Platform], "cli", T0)
        .await
        .unwrap();
    assert!(k.plaintext.starts_with(&format!("xzk_{}_", k.key.id)));
    let admin = s
        .create_api_key("ops", &[KeyScope::Admin, KeyScope::Platform], "cli", T0 + 1)
        .await
        .unwrap();
    let got = s
        .authenticate_key(&k.plaintext)
        .await
        .unwrap()
        .expect("valid key");
    assert_eq!(got.id, k.key.id);
    assert_eq!(got.scopes, vec![KeyScope::Platform]);
    assert!(!got.has(KeyScope::Admin));
    assert!(
        s.authenticate_key(&admin.plaintext)
            .await
            .unwrap()
            .unwrap()
            .has(KeyScope::Admin)
    );
    // Wrong secret, other key's secret, malformed.
    let mut wrong = k.plaintext.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    assert!(s.authenticate_key(&wrong).await.unwrap().is_none());
    let admin_secret = admin.plaintext.rsplit('_').next().unwrap();
    assert!(
        s.authenticate_key(&format!("xzk_{}_{admin_secret}", k.key.id))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        s.authenticate_key("Bearer nonsense")
            .await
            .unwrap()
            .is_none()
    );
    assert!(s.authenticate_key("xzk_").await.unwrap().is_none());
    // Only a hash is stored.
    let stored = db
        .scalar(&format!(
            "SELECT COUNT(*) FROM api_keys WHERE secret_hash = '{}'",
            k.plaintext.rsplit('_').next().unwrap()
        ))
        .await;
    assert_eq!(stored, 0);
    assert!(s.revoke_api_key(&k.key.id, "cli", T0 + 2).await.unwrap());
    assert!(
        !s.revoke_api_key(&k.key.id, "cli", T0 + 3).await.unwrap(),
        "already revoked"
    );
    assert!(s.authenticate_key(&k.plaintext).await.unwrap().is_none());
    let list = s.list_api_keys().await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        list.iter().find(|x| x.id == k.key.id).unwrap().revoked_at,
        Some(T0 + 2)
    );
    assert!(s.create_api_key("none", &[], "cli", T0).await.is_err());
    let kinds = {
        let mut out = Vec::new();
        s.audit_export(&mut out, false).await.unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(kinds.matches("apikey.created").count(), 2);
    assert_eq!(kinds.matches("apikey.revoked").count(), 1);
}

async fn outbox_in_order(db: Arc<TestDb>) {
    some_history(&db).await;
    let s = &db.store;
    let ev = s.events_after(0, 100).await.unwrap();
    assert_eq!(
        ev.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    assert_eq!(ev[0].subject.as_deref(), Some("u1"));
    assert_eq!(ev[0].data, json!({"on": false}));
    assert_eq!(ev[3].kind, "preference.push");
    assert_eq!(
        ev[3].data,
        json!({"category": "marketing", "channel": "sms", "refused": true})
    );
    assert!(
        !serde_json::to_string(&ev).unwrap().contains("喜欢足球"),
        "no tag label in the outbox"
    );
    let page = s.events_after(2, 2).await.unwrap();
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4]);
    assert!(s.events_after(6, 10).await.unwrap().is_empty());
    assert_eq!(
        s.changed_subjects_after(3).await.unwrap(),
        vec![("u2".to_owned(), 4), ("u1".to_owned(), 6)]
    );
}

async fn concurrent_writers_keep_chain(db: Arc<TestDb>) {
    let mut tasks = Vec::new();
    for t in 0..8 {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            for i in 0..50 {
                let subject = format!("u{}", (t * 50 + i) % 13);
                let c = if i % 2 == 0 {
                    store
                        .set_recommendation(&subject, i % 4 == 0, "user", T0 + i)
                        .await
                        .unwrap()
                } else {
                    store
                        .register_tag(&subject, tag(&format!("t{t}:{i}")), "apikey:k", T0 + i)
                        .await
                        .unwrap()
                };
                assert_eq!(c.state.version, c.seq);
                seqs.push(c.seq);
            }
            seqs
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    assert_eq!(
        all,
        (1..=400).collect::<Vec<i64>>(),
        "every write got its own seq, no gaps"
    );
    assert_eq!(db.store.head_seq().await.unwrap(), 400);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM audit_events").await, 400);
    assert_eq!(db.scalar("SELECT MAX(seq) FROM audit_events").await, 400);
    let r = db.store.audit_verify(&[]).await.unwrap();
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(r.events, 400);
    assert_eq!(db.store.events_after(0, 1000).await.unwrap().len(), 400);
}

async fn listener_sees_committed_seq(db: Arc<TestDb>) {
    let s = &db.store;
    if !db.is_pg() {
        assert!(matches!(
            s.listen_changes().await,
            Err(StoreError::Unsupported(_))
        ));
        return;
    }
    let mut l = s.listen_changes().await.unwrap();
    let c = s.set_recommendation("u7", false, "user", T0).await.unwrap();
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), l.recv())
        .await
        .expect("notification within 10 s")
        .unwrap();
    assert_eq!(n.seq, c.seq);
    assert_eq!(n.subject.as_deref(), Some("u7"));
    // The change is visible to a reader once notified.
    assert_eq!(s.load_subject("u7").await.unwrap().version, n.seq);
    // A refused write notifies nothing; the next change comes next.
    s.register_tag("u7", tag("a"), "user", T0 + 1)
        .await
        .unwrap();
    let n2 = tokio::time::timeout(std::time::Duration::from_secs(10), l.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(n2.seq, c.seq + 1);
}

async fn webhooks_follow_outbox(db: Arc<TestDb>) {
    let s = &db.store;
    s.set_recommendation("u0", false, "user", T0).await.unwrap();
    let all = s
        .create_webhook(
            "https://example.test/hook",
            "0123456789abcdef",
            &[],
            "cli",
            T0,
        )
        .await
        .unwrap();
    let consents = s
        .create_webhook(
            "https://example.test/consent",
            "0123456789abcdef",
            &["consent.granted".to_owned()],
            "cli",
            T0,
        )
        .await
        .unwrap();
    assert!(
        s.create_webhook("ftp://x", "0123456789abcdef", &[], "cli", T0)
            .await
            .is_err()
    );
    assert!(
        s.create_webhook("https://x", "short", &[], "cli", T0)
            .await
            .is_err()
    );
    assert_eq!(s.list_webhooks().await.unwrap().len(), 2);
    some_history(&db).await;
    let due = s.pending_deliveries(T0 + 100, 100).await.unwrap();
    let for_all: Vec<i64> = due
        .iter()
        .filter(|d| d.webhook_id == all.id)
        .map(|d| d.event.seq)
        .collect();
    let for_consent: Vec<_> = due
        .iter()
        .filter(|d| d.webhook_id == consents.id)
        .map(|d| d.event.kind.clone())
        .collect();
    assert_eq!(
        for_all.len(),
        6,
        "events before the webhook existed are not delivered"
    );
    assert!(for_all.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(for_consent, vec!["consent.granted".to_owned()]);
    let first = &due[0];
    s.mark_delivered(&first.webhook_id, first.event.seq, T0 + 101)
        .await
        .unwrap();
    let second = &due[1];
    s.mark_failed(
        &second.webhook_id,
        second.event.seq,
        "HTTP 503",
        T0 + 10_000,
    )
    .await
    .unwrap();
    let due2 = s.pending_deliveries(T0 + 200, 100).await.unwrap();
    // While `second` backs off, its webhook's later events wait behind it (delivery order);
    // the other webhook's events are still due.
    let held_back = due
        .iter()
        .filter(|d| d.webhook_id == second.webhook_id && d.event.seq > second.event.seq)
        .count();
    assert!(held_back > 0);
    assert_eq!(due2.len(), due.len() - 2 - held_back);
    assert!(
        due2.iter()
            .all(|d| d.webhook_id != second.webhook_id || d.event.seq < second.event.seq)
    );
    let later = s.pending_deliveries(T0 + 10_000, 100).await.unwrap();
    let retried = later
        .iter()
        .find(|d| d.event.seq == second.event.seq && d.webhook_id == second.webhook_id)
        .unwrap();
    assert_eq!(retried.attempts, 1);
}

async fn reopen_keeps_everything(db: Arc<TestDb>) {
    some_history(&db).await;
    let before = db.store.load_subject("u1").await.unwrap();
    let again = xiezhi_store::Store::open(&db.url).await.unwrap();
    assert_eq!(again.load_subject("u1").await.unwrap(), before);
    let c = again
        .set_minor("u1", true, "system", T0 + 50)
        .await
        .unwrap();
    assert_eq!(c.seq, 7);
    assert!(again.audit_verify(&[]).await.unwrap().is_ok());
    again.close().await;
    assert!(db.store.audit_verify(&[]).await.unwrap().is_ok());
}

async fn retention_settings(db: Arc<TestDb>) {
    let s = &db.store;
    let r = s.retention().await.unwrap();
    assert_eq!((r.audit_events_days(), r.network_logs_days()), (1095, 183));
    let longer = xiezhi_store::Retention::new(3650, 365).unwrap();
    s.set_retention(longer).await.unwrap();
    assert_eq!(s.retention().await.unwrap(), longer);
    let err = xiezhi_store::Retention::new(30, 365).unwrap_err();
    assert!(err.to_string().contains("at least 1095 days"), "{err}");
}

async fn checkpoints_and_export(db: Arc<TestDb>) {
    let s = &db.store;
    let key = xiezhi_store::SigningKey::generate().unwrap();
    assert!(
        matches!(
            s.audit_checkpoint(&key, T0).await,
            Err(StoreError::InvalidInput(_))
        ),
        "empty chain"
    );
    some_history(&db).await;
    let cp = s.audit_checkpoint(&key, T0 + 100).await.unwrap();
    assert_eq!(cp.seq, 6);
    assert_eq!(cp.key_id, key.key_id());
    assert_eq!(s.audit_checkpoints().await.unwrap(), vec![cp.clone()]);
    let r = s.audit_verify(&[key.verifying_key()]).await.unwrap();
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(r.checkpoints_verified, 1);
    // A checkpoint by a key the verifier does not trust is reported.
    let bad = s.audit_verify(&[]).await.unwrap().first_bad.unwrap();
    assert!(
        matches!(bad.problem, Problem::CheckpointUnknownKey { .. }),
        "{bad}"
    );
    // The export verifies offline with the pinned key, payloads included.
    let mut out = Vec::new();
    assert_eq!(s.audit_export(&mut out, true).await.unwrap(), 6);
    let r =
        xiezhi_store::xiezhi_audit::verify_export_pinned(&out[..], &[key.verifying_key()]).unwrap();
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(
        (r.events, r.checkpoints_verified, r.payloads_checked),
        (6, 1, 3)
    );
    let text = String::from_utf8(out).unwrap();
    assert!(text.lines().next().unwrap().contains("\"type\":\"key\""));
    // Without payloads the export holds no PI.
    let mut out = Vec::new();
    s.audit_export(&mut out, false).await.unwrap();
    assert!(!String::from_utf8(out).unwrap().contains("喜欢足球"));
    // Truncating the tail and rewinding the head is caught by the checkpoint.
    db.raw("DELETE FROM audit_events WHERE seq >= 5").await;
    db.raw("UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_events WHERE seq = 4)")
        .await;
    let bad = s
        .audit_verify(&[key.verifying_key()])
        .await
        .unwrap()
        .first_bad
        .unwrap();
    assert!(
        matches!(
            bad.problem,
            Problem::CheckpointBeyondEnd {
                checkpoint_seq: 6,
                last_seq: 4
            }
        ),
        "{bad}"
    );
}

both!(
    operations_change_state_and_version,
    tombstone_refuses_re_adding,
    withdraw_without_grant_fails,
    refusal_cool_down,
    guardian_consent_needs_link,
    stale_after_scope_change,
    chain_in_order_and_verifies,
    edited_row_is_named,
    deleted_row_names_gap,
    deleted_tail_is_detected,
    edited_payload_is_named,
    erasing_payloads_keeps_chain_valid,
    api_keys,
    outbox_in_order,
    concurrent_writers_keep_chain,
    listener_sees_committed_seq,
    webhooks_follow_outbox,
    reopen_keeps_everything,
    retention_settings,
    checkpoints_and_export,
);

#[tokio::test]
async fn memory_store_works() {
    let s = xiezhi_store::Store::open("sqlite::memory:").await.unwrap();
    let c = s.set_recommendation("u1", false, "user", T0).await.unwrap();
    assert_eq!(c.seq, 1);
    assert!(s.audit_verify(&[]).await.unwrap().is_ok());
    assert!(matches!(
        xiezhi_store::Store::open("mysql://x").await,
        Err(StoreError::UnsupportedUrl)
    ));
}

/// The HTTP server awaits these inside axum handlers: they must be `Send`.
#[allow(dead_code)]
fn store_futures_are_send(s: &xiezhi_store::Store, key: &xiezhi_store::SigningKey) {
    fn send<T: Send>(_: T) {}
    send(s.set_recommendation("u", true, "user", 0));
    send(s.record_consent(
        consent("u", "p", ConsentStatus::Granted, ConsentKind::General),
        "user",
        0,
    ));
    send(s.register_tag("u", tag("t"), "user", 0));
    send(s.sync_purposes(&Policy::default(), "cli", 0));
    send(s.load_subject("u"));
    send(s.authenticate_key("xzk_a_b"));
    send(s.pending_deliveries(0, 10));
    send(s.audit_verify(&[]));
    send(s.audit_checkpoint(key, 0));
    send(s.audit_export(Vec::new(), false));
    send(s.listen_changes());
    send(async {
        let mut l = s.listen_changes().await.unwrap();
        l.recv().await
    });
}
