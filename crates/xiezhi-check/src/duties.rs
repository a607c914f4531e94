//! The calendar of duties (`xiezhi duties`, issue 7 point 3): what is due when, computed from the
//! data map and the reports generated so far.
//!
//! Pure: the project, the decision date and the past reports come in; a list of [`Duty`] comes
//! out. Each duty carries its articles, the catalog's confidence mark, its due date (or the
//! window it opens), a [`Status`] as of the decision date, what it was derived from (data-map
//! file and field, or a past report) and the command that produces the document, if any.
//!
//! Duties (catalog sections in brackets):
//! - `art33-annual` — important-data processors: risk assessment every year and report to the
//!   provincial-level authority (Reg. 33; Risk Assessment Measures from 2026-08-20) [C2]; the
//!   Regulation fixes no calendar date, so the due date is the assessment's `next_due`, else one
//!   year after the last one (catalog 2, art. 33 default: reminder 60 days before);
//!   `art33-submit:ID` when the last assessment was not reported.
//! - `platform-pi-annual` — large platforms: PI protection social responsibility report every
//!   year (Reg. 44; PIPL 58) [C2].
//! - `audit-biennial` — PI of **more than** 10,000,000 people (超过: 10,000,000 itself is out):
//!   compliance audit at least every 2 years (PIPL 54; Audit Measures, 4.5) [C2].
//! - `audit-minors-annual` — minors' PI: compliance audit every year (Minors Reg. 37) [OFF-1].
//! - `pipo-filing` — PI of 1,000,000 people or more: file the PIPO with the city-level CAC
//!   within 30 working days of reaching 1,000,000 or of a change of officer, not before
//!   2025-08-29 for those already above (PIPO notice 2025, 4.5) [C2].
//! - `retention:ID` — PIPIA reports kept at least 3 years (PIPL 56) [C2]; art. 31 / art. 33
//!   risk-assessment records at least 3 years (Risk Assessment Measures, 4.11) [UNCONFIRMED].
//!   Also for PIPIA and art. 31 reports in the report register (`retention-report:KIND:DATE`).
//! - `xborder-assessment:ID` — security assessment valid 3 years; extension window opens 60
//!   working days before expiry (CBDF 9, 4.1) [C2]. `xborder-scc-filing:ID` — standard contract
//!   filed within 10 working days of taking effect [UNCONFIRMED]. `xborder-certification:ID` —
//!   certification valid until its stated date [UNCONFIRMED]. `xborder-mechanism:ID` — the
//!   year's ledger requires a mechanism that is missing or weaker than required (Reg. 35, 37;
//!   CBDF 7–8) [decision's mark].
//!
//! Working days use the PRC holiday calendar of `xiezhi-model`. A working-day clock that runs
//! into a year the calendar does not cover is **not guessed**: the duty has no date, its status
//! is [`Status::Undetermined`] and its note names the calendar's years and what to add. Only
//! what holds whatever the holidays is still said: an unfiled deadline is overdue once
//! `7n/5 + 21` calendar days have passed; an extension window is open from 60 calendar days
//! before expiry.
//!
//! Statuses (as of the decision date `as_of`, `within` days, default 30):
//! overdue (`as_of` after the due date), due soon (due within `within` days, the due day
//! included, or a renewal window open), done for the period (the current cycle is done and the
//! next due date is further away), upcoming (nothing done yet, due later), not applicable (with
//! the reason), undetermined (see above).

use std::path::Path;

use serde::{Deserialize, Serialize};
use xiezhi_map::model::{Assessment, AssessmentKind};
use xiezhi_map::{At, PROFILE_FILE, Project};

use crate::date::{Date, PrcWorkdays, WorkdayCalendar, from_map as to_date};
use crate::rules::{AUDIT_BIENNIAL_PI_SUBJECTS, PIPO_PI_SUBJECTS, classify};
use crate::transfers::project_transfers;
use crate::xborder::{self, Compliance, InPlace};
use crate::{Confidence, Lang, group_digits};

pub mod ics;

/// Default number of days ahead a duty counts as due soon.
pub const DEFAULT_WITHIN_DAYS: u32 = 30;
/// Days before the art. 33 anniversary the reminder fires (catalog art. 33: default 60).
pub const ART33_REMINDER_DAYS: u32 = 60;
/// `audit.biennial_period_years`.
pub const AUDIT_PERIOD_YEARS: i32 = 2;
/// `minors.pi_audit_period`: yearly.
pub const MINORS_AUDIT_PERIOD_YEARS: i32 = 1;
/// `pipo.filing_working_days`.
pub const PIPO_FILING_WORKING_DAYS: u32 = 30;
/// `pipl.pipia_retention_years_min` (and the risk-assessment record retention of 4.11).
pub const RETENTION_YEARS_MIN: u32 = 3;

/// Regulation (Decree 790) in force.
const REG_790: (i32, u32, u32) = (2025, 1, 1);
/// PIPL in force.
const PIPL: (i32, u32, u32) = (2021, 11, 1);
/// Audit Measures in force.
const AUDIT_MEASURES: (i32, u32, u32) = (2025, 5, 1);
/// Minors Regulation in force.
const MINORS_REG: (i32, u32, u32) = (2024, 1, 1);
/// PIPO notice issued (and in force).
const PIPO_NOTICE: (i32, u32, u32) = (2025, 7, 18);
/// PIPO notice: processors already above 1,000,000 file by this date.
const PIPO_TRANSITION: (i32, u32, u32) = (2025, 8, 29);
/// Risk Assessment Measures (Order 24) in force.
const RISK_MEASURES: (i32, u32, u32) = (2026, 8, 20);
/// Cross-border provisions (CAC Order 16) in force.
const CBDF: (i32, u32, u32) = (2024, 3, 22);
/// Standard Contract Measures in force.
const SCC_MEASURES: (i32, u32, u32) = (2023, 6, 1);

fn ymd((y, m, d): (i32, u32, u32)) -> Date {
    Date::new(y, m, d).unwrap_or_else(|_| Date::from_days(0))
}

/// A report generated earlier (from the store's report register). `kind` is one of
/// `important-data-annual`, `platform-pi-annual`, `pipia`, `art31`, `compliance-audit`,
/// `inspection-pack`, `xborder`; other kinds are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastReport {
    /// Report kind, as `xiezhi report KIND` names it.
    pub kind: String,
    /// The year the report is for (annual reports), if any.
    #[serde(default)]
    pub period_year: Option<i32>,
    /// Date the report was generated.
    pub generated_on: Date,
}

/// Options of [`duties`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyOptions {
    /// A duty due within this many days (the due day included) is due soon.
    pub within_days: u32,
}

impl Default for DutyOptions {
    fn default() -> Self {
        DutyOptions {
            within_days: DEFAULT_WITHIN_DAYS,
        }
    }
}

/// Where a duty stands on the decision date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The due date has passed (or a validity has expired, or a record was deleted too early).
    Overdue,
    /// Due within the configured number of days, or a renewal window is open.
    DueSoon,
    /// A working-day clock runs outside the PRC calendar's years: no date is given.
    Undetermined,
    /// Nothing done yet; due later.
    Upcoming,
    /// Done for the current period (or filed); the next date, if any, is further away.
    Done,
    /// Does not apply to this organisation (the reason says why).
    NotApplicable,
}

impl Status {
    /// Short label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Overdue, Lang::ZhCn) => "已逾期",
            (Status::Overdue, Lang::En) => "overdue",
            (Status::DueSoon, Lang::ZhCn) => "即将到期",
            (Status::DueSoon, Lang::En) => "due soon",
            (Status::Undetermined, Lang::ZhCn) => "无法确定",
            (Status::Undetermined, Lang::En) => "undetermined",
            (Status::Upcoming, Lang::ZhCn) => "待办",
            (Status::Upcoming, Lang::En) => "upcoming",
            (Status::Done, Lang::ZhCn) => "本期已完成",
            (Status::Done, Lang::En) => "done for period",
            (Status::NotApplicable, Lang::ZhCn) => "不适用",
            (Status::NotApplicable, Lang::En) => "not applicable",
        }
    }

    /// Stable machine name (`overdue`, `due_soon`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::DueSoon => "due_soon",
            Status::Undetermined => "undetermined",
            Status::Upcoming => "upcoming",
            Status::Done => "done",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// Whether the duty needs attention now (overdue or due soon): shown as a reminder.
    pub fn is_reminder(self) -> bool {
        matches!(self, Status::Overdue | Status::DueSoon)
    }
}

/// What kind of date a duty has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyKind {
    /// A recurring duty (yearly report, periodic audit): `due` is the next one.
    Periodic,
    /// A one-off deadline (filing).
    Deadline,
    /// A validity that ends on `due`; renewal may be applied for from `window_opens`.
    Validity,
    /// Records must be kept until `due` (the earliest lawful deletion day is the day after).
    KeepUntil,
}

/// What a duty was derived from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum Source {
    /// A field of the data map.
    DataMap {
        /// File relative to the project directory.
        file: String,
        /// Dotted field path, e.g. `scale.pi_1m_reached` or `assessments[risk-2025].completed`.
        field: String,
        /// 1-based line (0 when not known).
        line: u64,
    },
    /// A report in the report register.
    PastReport {
        /// Report kind.
        kind: String,
        /// Year the report is for.
        period_year: Option<i32>,
        /// Date generated.
        generated_on: Date,
    },
}

impl Source {
    /// `file:line field` or `report KIND (YEAR) generated DATE`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Source::DataMap { file, field, line } => {
                if *line > 0 {
                    format!("{file}:{line} {field}")
                } else {
                    format!("{file} {field}")
                }
            }
            Source::PastReport {
                kind,
                period_year,
                generated_on,
            } => {
                let year = period_year.map(|y| format!(" ({y})")).unwrap_or_default();
                match lang {
                    Lang::ZhCn => format!("报告 {kind}{year}，生成于 {generated_on}"),
                    Lang::En => format!("report {kind}{year} generated {generated_on}"),
                }
            }
        }
    }
}

/// One duty on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    /// Stable id, e.g. `art33-annual`, `xborder-assessment:xb-sg` (also the base of the
    /// iCalendar UID).
    pub id: String,
    /// Title in Simplified Chinese.
    pub title_zh: String,
    /// Title in English.
    pub title_en: String,
    /// Articles the duty comes from, e.g. `Reg. 33`.
    pub articles: Vec<&'static str>,
    /// Confidence mark of the catalog entry.
    pub confidence: Confidence,
    /// What kind of date `due` is.
    pub kind: DutyKind,
    /// Due date (next due, deadline, end of validity, keep-until); `None` when not applicable
    /// or undetermined.
    pub due: Option<Date>,
    /// First day of a renewal window (security-assessment extension), if any.
    pub window_opens: Option<Date>,
    /// When the duty was last carried out (completed, filed, published), if known.
    pub last_done: Option<Date>,
    /// Status on `as_of`.
    pub status: Status,
    /// Days from `as_of` to `due` (negative when past).
    pub days_left: Option<i64>,
    /// Days before `due` a reminder should fire (iCalendar VALARM).
    pub remind_days_before: u32,
    /// Explanation in Simplified Chinese (how the date was computed, why not applicable).
    pub note_zh: String,
    /// Explanation in English.
    pub note_en: String,
    /// What the duty was derived from.
    pub derived_from: Vec<Source>,
    /// The command that produces the document, e.g. `xiezhi report important-data-annual`.
    pub command: Option<String>,
}

impl Duty {
    /// Title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.title_zh,
            Lang::En => &self.title_en,
        }
    }

    /// Note in `lang`.
    pub fn note(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.note_zh,
            Lang::En => &self.note_en,
        }
    }
}

/// The full calendar: the decision date, the setting and the duties (most urgent first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Calendar {
    /// Decision date.
    pub as_of: Date,
    /// Due-soon horizon in days.
    pub within_days: u32,
    /// Years the PRC working-day calendar covers, e.g. `2025–2026`.
    pub working_day_calendar: Option<String>,
    /// The duties.
    pub duties: Vec<Duty>,
}

impl Calendar {
    /// Number of duties with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.duties.iter().filter(|d| d.status == status).count()
    }
}

/// Computes the calendar of duties for `project` as of `as_of`; see the module documentation.
pub fn calendar(
    project: &Project,
    as_of: Date,
    past: &[PastReport],
    opts: &DutyOptions,
) -> Calendar {
    Calendar {
        as_of,
        within_days: opts.within_days,
        working_day_calendar: PrcWorkdays::new().ok().map(|c| c.covered()),
        duties: duties(project, as_of, past, opts),
    }
}

/// The duties of `project` as of `as_of`, most urgent first (overdue, due soon, undetermined,
/// upcoming, done, not applicable; then by due date and id). Past reports generated after
/// `as_of` are ignored.
pub fn duties(
    project: &Project,
    as_of: Date,
    past: &[PastReport],
    opts: &DutyOptions,
) -> Vec<Duty> {
    let past: Vec<&PastReport> = past.iter().filter(|r| r.generated_on <= as_of).collect();
    let cx = Cx {
        p: project,
        as_of,
        within: opts.within_days,
        past: &past,
    };
    let mut out = Vec::new();
    out.extend(art33(&cx));
    out.push(platform_annual(&cx));
    out.push(audit_biennial(&cx));
    out.push(audit_minors(&cx));
    out.push(pipo_filing(&cx));
    out.extend(retention(&cx));
    out.extend(cross_border(&cx));
    out.sort_by(|a, b| {
        (a.status, a.due, &a.id)
            .cmp(&(b.status, b.due, &b.id))
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

// ---------------------------------------------------------------------------------------------
// Shared machinery.

struct Cx<'a> {
    p: &'a Project,
    as_of: Date,
    within: u32,
    past: &'a [&'a PastReport],
}

impl Cx<'_> {
    /// Past reports of `kind`, latest first.
    fn reports(&self, kind: &str) -> Vec<&PastReport> {
        let mut v: Vec<&PastReport> = self
            .past
            .iter()
            .copied()
            .filter(|r| r.kind == kind)
            .collect();
        v.sort_by_key(|r| std::cmp::Reverse(r.generated_on));
        v
    }

    fn profile_src(&self, field: &str) -> Source {
        let line = self.p.profile_position(field).map_or(0, |k| k.line);
        Source::DataMap {
            file: PROFILE_FILE.to_string(),
            field: field.to_string(),
            line,
        }
    }
}

fn map_src(file: &Path, section: &str, id: &At<String>, field: &str) -> Source {
    Source::DataMap {
        file: file.display().to_string(),
        field: format!("{section}[{}].{field}", id.value),
        line: id.line,
    }
}

fn report_src(r: &PastReport) -> Source {
    Source::PastReport {
        kind: r.kind.clone(),
        period_year: r.period_year,
        generated_on: r.generated_on,
    }
}

/// Status of a dated duty: overdue after `due`; due soon within `within` days (due day
/// included); else done when the current cycle is done, upcoming otherwise.
fn status_for(as_of: Date, due: Date, within: u32, done: bool) -> Status {
    let left = as_of.days_until(due);
    if left < 0 {
        Status::Overdue
    } else if left <= i64::from(within) {
        Status::DueSoon
    } else if done {
        Status::Done
    } else {
        Status::Upcoming
    }
}

/// Builder of one duty with the common fields.
struct D {
    id: String,
    zh: String,
    en: String,
    articles: Vec<&'static str>,
    confidence: Confidence,
    kind: DutyKind,
    command: Option<&'static str>,
}

impl D {
    fn new(
        id: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
        articles: &[&'static str],
        confidence: Confidence,
        kind: DutyKind,
    ) -> D {
        D {
            id: id.into(),
            zh: zh.into(),
            en: en.into(),
            articles: articles.to_vec(),
            confidence,
            kind,
            command: None,
        }
    }

    fn command(mut self, c: &'static str) -> D {
        self.command = Some(c);
        self
    }

    fn not_applicable(self, zh: String, en: String, from: Vec<Source>) -> Duty {
        self.finish(
            Status::NotApplicable,
            None,
            None,
            None,
            None,
            0,
            (zh, en),
            from,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        self,
        status: Status,
        due: Option<Date>,
        window_opens: Option<Date>,
        last_done: Option<Date>,
        as_of: Option<Date>,
        remind: u32,
        (note_zh, note_en): (String, String),
        derived_from: Vec<Source>,
    ) -> Duty {
        Duty {
            id: self.id,
            title_zh: self.zh,
            title_en: self.en,
            articles: self.articles,
            confidence: self.confidence,
            kind: self.kind,
            due,
            window_opens,
            last_done,
            status,
            days_left: match (as_of, due) {
                (Some(a), Some(d)) => Some(a.days_until(d)),
                _ => None,
            },
            remind_days_before: remind,
            note_zh,
            note_en,
            derived_from,
            command: self.command.map(str::to_string),
        }
    }

    /// A periodic duty: last done on `last` (if ever), next due on `due`.
    fn periodic(
        self,
        cx: &Cx<'_>,
        last: Option<Date>,
        due: Date,
        remind: u32,
        note: (String, String),
        from: Vec<Source>,
    ) -> Duty {
        let status = status_for(cx.as_of, due, cx.within, last.is_some());
        self.finish(
            status,
            Some(due),
            None,
            last,
            Some(cx.as_of),
            remind,
            note,
            from,
        )
    }
}

/// Result of a working-day computation on the PRC calendar.
enum Wd {
    Date(Date),
    /// The count left the calendar's years: the calendar error's text (English) and the years.
    NotCovered {
        first: Date,
        covered: String,
    },
    /// The calendar data failed to load.
    Unavailable(String),
}

fn working_days(start: Date, n: u32, forward: bool) -> Wd {
    let cal = match PrcWorkdays::new() {
        Ok(c) => c,
        Err(e) => return Wd::Unavailable(e.to_string()),
    };
    let d = if forward {
        start.add_working_days(n, &cal as &dyn WorkdayCalendar)
    } else {
        start.sub_working_days(n, &cal as &dyn WorkdayCalendar)
    };
    match cal.outside_date() {
        None => Wd::Date(d),
        Some(first) => Wd::NotCovered {
            first,
            covered: cal.covered(),
        },
    }
}

/// Calendar days after which `n` working days have passed whatever the holidays: 7n/5 days of
/// weeks plus 21 days for holiday periods (the longest PRC holiday blocks remove at most about
/// 8 weekdays from a few weeks, fewer after adjusted working weekends).
fn certain_span(n: u32) -> i64 {
    i64::from(n.saturating_mul(7).div_ceil(5)) + 21
}

/// Status and note of an unfiled working-day deadline that the calendar cannot date: overdue once
/// the deadline has certainly passed (`start` + [`certain_span`]), undetermined before.
fn undated_deadline(as_of: Date, start: Date, n: u32) -> (Status, String, String) {
    let surely = start.add_days(certain_span(n));
    if as_of > surely {
        (
            Status::Overdue,
            format!("无论节假日如何，期限最迟已于 {surely} 届满"),
            format!("whatever the holidays, the deadline passed by {surely} at the latest"),
        )
    } else {
        (
            Status::Undetermined,
            format!("期限最迟为 {surely}"),
            format!("the deadline is {surely} at the latest"),
        )
    }
}

/// The note of a working-day clock that could not be computed.
fn not_covered_note(what_zh: &str, what_en: &str, wd: &Wd) -> (String, String) {
    match wd {
        Wd::NotCovered { first, covered } => (
            format!(
                "{what_zh}按工作日计算，但 {first} 超出中国工作日历覆盖的年份（{covered}），不作推测；请在 crates/xiezhi-model/data/prc-calendar.txt 中加入该年国务院放假通知"
            ),
            format!(
                "{what_en} counts working days, but {first} is outside the years the PRC working-day calendar covers ({covered}); no date is guessed. Add that year's State Council holiday notice to crates/xiezhi-model/data/prc-calendar.txt"
            ),
        ),
        Wd::Unavailable(e) => (
            format!("{what_zh}按工作日计算，但工作日历不可用：{e}"),
            format!(
                "{what_en} counts working days, but the working-day calendar is unavailable: {e}"
            ),
        ),
        Wd::Date(_) => (String::new(), String::new()),
    }
}

/// Assessments of `kind`, with their files, latest completion first.
fn assessments(p: &Project, kind: AssessmentKind, as_of: Date) -> Vec<(&Path, &Assessment, Date)> {
    let mut v: Vec<(&Path, &Assessment, Date)> = p
        .each(|m| &m.assessments)
        .filter(|(_, a)| a.kind == kind)
        .filter_map(|(f, a)| to_date(Some(a.completed)).map(|d| (f, a, d)))
        .filter(|(_, _, d)| *d <= as_of)
        .collect();
    v.sort_by_key(|(_, a, d)| (std::cmp::Reverse(*d), a.id.value.clone()));
    v
}

// ---------------------------------------------------------------------------------------------
// Art. 33: yearly important-data risk assessment and report.

fn art33(cx: &Cx<'_>) -> Vec<Duty> {
    let p = cx.p;
    let mut articles = vec!["Reg. 33", "DSL 30"];
    if cx.as_of >= ymd(RISK_MEASURES) {
        articles.push("Risk Assessment Measures (Order 24)");
    }
    let d = D::new(
        "art33-annual",
        "重要数据年度风险评估并向省级以上主管部门报送报告",
        "Yearly important-data risk assessment, report to the provincial-level authority",
        &articles,
        Confidence::C2,
        DutyKind::Periodic,
    )
    .command("xiezhi report important-data-annual");
    let declared = p.profile.roles.important_data_processor;
    let derived = classify(p).important_data_processor;
    if cx.as_of < ymd(REG_790) {
        return vec![d.not_applicable(
            "《网络数据安全管理条例》自 2025-01-01 起施行".into(),
            "the Regulation is in force from 2025-01-01".into(),
            Vec::new(),
        )];
    }
    if !declared && !derived {
        return vec![d.not_applicable(
            "非重要数据处理者：roles.important_data_processor 为 false，且无数据集处于 confirmed 状态".into(),
            "not an important-data processor: roles.important_data_processor is false and no dataset is confirmed important data".into(),
            vec![cx.profile_src("roles.important_data_processor")],
        )];
    }
    let mut from = vec![cx.profile_src("roles.important_data_processor")];
    let latest = assessments(p, AssessmentKind::Art33AnnualRiskAssessment, cx.as_of);
    let report = cx.reports("important-data-annual").into_iter().next();
    let unconfirmed_zh = "条例未规定报送日历日期（风险评估办法的报送期限未检索到，[UNCONFIRMED]）";
    let unconfirmed_en = "the Regulation fixes no calendar date (the Risk Assessment Measures' filing window was not retrieved, [UNCONFIRMED])";
    let mut out = Vec::new();
    let newer = report.filter(|r| latest.first().is_none_or(|(_, _, c)| r.generated_on > *c));
    let (last, due, how_zh, how_en) = match (newer, latest.first()) {
        (None, Some((file, a, completed))) => {
            let next = to_date(a.next_due);
            from.push(map_src(file, "assessments", &a.id, "completed"));
            if next.is_some() {
                from.push(map_src(file, "assessments", &a.id, "next_due"));
            }
            let due = next.unwrap_or_else(|| completed.add_years(1));
            let (hz, he) = match next {
                Some(n) => (
                    format!(
                        "上次评估 {} 于 {completed} 完成，数据地图写明下次 {n}",
                        a.id
                    ),
                    format!(
                        "last assessment {} completed {completed}; the data map sets the next for {n}",
                        a.id
                    ),
                ),
                None => (
                    format!("上次评估 {} 于 {completed} 完成，一年后到期", a.id),
                    format!(
                        "last assessment {} completed {completed}; due one year later",
                        a.id
                    ),
                ),
            };
            if a.reported.is_none() {
                out.push(
                    D::new(
                        format!("art33-submit:{}", a.id.value),
                        format!("报送年度风险评估报告 {}", a.id.value),
                        format!("Submit the yearly risk assessment report {}", a.id.value),
                        &["Reg. 33"],
                        Confidence::C2,
                        DutyKind::Deadline,
                    )
                    .command("xiezhi report important-data-annual")
                    .finish(
                        Status::Overdue,
                        Some(*completed),
                        None,
                        None,
                        Some(cx.as_of),
                        0,
                        (
                            format!(
                                "评估 {} 于 {completed} 完成，但未记录向省级以上主管部门报送（reported）；请尽快报送后填写 reported",
                                a.id
                            ),
                            format!(
                                "assessment {} was completed {completed} but no submission to the provincial-level authority is recorded (reported); submit it and record the date",
                                a.id
                            ),
                        ),
                        vec![map_src(file, "assessments", &a.id, "reported")],
                    ),
                );
            }
            (Some(*completed), due, hz, he)
        }
        (Some(r), _) => {
            from.push(report_src(r));
            let due = r.generated_on.add_years(1);
            (
                Some(r.generated_on),
                due,
                format!("上次年度报告于 {} 生成，一年后到期", r.generated_on),
                format!(
                    "last yearly report generated {}; due one year later",
                    r.generated_on
                ),
            )
        }
        (None, None) => {
            let due = ymd(REG_790).add_years(1);
            (
                None,
                due,
                "无评估记录：首次应在条例施行满一年时完成".to_string(),
                "no assessment on record: the first was due one year after the Regulation took effect".to_string(),
            )
        }
    };
    out.push(d.periodic(
        cx,
        last,
        due,
        ART33_REMINDER_DAYS,
        (
            format!("{how_zh}；{unconfirmed_zh}；提前 {ART33_REMINDER_DAYS} 天提醒"),
            format!("{how_en}; {unconfirmed_en}; reminder {ART33_REMINDER_DAYS} days before"),
        ),
        from,
    ));
    out
}

// ---------------------------------------------------------------------------------------------
// Art. 44: large platforms' yearly PI protection social responsibility report.

fn platform_annual(cx: &Cx<'_>) -> Duty {
    let p = cx.p;
    let d = D::new(
        "platform-pi-annual",
        "大型网络平台年度个人信息保护社会责任报告",
        "Large platform's yearly PI protection social responsibility report",
        &["Reg. 44", "PIPL 58"],
        Confidence::C2,
        DutyKind::Periodic,
    )
    .command("xiezhi report platform-pi-annual");
    if cx.as_of < ymd(REG_790) {
        return d.not_applicable(
            "《网络数据安全管理条例》自 2025-01-01 起施行".into(),
            "the Regulation is in force from 2025-01-01".into(),
            Vec::new(),
        );
    }
    if !p.profile.roles.large_platform {
        let (zh, en) = if classify(p).large_platform_candidate {
            (
                "roles.large_platform 为 false，但用户规模达到第六十二条第八项标准：请确认是否为大型网络平台".to_string(),
                "roles.large_platform is false although the user counts meet art. 62(8): confirm whether this is a large platform".to_string(),
            )
        } else {
            (
                "非大型网络平台（roles.large_platform 为 false）".to_string(),
                "not a large network platform (roles.large_platform is false)".to_string(),
            )
        };
        return d.not_applicable(zh, en, vec![cx.profile_src("roles.large_platform")]);
    }
    let mut from = vec![cx.profile_src("roles.large_platform")];
    let published =
        to_date(p.profile.platform.social_responsibility_report).filter(|d| *d <= cx.as_of);
    let report = cx.reports("platform-pi-annual").into_iter().next();
    let newer = report.filter(|r| published.is_none_or(|p| r.generated_on > p));
    let (last, how_zh, how_en) = match (newer, published) {
        (None, Some(pub_on)) => {
            from.push(cx.profile_src("platform.social_responsibility_report"));
            (
                Some(pub_on),
                format!("上一份报告于 {pub_on} 发布"),
                format!("last report published {pub_on}"),
            )
        }
        (Some(r), _) => {
            from.push(report_src(r));
            (
                Some(r.generated_on),
                format!("上一份报告于 {} 生成", r.generated_on),
                format!("last report generated {}", r.generated_on),
            )
        }
        (None, None) => (
            None,
            "无报告记录：首次应在条例施行满一年时发布".to_string(),
            "no report on record: the first was due one year after the Regulation took effect"
                .to_string(),
        ),
    };
    let due = last.map_or_else(|| ymd(REG_790).add_years(1), |l| l.add_years(1));
    d.periodic(
        cx,
        last,
        due,
        cx.within,
        (
            format!("{how_zh}；每年发布，条例未规定日历日期"),
            format!("{how_en}; yearly, no calendar date in the Regulation"),
        ),
        from,
    )
}

// ---------------------------------------------------------------------------------------------
// Compliance audits.

fn audit_biennial(cx: &Cx<'_>) -> Duty {
    let p = cx.p;
    let d = D::new(
        "audit-biennial",
        "个人信息保护合规审计（处理超过1000万人个人信息的，每两年至少一次）",
        "PI protection compliance audit (PI of more than 10,000,000 people: at least every 2 years)",
        &["PIPL 54", "Reg. 27", "Audit Measures"],
        Confidence::C2,
        DutyKind::Periodic,
    )
    .command("xiezhi report compliance-audit");
    let src = cx.profile_src("scale.pi_subjects");
    if cx.as_of < ymd(AUDIT_MEASURES) {
        return d.not_applicable(
            "《个人信息保护合规审计管理办法》自 2025-05-01 起施行".into(),
            "the Audit Measures are in force from 2025-05-01".into(),
            vec![src],
        );
    }
    let n = p.profile.scale.pi_subjects;
    if n.is_none_or(|n| n <= AUDIT_BIENNIAL_PI_SUBJECTS) {
        let (zh, en) = match n {
            Some(n) => (
                format!(
                    "处理 {} 人个人信息，未超过1000万人（“超过”不含本数）；审计频次未作规定",
                    group_digits(n)
                ),
                format!(
                    "PI of {} people is not more than 10,000,000 (超过 excludes the figure); no audit frequency is fixed",
                    group_digits(n)
                ),
            ),
            None => (
                "未填写 scale.pi_subjects：无法判断是否超过1000万人".to_string(),
                "scale.pi_subjects is not given: cannot tell whether it exceeds 10,000,000"
                    .to_string(),
            ),
        };
        return d.not_applicable(zh, en, vec![src]);
    }
    let mut from = vec![src];
    let audits = assessments(p, AssessmentKind::ComplianceAudit, cx.as_of);
    let report = cx.reports("compliance-audit").into_iter().next();
    let newer = report.filter(|r| audits.first().is_none_or(|(_, _, c)| r.generated_on > *c));
    let (last, how_zh, how_en) = match (newer, audits.first()) {
        (None, Some((file, a, c))) => {
            from.push(map_src(file, "assessments", &a.id, "completed"));
            (
                Some(*c),
                format!("上次合规审计 {} 于 {c} 完成", a.id),
                format!("last compliance audit {} completed {c}", a.id),
            )
        }
        (Some(r), _) => {
            from.push(report_src(r));
            (
                Some(r.generated_on),
                format!("上次合规审计报告于 {} 生成", r.generated_on),
                format!("last compliance audit report generated {}", r.generated_on),
            )
        }
        (None, None) => (
            None,
            "无合规审计记录：首次应在审计办法施行满两年时完成".to_string(),
            "no compliance audit on record: the first was due two years after the Audit Measures took effect".to_string(),
        ),
    };
    let due = last.map_or_else(
        || ymd(AUDIT_MEASURES).add_years(AUDIT_PERIOD_YEARS),
        |l| l.add_years(AUDIT_PERIOD_YEARS),
    );
    d.periodic(
        cx,
        last,
        due,
        cx.within,
        (
            format!("{how_zh}；每两年至少一次"),
            format!("{how_en}; at least every 2 years"),
        ),
        from,
    )
}

fn audit_minors(cx: &Cx<'_>) -> Duty {
    let p = cx.p;
    let d = D::new(
        "audit-minors-annual",
        "未成年人个人信息合规审计（每年）并报告网信部门",
        "Yearly compliance audit of minors' PI, results reported to the CAC",
        &["Minors Reg. 37"],
        Confidence::Off1,
        DutyKind::Periodic,
    )
    .command("xiezhi report compliance-audit");
    let src = cx.profile_src("roles.processes_minors_pi");
    if cx.as_of < ymd(MINORS_REG) {
        return d.not_applicable(
            "《未成年人网络保护条例》自 2024-01-01 起施行".into(),
            "the Minors Regulation is in force from 2024-01-01".into(),
            vec![src],
        );
    }
    if !(p.profile.roles.processes_minors_pi || classify(p).processes_minors_pi) {
        return d.not_applicable(
            "不处理未成年人个人信息（roles.processes_minors_pi、scale.minor_subjects、数据集主体均未显示）".into(),
            "no minors' PI processed (roles.processes_minors_pi, scale.minor_subjects and dataset subjects say none)".into(),
            vec![src],
        );
    }
    let mut from = vec![src];
    let audits: Vec<_> = assessments(p, AssessmentKind::ComplianceAudit, cx.as_of)
        .into_iter()
        .filter(|(_, a, _)| a.minors_pi)
        .collect();
    let (last, how_zh, how_en) = match audits.first() {
        Some((file, a, c)) => {
            from.push(map_src(file, "assessments", &a.id, "completed"));
            (
                Some(*c),
                format!("上次未成年人个人信息审计 {} 于 {c} 完成", a.id),
                format!("last minors' PI audit {} completed {c}", a.id),
            )
        }
        None => (
            None,
            "无覆盖未成年人个人信息的审计（minors_pi: true）：首次应在条例施行满一年时完成"
                .to_string(),
            "no audit covering minors' PI (minors_pi: true): the first was due one year after the Minors Regulation took effect".to_string(),
        ),
    };
    let due = last.map_or_else(
        || ymd(MINORS_REG).add_years(MINORS_AUDIT_PERIOD_YEARS),
        |l| l.add_years(MINORS_AUDIT_PERIOD_YEARS),
    );
    d.periodic(
        cx,
        last,
        due,
        cx.within,
        (format!("{how_zh}；每年一次"), format!("{how_en}; yearly")),
        from,
    )
}

// ---------------------------------------------------------------------------------------------
// PIPO filing.

fn pipo_filing(cx: &Cx<'_>) -> Duty {
    let p = cx.p;
    let d = D::new(
        "pipo-filing",
        "向市级网信部门报送个人信息保护负责人信息（达到100万人或变更后30个工作日内）",
        "File the PI protection officer with the city-level CAC (within 30 working days of reaching 1,000,000 people or of a change)",
        &["PIPL 52", "PIPO notice (2025)"],
        Confidence::C2,
        DutyKind::Deadline,
    );
    let src = cx.profile_src("scale.pi_subjects");
    if cx.as_of < ymd(PIPO_NOTICE) {
        return d.not_applicable(
            "报送通知于 2025-07-18 发布".into(),
            "the PIPO filing notice dates from 2025-07-18".into(),
            vec![src],
        );
    }
    let n = p.profile.scale.pi_subjects;
    if n.is_none_or(|n| n < PIPO_PI_SUBJECTS) {
        let (zh, en) = match n {
            Some(n) => (
                format!(
                    "处理 {} 人个人信息，不满100万人（“以上”含本数）",
                    group_digits(n)
                ),
                format!(
                    "PI of {} people, fewer than 1,000,000 (以上 includes the figure)",
                    group_digits(n)
                ),
            ),
            None => (
                "未填写 scale.pi_subjects：无法判断是否达到100万人".to_string(),
                "scale.pi_subjects is not given: cannot tell whether it reaches 1,000,000"
                    .to_string(),
            ),
        };
        return d.not_applicable(zh, en, vec![src]);
    }
    let mut from = vec![src];
    let reached = to_date(p.profile.scale.pi_1m_reached);
    if reached.is_some() {
        from.push(cx.profile_src("scale.pi_1m_reached"));
    }
    let pipo = p.profile.officers.pipo.as_ref();
    // A new appointment after the threshold was reached is a change: re-file within 30
    // working days of it; a filing from before the change does not count.
    let change = pipo
        .and_then(|o| to_date(o.appointed))
        .filter(|a| reached.is_some_and(|r| *a > r));
    if change.is_some() {
        from.push(cx.profile_src("officers.pipo.appointed"));
    }
    let filed = pipo
        .and_then(|o| to_date(o.filed))
        .filter(|f| change.is_none_or(|a| *f >= a))
        .filter(|f| *f <= cx.as_of);
    if pipo.and_then(|o| o.filed).is_some() {
        from.push(cx.profile_src("officers.pipo.filed"));
    }
    let transition = ymd(PIPO_TRANSITION);
    let start = change.or(reached);
    let (start_zh, start_en) = match (change, reached) {
        (Some(c), _) => (
            format!("负责人于 {c} 变更"),
            format!("officer changed on {c}"),
        ),
        (None, Some(r)) => (
            format!("于 {r} 达到100万人"),
            format!("1,000,000 people reached on {r}"),
        ),
        (None, None) => (
            "未填写达到100万人的日期（scale.pi_1m_reached），按过渡期截止日计".to_string(),
            "the date 1,000,000 was reached is not given (scale.pi_1m_reached); the transition deadline applies".to_string(),
        ),
    };
    // The due date: 30 working days after `start`, not before the transition date. When the
    // start lies more than 90 days before the transition date, 30 working days end before it
    // whatever the holidays, and the calendar is not needed.
    let due = match start {
        None => Wd::Date(transition),
        Some(s) if s.add_days(90) < transition => Wd::Date(transition),
        Some(s) => match working_days(s, PIPO_FILING_WORKING_DAYS, true) {
            Wd::Date(d) => Wd::Date(d.max(transition)),
            other => other,
        },
    };
    match (due, filed) {
        (Wd::Date(due), Some(f)) => {
            let late = f > due;
            d.finish(
                Status::Done,
                Some(due),
                None,
                Some(f),
                Some(cx.as_of),
                cx.within,
                (
                    format!(
                        "{start_zh}；截止 {due}；已于 {f} 报送{}",
                        if late { "（晚于截止日）" } else { "" }
                    ),
                    format!(
                        "{start_en}; due {due}; filed {f}{}",
                        if late { " (after the deadline)" } else { "" }
                    ),
                ),
                from,
            )
        }
        (Wd::Date(due), None) => d.finish(
            status_for(cx.as_of, due, cx.within, false),
            Some(due),
            None,
            None,
            Some(cx.as_of),
            cx.within,
            (
                format!("{start_zh}；30个工作日内报送，截止 {due}（已超100万人者不早于 2025-08-29）；报送后填写 officers.pipo.filed"),
                format!("{start_en}; file within 30 working days, by {due} (not before 2025-08-29 for those already above); record officers.pipo.filed"),
            ),
            from,
        ),
        (wd, filed) => {
            let (nz, ne) = not_covered_note("报送期限", "the filing deadline", &wd);
            let (status, bz, be) = match (filed, start) {
                (Some(_), _) => (Status::Done, String::new(), String::new()),
                (None, Some(s)) => {
                    let (st, z, e) = undated_deadline(cx.as_of, s, PIPO_FILING_WORKING_DAYS);
                    (st, format!("；{z}"), format!("; {e}"))
                }
                (None, None) => (Status::Undetermined, String::new(), String::new()),
            };
            d.finish(
                status,
                None,
                None,
                filed,
                Some(cx.as_of),
                cx.within,
                (
                    format!("{start_zh}；{nz}{bz}"),
                    format!("{start_en}; {ne}{be}"),
                ),
                from,
            )
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Retention of assessment records.

fn retention(cx: &Cx<'_>) -> Vec<Duty> {
    let mut out = Vec::new();
    for (file, a) in cx.p.each(|m| &m.assessments) {
        let (zh_kind, en_kind, articles, conf, from_date): (&str, &str, &[&'static str], _, _) =
            match a.kind {
                AssessmentKind::Pipia => (
                    "个人信息保护影响评估报告",
                    "PIPIA report",
                    &["PIPL 56"],
                    Confidence::C2,
                    PIPL,
                ),
                AssessmentKind::Art31RiskAssessment => (
                    "重要数据提供前风险评估记录",
                    "art. 31 risk assessment records",
                    &["Reg. 31", "Risk Assessment Measures (Order 24)"],
                    Confidence::Unconfirmed,
                    RISK_MEASURES,
                ),
                AssessmentKind::Art33AnnualRiskAssessment => (
                    "年度风险评估记录",
                    "yearly risk assessment records",
                    &["Reg. 33", "Risk Assessment Measures (Order 24)"],
                    Confidence::Unconfirmed,
                    RISK_MEASURES,
                ),
                AssessmentKind::ComplianceAudit => continue,
            };
        let Some(completed) = to_date(Some(a.completed)) else {
            continue;
        };
        if completed > cx.as_of {
            continue;
        }
        let d = D::new(
            format!("retention:{}", a.id.value),
            format!("保存{zh_kind} {}（至少三年）", a.id.value),
            format!("Keep the {en_kind} {} (at least 3 years)", a.id.value),
            articles,
            conf,
            DutyKind::KeepUntil,
        );
        if cx.as_of < ymd(from_date) {
            out.push(d.not_applicable(
                format!("保存要求自 {} 起施行", ymd(from_date)),
                format!("the retention rule is in force from {}", ymd(from_date)),
                vec![map_src(file, "assessments", &a.id, "completed")],
            ));
            continue;
        }
        out.push(keep_until(
            cx,
            d,
            completed,
            a.records
                .as_ref()
                .map(|r| (r.retention_years, to_date(r.deleted))),
            vec![
                map_src(file, "assessments", &a.id, "completed"),
                map_src(file, "assessments", &a.id, "records"),
            ],
        ));
    }
    for (kind, zh_kind, en_kind, articles, conf) in [
        (
            "pipia",
            "个人信息保护影响评估报告",
            "PIPIA report",
            &["PIPL 56"][..],
            Confidence::C2,
        ),
        (
            "art31",
            "重要数据提供前风险评估报告",
            "art. 31 risk assessment report",
            &["Reg. 31", "Risk Assessment Measures (Order 24)"][..],
            Confidence::Unconfirmed,
        ),
    ] {
        for r in cx.reports(kind) {
            let d = D::new(
                format!("retention-report:{kind}:{}", r.generated_on),
                format!("保存 {} 生成的{zh_kind}（至少三年）", r.generated_on),
                format!(
                    "Keep the {en_kind} generated {} (at least 3 years)",
                    r.generated_on
                ),
                articles,
                conf,
                DutyKind::KeepUntil,
            );
            out.push(keep_until(cx, d, r.generated_on, None, vec![report_src(r)]));
        }
    }
    out
}

/// A keep-until duty for records made on `base`: kept `max(3, retention_years)` years. Deleted
/// before 3 years → overdue (a breach); before the end → done (being kept); after the end →
/// done (may be deleted).
fn keep_until(
    cx: &Cx<'_>,
    d: D,
    base: Date,
    records: Option<(u32, Option<Date>)>,
    from: Vec<Source>,
) -> Duty {
    let min_until = base.add_years(RETENTION_YEARS_MIN as i32);
    let years = records.map_or(RETENTION_YEARS_MIN, |(y, _)| y.max(RETENTION_YEARS_MIN));
    let until = base.add_years(years as i32);
    let deleted = records.and_then(|(_, del)| del).filter(|d| *d <= cx.as_of);
    let (status, zh, en) = match deleted {
        Some(del) if del < min_until => (
            Status::Overdue,
            format!("记录于 {del} 删除，早于 {min_until}（满三年）"),
            format!("records deleted on {del}, before {min_until} (3 years)"),
        ),
        Some(del) => (
            Status::Done,
            format!("已保存满三年，于 {del} 删除"),
            format!("kept 3 years, deleted on {del}"),
        ),
        None if cx.as_of > until => (
            Status::Done,
            format!("保存期已于 {until} 届满，可按 records 处置"),
            format!("the retention period ended on {until}; dispose of per the records policy"),
        ),
        None => (
            Status::Done,
            format!("{base} 起保存至少至 {until}（不得早于 {min_until} 删除）"),
            format!(
                "kept from {base} until at least {until} (not to be deleted before {min_until})"
            ),
        ),
    };
    let missing = records.is_none();
    let (zh, en) = if missing {
        (
            format!("{zh}；数据地图未写明留存安排（records）"),
            format!("{en}; the data map states no record keeping (records)"),
        )
    } else {
        (zh, en)
    };
    d.finish(
        status,
        Some(until),
        None,
        Some(base),
        Some(cx.as_of),
        cx.within,
        (zh, en),
        from,
    )
}

// ---------------------------------------------------------------------------------------------
// Cross-border clocks (CBDF 9; SCC Measures) and missing mechanisms.

fn cross_border(cx: &Cx<'_>) -> Vec<Duty> {
    let p = cx.p;
    let mut out = Vec::new();
    let mapped = project_transfers(p, cx.as_of.year());
    let inputs: Vec<xborder::Transfer> = mapped.iter().map(|m| m.transfer.clone()).collect();
    let ledgers = xborder::decide_ledger(&inputs, cx.as_of, None);
    let decisions: Vec<&xborder::Decision> =
        ledgers.iter().flat_map(|l| l.transfers.iter()).collect();
    for m in &mapped {
        let t = &m.transfer;
        let file = m.file.display().to_string();
        let src = |field: &str| Source::DataMap {
            file: file.clone(),
            field: format!("transfers[{}].{field}", t.id),
            line: m.line,
        };
        if let Some(dec) = decisions.iter().find(|d| d.transfer_id == t.id)
            && matches!(
                dec.compliance,
                Compliance::Missing | Compliance::Insufficient
            )
            && cx.as_of >= ymd(CBDF)
        {
            let (zh_m, en_m) = (dec.required.label(Lang::ZhCn), dec.required.label(Lang::En));
            let weak = dec.compliance == Compliance::Insufficient;
            out.push(
                D::new(
                    format!("xborder-mechanism:{}", t.id),
                    format!("数据出境 {}：落实{zh_m}", t.id),
                    format!("Cross-border transfer {}: put {en_m} in place", t.id),
                    &["Reg. 35", "Reg. 37", "CBDF 7", "CBDF 8"],
                    dec.confidence,
                    DutyKind::Deadline,
                )
                .command("xiezhi xborder")
                .finish(
                    Status::Overdue,
                    None,
                    None,
                    None,
                    Some(cx.as_of),
                    0,
                    if weak {
                        (
                            format!("{} 年度累计要求{zh_m}，现有机制不足；出境前须具备", cx.as_of.year()),
                            format!("the {} ledger requires {en_m}; the mechanism in place is weaker; needed before data leaves", cx.as_of.year()),
                        )
                    } else {
                        (
                            format!("{} 年度累计要求{zh_m}，尚未具备；出境前须具备", cx.as_of.year()),
                            format!("the {} ledger requires {en_m} and none is in place; needed before data leaves", cx.as_of.year()),
                        )
                    },
                    vec![src("mechanism"), src("subjects_by_year")],
                ),
            );
        }
        match t.in_place {
            Some(InPlace::SecurityAssessment {
                passed_on,
                extended,
            }) => out.push(assessment_validity(
                cx,
                &t.id,
                passed_on,
                extended,
                vec![src("valid_from"), src("extended")],
            )),
            Some(InPlace::StandardContract {
                effective_on,
                filed_on,
            }) => out.push(scc_filing(
                cx,
                &t.id,
                effective_on,
                filed_on,
                vec![src("valid_from"), src("filed")],
            )),
            Some(InPlace::Certification {
                certified_on,
                valid_until,
            }) => {
                let d = D::new(
                    format!("xborder-certification:{}", t.id),
                    format!("数据出境 {}：个人信息保护认证有效期", t.id),
                    format!(
                        "Cross-border transfer {}: PI protection certification validity",
                        t.id
                    ),
                    &["Reg. 35(2)", "PIPL 38"],
                    Confidence::Unconfirmed,
                    DutyKind::Validity,
                );
                out.push(match valid_until {
                    Some(v) => {
                        let status = status_for(cx.as_of, v, cx.within, true);
                        d.finish(
                            status,
                            Some(v),
                            None,
                            Some(certified_on),
                            Some(cx.as_of),
                            cx.within,
                            (
                                format!("{certified_on} 认证，有效期至 {v}；到期前重新认证"),
                                format!("certified {certified_on}, valid until {v}; renew before it ends"),
                            ),
                            vec![src("valid_from"), src("valid_until")],
                        )
                    }
                    None => d.finish(
                        Status::Done,
                        None,
                        None,
                        Some(certified_on),
                        Some(cx.as_of),
                        cx.within,
                        (
                            format!("{certified_on} 认证；未填写有效期（valid_until）"),
                            format!("certified {certified_on}; no validity end recorded (valid_until)"),
                        ),
                        vec![src("valid_from")],
                    ),
                });
            }
            None => {}
        }
    }
    out
}

fn assessment_validity(
    cx: &Cx<'_>,
    id: &str,
    passed_on: Date,
    extended: bool,
    from: Vec<Source>,
) -> Duty {
    let d = D::new(
        format!("xborder-assessment:{id}"),
        format!("数据出境 {id}：安全评估结果有效期与延期申请"),
        format!("Cross-border transfer {id}: security assessment validity and extension"),
        &["CBDF 9", "Reg. 35(1)"],
        Confidence::C2,
        DutyKind::Validity,
    )
    .command("xiezhi xborder");
    let mut expires = passed_on.add_years(xborder::ASSESSMENT_VALIDITY_YEARS);
    if extended {
        expires = expires.add_years(xborder::ASSESSMENT_VALIDITY_YEARS);
    }
    let window_days = xborder::EXTENSION_WINDOW_WORKING_DAYS;
    let base_zh = format!(
        "{passed_on} 通过评估{}，有效期至 {expires}",
        if extended {
            "（已延期三年）"
        } else {
            ""
        }
    );
    let base_en = format!(
        "passed {passed_on}{}, valid until {expires}",
        if extended {
            " (extended by 3 years)"
        } else {
            ""
        }
    );
    let remind = 90;
    match working_days(expires, window_days, false) {
        Wd::Date(opens) => {
            let status = if cx.as_of > expires {
                Status::Overdue
            } else if cx.as_of >= opens {
                Status::DueSoon
            } else {
                status_for(cx.as_of, expires, cx.within, true)
            };
            let (zh, en) = match status {
                Status::Overdue => (
                    format!("{base_zh}；已过期，须重新申报安全评估"),
                    format!("{base_en}; expired: a new security assessment is needed"),
                ),
                Status::DueSoon if cx.as_of >= opens => (
                    format!(
                        "{base_zh}；延期申请窗口自 {opens} 开放（届满前60个工作日内），请现在申请"
                    ),
                    format!(
                        "{base_en}; the extension window opened on {opens} (60 working days before expiry): apply now"
                    ),
                ),
                _ => (
                    format!("{base_zh}；可自 {opens} 起申请延期（届满前60个工作日内）"),
                    format!(
                        "{base_en}; an extension may be applied for from {opens} (within the 60 working days before expiry)"
                    ),
                ),
            };
            d.finish(
                status,
                Some(expires),
                Some(opens),
                Some(passed_on),
                Some(cx.as_of),
                remind,
                (zh, en),
                from,
            )
        }
        wd => {
            // 60 working days are at least 60 calendar days: from expiry − 60 calendar days the
            // window is certainly open; its exact opening is not computed.
            let surely_open = expires.add_days(-i64::from(window_days));
            let status = if cx.as_of > expires {
                Status::Overdue
            } else if cx.as_of >= surely_open {
                Status::DueSoon
            } else {
                status_for(cx.as_of, expires, cx.within, true)
            };
            let (nz, ne) = not_covered_note("延期申请窗口", "the extension window", &wd);
            d.finish(
                status,
                Some(expires),
                None,
                Some(passed_on),
                Some(cx.as_of),
                remind,
                (
                    format!("{base_zh}；{nz}；窗口最迟于 {surely_open} 已开放"),
                    format!("{base_en}; {ne}; the window is open by {surely_open} at the latest"),
                ),
                from,
            )
        }
    }
}

fn scc_filing(
    cx: &Cx<'_>,
    id: &str,
    effective_on: Date,
    filed_on: Option<Date>,
    from: Vec<Source>,
) -> Duty {
    let d = D::new(
        format!("xborder-scc-filing:{id}"),
        format!("数据出境 {id}：标准合同生效后10个工作日内向省级网信部门备案"),
        format!("Cross-border transfer {id}: file the standard contract with the provincial CAC within 10 working days"),
        &["SCC Measures", "Reg. 35(3)"],
        Confidence::Unconfirmed,
        DutyKind::Deadline,
    )
    .command("xiezhi xborder");
    if cx.as_of < ymd(SCC_MEASURES) {
        return d.not_applicable(
            "标准合同办法自 2023-06-01 起施行".into(),
            "the Standard Contract Measures are in force from 2023-06-01".into(),
            from,
        );
    }
    let filed = filed_on.filter(|f| *f <= cx.as_of);
    match working_days(effective_on, xborder::SCC_FILING_WORKING_DAYS, true) {
        Wd::Date(due) => match filed {
            Some(f) => d.finish(
                Status::Done,
                Some(due),
                None,
                Some(f),
                Some(cx.as_of),
                cx.within,
                (
                    format!(
                        "合同 {effective_on} 生效，截止 {due}，已于 {f} 备案{}",
                        if f > due { "（晚于截止日）" } else { "" }
                    ),
                    format!(
                        "contract in effect {effective_on}, due {due}, filed {f}{}",
                        if f > due { " (after the deadline)" } else { "" }
                    ),
                ),
                from,
            ),
            None => d.finish(
                status_for(cx.as_of, due, cx.within, false),
                Some(due),
                None,
                None,
                Some(cx.as_of),
                cx.within,
                (
                    format!("合同 {effective_on} 生效，10个工作日内备案，截止 {due}；备案后填写 filed"),
                    format!("contract in effect {effective_on}; file within 10 working days, by {due}; record `filed`"),
                ),
                from,
            ),
        },
        wd => {
            let (nz, ne) = not_covered_note("备案期限", "the filing deadline", &wd);
            let (status, bz, be) = match filed {
                Some(_) => (Status::Done, String::new(), String::new()),
                None => {
                    let (st, z, e) = undated_deadline(
                        cx.as_of,
                        effective_on,
                        xborder::SCC_FILING_WORKING_DAYS,
                    );
                    (st, format!("；{z}"), format!("; {e}"))
                }
            };
            d.finish(
                status,
                None,
                None,
                filed,
                Some(cx.as_of),
                cx.within,
                (
                    format!("合同 {effective_on} 生效；{nz}{bz}"),
                    format!("contract in effect {effective_on}; {ne}{be}"),
                ),
                from,
            )
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests;
