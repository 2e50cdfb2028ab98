//! Grooya's `/api/skills/` CRUD over the same skill list as Breneo's `/api/me/skills/` (one
//! account, one list): a known skill takes the taxonomy's canonical name and category; the
//! category sent is kept only for a skill the taxonomy does not know.

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::accounts::user_skill;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path, Query};
use crate::profiles::skills::{
    SearchQuery, SkillResponse, catalog_search, insert_skill, remove_skill, resolve_name, skills_of,
};
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars};

const MAX_CATEGORY_CHARS: usize = 50;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SkillRequest {
    pub name: Option<String>,
    /// Kept for a skill the taxonomy does not know (e.g. "Tool").
    pub category: Option<String>,
}

fn category(body: &SkillRequest) -> ApiResult<Option<String>> {
    let category = body
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    if let Some(value) = &category {
        let mut errors = FieldErrors::default();
        check_max_chars(&mut errors, "category", value, MAX_CATEGORY_CHARS);
        errors.into_result()?;
    }
    Ok(category)
}

async fn own_skill(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    id: i64,
) -> ApiResult<user_skill::Model> {
    user_skill::Entity::find_by_id(id)
        .filter(user_skill::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::no_match("Skill"))
}

/// Grooya: the user's skills, in the order added. With `?query=` (Breneo's skill suggestions,
/// which share the path): the skills catalog's matches, `[{id, name, category}]`, no sign-in
/// needed; the two are told apart by the query.
#[utoipa::path(get, path = "/api/skills", tag = "grooya", security(("bearer" = [])),
    params(SearchQuery),
    responses((status = 200, body = [SkillResponse], description = "The user's skills; with `query`, catalog matches (`[SkillSuggestion]`)")))]
pub async fn list_skills(
    State(state): State<AppState>,
    Query(search): Query<SearchQuery>,
    user: Result<ActiveUser, ApiError>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    if search.query.is_some() {
        return Ok(catalog_search(&search).into_response());
    }
    let user = user?;
    Ok(Json(skills_of(state.db.reader(), user.id()).await?).into_response())
}

/// Add a skill.
#[utoipa::path(post, path = "/api/skills", tag = "grooya", security(("bearer" = [])),
    request_body = SkillRequest,
    responses((status = 201, body = SkillResponse), (status = 400, description = "Field errors, e.g. `{\"name\": [\"You already have this skill.\"]}`")))]
pub async fn create_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<SkillRequest>,
) -> ApiResult<(StatusCode, Json<SkillResponse>)> {
    let category = category(&body)?;
    let created = insert_skill(&state, &user, body.name.as_deref(), category).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One of the user's skills.
#[utoipa::path(get, path = "/api/skills/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = SkillResponse), (status = 404, description = "Not the user's")))]
pub async fn get_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<SkillResponse>> {
    Ok(Json(
        own_skill(state.db.reader(), user.id(), id).await?.into(),
    ))
}

/// Rename a skill or change an unknown skill's category.
#[utoipa::path(put, path = "/api/skills/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SkillRequest,
    responses((status = 200, body = SkillResponse), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn put_skill(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: Json<SkillRequest>,
) -> ApiResult<Json<SkillResponse>> {
    update_skill(state, user, id, body).await
}

/// The same as `PUT`: fields left out keep their values.
#[utoipa::path(patch, path = "/api/skills/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SkillRequest,
    responses((status = 200, body = SkillResponse), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn patch_skill(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: Json<SkillRequest>,
) -> ApiResult<Json<SkillResponse>> {
    update_skill(state, user, id, body).await
}

async fn update_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
    Json(body): Json<SkillRequest>,
) -> ApiResult<Json<SkillResponse>> {
    let new_category = category(&body)?;
    let resolved = match body.name.as_deref() {
        Some(name) => Some(resolve_name(Some(name))?),
        None => None,
    };
    let user_id = user.id();
    let updated = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_skill(txn, user_id, id).await?;
        let mut row: user_skill::ActiveModel = existing.clone().into();
        let known_category = match &resolved {
            Some(resolved) => {
                let taken = user_skill::Entity::find()
                    .filter(user_skill::Column::UserId.eq(user_id))
                    .filter(user_skill::Column::NormalizedName.eq(resolved.key.clone()))
                    .filter(user_skill::Column::Id.ne(id))
                    .count(txn)
                    .await?;
                if taken > 0 {
                    return Err(ApiError::field("name", "You already have this skill."));
                }
                row.name = Set(resolved.name.clone());
                row.normalized_name = Set(resolved.key.clone());
                resolved.category.map(|c| c.as_str().to_owned())
            }
            None => crate::skills::taxonomy()
                .lookup(&existing.name)
                .map(|skill| skill.category.as_str().to_owned()),
        };
        match (known_category, new_category) {
            (Some(category), _) => row.category = Set(Some(category)),
            (None, Some(category)) => row.category = Set(Some(category)),
            (None, None) => {}
        }
        Ok::<_, ApiError>(row.update(txn).await?)
    })
    .await?;
    state.accounts.forget(user_id);
    Ok(Json(updated.into()))
}

/// Remove a skill.
#[utoipa::path(delete, path = "/api/skills/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "Not the user's")))]
pub async fn delete_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    remove_skill(&state, &user, id, "Skill").await?;
    Ok(StatusCode::NO_CONTENT)
}
