//! `/api/portfolios/`: a DRF ModelViewSet over the user's portfolios (list as a plain array,
//! create 201, retrieve, `PUT`/`PATCH` with the whole object, delete 204), plus
//! `POST /api/portfolios/<id>/duplicate/`. `design` and `pages` are opaque JSON, stored and
//! returned unchanged; slugs are generated when absent and unique.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::entitlements::{self, Resource};
use super::portfolio;
use crate::accounts::service;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path};
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars};

/// `design` and `pages` together, serialized, at most this large.
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;
const MAX_TITLE_CHARS: usize = 200;
const MAX_SLUG_CHARS: usize = 120;
const MAX_ROLE_CHARS: usize = 200;
const GOALS: [&str; 3] = ["job", "freelance", "personal"];
const SLUG_TAKEN: &str = "portfolio with this slug already exists.";

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PortfolioRequest {
    pub title: Option<String>,
    /// Letters, digits, `-` and `_`; generated from the title when absent.
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Value)]
    pub design: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Value)]
    pub pages: Option<Value>,
    #[serde(alias = "isPublished")]
    pub is_published: Option<bool>,
    #[serde(alias = "isGuided")]
    pub is_guided: Option<bool>,
    /// `job`, `freelance` or `personal`.
    pub goal: Option<String>,
    pub role: Option<String>,
}

/// A JSON field that was sent, `null` included (serde would read `null` as absent).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioResponse {
    pub id: i64,
    /// The owner's id.
    pub user: i64,
    pub title: String,
    pub slug: String,
    #[schema(value_type = Value)]
    pub design: Value,
    #[schema(value_type = Value)]
    pub pages: Value,
    pub is_published: bool,
    pub is_guided: bool,
    pub goal: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<portfolio::Model> for PortfolioResponse {
    fn from(row: portfolio::Model) -> Self {
        PortfolioResponse {
            id: row.id,
            user: row.user_id,
            title: row.title,
            slug: row.slug,
            design: row.design,
            pages: row.pages,
            is_published: row.is_published,
            is_guided: row.is_guided,
            goal: row.goal,
            role: row.role,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// `title` as a slug: lowercase ASCII letters and digits joined by single hyphens.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "portfolio".into()
    } else {
        slug
    }
}

/// A slug for a new portfolio: the title's, then `-` and six random characters.
fn generated_slug(title: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let suffix: String = (0..6)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{suffix}", slugify(title))
}

fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The validated changes of a write; `None` leaves a field as it is.
struct Changes {
    title: Option<String>,
    slug: Option<String>,
    design: Option<Value>,
    pages: Option<Value>,
    is_published: Option<bool>,
    is_guided: Option<bool>,
    goal: Option<String>,
    role: Option<String>,
}

fn validate(body: PortfolioRequest, creating: bool) -> ApiResult<Changes> {
    let mut errors = FieldErrors::default();
    let title = body.title.map(|t| t.trim().to_owned());
    match &title {
        None if creating => errors.add("title", crate::error::FIELD_REQUIRED),
        Some(t) if t.is_empty() => errors.add("title", "This field may not be blank."),
        Some(t) => check_max_chars(&mut errors, "title", t, MAX_TITLE_CHARS),
        None => {}
    }
    let slug = body
        .slug
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if let Some(slug) = &slug {
        if !is_valid_slug(slug) {
            errors.add(
                "slug",
                "Enter a valid \u{201c}slug\u{201d} consisting of letters, numbers, underscores or hyphens.",
            );
        }
        check_max_chars(&mut errors, "slug", slug, MAX_SLUG_CHARS);
    }
    for (field, value) in [("design", &body.design), ("pages", &body.pages)] {
        if value.as_ref().is_some_and(Value::is_null) {
            errors.add(field, "This field may not be null.");
        }
    }
    let goal = body.goal.map(|g| g.trim().to_lowercase());
    if let Some(goal) = goal
        .as_deref()
        .filter(|g| !g.is_empty() && !GOALS.contains(g))
    {
        errors.add("goal", format!("\"{goal}\" is not a valid choice."));
    }
    let role = body.role.map(|r| r.trim().to_owned());
    if let Some(role) = &role {
        check_max_chars(&mut errors, "role", role, MAX_ROLE_CHARS);
    }
    errors.into_result()?;
    Ok(Changes {
        title,
        slug,
        design: body.design,
        pages: body.pages,
        is_published: body.is_published,
        is_guided: body.is_guided,
        goal,
        role,
    })
}

/// 413 when the stored documents would pass `MAX_DOCUMENT_BYTES`.
fn check_document_size(design: &Value, pages: &Value) -> ApiResult<()> {
    let size = serde_json::to_vec(design).map_or(0, |v| v.len())
        + serde_json::to_vec(pages).map_or(0, |v| v.len());
    if size > MAX_DOCUMENT_BYTES {
        return Err(ApiError::Custom(
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"detail": "A portfolio's design and pages may not exceed 2 MB together."}),
        ));
    }
    Ok(())
}

fn apply(row: &mut portfolio::ActiveModel, changes: Changes) {
    if let Some(title) = changes.title {
        row.title = Set(title);
    }
    if let Some(slug) = changes.slug {
        row.slug = Set(slug);
    }
    if let Some(design) = changes.design {
        row.design = Set(design);
    }
    if let Some(pages) = changes.pages {
        row.pages = Set(pages);
    }
    if let Some(value) = changes.is_published {
        row.is_published = Set(value);
    }
    if let Some(value) = changes.is_guided {
        row.is_guided = Set(value);
    }
    if let Some(goal) = changes.goal {
        row.goal = Set(goal);
    }
    if let Some(role) = changes.role {
        row.role = Set(role);
    }
    row.updated_at = Set(db::now());
}

/// A taken slug as the contract's field error; anything else unchanged.
fn slug_taken(err: sea_orm::DbErr) -> ApiError {
    if db::is_unique_violation(&err) {
        ApiError::field("slug", SLUG_TAKEN)
    } else {
        err.into()
    }
}

async fn slug_in_use(
    conn: &impl sea_orm::ConnectionTrait,
    slug: &str,
    except: Option<i64>,
) -> ApiResult<bool> {
    let mut query = portfolio::Entity::find().filter(portfolio::Column::Slug.eq(slug));
    if let Some(id) = except {
        query = query.filter(portfolio::Column::Id.ne(id));
    }
    Ok(query.count(conn).await? > 0)
}

pub async fn own_portfolio(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<portfolio::Model> {
    portfolio::Entity::find_by_id(id)
        .filter(portfolio::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("Portfolio"))
}

/// Refuses a new portfolio past the user's tier.
async fn check_entitlement(txn: &sea_orm::DatabaseTransaction, user: &ActiveUser) -> ApiResult<()> {
    let held = portfolio::Entity::find()
        .filter(portfolio::Column::UserId.eq(user.id()))
        .count(txn)
        .await?;
    entitlements::check(user.0.user.subscription_tier, Resource::Portfolio, held)
}

/// The user's portfolios, most recently updated first.
#[utoipa::path(get, path = "/api/portfolios", tag = "grooya", security(("bearer" = [])),
    responses((status = 200, body = [PortfolioResponse])))]
pub async fn list_portfolios(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<PortfolioResponse>>> {
    let rows = portfolio::Entity::find()
        .filter(portfolio::Column::UserId.eq(user.id()))
        .order_by_desc(portfolio::Column::UpdatedAt)
        .order_by_desc(portfolio::Column::Id)
        .all(state.db.reader())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Create a portfolio (within the tier's limit).
#[utoipa::path(post, path = "/api/portfolios", tag = "grooya", security(("bearer" = [])),
    request_body = PortfolioRequest,
    responses(
        (status = 201, body = PortfolioResponse),
        (status = 400, description = "Field errors, e.g. `{\"slug\": [\"portfolio with this slug already exists.\"]}`"),
        (status = 403, description = "Past the tier's limit; the message names the next tier"),
        (status = 413, description = "design and pages over 2 MB"),
    ))]
pub async fn create_portfolio(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<PortfolioRequest>,
) -> ApiResult<(StatusCode, Json<PortfolioResponse>)> {
    let mut changes = validate(body, true)?;
    let design = changes.design.take().unwrap_or_else(|| json!({}));
    let pages = changes.pages.take().unwrap_or_else(|| json!([]));
    check_document_size(&design, &pages)?;
    let title = changes.title.clone().unwrap_or_default();
    let now = db::now();
    let mut row = portfolio::ActiveModel {
        user_id: Set(user.id()),
        design: Set(design),
        pages: Set(pages),
        is_published: Set(false),
        is_guided: Set(false),
        goal: Set(String::new()),
        role: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    };
    let chosen_slug = changes.slug.take();
    apply(&mut row, changes);
    let created = db::in_transaction(state.db.writer(), async |txn| {
        service::lock_user(txn, user.id()).await?;
        check_entitlement(txn, &user).await?;
        let slug = match &chosen_slug {
            Some(slug) if slug_in_use(txn, slug, None).await? => {
                return Err(ApiError::field("slug", SLUG_TAKEN));
            }
            Some(slug) => slug.clone(),
            None => generated_slug(&title),
        };
        row.slug = Set(slug);
        row.insert(txn).await.map_err(slug_taken)
    })
    .await?;
    state.public_pages.forget(&created.slug);
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One of the user's portfolios.
#[utoipa::path(get, path = "/api/portfolios/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = PortfolioResponse), (status = 404, description = "Not the user's")))]
pub async fn get_portfolio(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<PortfolioResponse>> {
    Ok(Json(
        own_portfolio(state.db.reader(), user.id(), id)
            .await?
            .into(),
    ))
}

/// Update a portfolio with the whole object (fields left out keep their values).
#[utoipa::path(put, path = "/api/portfolios/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PortfolioRequest,
    responses((status = 200, body = PortfolioResponse), (status = 400, description = "Field errors"),
        (status = 404, description = "Not the user's"), (status = 413, description = "design and pages over 2 MB")))]
pub async fn put_portfolio(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: Json<PortfolioRequest>,
) -> ApiResult<Json<PortfolioResponse>> {
    update_portfolio(state, user, id, body).await
}

/// Update some of a portfolio's fields.
#[utoipa::path(patch, path = "/api/portfolios/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PortfolioRequest,
    responses((status = 200, body = PortfolioResponse), (status = 400, description = "Field errors"),
        (status = 404, description = "Not the user's"), (status = 413, description = "design and pages over 2 MB")))]
pub async fn patch_portfolio(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: Json<PortfolioRequest>,
) -> ApiResult<Json<PortfolioResponse>> {
    update_portfolio(state, user, id, body).await
}

async fn update_portfolio(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
    Json(body): Json<PortfolioRequest>,
) -> ApiResult<Json<PortfolioResponse>> {
    let changes = validate(body, false)?;
    let user_id = user.id();
    let (old_slug, updated) = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_portfolio(txn, user_id, id).await?;
        check_document_size(
            changes.design.as_ref().unwrap_or(&existing.design),
            changes.pages.as_ref().unwrap_or(&existing.pages),
        )?;
        if let Some(slug) = &changes.slug
            && slug_in_use(txn, slug, Some(id)).await?
        {
            return Err(ApiError::field("slug", SLUG_TAKEN));
        }
        let old_slug = existing.slug.clone();
        let mut row: portfolio::ActiveModel = existing.into();
        apply(&mut row, changes);
        Ok((old_slug, row.update(txn).await.map_err(slug_taken)?))
    })
    .await?;
    state.public_pages.forget(&old_slug);
    state.public_pages.forget(&updated.slug);
    Ok(Json(updated.into()))
}

/// Delete a portfolio.
#[utoipa::path(delete, path = "/api/portfolios/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "Not the user's")))]
pub async fn delete_portfolio(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let existing = own_portfolio(state.db.writer(), user.id(), id).await?;
    portfolio::Entity::delete_many()
        .filter(portfolio::Column::Id.eq(existing.id))
        .filter(portfolio::Column::UserId.eq(user.id()))
        .exec(state.db.writer())
        .await?;
    state.public_pages.forget(&existing.slug);
    Ok(StatusCode::NO_CONTENT)
}

/// Copy a portfolio: title "(Copy)", slug `-copy` made unique, unpublished.
#[utoipa::path(post, path = "/api/portfolios/{id}/duplicate", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = PortfolioResponse), (status = 403, description = "Past the tier's limit"),
        (status = 404, description = "Not the user's")))]
pub async fn duplicate_portfolio(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<PortfolioResponse>)> {
    let copy = db::in_transaction(state.db.writer(), async |txn| {
        service::lock_user(txn, user.id()).await?;
        let original = own_portfolio(txn, user.id(), id).await?;
        check_entitlement(txn, &user).await?;
        let base: String = format!("{}-copy", original.slug)
            .chars()
            .take(MAX_SLUG_CHARS - 4)
            .collect();
        let mut slug = base.clone();
        let mut n = 2;
        while slug_in_use(txn, &slug, None).await? {
            slug = format!("{base}-{n}");
            n += 1;
        }
        let now = db::now();
        let title: String = format!("{} (Copy)", original.title)
            .chars()
            .take(MAX_TITLE_CHARS)
            .collect();
        portfolio::ActiveModel {
            user_id: Set(original.user_id),
            title: Set(title),
            slug: Set(slug),
            design: Set(original.design),
            pages: Set(original.pages),
            is_published: Set(false),
            is_guided: Set(original.is_guided),
            goal: Set(original.goal),
            role: Set(original.role),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(slug_taken)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(copy.into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(
            slugify("  Jane's Portfolio: 2026 edition!! "),
            "jane-s-portfolio-2026-edition"
        );
        assert_eq!(slugify("Ünïcode ✨"), "n-code");
        assert_eq!(slugify("!!!"), "portfolio");
        let generated = generated_slug("My Site");
        assert!(generated.starts_with("my-site-") && generated.len() == "my-site-".len() + 6);
    }
}
