//! Durable background jobs in the app database. A job is enqueued in the same transaction as
//! the row that needs it, so neither exists without the other; workers claim due jobs, renew
//! their claim while they run, retry failures with exponential backoff, and record a final
//! failure with its error. A job whose worker died is claimed again once its claim lapses.

pub mod claim;
pub mod job;
pub mod worker;

pub use claim::Claim;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Set, Statement,
};
use serde_json::Value;

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const SUCCEEDED: &str = "succeeded";
pub const FAILED: &str = "failed";

/// Attempts a job gets unless it asks for another number.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 5;
/// The first retry waits this long; each later one twice the one before.
const FIRST_BACKOFF_SECONDS: i64 = 10;
const MAX_BACKOFF_SECONDS: i64 = 3_600;

/// A job to enqueue.
#[derive(Clone, Debug)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: Value,
    /// When set, nothing is enqueued while a job with this key is queued or running.
    pub dedupe_key: Option<String>,
    pub max_attempts: i32,
    /// The user the job works for; the queue takes turns between owners.
    pub owner_id: Option<i64>,
}

impl NewJob {
    pub fn new(kind: &'static str, payload: Value) -> NewJob {
        NewJob {
            kind,
            payload,
            dedupe_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            owner_id: None,
        }
    }

    /// Marks the job as working for this user (fair claiming, per-user caps).
    pub fn owned_by(mut self, user_id: i64) -> NewJob {
        self.owner_id = Some(user_id);
        self
    }

    pub fn deduplicated_by(mut self, key: impl Into<String>) -> NewJob {
        self.dedupe_key = Some(key.into());
        self
    }
}

/// Enqueues a job due now; `None` when an equal job (same dedupe key) is already waiting or
/// running. Call it inside the transaction that writes the row needing the job.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    new: NewJob,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    if let Some(key) = &new.dedupe_key {
        let pending = job::Entity::find()
            .filter(job::Column::DedupeKey.eq(key.as_str()))
            .filter(job::Column::Status.is_in([QUEUED, RUNNING]))
            .count(conn)
            .await?;
        if pending > 0 {
            return Ok(None);
        }
    }
    let row = job::ActiveModel {
        kind: Set(new.kind.to_owned()),
        payload: Set(new.payload),
        status: Set(QUEUED.to_owned()),
        attempts: Set(0),
        max_attempts: Set(Ord::max(new.max_attempts, 1)),
        run_at: Set(now),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        dedupe_key: Set(new.dedupe_key),
        owner_id: Set(new.owner_id),
        claimed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(Some(row.id))
}

/// Claims a due job for `worker` until `now + lease`: a queued job whose time has come, or a
/// running one whose worker stopped renewing its claim. Two workers never get the same job:
/// PostgreSQL skips rows another claim holds; SQLite has a single writer.
///
/// Claims take turns between owners: first the owner with the fewest running jobs, then the
/// one served longest ago (never served first), then the oldest job. So one user's backlog
/// delays another user's first job by at most the time one job takes. System jobs (no owner)
/// count as an owner never served.
pub async fn claim(
    conn: &impl ConnectionTrait,
    worker: &str,
    lease: std::time::Duration,
    now: DateTime<Utc>,
) -> Result<Option<job::Model>, DbErr> {
    let backend = conn.get_database_backend();
    // Numbered on both engines (`$n`, `?n`): the time appears five times.
    let p = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    };
    let skip_locked = if backend == DbBackend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let due = format!(
        "((status = '{QUEUED}' AND run_at <= {now}) OR (status = '{RUNNING}' AND locked_until < {now}))",
        now = p(3)
    );
    let turn = format!(
        "(SELECT COUNT(*) FROM jobs r WHERE r.owner_id = j.owner_id AND r.status = '{RUNNING}'), \
         (SELECT MAX(c.claimed_at) FROM jobs c WHERE c.owner_id = j.owner_id) IS NOT NULL, \
         (SELECT MAX(c.claimed_at) FROM jobs c WHERE c.owner_id = j.owner_id)"
    );
    let sql = format!(
        "UPDATE jobs SET status = '{RUNNING}', attempts = attempts + 1, locked_by = {worker}, \
         locked_until = {until}, updated_at = {now}, claimed_at = {now} \
         WHERE id = (SELECT j.id FROM jobs j WHERE {due} ORDER BY {turn}, j.run_at, j.id \
         LIMIT 1{skip_locked}) AND {due} RETURNING *",
        worker = p(1),
        until = p(2),
        now = p(3),
    );
    let until = now + Duration::from_std(lease).unwrap_or(Duration::minutes(5));
    let values: Vec<sea_orm::Value> = vec![worker.into(), until.into(), now.into()];
    job::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .one(conn)
        .await
}

/// Extends `worker`'s claim on a running job; false when the claim was lost.
pub async fn renew(
    conn: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = job::Entity::update_many()
        .col_expr(job::Column::LockedUntil, Expr::value(until))
        .filter(claimed_by(id, worker))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

fn claimed_by(id: i64, worker: &str) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(job::Column::Id.eq(id))
        .add(job::Column::Status.eq(RUNNING))
        .add(job::Column::LockedBy.eq(worker))
}

/// Marks `worker`'s running job done; false when the claim was lost (nothing changed).
pub async fn succeed(
    conn: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(SUCCEEDED))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(claimed_by(id, worker))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a failed run: queued again after a backoff while attempts remain (and the error is
/// not `permanent`), else `failed` for good. Returns whether it failed for good.
pub async fn fail(
    conn: &impl ConnectionTrait,
    job: &job::Model,
    worker: &str,
    error: &str,
    permanent: bool,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let final_failure = permanent || job.attempts >= job.max_attempts;
    let mut update = job::Entity::update_many()
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now));
    update = if final_failure {
        update
            .col_expr(job::Column::Status, Expr::value(FAILED))
            .col_expr(job::Column::FinishedAt, Expr::value(now))
    } else {
        update
            .col_expr(job::Column::Status, Expr::value(QUEUED))
            .col_expr(job::Column::RunAt, Expr::value(now + backoff(job.attempts)))
    };
    update.filter(claimed_by(job.id, worker)).exec(conn).await?;
    Ok(final_failure)
}

/// Gives a job back unfinished (a worker shutting down): queued again now, the interrupted
/// attempt not counted.
pub async fn hand_back(
    conn: &impl ConnectionTrait,
    id: i64,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(QUEUED))
        .col_expr(
            job::Column::Attempts,
            Expr::col(job::Column::Attempts).sub(1),
        )
        .col_expr(job::Column::RunAt, Expr::value(now))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(claimed_by(id, worker))
        .exec(conn)
        .await?;
    Ok(())
}

/// The wait before retry number `attempts`: 10 s, 20 s, 40 s, … at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    Duration::seconds(Ord::min(
        FIRST_BACKOFF_SECONDS << doublings,
        MAX_BACKOFF_SECONDS,
    ))
}

/// How many jobs of `kind` are waiting or running for this user.
pub async fn pending_of(
    conn: &impl ConnectionTrait,
    owner_id: i64,
    kind: &str,
) -> Result<usize, DbErr> {
    let count = job::Entity::find()
        .filter(job::Column::OwnerId.eq(owner_id))
        .filter(job::Column::Kind.eq(kind))
        .filter(job::Column::Status.is_in([QUEUED, RUNNING]))
        .count(conn)
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// Deletes succeeded jobs finished before `before`; returns how many. Failed jobs stay for the
/// admin's queue page.
pub async fn prune_succeeded(
    conn: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let result = job::Entity::delete_many()
        .filter(job::Column::Status.eq(SUCCEEDED))
        .filter(job::Column::FinishedAt.lt(before))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// How many jobs are in each status, for `/metrics` and the admin dashboard.
pub async fn depth(conn: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    job::Entity::find()
        .select_only()
        .column(job::Column::Status)
        .column_as(job::Column::Id.count(), "count")
        .group_by(job::Column::Status)
        .into_tuple()
        .all(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let seconds: Vec<i64> = [1, 2, 3, 4, 9, 30]
            .into_iter()
            .map(|n| backoff(n).num_seconds())
            .collect();
        assert_eq!(seconds, [10, 20, 40, 80, 2_560, 3_600]);
    }
}
