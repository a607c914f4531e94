//! `xiezhi xborder [DIR]`: the cross-border decision (catalog 4.1, CAC Order 16) for one
//! transfer of the data map or the whole calendar year's ledger, with the path through the
//! table, the anti-splitting sums and the validity / filing clocks counted in PRC working days.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use serde::Serialize;
use xiezhi_check::transfers::{CalendarUsed, decide_ledger_prc, needs_action, project_transfers};
use xiezhi_check::xborder::{Decision, LedgerDecision, clock_text, compliance_text};
use xiezhi_check::{Date, group_digits};
use xiezhi_model::Lang;

use crate::check_cmd::{load, parse_as_of, write_output};
use crate::cli::{XborderArgs, XborderFormat};

/// Where a transfer is defined.
#[derive(Debug, Clone, Serialize)]
struct Place {
    id: String,
    file: String,
    line: u64,
    column: u64,
}

impl Place {
    fn text(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Serialize)]
struct Report<'a> {
    as_of: Date,
    year: i32,
    calendar: &'a CalendarUsed,
    /// Set with --transfer: the one transfer reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    transfer: Option<&'a str>,
    ledgers: Vec<LedgerDecision>,
    locations: &'a [Place],
    /// Transfers whose required mechanism is missing, too weak, expired or filed late.
    needs_action: Vec<String>,
}

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// Returns `true` when something required is missing, too weak, expired or filed late (exit 1).
pub fn run(args: &XborderArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let year = args.year.unwrap_or_else(|| as_of.year());
    let project = load(&args.dir)?;
    let mapped = project_transfers(&project, year);
    if let Some(id) = &args.transfer
        && !mapped.iter().any(|m| &m.transfer.id == id)
    {
        let known: Vec<&str> = mapped.iter().map(|m| m.transfer.id.as_str()).collect();
        bail!(
            "no transfer `{id}` in the data map (transfers: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    }
    let places: Vec<Place> = mapped
        .iter()
        .map(|m| Place {
            id: m.transfer.id.clone(),
            file: m.file.display().to_string(),
            line: m.line,
            column: m.column,
        })
        .collect();
    let inputs: Vec<_> = mapped.into_iter().map(|m| m.transfer).collect();
    let (mut ledgers, calendar) = decide_ledger_prc(&inputs, as_of);
    // With --transfer, keep its group (the sums stay those of the whole year) and its decision.
    if let Some(id) = &args.transfer {
        ledgers.retain(|l| l.transfers.iter().any(|d| &d.transfer_id == id));
        for l in &mut ledgers {
            l.transfers.retain(|d| &d.transfer_id == id);
        }
    }
    let flagged: Vec<String> = ledgers
        .iter()
        .flat_map(|l| &l.transfers)
        .filter(|d| needs_action(d.compliance))
        .map(|d| d.transfer_id.clone())
        .collect();
    let text = match args.format {
        XborderFormat::Json => {
            let report = Report {
                as_of,
                year,
                calendar: &calendar,
                transfer: args.transfer.as_deref(),
                needs_action: flagged.clone(),
                ledgers,
                locations: &places,
            };
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
        XborderFormat::Table => text(&ledgers, &places, &calendar, as_of, year, &flagged, lang),
        XborderFormat::Markdown => {
            markdown(&ledgers, &places, &calendar, as_of, year, &flagged, lang)
        }
    };
    write_output(args.output.as_deref(), &text)?;
    Ok(!flagged.is_empty())
}

fn calendar_line(c: &CalendarUsed, lang: Lang) -> String {
    let mut out = match (&c.covered, lang) {
        (Some(covered), Lang::ZhCn) => {
            format!("工作日按国务院节假日安排（含调休上班）计算，日历覆盖 {covered} 年")
        }
        (Some(covered), Lang::En) => format!(
            "Working days follow the PRC State Council holiday schedule (adjusted working weekends included); the calendar covers {covered}"
        ),
        (None, Lang::ZhCn) => "节假日日历不可用".to_string(),
        (None, Lang::En) => "the holiday calendar is not available".to_string(),
    };
    for a in &c.approximated {
        out.push_str(&match lang {
            Lang::ZhCn => match (a.outside, &c.covered) {
                (Some(d), Some(covered)) => format!(
                    "\n注意：{} 的期限需要用到 {d}，超出节假日日历覆盖的 {covered} 年，其工作日期限按自然日近似计算（可在 crates/xiezhi-model/data/prc-calendar.txt 中补充该年的国务院节假日安排）",
                    a.transfer
                ),
                _ => format!(
                    "\n注意：{} 的工作日期限按自然日近似计算（{}）",
                    a.transfer, a.reason
                ),
            },
            Lang::En => format!(
                "\nNote: the clocks of {} leave the calendar's years, so its working-day clocks count calendar days ({})",
                a.transfer, a.reason
            ),
        });
    }
    out
}

/// ` (a, b)` / `（a, b）`, or nothing for an empty list.
fn id_list(ids: &[String], lang: Lang) -> String {
    match (ids.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::ZhCn) => format!("（{}）", ids.join(", ")),
        (false, Lang::En) => format!(" ({})", ids.join(", ")),
    }
}

fn sums_line(l: &LedgerDecision, lang: Lang) -> String {
    match lang {
        Lang::ZhCn => format!(
            "数据处理者 {}（{}），{} 年自1月1日起累计（防拆分：豁免情形以外的传输合并计算）：个人信息（不含敏感个人信息）{} 人，敏感个人信息 {} 人；计入 {} 项{}，豁免情形 {} 项{}。年度所需最高机制：{}",
            l.exporter,
            if l.ciio {
                "关键信息基础设施运营者"
            } else {
                "非关键信息基础设施运营者"
            },
            l.year,
            group_digits(l.general_pi_individuals),
            group_digits(l.sensitive_pi_individuals),
            l.counted.len(),
            id_list(&l.counted, lang),
            l.excluded.len(),
            id_list(&l.excluded, lang),
            l.required.label(lang)
        ),
        Lang::En => format!(
            "Exporter {} ({}), year {} since 1 January (anti-splitting: transfers outside the scenario exemptions are summed): general PI {} individuals, sensitive PI {}; {} counted{}, {} under scenario exemptions{}. Strongest mechanism required this year: {}",
            l.exporter,
            if l.ciio { "CIIO" } else { "not a CIIO" },
            l.year,
            group_digits(l.general_pi_individuals),
            group_digits(l.sensitive_pi_individuals),
            l.counted.len(),
            id_list(&l.counted, lang),
            l.excluded.len(),
            id_list(&l.excluded, lang),
            l.required.label(lang)
        ),
    }
}

fn place<'a>(places: &'a [Place], id: &str) -> Option<&'a Place> {
    places.iter().find(|p| p.id == id)
}

fn verdict(flagged: &[String], lang: Lang) -> String {
    if flagged.is_empty() {
        tr(
            lang,
            "结论：所需出境机制均已具备。\n",
            "Result: every required mechanism is in place.\n",
        )
        .to_string()
    } else {
        match lang {
            Lang::ZhCn => format!(
                "结论：{} 项传输缺少所需机制、机制不足、已过期或逾期未备案：{}\n",
                flagged.len(),
                flagged.join(", ")
            ),
            Lang::En => format!(
                "Result: {} transfer(s) lack the required mechanism, have a weaker or expired one, or were not filed in time: {}\n",
                flagged.len(),
                flagged.join(", ")
            ),
        }
    }
}

fn text(
    ledgers: &[LedgerDecision],
    places: &[Place],
    calendar: &CalendarUsed,
    as_of: Date,
    year: i32,
    flagged: &[String],
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}\n{}",
        match lang {
            Lang::ZhCn => format!(
                "数据出境决定：{year} 年度，截至 {as_of}（目录 4.1，《促进和规范数据跨境流动规定》）"
            ),
            Lang::En => format!(
                "Cross-border decision: year {year}, as of {as_of} (catalog 4.1, CAC Order 16)"
            ),
        },
        calendar_line(calendar, lang)
    );
    if ledgers.is_empty() {
        out.push_str(tr(
            lang,
            "数据地图中没有出境传输。\n",
            "The data map has no cross-border transfers.\n",
        ));
    }
    for l in ledgers {
        let _ = writeln!(out, "\n{}", sums_line(l, lang));
        for d in &l.transfers {
            out.push('\n');
            if let Some(p) = place(places, &d.transfer_id) {
                let _ = writeln!(out, "{}", p.text());
            }
            out.push_str(&xiezhi_check::xborder::render_decision(d, lang));
        }
    }
    out.push('\n');
    out.push_str(&verdict(flagged, lang));
    out
}

fn md_decision(out: &mut String, d: &Decision, places: &[Place], lang: Lang) {
    let _ = writeln!(out, "\n### {}\n", d.transfer_id);
    if let Some(p) = place(places, &d.transfer_id) {
        let _ = writeln!(out, "- {}: `{}`", tr(lang, "位置", "Defined at"), p.text());
    }
    let _ = writeln!(
        out,
        "- {}: **{}** {}",
        tr(lang, "所需机制", "Required"),
        d.required.label(lang),
        d.confidence.mark()
    );
    let _ = writeln!(
        out,
        "- {}: {}\n\n{}\n",
        tr(lang, "状态", "Status"),
        compliance_text(d.compliance, lang),
        tr(lang, "决定路径：", "Path through the table:")
    );
    for (i, line) in d.path_text(lang).iter().enumerate() {
        let _ = writeln!(out, "{}. {line}", i + 1);
    }
    if !d.clocks.is_empty() {
        let _ = writeln!(out, "\n{}\n", tr(lang, "期限：", "Clocks:"));
        for c in &d.clocks {
            let _ = writeln!(out, "- {}", clock_text(c, lang));
        }
    }
    if d.pipl_duties_remain {
        let _ = writeln!(
            out,
            "\n{}",
            tr(
                lang,
                "个人信息保护法义务仍适用：告知、单独同意（第三十九条）、个人信息保护影响评估（第五十五条）[C2]",
                "PIPL duties still apply: notice, separate consent (art. 39), PI impact assessment (art. 55) [C2]"
            )
        );
    }
}

fn markdown(
    ledgers: &[LedgerDecision],
    places: &[Place],
    calendar: &CalendarUsed,
    as_of: Date,
    year: i32,
    flagged: &[String],
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}\n\n{}\n",
        match lang {
            Lang::ZhCn => format!("数据出境决定（{year} 年度，截至 {as_of}）"),
            Lang::En => format!("Cross-border decision (year {year}, as of {as_of})"),
        },
        calendar_line(calendar, lang).replace('\n', "\n\n")
    );
    out.push_str(&verdict(flagged, lang));
    for l in ledgers {
        let _ = writeln!(
            out,
            "\n## {} · {}\n\n{}",
            l.exporter,
            l.year,
            sums_line(l, lang)
        );
        for d in &l.transfers {
            md_decision(&mut out, d, places, lang);
        }
    }
    out
}
