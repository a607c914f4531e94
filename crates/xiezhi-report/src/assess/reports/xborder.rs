//! The year's cross-border ledger (Reg. arts. 35–38; CAC Order 16): people and sensitive-PI
//! people by year from the data map's transfers, the mechanism required for the year's sums
//! (the `xiezhi-check` decision with the PRC working-day calendar), the mechanism in place,
//! its validity and filing clocks, and the PIPL duties that remain.

use std::collections::BTreeMap;

use xiezhi_check::transfers::{decide_ledger_prc, project_transfers};
use xiezhi_check::xborder::{clock_text, compliance_text};
use xiezhi_map::model::{AssessmentKind, ConsentKind};

use super::super::ctx::{Ctx, facts, note, para};
use super::super::model::{Bar, Block, Chart, Section, SourceKind, Table};
use super::super::text::{self, yes_no};

pub(crate) fn build(c: &mut Ctx) -> Vec<Section> {
    let lang = c.lang;
    let year = c.input.period.year;
    let as_of = c.input.period.as_of;
    let s_tr = c.src(
        SourceKind::DataMap,
        "datamap/*.yaml: transfers[].subjects_by_year",
    );
    let s_dec = c.derived(
        "xiezhi-check cross-border decision (catalog 4.1) with the PRC working-day calendar",
    );
    // By year.
    let mut by_year: BTreeMap<u16, (u64, u64)> = BTreeMap::new();
    for (_, t) in &c.ix.transfers {
        for y in &t.subjects_by_year {
            let e = by_year.entry(y.year).or_default();
            e.0 += y.general;
            e.1 += y.sensitive;
        }
    }
    let mut blocks = Vec::new();
    if c.ix.transfers.is_empty() {
        blocks.push(para(
            c.t(
                "数据地图未记录数据出境。",
                "The data map records no cross-border transfers.",
            ),
            &[&s_tr],
        ));
    } else {
        blocks.push(Block::Table(Table {
            caption: c.t(
                "各年度出境人数（自当年 1 月 1 日起累计，按传输相加）",
                "Individuals per year (cumulative from 1 January, summed over transfers)",
            ),
            headers: vec![
                c.t("年度", "Year"),
                c.t("一般个人信息人数", "Individuals, general PI"),
                c.t("敏感个人信息人数", "Individuals, sensitive PI"),
            ],
            rows: by_year
                .iter()
                .map(|(y, (g, s))| vec![y.to_string(), text::n(*g), text::n(*s)])
                .collect(),
            sources: vec![s_tr.clone()],
        }));
        blocks.push(Block::Chart(Chart {
            id: "chart-xborder-years".into(),
            title: c.t(
                "各年度出境个人信息人数",
                "Individuals whose PI went abroad, by year",
            ),
            unit: c.t("人", "individuals"),
            bars: by_year
                .iter()
                .map(|(y, (g, s))| Bar {
                    label: y.to_string(),
                    value: (*g + *s) as f64,
                    display: text::n(*g + *s),
                })
                .collect(),
            note: None,
            sources: vec![s_tr.clone()],
        }));
    }
    let overview = c.section(
        "years",
        ("一、各年度出境数量", "1. Volumes by year"),
        (
            "《促进和规范数据跨境流动规定》第七条、第八条",
            "CAC Order 16 arts. 7 and 8",
        ),
        blocks,
    );

    // The year's ledger.
    let mapped = project_transfers(c.p, year);
    let inputs: Vec<_> = mapped.iter().map(|m| m.transfer.clone()).collect();
    let (ledgers, cal) = decide_ledger_prc(&inputs, as_of);
    let mut blocks = Vec::new();
    for l in &ledgers {
        blocks.push(facts(vec![
            c.fact("年度", "Year", l.year.to_string(), &s_dec),
            c.fact(
                "计入合计的传输",
                "Transfers counted",
                l.counted.join(", "),
                &s_dec,
            ),
            c.fact(
                "因豁免情形不计入的传输",
                "Transfers left out (scenario exemptions)",
                l.excluded.join(", "),
                &s_dec,
            ),
            c.fact(
                "一般个人信息人数合计",
                "Individuals, general PI (sum)",
                text::n(l.general_pi_individuals),
                &s_dec,
            ),
            c.fact(
                "敏感个人信息人数合计",
                "Individuals, sensitive PI (sum)",
                text::n(l.sensitive_pi_individuals),
                &s_dec,
            ),
            c.fact(
                "所需机制（按年度合计）",
                "Mechanism required (year's sums)",
                l.required.label(lang).to_string(),
                &s_dec,
            ),
        ]));
        let mut rows = Vec::new();
        let mut srcs = vec![s_tr.clone(), s_dec.clone()];
        for d in &l.transfers {
            let Some((file, t)) =
                c.ix.transfers
                    .iter()
                    .find(|(_, t)| t.id.value == d.transfer_id)
                    .copied()
            else {
                continue;
            };
            srcs.push(c.dm(file, &format!("transfers[{}]", t.id.value)));
            let rec =
                c.ix.recipient(&t.recipient.value)
                    .map(|(_, r)| r.name.clone())
                    .unwrap_or_else(|| t.recipient.value.clone());
            rows.push(vec![
                t.id.value.clone(),
                format!("{} · {rec}", t.destination),
                text::scenario(lang, t.scenario).to_string(),
                format!(
                    "{} / {}",
                    text::n(d.general_pi_individuals),
                    text::n(d.sensitive_pi_individuals)
                ),
                d.required.label(lang).to_string(),
                match &t.mechanism_ref {
                    Some(r) => text::paren(lang, text::mechanism(lang, t.mechanism), r),
                    None => text::mechanism(lang, t.mechanism).to_string(),
                },
                compliance_text(d.compliance, lang).to_string(),
                d.clocks
                    .iter()
                    .map(|k| clock_text(k, lang))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
        }
        blocks.push(Block::Table(Table {
            caption: c.t(
                &format!("{} 年出境台账", l.year),
                &format!("Ledger for {}", l.year),
            ),
            headers: vec![
                c.t("编号", "Id"),
                c.t("目的地 · 接收方", "Destination · recipient"),
                c.t("情形", "Scenario"),
                c.t("一般 / 敏感人数", "Individuals general / sensitive"),
                c.t("所需机制", "Required"),
                c.t("已有机制", "In place"),
                c.t("状态", "Status"),
                c.t("有效期和备案期限", "Validity and filing clocks"),
            ],
            rows,
            sources: srcs,
        }));
    }
    if ledgers.is_empty() {
        blocks.push(para(
            c.t(
                &format!("{year} 年没有出境传输。"),
                &format!("No transfers in {year}."),
            ),
            &[&s_tr],
        ));
    }
    if !cal.approximated.is_empty() {
        let ids: Vec<String> = cal
            .approximated
            .iter()
            .map(|a| a.transfer.clone())
            .collect();
        blocks.push(note(c.t(
            &format!("以下传输的工作日期限超出节假日日历覆盖的年份，按自然日近似计算：{}", ids.join("、")),
            &format!("The working-day clocks of these transfers fall outside the holiday calendar's years and were approximated with calendar days: {}", ids.join(", ")),
        )));
    }
    blocks.push(note(c.t(
        "人数按传输相加；按自然人去重〔UNCONFIRMED〕需要身份数据，本台账未去重。",
        "Counts are summed over transfers; deduplication per natural person [UNCONFIRMED] needs identity data and is not applied.",
    )));
    let ledger = c.section(
        "ledger",
        (
            "二、年度台账和出境机制",
            "2. The year's ledger and mechanisms",
        ),
        (
            "《条例》第三十五条、第三十七条、第三十八条；《促进和规范数据跨境流动规定》",
            "Reg. arts. 35, 37, 38; CAC Order 16",
        ),
        blocks,
    );

    // PIPL duties.
    let mut rows = Vec::new();
    let mut srcs = Vec::new();
    for (file, t) in c.ix.transfers.clone() {
        srcs.push(c.dm(
            file,
            &format!("transfers[{}].consent, individuals_notified", t.id.value),
        ));
        let pia: Vec<String> =
            c.ix.assessments_covering(&t.id.value)
                .iter()
                .filter(|(_, a)| a.kind == AssessmentKind::Pipia)
                .map(|(_, a)| format!("{} ({})", a.id.value, a.completed))
                .collect();
        rows.push(vec![
            t.id.value.clone(),
            yes_no(lang, t.consent.contains(&ConsentKind::Separate)).to_string(),
            yes_no(lang, t.individuals_notified).to_string(),
            if pia.is_empty() {
                c.t("无", "none")
            } else {
                pia.join(", ")
            },
        ]);
    }
    let mut blocks = Vec::new();
    if !rows.is_empty() {
        blocks.push(Block::Table(Table {
            caption: c.t("个人信息保护法义务", "PIPL duties"),
            headers: vec![
                c.t("编号", "Id"),
                c.t("单独同意（第三十九条）", "Separate consent (art. 39)"),
                c.t(
                    "已告知境外接收方信息",
                    "Individuals told of the foreign recipient",
                ),
                c.t("影响评估（第五十五条）", "Impact assessment (art. 55)"),
            ],
            rows,
            sources: srcs,
        }));
    }
    blocks.push(note(c.t(
        "豁免申报、标准合同或认证并不免除告知、单独同意和个人信息保护影响评估义务。",
        "Exemptions do not remove the duties of notice, separate consent and the PI protection impact assessment.",
    )));
    let duties = c.section(
        "duties",
        (
            "三、告知、单独同意和影响评估",
            "3. Notice, separate consent and impact assessment",
        ),
        (
            "《个人信息保护法》第三十九条、第五十五条",
            "PIPL arts. 39 and 55",
        ),
        blocks,
    );
    vec![overview, ledger, duties]
}
