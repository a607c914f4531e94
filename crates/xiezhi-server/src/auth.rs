//! Who is calling: a platform or admin API key (`Authorization: Bearer xzk_…`), or an end
//! user with a platform-signed token (`Authorization: Bearer <JWT>`).
//!
//! API keys are stored hashed; a verified key is remembered in memory for a few seconds so a
//! decision costs no database round trip (a revoked key stops working on other nodes within
//! [`KEY_CACHE_TTL`]).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use xiezhi_store::{ApiKey, KeyScope};

use crate::AppState;
use crate::error::ApiError;

/// How long a verified (or rejected) API key is remembered.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(10);

/// A verification result and when it was made.
type Remembered = (Option<Arc<ApiKey>>, Instant);

/// Remembered key verifications, keyed by SHA-256 of the presented key.
#[derive(Debug, Default)]
pub struct KeyCache {
    entries: RwLock<HashMap<[u8; 32], Remembered>>,
}

impl KeyCache {
    fn get(&self, digest: &[u8; 32]) -> Option<Option<Arc<ApiKey>>> {
        let map = match self.entries.read() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        map.get(digest)
            .filter(|(_, at)| at.elapsed() < KEY_CACHE_TTL)
            .map(|(k, _)| k.clone())
    }

    fn put(&self, digest: [u8; 32], key: Option<Arc<ApiKey>>) {
        let mut map = match self.entries.write() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if map.len() > 10_000 {
            map.retain(|_, (_, at)| at.elapsed() < KEY_CACHE_TTL);
            if map.len() > 10_000 {
                map.clear();
            }
        }
        map.insert(digest, (key, Instant::now()));
    }

    /// Forgets every remembered key (after a revocation on this node).
    pub fn clear(&self) {
        match self.entries.write() {
            Ok(mut m) => m.clear(),
            Err(p) => p.into_inner().clear(),
        }
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let rest = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(rest.trim())
}

async fn api_key(parts: &Parts, state: &AppState) -> Result<Arc<ApiKey>, ApiError> {
    let Some(presented) = bearer(parts) else {
        return Err(ApiError::unauthorized(
            "missing API key: send `Authorization: Bearer xzk_…`",
        ));
    };
    if !presented.starts_with("xzk_") {
        return Err(ApiError::unauthorized("not an API key (expected xzk_…)"));
    }
    let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
    let found = match state.keys.get(&digest) {
        Some(k) => k,
        None => {
            let k = state
                .engine
                .store()
                .authenticate_key(presented)
                .await
                .map_err(ApiError::from)?
                .map(Arc::new);
            state.keys.put(digest, k.clone());
            k
        }
    };
    found.ok_or_else(|| ApiError::unauthorized("unknown or revoked API key"))
}

/// The presented API key, if it has `scope`.
async fn key_with_scope(
    parts: &Parts,
    state: &AppState,
    scope: KeyScope,
) -> Result<Arc<ApiKey>, ApiError> {
    let key = api_key(parts, state).await?;
    if key.scopes.contains(&scope) {
        Ok(key)
    } else {
        Err(ApiError::forbidden(format!(
            "this API key lacks the `{}` scope",
            scope.as_str()
        )))
    }
}

/// A caller holding an API key with the `platform` scope.
#[derive(Debug, Clone)]
pub struct PlatformKey(pub Arc<ApiKey>);

impl FromRequestParts<AppState> for PlatformKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        key_with_scope(parts, state, KeyScope::Platform)
            .await
            .map(Self)
    }
}

/// A caller holding an API key with the `admin` scope.
#[derive(Debug, Clone)]
pub struct AdminKey(pub Arc<ApiKey>);

impl FromRequestParts<AppState> for AdminKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        key_with_scope(parts, state, KeyScope::Admin)
            .await
            .map(Self)
    }
}

/// An end user, identified by a platform-signed token for exactly this subject.
#[derive(Debug, Clone)]
pub struct User {
    /// The subject id from the token.
    pub subject: String,
}

impl FromRequestParts<AppState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = bearer(parts) else {
            return Err(ApiError::unauthorized(
                "missing user token: send `Authorization: Bearer <token signed by the platform>`",
            ));
        };
        if token.starts_with("xzk_") {
            return Err(ApiError::forbidden(
                "API keys cannot act as a user; use a user token signed by the platform",
            ));
        }
        let now = xiezhi_decide::time::now_millis() / 1000;
        let claims = state
            .tokens
            .verify(token, now)
            .map_err(|e| ApiError::unauthorized(e.to_string()))?;
        Ok(Self {
            subject: claims.sub,
        })
    }
}
