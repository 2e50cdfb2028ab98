//! Grooya's image assets (validated and re-encoded before storage, deleted from storage with
//! their row, on the local directory and a real S3-compatible server) and AI generation paid in
//! credits against a local server speaking the OpenAI-compatible protocol.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use careerhub::ai::AiConfig;
use careerhub::config::Secret;
use careerhub::storage::StorageConfig;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_server};

pub fn encoded(format: ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 7) as u8, (y * 5) as u8, 90])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), format)
        .unwrap();
    out
}

/// A JPEG carrying an EXIF segment with GPS-looking text, as phones write them.
fn jpeg_with_exif() -> Vec<u8> {
    let jpeg = encoded(ImageFormat::Jpeg, 64, 48);
    let mut payload = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 48.8584 N".to_vec();
    payload.resize(64, 0);
    let length = (payload.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A small PNG whose header claims `width`×`height`: a decompression bomb's shape.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = encoded(ImageFormat::Png, 8, 8);
    // IHDR data starts at byte 16 (8 signature + 4 length + 4 type), CRC after its 13 bytes.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

async fn upload(
    app: &TestApp,
    token: &str,
    name: &str,
    bytes: &[u8],
) -> crate::helpers::TestResponse {
    app.multipart(
        "/api/assets/",
        &[("file", Some(name), bytes), ("prompt", None, b"")],
        Some(token),
    )
    .await
}

fn stored_assets(app: &TestApp) -> Vec<Vec<u8>> {
    let dir = app.state.config.data_dir.join("media").join("assets");
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| std::fs::read(e.path()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn images_of_every_format_are_stored_re_encoded_without_metadata() {
    let app = TestApp::new().await;
    let user = app.seed_user("jane@example.com").await;
    let token = app.access_token(user.id);
    for (name, bytes, content_type) in [
        ("photo.jpg", jpeg_with_exif(), "image/jpeg"),
        ("logo.png", encoded(ImageFormat::Png, 40, 30), "image/png"),
        ("anim.gif", encoded(ImageFormat::Gif, 40, 30), "image/png"),
        ("pic.webp", encoded(ImageFormat::WebP, 40, 30), "image/png"),
        // The name lies; the content decides.
        (
            "actually-a-png.jpg",
            encoded(ImageFormat::Png, 40, 30),
            "image/png",
        ),
    ] {
        let response = upload(&app, &token, name, &bytes).await;
        let body = response.assert_status(StatusCode::CREATED).clone();
        let file = body["file"].as_str().unwrap();
        assert_eq!(
            body,
            json!({"id": body["id"], "url": file, "file": file, "prompt": "", "content_type": content_type,
                   "width": body["width"], "height": body["height"], "size": body["size"],
                   "createdAt": body["createdAt"], "created_at": body["created_at"]}),
            "{name}"
        );
        let served = app.get(&file["http://testserver".len()..], None).await;
        assert_eq!(served.status, StatusCode::OK, "{name}");
        assert_eq!(served.header("content-type"), Some(content_type));
    }
    let stored = stored_assets(&app);
    assert_eq!(stored.len(), 5);
    for bytes in &stored {
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF survived");
        assert!(
            !bytes.windows(11).any(|w| w == b"GPSLatitude"),
            "GPS survived"
        );
    }
    let listed = app.get("/api/assets", Some(&token)).await.json;
    assert_eq!(listed.as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn bad_images_are_refused_with_nothing_stored() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("jane@example.com").await.id);
    let png = encoded(ImageFormat::Png, 40, 30);
    let mut gifar = encoded(ImageFormat::Gif, 20, 20);
    gifar
        .extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0payload.class PK\x05\x06\0\0\0\0\x01\0\x01\0");
    let mut too_big = png.clone();
    too_big.resize(10 * 1024 * 1024 + 1, 0);
    let invalid =
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";
    for (name, bytes, message) in [
        ("notes.png", b"just some text".to_vec(), invalid.to_owned()),
        ("cut.png", png[..png.len() / 2].to_vec(), invalid.to_owned()),
        ("doc.png", include_bytes!("../fixtures/resume-libreoffice.pdf").to_vec(), invalid.to_owned()),
        ("bomb.png", png_claiming(50_000, 50_000), "The image is 50000\u{d7}50000 pixels; the limit is 40 megapixels and 12000 pixels a side.".to_owned()),
        ("wide.png", png_claiming(9_000, 6_000), "The image is 9000\u{d7}6000 pixels; the limit is 40 megapixels and 12000 pixels a side.".to_owned()),
        ("gifar.gif", gifar, "The file holds more than an image (for example an archive appended to it).".to_owned()),
        ("huge.png", too_big, "The image is larger than the 10 MB limit.".to_owned()),
    ] {
        upload(&app, &token, name, &bytes)
            .await
            .assert(StatusCode::BAD_REQUEST, json!({"file": [message]}));
    }
    app.multipart("/api/assets/", &[("prompt", None, b"a cat")], Some(&token))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"file": ["No file was submitted."]}),
        );
    assert!(stored_assets(&app).is_empty());
    app.get("/api/assets", Some(&token))
        .await
        .assert(StatusCode::OK, json!([]));
}

#[tokio::test]
async fn deleting_an_asset_removes_its_file_and_others_cannot() {
    let app = TestApp::new().await;
    let owner = app.access_token(app.seed_user("jane@example.com").await.id);
    let other = app.access_token(app.seed_user("bob@example.com").await.id);
    let asset = upload(&app, &owner, "logo.png", &encoded(ImageFormat::Png, 10, 10))
        .await
        .json;
    let path = format!("/api/assets/{}/", crate::helpers::id_of(&asset));
    app.call(Method::DELETE, &path, None, Some(&other))
        .await
        .assert(
            StatusCode::NOT_FOUND,
            json!({"detail": "No PortfolioAsset matches the given query."}),
        );
    assert_eq!(stored_assets(&app).len(), 1);
    app.call(Method::DELETE, &path, None, Some(&owner))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    assert!(stored_assets(&app).is_empty());
    let file = asset["file"].as_str().unwrap();
    assert_eq!(
        app.get(&file["http://testserver".len()..], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn assets_on_an_s3_compatible_server_are_really_deleted() {
    let s3 = crate::storage::new_bucket().await;
    let storage_config = StorageConfig::S3(s3);
    let app = TestApp::with_config(|c| c.storage = storage_config).await;
    let token = app.access_token(app.seed_user("jane@example.com").await.id);
    let asset = upload(&app, &token, "logo.png", &encoded(ImageFormat::Png, 10, 10))
        .await
        .json;
    let file = asset["file"].as_str().unwrap().to_owned();
    let key = file
        .split_once("/assets/")
        .map(|(_, k)| format!("assets/{k}"))
        .unwrap();
    assert!(app.state.storage.exists(&key).await.unwrap());
    app.call(
        Method::DELETE,
        &format!("/api/assets/{}", crate::helpers::id_of(&asset)),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    assert!(!app.state.storage.exists(&key).await.unwrap());
}

/// A provider speaking chat completions and image generations; it fails while `failing` is set.
#[derive(Clone, Default)]
struct Provider {
    failing: Arc<AtomicBool>,
    calls: Arc<AtomicUsize>,
}

async fn completions(
    State(provider): State<Provider>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    provider.calls.fetch_add(1, Ordering::SeqCst);
    if provider.failing.load(Ordering::SeqCst) {
        return (StatusCode::BAD_REQUEST, "bad request").into_response();
    }
    let task = body["messages"][0]["content"].as_str().unwrap_or_default();
    let content = if task.contains("hero section") {
        json!({"headline": "Building calm software", "subheadline": "Jane writes Rust."})
    } else {
        json!({"text": "Generated."})
    };
    axum::Json(json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content.to_string()}}]}))
        .into_response()
}

async fn generations(
    State(provider): State<Provider>,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    provider.calls.fetch_add(1, Ordering::SeqCst);
    if provider.failing.load(Ordering::SeqCst) || body["response_format"] != "b64_json" {
        return (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
    }
    let png = encoded(ImageFormat::Png, 32, 32);
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    axum::Json(json!({"created": 1, "data": [{"b64_json": b64}]})).into_response()
}

async fn ai_app() -> (TestApp, Provider) {
    ai_app_with(|_| {}).await
}

async fn ai_app_with(adjust: impl FnOnce(&mut careerhub::config::Config)) -> (TestApp, Provider) {
    let provider = Provider::default();
    let router = Router::new()
        .route("/v1/chat/completions", post(completions))
        .route("/v1/images/generations", post(generations))
        .with_state(provider.clone());
    let base = spawn_server(router).await;
    let app = TestApp::with_config(|c| {
        c.ai = Some(AiConfig {
            base_url: format!("{base}/v1"),
            api_key: Some(Secret::new("sk-test")),
            model: "gpt-4o-mini".into(),
            image_model: "gpt-image-1".into(),
            timeout: Duration::from_secs(5),
            retries: 0,
        });
        adjust(c);
    })
    .await;
    (app, provider)
}

/// A paid (pro) account with this balance, this month's top-up already given.
async fn set_credits(app: &TestApp, user_id: i64, text: i32, image: i32) {
    use careerhub::accounts::user;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let period = careerhub::credits::period(app.state.clock.now_utc());
    user::Entity::update_many()
        .col_expr(user::Column::AiTextCredits, Expr::value(text))
        .col_expr(user::Column::AiImageCredits, Expr::value(image))
        .col_expr(
            user::Column::SubscriptionTier,
            Expr::value(user::SubscriptionTier::Pro),
        )
        .col_expr(user::Column::CreditsPeriod, Expr::value(period))
        .filter(user::Column::Id.eq(user_id))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    app.state.accounts.forget(user_id);
}

#[tokio::test]
async fn without_a_provider_generation_says_how_to_configure_one() {
    let app = TestApp::new().await;
    let user = app.seed_user("jane@example.com").await;
    let token = app.access_token(user.id);
    app.call(Method::POST, "/api/ai/generate-text/", Some(json!({"task": "about", "payload": {}})), Some(&token))
        .await
        .assert(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"detail": "AI generation is not configured on this server. Set AI_API_KEY (and AI_BASE_URL and AI_MODEL for a provider other than Groq) and restart."}),
        );
    assert_eq!(
        app.user(user.id).await.ai_text_credits,
        10,
        "nothing was spent"
    );
}

#[tokio::test]
async fn a_hundred_concurrent_generations_spend_exactly_the_balance() {
    let (app, provider) = ai_app().await;
    let user = app.seed_user("jane@example.com").await;
    set_credits(&app, user.id, 10, 0).await;
    let token = app.access_token(user.id);
    let app = Arc::new(app);
    let calls = (0..100).map(|_| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move {
            app.call(
                Method::POST,
                "/api/ai/generate-text",
                Some(json!({"task": "hero", "payload": {"name": "Jane", "role": "Rust engineer"}})),
                Some(&token),
            )
            .await
        })
    });
    let mut statuses = Vec::new();
    for call in futures::future::join_all(calls).await {
        let response = call.unwrap();
        if response.status == StatusCode::OK {
            assert_eq!(
                response.json["result"],
                json!({"headline": "Building calm software", "subheadline": "Jane writes Rust."})
            );
            assert_eq!(response.json["task"], "hero");
        } else {
            response.assert(
                StatusCode::PAYMENT_REQUIRED,
                json!({"detail": "You have no AI text credits left. Upgrade your plan for more."}),
            );
        }
        statuses.push(response.status);
    }
    let succeeded = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(succeeded, 10);
    assert_eq!(provider.calls.load(Ordering::SeqCst), 10);
    assert_eq!(app.user(user.id).await.ai_text_credits, 0);
}

#[tokio::test]
async fn a_failing_provider_refunds_and_images_become_assets() {
    let (app, provider) = ai_app().await;
    let user = app.seed_user("jane@example.com").await;
    set_credits(&app, user.id, 2, 1).await;
    let token = app.access_token(user.id);
    app.call(
        Method::POST,
        "/api/ai/generate-text",
        Some(json!({"task": "poem"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"task": [format!("\"poem\" is not a valid choice. Choose one of: {}.",
            careerhub::portfolios::tasks::names().join(", "))]}),
    );

    provider.failing.store(true, Ordering::SeqCst);
    app.call(Method::POST, "/api/ai/generate-text", Some(json!({"task": "about", "payload": {"bio": "x"}})), Some(&token))
        .await
        .assert(
            StatusCode::BAD_GATEWAY,
            json!({"detail": "AI generation failed: the AI provider is unavailable (HTTP 400). Your credit was refunded."}),
        );
    app.call(Method::POST, "/api/ai/generate-image", Some(json!({"prompt": "a lighthouse"})), Some(&token))
        .await
        .assert(
            StatusCode::BAD_GATEWAY,
            json!({"detail": "AI generation failed: the AI provider is unavailable (HTTP 500). Your credit was refunded."}),
        );
    let after = app.user(user.id).await;
    assert_eq!((after.ai_text_credits, after.ai_image_credits), (2, 1));

    provider.failing.store(false, Ordering::SeqCst);
    let text = app
        .call(
            Method::POST,
            "/api/ai/generate-text",
            Some(json!({"task": "about", "payload": {"bio": "x"}})),
            Some(&token),
        )
        .await;
    text.assert(
        StatusCode::OK,
        json!({"task": "about", "result": "Generated.", "free_use": false, "ai_text_credits": 1,
            "credits": {"text": 1, "image": 1}}),
    );
    let image = app
        .call(
            Method::POST,
            "/api/ai/generate-image",
            Some(json!({"prompt": "a lighthouse"})),
            Some(&token),
        )
        .await;
    let asset = image.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        (&asset["prompt"], &asset["width"], &asset["content_type"]),
        (&json!("a lighthouse"), &json!(32), &json!("image/png"))
    );
    app.call(
        Method::POST,
        "/api/ai/generate-image",
        Some(json!({"prompt": "again"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::PAYMENT_REQUIRED,
        json!({"detail": "You have no AI image credits left. Upgrade your plan for more."}),
    );
    assert_eq!(
        app.get("/api/assets", Some(&token))
            .await
            .json
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_full_account_keeps_its_image_credit_and_stores_nothing() {
    use careerhub::portfolios::assets::asset;
    use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
    // Smaller than any PNG (its signature and three chunks take 57 bytes).
    let (app, provider) = ai_app_with(|c| c.storage_quota_bytes = 50).await;
    let user = app.seed_user("jane@example.com").await;
    set_credits(&app, user.id, 0, 2).await;
    let token = app.access_token(user.id);
    let generate = || {
        app.call(
            Method::POST,
            "/api/ai/generate-image",
            Some(json!({"prompt": "a lighthouse"})),
            Some(&token),
        )
    };
    let refusal = |used: &str| json!({"detail": format!("This file would take your stored files past your 50 bytes storage quota ({used} used). Delete some resumes or images first.")});

    // The image is made, does not fit, and the credit comes back.
    generate()
        .await
        .assert(StatusCode::BAD_REQUEST, refusal("0 bytes"));
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    assert_eq!(app.user(user.id).await.ai_image_credits, 2);
    assert!(stored_assets(&app).is_empty());

    // Once the account is full, the provider is not even asked.
    asset::ActiveModel {
        user_id: Set(user.id),
        file_key: Set("assets/seeded.png".into()),
        content_type: Set("image/png".into()),
        width: Set(1),
        height: Set(1),
        size: Set(50),
        prompt: Set(String::new()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(app.state.db.writer())
    .await
    .unwrap();
    generate()
        .await
        .assert(StatusCode::BAD_REQUEST, refusal("50 bytes"));
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    assert_eq!(app.user(user.id).await.ai_image_credits, 2);
    assert_eq!(
        asset::Entity::find()
            .count(app.state.db.reader())
            .await
            .unwrap(),
        1
    );
}
