//! In-process decision throughput: cached state lookup + decision, the path a recommender
//! embedding the library takes. Target (issue 4): ≥ 5 M decisions/s.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use xiezhi_decide::{
    Basis, Check, ConsentKind, ConsentState, ConsentStatus, DecisionCache, Policy, PurposePolicy,
    PushCategory, PushChannel, PushRefusal, Scope, SubjectState, TagState, decide,
};

fn policy() -> Policy {
    let purposes = (0..20)
        .map(|i| {
            PurposePolicy::new(
                format!("purpose-{i}"),
                format!("Purpose {i}"),
                Basis::Consent {
                    kind: ConsentKind::Separate,
                },
                Scope {
                    purpose: format!("purpose {i}"),
                    ..Scope::default()
                },
            )
        })
        .collect();
    Policy::new(purposes, 48 * 3_600_000)
}

fn state(i: usize, policy: &Policy) -> SubjectState {
    let mut s = SubjectState {
        recommendation_off_since: i.is_multiple_of(3).then_some(1_000),
        push_refusals: vec![PushRefusal {
            channel: PushChannel::Sms,
            category: PushCategory::Marketing,
            since: 5,
        }],
        tags: (0..8)
            .map(|t| TagState {
                id: format!("interest:{t}"),
                label: format!("tag {t}"),
                source: "recsys".into(),
                personal: true,
                added: 1,
                deleted_since: (t == 3).then_some(7),
            })
            .collect(),
        consents: policy
            .purposes()
            .take(10)
            .map(|p| ConsentState {
                purpose: p.id.clone(),
                status: ConsentStatus::Granted,
                kind: ConsentKind::Separate,
                scope_digest: p.scope_digest.clone(),
                rules_version: None,
                since: 9,
                ask_again_after: None,
                stale: false,
            })
            .collect(),
        version: i as i64,
        ..SubjectState::default()
    };
    s.normalise();
    s
}

fn bench(c: &mut Criterion) {
    let policy = policy();
    let subjects: Vec<String> = (0..100_000).map(|i| format!("user-{i:08}")).collect();
    let cache = DecisionCache::new(200_000);
    for (i, s) in subjects.iter().enumerate() {
        cache.put(s, Arc::new(state(i, &policy)));
    }
    let checks = [
        Check::Personalize,
        Check::Push {
            channel: PushChannel::Sms,
            category: PushCategory::Marketing,
        },
        Check::UseTag {
            tag: "interest:3".into(),
        },
        Check::Process {
            purpose: "purpose-4".into(),
        },
    ];
    let mut g = c.benchmark_group("decide");
    g.throughput(Throughput::Elements(1));
    g.bench_function("pure_decide", |b| {
        let st = state(1, &policy);
        let mut k = 0usize;
        b.iter(|| {
            k = k.wrapping_add(1);
            black_box(decide(&policy, &st, &checks[k & 3], 10))
        })
    });
    g.bench_function("cached_lookup_and_decide", |b| {
        let mut k = 0usize;
        b.iter(|| {
            k = k.wrapping_add(7919);
            let subject = &subjects[k % subjects.len()];
            let st = cache.get(subject);
            black_box(st.map(|st| decide(&policy, &st, &checks[k & 3], 10)))
        })
    });
    // A hot set that stays in the CPU caches (recently active users).
    let hot: Vec<String> = subjects.iter().take(1000).cloned().collect();
    g.bench_function("cached_lookup_and_decide_hot_1k", |b| {
        let mut k = 0usize;
        b.iter(|| {
            k = k.wrapping_add(7919);
            let subject = &hot[k % hot.len()];
            let st = cache.get(subject);
            black_box(st.map(|st| decide(&policy, &st, &checks[k & 3], 10)))
        })
    });
    // One lookup, the four checks a feed request asks (counted as four decisions).
    g.throughput(Throughput::Elements(4));
    g.bench_function("cached_lookup_then_4_checks", |b| {
        let mut k = 0usize;
        b.iter(|| {
            k = k.wrapping_add(7919);
            let subject = &subjects[k % subjects.len()];
            if let Some(st) = cache.get(subject) {
                for c in &checks {
                    black_box(decide(&policy, &st, c, 10));
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
