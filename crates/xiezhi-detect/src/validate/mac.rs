//! MAC (EUI-48) addresses: parsing the common textual forms and spotting placeholders.

/// Parses a MAC address written as six groups of two hex digits with one consistent separator
/// (`aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`) or in Cisco dotted form (`aabb.ccdd.eeff`).
/// Hex digits may be upper or lower case. Bare 12-digit hex is not accepted (too ambiguous).
pub fn parse_mac(s: &[u8]) -> Option<[u8; 6]> {
    match s.len() {
        17 => parse_separated(s),
        14 => parse_cisco(s),
        _ => None,
    }
}

/// Value of one ASCII hex digit.
fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Two hex digits into one byte.
fn hex_pair(hi: u8, lo: u8) -> Option<u8> {
    Some(hex(hi)? << 4 | hex(lo)?)
}

/// `xx:xx:xx:xx:xx:xx` or `xx-xx-xx-xx-xx-xx` (17 bytes).
fn parse_separated(s: &[u8]) -> Option<[u8; 6]> {
    let sep = *s.get(2)?;
    if sep != b':' && sep != b'-' {
        return None;
    }
    let mut out = [0u8; 6];
    for (i, slot) in out.iter_mut().enumerate() {
        let at = i * 3;
        *slot = hex_pair(*s.get(at)?, *s.get(at + 1)?)?;
        if i < 5 && *s.get(at + 2)? != sep {
            return None;
        }
    }
    Some(out)
}

/// `xxxx.xxxx.xxxx` (14 bytes).
fn parse_cisco(s: &[u8]) -> Option<[u8; 6]> {
    if s.get(4) != Some(&b'.') || s.get(9) != Some(&b'.') {
        return None;
    }
    let mut out = [0u8; 6];
    for (i, slot) in out.iter_mut().enumerate() {
        // Byte i sits in group i / 2, which starts at 5 * (i / 2); two hex digits per byte.
        let at = 5 * (i / 2) + 2 * (i % 2);
        *slot = hex_pair(*s.get(at)?, *s.get(at + 1)?)?;
    }
    Some(out)
}

/// The twelve hex digits (nibbles) of `mac`, most significant first.
fn nibbles(mac: [u8; 6]) -> [u8; 12] {
    let mut out = [0u8; 12];
    for (pair, byte) in out.chunks_exact_mut(2).zip(mac) {
        if let [hi, lo] = pair {
            *hi = byte >> 4;
            *lo = byte & 0x0f;
        }
    }
    out
}

/// Whether consecutive values differ by exactly `step` (wrapping at `modulus`).
fn is_progression(values: &[u8], step: u8, modulus: u16) -> bool {
    values.windows(2).all(|w| match w {
        [a, b] => (u16::from(*a) + u16::from(step)) % modulus == u16::from(*b),
        _ => true,
    })
}

/// Whether `mac` is a placeholder rather than a real interface address:
///
/// - one byte repeated: `00:00:00:00:00:00`, broadcast `ff:ff:ff:ff:ff:ff`, `11:11:…`;
/// - counting sequences used in documentation and tests: hex digits rising or falling by one
///   (`01:23:45:67:89:ab`, `12:34:56:78:9a:bc`, `fe:dc:ba:98:76:54`), or bytes rising or falling
///   by 0x01 or 0x11 (`01:02:03:04:05:06`, `00:11:22:33:44:55`, `aa:bb:cc:dd:ee:ff`);
/// - the IANA documentation block `00:00:5e:00:53:xx` (RFC 7042 §2.1.2);
/// - `de:ad:be:ef:xx:xx`, and five zero bytes followed by anything (`00:00:00:00:00:01`).
pub fn is_placeholder(mac: [u8; 6]) -> bool {
    let [a, b, c, d, e, _] = mac;
    if mac.iter().all(|&x| x == a) {
        return true;
    }
    if [a, b, c, d, e] == [0; 5] || [a, b, c, d, e] == [0x00, 0x00, 0x5e, 0x00, 0x53] {
        return true;
    }
    if [a, b, c, d] == [0xde, 0xad, 0xbe, 0xef] {
        return true;
    }
    let n = nibbles(mac);
    if is_progression(&n, 1, 16) || is_progression(&n, 15, 16) {
        return true;
    }
    [1u8, 0x11, 0xff, 0xef]
        .into_iter()
        .any(|step| is_progression(&mac, step, 256))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_common_forms() {
        let want = [0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e];
        for s in [
            "00:1a:2b:3c:4d:5e",
            "00-1A-2B-3C-4D-5E",
            "00:1A:2b:3C:4d:5E",
            "001a.2b3c.4d5e",
        ] {
            assert_eq!(parse_mac(s.as_bytes()), Some(want), "{s}");
        }
        assert_eq!(
            parse_mac(b"ac:de:48:00:11:22"),
            Some([0xac, 0xde, 0x48, 0x00, 0x11, 0x22])
        );
        assert_eq!(
            parse_mac(b"F0-18-98-A1-B2-C3"),
            Some([0xf0, 0x18, 0x98, 0xa1, 0xb2, 0xc3])
        );
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "001a2b3c4d5e",
            "00:1a:2b:3c:4d",
            "00:1a:2b:3c:4d:5e:6f",
            "00:1a-2b:3c:4d:5e",
            "00-1a-2b-3c-4d:5e",
            "00.1a.2b.3c.4d.5e",
            "0:1a:2b:3c:4d:5e:",
            "00:1a:2b:3c:4d:5g",
            "001a:2b3c:4d5e",
            "001a.2b3c-4d5e",
            "001a.2b3c.4d5",
            "00 1a 2b 3c 4d 5e",
            "12:34:56:78:90:1",
            "2001:db8::1:2:3:4",
        ] {
            assert_eq!(parse_mac(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn placeholders() {
        for s in [
            "00:00:00:00:00:00",
            "ff:ff:ff:ff:ff:ff",
            "11:11:11:11:11:11",
            "01:23:45:67:89:ab",
            "12:34:56:78:9a:bc",
            "fe:dc:ba:98:76:54",
            "01:02:03:04:05:06",
            "00:11:22:33:44:55",
            "11:22:33:44:55:66",
            "aa:bb:cc:dd:ee:ff",
            "66:55:44:33:22:11",
            "00:00:5e:00:53:01",
            "00:00:5e:00:53:af",
            "de:ad:be:ef:00:01",
            "00:00:00:00:00:01",
            "0123.4567.89ab",
        ] {
            let mac = parse_mac(s.as_bytes());
            assert!(mac.is_some_and(is_placeholder), "{s}");
        }
    }

    #[test]
    fn real_looking_addresses_are_not_placeholders() {
        for s in [
            "00:1a:2b:3c:4d:5e",
            "f0:18:98:a1:b2:c3",
            "ac:de:48:00:11:22",
            "3c:22:fb:7e:91:0d",
            "00:50:56:c0:00:08",
            "b8:27:eb:12:34:56",
            "00:00:5e:00:01:01",
            "01:00:5e:00:00:fb",
        ] {
            let mac = parse_mac(s.as_bytes());
            assert!(mac.is_some_and(|m| !is_placeholder(m)), "{s}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..32)) {
            if let Some(m) = parse_mac(&bytes) {
                let _ = is_placeholder(m);
            }
        }

        #[test]
        fn round_trips(m in any::<[u8; 6]>(), upper in any::<bool>(), dash in any::<bool>()) {
            let sep = if dash { "-" } else { ":" };
            let mut s = m.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(sep);
            if upper {
                s = s.to_ascii_uppercase();
            }
            prop_assert_eq!(parse_mac(s.as_bytes()), Some(m));
            let cisco = format!(
                "{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}",
                m[0], m[1], m[2], m[3], m[4], m[5]
            );
            prop_assert_eq!(parse_mac(cisco.as_bytes()), Some(m));
        }
    }
}
