//! `AppState`: what every handler can reach (configuration, database, token keys, limits,
//! metrics), cheap to clone.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use crate::accounts::tokens::TokenKeys;
use crate::accounts::user::Account;
use crate::ai::ChatClient;
use crate::cache::UserCache;
use crate::changes::{self, CacheGate};
use crate::clock::AppClock;
use crate::config::Config;
use crate::db::Db;
use crate::fetch::PageFetcher;
use crate::http::metrics::Metrics;
use crate::market::analytics::Trending;
use crate::market::cache::Cached;
use crate::market::gap::SkillTally;
use crate::market::theirstack::TheirStack;
use crate::portfolios::public::PublicPages;
use crate::profiles::IndustryProfileView;
use crate::profiles::profile_writer::ProfileWriter;
use crate::ratelimit::AuthRateLimiter;
use crate::sandbox::Sandbox;
use crate::storage::Storage;
use crate::tracker::analysis::streams::StreamSlots;

/// At most this many views of each kind are kept in memory (a few KB each).
const CACHE_ENTRIES: usize = 50_000;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: Db,
    pub tokens: TokenKeys,
    pub auth_limiter: AuthRateLimiter,
    pub accounts: UserCache<Account>,
    pub industry_profiles: UserCache<Option<IndustryProfileView>>,
    pub profile_writer: ProfileWriter,
    pub metrics: Metrics,
    pub clock: AppClock,
    /// The jobs-data provider, when configured.
    pub theirstack: Option<TheirStack>,
    pub market: MarketCaches,
    /// Uploaded files.
    pub storage: Storage,
    /// The client for user-given URLs (job pages), guarded against internal addresses.
    pub fetcher: PageFetcher,
    /// The AI provider, when configured.
    pub ai: Option<ChatClient>,
    /// Rendered public portfolio pages by slug.
    pub public_pages: PublicPages,
    /// Open analysis event streams per user (`tracker::analysis::streams`).
    pub analysis_streams: StreamSlots,
    /// Wakes those streams when their analysis changes (`changes`).
    pub analysis_wakeups: changes::Wakeups,
    /// The parser children for untrusted documents.
    pub sandbox: Sandbox,
    /// Closed while other processes' writes cannot be heard (`changes`).
    pub cache_gate: CacheGate,
    /// Stops the change listener when the state goes.
    change_listener: OnceLock<tokio::sync::watch::Sender<()>>,
}

/// Market answers shared between requests (see `market::cache`).
pub struct MarketCaches {
    /// By (days, skills_limit, locations_limit).
    pub trending: Cached<(i64, usize, usize), Trending>,
    /// By (role key, days).
    pub role_skills: Cached<(String, i64), SkillTally>,
}

impl AppState {
    /// Assembles the state from a configuration and an open (migrated) database; starts the
    /// background writers, so call it inside the runtime.
    pub fn new(config: Config, db: Db) -> anyhow::Result<AppState> {
        let clock = AppClock::default();
        let storage = Storage::open(
            &config.storage,
            &config.public_base_url,
            config.media_base_url.as_deref(),
            &config.jwt_secret,
        )?;
        let fetcher = PageFetcher::new(config.fetch.clone())?;
        let ai = config.ai.clone().map(ChatClient::new).transpose()?;
        let metrics = Metrics::default();
        let sandbox = Sandbox::new(config.sandbox.clone(), metrics.sandbox.clone());
        // One process writes SQLite; on PostgreSQL the caches open once the listener hears.
        let cache_gate = if config.is_sqlite() {
            CacheGate::open()
        } else {
            CacheGate::closed()
        };
        let state = AppState(Arc::new(Inner {
            change_listener: OnceLock::new(),
            sandbox,
            storage,
            fetcher,
            ai,
            public_pages: PublicPages::new(config.public_page_cache_ttl, cache_gate.clone()),
            analysis_streams: StreamSlots::default(),
            analysis_wakeups: changes::Wakeups::default(),
            tokens: TokenKeys::from_config(&config),
            auth_limiter: if config.is_sqlite() {
                AuthRateLimiter::new(config.auth_rate_limits, clock.clone())
            } else {
                AuthRateLimiter::shared(config.auth_rate_limits, clock.clone(), db.writer().clone())
            },
            accounts: UserCache::new(config.account_cache_ttl, CACHE_ENTRIES, cache_gate.clone()),
            industry_profiles: UserCache::new(
                config.account_cache_ttl,
                CACHE_ENTRIES,
                cache_gate.clone(),
            ),
            profile_writer: ProfileWriter::start(db.writer().clone()),
            metrics,
            clock,
            market: MarketCaches {
                trending: Cached::new(config.market_cache_ttl, cache_gate.clone()),
                role_skills: Cached::new(config.market_cache_ttl, cache_gate.clone()),
            },
            theirstack: config
                .theirstack
                .clone()
                .map(|c| TheirStack::new(c).expect("an HTTP client with the default TLS settings")),
            cache_gate,
            db,
            config,
        }));
        if !state.config.is_sqlite() {
            let target = changes::ListenerTarget {
                url: state.config.database_url.expose().to_owned(),
                pool: state.db.writer().get_postgres_connection_pool().clone(),
            };
            let stop =
                changes::spawn_listener(Arc::downgrade(&state.0), target, state.cache_gate.clone());
            let _ = state.change_listener.set(stop);
        }
        Ok(state)
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
