//! Prints the engine's matches in files as NDJSON (path, start, end, type, confidence): a
//! debugging aid for tuning detectors against the evaluation corpus.
use std::io::Write;
use xiezhi_detect::{Engine, EngineConfig, Scratch};

fn main() -> std::io::Result<()> {
    let engine = Engine::new(EngineConfig {
        min_confidence: 0.0,
        ..EngineConfig::default()
    });
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path)?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        out.clear();
        engine.scan(text, &mut scratch, &mut out);
        for m in &out {
            writeln!(
                w,
                "{{\"path\":\"{}\",\"start\":{},\"end\":{},\"type\":\"{}\",\"confidence\":{:.2}}}",
                path,
                m.start,
                m.end,
                m.pi_type.id(),
                m.confidence
            )?;
        }
    }
    Ok(())
}
