//! The job queue: claims, outcomes, retries with backoff, final failures, a dead worker's job
//! running again, deduplication, two workers never sharing a job, and the metrics.

use std::time::Duration;

use careerhub::market::theirstack::TheirStackConfig;
use careerhub::queue::worker::{self, Outcome, kinds};
use careerhub::queue::{self, NewJob, job};
use sea_orm::EntityTrait;
use serde_json::json;
use tokio::sync::watch;

use crate::helpers::TestApp;

async fn enqueue(app: &TestApp, new: NewJob) -> Option<i64> {
    queue::enqueue(app.state.db.writer(), new, app.state.clock.now_utc())
        .await
        .unwrap()
}

async fn stored(app: &TestApp, id: i64) -> job::Model {
    job::Entity::find_by_id(id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap()
}

async fn run_once(app: &TestApp, worker: &str) -> Option<(i64, Outcome)> {
    let (_stop, mut stopping) = watch::channel(false);
    worker::run_once(&app.state, worker, &mut stopping)
        .await
        .unwrap()
        .map(|(job, outcome)| (job.id, outcome))
}

/// A provider nobody answers for: every sync fails and is retried.
fn unreachable_provider(config: &mut careerhub::config::Config) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    config.theirstack = Some(TheirStackConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        api_key: "key".into(),
        page_size: 10,
        max_pages: 1,
        max_age_days: 30,
        countries: vec![],
        max_rate_limit_sleep: Duration::from_millis(10),
        daily_jobs_cap: 1_000,
        role_sync_window: Duration::from_secs(3600),
    });
}

#[tokio::test]
async fn a_job_runs_once_and_is_recorded_done() {
    let app = TestApp::new().await;
    let id = enqueue(&app, NewJob::new(kinds::MARKET_SYNC_ALL, json!({})))
        .await
        .unwrap();
    assert_eq!(run_once(&app, "w1").await, Some((id, Outcome::Succeeded)));
    let row = stored(&app, id).await;
    assert_eq!(
        (
            row.status.as_str(),
            row.attempts,
            row.locked_by,
            row.last_error
        ),
        ("succeeded", 1, None, None)
    );
    assert!(row.finished_at.is_some());
    assert_eq!(run_once(&app, "w1").await, None);

    let metrics = app.get("/metrics", None).await;
    assert!(
        metrics
            .text
            .contains("careerhub_job_runs_total{kind=\"market.sync_all\",outcome=\"succeeded\"} 1"),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .contains("careerhub_queue_jobs{status=\"succeeded\"} 1")
    );
    assert!(
        metrics
            .text
            .contains("careerhub_queue_jobs{status=\"queued\"} 0")
    );
}

#[tokio::test]
async fn a_poison_job_fails_for_good_with_its_error() {
    let app = TestApp::new().await;
    let id = enqueue(&app, NewJob::new("no.such.kind", json!({})))
        .await
        .unwrap();
    assert_eq!(run_once(&app, "w1").await, Some((id, Outcome::Failed)));
    let row = stored(&app, id).await;
    assert_eq!(row.status, "failed");
    assert_eq!(
        row.last_error.as_deref(),
        Some("unknown job kind \"no.such.kind\"")
    );
    assert_eq!(run_once(&app, "w1").await, None);
}

#[tokio::test]
async fn failures_are_retried_with_growing_backoff_then_fail_for_good() {
    let app = TestApp::with_config(unreachable_provider).await;
    let mut new = NewJob::new(kinds::MARKET_SYNC_ROLE, json!({"role": "Backend Engineer"}));
    new.max_attempts = 3;
    let id = enqueue(&app, new).await.unwrap();

    assert_eq!(run_once(&app, "w1").await, Some((id, Outcome::Retrying)));
    let first = stored(&app, id).await;
    assert_eq!((first.status.as_str(), first.attempts), ("queued", 1));
    assert!(
        first
            .last_error
            .as_deref()
            .unwrap()
            .starts_with("TheirStack is unavailable"),
        "{:?}",
        first.last_error
    );
    assert_eq!((first.run_at - first.updated_at).num_seconds(), 10);
    // Not due yet.
    assert_eq!(run_once(&app, "w1").await, None);

    app.state.clock.advance(Duration::from_secs(11));
    assert_eq!(run_once(&app, "w1").await, Some((id, Outcome::Retrying)));
    let second = stored(&app, id).await;
    assert_eq!((second.run_at - second.updated_at).num_seconds(), 20);

    app.state.clock.advance(Duration::from_secs(21));
    assert_eq!(run_once(&app, "w1").await, Some((id, Outcome::Failed)));
    let last = stored(&app, id).await;
    assert_eq!((last.status.as_str(), last.attempts), ("failed", 3));
    assert!(last.finished_at.is_some());
}

#[tokio::test]
async fn a_dead_workers_job_runs_again_once_its_claim_lapses() {
    let app = TestApp::new().await;
    let id = enqueue(&app, NewJob::new(kinds::MARKET_SYNC_ALL, json!({})))
        .await
        .unwrap();
    // w1 claims it and dies.
    let claimed = queue::claim(
        app.state.db.writer(),
        "w1",
        app.state.config.job_lease,
        app.state.clock.now_utc(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((claimed.id, claimed.status.as_str()), (id, "running"));
    assert_eq!(run_once(&app, "w2").await, None, "still claimed");

    app.state
        .clock
        .advance(app.state.config.job_lease + Duration::from_secs(1));
    assert_eq!(run_once(&app, "w2").await, Some((id, Outcome::Succeeded)));
    let row = stored(&app, id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("succeeded", 2));

    // The dead worker coming back cannot record anything over it.
    queue::fail(
        app.state.db.writer(),
        &claimed,
        "w1",
        "late",
        true,
        app.state.clock.now_utc(),
    )
    .await
    .unwrap();
    assert_eq!(stored(&app, id).await, row);
}

#[tokio::test]
async fn a_handed_back_job_is_queued_again_without_counting_the_attempt() {
    let app = TestApp::new().await;
    let id = enqueue(&app, NewJob::new(kinds::MARKET_SYNC_ALL, json!({})))
        .await
        .unwrap();
    let now = app.state.clock.now_utc();
    queue::claim(app.state.db.writer(), "w1", app.state.config.job_lease, now)
        .await
        .unwrap()
        .unwrap();
    queue::hand_back(app.state.db.writer(), id, "w1", now)
        .await
        .unwrap();
    let row = stored(&app, id).await;
    assert_eq!(
        (row.status.as_str(), row.attempts, row.locked_by),
        ("queued", 0, None)
    );
    assert_eq!(run_once(&app, "w2").await, Some((id, Outcome::Succeeded)));
}

#[tokio::test]
async fn deduplicated_jobs_wait_one_at_a_time() {
    let app = TestApp::new().await;
    let new = || NewJob::new(kinds::MARKET_SYNC_ALL, json!({})).deduplicated_by("sync");
    let first = enqueue(&app, new()).await.unwrap();
    assert_eq!(enqueue(&app, new()).await, None);
    run_once(&app, "w1").await.unwrap();
    let again = enqueue(&app, new()).await.unwrap();
    assert_ne!(first, again);
}

#[tokio::test]
async fn concurrent_claims_never_share_a_job() {
    let app = TestApp::new().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(
            enqueue(&app, NewJob::new(kinds::MARKET_SYNC_ALL, json!({})))
                .await
                .unwrap(),
        );
    }
    let now = app.state.clock.now_utc();
    let lease = app.state.config.job_lease;
    let claims = (0..10).map(|n| {
        let db = app.state.db.clone();
        tokio::spawn(async move {
            queue::claim(db.writer(), &format!("w{n}"), lease, now)
                .await
                .unwrap()
                .map(|job| job.id)
        })
    });
    let mut claimed: Vec<i64> = futures::future::join_all(claims)
        .await
        .into_iter()
        .filter_map(|joined| joined.unwrap())
        .collect();
    claimed.sort();
    assert_eq!(claimed, ids);
}

#[tokio::test]
async fn the_worker_loop_runs_jobs_and_stops_on_shutdown() {
    let app = TestApp::new().await;
    let id = enqueue(&app, NewJob::new(kinds::MARKET_SYNC_ALL, json!({})))
        .await
        .unwrap();
    let (stop, stopping) = watch::channel(false);
    let running = tokio::spawn(worker::run(app.state.clone(), 2, stopping));
    for _ in 0..100 {
        if stored(&app, id).await.status == "succeeded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(stored(&app, id).await.status, "succeeded");
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("the worker stops promptly")
        .unwrap();
}

/// Claims every due job one at a time (as one worker would), leaving each running job running
/// while `concurrency` are held, and gives the owners in claim order.
async fn claim_order(app: &TestApp, concurrency: usize) -> Vec<Option<i64>> {
    let conn = app.state.db.writer();
    let lease = Duration::from_secs(60);
    let mut running: Vec<i64> = Vec::new();
    let mut order = Vec::new();
    loop {
        if running.len() == concurrency {
            let done = running.remove(0);
            queue::succeed(conn, done, "w", app.state.clock.now_utc())
                .await
                .unwrap();
        }
        match queue::claim(conn, "w", lease, app.state.clock.now_utc())
            .await
            .unwrap()
        {
            Some(job) => {
                order.push(job.owner_id);
                running.push(job.id);
            }
            None if running.is_empty() => return order,
            None => {
                let done = running.remove(0);
                queue::succeed(conn, done, "w", app.state.clock.now_utc())
                    .await
                    .unwrap();
            }
        }
    }
}

#[tokio::test]
async fn claims_take_turns_between_owners_so_a_backlog_delays_others_by_one_job() {
    let app = TestApp::new().await;
    let (a, b) = (
        app.seed_user("backlog@example.com").await.id,
        app.seed_user("newcomer@example.com").await.id,
    );
    for n in 0..20 {
        enqueue(
            &app,
            NewJob::new("test.work", json!({ "n": n })).owned_by(a),
        )
        .await;
    }
    enqueue(&app, NewJob::new("test.work", json!({})).owned_by(b)).await;
    enqueue(&app, NewJob::new("test.work", json!({}))).await;
    let order = claim_order(&app, 1).await;
    assert_eq!(order.len(), 22);
    // Oldest first would run the newcomer's job 21st. Taking turns, the newcomer and the system
    // job (whose owner counts as never served) each wait for one of the backlog's jobs at most.
    assert_eq!(&order[..3], [Some(a), Some(b), None]);
    assert!(order[3..].iter().all(|owner| *owner == Some(a)));
}

#[tokio::test]
async fn an_owner_with_a_job_running_waits_for_owners_with_none() {
    let app = TestApp::new().await;
    let (a, b) = (
        app.seed_user("busy@example.com").await.id,
        app.seed_user("idle@example.com").await.id,
    );
    for n in 0..4 {
        enqueue(
            &app,
            NewJob::new("test.work", json!({ "n": n })).owned_by(a),
        )
        .await;
    }
    for n in 0..2 {
        enqueue(
            &app,
            NewJob::new("test.work", json!({ "n": n })).owned_by(b),
        )
        .await;
    }
    // Two at once: the second slot goes to the other owner even though its jobs are newer.
    let order = claim_order(&app, 2).await;
    assert_eq!(
        order,
        [Some(a), Some(b), Some(a), Some(b), Some(a), Some(a)]
    );
}

#[tokio::test]
async fn succeeded_jobs_past_their_retention_are_pruned_and_failed_ones_kept() {
    let app = TestApp::new().await;
    let done = enqueue(&app, NewJob::new(kinds::MARKET_SYNC_ALL, json!({})))
        .await
        .unwrap();
    assert_eq!(run_once(&app, "w1").await, Some((done, Outcome::Succeeded)));
    let poison = enqueue(&app, NewJob::new("no.such.kind", json!({})))
        .await
        .unwrap();
    assert_eq!(run_once(&app, "w1").await, Some((poison, Outcome::Failed)));
    let week = chrono::Duration::days(7);
    let conn = app.state.db.writer();
    // Not yet a week old: kept.
    let now = app.state.clock.now_utc();
    assert_eq!(queue::prune_succeeded(conn, now - week).await.unwrap(), 0);
    app.state.clock.advance(Duration::from_secs(8 * 86_400));
    let later = app.state.clock.now_utc();
    assert_eq!(queue::prune_succeeded(conn, later - week).await.unwrap(), 1);
    assert!(
        job::Entity::find_by_id(done)
            .one(conn)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(stored(&app, poison).await.status, "failed");
}
