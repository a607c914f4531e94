//! Every clock an incident starts, run in parallel (catalog 4.9 last bullet, SR-INC-01).
//!
//! | id | duty | deadline | basis |
//! |---|---|---|---|
//! | `initial-report` (`.protection-dept` + `.public-security` for CII) | initial report | 1 h / 2 h / 4 h from detection by reporter type | Incident Measures art. 4 \[C2\] |
//! | `vuln-24h` | report a vulnerability endangering national security / public interest | 24 h from detection | Reg. art. 10 \[C2\] |
//! | `notify-affected` | notify affected people / organisations | promptly (no number) | Reg. art. 11, PIPL 57, Minors Reg. 35 \[C2\] |
//! | `pipl57-notify-authority` | notify the PI protection authority | promptly | PIPL 57 \[C2\] |
//! | `minors35-report` | report a minors' PI incident | promptly | Minors Reg. 35 \[OFF-1\] |
//! | `crime-referral` | report crime clues to public / state security | promptly | Reg. art. 11 \[C2\] |
//! | `supplementary-report` | supplement an incomplete initial report | no number ("report first, supplement later") | Incident Measures art. 7 \[C2\] |
//! | `summary-report` | summary report | 30 days after handling ends | Incident Measures art. 8 \[C2\] |
//!
//! Hour periods run from the moment of detection (Civil Code art. 201 para 2); a clock is
//! overdue only when `now` is strictly after `due` (the deadline instant itself is on time).
//! Day periods start the day after the triggering day and end at 24:00 Beijing time of the last
//! day (Civil Code arts. 201 para 1, 203); the holiday extension of art. 203 is **not** applied
//! (the earlier, safer date is used). No clock uses working days.
//!
//! "Promptly" (及时) has no number in any of the texts: such clocks have `due: None`, status
//! [`Status::Asap`], and show the time elapsed since they started instead of time left.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use xiezhi_model::Lang;

use crate::Confidence;
use crate::grade::Grading;
use crate::model::{Incident, ReporterType};
use crate::notice::Exemption;
use crate::report::ReportField;
use crate::time::{HOUR_MS, Timestamp, format_duration};

/// Clock id of the initial report (non-CII reporters).
pub const INITIAL_REPORT: &str = "initial-report";
/// Clock id of the CII initial report to the protection working department.
pub const INITIAL_REPORT_PROTECTION: &str = "initial-report.protection-dept";
/// Clock id of the CII initial report to public security.
pub const INITIAL_REPORT_POLICE: &str = "initial-report.public-security";
/// Clock id of the Reg. art. 10 24-hour vulnerability report.
pub const VULN_24H: &str = "vuln-24h";
/// Clock id of the notice to affected people (Reg. 11, PIPL 57).
pub const NOTIFY_AFFECTED: &str = "notify-affected";
/// Clock id of the PIPL 57 notice to the PI protection authority.
pub const PIPL57_AUTHORITY: &str = "pipl57-notify-authority";
/// Clock id of the Minors Reg. art. 35 report.
pub const MINORS35: &str = "minors35-report";
/// Clock id of the crime referral (Reg. art. 11).
pub const CRIME_REFERRAL: &str = "crime-referral";
/// Clock id of the supplementary report.
pub const SUPPLEMENTARY: &str = "supplementary-report";
/// Clock id of the 30-day summary report.
pub const SUMMARY: &str = "summary-report";

/// Summary report period in days (Incident Measures art. 8, catalog `incident.summary_days`) \[C2\].
pub const SUMMARY_DAYS: i64 = 30;
/// Reg. art. 10 vulnerability report period in hours (`reg.vuln_national_security_report_hours`) \[C2\].
pub const VULN_HOURS: i64 = 24;

/// Initial-report hours by reporter type (catalog `incident.report_hours.*`, Incident Measures
/// art. 4) \[C2\].
pub const fn initial_report_hours(r: ReporterType) -> i64 {
    match r {
        ReporterType::CiiOperator => 1,
        ReporterType::CentralStateOrgan => 2,
        ReporterType::Other => 4,
    }
}

/// What has been done so far: the record the clocks are computed against.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    /// Clock id → when its duty was performed (report submitted, notices sent…).
    #[serde(default)]
    pub done: BTreeMap<String, Timestamp>,
    /// When handling of the incident ended (starts the summary-report clock).
    #[serde(default)]
    pub handling_ended_at: Option<Timestamp>,
    /// Fields the submitted initial report lacked ([`crate::AuthorityReport::missing_fields`] at
    /// submission): non-empty starts the supplementary-report clock.
    #[serde(default)]
    pub initial_report_missing: Vec<ReportField>,
    /// The decision not to notify individuals (PIPL 57 para 2), with reasons.
    #[serde(default)]
    pub notice_exemption: Option<Exemption>,
    /// When the authority required the notice despite the exemption (PIPL 57 para 2).
    #[serde(default)]
    pub authority_required_notice_at: Option<Timestamp>,
}

impl Timeline {
    /// Records that the duty of clock `id` was done at `at`.
    pub fn mark_done(&mut self, id: &str, at: Timestamp) {
        self.done.insert(id.to_owned(), at);
    }
}

/// How a clock's deadline is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "n")]
pub enum Deadline {
    /// Hours from detection.
    Hours(i64),
    /// Calendar days after the triggering day, ending 24:00 Beijing time.
    DaysAfter(i64),
    /// "Promptly" (及时) — no number.
    Promptly,
}

/// State of a clock at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Running, not yet due.
    Running,
    /// Past due and not done.
    Overdue,
    /// Done on time (or a promptly-clock done).
    Done,
    /// Done after the deadline.
    DoneLate,
    /// Due as soon as possible (no number), not done.
    Asap,
    /// Not started: waiting for its trigger (e.g. end of handling).
    Waiting,
    /// Not required: exemption recorded (notice to individuals only).
    Exempted,
}

impl Status {
    /// Name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Running, Lang::ZhCn) => "计时中",
            (Status::Running, Lang::En) => "running",
            (Status::Overdue, Lang::ZhCn) => "已逾期",
            (Status::Overdue, Lang::En) => "overdue",
            (Status::Done, Lang::ZhCn) => "已完成",
            (Status::Done, Lang::En) => "done",
            (Status::DoneLate, Lang::ZhCn) => "逾期完成",
            (Status::DoneLate, Lang::En) => "done late",
            (Status::Asap, Lang::ZhCn) => "应及时履行",
            (Status::Asap, Lang::En) => "due promptly",
            (Status::Waiting, Lang::ZhCn) => "待触发",
            (Status::Waiting, Lang::En) => "waiting",
            (Status::Exempted, Lang::ZhCn) => "已决定免予通知",
            (Status::Exempted, Lang::En) => "exempted",
        }
    }
}

/// One clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clock {
    /// Stable id (see the module table).
    pub id: &'static str,
    /// The duty, zh-CN.
    pub duty_zh: String,
    /// The duty, en.
    pub duty_en: String,
    /// To whom, zh-CN.
    pub recipient_zh: &'static str,
    /// To whom, en.
    pub recipient_en: &'static str,
    /// Legal basis, zh-CN.
    pub basis_zh: String,
    /// Legal basis, en.
    pub basis_en: String,
    /// Confidence mark of the catalog entry.
    pub confidence: Confidence,
    /// How the deadline is set.
    pub deadline: Deadline,
    /// When the clock started (None while waiting).
    pub starts_at: Option<Timestamp>,
    /// The deadline instant (None for "promptly" and waiting clocks).
    pub due: Option<Timestamp>,
    /// `due − now` in ms (negative when overdue); None when no due or done.
    pub time_left_ms: Option<i64>,
    /// `now − starts_at` in ms, for "promptly" clocks not yet done.
    pub elapsed_ms: Option<i64>,
    /// Past due and not done.
    pub overdue: bool,
    /// When the duty was done.
    pub done: Option<Timestamp>,
    /// State at `now`.
    pub status: Status,
}

impl Clock {
    /// Duty in `lang`.
    pub fn duty(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.duty_zh,
            Lang::En => &self.duty_en,
        }
    }
    /// Basis in `lang`.
    pub fn basis(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.basis_zh,
            Lang::En => &self.basis_en,
        }
    }
}

struct Spec {
    id: &'static str,
    duty_zh: String,
    duty_en: String,
    recipient_zh: &'static str,
    recipient_en: &'static str,
    basis_zh: String,
    basis_en: String,
    confidence: Confidence,
    deadline: Deadline,
    starts_at: Option<Timestamp>,
}

fn run(s: Spec, tl: &Timeline, now: Timestamp) -> Clock {
    let due = match (s.deadline, s.starts_at) {
        (Deadline::Hours(h), Some(start)) => Some(start.plus_ms(h.saturating_mul(HOUR_MS))),
        (Deadline::DaysAfter(d), Some(start)) => Some(Timestamp::beijing_midnight(
            start.beijing_day().saturating_add(d).saturating_add(1),
        )),
        _ => None,
    };
    let done = tl.done.get(s.id).copied();
    let status = match (s.starts_at, due, done) {
        (None, _, None) => Status::Waiting,
        (_, Some(due), Some(d)) if d > due => Status::DoneLate,
        (_, _, Some(_)) => Status::Done,
        (Some(_), None, None) => Status::Asap,
        (Some(_), Some(due), None) if now > due => Status::Overdue,
        (Some(_), Some(_), None) => Status::Running,
    };
    let time_left_ms = match (due, done) {
        (Some(due), None) => Some(due.millis().saturating_sub(now.millis())),
        _ => None,
    };
    let elapsed_ms = match (status, s.starts_at) {
        (Status::Asap, Some(start)) => Some(now.millis().saturating_sub(start.millis())),
        _ => None,
    };
    Clock {
        id: s.id,
        duty_zh: s.duty_zh,
        duty_en: s.duty_en,
        recipient_zh: s.recipient_zh,
        recipient_en: s.recipient_en,
        basis_zh: s.basis_zh,
        basis_en: s.basis_en,
        confidence: s.confidence,
        deadline: s.deadline,
        starts_at: s.starts_at,
        due,
        time_left_ms,
        elapsed_ms,
        overdue: status == Status::Overdue,
        done,
        status,
    }
}

const MEASURES_ZH: &str = "《网络安全事件报告管理办法》";
const MEASURES_EN: &str = "Incident Reporting Measures";

/// Every clock that applies to `inc` given `grading`, as of `now`. Pure: `now` is passed in.
pub fn clocks_with(inc: &Incident, grading: &Grading, tl: &Timeline, now: Timestamp) -> Vec<Clock> {
    let mut specs = Vec::new();
    let det = Some(inc.detected_at);

    if grading.reportable {
        let h = initial_report_hours(inc.reporter);
        let duty_zh = format!(
            "首次报告（{}事件，{h}小时内）",
            grading.level.name(Lang::ZhCn)
        );
        let duty_en = format!(
            "initial report ({} incident, within {h} h)",
            grading.level.name(Lang::En)
        );
        let basis_zh = format!("{MEASURES_ZH}第四条");
        let basis_en = format!("{MEASURES_EN} art. 4");
        let recipients: &[(&'static str, &'static str, &'static str)] = match inc.reporter {
            ReporterType::CiiOperator => &[
                (
                    INITIAL_REPORT_PROTECTION,
                    "关键信息基础设施保护工作部门",
                    "CII protection working department",
                ),
                (INITIAL_REPORT_POLICE, "公安机关", "public security organ"),
            ],
            ReporterType::CentralStateOrgan => &[(
                INITIAL_REPORT,
                "本单位网信工作机构",
                "the organ's own cyber-affairs body",
            )],
            ReporterType::Other => &[(
                INITIAL_REPORT,
                "属地省级网信部门",
                "provincial cyberspace administration where located",
            )],
        };
        for &(id, rz, re) in recipients {
            specs.push(Spec {
                id,
                duty_zh: duty_zh.clone(),
                duty_en: duty_en.clone(),
                recipient_zh: rz,
                recipient_en: re,
                basis_zh: basis_zh.clone(),
                basis_en: basis_en.clone(),
                confidence: Confidence::C2,
                deadline: Deadline::Hours(h),
                starts_at: det,
            });
        }
    }

    if inc.endangers_national_security_or_public_interest {
        specs.push(Spec {
            id: VULN_24H,
            duty_zh: "报告危害国家安全、公共利益的安全缺陷或漏洞（24小时内）".into(),
            duty_en: "report the defect or vulnerability endangering national security or the public interest (within 24 h)".into(),
            recipient_zh: "有关主管部门",
            recipient_en: "competent authority",
            basis_zh: "《网络数据安全管理条例》第十条".into(),
            basis_en: "Network Data Regulation art. 10".into(),
            confidence: Confidence::C2,
            deadline: Deadline::Hours(VULN_HOURS),
            starts_at: det,
        });
    }

    let minors = inc.pi.as_ref().is_some_and(|p| p.involves_minors);
    if inc.harms_individuals_or_organisations || inc.involves_pi() {
        let mut bz = vec!["《网络数据安全管理条例》第十一条"];
        let mut be = vec!["Network Data Regulation art. 11"];
        if inc.involves_pi() {
            bz.push("《个人信息保护法》第五十七条");
            be.push("PIPL art. 57");
        }
        if minors {
            bz.push("《未成年人网络保护条例》第三十五条");
            be.push("Minors Regulation art. 35");
        }
        let starts_at = tl.authority_required_notice_at.or(det);
        specs.push(Spec {
            id: NOTIFY_AFFECTED,
            duty_zh: "及时通知受影响的个人和组织（事件、风险、后果、已采取的补救措施等）".into(),
            duty_en: "notify the affected individuals and organisations promptly (incident, risk, consequences, remedies taken, …)".into(),
            recipient_zh: "受影响的个人和组织",
            recipient_en: "affected individuals and organisations",
            basis_zh: bz.join("；"),
            basis_en: be.join("; "),
            confidence: Confidence::C2,
            deadline: Deadline::Promptly,
            starts_at,
        });
    }

    if inc.involves_pi() {
        specs.push(Spec {
            id: PIPL57_AUTHORITY,
            duty_zh: "通知履行个人信息保护职责的部门（个人信息泄露、篡改、丢失）".into(),
            duty_en: "notify the authority responsible for PI protection (PI leaked, tampered with or lost)".into(),
            recipient_zh: "履行个人信息保护职责的部门",
            recipient_en: "authority responsible for PI protection",
            basis_zh: "《个人信息保护法》第五十七条".into(),
            basis_en: "PIPL art. 57".into(),
            confidence: Confidence::C2,
            deadline: Deadline::Promptly,
            starts_at: det,
        });
    }
    if minors {
        specs.push(Spec {
            id: MINORS35,
            duty_zh: "及时报告未成年人个人信息安全事件".into(),
            duty_en: "report the minors' PI incident promptly".into(),
            recipient_zh: "网信等有关部门",
            recipient_en: "cyberspace administration and other competent authorities",
            basis_zh: "《未成年人网络保护条例》第三十五条".into(),
            basis_en: "Minors Regulation art. 35".into(),
            confidence: Confidence::Off1,
            deadline: Deadline::Promptly,
            starts_at: det,
        });
    }
    if inc.suspected_crime {
        specs.push(Spec {
            id: CRIME_REFERRAL,
            duty_zh: "及时向公安机关、国家安全机关报告违法犯罪线索并配合处置".into(),
            duty_en:
                "report crime clues to public security / state security promptly and cooperate"
                    .into(),
            recipient_zh: "公安机关、国家安全机关",
            recipient_en: "public security / state security organs",
            basis_zh: format!("《网络数据安全管理条例》第十一条；{MEASURES_ZH}"),
            basis_en: format!("Network Data Regulation art. 11; {MEASURES_EN}"),
            confidence: Confidence::C2,
            deadline: Deadline::Promptly,
            starts_at: det,
        });
    }

    if grading.reportable {
        let initial_done = [
            INITIAL_REPORT,
            INITIAL_REPORT_PROTECTION,
            INITIAL_REPORT_POLICE,
        ]
        .iter()
        .filter_map(|id| tl.done.get(*id))
        .min()
        .copied();
        if let (Some(at), false) = (initial_done, tl.initial_report_missing.is_empty()) {
            let missing_zh: Vec<&str> = tl
                .initial_report_missing
                .iter()
                .map(|f| f.name(Lang::ZhCn))
                .collect();
            let missing_en: Vec<&str> = tl
                .initial_report_missing
                .iter()
                .map(|f| f.name(Lang::En))
                .collect();
            specs.push(Spec {
                id: SUPPLEMENTARY,
                duty_zh: format!("补充报告：{}", missing_zh.join("、")),
                duty_en: format!("supplementary report: {}", missing_en.join(", ")),
                recipient_zh: "首次报告的接收部门",
                recipient_en: "recipient of the initial report",
                basis_zh: format!("{MEASURES_ZH}第七条（先行报告、后续补报）"),
                basis_en: format!("{MEASURES_EN} art. 7 (report first, supplement later)"),
                confidence: Confidence::C2,
                deadline: Deadline::Promptly,
                starts_at: Some(at),
            });
        }
        specs.push(Spec {
            id: SUMMARY,
            duty_zh: format!("事件处置结束后{SUMMARY_DAYS}日内提交总结报告（原因、措施、危害、责任处理、整改、教训）"),
            duty_en: format!("summary report within {SUMMARY_DAYS} days after handling ends (cause, measures, harm, accountability, rectification, lessons)"),
            recipient_zh: "原报送渠道",
            recipient_en: "the original reporting channel",
            basis_zh: format!("{MEASURES_ZH}第八条"),
            basis_en: format!("{MEASURES_EN} art. 8"),
            confidence: Confidence::C2,
            deadline: Deadline::DaysAfter(SUMMARY_DAYS),
            starts_at: tl.handling_ended_at,
        });
    }

    let exempt = tl.notice_exemption.is_some() && tl.authority_required_notice_at.is_none();
    specs
        .into_iter()
        .map(|s| {
            let mut c = run(s, tl, now);
            if c.id == NOTIFY_AFFECTED && exempt && c.done.is_none() {
                c.status = Status::Exempted;
                c.elapsed_ms = None;
            }
            c
        })
        .collect()
}

/// [`clocks_with`] after grading the incident.
pub fn clocks(inc: &Incident, tl: &Timeline, now: Timestamp) -> Vec<Clock> {
    clocks_with(inc, &crate::grade::grade(inc), tl, now)
}

/// The clocks as a Markdown table (status, time left or elapsed, due in Beijing time, basis).
pub fn render_clocks(clocks: &[Clock], lang: Lang) -> String {
    let mut s = String::new();
    match lang {
        Lang::ZhCn => s.push_str("| 义务 | 对象 | 状态 | 期限（北京时间） | 剩余 | 依据 |\n|---|---|---|---|---|---|\n"),
        Lang::En => s.push_str("| Duty | To | Status | Due (Beijing time) | Left | Basis |\n|---|---|---|---|---|---|\n"),
    }
    for c in clocks {
        let due = c.due.map_or_else(
            || match (lang, c.status) {
                (Lang::ZhCn, Status::Waiting) => "待处置结束后起算".to_owned(),
                (Lang::En, Status::Waiting) => "starts when handling ends".to_owned(),
                (Lang::ZhCn, _) => "及时（无具体时限）".to_owned(),
                (Lang::En, _) => "promptly (no fixed time)".to_owned(),
            },
            |d| d.to_beijing(lang),
        );
        let left = match (c.time_left_ms, c.elapsed_ms) {
            (Some(ms), _) => format_duration(ms, lang),
            (None, Some(el)) => match lang {
                Lang::ZhCn => format!("已过{}", format_duration(el, lang)),
                Lang::En => format!("{} elapsed", format_duration(el, lang)),
            },
            _ => "—".to_owned(),
        };
        let to = match lang {
            Lang::ZhCn => c.recipient_zh,
            Lang::En => c.recipient_en,
        };
        s.push_str(&format!(
            "| {} | {to} | {} | {due} | {left} | {} {} |\n",
            c.duty(lang),
            c.status.name(lang),
            c.basis(lang),
            c.confidence.mark()
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IncidentKind, PiImpact, Text};
    use crate::time::DAY_MS;

    fn t(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    fn leak(reporter: ReporterType, people: u64) -> Incident {
        let mut i = Incident::new(
            "INC",
            Text::zh("泄露"),
            IncidentKind::DataLeak,
            reporter,
            t("2026-03-01T10:00:00+08:00"),
        );
        i.pi = Some(PiImpact {
            people,
            ..PiImpact::default()
        });
        i
    }

    fn find<'a>(cs: &'a [Clock], id: &str) -> &'a Clock {
        cs.iter().find(|c| c.id == id).unwrap()
    }

    #[test]
    fn initial_report_hours_by_reporter_with_ms_boundaries() {
        for (r, h, ids) in [
            (
                ReporterType::CiiOperator,
                1,
                &[INITIAL_REPORT_PROTECTION, INITIAL_REPORT_POLICE][..],
            ),
            (ReporterType::CentralStateOrgan, 2, &[INITIAL_REPORT][..]),
            (ReporterType::Other, 4, &[INITIAL_REPORT][..]),
        ] {
            let inc = leak(r, 1_000_000);
            let due = inc.detected_at.plus_ms(h * HOUR_MS);
            let tl = Timeline::default();
            for id in ids {
                let before = clocks(&inc, &tl, due.plus_ms(-1));
                let c = find(&before, id);
                assert_eq!(c.due, Some(due), "{r:?}");
                assert_eq!(
                    (c.status, c.overdue, c.time_left_ms),
                    (Status::Running, false, Some(1))
                );
                let at = clocks(&inc, &tl, due);
                assert!(!find(&at, id).overdue, "deadline instant is on time");
                let after = clocks(&inc, &tl, due.plus_ms(1));
                let c = find(&after, id);
                assert_eq!(
                    (c.status, c.overdue, c.time_left_ms),
                    (Status::Overdue, true, Some(-1))
                );
            }
            // Other reporters' deadlines do not appear.
            let cs = clocks(&inc, &tl, inc.detected_at);
            assert_eq!(
                cs.iter()
                    .filter(|c| c.id.starts_with("initial-report"))
                    .count(),
                ids.len()
            );
        }
    }

    #[test]
    fn general_incident_has_no_initial_report_but_pipl_clocks() {
        let inc = leak(ReporterType::Other, 999_999);
        let cs = clocks(&inc, &Timeline::default(), inc.detected_at);
        assert!(
            cs.iter()
                .all(|c| !c.id.starts_with("initial-report") && c.id != SUMMARY)
        );
        assert_eq!(find(&cs, NOTIFY_AFFECTED).status, Status::Asap);
        assert_eq!(find(&cs, PIPL57_AUTHORITY).due, None);
        let cs = clocks(
            &leak(ReporterType::Other, 1_000_000),
            &Timeline::default(),
            inc.detected_at,
        );
        assert!(cs.iter().any(|c| c.id == INITIAL_REPORT));
    }

    #[test]
    fn vulnerability_24h() {
        let mut inc = leak(ReporterType::Other, 0);
        inc.pi = None;
        inc.kind = IncidentKind::Vulnerability;
        inc.endangers_national_security_or_public_interest = true;
        let due = inc.detected_at.plus_ms(24 * HOUR_MS);
        let tl = Timeline::default();
        let c = find(&clocks(&inc, &tl, due.plus_ms(-1)), VULN_24H).clone();
        assert_eq!((c.due, c.overdue), (Some(due), false));
        assert!(find(&clocks(&inc, &tl, due.plus_ms(1)), VULN_24H).overdue);
        assert_eq!(
            clocks(&inc, &tl, due).len(),
            1,
            "only the 24 h clock applies"
        );
    }

    #[test]
    fn summary_thirty_days_after_handling_ends() {
        let inc = leak(ReporterType::Other, 2_000_000);
        let mut tl = Timeline::default();
        let c = find(&clocks(&inc, &tl, inc.detected_at), SUMMARY).clone();
        assert_eq!((c.status, c.due), (Status::Waiting, None));
        // Handling ends 15:00 on 1 Mar: day 1 is 2 Mar, day 30 is 31 Mar, due 24:00 that day.
        tl.handling_ended_at = Some(t("2026-03-01T15:00:00+08:00"));
        let due = t("2026-04-01T00:00:00+08:00");
        let c = find(&clocks(&inc, &tl, due.plus_ms(-1)), SUMMARY).clone();
        assert_eq!(
            (c.due, c.overdue, c.status),
            (Some(due), false, Status::Running)
        );
        assert!(find(&clocks(&inc, &tl, due.plus_ms(1)), SUMMARY).overdue);
        tl.mark_done(SUMMARY, due.plus_ms(1));
        assert_eq!(
            find(&clocks(&inc, &tl, due.plus_ms(2)), SUMMARY).status,
            Status::DoneLate
        );
        tl.mark_done(SUMMARY, due);
        assert_eq!(
            find(&clocks(&inc, &tl, due.plus_ms(2)), SUMMARY).status,
            Status::Done
        );
    }

    #[test]
    fn supplement_and_exemption() {
        let inc = leak(ReporterType::Other, 2_000_000);
        let mut tl = Timeline::default();
        tl.mark_done(INITIAL_REPORT, inc.detected_at.plus_ms(HOUR_MS));
        assert!(
            clocks(&inc, &tl, inc.detected_at)
                .iter()
                .all(|c| c.id != SUPPLEMENTARY)
        );
        tl.initial_report_missing = vec![ReportField::PreliminaryCause];
        let cs = clocks(&inc, &tl, inc.detected_at.plus_ms(2 * HOUR_MS));
        let s = find(&cs, SUPPLEMENTARY);
        assert_eq!((s.status, s.elapsed_ms), (Status::Asap, Some(HOUR_MS)));
        assert_eq!(find(&cs, INITIAL_REPORT).status, Status::Done);

        tl.notice_exemption =
            Some(Exemption::new(vec!["数据已加密且密钥未泄露".into()], inc.detected_at).unwrap());
        assert_eq!(
            find(&clocks(&inc, &tl, inc.detected_at), NOTIFY_AFFECTED).status,
            Status::Exempted
        );
        let req = inc.detected_at.plus_ms(DAY_MS);
        tl.authority_required_notice_at = Some(req);
        let c = find(&clocks(&inc, &tl, req.plus_ms(5)), NOTIFY_AFFECTED).clone();
        assert_eq!(
            (c.status, c.starts_at, c.elapsed_ms),
            (Status::Asap, Some(req), Some(5))
        );
    }

    #[test]
    fn minors_and_crime_clocks() {
        let mut inc = leak(ReporterType::Other, 10);
        if let Some(p) = inc.pi.as_mut() {
            p.involves_minors = true;
        }
        inc.suspected_crime = true;
        let cs = clocks(&inc, &Timeline::default(), inc.detected_at);
        assert!(find(&cs, NOTIFY_AFFECTED).basis_zh.contains("第三十五条"));
        assert_eq!(find(&cs, MINORS35).confidence, Confidence::Off1);
        assert_eq!(find(&cs, CRIME_REFERRAL).status, Status::Asap);
        let md = render_clocks(&cs, Lang::En);
        assert!(md.contains("promptly (no fixed time)"));
    }
}
