//! Carrying out an approved request end to end (SR-DSR-03/04): the plan from the data map, the
//! executors against the platform's databases, Xiezhi's own runtime effects, the follow-up
//! tasks, and the closing step with its outcome — all resumable: a rerun after a crash skips
//! what its journals show done and closes the request once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;
use xiezhi_decide::Millis;
use xiezhi_map::Project;
use xiezhi_store::{RightsExport, RightsFilter, RightsKind, RightsRequest, Store};

use crate::effects;
use crate::exec::{self, Operation, PlanOptions, Subject, Targets};
use crate::workflow::{RightsError, Workflow, state};

/// Signature context of transfer exports (see `xiezhi_audit::SigningKey::sign_detached`).
pub const TRANSFER_SIGNATURE_CONTEXT: &str = "xiezhi-transfer-v1";

/// Where a transfer goes.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The receiving processor's name (as the person named it).
    pub recipient: String,
    /// Its endpoint, `http://…` (behind the platform's TLS egress proxy in production).
    pub url: String,
}

/// Corrections of one dataset's fields (values are PI: never logged; only digests are kept).
#[derive(Clone, Default)]
pub struct Corrections {
    /// Dataset id.
    pub dataset: String,
    /// Field → new value (`None` = NULL).
    pub values: BTreeMap<String, Option<String>>,
}

impl std::fmt::Debug for Corrections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corrections")
            .field("dataset", &self.dataset)
            .field("fields", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// How to execute.
#[derive(Debug)]
pub struct ExecuteOptions<'a> {
    /// The platform's databases by connection name.
    pub targets: &'a Targets,
    /// Where access/copy packages are written (`DATA_DIR/exports`).
    pub export_dir: &'a Path,
    /// How long the download link of a package stays valid.
    pub export_ttl_ms: i64,
    /// For correct/supplement.
    pub corrections: Option<Corrections>,
    /// For transfer.
    pub delivery: Option<Delivery>,
    /// Signs transfer exports.
    pub signing_key: Option<&'a xiezhi_audit::SigningKey>,
    /// The transfer fee rule.
    pub fee: Option<exec::FeeRule>,
    /// Audit actor.
    pub actor: &'a str,
    /// Now.
    pub now: Millis,
}

/// What an execution produced.
#[derive(Debug)]
pub struct Executed {
    /// The request, closed.
    pub request: RightsRequest,
    /// For access/copy: the key that opens the package — give it to the person through the
    /// verified channel; it is stored nowhere.
    pub package_key: Option<[u8; 32]>,
    /// For access/copy: the package file.
    pub package_file: Option<PathBuf>,
}

/// Why an execution could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError {
    /// The workflow refused (not approved, unknown id, …).
    #[error(transparent)]
    Workflow(#[from] RightsError),
    /// The plan could not be made from the data map.
    #[error("cannot plan from the data map: {0}")]
    Plan(#[from] exec::PlanError),
    /// A database step failed (rolled back; run again to resume).
    #[error("execution stopped; run the same command again to resume: {0}")]
    Exec(#[from] exec::ExecError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] xiezhi_store::StoreError),
    /// The request is not approved for execution.
    #[error(
        "rights request '{id}' is '{state}': approve it first (`xiezhi rights approve {id}` or POST …/approve)"
    )]
    NotApproved {
        /// Request id.
        id: String,
        /// State.
        state: String,
    },
    /// A purge of expired holds asked for a request that is not a closed erasure.
    #[error(
        "rights request '{id}' is a '{kind}' request in state '{state}': only completed or partly completed delete / cancel_account requests have legal holds to purge"
    )]
    NotErased {
        /// Request id.
        id: String,
        /// Kind.
        kind: String,
        /// State.
        state: String,
    },
    /// A kind that staff answer in person.
    #[error(
        "a '{0}' request is answered by staff (reply to the person, then `xiezhi rights complete`)"
    )]
    Manual(&'static str),
    /// A correction without values.
    #[error(
        "a correction needs the dataset and the new values (xiezhi rights execute … --correct FILE.json)"
    )]
    NoCorrections,
    /// A transfer without a destination.
    #[error("a transfer needs the receiving processor and its endpoint (--to NAME=URL)")]
    NoDelivery,
    /// A transfer failing art. 25's conditions (the request was refused with these reasons).
    #[error("{0}")]
    TransferRefused(String),
    /// The package could not be written.
    #[error("cannot write the package {path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Delivery to the receiving processor failed (nothing was marked done; run again).
    #[error("delivery to the receiving processor failed: {0}")]
    Delivery(String),
    /// Transfers need the signing key.
    #[error("a transfer export must be signed: the service's audit signing key is needed")]
    NoSigningKey,
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ExecuteError> {
    let io = |source| ExecuteError::Io {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("part");
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)
}

/// Purges the legal holds of a closed erasure request that have ended before `today`
/// (`YYYY-MM-DD`, China date): [`exec::purge_expired_holds`] on the request's subject, then an
/// audit event `rights.hold_purged` with the rows deleted and what is still held. Safe to run
/// daily: the same day twice does nothing.
pub async fn purge_holds(
    wf: &Workflow<'_>,
    project: &Project,
    request_id: &str,
    targets: &Targets,
    today: &str,
    actor: &str,
    now: Millis,
) -> Result<exec::ExecReport, ExecuteError> {
    let r = wf.get(request_id).await?;
    let erasure = matches!(r.kind, RightsKind::Delete | RightsKind::CancelAccount);
    let closed = r.state == state::COMPLETED || r.state == state::PARTLY_COMPLETED;
    if !erasure || !closed {
        return Err(ExecuteError::NotErased {
            id: r.id,
            kind: r.kind.as_str().to_owned(),
            state: r.state,
        });
    }
    let plan = exec::plan(project, Operation::Erase, &PlanOptions::default())?;
    let report =
        exec::purge_expired_holds(&plan, targets, &r.id, &Subject::parse(&r.subject), today)
            .await?;
    let deleted: u64 = report.steps.iter().map(|s| s.deleted).sum();
    let already = report.steps.iter().all(|s| s.skipped_already_done);
    if !already {
        wf.store()
            .record_hold_purge(
                &r.id,
                json!({
                    "today": today,
                    "deleted": deleted,
                    "per_dataset": report.steps.iter().filter(|s| s.deleted > 0)
                        .map(|s| json!({"dataset": s.dataset, "deleted": s.deleted}))
                        .collect::<Vec<_>>(),
                    "still_held": report.holds,
                }),
                actor,
                now,
            )
            .await?;
    }
    Ok(report)
}

/// Executes an approved (`in_progress`) request and closes it: completed, or partly completed
/// with the legal holds as reasons.
pub async fn execute(
    wf: &Workflow<'_>,
    store: &Store,
    project: &Project,
    request_id: &str,
    o: ExecuteOptions<'_>,
) -> Result<Executed, ExecuteError> {
    let r = wf.get(request_id).await?;
    if r.state != state::IN_PROGRESS {
        return Err(ExecuteError::NotApproved {
            id: r.id,
            state: r.state,
        });
    }
    let subject = Subject::parse(&r.subject);
    let mut result = serde_json::Map::new();
    let mut partly: Vec<String> = Vec::new();
    let mut package_key = None;
    let mut package_file = None;
    let manual_tasks = |plan: &exec::Plan| {
        plan.manual
            .iter()
            .map(|m| (m.dataset.clone(), m.clone()))
            .collect::<Vec<_>>()
    };
    match r.kind {
        RightsKind::Access | RightsKind::Copy => {
            let plan = exec::plan(project, Operation::Access, &PlanOptions::default())?;
            let pkg = exec::access(&plan, o.targets, &subject).await?;
            let file = o.export_dir.join(format!("{}.xzpkg", r.id));
            write_private(&file, &pkg.ciphertext)?;
            store
                .put_rights_export(&RightsExport {
                    request_id: r.id.clone(),
                    file_name: format!("{}.xzpkg", r.id),
                    bytes: i64::try_from(pkg.ciphertext.len()).unwrap_or(i64::MAX),
                    sha256: pkg.manifest.ciphertext_sha256.clone(),
                    created_at: o.now,
                    expires_at: o.now + o.export_ttl_ms,
                    downloads: 0,
                })
                .await?;
            result.insert(
                "package".into(),
                json!({"sha256": pkg.manifest.ciphertext_sha256, "files": pkg.manifest.files.len(),
                       "expires_at": xiezhi_decide::time::format_rfc3339(o.now + o.export_ttl_ms)}),
            );
            for (dataset, _) in manual_tasks(&plan) {
                store
                    .add_rights_task(
                        &r.id,
                        &dataset,
                        "manual_dataset_collect",
                        Some("collect this dataset by hand and add it to the copy"),
                        o.now,
                    )
                    .await?;
            }
            package_key = Some(pkg.key);
            package_file = Some(file);
        }
        RightsKind::Delete | RightsKind::CancelAccount => {
            let plan = exec::plan(project, Operation::Erase, &PlanOptions::default())?;
            let report = exec::erase(&plan, o.targets, &r.id, &subject).await?;
            for h in &report.holds {
                partly.push(format!(
                    "{}: {} row(s) kept storage-only — {} (until {})",
                    h.dataset,
                    h.rows,
                    h.reason,
                    h.until_latest
                        .as_deref()
                        .unwrap_or("the end of the retention period")
                ));
            }
            for (dataset, _) in manual_tasks(&plan) {
                store
                    .add_rights_task(
                        &r.id,
                        &dataset,
                        "manual_dataset_erase",
                        Some("erase this dataset's rows of the subject by hand and confirm"),
                        o.now,
                    )
                    .await?;
            }
            let fx =
                effects::apply(store, project, &r.id, &r.subject, r.kind, o.actor, o.now).await?;
            result.insert(
                "erasure".into(),
                serde_json::to_value(&report).unwrap_or_default(),
            );
            result.insert(
                "runtime".into(),
                serde_json::to_value(&fx).unwrap_or_default(),
            );
        }
        RightsKind::Correct | RightsKind::Supplement => {
            let c = o.corrections.clone().ok_or(ExecuteError::NoCorrections)?;
            let plan = exec::plan(
                project,
                Operation::Correct,
                &PlanOptions {
                    dataset: Some(c.dataset.clone()),
                    fields: c.values.keys().cloned().collect(),
                },
            )?;
            let report = exec::correct(&plan, o.targets, &r.id, &subject, &c.values).await?;
            result.insert(
                "correction".into(),
                serde_json::to_value(&report).unwrap_or_default(),
            );
        }
        RightsKind::Restrict | RightsKind::WithdrawConsent => {
            let fx =
                effects::apply(store, project, &r.id, &r.subject, r.kind, o.actor, o.now).await?;
            result.insert(
                "runtime".into(),
                serde_json::to_value(&fx).unwrap_or_default(),
            );
        }
        RightsKind::Transfer => {
            let d = o.delivery.clone().ok_or(ExecuteError::NoDelivery)?;
            let key = o.signing_key.ok_or(ExecuteError::NoSigningKey)?;
            let plan = exec::plan(project, Operation::Transfer, &PlanOptions::default())?;
            let input = exec::TransferInput {
                identity_verified: r.verified_at.is_some(),
            };
            let check = match exec::check_transfer_conditions(project, &plan, o.targets, &input) {
                Ok(c) => c,
                Err(refused) => {
                    let reasons = format!("{} · {refused}", refused.zh());
                    wf.refuse(&r.id, &reasons, o.actor, o.now).await?;
                    return Err(ExecuteError::TransferRefused(reasons));
                }
            };
            let year_ago = o.now - 365 * 86_400_000;
            let count = store
                .query_rights_requests(&RightsFilter {
                    kind: Some(RightsKind::Transfer),
                    subject: Some(r.subject.clone()),
                    limit: 10_000,
                    ..RightsFilter::default()
                })
                .await?
                .iter()
                .filter(|x| x.received_at >= year_ago && x.state != state::REFUSED)
                .count();
            let fee = exec::fee_decision(o.fee, u32::try_from(count).unwrap_or(u32::MAX));
            let export = exec::transfer_export(
                &plan,
                o.targets,
                &subject,
                &r.id,
                &d.recipient,
                u64::try_from(o.now / 1000).unwrap_or(0),
            )
            .await?;
            let body = exec::canonical_bytes(&export);
            let signature = key.sign_detached(TRANSFER_SIGNATURE_CONTEXT, &body);
            crate::deliver::post(&d.url, &body, &key.key_id(), &signature, &r.id)
                .await
                .map_err(ExecuteError::Delivery)?;
            result.insert(
                "transfer".into(),
                json!({"recipient": d.recipient, "excluded_fields": check.excluded_fields,
                       "flagged_datasets": check.flagged_datasets, "fee": fee,
                       "signature_key_id": key.key_id(),
                       "sha256": hex::encode(sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&body)))}),
            );
        }
        RightsKind::ExplainRules => return Err(ExecuteError::Manual("explain_rules")),
        RightsKind::DeceasedRelative => return Err(ExecuteError::Manual("deceased_relative")),
    }
    let result = serde_json::Value::Object(result);
    let request = if partly.is_empty() {
        wf.complete(&r.id, result, o.actor, o.now).await?
    } else {
        wf.complete_partly(&r.id, &partly.join("; "), result, o.actor, o.now)
            .await?
    };
    Ok(Executed {
        request,
        package_key,
        package_file,
    })
}
