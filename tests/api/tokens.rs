//! Tokens on every product's routes: simplejwt's obtain, refresh and verify routes, refresh
//! tokens that last until they expire or are logged out, the bad-token answers of the "me"
//! routes, one token across all five products, and the login rate limits.

use std::time::Duration;

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use careerhub::accounts::service::NewUser;
use careerhub::accounts::user::AccountKind;
use careerhub::accounts::{revoked_token, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};
pub fn not_provided() -> Value {
    json!({"detail": "Authentication credentials were not provided."})
}

pub fn token_not_valid() -> Value {
    json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid or expired"}]
    })
}

pub fn refresh_not_valid() -> Value {
    json!({"detail": "Token is invalid or expired", "code": "token_not_valid"})
}

pub fn token_user_id(app: &TestApp, access: &str) -> i64 {
    app.state
        .tokens
        .verify(access, careerhub::accounts::tokens::TokenType::Access)
        .unwrap()
        .user_id
}

// ---------- /api/token/ (simplejwt, JobTracker's login) ----------

#[tokio::test]
async fn token_pair_is_issued_for_username_or_email() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_with(NewUser {
            email: "jt@example.com".into(),
            username: Some("jt_user".into()),
            ..NewUser::default()
        })
        .await;

    for body in [
        json!({"username": "jt_user", "password": PASSWORD}),
        json!({"email": "JT@Example.com", "password": PASSWORD}),
        json!({"username": "jt@example.com", "password": PASSWORD}),
    ] {
        let response = app.post("/api/token/", body).await;
        let tokens = response.assert_status(StatusCode::OK);
        assert_eq!(tokens.as_object().unwrap().len(), 2, "{}", response.text);
        assert_eq!(
            token_user_id(&app, tokens["access"].as_str().unwrap()),
            user.id
        );
        assert!(tokens["refresh"].is_string());
    }
}

#[tokio::test]
async fn token_pair_requires_its_fields_and_correct_credentials() {
    let app = TestApp::new().await;
    app.seed_user("jt@example.com").await;
    app.post("/api/token/", json!({})).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"username": ["This field is required."], "password": ["This field is required."]}),
    );
    app.post("/api/token/", json!({"password": "x"}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"username": ["This field is required."]}),
        );
    app.post(
        "/api/token/",
        json!({"username": "jt@example.com", "password": ""}),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"password": ["This field may not be blank."]}),
    );
    let wrong = json!({"detail": "No active account found with the given credentials"});
    app.post(
        "/api/token/",
        json!({"username": "jt@example.com", "password": "wrong-Password1"}),
    )
    .await
    .assert(StatusCode::UNAUTHORIZED, wrong.clone());
    app.post(
        "/api/token/",
        json!({"username": "nobody@example.com", "password": PASSWORD}),
    )
    .await
    .assert(StatusCode::UNAUTHORIZED, wrong);
}

#[tokio::test]
async fn an_inactive_account_cannot_log_in_or_use_its_tokens() {
    let app = TestApp::new().await;
    let user = app.seed_user("gone@example.com").await;
    let token = app.access_token(user.id);
    careerhub::accounts::user::Entity::update_many()
        .col_expr(
            careerhub::accounts::user::Column::IsActive,
            sea_orm::sea_query::Expr::value(false),
        )
        .exec(app.state.db.writer())
        .await
        .unwrap();
    app.post(
        "/api/token/",
        json!({"username": "gone@example.com", "password": PASSWORD}),
    )
    .await
    .assert(
        StatusCode::UNAUTHORIZED,
        json!({"detail": "No active account found with the given credentials"}),
    );
    app.get("/auth/me", Some(&token))
        .await
        .assert(StatusCode::UNAUTHORIZED, token_not_valid());
}

#[tokio::test]
async fn the_same_refresh_token_refreshes_again_and_again_on_every_refresh_route() {
    let app = TestApp::new().await;
    let user = app.seed_user("jt@example.com").await;
    let pair = app.state.tokens.issue_pair(user.id).unwrap();
    // JobTracker's, Gan7Club's and Breneo's clients keep the token they got at login.
    for route in [
        "/api/token/refresh/",
        "/api/token/refresh/",
        "/api/refresh/",
        "/api/auth/token/refresh/",
    ] {
        let answer = app.post(route, json!({"refresh": pair.refresh})).await;
        let body = answer.assert_status(StatusCode::OK).clone();
        assert_eq!(
            token_user_id(&app, body["access"].as_str().unwrap()),
            user.id,
            "{route}"
        );
        // A new refresh token comes too; it works like the first.
        let newer = body["refresh"].as_str().unwrap();
        app.post(route, json!({"refresh": newer}))
            .await
            .assert_status(StatusCode::OK);
    }
    assert_eq!(
        revoked_token::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        0,
        "refreshing retires nothing"
    );
}

#[tokio::test]
async fn ten_components_refreshing_with_one_token_at_once_all_succeed() {
    // Under login budgets far below ten: a valid token is not a guess and spends none.
    let app = TestApp::with_config(|config| {
        config.auth_rate_limits.per_address_per_minute = 2;
        config.auth_rate_limits.per_account_per_minute = 2;
    })
    .await;
    let user = app.seed_user("parallel@example.com").await;
    let refresh = app.state.tokens.issue_pair(user.id).unwrap().refresh;
    let answers = futures::future::join_all(
        (0..10).map(|_| app.post("/api/token/refresh/", json!({"refresh": refresh}))),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses, vec![StatusCode::OK; 10]);
    // Forged tokens are guesses: they spend the address's budget.
    let mut guesses: Vec<StatusCode> = futures::future::join_all((0..3).map(|n| {
        app.post(
            "/api/token/refresh/",
            json!({"refresh": format!("forged.{n}.x")}),
        )
    }))
    .await
    .iter()
    .map(|a| a.status)
    .collect();
    // Concurrent: which of the three finds the budget spent is up to the scheduler.
    guesses.sort();
    assert_eq!(
        guesses,
        [
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn logout_deactivation_and_deletion_end_a_refresh_token() {
    let app = TestApp::new().await;
    let user = app.seed_user("leaving@example.com").await;
    let pair = app.state.tokens.issue_pair(user.id).unwrap();
    app.post("/api/token/refresh/", json!({"refresh": pair.refresh}))
        .await
        .assert_status(StatusCode::OK);
    app.post("/api/auth/logout/", json!({"refresh": pair.refresh}))
        .await
        .assert_status(StatusCode::OK);
    for route in [
        "/api/token/refresh/",
        "/api/refresh/",
        "/api/auth/token/refresh/",
    ] {
        app.post(route, json!({"refresh": pair.refresh}))
            .await
            .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());
    }

    let other = app.state.tokens.issue_pair(user.id).unwrap();
    user::Entity::update_many()
        .col_expr(
            user::Column::IsActive,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(user::Column::Id.eq(user.id))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    app.post("/api/token/refresh/", json!({"refresh": other.refresh}))
        .await
        .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());

    let deleted = app.seed_user("deleted@example.com").await;
    let last = app.state.tokens.issue_pair(deleted.id).unwrap();
    careerhub::lifecycle::delete_account(&app.state, deleted.id)
        .await
        .unwrap();
    app.post("/api/token/refresh/", json!({"refresh": last.refresh}))
        .await
        .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());
}

#[tokio::test]
async fn refresh_refuses_missing_invalid_and_access_tokens() {
    let app = TestApp::new().await;
    let user = app.seed_user("jt@example.com").await;
    app.post("/api/token/refresh/", json!({})).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"refresh": ["This field is required."]}),
    );
    app.post("/api/token/refresh/", json!({"refresh": "not.a.token"}))
        .await
        .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());
    let access = app.access_token(user.id);
    app.post("/api/token/refresh/", json!({"refresh": access}))
        .await
        .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());
}

#[tokio::test]
async fn verify_accepts_valid_tokens_only() {
    let app = TestApp::new().await;
    let user = app.seed_user("jt@example.com").await;
    app.post(
        "/api/token/verify/",
        json!({"token": app.access_token(user.id)}),
    )
    .await
    .assert(StatusCode::OK, json!({}));
    app.post("/api/token/verify/", json!({"token": "garbage"}))
        .await
        .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());
}

// ---------- bad tokens on the "me" routes ----------

#[tokio::test]
async fn me_routes_refuse_missing_expired_tampered_unsigned_wrong_type_and_foreign_tokens() {
    let app = TestApp::new().await;
    let user = app.seed_user("me@example.com").await;
    let pair = app.state.tokens.issue_pair(user.id).unwrap();
    let access_parts: Vec<&str> = pair.access.split('.').collect();

    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(access_parts[1]).unwrap()).unwrap();
    let mut forged = claims.clone();
    forged["user_id"] = json!(user.id + 1);
    let tampered = format!(
        "{}.{}.{}",
        access_parts[0],
        URL_SAFE_NO_PAD.encode(forged.to_string()),
        access_parts[2]
    );
    let unsigned = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        access_parts[1]
    );
    let foreign_keys = careerhub::accounts::tokens::TokenKeys::new(
        b"some-other-deployment-secret-value!!",
        Duration::from_secs(60),
        Duration::from_secs(60),
    );
    let foreign = foreign_keys.issue_access(user.id).unwrap();
    let mut expired_claims = claims.clone();
    expired_claims["exp"] = json!(chrono::Utc::now().timestamp() - 5);
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &expired_claims,
        &jsonwebtoken::EncodingKey::from_secret(app.state.config.jwt_secret.expose().as_bytes()),
    )
    .unwrap();

    for path in ["/auth/me", "/api/auth/user/"] {
        let missing = app.get(path, None).await;
        missing.assert(StatusCode::UNAUTHORIZED, not_provided());
        assert_eq!(
            missing.header("www-authenticate"),
            Some("Bearer realm=\"api\"")
        );
        for bad in [
            &tampered,
            &unsigned,
            &foreign,
            &expired,
            &pair.refresh,
            &"not-a-jwt".to_string(),
        ] {
            let response = app.get(path, Some(bad)).await;
            response.assert(StatusCode::UNAUTHORIZED, token_not_valid());
            assert_eq!(
                response.header("www-authenticate"),
                Some("Bearer realm=\"api\"")
            );
        }
        app.get(path, Some(&pair.access))
            .await
            .assert_status(StatusCode::OK);
    }
}

#[tokio::test]
async fn a_token_from_every_products_login_works_on_every_me_route() {
    let app = TestApp::new().await;
    app.seed_user_of_kind("talent@example.com", AccountKind::Talent)
        .await;
    let logins = [
        (
            "/api/token/",
            json!({"username": "talent@example.com", "password": PASSWORD}),
            "access",
        ),
        (
            "/api/login/",
            json!({"username": "TALENT@example.com", "password": PASSWORD}),
            "access",
        ),
        (
            "/auth/login",
            json!({"email": "talent@example.com", "password": PASSWORD}),
            "access_token",
        ),
        (
            "/api/auth/login/",
            json!({"email": "talent@example.com", "password": PASSWORD}),
            "access",
        ),
        (
            "/api/login/talent/",
            json!({"email": "talent@example.com", "password": PASSWORD}),
            "access",
        ),
    ];
    for (path, body, key) in logins {
        let response = app.post(path, body).await;
        let token = response.assert_status(StatusCode::OK)[key]
            .as_str()
            .unwrap()
            .to_owned();
        app.get("/auth/me", Some(&token))
            .await
            .assert_status(StatusCode::OK);
        app.get("/api/auth/user/", Some(&token))
            .await
            .assert_status(StatusCode::OK);
    }
}

// ---------- rate limits ----------

#[tokio::test]
async fn login_attempts_are_limited_per_address_and_recover() {
    let app = TestApp::with_config(|config| {
        config.auth_rate_limits.per_address_per_minute = 3;
        config.auth_rate_limits.per_account_per_minute = 100;
    })
    .await;
    app.seed_user("jt@example.com").await;
    let attempt = json!({"username": "jt@example.com", "password": "Wrong-pass-1"});
    for _ in 0..3 {
        app.post("/api/token/", attempt.clone())
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    let throttled = app.post("/api/token/", attempt.clone()).await;
    throttled.assert(
        StatusCode::TOO_MANY_REQUESTS,
        json!({"detail": "Request was throttled. Expected available in 20 seconds."}),
    );
    assert_eq!(throttled.header("retry-after"), Some("20"));
    // Another product's login route shares the budget.
    app.post(
        "/auth/login",
        json!({"email": "jt@example.com", "password": PASSWORD}),
    )
    .await
    .assert_status(StatusCode::TOO_MANY_REQUESTS);

    app.state.clock.advance(Duration::from_secs(20));
    app.post(
        "/api/token/",
        json!({"username": "jt@example.com", "password": PASSWORD}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn login_attempts_are_limited_per_account_across_addresses() {
    let app = TestApp::with_config(|config| {
        config.auth_rate_limits.per_account_per_minute = 2;
        config.trusted_proxy_hops = 1;
    })
    .await;
    app.seed_user("jt@example.com").await;
    for (i, expected) in [
        StatusCode::UNAUTHORIZED,
        StatusCode::UNAUTHORIZED,
        StatusCode::TOO_MANY_REQUESTS,
    ]
    .into_iter()
    .enumerate()
    {
        let request = axum::http::Request::post("/api/token/")
            .header("content-type", "application/json")
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .body(axum::body::Body::from(
                json!({"username": "JT@example.com", "password": "Wrong-pass-1"}).to_string(),
            ))
            .unwrap();
        app.request(request).await.assert_status(expected);
    }
}
