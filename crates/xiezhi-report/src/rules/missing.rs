//! Missing-fact validation: every fact the processing rules need but the data map lacks, with
//! where to fill it in.

use std::fmt;
use std::path::Path;

use serde::Serialize;
use xiezhi_map::{PROFILE_FILE, Project};
use xiezhi_model::Lang;

/// What kind of fact is missing. One variant per section requirement of Reg. art. 21.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingKind {
    /// No contact (e-mail, phone or address) of the controller (art. 21(1)).
    ControllerContact,
    /// A rights channel of art. 21(4) is not written.
    RightsChannel,
    /// No current processing activity handles PI: nothing to describe.
    NoActivities,
    /// An activity has no method of processing (art. 21(2)).
    ActivityMethod,
    /// An activity lists no PI types (art. 21(2)).
    ActivityPiTypes,
    /// An activity has no retention at all (art. 21(3)).
    Retention,
    /// Retention has neither a period in days nor how the period is determined (art. 21(3)).
    RetentionPeriod,
    /// Sensitive PI without the necessity statement (art. 21(2); PIPL 30).
    SensitiveNecessity,
    /// Sensitive PI without the impact statement (art. 21(2); PIPL 30).
    SensitiveImpact,
    /// An activity names no dataset, so the collected-PI list has no storage location.
    StorageLocation,
    /// A recipient has no contact (sharing list; PIPL 23).
    RecipientContact,
    /// Neither the contract nor an activity gives the purpose of a provision.
    RecipientPurpose,
    /// Neither the contract nor an activity gives the method of a provision.
    RecipientMethod,
    /// A recipient lists no PI types.
    RecipientPiTypes,
    /// Under-14 PI is processed but the children's rules are not named (art. 21 para 3).
    ChildrenRules,
    /// Under-14 PI is processed but no person is designated for it (Children's Provisions 8).
    ChildrenOfficer,
    /// `--children` was asked for but the data map holds no PI of children under 14.
    NoChildrenData,
}

impl MissingKind {
    /// Stable snake_case id (as in the JSON output).
    pub const fn id(self) -> &'static str {
        match self {
            MissingKind::ControllerContact => "controller_contact",
            MissingKind::RightsChannel => "rights_channel",
            MissingKind::NoActivities => "no_activities",
            MissingKind::ActivityMethod => "activity_method",
            MissingKind::ActivityPiTypes => "activity_pi_types",
            MissingKind::Retention => "retention",
            MissingKind::RetentionPeriod => "retention_period",
            MissingKind::SensitiveNecessity => "sensitive_necessity",
            MissingKind::SensitiveImpact => "sensitive_impact",
            MissingKind::StorageLocation => "storage_location",
            MissingKind::RecipientContact => "recipient_contact",
            MissingKind::RecipientPurpose => "recipient_purpose",
            MissingKind::RecipientMethod => "recipient_method",
            MissingKind::RecipientPiTypes => "recipient_pi_types",
            MissingKind::ChildrenRules => "children_rules",
            MissingKind::ChildrenOfficer => "children_officer",
            MissingKind::NoChildrenData => "no_children_data",
        }
    }
}

/// One missing fact: where in the data map it belongs and what to write there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingFact {
    /// What is missing.
    pub kind: MissingKind,
    /// File relative to the project directory (`xiezhi.yaml`, `datamap/activities.yaml`).
    pub file: String,
    /// 1-based line of the entity or of the nearest written key (0 when unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    /// Field path to fill in, e.g. `notice.rights_channels.cancel_account` or
    /// `activities[account].method`.
    pub field: String,
    /// What to fill in, Simplified Chinese.
    pub hint_zh: String,
    /// What to fill in, English.
    pub hint_en: String,
}

impl MissingFact {
    /// A fact of `xiezhi.yaml` at `path`, placed at the key or its nearest written ancestor.
    pub(crate) fn profile(
        p: &Project,
        kind: MissingKind,
        path: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> MissingFact {
        let (line, column) = p
            .profile_position(path)
            .map(|k| (k.line, k.column))
            .unwrap_or((0, 0));
        MissingFact {
            kind,
            file: PROFILE_FILE.to_string(),
            line,
            column,
            field: path.to_string(),
            hint_zh: zh.into(),
            hint_en: en.into(),
        }
    }

    /// A fact of the data-map entity `id` (line and column of its `id:`), field `field`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn entity(
        file: &Path,
        id: &xiezhi_map::model::Id,
        section: &str,
        field: &str,
        kind: MissingKind,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> MissingFact {
        MissingFact {
            kind,
            file: file.display().to_string(),
            line: id.line,
            column: id.column,
            field: format!("{section}[{}].{field}", id.value),
            hint_zh: zh.into(),
            hint_en: en.into(),
        }
    }

    /// `file:line:column` (or just `file` when the position is unknown).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }

    /// The hint in `lang`.
    pub fn hint(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.hint_zh,
            Lang::En => &self.hint_en,
        }
    }

    /// One line: `location: field — hint`.
    pub fn render(&self, lang: Lang) -> String {
        format!("{}: {} — {}", self.location(), self.field, self.hint(lang))
    }
}

/// The processing rules cannot be generated: the data map lacks facts. Lists every one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RulesError {
    /// Every missing fact, in data-map order (profile first, then files in name order).
    pub missing: Vec<MissingFact>,
}

impl RulesError {
    /// Every missing fact on its own line, in `lang`, with a heading.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = match lang {
            Lang::ZhCn => format!(
                "无法生成个人信息处理规则：数据地图缺少 {} 项事实\n",
                self.missing.len()
            ),
            Lang::En => format!(
                "cannot generate the processing rules: the data map lacks {} fact(s)\n",
                self.missing.len()
            ),
        };
        for m in &self.missing {
            out.push_str("  ");
            out.push_str(&m.render(lang));
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(Lang::En).trim_end())
    }
}
