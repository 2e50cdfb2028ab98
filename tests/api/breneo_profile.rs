//! Breneo: the skills on the taxonomy in Breneo's shape, the catalog search, and public profiles.

use axum::http::{Method, StatusCode};
use careerhub::accounts::user::SubscriptionTier;
use careerhub::talent::subscription;
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn bad(detail: &str) -> Value {
    json!({"detail": detail})
}

// ---------- skills ----------

fn catalog_id(name: &str) -> i64 {
    i64::from(
        careerhub::skills::taxonomy()
            .lookup(name)
            .expect("in the catalog")
            .id,
    )
}

#[tokio::test]
async fn skills_are_breneos_user_skills_resolved_on_the_taxonomy() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let add = |body: Value| {
        let token = token.clone();
        let app = &app;
        async move {
            app.call(Method::POST, "/api/me/skills/", Some(body), Some(&token))
                .await
        }
    };
    let node = add(json!({"name": "node js"})).await;
    let node = node.assert_status(StatusCode::CREATED).clone();
    assert!(node["created_at"].is_string());
    assert_eq!(
        node,
        json!({"id": node["id"], "skill_id": catalog_id("Node.js"), "skill_name": "Node.js", "created_at": node["created_at"]})
    );
    add(json!({"name": "NODEJS"})).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"name": ["You already have this skill."]}),
    );
    // By the catalog's id, as a suggestion carries it.
    let rust = add(json!({"skill_id": catalog_id("Rust")})).await;
    let rust = rust.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        (&rust["skill_id"], &rust["skill_name"]),
        (&json!(catalog_id("Rust")), &json!("Rust"))
    );
    add(json!({"skill_id": 99_999_999})).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"skill_id": ["Invalid pk \"99999999\" - object does not exist."]}),
    );
    // A skill the catalog does not know is kept as typed, with an id of its own.
    let knitting = add(json!({"name": "  Quantum   Knitting "})).await;
    let knitting = knitting.assert_status(StatusCode::CREATED).clone();
    let knitting_id = knitting["id"].as_i64().unwrap();
    assert_eq!(
        knitting,
        json!({"id": knitting_id, "skill_id": 1_000_000 + knitting_id, "skill_name": "Quantum Knitting", "created_at": knitting["created_at"]})
    );
    add(json!({})).await.assert(
        StatusCode::BAD_REQUEST,
        json!({"name": ["This field is required."]}),
    );

    app.get("/api/me/skills/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([node, rust, knitting]));
    // Career Navigator sees the same skills, lowercased.
    assert_eq!(
        app.get("/auth/me", Some(&token)).await.json["skills"],
        json!(["node.js", "rust", "quantum knitting"])
    );

    // Breneo's sheet deletes by `skill_id`; the row's `id` works too.
    for path in [
        format!("/api/me/skills/{}/", catalog_id("Node.js")),
        format!("/api/me/skills/{}/", 1_000_000 + knitting_id),
        format!("/api/me/skills/{}/", rust["id"]),
    ] {
        app.call(Method::DELETE, &path, None, Some(&token))
            .await
            .assert_status(StatusCode::NO_CONTENT);
    }
    app.get("/api/me/skills/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([]));
    assert_eq!(
        app.get("/auth/me", Some(&token)).await.json["skills"],
        json!([])
    );
}

#[tokio::test]
async fn the_shared_skills_path_answers_the_catalog_to_a_query_and_grooyas_list_without() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    app.call(
        Method::POST,
        "/api/skills/",
        Some(json!({"name": "Figma", "category": "Tool"})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::CREATED);
    // Breneo's suggestions: the catalog, signed in or not, whatever the user has.
    for viewer in [None, Some(token.as_str())] {
        let found = app.get("/api/skills/?query=kubern", viewer).await;
        assert_eq!(
            found.assert_status(StatusCode::OK)[0],
            json!({"id": catalog_id("Kubernetes"), "name": "Kubernetes", "category": "tool"})
        );
    }
    // Grooya's list: the user's own skills, and it needs a login.
    let listed = app.get("/api/skills/", Some(&token)).await;
    let listed = listed.assert_status(StatusCode::OK);
    assert_eq!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].clone())
            .collect::<Vec<_>>(),
        vec![json!("Figma")]
    );
    app.get("/api/skills/", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn skill_search_ranks_prefixes_first_and_needs_no_login() {
    let app = TestApp::new().await;
    let response = app
        .get("/api/skills/search/?query=java&limit=3", None)
        .await;
    let names: Vec<&str> = response
        .assert_status(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 3);
    assert_eq!(names[0], "Java");
    assert!(
        names
            .iter()
            .all(|name| name.to_lowercase().starts_with("java")),
        "{names:?}"
    );
    let k8s = app.get("/api/skills/search?query=k8s", None).await;
    assert_eq!(k8s.json[0]["name"], "Kubernetes");
    assert_eq!(k8s.json[0]["category"], "tool");
    app.get("/api/skills/search/", None)
        .await
        .assert(StatusCode::OK, json!([]));
}

// ---------- public profiles ----------

#[tokio::test]
async fn a_public_profile_shows_by_default_with_contacts_only_for_the_signed_in() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let job = json!({"job_title": "Engineer", "company": "TBC Bank", "start_date": "2022-01", "end_date": "2022-12"});
    let job = app
        .call(
            Method::POST,
            "/api/work-experiences/",
            Some(job),
            Some(&token),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .clone();
    let school = json!({"school_name": "TSU", "major": "Finance", "degree_type": "Bachelor's", "start_date": "2016"});
    let school = app
        .call(Method::POST, "/api/educations/", Some(school), Some(&token))
        .await
        .assert_status(StatusCode::CREATED)
        .clone();
    let skill = app
        .call(
            Method::POST,
            "/api/me/skills/",
            Some(json!({"name": "rust"})),
            Some(&token),
        )
        .await
        .assert_status(StatusCode::CREATED)
        .clone();
    let about = json!({"about_me": "Backend engineer.", "city": "Tbilisi", "country_region": "Georgia",
                       "phone_number": "+995 555 12 34 56", "social_links": {"github": "https://github.com/nino"}});
    app.call(Method::PATCH, "/api/profile/", Some(about), Some(&token))
        .await
        .assert_status(StatusCode::OK);

    let path = format!("/api/users/{}/profile/", user.id);
    let anonymous = app.get(&path, None).await;
    let body = anonymous.assert_status(StatusCode::OK).clone();
    let updated_at = body["industry_profile"]["updated_at"].clone();
    assert!(updated_at.is_string());
    let mut expected = json!({
        "id": user.id, "first_name": "Test", "last_name": "User", "full_name": "Test User", "title": "",
        "email": "", "phone_number": null, "country_region": "Georgia", "city": "Tbilisi",
        "about_me": "Backend engineer.", "profile_image": null,
        "social_links": {"github": "https://github.com/nino", "linkedin": null, "facebook": null,
                         "instagram": null, "dribbble": null, "behance": null},
        "educations": [school], "work_experiences": [job], "skills": [skill],
        "industry_profile": {"industry_years_json": {"banking": 1.0}, "updated_at": updated_at},
        "career": {"final_role": null, "total_score": null, "skills_json": {}}
    });
    assert_eq!(body, expected);
    // Nowhere else in the answer either (timestamps may hold "555", the number as written not).
    assert!(!anonymous.text.contains("nino@breneo.ge") && !anonymous.text.contains("555 12 34"));

    // Another signed-in user sees the contact fields.
    let viewer = app.access_token(app.seed_user("recruiter@breneo.ge").await.id);
    expected["email"] = json!("nino@breneo.ge");
    expected["phone_number"] = json!("+995 555 12 34 56");
    app.get(&path, Some(&viewer))
        .await
        .assert(StatusCode::OK, expected);
    app.get("/api/users/999999/profile/", None).await.assert(
        StatusCode::NOT_FOUND,
        bad("No User matches the given query."),
    );

    // The owner can still switch it off (Breneo's `/api/me/profile/`), and on again.
    let off = app
        .call(
            Method::PATCH,
            "/api/me/profile/",
            Some(json!({"profile_public": false})),
            Some(&token),
        )
        .await;
    off.assert(
        StatusCode::OK,
        json!({"id": user.id, "email": "nino@breneo.ge", "first_name": "Test", "last_name": "User",
        "phone_number": "+995 555 12 34 56", "profile_image": null, "profile_public": false}),
    );
    for viewer in [None, Some(viewer.as_str())] {
        app.get(&path, viewer).await.assert(
            StatusCode::NOT_FOUND,
            bad("No User matches the given query."),
        );
    }
    app.call(
        Method::PATCH,
        "/api/me/profile/",
        Some(json!({"phone_number": "call me"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"phone_number": ["Enter a valid phone number."]}),
    );
    app.call(
        Method::PATCH,
        "/api/me/profile/",
        Some(json!({"profile_public": true})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    app.get(&path, None).await.assert_status(StatusCode::OK);
}

// ---------- the profile page: /api/profile/ ----------

#[tokio::test]
async fn the_profile_page_reads_and_patches_the_accounts_own_fields() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let fresh = app.get("/api/profile/", Some(&token)).await;
    let fresh = fresh.assert_status(StatusCode::OK).clone();
    let mut expected = json!({
        "id": user.id, "email": "nino@breneo.ge", "username": fresh["username"], "first_name": "Test",
        "last_name": "User", "full_name": "Test User", "phone_number": null, "phone_verified": false,
        "email_verified": false, "profile_image": null, "about_me": "", "country_region": "", "city": "",
        "social_links": {"github": null, "linkedin": null, "facebook": null, "instagram": null, "dribbble": null, "behance": null},
        "saved_jobs": [], "saved_courses": [], "user_type": "user", "profile_public": true,
        "date_joined": fresh["date_joined"]
    });
    assert_eq!(fresh, expected);

    // The page sends its whole form back, the unchanged email included.
    let form = json!({"first_name": " Nino ", "last_name": "Beridze", "email": "NINO@breneo.ge",
        "phone_number": "+995 555 12 34 56", "about_me": "Backend engineer in Tbilisi.",
        "country_region": "Georgia", "city": "Tbilisi",
        "social_links": {"github": "github.com/nino", "linkedin": "https://www.linkedin.com/in/nino", "behance": ""}});
    let saved = app
        .call(Method::PATCH, "/api/profile/", Some(form), Some(&token))
        .await;
    for (key, value) in [
        ("first_name", json!("Nino")),
        ("last_name", json!("Beridze")),
        ("full_name", json!("Nino Beridze")),
        ("phone_number", json!("+995 555 12 34 56")),
        ("about_me", json!("Backend engineer in Tbilisi.")),
        ("country_region", json!("Georgia")),
        ("city", json!("Tbilisi")),
    ] {
        expected[key] = value;
    }
    expected["social_links"]["github"] = json!("https://github.com/nino");
    expected["social_links"]["linkedin"] = json!("https://www.linkedin.com/in/nino");
    saved.assert(StatusCode::OK, expected.clone());
    // After a reload the name is still there, and the other products see the same account.
    app.get("/api/profile/", Some(&token))
        .await
        .assert(StatusCode::OK, expected.clone());
    let row = app.user(user.id).await;
    assert_eq!(
        (
            row.bio.as_str(),
            row.city.as_str(),
            row.country_region.as_str()
        ),
        ("Backend engineer in Tbilisi.", "Tbilisi", "Georgia")
    );

    // A form that leaves a network out removes its link; an empty phone clears the phone.
    let fewer = json!({"social_links": {"linkedin": "https://www.linkedin.com/in/nino"}, "phone_number": ""});
    let fewer = app
        .call(Method::PUT, "/api/profile/", Some(fewer), Some(&token))
        .await;
    let fewer = fewer.assert_status(StatusCode::OK);
    assert_eq!(
        (
            &fewer["social_links"]["github"],
            &fewer["phone_number"],
            &fewer["city"]
        ),
        (&Value::Null, &Value::Null, &json!("Tbilisi"))
    );
}

#[tokio::test]
async fn profile_refusals_name_each_field_and_change_nothing() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let before = app.get("/api/profile/", Some(&token)).await.json;
    let bad_form = json!({"email": "someone-else@breneo.ge", "phone_number": "call me",
        "first_name": "N".repeat(151), "city": "Tbilisi",
        "social_links": {"github": "javascript:alert(1)", "myspace": "https://myspace.com/nino"}});
    app.call(Method::PATCH, "/api/profile/", Some(bad_form), Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({
                "email": ["The email address cannot be changed here."],
                "first_name": ["Ensure this field has no more than 150 characters."],
                "phone_number": ["Enter a valid phone number."],
                "social_links": ["Enter a valid URL for github.", "\"myspace\" is not a supported network."]
            }),
        );
    app.multipart_as(
        Method::PATCH,
        "/api/profile/",
        &[("profile_image", Some("notes.png"), b"not an image at all")],
        Some(&token),
    )
    .await
    .assert_status(StatusCode::BAD_REQUEST);
    app.get("/api/profile/", Some(&token))
        .await
        .assert(StatusCode::OK, before);
    assert_eq!(crate::gan7club::stored(&app), Vec::<String>::new());
    app.get("/api/profile/", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_photo_is_cleaned_stored_replaced_and_removed() {
    let app = TestApp::new().await;
    let user = app.seed_user("nino@breneo.ge").await;
    let token = app.access_token(user.id);
    let photo = crate::gan7club::photo(1600, 1200);
    let uploaded = app
        .multipart_as(
            Method::PATCH,
            "/api/profile/",
            &[
                ("profile_image", Some("me.jpg"), &photo),
                ("city", None, b"Batumi"),
            ],
            Some(&token),
        )
        .await;
    let uploaded = uploaded.assert_status(StatusCode::OK).clone();
    let keys = crate::gan7club::stored(&app);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with("profile_images/"), "{keys:?}");
    let url = uploaded["profile_image"].as_str().unwrap();
    assert!(url.starts_with("http") && url.ends_with(&keys[0]), "{url}");
    assert_eq!(uploaded["city"], "Batumi");
    // Stored re-encoded: at most 1024 px a side, the GPS tag gone.
    let bytes = std::fs::read(app.state.config.data_dir.join("media").join(&keys[0])).unwrap();
    let image = image::load_from_memory(&bytes).unwrap();
    assert_eq!((image.width(), image.height()), (1024, 768));
    assert!(!bytes.windows(11).any(|w| w == b"GPSLatitude"));
    // The public profile shows it too.
    let public = app
        .get(&format!("/api/users/{}/profile/", user.id), None)
        .await;
    assert_eq!(public.json["profile_image"], uploaded["profile_image"]);

    // A new photo replaces the old file; `null` removes it.
    let again = app
        .multipart_as(
            Method::PATCH,
            "/api/profile/",
            &[(
                "profile_image",
                Some("me2.jpg"),
                &crate::gan7club::photo(300, 300),
            )],
            Some(&token),
        )
        .await;
    again.assert_status(StatusCode::OK);
    let replaced = crate::gan7club::stored(&app);
    assert_eq!(replaced.len(), 1);
    assert_ne!(replaced, keys);
    app.call(
        Method::PATCH,
        "/api/profile/",
        Some(json!({"profile_image": null})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    assert_eq!(crate::gan7club::stored(&app), Vec::<String>::new());
    assert_eq!(app.user(user.id).await.profile_image_key, None);
}

#[tokio::test]
async fn the_subscription_gate_reads_careerhubs_subscriptions() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("nino@breneo.ge").await.id);
    let user_id = app.seed_user("paid@breneo.ge").await.id;
    let paid = app.access_token(user_id);
    let free = json!({"is_active": false, "plan": "free", "plan_name": "Free Plan", "ends_at": null,
                      "next_payment_date": null, "card_mask": null, "card_type": null});
    app.get("/api/me/subscription/", Some(&token))
        .await
        .assert(StatusCode::OK, free.clone());
    let ends = app.state.clock.now_utc() + chrono::Duration::days(30);
    subscription::grant(
        app.state.db.writer(),
        user_id,
        SubscriptionTier::Pro,
        Some(ends),
    )
    .await
    .unwrap();
    app.state.accounts.forget(user_id);
    let pro = app.get("/api/me/subscription/", Some(&paid)).await;
    let pro = pro.assert_status(StatusCode::OK).clone();
    assert_eq!(
        pro,
        json!({"is_active": true, "plan": "pro", "plan_name": "Pro Plan", "ends_at": pro["ends_at"],
               "next_payment_date": null, "card_mask": null, "card_type": null})
    );
    let stored_end =
        chrono::DateTime::parse_from_rfc3339(pro["ends_at"].as_str().unwrap()).unwrap();
    assert!((stored_end.timestamp() - ends.timestamp()).abs() <= 1);
    // Past its end the gate closes again.
    app.state
        .clock
        .advance(std::time::Duration::from_secs(31 * 86_400));
    app.get("/api/me/subscription/", Some(&paid))
        .await
        .assert(StatusCode::OK, free);
    app.get("/api/me/subscription/", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}
