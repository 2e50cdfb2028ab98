//! Configuration from the environment (and an optional `.env` file), validated once at start-up.
//!
//! Every setting has an embedded default so `careerhub` runs with no configuration at all. Secrets
//! (the JWT key, the database password) are wrapped so they never reach `Debug` output or logs.

mod providers;
mod secrets;

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::ai::AiConfig;
use crate::fetch::FetchConfig;
use crate::market::theirstack::TheirStackConfig;
use crate::sandbox::SandboxConfig;
use crate::storage::StorageConfig;
pub use providers::THEIRSTACK_KEY_VAR;
use providers::{ai_from, theirstack_from};
pub use secrets::{JWT_SECRET_VAR, Secret, redact_url};
use secrets::{MIN_SECRET_LEN, development_jwt_secret};

/// Development keeps conveniences (a generated JWT key); production refuses to start without
/// the settings that must be chosen by an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Which browser origins may call the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorsOrigins {
    /// No CORS headers at all (same-origin frontends or server-side callers only).
    None,
    /// `*`: any origin (no credentials).
    Any,
    /// Exactly these origins, e.g. `https://app.breneo.com`.
    List(Vec<String>),
}

/// Limits on the login, register and token routes, per minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthRateLimits {
    pub per_address_per_minute: u32,
    pub per_account_per_minute: u32,
}

/// Per-user caps on what one account can pile up or spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserLimits {
    /// Career Navigator target roles (each may start a paid provider sync).
    pub target_roles: usize,
    /// Analyses waiting or running at once (429 beyond).
    pub pending_analyses: usize,
    /// JobTracker applications kept.
    pub applications: u64,
}

impl Default for UserLimits {
    fn default() -> Self {
        UserLimits {
            target_roles: 10,
            pending_analyses: 5,
            applications: 2_000,
        }
    }
}

/// Everything careerhub reads from its environment.
#[derive(Clone)]
pub struct Config {
    pub environment: Environment,
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Secret,
    pub db_max_connections: u32,
    /// PostgreSQL only: the schema to use (tests run each in a schema of its own).
    pub db_schema: Option<String>,
    pub jwt_secret: Secret,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub cors_origins: CorsOrigins,
    /// The externally visible base URL, used for absolute links (files, pictures).
    pub public_base_url: String,
    /// Whether `CAREERHUB_PUBLIC_URL` set it (otherwise it follows the listen address).
    pub public_url_configured: bool,
    pub log_format: LogFormat,
    /// Log every request at info; otherwise only 5xx (error) and, at debug, the rest.
    pub access_log: bool,
    pub max_body_bytes: usize,
    pub auth_rate_limits: AuthRateLimits,
    /// How many reverse proxies in front of us append to `X-Forwarded-For`; 0 trusts none.
    pub trusted_proxy_hops: usize,
    /// How long an account view may be served from this process's memory; zero disables it.
    pub account_cache_ttl: Duration,
    /// The jobs-data provider; `None` without `THEIRSTACK_API_KEY`.
    pub theirstack: Option<TheirStackConfig>,
    /// How often the worker refreshes every user's target roles from the provider; `None` off.
    pub market_sync_interval: Option<Duration>,
    /// How long trending and a role's skill counts may be served from memory; zero disables it.
    pub market_cache_ttl: Duration,
    /// Where uploaded files live (`STORAGE_URL`; a directory under the data dir by default).
    pub storage: StorageConfig,
    /// The prefix of file links when a CDN fronts the storage (`STORAGE_PUBLIC_URL`).
    pub media_base_url: Option<String>,
    /// Bytes of uploaded resumes and images one user may store (`quota`).
    pub storage_quota_bytes: u64,
    /// Bounds on fetching user-given URLs (job pages).
    pub fetch: FetchConfig,
    /// Where the job boards' posting APIs are (`tracker::vendors`).
    pub vendor_apis: crate::tracker::vendors::VendorApis,
    /// The AI provider, when `AI_API_KEY` or `AI_BASE_URL` is set.
    pub ai: Option<AiConfig>,
    /// Which engine runs ATS analyses.
    pub ats_engine: AtsEngine,
    /// `AI_FALLBACK=local`: a failed LLM analysis is answered by the local engine instead.
    pub ai_fallback_local: bool,
    /// How long a rendered public portfolio may be served from memory; zero disables it.
    pub public_page_cache_ttl: Duration,
    /// How often the worker deletes stored files no row points to; `None` off.
    pub sweep_interval: Option<Duration>,
    /// How long a worker's claim on a job lasts unrenewed: a job whose worker died runs again
    /// this long after the worker's last renewal (it renews every third of it).
    pub job_lease: Duration,
    /// How long succeeded jobs are kept before the worker deletes them; `None` keeps them.
    pub job_retention: Option<Duration>,
    /// The parser children that read untrusted documents.
    pub sandbox: SandboxConfig,
    pub user_limits: UserLimits,
    /// What each paid plan costs a month, as the plans page shows it.
    pub plan_prices: crate::plans::Prices,
    /// Where outgoing email goes.
    pub mail: crate::mail::MailConfig,
}

/// The ATS analysis engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtsEngine {
    /// Deterministic scoring through the skills taxonomy.
    Local,
    /// The configured AI provider.
    Llm,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(self.database_url.expose()))
            .field("db_max_connections", &self.db_max_connections)
            .field("db_schema", &self.db_schema)
            .field("jwt_secret", &self.jwt_secret)
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("cors_origins", &self.cors_origins)
            .field("public_base_url", &self.public_base_url)
            .field("log_format", &self.log_format)
            .field("access_log", &self.access_log)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("auth_rate_limits", &self.auth_rate_limits)
            .field("trusted_proxy_hops", &self.trusted_proxy_hops)
            .field("account_cache_ttl", &self.account_cache_ttl)
            .field(
                "theirstack",
                &self
                    .theirstack
                    .as_ref()
                    .map(|t| (&t.base_url, "api_key: ***")),
            )
            .field("market_sync_interval", &self.market_sync_interval)
            .field("market_cache_ttl", &self.market_cache_ttl)
            .field("storage", &self.storage)
            .field("media_base_url", &self.media_base_url)
            .field("storage_quota_bytes", &self.storage_quota_bytes)
            .field("fetch", &self.fetch)
            .field("ai", &self.ai)
            .field("ats_engine", &self.ats_engine)
            .field("ai_fallback_local", &self.ai_fallback_local)
            .field("public_page_cache_ttl", &self.public_page_cache_ttl)
            .field("sweep_interval", &self.sweep_interval)
            .field("job_lease", &self.job_lease)
            .field("job_retention", &self.job_retention)
            .field("sandbox", &self.sandbox)
            .field("user_limits", &self.user_limits)
            .field("plan_prices", &self.plan_prices)
            .field("mail", &self.mail)
            .finish()
    }
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8000";
/// 500 MiB: fifty full-size resumes or images, far past what a job seeker or a portfolio needs.
pub const DEFAULT_STORAGE_QUOTA_BYTES: u64 = 500 * 1024 * 1024;

impl Config {
    /// Reads `.env` (when present) and then the process environment.
    pub fn from_env() -> anyhow::Result<Config> {
        // A missing .env is normal; a malformed one is worth knowing about.
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            bail!("could not read .env: {err}");
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any variable source (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
        let var = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let environment = match var("CAREERHUB_ENV").as_deref() {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => bail!("CAREERHUB_ENV must be development or production, not {other:?}"),
        };
        let addr: SocketAddr = parse_var(&var, "CAREERHUB_ADDR", DEFAULT_ADDR.parse()?)?;
        let data_dir = PathBuf::from(var("CAREERHUB_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| default_sqlite_url(&data_dir));
        let jwt_secret = match var(JWT_SECRET_VAR) {
            Some(secret) if secret.len() < MIN_SECRET_LEN => {
                bail!("{JWT_SECRET_VAR} must be at least {MIN_SECRET_LEN} characters long")
            }
            Some(secret) => Secret::new(secret),
            None if environment == Environment::Production => bail!(
                "{JWT_SECRET_VAR} is not set: production needs a fixed secret of at least \
                 {MIN_SECRET_LEN} characters (every instance must share it)"
            ),
            None => development_jwt_secret(&data_dir)?,
        };
        let public_url_configured = var("CAREERHUB_PUBLIC_URL").is_some();
        let public_base_url = var("CAREERHUB_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        url::Url::parse(&public_base_url)
            .with_context(|| format!("CAREERHUB_PUBLIC_URL is not a URL: {public_base_url}"))?;

        let storage = match var("STORAGE_URL") {
            Some(raw) => StorageConfig::parse(
                &raw,
                var("STORAGE_ACCESS_KEY_ID"),
                var("STORAGE_SECRET_ACCESS_KEY"),
            )?,
            None => StorageConfig::Local {
                root: data_dir.join("media"),
            },
        };
        let ai = ai_from(&var)?;
        let ats_engine = match var("ATS_ENGINE").as_deref() {
            None if ai.is_some() => AtsEngine::Llm,
            None | Some("local") => AtsEngine::Local,
            Some("llm") if ai.is_some() => AtsEngine::Llm,
            Some("llm") => {
                bail!("ATS_ENGINE=llm needs an AI provider: set AI_API_KEY (and AI_BASE_URL)")
            }
            Some(other) => bail!("ATS_ENGINE must be local or llm, not {other:?}"),
        };
        let ai_fallback_local = match var("AI_FALLBACK").as_deref() {
            None | Some("none") => false,
            Some("local") => true,
            Some(other) => bail!("AI_FALLBACK must be local or none, not {other:?}"),
        };
        let fetch = FetchConfig {
            allow_loopback: parse_var(&var, "CAREERHUB_FETCH_ALLOW_LOOPBACK", false)?,
            max_bytes: parse_var(
                &var,
                "CAREERHUB_FETCH_MAX_BYTES",
                FetchConfig::default().max_bytes,
            )?,
            timeout: Duration::from_secs(parse_var(&var, "CAREERHUB_FETCH_TIMEOUT_SECONDS", 15)?),
            ..FetchConfig::default()
        };

        Ok(Config {
            storage,
            media_base_url: var("STORAGE_PUBLIC_URL"),
            storage_quota_bytes: parse_var(
                &var,
                "CAREERHUB_STORAGE_QUOTA_BYTES",
                DEFAULT_STORAGE_QUOTA_BYTES,
            )?,
            fetch,
            vendor_apis: Default::default(),
            ai,
            ats_engine,
            ai_fallback_local,
            public_page_cache_ttl: Duration::from_secs(parse_var(
                &var,
                "CAREERHUB_PUBLIC_CACHE_SECONDS",
                // Every process drops its copy on any process's write (`changes`).
                30,
            )?),
            sweep_interval: match parse_var(&var, "CAREERHUB_SWEEP_HOURS", 6u64)? {
                0 => None,
                hours => Some(Duration::from_secs(3600 * hours)),
            },
            job_lease: Duration::from_secs(
                parse_var(&var, "CAREERHUB_JOB_LEASE_SECONDS", 60u64)?.max(1),
            ),
            job_retention: match parse_var(&var, "CAREERHUB_JOB_RETENTION_DAYS", 7u64)? {
                0 => None,
                days => Some(Duration::from_secs(86_400 * days)),
            },
            sandbox: providers::sandbox_from(&var)?,
            plan_prices: crate::plans::Prices::parse(
                &var("CAREERHUB_PLAN_PRICES").unwrap_or_default(),
            )?,
            mail: crate::mail::MailConfig::parse(
                var("CAREERHUB_SMTP_URL").as_deref(),
                var("CAREERHUB_MAIL_FROM"),
            )?,
            user_limits: UserLimits {
                target_roles: parse_var(&var, "CAREERHUB_MAX_TARGET_ROLES", 10)?,
                pending_analyses: parse_var(&var, "CAREERHUB_MAX_PENDING_ANALYSES", 5)?,
                applications: parse_var(&var, "CAREERHUB_MAX_APPLICATIONS", 2_000)?,
            },
            environment,
            addr,
            data_dir,
            db_max_connections: parse_var(&var, "CAREERHUB_DB_MAX_CONNECTIONS", 16)?,
            db_schema: None,
            jwt_secret,
            access_token_ttl: Duration::from_secs(
                60 * parse_var(&var, "CAREERHUB_ACCESS_TOKEN_MINUTES", 60u64)?,
            ),
            refresh_token_ttl: Duration::from_secs(
                60 * parse_var(&var, "CAREERHUB_REFRESH_TOKEN_MINUTES", 24 * 60u64)?,
            ),
            cors_origins: parse_cors(var("CAREERHUB_CORS_ORIGINS").as_deref()),
            public_base_url,
            public_url_configured,
            log_format: match var("CAREERHUB_LOG_FORMAT").as_deref() {
                None | Some("text") => LogFormat::Text,
                Some("json") => LogFormat::Json,
                Some(other) => bail!("CAREERHUB_LOG_FORMAT must be text or json, not {other:?}"),
            },
            access_log: parse_var(&var, "CAREERHUB_ACCESS_LOG", false)?,
            max_body_bytes: parse_var(&var, "CAREERHUB_MAX_BODY_BYTES", 3 * 1024 * 1024)?,
            auth_rate_limits: AuthRateLimits {
                per_address_per_minute: parse_var(&var, "CAREERHUB_AUTH_RATE_PER_ADDRESS", 30)?,
                per_account_per_minute: parse_var(&var, "CAREERHUB_AUTH_RATE_PER_ACCOUNT", 10)?,
            },
            trusted_proxy_hops: parse_var(&var, "CAREERHUB_TRUSTED_PROXY_HOPS", 0)?,
            account_cache_ttl: Duration::from_secs(parse_var(
                &var,
                "CAREERHUB_ACCOUNT_CACHE_SECONDS",
                // On PostgreSQL every instance hears every write (`changes`) and serves from
                // the cache only while it can.
                30,
            )?),
            theirstack: theirstack_from(&var)?,
            market_cache_ttl: Duration::from_secs(parse_var(
                &var,
                "CAREERHUB_MARKET_CACHE_SECONDS",
                60,
            )?),
            market_sync_interval: match parse_var(&var, "CAREERHUB_MARKET_SYNC_MINUTES", 6 * 60u64)?
            {
                0 => None,
                _ if var(THEIRSTACK_KEY_VAR).is_none() => None,
                minutes => Some(Duration::from_secs(60 * minutes)),
            },
            database_url: Secret::new(database_url),
        })
    }

    /// A configuration for tests: the given database, a fixed key, no files touched.
    pub fn for_tests(database_url: &str, data_dir: &Path) -> Config {
        Config {
            environment: Environment::Development,
            addr: DEFAULT_ADDR.parse().expect("valid default address"),
            data_dir: data_dir.to_owned(),
            database_url: Secret::new(database_url),
            db_max_connections: 4,
            db_schema: None,
            jwt_secret: Secret::new("test-secret-test-secret-test-secret-0123456789"),
            access_token_ttl: Duration::from_secs(60 * 60),
            refresh_token_ttl: Duration::from_secs(24 * 60 * 60),
            cors_origins: CorsOrigins::List(vec!["https://app.example.com".into()]),
            public_base_url: "http://testserver".into(),
            public_url_configured: true,
            log_format: LogFormat::Text,
            access_log: false,
            max_body_bytes: 3 * 1024 * 1024,
            auth_rate_limits: AuthRateLimits {
                per_address_per_minute: 1000,
                per_account_per_minute: 1000,
            },
            trusted_proxy_hops: 0,
            account_cache_ttl: Duration::from_secs(30),
            theirstack: None,
            market_sync_interval: None,
            market_cache_ttl: Duration::ZERO,
            storage: StorageConfig::Local {
                root: data_dir.join("media"),
            },
            media_base_url: None,
            storage_quota_bytes: DEFAULT_STORAGE_QUOTA_BYTES,
            fetch: FetchConfig {
                allow_loopback: true,
                max_bytes: 1024 * 1024,
                timeout: Duration::from_secs(2),
                max_redirects: 5,
                local_hosts: None,
            },
            vendor_apis: Default::default(),
            ai: None,
            ats_engine: AtsEngine::Local,
            ai_fallback_local: false,
            public_page_cache_ttl: Duration::from_secs(30),
            sweep_interval: None,
            job_lease: Duration::from_secs(60),
            job_retention: None,
            sandbox: SandboxConfig::for_this_program(),
            user_limits: UserLimits::default(),
            plan_prices: crate::plans::Prices::default(),
            mail: crate::mail::MailConfig::Console {
                from: "careerhub <no-reply@localhost>".into(),
            },
        }
    }

    /// Listens on `addr` (the `--addr` flag); links follow it unless `CAREERHUB_PUBLIC_URL`
    /// names another address.
    pub fn listen_on(&mut self, addr: SocketAddr) {
        self.addr = addr;
        if !self.public_url_configured {
            self.public_base_url = format!("http://{addr}");
        }
    }

    pub fn is_sqlite(&self) -> bool {
        is_sqlite_url(self.database_url.expose())
    }
}

pub(crate) fn parse_var<T: std::str::FromStr>(
    var: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: T,
) -> anyhow::Result<T>
where
    T::Err: fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse()
            .map_err(|err| anyhow::anyhow!("{name} has an invalid value {raw:?}: {err}")),
    }
}

fn is_sqlite_url(url: &str) -> bool {
    url.starts_with("sqlite:")
}

fn default_sqlite_url(data_dir: &Path) -> String {
    format!(
        "sqlite://{}?mode=rwc",
        data_dir.join("careerhub.db").display()
    )
}

fn parse_cors(raw: Option<&str>) -> CorsOrigins {
    match raw {
        None => CorsOrigins::None,
        Some("*") => CorsOrigins::Any,
        Some(list) => CorsOrigins::List(
            list.split(',')
                .map(|origin| origin.trim().trim_end_matches('/').to_owned())
                .filter(|origin| !origin.is_empty())
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests;
