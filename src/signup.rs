//! `POST /api/register/`, which two products share: with an account kind (`account_type` or
//! `role`: `talent`, `background`) it is Gan7Club's sign-up (`talent::auth`); without one it is
//! Breneo's two-step sign-up by emailed code (`accounts::handlers::email_codes`). The decision
//! is what each frontend sends: Gan7Club's page always sends both keys, Breneo's neither.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::accounts::handlers::email_codes::{self, CodeSignupRequest};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientIp, JsonValue};
use crate::state::AppState;
use crate::talent::auth;

/// Whether a sign-up body names an account kind.
fn names_a_kind(body: &Value) -> bool {
    ["account_type", "role"].iter().any(|key| {
        body.get(*key)
            .and_then(Value::as_str)
            .is_some_and(|kind| !kind.trim().is_empty())
    })
}

/// Sign up: Gan7Club's when the body names an account kind, Breneo's (a code by email) when not.
#[utoipa::path(post, path = "/api/register", tag = "accounts",
    request_body(content = Object, description = "Gan7Club: `first_name, last_name, email, password, gender, date_of_birth, country, residency, account_type|role`. Breneo: `first_name, last_name, email, phone_number, password` (no kind)"),
    responses(
        (status = 201, description = "Gan7Club: `{success, message, access, refresh, id, …}`. Breneo: `{message, email}`; the account is made by `/api/verify-code/`"),
        (status = 400, description = "Field errors (Gan7Club: also under `errors` with a `message`; Breneo: with a `detail`)"),
        (status = 429, description = "Too many attempts"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonValue(body): JsonValue,
) -> ApiResult<Response> {
    if names_a_kind(&body) {
        return Ok(auth::register(&state, ip, body).await?.into_response());
    }
    let breneo: CodeSignupRequest = serde_json::from_value(body)
        .map_err(|err| ApiError::BadRequest(format!("JSON parse error - {err}")))?;
    Ok(email_codes::register_with_code(&state, ip, breneo)
        .await?
        .into_response())
}
