//! Mainland China mobile numbers (11 digits, `1` + 3-digit network code + HLR code + subscriber).
//!
//! Sources (checked 2026-11-28):
//! - MIIT, 《我国公众移动通信网网号及H0分配情况（截至2023年3月底）》, published 2023-06-05
//!   under the 《电信网编号计划（2017年版）》: which holder owns each network code, and the
//!   notes "170, 171, 162, 165, 167 are mobile-resale (virtual operator) codes; 174, 1349, 1619
//!   are satellite mobile codes".
//! - Chinese Wikipedia, "中国内地移动终端通讯号段" (2024-04 snapshot): 145 (Unicom), 147
//!   (Mobile), 149 (Telecom) are data-card codes; 148 and 172 are China Mobile IoT codes;
//!   140–144 are 13-digit IoT numbers (not 11-digit mobile numbers).
//! - Google libphonenumber 9.0.43 CN metadata, used as a cross-check of the regular ranges.
//!
//! Later allocations, if any, are not included. Number portability (携号转网, nationwide since
//! 2019) means the carrier is the original holder of the range, not necessarily the current one.

/// Holder of a number range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Carrier {
    /// 中国移动 China Mobile.
    ChinaMobile,
    /// 中国联通 China Unicom.
    ChinaUnicom,
    /// 中国电信 China Telecom.
    ChinaTelecom,
    /// 中国广电 China Broadnet (China Broadcasting Network).
    ChinaBroadnet,
    /// Not one of the four public carriers: the satellite ranges held by China Satellite Network
    /// Group (1619) and by other units (17406–17412, 1749) in the MIIT table.
    Mixed,
}

/// What a number range is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    /// Ordinary mobile subscriptions.
    Regular,
    /// Mobile resale (virtual network operators, 移动转售).
    Virtual,
    /// Data cards (上网卡); many also carry voice today.
    DataOnly,
    /// Satellite mobile service.
    Satellite,
    /// 11-digit Internet-of-things ranges.
    IoT,
}

/// The holder and use of the range a mobile number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Original holder of the range.
    pub carrier: Carrier,
    /// Use of the range.
    pub kind: SegmentKind,
}

/// Shorthand constructor.
const fn seg(carrier: Carrier, kind: SegmentKind) -> Option<Segment> {
    Some(Segment { carrier, kind })
}

/// The allocated range of an 11-digit mainland mobile number, or `None` when `d11` is not 11 ASCII
/// digits starting with `1` or its 3-digit (or longer) prefix is not allocated, e.g. 100–129,
/// 140–144 (13-digit IoT), 154, 160, 1610–1618, 163, 164, 168, 169, 1741 3–9, 1742–1748, 179,
/// 194.
#[must_use]
pub fn segment(d11: &[u8]) -> Option<Segment> {
    use Carrier::{ChinaBroadnet, ChinaMobile, ChinaTelecom, ChinaUnicom, Mixed};
    use SegmentKind::{DataOnly, IoT, Regular, Satellite, Virtual};

    if d11.len() != 11 || !d11.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let [b'1', a, b, c, d, ..] = *d11 else {
        return None;
    };
    let (a, b, c, d) = (a - b'0', b - b'0', c - b'0', d - b'0');
    match (a, b) {
        (3, 0..=2) => seg(ChinaUnicom, Regular),
        (3, 3) => seg(ChinaTelecom, Regular),
        // 1340–1348 China Mobile; 1349 satellite, only 13492, 13493, 13499 allocated (Telecom).
        (3, 4) => match (c, d) {
            (0..=8, _) => seg(ChinaMobile, Regular),
            (9, 2 | 3 | 9) => seg(ChinaTelecom, Satellite),
            _ => None,
        },
        (3, 5..=9) => seg(ChinaMobile, Regular),
        (4, 5) => seg(ChinaUnicom, DataOnly),
        (4, 6) => seg(ChinaUnicom, IoT),
        (4, 7) => seg(ChinaMobile, DataOnly),
        (4, 8) => seg(ChinaMobile, IoT),
        (4, 9) => seg(ChinaTelecom, DataOnly),
        (5, 0..=2 | 7..=9) => seg(ChinaMobile, Regular),
        (5, 3) => seg(ChinaTelecom, Regular),
        (5, 5 | 6) => seg(ChinaUnicom, Regular),
        (6, 1) if c == 9 => seg(Mixed, Satellite),
        (6, 2) => seg(ChinaTelecom, Virtual),
        (6, 5) => seg(ChinaMobile, Virtual),
        (6, 6) => seg(ChinaUnicom, Regular),
        (6, 7) => seg(ChinaUnicom, Virtual),
        (7, 0) => match c {
            0..=2 => seg(ChinaTelecom, Virtual),
            3 | 5 | 6 => seg(ChinaMobile, Virtual),
            _ => seg(ChinaUnicom, Virtual),
        },
        (7, 1) => seg(ChinaUnicom, Virtual),
        (7, 2) => seg(ChinaMobile, IoT),
        (7, 3 | 7) => seg(ChinaTelecom, Regular),
        (7, 4) => match (c, d) {
            (0, 0..=5) => seg(ChinaTelecom, Satellite),
            (0, _) | (1, 0..=2) | (9, _) => seg(Mixed, Satellite),
            _ => None,
        },
        (7, 5 | 6) => seg(ChinaUnicom, Regular),
        (7, 8) => seg(ChinaMobile, Regular),
        (8, 0 | 1 | 9) => seg(ChinaTelecom, Regular),
        (8, 2..=4 | 7 | 8) => seg(ChinaMobile, Regular),
        (8, 5 | 6) => seg(ChinaUnicom, Regular),
        (9, 0 | 1 | 3 | 9) => seg(ChinaTelecom, Regular),
        (9, 2) => seg(ChinaBroadnet, Regular),
        (9, 5 | 7 | 8) => seg(ChinaMobile, Regular),
        (9, 6) => seg(ChinaUnicom, Regular),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Carrier::*;
    use SegmentKind::*;

    fn s(n: &str) -> Option<Segment> {
        segment(n.as_bytes())
    }

    fn is(n: &str, carrier: Carrier, kind: SegmentKind) {
        assert_eq!(s(n), Some(Segment { carrier, kind }), "{n}");
    }

    #[test]
    fn regular_ranges() {
        is("13800138000", ChinaMobile, Regular); // China Mobile's customer service number
        is("13912345678", ChinaMobile, Regular);
        is("13412345678", ChinaMobile, Regular);
        is("13012345678", ChinaUnicom, Regular);
        is("13312345678", ChinaTelecom, Regular);
        is("15012345678", ChinaMobile, Regular);
        is("15312345678", ChinaTelecom, Regular);
        is("15612345678", ChinaUnicom, Regular);
        is("16612345678", ChinaUnicom, Regular);
        is("17312345678", ChinaTelecom, Regular);
        is("17712345678", ChinaTelecom, Regular);
        is("17612345678", ChinaUnicom, Regular);
        is("17812345678", ChinaMobile, Regular);
        is("18012345678", ChinaTelecom, Regular);
        is("18812345678", ChinaMobile, Regular);
        is("18612345678", ChinaUnicom, Regular);
        is("18912345678", ChinaTelecom, Regular);
    }

    #[test]
    fn five_g_era_ranges() {
        // Allocated by MIIT on 2019-12-24 (190 Telecom, 197 Mobile, 196 Unicom, 192 Broadnet).
        is("19012345678", ChinaTelecom, Regular);
        is("19212345678", ChinaBroadnet, Regular);
        is("19612345678", ChinaUnicom, Regular);
        is("19712345678", ChinaMobile, Regular);
        is("19112345678", ChinaTelecom, Regular);
        is("19312345678", ChinaTelecom, Regular);
        is("19512345678", ChinaMobile, Regular);
        is("19812345678", ChinaMobile, Regular);
        is("19912345678", ChinaTelecom, Regular);
    }

    #[test]
    fn virtual_operator_ranges() {
        is("17001234567", ChinaTelecom, Virtual);
        is("17021234567", ChinaTelecom, Virtual);
        is("17031234567", ChinaMobile, Virtual);
        is("17051234567", ChinaMobile, Virtual);
        is("17061234567", ChinaMobile, Virtual);
        is("17041234567", ChinaUnicom, Virtual);
        is("17091234567", ChinaUnicom, Virtual);
        is("17112345678", ChinaUnicom, Virtual);
        is("16212345678", ChinaTelecom, Virtual);
        is("16512345678", ChinaMobile, Virtual);
        is("16712345678", ChinaUnicom, Virtual);
    }

    #[test]
    fn data_iot_and_satellite() {
        is("14512345678", ChinaUnicom, DataOnly);
        is("14712345678", ChinaMobile, DataOnly);
        is("14912345678", ChinaTelecom, DataOnly);
        is("14612345678", ChinaUnicom, IoT);
        is("14812345678", ChinaMobile, IoT);
        is("17212345678", ChinaMobile, IoT);
        is("13492123456", ChinaTelecom, Satellite);
        is("13499123456", ChinaTelecom, Satellite);
        is("17400123456", ChinaTelecom, Satellite);
        is("17405123456", ChinaTelecom, Satellite);
        is("17406123456", Mixed, Satellite);
        is("17412123456", Mixed, Satellite);
        is("17490123456", Mixed, Satellite);
        is("16190123456", Mixed, Satellite);
    }

    #[test]
    fn unallocated_prefixes() {
        for p in 100..=129 {
            assert_eq!(s(&format!("{p}12345678")), None, "{p}");
        }
        for p in [
            140, 141, 142, 143, 144, 154, 160, 163, 164, 168, 169, 179, 194,
        ] {
            assert_eq!(s(&format!("{p}12345678")), None, "{p}");
        }
        // Unallocated sub-ranges of 134x, 161x and 174x.
        for n in [
            "13490123456",
            "13491123456",
            "13494123456",
            "13498123456",
            "16101234567",
            "16181234567",
            "17413123456",
            "17421234567",
            "17481234567",
        ] {
            assert_eq!(s(n), None, "{n}");
        }
    }

    #[test]
    fn malformed() {
        assert_eq!(s("1381234567"), None);
        assert_eq!(s("138123456789"), None);
        assert_eq!(s("1381234567a"), None);
        assert_eq!(s("138 1234 5678"), None);
        assert_eq!(s("+8613812345678"), None);
        assert_eq!(s("23812345678"), None);
        assert_eq!(s("03812345678"), None);
        assert_eq!(s(""), None);
    }

    #[test]
    fn every_allocated_three_digit_code() {
        // All 3-digit codes with at least one allocated 4th digit, per the MIIT table.
        let allocated: Vec<u16> = (100..200)
            .filter(|p| (0..10).any(|d| (0..10).any(|e| s(&format!("{p}{d}{e}123456")).is_some())))
            .collect();
        let expected: Vec<u16> = vec![
            130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 145, 146, 147, 148, 149, 150, 151,
            152, 153, 155, 156, 157, 158, 159, 161, 162, 165, 166, 167, 170, 171, 172, 173, 174,
            175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192,
            193, 195, 196, 197, 198, 199,
        ];
        assert_eq!(allocated, expected);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..14)) {
            let _ = segment(&bytes);
        }

        #[test]
        fn subscriber_digits_do_not_matter(prefix in 130u16..200, rest in "[0-9]{6}", other in "[0-9]{6}") {
            // Only the first five digits decide.
            let a = s(&format!("{prefix}00{rest}"));
            let b = s(&format!("{prefix}00{other}"));
            proptest::prop_assert_eq!(a, b);
        }
    }
}
