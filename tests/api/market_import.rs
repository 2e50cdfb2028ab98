//! Imports store every value as it was sent on both engines (PostgreSQL's imports go in by
//! `COPY`, whose text format has escapes of its own), and the ids they take never collide with
//! the ids of postings stored one at a time afterwards.

use careerhub::market::import::{self, Format, ImportDefaults};
use careerhub::market::job_posting;
use careerhub::market::postings::{self, PostingInput};
use careerhub::market::store::Upserted;
use chrono::{DateTime, Utc};
use sea_orm::{DbBackend, EntityTrait, QueryOrder};
use serde_json::json;

use crate::helpers::TestApp;
use crate::market::{posting, store, stored};

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Imports `file`, JSON Lines in careerhub's shape, with no defaults.
async fn import_lines(app: &TestApp, file: String) -> import::ImportReport {
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

/// Text with every character `COPY`'s text format escapes or could misread.
const AWKWARD: &str = "Tab\there, line\nbreak, CR\r\nend, back\\slash, \\N and \\t as text, \
                       \"quotes\", 'single', é, ✓, 漢字, emoji 🚀";

#[tokio::test]
async fn an_import_reads_back_every_value_it_was_sent_and_later_inserts_take_new_ids() {
    let app = TestApp::new().await;
    let full = json!({
        "job_id": "copy\tid\\1",
        "title": "Rust Engineer \\ Backend",
        "company": "Acme\nLabs",
        "company_domain": "acme.example",
        "location": "Berlin, DE",
        "description": AWKWARD,
        "technology_slugs": ["rust", "postgresql"],
        "skills": ["Rust", "Tab\tSkill"],
        "url": "https://jobs.example.com/copy?a=1&b=\\2",
        "search_keywords": "Rust Engineer",
        "search_location": "Berlin",
        "date_posted": "2026-11-30T08:15:30.123456Z",
        "scraped_at": "2026-11-30T09:00:00.654321Z",
        "min_annual_salary_usd": 90000,
        "max_annual_salary_usd": 120000,
        "remote": false,
        "coordinates": {"lat": 52.52, "lng": 13.405, "label": "Mitte\tBerlin"},
    });
    let bare =
        json!({"title": "Barista", "company": "Cafe", "url": "https://jobs.example.com/bare"});
    let file = format!("{full}\n{bare}\n");
    let report = import_lines(&app, file).await;
    assert_eq!(
        (report.inserted, report.updated, report.rejected.len()),
        (2, 0, 0),
        "{report}"
    );

    let rows = job_posting::Entity::find()
        .order_by_asc(job_posting::Column::Id)
        .all(app.state.db.reader())
        .await
        .unwrap();
    let [first, second] = &rows[..] else {
        panic!("two postings expected, found {rows:?}");
    };
    let updated_at = first.updated_at;
    assert_eq!(
        first,
        &job_posting::Model {
            id: first.id,
            job_id: Some("copy\tid\\1".into()),
            title: "Rust Engineer \\ Backend".into(),
            company: "Acme\nLabs".into(),
            company_domain: Some("acme.example".into()),
            company_industry: None,
            location: "Berlin, DE".into(),
            description: AWKWARD.into(),
            skills: careerhub::accounts::user::StringList(vec!["rust".into(), "tab\tskill".into()]),
            technology_slugs: careerhub::accounts::user::StringList(vec![
                "rust".into(),
                "postgresql".into()
            ]),
            url: "https://jobs.example.com/copy?a=1&b=\\2".into(),
            search_keywords: "Rust Engineer".into(),
            search_keywords_key: "rust engineer".into(),
            search_location: "Berlin".into(),
            date_posted: Some(instant("2026-11-30T08:15:30.123456Z")),
            scraped_at: instant("2026-11-30T09:00:00.654321Z"),
            updated_at,
            min_annual_salary_usd: Some(90_000),
            max_annual_salary_usd: Some(120_000),
            remote: Some(false),
            coordinates: Some(json!({"lat": 52.52, "lng": 13.405, "label": "Mitte\tBerlin"})),
        }
    );
    assert_eq!(
        second,
        &job_posting::Model {
            id: second.id,
            job_id: None,
            title: "Barista".into(),
            company: "Cafe".into(),
            company_domain: None,
            company_industry: None,
            location: String::new(),
            description: String::new(),
            skills: careerhub::accounts::user::StringList(Vec::new()),
            technology_slugs: careerhub::accounts::user::StringList(Vec::new()),
            url: "https://jobs.example.com/bare".into(),
            search_keywords: String::new(),
            search_keywords_key: String::new(),
            search_location: String::new(),
            date_posted: None,
            scraped_at: updated_at,
            updated_at,
            min_annual_salary_usd: None,
            max_annual_salary_usd: None,
            remote: None,
            coordinates: None,
        }
    );

    if app.state.db.writer().get_database_backend() == DbBackend::Postgres {
        // The same awkward values through `COPY` itself: an import would replay a chunk that
        // `COPY` refused row by row, through plain inserts, and so hide a wrong encoding.
        let mut input: PostingInput = serde_json::from_value(full.clone()).unwrap();
        input.job_id = Some("copy\tid\\2".into());
        input.url = "https://jobs.example.com/copy-2".into();
        let valid = postings::validate(input).unwrap();
        let now = careerhub::db::now();
        let outcomes = careerhub::db::in_copy_transaction(app.state.db.writer(), async |txn| {
            careerhub::market::store::upsert_many(txn, vec![valid], now).await
        })
        .await
        .unwrap();
        let [Ok(Upserted::Inserted(id))] = outcomes[..] else {
            panic!("one insert expected: {outcomes:?}");
        };
        let copied = stored(&app, id).await;
        assert_eq!(
            copied,
            job_posting::Model {
                id,
                job_id: Some("copy\tid\\2".into()),
                url: "https://jobs.example.com/copy-2".into(),
                updated_at: now,
                ..first.clone()
            }
        );
    }

    // A posting stored on its own afterwards takes an id of its own.
    let Upserted::Inserted(later) = store(&app, posting(1, &["go"]), careerhub::db::now()).await
    else {
        panic!("a new posting is inserted");
    };
    assert!(later > first.id.max(second.id), "{later} after {rows:?}");
    assert_ne!(first.id, second.id);
}

#[tokio::test]
async fn a_nul_character_refuses_its_row_by_name_and_the_rest_of_the_file_is_stored() {
    let app = TestApp::new().await;
    let lines = [
        json!({"title": "First", "company": "Acme", "url": "https://jobs.example.com/n1"}),
        json!({"title": "Second", "company": "Acme", "url": "https://jobs.example.com/n2",
               "description": "before\u{0}after"}),
        json!({"title": "Third", "company": "Acme", "url": "https://jobs.example.com/n3",
               "coordinates": {"label": "x\u{0}"}}),
        json!({"title": "Fourth", "company": "Acme", "url": "https://jobs.example.com/n4"}),
    ];
    let file: String = lines.iter().map(|line| format!("{line}\n")).collect();
    let report = import_lines(&app, file).await;
    assert_eq!((report.inserted, report.updated), (2, 0), "{report}");
    assert_eq!(
        report.rejected,
        [
            (
                2,
                "description contains a NUL character (U+0000)".to_owned()
            ),
            (
                3,
                "coordinates contains a NUL character (U+0000)".to_owned()
            ),
        ]
    );
    let titles: Vec<String> = job_posting::Entity::find()
        .order_by_asc(job_posting::Column::Id)
        .all(app.state.db.reader())
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.title)
        .collect();
    assert_eq!(titles, ["First", "Fourth"]);
}
