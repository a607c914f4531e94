//! End-user tokens: the platform signs, for one user, a short-lived token that lets that user
//! (and only that user) read and change their own settings in the privacy center and the
//! `/v1/me` endpoints.
//!
//! The format is a compact JWT with `alg: HS256` (any JWT library on the platform side can mint
//! it) and the claims `sub` (the subject id), `exp` (seconds since the epoch), optional `iat`,
//! and `aud` which must be `xiezhi`. Other algorithms — above all `none` — are refused.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The audience every token must name.
pub const AUDIENCE: &str = "xiezhi";

/// Minimum length of the shared secret (bytes).
pub const MIN_SECRET_LEN: usize = 32;

/// Why a token was refused. The messages never include the token or the subject.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url parts.
    #[error("malformed token: expected header.claims.signature in base64url")]
    Malformed,
    /// Header names another algorithm.
    #[error("unsupported token algorithm: only HS256 is accepted")]
    Algorithm,
    /// Signature does not match.
    #[error("token signature does not match the platform secret")]
    Signature,
    /// `exp` is in the past.
    #[error("token expired")]
    Expired,
    /// `aud` is not `xiezhi`.
    #[error("token audience is not \"xiezhi\"")]
    Audience,
    /// Claims lack a usable subject.
    #[error("token has no subject (sub)")]
    Subject,
    /// The secret is too short to be safe.
    #[error("user-token secret must be at least {MIN_SECRET_LEN} bytes")]
    WeakSecret,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    typ: Option<String>,
}

/// The claims of a user token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// Subject id (the platform's user id).
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// Audience: `xiezhi`.
    pub aud: String,
}

/// Signs and checks user tokens with the platform's shared secret.
#[derive(Clone)]
pub struct TokenKey {
    mac: HmacSha256,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

impl TokenKey {
    /// A key from the shared secret (at least [`MIN_SECRET_LEN`] bytes).
    pub fn new(secret: &[u8]) -> Result<Self, TokenError> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(TokenError::WeakSecret);
        }
        let mac =
            <HmacSha256 as KeyInit>::new_from_slice(secret).map_err(|_| TokenError::WeakSecret)?;
        Ok(Self { mac })
    }

    fn mac(&self) -> HmacSha256 {
        self.mac.clone()
    }

    /// Mints a token for `subject` valid until `exp` (seconds since the epoch).
    pub fn issue(&self, subject: &str, iat: i64, exp: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let claims = Claims {
            sub: subject.to_owned(),
            exp,
            iat: Some(iat),
            aud: AUDIENCE.to_owned(),
        };
        let claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default());
        let signing_input = format!("{header}.{claims}");
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{sig}")
    }

    /// Checks `token` at `now` (seconds since the epoch) and returns its claims.
    pub fn verify(&self, token: &str, now: i64) -> Result<Claims, TokenError> {
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let header: Header = URL_SAFE_NO_PAD
            .decode(h)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Malformed)?;
        if header.alg != "HS256" {
            return Err(TokenError::Algorithm);
        }
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| TokenError::Malformed)?;
        let mut mac = self.mac();
        mac.update(h.as_bytes());
        mac.update(b".");
        mac.update(c.as_bytes());
        mac.verify_slice(&sig).map_err(|_| TokenError::Signature)?;
        let claims: Claims = URL_SAFE_NO_PAD
            .decode(c)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Malformed)?;
        if claims.aud != AUDIENCE {
            return Err(TokenError::Audience);
        }
        if claims.exp <= now {
            return Err(TokenError::Expired);
        }
        if claims.sub.is_empty() || claims.sub.len() > crate::limits::MAX_SUBJECT_LEN {
            return Err(TokenError::Subject);
        }
        Ok(claims)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key() -> TokenKey {
        TokenKey::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn round_trip() {
        let t = key().issue("u123", 1000, 2000);
        let c = key().verify(&t, 1500).unwrap();
        assert_eq!(c.sub, "u123");
    }

    #[test]
    fn refusals() {
        let k = key();
        let t = k.issue("u123", 1000, 2000);
        assert_eq!(k.verify(&t, 2000), Err(TokenError::Expired));
        let other = TokenKey::new(&[8u8; 32]).unwrap();
        assert_eq!(other.verify(&t, 1500), Err(TokenError::Signature));
        // Swap the claims for another user's, keep the signature: refused.
        let forged_claims = URL_SAFE_NO_PAD.encode(br#"{"sub":"u999","exp":2000,"aud":"xiezhi"}"#);
        let mut parts: Vec<&str> = t.split('.').collect();
        parts[1] = &forged_claims;
        assert_eq!(k.verify(&parts.join("."), 1500), Err(TokenError::Signature));
        // alg none.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            forged_claims
        );
        assert_eq!(k.verify(&none, 1500), Err(TokenError::Algorithm));
        assert_eq!(k.verify("abc", 1500), Err(TokenError::Malformed));
        assert!(TokenKey::new(b"short").is_err());
    }
}
