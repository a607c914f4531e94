//! One-time codes: six decimal digits from the OS CSPRNG, stored only as
//! `HMAC-SHA256(server secret, "xiezhi-otp-v1\n" challenge id "\n" binding "\n" code)`, with an
//! expiry and a limit on attempts. The code itself is returned once, to be sent; it is never
//! stored, logged or shown by `Debug`, and the [`Challenge`] holds neither the code nor the
//! address it went to.
//!
//! Times are seconds since the Unix epoch (UTC).

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::Method;

type HmacSha256 = Hmac<Sha256>;

/// Minimum length of the server secret (bytes).
pub const MIN_SECRET_LEN: usize = 32;

/// Number of digits in a code.
pub const CODE_DIGITS: usize = 6;

/// Expiry, attempt and resend limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OtpConfig {
    /// How long a code is valid, in seconds (default 600 = 10 minutes).
    pub ttl_secs: i64,
    /// How many wrong or right guesses a challenge accepts (default 5).
    pub max_attempts: u32,
    /// Least time between two codes for the same binding, in seconds (default 60); see
    /// [`resend_allowed`].
    pub min_resend_secs: i64,
}

impl Default for OtpConfig {
    fn default() -> Self {
        Self {
            ttl_secs: 600,
            max_attempts: 5,
            min_resend_secs: 60,
        }
    }
}

impl OtpConfig {
    /// The validity in whole minutes, rounded up (for the message text).
    pub fn ttl_minutes(&self) -> i64 {
        (self.ttl_secs + 59) / 60
    }
}

/// Why a code was not issued or not accepted. Messages never contain the code or the address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    /// The server secret is too short.
    #[error(
        "one-time-code secret must be at least {MIN_SECRET_LEN} bytes; generate 32 random bytes \
         and keep them in the server's configuration"
    )]
    WeakSecret,
    /// The OS random source failed.
    #[error("cannot draw a one-time code: the OS random source failed")]
    Random,
    /// The configuration is unusable.
    #[error("one-time-code configuration invalid: ttl_secs and max_attempts must be positive")]
    Config,
    /// The challenge expired.
    #[error("the verification code expired; request a new one / 验证码已过期，请重新获取")]
    Expired,
    /// The attempt limit was reached.
    #[error(
        "too many attempts for this verification code; request a new one / 验证码错误次数过多，\
         请重新获取"
    )]
    TooManyAttempts,
    /// The code was already used.
    #[error(
        "this verification code was already used; request a new one / 验证码已使用，请重新获取"
    )]
    AlreadyUsed,
    /// The code does not match.
    #[error(
        "wrong verification code ({remaining} attempts left) / 验证码不正确（还可尝试 {remaining} 次）"
    )]
    WrongCode {
        /// Attempts left before the challenge locks.
        remaining: u32,
    },
    /// The stored challenge is damaged (digest not hex).
    #[error("stored verification challenge is malformed (digest); issue a new one")]
    Malformed,
}

/// A freshly drawn code. Its `Debug` is redacted; use [`OtpCode::as_str`] only to put it in the
/// message to the user.
#[derive(Clone, PartialEq, Eq)]
pub struct OtpCode(String);

impl OtpCode {
    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OtpCode(******)")
    }
}

/// A pending verification, safe to persist: it holds the code's keyed digest, never the code
/// or the address it was sent to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// Random id (32 hex characters).
    pub id: String,
    /// How the code was delivered.
    pub method: Method,
    /// What the code is bound to (e.g. the rights request id); it enters the digest, so a
    /// code issued for one request does not verify another.
    pub binding: String,
    /// Hex HMAC-SHA256 of the code (see the module docs).
    pub digest: String,
    /// When it was issued (Unix seconds).
    pub issued_at: i64,
    /// When it stops being valid (Unix seconds, exclusive).
    pub expires_at: i64,
    /// Attempts made so far.
    pub attempts: u32,
    /// Attempts allowed.
    pub max_attempts: u32,
    /// Set once the right code was entered; a challenge verifies once.
    pub used: bool,
}

/// The server secret that keys code digests. `Debug` is redacted.
#[derive(Clone)]
pub struct OtpKey {
    mac: HmacSha256,
}

impl std::fmt::Debug for OtpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OtpKey(..)")
    }
}

impl OtpKey {
    /// A key from the server secret (at least [`MIN_SECRET_LEN`] bytes).
    pub fn new(secret: &[u8]) -> Result<Self, OtpError> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(OtpError::WeakSecret);
        }
        let mac =
            <HmacSha256 as KeyInit>::new_from_slice(secret).map_err(|_| OtpError::WeakSecret)?;
        Ok(Self { mac })
    }

    fn mac_for(&self, id: &str, binding: &str, code: &str) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(b"xiezhi-otp-v1\n");
        mac.update(id.as_bytes());
        mac.update(b"\n");
        mac.update(binding.as_bytes());
        mac.update(b"\n");
        mac.update(code.as_bytes());
        mac
    }
}

/// A uniformly random code of [`CODE_DIGITS`] digits (rejection sampling, no modulo bias).
fn draw_code() -> Result<String, OtpError> {
    const RANGE: u32 = 1_000_000;
    // Largest multiple of RANGE that fits in u32.
    const LIMIT: u32 = u32::MAX - (u32::MAX % RANGE);
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).map_err(|_| OtpError::Random)?;
        let v = u32::from_le_bytes(b);
        if v < LIMIT {
            return Ok(format!("{:06}", v % RANGE));
        }
    }
}

fn random_id() -> Result<String, OtpError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|_| OtpError::Random)?;
    Ok(hex::encode(b))
}

/// Issues a challenge bound to `binding` at `now`; returns it (to persist) and the code (to
/// send, then drop).
pub fn issue(
    key: &OtpKey,
    config: &OtpConfig,
    method: Method,
    binding: &str,
    now: i64,
) -> Result<(Challenge, OtpCode), OtpError> {
    if config.ttl_secs <= 0 || config.max_attempts == 0 {
        return Err(OtpError::Config);
    }
    let id = random_id()?;
    let code = draw_code()?;
    let digest = hex::encode(key.mac_for(&id, binding, &code).finalize().into_bytes());
    let challenge = Challenge {
        id,
        method,
        binding: binding.to_owned(),
        digest,
        issued_at: now,
        expires_at: now.saturating_add(config.ttl_secs),
        attempts: 0,
        max_attempts: config.max_attempts,
        used: false,
    };
    Ok((challenge, OtpCode(code)))
}

/// Whether a new code may be sent while `last` (the latest challenge for the same binding) is
/// pending: after [`OtpConfig::min_resend_secs`], or at once if `last` is used, expired or
/// locked. Returns the earliest time otherwise.
pub fn resend_allowed(last: &Challenge, config: &OtpConfig, now: i64) -> Result<(), i64> {
    let finished = last.used || now >= last.expires_at || last.attempts >= last.max_attempts;
    let earliest = last.issued_at.saturating_add(config.min_resend_secs);
    if finished || now >= earliest {
        Ok(())
    } else {
        Err(earliest)
    }
}

/// Checks `code` against the challenge at `now`, counting the attempt. The comparison of
/// digests is constant-time. Persist the challenge after every call (the attempt counter and
/// `used` flag change).
pub fn verify(
    key: &OtpKey,
    challenge: &mut Challenge,
    code: &str,
    now: i64,
) -> Result<(), OtpError> {
    if challenge.used {
        return Err(OtpError::AlreadyUsed);
    }
    if now >= challenge.expires_at {
        return Err(OtpError::Expired);
    }
    if challenge.attempts >= challenge.max_attempts {
        return Err(OtpError::TooManyAttempts);
    }
    challenge.attempts += 1;
    let remaining = challenge.max_attempts - challenge.attempts;
    let expected = hex::decode(&challenge.digest).map_err(|_| OtpError::Malformed)?;
    // Accept full-width digits and surrounding spaces as typed on phones; anything else that is
    // not six ASCII digits is simply wrong (and still counts as an attempt).
    let normalized: String = code
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    let ok = key
        .mac_for(&challenge.id, &challenge.binding, &normalized)
        .verify_slice(&expected)
        .is_ok();
    if ok {
        challenge.used = true;
        Ok(())
    } else {
        Err(OtpError::WrongCode { remaining })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> OtpKey {
        match OtpKey::new(&[7u8; 32]) {
            Ok(k) => k,
            Err(e) => panic!("{e}"),
        }
    }

    fn fresh(now: i64) -> (Challenge, OtpCode) {
        match issue(
            &key(),
            &OtpConfig::default(),
            Method::EmailCode,
            "req-1",
            now,
        ) {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn right_code_verifies_once() {
        let (mut ch, code) = fresh(1000);
        assert_eq!(code.as_str().len(), 6);
        assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
        assert!(!ch.digest.contains(code.as_str()));
        assert_eq!(ch.expires_at, 1600);
        assert_eq!(verify(&key(), &mut ch, code.as_str(), 1599), Ok(()));
        assert_eq!(
            verify(&key(), &mut ch, code.as_str(), 1599),
            Err(OtpError::AlreadyUsed)
        );
    }

    #[test]
    fn expired_wrong_and_too_many() {
        let (mut ch, code) = fresh(1000);
        assert_eq!(
            verify(&key(), &mut ch, code.as_str(), 1600),
            Err(OtpError::Expired)
        );
        let (mut ch, code) = fresh(1000);
        let wrong = if code.as_str() == "000000" {
            "000001"
        } else {
            "000000"
        };
        for left in (0..5).rev() {
            assert_eq!(
                verify(&key(), &mut ch, wrong, 1001),
                Err(OtpError::WrongCode { remaining: left })
            );
        }
        assert_eq!(
            verify(&key(), &mut ch, code.as_str(), 1001),
            Err(OtpError::TooManyAttempts)
        );
    }

    #[test]
    fn code_is_bound_to_challenge_secret_and_binding() {
        let (mut ch, code) = fresh(1000);
        let other = match OtpKey::new(&[8u8; 32]) {
            Ok(k) => k,
            Err(e) => panic!("{e}"),
        };
        assert!(matches!(
            verify(&other, &mut ch.clone(), code.as_str(), 1001),
            Err(OtpError::WrongCode { .. })
        ));
        let mut moved = ch.clone();
        moved.binding = "req-2".into();
        assert!(matches!(
            verify(&key(), &mut moved, code.as_str(), 1001),
            Err(OtpError::WrongCode { .. })
        ));
        // Full-width digits typed on a phone are accepted.
        let fw: String = code
            .as_str()
            .chars()
            .map(|c| char::from_u32('０' as u32 + (c as u32 - '0' as u32)).unwrap_or(c))
            .collect();
        assert_eq!(verify(&key(), &mut ch, &format!(" {fw} "), 1001), Ok(()));
    }

    #[test]
    fn challenge_persists_as_json_without_the_code() {
        let (ch, code) = fresh(1000);
        let json = serde_json::to_string(&ch).unwrap_or_default();
        assert!(!json.contains(&format!("\"{}\"", code.as_str())));
        let back: Challenge = match serde_json::from_str(&json) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(back, ch);
        assert_eq!(format!("{code:?}"), "OtpCode(******)");
        assert!(!format!("{:?}", key()).contains("7"));
    }

    #[test]
    fn resend_throttle() {
        let cfg = OtpConfig::default();
        let (mut ch, code) = fresh(1000);
        assert_eq!(resend_allowed(&ch, &cfg, 1030), Err(1060));
        assert_eq!(resend_allowed(&ch, &cfg, 1060), Ok(()));
        assert_eq!(verify(&key(), &mut ch, code.as_str(), 1001), Ok(()));
        assert_eq!(resend_allowed(&ch, &cfg, 1002), Ok(()));
        let partial: OtpConfig = serde_json::from_str(r#"{"ttl_secs": 300}"#).unwrap_or_default();
        assert_eq!((partial.ttl_secs, partial.max_attempts), (300, 5));
    }

    #[test]
    fn codes_are_spread() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            seen.insert(fresh(0).1.as_str().to_owned());
        }
        assert!(seen.len() > 190, "codes repeat too often: {}", seen.len());
    }

    #[test]
    fn weak_secret_and_bad_config_refused() {
        assert_eq!(OtpKey::new(b"short").err(), Some(OtpError::WeakSecret));
        let cfg = OtpConfig {
            ttl_secs: 0,
            ..OtpConfig::default()
        };
        assert_eq!(
            issue(&key(), &cfg, Method::SmsCode, "r", 0).err(),
            Some(OtpError::Config)
        );
    }
}
