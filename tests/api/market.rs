//! Career Navigator's market data: the posting upsert, imports, the spec's lookups, and the
//! trending and gap-analysis contracts.

use axum::http::StatusCode;
use careerhub::accounts::service::NewUser;
use careerhub::market::import::{self, Format, ImportDefaults};
use careerhub::market::job_posting;
use careerhub::market::postings::{self, PostingInput, Upserted};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn posting(n: u32, slugs: &[&str]) -> PostingInput {
    PostingInput {
        job_id: Some(format!("theirstack_{n}")),
        title: "Software Engineer".into(),
        company: "Tech Corp".into(),
        url: format!("https://jobs.example.com/{n}"),
        technology_slugs: slugs.iter().map(|s| s.to_string()).collect(),
        search_keywords: Some("Software Engineer".into()),
        ..PostingInput::default()
    }
}

async fn store(app: &TestApp, input: PostingInput, at: DateTime<Utc>) -> Upserted {
    let valid = postings::validate(input).expect("valid posting");
    postings::upsert(app.state.db.writer(), valid, at)
        .await
        .expect("stored")
}

async fn stored(app: &TestApp, id: i64) -> job_posting::Model {
    job_posting::Entity::find_by_id(id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap()
}

fn at(days_ago: i64) -> DateTime<Utc> {
    careerhub::db::now() - Duration::days(days_ago)
}

#[tokio::test]
async fn upsert_matches_by_job_id_then_url_and_keeps_the_first_scraped_at() {
    let app = TestApp::new().await;
    let first_seen = at(10);
    let Upserted::Inserted(id) = store(&app, posting(1, &["Python"]), first_seen).await else {
        panic!("insert")
    };

    let mut changed = posting(1, &["Rust"]);
    changed.title = "Staff Engineer".into();
    changed.url = "https://jobs.example.com/1-moved".into();
    assert_eq!(store(&app, changed, at(1)).await, Upserted::Updated(id));
    let row = stored(&app, id).await;
    assert_eq!(
        (row.title.as_str(), row.url.as_str()),
        ("Staff Engineer", "https://jobs.example.com/1-moved")
    );
    assert_eq!(row.skills.0, ["rust"]);
    assert_eq!(row.scraped_at, first_seen);
    assert!(row.updated_at > first_seen);

    // Without a job_id, the url finds it.
    let mut by_url = posting(99, &["Go"]);
    by_url.job_id = None;
    by_url.url = "https://jobs.example.com/1-moved".into();
    assert_eq!(store(&app, by_url, at(0)).await, Upserted::Updated(id));
    assert_eq!(
        job_posting::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_specs_lookups_by_skills_keywords_and_recency() {
    let app = TestApp::new().await;
    let mut python = posting(1, &["python", "aws"]);
    python.location = Some("Berlin, Germany".into());
    store(&app, python, at(2)).await;
    let mut react = posting(2, &["React.js"]);
    react.title = "Frontend Developer".into();
    react.search_keywords = Some("Frontend Developer".into());
    store(&app, react, at(1)).await;
    store(&app, posting(3, &["go"]), at(40)).await;
    let db = app.state.db.reader();

    let ids = |rows: Vec<job_posting::Model>| {
        rows.into_iter()
            .map(|r| r.job_id.unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(
            postings::jobs_by_skills(db, &["PYTHON".into(), "react".into()], 10)
                .await
                .unwrap()
        ),
        ["theirstack_2", "theirstack_1"]
    );
    assert_eq!(
        ids(postings::jobs_by_skills(db, &["cobol".into()], 10)
            .await
            .unwrap()),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(postings::jobs_by_keywords(db, "FRONTEND", None, 10)
            .await
            .unwrap()),
        ["theirstack_2"]
    );
    assert_eq!(
        ids(
            postings::jobs_by_keywords(db, "engineer", Some("berlin"), 10)
                .await
                .unwrap()
        ),
        ["theirstack_1"]
    );
    assert_eq!(
        ids(postings::jobs_by_keywords(db, "100%", None, 10)
            .await
            .unwrap()),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(postings::recent_jobs(db, 7, 10, careerhub::db::now())
            .await
            .unwrap()),
        ["theirstack_2", "theirstack_1"]
    );
}

#[tokio::test]
async fn an_import_keeps_good_rows_updates_duplicates_and_reports_broken_ones() {
    let app = TestApp::new().await;
    let lines = [
        json!({"job_id": "a", "title": "Data Engineer", "company": "Stripe", "url": "https://x.example/a", "technology_slugs": ["python", "spark"]}).to_string(),
        "{ not json".to_owned(),
        json!({"title": "No URL", "company": "Acme"}).to_string(),
        String::new(),
        json!({"id": 7, "job_title": "ML Engineer", "company": "OpenAI", "url": "https://x.example/b", "technology_slugs": ["pytorch"], "remote": true}).to_string(),
        json!({"job_id": "a", "title": "Senior Data Engineer", "company": "Stripe", "url": "https://x.example/a", "technology_slugs": ["python"]}).to_string(),
        "[1, 2]".to_owned(),
    ];
    let file = lines.join("\n");
    let defaults = ImportDefaults {
        search_keywords: Some("Data Engineer".into()),
        search_location: None,
    };
    let report = import::import(
        &app.state.db,
        std::io::Cursor::new(file.into_bytes()),
        Format::JsonLines,
        &defaults,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((report.inserted, report.updated), (2, 1), "{report}");
    let lines_rejected: Vec<usize> = report.rejected.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines_rejected, [2, 3, 7], "{report}");
    assert!(
        report.rejected[0].1.starts_with("not valid JSON"),
        "{report}"
    );
    assert_eq!(report.rejected[1].1, "url is required");
    assert_eq!(report.rejected[2].1, "not a JSON object");

    let rows = job_posting::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let stripe = rows
        .iter()
        .find(|r| r.job_id.as_deref() == Some("a"))
        .unwrap();
    assert_eq!(
        (
            stripe.title.as_str(),
            stripe.search_keywords.as_str(),
            stripe.company_industry.as_deref()
        ),
        ("Senior Data Engineer", "Data Engineer", Some("fintech"))
    );
    let openai = rows
        .iter()
        .find(|r| r.job_id.as_deref() == Some("theirstack_7"))
        .unwrap();
    assert_eq!(
        (openai.remote, openai.skills.0.clone()),
        (Some(true), vec!["pytorch".to_owned()])
    );
}

#[tokio::test]
async fn a_csv_import_in_theirstack_columns() {
    let app = TestApp::new().await;
    let csv = "id,job_title,company,url,technology_slugs,min_annual_salary_usd,max_annual_salary_usd,remote,location\n\
               1,Backend Engineer,Revolut,https://x.example/1,python|postgresql,90000,120000,false,London\n\
               2,,Revolut,https://x.example/2,go,,,,London\n";
    let report = import::import(
        &app.state.db,
        std::io::Cursor::new(csv.as_bytes().to_vec()),
        Format::Csv,
        &ImportDefaults::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        (report.inserted, report.updated, report.rejected.clone()),
        (1, 0, vec![(3, "title is required".to_owned())])
    );
    let row = job_posting::Entity::find()
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            row.min_annual_salary_usd,
            row.max_annual_salary_usd,
            row.remote
        ),
        (Some(90000), Some(120000), Some(false))
    );
    assert_eq!(row.technology_slugs.0, ["python", "postgresql"]);
}

// ---------- trending ----------

async fn seed_market(app: &TestApp) {
    let rows = [
        (
            1,
            &["Python", "AWS"][..],
            "San Francisco, CA",
            Some((120_000, 180_000)),
            Some(true),
            1,
        ),
        (
            2,
            &["python", "react"][..],
            "San Francisco, CA",
            Some((100_000, 160_000)),
            Some(false),
            2,
        ),
        (
            3,
            &["python"][..],
            "New York, NY",
            Some((90_000, 150_000)),
            Some(true),
            3,
        ),
        (4, &["react", "react"][..], "", None, None, 4),
        (
            5,
            &["cobol"][..],
            "Old Town",
            Some((10, 20)),
            Some(false),
            90,
        ),
    ];
    for (n, slugs, location, salary, remote, days_ago) in rows {
        let mut input = posting(n, slugs);
        input.location = Some(location.into());
        input.min_annual_salary_usd = salary.map(|s: (i64, i64)| s.0);
        input.max_annual_salary_usd = salary.map(|s| s.1);
        input.remote = remote;
        store(app, input, at(days_ago)).await;
    }
}

#[tokio::test]
async fn trending_counts_the_window_as_the_contract_says() {
    let app = TestApp::new().await;
    seed_market(&app).await;
    let response = app
        .get(
            "/market/trending?days=30&skills_limit=2&locations_limit=5",
            None,
        )
        .await;
    assert_eq!(
        response.header("cache-control"),
        Some("no-cache, no-store, must-revalidate")
    );
    let mut body = response.assert_status(StatusCode::OK).clone();
    assert!(body["generated_at"].as_str().unwrap().ends_with('Z'));
    body.as_object_mut().unwrap().remove("generated_at");
    assert_eq!(
        body,
        json!({
            "top_skills": [{"skill": "python", "count": 3, "percentage": 75.0}, {"skill": "react", "count": 2, "percentage": 50.0}],
            "top_locations": [{"location": "San Francisco, CA", "count": 2}, {"location": "New York, NY", "count": 1}],
            "technology_trends": [{"technology": "python", "count": 3}, {"technology": "react", "count": 2}],
            "salary_trends": [
                {"location": "San Francisco, CA", "avg_min": 110000.0, "avg_max": 170000.0, "count": 2},
                {"location": "New York, NY", "avg_min": 90000.0, "avg_max": 150000.0, "count": 1}
            ],
            "remote_distribution": [{"remote": true, "count": 2}, {"remote": false, "count": 1}],
            "total_jobs_analyzed": 4,
            "window_days": 30
        })
    );
    let wide = app.get("/market/trending?days=365", None).await;
    assert_eq!(wide.json["total_jobs_analyzed"], 5);
}

#[tokio::test]
async fn trending_parameters_out_of_range_are_400s() {
    let app = TestApp::new().await;
    for (query, detail) in [
        ("days=0", "days must be between 1 and 365"),
        ("days=366", "days must be between 1 and 365"),
        ("days=ten", "days must be an integer"),
        ("skills_limit=51", "skills_limit must be between 1 and 50"),
        (
            "locations_limit=0",
            "locations_limit must be between 1 and 30",
        ),
    ] {
        app.get(&format!("/market/trending?{query}"), None)
            .await
            .assert(StatusCode::BAD_REQUEST, json!({"detail": detail}));
    }
    let empty = app.get("/market/trending", None).await;
    assert_eq!(empty.json["total_jobs_analyzed"], 0);
    assert_eq!(empty.json["top_skills"], json!([]));
}

// ---------- gap analysis ----------

async fn navigator_user(app: &TestApp, roles: &[&str], skills: &[&str]) -> String {
    let user = app
        .seed_user_with(NewUser {
            email: "student@example.com".into(),
            target_roles: roles.iter().map(|r| r.to_string()).collect(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            ..NewUser::default()
        })
        .await;
    app.access_token(user.id)
}

#[tokio::test]
async fn gap_analysis_compares_the_roles_postings_with_the_users_skills() {
    let app = TestApp::new().await;
    seed_market(&app).await;
    let token = navigator_user(
        &app,
        &["Software Engineer", "Data Analyst"],
        &["python", "go"],
    )
    .await;
    let response = app
        .get(
            "/skills/gap-analysis?role=Software%20Engineer&days=30&threshold=0.5",
            Some(&token),
        )
        .await;
    response.assert(
        StatusCode::OK,
        json!({
            "role": "Software Engineer",
            "total_postings_analyzed": 4,
            "required_skills": [
                {"skill": "python", "required_percentage": 75.0, "user_has": true},
                {"skill": "react", "required_percentage": 50.0, "user_has": false}
            ],
            "missing_skills": ["react"],
            "coverage_percentage": 50.0,
            "skill_match_count": 1,
            "total_required_skills": 2
        }),
    );
}

#[tokio::test]
async fn gap_analysis_errors_follow_the_contract() {
    let app = TestApp::new().await;
    seed_market(&app).await;
    let no_roles = app.access_token(app.seed_user("noroles@example.com").await.id);
    app.get(
        "/skills/gap-analysis?role=Software%20Engineer",
        Some(&no_roles),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "User has no target roles configured. Please update your profile first."}),
    );
    let token = navigator_user(&app, &["Software Engineer", "Data Analyst"], &[]).await;
    app.get("/skills/gap-analysis?role=software%20engineer", Some(&token)).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "Role 'software engineer' is not in your target roles. Available roles: Software Engineer, Data Analyst"}),
    );
    app.get("/skills/gap-analysis", Some(&token)).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "role is required"}),
    );
    app.get(
        "/skills/gap-analysis?role=Software%20Engineer&threshold=0.05",
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "threshold must be between 0.1 and 1"}),
    );
    app.get("/skills/gap-analysis?role=Software%20Engineer", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    app.get(
        "/skills/gap-analysis?role=Data%20Analyst&days=30",
        Some(&token),
    )
    .await
    .assert(
        StatusCode::NOT_FOUND,
        json!({"detail": {
            "message": "No job data found for 'Data Analyst'",
            "suggestions": [
                "Try increasing the time window (currently analyzing last 30 days)",
                "Check if the role name is spelled correctly",
                "Consider using a more general role title"
            ],
            "alternatives": ["Software Engineer"]
        }}),
    );
    let high = app
        .get(
            "/skills/gap-analysis?role=Software%20Engineer&days=30&threshold=0.9",
            Some(&token),
        )
        .await;
    high.assert(StatusCode::NOT_FOUND, json!({"detail": {
        "message": "No skill appears in at least 90% of the 4 postings for 'Software Engineer'",
        "suggestions": ["Try lowering the threshold (currently 0.9)", "Try increasing the time window (currently analyzing last 30 days)"],
        "alternatives": ["Data Analyst"]
    }}));
}

#[tokio::test]
async fn gap_analysis_falls_back_to_titles_when_no_posting_was_searched_for_the_role() {
    let app = TestApp::new().await;
    let mut input = posting(1, &["sql", "tableau"]);
    input.title = "Senior Data Analyst".into();
    input.search_keywords = Some("Analytics".into());
    store(&app, input, at(1)).await;
    let token = navigator_user(&app, &["Data Analyst"], &["SQL"]).await;
    let response = app
        .get("/skills/gap-analysis?role=Data%20Analyst", Some(&token))
        .await;
    let body: &Value = response.assert_status(StatusCode::OK);
    assert_eq!(body["total_postings_analyzed"], 1);
    assert_eq!(body["missing_skills"], json!(["tableau"]));
    assert_eq!(body["coverage_percentage"], 50.0);
}

// ---------- rollups ----------

/// A deterministic stream of varied postings: skewed slugs, locations, salaries, remote answers,
/// roles and times spread over 40 days at odd hours.
fn varied_postings(count: u32, seed: u64) -> Vec<(PostingInput, DateTime<Utc>)> {
    let mut state = seed;
    let mut next = move |bound: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    let slugs = [
        "python", "AWS", "react", "k8s", "Docker", "go", "rust", "sql", " aws ",
    ];
    let locations = ["Berlin", "Remote", "", "New York, NY", "Tbilisi"];
    let roles = ["Backend Engineer", "data scientist", "", "Backend engineer"];
    (0..count)
        .map(|n| {
            let chosen: Vec<&str> = (0..next(5))
                .map(|_| slugs[(next(3) * next(4)) as usize % slugs.len()])
                .collect();
            let mut input = posting(n % (count / 2 + 1), &chosen);
            input.location = Some(locations[next(5) as usize].into());
            input.search_keywords = Some(roles[next(4) as usize].into());
            if next(2) == 0 {
                let min = 50_000 + next(100) as i64 * 1_000;
                input.min_annual_salary_usd = Some(min);
                input.max_annual_salary_usd = Some(min + next(50) as i64 * 1_000);
            }
            input.remote = [Some(true), Some(false), None][next(3) as usize];
            if next(5) == 0 {
                input.job_id = None;
            }
            let scraped = at(next(40) as i64) - Duration::minutes(next(1_440) as i64);
            (input, scraped)
        })
        .collect()
}

async fn assert_rollups_agree_with_recounts(app: &TestApp) {
    use careerhub::market::analytics;
    let db = app.state.db.reader();
    let now = careerhub::db::now();
    for days in [1, 2, 7, 19, 30, 365] {
        assert_eq!(
            analytics::trending(db, days, 50, 30, now).await.unwrap(),
            analytics::trending_recount(db, days, 50, 30, now)
                .await
                .unwrap(),
            "trending over {days} days"
        );
        for role in ["Backend Engineer", "DATA SCIENTIST", "engineer", "nobody"] {
            assert_eq!(
                analytics::role_skills(db, role, days, now).await.unwrap(),
                analytics::role_skills_recount(db, role, days, now)
                    .await
                    .unwrap(),
                "{role} over {days} days"
            );
        }
    }
}

async fn rollup_rows(app: &TestApp) -> Vec<(String, String, i32, String, i64, i64, i64, i64)> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state.db.reader();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT dimension, role, day, key, postings, salary_count, salary_min_sum, salary_max_sum \
             FROM market_daily_counts WHERE postings <> 0 OR salary_count <> 0 \
             ORDER BY dimension, role, day, key",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (
                row.try_get("", "dimension").unwrap(),
                row.try_get("", "role").unwrap(),
                row.try_get("", "day").unwrap(),
                row.try_get("", "key").unwrap(),
                row.try_get("", "postings").unwrap(),
                row.try_get("", "salary_count").unwrap(),
                row.try_get("", "salary_min_sum").unwrap(),
                row.try_get("", "salary_max_sum").unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn trending_and_gaps_from_rollups_equal_a_plain_recount_through_updates_and_imports() {
    let app = TestApp::new().await;
    // One by one: every other posting updates an earlier one (same job_id or url).
    for (input, scraped) in varied_postings(300, 11) {
        store(&app, input, scraped).await;
    }
    assert_rollups_agree_with_recounts(&app).await;

    // As an import: batches with duplicates inside them and of what is stored.
    let file: String = varied_postings(900, 29)
        .into_iter()
        .map(|(mut input, scraped)| {
            input.scraped_at = Some(scraped);
            serde_json::to_string(&input).unwrap() + "\n"
        })
        .collect();
    let report = import::import(
        &app.state.db,
        std::io::Cursor::new(file.into_bytes()),
        Format::JsonLines,
        &ImportDefaults::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.rejected, []);
    assert_eq!(report.inserted + report.updated, 900);
    assert_rollups_agree_with_recounts(&app).await;

    // Counting everything again from the postings gives the very same rollups.
    let incremental = rollup_rows(&app).await;
    assert!(incremental.len() > 100, "{} rollup rows", incremental.len());
    let counted = careerhub::market::rollups::rebuild(app.state.db.writer())
        .await
        .unwrap();
    assert_eq!(
        counted,
        job_posting::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap()
    );
    assert_eq!(rollup_rows(&app).await, incremental);
}

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
    // A posting stored behind the cache's back (no import, no sync) is not seen yet.
    store(&app, posting(50, &["go"]), at(0)).await;
    let cached = app.get("/market/trending", None).await;
    assert_eq!(cached.json, first.json);
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
