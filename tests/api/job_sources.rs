//! Hosted job boards read through their vendors' public posting APIs and feeds (Greenhouse,
//! Lever, Ashby, SmartRecruiters, Recruitee, Workday, Workable, Personio, Teamtailor, BambooHR),
//! each served by a local server answering in the vendor's own shape; an `/apply` address reads
//! its posting; an API that does not answer falls back to the page.

use axum::Router;
use axum::extract::Path;
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use careerhub::tracker::application;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_server};

const INTRO: &str = "Acme Robotics builds the software that runs autonomous warehouse robots across three continents.";
const ROLE: &str = "You will design, build and operate the Rust services behind fleet planning and mentor two engineers.";

async fn greenhouse_job(Path((board, id)): Path<(String, String)>) -> axum::response::Response {
    if board != "acme" || id != "4012345" {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Greenhouse escapes the HTML of `content`.
    let content = format!(
        "&lt;p&gt;{INTRO}&lt;/p&gt;&lt;h3&gt;What you will do&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;{ROLE}&lt;/li&gt;&lt;/ul&gt;"
    );
    axum::Json(
        json!({"id": 4012345, "title": "Senior Rust Engineer", "company_name": "Acme Robotics",
        "location": {"name": "Berlin"}, "updated_at": "2026-11-20T10:00:00-05:00",
        "absolute_url": "https://boards.greenhouse.io/acme/jobs/4012345", "content": content}),
    )
    .into_response()
}

async fn lever_posting(Path((company, id)): Path<(String, String)>) -> axum::response::Response {
    if company != "acme-robotics" || id != "50d2e8ac-2886-489f-b66a-c44ac049fa3a" {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"id": id, "text": "Platform Engineer", "categories": {"location": "Remote", "commitment": "Full-time"},
        "description": format!("<div>{INTRO}</div>"),
        "lists": [{"text": "Requirements", "content": format!("<li>{ROLE}</li><li>Five years of Rust.</li>")}],
        "additional": "<div>We offer a yearly learning budget.</div>", "createdAt": 1764000000000_i64}))
    .into_response()
}

async fn ashby_board(Path(org): Path<String>) -> axum::response::Response {
    if org != "acme" {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"apiVersion": "1", "jobs": [
        {"id": "11111111-2222-3333-4444-555555555555", "title": "Other role", "descriptionHtml": "<p>x</p>"},
        {"id": "0b1c2d3e-aaaa-bbbb-cccc-111122223333", "title": "Data Engineer", "location": "Zurich",
         "employmentType": "FullTime", "isRemote": false, "descriptionHtml": format!("<p>{INTRO}</p><p>{ROLE}</p>"),
         "publishedAt": "2026-11-01T00:00:00.000+00:00"}]}))
    .into_response()
}

async fn smartrecruiters_posting(
    Path((company, id)): Path<(String, String)>,
) -> axum::response::Response {
    if company != "AcmeRobotics" || id != "743999912345678" {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"id": id, "name": "Robotics Engineer", "company": {"identifier": company, "name": "Acme Robotics GmbH"},
        "location": {"city": "Munich", "country": "de", "remote": false}, "typeOfEmployment": {"label": "Full-time"},
        "releasedDate": "2026-11-03T09:00:00.000Z",
        "jobAd": {"sections": {
            "companyDescription": {"title": "Company Description", "text": "<p>We are Acme, a great place to work with free snacks.</p>"},
            "jobDescription": {"title": "Job Description", "text": format!("<p>{INTRO}</p>")},
            "qualifications": {"title": "Qualifications", "text": format!("<ul><li>{ROLE}</li></ul>")},
            "additionalInformation": {"title": "Additional Information", "text": "<p>Hybrid, two days a week in Munich.</p>"}}}}))
    .into_response()
}

async fn recruitee_offers(Path(company): Path<String>) -> axum::response::Response {
    if company != "acme" {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"offers": [
        {"id": 1, "slug": "designer", "title": "Designer", "description": "<p>Other</p>", "company_name": "Acme BV"},
        {"id": 2, "slug": "backend-engineer", "title": "Backend Engineer", "company_name": "Acme BV",
         "description": format!("<p>{INTRO}</p>"), "requirements": format!("<ul><li>{ROLE}</li></ul>"),
         "location": "Amsterdam, Netherlands", "remote": true, "employment_type_code": "fulltime_permanent",
         "published_at": "2026-11-10 08:00:00 UTC"}]}))
    .into_response()
}

async fn workday_job(
    Path((host, tenant, site, path)): Path<(String, String, String, String)>,
) -> axum::response::Response {
    if host != "acme.wd5.myworkdayjobs.com"
        || tenant != "acme"
        || site != "AcmeCareers"
        || path != "Berlin-Germany/Senior-Rust-Engineer_R-1234"
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"jobPostingInfo": {"id": "abc", "title": "Senior Rust Engineer",
        "jobDescription": format!("<p>{INTRO}</p><p><b>Responsibilities</b></p><ul><li>{ROLE}</li></ul>"),
        "location": "Berlin, Germany", "additionalLocations": ["Remote, Germany"], "postedOn": "Posted 3 Days Ago",
        "startDate": "2026-11-25", "timeType": "Full time", "jobReqId": "R-1234", "remoteType": "Hybrid"},
        "hiringOrganization": {"name": "Acme Robotics SE", "url": ""}}))
    .into_response()
}

async fn workable_job(
    Path((account, shortcode)): Path<(String, String)>,
) -> axum::response::Response {
    if account != "acme-robotics" || shortcode != "AB12CD34EF" {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"shortcode": shortcode, "title": "Field Robotics Technician", "remote": false,
        "location": {"country": "Netherlands", "countryCode": "NL", "city": "Rotterdam", "region": "South Holland"},
        "published": "2026-11-18T00:00:00.000Z", "type": "full", "experience": "Mid-Senior level",
        "description": format!("<p>{INTRO}</p>"), "requirements": format!("<ul><li>{ROLE}</li></ul>"),
        "benefits": "<p>Thirty days of holiday.</p>"}))
    .into_response()
}

fn xml(body: String) -> axum::response::Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/xml; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

async fn personio_feed(Path(host): Path<String>) -> axum::response::Response {
    if host != "acme.jobs.personio.de" {
        return StatusCode::NOT_FOUND.into_response();
    }
    xml(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<workzag-jobs>
  <position><id>1111111</id><name>Office Manager</name><jobDescriptions><jobDescription>
    <name>About</name><value><![CDATA[<p>Another role entirely, with enough words to be a posting of its own.</p>]]></value>
  </jobDescription></jobDescriptions></position>
  <position>
    <id>1234567</id><subcompany>Acme Robotics GmbH</subcompany><office>Hamburg</office>
    <additionalOffices><office>Remote</office></additionalOffices><department>Engineering</department>
    <name>Embedded Engineer (m/w/d)</name>
    <jobDescriptions>
      <jobDescription><name>Your mission</name><value><![CDATA[<p>{INTRO}</p>]]></value></jobDescription>
      <jobDescription><name>Your profile</name><value><![CDATA[<ul><li>{ROLE}</li><li>C &amp; Rust</li></ul>]]></value></jobDescription>
    </jobDescriptions>
    <employmentType>permanent</employmentType><seniority>experienced</seniority><schedule>full-time</schedule>
    <createdAt>2026-11-05T09:30:00+00:00</createdAt>
  </position>
</workzag-jobs>"#
    ))
}

async fn teamtailor_feed(Path(host): Path<String>) -> axum::response::Response {
    if host != "acme.teamtailor.com" {
        return StatusCode::NOT_FOUND.into_response();
    }
    xml(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:tt="https://teamtailor.com/locations">
  <channel><title>Acme Robotics AB</title><link>https://acme.teamtailor.com</link>
    <item><title>Designer</title><link>https://acme.teamtailor.com/jobs/3456700-designer</link>
      <description>&lt;p&gt;Another role.&lt;/p&gt;</description></item>
    <item><title>Backend Engineer</title><link>https://acme.teamtailor.com/jobs/3456789-backend-engineer</link>
      <guid>3456789</guid><pubDate>Tue, 17 Nov 2026 08:00:00 +0100</pubDate>
      <description>&lt;p&gt;{INTRO}&lt;/p&gt;&lt;ul&gt;&lt;li&gt;{ROLE}&lt;/li&gt;&lt;/ul&gt;</description>
      <tt:remoteStatus>fully</tt:remoteStatus>
      <tt:locations><tt:location><tt:name>Stockholm</tt:name><tt:city>Stockholm</tt:city><tt:country>Sweden</tt:country></tt:location></tt:locations>
    </item>
  </channel>
</rss>"#
    ))
}

async fn bamboohr_detail(Path((host, id)): Path<(String, String)>) -> axum::response::Response {
    if host != "acme.bamboohr.com" || id != "42" {
        return StatusCode::NOT_FOUND.into_response();
    }
    axum::Json(json!({"meta": {"totalCount": 1}, "result": {"jobOpening": {"id": "42",
        "jobOpeningName": "Support Engineer", "jobOpeningStatus": "Open", "employmentStatusLabel": "Part-Time",
        "location": {"city": "Denver", "state": "Colorado", "addressCountry": "United States"}, "isRemote": null,
        "datePosted": "2026-11-12", "compensation": "$30 - $40 / hour",
        "description": format!("<p>{INTRO}</p><p>{ROLE}</p>")}}}))
    .into_response()
}

async fn vendor_app() -> TestApp {
    let router = Router::new()
        .route(
            "/greenhouse/v1/boards/{board}/jobs/{id}",
            get(greenhouse_job),
        )
        .route("/lever/v0/postings/{company}/{id}", get(lever_posting))
        .route("/ashby/posting-api/job-board/{org}", get(ashby_board))
        .route(
            "/sr/v1/companies/{company}/postings/{id}",
            get(smartrecruiters_posting),
        )
        .route("/recruitee/{company}/api/offers/", get(recruitee_offers))
        .route(
            "/workday/{host}/wday/cxs/{tenant}/{site}/job/{*path}",
            get(workday_job),
        )
        .route(
            "/workable/api/v2/accounts/{account}/jobs/{shortcode}",
            get(workable_job),
        )
        .route("/personio/{host}/xml", get(personio_feed))
        .route("/teamtailor/{host}/jobs.rss", get(teamtailor_feed))
        .route("/bamboohr/{host}/careers/{id}/detail", get(bamboohr_detail));
    let base = spawn_server(router).await;
    let addr = base.trim_start_matches("http://").parse().unwrap();
    TestApp::with_config(|c| {
        // The boards' own pages come from the same local server (it has none: 404).
        c.fetch.local_hosts = Some(careerhub::fetch::LocalHosts {
            addr,
            hosts: vec!["boards.greenhouse.io".into()],
        });
        c.vendor_apis.greenhouse = format!("{base}/greenhouse");
        c.vendor_apis.lever = format!("{base}/lever");
        c.vendor_apis.ashby = format!("{base}/ashby");
        c.vendor_apis.smartrecruiters = format!("{base}/sr");
        c.vendor_apis.recruitee = format!("{base}/recruitee/{{company}}");
        c.vendor_apis.workday = format!("{base}/workday/{{host}}");
        c.vendor_apis.workable = format!("{base}/workable");
        c.vendor_apis.personio = format!("{base}/personio/{{host}}");
        c.vendor_apis.teamtailor = format!("{base}/teamtailor/{{host}}");
        c.vendor_apis.bamboohr = format!("{base}/bamboohr/{{host}}");
    })
    .await
}

async fn create(app: &TestApp, token: &str, url: &str) -> crate::helpers::TestResponse {
    app.call(
        Method::POST,
        "/api/jobs/create/",
        Some(json!({"job_url": url})),
        Some(token),
    )
    .await
}

async fn method_of(app: &TestApp, body: &Value) -> Option<String> {
    application::Entity::find_by_id(body["id"].as_i64().unwrap())
        .one(app.state.db.reader())
        .await
        .unwrap()
        .unwrap()
        .extraction_method
}

#[tokio::test]
async fn hosted_boards_are_read_through_their_vendors_apis() {
    let app = vendor_app().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let cases = [
        (
            "https://boards.greenhouse.io/acme/jobs/4012345",
            "Senior Rust Engineer",
            "Acme Robotics",
            format!("{INTRO}\n\nWhat you will do\n\n- {ROLE}"),
            "greenhouse_api",
        ),
        (
            "https://jobs.lever.co/acme-robotics/50d2e8ac-2886-489f-b66a-c44ac049fa3a/apply",
            "Platform Engineer",
            "Acme Robotics",
            format!(
                "{INTRO}\n\nRequirements\n\n- {ROLE}\n- Five years of Rust.\n\nWe offer a yearly learning budget."
            ),
            "lever_api",
        ),
        (
            "https://jobs.ashbyhq.com/acme/0b1c2d3e-aaaa-bbbb-cccc-111122223333",
            "Data Engineer",
            "Acme",
            format!("{INTRO}\n\n{ROLE}"),
            "ashby_api",
        ),
        (
            "https://jobs.smartrecruiters.com/AcmeRobotics/743999912345678-robotics-engineer",
            "Robotics Engineer",
            "Acme Robotics GmbH",
            format!(
                "Job Description\n\n{INTRO}\n\nQualifications\n\n- {ROLE}\n\nAdditional Information\n\nHybrid, two days a week in Munich."
            ),
            "smartrecruiters_api",
        ),
        (
            "https://acme.recruitee.com/o/backend-engineer",
            "Backend Engineer",
            "Acme BV",
            format!("{INTRO}\n\n- {ROLE}"),
            "recruitee_api",
        ),
    ];
    let mut details = Vec::new();
    for (url, title, company, description, method) in cases {
        let created = create(&app, &token, url).await;
        let body = created.assert_status(StatusCode::CREATED).clone();
        assert_eq!(
            (
                &body["job_title"],
                &body["company_name"],
                &body["job_description"],
                &body["extraction_status"]
            ),
            (
                &json!(title),
                &json!(company),
                &json!(description),
                &json!("success")
            ),
            "{url}"
        );
        assert_eq!(
            method_of(&app, &body).await.as_deref(),
            Some(method),
            "{url}"
        );
        details.push((
            body["location"].clone(),
            body["remote"].clone(),
            body["employment_type"].clone(),
            body["date_posted"].clone(),
        ));
    }
    assert_eq!(
        details,
        [
            (
                json!("Berlin"),
                Value::Null,
                Value::Null,
                json!("2026-11-20T10:00:00-05:00")
            ),
            (
                json!("Remote"),
                Value::Null,
                json!("Full-time"),
                json!("2025-11-24")
            ),
            (
                json!("Zurich"),
                json!(false),
                json!("FullTime"),
                json!("2026-11-01T00:00:00.000+00:00")
            ),
            (
                json!("Munich, DE"),
                json!(false),
                json!("Full-time"),
                json!("2026-11-03T09:00:00.000Z")
            ),
            (
                json!("Amsterdam, Netherlands"),
                json!(true),
                json!("fulltime_permanent"),
                json!("2026-11-10 08:00:00 UTC")
            ),
        ]
    );
}

#[tokio::test]
async fn workday_workable_personio_teamtailor_and_bamboohr_postings_come_from_their_feeds() {
    let app = vendor_app().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let cases = [
        (
            "https://acme.wd5.myworkdayjobs.com/en-US/AcmeCareers/job/Berlin-Germany/Senior-Rust-Engineer_R-1234/apply",
            json!({"job_title": "Senior Rust Engineer", "company_name": "Acme Robotics SE",
                "job_description": format!("{INTRO}\n\nResponsibilities\n\n- {ROLE}"),
                "location": "Berlin, Germany; Remote, Germany", "remote": false, "employment_type": "Full time",
                "salary": null, "date_posted": "2026-11-25", "seniority": null}),
            "workday_api",
        ),
        (
            "https://apply.workable.com/acme-robotics/j/AB12CD34EF/",
            json!({"job_title": "Field Robotics Technician", "company_name": "Acme Robotics",
                "job_description": format!("{INTRO}\n\nRequirements\n\n- {ROLE}\n\nBenefits\n\nThirty days of holiday."),
                "location": "Rotterdam, South Holland, Netherlands", "remote": false, "employment_type": "full",
                "salary": null, "date_posted": "2026-11-18T00:00:00.000Z", "seniority": "Mid-Senior level"}),
            "workable_api",
        ),
        (
            "https://acme.jobs.personio.de/job/1234567?language=en&display=en",
            json!({"job_title": "Embedded Engineer (m/w/d)", "company_name": "Acme Robotics GmbH",
                "job_description": format!("Your mission\n\n{INTRO}\n\nYour profile\n\n- {ROLE}\n- C & Rust"),
                "location": "Hamburg; Remote", "remote": null, "employment_type": "full-time, permanent",
                "salary": null, "date_posted": "2026-11-05T09:30:00+00:00", "seniority": "experienced"}),
            "personio_feed",
        ),
        (
            "https://acme.teamtailor.com/jobs/3456789-backend-engineer",
            json!({"job_title": "Backend Engineer", "company_name": "Acme Robotics AB",
                "job_description": format!("{INTRO}\n\n- {ROLE}"),
                "location": "Stockholm", "remote": true, "employment_type": null,
                "salary": null, "date_posted": "Tue, 17 Nov 2026 08:00:00 +0100", "seniority": null}),
            "teamtailor_feed",
        ),
        (
            "https://acme.bamboohr.com/careers/42",
            json!({"job_title": "Support Engineer", "company_name": "Acme",
                "job_description": format!("{INTRO}\n\n{ROLE}"),
                "location": "Denver, Colorado, United States", "remote": null, "employment_type": "Part-Time",
                "salary": "$30 - $40 / hour", "date_posted": "2026-11-12", "seniority": null}),
            "bamboohr_api",
        ),
    ];
    for (url, expected, method) in cases {
        let created = create(&app, &token, url).await;
        let body = created.assert_status(StatusCode::CREATED).clone();
        let read: serde_json::Map<String, Value> = expected
            .as_object()
            .unwrap()
            .keys()
            .map(|key| (key.clone(), body[key].clone()))
            .collect();
        assert_eq!(Value::Object(read), expected, "{url}");
        assert_eq!(body["extraction_status"], "success", "{url}");
        assert_eq!(
            method_of(&app, &body).await.as_deref(),
            Some(method),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_vendor_api_that_does_not_know_the_posting_falls_back_to_the_page() {
    let app = vendor_app().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    // The API answers 404, then the board's own page does: the user is asked for the fields,
    // and nothing is stored.
    create(&app, &token, "https://boards.greenhouse.io/acme/jobs/999").await.assert(
        StatusCode::BAD_REQUEST,
        json!({"detail": "Extraction failed: the page answered HTTP 404. Provide manual company_name, job_title, and job_description."}),
    );
    assert_eq!(
        application::Entity::find()
            .all(app.state.db.reader())
            .await
            .unwrap()
            .len(),
        0
    );
}
