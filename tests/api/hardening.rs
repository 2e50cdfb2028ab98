//! Hardening II: hostile files that crash or hang a parser end only a parser child (the server
//! keeps answering, the upload keeps its documented answer), and the caps that stop one free
//! account from slowing everyone or running up the provider bill.

use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;
use careerhub::resumes::resume;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::helpers::{TestApp, spawn_server};

/// A minimal PDF whose catalog carries `bomb` as the value of an extra key, with a correct
/// cross-reference table, so the parser reads it the normal way.
fn pdf_with_catalog_value(bomb: &[u8]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    offsets.push(pdf.len());
    pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Bomb ");
    pdf.extend_from_slice(bomb);
    pdf.extend_from_slice(b" >>\nendobj\n");
    offsets.push(pdf.len());
    pdf.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 3\n0000000000 65535 f \n");
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    pdf
}

fn nested(open: &str, close: &str, depth: usize) -> Vec<u8> {
    let mut bytes = open.repeat(depth).into_bytes();
    bytes.extend_from_slice(close.repeat(depth).as_bytes());
    bytes
}

/// `name value` pairs of `careerhub_parser_children_lost_total` and friends, read from
/// `/metrics`.
async fn metric(app: &TestApp, series: &str) -> Option<f64> {
    let metrics = app.get("/metrics", None).await;
    metrics.text.lines().find_map(|line| {
        line.strip_prefix(series)
            .and_then(|rest| rest.trim().parse().ok())
    })
}

#[tokio::test]
async fn resumes_of_nested_arrays_and_dictionaries_are_kept_without_text_and_the_server_stays_up() {
    let app = TestApp::new().await;
    let user = app.seed_user("bomber@example.com").await;
    let token = app.access_token(user.id);
    for (name, bomb) in [
        ("arrays.pdf", nested("[", "]", 5_000)),
        ("dictionaries.pdf", nested("<< /A ", " >>", 100_000)),
    ] {
        let pdf = pdf_with_catalog_value(&bomb);
        assert!(pdf.len() < 1_200_000, "{name} is {} bytes", pdf.len());
        let response = app
            .multipart(
                "/api/resumes/upload/",
                &[("file", Some(name), &pdf)],
                Some(&token),
            )
            .await;
        let body = response.assert_status(StatusCode::CREATED);
        assert_eq!(body["parsed_text"], "", "{name}");
        app.get("/readyz", None).await.assert_status(StatusCode::OK);
    }
    assert_eq!(
        resume::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        2,
        "both files were kept"
    );
    // The dictionaries are deeper than any parser stack: that child died and was counted.
    let lost = metric(
        &app,
        "careerhub_parser_children_lost_total{reason=\"crashed\"}",
    )
    .await;
    assert!(lost.is_some_and(|n| n >= 1.0), "{lost:?}");
    // A real resume still reads afterwards, in a fresh child.
    let body = crate::resumes::upload(&app, &token, "cv.pdf", crate::resumes::CHROMIUM_PDF).await;
    assert!(
        body["parsed_text"]
            .as_str()
            .unwrap()
            .contains("Priya Sharma")
    );
}

#[tokio::test]
async fn a_job_page_nested_two_hundred_thousand_deep_is_refused_and_the_server_keeps_answering() {
    let deep = format!(
        "<html><head><title>Engineer</title></head><body>{}{}</body></html>",
        "<div>".repeat(200_000),
        "</div>".repeat(10)
    );
    let page = move || {
        let deep = deep.clone();
        async move { ([(header::CONTENT_TYPE, "text/html")], deep) }
    };
    let base = spawn_server(Router::new().route("/deep", get(page))).await;
    let app = TestApp::with_config(|config| {
        config.fetch.max_bytes = 2 * 1024 * 1024;
        config.sandbox.max_task_time = Some(Duration::from_secs(3));
    })
    .await;
    let user = app.seed_user("deep@example.com").await;
    let token = app.access_token(user.id);
    let create = {
        let app = &app;
        let token = token.clone();
        let url = format!("{base}/deep");
        async move {
            app.call(
                axum::http::Method::POST,
                "/api/jobs/create/",
                Some(json!({"job_url": url})),
                Some(&token),
            )
            .await
        }
    };
    let ready = async {
        // While the child chews on the page, the server answers at once.
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.get("/readyz", None).await.status
    };
    let (created, ready) = tokio::join!(create, ready);
    assert_eq!(ready, StatusCode::OK);
    let outcome = created.status;
    // A parser that finishes inside the limit gives a verdict of its own; one that does not is
    // killed, and the page counts as unreadable. Either way nothing is stored.
    assert_eq!(outcome, StatusCode::BAD_REQUEST, "{}", created.text);
    let detail = created.json["detail"].as_str().unwrap();
    assert!(detail.starts_with("Extraction failed: "), "{detail}");
    assert!(detail.ends_with("Provide manual company_name, job_title, and job_description."));
    app.get("/readyz", None).await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_parser_that_outlasts_its_limit_is_killed_counted_and_replaced() {
    // Pages of this shape cost the HTML parser time out of all proportion to their size.
    let app = TestApp::with_config(|config| {
        config.sandbox.max_task_time = Some(Duration::from_millis(1));
    })
    .await;
    let html = format!("<html><body>{}</body></html>", "<p><b>job ".repeat(20_000));
    let task = careerhub::sandbox::protocol::Task::JobPage {
        url: "https://jobs.example.com/1".into(),
    };
    let answer = app
        .state
        .sandbox
        .run(task, html.as_bytes(), Duration::from_secs(10))
        .await;
    assert!(
        matches!(answer, Err(careerhub::sandbox::SandboxError::TimedOut(_))),
        "{answer:?}"
    );
    let lost = metric(
        &app,
        "careerhub_parser_children_lost_total{reason=\"timed_out\"}",
    )
    .await;
    assert_eq!(lost, Some(1.0));
}

/// A 40-megapixel PNG of one colour: about 40 KB on disk, 160 MB decoded.
fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::new(width, height);
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn a_forty_megapixel_png_is_decoded_in_a_child_under_its_memory_limit() {
    let app = TestApp::new().await;
    let user = app.seed_user("painter@example.com").await;
    let token = app.access_token(user.id);
    let bomb = png_bomb(8_000, 5_000);
    assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
    let response = app
        .multipart(
            "/api/assets/",
            &[("file", Some("big.png"), &bomb)],
            Some(&token),
        )
        .await;
    let body = response.assert_status(StatusCode::CREATED);
    assert_eq!(
        (body["width"].clone(), body["height"].clone()),
        (json!(4096), json!(2560))
    );
    let peak = metric(&app, "careerhub_parser_child_peak_rss_bytes")
        .await
        .unwrap();
    let limit = app.state.config.sandbox.memory_bytes as f64;
    assert!(peak > 0.0 && peak < limit, "peak {peak} against {limit}");
}

#[tokio::test]
async fn every_spelling_of_a_breneo_name_spends_the_one_account_budget() {
    let app = TestApp::with_config(|config| {
        config.auth_rate_limits.per_account_per_minute = 3;
    })
    .await;
    app.seed_user_with(careerhub::accounts::service::NewUser {
        email: "ray@example.com".into(),
        first_name: "Ray".into(),
        last_name: "Limit".into(),
        ..Default::default()
    })
    .await;
    for spelling in ["Ray  Limit", "ray\tlimit", "RAY\u{a0}LIMIT"] {
        app.post(
            "/api/login/",
            json!({"username": spelling, "password": "Wrong-guess-1"}),
        )
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    }
    // The budget is the account's, so neither a new spelling nor the right password gets in.
    for spelling in ["Ray\nLimit", "ray@example.com"] {
        app.post(
            "/api/login/",
            json!({"username": spelling, "password": crate::helpers::PASSWORD}),
        )
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn the_admin_sign_in_refuses_a_planted_csrf_pair() {
    let app = TestApp::new().await;
    let request = axum::http::Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, "careerhub_admin_login=short")
        .body(axum::body::Body::from(
            "csrf_token=short&email=a%40b.co&password=x&next=%2Fadmin",
        ))
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "{}", response.text);
}

#[tokio::test]
async fn a_script_in_an_email_address_is_not_an_email_address() {
    let app = TestApp::new().await;
    app.post(
        "/api/register/",
        json!({"email": "x<svg/onload=alert(1)>@example.com", "password": "Str0ng-pass-9",
            "account_type": "talent"}),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"email": ["Enter a valid email address."],
               "errors": {"email": ["Enter a valid email address."]},
               "message": "email: Enter a valid email address.", "success": false}),
    );
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn every_answer_forbids_sniffing_and_framing() {
    let app = TestApp::new().await;
    for path in [
        "/api/docs/",
        "/api/openapi.json",
        "/healthz",
        "/api/no-such-route/",
        "/api/auth/user/",
    ] {
        let response = app.get(path, None).await;
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
        let policy = response.header("content-security-policy").unwrap_or("");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
    }
}

#[tokio::test]
async fn a_user_waits_for_their_pending_analyses_before_starting_more() {
    let app = TestApp::with_config(|config| {
        config.user_limits.pending_analyses = 2;
    })
    .await;
    let user = app.seed_user("hurry@example.com").await;
    let token = app.access_token(user.id);
    let resume = crate::resumes::upload(&app, &token, "cv.pdf", crate::resumes::CHROMIUM_PDF).await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let job = app
            .call(
                axum::http::Method::POST,
                "/api/jobs/create/",
                Some(
                    json!({"company_name": format!("Co {n}"), "job_title": "Engineer",
                    "job_description": crate::tracker::DESCRIPTION}),
                ),
                Some(&token),
            )
            .await;
        let id = job.assert_status(StatusCode::CREATED)["id"]
            .as_i64()
            .unwrap();
        let started = app
            .call(
                axum::http::Method::POST,
                &format!("/api/ai/analyze/{id}/"),
                Some(json!({"resume_id": resume["id"]})),
                Some(&token),
            )
            .await;
        statuses.push((started.status, started.json.clone()));
    }
    assert_eq!(statuses[0].0, StatusCode::ACCEPTED);
    assert_eq!(statuses[1].0, StatusCode::ACCEPTED);
    assert_eq!(
        statuses[2],
        (
            StatusCode::TOO_MANY_REQUESTS,
            json!({"detail": "You have 2 analyses waiting. Start another when one has finished."})
        )
    );
    // Once they have run, there is room again.
    app.run_pending_jobs().await;
    assert_eq!(
        careerhub::queue::pending_of(app.state.db.reader(), user.id, "tracker.analyze")
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn job_applications_stop_at_the_per_user_limit() {
    let app = TestApp::with_config(|config| {
        config.user_limits.applications = 2;
    })
    .await;
    let user = app.seed_user("collector@example.com").await;
    let token = app.access_token(user.id);
    let create = || {
        app.call(
            axum::http::Method::POST,
            "/api/jobs/create/",
            Some(json!({"company_name": "Co", "job_title": "Engineer",
                "job_description": crate::tracker::DESCRIPTION})),
            Some(&token),
        )
    };
    create().await.assert_status(StatusCode::CREATED);
    create().await.assert_status(StatusCode::CREATED);
    create().await.assert(
        StatusCode::BAD_REQUEST,
        json!({"non_field_errors": [
            "You have reached the limit of 2 job applications. Delete some to add more."
        ]}),
    );
    let stored = careerhub::tracker::application::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(stored, 2);
}
