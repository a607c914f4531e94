//! The register of generated reports, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::TestDb;
use xiezhi_store::{NewReport, ReportInput};

fn report(kind: &str, year: i32) -> NewReport {
    NewReport {
        kind: kind.to_owned(),
        subject: None,
        period_year: Some(year),
        lang: "zh-CN".into(),
        format: "html".into(),
        output_digest: format!("sha256:{:064x}", year),
        inputs: vec![
            ReportInput {
                name: "datamap/systems.yaml".into(),
                digest: format!("sha256:{:064x}", 1),
            },
            ReportInput {
                name: "answers:answers.yaml".into(),
                digest: format!("sha256:{:064x}", 2),
            },
        ],
        missing: 3,
    }
}

async fn register_and_chain(db: Arc<TestDb>) {
    let s = &db.store;
    let a = s
        .record_report(
            &report("important-data-annual", 2025),
            "cli",
            1_767_225_600_000,
        )
        .await
        .unwrap();
    let b = s
        .record_report(&report("pipia", 2026), "admin:alice", 1_767_225_700_000)
        .await
        .unwrap();
    assert!(b.seq > a.seq);
    let all = s.generated_reports(None).await.unwrap();
    assert_eq!(all, vec![a.clone(), b.clone()]);
    let only = s.generated_reports(Some("pipia")).await.unwrap();
    assert_eq!(only, vec![b]);
    assert_eq!(only[0].report.inputs.len(), 2);
    // The chain holds the event with a payload digest committing to the inputs.
    let n = db
        .scalar("SELECT COUNT(*) FROM audit_events WHERE kind = 'report.generated' AND payload_digest IS NOT NULL")
        .await;
    assert_eq!(n, 2);
    assert!(s.audit_verify(&[]).await.unwrap().is_ok());
}

both!(register_and_chain);
