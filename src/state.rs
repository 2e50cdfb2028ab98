//! `AppState`: what every handler can reach (configuration, database, token keys, limits,
//! metrics), cheap to clone.

use std::ops::Deref;
use std::sync::Arc;

use crate::accounts::cache::AccountCache;
use crate::accounts::tokens::TokenKeys;
use crate::clock::AppClock;
use crate::config::Config;
use crate::db::Db;
use crate::http::metrics::Metrics;
use crate::ratelimit::AuthRateLimiter;

/// At most this many account views are kept in memory (a few KB each).
const ACCOUNT_CACHE_ENTRIES: usize = 50_000;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: Db,
    pub tokens: TokenKeys,
    pub auth_limiter: AuthRateLimiter,
    pub accounts: AccountCache,
    pub metrics: Metrics,
    pub clock: AppClock,
}

impl AppState {
    /// Assembles the state from a configuration and an open (migrated) database.
    pub fn new(config: Config, db: Db) -> AppState {
        let clock = AppClock::default();
        AppState(Arc::new(Inner {
            tokens: TokenKeys::from_config(&config),
            auth_limiter: AuthRateLimiter::new(config.auth_rate_limits, clock.clone()),
            accounts: AccountCache::new(config.account_cache_ttl, ACCOUNT_CACHE_ENTRIES),
            metrics: Metrics::default(),
            clock,
            db,
            config,
        }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
