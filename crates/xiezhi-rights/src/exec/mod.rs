//! Execution of rights requests against the platform's databases, planned from the data map.
//!
//! - [`plan()`] (pure) turns the data map into ordered [`Step`]s: datasets with a `subject_key`
//!   are roots, datasets referencing them (`references:`) are reached through the key chain;
//!   datasets outside SQL databases become [`ManualTask`]s.
//! - [`access`] collects every reachable row into an encrypted package ([`AccessPackage`]).
//! - [`erase`] deletes or anonymises in foreign-key order, keeps legal holds storage-only, and
//!   journals every step in the target database so a rerun after a crash does nothing twice.
//! - [`correct`] updates named fields and returns digests only.
//! - [`check_transfer_conditions`] and [`transfer_export`] implement Reg. art. 25.
//!
//! See `docs/rights-execution.md`.

mod package;
mod plan;
mod run;
mod sql;
mod transfer;

use std::fmt;

pub use package::{
    AccessPackage, KEY_LEN, MAGIC, Manifest, ManifestEntry, NONCE_LEN, PackageError,
    decrypt_package, read_tar,
};
pub use plan::{
    FieldPlan, HoldPlan, ManualTask, Node, Operation, Plan, PlanError, PlanOptions, PlannedRef,
    Step, StepAction, plan, strategy_name,
};
pub use run::{
    AccessData, AfterStepHook, CorrectReport, DatasetRows, EraseOptions, ExecReport, LegalHold,
    StepReport, access, collect, correct, erase, erase_with, purge_expired_holds,
};
pub use sql::{Dialect, JOURNAL_TABLE, Target, Targets, redact_dsn};
pub use transfer::{
    FailedCondition, FeeDecision, FeeRule, TRANSFER_SCHEMA, TransferCheck, TransferCondition,
    TransferExport, TransferInput, TransferRefused, canonical_bytes, check_transfer_conditions,
    fee_decision, transfer_export,
};

/// The subject's id as stored in the subject-key columns. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub enum Subject {
    /// An integer id (bound as BIGINT).
    Int(i64),
    /// A text id (bound as text).
    Text(String),
}

impl Subject {
    /// An integer when `s` is one, else text.
    pub fn parse(s: &str) -> Subject {
        match s.trim().parse::<i64>() {
            Ok(i) => Subject::Int(i),
            Err(_) => Subject::Text(s.to_owned()),
        }
    }
}

impl fmt::Debug for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Subject(..)")
    }
}

/// Why an execution failed. Messages name datasets, steps and connections, never values.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// A target could not be configured.
    #[error("target: {0}")]
    Target(String),
    /// A dataset's connection has no target.
    #[error(
        "no target database for connection `{0}`: pass `{0}=<dsn>` (没有为该连接配置目标数据库)"
    )]
    NoTarget(String),
    /// A database statement failed; the step's transaction was rolled back.
    #[error("step `{step}` failed and was rolled back (该步骤失败并已回滚): {source}")]
    Db {
        /// The step.
        step: String,
        /// The driver error.
        source: sqlx::Error,
    },
    /// The database refused a corrected value (wrong type or format, or a constraint); the
    /// driver's message is withheld because it quotes the value.
    #[error(
        "step `{step}`: the database rejected the new value(s) (SQLSTATE {sqlstate}) and the step was rolled back; check each value's type and format against the column (e.g. dates as YYYY-MM-DD HH:MM:SS) — the value is not shown (数据库拒绝了新值，该步骤已回滚；请核对值的类型与格式，出于保护不显示该值)"
    )]
    RejectedValue {
        /// The step.
        step: String,
        /// The SQLSTATE the database returned.
        sqlstate: String,
    },
    /// A legal hold's `from` column holds values that are not dates, so the end of the
    /// retention cannot be computed; nothing was purged.
    #[error(
        "step `{step}`: the legal hold of dataset `{dataset}` counts its retention from column `{column}`, but {rows} of the subject's rows hold a value there that is not a date (YYYY-MM-DD…); nothing was purged and the step was rolled back — point `hold.from` in the data map at a DATE, TIMESTAMP or ISO-date text column of the same table (留存期起算列存在非日期值，未清除任何数据；请将数据地图中的 hold.from 指向日期或时间列)"
    )]
    HoldColumnNotDate {
        /// The step.
        step: String,
        /// The held dataset.
        dataset: String,
        /// The `hold.from` column.
        column: String,
        /// How many of the subject's held rows have a non-date value there.
        rows: u64,
    },
    /// The plan is for another operation.
    #[error("the plan is for {0:?}, not for this operation")]
    WrongOperation(Operation),
    /// The access package could not be built.
    #[error("package: {0}")]
    Package(#[from] PackageError),
}
