//! Fenced jobs: a worker that stalls past its lease while the AI provider answers, and finds
//! another worker has taken its job over and finished it, records nothing; the finished result
//! never changes and the late run is counted as a lost claim.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use careerhub::ai::AiConfig;
use careerhub::config::{AtsEngine, Config, Secret};
use careerhub::queue::job;
use careerhub::queue::worker::{self, Outcome};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use tokio::sync::{Notify, watch};

use crate::analysis::{analyze, result, setup};
use crate::helpers::{TestApp, spawn_server};

/// A chat-completions server whose first answer waits until the test releases it; each answer
/// scores skills by its call number (1 for the first call, 2 for the second).
#[derive(Clone, Default)]
struct GatedProvider {
    calls: Arc<AtomicUsize>,
    first_arrived: Arc<Notify>,
    release_first: Arc<Notify>,
}

async fn completions(State(provider): State<GatedProvider>) -> axum::Json<Value> {
    let call = provider.calls.fetch_add(1, Ordering::SeqCst) + 1;
    if call == 1 {
        provider.first_arrived.notify_one();
        provider.release_first.notified().await;
    }
    let content = json!({
        "ats_score": 0,
        "score_breakdown": {"skills_match": call, "project_impact": 10, "tools_frameworks": 10, "role_fit": 10},
        "missing_keywords": [],
        "strengths": [format!("answer {call}")],
        "suggestions": [],
    });
    axum::Json(json!({
        "id": format!("chatcmpl-{call}"),
        "object": "chat.completion",
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content.to_string()}, "finish_reason": "stop"}],
    }))
}

async fn gated_app() -> (TestApp, GatedProvider) {
    let provider = GatedProvider::default();
    let router = Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(provider.clone());
    let base = spawn_server(router).await;
    let app = TestApp::with_config(|c: &mut Config| {
        c.ai = Some(AiConfig {
            base_url: format!("{base}/v1"),
            api_key: Some(Secret::new("gsk-test")),
            model: "llama-3.3-70b-versatile".into(),
            image_model: "gpt-image-1".into(),
            timeout: Duration::from_secs(30),
            retries: 0,
        });
        c.ats_engine = AtsEngine::Llm;
        c.ai_fallback_local = false;
    })
    .await;
    (app, provider)
}

#[tokio::test]
async fn a_worker_stalled_past_its_lease_records_nothing_over_the_finished_result() {
    let (app, provider) = gated_app().await;
    let s = setup(&app, "seeker@example.com").await;
    analyze(&app, &s, json!({"resume_id": s.resume_id}))
        .await
        .assert_status(StatusCode::ACCEPTED);

    // The first worker claims the job and waits on the provider...
    let state = app.state.clone();
    let stalled = tokio::spawn(async move {
        let (_stop, mut stopping) = watch::channel(false);
        worker::run_once(&state, "stalled", &mut stopping)
            .await
            .unwrap()
            .map(|(job, outcome)| (job.id, outcome))
    });
    provider.first_arrived.notified().await;

    // ...past its lease, so a second worker takes the job over and finishes it.
    app.state
        .clock
        .advance(app.state.config.job_lease + Duration::from_secs(1));
    let (_stop, mut stopping) = watch::channel(false);
    let (job_id, outcome) = worker::run_once(&app.state, "fresh", &mut stopping)
        .await
        .unwrap()
        .map(|(job, outcome)| (job.id, outcome))
        .unwrap();
    assert_eq!(outcome, Outcome::Succeeded);
    let finished = result(&app, &s).await;
    assert_eq!(
        (
            &finished["status"],
            &finished["score_breakdown"],
            &finished["strengths"]
        ),
        (
            &json!("completed"),
            &json!({"skills_match": 2, "project_impact": 10, "tools_frameworks": 10, "role_fit": 10}),
            &json!(["answer 2"])
        )
    );
    let done = job::Entity::find_by_id(job_id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            done.status.as_str(),
            done.attempts,
            done.locked_by.as_deref()
        ),
        ("succeeded", 2, None)
    );

    // The stalled worker's answer arrives late: its claim is gone, so nothing changes.
    provider.release_first.notify_one();
    assert_eq!(stalled.await.unwrap(), Some((job_id, Outcome::ClaimLost)));
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    assert_eq!(result(&app, &s).await, finished);
    let after = job::Entity::find_by_id(job_id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after, done);
    let metrics = app.get("/metrics", None).await.text;
    assert!(
        metrics
            .contains("careerhub_job_runs_total{kind=\"tracker.analyze\",outcome=\"claimlost\"} 1"),
        "{metrics}"
    );
}
