//! PI protection impact assessments (PIPL 55–56; SR-RISK-01), one part per activity: the
//! triggers present, lawfulness and necessity, impact and risks, protection measures; kept at
//! least three years.

use std::collections::{BTreeSet, HashMap};

use xiezhi_map::model::{Activity, AssessmentKind, ConsentKind, SubjectKind};

use super::super::AssessError;
use super::super::ctx::{Ctx, facts, note};
use super::super::model::{Block, Section, Table};
use super::super::text::{self, relationship, yes_no};
use super::sensitive_type;

/// The PIPL 55 triggers of one activity.
struct Triggers {
    sensitive: Vec<String>,
    automated: bool,
    flows: Vec<String>,
    cross_border: Vec<String>,
    minors: bool,
}

impl Triggers {
    fn any(&self) -> bool {
        !self.sensitive.is_empty()
            || self.automated
            || !self.flows.is_empty()
            || !self.cross_border.is_empty()
            || self.minors
    }
}

fn triggers(c: &Ctx, a: &Activity, xb: &HashMap<&str, Vec<usize>>) -> Triggers {
    let lang = c.lang;
    let own: BTreeSet<xiezhi_model::PiType> = a.pi_types.iter().map(|t| t.value.0).collect();
    let mut sensitive: BTreeSet<xiezhi_model::PiType> =
        own.iter().copied().filter(|t| sensitive_type(*t)).collect();
    let mut minors = false;
    let mut cross = BTreeSet::new();
    for d in &a.datasets {
        if let Some((_, ds)) = c.ix.dataset(&d.value) {
            if ds
                .subjects
                .iter()
                .any(|s| matches!(s, SubjectKind::Minors | SubjectKind::ChildrenUnder14))
            {
                minors = true;
            }
            if ds.subjects.contains(&SubjectKind::ChildrenUnder14) {
                sensitive.extend(own.iter().copied());
            }
            for f in ds.fields.iter().filter(|f| f.sensitive) {
                if let Some(t) = &f.pi_type
                    && own.contains(&t.value.0)
                {
                    sensitive.insert(t.value.0);
                }
            }
        }
        for i in xb.get(d.value.as_str()).into_iter().flatten() {
            cross.insert(*i);
        }
    }
    for r in &a.recipients {
        for (i, (_, t)) in c.ix.transfers.iter().enumerate() {
            if t.recipient.value == r.value {
                cross.insert(i);
            }
        }
    }
    let flows = a
        .recipients
        .iter()
        .filter_map(|r| c.ix.recipient(&r.value))
        .map(|(_, r)| text::paren(lang, &r.name, relationship(lang, r.relationship)))
        .collect();
    Triggers {
        sensitive: sensitive
            .into_iter()
            .map(|t| t.name(lang).to_string())
            .collect(),
        automated: a.automated_decision || a.recommendation || a.push,
        flows,
        cross_border: cross
            .into_iter()
            .map(|i| {
                let t = c.ix.transfers[i].1;
                format!("{} → {}", t.id.value, t.destination)
            })
            .collect(),
        minors,
    }
}

pub(crate) fn build(c: &mut Ctx) -> Result<Vec<Section>, AssessError> {
    let mut xb: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (_, t)) in c.ix.transfers.iter().enumerate() {
        for d in &t.datasets {
            xb.entry(d.value.as_str()).or_default().push(i);
        }
    }
    let acts: Vec<_> = c.ix.activities.clone();
    let chosen: Vec<usize> = match &c.input.subject {
        Some(s) => match acts.iter().position(|(_, a)| &a.id.value == s) {
            Some(i) => vec![i],
            None => {
                return Err(AssessError::UnknownSubject {
                    kind: c.kind(),
                    subject: s.clone(),
                    what: "an activity",
                    known: acts.iter().map(|(_, a)| a.id.value.clone()).collect(),
                });
            }
        },
        None => acts
            .iter()
            .enumerate()
            .filter(|(_, (_, a))| a.ended.is_none() && triggers(c, a, &xb).any())
            .map(|(i, _)| i)
            .collect(),
    };
    let lang = c.lang;
    // Overview.
    let mut rows = Vec::new();
    let mut srcs = Vec::new();
    for (file, a) in &acts {
        srcs.push(c.dm(file, &format!("activities[{}]", a.id.value)));
        let t = triggers(c, a, &xb);
        let mut list = Vec::new();
        if !t.sensitive.is_empty() {
            list.push(c.t("敏感个人信息", "sensitive PI"));
        }
        if t.automated {
            list.push(c.t("自动化决策", "automated decision-making"));
        }
        if !t.flows.is_empty() {
            list.push(c.t(
                "委托处理、向他人提供或共同处理",
                "entrusting, providing or joint processing",
            ));
        }
        if !t.cross_border.is_empty() {
            list.push(c.t("向境外提供", "providing abroad"));
        }
        if t.minors {
            list.push(c.t("未成年人个人信息（重大影响）", "minors' PI (major impact)"));
        }
        let covered: Vec<String> =
            c.ix.assessments_covering(&a.id.value)
                .iter()
                .filter(|(_, x)| x.kind == AssessmentKind::Pipia)
                .map(|(_, x)| format!("{} ({})", x.id.value, x.completed))
                .collect();
        rows.push(vec![
            a.name.clone(),
            if a.ended.is_some() {
                c.t("已结束", "ended")
            } else {
                c.t("进行中", "current")
            },
            if list.is_empty() {
                c.t("无", "none")
            } else {
                text::join(lang, &list)
            },
            if covered.is_empty() {
                "—".into()
            } else {
                covered.join(", ")
            },
        ]);
    }
    srcs.dedup();
    // PIPIA reports kept fewer than three years (or with no record of where they are kept).
    let short: Vec<String> =
        c.ix.assessments
            .iter()
            .filter(|(_, a)| a.kind == AssessmentKind::Pipia)
            .filter(|(_, a)| a.records.as_ref().is_none_or(|r| r.retention_years < 3))
            .map(|(_, a)| a.id.value.clone())
            .collect();
    let short_note = (!short.is_empty()).then(|| {
        note(c.t(
            &format!(
                "以下影响评估报告未记录保存位置或保存少于三年（assessments[].records）：{}",
                short.join("、")
            ),
            &format!(
                "These impact assessment reports record no place of keeping, or are kept fewer than three years (assessments[].records): {}",
                short.join(", ")
            ),
        ))
    });
    let mut sections = vec![c.section(
        "overview",
        ("一、评估范围", "1. Scope"),
        ("《个人信息保护法》第五十五条", "PIPL art. 55"),
        vec![
            Block::Table(Table {
                caption: c.t("处理活动与评估触发情形", "Activities and the triggers present"),
                headers: vec![c.t("处理活动", "Activity"), c.t("状态", "Status"), c.t("触发情形", "Triggers"), c.t("已有评估", "Existing assessments")],
                rows,
                sources: srcs,
            }),
            note(c.t(
                "本报告和处理情况记录应当至少保存三年（《个人信息保护法》第五十六条第二款）。数据地图未记录公开个人信息的情形；如有，应一并评估。",
                "This report and the processing records must be kept for at least three years (PIPL 56 para 2). The data map records no public disclosure of PI; if there is any, assess it too.",
            )),
        ]
        .into_iter()
        .chain(short_note)
        .collect(),
    )];
    for (n, i) in chosen.into_iter().enumerate() {
        let (file, a) = acts[i];
        sections.push(activity_part(c, file, a, n + 2, &xb));
    }
    Ok(sections)
}

fn activity_part(
    c: &mut Ctx,
    file: &std::path::Path,
    a: &Activity,
    n: usize,
    xb: &HashMap<&str, Vec<usize>>,
) -> Section {
    let lang = c.lang;
    let id = format!("activity-{}", a.id.value);
    let aid = a.id.value.clone();
    let s = c.dm(file, &format!("activities[{aid}]"));
    let t = triggers(c, a, xb);
    let mut blocks = Vec::new();
    let datasets: Vec<String> = a
        .datasets
        .iter()
        .filter_map(|d| c.ix.dataset(&d.value))
        .map(|(_, d)| text::paren(lang, &d.name, &c.ix.system_name(&d.system.value)))
        .collect();
    let pi: Vec<String> = a
        .pi_types
        .iter()
        .map(|t| t.value.0.name(lang).to_string())
        .collect();
    let consent: Vec<String> = a
        .consent
        .iter()
        .map(|k| match k {
            ConsentKind::General => c.t("一般同意", "general consent"),
            ConsentKind::Separate => c.t("单独同意", "separate consent"),
            ConsentKind::Written => c.t("书面同意", "written consent"),
            ConsentKind::Guardian => c.t("监护人同意", "guardian's consent"),
        })
        .collect();
    blocks.push(facts(vec![
        c.fact("处理目的", "Purpose", a.purpose.clone(), &s),
        c.fact(
            "处理方式",
            "Method",
            a.method.clone().unwrap_or_default(),
            &s,
        ),
        c.fact(
            "法律依据",
            "Legal basis",
            text::legal_basis(lang, a.legal_basis).to_string(),
            &s,
        ),
        c.fact(
            "同意类型",
            "Consent obtained",
            text::join(lang, &consent),
            &s,
        ),
        c.fact("个人信息种类", "PI types", text::join(lang, &pi), &s),
        c.fact(
            "数据集（系统）",
            "Datasets (systems)",
            text::join(lang, &datasets),
            &s,
        ),
        c.fact(
            "保存期限",
            "Retention",
            a.retention
                .as_ref()
                .map(|r| match (r.days, &r.basis) {
                    (Some(d), Some(b)) => {
                        c.t(&format!("{d} 天（{b}）"), &format!("{d} days ({b})"))
                    }
                    (Some(d), None) => c.t(&format!("{d} 天"), &format!("{d} days")),
                    (None, Some(b)) => b.clone(),
                    (None, None) => String::new(),
                })
                .unwrap_or_default(),
            &s,
        ),
    ]));
    // Triggers.
    let row = |zh: &str, en: &str, present: bool, detail: String| {
        vec![
            if lang == xiezhi_model::Lang::ZhCn {
                zh.to_string()
            } else {
                en.to_string()
            },
            yes_no(lang, present).to_string(),
            detail,
        ]
    };
    blocks.push(Block::Table(Table {
        caption: c.t("第五十五条触发情形", "PIPL 55 triggers"),
        headers: vec![
            c.t("情形", "Trigger"),
            c.t("存在", "Present"),
            c.t("依据", "Details"),
        ],
        rows: vec![
            row(
                "（一）处理敏感个人信息",
                "(1) sensitive PI",
                !t.sensitive.is_empty(),
                text::join(lang, &t.sensitive),
            ),
            row(
                "（二）利用个人信息进行自动化决策",
                "(2) automated decision-making",
                t.automated,
                {
                    let mut v = Vec::new();
                    if a.automated_decision {
                        v.push(c.t("自动化决策", "automated decisions"));
                    }
                    if a.recommendation {
                        v.push(c.t("个性化推荐", "personalised recommendation"));
                    }
                    if a.push {
                        v.push(c.t("信息推送", "push"));
                    }
                    text::join(lang, &v)
                },
            ),
            row(
                "（三）委托处理、向他人提供、公开个人信息",
                "(3) entrusting, providing to others, disclosing",
                !t.flows.is_empty(),
                text::join(lang, &t.flows),
            ),
            row(
                "（四）向境外提供个人信息",
                "(4) providing PI abroad",
                !t.cross_border.is_empty(),
                text::join(lang, &t.cross_border),
            ),
            row(
                "（五）其他对个人权益有重大影响的处理",
                "(5) other processing with major impact",
                t.minors,
                if t.minors {
                    c.t("处理未成年人个人信息", "minors' PI")
                } else {
                    String::new()
                },
            ),
        ],
        sources: vec![s.clone()],
    }));
    if let Some(b) = super::assessments_table(
        c,
        ("已完成的影响评估", "Assessments completed"),
        |x| x.kind == AssessmentKind::Pipia && x.covers.iter().any(|v| v.value == aid),
    ) {
        blocks.push(b);
    }
    // 56(1).
    blocks.push(Block::Heading {
        id: format!("{id}-lawfulness"),
        text: c.t(
            "（一）处理目的、处理方式等是否合法、正当、必要",
            "(1) Lawfulness, legitimacy and necessity of the purpose and method",
        ),
    });
    if let Some(nec) = &a.sensitive_necessity {
        blocks.push(facts(vec![c.fact(
            "敏感个人信息处理的必要性",
            "Necessity of the sensitive PI",
            nec.clone(),
            &s,
        )]));
    }
    let (b, _) = c.ask(
        &id,
        &format!("{aid}.lawfulness"),
        &format!("“{}”的目的和方式是否合法、正当、必要：结论和理由（是否为实现目的所必需的最小范围）", a.name),
        &format!("Whether the purpose and method of \"{}\" are lawful, legitimate and necessary: conclusion and reasons (is it the minimum needed for the purpose?)", a.name),
    );
    blocks.push(b);
    // 56(2).
    blocks.push(Block::Heading {
        id: format!("{id}-impact"),
        text: c.t(
            "（二）对个人权益的影响及安全风险",
            "(2) Impact on individuals' rights and security risks",
        ),
    });
    if let Some(imp) = &a.sensitive_impact {
        blocks.push(facts(vec![c.fact(
            "对个人权益的影响（数据地图）",
            "Impact on the individual (data map)",
            imp.clone(),
            &s,
        )]));
    }
    let (b, _) = c.ask(
        &id,
        &format!("{aid}.impact"),
        &format!("“{}”对个人权益的影响和安全风险：可能的损害、可能性和严重程度", a.name),
        &format!("Impact of \"{}\" on individuals' rights and its security risks: possible harm, likelihood and severity", a.name),
    );
    blocks.push(b);
    // 56(3).
    blocks.push(Block::Heading {
        id: format!("{id}-measures"),
        text: c.t(
            "（三）保护措施是否合法、有效并与风险程度相适应",
            "(3) Whether the protection measures are lawful, effective and proportionate",
        ),
    });
    let k = &c.p.profile.controls;
    let s_controls = c.profile("controls");
    let mut m = Vec::new();
    for (on, zh, en) in [
        (k.encryption, "加密", "encryption"),
        (k.access_control, "访问控制", "access control"),
        (k.backup, "备份", "backup"),
        (k.authentication, "安全认证", "authentication"),
    ] {
        if on {
            m.push(c.t(zh, en));
        }
    }
    let mut rows = vec![c.fact(
        "通用技术措施",
        "General technical measures",
        text::join(lang, &m),
        &s_controls,
    )];
    if let Some(p) = &a.push_controls {
        rows.push(c.fact(
            "推荐和推送控制",
            "Recommendation and push controls",
            c.t(
                &format!(
                    "关闭个性化推荐：{}；拒绝推送：{}；删除标签：{}",
                    yes_no(lang, p.off_switch),
                    yes_no(lang, p.refuse_push),
                    yes_no(lang, p.delete_tags)
                ),
                &format!(
                    "switch-off: {}; refuse push: {}; delete tags: {}",
                    yes_no(lang, p.off_switch),
                    yes_no(lang, p.refuse_push),
                    yes_no(lang, p.delete_tags)
                ),
            ),
            &s,
        ));
    }
    for r in &a.recipients {
        if let Some((rf, rec)) = c.ix.recipient(&r.value) {
            let sr = c.dm(rf, &format!("recipients[{}].contract", rec.id.value));
            let v = match &rec.contract {
                Some(k) => {
                    let mut fixed = Vec::new();
                    if k.purpose.is_some() {
                        fixed.push(c.t("目的", "purpose"));
                    }
                    if k.method.is_some() {
                        fixed.push(c.t("方式", "method"));
                    }
                    if k.scope.is_some() {
                        fixed.push(c.t("范围", "scope"));
                    }
                    if k.security_obligations.is_some() {
                        fixed.push(c.t("安全义务", "security duties"));
                    }
                    if k.allocation_of_duties.is_some() {
                        fixed.push(c.t("权利义务分配", "allocation of duties"));
                    }
                    c.t(
                        &format!(
                            "合同 {}，约定：{}",
                            k.reference,
                            if fixed.is_empty() {
                                "无".to_string()
                            } else {
                                text::join(lang, &fixed)
                            }
                        ),
                        &format!(
                            "contract {}, fixing: {}",
                            k.reference,
                            if fixed.is_empty() {
                                "nothing".to_string()
                            } else {
                                text::join(lang, &fixed)
                            }
                        ),
                    )
                }
                None => c.t("无合同", "no contract"),
            };
            rows.push(super::super::model::Fact {
                label: rec.name.clone(),
                value: v,
                source: sr,
            });
        }
    }
    blocks.push(facts(rows));
    let (b, _) = c.ask(
        &id,
        &format!("{aid}.measures"),
        &format!("“{}”的保护措施是否合法、有效并与风险程度相适应：结论，以及需补充的措施", a.name),
        &format!("Whether the protection measures for \"{}\" are lawful, effective and proportionate to the risk: conclusion, and measures to add", a.name),
    );
    blocks.push(b);
    let rec = match &a.records {
        Some(r) if r.retention_years >= 3 => c.t(
            &format!("处理情况记录保存于 {}，保存 {} 年（不少于三年）。", r.location, r.retention_years),
            &format!("Processing records are kept at {} for {} years (at least three).", r.location, r.retention_years),
        ),
        Some(r) => c.t(
            &format!("处理情况记录仅保存 {} 年，少于法定三年（activities.records.retention_years）。", r.retention_years),
            &format!("Processing records are kept for only {} year(s), fewer than the three required (activities.records.retention_years).", r.retention_years),
        ),
        None => c.t(
            "数据地图未记录处理情况记录的保存位置和期限（activities.records），应至少保存三年。",
            "The data map does not record where processing records are kept (activities.records); keep them at least three years.",
        ),
    };
    blocks.push(note(rec));
    Section {
        id,
        title: c.t(
            &format!("{}、{}", zh_number(n), a.name),
            &format!("{n}. {}", a.name),
        ),
        provision: c.t(
            "《个人信息保护法》第五十五条、第五十六条",
            "PIPL arts. 55 and 56",
        ),
        blocks,
    }
}

/// Chinese numerals for section numbers (1–99).
pub(crate) fn zh_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}
