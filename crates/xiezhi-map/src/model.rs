//! The data-map model: `xiezhi.yaml` ([`Profile`]) and `datamap/*.yaml` ([`DataMapFile`]).
//!
//! Every struct rejects unknown keys. Ids (`id:`) and references to other entities carry their
//! position ([`At`]) so that checks can point at the YAML line.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::date::Date;
use crate::located::{At, CategoryId, PiTypeId};

/// An entity id or a reference to one: unique across the whole project.
pub type Id = At<String>;

// ---------------------------------------------------------------------------------------------
// xiezhi.yaml

/// `xiezhi.yaml`: the organisation profile.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Who the processor is.
    pub organisation: Organisation,
    /// Role flags of catalog section 1.2; each switches on articles.
    #[serde(default)]
    pub roles: Roles,
    /// User and PI-subject counts that trigger thresholds (arts. 28, 62; PIPO; audits).
    #[serde(default)]
    pub scale: Scale,
    /// Responsible persons and bodies.
    #[serde(default)]
    pub officers: Officers,
    /// GB/T 43697 grading configuration.
    #[serde(default)]
    pub grading: Grading,
    /// Baseline security controls (Reg. art. 9; CSL (2016) art. 21).
    #[serde(default)]
    pub controls: Controls,
    /// Facts the processing rules (privacy notice) must state (Reg. art. 21; PIPL 17).
    #[serde(default)]
    pub notice: Notice,
    /// Duties of a large network platform (Reg. arts. 44–46; PIPL 58).
    #[serde(default)]
    pub platform: PlatformDuties,
    /// Grounds for a lighter or no penalty (Reg. art. 59) recorded against rule ids; shown
    /// with the exposure of their findings.
    #[serde(default)]
    pub mitigation: Vec<MitigationRecord>,
    /// How rights requests are handled: deadlines, the transfer fee rule, export links.
    #[serde(default)]
    pub rights: RightsSettings,
}

/// A service-level deadline: working days (PRC calendar) or calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum SlaSpec {
    /// Working days (工作日), excluding weekends and public holidays, including adjusted working weekends.
    WorkingDays(u32),
    /// Calendar days; a period ending on a day off ends on the next working day (Civil Code art. 203).
    Days(u32),
}

/// Settings of the rights-request workflow (Reg. arts. 23–25). Everything has a default.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RightsSettings {
    /// Deadline per request kind (`delete`, `cancel_account`, `access`, …, or `default`), e.g.
    /// `delete: { working_days: 15 }`. Defaults: 15 working days for delete and cancel_account,
    /// 30 days for the rest (catalog 4.10).
    #[serde(default)]
    pub sla: std::collections::BTreeMap<String, SlaSpec>,
    /// How many working days before the due date a request counts as due soon (default 3).
    #[serde(default)]
    pub due_soon_working_days: Option<u32>,
    /// Transfer fee rule (art. 25): a fee only when requests clearly exceed a reasonable range.
    #[serde(default)]
    pub transfer_fee: Option<TransferFee>,
    /// Hours an access/copy download link stays valid (default 72).
    #[serde(default)]
    pub export_link_hours: Option<u32>,
}

/// The transfer fee rule of art. 25.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferFee {
    /// Transfer requests per person in 365 days that are a reasonable range (no fee up to this).
    pub reasonable_per_year: u32,
    /// The cost of one transfer, in CNY (the fee can never exceed it).
    pub cost_cny: u32,
}

/// Baseline security controls (Reg. art. 9; CSL (2016) art. 21). All default to absent.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Controls {
    /// A data security management system is in place.
    pub management_system: bool,
    /// Multi-level protection scheme (等级保护) level of the main system, 1–5.
    pub mlps_level: Option<u8>,
    /// Date the MLPS level was filed with public security.
    pub mlps_filed: Option<Date>,
    /// Encryption of data in storage and transit.
    pub encryption: bool,
    /// Data backup.
    pub backup: bool,
    /// Access control.
    pub access_control: bool,
    /// Security authentication of users and administrators.
    pub authentication: bool,
    /// An incident emergency plan (Reg. art. 11).
    pub incident_plan: bool,
    /// Months network logs are kept (CSL (2016) art. 21(3): at least 6).
    pub log_retention_months: Option<u32>,
}

/// Channels for individuals' rights (Reg. art. 21(4)): how to use each one.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RightsChannels {
    /// Access (查阅).
    pub access: Option<String>,
    /// Copy (复制).
    pub copy: Option<String>,
    /// Transfer to another processor (转移).
    pub port: Option<String>,
    /// Correct (更正).
    pub correct: Option<String>,
    /// Supplement (补充).
    pub supplement: Option<String>,
    /// Delete (删除).
    pub delete: Option<String>,
    /// Restrict processing (限制处理).
    pub restrict: Option<String>,
    /// Cancel the account (注销账号).
    pub cancel_account: Option<String>,
    /// Withdraw consent (撤回同意).
    pub withdraw_consent: Option<String>,
}

/// Facts of the processing rules (个人信息处理规则) beyond what activities record.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Notice {
    /// Where the processing rules are published.
    pub url: Option<String>,
    /// Date of the current version.
    pub published: Option<Date>,
    /// How individuals exercise each right.
    pub rights_channels: RightsChannels,
    /// Reference to the dedicated processing rules for children under 14 (Reg. art. 21 para 3).
    pub children_rules: Option<String>,
}

/// Large-platform duties (Reg. arts. 44–46; PIPL 58).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlatformDuties {
    /// The independent body composed mainly of external members (PIPL 58(1)).
    pub external_supervisory_body: Option<String>,
    /// Date the last PI protection social responsibility report was published (yearly, art. 44).
    pub social_responsibility_report: Option<Date>,
    /// Users can access and download the data they generated on the platform (art. 46(2)).
    pub user_data_export: bool,
    /// Date of the last review of differential treatment of users (art. 46(3); PIPL 24).
    pub differential_treatment_review: Option<Date>,
}

/// A ground for a lighter, reduced or no penalty (Reg. art. 59).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MitigationGround {
    /// Actively eliminated or reduced the harmful consequences.
    EliminatedHarm,
    /// Minor violation, promptly corrected, no harmful consequences.
    MinorCorrectedNoHarm,
    /// First violation, minor harm, promptly corrected.
    FirstMinorCorrected,
}

/// Mitigation grounds recorded for the findings of one rule.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MitigationRecord {
    /// Rule id (`xiezhi check` prints it), e.g. `NDSR-12-provision-contract`.
    pub rule: String,
    /// The grounds that apply.
    pub grounds: Vec<MitigationGround>,
    /// Evidence or remarks.
    #[serde(default)]
    pub note: Option<String>,
}

/// The organisation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Legal name.
    pub name: String,
    /// Unified social credit code (统一社会信用代码), 18 characters.
    #[serde(default)]
    pub uscc: Option<String>,
    /// Jurisdiction of incorporation, ISO 3166 alpha-2 (`CN` for the mainland).
    #[serde(default)]
    pub jurisdiction: Option<String>,
    /// Contact points (privacy mailbox, complaints, regulator liaison).
    #[serde(default)]
    pub contacts: Vec<Contact>,
}

/// A contact point. Prefer role mailboxes over personal data.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// What the contact is for (privacy, complaints, security, regulator).
    #[serde(default)]
    pub role: Option<String>,
    /// Name of the person or team.
    #[serde(default)]
    pub name: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
}

/// Role flags of catalog section 1.2. All default to `false`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Roles {
    /// Processes network data in China (or PI of people in China from abroad, PIPL 3(2)).
    pub network_data_processor: bool,
    /// Offshore processor that must appoint a representative in China (PIPL 53).
    pub offshore_processor_with_cn_rep: bool,
    /// Serves state organs, CII operators or public infrastructure (arts. 16, 17).
    pub serves_state_organs_or_cii: bool,
    /// Uses crawlers or other automated collection tools (arts. 18, 24).
    pub automated_collector: bool,
    /// Provides generative-AI services (art. 19).
    pub genai_provider: bool,
    /// Offers products or services to the public (art. 20).
    pub public_facing: bool,
    /// Provides network platform services (arts. 40, 42, 43).
    pub platform_service_provider: bool,
    /// Large network platform, art. 62(8): declared; the counts in `scale` are also checked.
    pub large_platform: bool,
    /// Makes smart devices with pre-installed apps (art. 40).
    pub preinstall_device_maker: bool,
    /// Provides app distribution services (art. 41).
    pub app_distribution_platform: bool,
    /// Pushes information to individuals by automated decision-making (art. 42).
    pub automated_push: bool,
    /// Designated critical information infrastructure operator.
    pub cii_operator: bool,
    /// Processes data identified/declared and confirmed as important data (arts. 29–33, 37).
    pub important_data_processor: bool,
    /// Holds important data of types/scales specified by the authority (art. 30 para 3).
    pub important_data_special_scale: bool,
    /// Processes PI of minors (under 18).
    pub processes_minors_pi: bool,
    /// Processes PI of children under 14 (arts. 21, 22; PIPL 28, 31).
    pub processes_under14_pi: bool,
}

/// Counts that trigger thresholds. Unknown counts are left out, not written as 0.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Scale {
    /// Date the counts were taken.
    pub as_of: Option<Date>,
    /// Registered users (art. 62(8): ≥50,000,000 makes a large platform).
    pub registered_users: Option<u64>,
    /// Monthly active users (art. 62(8): ≥10,000,000 makes a large platform).
    pub monthly_active_users: Option<u64>,
    /// Individuals whose PI is processed (art. 28: ≥10,000,000; PIPO: ≥1,000,000).
    pub pi_subjects: Option<u64>,
    /// Individuals whose sensitive PI is processed.
    pub sensitive_pi_subjects: Option<u64>,
    /// Minors (under 18) whose PI is processed.
    pub minor_subjects: Option<u64>,
    /// Children under 14 whose PI is processed.
    pub under14_subjects: Option<u64>,
    /// Prior-year turnover in CNY (PIPL 66 cap of 5 %).
    pub prior_year_turnover_cny: Option<u64>,
    /// Date the PI of 1,000,000 people was first reached (PIPO filing: 30 working days).
    pub pi_1m_reached: Option<Date>,
}

/// Responsible persons and bodies.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Officers {
    /// Personal information protection officer (个人信息保护负责人, PIPL 52).
    pub pipo: Option<Officer>,
    /// Person responsible for network data security (网络数据安全负责人, art. 30).
    pub data_security_officer: Option<Officer>,
    /// Body responsible for network data security (网络数据安全管理机构, art. 30).
    pub data_security_organisation: Option<Unit>,
    /// Person designated to protect children's PI (儿童个人信息保护专人, Children's Provisions
    /// art. 8); named in the children's processing rules (Reg. art. 21 para 3).
    pub children_officer: Option<Officer>,
}

/// A responsible person.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    /// Name.
    pub name: String,
    /// Position in the organisation.
    #[serde(default)]
    pub title: Option<String>,
    /// How to reach the officer (a role mailbox is best).
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Date of appointment.
    #[serde(default)]
    pub appointed: Option<Date>,
    /// Date the appointment was filed with the authority (PIPO filing, 30 working days).
    #[serde(default)]
    pub filed: Option<Date>,
    /// Member of the management (art. 30 para 2, data security officer).
    #[serde(default)]
    pub management_member: bool,
    /// May report directly to the competent authorities (art. 30 para 2).
    #[serde(default)]
    pub direct_reporting: bool,
    /// Date of the last security background check (art. 30 para 3).
    #[serde(default)]
    pub background_check: Option<Date>,
}

/// A responsible body (department or committee).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Name of the body.
    pub name: String,
    /// Its head.
    #[serde(default)]
    pub head: Option<String>,
    /// Contact of the body.
    #[serde(default)]
    pub contact: Option<Contact>,
}

/// GB/T 43697 grading configuration.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grading {
    /// Sub-levels of general data the organisation uses, lowest first (GB/T 43697 lets
    /// general data be split further, e.g. `general-1` … `general-4`).
    #[serde(default = "default_general_levels")]
    pub general_levels: Vec<String>,
}

impl Default for Grading {
    fn default() -> Self {
        Grading {
            general_levels: default_general_levels(),
        }
    }
}

fn default_general_levels() -> Vec<String> {
    (1..=4).map(|i| format!("general-{i}")).collect()
}

// ---------------------------------------------------------------------------------------------
// datamap/*.yaml

/// One `datamap/*.yaml` file. Every section is optional; split them across files as you like.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DataMapFile {
    /// Information systems.
    pub systems: Vec<System>,
    /// Datasets (tables, buckets, indexes) and their fields.
    pub datasets: Vec<Dataset>,
    /// Processing activities.
    pub activities: Vec<Activity>,
    /// Recipients: third parties, entrusted processors, joint processors, SDKs.
    pub recipients: Vec<Recipient>,
    /// Cross-border transfers.
    pub transfers: Vec<Transfer>,
    /// Crawlers and other automated collection tools (art. 18).
    pub crawlers: Vec<Crawler>,
    /// Generative-AI training datasets (art. 19).
    pub training_datasets: Vec<TrainingDataset>,
    /// Assessments and audits.
    pub assessments: Vec<Assessment>,
}

/// An information system.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// What it does.
    #[serde(default)]
    pub description: Option<String>,
    /// Owning team.
    #[serde(default)]
    pub owner: Option<String>,
    /// Where it is hosted (data centre, cloud region).
    #[serde(default)]
    pub hosting: Option<String>,
}

/// Where data is stored.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// Location (database, bucket, data centre).
    pub location: String,
    /// Region, ISO 3166 alpha-2 or a cloud region (`CN`, `cn-north-1`, `SG`).
    pub region: String,
    /// Stored outside mainland China (then it is a cross-border transfer).
    #[serde(default)]
    pub offshore: bool,
}

/// Kinds of data subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// Adult users or customers.
    Users,
    /// Minors under 18.
    Minors,
    /// Children under 14.
    #[serde(rename = "children_under_14")]
    ChildrenUnder14,
    /// Employees and job applicants.
    Employees,
    /// Contacts at business partners.
    BusinessContacts,
    /// Other people.
    Other,
}

/// GB/T 43697 grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 核心数据.
    Core,
    /// 重要数据.
    Important,
    /// 一般数据 (with an optional sub-level, see [`Grading`]).
    General,
}

/// Important-data lifecycle state (arts. 29–30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportantDataState {
    /// Identified internally against the catalogues.
    Identified,
    /// Declared to the competent authority.
    Declared,
    /// Confirmed by the authority (or published in a catalogue).
    Confirmed,
}

/// Important-data status of a dataset.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportantData {
    /// Lifecycle state.
    pub state: ImportantDataState,
    /// Catalogue or rule it was identified under.
    #[serde(default)]
    pub catalogue: Option<String>,
    /// Date identified.
    #[serde(default)]
    pub identified: Option<Date>,
    /// Date declared to the authority.
    #[serde(default)]
    pub declared: Option<Date>,
    /// Date confirmed.
    #[serde(default)]
    pub confirmed: Option<Date>,
}

/// A dataset: a table, a file set, an index.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// The system holding it (a `systems` id).
    pub system: Id,
    /// Where it is stored.
    pub storage: Storage,
    /// Whose data it holds.
    #[serde(default)]
    pub subjects: Vec<SubjectKind>,
    /// The field that identifies the subject (for rights requests).
    #[serde(default)]
    pub subject_key: Option<String>,
    /// Number of distinct subjects (estimate).
    #[serde(default)]
    pub subject_count: Option<u64>,
    /// Important-data status, when it holds important data.
    #[serde(default)]
    pub important_data: Option<ImportantData>,
    /// The state organ, CII operator or public-infrastructure operator whose data this is,
    /// when processed as its service provider (art. 16).
    #[serde(default)]
    pub principal: Option<Principal>,
    /// Fields (columns, keys).
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Physical table name for rights execution (default: the last path segment of
    /// `storage.location`, e.g. `mysql://shop/users` → `users`). Letters, digits, `_`, with an
    /// optional `schema.` prefix.
    #[serde(default)]
    pub table: Option<At<String>>,
    /// Logical database name that rights execution connects to (default: the host part of
    /// `storage.location`, e.g. `mysql://shop/users` → `shop`).
    #[serde(default)]
    pub connection: Option<At<String>>,
    /// Primary key column (default `id`).
    #[serde(default)]
    pub primary_key: Option<At<String>>,
    /// Foreign keys: this dataset's column `field` references dataset `dataset`'s column `to`.
    /// Rights execution reaches the subject's rows through them.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// What erasure (deletion, account cancellation) does to this dataset's rows of the
    /// subject (default: delete).
    #[serde(default)]
    pub erasure: Option<DatasetErasure>,
}

/// A foreign key of a dataset: `field` references dataset `dataset`'s column `to`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The referencing column of this dataset (one of its `fields`).
    pub field: At<String>,
    /// The referenced dataset (a `datasets` id).
    pub dataset: Id,
    /// The referenced column (default: the referenced dataset's `primary_key`).
    #[serde(default)]
    pub to: Option<At<String>>,
}

/// What erasure does to a dataset's rows of the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErasureAction {
    /// Delete the rows (those still referenced by kept rows are anonymised instead).
    #[default]
    Delete,
    /// Keep the rows, apply each field's `erasure` strategy.
    Anonymise,
    /// Keep the rows unchanged, storage only, for a legal retention period (`hold`).
    Hold,
}

/// A legal retention that keeps rows storage-only (Reg. art. 24 para 2; PIPL 47 last para).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hold {
    /// The law and article that require keeping the rows, e.g. `电子商务法第三十一条
    /// 交易记录保存不少于三年`.
    pub reason: String,
    /// Years the rows are kept, counted from `from`.
    pub years: u32,
    /// Date column the period counts from (e.g. `completed_at`).
    pub from: At<String>,
}

/// The erasure block of a dataset.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetErasure {
    /// Delete, anonymise or hold.
    pub action: At<ErasureAction>,
    /// The legal hold (required with `action: hold`).
    #[serde(default)]
    pub hold: Option<Hold>,
}

/// What erasure does to one field of a row that is kept (anonymised).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldErasure {
    /// Deleted with the row (kept rows: set to NULL).
    Delete,
    /// Set to NULL.
    Null,
    /// Replaced with a fixed value: `redact_value`, else a default placeholder.
    Redact,
    /// Replaced with a unique random surrogate (for unique columns such as a phone number).
    Random,
    /// Kept as is.
    Keep,
}

/// Kind of principal served under art. 16.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// A state organ.
    StateOrgan,
    /// A critical information infrastructure operator.
    CiiOperator,
    /// Public infrastructure or a public service system.
    PublicInfrastructure,
}

/// The principal whose data a dataset holds (art. 16): its data may be used only as agreed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Principal {
    /// Name of the principal.
    pub name: String,
    /// Kind of principal.
    pub kind: PrincipalKind,
    /// Service contract reference.
    #[serde(default)]
    pub contract: Option<String>,
    /// Activities the principal agreed to (`activities` ids); any other use needs its consent.
    #[serde(default)]
    pub permitted_activities: Vec<Id>,
    /// The principal consented to correlation analysis (关联分析) with other data.
    #[serde(default)]
    pub correlation_consented: bool,
}

/// Records kept of a flow or an assessment (art. 12: ≥3 years; PIPL 56: ≥3 years).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Records {
    /// Where the records are kept (system, archive).
    pub location: String,
    /// Years kept after the flow ends or the assessment is completed.
    pub retention_years: u32,
    /// Date the records were deleted, if they were.
    #[serde(default)]
    pub deleted: Option<Date>,
}

/// Who set a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabelStatus {
    /// Reviewed by a person; discovery never overwrites it.
    #[default]
    Confirmed,
    /// Suggested by discovery; re-evaluated on the next scan.
    Suggested,
}

/// A field of a dataset.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Field name (unique within the dataset).
    pub name: At<String>,
    /// PI type id (`xiezhi types`), when the field holds PI.
    #[serde(default)]
    pub pi_type: Option<At<PiTypeId>>,
    /// GB/T 35273 category (defaults to the PI type's category).
    #[serde(default)]
    pub category: Option<CategoryId>,
    /// Sensitive PI (PIPL 28).
    #[serde(default)]
    pub sensitive: bool,
    /// GB/T 43697 grade.
    #[serde(default)]
    pub grade: Option<Grade>,
    /// Sub-level of general data; one of `grading.general_levels` in `xiezhi.yaml`.
    #[serde(default)]
    pub level: Option<At<String>>,
    /// Whether a person confirmed the label.
    #[serde(default)]
    pub label: LabelStatus,
    /// What erasure does to this field of a kept (anonymised) row. Default: `null` for a field
    /// with a `pi_type`, `keep` otherwise; key columns are never changed.
    #[serde(default)]
    pub erasure: Option<At<FieldErasure>>,
    /// The fixed value of `erasure: redact` (default `[已删除]`).
    #[serde(default)]
    pub redact_value: Option<String>,
    /// The field holds other people's PI (e.g. a recipient's phone): excluded from transfers
    /// to another processor (Reg. art. 25(4)).
    #[serde(default)]
    pub third_party: bool,
}

/// Legal basis under PIPL art. 13.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// 13(1) consent.
    Consent,
    /// 13(2) necessary for a contract with the individual, or HR management.
    Contract,
    /// 13(3) legal duties or obligations.
    LegalObligation,
    /// 13(4) public-health emergencies or protecting life, health and property.
    Emergency,
    /// 13(5) news reporting and public-opinion supervision in the public interest.
    PublicInterestNews,
    /// 13(6) PI already disclosed by the individual or lawfully disclosed.
    PubliclyDisclosed,
    /// 13(7) other cases provided by law.
    OtherLaw,
}

/// Kind of consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Ordinary consent.
    General,
    /// Separate consent (单独同意: sensitive PI, provision, disclosure, cross-border).
    Separate,
    /// Written consent.
    Written,
    /// Consent of a parent or guardian (children under 14).
    Guardian,
}

/// What happens when the retention period ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryAction {
    /// Deleted.
    Delete,
    /// Anonymised.
    Anonymise,
    /// Storage stopped except for necessary security measures (PIPL 47 last para).
    Restrict,
    /// Reviewed by a person.
    Review,
}

/// Retention of the PI of an activity.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// Retention period in days (the shortest necessary).
    #[serde(default)]
    pub days: Option<u32>,
    /// Why this period (law, contract).
    #[serde(default)]
    pub basis: Option<String>,
    /// What happens at expiry.
    pub on_expiry: ExpiryAction,
    /// Date the expiry action was last carried out (for an ended activity: after the period).
    #[serde(default)]
    pub purged: Option<Date>,
}

/// Controls offered with personalised recommendation or push (Reg. art. 42; Algorithm
/// Provisions art. 17).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PushControls {
    /// An easy switch to turn personalised recommendation off.
    pub off_switch: bool,
    /// A way to refuse pushed information.
    pub refuse_push: bool,
    /// A way to delete the user tags aimed at personal characteristics.
    pub delete_tags: bool,
}

/// A processing activity.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Purpose of processing.
    pub purpose: String,
    /// Method of processing (Reg. art. 21(2)).
    #[serde(default)]
    pub method: Option<String>,
    /// Legal basis under PIPL 13.
    pub legal_basis: LegalBasis,
    /// Kinds of consent obtained (with `legal_basis: consent`).
    #[serde(default)]
    pub consent: Vec<ConsentKind>,
    /// PI types processed.
    #[serde(default)]
    pub pi_types: Vec<At<PiTypeId>>,
    /// Datasets used (`datasets` ids).
    #[serde(default)]
    pub datasets: Vec<Id>,
    /// Recipients involved (`recipients` ids).
    #[serde(default)]
    pub recipients: Vec<Id>,
    /// Retention and expiry handling.
    #[serde(default)]
    pub retention: Option<Retention>,
    /// With sensitive PI: why it is necessary (Reg. art. 21(2); PIPL 30).
    #[serde(default)]
    pub sensitive_necessity: Option<String>,
    /// With sensitive PI: the impact on the individual's rights (Reg. art. 21(2); PIPL 30).
    #[serde(default)]
    pub sensitive_impact: Option<String>,
    /// Processing records (PIPL 56: kept ≥3 years).
    #[serde(default)]
    pub records: Option<Records>,
    /// Controls offered with recommendation or push (art. 42).
    #[serde(default)]
    pub push_controls: Option<PushControls>,
    /// Automated decision-making about individuals (PIPL 24).
    #[serde(default)]
    pub automated_decision: bool,
    /// Personalised recommendation (Algorithm Provisions).
    #[serde(default)]
    pub recommendation: bool,
    /// Automated push of information or ads (art. 42).
    #[serde(default)]
    pub push: bool,
    /// Date the activity started.
    #[serde(default)]
    pub started: Option<Date>,
    /// Date the activity ended.
    #[serde(default)]
    pub ended: Option<Date>,
}

/// How a recipient relates to the organisation (art. 12; PIPL 20–23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// Entrusted processing (委托处理).
    Entrusted,
    /// Provision to another processor (提供).
    Provided,
    /// Joint processing (共同处理).
    Joint,
}

/// Kind of recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// A company or other organisation.
    #[default]
    Organisation,
    /// A third-party SDK embedded in an app.
    Sdk,
}

/// The contract with a recipient and the art. 12 fields it must fix.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Contract number or document reference.
    pub reference: String,
    /// Date signed.
    #[serde(default)]
    pub signed: Option<Date>,
    /// Date it ends.
    #[serde(default)]
    pub expires: Option<Date>,
    /// Agreed purpose.
    #[serde(default)]
    pub purpose: Option<String>,
    /// Agreed method of processing.
    #[serde(default)]
    pub method: Option<String>,
    /// Agreed scope (PI types, volume).
    #[serde(default)]
    pub scope: Option<String>,
    /// Security obligations of the recipient.
    #[serde(default)]
    pub security_obligations: Option<String>,
    /// Joint processing: how rights and duties are allocated (art. 12 para 3).
    #[serde(default)]
    pub allocation_of_duties: Option<String>,
}

/// SDK details.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sdk {
    /// Package name (e.g. `com.example.push`).
    pub package: String,
    /// Version in use.
    #[serde(default)]
    pub version: Option<String>,
    /// Platforms (`android`, `ios`, `harmonyos`, `mini_program`, `web`).
    #[serde(default)]
    pub platforms: Vec<String>,
    /// URL of the SDK's privacy policy.
    #[serde(default)]
    pub privacy_policy_url: Option<String>,
}

/// A recipient of data.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Unique id.
    pub id: Id,
    /// Legal name.
    pub name: String,
    /// Organisation or SDK.
    #[serde(default)]
    pub kind: RecipientKind,
    /// Entrusted, provided or joint.
    pub relationship: Relationship,
    /// Contact of the recipient.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Country or region, ISO 3166 alpha-2.
    #[serde(default)]
    pub country: Option<String>,
    /// SDK details (with `kind: sdk`).
    #[serde(default)]
    pub sdk: Option<Sdk>,
    /// The contract.
    #[serde(default)]
    pub contract: Option<Contract>,
    /// Records of the provision or entrustment (art. 12: kept ≥3 years).
    #[serde(default)]
    pub records: Option<Records>,
    /// The flow performs a statutory duty (no art. 31 risk assessment needed).
    #[serde(default)]
    pub statutory_duty: bool,
    /// PI types shared.
    #[serde(default)]
    pub pi_types: Vec<At<PiTypeId>>,
    /// Datasets shared (`datasets` ids).
    #[serde(default)]
    pub datasets: Vec<Id>,
    /// Date the flow started.
    #[serde(default)]
    pub started: Option<Date>,
    /// Date the flow ended (records kept ≥3 years after).
    #[serde(default)]
    pub ended: Option<Date>,
}

/// Scenario of a cross-border transfer (CAC Order 16, arts. 3–6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferScenario {
    /// Ordinary transfer: thresholds apply.
    General,
    /// Trade, academic, manufacturing data with no PI or important data (art. 3).
    NonPersonalBusiness,
    /// PI collected abroad, processed in China and sent back (art. 4).
    CollectedAbroad,
    /// Necessary for a contract with the individual: shopping, remittance, booking, visas (5(1)).
    ContractNecessity,
    /// Cross-border HR management under lawful rules and contracts (5(2)).
    HrManagement,
    /// Emergency to protect life, health or property (5(3)).
    Emergency,
    /// Free-trade-zone data outside its negative list (art. 6).
    FreeTradeZone,
}

/// Legal mechanism of a cross-border transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferMechanism {
    /// CAC security assessment.
    SecurityAssessment,
    /// PI standard contract, filed.
    StandardContract,
    /// PI protection certification.
    Certification,
    /// Exempt under CAC Order 16.
    Exempt,
    /// None yet.
    None,
}

/// Subjects transferred in one calendar year, counted from 1 January.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct YearCount {
    /// Calendar year.
    pub year: u16,
    /// Individuals whose non-sensitive PI was transferred.
    #[serde(default)]
    pub general: u64,
    /// Individuals whose sensitive PI was transferred.
    #[serde(default)]
    pub sensitive: u64,
}

/// Yearly numbers of individuals a security assessment approved (Reg. art. 38).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ApprovedScale {
    /// Individuals whose non-sensitive PI may be provided per calendar year.
    pub general: Option<u64>,
    /// Individuals whose sensitive PI may be provided per calendar year.
    pub sensitive: Option<u64>,
}

/// A cross-border transfer.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// Unique id.
    pub id: Id,
    /// Destination country or region, ISO 3166 alpha-2.
    pub destination: String,
    /// Foreign recipient (`recipients` id).
    pub recipient: Id,
    /// Scenario.
    pub scenario: TransferScenario,
    /// Datasets transferred (`datasets` ids).
    #[serde(default)]
    pub datasets: Vec<Id>,
    /// Includes important data.
    #[serde(default)]
    pub important_data: bool,
    /// Includes remote access from abroad (counts as export).
    #[serde(default)]
    pub remote_access: bool,
    /// Subjects per calendar year.
    #[serde(default)]
    pub subjects_by_year: Vec<YearCount>,
    /// Mechanism relied on.
    pub mechanism: TransferMechanism,
    /// Approval, filing or certificate number.
    #[serde(default)]
    pub mechanism_ref: Option<String>,
    /// Valid from.
    #[serde(default)]
    pub valid_from: Option<Date>,
    /// Valid until (assessments: 3 years).
    #[serde(default)]
    pub valid_until: Option<Date>,
    /// Date filed (standard contract).
    #[serde(default)]
    pub filed: Option<Date>,
    /// An extension of the security assessment was approved (+3 years).
    #[serde(default)]
    pub extended: bool,
    /// Yearly scale the security assessment approved (art. 38: not to be exceeded).
    #[serde(default)]
    pub approved_scale: Option<ApprovedScale>,
    /// Legal basis for providing the PI abroad (PIPL 13).
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// Kinds of consent obtained for the transfer (PIPL 39: separate consent).
    #[serde(default)]
    pub consent: Vec<ConsentKind>,
    /// Individuals were told the foreign recipient's name, contact, purpose, method, PI types
    /// and how to exercise their rights against it (PIPL 39).
    #[serde(default)]
    pub individuals_notified: bool,
}

/// A crawler or other automated collection tool (art. 18).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Crawler {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Purpose of collection.
    pub purpose: String,
    /// Target sites or services.
    #[serde(default)]
    pub targets: Vec<String>,
    /// Honours robots.txt and site terms.
    #[serde(default)]
    pub respects_robots_txt: bool,
    /// Maximum request rate per target, per second.
    #[serde(default)]
    pub max_requests_per_second: Option<f64>,
    /// Circumvents access controls or technical measures (unlawful under art. 18).
    #[serde(default)]
    pub bypasses_access_controls: bool,
    /// Date the impact on the target services was assessed (art. 18, before use).
    #[serde(default)]
    pub impact_assessed: Option<Date>,
    /// A purge job deletes or anonymises unnecessary or unconsented PI collected (art. 24).
    #[serde(default)]
    pub purges_unnecessary_pi: bool,
    /// PI types it may collect.
    #[serde(default)]
    pub pi_types: Vec<At<PiTypeId>>,
    /// Where the collected data goes (`datasets` ids).
    #[serde(default)]
    pub datasets: Vec<Id>,
}

/// A generative-AI training dataset (art. 19).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingDataset {
    /// Unique id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Model(s) trained on it.
    #[serde(default)]
    pub models: Vec<String>,
    /// Sources of the data.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Contains PI.
    #[serde(default)]
    pub contains_pi: bool,
    /// PI types it contains.
    #[serde(default)]
    pub pi_types: Vec<At<PiTypeId>>,
    /// Legal basis for the PI in it.
    #[serde(default)]
    pub legal_basis: Option<LegalBasis>,
    /// Licence or other lawful basis of the sources (GenAI Measures art. 7).
    #[serde(default)]
    pub licence: Option<String>,
    /// Data-quality checks (accuracy, diversity, labelling review).
    #[serde(default)]
    pub quality_checks: Vec<String>,
    /// Measures for data quality and security (labelling rules, filtering, de-identification).
    #[serde(default)]
    pub safeguards: Vec<String>,
    /// Datasets it was built from (`datasets` ids).
    #[serde(default)]
    pub datasets: Vec<Id>,
}

/// Kind of assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentKind {
    /// PI protection impact assessment (PIPL 55–56).
    Pipia,
    /// Risk assessment before providing or entrusting important data (art. 31).
    Art31RiskAssessment,
    /// Yearly important-data risk assessment and report (art. 33).
    Art33AnnualRiskAssessment,
    /// PI protection compliance audit (PIPL 54, Audit Measures).
    ComplianceAudit,
}

/// An assessment or audit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Unique id.
    pub id: Id,
    /// Kind.
    pub kind: AssessmentKind,
    /// Entities it covers (ids of activities, recipients, transfers, datasets…).
    #[serde(default)]
    pub covers: Vec<Id>,
    /// Date completed.
    pub completed: Date,
    /// Next due.
    #[serde(default)]
    pub next_due: Option<Date>,
    /// Date reported to the authority (art. 33).
    #[serde(default)]
    pub reported: Option<Date>,
    /// Who performed it (internal, or an external auditor).
    #[serde(default)]
    pub performed_by: Option<String>,
    /// Report reference.
    #[serde(default)]
    pub report_ref: Option<String>,
    /// The audit covers minors' PI (Minors Regulation art. 37: yearly).
    #[serde(default)]
    pub minors_pi: bool,
    /// Where the report is kept and for how long (PIPL 56: PIPIA ≥3 years).
    #[serde(default)]
    pub records: Option<Records>,
}

impl Field {
    /// The GB/T 35273 category: the one written, else the PI type's, else none.
    pub fn effective_category(&self) -> Option<xiezhi_model::PiCategory> {
        self.category
            .map(|c| c.0)
            .or_else(|| self.pi_type.as_ref().map(|t| t.value.0.category()))
    }
}
