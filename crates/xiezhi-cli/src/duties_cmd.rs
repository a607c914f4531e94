//! `xiezhi duties [DIR]`: the calendar of duties (annual reports, audits, PIPO filing,
//! cross-border validity and filing clocks, record retention) as a table, JSON or iCalendar.

use std::path::Path;

use anyhow::{Context, Result};
use comfy_table::{ContentArrangement, Table, presets};
use xiezhi_check::duties::{Calendar, DutyOptions, PastReport, Status, calendar, ics};
use xiezhi_model::Lang;

use crate::check_cmd::{load, parse_as_of, write_output};
use crate::cli::{DutiesArgs, DutiesFailOn, DutiesFormat};

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// Returns `true` when a duty reaches `--fail-on` (exit 1).
pub fn run(args: &DutiesArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let project = load(&args.dir)?;
    let past = match &args.past_reports {
        Some(p) => read_past(p)?,
        None => registered_reports(args)?,
    };
    let cal = calendar(
        &project,
        as_of,
        &past,
        &DutyOptions {
            within_days: args.within,
        },
    );
    let text = match args.format {
        DutiesFormat::Table => render_table(&cal, lang),
        DutiesFormat::Json => {
            let mut s = serde_json::to_string_pretty(&cal)?;
            s.push('\n');
            s
        }
        DutiesFormat::Ics => ics::render(&cal, &project.profile.organisation.name, lang),
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(fails(&cal, args.fail_on))
}

/// Whether the calendar reaches `--fail-on`.
fn fails(cal: &Calendar, fail_on: DutiesFailOn) -> bool {
    cal.duties.iter().any(|d| match fail_on {
        DutiesFailOn::Overdue => d.status == Status::Overdue,
        DutiesFailOn::DueSoon => d.status.is_reminder(),
        DutiesFailOn::Never => false,
    })
}

/// The complete reports of the service database's register, when there is a database (none
/// is created just to read it).
fn registered_reports(args: &DutiesArgs) -> Result<Vec<PastReport>> {
    let exists = args.store.database.is_some()
        || crate::serve_cmd::data_dir(&args.dir, &args.store)
            .join("xiezhi.db")
            .exists();
    if !exists {
        return Ok(Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = crate::serve_cmd::open_store(&args.dir, &args.store).await?;
        let past = xiezhi_server::api::duties::past_reports(&store)
            .await
            .context("cannot read the register of generated reports")?;
        store.close().await;
        Ok(past)
    })
}

/// Reads `--past-reports FILE`: a JSON array of `{kind, period_year?, generated_on}`.
fn read_past(path: &Path) -> Result<Vec<PastReport>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --past-reports {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "--past-reports {}: expected a JSON array of {{\"kind\": …, \"period_year\": …, \"generated_on\": \"YYYY-MM-DD\"}}",
            path.display()
        )
    })
}

/// The table for people: one row per duty (most urgent first), then the notes of the duties
/// that need attention or could not be dated, then a summary line.
pub fn render_table(cal: &Calendar, lang: Lang) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            tr(lang, "状态", "status"),
            tr(lang, "到期日", "due"),
            tr(lang, "剩余天数", "days"),
            tr(lang, "义务", "duty"),
            tr(lang, "条款", "articles"),
            tr(lang, "命令", "command"),
        ]);
    for d in &cal.duties {
        let due = match (d.due, d.window_opens) {
            (Some(due), Some(w)) => format!("{due}\n({} {w})", tr(lang, "窗口自", "window")),
            (Some(due), None) => due.to_string(),
            (None, _) => "-".to_string(),
        };
        t.add_row(vec![
            d.status.label(lang).to_string(),
            due,
            // A deadline met in the past has nothing left to count down.
            d.days_left
                .filter(|n| !(d.status == Status::Done && *n < 0))
                .map_or_else(|| "-".to_string(), |n| n.to_string()),
            format!("{}\n{}", d.title(lang), d.id),
            format!("{} {}", d.articles.join(", "), d.confidence.mark()),
            d.command.clone().unwrap_or_else(|| "-".to_string()),
        ]);
    }
    let mut out = format!("{t}\n");
    let notable: Vec<_> = cal
        .duties
        .iter()
        .filter(|d| d.status.is_reminder() || d.status == Status::Undetermined)
        .collect();
    if !notable.is_empty() {
        out.push_str(tr(lang, "\n说明：\n", "\nNotes:\n"));
        for d in notable {
            let from: Vec<String> = d.derived_from.iter().map(|s| s.text(lang)).collect();
            out.push_str(&format!(
                "- {} [{}] {}\n",
                d.id,
                d.status.label(lang),
                d.note(lang)
            ));
            if !from.is_empty() {
                out.push_str(&format!(
                    "  {}{}\n",
                    tr(lang, "依据：", "derived from: "),
                    from.join(tr(lang, "；", "; "))
                ));
            }
        }
    }
    let covered = cal.working_day_calendar.as_deref().unwrap_or("-");
    out.push_str(&match lang {
        Lang::ZhCn => format!(
            "\n{} 项义务：逾期 {}，{} 天内到期 {}，无法确定 {}，待办 {}，本期已完成 {}，不适用 {}（截至 {}；工作日历覆盖 {covered}）\n",
            cal.duties.len(),
            cal.count(Status::Overdue),
            cal.within_days,
            cal.count(Status::DueSoon),
            cal.count(Status::Undetermined),
            cal.count(Status::Upcoming),
            cal.count(Status::Done),
            cal.count(Status::NotApplicable),
            cal.as_of,
        ),
        Lang::En => format!(
            "\n{} duties: {} overdue, {} due within {} days, {} undetermined, {} upcoming, {} done for the period, {} not applicable (as of {}; working-day calendar covers {covered})\n",
            cal.duties.len(),
            cal.count(Status::Overdue),
            cal.count(Status::DueSoon),
            cal.within_days,
            cal.count(Status::Undetermined),
            cal.count(Status::Upcoming),
            cal.count(Status::Done),
            cal.count(Status::NotApplicable),
            cal.as_of,
        ),
    });
    out
}
