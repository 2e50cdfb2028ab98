//! Breneo's own profile (`GET|PATCH /api/me/profile/`, including the `profile_public` switch) and
//! the opt-in public profile `GET /api/users/<id>/profile/`, which needs no login.

use axum::extract::State;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::industry::{self, IndustryProfileResponse};
use super::skills::{SkillResponse, skills_of};
use super::work_history::WorkExperienceResponse;
use crate::accounts::user::{self, Names};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, Json, Path, explicit_null};
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars};

const MAX_NAME_CHARS: usize = 150;
const MAX_PHONE_CHARS: usize = 32;

#[derive(Debug, Serialize, ToSchema)]
pub struct MyProfileResponse {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: Option<String>,
    pub profile_image: Option<String>,
    /// Whether `/api/users/<id>/profile/` shows this profile to anyone.
    pub profile_public: bool,
}

impl From<&user::Model> for MyProfileResponse {
    fn from(user: &user::Model) -> Self {
        MyProfileResponse {
            id: user.id,
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            phone_number: user.phone_number.clone(),
            profile_image: user.avatar_url.clone(),
            profile_public: user.profile_public,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMyProfileRequest {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>)]
    pub phone_number: Option<Option<String>>,
    pub profile_public: Option<bool>,
}

/// The user's Breneo profile.
#[utoipa::path(get, path = "/api/me/profile", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = MyProfileResponse)))]
pub async fn get_my_profile(user: ActiveUser) -> Json<MyProfileResponse> {
    Json(MyProfileResponse::from(&user.0.user))
}

/// Change names, phone number or whether the profile is public (`PUT` and `PATCH` are partial).
#[utoipa::path(method(put, patch), path = "/api/me/profile", tag = "breneo", security(("bearer" = [])),
    request_body = UpdateMyProfileRequest,
    responses((status = 200, body = MyProfileResponse), (status = 400, description = "Field errors, DRF shape")))]
pub async fn update_my_profile(
    State(state): State<AppState>,
    user: ActiveUser,
    Json(body): Json<UpdateMyProfileRequest>,
) -> ApiResult<Json<MyProfileResponse>> {
    let mut errors = FieldErrors::default();
    for (field, value) in [
        ("first_name", &body.first_name),
        ("last_name", &body.last_name),
    ] {
        if let Some(value) = value {
            check_max_chars(&mut errors, field, value.trim(), MAX_NAME_CHARS);
        }
    }
    let phone = body
        .phone_number
        .clone()
        .map(|p| p.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()));
    if let Some(Some(phone)) = &phone
        && (phone.chars().count() > MAX_PHONE_CHARS || !is_phone_number(phone))
    {
        errors.add("phone_number", "Enter a valid phone number.");
    }
    errors.into_result()?;

    let current = &user.0.user;
    let mut row: user::ActiveModel = current.clone().into();
    if body.first_name.is_some() || body.last_name.is_some() {
        let first = body.first_name.as_deref().unwrap_or(&current.first_name);
        let last = body.last_name.as_deref().unwrap_or(&current.last_name);
        let names = Names::from_parts(first, last);
        row.first_name = Set(names.first_name);
        row.last_name = Set(names.last_name);
        row.full_name = Set(names.full_name);
        row.name_key = Set(names.name_key);
    }
    if let Some(phone) = phone {
        row.phone_number = Set(phone);
    }
    if let Some(public) = body.profile_public {
        row.profile_public = Set(public);
    }
    row.updated_at = Set(db::now());
    let updated = row.update(state.db.writer()).await?;
    state.accounts.forget(updated.id);
    Ok(Json(MyProfileResponse::from(&updated)))
}

/// Digits with the usual separators and an optional leading `+`, 6 to 15 digits.
fn is_phone_number(raw: &str) -> bool {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let body = raw.strip_prefix('+').unwrap_or(raw);
    (6..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " -().".contains(c))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProfileResponse {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub title: String,
    pub work_experiences: Vec<WorkExperienceResponse>,
    pub skills: Vec<SkillResponse>,
    pub industry_profile: IndustryProfileResponse,
}

/// A user's public profile; 404 unless they made it public.
#[utoipa::path(get, path = "/api/users/{id}/profile", tag = "breneo", params(("id" = i64, Path)),
    responses((status = 200, body = PublicProfileResponse), (status = 404, description = "No such public profile")))]
pub async fn get_public_profile(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<PublicProfileResponse>> {
    let db = state.db.reader();
    let user = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|user| user.is_active && user.profile_public)
        .ok_or_else(|| ApiError::no_match("User"))?;
    let work_experiences = industry::work_history(db, user.id).await?;
    let profile = industry::stored_profile(db, user.id).await?;
    Ok(Json(PublicProfileResponse {
        id: user.id,
        work_experiences: work_experiences.into_iter().map(Into::into).collect(),
        skills: skills_of(db, user.id).await?,
        industry_profile: profile.map_or_else(|| IndustryProfileResponse::from(None), Into::into),
        first_name: user.first_name,
        last_name: user.last_name,
        full_name: user.full_name,
        title: user.title,
    }))
}
