//! Grooya's accounts in dj-rest-auth's shape: `/api/auth/register/`, `/api/auth/login/`,
//! `/api/auth/logout/`, `/api/auth/token/refresh/` and `GET|PUT|PATCH /api/auth/user/`. The
//! user is answered as `types.ts`'s `User` too (string `id`, `name`, `avatarUrl`, `role`,
//! `subscription` with the plan, its renewal, the free uses and the credit balance) beside the
//! seed's fields. Registration may choose a Gan7Club account kind through `account_type`.

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use std::collections::BTreeMap;

use super::wire::{self, GrooyaJson, Spellings};
use crate::accounts::handlers::{
    FieldErrors, RefreshRequest, TokenPairResponse, is_valid_username, simplejwt,
};
use crate::accounts::registration::{RegisterRequest, registration_error, validate_registration};
use crate::accounts::service::{self, LoginId};
use crate::accounts::user::{self, AccountKind, Names, SubscriptionTier};
use crate::credits;
use crate::db;
use crate::error::{ApiError, ApiResult, FIELD_REQUIRED};
use crate::extract::{AuthUser, ClientIp, Json, explicit_null};
use crate::state::AppState;
use crate::talent::subscription;
use crate::validate::{check_max_chars, is_web_url};

const MAX_NAME_CHARS: usize = 150;
const MAX_TITLE_CHARS: usize = 200;
const MAX_BIO_CHARS: usize = 5000;
const MAX_URL_CHARS: usize = 1000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
}

/// Fields a user may change about themselves; absent fields are left as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateUserRequest {
    pub username: Option<String>,
    /// The whole name (the frontend's `name`): first word the first name, the rest the last;
    /// it wins over `first_name` and `last_name` sent beside it.
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub title: Option<String>,
    pub bio: Option<String>,
    /// Also `avatarUrl`; empty or `null` removes it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[schema(value_type = Option<String>)]
    pub avatar_url: Option<Option<String>>,
}

impl Spellings for UpdateUserRequest {
    const CAMEL_CASE: &'static [(&'static str, &'static str)] = &[("avatarUrl", "avatar_url")];
}

impl Spellings for RegisterRequest {
    const CAMEL_CASE: &'static [(&'static str, &'static str)] = &[];
}

/// `types.ts`'s `User.subscription`.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrooyaSubscription {
    /// `free`, `starter`, `pro` or `premium`.
    pub tier: SubscriptionTier,
    /// `active` (careerhub keeps no other state a client should act on).
    pub status: String,
    /// When the granted plan ends, in milliseconds; absent for the free plan or an open grant.
    #[serde(rename = "renewsAt", skip_serializing_if = "Option::is_none")]
    pub renews_at: Option<i64>,
    /// The free plan's AI features already used once.
    #[serde(rename = "freeFeaturesUsed")]
    pub free_features_used: BTreeMap<String, bool>,
    pub credits: credits::Balance,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrooyaUser {
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    pub pk: i64,
    pub username: String,
    pub email: String,
    /// First and last name.
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub title: String,
    pub bio: String,
    /// The avatar's URL, `""` when there is none.
    #[serde(rename = "avatarUrl")]
    pub avatar_url_camel: String,
    pub avatar_url: Option<String>,
    /// `admin` for staff, else `user`.
    pub role: String,
    #[serde(rename = "isEarlyAdopter")]
    pub is_early_adopter: bool,
    pub subscription: GrooyaSubscription,
    pub subscription_tier: SubscriptionTier,
    pub ai_text_credits: i32,
    pub ai_image_credits: i32,
    pub account_type: AccountKind,
}

impl GrooyaUser {
    /// The user as Grooya shows them, this month's credits topped up first.
    pub async fn load(state: &AppState, user: user::Model) -> ApiResult<GrooyaUser> {
        let now = state.clock.now_utc();
        let conn = state.db.writer();
        let user = if credits::top_up_if_due(conn, &user, now).await? {
            state.accounts.forget(user.id);
            service::current_user(&state.db, user.id).await?
        } else {
            user
        };
        let renews_at = subscription::subscriptions_of(conn, user.id)
            .await?
            .iter()
            .find(|row| row.is_current(now))
            .and_then(|row| row.ends_at)
            .map(|end| end.timestamp_millis());
        let free_features_used = credits::free_uses_of(conn, user.id)
            .await?
            .into_iter()
            .map(|feature| (feature, true))
            .collect();
        Ok(GrooyaUser {
            id: user.id,
            pk: user.id,
            name: user.full_name.clone(),
            avatar_url_camel: user.avatar_url.clone().unwrap_or_default(),
            role: if user.is_staff { "admin" } else { "user" }.into(),
            is_early_adopter: user.is_early_adopter,
            subscription: GrooyaSubscription {
                tier: user.subscription_tier,
                status: "active".into(),
                renews_at,
                free_features_used,
                credits: credits::Balance {
                    text: user.ai_text_credits,
                    image: user.ai_image_credits,
                },
            },
            username: user.username,
            email: user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            title: user.title,
            bio: user.bio,
            avatar_url: user.avatar_url,
            subscription_tier: user.subscription_tier,
            ai_text_credits: user.ai_text_credits,
            ai_image_credits: user.ai_image_credits,
            account_type: user.account_kind,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthResponse {
    pub access: String,
    pub refresh: String,
    pub user: GrooyaUser,
}

/// Create an account; answers tokens and the user.
#[utoipa::path(post, path = "/api/auth/register", tag = "accounts", request_body = RegisterRequest,
    responses(
        (status = 201, body = AuthResponse),
        (status = 400, description = "Field errors, DRF shape"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    GrooyaJson { body, .. }: GrooyaJson<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<AuthResponse>)> {
    let new_user = validate_registration(body)?;
    state.auth_limiter.check(ip, Some(&new_user.email)).await?;
    let user = service::create_user(&state.db, new_user)
        .await
        .map_err(registration_error)?;
    let pair = state.tokens.issue_pair(user.id)?;
    let body = AuthResponse {
        access: pair.access,
        refresh: pair.refresh,
        user: GrooyaUser::load(&state, user).await?,
    };
    Ok((StatusCode::CREATED, Json(body)))
}

/// Log in with a username or email; answers tokens and the user.
#[utoipa::path(post, path = "/api/auth/login", tag = "accounts", request_body = LoginRequest,
    responses(
        (status = 200, body = AuthResponse),
        (status = 400, description = "`{\"non_field_errors\": [\"Unable to log in with provided credentials.\"]}`"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<LoginRequest>,
) -> ApiResult<Json<AuthResponse>> {
    let identifier = body
        .username
        .as_deref()
        .or(body.email.as_deref())
        .map(str::trim);
    let Some(identifier) = identifier.filter(|id| !id.is_empty()) else {
        return Err(ApiError::non_field(
            "Must include \"username\" and \"password\".",
        ));
    };
    let Some(password) = body.password.as_deref().filter(|p| !p.is_empty()) else {
        return Err(ApiError::field("password", FIELD_REQUIRED));
    };
    let login = LoginId::EmailOrUsername(identifier);
    let user = service::authenticate(&state, ip, login, password)
        .await?
        .ok_or_else(|| ApiError::non_field("Unable to log in with provided credentials."))?;
    let pair = state.tokens.issue_pair(user.id)?;
    Ok(Json(AuthResponse {
        access: pair.access,
        refresh: pair.refresh,
        user: GrooyaUser::load(&state, user).await?,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DetailResponse {
    pub detail: String,
}

/// Log out: the refresh token stops working (access tokens expire on their own).
#[utoipa::path(post, path = "/api/auth/logout", tag = "accounts", request_body = RefreshRequest,
    responses(
        (status = 200, body = DetailResponse),
        (status = 401, description = "Missing, invalid or already used refresh token"),
    ))]
pub async fn logout(
    State(state): State<AppState>,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<Json<DetailResponse>> {
    let Some(token) = body.refresh.filter(|t| !t.trim().is_empty()) else {
        return Err(ApiError::Unauthorized(
            "Refresh token was not included in request data.".into(),
        ));
    };
    service::revoke_refresh_token(&state, &token).await?;
    Ok(Json(DetailResponse {
        detail: "Successfully logged out.".into(),
    }))
}

/// Grooya refresh: the same rotation as `/api/token/refresh/`.
#[utoipa::path(post, path = "/api/auth/token/refresh", tag = "accounts", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenPairResponse),
        (status = 401, description = "`{\"detail\": \"Token is invalid or expired\", \"code\": \"token_not_valid\"}`"),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<Json<TokenPairResponse>> {
    simplejwt::refresh(&state, ip, body).await
}

/// The current user with Grooya's fields.
#[utoipa::path(get, path = "/api/auth/user", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = GrooyaUser), (status = 401, description = "Missing or invalid token")))]
pub async fn get_user(
    State(state): State<AppState>,
    auth: AuthUser,
) -> ApiResult<Json<GrooyaUser>> {
    let account = service::load_account(&state, auth.id).await?;
    Ok(Json(GrooyaUser::load(&state, account.user.clone()).await?))
}

/// Update the current user (`PUT` and `PATCH` are both partial). Email, tier and credits are
/// read-only here.
#[utoipa::path(method(put, patch), path = "/api/auth/user", tag = "accounts",
    security(("bearer" = [])), request_body = UpdateUserRequest,
    responses((status = 200, body = GrooyaUser), (status = 400, description = "Field errors, DRF shape")))]
pub async fn update_user(
    State(state): State<AppState>,
    auth: AuthUser,
    GrooyaJson { body, .. }: GrooyaJson<UpdateUserRequest>,
) -> ApiResult<Json<GrooyaUser>> {
    validate_update(&body)?;
    let user = service::current_user(&state.db, auth.id).await?;
    if let Some(username) = &body.username
        && *username != user.username
        && service::username_exists(state.db.reader(), username).await?
    {
        return Err(ApiError::field(
            "username",
            "A user with that username already exists.",
        ));
    }
    // `name` is the frontend's own field: sent with the whole user, it is newer than the
    // `first_name`/`last_name` our last answer carried.
    let from_name = body.name.as_deref().map(Names::from_full_name);
    let first_name = from_name
        .as_ref()
        .map(|n| n.first_name.clone())
        .or_else(|| body.first_name.clone())
        .unwrap_or_else(|| user.first_name.clone());
    let last_name = from_name
        .as_ref()
        .map(|n| n.last_name.clone())
        .or_else(|| body.last_name.clone())
        .unwrap_or_else(|| user.last_name.clone());
    let mut active: user::ActiveModel = user.into();
    if body.first_name.is_some() || body.last_name.is_some() || from_name.is_some() {
        let names = Names::from_parts(&first_name, &last_name);
        active.first_name = Set(names.first_name);
        active.last_name = Set(names.last_name);
        active.full_name = Set(names.full_name);
        active.name_key = Set(names.name_key);
    }
    if let Some(username) = body.username {
        active.username = Set(username);
    }
    if let Some(title) = body.title {
        active.title = Set(title);
    }
    if let Some(bio) = body.bio {
        active.bio = Set(bio);
    }
    if let Some(avatar_url) = body.avatar_url {
        active.avatar_url = Set(avatar_url.filter(|url| !url.is_empty()));
    }
    active.updated_at = Set(db::now());
    let updated = active.update(state.db.writer()).await.map_err(|err| {
        if db::is_unique_violation(&err) {
            ApiError::field("username", "A user with that username already exists.")
        } else {
            err.into()
        }
    })?;
    state.accounts.forget(updated.id);
    state.public_pages.forget_owner(updated.id);
    Ok(Json(GrooyaUser::load(&state, updated).await?))
}

fn validate_update(body: &UpdateUserRequest) -> ApiResult<()> {
    let mut errors = FieldErrors::default();
    if let Some(username) = &body.username
        && !is_valid_username(username)
    {
        errors.add(
            "username",
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
        );
    }
    for (field, value, max) in [
        ("name", &body.name, 2 * MAX_NAME_CHARS),
        ("first_name", &body.first_name, MAX_NAME_CHARS),
        ("last_name", &body.last_name, MAX_NAME_CHARS),
        ("title", &body.title, MAX_TITLE_CHARS),
        ("bio", &body.bio, MAX_BIO_CHARS),
    ] {
        if let Some(value) = value {
            check_max_chars(&mut errors, field, value, max);
        }
    }
    if let Some(Some(url)) = &body.avatar_url
        && !url.is_empty()
    {
        check_max_chars(&mut errors, "avatar_url", url, MAX_URL_CHARS);
        if !is_web_url(url) {
            errors.add("avatar_url", "Enter a valid URL.");
        }
    }
    errors.into_result()
}
