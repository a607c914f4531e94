//! `xiezhi incident …`: the incident register on a service database (catalog 4.9,
//! SR-INC-01..03). Grading, clocks, reports, notices and the data-map estimate are
//! `xiezhi-incident`'s; this file parses arguments, loads and stores cases, sends e-mail through
//! `xiezhi-identity`'s SMTP sender and prints.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use xiezhi_incident::{
    AssessedCriterion, AuthorityReport, Case, Channel, Format, Incident, IncidentKind, Lang, Level,
    Notice, NoticeDraft, OtherCriterion, PiType, ReportKind, ReporterType, Text, Timestamp, Update,
    group_digits,
};
use xiezhi_store::{IncidentDoc, IncidentEventInput, IncidentEventKind, Store, StoredIncident};

use crate::cli::{LangArg, StoreArgs};

/// Subcommands of `xiezhi incident`.
#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Record a new incident: grade it (with the evidence), estimate the people and PI types
    /// from the data map for the affected systems/datasets, and print every reporting clock
    /// with the time left.
    Open(Box<OpenArgs>),
    /// Change fields (counts, criteria, cause, measures, report content, duties done…),
    /// re-grade and log the change.
    Update(Box<UpdateArgs>),
    /// Render the report to the authority (initial, supplementary or summary) and record that
    /// it was filed ("report first, supplement later": the missing fields are listed).
    Report(Box<ReportArgs>),
    /// Render the notice to affected people for one channel (SMS, e-mail, in-app,
    /// announcement), send e-mail over SMTP, or record the decision not to notify (--exempt).
    Notify(Box<NotifyArgs>),
    /// Close the incident: needs the summary report when it is due, or --reason.
    Close(Box<CloseArgs>),
    /// List incidents with level and the clocks that are running.
    List(Box<ListArgs>),
    /// Show one incident: grading, clocks with the time left, the event log.
    Show(Box<ShowArgs>),
}

/// Where the register is and how to print.
#[derive(Debug, Args)]
pub struct Project {
    /// Project directory holding xiezhi.yaml and datamap/ (the data map the estimate reads).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Language of the output.
    #[arg(long, value_enum, default_value_t = LangArg::ZhCn)]
    pub lang: LangArg,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Compute the clocks (and date the records) as of TIME instead of the system clock
    /// (RFC 3339, e.g. 2026-03-01T14:00:00+08:00).
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// Incident type on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// 数据泄露.
    DataLeak,
    /// 数据篡改.
    DataTampering,
    /// 数据丢失.
    DataLoss,
    /// 勒索软件攻击.
    Ransomware,
    /// 恶意程序.
    Malware,
    /// 网络攻击.
    NetworkAttack,
    /// 安全漏洞.
    Vulnerability,
    /// 设备设施故障或服务中断.
    Outage,
    /// 信息内容安全事件.
    Content,
    /// 其他.
    Other,
}

impl From<KindArg> for IncidentKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::DataLeak => IncidentKind::DataLeak,
            KindArg::DataTampering => IncidentKind::DataTampering,
            KindArg::DataLoss => IncidentKind::DataLoss,
            KindArg::Ransomware => IncidentKind::Ransomware,
            KindArg::Malware => IncidentKind::Malware,
            KindArg::NetworkAttack => IncidentKind::NetworkAttack,
            KindArg::Vulnerability => IncidentKind::Vulnerability,
            KindArg::Outage => IncidentKind::Outage,
            KindArg::Content => IncidentKind::Content,
            KindArg::Other => IncidentKind::Other,
        }
    }
}

/// Reporter type on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReporterArg {
    /// Critical information infrastructure operator (1 h).
    CiiOperator,
    /// Central and state organs and their units (2 h).
    CentralStateOrgan,
    /// Every other network operator (4 h).
    Other,
}

impl From<ReporterArg> for ReporterType {
    fn from(r: ReporterArg) -> Self {
        match r {
            ReporterArg::CiiOperator => ReporterType::CiiOperator,
            ReporterArg::CentralStateOrgan => ReporterType::CentralStateOrgan,
            ReporterArg::Other => ReporterType::Other,
        }
    }
}

/// Fields that both `open` and `update` set.
#[derive(Debug, Args)]
pub struct FieldArgs {
    /// Reporting unit (事发单位) [open default: organisation.name of xiezhi.yaml].
    #[arg(long, value_name = "NAME")]
    pub reporting_unit: Option<String>,
    /// Organisational contact point for the authority (desk, hotline, mailbox).
    #[arg(long, value_name = "TEXT")]
    pub contact: Option<String>,
    /// Where it happened (site, data centre, region).
    #[arg(long, value_name = "TEXT")]
    pub location: Option<String>,
    /// When it happened (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub occurred: Option<String>,
    /// Confirmed number of people whose PI is affected (overrides the data-map estimate).
    #[arg(long, value_name = "N")]
    pub people: Option<u64>,
    /// Of them, people whose sensitive PI is affected.
    #[arg(long, value_name = "N")]
    pub sensitive_people: Option<u64>,
    /// PI types involved (ids of `xiezhi types`; repeat or comma-separate; replaces the list).
    #[arg(long = "pi-type", value_name = "TYPE", value_delimiter = ',')]
    pub pi_types: Vec<String>,
    /// Minors are among the people (Minors Regulation art. 35).
    #[arg(long)]
    pub minors: bool,
    /// Direct economic loss in yuan.
    #[arg(long, value_name = "CNY")]
    pub loss_cny: Option<u64>,
    /// Service outage so far, in minutes.
    #[arg(long, value_name = "MIN")]
    pub outage_minutes: Option<u64>,
    /// A vulnerability endangering national security or the public interest (Reg. art. 10,
    /// 24 h).
    #[arg(long)]
    pub endangers_public_interest: bool,
    /// The incident harms individuals or organisations (Reg. art. 11).
    #[arg(long)]
    pub harms: bool,
    /// Clues of a crime were found (report to public security).
    #[arg(long)]
    pub suspected_crime: bool,
    /// A criterion without a number, assessed: CRITERION:LEVEL:REASON with CRITERION one of
    /// national_security_threat, system_outage, public_impact, other and LEVEL one of general,
    /// relatively_large, major, especially_major (repeat; replaces the list).
    #[arg(long, value_name = "C:L:REASON")]
    pub assess: Vec<String>,
}

/// `incident open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    #[command(flatten)]
    pub project: Project,
    /// Incident id [default: INC-<date>-<random>].
    #[arg(long)]
    pub id: Option<String>,
    /// Incident type.
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// Reporter type (fixes the initial-report deadline: 1 h, 2 h or 4 h).
    #[arg(long, value_enum, default_value_t = ReporterArg::Other)]
    pub reporter: ReporterArg,
    /// Short title (Chinese; no PI values).
    #[arg(long)]
    pub title: String,
    /// English title.
    #[arg(long)]
    pub title_en: Option<String>,
    /// When the incident was discovered (RFC 3339): every hour clock starts here.
    #[arg(long, value_name = "TIME")]
    pub discovered: String,
    /// Affected system (a `systems` id of the data map; repeat or comma-separate).
    #[arg(long = "system", value_name = "ID", value_delimiter = ',')]
    pub systems: Vec<String>,
    /// Affected dataset (a `datasets` id of the data map; repeat or comma-separate).
    #[arg(long = "dataset", value_name = "ID", value_delimiter = ',')]
    pub datasets: Vec<String>,
    #[command(flatten)]
    pub fields: FieldArgs,
}

/// `incident update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Incident id.
    pub id: String,
    #[command(flatten)]
    pub project: Project,
    /// Changes as a YAML/JSON document (the fields of the update; see docs/incidents.md),
    /// applied before the flags.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Title (Chinese).
    #[arg(long)]
    pub title: Option<String>,
    /// Incident type.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Reporter type.
    #[arg(long, value_enum)]
    pub reporter: Option<ReporterArg>,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Report item 3: impact and harm caused.
    #[arg(long, value_name = "TEXT")]
    pub impact: Option<String>,
    /// Report item 4: emergency measures taken and their effect.
    #[arg(long, value_name = "TEXT")]
    pub measures: Option<String>,
    /// Report item 5: the ransom demand (ransomware).
    #[arg(long, value_name = "TEXT")]
    pub ransom: Option<String>,
    /// Report item 6: trend and possible further impact.
    #[arg(long, value_name = "TEXT")]
    pub trend: Option<String>,
    /// Report item 7: preliminary cause.
    #[arg(long, value_name = "TEXT")]
    pub cause: Option<String>,
    /// Report item 8: clues for tracing.
    #[arg(long, value_name = "TEXT")]
    pub clues: Option<String>,
    /// Report item 9: further measures and support requested.
    #[arg(long, value_name = "TEXT")]
    pub further_measures: Option<String>,
    /// Report item 10: on-site preservation.
    #[arg(long, value_name = "TEXT")]
    pub site: Option<String>,
    /// Summary report: cause.
    #[arg(long, value_name = "TEXT")]
    pub summary_cause: Option<String>,
    /// Summary report: measures.
    #[arg(long, value_name = "TEXT")]
    pub summary_measures: Option<String>,
    /// Summary report: harm.
    #[arg(long, value_name = "TEXT")]
    pub summary_harm: Option<String>,
    /// Summary report: accountability.
    #[arg(long, value_name = "TEXT")]
    pub accountability: Option<String>,
    /// Summary report: rectification.
    #[arg(long, value_name = "TEXT")]
    pub rectification: Option<String>,
    /// Summary report: lessons learned.
    #[arg(long, value_name = "TEXT")]
    pub lessons: Option<String>,
    /// Handling ended at TIME (starts the 30-day summary-report clock).
    #[arg(long, value_name = "TIME")]
    pub handling_ended: Option<String>,
    /// The authority required the notice despite an exemption, at TIME.
    #[arg(long, value_name = "TIME")]
    pub authority_required_notice: Option<String>,
    /// A duty done: CLOCK or CLOCK=TIME (clock ids as `show` prints them, e.g.
    /// pipl57-notify-authority; repeat).
    #[arg(long, value_name = "CLOCK[=TIME]")]
    pub done: Vec<String>,
}

/// Report format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// Markdown.
    Markdown,
    /// Plain text (e-mail, fax, web forms).
    Text,
}

/// Report kind.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportKindArg {
    /// 首次报告.
    Initial,
    /// 补充报告.
    Supplementary,
    /// 总结报告.
    Summary,
}

/// `incident report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Incident id.
    pub id: String,
    #[command(flatten)]
    pub project: Project,
    /// Which report.
    #[arg(long, value_enum)]
    pub kind: ReportKindArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Only render: do not record the report as filed.
    #[arg(long)]
    pub dry_run: bool,
}

/// Notice channel.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChannelArg {
    /// Short text linking to the full notice (70 UCS-2 units per message, 67 per segment).
    Sms,
    /// E-mail, sent over SMTP to the addresses in --recipients.
    Email,
    /// In-app message (also instant messaging; read it for phone calls).
    InApp,
    /// Public announcement.
    Announcement,
}

impl From<ChannelArg> for Channel {
    fn from(c: ChannelArg) -> Self {
        match c {
            ChannelArg::Sms => Channel::Sms,
            ChannelArg::Email => Channel::Email,
            ChannelArg::InApp => Channel::InApp,
            ChannelArg::Announcement => Channel::Announcement,
        }
    }
}

/// `incident notify`.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// Incident id.
    pub id: String,
    #[command(flatten)]
    pub project: Project,
    /// Channel to render (and, for e-mail, send).
    #[arg(long, value_enum, required_unless_present = "exempt")]
    pub channel: Option<ChannelArg>,
    /// The notice content (YAML/JSON: organisation, sms_signature, what_happened, cause,
    /// possible_harm, remedies_taken, what_you_can_do, contact, full_notice_url,
    /// sms_max_segments).
    #[arg(long, value_name = "FILE", required_unless_present = "exempt")]
    pub draft: Option<PathBuf>,
    /// E-mail: file of recipient addresses, one per line (never stored or logged; only the
    /// count is recorded).
    #[arg(long, value_name = "FILE")]
    pub recipients: Option<PathBuf>,
    /// Write the rendered notice to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// SMS, in-app, announcement: the notice was delivered to N recipients by your own system
    /// (1 for a published announcement); N > 0 marks the notify-affected duty done.
    #[arg(long, value_name = "N")]
    pub delivered: Option<u64>,
    /// E-mail: the SMTP relay (HOST:PORT).
    #[arg(long, value_name = "HOST:PORT")]
    pub smtp: Option<String>,
    /// E-mail: sender address.
    #[arg(long, value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// E-mail: TLS to the relay: auto, starttls, implicit or none.
    #[arg(long, value_name = "MODE", default_value = "auto")]
    pub smtp_tls: String,
    /// E-mail: SMTP user (AUTH PLAIN); the password comes from XIEZHI_SMTP_PASSWORD.
    #[arg(long, value_name = "USER")]
    pub smtp_user: Option<String>,
    /// Record the decision NOT to notify individuals (PIPL 57 para 2) instead; needs --reason.
    #[arg(long, conflicts_with_all = ["channel", "draft", "recipients"])]
    pub exempt: bool,
    /// Reason for the exemption: which measures effectively avoid harm (repeat).
    #[arg(long, value_name = "TEXT")]
    pub reason: Vec<String>,
}

/// `incident close`.
#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Incident id.
    pub id: String,
    #[command(flatten)]
    pub project: Project,
    /// Why the incident is closed without the summary report (required then).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// `incident list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub project: Project,
    /// open, closed or all.
    #[arg(long, default_value = "open")]
    pub state: String,
    /// At most this many.
    #[arg(long, default_value_t = 200)]
    pub limit: u32,
}

/// `incident show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Incident id.
    pub id: String,
    #[command(flatten)]
    pub project: Project,
}

const ACTOR: &str = "cli";

/// Runs a `xiezhi incident` subcommand.
pub fn run(cmd: IncidentCommand) -> Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run_async(cmd))
}

struct Ctx {
    store: Store,
    lang: Lang,
    json: bool,
    now: Timestamp,
}

async fn ctx(p: &Project) -> Result<Ctx> {
    let now = match &p.now {
        Some(s) => time(s, "--now")?,
        None => Timestamp(xiezhi_decide::time::now_millis()),
    };
    Ok(Ctx {
        store: crate::serve_cmd::open_store(&p.dir, &p.store).await?,
        lang: p.lang.into(),
        json: p.json,
        now,
    })
}

fn time(s: &str, flag: &str) -> Result<Timestamp> {
    Timestamp::parse(s).map_err(|_| {
        anyhow::anyhow!(
            "{flag} {s}: write an RFC 3339 time with offset, e.g. 2026-03-01T10:00:00+08:00"
        )
    })
}

fn pi_types(ids: &[String]) -> Result<Vec<PiType>> {
    ids.iter()
        .map(|s| {
            s.trim().parse::<PiType>().map_err(|_| {
                anyhow::anyhow!("--pi-type {s}: not a PI type id (`xiezhi types` lists them)")
            })
        })
        .collect()
}

fn assessed(specs: &[String]) -> Result<Vec<AssessedCriterion>> {
    specs
        .iter()
        .map(|s| {
            let mut parts = s.splitn(3, ':');
            let (Some(c), Some(l), Some(r)) = (parts.next(), parts.next(), parts.next()) else {
                bail!("--assess {s}: write CRITERION:LEVEL:REASON");
            };
            let criterion: OtherCriterion = serde_json::from_value(json!(c)).map_err(|_| {
                anyhow::anyhow!("--assess: criterion `{c}` is not one of national_security_threat, system_outage, public_impact, other")
            })?;
            let level: Level = serde_json::from_value(json!(l)).map_err(|_| {
                anyhow::anyhow!("--assess: level `{l}` is not one of general, relatively_large, major, especially_major")
            })?;
            Ok(AssessedCriterion {
                criterion,
                level,
                reason: Text::zh(r),
            })
        })
        .collect()
}

fn read_doc<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} {}", path.display()))?;
    serde_saphyr::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a valid {what}: {e}", path.display()))
}

fn new_id(now: Timestamp) -> Result<String> {
    let mut b = [0u8; 3];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no operating-system randomness: {e}"))?;
    let date: String = now
        .to_beijing(Lang::En)
        .chars()
        .take(10)
        .filter(char::is_ascii_digit)
        .collect();
    Ok(format!(
        "INC-{date}-{}",
        b.iter().map(|x| format!("{x:02x}")).collect::<String>()
    ))
}

fn doc<'a>(c: &'a Case, parts: &'a (String, String, Option<String>, String)) -> IncidentDoc<'a> {
    IncidentDoc {
        id: &c.incident.id,
        state: c.state(),
        level: &parts.3,
        detected_at: c.incident.detected_at.millis(),
        closed_at: c.closed_at.map(Timestamp::millis),
        close_reason: c.close_reason.as_deref(),
        record: &parts.0,
        timeline: &parts.1,
        estimate: parts.2.as_deref(),
    }
}

fn parts(c: &Case) -> (String, String, Option<String>, String) {
    (
        c.record_json(),
        c.timeline_json(),
        c.estimate_json(),
        xiezhi_incident::case::level_id(c.level()).to_owned(),
    )
}

async fn load(ctx: &Ctx, id: &str) -> Result<(Case, StoredIncident)> {
    let s = ctx.store.get_incident(id).await?.with_context(|| {
        format!("no incident '{id}'; `xiezhi incident list --state all` lists them")
    })?;
    let c = Case::from_parts(
        &s.record,
        &s.timeline,
        s.estimate.as_deref(),
        s.closed_at,
        s.close_reason.clone(),
    )?;
    Ok((c, s))
}

async fn save(
    ctx: &Ctx,
    c: &Case,
    seq: i64,
    kind: IncidentEventKind,
    data: serde_json::Value,
) -> Result<StoredIncident> {
    let p = parts(c);
    Ok(ctx
        .store
        .save_incident(
            doc(c, &p),
            seq,
            IncidentEventInput {
                kind,
                actor: ACTOR,
                at: ctx.now.millis(),
                data,
            },
        )
        .await?)
}

fn print_case(ctx: &Ctx, c: &Case, extra: Option<serde_json::Value>) -> Result<()> {
    if ctx.json {
        let mut v = serde_json::to_value(c.view(ctx.now))?;
        if let (Some(m), Some(extra)) = (v.as_object_mut(), extra) {
            m.insert("result".into(), extra);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", c.render_status(ctx.now, ctx.lang));
    }
    Ok(())
}

fn write_out(out: Option<&Path>, text: &str) -> Result<()> {
    match out {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn field_update(f: &FieldArgs, u: &mut Update) -> Result<()> {
    if f.reporting_unit.is_some() {
        u.reporting_unit.clone_from(&f.reporting_unit);
    }
    if f.contact.is_some() {
        u.contact.clone_from(&f.contact);
    }
    if let Some(l) = &f.location {
        u.location = Some(Text::zh(l));
    }
    if let Some(o) = &f.occurred {
        u.occurred_at = Some(time(o, "--occurred")?);
    }
    if f.people.is_some() {
        u.people = f.people;
    }
    if f.sensitive_people.is_some() {
        u.sensitive_people = f.sensitive_people;
    }
    if !f.pi_types.is_empty() {
        u.pi_types = Some(pi_types(&f.pi_types)?);
    }
    if f.minors {
        u.involves_minors = Some(true);
    }
    if f.loss_cny.is_some() {
        u.direct_economic_loss_cny = f.loss_cny;
    }
    if f.outage_minutes.is_some() {
        u.outage_minutes = f.outage_minutes;
    }
    if f.endangers_public_interest {
        u.endangers_national_security_or_public_interest = Some(true);
    }
    if f.harms {
        u.harms_individuals_or_organisations = Some(true);
    }
    if f.suspected_crime {
        u.suspected_crime = Some(true);
    }
    if !f.assess.is_empty() {
        u.assessed = Some(assessed(&f.assess)?);
    }
    Ok(())
}

async fn run_async(cmd: IncidentCommand) -> Result<bool> {
    match cmd {
        IncidentCommand::Open(a) => open(*a).await,
        IncidentCommand::Update(a) => update(*a).await,
        IncidentCommand::Report(a) => report(*a).await,
        IncidentCommand::Notify(a) => notify(*a).await,
        IncidentCommand::Close(a) => close(*a).await,
        IncidentCommand::List(a) => list(*a).await,
        IncidentCommand::Show(a) => show(*a).await,
    }
}

async fn open(a: OpenArgs) -> Result<bool> {
    let ctx = ctx(&a.project).await?;
    let discovered = time(&a.discovered, "--discovered")?;
    let project = xiezhi_map::load_project(&a.project.dir);
    let needs_map = !a.systems.is_empty() || !a.datasets.is_empty();
    let project = match project {
        Ok(p) => Some(p),
        Err(e) if needs_map => bail!(
            "{}: the data map does not load ({} error(s); run `xiezhi map check {}`); --system/--dataset need it",
            a.project.dir.display(),
            e.0.len(),
            a.project.dir.display()
        ),
        Err(_) => None,
    };
    let estimate = match (&project, needs_map) {
        (Some(p), true) => Some(xiezhi_incident::estimate(p, &a.systems, &a.datasets)?),
        _ => None,
    };
    let id = match &a.id {
        Some(id) => id.clone(),
        None => new_id(ctx.now)?,
    };
    let title = match &a.title_en {
        Some(en) => Text::both(&a.title, en),
        None => Text::zh(&a.title),
    };
    let mut inc = Incident::new(id, title, a.kind.into(), a.reporter.into(), discovered);
    inc.reporting_unit = a.fields.reporting_unit.clone().or_else(|| {
        project
            .as_ref()
            .map(|p| p.profile.organisation.name.clone())
    });
    let mut case = Case::open(inc, estimate, a.fields.people)?;
    // The remaining flags go through the same path as `update` (validated together).
    let mut u = Update::default();
    field_update(&a.fields, &mut u)?;
    u.people = None; // already applied as the override
    u.reporting_unit = None;
    case.update(u)?;
    let p = parts(&case);
    let g = xiezhi_incident::grade(&case.incident);
    let stored = ctx
        .store
        .open_incident(
            doc(&case, &p),
            IncidentEventInput {
                kind: IncidentEventKind::Opened,
                actor: ACTOR,
                at: ctx.now.millis(),
                data: json!({
                    "level": p.3,
                    "people": case.incident.pi_people(),
                    "estimated": case.incident.pi.as_ref().is_some_and(|p| p.estimated),
                    "systems": a.systems,
                    "datasets": a.datasets,
                    "reportable": g.reportable,
                }),
            },
        )
        .await?;
    if !ctx.json
        && let Some(e) = &case.estimate
    {
        print!("{}", e.render(ctx.lang));
        if a.fields.people.is_some() {
            println!(
                "{}",
                match ctx.lang {
                    Lang::ZhCn => "（已按操作员给出的人数覆盖估算）",
                    Lang::En => "(the operator's number overrides the estimate)",
                }
            );
        }
        println!();
    }
    print_case(&ctx, &case, Some(json!({"seq": stored.seq})))?;
    Ok(false)
}

async fn update(a: UpdateArgs) -> Result<bool> {
    let ctx = ctx(&a.project).await?;
    let (mut case, stored) = load(&ctx, &a.id).await?;
    let mut u: Update = match &a.from {
        Some(p) => read_doc(p, "incident update")?,
        None => Update::default(),
    };
    if let Some(t) = &a.title {
        u.title = Some(Text::zh(t));
    }
    if let Some(k) = a.kind {
        u.kind = Some(k.into());
    }
    if let Some(r) = a.reporter {
        u.reporter = Some(r.into());
    }
    field_update(&a.fields, &mut u)?;
    let t = |s: &Option<String>| s.as_deref().map(Text::zh);
    for (src, dst) in [
        (&a.impact, &mut u.impact),
        (&a.measures, &mut u.measures_taken),
        (&a.ransom, &mut u.ransom_demand),
        (&a.trend, &mut u.trend),
        (&a.cause, &mut u.preliminary_cause),
        (&a.clues, &mut u.tracing_clues),
        (&a.further_measures, &mut u.further_measures),
        (&a.site, &mut u.site_preservation),
    ] {
        if src.is_some() {
            *dst = t(src);
        }
    }
    let summary_flags = [
        &a.summary_cause,
        &a.summary_measures,
        &a.summary_harm,
        &a.accountability,
        &a.rectification,
        &a.lessons,
    ];
    if summary_flags.iter().any(|s| s.is_some()) {
        let s = u.summary.get_or_insert_with(Default::default);
        for (src, dst) in [
            (&a.summary_cause, &mut s.cause),
            (&a.summary_measures, &mut s.measures),
            (&a.summary_harm, &mut s.harm),
            (&a.accountability, &mut s.accountability),
            (&a.rectification, &mut s.rectification),
            (&a.lessons, &mut s.lessons),
        ] {
            if src.is_some() {
                *dst = t(src);
            }
        }
    }
    if let Some(h) = &a.handling_ended {
        u.handling_ended_at = Some(time(h, "--handling-ended")?);
    }
    if let Some(h) = &a.authority_required_notice {
        u.authority_required_notice_at = Some(time(h, "--authority-required-notice")?);
    }
    for d in &a.done {
        let (id, at) = match d.split_once('=') {
            Some((id, at)) => (id.to_owned(), time(at, "--done")?),
            None => (d.clone(), ctx.now),
        };
        u.done.insert(id, at);
    }
    let changed = case.update(u)?;
    let data = json!({
        "fields": changed.fields,
        "level_before": xiezhi_incident::case::level_id(changed.level_before),
        "level_after": xiezhi_incident::case::level_id(changed.level_after),
        "people": changed.people,
    });
    let stored = save(&ctx, &case, stored.seq, IncidentEventKind::Updated, data).await?;
    if !ctx.json && changed.level_before != changed.level_after {
        println!(
            "{}",
            match ctx.lang {
                Lang::ZhCn => format!(
                    "重新分级：{} → {}",
                    changed.level_before.name(ctx.lang),
                    changed.level_after.name(ctx.lang)
                ),
                Lang::En => format!(
                    "Re-graded: {} → {}",
                    changed.level_before.name(ctx.lang),
                    changed.level_after.name(ctx.lang)
                ),
            }
        );
    }
    print_case(
        &ctx,
        &case,
        Some(json!({"seq": stored.seq, "changed": changed})),
    )?;
    Ok(false)
}

async fn report(a: ReportArgs) -> Result<bool> {
    let ctx = ctx(&a.project).await?;
    let (mut case, stored) = load(&ctx, &a.id).await?;
    let kind = match a.kind {
        ReportKindArg::Initial => ReportKind::Initial,
        ReportKindArg::Supplementary => ReportKind::Supplementary,
        ReportKindArg::Summary => ReportKind::Summary,
    };
    let format = match a.format {
        ReportFormat::Markdown => Format::Markdown,
        ReportFormat::Text => Format::Text,
    };
    let text = AuthorityReport::from(&case.incident, kind, ctx.now).render(ctx.lang, format);
    let missing = AuthorityReport::from(&case.incident, kind, ctx.now).missing_fields();
    if a.dry_run {
        write_out(a.out.as_deref(), &text)?;
        return Ok(false);
    }
    let filed = case.file_report(kind, ctx.now)?;
    let digest = xiezhi_audit_digest(&text);
    let data = json!({
        "report": kind,
        "missing": filed.missing,
        "clocks_done": filed.clocks_done,
        "level": xiezhi_incident::case::level_id(filed.level),
        "lang": match ctx.lang { Lang::ZhCn => "zh-CN", Lang::En => "en" },
        "sha256": digest,
    });
    save(
        &ctx,
        &case,
        stored.seq,
        IncidentEventKind::Reported,
        data.clone(),
    )
    .await?;
    if ctx.json {
        let mut data = data;
        if a.out.is_some() {
            write_out(a.out.as_deref(), &text)?;
        } else if let Some(m) = data.as_object_mut() {
            m.insert("text".into(), json!(text));
        }
        println!("{}", serde_json::to_string_pretty(&data)?);
    } else {
        write_out(a.out.as_deref(), &text)?;
        let names: Vec<&str> = missing.iter().map(|f| f.name(ctx.lang)).collect();
        let msg = match (ctx.lang, names.is_empty()) {
            (Lang::ZhCn, true) => "已记录报送；无待补报事项。".to_owned(),
            (Lang::ZhCn, false) => format!("已记录报送；待补报：{}", names.join("、")),
            (Lang::En, true) => "Recorded as filed; nothing left to supplement.".to_owned(),
            (Lang::En, false) => format!(
                "Recorded as filed; to be supplemented: {}",
                names.join(", ")
            ),
        };
        eprintln!("{msg}");
    }
    Ok(false)
}

fn xiezhi_audit_digest(text: &str) -> String {
    xiezhi_audit::payload_digest(text.as_bytes())
}

fn recipients(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the recipients file {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

fn mailer(a: &NotifyArgs) -> Result<xiezhi_identity::smtp::SmtpMailer> {
    let relay = a.smtp.as_deref().context(
        "--channel email sends the notice: give --smtp HOST:PORT and --smtp-from ADDRESS",
    )?;
    let (host, port) = relay
        .rsplit_once(':')
        .and_then(|(h, p)| p.parse::<u16>().ok().map(|p| (h.to_owned(), p)))
        .with_context(|| format!("--smtp {relay}: write HOST:PORT"))?;
    let from = a
        .smtp_from
        .clone()
        .context("--smtp needs --smtp-from ADDRESS (the sender of the notices)")?;
    let mut cfg = xiezhi_identity::smtp::SmtpConfig::new(host, port, from);
    cfg.tls = match a.smtp_tls.as_str() {
        "auto" => cfg.tls,
        "starttls" => xiezhi_identity::smtp::SmtpTls::StartTls,
        "implicit" => xiezhi_identity::smtp::SmtpTls::Implicit,
        "none" => xiezhi_identity::smtp::SmtpTls::None,
        other => bail!("--smtp-tls {other}: use auto, starttls, implicit or none"),
    };
    if let Some(user) = &a.smtp_user {
        let password = std::env::var("XIEZHI_SMTP_PASSWORD")
            .context("--smtp-user needs the password in XIEZHI_SMTP_PASSWORD")?;
        cfg.auth = Some(xiezhi_identity::smtp::SmtpAuth {
            username: user.clone(),
            password,
        });
    }
    Ok(xiezhi_identity::smtp::SmtpMailer::new(cfg))
}

async fn notify(a: NotifyArgs) -> Result<bool> {
    let ctx = ctx(&a.project).await?;
    let (mut case, stored) = load(&ctx, &a.id).await?;
    if a.exempt {
        let e = case.exempt(a.reason.clone(), ctx.now)?.clone();
        let data = json!({"reasons": e.reasons(), "decided_at": e.decided_at()});
        save(&ctx, &case, stored.seq, IncidentEventKind::Exemption, data).await?;
        if ctx.json {
            print_case(&ctx, &case, None)?;
        } else {
            println!("{}", e.render(ctx.lang));
        }
        return Ok(false);
    }
    let (Some(ch), Some(draft)) = (a.channel, &a.draft) else {
        bail!("give --channel and --draft FILE (or --exempt --reason …)");
    };
    let channel: Channel = ch.into();
    let draft: NoticeDraft = read_doc(draft, "notice draft")?;
    let rendered = Notice::new(&case.incident, draft)?.render(channel, ctx.lang)?;
    let lang = match ctx.lang {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    };
    let text = match &rendered.subject {
        Some(s) => format!("{s}\n\n{}\n", rendered.body),
        None => format!("{}\n", rendered.body),
    };
    let (recipients_n, delivered, failed) = if matches!(ch, ChannelArg::Email) {
        let path = a
            .recipients
            .as_deref()
            .context("--channel email needs --recipients FILE (one address per line)")?;
        let list = recipients(path)?;
        if list.is_empty() {
            bail!("{}: no recipient addresses", path.display());
        }
        let m = mailer(&a)?;
        let subject = rendered.subject.clone().unwrap_or_default();
        let (mut ok, mut bad) = (0u64, 0u64);
        let mut first_err = None;
        for to in &list {
            let mail = xiezhi_identity::smtp::Email {
                to: to.clone(),
                subject: subject.clone(),
                body: rendered.body.clone(),
            };
            match m.send_mail(&mail).await {
                Ok(()) => ok += 1,
                Err(e) => {
                    bad += 1;
                    // MailError never contains the address or the server's reply.
                    first_err.get_or_insert(e.to_string());
                }
            }
        }
        if let Some(e) = &first_err {
            eprintln!("{bad} e-mail(s) not delivered; first error: {e}");
        }
        (list.len() as u64, ok, bad)
    } else {
        let d = a.delivered.unwrap_or(0);
        (d, d, 0)
    };
    // The rendered notice: to --out; otherwise on stdout (inside the JSON with --json), except
    // for e-mail, which was sent.
    let email = matches!(ch, ChannelArg::Email);
    if a.out.is_some() || (!email && !ctx.json) {
        write_out(a.out.as_deref(), &text)?;
    }
    // E-mails already sent must be recorded even if someone changed the incident meanwhile:
    // a conflict reloads it and records the notice on the newer version.
    let (mut case, mut stored) = (case, stored);
    let mut attempts = 0;
    let data = loop {
        let marked = case.record_notice(channel, delivered, ctx.now);
        let data = json!({
            "channel": channel,
            "lang": lang,
            "recipients": recipients_n,
            "delivered": delivered,
            "failed": failed,
            "sms": rendered.sms,
            "sha256": xiezhi_audit_digest(&text),
            "notify_affected_done": marked,
        });
        match save(
            &ctx,
            &case,
            stored.seq,
            IncidentEventKind::Notified,
            data.clone(),
        )
        .await
        {
            Ok(_) => break data,
            Err(e)
                if attempts < 5
                    && matches!(
                        e.downcast_ref::<xiezhi_store::StoreError>(),
                        Some(xiezhi_store::StoreError::IncidentConflict { .. })
                    ) =>
            {
                attempts += 1;
                (case, stored) = load(&ctx, &case.incident.id).await?;
            }
            Err(e) => return Err(e),
        }
    };
    if ctx.json {
        let mut data = data;
        if a.out.is_none()
            && !email
            && let Some(m) = data.as_object_mut()
        {
            m.insert("subject".into(), json!(rendered.subject));
            m.insert("body".into(), json!(rendered.body));
        }
        println!("{}", serde_json::to_string_pretty(&data)?);
    } else {
        let mut msg = match ctx.lang {
            Lang::ZhCn => format!(
                "已记录通知：渠道 {}，对象 {} 个，送达 {} 个，失败 {} 个",
                channel_name(ch),
                group_digits(recipients_n),
                group_digits(delivered),
                group_digits(failed)
            ),
            Lang::En => format!(
                "Notice recorded: channel {}, {} recipient(s), {} delivered, {} failed",
                channel_name(ch),
                group_digits(recipients_n),
                group_digits(delivered),
                group_digits(failed)
            ),
        };
        if let Some(sms) = rendered.sms {
            msg.push_str(&match ctx.lang {
                Lang::ZhCn => format!("；短信 {} 字符（UCS-2），{} 条", sms.units, sms.segments),
                Lang::En => format!(
                    "; SMS {} UCS-2 units, {} segment(s)",
                    sms.units, sms.segments
                ),
            });
        }
        eprintln!("{msg}");
    }
    Ok(failed > 0)
}

fn channel_name(c: ChannelArg) -> &'static str {
    match c {
        ChannelArg::Sms => "sms",
        ChannelArg::Email => "email",
        ChannelArg::InApp => "in-app",
        ChannelArg::Announcement => "announcement",
    }
}

async fn close(a: CloseArgs) -> Result<bool> {
    let ctx = ctx(&a.project).await?;
    let (mut case, stored) = load(&ctx, &a.id).await?;
    case.close(a.reason.clone(), ctx.now)?;
    let summary_filed = case
        .timeline
        .done
        .contains_key(xiezhi_incident::clocks::SUMMARY);
    let data = json!({"summary_filed": summary_filed, "reason": case.close_reason});
    save(&ctx, &case, stored.seq, IncidentEventKind::Closed, data).await?;
    print_case(&ctx, &case, None)?;
    Ok(false)
}

fn left(c: &xiezhi_incident::Clock, lang: Lang) -> String {
    use xiezhi_incident::time::format_duration;
    match (c.time_left_ms, c.elapsed_ms) {
        (Some(ms), _) => format_duration(ms, lang),
        (None, Some(el)) => match lang {
            Lang::ZhCn => format!("已过{}", format_duration(el, lang)),
            Lang::En => format!("{} elapsed", format_duration(el, lang)),
        },
        _ => "—".to_owned(),
    }
}

async fn list(a: ListArgs) -> Result<bool> {
    let ctx = ctx(&a.project).await?;
    let state = match a.state.as_str() {
        "all" => None,
        s @ ("open" | "closed") => Some(s),
        other => bail!("--state {other}: use open, closed or all"),
    };
    let rows = ctx.store.list_incidents(state, a.limit).await?;
    let mut cases = Vec::new();
    for r in &rows {
        cases.push(Case::from_parts(
            &r.record,
            &r.timeline,
            r.estimate.as_deref(),
            r.closed_at,
            r.close_reason.clone(),
        )?);
    }
    if ctx.json {
        let views: Vec<_> = cases.iter().map(|c| c.view(ctx.now)).collect();
        println!("{}", serde_json::to_string_pretty(&views)?);
        return Ok(false);
    }
    let zh = ctx.lang == Lang::ZhCn;
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(if zh {
            vec!["编号", "标题", "分级", "状态", "人数", "时限（剩余）"]
        } else {
            vec![
                "id",
                "title",
                "level",
                "state",
                "people",
                "clocks (time left)",
            ]
        });
    for c in &cases {
        let clocks: Vec<String> = c
            .clocks(ctx.now)
            .iter()
            .filter(|k| k.done.is_none())
            .map(|k| {
                format!(
                    "{} {} ({})",
                    k.id,
                    k.status.name(ctx.lang),
                    left(k, ctx.lang)
                )
            })
            .collect();
        t.add_row(vec![
            c.incident.id.clone(),
            c.incident.title.get(ctx.lang).to_owned(),
            c.level().name(ctx.lang).to_owned(),
            c.state().to_owned(),
            group_digits(c.incident.pi_people()),
            clocks.join("\n"),
        ]);
    }
    println!("{t}");
    println!(
        "{}",
        if zh {
            format!("共 {} 起", cases.len())
        } else {
            format!("{} incident(s)", cases.len())
        }
    );
    Ok(false)
}

async fn show(a: ShowArgs) -> Result<bool> {
    let ctx = ctx(&a.project).await?;
    let (case, _) = load(&ctx, &a.id).await?;
    let events = ctx.store.incident_events(&a.id).await?;
    if ctx.json {
        let mut v = serde_json::to_value(case.view(ctx.now))?;
        if let Some(m) = v.as_object_mut() {
            m.insert("events".into(), serde_json::to_value(&events)?);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(false);
    }
    print!("{}", case.render_status(ctx.now, ctx.lang));
    println!();
    println!(
        "{}",
        match ctx.lang {
            Lang::ZhCn => "事件日志：",
            Lang::En => "Event log:",
        }
    );
    for e in &events {
        println!(
            "  {}  {:<9} {}  {}",
            Timestamp(e.at).to_beijing(ctx.lang),
            e.kind,
            e.actor,
            e.data
        );
    }
    Ok(false)
}
