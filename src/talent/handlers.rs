//! `GET|POST /api/profile/background/` and `/api/profile/talent/`: the profile with its score,
//! subscription status and restrictions (`view`), and updates of `profile_picture` and the
//! fields the profile forms edit (`fields`), multipart or JSON.
//!
//! The picture lifecycle: the upload is decoded and re-encoded (at most 1024 px, plus a 256 px
//! thumbnail) before anything is stored; both go under fresh keys; the profile switches to them
//! only if it still points at the picture the request started from (a concurrent upload loses
//! with 409 and its objects are removed); the old objects are deleted after the switch, and a
//! failed delete is left to the orphan sweep.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use super::fields::{Change, ProfileFields};
use super::profile;
use super::view::{ProfileKind, ProfileResponse, ProfileUpdatedResponse, full_profile};
use crate::accounts::social;
use crate::accounts::user::{self, Names};
use crate::db;
use crate::error::{ApiError, ApiResult, PERMISSION_DENIED};
use crate::extract::{ActiveUser, FormPart, Json, read_form_or_json};
use crate::images::{self, CleanImage, Output};
use crate::state::AppState;
use crate::storage::Storage;
use crate::validate::FieldErrors;

const PICTURE_SIDE: u32 = 1024;
const THUMBNAIL_SIDE: u32 = 256;
const PICTURE_CHANGED: &str =
    "The profile picture was changed by another request at the same time. Reload and try again.";
const EMAIL_FIXED: &str = "The email address cannot be changed here.";

/// The authenticated user for Gan7Club's routes: that frontend refreshes its token on a 403
/// `token_not_valid` and logs out on a 401, so the two authentication failures answer 403 here
/// with the usual bodies.
pub struct Gan7User(pub ActiveUser);

impl FromRequestParts<AppState> for Gan7User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match ActiveUser::from_request_parts(parts, state).await {
            Ok(user) => Ok(Gan7User(user)),
            Err(err @ (ApiError::NotAuthenticated | ApiError::AccessTokenInvalid)) => {
                Err(ApiError::Custom(StatusCode::FORBIDDEN, err.body()))
            }
            Err(other) => Err(other),
        }
    }
}

/// Refuses an account of the other kind.
fn check_kind(user: &ActiveUser, kind: ProfileKind) -> ApiResult<()> {
    if user.0.user.account_kind != kind.account_kind() {
        return Err(ApiError::Forbidden(PERMISSION_DENIED.into()));
    }
    Ok(())
}

async fn get_profile(
    state: AppState,
    user: ActiveUser,
    kind: ProfileKind,
) -> ApiResult<Json<ProfileResponse>> {
    check_kind(&user, kind)?;
    Ok(Json(full_profile(&state, kind, &user.0.user).await?))
}

/// The validated parts of an update.
struct ProfileUpdate {
    picture: Option<(CleanImage, CleanImage)>,
    fields: ProfileFields,
}

/// The picture: decoded and cleaned first (a file that does not decode is "not an image",
/// whatever its first bytes claim), then held to its name and declared type.
async fn clean_picture(
    state: &AppState,
    part: &FormPart,
    errors: &mut FieldErrors,
) -> ApiResult<Option<(CleanImage, CleanImage)>> {
    let sizes = [PICTURE_SIDE, THUMBNAIL_SIDE].map(|side| Output {
        max_side: Some(side),
    });
    match images::clean(&state.sandbox, &part.bytes, &sizes).await {
        Ok(mut cleaned) => {
            if let Err(err) = images::check_label(
                &part.bytes,
                part.file_name.as_deref(),
                part.content_type.as_deref(),
            ) {
                errors.add("profile_picture", err.to_string());
                return Ok(None);
            }
            let thumbnail = cleaned.remove(1);
            Ok(Some((cleaned.remove(0), thumbnail)))
        }
        Err(images::CleanError::Refused(err)) => {
            errors.add("profile_picture", err.to_string());
            Ok(None)
        }
        Err(unavailable) => Err(unavailable.into_api("profile_picture")),
    }
}

async fn validate_update(
    state: &AppState,
    user: &user::Model,
    parts: Vec<FormPart>,
    body: &Value,
) -> ApiResult<ProfileUpdate> {
    let mut errors = FieldErrors::default();
    let fields = ProfileFields::read(body, &mut errors);
    // The talent page always sends the email; the same one is no change, another is refused
    // rather than dropped.
    if let Some(email) = body.get("email").and_then(Value::as_str)
        && !email.trim().is_empty()
        && crate::accounts::service::normalize_email(email) != user.email
    {
        errors.add("email", EMAIL_FIXED);
    }
    let picture_part = parts.into_iter().find(|p| p.name == "profile_picture");
    let picture = match picture_part {
        Some(part) if part.file_name.is_some() => clean_picture(state, &part, &mut errors).await?,
        _ if body.get("profile_picture").is_some_and(|v| !v.is_null()) => {
            errors.add(
                "profile_picture",
                "The submitted data was not a file. Check the encoding type on the form.",
            );
            None
        }
        _ => None,
    };
    errors.into_result()?;
    if picture.is_none() && fields.is_empty() {
        return Err(ApiError::non_field(
            "At least one field must be provided for update.",
        ));
    }
    Ok(ProfileUpdate { picture, fields })
}

/// Applies a change to a column: set, cleared to `empty`, or left.
fn change<T: Clone, V: Into<sea_orm::Value>>(
    target: &mut sea_orm::ActiveValue<V>,
    sent: &Change<T>,
    empty: V,
    into: impl Fn(T) -> V,
) {
    match sent {
        Change::Keep => {}
        Change::Clear => *target = Set(empty),
        Change::Set(value) => *target = Set(into(value.clone())),
    }
}

/// The account's side of an update: names, phone, city, about you (shared by every product).
pub(super) async fn update_account(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    fields: &ProfileFields,
) -> ApiResult<()> {
    let mut row: user::ActiveModel = user.clone().into();
    let first = match &fields.first_name {
        Change::Keep => user.first_name.clone(),
        Change::Clear => String::new(),
        Change::Set(name) => name.clone(),
    };
    let last = match &fields.last_name {
        Change::Keep => user.last_name.clone(),
        Change::Clear => String::new(),
        Change::Set(name) => name.clone(),
    };
    if !(fields.first_name.is_keep() && fields.last_name.is_keep()) {
        let names = Names::from_parts(&first, &last);
        row.first_name = Set(names.first_name);
        row.last_name = Set(names.last_name);
        row.full_name = Set(names.full_name);
        row.name_key = Set(names.name_key);
    }
    change(&mut row.phone_number, &fields.phone, None, Some);
    change(&mut row.city, &fields.city, String::new(), |v| v);
    change(&mut row.bio, &fields.aboutyou, String::new(), |v| v);
    if row.is_changed() {
        row.updated_at = Set(db::now());
        row.update(conn).await?;
    }
    Ok(())
}

/// Stores the cleaned picture and its thumbnail under fresh keys; their keys.
async fn store_picture(
    state: &AppState,
    kind: ProfileKind,
    (picture, thumbnail): (CleanImage, CleanImage),
) -> ApiResult<(String, String)> {
    let prefix = kind.picture_prefix();
    let picture_key = Storage::new_key(prefix, picture.extension);
    let thumbnail_key = Storage::new_key(&format!("{prefix}/thumbnails"), thumbnail.extension);
    state
        .storage
        .put(&picture_key, picture.bytes, picture.content_type)
        .await?;
    if let Err(err) = state
        .storage
        .put(&thumbnail_key, thumbnail.bytes, thumbnail.content_type)
        .await
    {
        state.storage.delete_or_log(&picture_key).await;
        return Err(err.into());
    }
    Ok((picture_key, thumbnail_key))
}

async fn post_profile(
    state: AppState,
    user: ActiveUser,
    kind: ProfileKind,
    request: Request,
) -> ApiResult<Json<ProfileUpdatedResponse>> {
    check_kind(&user, kind)?;
    let account = &user.0.user;
    let (parts, body) = read_form_or_json(request, &state).await?;
    let update = validate_update(&state, account, parts, &body).await?;
    let user_id = user.id();
    let existing = profile::ensure(state.db.writer(), user_id).await?;
    let mut row = profile::ActiveModel {
        updated_at: Set(db::now()),
        ..Default::default()
    };
    let fields = &update.fields;
    change(&mut row.country, &fields.country, String::new(), |v| v);
    change(&mut row.residency, &fields.residency, String::new(), |v| v);
    change(&mut row.gender, &fields.gender, String::new(), |v| v);
    change(&mut row.date_of_birth, &fields.date_of_birth, None, Some);
    let mut query = profile::Entity::update_many().filter(profile::Column::UserId.eq(user_id));
    let mut stored = Vec::new();
    if let Some(picture) = update.picture {
        let (picture_key, thumbnail_key) = store_picture(&state, kind, picture).await?;
        stored = vec![picture_key.clone(), thumbnail_key.clone()];
        row.picture_key = Set(Some(picture_key));
        row.thumbnail_key = Set(Some(thumbnail_key));
        // Switch only from the picture this request started from.
        query = match &existing.picture_key {
            Some(old) => query.filter(profile::Column::PictureKey.eq(old.as_str())),
            None => query.filter(profile::Column::PictureKey.is_null()),
        };
    }
    let switched = db::in_transaction(state.db.writer(), async |txn| {
        let result = query.set(row).exec(txn).await?;
        if result.rows_affected == 1 {
            update_account(txn, account, fields).await?;
        }
        Ok::<_, ApiError>(result.rows_affected == 1)
    })
    .await;
    if !matches!(switched, Ok(true)) {
        for key in &stored {
            state.storage.delete_or_log(key).await;
        }
        switched?;
        return Err(ApiError::Custom(
            StatusCode::CONFLICT,
            json!({"detail": PICTURE_CHANGED}),
        ));
    }
    state.accounts.forget(user_id);
    if !stored.is_empty() {
        for old in [&existing.picture_key, &existing.thumbnail_key]
            .into_iter()
            .flatten()
        {
            state.storage.delete_or_log(old).await;
        }
    }
    let fresh = crate::accounts::service::current_user(&state.db, user_id).await?;
    Ok(Json(ProfileUpdatedResponse {
        message: kind.updated_message().into(),
        profile: full_profile(&state, kind, &fresh).await?,
    }))
}

/// A background account's profile, score, subscription and restrictions.
#[utoipa::path(get, path = "/api/profile/background", tag = "gan7club", security(("bearer" = [])),
    params(("is-background" = Option<String>, Header, description = "Accepted, not required")),
    responses((status = 200, body = ProfileResponse),
        (status = 403, description = "No or a bad token (403, not 401, for this frontend), or not a background account")))]
pub async fn get_background_profile(
    State(state): State<AppState>,
    Gan7User(user): Gan7User,
) -> ApiResult<Json<ProfileResponse>> {
    get_profile(state, user, ProfileKind::Background).await
}

/// Update a background profile: `profile_picture` (file) and the form's fields.
#[utoipa::path(post, path = "/api/profile/background", tag = "gan7club", security(("bearer" = [])),
    params(("partial" = Option<bool>, Query, description = "Accepted; every update is partial")),
    request_body(content = String, description = "multipart/form-data or JSON: `profile_picture` (image file), `first_name`, `last_name`, `phone`, `city`, `aboutyou`, `country` (≤ 25), `residency` (≤ 25), `date_of_birth` (YYYY-MM-DD), `gender` (Male|Female|Other|prefer_not_to_say); an empty string clears a field", content_type = "multipart/form-data"),
    responses((status = 200, body = ProfileUpdatedResponse),
        (status = 400, description = "Field errors, or `{\"non_field_errors\": [\"At least one field must be provided for update.\"]}`"),
        (status = 403, description = "No or a bad token, or not a background account"),
        (status = 409, description = "Another upload changed the picture meanwhile")))]
pub async fn post_background_profile(
    State(state): State<AppState>,
    Gan7User(user): Gan7User,
    request: Request,
) -> ApiResult<Json<ProfileUpdatedResponse>> {
    post_profile(state, user, ProfileKind::Background, request).await
}

/// A talent account's profile, score, subscription and restrictions.
#[utoipa::path(get, path = "/api/profile/talent", tag = "gan7club", security(("bearer" = [])),
    params(("is-talent" = Option<String>, Header, description = "Accepted, not required")),
    responses((status = 200, body = ProfileResponse),
        (status = 403, description = "No or a bad token (403, not 401, for this frontend), or not a talent account")))]
pub async fn get_talent_profile(
    State(state): State<AppState>,
    Gan7User(user): Gan7User,
) -> ApiResult<Json<ProfileResponse>> {
    get_profile(state, user, ProfileKind::Talent).await
}

/// Update a talent profile: `profile_picture` (file) and the form's fields.
#[utoipa::path(post, path = "/api/profile/talent", tag = "gan7club", security(("bearer" = [])),
    params(("partial" = Option<bool>, Query, description = "Accepted; every update is partial")),
    request_body(content = String, description = "multipart/form-data or JSON, as for background profiles", content_type = "multipart/form-data"),
    responses((status = 200, body = ProfileUpdatedResponse),
        (status = 400, description = "Field errors"),
        (status = 403, description = "No or a bad token, or not a talent account"),
        (status = 409, description = "Another upload changed the picture meanwhile")))]
pub async fn post_talent_profile(
    State(state): State<AppState>,
    Gan7User(user): Gan7User,
    request: Request,
) -> ApiResult<Json<ProfileUpdatedResponse>> {
    post_profile(state, user, ProfileKind::Talent, request).await
}

/// The account's Facebook, Instagram, YouTube and TikTok links (`""` for none).
fn gan7_links(user: &user::Model) -> Value {
    let mut links = social::links(user, &social::GAN7_NETWORKS);
    if let Some(map) = links.as_object_mut() {
        for value in map.values_mut() {
            if value.is_null() {
                *value = json!("");
            }
        }
    }
    links
}

/// The profile's social links, as the profile tab reads them.
#[utoipa::path(get, path = "/api/profile/social-media", tag = "gan7club", security(("bearer" = [])),
    responses((status = 200, description = "`{facebook, instagram, youtube, tiktok}`"),
        (status = 403, description = "No or a bad token")))]
pub async fn get_social_media(Gan7User(user): Gan7User) -> Json<Value> {
    Json(gan7_links(&user.0.user))
}

/// Replace the profile's social links (the four networks; an empty string removes one). They are
/// the account's links, which Breneo's profile shows too.
#[utoipa::path(post, path = "/api/profile/social-media", tag = "gan7club", security(("bearer" = [])),
    request_body(content = Object, description = "`{facebook, instagram, youtube, tiktok}`"),
    responses((status = 200, description = "The stored links"), (status = 400, description = "`{\"social_links\": […]}`"),
        (status = 403, description = "No or a bad token")))]
pub async fn post_social_media(
    State(state): State<AppState>,
    Gan7User(user): Gan7User,
    Json(body): Json<Value>,
) -> ApiResult<Json<Value>> {
    let current = &user.0.user;
    let mut errors = FieldErrors::default();
    let merged = social::merged_links(
        &current.social_links,
        &body,
        &social::GAN7_NETWORKS,
        "social_links",
        &mut errors,
    );
    errors.into_result()?;
    let mut row: user::ActiveModel = current.clone().into();
    row.social_links = Set(merged);
    row.updated_at = Set(db::now());
    let updated = row.update(state.db.writer()).await?;
    state.accounts.forget(updated.id);
    Ok(Json(gan7_links(&updated)))
}
