//! An in-process cache of account views (the user row and their skill names), so the "me" routes
//! that every frontend calls on each page answer without a database round trip.
//!
//! Correctness rule: every code path that writes a user's row or skills calls
//! [`AccountCache::forget`] after committing. A read that raced with such a write is not cached
//! (the epoch check below), so this process never serves a value older than its own last write.
//! Writes made by other processes (another instance, the import CLI) are bounded by the TTL,
//! which is why the cache is on by default only for the embedded single-process SQLite setup.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::user;

/// A user as the "me" routes show them.
#[derive(Clone, Debug)]
pub struct Account {
    pub user: user::Model,
    pub skills: Vec<String>,
}

pub struct AccountCache {
    ttl: Duration,
    max_entries: usize,
    /// Bumped by every `forget`; a read that started before a bump is not stored.
    epoch: AtomicU64,
    entries: RwLock<HashMap<i64, Entry>>,
}

struct Entry {
    account: Arc<Account>,
    loaded_at: Instant,
}

impl AccountCache {
    /// A TTL of zero disables the cache.
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        AccountCache {
            ttl,
            max_entries,
            epoch: AtomicU64::new(0),
            entries: RwLock::default(),
        }
    }

    pub fn get(&self, user_id: i64) -> Option<Arc<Account>> {
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
            .map(|entry| entry.account.clone())
    }

    /// Call before reading the database; pass the value to [`AccountCache::store`].
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps an account read from the database, unless a write happened since `epoch`.
    pub fn store(&self, account: Arc<Account>, epoch: u64) {
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
            account.user.id,
            Entry {
                account,
                loaded_at: Instant::now(),
            },
        );
    }

    /// Drops a user's cached view; call after every committed write to their row or skills.
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
    use crate::accounts::user::{AccountKind, StringList, SubscriptionTier};

    fn account(id: i64, title: &str) -> Arc<Account> {
        let now = chrono::Utc::now();
        let user = user::Model {
            id,
            email: format!("u{id}@example.com"),
            username: format!("u{id}"),
            first_name: String::new(),
            last_name: String::new(),
            full_name: String::new(),
            name_key: String::new(),
            password: String::new(),
            is_active: true,
            is_staff: false,
            is_superuser: false,
            account_kind: AccountKind::User,
            email_verified: false,
            phone_number: None,
            title: title.into(),
            bio: String::new(),
            avatar_url: None,
            subscription_tier: SubscriptionTier::Free,
            ai_text_credits: 0,
            ai_image_credits: 0,
            target_roles: StringList::default(),
            experience_level: None,
            location: None,
            date_joined: now,
            updated_at: now,
            last_login: None,
        };
        Arc::new(Account {
            user,
            skills: vec![],
        })
    }

    #[test]
    fn a_stored_account_is_served_until_forgotten() {
        let cache = AccountCache::new(Duration::from_secs(30), 10);
        cache.store(account(1, "a"), cache.epoch());
        assert_eq!(cache.get(1).unwrap().user.title, "a");
        cache.forget(1);
        assert!(cache.get(1).is_none());
    }

    #[test]
    fn a_read_that_raced_with_a_write_is_not_stored() {
        let cache = AccountCache::new(Duration::from_secs(30), 10);
        let epoch = cache.epoch();
        cache.forget(1); // a write committed while the read was in flight
        cache.store(account(1, "stale"), epoch);
        assert!(cache.get(1).is_none());
    }

    #[test]
    fn a_zero_ttl_disables_the_cache_and_a_full_cache_makes_room() {
        let disabled = AccountCache::new(Duration::ZERO, 10);
        disabled.store(account(1, "a"), disabled.epoch());
        assert!(disabled.get(1).is_none());

        let small = AccountCache::new(Duration::from_secs(30), 2);
        for id in 1..=3 {
            small.store(account(id, "x"), small.epoch());
        }
        assert!(small.get(3).is_some());
        assert!(small.entries.read().unwrap().len() <= 2);
    }
}
