//! Gan7Club's profiles: the routes' exact bodies and 403 rules, the fields the forms edit, the
//! picture lifecycle (validated first, re-encoded with a thumbnail, old objects gone, concurrent
//! uploads, local and S3), the score and subscriptions.

use std::io::Cursor;
use std::sync::Arc;

use axum::http::{Method, StatusCode};
use careerhub::accounts::user::AccountKind;
use careerhub::storage::StorageConfig;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub fn photo(width: u32, height: u32) -> Vec<u8> {
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
pub fn stored(app: &TestApp) -> Vec<String> {
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

pub async fn post_picture(
    app: &TestApp,
    token: &str,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> crate::helpers::TestResponse {
    app.multipart(path, &[("profile_picture", Some(name), bytes)], Some(token))
        .await
}

/// The profile fields as both the top level and `profile` carry them.
pub fn fields(id: i64, email: &str, account_type: &str, (first, last): (&str, &str)) -> Value {
    let full = [first, last]
        .iter()
        .filter(|n| !n.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    json!({"id": id, "email": email, "username": email, "first_name": first, "last_name": last,
           "full_name": full, "email_verified": false, "is_verified": false,
           "profile_picture": null, "profile_picture_thumbnail": null, "country": "",
           "residency": "", "city": "", "phone": "", "aboutyou": "", "date_of_birth": null,
           "gender": "", "account_type": account_type})
}

/// Sets a profile field where the answer carries it: the top level and `profile`.
pub fn set_both(body: &mut Value, key: &str, value: Value) {
    body["profile"][key] = value.clone();
    body[key] = value;
}

/// A new free profile's whole body, for an account with or without a first and last name.
pub fn fresh_profile(id: i64, email: &str, account_type: &str, names: (&str, &str)) -> Value {
    let named = !names.0.is_empty() && !names.1.is_empty();
    let (completion, filled, last_tip, last_tip_ar) = if named {
        (8, 1, "Add your gender (+6 points)", "أضف جنسك (+6 نقاط)")
    } else {
        (
            0,
            0,
            "Add your first and last name (+8 points)",
            "أضف اسمك الأول واسم العائلة (+8 نقاط)",
        )
    };
    let fields = fields(id, email, account_type, names);
    let mut profile = fields.clone();
    profile["profile_score"] = json!(5 + completion);
    let mut body = fields;
    body["profile"] = profile;
    body["profile_score"] = json!({
        "total": 5 + completion, "account_tier": 5, "profile_completion": completion,
        "item_diversity": 0, "item_quantity": 0, "completion_percentage": completion * 100 / 40,
        "details": {
            "account_tier": "Free plan: 5 of 25 points.",
            "profile_completion": format!("{filled} of 5 profile fields filled: {completion} of 40 points."),
            "item_diversity": "0 kinds of items across the products: 0 of 20 points.",
            "item_quantity": "0 items in all: 0 of 15 points."
        },
        "details_ar": {
            "account_tier": "الخطة المجانية: 5 من 25 نقطة.",
            "profile_completion": format!("{filled} من 5 حقول مكتملة: {completion} من 40 نقطة."),
            "item_diversity": "0 أنواع من العناصر عبر المنتجات: 0 من 20 نقطة.",
            "item_quantity": "0 عنصرًا إجمالًا: 0 من 15 نقطة."
        },
        "improvement_tips": ["Upgrade your plan for a higher account tier score",
                             "Add a profile picture (+10 points)", "Add your country (+8 points)",
                             "Add your date of birth (+8 points)", last_tip],
        "improvement_tips_ar": ["رقِّ خطتك لتحصل على درجة أعلى في فئة الحساب",
                                "أضف صورة شخصية (+10 نقاط)", "أضف بلدك (+8 نقاط)",
                                "أضف تاريخ ميلادك (+8 نقاط)", last_tip_ar],
        "completed_fields": {"profile_picture": false, "country": false, "date_of_birth": false,
                             "gender": false, "name": named},
        "items": {"work_experiences": 0, "educations": 0, "skills": 0, "projects": 0, "portfolios": 0,
                  "resumes": 0, "assets": 0, "job_applications": 0},
        "plan": "free"
    });
    body["subscription_status"] = json!({"has_subscription": false, "can_access_features": true,
        "tier": "free", "message": "No active subscription. You are on the free plan.",
        "subscription": null});
    body["restrictions"] = json!({"plan": "free", "can_access_features": true, "is_restricted": false,
        "subscription_required": false, "max_portfolios": 1, "max_resumes": 1,
        "ai_text_credits": 10, "ai_image_credits": 3});
    body
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
        fresh_profile(
            background.id,
            "bg@example.com",
            "back_ground_jobs",
            ("", ""),
        ),
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
    let mut expected = fresh_profile(user.id, "bg@example.com", "back_ground_jobs", ("", ""));
    set_both(&mut expected, "country", json!("Canada"));
    set_both(&mut expected, "gender", json!("Female"));
    set_both(&mut expected, "date_of_birth", json!("1985-05-15"));
    let total = 5 + 8 + 8 + 6;
    expected["profile"]["profile_score"] = json!(total);
    let score = &mut expected["profile_score"];
    score["total"] = json!(total);
    score["profile_completion"] = json!(22);
    score["completion_percentage"] = json!(55);
    score["details"]["profile_completion"] =
        json!("3 of 5 profile fields filled: 22 of 40 points.");
    score["details_ar"]["profile_completion"] = json!("3 من 5 حقول مكتملة: 22 من 40 نقطة.");
    score["improvement_tips"] = json!([
        "Upgrade your plan for a higher account tier score",
        "Add a profile picture (+10 points)",
        "Add your first and last name (+8 points)",
        "Add a work experience (+3 points)",
        "Add your education (+3 points)"
    ]);
    score["improvement_tips_ar"] = json!([
        "رقِّ خطتك لتحصل على درجة أعلى في فئة الحساب",
        "أضف صورة شخصية (+10 نقاط)",
        "أضف اسمك الأول واسم العائلة (+8 نقاط)",
        "أضف خبرة عمل (+3 نقاط)",
        "أضف تعليمك (+3 نقاط)"
    ]);
    for field in ["country", "date_of_birth", "gender"] {
        score["completed_fields"][field] = json!(true);
    }
    expected["message"] = json!("Background profile updated successfully");
    assert_eq!(body, expected);

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
