//! The HTTP side of accounts, one file per product's contract, plus the shared pieces.

pub mod breneo;
pub mod gan7club;
pub mod grooya;
pub mod navigator;
pub mod simplejwt;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, FIELD_REQUIRED};

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

/// Collects DRF-style field errors so a form gets all of them at once.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// The trimmed value of a required text field, recording "required"/"blank" when absent.
    pub fn required<'a>(&mut self, field: &str, value: Option<&'a str>) -> Option<&'a str> {
        match value {
            None => {
                self.add(field, FIELD_REQUIRED);
                None
            }
            Some(v) if v.trim().is_empty() => {
                self.add(field, "This field may not be blank.");
                None
            }
            Some(v) => Some(v),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Fields(self.0))
        }
    }
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
        _ => Err(ApiError::Fields(errors.0)),
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
