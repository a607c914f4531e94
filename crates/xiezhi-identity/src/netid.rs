//! Client of the national network identity authentication public service (网号/网证; MPS
//! Order No. 173; SR-ID-01), as modelled by `xiezhi-netid-sim` (the real service's interface is
//! not public; adapt the wire format here when integrating it).
//!
//! The user presents a 网证 credential (an opaque string from the national app); the platform
//! sends it with its app id, signed with its app secret, to the service and gets back `pass`
//! with the 网号, or `fail` with a reason. [`NetIdClient::verify`] returns only a
//! [`NetIdOutcome`] — whether it passed, the 网号 and when — and, if a 网号 is bound to the
//! account, requires the returned one to equal it. Nothing else (no identity data, no
//! credential) is kept.
//!
//! Wire format: `POST {base_url}/v1/auth/verify` with `{"credential": "…"}`, headers
//! `X-NetId-App-Id: <app id>` and `X-NetId-Signature: t=<unix seconds>,v1=<hex
//! HMAC-SHA256(app secret, "<t>.<body>")>`; answer `{"result": "pass"|"fail",
//! "network_number"?, "reason"?, "verified_at", "auth_id"}`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::http::{self, HttpClient, HttpFail};

/// Longest credential accepted (characters); longer input is refused without a request.
pub const MAX_CREDENTIAL_LEN: usize = 4096;

/// Where the service is and who we are.
#[derive(Clone)]
pub struct NetIdConfig {
    /// `http://host:port` of the service (no trailing path).
    pub base_url: String,
    /// The platform's app id.
    pub app_id: String,
    /// The platform's app secret.
    pub app_secret: Vec<u8>,
    /// Request timeout (default 10 s).
    pub timeout: Duration,
}

impl std::fmt::Debug for NetIdConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetIdConfig")
            .field("base_url", &self.base_url)
            .field("app_id", &self.app_id)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl NetIdConfig {
    /// A configuration with a 10 s timeout.
    pub fn new(
        base_url: impl Into<String>,
        app_id: impl Into<String>,
        app_secret: impl Into<Vec<u8>>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Why a verification did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetIdFailure {
    /// The credential is not in the service's format.
    Malformed,
    /// The credential was altered or forged.
    BadSignature,
    /// The credential expired; the user should fetch a new one in the national app.
    Expired,
    /// The credential was issued for another platform.
    WrongApp,
    /// The credential was already used.
    Replayed,
    /// The 网号 is not (or no longer) enrolled.
    UnknownPerson,
    /// The 网号 is valid but not the one bound to this account.
    AccountMismatch,
    /// The service gave a reason this client does not know.
    Other,
}

impl NetIdFailure {
    /// Message for the user, in Chinese.
    pub fn message_zh(self) -> &'static str {
        match self {
            NetIdFailure::Malformed => "网证格式不正确，请在国家网络身份认证App中重新获取",
            NetIdFailure::BadSignature => "网证校验失败，请重新获取",
            NetIdFailure::Expired => "网证已过期，请在国家网络身份认证App中重新获取",
            NetIdFailure::WrongApp => "该网证不是为本平台签发的，请重新获取",
            NetIdFailure::Replayed => "该网证已使用，请重新获取",
            NetIdFailure::UnknownPerson => "网号无效或已注销",
            NetIdFailure::AccountMismatch => "网号与本账号绑定的网号不一致",
            NetIdFailure::Other => "网络身份认证未通过",
        }
    }

    /// Message for the user, in English.
    pub fn message_en(self) -> &'static str {
        match self {
            NetIdFailure::Malformed => {
                "the network credential is malformed; fetch a new one in the national app"
            }
            NetIdFailure::BadSignature => {
                "the network credential failed its check; fetch a new one"
            }
            NetIdFailure::Expired => {
                "the network credential expired; fetch a new one in the national app"
            }
            NetIdFailure::WrongApp => "the network credential was issued for another platform",
            NetIdFailure::Replayed => "the network credential was already used; fetch a new one",
            NetIdFailure::UnknownPerson => "the network number is not valid or was cancelled",
            NetIdFailure::AccountMismatch => {
                "the network number is not the one bound to this account"
            }
            NetIdFailure::Other => "network identity authentication did not pass",
        }
    }
}

/// All the platform keeps from a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetIdOutcome {
    /// The credential is valid and (if one is bound) names the account's 网号.
    pub passed: bool,
    /// The 网号, only when `passed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_number: Option<String>,
    /// When the service verified it (Unix seconds).
    pub verified_at: i64,
    /// Why it did not pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<NetIdFailure>,
}

/// The service could not be asked or gave no usable answer (not a failed verification).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetIdError {
    /// Base URL unusable.
    #[error(
        "network identity service URL is not an absolute http:// URL; fix netid base_url in the \
         config"
    )]
    InvalidUrl,
    /// Configuration incomplete.
    #[error("network identity app id and app secret must both be set")]
    MissingAppCredentials,
    /// The service refused our app id or signature.
    #[error(
        "the network identity service refused this platform's app id or signature (HTTP 401); \
         check netid app_id/app_secret and the server clock"
    )]
    AppAuthRejected,
    /// Connection failed.
    #[error("cannot connect to the network identity service; check that it runs and the URL")]
    Connect,
    /// No answer in time.
    #[error("the network identity service did not answer within the timeout")]
    Timeout,
    /// Unexpected status.
    #[error("the network identity service answered with HTTP status {status}")]
    Status {
        /// HTTP status.
        status: u16,
    },
    /// Answer not understood.
    #[error("the network identity service sent an answer this client does not understand")]
    BadAnswer,
}

#[derive(Deserialize)]
struct Answer {
    result: String,
    #[serde(default)]
    network_number: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    verified_at: Option<i64>,
}

/// The verifier.
#[derive(Debug, Clone)]
pub struct NetIdClient {
    config: NetIdConfig,
    url: String,
    client: HttpClient,
}

impl NetIdClient {
    /// A client; checks the configuration.
    pub fn new(config: NetIdConfig) -> Result<Self, NetIdError> {
        if config.app_id.is_empty() || config.app_secret.is_empty() {
            return Err(NetIdError::MissingAppCredentials);
        }
        let url = format!("{}/v1/auth/verify", config.base_url.trim_end_matches('/'));
        if !http::valid_http_url(&url) {
            return Err(NetIdError::InvalidUrl);
        }
        Ok(Self {
            config,
            url,
            client: http::client(),
        })
    }

    /// Verifies `credential`; if `bound_network_number` is given (the 网号 bound to the account
    /// at registration), a valid credential for another 网号 does not pass.
    pub async fn verify(
        &self,
        credential: &str,
        bound_network_number: Option<&str>,
    ) -> Result<NetIdOutcome, NetIdError> {
        let now = crate::now_secs();
        let credential = credential.trim();
        if credential.is_empty() || credential.len() > MAX_CREDENTIAL_LEN {
            return Ok(NetIdOutcome {
                passed: false,
                network_number: None,
                verified_at: now,
                failure: Some(NetIdFailure::Malformed),
            });
        }
        let body = serde_json::to_vec(&serde_json::json!({ "credential": credential }))
            .map_err(|_| NetIdError::BadAnswer)?;
        let sig = crate::hmac_signature(&self.config.app_secret, now, &body);
        let (status, answer) = http::post_json(
            &self.client,
            &self.url,
            &[
                ("x-netid-app-id", &self.config.app_id),
                ("x-netid-signature", &sig),
            ],
            body,
            self.config.timeout,
        )
        .await
        .map_err(|e| match e {
            HttpFail::Request => NetIdError::InvalidUrl,
            HttpFail::Timeout => NetIdError::Timeout,
            HttpFail::Connect => NetIdError::Connect,
            HttpFail::Body => NetIdError::BadAnswer,
        })?;
        match status {
            200 => {}
            401 | 403 => return Err(NetIdError::AppAuthRejected),
            s => return Err(NetIdError::Status { status: s }),
        }
        let a: Answer = serde_json::from_slice(&answer).map_err(|_| NetIdError::BadAnswer)?;
        let verified_at = a.verified_at.unwrap_or(now);
        let fail = |f: NetIdFailure| NetIdOutcome {
            passed: false,
            network_number: None,
            verified_at,
            failure: Some(f),
        };
        match a.result.as_str() {
            "pass" => {
                let Some(nn) = a.network_number.filter(|n| {
                    !n.is_empty() && n.len() <= 64 && n.bytes().all(|b| b.is_ascii_alphanumeric())
                }) else {
                    return Err(NetIdError::BadAnswer);
                };
                if bound_network_number.is_some_and(|b| b != nn) {
                    return Ok(fail(NetIdFailure::AccountMismatch));
                }
                Ok(NetIdOutcome {
                    passed: true,
                    network_number: Some(nn),
                    verified_at,
                    failure: None,
                })
            }
            "fail" => Ok(fail(match a.reason.as_deref() {
                Some("malformed") => NetIdFailure::Malformed,
                Some("bad_signature") => NetIdFailure::BadSignature,
                Some("expired") => NetIdFailure::Expired,
                Some("wrong_app") => NetIdFailure::WrongApp,
                Some("replayed") => NetIdFailure::Replayed,
                Some("unknown_person") => NetIdFailure::UnknownPerson,
                _ => NetIdFailure::Other,
            })),
            _ => Err(NetIdError::BadAnswer),
        }
    }
}
