//! An acknowledged SQLite write survives `kill -9` of the writer (WAL + synchronous=FULL).
//!
//! The test re-runs this test binary as a child writer that prints each acknowledged seq, kills
//! it with SIGKILL mid-stream, reopens the file and checks every acknowledged write is there and
//! the chain verifies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use xiezhi_store::Store;

const CHILD_ENV: &str = "XIEZHI_STORE_CHILD_DB";

/// The child: writes forever, printing `ack <seq>` after each commit.
#[tokio::test]
async fn child_writer() {
    let Ok(url) = std::env::var(CHILD_ENV) else {
        return; // only runs as the child of `acknowledged_writes_survive_kill_9`
    };
    let store = Store::open(&url).await.unwrap();
    for i in 0.. {
        let c = store
            .set_recommendation(&format!("u{}", i % 7), i % 2 == 0, "user", 1_000 + i)
            .await
            .unwrap();
        println!("ack {}", c.seq);
    }
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut last_ack = 0i64;
    for line in BufReader::new(out).lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("ack ") {
            last_ack = n.trim().parse().unwrap();
            if last_ack >= 60 {
                break;
            }
        }
    }
    // SIGKILL: no destructor, no checkpoint, no clean close.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        last_ack >= 60,
        "the child acknowledged only {last_ack} writes"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::open(&url).await.unwrap();
        let head = store.head_seq().await.unwrap();
        assert!(
            head >= last_ack,
            "acknowledged seq {last_ack} lost: head is {head}"
        );
        let r = store.audit_verify(&[]).await.unwrap();
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(r.events as i64, head);
    });
}
