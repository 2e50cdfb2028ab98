//! Gan7Club's logins, one per account kind: `/api/login/background/` and `/api/login/talent/`.
//! A wrong password and a wrong kind get the same 403, so neither reveals which accounts exist.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::grooya::{RegisterRequest, registration_error, validate_registration};
use super::required_pair;
use crate::accounts::service::{self, LoginId};
use crate::accounts::user::AccountKind;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, Json};
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct Gan7LoginRequest {
    pub email: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Gan7LoginResponse {
    pub refresh: String,
    pub access: String,
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub is_talent: bool,
    pub is_background: bool,
    pub is_staff: bool,
    pub email_verified: bool,
}

impl Gan7LoginResponse {
    fn new(user: crate::accounts::user::Model, pair: crate::accounts::tokens::TokenPair) -> Self {
        Gan7LoginResponse {
            refresh: pair.refresh,
            access: pair.access,
            id: user.id,
            is_talent: user.is_talent(),
            is_background: user.is_background(),
            email: user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            is_staff: user.is_staff,
            email_verified: user.email_verified,
        }
    }
}

/// Login for background accounts.
#[utoipa::path(post, path = "/api/login/background", tag = "accounts", request_body = Gan7LoginRequest,
    responses(
        (status = 200, body = Gan7LoginResponse),
        (status = 403, description = "`{\"message\": \"This account is not registered as Background\"}`"),
    ))]
pub async fn login_background(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<Gan7LoginRequest>,
) -> ApiResult<Json<Gan7LoginResponse>> {
    login_as(&state, ip, body, AccountKind::Background, "Background").await
}

/// Login for talent accounts.
#[utoipa::path(post, path = "/api/login/talent", tag = "accounts", request_body = Gan7LoginRequest,
    responses(
        (status = 200, body = Gan7LoginResponse),
        (status = 403, description = "`{\"message\": \"This account is not registered as Talent\"}`"),
    ))]
pub async fn login_talent(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<Gan7LoginRequest>,
) -> ApiResult<Json<Gan7LoginResponse>> {
    login_as(&state, ip, body, AccountKind::Talent, "Talent").await
}

/// Create a talent or background account (`account_type` is required here); answers tokens and
/// the account like a login, and the profile exists from the start.
#[utoipa::path(post, path = "/api/register", tag = "accounts", request_body = RegisterRequest,
    responses(
        (status = 201, body = Gan7LoginResponse),
        (status = 400, description = "Field errors, DRF shape"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<Gan7LoginResponse>)> {
    let sent_kind = body.account_type.clone().unwrap_or_default();
    let new_user = validate_registration(body);
    let kind_error = match AccountKind::parse(&sent_kind) {
        Some(AccountKind::Talent | AccountKind::Background) => None,
        _ if sent_kind.trim().is_empty() => Some(crate::error::FIELD_REQUIRED.to_owned()),
        _ => Some(format!("\"{}\" is not a valid choice.", sent_kind.trim())),
    };
    let new_user = match (new_user, kind_error) {
        (Ok(new_user), None) => new_user,
        (Ok(_), Some(message)) => return Err(ApiError::field("account_type", message)),
        (Err(ApiError::Fields(mut fields)), Some(message)) => {
            fields.insert("account_type".into(), vec![message]);
            return Err(ApiError::Fields(fields));
        }
        (Err(err), _) => return Err(err),
    };
    state.auth_limiter.check(ip, Some(&new_user.email))?;
    let user = service::create_user(&state.db, new_user)
        .await
        .map_err(registration_error)?;
    let pair = state.tokens.issue_pair(user.id)?;
    Ok((
        StatusCode::CREATED,
        Json(Gan7LoginResponse::new(user, pair)),
    ))
}

async fn login_as(
    state: &AppState,
    ip: std::net::IpAddr,
    body: Gan7LoginRequest,
    kind: AccountKind,
    kind_label: &str,
) -> ApiResult<Json<Gan7LoginResponse>> {
    let (email, password) = required_pair(
        ("email", body.email.as_deref()),
        ("password", body.password.as_deref()),
    )?;
    let login = LoginId::Email(email);
    let refused = || {
        ApiError::Custom(
            StatusCode::FORBIDDEN,
            json!({ "message": format!("This account is not registered as {kind_label}") }),
        )
    };
    let user = service::authenticate(state, ip, login, password)
        .await?
        .ok_or_else(refused)?;
    if user.account_kind != kind {
        return Err(refused());
    }
    let pair = state.tokens.issue_pair(user.id)?;
    Ok(Json(Gan7LoginResponse::new(user, pair)))
}
