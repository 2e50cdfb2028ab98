//! Extraction tests over hand-written pages, one per pattern.

use super::*;

const INTRO: &str = "Acme Robotics builds the software that runs autonomous warehouse robots \
    across three continents, and our platform team keeps hundreds of fleets moving safely \
    every single day.";
const ROLE: &str = "As a senior engineer you will design, build and operate the Rust services \
    behind fleet planning, and you will mentor two engineers who joined us this year.";

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

fn page(head: &str, body: &str) -> String {
    format!("<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>")
}

fn json_ld(json: &str) -> String {
    format!(r#"<script type="application/ld+json">{json}</script>"#)
}

fn posting_json(extra: &str) -> String {
    format!(
        r#"{{"@context": "https://schema.org", "@type": "JobPosting", "title": "Senior Rust Engineer",
            "hiringOrganization": {{"@type": "Organization", "name": "Acme Robotics"}},
            "description": "<p>{INTRO}</p><p>{ROLE}</p>"{extra}}}"#
    )
}

fn extracted(title: &str, company: &str, description: &str, method: Method) -> PageVerdict {
    PageVerdict::Extracted(ExtractedJob {
        title: title.into(),
        company: company.into(),
        description: description.into(),
        method,
        details: PostingDetails::default(),
    })
}

fn acme_json_ld_job() -> PageVerdict {
    extracted(
        "Senior Rust Engineer",
        "Acme Robotics",
        &format!("{INTRO}\n\n{ROLE}"),
        Method::JsonLd,
    )
}

fn short_reason() -> PageVerdict {
    PageVerdict::NeedsManual(
        "no job description of at least 180 characters was found on the page".into(),
    )
}

#[test]
fn test_texts_straddle_the_threshold() {
    assert!(char_count(INTRO) < MIN_DESCRIPTION_CHARS);
    assert!(char_count(&format!("{INTRO}\n\n{ROLE}")) >= MIN_DESCRIPTION_CHARS);
}

#[test]
fn single_json_ld_object() {
    let html = page(&json_ld(&posting_json("")), "<h1>Ignored heading</h1>");
    assert_eq!(
        extract_job(&html, &url("https://jobs.acme.com/42")),
        acme_json_ld_job()
    );
}

#[test]
fn json_ld_top_level_array_with_plain_string_organization() {
    let json = format!(
        r#"[{{"@type": "WebSite", "name": "Acme"}},
            {{"@type": "JobPosting", "title": "Senior Rust Engineer",
              "hiringOrganization": "Acme Robotics", "description": "<p>{INTRO}</p><p>{ROLE}</p>"}}]"#
    );
    let html = page(&json_ld(&json), "");
    assert_eq!(
        extract_job(&html, &url("https://example.com/")),
        acme_json_ld_job()
    );
}

#[test]
fn json_ld_graph() {
    let json = format!(
        r#"{{"@context": "https://schema.org", "@graph": [{{"@type": "WebPage", "name": "Jobs"}},
            [{}]]}}"#,
        posting_json("")
    );
    let html = page(&json_ld(&json), "");
    assert_eq!(
        extract_job(&html, &url("https://example.com/")),
        acme_json_ld_job()
    );
}

#[test]
fn json_ld_type_array_and_loose_type_attribute() {
    let json = posting_json("").replace(r#""@type": "JobPosting""#, r#""@type": ["JobPosting"]"#);
    let html = page(
        &format!(r#"<script type=" Application/LD+JSON ">{json}</script>"#),
        "",
    );
    assert_eq!(
        extract_job(&html, &url("https://example.com/")),
        acme_json_ld_job()
    );
}

#[test]
fn entity_escaped_html_description_becomes_clean_text_with_list_items() {
    let json = format!(
        r#"{{"@type": "JobPosting", "title": "Platform Engineer &amp; SRE",
            "hiringOrganization": {{"name": "AT&amp;T Labs"}},
            "description": "&lt;p&gt;{INTRO}&lt;/p&gt;&lt;h3&gt;You bring&lt;/h3&gt;&lt;ul&gt;&lt;li&gt;Rust &amp;amp; Tokio&lt;/li&gt;&lt;li&gt;&lt;strong&gt;Kubernetes&lt;/strong&gt; in production&lt;/li&gt;&lt;/ul&gt;"}}"#
    );
    let html = page(&json_ld(&json), "");
    assert_eq!(
        extract_job(&html, &url("https://example.com/")),
        extracted(
            "Platform Engineer & SRE",
            "AT&T Labs",
            &format!("{INTRO}\n\nYou bring\n\n- Rust & Tokio\n- Kubernetes in production"),
            Method::JsonLd,
        )
    );
}

#[test]
fn invalid_json_in_one_script_then_a_wrapped_good_one() {
    let broken = json_ld(r#"{"@type": "JobPosting", "title": "Broken", "#);
    let wrapped = json_ld(&format!("<!--//<![CDATA[\n{};\n//]]>-->", posting_json("")));
    let html = page(&format!("{broken}{wrapped}"), "");
    assert_eq!(
        extract_job(&html, &url("https://example.com/")),
        acme_json_ld_job()
    );
}

#[test]
fn raw_line_breaks_in_a_json_string_are_kept_as_lines() {
    let json = format!(
        "{{\"@type\": \"JobPosting\", \"title\": \"Senior Rust Engineer\",\n\
         \"hiringOrganization\": \"Acme Robotics\",\n\
         \"description\": \"{INTRO}\n\n\n{ROLE}\"}}"
    );
    let html = page(&json_ld(&json), "");
    assert_eq!(
        extract_job(&html, &url("https://example.com/")),
        acme_json_ld_job()
    );
}

#[test]
fn meta_fallback() {
    let head = format!(
        r#"<title>ignored</title>
           <meta property="og:title" content="Data Analyst | Globex Careers">
           <meta property="og:site_name" content="Globex">
           <meta property="og:description" content="{INTRO} {ROLE}">
           <meta name="description" content="Short.">"#
    );
    let html = page(&head, "<p>Apply below.</p>");
    assert_eq!(
        extract_job(&html, &url("https://careers.globex.com/jobs/7")),
        extracted(
            "Data Analyst",
            "Globex",
            &format!("{INTRO} {ROLE}"),
            Method::Meta
        )
    );
}

#[test]
fn main_content_fallback_skips_chrome_and_ignores_a_header_sign_in_link() {
    let body = format!(
        r#"<header><a href="/">Initech</a> <a href="/login">Sign in</a></header>
           <nav><ul><li><a href="/jobs">All jobs</a></li><li><a href="/about">About</a></li></ul></nav>
           <main>
             <h1>Backend   Developer</h1>
             <div class="posting-meta">Austin, TX</div>
             <div class="job-description">
               <p>{INTRO}</p>
               <h2>What you will do</h2>
               <ul><li>Own the billing API</li><li>Review code<br>daily</li></ul>
               <script>track("view")</script>
               <form><input type="email" placeholder="Get job alerts"><button>Subscribe</button></form>
             </div>
           </main>
           <aside class="company-description">{ROLE} {ROLE}</aside>
           <footer>© Initech</footer>"#
    );
    let html = page("<title>Backend Developer - Initech Jobs</title>", &body);
    assert_eq!(
        extract_job(&html, &url("https://jobs.initech.com/postings/9")),
        extracted(
            "Backend Developer",
            "Initech",
            &format!("{INTRO}\n\nWhat you will do\n\n- Own the billing API\n- Review code\ndaily"),
            Method::MainContent,
        )
    );
}

#[test]
fn body_fallback_takes_the_title_suffix_off() {
    let body = format!("<div><div>{INTRO}</div><div>{ROLE}</div></div>");
    let html = page("<title>Site Reliability Engineer | Hooli</title>", &body);
    assert_eq!(
        extract_job(&html, &url("https://www.hooli.co.uk/careers/1")),
        extracted(
            "Site Reliability Engineer",
            "Hooli",
            &format!("{INTRO}\n{ROLE}"),
            Method::MainContent,
        )
    );
}

#[test]
fn article_header_heading_is_the_title_but_a_banner_logo_is_not() {
    let body = format!(
        r#"<header><h1>Hooli</h1></header>
           <div class="wrapper"><article><header><h1>Product Designer</h1><p>Remote</p></header>
           <p>{INTRO}</p><p>{ROLE}</p></article></div>"#
    );
    let html = page("<title>Careers at Hooli</title>", &body);
    assert_eq!(
        extract_job(&html, &url("https://hooli.com/careers/designer")),
        extracted(
            "Product Designer",
            "Hooli",
            &format!("{INTRO}\n\n{ROLE}"),
            Method::MainContent,
        )
    );
}

#[test]
fn sign_up_wall_url_needs_manual_input() {
    let body = format!("<main><p>{INTRO}</p><p>{ROLE}</p></main>");
    assert_eq!(
        extract_job(
            &page("", &body),
            &url("https://www.linkedin.com/signup/cold-join?session_redirect=%2Fjobs")
        ),
        PageVerdict::NeedsManual("the page asks you to sign in".into())
    );
}

#[test]
fn json_ld_title_is_kept_when_the_description_comes_from_the_page() {
    let json = r#"{"@type": "JobPosting", "title": "Staff Engineer",
                   "hiringOrganization": {"name": "Acme Robotics"}, "description": "Join us!"}"#;
    let body = format!("<h1>Careers</h1><article><p>{INTRO}</p><p>{ROLE}</p></article>");
    let html = page(&json_ld(json), &body);
    assert_eq!(
        extract_job(&html, &url("https://acme.com/jobs/1")),
        extracted(
            "Staff Engineer",
            "Acme Robotics",
            &format!("{INTRO}\n\n{ROLE}"),
            Method::MainContent,
        )
    );
}

#[test]
fn short_description_needs_manual_input() {
    let json =
        r#"{"@type": "JobPosting", "title": "Barista", "description": "<p>Make coffee.</p>"}"#;
    let html = page(
        &json_ld(json),
        "<main><h1>Barista</h1><p>Make coffee.</p></main>",
    );
    assert_eq!(
        extract_job(&html, &url("https://cafe.example/jobs/1")),
        short_reason()
    );
}

#[test]
fn linkedin_authwall_needs_manual_input() {
    let head = r#"<title>Sign Up | LinkedIn</title>
        <meta name="description" content="500 million+ members | Manage your professional identity.">"#;
    let body = r#"<header><a href="/">LinkedIn</a></header>
        <main><section class="authwall-join-form">
          <h1>Join to apply for the Senior Engineer role at Acme</h1>
          <p>Make the most of your professional life. By clicking Agree &amp; Join, you agree to
             the LinkedIn User Agreement, Privacy Policy and Cookie Policy.</p>
          <form><input type="email" name="email"><input type="password" name="password">
            <button>Agree &amp; Join</button></form>
          <p>Already on LinkedIn? <a href="/login">Sign in</a></p>
        </section></main>"#;
    let verdict = PageVerdict::NeedsManual("the page asks you to sign in".into());
    assert_eq!(
        extract_job(
            &page(head, body),
            &url("https://www.linkedin.com/jobs/view/123")
        ),
        verdict
    );
    assert_eq!(
        extract_job(
            &page(head, body),
            &url("https://www.linkedin.com/authwall?trk=gf&sessionRedirect=x")
        ),
        verdict
    );
}

#[test]
fn sign_in_prompt_wins_over_a_short_site_blurb() {
    let head = format!(r#"<meta property="og:description" content="{INTRO} {ROLE}">"#);
    let body = "<main><p>Please sign in to view this job.</p></main>";
    assert_eq!(
        extract_job(&page(&head, body), &url("https://acme.com/jobs/3")),
        PageVerdict::NeedsManual("the page asks you to sign in".into())
    );
}

#[test]
fn good_json_ld_wins_over_a_sign_in_header_and_login_modal() {
    let body = r#"<header><a href="/login">Sign in</a></header>
        <div class="modal" hidden><form><p>Please log in</p><input type="password"></form></div>
        <main><h1>Senior Rust Engineer</h1><p>See below.</p></main>"#;
    let html = page(&json_ld(&posting_json("")), body);
    assert_eq!(
        extract_job(&html, &url("https://jobs.acme.com/42")),
        acme_json_ld_job()
    );
}

#[test]
fn javascript_shell_needs_manual_input() {
    let head = r#"<title>Careers</title><script src="/static/runtime.js"></script>
        <script src="/static/vendor.js"></script>"#;
    let body = r#"<noscript>You need to enable JavaScript to run this app.</noscript>
        <div id="root"></div><script src="/static/main.js"></script>"#;
    assert_eq!(
        extract_job(&page(head, body), &url("https://careers.acme.com/job/5")),
        PageVerdict::NeedsManual(
            "the page is rendered by JavaScript and has no job description in its HTML".into()
        )
    );
}

#[test]
fn a_short_static_page_is_not_called_a_script_shell() {
    let html = page(
        "<title>Job</title>",
        "<h1>Job</h1><p>Contact us for details.</p>",
    );
    assert_eq!(
        extract_job(&html, &url("https://acme.com/j")),
        short_reason()
    );
}

#[test]
fn html_to_text_keeps_plain_text() {
    assert_eq!(
        html_to_text("  Line one  with\tspaces \n\n\n\nLine two &amp; more, salary < 50k\n"),
        "Line one with spaces\n\nLine two & more, salary < 50k"
    );
}

#[test]
fn html_to_text_structures_blocks_and_lists() {
    let html = "<h2>About</h2><p>Hello&nbsp;<b>wide</b>\n   world</p><ul><li>One</li>\
        <li><p>Two</p><ul><li>Nested</li></ul></li></ul><p>a<br>b<br><br>c</p>\
        <script>x()</script><style>p {}</style><table><tr><td>Pay</td><td>$90k</td></tr></table>";
    assert_eq!(
        html_to_text(html),
        "About\n\nHello wide world\n\n- One\n- Two\n  - Nested\n\na\nb\n\nc\n\nPay $90k"
    );
}

#[test]
fn html_to_text_reads_the_body_of_a_whole_document() {
    let html = "<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head>\
        <body><div>Hi</div><!-- note --><div>there</div></body></html>";
    assert_eq!(html_to_text(html), "Hi\nthere");
}

#[test]
fn html_to_text_survives_very_deep_nesting() {
    let html = format!("{}deep{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
    assert_eq!(html_to_text(&html), "deep");
}

#[test]
fn host_label_takes_the_registrable_label() {
    assert_eq!(host_label(&url("https://jobs.acme.co.uk/x")), "acme");
    assert_eq!(host_label(&url("https://www.initech.com/")), "initech");
    assert_eq!(host_label(&url("http://localhost:8080/")), "localhost");
    assert_eq!(host_label(&url("http://10.0.0.1/")), "10.0.0.1");
}

fn needs(reason: &str) -> PageVerdict {
    PageVerdict::NeedsManual(reason.into())
}

fn posting_body() -> String {
    format!("<main><h1>Front End Engineer</h1><p>{INTRO}</p><p>{ROLE}</p></main>")
}

#[test]
fn an_ats_page_names_the_employer_from_the_title_not_the_platform() {
    let head = r#"<meta property="og:site_name" content="Lever"><meta property="og:title" content="Xsolla - Front End Engineer"><title>Xsolla - Front End Engineer</title>"#;
    let verdict = extract_job(
        &page(head, &posting_body()),
        &url("https://jobs.lever.co/xsolla/e6b20ba5-c5b0-4e16-beaa-f2670f031502"),
    );
    let PageVerdict::Extracted(job) = verdict else {
        panic!("{verdict:?}")
    };
    assert_eq!(
        (job.title.as_str(), job.company.as_str()),
        ("Front End Engineer", "Xsolla")
    );
}

#[test]
fn titles_lose_the_employer_in_every_pattern() {
    let hints = |host: &str| employer_hints(&url(host), "");
    for (title, host, expected) in [
        (
            "GotSoccer, LLC: Rails Developer",
            "https://gotsoccer.com/jobs/1",
            ("Rails Developer", Some("GotSoccer, LLC")),
        ),
        (
            "Ingénieur DevOps — BS-Team SA",
            "https://www.bs-team.ch/jobs/x/",
            ("Ingénieur DevOps", Some("BS-Team SA")),
        ),
        (
            "Staff Engineer at Northwind Traders",
            "https://example.org/p/1",
            ("Staff Engineer", Some("Northwind Traders")),
        ),
        (
            "Sonar - Major Incident Manager",
            "https://jobs.lever.co/sonarsource/1",
            ("Major Incident Manager", Some("Sonar")),
        ),
        (
            "Engineer - Remote",
            "https://acme.com/jobs/1",
            ("Engineer - Remote", None),
        ),
    ] {
        let (job, company) = split_title(title, &hints(host));
        assert_eq!((job.as_str(), company.as_deref()), expected, "{title}");
    }
    assert_eq!(clean_employer("Canonical - Jobs"), "Canonical");
    assert_eq!(clean_employer("Acme Careers"), "Acme");
    assert!(is_platform("We Work Remotely") && is_platform("Personio") && !is_platform("Acme"));
}

#[test]
fn application_forms_listings_and_bot_checks_are_not_postings() {
    // An apply URL, whatever the meta tags hold.
    let meta = format!(
        r#"<meta property="og:description" content="{INTRO} {ROLE}"><title>Acme - Engineer</title>"#
    );
    assert_eq!(
        extract_job(
            &page(&meta, "<form><input name=name></form>"),
            &url("https://jobs.lever.co/acme/1/apply")
        ),
        needs(FORM_REASON)
    );
    // A form page at any address: a resume upload and little else.
    let form = r#"<form><label>Name</label><input name=n><label>Email</label><input type=email><label>Resume</label><input type=file><textarea></textarea></form>"#;
    assert_eq!(
        extract_job(
            &page(
                &meta,
                &format!("<p>Autofill application. Save time by importing your resume.</p>{form}")
            ),
            &url("https://careers.acme.com/788531/index.html")
        ),
        needs(FORM_REASON)
    );
    // A posting that ends with its form is still a posting.
    let paragraphs = format!("<p>{INTRO}</p><p>{ROLE}</p>").repeat(4);
    let long_posting = format!("<main><h1>Front End Engineer</h1>{paragraphs}</main>");
    let with_form = format!("{long_posting}{form}");
    assert!(matches!(
        extract_job(
            &page("<title>Front End Engineer</title>", &with_form),
            &url("https://careers.acme.com/jobs/1")
        ),
        PageVerdict::Extracted(_)
    ));
    // A careers page listing jobs.
    let links: String = (1..=6)
        .map(|n| format!(r#"<li><a href="/jobs/{n}-engineer">Engineer {n}</a></li>"#))
        .collect();
    assert_eq!(
        extract_job(
            &page(
                "<title>Careers</title>",
                &format!("<h1>Open positions</h1><p>{INTRO}</p><ul>{links}</ul>")
            ),
            &url("https://acme.com/careers")
        ),
        needs(LISTING_REASON)
    );
    let two = format!(
        "{}{}",
        json_ld(&posting_json("")),
        json_ld(&posting_json(""))
    );
    assert_eq!(
        extract_job(&page(&two, "<p>jobs</p>"), &url("https://acme.com/careers")),
        needs(LISTING_REASON)
    );
    // A bot check.
    assert_eq!(
        extract_job(
            &page(
                "<title>Just a moment...</title>",
                "<p>Checking your browser before accessing acme.com.</p>"
            ),
            &url("https://acme.com/jobs/1")
        ),
        needs(CHALLENGE_REASON)
    );
}

#[test]
fn an_apply_address_leads_to_its_posting() {
    let of = |u: &str| posting_url_of(&url(u)).map(|u| u.to_string());
    assert_eq!(
        of("https://jobs.lever.co/acme/123/apply"),
        Some("https://jobs.lever.co/acme/123".into())
    );
    assert_eq!(
        of("https://acme.jobs.personio.de/job/26/apply?language=de"),
        Some("https://acme.jobs.personio.de/job/26?language=de".into())
    );
    assert_eq!(
        of("https://acme.teamtailor.com/jobs/9-eng/applications/new"),
        Some("https://acme.teamtailor.com/jobs/9-eng".into())
    );
    assert_eq!(of("https://acme.com/apply"), None);
    assert_eq!(of("https://acme.com/jobs/1"), None);
}

#[test]
fn a_meta_snippet_never_beats_the_posting_body_that_contains_it() {
    let snippet = format!("{INTRO} {ROLE}");
    let head = format!(
        r#"<meta property="og:description" content="{snippet}"><title>Rust Engineer</title>"#
    );
    let body = format!(
        "<main><h1>Rust Engineer</h1><p>{INTRO}</p><p>{ROLE}</p><h2>Requirements</h2><ul><li>Five years of Rust and distributed systems.</li></ul></main>"
    );
    let verdict = extract_job(&page(&head, &body), &url("https://acme.com/jobs/1"));
    let PageVerdict::Extracted(job) = verdict else {
        panic!("{verdict:?}")
    };
    assert_eq!(job.method, Method::MainContent);
    assert!(
        job.description
            .ends_with("- Five years of Rust and distributed systems."),
        "{}",
        job.description
    );
    // A body that does not carry the snippet (chrome, another job) does not replace it.
    let other = format!(
        "<main><h1>Rust Engineer</h1><p>{}</p></main>",
        "Cookie settings and our newsletter. ".repeat(8)
    );
    let PageVerdict::Extracted(job) =
        extract_job(&page(&head, &other), &url("https://acme.com/jobs/1"))
    else {
        panic!()
    };
    assert_eq!(
        (job.method, job.description.as_str()),
        (Method::Meta, snippet.as_str())
    );
}

#[test]
fn main_content_leaves_out_banners_dialogs_and_other_jobs() {
    let body = format!(
        r#"<div id="cookie-banner"><p>This website uses cookies to improve your experience. Accept all cookies?</p></div>
        <main><h1>Rust Engineer</h1><p>{INTRO}</p><p>{ROLE}</p>
        <section class="similar-jobs"><h2>Recommended jobs</h2><ul><li>Go Engineer</li><li>Java Engineer</li></ul></section></main>
        <div role="dialog" aria-modal="true"><p>Sign up for job alerts and our newsletter.</p></div>"#
    );
    let PageVerdict::Extracted(job) = extract_job(
        &page("<title>Rust Engineer</title>", &body),
        &url("https://acme.com/jobs/1"),
    ) else {
        panic!()
    };
    assert_eq!(
        job.description,
        format!("Rust Engineer\n\n{INTRO}\n\n{ROLE}")
    );
}

#[test]
fn microdata_postings_are_read_without_json_ld() {
    let body = format!(
        r#"<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">Rust Engineer</h1>
        <div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Acme Robotics</span></div>
        <div itemprop="description"><p>{INTRO}</p><p>{ROLE}</p></div></div>"#
    );
    assert_eq!(
        extract_job(
            &page("<title>Jobs</title>", &body),
            &url("https://jobs.example.org/1")
        ),
        extracted(
            "Rust Engineer",
            "Acme Robotics",
            &format!("{INTRO}\n\n{ROLE}"),
            Method::Microdata
        )
    );
}

#[test]
fn json_ld_details_are_kept() {
    let extra = r#", "jobLocation": {"@type": "Place", "address": {"addressLocality": "Berlin", "addressCountry": "DE"}},
        "jobLocationType": "TELECOMMUTE", "employmentType": ["FULL_TIME", "CONTRACTOR"], "datePosted": "2026-11-20",
        "experienceRequirements": {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 36},
        "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": {"@type": "QuantitativeValue", "minValue": 60000, "maxValue": 80000, "unitText": "YEAR"}}"#;
    let PageVerdict::Extracted(job) = extract_job(
        &page(&json_ld(&posting_json(extra)), ""),
        &url("https://acme.com/jobs/1"),
    ) else {
        panic!()
    };
    assert_eq!(
        job.details,
        PostingDetails {
            location: Some("Berlin, DE".into()),
            remote: Some(true),
            employment_type: Some("FULL_TIME, CONTRACTOR".into()),
            salary: Some("EUR 60000\u{2013}80000 per YEAR".into()),
            date_posted: Some("2026-11-20".into()),
            seniority: Some("experienced".into()),
        }
    );
}
