//! Grooya's AI features and what pays for them: every feature of the frontend's aiService as a
//! task answering its result type (through a local server speaking the chat-completions
//! protocol), a misfit answer repaired once and else refunded, credits by plan refilled once a
//! month, the free plan's one use per feature and no images, and promo codes made in the admin
//! and applied once, atomically.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use careerhub::accounts::user::SubscriptionTier;
use careerhub::ai::AiConfig;
use careerhub::config::Secret;
use careerhub::portfolios::promo::code;
use careerhub::talent::subscription;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::admin::{AdminClient, seed_staff};
use crate::helpers::{TestApp, spawn_server};

/// A provider that answers from a script (then `{"text": "Generated."}`) and keeps what it
/// was asked.
#[derive(Clone, Default)]
struct Provider {
    script: Arc<Mutex<VecDeque<Value>>>,
    asked: Arc<Mutex<Vec<String>>>,
    calls: Arc<AtomicUsize>,
}

impl Provider {
    fn will_answer(&self, answers: impl IntoIterator<Item = Value>) {
        self.script.lock().unwrap().extend(answers);
    }
}

async fn completions(State(provider): State<Provider>, Json(body): Json<Value>) -> Json<Value> {
    provider.calls.fetch_add(1, Ordering::SeqCst);
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    provider.asked.lock().unwrap().push(user.to_owned());
    let answer = provider
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| json!({"text": "Generated."}));
    let content = match answer {
        Value::String(raw) => raw,
        other => other.to_string(),
    };
    Json(json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}))
}

async fn ai_app() -> (TestApp, Provider) {
    let provider = Provider::default();
    let router = Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(provider.clone());
    let base = spawn_server(router).await;
    let app = TestApp::with_config(|c| {
        c.ai = Some(AiConfig {
            base_url: format!("{base}/v1"),
            api_key: Some(Secret::new("sk-test")),
            model: "test-model".into(),
            image_model: "test-image".into(),
            timeout: Duration::from_secs(5),
            retries: 0,
        });
    })
    .await;
    (app, provider)
}

async fn generate(
    app: &TestApp,
    token: &str,
    task: &str,
    payload: Value,
) -> crate::helpers::TestResponse {
    app.call(
        Method::POST,
        "/api/ai/generate-text/",
        Some(json!({"task": task, "payload": payload})),
        Some(token),
    )
    .await
}

async fn credits(app: &TestApp, token: &str) -> Value {
    app.get("/api/auth/user/", Some(token)).await.json["subscription"]["credits"].clone()
}

#[tokio::test]
async fn every_ai_feature_of_the_frontend_answers_its_result_type() {
    let (app, provider) = ai_app().await;
    let user = app.seed_user("jane@example.com").await;
    subscription::grant(
        app.state.db.writer(),
        user.id,
        SubscriptionTier::Premium,
        None,
    )
    .await
    .unwrap();
    app.state.accounts.forget(user.id);
    let token = app.access_token(user.id);
    let hex = |c: &str| json!(c);
    let palette = json!({"background": "#ffffff", "text": "#111", "heading": "#000000", "subtle": "#666666",
        "cardBackground": "#fafafa", "cardBorder": "#eeeeee", "inputBackground": "#ffffff",
        "inputBorder": "#dddddd", "inputText": "#111111", "inputPlaceholder": "#999999"});
    let resume = json!({"fullName": "Jane", "jobTitle": "Designer", "email": "j@example.com",
        "summary": "Designs.", "experience": [{"title": "Designer", "company": "Acme", "dateRange": "2020", "description": "Led."}],
        "education": [], "skills": [{"name": "Figma", "category": "tool"}], "projects": []});
    let cases: Vec<(&str, Value, Value, Value)> = vec![
        (
            "projectStory",
            json!({"title": "Ray tracer"}),
            json!({"text": "A story."}),
            json!("A story."),
        ),
        (
            "heroContent",
            json!({"name": "Jane"}),
            json!({"headline": "Hi", "subheadline": "I design."}),
            json!({"headline": "Hi", "subheadline": "I design."}),
        ),
        (
            "aboutContent",
            json!({}),
            json!({"text": "About me."}),
            json!("About me."),
        ),
        (
            "designSuggestions",
            json!({"userTitle": "Chef"}),
            json!({"theme": "mint", "fontPairing": "mixed", "accentColor": "#10b981"}),
            json!({"theme": "mint", "headingFont": "Poppins", "bodyFont": "Merriweather", "accentColor": "#10B981"}),
        ),
        (
            "resumeFromPortfolio",
            json!({"portfolio": {}}),
            resume.clone(),
            Value::Null,
        ),
        (
            "resumeFromJobDescription",
            json!({"jobDescription": "x"}),
            resume.clone(),
            Value::Null,
        ),
        (
            "resumeTailoring",
            json!({}),
            json!({"newSummary": "S", "suggestedKeywords": ["Figma"], "feedbackPoints": ["More numbers"]}),
            json!({"newSummary": "S", "suggestedKeywords": ["Figma"], "feedbackPoints": ["More numbers"]}),
        ),
        (
            "portfolioReview",
            json!({}),
            json!({"overallImpression": "Good", "contentSuggestions": [{"area": "Hero", "suggestion": "Shorter"}],
            "projectShowcaseFeedback": "Add images", "missingSections": ["Contact", "blog"]}),
            json!({"overallImpression": "Good", "contentSuggestions": [{"area": "Hero", "suggestion": "Shorter"}],
            "projectShowcaseFeedback": "Add images", "missingSections": ["contact", "blog"]}),
        ),
        (
            "experienceEnhancement",
            json!({"description": "did stuff"}),
            json!({"text": "Led stuff."}),
            json!("Led stuff."),
        ),
        (
            "blockSuggestions",
            json!({"goal": "job"}),
            json!({"suggestions": [{"type": "testimonials", "reason": "Trust"}]}),
            json!([{"type": "testimonials", "reason": "Trust"}]),
        ),
        (
            "paletteGeneration",
            json!({"prompt": "calm"}),
            json!({"colors": palette}),
            Value::Null,
        ),
        (
            "contentTuning",
            json!({"block": {"type": "hero", "headline": "a", "subheadline": "b"}, "audience": "CTO"}),
            json!({"headline": "For CTOs", "subheadline": "Ship."}),
            json!({"headline": "For CTOs", "subheadline": "Ship."}),
        ),
        (
            "contentTuning",
            json!({"block": {"type": "about", "content": "x"}, "audience": "CTO"}),
            json!({"content": "Tuned."}),
            json!({"content": "Tuned."}),
        ),
        (
            "about",
            json!({}),
            json!({"text": "Old name."}),
            json!("Old name."),
        ),
        (
            "tailor_resume",
            json!({}),
            json!({"newSummary": "S", "suggestedKeywords": [], "feedbackPoints": []}),
            json!({"newSummary": "S", "suggestedKeywords": [], "feedbackPoints": []}),
        ),
    ];
    let count = cases.len() as i64;
    for (task, payload, answer, expected) in cases {
        provider.will_answer([answer]);
        let response = generate(&app, &token, task, payload).await;
        let result = response.assert_status(StatusCode::OK)["result"].clone();
        match task {
            "resumeFromPortfolio" | "resumeFromJobDescription" => {
                assert_eq!(result["skills"][0]["category"], "Tool", "{task}");
                assert!(
                    result["experience"][0]["id"].is_string(),
                    "{task}: ids made: {result}"
                );
                assert_eq!(result["experience"][0]["company"], "Acme");
            }
            "paletteGeneration" => {
                assert_eq!(result["colors"]["text"], hex("#111111"));
                assert_eq!(result["colors"].as_object().unwrap().len(), 10);
            }
            _ => assert_eq!(result, expected, "{task}"),
        }
        assert_eq!(response.json["free_use"], false);
    }
    assert_eq!(
        credits(&app, &token).await,
        json!({"text": 500 - count, "image": 100})
    );
    assert_eq!(provider.calls.load(Ordering::SeqCst) as i64, count);
}

#[tokio::test]
async fn a_misfit_answer_is_asked_again_once_then_refunded() {
    let (app, provider) = ai_app().await;
    let user = app.seed_user("jane@example.com").await;
    crate::grooya::set_tier(&app, user.id, SubscriptionTier::Starter).await;
    let token = app.access_token(user.id);
    assert_eq!(
        credits(&app, &token).await,
        json!({"text": 50, "image": 10})
    );

    provider.will_answer([
        json!({"headline": "Hi"}),
        json!({"headline": "Hi", "subheadline": "There."}),
    ]);
    let repaired = generate(&app, &token, "heroContent", json!({"name": "Jane"})).await;
    assert_eq!(
        repaired.assert_status(StatusCode::OK)["result"],
        json!({"headline": "Hi", "subheadline": "There."})
    );
    let asked = provider.asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 2);
    assert!(
        asked[1].contains("answer.subheadline is missing"),
        "the repair says what was wrong: {}",
        asked[1]
    );

    provider.will_answer([
        json!("not json at all"),
        json!({"theme": "neon", "fontPairing": "sans", "accentColor": "#000000"}),
    ]);
    generate(&app, &token, "designSuggestions", json!({})).await.assert(
        StatusCode::BAD_GATEWAY,
        json!({"detail": "AI generation failed: the AI provider returned an invalid response: the answer did not fit: answer.theme must be one of light, dark, mint, rose. Your credit was refunded."}),
    );
    assert_eq!(provider.calls.load(Ordering::SeqCst), 4);
    assert_eq!(
        credits(&app, &token).await,
        json!({"text": 49, "image": 10})
    );
}

#[tokio::test]
async fn credits_follow_the_plan_and_refill_once_a_month() {
    let (app, provider) = ai_app().await;
    let user = app.seed_user("jane@example.com").await;
    let token = app.access_token(user.id);
    assert_eq!(credits(&app, &token).await, json!({"text": 10, "image": 3}));
    subscription::grant(
        app.state.db.writer(),
        user.id,
        SubscriptionTier::Premium,
        None,
    )
    .await
    .unwrap();
    app.state.accounts.forget(user.id);
    assert_eq!(
        credits(&app, &token).await,
        json!({"text": 500, "image": 100})
    );
    generate(&app, &token, "about", json!({}))
        .await
        .assert_status(StatusCode::OK);
    // Reading again in the same month refills nothing.
    let app = Arc::new(app);
    let reads = (0..10).map(|_| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move { credits(&app, &token).await })
    });
    for read in futures::future::join_all(reads).await {
        assert_eq!(read.unwrap(), json!({"text": 499, "image": 100}));
    }

    // Next month: twenty generations at once are paid from one refill.
    app.state.clock.advance(Duration::from_secs(32 * 24 * 3600));
    let calls = (0..20).map(|_| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move { generate(&app, &token, "about", json!({})).await.status })
    });
    for status in futures::future::join_all(calls).await {
        assert_eq!(status.unwrap(), StatusCode::OK);
    }
    assert_eq!(
        credits(&app, &token).await,
        json!({"text": 480, "image": 100})
    );
    assert_eq!(provider.calls.load(Ordering::SeqCst), 21);
    let period = app.user(user.id).await.credits_period;
    assert_eq!(
        period,
        Some(app.state.clock.now_utc().format("%Y-%m").to_string())
    );
}

#[tokio::test]
async fn the_free_plan_has_one_use_of_each_feature_and_no_images() {
    let (app, provider) = ai_app().await;
    let user = app.seed_user("jane@example.com").await;
    let token = app.access_token(user.id);
    app.call(
        Method::POST,
        "/api/ai/generate-image/",
        Some(json!({"prompt": "a lighthouse"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::FORBIDDEN,
        json!({"detail": "AI image generation is included in the paid plans. Upgrade to generate images."}),
    );
    let first = generate(&app, &token, "aboutContent", json!({})).await;
    assert_eq!(
        (
            first.status,
            &first.json["free_use"],
            &first.json["credits"]
        ),
        (
            StatusCode::OK,
            &json!(true),
            &json!({"text": 10, "image": 3})
        )
    );
    // The old task name is the same feature: its free use is gone.
    let second = generate(&app, &token, "about", json!({})).await;
    assert_eq!(
        (&second.json["free_use"], &second.json["credits"]),
        (&json!(false), &json!({"text": 9, "image": 3}))
    );
    let user_view = app.get("/api/auth/user/", Some(&token)).await;
    assert_eq!(
        user_view.json["subscription"]["freeFeaturesUsed"],
        json!({"aboutContent": true})
    );
    // A failed call gives its free use back.
    provider.will_answer([json!("nope"), json!("still nope")]);
    generate(&app, &token, "heroContent", json!({}))
        .await
        .assert_status(StatusCode::BAD_GATEWAY);
    provider.will_answer([json!({"headline": "Hi", "subheadline": "There."})]);
    let third = generate(&app, &token, "heroContent", json!({})).await;
    assert_eq!(third.json["free_use"], true, "{}", third.text);
    assert_eq!(provider.calls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn promo_codes_made_in_the_admin_are_used_once_however_many_apply_at_once() {
    let app = TestApp::new().await;
    let staff = seed_staff(&app, "ops@example.com").await;
    let admin = AdminClient::login(&app, &staff.email).await;
    let made = admin
        .post(
            "/admin/promo-codes",
            &[
                ("code", "launch-1"),
                ("plan", "premium"),
                ("days", "30"),
                ("text_credits", "5"),
                ("image_credits", "0"),
                ("early_adopter", "on"),
                ("usage_limit", "1"),
                ("expires", ""),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let listed = admin.get("/admin/promo-codes").await;
    assert!(
        listed.text.contains("LAUNCH-1") && listed.text.contains("0 of 1"),
        "{}",
        listed.text
    );

    let mut tokens = Vec::new();
    for n in 0..20 {
        let user = app.seed_user(&format!("user{n}@example.com")).await;
        tokens.push((user.id, app.access_token(user.id)));
    }
    let app = Arc::new(app);
    let applies = tokens.iter().map(|(_, token)| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move {
            app.call(
                Method::POST,
                "/api/promo-codes/apply/",
                Some(json!({"code": " Launch-1 "})),
                Some(&token),
            )
            .await
        })
    });
    let mut winners = Vec::new();
    for (response, (id, token)) in futures::future::join_all(applies)
        .await
        .into_iter()
        .zip(&tokens)
    {
        let response = response.unwrap();
        if response.status == StatusCode::OK {
            winners.push((*id, token.clone(), response.json));
        } else {
            response.assert(
                StatusCode::BAD_REQUEST,
                json!({"code": ["This promo code has reached its usage limit."]}),
            );
        }
    }
    assert_eq!(winners.len(), 1);
    let (winner, token, body) = &winners[0];
    assert_eq!(
        body["message"],
        "Promo code applied! You now have the premium plan."
    );
    assert_eq!(
        (
            &body["promo_code"]["timesUsed"],
            &body["user"]["isEarlyAdopter"],
            &body["user"]["subscription"]["tier"]
        ),
        (&json!(1), &json!(true), &json!("premium"))
    );
    assert!(body["user"]["subscription"]["renewsAt"].is_number());
    assert_eq!(
        body["user"]["subscription"]["credits"],
        json!({"text": 505, "image": 100}),
        "the plan's credits, and the code's on top"
    );
    let row = code::Entity::find()
        .filter(code::Column::Code.eq("LAUNCH-1"))
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.times_used, 1);
    assert_eq!(
        app.user(*winner).await.subscription_tier,
        SubscriptionTier::Premium
    );
    for (id, _) in &tokens {
        if id != winner {
            assert_eq!(
                app.user(*id).await.subscription_tier,
                SubscriptionTier::Free
            );
        }
    }
    app.call(
        Method::POST,
        "/api/promo-codes/apply/",
        Some(json!({"code": "LAUNCH-1"})),
        Some(token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"code": ["You have already used this promo code."]}),
    );
    app.call(
        Method::POST,
        "/api/promo-codes/apply/",
        Some(json!({"code": "NOPE"})),
        Some(token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"code": ["Invalid promo code."]}),
    );
}
