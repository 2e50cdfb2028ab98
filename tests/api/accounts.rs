//! Every product's login, register, refresh and "me" route: success bodies, each documented
//! error body, token validity rules, the Django hash upgrade and the rate limit.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use careerhub::accounts::service::NewUser;
use careerhub::accounts::user::AccountKind;
use careerhub::accounts::{revoked_token, user_skill};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

fn not_provided() -> Value {
    json!({"detail": "Authentication credentials were not provided."})
}

fn token_not_valid() -> Value {
    json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid or expired"}]
    })
}

fn refresh_not_valid() -> Value {
    json!({"detail": "Token is invalid or expired", "code": "token_not_valid"})
}

fn token_user_id(app: &TestApp, access: &str) -> i64 {
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
async fn a_refresh_token_rotates_and_works_only_once() {
    let app = TestApp::new().await;
    let user = app.seed_user("jt@example.com").await;
    let pair = app.state.tokens.issue_pair(user.id).unwrap();

    let first = app
        .post("/api/token/refresh/", json!({"refresh": pair.refresh}))
        .await;
    let rotated = first.assert_status(StatusCode::OK).clone();
    assert_ne!(rotated["refresh"], json!(pair.refresh));
    assert_eq!(
        token_user_id(&app, rotated["access"].as_str().unwrap()),
        user.id
    );

    app.post("/api/token/refresh/", json!({"refresh": pair.refresh}))
        .await
        .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());
    let revoked = revoked_token::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(revoked, 1);

    // The rotated token still works, through Breneo's and Grooya's refresh routes alike.
    let again = app
        .post("/api/refresh/", json!({"refresh": rotated["refresh"]}))
        .await;
    let again = again.assert_status(StatusCode::OK).clone();
    app.post(
        "/api/auth/token/refresh/",
        json!({"refresh": again["refresh"]}),
    )
    .await
    .assert_status(StatusCode::OK);
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

// ---------- Breneo ----------

#[tokio::test]
async fn breneo_login_accepts_email_in_any_case_or_the_full_name() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_with(NewUser {
            email: "nino@breneo.ge".into(),
            first_name: "Nino".into(),
            last_name: "Beridze".into(),
            ..NewUser::default()
        })
        .await;
    for username in ["NINO@Breneo.GE", "nino beridze", "  Nino   Beridze "] {
        let response = app
            .post(
                "/api/login/",
                json!({"username": username, "password": PASSWORD}),
            )
            .await;
        let body = response.assert_status(StatusCode::OK).clone();
        assert_eq!(
            token_user_id(&app, body["access"].as_str().unwrap()),
            user.id
        );
        let mut rest = body.as_object().unwrap().clone();
        rest.remove("access");
        assert!(rest.remove("refresh").is_some());
        assert_eq!(
            Value::Object(rest),
            json!({
                "first_name": "Nino", "last_name": "Beridze", "email": "nino@breneo.ge",
                "phone_number": null, "profile_image": null, "user_type": "user"
            })
        );
    }
    app.post(
        "/api/login/",
        json!({"username": "Nino Other", "password": PASSWORD}),
    )
    .await
    .assert(
        StatusCode::UNAUTHORIZED,
        json!({"detail": "Invalid email/full name or password."}),
    );
    app.post(
        "/api/login/",
        json!({"username": "nino@breneo.ge", "password": "Wrong-pass-1"}),
    )
    .await
    .assert(
        StatusCode::UNAUTHORIZED,
        json!({"detail": "Invalid email/full name or password."}),
    );
    app.post("/api/login/", json!({"password": PASSWORD}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"username": ["This field is required."]}),
        );
}

// ---------- Career Navigator ----------

fn navigator_registration() -> Value {
    json!({
        "email": "Student@Example.com",
        "password": "SecurePass123",
        "full_name": "John Doe",
        "skills": ["Python", "JS", "python", " React "],
        "target_roles": ["Software Engineer", "Full Stack Developer"],
        "experience_level": "2nd Year",
        "location": "San Francisco, CA"
    })
}

#[tokio::test]
async fn navigator_register_answers_201_with_the_normalized_user() {
    let app = TestApp::new().await;
    let response = app.post("/auth/register", navigator_registration()).await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    let id: i64 = body["id"]
        .as_str()
        .expect("id is a string")
        .parse()
        .unwrap();
    let stored = app.user(id).await;
    assert_eq!(
        body,
        json!({
            "id": id.to_string(),
            "email": "student@example.com",
            "full_name": "John Doe",
            "skills": ["python", "javascript", "react"],
            "target_roles": ["Software Engineer", "Full Stack Developer"],
            "experience_level": "2nd Year",
            "location": "San Francisco, CA",
            "created_at": stored.date_joined,
            "updated_at": stored.updated_at,
        })
    );
    assert_eq!(
        (stored.first_name.as_str(), stored.last_name.as_str()),
        ("John", "Doe")
    );
    assert!(stored.password.starts_with("$argon2id$"));
    let skills = user_skill::Entity::find()
        .filter(user_skill::Column::UserId.eq(id))
        .count(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(skills, 3);
}

#[tokio::test]
async fn navigator_register_rejects_each_documented_case_and_stores_nothing() {
    let app = TestApp::new().await;
    let cases = [
        (
            "password",
            json!("Short1"),
            "Password must be at least 8 characters long",
        ),
        (
            "password",
            json!("alllowercase1"),
            "Password must contain at least one uppercase letter",
        ),
        (
            "password",
            json!("ALLUPPERCASE1"),
            "Password must contain at least one lowercase letter",
        ),
        (
            "password",
            json!("NoDigitsAtAll"),
            "Password must contain at least one digit",
        ),
        (
            "experience_level",
            json!("5th Year"),
            "Experience level must be one of: 12th Pass Out, 1st Year, 2nd Year, 3rd Year, 4th Year",
        ),
    ];
    for (field, value, message) in cases {
        let mut body = navigator_registration();
        body[field] = value;
        app.post("/auth/register", body)
            .await
            .assert(StatusCode::BAD_REQUEST, json!({"detail": message}));
    }
    let mut missing = navigator_registration();
    missing.as_object_mut().unwrap().remove("full_name");
    app.post("/auth/register", missing).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "full_name: Field required"}),
    );
    assert_eq!(app.user_count().await, 0);

    app.post("/auth/register", navigator_registration())
        .await
        .assert_status(StatusCode::CREATED);
    let mut same_email_other_case = navigator_registration();
    same_email_other_case["email"] = json!("STUDENT@example.COM");
    app.post("/auth/register", same_email_other_case)
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"detail": "Email already registered"}),
        );
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn navigator_login_and_me_round_trip() {
    let app = TestApp::new().await;
    app.post("/auth/register", navigator_registration())
        .await
        .assert_status(StatusCode::CREATED);
    app.post(
        "/auth/login",
        json!({"email": "student@example.com", "password": "wrong"}),
    )
    .await
    .assert(
        StatusCode::UNAUTHORIZED,
        json!({"detail": "Incorrect email or password"}),
    );

    let login = app
        .post(
            "/auth/login",
            json!({"email": "STUDENT@example.com", "password": "SecurePass123"}),
        )
        .await;
    let login = login.assert_status(StatusCode::OK).clone();
    assert_eq!(login["token_type"], "bearer");
    let token = login["access_token"].as_str().unwrap();
    let me = app.get("/auth/me", Some(token)).await;
    assert_eq!(me.assert_status(StatusCode::OK), &login["user"]);
}

#[tokio::test]
async fn navigator_update_me_is_partial_and_keeps_the_email() {
    let app = TestApp::new().await;
    let created = app.post("/auth/register", navigator_registration()).await;
    let created = created.assert_status(StatusCode::CREATED).clone();
    let id: i64 = created["id"].as_str().unwrap().parse().unwrap();
    let token = app.access_token(id);

    let update = json!({"full_name": "John Smith", "skills": ["TS", "MongoDB"], "experience_level": null, "email": "new@example.com"});
    let response = app
        .call(Method::PUT, "/auth/me", Some(update), Some(&token))
        .await;
    let body = response.assert_status(StatusCode::OK).clone();
    assert_eq!(body["full_name"], "John Smith");
    assert_eq!(body["skills"], json!(["typescript", "mongodb"]));
    assert_eq!(body["email"], "student@example.com");
    assert_eq!(body["experience_level"], "2nd Year");
    assert_eq!(body["target_roles"], created["target_roles"]);
    assert_eq!(body["created_at"], created["created_at"]);

    app.call(Method::PUT, "/auth/me", Some(json!({"experience_level": "Graduate"})), Some(&token)).await
        .assert(StatusCode::BAD_REQUEST, json!({"detail": "Experience level must be one of: 12th Pass Out, 1st Year, 2nd Year, 3rd Year, 4th Year"}));
    assert_eq!(app.get("/auth/me", Some(&token)).await.json, body);
}

// ---------- Grooya ----------

#[tokio::test]
async fn grooya_register_answers_tokens_and_the_user() {
    let app = TestApp::new().await;
    let response = app.post("/api/auth/register/", json!({
        "email": "Designer@Example.com", "password1": "portfolio-pass", "password2": "portfolio-pass",
        "first_name": "Ana", "last_name": "Lima"
    })).await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    let id = body["user"]["pk"].as_i64().unwrap();
    assert_eq!(token_user_id(&app, body["access"].as_str().unwrap()), id);
    assert_eq!(
        body["user"],
        json!({
            "pk": id, "username": "designer@example.com", "email": "designer@example.com",
            "first_name": "Ana", "last_name": "Lima", "title": "", "bio": "", "avatar_url": null,
            "subscription_tier": "free", "ai_text_credits": 10, "ai_image_credits": 3, "account_type": "user"
        })
    );

    let background = app.post("/api/auth/register/", json!({
        "username": "crew_member", "email": "crew@example.com", "password": "background-pass", "account_type": "background"
    })).await;
    assert_eq!(
        background.assert_status(StatusCode::CREATED)["user"]["account_type"],
        "background"
    );
}

#[tokio::test]
async fn grooya_register_reports_every_field_problem_and_stores_nothing() {
    let app = TestApp::new().await;
    app.post("/api/auth/register/", json!({"email": "not-an-email", "password1": "1234", "password2": "4321", "account_type": "admin"})).await
        .assert(StatusCode::BAD_REQUEST, json!({
            "email": ["Enter a valid email address."],
            "password1": ["This password is too short. It must contain at least 8 characters.", "This password is entirely numeric."],
            "non_field_errors": ["The two password fields didn't match."],
            "account_type": ["\"admin\" is not a valid choice."],
        }));
    app.post("/api/auth/register/", json!({})).await.assert(
        StatusCode::BAD_REQUEST,
        json!({
            "email": ["This field is required."], "password1": ["This field is required."]
        }),
    );
    assert_eq!(app.user_count().await, 0);

    app.seed_user("taken@example.com").await;
    app.post("/api/auth/register/", json!({"email": "TAKEN@example.com", "password1": "long-enough-pw", "password2": "long-enough-pw"})).await
        .assert(StatusCode::BAD_REQUEST, json!({"email": ["A user is already registered with this e-mail address."]}));
    app.post("/api/auth/register/", json!({"username": "taken@example.com", "email": "fresh@example.com", "password": "long-enough-pw"})).await
        .assert(StatusCode::BAD_REQUEST, json!({"username": ["A user with that username already exists."]}));
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn grooya_login_and_logout() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_with(NewUser {
            email: "ana@example.com".into(),
            username: Some("ana".into()),
            ..NewUser::default()
        })
        .await;
    app.post(
        "/api/auth/login/",
        json!({"username": "ana", "password": "nope"}),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"non_field_errors": ["Unable to log in with provided credentials."]}),
    );
    app.post("/api/auth/login/", json!({"password": PASSWORD}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"non_field_errors": ["Must include \"username\" and \"password\"."]}),
        );

    let login = app
        .post(
            "/api/auth/login/",
            json!({"username": "ana", "password": PASSWORD}),
        )
        .await;
    let login = login.assert_status(StatusCode::OK).clone();
    assert_eq!(login["user"]["pk"], json!(user.id));
    assert_eq!(login["user"]["username"], "ana");

    app.post("/api/auth/logout/", json!({"refresh": login["refresh"]}))
        .await
        .assert(
            StatusCode::OK,
            json!({"detail": "Successfully logged out."}),
        );
    app.post("/api/token/refresh/", json!({"refresh": login["refresh"]}))
        .await
        .assert(StatusCode::UNAUTHORIZED, refresh_not_valid());
    app.post("/api/auth/logout/", json!({})).await.assert(
        StatusCode::UNAUTHORIZED,
        json!({"detail": "Refresh token was not included in request data."}),
    );
}

#[tokio::test]
async fn grooya_user_updates_are_partial_validated_and_keep_read_only_fields() {
    let app = TestApp::new().await;
    let user = app.seed_user("ana@example.com").await;
    app.seed_user_with(NewUser {
        email: "b@example.com".into(),
        username: Some("taken".into()),
        ..NewUser::default()
    })
    .await;
    let token = app.access_token(user.id);

    let patch = json!({"title": "Senior Frontend Engineer", "avatarUrl": "https://cdn.example.com/a.png", "ai_text_credits": 999, "email": "x@example.com"});
    let body = app
        .call(Method::PATCH, "/api/auth/user/", Some(patch), Some(&token))
        .await;
    let body = body.assert_status(StatusCode::OK).clone();
    assert_eq!(body["title"], "Senior Frontend Engineer");
    assert_eq!(body["avatar_url"], "https://cdn.example.com/a.png");
    assert_eq!(body["ai_text_credits"], 10);
    assert_eq!(body["email"], "ana@example.com");
    assert_eq!(body["first_name"], "Test");

    let put = json!({"first_name": "Ana", "avatar_url": null, "bio": "Designer"});
    let body = app
        .call(Method::PUT, "/api/auth/user", Some(put), Some(&token))
        .await;
    let body = body.assert_status(StatusCode::OK).clone();
    assert_eq!(
        (
            body["first_name"].as_str(),
            body["last_name"].as_str(),
            &body["avatar_url"]
        ),
        (Some("Ana"), Some("User"), &Value::Null)
    );
    assert_eq!(app.user(user.id).await.full_name, "Ana User");

    app.call(
        Method::PATCH,
        "/api/auth/user/",
        Some(json!({"avatar_url": "javascript:alert(1)", "username": "taken"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"avatar_url": ["Enter a valid URL."]}),
    );
    app.call(
        Method::PATCH,
        "/api/auth/user/",
        Some(json!({"username": "taken"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"username": ["A user with that username already exists."]}),
    );
    assert_eq!(app.get("/api/auth/user/", Some(&token)).await.json, body);
}

// ---------- Gan7Club ----------

#[tokio::test]
async fn gan7club_logins_check_the_account_kind() {
    let app = TestApp::new().await;
    let talent = app
        .seed_user_of_kind("talent@example.com", AccountKind::Talent)
        .await;
    app.seed_user_of_kind("crew@example.com", AccountKind::Background)
        .await;

    let response = app
        .post(
            "/api/login/talent/",
            json!({"email": "talent@example.com", "password": PASSWORD}),
        )
        .await;
    let mut body = response.assert_status(StatusCode::OK).clone();
    let object = body.as_object_mut().unwrap();
    assert!(object.remove("access").is_some() && object.remove("refresh").is_some());
    assert_eq!(
        body,
        json!({
            "id": talent.id, "email": "talent@example.com", "first_name": "", "last_name": "",
            "is_talent": true, "is_background": false, "is_staff": false, "email_verified": false
        })
    );

    let not_background = json!({"message": "This account is not registered as Background"});
    app.post(
        "/api/login/background/",
        json!({"email": "talent@example.com", "password": PASSWORD}),
    )
    .await
    .assert(StatusCode::FORBIDDEN, not_background.clone());
    app.post(
        "/api/login/background/",
        json!({"email": "crew@example.com", "password": "Wrong-pass-1"}),
    )
    .await
    .assert(StatusCode::FORBIDDEN, not_background);
    app.post(
        "/api/login/talent/",
        json!({"email": "crew@example.com", "password": PASSWORD}),
    )
    .await
    .assert(
        StatusCode::FORBIDDEN,
        json!({"message": "This account is not registered as Talent"}),
    );
    app.post(
        "/api/login/background/",
        json!({"email": "crew@example.com", "password": PASSWORD}),
    )
    .await
    .assert_status(StatusCode::OK);
}

// ---------- Django hashes and the import command ----------

/// Made by Django 5.2.19's `make_password("Django-Pass-123")` (pbkdf2_sha256, 1,000,000 iterations).
const DJANGO_5_2_HASH: &str =
    "pbkdf2_sha256$1000000$U1Ze6EojyhHv8QTPMX48KB$kZQZT7sYzyy8YUFVDgIzbukFBfO/1P77uRBNB8ha25s=";

#[tokio::test]
async fn a_django_hash_logs_in_and_is_upgraded_to_argon2id() {
    let app = TestApp::new().await;
    let user = app.seed_user("legacy@example.com").await;
    app.set_password_hash(user.id, DJANGO_5_2_HASH).await;

    app.post(
        "/api/token/",
        json!({"username": "legacy@example.com", "password": "Django-Pass-124"}),
    )
    .await
    .assert_status(StatusCode::UNAUTHORIZED);
    assert_eq!(app.user(user.id).await.password, DJANGO_5_2_HASH);

    app.post(
        "/api/token/",
        json!({"username": "legacy@example.com", "password": "Django-Pass-123"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let upgraded = app.user(user.id).await;
    assert!(
        upgraded.password.starts_with("$argon2id$"),
        "{}",
        upgraded.password
    );
    assert!(upgraded.last_login.is_some());
    app.post(
        "/api/auth/login/",
        json!({"email": "legacy@example.com", "password": "Django-Pass-123"}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_dumpdata_file_imports_once_and_its_users_log_in() {
    let app = TestApp::new().await;
    let dump = include_bytes!("../fixtures/django_dumpdata_users.json");

    let first = careerhub::accounts::django_import::import_json(&app.state.db, dump)
        .await
        .unwrap();
    assert_eq!((first.created, first.updated), (4, 0));
    assert_eq!(first.skipped.len(), 1, "{first}");
    assert!(first.skipped[0].contains("nomail"), "{first}");
    assert!(first.unsupported_hashes.is_empty());

    let second = careerhub::accounts::django_import::import_json(&app.state.db, dump)
        .await
        .unwrap();
    assert_eq!(
        (second.created, second.updated, second.skipped.len()),
        (0, 0, 5),
        "{second}"
    );
    assert_eq!(app.user_count().await, 4);

    let ada = careerhub::accounts::user::Entity::find()
        .filter(careerhub::accounts::user::Column::Email.eq("ada@example.com"))
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (ada.username.as_str(), ada.full_name.as_str(), ada.is_staff),
        ("ada", "Ada Lovelace", false)
    );
    assert_eq!(
        ada.date_joined.to_rfc3339(),
        "2026-11-22T02:54:06.835+00:00"
    );

    // Ada logs in with her Django password (Breneo accepts her full name too); the inactive
    // account and the one with an unusable password cannot.
    app.post(
        "/api/login/",
        json!({"username": "Ada Lovelace", "password": "Django-Pass-123"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.post(
        "/api/token/",
        json!({"username": "gone@example.com", "password": "Whatever-789"}),
    )
    .await
    .assert_status(StatusCode::UNAUTHORIZED);
    app.post(
        "/api/token/",
        json!({"username": "unusable@example.com", "password": ""}),
    )
    .await
    .assert_status(StatusCode::BAD_REQUEST);

    // A later import keeps the password Ada now has on careerhub.
    let third = careerhub::accounts::django_import::import_json(&app.state.db, dump)
        .await
        .unwrap();
    assert_eq!((third.created, third.updated), (0, 0), "{third}");
    assert!(app.user(ada.id).await.password.starts_with("$argon2id$"));
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
