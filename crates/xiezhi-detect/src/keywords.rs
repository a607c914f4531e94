//! Context words: Chinese and English words that raise or lower the confidence of nearby values,
//! and the labels after which context detectors (names, addresses, dates of birth …) look.
//!
//! Chinese words are found by their first character (a flag in [`crate::engine`]'s character
//! table) and compared longest first; English words are whole ASCII words, compared
//! case-insensitively with `_` and `-` removed (`android_id`, `androidId` and `ANDROID-ID` are all
//! `androidid`), and also piece by piece (`last_login_ip` → `ip`).

use xiezhi_model::PiType;

use crate::typeset::TypeSet;

/// What a context word starts, besides adjusting confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// Only adjusts confidence.
    None,
    /// A person's name follows (姓名：, 收件人, Dear).
    NameAfter,
    /// A name precedes (先生, 女士, 同学).
    NameBefore,
    /// An address follows (地址：, 家住, ship to).
    AddressAfter,
    /// A date of birth follows (出生日期, DOB, born on).
    DobAfter,
    /// An ethnic group follows (民族：).
    EthnicityAfter,
    /// A religion follows (宗教信仰：).
    ReligionAfter,
    /// A diagnosis or medical history follows (诊断：, 病史, diagnosis).
    HealthAfter,
    /// A biometric template follows (指纹模板, face_feature).
    BiometricAfter,
    /// A secret follows (密码：, password=).
    CredentialAfter,
    /// A device identifier follows (idfa, oaid, android_id).
    DeviceIdAfter,
    /// A latitude or longitude follows (lat=, 纬度：).
    GpsAfter,
}

/// One context word.
#[derive(Debug)]
pub(crate) struct Keyword {
    /// The word: Chinese as written, English lowercase without `_`/`-`.
    pub word: &'static str,
    /// Evidence string for findings.
    pub evidence: &'static str,
    /// Types whose confidence the word changes.
    pub types: TypeSet,
    /// Change of confidence (negative for words such as 订单号).
    pub delta: f32,
    /// What the word starts.
    pub trigger: Trigger,
}

use PiType as T;
use Trigger as G;

const ID_DOCS: TypeSet = TypeSet::of(&[
    T::CnResidentId,
    T::CnPassport,
    T::HkMacauPermit,
    T::TwPermit,
    T::HkId,
    T::MoId,
    T::TwId,
]);
const PHONES: TypeSet = TypeSet::of(&[T::CnMobile, T::CnLandline, T::PhoneIntl]);
const IPS: TypeSet = TypeSet::of(&[T::Ipv4, T::Ipv6]);
/// Types made of digits that order numbers, amounts and timestamps are confused with.
pub(crate) const NUMERIC: TypeSet = TypeSet::of(&[
    T::CnResidentId,
    T::CnMobile,
    T::CnLandline,
    T::BankCard,
    T::Imei,
    T::TwPermit,
    T::MoId,
    T::PhoneIntl,
    T::DateOfBirth,
    T::GpsCoordinate,
    T::CnPassport,
    T::HkMacauPermit,
    T::Ipv4,
    T::Vin,
]);
const NAME: TypeSet = TypeSet::of(&[T::PersonName]);
const ADDRESS: TypeSet = TypeSet::of(&[T::CnAddress, T::StreetAddress]);

macro_rules! kw {
    ($word:literal, $types:expr, $delta:expr, $trigger:expr) => {
        Keyword {
            word: $word,
            evidence: concat!("context:", $word),
            types: $types,
            delta: $delta,
            trigger: $trigger,
        }
    };
    ($word:literal, $types:expr, $delta:expr) => {
        kw!($word, $types, $delta, G::None)
    };
}

const fn one(t: PiType) -> TypeSet {
    TypeSet::of(&[t])
}

/// Chinese context words. Order does not matter; the index sorts them.
pub(crate) static ZH_KEYWORDS: &[Keyword] = &[
    kw!("身份证", ID_DOCS.union(one(T::CnResidentId)), 0.35),
    kw!("身份证号", ID_DOCS, 0.35),
    kw!("身份证号码", ID_DOCS, 0.35),
    kw!("公民身份号码", one(T::CnResidentId), 0.4),
    kw!("身份号码", one(T::CnResidentId), 0.4),
    kw!("证件号", ID_DOCS, 0.35),
    kw!("证件号码", ID_DOCS, 0.35),
    kw!("证件", ID_DOCS, 0.3),
    kw!("居民身份", one(T::CnResidentId), 0.35),
    kw!("手机", PHONES, 0.3),
    kw!("手机号", PHONES, 0.3),
    kw!("手机号码", PHONES, 0.3),
    kw!("电话", PHONES, 0.3),
    kw!("联系电话", PHONES, 0.3),
    kw!("联系方式", PHONES.union(one(T::Email)), 0.3),
    kw!("致电", PHONES, 0.3),
    kw!("拨打", PHONES, 0.3),
    kw!("来电", PHONES, 0.3),
    kw!("号码", PHONES, 0.15),
    kw!("发票号码", NUMERIC, -0.5),
    kw!("澳门居民身份证", one(T::MoId), 0.55),
    kw!("澳門居民身份證", one(T::MoId), 0.55),
    kw!("香港居民身份证", one(T::HkId), 0.45),
    kw!("香港永久性居民身份证", one(T::HkId), 0.45),
    kw!("台湾居民身份证", one(T::TwId), 0.45),
    kw!("车主", NAME, 0.35, G::NameAfter),
    kw!("本人", NAME, 0.35, G::NameAfter),
    kw!("派件员", NAME, 0.35, G::NameAfter),
    kw!("外籍客户", NAME, 0.35, G::NameAfter),
    kw!("记者", NAME, 0.35, G::NameAfter),
    kw!("家属", NAME, 0.35, G::NameAfter),
    kw!("转入", NAME, 0.3, G::NameAfter),
    kw!("收款人", NAME, 0.4, G::NameAfter),
    kw!("付款人", NAME, 0.4, G::NameAfter),
    kw!("紧急联系人", NAME, 0.4, G::NameAfter),
    kw!("报案人", NAME, 0.4, G::NameAfter),
    kw!("业主", NAME, 0.35, G::NameAfter),
    kw!("房东", NAME, 0.35, G::NameAfter),
    kw!("租客", NAME, 0.35, G::NameAfter),
    kw!("医师", NAME, 0.35, G::NameAfter),
    kw!("护士", NAME, 0.35, G::NameAfter),
    kw!("配偶", NAME, 0.35, G::NameAfter),
    kw!("既往史", one(T::Health), 0.5, G::HealthAfter),
    kw!("声纹特征", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("人脸特征", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("面部特征", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("指纹模板", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("座机", one(T::CnLandline), 0.35),
    kw!("固话", one(T::CnLandline), 0.35),
    kw!("固定电话", one(T::CnLandline), 0.35),
    kw!("传真", one(T::CnLandline), 0.35),
    kw!("邮箱", one(T::Email), 0.3),
    kw!("电子邮件", one(T::Email), 0.3),
    kw!("银行卡", one(T::BankCard), 0.35),
    kw!("卡号", one(T::BankCard), 0.35),
    kw!("银行账号", one(T::BankCard), 0.35),
    kw!("账号", one(T::BankCard), 0.2),
    kw!("储蓄卡", one(T::BankCard), 0.35),
    kw!("信用卡", one(T::BankCard), 0.35),
    kw!("借记卡", one(T::BankCard), 0.35),
    kw!("护照", one(T::CnPassport), 0.45),
    kw!("港澳通行证", one(T::HkMacauPermit), 0.5),
    kw!("回乡证", one(T::HkMacauPermit), 0.5),
    kw!("通行证", one(T::HkMacauPermit).with(T::TwPermit), 0.45),
    kw!("往来港澳", one(T::HkMacauPermit), 0.45),
    kw!("台胞证", one(T::TwPermit), 0.55),
    kw!("来往大陆", one(T::TwPermit), 0.55),
    kw!("香港身份证", one(T::HkId), 0.45),
    kw!("澳门身份证", one(T::MoId), 0.55),
    kw!("台湾身份证", one(T::TwId), 0.45),
    kw!("统一社会信用代码", one(T::CnUscc), 0.3),
    kw!("信用代码", one(T::CnUscc), 0.3),
    kw!("车牌", one(T::CnLicensePlate), 0.3),
    kw!("车架号", one(T::Vin), 0.3),
    kw!("车辆识别", one(T::Vin), 0.3),
    kw!(
        "设备号",
        one(T::DeviceId).with(T::Imei),
        0.45,
        G::DeviceIdAfter
    ),
    kw!(
        "设备标识",
        one(T::DeviceId).with(T::Imei),
        0.45,
        G::DeviceIdAfter
    ),
    kw!("经度", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("纬度", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("坐标", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("定位", one(T::GpsCoordinate), 0.4, G::GpsAfter),
    kw!("位置", one(T::GpsCoordinate), 0.35, G::GpsAfter),
    // Names follow.
    kw!("姓名", NAME, 0.4, G::NameAfter),
    kw!("名字", NAME, 0.4, G::NameAfter),
    kw!("联系人", NAME, 0.4, G::NameAfter),
    kw!("收件人", NAME, 0.4, G::NameAfter),
    kw!("收货人", NAME, 0.4, G::NameAfter),
    kw!("寄件人", NAME, 0.4, G::NameAfter),
    kw!("客户", NAME, 0.35, G::NameAfter),
    kw!("用户", NAME, 0.3, G::NameAfter),
    kw!("患者", NAME, 0.4, G::NameAfter),
    kw!("病人", NAME, 0.4, G::NameAfter),
    kw!("持卡人", NAME, 0.4, G::NameAfter),
    kw!("户主", NAME, 0.4, G::NameAfter),
    kw!("申请人", NAME, 0.4, G::NameAfter),
    kw!("乘客", NAME, 0.4, G::NameAfter),
    kw!("投保人", NAME, 0.4, G::NameAfter),
    kw!("被保险人", NAME, 0.4, G::NameAfter),
    kw!("员工", NAME, 0.35, G::NameAfter),
    kw!("快递员", NAME, 0.35, G::NameAfter),
    kw!("骑手", NAME, 0.35, G::NameAfter),
    kw!("司机", NAME, 0.35, G::NameAfter),
    kw!("客服", NAME, 0.3, G::NameAfter),
    kw!("法人", NAME, 0.4, G::NameAfter),
    kw!("法定代表人", NAME, 0.4, G::NameAfter),
    kw!("经办人", NAME, 0.4, G::NameAfter),
    kw!("负责人", NAME, 0.4, G::NameAfter),
    kw!("监护人", NAME, 0.4, G::NameAfter),
    kw!("学生", NAME, 0.3, G::NameAfter),
    kw!("尊敬的", NAME, 0.4, G::NameAfter),
    kw!("亲爱的", NAME, 0.35, G::NameAfter),
    kw!("签名", NAME, 0.35, G::NameAfter),
    kw!("先生", NAME, 0.4, G::NameBefore),
    kw!("女士", NAME, 0.4, G::NameBefore),
    kw!("小姐", NAME, 0.35, G::NameBefore),
    kw!("同学", NAME, 0.35, G::NameBefore),
    kw!("老师", NAME, 0.3, G::NameBefore),
    kw!("医生", NAME, 0.3, G::NameBefore),
    // Addresses follow.
    kw!("地址", ADDRESS, 0.4, G::AddressAfter),
    kw!("住址", ADDRESS, 0.4, G::AddressAfter),
    kw!("家住", ADDRESS, 0.4, G::AddressAfter),
    kw!("住在", ADDRESS, 0.35, G::AddressAfter),
    kw!("寄到", ADDRESS, 0.35, G::AddressAfter),
    kw!("送至", ADDRESS, 0.35, G::AddressAfter),
    kw!("送到", ADDRESS, 0.35, G::AddressAfter),
    kw!("居住地", ADDRESS, 0.4, G::AddressAfter),
    kw!("现居", ADDRESS, 0.35, G::AddressAfter),
    // Dates of birth follow.
    kw!("出生日期", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("出生", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("生日", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("生于", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("民族", one(T::Ethnicity), 0.5, G::EthnicityAfter),
    kw!("宗教", one(T::Religion), 0.5, G::ReligionAfter),
    kw!("信仰", one(T::Religion), 0.5, G::ReligionAfter),
    kw!("诊断", one(T::Health), 0.5, G::HealthAfter),
    kw!("病史", one(T::Health), 0.5, G::HealthAfter),
    kw!("过敏史", one(T::Health), 0.5, G::HealthAfter),
    kw!("过敏", one(T::Health), 0.45, G::HealthAfter),
    kw!("确诊", one(T::Health), 0.5, G::HealthAfter),
    kw!("患有", one(T::Health), 0.5, G::HealthAfter),
    kw!("病情", one(T::Health), 0.45, G::HealthAfter),
    kw!("疾病", one(T::Health), 0.45, G::HealthAfter),
    kw!("指纹", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("人脸", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("声纹", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("虹膜", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("特征值", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("密码", one(T::Credential), 0.5, G::CredentialAfter),
    kw!("口令", one(T::Credential), 0.5, G::CredentialAfter),
    kw!("密钥", one(T::Credential), 0.5, G::CredentialAfter),
    kw!("令牌", one(T::Credential), 0.5, G::CredentialAfter),
    // Words that say "this number is not personal".
    kw!("订单", NUMERIC, -0.5),
    kw!("单号", NUMERIC, -0.5),
    kw!("流水号", NUMERIC, -0.5),
    kw!("交易号", NUMERIC, -0.5),
    kw!("运单", NUMERIC, -0.5),
    kw!("快递单", NUMERIC, -0.5),
    kw!("物流", NUMERIC, -0.4),
    kw!("编号", NUMERIC, -0.4),
    kw!("工单", NUMERIC, -0.5),
    kw!("发票", NUMERIC, -0.5),
    kw!("合同号", NUMERIC, -0.5),
    kw!("批次", NUMERIC, -0.5),
    kw!("序列号", NUMERIC, -0.4),
    kw!("金额", NUMERIC, -0.5),
    kw!("价格", NUMERIC, -0.5),
    kw!("版本", NUMERIC, -0.5),
    kw!("端口", NUMERIC, -0.5),
    kw!("尾号", NUMERIC, -0.5),
    kw!("客服热线", PHONES, -0.3),
    kw!("时间", NUMERIC, -0.3),
];

/// English context words: lowercase, without `_` and `-`.
pub(crate) static EN_KEYWORDS: &[Keyword] = &[
    kw!("idcard", ID_DOCS, 0.35),
    kw!("idno", ID_DOCS, 0.35),
    kw!("idnumber", ID_DOCS, 0.35),
    kw!("identity", ID_DOCS, 0.3),
    kw!("citizen", one(T::CnResidentId), 0.3),
    kw!("resident", one(T::CnResidentId), 0.3),
    kw!("sfzh", one(T::CnResidentId), 0.4),
    kw!("mobile", PHONES, 0.3),
    kw!("phone", PHONES, 0.3),
    kw!("tel", PHONES, 0.3),
    kw!("telephone", PHONES, 0.3),
    kw!("cell", PHONES, 0.3),
    kw!("cellphone", PHONES, 0.3),
    kw!(
        "contact",
        PHONES.union(NAME).union(one(T::Email)),
        0.3,
        G::NameAfter
    ),
    kw!("call", PHONES, 0.25),
    kw!("whatsapp", PHONES, 0.3),
    kw!("sms", PHONES, 0.25),
    kw!("fax", one(T::CnLandline).with(T::PhoneIntl), 0.3),
    kw!("landline", one(T::CnLandline), 0.35),
    kw!("email", one(T::Email), 0.3),
    kw!("mail", one(T::Email), 0.3),
    kw!("card", one(T::BankCard), 0.3),
    kw!("cardno", one(T::BankCard), 0.35),
    kw!("bankcard", one(T::BankCard), 0.35),
    kw!("account", one(T::BankCard), 0.2),
    kw!("debit", one(T::BankCard), 0.3),
    kw!("credit", one(T::BankCard), 0.3),
    kw!("passport", one(T::CnPassport), 0.45),
    kw!("permit", one(T::HkMacauPermit).with(T::TwPermit), 0.45),
    kw!("permitno", one(T::HkMacauPermit).with(T::TwPermit), 0.45),
    kw!("hkmacaupermit", one(T::HkMacauPermit), 0.5),
    kw!("homereturn", one(T::HkMacauPermit), 0.5),
    kw!("twpermit", one(T::TwPermit), 0.55),
    kw!("twpermitno", one(T::TwPermit), 0.55),
    kw!("taiwan", one(T::TwPermit).with(T::TwId), 0.45),
    kw!("hkid", one(T::HkId), 0.4),
    kw!("macau", one(T::MoId), 0.55),
    kw!("macao", one(T::MoId), 0.55),
    kw!("macauid", one(T::MoId), 0.55),
    kw!("twid", one(T::TwId), 0.4),
    kw!("uscc", one(T::CnUscc), 0.3),
    kw!("plate", one(T::CnLicensePlate), 0.3),
    kw!("vin", one(T::Vin), 0.3),
    kw!("ip", IPS, 0.2),
    kw!("mac", one(T::MacAddress), 0.2),
    kw!("imei", one(T::Imei), 0.35),
    kw!("meid", one(T::Imei), 0.3),
    kw!("idfa", one(T::DeviceId), 0.5, G::DeviceIdAfter),
    kw!("oaid", one(T::DeviceId), 0.5, G::DeviceIdAfter),
    kw!("androidid", one(T::DeviceId), 0.5, G::DeviceIdAfter),
    kw!("deviceid", one(T::DeviceId), 0.5, G::DeviceIdAfter),
    kw!("udid", one(T::DeviceId), 0.5, G::DeviceIdAfter),
    kw!("gaid", one(T::DeviceId), 0.5, G::DeviceIdAfter),
    kw!("lat", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("lng", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("lon", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("latitude", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("longitude", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("location", one(T::GpsCoordinate), 0.4, G::GpsAfter),
    kw!("gps", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("coord", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("coordinates", one(T::GpsCoordinate), 0.45, G::GpsAfter),
    kw!("point", one(T::GpsCoordinate), 0.3, G::GpsAfter),
    // Names follow.
    kw!("name", NAME, 0.4, G::NameAfter),
    kw!("fullname", NAME, 0.4, G::NameAfter),
    kw!("realname", NAME, 0.4, G::NameAfter),
    kw!("customer", NAME, 0.35, G::NameAfter),
    kw!("dear", NAME, 0.4, G::NameAfter),
    kw!("hi", NAME, 0.3, G::NameAfter),
    kw!("hello", NAME, 0.3, G::NameAfter),
    kw!("mr", NAME, 0.45, G::NameAfter),
    kw!("mrs", NAME, 0.45, G::NameAfter),
    kw!("ms", NAME, 0.45, G::NameAfter),
    kw!("miss", NAME, 0.4, G::NameAfter),
    kw!("dr", NAME, 0.4, G::NameAfter),
    kw!("patient", NAME.with(T::Health), 0.4, G::NameAfter),
    kw!("attn", NAME, 0.4, G::NameAfter),
    kw!("recipient", NAME, 0.4, G::NameAfter),
    kw!("consignee", NAME, 0.4, G::NameAfter),
    kw!("receiver", NAME, 0.35, G::NameAfter),
    kw!("cardholder", NAME, 0.4, G::NameAfter),
    kw!("holder", NAME, 0.35, G::NameAfter),
    kw!("applicant", NAME, 0.4, G::NameAfter),
    kw!("employee", NAME, 0.35, G::NameAfter),
    kw!("legalperson", NAME, 0.4, G::NameAfter),
    kw!("user", NAME, 0.2, G::NameAfter),
    kw!("spoke", NAME, 0.35, G::NameAfter),
    // Addresses follow.
    kw!("address", ADDRESS, 0.4, G::AddressAfter),
    kw!("addr", ADDRESS, 0.4, G::AddressAfter),
    kw!("to", ADDRESS, 0.0, G::AddressAfter),
    kw!("at", ADDRESS, 0.0, G::AddressAfter),
    kw!("dob", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("birthday", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("birth", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("birthdate", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("born", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("csrq", one(T::DateOfBirth), 0.5, G::DobAfter),
    kw!("ethnicity", one(T::Ethnicity), 0.5, G::EthnicityAfter),
    kw!("ethnic", one(T::Ethnicity), 0.5, G::EthnicityAfter),
    kw!("religion", one(T::Religion), 0.5, G::ReligionAfter),
    kw!("faith", one(T::Religion), 0.45, G::ReligionAfter),
    kw!("diagnosis", one(T::Health), 0.5, G::HealthAfter),
    kw!("diagnosed", one(T::Health), 0.5, G::HealthAfter),
    kw!("condition", one(T::Health), 0.4, G::HealthAfter),
    kw!("allergy", one(T::Health), 0.5, G::HealthAfter),
    kw!("allergies", one(T::Health), 0.5, G::HealthAfter),
    kw!("disease", one(T::Health), 0.45, G::HealthAfter),
    kw!("history", one(T::Health), 0.3, G::HealthAfter),
    kw!("fingerprint", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("template", one(T::Biometric), 0.4, G::BiometricAfter),
    kw!("facefeature", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("feature", one(T::Biometric), 0.35, G::BiometricAfter),
    kw!("voiceprint", one(T::Biometric), 0.5, G::BiometricAfter),
    kw!("iris", one(T::Biometric), 0.45, G::BiometricAfter),
    kw!("password", one(T::Credential), 0.5, G::CredentialAfter),
    kw!("passwd", one(T::Credential), 0.5, G::CredentialAfter),
    kw!("pwd", one(T::Credential), 0.5, G::CredentialAfter),
    kw!("secret", one(T::Credential), 0.45, G::CredentialAfter),
    kw!("apikey", one(T::Credential), 0.45, G::CredentialAfter),
    kw!("accesskey", one(T::Credential), 0.45, G::CredentialAfter),
    kw!("secretkey", one(T::Credential), 0.45, G::CredentialAfter),
    kw!("bearer", one(T::Credential), 0.5, G::CredentialAfter),
    kw!("token", one(T::Credential), 0.4, G::CredentialAfter),
    // Not personal.
    kw!("order", NUMERIC, -0.5),
    kw!("orderid", NUMERIC, -0.5),
    kw!("orderno", NUMERIC, -0.5),
    kw!("txn", NUMERIC, -0.5),
    kw!("txnid", NUMERIC, -0.5),
    kw!("transaction", NUMERIC, -0.5),
    kw!("trade", NUMERIC, -0.4),
    kw!("trace", NUMERIC.with(T::DeviceId), -0.5),
    kw!("traceid", NUMERIC.with(T::DeviceId), -0.5),
    kw!("request", NUMERIC.with(T::DeviceId), -0.4),
    kw!("requestid", NUMERIC.with(T::DeviceId), -0.5),
    kw!("reqid", NUMERIC.with(T::DeviceId), -0.5),
    kw!("tracking", NUMERIC, -0.5),
    kw!("shipment", NUMERIC, -0.5),
    kw!("courier", NUMERIC, -0.5),
    kw!("trackingno", NUMERIC, -0.5),
    kw!("waybill", NUMERIC, -0.5),
    kw!("invoice", NUMERIC, -0.5),
    kw!("amount", NUMERIC, -0.5),
    kw!("price", NUMERIC, -0.5),
    kw!("total", NUMERIC, -0.5),
    kw!("fee", NUMERIC, -0.4),
    kw!("version", NUMERIC, -0.5),
    kw!("ver", NUMERIC, -0.5),
    kw!("build", NUMERIC, -0.4),
    kw!("port", NUMERIC, -0.5),
    kw!("pid", NUMERIC, -0.5),
    kw!("hash", NUMERIC.with(T::DeviceId), -0.5),
    kw!("sha", NUMERIC.with(T::DeviceId), -0.5),
    kw!("md5", NUMERIC.with(T::DeviceId), -0.5),
    kw!("uuid", NUMERIC.with(T::DeviceId), -0.4),
    kw!("sku", NUMERIC, -0.5),
    kw!("serial", NUMERIC, -0.4),
    kw!("ticket", NUMERIC, -0.4),
    kw!("ts", NUMERIC, -0.5),
    kw!("timestamp", NUMERIC, -0.5),
    kw!("time", NUMERIC, -0.3),
    kw!("epoch", NUMERIC, -0.5),
    kw!("latency", NUMERIC, -0.5),
    kw!("duration", NUMERIC, -0.5),
    kw!("oid", NUMERIC, -0.5),
    kw!("zip", NUMERIC, -0.4),
    kw!("snowflake", NUMERIC, -0.5),
    kw!("hotline", PHONES, -0.3),
];

/// Longest English keyword, in bytes.
pub(crate) const EN_MAX_LEN: usize = 16;

/// Chinese keywords sorted by first character, longest first within a character.
#[derive(Debug)]
pub(crate) struct ZhIndex {
    /// Distinct first characters, sorted.
    firsts: Vec<char>,
    /// For each BMP character, 1 + its index in `firsts` (0: no keyword starts with it).
    slot: Vec<u16>,
    /// For each first character, its range in `entries`.
    ranges: Vec<(u16, u16)>,
    /// (bytes after the first character, keyword index, the first 3 of those bytes packed by
    /// [`pack3`]), longest first per first character.
    entries: Vec<(&'static [u8], u16, u32)>,
}

/// The first three bytes of `b` as one number (`None` if shorter): one comparison per keyword
/// instead of a byte loop.
#[inline]
fn pack3(b: &[u8]) -> Option<u32> {
    match b {
        &[x, y, z, ..] => Some(u32::from(x) | (u32::from(y) << 8) | (u32::from(z) << 16)),
        _ => None,
    }
}

impl ZhIndex {
    pub(crate) fn new() -> ZhIndex {
        let mut all: Vec<(char, usize, u16)> = ZH_KEYWORDS
            .iter()
            .enumerate()
            .filter_map(|(i, k)| k.word.chars().next().map(|c| (c, k.word.len(), i as u16)))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut firsts = Vec::new();
        let mut ranges: Vec<(u16, u16)> = Vec::new();
        let mut entries = Vec::new();
        for (c, _, i) in all {
            let Some(kw) = ZH_KEYWORDS.get(i as usize) else {
                continue;
            };
            let rest = kw.word.as_bytes().get(c.len_utf8()..).unwrap_or_default();
            if firsts.last() != Some(&c) {
                firsts.push(c);
                ranges.push((entries.len() as u16, entries.len() as u16));
            }
            entries.push((rest, i, pack3(rest).unwrap_or(u32::MAX)));
            if let Some(r) = ranges.last_mut() {
                r.1 = entries.len() as u16;
            }
        }
        let mut slot = vec![0u16; 0x10000];
        for (k, c) in firsts.iter().enumerate() {
            if let Some(v) = slot.get_mut(*c as usize) {
                *v = k as u16 + 1;
            }
        }
        ZhIndex {
            firsts,
            slot,
            ranges,
            entries,
        }
    }

    /// First characters, for the engine's character table.
    pub(crate) fn first_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.firsts.iter().copied()
    }

    /// The longest keyword starting at `text[i..]` whose first char is `c`.
    #[inline]
    pub(crate) fn longest_at(&self, text: &[u8], i: usize, c: char) -> Option<&'static Keyword> {
        let at = usize::from(*self.slot.get(c as usize)?).checked_sub(1)?;
        let &(from, to) = self.ranges.get(at)?;
        let after = text.get(i + c.len_utf8()..)?;
        // The next three bytes (the second character) decide most lookups in one comparison;
        // `u32::MAX` never equals a packed key, so keywords with a shorter rest are compared in
        // full.
        let next = pack3(after);
        for &(rest, k, key) in self.entries.get(from as usize..to as usize)? {
            if (key == u32::MAX || Some(key) == next) && after.starts_with(rest) {
                return ZH_KEYWORDS.get(k as usize);
            }
        }
        None
    }
}

/// English keywords in an open-addressing hash table keyed by the normalised word (lowercase,
/// `_` and `-` removed), so a lookup reads the word once and allocates nothing.
#[derive(Debug)]
pub(crate) struct EnIndex {
    table: Vec<u16>,
    /// Bit (a*26+b) set when some keyword's normalised form starts with letters a, b.
    pairs: [u64; 11],
}

const EN_SLOTS: usize = 1024;
const EMPTY_SLOT: u16 = u16::MAX;

/// Hash of a normalised word (lowercase, no `_` or `-`, 2..=EN_MAX_LEN bytes) from its
/// length and its first two and last two bytes: O(1), no loop over the word.
#[inline]
fn en_hash(norm: &[u8]) -> usize {
    let n = norm.len();
    let byte = |k: usize| u32::from(norm.get(k).copied().unwrap_or(0));
    let v = (n as u32) | (byte(0) << 8) | (byte(1) << 16) | (byte(n.wrapping_sub(2)) << 24);
    let v = v ^ byte(n.wrapping_sub(1)).wrapping_mul(0x85EB_CA6B);
    (v.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

/// `word` lowercased without `_` and `-` into `buf`; `None` if longer than [`EN_MAX_LEN`].
#[inline]
fn normalise<'b>(word: &[u8], buf: &'b mut [u8; EN_MAX_LEN]) -> Option<&'b [u8]> {
    let mut n = 0;
    for &b in word {
        if b == b'_' || b == b'-' {
            continue;
        }
        *buf.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    buf.get(..n)
}

/// Index of the first two letters of the normalised word in a 26×26 bitset.
#[inline]
fn pair_bit(word: &[u8]) -> Option<usize> {
    let mut it = word.iter().filter(|&&b| b != b'_' && b != b'-');
    let x = it.next()?.to_ascii_lowercase();
    let y = it.next()?.to_ascii_lowercase();
    if !x.is_ascii_lowercase() || !y.is_ascii_lowercase() {
        return None;
    }
    Some(usize::from(x - b'a') * 26 + usize::from(y - b'a'))
}

impl EnIndex {
    pub(crate) fn new() -> EnIndex {
        let mut table = vec![EMPTY_SLOT; EN_SLOTS];
        for (i, k) in EN_KEYWORDS.iter().enumerate() {
            let mut buf = [0u8; EN_MAX_LEN];
            let Some(norm) = normalise(k.word.as_bytes(), &mut buf) else {
                continue;
            };
            let mut slot = en_hash(norm) % EN_SLOTS;
            while table.get(slot).is_some_and(|&v| v != EMPTY_SLOT) {
                slot = (slot + 1) % EN_SLOTS;
            }
            if let Some(v) = table.get_mut(slot) {
                *v = i as u16;
            }
        }
        let mut pairs = [0u64; 11];
        for k in EN_KEYWORDS {
            if let Some(bit) = pair_bit(k.word.as_bytes())
                && let Some(w) = pairs.get_mut(bit / 64)
            {
                *w |= 1 << (bit % 64);
            }
        }
        EnIndex { table, pairs }
    }

    /// Looks up a word as written (any case, with `_`/`-`).
    #[inline]
    pub(crate) fn get(&self, word: &[u8]) -> Option<&'static Keyword> {
        if word.len() < 2 {
            return None;
        }
        let bit = pair_bit(word)?;
        if self
            .pairs
            .get(bit / 64)
            .is_none_or(|w| w & (1 << (bit % 64)) == 0)
        {
            return None;
        }
        let mut buf = [0u8; EN_MAX_LEN];
        let norm = normalise(word, &mut buf)?;
        let mut slot = en_hash(norm) % EN_SLOTS;
        loop {
            let v = *self.table.get(slot)?;
            if v == EMPTY_SLOT {
                return None;
            }
            let kw = EN_KEYWORDS.get(v as usize)?;
            if kw.word.as_bytes() == norm {
                return Some(kw);
            }
            slot = (slot + 1) % EN_SLOTS;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_are_lowercase_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in EN_KEYWORDS {
            assert!(
                k.word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{}",
                k.word
            );
            assert!(k.word.len() <= EN_MAX_LEN, "{}", k.word);
            assert!(seen.insert(k.word), "duplicate {}", k.word);
        }
    }

    #[test]
    fn chinese_words_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in ZH_KEYWORDS {
            assert!(seen.insert(k.word), "duplicate {}", k.word);
        }
    }

    #[test]
    fn lookups() {
        let en = EnIndex::new();
        assert_eq!(en.get(b"androidid").map(|k| k.word), Some("androidid"));
        assert_eq!(en.get(b"android_Id").map(|k| k.word), Some("androidid"));
        assert_eq!(en.get(b"PASSWORD").map(|k| k.word), Some("password"));
        assert!(en.get(b"pass").is_none());
        assert!(en.get(b"zebra").is_none());
        let zh = ZhIndex::new();
        let t = "身份证号码：".as_bytes();
        assert_eq!(
            zh.longest_at(t, 0, '身').map(|k| k.word),
            Some("身份证号码")
        );
    }
}
