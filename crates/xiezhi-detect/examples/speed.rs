//! Quick single-thread throughput check of `Engine::scan` on files (64 KiB pieces cut at line
//! ends, like the scanner): `cargo run --release -p xiezhi-detect --example speed -- FILE...`.
//! The criterion bench (`benches/throughput.rs`) is the reference; this is for quick profiling.
use std::time::Instant;
use xiezhi_detect::{Engine, EngineConfig, Scratch};

fn main() -> std::io::Result<()> {
    let engine = Engine::new(EngineConfig::default());
    let mut scratch = Scratch::default();
    let mut out = Vec::new();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let mut pieces = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let cut = if rest.len() <= 65536 {
                rest.len()
            } else {
                rest.as_bytes()[65536..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .map_or(rest.len(), |i| 65536 + i + 1)
            };
            let (p, t) = rest.split_at(cut);
            pieces.push(p);
            rest = t;
        }
        let mut best = f64::MAX;
        let mut found = 0;
        for _ in 0..3 {
            let t0 = Instant::now();
            found = 0;
            for p in &pieces {
                out.clear();
                engine.scan(p, &mut scratch, &mut out);
                found += out.len();
            }
            best = best.min(t0.elapsed().as_secs_f64());
        }
        println!(
            "{path}: {:.1} MB/s ({} bytes, {found} matches)",
            text.len() as f64 / best / 1e6,
            text.len()
        );
    }
    Ok(())
}
