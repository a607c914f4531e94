//! Every detector with examples (the value between ⟦ and ⟧ must be found with that exact span)
//! and negative examples (nothing of that type may be found). Values are synthetic: valid check
//! digits, allocated segments and real region codes, but no real person's data.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use xiezhi_detect::{Engine, EngineConfig, FieldHint, Scratch, TypeSet};
use xiezhi_model::PiType;

/// (type, text with ⟦value⟧).
const EXAMPLES: &[(PiType, &str)] = &[
    (PiType::CnResidentId, "身份证号⟦11010519491231002X⟧，"),
    (PiType::CnResidentId, "id=⟦440308199901010012⟧ ok"),
    (PiType::CnResidentId, "公民身份号码：⟦11010519491231002x⟧"),
    (PiType::CnMobile, "手机⟦13812345678⟧"),
    (PiType::CnMobile, "call ⟦+86 138 1234 5678⟧ now"),
    (PiType::CnMobile, "tel:⟦0086-13812345678⟧"),
    (PiType::CnMobile, "⟦138-1234-5678⟧"),
    (PiType::CnMobile, "手机号⟦１３８１２３４５６７８⟧。"),
    (PiType::CnLandline, "电话⟦010-62345678⟧"),
    (PiType::CnLandline, "座机⟦（021）62345678⟧"),
    (PiType::CnLandline, "call ⟦(021) 6234 5678⟧."),
    (PiType::CnLandline, "fax ⟦0571 8888 1234⟧"),
    (PiType::CnLandline, "⟦+86 755 86001234⟧"),
    (PiType::Email, "mail ⟦zhang.san@example-corp.com.cn⟧."),
    (PiType::Email, "q?e=⟦li%40qq.com⟧&x=1"),
    (PiType::BankCard, "卡号⟦6222021234567890128⟧"),
    (PiType::BankCard, "card ⟦6222 0212 3456 7890 128⟧ ok"),
    (PiType::CnPassport, "护照号码⟦E12345678⟧"),
    (PiType::CnPassport, "Passport number: ⟦EA8296939⟧."),
    (PiType::HkMacauPermit, "回乡证⟦H12345678⟧"),
    (PiType::TwPermit, "台胞证号码：⟦13470634⟧，"),
    (PiType::HkId, "HKID: ⟦A123456(3)⟧,"),
    (PiType::HkId, "hkid=⟦P907982 (7)⟧ x"),
    (PiType::MoId, "澳门居民身份证⟦1439532(8)⟧的"),
    (PiType::TwId, "⟦A123456789⟧"),
    (PiType::CnUscc, "统一社会信用代码⟦91350100M000100Y43⟧"),
    (PiType::CnLicensePlate, "车牌⟦京A12345⟧"),
    (PiType::CnLicensePlate, "⟦沪AD12345⟧驶入"),
    (PiType::CnLicensePlate, "⟦粤B·12345D⟧"),
    (PiType::Vin, "VIN ⟦LSVAU218XN2183294⟧"),
    (PiType::Ipv4, "from ⟦58.23.4.5⟧"),
    (PiType::Ipv4, "remote_addr=⟦219.59.112.197⟧ x"),
    (PiType::Ipv6, "ip ⟦2408:8207:1850:2a60::71d2⟧ ok"),
    (PiType::Ipv6, "⟦fe80::1c2d:3e4f:5a6b:7c8d⟧"),
    (PiType::MacAddress, "mac=⟦3C:22:FB:12:34:56⟧"),
    (PiType::MacAddress, "⟦3c22.fb12.3456⟧"),
    (PiType::Imei, "imei ⟦490154203237518⟧"),
    (
        PiType::DeviceId,
        "idfa=⟦6D92078A-8246-4BA4-AE5B-76104861E7DC⟧",
    ),
    (PiType::DeviceId, "OAID：⟦f1462ad70b9d690e⟧，"),
    (PiType::GpsCoordinate, "定位坐标：⟦22.46089, 113.93921⟧，"),
    (PiType::GpsCoordinate, "lng=114.058627&lat=⟦31.95071⟧&t=1"),
    (PiType::GpsCoordinate, "at ⟦39.9°N, 116.4°E⟧ now"),
    (PiType::PhoneIntl, "Tel: ⟦+1 415-736-2671⟧"),
    (PiType::PhoneIntl, "call ⟦+44 20 7123 4567⟧."),
    (PiType::PhoneIntl, "callback number ⟦+852 2137 8965⟧. ok"),
    (PiType::PhoneIntl, "Reach me at ⟦+1-512-835-6026⟧ after"),
    (PiType::PhoneIntl, "callback ⟦+1 (646) 261-5148⟧. x"),
    (PiType::PhoneIntl, "Tel: ⟦(415) 360-0794⟧\n"),
    (PiType::PersonName, "收件人：⟦张伟⟧，电话"),
    (PiType::PersonName, "持卡人⟦东方辉斌⟧，卡号"),
    (PiType::PersonName, "⟦万荣若⟧女士的"),
    (PiType::PersonName, "Dear Mr. ⟦Wu Binke⟧,"),
    (PiType::PersonName, "Contact ⟦Daniel Scott⟧ at"),
    (PiType::PersonName, "请联系⟦宋亮娟⟧老师，"),
    (
        PiType::CnAddress,
        "户籍地址：⟦海南省海口市龙华区延安街766号世纪花园4号楼1904室⟧\n",
    ),
    (
        PiType::CnAddress,
        "寄到⟦广东省深圳市南山区科技园南路15号3栋1201室⟧，",
    ),
    (
        PiType::CnAddress,
        "收货地址：⟦武汉市汉阳区教育街976号2层⟧\n",
    ),
    (
        PiType::StreetAddress,
        "ship to ⟦1600 Amphitheatre Parkway, Mountain View, CA 94043⟧.",
    ),
    (
        PiType::StreetAddress,
        "at ⟦221B Baker Street, London NW1 6XE⟧。",
    ),
    (
        PiType::StreetAddress,
        "⟦Friedrichstrasse 68, 10117 Berlin⟧\n",
    ),
    (PiType::DateOfBirth, "出生日期：⟦1990-03-05⟧"),
    (PiType::DateOfBirth, "生日是⟦1988年7月12日⟧"),
    (PiType::DateOfBirth, "DOB: ⟦05/03/1990⟧"),
    (PiType::DateOfBirth, "born on ⟦March 5, 1990⟧."),
    (PiType::DateOfBirth, "汉族，⟦1967-10-18⟧出生。"),
    (PiType::Ethnicity, "民族：⟦汉族⟧"),
    (PiType::Ethnicity, "员工汪洋峰，⟦苗族⟧，1967"),
    (PiType::Ethnicity, "Ethnicity: ⟦Zhuang⟧\n"),
    (PiType::Religion, "宗教信仰：⟦天主教⟧\n"),
    (PiType::Religion, "religion=⟦Buddhism⟧ x"),
    (PiType::Health, "既往病史：⟦肺腺癌⟧；"),
    (PiType::Health, "患者自述有⟦冠心病⟧病史多年"),
    (
        PiType::Biometric,
        "Fingerprint template: ⟦464D5200203230000000E79F19610D277B78CDEDA3086B80251C9F3B2692⟧\n",
    ),
    (
        PiType::Biometric,
        "声纹特征：⟦5i/K8Od6USnkwJVfBylUSBP9aQub4R+BwJEmVnKicX+9j9Vu⟧\n",
    ),
    (PiType::Credential, "临时密码：⟦jLu+4An9mTT8^vn*⟧，请"),
    (
        PiType::Credential,
        "key ⟦sk_live_4eC39HqLyjWDarjtT1zdp7dc⟧ x",
    ),
    (
        PiType::Credential,
        "changed password to ⟦cNIQ8!gToA⟧ req_id=e3",
    ),
    // One example per credential prefix family (the scanner gates on the first two bytes).
    (
        PiType::Credential,
        "token ⟦ghp_R7x2Kp9Lm4Qw8Zt1Vb6Nc3Hy5Jd0Fs⟧ ok",
    ),
    (
        PiType::Credential,
        "GH ⟦github_pat_11AB2CD3E0aBcDeFgHiJkLmN⟧;",
    ),
    (
        PiType::Credential,
        "id=⟦AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA⟧ ",
    ),
    (PiType::Credential, "ak ⟦LTAI5tQ9pZ2mWx7Rk3Nv8Yb4⟧\n"),
    (PiType::Credential, "aws ⟦AKIA2E0A8F3B244C9986⟧ x"),
    (PiType::Credential, "slack ⟦xoxb-2048-1A2b3C4d5E6f7G8h⟧ x"),
    (
        PiType::Credential,
        "restricted ⟦rk_live_51H8fLmB2eZvKYlo2C9x⟧ x",
    ),
    (PiType::Credential, "openai ⟦sk-proj8Hq2Lw9Xk4Zt7Vb1⟧ x"),
];

/// (type, text in which that type must not be found).
const NEGATIVES: &[(PiType, &str)] = &[
    (
        PiType::CnResidentId,
        "身份证号110105194912310022（校验位错误）",
    ),
    (PiType::CnResidentId, "order 202408131455012345 paid"),
    (PiType::CnMobile, "订单号13812345678"),
    (PiType::CnMobile, "号段错误 12012345678"),
    (PiType::CnMobile, "masked 138****5678"),
    (PiType::CnMobile, "epoch_ms=1766127670000"),
    (PiType::CnLandline, "客服热线 400-820-8820"),
    (PiType::Email, "image@2x.png"),
    (PiType::Email, "user@example.com"),
    (PiType::BankCard, "6222021234567890127"),
    (PiType::BankCard, "snowflake 1790012345678901234"),
    (PiType::CnPassport, "SKU E12345678"),
    (PiType::TwPermit, "发票号码60884329，"),
    (PiType::TwPermit, "tracking 13470634"),
    (PiType::HkId, "code A1234567"),
    (PiType::MoId, "amount 1234567(8)"),
    (PiType::Ipv4, "Chrome/120.0.0.0 Safari"),
    (PiType::Ipv4, "version 1.2.3.4"),
    (PiType::Ipv4, "OID 1.3.6.1.4.1.2011"),
    (PiType::Ipv4, "127.0.0.1"),
    (PiType::Ipv6, "at 12:30:45 today"),
    (PiType::MacAddress, "00:00:00:00:00:00"),
    (PiType::Imei, "490154203237517"),
    (
        PiType::DeviceId,
        "trace_id=6D92078A-8246-4BA4-AE5B-76104861E7DC",
    ),
    (PiType::DeviceId, "request 3f2c9a1b7d4e8f60"),
    (PiType::GpsCoordinate, "price 39.90, 116.40"),
    (PiType::PhoneIntl, "+1 555-555-0100"),
    (PiType::PersonName, "客户：黄金价格近期上涨"),
    (PiType::PersonName, "客服：台湾身份证已核验"),
    (PiType::PersonName, "The customer service team"),
    (PiType::CnAddress, "我在北京市工作"),
    (PiType::CnAddress, "杭州市西湖区"),
    (PiType::DateOfBirth, "系统将于2026-04-06凌晨维护"),
    (PiType::DateOfBirth, "ts=2024-01-05 12:00:00"),
    (PiType::Ethnicity, "水族馆门票"),
    (PiType::Health, "病史多年"),
    (PiType::Credential, "Bearer token: none"),
    (PiType::Credential, "password ******"),
];

fn split(marked: &str) -> (String, usize, usize) {
    let start = marked.find('⟦').expect("example has ⟦");
    let end_marker = marked.find('⟧').expect("example has ⟧");
    let text = marked.replace(['⟦', '⟧'], "");
    (text, start, end_marker - '⟦'.len_utf8())
}

#[test]
fn every_example_is_found_with_its_exact_span() {
    let engine = Engine::new(EngineConfig::default());
    let mut scratch = Scratch::default();
    let mut failures = Vec::new();
    for &(ty, marked) in EXAMPLES {
        let (text, start, end) = split(marked);
        let mut out = Vec::new();
        engine.scan(&text, &mut scratch, &mut out);
        if !out
            .iter()
            .any(|m| m.pi_type == ty && m.start == start && m.end == end)
        {
            failures.push(format!(
                "{ty}: {marked}\n    got {:?}",
                out.iter()
                    .map(|m| (m.pi_type.id(), &text[m.start..m.end], m.confidence))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_negative_example_is_found() {
    let engine = Engine::new(EngineConfig::default());
    let mut scratch = Scratch::default();
    let mut failures = Vec::new();
    for &(ty, text) in NEGATIVES {
        let mut out = Vec::new();
        engine.scan(text, &mut scratch, &mut out);
        if let Some(m) = out.iter().find(|m| m.pi_type == ty) {
            failures.push(format!(
                "{ty}: {text} -> {:?} {}",
                &text[m.start..m.end],
                m.confidence
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} negatives matched:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_type_has_examples_and_negatives() {
    for ty in PiType::ALL {
        assert!(EXAMPLES.iter().any(|(t, _)| t == ty), "no example for {ty}");
    }
}

#[test]
fn field_names_act_as_context() {
    let engine = Engine::new(EngineConfig::default());
    let mut scratch = Scratch::default();
    let cases: &[(PiType, &str)] = &[
        (PiType::PersonName, "张伟"),
        (PiType::DateOfBirth, "19900305"),
        (PiType::Ethnicity, "汉族"),
        (PiType::Religion, "道教"),
        (PiType::Health, "支气管哮喘"),
        (PiType::Credential, "Z4aoke3+TKiSj"),
        (PiType::TwPermit, "75755546"),
        (PiType::MoId, "1011399(0)"),
        (PiType::DeviceId, "8427554a8c717381"),
    ];
    for &(ty, value) in cases {
        let hint = FieldHint {
            types: TypeSet::EMPTY.with(ty),
            not_pi: false,
            evidence: "name:test".into(),
        };
        let mut out = Vec::new();
        engine.scan_field(value, &hint, &mut scratch, &mut out);
        assert!(
            out.iter()
                .any(|m| m.pi_type == ty && m.start == 0 && m.end == value.len()),
            "{ty}: {value} -> {out:?}"
        );
        // Without the hint these context types are not reported.
        let mut bare = Vec::new();
        engine.scan(value, &mut scratch, &mut bare);
        assert!(
            !bare
                .iter()
                .any(|m| m.pi_type == ty && ty != PiType::Ethnicity && ty != PiType::Health),
            "{ty} found without context in {value}"
        );
    }
}

#[test]
fn offsets_survive_full_width_digits_and_never_split_chars() {
    let engine = Engine::new(EngineConfig::default());
    let mut scratch = Scratch::default();
    let text = "客户手机１３８１２３４５６７８，身份证11010519491231002X。";
    let mut out = Vec::new();
    engine.scan(text, &mut scratch, &mut out);
    for m in &out {
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
    }
    assert!(out.iter().any(
        |m| m.pi_type == PiType::CnMobile && &text[m.start..m.end] == "１３８１２３４５６７８"
    ));
}

#[test]
fn types_can_be_disabled_and_threshold_raised() {
    let engine = Engine::new(EngineConfig {
        types: TypeSet::all().without(PiType::CnMobile),
        min_confidence: 0.5,
    });
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    engine.scan("手机13812345678", &mut scratch, &mut out);
    assert!(out.is_empty());
    let strict = Engine::new(EngineConfig {
        types: TypeSet::all(),
        min_confidence: 0.99,
    });
    out.clear();
    strict.scan("13812345678", &mut scratch, &mut out);
    assert!(out.is_empty());
}

#[test]
fn regressions_from_the_corpus() {
    let engine = Engine::new(EngineConfig::default());
    let mut scratch = Scratch::default();
    for (ty, marked) in [
        (PiType::DateOfBirth, "员工成瑞，傣族，⟦1979年4月4日⟧出生。"),
        (PiType::HkId, "HKID: ⟦S6714201⟧, verified"),
        (PiType::PersonName, "外籍客户⟦He Pingxue⟧的联系"),
        (PiType::Health, "诊断：⟦甲状腺功能亢进⟧。"),
    ] {
        let (text, start, end) = split(marked);
        let mut out = Vec::new();
        engine.scan(&text, &mut scratch, &mut out);
        assert!(
            out.iter()
                .any(|m| m.pi_type == ty && m.start == start && m.end == end),
            "{marked}: {out:?}"
        );
    }
}
