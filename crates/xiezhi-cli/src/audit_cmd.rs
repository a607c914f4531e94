//! `xiezhi audit verify|export|checkpoint`.

use std::io::Write;

use anyhow::{Context, Result};
use xiezhi_model::Lang;

use crate::cli::{
    AuditCheckpointArgs, AuditCommand, AuditExportArgs, AuditVerifyArgs, PlainFormat,
};
use crate::serve_cmd::{data_dir, open_store};

/// Runs an `xiezhi audit` subcommand; `Ok(true)` = tampering found (exit 1).
pub fn run(cmd: AuditCommand) -> Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        match cmd {
            AuditCommand::Verify(a) => verify(a).await,
            AuditCommand::Export(a) => export(a).await.map(|()| false),
            AuditCommand::Checkpoint(a) => checkpoint(a).await.map(|()| false),
        }
    })
}

/// The service's own checkpoint key, read from its data directory (empty, with a note on
/// stderr, when there is none).
pub(crate) fn service_keys(
    dir: &std::path::Path,
    store: &crate::cli::StoreArgs,
) -> Result<Vec<xiezhi_audit::VerifyingKey>> {
    let path = data_dir(dir, store).join("audit-signing.key");
    if path.exists() {
        let key = xiezhi_audit::SigningKey::load(&path)
            .with_context(|| format!("audit signing key {}", path.display()))?;
        Ok(vec![key.verifying_key()])
    } else {
        eprintln!(
            "note: {} not found and no --public-key given: checkpoints cannot be trusted",
            path.display()
        );
        Ok(Vec::new())
    }
}

async fn verify(args: AuditVerifyArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    let mut keys = args
        .public_key
        .iter()
        .map(|k| {
            xiezhi_audit::VerifyingKey::from_hex(k).with_context(|| format!("--public-key {k}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let report = match &args.export {
        Some(path) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            let reader = std::io::BufReader::new(file);
            let r = if keys.is_empty() {
                xiezhi_audit::verify_export(reader)
            } else {
                xiezhi_audit::verify_export_pinned(reader, &keys)
            };
            r.with_context(|| format!("{} is not a readable audit export", path.display()))?
        }
        None => {
            if keys.is_empty() {
                keys = service_keys(&args.dir, &args.store)?;
            }
            let store = open_store(&args.dir, &args.store).await?;
            store
                .audit_verify(&keys)
                .await
                .context("cannot read the audit chain")?
        }
    };
    let bad = report.first_bad.is_some();
    match args.format {
        PlainFormat::Json => {
            let view = xiezhi_server::audit_view(&report);
            println!("{}", serde_json::to_string_pretty(&view)?);
        }
        PlainFormat::Text => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", report.summary(lang_audit(lang)))?;
        }
    }
    Ok(bad)
}

fn lang_audit(lang: Lang) -> xiezhi_audit::Lang {
    match lang {
        Lang::ZhCn => xiezhi_audit::Lang::ZhCn,
        Lang::En => xiezhi_audit::Lang::En,
    }
}

async fn export(args: AuditExportArgs) -> Result<()> {
    let store = open_store(&args.dir, &args.store).await?;
    let mut buf = Vec::new();
    store
        .audit_export(&mut buf, false)
        .await
        .context("cannot read the audit chain")?;
    match &args.output {
        Some(path) => std::fs::write(path, &buf)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(&buf)?,
    }
    Ok(())
}

async fn checkpoint(args: AuditCheckpointArgs) -> Result<()> {
    let store = open_store(&args.dir, &args.store).await?;
    let path = args
        .audit_key
        .clone()
        .unwrap_or_else(|| data_dir(&args.dir, &args.store).join("audit-signing.key"));
    let key = xiezhi_audit::SigningKey::load(&path)
        .with_context(|| format!("audit signing key {}", path.display()))?;
    let now = xiezhi_decide::time::now_millis();
    let cp = store.audit_checkpoint(&key, now).await?;
    println!(
        "checkpoint seq {} hash {} key {}",
        cp.seq, cp.hash, cp.key_id
    );
    Ok(())
}
