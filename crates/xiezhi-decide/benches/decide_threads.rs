//! In-process decisions per second on every core at once (what a recommender embedding the
//! library gets): N threads share one `DecisionCache` of 100,000 subjects (random access, the
//! working set exceeds the CPU caches) or 1,000 hot subjects, each thread answering cached
//! lookups + decisions for `XZ_SECONDS` (default 3) seconds.
//!
//! `cargo bench -p xiezhi-decide --bench decide_threads`

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use xiezhi_decide::{
    Basis, Check, ConsentKind, DecisionCache, Policy, PurposePolicy, PushCategory, PushChannel,
    Scope, SubjectState, TagState, decide,
};

fn main() {
    let seconds: u64 = std::env::var("XZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let policy = Arc::new(Policy::new(
        vec![PurposePolicy::new(
            "recommend",
            "Recommend",
            Basis::Consent {
                kind: ConsentKind::General,
            },
            Scope {
                purpose: "recommend".into(),
                ..Scope::default()
            },
        )],
        48 * 3_600_000,
    ));
    let subjects: Arc<Vec<String>> =
        Arc::new((0..100_000).map(|i| format!("user-{i:08}")).collect());
    let cache = Arc::new(DecisionCache::new(200_000));
    for (i, s) in subjects.iter().enumerate() {
        let mut st = SubjectState {
            recommendation_off_since: (i % 7 == 0).then_some(5),
            tags: (0..4)
                .map(|t| TagState {
                    id: format!("interest:{t}"),
                    label: "L".into(),
                    source: "bench".into(),
                    personal: true,
                    added: 1,
                    deleted_since: None,
                })
                .collect(),
            ..SubjectState::default()
        };
        st.normalise();
        cache.put(s, Arc::new(st));
    }
    let checks = Arc::new([
        Check::Personalize,
        Check::Push {
            channel: PushChannel::Sms,
            category: PushCategory::Marketing,
        },
        Check::UseTag {
            tag: "interest:2".into(),
        },
        Check::Process {
            purpose: "recommend".into(),
        },
    ]);
    println!("{threads} threads, {seconds} s each run");
    for (label, range) in [
        ("100k subjects, random", 100_000usize),
        ("1k hot subjects", 1_000),
    ] {
        let stop = Arc::new(AtomicBool::new(false));
        let total = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (stop, total, cache, subjects, policy, checks) = (
                    stop.clone(),
                    total.clone(),
                    cache.clone(),
                    subjects.clone(),
                    policy.clone(),
                    checks.clone(),
                );
                std::thread::spawn(move || {
                    let mut k = t * 7_777;
                    let mut n = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..1024 {
                            k = k.wrapping_add(7919);
                            if let Some(st) = cache.get(&subjects[k % range]) {
                                black_box(decide(&policy, &st, &checks[k & 3], 10));
                            }
                            n += 1;
                        }
                    }
                    total.fetch_add(n, Ordering::Relaxed);
                })
            })
            .collect();
        std::thread::sleep(Duration::from_secs(seconds));
        stop.store(true, Ordering::Relaxed);
        for h in handles {
            let _ = h.join();
        }
        let rate = total.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64();
        println!(
            "{label}: {:.2} M decisions/s (cached lookup + decision each)",
            rate / 1e6
        );
    }
}
