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

/// Counters for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups that found an entry.
    pub hits: u64,
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
    per_shard_capacity: usize,
    hits: AtomicU64,
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
            per_shard_capacity,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            watermark: AtomicI64::new(0),
        }
    }

    fn shard(&self, subject: &str) -> &Shard {
        // SHARDS is a power of two; the index is always in range.
        let i = (FxBuildHasher.hash_one(subject) as usize) & (SHARDS - 1);
        &self.shards[i]
    }

    /// The cached state of `subject`, if any.
    pub fn get(&self, subject: &str) -> Option<Arc<SubjectState>> {
        let found = match self.shard(subject).read() {
            Ok(map) => map.get(subject).cloned(),
            Err(poisoned) => poisoned.into_inner().get(subject).cloned(),
        };
        if found.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        } else {
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
        if let Some(existing) = map.get(subject) {
            if existing.version > state.version {
                return;
            }
        } else if map.len() >= self.per_shard_capacity
            && let Some(victim) = map.keys().next().cloned()
        {
            map.remove(&victim);
            self.evictions.fetch_add(1, Ordering::Relaxed);
        }
        map.insert(subject.into(), state);
    }

    /// Drops the entry of `subject` (another node changed it).
    pub fn invalidate(&self, subject: &str) {
        let mut map = match self.shard(subject).write() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.remove(subject);
    }

    /// Drops every entry (the change feed was interrupted and changes may have been missed).
    pub fn clear(&self) {
        for shard in &self.shards {
            match shard.write() {
                Ok(mut m) => m.clear(),
                Err(poisoned) => poisoned.into_inner().clear(),
            }
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
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
            entries,
        }
    }
}
