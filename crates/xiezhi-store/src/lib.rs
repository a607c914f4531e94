//! Persistence of Xiezhi's runtime state (issue 4; DESIGN.md 3.4, 3.5).
//!
//! A [`Store`] keeps, in SQLite (default) or PostgreSQL: the per-subject switches the platform's
//! users set (recommendations, pushes, tags with tombstones, consents with refusal memory,
//! guardians), API keys, webhooks and their deliveries, and the tamper-evident audit chain.
//! Every state change runs in one transaction that also appends its audit event, stores its PI
//! payload apart (committed by digest), writes a public change event to the outbox and, on
//! PostgreSQL, notifies listeners. Reads build [`xiezhi_decide::SubjectState`].
//!
//! See `docs/store.md` for the tables, what is PI and where, and the settings per dialect.

mod audit;
mod db;
mod incidents;
mod keys;
mod listen;
mod ops;
mod read;
mod reports;
mod retention;
mod rights;
mod rules_versions;
mod store;
mod webhooks;

pub use db::Dialect;
pub use incidents::{
    IncidentDoc, IncidentEvent, IncidentEventInput, IncidentEventKind, StoredIncident,
};
pub use keys::{ApiKey, CreatedKey, KeyScope};
pub use listen::{ChangeListener, ChangeNotice};
pub use ops::{ConsentInput, TagInput};
pub use read::{ConsentRecord, OutboxEvent};
pub use reports::{NewReport, ReportInput, ReportRecord};
pub use retention::{MIN_AUDIT_EVENTS_DAYS, MIN_NETWORK_LOGS_DAYS, Retention, RetentionError};
pub use rights::{
    NewRightsRequest, RightsExport, RightsFilter, RightsKind, RightsRequest, RightsStat,
    RightsStep, RightsTask, RightsTransition, StoredChallenge, china_date,
};
pub use rules_versions::{ConsentStat, Published, RulesVersion};
pub use store::{Change, Store};
pub use webhooks::{Delivery, Webhook};
/// The audit chain crate (event format, keys, verifier), re-exported.
pub use xiezhi_audit;
pub use xiezhi_audit::{
    BadEvent, Checkpoint, Lang, Problem, SigningKey, VerifyReport, VerifyingKey,
};

/// What went wrong in the store. Messages never contain a subject id or another PI value.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is neither `sqlite:` nor `postgres://`.
    #[error(
        "unsupported database URL: use sqlite://PATH, sqlite::memory: or postgres://USER@HOST/DB"
    )]
    UnsupportedUrl,
    /// Could not connect or open the database.
    #[error("cannot open the store database: {message}")]
    Open {
        /// Driver message.
        message: String,
    },
    /// A migration failed.
    #[error("store migration {version} ({description}) failed: {message}")]
    Migration {
        /// Migration version.
        version: i64,
        /// Its description.
        description: &'static str,
        /// Driver message.
        message: String,
    },
    /// An applied migration differs from the one embedded in this binary.
    #[error(
        "store migration {version} applied to this database differs from the one in this build (checksum mismatch): the database was migrated by a different Xiezhi version"
    )]
    MigrationChanged {
        /// Migration version.
        version: i64,
    },
    /// The database is newer than this build.
    #[error(
        "the store database has migration {version}, newer than this build knows: upgrade Xiezhi"
    )]
    DatabaseTooNew {
        /// Highest applied version.
        version: i64,
    },
    /// A query failed.
    #[error("store database error while {what}: {message}")]
    Database {
        /// What the store was doing.
        what: &'static str,
        /// Driver message.
        message: String,
    },
    /// The user deleted this tag: the platform may not register it again (art. 42).
    #[error(
        "tag '{tag}' was deleted by the user and may not be registered again (tombstone, Reg. art. 42)"
    )]
    TagTombstoned {
        /// Tag id.
        tag: String,
    },
    /// The tag was never registered for this subject.
    #[error("tag '{tag}' is not registered for this subject")]
    TagNotFound {
        /// Tag id.
        tag: String,
    },
    /// Withdrawal without a current grant.
    #[error("no granted consent for purpose '{purpose}' to withdraw")]
    ConsentNotGranted {
        /// Purpose id.
        purpose: String,
    },
    /// Guardian consent for a subject with no linked guardian.
    #[error(
        "guardian consent needs a linked guardian: link the guardian first (POST the guardian link), then record the consent"
    )]
    GuardianNotLinked,
    /// The guardian named in the consent is not the linked one.
    #[error("the guardian named in the consent is not the guardian linked to this subject")]
    GuardianMismatch,
    /// A value the caller passed is not acceptable.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The operation needs the other dialect.
    #[error("{0}")]
    Unsupported(&'static str),
    /// A retention setting below the legal minimum.
    #[error(transparent)]
    Retention(#[from] RetentionError),
    /// Writing an export failed.
    #[error("cannot write the audit export: {0}")]
    Io(#[from] std::io::Error),
    /// Writing an export record failed.
    #[error(transparent)]
    Export(#[from] xiezhi_audit::ExportError),
    /// No rights request with this id.
    #[error("no rights request '{id}'")]
    RightsNotFound {
        /// Request id.
        id: String,
    },
    /// The request is not in a state this step may start from.
    #[error("rights request '{id}' is '{state}'; it cannot move to '{to}' from there")]
    RightsState {
        /// Request id.
        id: String,
        /// Its current state.
        state: String,
        /// The state asked for.
        to: String,
    },
    /// No incident with this id.
    #[error("no incident '{id}'")]
    IncidentNotFound {
        /// Incident id.
        id: String,
    },
    /// An incident with this id exists already.
    #[error("incident '{id}' exists already; choose another id")]
    IncidentExists {
        /// Incident id.
        id: String,
    },
    /// The incident changed since it was read.
    #[error("incident '{id}' was changed by someone else meanwhile; reload it and try again")]
    IncidentConflict {
        /// Incident id.
        id: String,
    },
    /// A stored value is malformed.
    #[error("corrupt store data: {0}")]
    Corrupt(String),
}
