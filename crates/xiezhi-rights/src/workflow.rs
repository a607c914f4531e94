//! The request workflow (SR-DSR-01/02): received → identity verified → in progress →
//! completed / partly completed / refused. Every step is one store transaction with its audit
//! event; a refusal or a partial completion without reasons is rejected (PIPL 50), and a
//! refusal to a minor comes with a written notice (Minors Regulation art. 34).

use serde_json::json;
use xiezhi_decide::Millis;
use xiezhi_model::calendar::PrcCalendar;
use xiezhi_store::{
    NewRightsRequest, RightsFilter, RightsKind, RightsRequest, RightsTransition, Store, StoreError,
    china_date,
};

use crate::deadline::{self, SlaConfig, Urgency};

/// The states.
pub mod state {
    /// Recorded, identity not yet verified.
    pub const RECEIVED: &str = "received";
    /// The requester's identity was verified.
    pub const IDENTITY_VERIFIED: &str = "identity_verified";
    /// Being executed.
    pub const IN_PROGRESS: &str = "in_progress";
    /// Done.
    pub const COMPLETED: &str = "completed";
    /// Done in part, with reasons (e.g. rows under a legal hold kept storage-only).
    pub const PARTLY_COMPLETED: &str = "partly_completed";
    /// Refused, with reasons.
    pub const REFUSED: &str = "refused";
    /// States that are still open.
    pub const OPEN: [&str; 3] = [RECEIVED, IDENTITY_VERIFIED, IN_PROGRESS];
    /// Every state.
    pub const ALL: [&str; 6] = [
        RECEIVED,
        IDENTITY_VERIFIED,
        IN_PROGRESS,
        COMPLETED,
        PARTLY_COMPLETED,
        REFUSED,
    ];
}

/// Who asks.
pub const REQUESTERS: [&str; 4] = ["self", "guardian", "close_relative", "agent"];

/// Fewest characters a reason may have.
pub const MIN_REASON_CHARS: usize = 4;

/// Errors of the workflow.
#[derive(Debug, thiserror::Error)]
pub enum RightsError {
    /// A refusal without reasons (PIPL 50).
    #[error(
        "a refusal must state its reasons (PIPL art. 50; at least {MIN_REASON_CHARS} characters): say why, e.g. the legal retention duty or why identity could not be verified · 拒绝须说明理由"
    )]
    RefusalWithoutReasons,
    /// A partial completion without reasons.
    #[error(
        "a partial completion must state what was not done and why (e.g. rows kept storage-only under a legal hold) · 部分完成须说明理由"
    )]
    PartialWithoutReasons,
    /// Work on a request whose identity is not verified.
    #[error(
        "rights request '{id}' is '{state}': verify the requester's identity first (SR-ID-03) · 请先核验身份"
    )]
    NotVerified {
        /// Request id.
        id: String,
        /// Its state.
        state: String,
    },
    /// Unknown requester kind.
    #[error("unknown requester '{0}'; use self, guardian, close_relative or agent")]
    Requester(String),
    /// A close relative's request must be of the deceased-relative kind.
    #[error(
        "a close relative of a deceased person files kind `deceased_relative` (PIPL 49), naming the rights in the details"
    )]
    RelativeKind,
    /// Not a state.
    #[error(
        "unknown state '{0}'; use open or one of received, identity_verified, in_progress, completed, partly_completed, refused"
    )]
    UnknownState(String),
    /// Not a kind.
    #[error(
        "unknown request kind '{0}'; use one of access, copy, correct, supplement, delete, restrict, transfer, cancel_account, withdraw_consent, explain_rules, deceased_relative"
    )]
    UnknownKind(String),
    /// Not a date.
    #[error("'{0}' is not a date; write YYYY-MM-DD")]
    BadDate(String),
    /// Storage failed or the request is not in a state the step may start from.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What is being filed.
#[derive(Debug, Clone)]
pub struct Intake<'a> {
    /// The subject the request is about.
    pub subject: &'a str,
    /// What is asked.
    pub kind: RightsKind,
    /// The person's own words (kept as PI, apart from the audit chain).
    pub details: Option<&'a str>,
    /// `privacy-center`, `api`, `cli`.
    pub channel: &'a str,
    /// `self`, `guardian`, `close_relative`, `agent`.
    pub requester: &'a str,
    /// Identity verified at intake (e.g. the platform-signed user token): method and the
    /// minimal reference kept.
    pub verified: Option<(&'a str, Option<&'a str>)>,
    /// Audit actor.
    pub actor: &'a str,
    /// When.
    pub at: Millis,
}

/// The workflow over a store.
#[derive(Debug, Clone, Copy)]
pub struct Workflow<'a> {
    store: &'a Store,
    sla: &'a SlaConfig,
    cal: &'static PrcCalendar,
}

/// Open requests by urgency.
#[derive(Debug, Clone, Default)]
pub struct DueLists {
    /// Past due.
    pub overdue: Vec<RightsRequest>,
    /// Due soon.
    pub due_soon: Vec<RightsRequest>,
    /// No due date could be computed (calendar not covering the year).
    pub no_due_date: Vec<RightsRequest>,
    /// The rest of the open requests.
    pub on_track: Vec<RightsRequest>,
}

fn reasons_ok(r: &str) -> bool {
    r.trim().chars().count() >= MIN_REASON_CHARS
}

impl<'a> Workflow<'a> {
    /// A workflow over `store` with deadlines `sla` and the PRC calendar.
    pub fn new(store: &'a Store, sla: &'a SlaConfig, cal: &'static PrcCalendar) -> Self {
        Workflow { store, sla, cal }
    }

    /// The store the workflow writes to.
    pub fn store(&self) -> &'a Store {
        self.store
    }

    /// The deadlines in use.
    pub fn sla(&self) -> &SlaConfig {
        self.sla
    }

    /// Records a request with its due date. A request is never refused at intake because the
    /// calendar lacks a year: it is recorded with the reason there is no due date.
    pub async fn intake(&self, i: Intake<'_>) -> Result<RightsRequest, RightsError> {
        if !REQUESTERS.contains(&i.requester) {
            return Err(RightsError::Requester(i.requester.to_owned()));
        }
        if i.requester == "close_relative" && i.kind != RightsKind::DeceasedRelative {
            return Err(RightsError::RelativeKind);
        }
        let received = deadline::parse_date(&china_date(i.at)).unwrap_or((1970, 1, 1));
        let (due_date, due_rule, due_error) =
            match deadline::due_date(received, i.kind, self.sla, self.cal) {
                Ok(d) => (Some(d.date), Some(d.rule), None),
                Err(e) => (
                    None,
                    Some(deadline::rule_text(self.sla.sla(i.kind))),
                    Some(e.to_string()),
                ),
            };
        Ok(self
            .store
            .record_rights_request(NewRightsRequest {
                subject: i.subject,
                kind: i.kind,
                details: i.details,
                channel: i.channel,
                requester: i.requester,
                due_date,
                due_rule,
                due_error,
                verified: i.verified,
                actor: i.actor,
                at: i.at,
            })
            .await?)
    }

    /// Records that the requester's identity was verified by `method`, keeping only
    /// `identity_ref` (e.g. the 网号) — never an ID number.
    pub async fn verify_identity(
        &self,
        id: &str,
        method: &str,
        identity_ref: Option<&str>,
        actor: &str,
        at: Millis,
    ) -> Result<RightsRequest, RightsError> {
        Ok(self
            .store
            .transition_rights_request(
                id,
                RightsTransition {
                    from: &[state::RECEIVED],
                    to: state::IDENTITY_VERIFIED,
                    verified: Some((method, identity_ref)),
                    actor,
                    at,
                    ..RightsTransition::default()
                },
            )
            .await?)
    }

    /// Starts execution (approval by staff). Identity must be verified.
    pub async fn start(
        &self,
        id: &str,
        actor: &str,
        at: Millis,
    ) -> Result<RightsRequest, RightsError> {
        let r = self.get(id).await?;
        if r.state == state::RECEIVED {
            return Err(RightsError::NotVerified {
                id: id.to_owned(),
                state: r.state,
            });
        }
        Ok(self
            .store
            .transition_rights_request(
                id,
                RightsTransition {
                    from: &[state::IDENTITY_VERIFIED],
                    to: state::IN_PROGRESS,
                    actor,
                    at,
                    ..RightsTransition::default()
                },
            )
            .await?)
    }

    /// Completes a request in progress with its outcome.
    pub async fn complete(
        &self,
        id: &str,
        result: serde_json::Value,
        actor: &str,
        at: Millis,
    ) -> Result<RightsRequest, RightsError> {
        Ok(self
            .store
            .transition_rights_request(
                id,
                RightsTransition {
                    from: &[state::IN_PROGRESS],
                    to: state::COMPLETED,
                    result: Some(result),
                    closes: true,
                    actor,
                    at,
                    ..RightsTransition::default()
                },
            )
            .await?)
    }

    /// Completes a request in part; `reasons` say what was not done and why.
    pub async fn complete_partly(
        &self,
        id: &str,
        reasons: &str,
        result: serde_json::Value,
        actor: &str,
        at: Millis,
    ) -> Result<RightsRequest, RightsError> {
        if !reasons_ok(reasons) {
            return Err(RightsError::PartialWithoutReasons);
        }
        Ok(self
            .store
            .transition_rights_request(
                id,
                RightsTransition {
                    from: &[state::IN_PROGRESS],
                    to: state::PARTLY_COMPLETED,
                    reasons: Some(reasons.trim()),
                    result: Some(result),
                    closes: true,
                    actor,
                    at,
                    ..RightsTransition::default()
                },
            )
            .await?)
    }

    /// Refuses an open request with reasons. When the subject is a minor the outcome carries
    /// a written refusal notice in Chinese and English.
    pub async fn refuse(
        &self,
        id: &str,
        reasons: &str,
        actor: &str,
        at: Millis,
    ) -> Result<RightsRequest, RightsError> {
        if !reasons_ok(reasons) {
            return Err(RightsError::RefusalWithoutReasons);
        }
        let r = self.get(id).await?;
        let subject = self.store.load_subject(&r.subject).await?;
        let minor = subject.minor.under_14;
        let result = if minor {
            json!({ "written_notice": {
                "zh-CN": refusal_notice(&r, reasons.trim(), true),
                "en": refusal_notice(&r, reasons.trim(), false),
            }})
        } else {
            json!({})
        };
        Ok(self
            .store
            .transition_rights_request(
                id,
                RightsTransition {
                    from: &state::OPEN,
                    to: state::REFUSED,
                    reasons: Some(reasons.trim()),
                    result: Some(result),
                    closes: true,
                    actor,
                    at,
                    ..RightsTransition::default()
                },
            )
            .await?)
    }

    /// One request.
    pub async fn get(&self, id: &str) -> Result<RightsRequest, RightsError> {
        self.store
            .get_rights_request(id)
            .await?
            .ok_or_else(|| RightsError::Store(StoreError::RightsNotFound { id: id.to_owned() }))
    }

    /// Open requests sorted by urgency as of `today` (China date).
    pub async fn due_lists(&self, today: (i32, u32, u32)) -> Result<DueLists, RightsError> {
        let open = self
            .store
            .query_rights_requests(&RightsFilter {
                states: state::OPEN.iter().map(|s| (*s).to_owned()).collect(),
                limit: 100_000,
                ..RightsFilter::default()
            })
            .await?;
        let mut lists = DueLists::default();
        for r in open {
            match deadline::urgency(r.due_date.as_deref(), today, self.sla, self.cal) {
                Urgency::Overdue => lists.overdue.push(r),
                Urgency::DueSoon => lists.due_soon.push(r),
                Urgency::Unknown => lists.no_due_date.push(r),
                Urgency::OnTrack => lists.on_track.push(r),
            }
        }
        for l in [&mut lists.overdue, &mut lists.due_soon, &mut lists.on_track] {
            l.sort_by(|a, b| {
                a.due_date
                    .cmp(&b.due_date)
                    .then(a.received_at.cmp(&b.received_at))
            });
        }
        Ok(lists)
    }
}

/// The written refusal notice (zh-CN when `zh`).
pub fn refusal_notice(r: &RightsRequest, reasons: &str, zh: bool) -> String {
    let received = china_date(r.received_at);
    if zh {
        format!(
            "关于您的个人信息权利请求（编号 {}，{} 收到，类型：{}）的书面答复：\n经审核，我们不能办理该请求，理由如下：\n{}\n如有异议，您或您的监护人可以通过隐私中心再次提出请求，或向网信部门投诉、举报。",
            r.id,
            received,
            kind_zh(r.kind),
            reasons
        )
    } else {
        format!(
            "Written reply to your personal-information rights request {} (received {}, kind: {}):\nAfter review we cannot carry out the request, for these reasons:\n{}\nIf you disagree, you or your guardian may file the request again in the privacy center, or complain to the cyberspace administration.",
            r.id,
            received,
            r.kind.as_str(),
            reasons
        )
    }
}

/// The Chinese name of a kind.
pub fn kind_zh(k: RightsKind) -> &'static str {
    match k {
        RightsKind::Access => "查阅",
        RightsKind::Copy => "复制",
        RightsKind::Correct => "更正",
        RightsKind::Supplement => "补充",
        RightsKind::Delete => "删除",
        RightsKind::Restrict => "限制处理",
        RightsKind::Transfer => "转移",
        RightsKind::CancelAccount => "注销账号",
        RightsKind::WithdrawConsent => "撤回同意",
        RightsKind::ExplainRules => "解释说明处理规则",
        RightsKind::DeceasedRelative => "近亲属行使死者权利",
    }
}

/// Parses a state filter: a comma list of states, `open` standing for every open state.
pub fn parse_states(list: &str) -> Result<Vec<String>, RightsError> {
    let mut states = Vec::new();
    for s in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if s == "open" {
            states.extend(state::OPEN.map(str::to_owned));
        } else if state::ALL.contains(&s) {
            states.push(s.to_owned());
        } else {
            return Err(RightsError::UnknownState(s.to_owned()));
        }
    }
    Ok(states)
}

/// Parses a request kind, naming the known ones when it is not one.
pub fn parse_kind(s: &str) -> Result<RightsKind, RightsError> {
    RightsKind::parse(s).ok_or_else(|| RightsError::UnknownKind(s.to_owned()))
}

/// The statistics window `[from, to)` in milliseconds from China dates, defaulting to the
/// calendar year of `now`; returns the dates used too.
pub fn stats_window(
    from: Option<&str>,
    to: Option<&str>,
    now: Millis,
) -> Result<(Millis, Millis, String, String), RightsError> {
    let year: i32 = china_date(now)[..4].parse().unwrap_or(2026);
    let from = from.map_or_else(|| format!("{year}-01-01"), str::to_owned);
    let to = to.map_or_else(|| format!("{}-01-01", year + 1), str::to_owned);
    let midnight = |d: &str| {
        let (y, m, dd) =
            deadline::parse_date(d).ok_or_else(|| RightsError::BadDate(d.to_owned()))?;
        let days = xiezhi_model::calendar::days_from_civil(y, m, dd)
            .ok_or_else(|| RightsError::BadDate(d.to_owned()))?;
        Ok::<_, RightsError>(days * 86_400_000 - 8 * 3_600_000)
    };
    Ok((midnight(&from)?, midnight(&to)?, from, to))
}
