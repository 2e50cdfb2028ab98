//! A worker's claim on one running job, and the fence on what the job records: a job writes
//! its result in the transaction that marks it succeeded, and only while its claim still
//! holds. A worker that stalled past its lease (a paused process, a long GC-like stall of the
//! host) finds its claim taken over and records nothing, so a finished result never changes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use super::worker::JobError;

/// The hold one run has on its job: the token its claim wrote into `locked_by`.
#[derive(Clone, Debug)]
pub struct Claim {
    job_id: i64,
    token: String,
    /// Set once the job recorded its result (and its success) itself.
    recorded: Arc<AtomicBool>,
}

impl Claim {
    pub fn new(job_id: i64, token: impl Into<String>) -> Claim {
        Claim {
            job_id,
            token: token.into(),
            recorded: Arc::default(),
        }
    }

    /// A token unique to one claim by `worker`: a worker that reclaims a job it lost never
    /// mistakes the new claim for the old.
    pub fn token_for(worker: &str) -> String {
        format!("{worker}/{:08x}", rand::random::<u32>())
    }

    pub fn job_id(&self) -> i64 {
        self.job_id
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Opens the transaction the job records its result in. Its first statement marks the job
    /// succeeded under this claim (on PostgreSQL that also locks the job's row until commit,
    /// so no claim can take it meanwhile); when the claim was lost it writes nothing and the
    /// run ends as lost.
    pub async fn begin_result(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> Result<DatabaseTransaction, JobError> {
        let txn = db.begin().await?;
        if !super::succeed(&txn, self.job_id, &self.token, now).await? {
            txn.rollback().await?;
            return Err(JobError::claim_lost());
        }
        Ok(txn)
    }

    /// Commits what the job wrote in [`Claim::begin_result`]'s transaction.
    pub async fn commit_result(&self, txn: DatabaseTransaction) -> Result<(), JobError> {
        txn.commit().await?;
        self.recorded.store(true, Ordering::Release);
        Ok(())
    }

    /// Whether the job already marked itself succeeded with its result.
    pub fn result_recorded(&self) -> bool {
        self.recorded.load(Ordering::Acquire)
    }
}
