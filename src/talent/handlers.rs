//! `GET|POST /api/profile/background/` and `/api/profile/talent/`: the profile with its score,
//! subscription status and restrictions, and updates of `profile_picture`, `country`,
//! `date_of_birth` and `gender` (multipart or JSON).
//!
//! The picture lifecycle: the upload is decoded and re-encoded (at most 1024 px, plus a 256 px
//! thumbnail) before anything is stored; both go under fresh keys; the profile switches to them
//! only if it still points at the picture the request started from (a concurrent upload loses
//! with 409 and its objects are removed); the old objects are deleted after the switch, and a
//! failed delete is left to the orphan sweep.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::profile;
use super::score::{self, ItemCounts, ProfileScore};
use super::subscription::{self, SubscriptionView};
use crate::accounts::user::{self, AccountKind};
use crate::db;
use crate::error::{ApiError, ApiResult, PERMISSION_DENIED};
use crate::extract::{ActiveUser, FormPart, Json, read_multipart};
use crate::images::{self, CleanImage, Output};
use crate::portfolios::entitlements::{self, Resource};
use crate::state::AppState;
use crate::storage::Storage;
use crate::validate::FieldErrors;

const PICTURE_SIDE: u32 = 1024;
const THUMBNAIL_SIDE: u32 = 256;
const MAX_COUNTRY_CHARS: usize = 25;
const GENDERS: [&str; 3] = ["Male", "Female", "Other"];
const PICTURE_CHANGED: &str =
    "The profile picture was changed by another request at the same time. Reload and try again.";

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

/// Which of the two profile routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileKind {
    Background,
    Talent,
}

impl ProfileKind {
    fn account_kind(self) -> AccountKind {
        match self {
            ProfileKind::Background => AccountKind::Background,
            ProfileKind::Talent => AccountKind::Talent,
        }
    }

    /// The original's account type names.
    fn account_type(self) -> &'static str {
        match self {
            ProfileKind::Background => "back_ground_jobs",
            ProfileKind::Talent => "talent",
        }
    }

    fn picture_prefix(self) -> &'static str {
        match self {
            ProfileKind::Background => "background_profile_pictures",
            ProfileKind::Talent => "profile_pictures",
        }
    }

    fn updated_message(self) -> &'static str {
        match self {
            ProfileKind::Background => "Background profile updated successfully",
            ProfileKind::Talent => "Talent profile updated successfully",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileBody {
    pub id: i64,
    pub email: String,
    /// The email, as the original shows it.
    pub username: String,
    /// Absolute URL, or `null`.
    pub profile_picture: Option<String>,
    /// Absolute URL of the 256 px thumbnail, or `null`.
    pub profile_picture_thumbnail: Option<String>,
    pub country: String,
    /// `YYYY-MM-DD` or `null`.
    pub date_of_birth: Option<String>,
    pub gender: String,
    /// `back_ground_jobs` or `talent`.
    pub account_type: String,
    /// The score's total.
    pub profile_score: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionStatus {
    pub has_subscription: bool,
    pub can_access_features: bool,
    pub message: String,
    pub subscription: Option<SubscriptionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileResponse {
    pub profile: ProfileBody,
    pub profile_score: ProfileScore,
    pub subscription_status: SubscriptionStatus,
    #[schema(value_type = Object)]
    pub restrictions: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileUpdatedResponse {
    pub message: String,
    pub profile: ProfileBody,
}

/// The user's profile row, made on first use for accounts that predate it.
pub async fn ensure_profile(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<profile::Model, sea_orm::DbErr> {
    if let Some(existing) = profile::Entity::find()
        .filter(profile::Column::UserId.eq(user_id))
        .one(conn)
        .await?
    {
        return Ok(existing);
    }
    let now = db::now();
    profile::ActiveModel {
        user_id: Set(user_id),
        picture_key: Set(None),
        thumbnail_key: Set(None),
        country: Set(String::new()),
        date_of_birth: Set(None),
        gender: Set(String::new()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
}

/// How many items of each kind the user has in every product.
pub async fn item_counts(conn: &impl ConnectionTrait, user_id: i64) -> ApiResult<ItemCounts> {
    use crate::accounts::user_skill;
    use crate::portfolios::{assets::asset, portfolio, projects::project};
    use crate::profiles::{education, work_experience};
    use crate::resumes::resume;
    use crate::tracker::application;
    Ok(ItemCounts {
        work_experiences: work_experience::Entity::find()
            .filter(work_experience::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        educations: education::Entity::find()
            .filter(education::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        skills: user_skill::Entity::find()
            .filter(user_skill::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        projects: project::Entity::find()
            .filter(project::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        portfolios: portfolio::Entity::find()
            .filter(portfolio::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        resumes: resume::Entity::find()
            .filter(resume::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        assets: asset::Entity::find()
            .filter(asset::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        job_applications: application::Entity::find()
            .filter(application::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
    })
}

fn profile_body(
    kind: ProfileKind,
    user: &user::Model,
    row: &profile::Model,
    storage: &Storage,
    total: i32,
) -> ProfileBody {
    ProfileBody {
        id: user.id,
        email: user.email.clone(),
        username: user.email.clone(),
        profile_picture: row.picture_key.as_deref().map(|k| storage.url(k)),
        profile_picture_thumbnail: row.thumbnail_key.as_deref().map(|k| storage.url(k)),
        country: row.country.clone(),
        date_of_birth: row.date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()),
        gender: row.gender.clone(),
        account_type: kind.account_type().into(),
        profile_score: total,
    }
}

fn subscription_status(
    subscriptions: &[subscription::Model],
    now: chrono::DateTime<chrono::Utc>,
) -> SubscriptionStatus {
    match subscriptions.iter().find(|s| s.is_current(now)) {
        Some(current) => SubscriptionStatus {
            has_subscription: true,
            can_access_features: true,
            message: "Active subscription".into(),
            subscription: Some(current.into()),
        },
        None => SubscriptionStatus {
            has_subscription: false,
            can_access_features: true,
            message: match subscriptions.first().and_then(|s| s.ends_at) {
                Some(ended) => format!(
                    "Your subscription ended on {}. You are on the free plan.",
                    ended.format("%Y-%m-%d")
                ),
                None => "No active subscription. You are on the free plan.".into(),
            },
            subscription: subscriptions.first().map(Into::into),
        },
    }
}

fn restrictions(user: &user::Model) -> Value {
    let tier = user.subscription_tier;
    json!({
        "plan": tier,
        "max_portfolios": entitlements::limit(tier, Resource::Portfolio),
        "max_resumes": entitlements::limit(tier, Resource::Resume),
        "ai_text_credits": user.ai_text_credits,
        "ai_image_credits": user.ai_image_credits,
    })
}

/// Refuses an account of the other kind.
fn check_kind(user: &ActiveUser, kind: ProfileKind) -> ApiResult<()> {
    if user.0.user.account_kind != kind.account_kind() {
        return Err(ApiError::Forbidden(PERMISSION_DENIED.into()));
    }
    Ok(())
}

async fn full_profile(
    state: &AppState,
    kind: ProfileKind,
    user: &user::Model,
) -> ApiResult<ProfileResponse> {
    // Reads go to the read pool; only an account that predates profiles needs the writer.
    let found = profile::Entity::find()
        .filter(profile::Column::UserId.eq(user.id))
        .one(state.db.reader())
        .await?;
    let row = match found {
        Some(row) => row,
        None => ensure_profile(state.db.writer(), user.id).await?,
    };
    let items = item_counts(state.db.reader(), user.id).await?;
    let scored = score::score(user, &row, &items);
    let subscriptions = subscription::subscriptions_of(state.db.reader(), user.id).await?;
    Ok(ProfileResponse {
        profile: profile_body(kind, user, &row, &state.storage, scored.total),
        subscription_status: subscription_status(&subscriptions, chrono::Utc::now()),
        restrictions: restrictions(user),
        profile_score: scored,
    })
}

async fn get_profile(
    state: AppState,
    user: ActiveUser,
    kind: ProfileKind,
) -> ApiResult<Json<ProfileResponse>> {
    check_kind(&user, kind)?;
    Ok(Json(full_profile(&state, kind, &user.0.user).await?))
}

/// The validated fields of an update.
#[derive(Default)]
struct ProfileUpdate {
    picture: Option<(CleanImage, CleanImage)>,
    country: Option<String>,
    date_of_birth: Option<NaiveDate>,
    gender: Option<String>,
}

/// Reads the update from a multipart form or a JSON object.
async fn read_update(request: Request, state: &AppState) -> ApiResult<(Vec<FormPart>, Value)> {
    let is_json = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
    if is_json {
        let crate::extract::JsonValue(value) =
            <crate::extract::JsonValue as axum::extract::FromRequest<AppState>>::from_request(
                request, state,
            )
            .await?;
        return Ok((Vec::new(), value));
    }
    let parts = read_multipart(request, state).await?.unwrap_or_default();
    let mut fields = serde_json::Map::new();
    for part in parts.iter().filter(|p| p.file_name.is_none()) {
        fields.insert(part.name.clone(), json!(part.text()));
    }
    Ok((parts, Value::Object(fields)))
}

async fn validate_update(
    state: &AppState,
    parts: Vec<FormPart>,
    fields: &Value,
) -> ApiResult<ProfileUpdate> {
    let mut errors = FieldErrors::default();
    let mut update = ProfileUpdate::default();
    let text = |name: &str| fields.get(name).and_then(|v| v.as_str()).map(str::trim);
    if let Some(country) = text("country") {
        if country.chars().count() > MAX_COUNTRY_CHARS {
            errors.add(
                "country",
                format!("Ensure this field has no more than {MAX_COUNTRY_CHARS} characters."),
            );
        }
        update.country = Some(country.to_owned());
    }
    if let Some(raw) = text("date_of_birth") {
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(date) if date <= chrono::Utc::now().date_naive() => {
                update.date_of_birth = Some(date)
            }
            Ok(_) => errors.add("date_of_birth", "Date of birth cannot be in the future."),
            Err(_) => errors.add(
                "date_of_birth",
                "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
            ),
        }
    }
    if let Some(gender) = text("gender") {
        match GENDERS.iter().find(|g| g.eq_ignore_ascii_case(gender)) {
            Some(g) => update.gender = Some((*g).to_owned()),
            None => errors.add("gender", format!("\"{gender}\" is not a valid choice.")),
        }
    }
    let picture_field = parts.into_iter().find(|p| p.name == "profile_picture");
    let sent_picture_text = fields.get("profile_picture").is_some();
    match picture_field {
        Some(part) if part.file_name.is_some() => {
            if let Err(err) = images::check_label(
                &part.bytes,
                part.file_name.as_deref(),
                part.content_type.as_deref(),
            ) {
                errors.add("profile_picture", err.to_string());
                return Err(errors.into_error());
            }
            let sizes = [PICTURE_SIDE, THUMBNAIL_SIDE].map(|side| Output {
                max_side: Some(side),
            });
            match images::clean(&state.sandbox, &part.bytes, &sizes).await {
                Ok(mut cleaned) => {
                    let thumbnail = cleaned.remove(1);
                    update.picture = Some((cleaned.remove(0), thumbnail));
                }
                Err(images::CleanError::Refused(err)) => {
                    errors.add("profile_picture", err.to_string())
                }
                Err(unavailable) => return Err(unavailable.into_api("profile_picture")),
            }
        }
        _ if sent_picture_text => errors.add(
            "profile_picture",
            "The submitted data was not a file. Check the encoding type on the form.",
        ),
        _ => {}
    }
    errors.into_result()?;
    if update.picture.is_none()
        && update.country.is_none()
        && update.date_of_birth.is_none()
        && update.gender.is_none()
    {
        return Err(ApiError::non_field(
            "At least one field must be provided for update.",
        ));
    }
    Ok(update)
}

async fn post_profile(
    state: AppState,
    user: ActiveUser,
    kind: ProfileKind,
    request: Request,
) -> ApiResult<Json<ProfileUpdatedResponse>> {
    check_kind(&user, kind)?;
    let (parts, fields) = read_update(request, &state).await?;
    let update = validate_update(&state, parts, &fields).await?;
    let user_id = user.id();
    let existing = ensure_profile(state.db.writer(), user_id).await?;
    let mut row = profile::ActiveModel {
        updated_at: Set(db::now()),
        ..Default::default()
    };
    if let Some(country) = update.country {
        row.country = Set(country);
    }
    if let Some(date) = update.date_of_birth {
        row.date_of_birth = Set(Some(date));
    }
    if let Some(gender) = update.gender {
        row.gender = Set(gender);
    }
    let mut query = profile::Entity::update_many().filter(profile::Column::UserId.eq(user_id));
    let mut stored = Vec::new();
    if let Some((picture, thumbnail)) = update.picture {
        let prefix = kind.picture_prefix();
        let picture_key = Storage::new_key(prefix, picture.extension);
        let thumbnail_key = Storage::new_key(&format!("{prefix}/thumbnails"), thumbnail.extension);
        state
            .storage
            .put(&picture_key, picture.bytes, picture.content_type)
            .await?;
        stored.push(picture_key.clone());
        if let Err(err) = state
            .storage
            .put(&thumbnail_key, thumbnail.bytes, thumbnail.content_type)
            .await
        {
            state.storage.delete_or_log(&picture_key).await;
            return Err(err.into());
        }
        stored.push(thumbnail_key.clone());
        row.picture_key = Set(Some(picture_key));
        row.thumbnail_key = Set(Some(thumbnail_key));
        // Switch only from the picture this request started from.
        query = match &existing.picture_key {
            Some(old) => query.filter(profile::Column::PictureKey.eq(old.as_str())),
            None => query.filter(profile::Column::PictureKey.is_null()),
        };
    }
    let switched = query.set(row).exec(state.db.writer()).await;
    let lost = match &switched {
        Ok(result) => result.rows_affected == 0,
        Err(_) => true,
    };
    if lost {
        for key in &stored {
            state.storage.delete_or_log(key).await;
        }
        switched?;
        return Err(ApiError::Custom(
            StatusCode::CONFLICT,
            json!({"detail": PICTURE_CHANGED}),
        ));
    }
    if !stored.is_empty() {
        for old in [&existing.picture_key, &existing.thumbnail_key]
            .into_iter()
            .flatten()
        {
            state.storage.delete_or_log(old).await;
        }
    }
    let full = full_profile(&state, kind, &user.0.user).await?;
    Ok(Json(ProfileUpdatedResponse {
        message: kind.updated_message().into(),
        profile: full.profile,
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

/// Update a background profile: `profile_picture` (file), `country`, `date_of_birth`, `gender`.
#[utoipa::path(post, path = "/api/profile/background", tag = "gan7club", security(("bearer" = [])),
    params(("partial" = Option<bool>, Query, description = "Accepted; every update is partial")),
    request_body(content = String, description = "multipart/form-data or JSON: `profile_picture` (image file), `country` (≤ 25), `date_of_birth` (YYYY-MM-DD), `gender` (Male|Female|Other)", content_type = "multipart/form-data"),
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

/// Update a talent profile: `profile_picture` (file), `country`, `date_of_birth`, `gender`.
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
