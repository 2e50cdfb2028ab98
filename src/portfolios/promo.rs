//! Promo codes (`types.ts`'s `PromoCode`): staff create them in the admin (a plan for some days,
//! credits, the early-adopter badge; an expiry and a use limit), and
//! `POST /api/promo-codes/apply/ {code}` applies one, once per user. Applying is one
//! transaction: the user's redemption row (unique per code and user) and a conditional
//! `UPDATE` of the use count (`times_used < usage_limit`), so a code with one use left,
//! applied by many users at once, is used once.

use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{QueryFilter, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::account::GrooyaUser;
use super::wire::{self, GrooyaJson, Spellings};
use crate::accounts::service;
use crate::accounts::user;
use crate::credits;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ActiveUser, ClientIp, Json};
use crate::state::AppState;
use crate::talent::subscription;

/// The `promo_codes` table.
pub mod code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "promo_codes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// Uppercase.
        pub code: String,
        /// `starter`, `pro` or `premium`; `None`: credits only.
        pub grants_tier: Option<String>,
        /// How long the plan lasts; `None`: until ended.
        pub grants_days: Option<i32>,
        pub text_credits: i32,
        pub image_credits: i32,
        pub is_early_adopter: bool,
        pub usage_limit: i32,
        pub times_used: i32,
        pub expires_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The `promo_redemptions` table: who used which code.
pub mod redemption {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "promo_redemptions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub promo_code_id: i64,
        pub user_id: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

const INVALID: &str = "Invalid promo code.";
const USED_UP: &str = "This promo code has reached its usage limit.";
const EXPIRED: &str = "This promo code has expired.";
const ALREADY: &str = "You have already used this promo code.";

/// A code as users type it: trimmed, uppercase.
pub fn normalize(raw: &str) -> String {
    raw.trim().to_uppercase()
}

/// A code as `types.ts`'s `PromoCode`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromoCodeView {
    #[serde(serialize_with = "wire::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    pub code: String,
    #[serde(rename = "usageLimit")]
    pub usage_limit: i32,
    #[serde(rename = "timesUsed")]
    pub times_used: i32,
    #[serde(rename = "grantsTier", skip_serializing_if = "Option::is_none")]
    pub grants_tier: Option<String>,
    #[serde(rename = "isEarlyAdopter")]
    pub is_early_adopter: bool,
    #[serde(rename = "createdAt", serialize_with = "wire::millis")]
    #[schema(value_type = i64)]
    pub created_at: DateTime<Utc>,
}

impl From<code::Model> for PromoCodeView {
    fn from(row: code::Model) -> Self {
        PromoCodeView {
            id: row.id,
            code: row.code,
            usage_limit: row.usage_limit,
            times_used: row.times_used,
            grants_tier: row.grants_tier,
            is_early_adopter: row.is_early_adopter,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyRequest {
    pub code: Option<String>,
}

impl Spellings for ApplyRequest {
    const CAMEL_CASE: &'static [(&'static str, &'static str)] = &[];
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplyResponse {
    pub message: String,
    pub promo_code: PromoCodeView,
    /// The user after the code: plan, badge and credits.
    pub user: GrooyaUser,
}

/// Counts one use of the code, if it has one left and has not expired.
async fn take_use(
    txn: &impl ConnectionTrait,
    row: &code::Model,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if row.expires_at.is_some_and(|at| at <= now) {
        return Err(ApiError::field("code", EXPIRED));
    }
    let taken = code::Entity::update_many()
        .col_expr(
            code::Column::TimesUsed,
            ExprTrait::add(Expr::col(code::Column::TimesUsed), 1),
        )
        .filter(code::Column::Id.eq(row.id))
        .filter(Expr::col(code::Column::TimesUsed).lt(Expr::col(code::Column::UsageLimit)))
        .exec(txn)
        .await?;
    if taken.rows_affected == 0 {
        return Err(ApiError::field("code", USED_UP));
    }
    Ok(())
}

/// What the code grants, written to the user.
async fn grant(
    txn: &impl ConnectionTrait,
    user_id: i64,
    row: &code::Model,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if let Some(plan) = row
        .grants_tier
        .as_deref()
        .and_then(subscription::parse_plan)
    {
        let ends_at = row
            .grants_days
            .map(|days| now + chrono::Duration::days(i64::from(days)));
        subscription::grant_in(txn, user_id, plan, ends_at).await?;
        // The new plan's credits first, so the code's own credits come on top of them.
        credits::top_up(txn, user_id, plan, now).await?;
    }
    let mut update = user::Entity::update_many()
        .col_expr(
            user::Column::AiTextCredits,
            ExprTrait::add(Expr::col(user::Column::AiTextCredits), row.text_credits),
        )
        .col_expr(
            user::Column::AiImageCredits,
            ExprTrait::add(Expr::col(user::Column::AiImageCredits), row.image_credits),
        );
    if row.is_early_adopter {
        update = update.col_expr(user::Column::IsEarlyAdopter, Expr::value(true));
    }
    update
        .filter(user::Column::Id.eq(user_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Apply a promo code to the signed-in user, once.
#[utoipa::path(post, path = "/api/promo-codes/apply", tag = "grooya", security(("bearer" = [])),
    request_body = ApplyRequest,
    responses(
        (status = 200, body = ApplyResponse),
        (status = 400, description = "`{\"code\": [\"Invalid promo code.\"]}`, used up, expired, or already used by this user"),
        (status = 429, description = "Too many tries"),
    ))]
pub async fn apply_promo_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: ActiveUser,
    GrooyaJson { body, .. }: GrooyaJson<ApplyRequest>,
) -> ApiResult<Json<ApplyResponse>> {
    // Codes are words staff choose: tries share the login limits, so they cannot be guessed.
    state
        .auth_limiter
        .check(ip, Some(&format!("promo-code:{}", user.id())))
        .await?;
    let typed = normalize(body.code.as_deref().unwrap_or_default());
    if typed.is_empty() {
        return Err(ApiError::field("code", "This field may not be blank."));
    }
    let user_id = user.id();
    let now = state.clock.now_utc();
    let applied = db::in_transaction(state.db.writer(), async |txn| {
        let row = code::Entity::find()
            .filter(code::Column::Code.eq(typed.clone()))
            .one(txn)
            .await?
            .ok_or_else(|| ApiError::field("code", INVALID))?;
        let redeemed = redemption::ActiveModel {
            promo_code_id: Set(row.id),
            user_id: Set(user_id),
            created_at: Set(db::now()),
            ..Default::default()
        }
        .insert(txn)
        .await;
        match redeemed {
            Err(err) if db::is_unique_violation(&err) => {
                return Err(ApiError::field("code", ALREADY));
            }
            other => other?,
        };
        take_use(txn, &row, now).await?;
        grant(txn, user_id, &row, now).await?;
        Ok::<_, ApiError>(row)
    })
    .await?;
    state.accounts.forget(user_id);
    state.public_pages.forget_owner(user_id);
    let fresh = service::current_user(&state.db, user_id).await?;
    let message = match &applied.grants_tier {
        Some(tier) => format!("Promo code applied! You now have the {tier} plan."),
        None => "Promo code applied!".to_owned(),
    };
    let times_used = applied.times_used + 1;
    Ok(Json(ApplyResponse {
        message,
        promo_code: PromoCodeView {
            times_used,
            ..applied.into()
        },
        user: GrooyaUser::load(&state, fresh).await?,
    }))
}

/// A new code, as staff describe it.
#[derive(Debug)]
pub struct NewCode {
    pub code: String,
    pub grants_tier: Option<String>,
    pub grants_days: Option<i32>,
    pub text_credits: i32,
    pub image_credits: i32,
    pub is_early_adopter: bool,
    pub usage_limit: i32,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Why a code could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CreateCodeError {
    #[error("a code with this name exists already")]
    Taken,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Stores a new code (uppercase).
pub async fn create_code(
    conn: &impl ConnectionTrait,
    new: NewCode,
) -> Result<code::Model, CreateCodeError> {
    code::ActiveModel {
        code: Set(normalize(&new.code)),
        grants_tier: Set(new.grants_tier),
        grants_days: Set(new.grants_days),
        text_credits: Set(new.text_credits),
        image_credits: Set(new.image_credits),
        is_early_adopter: Set(new.is_early_adopter),
        usage_limit: Set(new.usage_limit),
        times_used: Set(0),
        expires_at: Set(new.expires_at),
        created_at: Set(db::now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(|err| {
        if db::is_unique_violation(&err) {
            CreateCodeError::Taken
        } else {
            CreateCodeError::Db(err)
        }
    })
}
