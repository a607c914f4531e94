//! A **simulator** of the national network identity authentication public service
//! (国家网络身份认证公共服务, 网号/网证; MPS Order No. 173), built from public descriptions of
//! the service for Xiezhi's tests and demos. It is **not** the real service's API: field names,
//! URLs, the credential format and the signing scheme are this simulator's own.
//!
//! What it models:
//!
//! - **enrolment** (simulator-only): a person's name and ID number go in; only a salted digest
//!   is kept, and a 网号 (letters and digits, no plaintext identity) comes out; the same person
//!   always gets the same 网号;
//! - **网证 issuance** (simulator-only; in reality the national app does this): a short-lived
//!   credential for one 网号 and one platform app id, ed25519-signed, single use;
//! - **verification** for platforms: the platform's app id plus an HMAC signature with its app
//!   secret; the answer is `pass` with the 网号, or `fail` with a reason — never identity data;
//! - an **authentication log** entry per verification (what the real service keeps).
//!
//! HTTP API: see `docs/netid-simulator.md`. Start it in-process with [`serve`] or
//! [`Simulator::router`], or run the `xiezhi-netid-sim` binary.
#![deny(missing_docs)]

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::Signer as _;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Prefix of every credential this simulator issues (format version 1).
pub const CREDENTIAL_PREFIX: &str = "WZ1";

/// Largest accepted clock skew of a platform's signature timestamp (seconds).
pub const MAX_SKEW_SECS: i64 = 300;

/// Most time a credential may be valid (seconds).
pub const MAX_TTL_SECS: i64 = 600;

/// A platform registered with the service.
#[derive(Clone, PartialEq, Eq)]
pub struct App {
    /// The app id.
    pub app_id: String,
    /// The app secret (HMAC key of request signatures).
    pub app_secret: String,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("app_id", &self.app_id)
            .finish_non_exhaustive()
    }
}

/// Simulator settings.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Registered platforms.
    pub apps: Vec<App>,
    /// Default credential validity (seconds; default 180).
    pub credential_ttl_secs: i64,
    /// Seed of the credential signing key; random if `None`.
    pub signing_seed: Option<[u8; 32]>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            apps: Vec::new(),
            credential_ttl_secs: 180,
            signing_seed: None,
        }
    }
}

/// Why a simulator operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// The OS random source failed.
    #[error("the OS random source failed")]
    Random,
    /// Enrolment data is invalid (the value is not echoed).
    #[error("enrolment refused: {0}")]
    InvalidEnrolment(&'static str),
    /// No such 网号.
    #[error("unknown network number")]
    UnknownPerson,
    /// No such app.
    #[error("unknown app id")]
    UnknownApp,
    /// TTL out of range.
    #[error("ttl_secs must be between 1 and {MAX_TTL_SECS}")]
    Ttl,
}

/// Result of one verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthResult {
    /// The credential is valid.
    Pass,
    /// It is not.
    Fail,
}

/// Why a verification failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    /// Not a credential of this format.
    Malformed,
    /// The signature does not match (tampered or forged).
    BadSignature,
    /// Past its expiry.
    Expired,
    /// Issued for another app.
    WrongApp,
    /// Already used once.
    Replayed,
    /// The 网号 is not (or no longer) enrolled.
    UnknownPerson,
}

/// One authentication log entry (what the service keeps per verification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthLogEntry {
    /// Log id (also returned to the platform).
    pub auth_id: String,
    /// When (Unix seconds).
    pub at: i64,
    /// The platform that asked.
    pub app_id: String,
    /// The 网号 the credential names, when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_number: Option<String>,
    /// Pass or fail.
    pub result: AuthResult,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<FailReason>,
}

/// A credential as issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCredential {
    /// The opaque 网证 string the user hands to the platform.
    pub credential: String,
    /// Expiry (Unix seconds).
    pub expires_at: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    /// 网号.
    nn: String,
    /// Audience: the app id.
    aud: String,
    iat: i64,
    exp: i64,
    /// Unique id (single use).
    jti: String,
}

#[derive(Default)]
struct State0 {
    /// digest -> 网号
    by_digest: HashMap<String, String>,
    /// 网号 set
    numbers: HashSet<String>,
    used_jti: HashSet<String>,
    log: Vec<AuthLogEntry>,
}

struct Inner {
    key: ed25519_dalek::SigningKey,
    salt: [u8; 32],
    apps: HashMap<String, HmacSha256>,
    ttl: i64,
    state: Mutex<State0>,
}

/// The simulated service. Cheap to clone (shared state).
#[derive(Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("apps", &self.inner.apps.len())
            .finish_non_exhaustive()
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn random<const N: usize>() -> Result<[u8; N], SimError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| SimError::Random)?;
    Ok(b)
}

/// Whether `id` is a valid 18-character PRC resident ID number (GB 11643-1999 check digit).
pub fn valid_resident_id(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

/// Builds a resident ID number with a valid check digit from 17 digits (for tests and demos).
pub fn with_check_digit(first17: &str) -> Option<String> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b.iter().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = char::from(b"10X98765432"[(sum % 11) as usize]);
    Some(format!("{first17}{check}"))
}

/// The `X-NetId-Signature` value a platform sends: `t=<t>,v1=<hex HMAC-SHA256(app_secret,
/// "<t>.<body>")>`.
pub fn sign_request(app_secret: &[u8], t: i64, body: &[u8]) -> String {
    let mut mac = match <HmacSha256 as KeyInit>::new_from_slice(app_secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

impl Simulator {
    /// A simulator with `config`.
    pub fn new(config: SimConfig) -> Result<Self, SimError> {
        let seed = match config.signing_seed {
            Some(s) => s,
            None => random::<32>()?,
        };
        let mut apps = HashMap::new();
        for app in &config.apps {
            let mac = <HmacSha256 as KeyInit>::new_from_slice(app.app_secret.as_bytes())
                .map_err(|_| SimError::UnknownApp)?;
            apps.insert(app.app_id.clone(), mac);
        }
        Ok(Self {
            inner: Arc::new(Inner {
                key: ed25519_dalek::SigningKey::from_bytes(&seed),
                salt: random::<32>()?,
                apps,
                ttl: config.credential_ttl_secs.clamp(1, MAX_TTL_SECS),
                state: Mutex::new(State0::default()),
            }),
        })
    }

    fn state(&self) -> MutexGuard<'_, State0> {
        match self.inner.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The credential-signing public key (hex).
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.inner.key.verifying_key().to_bytes())
    }

    /// Enrols a person; keeps only a salted digest of name and ID number and returns the
    /// person's 网号 (the same one on every enrolment of the same person).
    pub fn enrol(&self, name: &str, id_number: &str) -> Result<String, SimError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(SimError::InvalidEnrolment(
                "name must be 1 to 64 characters",
            ));
        }
        let id = id_number.trim().to_ascii_uppercase();
        if !valid_resident_id(&id) {
            return Err(SimError::InvalidEnrolment(
                "id_number is not a valid 18-character resident ID number",
            ));
        }
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.inner.salt)
            .map_err(|_| SimError::Random)?;
        mac.update(b"person-v1\n");
        mac.update(name.as_bytes());
        mac.update(b"\n");
        mac.update(id.as_bytes());
        let digest = hex::encode(mac.finalize().into_bytes());
        let mut st = self.state();
        if let Some(nn) = st.by_digest.get(&digest) {
            return Ok(nn.clone());
        }
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let nn = loop {
            let r = random::<16>()?;
            let nn: String = r
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
                .collect();
            if !st.numbers.contains(&nn) {
                break nn;
            }
        };
        st.numbers.insert(nn.clone());
        st.by_digest.insert(digest, nn.clone());
        Ok(nn)
    }

    /// Issues a 网证 for `network_number` and `app_id`, valid for `ttl_secs` (default from the
    /// config).
    pub fn issue_credential(
        &self,
        network_number: &str,
        app_id: &str,
        ttl_secs: Option<i64>,
    ) -> Result<IssuedCredential, SimError> {
        let ttl = ttl_secs.unwrap_or(self.inner.ttl);
        if !(1..=MAX_TTL_SECS).contains(&ttl) {
            return Err(SimError::Ttl);
        }
        let now = now_secs();
        self.issue_credential_at(network_number, app_id, now, now + ttl)
    }

    /// Issues a 网证 with explicit issue and expiry times (Unix seconds) — for tests of expired
    /// credentials.
    pub fn issue_credential_at(
        &self,
        network_number: &str,
        app_id: &str,
        iat: i64,
        exp: i64,
    ) -> Result<IssuedCredential, SimError> {
        if !self.state().numbers.contains(network_number) {
            return Err(SimError::UnknownPerson);
        }
        if !self.inner.apps.contains_key(app_id) {
            return Err(SimError::UnknownApp);
        }
        let payload = Payload {
            nn: network_number.to_owned(),
            aud: app_id.to_owned(),
            iat,
            exp,
            jti: hex::encode(random::<16>()?),
        };
        let json = serde_json::to_vec(&payload).map_err(|_| SimError::Random)?;
        let body = URL_SAFE_NO_PAD.encode(json);
        let signing_input = format!("{CREDENTIAL_PREFIX}.{body}");
        let sig = self.inner.key.sign(signing_input.as_bytes());
        Ok(IssuedCredential {
            credential: format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes())),
            expires_at: exp,
        })
    }

    /// Checks a credential presented by `app_id` (already authenticated) and logs the attempt.
    pub fn verify_credential(&self, app_id: &str, credential: &str) -> AuthLogEntry {
        let now = now_secs();
        let (nn, outcome) = self.check(app_id, credential, now);
        let entry = AuthLogEntry {
            auth_id: random::<12>().map(hex::encode).unwrap_or_default(),
            at: now,
            app_id: app_id.to_owned(),
            network_number: nn,
            result: if outcome.is_ok() {
                AuthResult::Pass
            } else {
                AuthResult::Fail
            },
            reason: outcome.err(),
        };
        self.state().log.push(entry.clone());
        entry
    }

    fn check(
        &self,
        app_id: &str,
        credential: &str,
        now: i64,
    ) -> (Option<String>, Result<(), FailReason>) {
        let mut parts = credential.trim().split('.');
        let (Some(prefix), Some(body), Some(sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return (None, Err(FailReason::Malformed));
        };
        if prefix != CREDENTIAL_PREFIX {
            return (None, Err(FailReason::Malformed));
        }
        let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
            return (None, Err(FailReason::Malformed));
        };
        let Ok(sig) = <[u8; 64]>::try_from(sig.as_slice()) else {
            return (None, Err(FailReason::Malformed));
        };
        let signature = ed25519_dalek::Signature::from_bytes(&sig);
        let signing_input = format!("{prefix}.{body}");
        if self
            .inner
            .key
            .verifying_key()
            .verify_strict(signing_input.as_bytes(), &signature)
            .is_err()
        {
            return (None, Err(FailReason::BadSignature));
        }
        let Some(payload) = URL_SAFE_NO_PAD
            .decode(body)
            .ok()
            .and_then(|b| serde_json::from_slice::<Payload>(&b).ok())
        else {
            return (None, Err(FailReason::Malformed));
        };
        let nn = Some(payload.nn.clone());
        if payload.aud != app_id {
            return (nn, Err(FailReason::WrongApp));
        }
        if now >= payload.exp {
            return (nn, Err(FailReason::Expired));
        }
        let mut st = self.state();
        if !st.numbers.contains(&payload.nn) {
            return (nn, Err(FailReason::UnknownPerson));
        }
        if !st.used_jti.insert(payload.jti) {
            return (nn, Err(FailReason::Replayed));
        }
        (nn, Ok(()))
    }

    /// The authentication log, optionally for one 网号.
    pub fn auth_log(&self, network_number: Option<&str>) -> Vec<AuthLogEntry> {
        self.state()
            .log
            .iter()
            .filter(|e| network_number.is_none_or(|n| e.network_number.as_deref() == Some(n)))
            .cloned()
            .collect()
    }

    /// Checks a platform request signature (`t=…,v1=…`) for `app_id` over `body`.
    fn app_authenticated(&self, app_id: &str, signature: &str, body: &[u8], now: i64) -> bool {
        let Some(mac) = self.inner.apps.get(app_id) else {
            return false;
        };
        let mut t = None;
        let mut v1 = None;
        for part in signature.split(',') {
            match part.trim().split_once('=') {
                Some(("t", x)) => t = x.parse::<i64>().ok(),
                Some(("v1", x)) => v1 = hex::decode(x).ok(),
                _ => {}
            }
        }
        let (Some(t), Some(v1)) = (t, v1) else {
            return false;
        };
        if (now - t).abs() > MAX_SKEW_SECS {
            return false;
        }
        let mut mac = mac.clone();
        mac.update(t.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.verify_slice(&v1).is_ok()
    }

    /// The HTTP API (see `docs/netid-simulator.md`).
    pub fn router(&self) -> Router {
        Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .route("/v1/auth/verify", post(verify_handler))
            .route("/sim/v1/persons", post(enrol_handler))
            .route("/sim/v1/credentials", post(issue_handler))
            .route("/sim/v1/auth-log", get(log_handler))
            .route("/sim/v1/public-key", get(key_handler))
            .with_state(self.clone())
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({"error": code, "message": message})),
    )
        .into_response()
}

fn sim_error(e: &SimError) -> Response {
    let (status, code) = match e {
        SimError::Random => (StatusCode::INTERNAL_SERVER_ERROR, "random"),
        SimError::InvalidEnrolment(_) => (StatusCode::BAD_REQUEST, "invalid_enrolment"),
        SimError::UnknownPerson => (StatusCode::NOT_FOUND, "unknown_person"),
        SimError::UnknownApp => (StatusCode::NOT_FOUND, "unknown_app"),
        SimError::Ttl => (StatusCode::BAD_REQUEST, "invalid_ttl"),
    };
    error(status, code, &e.to_string())
}

#[derive(Deserialize)]
struct EnrolRequest {
    name: String,
    id_number: String,
}

async fn enrol_handler(State(sim): State<Simulator>, body: axum::body::Bytes) -> Response {
    let Ok(req) = serde_json::from_slice::<EnrolRequest>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "body must be {\"name\": string, \"id_number\": string}",
        );
    };
    match sim.enrol(&req.name, &req.id_number) {
        Ok(nn) => Json(serde_json::json!({"network_number": nn})).into_response(),
        Err(e) => sim_error(&e),
    }
}

#[derive(Deserialize)]
struct IssueRequest {
    network_number: String,
    app_id: String,
    #[serde(default)]
    ttl_secs: Option<i64>,
}

async fn issue_handler(State(sim): State<Simulator>, body: axum::body::Bytes) -> Response {
    let Ok(req) = serde_json::from_slice::<IssueRequest>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "body must be {\"network_number\": string, \"app_id\": string, \"ttl_secs\"?: integer}",
        );
    };
    match sim.issue_credential(&req.network_number, &req.app_id, req.ttl_secs) {
        Ok(c) => Json(c).into_response(),
        Err(e) => sim_error(&e),
    }
}

#[derive(Deserialize)]
struct VerifyRequest {
    credential: String,
}

async fn verify_handler(
    State(sim): State<Simulator>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let app_id = headers
        .get("x-netid-app-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let signature = headers
        .get("x-netid-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !sim.app_authenticated(app_id, signature, &body, now_secs()) {
        return error(
            StatusCode::UNAUTHORIZED,
            "app_auth_failed",
            "unknown app id, bad X-NetId-Signature or timestamp more than 300 s off",
        );
    }
    let Ok(req) = serde_json::from_slice::<VerifyRequest>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "body must be {\"credential\": string}",
        );
    };
    let entry = sim.verify_credential(app_id, &req.credential);
    let mut out = serde_json::json!({
        "result": entry.result,
        "auth_id": entry.auth_id,
        "verified_at": entry.at,
    });
    if entry.result == AuthResult::Pass {
        out["network_number"] = serde_json::json!(entry.network_number);
    } else {
        out["reason"] = serde_json::json!(entry.reason);
    }
    Json(out).into_response()
}

#[derive(Deserialize)]
struct LogQuery {
    #[serde(default)]
    network_number: Option<String>,
}

async fn log_handler(State(sim): State<Simulator>, Query(q): Query<LogQuery>) -> Response {
    Json(sim.auth_log(q.network_number.as_deref())).into_response()
}

async fn key_handler(State(sim): State<Simulator>) -> Response {
    Json(serde_json::json!({"alg": "ed25519", "public_key": sim.public_key_hex()})).into_response()
}

/// Serves a new simulator with `config` on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, config: SimConfig) -> std::io::Result<()> {
    let sim = Simulator::new(config).map_err(std::io::Error::other)?;
    serve_simulator(listener, sim).await
}

/// Serves `sim` on `listener` (keep a clone of `sim` to enrol people and issue credentials
/// in-process).
pub async fn serve_simulator(
    listener: tokio::net::TcpListener,
    sim: Simulator,
) -> std::io::Result<()> {
    axum::serve(listener, sim.router()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Simulator {
        match Simulator::new(SimConfig {
            apps: vec![
                App {
                    app_id: "app-a".into(),
                    app_secret: "secret-a-0123456789".into(),
                },
                App {
                    app_id: "app-b".into(),
                    app_secret: "secret-b-0123456789".into(),
                },
            ],
            ..SimConfig::default()
        }) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    fn id() -> String {
        with_check_digit("11010519491231002").unwrap_or_default()
    }

    #[test]
    fn resident_id_check_digit() {
        assert_eq!(id(), "11010519491231002X");
        assert!(valid_resident_id("11010519491231002X"));
        assert!(!valid_resident_id("110105194912310021"));
        assert!(!valid_resident_id("1101051949123100"));
    }

    #[test]
    fn enrolment_keeps_no_plaintext_and_is_stable() {
        let s = sim();
        let nn = s.enrol("张三", &id()).unwrap_or_default();
        assert_eq!(nn.len(), 16);
        assert!(
            nn.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        );
        assert_eq!(
            s.enrol(" 张三 ", &id().to_lowercase()).unwrap_or_default(),
            nn
        );
        assert_ne!(s.enrol("李四", &id()).unwrap_or_default(), nn);
        let st = s.state();
        for d in st.by_digest.keys() {
            assert!(!d.contains("1101") && !d.contains("张三"));
        }
        drop(st);
        assert!(matches!(
            s.enrol("张三", "110105194912310021"),
            Err(SimError::InvalidEnrolment(_))
        ));
    }

    #[test]
    fn credential_checks() {
        let s = sim();
        let nn = s.enrol("张三", &id()).unwrap_or_default();
        let c = match s.issue_credential(&nn, "app-a", None) {
            Ok(c) => c.credential,
            Err(e) => panic!("{e}"),
        };
        assert!(!c.contains("张三"));
        let e = s.verify_credential("app-b", &c);
        assert_eq!(e.reason, Some(FailReason::WrongApp));
        let e = s.verify_credential("app-a", &c);
        assert_eq!(
            (e.result, e.network_number.as_deref()),
            (AuthResult::Pass, Some(nn.as_str()))
        );
        assert_eq!(
            s.verify_credential("app-a", &c).reason,
            Some(FailReason::Replayed)
        );
        let mut tampered = c.clone().into_bytes();
        let i = CREDENTIAL_PREFIX.len() + 3;
        tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap_or_default();
        assert_eq!(
            s.verify_credential("app-a", &tampered).reason,
            Some(FailReason::BadSignature)
        );
        assert_eq!(
            s.verify_credential("app-a", "garbage").reason,
            Some(FailReason::Malformed)
        );
        let old = match s.issue_credential_at(&nn, "app-a", 1, 2) {
            Ok(c) => c.credential,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            s.verify_credential("app-a", &old).reason,
            Some(FailReason::Expired)
        );
        assert_eq!(s.auth_log(Some(&nn)).len(), 4);
        assert_eq!(s.auth_log(None).len(), 6);
        assert_eq!(
            s.issue_credential(&nn, "app-z", None).err(),
            Some(SimError::UnknownApp)
        );
        assert_eq!(
            s.issue_credential("NOPE", "app-a", None).err(),
            Some(SimError::UnknownPerson)
        );
        assert_eq!(
            s.issue_credential(&nn, "app-a", Some(0)).err(),
            Some(SimError::Ttl)
        );
    }

    #[test]
    fn app_signature() {
        let s = sim();
        let body = br#"{"credential":"x"}"#;
        let sig = sign_request(b"secret-a-0123456789", 1000, body);
        assert!(s.app_authenticated("app-a", &sig, body, 1000));
        assert!(s.app_authenticated("app-a", &sig, body, 1300));
        assert!(!s.app_authenticated("app-a", &sig, body, 1301));
        assert!(!s.app_authenticated("app-b", &sig, body, 1000));
        assert!(!s.app_authenticated("app-a", &sig, b"{}", 1000));
        assert!(!s.app_authenticated("app-a", "t=1000", body, 1000));
    }
}
