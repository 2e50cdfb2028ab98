//! `GET /api/public/portfolios/<slug>/`: a published portfolio for anyone, whole enough to
//! render (the projects and skills its blocks reference, the owner's display name and plan for
//! the branding) and without its owner's private fields, with an `ETag` and `Cache-Control` so
//! browsers and CDNs can cache it and a 304 for `If-None-Match`. Slugs are found without regard
//! to case. The serialized page and its tag are kept in memory (per process,
//! for `CAREERHUB_PUBLIC_CACHE_SECONDS`), plain and gzip-compressed, so a hot page is served
//! without touching the database, serializing or compressing; every write through this process
//! drops its entry.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Digest;
use utoipa::ToSchema;

use super::document::PortfolioResponse;
use super::portfolio;
use super::projects::{ProjectResponse, project};
use super::skills::GrooyaSkill;
use super::wire;
use crate::accounts::{user, user_skill};
use crate::changes::CacheGate;
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::state::AppState;

/// Browsers and CDNs keep the page but revalidate it with its tag on every use (a 304 is
/// cheap), so an unpublished or edited page is gone everywhere at once.
const CACHE_CONTROL: &str = "public, no-cache";
/// At most this many pages are kept in memory.
const MAX_ENTRIES: usize = 10_000;

/// The public page: the portfolio as its owner's answers carry it (`PortfolioResponse`, kept
/// keys included), and these.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicPortfolio {
    #[serde(flatten)]
    pub portfolio: PortfolioResponse,
    /// The owner's projects that a `projects` block names (`projectIds`).
    pub projects: Vec<ProjectResponse>,
    /// The owner's skills that a `skills` block names (`skillIds`).
    pub skills: Vec<GrooyaSkill>,
    pub owner: PublicOwner,
}

/// What the page may show of its owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicOwner {
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    pub name: String,
    pub title: String,
    #[serde(rename = "avatarUrl")]
    pub avatar_url: String,
    /// `{tier}`: whether the page may hide Grooya's branding.
    #[schema(value_type = Object)]
    pub subscription: Value,
}

/// A page ready to send, plain and gzip-compressed (compressed once, not per request).
#[derive(Clone, Debug)]
pub struct RenderedPage {
    /// The portfolio's owner: their writes drop the page.
    pub owner: i64,
    pub body: Bytes,
    pub gzip: Bytes,
    /// Weak: the plain and the compressed page are the same representation to a cache.
    pub etag: HeaderValue,
}

impl RenderedPage {
    fn render(owner: i64, page: &Value) -> anyhow::Result<RenderedPage> {
        let body = serde_json::to_vec(page)?;
        let digest = sha2::Sha256::digest(&body);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut encoder, &body)?;
        Ok(RenderedPage {
            owner,
            etag: HeaderValue::from_str(&format!("W/\"{hex}\""))?,
            gzip: Bytes::from(encoder.finish()?),
            body: Bytes::from(body),
        })
    }
}

/// When a page was rendered, and the page.
type Entry = (Instant, Arc<RenderedPage>);

/// Rendered public pages by slug. Only published pages are kept: a scan of random slugs costs
/// one indexed lookup each and evicts nothing.
pub struct PublicPages {
    ttl: Duration,
    entries: RwLock<HashMap<String, Entry>>,
    /// Bumped by every forget; a render that started before a bump is not kept.
    epoch: AtomicU64,
    gate: CacheGate,
}

impl PublicPages {
    pub fn new(ttl: Duration, gate: CacheGate) -> PublicPages {
        PublicPages {
            ttl,
            entries: RwLock::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            gate,
        }
    }

    fn serves(&self) -> bool {
        !self.ttl.is_zero() && self.gate.is_open()
    }

    fn get(&self, slug: &str) -> Option<Arc<RenderedPage>> {
        if !self.serves() {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(slug)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, page)| page.clone())
    }

    /// Read before loading a page; pass it to [`PublicPages::put`].
    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    fn put(&self, slug: &str, page: Arc<RenderedPage>, epoch: u64) {
        if !self.serves() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
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
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.remove(&slug.to_lowercase());
    }

    /// Drops every page of a user: after a write to what their pages embed (projects, skills,
    /// name, plan).
    pub fn forget_owner(&self, user_id: i64) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.retain(|_, (_, page)| page.owner != user_id);
    }

    /// Drops every page (changes may have been missed).
    pub fn clear(&self) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

async fn published(state: &AppState, slug: &str) -> ApiResult<Option<portfolio::Model>> {
    Ok(portfolio::Entity::find()
        .filter(portfolio::Column::Slug.eq(slug))
        .filter(portfolio::Column::IsPublished.eq(true))
        .one(state.db.reader())
        .await?)
}

async fn load(state: &AppState, slug: &str) -> ApiResult<Option<Arc<RenderedPage>>> {
    let key = slug.to_lowercase();
    if let Some(cached) = state.public_pages.get(&key) {
        return Ok(Some(cached));
    }
    let epoch = state.public_pages.epoch();
    let row = match published(state, &key).await? {
        // A slug stored before slugs were lowercase, whose lowercase form was taken.
        None if key != slug => return render(state, published(state, slug).await?).await,
        row => row,
    };
    let page = render(state, row).await?;
    if let Some(page) = &page {
        state.public_pages.put(&key, page.clone(), epoch);
    }
    Ok(page)
}

async fn render(
    state: &AppState,
    row: Option<portfolio::Model>,
) -> ApiResult<Option<Arc<RenderedPage>>> {
    let Some(row) = row else {
        return Ok(None);
    };
    let owner_id = row.user_id;
    let page = whole_page(state, row).await?;
    Ok(Some(Arc::new(RenderedPage::render(owner_id, &page)?)))
}

/// The ids a page's blocks of `block_type` list under `key`, in order, once each.
fn referenced_ids(pages: &Value, block_type: &str, key: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let blocks = pages
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|page| page.get("blocks").and_then(Value::as_array))
        .flatten()
        .filter(|block| block.get("type").and_then(Value::as_str) == Some(block_type));
    for id in blocks
        .filter_map(|b| b.get(key).and_then(Value::as_array))
        .flatten()
    {
        let id = match id {
            Value::String(s) => s.trim().parse().ok(),
            Value::Number(n) => n.as_i64(),
            _ => None,
        };
        if let Some(id) = id.filter(|id| !ids.contains(id)) {
            ids.push(id);
        }
    }
    ids
}

/// The portfolio with what its blocks reference and its owner's public face.
async fn whole_page(state: &AppState, row: portfolio::Model) -> ApiResult<Value> {
    let conn = state.db.reader();
    let project_ids = referenced_ids(&row.pages, "projects", "projectIds");
    let skill_ids = referenced_ids(&row.pages, "skills", "skillIds");
    let projects: Vec<ProjectResponse> = project::Entity::find()
        .filter(project::Column::UserId.eq(row.user_id))
        .filter(project::Column::Id.is_in(project_ids))
        .order_by_asc(project::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let skills: Vec<GrooyaSkill> = user_skill::Entity::find()
        .filter(user_skill::Column::UserId.eq(row.user_id))
        .filter(user_skill::Column::Id.is_in(skill_ids))
        .order_by_asc(user_skill::Column::Position)
        .order_by_asc(user_skill::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let owner = user::Entity::find_by_id(row.user_id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("Portfolio"))?;
    let owner = PublicOwner {
        id: owner.id,
        name: owner.full_name,
        title: owner.title,
        avatar_url: owner.avatar_url.unwrap_or_default(),
        subscription: json!({"tier": owner.subscription_tier}),
    };
    let mut page = PortfolioResponse::json(row);
    if let Value::Object(object) = &mut page {
        object.insert("projects".into(), json!(projects));
        object.insert("skills".into(), json!(skills));
        object.insert("owner".into(), json!(owner));
    }
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

/// Whether the client takes gzip: `Accept-Encoding` names it (or `*`) with a weight above zero.
/// A zero weight in any spelling (`q=0`, `Q=0.000`) refuses it, and gzip's own entry wins over
/// `*` (`gzip;q=0, *` refuses gzip).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut gzip = None;
    let mut any = None;
    let codings = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    for coding in codings {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let weight = parts
            .filter_map(|p| p.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, value)| value.trim().parse::<f32>().unwrap_or(0.0));
        if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            gzip = Some(weight);
        } else if name == "*" {
            any = Some(weight);
        }
    }
    gzip.or(any).is_some_and(|weight| weight > 0.0)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(values: &[&str]) -> bool {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::ACCEPT_ENCODING, value.parse().unwrap());
        }
        accepts_gzip(&headers)
    }

    #[test]
    fn a_zero_weight_in_any_spelling_refuses_gzip() {
        assert!(accepts(&["gzip"]));
        assert!(accepts(&["br;q=1.0, gzip;q=0.8"]));
        assert!(accepts(&["*"]));
        assert!(accepts(&["deflate", "GZIP ; Q=0.5"]));
        for refused in [
            "gzip;q=0",
            "gzip;q=0.0",
            "gzip; Q=0.000",
            "gzip;q = 0",
            "gzip;q=0, *",
            "br",
            "*;q=0",
        ] {
            assert!(!accepts(&[refused]), "{refused}");
        }
        assert!(!accepts(&[]));
    }
}
