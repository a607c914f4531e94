//! `xiezhi serve`, and the pieces `xiezhi audit|token|apikey` share with it: where the data
//! directory is, how the store is opened, how secrets are created and read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use xiezhi_decide::Policy;
use xiezhi_server::{Engine, ServeSettings, Shared, TokenKey};
use xiezhi_store::{KeyScope, Store};

use crate::cli::{ServeArgs, StoreArgs};

/// `DIR/.xiezhi` unless `--data-dir` says otherwise.
pub fn data_dir(dir: &Path, store: &StoreArgs) -> PathBuf {
    store
        .data_dir
        .clone()
        .unwrap_or_else(|| dir.join(".xiezhi"))
}

/// The database URL: `--database`, else the SQLite file in the data dir.
pub fn database_url(dir: &Path, store: &StoreArgs) -> Result<String> {
    if let Some(url) = &store.database {
        return Ok(url.clone());
    }
    let data = data_dir(dir, store);
    std::fs::create_dir_all(&data)
        .with_context(|| format!("cannot create the data directory {}", data.display()))?;
    Ok(format!("sqlite://{}", data.join("xiezhi.db").display()))
}

/// Opens (and migrates) the store.
pub async fn open_store(dir: &Path, store: &StoreArgs) -> Result<Store> {
    let url = database_url(dir, store)?;
    Store::open(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact_url(&url)))
}

/// The URL without its password (`postgres://user:***@host/db`).
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &authority[..colon],
            &rest[at..]
        ),
        _ => url.to_owned(),
    }
}

/// Parses `30s`, `15m`, `48h`, `7d`.
pub fn parse_duration(s: &str) -> Result<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .with_context(|| format!("`{s}` is not a duration: write e.g. 30s, 15m, 48h or 7d"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => bail!("`{s}` is not a duration: write e.g. 30s, 15m, 48h or 7d"),
    };
    Ok(Duration::from_secs(secs))
}

/// Writes `content` to a new file readable only by its owner.
pub fn write_secret(path: &Path, content: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create the secret file {}", path.display()))?;
    f.write_all(content.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Reads the user-token secret, creating it (256 random bits, hex) on first use.
pub fn user_token_key(path: &Path, create: bool) -> Result<TokenKey> {
    if !path.exists() {
        if !create {
            bail!(
                "{} does not exist: start `xiezhi serve` once to create it, or pass --secret-file",
                path.display()
            );
        }
        write_secret(path, &(random_hex(32)? + "\n"))?;
        eprintln!("created the user-token secret {}", path.display());
    }
    let secret =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    TokenKey::new(secret.trim().as_bytes()).with_context(|| {
        format!(
            "{}: the secret must be at least {} bytes",
            path.display(),
            xiezhi_server::token::MIN_SECRET_LEN
        )
    })
}

fn read_secret_file(path: &Path, what: &str) -> Result<Vec<u8>> {
    let s = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} secret file {}", path.display()))?;
    Ok(s.trim().as_bytes().to_vec())
}

/// The identity verifiers from the serve flags; the one-time-code key lives in
/// DATA_DIR/otp.secret (created on first start, mode 0600).
fn identity_services(
    args: &ServeArgs,
    data: &Path,
    platform: &str,
) -> Result<xiezhi_server::IdentityServices> {
    let otp_path = data.join("otp.secret");
    if !otp_path.exists() {
        write_secret(&otp_path, &(random_hex(32)? + "\n"))?;
    }
    let secret = read_secret_file(&otp_path, "one-time-code")?;
    let mut svc = xiezhi_server::IdentityServices::new(&secret, platform)
        .with_context(|| format!("{}", otp_path.display()))?;
    if let Some(relay) = &args.smtp {
        let (host, port) = relay
            .rsplit_once(':')
            .and_then(|(h, p)| p.parse::<u16>().ok().map(|p| (h.to_owned(), p)))
            .with_context(|| format!("--smtp {relay}: write HOST:PORT"))?;
        let from = args
            .smtp_from
            .clone()
            .context("--smtp needs --smtp-from ADDRESS (the sender of verification e-mails)")?;
        let mut cfg = xiezhi_identity::smtp::SmtpConfig::new(host, port, from);
        cfg.from_name = Some(platform.to_owned());
        cfg.tls = match args.smtp_tls.as_str() {
            "auto" => cfg.tls,
            "starttls" => xiezhi_identity::smtp::SmtpTls::StartTls,
            "implicit" => xiezhi_identity::smtp::SmtpTls::Implicit,
            "none" => xiezhi_identity::smtp::SmtpTls::None,
            other => bail!("--smtp-tls {other}: use auto, starttls, implicit or none"),
        };
        if let Some(user) = &args.smtp_user {
            let password = std::env::var("XIEZHI_SMTP_PASSWORD")
                .context("--smtp-user needs the password in XIEZHI_SMTP_PASSWORD")?;
            cfg.auth = Some(xiezhi_identity::smtp::SmtpAuth {
                username: user.clone(),
                password,
            });
        }
        svc.mailer = Some(Arc::new(xiezhi_identity::smtp::SmtpMailer::new(cfg)));
    }
    if let Some(url) = &args.sms_gateway {
        let file = args
            .sms_secret_file
            .as_ref()
            .context("--sms-gateway needs --sms-secret-file FILE")?;
        let cfg = xiezhi_identity::sms::HttpSmsConfig::new(
            url.clone(),
            read_secret_file(file, "SMS gateway")?,
        );
        svc.sms = Some(Arc::new(
            xiezhi_identity::sms::HttpSmsGateway::new(cfg).context("--sms-gateway")?,
        ));
    }
    if let Some(url) = &args.netid_url {
        let app = args
            .netid_app_id
            .clone()
            .context("--netid-url needs --netid-app-id ID")?;
        let file = args
            .netid_secret_file
            .as_ref()
            .context("--netid-url needs --netid-secret-file FILE")?;
        let cfg = xiezhi_identity::netid::NetIdConfig::new(
            url.clone(),
            app,
            read_secret_file(file, "network identity")?,
        );
        svc.netid = Some(xiezhi_identity::netid::NetIdClient::new(cfg).context("--netid-url")?);
    }
    Ok(svc)
}

/// `xiezhi serve`.
pub fn run(args: ServeArgs) -> Result<bool> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(args))?;
    Ok(false)
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("XIEZHI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

async fn serve(args: ServeArgs) -> Result<()> {
    let project = xiezhi_map::load_project(&args.dir).map_err(|e| {
        anyhow::anyhow!(
            "the data map in {} does not load (run `xiezhi map check {}`):\n{e}",
            args.dir.display(),
            args.dir.display()
        )
    })?;
    let cool_down = parse_duration(&args.refusal_cool_down).context("--refusal-cool-down")?;
    let checkpoint_every = parse_duration(&args.checkpoint_every).context("--checkpoint-every")?;
    if checkpoint_every.is_zero() {
        bail!("--checkpoint-every must be longer than 0");
    }
    let cool_down_ms = i64::try_from(cool_down.as_millis()).unwrap_or(i64::MAX);
    let policy = Policy::from_project(&project, cool_down_ms);
    let data = data_dir(&args.dir, &args.store);
    let store = open_store(&args.dir, &args.store).await?;
    store
        .set_refusal_cool_down_ms(cool_down_ms)
        .await
        .context("cannot store the refusal cool-down")?;
    if args.audit_retention_days.is_some() || args.log_retention_days.is_some() {
        let current = store
            .retention()
            .await
            .context("cannot read the retention settings")?;
        let wanted = xiezhi_store::Retention::new(
            args.audit_retention_days
                .unwrap_or(current.audit_events_days()),
            args.log_retention_days
                .unwrap_or(current.network_logs_days()),
        )?;
        store
            .set_retention(wanted)
            .await
            .context("cannot store the retention settings")?;
    }
    let now = xiezhi_decide::time::now_millis();
    let stale = store
        .sync_purposes(&policy, "cli", now)
        .await
        .context("cannot record the purposes of the data map")?;
    for (purpose, count) in &stale {
        if *count > 0 {
            eprintln!(
                "purpose `{purpose}` changed scope: {count} consent(s) marked stale (fresh consent needed, art. 22(6))"
            );
        }
    }
    let token_path = args
        .user_token_secret_file
        .clone()
        .unwrap_or_else(|| data.join("user-token.secret"));
    let tokens = user_token_key(&token_path, true)?;
    let key_path = args
        .audit_key
        .clone()
        .unwrap_or_else(|| data.join("audit-signing.key"));
    let signing_key = xiezhi_audit::SigningKey::load_or_generate(&key_path)
        .with_context(|| format!("audit signing key {}", key_path.display()))?;
    bootstrap_admin_key(&store, &data).await?;
    let purposes = policy.purposes().count();
    let rules = rendered_rules(&project);
    let engine = Engine::new(store, policy, args.cache_capacity);
    let sla = xiezhi_rights::SlaConfig::from_settings(&project.profile.rights)?;
    let identity = identity_services(&args, &data, &project.profile.organisation.name)?;
    let mut shared = Shared::new(engine, tokens, signing_key, args.user_rate)
        .with_rights_sla(sla)
        .with_identity(identity)
        .with_export_dir(data.join("exports"));
    if let Some(r) = rules {
        shared = shared.with_rules(r);
    }
    let shared = shared.with_data_map(project);
    let state = Arc::new(shared);
    let settings = ServeSettings {
        listen: args.listen,
        user_rate_per_second: args.user_rate,
        checkpoint_every,
        webhooks: !args.no_webhooks,
    };
    eprintln!(
        "xiezhi serve: {purposes} purposes from {}; listening on http://{} (OpenAPI at /openapi.json; Ctrl-C stops)",
        args.dir.display(),
        args.listen
    );
    xiezhi_server::serve(state, settings, None)
        .await
        .context("the server stopped with an error")?;
    Ok(())
}

/// The processing rules of the data map as HTML in both languages, for `/privacy/rules`; when a
/// fact is missing, says which and serves the purposes page instead.
fn rendered_rules(project: &xiezhi_map::Project) -> Option<xiezhi_server::RulesHtml> {
    use xiezhi_report::rules::{Format, Scope, render};
    let zh = render(
        project,
        xiezhi_model::Lang::ZhCn,
        Format::Html,
        Scope::General,
    );
    let en = render(
        project,
        xiezhi_model::Lang::En,
        Format::Html,
        Scope::General,
    );
    match (zh, en) {
        (Ok(zh), Ok(en)) => Some(xiezhi_server::RulesHtml { zh, en }),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!(
                "warning: the processing rules cannot be rendered (run `xiezhi rules render`); /privacy/rules shows the purposes only:\n{}",
                e.render(xiezhi_model::Lang::En)
            );
            None
        }
    }
}

/// On first start (no key at all), creates an admin+platform key and writes it to
/// `DATA_DIR/admin.key` (mode 0600); the key itself is never printed.
async fn bootstrap_admin_key(store: &Store, data: &Path) -> Result<()> {
    if !store.list_api_keys().await?.is_empty() {
        return Ok(());
    }
    let path = data.join("admin.key");
    let now = xiezhi_decide::time::now_millis();
    let secret = store
        .create_api_key(
            "bootstrap-admin",
            &[KeyScope::Admin, KeyScope::Platform],
            "cli",
            now,
        )
        .await
        .context("cannot create the first admin key")?
        .plaintext;
    if path.exists() {
        std::fs::remove_file(&path)
            .with_context(|| format!("cannot replace the stale {}", path.display()))?;
    }
    write_secret(&path, &(secret + "\n"))?;
    eprintln!(
        "created the first API key (scopes admin, platform) in {}; create narrower keys with POST /v1/admin/api-keys",
        path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/x?sslmode=require"),
            "postgres://app:***@db:5432/x?sslmode=require"
        );
        assert_eq!(redact_url("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
        assert_eq!(redact_url("not a url"), "not a url");
    }

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("48h").ok(),
            Some(Duration::from_secs(48 * 3600))
        );
        assert_eq!(
            parse_duration("7d").ok(),
            Some(Duration::from_secs(7 * 86_400))
        );
        assert_eq!(parse_duration("30s").ok(), Some(Duration::from_secs(30)));
        assert!(parse_duration("48").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("2w").is_err());
    }
}
