//! SMS delivery of verification codes through an HTTP gateway.
//!
//! [`HttpSmsGateway`] `POST`s `{"to", "text", "template", "segments"}` as JSON to the configured
//! URL with the header `X-Xiezhi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
//! "<t>.<body>")>` (the scheme of Xiezhi's webhooks; see [`crate::hmac_signature`]). Any 2xx
//! answer means accepted; a JSON answer with an `id` string is kept as the gateway's message id.
//! The adapter speaks plain `http://` (to a gateway relay on the same host or private network).
//!
//! Chinese carriers bill in segments: a message in UCS-2 (any Chinese character) holds 70
//! characters, or 67 per part when concatenated; GSM 7-bit text holds 160, or 153 per part.
//! The carrier signature 【…】 counts. [`segments`] counts them; the gateway refuses texts above
//! [`HttpSmsConfig::max_segments`] (default 1).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::BoxFuture;
use crate::http::{self, HttpClient, HttpFail};
use crate::otp::OtpCode;
use crate::smtp::Lang;

/// One SMS. `Debug` shows neither the number nor the text.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsMessage {
    /// Destination number, digits with an optional leading `+` (spaces and dashes are removed).
    pub to: String,
    /// The text, including the carrier signature.
    pub text: String,
    /// The template id the gateway registered with the carrier (e.g. `verification_code`).
    pub template: String,
}

impl std::fmt::Debug for SmsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsMessage")
            .field("template", &self.template)
            .field("segments", &segments(&self.text))
            .finish_non_exhaustive()
    }
}

/// The gateway's acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsReceipt {
    /// Segments billed.
    pub segments: usize,
    /// The gateway's message id, if it returned one.
    pub gateway_id: Option<String>,
}

/// Why an SMS was not sent. Never contains the number or the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// The number is not a phone number.
    #[error("SMS destination is not a phone number (5 to 16 digits, optional leading +)")]
    InvalidNumber,
    /// The text needs more segments than allowed.
    #[error(
        "SMS text needs {segments} segments but at most {max} are allowed (70 characters per \
         segment in Chinese, 160 in GSM 7-bit); shorten the template"
    )]
    TooLong {
        /// Segments needed.
        segments: usize,
        /// Segments allowed.
        max: usize,
    },
    /// Empty text.
    #[error("SMS text is empty")]
    Empty,
    /// The gateway URL is unusable.
    #[error("SMS gateway URL is not an absolute http:// URL; fix sms gateway url in the config")]
    InvalidUrl,
    /// The signing secret is too short.
    #[error("SMS gateway secret must be at least 16 bytes")]
    WeakSecret,
    /// Connection failed.
    #[error("cannot connect to the SMS gateway; check that it runs and the URL")]
    Connect,
    /// No answer in time.
    #[error("SMS gateway did not answer within the timeout")]
    Timeout,
    /// The gateway refused.
    #[error("SMS gateway refused the message with HTTP status {status}")]
    Rejected {
        /// HTTP status.
        status: u16,
    },
}

/// Sends SMS. Object-safe: keep an `Arc<dyn SmsSender>`.
pub trait SmsSender: Send + Sync {
    /// Hands `msg` to the carrier.
    fn send<'a>(&'a self, msg: &'a SmsMessage) -> BoxFuture<'a, Result<SmsReceipt, SmsError>>;
}

fn is_gsm7_basic(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '0'..='9' | ' ' | '\n' | '\r' | '@' | '£' | '$' | '¥' | '!' | '"'
        | '#' | '%' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | '-' | '.' | '/' | ':' | ';'
        | '<' | '=' | '>' | '?' | '_' | '¡' | '¿' | 'Ä' | 'Ö' | 'Ñ' | 'Ü' | '§' | 'ä' | 'ö'
        | 'ñ' | 'ü' | 'à' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Æ'
        | 'æ' | 'ß' | 'É')
}

fn is_gsm7_extension(c: char) -> bool {
    matches!(
        c,
        '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€' | '\u{c}'
    )
}

/// Number of SMS segments `text` takes: GSM 7-bit (160, or 153 per part) if every character is
/// in the GSM alphabet (extension characters count twice), else UCS-2 (70, or 67 per part,
/// counted in UTF-16 units).
pub fn segments(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let gsm = text
        .chars()
        .all(|c| is_gsm7_basic(c) || is_gsm7_extension(c));
    let (units, single, part) = if gsm {
        let n: usize = text
            .chars()
            .map(|c| if is_gsm7_extension(c) { 2 } else { 1 })
            .sum();
        (n, 160, 153)
    } else {
        (text.encode_utf16().count(), 70, 67)
    };
    if units <= single {
        1
    } else {
        units.div_ceil(part)
    }
}

/// The verification-code SMS (template `verification_code`), one segment. `signature` is the
/// carrier-registered signature without brackets (e.g. `獬豸`; for [`Lang::En`] use a Latin
/// signature, or the text becomes UCS-2 and takes two segments). [`Lang::Both`] sends Chinese:
/// both languages do not fit one segment.
pub fn verification_sms(
    to: &str,
    code: &OtpCode,
    ttl_minutes: i64,
    lang: Lang,
    signature: &str,
) -> SmsMessage {
    let c = code.as_str();
    let text = match lang {
        Lang::En => format!(
            "{signature}: your verification code is {c}, valid for {ttl_minutes} minutes, for \
             your personal-information rights request. Do not share it."
        ),
        Lang::ZhCn | Lang::Both => format!(
            "【{signature}】验证码{c}，用于个人信息权利请求的身份核验，{ttl_minutes}分钟内有效，请勿泄露。"
        ),
    };
    SmsMessage {
        to: to.to_owned(),
        text,
        template: "verification_code".into(),
    }
}

fn normalize_number(to: &str) -> Result<String, SmsError> {
    let n: String = to.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = n.strip_prefix('+').unwrap_or(&n);
    if (5..=16).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(n)
    } else {
        Err(SmsError::InvalidNumber)
    }
}

/// Where the gateway is and how to sign.
#[derive(Clone)]
pub struct HttpSmsConfig {
    /// `http://host:port/path` of the gateway.
    pub url: String,
    /// Shared signing secret (at least 16 bytes).
    pub secret: Vec<u8>,
    /// Request timeout (default 10 s).
    pub timeout: Duration,
    /// Most segments a message may take (default 1).
    pub max_segments: usize,
}

impl std::fmt::Debug for HttpSmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSmsConfig")
            .field("url", &self.url)
            .field("timeout", &self.timeout)
            .field("max_segments", &self.max_segments)
            .finish_non_exhaustive()
    }
}

impl HttpSmsConfig {
    /// A configuration with the defaults.
    pub fn new(url: impl Into<String>, secret: impl Into<Vec<u8>>) -> Self {
        Self {
            url: url.into(),
            secret: secret.into(),
            timeout: Duration::from_secs(10),
            max_segments: 1,
        }
    }
}

/// The HTTP gateway [`SmsSender`].
#[derive(Debug, Clone)]
pub struct HttpSmsGateway {
    config: HttpSmsConfig,
    client: HttpClient,
}

#[derive(Serialize)]
struct Payload<'a> {
    to: &'a str,
    text: &'a str,
    template: &'a str,
    segments: usize,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    id: Option<String>,
}

impl HttpSmsGateway {
    /// A gateway client; checks the URL and the secret.
    pub fn new(config: HttpSmsConfig) -> Result<Self, SmsError> {
        if !http::valid_http_url(&config.url) {
            return Err(SmsError::InvalidUrl);
        }
        if config.secret.len() < 16 {
            return Err(SmsError::WeakSecret);
        }
        Ok(Self {
            config,
            client: http::client(),
        })
    }

    /// Sends one message.
    pub async fn send_sms(&self, msg: &SmsMessage) -> Result<SmsReceipt, SmsError> {
        let to = normalize_number(&msg.to)?;
        let n = segments(&msg.text);
        if n == 0 {
            return Err(SmsError::Empty);
        }
        if n > self.config.max_segments {
            return Err(SmsError::TooLong {
                segments: n,
                max: self.config.max_segments,
            });
        }
        let body = serde_json::to_vec(&Payload {
            to: &to,
            text: &msg.text,
            template: &msg.template,
            segments: n,
        })
        .map_err(|_| SmsError::Empty)?;
        let sig = crate::hmac_signature(&self.config.secret, crate::now_secs(), &body);
        let (status, answer) = http::post_json(
            &self.client,
            &self.config.url,
            &[("x-xiezhi-signature", &sig)],
            body,
            self.config.timeout,
        )
        .await
        .map_err(|e| match e {
            HttpFail::Request => SmsError::InvalidUrl,
            HttpFail::Timeout => SmsError::Timeout,
            HttpFail::Connect | HttpFail::Body => SmsError::Connect,
        })?;
        if !(200..300).contains(&status) {
            return Err(SmsError::Rejected { status });
        }
        let gateway_id = serde_json::from_slice::<Answer>(&answer)
            .ok()
            .and_then(|a| a.id);
        Ok(SmsReceipt {
            segments: n,
            gateway_id,
        })
    }
}

impl SmsSender for HttpSmsGateway {
    fn send<'a>(&'a self, msg: &'a SmsMessage) -> BoxFuture<'a, Result<SmsReceipt, SmsError>> {
        Box::pin(self.send_sms(msg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_counting() {
        assert_eq!(segments(""), 0);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"a".repeat(306)), 2);
        assert_eq!(segments(&"a".repeat(307)), 3);
        assert_eq!(segments(&"[".repeat(80)), 1);
        assert_eq!(segments(&"[".repeat(81)), 2);
        assert_eq!(segments(&"验".repeat(70)), 1);
        assert_eq!(segments(&"验".repeat(71)), 2);
        assert_eq!(segments(&"验".repeat(134)), 2);
        assert_eq!(segments(&"验".repeat(135)), 3);
        // One Chinese character turns the whole text into UCS-2.
        assert_eq!(segments(&format!("验{}", "a".repeat(70))), 2);
    }

    #[test]
    fn verification_texts_fit_one_segment() {
        let code = match crate::otp::issue(
            &match crate::otp::OtpKey::new(&[1u8; 32]) {
                Ok(k) => k,
                Err(e) => panic!("{e}"),
            },
            &crate::otp::OtpConfig::default(),
            crate::Method::SmsCode,
            "r",
            0,
        ) {
            Ok((_, c)) => c,
            Err(e) => panic!("{e}"),
        };
        for lang in [Lang::ZhCn, Lang::En, Lang::Both] {
            let sig = if lang == Lang::En { "Xiezhi" } else { "獬豸" };
            let m = verification_sms("13800138000", &code, 10, lang, sig);
            assert_eq!(segments(&m.text), 1, "{}", m.text);
            assert!(m.text.contains(code.as_str()));
            assert!(!format!("{m:?}").contains(code.as_str()));
            assert!(!format!("{m:?}").contains("13800138000"));
        }
        let long = verification_sms(
            "13800138000",
            &code,
            10,
            Lang::ZhCn,
            &"很长的签名".repeat(8),
        );
        assert!(segments(&long.text) > 1);
        // A Chinese signature turns the English text into UCS-2: two segments.
        let mixed = verification_sms("13800138000", &code, 10, Lang::En, "獬豸");
        assert_eq!(segments(&mixed.text), 2);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            normalize_number("+86 138-0013-8000"),
            Ok("+8613800138000".into())
        );
        assert_eq!(normalize_number("abc"), Err(SmsError::InvalidNumber));
        assert_eq!(normalize_number("+"), Err(SmsError::InvalidNumber));
    }

    #[test]
    fn config_is_checked() {
        assert!(matches!(
            HttpSmsGateway::new(HttpSmsConfig::new("ftp://x/", vec![0u8; 32])),
            Err(SmsError::InvalidUrl)
        ));
        assert!(matches!(
            HttpSmsGateway::new(HttpSmsConfig::new("http://127.0.0.1:1/sms", vec![0u8; 3])),
            Err(SmsError::WeakSecret)
        ));
    }
}
