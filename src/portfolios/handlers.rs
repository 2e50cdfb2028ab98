//! `/api/portfolios/`: a DRF ModelViewSet over the user's portfolios (list as a plain array,
//! create 201, retrieve, `PUT`/`PATCH` with the whole object, delete 204), plus
//! `POST /api/portfolios/<id>/duplicate/`. `design` and `pages` are opaque JSON, stored and
//! returned unchanged; slugs are generated when absent, lowercase and unique. Bodies and answers
//! are in both of Grooya's spellings (`document`, `wire`).

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use super::document::{
    MAX_SLUG_CHARS, MAX_TITLE_CHARS, PortfolioRequest, PortfolioResponse, SLUG_TAKEN, apply,
    check_document_size, extra_keys, generated_slug, merged_extra, validate,
};
use super::entitlements::{self, Resource};
use super::portfolio;
use super::wire::GrooyaJson;
use crate::accounts::service;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path};
use crate::state::AppState;

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
) -> ApiResult<Json<Vec<Value>>> {
    let rows = portfolio::Entity::find()
        .filter(portfolio::Column::UserId.eq(user.id()))
        .order_by_desc(portfolio::Column::UpdatedAt)
        .order_by_desc(portfolio::Column::Id)
        .all(state.db.reader())
        .await?;
    Ok(Json(
        rows.into_iter().map(PortfolioResponse::json).collect(),
    ))
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
    GrooyaJson { body, object }: GrooyaJson<PortfolioRequest>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut changes = validate(body, extra_keys(object), true)?;
    let design = changes.design.take().unwrap_or_else(|| json!({}));
    let pages = changes.pages.take().unwrap_or_else(|| json!([]));
    let extra = Value::Object(std::mem::take(&mut changes.extra));
    check_document_size(&design, &pages, &extra)?;
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
        extra: Set(extra),
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
    Ok((StatusCode::CREATED, Json(PortfolioResponse::json(created))))
}

/// One of the user's portfolios.
#[utoipa::path(get, path = "/api/portfolios/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = PortfolioResponse), (status = 404, description = "Not the user's")))]
pub async fn get_portfolio(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    Ok(Json(PortfolioResponse::json(
        own_portfolio(state.db.reader(), user.id(), id).await?,
    )))
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
    body: GrooyaJson<PortfolioRequest>,
) -> ApiResult<Json<Value>> {
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
    body: GrooyaJson<PortfolioRequest>,
) -> ApiResult<Json<Value>> {
    update_portfolio(state, user, id, body).await
}

async fn update_portfolio(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
    GrooyaJson { body, object }: GrooyaJson<PortfolioRequest>,
) -> ApiResult<Json<Value>> {
    let mut changes = validate(body, extra_keys(object), false)?;
    let user_id = user.id();
    let (old_slug, updated) = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_portfolio(txn, user_id, id).await?;
        let extra = merged_extra(&existing.extra, std::mem::take(&mut changes.extra));
        check_document_size(
            changes.design.as_ref().unwrap_or(&existing.design),
            changes.pages.as_ref().unwrap_or(&existing.pages),
            &extra,
        )?;
        if let Some(slug) = &changes.slug
            && slug_in_use(txn, slug, Some(id)).await?
        {
            return Err(ApiError::field("slug", SLUG_TAKEN));
        }
        let old_slug = existing.slug.clone();
        let mut row: portfolio::ActiveModel = existing.into();
        row.extra = Set(extra);
        apply(&mut row, changes);
        Ok((old_slug, row.update(txn).await.map_err(slug_taken)?))
    })
    .await?;
    state.public_pages.forget(&old_slug);
    state.public_pages.forget(&updated.slug);
    Ok(Json(PortfolioResponse::json(updated)))
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
) -> ApiResult<(StatusCode, Json<Value>)> {
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
            extra: Set(original.extra),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(slug_taken)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(PortfolioResponse::json(copy))))
}
