//! Identity verification for rights requests with no more data than registration needed
//! (Reg. arts. 23 and 25(1); PIPL art. 50; MPS Order No. 173; requirements SR-ID-01..03).
//!
//! - [`policy`]: which methods an account may use and which data a verification form may ask
//!   for ([`allowed_methods`], [`check_requested`]);
//! - [`otp`]: one-time codes, stored only as keyed digests;
//! - [`smtp`]: e-mail delivery over SMTP ([`smtp::Mailer`], [`smtp::SmtpMailer`]);
//! - [`sms`]: SMS delivery through an HTTP gateway ([`sms::SmsSender`], [`sms::HttpSmsGateway`]);
//! - [`netid`]: the national network identity authentication public service client
//!   ([`netid::NetIdClient`]): a 网证 in, only the result and the 网号 out;
//! - [`deliver`]: issue a code and send it in one step ([`deliver::send_email_code`],
//!   [`deliver::send_sms_code`]).
#![deny(missing_docs)]

pub mod deliver;
mod http;
pub mod netid;
pub mod otp;
pub mod policy;
pub mod sms;
pub mod smtp;

pub use policy::{
    IdentityField, Method, PolicyError, Registration, allowed_methods, check_method,
    check_requested,
};

/// A boxed, sendable future (keeps the sender traits object-safe).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Seconds since the Unix epoch, now.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the signature header used
/// towards the SMS gateway and the network identity service (the same scheme as Xiezhi's
/// webhooks).
pub fn hmac_signature(secret: &[u8], t: i64, body: &[u8]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = match <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}
