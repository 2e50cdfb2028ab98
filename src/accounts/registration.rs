//! The registration rules every product's sign-up shares (Grooya's `/api/auth/register/`,
//! Gan7Club's and Breneo's `/api/register/`): the email, username and password checks in
//! Django's words, an optional account kind, and the DRF-shaped refusal of a taken email.

use serde::Deserialize;
use utoipa::ToSchema;

use super::handlers::{django_password_problems, is_valid_username};
use super::service::{self, CreateUserError, NewUser};
use super::user::{self, AccountKind};
use crate::error::{ApiError, ApiResult};
use crate::validate::{FieldErrors, check_max_chars};

const MAX_NAME_CHARS: usize = 150;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// Defaults to the email address.
    pub username: Option<String>,
    pub email: Option<String>,
    pub password1: Option<String>,
    pub password2: Option<String>,
    /// Accepted in place of `password1`/`password2`.
    pub password: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The whole name (Grooya's `name`), used when `first_name` and `last_name` are absent.
    pub name: Option<String>,
    /// `user` (default), `talent` or `background`.
    pub account_type: Option<String>,
}

/// A failed account creation in DRF's shape.
pub fn registration_error(err: CreateUserError) -> ApiError {
    match err {
        CreateUserError::EmailTaken => ApiError::field(
            "email",
            "A user is already registered with this e-mail address.",
        ),
        CreateUserError::UsernameTaken => {
            ApiError::field("username", "A user with that username already exists.")
        }
        CreateUserError::Other(err) => ApiError::Internal(err),
    }
}

pub fn validate_registration(body: RegisterRequest) -> ApiResult<NewUser> {
    let mut errors = FieldErrors::default();
    let email = errors
        .required("email", body.email.as_deref())
        .map(service::normalize_email);
    if let Some(email) = &email
        && !service::is_valid_email(email)
    {
        errors.add("email", "Enter a valid email address.");
    }
    if let Some(username) = &body.username
        && !username.is_empty()
        && !is_valid_username(username)
    {
        errors.add(
            "username",
            "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
        );
    }
    let password1 = body.password1.as_deref().or(body.password.as_deref());
    let password2 = body.password2.as_deref().or(password1);
    let password = errors.required("password1", password1);
    if let Some(password) = password {
        for problem in django_password_problems(password) {
            errors.add("password1", problem);
        }
        if password2 != Some(password) {
            errors.add("non_field_errors", "The two password fields didn't match.");
        }
    }
    let account_kind = match body.account_type.as_deref() {
        None | Some("") => None,
        Some(raw) => {
            let kind = AccountKind::parse(raw);
            if kind.is_none() {
                errors.add("account_type", format!("\"{raw}\" is not a valid choice."));
            }
            kind
        }
    };
    let from_name = match (&body.first_name, &body.last_name, &body.name) {
        (None, None, Some(name)) => Some(user::Names::from_full_name(name)),
        _ => None,
    };
    let first_name = body
        .first_name
        .or_else(|| from_name.as_ref().map(|n| n.first_name.clone()))
        .unwrap_or_default();
    let last_name = body
        .last_name
        .or_else(|| from_name.map(|n| n.last_name))
        .unwrap_or_default();
    for (field, value) in [("first_name", &first_name), ("last_name", &last_name)] {
        check_max_chars(&mut errors, field, value, MAX_NAME_CHARS);
    }
    errors.into_result()?;
    Ok(NewUser {
        email: email.unwrap_or_default(),
        username: body.username,
        password: password.map(str::to_owned),
        first_name,
        last_name,
        account_kind,
        ..NewUser::default()
    })
}
