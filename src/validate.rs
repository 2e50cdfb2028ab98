//! Field validation in Django REST Framework's shape: collect every field's problems, then
//! answer them all at once as `{"field": ["message", …]}`.

use std::collections::BTreeMap;

use crate::error::{ApiError, FIELD_REQUIRED};

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

    /// The 400 for what was collected (call only when something was).
    pub fn into_error(self) -> ApiError {
        ApiError::Fields(self.0)
    }

    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Fields(self.0))
        }
    }
}

/// DRF's message for a text over its length.
pub fn check_max_chars(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.add(
            field,
            format!("Ensure this field has no more than {max} characters."),
        );
    }
}

/// An absolute http(s) URL with a host.
pub fn is_web_url(raw: &str) -> bool {
    url::Url::parse(raw)
        .map(|url| matches!(url.scheme(), "http" | "https") && url.host_str().is_some())
        .unwrap_or(false)
}

/// How a write treats absent fields: a create or a `PUT` requires them, a `PATCH` keeps the
/// stored value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    Create,
    Replace,
    Patch,
}

impl WriteMode {
    pub fn requires_all(self) -> bool {
        !matches!(self, WriteMode::Patch)
    }
}

/// One text field of a write: trimmed, required when the mode says so (and then not blank),
/// at most `max` characters; an absent optional field is `existing` or empty.
pub fn text_field(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    existing: Option<&str>,
    required: bool,
    max: usize,
) -> String {
    match value.map(str::trim) {
        None if required => {
            errors.add(field, FIELD_REQUIRED);
            String::new()
        }
        None => existing.unwrap_or_default().to_owned(),
        Some("") if required => {
            errors.add(field, "This field may not be blank.");
            String::new()
        }
        Some(text) => {
            check_max_chars(errors, field, text, max);
            text.to_owned()
        }
    }
}
/// A field every row must have: required in a whole write (`whole`), never blank when sent (a
/// partial update may leave it out and keep `existing`).
pub fn mandatory_text_field(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    existing: Option<&str>,
    whole: bool,
    max: usize,
) -> String {
    match value {
        Some(_) => text_field(errors, field, value, None, true, max),
        None => text_field(errors, field, None, existing, whole, max),
    }
}

/// Digits with the usual separators and an optional leading `+`, 6 to 15 digits.
pub fn is_phone_number(raw: &str) -> bool {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let body = raw.strip_prefix('+').unwrap_or(raw);
    (6..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " -().".contains(c))
}
