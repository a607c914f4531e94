//! Tampering with the chain is caught at exactly the right row, with the right problem.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;

use proptest::prelude::*;
use xiezhi_audit::{
    AuditEvent, BadEvent, Checkpoint, EventDraft, ExportEvent, ExportLine, GENESIS_HASH, Lang,
    Payload, Problem, SigningKey, Verifier, VerifyReport, VerifyingKey, payload_digest, seal,
    subject_ref, verify_export, verify_export_pinned,
};

const KINDS: [&str; 4] = [
    "consent.granted",
    "preference.push",
    "tag.deleted",
    "apikey.created",
];

fn payload_of(seq: i64) -> Option<Vec<u8>> {
    (seq % 3 == 0).then(|| format!("{{\"scope\":\"s{seq}\",\"label\":\"中文\"}}").into_bytes())
}

/// `n` events, seq 1..=n.
fn chain(n: i64) -> Vec<AuditEvent> {
    let mut events = Vec::with_capacity(n as usize);
    let mut prev = GENESIS_HASH.to_owned();
    for seq in 1..=n {
        let draft = EventDraft {
            at: 1_700_000_000_000 + seq * 17,
            kind: KINDS[(seq % 4) as usize].to_owned(),
            actor: if seq % 2 == 0 {
                "user".into()
            } else {
                format!("apikey:k{seq}")
            },
            subject_ref: (seq % 5 != 0).then(|| subject_ref(b"chain-secret", &format!("u{seq}"))),
            payload_digest: payload_of(seq).map(|p| payload_digest(&p)),
        };
        let event = seal(draft, seq, &prev);
        prev.clone_from(&event.hash);
        events.push(event);
    }
    events
}

fn key() -> SigningKey {
    SigningKey::from_seed(&[42; 32])
}

/// Checkpoints at every multiple of `every` (signed over the untampered chain).
fn checkpoints(events: &[AuditEvent], every: i64) -> Vec<Checkpoint> {
    let k = key();
    events
        .iter()
        .filter(|e| e.seq % every == 0)
        .map(|e| k.sign_checkpoint(e.seq, &e.hash, e.at + 1))
        .collect()
}

fn verify_with(
    events: &[AuditEvent],
    cps: &[Checkpoint],
    keys: &[VerifyingKey],
    payload: impl Fn(&AuditEvent) -> Option<Vec<u8>>,
) -> VerifyReport {
    let mut v = Verifier::new(keys.to_vec(), cps.to_vec());
    for e in events {
        match payload(e) {
            Some(body) => v.push(e, Payload::Body(&body)),
            None => v.push(e, Payload::NotChecked),
        }
    }
    v.finish()
}

fn verify(events: &[AuditEvent], cps: &[Checkpoint]) -> VerifyReport {
    verify_with(events, cps, &[key().verifying_key()], |e| payload_of(e.seq))
}

fn bad(report: &VerifyReport) -> &BadEvent {
    report
        .first_bad
        .as_ref()
        .unwrap_or_else(|| panic!("tampering not detected: {report:?}"))
}

#[test]
fn a_chain_of_1000_events_verifies() {
    let events = chain(1000);
    let cps = checkpoints(&events, 100);
    let report = verify(&events, &cps);
    assert!(report.is_ok(), "{}", report.summary(Lang::En));
    assert_eq!(report.events, 1000);
    assert_eq!(report.checkpoints_verified, 10);
    assert_eq!(report.payloads_checked, 333);
    assert_eq!(report.payloads_erased, 0);
    assert_eq!(report.last_seq, 1000);
    assert_eq!(report.last_hash, events[999].hash);
    assert!(report.summary(Lang::ZhCn).contains("审计链完整"));
    // Subjects are never in the chain in clear, only as HMAC references.
    for e in &events {
        if let Some(r) = &e.subject_ref {
            assert!(r.starts_with("hmac-sha256:") && !r.contains(&format!("u{}", e.seq)));
        }
    }
}

#[test]
fn edited_kind_actor_or_time_is_a_hash_mismatch_at_that_row() {
    let events = chain(300);
    let cps = checkpoints(&events, 100);
    for edit in 0..3 {
        let mut t = events.clone();
        let row = &mut t[149]; // seq 150
        match edit {
            0 => row.kind = "consent.refused".into(),
            1 => row.actor = "system".into(),
            _ => row.at += 1,
        }
        let report = verify(&t, &cps);
        let b = bad(&report);
        assert_eq!((b.seq, b.position), (150, 149));
        assert!(matches!(b.problem, Problem::HashMismatch { .. }), "{b}");
        assert!(b.message(Lang::En).contains("row edited"));
        assert!(b.message(Lang::ZhCn).contains("记录被修改"));
    }
}

#[test]
fn deleted_row_is_a_seq_gap_naming_the_missing_seq() {
    let events = chain(300);
    let cps = checkpoints(&events, 100);
    let mut t = events.clone();
    t.remove(149); // seq 150
    let report = verify(&t, &cps);
    let b = bad(&report);
    assert_eq!(b.seq, 151);
    assert_eq!(
        b.problem,
        Problem::SeqGap {
            missing_from: 150,
            missing_to: 150
        }
    );
    assert!(b.message(Lang::En).contains("seq 150 is missing"), "{b}");
    assert!(b.message(Lang::ZhCn).contains("缺少序号 150"));
    // Deleting the first row.
    let report = verify(&events[1..], &cps);
    assert_eq!(
        bad(&report).problem,
        Problem::SeqGap {
            missing_from: 1,
            missing_to: 1
        }
    );
}

#[test]
fn swapped_rows_are_a_prev_hash_mismatch() {
    let events = chain(300);
    let cps = checkpoints(&events, 100);
    // The rows' contents are swapped while seq stays in place (what ORDER BY seq returns).
    let mut t = events.clone();
    let (a, b2) = (t[149].clone(), t[150].clone());
    t[149] = AuditEvent { seq: 150, ..b2 };
    t[150] = AuditEvent { seq: 151, ..a };
    let report = verify(&t, &cps);
    let b = bad(&report);
    assert_eq!(b.seq, 150);
    assert!(matches!(b.problem, Problem::PrevHashMismatch { .. }), "{b}");
    // Whole rows fed out of order: the first out-of-place row is reported.
    let mut t = events.clone();
    t.swap(149, 150);
    let report = verify(&t, &cps);
    let b = bad(&report);
    assert_eq!((b.seq, b.position), (151, 149));
    assert_eq!(
        b.problem,
        Problem::SeqGap {
            missing_from: 150,
            missing_to: 150
        }
    );
}

#[test]
fn inserted_forged_row_is_caught() {
    let events = chain(300);
    let cps = checkpoints(&events, 100);
    // Payloads are not checked here: the forged rows commit to none.
    let forged_draft = EventDraft {
        at: events[148].at + 1,
        kind: "consent.granted".into(),
        actor: "user".into(),
        subject_ref: None,
        payload_digest: None,
    };
    // A correctly sealed forged row as seq 150, the later rows renumbered: the link from the
    // forged row to the original row 150 (now 151) is broken.
    let forged = seal(forged_draft.clone(), 150, &events[148].hash);
    let mut t: Vec<AuditEvent> = events[..149].to_vec();
    t.push(forged);
    t.extend(events[149..].iter().map(|e| AuditEvent {
        seq: e.seq + 1,
        ..e.clone()
    }));
    let report = verify_with(&t, &cps, &[key().verifying_key()], |_| None);
    let b = bad(&report);
    assert_eq!(b.seq, 151);
    assert!(matches!(b.problem, Problem::PrevHashMismatch { .. }), "{b}");
    // A forged duplicate seq 150 inserted without renumbering.
    let mut t: Vec<AuditEvent> = events[..150].to_vec();
    t.push(seal(forged_draft.clone(), 150, &events[149].hash));
    t.extend_from_slice(&events[150..]);
    let report = verify_with(&t, &cps, &[key().verifying_key()], |_| None);
    let b = bad(&report);
    assert_eq!((b.seq, b.position), (150, 150));
    assert_eq!(b.problem, Problem::SeqNotIncreasing { previous: 150 });
    // A forged row with a made-up hash.
    let mut t: Vec<AuditEvent> = events[..149].to_vec();
    let mut sloppy = seal(forged_draft, 150, &events[148].hash);
    sloppy.hash = "ab".repeat(32);
    t.push(sloppy);
    let report = verify_with(&t, &cps, &[key().verifying_key()], |_| None);
    assert!(matches!(bad(&report).problem, Problem::HashMismatch { .. }));
    assert_eq!(bad(&report).seq, 150);
}

#[test]
fn rehashed_tail_is_caught_by_the_next_checkpoint() {
    let events = chain(300);
    let cps = checkpoints(&events, 100);
    // Edit seq 150 and recompute every hash from there on: the chain alone looks fine.
    let mut t = events.clone();
    t[149].actor = "cli".into();
    for i in 149..t.len() {
        let prev = t[i - 1].hash.clone();
        t[i].prev_hash = prev;
        t[i].hash = t[i].compute_hash();
    }
    let alone = verify_with(&t, &[], &[], |e| payload_of(e.seq));
    assert!(
        alone.is_ok(),
        "without checkpoints a full rewrite is undetectable"
    );
    let report = verify(&t, &cps);
    let b = bad(&report);
    assert_eq!(b.seq, 200);
    assert!(
        matches!(b.problem, Problem::CheckpointHashDiffers { .. }),
        "{b}"
    );
    assert!(b.message(Lang::En).contains("chain rewritten"));
    assert_eq!(report.checkpoints_verified, 1);
}

#[test]
fn truncated_tail_is_caught_by_a_checkpoint_beyond_the_end() {
    let events = chain(300);
    let cps = checkpoints(&events, 100);
    let report = verify(&events[..250], &cps);
    let b = bad(&report);
    assert_eq!(b.seq, 251);
    assert_eq!(b.position, 250);
    assert_eq!(
        b.problem,
        Problem::CheckpointBeyondEnd {
            checkpoint_seq: 300,
            last_seq: 250
        }
    );
    assert!(b.message(Lang::ZhCn).contains("链尾被截断"));
    // Truncating everything.
    let report = verify(&[], &cps);
    assert_eq!(bad(&report).seq, 1);
    assert_eq!(
        bad(&report).problem,
        Problem::CheckpointBeyondEnd {
            checkpoint_seq: 100,
            last_seq: 0
        }
    );
}

#[test]
fn forged_or_foreign_checkpoints_are_caught() {
    let events = chain(300);
    let mut cps = checkpoints(&events, 100);
    // An altered signature.
    let mut forged = cps.clone();
    let mut sig = forged[1].signature.clone().into_bytes();
    sig[10] = if sig[10] == b'0' { b'1' } else { b'0' };
    forged[1].signature = String::from_utf8(sig).unwrap();
    let report = verify(&events, &forged);
    let b = bad(&report);
    assert_eq!(b.seq, 200);
    assert!(
        matches!(b.problem, Problem::CheckpointSignatureInvalid { .. }),
        "{b}"
    );
    // A checkpoint claiming the trusted key id but signed with another key.
    let intruder = SigningKey::from_seed(&[9; 32]);
    let mut claimed = intruder.sign_checkpoint(100, &events[99].hash, 5);
    claimed.key_id = key().key_id();
    cps[0] = claimed;
    let report = verify(&events, &cps);
    assert_eq!(bad(&report).seq, 100);
    assert!(matches!(
        bad(&report).problem,
        Problem::CheckpointSignatureInvalid { .. }
    ));
    // The verifier is given the wrong public key.
    let cps = checkpoints(&events, 100);
    let report = verify_with(&events, &cps, &[intruder.verifying_key()], |_| None);
    let b = bad(&report);
    assert_eq!(b.seq, 100);
    assert_eq!(
        b.problem,
        Problem::CheckpointUnknownKey {
            key_id: key().key_id()
        }
    );
    // A forged checkpoint beyond the end does not pass for a truncation.
    let mut beyond = intruder.sign_checkpoint(400, &"cd".repeat(32), 5);
    beyond.key_id = key().key_id();
    let report = verify(&events, &[beyond]);
    let b = bad(&report);
    assert_eq!(b.seq, 400);
    assert!(
        matches!(b.problem, Problem::CheckpointSignatureInvalid { .. }),
        "{b}"
    );
}

#[test]
fn edited_payload_is_caught_and_erased_payload_is_counted() {
    let events = chain(300);
    let cps = checkpoints(&events, 100);
    let report = verify_with(&events, &cps, &[key().verifying_key()], |e| {
        let mut p = payload_of(e.seq)?;
        if e.seq == 150 {
            p[3] ^= 1;
        }
        Some(p)
    });
    let b = bad(&report);
    assert_eq!(b.seq, 150);
    assert!(
        matches!(b.problem, Problem::PayloadDigestMismatch { .. }),
        "{b}"
    );
    assert!(b.message(Lang::ZhCn).contains("载荷被修改"));
    // Erased payloads: fine, counted.
    let mut v = Verifier::new([key().verifying_key()], cps);
    for e in &events {
        match payload_of(e.seq) {
            Some(body) if e.seq % 2 == 0 => v.push(e, Payload::Body(&body)),
            Some(_) => v.push(e, Payload::Erased),
            None => v.push(e, Payload::NotChecked),
        }
    }
    let report = v.finish();
    assert!(report.is_ok(), "{}", report.summary(Lang::En));
    assert_eq!(report.payloads_erased, 50);
    assert_eq!(report.payloads_checked, 50);
    // A payload for a row without digest.
    let mut v = Verifier::new([], []);
    v.push(&events[0], Payload::Body(b"{}"));
    assert_eq!(bad(&v.finish()).problem, Problem::PayloadWithoutDigest);
}

fn export(events: &[AuditEvent], cps: &[Checkpoint], erase: i64) -> Vec<u8> {
    let mut out = Vec::new();
    ExportLine::key(&key().verifying_key())
        .write_to(&mut out)
        .unwrap();
    for cp in cps {
        ExportLine::Checkpoint(cp.clone())
            .write_to(&mut out)
            .unwrap();
    }
    for e in events {
        let mut line = ExportEvent::new(e);
        if let Some(p) = payload_of(e.seq) {
            if e.seq == erase {
                line.payload_erased = true;
            } else {
                line.payload = Some(String::from_utf8(p).unwrap());
            }
        }
        ExportLine::Event(line).write_to(&mut out).unwrap();
    }
    out
}

#[test]
fn export_round_trip_and_offline_tamper_detection() {
    let events = chain(1000);
    let cps = checkpoints(&events, 100);
    let bytes = export(&events, &cps, 300);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("{\"type\":\"key\",\"key_id\":\""));
    assert_eq!(text.lines().count(), 1 + 10 + 1000);
    let report = verify_export(Cursor::new(&bytes)).unwrap();
    assert!(report.is_ok(), "{}", report.summary(Lang::En));
    assert_eq!(
        (
            report.events,
            report.checkpoints_verified,
            report.payloads_checked,
            report.payloads_erased
        ),
        (1000, 10, 332, 1)
    );
    let pinned = verify_export_pinned(Cursor::new(&bytes), &[key().verifying_key()]).unwrap();
    assert_eq!(pinned, report);
    // Pinned to another key: the file's own key line is not trusted.
    let other = SigningKey::from_seed(&[1; 32]).verifying_key();
    let report = verify_export_pinned(Cursor::new(&bytes), &[other]).unwrap();
    assert!(matches!(
        bad(&report).problem,
        Problem::CheckpointUnknownKey { .. }
    ));

    // Edit one event line's actor in the file.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let idx = lines
        .iter()
        .position(|l| l.contains("\"seq\":512,"))
        .unwrap();
    lines[idx] = lines[idx].replace("\"actor\":\"user\"", "\"actor\":\"cli\"");
    let report = verify_export(Cursor::new(lines.join("\n"))).unwrap();
    assert_eq!(bad(&report).seq, 512);
    assert!(matches!(bad(&report).problem, Problem::HashMismatch { .. }));
    // Delete an event line.
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(idx);
    let report = verify_export(Cursor::new(lines.join("\n"))).unwrap();
    assert_eq!(
        bad(&report).problem,
        Problem::SeqGap {
            missing_from: 512,
            missing_to: 512
        }
    );

    // Malformed lines and misplaced records are errors naming the line.
    let err = verify_export(Cursor::new(format!("{text}not json\n"))).unwrap_err();
    assert!(err.to_string().contains("line 1012"), "{err}");
    let late = serde_json::to_string(&ExportLine::Checkpoint(cps[0].clone())).unwrap();
    let err = verify_export(Cursor::new(format!("{text}{late}\n"))).unwrap_err();
    assert!(err.to_string().contains("line 1012") && err.to_string().contains("checkpoint"));
    let bad_key = text.replacen("\"key_id\":\"", "\"key_id\":\"ff", 1);
    let err = verify_export(Cursor::new(bad_key)).unwrap_err();
    assert!(err.to_string().contains("line 1:"), "{err}");
}

fn field_bytes(event: &AuditEvent, field: usize) -> Vec<u8> {
    match field {
        0 => event.seq.to_le_bytes().to_vec(),
        1 => event.at.to_le_bytes().to_vec(),
        2 => event.kind.clone().into_bytes(),
        3 => event.actor.clone().into_bytes(),
        4 => event.subject_ref.clone().unwrap_or_default().into_bytes(),
        5 => event
            .payload_digest
            .clone()
            .unwrap_or_default()
            .into_bytes(),
        6 => event.prev_hash.clone().into_bytes(),
        _ => event.hash.clone().into_bytes(),
    }
}

fn set_field(event: &mut AuditEvent, field: usize, bytes: Vec<u8>) {
    let text = || String::from_utf8(bytes.clone()).unwrap();
    let int = || i64::from_le_bytes(bytes.clone().try_into().unwrap());
    match field {
        0 => event.seq = int(),
        1 => event.at = int(),
        2 => event.kind = text(),
        3 => event.actor = text(),
        4 => event.subject_ref = Some(text()),
        5 => event.payload_digest = Some(text()),
        6 => event.prev_hash = text(),
        _ => event.hash = text(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Any single-byte change to any field of any row is detected at that row.
    #[test]
    fn any_single_byte_change_is_detected_at_that_row(
        row in 0usize..40,
        field in 0usize..8,
        at in any::<prop::sample::Index>(),
        delta in 1u8..=255,
    ) {
        static EVENTS: std::sync::OnceLock<Vec<AuditEvent>> = std::sync::OnceLock::new();
        let events = EVENTS.get_or_init(|| chain(40));
        let mut t = events.clone();
        let mut bytes = field_bytes(&t[row], field);
        prop_assume!(!bytes.is_empty());
        let i = at.index(bytes.len());
        if field < 2 {
            bytes[i] ^= delta;
        } else {
            // Stay within ASCII (every field is ASCII) so the string remains valid UTF-8.
            let new = (bytes[i] as u16 + u16::from(delta)) % 128;
            prop_assume!(new as u8 != bytes[i]);
            bytes[i] = new as u8;
        }
        set_field(&mut t[row], field, bytes);
        let report = verify_with(&t, &[], &[], |_| None);
        let b = report.first_bad.clone();
        prop_assert!(b.is_some(), "change of field {} at row {} not detected", field, row);
        let b = b.unwrap();
        prop_assert_eq!(b.position, row as u64, "{}", b);
        prop_assert_eq!(b.seq, t[row].seq);
    }
}
