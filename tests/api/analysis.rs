//! JobTracker's ATS analysis: the contract's checks in order, the run in the worker with the
//! local engine and with the LLM engine against a local server speaking chat completions (good,
//! malformed, 500, timeout, fallback), one analysis per job reused, and the event stream.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use careerhub::ai::AiConfig;
use careerhub::config::{AtsEngine, Config, Secret};
use careerhub::tracker::analysis::record;
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_server};
use crate::resumes::{LIBREOFFICE_PDF, upload};
use crate::tracker::DESCRIPTION;

/// A user with an application and a parsed resume.
pub(crate) struct Setup {
    pub(crate) token: String,
    pub(crate) job_id: i64,
    pub(crate) resume_id: i64,
}

pub(crate) async fn setup(app: &TestApp, email: &str) -> Setup {
    let token = app.access_token(app.seed_user(email).await.id);
    let job = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(json!({"company_name": "Fintrail", "job_title": "Backend Engineer", "job_description": DESCRIPTION})),
            Some(&token),
        )
        .await;
    let job_id = job.assert_status(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let resume_id = upload(app, &token, "cv.pdf", LIBREOFFICE_PDF).await["id"]
        .as_i64()
        .unwrap();
    Setup {
        token,
        job_id,
        resume_id,
    }
}

pub(crate) async fn analyze(app: &TestApp, s: &Setup, body: Value) -> crate::helpers::TestResponse {
    app.call(
        Method::POST,
        &format!("/api/ai/analyze/{}/", s.job_id),
        Some(body),
        Some(&s.token),
    )
    .await
}

pub(crate) async fn result(app: &TestApp, s: &Setup) -> Value {
    let response = app
        .get(&format!("/api/ai/result/{}/", s.job_id), Some(&s.token))
        .await;
    response.assert_status(StatusCode::OK).clone()
}

#[tokio::test]
async fn analyze_checks_the_contracts_conditions_in_order() {
    let app = TestApp::new().await;
    let s = setup(&app, "seeker@example.com").await;
    let other = setup(&app, "other@example.com").await;
    let detail = |text: &str| json!({"detail": text});

    // Someone else's job: 404 before anything else is looked at.
    app.call(
        Method::POST,
        &format!("/api/ai/analyze/{}/", other.job_id),
        Some(json!({})),
        Some(&s.token),
    )
    .await
    .assert(
        StatusCode::NOT_FOUND,
        detail("No JobApplication matches the given query."),
    );
    for body in [
        json!({}),
        json!({"resume_id": null}),
        json!({"resume_id": " "}),
    ] {
        analyze(&app, &s, body)
            .await
            .assert(StatusCode::BAD_REQUEST, detail("resume_id is required."));
    }
    analyze(
        &app,
        &s,
        json!({"resume_id": s.resume_id, "candidate_level": "senior"}),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        detail("candidate_level must be either 'fresher' or 'experienced'."),
    );
    for resume_id in [json!(other.resume_id), json!("abc"), json!(424242)] {
        analyze(&app, &s, json!({"resume_id": resume_id}))
            .await
            .assert(
                StatusCode::NOT_FOUND,
                detail("No Resume matches the given query."),
            );
    }
    let unreadable = upload(&app, &s.token, "broken.pdf", &LIBREOFFICE_PDF[..900]).await;
    analyze(&app, &s, json!({"resume_id": unreadable["id"]}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            detail("Selected resume is still being read (it is a scan); try again in a minute."),
        );
    app.run_pending_jobs().await;
    analyze(&app, &s, json!({"resume_id": unreadable["id"]}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            detail("Selected resume has no readable text. Upload a text-based PDF or DOCX, or a sharper scan."),
        );
    // A job whose page gave no description (the update route refuses to blank a manual one).
    careerhub::tracker::application::Entity::update_many()
        .col_expr(
            careerhub::tracker::application::Column::JobDescription,
            sea_orm::sea_query::Expr::value(""),
        )
        .filter(sea_orm::ColumnTrait::eq(
            &careerhub::tracker::application::Column::Id,
            s.job_id,
        ))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    analyze(&app, &s, json!({"resume_id": s.resume_id.to_string()}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            detail("Job description is missing. Add it manually or complete extraction first."),
        );
    let analyses = record::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(analyses, 0);
}

#[tokio::test]
async fn an_analysis_runs_in_the_worker_and_is_reused_by_the_next() {
    let app = TestApp::new().await;
    let s = setup(&app, "seeker@example.com").await;
    assert_eq!(result(&app, &s).await, json!({"status": "pending"}));

    let started = analyze(
        &app,
        &s,
        json!({"resume_id": s.resume_id.to_string(), "candidate_level": " Fresher ", "target_stack": "django, python , ,postgresql"}),
    )
    .await;
    let body = started.assert_status(StatusCode::ACCEPTED).clone();
    let analysis_id = body["analysis_id"].clone();
    assert_eq!(
        body,
        json!({"analysis_id": analysis_id, "status": "processing", "candidate_level": "fresher",
               "target_stack": ["django", "python", "postgresql"],
               "message": "AI analysis has started. Poll the result endpoint for updates."})
    );
    let processing = result(&app, &s).await;
    assert_eq!(
        processing,
        json!({"id": analysis_id, "candidate_level": "fresher", "target_stack": ["django", "python", "postgresql"],
               "status": "processing", "ats_score": 0, "missing_keywords": [], "strengths": [], "suggestions": [],
               "score_breakdown": {}, "error_message": "", "engine": "", "created_at": processing["created_at"],
               "job_application": s.job_id, "resume": s.resume_id})
    );

    assert_eq!(app.run_pending_jobs().await, 1);
    let done = result(&app, &s).await;
    assert_eq!(
        (&done["status"], &done["engine"]),
        (&json!("completed"), &json!("local"))
    );
    let breakdown = done["score_breakdown"].as_object().unwrap();
    let buckets: Vec<i64> = [
        "skills_match",
        "project_impact",
        "tools_frameworks",
        "role_fit",
    ]
    .iter()
    .map(|b| breakdown[*b].as_i64().unwrap())
    .collect();
    assert!(
        buckets.iter().all(|b| (0..=25).contains(b)),
        "{breakdown:?}"
    );
    assert_eq!(
        done["ats_score"].as_i64().unwrap(),
        buckets.iter().sum::<i64>()
    );
    // The resume has every requirement (Python, Django REST Framework, PostgreSQL, Redis); the
    // Kubernetes the duties mention is not a requirement, so nothing is missing.
    assert_eq!(done["missing_keywords"], json!([]), "{done}");
    assert!(!done["strengths"].as_array().unwrap().is_empty());
    assert!(!done["suggestions"].as_array().unwrap().is_empty());

    // A second analysis reuses the row (same id), starting again from processing.
    let again = analyze(&app, &s, json!({"resume_id": s.resume_id})).await;
    assert_eq!(
        again.assert_status(StatusCode::ACCEPTED)["analysis_id"],
        analysis_id
    );
    assert_eq!(result(&app, &s).await["status"], "processing");
    app.run_pending_jobs().await;
    let redone = result(&app, &s).await;
    assert_eq!(
        (
            &redone["id"],
            &redone["status"],
            &redone["candidate_level"],
            &redone["target_stack"]
        ),
        (
            &analysis_id,
            &json!("completed"),
            &json!("experienced"),
            &json!([])
        )
    );
}

#[tokio::test]
async fn a_superseded_run_records_nothing_and_the_current_one_completes_once() {
    let app = TestApp::new().await;
    let s = setup(&app, "seeker@example.com").await;
    analyze(&app, &s, json!({"resume_id": s.resume_id})).await;
    analyze(
        &app,
        &s,
        json!({"resume_id": s.resume_id, "candidate_level": "fresher"}),
    )
    .await;
    // Two jobs: the first is for an old generation and records nothing.
    assert_eq!(app.run_pending_jobs().await, 2);
    let done = result(&app, &s).await;
    assert_eq!(
        (&done["status"], &done["candidate_level"]),
        (&json!("completed"), &json!("fresher"))
    );
}

/// What the fake provider does with the next request.
#[derive(Clone, Copy)]
enum Reply {
    Good,
    Malformed,
    ServerError,
    Slow,
    /// A well-formed completion past the 4 MiB careerhub reads of one.
    Huge,
}

/// (Authorization header, body) of each request the provider got.
type Requests = Arc<Mutex<Vec<(Option<String>, Value)>>>;

#[derive(Clone)]
struct Provider {
    reply: Reply,
    requests: Requests,
}

async fn chat_completions(
    State(provider): State<Provider>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    provider.requests.lock().unwrap().push((auth, body));
    let content = match provider.reply {
        Reply::Good => json!({
            "ats_score": 99,
            "score_breakdown": {"skills_match": 22, "project_impact": "20", "tools_frameworks": 31, "role_fit": 18},
            "missing_keywords": ["Kubernetes", "kubernetes"],
            "strengths": ["Led the payments migration"],
            "suggestions": ["Quantify the Kubernetes work"],
        })
        .to_string(),
        Reply::Malformed => "Sure! Here is your analysis: {score: high".to_owned(),
        Reply::ServerError => return (StatusCode::INTERNAL_SERVER_ERROR, "upstream exploded").into_response(),
        Reply::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            "{}".to_owned()
        }
        Reply::Huge => "x".repeat(5 * 1024 * 1024),
    };
    axum::Json(json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    }))
    .into_response()
}

async fn llm_app(reply: Reply, fallback: bool) -> (TestApp, Provider) {
    let provider = Provider {
        reply,
        requests: Arc::default(),
    };
    let router = Router::new()
        .route("/openai/v1/chat/completions", post(chat_completions))
        .with_state(provider.clone());
    let base = spawn_server(router).await;
    let app = TestApp::with_config(|c: &mut Config| {
        c.ai = Some(AiConfig {
            base_url: format!("{base}/openai/v1"),
            api_key: Some(Secret::new("gsk-test")),
            model: "llama-3.3-70b-versatile".into(),
            image_model: "gpt-image-1".into(),
            timeout: Duration::from_secs(1),
            retries: 1,
        });
        c.ats_engine = AtsEngine::Llm;
        c.ai_fallback_local = fallback;
    })
    .await;
    (app, provider)
}

#[tokio::test]
async fn the_llm_engine_sends_the_prompt_and_normalises_the_answer() {
    let (app, provider) = llm_app(Reply::Good, false).await;
    let s = setup(&app, "seeker@example.com").await;
    analyze(
        &app,
        &s,
        json!({"resume_id": s.resume_id, "candidate_level": "fresher", "target_stack": ["Django"]}),
    )
    .await
    .assert_status(StatusCode::ACCEPTED);
    app.run_pending_jobs().await;
    let done = result(&app, &s).await;
    assert_eq!(
        done,
        json!({"id": done["id"], "candidate_level": "fresher", "target_stack": ["Django"], "status": "completed",
               "ats_score": 22 + 20 + 25 + 18, "missing_keywords": ["Kubernetes"],
               "strengths": ["Led the payments migration"], "suggestions": ["Quantify the Kubernetes work"],
               "score_breakdown": {"skills_match": 22, "project_impact": 20, "tools_frameworks": 25, "role_fit": 18},
               "error_message": "", "engine": "llm", "created_at": done["created_at"],
               "job_application": s.job_id, "resume": s.resume_id})
    );
    let requests = provider.requests.lock().unwrap();
    let (auth, body) = &requests[0];
    assert_eq!(auth.as_deref(), Some("Bearer gsk-test"));
    assert_eq!(body["model"], "llama-3.3-70b-versatile");
    assert_eq!(body["response_format"], json!({"type": "json_object"}));
    let system = body["messages"][0]["content"].as_str().unwrap();
    assert!(
        system.contains("fresher") && system.contains("internships"),
        "{system}"
    );
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(
        user.contains("Target stack: Django") && user.contains("Priya Sharma"),
        "{user}"
    );
}

#[tokio::test]
async fn llm_failures_end_failed_with_the_reason() {
    for (reply, message, calls) in [
        (
            Reply::Malformed,
            "AI analysis failed: the AI provider returned an invalid response: the answer is not valid JSON.",
            1,
        ),
        (
            Reply::ServerError,
            "AI analysis failed: the AI provider is unavailable (HTTP 500).",
            2,
        ),
        (
            Reply::Slow,
            "AI analysis failed: the AI provider did not answer in time.",
            2,
        ),
        (
            Reply::Huge,
            "AI analysis failed: the AI provider returned an invalid response: the answer is too large.",
            1,
        ),
    ] {
        let (app, provider) = llm_app(reply, false).await;
        let s = setup(&app, "seeker@example.com").await;
        analyze(&app, &s, json!({"resume_id": s.resume_id})).await;
        app.run_pending_jobs().await;
        let done = result(&app, &s).await;
        assert_eq!(
            done,
            json!({"id": done["id"], "candidate_level": "experienced", "target_stack": [], "status": "failed",
                   "ats_score": 0, "missing_keywords": [], "strengths": [], "suggestions": [],
                   "score_breakdown": {}, "error_message": message, "engine": "", "created_at": done["created_at"],
                   "job_application": s.job_id, "resume": s.resume_id})
        );
        // Retried once when a retry may help, never for a bad answer.
        assert_eq!(provider.requests.lock().unwrap().len(), calls, "{message}");
    }
}

#[tokio::test]
async fn with_the_local_fallback_a_failed_llm_is_answered_locally_and_marked() {
    let (app, _provider) = llm_app(Reply::ServerError, true).await;
    let s = setup(&app, "seeker@example.com").await;
    analyze(&app, &s, json!({"resume_id": s.resume_id})).await;
    app.run_pending_jobs().await;
    let done = result(&app, &s).await;
    assert_eq!(
        (&done["status"], &done["engine"], &done["error_message"]),
        (&json!("completed"), &json!("local_fallback"), &json!(""))
    );
    assert!(done["ats_score"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn the_stream_sends_each_status_change_until_the_end() {
    let app = TestApp::new().await;
    let s = setup(&app, "seeker@example.com").await;
    analyze(&app, &s, json!({"resume_id": s.resume_id})).await;
    let path = format!("/api/ai/result/{}/stream/", s.job_id);
    let stream = {
        let request = axum::http::Request::builder()
            .uri(&path)
            .header("authorization", format!("Bearer {}", s.token))
            .body(axum::body::Body::empty())
            .unwrap();
        let app_ref = app.app.clone();
        tokio::spawn(async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let response = app_ref.oneshot(request).await.unwrap();
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (content_type, String::from_utf8(body.to_vec()).unwrap())
        })
    };
    // Let the stream send "processing" first, then finish the analysis.
    tokio::time::sleep(Duration::from_millis(200)).await;
    app.run_pending_jobs().await;
    let (content_type, text) = tokio::time::timeout(Duration::from_secs(10), stream)
        .await
        .expect("the stream ends once the analysis has")
        .unwrap();
    assert_eq!(content_type, "text/event-stream");
    let statuses: Vec<String> = text
        .split("\n\n")
        .filter_map(|event| event.lines().find_map(|l| l.strip_prefix("data: ")))
        .map(|data| {
            serde_json::from_str::<Value>(data).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(statuses, ["processing", "completed"], "{text}");
    assert!(text.contains("event: status"), "{text}");

    let other = app.access_token(app.seed_user("other@example.com").await.id);
    app.get(&path, Some(&other)).await.assert(
        StatusCode::NOT_FOUND,
        json!({"detail": "No JobApplication matches the given query."}),
    );
}

/// Waits on `watch`'s wakeups for `s`'s analysis until one finds it completed; fails when ten
/// seconds pass without a wakeup (the stream would then only have learnt it at its next poll).
pub(crate) async fn woken_until_completed(
    watch: &TestApp,
    mut watcher: careerhub::changes::WakeupReceiver,
    s: &Setup,
) {
    loop {
        tokio::time::timeout(Duration::from_secs(10), watcher.changed(s.job_id))
            .await
            .expect("the finished analysis is announced");
        if result(watch, s).await["status"] == "completed" {
            return;
        }
    }
}

#[tokio::test]
async fn a_stream_is_woken_by_its_analysis_finishing_in_this_process() {
    let app = TestApp::new().await;
    let s = setup(&app, "seeker@example.com").await;
    analyze(&app, &s, json!({"resume_id": s.resume_id})).await;
    // Subscribed after the start was announced: only the result can wake it.
    let watcher = app.state.analysis_wakeups.subscribe();
    app.run_pending_jobs().await;
    woken_until_completed(&app, watcher, &s).await;
}

#[tokio::test]
async fn a_user_holds_at_most_four_streams_and_a_closed_one_frees_its_place() {
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let s = setup(&app, "seeker@example.com").await;
    analyze(&app, &s, json!({"resume_id": s.resume_id})).await;
    let path = format!("/api/ai/result/{}/stream/", s.job_id);
    // Holding the response without reading it keeps the stream open, as a browser tab does.
    let open = |token: String| {
        let request = axum::http::Request::builder()
            .uri(&path)
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        app.app.clone().oneshot(request)
    };
    let mut held = Vec::new();
    for _ in 0..4 {
        let response = open(s.token.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        held.push(response);
    }
    app.get(&path, Some(&s.token)).await.assert(
        StatusCode::TOO_MANY_REQUESTS,
        json!({"detail": "You have 4 analysis streams open already. Close one, or poll the result endpoint."}),
    );
    // Polling is not limited by the streams.
    assert_eq!(result(&app, &s).await["status"], "processing");

    held.pop();
    held.push(open(s.token.clone()).await.unwrap());
    assert_eq!(held[3].status(), StatusCode::OK);
    drop(held);
    assert_eq!(app.state.analysis_streams.users(), 0);
}
