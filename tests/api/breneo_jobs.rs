//! Breneo's job pages on careerhub's postings: the aggregator routes they call (`/api/search`,
//! `/api/v1/jobs/`, `/api/job-details`, `/api/companies/<name>`, `/api/`), their filters and
//! paging, and each job's `industry_tags` in the words Breneo's industry profile uses.

use axum::http::{Method, StatusCode};
use careerhub::market::postings::PostingInput;
use careerhub::market::store::Upserted;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::market::{at, posting, store};

struct Seeded {
    stripe: i64,
    tbc: i64,
    figma: i64,
    intern: i64,
}

async fn insert(app: &TestApp, input: PostingInput, days_ago: i64) -> i64 {
    match store(app, input, at(days_ago)).await {
        Upserted::Inserted(id) => id,
        other => panic!("{other:?}"),
    }
}

async fn seed_jobs(app: &TestApp) -> Seeded {
    let mut stripe = posting(1, &["python", "aws"]);
    stripe.title = "Senior Backend Engineer".into();
    stripe.company = "Stripe".into();
    stripe.company_domain = Some("stripe.com".into());
    stripe.location = Some("Tbilisi, Georgia".into());
    stripe.remote = Some(true);
    stripe.description = Some("Build payment APIs.".into());
    stripe.min_annual_salary_usd = Some(120_000);
    stripe.max_annual_salary_usd = Some(160_000);
    stripe.search_keywords = Some("Backend Engineer".into());
    let mut tbc = posting(2, &["java"]);
    tbc.title = "Java Developer".into();
    tbc.company = "TBC Bank".into();
    tbc.company_industry = Some("Banking".into());
    tbc.location = Some("Batumi, Georgia".into());
    tbc.remote = Some(false);
    tbc.search_keywords = Some("Java Developer".into());
    let mut figma = posting(3, &["figma"]);
    figma.title = "Lead Product Designer".into();
    figma.company = "Figma".into();
    figma.company_industry = Some("Software Development".into());
    figma.location = Some("Berlin, Germany".into());
    figma.search_keywords = Some("Product Designer".into());
    let mut intern = posting(4, &["python"]);
    intern.title = "Data Intern (Internal Tools)".into();
    intern.company = "Stripe".into();
    intern.location = Some("Tbilisi, Georgia".into());
    intern.search_keywords = Some("Data Analyst".into());
    Seeded {
        stripe: insert(app, stripe, 1).await,
        tbc: insert(app, tbc, 2).await,
        figma: insert(app, figma, 3).await,
        intern: insert(app, intern, 10).await,
    }
}

fn ids(body: &Value) -> Vec<i64> {
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["id"].as_i64().unwrap())
        .collect()
}

async fn search_ids(app: &TestApp, query: &str) -> Vec<i64> {
    let response = app.get(&format!("/api/search?{query}"), None).await;
    ids(response.assert_status(StatusCode::OK))
}

#[tokio::test]
async fn search_answers_jobs_in_the_shape_the_job_pages_read() {
    let app = TestApp::new().await;
    let jobs = seed_jobs(&app).await;
    let response = app
        .get(
            "/api/search?query=backend&page=1&num_pages=20&sort=newest",
            None,
        )
        .await;
    let body = response.assert_status(StatusCode::OK).clone();
    let job = &body["results"][0];
    let (posted, fetched) = (job["posted_at"].clone(), job["fetched_at"].clone());
    assert!(posted.as_str().unwrap().ends_with('Z'));
    assert_eq!(
        body,
        json!({
            "results": [{
                "id": jobs.stripe, "title": "Senior Backend Engineer",
                "company": {"name": "Stripe", "logo": null, "website": "https://stripe.com", "industry": "fintech"},
                "company_name": "Stripe", "location": "Tbilisi, Georgia",
                "description": "Build payment APIs.", "description_short": "Build payment APIs.",
                "apply_url": "https://jobs.example.com/1", "supports_in_app_apply": false,
                "posted_at": posted, "fetched_at": fetched, "is_active": true,
                "industry_tags": "fintech", "industry": "fintech",
                "work_mode": "remote", "is_remote": true, "salary": "$120,000–$160,000 a year",
                "skills_required": ["Python", "Amazon Web Services"], "role_category": "Backend Engineer"
            }],
            "pagination": {"page": 1, "total_pages": 1, "total_results": 1, "has_next": false, "has_previous": false}
        })
    );
    // No token needed, none read: the same answer signed in.
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    app.get(
        "/api/search?query=backend&page=1&num_pages=20&sort=newest",
        Some(&token),
    )
    .await
    .assert(StatusCode::OK, body);
}

#[tokio::test]
async fn each_filter_the_pages_send_narrows_the_results() {
    let app = TestApp::new().await;
    let j = seed_jobs(&app).await;
    let all = vec![j.stripe, j.tbc, j.figma, j.intern];
    assert_eq!(search_ids(&app, "").await, all);
    // Interest chips: any of the titles.
    assert_eq!(
        search_ids(&app, "title=java,designer").await,
        vec![j.tbc, j.figma]
    );
    // title_filter wins over query, as the page sends one or the other.
    assert_eq!(
        search_ids(&app, "title_filter=Java%20Developer").await,
        vec![j.tbc]
    );
    // Georgian cities (with the country beside them), or a country.
    assert_eq!(
        search_ids(&app, "city=Tbilisi,Batumi&location_country=Georgia").await,
        vec![j.stripe, j.tbc, j.intern]
    );
    assert_eq!(
        search_ids(&app, "location_country=Germany").await,
        vec![j.figma]
    );
    assert_eq!(search_ids(&app, "work_mode=remote").await, vec![j.stripe]);
    assert_eq!(
        search_ids(&app, "work_mode=onsite,hybrid").await,
        vec![j.tbc]
    );
    // Levels are read from the title, whole words only ("Internal" is not an intern's).
    assert_eq!(search_ids(&app, "seniority=senior").await, vec![j.stripe]);
    assert_eq!(search_ids(&app, "seniority=intern").await, vec![j.intern]);
    assert_eq!(
        search_ids(&app, "seniority=lead,senior").await,
        vec![j.stripe, j.figma]
    );
    assert_eq!(search_ids(&app, "seniority=mid").await, vec![j.tbc]);
    assert_eq!(
        search_ids(&app, "company=figma,TBC").await,
        vec![j.tbc, j.figma]
    );
    assert_eq!(
        search_ids(&app, "role_category=backend%20engineer").await,
        vec![j.stripe]
    );
    assert_eq!(
        search_ids(&app, "date_posted=week").await,
        vec![j.stripe, j.tbc, j.figma]
    );
    assert_eq!(search_ids(&app, "recent=true").await, Vec::<i64>::new());
    assert_eq!(
        search_ids(&app, "sort=oldest").await,
        vec![j.intern, j.figma, j.tbc, j.stripe]
    );
    assert_eq!(
        search_ids(&app, "company=stripe&seniority=intern&city=Tbilisi").await,
        vec![j.intern]
    );
}

#[tokio::test]
async fn pages_count_from_one_and_say_what_is_left() {
    let app = TestApp::new().await;
    let j = seed_jobs(&app).await;
    let second = app.get("/api/search?page=2&num_pages=3", None).await;
    let second = second.assert_status(StatusCode::OK);
    assert_eq!(ids(second), vec![j.intern]);
    assert_eq!(
        second["pagination"],
        json!({"page": 2, "total_pages": 2, "total_results": 4, "has_next": false, "has_previous": true})
    );
    let first = app.get("/api/v1/jobs/?search=stripe&limit=1", None).await;
    let first = first.assert_status(StatusCode::OK);
    assert_eq!(ids(first), vec![j.stripe]);
    assert_eq!(
        first["pagination"],
        json!({"page": 1, "total_pages": 2, "total_results": 2, "has_next": true, "has_previous": false})
    );
}

#[tokio::test]
async fn bad_filters_are_400s_that_say_what_is_allowed() {
    let app = TestApp::new().await;
    seed_jobs(&app).await;
    for (query, detail) in [
        (
            "seniority=wizard",
            "seniority must be intern, junior, mid, senior or lead, not \"wizard\"",
        ),
        (
            "work_mode=moon",
            "work_mode must be remote, onsite or hybrid, not \"moon\"",
        ),
        (
            "date_posted=year",
            "date_posted must be day, week or month, not \"year\"",
        ),
        (
            "sort=random",
            "sort must be newest, oldest or recently_fetched, not \"random\"",
        ),
        (
            "recent=maybe",
            "recent must be true or false, not \"maybe\"",
        ),
    ] {
        app.get(&format!("/api/search?{query}"), None)
            .await
            .assert(StatusCode::BAD_REQUEST, json!({"detail": detail}));
    }
    let too_many = (0..21).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
    app.get(&format!("/api/search?title={too_many}"), None)
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"detail": "title may name at most 20 values of 200 characters"}),
        );
    let page_zero = app.get("/api/search?page=0", None).await;
    assert_eq!(
        page_zero.status,
        StatusCode::BAD_REQUEST,
        "{}",
        page_zero.text
    );
    let huge = app.get("/api/search?num_pages=1000", None).await;
    assert_eq!(huge.status, StatusCode::BAD_REQUEST, "{}", huge.text);
}

#[tokio::test]
async fn job_detail_company_and_the_plain_listing() {
    let app = TestApp::new().await;
    let j = seed_jobs(&app).await;
    let detail = app
        .get(&format!("/api/job-details?job_id={}", j.tbc), None)
        .await;
    let detail = detail.assert_status(StatusCode::OK);
    assert_eq!(
        (
            &detail["id"],
            &detail["title"],
            &detail["industry_tags"],
            &detail["work_mode"]
        ),
        (
            &json!(j.tbc),
            &json!("Java Developer"),
            &json!("banking"),
            &json!("on-site")
        )
    );
    let not_found =
        json!({"message": "Job not found.", "detail": "No Job matches the given query."});
    for query in ["job_id=999999", "job_id=abc", ""] {
        app.get(&format!("/api/job-details?{query}"), None)
            .await
            .assert(StatusCode::NOT_FOUND, not_found.clone());
    }
    // A software company is "technology" in Breneo's words.
    let figma = app
        .get(&format!("/api/job-details/?job_id={}", j.figma), None)
        .await;
    assert_eq!(figma.json["industry_tags"], "technology");

    app.get("/api/companies/Stripe", None).await.assert(
        StatusCode::OK,
        json!({"name": "Stripe", "company_name": "Stripe", "logo": null, "website": "https://stripe.com",
               "industry": "fintech", "industry_tags": "fintech", "jobs": 2}),
    );
    app.get("/api/companies/Nobody%20Inc", None).await.assert(
        StatusCode::NOT_FOUND,
        json!({"detail": "No Company matches the given query."}),
    );

    let listing = app.get("/api/", None).await;
    let listed: Vec<i64> = listing
        .assert_status(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|job| job["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, vec![j.stripe, j.tbc, j.figma, j.intern]);
}

/// The detail page's Industry Experience Match: the job's tags against the keys of the
/// profile the page reads, exactly. A profile Breneo's page wrote and one careerhub computed
/// from work history both meet the feed's tags.
#[tokio::test]
async fn a_jobs_industry_tags_meet_the_profile_keys_from_either_source() {
    let app = TestApp::new().await;
    let j = seed_jobs(&app).await;
    let tags = |id: i64| {
        let app = &app;
        async move {
            app.get(&format!("/api/job-details?job_id={id}"), None)
                .await
                .json["industry_tags"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    // Written by Breneo's page, in its own vocabulary.
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    app.call(
        Method::PUT,
        "/api/me/industry-profile/",
        Some(json!({"industry_years_json": {"fintech": 3, "technology": 1.5}})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let profile = app
        .get("/api/me/industry-profile/", Some(&token))
        .await
        .json;
    for id in [j.stripe, j.figma] {
        let tag = tags(id).await;
        assert!(
            profile["industry_years_json"].get(&tag).is_some(),
            "{tag} not in {profile}"
        );
    }

    // Computed by careerhub from work history at a bank.
    let other = app.access_token(app.seed_user("giorgi@breneo.ge").await.id);
    let job = json!({"job_title": "Teller", "company": "TBC Bank", "start_date": "2019-01", "end_date": "2021-12"});
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(job),
        Some(&other),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let computed = app
        .get("/api/me/industry-profile/", Some(&other))
        .await
        .json;
    let tag = tags(j.tbc).await;
    assert!(
        computed["industry_years_json"].get(&tag).is_some(),
        "{tag} not in {computed}"
    );
}
