//! Two instances on one PostgreSQL database: a write through either, or straight into the
//! database (as the import CLI or an operator's psql would), drops the other's cached copy
//! within a second. (SQLite has one writing process; these return at once there.)

use std::future::Future;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use careerhub::error::ApiError;
use careerhub::ratelimit::AccountKey;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::TestApp;
use crate::market::{at, posting, store};

/// Polls `check` until it holds, at most `limit`; how long it took.
async fn within<F: Future<Output = bool>>(
    limit: Duration,
    mut check: impl FnMut() -> F,
) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check().await {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

/// The two instances, each with its cache listening.
async fn two_instances(adjust: fn(&mut careerhub::config::Config)) -> Option<(TestApp, TestApp)> {
    let a = TestApp::with_config(adjust).await;
    if !a.on_postgres() {
        return None;
    }
    let b = a.second_instance(adjust).await;
    for app in [&a, &b] {
        let listening = within(Duration::from_secs(5), || async {
            app.state.cache_gate.is_open()
        })
        .await;
        assert!(listening.is_some(), "the change listener subscribes");
    }
    Some((a, b))
}

async fn full_name(app: &TestApp, token: &str) -> String {
    let me = app.get("/auth/me", Some(token)).await;
    me.assert_status(StatusCode::OK)["full_name"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_account_written_anywhere_is_fresh_on_the_other_instance_within_a_second() {
    let Some((a, b)) = two_instances(|_| {}).await else {
        return;
    };
    let user = a.seed_user("shared@example.com").await;
    let token = a.access_token(user.id);
    assert_eq!(full_name(&b, &token).await, "Test User");
    assert!(
        b.state.accounts.get(user.id).is_some(),
        "B keeps the account cached"
    );

    // Through instance A's API.
    a.call(
        Method::PUT,
        "/auth/me",
        Some(json!({"full_name": "Ada Lovelace"})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let seen = within(Duration::from_secs(1), || async {
        full_name(&b, &token).await == "Ada Lovelace"
    })
    .await;
    assert!(
        seen.is_some(),
        "B still answers the old name after a second"
    );

    // Straight into the database: no careerhub process made the write.
    assert_eq!(full_name(&b, &token).await, "Ada Lovelace");
    a.state
        .db
        .writer()
        .execute_raw(Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "UPDATE users SET full_name = $1, first_name = $2, last_name = $3 WHERE id = $4",
            [
                "Grace Hopper".into(),
                "Grace".into(),
                "Hopper".into(),
                user.id.into(),
            ],
        ))
        .await
        .unwrap();
    let seen = within(Duration::from_secs(1), || async {
        full_name(&b, &token).await == "Grace Hopper"
    })
    .await;
    assert!(
        seen.is_some(),
        "B still answers the name psql replaced after a second"
    );
}

async fn count(app: &TestApp) -> i64 {
    let trending = app.get("/market/trending?days=30", None).await;
    trending.assert_status(StatusCode::OK)["total_jobs_analyzed"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn postings_stored_by_one_process_show_in_the_others_cached_trending_within_a_second() {
    let Some((a, b)) = two_instances(|c| c.market_cache_ttl = Duration::from_secs(60)).await else {
        return;
    };
    store(&a, posting(1, &["rust"]), at(1)).await;
    assert_eq!(count(&b).await, 1);
    // Stored without telling either process (as another process's import would be).
    store(&a, posting(2, &["rust"]), at(1)).await;
    let seen = within(Duration::from_secs(1), || async { count(&b).await == 2 }).await;
    assert!(
        seen.is_some(),
        "B's cached trending still counts one posting after a second"
    );
}

#[tokio::test]
async fn login_budgets_are_spent_together_by_every_instance() {
    let Some((a, b)) = two_instances(|c| c.auth_rate_limits.per_account_per_minute = 3).await
    else {
        return;
    };
    let account = [AccountKey::Id(42)];
    for app in [&a, &b, &a] {
        app.state
            .auth_limiter
            .check_accounts(&account)
            .await
            .unwrap();
    }
    let refused = b.state.auth_limiter.check_accounts(&account).await;
    let Err(ApiError::Throttled(wait)) = refused else {
        panic!("the fourth attempt, on the other instance, was allowed: {refused:?}");
    };
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(20),
        "{wait:?}"
    );
    // Another account's budget is its own; a minute later the first is full again.
    b.state
        .auth_limiter
        .check_accounts(&[AccountKey::Id(43)])
        .await
        .unwrap();
    a.state.clock.advance(Duration::from_secs(61));
    b.state.clock.advance(Duration::from_secs(61));
    b.state.auth_limiter.check_accounts(&account).await.unwrap();
}

#[tokio::test]
async fn an_analysis_finished_by_another_instance_wakes_this_ones_streams() {
    let Some((a, b)) = two_instances(|_| {}).await else {
        return;
    };
    let s = crate::analysis::setup(&a, "seeker@example.com").await;
    crate::analysis::analyze(&a, &s, json!({"resume_id": s.resume_id})).await;
    // Subscribed after the start was announced; only the result's trigger can wake it now
    // (the start's own notification may still arrive: then the result is not there yet).
    let watcher = a.state.analysis_wakeups.subscribe();
    b.run_pending_jobs().await;
    crate::analysis::woken_until_completed(&a, watcher, &s).await;
}
