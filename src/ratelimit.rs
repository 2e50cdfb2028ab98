//! Rate limits on the routes that check passwords or mint tokens: one budget per client address
//! and one per account identifier, so neither a single host nor a botnet aimed at one account can
//! guess passwords quickly. Counters live in this process's memory (see README, "Running at scale").

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::clock::AppClock;
use crate::config::AuthRateLimits;
use crate::error::ApiError;

type KeyedLimiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, AppClock, NoOpMiddleware<governor::nanos::Nanos>>;

/// Beyond this many tracked keys, idle ones are dropped so memory stays bounded.
const HOUSEKEEPING_THRESHOLD: usize = 10_000;

pub struct AuthRateLimiter {
    by_address: KeyedLimiter<IpAddr>,
    by_account: KeyedLimiter<String>,
    clock: AppClock,
}

impl AuthRateLimiter {
    pub fn new(limits: AuthRateLimits, clock: AppClock) -> Self {
        AuthRateLimiter {
            by_address: RateLimiter::new(
                per_minute(limits.per_address_per_minute),
                DefaultKeyedStateStore::default(),
                clock.clone(),
            ),
            by_account: RateLimiter::new(
                per_minute(limits.per_account_per_minute),
                DefaultKeyedStateStore::default(),
                clock.clone(),
            ),
            clock,
        }
    }

    /// Spends one attempt for this address (and this account, when the request names one);
    /// 429 with the wait when either budget is empty.
    pub fn check(&self, address: IpAddr, account: Option<&str>) -> Result<(), ApiError> {
        self.housekeeping();
        if let Err(not_until) = self.by_address.check_key(&address) {
            return Err(ApiError::Throttled(
                self.wait(not_until.earliest_possible()),
            ));
        }
        if let Some(account) = account
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty())
            && let Err(not_until) = self.by_account.check_key(&account)
        {
            return Err(ApiError::Throttled(
                self.wait(not_until.earliest_possible()),
            ));
        }
        Ok(())
    }

    fn wait(&self, earliest: governor::nanos::Nanos) -> Duration {
        earliest.duration_since(self.clock.now()).into()
    }

    fn housekeeping(&self) {
        if self.by_address.len() > HOUSEKEEPING_THRESHOLD {
            self.by_address.retain_recent();
        }
        if self.by_account.len() > HOUSEKEEPING_THRESHOLD {
            self.by_account.retain_recent();
        }
    }
}

/// A burst of `n` and then one more every `60/n` seconds.
fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least one"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_address: u32, per_account: u32) -> (AuthRateLimiter, AppClock) {
        let clock = AppClock::default();
        let limits = AuthRateLimits {
            per_address_per_minute: per_address,
            per_account_per_minute: per_account,
        };
        (AuthRateLimiter::new(limits, clock.clone()), clock)
    }

    #[test]
    fn the_address_budget_runs_out_and_refills() {
        let (limiter, clock) = limiter(2, 100);
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        assert!(limiter.check(ip, None).is_ok());
        assert!(limiter.check(ip, None).is_ok());
        let Err(ApiError::Throttled(wait)) = limiter.check(ip, None) else {
            panic!("third attempt should be throttled")
        };
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        // Another address is unaffected.
        assert!(limiter.check("203.0.113.8".parse().unwrap(), None).is_ok());
        clock.advance(Duration::from_secs(30));
        assert!(limiter.check(ip, None).is_ok());
    }

    #[test]
    fn the_account_budget_is_shared_across_addresses_and_ignores_case() {
        let (limiter, _clock) = limiter(100, 1);
        assert!(
            limiter
                .check("198.51.100.1".parse().unwrap(), Some("Ada@Example.com"))
                .is_ok()
        );
        assert!(matches!(
            limiter.check("198.51.100.2".parse().unwrap(), Some("ada@example.com")),
            Err(ApiError::Throttled(_))
        ));
    }
}
