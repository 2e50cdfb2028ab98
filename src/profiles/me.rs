//! Breneo's current-user profile, `GET|PATCH /api/profile/` (its profile page, session restore
//! and a dozen other callers): names, email, phone, photo, about me, country, city and social
//! links, in the flat shape the app reads. They are the account's own fields, shared with the
//! other products (Grooya's `bio` is "about me", Gan7Club's profile edits the same names,
//! phone, city and links). `PATCH` takes JSON, or a multipart form carrying `profile_image`.

use axum::extract::{Request, State};
use sea_orm::{ActiveModelTrait, Set};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::accounts::social::{BRENEO_NETWORKS, links, merged_links};
use crate::accounts::user::{self, Names};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, FormPart, Json, read_form_or_json};
use crate::images::{self, Output};
use crate::state::AppState;
use crate::storage::Storage;
use crate::validate::{FieldErrors, check_max_chars, is_phone_number};

const MAX_NAME_CHARS: usize = 150;
const MAX_PLACE_CHARS: usize = 100;
const MAX_ABOUT_CHARS: usize = 5_000;
const PHOTO_SIDE: u32 = 1024;
const PHOTO_PREFIX: &str = "profile_images";

#[derive(Debug, Serialize, ToSchema)]
pub struct BreneoProfileResponse {
    pub id: i64,
    pub email: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub phone_number: Option<String>,
    pub phone_verified: bool,
    pub email_verified: bool,
    /// Absolute URL (the app uses it as an image source as is), or `null`.
    pub profile_image: Option<String>,
    pub about_me: String,
    pub country_region: String,
    pub city: String,
    /// Every network Breneo's form edits, `null` for none.
    #[schema(value_type = Object)]
    pub social_links: Value,
    /// Jobs and courses saved in Breneo; careerhub keeps none yet.
    pub saved_jobs: Vec<i64>,
    pub saved_courses: Vec<i64>,
    /// Always `user`: the job seekers' role in Breneo.
    pub user_type: &'static str,
    pub profile_public: bool,
    pub date_joined: chrono::DateTime<chrono::Utc>,
}

pub fn profile_response(user: &user::Model, storage: &Storage) -> BreneoProfileResponse {
    BreneoProfileResponse {
        id: user.id,
        email: user.email.clone(),
        username: user.username.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        full_name: user.full_name.clone(),
        phone_number: user.phone_number.clone(),
        phone_verified: false,
        email_verified: user.email_verified,
        profile_image: user.photo_url(storage),
        about_me: user.bio.clone(),
        country_region: user.country_region.clone(),
        city: user.city.clone(),
        social_links: links(user, &BRENEO_NETWORKS),
        saved_jobs: Vec::new(),
        saved_courses: Vec::new(),
        user_type: "user",
        profile_public: user.profile_public,
        date_joined: user.date_joined,
    }
}

/// The signed-in user's profile.
#[utoipa::path(get, path = "/api/profile", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = BreneoProfileResponse)))]
pub async fn get_profile(
    State(state): State<AppState>,
    user: ActiveUser,
) -> Json<BreneoProfileResponse> {
    Json(profile_response(&user.0.user, &state.storage))
}

/// Update the profile: names, phone, about me, country, city, social links (the full set of
/// Breneo's networks), and the photo (a multipart `profile_image`; `null` removes it). A
/// different `email` is refused: an email changes only through a verified flow.
#[utoipa::path(method(patch, put), path = "/api/profile", tag = "breneo", security(("bearer" = [])),
    request_body(content = Object, description = "JSON or multipart/form-data: `first_name`, `last_name`, `email` (unchanged), `phone_number`, `about_me`, `country_region`, `city`, `social_links` {github, linkedin, facebook, instagram, dribbble, behance}, `profile_image` (file, or null to remove)"),
    responses((status = 200, body = BreneoProfileResponse), (status = 400, description = "Field errors, DRF shape")))]
pub async fn update_profile(
    State(state): State<AppState>,
    user: ActiveUser,
    request: Request,
) -> ApiResult<Json<BreneoProfileResponse>> {
    let (parts, body) = read_form_or_json(request, &state).await?;
    let current = user.0.user.clone();
    let mut errors = FieldErrors::default();
    let mut row: user::ActiveModel = current.clone().into();
    apply_fields(&current, &body, &mut row, &mut errors);
    let photo = parts
        .into_iter()
        .find(|p| p.name == "profile_image" && p.file_name.is_some());
    let new_photo = match photo {
        Some(part) => store_photo(&state, &part, &mut errors).await?,
        None => None,
    };
    if !errors.is_empty() {
        if let Some(key) = &new_photo {
            state.storage.delete_or_log(key).await;
        }
        return Err(errors.into_error());
    }
    let removes_photo = body.get("profile_image").is_some_and(Value::is_null);
    if new_photo.is_some() || removes_photo {
        row.profile_image_key = Set(new_photo);
    }
    row.updated_at = Set(db::now());
    let updated = row.update(state.db.writer()).await?;
    if updated.profile_image_key != current.profile_image_key
        && let Some(old) = &current.profile_image_key
    {
        state.storage.delete_or_log(old).await;
    }
    state.accounts.forget(updated.id);
    Ok(Json(profile_response(&updated, &state.storage)))
}

/// The text fields of an update, onto `row`.
fn apply_fields(
    current: &user::Model,
    body: &Value,
    row: &mut user::ActiveModel,
    errors: &mut FieldErrors,
) {
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::trim);
    if let Some(email) = text("email")
        && !email.is_empty()
        && crate::accounts::service::normalize_email(email) != current.email
    {
        errors.add("email", "The email address cannot be changed here.");
    }
    if text("first_name").is_some() || text("last_name").is_some() {
        let first = text("first_name").unwrap_or(&current.first_name);
        let last = text("last_name").unwrap_or(&current.last_name);
        check_max_chars(errors, "first_name", first, MAX_NAME_CHARS);
        check_max_chars(errors, "last_name", last, MAX_NAME_CHARS);
        let names = Names::from_parts(first, last);
        row.first_name = Set(names.first_name);
        row.last_name = Set(names.last_name);
        row.full_name = Set(names.full_name);
        row.name_key = Set(names.name_key);
    }
    match body.get("phone_number") {
        Some(Value::Null) => row.phone_number = Set(None),
        Some(Value::String(phone)) if phone.trim().is_empty() => row.phone_number = Set(None),
        Some(Value::String(phone)) if is_phone_number(phone.trim()) => {
            row.phone_number = Set(Some(phone.trim().to_owned()))
        }
        Some(_) => errors.add("phone_number", "Enter a valid phone number."),
        None => {}
    }
    for (field, max) in [
        ("about_me", MAX_ABOUT_CHARS),
        ("country_region", MAX_PLACE_CHARS),
        ("city", MAX_PLACE_CHARS),
    ] {
        let Some(value) = text(field) else { continue };
        check_max_chars(errors, field, value, max);
        let value = Set(value.to_owned());
        match field {
            "about_me" => row.bio = value,
            "country_region" => row.country_region = value,
            _ => row.city = value,
        }
    }
    if let Some(sent) = body.get("social_links") {
        let merged = merged_links(
            &current.social_links,
            sent,
            &BRENEO_NETWORKS,
            "social_links",
            errors,
        );
        row.social_links = Set(merged);
    }
}

/// Cleans and stores an uploaded photo; its key, or `None` with the refusal in `errors`.
async fn store_photo(
    state: &AppState,
    part: &FormPart,
    errors: &mut FieldErrors,
) -> ApiResult<Option<String>> {
    let output = [Output {
        max_side: Some(PHOTO_SIDE),
    }];
    let photo = match images::clean(&state.sandbox, &part.bytes, &output).await {
        Ok(mut cleaned) => cleaned.remove(0),
        Err(images::CleanError::Refused(err)) => {
            errors.add("profile_image", err.to_string());
            return Ok(None);
        }
        Err(unavailable) => return Err(unavailable.into_api("profile_image")),
    };
    let key = Storage::new_key(PHOTO_PREFIX, photo.extension);
    state
        .storage
        .put(&key, photo.bytes, photo.content_type)
        .await
        .map_err(ApiError::from)?;
    Ok(Some(key))
}
