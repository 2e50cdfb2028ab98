//! Career Navigator's postings from TheirStack: the production client and sync against a local
//! server speaking TheirStack's protocol (`POST /v1/jobs/search`, bearer key, page/limit,
//! `discovered_at_gte`, 429 with IETF RateLimit headers).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use careerhub::market::job_posting;
use careerhub::market::sync::sync_role;
use careerhub::market::theirstack::TheirStackConfig;
use careerhub::queue::job;
use careerhub::queue::worker::{self, Outcome};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::helpers::TestApp;

const KEY: &str = "ts-test-key";

/// What the fake provider holds and what it was asked.
#[derive(Default)]
struct Provider {
    jobs: Vec<Value>,
    /// Answer the next request with a 429 asking for this many seconds.
    rate_limit_next: Option<u64>,
    /// Answer every request with this status instead.
    fail_with: Option<StatusCode>,
    /// (Authorization header, body) of every request.
    requests: Vec<(Option<String>, Value)>,
    /// Ids of the jobs returned (TheirStack bills each).
    billed: Vec<i64>,
}

type Shared = Arc<Mutex<Provider>>;

async fn search(
    State(provider): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let mut provider = provider.lock().unwrap();
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    provider.requests.push((auth.clone(), body.clone()));
    if let Some(seconds) = provider.rate_limit_next.take() {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [
                (
                    "ratelimit",
                    format!("\"per-second\";r=2;t=1, \"per-minute\";r=0;t={seconds}"),
                ),
                ("ratelimit-reset", format!("1, {seconds}")),
            ],
            Json(json!({"detail": "Too many requests"})),
        )
            .into_response();
    }
    if let Some(status) = provider.fail_with {
        return (status, Json(json!({"detail": "refused"}))).into_response();
    }
    if auth.as_deref() != Some(&format!("Bearer {KEY}")) {
        return (StatusCode::UNAUTHORIZED, Json(json!({"detail": "bad key"}))).into_response();
    }
    let after = body["discovered_at_gte"].as_str().unwrap_or("");
    let mut matching: Vec<Value> = provider
        .jobs
        .iter()
        .filter(|job| job["discovered_at"].as_str().unwrap() >= after)
        .cloned()
        .collect();
    matching.sort_by(|a, b| {
        a["discovered_at"]
            .as_str()
            .cmp(&b["discovered_at"].as_str())
    });
    let limit = body["limit"].as_u64().unwrap() as usize;
    let page = body["page"].as_u64().unwrap() as usize;
    let data: Vec<Value> = matching
        .into_iter()
        .skip(page * limit)
        .take(limit)
        .collect();
    provider
        .billed
        .extend(data.iter().map(|job| job["id"].as_i64().unwrap()));
    Json(json!({"metadata": {"total_results": null, "truncated_results": 0}, "data": data}))
        .into_response()
}

/// Starts the provider on a loopback port; its base URL.
async fn start_provider(provider: Shared) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new()
        .route("/v1/jobs/search", axum::routing::post(search))
        .with_state(provider);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn theirstack_job(id: i64, discovered_at: &str) -> Value {
    json!({
        "id": id,
        "job_title": format!("Backend Engineer {id}"),
        "company": "Stripe",
        "company_domain": "stripe.com",
        "location": "Dublin, Ireland",
        "short_location": "Dublin",
        "description": "Build payment APIs in Go and Python.",
        "technology_slugs": ["python", "golang", "k8s"],
        "min_annual_salary_usd": 120000.0,
        "max_annual_salary_usd": 160000,
        "remote": false,
        "date_posted": "2026-11-10",
        "discovered_at": discovered_at,
        "url": format!("https://stripe.com/jobs/{id}"),
        "company_object": {"name": "Stripe", "industry": "Financial Services"}
    })
}

async fn app_with_provider(provider: &Shared) -> TestApp {
    let base_url = start_provider(provider.clone()).await;
    TestApp::with_config(move |config| {
        config.theirstack = Some(TheirStackConfig {
            base_url,
            api_key: KEY.into(),
            page_size: 2,
            max_pages: 5,
            max_age_days: 30,
            countries: vec!["US".into(), "GB".into()],
            max_rate_limit_sleep: Duration::from_millis(10),
            daily_jobs_cap: 1_000,
            role_sync_window: Duration::from_secs(3600),
        });
    })
    .await
}

fn expected_body(page: u64, discovered_at_gte: Option<&str>) -> Value {
    let mut body = json!({
        "job_title_or": ["Backend Engineer"],
        "posted_at_max_age_days": 30,
        "job_country_code_or": ["US", "GB"],
        "order_by": [{"field": "discovered_at", "desc": false}],
        "limit": 2,
        "page": page,
        "include_total_results": false
    });
    if let Some(at) = discovered_at_gte {
        body["discovered_at_gte"] = json!(at);
    }
    body
}

/// The search as asked with the role in lowercase (it shares the role's cursor).
fn lowercase_role(mut body: Value) -> Value {
    body["job_title_or"] = json!(["backend engineer"]);
    body
}

async fn queued_jobs(app: &TestApp) -> Vec<(String, Value, String)> {
    job::Entity::find()
        .order_by_asc(job::Column::Id)
        .all(app.state.db.reader())
        .await
        .unwrap()
        .into_iter()
        .map(|j| (j.kind, j.payload, j.status))
        .collect()
}

#[tokio::test]
async fn adding_a_target_role_gathers_its_postings_page_by_page() {
    let provider: Shared = Arc::default();
    provider.lock().unwrap().jobs = (1..=5)
        .map(|n| theirstack_job(n, &format!("2026-11-1{n}T08:00:00Z")))
        .collect();
    provider.lock().unwrap().rate_limit_next = Some(7);
    let app = app_with_provider(&provider).await;
    let user = app.seed_user("navigator@example.com").await;
    let token = app.access_token(user.id);

    app.call(
        axum::http::Method::PUT,
        "/auth/me",
        Some(json!({"target_roles": ["Backend Engineer"]})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    // The same role again (any case) and an unchanged list enqueue nothing more.
    app.call(
        axum::http::Method::PUT,
        "/auth/me",
        Some(json!({"target_roles": ["backend engineer"]})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        queued_jobs(&app).await,
        [(
            "market.sync_role".to_owned(),
            json!({"role": "Backend Engineer"}),
            "queued".to_owned()
        )]
    );

    let (_stop, mut stopping) = watch::channel(false);
    let (_, outcome) = worker::run_once(&app.state, "w1", &mut stopping)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome, Outcome::Succeeded);

    {
        let provider_state = provider.lock().unwrap();
        let auth = Some(format!("Bearer {KEY}"));
        assert_eq!(
            provider_state.requests,
            [
                (auth.clone(), expected_body(0, None)), // answered 429
                (auth.clone(), expected_body(0, None)),
                (auth.clone(), expected_body(1, None)),
                (auth.clone(), expected_body(2, None)),
            ]
        );
        assert_eq!(provider_state.billed, [1, 2, 3, 4, 5]);
    }

    let rows = job_posting::Entity::find()
        .order_by_asc(job_posting::Column::Id)
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(rows.len(), 5);
    let first = &rows[0];
    assert_eq!(first.job_id.as_deref(), Some("theirstack_1"));
    assert_eq!(first.title, "Backend Engineer 1");
    assert_eq!(
        (first.company.as_str(), first.company_domain.as_deref()),
        ("Stripe", Some("stripe.com"))
    );
    assert_eq!(first.company_industry.as_deref(), Some("fintech"));
    assert_eq!(first.location, "Dublin, Ireland");
    assert_eq!(first.technology_slugs.0, ["python", "golang", "k8s"]);
    assert_eq!(first.skills.0, ["python", "go", "kubernetes"]);
    assert_eq!(
        (
            first.min_annual_salary_usd,
            first.max_annual_salary_usd,
            first.remote
        ),
        (Some(120_000), Some(160_000), Some(false))
    );
    assert_eq!(
        first.date_posted.unwrap().to_rfc3339(),
        "2026-11-10T00:00:00+00:00"
    );
    assert_eq!(first.scraped_at.to_rfc3339(), "2026-11-11T08:00:00+00:00");
    assert_eq!(
        (
            first.search_keywords.as_str(),
            first.search_location.as_str()
        ),
        ("Backend Engineer", "US, GB")
    );
}

#[tokio::test]
async fn later_syncs_ask_only_for_newer_jobs_so_none_is_paid_for_twice() {
    let provider: Shared = Arc::default();
    provider.lock().unwrap().jobs = vec![
        theirstack_job(1, "2026-11-20T08:00:00Z"),
        theirstack_job(2, "2026-11-20T09:30:00Z"),
        theirstack_job(3, "2026-11-20T09:30:00Z"),
    ];
    let app = app_with_provider(&provider).await;
    let client = app.state.theirstack.as_ref().unwrap();
    let start = app.state.clock.now_utc();
    let hours = |n| start + chrono::Duration::hours(n);

    let first = sync_role(&app.state.db, client, "Backend Engineer", start)
        .await
        .unwrap();
    assert_eq!((first.pages, first.inserted), (2, 3));
    // Inside the role's window nothing is asked, whoever asks.
    let again = sync_role(
        &app.state.db,
        client,
        "BACKEND ENGINEER",
        hours(0) + chrono::Duration::minutes(30),
    )
    .await
    .unwrap();
    assert!(again.skipped_recent);
    assert_eq!(again.pages, 0);

    provider
        .lock()
        .unwrap()
        .jobs
        .push(theirstack_job(4, "2026-11-21T10:00:00Z"));
    provider.lock().unwrap().rate_limit_next = Some(42);
    let second = sync_role(&app.state.db, client, "backend engineer", hours(2))
        .await
        .unwrap();
    assert_eq!((second.pages, second.received, second.inserted), (1, 1, 1));
    assert_eq!(second.rate_limit_waits, [Duration::from_secs(42)]);

    let third = sync_role(&app.state.db, client, "Backend Engineer", hours(4))
        .await
        .unwrap();
    assert_eq!((third.pages, third.received), (1, 0));

    let provider = provider.lock().unwrap();
    assert_eq!(provider.billed, [1, 2, 3, 4], "every job billed once");
    let last_bodies: Vec<&Value> = provider.requests.iter().skip(2).map(|(_, b)| b).collect();
    assert_eq!(
        last_bodies,
        [
            &lowercase_role(expected_body(0, Some("2026-11-20T09:30:01Z"))),
            &lowercase_role(expected_body(0, Some("2026-11-20T09:30:01Z"))),
            &expected_body(0, Some("2026-11-21T10:00:01Z")),
        ]
    );
}

#[tokio::test]
async fn a_refused_key_fails_the_job_for_good_and_an_outage_is_retried() {
    let provider: Shared = Arc::default();
    provider.lock().unwrap().fail_with = Some(StatusCode::UNAUTHORIZED);
    let app = app_with_provider(&provider).await;
    let enqueue = |role: &str| {
        careerhub::queue::NewJob::new(
            careerhub::queue::worker::kinds::MARKET_SYNC_ROLE,
            json!({"role": role}),
        )
    };
    let now = app.state.clock.now_utc();
    careerhub::queue::enqueue(app.state.db.writer(), enqueue("Data Engineer"), now)
        .await
        .unwrap();
    let (_stop, mut stopping) = watch::channel(false);
    let (refused, outcome) = worker::run_once(&app.state, "w1", &mut stopping)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome, Outcome::Failed);
    let refused = job::Entity::find_by_id(refused.id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        refused.last_error.as_deref(),
        Some(r#"TheirStack refused the request (401): {"detail":"refused"}"#)
    );

    provider.lock().unwrap().fail_with = Some(StatusCode::BAD_GATEWAY);
    careerhub::queue::enqueue(app.state.db.writer(), enqueue("QA Engineer"), now)
        .await
        .unwrap();
    let (_, outcome) = worker::run_once(&app.state, "w1", &mut stopping)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(outcome, Outcome::Retrying);
    assert_eq!(
        job_posting::Entity::find()
            .all(app.state.db.reader())
            .await
            .unwrap()
            .len(),
        0
    );
}

async fn add_roles(app: &TestApp, email: &str, roles: Value) -> crate::helpers::TestResponse {
    let user = app.seed_user(email).await;
    let token = app.access_token(user.id);
    app.call(
        axum::http::Method::PUT,
        "/auth/me",
        Some(json!({"target_roles": roles})),
        Some(&token),
    )
    .await
}

async fn run_all_jobs(app: &TestApp) {
    let (_stop, mut stopping) = watch::channel(false);
    while worker::run_once(&app.state, "w1", &mut stopping)
        .await
        .unwrap()
        .is_some()
    {}
}

#[tokio::test]
async fn a_user_holds_at_most_ten_target_roles() {
    let provider: Shared = Arc::default();
    let app = app_with_provider(&provider).await;
    let eleven: Vec<String> = (1..=11).map(|n| format!("Role {n}")).collect();
    add_roles(&app, "greedy@example.com", json!(eleven))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"detail": "At most 10 target_roles are allowed"}),
        );
    assert!(queued_jobs(&app).await.is_empty(), "no sync was started");
    let ten: Vec<String> = (1..=10).map(|n| format!("Role {n}")).collect();
    add_roles(&app, "ten@example.com", json!(ten))
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(queued_jobs(&app).await.len(), 10);
}

#[tokio::test]
async fn a_role_added_by_many_users_is_asked_of_the_provider_once_per_window() {
    let provider: Shared = Arc::default();
    provider.lock().unwrap().jobs = vec![theirstack_job(1, "2026-11-20T08:00:00Z")];
    let app = app_with_provider(&provider).await;
    add_roles(&app, "first@example.com", json!(["Backend Engineer"]))
        .await
        .assert_status(StatusCode::OK);
    add_roles(&app, "second@example.com", json!(["backend engineer"]))
        .await
        .assert_status(StatusCode::OK);
    run_all_jobs(&app).await;
    // A third user after the sync ran: the role's window is still open.
    add_roles(&app, "third@example.com", json!(["Backend Engineer"]))
        .await
        .assert_status(StatusCode::OK);
    run_all_jobs(&app).await;
    let provider = provider.lock().unwrap();
    assert_eq!(provider.requests.len(), 1, "{:?}", provider.requests);
    assert_eq!(provider.billed, [1]);
}

#[tokio::test]
async fn the_daily_job_cap_stops_a_sync_and_is_counted_in_the_database_and_metrics() {
    let provider: Shared = Arc::default();
    provider.lock().unwrap().jobs = (1..=9)
        .map(|n| theirstack_job(n, &format!("2026-11-1{n}T08:00:00Z")))
        .collect();
    let base_url = start_provider(provider.clone()).await;
    let app = TestApp::with_config(move |config| {
        config.theirstack = Some(TheirStackConfig {
            base_url,
            api_key: KEY.into(),
            page_size: 2,
            max_pages: 5,
            max_age_days: 30,
            countries: vec![],
            max_rate_limit_sleep: Duration::from_millis(10),
            daily_jobs_cap: 5,
            role_sync_window: Duration::from_secs(3600),
        });
    })
    .await;
    let client = app.state.theirstack.as_ref().unwrap();
    let now = app.state.clock.now_utc();
    let report = sync_role(&app.state.db, client, "Backend Engineer", now)
        .await
        .unwrap();
    // Two pages of two fit in five; a third page of two would not.
    assert_eq!(
        (report.pages, report.received, report.daily_cap_reached),
        (2, 4, true)
    );
    // Another role the same day gets nothing either: the cap holds for the whole day.
    let other = sync_role(&app.state.db, client, "Frontend Developer", now)
        .await
        .unwrap();
    assert_eq!((other.pages, other.daily_cap_reached), (0, true));
    assert_eq!(provider.lock().unwrap().requests.len(), 2);
    let spent = careerhub::market::spend::spent_today(
        app.state.db.reader(),
        careerhub::market::spend::THEIRSTACK,
        now,
    )
    .await
    .unwrap();
    assert_eq!(spent, 4);
    let metrics = app.get("/metrics", None).await;
    assert!(
        metrics
            .text
            .contains("careerhub_theirstack_jobs_requested_today 4"),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .contains("careerhub_theirstack_daily_jobs_cap 5")
    );
}

#[tokio::test]
async fn a_short_page_gives_back_the_jobs_it_did_not_return() {
    let provider: Shared = Arc::default();
    provider.lock().unwrap().jobs = vec![theirstack_job(1, "2026-11-20T08:00:00Z")];
    let app = app_with_provider(&provider).await;
    let client = app.state.theirstack.as_ref().unwrap();
    let now = app.state.clock.now_utc();
    sync_role(&app.state.db, client, "Backend Engineer", now)
        .await
        .unwrap();
    let spent = careerhub::market::spend::spent_today(
        app.state.db.reader(),
        careerhub::market::spend::THEIRSTACK,
        now,
    )
    .await
    .unwrap();
    assert_eq!(spent, 1, "two were reserved, one came back");
}
