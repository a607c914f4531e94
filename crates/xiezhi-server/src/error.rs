//! API errors: a status, a stable code and a message that never contains a PI value.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code, e.g. `tag_tombstoned`.
    pub code: &'static str,
    /// What went wrong and what to do.
    pub message: String,
}

/// An error answered to the client.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: &'static str,
    /// Message (no PI).
    pub message: String,
}

impl ApiError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 422 invalid input.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", message)
    }

    /// 401: no or bad credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: credentials without the needed scope.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// 500 from an internal failure; the detail goes to the log, not to the client.
    pub fn internal(err: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see the server log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<xiezhi_store::StoreError> for ApiError {
    fn from(e: xiezhi_store::StoreError) -> Self {
        use xiezhi_store::StoreError as E;
        match e {
            E::TagTombstoned { .. } => Self::new(
                StatusCode::CONFLICT,
                "tag_tombstoned",
                "the user deleted this tag; it may not be registered again",
            ),
            E::TagNotFound { .. } => {
                Self::not_found("tag_not_found", "no such tag for this subject")
            }
            E::ConsentNotGranted { .. } => Self::new(
                StatusCode::CONFLICT,
                "consent_not_granted",
                "there is no granted consent for this purpose to withdraw",
            ),
            E::GuardianNotLinked => Self::new(
                StatusCode::CONFLICT,
                "guardian_not_linked",
                "guardian consent needs a linked guardian; link one first (POST /v1/subjects/{subject}/guardian)",
            ),
            E::GuardianMismatch => Self::new(
                StatusCode::CONFLICT,
                "guardian_mismatch",
                "the guardian named is not the guardian linked to this subject",
            ),
            E::InvalidInput(m) => Self::invalid(m),
            other => Self::internal(&other),
        }
    }
}
