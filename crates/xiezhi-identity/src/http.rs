//! The small HTTP/1.1 client both gateway adapters use (plain `http://`; hyper).

use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// Largest response body read (bytes).
const MAX_RESPONSE: usize = 64 * 1024;

pub(crate) type HttpClient = Client<HttpConnector, Full<Bytes>>;

pub(crate) fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// Why a request got no usable answer.
#[derive(Debug)]
pub(crate) enum HttpFail {
    /// URL or header not valid.
    Request,
    /// Connection failed.
    Connect,
    /// No answer within the timeout.
    Timeout,
    /// Body larger than the limit or broken.
    Body,
}

/// `POST url` with a JSON `body` and extra `headers`; returns status and body.
pub(crate) async fn post_json(
    client: &HttpClient,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
    timeout: Duration,
) -> Result<(u16, Bytes), HttpFail> {
    let mut req = hyper::Request::post(url).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|_| HttpFail::Request)?;
    let work = async {
        let resp = client.request(req).await.map_err(|_| HttpFail::Connect)?;
        let status = resp.status().as_u16();
        let body = Limited::new(resp.into_body(), MAX_RESPONSE)
            .collect()
            .await
            .map_err(|_| HttpFail::Body)?
            .to_bytes();
        Ok((status, body))
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(HttpFail::Timeout),
    }
}

/// Whether `url` is an absolute `http://` URL hyper can send to.
pub(crate) fn valid_http_url(url: &str) -> bool {
    url.parse::<hyper::Uri>()
        .is_ok_and(|u| u.scheme_str() == Some("http") && u.host().is_some())
}
