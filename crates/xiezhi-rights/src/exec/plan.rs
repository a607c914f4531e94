//! The pure planner: from the data map to ordered steps with key paths and field strategies.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use xiezhi_map::Project;
use xiezhi_map::model::{Dataset, ErasureAction, FieldErasure};
use xiezhi_model::Lang;

use super::sql::{Dialect, Sql};

/// A rights operation the executors carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Access or copy (查阅、复制): collect every reachable row of the subject.
    Access,
    /// Delete or cancel the account (删除、注销账号).
    Erase,
    /// Correct or supplement (更正、补充) named fields of one dataset.
    Correct,
    /// Restrict processing (限制处理): listed as steps for the operators; not executed here.
    Restrict,
    /// Transfer to another processor (转移, art. 25).
    Transfer,
}

impl Operation {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Operation::Access, Lang::ZhCn) => "查阅/复制",
            (Operation::Access, Lang::En) => "access/copy",
            (Operation::Erase, Lang::ZhCn) => "删除/注销",
            (Operation::Erase, Lang::En) => "erasure",
            (Operation::Correct, Lang::ZhCn) => "更正/补充",
            (Operation::Correct, Lang::En) => "correction",
            (Operation::Restrict, Lang::ZhCn) => "限制处理",
            (Operation::Restrict, Lang::En) => "restriction",
            (Operation::Transfer, Lang::ZhCn) => "转移",
            (Operation::Transfer, Lang::En) => "transfer",
        }
    }
}

/// Why a plan could not be made. Messages name datasets and fields, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// No dataset has a `subject_key`, so no row can be tied to the subject.
    #[error(
        "no dataset has a `subject_key`: add `subject_key:` to the datasets that hold a subject id (没有数据集写了 subject_key)"
    )]
    NoRoot,
    /// A dataset's SQL location cannot be split into connection and table.
    #[error(
        "dataset `{0}`: cannot derive connection/table from `storage.location`; write `connection:` and `table:` (无法从 storage.location 得出连接和表名)"
    )]
    Location(String),
    /// An identifier would be unsafe to quote into SQL.
    #[error(
        "dataset `{dataset}`: `{what}` is not a valid SQL identifier (letters, digits, `_`, optional `schema.`) (不是有效的 SQL 标识符)"
    )]
    Identifier {
        /// The dataset.
        dataset: String,
        /// Which key (`table`, `primary_key`, a field name…).
        what: String,
    },
    /// The dataset named for a correction is not in the plan.
    #[error(
        "dataset `{0}` cannot be corrected: it is unknown, not SQL or not reachable from a subject key (无法更正该数据集)"
    )]
    NotCorrectable(String),
    /// A field named for a correction is not a field of the dataset, or is a key.
    #[error(
        "field `{field}` of dataset `{dataset}` cannot be corrected: not a mapped field, or a key column (该字段不可更正)"
    )]
    NotCorrectableField {
        /// The dataset.
        dataset: String,
        /// The field.
        field: String,
    },
}

/// A reference of a planned dataset to another one (a foreign key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRef {
    /// Column of this dataset.
    pub field: String,
    /// Referenced dataset id.
    pub dataset: String,
    /// Referenced column.
    pub to: String,
}

/// A field with its erasure strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPlan {
    /// Column name.
    pub name: String,
    /// What erasure does to it on a kept row.
    pub strategy: FieldErasure,
    /// The fixed value of `redact` (a placeholder, not personal information).
    pub redact_value: Option<String>,
    /// Holds other people's PI (excluded from transfers).
    pub third_party: bool,
    /// Holds PI (has a `pi_type`).
    pub pi: bool,
}

/// A legal hold of a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldPlan {
    /// The law and article.
    pub reason: String,
    /// Years kept.
    pub years: u32,
    /// Date column the period counts from.
    pub from: String,
}

/// One SQL dataset as the executors see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Dataset id.
    pub dataset: String,
    /// Logical connection name (a key of [`super::Targets`]).
    pub connection: String,
    /// Table, optionally `schema.table`.
    pub table: String,
    /// Primary key column.
    pub primary_key: String,
    /// Column holding the subject id, for root datasets.
    pub subject_key: Option<String>,
    /// References to other planned datasets on the same connection.
    pub parents: Vec<PlannedRef>,
    /// Erasure action.
    pub action: ErasureAction,
    /// Legal hold.
    pub hold: Option<HoldPlan>,
    /// Mapped fields.
    pub fields: Vec<FieldPlan>,
}

impl Node {
    /// Columns never changed by erasure: primary key, subject key, reference columns.
    pub fn is_key(&self, column: &str) -> bool {
        column == self.primary_key
            || self.subject_key.as_deref() == Some(column)
            || self.parents.iter().any(|r| r.field == column)
    }

    /// Fields changed on a kept row, with their strategies (keys and `keep` left out).
    pub fn kept_row_updates(&self) -> Vec<&FieldPlan> {
        self.fields
            .iter()
            .filter(|f| !self.is_key(&f.name) && f.strategy != FieldErasure::Keep)
            .collect()
    }

    /// How the subject's rows are found, for people: `orders.user_id = :subject` or
    /// `order_items.order_id → orders.id → …`.
    pub fn key_path(&self, plan: &Plan) -> String {
        let mut out = String::new();
        self.key_path_into(plan, &mut out, 0);
        out
    }

    fn key_path_into(&self, plan: &Plan, out: &mut String, depth: usize) {
        if let Some(k) = &self.subject_key {
            let _ = write!(out, "{}.{k} = :subject", self.table);
            return;
        }
        let parents: Vec<&PlannedRef> = self
            .parents
            .iter()
            .filter(|r| plan.reachable.contains(&r.dataset))
            .collect();
        for (i, r) in parents.iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            let _ = write!(out, "{}.{} → ", self.table, r.field);
            if let Some(p) = plan.nodes.get(&r.dataset)
                && depth < 16
            {
                p.key_path_into(plan, out, depth + 1);
            }
        }
    }
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    /// Read the subject's rows.
    Read,
    /// Delete rows no kept row references; anonymise the rest.
    Delete,
    /// Keep rows, apply field strategies.
    Anonymise,
    /// Keep rows unchanged, storage only (legal hold).
    Hold,
    /// Update named fields (correction).
    Update,
    /// Restrict processing (an operator task).
    Restrict,
}

impl StepAction {
    fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (StepAction::Read, Lang::ZhCn) => "读取",
            (StepAction::Read, Lang::En) => "read",
            (StepAction::Delete, Lang::ZhCn) => "删除（仍被保留行引用的行改为匿名化）",
            (StepAction::Delete, Lang::En) => {
                "delete (rows still referenced by kept rows: anonymise)"
            }
            (StepAction::Anonymise, Lang::ZhCn) => "匿名化",
            (StepAction::Anonymise, Lang::En) => "anonymise",
            (StepAction::Hold, Lang::ZhCn) => "法定留存，仅存储",
            (StepAction::Hold, Lang::En) => "legal hold, storage only",
            (StepAction::Update, Lang::ZhCn) => "更新字段",
            (StepAction::Update, Lang::En) => "update fields",
            (StepAction::Restrict, Lang::ZhCn) => "限制处理（仅存储和必要安全保护）",
            (StepAction::Restrict, Lang::En) => {
                "restrict (storage and necessary security protection only)"
            }
        }
    }
}

/// One step of a plan: one dataset, one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Stable step name used in the journal, e.g. `erase:orders`.
    pub name: String,
    /// Dataset id (a key of [`Plan::nodes`]).
    pub dataset: String,
    /// What the step does.
    pub action: StepAction,
}

/// A dataset that is not in a SQL database (hdfs://, s3://…): a task for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualTask {
    /// Dataset id.
    pub dataset: String,
    /// Display name.
    pub name: String,
    /// `storage.location`.
    pub location: String,
    /// The subject key, if the map names one.
    pub subject_key: Option<String>,
}

/// An ordered execution plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The operation.
    pub operation: Operation,
    /// SQL datasets by id.
    pub nodes: BTreeMap<String, Node>,
    /// Ids of the datasets reachable from a subject key.
    pub reachable: BTreeSet<String>,
    /// Steps in execution order (erasure: children before parents).
    pub steps: Vec<Step>,
    /// Datasets outside SQL databases, for people to handle.
    pub manual: Vec<ManualTask>,
    /// For corrections: the fields to update.
    pub correct_fields: Vec<String>,
}

/// Options of [`plan`].
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Correction: the dataset whose rows are updated.
    pub dataset: Option<String>,
    /// Correction: the fields updated.
    pub fields: Vec<String>,
}

const SQL_SCHEMES: &[&str] = &[
    "mysql",
    "mariadb",
    "postgres",
    "postgresql",
    "pg",
    "sqlite",
    "tidb",
    "oceanbase",
    "sql",
];

/// Splits `scheme://host/path/last` into (scheme, host, last segment).
fn split_location(loc: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = loc.split_once("://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    Some((scheme, host, last))
}

fn is_sql(d: &Dataset) -> bool {
    match split_location(&d.storage.location) {
        Some((scheme, _, _)) => SQL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()),
        None => d.connection.is_some() && d.table.is_some(),
    }
}

fn ident(dataset: &str, what: &str, s: &str) -> Result<(), PlanError> {
    if xiezhi_map::is_sql_identifier(s) {
        Ok(())
    } else {
        Err(PlanError::Identifier {
            dataset: dataset.to_owned(),
            what: what.to_owned(),
        })
    }
}

fn node_of(d: &Dataset) -> Result<Node, PlanError> {
    let id = d.id.value.clone();
    let parts = split_location(&d.storage.location);
    let connection = match (&d.connection, parts) {
        (Some(c), _) => c.value.clone(),
        (None, Some((_, host, _))) if !host.is_empty() => host.to_owned(),
        _ => return Err(PlanError::Location(id)),
    };
    let table = match (&d.table, parts) {
        (Some(t), _) => t.value.clone(),
        (None, Some((_, _, last))) if !last.is_empty() => last.to_owned(),
        _ => return Err(PlanError::Location(id)),
    };
    let primary_key = d
        .primary_key
        .as_ref()
        .map_or_else(|| "id".to_owned(), |k| k.value.clone());
    ident(&id, "table", &table)?;
    ident(&id, "primary_key", &primary_key)?;
    if let Some(k) = &d.subject_key {
        ident(&id, "subject_key", k)?;
    }
    let mut fields = Vec::new();
    for f in &d.fields {
        ident(&id, &format!("fields.{}", f.name.value), &f.name.value)?;
        let pi = f.pi_type.is_some();
        let strategy = match &f.erasure {
            Some(e) => match e.value {
                FieldErasure::Delete => FieldErasure::Null,
                other => other,
            },
            None if pi => FieldErasure::Null,
            None => FieldErasure::Keep,
        };
        fields.push(FieldPlan {
            name: f.name.value.clone(),
            strategy,
            redact_value: f.redact_value.clone(),
            third_party: f.third_party,
            pi,
        });
    }
    let mut parents = Vec::new();
    for r in &d.references {
        ident(&id, "references.field", &r.field.value)?;
        parents.push(PlannedRef {
            field: r.field.value.clone(),
            dataset: r.dataset.value.clone(),
            to: r.to.as_ref().map(|t| t.value.clone()).unwrap_or_default(),
        });
    }
    let (action, hold) = match &d.erasure {
        Some(e) => (
            e.action.value,
            e.hold.as_ref().map(|h| HoldPlan {
                reason: h.reason.clone(),
                years: h.years,
                from: h.from.value.clone(),
            }),
        ),
        None => (ErasureAction::Delete, None),
    };
    if let Some(h) = &hold {
        ident(&id, "hold.from", &h.from)?;
    }
    Ok(Node {
        dataset: id,
        connection,
        table,
        primary_key,
        subject_key: d.subject_key.clone(),
        parents,
        action,
        hold,
        fields,
    })
}

/// Plans `operation` for the project's data map. Pure: reads no database.
///
/// Datasets with a `subject_key` are roots; a dataset referencing a reachable dataset on the
/// same connection (directly or transitively) is reached through the reference chain. Datasets
/// outside SQL databases that hold the subject's data become [`ManualTask`]s.
pub fn plan(
    project: &Project,
    operation: Operation,
    opts: &PlanOptions,
) -> Result<Plan, PlanError> {
    let mut nodes = BTreeMap::new();
    let mut manual = Vec::new();
    for (_, d) in project.each(|m| &m.datasets) {
        if is_sql(d) {
            let mut n = node_of(d)?;
            n.parents.retain(|r| !r.dataset.is_empty());
            nodes.insert(n.dataset.clone(), n);
        } else if d.subject_key.is_some()
            || !d.references.is_empty()
            || d.fields.iter().any(|f| f.pi_type.is_some())
        {
            manual.push(ManualTask {
                dataset: d.id.value.clone(),
                name: d.name.clone(),
                location: d.storage.location.clone(),
                subject_key: d.subject_key.clone(),
            });
        }
    }
    // Fill the referenced columns' defaults and keep only same-connection references.
    let pks: BTreeMap<String, (String, String)> = nodes
        .iter()
        .map(|(k, n)| (k.clone(), (n.primary_key.clone(), n.connection.clone())))
        .collect();
    for n in nodes.values_mut() {
        let conn = n.connection.clone();
        n.parents
            .retain(|r| pks.get(&r.dataset).is_some_and(|(_, c)| *c == conn));
        for r in &mut n.parents {
            if r.to.is_empty()
                && let Some((pk, _)) = pks.get(&r.dataset)
            {
                r.to = pk.clone();
            }
        }
        for r in &n.parents {
            ident(&n.dataset, "references.to", &r.to)?;
        }
    }
    if !nodes.values().any(|n| n.subject_key.is_some())
        && !manual.iter().any(|m| m.subject_key.is_some())
    {
        return Err(PlanError::NoRoot);
    }
    // Reachability: fixpoint over references.
    let mut reachable: BTreeSet<String> = nodes
        .values()
        .filter(|n| n.subject_key.is_some())
        .map(|n| n.dataset.clone())
        .collect();
    loop {
        let before = reachable.len();
        for n in nodes.values() {
            if !reachable.contains(&n.dataset)
                && n.parents.iter().any(|r| reachable.contains(&r.dataset))
            {
                reachable.insert(n.dataset.clone());
            }
        }
        if reachable.len() == before {
            break;
        }
    }
    // Topological order, parents first (ties by id for a stable plan).
    let mut order: Vec<String> = Vec::new();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    while placed.len() < reachable.len() {
        let next = reachable.iter().find(|id| {
            !placed.contains(*id)
                && nodes.get(*id).is_some_and(|n| {
                    n.parents
                        .iter()
                        .filter(|r| reachable.contains(&r.dataset) && r.dataset != **id)
                        .all(|r| placed.contains(&r.dataset))
                })
        });
        match next {
            Some(id) => {
                placed.insert(id.clone());
                order.push(id.clone());
            }
            // A cycle (the loader rejects them): keep the remaining ones in id order.
            None => {
                for id in &reachable {
                    if placed.insert(id.clone()) {
                        order.push(id.clone());
                    }
                }
            }
        }
    }
    let mut correct_fields = Vec::new();
    let steps: Vec<Step> = match operation {
        Operation::Access | Operation::Transfer => order
            .iter()
            .map(|id| Step {
                name: format!("read:{id}"),
                dataset: id.clone(),
                action: StepAction::Read,
            })
            .collect(),
        Operation::Restrict => order
            .iter()
            .map(|id| Step {
                name: format!("restrict:{id}"),
                dataset: id.clone(),
                action: StepAction::Restrict,
            })
            .collect(),
        Operation::Erase => order
            .iter()
            .rev()
            .filter_map(|id| nodes.get(id))
            .map(|n| Step {
                name: format!("erase:{}", n.dataset),
                dataset: n.dataset.clone(),
                action: match n.action {
                    ErasureAction::Delete => StepAction::Delete,
                    ErasureAction::Anonymise => StepAction::Anonymise,
                    ErasureAction::Hold => StepAction::Hold,
                },
            })
            .collect(),
        Operation::Correct => {
            let ds = opts.dataset.clone().unwrap_or_default();
            let n = nodes
                .get(&ds)
                .filter(|_| reachable.contains(&ds))
                .ok_or_else(|| PlanError::NotCorrectable(ds.clone()))?;
            for f in &opts.fields {
                if n.is_key(f) || !n.fields.iter().any(|x| x.name == *f) {
                    return Err(PlanError::NotCorrectableField {
                        dataset: ds.clone(),
                        field: f.clone(),
                    });
                }
            }
            correct_fields = opts.fields.clone();
            vec![Step {
                name: format!("correct:{ds}"),
                dataset: ds,
                action: StepAction::Update,
            }]
        }
    };
    Ok(Plan {
        operation,
        nodes,
        reachable,
        steps,
        manual,
        correct_fields,
    })
}

impl Plan {
    /// The node of a step.
    pub fn node(&self, step: &Step) -> Option<&Node> {
        self.nodes.get(&step.dataset)
    }

    /// The SQL condition selecting the subject's rows of `dataset`, for `dialect`, with the
    /// subject bound as parameters. `alias` qualifies the outer table's columns when given.
    pub(crate) fn condition(
        &self,
        dataset: &str,
        dialect: Dialect,
        sql: &mut Sql,
        subject: &super::Subject,
        alias: Option<&str>,
        depth: usize,
    ) {
        let Some(n) = self.nodes.get(dataset) else {
            sql.push("1=0");
            return;
        };
        let col = |c: &str| match alias {
            Some(a) => format!("{a}.{}", dialect.quote(c)),
            None => dialect.quote(c),
        };
        if let Some(k) = &n.subject_key {
            sql.push(&format!("{} = ", col(k)));
            sql.bind_subject(subject);
            return;
        }
        let parents: Vec<&PlannedRef> = n
            .parents
            .iter()
            .filter(|r| self.reachable.contains(&r.dataset))
            .collect();
        if parents.is_empty() || depth > 16 {
            sql.push("1=0");
            return;
        }
        sql.push("(");
        for (i, r) in parents.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            let Some(p) = self.nodes.get(&r.dataset) else {
                sql.push("1=0");
                continue;
            };
            let a = format!("t{}", depth + 1);
            sql.push(&format!(
                "{} IN (SELECT {a}.{} FROM {} {a} WHERE ",
                col(&r.field),
                dialect.quote(&r.to),
                dialect.quote(&p.table)
            ));
            self.condition(&r.dataset, dialect, sql, subject, Some(&a), depth + 1);
            sql.push(")");
        }
        sql.push(")");
    }

    /// What `--dry-run` shows: operation, steps with connection, table, key path, action and
    /// field strategies, manual tasks. `estimates` (from [`Plan::estimate`]) adds row counts.
    pub fn render(&self, lang: Lang) -> String {
        self.render_with(lang, None)
    }

    /// [`Plan::render`] with estimated rows per step.
    pub fn render_with(&self, lang: Lang, estimates: Option<&BTreeMap<String, u64>>) -> String {
        let zh = lang == Lang::ZhCn;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {}（{} {}）",
            if zh { "执行计划：" } else { "Plan:" },
            self.operation.label(lang),
            self.steps.len(),
            if zh { "步" } else { "steps" }
        );
        for (i, s) in self.steps.iter().enumerate() {
            let Some(n) = self.node(s) else { continue };
            let _ = writeln!(
                out,
                "{:>3}. [{}] {}.{} — {}",
                i + 1,
                s.dataset,
                n.connection,
                n.table,
                s.action.label(lang)
            );
            let _ = writeln!(
                out,
                "     {} {}",
                if zh { "定位：" } else { "key path:" },
                n.key_path(self)
            );
            if let Some(e) = estimates.and_then(|e| e.get(&s.dataset)) {
                let _ = writeln!(
                    out,
                    "     {} {e}",
                    if zh {
                        "估计行数："
                    } else {
                        "estimated rows:"
                    }
                );
            }
            if let (StepAction::Hold, Some(h)) = (s.action, &n.hold) {
                let _ = writeln!(
                    out,
                    "     {} {}；{} {} {}（{} {}）",
                    if zh {
                        "留存理由："
                    } else {
                        "hold reason:"
                    },
                    h.reason,
                    if zh { "期限" } else { "period" },
                    h.years,
                    if zh { "年" } else { "years" },
                    if zh { "起算列" } else { "from column" },
                    h.from
                );
            }
            if matches!(s.action, StepAction::Delete | StepAction::Anonymise) {
                let ups = n.kept_row_updates();
                if !ups.is_empty() {
                    let list: Vec<String> = ups
                        .iter()
                        .map(|f| format!("{}={}", f.name, strategy_name(f.strategy)))
                        .collect();
                    let _ = writeln!(
                        out,
                        "     {} {}",
                        if zh {
                            "保留行的字段处理："
                        } else {
                            "kept-row fields:"
                        },
                        list.join(", ")
                    );
                }
            }
            if s.action == StepAction::Update {
                let _ = writeln!(
                    out,
                    "     {} {}",
                    if zh { "更新字段：" } else { "fields:" },
                    self.correct_fields.join(", ")
                );
            }
            if self.operation == Operation::Transfer {
                let tp: Vec<&str> = n
                    .fields
                    .iter()
                    .filter(|f| f.third_party)
                    .map(|f| f.name.as_str())
                    .collect();
                if !tp.is_empty() {
                    let _ = writeln!(
                        out,
                        "     {} {}",
                        if zh {
                            "排除（他人信息）："
                        } else {
                            "excluded (others' PI):"
                        },
                        tp.join(", ")
                    );
                }
            }
        }
        if !self.manual.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                if zh {
                    "人工任务（非 SQL 存储，须由运维人员处理并记录）："
                } else {
                    "Manual tasks (not SQL storage; operators must handle and record them):"
                }
            );
            for m in &self.manual {
                let _ = writeln!(
                    out,
                    "  - [{}] {} @ {}{}",
                    m.dataset,
                    m.name,
                    m.location,
                    m.subject_key
                        .as_ref()
                        .map(|k| format!(" ({} {k})", if zh { "主体键" } else { "subject key" }))
                        .unwrap_or_default()
                );
            }
        }
        out
    }
}

/// The YAML spelling of a field strategy.
pub fn strategy_name(s: FieldErasure) -> &'static str {
    match s {
        FieldErasure::Delete => "delete",
        FieldErasure::Null => "null",
        FieldErasure::Redact => "redact",
        FieldErasure::Random => "random",
        FieldErasure::Keep => "keep",
    }
}
