//! Breneo: the industry profile contract, work history and educations, skills on the taxonomy,
//! the server-side industry computation and match, public profiles, and isolation between users.

use axum::http::{Method, StatusCode};
use careerhub::profiles::{industry_profile, work_experience};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

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

// ---------- work experiences ----------

fn stripe_job() -> Value {
    json!({"job_title": "Backend Engineer", "company": "Stripe, Inc.", "start_date": "2020-01-01", "end_date": "2021-12-31",
           "is_current": false, "job_type": "full-time", "location": "Dublin", "description": "Payments APIs"})
}

#[tokio::test]
async fn work_experiences_are_created_listed_newest_first_read_updated_and_deleted() {
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
    let first = created.assert_status(StatusCode::CREATED).clone();
    let id = first["id"].as_i64().unwrap();
    assert_eq!(
        first,
        json!({"id": id, "job_title": "Backend Engineer", "company": "Stripe, Inc.", "start_date": "2020-01-01",
        "end_date": "2021-12-31", "is_current": false, "job_type": "full-time", "location": "Dublin", "description": "Payments APIs"})
    );

    let newer = json!({"job_title": "Staff Engineer", "company": "Revolut", "start_date": "2022-03", "is_current": true});
    let second = app
        .call(
            Method::POST,
            "/api/work-experiences",
            Some(newer),
            Some(&token),
        )
        .await;
    let second = second.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        (
            second["start_date"].clone(),
            second["end_date"].clone(),
            second["job_type"].clone()
        ),
        (json!("2022-03"), Value::Null, json!(""))
    );

    let list = app.get("/api/work-experiences/", Some(&token)).await;
    assert_eq!(list.assert_status(StatusCode::OK), &json!([second, first]));
    app.get(&format!("/api/work-experiences/{id}/"), Some(&token))
        .await
        .assert(StatusCode::OK, first.clone());

    let patched = app
        .call(
            Method::PATCH,
            &format!("/api/work-experiences/{id}/"),
            Some(json!({"location": "Remote"})),
            Some(&token),
        )
        .await;
    let mut expected = first.clone();
    expected["location"] = json!("Remote");
    patched.assert(StatusCode::OK, expected);

    app.call(Method::PUT, &format!("/api/work-experiences/{id}/"), Some(json!({"location": "Remote"})), Some(&token)).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"job_title": ["This field is required."], "company": ["This field is required."], "start_date": ["This field is required."]}),
    );
    app.call(
        Method::DELETE,
        &format!("/api/work-experiences/{id}/"),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.get(&format!("/api/work-experiences/{id}/"), Some(&token))
        .await
        .assert(
            StatusCode::NOT_FOUND,
            bad("No WorkExperience matches the given query."),
        );
}

#[tokio::test]
async fn work_experience_fields_are_validated_in_drf_shape_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let post = |body: Value| {
        let token = token.clone();
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/api/work-experiences/",
                Some(body),
                Some(&token),
            )
            .await
        }
    };
    post(json!({})).await.assert(StatusCode::BAD_REQUEST, json!({
        "job_title": ["This field is required."], "company": ["This field is required."], "start_date": ["This field is required."]
    }));
    post(json!({"job_title": " ", "company": "X", "start_date": "15/01/2020"})).await.assert(StatusCode::BAD_REQUEST, json!({
        "job_title": ["This field may not be blank."],
        "start_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD, YYYY-MM, YYYY."]
    }));
    post(json!({"job_title": "A", "company": "B", "start_date": "2021-05", "end_date": "2021-04-30"})).await
        .assert(StatusCode::BAD_REQUEST, json!({"end_date": ["End date must be on or after the start date."]}));
    post(json!({"job_title": "A", "company": "B", "start_date": "2021-05", "end_date": "2022", "is_current": true})).await
        .assert(StatusCode::BAD_REQUEST, json!({"end_date": ["An entry marked current cannot have an end date."]}));
    post(json!({"job_title": "A".repeat(201), "company": "B", "start_date": "2021", "is_current": "yes"})).await
        .assert(StatusCode::BAD_REQUEST, json!({"is_current": ["Must be a valid boolean."]}));
    post(json!({"job_title": "A".repeat(201), "company": "B", "start_date": "2021"}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"job_title": ["Ensure this field has no more than 200 characters."]}),
        );
    assert_eq!(
        work_experience::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        0
    );

    // A month end date on the start month is fine, and marking a role current clears its end.
    let ok = post(json!({"job_title": "A", "company": "B", "start_date": "2021-05-10", "end_date": "2021-05"})).await;
    let id = ok.assert_status(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let current = app
        .call(
            Method::PATCH,
            &format!("/api/work-experiences/{id}/"),
            Some(json!({"is_current": true})),
            Some(&token),
        )
        .await;
    assert_eq!(
        current.assert_status(StatusCode::OK)["end_date"],
        Value::Null
    );
}

#[tokio::test]
async fn at_most_ten_work_experiences_and_ten_educations() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    for year in 2010..2020 {
        let job = json!({"job_title": "Dev", "company": "Acme", "start_date": year.to_string()});
        app.call(
            Method::POST,
            "/api/work-experiences/",
            Some(job),
            Some(&token),
        )
        .await
        .assert_status(StatusCode::CREATED);
        let school =
            json!({"institution": "Tbilisi State University", "start_date": year.to_string()});
        app.call(Method::POST, "/api/educations/", Some(school), Some(&token))
            .await
            .assert_status(StatusCode::CREATED);
    }
    let job = json!({"job_title": "Dev", "company": "Acme", "start_date": "2021"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(job),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        bad("Maximum 10 work experience entries allowed per user."),
    );
    let school = json!({"institution": "Free University", "start_date": "2021"});
    app.call(Method::POST, "/api/educations/", Some(school), Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            bad("Maximum 10 education entries allowed per user."),
        );
    // Another user is not affected by the first one's entries.
    let other = app.access_token(app.seed_user("other@breneo.ge").await.id);
    let job = json!({"job_title": "Dev", "company": "Acme", "start_date": "2021"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(job),
        Some(&other),
    )
    .await
    .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn educations_round_trip() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    let body = json!({"institution": "Tbilisi State University", "degree": "BSc", "field_of_study": "Computer Science", "start_date": "2016-09", "end_date": "2020-06"});
    let created = app
        .call(Method::POST, "/api/educations/", Some(body), Some(&token))
        .await;
    let created = created.assert_status(StatusCode::CREATED).clone();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        created,
        json!({"id": id, "institution": "Tbilisi State University", "degree": "BSc", "field_of_study": "Computer Science",
        "start_date": "2016-09", "end_date": "2020-06", "is_current": false})
    );
    let patched = app
        .call(
            Method::PATCH,
            &format!("/api/educations/{id}"),
            Some(json!({"degree": "MSc", "end_date": null, "is_current": true})),
            Some(&token),
        )
        .await;
    let patched = patched.assert_status(StatusCode::OK).clone();
    assert_eq!(
        (
            &patched["degree"],
            &patched["end_date"],
            &patched["is_current"]
        ),
        (&json!("MSc"), &Value::Null, &json!(true))
    );
    app.get("/api/educations/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([patched]));
    app.call(
        Method::DELETE,
        &format!("/api/educations/{id}/"),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.get("/api/educations/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([]));
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
        ]
    }));
    app.get("/api/me/industry-match/", Some(&token)).await
        .assert(StatusCode::BAD_REQUEST, bad("The industries query parameter is required, for example ?industries=fintech,banking."));
}

// ---------- skills ----------

#[tokio::test]
async fn skills_resolve_on_the_taxonomy_and_unknown_ones_are_kept_as_typed() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let node = app
        .call(
            Method::POST,
            "/api/me/skills/",
            Some(json!({"name": "node js"})),
            Some(&token),
        )
        .await;
    let node = node.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        node,
        json!({"id": node["id"], "name": "Node.js", "category": "framework"})
    );
    app.call(
        Method::POST,
        "/api/me/skills/",
        Some(json!({"name": "NODEJS"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"name": ["You already have this skill."]}),
    );
    let knitting = app
        .call(
            Method::POST,
            "/api/me/skills/",
            Some(json!({"name": "  Quantum   Knitting "})),
            Some(&token),
        )
        .await;
    let knitting = knitting.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        knitting,
        json!({"id": knitting["id"], "name": "Quantum Knitting", "category": null})
    );
    app.call(
        Method::POST,
        "/api/me/skills/",
        Some(json!({})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"name": ["This field is required."]}),
    );

    app.get("/api/me/skills/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([node, knitting]));
    // Career Navigator sees the same skills, lowercased.
    assert_eq!(
        app.get("/auth/me", Some(&token)).await.json["skills"],
        json!(["node.js", "quantum knitting"])
    );

    let id = node["id"].as_i64().unwrap();
    app.call(
        Method::DELETE,
        &format!("/api/me/skills/{id}/"),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.get("/api/me/skills/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([knitting]));
    assert_eq!(
        app.get("/auth/me", Some(&token)).await.json["skills"],
        json!(["quantum knitting"])
    );
}

#[tokio::test]
async fn skill_search_ranks_prefixes_first_and_needs_no_login() {
    let app = TestApp::new().await;
    let response = app
        .get("/api/skills/search/?query=java&limit=3", None)
        .await;
    let names: Vec<&str> = response
        .assert_status(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 3);
    assert_eq!(names[0], "Java");
    assert!(
        names
            .iter()
            .all(|name| name.to_lowercase().starts_with("java")),
        "{names:?}"
    );
    let k8s = app.get("/api/skills/search?query=k8s", None).await;
    assert_eq!(k8s.json[0]["name"], "Kubernetes");
    assert_eq!(k8s.json[0]["category"], "tool");
    app.get("/api/skills/search/", None)
        .await
        .assert(StatusCode::OK, json!([]));
}

// ---------- public profiles ----------

#[tokio::test]
async fn a_public_profile_shows_only_when_switched_on() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let job = json!({"job_title": "Engineer", "company": "TBC Bank", "start_date": "2022-01", "end_date": "2022-12"});
    let job = app
        .call(
            Method::POST,
            "/api/work-experiences/",
            Some(job),
            Some(&token),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .clone();
    let skill = app
        .call(
            Method::POST,
            "/api/me/skills/",
            Some(json!({"name": "rust"})),
            Some(&token),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .clone();

    let path = format!("/api/users/{}/profile/", user.id);
    app.get(&path, None).await.assert(
        StatusCode::NOT_FOUND,
        bad("No User matches the given query."),
    );
    app.get("/api/users/999999/profile/", None).await.assert(
        StatusCode::NOT_FOUND,
        bad("No User matches the given query."),
    );

    let me = app
        .call(
            Method::PATCH,
            "/api/me/profile/",
            Some(json!({"profile_public": true, "phone_number": "+995 555 12 34 56"})),
            Some(&token),
        )
        .await;
    me.assert(
        StatusCode::OK,
        json!({"id": user.id, "email": "nino@breneo.ge", "first_name": "Test", "last_name": "User",
        "phone_number": "+995 555 12 34 56", "profile_image": null, "profile_public": true}),
    );

    let public = app.get(&path, None).await;
    let body = public.assert_status(StatusCode::OK).clone();
    let updated_at = body["industry_profile"]["updated_at"].clone();
    assert!(updated_at.is_string());
    assert_eq!(
        body,
        json!({
            "id": user.id, "first_name": "Test", "last_name": "User", "full_name": "Test User", "title": "",
            "work_experiences": [job], "skills": [skill],
            "industry_profile": {"industry_years_json": {"banking": 1.0}, "updated_at": updated_at}
        })
    );
    assert!(!public.text.contains("nino@breneo.ge"));

    app.call(
        Method::PATCH,
        "/api/me/profile/",
        Some(json!({"phone_number": "call me"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"phone_number": ["Enter a valid phone number."]}),
    );
    app.call(
        Method::PATCH,
        "/api/me/profile/",
        Some(json!({"profile_public": false})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    app.get(&path, None)
        .await
        .assert_status(StatusCode::NOT_FOUND);
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
