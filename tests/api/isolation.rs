//! The isolation matrix: every operation in the route table is classified, and every one that
//! takes the id (or slug) of something a user owns is called by another user with the owner's
//! id: each answers 404 and leaves the owner's record as it was. A route added without a class
//! fails the test.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use image::ImageFormat;
use serde_json::{Value, json};

use crate::assets::encoded;
use crate::helpers::TestApp;

/// Who may call an operation, and whose data it reaches.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// No account needed, and nothing private reachable (logins, health, market data).
    Open,
    /// The caller's own data only: no id in the path.
    Own,
    /// Staff only (403 for everyone else; tested with the admin import).
    Staff,
    /// An owned record named in the path: `{id}`, `{job_id}` or `{slug}` of this kind.
    Owned(Kind),
}

/// The kinds of owned records, each with a fixture the owner creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    WorkExperience,
    Education,
    UserSkill,
    Application,
    Portfolio,
    UnpublishedSlug,
    PrivateProfile,
    Project,
    Skill,
    Resume,
    Asset,
}

use Access::{Open, Own, Owned, Staff};
use Kind::*;

const ROUTES: &[(&str, &str, Access)] = &[
    ("POST", "/api/admin/job-postings/import/", Staff),
    ("POST", "/api/ai/analyze/{job_id}/", Owned(Application)),
    ("POST", "/api/ai/generate-image/", Own),
    ("POST", "/api/ai/generate-text/", Own),
    ("POST", "/api/promo-codes/apply/", Own),
    ("GET", "/api/ai/result/{job_id}/", Owned(Application)),
    ("GET", "/api/ai/result/{job_id}/stream/", Owned(Application)),
    ("GET", "/api/assets/", Own),
    ("POST", "/api/assets/", Own),
    ("DELETE", "/api/assets/{id}/", Owned(Asset)),
    ("POST", "/api/auth/login/", Open),
    ("POST", "/api/auth/logout/", Open),
    ("POST", "/api/auth/register/", Open),
    ("POST", "/api/auth/token/refresh/", Open),
    ("GET", "/api/auth/user/", Own),
    ("PUT", "/api/auth/user/", Own),
    ("DELETE", "/api/auth/user/", Own),
    ("PATCH", "/api/auth/user/", Own),
    ("GET", "/api/educations/", Own),
    ("POST", "/api/educations/", Own),
    ("GET", "/api/educations/{id}/", Owned(Education)),
    ("PUT", "/api/educations/{id}/", Owned(Education)),
    ("DELETE", "/api/educations/{id}/", Owned(Education)),
    ("PATCH", "/api/educations/{id}/", Owned(Education)),
    ("GET", "/api/job-postings/", Open),
    ("GET", "/api/job-details/", Open),
    ("GET", "/api/companies/{name}/", Open),
    ("GET", "/api/search/", Open),
    ("GET", "/api/v1/jobs/", Open),
    ("GET", "/api", Open),
    ("POST", "/api/jobs/create/", Own),
    ("GET", "/api/jobs/list/", Own),
    ("GET", "/api/jobs/{id}/", Owned(Application)),
    ("DELETE", "/api/jobs/{id}/", Owned(Application)),
    ("PUT", "/api/jobs/{id}/update/", Owned(Application)),
    ("PATCH", "/api/jobs/{id}/update/", Owned(Application)),
    ("POST", "/api/login/", Open),
    ("POST", "/api/login/background/", Open),
    ("POST", "/api/login/talent/", Open),
    ("GET", "/api/me/export/", Own),
    ("GET", "/api/me/industry-match/", Own),
    ("GET", "/api/me/industry-profile/", Own),
    ("PUT", "/api/me/industry-profile/", Own),
    ("PATCH", "/api/me/industry-profile/", Own),
    ("GET", "/api/me/industry-profile/breakdown/", Own),
    ("GET", "/api/me/profile/", Own),
    ("PUT", "/api/me/profile/", Own),
    ("PATCH", "/api/me/profile/", Own),
    ("GET", "/api/me/skills/", Own),
    ("GET", "/api/me/subscription/", Own),
    ("GET", "/api/profile/", Own),
    ("PUT", "/api/profile/", Own),
    ("PATCH", "/api/profile/", Own),
    ("GET", "/api/profile/social-media/", Own),
    ("POST", "/api/profile/social-media/", Own),
    ("POST", "/api/me/skills/", Own),
    ("DELETE", "/api/me/skills/{id}/", Owned(UserSkill)),
    ("GET", "/api/portfolios/", Own),
    ("POST", "/api/portfolios/", Own),
    ("GET", "/api/portfolios/{id}/", Owned(Portfolio)),
    ("PUT", "/api/portfolios/{id}/", Owned(Portfolio)),
    ("DELETE", "/api/portfolios/{id}/", Owned(Portfolio)),
    ("PATCH", "/api/portfolios/{id}/", Owned(Portfolio)),
    ("POST", "/api/portfolios/{id}/duplicate/", Owned(Portfolio)),
    ("GET", "/api/profile/background/", Own),
    ("POST", "/api/profile/background/", Own),
    ("GET", "/api/profile/talent/", Own),
    ("POST", "/api/profile/talent/", Own),
    ("GET", "/api/projects/", Own),
    ("POST", "/api/projects/", Own),
    ("GET", "/api/projects/{id}/", Owned(Project)),
    ("PUT", "/api/projects/{id}/", Owned(Project)),
    ("DELETE", "/api/projects/{id}/", Owned(Project)),
    ("PATCH", "/api/projects/{id}/", Owned(Project)),
    (
        "GET",
        "/api/public/portfolios/{slug}/",
        Owned(UnpublishedSlug),
    ),
    ("POST", "/api/refresh/", Open),
    ("POST", "/api/register/", Open),
    ("POST", "/api/verify-code/", Open),
    ("POST", "/api/resend-code/", Open),
    ("POST", "/password-reset/request", Open),
    ("POST", "/password-reset/verify", Open),
    ("POST", "/password-reset/set-new", Open),
    ("GET", "/api/payments/plans/", Open),
    ("GET", "/api/payments/subscriptions/", Own),
    ("GET", "/api/resumes/", Own),
    ("POST", "/api/resumes/", Own),
    ("GET", "/api/resumes/list/", Own),
    ("POST", "/api/resumes/upload/", Own),
    ("GET", "/api/resumes/{id}/", Owned(Resume)),
    ("PUT", "/api/resumes/{id}/", Owned(Resume)),
    ("DELETE", "/api/resumes/{id}/", Owned(Resume)),
    ("PATCH", "/api/resumes/{id}/", Owned(Resume)),
    ("GET", "/api/skills/", Own),
    ("POST", "/api/skills/", Own),
    ("GET", "/api/skills/search/", Open),
    ("GET", "/api/skills/{id}/", Owned(Skill)),
    ("PUT", "/api/skills/{id}/", Owned(Skill)),
    ("DELETE", "/api/skills/{id}/", Owned(Skill)),
    ("PATCH", "/api/skills/{id}/", Owned(Skill)),
    ("POST", "/api/token/", Open),
    ("POST", "/api/token/refresh/", Open),
    ("POST", "/api/token/verify/", Open),
    ("GET", "/api/users/{id}/profile/", Owned(PrivateProfile)),
    ("GET", "/api/work-experiences/", Own),
    ("POST", "/api/work-experiences/", Own),
    ("GET", "/api/work-experiences/{id}/", Owned(WorkExperience)),
    ("PUT", "/api/work-experiences/{id}/", Owned(WorkExperience)),
    (
        "DELETE",
        "/api/work-experiences/{id}/",
        Owned(WorkExperience),
    ),
    (
        "PATCH",
        "/api/work-experiences/{id}/",
        Owned(WorkExperience),
    ),
    ("POST", "/auth/login", Open),
    ("GET", "/auth/me", Own),
    ("PUT", "/auth/me", Own),
    ("POST", "/auth/register", Open),
    ("GET", "/healthz", Open),
    ("GET", "/health", Open),
    ("GET", "/market/trending", Open),
    ("GET", "/metrics", Open),
    ("GET", "/readyz", Open),
    ("GET", "/skills/gap-analysis", Own),
    ("GET", "/learning/roadmap", Own),
    ("GET", "/learning/resources", Own),
    ("GET", "/learning/resources/search", Own),
    ("GET", "/projects/recommendations", Own),
    ("GET", "/projects/skill-building", Own),
    ("GET", "/projects/all", Own),
    ("GET", "/projects/search", Own),
];

/// Every (method, path) the OpenAPI document lists.
async fn documented_operations(app: &TestApp) -> BTreeSet<(String, String)> {
    let doc = app.get("/api/openapi.json", None).await.json;
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                operations.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    operations
}

#[tokio::test]
async fn every_route_is_classified() {
    let app = TestApp::new().await;
    let documented = documented_operations(&app).await;
    let classified: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(method, path, _)| (method.to_string(), path.to_string()))
        .collect();
    let unclassified: Vec<_> = documented.difference(&classified).collect();
    let stale: Vec<_> = classified.difference(&documented).collect();
    assert!(
        unclassified.is_empty() && stale.is_empty(),
        "classify every route in tests/api/isolation.rs: unclassified {unclassified:?}, no longer documented {stale:?}"
    );
    for (_, path, access) in ROUTES {
        // A company's name is public; every other path parameter names someone's record.
        let takes_id = path.contains('{') && !path.contains("{name}");
        assert_eq!(takes_id, matches!(access, Owned(_)), "{path} is {access:?}");
    }
}

/// The owner's records, one of each kind: (kind, path segment value, the owner's view of it).
struct Fixtures(Vec<(Kind, String, String)>);

impl Fixtures {
    fn of(&self, kind: Kind) -> &(Kind, String, String) {
        self.0
            .iter()
            .find(|(k, _, _)| *k == kind)
            .expect("a fixture of each kind")
    }
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let response = app.call(Method::POST, path, Some(body), Some(token)).await;
    assert!(response.status.is_success(), "{path}: {}", response.text);
    response.json
}

/// Creates one record of every kind for the owner; returns them with the path the owner reads
/// each back through.
async fn owner_fixtures(app: &TestApp, owner_id: i64, token: &str) -> Fixtures {
    let id = crate::helpers::id_of;
    let work = created(
        app,
        token,
        "/api/work-experiences/",
        json!({"job_title": "Engineer", "company": "Acme", "start_date": "2020-01-01"}),
    )
    .await;
    let school = created(
        app,
        token,
        "/api/educations/",
        json!({"institution": "TSU", "start_date": "2015"}),
    )
    .await;
    let user_skill = created(app, token, "/api/me/skills/", json!({"name": "Go"})).await;
    // Public profiles are visible by default: this owner has switched theirs off.
    let private = app
        .call(
            Method::PATCH,
            "/api/me/profile/",
            Some(json!({"profile_public": false})),
            Some(token),
        )
        .await;
    assert_eq!(private.status, StatusCode::OK, "{}", private.text);
    let application = created(app, token, "/api/jobs/create/", json!({"company_name": "Acme", "job_title": "Engineer", "job_description": "Rust, SQL and care."})).await;
    let portfolio = created(
        app,
        token,
        "/api/portfolios/",
        json!({"title": "Private work", "slug": "private-work"}),
    )
    .await;
    let project = created(app, token, "/api/projects/", json!({"title": "P"})).await;
    let skill = created(app, token, "/api/skills/", json!({"name": "Rust"})).await;
    let resume = created(app, token, "/api/resumes/", json!({"title": "R"})).await;
    let png = encoded(ImageFormat::Png, 8, 8);
    let asset = app
        .multipart(
            "/api/assets/",
            &[("file", Some("a.png"), &png)],
            Some(token),
        )
        .await;
    assert_eq!(asset.status, StatusCode::CREATED, "{}", asset.text);
    Fixtures(vec![
        (
            WorkExperience,
            id(&work),
            format!("/api/work-experiences/{}/", id(&work)),
        ),
        (
            Education,
            id(&school),
            format!("/api/educations/{}/", id(&school)),
        ),
        (UserSkill, id(&user_skill), "/api/me/skills/".into()),
        (
            Application,
            id(&application),
            format!("/api/jobs/{}/", id(&application)),
        ),
        (
            Portfolio,
            id(&portfolio),
            format!("/api/portfolios/{}/", id(&portfolio)),
        ),
        (
            UnpublishedSlug,
            "private-work".into(),
            format!("/api/portfolios/{}/", id(&portfolio)),
        ),
        (
            PrivateProfile,
            owner_id.to_string(),
            "/api/me/profile/".into(),
        ),
        (
            Project,
            id(&project),
            format!("/api/projects/{}/", id(&project)),
        ),
        (Skill, id(&skill), format!("/api/skills/{}/", id(&skill))),
        (
            Resume,
            id(&resume),
            format!("/api/resumes/{}/", id(&resume)),
        ),
        (Asset, id(&asset.json), "/api/assets/".into()),
    ])
}

#[tokio::test]
async fn another_user_gets_404_on_every_route_taking_an_owned_id() {
    let app = TestApp::new().await;
    let owner = app.seed_user("owner@example.com").await;
    let intruder = app.seed_user("intruder@example.com").await;
    let owner_token = app.access_token(owner.id);
    let intruder_token = app.access_token(intruder.id);
    let fixtures = owner_fixtures(&app, owner.id, &owner_token).await;

    let mut before = Vec::new();
    for (kind, _, view) in &fixtures.0 {
        let seen = app.get(view, Some(&owner_token)).await;
        assert_eq!(
            seen.status,
            StatusCode::OK,
            "{kind:?} {view}: {}",
            seen.text
        );
        before.push(seen.json);
    }

    let mut checked = 0;
    for (method, path, access) in ROUTES {
        let Owned(kind) = access else { continue };
        let (_, value, _) = fixtures.of(*kind);
        let concrete = path
            .replace("{id}", value)
            .replace("{job_id}", value)
            .replace("{slug}", value);
        let method: Method = method.parse().unwrap();
        // A body that would be valid for the owner, so only ownership can refuse it.
        let body = matches!(method, Method::POST | Method::PUT | Method::PATCH).then(|| {
            json!({"title": "Taken", "name": "Taken", "job_title": "Taken", "institution": "Taken",
                   "company_name": "Taken", "job_description": "Taken", "company": "Taken",
                   "start_date": "2020-01-01", "resume_id": 1})
        });
        let token = (*kind != UnpublishedSlug).then_some(intruder_token.as_str());
        let response = app.call(method.clone(), &concrete, body, token).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method} {concrete}: {}",
            response.text
        );
        assert!(
            response.json["detail"].is_string(),
            "{method} {concrete}: {}",
            response.text
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        ROUTES
            .iter()
            .filter(|(_, _, a)| matches!(a, Owned(_)))
            .count()
    );

    for ((kind, _, view), was) in fixtures.0.iter().zip(before) {
        let now = app.get(view, Some(&owner_token)).await;
        assert_eq!(
            now.json, was,
            "{kind:?} changed through another user's request"
        );
    }
}

#[tokio::test]
async fn staff_routes_refuse_everyone_else() {
    let app = TestApp::new().await;
    let member = app.seed_user("member@example.com").await;
    let token = app.access_token(member.id);
    for (method, path, access) in ROUTES {
        if !matches!(access, Staff) {
            continue;
        }
        let response = app
            .call(method.parse().unwrap(), path, None, Some(&token))
            .await;
        response.assert(
            StatusCode::FORBIDDEN,
            json!({"detail": "You do not have permission to perform this action."}),
        );
    }
}
