//! What careerhub may spend at the jobs-data provider: a daily cap on TheirStack jobs requested
//! (it bills every job it returns), counted in the database so it holds across instances and
//! workers, and the record of when each role's search last ran, so a role is synced once per
//! window however many users add it.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Statement};

use super::rollups::placeholder;

/// The provider name in `provider_usage`.
pub const THEIRSTACK: &str = "theirstack";

/// The UTC day a spend counts on.
fn day_of(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%d").to_string()
}

/// Reserves `units` of today's budget; false (nothing reserved) when that would pass `cap`.
/// One conditional upsert, so concurrent reservations never pass the cap together.
pub async fn reserve(
    conn: &impl ConnectionTrait,
    provider: &str,
    units: u64,
    cap: u64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    if units > cap {
        return Ok(false);
    }
    let backend = conn.get_database_backend();
    let p = |n| placeholder(backend, n);
    let sql = format!(
        "INSERT INTO provider_usage (provider, day, units, updated_at) VALUES ({}, {}, {}, {}) \
         ON CONFLICT (provider, day) DO UPDATE SET units = provider_usage.units + excluded.units, \
         updated_at = excluded.updated_at WHERE provider_usage.units + excluded.units <= {}",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5)
    );
    let units = i64::try_from(units).unwrap_or(i64::MAX);
    let cap = i64::try_from(cap).unwrap_or(i64::MAX);
    let result = conn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                provider.into(),
                day_of(now).into(),
                units.into(),
                now.into(),
                cap.into(),
            ],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Gives back what a reservation did not use (the provider returned fewer jobs than asked).
pub async fn refund(
    conn: &impl ConnectionTrait,
    provider: &str,
    units: u64,
    reserved_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if units == 0 {
        return Ok(());
    }
    let backend = conn.get_database_backend();
    let p = |n| placeholder(backend, n);
    let sql = format!(
        "UPDATE provider_usage SET units = units - {} WHERE provider = {} AND day = {}",
        p(1),
        p(2),
        p(3)
    );
    let units = i64::try_from(units).unwrap_or(i64::MAX);
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [units.into(), provider.into(), day_of(reserved_at).into()],
    ))
    .await?;
    Ok(())
}

/// Units spent today (reservations still running included).
pub async fn spent_today(
    conn: &impl ConnectionTrait,
    provider: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let backend = conn.get_database_backend();
    let sql = format!(
        "SELECT units FROM provider_usage WHERE provider = {} AND day = {}",
        placeholder(backend, 1),
        placeholder(backend, 2)
    );
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [provider.into(), day_of(now).into()],
        ))
        .await?;
    Ok(row
        .map(|row| row.try_get::<i64>("", "units"))
        .transpose()?
        .unwrap_or(0))
}

/// Forgets a search's last run (it failed and will be retried).
pub async fn release_role_sync(conn: &impl ConnectionTrait, search_key: &str) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    let sql = format!(
        "DELETE FROM market_role_syncs WHERE search_key = {}",
        placeholder(backend, 1)
    );
    conn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [search_key.into()],
    ))
    .await?;
    Ok(())
}

/// Claims this search's run for the window: true (and the run recorded as now) when the last
/// run is older than `since`, false when one ran inside the window. One conditional upsert, so
/// of many users adding a role at once, one sync runs.
pub async fn claim_role_sync(
    conn: &impl ConnectionTrait,
    search_key: &str,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let backend = conn.get_database_backend();
    let p = |n| placeholder(backend, n);
    let sql = format!(
        "INSERT INTO market_role_syncs (search_key, synced_at) VALUES ({}, {}) \
         ON CONFLICT (search_key) DO UPDATE SET synced_at = excluded.synced_at \
         WHERE market_role_syncs.synced_at < {}",
        p(1),
        p(2),
        p(3)
    );
    let result = conn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [search_key.into(), now.into(), since.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}
