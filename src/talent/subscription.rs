//! The `subscriptions` table, and granting and ending plans (admins and the CLI). A user's
//! active subscription sets their tier (`users.subscription_tier`), which every product's limits
//! read; ending it returns them to `free`.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::accounts::user::{self, SubscriptionTier};
use crate::db;

pub const STATUS_ACTIVE: &str = "active";
pub const STATUS_ENDED: &str = "ended";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    /// `starter`, `pro` or `premium`.
    pub plan: String,
    /// `active` or `ended`.
    pub status: String,
    pub starts_at: DateTimeUtc,
    /// `None`: until ended.
    pub ends_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Active and within its dates at `now`.
    pub fn is_current(&self, now: DateTime<Utc>) -> bool {
        self.status == STATUS_ACTIVE
            && self.starts_at <= now
            && self.ends_at.is_none_or(|end| end > now)
    }
}

/// A subscription as the profile routes show it.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct SubscriptionView {
    pub plan: String,
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// `ends_at` under the names Gan7Club's billing tab reads (Stripe's and the original's).
    pub current_period_end: Option<DateTime<Utc>>,
    pub end_date: Option<DateTime<Utc>>,
}

impl From<&Model> for SubscriptionView {
    fn from(row: &Model) -> Self {
        SubscriptionView {
            plan: row.plan.clone(),
            status: row.status.clone(),
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            current_period_end: row.ends_at,
            end_date: row.ends_at,
        }
    }
}

/// The plan a tier name stands for; `free` is no subscription.
pub fn parse_plan(raw: &str) -> Option<SubscriptionTier> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "starter" => Some(SubscriptionTier::Starter),
        "pro" => Some(SubscriptionTier::Pro),
        "premium" => Some(SubscriptionTier::Premium),
        _ => None,
    }
}

pub fn plan_name(tier: SubscriptionTier) -> &'static str {
    match tier {
        SubscriptionTier::Free => "free",
        SubscriptionTier::Starter => "starter",
        SubscriptionTier::Pro => "pro",
        SubscriptionTier::Premium => "premium",
    }
}

/// The user's subscriptions, newest first.
pub async fn subscriptions_of(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::UserId.eq(user_id))
        .order_by_desc(Column::StartsAt)
        .order_by_desc(Column::Id)
        .all(conn)
        .await
}

/// Starts `plan` for the user now (until `ends_at`, or until ended), ending any other active
/// one, and sets their tier.
pub async fn grant(
    conn: &DatabaseConnection,
    user_id: i64,
    plan: SubscriptionTier,
    ends_at: Option<DateTime<Utc>>,
) -> Result<Model, DbErr> {
    db::in_transaction(conn, async |txn| {
        grant_in(txn, user_id, plan, ends_at).await
    })
    .await
}

/// `grant` inside the caller's transaction.
pub async fn grant_in(
    txn: &impl ConnectionTrait,
    user_id: i64,
    plan: SubscriptionTier,
    ends_at: Option<DateTime<Utc>>,
) -> Result<Model, DbErr> {
    end_active(txn, user_id).await?;
    let now = db::now();
    let row = ActiveModel {
        user_id: Set(user_id),
        plan: Set(plan_name(plan).into()),
        status: Set(STATUS_ACTIVE.into()),
        starts_at: Set(now),
        ends_at: Set(ends_at),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    set_tier(txn, user_id, plan).await?;
    Ok(row)
}

/// Ends the user's active subscription, if any, and returns them to the free tier.
pub async fn end(conn: &DatabaseConnection, user_id: i64) -> Result<u64, DbErr> {
    db::in_transaction(conn, async |txn| {
        let ended = end_active(txn, user_id).await?;
        set_tier(txn, user_id, SubscriptionTier::Free).await?;
        Ok(ended)
    })
    .await
}

async fn end_active(txn: &impl ConnectionTrait, user_id: i64) -> Result<u64, DbErr> {
    let now = db::now();
    let ended = Entity::update_many()
        .set(ActiveModel {
            status: Set(STATUS_ENDED.into()),
            ends_at: Set(Some(now)),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(Column::UserId.eq(user_id))
        .filter(Column::Status.eq(STATUS_ACTIVE))
        .exec(txn)
        .await?;
    Ok(ended.rows_affected)
}

async fn set_tier(
    txn: &impl ConnectionTrait,
    user_id: i64,
    tier: SubscriptionTier,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .set(user::ActiveModel {
            subscription_tier: Set(tier),
            // The next AI use tops the balance up to the new plan's credits.
            credits_period: Set(None),
            ..Default::default()
        })
        .filter(user::Column::Id.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}
