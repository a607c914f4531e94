//! Every kind of tampering is reported at the right event with the right problem.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use xiezhi_audit::{
    AuditEvent, BadEvent, Checkpoint, EventDraft, ExportLine, GENESIS_HASH, Lang, Problem,
    SigningKey, Verifier, VerifyReport, payload_digest, seal, subject_ref, verify_export,
};

struct Chain {
    events: Vec<AuditEvent>,
    payloads: Vec<Option<Vec<u8>>>,
    checkpoints: Vec<Checkpoint>,
    key: SigningKey,
}

fn chain(n: i64, checkpoint_every: i64) -> Chain {
    let key = SigningKey::from_seed(&[9; 32]);
    let mut prev = GENESIS_HASH.to_owned();
    let mut events = Vec::new();
    let mut payloads = Vec::new();
    let mut checkpoints = Vec::new();
    for seq in 1..=n {
        let payload = (seq % 3 == 0).then(|| format!("{{\"label\":\"tag {seq}\"}}").into_bytes());
        let e = seal(
            EventDraft {
                at: 1_700_000_000_000 + seq,
                kind: [
                    "consent.granted",
                    "tag.deleted",
                    "preference.recommendation",
                ][(seq % 3) as usize]
                    .into(),
                actor: if seq % 2 == 0 {
                    "user".into()
                } else {
                    "apikey:k1".into()
                },
                subject_ref: Some(subject_ref(b"chain-secret", &format!("u{}", seq % 17))),
                payload_digest: payload.as_deref().map(payload_digest),
            },
            seq,
            &prev,
        );
        prev.clone_from(&e.hash);
        if seq % checkpoint_every == 0 {
            checkpoints.push(key.sign_checkpoint(seq, &e.hash, e.at));
        }
        events.push(e);
        payloads.push(payload);
    }
    Chain {
        events,
        payloads,
        checkpoints,
        key,
    }
}

fn verify(c: &Chain) -> VerifyReport {
    let mut v = Verifier::new(vec![c.key.verifying_key()], c.checkpoints.clone());
    for (e, p) in c.events.iter().zip(&c.payloads) {
        v.push_event(e);
        if let Some(d) = &e.payload_digest {
            v.push_payload(e.seq, d, p.as_deref());
        }
    }
    v.finish(c.events.last().map(|e| e.seq))
}

fn bad(c: &Chain) -> BadEvent {
    verify(c).first_bad.expect("tampering must be detected")
}

fn rehash_from(c: &mut Chain, index: usize) {
    let mut prev = if index == 0 {
        GENESIS_HASH.to_owned()
    } else {
        c.events[index - 1].hash.clone()
    };
    for e in &mut c.events[index..] {
        let draft = EventDraft {
            at: e.at,
            kind: e.kind.clone(),
            actor: e.actor.clone(),
            subject_ref: e.subject_ref.clone(),
            payload_digest: e.payload_digest.clone(),
        };
        *e = seal(draft, e.seq, &prev);
        prev.clone_from(&e.hash);
    }
}

#[test]
fn an_intact_chain_verifies() {
    let c = chain(1000, 100);
    let r = verify(&c);
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.events, 1000);
    assert_eq!(r.checkpoints_verified, 10);
    assert_eq!(r.payloads_checked, 333);
}

#[test]
fn edited_fields_are_named() {
    for (k, edit) in [(0usize, 0), (499, 1), (998, 2)] {
        let mut c = chain(1000, 100);
        match edit {
            0 => c.events[k].kind = "consent.withdrawn".into(),
            1 => c.events[k].actor = "apikey:forged".into(),
            _ => c.events[k].at += 1,
        }
        assert_eq!(
            bad(&c),
            BadEvent {
                seq: k as i64 + 1,
                problem: Problem::HashMismatch
            }
        );
    }
}

#[test]
fn deleted_row_is_named_as_a_gap() {
    let mut c = chain(1000, 100);
    c.events.remove(420);
    c.payloads.remove(420);
    assert_eq!(
        bad(&c),
        BadEvent {
            seq: 421,
            problem: Problem::SeqGap
        }
    );
}

#[test]
fn swapped_rows_are_named() {
    let mut c = chain(1000, 100);
    c.events.swap(300, 301);
    c.payloads.swap(300, 301);
    // Read in stored order, event 301 is not where it belongs.
    let b = bad(&c);
    assert_eq!(
        b,
        BadEvent {
            seq: 301,
            problem: Problem::SeqGap
        },
        "{b}"
    );
    // Swapping the contents but keeping the numbers: the hashes expose it.
    let mut c = chain(1000, 100);
    let (a, b2) = (c.events[300].clone(), c.events[301].clone());
    c.events[300] = AuditEvent { seq: 301, ..b2 };
    c.events[301] = AuditEvent { seq: 302, ..a };
    assert_eq!(
        bad(&c),
        BadEvent {
            seq: 301,
            problem: Problem::HashMismatch
        }
    );
}

#[test]
fn inserted_row_is_named() {
    let mut c = chain(100, 1000);
    let forged = seal(
        EventDraft {
            at: 1,
            kind: "consent.granted".into(),
            actor: "user".into(),
            subject_ref: None,
            payload_digest: None,
        },
        51,
        &c.events[49].hash,
    );
    // Renumber the rest to hide the insertion: the next row no longer follows.
    c.events.insert(50, forged);
    c.payloads.insert(50, None);
    for (i, e) in c.events.iter_mut().enumerate().skip(51) {
        e.seq = i as i64 + 1;
    }
    let b = bad(&c);
    assert_eq!(b.seq, 52, "{b}");
}

#[test]
fn a_rewrite_that_rehashes_the_tail_is_caught_by_the_next_checkpoint() {
    let mut c = chain(1000, 100);
    c.events[250].actor = "apikey:forged".into();
    rehash_from(&mut c, 250);
    assert_eq!(
        bad(&c),
        BadEvent {
            seq: 300,
            problem: Problem::CheckpointMismatch { since: 201 }
        }
    );
}

#[test]
fn a_deleted_tail_is_caught_by_a_checkpoint_or_the_head() {
    let mut c = chain(1000, 100);
    c.events.truncate(950);
    c.payloads.truncate(950);
    // Checkpoint at 1000 is beyond the end.
    let r = {
        let mut v = Verifier::new(vec![c.key.verifying_key()], c.checkpoints.clone());
        c.events.iter().for_each(|e| v.push_event(e));
        v.finish(None)
    };
    assert_eq!(
        r.first_bad,
        Some(BadEvent {
            seq: 951,
            problem: Problem::TailTruncated
        })
    );
    // No checkpoint beyond, but the recorded head is.
    let mut c = chain(1000, 2000);
    c.events.truncate(990);
    let mut v = Verifier::new(vec![c.key.verifying_key()], vec![]);
    c.events.iter().for_each(|e| v.push_event(e));
    assert_eq!(v.finish(Some(1000)).first_bad.unwrap().seq, 991);
}

#[test]
fn forged_or_foreign_checkpoints_are_refused() {
    let mut c = chain(200, 100);
    c.checkpoints[1].signature = c.checkpoints[0].signature.clone();
    assert_eq!(
        bad(&c),
        BadEvent {
            seq: 200,
            problem: Problem::CheckpointSignature
        }
    );
    let mut c = chain(200, 100);
    let stranger = SigningKey::from_seed(&[3; 32]);
    c.checkpoints
        .push(stranger.sign_checkpoint(150, &c.events[149].hash, 0));
    assert_eq!(
        bad(&c),
        BadEvent {
            seq: 150,
            problem: Problem::CheckpointUnknownKey
        }
    );
}

#[test]
fn payloads_edited_vs_erased() {
    let mut c = chain(100, 50);
    c.payloads[29] = Some(b"{\"label\":\"forged\"}".to_vec());
    assert_eq!(
        bad(&c),
        BadEvent {
            seq: 30,
            problem: Problem::PayloadDigestMismatch
        }
    );
    let mut c = chain(100, 50);
    c.payloads[29] = None; // erased after a deletion request
    let r = verify(&c);
    assert!(r.ok());
    assert_eq!(r.payloads_erased, 1);
}

#[test]
fn messages_in_both_languages() {
    let p = Problem::CheckpointMismatch { since: 7 };
    assert!(p.message(Lang::ZhCn).contains("事件 7"));
    assert!(p.message(Lang::En).contains("from 7"));
}

fn export(c: &Chain) -> String {
    let mut out = String::new();
    out.push_str(&ExportLine::key(&c.key.verifying_key()).to_json());
    out.push('\n');
    for cp in &c.checkpoints {
        out.push_str(&ExportLine::Checkpoint(cp.clone()).to_json());
        out.push('\n');
    }
    out.push_str(
        &ExportLine::Head {
            seq: c.events.len() as i64,
        }
        .to_json(),
    );
    out.push('\n');
    for e in &c.events {
        out.push_str(&ExportLine::Event(e.clone()).to_json());
        out.push('\n');
    }
    out
}

#[test]
fn export_round_trip_and_offline_verification() {
    let c = chain(500, 100);
    let text = export(&c);
    let r = verify_export(text.as_bytes(), &[]).unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!((r.events, r.checkpoints_verified), (500, 5));
    // Pinned to another key: the checkpoints are not trusted.
    let other = SigningKey::from_seed(&[4; 32]).verifying_key();
    let r = verify_export(text.as_bytes(), &[other]).unwrap();
    assert_eq!(r.first_bad.unwrap().problem, Problem::CheckpointUnknownKey);
    // An edited line.
    let edited = text.replacen("\"actor\":\"user\"", "\"actor\":\"root\"", 1);
    let r = verify_export(edited.as_bytes(), &[]).unwrap();
    assert_eq!(r.first_bad.unwrap().seq, 2);
    // Garbage and order errors name the line.
    let err = verify_export("{\"type\":\"nope\"}\n".as_bytes(), &[]).unwrap_err();
    assert!(err.to_string().starts_with("line 1:"), "{err}");
    let late_key = format!("{text}{}\n", ExportLine::Head { seq: 1 }.to_json());
    assert!(verify_export(late_key.as_bytes(), &[]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_single_change_to_a_row_is_detected_at_that_row(
        row in 0usize..60,
        field in 0u8..6,
        byte in any::<u8>(),
    ) {
        let mut c = chain(60, 1000);
        let e = &mut c.events[row];
        let flip = |s: &mut String| {
            let mut b = std::mem::take(s).into_bytes();
            let i = (byte as usize) % b.len().max(1);
            if b.is_empty() { b.push(b'x') } else { b[i] = if b[i] == b'a' { b'b' } else { b'a' } }
            *s = String::from_utf8_lossy(&b).into_owned();
        };
        match field {
            0 => flip(&mut e.kind),
            1 => flip(&mut e.actor),
            2 => e.at ^= 1 << (byte % 40),
            3 => flip(e.subject_ref.as_mut().unwrap()),
            4 => e.payload_digest = Some(e.payload_digest.clone().unwrap_or_default() + "0"),
            _ => flip(&mut e.hash),
        }
        let b = bad(&c);
        prop_assert_eq!(b.seq, row as i64 + 1);
    }
}
