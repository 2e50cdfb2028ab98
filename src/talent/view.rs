//! What Gan7Club's profile routes answer: the profile, its score, the subscription status and
//! the plan's restrictions. The app's pages disagree about nesting (the talent page's form reads
//! the profile fields at the top level, other readers under `profile`, the navbar popup reads
//! `email_verified` at the top level only), so the fields are answered in both places.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::profile;
use super::score::{self, ItemCounts, ProfileScore};
use super::subscription::{self, SubscriptionView};
use crate::accounts::user;
use crate::error::ApiResult;
use crate::portfolios::entitlements::{self, Resource};
use crate::state::AppState;
use crate::storage::Storage;

/// Which of the two profile routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileKind {
    Background,
    Talent,
}

impl ProfileKind {
    pub fn account_kind(self) -> user::AccountKind {
        match self {
            ProfileKind::Background => user::AccountKind::Background,
            ProfileKind::Talent => user::AccountKind::Talent,
        }
    }

    /// The original's account type names.
    pub fn account_type(self) -> &'static str {
        match self {
            ProfileKind::Background => "back_ground_jobs",
            ProfileKind::Talent => "talent",
        }
    }

    pub fn picture_prefix(self) -> &'static str {
        match self {
            ProfileKind::Background => "background_profile_pictures",
            ProfileKind::Talent => "profile_pictures",
        }
    }

    pub fn updated_message(self) -> &'static str {
        match self {
            ProfileKind::Background => "Background profile updated successfully",
            ProfileKind::Talent => "Talent profile updated successfully",
        }
    }
}

/// The profile's fields, as both the top level and `profile` carry them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProfileFieldsView {
    pub id: i64,
    pub email: String,
    /// The email, as the original shows it.
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    pub email_verified: bool,
    /// The same as `email_verified` (the navbar popup's badge reads this name).
    pub is_verified: bool,
    /// Absolute URL, or `null`.
    pub profile_picture: Option<String>,
    /// Absolute URL of the 256 px thumbnail, or `null`.
    pub profile_picture_thumbnail: Option<String>,
    pub country: String,
    pub residency: String,
    pub city: String,
    pub phone: String,
    pub aboutyou: String,
    /// `YYYY-MM-DD` or `null`.
    pub date_of_birth: Option<String>,
    pub gender: String,
    /// `back_ground_jobs` or `talent`.
    pub account_type: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileBody {
    #[serde(flatten)]
    pub fields: ProfileFieldsView,
    /// The score's total.
    pub profile_score: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionStatus {
    pub has_subscription: bool,
    pub can_access_features: bool,
    /// The account's plan: `free`, `starter`, `pro` or `premium`.
    pub tier: user::SubscriptionTier,
    pub message: String,
    pub subscription: Option<SubscriptionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileResponse {
    #[serde(flatten)]
    pub fields: ProfileFieldsView,
    pub profile: ProfileBody,
    pub profile_score: ProfileScore,
    pub subscription_status: SubscriptionStatus,
    #[schema(value_type = Object)]
    pub restrictions: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileUpdatedResponse {
    pub message: String,
    #[serde(flatten)]
    pub profile: ProfileResponse,
}

/// How many items of each kind the user has in every product.
pub async fn item_counts(conn: &impl ConnectionTrait, user_id: i64) -> ApiResult<ItemCounts> {
    use crate::accounts::user_skill;
    use crate::portfolios::{assets::asset, portfolio, projects::project};
    use crate::profiles::{education, work_experience};
    use crate::resumes::resume;
    use crate::tracker::application;
    Ok(ItemCounts {
        work_experiences: work_experience::Entity::find()
            .filter(work_experience::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        educations: education::Entity::find()
            .filter(education::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        skills: user_skill::Entity::find()
            .filter(user_skill::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        projects: project::Entity::find()
            .filter(project::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        portfolios: portfolio::Entity::find()
            .filter(portfolio::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        resumes: resume::Entity::find()
            .filter(resume::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        assets: asset::Entity::find()
            .filter(asset::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
        job_applications: application::Entity::find()
            .filter(application::Column::UserId.eq(user_id))
            .count(conn)
            .await?,
    })
}

fn fields_view(
    kind: ProfileKind,
    user: &user::Model,
    row: &profile::Model,
    storage: &Storage,
) -> ProfileFieldsView {
    ProfileFieldsView {
        id: user.id,
        email: user.email.clone(),
        username: user.email.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        full_name: user.full_name.clone(),
        email_verified: user.email_verified,
        is_verified: user.email_verified,
        profile_picture: row.picture_key.as_deref().map(|k| storage.url(k)),
        profile_picture_thumbnail: row.thumbnail_key.as_deref().map(|k| storage.url(k)),
        country: row.country.clone(),
        residency: row.residency.clone(),
        city: user.city.clone(),
        phone: user.phone_number.clone().unwrap_or_default(),
        aboutyou: user.bio.clone(),
        date_of_birth: row.date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()),
        gender: row.gender.clone(),
        account_type: kind.account_type().into(),
    }
}

fn subscription_status(
    tier: user::SubscriptionTier,
    subscriptions: &[subscription::Model],
    now: DateTime<Utc>,
) -> SubscriptionStatus {
    match subscriptions.iter().find(|s| s.is_current(now)) {
        Some(current) => SubscriptionStatus {
            has_subscription: true,
            can_access_features: true,
            tier,
            message: "Active subscription".into(),
            subscription: Some(current.into()),
        },
        None => SubscriptionStatus {
            has_subscription: false,
            can_access_features: true,
            tier,
            message: match subscriptions.first().and_then(|s| s.ends_at) {
                Some(ended) => format!(
                    "Your subscription ended on {}. You are on the free plan.",
                    ended.format("%Y-%m-%d")
                ),
                None => "No active subscription. You are on the free plan.".into(),
            },
            subscription: subscriptions.first().map(Into::into),
        },
    }
}

/// What the plan allows. Every plan can use Gan7Club's features (the free one too), so nothing
/// is restricted and no subscription is required; the limits are Grooya's.
fn restrictions(user: &user::Model) -> Value {
    let tier = user.subscription_tier;
    json!({
        "plan": tier,
        "can_access_features": true,
        "is_restricted": false,
        "subscription_required": false,
        "max_portfolios": entitlements::limit(tier, Resource::Portfolio),
        "max_resumes": entitlements::limit(tier, Resource::Resume),
        "ai_text_credits": user.ai_text_credits,
        "ai_image_credits": user.ai_image_credits,
    })
}

/// The whole answer for `user`'s profile (made on first use for accounts that predate it).
pub async fn full_profile(
    state: &AppState,
    kind: ProfileKind,
    user: &user::Model,
) -> ApiResult<ProfileResponse> {
    // Reads go to the read pool; only an account that predates profiles needs the writer.
    let found = profile::Entity::find()
        .filter(profile::Column::UserId.eq(user.id))
        .one(state.db.reader())
        .await?;
    let row = match found {
        Some(row) => row,
        None => profile::ensure(state.db.writer(), user.id).await?,
    };
    let items = item_counts(state.db.reader(), user.id).await?;
    let scored = score::score(user, &row, &items);
    let subscriptions = subscription::subscriptions_of(state.db.reader(), user.id).await?;
    let fields = fields_view(kind, user, &row, &state.storage);
    Ok(ProfileResponse {
        profile: ProfileBody {
            fields: fields.clone(),
            profile_score: scored.total,
        },
        fields,
        subscription_status: subscription_status(
            user.subscription_tier,
            &subscriptions,
            Utc::now(),
        ),
        restrictions: restrictions(user),
        profile_score: scored,
    })
}
