//! `xiezhi rights …`: the rights-request workflow on a service database, for staff at a
//! terminal (the admin API offers the same).

use anyhow::{Context, Result, bail};
use comfy_table::{ContentArrangement, Table, presets};
use xiezhi_rights::exec;
use xiezhi_rights::execute;
use xiezhi_rights::workflow::{self, Intake};
use xiezhi_rights::{SlaConfig, Workflow};
use xiezhi_store::{RightsFilter, RightsKind, RightsRequest, Store};

use crate::cli::{RightsCommand, RightsProject};

/// Runs a `xiezhi rights` subcommand. `Ok(true)` means "exit 1" (overdue requests for `due`).
pub fn run(cmd: RightsCommand) -> Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run_async(cmd))
}

struct Ctx {
    store: Store,
    sla: SlaConfig,
    json: bool,
}

async fn open(p: &RightsProject) -> Result<Ctx> {
    let project = xiezhi_map::load_project(&p.dir).map_err(|e| {
        anyhow::anyhow!(
            "{}: the data map does not load ({} error(s); run `xiezhi map check {}`)",
            p.dir.display(),
            e.0.len(),
            p.dir.display()
        )
    })?;
    let sla = SlaConfig::from_settings(&project.profile.rights)?;
    let store = crate::serve_cmd::open_store(&p.dir, &p.store).await?;
    Ok(Ctx {
        store,
        sla,
        json: p.json,
    })
}

fn now() -> i64 {
    xiezhi_decide::time::now_millis()
}

const ACTOR: &str = "cli";

fn table(list: &[RightsRequest]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            "id", "kind", "state", "subject", "received", "due", "identity",
        ]);
    for r in list {
        t.add_row(vec![
            r.id.clone(),
            r.kind.as_str().to_owned(),
            r.state.clone(),
            r.subject.clone(),
            xiezhi_store::china_date(r.received_at),
            r.due_date
                .clone()
                .unwrap_or_else(|| "— (calendar)".to_owned()),
            r.identity_method.clone().unwrap_or_else(|| "—".to_owned()),
        ]);
    }
    t
}

fn print_one(ctx: &Ctx, r: &RightsRequest) -> Result<()> {
    if ctx.json {
        println!("{}", serde_json::to_string_pretty(r)?);
    } else {
        println!("{}", table(std::slice::from_ref(r)));
        if let Some(e) = &r.due_error {
            println!("no due date: {e}");
        }
        if let Some(reasons) = &r.reasons {
            println!("reasons: {reasons}");
        }
    }
    Ok(())
}

async fn run_async(cmd: RightsCommand) -> Result<bool> {
    let cal = xiezhi_model::calendar::PrcCalendar::get()?;
    match cmd {
        RightsCommand::File(a) => {
            let ctx = open(&a.project).await?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let kind = workflow::parse_kind(&a.kind)?;
            let r = wf
                .intake(Intake {
                    subject: &a.subject,
                    kind,
                    details: a.details.as_deref(),
                    channel: "cli",
                    requester: &a.requester,
                    verified: None,
                    actor: ACTOR,
                    at: now(),
                })
                .await?;
            print_one(&ctx, &r)?;
        }
        RightsCommand::List(a) => {
            let ctx = open(&a.project).await?;
            let filter = RightsFilter {
                states: a
                    .state
                    .as_deref()
                    .map(workflow::parse_states)
                    .transpose()?
                    .unwrap_or_default(),
                kind: a.kind.as_deref().map(workflow::parse_kind).transpose()?,
                subject: a.subject.clone(),
                due_on_or_before: a.due_before.clone(),
                limit: a.limit,
            };
            let list = ctx.store.query_rights_requests(&filter).await?;
            if ctx.json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!("{}", table(&list));
                println!("{} request(s)", list.len());
            }
        }
        RightsCommand::Show(a) => {
            let ctx = open(&a.project).await?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let r = wf.get(&a.id).await?;
            let steps = ctx.store.rights_steps(&a.id).await?;
            let tasks = ctx.store.rights_tasks(&a.id).await?;
            if ctx.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"request": r, "steps": steps, "tasks": tasks})
                    )?
                );
            } else {
                print_one(&ctx, &r)?;
                for s in &steps {
                    println!(
                        "  {}  {} → {}  ({})",
                        xiezhi_decide::time::format_rfc3339(s.at),
                        s.from_state.as_deref().unwrap_or("—"),
                        s.to_state,
                        s.actor
                    );
                }
                for t in &tasks {
                    println!("  task {} {} [{}]", t.target, t.kind, t.state);
                }
            }
        }
        RightsCommand::Verify(a) => {
            let ctx = open(&a.project).await?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let r = wf
                .verify_identity(&a.id, &a.method, a.reference.as_deref(), ACTOR, now())
                .await?;
            print_one(&ctx, &r)?;
        }
        RightsCommand::Approve(a) => {
            let ctx = open(&a.project).await?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let r = wf.start(&a.id, ACTOR, now()).await?;
            print_one(&ctx, &r)?;
        }
        RightsCommand::Refuse(a) => {
            let ctx = open(&a.project).await?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let r = wf.refuse(&a.id, &a.reasons, ACTOR, now()).await?;
            print_one(&ctx, &r)?;
        }
        RightsCommand::Complete(a) => {
            let ctx = open(&a.project).await?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let result = serde_json::json!({"by": "cli"});
            let r = match &a.partly {
                Some(reasons) => {
                    wf.complete_partly(&a.id, reasons, result, ACTOR, now())
                        .await?
                }
                None => wf.complete(&a.id, result, ACTOR, now()).await?,
            };
            print_one(&ctx, &r)?;
        }
        RightsCommand::Due(a) => {
            let ctx = open(&a.project).await?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let today = a
                .today
                .clone()
                .unwrap_or_else(|| xiezhi_store::china_date(now()));
            let t = xiezhi_rights::deadline::parse_date(&today)
                .ok_or_else(|| xiezhi_rights::RightsError::BadDate(today.clone()))?;
            let l = wf.due_lists(t).await?;
            if ctx.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "today": today, "overdue": l.overdue, "due_soon": l.due_soon,
                        "no_due_date": l.no_due_date, "on_track": l.on_track.len(),
                    }))?
                );
            } else {
                for (title, list) in [
                    ("overdue · 已逾期", &l.overdue),
                    ("due soon · 即将到期", &l.due_soon),
                    ("no due date · 无法计算期限", &l.no_due_date),
                ] {
                    println!("{title}: {}", list.len());
                    if !list.is_empty() {
                        println!("{}", table(list));
                    }
                }
                println!("on track · 正常: {}", l.on_track.len());
            }
            return Ok(!l.overdue.is_empty());
        }
        RightsCommand::Plan(a) => {
            let project = load(&a.project.dir)?;
            let kind = workflow::parse_kind(&a.kind)?;
            let op = operation_of(kind)?;
            let plan = exec::plan(
                &project,
                op,
                &exec::PlanOptions {
                    dataset: a.dataset.clone(),
                    fields: Vec::new(),
                },
            )?;
            let lang = if a.lang == "en" {
                xiezhi_model::Lang::En
            } else {
                xiezhi_model::Lang::ZhCn
            };
            let estimates = match (&a.subject, a.targets.db.is_empty()) {
                (Some(s), false) => {
                    let targets = targets(&a.targets)?;
                    Some(plan.estimate(&targets, &exec::Subject::parse(s)).await?)
                }
                _ => None,
            };
            if a.project.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "steps": plan.steps.iter().map(|s| &s.name).collect::<Vec<_>>(),
                        "manual": plan.manual.iter().map(|m| &m.dataset).collect::<Vec<_>>(),
                        "estimated_rows": estimates,
                    }))?
                );
            } else {
                print!("{}", plan.render_with(lang, estimates.as_ref()));
            }
        }
        RightsCommand::PurgeHolds(a) => {
            let ctx = open(&a.project).await?;
            let project = load(&a.project.dir)?;
            let targets = targets(&a.targets)?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let today = a
                .today
                .clone()
                .unwrap_or_else(|| xiezhi_store::china_date(now()));
            let report =
                execute::purge_holds(&wf, &project, &a.id, &targets, &today, ACTOR, now()).await?;
            let deleted: u64 = report.steps.iter().map(|s| s.deleted).sum();
            if ctx.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "request": a.id,
                        "today": today,
                        "deleted": deleted,
                        "already_done_today": report.steps.iter().all(|s| s.skipped_already_done),
                        "still_held": report.holds,
                    }))?
                );
            } else {
                println!("{}: {deleted} row(s) deleted as of {today}", a.id);
                for s in report.steps.iter().filter(|s| s.deleted > 0) {
                    println!("  {}: {} deleted", s.dataset, s.deleted);
                }
                for h in &report.holds {
                    println!(
                        "  still held: {} — {} row(s), {} (until {})",
                        h.dataset,
                        h.rows,
                        h.reason,
                        h.until_latest.as_deref().unwrap_or("?")
                    );
                }
            }
        }
        RightsCommand::Execute(a) => {
            let ctx = open(&a.project).await?;
            let project = load(&a.project.dir)?;
            let targets = targets(&a.targets)?;
            let wf = Workflow::new(&ctx.store, &ctx.sla, cal);
            let request = wf.get(&a.id).await?;
            let data = crate::serve_cmd::data_dir(&a.project.dir, &a.project.store);
            if matches!(request.kind, RightsKind::Access | RightsKind::Copy) {
                let Some(path) = &a.key_out else {
                    bail!(
                        "an access/copy package is encrypted: give --key-out FILE for its key (hand it to the person through the verified channel)"
                    );
                };
                if path.exists() {
                    bail!("{} exists; the key goes to a new file", path.display());
                }
            }
            let corrections = match &a.correct {
                Some(f) => Some(read_corrections(f)?),
                None => None,
            };
            let delivery = match &a.to {
                Some(to) => {
                    let (name, url) = to
                        .split_once('=')
                        .context("--to NAME=http://… (the receiving processor and its endpoint)")?;
                    Some(execute::Delivery {
                        recipient: name.to_owned(),
                        url: url.to_owned(),
                    })
                }
                None => None,
            };
            let signing_key = if request.kind == RightsKind::Transfer {
                let path = data.join("audit-signing.key");
                Some(
                    xiezhi_audit::SigningKey::load_or_generate(&path).with_context(|| {
                        format!("the transfer is signed with {}", path.display())
                    })?,
                )
            } else {
                None
            };
            let fee = project.profile.rights.transfer_fee.map(|f| exec::FeeRule {
                reasonable_per_year: f.reasonable_per_year,
                cost_cny: f.cost_cny,
            });
            let hours = i64::from(project.profile.rights.export_link_hours.unwrap_or(72));
            let done = execute::execute(
                &wf,
                &ctx.store,
                &project,
                &a.id,
                execute::ExecuteOptions {
                    targets: &targets,
                    export_dir: &data.join("exports"),
                    export_ttl_ms: hours * 3_600_000,
                    corrections,
                    delivery,
                    signing_key: signing_key.as_ref(),
                    fee,
                    actor: ACTOR,
                    now: now(),
                },
            )
            .await?;
            if let (Some(key), Some(path)) = (done.package_key, &a.key_out) {
                crate::serve_cmd::write_secret(
                    path,
                    &(key.iter().map(|b| format!("{b:02x}")).collect::<String>() + "\n"),
                )?;
                eprintln!(
                    "package {} (download link valid {hours} h); key written to {}",
                    done.package_file
                        .as_deref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    path.display()
                );
            }
            print_one(&ctx, &done.request)?;
        }
        RightsCommand::Stats(a) => {
            let ctx = open(&a.project).await?;
            let (f, t, from, to) =
                workflow::stats_window(a.from.as_deref(), a.to.as_deref(), now())?;
            let rows = ctx.store.rights_stats(f, t).await?;
            if ctx.json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                let mut tb = Table::new();
                tb.load_style(presets::UTF8_FULL_CONDENSED).set_header(vec![
                    "kind",
                    "state",
                    "requests",
                    "late",
                    "mean days to close",
                ]);
                for r in &rows {
                    tb.add_row(vec![
                        r.kind.clone(),
                        r.state.clone(),
                        r.count.to_string(),
                        r.late.to_string(),
                        r.mean_close_ms
                            .map(|ms| format!("{:.1}", ms / 86_400_000.0))
                            .unwrap_or_else(|| "—".into()),
                    ]);
                }
                println!("received {from} … {to} (exclusive)\n{tb}");
            }
        }
    }
    Ok(false)
}

fn load(dir: &std::path::Path) -> Result<xiezhi_map::Project> {
    xiezhi_map::load_project(dir).map_err(|e| {
        anyhow::anyhow!(
            "{}: the data map does not load ({} error(s); run `xiezhi map check {}`)",
            dir.display(),
            e.0.len(),
            dir.display()
        )
    })
}

fn operation_of(kind: RightsKind) -> Result<exec::Operation> {
    Ok(match kind {
        RightsKind::Access | RightsKind::Copy => exec::Operation::Access,
        RightsKind::Delete | RightsKind::CancelAccount => exec::Operation::Erase,
        RightsKind::Correct | RightsKind::Supplement => exec::Operation::Correct,
        RightsKind::Restrict => exec::Operation::Restrict,
        RightsKind::Transfer => exec::Operation::Transfer,
        other => bail!("a '{}' request has no database plan", other.as_str()),
    })
}

/// `--db NAME=DSN` plus XIEZHI_DB_<NAME> variables.
fn targets(a: &crate::cli::RightsTargetArgs) -> Result<exec::Targets> {
    let mut pairs: Vec<String> = a.db.clone();
    for (k, v) in std::env::vars() {
        if let Some(name) = k.strip_prefix("XIEZHI_DB_") {
            pairs.push(format!("{}={v}", name.to_ascii_lowercase()));
        }
    }
    Ok(exec::Targets::from_pairs(pairs)?)
}

fn read_corrections(path: &std::path::Path) -> Result<execute::Corrections> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        dataset: String,
        values: std::collections::BTreeMap<String, Option<String>>,
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let f: File = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: expected {{\"dataset\": \"…\", \"values\": {{\"field\": \"new value\" | null}}}}",
            path.display()
        )
    })?;
    Ok(execute::Corrections {
        dataset: f.dataset,
        values: f.values,
    })
}
