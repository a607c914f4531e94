//! The annual important-data risk assessment report (Reg. art. 33; SR-RISK-03): the seven parts
//! of art. 33 para 2 in the catalog's order, plus key business and supply chain for large
//! platforms (art. 33 para 3). Never the data content itself (art. 33(2)).

use std::collections::BTreeMap;

use xiezhi_map::model::{AssessmentKind, Grade, RecipientKind};
use xiezhi_model::Lang;

use super::super::ctx::{Ctx, facts, note, para};
use super::super::model::{Block, Section, SourceKind, Table};
use super::super::text::{self, important_state, relationship};
use super::{
    assessments_table, audit_chain_blocks, controls_table, findings_blocks, label_coverage,
    officers_facts, processor_facts,
};

pub(crate) fn build(c: &mut Ctx) -> Vec<Section> {
    let mut out = vec![
        basics(c),
        important_data(c),
        measures(c),
        risks(c),
        flows(c),
        cross_border(c),
        other(c),
    ];
    if c.p.profile.roles.large_platform {
        out.push(large_platform(c));
    }
    out
}

fn basics(c: &mut Ctx) -> Section {
    let id = "basics";
    let mut blocks = vec![processor_facts(c)];
    blocks.extend(officers_facts(c, id, true));
    let roles = &c.p.profile.roles;
    let derived = xiezhi_check::rules::classify(c.p);
    let s_roles = c.profile("roles");
    let s_derived = c.derived("xiezhi check classify (catalog 1.2)");
    let lang = c.lang;
    blocks.push(facts(vec![
        c.fact(
            "重要数据处理者",
            "Important-data processor",
            text::yes_no(
                lang,
                roles.important_data_processor || derived.important_data_processor,
            )
            .to_string(),
            &s_derived,
        ),
        c.fact(
            "大型网络平台",
            "Large network platform",
            text::yes_no(lang, roles.large_platform).to_string(),
            &s_roles,
        ),
    ]));
    if !roles.large_platform {
        blocks.push(note(c.t(
            "数据地图未声明为大型网络平台（roles.large_platform），本报告不含第三十三条第三款关键业务和供应链数据安全部分。",
            "The data map does not declare a large network platform (roles.large_platform): the key-business and supply-chain part of art. 33 para 3 is not included.",
        )));
    }
    if let Some(b) = assessments_table(
        c,
        ("以往年度风险评估", "Earlier annual risk assessments"),
        |a| a.kind == AssessmentKind::Art33AnnualRiskAssessment,
    ) {
        blocks.push(b);
    }
    c.section(
        id,
        ("一、网络数据处理者基本情况，网络数据安全管理机构信息、网络数据安全负责人姓名和联系方式", "1. The processor, its network data security body, and the name and contact of its data security officer"),
        ("《条例》第三十三条第二款第一项", "Reg. art. 33 para 2 item 1"),
        blocks,
    )
}

fn important_data(c: &mut Ctx) -> Section {
    let id = "important-data";
    let lang = c.lang;
    let mut blocks = Vec::new();
    // Holdings by grade across the whole data map.
    let mut by_grade: BTreeMap<(u8, String), (u64, u64)> = BTreeMap::new();
    let mut files = std::collections::BTreeSet::new();
    for (file, d) in &c.ix.datasets {
        files.insert(*file);
        let mut grades_here = std::collections::BTreeSet::new();
        for f in &d.fields {
            let key = match (f.grade, &f.level) {
                (Some(Grade::Core), _) => (0, text::grade(lang, Some(Grade::Core)).to_string()),
                (Some(Grade::Important), _) => {
                    (1, text::grade(lang, Some(Grade::Important)).to_string())
                }
                (Some(Grade::General), Some(l)) => (
                    2,
                    text::paren(lang, text::grade(lang, Some(Grade::General)), &l.value),
                ),
                (Some(Grade::General), None) => {
                    (3, text::grade(lang, Some(Grade::General)).to_string())
                }
                (None, _) => (4, text::grade(lang, None).to_string()),
            };
            by_grade.entry(key.clone()).or_default().1 += 1;
            grades_here.insert(key);
        }
        for k in grades_here {
            by_grade.entry(k).or_default().0 += 1;
        }
    }
    let grade_srcs: Vec<String> = files
        .iter()
        .map(|f| c.dm(f, "datasets[].fields[].grade, level"))
        .collect();
    blocks.push(Block::Table(Table {
        caption: c.t(
            "数据分类分级概况（GB/T 43697-2024）",
            "Data holdings by grade (GB/T 43697-2024)",
        ),
        headers: vec![
            c.t("级别", "Grade"),
            c.t("数据集数", "Datasets"),
            c.t("字段数", "Fields"),
        ],
        rows: by_grade
            .iter()
            .map(|((_, g), (ds, f))| vec![g.clone(), text::n(*ds), text::n(*f)])
            .collect(),
        sources: grade_srcs,
    }));
    // Important datasets.
    let important: Vec<_> =
        c.ix.datasets
            .iter()
            .filter(|(_, d)| d.important_data.is_some())
            .copied()
            .collect();
    if important.is_empty() {
        let s = c.src(
            SourceKind::DataMap,
            "datamap/*.yaml: datasets[].important_data",
        );
        blocks.push(para(
            c.t(
                "数据地图未记录重要数据。",
                "The data map records no important data.",
            ),
            &[&s],
        ));
    }
    let mut rows = Vec::new();
    let mut srcs = Vec::new();
    for (file, d) in &important {
        let Some(imp) = &d.important_data else {
            continue;
        };
        let s = c.dm(
            file,
            &format!(
                "datasets[{}].important_data, storage, subject_count",
                d.id.value
            ),
        );
        srcs.push(s.clone());
        let graded = d
            .fields
            .iter()
            .filter(|f| matches!(f.grade, Some(Grade::Important | Grade::Core)))
            .count();
        let quantity = match d.subject_count {
            Some(n) => c.t(
                &format!("{} 名个人", text::n(n)),
                &format!("{} individuals", text::n(n)),
            ),
            None => {
                let (b, a) = c.ask(
                    id,
                    &format!("{}.quantity", d.id.value),
                    &format!("重要数据集“{}”的数量（记录数或数据量，如“约 12 万条记录，3.2 TB”；不写数据内容）", d.name),
                    &format!("Quantity of the important dataset \"{}\" (records or volume, e.g. \"about 120,000 records, 3.2 TB\"; no data content)", d.name),
                );
                if a.is_none() {
                    blocks.push(b);
                } else if let Block::Answer {
                    source: Some(sa), ..
                } = &b
                {
                    srcs.push(sa.clone());
                }
                a.unwrap_or_else(|| c.t("（待答复）", "(to be answered)"))
            }
        };
        rows.push(vec![
            d.name.clone(),
            c.ix.system_name(&d.system.value),
            imp.catalogue.clone().unwrap_or_default(),
            important_state(lang, imp.state).to_string(),
            [imp.identified, imp.declared, imp.confirmed]
                .iter()
                .map(|x| x.map(|d| d.to_string()).unwrap_or_else(|| "—".into()))
                .collect::<Vec<_>>()
                .join(" / "),
            text::paren(lang, &d.storage.location, &d.storage.region),
            quantity,
            format!("{} / {}", graded, d.fields.len()),
        ]);
    }
    if !rows.is_empty() {
        blocks.push(Block::Table(Table {
            caption: c.t("重要数据目录", "Important data held"),
            headers: vec![
                c.t("数据集", "Dataset"),
                c.t("所在系统", "System"),
                c.t("识别依据（目录）", "Catalogue"),
                c.t("状态", "State"),
                c.t("识别 / 申报 / 确认", "Identified / declared / confirmed"),
                c.t("存储位置", "Storage location"),
                c.t("数量", "Quantity"),
                c.t(
                    "重要或核心字段 / 字段总数",
                    "Important or core fields / all fields",
                ),
            ],
            rows,
            sources: srcs,
        }));
    }
    // Purposes, methods, scope and storage period: from the activities using each dataset.
    for (file, d) in &important {
        let acts: Vec<usize> =
            c.ix.activities_by_dataset
                .get(d.id.value.as_str())
                .cloned()
                .unwrap_or_default();
        if acts.is_empty() {
            let (b, _) = c.ask(
                id,
                &format!("{}.processing", d.id.value),
                &format!("重要数据集“{}”的处理目的、方式、范围和存储期限（数据地图中没有处理活动使用该数据集）", d.name),
                &format!("Purposes, methods, scope and storage period of the important dataset \"{}\" (no activity of the data map uses it)", d.name),
            );
            blocks.push(Block::Heading {
                id: format!("ds-{}", d.id.value),
                text: d.name.clone(),
            });
            blocks.push(b);
            continue;
        }
        let mut rows = Vec::new();
        let mut srcs = vec![c.dm(file, &format!("datasets[{}]", d.id.value))];
        for i in acts {
            let (af, a) = c.ix.activities[i];
            srcs.push(c.dm(af, &format!("activities[{}]", a.id.value)));
            rows.push(vec![
                a.name.clone(),
                a.purpose.clone(),
                a.method.clone().unwrap_or_default(),
                a.retention
                    .as_ref()
                    .map(|r| match (r.days, &r.basis) {
                        (Some(n), _) => c.t(&format!("{n} 天"), &format!("{n} days")),
                        (None, Some(b)) => b.clone(),
                        _ => String::new(),
                    })
                    .unwrap_or_default(),
            ]);
        }
        blocks.push(Block::Table(Table {
            caption: c.t(
                &format!("“{}”的处理活动", d.name),
                &format!("Processing of \"{}\"", d.name),
            ),
            headers: vec![
                c.t("处理活动", "Activity"),
                c.t("目的", "Purpose"),
                c.t("方式", "Method"),
                c.t("存储期限", "Storage period"),
            ],
            rows,
            sources: srcs,
        }));
    }
    blocks.push(note(c.t(
        "本部分只列明数据的目录、类型、数量、位置和处理活动，不含数据内容本身（第三十三条第二款第二项）。",
        "This part states catalogues, types, quantities, locations and processing only, never the data content itself (art. 33 para 2 item 2).",
    )));
    c.section(
        id,
        ("二、处理重要数据的目的、种类、数量、方式、范围、存储期限、存储地点等，开展网络数据处理活动的情况，不包括数据内容本身", "2. Purposes, types, quantity, methods, scope, storage period and location of the important data processed, and the processing activities, excluding the data content"),
        ("《条例》第三十三条第二款第二项", "Reg. art. 33 para 2 item 2"),
        blocks,
    )
}

fn measures(c: &mut Ctx) -> Section {
    let id = "measures";
    let mut blocks = vec![controls_table(c)];
    blocks.extend(label_coverage(c));
    blocks.push(Block::Heading {
        id: "audit-chain".into(),
        text: c.t("审计记录", "Audit records"),
    });
    blocks.extend(audit_chain_blocks(c, id));
    let (b, _) = c.ask(
        id,
        "measures_effectiveness",
        "网络数据安全管理制度的实施情况，以及加密、备份、标签标识、访问控制、安全认证等措施的有效性（例如演练、测试和检查的结论）",
        "How the data security management system was implemented, and how effective encryption, backup, labels, access control, authentication and other measures were (e.g. conclusions of drills, tests and checks)",
    );
    blocks.push(b);
    c.section(
        id,
        ("三、网络数据安全管理制度及实施情况，加密、备份、标签标识、访问控制、安全认证等技术措施和其他必要措施及其有效性", "3. The data security management system and its implementation; encryption, backup, labels, access control, authentication and other measures, and their effectiveness"),
        ("《条例》第三十三条第二款第三项", "Reg. art. 33 para 2 item 3"),
        blocks,
    )
}

fn risks(c: &mut Ctx) -> Section {
    let id = "risks";
    let mut blocks = findings_blocks(c, id);
    let (b, _) = c.ask(
        id,
        "risk_handling",
        "对上述风险已采取或计划采取的处置措施和整改期限",
        "Measures taken or planned against the risks above, with rectification dates",
    );
    blocks.push(b);
    let (b, _) = c.ask(
        id,
        "incidents",
        "报告年度发生的网络数据安全事件（数量、级别、影响）及其处置情况；未发生的写明“未发生”",
        "Network data security incidents in the report year (number, grade, impact) and how they were handled; write \"none\" if none occurred",
    );
    blocks.push(b);
    c.section(
        id,
        (
            "四、发现的网络数据安全风险，发生的网络数据安全事件及处置情况",
            "4. Risks found; incidents that occurred and how they were handled",
        ),
        (
            "《条例》第三十三条第二款第四项",
            "Reg. art. 33 para 2 item 4",
        ),
        blocks,
    )
}

/// Recipients that receive important datasets (provision, entrustment, joint processing).
pub(crate) fn important_flows<'a>(c: &Ctx<'a>) -> Vec<(usize, Vec<String>)> {
    let mut out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (_, d) in &c.ix.datasets {
        if d.important_data.is_none() {
            continue;
        }
        for i in
            c.ix.recipients_by_dataset
                .get(d.id.value.as_str())
                .into_iter()
                .flatten()
        {
            out.entry(*i).or_default().push(d.name.clone());
        }
    }
    out.into_iter().collect()
}

fn flows(c: &mut Ctx) -> Section {
    let id = "flows";
    let lang = c.lang;
    let flows = important_flows(c);
    let mut blocks = Vec::new();
    if flows.is_empty() {
        let s = c.src(SourceKind::DataMap, "datamap/*.yaml: recipients[].datasets");
        blocks.push(para(
            c.t(
                "数据地图未记录向他人提供、委托处理或共同处理重要数据的情形，无需开展第三十一条风险评估。",
                "The data map records no provision, entrustment or joint processing of important data: no art. 31 risk assessment was needed.",
            ),
            &[&s],
        ));
    } else {
        let mut rows = Vec::new();
        let mut srcs = Vec::new();
        for (i, datasets) in flows {
            let (file, r) = c.ix.recipients[i];
            srcs.push(c.dm(file, &format!("recipients[{}]", r.id.value)));
            let assessed: Vec<String> =
                c.ix.assessments_covering(&r.id.value)
                    .iter()
                    .filter(|(_, a)| a.kind == AssessmentKind::Art31RiskAssessment)
                    .map(|(_, a)| format!("{} ({})", a.id.value, a.completed))
                    .collect();
            rows.push(vec![
                r.name.clone(),
                relationship(lang, r.relationship).to_string(),
                text::join(lang, &datasets),
                if r.statutory_duty {
                    c.t(
                        "履行法定职责或义务，无需评估",
                        "statutory duty: not required",
                    )
                } else if assessed.is_empty() {
                    c.t(
                        "未记录评估（应在提供前完成）",
                        "no assessment recorded (due before the flow)",
                    )
                } else {
                    assessed.join(", ")
                },
            ]);
        }
        blocks.push(Block::Table(Table {
            caption: c.t(
                "提供、委托处理、共同处理重要数据及风险评估",
                "Important data provided, entrusted or jointly processed, and the risk assessments",
            ),
            headers: vec![
                c.t("接收方", "Recipient"),
                c.t("方式", "Relationship"),
                c.t("重要数据", "Important data"),
                c.t("第三十一条风险评估", "Art. 31 risk assessment"),
            ],
            rows,
            sources: srcs,
        }));
    }
    c.section(
        id,
        (
            "五、提供、委托处理、共同处理重要数据的风险评估情况",
            "5. Risk assessments of providing, entrusting and jointly processing important data",
        ),
        (
            "《条例》第三十三条第二款第五项、第三十一条",
            "Reg. art. 33 para 2 item 5; art. 31",
        ),
        blocks,
    )
}

fn cross_border(c: &mut Ctx) -> Section {
    let id = "cross-border";
    let year = c.input.period.year;
    let lang = c.lang;
    let mut blocks = Vec::new();
    let list: Vec<_> = c.ix.transfers.clone();
    if list.is_empty() {
        let s = c.src(SourceKind::DataMap, "datamap/*.yaml: transfers");
        blocks.push(para(
            c.t(
                "数据地图未记录数据出境。",
                "The data map records no cross-border transfers.",
            ),
            &[&s],
        ));
    } else {
        let mut rows = Vec::new();
        let mut srcs = Vec::new();
        for (file, t) in &list {
            srcs.push(c.dm(file, &format!("transfers[{}]", t.id.value)));
            let imp = xiezhi_check::transfers::important(c.p, t);
            let counts = t
                .subjects_by_year
                .iter()
                .find(|y| i32::from(y.year) == year);
            rows.push(vec![
                t.id.value.clone(),
                t.destination.clone(),
                c.ix.recipient(&t.recipient.value)
                    .map(|(_, r)| r.name.clone())
                    .unwrap_or_else(|| t.recipient.value.clone()),
                match imp {
                    xiezhi_check::xborder::ImportantData::None => c.t("否", "no"),
                    xiezhi_check::xborder::ImportantData::IdentifiedNotNotified => {
                        c.t("已识别、未告知或公布", "identified, not notified")
                    }
                    xiezhi_check::xborder::ImportantData::NotifiedOrPublished => c.t("是", "yes"),
                },
                text::mechanism(lang, t.mechanism).to_string(),
                counts
                    .map(|y| format!("{} / {}", text::n(y.general), text::n(y.sensitive)))
                    .unwrap_or_else(|| "0 / 0".into()),
            ]);
        }
        blocks.push(Block::Table(Table {
            caption: c.t(
                &format!("{year} 年数据出境情况"),
                &format!("Cross-border transfers in {year}"),
            ),
            headers: vec![
                c.t("编号", "Id"),
                c.t("目的地", "Destination"),
                c.t("境外接收方", "Foreign recipient"),
                c.t("含重要数据", "Important data"),
                c.t("出境机制", "Mechanism"),
                c.t(
                    "一般 / 敏感个人信息人数",
                    "Individuals: general / sensitive PI",
                ),
            ],
            rows,
            sources: srcs,
        }));
        blocks.push(note(c.t(
            "各传输所需机制和有效期见年度数据出境台账（xborder 报告）。",
            "The mechanisms required and their validity are in the annual cross-border ledger (the xborder report).",
        )));
    }
    c.section(
        id,
        ("六、数据出境情况", "6. Cross-border transfers of data"),
        (
            "《条例》第三十三条第二款第六项",
            "Reg. art. 33 para 2 item 6",
        ),
        blocks,
    )
}

fn other(c: &mut Ctx) -> Section {
    let id = "other";
    let (b, _) = c.ask(
        id,
        "other_items",
        "有关主管部门规定的其他报告内容（没有的写明“无”）",
        "Other items the competent authority requires (write \"none\" if there are none)",
    );
    c.section(
        id,
        (
            "七、有关主管部门规定的其他报告内容",
            "7. Other items set by the competent authority",
        ),
        (
            "《条例》第三十三条第二款第七项",
            "Reg. art. 33 para 2 item 7",
        ),
        vec![b],
    )
}

fn large_platform(c: &mut Ctx) -> Section {
    let id = "large-platform";
    let lang = c.lang;
    let (b1, _) = c.ask(
        id,
        "key_business",
        "关键业务的数据安全情况（业务范围、依赖的重要数据和系统、保障措施）",
        "Data security of key business (scope, important data and systems it relies on, safeguards)",
    );
    let mut blocks = vec![b1];
    let mut rows = Vec::new();
    let mut srcs = Vec::new();
    for (file, r) in c.ix.recipients.clone() {
        srcs.push(c.dm(file, &format!("recipients[{}]", r.id.value)));
        rows.push(vec![
            r.name.clone(),
            match r.kind {
                RecipientKind::Sdk => c.t("SDK", "SDK"),
                RecipientKind::Organisation => c.t("组织", "organisation"),
            },
            relationship(lang, r.relationship).to_string(),
            r.country.clone().unwrap_or_default(),
            r.contract
                .as_ref()
                .map(|k| k.reference.clone())
                .unwrap_or_else(|| c.t("无合同", "no contract")),
        ]);
    }
    srcs.dedup();
    if !rows.is_empty() {
        blocks.push(Block::Table(Table {
            caption: c.t(
                "供应链（接收方与 SDK）",
                "Supply chain (recipients and SDKs)",
            ),
            headers: vec![
                c.t("名称", "Name"),
                c.t("类型", "Kind"),
                c.t("关系", "Relationship"),
                c.t("国家或地区", "Country"),
                c.t("合同", "Contract"),
            ],
            rows,
            sources: srcs,
        }));
    }
    let (b2, _) = c.ask(
        id,
        "supply_chain",
        "供应链数据安全情况（对供应商、SDK 的安全评估、合同约束和监督）",
        "Supply-chain data security (assessment, contractual obligations and oversight of suppliers and SDKs)",
    );
    blocks.push(b2);
    let _ = Lang::ZhCn;
    c.section(
        id,
        (
            "八、关键业务和供应链网络数据安全情况（大型网络平台）",
            "8. Key business and supply-chain data security (large platforms)",
        ),
        ("《条例》第三十三条第三款", "Reg. art. 33 para 3"),
        blocks,
    )
}
