//! Keeping the postings fresh from TheirStack: one sync per target role (when a user adds the
//! role, and for every user's roles on a schedule), each asking only for jobs discovered after
//! the last one stored for that search, so no posting is paid for twice.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect, Statement};
use serde_json::{Value, json};
use tokio::sync::watch;

use super::import::{from_theirstack, parse_date_time};
use super::postings;
use super::spend;
use super::store::{self, Upserted};
use super::theirstack::{JobSearch, TheirStack, TheirStackError};
use crate::accounts::user::{self, StringList};
use crate::db;
use crate::queue::worker::{JobError, kinds};
use crate::queue::{self, NewJob};
use crate::state::AppState;

/// What one sync stored.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// The role's search already ran inside the window: nothing was asked.
    pub skipped_recent: bool,
    /// The day's job budget ran out before the sync did.
    pub daily_cap_reached: bool,
    pub pages: u32,
    pub received: u64,
    pub inserted: u64,
    pub updated: u64,
    pub rejected: u64,
    pub rate_limit_waits: Vec<Duration>,
}

/// The search a role's cursor belongs to: the role (any case) and the countries asked.
fn search_key(role: &str, countries: &[String]) -> String {
    format!("{}|{}", role.trim().to_lowercase(), countries.join(","))
}

/// Pulls the role's new postings page by page, storing each page with the cursor in one
/// transaction, so a crash never makes the next run ask (and pay) for a stored page again.
/// A role synced inside `role_sync_window` is not asked again, and every page first reserves
/// its jobs from the day's budget (`market::spend`), stopping the sync when it is spent.
pub async fn sync_role(
    db: &db::Db,
    client: &TheirStack,
    role: &str,
    now: DateTime<Utc>,
) -> Result<SyncReport, TheirStackError> {
    let config = client.config();
    let key = search_key(role, &config.countries);
    let mut report = SyncReport::default();
    let window = chrono::Duration::from_std(config.role_sync_window).unwrap_or_default();
    if !spend::claim_role_sync(db.writer(), &key, now - window, now)
        .await
        .map_err(unavailable)?
    {
        report.skipped_recent = true;
        return Ok(report);
    }
    let synced = pull_pages(db, client, role, &key, now, &mut report).await;
    if synced.is_err() {
        // A failed run is retried by the queue: it must not find its own claim in the way.
        let _ = spend::release_role_sync(db.writer(), &key).await;
    }
    synced.map(|()| report)
}

async fn pull_pages(
    db: &db::Db,
    client: &TheirStack,
    role: &str,
    key: &str,
    now: DateTime<Utc>,
    report: &mut SyncReport,
) -> Result<(), TheirStackError> {
    let config = client.config();
    let cursor = load_cursor(db.reader(), key).await.map_err(unavailable)?;
    // Jobs discovered in the cursor's second were stored with it: start after it.
    let after = cursor.map(|at| at + chrono::Duration::seconds(1));
    let mut search = JobSearch::new(config, role, after);
    let asked = u64::from(config.page_size);
    for page in 0..config.max_pages {
        search.page = page;
        let budget = spend::reserve(
            db.writer(),
            spend::THEIRSTACK,
            asked,
            config.daily_jobs_cap,
            now,
        );
        if !budget.await.map_err(unavailable)? {
            report.daily_cap_reached = true;
            tracing::warn!(
                role,
                cap = config.daily_jobs_cap,
                "TheirStack daily job cap reached"
            );
            break;
        }
        let result = match client.search(&search).await {
            Ok(result) => result,
            Err(err) => {
                let _ = spend::refund(db.writer(), spend::THEIRSTACK, asked, now).await;
                return Err(err);
            }
        };
        let received = result.jobs.len() as u64;
        spend::refund(
            db.writer(),
            spend::THEIRSTACK,
            asked.saturating_sub(received),
            now,
        )
        .await
        .map_err(unavailable)?;
        report.pages += 1;
        report.received += received;
        report.rate_limit_waits.extend(result.rate_limit_waits);
        let full_page = result.jobs.len() as u32 >= config.page_size;
        store_page(db, key, role, &config.countries, result.jobs, report)
            .await
            .map_err(unavailable)?;
        if !full_page {
            break;
        }
    }
    Ok(())
}

fn unavailable(err: DbErr) -> TheirStackError {
    TheirStackError::Unavailable(format!("could not store: {err}"))
}

async fn store_page(
    db: &db::Db,
    key: &str,
    role: &str,
    countries: &[String],
    jobs: Vec<Value>,
    report: &mut SyncReport,
) -> Result<(), DbErr> {
    let newest = jobs
        .iter()
        .filter_map(|job| job.get("discovered_at").and_then(Value::as_str))
        // Parsed as the posting's `scraped_at` is, so the cursor is what was stored.
        .filter_map(parse_date_time)
        .max();
    let mut valid = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let mapped = from_theirstack(job).and_then(|mut input| {
            input.search_keywords = Some(role.trim().to_owned());
            input.search_location = Some(countries.join(", "));
            postings::validate(input)
        });
        match mapped {
            Ok(posting) => valid.push(posting),
            Err(reason) => {
                report.rejected += 1;
                let id = job.get("id").cloned().unwrap_or_default();
                tracing::warn!(job = %id, %reason, "TheirStack job not stored");
            }
        }
    }
    let now = db::now();
    let outcomes = db::in_transaction(db.writer(), async |txn| {
        let outcomes = store::upsert_many(txn, valid, now).await?;
        if let Some(newest) = newest {
            save_cursor(txn, key, newest, now).await?;
        }
        Ok::<_, DbErr>(outcomes)
    })
    .await?;
    db.postings_changed();
    for outcome in outcomes {
        match outcome {
            Ok(Upserted::Inserted(_)) => report.inserted += 1,
            Ok(Upserted::Updated(_)) => report.updated += 1,
            Err(_) => report.rejected += 1,
        }
    }
    Ok(())
}

async fn load_cursor(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let backend = conn.get_database_backend();
    let sql = format!(
        "SELECT discovered_at FROM market_sync_cursors WHERE search_key = {}",
        super::rollups::placeholder(backend, 1)
    );
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [key.into()]))
        .await?;
    row.map(|row| row.try_get::<DateTime<Utc>>("", "discovered_at"))
        .transpose()
}

/// Moves a search's cursor forward (never back).
async fn save_cursor(
    conn: &impl ConnectionTrait,
    key: &str,
    discovered_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let p = |n| super::rollups::placeholder(backend, n);
    let sql = format!(
        "INSERT INTO market_sync_cursors (search_key, discovered_at, updated_at) VALUES ({}, {}, {}) \
         ON CONFLICT (search_key) DO UPDATE SET updated_at = excluded.updated_at, \
         discovered_at = CASE WHEN excluded.discovered_at > market_sync_cursors.discovered_at \
         THEN excluded.discovered_at ELSE market_sync_cursors.discovered_at END",
        p(1),
        p(2),
        p(3)
    );
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [key.into(), discovered_at.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Enqueues a sync for each role (at most one waiting per role), in the caller's transaction;
/// nothing when no provider is configured.
pub async fn enqueue_role_syncs(
    state: &AppState,
    conn: &impl ConnectionTrait,
    roles: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if state.theirstack.is_none() {
        return Ok(());
    }
    for role in roles {
        let job = NewJob::new(kinds::MARKET_SYNC_ROLE, json!({"role": role})).deduplicated_by(
            format!("{}:{}", kinds::MARKET_SYNC_ROLE, role.trim().to_lowercase()),
        );
        queue::enqueue(conn, job, now).await?;
    }
    Ok(())
}

/// The `market.sync_role` job.
pub async fn sync_role_job(state: &AppState, payload: &Value) -> Result<(), JobError> {
    let Some(role) = payload.get("role").and_then(Value::as_str) else {
        return Err(JobError::permanent("the payload has no role"));
    };
    let Some(client) = state.theirstack.as_ref() else {
        return Err(JobError::permanent(format!(
            "{} is not set: no jobs-data provider to sync from",
            crate::config::THEIRSTACK_KEY_VAR
        )));
    };
    match sync_role(&state.db, client, role, state.clock.now_utc()).await {
        Ok(report) => {
            tracing::info!(role, ?report, "market sync done");
            Ok(())
        }
        Err(err @ TheirStackError::Refused { .. }) => Err(JobError::permanent(err.to_string())),
        Err(err) => Err(JobError::retry(err.to_string())),
    }
}

/// The `market.sync_all` job: a sync for every target role any user has.
pub async fn sync_all_job(state: &AppState) -> Result<(), JobError> {
    let lists: Vec<StringList> = user::Entity::find()
        .select_only()
        .column(user::Column::TargetRoles)
        .into_tuple()
        .all(state.db.reader())
        .await?;
    let mut roles: Vec<String> = Vec::new();
    for role in lists.into_iter().flat_map(|list| list.0) {
        if !roles.iter().any(|r| r.eq_ignore_ascii_case(role.trim())) {
            roles.push(role.trim().to_owned());
        }
    }
    let now = state.clock.now_utc();
    db::in_transaction(state.db.writer(), async |txn| {
        enqueue_role_syncs(state, txn, &roles, now).await
    })
    .await?;
    Ok(())
}

/// Enqueues `market.sync_all` every `every` until shutdown.
pub async fn schedule(state: AppState, every: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        let job =
            NewJob::new(kinds::MARKET_SYNC_ALL, json!({})).deduplicated_by(kinds::MARKET_SYNC_ALL);
        if let Err(err) = queue::enqueue(state.db.writer(), job, state.clock.now_utc()).await {
            tracing::error!(error = %err, "could not schedule the market sync");
        }
    }
}
