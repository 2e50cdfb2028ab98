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

/// A link as a portfolio holds it: empty, an in-page anchor (`#`, `#projects`), an http(s)
/// URL, or a bare domain (`alexdoe.dev/work`, stored with `https://`). Any other scheme
/// (`javascript:`, `data:`, …) is refused.
pub fn portfolio_link(raw: &str) -> Option<String> {
    let value = raw.trim();
    if value.is_empty() || value.starts_with('#') {
        return Some(value.to_owned());
    }
    if is_web_url(value) {
        return Some(value.to_owned());
    }
    let has_scheme = value
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|head| head.contains(':') && !head.contains('.'));
    if has_scheme || value.starts_with("//") {
        return None;
    }
    let with_scheme = format!("https://{value}");
    let host_has_dot = url::Url::parse(&with_scheme)
        .ok()
        .and_then(|url| url.host_str().map(|host| host.contains('.')))
        .unwrap_or(false);
    (host_has_dot && is_web_url(&with_scheme)).then_some(with_scheme)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portfolio_links_take_anchors_and_bare_domains_but_no_other_scheme() {
        assert_eq!(portfolio_link(" # "), Some("#".into()));
        assert_eq!(portfolio_link(""), Some("".into()));
        assert_eq!(
            portfolio_link("alexdoe.dev"),
            Some("https://alexdoe.dev".into())
        );
        assert_eq!(
            portfolio_link("https://x.dev/a?b=1"),
            Some("https://x.dev/a?b=1".into())
        );
        assert_eq!(portfolio_link("javascript:alert(1)"), None);
        assert_eq!(portfolio_link("JavaScript:alert(1)"), None);
        assert_eq!(portfolio_link("data:text/html,<b>x</b>"), None);
        assert_eq!(portfolio_link("not a link"), None);
        assert_eq!(portfolio_link("//evil.example"), None);
    }
}
