//! A portfolio on the wire and its validation: the request in either spelling, the answer in
//! both (`wire`), the keys kept as sent, slugs, and the changes a write makes.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::portfolio;
use super::wire::{self, Spellings};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::validate::{FieldErrors, check_max_chars};

/// `design` and `pages` together, serialized, at most this large.
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SLUG_CHARS: usize = 120;
const MAX_ROLE_CHARS: usize = 200;
const GOALS: [&str; 3] = ["job", "freelance", "personal"];
pub const SLUG_TAKEN: &str = "portfolio with this slug already exists.";

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PortfolioRequest {
    pub title: Option<String>,
    /// Letters, digits, `-` and `_`, stored lowercase; generated from the title when absent.
    pub slug: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Value)]
    pub design: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Value)]
    pub pages: Option<Value>,
    /// Also `isPublished`.
    pub is_published: Option<bool>,
    /// Also `isGuided`.
    pub is_guided: Option<bool>,
    /// `job`, `freelance` or `personal`.
    pub goal: Option<String>,
    pub role: Option<String>,
}

impl Spellings for PortfolioRequest {
    const CAMEL_CASE: &'static [(&'static str, &'static str)] =
        &[("isPublished", "is_published"), ("isGuided", "is_guided")];
}

/// Keys of a portfolio body that are not kept as sent: the fields above and what the server
/// sets (ids and timestamps, in either spelling).
const NOT_EXTRA: [&str; 16] = [
    "title",
    "slug",
    "design",
    "pages",
    "is_published",
    "is_guided",
    "goal",
    "role",
    "id",
    "user",
    "userId",
    "user_id",
    "createdAt",
    "created_at",
    "updatedAt",
    "updated_at",
];

/// The keys of a portfolio body that have no column: kept and answered as sent.
pub fn extra_keys(object: Map<String, Value>) -> Map<String, Value> {
    object
        .into_iter()
        .filter(|(key, _)| !NOT_EXTRA.contains(&key.as_str()))
        .collect()
}

/// A JSON field that was sent, `null` included (serde would read `null` as absent).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// A portfolio in both spellings: `types.ts`'s `Portfolio` (string ids, camelCase,
/// millisecond timestamps) and the seed's snake_case fields. The keys kept as sent
/// (`customPalettes`, …) are added beside these (`PortfolioResponse::json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioResponse {
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    /// The owner's id.
    #[serde(rename = "userId", serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub user_id: i64,
    /// The owner's id (the seed's name).
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub user: i64,
    pub title: String,
    pub slug: String,
    #[schema(value_type = Value)]
    pub design: Value,
    #[schema(value_type = Value)]
    pub pages: Value,
    #[serde(rename = "isPublished")]
    pub is_published_camel: bool,
    pub is_published: bool,
    #[serde(rename = "isGuided")]
    pub is_guided_camel: bool,
    pub is_guided: bool,
    /// Absent when unset (`types.ts` allows only the three goals).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub goal: String,
    pub role: String,
    /// Milliseconds since the epoch.
    #[serde(rename = "createdAt", serialize_with = "wire::millis")]
    #[schema(value_type = i64)]
    pub created_at_ms: DateTime<Utc>,
    #[serde(rename = "updatedAt", serialize_with = "wire::millis")]
    #[schema(value_type = i64)]
    pub updated_at_ms: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PortfolioResponse {
    /// The answer for a stored portfolio, its kept keys included.
    pub fn json(row: portfolio::Model) -> Value {
        let extra = match &row.extra {
            Value::Object(extra) => extra.clone(),
            _ => Map::new(),
        };
        wire::with_extra(&PortfolioResponse::from(row), &extra)
    }
}

impl From<portfolio::Model> for PortfolioResponse {
    fn from(row: portfolio::Model) -> Self {
        PortfolioResponse {
            id: row.id,
            user_id: row.user_id,
            user: row.user_id,
            title: row.title,
            slug: row.slug,
            design: row.design,
            pages: row.pages,
            is_published_camel: row.is_published,
            is_published: row.is_published,
            is_guided_camel: row.is_guided,
            is_guided: row.is_guided,
            goal: row.goal,
            role: row.role,
            created_at_ms: row.created_at,
            updated_at_ms: row.updated_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// `title` as a slug: lowercase ASCII letters and digits joined by single hyphens.
pub fn slugify(title: &str) -> String {
    // Letters of any script are spelled in ASCII first ("Ü" as "U", "北京" as "Bei Jing"), so a
    // title in another language keeps its words instead of losing every letter.
    let spelled = deunicode::deunicode(title);
    let mut slug = String::with_capacity(spelled.len());
    for c in spelled.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "portfolio".into()
    } else {
        slug
    }
}

/// A slug for a new portfolio: the title's, then `-` and six random characters.
pub fn generated_slug(title: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let suffix: String = (0..6)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{suffix}", slugify(title))
}

pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The validated changes of a write; `None` leaves a field as it is.
pub struct Changes {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub design: Option<Value>,
    pub pages: Option<Value>,
    pub is_published: Option<bool>,
    pub is_guided: Option<bool>,
    pub goal: Option<String>,
    pub role: Option<String>,
    /// Kept keys sent, merged over the stored ones.
    pub extra: Map<String, Value>,
}

pub fn validate(
    body: PortfolioRequest,
    extra: Map<String, Value>,
    creating: bool,
) -> ApiResult<Changes> {
    let mut errors = FieldErrors::default();
    let title = body.title.map(|t| t.trim().to_owned());
    match &title {
        None if creating => errors.add("title", crate::error::FIELD_REQUIRED),
        Some(t) if t.is_empty() => errors.add("title", "This field may not be blank."),
        Some(t) => check_max_chars(&mut errors, "title", t, MAX_TITLE_CHARS),
        None => {}
    }
    let slug = body
        .slug
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    if let Some(slug) = &slug {
        if !is_valid_slug(slug) {
            errors.add(
                "slug",
                "Enter a valid \u{201c}slug\u{201d} consisting of letters, numbers, underscores or hyphens.",
            );
        }
        check_max_chars(&mut errors, "slug", slug, MAX_SLUG_CHARS);
    }
    for (field, value) in [("design", &body.design), ("pages", &body.pages)] {
        if value.as_ref().is_some_and(Value::is_null) {
            errors.add(field, "This field may not be null.");
        }
    }
    let goal = body.goal.map(|g| g.trim().to_lowercase());
    if let Some(goal) = goal
        .as_deref()
        .filter(|g| !g.is_empty() && !GOALS.contains(g))
    {
        errors.add("goal", format!("\"{goal}\" is not a valid choice."));
    }
    let role = body.role.map(|r| r.trim().to_owned());
    if let Some(role) = &role {
        check_max_chars(&mut errors, "role", role, MAX_ROLE_CHARS);
    }
    errors.into_result()?;
    Ok(Changes {
        title,
        slug,
        design: body.design,
        pages: body.pages,
        is_published: body.is_published,
        is_guided: body.is_guided,
        goal,
        role,
        extra,
    })
}

/// 413 when the stored documents (design, pages and the kept keys) would pass
/// `MAX_DOCUMENT_BYTES`.
pub fn check_document_size(design: &Value, pages: &Value, extra: &Value) -> ApiResult<()> {
    let size: usize = [design, pages, extra]
        .iter()
        .map(|value| serde_json::to_vec(value).map_or(0, |v| v.len()))
        .sum();
    if size > MAX_DOCUMENT_BYTES {
        return Err(ApiError::Custom(
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"detail": "A portfolio's design, pages and other fields may not exceed 2 MB together."}),
        ));
    }
    Ok(())
}

/// The stored kept keys with `sent` merged over them.
pub fn merged_extra(stored: &Value, sent: Map<String, Value>) -> Value {
    let mut extra = match stored {
        Value::Object(stored) => stored.clone(),
        _ => Map::new(),
    };
    extra.extend(sent);
    Value::Object(extra)
}

pub fn apply(row: &mut portfolio::ActiveModel, changes: Changes) {
    if let Some(title) = changes.title {
        row.title = Set(title);
    }
    if let Some(slug) = changes.slug {
        row.slug = Set(slug);
    }
    if let Some(design) = changes.design {
        row.design = Set(design);
    }
    if let Some(pages) = changes.pages {
        row.pages = Set(pages);
    }
    if let Some(value) = changes.is_published {
        row.is_published = Set(value);
    }
    if let Some(value) = changes.is_guided {
        row.is_guided = Set(value);
    }
    if let Some(goal) = changes.goal {
        row.goal = Set(goal);
    }
    if let Some(role) = changes.role {
        row.role = Set(role);
    }
    row.updated_at = Set(db::now());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(
            slugify("  Jane's Portfolio: 2026 edition!! "),
            "jane-s-portfolio-2026-edition"
        );
        assert_eq!(slugify("Ünïcode ✨"), "unicode-sparkles");
        assert_eq!(slugify("Café Zürich"), "cafe-zurich");
        assert_eq!(slugify("北京 Portfolio"), "bei-jing-portfolio");
        assert_eq!(slugify("!!!"), "portfolio");
        let generated = generated_slug("My Site");
        assert!(generated.starts_with("my-site-") && generated.len() == "my-site-".len() + 6);
    }
}
