//! Delivery of a transfer export to the receiving processor (art. 25): one signed HTTP POST.
//! The request id goes along as `Idempotency-Key`, so a rerun after a lost answer cannot make
//! the receiver import twice.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// POSTs `body` (canonical JSON) to `url` with the ed25519 signature. Errors name no values.
pub(crate) async fn post(
    url: &str,
    body: &[u8],
    key_id: &str,
    signature: &str,
    request_id: &str,
) -> Result<(), String> {
    if !url.starts_with("http://") {
        return Err(format!(
            "the endpoint must be http:// (TLS is the egress proxy's job); got a {} URL",
            url.split(':').next().unwrap_or("non-HTTP")
        ));
    }
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let req = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header(
            "x-xiezhi-signature",
            format!("ed25519 keyid={key_id},sig={signature}"),
        )
        .header("idempotency-key", request_id)
        .body(Full::new(Bytes::copy_from_slice(body)))
        .map_err(|_| "the endpoint URL is not valid".to_owned())?;
    match tokio::time::timeout(Duration::from_secs(30), client.request(req)).await {
        Ok(Ok(resp)) => {
            let status = resp.status();
            let _ = resp.into_body().collect().await;
            if status.is_success() {
                Ok(())
            } else {
                Err(format!(
                    "the receiving processor answered HTTP {}",
                    status.as_u16()
                ))
            }
        }
        Ok(Err(_)) => Err("cannot connect to the receiving processor".into()),
        Err(_) => Err("the receiving processor did not answer within 30 s".into()),
    }
}
