//! The worker: claims due jobs, runs each on its own task while renewing the claim, and records
//! the outcome. `careerhub serve` runs one in-process unless `--no-worker`; `careerhub worker`
//! runs them alone. On shutdown a worker stops claiming, lets running jobs finish for a grace
//! period, and hands back those that did not.

use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use super::job;
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
}

impl JobError {
    pub fn retry(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: false,
        }
    }

    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError {
            message: message.into(),
            permanent: true,
        }
    }
}

impl From<sea_orm::DbErr> for JobError {
    fn from(err: sea_orm::DbErr) -> Self {
        JobError::retry(format!("database: {err}"))
    }
}

/// Runs one job's work.
async fn perform(state: AppState, kind: String, payload: Value) -> Result<(), JobError> {
    match kind.as_str() {
        kinds::MARKET_SYNC_ROLE => market_sync::sync_role_job(&state, &payload).await,
        kinds::MARKET_SYNC_ALL => market_sync::sync_all_job(&state).await,
        kinds::TRACKER_EXTRACT => extraction::run_extraction_job(&state, &payload).await,
        kinds::TRACKER_ANALYZE => analysis::run::run_analysis_job(&state, &payload).await,
        kinds::STORAGE_SWEEP => lifecycle::sweep_orphans(&state).await.map(|_| ()),
        kinds::MAIL_SEND => crate::mail::send_job(&state, &payload).await,
        kinds::RESUME_OCR => crate::resumes::ocr::run_ocr_job(&state, &payload).await,
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
    let Some(job) = super::claim(
        state.db.writer(),
        worker,
        state.config.job_lease,
        state.clock.now_utc(),
    )
    .await?
    else {
        return Ok(None);
    };
    tracing::info!(job_id = job.id, kind = %job.kind, attempt = job.attempts, "job started");
    let started = std::time::Instant::now();
    let outcome = run_claimed(state, worker, &job, shutdown).await?;
    tracing::info!(job_id = job.id, kind = %job.kind, outcome = ?outcome,
        elapsed_ms = started.elapsed().as_millis() as u64, "job ended");
    state.metrics.record_job(&job.kind, &outcome);
    Ok(Some((job, outcome)))
}

async fn run_claimed(
    state: &AppState,
    worker: &str,
    job: &job::Model,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<Outcome, sea_orm::DbErr> {
    // Its own task: a panic becomes an error, and shutdown can abandon it.
    let mut task = tokio::spawn(perform(
        state.clone(),
        job.kind.clone(),
        job.payload.clone(),
    ));
    let mut renewals = tokio::time::interval(state.config.job_lease / 3);
    renewals.tick().await;
    let mut grace: Option<std::pin::Pin<Box<tokio::time::Sleep>>> = None;
    let result = loop {
        tokio::select! {
            joined = &mut task => break joined,
            _ = renewals.tick() => {
                let until = state.clock.now_utc() + chrono::Duration::from_std(state.config.job_lease).unwrap_or_default();
                if !super::renew(state.db.writer(), job.id, worker, until).await? {
                    task.abort();
                    tracing::warn!(job_id = job.id, "job claim lost; abandoning the run");
                    return Ok(Outcome::ClaimLost);
                }
            }
            _ = shutdown.changed(), if grace.is_none() => {
                grace = Some(Box::pin(tokio::time::sleep(SHUTDOWN_GRACE)));
            }
            () = async { grace.as_mut().expect("set").await }, if grace.is_some() => {
                task.abort();
                super::hand_back(state.db.writer(), job.id, worker, state.clock.now_utc()).await?;
                return Ok(Outcome::HandedBack);
            }
        }
    };
    let now = state.clock.now_utc();
    let error = match result {
        Ok(Ok(())) => {
            super::succeed(state.db.writer(), job.id, worker, now).await?;
            return Ok(Outcome::Succeeded);
        }
        Ok(Err(error)) => error,
        Err(joined) if joined.is_panic() => JobError::retry("the job panicked"),
        Err(joined) => JobError::retry(format!("the job was cancelled: {joined}")),
    };
    tracing::warn!(job_id = job.id, kind = %job.kind, error = %error.message, "job failed");
    let failed = super::fail(
        state.db.writer(),
        job,
        worker,
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
