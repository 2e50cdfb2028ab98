//! The `users` table: one account for all five products, and the small typed values stored in it.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Which Gan7Club audience an account belongs to; every other product sees `User`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    #[sea_orm(string_value = "user")]
    User,
    #[sea_orm(string_value = "talent")]
    Talent,
    #[sea_orm(string_value = "background")]
    Background,
}

impl AccountKind {
    pub fn parse(raw: &str) -> Option<AccountKind> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "user" => Some(AccountKind::User),
            "talent" => Some(AccountKind::Talent),
            "background" | "back_ground" | "back_ground_jobs" => Some(AccountKind::Background),
            _ => None,
        }
    }
}

/// Grooya's subscription tiers, which set portfolio, resume and AI limits.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionTier {
    #[sea_orm(string_value = "free")]
    Free,
    #[sea_orm(string_value = "starter")]
    Starter,
    #[sea_orm(string_value = "pro")]
    Pro,
    #[sea_orm(string_value = "premium")]
    Premium,
}

/// A JSON array of strings (Career Navigator's target roles), kept in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct StringList(pub Vec<String>);

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Always stored lowercased, which makes the unique index case-insensitive.
    pub email: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    /// `full_name` lowercased with single spaces: what Breneo's "First Last" login looks up.
    pub name_key: String,
    /// A PHC argon2id string, a Django `pbkdf2_sha256$…` hash (upgraded on login), or `!…`
    /// for an account that cannot log in with a password.
    pub password: String,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub account_kind: AccountKind,
    pub email_verified: bool,
    pub phone_number: Option<String>,
    pub title: String,
    pub bio: String,
    pub avatar_url: Option<String>,
    pub subscription_tier: SubscriptionTier,
    pub ai_text_credits: i32,
    pub ai_image_credits: i32,
    /// `YYYY-MM`: the month whose plan credits the account has had (`portfolios::credits`);
    /// `None` tops up at the next use.
    pub credits_period: Option<String>,
    /// Grooya's badge for early users, granted by promo codes.
    pub is_early_adopter: bool,
    #[sea_orm(column_type = "JsonBinary")]
    pub target_roles: StringList,
    pub experience_level: Option<String>,
    pub location: Option<String>,
    /// The city the user's profile names (Gan7Club, Breneo).
    pub city: String,
    /// Breneo's country or region field.
    pub country_region: String,
    /// Profile links by network (`github`, `linkedin`, `facebook`, `instagram`, `dribbble`,
    /// `behance`, `youtube`, `tiktok`): Breneo's and Gan7Club's forms edit the same set.
    #[sea_orm(column_type = "JsonBinary")]
    pub social_links: Json,
    /// Storage key of the photo uploaded through Breneo's profile page.
    pub profile_image_key: Option<String>,
    pub date_joined: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub last_login: Option<DateTimeUtc>,
    /// Breneo: whether `/api/users/<id>/profile/` shows this user to anyone.
    pub profile_public: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user_skill::Entity")]
    Skills,
}

impl Related<super::user_skill::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Skills.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn is_talent(&self) -> bool {
        self.account_kind == AccountKind::Talent
    }
    pub fn is_background(&self) -> bool {
        self.account_kind == AccountKind::Background
    }

    /// The account's photo as an absolute URL: Breneo's upload, else the avatar link Grooya
    /// keeps.
    pub fn photo_url(&self, storage: &crate::storage::Storage) -> Option<String> {
        self.profile_image_key
            .as_deref()
            .map(|key| storage.url(key))
            .or_else(|| self.avatar_url.clone())
    }
}

/// A user as the "me" routes show them: the row and their skill names (cached per process,
/// see `crate::cache`).
#[derive(Clone, Debug)]
pub struct Account {
    pub user: Model,
    pub skills: Vec<String>,
}

/// The name fields derived from a first and last name, kept consistent in one place.
pub struct Names {
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub name_key: String,
}

impl Names {
    pub fn from_parts(first: &str, last: &str) -> Names {
        let first_name = first.trim().to_owned();
        let last_name = last.trim().to_owned();
        let full_name = [first_name.as_str(), last_name.as_str()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let name_key = name_key(&full_name);
        Names {
            first_name,
            last_name,
            full_name,
            name_key,
        }
    }

    /// Splits a full name (Career Navigator's only name field) at its first space.
    pub fn from_full_name(full: &str) -> Names {
        let full = full.split_whitespace().collect::<Vec<_>>().join(" ");
        let (first, last) = full.split_once(' ').unwrap_or((full.as_str(), ""));
        Names::from_parts(first, last)
    }
}

/// Lowercased, with runs of whitespace collapsed: "  Ada   LOVELACE " → "ada lovelace".
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_name_splits_at_the_first_space_and_joins_back() {
        let names = Names::from_full_name("  Mary  Ann Smith ");
        assert_eq!(names.first_name, "Mary");
        assert_eq!(names.last_name, "Ann Smith");
        assert_eq!(names.full_name, "Mary Ann Smith");
        assert_eq!(names.name_key, "mary ann smith");
    }

    #[test]
    fn a_single_name_has_no_last_name() {
        let names = Names::from_full_name("Prince");
        assert_eq!(
            (names.first_name.as_str(), names.last_name.as_str()),
            ("Prince", "")
        );
        assert_eq!(names.full_name, "Prince");
    }

    #[test]
    fn account_kind_accepts_gan7club_spellings() {
        assert_eq!(
            AccountKind::parse("back_ground_jobs"),
            Some(AccountKind::Background)
        );
        assert_eq!(AccountKind::parse("Talent"), Some(AccountKind::Talent));
        assert_eq!(AccountKind::parse("admin"), None);
    }
}
