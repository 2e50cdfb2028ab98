//! Rate limits on the routes that check passwords or mint tokens: one budget per client address
//! and one per account, so neither a single host nor a botnet aimed at one account can guess
//! passwords quickly. The account budget is keyed by the account a login resolves to, so every
//! spelling that opens one account ("Ray  Limit", a tab, a non-breaking space) spends one
//! budget; only an identifier that matches no account is keyed by its normalised spelling.
//! IPv6 clients are keyed by their /64, the block one subscriber gets. On PostgreSQL the
//! budgets are rows every instance shares (`ratelimit_shared`); on SQLite (one process) they
//! live in this process's memory.

use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use sea_orm::DatabaseConnection;

use crate::clock::AppClock;
use crate::config::AuthRateLimits;
use crate::error::ApiError;
use crate::ratelimit_shared::SharedBudget;

type KeyedLimiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, AppClock, NoOpMiddleware<governor::nanos::Nanos>>;

/// Beyond this many tracked keys, idle ones are dropped so memory stays bounded.
const HOUSEKEEPING_THRESHOLD: usize = 10_000;

pub struct AuthRateLimiter {
    by_address: KeyedLimiter<IpAddr>,
    by_account: KeyedLimiter<AccountKey>,
    clock: AppClock,
    /// Set on PostgreSQL: the budgets are kept there instead.
    shared: Option<Shared>,
}

struct Shared {
    db: DatabaseConnection,
    by_address: SharedBudget,
    by_account: SharedBudget,
}

/// What the per-account budget is counted under.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub enum AccountKey {
    /// An existing account, however the request spelled it.
    Id(i64),
    /// An identifier that names no account, in its normalised form.
    Unknown(String),
}

impl AccountKey {
    /// The budget's row key in the shared table.
    fn row_key(&self) -> String {
        match self {
            AccountKey::Id(id) => format!("account:{id}"),
            AccountKey::Unknown(name) => format!("name:{name}"),
        }
    }

    /// The key of an identifier that matched no account: lowercased, every run of whitespace
    /// (Unicode's, tabs and newlines included) one space, trimmed.
    pub fn unknown(identifier: &str) -> AccountKey {
        AccountKey::Unknown(normalize_identifier(identifier))
    }
}

/// An identifier as the account lookups compare it.
pub fn normalize_identifier(identifier: &str) -> String {
    identifier
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The address a budget is kept for: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64.
pub fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(bits))
            }
        },
    }
}

impl AuthRateLimiter {
    /// Budgets in PostgreSQL, shared by every instance on it.
    pub fn shared(limits: AuthRateLimits, clock: AppClock, db: DatabaseConnection) -> Self {
        let mut limiter = AuthRateLimiter::new(limits, clock);
        limiter.shared = Some(Shared {
            db,
            by_address: SharedBudget::per_minute(limits.per_address_per_minute),
            by_account: SharedBudget::per_minute(limits.per_account_per_minute),
        });
        limiter
    }

    /// Budgets in this process's memory.
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
            shared: None,
        }
    }

    /// Spends one attempt for this address (and this identifier, normalised, when the request
    /// names one); 429 with the wait when either budget is empty. For routes that create or
    /// look up no account first (registration).
    pub async fn check(&self, address: IpAddr, identifier: Option<&str>) -> Result<(), ApiError> {
        self.check_address(address).await?;
        match identifier.map(AccountKey::unknown) {
            Some(AccountKey::Unknown(key)) if key.is_empty() => Ok(()),
            Some(key) => self.check_accounts(&[key]).await,
            None => Ok(()),
        }
    }

    /// Spends one attempt for the client's address (its /64 for IPv6).
    pub async fn check_address(&self, address: IpAddr) -> Result<(), ApiError> {
        let key = address_key(address);
        if let Some(shared) = &self.shared {
            let row_key = format!("address:{key}");
            return self
                .spend_shared(shared, &shared.by_address, &row_key)
                .await;
        }
        self.housekeeping();
        self.by_address
            .check_key(&key)
            .map_err(|not_until| ApiError::Throttled(self.wait(not_until.earliest_possible())))
    }

    /// Spends one attempt for each account the request could open; 429 when any is spent.
    pub async fn check_accounts(&self, keys: &[AccountKey]) -> Result<(), ApiError> {
        let mut refused = None;
        for key in keys {
            let spent = match &self.shared {
                Some(shared) => {
                    self.spend_shared(shared, &shared.by_account, &key.row_key())
                        .await
                }
                None => self.by_account.check_key(key).map_err(|not_until| {
                    ApiError::Throttled(self.wait(not_until.earliest_possible()))
                }),
            };
            match spent {
                Ok(()) => {}
                Err(ApiError::Throttled(wait)) => {
                    refused = Some(refused.map_or(wait, |longest: Duration| longest.max(wait)));
                }
                Err(other) => return Err(other),
            }
        }
        refused.map_or(Ok(()), |wait| Err(ApiError::Throttled(wait)))
    }

    async fn spend_shared(
        &self,
        shared: &Shared,
        budget: &SharedBudget,
        key: &str,
    ) -> Result<(), ApiError> {
        let now_us = self.clock.now_utc().timestamp_micros();
        budget
            .spend(&shared.db, key, now_us)
            .await?
            .map_err(ApiError::Throttled)
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

    #[tokio::test]
    async fn the_address_budget_runs_out_and_refills() {
        let (limiter, clock) = limiter(2, 100);
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        assert!(limiter.check(ip, None).await.is_ok());
        assert!(limiter.check(ip, None).await.is_ok());
        let Err(ApiError::Throttled(wait)) = limiter.check(ip, None).await else {
            panic!("third attempt should be throttled")
        };
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        // Another address is unaffected.
        assert!(
            limiter
                .check("203.0.113.8".parse().unwrap(), None)
                .await
                .is_ok()
        );
        clock.advance(Duration::from_secs(30));
        assert!(limiter.check(ip, None).await.is_ok());
    }

    #[tokio::test]
    async fn an_unknown_identifier_is_one_budget_however_it_is_spaced() {
        let (limiter, _clock) = limiter(100, 1);
        let ip: IpAddr = "198.51.100.1".parse().unwrap();
        assert!(limiter.check(ip, Some("Ray  Limit")).await.is_ok());
        for spelling in ["ray limit", "Ray\tLimit", "Ray\u{a0}Limit", " RAY\nLIMIT "] {
            assert!(
                matches!(
                    limiter.check(ip, Some(spelling)).await,
                    Err(ApiError::Throttled(_))
                ),
                "{spelling:?} had a budget of its own"
            );
        }
    }

    #[tokio::test]
    async fn an_account_id_is_one_budget_and_any_spent_key_refuses() {
        let (limiter, _clock) = limiter(100, 1);
        assert!(limiter.check_accounts(&[AccountKey::Id(7)]).await.is_ok());
        assert!(matches!(
            limiter
                .check_accounts(&[AccountKey::Id(8), AccountKey::Id(7)])
                .await,
            Err(ApiError::Throttled(_))
        ));
        assert!(limiter.check_accounts(&[AccountKey::Id(9)]).await.is_ok());
    }

    #[tokio::test]
    async fn ipv6_clients_share_their_64_and_mapped_ipv4_is_ipv4() {
        let (limiter, _clock) = limiter(1, 100);
        assert!(
            limiter
                .check_address("2001:db8:1:2::1".parse().unwrap())
                .await
                .is_ok()
        );
        assert!(matches!(
            limiter
                .check_address("2001:db8:1:2:ffff::9".parse().unwrap())
                .await,
            Err(ApiError::Throttled(_))
        ));
        assert!(
            limiter
                .check_address("2001:db8:1:3::1".parse().unwrap())
                .await
                .is_ok()
        );
        assert!(
            limiter
                .check_address("192.0.2.1".parse().unwrap())
                .await
                .is_ok()
        );
        assert!(matches!(
            limiter
                .check_address("::ffff:192.0.2.1".parse().unwrap())
                .await,
            Err(ApiError::Throttled(_))
        ));
    }

    #[tokio::test]
    async fn the_account_budget_is_shared_across_addresses_and_ignores_case() {
        let (limiter, _clock) = limiter(100, 1);
        assert!(
            limiter
                .check("198.51.100.1".parse().unwrap(), Some("Ada@Example.com"))
                .await
                .is_ok()
        );
        assert!(matches!(
            limiter
                .check("198.51.100.2".parse().unwrap(), Some("ada@example.com"))
                .await,
            Err(ApiError::Throttled(_))
        ));
    }
}
