//! Grooya's frontend keeps whole objects in its state and sends them back (`types.ts`:
//! camelCase, string ids, millisecond timestamps). These tests re-express its interfaces as key
//! sets with JSON types, post bodies the way its DataContext would, and check that nothing it
//! saves is dropped: kept portfolio keys, flat resumes, the user's name; plus the public page's
//! embedded projects and skills, skills kept as given, links and slugs.

use axum::http::{Method, StatusCode};
use careerhub::portfolios::portfolio;
use careerhub::resumes::resume;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::grooya::set_tier;
use crate::helpers::TestApp;

/// A key of a `types.ts` interface and the JSON type its value must have (`?` after the name:
/// optional, but typed when present).
type Keys = &'static [(&'static str, &'static str)];

const USER: Keys = &[
    ("id", "string"),
    ("name", "string"),
    ("title", "string"),
    ("email", "string"),
    ("bio", "string"),
    ("avatarUrl", "string"),
    ("role", "string"),
    ("isEarlyAdopter?", "boolean"),
    ("subscription", "object"),
];
const SUBSCRIPTION: Keys = &[
    ("tier", "string"),
    ("status", "string"),
    ("renewsAt?", "number"),
    ("freeFeaturesUsed", "object"),
    ("credits", "object"),
];
const PORTFOLIO: Keys = &[
    ("id", "string"),
    ("title", "string"),
    ("slug", "string"),
    ("userId", "string"),
    ("design", "object"),
    ("pages", "array"),
    ("isPublished", "boolean"),
    ("createdAt", "number"),
    ("updatedAt", "number"),
    ("customPalettes?", "array"),
    ("assets?", "array"),
    ("designPresets?", "array"),
    ("isGuided?", "boolean"),
    ("goal?", "string"),
    ("role?", "string"),
];
const PROJECT: Keys = &[
    ("id", "string"),
    ("title", "string"),
    ("description", "string"),
    ("imageUrl", "string"),
    ("technologies", "array"),
    ("link", "string"),
];
const SKILL: Keys = &[("id", "string"), ("name", "string"), ("category", "string")];
const RESUME: Keys = &[
    ("id", "string"),
    ("title", "string"),
    ("userId", "string"),
    ("createdAt", "number"),
    ("updatedAt", "number"),
    ("fullName", "string"),
    ("jobTitle", "string"),
    ("email", "string"),
    ("summary", "string"),
    ("experience", "array"),
    ("education", "array"),
    ("skills", "array"),
    ("projects", "array"),
    ("template", "string"),
    ("accentColor", "string"),
];
const ASSET: Keys = &[
    ("id", "string"),
    ("url", "string"),
    ("prompt", "string"),
    ("createdAt", "number"),
];

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Fails unless `value` has every required key of `keys` with its type (and optional ones,
/// when present, with theirs), as `tsc --strict` would accept it.
#[track_caller]
pub fn assert_satisfies(value: &Value, keys: Keys, interface: &str) {
    for (key, expected) in keys {
        let (name, optional) = match key.strip_suffix('?') {
            Some(name) => (name, true),
            None => (*key, false),
        };
        match value.get(name) {
            None if optional => {}
            None => panic!("{interface}: `{name}` is missing from {value}"),
            Some(v) => assert_eq!(json_type(v), *expected, "{interface}.{name} in {value}"),
        }
    }
}

fn palette() -> Value {
    json!({"id": "p-1", "name": "Dusk", "colors": {"background": "#101010", "text": "#EEEEEE"}})
}

async fn portfolio_row(app: &TestApp, id: &str) -> portfolio::Model {
    portfolio::Entity::find_by_id(id.parse::<i64>().unwrap())
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_portfolio_is_the_frontends_type_and_keeps_every_key_it_saves() {
    let app = TestApp::new().await;
    let owner = app.seed_user("jane@example.com").await;
    let token = app.access_token(owner.id);
    let body = json!({"title": "Jane", "design": {"paletteId": "p-1"}, "pages": [],
        "isPublished": false, "isGuided": true, "goal": "job", "role": "Designer",
        "customPalettes": [palette()], "designPresets": [{"id": "d-1", "name": "Mine", "design": {}}],
        "assets": [{"id": "a-1", "url": "https://cdn.example/a.png", "prompt": "sky", "createdAt": 1}],
        "id": "temp-1", "userId": "someone", "createdAt": 5, "updatedAt": 6});
    let created = app
        .call(Method::POST, "/api/portfolios/", Some(body), Some(&token))
        .await;
    let created = created.assert_status(StatusCode::CREATED).clone();
    assert_satisfies(&created, PORTFOLIO, "Portfolio");
    let id = created["id"].as_str().unwrap().to_owned();
    let row = portfolio_row(&app, &id).await;
    let at =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    let expected = json!({"id": id, "userId": owner.id.to_string(), "user": owner.id.to_string(),
        "title": "Jane", "slug": row.slug, "design": {"paletteId": "p-1"}, "pages": [],
        "isPublished": false, "is_published": false, "isGuided": true, "is_guided": true,
        "goal": "job", "role": "Designer",
        "createdAt": row.created_at.timestamp_millis(), "updatedAt": row.updated_at.timestamp_millis(),
        "created_at": at(row.created_at), "updated_at": at(row.updated_at),
        "customPalettes": [palette()], "designPresets": [{"id": "d-1", "name": "Mine", "design": {}}],
        "assets": [{"id": "a-1", "url": "https://cdn.example/a.png", "prompt": "sky", "createdAt": 1}]});
    assert_eq!(created, expected);
    assert_eq!(
        row.extra,
        json!({"customPalettes": [palette()], "designPresets": [{"id": "d-1", "name": "Mine", "design": {}}],
            "assets": [{"id": "a-1", "url": "https://cdn.example/a.png", "prompt": "sky", "createdAt": 1}]}),
        "the ids and timestamps the client sent are not kept"
    );

    // The frontend sends the server's object back with its change in camelCase
    // (AIMentorPanel: `{...portfolio, isGuided: false}`): the camelCase value wins.
    let mut whole = expected.clone();
    whole["isGuided"] = json!(false);
    whole["customPalettes"] = json!([]);
    whole["navigationNotes"] = json!({"kept": true});
    let path = format!("/api/portfolios/{id}/");
    let patched = app
        .call(Method::PATCH, &path, Some(whole), Some(&token))
        .await;
    let patched = patched.assert_status(StatusCode::OK).clone();
    assert_eq!(
        (
            &patched["id"],
            &patched["isGuided"],
            &patched["is_guided"],
            &patched["customPalettes"],
            &patched["navigationNotes"],
            &patched["designPresets"][0]["id"]
        ),
        (
            &json!(id),
            &json!(false),
            &json!(false),
            &json!([]),
            &json!({"kept": true}),
            &json!("d-1")
        )
    );
    app.get(&path, Some(&token))
        .await
        .assert(StatusCode::OK, patched.clone());
    app.get("/api/portfolios/", Some(&token))
        .await
        .assert(StatusCode::OK, json!([patched]));
}

#[tokio::test]
async fn slugs_are_stored_lowercase_and_found_without_regard_to_case() {
    let app = TestApp::new().await;
    let owner = app.seed_user("jane@example.com").await;
    let token = app.access_token(owner.id);
    let created = app
        .call(
            Method::POST,
            "/api/portfolios/",
            Some(json!({"title": "Jane", "slug": "Jane-Doe", "isPublished": true})),
            Some(&token),
        )
        .await;
    assert_eq!(
        created.assert_status(StatusCode::CREATED)["slug"],
        "jane-doe"
    );
    let other = app.seed_user("bob@example.com").await;
    app.call(
        Method::POST,
        "/api/portfolios/",
        Some(json!({"title": "Bob", "slug": "JANE-DOE"})),
        Some(&app.access_token(other.id)),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"slug": ["portfolio with this slug already exists."]}),
    );
    for spelling in ["jane-doe", "Jane-Doe", "JANE-DOE"] {
        let page = app
            .get(&format!("/api/public/portfolios/{spelling}/"), None)
            .await;
        assert_eq!(page.assert_status(StatusCode::OK)["slug"], "jane-doe");
    }
}

#[tokio::test]
async fn the_public_page_embeds_what_its_blocks_reference_and_its_owners_plan() {
    let app = TestApp::new().await;
    let owner = app.seed_user("jane@example.com").await;
    set_tier(
        &app,
        owner.id,
        careerhub::accounts::user::SubscriptionTier::Pro,
    )
    .await;
    let token = app.access_token(owner.id);
    app.call(
        Method::PATCH,
        "/api/auth/user/",
        Some(json!({"name": "Jane Q Doe", "title": "Designer"})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let post = |path: &'static str, body: Value| {
        let token = token.clone();
        let app = &app;
        async move {
            app.call(Method::POST, path, Some(body), Some(&token))
                .await
                .assert_status(StatusCode::CREATED)
                .clone()
        }
    };
    let shown = post(
        "/api/projects/",
        json!({"title": "Ray tracer", "link": "#"}),
    )
    .await;
    let hidden = post("/api/projects/", json!({"title": "Secret"})).await;
    let skill = post("/api/skills/", json!({"name": "Figma", "category": "Tool"})).await;
    let pages = json!([{"id": "home", "name": "Home", "path": "/", "blocks": [
        {"id": "b1", "type": "projects", "title": "Work", "projectIds": [shown["id"]]},
        {"id": "b2", "type": "skills", "title": "Skills", "skillIds": [skill["id"], "999999"]}]}]);
    let portfolio = post(
        "/api/portfolios/",
        json!({"title": "Jane", "slug": "jane", "pages": pages, "isPublished": true,
            "customPalettes": [palette()]}),
    )
    .await;
    let page = app.get("/api/public/portfolios/jane/", None).await;
    let page = page.assert_status(StatusCode::OK).clone();
    assert_satisfies(&page, PORTFOLIO, "Portfolio");
    assert_eq!(page["pages"], pages);
    assert_eq!(page["customPalettes"], json!([palette()]));
    assert_eq!(page["projects"], json!([shown]));
    assert_eq!(page["skills"], json!([skill]));
    assert_eq!(
        page["owner"],
        json!({"id": owner.id.to_string(), "name": "Jane Q Doe", "title": "Designer",
            "avatarUrl": "", "subscription": {"tier": "pro"}})
    );
    assert!(
        !page.to_string().contains("jane@example.com") && !page.to_string().contains("Secret"),
        "nothing private: {page}"
    );
    assert_ne!(hidden["id"], shown["id"]);

    // A change to an embedded project shows at once; unpublished pages are not public.
    app.call(
        Method::PATCH,
        &format!("/api/projects/{}/", shown["id"].as_str().unwrap()),
        Some(json!({"title": "Path tracer"})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    let page = app.get("/api/public/portfolios/jane/", None).await;
    assert_eq!(page.json["projects"][0]["title"], "Path tracer");
    app.call(
        Method::PATCH,
        &format!("/api/portfolios/{}/", portfolio["id"].as_str().unwrap()),
        Some(json!({"isPublished": false})),
        Some(&token),
    )
    .await
    .assert_status(StatusCode::OK);
    app.get("/api/public/portfolios/jane/", None).await.assert(
        StatusCode::NOT_FOUND,
        json!({"detail": "No Portfolio matches the given query."}),
    );
}

#[tokio::test]
async fn a_flat_resume_is_kept_and_answered_flat() {
    let app = TestApp::new().await;
    let owner = app.seed_user("jane@example.com").await;
    let token = app.access_token(owner.id);
    let experience = json!([{"id": "e1", "title": "Designer", "company": "Acme", "dateRange": "2020 - 2024", "description": "Led design."}]);
    let flat = json!({"title": "Main resume", "fullName": "Jane Doe", "jobTitle": "Designer",
        "email": "jane@example.com", "phone": "+1 555", "summary": "Designs things.",
        "experience": experience, "education": [], "skills": [{"id": "s1", "name": "Figma", "category": "Tool"}],
        "projects": [], "template": "modern", "accentColor": "#3B82F6"});
    let created = app
        .call(
            Method::POST,
            "/api/resumes/",
            Some(flat.clone()),
            Some(&token),
        )
        .await;
    let created = created.assert_status(StatusCode::CREATED).clone();
    assert_satisfies(&created, RESUME, "Resume");
    let id = created["id"].as_str().unwrap().to_owned();
    let row = resume::Entity::find_by_id(id.parse::<i64>().unwrap())
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap();
    let mut content = flat.clone();
    content.as_object_mut().unwrap().remove("title");
    assert_eq!(row.content, Some(content.clone()));
    assert_eq!(created["content"], content);
    for (key, value) in content.as_object().unwrap() {
        assert_eq!(&created[key], value, "{key}");
    }
    // The editor sends the whole resume back with one change.
    let mut edited = created.clone();
    edited["summary"] = json!("Designs calm things.");
    let path = format!("/api/resumes/{id}/");
    let saved = app
        .call(Method::PATCH, &path, Some(edited), Some(&token))
        .await;
    let saved = saved.assert_status(StatusCode::OK).clone();
    assert_eq!(
        (
            &saved["summary"],
            &saved["content"]["summary"],
            &saved["experience"]
        ),
        (
            &json!("Designs calm things."),
            &json!("Designs calm things."),
            &experience
        )
    );
    app.get(&path, Some(&token))
        .await
        .assert(StatusCode::OK, saved);
}

#[tokio::test]
async fn the_user_is_the_frontends_type_and_name_is_saved() {
    let app = TestApp::new().await;
    let registered = app
        .call(
            Method::POST,
            "/api/auth/register/",
            Some(json!({"email": "jane@example.com", "password1": "Str0ng-pass", "password2": "Str0ng-pass", "name": "Jane Doe"})),
            None,
        )
        .await;
    let registered = registered.assert_status(StatusCode::CREATED).clone();
    let user = &registered["user"];
    assert_satisfies(user, USER, "User");
    assert_satisfies(&user["subscription"], SUBSCRIPTION, "User.subscription");
    assert_eq!(
        (
            &user["name"],
            &user["first_name"],
            &user["last_name"],
            &user["role"]
        ),
        (
            &json!("Jane Doe"),
            &json!("Jane"),
            &json!("Doe"),
            &json!("user")
        )
    );
    assert_eq!(
        user["subscription"],
        json!({"tier": "free", "status": "active", "freeFeaturesUsed": {},
            "credits": {"text": 10, "image": 3}})
    );
    let token = registered["access"].as_str().unwrap().to_owned();
    // The frontend's updateUser sends the whole user back.
    let mut whole = user.clone();
    whole["name"] = json!("Jane van Doe");
    whole["avatarUrl"] = json!("https://cdn.example/jane.png");
    let updated = app
        .call(Method::PUT, "/api/auth/user/", Some(whole), Some(&token))
        .await;
    let updated = updated.assert_status(StatusCode::OK).clone();
    assert_eq!(
        (
            &updated["name"],
            &updated["last_name"],
            &updated["avatarUrl"],
            &updated["avatar_url"]
        ),
        (
            &json!("Jane van Doe"),
            &json!("van Doe"),
            &json!("https://cdn.example/jane.png"),
            &json!("https://cdn.example/jane.png")
        )
    );
    let id: i64 = updated["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(app.user(id).await.full_name, "Jane van Doe");
}

#[tokio::test]
async fn skills_keep_the_name_and_category_given_and_links_take_anchors_and_domains() {
    let app = TestApp::new().await;
    let owner = app.seed_user("jane@example.com").await;
    let token = app.access_token(owner.id);
    let skill = app
        .call(
            Method::POST,
            "/api/skills/",
            Some(json!({"name": "AWS", "category": "Tool"})),
            Some(&token),
        )
        .await;
    let skill = skill.assert_status(StatusCode::CREATED).clone();
    assert_satisfies(&skill, SKILL, "Skill");
    assert_eq!(
        skill,
        json!({"id": skill["id"], "name": "AWS", "category": "Tool", "canonical_name": "Amazon Web Services"})
    );
    let guessed = app
        .call(
            Method::POST,
            "/api/skills/",
            Some(json!({"name": "postgres"})),
            Some(&token),
        )
        .await;
    assert_eq!(
        (&guessed.json["name"], &guessed.json["category"]),
        (&json!("postgres"), &json!("Database"))
    );
    app.call(
        Method::POST,
        "/api/skills/",
        Some(json!({"name": "Rust", "category": "Hobby"})),
        Some(&token),
    )
    .await
    .assert(
        StatusCode::BAD_REQUEST,
        json!({"category": ["\"Hobby\" is not a valid choice."]}),
    );

    for (link, stored) in [
        ("#", "#"),
        ("", ""),
        ("alexdoe.dev", "https://alexdoe.dev"),
        ("https://x.dev/p?a=1", "https://x.dev/p?a=1"),
    ] {
        let project = app
            .call(
                Method::POST,
                "/api/projects/",
                Some(json!({"title": "P", "link": link, "imageUrl": ""})),
                Some(&token),
            )
            .await;
        let project = project.assert_status(StatusCode::CREATED).clone();
        assert_satisfies(&project, PROJECT, "Project");
        assert_eq!(project["link"], stored, "{link}");
    }
    for link in ["javascript:alert(1)", "data:text/html,hi"] {
        app.call(
            Method::POST,
            "/api/projects/",
            Some(json!({"title": "P", "link": link})),
            Some(&token),
        )
        .await
        .assert(
            StatusCode::BAD_REQUEST,
            json!({"link": ["Enter a valid URL."]}),
        );
    }
}

#[tokio::test]
async fn an_asset_is_the_frontends_type() {
    let app = TestApp::new().await;
    let owner = app.seed_user("jane@example.com").await;
    let token = app.access_token(owner.id);
    let png = crate::assets::encoded(image::ImageFormat::Png, 8, 8);
    let uploaded = app
        .multipart(
            "/api/assets/",
            &[("file", Some("a.png"), &png), ("prompt", None, b"")],
            Some(&token),
        )
        .await;
    let asset = uploaded.assert_status(StatusCode::CREATED).clone();
    assert_satisfies(&asset, ASSET, "PortfolioAsset");
    assert_eq!(asset["url"], asset["file"]);
}
