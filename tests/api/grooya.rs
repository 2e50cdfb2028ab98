//! Grooya: portfolios as a DRF ModelViewSet (camelCase aliases in, snake_case out, opaque
//! documents, unique slugs, duplicate), tier entitlements, the cached public page (ETag, 304,
//! unpublish), projects, skills shared with Breneo, resumes shared with JobTracker, and isolation.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use careerhub::accounts::user::{self, SubscriptionTier};
use http_body_util::BodyExt;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::TestApp;
use crate::resumes::{DOCX, upload};

pub async fn set_tier(app: &TestApp, user_id: i64, tier: SubscriptionTier) {
    user::Entity::update_many()
        .col_expr(user::Column::SubscriptionTier, Expr::value(tier))
        .filter(user::Column::Id.eq(user_id))
        .exec(app.state.db.writer())
        .await
        .unwrap();
    app.state.accounts.forget(user_id);
}

fn design() -> Value {
    json!({"theme": "midnight", "palette": {"primary": "#0f172a", "accent": "#38bdf8"}, "fontScale": 1.125})
}

fn pages() -> Value {
    json!([{"id": "home", "name": "Home", "blocks": [
        {"id": "b1", "type": "hero", "content": {"headline": "Hi, I'm Jane", "cta": null}},
        {"id": "b2", "type": "projects", "content": {"items": [1, 2, 3]}}
    ]}])
}

async fn create(app: &TestApp, token: &str, body: Value) -> crate::helpers::TestResponse {
    app.call(Method::POST, "/api/portfolios/", Some(body), Some(token))
        .await
}

#[tokio::test]
async fn a_portfolio_round_trips_its_documents_and_takes_camel_case_input() {
    let app = TestApp::new().await;
    let owner = app.seed_user("jane@example.com").await;
    let token = app.access_token(owner.id);
    let created = create(
        &app,
        &token,
        json!({"title": "Jane Doe", "design": design(), "pages": pages(), "isPublished": true,
               "isGuided": true, "goal": "job", "role": "Frontend Engineer", "id": 999, "user": 12345}),
    )
    .await;
    let body = created.assert_status(StatusCode::CREATED).clone();
    let slug = body["slug"].as_str().unwrap().to_owned();
    assert!(
        slug.starts_with("jane-doe-") && slug.len() == "jane-doe-".len() + 6,
        "{slug}"
    );
    let expected = json!({"id": body["id"], "userId": owner.id.to_string(), "user": owner.id.to_string(),
        "title": "Jane Doe", "slug": slug, "design": design(), "pages": pages(),
        "isPublished": true, "is_published": true, "isGuided": true, "is_guided": true, "goal": "job",
        "role": "Frontend Engineer", "createdAt": body["createdAt"], "updatedAt": body["updatedAt"],
        "created_at": body["created_at"], "updated_at": body["updated_at"]});
    assert_eq!(body, expected);
    let path = format!("/api/portfolios/{}/", crate::helpers::id_of(&body));
    app.get(&path, Some(&token))
        .await
        .assert(StatusCode::OK, expected.clone());
    app.get("/api/portfolios", Some(&token))
        .await
        .assert(StatusCode::OK, json!([expected]));

    // PATCH with the whole object, as the frontend sends it, answers the same id.
    let mut whole = expected.clone();
    whole["title"] = json!("Jane Doe, Engineer");
    whole["pages"] = json!([]);
    let patched = app
        .call(Method::PATCH, &path, Some(whole), Some(&token))
        .await;
    let patched = patched.assert_status(StatusCode::OK);
    assert_eq!(
        (
            &patched["id"],
            &patched["title"],
            &patched["pages"],
            &patched["slug"]
        ),
        (
            &body["id"],
            &json!("Jane Doe, Engineer"),
            &json!([]),
            &json!(slug)
        )
    );
    app.call(Method::DELETE, &path, None, Some(&token))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.get(&path, Some(&token)).await.assert(
        StatusCode::NOT_FOUND,
        json!({"detail": "No Portfolio matches the given query."}),
    );
}

#[tokio::test]
async fn slugs_are_unique_and_bad_fields_are_field_errors() {
    let app = TestApp::new().await;
    let jane = app.seed_user("jane@example.com").await;
    let bob = app.seed_user("bob@example.com").await;
    set_tier(&app, jane.id, SubscriptionTier::Premium).await;
    let (jane_token, bob_token) = (app.access_token(jane.id), app.access_token(bob.id));
    create(&app, &jane_token, json!({"title": "Mine", "slug": "jane"}))
        .await
        .assert_status(StatusCode::CREATED);
    let taken = json!({"slug": ["portfolio with this slug already exists."]});
    create(&app, &bob_token, json!({"title": "Bob", "slug": "jane"}))
        .await
        .assert(StatusCode::BAD_REQUEST, taken.clone());
    let second = create(&app, &jane_token, json!({"title": "Other"}))
        .await
        .json;
    app.call(
        Method::PATCH,
        &format!("/api/portfolios/{}", crate::helpers::id_of(&second)),
        Some(json!({"slug": "jane"})),
        Some(&jane_token),
    )
    .await
    .assert(StatusCode::BAD_REQUEST, taken);
    create(&app, &bob_token, json!({"slug": "has space", "goal": "fame", "design": null}))
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"title": ["This field is required."],
                   "slug": ["Enter a valid \u{201c}slug\u{201d} consisting of letters, numbers, underscores or hyphens."],
                   "goal": ["\"fame\" is not a valid choice."],
                   "design": ["This field may not be null."]}),
        );
    let big = json!([{"blocks": "x".repeat(2 * 1024 * 1024 + 10)}]);
    create(&app, &bob_token, json!({"title": "Big", "pages": big}))
        .await
        .assert(
            StatusCode::PAYLOAD_TOO_LARGE,
            json!({"detail": "A portfolio's design, pages and other fields may not exceed 2 MB together."}),
        );
    app.get("/api/portfolios", Some(&bob_token))
        .await
        .assert(StatusCode::OK, json!([]));
}

#[tokio::test]
async fn tiers_limit_portfolios_and_resumes_and_duplicates_count() {
    let app = TestApp::new().await;
    let user = app.seed_user("jane@example.com").await;
    let token = app.access_token(user.id);
    let first = create(
        &app,
        &token,
        json!({"title": "One", "slug": "one", "isPublished": true}),
    )
    .await
    .json;
    create(&app, &token, json!({"title": "Two"})).await.assert(
        StatusCode::FORBIDDEN,
        json!({"detail": "Your Free plan allows 1 portfolio. Upgrade to Starter for up to 3 portfolios."}),
    );
    let duplicate = format!(
        "/api/portfolios/{}/duplicate/",
        crate::helpers::id_of(&first)
    );
    app.call(Method::POST, &duplicate, None, Some(&token))
        .await
        .assert_status(StatusCode::FORBIDDEN);

    set_tier(&app, user.id, SubscriptionTier::Starter).await;
    let copy = app.call(Method::POST, &duplicate, None, Some(&token)).await;
    let copy = copy.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        (
            &copy["title"],
            &copy["slug"],
            &copy["is_published"],
            &copy["pages"]
        ),
        (
            &json!("One (Copy)"),
            &json!("one-copy"),
            &json!(false),
            &first["pages"]
        )
    );
    let again = app.call(Method::POST, &duplicate, None, Some(&token)).await;
    assert_eq!(
        again.assert_status(StatusCode::CREATED)["slug"],
        "one-copy-2"
    );
    create(&app, &token, json!({"title": "Four"})).await.assert(
        StatusCode::FORBIDDEN,
        json!({"detail": "Your Starter plan allows 3 portfolios. Upgrade to Pro for up to 10 portfolios."}),
    );

    // Resumes: Grooya's creates count; JobTracker uploads do not.
    set_tier(&app, user.id, SubscriptionTier::Free).await;
    upload(&app, &token, "cv.docx", DOCX).await;
    let resume = app
        .call(
            Method::POST,
            "/api/resumes/",
            Some(json!({"title": "Main", "content": {"summary": "Hi"}})),
            Some(&token),
        )
        .await;
    resume.assert_status(StatusCode::CREATED);
    app.call(Method::POST, "/api/resumes/", Some(json!({"title": "Second"})), Some(&token))
        .await
        .assert(
            StatusCode::FORBIDDEN,
            json!({"detail": "Your Free plan allows 1 resume. Upgrade to Starter for up to 3 resumes."}),
        );
}

async fn public(app: &TestApp, slug: &str, etag: Option<&str>) -> crate::helpers::TestResponse {
    let mut request = Request::builder().uri(format!("/api/public/portfolios/{slug}/"));
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    app.request(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_public_page_is_cacheable_revalidates_with_304_and_disappears_when_unpublished() {
    let app = TestApp::new().await;
    let user = app.seed_user("jane@example.com").await;
    let token = app.access_token(user.id);
    let created = create(
        &app,
        &token,
        json!({"title": "Jane", "slug": "jane", "design": design(), "pages": pages(), "isGuided": true, "goal": "job", "role": "Engineer"}),
    )
    .await
    .json;
    let not_found = json!({"detail": "No Portfolio matches the given query."});
    public(&app, "jane", None)
        .await
        .assert(StatusCode::NOT_FOUND, not_found.clone());

    let path = format!("/api/portfolios/{}/", crate::helpers::id_of(&created));
    app.call(
        Method::PATCH,
        &path,
        Some(json!({"isPublished": true})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let page = public(&app, "jane", None).await;
    let body = page.assert_status(StatusCode::OK).clone();
    assert_eq!(
        body,
        json!({"id": created["id"], "userId": user.id.to_string(), "user": user.id.to_string(),
               "title": "Jane", "slug": "jane", "design": design(), "pages": pages(),
               "isPublished": true, "is_published": true, "isGuided": true, "is_guided": true,
               "goal": "job", "role": "Engineer", "createdAt": body["createdAt"], "updatedAt": body["updatedAt"],
               "created_at": body["created_at"], "updated_at": body["updated_at"],
               "projects": [], "skills": [],
               "owner": {"id": user.id.to_string(), "name": "Test User", "title": "", "avatarUrl": "",
                   "subscription": {"tier": "free"}}})
    );
    assert_eq!(page.header("cache-control"), Some("public, no-cache"));
    let vary: Vec<&str> = page
        .headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("accept-encoding")),
        "{vary:?}"
    );
    let etag = page.header("etag").unwrap().to_owned();
    assert!(etag.starts_with("W/\"") && etag.len() == 36, "{etag}");

    // A client that takes gzip gets the same document compressed, under the same tag.
    let request = Request::builder()
        .uri("/api/public/portfolios/jane/")
        .header("accept-encoding", "br;q=1.0, gzip;q=0.8")
        .body(Body::empty())
        .unwrap();
    let response = app.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(response.headers()["etag"].to_str().unwrap(), etag);
    let compressed = response.into_body().collect().await.unwrap().to_bytes();
    let mut decoded = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut decoded,
    )
    .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&decoded).unwrap(), body);
    let refused = Request::builder()
        .uri("/api/public/portfolios/jane/")
        .header("accept-encoding", "gzip;q=0")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.request(refused).await.json, body);

    let revalidated = public(&app, "jane", Some(&etag)).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        (revalidated.text.as_str(), revalidated.header("etag")),
        ("", Some(etag.as_str()))
    );
    assert_eq!(
        public(&app, "jane", Some("\"stale\"")).await.status,
        StatusCode::OK
    );

    // An edit changes the tag at once; unpublishing removes the page at once.
    app.call(
        Method::PATCH,
        &path,
        Some(json!({"title": "Jane D."})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let edited = public(&app, "jane", Some(&etag)).await;
    assert_eq!(
        (edited.status, &edited.json["title"]),
        (StatusCode::OK, &json!("Jane D."))
    );
    assert_ne!(edited.header("etag"), Some(etag.as_str()));
    app.call(
        Method::PATCH,
        &path,
        Some(json!({"is_published": false})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    public(&app, "jane", None)
        .await
        .assert(StatusCode::NOT_FOUND, not_found);
}

#[tokio::test]
async fn projects_skills_and_resumes_are_crud_resources() {
    let app = TestApp::new().await;
    let user = app.seed_user("jane@example.com").await;
    let token = app.access_token(user.id);

    let project = app
        .call(
            Method::POST,
            "/api/projects/",
            Some(json!({"title": "Ray tracer", "description": "In Rust", "imageUrl": "https://img.example.com/r.png",
                        "technologies": ["Rust", " ", "WGPU"], "link": "https://github.com/jane/rt"})),
            Some(&token),
        )
        .await;
    let project = project.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        project,
        json!({"id": project["id"], "title": "Ray tracer", "description": "In Rust",
               "imageUrl": "https://img.example.com/r.png",
               "image_url": "https://img.example.com/r.png", "technologies": ["Rust", "WGPU"],
               "link": "https://github.com/jane/rt", "created_at": project["created_at"], "updated_at": project["updated_at"]})
    );
    let project_path = format!("/api/projects/{}/", crate::helpers::id_of(&project));
    let updated = app
        .call(
            Method::PUT,
            &project_path,
            Some(json!({"link": "not a url"})),
            Some(&token),
        )
        .await;
    updated.assert(
        StatusCode::BAD_REQUEST,
        json!({"link": ["Enter a valid URL."]}),
    );
    app.get("/api/projects", Some(&token))
        .await
        .assert(StatusCode::OK, json!([project]));

    // Skills are the same list as Breneo's.
    let skill = app
        .call(
            Method::POST,
            "/api/skills/",
            Some(json!({"name": "reactjs", "category": "Tool"})),
            Some(&token),
        )
        .await;
    let skill = skill.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        skill,
        json!({"id": skill["id"], "name": "reactjs", "category": "Tool", "canonical_name": "React"})
    );
    let custom = app
        .call(
            Method::POST,
            "/api/skills/",
            Some(json!({"name": "Blender sculpting", "category": "Tool"})),
            Some(&token),
        )
        .await
        .json;
    assert_eq!(custom["category"], "Tool");
    // Breneo's profile lists the same skills, in its own shape.
    let shared = app.get("/api/me/skills/", Some(&token)).await;
    let shared: Vec<(Value, Value)> = shared
        .assert_status(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].clone(), s["skill_name"].clone()))
        .collect();
    assert_eq!(
        shared,
        vec![
            (
                json!(skill["id"].as_str().unwrap().parse::<i64>().unwrap()),
                json!("React")
            ),
            (
                json!(custom["id"].as_str().unwrap().parse::<i64>().unwrap()),
                json!("Blender sculpting")
            )
        ]
    );
    let renamed = app
        .call(
            Method::PATCH,
            &format!("/api/skills/{}/", crate::helpers::id_of(&skill)),
            Some(json!({"name": "Vue.js"})),
            Some(&token),
        )
        .await;
    assert_eq!(
        renamed.json,
        json!({"id": skill["id"], "name": "Vue.js", "category": "Framework", "canonical_name": "Vue.js"})
    );
    app.call(
        Method::PATCH,
        &format!("/api/skills/{}/", crate::helpers::id_of(&custom)),
        Some(json!({"name": "vue"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"name": ["You already have this skill."]}),
    );
    app.call(
        Method::DELETE,
        &format!("/api/skills/{}/", crate::helpers::id_of(&custom)),
        None,
        Some(&token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    // Resumes: one resource with JobTracker's uploads.
    let uploaded = upload(&app, &token, "cv.docx", DOCX).await;
    let resume = app
        .call(
            Method::POST,
            "/api/resumes/",
            Some(json!({"title": "Main", "content": {"summary": "Hi", "experience": []}})),
            Some(&token),
        )
        .await;
    let resume = resume.assert_status(StatusCode::CREATED).clone();
    assert_eq!(
        resume,
        json!({"id": resume["id"], "userId": user.id.to_string(), "title": "Main",
               "content": {"summary": "Hi", "experience": []}, "summary": "Hi", "experience": [],
               "file": null, "parsed_text": "", "job_application": null, "user": user.id.to_string(),
               "createdAt": resume["createdAt"], "updatedAt": resume["updatedAt"],
               "created_at": resume["created_at"], "updated_at": resume["updated_at"]})
    );
    let listed = app.get("/api/resumes/", Some(&token)).await.json;
    let ids: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(crate::helpers::id_of)
        .collect();
    assert_eq!(
        ids,
        [
            crate::helpers::id_of(&resume),
            crate::helpers::id_of(&uploaded)
        ]
    );
    let uploaded_path = format!("/api/resumes/{}/", crate::helpers::id_of(&uploaded));
    let titled = app
        .call(
            Method::PATCH,
            &uploaded_path,
            Some(json!({"title": "Uploaded CV"})),
            Some(&token),
        )
        .await;
    assert_eq!(
        (&titled.json["title"], &titled.json["parsed_text"]),
        (&json!("Uploaded CV"), &uploaded["parsed_text"])
    );
    app.call(Method::DELETE, &uploaded_path, None, Some(&token))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let media = app.state.config.data_dir.join("media").join("resumes");
    assert_eq!(
        std::fs::read_dir(media).unwrap().count(),
        0,
        "the file went with its row"
    );
}

#[tokio::test]
async fn another_users_ids_are_404_on_every_grooya_route() {
    let app = TestApp::new().await;
    let owner = app.seed_user("owner@example.com").await;
    let other = app.seed_user("other@example.com").await;
    let (owner_token, other_token) = (app.access_token(owner.id), app.access_token(other.id));
    let portfolio = create(&app, &owner_token, json!({"title": "Mine"}))
        .await
        .json;
    let portfolio = crate::helpers::id_of(&portfolio);
    let project = app
        .call(
            Method::POST,
            "/api/projects",
            Some(json!({"title": "P"})),
            Some(&owner_token),
        )
        .await
        .json;
    let project = crate::helpers::id_of(&project);
    let skill = app
        .call(
            Method::POST,
            "/api/skills",
            Some(json!({"name": "Rust"})),
            Some(&owner_token),
        )
        .await
        .json;
    let skill = crate::helpers::id_of(&skill);
    let resume = app
        .call(
            Method::POST,
            "/api/resumes",
            Some(json!({"title": "R"})),
            Some(&owner_token),
        )
        .await
        .json;
    let resume = crate::helpers::id_of(&resume);
    let cases = [
        (format!("/api/portfolios/{portfolio}/"), "Portfolio"),
        (format!("/api/projects/{project}/"), "Project"),
        (format!("/api/skills/{skill}/"), "Skill"),
        (format!("/api/resumes/{resume}/"), "Resume"),
    ];
    for (path, model) in &cases {
        let not_found = json!({"detail": format!("No {model} matches the given query.")});
        for method in [Method::GET, Method::PUT, Method::PATCH, Method::DELETE] {
            let body = (method != Method::GET && method != Method::DELETE)
                .then(|| json!({"title": "Stolen", "name": "Go"}));
            app.call(method.clone(), path, body, Some(&other_token))
                .await
                .assert(StatusCode::NOT_FOUND, not_found.clone());
        }
        app.get(path, Some(&owner_token))
            .await
            .assert_status(StatusCode::OK);
    }
    app.call(
        Method::POST,
        &format!("/api/portfolios/{portfolio}/duplicate/"),
        None,
        Some(&other_token),
    )
    .await
    .assert(
        StatusCode::NOT_FOUND,
        json!({"detail": "No Portfolio matches the given query."}),
    );
}
