//! Job cards and staff imports: the posting search's filters, pages and counts (with each
//! signed-in user's skill and industry match), the staff import route, and the market cache
//! replaced as soon as postings are stored.

use axum::http::StatusCode;
use careerhub::accounts::service::NewUser;
use careerhub::market::job_posting;
use careerhub::market::store::Upserted;
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::market::{at, posting, seed_market, store};
use crate::skill_gap::navigator_user;

// ---------- posting search ----------

async fn seed_search(app: &TestApp) -> Vec<i64> {
    let mut backend = posting(1, &["Python", "AWS", "k8s"]);
    backend.title = "Senior Backend Engineer".into();
    backend.company = "Stripe".into();
    backend.location = Some("Berlin, Germany".into());
    backend.remote = Some(true);
    backend.search_keywords = Some("Backend Engineer".into());
    let mut data = posting(2, &["python", "sql"]);
    data.title = "Data Scientist".into();
    data.company = "Acme Widgets".into();
    data.location = Some("New York, NY".into());
    data.remote = Some(false);
    data.search_keywords = Some("Data Scientist".into());
    let mut odd = posting(3, &["go"]);
    odd.title = "100% Remote_ Dev".into();
    odd.company = "Tiny Co".into();
    let mut ids = Vec::new();
    for (input, days_ago) in [(backend, 1), (data, 2), (odd, 3)] {
        match store(app, input, at(days_ago)).await {
            Upserted::Inserted(id) => ids.push(id),
            other => panic!("{other:?}"),
        }
    }
    ids
}

/// The search's results without their `scraped_at` (a timestamp checked for its form).
fn cards(response: &crate::helpers::TestResponse) -> Vec<Value> {
    let body = response.assert_status(StatusCode::OK);
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| {
            let mut card = card.clone();
            let scraped = card.as_object_mut().unwrap().remove("scraped_at").unwrap();
            assert!(scraped.as_str().unwrap().ends_with('Z'), "{scraped}");
            card
        })
        .collect()
}

#[tokio::test]
async fn posting_search_filters_pages_and_counts() {
    let app = TestApp::new().await;
    let ids = seed_search(&app).await;

    let response = app.get("/api/job-postings/?q=BACKEND", None).await;
    assert_eq!(response.header("x-total-count"), Some("1"));
    assert_eq!(
        (
            response.json["count"].clone(),
            response.json["next"].clone(),
            response.json["previous"].clone()
        ),
        (json!(1), Value::Null, Value::Null)
    );
    assert_eq!(
        cards(&response),
        [json!({
            "id": ids[0], "job_id": "theirstack_1", "title": "Senior Backend Engineer",
            "company": "Stripe", "company_domain": null, "company_industry": "fintech",
            "location": "Berlin, Germany", "description": "",
            "skills": ["python", "amazon web services", "kubernetes"], "technology_slugs": ["Python", "AWS", "k8s"],
            "url": "https://jobs.example.com/1", "search_keywords": "Backend Engineer",
            "search_location": "", "date_posted": null,
            "min_annual_salary_usd": null, "max_annual_salary_usd": null, "remote": true
        })]
    );

    let ids_of = |response: &crate::helpers::TestResponse| -> Vec<i64> {
        cards(response)
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    for (query, expected) in [
        ("", vec![ids[0], ids[1], ids[2]]),
        ("?q=acme", vec![ids[1]]),
        ("?q=data%20scientist&location=new%20york", vec![ids[1]]),
        ("?location=germany", vec![ids[0]]),
        ("?remote=false", vec![ids[1]]),
        ("?remote=true", vec![ids[0]]),
        ("?skills=kubernetes", vec![ids[0]]),
        ("?skills=K8s,%20SQL", vec![ids[0], ids[1]]),
        ("?skills=cobol", vec![]),
        // LIKE's wildcards are literal.
        ("?q=100%25%20remote_", vec![ids[2]]),
        ("?q=_", vec![ids[2]]),
    ] {
        let response = app.get(&format!("/api/job-postings/{query}"), None).await;
        assert_eq!(ids_of(&response), expected, "{query}");
        assert_eq!(
            response.header("x-total-count"),
            Some(expected.len().to_string().as_str())
        );
    }

    let first = app.get("/api/job-postings/?limit=2", None).await;
    assert_eq!(ids_of(&first), [ids[0], ids[1]]);
    assert_eq!(first.json["count"], 3);
    assert_eq!(first.json["next"], "/api/job-postings/?limit=2&offset=2");
    assert_eq!(first.json["previous"], Value::Null);
    let second = app.get("/api/job-postings/?limit=2&offset=2", None).await;
    assert_eq!(ids_of(&second), [ids[2]]);
    assert_eq!(second.json["next"], Value::Null);
    assert_eq!(
        second.json["previous"],
        "/api/job-postings/?limit=2&offset=0"
    );
}

#[tokio::test]
async fn posting_search_rejects_bad_parameters() {
    let app = TestApp::new().await;
    for (query, detail) in [
        ("limit=0", "limit must be between 1 and 100"),
        ("limit=101", "limit must be between 1 and 100"),
        ("limit=ten", "limit must be a non-negative integer"),
        ("offset=-1", "offset must be a non-negative integer"),
        ("remote=maybe", "remote must be true or false"),
        (
            "skills=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u",
            "skills may name at most 20 skills",
        ),
    ] {
        app.get(&format!("/api/job-postings/?{query}"), None)
            .await
            .assert(StatusCode::BAD_REQUEST, json!({"detail": detail}));
    }
    let long = "x".repeat(201);
    app.get(&format!("/api/job-postings/?q={long}"), None)
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"detail": "q must be at most 200 characters"}),
        );
    app.get("/api/job-postings/", Some("not-a-token"))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signed_in_cards_carry_the_users_skill_and_industry_match() {
    let app = TestApp::new().await;
    let ids = seed_search(&app).await;
    let token = navigator_user(&app, &["Backend Engineer"], &["python", "Kubernetes"]).await;
    app.call(
        axum::http::Method::PUT,
        "/api/me/industry-profile/",
        Some(json!({"industry_years_json": {"fintech": 3}})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);

    let response = app.get("/api/job-postings/?limit=2", Some(&token)).await;
    let cards = cards(&response);
    assert_eq!(cards[0]["id"], ids[0]);
    assert_eq!(
        cards[0]["skill_match"],
        json!({"matched": ["python", "kubernetes"], "missing": ["amazon web services"], "match_percentage": 66.67})
    );
    assert_eq!(
        cards[0]["industry_match"],
        serde_json::to_value(careerhub::industries::matching::industry_match(
            json!({"fintech": 3}).as_object().unwrap(),
            &["fintech".to_owned()]
        ))
        .unwrap()
    );
    assert_eq!(cards[0]["industry_match"]["best_industry"], "fintech");
    assert_eq!(
        cards[1]["skill_match"],
        json!({"matched": ["python"], "missing": ["sql"], "match_percentage": 50.0})
    );
    // Acme Widgets' industry is unknown.
    assert_eq!(cards[1]["industry_match"], Value::Null);
    // Anonymous cards have neither.
    let anonymous = app.get("/api/job-postings/?limit=1", None).await;
    let card = &anonymous.json["results"][0];
    assert!(card.get("skill_match").is_none() && card.get("industry_match").is_none());
}

// ---------- admin import ----------

fn multipart_file(name: &str, content: &str) -> (String, axum::body::Body) {
    let boundary = "careerhub-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={boundary}"),
        axum::body::Body::from(body),
    )
}

async fn upload(
    app: &TestApp,
    path: &str,
    token: &str,
    content_type: &str,
    body: axum::body::Body,
) -> crate::helpers::TestResponse {
    let request = axum::http::Request::builder()
        .method("POST")
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(body)
        .unwrap();
    app.request(request).await
}

async fn staff_token(app: &TestApp, staff: bool) -> String {
    let user = app
        .seed_user_with(NewUser {
            email: format!("admin-{staff}@example.com"),
            is_staff: staff,
            ..NewUser::default()
        })
        .await;
    app.access_token(user.id)
}

#[tokio::test]
async fn staff_import_files_over_http_with_the_clis_report() {
    let app = TestApp::new().await;
    let token = staff_token(&app, true).await;
    let file = [
        r#"{"job_id": "a1", "title": "Rust Developer", "company": "Ferrous", "url": "https://jobs.example.com/a1", "technology_slugs": ["rust"]}"#,
        r#"{"job_id": "a1", "title": "Senior Rust Developer", "company": "Ferrous", "url": "https://jobs.example.com/a1", "technology_slugs": ["rust", "tokio"]}"#,
        r#"{"title": "", "company": "Nobody", "url": "https://jobs.example.com/x"}"#,
        r#"not json"#,
        r#"{"id": 77, "job_title": "Data Engineer", "company": "Stripe", "url": "https://jobs.example.com/77", "discovered_at": "2026-11-01T10:00:00Z"}"#,
    ]
    .join("\n");
    let (content_type, body) = multipart_file("jobs.jsonl", &file);
    let response = upload(
        &app,
        "/api/admin/job-postings/import/?search_keywords=Engineer",
        &token,
        &content_type,
        body,
    )
    .await;
    response.assert(
        StatusCode::OK,
        json!({
            "inserted": 2, "updated": 1,
            "rejected": [
                {"line": 3, "reason": "title is required"},
                {"line": 4, "reason": "not valid JSON: expected ident at line 1 column 2"}
            ]
        }),
    );
    let rows = job_posting::Entity::find()
        .order_by_asc(job_posting::Column::JobId)
        .all(app.state.db.reader())
        .await
        .unwrap();
    let summary: Vec<(Option<&str>, &str, &str, String)> = rows
        .iter()
        .map(|r| {
            (
                r.job_id.as_deref(),
                r.title.as_str(),
                r.search_keywords.as_str(),
                r.scraped_at.to_rfc3339(),
            )
        })
        .collect();
    assert_eq!(summary[0].0, Some("a1"));
    assert_eq!(summary[0].1, "Senior Rust Developer");
    assert_eq!(summary[0].2, "Engineer");
    assert_eq!(
        (summary[1].0, summary[1].3.as_str()),
        (Some("theirstack_77"), "2026-11-01T10:00:00+00:00")
    );
    assert_eq!(rows.len(), 2);

    // A raw CSV body, bigger than the 3 MB every other route takes.
    let description = "d".repeat(90_000);
    let mut csv = String::from("title,company,url,description\n");
    for n in 0..40 {
        csv.push_str(&format!(
            "Dev {n},Co,https://jobs.example.com/csv/{n},{description}\n"
        ));
    }
    assert!(csv.len() > 3 * 1024 * 1024);
    upload(
        &app,
        "/api/admin/job-postings/import/",
        &token,
        "text/csv",
        axum::body::Body::from(csv),
    )
    .await
    .assert(
        StatusCode::OK,
        json!({"inserted": 40, "updated": 0, "rejected": []}),
    );
}

#[tokio::test]
async fn only_staff_import_and_an_upload_without_a_file_is_a_400() {
    let app = TestApp::new().await;
    let member = staff_token(&app, false).await;
    let (content_type, body) = multipart_file("jobs.jsonl", "{}");
    upload(
        &app,
        "/api/admin/job-postings/import/",
        &member,
        &content_type,
        body,
    )
    .await
    .assert(
        StatusCode::FORBIDDEN,
        json!({"detail": "You do not have permission to perform this action."}),
    );
    app.post("/api/admin/job-postings/import/", json!({}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    let staff = staff_token(&app, true).await;
    let boundary = "b";
    let no_file = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{boundary}--\r\n"
    );
    upload(
        &app,
        "/api/admin/job-postings/import/",
        &staff,
        &format!("multipart/form-data; boundary={boundary}"),
        axum::body::Body::from(no_file),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "No file was submitted: send it in the multipart field \"file\"."}),
    );
    let (content_type, body) = multipart_file("jobs.csv", "  \n");
    upload(
        &app,
        "/api/admin/job-postings/import/",
        &staff,
        &content_type,
        body,
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "The submitted file is empty."}),
    );
    assert_eq!(
        job_posting::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn cached_trending_is_replaced_as_soon_as_postings_are_stored() {
    let app = TestApp::with_config(|config| {
        config.market_cache_ttl = std::time::Duration::from_secs(60);
    })
    .await;
    seed_market(&app).await;
    let first = app.get("/market/trending", None).await;
    assert_eq!(first.json["total_jobs_analyzed"], 4);
    store(&app, posting(50, &["go"]), at(0)).await;
    if app.on_postgres() {
        // PostgreSQL announces every stored posting (`changes`): even one stored behind the
        // process's back replaces the cached answer, within moments.
        let mut seen = false;
        for _ in 0..50 {
            let answer = app.get("/market/trending", None).await;
            if answer.json["total_jobs_analyzed"] == 5 {
                seen = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(seen, "the stored posting was not seen within a second");
    } else {
        // SQLite: a posting stored behind the cache's back (no import, no sync) is not seen yet.
        let cached = app.get("/market/trending", None).await;
        assert_eq!(cached.json, first.json);
    }
    // An import in this process replaces the cached answer.
    let staff = staff_token(&app, true).await;
    let line = r#"{"title": "Go Developer", "company": "Gophers", "url": "https://jobs.example.com/go", "technology_slugs": ["go"]}"#;
    let (content_type, body) = multipart_file("jobs.jsonl", line);
    upload(
        &app,
        "/api/admin/job-postings/import/",
        &staff,
        &content_type,
        body,
    )
    .await
    .assert_status(StatusCode::OK);
    let fresh = app.get("/market/trending", None).await;
    assert_eq!(fresh.json["total_jobs_analyzed"], 6);
    assert_ne!(fresh.json["generated_at"], first.json["generated_at"]);
}
