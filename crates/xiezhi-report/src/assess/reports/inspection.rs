//! The inspection pack (Reg. art. 50; SR-AUDIT-05): an index of policies, records and control
//! evidence for the competent authorities, with the SHA-256 digest of every data-map file.

use sha2::{Digest, Sha256};

use super::super::ctx::{Ctx, facts, note};
use super::super::model::{Block, Section, SourceKind, Table};
use super::super::text::{self, in_place};
use super::{
    assessments_table, audit_chain_blocks, controls_table, officers_facts, processor_facts,
};

pub(crate) fn build(c: &mut Ctx) -> Vec<Section> {
    vec![
        contacts(c),
        policies(c),
        records(c),
        controls(c),
        assessments(c),
        rules(c),
    ]
}

fn contacts(c: &mut Ctx) -> Section {
    let id = "contacts";
    let mut blocks = vec![processor_facts(c)];
    blocks.extend(officers_facts(c, id, true));
    let has_regulator = c.p.profile.organisation.contacts.iter().any(|k| {
        k.role
            .as_deref()
            .is_some_and(|r| r.contains("regulator") || r.contains("监管"))
    });
    if !has_regulator {
        let (b, _) = c.ask(
            id,
            "liaison",
            "配合监督检查的联络人和联系方式（数据地图 organisation.contacts 中没有 role: regulator 的联系人）",
            "Liaison for the inspection and how to reach them (organisation.contacts has no contact with role: regulator)",
        );
        blocks.push(b);
    }
    c.section(
        id,
        ("一、被检查单位和联络人", "1. The processor and its liaison"),
        ("《条例》第五十条", "Reg. art. 50"),
        blocks,
    )
}

fn policies(c: &mut Ctx) -> Section {
    let id = "policies";
    let lang = c.lang;
    let k = &c.p.profile.controls;
    let n = &c.p.profile.notice;
    let s_k = c.profile("controls");
    let s_n = c.profile("notice");
    let mut rows = vec![
        c.fact(
            "数据安全管理制度",
            "Data security management system",
            in_place(lang, k.management_system).to_string(),
            &s_k,
        ),
        c.fact(
            "网络数据安全事件应急预案",
            "Incident emergency plan",
            in_place(lang, k.incident_plan).to_string(),
            &s_k,
        ),
        c.fact(
            "个人信息处理规则",
            "Processing rules",
            match (&n.url, n.published) {
                (Some(u), Some(d)) => text::paren(lang, u, &d.to_string()),
                (Some(u), None) => u.clone(),
                _ => c.t("未记录", "not recorded"),
            },
            &s_n,
        ),
    ];
    if let Some(r) = &n.children_rules {
        rows.push(c.fact(
            "儿童个人信息处理规则",
            "Children's processing rules",
            r.clone(),
            &s_n,
        ));
    }
    let (b, _) = c.ask(
        id,
        "policy_documents",
        "可供查阅、复制的制度文件清单（名称、版本、生效日期），如数据安全管理制度、操作规程、应急预案、分类分级规则",
        "The policy documents available for reading and copying (title, version, effective date): data security rules, procedures, incident plan, classification and grading rules",
    );
    c.section(
        id,
        ("二、制度文件", "2. Policies"),
        ("《条例》第五十条", "Reg. art. 50"),
        vec![facts(rows), b],
    )
}

fn records(c: &mut Ctx) -> Section {
    let id = "records";
    let lang = c.lang;
    let root = c.p.root.clone();
    let mut rows = Vec::new();
    let mut paths = vec![std::path::PathBuf::from(xiezhi_map::PROFILE_FILE)];
    paths.extend(c.p.files.iter().map(|f| f.path.clone()));
    let mut unreadable = 0;
    for p in &paths {
        let d = std::fs::read(root.join(p))
            .ok()
            .map(|b| hex::encode(Sha256::digest(&b)));
        if d.is_none() {
            unreadable += 1;
        }
        rows.push(vec![
            p.display().to_string(),
            d.unwrap_or_else(|| c.t("无法读取", "not readable")),
        ]);
    }
    let s = c.derived("SHA-256 of the data-map files as read when the report was built");
    let mut blocks = vec![Block::Table(Table {
        caption: c.t("数据地图文件及摘要", "Data-map files and digests"),
        headers: vec![c.t("文件", "File"), "SHA-256".into()],
        rows,
        sources: vec![s],
    })];
    if unreadable > 0 {
        blocks.push(note(c.t(
            "部分文件无法从项目目录读取（例如数据地图来自内存）：请从项目目录生成本材料包。",
            "Some files could not be read from the project directory (e.g. the data map came from memory): build the pack from the project directory.",
        )));
    }
    // Where processing, provision and assessment records are kept.
    let mut rows = Vec::new();
    let mut srcs = Vec::new();
    for (file, a) in c.ix.activities.clone() {
        if let Some(r) = &a.records {
            srcs.push(c.dm(file, &format!("activities[{}].records", a.id.value)));
            rows.push(vec![
                a.name.clone(),
                c.t("处理情况记录", "processing records"),
                r.location.clone(),
                text::n(u64::from(r.retention_years)),
            ]);
        }
    }
    for (file, r) in c.ix.recipients.clone() {
        if let Some(x) = &r.records {
            srcs.push(c.dm(file, &format!("recipients[{}].records", r.id.value)));
            rows.push(vec![
                r.name.clone(),
                c.t("提供、委托处理记录", "provision or entrustment records"),
                x.location.clone(),
                text::n(u64::from(x.retention_years)),
            ]);
        }
    }
    srcs.dedup();
    if !rows.is_empty() {
        blocks.push(Block::Table(Table {
            caption: c.t("处理记录保存位置", "Where records are kept"),
            headers: vec![
                c.t("对象", "Of"),
                c.t("记录", "Records"),
                c.t("保存位置", "Kept at"),
                c.t("保存年限", "Years kept"),
            ],
            rows,
            sources: srcs,
        }));
    }
    let counts = [
        (c.ix.systems.len(), "系统", "systems"),
        (c.ix.datasets.len(), "数据集", "datasets"),
        (c.ix.activities.len(), "处理活动", "activities"),
        (c.ix.recipients.len(), "接收方", "recipients"),
        (c.ix.transfers.len(), "出境传输", "transfers"),
        (
            c.ix.assessments.len(),
            "评估和审计",
            "assessments and audits",
        ),
    ];
    let s_all = c.src(SourceKind::DataMap, "datamap/*.yaml");
    let list: Vec<String> = counts
        .iter()
        .map(|(n, zh, en)| {
            if lang == xiezhi_model::Lang::ZhCn {
                format!("{zh} {n} 个")
            } else {
                format!("{n} {en}")
            }
        })
        .collect();
    blocks.push(facts(vec![c.fact(
        "数据地图条目",
        "Data-map entries",
        text::join(lang, &list),
        &s_all,
    )]));
    c.section(
        id,
        ("三、处理活动记录", "3. Records of processing"),
        (
            "《条例》第五十条；《个人信息保护法》第五十六条",
            "Reg. art. 50; PIPL 56",
        ),
        blocks,
    )
}

fn controls(c: &mut Ctx) -> Section {
    let id = "controls";
    let mut blocks = vec![controls_table(c)];
    blocks.push(Block::Heading {
        id: "audit-chain".into(),
        text: c.t("审计记录", "Audit records"),
    });
    blocks.extend(audit_chain_blocks(c, id));
    c.section(
        id,
        ("四、安全措施和审计记录", "4. Controls and audit records"),
        ("《条例》第九条、第五十条", "Reg. arts. 9 and 50"),
        blocks,
    )
}

fn assessments(c: &mut Ctx) -> Section {
    let id = "assessments";
    let mut blocks = Vec::new();
    match assessments_table(c, ("评估和审计", "Assessments and audits"), |_| true) {
        Some(b) => blocks.push(b),
        None => {
            let s = c.src(SourceKind::DataMap, "datamap/*.yaml: assessments");
            blocks.push(super::super::ctx::para(
                c.t(
                    "数据地图未记录评估或审计。",
                    "The data map records no assessments or audits.",
                ),
                &[&s],
            ));
        }
    }
    c.section(
        id,
        ("五、评估和审计", "5. Assessments and audits"),
        (
            "《条例》第三十一条、第三十三条；《个人信息保护法》第五十四条至第五十六条",
            "Reg. arts. 31, 33; PIPL 54–56",
        ),
        blocks,
    )
}

fn rules(c: &mut Ctx) -> Section {
    let id = "rules-versions";
    let mut blocks = Vec::new();
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
                "SHA-256".into(),
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
        ("六、处理规则版本", "6. Processing rules versions"),
        ("《条例》第二十一条", "Reg. art. 21"),
        blocks,
    )
}
