//! The document laid out as blocks (headings, paragraphs, definition lists, tables) in reading
//! order. Markdown and HTML render the same blocks, so the two cannot say different things.

use xiezhi_model::Lang;

use super::doc::RulesDocument;
use super::text::{self, t};

/// One block of the laid-out document. Text is plain (unescaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// A heading: level (1–3), anchor id, text.
    Heading(u8, String, String),
    /// A paragraph.
    Para(String),
    /// Label–value pairs.
    Facts(Vec<(String, String)>),
    /// A table: caption, column headers, rows (the first cell of each row is its header).
    Table(String, Vec<String>, Vec<Vec<String>>),
}

fn facts(pairs: &[(&str, String)]) -> Block {
    Block::Facts(
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
    )
}

fn headers(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| (*c).to_string()).collect()
}

/// Lays out `doc` (built in `lang`).
pub(crate) fn layout(doc: &RulesDocument, lang: Lang) -> Vec<Block> {
    let h = text::headings(lang);
    let children_only = doc.scope == "children";
    let mut n = 0;
    let section = |n: &mut usize, id: &str, title: &str| {
        *n += 1;
        Block::Heading(
            2,
            id.into(),
            format!("{}{title}", text::section_number(lang, *n)),
        )
    };
    let mut out = vec![Block::Heading(1, "top".into(), doc.title.clone())];
    let mut intro = Vec::new();
    if let Some(p) = &doc.published {
        intro.push((t(lang, "版本日期", "Version date"), p.clone()));
    }
    if let Some(u) = &doc.url {
        intro.push((t(lang, "发布地址", "Published at"), u.clone()));
    }
    if !intro.is_empty() {
        out.push(facts(&intro));
    }
    out.push(Block::Para(if children_only {
        t(lang,
          "本规则专门说明我们如何处理不满十四周岁儿童的个人信息。处理儿童个人信息前，我们取得其父母或者其他监护人的同意；监护人可以通过下列方式代为行使权利。",
          "These rules set out how we process the personal information of children under 14. We obtain the consent of a parent or other guardian before processing a child's personal information; guardians can exercise the rights below on the child's behalf.").to_string()
    } else {
        t(lang,
          "本规则依据《网络数据安全管理条例》第二十一条和《个人信息保护法》第十七条、第三十条，由数据地图自动生成，说明我们处理您个人信息的目的、方式、种类、保存期限以及您行使权利的方式。",
          "These rules are generated from our data map under art. 21 of the Regulation on Network Data Security Management and arts. 17 and 30 of the Personal Information Protection Law. They explain why and how we process your personal information, which types, how long we keep it and how to exercise your rights.").to_string()
    }));

    // 1. Controller.
    out.push(section(&mut n, "controller", h.controller));
    let mut pairs = vec![(t(lang, "名称", "Name"), doc.controller.name.clone())];
    for c in &doc.controller.contacts {
        pairs.push((t(lang, "联系方式", "Contact"), text::contact(lang, c)));
    }
    if let Some(o) = &doc.controller.pipo {
        pairs.push((
            t(
                lang,
                "个人信息保护负责人",
                "Personal information protection officer",
            ),
            text::officer(lang, o),
        ));
    }
    if let Some(c) = &doc.children {
        pairs.push((
            t(
                lang,
                "儿童个人信息保护负责人",
                "Person responsible for children's personal information",
            ),
            text::officer(lang, &c.responsible),
        ));
    }
    out.push(facts(&pairs));

    // 2. Activities.
    out.push(section(&mut n, "activities", h.activities));
    for a in &doc.activities {
        out.push(Block::Heading(
            3,
            format!("activity-{}", a.id),
            a.name.clone(),
        ));
        let mut pairs = vec![
            (t(lang, "处理目的", "Purpose"), a.purpose.clone()),
            (t(lang, "处理方式", "Method"), a.method.clone()),
            (
                t(lang, "个人信息种类", "Types of personal information"),
                text::pi_list(lang, &a.pi_types),
            ),
            (t(lang, "处理依据", "Legal basis"), text::basis(lang, a)),
        ];
        if let Some(s) = &a.sensitive {
            pairs.push((
                t(lang, "敏感个人信息", "Sensitive personal information"),
                text::pi_names(lang, &s.pi_types),
            ));
            pairs.push((
                t(lang, "处理的必要性", "Why it is necessary"),
                s.necessity.clone(),
            ));
            pairs.push((
                t(lang, "对个人权益的影响", "Impact on your rights"),
                s.impact.clone(),
            ));
        }
        if a.children {
            pairs.push((
                t(lang, "儿童个人信息", "Children's personal information"),
                t(lang, "涉及不满十四周岁儿童的个人信息，均作为敏感个人信息处理，并取得监护人同意", "includes personal information of children under 14, all treated as sensitive and processed with a guardian's consent").to_string(),
            ));
        }
        if let Some(s) = text::automation(lang, a) {
            pairs.push((t(lang, "个性化推荐与推送", "Recommendation and push"), s));
        }
        out.push(facts(&pairs));
    }

    // 3. Retention.
    out.push(section(&mut n, "retention", h.retention));
    out.push(Block::Table(
        t(
            lang,
            "各处理活动的保存期限及到期处理",
            "Retention per processing activity",
        )
        .into(),
        headers(&[
            t(lang, "处理活动", "Activity"),
            t(
                lang,
                "保存期限或其确定方法",
                "Retention period or how it is determined",
            ),
            t(lang, "到期后", "At expiry the information is"),
        ]),
        doc.activities
            .iter()
            .map(|a| {
                vec![
                    a.name.clone(),
                    text::period(lang, &a.retention),
                    a.retention.on_expiry.label.clone(),
                ]
            })
            .collect(),
    ));

    // 4. Collected-PI list.
    out.push(section(&mut n, "collected", h.collected));
    out.push(Block::Table(
        t(lang, "已收集个人信息清单", "Personal information collected").into(),
        headers(&[
            t(lang, "业务功能", "Function"),
            t(lang, "使用目的", "Purpose"),
            t(lang, "收集方式", "Method"),
            t(lang, "个人信息种类", "Types"),
            t(lang, "存储地点", "Storage location"),
        ]),
        doc.collected
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.purpose.clone(),
                    c.method.clone(),
                    text::pi_list(lang, &c.pi_types),
                    text::storage(lang, &c.storage),
                ]
            })
            .collect(),
    ));

    // 5. Sharing list.
    out.push(section(&mut n, "sharing", h.sharing));
    if doc.sharing.is_empty() {
        out.push(Block::Para(
            t(
                lang,
                "我们不向第三方提供您的个人信息。",
                "We do not provide your personal information to third parties.",
            )
            .into(),
        ));
    } else {
        out.push(Block::Table(
            t(lang, "第三方共享清单", "Third-party sharing list").into(),
            headers(&[
                t(lang, "接收方", "Recipient"),
                t(lang, "类型", "Kind"),
                t(lang, "关系", "Relationship"),
                t(lang, "联系方式", "Contact"),
                t(lang, "目的", "Purpose"),
                t(lang, "方式", "Method"),
                t(lang, "个人信息种类", "Types"),
            ]),
            doc.sharing
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        text::sdk(lang, &s.kind.label, s.sdk.as_ref()),
                        s.relationship.label.clone(),
                        s.contact.clone(),
                        s.purposes.join(t(lang, "；", "; ")),
                        s.methods.join(t(lang, "；", "; ")),
                        text::pi_list(lang, &s.pi_types),
                    ]
                })
                .collect(),
        ));
    }

    // 6. Cross-border.
    if !doc.cross_border.is_empty() {
        out.push(section(&mut n, "cross-border", h.cross_border));
        out.push(Block::Para(t(lang,
            "我们向境外提供下列个人信息前，取得您的单独同意。您可以通过下一节所列方式向我们或境外接收方行使您的权利。",
            "Before providing the personal information below outside mainland China we obtain your separate consent. You can exercise your rights against us or the foreign recipient through the channels in the next section.").into()));
        out.push(Block::Table(
            t(lang, "出境清单", "Transfers").into(),
            headers(&[
                t(lang, "境外接收方", "Foreign recipient"),
                t(lang, "国家或地区", "Country or region"),
                t(lang, "联系方式", "Contact"),
                t(lang, "个人信息种类", "Types"),
                t(lang, "出境途径", "Legal mechanism"),
            ]),
            doc.cross_border
                .iter()
                .map(|x| {
                    vec![
                        x.recipient.clone(),
                        x.destination.clone(),
                        x.contact.clone(),
                        text::pi_list(lang, &x.pi_types),
                        x.mechanism.label.clone(),
                    ]
                })
                .collect(),
        ));
    }

    // 7. Rights.
    out.push(section(&mut n, "rights", h.rights));
    out.push(Block::Table(
        t(lang, "权利及行使方式", "Rights and channels").into(),
        headers(&[t(lang, "权利", "Right"), t(lang, "方式和途径", "How")]),
        doc.rights
            .iter()
            .map(|r| vec![r.right.label.clone(), r.channel.clone()])
            .collect(),
    ));

    // 8. Children.
    if let Some(c) = &doc.children {
        out.push(section(&mut n, "children", h.children));
        let names: Vec<String> = c
            .activities
            .iter()
            .filter_map(|id| doc.activities.iter().find(|a| &a.id == id))
            .map(|a| a.name.clone())
            .collect();
        let mut pairs = vec![
            (t(lang, "专门规则", "Dedicated rules"), c.title.clone()),
            (
                t(lang, "负责人", "Responsible person"),
                text::officer(lang, &c.responsible),
            ),
        ];
        if !names.is_empty() {
            pairs.push((
                t(lang, "涉及的处理活动", "Activities concerned"),
                names.join(t(lang, "、", ", ")),
            ));
        }
        out.push(facts(&pairs));
        if !children_only {
            out.push(Block::Para(t(lang,
                "我们处理不满十四周岁儿童的个人信息前取得其父母或者其他监护人的同意，并另行制定上述儿童个人信息处理规则。",
                "We obtain the consent of a parent or other guardian before processing the personal information of a child under 14, and publish the dedicated children's rules named above.").into()));
        }
    }
    out
}
