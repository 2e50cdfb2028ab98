//! The TheirStack jobs-data client: `POST /v1/jobs/search` with a bearer key, the filters
//! careerhub uses, page by page, waiting out 429s as the rate-limit headers say.
//!
//! TheirStack bills every job it returns, even one returned before, so callers ask only for jobs
//! discovered after the last one they stored (`discovered_at_gte`), oldest first, and store each
//! page before asking for the next (see `market::sync`).

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Serialize;
use serde_json::Value;

/// 429s answered for one page before giving up.
const MAX_RATE_LIMITED_RETRIES: u32 = 5;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest answer read: a page of at most 500 postings, each a few KiB of JSON (descriptions
/// included), is far below it.
const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// How to reach TheirStack.
#[derive(Clone)]
pub struct TheirStackConfig {
    /// `https://api.theirstack.com`, or a local server in tests.
    pub base_url: String,
    pub api_key: String,
    /// Jobs per page (TheirStack allows up to 500).
    pub page_size: u32,
    /// Pages per sync at most: a bound on what one run can spend.
    pub max_pages: u32,
    /// First sync of a search: postings at most this old.
    pub max_age_days: u32,
    /// ISO 3166 alpha-2 codes; empty for anywhere.
    pub countries: Vec<String>,
    /// The longest a 429 may make us sleep (the rest of the wait is reported, not slept).
    pub max_rate_limit_sleep: Duration,
    /// Jobs requested per UTC day at most, across every instance (`market::spend`).
    pub daily_jobs_cap: u64,
    /// A role's search runs at most once in this long, whoever adds the role.
    pub role_sync_window: Duration,
}

/// Written by hand so the API key never reaches a log.
impl std::fmt::Debug for TheirStackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TheirStackConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("page_size", &self.page_size)
            .field("max_pages", &self.max_pages)
            .field("max_age_days", &self.max_age_days)
            .field("countries", &self.countries)
            .field("max_rate_limit_sleep", &self.max_rate_limit_sleep)
            .field("daily_jobs_cap", &self.daily_jobs_cap)
            .field("role_sync_window", &self.role_sync_window)
            .finish()
    }
}

/// One search, as TheirStack's request body has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JobSearch {
    pub job_title_or: Vec<String>,
    pub posted_at_max_age_days: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovered_at_gte: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub job_country_code_or: Vec<String>,
    /// Oldest discovery first, so each stored page moves the cursor forward.
    pub order_by: Vec<Value>,
    pub limit: u32,
    pub page: u32,
    pub include_total_results: bool,
}

impl JobSearch {
    pub fn new(
        config: &TheirStackConfig,
        role: &str,
        discovered_after: Option<DateTime<Utc>>,
    ) -> Self {
        JobSearch {
            job_title_or: vec![role.to_owned()],
            posted_at_max_age_days: config.max_age_days,
            discovered_at_gte: discovered_after
                .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)),
            job_country_code_or: config.countries.clone(),
            order_by: vec![serde_json::json!({"field": "discovered_at", "desc": false})],
            limit: config.page_size,
            page: 0,
            include_total_results: false,
        }
    }
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum TheirStackError {
    /// Bad key, no credits, a refused request: retrying will not help.
    #[error("TheirStack refused the request ({status}): {body}")]
    Refused { status: u16, body: String },
    /// Down, slow, rate limited past our patience, or an answer we cannot read.
    #[error("TheirStack is unavailable: {0}")]
    Unavailable(String),
}

/// One page of results.
#[derive(Debug)]
pub struct Page {
    pub jobs: Vec<Value>,
    /// Waits the rate-limit headers asked for before this page came (what was asked, even
    /// where `max_rate_limit_sleep` shortened the sleep).
    pub rate_limit_waits: Vec<Duration>,
}

pub struct TheirStack {
    http: reqwest::Client,
    config: TheirStackConfig,
}

impl TheirStack {
    pub fn new(config: TheirStackConfig) -> anyhow::Result<TheirStack> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("careerhub/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(TheirStack { http, config })
    }

    pub fn config(&self) -> &TheirStackConfig {
        &self.config
    }

    /// One page of a search, retrying 429s after the wait the server names.
    pub async fn search(&self, search: &JobSearch) -> Result<Page, TheirStackError> {
        let url = format!(
            "{}/v1/jobs/search",
            self.config.base_url.trim_end_matches('/')
        );
        let mut rate_limit_waits = Vec::new();
        loop {
            let response = self
                .http
                .post(&url)
                .bearer_auth(&self.config.api_key)
                .header(reqwest::header::ACCEPT, "application/json")
                .json(search)
                .send()
                .await
                .map_err(|err| TheirStackError::Unavailable(err.to_string()))?;
            let status = response.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                if rate_limit_waits.len() as u32 >= MAX_RATE_LIMITED_RETRIES {
                    return Err(TheirStackError::Unavailable(format!(
                        "still rate limited after {MAX_RATE_LIMITED_RETRIES} waits"
                    )));
                }
                let wait = rate_limit_wait(response.headers(), rate_limit_waits.len() as u32);
                tracing::info!(
                    wait_s = wait.as_secs_f64(),
                    "TheirStack rate limit; waiting"
                );
                rate_limit_waits.push(wait);
                tokio::time::sleep(wait.min(self.config.max_rate_limit_sleep)).await;
                continue;
            }
            let body = crate::fetch::read_capped(response, MAX_PAGE_BYTES)
                .await
                .map_err(|err| match err {
                    crate::fetch::CappedReadError::TooLarge => TheirStackError::Unavailable(
                        format!("the answer is larger than {MAX_PAGE_BYTES} bytes"),
                    ),
                    crate::fetch::CappedReadError::Transport(err) => {
                        TheirStackError::Unavailable(err.to_string())
                    }
                })?;
            let body = String::from_utf8_lossy(&body);
            if status.is_server_error() {
                return Err(TheirStackError::Unavailable(format!(
                    "{status}: {}",
                    clip(&body)
                )));
            }
            if !status.is_success() {
                return Err(TheirStackError::Refused {
                    status: status.as_u16(),
                    body: clip(&body),
                });
            }
            let parsed: Value = serde_json::from_str(&body)
                .map_err(|err| TheirStackError::Unavailable(format!("unreadable answer: {err}")))?;
            let Some(Value::Array(jobs)) = parsed.get("data").cloned() else {
                return Err(TheirStackError::Unavailable(
                    "the answer has no data array".into(),
                ));
            };
            return Ok(Page {
                jobs,
                rate_limit_waits,
            });
        }
    }
}

fn clip(body: &str) -> String {
    body.chars().take(300).collect()
}

/// How long a 429 asks us to wait: the longest reset among exhausted `RateLimit` policies
/// (`"per-minute";r=0;t=42`), else `Retry-After`, else `RateLimit-Reset`, else 1 s doubling
/// with each retry.
pub fn rate_limit_wait(headers: &HeaderMap, retries: u32) -> Duration {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let exhausted_policy_reset = header("ratelimit").and_then(|value| {
        value
            .split(',')
            .filter_map(|item| {
                let params = |key: &str| {
                    item.split(';')
                        .filter_map(|p| p.trim().split_once('='))
                        .find(|(k, _)| k.trim() == key)
                        .and_then(|(_, v)| v.trim().parse::<u64>().ok())
                };
                (params("r") == Some(0)).then(|| params("t")).flatten()
            })
            .max()
    });
    let retry_after = header(RETRY_AFTER.as_str()).and_then(|v| v.trim().parse::<u64>().ok());
    let reset = header("ratelimit-reset").and_then(|value| {
        value
            .split(',')
            .filter_map(|v| v.trim().parse::<u64>().ok())
            .max()
    });
    exhausted_policy_reset
        .or(retry_after)
        .or(reset)
        .map(|seconds| Duration::from_secs(seconds.max(1)))
        .unwrap_or_else(|| Duration::from_secs(1 << retries.min(6)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_wait_comes_from_the_exhausted_policies() {
        let both = headers(&[(
            "ratelimit",
            r#""per-second";r=3;t=1;pk="dXNl", "per-minute";r=0;t=42;pk="dXNl", "per-hour";r=0;t=7"#,
        )]);
        assert_eq!(rate_limit_wait(&both, 0), Duration::from_secs(42));
        let retry_after = headers(&[("retry-after", "9"), ("ratelimit-reset", "1, 30")]);
        assert_eq!(rate_limit_wait(&retry_after, 0), Duration::from_secs(9));
        let reset = headers(&[("ratelimit-reset", "1, 30")]);
        assert_eq!(rate_limit_wait(&reset, 0), Duration::from_secs(30));
        assert_eq!(
            rate_limit_wait(&HeaderMap::new(), 0),
            Duration::from_secs(1)
        );
        assert_eq!(
            rate_limit_wait(&HeaderMap::new(), 3),
            Duration::from_secs(8)
        );
    }
}
