//! `GET /api/public/portfolios/<slug>/`: a published portfolio for anyone, without its owner's
//! private fields, with an `ETag` and `Cache-Control` so browsers and CDNs can cache it and a
//! 304 for `If-None-Match`. The serialized page and its tag are kept in memory (per process,
//! for `CAREERHUB_PUBLIC_CACHE_SECONDS`), plain and gzip-compressed, so a hot page is served
//! without touching the database, serializing or compressing; every write through this process
//! drops its entry.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::Value;
use sha2::Digest;
use utoipa::ToSchema;

use super::portfolio;
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::state::AppState;

/// Browsers and CDNs may reuse a page this long, then revalidate with its tag.
const CACHE_CONTROL: &str = "public, max-age=60";
/// At most this many pages are kept in memory.
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicPortfolio {
    pub id: i64,
    pub title: String,
    pub slug: String,
    #[schema(value_type = Object)]
    pub design: Value,
    #[schema(value_type = Vec<Object>)]
    pub pages: Value,
    pub role: String,
    pub updated_at: DateTime<Utc>,
}

/// A page ready to send, plain and gzip-compressed (compressed once, not per request).
#[derive(Clone, Debug)]
pub struct RenderedPage {
    pub body: Bytes,
    pub gzip: Bytes,
    /// Weak: the plain and the compressed page are the same representation to a cache.
    pub etag: HeaderValue,
}

impl RenderedPage {
    fn render(row: portfolio::Model) -> anyhow::Result<RenderedPage> {
        let body = serde_json::to_vec(&PublicPortfolio {
            id: row.id,
            title: row.title,
            slug: row.slug,
            design: row.design,
            pages: row.pages,
            role: row.role,
            updated_at: row.updated_at,
        })?;
        let digest = sha2::Sha256::digest(&body);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut encoder, &body)?;
        Ok(RenderedPage {
            etag: HeaderValue::from_str(&format!("W/\"{hex}\""))?,
            gzip: Bytes::from(encoder.finish()?),
            body: Bytes::from(body),
        })
    }
}

/// When a page was rendered, and the page (`None`: no published portfolio has the slug).
type Entry = (Instant, Option<Arc<RenderedPage>>);

/// Rendered public pages by slug.
pub struct PublicPages {
    ttl: Duration,
    entries: RwLock<HashMap<String, Entry>>,
}

impl PublicPages {
    pub fn new(ttl: Duration) -> PublicPages {
        PublicPages {
            ttl,
            entries: RwLock::new(HashMap::new()),
        }
    }

    fn get(&self, slug: &str) -> Option<Option<Arc<RenderedPage>>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(slug)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, page)| page.clone())
    }

    fn put(&self, slug: &str, page: Option<Arc<RenderedPage>>) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(slug.to_owned(), (Instant::now(), page));
    }

    /// Drops a slug's page: call after every write to a portfolio that has (or had) it.
    pub fn forget(&self, slug: &str) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        entries.remove(slug);
    }
}

async fn load(state: &AppState, slug: &str) -> ApiResult<Option<Arc<RenderedPage>>> {
    if let Some(cached) = state.public_pages.get(slug) {
        return Ok(cached);
    }
    let row = portfolio::Entity::find()
        .filter(portfolio::Column::Slug.eq(slug))
        .filter(portfolio::Column::IsPublished.eq(true))
        .one(state.db.reader())
        .await?;
    let page = match row {
        Some(row) => Some(Arc::new(RenderedPage::render(row)?)),
        None => None,
    };
    state.public_pages.put(slug, page.clone());
    Ok(page)
}

/// Whether `If-None-Match` names this tag (or `*`), compared weakly.
fn matches(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let ours = etag.to_str().unwrap_or_default().trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == ours)
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, not refused with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| p.replace(' ', "") == "q=0");
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// A published portfolio, for anyone; gzip-compressed for clients that take it.
#[utoipa::path(get, path = "/api/public/portfolios/{slug}", tag = "grooya",
    params(("slug" = String, Path), ("If-None-Match" = Option<String>, Header)),
    responses(
        (status = 200, body = PublicPortfolio, description = "With `ETag` and `Cache-Control`"),
        (status = 304, description = "The page is unchanged since the tag given"),
        (status = 404, description = "No published portfolio has this slug"),
    ))]
pub async fn get_public_portfolio(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let page = load(&state, &slug)
        .await?
        .ok_or_else(|| ApiError::no_match("Portfolio"))?;
    // `Vary: Accept-Encoding` comes from the CORS layer, which owns that header.
    let cache = [
        (header::ETAG, page.etag.clone()),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        ),
    ];
    if matches(&headers, &page.etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let json = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if accepts_gzip(&headers) {
        let gzip = (header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        return Ok((cache, [json, gzip], page.gzip.clone()).into_response());
    }
    Ok((cache, [json], page.body.clone()).into_response())
}
