//! Gan7Club's sign-up and logins: `POST /api/register/` with an account kind, and
//! `/api/login/background/`, `/api/login/talent/`. The sign-up page counts a registration as
//! done only when the answer says `"success": true`, and stores the signup's gender, date of
//! birth, country and residency on the new profile, which exists from the start. A wrong password
//! or an unknown email answers 401 (the page maps it to "invalid credentials"); the right
//! password for an account of the other kind answers 403.

use axum::extract::State;
use axum::http::StatusCode;
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::fields::{Change, ProfileFields};
use super::profile;
use crate::accounts::codes::{self, Purpose};
use crate::accounts::handlers::required_pair;
use crate::accounts::registration::{RegisterRequest, registration_error, validate_registration};
use crate::accounts::service::{self, LoginId};
use crate::accounts::user::{self, AccountKind};
use crate::error::{ApiError, ApiResult, FIELD_REQUIRED};
use crate::extract::{ClientIp, Json};
use crate::state::AppState;
use crate::validate::FieldErrors;

const BAD_CREDENTIALS: &str = "Invalid email or password.";
const REGISTERED: &str = "Registration successful. Please check your email to verify your account.";

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
    fn new(user: user::Model, pair: crate::accounts::tokens::TokenPair) -> Self {
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

/// What the sign-up answers: `success` and `message` for the page, and the tokens a login
/// would give.
#[derive(Debug, Serialize, ToSchema)]
pub struct Gan7RegisterResponse {
    pub success: bool,
    pub message: String,
    #[serde(flatten)]
    pub account: Gan7LoginResponse,
}

/// Login for background accounts.
#[utoipa::path(post, path = "/api/login/background", tag = "accounts", request_body = Gan7LoginRequest,
    responses(
        (status = 200, body = Gan7LoginResponse),
        (status = 401, description = "`{\"message\": \"Invalid email or password.\", \"detail\": …}`"),
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
        (status = 401, description = "`{\"message\": \"Invalid email or password.\", \"detail\": …}`"),
        (status = 403, description = "`{\"message\": \"This account is not registered as Talent\"}`"),
    ))]
pub async fn login_talent(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<Gan7LoginRequest>,
) -> ApiResult<Json<Gan7LoginResponse>> {
    login_as(&state, ip, body, AccountKind::Talent, "Talent").await
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
    let user = service::authenticate(state, ip, LoginId::Email(email), password)
        .await?
        .ok_or_else(|| {
            ApiError::Custom(
                StatusCode::UNAUTHORIZED,
                json!({"message": BAD_CREDENTIALS,
                    "detail": "No active account found with the given credentials"}),
            )
        })?;
    if user.account_kind != kind {
        return Err(ApiError::Custom(
            StatusCode::FORBIDDEN,
            json!({ "message": format!("This account is not registered as {kind_label}") }),
        ));
    }
    let pair = state.tokens.issue_pair(user.id)?;
    Ok(Json(Gan7LoginResponse::new(user, pair)))
}

/// Create a talent or background account (`POST /api/register/` with `account_type` or
/// `role`; `signup` decides) with the signup's profile fields, and email a code that verifies
/// the address; answers `success`, a message, and tokens like a login. The page's helper keys
/// (`birth_month`, `birth_day`, `birth_year`) are the date of birth again and are not read.
pub async fn register(
    state: &AppState,
    ip: std::net::IpAddr,
    body: Value,
) -> ApiResult<(StatusCode, Json<Gan7RegisterResponse>)> {
    let account = match validate(&body) {
        Ok(account) => account,
        Err(err) => return Err(for_the_signup_page(err)),
    };
    let (new_user, fields) = account;
    state.auth_limiter.check(ip, Some(&new_user.email)).await?;
    let (secret, now) = (&state.config.jwt_secret, state.clock.now_utc());
    let user = service::create_user_then(&state.db, new_user, async |txn, user| {
        profile::insert(txn, profile_row(&fields), user.id).await?;
        codes::send(txn, secret, &user.email, Purpose::VerifyEmail, None, now).await?;
        super::handlers::update_account(txn, user, &fields)
            .await
            .map_err(|err| sea_orm::DbErr::Custom(err.to_string()))
    })
    .await
    .map_err(|err| for_the_signup_page(registration_error(err)))?;
    let pair = state.tokens.issue_pair(user.id)?;
    Ok((
        StatusCode::CREATED,
        Json(Gan7RegisterResponse {
            success: true,
            message: REGISTERED.into(),
            account: Gan7LoginResponse::new(user, pair),
        }),
    ))
}

/// The account and profile fields of a sign-up, or every problem with them.
fn validate(body: &Value) -> ApiResult<(service::NewUser, ProfileFields)> {
    let request: RegisterRequest = serde_json::from_value(body.clone())
        .map_err(|err| ApiError::BadRequest(format!("JSON parse error - {err}")))?;
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::trim);
    let sent_kind = text("account_type").or(text("role")).unwrap_or_default();
    let mut errors = FieldErrors::default();
    match AccountKind::parse(sent_kind) {
        Some(AccountKind::Talent | AccountKind::Background) => {}
        _ if sent_kind.is_empty() => errors.add("account_type", FIELD_REQUIRED),
        _ => errors.add(
            "account_type",
            format!("\"{sent_kind}\" is not a valid choice."),
        ),
    }
    let fields = ProfileFields::read(body, &mut errors);
    let request = RegisterRequest {
        account_type: Some(sent_kind.to_owned()),
        ..request
    };
    match (validate_registration(request), errors.is_empty()) {
        (Ok(new_user), true) => Ok((new_user, fields)),
        (Ok(_), false) => Err(errors.into_error()),
        (Err(ApiError::Fields(account)), _) => {
            let mut all = match errors.into_error() {
                ApiError::Fields(profile) => profile,
                _ => Default::default(),
            };
            all.extend(account);
            Err(ApiError::Fields(all))
        }
        (Err(other), _) => Err(other),
    }
}

/// The profile a sign-up starts with.
fn profile_row(fields: &ProfileFields) -> profile::ActiveModel {
    let mut row = <profile::ActiveModel as Default>::default();
    if let Change::Set(country) = &fields.country {
        row.country = Set(country.clone());
    }
    if let Change::Set(residency) = &fields.residency {
        row.residency = Set(residency.clone());
    }
    if let Change::Set(gender) = &fields.gender {
        row.gender = Set(gender.clone());
    }
    if let Change::Set(date) = fields.date_of_birth {
        row.date_of_birth = Set(Some(date));
    }
    row
}

/// A refusal the sign-up page can show: it reads `errors` (field → messages) and `message`,
/// not DRF's top-level field lists, which stay for DRF clients.
fn for_the_signup_page(err: ApiError) -> ApiError {
    let ApiError::Fields(fields) = err else {
        return err;
    };
    let message = fields
        .iter()
        .next()
        .and_then(|(field, messages)| messages.first().map(|m| format!("{field}: {m}")))
        .unwrap_or_else(|| "Registration failed.".into());
    let mut body = serde_json::to_value(&fields).unwrap_or_else(|_| json!({}));
    body["errors"] = json!(fields);
    body["message"] = json!(message);
    body["success"] = json!(false);
    ApiError::Custom(StatusCode::BAD_REQUEST, body)
}
