//! Gan7Club's sign-up and logins as its pages use them: `success` and `message` on the answer,
//! the signup's profile fields stored, field errors the page can show, 401 for wrong
//! credentials and 403 for the other kind; the profile form's fields with an empty string as
//! "unset"; the score as it grows; and the plans and subscriptions the billing tab lists.

use axum::http::{Method, StatusCode};
use careerhub::accounts::user::{AccountKind, SubscriptionTier};
use careerhub::talent::subscription;
use serde_json::{Value, json};

use crate::gan7club::{fresh_profile, photo, post_picture, set_both};
use crate::helpers::{PASSWORD, TestApp};

/// What the signup page posts, helper keys included.
fn signup() -> Value {
    json!({"first_name": "Lina", "last_name": "Haddad", "email": "Lina@Example.com",
           "password": "s3cretpass", "gender": "Female", "date_of_birth": "1998-04-07",
           "country": "jo", "residency": "ae", "role": "talent", "account_type": "talent",
           "birth_month": "04", "birth_day": "07", "birth_year": "1998"})
}

#[tokio::test]
async fn the_signup_page_body_makes_an_account_with_its_profile_and_says_success() {
    let app = TestApp::new().await;
    let response = app.post("/api/register/", signup()).await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        body,
        json!({"success": true,
               "message": "Registration successful. Please check your email to verify your account.",
               "refresh": body["refresh"], "access": body["access"], "id": body["id"],
               "email": "lina@example.com", "first_name": "Lina", "last_name": "Haddad",
               "is_talent": true, "is_background": false, "is_staff": false,
               "email_verified": false})
    );
    let token = body["access"].as_str().unwrap();
    let profile = app.get("/api/profile/talent/", Some(token)).await.json;
    let expected_fields = json!({"country": "jo", "residency": "ae", "gender": "Female",
        "date_of_birth": "1998-04-07", "first_name": "Lina", "last_name": "Haddad",
        "full_name": "Lina Haddad"});
    for (key, value) in expected_fields.as_object().unwrap() {
        assert_eq!(&profile[key], value, "top-level {key}");
        assert_eq!(&profile["profile"][key], value, "profile.{key}");
    }
    // Only `role` names the kind: it is the same field.
    let mut by_role = signup();
    by_role["email"] = json!("role@example.com");
    by_role.as_object_mut().unwrap().remove("account_type");
    app.post("/api/register/", by_role)
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn signup_refusals_carry_errors_and_a_message_the_page_shows_and_store_nothing() {
    let app = TestApp::new().await;
    let mut bad = signup();
    bad["date_of_birth"] = json!("2001-02-31");
    bad["gender"] = json!("robot");
    bad["email"] = json!("not-an-email");
    let wrong_date = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.";
    let errors = json!({"date_of_birth": [wrong_date], "email": ["Enter a valid email address."],
                        "gender": ["\"robot\" is not a valid choice."]});
    let mut expected = errors.clone();
    expected["errors"] = errors;
    expected["message"] = json!(format!("date_of_birth: {wrong_date}"));
    expected["success"] = json!(false);
    app.post("/api/register/", bad)
        .await
        .assert(StatusCode::BAD_REQUEST, expected);
    let mut no_kind = signup();
    for key in ["account_type", "role"] {
        no_kind.as_object_mut().unwrap().remove(key);
    }
    // Without a kind the shared path is Breneo's sign-up: it answers that a code was sent and
    // makes no account until the code comes back.
    app.post("/api/register/", no_kind).await.assert(
        StatusCode::CREATED,
        json!({"message": "We sent a 6-digit code to lina@example.com.", "email": "lina@example.com"}),
    );
    assert_eq!(app.user_count().await, 0);
    // "Prefer not to say", as the form labels it, is a choice.
    let mut shy = signup();
    shy["gender"] = json!("prefer_not_to_say");
    app.post("/api/register/", shy)
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn wrong_credentials_are_401_with_a_message_and_the_other_kind_403() {
    let app = TestApp::new().await;
    app.seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let invalid = json!({"message": "Invalid email or password.",
                         "detail": "No active account found with the given credentials"});
    for body in [
        json!({"email": "tal@example.com", "password": "wrong-password"}),
        json!({"email": "nobody@example.com", "password": PASSWORD}),
    ] {
        app.post("/api/login/talent/", body)
            .await
            .assert(StatusCode::UNAUTHORIZED, invalid.clone());
    }
    app.post(
        "/api/login/background/",
        json!({"email": "tal@example.com", "password": PASSWORD}),
    )
    .await
    .assert(
        StatusCode::FORBIDDEN,
        json!({"message": "This account is not registered as Background"}),
    );
    app.post(
        "/api/login/talent/",
        json!({"email": "tal@example.com", "password": PASSWORD}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_profile_form_stores_its_fields_and_empty_strings_unset_them() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("form@example.com", AccountKind::Background)
        .await;
    let token = app.access_token(user.id);
    let path = "/api/profile/background/";
    let form = json!({"first_name": "Bea", "last_name": "Grund", "email": "form@example.com",
        "phone": "+971 50 123 4567", "city": "Dubai", "residency": "ae", "country": "eg",
        "gender": "Prefer not to say", "date_of_birth": "1990-02-03",
        "aboutyou": "Set designer and prop maker."});
    let saved = app.call(Method::POST, path, Some(form), Some(&token)).await;
    let saved = saved.assert_status(StatusCode::OK).clone();
    for (key, value) in [
        ("first_name", "Bea"),
        ("last_name", "Grund"),
        ("full_name", "Bea Grund"),
        ("phone", "+971 50 123 4567"),
        ("city", "Dubai"),
        ("residency", "ae"),
        ("country", "eg"),
        ("gender", "prefer_not_to_say"),
        ("date_of_birth", "1990-02-03"),
        ("aboutyou", "Set designer and prop maker."),
    ] {
        assert_eq!(saved[key], value, "{key}");
        assert_eq!(saved["profile"][key], value, "profile.{key}");
    }
    assert_eq!(saved["message"], "Background profile updated successfully");
    assert!(
        saved["profile_score"]["total"].is_number(),
        "the score stays on the page"
    );
    // The page sends `gender: ''` (and blank dates) for what the user has not set.
    let cleared = app
        .call(
            Method::POST,
            path,
            Some(json!({"gender": "", "date_of_birth": "", "city": ""})),
            Some(&token),
        )
        .await;
    let cleared = cleared.assert_status(StatusCode::OK).clone();
    assert_eq!(
        (
            &cleared["gender"],
            &cleared["date_of_birth"],
            &cleared["city"],
            &cleared["country"]
        ),
        (&json!(""), &Value::Null, &json!(""), &json!("eg"))
    );
    // Another email is refused, not dropped; nothing else in that request is applied.
    app.call(
        Method::POST,
        path,
        Some(json!({"email": "other@example.com", "city": "Cairo"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"email": ["The email address cannot be changed here."]}),
    );
    let now = app.get(path, Some(&token)).await.json;
    assert_eq!(
        (&now["city"], &now["email"]),
        (&json!(""), &json!("form@example.com"))
    );
    // The account's names are the account's everywhere.
    let grooya = app.get("/api/auth/user/", Some(&token)).await.json;
    assert_eq!(
        (&grooya["first_name"], &grooya["bio"]),
        (&json!("Bea"), &json!("Set designer and prop maker."))
    );
}

#[tokio::test]
async fn a_fresh_talent_profile_is_the_whole_documented_body() {
    let app = TestApp::new().await;
    let response = app.post("/api/register/", signup()).await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    let id = body["id"].as_i64().unwrap();
    let token = body["access"].as_str().unwrap();
    let mut expected = fresh_profile(id, "lina@example.com", "talent", ("Lina", "Haddad"));
    set_both(&mut expected, "country", json!("jo"));
    set_both(&mut expected, "residency", json!("ae"));
    set_both(&mut expected, "gender", json!("Female"));
    set_both(&mut expected, "date_of_birth", json!("1998-04-07"));
    let total = 5 + 8 + 8 + 8 + 6;
    expected["profile"]["profile_score"] = json!(total);
    let score = &mut expected["profile_score"];
    score["total"] = json!(total);
    score["profile_completion"] = json!(30);
    score["completion_percentage"] = json!(75);
    score["details"]["profile_completion"] =
        json!("4 of 5 profile fields filled: 30 of 40 points.");
    score["details_ar"]["profile_completion"] = json!("4 من 5 حقول مكتملة: 30 من 40 نقطة.");
    score["improvement_tips"] = json!([
        "Upgrade your plan for a higher account tier score",
        "Add a profile picture (+10 points)",
        "Add a work experience (+3 points)",
        "Add your education (+3 points)",
        "Add your skills (+3 points)"
    ]);
    score["improvement_tips_ar"] = json!([
        "رقِّ خطتك لتحصل على درجة أعلى في فئة الحساب",
        "أضف صورة شخصية (+10 نقاط)",
        "أضف خبرة عمل (+3 نقاط)",
        "أضف تعليمك (+3 نقاط)",
        "أضف مهاراتك (+3 نقاط)"
    ]);
    for field in ["country", "date_of_birth", "gender"] {
        score["completed_fields"][field] = json!(true);
    }
    app.get("/api/profile/talent/", Some(token))
        .await
        .assert(StatusCode::OK, expected);
}

#[tokio::test]
async fn the_billing_tab_lists_the_plans_and_the_users_subscriptions() {
    let app = TestApp::new().await;
    let plans = app.get("/api/payments/plans/", None).await;
    let results = plans.assert_status(StatusCode::OK)["results"].clone();
    let ids: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["free", "starter", "pro", "premium"]);
    assert_eq!(
        results[2],
        json!({"id": "pro", "name": "Pro", "name_ar": "الاحترافية",
               "description": "For serious professionals and freelancers.",
               "description_ar": "للمحترفين والعاملين المستقلين.",
               "price": 15.0, "monthly_equivalent": 15.0, "currency": "USD", "duration_months": 1,
               "features": ["10 portfolios", "Unlimited resumes", "150 AI text credits a month",
                            "30 AI image credits a month",
                            "Job tracker, ATS analysis and market insights"],
               "features_ar": ["10 ملفات أعمال", "سير ذاتية بلا حدود",
                               "150 رصيدًا للنصوص بالذكاء الاصطناعي شهريًا",
                               "30 رصيدًا للصور بالذكاء الاصطناعي شهريًا",
                               "متابعة الوظائف وتحليل السيرة الذاتية ورؤى سوق العمل"],
               "stripe_price_id": null, "is_active": true, "max_portfolios": 10,
               "max_resumes": null, "ai_text_credits_per_month": 150,
               "ai_image_credits_per_month": 30, "image_generation": true})
    );
    let user = app
        .seed_user_of_kind("payer@example.com", AccountKind::Talent)
        .await;
    let token = app.access_token(user.id);
    app.get("/api/payments/subscriptions/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([]));
    let ends = chrono::Utc::now() + chrono::Duration::days(30);
    subscription::grant(
        app.state.db.writer(),
        user.id,
        SubscriptionTier::Pro,
        Some(ends),
    )
    .await
    .unwrap();
    app.state.accounts.forget(user.id);
    let subscriptions = app.get("/api/payments/subscriptions/", Some(&token)).await;
    let first = subscriptions.assert_status(StatusCode::OK)[0].clone();
    assert_eq!(
        (
            &first["plan"],
            &first["plan_name"],
            &first["plan_price"],
            &first["is_active"]
        ),
        (&json!("pro"), &json!("Pro"), &json!(15.0), &json!(true))
    );
    assert!(first["current_period_end"].is_string());
    assert_eq!(first["current_period_end"], first["plan_end"]);
    let profile = app.get("/api/profile/talent/", Some(&token)).await.json;
    let status = &profile["subscription_status"];
    assert_eq!(
        (&status["tier"], &status["has_subscription"]),
        (&json!("pro"), &json!(true))
    );
    let subscription = &status["subscription"];
    assert_eq!(subscription["current_period_end"], subscription["ends_at"]);
    assert_eq!(subscription["end_date"], subscription["ends_at"]);
    app.get("/api/payments/subscriptions/", None)
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_score_grows_with_the_profile_items_and_plan() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let token = app.access_token(user.id);
    // Partial: two kinds of items, three items.
    for name in ["Rust", "Go"] {
        app.call(
            Method::POST,
            "/api/me/skills/",
            Some(json!({"name": name})),
            Some(&token),
        )
        .await;
    }
    app.call(
        Method::POST,
        "/api/projects/",
        Some(json!({"title": "Ray tracer"})),
        Some(&token),
    )
    .await;
    let partial = app.get("/api/profile/talent/", Some(&token)).await.json["profile_score"].clone();
    assert_eq!(
        (
            &partial["total"],
            &partial["item_diversity"],
            &partial["item_quantity"]
        ),
        (&json!(5 + 6 + 3), &json!(6), &json!(3))
    );
    // Complete: every field, a premium plan, many items of many kinds.
    post_picture(
        &app,
        &token,
        "/api/profile/talent/",
        "me.jpg",
        &photo(50, 50),
    )
    .await;
    app.multipart(
        "/api/profile/talent/",
        &[
            ("country", None, b"Peru"),
            ("gender", None, b"Other"),
            ("date_of_birth", None, b"1990-01-01"),
        ],
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    app.call(
        Method::PATCH,
        "/api/auth/user/",
        Some(json!({"first_name": "Tal", "last_name": "Ent"})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    subscription::grant(
        app.state.db.writer(),
        user.id,
        SubscriptionTier::Premium,
        None,
    )
    .await
    .unwrap();
    app.state.accounts.forget(user.id);
    for i in 0..12 {
        app.call(
            Method::POST,
            "/api/me/skills/",
            Some(json!({"name": format!("Skill {i}")})),
            Some(&token),
        )
        .await;
    }
    for (path, body) in [
        (
            "/api/work-experiences/",
            json!({"job_title": "Engineer", "company": "Acme", "start_date": "2020-01"}),
        ),
        (
            "/api/educations/",
            json!({"institution": "MIT", "start_date": "2014"}),
        ),
        ("/api/portfolios/", json!({"title": "Mine"})),
        ("/api/resumes/", json!({"title": "CV"})),
        (
            "/api/jobs/create/",
            json!({"company_name": "Acme", "job_title": "SDE", "job_description": "JD"}),
        ),
    ] {
        app.call(Method::POST, path, Some(body), Some(&token))
            .await
            .assert_status(StatusCode::CREATED);
    }
    let complete = app.get("/api/profile/talent/", Some(&token)).await.json;
    let score = &complete["profile_score"];
    assert_eq!(
        (
            &score["account_tier"],
            &score["profile_completion"],
            &score["item_diversity"],
            &score["item_quantity"],
            &score["total"]
        ),
        (&json!(25), &json!(40), &json!(20), &json!(15), &json!(100))
    );
    assert_eq!(score["improvement_tips"], json!([]));
    assert_eq!(
        complete["subscription_status"]["message"],
        "Active subscription"
    );
    assert_eq!(
        complete["subscription_status"]["subscription"]["plan"],
        "premium"
    );
    assert_eq!(complete["restrictions"]["max_portfolios"], Value::Null);

    subscription::end(app.state.db.writer(), user.id)
        .await
        .unwrap();
    app.state.accounts.forget(user.id);
    let ended = app.get("/api/profile/talent/", Some(&token)).await.json;
    assert_eq!(ended["subscription_status"]["has_subscription"], false);
    assert_eq!(ended["profile_score"]["account_tier"], 5);
}
