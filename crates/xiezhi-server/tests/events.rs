//! Change events leaving the service over real sockets: signed webhooks POSTed to a real local
//! receiver (in order, retried after failures) and the server-sent event stream `/v1/events`
//! (ids = seq, resumable with `Last-Event-ID`). The server runs through `xiezhi_server::serve`
//! on 127.0.0.1:0, on SQLite and (when configured) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use common::Harness;
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use sha2::Sha256;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// Starts the real server on a free port; returns its address and task.
async fn start(h: &Harness) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let settings = xiezhi_server::ServeSettings {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        user_rate_per_second: 1000,
        checkpoint_every: Duration::from_secs(3600),
        webhooks: true,
    };
    let state = Arc::clone(&h.state);
    let task = tokio::spawn(async move {
        xiezhi_server::serve(state, settings, Some(tx))
            .await
            .unwrap();
    });
    let addr = tokio::time::timeout(Duration::from_secs(10), rx)
        .await
        .expect("server did not start")
        .unwrap();
    (addr, task)
}

/// One request over the socket; returns status and JSON body.
async fn http(
    c: &HttpClient,
    addr: SocketAddr,
    method: &str,
    path: &str,
    auth: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"))
        .header("authorization", format!("Bearer {auth}"));
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Full::new(Bytes::from(b.to_string()))
        }
        None => Full::new(Bytes::new()),
    };
    let resp = c.request(req.body(body).unwrap()).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Registers a personal tag, switches recommendations off, and the user deletes the tag.
/// Returns the acknowledged state versions of the three changes.
async fn three_changes(h: &Harness, c: &HttpClient, addr: SocketAddr, subject: &str) -> [i64; 3] {
    let (s, tag) = http(
        c,
        addr,
        "PUT",
        &format!("/v1/subjects/{subject}/tags/interest:football"),
        &h.platform_key,
        Some(json!({"label": "L", "source": "recsys", "personal": true})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{tag}");
    let (s, off) = http(
        c,
        addr,
        "PUT",
        &format!("/v1/subjects/{subject}/preferences"),
        &h.platform_key,
        Some(json!({"recommendation": false})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{off}");
    let user = h.user_token(subject);
    let (s, del) = http(
        c,
        addr,
        "DELETE",
        "/v1/me/tags/interest:football",
        &user,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{del}");
    [
        tag["state_version"].as_i64().unwrap(),
        off["state_version"].as_i64().unwrap(),
        del["state_version"].as_i64().unwrap(),
    ]
}

// ---------------------------------------------------------------- webhooks

#[derive(Default)]
struct Receiver {
    /// Every attempt: (seq, status answered).
    attempts: Vec<(i64, u16)>,
    /// Accepted deliveries: (body, signature header).
    delivered: Vec<(String, String)>,
    /// Answer 500 to this many more requests.
    fail_next: usize,
}

type Rx = Arc<Mutex<Receiver>>;

async fn receive(
    axum::extract::State(rx): axum::extract::State<Rx>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let sig = headers
        .get("x-xiezhi-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let seq = serde_json::from_str::<Value>(&body).unwrap_or(Value::Null)["seq"]
        .as_i64()
        .unwrap_or(-1);
    let mut r = rx.lock().unwrap();
    if r.fail_next > 0 {
        r.fail_next -= 1;
        r.attempts.push((seq, 500));
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    r.attempts.push((seq, 200));
    r.delivered.push((body, sig));
    StatusCode::OK
}

async fn start_receiver() -> (SocketAddr, Rx, tokio::task::JoinHandle<()>) {
    let rx: Rx = Arc::default();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(Arc::clone(&rx));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (addr, rx, task)
}

/// Checks `t=<ts>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` by recomputing it.
fn assert_signed(secret: &str, body: &str, header: &str) {
    let (t, v1) = header
        .split_once(',')
        .unwrap_or_else(|| panic!("malformed signature header {header:?}"));
    let t = t.strip_prefix("t=").expect("t=");
    let v1 = v1.strip_prefix("v1=").expect("v1=");
    let ts: i64 = t.parse().unwrap();
    let now = xiezhi_decide::time::now_millis() / 1000;
    assert!((now - ts).abs() < 60, "signature timestamp {ts} is not now");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    assert_eq!(v1, expected, "the HMAC does not match the body");
}

/// Waits until `n` deliveries for `subject` were accepted; returns their bodies (JSON) in
/// arrival order, each checked against its signature.
async fn wait_delivered(
    rx: &Rx,
    secret: &str,
    subject: &str,
    n: usize,
    within: Duration,
) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let got: Vec<(String, String)> = rx
            .lock()
            .unwrap()
            .delivered
            .iter()
            .filter(|(b, _)| serde_json::from_str::<Value>(b).unwrap()["subject"] == subject)
            .cloned()
            .collect();
        if got.len() >= n {
            return got
                .iter()
                .map(|(b, s)| {
                    assert_signed(secret, b, s);
                    serde_json::from_str(b).unwrap()
                })
                .collect();
        }
        assert!(
            start.elapsed() < within,
            "only {} of {n} webhook deliveries arrived within {within:?}",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

on_both_stores!(
    webhooks_arrive_in_order_signed_and_are_retried,
    async |h: &Harness| {
        let (recv_addr, rx, recv_task) = start_receiver().await;
        let (addr, server) = start(h).await;
        let c = client();
        let secret = "a-long-shared-secret-for-tests";
        let (s, body) = http(
            &c,
            addr,
            "POST",
            "/v1/admin/webhooks",
            &h.admin_key,
            Some(json!({"url": format!("http://{recv_addr}/hook"), "secret": secret})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{body}");

        let versions = three_changes(h, &c, addr, "u-hook").await;
        let got = wait_delivered(&rx, secret, "u-hook", 3, Duration::from_secs(5)).await;
        let kinds: Vec<&str> = got.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["tag.registered", "preference.recommendation", "tag.deleted"]
        );
        let seqs: Vec<i64> = got.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, versions, "webhook seqs are the acknowledged versions");
        assert_eq!(got[1]["data"]["on"], false);
        assert_eq!(got[2]["data"]["tag"], "interest:football");

        // The receiver fails twice: the first pending event is retried with back-off, and the
        // one after it waits so order is kept.
        rx.lock().unwrap().fail_next = 2;
        let failing_from = Instant::now();
        let user = h.user_token("u-hook");
        let (s, on) = http(
            &c,
            addr,
            "PUT",
            "/v1/me/preferences",
            &user,
            Some(json!({"recommendation": true})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{on}");
        let (s, push) = http(
            &c,
            addr,
            "PUT",
            "/v1/me/preferences",
            &user,
            Some(json!({"push": [{"channel": "sms", "category": "marketing", "refused": true}]})),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{push}");
        let (v_on, v_push) = (
            on["state_version"].as_i64().unwrap(),
            push["state_version"].as_i64().unwrap(),
        );
        let got = wait_delivered(&rx, secret, "u-hook", 5, Duration::from_secs(9)).await;
        let retried_after = failing_from.elapsed();
        let seqs: Vec<i64> = got.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert_eq!(
            &seqs[3..],
            [v_on, v_push],
            "delivered out of order: {seqs:?}"
        );
        assert_eq!(got[3]["kind"], "preference.recommendation");
        assert_eq!(got[4]["kind"], "preference.push");
        let attempts = rx.lock().unwrap().attempts.clone();
        let failed: Vec<i64> = attempts
            .iter()
            .filter(|(_, st)| *st == 500)
            .map(|(q, _)| *q)
            .collect();
        assert_eq!(failed, [v_on, v_on], "attempts: {attempts:?}");
        // Every attempt after the first failure is in seq order: nothing jumped the queue.
        let first_fail = attempts.iter().position(|(_, st)| *st == 500).unwrap();
        let after: Vec<i64> = attempts[first_fail..].iter().map(|(q, _)| *q).collect();
        assert!(
            after.windows(2).all(|w| w[0] <= w[1]),
            "a later event was attempted before the failed one was delivered: {after:?}"
        );
        // Back-off: 1 s after the first failure, 2 s after the second.
        assert!(
            retried_after >= Duration::from_millis(2500),
            "retried too fast ({retried_after:?}): no back-off"
        );
        eprintln!("webhook delivered after 2 failures in {retried_after:?}");
        server.abort();
        recv_task.abort();
    }
);

// ---------------------------------------------------------------- SSE

/// One parsed server-sent event.
#[derive(Debug, Clone)]
struct Sse {
    id: i64,
    event: String,
    data: Value,
}

/// Opens `/v1/events` and reads events until `done` says so (or `within` passes).
async fn read_events(
    c: &HttpClient,
    addr: SocketAddr,
    key: &str,
    query: &str,
    last_event_id: Option<i64>,
    within: Duration,
    done: impl Fn(&[Sse]) -> bool,
) -> Vec<Sse> {
    let mut req = hyper::Request::get(format!("http://{addr}/v1/events{query}"))
        .header("authorization", format!("Bearer {key}"));
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id.to_string());
    }
    let resp = c
        .request(req.body(Full::new(Bytes::new())).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = resp.into_body();
    let mut buf = String::new();
    let mut events = Vec::new();
    let deadline = Instant::now() + within;
    while !done(&events) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "event stream ended too early: got {events:?}"
        );
        let frame = match tokio::time::timeout(left, body.frame()).await {
            Ok(Some(f)) => f.unwrap(),
            Ok(None) => panic!("event stream closed; got {events:?}"),
            Err(_) => panic!("timed out waiting for events; got {events:?}"),
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buf.push_str(std::str::from_utf8(&data).unwrap());
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let (mut id, mut event, mut data) = (None, None, None);
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = Some(v.trim().parse::<i64>().unwrap());
                } else if let Some(v) = line.strip_prefix("event:") {
                    event = Some(v.trim().to_owned());
                } else if let Some(v) = line.strip_prefix("data:") {
                    data = Some(serde_json::from_str::<Value>(v.trim()).unwrap());
                }
            }
            if let (Some(id), Some(event), Some(data)) = (id, event, data) {
                events.push(Sse { id, event, data });
            }
        }
    }
    events
}

fn of_subject<'a>(events: &'a [Sse], subject: &str) -> Vec<&'a Sse> {
    events
        .iter()
        .filter(|e| e.data["subject"] == subject)
        .collect()
}

on_both_stores!(
    event_stream_replays_resumes_and_goes_live,
    async |h: &Harness| {
        let (addr, server) = start(h).await;
        let c = client();
        // Without a platform key: refused.
        let (s, _) = http(&c, addr, "GET", "/v1/events?after=0", "nope", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);

        let versions = three_changes(h, &c, addr, "u-sse").await;
        let all = read_events(
            &c,
            addr,
            &h.platform_key,
            "?after=0",
            None,
            Duration::from_secs(5),
            |ev| of_subject(ev, "u-sse").len() >= 3,
        )
        .await;
        assert!(
            all.windows(2).all(|w| w[0].id < w[1].id),
            "ids not increasing"
        );
        for e in &all {
            assert_eq!(e.data["seq"], e.id, "id is the seq");
            assert_eq!(e.data["kind"], e.event.as_str(), "event is the kind");
        }
        let mine = of_subject(&all, "u-sse");
        let kinds: Vec<&str> = mine.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(
            kinds,
            ["tag.registered", "preference.recommendation", "tag.deleted"]
        );
        let ids: Vec<i64> = mine.iter().map(|e| e.id).collect();
        assert_eq!(ids, versions);
        assert_eq!(mine[1].data["data"]["on"], false);
        assert_eq!(mine[2].data["data"]["tag"], "interest:football");

        // Resume after the switch-off: the next event is the tag deletion. Last-Event-ID wins
        // over ?after=.
        let switch_off = mine[1].id;
        let resumed = read_events(
            &c,
            addr,
            &h.platform_key,
            "?after=0",
            Some(switch_off),
            Duration::from_secs(5),
            |ev| !ev.is_empty(),
        )
        .await;
        assert_eq!(resumed[0].id, versions[2], "{resumed:?}");
        assert_eq!(resumed[0].event, "tag.deleted");

        // Live: a stream opened now (no position) receives the next change.
        let live = {
            let c = c.clone();
            let key = h.platform_key.clone();
            tokio::spawn(async move {
                read_events(&c, addr, &key, "", None, Duration::from_secs(5), |ev| {
                    !of_subject(ev, "u-sse").is_empty()
                })
                .await
            })
        };
        // Give the stream time to open before changing anything.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (s, on) = http(
            &c,
            addr,
            "PUT",
            "/v1/subjects/u-sse/preferences",
            &h.platform_key,
            Some(json!({"recommendation": true})),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let live = live.await.unwrap();
        let mine = of_subject(&live, "u-sse");
        assert_eq!(mine[0].id, on["state_version"].as_i64().unwrap());
        assert_eq!(mine[0].data["data"]["on"], true);
        assert!(
            live.iter().all(|e| e.id > versions[2]),
            "replayed old events"
        );
        server.abort();
    }
);
