//! The learning and projects routes' query strings: repeated keys kept (`?skills=Go&skills=Rust`,
//! as the frontend sends lists), and each parameter checked with Career Navigator's 400 messages.

use crate::error::{ApiError, ApiResult};

/// Every `key=value` pair, decoded, in order.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// A required text parameter.
    pub fn required(&self, name: &str) -> ApiResult<String> {
        self.text(name)
            .ok_or_else(|| ApiError::BadRequest(format!("{name} is required")))
    }

    /// Every non-blank value of `name`, trimmed, each once (case-insensitively), in order.
    pub fn list(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, value) in self.0.iter().filter(|(k, _)| k == name) {
            let value = value.trim();
            if !value.is_empty() && !out.iter().any(|v| v.eq_ignore_ascii_case(value)) {
                out.push(value.to_owned());
            }
        }
        out
    }

    pub fn int(&self, name: &str, default: i64, min: i64, max: i64) -> ApiResult<i64> {
        let Some(raw) = self.text(name) else {
            return Ok(default);
        };
        let value: i64 = raw
            .parse()
            .map_err(|_| ApiError::BadRequest(format!("{name} must be an integer")))?;
        if (min..=max).contains(&value) {
            Ok(value)
        } else if max == i64::MAX {
            Err(ApiError::BadRequest(format!(
                "{name} must be at least {min}"
            )))
        } else {
            Err(ApiError::BadRequest(format!(
                "{name} must be between {min} and {max}"
            )))
        }
    }

    /// `true`/`false` (and FastAPI's `1/0/yes/no/on/off`), any case.
    pub fn flag(&self, name: &str, default: bool) -> ApiResult<bool> {
        match self.text(name).map(|v| v.to_lowercase()).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(_) => Err(ApiError::BadRequest(format!(
                "{name} must be true or false"
            ))),
        }
    }

    /// One of `allowed` (exact case, as the original's enums), or absent.
    pub fn choice(&self, name: &str, allowed: &[&str]) -> ApiResult<Option<String>> {
        match self.text(name) {
            None => Ok(None),
            Some(value) if allowed.contains(&value.as_str()) => Ok(Some(value)),
            Some(_) => Err(ApiError::BadRequest(format!(
                "{name} must be one of: {}",
                allowed.join(", ")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_kept_and_values_checked() {
        let params = Params::parse(Some(
            "skills=Docker&skills=%20Kubernetes%20&skills=docker&skills=&limit=7&flag=TRUE&level=Expert",
        ));
        assert_eq!(params.list("skills"), ["Docker", "Kubernetes"]);
        assert_eq!(params.int("limit", 10, 1, 50).unwrap(), 7);
        assert!(params.flag("flag", false).unwrap());
        assert!(matches!(
            params.choice("level", &["Beginner"]),
            Err(ApiError::BadRequest(m)) if m == "level must be one of: Beginner"
        ));
        assert!(matches!(
            params.int("limit", 10, 1, 5),
            Err(ApiError::BadRequest(m)) if m == "limit must be between 1 and 5"
        ));
        assert!(matches!(
            Params::parse(None).required("query"),
            Err(ApiError::BadRequest(m)) if m == "query is required"
        ));
    }
}
