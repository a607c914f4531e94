//! `xiezhi rights …`: the rights-request workflow on a service database, for staff at a
//! terminal (the admin API offers the same).

use anyhow::{Context, Result};
use comfy_table::{ContentArrangement, Table, presets};
use xiezhi_rights::workflow::{self, Intake};
use xiezhi_rights::{SlaConfig, Workflow};
use xiezhi_store::{RightsFilter, RightsRequest, Store};

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
