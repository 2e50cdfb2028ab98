//! Sign-up by emailed code (Breneo), email verification (Gan7Club) and password reset, with the
//! mail really sent over SMTP to a local server (`smtp`) through the job queue.

use axum::http::StatusCode;
use careerhub::accounts::codes;
use careerhub::queue::job;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::smtp::SmtpServer;

const PASSWORD: &str = "Tbilisi-2026!";
const BAD_CODE: &str = "Invalid or expired code.";

async fn app_with_mail() -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start().await;
    let mail = smtp.config();
    let app = TestApp::with_config(|config| config.mail = mail).await;
    (app, smtp)
}

/// What Breneo's sign-up page posts.
fn signup_form(email: &str) -> Value {
    json!({"first_name": "Nino", "last_name": "Beridze", "email": email,
           "phone_number": "+995 555 12 34 56", "password": PASSWORD})
}

/// Delivers the queued mail and returns the code in the newest message to `email`.
async fn newest_code(app: &TestApp, smtp: &SmtpServer, email: &str) -> String {
    app.run_pending_jobs().await;
    smtp.to(email).last().expect("a message was sent").code()
}

/// A code that is not `code`.
fn wrong(code: &str) -> String {
    if code == "000000" { "111111" } else { "000000" }.to_owned()
}

fn bad_code() -> Value {
    json!({"success": false, "message": BAD_CODE, "detail": BAD_CODE, "error": BAD_CODE})
}

async fn count_codes(app: &TestApp) -> u64 {
    codes::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap()
}

async fn count_jobs(app: &TestApp) -> u64 {
    job::Entity::find()
        .count(app.state.db.reader())
        .await
        .unwrap()
}

fn login(email: &str, password: &str) -> Value {
    json!({"username": email, "password": password})
}

#[tokio::test]
async fn a_breneo_signup_waits_for_the_emailed_code_then_the_account_logs_in() {
    let (app, smtp) = app_with_mail().await;
    app.post("/api/register/", signup_form("Nino@Breneo.ge"))
        .await
        .assert(
            StatusCode::CREATED,
            json!({"message": "We sent a 6-digit code to nino@breneo.ge.", "email": "nino@breneo.ge"}),
        );
    // Nothing is made yet, and the request did not wait for the mail server.
    assert_eq!(app.user_count().await, 0);
    assert!(smtp.received().is_empty());
    app.post("/api/login/", login("nino@breneo.ge", PASSWORD))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    let code = newest_code(&app, &smtp, "nino@breneo.ge").await;
    let message = &smtp.received()[0];
    assert_eq!(message.from, "hello@breneo.test");
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Your sign-up code")
    );
    assert_eq!(message.header("To").as_deref(), Some("nino@breneo.ge"));
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");

    app.post(
        "/api/verify-code/",
        json!({"email": "nino@breneo.ge", "code": wrong(&code)}),
    )
    .await
    .assert(StatusCode::BAD_REQUEST, bad_code());
    assert_eq!(app.user_count().await, 0);
    app.post(
        "/api/verify-code/",
        json!({"email": "NINO@breneo.ge", "code": format!(" {code} ")}),
    )
    .await
    .assert(
        StatusCode::OK,
        json!({"success": true, "message": "Email verified successfully.", "email_verified": true}),
    );
    let user = service_user(&app, "nino@breneo.ge").await;
    assert_eq!(
        (
            user.first_name.as_str(),
            user.last_name.as_str(),
            user.phone_number.as_deref()
        ),
        ("Nino", "Beridze", Some("+995 555 12 34 56"))
    );
    assert!(user.is_active && user.email_verified);
    // A code works once.
    app.post(
        "/api/verify-code/",
        json!({"email": "nino@breneo.ge", "code": code}),
    )
    .await
    .assert(StatusCode::BAD_REQUEST, bad_code());
    assert_eq!((app.user_count().await, count_codes(&app).await), (1, 0));

    let logged_in = app
        .post("/api/login/", login("nino@breneo.ge", PASSWORD))
        .await;
    assert_eq!(
        logged_in.assert_status(StatusCode::OK)["first_name"],
        "Nino"
    );
    // The address has an account now: signing up again says so (the page shows `detail`).
    let exists = "A user with this email already exists.";
    app.post("/api/register/", signup_form("nino@breneo.ge"))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"email": [exists], "detail": format!("email: {exists}")}),
        );
    assert_eq!(smtp.received().len(), 1);
}

async fn service_user(app: &TestApp, email: &str) -> careerhub::accounts::user::Model {
    careerhub::accounts::service::find_by_email(app.state.db.reader(), email)
        .await
        .unwrap()
        .expect("the account exists")
}

#[tokio::test]
async fn a_new_form_replaces_the_code_codes_expire_and_resend_revives_a_pending_signup() {
    let (app, smtp) = app_with_mail().await;
    app.post("/api/register/", signup_form("nino@breneo.ge"))
        .await
        .assert_status(StatusCode::CREATED);
    let first = newest_code(&app, &smtp, "nino@breneo.ge").await;
    let mut corrected = signup_form("nino@breneo.ge");
    corrected["first_name"] = json!("Nina");
    app.post("/api/register/", corrected)
        .await
        .assert_status(StatusCode::CREATED);
    let second = newest_code(&app, &smtp, "nino@breneo.ge").await;
    if first != second {
        app.post(
            "/api/verify-code/",
            json!({"email": "nino@breneo.ge", "code": first}),
        )
        .await
        .assert(StatusCode::BAD_REQUEST, bad_code());
    }
    assert_eq!(count_codes(&app).await, 1);

    // Fifteen minutes on, the code is dead.
    app.state
        .clock
        .advance(std::time::Duration::from_secs(16 * 60));
    app.post(
        "/api/verify-code/",
        json!({"email": "nino@breneo.ge", "code": second}),
    )
    .await
    .assert(StatusCode::BAD_REQUEST, bad_code());
    assert_eq!(app.user_count().await, 0);

    let resent = app
        .post("/api/resend-code/", json!({"email": "nino@breneo.ge"}))
        .await;
    resent.assert(
        StatusCode::OK,
        json!({"success": true, "message": "If this address is waiting for a code, a new one is on its way."}),
    );
    let third = newest_code(&app, &smtp, "nino@breneo.ge").await;
    assert_eq!(smtp.received().len(), 3);
    app.post(
        "/api/verify-code/",
        json!({"email": "nino@breneo.ge", "code": third}),
    )
    .await
    .assert_status(StatusCode::OK);
    // The account is the corrected form's.
    assert_eq!(
        service_user(&app, "nino@breneo.ge").await.first_name,
        "Nina"
    );

    // An address nobody is waiting on gets the same answer and no mail.
    app.post("/api/resend-code/", json!({"email": "stranger@breneo.ge"}))
        .await
        .assert_status(StatusCode::OK);
    app.run_pending_jobs().await;
    assert!(smtp.to("stranger@breneo.ge").is_empty());
}

#[tokio::test]
async fn five_wrong_guesses_kill_a_code() {
    let (app, smtp) = app_with_mail().await;
    app.post("/api/register/", signup_form("nino@breneo.ge"))
        .await
        .assert_status(StatusCode::CREATED);
    let code = newest_code(&app, &smtp, "nino@breneo.ge").await;
    for _ in 0..5 {
        app.post(
            "/api/verify-code/",
            json!({"email": "nino@breneo.ge", "code": wrong(&code)}),
        )
        .await
        .assert(StatusCode::BAD_REQUEST, bad_code());
    }
    app.post(
        "/api/verify-code/",
        json!({"email": "nino@breneo.ge", "code": code}),
    )
    .await
    .assert(StatusCode::BAD_REQUEST, bad_code());
    assert_eq!(app.user_count().await, 0);
    // Asking again starts over with a fresh code and fresh attempts.
    app.post("/api/resend-code/", json!({"email": "nino@breneo.ge"}))
        .await
        .assert_status(StatusCode::OK);
    let fresh = newest_code(&app, &smtp, "nino@breneo.ge").await;
    app.post(
        "/api/verify-code/",
        json!({"email": "nino@breneo.ge", "code": fresh}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn guessing_is_rate_limited_per_address() {
    let smtp = SmtpServer::start().await;
    let mail = smtp.config();
    let app = TestApp::with_config(|config| {
        config.mail = mail;
        config.auth_rate_limits.per_account_per_minute = 3;
    })
    .await;
    for _ in 0..3 {
        app.post(
            "/api/verify-code/",
            json!({"email": "nino@breneo.ge", "code": "123456"}),
        )
        .await
        .assert_status(StatusCode::BAD_REQUEST);
    }
    let limited = app
        .post(
            "/api/verify-code/",
            json!({"email": "nino@breneo.ge", "code": "123456"}),
        )
        .await;
    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        limited.text
    );
    // Another address is not held up.
    app.post(
        "/api/verify-code/",
        json!({"email": "other@breneo.ge", "code": "123456"}),
    )
    .await
    .assert_status(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn signup_refusals_name_the_fields_and_store_and_send_nothing() {
    let (app, smtp) = app_with_mail().await;
    let required = "This field is required.";
    app.post("/api/register/", json!({"first_name": "Nino"}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"email": [required], "password": [required], "detail": format!("email: {required}")}),
        );
    let bad = json!({"first_name": "N".repeat(151), "email": "not-an-email", "password": "123",
                     "phone_number": "call me"});
    let refused = app.post("/api/register/", bad).await;
    let body = refused.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(body["email"], json!(["Enter a valid email address."]));
    assert_eq!(body["phone_number"], json!(["Enter a valid phone number."]));
    assert_eq!(
        body["first_name"],
        json!(["Ensure this field has no more than 150 characters."])
    );
    assert!(
        body["password"].as_array().is_some_and(|p| !p.is_empty()),
        "{body}"
    );
    assert!(body["detail"].is_string());
    app.post("/api/verify-code/", json!({"email": "nino@breneo.ge"}))
        .await
        .assert(StatusCode::BAD_REQUEST, json!({"code": [required]}));
    app.run_pending_jobs().await;
    assert_eq!(
        (
            app.user_count().await,
            count_codes(&app).await,
            count_jobs(&app).await
        ),
        (0, 0, 0)
    );
    assert!(smtp.received().is_empty());
}

#[tokio::test]
async fn a_mail_server_that_is_down_delays_the_code_and_loses_nothing() {
    let (app, smtp) = app_with_mail().await;
    smtp.set_unavailable(true);
    app.post("/api/register/", signup_form("nino@breneo.ge"))
        .await
        .assert_status(StatusCode::CREATED);
    app.run_pending_jobs().await;
    assert!(smtp.received().is_empty());
    let queued = job::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        (queued[0].status.as_str(), queued[0].attempts),
        ("queued", 1)
    );
    assert!(
        queued[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("SMTP"),
        "{queued:?}"
    );

    smtp.set_unavailable(false);
    app.state.clock.advance(std::time::Duration::from_secs(60));
    let code = newest_code(&app, &smtp, "nino@breneo.ge").await;
    assert_eq!(smtp.received().len(), 1);
    app.post(
        "/api/verify-code/",
        json!({"email": "nino@breneo.ge", "code": code}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn gan7club_verifies_an_existing_accounts_email_with_the_same_codes() {
    let (app, smtp) = app_with_mail().await;
    let form = json!({"first_name": "Lina", "last_name": "Haddad", "email": "lina@example.com",
        "password": "s3cretpass", "gender": "Female", "date_of_birth": "1998-04-07",
        "country": "jo", "residency": "ae", "account_type": "talent"});
    let created = app.post("/api/register/", form).await;
    let id = created.assert_status(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let code = newest_code(&app, &smtp, "lina@example.com").await;
    assert_eq!(
        smtp.received()[0].header("Subject").as_deref(),
        Some("Verify your email address")
    );
    assert!(!app.user(id).await.email_verified);

    // The banner's "resend" replaces the code.
    app.post("/api/resend-code/", json!({"email": "lina@example.com"}))
        .await
        .assert_status(StatusCode::OK);
    let resent = newest_code(&app, &smtp, "lina@example.com").await;
    assert_eq!(smtp.received().len(), 2);
    if resent != code {
        app.post(
            "/api/verify-code/",
            json!({"email": "lina@example.com", "code": code}),
        )
        .await
        .assert(StatusCode::BAD_REQUEST, bad_code());
    }
    app.post(
        "/api/verify-code/",
        json!({"email": "lina@example.com", "code": resent}),
    )
    .await
    .assert(
        StatusCode::OK,
        json!({"success": true, "message": "Email verified successfully.", "email_verified": true}),
    );
    assert!(app.user(id).await.email_verified);
    // Verified: resending sends nothing more.
    app.post("/api/resend-code/", json!({"email": "lina@example.com"}))
        .await
        .assert_status(StatusCode::OK);
    app.run_pending_jobs().await;
    assert_eq!(smtp.received().len(), 2);
}

#[tokio::test]
async fn a_password_reset_takes_the_emailed_code_twice_and_then_never_again() {
    let (app, smtp) = app_with_mail().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let sent = json!({"message": "If an account exists for this email, we sent a code to it."});
    for email in ["nino@breneo.ge", "nobody@breneo.ge"] {
        app.post("/password-reset/request/", json!({"email": email}))
            .await
            .assert(StatusCode::OK, sent.clone());
    }
    let code = newest_code(&app, &smtp, "nino@breneo.ge").await;
    assert_eq!(
        smtp.received().len(),
        1,
        "no mail to an address without an account"
    );
    assert_eq!(
        smtp.received()[0].header("Subject").as_deref(),
        Some("Your password reset code")
    );
    let bad = json!({"error": BAD_CODE});
    app.post(
        "/password-reset/verify/",
        json!({"email": "nino@breneo.ge", "code": wrong(&code)}),
    )
    .await
    .assert(StatusCode::BAD_REQUEST, bad.clone());
    app.post(
        "/password-reset/verify/",
        json!({"email": "nino@breneo.ge", "code": code}),
    )
    .await
    .assert(StatusCode::OK, json!({"message": "Code verified."}));

    let new_password = "Kutaisi-2027?";
    let set = |password: &str, confirm: &str| json!({"email": "nino@breneo.ge", "code": code, "new_password": password, "confirm_password": confirm});
    app.post(
        "/password-reset/set-new/",
        set(new_password, "Kutaisi-2027!"),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"error": "The two passwords do not match."}),
    );
    app.post("/password-reset/set-new/", set("12345678", "12345678"))
        .await
        .assert_status(StatusCode::BAD_REQUEST);
    app.post("/password-reset/set-new/", set(new_password, new_password))
        .await
        .assert(
            StatusCode::OK,
            json!({"message": "Your password has been reset. You can log in now."}),
        );
    app.post(
        "/api/login/",
        login("nino@breneo.ge", crate::helpers::PASSWORD),
    )
    .await
    .assert_status(StatusCode::UNAUTHORIZED);
    let logged_in = app
        .post("/api/login/", login("nino@breneo.ge", new_password))
        .await;
    assert_eq!(
        logged_in.assert_status(StatusCode::OK)["email"],
        "nino@breneo.ge"
    );
    // The code is spent.
    app.post(
        "/password-reset/set-new/",
        set("Batumi-2028#", "Batumi-2028#"),
    )
    .await
    .assert(StatusCode::BAD_REQUEST, bad);
    assert!(app.user(user.id).await.is_active);
}

#[tokio::test]
async fn without_an_smtp_url_mail_is_logged_and_the_job_succeeds() {
    let app = TestApp::new().await;
    app.post("/api/register/", signup_form("nino@breneo.ge"))
        .await
        .assert_status(StatusCode::CREATED);
    assert_eq!(app.run_pending_jobs().await, 1);
    let jobs = job::Entity::find()
        .all(app.state.db.reader())
        .await
        .unwrap();
    assert_eq!(
        (jobs[0].kind.as_str(), jobs[0].status.as_str()),
        ("mail.send", "succeeded")
    );
}
