//! IPv4 and IPv6 addresses: strict parsing and classification of the address ranges.
//!
//! Ranges follow the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and
//! updates): only [`IpKind::Public`] addresses identify a host on the Internet; the others are
//! private, local, documentation or otherwise non-routable and are usually not personal data.

use std::net::Ipv6Addr;

/// What an IP address range is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpKind {
    /// Globally routable unicast.
    Public,
    /// Private networks: 10/8, 172.16/12, 192.168/16 (RFC 1918); IPv6 unique-local fc00::/7.
    Private,
    /// Loopback: 127/8, ::1.
    Loopback,
    /// Link-local: 169.254/16, fe80::/10.
    LinkLocal,
    /// The unspecified address 0.0.0.0 or ::.
    Unspecified,
    /// Limited broadcast 255.255.255.255.
    Broadcast,
    /// Multicast: 224/4, ff00::/8.
    Multicast,
    /// Documentation: 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737); 2001:db8::/32
    /// (RFC 3849) and 3fff::/20 (RFC 9637).
    Documentation,
    /// Other special-purpose or unallocated space: 0/8, 192.0.0/24, 192.88.99/24, 198.18/15,
    /// 240/4; IPv6 outside 2000::/3 and the ranges above, 100::/64, 2001::/23.
    Reserved,
    /// Carrier-grade NAT shared space 100.64/10 (RFC 6598).
    SharedCgnat,
}

/// Parses strict dotted-decimal IPv4: exactly four parts, each 0–255 written with 1–3 digits,
/// no leading zeros except a lone `0`, no sign, no spaces, nothing else.
///
/// ```text
/// 192.168.1.1 -> Some([192, 168, 1, 1])      01.2.3.4 / 1.2.3 / 256.1.1.1 -> None
/// ```
pub fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    if s.len() < 7 || s.len() > 15 {
        return None;
    }
    let mut out = [0u8; 4];
    let mut parts = s.split(|&b| b == b'.');
    for slot in &mut out {
        let part = parts.next()?;
        *slot = parse_octet(part)?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(out)
}

/// One decimal octet without leading zeros.
fn parse_octet(part: &[u8]) -> Option<u8> {
    if part.is_empty() || part.len() > 3 {
        return None;
    }
    if part.len() > 1 && part.first() == Some(&b'0') {
        return None;
    }
    let mut v: u16 = 0;
    for &b in part {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u16::from(b - b'0');
    }
    u8::try_from(v).ok()
}

/// Classifies an IPv4 address.
pub fn ipv4_kind(a: [u8; 4]) -> IpKind {
    match a {
        [0, 0, 0, 0] => IpKind::Unspecified,
        [255, 255, 255, 255] => IpKind::Broadcast,
        [0, ..] => IpKind::Reserved,
        [10, ..] => IpKind::Private,
        [100, b, ..] if (64..=127).contains(&b) => IpKind::SharedCgnat,
        [127, ..] => IpKind::Loopback,
        [169, 254, ..] => IpKind::LinkLocal,
        [172, b, ..] if (16..=31).contains(&b) => IpKind::Private,
        [192, 0, 0, _] => IpKind::Reserved,
        [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => IpKind::Documentation,
        [192, 88, 99, _] => IpKind::Reserved,
        [192, 168, ..] => IpKind::Private,
        [198, 18 | 19, ..] => IpKind::Reserved,
        [224..=239, ..] => IpKind::Multicast,
        [240..=255, ..] => IpKind::Reserved,
        _ => IpKind::Public,
    }
}

/// Longest textual IPv6 address (`ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`).
const MAX_V6_TEXT: usize = 45;

/// Parses a textual IPv6 address (RFC 4291 §2.2, including `::` compression and an embedded
/// dotted IPv4 tail) with the standard library's parser.
///
/// Rejects non-UTF-8 input, zone identifiers (`fe80::1%eth0`), brackets, prefixes (`/64`),
/// whitespace and anything longer than 45 bytes.
pub fn parse_ipv6(s: &[u8]) -> Option<Ipv6Addr> {
    if s.len() < 2 || s.len() > MAX_V6_TEXT || s.contains(&b'%') {
        return None;
    }
    let text = std::str::from_utf8(s).ok()?;
    text.parse::<Ipv6Addr>().ok()
}

/// Classifies an IPv6 address. IPv4-mapped addresses (`::ffff:a.b.c.d`) take the kind of the
/// embedded IPv4 address.
pub fn ipv6_kind(a: &Ipv6Addr) -> IpKind {
    let seg = a.segments();
    if a.is_unspecified() {
        return IpKind::Unspecified;
    }
    if a.is_loopback() {
        return IpKind::Loopback;
    }
    if let Some(v4) = a.to_ipv4_mapped() {
        return ipv4_kind(v4.octets());
    }
    match seg {
        [s0, ..] if s0 & 0xff00 == 0xff00 => IpKind::Multicast,
        [s0, ..] if s0 & 0xfe00 == 0xfc00 => IpKind::Private,
        [s0, ..] if s0 & 0xffc0 == 0xfe80 => IpKind::LinkLocal,
        [0x2001, 0x0db8, ..] => IpKind::Documentation,
        [0x3fff, s1, ..] if s1 < 0x1000 => IpKind::Documentation,
        // 2001::/23: IETF protocol assignments (Teredo, ORCHID, benchmarking, ...).
        [0x2001, s1, ..] if s1 < 0x0200 => IpKind::Reserved,
        [s0, ..] if s0 & 0xe000 == 0x2000 => IpKind::Public,
        _ => IpKind::Reserved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ipv4_valid() {
        let cases: [(&str, [u8; 4]); 7] = [
            ("0.0.0.0", [0, 0, 0, 0]),
            ("255.255.255.255", [255, 255, 255, 255]),
            ("192.168.1.1", [192, 168, 1, 1]),
            ("10.0.0.254", [10, 0, 0, 254]),
            ("114.114.114.114", [114, 114, 114, 114]),
            ("8.8.8.8", [8, 8, 8, 8]),
            ("1.0.10.100", [1, 0, 10, 100]),
        ];
        for (s, v) in cases {
            assert_eq!(parse_ipv4(s.as_bytes()), Some(v), "{s}");
        }
    }

    #[test]
    fn ipv4_invalid() {
        for s in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.256",
            "01.2.3.4",
            "1.2.3.04",
            "00.0.0.0",
            "1..2.3",
            ".1.2.3",
            "1.2.3.",
            "+1.2.3.4",
            "-1.2.3.4",
            "1.2.3.4 ",
            " 1.2.3.4",
            "1.2.3.a",
            "1,2,3,4",
            "1.2.3.4/24",
            "1.2.3.4:80",
            "999.999.999.999",
            "1.2.3.1000",
            "v1.2.3.4",
            "１.2.3.4",
        ] {
            assert_eq!(parse_ipv4(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn ipv4_kinds() {
        use IpKind::*;
        let cases: [([u8; 4], IpKind); 24] = [
            ([8, 8, 8, 8], Public),
            ([114, 114, 114, 114], Public),
            ([223, 5, 5, 5], Public),
            ([10, 1, 2, 3], Private),
            ([172, 16, 0, 1], Private),
            ([172, 31, 255, 255], Private),
            ([172, 32, 0, 1], Public),
            ([172, 15, 0, 1], Public),
            ([192, 168, 0, 1], Private),
            ([127, 0, 0, 1], Loopback),
            ([169, 254, 1, 1], LinkLocal),
            ([0, 0, 0, 0], Unspecified),
            ([0, 1, 2, 3], Reserved),
            ([255, 255, 255, 255], Broadcast),
            ([224, 0, 0, 251], Multicast),
            ([239, 255, 255, 250], Multicast),
            ([192, 0, 2, 1], Documentation),
            ([198, 51, 100, 7], Documentation),
            ([203, 0, 113, 9], Documentation),
            ([100, 64, 0, 1], SharedCgnat),
            ([100, 127, 255, 254], SharedCgnat),
            ([100, 128, 0, 1], Public),
            ([198, 18, 0, 1], Reserved),
            ([240, 0, 0, 1], Reserved),
        ];
        for (a, k) in cases {
            assert_eq!(ipv4_kind(a), k, "{a:?}");
        }
        assert_eq!(ipv4_kind([192, 0, 0, 8]), Reserved);
        assert_eq!(ipv4_kind([192, 88, 99, 1]), Reserved);
        assert_eq!(ipv4_kind([100, 63, 0, 1]), Public);
    }

    #[test]
    fn ipv6_parse() {
        for s in [
            "::",
            "::1",
            "2001:db8::1",
            "2408:8207:1851:2fa0:1c4e:f6a7:ba5d:8e2c",
            "fe80::1ff:fe23:4567:890a",
            "FE80::1",
            "::ffff:192.168.1.1",
            "2001:0db8:0000:0000:0000:ff00:0042:8329",
        ] {
            assert!(parse_ipv6(s.as_bytes()).is_some(), "{s}");
        }
        for s in [
            "",
            ":",
            "fe80::1%eth0",
            "fe80::1%1",
            "[::1]",
            "2001:db8::/32",
            "2001:db8::1 ",
            "1:2:3:4:5:6:7:8:9",
            "2001:db8:::1",
            "2001:db8::1::2",
            "12345::",
            "g::1",
            "1.2.3.4",
            "::ffff:1.2.3.256",
            "de:ad:be:ef:00:01",
        ] {
            assert!(parse_ipv6(s.as_bytes()).is_none(), "{s:?}");
        }
        assert!(parse_ipv6(&[0xff, b':', b':']).is_none());
    }

    fn kind6(s: &str) -> IpKind {
        ipv6_kind(&parse_ipv6(s.as_bytes()).unwrap_or(Ipv6Addr::UNSPECIFIED))
    }

    #[test]
    fn ipv6_kinds() {
        use IpKind::*;
        assert_eq!(kind6("::"), Unspecified);
        assert_eq!(kind6("::1"), Loopback);
        assert_eq!(kind6("2408:8207:1851:2fa0::1"), Public);
        assert_eq!(kind6("240e:3b5:3013:f0::1"), Public);
        assert_eq!(kind6("2001:4860:4860::8888"), Public);
        assert_eq!(kind6("fd12:3456:789a::1"), Private);
        assert_eq!(kind6("fc00::1"), Private);
        assert_eq!(kind6("fe80::1"), LinkLocal);
        assert_eq!(kind6("febf::1"), LinkLocal);
        assert_eq!(kind6("fec0::1"), Reserved);
        assert_eq!(kind6("2001:db8::1"), Documentation);
        assert_eq!(kind6("3fff:0fff::1"), Documentation);
        assert_eq!(kind6("3fff:1000::1"), Public);
        assert_eq!(kind6("ff02::1"), Multicast);
        assert_eq!(kind6("::ffff:192.168.1.1"), Private);
        assert_eq!(kind6("::ffff:8.8.8.8"), Public);
        assert_eq!(kind6("::ffff:127.0.0.1"), Loopback);
        assert_eq!(kind6("2001::1"), Reserved);
        assert_eq!(kind6("100::1"), Reserved);
        assert_eq!(kind6("4000::1"), Reserved);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Some(a) = parse_ipv4(&bytes) {
                let _ = ipv4_kind(a);
            }
            if let Some(a) = parse_ipv6(&bytes) {
                let _ = ipv6_kind(&a);
            }
        }

        #[test]
        fn ipv4_round_trips(a in any::<[u8; 4]>()) {
            let s = format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]);
            prop_assert_eq!(parse_ipv4(s.as_bytes()), Some(a));
            prop_assert_eq!(parse_ipv4(std::net::Ipv4Addr::from(a).to_string().as_bytes()), Some(a));
        }

        #[test]
        fn ipv6_round_trips(segs in any::<[u16; 8]>()) {
            let a = Ipv6Addr::from(segs);
            prop_assert_eq!(parse_ipv6(a.to_string().as_bytes()), Some(a));
            let _ = ipv6_kind(&a);
        }
    }
}
