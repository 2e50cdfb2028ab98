//! `/api/me/skills/` in Breneo's shape (`{id, skill_id, skill_name, created_at}`: add by name or
//! by the catalog's id, delete by `skill_id`) and the skills catalog search
//! (`/api/skills/search/?query=`, and `/api/skills/?query=`). A skill keeps the name the user
//! gave; the taxonomy decides what it is (its key, so a skill is held once) and its category.

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::accounts::{service, user_skill};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path, Query};
use crate::skills::{self, Category};
use crate::state::AppState;
use crate::validate::{FieldErrors, text_field};

const MAX_SKILLS: u64 = 100;
const MAX_SKILL_CHARS: usize = 100;
const DEFAULT_SUGGESTIONS: usize = 10;
const MAX_SUGGESTIONS: usize = 50;

/// A skill as Breneo's profile, home and jobs pages read it (`skill_name.toLowerCase()`).
#[derive(Debug, Serialize, ToSchema)]
pub struct BreneoSkill {
    pub id: i64,
    /// The catalog's id for a skill it knows; otherwise one of the user's own, above
    /// `CUSTOM_SKILL_IDS`. Deleting by it is what the app does.
    pub skill_id: i64,
    pub skill_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Skills the catalog does not know get ids from here up (the row's id added).
pub const CUSTOM_SKILL_IDS: i64 = 1_000_000;

/// The catalog id of a stored skill (see `BreneoSkill::skill_id`).
pub fn skill_id_of(row: &user_skill::Model) -> i64 {
    skills::taxonomy()
        .lookup(&row.normalized_name)
        .or_else(|| skills::taxonomy().lookup(&row.name))
        .map_or(CUSTOM_SKILL_IDS + row.id, |skill| i64::from(skill.id))
}

/// The taxonomy's name of a stored skill it knows (Breneo shows one spelling, whatever the
/// user typed), else the name as stored.
pub fn display_name(row: &user_skill::Model) -> String {
    skills::taxonomy()
        .lookup(&row.normalized_name)
        .map_or_else(|| row.name.clone(), |skill| skill.name.clone())
}

impl From<user_skill::Model> for BreneoSkill {
    fn from(row: user_skill::Model) -> Self {
        BreneoSkill {
            id: row.id,
            skill_id: skill_id_of(&row),
            skill_name: display_name(&row),
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddSkillRequest {
    pub name: Option<String>,
    /// A catalog id (`/api/skills/?query=`), in place of `name`.
    pub skill_id: Option<i64>,
}

/// A user's skill rows in the order they were added.
pub async fn skill_rows(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
) -> ApiResult<Vec<user_skill::Model>> {
    Ok(user_skill::Entity::find()
        .filter(user_skill::Column::UserId.eq(user_id))
        .order_by_asc(user_skill::Column::Position)
        .order_by_asc(user_skill::Column::Id)
        .all(conn)
        .await?)
}

/// A user's skills in Breneo's shape, in the order they were added.
pub async fn breneo_skills_of(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i64,
) -> ApiResult<Vec<BreneoSkill>> {
    Ok(skill_rows(conn, user_id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The user's skills.
#[utoipa::path(get, path = "/api/me/skills", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = [BreneoSkill])))]
pub async fn list_my_skills(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Vec<BreneoSkill>>> {
    Ok(Json(breneo_skills_of(state.db.reader(), user.id()).await?))
}

/// Add a skill by name, or by catalog id (at most 100).
#[utoipa::path(post, path = "/api/me/skills", tag = "breneo", security(("bearer" = [])),
    request_body = AddSkillRequest,
    responses(
        (status = 201, body = BreneoSkill),
        (status = 400, description = "`{\"name\": [\"You already have this skill.\"]}` and other field errors"),
    ))]
pub async fn add_my_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<AddSkillRequest>,
) -> ApiResult<(StatusCode, Json<BreneoSkill>)> {
    let by_id = match body.skill_id {
        Some(id) => Some(
            u32::try_from(id)
                .ok()
                .and_then(|id| skills::taxonomy().by_id(id))
                .map(|skill| skill.name.clone())
                .ok_or_else(|| {
                    ApiError::field(
                        "skill_id",
                        format!("Invalid pk \"{id}\" - object does not exist."),
                    )
                })?,
        ),
        None => None,
    };
    let name = by_id.as_deref().or(body.name.as_deref());
    let created = insert_skill(&state, &user, name, None).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// A skill name as typed (spaces collapsed) and resolved against the taxonomy, or the field
/// error.
pub fn resolve_name(name: Option<&str>) -> ApiResult<(String, skills::ResolvedSkill)> {
    let mut errors = FieldErrors::default();
    let typed = text_field(&mut errors, "name", name, None, true, MAX_SKILL_CHARS);
    let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    let resolved = skills::resolve(&typed);
    if resolved.key.is_empty() && errors.is_empty() {
        errors.add(
            "name",
            "Enter a skill name with at least one letter or digit.",
        );
    }
    errors.into_result()?;
    Ok((typed, resolved))
}

/// Adds a skill to the user's list (Breneo's and Grooya's routes): once per skill, at most 100.
/// The name is kept as the user typed it (the taxonomy's key de-duplicates it); `category`,
/// when given, is kept, else the taxonomy's is stored.
pub async fn insert_skill(
    state: &AppState,
    user: &ActiveUser,
    name: Option<&str>,
    category: Option<String>,
) -> ApiResult<user_skill::Model> {
    let (typed, resolved) = resolve_name(name)?;
    let user_id = user.id();
    let created = db::in_transaction(state.db.writer(), async |txn| {
        service::lock_user(txn, user_id).await?;
        let owned = user_skill::Entity::find().filter(user_skill::Column::UserId.eq(user_id));
        let same_key = owned
            .clone()
            .filter(user_skill::Column::NormalizedName.eq(resolved.key.clone()));
        if same_key.count(txn).await? > 0 {
            return Err(ApiError::field("name", "You already have this skill."));
        }
        if owned.clone().count(txn).await? >= MAX_SKILLS {
            return Err(ApiError::BadRequest(format!(
                "Maximum {MAX_SKILLS} skills allowed per user."
            )));
        }
        let last_position: Option<i32> = owned
            .select_only()
            .column_as(user_skill::Column::Position.max(), "max_position")
            .into_tuple()
            .one(txn)
            .await?
            .flatten();
        let row = user_skill::ActiveModel {
            user_id: Set(user_id),
            name: Set(typed),
            normalized_name: Set(resolved.key),
            category: Set(category.or(resolved.category.map(|c| c.as_str().to_owned()))),
            position: Set(last_position.map_or(0, |p| p + 1)),
            created_at: Set(db::now()),
            ..Default::default()
        };
        Ok(row.insert(txn).await?)
    })
    .await?;
    state.accounts.forget(user_id);
    Ok(created)
}

/// Remove one of the user's skills by its `skill_id` (what Breneo's sheet sends), or by its `id`.
#[utoipa::path(delete, path = "/api/me/skills/{id}", tag = "breneo", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The skill's `skill_id`, or its `id`")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Not the user's")))]
pub async fn delete_my_skill(
    State(state): State<AppState>,
    user: ActiveUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let rows = skill_rows(state.db.reader(), user.id()).await?;
    let row_id = rows
        .iter()
        .find(|row| skill_id_of(row) == id)
        .or_else(|| rows.iter().find(|row| row.id == id))
        .map_or(id, |row| row.id);
    remove_skill(&state, &user, row_id, "UserSkill").await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes one of the user's skills (Breneo's and Grooya's routes); `model` names it in the 404.
pub async fn remove_skill(
    state: &AppState,
    user: &ActiveUser,
    id: i64,
    model: &str,
) -> ApiResult<()> {
    let deleted = user_skill::Entity::delete_many()
        .filter(user_skill::Column::Id.eq(id))
        .filter(user_skill::Column::UserId.eq(user.id()))
        .exec(state.db.writer())
        .await?;
    if deleted.rows_affected == 0 {
        return Err(ApiError::no_match(model));
    }
    state.accounts.forget(user.id());
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// What the user has typed so far.
    pub query: Option<String>,
    /// At most this many suggestions (default 10, at most 50).
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillSuggestion {
    /// The skill's id in the taxonomy.
    pub id: u32,
    pub name: String,
    pub category: Category,
}

/// Skill suggestions from the taxonomy: name prefixes first, then aliases, then substrings.
#[utoipa::path(get, path = "/api/skills/search", tag = "breneo", params(SearchQuery),
    responses((status = 200, body = [SkillSuggestion])))]
pub async fn search_skills(Query(query): Query<SearchQuery>) -> Json<Vec<SkillSuggestion>> {
    catalog_search(&query)
}

/// The catalog's matches for a search (Breneo's suggestions, on both of its paths).
pub fn catalog_search(query: &SearchQuery) -> Json<Vec<SkillSuggestion>> {
    let limit = query
        .limit
        .unwrap_or(DEFAULT_SUGGESTIONS)
        .min(MAX_SUGGESTIONS);
    let suggestions = skills::taxonomy()
        .search(query.query.as_deref().unwrap_or_default(), limit)
        .into_iter()
        .map(|skill| SkillSuggestion {
            id: skill.id,
            name: skill.name.clone(),
            category: skill.category,
        })
        .collect();
    Json(suggestions)
}
