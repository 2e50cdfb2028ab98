//! Every user's data in every product: `GET /api/me/export/` returns all of it as one JSON
//! document (files as links), `DELETE /api/auth/user/` (with the password) removes the account,
//! every row of theirs (the foreign keys cascade) and every stored file of theirs; and the
//! worker's sweep deletes stored files no row points to (left behind by a failed delete).

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use futures::TryStreamExt;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::accounts::service::{self, LoginId};
use crate::accounts::user;
use crate::error::{ApiError, ApiResult, FIELD_REQUIRED};
use crate::extract::{ActiveUser, ClientIp, Json};
use crate::portfolios::assets::{AssetResponse, asset};
use crate::portfolios::document::PortfolioResponse;
use crate::portfolios::portfolio;
use crate::portfolios::projects::{ProjectResponse, project};
use crate::portfolios::skills::GrooyaSkill;
use crate::profiles::educations::EducationResponse;
use crate::profiles::skills::skill_rows;
use crate::profiles::work_history::WorkExperienceResponse;
use crate::profiles::{education, industry_profile, work_experience};
use crate::queue::worker::JobError;
use crate::resumes::resume;
use crate::state::AppState;
use crate::talent::{profile, subscription};
use crate::tracker::analysis::handlers::AnalysisResponse;
use crate::tracker::analysis::record;
use crate::tracker::application;
use crate::tracker::applications::JobApplicationResponse;

/// Where user files live; the sweep looks under each.
const FILE_PREFIXES: [&str; 5] = [
    "resumes/",
    "assets/",
    "profile_pictures/",
    "background_profile_pictures/",
    "profile_images/",
];
/// Files younger than this are never swept: their row may not be committed yet.
const SWEEP_MIN_AGE: Duration = Duration::from_secs(60 * 60);

async fn rows_of<E>(
    conn: &impl ConnectionTrait,
    column: E::Column,
    user_id: i64,
) -> ApiResult<Vec<E::Model>>
where
    E: EntityTrait,
{
    Ok(E::find().filter(column.eq(user_id)).all(conn).await?)
}

/// Everything the user has, in one document.
#[utoipa::path(get, path = "/api/me/export", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "`{exported_at, account, breneo, career_navigator, jobtracker, grooya, gan7club}`")))]
pub async fn export_my_data(
    State(state): State<AppState>,
    user: ActiveUser,
) -> ApiResult<Json<Value>> {
    let conn = state.db.reader();
    let id = user.id();
    let account = &user.0.user;
    let works: Vec<WorkExperienceResponse> =
        rows_of::<work_experience::Entity>(conn, work_experience::Column::UserId, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
    let educations: Vec<EducationResponse> =
        rows_of::<education::Entity>(conn, education::Column::UserId, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
    let industry = rows_of::<industry_profile::Entity>(conn, industry_profile::Column::UserId, id)
        .await?
        .into_iter()
        .next()
        .map(|row| json!({"industry_years_json": row.industry_years_json, "source": row.source, "updated_at": row.updated_at}));
    let applications: Vec<JobApplicationResponse> =
        rows_of::<application::Entity>(conn, application::Column::UserId, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
    let analyses: Vec<AnalysisResponse> =
        rows_of::<record::Entity>(conn, record::Column::UserId, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
    let mut resumes = Vec::new();
    for row in rows_of::<resume::Entity>(conn, resume::Column::UserId, id).await? {
        let file = match &row.file_key {
            Some(key) => Some(state.storage.link(key).await),
            None => None,
        };
        resumes.push(json!({"id": row.id, "title": row.title, "content": row.content, "file": file,
            "file_name": row.file_name, "parsed_text": row.parsed_text,
            "job_application": row.job_application_id, "created_at": row.created_at, "updated_at": row.updated_at}));
    }
    let portfolios: Vec<Value> = rows_of::<portfolio::Entity>(conn, portfolio::Column::UserId, id)
        .await?
        .into_iter()
        .map(PortfolioResponse::json)
        .collect();
    let projects: Vec<ProjectResponse> =
        rows_of::<project::Entity>(conn, project::Column::UserId, id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
    let assets: Vec<AssetResponse> = rows_of::<asset::Entity>(conn, asset::Column::UserId, id)
        .await?
        .into_iter()
        .map(|row| AssetResponse::new(row, &state.storage))
        .collect();
    let profile = rows_of::<profile::Entity>(conn, profile::Column::UserId, id)
        .await?
        .into_iter()
        .next()
        .map(|row| json!({
            "profile_picture": row.picture_key.as_deref().map(|k| state.storage.url(k)),
            "profile_picture_thumbnail": row.thumbnail_key.as_deref().map(|k| state.storage.url(k)),
            "country": row.country, "date_of_birth": row.date_of_birth, "gender": row.gender,
        }));
    let subscriptions: Vec<subscription::SubscriptionView> =
        subscription::subscriptions_of(conn, id)
            .await?
            .iter()
            .map(Into::into)
            .collect();
    Ok(Json(json!({
        "exported_at": Utc::now(),
        "account": {
            "id": account.id, "email": account.email, "username": account.username,
            "first_name": account.first_name, "last_name": account.last_name,
            "phone_number": account.phone_number, "account_type": account.account_kind,
            "title": account.title, "bio": account.bio, "avatar_url": account.avatar_url,
            "subscription_tier": account.subscription_tier,
            "ai_text_credits": account.ai_text_credits, "ai_image_credits": account.ai_image_credits,
            "email_verified": account.email_verified, "profile_public": account.profile_public,
            "date_joined": account.date_joined, "last_login": account.last_login,
        },
        "breneo": {"work_experiences": works, "educations": educations, "industry_profile": industry,
                   "skills": skill_rows(conn, id).await?.into_iter().map(GrooyaSkill::from).collect::<Vec<_>>()},
        "career_navigator": {"skills": user.0.skills, "target_roles": account.target_roles.0,
                             "experience_level": account.experience_level, "location": account.location},
        "jobtracker": {"applications": applications, "resumes": resumes, "analyses": analyses},
        "grooya": {"portfolios": portfolios, "projects": projects, "assets": assets},
        "gan7club": {"profile": profile, "subscriptions": subscriptions},
    })))
}

/// Every storage key of the user's files.
async fn file_keys_of(conn: &impl ConnectionTrait, user_id: i64) -> ApiResult<Vec<String>> {
    let mut keys: Vec<String> = rows_of::<resume::Entity>(conn, resume::Column::UserId, user_id)
        .await?
        .into_iter()
        .filter_map(|r| r.file_key)
        .collect();
    keys.extend(
        rows_of::<asset::Entity>(conn, asset::Column::UserId, user_id)
            .await?
            .into_iter()
            .map(|a| a.file_key),
    );
    for row in rows_of::<profile::Entity>(conn, profile::Column::UserId, user_id).await? {
        keys.extend(row.picture_key);
        keys.extend(row.thumbnail_key);
    }
    if let Some(account) = user::Entity::find_by_id(user_id).one(conn).await? {
        keys.extend(account.profile_image_key);
    }
    Ok(keys)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteAccountRequest {
    /// The account's password, to confirm.
    pub password: Option<String>,
}

/// Delete the account, every row of it in every product, and its stored files.
#[utoipa::path(delete, path = "/api/auth/user", tag = "accounts", security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses((status = 204), (status = 400, description = "`{\"password\": [\"Incorrect password.\"]}` or required"),
        (status = 429, description = "Too many attempts (the login rate limits)")))]
pub async fn delete_my_account(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: ActiveUser,
    Json(body): Json<DeleteAccountRequest>,
) -> ApiResult<StatusCode> {
    let Some(password) = body.password.filter(|p| !p.is_empty()) else {
        return Err(ApiError::field("password", FIELD_REQUIRED));
    };
    let account = &user.0.user;
    // A stolen token must not become a way to guess the password quickly.
    let confirmed = service::authenticate(&state, ip, LoginId::Email(&account.email), &password)
        .await?
        .is_some_and(|found| found.id == account.id);
    if !confirmed {
        return Err(ApiError::field("password", "Incorrect password."));
    }
    delete_account(&state, account.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes an account, every row of it (the foreign keys cascade) and every stored file of it.
/// The rows go first: a file left by a failed delete is only garbage, which the sweep removes.
pub async fn delete_account(state: &AppState, user_id: i64) -> ApiResult<()> {
    let keys = file_keys_of(state.db.writer(), user_id).await?;
    user::Entity::delete_by_id(user_id)
        .exec(state.db.writer())
        .await?;
    state.accounts.forget(user_id);
    state.industry_profiles.forget(user_id);
    for key in keys {
        state.storage.delete_or_log(&key).await;
    }
    tracing::info!(user_id, "account deleted with its data");
    Ok(())
}

/// Every storage key a row points to.
async fn referenced_keys(conn: &impl ConnectionTrait) -> Result<HashSet<String>, sea_orm::DbErr> {
    let mut keys = HashSet::new();
    for row in resume::Entity::find()
        .order_by_asc(resume::Column::Id)
        .all(conn)
        .await?
    {
        keys.extend(row.file_key);
    }
    for row in asset::Entity::find().all(conn).await? {
        keys.insert(row.file_key);
    }
    for row in profile::Entity::find().all(conn).await? {
        keys.extend(row.picture_key);
        keys.extend(row.thumbnail_key);
    }
    let photos: Vec<Option<String>> = user::Entity::find()
        .select_only()
        .column(user::Column::ProfileImageKey)
        .filter(user::Column::ProfileImageKey.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    keys.extend(photos.into_iter().flatten());
    Ok(keys)
}

/// The worker job: deletes stored files older than an hour that no row points to; returns how
/// many it deleted.
pub async fn sweep_orphans(state: &AppState) -> Result<usize, JobError> {
    let referenced = referenced_keys(state.db.reader()).await?;
    let cutoff = Utc::now() - chrono::Duration::from_std(SWEEP_MIN_AGE).unwrap_or_default();
    let mut deleted = 0;
    for prefix in FILE_PREFIXES {
        let objects: Vec<(String, chrono::DateTime<Utc>)> = state
            .storage
            .list(prefix)
            .try_collect()
            .await
            .map_err(|err| JobError::retry(format!("listing {prefix}: {err}")))?;
        for (key, modified) in objects {
            if modified < cutoff && !referenced.contains(&key) {
                state
                    .storage
                    .delete(&key)
                    .await
                    .map_err(|err| JobError::retry(format!("deleting {key}: {err}")))?;
                deleted += 1;
            }
        }
    }
    if deleted > 0 {
        tracing::info!(deleted, "orphaned files swept");
    }
    Ok(deleted)
}
