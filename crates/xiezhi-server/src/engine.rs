//! The decision engine over the store: cached subject states, answered decisions, and the
//! write path that updates the cache in the same request that commits a change.
//!
//! Usable in-process by a Rust service that embeds Xiezhi (no HTTP involved): open a
//! [`xiezhi_store::Store`], build an [`Engine`], call [`Engine::decide`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use xiezhi_decide::{Check, Decision, DecisionCache, Millis, Policy, SubjectState, decide};
use xiezhi_store::{Change, Store, StoreError};

/// Store + cache + policy.
#[derive(Debug)]
pub struct Engine {
    store: Store,
    cache: DecisionCache,
    policy: RwLock<Arc<Policy>>,
    /// False while the cross-node change feed is down: decisions then read the store.
    feed_healthy: AtomicBool,
    /// Whether other nodes may change the store (PostgreSQL): then a broken feed matters.
    shared: bool,
    changes: tokio::sync::Notify,
}

/// The answers to one decision request.
#[derive(Debug, Clone)]
pub struct Answers {
    /// One decision per check, in order.
    pub results: Vec<Decision>,
    /// The policy version the answers were made under.
    pub policy_version: String,
    /// The subject's state version (audit sequence number of its last change).
    pub state_version: i64,
}

impl Engine {
    /// An engine over `store` with a cache of about `cache_capacity` subjects.
    pub fn new(store: Store, policy: Policy, cache_capacity: usize) -> Self {
        let shared = store.dialect() == xiezhi_store::Dialect::Postgres;
        Self {
            store,
            cache: DecisionCache::new(cache_capacity),
            policy: RwLock::new(Arc::new(policy)),
            feed_healthy: AtomicBool::new(!shared),
            shared,
            changes: tokio::sync::Notify::new(),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The cache (for metrics).
    pub fn cache(&self) -> &DecisionCache {
        &self.cache
    }

    /// The current policy.
    pub fn policy(&self) -> Arc<Policy> {
        match self.policy.read() {
            Ok(p) => Arc::clone(&p),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the policy (data map reloaded).
    pub fn set_policy(&self, policy: Policy) {
        let mut guard = match self.policy.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Arc::new(policy);
    }

    /// The state of `subject`: from the cache, else from the store. With `min_version`, a
    /// cached state older than that version is reloaded (read-your-writes across nodes).
    pub async fn state(
        &self,
        subject: &str,
        min_version: Option<i64>,
    ) -> Result<Arc<SubjectState>, StoreError> {
        let use_cache = !self.shared || self.feed_healthy.load(Ordering::Acquire);
        if use_cache && let Some(s) = self.cache.get(subject) {
            match min_version {
                Some(v) if s.version < v => {}
                _ => return Ok(s),
            }
        }
        let ticket = self.cache.ticket(subject);
        let loaded = Arc::new(self.store.load_subject(subject).await?);
        if use_cache {
            self.cache.put_loaded(subject, Arc::clone(&loaded), ticket);
        }
        Ok(loaded)
    }

    /// Answers `checks` for `subject` at `now`.
    pub async fn decide(
        &self,
        subject: &str,
        checks: &[Check],
        min_version: Option<i64>,
        now: Millis,
    ) -> Result<Answers, StoreError> {
        let state = self.state(subject, min_version).await?;
        let policy = self.policy();
        let results = checks
            .iter()
            .map(|c| decide(&policy, &state, c, now))
            .collect();
        Ok(Answers {
            results,
            policy_version: policy.version.clone(),
            state_version: state.version,
        })
    }

    /// Applies a committed change to the cache before the request that made it is answered, so
    /// the very next decision on this node sees it; wakes event streams.
    pub fn applied(&self, subject: &str, change: &Change) {
        self.cache.put(subject, Arc::new(change.state.clone()));
        self.changes.notify_waiters();
    }

    /// Another node changed `subject` (change feed): drop it from the cache.
    pub fn invalidate(&self, subject: &str, seq: i64) {
        self.cache.invalidate(subject);
        self.cache.advance_watermark(seq);
        self.changes.notify_waiters();
    }

    /// A change without a subject (policy, keys) was seen on the change feed.
    pub fn seen(&self, seq: i64) {
        self.cache.advance_watermark(seq);
        self.changes.notify_waiters();
    }

    /// The change feed went down (`false`: bypass and clear the cache) or came back.
    pub fn set_feed_healthy(&self, healthy: bool) {
        if !self.shared {
            return;
        }
        if !healthy {
            self.feed_healthy.store(false, Ordering::Release);
            self.cache.clear();
        } else {
            // Changes may have been missed while down.
            self.cache.clear();
            self.feed_healthy.store(true, Ordering::Release);
        }
    }

    /// Whether decisions are served from the cache (false while the change feed is down).
    pub fn cache_in_use(&self) -> bool {
        !self.shared || self.feed_healthy.load(Ordering::Acquire)
    }

    /// Signalled (`notify_waiters`) whenever a change is applied or seen; event streams and
    /// the webhook worker wait on it.
    pub fn change_signal(&self) -> &tokio::sync::Notify {
        &self.changes
    }
}
