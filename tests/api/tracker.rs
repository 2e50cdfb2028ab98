//! JobTracker's job applications: manual and URL creation (pages served from loopback, which the
//! test configuration allows; private addresses stay refused), the contract's 400s with no row
//! left behind, isolation, and updates re-extracted by the worker.

use std::time::Duration;

use axum::Router;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use careerhub::tracker::application;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_server};

pub const DESCRIPTION: &str = "We are hiring a Backend Engineer to build payment APIs in Python and Django. You will design PostgreSQL schemas, run services on AWS with Docker and Kubernetes, and own features from design to production. Requirements: 3+ years of Python, Django REST Framework, PostgreSQL, Redis.";

fn json_ld_page() -> String {
    let posting = json!({
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "name": "Ignored"},
            {
                "@type": "JobPosting",
                "title": "Backend Engineer",
                "hiringOrganization": {"@type": "Organization", "name": "Fintrail"},
                "description": format!("<p>{DESCRIPTION}</p>"),
            }
        ]
    });
    format!(
        "<html><head><title>Jobs</title><script type=\"application/ld+json\">{posting}</script></head>\
         <body><a href=\"/login\">Sign in</a><h1>Backend Engineer</h1></body></html>"
    )
}

/// An application form whose meta tags quote the posting's first lines, as ATS apply pages do.
const APPLY_FORM: &str = "<html><head><title>Acme - Backend Engineer</title>\
    <meta property=\"og:description\" content=\"Autofill application. Save time by importing your resume. We are hiring a Backend Engineer to build payment APIs in Python and Django, with PostgreSQL on AWS, and to own features from the first design to production.\"></head>\
    <body><h2>Submit your application</h2><form><input name=\"name\"><input type=\"email\" name=\"email\"><input type=\"file\" name=\"resume\"><button>Submit</button></form></body></html>";

const LOGIN_WALL: &str = "<html><head><title>Sign in | JobBoard</title></head><body><h1>Sign in to view this job</h1>\
    <form action=\"/login\"><input name=\"email\"><input type=\"password\" name=\"password\"><button>Sign in</button></form></body></html>";

/// A job board on loopback: good pages, a login wall, a redirect to the metadata address, an
/// oversized page, a slow page, and a page that changes (for re-extraction).
async fn job_board() -> String {
    let html = |body: String| ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body);
    let router = Router::new()
        .route("/jobs/1", get(move || async move { html(json_ld_page()) }))
        .route(
            "/jobs/1/apply",
            get(move || async move { html(APPLY_FORM.to_owned()) }),
        )
        .route(
            "/jobs/2/apply",
            get(move || async move { html(APPLY_FORM.to_owned()) }),
        )
        .route(
            "/login-wall",
            get(move || async move { html(LOGIN_WALL.to_owned()) }),
        )
        .route(
            "/to-metadata",
            get(|| async { Redirect::temporary("http://169.254.169.254/latest/meta-data/") }),
        )
        .route(
            "/huge",
            get(move || async move {
                html(format!(
                    "<html><body>{}</body></html>",
                    "x".repeat(2 * 1024 * 1024)
                ))
            }),
        )
        .route(
            "/slow",
            get(move || async move {
                tokio::time::sleep(Duration::from_secs(5)).await;
                html(json_ld_page())
            }),
        )
        .route(
            "/missing",
            get(|| async { StatusCode::NOT_FOUND.into_response() }),
        );
    spawn_server(router).await
}

async fn application_count(app: &TestApp) -> u64 {
    application::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap()
}

/// The body every create answers, with the server's id and timestamps copied in.
fn expected(got: &Value, user_id: i64, fields: Value) -> Value {
    let mut body = json!({
        "id": got["id"],
        "created_at": got["created_at"],
        "updated_at": got["updated_at"],
        "user": user_id,
        "job_url": null,
        "extraction_error": "",
        "location": null, "remote": null, "employment_type": null, "salary": null, "date_posted": null, "seniority": null,
    });
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

#[tokio::test]
async fn manual_create_answers_201_with_the_whole_row() {
    let app = TestApp::new().await;
    let user = app.seed_user("seeker@example.com").await;
    let token = app.access_token(user.id);
    let response = app
        .call(
            Method::POST,
            "/api/jobs/create/",
            Some(json!({"company_name": " noon ", "job_title": "Software Development Engineer", "job_description": "Full JD text here"})),
            Some(&token),
        )
        .await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        body,
        expected(
            &body,
            user.id,
            json!({"company_name": "noon", "job_title": "Software Development Engineer",
                   "job_description": "Full JD text here", "description_source": "manual",
                   "extraction_status": "success"})
        )
    );
}

#[tokio::test]
async fn create_without_a_url_or_all_manual_fields_is_refused_with_no_row() {
    let app = TestApp::new().await;
    let user = app.seed_user("seeker@example.com").await;
    let token = app.access_token(user.id);
    let cases = [
        (
            json!({"company_name": "noon", "job_title": "SDE"}),
            json!({"non_field_errors": ["Provide a job URL or provide all manual fields: company_name, job_title, and job_description."]}),
        ),
        (
            json!({"job_url": "not a url"}),
            json!({"job_url": ["Enter a valid URL."]}),
        ),
        (
            json!({"job_url": format!("https://example.com/{}", "a".repeat(1000))}),
            json!({"job_url": ["Ensure this field has no more than 1000 characters."]}),
        ),
    ];
    for (body, error) in cases {
        app.call(Method::POST, "/api/jobs/create", Some(body), Some(&token))
            .await
            .assert(StatusCode::BAD_REQUEST, error);
    }
    assert_eq!(application_count(&app).await, 0);
}

#[tokio::test]
async fn url_create_extracts_json_ld_from_the_page() {
    let board = job_board().await;
    let app = TestApp::new().await;
    let user = app.seed_user("seeker@example.com").await;
    let token = app.access_token(user.id);
    let url = format!("{board}/jobs/1");
    let response = app
        .call(
            Method::POST,
            "/api/jobs/create/",
            Some(json!({"job_url": url})),
            Some(&token),
        )
        .await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        body,
        expected(
            &body,
            user.id,
            json!({"company_name": "Fintrail", "job_title": "Backend Engineer",
                   "job_description": DESCRIPTION, "job_url": url,
                   "description_source": "extracted", "extraction_status": "success"})
        )
    );
    let row = application::Entity::find_by_id(body["id"].as_i64().unwrap())
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.extraction_method.as_deref(), Some("json_ld"));
}

#[tokio::test]
async fn an_apply_form_is_followed_to_its_posting_or_refused() {
    let board = job_board().await;
    let app = TestApp::new().await;
    let user = app.seed_user("seeker@example.com").await;
    let token = app.access_token(user.id);
    let url = format!("{board}/jobs/1/apply");
    let followed = app
        .call(
            Method::POST,
            "/api/jobs/create/",
            Some(json!({"job_url": url})),
            Some(&token),
        )
        .await;
    let body = followed.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        body,
        expected(
            &body,
            user.id,
            json!({"company_name": "Fintrail", "job_title": "Backend Engineer",
                   "job_description": DESCRIPTION, "job_url": url,
                   "description_source": "extracted", "extraction_status": "success"})
        )
    );
    // No posting behind this form: the form's text is never stored as the job.
    app.call(
        Method::POST,
        "/api/jobs/create/",
        Some(json!({"job_url": format!("{board}/jobs/2/apply")})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "Extraction failed: the page is an application form, not the job posting: paste the posting's own link. Provide manual company_name, job_title, and job_description."}),
    );
    assert_eq!(application_count(&app).await, 1);
}

#[tokio::test]
async fn failed_extraction_without_manual_fields_is_a_400_and_leaves_no_row() {
    let board = job_board().await;
    let app = TestApp::with_config(|c| c.fetch.max_bytes = 1024 * 1024).await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let manual = "Provide manual company_name, job_title, and job_description.";
    for (path, reason) in [
        ("/to-metadata", "the address is not a public web address"),
        ("/huge", "the page is larger than 1048576 bytes"),
        ("/slow", "the page did not answer within 2 seconds"),
        ("/missing", "the page answered HTTP 404"),
    ] {
        app.call(
            Method::POST,
            "/api/jobs/create",
            Some(json!({"job_url": format!("{board}{path}"), "company_name": "Only a name"})),
            Some(&token),
        )
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"detail": format!("Extraction failed: {reason}. {manual}")}),
        );
    }
    let wall = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(json!({"job_url": format!("{board}/login-wall")})),
            Some(&token),
        )
        .await;
    let detail = wall.assert_status(StatusCode::BAD_REQUEST)["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        detail.starts_with("Extraction failed: ") && detail.ends_with(manual),
        "{detail}"
    );
    assert!(detail.contains("sign in"), "{detail}");
    assert_eq!(application_count(&app).await, 0);
}

#[tokio::test]
async fn urls_to_private_addresses_are_refused_even_when_loopback_is_allowed() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    for url in [
        "http://10.0.0.1/job",
        "http://169.254.169.254/",
        "http://[::ffff:192.168.0.1]/",
    ] {
        app.call(Method::POST, "/api/jobs/create", Some(json!({"job_url": url})), Some(&token))
            .await
            .assert(
                StatusCode::BAD_REQUEST,
                json!({"detail": "Extraction failed: the address is not a public web address. Provide manual company_name, job_title, and job_description."}),
            );
    }
}

#[tokio::test]
async fn failed_extraction_with_complete_manual_fields_creates_a_manual_row() {
    let board = job_board().await;
    let app = TestApp::new().await;
    let user = app.seed_user("seeker@example.com").await;
    let token = app.access_token(user.id);
    let url = format!("{board}/login-wall");
    let response = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(json!({"job_url": url, "company_name": "noon", "job_title": "SDE", "job_description": "Typed by hand"})),
            Some(&token),
        )
        .await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        body,
        expected(
            &body,
            user.id,
            json!({"company_name": "noon", "job_title": "SDE", "job_description": "Typed by hand",
                   "job_url": url, "description_source": "manual", "extraction_status": "success"})
        )
    );
}

#[tokio::test]
async fn applications_are_listed_and_read_by_their_owner_only() {
    let app = TestApp::new().await;
    let owner = app.seed_user("owner@example.com").await;
    let other = app.seed_user("other@example.com").await;
    let (owner_token, other_token) = (app.access_token(owner.id), app.access_token(other.id));
    let manual =
        |title: &str| json!({"company_name": "noon", "job_title": title, "job_description": "JD"});
    let first = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(manual("First")),
            Some(&owner_token),
        )
        .await
        .json;
    let second = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(manual("Second")),
            Some(&owner_token),
        )
        .await
        .json;
    app.get("/api/jobs/list/", Some(&owner_token))
        .await
        .assert(StatusCode::OK, json!([second, first]));
    app.get("/api/jobs/list", Some(&other_token))
        .await
        .assert(StatusCode::OK, json!([]));
    let path = format!("/api/jobs/{}/", first["id"]);
    app.get(&path, Some(&owner_token))
        .await
        .assert(StatusCode::OK, first.clone());
    let not_found = json!({"detail": "No JobApplication matches the given query."});
    app.get(&path, Some(&other_token))
        .await
        .assert(StatusCode::NOT_FOUND, not_found.clone());
    app.call(
        Method::PATCH,
        &format!("/api/jobs/{}/update/", first["id"]),
        Some(json!({"job_title": "Mine now"})),
        Some(&other_token),
    )
    .await
    .assert(StatusCode::NOT_FOUND, not_found.clone());
    app.call(Method::DELETE, &path, None, Some(&other_token))
        .await
        .assert(StatusCode::NOT_FOUND, not_found);
    app.get(&path, Some(&owner_token))
        .await
        .assert(StatusCode::OK, first);
    app.call(Method::DELETE, &path, None, Some(&owner_token))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.get("/api/jobs/list", Some(&owner_token))
        .await
        .assert(StatusCode::OK, json!([second]));
    app.get("/api/jobs/list", None).await.assert(
        StatusCode::UNAUTHORIZED,
        json!({"detail": "Authentication credentials were not provided."}),
    );
}

#[tokio::test]
async fn a_new_url_is_pending_at_once_and_extracted_by_the_worker() {
    let board = job_board().await;
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let created = app
        .call(
            Method::POST,
            "/api/jobs/create",
            Some(json!({"company_name": "noon", "job_title": "SDE", "job_description": "Old JD"})),
            Some(&token),
        )
        .await
        .json;
    let update = format!("/api/jobs/{}/update/", created["id"]);
    let url = format!("{board}/jobs/1");
    let pending = app
        .call(
            Method::PATCH,
            &update,
            Some(json!({"job_url": url})),
            Some(&token),
        )
        .await;
    let body = pending.assert_status(StatusCode::OK);
    assert_eq!(
        (
            &body["description_source"],
            &body["extraction_status"],
            &body["job_url"],
            &body["job_description"]
        ),
        (
            &json!("extracted"),
            &json!("pending"),
            &json!(url),
            &json!("Old JD")
        )
    );
    assert_eq!(app.run_pending_jobs().await, 1);
    let done = app
        .get(&format!("/api/jobs/{}", created["id"]), Some(&token))
        .await;
    let body = done.assert_status(StatusCode::OK);
    assert_eq!(
        (
            &body["extraction_status"],
            &body["job_title"],
            &body["company_name"],
            &body["job_description"]
        ),
        (
            &json!("success"),
            &json!("Backend Engineer"),
            &json!("Fintrail"),
            &json!(DESCRIPTION)
        )
    );

    // A login wall ends needs_manual with its reason, keeping the fields.
    let wall = format!("{board}/login-wall");
    app.call(
        Method::PUT,
        &update,
        Some(json!({"job_url": wall})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    app.run_pending_jobs().await;
    let body = app
        .get(&format!("/api/jobs/{}", created["id"]), Some(&token))
        .await
        .json;
    assert_eq!(body["extraction_status"], "needs_manual");
    assert!(
        body["extraction_error"]
            .as_str()
            .unwrap()
            .contains("sign in"),
        "{body}"
    );
    assert_eq!(body["job_description"], DESCRIPTION);

    // Completing the manual fields makes it manual/success.
    let manual = app
        .call(
            Method::PATCH,
            &update,
            Some(json!({"job_description": "Pasted from the page"})),
            Some(&token),
        )
        .await;
    let body = manual.assert_status(StatusCode::OK);
    assert_eq!(
        (
            &body["description_source"],
            &body["extraction_status"],
            &body["extraction_error"]
        ),
        (&json!("manual"), &json!("success"), &json!(""))
    );
    app.get(&update, Some(&token)).await.assert(
        StatusCode::METHOD_NOT_ALLOWED,
        json!({"detail": "Method \"GET\" not allowed."}),
    );
}

#[tokio::test]
async fn an_update_that_would_leave_neither_a_url_nor_the_manual_fields_changes_nothing() {
    let app = TestApp::new().await;
    let user = app.seed_user("blank@example.com").await;
    let token = app.access_token(user.id);
    let created = app
        .call(
            Method::POST,
            "/api/jobs/create/",
            Some(
                json!({"company_name": "Fintrail", "job_title": "Backend Engineer",
                "job_description": DESCRIPTION}),
            ),
            Some(&token),
        )
        .await;
    let created = created.assert_status(StatusCode::CREATED).clone();
    let update = format!("/api/jobs/{}/update/", created["id"]);
    let blank = json!({"company_name": "", "job_title": "", "job_description": "", "job_url": ""});
    for method in [Method::PATCH, Method::PUT] {
        app.call(method, &update, Some(blank.clone()), Some(&token))
            .await
            .assert(
                StatusCode::BAD_REQUEST,
                json!({"non_field_errors": [
                    "Provide a job URL or provide all manual fields: company_name, job_title, and job_description."
                ]}),
            );
    }
    let title_only = json!({"job_title": ""});
    app.call(Method::PATCH, &update, Some(title_only), Some(&token))
        .await
        .assert_status(StatusCode::BAD_REQUEST);
    let stored = app
        .get(&format!("/api/jobs/{}/", created["id"]), Some(&token))
        .await;
    stored.assert(StatusCode::OK, created);
}
