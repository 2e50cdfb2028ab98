//! Breneo's public-profile switch (`GET|PATCH /api/me/profile/`, `profile_public`) and the public
//! profile `GET /api/users/<id>/profile/`, which needs no login: shown unless its owner turned it
//! off, in the shape the app's profile view reads.

use axum::extract::State;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::education;
use super::educations::EducationResponse;
use super::industry::{self, IndustryProfileResponse};
use super::skills::{BreneoSkill, breneo_skills_of};
use super::work_history::WorkExperienceResponse;
use crate::accounts::user::{self, Names};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, AuthUser, Json, Path, explicit_null};
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars, is_phone_number};

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

impl MyProfileResponse {
    fn of(user: &user::Model, storage: &crate::storage::Storage) -> Self {
        MyProfileResponse {
            id: user.id,
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            phone_number: user.phone_number.clone(),
            profile_image: user.photo_url(storage),
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
pub async fn get_my_profile(
    State(state): State<AppState>,
    user: ActiveUser,
) -> Json<MyProfileResponse> {
    Json(MyProfileResponse::of(&user.0.user, &state.storage))
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
    Ok(Json(MyProfileResponse::of(&updated, &state.storage)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProfileResponse {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub title: String,
    /// Contact fields go only to a signed-in viewer: `""` and `null` otherwise.
    pub email: String,
    pub phone_number: Option<String>,
    pub country_region: String,
    pub city: String,
    pub about_me: String,
    /// Absolute URL, or `null`.
    pub profile_image: Option<String>,
    /// Every network Breneo shows, `null` for none.
    #[schema(value_type = Object)]
    pub social_links: serde_json::Value,
    pub educations: Vec<EducationResponse>,
    pub work_experiences: Vec<WorkExperienceResponse>,
    pub skills: Vec<BreneoSkill>,
    pub industry_profile: IndustryProfileResponse,
    /// The skill test's recommendation (`final_role`, `total_score`, `skills_json`); careerhub
    /// runs no skill test, so these are empty.
    #[schema(value_type = Object)]
    pub career: serde_json::Value,
}

/// A user's public profile (public unless they turned it off); contact fields only for a
/// signed-in viewer.
#[utoipa::path(get, path = "/api/users/{id}/profile", tag = "breneo", params(("id" = i64, Path)),
    responses((status = 200, body = PublicProfileResponse), (status = 404, description = "No such public profile")))]
pub async fn get_public_profile(
    State(state): State<AppState>,
    viewer: Option<AuthUser>,
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
    let educations = education::Entity::find()
        .filter(education::Column::UserId.eq(user.id))
        .order_by_desc(education::Column::StartDate)
        .order_by_desc(education::Column::Id)
        .all(db)
        .await?;
    let signed_in = viewer.is_some();
    Ok(Json(PublicProfileResponse {
        id: user.id,
        work_experiences: work_experiences.into_iter().map(Into::into).collect(),
        educations: educations.into_iter().map(Into::into).collect(),
        skills: breneo_skills_of(db, user.id).await?,
        industry_profile: profile.map_or_else(|| IndustryProfileResponse::from(None), Into::into),
        email: if signed_in {
            user.email.clone()
        } else {
            String::new()
        },
        phone_number: user.phone_number.clone().filter(|_| signed_in),
        profile_image: user.photo_url(&state.storage),
        social_links: crate::accounts::social::links(
            &user,
            &crate::accounts::social::BRENEO_NETWORKS,
        ),
        career: json!({"final_role": null, "total_score": null, "skills_json": {}}),
        country_region: user.country_region,
        city: user.city,
        about_me: user.bio,
        first_name: user.first_name,
        last_name: user.last_name,
        full_name: user.full_name,
        title: user.title,
    }))
}
