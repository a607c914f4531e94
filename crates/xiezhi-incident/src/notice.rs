//! Notices to affected people (Reg. art. 11, PIPL 57, SR-INC-03) and the exemption decision.
//!
//! Required content (PIPL 57 para 1, Reg. art. 11, \[C2\]): what happened and the risk; the PI
//! types involved; the cause; the possible harm; the remedial measures taken; what the person
//! can do to reduce harm; the contact. [`Notice::new`] refuses a draft that lacks any of them.
//!
//! Channels ([`Channel`]): SMS (a short text that links to the full notice), e-mail (subject +
//! body), in-app (also used for instant messaging) and public announcement (Reg. art. 11 also
//! names phone calls: read the in-app text). zh-CN by default, en available.
//!
//! SMS length: Chinese SMS gateways send every message as UCS-2 (also for English text, and the
//! 【signature】 counts): one segment holds **70** UTF-16 code units, a concatenated message
//! **67** per segment. [`sms_segments`] computes this; [`Notice::render`] picks the longest short
//! text that fits `sms_max_segments` and fails with [`NoticeError::SmsTooLong`] otherwise.
//!
//! Exemption (PIPL 57 para 2, \[C2\]): when the measures taken effectively avoid harm from the
//! leak, tampering or loss, the notice to individuals may be skipped — but the authority may
//! still require it. [`Exemption::new`] records the decision and requires reasons.

use serde::{Deserialize, Serialize};
use xiezhi_model::{Lang, PiType};

use crate::model::{Incident, IncidentKind, Text};
use crate::time::Timestamp;

/// UTF-16 units in a single UCS-2 SMS.
pub const SMS_SINGLE_UNITS: usize = 70;
/// UTF-16 units per segment of a concatenated UCS-2 SMS (3 units go to the UDH).
pub const SMS_CONCAT_UNITS: usize = 67;

/// UTF-16 code units of `s` (characters outside the BMP count twice).
pub fn sms_units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Segments needed for `units` UTF-16 units: ≤ 70 → 1, otherwise ⌈units / 67⌉ (0 for empty).
pub fn sms_segments(units: usize) -> usize {
    if units == 0 {
        0
    } else if units <= SMS_SINGLE_UNITS {
        1
    } else {
        units.div_ceil(SMS_CONCAT_UNITS)
    }
}

/// A delivery channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 短信 — short text linking to the full notice.
    Sms,
    /// 电子邮件 — subject and body.
    Email,
    /// 应用内消息 / 即时通信 — title and body.
    InApp,
    /// 公告 — public announcement (when individual notice is impractical).
    Announcement,
}

fn default_max_segments() -> usize {
    1
}

/// What the operator writes for a notice. Free text must not quote leaked data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeDraft {
    /// The organisation sending the notice (the PI processor).
    pub organisation: Text,
    /// 【signature】 for SMS (registered SMS signature), without the brackets.
    pub sms_signature: String,
    /// 事件及风险情况 — what happened and the risk.
    pub what_happened: Text,
    /// 原因 — the cause.
    pub cause: Text,
    /// 可能造成的危害 — possible harm.
    pub possible_harm: Text,
    /// 已采取的补救措施 — remedial measures taken.
    pub remedies_taken: Text,
    /// 个人可以采取的减轻危害的措施 — what the person can do.
    pub what_you_can_do: Text,
    /// 联系方式 — contact (hotline, mailbox).
    pub contact: String,
    /// Where the full notice is published (`https://…`); the SMS links to it.
    pub full_notice_url: String,
    /// Maximum SMS segments (default 1).
    #[serde(default = "default_max_segments")]
    pub sms_max_segments: usize,
}

/// Errors building or rendering a notice. Messages name fields, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// Required content is missing.
    #[error(
        "notice field `{0}` is empty; PIPL 57 / Reg. art. 11 require it in every notice to affected people"
    )]
    Missing(&'static str),
    /// The incident names no PI types.
    #[error(
        "the incident names no PI types (`pi.types`); PIPL 57 requires the notice to state the types of personal information involved"
    )]
    NoPiTypes,
    /// The URL of the full notice is not http(s).
    #[error("notice field `full_notice_url` must be an http:// or https:// address")]
    BadUrl,
    /// Not even the shortest SMS fits.
    #[error(
        "the shortest SMS needs {units} UCS-2 units = {segments} segments (70 for one, 67 each when concatenated), more than `sms_max_segments` = {max}; shorten `sms_signature` or `full_notice_url`, or raise `sms_max_segments`"
    )]
    SmsTooLong {
        /// UTF-16 units of the shortest candidate.
        units: usize,
        /// Segments it needs.
        segments: usize,
        /// Configured maximum.
        max: usize,
    },
    /// `sms_max_segments` is 0.
    #[error("notice field `sms_max_segments` must be at least 1")]
    ZeroSegments,
}

/// A notice ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    kind: IncidentKind,
    detected_at: Timestamp,
    pi_types: Vec<PiType>,
    draft: NoticeDraft,
}

/// A notice rendered for one channel and language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// Channel.
    pub channel: Channel,
    /// Subject (e-mail) or title (in-app, announcement); None for SMS.
    pub subject: Option<String>,
    /// The text.
    pub body: String,
    /// SMS only: UTF-16 units and segments.
    pub sms: Option<SmsSize>,
}

/// Size of an SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SmsSize {
    /// UTF-16 code units.
    pub units: usize,
    /// Segments.
    pub segments: usize,
}

impl Notice {
    /// Checks the draft against the required content and the incident's PI types.
    pub fn new(inc: &Incident, draft: NoticeDraft) -> Result<Notice, NoticeError> {
        let texts: [(&'static str, &Text); 6] = [
            ("organisation", &draft.organisation),
            ("what_happened", &draft.what_happened),
            ("cause", &draft.cause),
            ("possible_harm", &draft.possible_harm),
            ("remedies_taken", &draft.remedies_taken),
            ("what_you_can_do", &draft.what_you_can_do),
        ];
        for (name, t) in texts {
            if t.is_blank() {
                return Err(NoticeError::Missing(name));
            }
        }
        if draft.contact.trim().is_empty() {
            return Err(NoticeError::Missing("contact"));
        }
        if draft.sms_signature.trim().is_empty() {
            return Err(NoticeError::Missing("sms_signature"));
        }
        let url = draft.full_notice_url.trim();
        if url.is_empty() {
            return Err(NoticeError::Missing("full_notice_url"));
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(' ') {
            return Err(NoticeError::BadUrl);
        }
        if draft.sms_max_segments == 0 {
            return Err(NoticeError::ZeroSegments);
        }
        let pi_types = inc.pi.as_ref().map(|p| p.types.clone()).unwrap_or_default();
        if pi_types.is_empty() {
            return Err(NoticeError::NoPiTypes);
        }
        Ok(Notice {
            kind: inc.kind,
            detected_at: inc.detected_at,
            pi_types,
            draft,
        })
    }

    fn types(&self, lang: Lang) -> String {
        let names: Vec<&str> = self.pi_types.iter().map(|t| t.name(lang)).collect();
        names.join(if lang == Lang::ZhCn { "、" } else { ", " })
    }

    fn date(&self, lang: Lang) -> String {
        let s = self.detected_at.to_beijing(lang);
        s.chars().take(10).collect()
    }

    /// The SMS candidates, longest first.
    fn sms_candidates(&self, lang: Lang) -> Vec<String> {
        let d = &self.draft;
        let sig = d.sms_signature.trim();
        let org = d.organisation.get(lang);
        let url = d.full_notice_url.trim();
        let contact = d.contact.trim();
        let kind = self.kind.name(lang);
        let types = self.types(lang);
        match lang {
            Lang::ZhCn => vec![
                format!(
                    "【{sig}】{org}通知：我们发生了{kind}事件，您的{types}可能受影响。详情及应对建议：{url} 咨询：{contact}"
                ),
                format!(
                    "【{sig}】{org}通知：我们发生了{kind}事件，您的{types}可能受影响。详情及应对建议：{url}"
                ),
                format!(
                    "【{sig}】{org}通知：我们发生了{kind}事件，您的个人信息可能受影响。详情：{url}"
                ),
                format!("【{sig}】个人信息安全事件通知，详情：{url}"),
            ],
            Lang::En => vec![
                format!(
                    "【{sig}】{org}: a {kind} incident may affect your {types}. Details and what you can do: {url} Contact: {contact}"
                ),
                format!(
                    "【{sig}】{org}: a {kind} incident may affect your {types}. Details and what you can do: {url}"
                ),
                format!(
                    "【{sig}】{org}: a {kind} incident may affect your personal information. Details: {url}"
                ),
                format!("【{sig}】Personal information incident notice: {url}"),
            ],
        }
    }

    fn sections(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let d = &self.draft;
        let zh = lang == Lang::ZhCn;
        vec![
            (
                if zh {
                    "一、事件及风险情况"
                } else {
                    "1. What happened and the risk"
                },
                d.what_happened.get(lang).to_owned(),
            ),
            (
                if zh {
                    "二、涉及的个人信息种类"
                } else {
                    "2. Personal information involved"
                },
                self.types(lang),
            ),
            (
                if zh { "三、事件原因" } else { "3. Cause" },
                d.cause.get(lang).to_owned(),
            ),
            (
                if zh {
                    "四、可能造成的危害"
                } else {
                    "4. Possible harm"
                },
                d.possible_harm.get(lang).to_owned(),
            ),
            (
                if zh {
                    "五、我们已采取的补救措施"
                } else {
                    "5. What we have done"
                },
                d.remedies_taken.get(lang).to_owned(),
            ),
            (
                if zh {
                    "六、您可以采取的措施"
                } else {
                    "6. What you can do"
                },
                d.what_you_can_do.get(lang).to_owned(),
            ),
            (
                if zh {
                    "七、联系方式"
                } else {
                    "7. Contact"
                },
                d.contact.trim().to_owned(),
            ),
        ]
    }

    fn long_body(&self, lang: Lang, greeting: &str, closing: Option<&str>) -> String {
        let zh = lang == Lang::ZhCn;
        let org = self.draft.organisation.get(lang);
        let mut s = String::new();
        s.push_str(greeting);
        s.push_str("\n\n");
        if zh {
            s.push_str(&format!(
                "{org}于{}发现一起{}事件，可能涉及您的个人信息。根据《中华人民共和国个人信息保护法》第五十七条和《网络数据安全管理条例》第十一条，现将有关情况告知如下。\n\n",
                self.date(lang),
                self.kind.name(lang)
            ));
        } else {
            s.push_str(&format!(
                "On {} {org} discovered a {} incident that may involve your personal information. As required by article 57 of the Personal Information Protection Law and article 11 of the Network Data Security Regulation, we inform you as follows.\n\n",
                self.date(lang),
                self.kind.name(lang)
            ));
        }
        for (h, t) in self.sections(lang) {
            s.push_str(h);
            s.push('\n');
            s.push_str(&t);
            s.push_str("\n\n");
        }
        s.push_str(&if zh {
            format!("完整通知：{}\n", self.draft.full_notice_url.trim())
        } else {
            format!("Full notice: {}\n", self.draft.full_notice_url.trim())
        });
        if let Some(c) = closing {
            s.push('\n');
            s.push_str(c);
            s.push('\n');
        }
        s.push('\n');
        s.push_str(org);
        s
    }

    /// Renders the notice for `channel` in `lang`.
    pub fn render(&self, channel: Channel, lang: Lang) -> Result<Rendered, NoticeError> {
        let zh = lang == Lang::ZhCn;
        let org = self.draft.organisation.get(lang);
        let kind = self.kind.name(lang);
        match channel {
            Channel::Sms => {
                let max = self.draft.sms_max_segments;
                let cands = self.sms_candidates(lang);
                for c in &cands {
                    let units = sms_units(c);
                    let segments = sms_segments(units);
                    if segments <= max {
                        return Ok(Rendered {
                            channel,
                            subject: None,
                            body: c.clone(),
                            sms: Some(SmsSize { units, segments }),
                        });
                    }
                }
                let units = cands.last().map_or(0, |c| sms_units(c));
                Err(NoticeError::SmsTooLong {
                    units,
                    segments: sms_segments(units),
                    max,
                })
            }
            Channel::Email => Ok(Rendered {
                channel,
                subject: Some(if zh {
                    format!("【重要】{org}关于{kind}事件的个人信息安全通知")
                } else {
                    format!(
                        "Important: {org} notice about a {kind} incident affecting your personal information"
                    )
                }),
                body: self.long_body(
                    lang,
                    if zh {
                        "尊敬的用户："
                    } else {
                        "Dear customer,"
                    },
                    None,
                ),
                sms: None,
            }),
            Channel::InApp => Ok(Rendered {
                channel,
                subject: Some(
                    (if zh {
                        "个人信息安全事件通知"
                    } else {
                        "Personal information incident notice"
                    })
                    .to_owned(),
                ),
                body: self.long_body(lang, if zh { "您好：" } else { "Hello," }, None),
                sms: None,
            }),
            Channel::Announcement => Ok(Rendered {
                channel,
                subject: Some(if zh {
                    format!("{org}关于{kind}事件的公告")
                } else {
                    format!("Announcement by {org} on a {kind} incident")
                }),
                body: self.long_body(
                    lang,
                    if zh {
                        "各位用户："
                    } else {
                        "To our users,"
                    },
                    Some(if zh {
                        "特此公告。"
                    } else {
                        "We apologise for the incident."
                    }),
                ),
                sms: None,
            }),
        }
    }
}

/// Errors of the exemption decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExemptionError {
    /// No reasons given.
    #[error(
        "an exemption from notifying individuals needs reasons: say which measures effectively avoid harm from the leak, tampering or loss (PIPL 57 para 2)"
    )]
    NoReasons,
    /// A reason is blank.
    #[error("exemption reason #{0} is blank; write it or remove it")]
    BlankReason(usize),
}

/// The decision not to notify individuals (PIPL 57 para 2), with its reasons. The authority may
/// still require the notice ([`crate::Timeline::authority_required_notice_at`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ExemptionRepr", into = "ExemptionRepr")]
pub struct Exemption {
    reasons: Vec<String>,
    decided_at: Timestamp,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExemptionRepr {
    reasons: Vec<String>,
    decided_at: Timestamp,
}

impl TryFrom<ExemptionRepr> for Exemption {
    type Error = ExemptionError;
    fn try_from(r: ExemptionRepr) -> Result<Self, Self::Error> {
        Exemption::new(r.reasons, r.decided_at)
    }
}

impl From<Exemption> for ExemptionRepr {
    fn from(e: Exemption) -> Self {
        ExemptionRepr {
            reasons: e.reasons,
            decided_at: e.decided_at,
        }
    }
}

impl Exemption {
    /// Records the decision; `reasons` must be non-empty and none blank.
    pub fn new(reasons: Vec<String>, decided_at: Timestamp) -> Result<Exemption, ExemptionError> {
        if reasons.is_empty() {
            return Err(ExemptionError::NoReasons);
        }
        if let Some(i) = reasons.iter().position(|r| r.trim().is_empty()) {
            return Err(ExemptionError::BlankReason(i + 1));
        }
        Ok(Exemption {
            reasons,
            decided_at,
        })
    }

    /// The reasons.
    pub fn reasons(&self) -> &[String] {
        &self.reasons
    }

    /// When the decision was taken.
    pub fn decided_at(&self) -> Timestamp {
        self.decided_at
    }

    /// The decision as a short record for the file.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = match lang {
            Lang::ZhCn => format!(
                "免予通知个人的决定（《个人信息保护法》第五十七条第二款）\n决定时间：{}\n理由：\n",
                self.decided_at.to_beijing(lang)
            ),
            Lang::En => format!(
                "Decision not to notify individuals (PIPL art. 57 para 2)\nDecided at: {}\nReasons:\n",
                self.decided_at.to_beijing(lang)
            ),
        };
        for (i, r) in self.reasons.iter().enumerate() {
            s.push_str(&format!("{}. {}\n", i + 1, r.trim()));
        }
        s.push_str(match lang {
            Lang::ZhCn => "履行个人信息保护职责的部门认为可能造成危害的，有权要求通知个人；通知监管部门的义务不因此免除。",
            Lang::En => "The PI protection authority may still require the notice if it considers harm possible; the duty to notify the authority is not affected.",
        });
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_at_the_edges() {
        assert_eq!(sms_segments(0), 0);
        assert_eq!(sms_segments(1), 1);
        assert_eq!(sms_segments(70), 1);
        assert_eq!(sms_segments(71), 2);
        assert_eq!(sms_segments(134), 2);
        assert_eq!(sms_segments(135), 3);
        let seventy = "字".repeat(70);
        assert_eq!(
            (sms_units(&seventy), sms_segments(sms_units(&seventy))),
            (70, 1)
        );
        let seventy_one = format!("{seventy}a");
        assert_eq!(sms_segments(sms_units(&seventy_one)), 2);
        assert_eq!(sms_units("😀"), 2);
    }

    #[test]
    fn exemption_needs_reasons() {
        let t = Timestamp(0);
        assert_eq!(Exemption::new(vec![], t), Err(ExemptionError::NoReasons));
        assert_eq!(
            Exemption::new(vec!["已加密".into(), "  ".into()], t),
            Err(ExemptionError::BlankReason(2))
        );
        let e = Exemption::new(vec!["数据已加密且密钥未泄露".into()], t).unwrap();
        let json = serde_json::to_string(&e).unwrap();
        let back: Exemption = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        let bad = r#"{"reasons": [], "decided_at": "2026-03-01T00:00:00Z"}"#;
        let err = serde_json::from_str::<Exemption>(bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs reasons"), "{err}");
        assert!(e.render(Lang::ZhCn).contains("1. 数据已加密且密钥未泄露"));
    }
}
