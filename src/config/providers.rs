//! The settings of the third parties careerhub talks to (TheirStack, the AI provider), read from
//! the environment only when their keys or endpoints are set.

use std::time::Duration;

use anyhow::{Context, bail};

use super::{Secret, parse_var};
use crate::ai::{self, AiConfig};
use crate::market::theirstack::TheirStackConfig;
use crate::sandbox::SandboxConfig;

pub const THEIRSTACK_KEY_VAR: &str = "THEIRSTACK_API_KEY";

/// The provider's settings, when its key is set.
pub(super) fn theirstack_from(
    var: &impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Option<TheirStackConfig>> {
    let Some(api_key) = var(THEIRSTACK_KEY_VAR).filter(|k| !k.trim().is_empty()) else {
        return Ok(None);
    };
    let base_url =
        var("CAREERHUB_THEIRSTACK_URL").unwrap_or_else(|| "https://api.theirstack.com".into());
    url::Url::parse(&base_url)
        .with_context(|| format!("CAREERHUB_THEIRSTACK_URL is not a URL: {base_url}"))?;
    let page_size: u32 = parse_var(var, "CAREERHUB_THEIRSTACK_PAGE_SIZE", 100)?;
    if !(1..=500).contains(&page_size) {
        bail!("CAREERHUB_THEIRSTACK_PAGE_SIZE must be between 1 and 500");
    }
    Ok(Some(TheirStackConfig {
        base_url,
        api_key: api_key.trim().to_owned(),
        page_size,
        max_pages: parse_var(var, "CAREERHUB_THEIRSTACK_MAX_PAGES", 5)?,
        max_age_days: parse_var(var, "CAREERHUB_THEIRSTACK_MAX_AGE_DAYS", 30)?,
        countries: var("CAREERHUB_THEIRSTACK_COUNTRIES")
            .unwrap_or_default()
            .split(',')
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect(),
        max_rate_limit_sleep: Duration::from_secs(120),
        daily_jobs_cap: parse_var(var, "CAREERHUB_THEIRSTACK_DAILY_JOBS", 5_000)?,
        role_sync_window: Duration::from_secs(
            60 * parse_var(var, "CAREERHUB_MARKET_ROLE_SYNC_MINUTES", 60u64)?,
        ),
    }))
}
/// The AI provider's settings, when a key or an endpoint is set.
pub(super) fn ai_from(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<AiConfig>> {
    let api_key = var("AI_API_KEY");
    let base_url = var("AI_BASE_URL");
    if api_key.is_none() && base_url.is_none() {
        return Ok(None);
    }
    let base_url = base_url.unwrap_or_else(|| ai::DEFAULT_BASE_URL.into());
    url::Url::parse(&base_url).with_context(|| format!("AI_BASE_URL is not a URL: {base_url}"))?;
    Ok(Some(AiConfig {
        base_url,
        api_key: api_key.map(Secret::new),
        model: var("AI_MODEL").unwrap_or_else(|| ai::DEFAULT_MODEL.into()),
        image_model: var("AI_IMAGE_MODEL").unwrap_or_else(|| ai::DEFAULT_IMAGE_MODEL.into()),
        timeout: Duration::from_secs(parse_var(var, "AI_TIMEOUT_SECONDS", 60)?),
        retries: parse_var(var, "AI_RETRIES", 2)?,
    }))
}

/// The parser children: how many, how much memory each, and (for unusual installs) which
/// binary; by default this executable.
pub(super) fn sandbox_from(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<SandboxConfig> {
    let mut config = SandboxConfig::for_this_program();
    config.processes = parse_var(var, "CAREERHUB_PARSER_PROCESSES", config.processes)?;
    if config.processes == 0 {
        bail!("CAREERHUB_PARSER_PROCESSES must be at least 1");
    }
    let memory_mb: u64 = parse_var(
        var,
        "CAREERHUB_PARSER_MEMORY_MB",
        SandboxConfig::DEFAULT_MEMORY_BYTES / (1024 * 1024),
    )?;
    if memory_mb < 128 {
        bail!("CAREERHUB_PARSER_MEMORY_MB must be at least 128");
    }
    config.memory_bytes = memory_mb * 1024 * 1024;
    if let Some(program) = var("CAREERHUB_PARSER_PROGRAM") {
        config.program = program.into();
    }
    Ok(config)
}
