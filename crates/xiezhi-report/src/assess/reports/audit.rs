//! The compliance-audit evidence pack (PIPL 54; Audit Measures; SR-AUDIT-02): the frequency
//! rule that applies, the audits on record, `xiezhi check` findings mapped to articles, and the
//! evidence index.

use std::collections::BTreeMap;

use serde::Serialize;
use xiezhi_check::Date;
use xiezhi_check::rules::entity::AUDIT_BIENNIAL_PI_SUBJECTS;
use xiezhi_map::model::AssessmentKind;

use super::super::ctx::{Ctx, facts, note, para};
use super::super::model::{Block, Section, SourceKind, Table};
use super::super::text;
use super::{
    assessments_table, audit_chain_blocks, findings_blocks, label_coverage, pi_types_by_system,
    processor_facts,
};

/// How often compliance audits are due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AuditFrequency {
    /// PI of more than 10,000,000 people (超过, exclusive): at least once every 2 years.
    pub biennial: bool,
    /// Minors' PI: every year (Minors Regulation art. 37).
    pub yearly_minors: bool,
}

impl AuditFrequency {
    /// The longest interval between general audits, in years (`None`: "regularly", no fixed
    /// interval).
    pub fn max_years(self) -> Option<i32> {
        self.biennial.then_some(2)
    }
}

/// The audit frequency for a processor handling the PI of `pi_subjects` people (`None` =
/// unknown, never switches the rule on) and, with `minors`, PI of minors. "超过一千万人" excludes
/// 10,000,000 itself (catalog 0.2, 4.5).
pub fn audit_frequency(pi_subjects: Option<u64>, minors: bool) -> AuditFrequency {
    AuditFrequency {
        biennial: pi_subjects.is_some_and(|n| n > AUDIT_BIENNIAL_PI_SUBJECTS),
        yearly_minors: minors,
    }
}

pub(crate) fn build(c: &mut Ctx) -> Vec<Section> {
    vec![
        scope(c),
        history(c),
        findings(c),
        evidence(c),
        conclusion(c),
    ]
}

fn latest(c: &Ctx, minors_only: bool) -> Option<Date> {
    let as_of = c.input.period.as_of;
    c.ix.assessments
        .iter()
        .filter(|(_, a)| a.kind == AssessmentKind::ComplianceAudit && (!minors_only || a.minors_pi))
        .filter_map(|(_, a)| xiezhi_check::date::from_map(Some(a.completed)))
        .filter(|d| *d <= as_of)
        .max()
}

fn scope(c: &mut Ctx) -> Section {
    let lang = c.lang;
    let as_of = c.input.period.as_of;
    let mut blocks = vec![processor_facts(c)];
    let derived = xiezhi_check::rules::classify(c.p);
    let f = audit_frequency(c.p.profile.scale.pi_subjects, derived.processes_minors_pi);
    let s_scale = c.profile("scale.pi_subjects");
    let s_rule = c.src(SourceKind::Check, "check rule PIPL-54-audit-biennial");
    let s_minors = c.src(SourceKind::Check, "check rule MINORS-37-annual-audit");
    let mut rows = vec![c.fact(
        "审计频率",
        "Audit frequency",
        if f.biennial {
            c.t(
                "处理超过 1000 万人的个人信息：每两年至少开展一次合规审计",
                "PI of more than 10,000,000 people: a compliance audit at least every 2 years",
            )
        } else {
            c.t(
                "未超过 1000 万人（或人数未记录）：定期开展合规审计，频率未作统一规定",
                "Not more than 10,000,000 people (or the count is not recorded): regular audits, no fixed interval",
            )
        },
        &s_rule,
    )];
    let _ = &s_scale;
    if f.yearly_minors {
        rows.push(c.fact(
            "未成年人个人信息",
            "Minors' PI",
            c.t(
                "每年开展合规审计（《未成年人网络保护条例》第三十七条）",
                "a compliance audit every year (Minors Regulation art. 37)",
            ),
            &s_minors,
        ));
    }
    let last = latest(c, false);
    let s_ass = c.src(
        SourceKind::DataMap,
        "datamap/*.yaml: assessments[kind=compliance_audit]",
    );
    rows.push(
        c.fact(
            "最近一次合规审计",
            "Last compliance audit",
            last.map(|d| d.to_string())
                .unwrap_or_else(|| c.t("无记录", "none on record")),
            &s_ass,
        ),
    );
    if let (Some(y), Some(l)) = (f.max_years(), last) {
        let due = l.add_years(y);
        rows.push(c.fact(
            "下一次最迟",
            "Next due by",
            if due < as_of {
                c.t(&format!("{due}（已逾期）"), &format!("{due} (overdue)"))
            } else {
                c.t(
                    &format!("{due}（截至 {as_of} 尚有 {} 天）", as_of.days_until(due)),
                    &format!("{due} ({} days left as of {as_of})", as_of.days_until(due)),
                )
            },
            &s_rule,
        ));
    }
    if f.yearly_minors {
        let lm = latest(c, true);
        rows.push(c.fact(
            "未成年人审计下一次最迟",
            "Next minors' audit due by",
            match lm {
                Some(l) => {
                    let due = l.add_years(1);
                    if due < as_of {
                        c.t(&format!("{due}（已逾期）"), &format!("{due} (overdue)"))
                    } else {
                        due.to_string()
                    }
                }
                None => c.t("无记录（已应开展）", "none on record (already due)"),
            },
            &s_minors,
        ));
    }
    blocks.push(facts(rows));
    blocks.push(note(c.t(
        &format!("“超过一千万人”不含本数：恰好 {} 人不适用两年一次的规则。", text::n(AUDIT_BIENNIAL_PI_SUBJECTS)),
        &format!("\"More than 10,000,000\" excludes the number itself: exactly {} people does not trigger the 2-year rule.", text::n(AUDIT_BIENNIAL_PI_SUBJECTS)),
    )));
    blocks.push(pi_types_by_system(c));
    let _ = lang;
    c.section(
        "scope",
        ("一、审计对象和频率", "1. Auditee and frequency"),
        (
            "《个人信息保护法》第五十四条；《个人信息保护合规审计管理办法》",
            "PIPL art. 54; Compliance Audit Measures",
        ),
        blocks,
    )
}

fn history(c: &mut Ctx) -> Section {
    let mut blocks = Vec::new();
    match assessments_table(
        c,
        ("合规审计记录", "Compliance audits on record"),
        |a| a.kind == AssessmentKind::ComplianceAudit,
    ) {
        Some(b) => blocks.push(b),
        None => {
            let s = c.src(
                SourceKind::DataMap,
                "datamap/*.yaml: assessments[kind=compliance_audit]",
            );
            blocks.push(para(
                c.t(
                    "数据地图未记录合规审计。",
                    "The data map records no compliance audit.",
                ),
                &[&s],
            ));
        }
    }
    // Rotation: the same firm three times in a row.
    let mut audits: Vec<(xiezhi_map::Date, String)> =
        c.ix.assessments
            .iter()
            .filter(|(_, a)| a.kind == AssessmentKind::ComplianceAudit)
            .map(|(_, a)| (a.completed, a.performed_by.clone().unwrap_or_default()))
            .collect();
    audits.sort();
    let last3: Vec<&String> = audits.iter().rev().take(3).map(|(_, f)| f).collect();
    let rotation = last3.len() == 3 && !last3[0].is_empty() && last3.iter().all(|f| *f == last3[0]);
    let s = c.src(SourceKind::Check, "check rule AUDIT-auditor-rotation");
    blocks.push(para(
        if rotation {
            c.t(
                &format!("最近三次审计均由“{}”实施：同一专业机构不得连续三次审计同一处理者〔UNCONFIRMED〕。", last3[0]),
                &format!("The last three audits were all performed by \"{}\": the same institution may not audit the same processor three times in a row [UNCONFIRMED].", last3[0]),
            )
        } else {
            c.t("未发现同一专业机构连续三次审计的情形〔UNCONFIRMED 规则〕。", "No institution audited three times in a row [UNCONFIRMED rule].")
        },
        &[&s],
    ));
    c.section(
        "history",
        ("二、以往审计", "2. Earlier audits"),
        (
            "《个人信息保护合规审计管理办法》",
            "Compliance Audit Measures",
        ),
        blocks,
    )
}

fn findings(c: &mut Ctx) -> Section {
    let id = "findings";
    let mut blocks = Vec::new();
    // By article.
    let mut by: BTreeMap<String, (usize, std::collections::BTreeSet<&'static str>)> =
        BTreeMap::new();
    for f in c.findings() {
        for a in &f.articles {
            let e = by.entry((*a).to_string()).or_default();
            e.0 += 1;
            e.1.insert(f.rule);
        }
    }
    if !by.is_empty() {
        let s = c.src(SourceKind::Check, "xiezhi check: findings by article");
        blocks.push(Block::Table(Table {
            caption: c.t("按条款汇总", "By article"),
            headers: vec![
                c.t("条款", "Article"),
                c.t("问题数", "Issues"),
                c.t("规则", "Rules"),
            ],
            rows: by
                .iter()
                .map(|(a, (n, rules))| {
                    vec![
                        a.clone(),
                        n.to_string(),
                        rules.iter().copied().collect::<Vec<_>>().join(", "),
                    ]
                })
                .collect(),
            sources: vec![s],
        }));
    }
    blocks.extend(findings_blocks(c, id));
    c.section(
        id,
        (
            "三、发现的问题（对照条款）",
            "3. Findings mapped to articles",
        ),
        ("《个人信息保护法》第五十四条", "PIPL art. 54"),
        blocks,
    )
}

fn evidence(c: &mut Ctx) -> Section {
    let id = "evidence";
    let lang = c.lang;
    let mut blocks = Vec::new();
    let mut rows = Vec::new();
    let mut srcs = Vec::new();
    for f in &c.p.files {
        let m = &f.map;
        srcs.push(c.dm(&f.path, "*"));
        rows.push(vec![
            f.path.display().to_string(),
            c.t(
                &format!(
                    "系统 {}，数据集 {}，处理活动 {}，接收方 {}，出境 {}，评估 {}",
                    m.systems.len(), m.datasets.len(), m.activities.len(), m.recipients.len(), m.transfers.len(), m.assessments.len()
                ),
                &format!(
                    "{} systems, {} datasets, {} activities, {} recipients, {} transfers, {} assessments",
                    m.systems.len(), m.datasets.len(), m.activities.len(), m.recipients.len(), m.transfers.len(), m.assessments.len()
                ),
            ),
        ]);
    }
    blocks.push(Block::Table(Table {
        caption: c.t(
            "数据地图（处理活动记录）",
            "Data map (records of processing)",
        ),
        headers: vec![c.t("文件", "File"), c.t("内容", "Contents")],
        rows,
        sources: srcs,
    }));
    blocks.extend(label_coverage(c));
    match c.input.evidence.rights.clone() {
        Some(r) => {
            let s = c.store("rights_stats");
            let total: u64 = r.rows.iter().map(|x| x.count).sum();
            let late: u64 = r.rows.iter().map(|x| x.late).sum();
            blocks.push(facts(vec![c.fact(
                "权利申请",
                "Rights requests",
                c.t(
                    &format!(
                        "{} 至 {}：{} 件，超期 {} 件",
                        r.from,
                        r.to,
                        text::n(total),
                        text::n(late)
                    ),
                    &format!(
                        "{} to {}: {} requests, {} late",
                        r.from,
                        r.to,
                        text::n(total),
                        text::n(late)
                    ),
                ),
                &s,
            )]));
        }
        None => blocks.push(c.no_evidence(
            id,
            "rights",
            "权利申请处理统计（`xiezhi rights stats`）",
            "rights-request statistics (`xiezhi rights stats`)",
        )),
    }
    match c.input.evidence.consent.clone() {
        Some(k) => {
            let s = c.store("consent_stats");
            let total: u64 = k.rows.iter().map(|x| x.count).sum();
            blocks.push(facts(vec![c.fact(
                "同意记录",
                "Consent records",
                text::n(total),
                &s,
            )]));
        }
        None => {
            blocks.push(c.no_evidence(id, "consent", "同意记录统计", "consent record statistics"))
        }
    }
    blocks.push(Block::Heading {
        id: "audit-chain".into(),
        text: c.t("审计记录", "Audit records"),
    });
    blocks.extend(audit_chain_blocks(c, id));
    let _ = lang;
    c.section(
        id,
        ("四、证据清单", "4. Evidence"),
        (
            "《个人信息保护合规审计管理办法》",
            "Compliance Audit Measures",
        ),
        blocks,
    )
}

fn conclusion(c: &mut Ctx) -> Section {
    let id = "conclusion";
    let (b1, _) = c.ask(
        id,
        "auditor",
        "本次审计的实施者（内部机构或专业机构名称）和审计期间",
        "Who performs this audit (internal body or professional institution) and the audit period",
    );
    let (b2, _) = c.ask(
        id,
        "rectification",
        "对发现问题的整改计划：责任部门、措施和完成期限",
        "Rectification plan for the findings: owner, measures and deadlines",
    );
    c.section(
        id,
        ("五、审计实施和整改", "5. Audit and rectification"),
        (
            "《个人信息保护合规审计管理办法》",
            "Compliance Audit Measures",
        ),
        vec![b1, b2],
    )
}
