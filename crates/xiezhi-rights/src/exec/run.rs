//! The executors: access (collect), erase, correct, estimate.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row as _};
use xiezhi_map::model::FieldErasure;

use super::package::{AccessPackage, build_package};
use super::plan::{ManualTask, Node, Operation, Plan, StepAction};
use super::sql::{Bind, Dialect, JOURNAL_TABLE, Sql, Target, Targets, ensure_journal};
use super::{ExecError, Subject};

fn db(step: &str) -> impl FnOnce(sqlx::Error) -> ExecError + '_ {
    move |source| ExecError::Db {
        step: step.to_owned(),
        source,
    }
}

/// The rows of one dataset, all columns read as text (`None` = NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetRows {
    /// Dataset id.
    pub dataset: String,
    /// Table.
    pub table: String,
    /// Column names, in table order.
    pub columns: Vec<String>,
    /// Rows ordered by primary key.
    pub rows: Vec<Vec<Option<String>>>,
}

/// Everything collected for a subject.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessData {
    /// Per dataset, parents first.
    pub datasets: Vec<DatasetRows>,
    /// Datasets outside SQL databases (operators collect them).
    pub manual: Vec<ManualTask>,
}

async fn table_columns(
    conn: &mut AnyConnection,
    d: Dialect,
    table: &str,
    step: &str,
) -> Result<Vec<String>, ExecError> {
    let (schema, name) = match table.split_once('.') {
        Some((s, n)) => (Some(s), n),
        None => (None, table),
    };
    let mut sql = Sql::new(d);
    match d {
        Dialect::Postgres => {
            sql.push("SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = ");
            match schema {
                Some(s) => sql.bind(Bind::Text(s.to_owned())),
                None => sql.push("current_schema()"),
            };
        }
        Dialect::MySql => {
            sql.push("SELECT CAST(column_name AS CHAR) FROM information_schema.columns WHERE table_schema = ");
            match schema {
                Some(s) => sql.bind(Bind::Text(s.to_owned())),
                None => sql.push("DATABASE()"),
            };
        }
        Dialect::Sqlite => {
            sql.push("SELECT name FROM pragma_table_info(");
            sql.bind(Bind::Text(name.to_owned()));
            sql.push(") WHERE 1=1");
        }
    }
    if d != Dialect::Sqlite {
        sql.push(" AND table_name = ");
        sql.bind(Bind::Text(name.to_owned()));
        sql.push(" ORDER BY ordinal_position");
    } else {
        sql.push(" ORDER BY cid");
    }
    let rows = sql.query().fetch_all(&mut *conn).await.map_err(db(step))?;
    let mut cols = Vec::new();
    for r in rows {
        let c: String = r.try_get(0).map_err(db(step))?;
        if xiezhi_map::is_sql_identifier(&c) {
            cols.push(c);
        }
    }
    Ok(cols)
}

/// `SELECT <select> FROM <table> WHERE <the subject's rows>`, for the caller to continue.
fn subject_rows(plan: &Plan, node: &Node, d: Dialect, subject: &Subject, select: &str) -> Sql {
    let mut sql = Sql::new(d);
    sql.push(&format!(
        "SELECT {select} FROM {} WHERE ",
        d.quote(&node.table)
    ));
    plan.condition(&node.dataset, d, &mut sql, subject, None, 0);
    sql
}

async fn read_rows(
    conn: &mut AnyConnection,
    plan: &Plan,
    node: &Node,
    d: Dialect,
    subject: &Subject,
    step: &str,
) -> Result<DatasetRows, ExecError> {
    let columns = table_columns(conn, d, &node.table, step).await?;
    let list: Vec<String> = columns.iter().map(|c| d.as_text(&d.quote(c))).collect();
    let select = if list.is_empty() {
        "1".to_owned()
    } else {
        list.join(", ")
    };
    let mut sql = subject_rows(plan, node, d, subject, &select);
    sql.push(&format!(" ORDER BY {}", d.quote(&node.primary_key)));
    let rows = sql.query().fetch_all(&mut *conn).await.map_err(db(step))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut v = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            v.push(r.try_get::<Option<String>, _>(i).map_err(db(step))?);
        }
        out.push(v);
    }
    Ok(DatasetRows {
        dataset: node.dataset.clone(),
        table: node.table.clone(),
        columns,
        rows: out,
    })
}

/// Reads every reachable row of the subject (all columns, as text), parents first. Used by
/// [`access`] and [`super::transfer_export`].
pub async fn collect(
    plan: &Plan,
    targets: &Targets,
    subject: &Subject,
) -> Result<AccessData, ExecError> {
    let mut data = AccessData {
        manual: plan.manual.clone(),
        ..AccessData::default()
    };
    for step in &plan.steps {
        let Some(node) = plan.node(step) else {
            continue;
        };
        let t = targets.get(&node.connection)?;
        let mut conn = t.pool()?.acquire().await.map_err(db(&step.name))?;
        data.datasets
            .push(read_rows(&mut conn, plan, node, t.dialect, subject, &step.name).await?);
    }
    Ok(data)
}

/// Access / copy (查阅、复制): collects every reachable row of the subject and packages it as
/// JSON plus one CSV per dataset in a tar archive, encrypted with a fresh AES-256-GCM key
/// (format: `docs/rights-execution.md`). The caller stores the ciphertext and gives the key to
/// the individual; neither is logged here.
pub async fn access(
    plan: &Plan,
    targets: &Targets,
    subject: &Subject,
) -> Result<AccessPackage, ExecError> {
    if !matches!(plan.operation, Operation::Access | Operation::Transfer) {
        return Err(ExecError::WrongOperation(plan.operation));
    }
    let data = collect(plan, targets, subject).await?;
    Ok(build_package(&data)?)
}

impl Plan {
    /// Estimated rows per dataset (COUNT over the key paths, which use the indexes on the
    /// subject keys and foreign keys). Keys are dataset ids.
    pub async fn estimate(
        &self,
        targets: &Targets,
        subject: &Subject,
    ) -> Result<BTreeMap<String, u64>, ExecError> {
        let mut out = BTreeMap::new();
        for step in &self.steps {
            let Some(node) = self.node(step) else {
                continue;
            };
            let t = targets.get(&node.connection)?;
            let mut sql = Sql::new(t.dialect);
            sql.push(&format!(
                "SELECT COUNT(*) FROM {} WHERE ",
                t.dialect.quote(&node.table)
            ));
            self.condition(&node.dataset, t.dialect, &mut sql, subject, None, 0);
            let n: i64 = sql
                .query()
                .fetch_one(t.pool()?)
                .await
                .and_then(|r| r.try_get(0))
                .map_err(db(&step.name))?;
            out.insert(node.dataset.clone(), u64::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }
}

/// A legal hold found by an erasure: rows kept storage-only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LegalHold {
    /// Dataset id.
    pub dataset: String,
    /// Rows of the subject kept.
    pub rows: u64,
    /// The law and article.
    pub reason: String,
    /// Earliest end of the retention (`YYYY-MM-DD`), from the hold column plus the years.
    pub until_earliest: Option<String>,
    /// Latest end of the retention (`YYYY-MM-DD`).
    pub until_latest: Option<String>,
}

/// The outcome of one step.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StepReport {
    /// Step name (`erase:orders`).
    pub step: String,
    /// Dataset id.
    pub dataset: String,
    /// What the step did.
    pub action: StepAction,
    /// Rows affected (deleted + anonymised, or held, or updated).
    pub rows: u64,
    /// Rows deleted.
    pub deleted: u64,
    /// Rows kept and anonymised (field strategies applied).
    pub anonymised: u64,
    /// The journal showed the step done already: nothing was executed now.
    pub skipped_already_done: bool,
}

/// The outcome of an erasure or correction.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct ExecReport {
    /// The request id the journal is keyed by.
    pub request_id: String,
    /// Per step, in execution order.
    pub steps: Vec<StepReport>,
    /// Legal holds (outcome `storage_only(reason, until)`).
    pub holds: Vec<LegalHold>,
    /// Datasets outside SQL databases: operators must handle and record them.
    #[serde(skip)]
    pub manual: Vec<ManualTask>,
}

/// The test-only hook of [`EraseOptions`]: step number (1-based) and step name.
pub type AfterStepHook<'a> = &'a (dyn Fn(usize, &str) + Send + Sync);

/// Options of [`erase_with`].
#[derive(Default)]
pub struct EraseOptions<'a> {
    /// Called after step `k` (1-based) committed, with its name. Test hook: the kill test pauses
    /// here to SIGKILL the process between two steps. Not for production use.
    pub after_step: Option<AfterStepHook<'a>>,
}

impl std::fmt::Debug for EraseOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EraseOptions")
            .field("after_step", &self.after_step.is_some())
            .finish()
    }
}

/// `YYYY-MM-DD…` plus `years` (29 February becomes 28 February).
fn add_years(date: &str, years: u32) -> Option<String> {
    shift_years(date, i32::try_from(years).ok()?)
}

/// `date` (`YYYY-MM-DD…`) minus `years`.
fn sub_years(date: &str, years: u32) -> Option<String> {
    shift_years(date, -i32::try_from(years).ok()?)
}

/// `date` (`YYYY-MM-DD…`) moved by `years` as `YYYY-MM-DD` (29 February → 28 February in a
/// common year); `None` when it does not start with a date.
fn shift_years(date: &str, years: i32) -> Option<String> {
    let y: i32 = date.get(0..4)?.parse().ok()?;
    let m: u32 = date.get(5..7)?.parse().ok()?;
    let mut d: u32 = date.get(8..10)?.parse().ok()?;
    if date.get(4..5) != Some("-") || date.get(7..8) != Some("-") || !(1..=12).contains(&m) {
        return None;
    }
    let ny = y + years;
    let leap = (ny % 4 == 0 && ny % 100 != 0) || ny % 400 == 0;
    if m == 2 && d == 29 && !leap {
        d = 28;
    }
    Some(format!("{ny:04}-{m:02}-{d:02}"))
}

fn set_clause(node: &Node, d: Dialect, sql: &mut Sql) -> bool {
    let ups = node.kept_row_updates();
    if ups.is_empty() {
        return false;
    }
    sql.push(&format!("UPDATE {} SET ", d.quote(&node.table)));
    for (i, f) in ups.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(&format!("{} = ", d.quote(&f.name)));
        match f.strategy {
            FieldErasure::Redact => {
                sql.bind(Bind::Text(
                    f.redact_value
                        .clone()
                        .unwrap_or_else(|| "[已删除]".to_owned()),
                ));
            }
            FieldErasure::Random => {
                sql.push(d.random_surrogate());
            }
            _ => {
                sql.push("NULL");
            }
        }
    }
    sql.push(" WHERE ");
    true
}

async fn journal_done(
    conn: &mut AnyConnection,
    d: Dialect,
    request_id: &str,
    step: &str,
) -> Result<Option<(i64, Option<String>)>, ExecError> {
    let mut sql = Sql::new(d);
    sql.push(&format!(
        "SELECT rows_affected, detail FROM {JOURNAL_TABLE} WHERE request_id = "
    ));
    sql.bind(Bind::Text(request_id.to_owned()));
    sql.push(" AND step = ");
    sql.bind(Bind::Text(step.to_owned()));
    let row = sql
        .query()
        .fetch_optional(&mut *conn)
        .await
        .map_err(db(step))?;
    match row {
        Some(r) => Ok(Some((
            r.try_get(0).map_err(db(step))?,
            r.try_get(1).map_err(db(step))?,
        ))),
        None => Ok(None),
    }
}

async fn journal_insert(
    conn: &mut AnyConnection,
    d: Dialect,
    request_id: &str,
    step: &str,
    rows: u64,
    detail: &str,
) -> Result<(), ExecError> {
    let mut sql = Sql::new(d);
    sql.push(&format!(
        "INSERT INTO {JOURNAL_TABLE} (request_id, step, rows_affected, detail) VALUES ("
    ));
    sql.bind(Bind::Text(request_id.to_owned()));
    sql.push(", ");
    sql.bind(Bind::Text(step.to_owned()));
    sql.push(", ");
    sql.bind(Bind::Int(i64::try_from(rows).unwrap_or(i64::MAX)));
    sql.push(", ");
    sql.bind(Bind::Text(detail.to_owned()));
    sql.push(")");
    sql.query().execute(&mut *conn).await.map_err(db(step))?;
    Ok(())
}

/// Erasure (删除、注销账号) with default options. See [`erase_with`].
pub async fn erase(
    plan: &Plan,
    targets: &Targets,
    request_id: &str,
    subject: &Subject,
) -> Result<ExecReport, ExecError> {
    erase_with(plan, targets, request_id, subject, &EraseOptions::default()).await
}

/// Erasure: per dataset in foreign-key order (children first), each step in ONE transaction of
/// its target database that first checks the journal (`xiezhi_rights_journal`, created if
/// missing) and skips a step already done, then
/// - `delete`: deletes the subject's rows that no remaining row references, and applies the
///   field strategies to the rest (kept because a held or other row still references them);
/// - `anonymise`: applies the field strategies (null, redact, random, keep) to every row;
/// - `hold`: changes nothing (storage only) and reports the rows with reason and until-dates;
///
/// and inserts its journal row before commit. A rerun after a crash completes the remaining
/// steps; two concurrent runs cannot both commit a step (the journal's primary key).
pub async fn erase_with(
    plan: &Plan,
    targets: &Targets,
    request_id: &str,
    subject: &Subject,
    opts: &EraseOptions<'_>,
) -> Result<ExecReport, ExecError> {
    if plan.operation != Operation::Erase {
        return Err(ExecError::WrongOperation(plan.operation));
    }
    let mut report = ExecReport {
        request_id: request_id.to_owned(),
        manual: plan.manual.clone(),
        ..ExecReport::default()
    };
    let mut journaled: BTreeSet<String> = BTreeSet::new();
    for (k, step) in plan.steps.iter().enumerate() {
        let Some(node) = plan.node(step) else {
            continue;
        };
        let t = targets.get(&node.connection)?;
        if journaled.insert(node.connection.clone()) {
            ensure_journal(t).await?;
        }
        let (sr, hold) = erase_step(plan, t, node, step, request_id, subject, None).await?;
        if let Some(h) = hold {
            report.holds.push(h);
        }
        let skipped = sr.skipped_already_done;
        report.steps.push(sr);
        if !skipped && let Some(f) = opts.after_step {
            f(k + 1, &step.name);
        }
    }
    Ok(report)
}

async fn erase_step(
    plan: &Plan,
    t: &Target,
    node: &Node,
    step: &super::Step,
    request_id: &str,
    subject: &Subject,
    purge_today: Option<&str>,
) -> Result<(StepReport, Option<LegalHold>), ExecError> {
    let d = t.dialect;
    let name = step.name.as_str();
    let mut tx = t.pool()?.begin().await.map_err(db(name))?;
    let mut sr = StepReport {
        step: step.name.clone(),
        dataset: node.dataset.clone(),
        action: step.action,
        rows: 0,
        deleted: 0,
        anonymised: 0,
        skipped_already_done: false,
    };
    if let Some((rows, detail)) = journal_done(&mut tx, d, request_id, name).await? {
        tx.rollback().await.map_err(db(name))?;
        sr.skipped_already_done = true;
        sr.rows = u64::try_from(rows).unwrap_or(0);
        let hold = detail
            .as_deref()
            .and_then(|s| serde_json::from_str::<StepDetail>(s).ok())
            .and_then(|sd| {
                sr.deleted = sd.deleted;
                sr.anonymised = sd.anonymised;
                sd.hold
            });
        return Ok((sr, hold));
    }
    let mut hold = None;
    // Purge of expired holds: held rows whose retention ended before `today` are deleted like
    // a `delete` step (unless still referenced); `anonymise` steps were done at erasure.
    let action = match (step.action, purge_today) {
        (StepAction::Anonymise, Some(_)) => StepAction::Read,
        (a, _) => a,
    };
    if let (StepAction::Hold, Some(today)) = (step.action, purge_today)
        && let Some(h) = node.hold.as_ref()
    {
        let cutoff = sub_years(today, h.years).ok_or_else(|| {
            ExecError::Target(format!("purge date `{today}` is not a YYYY-MM-DD date"))
        })?;
        // The hold column must hold dates. Compared with a date, anything else is purged at
        // once (SQLite orders every number before any text) or never: refuse instead.
        let mut check = subject_rows(plan, node, d, subject, &d.as_text(&d.quote(&h.from)));
        check.push(&format!(" AND {} IS NOT NULL", d.quote(&h.from)));
        let rows = check.query().fetch_all(&mut *tx).await.map_err(db(name))?;
        let mut not_dates = 0u64;
        for r in rows {
            let v: Option<String> = r.try_get(0).map_err(db(name))?;
            if v.is_some_and(|v| shift_years(&v, 0).is_none()) {
                not_dates += 1;
            }
        }
        if not_dates > 0 {
            return Err(ExecError::HoldColumnNotDate {
                step: name.to_owned(),
                dataset: node.dataset.clone(),
                column: h.from.clone(),
                rows: not_dates,
            });
        }
        let mut sql = Sql::new(d);
        sql.push(&format!("DELETE FROM {} WHERE ", d.quote(&node.table)));
        plan.condition(&node.dataset, d, &mut sql, subject, None, 0);
        sql.push(&format!(" AND {} < ", d.quote(&h.from)));
        match d {
            Dialect::Postgres => {
                sql.push("CAST(");
                sql.bind(Bind::Text(cutoff));
                sql.push(" AS DATE)")
            }
            _ => sql.bind(Bind::Text(cutoff)),
        };
        push_not_referenced(plan, node, d, &mut sql);
        sr.deleted = sql
            .query()
            .execute(&mut *tx)
            .await
            .map_err(db(name))?
            .rows_affected();
    }
    match action {
        StepAction::Hold => {
            let h = node.hold.clone();
            let from = h
                .as_ref()
                .map_or_else(|| node.primary_key.clone(), |h| h.from.clone());
            let mut sql = Sql::new(d);
            sql.push(&format!(
                "SELECT COUNT(*), MIN({}), MAX({}) FROM {} WHERE ",
                d.as_text(&d.quote(&from)),
                d.as_text(&d.quote(&from)),
                d.quote(&node.table)
            ));
            plan.condition(&node.dataset, d, &mut sql, subject, None, 0);
            let r = sql.query().fetch_one(&mut *tx).await.map_err(db(name))?;
            let n: i64 = r.try_get(0).map_err(db(name))?;
            let lo: Option<String> = r.try_get(1).map_err(db(name))?;
            let hi: Option<String> = r.try_get(2).map_err(db(name))?;
            sr.rows = u64::try_from(n).unwrap_or(0);
            if sr.rows > 0 {
                let years = h.as_ref().map_or(0, |h| h.years);
                hold = Some(LegalHold {
                    dataset: node.dataset.clone(),
                    rows: sr.rows,
                    reason: h.map(|h| h.reason).unwrap_or_default(),
                    until_earliest: lo.and_then(|s| add_years(&s, years)),
                    until_latest: hi.and_then(|s| add_years(&s, years)),
                });
            }
            if purge_today.is_some() {
                // What is reported is what is still held; what was deleted is `deleted`.
                sr.rows = sr.deleted;
            }
        }
        StepAction::Delete | StepAction::Anonymise => {
            // MariaDB/MySQL do not use semi-joins in single-table DELETE/UPDATE with an IN
            // subquery (a full scan): select the keys first (indexed), then filter by them.
            let ids = if d == Dialect::MySql && node.subject_key.is_none() {
                let mut sql = subject_rows(
                    plan,
                    node,
                    d,
                    subject,
                    &d.as_text(&d.quote(&node.primary_key)),
                );
                sql.push(" FOR UPDATE");
                let rows = sql.query().fetch_all(&mut *tx).await.map_err(db(name))?;
                let mut v = Vec::with_capacity(rows.len());
                for r in rows {
                    v.push(r.try_get::<String, _>(0).map_err(db(name))?);
                }
                Some(v)
            } else {
                None
            };
            if step.action == StepAction::Delete {
                let mut sql = Sql::new(d);
                sql.push(&format!("DELETE FROM {} WHERE ", d.quote(&node.table)));
                push_filter(plan, node, d, &mut sql, subject, ids.as_deref());
                push_not_referenced(plan, node, d, &mut sql);
                sr.deleted = sql
                    .query()
                    .execute(&mut *tx)
                    .await
                    .map_err(db(name))?
                    .rows_affected();
            }
            let mut sql = Sql::new(d);
            if purge_today.is_none() && set_clause(node, d, &mut sql) {
                push_filter(plan, node, d, &mut sql, subject, ids.as_deref());
                sr.anonymised = sql
                    .query()
                    .execute(&mut *tx)
                    .await
                    .map_err(db(name))?
                    .rows_affected();
            }
            sr.rows = sr.deleted + sr.anonymised;
        }
        _ => {}
    }
    let detail = serde_json::to_string(&StepDetail {
        deleted: sr.deleted,
        anonymised: sr.anonymised,
        hold: hold.clone(),
    })
    .unwrap_or_default();
    journal_insert(&mut tx, d, request_id, name, sr.rows, &detail).await?;
    tx.commit().await.map_err(db(name))?;
    Ok((sr, hold))
}

/// `AND NOT EXISTS (…)` for every dataset on the same connection that references `node`: rows
/// still referenced (by held rows, say) are kept.
fn push_not_referenced(plan: &Plan, node: &Node, d: Dialect, sql: &mut Sql) {
    let mut i = 0;
    for child in plan.nodes.values() {
        if child.connection != node.connection {
            continue;
        }
        for r in child.parents.iter().filter(|r| r.dataset == node.dataset) {
            i += 1;
            sql.push(&format!(
                " AND NOT EXISTS (SELECT 1 FROM {} c{i} WHERE c{i}.{} = {}.{})",
                d.quote(&child.table),
                d.quote(&r.field),
                d.quote(&node.table),
                d.quote(&r.to)
            ));
        }
    }
}

/// Purge of expired legal holds (art. 24: storage only until the retention ends, then delete):
/// reruns an erasure plan for `subject` on `today` (`YYYY-MM-DD`). In foreign-key order, rows
/// of a held dataset whose retention ended before today — hold column + years < today, so a
/// row is kept through its last day — are deleted unless other kept rows still reference them,
/// and `delete` steps delete what is no longer referenced (the parents kept anonymised because
/// held rows pointed at them). Journaled under `REQUEST#purge-TODAY`, so a rerun the same day
/// does nothing and a later day purges what has expired since. The report's `holds` are what
/// is still held.
pub async fn purge_expired_holds(
    plan: &Plan,
    targets: &Targets,
    request_id: &str,
    subject: &Subject,
    today: &str,
) -> Result<ExecReport, ExecError> {
    if plan.operation != Operation::Erase {
        return Err(ExecError::WrongOperation(plan.operation));
    }
    if sub_years(today, 0).is_none() {
        return Err(ExecError::Target(format!(
            "purge date `{today}` is not a YYYY-MM-DD date"
        )));
    }
    let journal_id = format!("{request_id}#purge-{today}");
    let mut report = ExecReport {
        request_id: request_id.to_owned(),
        manual: plan.manual.clone(),
        ..ExecReport::default()
    };
    let mut journaled: BTreeSet<String> = BTreeSet::new();
    for step in &plan.steps {
        let Some(node) = plan.node(step) else {
            continue;
        };
        let t = targets.get(&node.connection)?;
        if journaled.insert(node.connection.clone()) {
            ensure_journal(t).await?;
        }
        let (sr, hold) = erase_step(plan, t, node, step, &journal_id, subject, Some(today)).await?;
        if let Some(h) = hold {
            report.holds.push(h);
        }
        report.steps.push(sr);
    }
    Ok(report)
}

/// The subject's rows of `node`: the key path, or the primary keys selected before.
fn push_filter(
    plan: &Plan,
    node: &Node,
    d: Dialect,
    sql: &mut Sql,
    subject: &Subject,
    ids: Option<&[String]>,
) {
    match ids {
        None => plan.condition(&node.dataset, d, sql, subject, None, 0),
        Some([]) => {
            sql.push("1=0");
        }
        Some(ids) => {
            sql.push(&format!("{} IN (", d.quote(&node.primary_key)));
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Text(id.clone()));
            }
            sql.push(")");
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StepDetail {
    deleted: u64,
    anonymised: u64,
    hold: Option<LegalHold>,
}

/// The outcome of a correction: digests only, never values.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CorrectReport {
    /// Request id.
    pub request_id: String,
    /// Dataset id.
    pub dataset: String,
    /// Fields updated.
    pub fields: Vec<String>,
    /// Rows updated.
    pub rows: u64,
    /// SHA-256 (hex) of the fields' values before, over the rows in primary-key order.
    pub old_digest: String,
    /// SHA-256 (hex) of the fields' values after.
    pub new_digest: String,
    /// The journal showed the correction done already: nothing was executed now (digests empty).
    pub skipped_already_done: bool,
}

fn digest_rows(rows: &[Vec<Option<String>>]) -> String {
    let mut h = Sha256::new();
    for r in rows {
        for v in r {
            match v {
                Some(s) => {
                    h.update([1u8]);
                    h.update((s.len() as u64).to_be_bytes());
                    h.update(s.as_bytes());
                }
                None => h.update([0u8]),
            }
        }
        h.update([0xffu8]);
    }
    hex::encode(h.finalize())
}

async fn read_fields(
    conn: &mut AnyConnection,
    plan: &Plan,
    node: &Node,
    d: Dialect,
    subject: &Subject,
    fields: &[String],
    step: &str,
) -> Result<Vec<Vec<Option<String>>>, ExecError> {
    let cols: Vec<String> = fields.iter().map(|f| d.as_text(&d.quote(f))).collect();
    let mut sql = subject_rows(plan, node, d, subject, &cols.join(", "));
    sql.push(&format!(" ORDER BY {}", d.quote(&node.primary_key)));
    let rows = sql.query().fetch_all(&mut *conn).await.map_err(db(step))?;
    let mut out = Vec::new();
    for r in rows {
        let mut v = Vec::new();
        for i in 0..fields.len() {
            v.push(r.try_get::<Option<String>, _>(i).map_err(db(step))?);
        }
        out.push(v);
    }
    Ok(out)
}

/// The declared types of a PostgreSQL table's columns that are not text (`format_type`, e.g.
/// `timestamp without time zone`, `bigint`), read from the catalog for the table as the
/// search path resolves it.
async fn column_types(
    conn: &mut AnyConnection,
    quoted_table: &str,
    step: &str,
) -> Result<BTreeMap<String, String>, ExecError> {
    let rows = sqlx::query(
        "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
         WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
    )
    .bind(quoted_table.to_owned())
    .fetch_all(&mut *conn)
    .await
    .map_err(db(step))?;
    let mut out = BTreeMap::new();
    for r in rows {
        let name: String = r.try_get(0).map_err(db(step))?;
        let ty: String = r.try_get(1).map_err(db(step))?;
        let textual = ty == "text"
            || ty.starts_with("character varying")
            || ty.starts_with("character(")
            || ty == "character";
        if !textual {
            out.insert(name, ty);
        }
    }
    Ok(out)
}

/// A failed correction: data exceptions (SQLSTATE class 22) and integrity violations (23)
/// quote the value in the driver's message, so only the SQLSTATE is kept.
fn rejected_value(step: &str, e: sqlx::Error) -> ExecError {
    let code = e
        .as_database_error()
        .and_then(|d| d.code().map(|c| c.into_owned()));
    match code {
        Some(c) if c.starts_with("22") || c.starts_with("23") || c.starts_with("HY") => {
            ExecError::RejectedValue {
                step: step.to_owned(),
                sqlstate: c,
            }
        }
        _ => ExecError::Db {
            step: step.to_owned(),
            source: e,
        },
    }
}

/// Correction / supplement (更正、补充): sets the plan's fields (see
/// [`super::PlanOptions::fields`]) of the subject's rows in the plan's dataset to `values`
/// (bound as text; `None` = NULL), in one journaled transaction. Returns digests of the old
/// and new values for the audit, never the values.
pub async fn correct(
    plan: &Plan,
    targets: &Targets,
    request_id: &str,
    subject: &Subject,
    values: &BTreeMap<String, Option<String>>,
) -> Result<CorrectReport, ExecError> {
    if plan.operation != Operation::Correct {
        return Err(ExecError::WrongOperation(plan.operation));
    }
    let Some(step) = plan.steps.first() else {
        return Err(ExecError::WrongOperation(plan.operation));
    };
    let Some(node) = plan.node(step) else {
        return Err(ExecError::WrongOperation(plan.operation));
    };
    let name = step.name.as_str();
    let t = targets.get(&node.connection)?;
    let d = t.dialect;
    ensure_journal(t).await?;
    let fields: Vec<String> = plan
        .correct_fields
        .iter()
        .filter(|f| values.contains_key(*f))
        .cloned()
        .collect();
    let mut rep = CorrectReport {
        request_id: request_id.to_owned(),
        dataset: node.dataset.clone(),
        fields: fields.clone(),
        rows: 0,
        old_digest: String::new(),
        new_digest: String::new(),
        skipped_already_done: false,
    };
    let mut tx = t.pool()?.begin().await.map_err(db(name))?;
    if let Some((rows, detail)) = journal_done(&mut tx, d, request_id, name).await? {
        tx.rollback().await.map_err(db(name))?;
        rep.skipped_already_done = true;
        rep.rows = u64::try_from(rows).unwrap_or(0);
        if let Some((o, n)) = detail.as_deref().and_then(|s| s.split_once(':')) {
            rep.old_digest = o.to_owned();
            rep.new_digest = n.to_owned();
        }
        return Ok(rep);
    }
    if fields.is_empty() {
        tx.rollback().await.map_err(db(name))?;
        return Ok(rep);
    }
    let before = read_fields(&mut tx, plan, node, d, subject, &fields, name).await?;
    // Values arrive as text; PostgreSQL does not convert text to other column types
    // implicitly, so each value is cast to its column's declared type.
    let types = match d {
        Dialect::Postgres => column_types(&mut tx, &d.quote(&node.table), name).await?,
        _ => BTreeMap::new(),
    };
    let mut sql = Sql::new(d);
    sql.push(&format!("UPDATE {} SET ", d.quote(&node.table)));
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(&format!("{} = ", d.quote(f)));
        match (values.get(f).cloned().flatten(), types.get(f)) {
            (Some(v), Some(ty)) => {
                sql.push("CAST(");
                sql.bind(Bind::Text(v));
                sql.push(&format!(" AS {ty})"))
            }
            (Some(v), None) => sql.bind(Bind::Text(v)),
            (None, _) => sql.push("NULL"),
        };
    }
    sql.push(" WHERE ");
    plan.condition(&node.dataset, d, &mut sql, subject, None, 0);
    rep.rows = sql
        .query()
        .execute(&mut *tx)
        .await
        .map_err(|e| rejected_value(name, e))?
        .rows_affected();
    let after = read_fields(&mut tx, plan, node, d, subject, &fields, name).await?;
    rep.old_digest = digest_rows(&before);
    rep.new_digest = digest_rows(&after);
    let detail = format!("{}:{}", rep.old_digest, rep.new_digest);
    journal_insert(&mut tx, d, request_id, name, rep.rows, &detail).await?;
    tx.commit().await.map_err(db(name))?;
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::add_years;

    #[test]
    fn years_are_added_to_dates() {
        assert_eq!(
            add_years("2024-02-29 10:00:00", 3).as_deref(),
            Some("2027-02-28")
        );
        assert_eq!(add_years("2025-06-01", 3).as_deref(), Some("2028-06-01"));
        assert_eq!(add_years("x", 3), None);
    }
}
