//! `xiezhi token issue` and `xiezhi apikey create|list|revoke`.

use anyhow::{Context, Result, bail};
use xiezhi_store::KeyScope;

use crate::cli::{ApikeyCommand, ScopeArg, TokenCommand};
use crate::serve_cmd::{data_dir, open_store, parse_duration, user_token_key};

/// `xiezhi token …`.
pub fn token(cmd: TokenCommand) -> Result<bool> {
    let TokenCommand::Issue(args) = cmd;
    let path = args
        .secret_file
        .clone()
        .unwrap_or_else(|| args.dir.join(".xiezhi").join("user-token.secret"));
    let key = user_token_key(&path, false)?;
    let ttl = parse_duration(&args.ttl).context("--ttl")?;
    if ttl.is_zero() {
        bail!("--ttl must be longer than 0");
    }
    let now = xiezhi_decide::time::now_millis() / 1000;
    let exp = now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
    println!("{}", key.issue(&args.subject, now, exp));
    Ok(false)
}

/// `xiezhi apikey …`.
pub fn apikey(cmd: ApikeyCommand) -> Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let now = xiezhi_decide::time::now_millis();
        match cmd {
            ApikeyCommand::Create(a) => {
                let store = open_store(&a.dir, &a.store).await?;
                let scopes: Vec<KeyScope> = a
                    .scopes
                    .iter()
                    .map(|s| match s {
                        ScopeArg::Platform => KeyScope::Platform,
                        ScopeArg::Admin => KeyScope::Admin,
                    })
                    .collect();
                let created = store.create_api_key(&a.name, &scopes, "cli", now).await?;
                eprintln!(
                    "created key {} ({}); it is shown this once:",
                    created.key.id, created.key.name
                );
                println!("{}", created.plaintext);
                let _ = data_dir(&a.dir, &a.store);
            }
            ApikeyCommand::List(a) => {
                let store = open_store(&a.dir, &a.store).await?;
                for k in store
                    .list_api_keys()
                    .await?
                    .into_iter()
                    .filter(|k| k.revoked_at.is_none())
                {
                    let scopes: Vec<&str> = k
                        .scopes
                        .iter()
                        .map(|s| match s {
                            KeyScope::Platform => "platform",
                            KeyScope::Admin => "admin",
                        })
                        .collect();
                    println!("{}\t{}\t{}", k.id, k.name, scopes.join(","));
                }
            }
            ApikeyCommand::Revoke(a) => {
                let store = open_store(&a.dir, &a.store).await?;
                if !store.revoke_api_key(&a.id, "cli", now).await? {
                    bail!("no API key with id {}", a.id);
                }
                println!("revoked {}", a.id);
            }
        }
        Ok(false)
    })
}
