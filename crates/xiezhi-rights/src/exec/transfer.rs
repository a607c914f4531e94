//! Transfer to another processor (转移, Reg. art. 25): the four conditions, the export, the
//! fee rule and the canonical bytes to sign.

use std::collections::BTreeSet;
use std::fmt;

use xiezhi_map::Project;
use xiezhi_map::model::{LegalBasis, SubjectKind};

use super::package::rows_json;
use super::plan::{Operation, Plan};
use super::run::collect;
use super::sql::Targets;
use super::{ExecError, Subject};

/// The JSON Schema of the export (`docs/schemas/transfer-export.schema.json`).
pub const TRANSFER_SCHEMA: &str =
    include_str!("../../../../docs/schemas/transfer-export.schema.json");

/// One of the four conditions of art. 25.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferCondition {
    /// (1) The requester's real identity can be verified.
    IdentityVerified,
    /// (2) The PI was provided with consent or collected on the basis of a contract.
    ConsentOrContract,
    /// (3) The transfer is technically feasible.
    TechnicallyFeasible,
    /// (4) The transfer does not harm others' lawful rights.
    NoHarmToOthers,
}

impl TransferCondition {
    /// The condition's text in `zh` and `en`.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            TransferCondition::IdentityVerified => (
                "条件一：能够验证请求人的真实身份",
                "condition 1: the requester's real identity is verified",
            ),
            TransferCondition::ConsentOrContract => (
                "条件二：个人信息是基于同意提供或基于合同收集的",
                "condition 2: the PI was provided with consent or collected under a contract",
            ),
            TransferCondition::TechnicallyFeasible => (
                "条件三：转移在技术上可行",
                "condition 3: the transfer is technically feasible",
            ),
            TransferCondition::NoHarmToOthers => (
                "条件四：转移不损害他人合法权益",
                "condition 4: the transfer does not harm others' lawful rights",
            ),
        }
    }
}

/// A failed condition with what failed (dataset ids, field names; never values).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FailedCondition {
    /// The condition.
    pub condition: TransferCondition,
    /// Detail in Chinese.
    pub zh: String,
    /// Detail in English.
    pub en: String,
}

/// The transfer request is refused: the failed condition(s), in zh and en.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TransferRefused {
    /// Every failed condition.
    pub failed: Vec<FailedCondition>,
}

impl TransferRefused {
    /// The conditions that failed.
    pub fn conditions(&self) -> Vec<TransferCondition> {
        self.failed.iter().map(|f| f.condition).collect()
    }

    /// The refusal in Chinese.
    pub fn zh(&self) -> String {
        let parts: Vec<String> = self
            .failed
            .iter()
            .map(|f| format!("{}不满足：{}", f.condition.describe().0, f.zh))
            .collect();
        format!(
            "不予转移（《网络数据安全管理条例》第二十五条）：{}",
            parts.join("；")
        )
    }
}

impl fmt::Display for TransferRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .failed
            .iter()
            .map(|x| format!("{} is not met: {}", x.condition.describe().1, x.en))
            .collect();
        write!(f, "transfer refused (Reg. art. 25): {}", parts.join("; "))
    }
}

impl std::error::Error for TransferRefused {}

/// What the caller knows about the request.
#[derive(Debug, Clone, Default)]
pub struct TransferInput {
    /// The requester's real identity was verified (the identity crate's outcome).
    pub identity_verified: bool,
}

/// A passed check: what the export will leave out or flag.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct TransferCheck {
    /// Fields excluded as other people's PI, as `dataset.field`.
    pub excluded_fields: Vec<String>,
    /// Datasets flagged as holding other people's PI (whose fields are marked `third_party`).
    pub flagged_datasets: Vec<String>,
}

/// Evaluates the four conditions of art. 25 for the datasets of a transfer plan. Returns
/// every failed condition at once.
pub fn check_transfer_conditions(
    project: &Project,
    plan: &Plan,
    targets: &Targets,
    input: &TransferInput,
) -> Result<TransferCheck, TransferRefused> {
    let mut failed = Vec::new();
    if !input.identity_verified {
        failed.push(FailedCondition {
            condition: TransferCondition::IdentityVerified,
            zh: "请求人身份尚未验证".to_owned(),
            en: "the requester's identity has not been verified".to_owned(),
        });
    }
    // (2) Every dataset in scope is covered by an activity based on consent or contract.
    let covered: BTreeSet<&str> = project
        .each(|m| &m.activities)
        .filter(|(_, a)| matches!(a.legal_basis, LegalBasis::Consent | LegalBasis::Contract))
        .flat_map(|(_, a)| a.datasets.iter().map(|d| d.value.as_str()))
        .collect();
    let uncovered: Vec<&str> = plan
        .reachable
        .iter()
        .map(String::as_str)
        .filter(|d| !covered.contains(d))
        .collect();
    if !uncovered.is_empty() {
        let l = uncovered.join(", ");
        failed.push(FailedCondition {
            condition: TransferCondition::ConsentOrContract,
            zh: format!("数据集 {l} 不在任何以同意或合同为合法性基础的处理活动中"),
            en: format!(
                "datasets {l} are not used by any activity whose legal basis is consent or contract"
            ),
        });
    }
    // (3) SQL datasets with a target; no subject data outside SQL storage.
    let mut infeasible: Vec<String> = plan
        .manual
        .iter()
        .filter(|m| m.subject_key.is_some())
        .map(|m| {
            format!(
                "{} ({})",
                m.dataset,
                m.location.split("://").next().unwrap_or("")
            )
        })
        .collect();
    for id in &plan.reachable {
        if let Some(n) = plan.nodes.get(id)
            && !targets.contains(&n.connection)
        {
            infeasible.push(format!("{id} (connection `{}`)", n.connection));
        }
    }
    if !infeasible.is_empty() {
        let l = infeasible.join(", ");
        failed.push(FailedCondition {
            condition: TransferCondition::TechnicallyFeasible,
            zh: format!("无法以机器可读格式导出：{l}（非 SQL 存储或未配置连接）"),
            en: format!("cannot export in a machine-readable format: {l} (not SQL storage, or no connection configured)"),
        });
    }
    // (4) Others' PI: third_party fields are excluded; a dataset whose subjects include other
    // people must mark every PI field that is theirs.
    let mut check = TransferCheck::default();
    let mut harmful = Vec::new();
    for (_, d) in project.each(|m| &m.datasets) {
        if !plan.reachable.contains(&d.id.value) {
            continue;
        }
        let tp: Vec<&str> = d
            .fields
            .iter()
            .filter(|f| f.third_party)
            .map(|f| f.name.value.as_str())
            .collect();
        for f in &tp {
            check.excluded_fields.push(format!("{}.{f}", d.id.value));
        }
        let others = d.subjects.contains(&SubjectKind::Other);
        if others || !tp.is_empty() {
            check.flagged_datasets.push(d.id.value.clone());
        }
        if others && tp.is_empty() && d.fields.iter().any(|f| f.pi_type.is_some()) {
            harmful.push(d.id.value.clone());
        }
    }
    if !harmful.is_empty() {
        let l = harmful.join(", ");
        failed.push(FailedCondition {
            condition: TransferCondition::NoHarmToOthers,
            zh: format!("数据集 {l} 含有他人的个人信息，但没有字段标记为 third_party，无法分离"),
            en: format!("datasets {l} hold other people's PI but mark no field `third_party`, so it cannot be separated"),
        });
    }
    if failed.is_empty() {
        Ok(check)
    } else {
        Err(TransferRefused { failed })
    }
}

/// The machine-readable export of a transfer (schema: [`TRANSFER_SCHEMA`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TransferExport {
    /// The export document.
    pub document: serde_json::Value,
}

/// Collects the subject's data for the receiving processor, leaving out `third_party` fields.
/// Call [`check_transfer_conditions`] first.
pub async fn transfer_export(
    plan: &Plan,
    targets: &Targets,
    subject: &Subject,
    request_id: &str,
    recipient: &str,
    generated_at_unix: u64,
) -> Result<TransferExport, ExecError> {
    if plan.operation != Operation::Transfer {
        return Err(ExecError::WrongOperation(plan.operation));
    }
    let data = collect(plan, targets, subject).await?;
    let mut datasets = Vec::new();
    for d in &data.datasets {
        let excluded: Vec<&str> = plan
            .nodes
            .get(&d.dataset)
            .map(|n| {
                n.fields
                    .iter()
                    .filter(|f| f.third_party)
                    .map(|f| f.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let columns: Vec<&String> = d
            .columns
            .iter()
            .filter(|c| !excluded.contains(&c.as_str()))
            .collect();
        datasets.push(serde_json::json!({
            "id": d.dataset,
            "columns": columns,
            "excluded_columns": excluded,
            "rows": rows_json(d, &excluded),
        }));
    }
    Ok(TransferExport {
        document: serde_json::json!({
            "format": "xiezhi-transfer/1",
            "request_id": request_id,
            "recipient": recipient,
            "generated_at_unix": generated_at_unix,
            "datasets": datasets,
        }),
    })
}

fn canonical_into(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(x) = m.get(*k) {
                    canonical_into(x, out);
                }
            }
            out.push('}');
        }
        serde_json::Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_into(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The canonical bytes of an export to sign: JSON with object keys sorted by code point, no
/// insignificant whitespace, UTF-8 (strings escaped as serde_json does).
pub fn canonical_bytes(export: &TransferExport) -> Vec<u8> {
    let mut s = String::new();
    canonical_into(&export.document, &mut s);
    s.into_bytes()
}

/// The transfer fee rule (art. 25): `xiezhi.yaml` `rights.transfer_fee`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeRule {
    /// Transfer requests per person in 365 days that are a reasonable range.
    pub reasonable_per_year: u32,
    /// Cost of one transfer in CNY: the fee never exceeds it.
    pub cost_cny: u32,
}

/// Whether a fee may be charged for this transfer request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeeDecision {
    /// A fee is allowed.
    pub allowed: bool,
    /// The highest fee allowed, in CNY (0 when not allowed).
    pub max_fee_cny: u32,
    /// Why, in Chinese.
    pub zh: String,
    /// Why, in English.
    pub en: String,
}

/// Art. 25 fee rule: a fee only when the subject's transfer requests in the last 365 days
/// (this one included) exceed the reasonable range, and never above the cost. Without a rule,
/// no fee.
pub fn fee_decision(rule: Option<FeeRule>, requests_last_365_days: u32) -> FeeDecision {
    match rule {
        Some(r) if requests_last_365_days > r.reasonable_per_year => FeeDecision {
            allowed: true,
            max_fee_cny: r.cost_cny,
            zh: format!(
                "365 天内第 {requests_last_365_days} 次转移请求，超出合理范围（{} 次），可收取不超过成本（{} 元）的必要费用",
                r.reasonable_per_year, r.cost_cny
            ),
            en: format!(
                "transfer request {requests_last_365_days} in 365 days exceeds the reasonable range ({}): a necessary fee up to the cost (CNY {}) is allowed",
                r.reasonable_per_year, r.cost_cny
            ),
        },
        Some(r) => FeeDecision {
            allowed: false,
            max_fee_cny: 0,
            zh: format!(
                "365 天内第 {requests_last_365_days} 次转移请求，在合理范围（{} 次）内，不得收费",
                r.reasonable_per_year
            ),
            en: format!(
                "transfer request {requests_last_365_days} in 365 days is within the reasonable range ({}): no fee",
                r.reasonable_per_year
            ),
        },
        None => FeeDecision {
            allowed: false,
            max_fee_cny: 0,
            zh: "未配置收费规则，不得收费".to_owned(),
            en: "no fee rule configured: no fee".to_owned(),
        },
    }
}

impl From<xiezhi_map::model::TransferFee> for FeeRule {
    fn from(f: xiezhi_map::model::TransferFee) -> FeeRule {
        FeeRule {
            reasonable_per_year: f.reasonable_per_year,
            cost_cny: f.cost_cny,
        }
    }
}
