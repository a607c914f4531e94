//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use xiezhi_model::{Lang, PiType, SensitivityPack};

/// Xiezhi (獬豸): finds personal information (PI) in files and checks the data map against PIPL
/// and China's Network Data Security Management Regulation.
///
/// Exit status, like a linter: 0 = nothing to report (scan, check: nothing at or above
/// --fail-on; xborder: every required mechanism in place), 1 = findings (or a missed eval
/// floor, or a cross-border mechanism missing, expired or filed late), 2 = error (bad arguments,
/// a data map that does not load, unwritable output, ...).
#[derive(Debug, Parser)]
#[command(
    name = "xiezhi",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories for personal information.
    ///
    /// Walks every PATH (default: the current directory), reads logs, text, CSV/TSV, JSON,
    /// NDJSON and XLSX files in UTF-8, UTF-16, GBK/GB18030 or Big5, and reports each value
    /// found (masked) with its file, line, column and byte offsets, plus the table columns and
    /// JSON keys that hold one PI type.
    ///
    /// Walk rules: .gitignore, .ignore and .xiezhiignore files are honoured; hidden files are
    /// scanned (PI hides in dotfiles) but .git, .hg and .svn are not; symbolic links are not
    /// followed; files named explicitly are always scanned.
    ///
    /// Databases: `xiezhi scan postgres://USER@HOST/DB` (or mysql://, sqlite://PATH) lists
    /// schemas, tables and columns with their comments, samples up to --sample non-null values
    /// per column (TABLESAMPLE on large PostgreSQL tables, LIMIT-bounded reads elsewhere; no
    /// full-table scans) in a read-only transaction with --statement-timeout, and classifies each column
    /// from its values and its name or comment (English, Chinese, pinyin). Samples are never
    /// stored or printed raw (only masked examples); passwords in the URL are never printed.
    Scan(ScanArgs),
    /// List the PI types: id, Chinese and English names, GB/T 35273 category, and whether each
    /// pack treats it as sensitive PI.
    Types(TypesArgs),
    /// Measure precision and recall on a labelled corpus (scripts/gen_eval_corpus.py) and
    /// check them against the quality floors. Exits 1 when a floor is missed.
    Eval(EvalArgs),
    /// Create an example data-map project (xiezhi.yaml + datamap/) in DIR for a fictional
    /// platform, with comments; refuses to overwrite existing files.
    Init(InitArgs),
    /// Print the JSON Schema of xiezhi.yaml and datamap/*.yaml (for editor completion).
    Schema(SchemaArgs),
    /// Work with the data map (xiezhi.yaml + datamap/*.yaml).
    #[command(subcommand)]
    Map(MapCommand),
    /// Run the article-level rules on the data map and print findings with articles and
    /// penalty exposure (table, JSON, SARIF or Markdown); `--list-rules` lists the catalog.
    ///
    /// Exit status: 0 = no finding at or above --fail-on, 1 = findings at or above --fail-on,
    /// 2 = error (the data map does not load, bad arguments, unwritable output).
    Check(CheckArgs),
    /// Decide the cross-border mechanism (catalog 4.1, CAC Order 16) for the data map's
    /// transfers: exemptions first, then the security assessment, then standard contract or
    /// certification, printing the path taken through the table.
    ///
    /// The whole calendar year's ledger is decided by default (anti-splitting: the individuals of
    /// every transfer not covered by a scenario exemption are summed from 1 January before the
    /// thresholds are compared); --transfer ID shows one transfer against those sums. Clocks:
    /// assessment valid 3 years with the extension window opening 60 working days before
    /// expiry; standard-contract filing within 10 working days. Working days follow the PRC
    /// holiday calendar (2025-2026); a clock outside it is approximated with calendar days, and
    /// the output says so.
    ///
    /// Exit status: 0 = every required mechanism in place, 1 = a required mechanism is missing,
    /// weaker than required, expired or not filed in time, 2 = error.
    Xborder(XborderArgs),
    /// List the calendar of duties: what is due when (yearly important-data risk assessment
    /// report, art. 33; large platforms' yearly report, art. 44; compliance audits; PIPO filing
    /// within 30 working days of reaching 1,000,000 people; cross-border validity, extension
    /// window and filing clocks; PIPIA and assessment records kept at least 3 years), computed
    /// from the data map and the reports generated so far, with articles, confidence marks and
    /// the command that produces each document. Reference: docs/duties.md.
    ///
    /// Working days follow the PRC holiday calendar (2025-2026); a clock outside it is not
    /// guessed: the duty is "undetermined" and says what to add.
    ///
    /// Exit status: 0 = nothing at or above --fail-on (default: nothing overdue), 1 = a duty
    /// at or above --fail-on, 2 = error.
    Duties(DutiesArgs),
    /// Generate the personal-information processing rules (个人信息处理规则, Reg. art. 21) from
    /// the data map.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run the runtime service: consent records, personalised-recommendation and push
    /// switches, the user-tag registry and the decision API (`POST /v1/decisions`), with every
    /// change in a tamper-evident audit chain.
    ///
    /// Reads the policy (one purpose per processing activity) from the data map in DIR. State
    /// lives in an SQLite file under --data-dir by default, or in PostgreSQL with
    /// `--database postgres://…` (several nodes may share one database; their decision caches
    /// stay coherent through LISTEN/NOTIFY). Secrets are created on first start in --data-dir
    /// with mode 0600: `admin.key` (an admin API key), `user-token.secret` (the HMAC secret the
    /// platform signs user tokens with) and `audit-signing.key` (the ed25519 checkpoint key).
    /// Stops gracefully on Ctrl-C or SIGTERM. API reference: docs/api.md, /openapi.json.
    Serve(ServeArgs),
    /// Verify or export the audit chain of a service database.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Mint a user token (what the platform's backend does for a signed-in user) for tests and
    /// demos of the /v1/me endpoints.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Create, list and revoke API keys directly in a service database.
    #[command(subcommand)]
    Apikey(ApikeyCommand),
    /// Rights requests (Reg. arts. 23–25; PIPL 44–50) in a service database: file, list and
    /// filter, verify identity, approve, refuse with reasons, complete, due lists, statistics.
    ///
    /// Deadlines are PRC working days (holiday calendar 2025–2026) with the defaults 15 working
    /// days for delete and cancel_account and 30 days otherwise, overridden by `rights.sla` in
    /// xiezhi.yaml. Reference: docs/rights.md.
    #[command(subcommand)]
    Rights(RightsCommand),
    /// Cybersecurity incidents (Incident Reporting Measures 2025; Reg. arts. 10–11; PIPL 57):
    /// open with grading and every reporting clock, update and re-grade, the authority report
    /// (initial / supplementary / summary), notices to affected people, exemption, close.
    /// Reference: docs/incidents.md.
    #[command(subcommand)]
    Incident(crate::incident_cmd::IncidentCommand),

    /// Generate an assessment or annual report from the data map, `xiezhi check` findings and
    /// the service's statistics and audit chain: important-data-annual (art. 33),
    /// platform-pi-annual (art. 44), pipia (PIPL 55–56), art31, compliance-audit (PIPL 54),
    /// inspection-pack (art. 50), xborder, or all. What cannot be derived is asked in an
    /// answers file (--template prints one); every generation is recorded in the audit chain
    /// with its inputs' digests. Reference: docs/reports.md.
    Report(ReportArgs),
}

/// Output formats of `xiezhi report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Printable HTML with SVG charts (one self-contained file).
    Html,
    /// Markdown.
    Markdown,
    /// JSON (the document model, with sources and missing items).
    Json,
    /// PDF printed from the HTML by headless Chromium (fonts-noto-cjk for Chinese).
    Pdf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// important-data-annual, platform-pi-annual, pipia, art31, compliance-audit,
    /// inspection-pack, xborder, or `all` (every kind into --output DIR).
    #[arg(value_name = "KIND")]
    pub kind: String,

    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Answers to the questions the evidence cannot answer (YAML) [default: DIR/answers.yaml
    /// when it exists].
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Print an answers-file skeleton for KIND (every open question, with comments) and exit.
    #[arg(long)]
    pub template: bool,

    /// The year reported on [default: the year before --as-of's].
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,

    /// Judge dates, clocks and findings on this day (YYYY-MM-DD) [default: 31 December of
    /// --year].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// pipia: one activity id; art31: one recipient or transfer id [default: all].
    #[arg(long, value_name = "ID")]
    pub subject: Option<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,

    /// Write to FILE (to a directory with KIND `all`) [default: stdout; required for pdf and
    /// for all].
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Language of the document.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,

    /// Do not read the service database: requests, consent and audit figures are then listed
    /// as missing.
    #[arg(long)]
    pub no_evidence: bool,

    /// Do not record the generation in the audit chain.
    #[arg(long)]
    pub no_record: bool,

    /// Exit with status 1 when the document still lists missing items.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub store: StoreArgs,
}

/// Subcommands of `xiezhi rights`.
#[derive(Debug, Subcommand)]
pub enum RightsCommand {
    /// Record a request received by phone, letter or at a counter (channel `cli`).
    File(RightsFileArgs),
    /// List requests, newest first, filtered by state, kind, subject and due date.
    List(RightsListArgs),
    /// Show one request with its steps and follow-up tasks.
    Show(RightsIdArgs),
    /// Record that the requester's identity was verified.
    Verify(RightsVerifyArgs),
    /// Approve a verified request for execution (state in_progress).
    Approve(RightsIdArgs),
    /// Refuse an open request; reasons are required (PIPL 50), a child gets a written notice.
    Refuse(RightsRefuseArgs),
    /// Complete a request in progress, or complete it in part with reasons.
    Complete(RightsCompleteArgs),
    /// Overdue, due-soon and undated open requests. Exit status 1 when any is overdue.
    Due(RightsDueArgs),
    /// Requests by kind and outcome with lateness and mean days to close (for the art. 44 report).
    Stats(RightsStatsArgs),
    /// Show what a request of KIND would touch (dry run): datasets in order, key paths,
    /// per-field strategies, legal holds, manual datasets; with --subject and --db, the rows
    /// each step would touch (COUNT over the indexed key paths).
    Plan(RightsPlanArgs),
    /// Execute an approved request against the platform's databases, apply Xiezhi's own
    /// effects (restriction, consent withdrawal, tag purge, recipient tasks) and close it.
    /// Resumable: run it again after a failure or a kill and it finishes what is left, with no
    /// double effect.
    Execute(RightsExecuteArgs),
    /// Delete what a closed erasure kept under legal hold once the retention has ended
    /// (hold column + years before today; a row is kept through its last day), then the
    /// parents kept only for those rows. Recorded in the audit chain; safe to run daily.
    PurgeHolds(RightsPurgeArgs),
}

#[derive(Debug, Args)]
pub struct RightsPurgeArgs {
    /// Request id (rr_…) of a completed or partly completed delete / cancel_account request.
    pub id: String,
    #[command(flatten)]
    pub project: RightsProject,
    #[command(flatten)]
    pub targets: RightsTargetArgs,
    /// Judge the retention on this day (YYYY-MM-DD) [default: today, China time].
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

/// Target databases: `--db NAME=DSN` or the environment variable XIEZHI_DB_<NAME>.
#[derive(Debug, Args)]
pub struct RightsTargetArgs {
    /// A platform database by its connection name in the data map (`storage.location`'s host
    /// or `connection:`), e.g. `--db shop=postgres://app@db/shop`. Repeatable.
    #[arg(long = "db", value_name = "NAME=DSN")]
    pub db: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RightsPlanArgs {
    #[command(flatten)]
    pub project: RightsProject,
    /// access, copy, delete, cancel_account, correct, supplement, restrict, transfer.
    #[arg(long)]
    pub kind: String,
    /// Estimate rows for this subject (needs --db).
    #[arg(long)]
    pub subject: Option<String>,
    /// For correct/supplement: the dataset.
    #[arg(long)]
    pub dataset: Option<String>,
    #[command(flatten)]
    pub targets: RightsTargetArgs,
    /// Language of the plan: zh-CN (default) or en.
    #[arg(long, default_value = "zh-CN")]
    pub lang: String,
}

#[derive(Debug, Args)]
pub struct RightsExecuteArgs {
    /// Request id (rr_…), approved (in_progress).
    pub id: String,
    #[command(flatten)]
    pub project: RightsProject,
    #[command(flatten)]
    pub targets: RightsTargetArgs,
    /// For access/copy: write the package key (hex) to this new file (mode 0600) to hand to
    /// the person through the verified channel. Required for access/copy.
    #[arg(long, value_name = "FILE")]
    pub key_out: Option<PathBuf>,
    /// For correct/supplement: a JSON file `{"dataset": "users", "values": {"mobile": "…"}}`.
    #[arg(long, value_name = "FILE")]
    pub correct: Option<PathBuf>,
    /// For transfer: the receiving processor and its endpoint, `NAME=http://…`.
    #[arg(long, value_name = "NAME=URL")]
    pub to: Option<String>,
}

#[derive(Debug, Args)]
pub struct RightsProject {
    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RightsFileArgs {
    #[command(flatten)]
    pub project: RightsProject,
    /// The subject (the platform's user id).
    #[arg(long)]
    pub subject: String,
    /// access, copy, correct, supplement, delete, restrict, transfer, cancel_account,
    /// withdraw_consent, explain_rules, deceased_relative.
    #[arg(long)]
    pub kind: String,
    /// The person's own words.
    #[arg(long)]
    pub details: Option<String>,
    /// self, guardian, close_relative, agent.
    #[arg(long, default_value = "self")]
    pub requester: String,
}

#[derive(Debug, Args)]
pub struct RightsListArgs {
    #[command(flatten)]
    pub project: RightsProject,
    /// Only these states (comma list; `open` = received, identity_verified, in_progress).
    #[arg(long)]
    pub state: Option<String>,
    /// Only this kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this subject.
    #[arg(long)]
    pub subject: Option<String>,
    /// Only requests due on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub due_before: Option<String>,
    /// At most this many.
    #[arg(long, default_value_t = 200)]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct RightsIdArgs {
    /// Request id (rr_…).
    pub id: String,
    #[command(flatten)]
    pub project: RightsProject,
}

#[derive(Debug, Args)]
pub struct RightsVerifyArgs {
    /// Request id (rr_…).
    pub id: String,
    #[command(flatten)]
    pub project: RightsProject,
    /// staff, email_code, sms_code, network_identity.
    #[arg(long, default_value = "staff")]
    pub method: String,
    /// The minimal reference kept (e.g. the 网号); never an ID number.
    #[arg(long)]
    pub reference: Option<String>,
}

#[derive(Debug, Args)]
pub struct RightsRefuseArgs {
    /// Request id (rr_…).
    pub id: String,
    #[command(flatten)]
    pub project: RightsProject,
    /// Why (at least 4 characters).
    #[arg(long)]
    pub reasons: String,
}

#[derive(Debug, Args)]
pub struct RightsCompleteArgs {
    /// Request id (rr_…).
    pub id: String,
    #[command(flatten)]
    pub project: RightsProject,
    /// Completed only in part: what was not done and why.
    #[arg(long, value_name = "REASONS")]
    pub partly: Option<String>,
}

#[derive(Debug, Args)]
pub struct RightsDueArgs {
    #[command(flatten)]
    pub project: RightsProject,
    /// Compute as of this date (YYYY-MM-DD, China time) [default: today].
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct RightsStatsArgs {
    #[command(flatten)]
    pub project: RightsProject,
    /// First day (YYYY-MM-DD) [default: 1 January this year].
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Day after the last (YYYY-MM-DD) [default: 1 January next year].
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

/// Where the service keeps its state and secrets.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [default: sqlite://DATA_DIR/xiezhi.db].
    #[arg(long, value_name = "URL", env = "XIEZHI_DATABASE")]
    pub database: Option<String>,

    /// Directory for the SQLite file and the generated secrets [default: DIR/.xiezhi].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Project directory holding xiezhi.yaml and datamap/ (the purposes decisions know).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub store: StoreArgs,

    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,

    /// How long after a refusal the platform may not ask again (e.g. 48h, 7d, 30m).
    #[arg(long, value_name = "DURATION", default_value = "48h")]
    pub refusal_cool_down: String,

    /// Subjects held in the decision cache.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub cache_capacity: usize,

    /// Requests per second per client address on the user endpoints (/v1/me).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub user_rate: u32,

    /// Write a signed audit checkpoint this often when the chain grew (e.g. 5m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub checkpoint_every: String,

    /// File with the user-token HMAC secret [default: DATA_DIR/user-token.secret, created].
    #[arg(long, value_name = "FILE")]
    pub user_token_secret_file: Option<PathBuf>,

    /// ed25519 key signing audit checkpoints [default: DATA_DIR/audit-signing.key, created].
    #[arg(long, value_name = "FILE")]
    pub audit_key: Option<PathBuf>,

    /// Do not deliver webhooks from this node.
    #[arg(long)]
    pub no_webhooks: bool,

    /// Keep audit events this many days; at least 1095 (3 years: PIPL art. 56, Reg. art. 12).
    /// Default: the value stored earlier, else the minimum.
    #[arg(long, value_name = "DAYS")]
    pub audit_retention_days: Option<u32>,

    /// Keep network logs this many days; at least 183 (6 months: CSL art. 21). Default: the
    /// value stored earlier, else the minimum.
    #[arg(long, value_name = "DAYS")]
    pub log_retention_days: Option<u32>,

    /// Identity verification of rights requests by e-mail code: the SMTP relay (HOST:PORT).
    #[arg(long, value_name = "HOST:PORT", help_heading = "Identity verification")]
    pub smtp: Option<String>,

    /// Sender address of the verification e-mails.
    #[arg(long, value_name = "ADDRESS", help_heading = "Identity verification")]
    pub smtp_from: Option<String>,

    /// TLS to the relay: `auto` (implicit on port 465, none on a loopback host, STARTTLS
    /// otherwise), `starttls`, `implicit` or `none` (trusted networks only).
    #[arg(
        long,
        value_name = "MODE",
        default_value = "auto",
        help_heading = "Identity verification"
    )]
    pub smtp_tls: String,

    /// SMTP user (AUTH PLAIN); the password comes from XIEZHI_SMTP_PASSWORD.
    #[arg(long, value_name = "USER", help_heading = "Identity verification")]
    pub smtp_user: Option<String>,

    /// SMS codes: the HTTP gateway URL (requests signed with the secret in --sms-secret-file).
    #[arg(long, value_name = "URL", help_heading = "Identity verification")]
    pub sms_gateway: Option<String>,

    /// File holding the SMS gateway signing secret (at least 16 bytes).
    #[arg(long, value_name = "FILE", help_heading = "Identity verification")]
    pub sms_secret_file: Option<PathBuf>,

    /// The network identity authentication service (网号/网证), http://HOST:PORT.
    #[arg(long, value_name = "URL", help_heading = "Identity verification")]
    pub netid_url: Option<String>,

    /// This platform's app id at the network identity service.
    #[arg(long, value_name = "ID", help_heading = "Identity verification")]
    pub netid_app_id: Option<String>,

    /// File holding the app secret for the network identity service.
    #[arg(long, value_name = "FILE", help_heading = "Identity verification")]
    pub netid_secret_file: Option<PathBuf>,
}

/// Subcommands of `xiezhi audit`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the chain and check the signed checkpoints; name the first bad event.
    /// Exit status: 0 = intact, 1 = tampering found, 2 = error.
    Verify(AuditVerifyArgs),
    /// Write the chain (events without PI, checkpoints, public keys) as NDJSON for an auditor;
    /// `xiezhi audit verify --export FILE` checks it offline.
    Export(AuditExportArgs),
    /// Write a signed checkpoint now.
    Checkpoint(AuditCheckpointArgs),
}

#[derive(Debug, Args)]
pub struct AuditVerifyArgs {
    /// Project directory (for the default data dir).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub store: StoreArgs,

    /// Verify an export file instead of a database.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,

    /// Trust only this checkpoint public key (hex); default: the keys recorded with the chain.
    #[arg(long, value_name = "HEX")]
    pub public_key: Vec<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,

    /// Language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct AuditExportArgs {
    /// Project directory (for the default data dir).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub store: StoreArgs,

    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditCheckpointArgs {
    /// Project directory (for the default data dir).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub store: StoreArgs,

    /// ed25519 key [default: DATA_DIR/audit-signing.key].
    #[arg(long, value_name = "FILE")]
    pub audit_key: Option<PathBuf>,
}

/// Text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlainFormat {
    /// Human-readable.
    Text,
    /// JSON.
    Json,
}

/// Subcommands of `xiezhi token`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a user token for SUBJECT signed with the user-token secret.
    Issue(TokenIssueArgs),
}

#[derive(Debug, Args)]
pub struct TokenIssueArgs {
    /// The user id.
    #[arg(value_name = "SUBJECT")]
    pub subject: String,

    /// Project directory (for the default secret file).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Secret file [default: DIR/.xiezhi/user-token.secret].
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,

    /// Lifetime (e.g. 15m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub ttl: String,
}

/// Subcommands of `xiezhi apikey`.
#[derive(Debug, Subcommand)]
pub enum ApikeyCommand {
    /// Create a key and print it (once).
    Create(ApikeyCreateArgs),
    /// List keys (never their secrets).
    List(ApikeyListArgs),
    /// Revoke a key by id.
    Revoke(ApikeyRevokeArgs),
}

#[derive(Debug, Args)]
pub struct ApikeyCreateArgs {
    /// Project directory (for the default data dir).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
    /// What the key is for.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Scopes: platform (decisions, tags, consents, events), admin (keys, webhooks, audit).
    #[arg(long = "scope", value_enum, required = true)]
    pub scopes: Vec<ScopeArg>,
}

#[derive(Debug, Args)]
pub struct ApikeyListArgs {
    /// Project directory (for the default data dir).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct ApikeyRevokeArgs {
    /// Key id (the part after `xzk_`).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Project directory (for the default data dir).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// An API-key scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// Decisions, tag registration, consent records, events.
    Platform,
    /// Keys, webhooks, audit.
    Admin,
}

/// Subcommands of `xiezhi rules`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Render the processing rules from xiezhi.yaml and datamap/: controller and contact;
    /// purposes, methods and PI types of every current activity with its legal basis;
    /// necessity and impact of each sensitive-PI use; retention and expiry handling (or how
    /// the period is determined); the collected-PI list (purpose, method, PI types, storage
    /// location); the third-party sharing list, SDKs included (recipient name and contact,
    /// relationship, purpose, method, PI types); cross-border transfers; the channels for
    /// access, copy, transfer, correction, supplement, deletion, restriction, account
    /// cancellation and consent withdrawal; and, when PI of children under 14 is processed, the
    /// children's section with the designated responsible person.
    ///
    /// Every fact the rules need but the data map lacks is listed with its file:line:column
    /// (or field path) and what to fill in; then the exit status is 2 and nothing is written.
    /// Field reference: docs/processing-rules.md.
    ///
    /// Exit status: 0 = written, 2 = missing facts or another error.
    Render(RulesRenderArgs),
    /// Compare two versions of the processing rules and classify the change: a new purpose,
    /// method, PI type, retention or recipient of a consent-based activity needs fresh consent
    /// (Reg. art. 22(6)); anything else needs a notice. OLD and NEW are project directories or
    /// files written by `xiezhi rules render -f json`.
    ///
    /// Exit status: 0 = no change or a notice only, 1 = fresh consent needed, 2 = error.
    Diff(RulesDiffArgs),
    /// Publish the rules of DIR to the service database as an immutable version identified by
    /// its SHA-256 (the same rules again keep their version); `/privacy/rules` serves the latest.
    /// Prints the change against the previous version and marks consents given to a changed
    /// scope stale (fresh consent needed, art. 22(6)).
    Publish(RulesPublishArgs),
}

#[derive(Debug, Args)]
pub struct RulesPublishArgs {
    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Args)]
pub struct RulesDiffArgs {
    /// The earlier version (project directory or rules JSON).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later version (project directory or rules JSON).
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
    /// Language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct RulesRenderArgs {
    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Language of the rules: Simplified Chinese (default) or English.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,

    /// Output format: `html` (one self-contained, accessible, printable page), `markdown`, or
    /// `json` (the document structure).
    #[arg(short, long, value_enum, default_value_t = RulesFormat::Html)]
    pub format: RulesFormat,

    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Render the dedicated rules for children under 14 (Reg. art. 21 para 3) instead; an
    /// error when the data map processes no PI of children under 14.
    #[arg(long)]
    pub children: bool,
}

/// Output formats of `xiezhi rules render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// HTML page.
    Html,
    /// Markdown.
    #[value(alias = "md")]
    Markdown,
    /// JSON.
    Json,
}

/// Subcommands of `xiezhi map`.
#[derive(Debug, Subcommand)]
pub enum MapCommand {
    /// Load the data map and report every error with file:line:column and a hint.
    /// Exit status: 0 = valid, 2 = errors.
    #[command(visible_alias = "validate")]
    Check(MapCheckArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Project directory (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write the schema to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Evaluate the rules in force on this date (YYYY-MM-DD); default today (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// Output format: `table` for people, `json` (array of findings), `sarif` (SARIF 2.1.0 for
    /// GitHub code scanning; locations are relative to DIR) or `markdown` (report grouped by
    /// article with penalty exposure). With --list-rules: table, json or markdown.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,

    /// Exit with status 1 when there is a finding of this severity or higher: `high`,
    /// `medium` (any finding), or `never`.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = CheckFailOn::Medium)]
    pub fail_on: CheckFailOn,

    /// List the rule catalog (id, SR item, articles, dates in force, severity, penalty group
    /// and ranges, titles) instead of checking. `--format markdown` prints docs/rules.md.
    #[arg(long)]
    pub list_rules: bool,

    /// Write the output to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct XborderArgs {
    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Decide this transfer (its `id` in datamap/*.yaml) against the year's sums.
    #[arg(long, value_name = "ID", conflicts_with = "ledger")]
    pub transfer: Option<String>,

    /// Decide the whole year's ledger (the default).
    #[arg(long)]
    pub ledger: bool,

    /// Calendar year whose `subjects_by_year` counts are used [default: the year of --as-of].
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1970..=9999))]
    pub year: Option<i32>,

    /// Judge validity and filing clocks on this date (YYYY-MM-DD); default today (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = XborderFormat::Table)]
    pub format: XborderFormat,

    /// Write the output to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

#[derive(Debug, Args)]
pub struct DutiesArgs {
    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Compute the statuses on this date (YYYY-MM-DD); default today (UTC).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,

    /// A duty due within this many days (the due day included) is "due soon".
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub within: u32,

    /// Output format: `table` for people, `json` (the calendar with every duty), `ics`
    /// (iCalendar, RFC 5545, for calendar apps; dated duties only, with reminders).
    #[arg(short, long, value_enum, default_value_t = DutiesFormat::Table)]
    pub format: DutiesFormat,

    /// Reports generated so far: a JSON array of {"kind", "period_year", "generated_on"}
    /// (kinds as `xiezhi report` names them, e.g. important-data-annual, pipia) [default: the
    /// register of the service database, where `xiezhi report` records every complete report].
    #[arg(long, value_name = "FILE")]
    pub past_reports: Option<PathBuf>,

    #[command(flatten)]
    pub store: StoreArgs,

    /// Exit with status 1 when a duty is `overdue` (default), `due-soon` (or overdue), or
    /// `never`.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = DutiesFailOn::Overdue)]
    pub fail_on: DutiesFailOn,

    /// Write the output to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

/// Output formats of `xiezhi duties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DutiesFormat {
    /// Table for people, with notes on the duties that need attention.
    Table,
    /// JSON: as-of date, horizon, calendar years covered, duties.
    Json,
    /// iCalendar (RFC 5545).
    Ics,
}

/// `--fail-on` of `xiezhi duties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DutiesFailOn {
    /// A duty is overdue.
    Overdue,
    /// A duty is overdue or due soon.
    DueSoon,
    /// Never (always exit 0 unless there is an error).
    Never,
}

/// Output formats of `xiezhi xborder`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum XborderFormat {
    /// Text for people: the year's sums, then each decision with its path and clocks.
    Table,
    /// JSON: calendar used, ledgers with every decision, locations, transfers needing action.
    Json,
    /// Markdown report.
    Markdown,
}

/// Output formats of `xiezhi check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Text for people.
    Table,
    /// JSON.
    Json,
    /// SARIF 2.1.0 (findings only).
    Sarif,
    /// Markdown.
    Markdown,
}

/// When `xiezhi check` exits with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFailOn {
    /// Only findings of severity high.
    High,
    /// Findings of severity medium or high (every finding).
    Medium,
    /// Never: exit 0 whatever is found.
    Never,
}

#[derive(Debug, Args)]
pub struct MapCheckArgs {
    /// Project directory holding xiezhi.yaml and datamap/.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Output format: text for people, or a JSON array of errors.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// Language of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

/// Output formats of `xiezhi scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// Summary tables for people: types, counts, masked examples, top files, warnings.
    Table,
    /// One JSON document: findings, warnings, summary.
    Json,
    /// One JSON object per line (findings, warnings, then the summary).
    Ndjson,
    /// One CSV row per finding, for spreadsheets (warnings go to stderr).
    Csv,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
}

/// Language of tables and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Simplified Chinese.
    #[value(name = "zh-CN", alias = "zh")]
    ZhCn,
    /// English.
    #[value(name = "en")]
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::ZhCn => Lang::ZhCn,
            LangArg::En => Lang::En,
        }
    }
}

/// Sensitive-PI packs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PackArg {
    /// GB/T 35273-2020 Annex B: identity document numbers are sensitive.
    #[value(name = "gbt35273-2020")]
    Gbt35273,
    /// GB/T 45574-2025 Annex A: a document number by itself is not.
    #[value(name = "gbt45574-2025")]
    Gbt45574,
}

impl From<PackArg> for SensitivityPack {
    fn from(p: PackArg) -> SensitivityPack {
        match p {
            PackArg::Gbt35273 => SensitivityPack::Gbt35273_2020,
            PackArg::Gbt45574 => SensitivityPack::Gbt45574_2025,
        }
    }
}

/// When `xiezhi scan` exits with status 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FailOn {
    /// Any PI finding (organisation codes do not count).
    Any,
    /// Any sensitive-PI finding under the selected pack.
    Sensitive,
    /// Any PI finding with at least this confidence.
    Confidence(f32),
    /// Never: exit 0 whatever is found.
    Never,
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    match s.to_ascii_lowercase().as_str() {
        "any" => Ok(FailOn::Any),
        "sensitive" => Ok(FailOn::Sensitive),
        "never" | "none" => Ok(FailOn::Never),
        other => match other.parse::<f32>() {
            Ok(c) if (0.0..=1.0).contains(&c) => Ok(FailOn::Confidence(c)),
            _ => Err("use any, sensitive, never, or a confidence between 0 and 1".to_owned()),
        },
    }
}

fn parse_confidence(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(c) if (0.0..=1.0).contains(&c) => Ok(c),
        _ => Err("use a number between 0 and 1, such as 0.5".to_owned()),
    }
}

fn parse_type(s: &str) -> Result<PiType, String> {
    s.trim().parse::<PiType>().map_err(|e| e.to_string())
}

/// `10M`, `1.5G`, `512k`, `4096` (K/M/G/T are powers of 1024; a trailing `B`/`iB` is allowed).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let lower = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (number, unit) = match lower.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (lower.get(..i).unwrap_or(""), lower.get(i..).unwrap_or("")),
        None => (lower, ""),
    };
    let factor: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        _ => return Err(format!("unknown size unit in `{s}`; use K, M, G or T")),
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size; write it like 10M, 1.5G or 4096"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "`{s}` is not a size; write it like 10M, 1.5G or 4096"
        ));
    }
    Ok((value * factor as f64) as u64)
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan [default: .], or one database URL: postgres://USER@HOST/DB,
    /// mysql://USER@HOST/DB (MariaDB too) or sqlite://PATH.
    #[arg(value_name = "PATH|URL")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ScanFormat::Table)]
    pub format: ScanFormat,

    /// Write the output to FILE instead of stdout (the file itself is not scanned).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Sensitive-PI rule pack that decides the `sensitive` flag.
    #[arg(long, value_enum, default_value_t = PackArg::Gbt35273)]
    pub pack: PackArg,

    /// Print raw values in the output (findings get a `value` field; the table shows raw
    /// examples). Off by default: only masked values are printed.
    #[arg(long)]
    pub show_values: bool,

    /// Exit with status 1 when there is a finding at or above this level: `any` PI finding,
    /// `sensitive` PI only, a minimum confidence such as `0.9`, or `never`.
    #[arg(long, value_name = "LEVEL", default_value = "any", value_parser = parse_fail_on)]
    pub fail_on: FailOn,

    /// Drop findings below this confidence (0 to 1).
    #[arg(long, value_name = "X", default_value = "0.5", value_parser = parse_confidence)]
    pub min_confidence: f32,

    /// Report only these PI types (comma-separated ids; see `xiezhi types`).
    #[arg(long, value_name = "ID,...", value_delimiter = ',', value_parser = parse_type)]
    pub types: Vec<PiType>,

    /// Do not report these PI types (comma-separated ids).
    #[arg(long, value_name = "ID,...", value_delimiter = ',', value_parser = parse_type)]
    pub exclude_types: Vec<PiType>,

    /// Scan only files matching GLOB (repeatable). A glob without `/` matches file names at
    /// any depth (`*.log`); with `/` it matches the path below the scanned directory
    /// (`logs/**/*.txt`). For databases: `schema.table` globs (`public.*`; SQLite: `main.*`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Skip files and directories matching GLOB (repeatable; wins over --include).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Do not honour .gitignore, .ignore and git exclude files (.xiezhiignore still applies).
    #[arg(long)]
    pub no_ignore: bool,

    /// Follow symbolic links while walking directories.
    #[arg(long)]
    pub follow_links: bool,

    /// Skip files larger than SIZE (such as 100M or 2G), with a warning.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// Worker threads (0 = one per CPU).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Language of the table and of messages.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,

    /// Do not show a progress bar (it is shown on stderr only when stderr is a terminal and
    /// the scan takes more than a second).
    #[arg(long)]
    pub no_progress: bool,

    /// Database scans: non-null values sampled per column (1 to 1000). Samples are classified
    /// in memory and never stored or printed raw (the table shows one masked example per
    /// column).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000), help_heading = "Database scans (postgres://, mysql://, sqlite://)")]
    pub sample: u32,

    /// Database scans: timeout of every statement, such as 30s, 500ms or 2m.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration, help_heading = "Database scans (postgres://, mysql://, sqlite://)")]
    pub statement_timeout: std::time::Duration,

    /// Database scans: write the labels found as a data-map file (`label: suggested`), e.g.
    /// datamap/suggested.yaml. Labels a person confirmed anywhere in the data map are never
    /// overwritten; suggested ones are rewritten on every scan.
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Database scans (postgres://, mysql://, sqlite://)"
    )]
    pub suggest: Option<PathBuf>,

    /// Database scans: export the labels (confirmed and suggested) as JSON to FILE.
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Database scans (postgres://, mysql://, sqlite://)"
    )]
    pub labels_json: Option<PathBuf>,

    /// Database scans: write the labels back as column comments (`[xiezhi: TYPE]` appended to
    /// the existing comment). Changes the database: needs a user allowed to comment on the
    /// tables. PostgreSQL only (MySQL/MariaDB and SQLite are refused with an explanation).
    #[arg(
        long,
        help_heading = "Database scans (postgres://, mysql://, sqlite://)"
    )]
    pub write_comments: bool,
}

/// `30s`, `500ms`, `2m`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let bad = || format!("`{s}` is not a duration; write it like 30s, 500ms or 2m");
    let (num, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (t.get(..i).unwrap_or(""), t.get(i..).unwrap_or("")),
        None => (t, "s"),
    };
    let v: f64 = num.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "ms" => v / 1000.0,
        "s" | "" => v,
        "m" | "min" => v * 60.0,
        _ => return Err(bad()),
    };
    if !secs.is_finite() || !(0.001..=86_400.0).contains(&secs) {
        return Err(format!(
            "`{s}` is out of range; use a duration between 1ms and 24h"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// Output formats of `xiezhi types` and `xiezhi eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    Table,
    /// JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct TypesArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// Language of names in the table.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

/// Corpus sizes of the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CorpusSize {
    /// About 2 MB, at least 150 labels per type.
    Small,
    /// About 20 MB, at least 1,500 labels per type.
    Full,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Corpus directory holding labels.ndjson (and manifest.json).
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,

    /// Generate the corpus into DIR first with `python3 scripts/gen_eval_corpus.py`.
    #[arg(long)]
    pub generate: bool,

    /// Generator seed (with --generate).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20261128,
        requires = "generate"
    )]
    pub seed: u64,

    /// Corpus size (with --generate).
    #[arg(long, value_enum, default_value_t = CorpusSize::Small, requires = "generate")]
    pub size: CorpusSize,

    /// The generator script [default: scripts/gen_eval_corpus.py, looked up from the current
    /// directory and from the source tree].
    #[arg(long, value_name = "FILE", requires = "generate")]
    pub generator: Option<PathBuf>,

    /// Output format: tables, or the full report as JSON.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// Also list up to N false-positive and missed locations per type (table format).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub examples: usize,

    /// Drop findings below this confidence (0 to 1).
    #[arg(long, value_name = "X", default_value = "0.5", value_parser = parse_confidence)]
    pub min_confidence: f32,

    /// Worker threads (0 = one per CPU).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Language of the tables.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_parse_within_1ms_and_24h() {
        use std::time::Duration;
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1ms"), Ok(Duration::from_millis(1)));
        assert_eq!(parse_duration("86400s"), Ok(Duration::from_secs(86_400)));
        assert!(parse_duration("86401s").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("0.5ms").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5h").is_err());
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("2 GB"), Ok(2 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("10X").is_err());
        assert!(parse_size("-1").is_err());
    }

    #[test]
    fn fail_on_parses() {
        assert_eq!(parse_fail_on("any"), Ok(FailOn::Any));
        assert_eq!(parse_fail_on("Sensitive"), Ok(FailOn::Sensitive));
        assert_eq!(parse_fail_on("never"), Ok(FailOn::Never));
        assert_eq!(parse_fail_on("0.9"), Ok(FailOn::Confidence(0.9)));
        assert!(parse_fail_on("2").is_err());
        assert!(parse_fail_on("all").is_err());
    }
}
