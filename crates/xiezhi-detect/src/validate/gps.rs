//! GPS coordinates in decimal degrees: parsing, range check and a coarse "is it in China" box.
//!
//! Precision matters for personal data: 4+ fractional digits locate a building (about 11 m at
//! 4 digits), 2 digits only a district, so [`parse_decimal`] reports the number of fractional
//! digits for the detector to weigh.

/// Longest accepted input; far more than any real coordinate needs.
const MAX_LEN: usize = 32;

/// Parses a plain decimal number: optional `+` or `-`, one or more digits, and optionally a
/// `.` followed by one or more digits. Returns the value and the number of fractional digits.
///
/// Rejected: exponents (`1e5`), a bare or trailing dot (`.5`, `5.`), `inf`/`nan`, thousands
/// separators, spaces, and inputs longer than 32 bytes.
///
/// ```text
/// "39.9042" -> Some((39.9042, 4))    "-122.4194" -> Some((-122.4194, 4))    "116" -> Some((116.0, 0))
/// ```
pub fn parse_decimal(s: &[u8]) -> Option<(f64, u8)> {
    if s.is_empty() || s.len() > MAX_LEN {
        return None;
    }
    let body = match s.split_first() {
        Some((b'+' | b'-', rest)) => rest,
        _ => s,
    };
    let (int, frac) = match body.iter().position(|&b| b == b'.') {
        Some(dot) => (body.get(..dot)?, Some(body.get(dot + 1..)?)),
        None => (body, None),
    };
    if int.is_empty() || !int.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let frac_digits = match frac {
        Some(f) if f.is_empty() || !f.iter().all(u8::is_ascii_digit) => return None,
        Some(f) => u8::try_from(f.len()).ok()?,
        None => 0,
    };
    // Only ASCII sign, digits and one dot remain, which Rust's float parser accepts exactly.
    let text = std::str::from_utf8(s).ok()?;
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some((value, frac_digits))
}

/// Whether `lat`/`lon` is a valid WGS-84 position: finite, latitude in −90..=90 and longitude
/// in −180..=180.
pub fn is_valid_pair(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

/// Whether the position lies in a generous bounding box around mainland China, Hong Kong,
/// Macao and Taiwan: latitude 3.5..=53.6 and longitude 73.4..=135.1 (inclusive).
///
/// The box runs from the Pamirs (Xinjiang, ~73.5°E) to the Heilongjiang–Ussuri confluence
/// (~135.1°E), and from Zengmu Ansha in the South China Sea (~3.9°N) to the Heilong river near
/// Mohe (~53.6°N). It is a cheap plausibility filter, not a border test: it also covers
/// Mongolia, the Korean peninsula, most of Japan and parts of South-East and Central Asia.
/// Coordinates in GCJ-02 (the offset datum of Chinese map services) differ from WGS-84 by a
/// few hundred metres, which does not matter at this scale.
pub fn in_china_bbox(lat: f64, lon: f64) -> bool {
    (3.5..=53.6).contains(&lat) && (73.4..=135.1).contains(&lon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn parses_decimals() {
        for (s, v, d) in [
            ("39.9042", 39.9042, 4),
            ("116.407396", 116.407396, 6),
            ("-33.8688", -33.8688, 4),
            ("+22.3193", 22.3193, 4),
            ("0", 0.0, 0),
            ("180", 180.0, 0),
            ("-0.5", -0.5, 1),
            ("007.25", 7.25, 2),
            ("31.230416000000000", 31.230416, 15),
        ] {
            let got = parse_decimal(s.as_bytes());
            assert!(
                got.is_some_and(|(g, n)| close(g, v) && n == d),
                "{s}: {got:?}"
            );
        }
    }

    #[test]
    fn rejects_non_decimals() {
        for s in [
            "",
            "+",
            "-",
            ".",
            ".5",
            "5.",
            "-.5",
            "1e5",
            "1E5",
            "1.5e3",
            "inf",
            "NaN",
            "+-1",
            "--1",
            "1.2.3",
            "1,5",
            "1 5",
            " 1.5",
            "1.5 ",
            "0x1A",
            "１.5",
            "12°",
            "39.9042N",
            "123456789012345678901234567890123",
        ] {
            assert_eq!(parse_decimal(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn pairs() {
        assert!(is_valid_pair(39.9042, 116.4074));
        assert!(is_valid_pair(-90.0, -180.0));
        assert!(is_valid_pair(90.0, 180.0));
        assert!(!is_valid_pair(90.0001, 0.0));
        assert!(!is_valid_pair(0.0, -180.0001));
        assert!(!is_valid_pair(116.4074, 39.9042));
        assert!(!is_valid_pair(f64::NAN, 0.0));
        assert!(!is_valid_pair(0.0, f64::INFINITY));
    }

    #[test]
    fn china_box() {
        for (lat, lon) in [
            (39.9042, 116.4074), // Beijing
            (31.2304, 121.4737), // Shanghai
            (22.3193, 114.1694), // Hong Kong
            (22.1987, 113.5439), // Macao
            (25.0330, 121.5654), // Taipei
            (18.2528, 109.5119), // Sanya
            (43.8256, 87.6168),  // Urumqi
            (39.4704, 75.9898),  // Kashgar
            (52.9728, 122.5389), // Mohe
            (48.4808, 135.0000), // Fuyuan
            (3.97, 112.28),      // Zengmu Ansha
        ] {
            assert!(in_china_bbox(lat, lon), "{lat},{lon}");
        }
        for (lat, lon) in [
            (40.7128, -74.0060),  // New York
            (51.5074, -0.1278),   // London
            (-33.8688, 151.2093), // Sydney
            (1.3521, 103.8198),   // Singapore
            (55.7558, 37.6173),   // Moscow
            (116.4074, 39.9042),  // swapped Beijing
            (39.9042, 136.0),
            (3.4, 110.0),
            (53.7, 120.0),
        ] {
            assert!(!in_china_bbox(lat, lon), "{lat},{lon}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Some((v, _)) = parse_decimal(&bytes) {
                prop_assert!(v.is_finite());
            }
        }

        #[test]
        fn formatted_values_round_trip(v in -180.0f64..180.0, places in 0usize..9) {
            let s = format!("{v:.places$}");
            let parsed = parse_decimal(s.as_bytes());
            prop_assert!(parsed.is_some(), "{}", s);
            if let Some((p, n)) = parsed {
                prop_assert_eq!(usize::from(n), places);
                prop_assert!((p - v).abs() <= 0.5 * 10f64.powi(-(places as i32)) + 1e-9);
            }
        }
    }
}
