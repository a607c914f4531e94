//! The in-memory decision cache: subject id → shared, immutable [`SubjectState`].
//!
//! Writers replace a subject's entry in the same request that commits the change (so the very
//! next decision sees it); other nodes invalidate entries when the store tells them of a
//! change. Reads take one shard's read lock and clone an `Arc`.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use rustc_hash::FxBuildHasher;

use crate::state::SubjectState;

const SHARDS: usize = 64;

type Shard = RwLock<HashMap<Box<str>, Arc<SubjectState>, FxBuildHasher>>;

/// Taken before loading a subject's state from the store; [`DecisionCache::put_loaded`] stores
/// the loaded state only if no invalidation of the subject's shard happened in between, so a
/// slow load can never re-insert a state that another node has since changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadTicket {
    shard: usize,
    epoch: u64,
}

/// Counters for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups that did not.
    pub misses: u64,
    /// Entries dropped to stay under the capacity.
    pub evictions: u64,
    /// Entries now held.
    pub entries: usize,
}

/// A sharded map from subject id to its state, bounded in size.
#[derive(Debug)]
pub struct DecisionCache {
    shards: Vec<Shard>,
    epochs: Vec<AtomicU64>,
    per_shard_capacity: usize,
    misses: AtomicU64,
    evictions: AtomicU64,
    /// The highest store change sequence number this cache has applied.
    watermark: AtomicI64,
}

impl DecisionCache {
    /// A cache holding at most about `capacity` subjects (at least one per shard).
    pub fn new(capacity: usize) -> Self {
        let per_shard_capacity = capacity.div_ceil(SHARDS).max(1);
        Self {
            shards: (0..SHARDS)
                .map(|_| RwLock::new(HashMap::with_hasher(FxBuildHasher)))
                .collect(),
            epochs: (0..SHARDS).map(|_| AtomicU64::new(0)).collect(),
            per_shard_capacity,
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            watermark: AtomicI64::new(0),
        }
    }

    fn index(subject: &str) -> usize {
        // SHARDS is a power of two; the index is always in range.
        (FxBuildHasher.hash_one(subject) as usize) & (SHARDS - 1)
    }

    fn shard(&self, subject: &str) -> &Shard {
        &self.shards[Self::index(subject)]
    }

    /// Call before loading `subject` from the store; pass the ticket to
    /// [`DecisionCache::put_loaded`].
    pub fn ticket(&self, subject: &str) -> LoadTicket {
        let shard = Self::index(subject);
        LoadTicket {
            shard,
            epoch: self.epochs[shard].load(Ordering::Acquire),
        }
    }

    /// Stores a state loaded from the store, unless the subject's shard was invalidated since
    /// `ticket` was taken (then the load may be stale and is dropped; the next lookup loads
    /// again).
    pub fn put_loaded(&self, subject: &str, state: Arc<SubjectState>, ticket: LoadTicket) {
        let mut map = match self.shards[ticket.shard].write() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if self.epochs[ticket.shard].load(Ordering::Acquire) != ticket.epoch {
            return;
        }
        Self::insert(
            &mut map,
            subject,
            state,
            self.per_shard_capacity,
            &self.evictions,
        );
    }

    /// The cached state of `subject`, if any.
    pub fn get(&self, subject: &str) -> Option<Arc<SubjectState>> {
        let found = match self.shard(subject).read() {
            Ok(map) => map.get(subject).cloned(),
            Err(poisoned) => poisoned.into_inner().get(subject).cloned(),
        };
        // Hits are not counted here: a shared counter bumped on every lookup would bounce
        // its cache line between cores and cost more than the lookup (callers count their
        // decisions). Misses are rare.
        if found.is_none() {
            self.misses.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    /// Stores the state of `subject`, unless the cache already holds a newer version (a
    /// concurrent reader may load an older state after a writer stored a newer one).
    pub fn put(&self, subject: &str, state: Arc<SubjectState>) {
        let mut map = match self.shard(subject).write() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        Self::insert(
            &mut map,
            subject,
            state,
            self.per_shard_capacity,
            &self.evictions,
        );
    }

    fn insert(
        map: &mut HashMap<Box<str>, Arc<SubjectState>, FxBuildHasher>,
        subject: &str,
        state: Arc<SubjectState>,
        capacity: usize,
        evictions: &AtomicU64,
    ) {
        if let Some(existing) = map.get(subject) {
            if existing.version > state.version {
                return;
            }
        } else if map.len() >= capacity
            && let Some(victim) = map.keys().next().cloned()
        {
            map.remove(&victim);
            evictions.fetch_add(1, Ordering::Relaxed);
        }
        map.insert(subject.into(), state);
    }

    /// Drops the entry of `subject` (another node changed it).
    pub fn invalidate(&self, subject: &str) {
        let i = Self::index(subject);
        let mut map = match self.shards[i].write() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        self.epochs[i].fetch_add(1, Ordering::AcqRel);
        map.remove(subject);
    }

    /// Drops every entry (the change feed was interrupted and changes may have been missed).
    pub fn clear(&self) {
        for (shard, epoch) in self.shards.iter().zip(&self.epochs) {
            let mut map = match shard.write() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            epoch.fetch_add(1, Ordering::AcqRel);
            map.clear();
        }
    }

    /// Records that every change up to `seq` has been applied to this cache.
    pub fn advance_watermark(&self, seq: i64) {
        self.watermark.fetch_max(seq, Ordering::AcqRel);
    }

    /// The highest change sequence number applied (see [`DecisionCache::advance_watermark`]).
    pub fn watermark(&self) -> i64 {
        self.watermark.load(Ordering::Acquire)
    }

    /// Counters.
    pub fn stats(&self) -> CacheStats {
        let entries = self
            .shards
            .iter()
            .map(|s| match s.read() {
                Ok(m) => m.len(),
                Err(p) => p.into_inner().len(),
            })
            .sum();
        CacheStats {
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
            entries,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn st(version: i64) -> Arc<SubjectState> {
        Arc::new(SubjectState {
            version,
            ..SubjectState::default()
        })
    }

    #[test]
    fn newer_versions_win() {
        let c = DecisionCache::new(10);
        c.put("a", st(5));
        c.put("a", st(3));
        assert_eq!(c.get("a").unwrap().version, 5);
        c.put("a", st(6));
        assert_eq!(c.get("a").unwrap().version, 6);
    }

    #[test]
    fn a_load_that_raced_an_invalidation_is_dropped() {
        let c = DecisionCache::new(10);
        let t = c.ticket("a");
        c.invalidate("a");
        c.put_loaded("a", st(1), t);
        assert!(c.get("a").is_none());
        let t = c.ticket("a");
        c.put_loaded("a", st(1), t);
        assert!(c.get("a").is_some());
    }

    #[test]
    fn capacity_is_bounded() {
        let c = DecisionCache::new(64);
        for i in 0..10_000 {
            c.put(&format!("s{i}"), st(1));
        }
        let s = c.stats();
        assert!(s.entries <= 64, "{s:?}");
        assert!(s.evictions > 0);
    }
}
