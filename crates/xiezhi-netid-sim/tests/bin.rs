//! The `xiezhi-netid-sim` binary over real HTTP: it starts on a free port, announces its
//! address, enrols, issues and verifies (with the platform's HMAC signature).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn post(url: &str, headers: &[(&str, &str)], body: String) -> (u16, serde_json::Value) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut req = hyper::Request::post(url).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = client
        .request(req.body(Full::new(Bytes::from(body))).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn binary_serves_the_api() {
    let secret = "bin-test-secret-0123456789";
    let mut child = Command::new(env!("CARGO_BIN_EXE_xiezhi-netid-sim"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--app",
            &format!("app-1:{secret}"),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let line = BufReader::new(stdout).lines().next().unwrap().unwrap();
    assert!(line.contains("SIMULATOR"), "{line}");
    let base = line.rsplit(' ').next().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");

    let id = xiezhi_netid_sim::with_check_digit("32010619850615123").unwrap();
    let (s, v) = post(
        &format!("{base}/sim/v1/persons"),
        &[],
        serde_json::json!({"name": "赵六", "id_number": id}).to_string(),
    )
    .await;
    assert_eq!(s, 200);
    let nn = v["network_number"].as_str().unwrap().to_owned();
    let (s, v) = post(
        &format!("{base}/sim/v1/credentials"),
        &[],
        serde_json::json!({"network_number": nn, "app_id": "app-1"}).to_string(),
    )
    .await;
    assert_eq!(s, 200);
    let body = serde_json::json!({"credential": v["credential"]}).to_string();
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let sig = xiezhi_netid_sim::sign_request(secret.as_bytes(), t, body.as_bytes());
    let url = format!("{base}/v1/auth/verify");
    let headers = [
        ("x-netid-app-id", "app-1"),
        ("x-netid-signature", sig.as_str()),
    ];
    let (s, v) = post(&url, &headers, body.clone()).await;
    assert_eq!(s, 200);
    assert_eq!(v["result"], "pass");
    assert_eq!(v["network_number"], nn.as_str());
    assert!(v.get("name").is_none() && !v.to_string().contains(&id));
    // A stale signature is refused.
    let old = xiezhi_netid_sim::sign_request(secret.as_bytes(), t - 1000, body.as_bytes());
    let (s, v) = post(
        &url,
        &[("x-netid-app-id", "app-1"), ("x-netid-signature", &old)],
        body,
    )
    .await;
    assert_eq!((s, v["error"].as_str()), (401, Some("app_auth_failed")));
}
