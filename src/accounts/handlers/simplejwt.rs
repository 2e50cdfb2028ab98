//! The djangorestframework-simplejwt routes every product's clients can use (JobTracker's only
//! login): `/api/token/`, `/api/token/refresh/`, `/api/token/verify/`.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{FieldErrors, RefreshRequest, TokenPairResponse, required_pair, required_refresh};
use crate::accounts::service::{self, LoginId};
use crate::accounts::tokens::TokenType;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, Json};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenObtainRequest {
    /// A username or an email address.
    pub username: Option<String>,
    /// Accepted in place of `username`.
    pub email: Option<String>,
    pub password: Option<String>,
}

/// Log in with a username or email and a password; answers an access and a refresh token.
#[utoipa::path(post, path = "/api/token", tag = "accounts", request_body = TokenObtainRequest,
    responses(
        (status = 200, body = TokenPairResponse),
        (status = 400, description = "`{\"username\": [\"This field is required.\"]}`"),
        (status = 401, description = "`{\"detail\": \"No active account found with the given credentials\"}`"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn obtain_token_pair(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<TokenObtainRequest>,
) -> ApiResult<Json<TokenPairResponse>> {
    let (identifier, password) = required_pair(
        (
            "username",
            body.username.as_deref().or(body.email.as_deref()),
        ),
        ("password", body.password.as_deref()),
    )?;
    let login = LoginId::EmailOrUsername(identifier);
    let user = service::authenticate(&state, ip, login, password)
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized("No active account found with the given credentials".into())
        })?;
    Ok(Json(state.tokens.issue_pair(user.id)?.into()))
}

/// Trade a refresh token for a new pair; the refresh token stays usable until it expires (or
/// its user logs out).
#[utoipa::path(post, path = "/api/token/refresh", tag = "accounts", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenPairResponse),
        (status = 400, description = "`{\"refresh\": [\"This field is required.\"]}`"),
        (status = 401, description = "`{\"detail\": \"Token is invalid or expired\", \"code\": \"token_not_valid\"}`"),
    ))]
pub async fn refresh_token_pair(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<Json<TokenPairResponse>> {
    refresh(&state, ip, body).await
}

/// The refresh behaviour all products share (Breneo's and Grooya's refresh routes call it).
pub async fn refresh(
    state: &AppState,
    ip: std::net::IpAddr,
    body: RefreshRequest,
) -> ApiResult<Json<TokenPairResponse>> {
    let token = required_refresh(body)?;
    Ok(Json(
        service::refresh_token_pair(state, ip, &token).await?.into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyRequest {
    pub token: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Empty {}

/// Check that a token (access or refresh) is valid; answers `{}`.
#[utoipa::path(post, path = "/api/token/verify", tag = "accounts", request_body = VerifyRequest,
    responses(
        (status = 200, body = Empty),
        (status = 401, description = "`{\"detail\": \"Token is invalid or expired\", \"code\": \"token_not_valid\"}`"),
    ))]
pub async fn verify_token(
    State(state): State<AppState>,
    Json(body): Json<VerifyRequest>,
) -> ApiResult<Json<Empty>> {
    let mut errors = FieldErrors::default();
    let token = errors.required("token", body.token.as_deref());
    errors.into_result()?;
    let token = token.unwrap_or_default();
    let valid = state.tokens.verify(token, TokenType::Access).is_ok()
        || state.tokens.verify(token, TokenType::Refresh).is_ok();
    if valid {
        Ok(Json(Empty {}))
    } else {
        Err(ApiError::TokenInvalid)
    }
}
