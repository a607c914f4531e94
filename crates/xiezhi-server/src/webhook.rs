//! Webhook delivery: every change event in the outbox is `POST`ed, in order, to every
//! registered webhook, signed with the webhook's secret:
//!
//! `X-Xiezhi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
//!
//! A failed delivery (connection error, timeout, non-2xx) is retried with exponential
//! back-off (1 s doubling to 10 min); the webhook's cursor only moves past an event once it
//! was acknowledged, so nothing is skipped. Each POST carries one event.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use sha2::Sha256;

use crate::AppState;

/// Signature header value for `body` at `t`.
pub fn signature(secret: &[u8], t: i64, body: &[u8]) -> String {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

fn backoff(failures: i64) -> i64 {
    let secs = 1i64 << failures.clamp(0, 10);
    secs.min(600) * 1000
}

/// Runs the delivery loop forever.
pub async fn run(state: AppState) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    loop {
        let worked = match deliver_once(&state, &client).await {
            Ok(n) => n > 0,
            Err(e) => {
                tracing::warn!(error = %e, "webhook delivery round failed");
                false
            }
        };
        if !worked {
            let signal = state.engine.change_signal().notified();
            tokio::select! {
                () = signal => {},
                () = state.webhooks_changed.notified() => {},
                () = tokio::time::sleep(Duration::from_secs(1)) => {},
            }
        }
    }
}

async fn deliver_once(
    state: &AppState,
    client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
) -> Result<usize, xiezhi_store::StoreError> {
    let store = state.engine.store();
    let now = xiezhi_decide::time::now_millis();
    let due = store.pending_deliveries(now, 100).await?;
    let mut delivered = 0;
    // Deliveries come in outbox order per webhook; after a failure, hold that webhook's later
    // events back so they arrive in order.
    let mut failed_hooks: Vec<String> = Vec::new();
    for d in due {
        if failed_hooks.contains(&d.webhook_id) {
            continue;
        }
        let e = &d.event;
        let body = serde_json::json!({
            "seq": e.seq,
            "at": xiezhi_decide::time::format_rfc3339(e.at),
            "subject": e.subject,
            "kind": e.kind,
            "data": e.data,
        })
        .to_string();
        let t = now / 1000;
        let sig = signature(d.secret.as_bytes(), t, body.as_bytes());
        match post(client, &d.url, body, &sig).await {
            Ok(()) => {
                store.mark_delivered(&d.webhook_id, e.seq, now).await?;
                delivered += 1;
                metrics::counter!("xiezhi_webhook_events_delivered_total").increment(1);
            }
            Err(why) => {
                let next = now + backoff(d.attempts);
                store.mark_failed(&d.webhook_id, e.seq, why, next).await?;
                metrics::counter!("xiezhi_webhook_failures_total").increment(1);
                failed_hooks.push(d.webhook_id.clone());
            }
        }
    }
    Ok(delivered)
}

async fn post(
    client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    url: &str,
    body: String,
    sig: &str,
) -> Result<(), &'static str> {
    let req = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header("x-xiezhi-signature", sig)
        .body(Full::new(Bytes::from(body)))
        .map_err(|_| "invalid webhook URL")?;
    match tokio::time::timeout(Duration::from_secs(10), client.request(req)).await {
        Ok(Ok(resp)) => {
            let ok = resp.status().is_success();
            let _ = resp.into_body().collect().await;
            if ok {
                Ok(())
            } else {
                Err("receiver answered with a non-2xx status")
            }
        }
        Ok(Err(_)) => Err("connection to the receiver failed"),
        Err(_) => Err("receiver did not answer within 10 s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_over_timestamp_and_body() {
        let s = signature(b"secret-secret-123", 1_700_000_000, b"{}");
        assert!(s.starts_with("t=1700000000,v1="));
        assert_eq!(s.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(s, signature(b"other-secret-1234", 1_700_000_000, b"{}"));
    }

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(0), 1000);
        assert_eq!(backoff(3), 8000);
        assert_eq!(backoff(50), 600_000);
    }
}
