//! The incident register: documents, event log, optimistic concurrency and the audit chain, on
//! SQLite and (with `XIEZHI_TEST_POSTGRES`) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::TestDb;
use serde_json::json;
use xiezhi_store::{IncidentDoc, IncidentEventInput, IncidentEventKind, StoreError};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

fn doc<'a>(id: &'a str, state: &'a str, level: &'a str, record: &'a str) -> IncidentDoc<'a> {
    IncidentDoc {
        id,
        state,
        level,
        detected_at: T0,
        closed_at: None,
        close_reason: None,
        record,
        timeline: "{}",
        estimate: Some(r#"{"people":1000000}"#),
    }
}

fn ev(kind: IncidentEventKind, at: i64, data: serde_json::Value) -> IncidentEventInput<'static> {
    IncidentEventInput {
        kind,
        actor: "cli",
        at,
        data,
    }
}

async fn register_lifecycle(db: Arc<TestDb>) {
    let s = &db.store;
    let rec = r#"{"id":"INC-1","pi":{"people":999999}}"#;
    let opened = s
        .open_incident(
            doc("INC-1", "open", "general", rec),
            ev(
                IncidentEventKind::Opened,
                T0 + 10,
                json!({"level": "general", "people": 999_999}),
            ),
        )
        .await
        .unwrap();
    assert_eq!(opened.state, "open");
    assert_eq!(opened.opened_at, T0 + 10);
    assert_eq!(opened.estimate.as_deref(), Some(r#"{"people":1000000}"#));

    // The same id twice is refused and writes nothing.
    let before = db.scalar("SELECT COUNT(*) FROM audit_events").await;
    let again = s
        .open_incident(
            doc("INC-1", "open", "general", rec),
            ev(IncidentEventKind::Opened, T0 + 11, json!({})),
        )
        .await;
    assert!(matches!(again, Err(StoreError::IncidentExists { .. })));
    assert_eq!(db.scalar("SELECT COUNT(*) FROM audit_events").await, before);

    // Update at the current version; a stale version is a conflict.
    let rec2 = r#"{"id":"INC-1","pi":{"people":1000000}}"#;
    let updated = s
        .save_incident(
            doc("INC-1", "open", "relatively_large", rec2),
            opened.seq,
            ev(
                IncidentEventKind::Updated,
                T0 + 20,
                json!({"fields": ["pi.people"], "level_before": "general", "level_after": "relatively_large"}),
            ),
        )
        .await
        .unwrap();
    assert_eq!(updated.level, "relatively_large");
    assert!(updated.seq > opened.seq);
    let stale = s
        .save_incident(
            doc("INC-1", "open", "major", rec2),
            opened.seq,
            ev(IncidentEventKind::Updated, T0 + 21, json!({})),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::IncidentConflict { .. })));

    let seq = s
        .log_incident_event(
            "INC-1",
            ev(
                IncidentEventKind::Notified,
                T0 + 30,
                json!({"channel": "email", "recipients": 3, "sent": 3}),
            ),
        )
        .await
        .unwrap();
    assert!(seq > updated.seq);
    assert!(matches!(
        s.log_incident_event("nope", ev(IncidentEventKind::Notified, T0, json!({})))
            .await,
        Err(StoreError::IncidentNotFound { .. })
    ));

    let mut closed = doc("INC-1", "closed", "relatively_large", rec2);
    closed.closed_at = Some(T0 + 40);
    closed.close_reason = Some("总结报告已提交");
    let current = s.get_incident("INC-1").await.unwrap().unwrap();
    let c = s
        .save_incident(
            closed,
            current.seq,
            ev(
                IncidentEventKind::Closed,
                T0 + 40,
                json!({"summary_filed": true}),
            ),
        )
        .await
        .unwrap();
    assert_eq!((c.state.as_str(), c.closed_at), ("closed", Some(T0 + 40)));

    s.open_incident(
        IncidentDoc {
            detected_at: T0 + 1000,
            ..doc("INC-2", "open", "major", r#"{"id":"INC-2"}"#)
        },
        ev(IncidentEventKind::Opened, T0 + 50, json!({})),
    )
    .await
    .unwrap();
    let open: Vec<String> = s
        .list_incidents(Some("open"), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(open, ["INC-2"]);
    let all: Vec<String> = s
        .list_incidents(None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(all, ["INC-2", "INC-1"]);

    let events = s.incident_events("INC-1").await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["opened", "updated", "notified", "closed"]);
    assert_eq!(events[2].data["recipients"], 3);
    // Every event is in the audit chain with its kind, and the chain verifies.
    for (kind, n) in [
        ("incident.opened", 2),
        ("incident.updated", 1),
        ("incident.notified", 1),
        ("incident.closed", 1),
    ] {
        assert_eq!(
            db.scalar(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE kind = '{kind}'"
            ))
            .await,
            n,
            "{kind}"
        );
    }
    assert!(s.audit_verify(&[]).await.unwrap().is_ok());

    // Tampering with a logged event's payload is detected.
    db.raw("UPDATE audit_payloads SET body = '{\"channel\":\"email\",\"incident\":\"INC-1\",\"recipients\":0,\"sent\":0}' WHERE seq = (SELECT seq FROM audit_events WHERE kind = 'incident.notified')")
        .await;
    assert!(!s.audit_verify(&[]).await.unwrap().is_ok());
}

async fn bad_input_is_refused(db: Arc<TestDb>) {
    let s = &db.store;
    let r = s
        .open_incident(
            doc("INC-X", "paused", "general", "{}"),
            ev(IncidentEventKind::Opened, T0, json!({})),
        )
        .await;
    assert!(matches!(r, Err(StoreError::InvalidInput(_))));
    let r = s
        .save_incident(
            doc("INC-404", "open", "general", "{}"),
            1,
            ev(IncidentEventKind::Updated, T0, json!({})),
        )
        .await;
    assert!(matches!(r, Err(StoreError::IncidentNotFound { .. })));
    assert!(s.get_incident("INC-404").await.unwrap().is_none());
}

both!(register_lifecycle, bad_input_is_refused);
