//! Breneo's login (`/api/login/`, by email in any case or by "First Last") and refresh
//! (`/api/refresh/`).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{RefreshRequest, TokenPairResponse, required_pair};
use crate::accounts::service::{self, LoginId};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, Json};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct BreneoLoginRequest {
    /// An email address (any case) or the full name "First Last".
    pub username: Option<String>,
    /// Accepted in place of `username`.
    pub email: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreneoLoginResponse {
    pub access: String,
    pub refresh: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone_number: Option<String>,
    pub profile_image: Option<String>,
    /// Always `user`.
    pub user_type: &'static str,
}

/// Breneo login.
#[utoipa::path(post, path = "/api/login", tag = "accounts", request_body = BreneoLoginRequest,
    responses(
        (status = 200, body = BreneoLoginResponse),
        (status = 400, description = "Missing fields, DRF shape"),
        (status = 401, description = "`{\"detail\": \"Invalid email/full name or password.\"}`"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<BreneoLoginRequest>,
) -> ApiResult<Json<BreneoLoginResponse>> {
    let (identifier, password) = required_pair(
        (
            "username",
            body.username.as_deref().or(body.email.as_deref()),
        ),
        ("password", body.password.as_deref()),
    )?;
    let login = LoginId::EmailOrFullName(identifier);
    let user = service::authenticate(&state, ip, login, password)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Invalid email/full name or password.".into()))?;
    let pair = state.tokens.issue_pair(user.id)?;
    let profile_image = user.photo_url(&state.storage);
    Ok(Json(BreneoLoginResponse {
        access: pair.access,
        refresh: pair.refresh,
        first_name: user.first_name,
        last_name: user.last_name,
        email: user.email,
        phone_number: user.phone_number,
        profile_image,
        user_type: "user",
    }))
}

/// Breneo refresh: the same rotation as `/api/token/refresh/`.
#[utoipa::path(post, path = "/api/refresh", tag = "accounts", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenPairResponse),
        (status = 401, description = "`{\"detail\": \"Token is invalid or expired\", \"code\": \"token_not_valid\"}`"),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<Json<TokenPairResponse>> {
    super::simplejwt::refresh(&state, ip, body).await
}
