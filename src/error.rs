//! `ApiError`: every error a handler can return, each rendering one of the bodies in
//! CONTRACTS.md (Django REST Framework shapes, plus the few product-specific ones).
//!
//! The exact message texts that more than one route shares live here, so a contract change is a
//! one-line edit.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// What a handler returns.
pub type ApiResult<T> = Result<T, ApiError>;

pub const NOT_AUTHENTICATED: &str = "Authentication credentials were not provided.";
pub const TOKEN_NOT_VALID: &str = "Given token not valid for any token type";
pub const TOKEN_INVALID_OR_EXPIRED: &str = "Token is invalid or expired";
pub const SERVER_ERROR: &str = "A server error occurred.";
pub const NOT_FOUND: &str = "Not found.";
pub const FIELD_REQUIRED: &str = "This field is required.";
pub const PERMISSION_DENIED: &str = "You do not have permission to perform this action.";
pub const DATABASE_FULL: &str = "The service cannot store changes right now (its disk is full). Nothing was changed; please retry later.";
pub const DATABASE_UNAVAILABLE: &str =
    "The service is temporarily unavailable (database unreachable). Please retry shortly.";

/// Every error response careerhub sends.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 `{"detail": msg}`.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400 `{"field": ["msg", …], …}` (DRF serializer errors).
    #[error("invalid fields: {0:?}")]
    Fields(BTreeMap<String, Vec<String>>),
    /// 401 `{"detail": "Authentication credentials were not provided."}`.
    #[error("not authenticated")]
    NotAuthenticated,
    /// 401, simplejwt's body for a bad access token on an authenticated route.
    #[error("access token not valid")]
    AccessTokenInvalid,
    /// 401 `{"detail": "Token is invalid or expired", "code": "token_not_valid"}` (refresh and verify).
    #[error("token not valid")]
    TokenInvalid,
    /// 401 `{"detail": msg}`: wrong credentials, in the message of the product asked.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 403 `{"detail": msg}`.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404 `{"detail": msg}`.
    #[error("not found: {0}")]
    NotFound(String),
    /// 405 `{"detail": "Method \"X\" not allowed."}`.
    #[error("method {0} not allowed")]
    MethodNotAllowed(String),
    /// 413 `{"detail": …}`.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 415 `{"detail": "Unsupported media type …"}`.
    #[error("unsupported media type {0}")]
    UnsupportedMediaType(String),
    /// 429 `{"detail": …}` with `Retry-After`.
    #[error("throttled for {0:?}")]
    Throttled(Duration),
    /// 503 `{"detail": msg}`: a dependency is down; nothing was changed.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Any status with a body fixed by a product's contract (for example Gan7Club's `{"message"}`).
    #[error("{0}: {1}")]
    Custom(StatusCode, Value),
    /// 500 with a generic body; the cause is logged once, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// 400 with one field's error: `{"<field>": ["<message>"]}`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Fields(BTreeMap::from([(field.to_owned(), vec![message.into()])]))
    }

    /// 400 `{"non_field_errors": ["<message>"]}`.
    pub fn non_field(message: impl Into<String>) -> Self {
        Self::field("non_field_errors", message)
    }

    /// 404 `{"detail": "No <Model> matches the given query."}`, the ownership answer.
    pub fn no_match(model: &str) -> Self {
        ApiError::NotFound(format!("No {model} matches the given query."))
    }

    /// 500 from any error, keeping it for the log.
    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(err.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::Fields(_) => StatusCode::BAD_REQUEST,
            ApiError::NotAuthenticated
            | ApiError::AccessTokenInvalid
            | ApiError::TokenInvalid
            | ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Custom(status, _) => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The JSON body, exactly as CONTRACTS.md writes it.
    pub fn body(&self) -> Value {
        match self {
            ApiError::BadRequest(msg)
            | ApiError::Unauthorized(msg)
            | ApiError::Forbidden(msg)
            | ApiError::NotFound(msg)
            | ApiError::Unavailable(msg) => json!({ "detail": msg }),
            ApiError::Fields(fields) => json!(fields),
            ApiError::NotAuthenticated => json!({ "detail": NOT_AUTHENTICATED }),
            ApiError::AccessTokenInvalid => json!({
                "detail": TOKEN_NOT_VALID,
                "code": "token_not_valid",
                "messages": [{
                    "token_class": "AccessToken",
                    "token_type": "access",
                    "message": TOKEN_INVALID_OR_EXPIRED,
                }],
            }),
            ApiError::TokenInvalid => {
                json!({ "detail": TOKEN_INVALID_OR_EXPIRED, "code": "token_not_valid" })
            }
            ApiError::MethodNotAllowed(method) => {
                json!({ "detail": format!("Method \"{method}\" not allowed.") })
            }
            ApiError::PayloadTooLarge => json!({ "detail": "Request body is too large." }),
            ApiError::UnsupportedMediaType(media) => {
                json!({ "detail": format!("Unsupported media type \"{media}\" in request.") })
            }
            ApiError::Throttled(wait) => json!({
                "detail": format!(
                    "Request was throttled. Expected available in {} seconds.",
                    retry_after_secs(*wait)
                )
            }),
            ApiError::Custom(_, body) => body.clone(),
            ApiError::Internal(_) => json!({ "detail": SERVER_ERROR }),
        }
    }
}

/// What every 503 tells a client to wait: a restarting database or a provider's hiccup is
/// usually over within seconds, and the database guard answers at once meanwhile.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

/// Whole seconds a client should wait, never 0 (a 0 would invite an immediate retry).
fn retry_after_secs(wait: Duration) -> u64 {
    let rounded_up = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    rounded_up.max(1)
}

/// Marks a response that found the database unreachable, so `http::database_guard` can tell
/// the database handle without every handler holding it.
#[derive(Clone, Copy, Debug)]
pub struct DatabaseUnreachable;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let status = self.status();
        let mut response = (status, axum::Json(self.body())).into_response();
        if matches!(&self, ApiError::Unavailable(msg) if msg == DATABASE_UNAVAILABLE) {
            response.extensions_mut().insert(DatabaseUnreachable);
        }
        let headers = response.headers_mut();
        match &self {
            ApiError::NotAuthenticated | ApiError::AccessTokenInvalid => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"api\""),
                );
            }
            ApiError::Throttled(wait) => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs(*wait)),
                );
            }
            ApiError::Unavailable(_) => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(UNAVAILABLE_RETRY_AFTER_SECS),
                );
            }
            _ => {}
        }
        response
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        if crate::db::is_connection_error(&err) {
            tracing::error!(error = %err, "database unreachable");
            ApiError::Unavailable(DATABASE_UNAVAILABLE.to_owned())
        } else if crate::db::is_disk_full(&err) {
            tracing::error!(error = %err, "database disk full");
            ApiError::Unavailable(DATABASE_FULL.to_owned())
        } else {
            ApiError::Internal(err.into())
        }
    }
}

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(err: sea_orm::TransactionError<ApiError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(api) => api,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(6)), 6);
        assert_eq!(retry_after_secs(Duration::from_millis(6001)), 7);
    }
}
