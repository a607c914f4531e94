//! E-mail delivery of verification codes over SMTP (RFC 5321), hand-written on a tokio
//! `TcpStream`: `EHLO`, optional `AUTH PLAIN`, `MAIL FROM`, `RCPT TO`, `DATA` with
//! dot-stuffing, `QUIT`; every reply code is checked and every step has a timeout. Messages are
//! `text/plain; charset=UTF-8` with a base64 body and an RFC 2047 encoded subject.
//!
//! TLS (rustls with the Mozilla roots, plus optional extra PEM roots): `STARTTLS` or implicit
//! TLS (port 465), see [`SmtpTls`]; plain TCP for a relay on the same host. Without TLS, `AUTH`
//! is refused unless the server is on a loopback address or
//! [`SmtpConfig::allow_plaintext_auth`] is set, so a password never crosses a network in clear
//! text by accident.
//!
//! Errors name the step and the server's reply code, never the address, the code or the
//! server's reply text (which often echoes the address).

use std::net::IpAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::sync::Arc;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::ServerName;
use rustls_pki_types::pem::PemObject as _;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls;

use crate::BoxFuture;
use crate::otp::OtpCode;

/// One plain-text message.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    /// Recipient address (`user@example.com`).
    pub to: String,
    /// Subject (any Unicode; encoded per RFC 2047).
    pub subject: String,
    /// Body text (any Unicode; lines end with `\n` or `\r\n`).
    pub body: String,
}

impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The address is personal information and the body may hold a code.
        f.debug_struct("Email")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Language of the verification message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese.
    ZhCn,
    /// English.
    En,
    /// Chinese first, then English.
    #[default]
    Both,
}

/// The verification-code e-mail for `to`: the code appears only in the body.
pub fn verification_email(
    to: &str,
    code: &OtpCode,
    ttl_minutes: i64,
    lang: Lang,
    platform: &str,
) -> Email {
    let c = code.as_str();
    let zh = format!(
        "您好：\n\n您的验证码是 {c}，{ttl_minutes} 分钟内有效。\n\n\
         您正在向{platform}提交个人信息权利请求（查阅、复制、更正、删除、转移或注销账号等），\
         需要核验您是账号本人。请勿将验证码告诉任何人；如非本人操作，请忽略本邮件。\n"
    );
    let en = format!(
        "Hello,\n\nYour verification code is {c}. It is valid for {ttl_minutes} minutes.\n\n\
         You are submitting a personal-information rights request (access, copy, correction, \
         deletion, transfer or account cancellation) to {platform}, and we need to confirm that \
         you hold the account. Do not share this code with anyone; if this was not you, ignore \
         this e-mail.\n"
    );
    let (subject, body) = match lang {
        Lang::ZhCn => (format!("【{platform}】身份验证码"), zh),
        Lang::En => (format!("[{platform}] Your verification code"), en),
        Lang::Both => (
            format!("【{platform}】身份验证码 / Your verification code"),
            format!("{zh}\n----\n\n{en}"),
        ),
    };
    Email {
        to: to.to_owned(),
        subject,
        body,
    }
}

/// Why a message was not delivered. Never contains the address, the body or reply text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// An address is not a plain `local@domain` address.
    #[error(
        "{which} address is not a valid e-mail address (one `@`, no spaces, angle brackets or \
         control characters)"
    )]
    InvalidAddress {
        /// `sender` or `recipient`.
        which: &'static str,
    },
    /// The address needs SMTPUTF8, which the server does not offer.
    #[error("{which} address has non-ASCII characters and the SMTP server does not offer SMTPUTF8")]
    Utf8AddressUnsupported {
        /// `sender` or `recipient`.
        which: &'static str,
    },
    /// Could not connect.
    #[error("cannot connect to SMTP server {host}:{port}; check smtp host/port and that it runs")]
    Connect {
        /// Configured host.
        host: String,
        /// Configured port.
        port: u16,
    },
    /// A step took longer than the configured timeout.
    #[error("SMTP server did not answer in time during {stage}")]
    Timeout {
        /// The protocol step.
        stage: &'static str,
    },
    /// The connection broke.
    #[error("SMTP connection failed during {stage}")]
    Io {
        /// The protocol step.
        stage: &'static str,
    },
    /// The server answered with an unexpected code.
    #[error("SMTP server refused {stage} with reply code {code}")]
    Rejected {
        /// The protocol step.
        stage: &'static str,
        /// The reply code (e.g. 550).
        code: u16,
    },
    /// The server's reply is not SMTP.
    #[error("SMTP server sent a malformed reply during {stage}")]
    Protocol {
        /// The protocol step.
        stage: &'static str,
    },
    /// STARTTLS required but not offered.
    #[error(
        "SMTP server does not offer STARTTLS but the configuration requires it (tls = \
         StartTls); use Implicit TLS (port 465) or a relay that supports it"
    )]
    StartTlsUnsupported,
    /// TLS handshake failed (certificate not trusted, name mismatch, protocol).
    #[error(
        "TLS handshake with SMTP server {host} failed: check that its certificate is valid for \
         the host name (add a private CA with extra_root_certs_pem) and the TLS mode and port"
    )]
    TlsHandshake {
        /// Configured host.
        host: String,
    },
    /// TLS settings unusable.
    #[error(
        "SMTP TLS settings unusable: the host is not a valid TLS server name or \
         extra_root_certs_pem holds no valid PEM certificate"
    )]
    TlsConfig,
    /// AUTH was configured but the server offers no AUTH PLAIN.
    #[error("SMTP credentials are configured but the server does not offer AUTH PLAIN")]
    AuthUnsupported,
    /// AUTH to a non-loopback server without TLS.
    #[error(
        "refusing to send SMTP credentials in clear text to non-loopback host {host}; use a local \
         relay or set allow_plaintext_auth on a trusted network"
    )]
    PlaintextAuthRefused {
        /// Configured host.
        host: String,
    },
}

/// Sends e-mail. Object-safe: keep an `Arc<dyn Mailer>`.
pub trait Mailer: Send + Sync {
    /// Delivers `mail` (accepted by the next hop).
    fn send<'a>(&'a self, mail: &'a Email) -> BoxFuture<'a, Result<(), MailError>>;
}

/// SMTP credentials. `Debug` shows only the user name.
#[derive(Clone)]
pub struct SmtpAuth {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl std::fmt::Debug for SmtpAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpAuth")
            .field("username", &self.username)
            .field("password", &"***")
            .finish()
    }
}

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// Server host name or IP.
    pub host: String,
    /// Server port (25 or 587 for a relay).
    pub port: u16,
    /// Our name in `EHLO` and in `Message-ID`.
    pub helo_name: String,
    /// Envelope and header sender address.
    pub from: String,
    /// Display name of the sender (e.g. the platform's name).
    pub from_name: Option<String>,
    /// Credentials for `AUTH PLAIN`, if the server needs them.
    pub auth: Option<SmtpAuth>,
    /// Timeout per protocol step (connect, each command, the data transfer).
    pub timeout: Duration,
    /// Allow `AUTH` to a non-loopback host without TLS (trusted networks only).
    pub allow_plaintext_auth: bool,
    /// Transport security.
    pub tls: SmtpTls,
    /// Extra trusted root certificates (PEM) besides the Mozilla roots, e.g. a company CA.
    pub extra_root_certs_pem: Option<Vec<u8>>,
}

/// Transport security of the SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain TCP: only for a relay on the same host or a trusted segment.
    None,
    /// Plain TCP upgraded with `STARTTLS` (port 587 or 25); refused if the server does not
    /// offer it.
    StartTls,
    /// TLS from the first byte (SMTPS, port 465).
    Implicit,
}

impl SmtpConfig {
    /// A configuration for `host:port` sending as `from`, no auth, 30 s timeouts; TLS:
    /// [`SmtpTls::Implicit`] on port 465, [`SmtpTls::None`] for a loopback host, else
    /// [`SmtpTls::StartTls`].
    pub fn new(host: impl Into<String>, port: u16, from: impl Into<String>) -> Self {
        let host = host.into();
        let tls = if port == 465 {
            SmtpTls::Implicit
        } else if is_loopback(&host) {
            SmtpTls::None
        } else {
            SmtpTls::StartTls
        };
        Self {
            tls,
            extra_root_certs_pem: None,
            host,
            port,
            helo_name: "localhost".into(),
            from: from.into(),
            from_name: None,
            auth: None,
            timeout: Duration::from_secs(30),
            allow_plaintext_auth: false,
        }
    }
}

/// The SMTP [`Mailer`]: one connection per message.
#[derive(Debug, Clone)]
pub struct SmtpMailer {
    config: SmtpConfig,
}

impl SmtpMailer {
    /// A mailer for `config`.
    pub fn new(config: SmtpConfig) -> Self {
        Self { config }
    }

    /// Delivers one message.
    pub async fn send_mail(&self, mail: &Email) -> Result<(), MailError> {
        let cfg = &self.config;
        check_address(&cfg.from, "sender")?;
        check_address(&mail.to, "recipient")?;
        if cfg.auth.is_some()
            && cfg.tls == SmtpTls::None
            && !cfg.allow_plaintext_auth
            && !is_loopback(&cfg.host)
        {
            return Err(MailError::PlaintextAuthRefused {
                host: cfg.host.clone(),
            });
        }
        let t = cfg.timeout;
        let stream = match tokio::time::timeout(
            t,
            TcpStream::connect((cfg.host.as_str(), cfg.port)),
        )
        .await
        {
            Ok(Ok(s)) => s,
            Ok(Err(_)) => {
                return Err(MailError::Connect {
                    host: cfg.host.clone(),
                    port: cfg.port,
                });
            }
            Err(_) => return Err(MailError::Timeout { stage: "connect" }),
        };
        match cfg.tls {
            SmtpTls::None => {
                let mut conn = Conn::new(stream, t);
                conn.expect("greeting", &[220]).await?;
                self.transaction(conn, mail).await
            }
            SmtpTls::Implicit => {
                let tls = self.handshake(stream).await?;
                let mut conn = Conn::new(tls, t);
                conn.expect("greeting", &[220]).await?;
                self.transaction(conn, mail).await
            }
            SmtpTls::StartTls => {
                let mut conn = Conn::new(stream, t);
                conn.expect("greeting", &[220]).await?;
                let ehlo = conn
                    .command("EHLO", &format!("EHLO {}\r\n", cfg.helo_name), &[250])
                    .await?;
                if !Extensions::parse(&ehlo).starttls {
                    return Err(MailError::StartTlsUnsupported);
                }
                conn.command("STARTTLS", "STARTTLS\r\n", &[220]).await?;
                // Anything the server sent after its 220 would be injected plaintext.
                if !conn.io.buffer().is_empty() {
                    return Err(MailError::Protocol { stage: "STARTTLS" });
                }
                let tls = self.handshake(conn.io.into_inner()).await?;
                self.transaction(Conn::new(tls, t), mail).await
            }
        }
    }

    async fn handshake(
        &self,
        stream: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, MailError> {
        let cfg = &self.config;
        let connector = tls_connector(cfg.extra_root_certs_pem.as_deref())?;
        let name = ServerName::try_from(cfg.host.trim_matches(|c| c == '[' || c == ']').to_owned())
            .map_err(|_| MailError::TlsConfig)?;
        match tokio::time::timeout(cfg.timeout, connector.connect(name, stream)).await {
            Ok(Ok(s)) => Ok(s),
            Ok(Err(_)) => Err(MailError::TlsHandshake {
                host: cfg.host.clone(),
            }),
            Err(_) => Err(MailError::Timeout {
                stage: "TLS handshake",
            }),
        }
    }

    /// EHLO (again, after TLS), AUTH, MAIL FROM, RCPT TO, DATA, QUIT on a greeted connection.
    async fn transaction<S>(&self, mut conn: Conn<S>, mail: &Email) -> Result<(), MailError>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let cfg = &self.config;
        let ehlo = conn
            .command("EHLO", &format!("EHLO {}\r\n", cfg.helo_name), &[250])
            .await?;
        let ext = Extensions::parse(&ehlo);
        if let Some(auth) = &cfg.auth {
            if !ext.auth_plain {
                return Err(MailError::AuthUnsupported);
            }
            let mut token = Vec::with_capacity(auth.username.len() + auth.password.len() + 2);
            token.push(0);
            token.extend_from_slice(auth.username.as_bytes());
            token.push(0);
            token.extend_from_slice(auth.password.as_bytes());
            conn.command(
                "AUTH",
                &format!("AUTH PLAIN {}\r\n", STANDARD.encode(token)),
                &[235],
            )
            .await?;
        }
        let utf8 = !cfg.from.is_ascii() || !mail.to.is_ascii();
        if utf8 && !ext.smtputf8 {
            let which = if cfg.from.is_ascii() {
                "recipient"
            } else {
                "sender"
            };
            return Err(MailError::Utf8AddressUnsupported { which });
        }
        let mut params = String::new();
        if ext.eightbitmime {
            params.push_str(" BODY=8BITMIME");
        }
        if utf8 {
            params.push_str(" SMTPUTF8");
        }
        conn.command(
            "MAIL FROM",
            &format!("MAIL FROM:<{}>{params}\r\n", cfg.from),
            &[250],
        )
        .await?;
        conn.command(
            "RCPT TO",
            &format!("RCPT TO:<{}>\r\n", mail.to),
            &[250, 251],
        )
        .await?;
        conn.command("DATA", "DATA\r\n", &[354]).await?;
        let message = render_message(cfg, mail, SystemTime::now());
        conn.write("message data", &dot_stuff(&message)).await?;
        conn.expect("message data", &[250]).await?;
        // The message is accepted; a failing QUIT changes nothing.
        let _ = conn.command("QUIT", "QUIT\r\n", &[221]).await;
        Ok(())
    }
}

fn tls_connector(extra_roots_pem: Option<&[u8]>) -> Result<TlsConnector, MailError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = extra_roots_pem {
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|_| MailError::TlsConfig)?;
            roots.add(cert).map_err(|_| MailError::TlsConfig)?;
            added += 1;
        }
        if added == 0 {
            return Err(MailError::TlsConfig);
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|_| MailError::TlsConfig)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, mail: &'a Email) -> BoxFuture<'a, Result<(), MailError>> {
        Box::pin(self.send_mail(mail))
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn check_address(addr: &str, which: &'static str) -> Result<(), MailError> {
    let bad = addr.len() > 254
        || addr.chars().any(|c| {
            c.is_control() || c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';')
        });
    match addr.split_once('@') {
        Some((local, domain))
            if !bad && !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(())
        }
        _ => Err(MailError::InvalidAddress { which }),
    }
}

#[derive(Debug, Default)]
struct Extensions {
    starttls: bool,
    auth_plain: bool,
    eightbitmime: bool,
    smtputf8: bool,
}

impl Extensions {
    fn parse(lines: &[String]) -> Self {
        let mut e = Self::default();
        // The first line is the greeting of the EHLO reply; extensions follow.
        for line in lines.iter().skip(1) {
            let upper = line.to_ascii_uppercase();
            let mut words = upper.split_ascii_whitespace();
            match words.next() {
                Some("AUTH") => e.auth_plain |= words.any(|w| w == "PLAIN"),
                Some("8BITMIME") => e.eightbitmime = true,
                Some("STARTTLS") => e.starttls = true,
                Some("SMTPUTF8") => e.smtputf8 = true,
                _ => {}
            }
        }
        e
    }
}

/// Longest reply line accepted (RFC 5321 allows 512 octets; be lenient).
const MAX_LINE: u64 = 4096;
/// Most lines in one reply.
const MAX_LINES: usize = 200;

struct Conn<S> {
    io: BufReader<S>,
    timeout: Duration,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    fn new(stream: S, timeout: Duration) -> Self {
        Self {
            io: BufReader::new(stream),
            timeout,
        }
    }

    async fn write(&mut self, stage: &'static str, data: &[u8]) -> Result<(), MailError> {
        let io = self.io.get_mut();
        match tokio::time::timeout(self.timeout, async {
            io.write_all(data).await?;
            io.flush().await
        })
        .await
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(MailError::Io { stage }),
            Err(_) => Err(MailError::Timeout { stage }),
        }
    }

    async fn command(
        &mut self,
        stage: &'static str,
        line: &str,
        ok: &[u16],
    ) -> Result<Vec<String>, MailError> {
        self.write(stage, line.as_bytes()).await?;
        self.expect(stage, ok).await
    }

    /// Reads one (possibly multi-line) reply; returns its text lines (without codes) if the
    /// code is one of `ok`.
    async fn expect(&mut self, stage: &'static str, ok: &[u16]) -> Result<Vec<String>, MailError> {
        let timeout = self.timeout;
        let (code, lines) = match tokio::time::timeout(timeout, self.read_reply(stage)).await {
            Ok(r) => r?,
            Err(_) => return Err(MailError::Timeout { stage }),
        };
        if ok.contains(&code) {
            Ok(lines)
        } else {
            Err(MailError::Rejected { stage, code })
        }
    }

    async fn read_reply(&mut self, stage: &'static str) -> Result<(u16, Vec<String>), MailError> {
        let mut lines = Vec::new();
        let mut code = None;
        loop {
            let mut buf = Vec::new();
            let n = (&mut self.io)
                .take(MAX_LINE)
                .read_until(b'\n', &mut buf)
                .await
                .map_err(|_| MailError::Io { stage })?;
            if n == 0 {
                return Err(MailError::Io { stage });
            }
            if buf.last() != Some(&b'\n') || lines.len() >= MAX_LINES {
                return Err(MailError::Protocol { stage });
            }
            let text = String::from_utf8_lossy(&buf);
            let text = text.trim_end_matches(['\r', '\n']);
            let bytes = text.as_bytes();
            if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
                return Err(MailError::Protocol { stage });
            }
            let this: u16 = text[..3]
                .parse()
                .map_err(|_| MailError::Protocol { stage })?;
            if *code.get_or_insert(this) != this {
                return Err(MailError::Protocol { stage });
            }
            let sep = bytes.get(3).copied();
            lines.push(text.get(4..).unwrap_or("").to_owned());
            match sep {
                Some(b'-') => continue,
                Some(b' ') | None => return Ok((this, lines)),
                Some(_) => return Err(MailError::Protocol { stage }),
            }
        }
    }
}

/// RFC 2047 `B` encoding in words of at most 75 characters, folded.
fn encode_header_text(text: &str) -> String {
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'=' && b != b'?')
        && text.len() <= 60
    {
        return text.to_owned();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", STANDARD.encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// RFC 5322 date, e.g. `Sun, 29 Nov 2026 05:31:56 +0000`.
fn rfc5322_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MON: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let wd = WD[days.rem_euclid(7) as usize];
    let mon = MON[(m - 1).clamp(0, 11) as usize];
    format!(
        "{wd}, {d:02} {mon} {y} {:02}:{:02}:{:02} +0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn render_message(cfg: &SmtpConfig, mail: &Email, now: SystemTime) -> String {
    let mut id = [0u8; 12];
    let id = match getrandom::fill(&mut id) {
        Ok(()) => hex::encode(id),
        Err(_) => format!(
            "{}",
            now.duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ),
    };
    let from = match &cfg.from_name {
        Some(name) if !name.is_empty() => format!("{} <{}>", encode_header_text(name), cfg.from),
        _ => format!("<{}>", cfg.from),
    };
    let body = mail.body.replace("\r\n", "\n").replace('\n', "\r\n");
    let encoded = STANDARD.encode(body.as_bytes());
    let mut out = String::with_capacity(encoded.len() + 600);
    out.push_str(&format!("Date: {}\r\n", rfc5322_date(now)));
    out.push_str(&format!("From: {from}\r\n"));
    out.push_str(&format!("To: <{}>\r\n", mail.to));
    out.push_str(&format!(
        "Subject: {}\r\n",
        encode_header_text(&mail.subject)
    ));
    out.push_str(&format!("Message-ID: <{id}@{}>\r\n", cfg.helo_name));
    out.push_str("MIME-Version: 1.0\r\n");
    out.push_str("Content-Type: text/plain; charset=UTF-8\r\n");
    out.push_str("Content-Transfer-Encoding: base64\r\n");
    out.push_str("Auto-Submitted: auto-generated\r\n\r\n");
    for line in encoded.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out
}

/// Dot-stuffs `message` (CRLF lines) and appends the end-of-data marker.
fn dot_stuff(message: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 8);
    for line in message.split_inclusive("\r\n") {
        if line.starts_with('.') {
            out.push(b'.');
        }
        out.extend_from_slice(line.as_bytes());
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_stuffing_and_terminator() {
        let s = dot_stuff("a\r\n.b\r\n..\r\nc");
        assert_eq!(s, b"a\r\n..b\r\n...\r\nc\r\n.\r\n");
        assert_eq!(dot_stuff("x\r\n"), b"x\r\n.\r\n");
    }

    #[test]
    fn header_words_are_rfc2047_sized() {
        let s = encode_header_text(&"个人信息权利请求身份验证码".repeat(3));
        for word in s.split("\r\n ") {
            assert!(word.len() <= 75, "{word}");
            assert!(word.starts_with("=?UTF-8?B?") && word.ends_with("?="));
        }
        assert_eq!(encode_header_text("Hello"), "Hello");
        assert!(encode_header_text("a=?b").starts_with("=?UTF-8?B?"));
    }

    #[test]
    fn date_format() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_930_316);
        assert_eq!(rfc5322_date(t), "Sun, 29 Nov 2026 05:31:56 +0000");
        assert_eq!(rfc5322_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 +0000");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc5322_date(leap), "Tue, 29 Feb 2000 00:00:00 +0000");
    }

    #[test]
    fn addresses_are_checked_without_echo() {
        assert!(check_address("a@b.cn", "recipient").is_ok());
        assert!(check_address("用户@例子.中国", "recipient").is_ok());
        for bad in [
            "",
            "ab",
            "a@",
            "@b",
            "a@b@c",
            "a b@c",
            "a@b\r\nRCPT TO:<x@y>",
            "<a@b>",
        ] {
            let e = check_address(bad, "recipient");
            assert_eq!(e, Err(MailError::InvalidAddress { which: "recipient" }));
        }
    }

    #[tokio::test]
    async fn credentials_never_go_to_a_remote_host_in_clear() {
        let mut cfg = SmtpConfig::new("smtp.example.com", 25, "noreply@example.com");
        assert_eq!(cfg.tls, SmtpTls::StartTls);
        assert_eq!(
            SmtpConfig::new("127.0.0.1", 25, "a@b.cn").tls,
            SmtpTls::None
        );
        assert_eq!(
            SmtpConfig::new("smtp.qq.com", 465, "a@b.cn").tls,
            SmtpTls::Implicit
        );
        cfg.tls = SmtpTls::None;
        cfg.auth = Some(SmtpAuth {
            username: "u".into(),
            password: "p".into(),
        });
        let mail = Email {
            to: "a@b.cn".into(),
            subject: "s".into(),
            body: "b".into(),
        };
        let r = SmtpMailer::new(cfg.clone()).send_mail(&mail).await;
        assert!(matches!(r, Err(MailError::PlaintextAuthRefused { .. })));
        assert!(!format!("{:?}", cfg.auth).contains("\"p\""));
        assert!(is_loopback("127.0.0.1") && is_loopback("[::1]") && is_loopback("LOCALHOST"));
    }

    #[test]
    fn message_shape() {
        let cfg = SmtpConfig::new("127.0.0.1", 25, "noreply@example.com");
        let mail = Email {
            to: "a@b.cn".into(),
            subject: "【獬豸】身份验证码".into(),
            body: "您的验证码是 123456\n.\n".into(),
        };
        let m = render_message(&cfg, &mail, UNIX_EPOCH);
        assert!(m.contains("Subject: =?UTF-8?B?"));
        assert!(
            !m.contains("123456"),
            "the code is only in the encoded body"
        );
        assert!(m.lines().all(|l| l.len() <= 78));
        assert!(format!("{mail:?}").contains("subject") && !format!("{mail:?}").contains("a@b"));
    }
}
