//! An account's profile links by network, which Breneo's profile page (GitHub, LinkedIn,
//! Facebook, Instagram, Dribbble, Behance) and Gan7Club's (Facebook, Instagram, YouTube, TikTok)
//! both edit: each form's `social_links` is the full set of its own networks, and the others'
//! links stay.

use serde_json::{Map, Value, json};

use super::user;
use crate::validate::FieldErrors;

const MAX_LINK_CHARS: usize = 500;

/// The networks Breneo's form edits; its `social_links` is the full set of these.
pub const BRENEO_NETWORKS: [&str; 6] = [
    "github",
    "linkedin",
    "facebook",
    "instagram",
    "dribbble",
    "behance",
];
/// The networks Gan7Club's social-media form edits.
pub const GAN7_NETWORKS: [&str; 4] = ["facebook", "instagram", "youtube", "tiktok"];

/// The account's links for `networks`, `null` where it has none.
pub fn links(user: &user::Model, networks: &[&str]) -> Value {
    let stored = user.social_links.as_object();
    let links: Map<String, Value> = networks
        .iter()
        .map(|network| {
            let link = stored
                .and_then(|s| s.get(*network))
                .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
                .cloned()
                .unwrap_or(Value::Null);
            ((*network).to_owned(), link)
        })
        .collect();
    Value::Object(links)
}

/// A link as stored: `https://` added when it has no scheme; only web links.
pub fn clean_link(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let link = if raw.starts_with("http://") || raw.starts_with("https://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    (link.chars().count() <= MAX_LINK_CHARS && crate::validate::is_web_url(&link)).then_some(link)
}

/// Reads `social_links` as the full set of `networks` (one left out was removed), keeping the
/// account's links for other networks.
pub fn merged_links(
    current: &Value,
    sent: &Value,
    networks: &[&str],
    field: &str,
    errors: &mut FieldErrors,
) -> Value {
    let mut merged: Map<String, Value> = current.as_object().cloned().unwrap_or_default();
    let Some(sent) = sent.as_object() else {
        errors.add(field, "Expected an object of links.");
        return Value::Object(merged);
    };
    for network in networks {
        merged.remove(*network);
    }
    for (network, value) in sent {
        if !networks.contains(&network.as_str()) {
            errors.add(field, format!("\"{network}\" is not a supported network."));
            continue;
        }
        match value {
            Value::Null => {}
            Value::String(link) if link.trim().is_empty() => {}
            Value::String(link) => match clean_link(link) {
                Some(link) => {
                    merged.insert(network.clone(), json!(link));
                }
                None => errors.add(field, format!("Enter a valid URL for {network}.")),
            },
            _ => errors.add(field, format!("Enter a valid URL for {network}.")),
        }
    }
    Value::Object(merged)
}
