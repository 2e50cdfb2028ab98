//! Every product's login, register and "me" route: success bodies, each documented error body,
//! and the Django hash upgrade and import.

use axum::http::{Method, StatusCode};
use careerhub::accounts::service::NewUser;
use careerhub::accounts::user::AccountKind;
use careerhub::accounts::user_skill;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};
use crate::tokens::{refresh_not_valid, token_user_id};

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
            "id": id.to_string(), "pk": id, "username": "designer@example.com", "email": "designer@example.com",
            "name": "Ana Lima", "first_name": "Ana", "last_name": "Lima", "title": "", "bio": "",
            "avatarUrl": "", "avatar_url": null, "role": "user", "isEarlyAdopter": false,
            "subscription": {"tier": "free", "status": "active", "freeFeaturesUsed": {},
                "credits": {"text": 10, "image": 3}},
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
    .assert(
        StatusCode::UNAUTHORIZED,
        json!({"message": "Invalid email or password.",
               "detail": "No active account found with the given credentials"}),
    );
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
