//! Writes a small, valid audit export to stdout (a fixed demo key; for trying the offline
//! verification described in docs/audit.md): `cargo run -p xiezhi-audit --example sample_export`.

use std::io::Write;

use xiezhi_audit::{
    EventDraft, ExportError, ExportEvent, ExportLine, GENESIS_HASH, SigningKey, payload_digest,
    seal, subject_ref,
};

fn main() -> Result<(), ExportError> {
    let key = SigningKey::from_seed(&[42; 32]);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    ExportLine::key(&key.verifying_key()).write_to(&mut out)?;
    let kinds = [
        "consent.granted",
        "preference.push",
        "tag.registered",
        "payload.erased",
    ];
    let mut events = Vec::new();
    let mut prev = GENESIS_HASH.to_owned();
    for seq in 1..=12i64 {
        let payload =
            (seq % 2 == 0).then(|| format!("{{\"label\":\"标签{seq}\",\"note\":\"a\\\"b\"}}"));
        let draft = EventDraft {
            at: 1_764_374_400_000 + seq * 1000,
            kind: kinds[(seq % 4) as usize].to_owned(),
            actor: if seq % 3 == 0 {
                "apikey:k1".into()
            } else {
                "user".into()
            },
            subject_ref: Some(subject_ref(b"demo chain secret", &format!("user-{seq}"))),
            payload_digest: payload.as_deref().map(|p| payload_digest(p.as_bytes())),
        };
        let event = seal(draft, seq, &prev);
        prev.clone_from(&event.hash);
        events.push((event, payload));
    }
    for (event, _) in events.iter().filter(|(e, _)| e.seq % 5 == 0) {
        ExportLine::Checkpoint(key.sign_checkpoint(event.seq, &event.hash, event.at + 1))
            .write_to(&mut out)?;
    }
    for (event, payload) in &events {
        let mut line = ExportEvent::new(event);
        if event.seq == 4 {
            line.payload_erased = true;
        } else {
            line.payload.clone_from(payload);
        }
        ExportLine::Event(line).write_to(&mut out)?;
    }
    out.flush()?;
    Ok(())
}
