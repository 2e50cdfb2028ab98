//! Gan7Club: registration by kind, the profile routes' exact bodies and 403 rules, the picture
//! lifecycle (validated first, re-encoded with a thumbnail, old objects gone, concurrent uploads,
//! local and S3), the score, subscriptions, and the account lifecycle (export, deletion, sweep).

use std::io::Cursor;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use careerhub::accounts::user::{AccountKind, SubscriptionTier};
use careerhub::storage::StorageConfig;
use careerhub::talent::subscription;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp};

fn photo(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 40])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    // An EXIF segment with a GPS tag, as phones write it.
    let mut payload = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 48.8584 N".to_vec();
    payload.resize(64, 0);
    let mut tagged = out[..2].to_vec();
    tagged.extend_from_slice(&[0xFF, 0xE1]);
    tagged.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    tagged.extend_from_slice(&payload);
    tagged.extend_from_slice(&out[2..]);
    tagged
}

/// Every stored object under the local media directory, by key.
fn stored(app: &TestApp) -> Vec<String> {
    let root = app.state.config.data_dir.join("media");
    let mut keys = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                dirs.push(entry.path());
            } else {
                keys.push(
                    entry
                        .path()
                        .strip_prefix(&root)
                        .unwrap()
                        .display()
                        .to_string(),
                );
            }
        }
    }
    keys.sort();
    keys
}

async fn post_picture(
    app: &TestApp,
    token: &str,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> crate::helpers::TestResponse {
    app.multipart(path, &[("profile_picture", Some(name), bytes)], Some(token))
        .await
}

/// A new profile's whole body; `named` when the account has a first and last name.
fn fresh_profile(id: i64, email: &str, account_type: &str, named: bool) -> Value {
    let (completion, last_tip) = if named {
        (8, "Add your gender (+6 points)")
    } else {
        (0, "Add your first and last name (+8 points)")
    };
    json!({
        "profile": {"id": id, "email": email, "username": email, "profile_picture": null,
                    "profile_picture_thumbnail": null, "country": "", "date_of_birth": null, "gender": "",
                    "account_type": account_type, "profile_score": 5 + completion},
        "profile_score": {"total": 5 + completion, "account_tier": 5, "profile_completion": completion, "item_diversity": 0,
            "item_quantity": 0,
            "details": {"completed_fields": {"profile_picture": false, "country": false, "date_of_birth": false,
                                             "gender": false, "name": named},
                        "items": {"work_experiences": 0, "educations": 0, "skills": 0, "projects": 0, "portfolios": 0,
                                  "resumes": 0, "assets": 0, "job_applications": 0},
                        "plan": "free"},
            "improvement_tips": ["Upgrade your plan for a higher account tier score",
                                 "Add a profile picture (+10 points)", "Add your country (+8 points)",
                                 "Add your date of birth (+8 points)", last_tip]},
        "subscription_status": {"has_subscription": false, "can_access_features": true,
                                "message": "No active subscription. You are on the free plan.", "subscription": null},
        "restrictions": {"plan": "free", "max_portfolios": 1, "max_resumes": 1, "ai_text_credits": 10, "ai_image_credits": 3},
    })
}

#[tokio::test]
async fn registration_chooses_the_kind_and_the_profile_exists_from_the_start() {
    let app = TestApp::new().await;
    let response = app
        .post(
            "/api/register/",
            json!({"email": "Talia@Example.com", "password": "Sturdy-Pass-42", "first_name": "Talia", "last_name": "Stone", "account_type": "talent"}),
        )
        .await;
    let body = response.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        body,
        json!({"refresh": body["refresh"], "access": body["access"], "id": body["id"], "email": "talia@example.com",
               "first_name": "Talia", "last_name": "Stone", "is_talent": true, "is_background": false,
               "is_staff": false, "email_verified": false})
    );
    let token = body["access"].as_str().unwrap();
    let profile = app.get("/api/profile/talent/", Some(token)).await;
    let expected = fresh_profile(
        body["id"].as_i64().unwrap(),
        "talia@example.com",
        "talent",
        true,
    );
    profile.assert(StatusCode::OK, expected);

    app.post(
        "/api/register",
        json!({"email": "x@example.com", "password": "Sturdy-Pass-42", "account_type": "user"}),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"account_type": ["\"user\" is not a valid choice."]}),
    );
    app.post(
        "/api/register",
        json!({"email": "x@example.com", "password": "Sturdy-Pass-42"}),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"account_type": ["This field is required."]}),
    );
}

#[tokio::test]
async fn the_profile_routes_answer_403_for_missing_tokens_bad_tokens_and_the_other_kind() {
    let app = TestApp::new().await;
    let background = app
        .seed_user_of_kind("bg@example.com", AccountKind::Background)
        .await;
    let talent = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let bg_token = app.access_token(background.id);
    app.get("/api/profile/background/", None).await.assert(
        StatusCode::FORBIDDEN,
        json!({"detail": "Authentication credentials were not provided."}),
    );
    let bad = app.get("/api/profile/background/", Some("not-a-jwt")).await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    assert_eq!(bad.json["code"], "token_not_valid");
    let denied = json!({"detail": "You do not have permission to perform this action."});
    app.get("/api/profile/talent/", Some(&bg_token))
        .await
        .assert(StatusCode::FORBIDDEN, denied.clone());
    app.call(
        Method::POST,
        "/api/profile/background/",
        Some(json!({"country": "Peru"})),
        Some(&app.access_token(talent.id)),
    )
    .await
    .assert(StatusCode::FORBIDDEN, denied);
    // The kind header is accepted, never required.
    let request = axum::http::Request::builder()
        .uri("/api/profile/background/")
        .header("authorization", format!("Bearer {bg_token}"))
        .header("is-background", "true")
        .body(axum::body::Body::empty())
        .unwrap();
    app.request(request).await.assert(
        StatusCode::OK,
        fresh_profile(background.id, "bg@example.com", "back_ground_jobs", false),
    );
}

#[tokio::test]
async fn fields_update_and_bad_input_is_refused_with_nothing_stored() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("bg@example.com", AccountKind::Background)
        .await;
    let token = app.access_token(user.id);
    let path = "/api/profile/background/?partial=true";
    let updated = app
        .multipart(
            path,
            &[
                ("country", None, b"Canada"),
                ("gender", None, b"female"),
                ("date_of_birth", None, b"1985-05-15"),
            ],
            Some(&token),
        )
        .await;
    let body = updated.assert_status(StatusCode::OK).clone();
    assert_eq!(
        body,
        json!({"message": "Background profile updated successfully",
               "profile": {"id": user.id, "email": "bg@example.com", "username": "bg@example.com",
                           "profile_picture": null, "profile_picture_thumbnail": null, "country": "Canada",
                           "date_of_birth": "1985-05-15", "gender": "Female", "account_type": "back_ground_jobs",
                           "profile_score": 5 + 8 + 8 + 6}})
    );

    let png = {
        let mut out = Vec::new();
        DynamicImage::new_rgb8(16, 16)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    };
    let mut gifar = {
        let mut out = Vec::new();
        DynamicImage::new_rgb8(16, 16)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Gif)
            .unwrap();
        out
    };
    gifar.extend_from_slice(b"PK\x03\x04rest-of-zip PK\x05\x06\0\0\0\0\x01\0\x01\0");
    let mut bomb = png.clone();
    bomb[16..20].copy_from_slice(&10_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&5_000u32.to_be_bytes());
    let mut huge = photo(8, 8);
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let invalid =
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";
    let cases: Vec<(&str, Vec<u8>, Value)> = vec![
        (
            "notes.jpg",
            b"hello".to_vec(),
            json!({"profile_picture": [invalid]}),
        ),
        (
            "cut.jpg",
            photo(64, 64)[..300].to_vec(),
            json!({"profile_picture": [invalid]}),
        ),
        (
            "photo.jpg",
            png.clone(),
            json!({"profile_picture": ["The file's name or type says JPEG but its content is PNG."]}),
        ),
        ("bomb.png", bomb, json!({"profile_picture": [invalid]})),
        (
            "huge.jpg",
            huge,
            json!({"profile_picture": ["The image is larger than the 10 MB limit."]}),
        ),
        (
            "gifar.gif",
            gifar,
            json!({"profile_picture": ["The file holds more than an image (for example an archive appended to it)."]}),
        ),
    ];
    for (name, bytes, error) in cases {
        post_picture(&app, &token, path, name, &bytes)
            .await
            .assert(StatusCode::BAD_REQUEST, error);
    }
    app.multipart(path, &[("gender", None, b"Alien")], Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"gender": ["\"Alien\" is not a valid choice."]}),
        );
    app.multipart(path, &[("country", None, &[b'x'; 26][..])], Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"country": ["Ensure this field has no more than 25 characters."]}),
        );
    app.multipart(path, &[("nickname", None, b"Bee")], Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"non_field_errors": ["At least one field must be provided for update."]}),
        );
    assert!(stored(&app).is_empty(), "{:?}", stored(&app));
    let unchanged = app.get("/api/profile/background/", Some(&token)).await.json;
    assert_eq!(unchanged["profile"]["gender"], "Female");
}

#[tokio::test]
async fn a_new_picture_replaces_the_old_objects_with_a_clean_picture_and_thumbnail() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let token = app.access_token(user.id);
    let first = post_picture(
        &app,
        &token,
        "/api/profile/talent/",
        "me.jpg",
        &photo(2000, 1000),
    )
    .await;
    let profile = first.assert_status(StatusCode::OK)["profile"].clone();
    let picture = profile["profile_picture"].as_str().unwrap().to_owned();
    let thumbnail = profile["profile_picture_thumbnail"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        picture.starts_with("http://testserver/media/profile_pictures/"),
        "{picture}"
    );
    assert!(
        thumbnail.starts_with("http://testserver/media/profile_pictures/thumbnails/"),
        "{thumbnail}"
    );
    let first_objects = stored(&app);
    assert_eq!(first_objects.len(), 2);
    for (link, side) in [(&picture, 1024), (&thumbnail, 256)] {
        let served = app.get(&link["http://testserver".len()..], None).await;
        assert_eq!(served.status, StatusCode::OK);
        let path = app
            .state
            .config
            .data_dir
            .join("media")
            .join(&link["http://testserver/media/".len()..]);
        let bytes = std::fs::read(path).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "EXIF survived in {link}"
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (side, side / 2));
    }
    let second = post_picture(
        &app,
        &token,
        "/api/profile/talent/",
        "me2.jpg",
        &photo(300, 300),
    )
    .await;
    second.assert_status(StatusCode::OK);
    let second_objects = stored(&app);
    assert_eq!(second_objects.len(), 2);
    assert!(
        second_objects
            .iter()
            .all(|key| !first_objects.contains(key)),
        "old objects remain"
    );
}

#[tokio::test]
async fn concurrent_uploads_leave_exactly_one_picture_and_no_stray_objects() {
    let app = Arc::new(TestApp::new().await);
    let user = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let token = app.access_token(user.id);
    let uploads = (0..6).map(|i| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move {
            let response = post_picture(
                &app,
                &token,
                "/api/profile/talent/",
                "me.jpg",
                &photo(64 + i, 64),
            )
            .await;
            (response.status, response.json)
        })
    });
    let results: Vec<(StatusCode, Value)> = futures::future::join_all(uploads)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    for (status, body) in &results {
        match *status {
            StatusCode::OK => {}
            StatusCode::CONFLICT => assert_eq!(
                body,
                &json!({"detail": "The profile picture was changed by another request at the same time. Reload and try again."})
            ),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(results.iter().any(|(s, _)| *s == StatusCode::OK));
    let profile = app.get("/api/profile/talent/", Some(&token)).await.json["profile"].clone();
    let objects = stored(&app);
    assert_eq!(objects.len(), 2, "{objects:?}");
    let picture = profile["profile_picture"].as_str().unwrap();
    assert!(
        objects.iter().any(|key| picture.ends_with(key.as_str())),
        "{picture} {objects:?}"
    );
}

#[tokio::test]
async fn pictures_on_an_s3_compatible_server_replace_the_old_objects() {
    let s3 = crate::storage::new_bucket().await;
    let app = TestApp::with_config(|c| c.storage = StorageConfig::S3(s3)).await;
    let user = app
        .seed_user_of_kind("bg@example.com", AccountKind::Background)
        .await;
    let token = app.access_token(user.id);
    let key_of = |body: &Value, field: &str| {
        let link = body["profile"][field].as_str().unwrap();
        format!(
            "background_profile_pictures/{}",
            link.split_once("/background_profile_pictures/").unwrap().1
        )
    };
    let first = post_picture(
        &app,
        &token,
        "/api/profile/background/",
        "a.jpg",
        &photo(100, 100),
    )
    .await
    .json;
    let old = [
        key_of(&first, "profile_picture"),
        key_of(&first, "profile_picture_thumbnail"),
    ];
    for key in &old {
        assert!(app.state.storage.exists(key).await.unwrap(), "{key}");
    }
    let second = post_picture(
        &app,
        &token,
        "/api/profile/background/",
        "b.jpg",
        &photo(120, 100),
    )
    .await
    .json;
    for key in &old {
        assert!(
            !app.state.storage.exists(key).await.unwrap(),
            "{key} was not deleted"
        );
    }
    let new_thumbnail = key_of(&second, "profile_picture_thumbnail");
    assert!(app.state.storage.exists(&new_thumbnail).await.unwrap());
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

#[tokio::test]
async fn export_holds_everything_and_deletion_removes_rows_and_files() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let other = app.seed_user("other@example.com").await;
    let token = app.access_token(user.id);
    post_picture(
        &app,
        &token,
        "/api/profile/talent/",
        "me.jpg",
        &photo(40, 40),
    )
    .await
    .assert_status(StatusCode::OK);
    crate::resumes::upload(&app, &token, "cv.docx", crate::resumes::DOCX).await;
    app.call(
        Method::POST,
        "/api/projects/",
        Some(json!({"title": "Ray tracer"})),
        Some(&token),
    )
    .await;
    app.call(
        Method::POST,
        "/api/work-experiences/",
        Some(json!({"job_title": "Engineer", "company": "Acme", "start_date": "2020"})),
        Some(&token),
    )
    .await;
    let other_resume = crate::resumes::upload(
        &app,
        &app.access_token(other.id),
        "cv.docx",
        crate::resumes::DOCX,
    )
    .await;

    let export = app.get("/api/me/export/", Some(&token)).await;
    let export = export.assert_status(StatusCode::OK).clone();
    assert_eq!(export["account"]["email"], "tal@example.com");
    assert_eq!(export["breneo"]["work_experiences"][0]["company"], "Acme");
    assert_eq!(export["grooya"]["projects"][0]["title"], "Ray tracer");
    assert_eq!(export["jobtracker"]["resumes"].as_array().unwrap().len(), 1);
    assert!(
        export["jobtracker"]["resumes"][0]["file"]
            .as_str()
            .unwrap()
            .contains("/media/resumes/")
    );
    assert!(
        export["gan7club"]["profile"]["profile_picture"]
            .as_str()
            .unwrap()
            .contains("/media/profile_pictures/")
    );
    assert!(!export.to_string().contains("other@example.com"));
    assert_eq!(stored(&app).len(), 4);

    app.call(
        Method::DELETE,
        "/api/auth/user/",
        Some(json!({"password": "wrong"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"password": ["Incorrect password."]}),
    );
    app.call(
        Method::DELETE,
        "/api/auth/user/",
        Some(json!({"password": PASSWORD})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    assert_eq!(app.user_count().await, 1);
    let left = stored(&app);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(other_resume["file"].as_str().unwrap().contains(&left[0]));
    app.get("/api/me/export/", Some(&token))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    for table in [
        "gan7_profiles",
        "resumes",
        "projects",
        "work_experiences",
        "user_skills",
    ] {
        use sea_orm::{ConnectionTrait, Statement};
        let backend = app.state.db.backend();
        let row = app
            .state
            .db
            .reader()
            .query_one_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT COUNT(*) AS n FROM {table} WHERE user_id = {}",
                    user.id
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        assert_eq!(n, 0, "{table}");
    }
}

#[tokio::test]
async fn the_sweep_deletes_old_unreferenced_files_only() {
    let app = TestApp::new().await;
    let user = app
        .seed_user_of_kind("tal@example.com", AccountKind::Talent)
        .await;
    let token = app.access_token(user.id);
    post_picture(
        &app,
        &token,
        "/api/profile/talent/",
        "me.jpg",
        &photo(40, 40),
    )
    .await
    .assert_status(StatusCode::OK);
    let media = app.state.config.data_dir.join("media");
    let orphan = media.join("profile_pictures").join("orphan.jpg");
    let fresh_orphan = media.join("profile_pictures").join("fresh.jpg");
    std::fs::write(&orphan, b"left behind").unwrap();
    std::fs::write(&fresh_orphan, b"being written").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    // The referenced picture is old too: age alone never deletes.
    for key in stored(&app)
        .iter()
        .filter(|k| !k.ends_with("orphan.jpg") && !k.ends_with("fresh.jpg"))
    {
        std::fs::File::options()
            .write(true)
            .open(media.join(key))
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    let deleted = careerhub::talent::lifecycle::sweep_orphans(&app.state)
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    let left = stored(&app);
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(!left.iter().any(|k| k.ends_with("orphan.jpg")));
}
