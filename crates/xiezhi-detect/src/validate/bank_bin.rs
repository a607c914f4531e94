//! Payment card numbers (PAN): issuer network by leading digits (ISO/IEC 7812 IIN ranges) and
//! allowed length, plus the Luhn check.
//!
//! Ranges and lengths are those the networks publish for acquirers (as summarised by the
//! Wikipedia article "Payment card number", checked 2026-11-28), restricted to the networks common
//! in China. Where ranges overlap, the China-relevant reading wins: Discover's co-branded
//! 622126–622925 range is reported as UnionPay (it is inside UnionPay's 62 range).

use super::luhn;

/// A card network (issuer identification range owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardNetwork {
    /// China UnionPay (银联): 62, 81, and the 601–603 BINs issued by Chinese banks; 16–19 digits.
    UnionPay,
    /// Visa: 4; 13, 16 or 19 digits.
    Visa,
    /// Mastercard: 51–55 and 2221–2720; 16 digits.
    Mastercard,
    /// American Express: 34, 37; 15 digits.
    Amex,
    /// JCB: 3528–3589; 16–19 digits.
    Jcb,
    /// Discover: 6011, 644–649, 65; 16–19 digits.
    Discover,
    /// Diners Club International: 300–305, 3095, 36, 38, 39; 14–19 digits.
    Diners,
    /// Pre-UnionPay Chinese domestic debit cards (e.g. ICBC 9558, ABC 9559): 95; 16–19 digits.
    CnDomestic,
}

impl CardNetwork {
    /// A stable lowercase identifier, e.g. `"unionpay"`.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            CardNetwork::UnionPay => "unionpay",
            CardNetwork::Visa => "visa",
            CardNetwork::Mastercard => "mastercard",
            CardNetwork::Amex => "amex",
            CardNetwork::Jcb => "jcb",
            CardNetwork::Discover => "discover",
            CardNetwork::Diners => "diners",
            CardNetwork::CnDomestic => "cn_domestic",
        }
    }
}

/// The value of the first `n` (at most 4) digits of `digits`; `None` if there are fewer.
fn prefix(digits: &[u8], n: usize) -> Option<u32> {
    let head = digits.get(..n)?;
    Some(
        head.iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b.wrapping_sub(b'0'))),
    )
}

/// The network whose issuer range contains the prefix of `digits`, ignoring the length.
fn range(digits: &[u8]) -> Option<CardNetwork> {
    let p1 = prefix(digits, 1)?;
    let p2 = prefix(digits, 2)?;
    let p3 = prefix(digits, 3)?;
    let p4 = prefix(digits, 4)?;
    Some(match p1 {
        4 => CardNetwork::Visa,
        2 if (2221..=2720).contains(&p4) => CardNetwork::Mastercard,
        5 if (51..=55).contains(&p2) => CardNetwork::Mastercard,
        3 if p2 == 34 || p2 == 37 => CardNetwork::Amex,
        3 if (3528..=3589).contains(&p4) => CardNetwork::Jcb,
        3 if (300..=305).contains(&p3) || p4 == 3095 || matches!(p2, 36 | 38 | 39) => {
            CardNetwork::Diners
        }
        6 if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 => CardNetwork::Discover,
        // 601x–603x (other than Discover's 6011) are BINs of Chinese banks on the UnionPay
        // network, e.g. 601382 (Bank of China), 603367 (Bank of Hangzhou).
        6 if p2 == 62 || (601..=603).contains(&p3) => CardNetwork::UnionPay,
        8 if p2 == 81 => CardNetwork::UnionPay,
        9 if p2 == 95 => CardNetwork::CnDomestic,
        _ => return None,
    })
}

/// The card network of `digits` (ASCII digits only, separators removed): the issuer range must
/// match AND the length must be one the network issues. `None` otherwise.
#[must_use]
pub fn network(digits: &[u8]) -> Option<CardNetwork> {
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = range(digits)?;
    let len = digits.len();
    let ok = match n {
        CardNetwork::Visa => matches!(len, 13 | 16 | 19),
        CardNetwork::Mastercard => len == 16,
        CardNetwork::Amex => len == 15,
        CardNetwork::Jcb
        | CardNetwork::Discover
        | CardNetwork::UnionPay
        | CardNetwork::CnDomestic => (16..=19).contains(&len),
        CardNetwork::Diners => (14..=19).contains(&len),
    };
    ok.then_some(n)
}

/// True when `digits` is a card number of a known network ([`network`]) with a valid Luhn check
/// digit. A few early Chinese domestic card ranges pre-date the Luhn requirement; they are still
/// required to pass it here, so such cards are missed rather than risking false positives.
#[must_use]
pub fn is_valid(digits: &[u8]) -> bool {
    network(digits).is_some() && luhn::is_valid(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `body` completed with its Luhn check digit.
    fn complete(body: &str) -> Vec<u8> {
        let mut v = body.as_bytes().to_vec();
        v.push(luhn::check_digit(&v).unwrap());
        v
    }

    #[test]
    fn published_test_numbers() {
        // Test PANs published by payment processors (Stripe, Adyen, PayPal sandbox docs).
        let cases: &[(&[u8], CardNetwork)] = &[
            (b"4111111111111111", CardNetwork::Visa),
            (b"4012888888881881", CardNetwork::Visa),
            (b"4222222222222", CardNetwork::Visa),
            (b"5555555555554444", CardNetwork::Mastercard),
            (b"5105105105105100", CardNetwork::Mastercard),
            (b"2223003122003222", CardNetwork::Mastercard),
            (b"378282246310005", CardNetwork::Amex),
            (b"371449635398431", CardNetwork::Amex),
            (b"6011111111111117", CardNetwork::Discover),
            (b"6011000990139424", CardNetwork::Discover),
            (b"30569309025904", CardNetwork::Diners),
            (b"38520000023237", CardNetwork::Diners),
            (b"3530111333300000", CardNetwork::Jcb),
            (b"3566002020360505", CardNetwork::Jcb),
            (b"6200000000000005", CardNetwork::UnionPay),
            (b"6205500000000000004", CardNetwork::UnionPay),
        ];
        for &(pan, net) in cases {
            assert_eq!(network(pan), Some(net), "{}", String::from_utf8_lossy(pan));
            assert!(is_valid(pan), "{}", String::from_utf8_lossy(pan));
        }
    }

    #[test]
    fn chinese_bank_shapes() {
        // ICBC 622202 (19 digits), CCB 621700 (19), BOC 601382 (19), UnionPay 81 range.
        for body in [
            "622202100112345678",
            "621700123456789012",
            "601382123456789012",
            "810012345678901",
        ] {
            let pan = complete(body);
            assert_eq!(network(&pan), Some(CardNetwork::UnionPay), "{body}");
            assert!(is_valid(&pan));
        }
        // Legacy ICBC 9558 and ABC 9559 domestic debit cards (19 digits).
        for body in ["955880123456789012", "955990123456789012"] {
            let pan = complete(body);
            assert_eq!(network(&pan), Some(CardNetwork::CnDomestic), "{body}");
            assert!(is_valid(&pan));
        }
    }

    #[test]
    fn wrong_length_or_range() {
        assert_eq!(network(b"411111111111111"), None); // Visa 15
        assert_eq!(network(b"41111111111111111"), None); // Visa 17
        assert_eq!(network(b"55555555555544440"), None); // Mastercard 17
        assert_eq!(network(b"3782822463100050"), None); // Amex 16
        assert_eq!(network(b"620000000000005"), None); // UnionPay 15
        assert_eq!(network(b"62000000000000000000"), None); // UnionPay 20
        assert_eq!(network(b"2220990000000000"), None); // below 2221
        assert_eq!(network(b"2721000000000000"), None); // above 2720
        assert_eq!(network(b"5655555555554444"), None); // 56
        assert_eq!(network(b"5055555555554444"), None); // 50
        assert_eq!(network(b"3060000000000000"), None); // 306
        assert_eq!(network(b"3527000000000000"), None); // 3527
        assert_eq!(network(b"6400000000000000"), None); // 640
        assert_eq!(network(b"6040000000000000"), None); // 604
        assert_eq!(network(b"1234567812345670"), None);
        assert_eq!(network(b"9400000000000000"), None);
        assert_eq!(network(b"4111-1111-1111-1111"), None);
        assert_eq!(network(b"4111 1111 1111 1111"), None);
        assert_eq!(network(b""), None);
        assert_eq!(network(b"4"), None);
    }

    #[test]
    fn luhn_required() {
        assert!(!is_valid(b"4111111111111112"));
        assert!(!is_valid(b"6200000000000006"));
        assert!(!is_valid(b"378282246310006"));
        // Luhn-valid but outside every range.
        assert!(!is_valid(b"79927398713"));
        assert!(!is_valid(b"1234567812345670"));
    }

    #[test]
    fn ids() {
        assert_eq!(CardNetwork::UnionPay.id(), "unionpay");
        assert_eq!(CardNetwork::CnDomestic.id(), "cn_domestic");
        assert_eq!(CardNetwork::Amex.id(), "amex");
    }

    proptest! {
        #[test]
        fn completed_unionpay_validates(rest in "[0-9]{13,16}") {
            let pan = complete(&format!("62{rest}"));
            prop_assert_eq!(network(&pan), Some(CardNetwork::UnionPay));
            prop_assert!(is_valid(&pan));
            let mut bad = pan.clone();
            let last = bad.len() - 1;
            bad[last] = b'0' + (bad[last] - b'0' + 1) % 10;
            prop_assert!(!is_valid(&bad));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = network(&bytes);
            let _ = is_valid(&bytes);
        }
    }
}
