//! The processing-rules document built from a loaded project: every sentence it states comes
//! from one data-map field. Building collects every missing fact instead of stopping at one.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use xiezhi_map::Project;
use xiezhi_map::model::{
    Activity, ConsentKind, Contact, Dataset, Officer, Recipient, RecipientKind, SubjectKind,
};
use xiezhi_model::{Lang, PiType, SensitivityPack};

use super::missing::{MissingFact, MissingKind, RulesError};
use super::text::{self, t};

/// Which document to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The processing rules for everyone (with a children's section when under-14 PI exists).
    #[default]
    General,
    /// The dedicated rules for children under 14 (Reg. art. 21 para 3).
    Children,
}

/// A coded value: stable id and its label in the document language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coded {
    /// Stable snake_case id.
    pub id: String,
    /// Label in the document language.
    pub label: String,
}

impl Coded {
    fn new(id: &str, label: &str) -> Coded {
        Coded {
            id: id.to_string(),
            label: label.to_string(),
        }
    }
}

/// A PI type named in the document language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PiTypeRef {
    /// PI type id (`xiezhi types`).
    pub id: String,
    /// Name in the document language.
    pub name: String,
    /// Sensitive PI (GB/T 35273-2020, a field marked sensitive, or a child's PI).
    pub sensitive: bool,
}

/// A contact point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactLine {
    /// What it is for, in the document language.
    pub role: String,
    /// Person or team.
    pub name: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

impl ContactLine {
    /// The reachable parts joined for one table cell.
    pub fn summary(&self) -> String {
        [&self.name, &self.email, &self.phone, &self.address]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A responsible person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficerLine {
    /// Name.
    pub name: String,
    /// Position.
    pub title: Option<String>,
    /// How to reach them.
    pub contact: Option<ContactLine>,
}

/// Section 1: who the controller is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Controller {
    /// Legal name (`organisation.name`).
    pub name: String,
    /// Contact points (`organisation.contacts`).
    pub contacts: Vec<ContactLine>,
    /// The personal-information protection officer, when designated (`officers.pipo`).
    pub pipo: Option<OfficerLine>,
}

/// Necessity and impact of a sensitive-PI use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensitiveUse {
    /// The sensitive PI types involved.
    pub pi_types: Vec<PiTypeRef>,
    /// Why it is necessary (`sensitive_necessity`).
    pub necessity: String,
    /// Impact on the individual's rights (`sensitive_impact`).
    pub impact: String,
}

/// Retention of an activity's PI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionText {
    /// Period in days, when fixed.
    pub days: Option<u32>,
    /// Why this period, or how it is determined.
    pub basis: Option<String>,
    /// What happens at expiry.
    pub on_expiry: Coded,
}

/// Controls offered with recommendation or push (Reg. art. 42).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PushControlsText {
    /// Personalised recommendation can be switched off.
    pub off_switch: bool,
    /// Pushed information can be refused.
    pub refuse_push: bool,
    /// User tags can be deleted.
    pub delete_tags: bool,
}

/// One processing activity (art. 21(2), (3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityRules {
    /// Activity id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Purpose.
    pub purpose: String,
    /// Method.
    pub method: String,
    /// Legal basis (PIPL 13).
    pub legal_basis: Coded,
    /// Kinds of consent asked for.
    pub consent: Vec<Coded>,
    /// PI types processed.
    pub pi_types: Vec<PiTypeRef>,
    /// Sensitive PI: necessity and impact.
    pub sensitive: Option<SensitiveUse>,
    /// Retention and expiry handling.
    pub retention: RetentionText,
    /// Personalised recommendation.
    pub recommendation: bool,
    /// Automated push.
    pub push: bool,
    /// Automated decision-making (PIPL 24).
    pub automated_decision: bool,
    /// Controls offered with recommendation or push.
    pub push_controls: Option<PushControlsText>,
    /// PI of children under 14 is processed.
    pub children: bool,
}

/// Where collected PI is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorageRef {
    /// Dataset id.
    pub dataset: String,
    /// Dataset name.
    pub name: String,
    /// Location (database, bucket, data centre).
    pub location: String,
    /// Region.
    pub region: String,
    /// Stored outside mainland China.
    pub offshore: bool,
}

/// A row of the collected-PI list (已收集个人信息清单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectedRow {
    /// Activity id.
    pub activity: String,
    /// Activity name (the business function).
    pub name: String,
    /// Purpose.
    pub purpose: String,
    /// Method.
    pub method: String,
    /// PI types.
    pub pi_types: Vec<PiTypeRef>,
    /// Storage locations (from the activity's datasets).
    pub storage: Vec<StorageRef>,
}

/// SDK details in the sharing list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SdkRef {
    /// Package name.
    pub package: String,
    /// Version.
    pub version: Option<String>,
    /// Platforms.
    pub platforms: Vec<String>,
    /// The SDK's privacy policy.
    pub privacy_policy_url: Option<String>,
}

/// A row of the third-party sharing list (第三方共享清单), SDKs included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharingRow {
    /// Recipient id.
    pub id: String,
    /// Recipient name.
    pub name: String,
    /// Organisation or SDK.
    pub kind: Coded,
    /// Entrusted, provided or joint.
    pub relationship: Coded,
    /// Contact.
    pub contact: String,
    /// Country or region.
    pub country: Option<String>,
    /// SDK details.
    pub sdk: Option<SdkRef>,
    /// Purposes.
    pub purposes: Vec<String>,
    /// Methods.
    pub methods: Vec<String>,
    /// PI types.
    pub pi_types: Vec<PiTypeRef>,
}

/// A cross-border transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferRow {
    /// Transfer id.
    pub id: String,
    /// Destination country or region.
    pub destination: String,
    /// Foreign recipient name.
    pub recipient: String,
    /// Its contact.
    pub contact: String,
    /// PI types provided (the recipient's).
    pub pi_types: Vec<PiTypeRef>,
    /// Mechanism relied on.
    pub mechanism: Coded,
}

/// How to exercise one right (art. 21(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RightsChannel {
    /// The right.
    pub right: Coded,
    /// The channel.
    pub channel: String,
}

/// The children's rules (art. 21 para 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildrenRules {
    /// Title or reference of the dedicated rules (`notice.children_rules`).
    pub title: String,
    /// The designated responsible person (`officers.children_officer`).
    pub responsible: OfficerLine,
    /// Ids of the activities that process PI of children under 14.
    pub activities: Vec<String>,
}

/// The processing rules (个人信息处理规则).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesDocument {
    /// `zh-CN` or `en`.
    pub lang: String,
    /// `general` or `children`.
    pub scope: String,
    /// Title.
    pub title: String,
    /// Where the rules are published (`notice.url`).
    pub url: Option<String>,
    /// Date of the version (`notice.published`).
    pub published: Option<String>,
    /// Controller and contacts.
    pub controller: Controller,
    /// Current processing activities.
    pub activities: Vec<ActivityRules>,
    /// The collected-PI list.
    pub collected: Vec<CollectedRow>,
    /// The third-party sharing list.
    pub sharing: Vec<SharingRow>,
    /// Cross-border transfers.
    pub cross_border: Vec<TransferRow>,
    /// Rights channels.
    pub rights: Vec<RightsChannel>,
    /// Children's rules, when PI of children under 14 is processed.
    pub children: Option<ChildrenRules>,
}

fn contact_line(lang: Lang, c: &Contact) -> ContactLine {
    ContactLine {
        role: text::contact_role(lang, c.role.as_deref()),
        name: c.name.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        address: c.address.clone(),
    }
}

fn reachable(c: &Contact) -> bool {
    c.email.is_some() || c.phone.is_some() || c.address.is_some()
}

fn officer_line(lang: Lang, o: &Officer) -> OfficerLine {
    OfficerLine {
        name: o.name.clone(),
        title: o.title.clone(),
        contact: o.contact.as_ref().map(|c| contact_line(lang, c)),
    }
}

fn dataset<'a>(p: &'a Project, id: &str) -> Option<&'a Dataset> {
    p.each(|m| &m.datasets)
        .map(|(_, d)| d)
        .find(|d| d.id.value == id)
}

fn has_children(d: &Dataset) -> bool {
    d.subjects.contains(&SubjectKind::ChildrenUnder14)
}

/// Whether the activity processes PI of children under 14 (one of its datasets holds it).
fn activity_children(p: &Project, a: &Activity) -> bool {
    a.datasets
        .iter()
        .filter_map(|d| dataset(p, &d.value))
        .any(has_children)
}

/// Sensitive PI types of an activity: its types that are sensitive under GB/T 35273-2020 or
/// held in a field marked sensitive, and all its types when a dataset holds children's PI.
/// When none of its own types is sensitive but its datasets hold sensitive fields, those
/// fields' types (the activity can reach them, so `xiezhi check` asks for the statements).
fn sensitive_types(p: &Project, a: &Activity) -> BTreeSet<PiType> {
    let pack = SensitivityPack::default();
    let own: BTreeSet<PiType> = a.pi_types.iter().map(|t| t.value.0).collect();
    let mut out: BTreeSet<PiType> = own
        .iter()
        .copied()
        .filter(|t| pack.is_sensitive(*t))
        .collect();
    let mut reachable = BTreeSet::new();
    for d in a.datasets.iter().filter_map(|d| dataset(p, &d.value)) {
        if has_children(d) {
            out.extend(own.iter().copied());
        }
        for f in d.fields.iter().filter(|f| f.sensitive) {
            if let Some(t) = &f.pi_type {
                reachable.insert(t.value.0);
            }
        }
    }
    out.extend(reachable.intersection(&own).copied());
    if out.is_empty() {
        out = reachable;
    }
    out
}

fn pi_refs(
    lang: Lang,
    types: impl IntoIterator<Item = PiType>,
    sensitive: &BTreeSet<PiType>,
) -> Vec<PiTypeRef> {
    let pack = SensitivityPack::default();
    let mut seen = BTreeSet::new();
    types
        .into_iter()
        .filter(|t| seen.insert(*t))
        .map(|t| PiTypeRef {
            id: t.id().to_string(),
            name: t.name(lang).to_string(),
            sensitive: sensitive.contains(&t) || pack.is_sensitive(t),
        })
        .collect()
}

fn current(a: &Activity) -> bool {
    a.ended.is_none() && (!a.pi_types.is_empty() || !a.datasets.is_empty())
}

/// Whether the project processes PI of children under 14 (role flag or a dataset subject).
pub fn processes_children(p: &Project) -> bool {
    p.profile.roles.processes_under14_pi || p.each(|m| &m.datasets).any(|(_, d)| has_children(d))
}

/// Builds the document, or every missing fact.
pub fn build(p: &Project, lang: Lang, scope: Scope) -> Result<RulesDocument, RulesError> {
    let mut missing = Vec::new();
    let children_exist = processes_children(p);
    if scope == Scope::Children && !children_exist {
        missing.push(MissingFact::profile(
            p,
            MissingKind::NoChildrenData,
            "roles.processes_under14_pi",
            "数据地图未处理不满十四周岁儿童的个人信息：无需儿童个人信息处理规则；如确有处理，请设置 roles.processes_under14_pi: true 或在数据集 subjects 中写明 children_under_14",
            "the data map processes no PI of children under 14, so there are no children's rules to render; if it does, set roles.processes_under14_pi: true or list children_under_14 in a dataset's subjects",
        ));
        return Err(RulesError { missing });
    }

    // 1. Controller.
    let org = &p.profile.organisation;
    if !org.contacts.iter().any(reachable) {
        missing.push(MissingFact::profile(
            p,
            MissingKind::ControllerContact,
            "organisation.contacts",
            "写明至少一个联系方式（email、phone 或 address），例如 { role: privacy, email: privacy@example.cn }",
            "add at least one contact with an email, phone or address, e.g. { role: privacy, email: privacy@example.cn }",
        ));
    }
    let controller = Controller {
        name: org.name.clone(),
        contacts: org
            .contacts
            .iter()
            .filter(|c| reachable(c))
            .map(|c| contact_line(lang, c))
            .collect(),
        pipo: p
            .profile
            .officers
            .pipo
            .as_ref()
            .map(|o| officer_line(lang, o)),
    };

    // 4. Rights channels (checked before activities so that profile facts come first).
    let ch = &p.profile.notice.rights_channels;
    let written = [
        &ch.access,
        &ch.copy,
        &ch.port,
        &ch.correct,
        &ch.supplement,
        &ch.delete,
        &ch.restrict,
        &ch.cancel_account,
        &ch.withdraw_consent,
    ];
    let mut rights = Vec::new();
    for ((id, zh, en), value) in text::RIGHTS.iter().zip(written) {
        match value {
            Some(v) => rights.push(RightsChannel {
                right: Coded::new(id, t(lang, zh, en)),
                channel: v.clone(),
            }),
            None => missing.push(MissingFact::profile(
                p,
                MissingKind::RightsChannel,
                &format!("notice.rights_channels.{id}"),
                format!("写明个人行使{zh}权利的方式和途径，例如 App 菜单路径或邮箱"),
                format!(
                    "write how individuals exercise the right of {} (e.g. an app menu path or a mailbox)",
                    en.to_lowercase()
                ),
            )),
        }
    }

    // Children's rules facts.
    let children = if children_exist {
        let title = p.profile.notice.children_rules.clone();
        if title.is_none() {
            missing.push(MissingFact::profile(
                p,
                MissingKind::ChildrenRules,
                "notice.children_rules",
                "处理不满十四周岁儿童的个人信息：写明专门的儿童个人信息处理规则的名称或版本",
                "PI of children under 14 is processed: name the dedicated children's processing rules (title or version)",
            ));
        }
        let officer = p.profile.officers.children_officer.as_ref();
        if officer.is_none() {
            missing.push(MissingFact::profile(
                p,
                MissingKind::ChildrenOfficer,
                "officers.children_officer",
                "指定儿童个人信息保护专人：officers.children_officer: { name: …, contact: { email: … } }",
                "designate the person responsible for children's PI: officers.children_officer: { name: …, contact: { email: … } }",
            ));
        }
        match (title, officer) {
            (Some(title), Some(o)) => Some(ChildrenRules {
                title,
                responsible: officer_line(lang, o),
                activities: p
                    .each(|m| &m.activities)
                    .filter(|(_, a)| current(a) && activity_children(p, a))
                    .map(|(_, a)| a.id.value.clone())
                    .collect(),
            }),
            _ => None,
        }
    } else {
        None
    };

    // 2, 3. Activities and the collected-PI list.
    let in_scope = |a: &Activity| {
        current(a)
            && (scope == Scope::General
                || activity_children(p, a)
                || p.profile.roles.processes_under14_pi)
    };
    let mut activities = Vec::new();
    let mut collected = Vec::new();
    for (file, a) in p.each(|m| &m.activities) {
        if !in_scope(a) {
            continue;
        }
        let is_child = activity_children(p, a);
        if let Some(rules) = activity(p, lang, file, a, is_child, &mut missing) {
            let storage: Vec<StorageRef> = a
                .datasets
                .iter()
                .filter_map(|d| dataset(p, &d.value))
                .map(|d| StorageRef {
                    dataset: d.id.value.clone(),
                    name: d.name.clone(),
                    location: d.storage.location.clone(),
                    region: d.storage.region.clone(),
                    offshore: d.storage.offshore,
                })
                .collect();
            collected.push(CollectedRow {
                activity: rules.id.clone(),
                name: rules.name.clone(),
                purpose: rules.purpose.clone(),
                method: rules.method.clone(),
                pi_types: rules.pi_types.clone(),
                storage,
            });
            activities.push(rules);
        }
    }
    if activities.is_empty() && !missing.iter().any(|m| m.file != xiezhi_map::PROFILE_FILE) {
        missing.push(MissingFact {
            kind: MissingKind::NoActivities,
            file: xiezhi_map::DATAMAP_DIR.to_string(),
            line: 0,
            column: 0,
            field: "activities".to_string(),
            hint_zh: "没有正在进行且处理个人信息的处理活动：在 datamap/*.yaml 的 activities 中写明目的、方式、个人信息种类和保存期限".to_string(),
            hint_en: "no current processing activity handles PI: add activities to datamap/*.yaml with purpose, method, PI types and retention".to_string(),
        });
    }

    // Third-party sharing list.
    let mut sharing = Vec::new();
    for (file, r) in p.each(|m| &m.recipients) {
        if r.ended.is_some() {
            continue;
        }
        let users: Vec<&Activity> = p
            .each(|m| &m.activities)
            .map(|(_, a)| a)
            .filter(|a| in_scope(a))
            .filter(|a| a.recipients.iter().any(|x| x.value == r.id.value))
            .collect();
        if scope == Scope::Children && users.is_empty() {
            continue;
        }
        if let Some(row) = recipient(lang, file, r, &users, &mut missing) {
            sharing.push(row);
        }
    }

    // Cross-border transfers.
    let mut cross_border = Vec::new();
    if scope == Scope::General {
        for (_, x) in p.each(|m| &m.transfers) {
            let Some(r) = p
                .each(|m| &m.recipients)
                .map(|(_, r)| r)
                .find(|r| r.id.value == x.recipient.value)
            else {
                continue;
            };
            cross_border.push(TransferRow {
                id: x.id.value.clone(),
                destination: x.destination.clone(),
                recipient: r.name.clone(),
                contact: r
                    .contact
                    .as_ref()
                    .map(|c| contact_line(lang, c).summary())
                    .unwrap_or_default(),
                pi_types: pi_refs(lang, r.pi_types.iter().map(|t| t.value.0), &BTreeSet::new()),
                mechanism: Coded::new(
                    text::mechanism_id(x.mechanism),
                    text::mechanism(lang, x.mechanism),
                ),
            });
        }
    }

    if !missing.is_empty() {
        return Err(RulesError { missing });
    }
    let title = match scope {
        Scope::General => t(
            lang,
            "个人信息处理规则",
            "Personal Information Processing Rules",
        ),
        Scope::Children => match &children {
            Some(c) => {
                return Ok(children_doc(
                    p, lang, c, controller, activities, collected, sharing, rights,
                ));
            }
            None => t(
                lang,
                "儿童个人信息处理规则",
                "Children's Personal Information Processing Rules",
            ),
        },
    };
    Ok(RulesDocument {
        lang: text::lang_tag(lang).to_string(),
        scope: "general".to_string(),
        title: format!("{}{}", org_prefix(lang, &org.name), title),
        url: p.profile.notice.url.clone(),
        published: p.profile.notice.published.map(|d| d.to_string()),
        controller,
        activities,
        collected,
        sharing,
        cross_border,
        rights,
        children,
    })
}

fn org_prefix(lang: Lang, name: &str) -> String {
    match lang {
        Lang::ZhCn => format!("{name} "),
        Lang::En => format!("{name}: "),
    }
}

#[allow(clippy::too_many_arguments)]
fn children_doc(
    p: &Project,
    lang: Lang,
    c: &ChildrenRules,
    controller: Controller,
    activities: Vec<ActivityRules>,
    collected: Vec<CollectedRow>,
    sharing: Vec<SharingRow>,
    rights: Vec<RightsChannel>,
) -> RulesDocument {
    RulesDocument {
        lang: text::lang_tag(lang).to_string(),
        scope: "children".to_string(),
        title: format!("{}{}", org_prefix(lang, &controller.name), c.title),
        url: p.profile.notice.url.clone(),
        published: p.profile.notice.published.map(|d| d.to_string()),
        controller,
        activities,
        collected,
        sharing,
        cross_border: Vec::new(),
        rights,
        children: Some(c.clone()),
    }
}

fn activity(
    p: &Project,
    lang: Lang,
    file: &Path,
    a: &Activity,
    is_child: bool,
    missing: &mut Vec<MissingFact>,
) -> Option<ActivityRules> {
    let before = missing.len();
    let at = |field: &str, kind: MissingKind, zh: String, en: String| {
        MissingFact::entity(file, &a.id, "activities", field, kind, zh, en)
    };
    let method = a.method.clone();
    if method.is_none() {
        missing.push(at(
            "method",
            MissingKind::ActivityMethod,
            "写明处理方式（如何收集、存储、使用），例如「App 注册表单收集，加密存储」".into(),
            "write the method of processing (how PI is collected, stored, used), e.g. \"collected by the sign-up form, stored encrypted\"".into(),
        ));
    }
    if a.pi_types.is_empty() {
        missing.push(at(
            "pi_types",
            MissingKind::ActivityPiTypes,
            "列出处理的个人信息种类（`xiezhi types` 中的 id），例如 [person_name, cn_mobile]"
                .into(),
            "list the PI types processed (ids from `xiezhi types`), e.g. [person_name, cn_mobile]"
                .into(),
        ));
    }
    if a.datasets.is_empty() {
        missing.push(at(
            "datasets",
            MissingKind::StorageLocation,
            "列出保存这些个人信息的数据集（datasets 的 id），已收集个人信息清单需要存储地点".into(),
            "list the datasets holding this PI (dataset ids): the collected-PI list needs the storage location".into(),
        ));
    }
    let retention = match &a.retention {
        None => {
            missing.push(at(
                "retention",
                MissingKind::Retention,
                "写明保存期限及到期处理，例如 retention: { days: 1095, on_expiry: delete }".into(),
                "write the retention and expiry handling, e.g. retention: { days: 1095, on_expiry: delete }".into(),
            ));
            None
        }
        Some(r) => {
            if r.days.is_none() && r.basis.is_none() {
                missing.push(at(
                    "retention.days",
                    MissingKind::RetentionPeriod,
                    "写明保存天数（retention.days），期限难以确定时在 retention.basis 写明期限的确定方法".into(),
                    "write the period in days (retention.days) or, when it cannot be fixed, how it is determined (retention.basis)".into(),
                ));
            }
            Some(RetentionText {
                days: r.days,
                basis: r.basis.clone(),
                on_expiry: Coded::new(
                    text::expiry_id(r.on_expiry),
                    text::expiry(lang, r.on_expiry),
                ),
            })
        }
    };
    let sensitive = sensitive_types(p, a);
    let sensitive_use = if sensitive.is_empty() {
        None
    } else {
        if a.sensitive_necessity.is_none() {
            missing.push(at(
                "sensitive_necessity",
                MissingKind::SensitiveNecessity,
                "处理敏感个人信息：写明处理的必要性（sensitive_necessity）".into(),
                "sensitive PI is processed: state why it is necessary (sensitive_necessity)".into(),
            ));
        }
        if a.sensitive_impact.is_none() {
            missing.push(at(
                "sensitive_impact",
                MissingKind::SensitiveImpact,
                "处理敏感个人信息：写明对个人权益的影响（sensitive_impact）".into(),
                "sensitive PI is processed: state the impact on the individual's rights (sensitive_impact)".into(),
            ));
        }
        Some(SensitiveUse {
            // The activity's own order first, then types reached through its datasets.
            pi_types: pi_refs(
                lang,
                a.pi_types
                    .iter()
                    .map(|t| t.value.0)
                    .filter(|t| sensitive.contains(t))
                    .chain(sensitive.iter().copied()),
                &sensitive,
            ),
            necessity: a.sensitive_necessity.clone().unwrap_or_default(),
            impact: a.sensitive_impact.clone().unwrap_or_default(),
        })
    };
    if missing.len() > before {
        return None;
    }
    let mut consent: Vec<ConsentKind> = a.consent.clone();
    consent.dedup();
    Some(ActivityRules {
        id: a.id.value.clone(),
        name: a.name.clone(),
        purpose: a.purpose.clone(),
        method: method.unwrap_or_default(),
        legal_basis: Coded::new(
            text::legal_basis_id(a.legal_basis),
            text::legal_basis(lang, a.legal_basis),
        ),
        consent: consent
            .into_iter()
            .map(|c| Coded::new(text::consent_id(c), text::consent(lang, c)))
            .collect(),
        pi_types: pi_refs(lang, a.pi_types.iter().map(|t| t.value.0), &sensitive),
        sensitive: sensitive_use,
        retention: retention?,
        recommendation: a.recommendation,
        push: a.push,
        automated_decision: a.automated_decision,
        push_controls: a.push_controls.as_ref().map(|c| PushControlsText {
            off_switch: c.off_switch,
            refuse_push: c.refuse_push,
            delete_tags: c.delete_tags,
        }),
        children: is_child,
    })
}

fn recipient(
    lang: Lang,
    file: &Path,
    r: &Recipient,
    users: &[&Activity],
    missing: &mut Vec<MissingFact>,
) -> Option<SharingRow> {
    let before = missing.len();
    let at = |field: &str, kind: MissingKind, zh: &str, en: &str| {
        MissingFact::entity(file, &r.id, "recipients", field, kind, zh, en)
    };
    let contact = r.contact.as_ref().filter(|c| reachable(c));
    if contact.is_none() {
        missing.push(at(
            "contact",
            MissingKind::RecipientContact,
            "写明接收方的联系方式，例如 contact: { email: dpo@partner.example }",
            "write the recipient's contact, e.g. contact: { email: dpo@partner.example }",
        ));
    }
    let contract = r.contract.as_ref();
    let mut purposes: Vec<String> = contract
        .and_then(|c| c.purpose.clone())
        .into_iter()
        .collect();
    if purposes.is_empty() {
        purposes = users.iter().map(|a| a.purpose.clone()).collect();
        purposes.dedup();
    }
    if purposes.is_empty() {
        missing.push(at(
            "contract.purpose",
            MissingKind::RecipientPurpose,
            "写明向该接收方提供个人信息的目的（contract.purpose），或在处理活动的 recipients 中引用它",
            "write the purpose of providing PI to this recipient (contract.purpose), or reference it from an activity's recipients",
        ));
    }
    let mut methods: Vec<String> = contract
        .and_then(|c| c.method.clone())
        .into_iter()
        .collect();
    if methods.is_empty() {
        methods = users.iter().filter_map(|a| a.method.clone()).collect();
        methods.dedup();
    }
    if methods.is_empty() {
        missing.push(at(
            "contract.method",
            MissingKind::RecipientMethod,
            "写明提供的方式（contract.method），例如「接口传输，加密存储」",
            "write the method of provision (contract.method), e.g. \"API transfer, stored encrypted\"",
        ));
    }
    if r.pi_types.is_empty() {
        missing.push(at(
            "pi_types",
            MissingKind::RecipientPiTypes,
            "列出提供给该接收方的个人信息种类（pi_types）",
            "list the PI types provided to this recipient (pi_types)",
        ));
    }
    if missing.len() > before {
        return None;
    }
    Some(SharingRow {
        id: r.id.value.clone(),
        name: r.name.clone(),
        kind: Coded::new(
            text::recipient_kind_id(r.kind),
            text::recipient_kind(lang, r.kind),
        ),
        relationship: Coded::new(
            text::relationship_id(r.relationship),
            text::relationship(lang, r.relationship),
        ),
        contact: contact
            .map(|c| contact_line(lang, c).summary())
            .unwrap_or_default(),
        country: r.country.clone(),
        sdk: r
            .sdk
            .as_ref()
            .filter(|_| r.kind == RecipientKind::Sdk || r.sdk.is_some())
            .map(|s| SdkRef {
                package: s.package.clone(),
                version: s.version.clone(),
                platforms: s.platforms.clone(),
                privacy_policy_url: s.privacy_policy_url.clone(),
            }),
        purposes,
        methods,
        pi_types: pi_refs(lang, r.pi_types.iter().map(|t| t.value.0), &BTreeSet::new()),
    })
}
