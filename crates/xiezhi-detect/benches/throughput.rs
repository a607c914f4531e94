//! Single-thread throughput of `Engine::scan` on the benchmark inputs of `bench/gen_bench_data.py`:
//! (a) Chinese-majority prose with sparse PI and (b) digit-heavy application logs.
//!
//! The inputs are read from `$XIEZHI_BENCH_DATA` or `<repo>/target/bench-data` (the script's
//! default); when they are missing the benchmark says how to make them and measures nothing.
//!
//! ```sh
//! python3 bench/gen_bench_data.py --only prose,logs
//! cargo bench -p xiezhi-detect --bench throughput
//! ```
//!
//! The text is scanned in pieces of about 64 KiB cut at line ends, as the scanner hands blocks
//! of a file to the engine, with one `Scratch` reused for the whole input. `XIEZHI_BENCH_MB`
//! limits how many MiB of each file are used (default: all of it, 32 MiB).
//!
//! Before criterion, each input is also scanned repeatedly for `XIEZHI_BENCH_CPU_S` seconds of
//! CPU time (default 2): the bench prints MiB per CPU-second and the rate of the fastest pass.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use xiezhi_detect::{Engine, EngineConfig, Match, Scratch};

const INPUTS: [(&str, &str); 2] = [("prose_zh", "prose_zh.txt"), ("logs", "logs.log")];
const PIECE: usize = 64 << 10;

fn data_dir() -> PathBuf {
    match std::env::var_os("XIEZHI_BENCH_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data"),
    }
}

/// Loads `name`, keeping at most `limit` bytes (cut at a line end).
fn load(name: &str, limit: usize) -> Option<String> {
    let path = data_dir().join(name);
    let mut text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!(
                "throughput: skipping {}: {e}. Make the inputs with `python3 bench/gen_bench_data.py --only prose,logs` \
                 (or set XIEZHI_BENCH_DATA to the directory holding them).",
                path.display()
            );
            return None;
        }
    };
    if text.len() > limit {
        let cut = text.as_bytes()[..limit]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        text.truncate(cut);
    }
    Some(text)
}

/// Splits `text` into pieces of about [`PIECE`] bytes that end at a line end.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let cut = if rest.len() <= PIECE {
            rest.len()
        } else {
            match rest.as_bytes()[PIECE..].iter().position(|b| *b == b'\n') {
                Some(i) => PIECE + i + 1,
                None => rest.len(),
            }
        };
        let (piece, tail) = rest.split_at(cut);
        out.push(piece);
        rest = tail;
    }
    out
}

/// CPU time of the calling thread in seconds (utime + stime of `/proc/thread-self/stat`, in
/// ticks of 1/100 s), or `None` where that file does not exist.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

/// Scans all `parts` repeatedly until at least `XIEZHI_BENCH_CPU_S` (default 2) seconds of CPU
/// time were used and returns (MiB per CPU-second, MiB per wall-clock second, MiB/s of the
/// fastest pass, passes). On a virtual machine whose neighbours take the core from time to
/// time, CPU time counts the stolen time too; the fastest pass is the machine's rate when
/// undisturbed.
fn cpu_throughput(engine: &Engine, parts: &[&str], bytes: usize) -> Option<(f64, f64, f64, u32)> {
    let budget = std::env::var("XIEZHI_BENCH_CPU_S")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(2.0);
    let mut scratch = Scratch::default();
    let mut out: Vec<Match> = Vec::new();
    let cpu0 = thread_cpu_seconds()?;
    let wall0 = Instant::now();
    let mut passes = 0u32;
    let mut fastest = f64::MAX;
    let cpu = loop {
        let pass0 = Instant::now();
        for part in parts {
            out.clear();
            engine.scan(black_box(part), &mut scratch, &mut out);
        }
        fastest = fastest.min(pass0.elapsed().as_secs_f64());
        passes += 1;
        let cpu = thread_cpu_seconds()? - cpu0;
        if (cpu >= budget && passes >= 2) || passes >= 10_000 {
            break cpu;
        }
    };
    let one = bytes as f64 / f64::from(1u32 << 20);
    let mib = one * f64::from(passes);
    Some((
        mib / cpu.max(0.01),
        mib / wall0.elapsed().as_secs_f64(),
        one / fastest.max(1e-9),
        passes,
    ))
}

fn throughput(c: &mut Criterion) {
    let limit = std::env::var("XIEZHI_BENCH_MB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(usize::MAX, |mb| mb << 20);
    let engine = Engine::new(EngineConfig::default());
    let mut group = c.benchmark_group("engine_scan");
    // Each iteration scans 32 MiB (a fraction of a second or more): flat sampling, 10 samples.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(3));
    group.measurement_time(Duration::from_secs(30));
    for (id, file) in INPUTS {
        let Some(text) = load(file, limit) else {
            continue;
        };
        let parts = pieces(&text);
        let mut scratch = Scratch::default();
        let mut out: Vec<Match> = Vec::new();
        let mut found = 0usize;
        for part in &parts {
            out.clear();
            engine.scan(part, &mut scratch, &mut out);
            found += out.len();
        }
        eprintln!(
            "throughput: {id}: {} bytes, {} pieces, {found} matches",
            text.len(),
            parts.len()
        );
        if let Some((cpu, wall, best, passes)) = cpu_throughput(&engine, &parts, text.len()) {
            eprintln!("throughput: {id}: {cpu:.1} MiB per CPU-second ({wall:.1} MiB/s wall clock)");
            eprintln!("throughput: {id}: fastest of {passes} passes: {best:.1} MiB/s");
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(id, |b| {
            b.iter(|| {
                let mut n = 0usize;
                for part in &parts {
                    out.clear();
                    engine.scan(black_box(part), &mut scratch, &mut out);
                    n += out.len();
                }
                black_box(n)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
