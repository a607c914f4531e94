//! Field (column header, JSON key) names as context: English, Chinese and the pinyin abbreviations
//! of Chinese schemas (`sfzh`, `sjhm`, `xm`, `dz`).
//!
//! # How a name is read
//!
//! 1. **Path.** A key path such as `data.records[].user.profile.mobile` is split on `.`, `/`,
//!    `\`, `:`, `[` and `]`; array indexes and empty segments are dropped. The last segment
//!    decides. The parent segment is consulted in two cases only: a bare `name` (`merchant.name`
//!    and `company.name` are not people, `receiver.name` is), and a last segment made only of
//!    filler words (`geo.point`, `phone.number`, `mobile.value`).
//! 2. **Tokens.** Full-width ASCII is folded to ASCII, bracketed notes are dropped
//!    (`手机号（必填）`), ASCII words are split on `_`, `-`, spaces and camelCase (`idCardNo` →
//!    `id card no`, `IPv6Address` → `ipv6 address`) and lowercased; every CJK character is a
//!    token of its own. An ASCII token that is unknown is retried without trailing digits
//!    (`mobile2`, the de-duplicated header), as a singular (`allergies`), and without a common
//!    prefix or suffix glued to it (`usermobile`, `phoneno`, `idcardnumber`).
//! 3. **Rules.** Every rule is a token sequence (`id card`, `身份证号`, pinyin `sfzh`) with the
//!    hint it gives: PI types, "not PI" (`order_no`, `金额`), or nothing at all (`remark`,
//!    `username`, `url`, `type` — words that stop a weaker rule from winning). Rules match whole
//!    tokens only, so `ip` never matches inside `zip` or `ship`, and `mz` / `dz` / `xm` only as
//!    tokens of their own. Multi-word ASCII rules also match their glued form (`idcard`,
//!    `lastloginip`).
//! 4. **Winner.** Chinese and English put the head noun last, so the match that reaches furthest
//!    to the right wins (`order_mobile` is a phone, `mobile_order_no` an order number,
//!    `身份证地址` an address, `id_card_type` nothing). Filler tokens after a match (`no`,
//!    `number`, `code`, `号`, `码`, `编`) count as part of it, and among matches reaching equally
//!    far the one starting first wins: `香港身份证号码` is a Hong Kong ID, not a mainland one, and
//!    `ip_address` is an IP address, not a postal one.
//!
//! # Decisions worth knowing
//!
//! * `name` is a person's name only on its own, after a person word (`first_name`,
//!   `receiver_name`, `patient_name`, `en_name`) or under a parent that is not a thing
//!   (`receiver.name`, `records[].name`). `file_name`, `product_name`, `company_name`,
//!   `app_name`, `host_name`, `merchant.name` give no hint.
//! * `username`, `user_name`, `nickname`, `login_name`, `account`, `用户名`, `昵称`, `账号` are
//!   account handles, not person names: no hint (values decide — a username that is an e-mail
//!   address or a mobile number is still found by its value).
//! * `nation` and `民族` are ethnicity (the usual translation in Chinese schemas);
//!   `nationality` / `国籍` give no hint.
//! * `user_id`, `uid`, `id`, `用户ID` give no hint (they are identifiers, but of no detected
//!   type; they are not marked "not PI" either, since some systems use the mobile number as
//!   the user id).
//! * `remark`, `note`, `comment`, `备注` are free text: no hint, neither PI nor not PI.
//! * "Not PI" comes only from names that clearly say so (order, tracking and transaction
//!   numbers, amounts, counts, years, versions, timestamps, statuses, hashes, postcodes). A
//!   `phone` column full of order numbers still gets the phone hint: values decide.
//! * Generic document numbers (`证件号码`, `zjhm`, `id_no`, `cert_no`) hint the identity
//!   documents that have a validator (resident ID, passport, Home Return Permit, HK ID, TW ID),
//!   not the shape-only Taiwan permit and Macao ID.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use xiezhi_model::PiType;

use crate::typeset::TypeSet;

/// What a field name says about the values under it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldHint {
    /// Types the name suggests (`phone` → mobile and landline). Empty when the name says nothing.
    pub types: TypeSet,
    /// The name says the values are not PI (`order_no`, `amount`, `trace_id`, `订单号`).
    pub not_pi: bool,
    /// Evidence for findings, such as `name:pinyin sfzh` or `name:身份证号`. Empty when no hint.
    pub evidence: String,
}

impl FieldHint {
    /// Whether the name said anything (PI types or "not PI").
    pub fn is_empty(&self) -> bool {
        self.types.is_empty() && !self.not_pi
    }
}

/// Classifies a field name. `name` may be a CSV header, a JSON key or a JSON key path
/// (`data.records[].user.mobile`); for paths the last segment counts most.
pub fn field_hint(name: &str) -> FieldHint {
    let table = table();
    let segs = segments(name);
    let Some((last, parents)) = segs.split_last() else {
        return FieldHint::default();
    };
    let toks = tokens(last, table);
    let parent = parents.last().map(|p| tokens(p, table));
    match classify(&toks, parent.as_deref(), table) {
        Outcome::Rule(r) => r.to_hint(),
        Outcome::Blank => FieldHint::default(),
        Outcome::NoMatch => {
            // `geo.point`, `phone.number`: the last segment says nothing but "value".
            let only_fillers = toks.iter().all(|t| PARENT_FILLERS.contains(&t.as_str()));
            match parent {
                Some(p) if only_fillers => {
                    let grand = parents
                        .len()
                        .checked_sub(2)
                        .and_then(|i| parents.get(i))
                        .map(|g| tokens(g, table));
                    match classify(&p, grand.as_deref(), table) {
                        Outcome::Rule(r) => r.to_hint(),
                        _ => FieldHint::default(),
                    }
                }
                _ => FieldHint::default(),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hints and rules
// ---------------------------------------------------------------------------------------------

/// The hint a rule gives.
#[derive(Debug, Clone, Copy)]
struct Hint {
    types: TypeSet,
    not_pi: bool,
    /// The English word `name`: a person only without a non-person qualifier.
    generic_name: bool,
}

const fn t(types: &[PiType]) -> Hint {
    Hint {
        types: TypeSet::of(types),
        not_pi: false,
        generic_name: false,
    }
}

/// "Not PI".
const NOT: Hint = Hint {
    types: TypeSet::EMPTY,
    not_pi: true,
    generic_name: false,
};
/// No hint at all; stops weaker rules (`remark`, `username`, `url`, `type`).
const BLANK: Hint = Hint {
    types: TypeSet::EMPTY,
    not_pi: false,
    generic_name: false,
};
/// The bare English word `name`.
const GENERIC_NAME: Hint = Hint {
    types: TypeSet::of(&[PiType::PersonName]),
    not_pi: false,
    generic_name: true,
};

use PiType as P;

const RID: Hint = t(&[P::CnResidentId]);
const ID_LIKE: Hint = t(&[
    P::CnResidentId,
    P::CnPassport,
    P::HkMacauPermit,
    P::HkId,
    P::TwId,
]);
const MOBILE: Hint = t(&[P::CnMobile, P::PhoneIntl]);
const PHONE: Hint = t(&[P::CnMobile, P::CnLandline, P::PhoneIntl]);
const LANDLINE: Hint = t(&[P::CnLandline, P::PhoneIntl]);
const INTL: Hint = t(&[P::PhoneIntl]);
const EMAIL: Hint = t(&[P::Email]);
const CARD: Hint = t(&[P::BankCard]);
const PASSPORT: Hint = t(&[P::CnPassport]);
const HKMO: Hint = t(&[P::HkMacauPermit]);
const TWP: Hint = t(&[P::TwPermit]);
const HKID: Hint = t(&[P::HkId]);
const MOID: Hint = t(&[P::MoId]);
const TWID: Hint = t(&[P::TwId]);
const USCC: Hint = t(&[P::CnUscc]);
const PLATE: Hint = t(&[P::CnLicensePlate]);
const VIN: Hint = t(&[P::Vin]);
const IP: Hint = t(&[P::Ipv4, P::Ipv6]);
const IPV4: Hint = t(&[P::Ipv4]);
const IPV6: Hint = t(&[P::Ipv6]);
const MAC: Hint = t(&[P::MacAddress]);
const IMEI: Hint = t(&[P::Imei]);
const DEV: Hint = t(&[P::DeviceId]);
const GPS: Hint = t(&[P::GpsCoordinate]);
const PLACE: Hint = t(&[P::GpsCoordinate, P::CnAddress, P::StreetAddress]);
const NAME: Hint = t(&[P::PersonName]);
const ADDR: Hint = t(&[P::CnAddress, P::StreetAddress]);
const STREET: Hint = t(&[P::StreetAddress]);
const DOB: Hint = t(&[P::DateOfBirth]);
const ETH: Hint = t(&[P::Ethnicity]);
const REL: Hint = t(&[P::Religion]);
const HEALTH: Hint = t(&[P::Health]);
const BIO: Hint = t(&[P::Biometric]);
const CRED: Hint = t(&[P::Credential]);

/// English and Chinese rules. English is written with `_` between words (the tokenizer splits
/// it); the text as written is the evidence (`name:id_card`).
static RULES: &[(&str, Hint)] = &[
    // --- resident ID and other identity documents
    ("id_card", RID),
    ("identity_card", RID),
    ("identity", RID),
    ("citizen_id", RID),
    ("national_id", RID),
    ("resident_id", RID),
    ("personal_id", RID),
    ("ssn", RID),
    ("social_security", RID),
    ("身份证", RID),
    ("身份证号", RID),
    ("居民身份证", RID),
    ("公民身份", RID),
    ("身份号码", RID),
    ("id_no", ID_LIKE),
    ("id_num", ID_LIKE),
    ("id_number", ID_LIKE),
    ("id_nbr", ID_LIKE),
    ("cert_no", ID_LIKE),
    ("cert_num", ID_LIKE),
    ("cert_number", ID_LIKE),
    ("certificate_no", ID_LIKE),
    ("certificate_number", ID_LIKE),
    ("document_no", ID_LIKE),
    ("document_number", ID_LIKE),
    ("doc_no", ID_LIKE),
    ("证件", ID_LIKE),
    ("证件号", ID_LIKE),
    ("身份证件", ID_LIKE),
    ("有效证件", ID_LIKE),
    ("passport", PASSPORT),
    ("护照", PASSPORT),
    ("hk_macau_permit", HKMO),
    ("hk_macao_permit", HKMO),
    ("hkmo_permit", HKMO),
    ("hk_mo_permit", HKMO),
    ("home_return_permit", HKMO),
    ("return_home_permit", HKMO),
    ("港澳通行证", HKMO),
    ("往来港澳通行证", HKMO),
    ("回乡证", HKMO),
    ("港澳居民来往内地通行证", HKMO),
    ("tw_permit", TWP),
    ("taiwan_permit", TWP),
    ("mtp", TWP),
    ("tw_compatriot", TWP),
    ("taiwan_compatriot", TWP),
    ("台胞证", TWP),
    ("台湾居民来往大陆通行证", TWP),
    ("hkid", HKID),
    ("hk_id", HKID),
    ("hk_id_card", HKID),
    ("hong_kong_id", HKID),
    ("hongkong_id", HKID),
    ("香港身份证", HKID),
    ("香港居民身份证", HKID),
    ("香港永久性居民身份证", HKID),
    ("macau_id", MOID),
    ("macao_id", MOID),
    ("mo_id", MOID),
    ("macau_id_card", MOID),
    ("澳门身份证", MOID),
    ("澳门居民身份证", MOID),
    ("tw_id", TWID),
    ("taiwan_id", TWID),
    ("roc_id", TWID),
    ("台湾身份证", TWID),
    ("台湾居民身份证", TWID),
    // --- phones
    ("phone", PHONE),
    ("tel", PHONE),
    ("telephone", PHONE),
    ("phone_number", PHONE),
    ("contact_phone", PHONE),
    ("contact_number", PHONE),
    ("contact_no", PHONE),
    ("contact_tel", PHONE),
    ("mobile", MOBILE),
    ("mobile_phone", MOBILE),
    ("mobile_no", MOBILE),
    ("cellphone", MOBILE),
    ("cell_phone", MOBILE),
    ("cell", MOBILE),
    ("handphone", MOBILE),
    ("msisdn", MOBILE),
    ("landline", LANDLINE),
    ("fax", LANDLINE),
    ("fixed_phone", LANDLINE),
    ("fixed_line", LANDLINE),
    ("home_phone", LANDLINE),
    ("office_phone", LANDLINE),
    ("work_phone", LANDLINE),
    ("home_tel", LANDLINE),
    ("office_tel", LANDLINE),
    ("intl_phone", INTL),
    ("international_phone", INTL),
    ("overseas_phone", INTL),
    ("overseas_mobile", INTL),
    ("overseas_tel", INTL),
    ("foreign_phone", INTL),
    ("phone_intl", INTL),
    ("手机", MOBILE),
    ("手机号", MOBILE),
    ("移动电话", MOBILE),
    ("联系手机", MOBILE),
    ("电话", PHONE),
    ("联系电话", PHONE),
    ("联系方式", PHONE),
    ("电话号码", PHONE),
    ("联系号码", PHONE),
    ("固定电话", LANDLINE),
    ("固话", LANDLINE),
    ("座机", LANDLINE),
    ("办公电话", LANDLINE),
    ("家庭电话", LANDLINE),
    ("单位电话", LANDLINE),
    ("传真", LANDLINE),
    ("境外电话", INTL),
    ("国际电话", INTL),
    ("海外电话", INTL),
    ("境外手机", INTL),
    // --- e-mail
    ("email", EMAIL),
    ("e_mail", EMAIL),
    ("mail", EMAIL),
    ("mailbox", EMAIL),
    ("邮箱", EMAIL),
    ("电子邮箱", EMAIL),
    ("电子邮件", EMAIL),
    ("邮件", EMAIL),
    ("电邮", EMAIL),
    // --- bank cards
    ("card", CARD),
    ("bank_card", CARD),
    ("card_no", CARD),
    ("credit_card", CARD),
    ("debit_card", CARD),
    ("account_no", CARD),
    ("account_number", CARD),
    ("acct_no", CARD),
    ("acc_no", CARD),
    ("bank_account", CARD),
    ("bank_acct", CARD),
    ("银行卡", CARD),
    ("卡号", CARD),
    ("银行卡号", CARD),
    ("银行账号", CARD),
    ("银行账户", CARD),
    ("收款账号", CARD),
    ("收款账户", CARD),
    ("借记卡", CARD),
    ("信用卡", CARD),
    ("储蓄卡", CARD),
    ("会员卡", BLANK),
    ("开户行", BLANK),
    ("账号", BLANK),
    ("账户", BLANK),
    // --- organisations and vehicles
    ("uscc", USCC),
    ("credit_code", USCC),
    ("social_credit_code", USCC),
    ("unified_social_credit_code", USCC),
    ("unified_credit_code", USCC),
    ("tax_no", USCC),
    ("tax_id", USCC),
    ("taxpayer_id", USCC),
    ("统一社会信用代码", USCC),
    ("社会信用代码", USCC),
    ("信用代码", USCC),
    ("纳税人识别号", USCC),
    ("税号", USCC),
    ("营业执照号", USCC),
    ("plate", PLATE),
    ("license_plate", PLATE),
    ("licence_plate", PLATE),
    ("car_no", PLATE),
    ("car_number", PLATE),
    ("car_plate", PLATE),
    ("vehicle_no", PLATE),
    ("vehicle_number", PLATE),
    ("vehicle_plate", PLATE),
    ("车牌", PLATE),
    ("车牌号", PLATE),
    ("号牌", PLATE),
    ("vin", VIN),
    ("frame_no", VIN),
    ("frame_number", VIN),
    ("chassis_no", VIN),
    ("chassis_number", VIN),
    ("vehicle_identification_number", VIN),
    ("车架号", VIN),
    ("车架", VIN),
    ("车辆识别代号", VIN),
    ("车辆识别码", VIN),
    ("车辆识别号", VIN),
    // --- network and devices
    ("ip", IP),
    ("ip_v4", IPV4),
    ("ip_v6", IPV6),
    ("ipv4", IPV4),
    ("ipv6", IPV6),
    ("client_ip", IP),
    ("remote_ip", IP),
    ("login_ip", IP),
    ("last_login_ip", IP),
    ("reg_ip", IP),
    ("register_ip", IP),
    ("user_ip", IP),
    ("src_ip", IP),
    ("source_ip", IP),
    ("dst_ip", IP),
    ("dest_ip", IP),
    ("real_ip", IP),
    ("public_ip", IP),
    ("host_ip", IP),
    ("server_ip", IP),
    ("x_forwarded_for", IP),
    ("xff", IP),
    ("mac", MAC),
    ("wifi_mac", MAC),
    ("bssid", MAC),
    ("imei", IMEI),
    ("meid", IMEI),
    ("串号", IMEI),
    ("国际移动设备识别码", IMEI),
    ("device", DEV),
    ("device_id", DEV),
    ("android_id", DEV),
    ("idfa", DEV),
    ("idfv", DEV),
    ("oaid", DEV),
    ("gaid", DEV),
    ("udid", DEV),
    ("adid", DEV),
    ("ad_id", DEV),
    ("advertising_id", DEV),
    ("device_token", DEV),
    ("设备", DEV),
    ("设备号", DEV),
    ("设备id", DEV),
    ("设备标识", DEV),
    ("设备码", DEV),
    ("设备识别码", DEV),
    ("安卓id", DEV),
    ("广告标识", DEV),
    // --- location
    ("lat", GPS),
    ("lng", GPS),
    ("lon", GPS),
    ("long", GPS),
    ("latitude", GPS),
    ("longitude", GPS),
    ("lat_lng", GPS),
    ("lng_lat", GPS),
    ("lat_lon", GPS),
    ("lon_lat", GPS),
    ("gps", GPS),
    ("coord", GPS),
    ("coordinate", GPS),
    ("coordinates", GPS),
    ("geo", GPS),
    ("geolocation", GPS),
    ("location", PLACE),
    ("loc", PLACE),
    ("经度", GPS),
    ("纬度", GPS),
    ("经纬度", GPS),
    ("坐标", GPS),
    ("位置坐标", GPS),
    ("定位", GPS),
    ("位置", PLACE),
    ("所在位置", PLACE),
    // --- names
    ("name", GENERIC_NAME),
    ("full_name", NAME),
    ("real_name", NAME),
    ("true_name", NAME),
    ("first_name", NAME),
    ("last_name", NAME),
    ("given_name", NAME),
    ("family_name", NAME),
    ("sur_name", NAME),
    ("surname", NAME),
    ("middle_name", NAME),
    ("fname", NAME),
    ("lname", NAME),
    ("english_name", NAME),
    ("chinese_name", NAME),
    ("person_name", NAME),
    ("contact", NAME),
    ("contact_person", NAME),
    ("emergency_contact", NAME),
    ("receiver", NAME),
    ("recipient", NAME),
    ("consignee", NAME),
    ("linkman", NAME),
    ("patient", NAME),
    ("customer", NAME),
    ("owner", NAME),
    ("holder", NAME),
    ("cardholder", NAME),
    ("card_holder", NAME),
    ("account_holder", NAME),
    ("applicant", NAME),
    ("payer", NAME),
    ("payee", NAME),
    ("guardian", NAME),
    ("spouse", NAME),
    ("legal_rep", NAME),
    ("legal_representative", NAME),
    ("legal_person", NAME),
    ("representative", NAME),
    ("user_name", BLANK),
    ("nick_name", BLANK),
    ("nickname", BLANK),
    ("login_name", BLANK),
    ("display_name", BLANK),
    ("screen_name", BLANK),
    ("account", BLANK),
    ("handle", BLANK),
    ("login", BLANK),
    ("姓名", NAME),
    ("名字", NAME),
    ("真实姓名", NAME),
    ("联系人", NAME),
    ("紧急联系人", NAME),
    ("收件人", NAME),
    ("收货人", NAME),
    ("寄件人", NAME),
    ("发件人", NAME),
    ("患者", NAME),
    ("病人", NAME),
    ("就诊人", NAME),
    ("法定代表人", NAME),
    ("法人", NAME),
    ("法人代表", NAME),
    ("负责人", NAME),
    ("经办人", NAME),
    ("监护人", NAME),
    ("持卡人", NAME),
    ("户名", NAME),
    ("开户名", NAME),
    ("开户人", NAME),
    ("英文名", NAME),
    ("中文名", NAME),
    ("申请人", NAME),
    ("当事人", NAME),
    ("车主", NAME),
    ("业主", NAME),
    ("被保险人", NAME),
    ("投保人", NAME),
    ("受益人", NAME),
    ("乘客", NAME),
    ("旅客", NAME),
    ("用户名", BLANK),
    ("昵称", BLANK),
    ("名称", BLANK),
    ("登录名", BLANK),
    // --- addresses
    ("address", ADDR),
    ("addr", ADDR),
    ("adress", ADDR),
    ("street", ADDR),
    ("street_address", ADDR),
    ("residence", ADDR),
    ("domicile", ADDR),
    ("overseas_address", STREET),
    ("foreign_address", STREET),
    ("intl_address", STREET),
    ("international_address", STREET),
    ("地址", ADDR),
    ("住址", ADDR),
    ("住所", ADDR),
    ("居住地", ADDR),
    ("所在地", ADDR),
    ("境外地址", STREET),
    ("国外地址", STREET),
    ("海外地址", STREET),
    ("city", BLANK),
    ("province", BLANK),
    ("country", BLANK),
    ("county", BLANK),
    ("district", BLANK),
    ("state", BLANK),
    ("region", BLANK),
    ("城市", BLANK),
    ("省份", BLANK),
    ("国家", BLANK),
    ("籍贯", BLANK),
    ("归属地", BLANK),
    ("出生地", BLANK),
    ("birth_place", BLANK),
    ("birthplace", BLANK),
    // --- dates of birth
    ("dob", DOB),
    ("birthday", DOB),
    ("birth_date", DOB),
    ("date_of_birth", DOB),
    ("birth", DOB),
    ("born", DOB),
    ("bday", DOB),
    ("birth_day", DOB),
    ("birth_year", DOB),
    ("birth_time", DOB),
    ("出生日期", DOB),
    ("出生年月", DOB),
    ("出生年月日", DOB),
    ("出生时间", DOB),
    ("出生", DOB),
    ("生日", DOB),
    // --- ethnicity, religion
    ("ethnicity", ETH),
    ("ethnic", ETH),
    ("ethnic_group", ETH),
    ("nation", ETH),
    ("race", ETH),
    ("nationality", BLANK),
    ("民族", ETH),
    ("族别", ETH),
    ("国籍", BLANK),
    ("religion", REL),
    ("religious", REL),
    ("religious_belief", REL),
    ("faith", REL),
    ("belief", REL),
    ("宗教", REL),
    ("宗教信仰", REL),
    ("信仰", REL),
    // --- health
    ("diagnosis", HEALTH),
    ("diagnoses", HEALTH),
    ("diagnose", HEALTH),
    ("disease", HEALTH),
    ("illness", HEALTH),
    ("medical_history", HEALTH),
    ("medical_condition", HEALTH),
    ("medical_record", HEALTH),
    ("medical", HEALTH),
    ("allergy", HEALTH),
    ("allergic", HEALTH),
    ("allergen", HEALTH),
    ("symptom", HEALTH),
    ("health", HEALTH),
    ("health_status", HEALTH),
    ("health_condition", HEALTH),
    ("medication", HEALTH),
    ("chief_complaint", HEALTH),
    ("past_history", HEALTH),
    ("blood_type", HEALTH),
    ("disability", HEALTH),
    ("诊断", HEALTH),
    ("诊断结果", HEALTH),
    ("疾病", HEALTH),
    ("病史", HEALTH),
    ("既往史", HEALTH),
    ("既往病史", HEALTH),
    ("过敏史", HEALTH),
    ("过敏", HEALTH),
    ("药物过敏", HEALTH),
    ("病情", HEALTH),
    ("症状", HEALTH),
    ("健康状况", HEALTH),
    ("健康", HEALTH),
    ("身体状况", HEALTH),
    ("主诉", HEALTH),
    ("病历", HEALTH),
    ("用药", HEALTH),
    ("体检结果", HEALTH),
    ("病名", HEALTH),
    ("传染病", HEALTH),
    ("慢性病", HEALTH),
    ("手术史", HEALTH),
    ("家族史", HEALTH),
    ("血型", HEALTH),
    ("残疾", HEALTH),
    // --- biometrics
    ("fingerprint", BIO),
    ("finger_print", BIO),
    ("face", BIO),
    ("face_feature", BIO),
    ("face_template", BIO),
    ("face_data", BIO),
    ("face_vector", BIO),
    ("face_embedding", BIO),
    ("face_image", BIO),
    ("face_photo", BIO),
    ("face_id", BIO),
    ("faceprint", BIO),
    ("face_print", BIO),
    ("voiceprint", BIO),
    ("voice_print", BIO),
    ("iris", BIO),
    ("palm_print", BIO),
    ("palmprint", BIO),
    ("biometric", BIO),
    ("指纹", BIO),
    ("人脸", BIO),
    ("人脸特征", BIO),
    ("人脸信息", BIO),
    ("人脸照片", BIO),
    ("面部特征", BIO),
    ("声纹", BIO),
    ("虹膜", BIO),
    ("掌纹", BIO),
    ("生物特征", BIO),
    ("生物识别", BIO),
    // --- credentials
    ("password", CRED),
    ("passwd", CRED),
    ("pwd", CRED),
    ("pass_word", CRED),
    ("passcode", CRED),
    ("password_hash", CRED),
    ("pin", CRED),
    ("secret", CRED),
    ("client_secret", CRED),
    ("app_secret", CRED),
    ("secret_key", CRED),
    ("token", CRED),
    ("access_token", CRED),
    ("refresh_token", CRED),
    ("id_token", CRED),
    ("auth_token", CRED),
    ("session_token", CRED),
    ("api_key", CRED),
    ("access_key", CRED),
    ("access_key_id", CRED),
    ("secret_access_key", CRED),
    ("private_key", CRED),
    ("authorization", CRED),
    ("auth", CRED),
    ("bearer", CRED),
    ("jwt", CRED),
    ("credential", CRED),
    ("cookie", CRED),
    ("public_key", BLANK),
    ("expires", BLANK),
    ("expire", BLANK),
    ("expiry", BLANK),
    ("expiration", BLANK),
    ("ttl", BLANK),
    ("密码", CRED),
    ("口令", CRED),
    ("密钥", CRED),
    ("秘钥", CRED),
    ("私钥", CRED),
    ("令牌", CRED),
    // --- clearly not PI
    ("order", NOT),
    ("order_no", NOT),
    ("order_id", NOT),
    ("order_sn", NOT),
    ("tracking", NOT),
    ("tracking_no", NOT),
    ("waybill", NOT),
    ("express_no", NOT),
    ("logistics_no", NOT),
    ("trace_id", NOT),
    ("span_id", NOT),
    ("request_id", NOT),
    ("req_id", NOT),
    ("event_id", NOT),
    ("message_id", NOT),
    ("msg_id", NOT),
    ("txn", NOT),
    ("txn_id", NOT),
    ("transaction_id", NOT),
    ("transaction_no", NOT),
    ("trade_no", NOT),
    ("out_trade_no", NOT),
    ("invoice", NOT),
    ("batch", NOT),
    ("amount", NOT),
    ("amt", NOT),
    ("price", NOT),
    ("total", NOT),
    ("fee", NOT),
    ("cost", NOT),
    ("balance", NOT),
    ("count", NOT),
    ("cnt", NOT),
    ("qty", NOT),
    ("quantity", NOT),
    ("year", NOT),
    ("month", NOT),
    ("version", NOT),
    ("ver", NOT),
    ("timestamp", NOT),
    ("ts", NOT),
    ("time", NOT),
    ("date", NOT),
    ("created", NOT),
    ("updated", NOT),
    ("modified", NOT),
    ("created_at", NOT),
    ("updated_at", NOT),
    ("deleted_at", NOT),
    ("create_time", NOT),
    ("update_time", NOT),
    ("modify_time", NOT),
    ("gmt_create", NOT),
    ("gmt_modified", NOT),
    ("ctime", NOT),
    ("mtime", NOT),
    ("status", NOT),
    ("sku", NOT),
    ("sku_id", NOT),
    ("product_id", NOT),
    ("item_id", NOT),
    ("goods_id", NOT),
    ("seq", NOT),
    ("sequence", NOT),
    ("index", NOT),
    ("idx", NOT),
    ("row", NOT),
    ("rownum", NOT),
    ("page", NOT),
    ("page_size", NOT),
    ("limit", NOT),
    ("offset", NOT),
    ("zip", NOT),
    ("zipcode", NOT),
    ("postcode", NOT),
    ("post_code", NOT),
    ("postal_code", NOT),
    ("score", NOT),
    ("rate", NOT),
    ("ratio", NOT),
    ("percent", NOT),
    ("duration", NOT),
    ("latency", NOT),
    ("elapsed", NOT),
    ("checksum", NOT),
    ("hash", NOT),
    ("md5", NOT),
    ("sha1", NOT),
    ("sha256", NOT),
    ("digest", NOT),
    ("crc", NOT),
    ("size", NOT),
    ("length", NOT),
    ("len", NOT),
    ("订单", NOT),
    ("单号", NOT),
    ("流水", NOT),
    ("交易号", NOT),
    ("交易流水", NOT),
    ("运单", NOT),
    ("快递单", NOT),
    ("物流单", NOT),
    ("发票", NOT),
    ("工单", NOT),
    ("批次", NOT),
    ("金额", NOT),
    ("价格", NOT),
    ("单价", NOT),
    ("总价", NOT),
    ("合计", NOT),
    ("总计", NOT),
    ("费用", NOT),
    ("余额", NOT),
    ("数量", NOT),
    ("次数", NOT),
    ("年份", NOT),
    ("年度", NOT),
    ("时间", NOT),
    ("日期", NOT),
    ("版本", NOT),
    ("序号", NOT),
    ("状态", NOT),
    ("邮编", NOT),
    ("邮政编码", NOT),
    ("耗时", NOT),
    ("比例", NOT),
    // --- free text and other words that stop a weaker rule: no hint
    ("remark", BLANK),
    ("note", BLANK),
    ("comment", BLANK),
    ("memo", BLANK),
    ("desc", BLANK),
    ("description", BLANK),
    ("summary", BLANK),
    ("title", BLANK),
    ("subject", BLANK),
    ("body", BLANK),
    ("reason", BLANK),
    ("message", BLANK),
    ("msg", BLANK),
    ("备注", BLANK),
    ("说明", BLANK),
    ("描述", BLANK),
    ("摘要", BLANK),
    ("标题", BLANK),
    ("留言", BLANK),
    ("id", BLANK),
    ("uid", BLANK),
    ("uuid", BLANK),
    ("guid", BLANK),
    ("type", BLANK),
    ("kind", BLANK),
    ("category", BLANK),
    ("model", BLANK),
    ("brand", BLANK),
    ("os", BLANK),
    ("url", BLANK),
    ("uri", BLANK),
    ("link", BLANK),
    ("href", BLANK),
    ("path", BLANK),
    ("img", BLANK),
    ("image", BLANK),
    ("photo", BLANK),
    ("pic", BLANK),
    ("picture", BLANK),
    ("avatar", BLANK),
    ("icon", BLANK),
    ("file", BLANK),
    ("attachment", BLANK),
    ("flag", BLANK),
    ("verified", BLANK),
    ("enabled", BLANK),
    ("valid", BLANK),
    ("validity", BLANK),
    ("mask", BLANK),
    ("masked", BLANK),
    ("encrypted", BLANK),
    ("enc", BLANK),
    ("cipher", BLANK),
    ("ciphertext", BLANK),
    ("format", BLANK),
    ("pattern", BLANK),
    ("gender", BLANK),
    ("sex", BLANK),
    ("age", BLANK),
    ("类型", BLANK),
    ("型号", BLANK),
    ("品牌", BLANK),
    ("有效期", BLANK),
    ("照片", BLANK),
    ("图片", BLANK),
    ("头像", BLANK),
    ("链接", BLANK),
    ("网址", BLANK),
    ("正面", BLANK),
    ("反面", BLANK),
    ("性别", BLANK),
    ("年龄", BLANK),
];

/// Pinyin abbreviations of Chinese schemas; the evidence is `name:pinyin sfzh`.
static PINYIN: &[(&str, Hint)] = &[
    ("sfzh", RID),
    ("sfzhm", RID),
    ("sfz", RID),
    ("sfzjhm", RID),
    ("gmsfhm", RID),
    ("gmsfzh", RID),
    ("shfzh", RID),
    ("zjhm", ID_LIKE),
    ("zjh", ID_LIKE),
    ("sjhm", MOBILE),
    ("sjh", MOBILE),
    ("sj", MOBILE),
    ("shouji", MOBILE),
    ("yddh", MOBILE),
    ("lxsj", MOBILE),
    ("lxdh", PHONE),
    ("dh", PHONE),
    ("dhhm", PHONE),
    ("lxfs", PHONE),
    ("gddh", LANDLINE),
    ("jtdh", LANDLINE),
    ("bgdh", LANDLINE),
    ("czhm", LANDLINE),
    ("jwdh", INTL),
    ("yx", EMAIL),
    ("dzyx", EMAIL),
    ("dzyj", EMAIL),
    ("yxdz", EMAIL),
    ("yhkh", CARD),
    ("yhk", CARD),
    ("yhzh", CARD),
    ("hzhm", PASSPORT),
    ("hzh", PASSPORT),
    ("gatxz", HKMO),
    ("gatxzh", HKMO),
    ("gatxzhm", HKMO),
    ("hxz", HKMO),
    ("tbz", TWP),
    ("tbzh", TWP),
    ("xgsfz", HKID),
    ("xgsfzh", HKID),
    ("amsfz", MOID),
    ("amsfzh", MOID),
    ("twsfz", TWID),
    ("twsfzh", TWID),
    ("tyshxydm", USCC),
    ("shxydm", USCC),
    ("tyxydm", USCC),
    ("xydm", USCC),
    ("cph", PLATE),
    ("cphm", PLATE),
    ("cjh", VIN),
    ("clsbdm", VIN),
    ("dlip", IP),
    ("ipdz", IP),
    ("macdz", MAC),
    ("sbh", DEV),
    ("sbid", DEV),
    ("sbbs", DEV),
    ("sbm", DEV),
    ("jwd", GPS),
    ("wzzb", GPS),
    ("xm", NAME),
    ("xingming", NAME),
    ("lxr", NAME),
    ("sjr", NAME),
    ("shr", NAME),
    ("jjr", NAME),
    ("hzxm", NAME),
    ("ywxm", NAME),
    ("ywm", NAME),
    ("zwxm", NAME),
    ("khxm", NAME),
    ("fddbr", NAME),
    ("frdb", NAME),
    ("fzr", NAME),
    ("jbr", NAME),
    ("jhr", NAME),
    ("ckr", NAME),
    ("dz", ADDR),
    ("zz", ADDR),
    ("jtzz", ADDR),
    ("jtdz", ADDR),
    ("hjdz", ADDR),
    ("xzz", ADDR),
    ("jzdz", ADDR),
    ("shdz", ADDR),
    ("lxdz", ADDR),
    ("txdz", ADDR),
    ("xxdz", ADDR),
    ("jwdz", STREET),
    ("csrq", DOB),
    ("csny", DOB),
    ("mz", ETH),
    ("minzu", ETH),
    ("zjxy", REL),
    ("zd", HEALTH),
    ("zdjg", HEALTH),
    ("jws", HEALTH),
    ("gms", HEALTH),
    ("jkzk", HEALTH),
    ("zw", BIO),
    ("rlxx", BIO),
    ("rltz", BIO),
    ("rlzp", BIO),
    ("swtz", BIO),
    ("mm", CRED),
    ("mima", CRED),
    ("dlmm", CRED),
    ("zfmm", CRED),
    ("ddh", NOT),
    ("ddbh", NOT),
    ("ydh", NOT),
    ("kddh", NOT),
    ("lsh", NOT),
    ("jylsh", NOT),
    ("je", NOT),
    ("jine", NOT),
    ("zje", NOT),
    ("nf", NOT),
    ("cjsj", NOT),
    ("gxsj", NOT),
    ("xgsj", NOT),
    ("xh", NOT),
    ("bbh", NOT),
    ("fph", NOT),
    ("yzbm", NOT),
];

/// Words before `address` / `addr` / `地址` that make it something else (`ip_address`,
/// `mac_addr`, `email_address`, `remote_addr`, `IP地址`).
static QUALIFIED_ADDRESS: &[(&str, Hint)] = &[
    ("ip", IP),
    ("ipv4", IPV4),
    ("ipv6", IPV6),
    ("remote", IP),
    ("client", IP),
    ("server", IP),
    ("host", IP),
    ("mac", MAC),
    ("wifi_mac", MAC),
    ("email", EMAIL),
    ("e_mail", EMAIL),
    ("mail", EMAIL),
    ("邮箱", EMAIL),
    ("邮件", EMAIL),
    ("电子邮件", EMAIL),
    ("电子邮箱", EMAIL),
    ("网卡", MAC),
    ("物理", MAC),
];

/// Tokens after a match that still belong to it (`id_card_no`, `身份证号码`, `vin_code`).
static TAIL_FILLERS: &[&str] = &[
    "no", "num", "number", "nbr", "nr", "code", "str", "string", "text", "txt", "value", "val",
    "info", "detail", "hm", "bh", "号", "码", "编", "值", "信", "息",
];

/// A last segment made only of these says nothing; the parent decides (`geo.point`).
static PARENT_FILLERS: &[&str] = &[
    "value", "val", "text", "txt", "str", "string", "point", "raw", "number", "no", "num", "nbr",
];

/// Words before `name` that make it a person's name (`first_name`, `receiver_name`).
static PERSON_QUALIFIERS: &[&str] = &[
    "first",
    "last",
    "full",
    "real",
    "true",
    "given",
    "family",
    "sur",
    "middle",
    "maiden",
    "legal",
    "actual",
    "contact",
    "contacts",
    "receiver",
    "recipient",
    "consignee",
    "consignor",
    "sender",
    "shipper",
    "patient",
    "customer",
    "cust",
    "client",
    "owner",
    "holder",
    "cardholder",
    "applicant",
    "payer",
    "payee",
    "guardian",
    "parent",
    "father",
    "mother",
    "spouse",
    "child",
    "emergency",
    "driver",
    "passenger",
    "guest",
    "member",
    "employee",
    "emp",
    "staff",
    "student",
    "stu",
    "teacher",
    "doctor",
    "nurse",
    "person",
    "personal",
    "people",
    "en",
    "eng",
    "english",
    "cn",
    "zh",
    "chinese",
    "pinyin",
    "linkman",
    "rep",
    "representative",
    "buyer",
    "beneficiary",
    "insured",
    "policyholder",
    "tenant",
    "landlord",
    "visitor",
    "courier",
    "rider",
    "operator",
    "creator",
    "author",
    "reviewer",
    "approver",
    "handler",
    "agent",
    "manager",
    "leader",
    "teller",
    "cashier",
    "birth",
];

/// Parents under which `name` is not a person (`merchant.name`, `company.name`).
static NON_PERSON_PARENTS: &[&str] = &[
    "company",
    "corp",
    "corporation",
    "enterprise",
    "merchant",
    "mch",
    "shop",
    "store",
    "product",
    "goods",
    "item",
    "items",
    "sku",
    "app",
    "application",
    "file",
    "files",
    "attachment",
    "org",
    "organization",
    "organisation",
    "dept",
    "department",
    "bank",
    "brand",
    "host",
    "server",
    "city",
    "province",
    "country",
    "region",
    "district",
    "category",
    "tag",
    "tags",
    "role",
    "roles",
    "group",
    "project",
    "school",
    "hospital",
    "team",
    "channel",
    "event",
    "page",
    "service",
    "module",
    "plugin",
    "package",
    "field",
    "column",
    "table",
    "database",
    "db",
    "schema",
    "index",
    "metric",
    "job",
    "task",
    "model",
    "device",
    "os",
    "browser",
    "network",
    "wifi",
    "printer",
    "vendor",
    "supplier",
    "manufacturer",
    "logistics",
    "carrier",
    "express",
    "platform",
    "site",
    "website",
    "domain",
    "currency",
    "method",
    "type",
    "status",
    "plan",
    "course",
    "campaign",
    "activity",
    "coupon",
    "label",
    "menu",
    "action",
    "permission",
    "resource",
    "entity",
    "institution",
    "agency",
    "unit",
    "branch",
    "warehouse",
    "location",
    "address",
    "area",
    "building",
    "room",
    "station",
    "club",
];

/// Prefixes glued to a word (`usermobile`, `custaddr`).
static GLUED_PREFIXES: &[&str] = &[
    "user", "usr", "cust", "customer", "member", "my", "client", "contact", "login", "reg",
];

/// Suffixes glued to a word (`phoneno`, `idcardnumber`).
static GLUED_SUFFIXES: &[&str] = &["number", "num", "nbr", "no", "nr", "code", "str", "hm"];

/// One rule of the built table.
#[derive(Debug)]
struct Rule {
    tokens: Vec<String>,
    hint: Hint,
    evidence: String,
}

impl Rule {
    fn to_hint(&self) -> FieldHint {
        FieldHint {
            types: self.hint.types,
            not_pi: self.hint.not_pi,
            evidence: if self.hint.types.is_empty() && !self.hint.not_pi {
                String::new()
            } else {
                self.evidence.clone()
            },
        }
    }
}

/// The rules, indexed by their last token.
#[derive(Debug)]
struct Table {
    rules: Vec<Rule>,
    by_last: HashMap<String, Vec<usize>>,
    /// Single-token rules (and the glued form of multi-word ASCII rules).
    single: HashMap<String, usize>,
    /// Every token that some rule or word list mentions.
    known: HashSet<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(build_table)
}

fn build_table() -> Table {
    let mut rules: Vec<Rule> = Vec::new();
    let mut add = |text: &str, hint: Hint, evidence: String| {
        let toks = raw_tokens(text);
        if !toks.is_empty() {
            rules.push(Rule {
                tokens: toks,
                hint,
                evidence,
            });
        }
    };
    for &(text, hint) in RULES {
        add(text, hint, format!("name:{text}"));
    }
    for &(text, hint) in PINYIN {
        add(text, hint, format!("name:pinyin {text}"));
    }
    for &(q, hint) in QUALIFIED_ADDRESS {
        for a in ["_address", "_addr", "地址"] {
            let text = format!("{q}{a}");
            add(&text, hint, format!("name:{text}"));
        }
    }
    let mut t = Table {
        rules: Vec::new(),
        by_last: HashMap::new(),
        single: HashMap::new(),
        known: HashSet::new(),
    };
    for (i, r) in rules.iter().enumerate() {
        if let Some(last) = r.tokens.last() {
            t.by_last.entry(last.clone()).or_default().push(i);
        }
        for tok in &r.tokens {
            t.known.insert(tok.clone());
        }
        if r.tokens.len() == 1 {
            if let Some(tok) = r.tokens.first() {
                t.single.entry(tok.clone()).or_insert(i);
            }
        } else if r.tokens.iter().all(|x| x.is_ascii()) {
            // `id card` also matches `idcard`.
            let glued: String = r.tokens.concat();
            t.by_last.entry(glued.clone()).or_default().push(i);
            t.known.insert(glued.clone());
            t.single.entry(glued).or_insert(i);
        }
    }
    for w in TAIL_FILLERS
        .iter()
        .chain(PARENT_FILLERS)
        .chain(PERSON_QUALIFIERS)
        .chain(NON_PERSON_PARENTS)
    {
        t.known.insert((*w).to_owned());
    }
    t.rules = rules;
    t
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// Folds full-width ASCII (`ＩＰ`, `（`) to ASCII and the ideographic space to a space.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Splits a key path into segments, dropping array indexes and empty parts.
fn segments(name: &str) -> Vec<String> {
    let folded: String = name
        .chars()
        .map(fold)
        .filter(|&c| c != '\u{FEFF}')
        .collect();
    folded
        .split(['.', '/', '\\', ':', '[', ']'])
        .map(strip_brackets)
        .filter(|s| s.chars().any(char::is_alphanumeric) && !s.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Removes bracketed notes: `手机号(必填)` → `手机号`, `姓名【必填】` → `姓名`. If nothing is left,
/// the brackets alone are removed (`(mobile)` → `mobile`).
fn strip_brackets(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    let mut depth = 0usize;
    for c in seg.chars() {
        match c {
            '(' | '【' | '《' | '<' | '{' => depth += 1,
            ')' | '】' | '》' | '>' | '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.chars().any(char::is_alphanumeric) {
        out
    } else {
        seg.chars()
            .map(|c| {
                if matches!(
                    c,
                    '(' | ')' | '【' | '】' | '《' | '》' | '<' | '>' | '{' | '}'
                ) {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    }
}

/// Splits a segment into lowercase ASCII words (on separators and camelCase) and single
/// non-ASCII alphanumeric characters.
fn raw_tokens(seg: &str) -> Vec<String> {
    let chars: Vec<char> = seg.chars().map(fold).collect();
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(word.to_ascii_lowercase());
            word.clear();
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = c.is_ascii_uppercase()
                && match prev {
                    Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                    // `IDCard` → `ID Card`, but `IPv6` stays whole.
                    Some(p) if p.is_ascii_uppercase() => {
                        word.len() >= 2 && next.is_some_and(|n| n.is_ascii_lowercase())
                    }
                    _ => false,
                };
            if boundary {
                flush(&mut word, &mut out);
            }
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if c.is_alphanumeric() {
                out.push(c.to_lowercase().collect());
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Tokens of a segment, unknown ASCII words mapped to known ones where a simple change finds
/// one (`mobile2` → `mobile`, `allergies` → `allergy`, `usermobile` → `mobile`).
fn tokens(seg: &str, table: &Table) -> Vec<String> {
    raw_tokens(seg)
        .into_iter()
        .map(|tok| canonical(tok, table))
        .collect()
}

fn canonical(tok: String, table: &Table) -> String {
    if !tok.is_ascii() || table.known.contains(&tok) {
        return tok;
    }
    let mut bases: Vec<String> = Vec::with_capacity(4);
    let undigited = tok.trim_end_matches(|c: char| c.is_ascii_digit());
    if !undigited.is_empty() && undigited.len() < tok.len() {
        bases.push(undigited.to_owned());
    }
    let plain = if undigited.is_empty() {
        tok.as_str()
    } else {
        undigited
    };
    if let Some(stem) = plain.strip_suffix("ies") {
        bases.push(format!("{stem}y"));
    }
    if let Some(stem) = plain.strip_suffix("es") {
        bases.push(stem.to_owned());
    }
    if let Some(stem) = plain.strip_suffix('s') {
        bases.push(stem.to_owned());
    }
    for b in &bases {
        if table.known.contains(b) {
            return b.clone();
        }
    }
    bases.insert(0, plain.to_owned());
    for b in &bases {
        let mut cores: Vec<&str> = vec![b];
        for p in GLUED_PREFIXES {
            if let Some(rest) = b.strip_prefix(p) {
                cores.push(rest);
            }
        }
        for core in cores.clone() {
            for s in GLUED_SUFFIXES {
                if let Some(rest) = core.strip_suffix(s) {
                    cores.push(rest);
                }
            }
        }
        for core in cores.into_iter().skip(1) {
            if core.len() >= 2 && table.single.contains_key(core) {
                return core.to_owned();
            }
        }
    }
    tok
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

enum Outcome<'a> {
    /// A rule decided.
    Rule(&'a Rule),
    /// A rule matched but gives no hint (`remark`, `file_name`).
    Blank,
    /// Nothing matched.
    NoMatch,
}

fn classify<'a>(toks: &[String], parent: Option<&[String]>, table: &'a Table) -> Outcome<'a> {
    // The furthest reach wins, then the earliest start, then the longest match, then a match
    // as written over a glued one (`ipv6` over `ip_v6`), then the earlier rule.
    type Key = (usize, Reverse<usize>, usize, bool, Reverse<usize>);
    let mut best: Option<(Key, usize, usize)> = None;
    for end in 1..=toks.len() {
        let Some(last) = toks.get(end - 1) else {
            continue;
        };
        let Some(ids) = table.by_last.get(last) else {
            continue;
        };
        for &id in ids {
            let Some(rule) = table.rules.get(id) else {
                continue;
            };
            // A glued form matches as one token; a sequence token by token.
            let glued = rule.tokens.len() > 1 && rule.tokens.last() != Some(last);
            let len = if glued { 1 } else { rule.tokens.len() };
            let Some(start) = end.checked_sub(len) else {
                continue;
            };
            if !glued && toks.get(start..end) != Some(rule.tokens.as_slice()) {
                continue;
            }
            let mut reach = end;
            while toks
                .get(reach)
                .is_some_and(|t| TAIL_FILLERS.contains(&t.as_str()))
            {
                reach += 1;
            }
            let key: Key = (reach, Reverse(start), len, !glued, Reverse(id));
            if best.as_ref().is_none_or(|(k, _, _)| key > *k) {
                best = Some((key, start, id));
            }
        }
    }
    let Some((_, start, id)) = best else {
        return Outcome::NoMatch;
    };
    let Some(rule) = table.rules.get(id) else {
        return Outcome::NoMatch;
    };
    if rule.hint.generic_name {
        let person = match start.checked_sub(1).and_then(|p| toks.get(p)) {
            Some(q) => PERSON_QUALIFIERS.contains(&q.as_str()),
            None => !parent
                .and_then(|p| p.last())
                .is_some_and(|q| NON_PERSON_PARENTS.contains(&q.as_str())),
        };
        if !person {
            return Outcome::Blank;
        }
    }
    if rule.hint.types.is_empty() && !rule.hint.not_pi {
        return Outcome::Blank;
    }
    Outcome::Rule(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected hints, by short names.
    fn expected(spec: &str) -> (TypeSet, bool) {
        let set = |h: Hint| (h.types, h.not_pi);
        match spec {
            "" => (TypeSet::EMPTY, false),
            "not_pi" => (TypeSet::EMPTY, true),
            "rid" => set(RID),
            "id_like" => set(ID_LIKE),
            "mobile" => set(MOBILE),
            "phone" => set(PHONE),
            "landline" => set(LANDLINE),
            "intl" => set(INTL),
            "email" => set(EMAIL),
            "card" => set(CARD),
            "passport" => set(PASSPORT),
            "hkmo" => set(HKMO),
            "twp" => set(TWP),
            "hkid" => set(HKID),
            "moid" => set(MOID),
            "twid" => set(TWID),
            "uscc" => set(USCC),
            "plate" => set(PLATE),
            "vin" => set(VIN),
            "ip" => set(IP),
            "ipv4" => set(IPV4),
            "ipv6" => set(IPV6),
            "mac" => set(MAC),
            "imei" => set(IMEI),
            "dev" => set(DEV),
            "gps" => set(GPS),
            "place" => set(PLACE),
            "name" => set(NAME),
            "addr" => set(ADDR),
            "street" => set(STREET),
            "dob" => set(DOB),
            "eth" => set(ETH),
            "rel" => set(REL),
            "health" => set(HEALTH),
            "bio" => set(BIO),
            "cred" => set(CRED),
            other => panic!("unknown expectation {other}"),
        }
    }

    /// (field name, expected hint).
    const CASES: &[(&str, &str)] = &[
        // resident ID and identity documents
        ("id_card", "rid"),
        ("idcard", "rid"),
        ("IDCARD", "rid"),
        ("idCardNo", "rid"),
        ("IdCardNumber", "rid"),
        ("user_id_card_no", "rid"),
        ("useridcardno", "rid"),
        ("identity_no", "rid"),
        ("citizen_id", "rid"),
        ("national_id", "rid"),
        ("ssn", "rid"),
        ("id_no", "id_like"),
        ("id_number", "id_like"),
        ("cert_no", "id_like"),
        ("payer.id_no", "id_like"),
        ("身份证号", "rid"),
        ("身份证号码", "rid"),
        ("身份证", "rid"),
        ("公民身份号码", "rid"),
        ("身份证号码（必填）", "rid"),
        ("身份证号2", "rid"),
        ("证件号码", "id_like"),
        ("证件号", "id_like"),
        ("证件类型", ""),
        ("id_card_type", ""),
        ("id_type", ""),
        ("身份证有效期", ""),
        ("id_card_front_url", ""),
        ("sfzh", "rid"),
        ("SFZH", "rid"),
        ("sfzhm", "rid"),
        ("gmsfhm", "rid"),
        ("zjhm", "id_like"),
        ("sfzh2", "rid"),
        ("passport", "passport"),
        ("passport_no", "passport"),
        ("护照号码", "passport"),
        ("hzhm", "passport"),
        ("hk_macau_permit", "hkmo"),
        ("hk_macau_permit_no", "hkmo"),
        ("home_return_permit", "hkmo"),
        ("港澳通行证号码", "hkmo"),
        ("gatxz", "hkmo"),
        ("gatxzh", "hkmo"),
        ("tw_permit", "twp"),
        ("tw_permit_no", "twp"),
        ("mtp", "twp"),
        ("台胞证", "twp"),
        ("台胞证号码", "twp"),
        ("tbzh", "twp"),
        ("hkid", "hkid"),
        ("hk_id", "hkid"),
        ("香港身份证号码", "hkid"),
        ("xgsfzh", "hkid"),
        ("macau_id", "moid"),
        ("澳门身份证号码", "moid"),
        ("amsfzh", "moid"),
        ("tw_id", "twid"),
        ("台湾身份证号", "twid"),
        ("twsfzh", "twid"),
        // phones
        ("mobile", "mobile"),
        ("Mobile", "mobile"),
        ("mobile2", "mobile"),
        ("cellphone", "mobile"),
        ("mobilePhone", "mobile"),
        ("user_mobile", "mobile"),
        ("usermobile", "mobile"),
        ("data.records[].user.profile.mobile", "mobile"),
        ("records[0].mobile", "mobile"),
        ("phone", "phone"),
        ("phone_no", "phone"),
        ("phoneNumber", "phone"),
        ("phoneno", "phone"),
        ("tel", "phone"),
        ("telephone", "phone"),
        ("contact_phone", "phone"),
        ("receiver.phone", "phone"),
        ("phone.number", "phone"),
        ("landline", "landline"),
        ("fax", "landline"),
        ("overseas_phone", "intl"),
        ("手机号", "mobile"),
        ("手机号码", "mobile"),
        ("手机", "mobile"),
        ("收货人手机号", "mobile"),
        ("联系电话", "phone"),
        ("电话", "phone"),
        ("联系人电话", "phone"),
        ("固定电话", "landline"),
        ("座机", "landline"),
        ("境外电话", "intl"),
        ("手机型号", ""),
        ("sjhm", "mobile"),
        ("sjh", "mobile"),
        ("sj", "mobile"),
        ("lxdh", "phone"),
        ("dh", "phone"),
        ("gddh", "landline"),
        ("jwdh", "intl"),
        // e-mail
        ("email", "email"),
        ("e-mail", "email"),
        ("E_MAIL", "email"),
        ("mail", "email"),
        ("email_addr", "email"),
        ("emailAddress", "email"),
        ("邮箱", "email"),
        ("电子邮件", "email"),
        ("邮箱地址", "email"),
        ("yx", "email"),
        ("dzyx", "email"),
        // bank cards
        ("bank_card", "card"),
        ("bank_card_no", "card"),
        ("bankCardNo", "card"),
        ("card_no", "card"),
        ("cardno", "card"),
        ("account_no", "card"),
        ("银行卡号", "card"),
        ("卡号", "card"),
        ("银行账号", "card"),
        ("会员卡号", ""),
        ("yhkh", "card"),
        // organisations and vehicles
        ("uscc", "uscc"),
        ("credit_code", "uscc"),
        ("unified_social_credit_code", "uscc"),
        ("统一社会信用代码", "uscc"),
        ("tyshxydm", "uscc"),
        ("plate", "plate"),
        ("plate_no", "plate"),
        ("license_plate", "plate"),
        ("car_no", "plate"),
        ("车牌号", "plate"),
        ("cph", "plate"),
        ("vin", "vin"),
        ("frame_no", "vin"),
        ("车架号", "vin"),
        ("车辆识别代号", "vin"),
        ("cjh", "vin"),
        ("vehicle.vin", "vin"),
        // network and devices
        ("ip", "ip"),
        ("IP", "ip"),
        ("client_ip", "ip"),
        ("clientIp", "ip"),
        ("clientip", "ip"),
        ("last_login_ip", "ip"),
        ("lastLoginIp", "ip"),
        ("remote_addr", "ip"),
        ("ip_addr", "ip"),
        ("ipAddress", "ip"),
        ("IP地址", "ip"),
        ("登录IP", "ip"),
        ("network.ip", "ip"),
        ("dlip", "ip"),
        ("ipv6", "ipv6"),
        ("IPv6地址", "ipv6"),
        ("IPv6Address", "ipv6"),
        ("ipV6", "ipv6"),
        ("zip", "not_pi"),
        ("tip", ""),
        ("ship", ""),
        ("ship_to", ""),
        ("tooltip", ""),
        ("mac", "mac"),
        ("mac_addr", "mac"),
        ("macAddress", "mac"),
        ("MAC地址", "mac"),
        ("imei", "imei"),
        ("IMEI", "imei"),
        ("imei2", "imei"),
        ("idfa", "dev"),
        ("oaid", "dev"),
        ("android_id", "dev"),
        ("androidId", "dev"),
        ("device_id", "dev"),
        ("deviceId", "dev"),
        ("安卓ID", "dev"),
        ("设备号", "dev"),
        ("device_type", ""),
        ("device_name", ""),
        ("device.os", ""),
        // location
        ("lat", "gps"),
        ("lng", "gps"),
        ("lon", "gps"),
        ("latitude", "gps"),
        ("longitude", "gps"),
        ("location.lat", "gps"),
        ("geo.point", "gps"),
        ("gps", "gps"),
        ("coord", "gps"),
        ("location", "place"),
        ("经度", "gps"),
        ("纬度", "gps"),
        ("位置坐标", "gps"),
        ("wzzb", "gps"),
        // names
        ("name", "name"),
        ("Name", "name"),
        ("full_name", "name"),
        ("real_name", "name"),
        ("realName", "name"),
        ("first_name", "name"),
        ("last_name", "name"),
        ("firstName", "name"),
        ("english_name", "name"),
        ("name_en", "name"),
        ("contact", "name"),
        ("contact.name", "name"),
        ("receiver", "name"),
        ("receiver.name", "name"),
        ("receiverName", "name"),
        ("consignee", "name"),
        ("patient", "name"),
        ("patient_name", "name"),
        ("legal_rep", "name"),
        ("data.records[].name", "name"),
        ("username", ""),
        ("user_name", ""),
        ("userName", ""),
        ("nickname", ""),
        ("file_name", ""),
        ("fileName", ""),
        ("product_name", ""),
        ("company_name", ""),
        ("app_name", ""),
        ("host_name", ""),
        ("hostname", ""),
        ("merchant.name", ""),
        ("company.name", ""),
        ("姓名", "name"),
        ("联系人", "name"),
        ("收件人", "name"),
        ("收货人", "name"),
        ("收件人姓名", "name"),
        ("英文姓名", "name"),
        ("法定代表人", "name"),
        ("用户名", ""),
        ("单位名称", ""),
        ("xm", "name"),
        ("XM", "name"),
        ("xingming", "name"),
        ("lxr", "name"),
        ("ywxm", "name"),
        ("fddbr", "name"),
        // addresses
        ("address", "addr"),
        ("addr", "addr"),
        ("home_address", "addr"),
        ("homeAddress", "addr"),
        ("receiver.addr", "addr"),
        ("street", "addr"),
        ("shipping_address", "addr"),
        ("overseas_address", "street"),
        ("address_city", ""),
        ("地址", "addr"),
        ("住址", "addr"),
        ("家庭住址", "addr"),
        ("户籍地址", "addr"),
        ("收货地址", "addr"),
        ("身份证地址", "addr"),
        ("境外地址", "street"),
        ("dz", "addr"),
        ("zz", "addr"),
        ("jtzz", "addr"),
        ("hjdz", "addr"),
        ("jwdz", "street"),
        ("mdz", ""),
        ("dzh", ""),
        // dates of birth
        ("dob", "dob"),
        ("DOB", "dob"),
        ("birthday", "dob"),
        ("birth_date", "dob"),
        ("birthDate", "dob"),
        ("date_of_birth", "dob"),
        ("出生日期", "dob"),
        ("生日", "dob"),
        ("出生年月", "dob"),
        ("csrq", "dob"),
        ("birth_place", ""),
        ("出生地", ""),
        // ethnicity, religion
        ("ethnicity", "eth"),
        ("nation", "eth"),
        ("user.profile.nation", "eth"),
        ("nationality", ""),
        ("民族", "eth"),
        ("mz", "eth"),
        ("mz_code", "eth"),
        ("mzh", ""),
        ("religion", "rel"),
        ("宗教信仰", "rel"),
        ("zjxy", "rel"),
        // health
        ("diagnosis", "health"),
        ("patient.diagnosis[]", "health"),
        ("allergies", "health"),
        ("allergy", "health"),
        ("medical_history", "health"),
        ("disease", "health"),
        ("诊断", "health"),
        ("病史", "health"),
        ("过敏史", "health"),
        ("zd", "health"),
        ("gms", "health"),
        // biometrics
        ("fingerprint", "bio"),
        ("fingerprint_template", "bio"),
        ("face_feature", "bio"),
        ("faceFeature", "bio"),
        ("voiceprint", "bio"),
        ("指纹", "bio"),
        ("人脸", "bio"),
        ("人脸特征", "bio"),
        ("声纹", "bio"),
        ("zw", "bio"),
        ("rlxx", "bio"),
        ("rltz", "bio"),
        // credentials
        ("password", "cred"),
        ("passwd", "cred"),
        ("pwd", "cred"),
        ("secret", "cred"),
        ("token", "cred"),
        ("access_token", "cred"),
        ("api_key", "cred"),
        ("apiKey", "cred"),
        ("client.api_key", "cred"),
        ("access_key", "cred"),
        ("password_hash", "cred"),
        ("token_type", ""),
        ("密码", "cred"),
        ("口令", "cred"),
        ("密钥", "cred"),
        ("mm", "cred"),
        // not PI
        ("order_no", "not_pi"),
        ("order_id", "not_pi"),
        ("orderId", "not_pi"),
        ("mobile_order_no", "not_pi"),
        ("订单号", "not_pi"),
        ("订单编号", "not_pi"),
        ("单号", "not_pi"),
        ("流水号", "not_pi"),
        ("交易号", "not_pi"),
        ("运单号", "not_pi"),
        ("快递单号", "not_pi"),
        ("tracking_no", "not_pi"),
        ("express_no", "not_pi"),
        ("trace_id", "not_pi"),
        ("traceId", "not_pi"),
        ("request_id", "not_pi"),
        ("txn_id", "not_pi"),
        ("amount", "not_pi"),
        ("金额", "not_pi"),
        ("price", "not_pi"),
        ("items[].price", "not_pi"),
        ("total", "not_pi"),
        ("count", "not_pi"),
        ("qty", "not_pi"),
        ("year", "not_pi"),
        ("年份", "not_pi"),
        ("version", "not_pi"),
        ("app_version", "not_pi"),
        ("timestamp", "not_pi"),
        ("created_at", "not_pi"),
        ("createdAt", "not_pi"),
        ("@timestamp", "not_pi"),
        ("时间", "not_pi"),
        ("创建时间", "not_pi"),
        ("login_time", "not_pi"),
        ("mobile_md5", "not_pi"),
        ("status", "not_pi"),
        ("邮编", "not_pi"),
        ("ddh", "not_pi"),
        ("ydh", "not_pi"),
        ("je", "not_pi"),
        ("cjsj", "not_pi"),
        ("nf", "not_pi"),
        ("序号", "not_pi"),
        ("xh", "not_pi"),
        // no hint either way
        ("remark", ""),
        ("备注", ""),
        ("bz", ""),
        ("note", ""),
        ("comment", ""),
        ("id", ""),
        ("uid", ""),
        ("user_id", ""),
        ("userId", ""),
        ("用户ID", ""),
        ("gender", ""),
        ("性别", ""),
        ("xb", ""),
        ("emp_no", ""),
        ("工号", ""),
        ("company", ""),
        ("merchant.hotline", ""),
        ("case_no", ""),
        ("", ""),
        ("   ", ""),
        ("[]", ""),
        ("data.records[]", ""),
        ("casino", ""),
        ("useragent", ""),
        ("user_agent", ""),
    ];

    #[test]
    fn table_of_names() {
        assert!(CASES.len() >= 150, "only {} cases", CASES.len());
        let mut failures = Vec::new();
        for &(name, spec) in CASES {
            let h = field_hint(name);
            let (types, not_pi) = expected(spec);
            if h.types != types || h.not_pi != not_pi {
                let got: Vec<&str> = h.types.iter().map(PiType::id).collect();
                failures.push(format!(
                    "{name:?}: expected {spec:?}, got {got:?} not_pi={} ({})",
                    h.not_pi, h.evidence
                ));
            }
            if h.is_empty() {
                assert!(
                    h.evidence.is_empty(),
                    "{name:?} has evidence {:?} but no hint",
                    h.evidence
                );
            } else {
                assert!(
                    h.evidence.starts_with("name:"),
                    "{name:?} evidence {:?}",
                    h.evidence
                );
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn evidence_strings() {
        assert_eq!(field_hint("sfzh").evidence, "name:pinyin sfzh");
        assert_eq!(field_hint("身份证号码").evidence, "name:身份证号");
        assert_eq!(field_hint("身份证号").evidence, "name:身份证号");
        assert_eq!(field_hint("id_card").evidence, "name:id_card");
        assert_eq!(field_hint("idCardNo").evidence, "name:id_card");
        assert_eq!(field_hint("IP地址").evidence, "name:ip地址");
        assert_eq!(field_hint("order_no").evidence, "name:order_no");
        assert_eq!(field_hint("network.ipv6").evidence, "name:ipv6");
        assert_eq!(field_hint("ipV6").evidence, "name:ip_v6");
        assert_eq!(field_hint("remark").evidence, "");
    }

    #[test]
    fn misleading_headers_keep_their_hint() {
        // Values decide; the name never says "not PI" for these.
        for name in [
            "phone",
            "电话",
            "dh",
            "id_card",
            "证件号",
            "zjhm",
            "mobile",
            "手机",
            "sj",
        ] {
            let h = field_hint(name);
            assert!(!h.types.is_empty() && !h.not_pi, "{name}");
        }
    }

    #[test]
    fn tokenizer() {
        assert_eq!(raw_tokens("idCardNo"), ["id", "card", "no"]);
        assert_eq!(raw_tokens("IDCard"), ["id", "card"]);
        assert_eq!(raw_tokens("IPv6Address"), ["ipv6", "address"]);
        assert_eq!(raw_tokens("user-name_x y"), ["user", "name", "x", "y"]);
        assert_eq!(raw_tokens("手机号mobile"), ["手", "机", "号", "mobile"]);
        assert_eq!(raw_tokens("ＩＰ地址"), ["ip", "地", "址"]);
        assert_eq!(
            segments("data.records[0].user.mobile"),
            ["data", "records", "user", "mobile"]
        );
        assert_eq!(segments("手机号（必填）"), ["手机号"]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for name in [
            "\u{FEFF}手机号",
            "((",
            "))",
            "[[]]",
            ".",
            "..",
            "a..b",
            "0",
            "é",
            "名",
            "\u{0}",
            "ＡＢＣ",
        ] {
            let _ = field_hint(name);
        }
    }
}
