//! The conventions every route shares: trailing slashes, error bodies for bad input (with
//! nothing changed), limits, CORS, request ids, health, metrics, the API docs, and the real
//! server's graceful shutdown.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_route_answers_with_and_without_its_trailing_slash() {
    let app = TestApp::new().await;
    let user = app.seed_user("slash@example.com").await;
    let token = app.access_token(user.id);
    for path in [
        "/auth/me",
        "/auth/me/",
        "/api/auth/user",
        "/api/auth/user/",
        "/healthz/",
        "/readyz",
    ] {
        app.get(path, Some(&token))
            .await
            .assert_status(StatusCode::OK);
    }
    for path in ["/api/token", "/api/token/", "/api/token//"] {
        app.post(path, json!({}))
            .await
            .assert_status(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn malformed_json_is_a_400_parse_error_and_creates_nothing() {
    let app = TestApp::new().await;
    let request = Request::post("/api/auth/register/")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"email": "a@example.com", "password1": "#))
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let detail = response.json["detail"].as_str().unwrap();
    assert!(detail.starts_with("JSON parse error - "), "{detail}");
    assert_eq!(response.json.as_object().unwrap().len(), 1);
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn wrong_types_name_the_field_in_each_contracts_shape() {
    let app = TestApp::new().await;
    app.post(
        "/api/auth/register/",
        json!({"email": 5, "password1": "long-enough-pw"}),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"email": ["Not a valid string."]}),
    );
    app.post("/api/token/", json!(["username", "password"]))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
        );
    app.post("/auth/register", json!({"email": "a@example.com", "password": "SecurePass123", "full_name": "A", "skills": "python"})).await
        .assert(StatusCode::BAD_REQUEST, json!({"detail": "skills: Expected a list of items."}));
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_changes_nothing() {
    let app = TestApp::new().await;
    let huge = "x".repeat(5 * 1024 * 1024);
    let response = app
        .post(
            "/api/auth/register/",
            json!({"email": "big@example.com", "password1": "long-enough-pw", "first_name": huge}),
        )
        .await;
    response.assert(
        StatusCode::PAYLOAD_TOO_LARGE,
        json!({"detail": "Request body is too large."}),
    );
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn a_non_json_content_type_is_415() {
    let app = TestApp::new().await;
    let request = Request::post("/api/token/")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("username=a&password=b"))
        .unwrap();
    app.request(request).await.assert(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        json!({"detail": "Unsupported media type \"text/plain\" in request."}),
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_in_json() {
    let app = TestApp::new().await;
    app.get("/api/nothing-here/", None)
        .await
        .assert(StatusCode::NOT_FOUND, json!({"detail": "Not found."}));
    app.get("/api/token/", None).await.assert(
        StatusCode::METHOD_NOT_ALLOWED,
        json!({"detail": "Method \"GET\" not allowed."}),
    );
    app.call(Method::DELETE, "/auth/me", None, None)
        .await
        .assert(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"detail": "Method \"DELETE\" not allowed."}),
        );
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::new().await;
    app.get("/healthz", None)
        .await
        .assert(StatusCode::OK, json!({"status": "ok"}));
    app.get("/readyz", None)
        .await
        .assert(StatusCode::OK, json!({"status": "ready"}));
}

#[tokio::test]
async fn readiness_fails_with_a_clear_503_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.state.db.reader().close_by_ref().await.unwrap();
    app.get("/readyz", None).await.assert(
        StatusCode::SERVICE_UNAVAILABLE,
        json!({"detail": "The service is temporarily unavailable (database unreachable). Please retry shortly."}),
    );
    app.get("/healthz", None)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_show_the_pools() {
    let app = TestApp::new().await;
    app.get("/auth/me/", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.get("/auth/me", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    for invented in ["BREW", "WHEN"] {
        let method = Method::from_bytes(invented.as_bytes()).unwrap();
        app.call(method, "/auth/me/", None, None)
            .await
            .assert_status(StatusCode::METHOD_NOT_ALLOWED);
    }
    let metrics = app.get("/metrics", None).await;
    assert_eq!(metrics.status, StatusCode::OK);
    let text = &metrics.text;
    assert!(
        text.contains(
            r#"careerhub_http_requests_total{method="GET",route="/auth/me",status="401"} 2"#
        ),
        "{text}"
    );
    // Invented methods share one series instead of adding one each.
    assert!(
        text.contains(
            r#"careerhub_http_requests_total{method="OTHER",route="/auth/me",status="405"} 2"#
        ),
        "{text}"
    );
    assert!(!text.contains("BREW"), "{text}");
    assert!(
        text.contains(r#"careerhub_http_request_duration_seconds_bucket{"#),
        "{text}"
    );
    assert!(
        text.contains("careerhub_db_pool_connections{pool="),
        "{text}"
    );
    let sqlite_bytes: i64 = text
        .lines()
        .find_map(|l| l.strip_prefix("careerhub_sqlite_memory_bytes "))
        .expect("the SQLite memory gauge")
        .parse()
        .unwrap();
    let on_sqlite = app.state.db.backend() == sea_orm::DbBackend::Sqlite;
    assert_eq!(sqlite_bytes > 0, on_sqlite, "{sqlite_bytes}");
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let app = TestApp::new().await;
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/token/")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization,content-type",
            )
            .body(Body::empty())
            .unwrap()
    };
    let allowed = app.request(preflight("https://app.example.com")).await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://app.example.com")
    );
    let foreign = app.request(preflight("https://evil.example.net")).await;
    assert_eq!(foreign.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_the_clients() {
    let app = TestApp::new().await;
    let generated = app.get("/healthz", None).await;
    assert_eq!(generated.header("x-request-id").map(str::len), Some(36));
    let request = Request::get("/healthz")
        .header("x-request-id", "trace-me-123")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.request(request).await.header("x-request-id"),
        Some("trace-me-123")
    );
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_in_its_contract_form() {
    let app = TestApp::new().await;
    let doc = app.get("/api/openapi.json", None).await;
    let doc = doc.assert_status(StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for expected in [
        // accounts
        "/api/token/",
        "/api/token/refresh/",
        "/api/token/verify/",
        "/api/login/",
        "/api/refresh/",
        "/auth/register",
        "/auth/login",
        "/auth/me",
        "/api/auth/register/",
        "/api/auth/login/",
        "/api/auth/logout/",
        "/api/auth/token/refresh/",
        "/api/auth/user/",
        "/api/login/background/",
        "/api/login/talent/",
        // operations
        "/healthz",
        "/readyz",
        "/metrics",
        // Breneo
        "/api/me/profile/",
        "/api/users/{id}/profile/",
        "/api/me/industry-profile/",
        "/api/me/industry-profile/breakdown/",
        "/api/me/industry-match/",
        "/api/work-experiences/",
        "/api/work-experiences/{id}/",
        "/api/educations/",
        "/api/educations/{id}/",
        "/api/me/skills/",
        "/api/me/skills/{id}/",
        "/api/skills/search/",
        "/api/profile/",
        "/api/me/subscription/",
        "/api/verify-code/",
        "/api/resend-code/",
        "/password-reset/request",
        "/password-reset/verify",
        "/password-reset/set-new",
        // Breneo's job pages (the aggregator's routes)
        "/api",
        "/api/search/",
        "/api/v1/jobs/",
        "/api/job-details/",
        "/api/companies/{name}/",
        // Career Navigator
        "/market/trending",
        "/skills/gap-analysis",
        "/api/job-postings/",
        "/api/admin/job-postings/import/",
        // JobTracker
        "/api/jobs/create/",
        "/api/jobs/list/",
        "/api/jobs/{id}/",
        "/api/jobs/{id}/update/",
        "/api/resumes/upload/",
        "/api/resumes/list/",
        "/api/ai/analyze/{job_id}/",
        "/api/ai/result/{job_id}/",
        "/api/ai/result/{job_id}/stream/",
        // Grooya
        "/api/portfolios/",
        "/api/portfolios/{id}/",
        "/api/portfolios/{id}/duplicate/",
        "/api/public/portfolios/{slug}/",
        "/api/projects/",
        "/api/projects/{id}/",
        "/api/skills/",
        "/api/skills/{id}/",
        "/api/resumes/",
        "/api/resumes/{id}/",
        "/api/assets/",
        "/api/assets/{id}/",
        "/api/ai/generate-text/",
        "/api/ai/generate-image/",
        // Gan7Club and the account lifecycle
        "/api/register/",
        "/api/profile/background/",
        "/api/profile/talent/",
        "/api/me/export/",
        "/api/payments/plans/",
        "/api/payments/subscriptions/",
        "/api/profile/social-media/",
        "/api/promo-codes/apply/",
        // Career Navigator's original health route
        "/health",
        // Career Navigator's learning roadmap and project ideas
        "/learning/roadmap",
        "/learning/resources",
        "/learning/resources/search",
        "/projects/recommendations",
        "/projects/skill-building",
        "/projects/all",
        "/projects/search",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    assert_eq!(
        paths.len(),
        85,
        "a route was added without a test naming it: {paths:?}"
    );
    assert!(doc["paths"]["/api/auth/user/"]["patch"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn the_interactive_docs_are_served_without_any_external_asset() {
    let app = TestApp::new().await;
    let page = app.get("/api/docs/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    for script in [
        "/api/docs/swagger-ui-bundle.js",
        "/api/docs/swagger-initializer.js",
    ] {
        let asset = app.get(script, None).await;
        assert_eq!(asset.status, StatusCode::OK, "{script}");
    }
    let initializer = app.get("/api/docs/swagger-initializer.js", None).await.text;
    assert!(initializer.contains("/api/openapi.json"), "{initializer}");
    for external in ["unpkg.com", "cdn.jsdelivr", "cdnjs"] {
        assert!(
            !page.text.contains(external) && !initializer.contains(external),
            "{external}"
        );
    }
}

#[tokio::test]
async fn a_panicking_handler_becomes_a_generic_500() {
    use tower::ServiceExt;
    let router = axum::Router::new()
        .route(
            "/boom",
            axum::routing::get(|| async {
                if true {
                    panic!("secret internal detail");
                }
                "unreachable"
            }),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            careerhub::http::panic_response,
        ));
    let response = router
        .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
        json!({"detail": "A server error occurred."})
    );
}

#[tokio::test]
async fn the_real_server_serves_and_shuts_down_gracefully() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(careerhub::server::serve(listener, app.app.clone(), async {
        let _ = stopped.await;
    }));

    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /healthz/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with(r#"{"status":"ok"}"#), "{answer}");

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening after shutdown"
    );
}
