//! Breneo: the industry profile contract, the server-side industry computation and match, and
//! isolation between users (work history, educations and skills are in `breneo_history` and
//! `breneo_profile`).

use axum::http::{Method, StatusCode};
use careerhub::profiles::industry_profile;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::breneo_history::stripe_job;
use crate::helpers::TestApp;

async fn profile_row(app: &TestApp, user_id: i64) -> Option<industry_profile::Model> {
    industry_profile::Entity::find()
        .filter(industry_profile::Column::UserId.eq(user_id))
        .one(app.state.db.reader())
        .await
        .unwrap()
}

fn bad(detail: &str) -> Value {
    json!({ "detail": detail })
}

// ---------- industry profile ----------

#[tokio::test]
async fn get_without_a_profile_answers_an_empty_map_and_creates_nothing() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    app.get("/api/me/industry-profile/", Some(&token))
        .await
        .assert(
            StatusCode::OK,
            json!({"industry_years_json": {}, "updated_at": null}),
        );
    assert!(profile_row(&app, user.id).await.is_none());
    app.get("/api/me/industry-profile/", None).await.assert(
        StatusCode::UNAUTHORIZED,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}

#[tokio::test]
async fn put_upserts_one_row_per_user_and_patch_does_the_same() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let body = json!({"industry_years_json": {"fintech": 2.5, "e-commerce": 0.8}, "updated_at": "2026-02-10T12:00:00.000Z"});
    let expected = json!({"industry_years_json": {"fintech": 2.5, "e-commerce": 0.8}, "updated_at": "2026-02-10T12:00:00Z"});
    app.call(
        Method::PUT,
        "/api/me/industry-profile/",
        Some(body),
        Some(&token),
    )
    .await
    .assert(StatusCode::OK, expected.clone());
    app.get("/api/me/industry-profile", Some(&token))
        .await
        .assert(StatusCode::OK, expected);

    let patch = json!({"industry_years_json": {"gaming": 1}, "updated_at": "2026-03-01T00:00:00Z"});
    app.call(
        Method::PATCH,
        "/api/me/industry-profile/",
        Some(patch),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::OK,
        json!({"industry_years_json": {"gaming": 1}, "updated_at": "2026-03-01T00:00:00Z"}),
    );
    let rows = industry_profile::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(rows, 1);
    let row = profile_row(&app, user.id).await.unwrap();
    assert_eq!(
        (row.industry_years_json, row.source.as_str()),
        (json!({"gaming": 1}), "client")
    );
}

#[tokio::test]
async fn an_empty_map_is_stored_as_data_and_updated_at_defaults_to_now() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let before = chrono::Utc::now();
    let response = app
        .call(
            Method::PUT,
            "/api/me/industry-profile/",
            Some(json!({})),
            Some(&token),
        )
        .await;
    let body = response.assert_status(StatusCode::OK).clone();
    assert_eq!(body["industry_years_json"], json!({}));
    let stored_at: chrono::DateTime<chrono::Utc> =
        body["updated_at"].as_str().unwrap().parse().unwrap();
    assert!(stored_at >= before - chrono::Duration::seconds(1));
    assert_eq!(
        profile_row(&app, user.id)
            .await
            .unwrap()
            .industry_years_json,
        json!({})
    );
}

#[tokio::test]
async fn every_invalid_body_is_a_400_with_its_message_and_changes_nothing() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let original =
        json!({"industry_years_json": {"fintech": 1}, "updated_at": "2026-01-01T00:00:00Z"});
    app.call(
        Method::PUT,
        "/api/me/industry-profile/",
        Some(original),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);

    let cases = [
        (json!([1, 2]), "Request body must be JSON object."),
        (json!("text"), "Request body must be JSON object."),
        (
            json!({"industry_years_json": [1]}),
            "industry_years_json must be an object.",
        ),
        (
            json!({"industry_years_json": "fintech"}),
            "industry_years_json must be an object.",
        ),
        (
            json!({"industry_years_json": {"fintech": -0.5}}),
            "industry_years_json['fintech'] must be a finite number greater than or equal to 0.",
        ),
        (
            json!({"industry_years_json": {"banking": "3"}}),
            "industry_years_json['banking'] must be a finite number greater than or equal to 0.",
        ),
        (
            json!({"industry_years_json": {"banking": null}}),
            "industry_years_json['banking'] must be a finite number greater than or equal to 0.",
        ),
        (
            json!({"industry_years_json": {}, "updated_at": "10/02/2026"}),
            "updated_at must be a valid ISO 8601 datetime string.",
        ),
        (
            json!({"industry_years_json": {}, "updated_at": 1700000000}),
            "updated_at must be a valid ISO 8601 datetime string.",
        ),
    ];
    for (body, detail) in cases {
        app.call(
            Method::PUT,
            "/api/me/industry-profile/",
            Some(body),
            Some(&token),
        )
        .await
        .assert(StatusCode::BAD_REQUEST, bad(detail));
    }
    let malformed = axum::http::Request::put("/api/me/industry-profile/")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{\"industry_years_json\": {"))
        .unwrap();
    assert!(
        app.request(malformed).await.json["detail"]
            .as_str()
            .unwrap()
            .starts_with("JSON parse error - ")
    );
    assert_eq!(
        profile_row(&app, user.id)
            .await
            .unwrap()
            .industry_years_json,
        json!({"fintech": 1})
    );
}

// ---------- industry years on the server ----------

#[tokio::test]
async fn work_experience_changes_recompute_the_profile_and_a_frontend_put_wins_until_the_next_change()
 {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let created = app
        .call(
            Method::POST,
            "/api/work-experiences/",
            Some(stripe_job()),
            Some(&token),
        )
        .await;
    let stripe_id = created.assert_status(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let profile = app.get("/api/me/industry-profile/", Some(&token)).await;
    assert_eq!(profile.json["industry_years_json"], json!({"fintech": 2.0}));
    assert_eq!(profile_row(&app, user.id).await.unwrap().source, "server");

    // The frontend's own computation replaces it...
    app.call(
        Method::PUT,
        "/api/me/industry-profile/",
        Some(json!({"industry_years_json": {"fintech": 2.1}})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(
        app.get("/api/me/industry-profile/", Some(&token))
            .await
            .json["industry_years_json"],
        json!({"fintech": 2.1})
    );

    // ...until the next work-experience change: an overlapping fintech job at a bank, then a game job.
    let overlap = json!({"job_title": "Engineer", "company": "Wise", "start_date": "2021-01", "end_date": "2022-12"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(overlap),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let game = json!({"job_title": "Gameplay Programmer", "company": "Tiny Indie Studio", "start_date": "2019", "end_date": "2019"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(game),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::CREATED);
    assert_eq!(
        app.get("/api/me/industry-profile/", Some(&token))
            .await
            .json["industry_years_json"],
        json!({"fintech": 3.0, "gaming": 1.0})
    );

    let breakdown = app
        .get("/api/me/industry-profile/breakdown/", Some(&token))
        .await;
    let breakdown = breakdown.assert_status(StatusCode::OK);
    assert_eq!(
        breakdown["computed_industry_years_json"],
        json!({"fintech": 3.0, "gaming": 1.0})
    );
    assert_eq!(breakdown["stored_source"], "server");
    let fintech = &breakdown["industries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["industry"] == "fintech")
        .unwrap();
    assert_eq!(
        fintech["periods"],
        json!([{"start": "2020-01-01", "end": "2022-12-31"}])
    );
    let resolved: Vec<(Value, Value, Value)> = breakdown["experiences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["company"].clone(),
                e["industry"].clone(),
                e["resolved_by"].clone(),
            )
        })
        .collect();
    assert_eq!(
        resolved,
        vec![
            (json!("Wise"), json!("fintech"), json!("company")),
            (json!("Stripe, Inc."), json!("fintech"), json!("company")),
            (json!("Tiny Indie Studio"), json!("gaming"), json!("title")),
        ]
    );
    let game_entry = breakdown["experiences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["company"] == "Tiny Indie Studio")
        .unwrap();
    assert_eq!(game_entry["approximate"], json!(true));

    app.call(
        Method::DELETE,
        &format!("/api/work-experiences/{stripe_id}/"),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/me/industry-profile/", Some(&token))
            .await
            .json["industry_years_json"],
        json!({"fintech": 2.0, "gaming": 1.0})
    );
}

#[tokio::test]
async fn the_industry_match_scores_the_stored_years_with_reasons() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    app.call(
        Method::PUT,
        "/api/me/industry-profile/",
        Some(json!({"industry_years_json": {"fintech": 2, "gaming": 1}})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let matched = app
        .get(
            "/api/me/industry-match/?industries=Banking,%20FinTech",
            Some(&token),
        )
        .await;
    matched.assert(StatusCode::OK, json!({
        "industries": ["banking", "fintech"],
        "match_percentage": 75,
        "best_industry": "fintech",
        "reasons": ["2 years in fintech", "2 years in fintech, related to banking"],
        "scores": [
            {"industry": "fintech", "score": 75, "direct_years": 2.0, "related": []},
            {"industry": "banking", "score": 37, "direct_years": 0.0, "related": [{"industry": "fintech", "years": 2.0}]}
        ],
        "years_from": "industry_profile"
    }));
    app.get("/api/me/industry-match/", Some(&token)).await
        .assert(StatusCode::BAD_REQUEST, bad("The industries query parameter is required, for example ?industries=fintech,banking."));
}

#[tokio::test]
async fn breneos_own_tags_match_careerhubs_industries() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    // What Breneo's page PUTs: its own tags, from job-title keywords.
    app.call(
        Method::PUT,
        "/api/me/industry-profile/",
        Some(json!({"industry_years_json": {"payments": 4, "Cloud": 2}})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let matched = app
        .get(
            "/api/me/industry-match/?industries=fintech,cloud-infrastructure,nonprofit",
            Some(&token),
        )
        .await;
    matched.assert(StatusCode::OK, json!({
        "industries": ["fintech", "cloud-infrastructure", "nonprofit"],
        "match_percentage": 75,
        "best_industry": "cloud-infrastructure",
        "reasons": ["2 years in cloud-infrastructure", "4 years in payments, related to fintech"],
        "scores": [
            {"industry": "cloud-infrastructure", "score": 75, "direct_years": 2.0, "related": []},
            {"industry": "fintech", "score": 50, "direct_years": 0.0, "related": [{"industry": "payments", "years": 4.0}]},
            {"industry": "nonprofit", "score": 0, "direct_years": 0.0, "related": []}
        ],
        "years_from": "industry_profile"
    }));
}

#[tokio::test]
async fn with_work_history_the_match_uses_careerhubs_own_computation_and_says_so() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    let job = json!({"job_title": "Engineer", "company": "Stripe", "start_date": "2019-01", "end_date": "2021-12"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(job),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::CREATED);
    // A later PUT from the page (its own guess) does not hide the history from the match.
    app.call(
        Method::PUT,
        "/api/me/industry-profile/",
        Some(json!({"industry_years_json": {"design": 3}})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let matched = app
        .get("/api/me/industry-match/?industries=fintech", Some(&token))
        .await;
    let body = matched.assert_status(StatusCode::OK);
    assert_eq!(
        (
            &body["best_industry"],
            &body["years_from"],
            &body["scores"][0]["direct_years"]
        ),
        (&json!("fintech"), &json!("work_history"), &json!(3.0))
    );
    assert_eq!(body["reasons"], json!(["3 years in fintech"]));
}

// ---------- isolation ----------

#[tokio::test]
async fn another_user_reaches_none_of_these_rows() {
    let app = TestApp::new().await;
    let owner = app.access_token(app.seed_user("owner@breneo.ge").await.id);
    let intruder = app.access_token(app.seed_user("intruder@breneo.ge").await.id);

    let job = app
        .call(
            Method::POST,
            "/api/work-experiences/",
            Some(stripe_job()),
            Some(&owner),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .clone();
    let school = json!({"institution": "TSU", "start_date": "2015"});
    let school = app
        .call(Method::POST, "/api/educations/", Some(school), Some(&owner))
        .await
        .assert_status(StatusCode::CREATED)
        .clone();
    let skill = app
        .call(
            Method::POST,
            "/api/me/skills/",
            Some(json!({"name": "Go"})),
            Some(&owner),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .clone();

    let job_path = format!("/api/work-experiences/{}/", job["id"]);
    let school_path = format!("/api/educations/{}/", school["id"]);
    for (method, path, model) in [
        (Method::GET, &job_path, "WorkExperience"),
        (Method::PATCH, &job_path, "WorkExperience"),
        (Method::PUT, &job_path, "WorkExperience"),
        (Method::DELETE, &job_path, "WorkExperience"),
        (Method::GET, &school_path, "Education"),
        (Method::PATCH, &school_path, "Education"),
        (Method::PUT, &school_path, "Education"),
        (Method::DELETE, &school_path, "Education"),
    ] {
        let body = (method != Method::GET && method != Method::DELETE)
            .then(|| json!({"job_title": "Hacked", "institution": "Hacked"}));
        app.call(method, path, body, Some(&intruder)).await.assert(
            StatusCode::NOT_FOUND,
            bad(&format!("No {model} matches the given query.")),
        );
    }
    app.call(
        Method::DELETE,
        &format!("/api/me/skills/{}/", skill["id"]),
        None,
        Some(&intruder),
    )
    .await
    .assert(
        StatusCode::NOT_FOUND,
        bad("No UserSkill matches the given query."),
    );
    for list in [
        "/api/work-experiences/",
        "/api/educations/",
        "/api/me/skills/",
    ] {
        app.get(list, Some(&intruder))
            .await
            .assert(StatusCode::OK, json!([]));
    }
    app.get("/api/me/industry-profile/", Some(&intruder))
        .await
        .assert(
            StatusCode::OK,
            json!({"industry_years_json": {}, "updated_at": null}),
        );

    // The owner's rows are untouched.
    app.get(&job_path, Some(&owner))
        .await
        .assert(StatusCode::OK, job);
    app.get(&school_path, Some(&owner))
        .await
        .assert(StatusCode::OK, school);
    app.get("/api/me/skills/", Some(&owner))
        .await
        .assert(StatusCode::OK, json!([skill]));
}

#[tokio::test]
async fn concurrent_puts_from_many_users_each_read_back_their_own_profile() {
    let app = TestApp::new().await;
    let mut tokens = Vec::new();
    for n in 0..24 {
        tokens.push(app.access_token(app.seed_user(&format!("writer{n}@breneo.ge")).await.id));
    }
    let app = &app;
    let puts = tokens.iter().enumerate().flat_map(|(n, token)| {
        (0..3).map(move |round| {
            let body = json!({"industry_years_json": {"fintech": n, "round": round}});
            app.call(
                Method::PUT,
                "/api/me/industry-profile/",
                Some(body),
                Some(token),
            )
        })
    });
    for response in futures::future::join_all(puts).await {
        response.assert_status(StatusCode::OK);
    }
    for (n, token) in tokens.iter().enumerate() {
        let stored = app.get("/api/me/industry-profile/", Some(token)).await;
        assert_eq!(stored.json["industry_years_json"]["fintech"], json!(n));
    }
    assert_eq!(
        industry_profile::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        24
    );
}
