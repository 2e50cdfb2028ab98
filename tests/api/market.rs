//! Career Navigator's market data: the posting upsert, imports, the spec's lookups, and the
//! trending and gap-analysis contracts.

use axum::http::StatusCode;
use careerhub::market::import::{self, Format, ImportDefaults};
use careerhub::market::job_posting;
use careerhub::market::postings::{self, PostingInput};
use careerhub::market::store::Upserted;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::helpers::TestApp;

pub fn posting(n: u32, slugs: &[&str]) -> PostingInput {
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

pub async fn store(app: &TestApp, input: PostingInput, at: DateTime<Utc>) -> Upserted {
    let valid = postings::validate(input).expect("valid posting");
    careerhub::market::store::upsert(app.state.db.writer(), valid, at)
        .await
        .expect("stored")
}

pub async fn stored(app: &TestApp, id: i64) -> job_posting::Model {
    job_posting::Entity::find_by_id(id)
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap()
}

pub fn at(days_ago: i64) -> DateTime<Utc> {
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

pub async fn seed_market(app: &TestApp) {
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

// ---------- rollups ----------

/// A deterministic stream of varied postings: skewed slugs, locations, salaries, remote answers,
/// roles and times spread over 40 days at odd hours.
/// `count` postings scraped over the last `days` days at any time of day.
fn varied_postings(count: u32, seed: u64, days: u64) -> Vec<(PostingInput, DateTime<Utc>)> {
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
            let scraped = at(next(days) as i64) - Duration::minutes(next(1_440) as i64);
            (input, scraped)
        })
        .collect()
}

/// Imports the postings, each with its `scraped_at`, as a JSON Lines file.
async fn import_jsonl(
    app: &TestApp,
    postings: Vec<(PostingInput, DateTime<Utc>)>,
) -> import::ImportReport {
    let file: String = postings
        .into_iter()
        .map(|(mut input, scraped)| {
            input.scraped_at = Some(scraped);
            serde_json::to_string(&input).unwrap() + "\n"
        })
        .collect();
    import::import(
        &app.state.db,
        std::io::Cursor::new(file.into_bytes()),
        Format::JsonLines,
        &ImportDefaults::default(),
        |_| {},
    )
    .await
    .unwrap()
}

async fn assert_rollups_agree_with_recounts(app: &TestApp) {
    let windows = [1, 2, 7, 19, 30, 365];
    assert_windows_agree_with_recounts(app, &windows, careerhub::db::now()).await;
}

/// Trending and the gap analysis over each window ending at `now`, from the rollups and
/// recounted from the postings, are the same.
async fn assert_windows_agree_with_recounts(app: &TestApp, windows: &[i64], now: DateTime<Utc>) {
    use careerhub::market::analytics;
    let db = app.state.db.reader();
    for &days in windows {
        assert_eq!(
            analytics::trending(db, days, 50, 30, now).await.unwrap(),
            analytics::trending_recount(db, days, 50, 30, now)
                .await
                .unwrap(),
            "trending over {days} days to {now}"
        );
        for role in ["Backend Engineer", "DATA SCIENTIST", "engineer", "nobody"] {
            assert_eq!(
                careerhub::market::gap::role_skills(db, role, days, now)
                    .await
                    .unwrap(),
                careerhub::market::gap::role_skills_recount(db, role, days, now)
                    .await
                    .unwrap(),
                "{role} over {days} days to {now}"
            );
        }
    }
}

type RollupRow = (i32, String, String, i32, String, i64, i64, i64, i64);

async fn rollup_rows(app: &TestApp) -> Vec<RollupRow> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.state.db.reader();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT span, dimension, role, day, key, postings, salary_count, salary_min_sum, \
             salary_max_sum FROM market_counts WHERE postings <> 0 OR salary_count <> 0 \
             ORDER BY span, dimension, role, day, key",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            (
                row.try_get("", "span").unwrap(),
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
    for (input, scraped) in varied_postings(300, 11, 40) {
        store(&app, input, scraped).await;
    }
    assert_rollups_agree_with_recounts(&app).await;

    // As an import: batches with duplicates inside them and of what is stored.
    let report = import_jsonl(&app, varied_postings(900, 29, 40)).await;
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

#[tokio::test]
async fn windows_up_to_a_year_from_any_time_of_day_equal_a_plain_recount() {
    let app = TestApp::new().await;
    // Over 400 days, so every bucket size is read, added and taken away.
    let report = import_jsonl(&app, varied_postings(1_500, 41, 400)).await;
    assert_eq!(report.rejected, []);
    let windows = [1, 8, 63, 64, 65, 100, 180, 365];
    let today = careerhub::market::rollups::day_of(careerhub::db::now());
    let midnight = careerhub::market::rollups::start_of_day(today);
    // A window's first day counted from both sides (before and after noon), from midnight
    // exactly, and ending before some postings (scraped "later" than the window's end); its
    // first quarter-day (trending) likewise, in each quarter of the day and on a boundary.
    for now in [
        careerhub::db::now(),
        midnight,
        midnight + Duration::hours(1) + Duration::minutes(10),
        midnight + Duration::hours(3) + Duration::seconds(7),
        midnight + Duration::hours(5) + Duration::minutes(50),
        midnight + Duration::hours(6),
        midnight + Duration::hours(10) + Duration::minutes(30),
        midnight + Duration::hours(14) + Duration::minutes(59),
        midnight + Duration::hours(19) + Duration::minutes(45),
        midnight + Duration::hours(23) + Duration::minutes(59),
        midnight - Duration::days(37) + Duration::hours(23),
    ] {
        assert_windows_agree_with_recounts(&app, &windows, now).await;
    }
    // The coarse buckets and the quarters are sums of the daily ones.
    let rows = rollup_rows(&app).await;
    for span in [careerhub::market::window::QUARTER, 8, 64] {
        let coarse: i64 = rows
            .iter()
            .filter(|r| r.0 == span && r.1 == "total")
            .map(|r| r.5)
            .sum();
        let daily: i64 = rows
            .iter()
            .filter(|r| r.0 == 1 && r.1 == "total")
            .map(|r| r.5)
            .sum();
        assert_eq!((span, coarse), (span, daily));
    }
    assert_eq!(
        rows.iter()
            .filter(|r| r.0 == 1 && r.1 == "total")
            .map(|r| r.5)
            .sum::<i64>(),
        job_posting::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap() as i64
    );
}

#[tokio::test]
async fn two_writers_updating_one_posting_at_once_keep_the_rollups_exact() {
    use sea_orm::TransactionTrait;
    let app = TestApp::new().await;
    let now = careerhub::db::now();
    store(&app, posting(1, &["python"]), now - Duration::days(2)).await;
    let valid = |slugs: &[&str], location: &str| {
        let mut input = posting(1, slugs);
        input.location = Some(location.into());
        postings::validate(input).expect("valid posting")
    };

    let writer = app.state.db.writer().clone();
    let first = writer.begin().await.unwrap();
    careerhub::market::store::upsert(&first, valid(&["rust"], "Berlin"), now)
        .await
        .unwrap();
    // The second writer starts while the first has not committed, and finishes after it.
    let second_valid = valid(&["go", "sql"], "Tbilisi");
    let second = tokio::spawn(async move {
        let txn = writer.begin().await.unwrap();
        let outcome = careerhub::market::store::upsert(&txn, second_valid, now)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        outcome
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    first.commit().await.unwrap();
    assert!(matches!(second.await.unwrap(), Upserted::Updated(_)));

    let stored = job_posting::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].technology_slugs.0, ["go", "sql"]);
    assert_eq!(stored[0].location, "Tbilisi");
    assert_rollups_agree_with_recounts(&app).await;
}
