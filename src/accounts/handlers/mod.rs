//! The HTTP side of accounts, one file per product's contract, plus the shared pieces.

pub mod breneo;
pub mod email_codes;
pub mod navigator;
pub mod simplejwt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, FIELD_REQUIRED};
pub use crate::validate::FieldErrors;

/// `{"access", "refresh"}`, as simplejwt answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPairResponse {
    pub access: String,
    pub refresh: String,
}

impl From<super::tokens::TokenPair> for TokenPairResponse {
    fn from(pair: super::tokens::TokenPair) -> Self {
        TokenPairResponse {
            access: pair.access,
            refresh: pair.refresh,
        }
    }
}

/// `{"refresh": "..."}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh: Option<String>,
}

/// Two required text fields (a login form's identifier and password), or all their errors.
pub fn required_pair<'a>(
    (first_name, first): (&str, Option<&'a str>),
    (second_name, second): (&str, Option<&'a str>),
) -> Result<(&'a str, &'a str), ApiError> {
    let mut errors = FieldErrors::default();
    let first = errors.required(first_name, first);
    let second = errors.required(second_name, second);
    match (first, second) {
        (Some(first), Some(second)) => Ok((first, second)),
        _ => Err(errors.into_error()),
    }
}

/// Django's default password validators that apply without a user: length and all-numeric.
pub fn django_password_problems(password: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if password.chars().count() < 8 {
        problems.push("This password is too short. It must contain at least 8 characters.".into());
    }
    if !password.is_empty() && password.chars().all(|c| c.is_ascii_digit()) {
        problems.push("This password is entirely numeric.".into());
    }
    problems
}

/// Django's username rule: letters, digits and `@ . + - _`, at most 150 characters.
pub fn is_valid_username(username: &str) -> bool {
    !username.is_empty()
        && username.chars().count() <= 150
        && username
            .chars()
            .all(|c| c.is_alphanumeric() || "@.+-_".contains(c))
}

/// Rejects `refresh` when absent, in simplejwt's words.
pub fn required_refresh(body: RefreshRequest) -> Result<String, ApiError> {
    match body.refresh {
        Some(token) if !token.trim().is_empty() => Ok(token),
        Some(_) => Err(ApiError::field("refresh", "This field may not be blank.")),
        None => Err(ApiError::field("refresh", FIELD_REQUIRED)),
    }
}
