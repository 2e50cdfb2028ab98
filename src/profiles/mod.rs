//! Breneo (`specs/industry-profile.md`, CONTRACTS.md "Breneo"): work experiences and educations,
//! the user's skills on the skills taxonomy, the industry profile (stored as the frontend sends
//! it, and recomputed on the server whenever the work history changes), the industry match, and
//! opt-in public profiles.
//!
//! The industry-profile rule: a work-experience change recomputes the profile from the work
//! history (`source: server`); a `PUT` from the frontend replaces it (`source: client`) and
//! stands until the next work-experience change.

pub mod education;
pub mod educations;
pub mod industry;
pub mod industry_profile;
pub mod me;
pub mod profile_writer;
pub mod public;
pub mod skills;
pub mod work_experience;
pub mod work_history;

use chrono::{DateTime, Utc};

/// The industry profile as `GET /api/me/industry-profile/` shows it (cached per process).
#[derive(Clone, Debug, PartialEq)]
pub struct IndustryProfileView {
    pub industry_years_json: serde_json::Value,
    pub updated_at: DateTime<Utc>,
}
