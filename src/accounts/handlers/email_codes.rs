//! The routes that work by emailed codes (`accounts::codes`): Breneo's two-step sign-up
//! (`POST /api/register/` without an account kind keeps a pending registration and emails a
//! code; `POST /api/verify-code/` makes the account), Gan7Club's email verification through the
//! same `/api/verify-code/` and `/api/resend-code/`, and Breneo's password reset
//! (`/password-reset/request|verify|set-new/`). Every route spends the login rate limits, and
//! none says whether an address has an account unless it has to (sign-up's "already exists").

use axum::http::StatusCode;
use sea_orm::{ActiveModelTrait, Set};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::django_password_problems;
use crate::accounts::codes::{self, Purpose};
use crate::accounts::passwords;
use crate::accounts::service::{self, CreateUserError, NewUser};
use crate::accounts::user;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, Json};
use crate::state::AppState;
use crate::validate::{FieldErrors, check_max_chars, is_phone_number};
use axum::extract::State;

const MAX_NAME_CHARS: usize = 150;
const BAD_CODE: &str = "Invalid or expired code.";
const EXISTS: &str = "A user with this email already exists.";
const VERIFIED: &str = "Email verified successfully.";
const RESENT: &str = "If this address is waiting for a code, a new one is on its way.";
const RESET_SENT: &str = "If an account exists for this email, we sent a code to it.";

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeSignupRequest {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EmailCodeRequest {
    pub email: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetPasswordRequest {
    pub email: Option<String>,
    pub code: Option<String>,
    pub new_password: Option<String>,
    pub confirm_password: Option<String>,
}

/// Field errors with a `detail` naming the first, which is all Breneo's sign-up page shows.
fn with_detail(errors: FieldErrors) -> ApiError {
    match errors.into_error() {
        ApiError::Fields(fields) => {
            let detail = fields
                .iter()
                .next()
                .and_then(|(field, messages)| messages.first().map(|m| format!("{field}: {m}")))
                .unwrap_or_default();
            let mut body = serde_json::to_value(&fields).unwrap_or_else(|_| json!({}));
            body["detail"] = json!(detail);
            ApiError::Custom(StatusCode::BAD_REQUEST, body)
        }
        other => other,
    }
}

/// Breneo's sign-up: checks the form, keeps it (the password hashed) with a fresh code, and
/// emails the code. Sending the form again for a pending address sends a new code (the app has
/// no "resend" button). An address with an account answers 400.
pub async fn register_with_code(
    state: &AppState,
    ip: std::net::IpAddr,
    body: CodeSignupRequest,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut errors = FieldErrors::default();
    let email = errors
        .required("email", body.email.as_deref())
        .map(service::normalize_email);
    if let Some(email) = &email
        && !service::is_valid_email(email)
    {
        errors.add("email", "Enter a valid email address.");
    }
    let password = errors.required("password", body.password.as_deref());
    for problem in password.map(django_password_problems).unwrap_or_default() {
        errors.add("password", problem);
    }
    let first_name = body.first_name.unwrap_or_default().trim().to_owned();
    let last_name = body.last_name.unwrap_or_default().trim().to_owned();
    for (field, value) in [("first_name", &first_name), ("last_name", &last_name)] {
        check_max_chars(&mut errors, field, value, MAX_NAME_CHARS);
    }
    let phone = body
        .phone_number
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if let Some(phone) = &phone
        && !is_phone_number(phone)
    {
        errors.add("phone_number", "Enter a valid phone number.");
    }
    if !errors.is_empty() {
        return Err(with_detail(errors));
    }
    let (email, password) = (email.unwrap_or_default(), password.unwrap_or_default());
    state.auth_limiter.check(ip, Some(&email)).await?;
    if service::email_exists(state.db.reader(), &email).await? {
        let mut errors = FieldErrors::default();
        errors.add("email", EXISTS);
        return Err(with_detail(errors));
    }
    let pending = json!({
        "first_name": first_name, "last_name": last_name, "phone_number": phone,
        "password_hash": passwords::hash(password.to_owned()).await?,
    });
    let now = state.clock.now_utc();
    let secret = &state.config.jwt_secret;
    db::in_transaction(state.db.writer(), async |txn| {
        codes::send(txn, secret, &email, Purpose::Signup, Some(pending), now).await
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"message": format!("We sent a 6-digit code to {email}."), "email": email})),
    ))
}

fn bad_code() -> ApiError {
    ApiError::Custom(
        StatusCode::BAD_REQUEST,
        json!({"success": false, "message": BAD_CODE, "detail": BAD_CODE, "error": BAD_CODE}),
    )
}

fn email_and_code(body: &EmailCodeRequest) -> ApiResult<(String, String)> {
    let mut errors = FieldErrors::default();
    let email = errors.required("email", body.email.as_deref());
    let code = errors.required("code", body.code.as_deref());
    errors.into_result()?;
    Ok((
        service::normalize_email(email.unwrap_or_default()),
        code.unwrap_or_default().trim().to_owned(),
    ))
}

/// Finish a sign-up (Breneo) or verify an account's email (Gan7Club) with the emailed code.
#[utoipa::path(post, path = "/api/verify-code", tag = "accounts", request_body = EmailCodeRequest,
    responses(
        (status = 200, description = "`{\"success\": true, \"message\": \"Email verified successfully.\", \"email_verified\": true}`"),
        (status = 400, description = "`{\"success\": false, \"message\": \"Invalid or expired code.\", …}`, or the address has an account already"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn verify_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<EmailCodeRequest>,
) -> ApiResult<Json<Value>> {
    let (email, code) = email_and_code(&body)?;
    state.auth_limiter.check(ip, Some(&email)).await?;
    let now = state.clock.now_utc();
    let secret = &state.config.jwt_secret;
    let db = &state.db;
    if codes::live(db.reader(), &email, Purpose::Signup, now)
        .await?
        .is_some()
    {
        let pending = codes::check(
            db.writer(),
            secret,
            &email,
            Purpose::Signup,
            &code,
            true,
            now,
        )
        .await?
        .map_err(|_| bad_code())?;
        create_pending_account(&state, &email, pending.payload.unwrap_or_default()).await?;
    } else {
        codes::check(
            db.writer(),
            secret,
            &email,
            Purpose::VerifyEmail,
            &code,
            true,
            now,
        )
        .await?
        .map_err(|_| bad_code())?;
        let Some(account) = service::find_by_email(db.reader(), &email).await? else {
            return Err(bad_code());
        };
        let mut row: user::ActiveModel = account.into();
        row.email_verified = Set(true);
        let updated = row.update(db.writer()).await?;
        state.accounts.forget(updated.id);
    }
    Ok(Json(
        json!({"success": true, "message": VERIFIED, "email_verified": true}),
    ))
}

/// The account a finished sign-up makes: active, its email verified.
async fn create_pending_account(state: &AppState, email: &str, pending: Value) -> ApiResult<()> {
    let text = |key: &str| pending.get(key).and_then(Value::as_str).map(str::to_owned);
    let new_user = NewUser {
        email: email.to_owned(),
        first_name: text("first_name").unwrap_or_default(),
        last_name: text("last_name").unwrap_or_default(),
        phone_number: text("phone_number"),
        password_hash: text("password_hash"),
        email_verified: true,
        ..NewUser::default()
    };
    match service::create_user(&state.db, new_user).await {
        Ok(_) => Ok(()),
        // Registered meanwhile through another product: Breneo's page logs in on this text.
        Err(CreateUserError::EmailTaken | CreateUserError::UsernameTaken) => Err(ApiError::Custom(
            StatusCode::BAD_REQUEST,
            json!({"detail": "user with this email already exists.", "success": false}),
        )),
        Err(CreateUserError::Other(err)) => Err(ApiError::Internal(err)),
    }
}

/// Send a new code: for a pending sign-up (also one whose code expired or was guessed at too
/// often, for a day), or to verify an account's email. The answer is the same whether or not a
/// code went out.
#[utoipa::path(post, path = "/api/resend-code", tag = "accounts", request_body = EmailCodeRequest,
    responses((status = 200, description = "`{\"success\": true, \"message\": …}`"),
        (status = 429, description = "Too many attempts")))]
pub async fn resend_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<EmailCodeRequest>,
) -> ApiResult<Json<Value>> {
    let mut errors = FieldErrors::default();
    let email = errors.required("email", body.email.as_deref());
    errors.into_result()?;
    let email = service::normalize_email(email.unwrap_or_default());
    state.auth_limiter.check(ip, Some(&email)).await?;
    let now = state.clock.now_utc();
    let secret = &state.config.jwt_secret;
    let db = &state.db;
    let pending = codes::resendable(db.reader(), &email, Purpose::Signup, now).await?;
    let account = service::find_by_email(db.reader(), &email).await?;
    db::in_transaction(db.writer(), async |txn| match (pending, account) {
        (Some(pending), _) => {
            codes::send(txn, secret, &email, Purpose::Signup, pending.payload, now).await
        }
        (None, Some(account)) if account.is_active && !account.email_verified => {
            codes::send(txn, secret, &email, Purpose::VerifyEmail, None, now).await
        }
        _ => Ok(()),
    })
    .await?;
    Ok(Json(json!({"success": true, "message": RESENT})))
}

/// Password reset, step 1: a code to the address, if it has an account (the answer does not say).
#[utoipa::path(post, path = "/password-reset/request", tag = "accounts", request_body = EmailCodeRequest,
    responses((status = 200, description = "`{\"message\": …}`"), (status = 400, description = "`{\"error\": …}`")))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<EmailCodeRequest>,
) -> ApiResult<Json<Value>> {
    let Some(email) = body
        .email
        .as_deref()
        .map(service::normalize_email)
        .filter(|e| !e.is_empty())
    else {
        return Err(reset_error("Enter your email address."));
    };
    state.auth_limiter.check(ip, Some(&email)).await?;
    if let Some(account) = service::find_by_email(state.db.reader(), &email).await?
        && account.is_active
    {
        let now = state.clock.now_utc();
        let secret = &state.config.jwt_secret;
        db::in_transaction(state.db.writer(), async |txn| {
            codes::send(txn, secret, &email, Purpose::PasswordReset, None, now).await
        })
        .await?;
    }
    Ok(Json(json!({"message": RESET_SENT})))
}

/// Breneo's reset pages read only `error`.
fn reset_error(message: &str) -> ApiError {
    ApiError::Custom(StatusCode::BAD_REQUEST, json!({"error": message}))
}

/// Password reset, step 2: the code is right (it stays usable for step 3, which sends it again).
#[utoipa::path(post, path = "/password-reset/verify", tag = "accounts", request_body = EmailCodeRequest,
    responses((status = 200, description = "`{\"message\": \"Code verified.\"}`"), (status = 400, description = "`{\"error\": \"Invalid or expired code.\"}`")))]
pub async fn verify_password_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<EmailCodeRequest>,
) -> ApiResult<Json<Value>> {
    let (email, code) = email_and_code(&body).map_err(|_| reset_error(BAD_CODE))?;
    state.auth_limiter.check(ip, Some(&email)).await?;
    let now = state.clock.now_utc();
    let secret = &state.config.jwt_secret;
    codes::check(
        state.db.writer(),
        secret,
        &email,
        Purpose::PasswordReset,
        &code,
        false,
        now,
    )
    .await?
    .map_err(|_| reset_error(BAD_CODE))?;
    Ok(Json(json!({"message": "Code verified."})))
}

/// Password reset, step 3: the code again and the new password, which replaces the old one.
#[utoipa::path(post, path = "/password-reset/set-new", tag = "accounts", request_body = SetPasswordRequest,
    responses((status = 200, description = "`{\"message\": …}`"), (status = 400, description = "`{\"error\": …}`")))]
pub async fn set_new_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<SetPasswordRequest>,
) -> ApiResult<Json<Value>> {
    let codes_body = EmailCodeRequest {
        email: body.email.clone(),
        code: body.code.clone(),
    };
    let (email, code) = email_and_code(&codes_body).map_err(|_| reset_error(BAD_CODE))?;
    let password = body.new_password.unwrap_or_default();
    if Some(&password) != body.confirm_password.as_ref() {
        return Err(reset_error("The two passwords do not match."));
    }
    if let Some(problem) = django_password_problems(&password).into_iter().next() {
        return Err(reset_error(&problem));
    }
    state.auth_limiter.check(ip, Some(&email)).await?;
    let now = state.clock.now_utc();
    let secret = &state.config.jwt_secret;
    let db = &state.db;
    codes::check(
        db.writer(),
        secret,
        &email,
        Purpose::PasswordReset,
        &code,
        true,
        now,
    )
    .await?
    .map_err(|_| reset_error(BAD_CODE))?;
    let Some(account) = service::find_by_email(db.reader(), &email).await? else {
        return Err(reset_error(BAD_CODE));
    };
    let mut row: user::ActiveModel = account.into();
    row.password = Set(passwords::hash(password).await?);
    row.updated_at = Set(db::now());
    let updated = row.update(db.writer()).await?;
    state.accounts.forget(updated.id);
    Ok(Json(
        json!({"message": "Your password has been reset. You can log in now."}),
    ))
}
