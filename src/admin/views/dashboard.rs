//! The dashboard: users by kind and tier, sign-ups per day, the queue, failed jobs and postings
//! ingested, each linking to its list.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::users::kind_name;
use crate::accounts::user::{self, AccountKind, SubscriptionTier};
use crate::admin::page::{AdminResult, Cell, Layout, Table, render};
use crate::admin::session::Staff;
use crate::db::Db;
use crate::market::{job_posting, spend};
use crate::portfolios::portfolio;
use crate::queue::{self, FAILED, QUEUED, job};
use crate::state::AppState;
use crate::talent::subscription::plan_name;

/// Days in the sign-ups chart.
const SIGNUP_DAYS: i64 = 14;
const TIERS: [SubscriptionTier; 4] = [
    SubscriptionTier::Free,
    SubscriptionTier::Starter,
    SubscriptionTier::Pro,
    SubscriptionTier::Premium,
];

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    layout: Layout,
    /// (label, figure, link).
    cards: Vec<(&'static str, u64, &'static str)>,
    /// (day, sign-ups, bar width in percent).
    signups: Vec<(String, u64, u64)>,
    tables: Vec<(String, Table)>,
}

/// `GET /admin`
pub async fn show(State(state): State<AppState>, staff: Staff) -> AdminResult<Response> {
    let db = &state.db;
    let conn = db.reader();
    let week_ago = Utc::now() - Duration::days(7);
    let depth: BTreeMap<String, i64> = queue::depth(conn).await?.into_iter().collect();
    let count_of = |status: &str| depth.get(status).copied().unwrap_or(0).max(0) as u64;
    let cards = vec![
        (
            "Users",
            user::Entity::find().count(conn).await?,
            "/admin/users",
        ),
        (
            "Job postings",
            job_posting::Entity::find().count(conn).await?,
            "/admin/postings",
        ),
        (
            "Postings ingested, 7 days",
            job_posting::Entity::find()
                .filter(job_posting::Column::ScrapedAt.gte(week_ago))
                .count(conn)
                .await?,
            "/admin/postings",
        ),
        (
            "Published portfolios",
            portfolio::Entity::find()
                .filter(portfolio::Column::IsPublished.eq(true))
                .count(conn)
                .await?,
            "/admin/portfolios?published=yes",
        ),
        (
            "Jobs queued",
            count_of(QUEUED),
            "/admin/queue?status=queued",
        ),
        (
            "Jobs failed",
            count_of(FAILED),
            "/admin/queue?status=failed",
        ),
    ];
    let queue_rows = depth
        .iter()
        .map(|(status, n)| {
            vec![
                Cell::link(status, format!("/admin/queue?status={status}")),
                Cell::text(n),
            ]
        })
        .collect();
    let tables = vec![
        (
            "Users by kind and tier".to_owned(),
            users_by_kind_and_tier(db).await?,
        ),
        (
            "Queue by status".to_owned(),
            Table::plain(&["Status", "Jobs"], queue_rows),
        ),
        (
            "Latest failed jobs".to_owned(),
            latest_failed_jobs(db).await?,
        ),
        (
            "Provider spend today".to_owned(),
            provider_spend(&state).await?,
        ),
    ];
    let page = Dashboard {
        layout: staff.layout("Dashboard", "/admin"),
        cards,
        signups: signups(db).await?,
        tables,
    };
    Ok(render(StatusCode::OK, &page))
}

/// TheirStack jobs requested today against the daily cap (every instance's, from the database).
async fn provider_spend(state: &AppState) -> AdminResult<Table> {
    let heads = ["Provider", "Jobs requested today (UTC)", "Daily cap"];
    let Some(theirstack) = &state.theirstack else {
        let row = vec![
            Cell::text("TheirStack"),
            Cell::text("not configured"),
            Cell::text(""),
        ];
        return Ok(Table::plain(&heads, vec![row]));
    };
    let now = state.clock.now_utc();
    let today = spend::spent_today(state.db.reader(), spend::THEIRSTACK, now).await?;
    let row = vec![
        Cell::text("TheirStack"),
        Cell::text(today),
        Cell::text(theirstack.config().daily_jobs_cap),
    ];
    Ok(Table::plain(&heads, vec![row]))
}

async fn users_by_kind_and_tier(db: &Db) -> AdminResult<Table> {
    let counts: Vec<(AccountKind, SubscriptionTier, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::AccountKind)
        .column(user::Column::SubscriptionTier)
        .column_as(user::Column::Id.count(), "count")
        .group_by(user::Column::AccountKind)
        .group_by(user::Column::SubscriptionTier)
        .into_tuple()
        .all(db.reader())
        .await?;
    let rows = [
        AccountKind::User,
        AccountKind::Talent,
        AccountKind::Background,
    ]
    .into_iter()
    .map(|kind| {
        let of = |tier: SubscriptionTier| {
            counts
                .iter()
                .filter(|(k, t, _)| *k == kind && *t == tier)
                .map(|(_, _, n)| *n)
                .sum::<i64>()
        };
        let name = kind_name(kind);
        let mut row = vec![Cell::link(name, format!("/admin/users?kind={name}"))];
        row.extend(TIERS.iter().map(|&tier| {
            Cell::link(
                of(tier),
                format!("/admin/users?kind={name}&tier={}", plan_name(tier)),
            )
        }));
        row.push(Cell::text(TIERS.iter().map(|&t| of(t)).sum::<i64>()));
        row
    })
    .collect();
    Ok(Table::plain(
        &["Kind", "free", "starter", "pro", "premium", "All"],
        rows,
    ))
}

/// Sign-ups per day over the last days, oldest first, each with its bar's width.
async fn signups(db: &Db) -> AdminResult<Vec<(String, u64, u64)>> {
    let today = Utc::now().date_naive();
    let first = today - Duration::days(SIGNUP_DAYS - 1);
    let start = first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let joined: Vec<chrono::DateTime<Utc>> = user::Entity::find()
        .select_only()
        .column(user::Column::DateJoined)
        .filter(user::Column::DateJoined.gte(start))
        .into_tuple()
        .all(db.reader())
        .await?;
    let mut per_day: BTreeMap<NaiveDate, u64> = (0..SIGNUP_DAYS)
        .map(|d| (first + Duration::days(d), 0))
        .collect();
    for at in joined {
        *per_day.entry(at.date_naive()).or_default() += 1;
    }
    let most = per_day.values().copied().max().unwrap_or(0).max(1);
    Ok(per_day
        .into_iter()
        .map(|(day, n)| (day.format("%a %d %b").to_string(), n, n * 100 / most))
        .collect())
}

async fn latest_failed_jobs(db: &Db) -> AdminResult<Table> {
    let failed = job::Entity::find()
        .filter(job::Column::Status.eq(FAILED))
        .order_by_desc(job::Column::UpdatedAt)
        .limit(5)
        .all(db.reader())
        .await?;
    let rows = failed
        .iter()
        .map(|j| {
            vec![
                Cell::link(format!("#{}", j.id), format!("/admin/queue/{}", j.id)),
                Cell::text(&j.kind),
                Cell::optional(j.last_error.as_ref()),
                Cell::text(j.updated_at.format("%Y-%m-%d %H:%M")),
            ]
        })
        .collect();
    Ok(Table::plain(&["Job", "Kind", "Error", "When"], rows))
}
