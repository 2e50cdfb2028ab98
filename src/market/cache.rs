//! A short-lived in-process cache of the market answers many requests share: trending (the same
//! for every visitor) and a role's skill counts (the same for every user with that role). An
//! entry serves until it is `ttl` old or postings are stored by any process (this one's `Db`, or
//! another's through `crate::changes`). Concurrent misses compute once: the others wait for
//! that answer instead of each running the same queries. Answers carry their `generated_at`, so
//! a cached answer says how old it is.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::changes::CacheGate;

/// Entries per map at most; past it the map starts over (parameters are client-chosen).
const MAX_ENTRIES: usize = 2_000;

struct Entry<V> {
    value: V,
    stored: Instant,
    generation: u64,
}

/// One cache map; `ttl` zero turns it off.
pub struct Cached<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, Entry<V>>>,
    /// Held while a missing answer is computed, so a burst of misses computes it once.
    computing: tokio::sync::Mutex<()>,
    gate: CacheGate,
}

impl<K: Eq + Hash, V: Clone> Cached<K, V> {
    pub fn new(ttl: Duration, gate: CacheGate) -> Self {
        Cached {
            ttl,
            entries: Mutex::new(HashMap::new()),
            computing: tokio::sync::Mutex::new(()),
            gate,
        }
    }

    /// The fresh cached value for `key`, or `compute`'s (stored when it succeeds). `generation`
    /// is `Db::postings_generation()`, read before computing, so a write during the computation
    /// makes the entry stale at once.
    pub async fn get_or_compute<E>(
        &self,
        key: K,
        generation: u64,
        compute: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        if self.ttl.is_zero() || !self.gate.is_open() {
            return compute.await;
        }
        if let Some(value) = self.fresh(&key, generation) {
            return Ok(value);
        }
        let _computing = self.computing.lock().await;
        // Whoever held the lock before may have just stored it.
        if let Some(value) = self.fresh(&key, generation) {
            return Ok(value);
        }
        let value = compute.await?;
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                value: value.clone(),
                stored: Instant::now(),
                generation,
            },
        );
        Ok(value)
    }

    fn fresh(&self, key: &K, generation: u64) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.generation == generation && e.stored.elapsed() < self.ttl)
            .map(|e| e.value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn count(calls: &mut u32) -> Result<u32, ()> {
        *calls += 1;
        Ok(*calls)
    }

    #[tokio::test]
    async fn entries_serve_until_postings_change_or_they_expire() {
        let cache: Cached<&str, u32> = Cached::new(Duration::from_secs(60), CacheGate::open());
        let mut calls = 0;
        assert_eq!(cache.get_or_compute("k", 0, count(&mut calls)).await, Ok(1));
        assert_eq!(cache.get_or_compute("k", 0, count(&mut calls)).await, Ok(1));
        assert_eq!(cache.get_or_compute("k", 1, count(&mut calls)).await, Ok(2));

        let expiring: Cached<&str, u32> = Cached::new(Duration::from_millis(1), CacheGate::open());
        let mut calls = 0;
        expiring
            .get_or_compute("k", 0, count(&mut calls))
            .await
            .unwrap();
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(
            expiring.get_or_compute("k", 0, count(&mut calls)).await,
            Ok(2)
        );

        let off: Cached<&str, u32> = Cached::new(Duration::ZERO, CacheGate::open());
        let mut calls = 0;
        off.get_or_compute("k", 0, count(&mut calls)).await.unwrap();
        assert_eq!(off.get_or_compute("k", 0, count(&mut calls)).await, Ok(2));
    }

    #[tokio::test]
    async fn concurrent_misses_compute_once() {
        let cache: Cached<&str, u32> = Cached::new(Duration::from_secs(60), CacheGate::open());
        let computed = std::sync::atomic::AtomicU32::new(0);
        let compute = || async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok::<_, ()>(computed.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1)
        };
        let answers =
            futures::future::join_all((0..8).map(|_| cache.get_or_compute("k", 0, compute())))
                .await;
        assert!(answers.iter().all(|a| *a == Ok(1)), "{answers:?}");
        assert_eq!(computed.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
