//! Identity verification of rights requests with minimal data (SR-ID-01..03; Reg. art. 25(1);
//! PIPL 50; MPS Order 173).
//!
//! Staff (admin key) start a challenge for a request, stating what the account registered with;
//! the method must be one the account can use (a 网号/网证 user is never asked for plaintext
//! identity). The address or number to send a code to is used once and not stored; the code is
//! stored only as a keyed digest. The requester answers at the public endpoint with the code or
//! the 网证 credential; a pass moves the request to `identity_verified`, keeping only the method
//! and, for 网号/网证, the network number.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xiezhi_identity::Method;
use xiezhi_identity::otp;

use crate::AppState;
use crate::auth::AdminKey;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::limits::check_id;

fn now_ms() -> i64 {
    xiezhi_decide::time::now_millis()
}

fn services(state: &AppState) -> Result<&crate::IdentityServices, ApiError> {
    state.identity.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "identity_not_configured",
            "identity verification is not configured on this server (see xiezhi serve --help: --smtp, --sms-gateway, --netid-url)",
        )
    })
}

fn unavailable(what: &str, flag: &str) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "identity_channel_not_configured",
        format!("{what} is not configured on this server; start xiezhi serve with {flag}"),
    )
}

/// What the account registered with: only these may be used to verify (SR-ID-02).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationBody {
    /// An e-mail address is on the account.
    #[serde(default)]
    pub has_email: bool,
    /// A phone number is on the account.
    #[serde(default)]
    pub has_phone: bool,
    /// The 网号 bound at registration, if the account registered with 网号/网证.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub network_number: Option<String>,
}

/// Start a verification.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartIdentity {
    /// `email_code`, `sms_code` or `network_identity`.
    pub method: String,
    /// What the account registered with.
    pub registration: RegistrationBody,
    /// Where to send the code: the account's registered e-mail address (used once, not stored).
    #[serde(default)]
    #[schema(max_length = 254)]
    pub email: Option<String>,
    /// Where to send the code: the account's registered phone number (used once, not stored).
    #[serde(default)]
    #[schema(max_length = 32)]
    pub phone: Option<String>,
    /// `zh-CN` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// A started challenge.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChallengeView {
    /// Challenge id.
    pub challenge_id: String,
    /// Method.
    pub method: String,
    /// Where the code went, masked (e.g. `z***@example.com`, `138****5678`).
    pub sent_to: Option<String>,
    /// When the code expires (RFC 3339); none for 网号/网证.
    pub expires_at: Option<String>,
    /// What the requester does next (zh-CN and en).
    pub next_step: String,
    /// The page where the requester answers (send it to them), relative to this server.
    pub verify_url: String,
}

fn mask_email(e: &str) -> String {
    match e.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

fn mask_phone(p: &str) -> String {
    let digits: Vec<char> = p.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 {
        return "****".into();
    }
    let head: String = digits[..3].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

fn method_of(s: &str) -> Result<Method, ApiError> {
    match s {
        "email_code" => Ok(Method::EmailCode),
        "sms_code" => Ok(Method::SmsCode),
        "network_identity" => Ok(Method::NetworkIdentity),
        _ => Err(ApiError::invalid(
            "method must be email_code, sms_code or network_identity (a signed-in user is verified by the user token at intake)",
        )),
    }
}

/// What is stored for a challenge: the code challenge (digests only), or the 网号 expected.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Stored {
    Code { challenge: otp::Challenge },
    Network { bound: Option<String> },
}

/// Start verifying the requester of a request: send a one-time code to the registered e-mail
/// address or phone, or expect a 网证. The method must be one the account registered with.
#[utoipa::path(post, path = "/v1/admin/rights-requests/{id}/identity", tag = "rights",
    params(("id" = String, Path)), request_body = StartIdentity, security(("api_key" = [])),
    responses((status = 200, body = ChallengeView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    _key: AdminKey,
    Path(id): Path<String>,
    Json(b): Json<StartIdentity>,
) -> Result<Json<ChallengeView>, ApiError> {
    check_id("id", &id, 64)?;
    let svc = services(&state)?;
    let method = method_of(&b.method)?;
    if let Some(n) = &b.registration.network_number {
        check_id("registration.network_number", n, 64)?;
    }
    let reg = xiezhi_identity::Registration {
        has_email: b.registration.has_email,
        has_phone: b.registration.has_phone,
        network_number: b.registration.network_number.clone(),
        signed_in_token: false,
        plaintext_id_on_file: false,
    };
    xiezhi_identity::check_method(&reg, method).map_err(|e| ApiError::invalid(e.to_string()))?;
    let request = state
        .engine
        .store()
        .get_rights_request(&id)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                "rights_request_not_found",
                format!("no rights request '{id}'"),
            )
        })?;
    if request.state != "received" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "rights_request_state",
            format!(
                "rights request '{id}' is '{}'; identity is verified only while 'received'",
                request.state
            ),
        ));
    }
    let lang = match b.lang.as_deref() {
        Some("en") => xiezhi_identity::smtp::Lang::En,
        _ => xiezhi_identity::smtp::Lang::ZhCn,
    };
    let now_s = xiezhi_identity::now_secs();
    let (stored, sent_to, expires_at, next) = match method {
        Method::EmailCode => {
            let to = b.email.as_deref().ok_or_else(|| {
                ApiError::invalid(
                    "email is required for email_code: the account's registered address",
                )
            })?;
            let mailer = svc
                .mailer
                .as_ref()
                .ok_or_else(|| unavailable("e-mail", "--smtp HOST:PORT --smtp-from ADDRESS"))?;
            let (challenge, code) = otp::issue(&svc.otp_key, &svc.otp, method, &id, now_s)
                .map_err(|e| ApiError::internal(&e))?;
            let mail = xiezhi_identity::smtp::verification_email(
                to,
                &code,
                svc.otp.ttl_minutes(),
                lang,
                &svc.platform_name,
            );
            mailer.send(&mail).await.map_err(|e| {
                ApiError::new(StatusCode::BAD_GATEWAY, "delivery_failed", e.to_string())
            })?;
            let exp = challenge.expires_at;
            (
                Stored::Code { challenge },
                Some(mask_email(to)),
                Some(xiezhi_decide::time::format_rfc3339(exp * 1000)),
                "输入邮件中的验证码 · enter the code from the e-mail",
            )
        }
        Method::SmsCode => {
            let to = b.phone.as_deref().ok_or_else(|| {
                ApiError::invalid("phone is required for sms_code: the account's registered number")
            })?;
            let sms = svc
                .sms
                .as_ref()
                .ok_or_else(|| unavailable("SMS", "--sms-gateway URL"))?;
            let (challenge, code) = otp::issue(&svc.otp_key, &svc.otp, method, &id, now_s)
                .map_err(|e| ApiError::internal(&e))?;
            let msg = xiezhi_identity::sms::verification_sms(
                to,
                &code,
                svc.otp.ttl_minutes(),
                lang,
                &svc.platform_name,
            );
            sms.send(&msg).await.map_err(|e| {
                ApiError::new(StatusCode::BAD_GATEWAY, "delivery_failed", e.to_string())
            })?;
            let exp = challenge.expires_at;
            (
                Stored::Code { challenge },
                Some(mask_phone(to)),
                Some(xiezhi_decide::time::format_rfc3339(exp * 1000)),
                "输入短信中的验证码 · enter the code from the SMS",
            )
        }
        Method::NetworkIdentity | Method::Token => {
            if svc.netid.is_none() {
                return Err(unavailable(
                    "the network identity service",
                    "--netid-url URL --netid-app-id ID --netid-secret-file FILE",
                ));
            }
            (
                Stored::Network {
                    bound: reg.network_number.clone(),
                },
                None,
                None,
                "在国家网络身份认证App中获取网证并提交 · fetch a 网证 in the national network identity app and submit it",
            )
        }
    };
    let json = serde_json::to_string(&stored).map_err(|e| ApiError::internal(&e))?;
    let ch = state
        .engine
        .store()
        .put_identity_challenge(&id, method.id(), &json, now_ms())
        .await?;
    Ok(Json(ChallengeView {
        challenge_id: ch.id,
        method: method.id().to_owned(),
        sent_to,
        expires_at,
        next_step: next.to_owned(),
        verify_url: format!("/privacy/verify?request={id}"),
    }))
}

/// The requester's answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerIdentity {
    /// The one-time code (e-mail or SMS).
    #[serde(default)]
    #[schema(max_length = 16)]
    pub code: Option<String>,
    /// The 网证 credential from the national app.
    #[serde(default)]
    #[schema(max_length = 4096)]
    pub credential: Option<String>,
}

/// The result.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    /// The request's state now (`identity_verified` on success).
    pub state: String,
    /// The method that verified.
    pub method: String,
}

/// Answer a verification: the requester submits the code or the 网证 (public, rate-limited;
/// a challenge allows 5 attempts).
#[utoipa::path(post, path = "/v1/rights-requests/{id}/identity", tag = "rights",
    params(("id" = String, Path)), request_body = AnswerIdentity,
    responses((status = 200, body = AnswerView), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(b): Json<AnswerIdentity>,
) -> Result<Json<AnswerView>, ApiError> {
    check_id("id", &id, 64)?;
    let r = verify_answer(&state, &id, b.code.as_deref(), b.credential.as_deref()).await?;
    Ok(Json(AnswerView {
        state: r.state,
        method: r.identity_method.unwrap_or_default(),
    }))
}

/// Checks an answer and, on a pass, records the verification (shared with `/privacy/verify`).
pub async fn verify_answer(
    state: &AppState,
    id: &str,
    code: Option<&str>,
    credential: Option<&str>,
) -> Result<xiezhi_store::RightsRequest, ApiError> {
    let svc = services(state)?;
    let store = state.engine.store();
    let not_found = || {
        ApiError::not_found(
            "identity_challenge_not_found",
            "no open identity verification for this request; ask the platform to start one",
        )
    };
    let ch = store
        .latest_identity_challenge(id)
        .await?
        .ok_or_else(not_found)?;
    if ch.state != "open" {
        return Err(not_found());
    }
    let stored: Stored = serde_json::from_str(&ch.challenge)
        .map_err(|_| ApiError::internal(&"stored identity challenge is malformed"))?;
    let (method, reference) = match stored {
        Stored::Code { mut challenge } => {
            let code = code.ok_or_else(|| ApiError::invalid("code is required"))?;
            let result = otp::verify(
                &svc.otp_key,
                &mut challenge,
                code,
                xiezhi_identity::now_secs(),
            );
            let json = serde_json::to_string(&Stored::Code {
                challenge: challenge.clone(),
            })
            .map_err(|e| ApiError::internal(&e))?;
            match result {
                Ok(()) => {
                    store
                        .update_identity_challenge(&ch.id, "passed", &json, now_ms())
                        .await?;
                    (challenge.method, None)
                }
                Err(e) => {
                    let final_state = match e {
                        otp::OtpError::WrongCode { .. } => "open",
                        _ => "failed",
                    };
                    store
                        .update_identity_challenge(&ch.id, final_state, &json, now_ms())
                        .await?;
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "identity_not_verified",
                        e.to_string(),
                    ));
                }
            }
        }
        Stored::Network { bound } => {
            let credential =
                credential.ok_or_else(|| ApiError::invalid("credential is required"))?;
            let client = svc.netid.as_ref().ok_or_else(|| {
                unavailable(
                    "the network identity service",
                    "--netid-url URL --netid-app-id ID --netid-secret-file FILE",
                )
            })?;
            let outcome = client
                .verify(credential, bound.as_deref())
                .await
                .map_err(|e| {
                    ApiError::new(
                        StatusCode::BAD_GATEWAY,
                        "identity_service_failed",
                        e.to_string(),
                    )
                })?;
            if !outcome.passed {
                let f = outcome
                    .failure
                    .unwrap_or(xiezhi_identity::netid::NetIdFailure::Other);
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "identity_not_verified",
                    format!("{} · {}", f.message_zh(), f.message_en()),
                ));
            }
            store
                .update_identity_challenge(&ch.id, "passed", &ch.challenge, now_ms())
                .await?;
            (Method::NetworkIdentity, outcome.network_number)
        }
    };
    let wf = state.rights()?;
    wf.verify_identity(id, method.id(), reference.as_deref(), "requester", now_ms())
        .await
        .map_err(|e| ApiError::new(StatusCode::CONFLICT, "rights_request_state", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_little() {
        assert_eq!(mask_email("zhang.wei@example.com"), "z***@example.com");
        assert_eq!(mask_phone("138 1234 5678"), "138****5678");
        assert_eq!(mask_phone("12"), "****");
    }
}
