//! One module per report kind, and the parts several reports share.

pub(crate) mod annual;
pub(crate) mod art31;
pub mod audit;
pub(crate) mod inspection;
pub(crate) mod pipia;
pub(crate) mod platform;
pub(crate) mod xborder;

use std::collections::{BTreeMap, HashMap};

use xiezhi_map::model::LabelStatus;
use xiezhi_model::{Lang, SensitivityPack};

use super::ctx::{Ctx, facts, para};
use super::model::{Bar, Block, Chart, Document, MissingKind, Table};
use super::text::{self, in_place, yes_no};
use super::{AssessError, ReportInput, ReportKind};

/// Charts list at most this many bars; the rest are summed in a note.
pub(crate) const MAX_BARS: usize = 20;

pub(crate) fn build(input: &ReportInput) -> Result<Document, AssessError> {
    let mut c = Ctx::new(input);
    let sections = match input.kind {
        ReportKind::ImportantDataAnnual => annual::build(&mut c),
        ReportKind::PlatformPiAnnual => platform::build(&mut c),
        ReportKind::Pipia => pipia::build(&mut c)?,
        ReportKind::Art31 => art31::build(&mut c)?,
        ReportKind::ComplianceAudit => audit::build(&mut c),
        ReportKind::InspectionPack => inspection::build(&mut c),
        ReportKind::Xborder => xborder::build(&mut c),
    };
    let lang = input.lang;
    let basis = match input.kind {
        ReportKind::ImportantDataAnnual => c.t(
            "《网络数据安全管理条例》第三十三条；《数据安全法》第三十条；《网络数据安全风险评估办法》",
            "Regulation on Network Data Security Management art. 33; Data Security Law art. 30; Network Data Security Risk Assessment Measures",
        ),
        ReportKind::PlatformPiAnnual => c.t(
            "《网络数据安全管理条例》第四十四条；《个人信息保护法》第五十八条",
            "Regulation art. 44; PIPL art. 58",
        ),
        ReportKind::Pipia => c.t(
            "《个人信息保护法》第五十五条、第五十六条",
            "PIPL arts. 55 and 56",
        ),
        ReportKind::Art31 => c.t("《网络数据安全管理条例》第三十一条", "Regulation art. 31"),
        ReportKind::ComplianceAudit => c.t(
            "《个人信息保护法》第五十四条；《个人信息保护合规审计管理办法》；《网络数据安全管理条例》第二十七条",
            "PIPL art. 54; PI Protection Compliance Audit Measures; Regulation art. 27",
        ),
        ReportKind::InspectionPack => c.t("《网络数据安全管理条例》第五十条", "Regulation art. 50"),
        ReportKind::Xborder => c.t(
            "《网络数据安全管理条例》第三十五条至第三十八条；《促进和规范数据跨境流动规定》",
            "Regulation arts. 35–38; Provisions on Promoting and Regulating Cross-Border Data Flows (CAC Order 16)",
        ),
    };
    let mut title = input.kind.title(lang).to_string();
    if let Some(s) = &input.subject
        && input.kind.per_subject()
    {
        title = format!("{title}（{s}）");
        if lang == Lang::En {
            title = format!("{}: {s}", input.kind.title(lang));
        }
    }
    let unused_answers = c.unused_answers();
    let sources = c.take_sources();
    let mut missing = std::mem::take(&mut c.missing);
    let order: HashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    missing.sort_by_key(|m| {
        (
            order.get(m.section.as_str()).copied().unwrap_or(usize::MAX),
            m.kind,
        )
    });
    missing.dedup();
    Ok(Document {
        kind: input.kind,
        lang,
        title,
        organisation: input.project.profile.organisation.name.clone(),
        year: input.period.year,
        as_of: input.period.as_of.to_string(),
        subject: input.subject.clone().filter(|_| input.kind.per_subject()),
        evidence_source: input.evidence.source.clone(),
        basis,
        sections,
        missing,
        sources,
        unused_answers,
    })
}

/// The processor's basic facts (Reg. art. 33(1) and the header of every report).
pub(crate) fn processor_facts(c: &mut Ctx) -> Block {
    let o = &c.p.profile.organisation;
    let s_name = c.profile("organisation");
    let mut rows = vec![
        c.fact("名称", "Name", o.name.clone(), &s_name),
        c.fact(
            "统一社会信用代码",
            "Unified social credit code",
            o.uscc.clone().unwrap_or_default(),
            &s_name,
        ),
        c.fact(
            "注册地",
            "Jurisdiction",
            o.jurisdiction.clone().unwrap_or_default(),
            &s_name,
        ),
    ];
    let s_contacts = c.profile("organisation.contacts");
    for ct in &o.contacts {
        let role = ct.role.clone().unwrap_or_default();
        let v = [
            ct.name.clone(),
            ct.email.clone(),
            ct.phone.clone(),
            ct.address.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let label = if role.is_empty() {
            c.t("联系方式", "Contact")
        } else {
            text::paren(c.lang, &c.t("联系方式", "Contact"), &role)
        };
        rows.push(super::model::Fact {
            label,
            value: v,
            source: s_contacts.clone(),
        });
    }
    let scale = &c.p.profile.scale;
    let s_scale = c.profile("scale");
    if let Some(n) = scale.pi_subjects {
        rows.push(c.fact(
            "处理个人信息的自然人数",
            "Individuals whose PI is processed",
            text::n(n),
            &s_scale,
        ));
    }
    if let Some(n) = scale.registered_users {
        rows.push(c.fact("注册用户数", "Registered users", text::n(n), &s_scale));
    }
    if let Some(n) = scale.monthly_active_users {
        rows.push(c.fact("月活跃用户数", "Monthly active users", text::n(n), &s_scale));
    }
    if let Some(d) = scale.as_of {
        rows.push(c.fact("数量统计日期", "Counts taken on", d.to_string(), &s_scale));
    }
    facts(rows)
}

/// Data security controls (Reg. art. 9; art. 33(3)).
pub(crate) fn controls_table(c: &mut Ctx) -> Block {
    let k = &c.p.profile.controls;
    let lang = c.lang;
    let src = c.profile("controls");
    let row = |zh: &str, en: &str, b: bool| {
        vec![
            if lang == Lang::ZhCn {
                zh.to_string()
            } else {
                en.to_string()
            },
            in_place(lang, b).to_string(),
        ]
    };
    let mut rows = vec![
        row(
            "数据安全管理制度",
            "Data security management system",
            k.management_system,
        ),
        row("加密", "Encryption", k.encryption),
        row("备份", "Backup", k.backup),
        row("访问控制", "Access control", k.access_control),
        row("安全认证", "Security authentication", k.authentication),
        row(
            "网络数据安全事件应急预案",
            "Incident emergency plan",
            k.incident_plan,
        ),
    ];
    rows.push(vec![
        c.t("网络安全等级保护", "Multi-level protection scheme"),
        match (k.mlps_level, k.mlps_filed) {
            (Some(l), Some(d)) => c.t(
                &format!("第{l}级（{d} 备案）"),
                &format!("level {l} (filed {d})"),
            ),
            (Some(l), None) => c.t(
                &format!("第{l}级（未记录备案日期）"),
                &format!("level {l} (filing date not recorded)"),
            ),
            _ => c.t("未记录", "not recorded"),
        },
    ]);
    rows.push(vec![
        c.t("网络日志留存", "Network log retention"),
        match k.log_retention_months {
            Some(m) => c.t(
                &format!("{m} 个月（法定不少于六个月）"),
                &format!("{m} months (at least 6 required)"),
            ),
            None => c.t("未记录", "not recorded"),
        },
    ]);
    Block::Table(Table {
        caption: c.t("技术和管理措施", "Technical and management measures"),
        headers: vec![c.t("措施", "Measure"), c.t("状态", "Status")],
        rows,
        sources: vec![src],
    })
}

/// Label coverage of the data map's fields: confirmed, suggested, unlabelled.
pub(crate) fn label_coverage(c: &mut Ctx) -> Vec<Block> {
    let (mut confirmed, mut suggested, mut unlabelled) = (0u64, 0u64, 0u64);
    let mut files = std::collections::BTreeSet::new();
    for (file, d) in &c.ix.datasets {
        files.insert(*file);
        for f in &d.fields {
            if f.pi_type.is_none() && f.grade.is_none() {
                unlabelled += 1;
            } else if f.label == LabelStatus::Suggested {
                suggested += 1;
            } else {
                confirmed += 1;
            }
        }
    }
    let total = confirmed + suggested + unlabelled;
    let srcs: Vec<String> = files
        .into_iter()
        .map(|f| c.dm(f, "datasets[].fields[].label, pi_type, grade"))
        .collect();
    let pct = |v: u64| {
        if total == 0 {
            0.0
        } else {
            v as f64 * 100.0 / total as f64
        }
    };
    let lang = c.lang;
    let bar = |zh: &str, en: &str, v: u64| Bar {
        label: if lang == Lang::ZhCn {
            zh.to_string()
        } else {
            en.to_string()
        },
        value: v as f64,
        display: format!("{} ({:.1}%)", text::n(v), pct(v)),
    };
    vec![Block::Chart(Chart {
        id: "chart-labels".into(),
        title: c.t("字段标签覆盖情况", "Label coverage of fields"),
        unit: c.t("个字段", "fields"),
        bars: vec![
            bar("已确认标签", "confirmed labels", confirmed),
            bar(
                "建议标签（待确认）",
                "suggested labels (to confirm)",
                suggested,
            ),
            bar("未标注", "unlabelled", unlabelled),
        ],
        note: Some(c.t(
            &format!(
                "共 {} 个字段；“已标注”指记录了个人信息类型或数据级别。",
                text::n(total)
            ),
            &format!(
                "{} fields in all; a field is labelled when it records a PI type or a grade.",
                text::n(total)
            ),
        )),
        sources: srcs,
    })]
}

/// PI types by system: distinct PI types held in each system's datasets.
pub(crate) fn pi_types_by_system(c: &mut Ctx) -> Block {
    let mut by: BTreeMap<&str, (std::collections::BTreeSet<xiezhi_model::PiType>, u64)> =
        BTreeMap::new();
    let mut files = std::collections::BTreeSet::new();
    for (file, d) in &c.ix.datasets {
        files.insert(*file);
        let e = by.entry(d.system.value.as_str()).or_default();
        for f in &d.fields {
            if let Some(t) = &f.pi_type {
                e.0.insert(t.value.0);
                e.1 += 1;
            }
        }
    }
    let mut rows: Vec<(String, usize, u64)> = by
        .into_iter()
        .filter(|(_, (t, _))| !t.is_empty())
        .map(|(s, (t, n))| (c.ix.system_name(s), t.len(), n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    let total = rows.len();
    let lang = c.lang;
    let bars = rows
        .iter()
        .take(MAX_BARS)
        .map(|(name, types, fields)| Bar {
            label: name.clone(),
            value: *types as f64,
            display: if lang == Lang::ZhCn {
                format!("{types} 类（{} 个字段）", text::n(*fields))
            } else {
                format!("{types} types ({} fields)", text::n(*fields))
            },
        })
        .collect();
    let srcs = files
        .into_iter()
        .map(|f| c.dm(f, "datasets[].system, fields[].pi_type"))
        .collect();
    Block::Chart(Chart {
        id: "chart-pi-types".into(),
        title: c.t("各系统处理的个人信息类型", "PI types by system"),
        unit: c.t("类", "types"),
        bars,
        note: (total > MAX_BARS).then(|| {
            c.t(
                &format!("列出类型最多的 {MAX_BARS} 个系统（共 {total} 个系统含个人信息）。"),
                &format!("The {MAX_BARS} systems with the most types ({total} systems hold PI)."),
            )
        }),
        sources: srcs,
    })
}

/// `xiezhi check` findings: counts by severity and a table.
pub(crate) fn findings_blocks(c: &mut Ctx, section: &str) -> Vec<Block> {
    let lang = c.lang;
    let as_of = c.input.period.as_of;
    let rows: Vec<Vec<String>> = c
        .findings()
        .iter()
        .map(|f| {
            vec![
                f.rule.to_string(),
                f.articles.join("; "),
                match (f.severity, lang) {
                    (xiezhi_check::rules::Severity::High, Lang::ZhCn) => "高".to_string(),
                    (xiezhi_check::rules::Severity::High, Lang::En) => "high".to_string(),
                    (xiezhi_check::rules::Severity::Medium, Lang::ZhCn) => "中".to_string(),
                    (xiezhi_check::rules::Severity::Medium, Lang::En) => "medium".to_string(),
                },
                f.message(lang).to_string(),
                f.location(),
            ]
        })
        .collect();
    let rule_ids: std::collections::BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
    let mut srcs: Vec<String> = rule_ids
        .iter()
        .map(|r| c.src(super::model::SourceKind::Check, format!("check rule {r}")))
        .collect();
    if srcs.is_empty() {
        srcs.push(c.src(
            super::model::SourceKind::Check,
            format!("xiezhi check (as of {as_of})"),
        ));
    }
    let mut out = vec![para(
        c.t(
            &format!(
                "截至 {as_of}，对数据地图运行 `xiezhi check` 发现 {} 项问题（涉及 {} 条规则）。",
                rows.len(),
                rule_ids.len()
            ),
            &format!(
                "As of {as_of}, `xiezhi check` on the data map found {} issue(s) under {} rule(s).",
                rows.len(),
                rule_ids.len()
            ),
        ),
        &srcs.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
    )];
    if !rows.is_empty() {
        out.push(Block::Table(Table {
            caption: c.t("发现的问题", "Issues found"),
            headers: vec![
                c.t("规则", "Rule"),
                c.t("条款", "Articles"),
                c.t("严重程度", "Severity"),
                c.t("说明", "Finding"),
                c.t("位置", "Location"),
            ],
            rows,
            sources: srcs,
        }));
    }
    let _ = section;
    out
}

/// The audit chain (head, checkpoints, verification) from the evidence.
pub(crate) fn audit_chain_blocks(c: &mut Ctx, section: &str) -> Vec<Block> {
    let Some(a) = c.input.evidence.audit.clone() else {
        return vec![c.no_evidence(
            section,
            "audit",
            "审计链头、检查点和校验结果（`xiezhi audit checkpoint`、`xiezhi audit verify`）",
            "audit chain head, checkpoints and verification (`xiezhi audit checkpoint`, `xiezhi audit verify`)",
        )];
    };
    let s = c.store("audit chain (head, checkpoints)");
    let mut rows = vec![
        c.fact(
            "审计链最新序号",
            "Audit chain head sequence",
            a.head_seq.to_string(),
            &s,
        ),
        c.fact(
            "审计链最新哈希",
            "Audit chain head hash",
            a.head_hash.clone(),
            &s,
        ),
        c.fact(
            "报告期内审计事件数",
            "Audit events in the period",
            text::n(a.events_in_period),
            &s,
        ),
    ];
    match &a.verify {
        Some(v) => {
            let sv = c.store("audit verify");
            rows.push(
                c.fact(
                    "完整性校验",
                    "Integrity verification",
                    if c.zh() {
                        format!(
                            "{}（{} 个事件，{}）{}",
                            if v.ok { "通过" } else { "未通过" },
                            text::n(v.events),
                            v.at,
                            v.detail
                        )
                    } else {
                        format!(
                            "{} ({} events, {}) {}",
                            if v.ok { "passed" } else { "FAILED" },
                            text::n(v.events),
                            v.at,
                            v.detail
                        )
                    }
                    .trim()
                    .to_string(),
                    &sv,
                ),
            );
        }
        None => {
            rows.push(c.fact(
                "完整性校验",
                "Integrity verification",
                c.t("未运行", "not run"),
                &s,
            ));
            c.miss(
                section,
                "audit.verify",
                MissingKind::Evidence,
                c.t("审计链校验结果", "audit chain verification result"),
                c.t(
                    "evidence: audit.verify — 运行 `xiezhi audit verify`",
                    "evidence: audit.verify — run `xiezhi audit verify`",
                ),
            );
        }
    }
    let mut out = vec![facts(rows)];
    if !a.checkpoints.is_empty() {
        out.push(Block::Table(Table {
            caption: c.t("已签名检查点", "Signed checkpoints"),
            headers: vec![
                c.t("序号", "Sequence"),
                c.t("签名时间", "Signed at"),
                c.t("密钥", "Key id"),
            ],
            rows: a
                .checkpoints
                .iter()
                .map(|k| vec![k.seq.to_string(), k.at.clone(), k.key_id.clone()])
                .collect(),
            sources: vec![s],
        }));
    }
    out
}

/// Officer facts (security officer and organisation, PIPO).
pub(crate) fn officers_facts(c: &mut Ctx, section: &str, security: bool) -> Vec<Block> {
    let o = c.p.profile.officers.clone();
    let lang = c.lang;
    let mut rows = Vec::new();
    let mut out = Vec::new();
    if security {
        let s_org = c.profile("officers.data_security_organisation");
        match &o.data_security_organisation {
            Some(u) => {
                rows.push(c.fact(
                    "网络数据安全管理机构",
                    "Network data security body",
                    u.name.clone(),
                    &s_org,
                ));
                if let Some(h) = &u.head {
                    rows.push(c.fact("机构负责人", "Head of the body", h.clone(), &s_org));
                }
            }
            None => c.miss(
                section,
                "officers.data_security_organisation",
                MissingKind::DataMap,
                c.t(
                    "网络数据安全管理机构（第三十条）",
                    "network data security body (art. 30)",
                ),
                "xiezhi.yaml: officers.data_security_organisation".into(),
            ),
        }
        let s_off = c.profile("officers.data_security_officer");
        match &o.data_security_officer {
            Some(off) => {
                rows.push(c.fact(
                    "网络数据安全负责人",
                    "Network data security officer",
                    officer_line(lang, off),
                    &s_off,
                ));
                rows.push(c.fact(
                    "管理层成员 / 可直接报告",
                    "Management member / direct reporting",
                    format!(
                        "{} / {}",
                        yes_no(lang, off.management_member),
                        yes_no(lang, off.direct_reporting)
                    ),
                    &s_off,
                ));
                if let Some(d) = off.background_check {
                    rows.push(c.fact(
                        "安全背景审查",
                        "Security background check",
                        d.to_string(),
                        &s_off,
                    ));
                }
                match off.contact.as_ref().and_then(contact_line) {
                    Some(v) => rows.push(c.fact("负责人联系方式", "Officer's contact", v, &s_off)),
                    None => {
                        let (b, a) = c.ask(
                            section,
                            "officer_contact",
                            "网络数据安全负责人的联系方式（数据地图 officers.data_security_officer.contact 未填写；建议使用岗位邮箱）",
                            "contact details of the network data security officer (officers.data_security_officer.contact is empty in the data map; a role mailbox is best)",
                        );
                        if a.is_none() {
                            out.push(b);
                        } else if let Some(v) = a {
                            let s = c.src(
                                super::model::SourceKind::Answers,
                                format!("answers: {}.officer_contact", c.kind().id()),
                            );
                            rows.push(c.fact("负责人联系方式", "Officer's contact", v, &s));
                        }
                    }
                }
            }
            None => c.miss(
                section,
                "officers.data_security_officer",
                MissingKind::DataMap,
                c.t(
                    "网络数据安全负责人姓名和联系方式（第三十条、第三十三条第一项）",
                    "name and contact of the network data security officer (arts. 30, 33(1))",
                ),
                "xiezhi.yaml: officers.data_security_officer".into(),
            ),
        }
    }
    let s_pipo = c.profile("officers.pipo");
    if let Some(p) = &o.pipo {
        rows.push(c.fact(
            "个人信息保护负责人",
            "PI protection officer",
            officer_line(lang, p),
            &s_pipo,
        ));
    }
    let mut blocks = vec![facts(rows)];
    blocks.extend(out);
    blocks
}

fn officer_line(lang: Lang, o: &xiezhi_map::model::Officer) -> String {
    let mut s = o.name.clone();
    if let Some(t) = &o.title {
        s = text::paren(lang, &s, t);
    }
    if let Some(v) = o.contact.as_ref().and_then(contact_line) {
        s.push_str(if lang == Lang::ZhCn { "，" } else { ", " });
        s.push_str(&v);
    }
    if let Some(d) = o.appointed {
        s.push_str(&match lang {
            Lang::ZhCn => format!("，{d} 任命"),
            Lang::En => format!(", appointed {d}"),
        });
    }
    s
}

fn contact_line(ct: &xiezhi_map::model::Contact) -> Option<String> {
    let v: Vec<String> = [ct.email.clone(), ct.phone.clone(), ct.address.clone()]
        .into_iter()
        .flatten()
        .collect();
    (!v.is_empty()).then(|| v.join(" "))
}

/// Whether a PI type is sensitive (GB/T 35273-2020 default pack).
pub(crate) fn sensitive_type(t: xiezhi_model::PiType) -> bool {
    SensitivityPack::default().is_sensitive(t)
}

/// The assessments of one kind as a table.
pub(crate) fn assessments_table(
    c: &mut Ctx,
    caption: (&str, &str),
    filter: impl Fn(&xiezhi_map::model::Assessment) -> bool,
) -> Option<Block> {
    let list: Vec<_> =
        c.ix.assessments
            .iter()
            .filter(|(_, a)| filter(a))
            .copied()
            .collect();
    if list.is_empty() {
        return None;
    }
    let lang = c.lang;
    let mut srcs = Vec::new();
    let rows = list
        .iter()
        .map(|(file, a)| {
            srcs.push(c.dm(file, &format!("assessments[{}]", a.id.value)));
            vec![
                a.id.value.clone(),
                assessment_kind(lang, a.kind).to_string(),
                a.completed.to_string(),
                a.covers
                    .iter()
                    .map(|x| x.value.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                a.performed_by.clone().unwrap_or_default(),
                a.reported.map(|d| d.to_string()).unwrap_or_default(),
                a.next_due.map(|d| d.to_string()).unwrap_or_default(),
                a.records
                    .as_ref()
                    .map(|r| match lang {
                        Lang::ZhCn => format!("{}，{} 年", r.location, r.retention_years),
                        Lang::En => format!("{}, {} years", r.location, r.retention_years),
                    })
                    .unwrap_or_default(),
            ]
        })
        .collect();
    srcs.dedup();
    Some(Block::Table(Table {
        caption: c.t(caption.0, caption.1),
        headers: vec![
            c.t("编号", "Id"),
            c.t("类型", "Kind"),
            c.t("完成日期", "Completed"),
            c.t("覆盖", "Covers"),
            c.t("实施者", "Performed by"),
            c.t("报送日期", "Reported"),
            c.t("下次到期", "Next due"),
            c.t("记录保存", "Records kept"),
        ],
        rows,
        sources: srcs,
    }))
}

pub(crate) fn assessment_kind(lang: Lang, k: xiezhi_map::model::AssessmentKind) -> &'static str {
    use xiezhi_map::model::AssessmentKind as K;
    match (k, lang) {
        (K::Pipia, Lang::ZhCn) => "个人信息保护影响评估",
        (K::Pipia, Lang::En) => "PI protection impact assessment",
        (K::Art31RiskAssessment, Lang::ZhCn) => "第三十一条风险评估",
        (K::Art31RiskAssessment, Lang::En) => "art. 31 risk assessment",
        (K::Art33AnnualRiskAssessment, Lang::ZhCn) => "第三十三条年度风险评估",
        (K::Art33AnnualRiskAssessment, Lang::En) => "art. 33 annual risk assessment",
        (K::ComplianceAudit, Lang::ZhCn) => "合规审计",
        (K::ComplianceAudit, Lang::En) => "compliance audit",
    }
}
