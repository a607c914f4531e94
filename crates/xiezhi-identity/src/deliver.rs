//! Issue-and-send in one step: draws a code, sends it in the account's language through the
//! given [`Mailer`] or [`SmsSender`], drops the code and returns only the [`Challenge`] to
//! persist. The address is used for sending and not kept.

use crate::Method;
use crate::otp::{self, Challenge, OtpConfig, OtpError, OtpKey};
use crate::sms::{SmsError, SmsSender, verification_sms};
use crate::smtp::{Lang, MailError, Mailer, verification_email};

/// Why a code could not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Drawing the code failed.
    #[error(transparent)]
    Otp(#[from] OtpError),
    /// The e-mail was not accepted.
    #[error(transparent)]
    Mail(#[from] MailError),
    /// The SMS was not accepted.
    #[error(transparent)]
    Sms(#[from] SmsError),
}

/// What the messages say and who signs them.
#[derive(Debug, Clone)]
pub struct MessageStyle {
    /// Language of the message.
    pub lang: Lang,
    /// Platform name in e-mails (e.g. `獬豸`).
    pub platform: String,
    /// Carrier-registered SMS signature, without brackets.
    pub sms_signature: String,
}

/// Issues an e-mail code bound to `binding` and sends it to `to`.
pub async fn send_email_code(
    mailer: &dyn Mailer,
    key: &OtpKey,
    config: &OtpConfig,
    binding: &str,
    to: &str,
    style: &MessageStyle,
    now: i64,
) -> Result<Challenge, SendError> {
    let (challenge, code) = otp::issue(key, config, Method::EmailCode, binding, now)?;
    let mail = verification_email(to, &code, config.ttl_minutes(), style.lang, &style.platform);
    drop(code);
    mailer.send(&mail).await?;
    Ok(challenge)
}

/// Issues an SMS code bound to `binding` and sends it to `to`.
pub async fn send_sms_code(
    sender: &dyn SmsSender,
    key: &OtpKey,
    config: &OtpConfig,
    binding: &str,
    to: &str,
    style: &MessageStyle,
    now: i64,
) -> Result<Challenge, SendError> {
    let (challenge, code) = otp::issue(key, config, Method::SmsCode, binding, now)?;
    let msg = verification_sms(
        to,
        &code,
        config.ttl_minutes(),
        style.lang,
        &style.sms_signature,
    );
    drop(code);
    sender.send(&msg).await?;
    Ok(challenge)
}
