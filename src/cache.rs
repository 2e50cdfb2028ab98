//! In-process caches of per-user views (the account behind the "me" routes, the industry
//! profile), so the reads every frontend makes on each page answer without a database round trip.
//!
//! Correctness rule: every code path that writes what a cached view shows calls
//! [`UserCache::forget`] for that user after committing. A read that raced with such a write is not cached
//! (the epoch check below), so this process never serves a value older than its own last write.
//! Writes made by other processes (another instance, the import CLI) reach it through
//! `crate::changes` on PostgreSQL, which also closes the [`CacheGate`] while it cannot hear them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::changes::CacheGate;

/// Views of one kind, keyed by user id.
pub struct UserCache<T> {
    ttl: Duration,
    max_entries: usize,
    /// Bumped by every `forget`; a read that started before a bump is not stored.
    epoch: AtomicU64,
    entries: RwLock<HashMap<i64, Entry<T>>>,
    gate: CacheGate,
}

struct Entry<T> {
    value: Arc<T>,
    loaded_at: Instant,
}

impl<T> UserCache<T> {
    /// A TTL of zero disables the cache; so does a closed gate, for as long as it is closed.
    pub fn new(ttl: Duration, max_entries: usize, gate: CacheGate) -> Self {
        UserCache {
            ttl,
            max_entries,
            epoch: AtomicU64::new(0),
            entries: RwLock::default(),
            gate,
        }
    }

    fn serves(&self) -> bool {
        !self.ttl.is_zero() && self.gate.is_open()
    }

    pub fn get(&self, user_id: i64) -> Option<Arc<T>> {
        if !self.serves() {
            return None;
        }
        let entries = self
            .entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries
            .get(&user_id)
            .filter(|entry| entry.loaded_at.elapsed() < self.ttl)
            .map(|entry| entry.value.clone())
    }

    /// Call before reading the database; pass the value to [`UserCache::store`].
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a view read from the database, unless a write happened since `epoch`.
    pub fn store(&self, user_id: i64, value: Arc<T>, epoch: u64) {
        if !self.serves() {
            return;
        }
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if entries.len() >= self.max_entries {
            let ttl = self.ttl;
            entries.retain(|_, entry| entry.loaded_at.elapsed() < ttl);
            if entries.len() >= self.max_entries {
                entries.clear();
            }
        }
        entries.insert(
            user_id,
            Entry {
                value,
                loaded_at: Instant::now(),
            },
        );
    }

    /// Drops a user's cached view; call after every committed write to what it shows.
    pub fn forget(&self, user_id: i64) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.remove(&user_id);
    }

    /// Drops every view (and every read in flight): changes may have been missed.
    pub fn clear(&self) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_view_is_served_until_forgotten() {
        let cache = UserCache::new(Duration::from_secs(30), 10, CacheGate::open());
        cache.store(1, Arc::new("a"), cache.epoch());
        assert_eq!(cache.get(1).as_deref(), Some(&"a"));
        cache.forget(1);
        assert!(cache.get(1).is_none());
    }

    #[test]
    fn a_read_that_raced_with_a_write_is_not_stored() {
        let cache = UserCache::new(Duration::from_secs(30), 10, CacheGate::open());
        let epoch = cache.epoch();
        cache.forget(1); // a write committed while the read was in flight
        cache.store(1, Arc::new("stale"), epoch);
        assert!(cache.get(1).is_none());
    }

    #[test]
    fn a_closed_gate_serves_and_keeps_nothing_and_clear_drops_reads_in_flight() {
        let closed = UserCache::new(Duration::from_secs(30), 10, CacheGate::closed());
        closed.store(1, Arc::new("a"), closed.epoch());
        assert!(closed.get(1).is_none());

        let cache = UserCache::new(Duration::from_secs(30), 10, CacheGate::open());
        cache.store(1, Arc::new("a"), cache.epoch());
        let epoch = cache.epoch();
        cache.clear();
        cache.store(2, Arc::new("stale"), epoch);
        assert!(cache.get(1).is_none() && cache.get(2).is_none());
    }

    #[test]
    fn a_zero_ttl_disables_the_cache_and_a_full_cache_makes_room() {
        let disabled = UserCache::new(Duration::ZERO, 10, CacheGate::open());
        disabled.store(1, Arc::new("a"), disabled.epoch());
        assert!(disabled.get(1).is_none());

        let small = UserCache::new(Duration::from_secs(30), 2, CacheGate::open());
        for id in 1..=3 {
            small.store(id, Arc::new("x"), small.epoch());
        }
        assert!(small.get(3).is_some());
        assert!(small.entries.read().unwrap().len() <= 2);
    }
}
