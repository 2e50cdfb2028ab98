//! Grooya's `/api/skills/` CRUD over the same skill list as Breneo's `/api/me/skills/` (one
//! account, one list). A skill keeps the name and category the user gave; answers are
//! `types.ts`'s `Skill` (string id, one of the frontend's five categories), with the taxonomy's
//! name beside it when the taxonomy knows the skill.

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::accounts::user_skill;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path, Query};
use crate::portfolios::wire::{self, GrooyaJson, Spellings};
use crate::profiles::skills::{
    SearchQuery, catalog_search, insert_skill, remove_skill, resolve_name, skill_rows,
};
use crate::skills::{self, Category};
use crate::state::AppState;

/// The frontend's skill categories (`types.ts` `Skill['category']`).
pub const CATEGORIES: [&str; 5] = ["Language", "Framework", "Tool", "Database", "Cloud"];

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SkillRequest {
    pub name: Option<String>,
    /// `Language`, `Framework`, `Tool`, `Database` or `Cloud` (any case); the taxonomy's when
    /// left out.
    pub category: Option<String>,
}

impl Spellings for SkillRequest {
    const CAMEL_CASE: &'static [(&'static str, &'static str)] = &[];
}

/// A skill as `types.ts` reads it, and the taxonomy's name for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrooyaSkill {
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    /// As the user gave it.
    pub name: String,
    /// One of `CATEGORIES`.
    pub category: String,
    /// The taxonomy's name, when it knows the skill.
    pub canonical_name: Option<String>,
}

impl From<user_skill::Model> for GrooyaSkill {
    fn from(row: user_skill::Model) -> Self {
        let known = skills::taxonomy().lookup(&row.normalized_name);
        let category = row
            .category
            .as_deref()
            .and_then(frontend_category)
            .or_else(|| known.map(|skill| category_of(skill.category)))
            .unwrap_or("Tool");
        GrooyaSkill {
            id: row.id,
            canonical_name: known.map(|skill| skill.name.clone()),
            name: row.name,
            category: category.to_owned(),
        }
    }
}

/// A stored or sent category as one of the frontend's five, if it is one (any case) or a
/// taxonomy category (Breneo's rows store those).
fn frontend_category(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    CATEGORIES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(raw))
        .copied()
        .or_else(|| Category::parse(raw).map(category_of))
}

/// The frontend's category for a taxonomy one: libraries are frameworks to it, practices and
/// soft skills tools.
fn category_of(category: Category) -> &'static str {
    match category {
        Category::Language => "Language",
        Category::Framework | Category::Library => "Framework",
        Category::Database => "Database",
        Category::Cloud => "Cloud",
        Category::Tool | Category::Practice | Category::SoftSkill => "Tool",
    }
}

/// The category sent, as one of the five; anything else is a field error.
fn category(body: &SkillRequest) -> ApiResult<Option<String>> {
    let Some(raw) = body.category.as_deref().map(str::trim) else {
        return Ok(None);
    };
    if raw.is_empty() {
        return Ok(None);
    }
    CATEGORIES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(raw))
        .map(|c| Some((*c).to_owned()))
        .ok_or_else(|| ApiError::field("category", format!("\"{raw}\" is not a valid choice.")))
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
    responses((status = 200, body = Vec<serde_json::Value>, description = "The user's skills (`[GrooyaSkill]`, string ids); with `query`, catalog matches (`[SkillSuggestion]`, numeric taxonomy ids)")))]
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
    let rows = skill_rows(state.db.reader(), user.id()).await?;
    let skills: Vec<GrooyaSkill> = rows.into_iter().map(Into::into).collect();
    Ok(Json(skills).into_response())
}

/// Add a skill.
#[utoipa::path(post, path = "/api/skills", tag = "grooya", security(("bearer" = [])),
    request_body = SkillRequest,
    responses((status = 201, body = GrooyaSkill), (status = 400, description = "Field errors, e.g. `{\"name\": [\"You already have this skill.\"]}`")))]
pub async fn create_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    GrooyaJson { body, .. }: GrooyaJson<SkillRequest>,
) -> ApiResult<(StatusCode, Json<GrooyaSkill>)> {
    let category = category(&body)?;
    let created = insert_skill(&state, &user, body.name.as_deref(), category).await?;
    state.public_pages.forget_owner(user.id());
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One of the user's skills.
#[utoipa::path(get, path = "/api/skills/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = GrooyaSkill), (status = 404, description = "Not the user's")))]
pub async fn get_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<GrooyaSkill>> {
    Ok(Json(
        own_skill(state.db.reader(), user.id(), id).await?.into(),
    ))
}

/// Rename a skill or change its category.
#[utoipa::path(put, path = "/api/skills/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SkillRequest,
    responses((status = 200, body = GrooyaSkill), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn put_skill(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: GrooyaJson<SkillRequest>,
) -> ApiResult<Json<GrooyaSkill>> {
    update_skill(state, user, id, body).await
}

/// The same as `PUT`: fields left out keep their values.
#[utoipa::path(patch, path = "/api/skills/{id}", tag = "grooya", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SkillRequest,
    responses((status = 200, body = GrooyaSkill), (status = 400, description = "Field errors"), (status = 404, description = "Not the user's")))]
pub async fn patch_skill(
    state: State<AppState>,
    user: ActiveUser,
    id: Path<i64>,
    body: GrooyaJson<SkillRequest>,
) -> ApiResult<Json<GrooyaSkill>> {
    update_skill(state, user, id, body).await
}

async fn update_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
    GrooyaJson { body, .. }: GrooyaJson<SkillRequest>,
) -> ApiResult<Json<GrooyaSkill>> {
    let new_category = category(&body)?;
    let resolved = match body.name.as_deref() {
        Some(name) => Some(resolve_name(Some(name))?),
        None => None,
    };
    let user_id = user.id();
    let updated = db::in_transaction(state.db.writer(), async |txn| {
        let existing = own_skill(txn, user_id, id).await?;
        let mut row: user_skill::ActiveModel = existing.clone().into();
        if let Some((typed, resolved)) = &resolved {
            let taken = user_skill::Entity::find()
                .filter(user_skill::Column::UserId.eq(user_id))
                .filter(user_skill::Column::NormalizedName.eq(resolved.key.clone()))
                .filter(user_skill::Column::Id.ne(id))
                .count(txn)
                .await?;
            if taken > 0 {
                return Err(ApiError::field("name", "You already have this skill."));
            }
            row.name = Set(typed.clone());
            row.normalized_name = Set(resolved.key.clone());
            // A renamed skill without a category sent takes its new name's.
            if new_category.is_none() && existing.normalized_name != resolved.key {
                row.category = Set(resolved.category.map(|c| c.as_str().to_owned()));
            }
        }
        if let Some(category) = &new_category {
            row.category = Set(Some(category.clone()));
        }
        Ok::<_, ApiError>(row.update(txn).await?)
    })
    .await?;
    state.accounts.forget(user_id);
    state.public_pages.forget_owner(user_id);
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
    state.public_pages.forget_owner(user.id());
    Ok(StatusCode::NO_CONTENT)
}
