//! `AppState`: what every handler can reach (configuration, database, token keys, limits,
//! metrics), cheap to clone.

use std::ops::Deref;
use std::sync::Arc;

use crate::accounts::tokens::TokenKeys;
use crate::accounts::user::Account;
use crate::ai::ChatClient;
use crate::cache::UserCache;
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
    /// The parser children for untrusted documents.
    pub sandbox: Sandbox,
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
        Ok(AppState(Arc::new(Inner {
            sandbox,
            storage,
            fetcher,
            ai,
            public_pages: PublicPages::new(config.public_page_cache_ttl),
            analysis_streams: StreamSlots::default(),
            tokens: TokenKeys::from_config(&config),
            auth_limiter: AuthRateLimiter::new(config.auth_rate_limits, clock.clone()),
            accounts: UserCache::new(config.account_cache_ttl, CACHE_ENTRIES),
            industry_profiles: UserCache::new(config.account_cache_ttl, CACHE_ENTRIES),
            profile_writer: ProfileWriter::start(db.writer().clone()),
            metrics,
            clock,
            market: MarketCaches {
                trending: Cached::new(config.market_cache_ttl),
                role_skills: Cached::new(config.market_cache_ttl),
            },
            theirstack: config
                .theirstack
                .clone()
                .map(|c| TheirStack::new(c).expect("an HTTP client with the default TLS settings")),
            db,
            config,
        })))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
