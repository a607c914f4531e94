//! The large platform's annual PI protection social-responsibility report (Reg. art. 44; PIPL
//! 58; SR-RISK-04): measures and their effect, rights requests handled, the external
//! supervisory body's work, plus consent and the processing rules published.

use std::collections::BTreeMap;

use xiezhi_map::model::AssessmentKind;

use super::super::ctx::{Ctx, facts, note, para};
use super::super::model::{Bar, Block, Chart, Section, Table};
use super::super::text::{self, in_place, yes_no};
use super::{MAX_BARS, controls_table, officers_facts, pi_types_by_system, processor_facts};

pub(crate) fn build(c: &mut Ctx) -> Vec<Section> {
    vec![
        overview(c),
        measures(c),
        rights(c),
        consent(c),
        supervisory(c),
    ]
}

fn overview(c: &mut Ctx) -> Section {
    let id = "overview";
    let lang = c.lang;
    let mut blocks = vec![processor_facts(c)];
    let derived = xiezhi_check::rules::classify(c.p);
    let s_roles = c.profile("roles.large_platform");
    let s_derived = c.derived("xiezhi check classify: art. 62(8) thresholds (≥50,000,000 registered or ≥10,000,000 monthly active users)");
    let s_platform = c.profile("platform.social_responsibility_report");
    blocks.push(facts(vec![
        c.fact(
            "声明为大型网络平台",
            "Declared a large network platform",
            yes_no(lang, c.p.profile.roles.large_platform).to_string(),
            &s_roles,
        ),
        c.fact(
            "按用户数达到大型平台标准",
            "Meets the user-count thresholds",
            yes_no(lang, derived.large_platform_candidate).to_string(),
            &s_derived,
        ),
        c.fact(
            "上一份社会责任报告发布日期",
            "Last social responsibility report published",
            c.p.profile
                .platform
                .social_responsibility_report
                .map(|d| d.to_string())
                .unwrap_or_else(|| c.t("未记录", "not recorded")),
            &s_platform,
        ),
    ]));
    if !c.p.profile.roles.large_platform && !derived.large_platform_candidate {
        blocks.push(note(c.t(
            "数据地图未显示本组织为大型网络平台：第四十四条的年度报告义务可能不适用，本报告可作为自愿披露。",
            "The data map does not show a large network platform: the yearly duty of art. 44 may not apply; this report can serve as a voluntary disclosure.",
        )));
    }
    c.section(
        id,
        ("一、基本情况", "1. Overview"),
        ("《条例》第四十四条", "Reg. art. 44"),
        blocks,
    )
}

fn measures(c: &mut Ctx) -> Section {
    let id = "measures";
    let lang = c.lang;
    let mut blocks = officers_facts(c, id, false);
    blocks.push(controls_table(c));
    let n = &c.p.profile.notice;
    let pl = &c.p.profile.platform;
    let s_notice = c.profile("notice");
    let s_pl = c.profile("platform");
    let push_acts: Vec<_> =
        c.ix.activities
            .iter()
            .filter(|(_, a)| a.push || a.recommendation)
            .copied()
            .collect();
    let controls_ok = push_acts
        .iter()
        .filter(|(_, a)| {
            a.push_controls
                .as_ref()
                .is_some_and(|p| p.off_switch && p.refuse_push && p.delete_tags)
        })
        .count();
    let s_acts = c.src(
        super::super::model::SourceKind::DataMap,
        "datamap/*.yaml: activities[].push_controls",
    );
    let pipias =
        c.ix.assessments
            .iter()
            .filter(|(_, a)| a.kind == AssessmentKind::Pipia)
            .count();
    let s_ass = c.src(
        super::super::model::SourceKind::DataMap,
        "datamap/*.yaml: assessments[kind=pipia]",
    );
    blocks.push(facts(vec![
        c.fact(
            "个人信息处理规则",
            "Processing rules",
            match (&n.url, n.published) {
                (Some(u), Some(d)) => text::paren(lang, u, &d.to_string()),
                (Some(u), None) => u.clone(),
                _ => c.t("未记录发布地址", "publication not recorded"),
            },
            &s_notice,
        ),
        c.fact(
            "用户可获取其产生的数据（第四十六条）",
            "Users can obtain the data they generated (art. 46)",
            in_place(lang, pl.user_data_export).to_string(),
            &s_pl,
        ),
        c.fact(
            "差别待遇审查（第四十六条）",
            "Review of differential treatment (art. 46)",
            pl.differential_treatment_review
                .map(|d| d.to_string())
                .unwrap_or_else(|| c.t("未记录", "not recorded")),
            &s_pl,
        ),
        c.fact(
            "个性化推荐和推送的关闭、拒绝、删除标签功能（第四十二条）",
            "Switch-off, refuse-push and delete-tags controls (art. 42)",
            c.t(
                &format!("{controls_ok} / {} 项活动齐备", push_acts.len()),
                &format!(
                    "complete for {controls_ok} of {} activities",
                    push_acts.len()
                ),
            ),
            &s_acts,
        ),
        c.fact(
            "个人信息保护影响评估",
            "PI protection impact assessments",
            pipias.to_string(),
            &s_ass,
        ),
    ]));
    blocks.push(pi_types_by_system(c));
    let (b, _) = c.ask(
        id,
        "measures_effect",
        "本年度个人信息保护措施的成效（例如整改完成情况、投诉量变化、测评结论）",
        "The effect of the year's PI protection measures (e.g. rectifications completed, change in complaints, test conclusions)",
    );
    blocks.push(b);
    c.section(
        id,
        (
            "二、个人信息保护措施和成效",
            "2. PI protection measures and their effect",
        ),
        ("《条例》第四十四条第一项", "Reg. art. 44 item 1"),
        blocks,
    )
}

fn rights(c: &mut Ctx) -> Section {
    let id = "rights";
    let lang = c.lang;
    let mut blocks = Vec::new();
    let s_ch = c.profile("notice.rights_channels");
    let ch = &c.p.profile.notice.rights_channels;
    let channels: Vec<(&str, Option<String>)> = vec![
        ("access", ch.access.clone()),
        ("copy", ch.copy.clone()),
        ("transfer", ch.port.clone()),
        ("correct", ch.correct.clone()),
        ("supplement", ch.supplement.clone()),
        ("delete", ch.delete.clone()),
        ("restrict", ch.restrict.clone()),
        ("cancel_account", ch.cancel_account.clone()),
        ("withdraw_consent", ch.withdraw_consent.clone()),
    ];
    let rows: Vec<Vec<String>> = channels
        .iter()
        .map(|(k, v)| {
            vec![
                text::rights_kind(lang, k),
                v.clone().unwrap_or_else(|| c.t("未提供", "not offered")),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        caption: c.t("受理渠道", "Channels"),
        headers: vec![c.t("权利", "Right"), c.t("渠道", "Channel")],
        rows,
        sources: vec![s_ch],
    }));
    match c.input.evidence.rights.clone() {
        None => blocks.push(c.no_evidence(
            id,
            "rights",
            "报告期内个人行使权利申请的受理和处理统计（`xiezhi rights stats`）",
            "statistics of rights requests received and handled in the period (`xiezhi rights stats`)",
        )),
        Some(r) => {
            let s = c.store("rights_stats");
            let total: u64 = r.rows.iter().map(|x| x.count).sum();
            let late: u64 = r.rows.iter().map(|x| x.late).sum();
            blocks.push(para(
                c.t(
                    &format!("{} 至 {}，共受理 {} 件权利申请，其中 {} 件超过期限办结。", r.from, r.to, text::n(total), text::n(late)),
                    &format!("From {} to {}, {} rights requests were received; {} were closed after their due date.", r.from, r.to, text::n(total), text::n(late)),
                ),
                &[&s],
            ));
            // By kind: count per state.
            let mut by_state: BTreeMap<String, u64> = BTreeMap::new();
            let mut by_kind: BTreeMap<String, (u64, u64, f64, u64)> = BTreeMap::new();
            for row in &r.rows {
                *by_state.entry(row.state.clone()).or_default() += row.count;
                let e = by_kind.entry(row.kind.clone()).or_default();
                e.0 += row.count;
                e.1 += row.late;
                if let Some(h) = row.mean_close_hours {
                    e.2 += h * row.count as f64;
                    e.3 += row.count;
                }
            }
            blocks.push(Block::Table(Table {
                caption: c.t("按权利类型和处理结果统计", "By kind and outcome"),
                headers: vec![c.t("权利", "Right"), c.t("状态", "State"), c.t("件数", "Requests"), c.t("超期", "Late"), c.t("平均办结时间", "Mean time to close")],
                rows: r
                    .rows
                    .iter()
                    .map(|x| {
                        vec![
                            text::rights_kind(lang, &x.kind),
                            text::rights_state(lang, &x.state),
                            text::n(x.count),
                            text::n(x.late),
                            x.mean_close_hours.map(|h| text::days(lang, h)).unwrap_or_else(|| "—".into()),
                        ]
                    })
                    .collect(),
                sources: vec![s.clone()],
            }));
            let order = ["completed", "partly_completed", "refused", "in_progress", "identity_verified", "received"];
            let mut states: Vec<(String, u64)> = by_state.into_iter().collect();
            states.sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(order.len()));
            blocks.push(Block::Chart(Chart {
                id: "chart-rights-outcome".into(),
                title: c.t("权利申请处理结果", "Rights requests by outcome"),
                unit: c.t("件", "requests"),
                bars: states
                    .iter()
                    .map(|(k, v)| Bar { label: text::rights_state(lang, k), value: *v as f64, display: text::n(*v) })
                    .collect(),
                note: None,
                sources: vec![s.clone()],
            }));
            let mut closing: Vec<(String, f64)> = by_kind
                .iter()
                .filter(|(_, e)| e.3 > 0)
                .map(|(k, e)| (text::rights_kind(lang, k), e.2 / e.3 as f64))
                .collect();
            closing.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            closing.truncate(MAX_BARS);
            blocks.push(Block::Chart(Chart {
                id: "chart-rights-time".into(),
                title: c.t("平均办结时间（按权利类型）", "Mean time to close by kind"),
                unit: c.t("天", "days"),
                bars: closing
                    .iter()
                    .map(|(k, h)| Bar { label: k.clone(), value: h / 24.0, display: text::days(lang, *h) })
                    .collect(),
                note: None,
                sources: vec![s],
            }));
        }
    }
    c.section(
        id,
        (
            "三、个人行使权利的申请受理和处理情况",
            "3. Applications by individuals exercising their rights: acceptance and handling",
        ),
        ("《条例》第四十四条第二项", "Reg. art. 44 item 2"),
        blocks,
    )
}

fn consent(c: &mut Ctx) -> Section {
    let id = "consent";
    let lang = c.lang;
    let mut blocks = Vec::new();
    match c.input.evidence.consent.clone() {
        None => blocks.push(c.no_evidence(
            id,
            "consent",
            "按处理规则版本和状态统计的同意记录",
            "consent records by rules version and status",
        )),
        Some(k) => {
            let s = c.store("consent_stats");
            blocks.push(Block::Table(Table {
                caption: c.t("同意记录", "Consent records"),
                headers: vec![
                    c.t("处理规则版本", "Rules version"),
                    c.t("状态", "Status"),
                    c.t("记录数", "Records"),
                ],
                rows: k
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            if r.rules_version.is_empty() {
                                "—".into()
                            } else {
                                r.rules_version.clone()
                            },
                            text::consent_status(lang, &r.status),
                            text::n(r.count),
                        ]
                    })
                    .collect(),
                sources: vec![s],
            }));
        }
    }
    if c.input.evidence.rules_versions.is_empty() {
        blocks.push(c.no_evidence(
            id,
            "rules_versions",
            "已发布的个人信息处理规则版本（`xiezhi rules publish`）",
            "published versions of the processing rules (`xiezhi rules publish`)",
        ));
    } else {
        let s = c.store("rules_versions");
        blocks.push(Block::Table(Table {
            caption: c.t(
                "已发布的处理规则版本",
                "Processing rules versions published",
            ),
            headers: vec![
                c.t("版本", "Version"),
                c.t("发布时间", "Published"),
                c.t("SHA-256", "SHA-256"),
            ],
            rows: c
                .input
                .evidence
                .rules_versions
                .iter()
                .map(|v| vec![v.version.clone(), v.published_at.clone(), v.digest.clone()])
                .collect(),
            sources: vec![s],
        }));
    }
    c.section(
        id,
        (
            "四、同意管理和处理规则版本",
            "4. Consent and processing rules versions",
        ),
        (
            "《条例》第二十一条、第四十四条第一项",
            "Reg. arts. 21 and 44 item 1",
        ),
        blocks,
    )
}

fn supervisory(c: &mut Ctx) -> Section {
    let id = "supervisory-body";
    let mut blocks = Vec::new();
    let s = c.profile("platform.external_supervisory_body");
    match c.p.profile.platform.external_supervisory_body.clone() {
        Some(name) => blocks.push(facts(vec![c.fact(
            "外部成员为主的独立机构",
            "Independent body of mainly external members",
            name,
            &s,
        )])),
        None => c.miss(
            id,
            "platform.external_supervisory_body",
            super::super::model::MissingKind::DataMap,
            c.t(
                "主要由外部成员组成的独立机构名称（个人信息保护法第五十八条）",
                "name of the independent body composed mainly of external members (PIPL 58)",
            ),
            "xiezhi.yaml: platform.external_supervisory_body".into(),
        ),
    }
    let (b, _) = c.ask(
        id,
        "supervisory_body_work",
        "外部监督机构本年度的履职情况（会议次数、审议事项、提出的意见及采纳情况）",
        "The external supervisory body's work this year (meetings, matters reviewed, opinions given and how they were acted on)",
    );
    blocks.push(b);
    c.section(
        id,
        (
            "五、由外部成员为主组成的独立机构履行职责情况",
            "5. Work of the supervisory body composed mainly of external members",
        ),
        (
            "《条例》第四十四条第三项；《个人信息保护法》第五十八条",
            "Reg. art. 44 item 3; PIPL 58",
        ),
        blocks,
    )
}
