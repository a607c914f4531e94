//! Two nodes over one PostgreSQL database: a change acknowledged by one node is reflected by
//! the other — at once with `min_version` (read-your-writes), and within the LISTEN/NOTIFY
//! propagation time without it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::Harness;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_one_node_is_seen_by_the_other() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let a = Harness::postgres(&url).await;
    let b = a.another_node().await;
    let feed = tokio::spawn(xiezhi_server::run_change_feed(Arc::clone(&b.state)));
    let start = Instant::now();
    while !b.state.engine.cache_in_use() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "change feed did not connect"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // B caches "allowed".
    let r = b
        .decide(
            "u-multi",
            json!([{"action": "personalize"}, {"action": "use_tag", "tag": "t"}]),
        )
        .await;
    assert_eq!(r[0]["allow"], true);
    a.call(
        "PUT",
        "/v1/subjects/u-multi/tags/t",
        Some(&a.platform_key),
        Some(json!({"label": "L", "source": "s"})),
    )
    .await;
    // Read-your-writes with the version A acknowledged.
    let (s, body) = a
        .call(
            "PUT",
            "/v1/subjects/u-multi/preferences",
            Some(&a.platform_key),
            Some(json!({"recommendation": false})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let version = body["state_version"].as_i64().unwrap();
    let (s, body) = b
        .call(
            "POST",
            "/v1/decisions",
            Some(&b.platform_key),
            Some(json!({"subject": "u-multi", "checks": [{"action": "personalize"}], "min_version": version})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["results"][0]["reason"], "recommendation_off", "{body}");
    // Without the version: the NOTIFY reaches B; measure how long it takes.
    let user = a.user_token("u-multi");
    let (s, _) = a.call("DELETE", "/v1/me/tags/t", Some(&user), None).await;
    assert_eq!(s, StatusCode::OK);
    let acked = Instant::now();
    loop {
        let r = b
            .decide("u-multi", json!([{"action": "use_tag", "tag": "t"}]))
            .await;
        if r[0]["reason"] == "tag_deleted" {
            break;
        }
        assert!(
            acked.elapsed() < Duration::from_secs(2),
            "B never saw the deletion"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    eprintln!(
        "cross-node propagation without min_version: {:?}",
        acked.elapsed()
    );
    feed.abort();
    a.cleanup().await;
}
