//! The 56 officially recognised ethnic groups (民族) of China.
//!
//! Source: GB/T 3304-1991 《中国各民族名称的罗马字母拼写法和代码》 (Names of nationalities of
//! China in romanization with codes), national standard, in force; names and two-letter codes
//! are facts from the standard, listed in the order of its numeric codes 01–56. The English
//! names are the usual English ones; they differ from the standard's romanisation for 藏族
//! (Zang → Tibetan), 维吾尔族 (Uygur → Uyghur), 朝鲜族 (Chosen → Korean), 满族 (Man → Manchu),
//! 哈萨克族 (Kazak → Kazakh), 柯尔克孜族 (Kirgiz → Kyrgyz) and 俄罗斯族 (Russ → Russian).

/// The 56 ethnic groups as (Chinese name with 族, GB/T 3304 letter code, English name), in
/// the order of the standard's numeric codes (index + 1 = numeric code).
pub static ETHNIC_GROUPS: &[(&str, &str, &str)] = &[
    ("汉族", "HA", "Han"),
    ("蒙古族", "MG", "Mongol"),
    ("回族", "HU", "Hui"),
    ("藏族", "ZA", "Tibetan"),
    ("维吾尔族", "UG", "Uyghur"),
    ("苗族", "MH", "Miao"),
    ("彝族", "YI", "Yi"),
    ("壮族", "ZH", "Zhuang"),
    ("布依族", "BY", "Buyei"),
    ("朝鲜族", "CS", "Korean"),
    ("满族", "MA", "Manchu"),
    ("侗族", "DO", "Dong"),
    ("瑶族", "YA", "Yao"),
    ("白族", "BA", "Bai"),
    ("土家族", "TJ", "Tujia"),
    ("哈尼族", "HN", "Hani"),
    ("哈萨克族", "KZ", "Kazakh"),
    ("傣族", "DA", "Dai"),
    ("黎族", "LI", "Li"),
    ("傈僳族", "LS", "Lisu"),
    ("佤族", "VA", "Va"),
    ("畲族", "SH", "She"),
    ("高山族", "GS", "Gaoshan"),
    ("拉祜族", "LH", "Lahu"),
    ("水族", "SU", "Sui"),
    ("东乡族", "DX", "Dongxiang"),
    ("纳西族", "NX", "Naxi"),
    ("景颇族", "JP", "Jingpo"),
    ("柯尔克孜族", "KG", "Kyrgyz"),
    ("土族", "TU", "Tu"),
    ("达斡尔族", "DU", "Daur"),
    ("仫佬族", "ML", "Mulao"),
    ("羌族", "QI", "Qiang"),
    ("布朗族", "BL", "Blang"),
    ("撒拉族", "SL", "Salar"),
    ("毛南族", "MN", "Maonan"),
    ("仡佬族", "GL", "Gelao"),
    ("锡伯族", "XB", "Xibe"),
    ("阿昌族", "AC", "Achang"),
    ("普米族", "PM", "Pumi"),
    ("塔吉克族", "TA", "Tajik"),
    ("怒族", "NU", "Nu"),
    ("乌孜别克族", "UZ", "Uzbek"),
    ("俄罗斯族", "RS", "Russian"),
    ("鄂温克族", "EW", "Ewenki"),
    ("德昂族", "DE", "Deang"),
    ("保安族", "BN", "Bonan"),
    ("裕固族", "YG", "Yugur"),
    ("京族", "GI", "Gin"),
    ("塔塔尔族", "TT", "Tatar"),
    ("独龙族", "DR", "Derung"),
    ("鄂伦春族", "OR", "Oroqen"),
    ("赫哲族", "HZ", "Hezhen"),
    ("门巴族", "MB", "Monba"),
    ("珞巴族", "LB", "Lhoba"),
    ("基诺族", "JN", "Jino"),
];

/// Byte length of the ethnic-group name (with 族) at the start of `s`, or `None`.
///
/// The longest name wins, though with the trailing 族 no name is a prefix of another. Some
/// names also start ordinary words (水族馆 "aquarium" starts with 水族), so detectors should use
/// this next to a label such as 民族.
pub fn ethnic_group_at(s: &str) -> Option<usize> {
    ETHNIC_GROUPS
        .iter()
        .map(|(name, _, _)| *name)
        .filter(|name| s.starts_with(name))
        .map(str::len)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table_is_complete_and_unique() {
        assert_eq!(ETHNIC_GROUPS.len(), 56);
        for (i, (a, ca, ea)) in ETHNIC_GROUPS.iter().enumerate() {
            assert!(a.ends_with('族'), "{a}");
            assert_eq!(ca.len(), 2);
            assert!(ca.bytes().all(|b| b.is_ascii_uppercase()), "{ca}");
            assert!(!ea.is_empty());
            for (b, cb, _) in ETHNIC_GROUPS.iter().skip(i + 1) {
                assert_ne!(a, b);
                assert_ne!(ca, cb);
            }
        }
    }

    #[test]
    fn finds_names() {
        for (s, n) in [
            ("汉族", "汉族"),
            ("汉族，男", "汉族"),
            ("维吾尔族 1990年", "维吾尔族"),
            ("柯尔克孜族", "柯尔克孜族"),
            ("乌孜别克族人", "乌孜别克族"),
            ("蒙古族", "蒙古族"),
            ("土家族", "土家族"),
            ("土族", "土族"),
            ("基诺族", "基诺族"),
        ] {
            assert_eq!(ethnic_group_at(s), Some(n.len()), "{s}");
        }
    }

    #[test]
    fn rejects_non_names() {
        for s in [
            "",
            "汉",
            "汉人",
            "民族：汉族",
            "蒙古",
            "维吾尔",
            "家族",
            "族",
            "Han",
            "苗条",
            "满意",
        ] {
            assert_eq!(ethnic_group_at(s), None, "{s}");
        }
    }

    #[test]
    fn codes() {
        let code = |name: &str| ETHNIC_GROUPS.iter().find(|e| e.0 == name).map(|e| e.1);
        assert_eq!(code("汉族"), Some("HA"));
        assert_eq!(code("藏族"), Some("ZA"));
        assert_eq!(code("朝鲜族"), Some("CS"));
        assert_eq!(code("京族"), Some("GI"));
        assert_eq!(code("独龙族"), Some("DR"));
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC{0,12}") {
            if let Some(n) = ethnic_group_at(&s) {
                prop_assert!(s.is_char_boundary(n));
            }
        }
    }
}
