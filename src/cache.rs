//! In-process caches of per-user views (the account behind the "me" routes, the industry
//! profile), so the reads every frontend makes on each page answer without a database round trip.
//!
//! Correctness rule: every code path that writes what a cached view shows calls
//! [`UserCache::forget`] for that user after committing. A read that raced with such a write is not cached
//! (the epoch check below), so this process never serves a value older than its own last write.
//! Writes made by other processes (another instance, the import CLI) are bounded by the TTL,
//! which is why the cache is on by default only for the embedded single-process SQLite setup.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Views of one kind, keyed by user id.
pub struct UserCache<T> {
    ttl: Duration,
    max_entries: usize,
    /// Bumped by every `forget`; a read that started before a bump is not stored.
    epoch: AtomicU64,
    entries: RwLock<HashMap<i64, Entry<T>>>,
}

struct Entry<T> {
    value: Arc<T>,
    loaded_at: Instant,
}

impl<T> UserCache<T> {
    /// A TTL of zero disables the cache.
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        UserCache {
            ttl,
            max_entries,
            epoch: AtomicU64::new(0),
            entries: RwLock::default(),
        }
    }

    pub fn get(&self, user_id: i64) -> Option<Arc<T>> {
        if self.ttl.is_zero() {
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
        if self.ttl.is_zero() {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_view_is_served_until_forgotten() {
        let cache = UserCache::new(Duration::from_secs(30), 10);
        cache.store(1, Arc::new("a"), cache.epoch());
        assert_eq!(cache.get(1).as_deref(), Some(&"a"));
        cache.forget(1);
        assert!(cache.get(1).is_none());
    }

    #[test]
    fn a_read_that_raced_with_a_write_is_not_stored() {
        let cache = UserCache::new(Duration::from_secs(30), 10);
        let epoch = cache.epoch();
        cache.forget(1); // a write committed while the read was in flight
        cache.store(1, Arc::new("stale"), epoch);
        assert!(cache.get(1).is_none());
    }

    #[test]
    fn a_zero_ttl_disables_the_cache_and_a_full_cache_makes_room() {
        let disabled = UserCache::new(Duration::ZERO, 10);
        disabled.store(1, Arc::new("a"), disabled.epoch());
        assert!(disabled.get(1).is_none());

        let small = UserCache::new(Duration::from_secs(30), 2);
        for id in 1..=3 {
            small.store(id, Arc::new("x"), small.epoch());
        }
        assert!(small.get(3).is_some());
        assert!(small.entries.read().unwrap().len() <= 2);
    }
}
