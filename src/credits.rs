//! Grooya's AI credits. Each plan grants text and image credits per calendar month (UTC,
//! `plans::monthly_credits`): the first use or read in a month tops the balance up to the
//! plan's amount, once (one conditional `UPDATE` keyed by the period, so concurrent requests
//! and other instances cannot refill twice); credits above it (a promo code's) are kept. The
//! free plan has one use of each text feature (`ai_free_uses`) and no image generation.
//! Spending takes one credit in a conditional `UPDATE`, so no interleaving spends more than the
//! balance; a failed generation gives it back.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::accounts::user::{self, SubscriptionTier};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::plans;
use crate::state::AppState;

/// The `ai_free_uses` table: the free plan's one use of a feature.
pub mod free_use {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ai_free_uses")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        /// The frontend's `AIFeature` name.
        pub feature: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A credit balance as `types.ts` reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Balance {
    pub text: i32,
    pub image: i32,
}

/// Which credit a call spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credit {
    Text,
    Image,
}

impl Credit {
    fn column(self) -> user::Column {
        match self {
            Credit::Text => user::Column::AiTextCredits,
            Credit::Image => user::Column::AiImageCredits,
        }
    }

    fn exhausted(self) -> ApiError {
        let kind = match self {
            Credit::Text => "text",
            Credit::Image => "image",
        };
        ApiError::Custom(
            StatusCode::PAYMENT_REQUIRED,
            json!({"detail": format!("You have no AI {kind} credits left. Upgrade your plan for more.")}),
        )
    }
}

/// The credit period a moment falls in: its UTC month, `YYYY-MM`.
pub fn period(at: DateTime<Utc>) -> String {
    at.format("%Y-%m").to_string()
}

/// Tops the user's balance up to their plan's monthly credits if this month's have not been
/// given yet. Idempotent within a period.
pub async fn top_up(
    conn: &impl ConnectionTrait,
    user_id: i64,
    tier: SubscriptionTier,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let (text, image) = plans::monthly_credits(tier);
    let current = period(now);
    let at_least = |column: user::Column, amount: i32| {
        Expr::case(Expr::col(column).lt(amount), amount).finally(Expr::col(column))
    };
    let refilled = user::Entity::update_many()
        .col_expr(
            user::Column::AiTextCredits,
            at_least(user::Column::AiTextCredits, text).into(),
        )
        .col_expr(
            user::Column::AiImageCredits,
            at_least(user::Column::AiImageCredits, image).into(),
        )
        .col_expr(user::Column::CreditsPeriod, Expr::value(current.clone()))
        .filter(user::Column::Id.eq(user_id))
        .filter(user::Column::SubscriptionTier.eq(tier))
        .filter(
            user::Column::CreditsPeriod
                .is_null()
                .or(user::Column::CreditsPeriod.ne(current)),
        )
        .exec(conn)
        .await?;
    Ok(refilled.rows_affected > 0)
}

/// `top_up` unless the account, as loaded, has had this month's credits already, so reads and
/// uses do not each write. An account loaded from the per-process cache may lag a plan granted
/// elsewhere by as long as its tier does.
pub async fn top_up_if_due(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if user.credits_period.as_deref() == Some(period(now).as_str()) {
        return Ok(false);
    }
    top_up(conn, user.id, user.subscription_tier, now).await
}

/// After a plan change: the next use tops up to the new plan's credits.
pub async fn restart_period(conn: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(
            user::Column::CreditsPeriod,
            Expr::value(Option::<String>::None),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Takes one credit if the user has one.
pub async fn reserve(state: &AppState, user_id: i64, credit: Credit) -> ApiResult<()> {
    let column = credit.column();
    let taken = user::Entity::update_many()
        .col_expr(column, ExprTrait::sub(Expr::col(column), 1))
        .filter(user::Column::Id.eq(user_id))
        .filter(column.gt(0))
        .exec(state.db.writer())
        .await?;
    state.accounts.forget(user_id);
    if taken.rows_affected == 0 {
        return Err(credit.exhausted());
    }
    Ok(())
}

/// Gives a reserved credit back after a failed generation.
pub async fn refund(state: &AppState, user_id: i64, credit: Credit) {
    let column = credit.column();
    let refunded = user::Entity::update_many()
        .col_expr(column, ExprTrait::add(Expr::col(column), 1))
        .filter(user::Column::Id.eq(user_id))
        .exec(state.db.writer())
        .await;
    if let Err(err) = refunded {
        tracing::error!(user_id, error = %err, "could not refund an AI credit");
    }
    state.accounts.forget(user_id);
}

/// The user's balance: (text, image).
pub async fn balance(state: &AppState, user_id: i64) -> ApiResult<(i32, i32)> {
    let row = user::Entity::find_by_id(user_id)
        .one(state.db.writer())
        .await?
        .ok_or_else(|| ApiError::no_match("User"))?;
    Ok((row.ai_text_credits, row.ai_image_credits))
}

/// Takes the free plan's one use of `feature`; `false` when it was used already.
pub async fn take_free_use(state: &AppState, user_id: i64, feature: &str) -> ApiResult<bool> {
    let inserted = free_use::ActiveModel {
        user_id: Set(user_id),
        feature: Set(feature.to_owned()),
        created_at: Set(db::now()),
        ..Default::default()
    }
    .insert(state.db.writer())
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(err) if db::is_unique_violation(&err) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// Gives a free use back after a failed generation.
pub async fn return_free_use(state: &AppState, user_id: i64, feature: &str) {
    let deleted = free_use::Entity::delete_many()
        .filter(free_use::Column::UserId.eq(user_id))
        .filter(free_use::Column::Feature.eq(feature))
        .exec(state.db.writer())
        .await;
    if let Err(err) = deleted {
        tracing::error!(user_id, error = %err, "could not return a free AI use");
    }
}

/// The features whose free use the user has had.
pub async fn free_uses_of(conn: &impl ConnectionTrait, user_id: i64) -> Result<Vec<String>, DbErr> {
    Ok(free_use::Entity::find()
        .filter(free_use::Column::UserId.eq(user_id))
        .order_by_asc(free_use::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.feature)
        .collect())
}

/// Refuses image generation on a plan without it.
pub fn check_images_allowed(tier: SubscriptionTier) -> ApiResult<()> {
    if plans::generates_images(tier) {
        return Ok(());
    }
    Err(ApiError::Custom(
        StatusCode::FORBIDDEN,
        json!({"detail": "AI image generation is included in the paid plans. Upgrade to generate images."}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_utc_month() {
        let at = DateTime::parse_from_rfc3339("2026-12-31T23:59:59-01:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(period(at), "2027-01");
    }
}
