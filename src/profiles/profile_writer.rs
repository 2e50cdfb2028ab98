//! Group commit for `PUT /api/me/industry-profile/`: concurrent upserts are queued to one task
//! that writes everything waiting as one multi-row upsert in one commit, then answers each
//! request. Under load a batch forms while the previous one commits; a lone write goes straight
//! through, so an idle server adds no latency. Each request is answered only after its row is
//! committed, so a read that follows sees it.
//!
//! Why: on SQLite every commit goes through the single writer connection, which held PUTs to
//! about a tenth of the JWT-only ceiling (see docs/decisions.md).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::industry_profile;
use crate::error::{ApiError, ApiResult};

/// At most this many upserts share a statement.
const MAX_BATCH: usize = 256;
/// Requests waiting for the writer beyond this are refused with 503 rather than queued.
const QUEUE_CAPACITY: usize = 4096;

/// One upsert waiting for the writer.
struct PendingWrite {
    row: ProfileRow,
    done: oneshot::Sender<Result<(), DbErr>>,
}

/// One user's profile as written.
#[derive(Clone, Debug)]
pub struct ProfileRow {
    pub user_id: i64,
    pub years: Value,
    /// `client` or `server` (see `industry`).
    pub source: &'static str,
    pub updated_at: DateTime<Utc>,
}

/// The handle requests use; cheap to clone.
#[derive(Clone)]
pub struct ProfileWriter {
    queue: mpsc::Sender<PendingWrite>,
}

impl ProfileWriter {
    /// Starts the writer task on the current runtime; it ends when every handle is dropped.
    pub fn start(db: DatabaseConnection) -> ProfileWriter {
        let (queue, receiver) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(write_batches(db, receiver));
        ProfileWriter { queue }
    }

    /// Upserts a user's profile and returns once it is committed; 503 when the queue is full.
    pub async fn upsert(&self, row: ProfileRow) -> ApiResult<()> {
        let (done, committed) = oneshot::channel();
        self.queue
            .try_send(PendingWrite { row, done })
            .map_err(|_| {
                ApiError::Unavailable(
                    "Too many profile updates are waiting; please retry shortly.".into(),
                )
            })?;
        let result = committed
            .await
            .map_err(|_| anyhow::anyhow!("the profile writer stopped"))?;
        Ok(result?)
    }
}

async fn write_batches(db: DatabaseConnection, mut receiver: mpsc::Receiver<PendingWrite>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let rows: Vec<ProfileRow> = batch.iter().map(|pending| pending.row.clone()).collect();
        match upsert_rows(&db, last_write_per_user(rows)).await {
            Ok(()) => {
                for pending in batch.drain(..) {
                    let _ = pending.done.send(Ok(()));
                }
            }
            // One bad row (say, an account deleted meanwhile) must not fail the others.
            Err(_) => {
                for pending in batch.drain(..) {
                    let result = upsert_rows(&db, vec![pending.row]).await;
                    let _ = pending.done.send(result);
                }
            }
        }
    }
}

/// A statement may not upsert one key twice (PostgreSQL refuses); the later write wins, as it
/// would have had the two been committed one after the other.
fn last_write_per_user(rows: Vec<ProfileRow>) -> Vec<ProfileRow> {
    let mut latest: Vec<ProfileRow> = Vec::with_capacity(rows.len());
    for row in rows {
        match latest.iter_mut().find(|kept| kept.user_id == row.user_id) {
            Some(kept) => *kept = row,
            None => latest.push(row),
        }
    }
    latest
}

/// Writes each user's one profile row, creating it the first time.
pub async fn upsert_rows(db: &impl ConnectionTrait, rows: Vec<ProfileRow>) -> Result<(), DbErr> {
    use industry_profile::Column;
    let models = rows.into_iter().map(|row| industry_profile::ActiveModel {
        user_id: Set(row.user_id),
        industry_years_json: Set(row.years),
        source: Set(row.source.to_owned()),
        updated_at: Set(row.updated_at),
        ..Default::default()
    });
    industry_profile::Entity::insert_many(models)
        .on_conflict(
            OnConflict::column(Column::UserId)
                .update_columns([Column::IndustryYearsJson, Column::Source, Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user_id: i64, n: i64) -> ProfileRow {
        ProfileRow {
            user_id,
            years: serde_json::json!({ "n": n }),
            source: "client",
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn the_last_write_per_user_wins_within_a_batch() {
        let kept = last_write_per_user(vec![row(1, 1), row(2, 1), row(1, 2)]);
        let kept: Vec<(i64, Value)> = kept.into_iter().map(|r| (r.user_id, r.years)).collect();
        assert_eq!(
            kept,
            vec![
                (1, serde_json::json!({"n": 2})),
                (2, serde_json::json!({"n": 1}))
            ]
        );
    }
}
