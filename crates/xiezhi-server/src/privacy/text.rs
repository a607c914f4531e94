//! The privacy center's words, in Simplified Chinese (default) and English.

/// Language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 简体中文.
    ZhCn,
    /// English.
    En,
}

impl Lang {
    /// From `?lang=` or the `Accept-Language` header; Chinese unless English is asked for.
    pub fn pick(query: Option<&str>, accept: Option<&str>) -> Self {
        match query {
            Some(q) if q.eq_ignore_ascii_case("en") => return Self::En,
            Some(q) if q.to_ascii_lowercase().starts_with("zh") => return Self::ZhCn,
            _ => {}
        }
        match accept {
            Some(a) if a.trim_start().to_ascii_lowercase().starts_with("en") => Self::En,
            _ => Self::ZhCn,
        }
    }

    /// The `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// The `?lang=` value.
    pub fn query(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }
}

/// One text in both languages.
#[derive(Debug)]
pub struct T {
    /// Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl T {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh,
            Lang::En => self.en,
        }
    }
}

pub const TITLE: T = T {
    zh: "隐私中心",
    en: "Privacy center",
};
pub const INTRO: T = T {
    zh: "在这里查看本平台的个人信息处理规则，管理个性化推荐、推送和用户标签，查看或撤回您的同意。更改立即生效。",
    en: "Read this platform's personal-information processing rules, manage personalised recommendations, pushes and user tags, and see or withdraw your consents. Changes take effect at once.",
};
pub const RULES: T = T {
    zh: "个人信息处理规则",
    en: "Processing rules",
};
pub const RULES_LINK: T = T {
    zh: "阅读完整的个人信息处理规则",
    en: "Read the full processing rules",
};
pub const RECOMMEND: T = T {
    zh: "个性化推荐",
    en: "Personalised recommendations",
};
pub const RECOMMEND_ON: T = T {
    zh: "已开启：内容根据您的个人特征推荐。",
    en: "On: content is recommended from your personal characteristics.",
};
pub const RECOMMEND_OFF: T = T {
    zh: "已关闭：不再使用您的个人特征推荐内容。",
    en: "Off: your personal characteristics are no longer used to recommend content.",
};
pub const TURN_OFF: T = T {
    zh: "关闭",
    en: "Turn off",
};
pub const TURN_ON: T = T {
    zh: "开启",
    en: "Turn on",
};
pub const PUSH: T = T {
    zh: "推送",
    en: "Pushes",
};
pub const PUSH_HELP: T = T {
    zh: "按渠道和类别拒绝或恢复推送。",
    en: "Refuse or allow pushes per channel and category.",
};
pub const CHANNEL: T = T {
    zh: "渠道",
    en: "Channel",
};
pub const CATEGORY: T = T {
    zh: "类别",
    en: "Category",
};
pub const STATUS: T = T {
    zh: "状态",
    en: "Status",
};
pub const ACTION: T = T {
    zh: "操作",
    en: "Action",
};
pub const REFUSED: T = T {
    zh: "已拒绝",
    en: "Refused",
};
pub const ALLOWED: T = T {
    zh: "接收",
    en: "Allowed",
};
pub const REFUSE: T = T {
    zh: "拒绝",
    en: "Refuse",
};
pub const ALLOW: T = T {
    zh: "恢复接收",
    en: "Allow",
};
pub const TAGS: T = T {
    zh: "用户标签",
    en: "Your tags",
};
pub const TAGS_HELP: T = T {
    zh: "平台根据您的行为生成的标签。删除后平台不得再次添加。",
    en: "Tags the platform derived from your activity. Once deleted, the platform may not add them again.",
};
pub const NO_TAGS: T = T {
    zh: "暂无标签。",
    en: "No tags.",
};
pub const DELETE: T = T {
    zh: "删除",
    en: "Delete",
};
pub const DELETED: T = T {
    zh: "已删除",
    en: "Deleted",
};
pub const PERSONAL: T = T {
    zh: "个人特征",
    en: "personal characteristic",
};
pub const CONSENTS: T = T {
    zh: "我的同意",
    en: "Your consents",
};
pub const NO_CONSENTS: T = T {
    zh: "暂无同意记录。",
    en: "No consents recorded.",
};
pub const PURPOSE: T = T {
    zh: "目的",
    en: "Purpose",
};
pub const KIND: T = T {
    zh: "方式",
    en: "Kind",
};
pub const SINCE: T = T {
    zh: "时间",
    en: "Since",
};
pub const WITHDRAW: T = T {
    zh: "撤回同意",
    en: "Withdraw",
};
pub const GRANTED: T = T {
    zh: "已同意",
    en: "Granted",
};
pub const WITHDRAWN: T = T {
    zh: "已撤回",
    en: "Withdrawn",
};
pub const REFUSED_CONSENT: T = T {
    zh: "已拒绝",
    en: "Refused",
};
pub const STALE: T = T {
    zh: "（处理规则已变更，需重新同意）",
    en: " (the rules changed: consent needed again)",
};
pub const SAVED: T = T {
    zh: "已保存，立即生效。",
    en: "Saved; in effect now.",
};
pub const SIGN_IN: T = T {
    zh: "请从 App 或网站的“隐私设置”进入隐私中心（链接中带有您的登录凭证）。",
    en: "Open the privacy center from the app's or website's privacy settings (the link carries your sign-in).",
};
pub const LANG_SWITCH: T = T {
    zh: "English",
    en: "中文",
};
pub const PURPOSES_TITLE: T = T {
    zh: "处理目的与范围",
    en: "Purposes and scope",
};
pub const BASIS: T = T {
    zh: "法律依据",
    en: "Legal basis",
};
pub const PI_TYPES: T = T {
    zh: "个人信息种类",
    en: "PI types",
};
pub const METHOD: T = T {
    zh: "处理方式",
    en: "Method",
};
pub const RETENTION: T = T {
    zh: "保存期限",
    en: "Retention",
};
pub const RECIPIENTS: T = T {
    zh: "接收方",
    en: "Recipients",
};
pub const RIGHTS: T = T {
    zh: "行使个人信息权利",
    en: "Exercise your rights",
};
pub const RIGHTS_HELP: T = T {
    zh: "提交查阅、复制、更正、补充、删除、限制处理、转移个人信息或注销账号的请求。我们将核验身份并在法定期限内答复。",
    en: "Ask to access, copy, correct, supplement, delete, restrict, or transfer your personal information, or to cancel your account. We verify your identity and answer within the legal time limit.",
};
pub const REQUEST_KIND: T = T {
    zh: "请求类型",
    en: "Request",
};
pub const DETAILS: T = T {
    zh: "补充说明（可选）",
    en: "Details (optional)",
};
pub const SUBMIT: T = T {
    zh: "提交请求",
    en: "Submit request",
};
pub const REQUESTED: T = T {
    zh: "已收到您的请求。",
    en: "Your request was received.",
};
pub const BACK: T = T {
    zh: "返回隐私中心",
    en: "Back to the privacy center",
};

/// Title of the verification page.
pub const VERIFY_TITLE: T = T {
    zh: "核验身份",
    en: "Verify your identity",
};
/// Help on the verification page.
pub const VERIFY_HELP: T = T {
    zh: "为办理您的个人信息权利请求，请输入我们发送到您注册邮箱或手机的验证码；如您使用网号/网证注册，请粘贴在国家网络身份认证App中获取的网证。我们不会要求您提供注册时未提供的信息。",
    en: "To handle your personal-information rights request, enter the code we sent to the e-mail address or phone number on your account; if you registered with a network identity (网号/网证), paste the credential from the national network identity app. We never ask for data you did not give at registration.",
};
/// Code field.
pub const CODE: T = T {
    zh: "验证码",
    en: "Verification code",
};
/// Credential field.
pub const CREDENTIAL: T = T {
    zh: "网证",
    en: "Network identity credential (网证)",
};
/// Success.
pub const VERIFIED: T = T {
    zh: "身份核验通过，我们将按期限办理您的请求。",
    en: "Your identity is verified; we will handle your request within the deadline.",
};

/// Download link of an access/copy package.
pub const DOWNLOAD: T = T {
    zh: "下载您的个人信息副本（已加密，密钥另行发送给您；链接有效期内可下载）",
    en: "Download the copy of your personal information (encrypted; the key is sent to you separately; the link expires)",
};

/// Heading of the user's own requests.
pub const MY_REQUESTS: T = T {
    zh: "我的请求",
    en: "My requests",
};
/// Column: received.
pub const RECEIVED: T = T {
    zh: "提交日期",
    en: "Received",
};
/// Column: due.
pub const DUE: T = T {
    zh: "答复期限",
    en: "Answer due by",
};
/// Reasons.
pub const REASONS: T = T {
    zh: "理由",
    en: "Reasons",
};

/// A request state for people.
pub fn request_state(s: &str, lang: Lang) -> &'static str {
    match (s, lang) {
        ("received", Lang::ZhCn) => "已受理",
        ("received", Lang::En) => "Received",
        ("identity_verified", Lang::ZhCn) => "已核验身份，待处理",
        ("identity_verified", Lang::En) => "Identity verified, waiting",
        ("in_progress", Lang::ZhCn) => "处理中",
        ("in_progress", Lang::En) => "In progress",
        ("completed", Lang::ZhCn) => "已完成",
        ("completed", Lang::En) => "Completed",
        ("partly_completed", Lang::ZhCn) => "部分完成",
        ("partly_completed", Lang::En) => "Partly completed",
        ("refused", Lang::ZhCn) => "已拒绝",
        ("refused", Lang::En) => "Refused",
        (_, Lang::ZhCn) => "未知",
        (_, Lang::En) => "Unknown",
    }
}

/// Rights-request kinds.
pub fn rights_kind(k: xiezhi_store::RightsKind, lang: Lang) -> &'static str {
    use xiezhi_store::RightsKind as K;
    match (k, lang) {
        (K::Access, Lang::ZhCn) => "查阅",
        (K::Access, Lang::En) => "Access",
        (K::Copy, Lang::ZhCn) => "复制",
        (K::Copy, Lang::En) => "Copy",
        (K::Correct, Lang::ZhCn) => "更正",
        (K::Correct, Lang::En) => "Correct",
        (K::Supplement, Lang::ZhCn) => "补充",
        (K::Supplement, Lang::En) => "Supplement",
        (K::Delete, Lang::ZhCn) => "删除",
        (K::Delete, Lang::En) => "Delete",
        (K::Restrict, Lang::ZhCn) => "限制处理",
        (K::Restrict, Lang::En) => "Restrict processing",
        (K::Transfer, Lang::ZhCn) => "转移至其他处理者",
        (K::Transfer, Lang::En) => "Transfer to another processor",
        (K::CancelAccount, Lang::ZhCn) => "注销账号",
        (K::CancelAccount, Lang::En) => "Cancel my account",
        (K::WithdrawConsent, Lang::ZhCn) => "撤回同意",
        (K::WithdrawConsent, Lang::En) => "Withdraw consent",
        (K::ExplainRules, Lang::ZhCn) => "解释说明处理规则",
        (K::ExplainRules, Lang::En) => "Explain the processing rules",
        (K::DeceasedRelative, Lang::ZhCn) => "近亲属行使死者的权利",
        (K::DeceasedRelative, Lang::En) => "A close relative of a deceased person",
    }
}

/// Channel names.
pub fn channel(c: xiezhi_decide::PushChannel, lang: Lang) -> &'static str {
    use xiezhi_decide::PushChannel as C;
    match (c, lang) {
        (C::AppPush, Lang::ZhCn) => "App 通知",
        (C::AppPush, Lang::En) => "App notifications",
        (C::Sms, Lang::ZhCn) => "短信",
        (C::Sms, Lang::En) => "Text messages",
        (C::Email, Lang::ZhCn) => "电子邮件",
        (C::Email, Lang::En) => "E-mail",
        (C::InApp, Lang::ZhCn) => "站内信",
        (C::InApp, Lang::En) => "In-app messages",
    }
}

/// Category names.
pub fn category(c: xiezhi_decide::PushCategory, lang: Lang) -> &'static str {
    use xiezhi_decide::PushCategory as C;
    match (c, lang) {
        (C::Marketing, Lang::ZhCn) => "营销推广",
        (C::Marketing, Lang::En) => "Marketing",
        (C::Service, Lang::ZhCn) => "服务通知",
        (C::Service, Lang::En) => "Service",
    }
}

/// Consent kind names.
pub fn kind(k: xiezhi_decide::ConsentKind, lang: Lang) -> &'static str {
    use xiezhi_decide::ConsentKind as K;
    match (k, lang) {
        (K::General, Lang::ZhCn) => "一般同意",
        (K::General, Lang::En) => "general",
        (K::Separate, Lang::ZhCn) => "单独同意",
        (K::Separate, Lang::En) => "separate",
        (K::Written, Lang::ZhCn) => "书面同意",
        (K::Written, Lang::En) => "written",
        (K::Guardian, Lang::ZhCn) => "监护人同意",
        (K::Guardian, Lang::En) => "guardian",
    }
}
