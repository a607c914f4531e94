//! The risk assessment before providing, entrusting or jointly processing important data (Reg.
//! art. 31; SR-RISK-02), one part per flow (a recipient or a cross-border transfer carrying
//! important data) with the six items of art. 31.

use std::path::Path;

use xiezhi_map::model::{AssessmentKind, Recipient, Transfer};

use super::super::AssessError;
use super::super::ctx::{Ctx, facts, note, para};
use super::super::model::{Block, Section, SourceKind, Table};
use super::super::text::{self, relationship, yes_no};
use super::pipia::zh_number;

/// A flow: a recipient or a transfer.
#[derive(Clone, Copy)]
enum Flow<'a> {
    Recipient(&'a Path, &'a Recipient),
    Transfer(&'a Path, &'a Transfer),
}

impl<'a> Flow<'a> {
    fn id(&self) -> &'a str {
        match self {
            Flow::Recipient(_, r) => &r.id.value,
            Flow::Transfer(_, t) => &t.id.value,
        }
    }
}

/// Names of the important datasets a flow carries (empty = none).
fn important_of(c: &Ctx, f: Flow) -> Vec<String> {
    let ids = match f {
        Flow::Recipient(_, r) => &r.datasets,
        Flow::Transfer(_, t) => &t.datasets,
    };
    let mut out: Vec<String> = ids
        .iter()
        .filter_map(|d| c.ix.dataset(&d.value))
        .filter(|(_, d)| d.important_data.is_some())
        .map(|(_, d)| d.name.clone())
        .collect();
    if let Flow::Transfer(_, t) = f
        && out.is_empty()
        && t.important_data
    {
        out.push(c.t(
            "（传输声明含重要数据）",
            "(the transfer declares important data)",
        ));
    }
    out
}

pub(crate) fn build(c: &mut Ctx) -> Result<Vec<Section>, AssessError> {
    let mut flows: Vec<Flow> =
        c.ix.recipients
            .iter()
            .map(|(f, r)| Flow::Recipient(f, r))
            .collect();
    flows.extend(c.ix.transfers.iter().map(|(f, t)| Flow::Transfer(f, t)));
    let chosen: Vec<Flow> = match &c.input.subject {
        Some(s) => match flows.iter().find(|f| f.id() == s) {
            Some(f) => vec![*f],
            None => {
                return Err(AssessError::UnknownSubject {
                    kind: c.kind(),
                    subject: s.clone(),
                    what: "a recipient or transfer",
                    known: flows.iter().map(|f| f.id().to_string()).collect(),
                });
            }
        },
        None => flows
            .iter()
            .filter(|f| !important_of(c, **f).is_empty())
            .copied()
            .collect(),
    };
    let lang = c.lang;
    let mut rows = Vec::new();
    let mut srcs = Vec::new();
    for f in &flows {
        let imp = important_of(c, *f);
        let (name, how, statutory, src) = match f {
            Flow::Recipient(file, r) => (
                r.name.clone(),
                relationship(lang, r.relationship).to_string(),
                r.statutory_duty,
                c.dm(file, &format!("recipients[{}].datasets", r.id.value)),
            ),
            Flow::Transfer(file, t) => (
                format!("{} → {}", t.id.value, t.destination),
                c.t("向境外提供", "provided abroad"),
                false,
                c.dm(
                    file,
                    &format!("transfers[{}].datasets, important_data", t.id.value),
                ),
            ),
        };
        srcs.push(src);
        let assessed: Vec<String> =
            c.ix.assessments_covering(f.id())
                .iter()
                .filter(|(_, a)| a.kind == AssessmentKind::Art31RiskAssessment)
                .map(|(_, a)| format!("{} ({})", a.id.value, a.completed))
                .collect();
        rows.push(vec![
            f.id().to_string(),
            name,
            how,
            if imp.is_empty() {
                c.t("否", "no")
            } else {
                text::join(lang, &imp)
            },
            if imp.is_empty() {
                c.t("不需要", "not needed")
            } else if statutory {
                c.t("履行法定职责或义务，不需要", "statutory duty: not needed")
            } else if assessed.is_empty() {
                c.t("需要，尚未记录", "needed, none recorded")
            } else {
                assessed.join(", ")
            },
        ]);
    }
    let mut overview = Vec::new();
    if rows.is_empty() {
        let s = c.src(SourceKind::DataMap, "datamap/*.yaml: recipients, transfers");
        overview.push(para(
            c.t(
                "数据地图未记录接收方或出境传输。",
                "The data map records no recipients or transfers.",
            ),
            &[&s],
        ));
    } else {
        overview.push(Block::Table(Table {
            caption: c.t("数据流与重要数据", "Flows and important data"),
            headers: vec![
                c.t("编号", "Id"),
                c.t("接收方", "Recipient"),
                c.t("方式", "Relationship"),
                c.t("重要数据", "Important data"),
                c.t("第三十一条风险评估", "Art. 31 assessment"),
            ],
            rows,
            sources: srcs,
        }));
    }
    if chosen.is_empty() {
        overview.push(note(c.t(
            "没有向他人提供、委托处理或共同处理重要数据的数据流，无需开展第三十一条风险评估。",
            "No flow provides, entrusts or jointly processes important data: no art. 31 risk assessment is needed.",
        )));
    }
    overview.push(note(c.t(
        "提供、委托处理、共同处理重要数据前应当完成风险评估；为履行法定职责或者法定义务的除外。评估完成并批准前不应启用该数据流。",
        "The assessment must be done before important data is provided, entrusted or jointly processed, except to perform statutory duties or obligations; the flow should not start before it is approved.",
    )));
    let mut sections = vec![c.section(
        "overview",
        ("一、评估范围", "1. Scope"),
        ("《条例》第三十一条", "Reg. art. 31"),
        overview,
    )];
    for (i, f) in chosen.into_iter().enumerate() {
        sections.push(flow_part(c, f, i + 2));
    }
    Ok(sections)
}

fn flow_part(c: &mut Ctx, f: Flow, n: usize) -> Section {
    let lang = c.lang;
    let fid = f.id().to_string();
    let id = format!("flow-{fid}");
    let imp = important_of(c, f);
    let mut blocks = Vec::new();
    let (name, s, contract) = match f {
        Flow::Recipient(file, r) => {
            let s = c.dm(file, &format!("recipients[{fid}]"));
            blocks.push(facts(vec![
                c.fact("接收方", "Recipient", r.name.clone(), &s),
                c.fact(
                    "方式",
                    "Relationship",
                    relationship(lang, r.relationship).to_string(),
                    &s,
                ),
                c.fact(
                    "国家或地区",
                    "Country or region",
                    r.country.clone().unwrap_or_default(),
                    &s,
                ),
                c.fact("重要数据", "Important data", text::join(lang, &imp), &s),
                c.fact(
                    "开始日期",
                    "Started",
                    r.started.map(|d| d.to_string()).unwrap_or_default(),
                    &s,
                ),
            ]));
            (r.name.clone(), s, r.contract.clone())
        }
        Flow::Transfer(file, t) => {
            let s = c.dm(file, &format!("transfers[{fid}]"));
            let rec = c.ix.recipient(&t.recipient.value);
            blocks.push(facts(vec![
                c.fact(
                    "境外接收方",
                    "Foreign recipient",
                    rec.map(|(_, r)| r.name.clone())
                        .unwrap_or_else(|| t.recipient.value.clone()),
                    &s,
                ),
                c.fact("目的地", "Destination", t.destination.clone(), &s),
                c.fact("重要数据", "Important data", text::join(lang, &imp), &s),
                c.fact(
                    "出境机制",
                    "Mechanism",
                    text::mechanism(lang, t.mechanism).to_string(),
                    &s,
                ),
            ]));
            (
                format!("{fid} → {}", t.destination),
                s,
                rec.and_then(|(_, r)| r.contract.clone()),
            )
        }
    };
    let q = |c: &mut Ctx,
             blocks: &mut Vec<Block>,
             heading: (&str, &str),
             qid: &str,
             zh: String,
             en: String| {
        blocks.push(Block::Heading {
            id: format!("{id}-{qid}"),
            text: c.t(heading.0, heading.1),
        });
        let (b, _) = c.ask(&id, &format!("{fid}.{qid}"), &zh, &en);
        blocks.push(b);
    };
    // (1)
    blocks.push(Block::Heading {
        id: format!("{id}-legality-facts"),
        text: c.t(
            "（一）合法性、正当性、必要性",
            "(1) Legality, legitimacy and necessity",
        ),
    });
    if let Some(k) = &contract {
        blocks.push(facts(vec![
            c.fact(
                "约定目的",
                "Agreed purpose",
                k.purpose.clone().unwrap_or_default(),
                &s,
            ),
            c.fact(
                "约定方式",
                "Agreed method",
                k.method.clone().unwrap_or_default(),
                &s,
            ),
            c.fact(
                "约定范围",
                "Agreed scope",
                k.scope.clone().unwrap_or_default(),
                &s,
            ),
        ]));
    }
    let (b, _) = c.ask(
        &id,
        &format!("{fid}.legality"),
        &format!("向“{name}”提供、委托处理或共同处理重要数据，以及接收方处理目的、方式、范围的合法性、正当性、必要性"),
        &format!("Legality, legitimacy and necessity of the flow to \"{name}\" and of the recipient's purpose, method and scope"),
    );
    blocks.push(b);
    q(
        c,
        &mut blocks,
        (
            "（二）被篡改、破坏、泄露或者被非法获取、非法利用的风险",
            "(2) Risk of tampering, destruction, leakage, illegal acquisition or use",
        ),
        "risks",
        format!(
            "“{name}”数据流中重要数据被篡改、破坏、泄露或者被非法获取、非法利用的风险，以及对国家安全、公共利益或者个人、组织合法权益带来的风险"
        ),
        format!(
            "Risk that the important data of the flow to \"{name}\" is tampered with, destroyed, leaked, illegally acquired or used, and the resulting risk to national security, the public interest or the rights of individuals and organisations"
        ),
    );
    q(
        c,
        &mut blocks,
        (
            "（三）接收方的诚信、守法等情况",
            "(3) The recipient's integrity and law-abiding record",
        ),
        "recipient_integrity",
        format!("“{name}”的诚信、守法情况（行政处罚、安全事件、资质认证等）"),
        format!(
            "Integrity and law-abiding record of \"{name}\" (penalties, incidents, certifications)"
        ),
    );
    // (4)
    blocks.push(Block::Heading {
        id: format!("{id}-contract-facts"),
        text: c.t(
            "（四）合同中的数据安全要求能否有效约束接收方",
            "(4) Whether the contract's security terms can bind the recipient",
        ),
    });
    let contract_line = match &contract {
        Some(k) => {
            let mut fixed = Vec::new();
            for (has, zh, en) in [
                (k.purpose.is_some(), "目的", "purpose"),
                (k.method.is_some(), "方式", "method"),
                (k.scope.is_some(), "范围", "scope"),
                (
                    k.security_obligations.is_some(),
                    "安全保护义务",
                    "security obligations",
                ),
                (
                    k.allocation_of_duties.is_some(),
                    "权利义务分配",
                    "allocation of duties",
                ),
            ] {
                if has {
                    fixed.push(c.t(zh, en));
                }
            }
            c.t(
                &format!(
                    "合同 {}，约定了：{}；安全保护义务：{}",
                    k.reference,
                    text::join(lang, &fixed),
                    yes_no(lang, k.security_obligations.is_some())
                ),
                &format!(
                    "contract {}, fixing: {}; security obligations: {}",
                    k.reference,
                    text::join(lang, &fixed),
                    yes_no(lang, k.security_obligations.is_some())
                ),
            )
        }
        None => c.t("数据地图未记录合同", "no contract recorded in the data map"),
    };
    blocks.push(facts(vec![c.fact("合同", "Contract", contract_line, &s)]));
    let (b, _) = c.ask(
        &id,
        &format!("{fid}.contract_binding"),
        &format!("与“{name}”订立或拟订立的合同中的数据安全要求能否有效约束接收方履行数据安全保护义务"),
        &format!("Whether the data security terms of the contract with \"{name}\" (signed or planned) can effectively bind the recipient"),
    );
    blocks.push(b);
    // (5)
    blocks.push(Block::Heading {
        id: format!("{id}-measures-facts"),
        text: c.t(
            "（五）技术和管理措施能否有效防范风险",
            "(5) Whether the technical and management measures can prevent the risks",
        ),
    });
    blocks.push(super::controls_table(c));
    let (b, _) = c.ask(
        &id,
        &format!("{fid}.measures"),
        &format!("针对“{name}”数据流采取或拟采取的技术和管理措施能否有效防范上述风险"),
        &format!("Whether the technical and management measures taken or planned for the flow to \"{name}\" can effectively prevent these risks"),
    );
    blocks.push(b);
    q(
        c,
        &mut blocks,
        (
            "（六）有关主管部门规定的其他评估内容",
            "(6) Other items set by the competent authority",
        ),
        "other",
        "有关主管部门规定的其他评估内容（没有的写明“无”）".to_string(),
        "Other items the competent authority requires (write \"none\" if there are none)"
            .to_string(),
    );
    let assessed: Vec<_> =
        c.ix.assessments_covering(&fid)
            .into_iter()
            .filter(|(_, a)| a.kind == AssessmentKind::Art31RiskAssessment)
            .collect();
    blocks.push(note(if assessed.is_empty() {
        c.t(
            "数据地图未记录本数据流的第三十一条风险评估（assessments，kind: art31_risk_assessment）：完成并批准后再启用。",
            "The data map records no art. 31 assessment of this flow (assessments, kind: art31_risk_assessment): start the flow only once one is done and approved.",
        )
    } else {
        let list: Vec<String> = assessed.iter().map(|(_, a)| format!("{} ({})", a.id.value, a.completed)).collect();
        c.t(&format!("已记录的评估：{}。", list.join("、")), &format!("Assessments recorded: {}.", list.join(", ")))
    }));
    Section {
        id: id.clone(),
        title: c.t(
            &format!("{}、{name}", zh_number(n)),
            &format!("{n}. {name}"),
        ),
        provision: c.t("《条例》第三十一条第一项至第六项", "Reg. art. 31 items 1–6"),
        blocks,
    }
}
