//! Gan7Club's billing routes as far as careerhub serves them: the plans it grants
//! (`GET /api/payments/plans/`, `{"results": [...]}` as the plans page needs) and the user's
//! subscriptions (`GET /api/payments/subscriptions/`, a bare array as the sidebar polls it).
//! Paying is out of scope: plans are granted by operators (`careerhub subscription`, the admin).

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::handlers::Gan7User;
use super::subscription;
use crate::accounts::user::SubscriptionTier;
use crate::error::ApiResult;
use crate::extract::Json;
use crate::plans::{self, TIERS};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    /// The tier's code, also what a grant names: `free`, `starter`, `pro`, `premium`.
    pub id: String,
    pub name: String,
    pub name_ar: String,
    pub description: String,
    pub description_ar: String,
    /// US dollars a month, as configured (`CAREERHUB_PLAN_PRICES`).
    pub price: f64,
    pub monthly_equivalent: f64,
    pub currency: &'static str,
    pub duration_months: u32,
    pub features: Vec<String>,
    pub features_ar: Vec<String>,
    /// careerhub takes no payments: there is no Stripe price behind a plan.
    pub stripe_price_id: Option<String>,
    pub is_active: bool,
    pub max_portfolios: Option<u64>,
    pub max_resumes: Option<u64>,
    pub ai_text_credits_per_month: i32,
    pub ai_image_credits_per_month: i32,
    pub image_generation: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlansResponse {
    pub results: Vec<PlanView>,
}

fn plan_view(tier: SubscriptionTier, price: f64) -> PlanView {
    use crate::portfolios::entitlements::{Resource, limit};
    let [name, name_ar, description, description_ar] = plans::names(tier);
    let (features, features_ar) = plans::features(tier);
    let (text, image) = plans::monthly_credits(tier);
    PlanView {
        id: plans::code(tier).into(),
        name: name.into(),
        name_ar: name_ar.into(),
        description: description.into(),
        description_ar: description_ar.into(),
        price,
        monthly_equivalent: price,
        currency: "USD",
        duration_months: 1,
        features,
        features_ar,
        stripe_price_id: None,
        is_active: true,
        max_portfolios: limit(tier, Resource::Portfolio),
        max_resumes: limit(tier, Resource::Resume),
        ai_text_credits_per_month: text,
        ai_image_credits_per_month: image,
        image_generation: plans::generates_images(tier),
    }
}

/// The plans careerhub grants, cheapest first (no sign-in needed).
#[utoipa::path(get, path = "/api/payments/plans", tag = "gan7club",
    responses((status = 200, body = PlansResponse)))]
pub async fn list_plans(State(state): State<AppState>) -> Json<PlansResponse> {
    let prices = &state.config.plan_prices;
    Json(PlansResponse {
        results: TIERS
            .into_iter()
            .map(|tier| plan_view(tier, prices.of(tier)))
            .collect(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionItem {
    pub id: i64,
    /// The plan's id in `/api/payments/plans/`.
    pub plan: String,
    pub plan_id: String,
    pub plan_name: String,
    pub plan_price: f64,
    pub status: String,
    pub is_active: bool,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub current_period_end: Option<chrono::DateTime<chrono::Utc>>,
    pub plan_end: Option<chrono::DateTime<chrono::Utc>>,
}

/// The user's subscriptions, newest first (a plain array).
#[utoipa::path(get, path = "/api/payments/subscriptions", tag = "gan7club", security(("bearer" = [])),
    responses((status = 200, body = [SubscriptionItem]),
        (status = 403, description = "No or a bad token (403, as on the profile routes)")))]
pub async fn list_subscriptions(
    State(state): State<AppState>,
    Gan7User(user): Gan7User,
) -> ApiResult<Json<Vec<SubscriptionItem>>> {
    let rows = subscription::subscriptions_of(state.db.reader(), user.id()).await?;
    let now = state.clock.now_utc();
    let prices = &state.config.plan_prices;
    Ok(Json(
        rows.iter()
            .map(|row| {
                let tier = subscription::parse_plan(&row.plan).unwrap_or(SubscriptionTier::Free);
                SubscriptionItem {
                    id: row.id,
                    plan: row.plan.clone(),
                    plan_id: row.plan.clone(),
                    plan_name: plans::names(tier)[0].into(),
                    plan_price: prices.of(tier),
                    status: row.status.clone(),
                    is_active: row.is_current(now),
                    starts_at: row.starts_at,
                    current_period_end: row.ends_at,
                    plan_end: row.ends_at,
                }
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MySubscriptionResponse {
    /// A paid plan is active now (what gates Breneo's CV import card).
    pub is_active: bool,
    /// `free`, `starter`, `pro` or `premium`.
    pub plan: String,
    pub plan_name: String,
    /// When the plan ends; careerhub does not bill, so nothing is due before then.
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    pub next_payment_date: Option<chrono::DateTime<chrono::Utc>>,
    /// No card is kept: plans are granted, not bought.
    pub card_mask: Option<String>,
    pub card_type: Option<String>,
}

/// The signed-in user's plan, as Breneo's sidebar and CV import card read it.
#[utoipa::path(get, path = "/api/me/subscription", tag = "breneo", security(("bearer" = [])),
    responses((status = 200, body = MySubscriptionResponse)))]
pub async fn my_subscription(
    State(state): State<AppState>,
    user: crate::extract::ActiveUser,
) -> ApiResult<Json<MySubscriptionResponse>> {
    let rows = subscription::subscriptions_of(state.db.reader(), user.id()).await?;
    let now = state.clock.now_utc();
    let current = rows.iter().find(|row| row.is_current(now));
    let tier = current
        .and_then(|row| subscription::parse_plan(&row.plan))
        .unwrap_or(SubscriptionTier::Free);
    Ok(Json(MySubscriptionResponse {
        is_active: current.is_some(),
        plan: plans::code(tier).into(),
        plan_name: format!("{} Plan", plans::names(tier)[0]),
        ends_at: current.and_then(|row| row.ends_at),
        next_payment_date: None,
        card_mask: None,
        card_type: None,
    }))
}
