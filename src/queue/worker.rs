//! The worker: claims due jobs, runs each on its own task while renewing the claim, and records
//! the outcome. `careerhub serve` runs one in-process unless `--no-worker`; `careerhub worker`
//! runs them alone. On shutdown a worker stops claiming, lets running jobs finish for a grace
//! period, and hands back those that did not.

use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use super::{Claim, job};
use crate::lifecycle;
use crate::market::sync as market_sync;
use crate::state::AppState;
use crate::tracker::{analysis, extraction};

/// How long an idle worker waits before looking for due jobs again.
const POLL: Duration = Duration::from_secs(1);
/// How long running jobs get to finish once shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// Every kind of job and what runs it.
pub mod kinds {
    pub const MARKET_SYNC_ROLE: &str = "market.sync_role";
    pub const MARKET_SYNC_ALL: &str = "market.sync_all";
    pub const TRACKER_EXTRACT: &str = "tracker.extract_job";
    pub const TRACKER_ANALYZE: &str = "tracker.analyze";
    pub const STORAGE_SWEEP: &str = "storage.sweep_orphans";
    pub const MAIL_SEND: &str = "mail.send";
    pub const RESUME_OCR: &str = "resumes.ocr";
}

/// Why a run failed; a permanent failure is not retried.
#[derive(Debug)]
pub struct JobError {
    pub message: String,
    pub permanent: bool,
    /// Another worker holds the job now (this one stalled past its lease): record nothing.
    pub claim_lost: bool,
}

impl JobError {
    pub fn retry(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: false,
            claim_lost: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: true,
            claim_lost: false,
        }
    }

    pub fn claim_lost() -> JobError {
        JobError {
            message: "the job's claim was taken over".into(),
            permanent: false,
            claim_lost: true,
        }
    }
}

impl From<sea_orm::DbErr> for JobError {
    fn from(err: sea_orm::DbErr) -> Self {
        JobError::retry(format!("database: {err}"))
    }
}

/// Runs one job's work. Jobs whose result must not be written twice record it through
/// `claim` (see [`Claim::begin_result`]).
async fn perform(
    state: AppState,
    claim: Claim,
    kind: String,
    payload: Value,
) -> Result<(), JobError> {
    match kind.as_str() {
        kinds::MARKET_SYNC_ROLE => market_sync::sync_role_job(&state, &payload).await,
        kinds::MARKET_SYNC_ALL => market_sync::sync_all_job(&state).await,
        kinds::TRACKER_EXTRACT => extraction::run_extraction_job(&state, &claim, &payload).await,
        kinds::TRACKER_ANALYZE => analysis::run::run_analysis_job(&state, &claim, &payload).await,
        kinds::STORAGE_SWEEP => lifecycle::sweep_orphans(&state).await.map(|_| ()),
        kinds::MAIL_SEND => crate::mail::send_job(&state, &payload).await,
        kinds::RESUME_OCR => crate::resumes::ocr::run_ocr_job(&state, &claim, &payload).await,
        other => Err(JobError::permanent(format!("unknown job kind {other:?}"))),
    }
}

/// What became of a claimed job.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    /// Queued again after a backoff.
    Retrying,
    Failed,
    /// Shutdown came first; queued again.
    HandedBack,
    /// The claim lapsed and another worker may have it; nothing recorded.
    ClaimLost,
}

/// Claims one due job and runs it to its outcome; `None` when no job is due.
pub async fn run_once(
    state: &AppState,
    worker: &str,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<Option<(job::Model, Outcome)>, sea_orm::DbErr> {
    let token = Claim::token_for(worker);
    let Some(job) = super::claim(
        state.db.writer(),
        &token,
        state.config.job_lease,
        state.clock.now_utc(),
    )
    .await?
    else {
        return Ok(None);
    };
    tracing::info!(job_id = job.id, kind = %job.kind, attempt = job.attempts, "job started");
    let started = std::time::Instant::now();
    let claim = Claim::new(job.id, token);
    let outcome = run_claimed(state, &claim, &job, shutdown).await?;
    tracing::info!(job_id = job.id, kind = %job.kind, outcome = ?outcome,
        elapsed_ms = started.elapsed().as_millis() as u64, "job ended");
    state.metrics.record_job(&job.kind, &outcome);
    Ok(Some((job, outcome)))
}

/// A spawned run that is aborted when its handle goes, whichever way `run_claimed` returns.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn run_claimed(
    state: &AppState,
    claim: &Claim,
    job: &job::Model,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<Outcome, sea_orm::DbErr> {
    // Its own task: a panic becomes an error, and shutdown or a lost claim can abort it.
    let mut task = AbortOnDrop(tokio::spawn(perform(
        state.clone(),
        claim.clone(),
        job.kind.clone(),
        job.payload.clone(),
    )));
    let token = claim.token();
    let mut renewals = tokio::time::interval(state.config.job_lease / 3);
    renewals.tick().await;
    let mut grace: Option<std::pin::Pin<Box<tokio::time::Sleep>>> = None;
    let result = loop {
        tokio::select! {
            joined = &mut task.0 => break joined,
            _ = renewals.tick() => {
                let until = state.clock.now_utc() + chrono::Duration::from_std(state.config.job_lease).unwrap_or_default();
                match super::renew(state.db.writer(), job.id, token, until).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(job_id = job.id, "job claim lost; aborting the run");
                        return Ok(Outcome::ClaimLost);
                    }
                    // The work goes on: its result is fenced by the claim, and the next
                    // renewal (a third of the lease later) tries again.
                    Err(err) => tracing::warn!(job_id = job.id, error = %err, "could not renew the job's claim"),
                }
            }
            _ = shutdown.changed(), if grace.is_none() => {
                grace = Some(Box::pin(tokio::time::sleep(SHUTDOWN_GRACE)));
            }
            () = async { grace.as_mut().expect("set").await }, if grace.is_some() => {
                task.0.abort();
                super::hand_back(state.db.writer(), job.id, token, state.clock.now_utc()).await?;
                return Ok(Outcome::HandedBack);
            }
        }
    };
    let now = state.clock.now_utc();
    let error = match result {
        Ok(Ok(())) if claim.result_recorded() => return Ok(Outcome::Succeeded),
        Ok(Ok(())) => {
            return Ok(
                if super::succeed(state.db.writer(), job.id, token, now).await? {
                    Outcome::Succeeded
                } else {
                    Outcome::ClaimLost
                },
            );
        }
        Ok(Err(error)) if error.claim_lost => {
            tracing::warn!(job_id = job.id, kind = %job.kind, "job claim lost before its result; nothing recorded");
            return Ok(Outcome::ClaimLost);
        }
        Ok(Err(error)) => error,
        Err(joined) if joined.is_panic() => JobError::retry("the job panicked"),
        Err(joined) => JobError::retry(format!("the job was cancelled: {joined}")),
    };
    tracing::warn!(job_id = job.id, kind = %job.kind, error = %error.message, "job failed");
    let failed = super::fail(
        state.db.writer(),
        job,
        token,
        &error.message,
        error.permanent,
        now,
    )
    .await?;
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Retrying
    })
}

/// Runs `concurrency` job loops (and the market schedule, when configured) until `shutdown`
/// turns true, then lets running jobs finish or hands them back.
pub async fn run(state: AppState, concurrency: usize, shutdown: watch::Receiver<bool>) {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "local".into());
    let mut loops = tokio::task::JoinSet::new();
    for n in 0..concurrency.max(1) {
        let worker = format!("{host}:{}:{n}", std::process::id());
        loops.spawn(job_loop(state.clone(), worker, shutdown.clone()));
    }
    if let Some(every) = state.config.market_sync_interval {
        loops.spawn(market_sync::schedule(
            state.clone(),
            every,
            shutdown.clone(),
        ));
    }
    if let Some(every) = state.config.sweep_interval {
        loops.spawn(sweep_schedule(state.clone(), every, shutdown.clone()));
    }
    if let Some(retention) = state.config.job_retention {
        loops.spawn(prune_schedule(state.clone(), retention, shutdown.clone()));
    }
    tracing::info!(concurrency, "worker started");
    while loops.join_next().await.is_some() {}
    tracing::info!("worker stopped");
}

/// Enqueues the orphaned-file sweep every `every` (once across workers: the job is deduplicated).
async fn sweep_schedule(state: AppState, every: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        let job = super::NewJob::new(kinds::STORAGE_SWEEP, serde_json::json!({}))
            .deduplicated_by(kinds::STORAGE_SWEEP);
        if let Err(err) = super::enqueue(state.db.writer(), job, state.clock.now_utc()).await {
            tracing::warn!(error = %err, "could not enqueue the file sweep");
        }
    }
}

/// How often a worker deletes succeeded jobs past their retention.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Deletes succeeded jobs older than `retention` (and, on PostgreSQL, rate-limit rows of full
/// budgets) now and every hour, so the queue (and every `/metrics` count over it) stays the
/// size of recent work. Safe on every worker at once.
async fn prune_schedule(state: AppState, retention: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        let before =
            state.clock.now_utc() - chrono::Duration::from_std(retention).unwrap_or_default();
        match super::prune_succeeded(state.db.writer(), before).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, "succeeded jobs past their retention deleted"),
            Err(err) => tracing::warn!(error = %err, "could not prune succeeded jobs"),
        }
        if !state.config.is_sqlite() {
            // Budgets that are full again hold nothing worth keeping.
            let now_us = state.clock.now_utc().timestamp_micros();
            if let Err(err) = crate::ratelimit_shared::prune(state.db.writer(), now_us).await {
                tracing::warn!(error = %err, "could not prune rate-limit rows");
            }
        }
        tokio::select! {
            () = tokio::time::sleep(PRUNE_EVERY) => {}
            _ = shutdown.changed() => return,
        }
    }
}

async fn job_loop(state: AppState, worker: String, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        let idle = match run_once(&state, &worker, &mut shutdown).await {
            Ok(Some(_)) => false,
            Ok(None) => true,
            Err(err) => {
                tracing::error!(error = %err, "the job queue is unreachable");
                true
            }
        };
        if idle {
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}
