//! The local engine's scores, keywords and notes on small resumes and postings written here.

use super::experience::resume_years;
use super::notes::{MAX_NOTES, MIN_NOTES};
use super::posting::{Layout, required_years};
use super::*;
use crate::tracker::page::{NO_DETAILS, PostingDetails};

/// March 2025.
pub(super) const THIS_MONTH: i32 = 2025 * 12 + 2;

fn input<'a>(
    resume: &'a str,
    title: &'a str,
    description: &'a str,
    level: CandidateLevel,
    target: &'a [String],
) -> AnalysisInput<'a> {
    AnalysisInput {
        resume_text: resume,
        job_title: title,
        company_name: "Acme",
        job_description: description,
        candidate_level: level,
        target_stack: target,
        details: &NO_DETAILS,
    }
}

fn run(resume: &str, title: &str, description: &str, level: CandidateLevel) -> Analysis {
    analyze_at(&input(resume, title, description, level, &[]), THIS_MONTH)
}

const POSTING: &str = "About the role\n\
    We build the payments backend that serves millions of merchants.\n\
    Requirements:\n\
    • 5+ years of experience building backend services\n\
    • Strong Python and Django; PostgreSQL in production\n\
    • Docker and Kubernetes (we run everything on Kubernetes)\n\
    • REST APIs and microservices; AWS\n\
    Nice to have:\n\
    • Kafka, Terraform\n\
    • Kubernetes operators are a plus";

const STRONG: &str = "Jane Doe | jane@example.com | github.com/jane\n\
    SUMMARY Senior backend engineer with 7 years of experience.\n\
    EXPERIENCE\n\
    Senior Backend Engineer, Paycorp  Jan 2019 – Present\n\
    • Led the migration of the billing monolith to Python/Django microservices on Kubernetes, cutting p99 latency by 40%\n\
    • Designed PostgreSQL partitioning for 2TB of ledger data serving 3M users\n\
    • Built REST APIs handling 5,000 requests per second in production on AWS with Docker\n\
    Backend Engineer, Shopco  2016 – 2018\n\
    • Owned the order service; reduced incidents by 60%\n\
    SKILLS Python, Django, PostgreSQL, Docker, Kubernetes, AWS, Kafka";

const WEAK: &str = "John Roe\n\
    Office assistant. Answered phones and filed reports for the sales team.\n\
    Skills: Excel, Word, customer service";

#[test]
fn a_strong_match_beats_a_weak_one_on_every_bucket() {
    let level = CandidateLevel::Experienced;
    let strong = run(STRONG, "Senior Backend Engineer", POSTING, level);
    let weak = run(WEAK, "Senior Backend Engineer", POSTING, level);
    let (s, w) = (&strong.score_breakdown, &weak.score_breakdown);
    assert!(s.skills_match > w.skills_match, "{s:?} {w:?}");
    assert!(s.project_impact > w.project_impact, "{s:?} {w:?}");
    assert!(s.tools_frameworks > w.tools_frameworks, "{s:?} {w:?}");
    assert!(s.role_fit > w.role_fit, "{s:?} {w:?}");
    assert!(strong.ats_score >= 80, "{strong:?}");
    assert!(weak.ats_score <= 30, "{weak:?}");
    assert_eq!(
        weak.missing_keywords[..3],
        ["Python", "Django", "Kubernetes"]
    );
}

#[test]
fn missing_keywords_come_most_important_first() {
    let posting = "Requirements: Python, Django, PostgreSQL and Kubernetes.";
    let resume = "Built web apps with Python and Django.";
    let analysis = run(resume, "Engineer", posting, CandidateLevel::Experienced);
    assert_eq!(analysis.missing_keywords, ["PostgreSQL", "Kubernetes"]);
    assert_eq!(
        analysis.suggestions[0],
        "The posting asks for PostgreSQL in its requirements but your resume does not mention it."
    );
}

#[test]
fn frequency_and_sections_set_importance() {
    let posting = "Requirements:\n- Experience with Redis\nNice to have:\n- MySQL\n\
        We use Terraform, Terraform modules and more Terraform.";
    let analysis = run(
        "Python developer",
        "Engineer",
        posting,
        CandidateLevel::Experienced,
    );
    // Redis: database 2.5 × required 1.5 = 3.75; Terraform: tool 2 × three mentions 1.5 = 3;
    // MySQL: database 2.5 × nice to have 0.6 = 1.5.
    assert_eq!(analysis.missing_keywords, ["Redis", "Terraform", "MySQL"]);
    assert!(
        analysis
            .suggestions
            .contains(&"Also missing: Terraform and MySQL. Add the ones you have used, with where you used them.".to_owned()),
        "{:?}",
        analysis.suggestions
    );
}

#[test]
fn the_target_stack_weighs_on_tools_and_frameworks() {
    let posting = "Requirements: Docker, Kubernetes, React and Terraform.";
    let resume = "Amy Lee, software engineer. Shipped React front ends and Docker images. Also wrote Rust services.";
    let score = |target: &[String]| {
        let input = input(
            resume,
            "Engineer",
            posting,
            CandidateLevel::Experienced,
            target,
        );
        analyze_at(&input, THIS_MONTH)
            .score_breakdown
            .tools_frameworks
    };
    // React (framework 3 × 1.5) and Docker (tool 2 × 1.5) of 3 × 1.5 + 3 × 2 × 1.5.
    assert_eq!(score(&[]), 14);
    // React weighs double when aimed at: (9 + 3) / (9 + 9) of 25.
    assert_eq!(score(&["react.js".to_owned()]), 17);
    // Kubernetes aimed at but missing weighs double against the resume.
    assert_eq!(score(&["K8s".to_owned()]), 11);
    // Rust is aimed at, shown and not asked for: one point on top.
    assert_eq!(score(&["Rust".to_owned()]), 15);
}

#[test]
fn freshers_get_credit_for_projects_where_experienced_candidates_need_impact() {
    let resume = "PROJECTS\n\
        • Campus Navigator: built a Flutter app for finding classrooms (github.com/amy/campus)\n\
        • Won 2nd place at the HackMIT hackathon with a Python chatbot\n\
        INTERNSHIP Software intern at Widgets Ltd, Jun 2024 – Aug 2024\n\
        Relevant coursework: Data Structures, Algorithms, Operating Systems";
    let posting = "Junior developer. Requirements: Python, Flutter.";
    let fresher = run(resume, "Junior Developer", posting, CandidateLevel::Fresher);
    let experienced = run(
        resume,
        "Junior Developer",
        posting,
        CandidateLevel::Experienced,
    );
    // Fresher: 4 signal kinds of 6 × 3 + one ownership verb × 0.8.
    assert_eq!(fresher.score_breakdown.project_impact, 13);
    // Experienced: no numbers, one ownership verb, two signals.
    assert_eq!(experienced.score_breakdown.project_impact, 3);
    assert!(
        fresher
            .strengths
            .iter()
            .any(|s| s.starts_with("Project work: \"Campus Navigator"))
    );
    assert!(
        experienced
            .suggestions
            .iter()
            .any(|s| s.starts_with("Add a number to \"Campus Navigator: built a Flutter app")),
        "{:?}",
        experienced.suggestions
    );
    assert!(
        fresher
            .suggestions
            .iter()
            .all(|s| !s.contains("Name your fundamentals"))
    );
}

#[test]
fn years_are_read_from_postings_and_resumes() {
    let posting = |text: &str| {
        let lower = text.to_ascii_lowercase();
        required_years(&lower, &Layout::new(&lower))
    };
    assert_eq!(posting("You have 3+ years of experience with Go."), Some(3));
    assert_eq!(posting("At least 5 years in backend development"), Some(5));
    assert_eq!(posting("2-4 years of professional experience"), Some(2));
    assert_eq!(posting("Minimum of three years building APIs"), Some(3));
    assert_eq!(posting("We have been around for 10 years."), None);
    assert_eq!(
        posting("Nice to have: 8+ years with Rust\nRequirements: 2+ years"),
        Some(2)
    );

    let resume = |text: &str| resume_years(&text.to_ascii_lowercase(), THIS_MONTH);
    assert_eq!(resume("Engineer at Acme, 2018 – 2024"), Some(6.0));
    assert_eq!(resume("Acme Jan 2020 - Present"), Some(62.0 / 12.0));
    assert_eq!(resume("Acme 2018-2021; Beta 2020 to 2022"), Some(4.0));
    assert_eq!(resume("B.Tech, State University 2014 – 2018"), None);
    assert_eq!(
        resume("Over 9 years of experience; Acme 2020 - 2022"),
        Some(9.0)
    );

    let analysis = run(
        "Backend engineer at Acme, 2018 – 2024. Go, Python.",
        "Backend Engineer",
        "Requirements: 3+ years of experience with Go.",
        CandidateLevel::Experienced,
    );
    // Title 10, seniority 7 (6 years, level unstated), years 8.
    assert_eq!(analysis.score_breakdown.role_fit, 25);
    let short = run(
        "Backend engineer at Acme, 2023 – 2024. Go, Python.",
        "Backend Engineer",
        "Requirements: 3+ years of experience with Go.",
        CandidateLevel::Experienced,
    );
    assert!(
        short
            .suggestions
            .contains(&"The posting asks for 3+ years; your resume shows about 1.".to_owned())
    );
}

#[test]
fn freshers_fit_entry_level_postings_and_not_senior_ones() {
    let resume =
        "Computer science graduate, aspiring software engineer. Projects: chat app in Python.";
    let entry = run(
        resume,
        "Graduate Software Engineer",
        "Python",
        CandidateLevel::Fresher,
    );
    let senior = run(
        resume,
        "Senior Software Engineer",
        "Requirements: 5+ years of experience with Python.",
        CandidateLevel::Fresher,
    );
    // 10 (title words) + 7 + 8 against 10 + 0 + 0.
    assert_eq!(entry.score_breakdown.role_fit, 25);
    assert_eq!(senior.score_breakdown.role_fit, 10);
    assert!(
        senior
            .suggestions
            .iter()
            .any(|s| s.starts_with("This is a senior role; as a fresher"))
    );
}

#[test]
fn suggestions_follow_the_candidate_level() {
    let resume = "Alex Kim. Worked on the billing service. Used Python and SQL.";
    let posting = "Requirements: Python, SQL.";
    let fresher = run(resume, "Developer", posting, CandidateLevel::Fresher);
    let experienced = run(resume, "Developer", posting, CandidateLevel::Experienced);
    assert_eq!(
        fresher.suggestions[..3],
        [
            "Add 2–3 projects with a GitHub link, the stack you used and one result you can measure.",
            "List internships, freelance or open-source work: for a fresher they count like experience.",
            "Mirror the posting's wording: use \"Developer\" and its top skills (Python and SQL) in your summary.",
        ]
    );
    assert_eq!(
        experienced.suggestions[..2],
        [
            "Quantify your outcomes: add users served, latency, cost or time saved to your strongest bullets.",
            "Open bullets with what you owned (led, designed, migrated, launched) rather than duties.",
        ]
    );
}

#[test]
fn a_level_and_a_place_stated_beside_the_posting_are_weighed() {
    let resume = "Python developer. Built Django services, 2023 - Present.";
    let posting = "We build web services in Python and Django for logistics customers.";
    let plain = input(
        resume,
        "Backend Engineer",
        posting,
        CandidateLevel::Fresher,
        &[],
    );
    let details = PostingDetails {
        location: Some("Hamburg, Germany; Remote".into()),
        seniority: Some("Senior".into()),
        ..PostingDetails::default()
    };
    let stated = AnalysisInput {
        details: &details,
        ..plain.clone()
    };
    let level_note = "This is a senior role; as a fresher, junior, graduate or internship postings will match your profile better.";
    let place_note = "The posting is based in Hamburg, Germany; if you live there or will relocate, say so next to your contact details, as recruiters filter by location.";
    let without = analyze_at(&plain, THIS_MONTH).suggestions;
    let with = analyze_at(&stated, THIS_MONTH).suggestions;
    assert!(
        !without.iter().any(|s| s == level_note || s == place_note),
        "{without:?}"
    );
    assert!(with.iter().any(|s| s == level_note), "{with:?}");
    assert!(with.iter().any(|s| s == place_note), "{with:?}");
    // Remote, or a resume that names the city: nothing to say about the place.
    let remote = PostingDetails {
        remote: Some(true),
        ..details.clone()
    };
    for (resume, details) in [(resume, &remote), ("Python, Django. Hamburg.", &details)] {
        let suggestions = analyze_at(
            &AnalysisInput {
                resume_text: resume,
                details,
                ..plain.clone()
            },
            THIS_MONTH,
        )
        .suggestions;
        assert!(
            !suggestions.iter().any(|s| s == place_note),
            "{suggestions:?}"
        );
    }
}

#[test]
fn the_companys_own_name_is_not_a_skill() {
    let input = AnalysisInput {
        company_name: "Datadog, Inc.",
        ..input(
            "Python",
            "Engineer",
            "At Datadog we use Python and Kafka.",
            CandidateLevel::Experienced,
            &[],
        )
    };
    assert_eq!(
        analyze_at(&input, THIS_MONTH).missing_keywords,
        ["Apache Kafka"]
    );
}

#[test]
fn the_score_is_the_sum_and_buckets_stay_in_range() {
    let cases = [
        (STRONG, POSTING),
        (WEAK, POSTING),
        (STRONG, ""),
        ("", POSTING),
        ("", ""),
        ("x", "y"),
    ];
    for (resume, posting) in cases {
        for level in [CandidateLevel::Fresher, CandidateLevel::Experienced] {
            let analysis = run(resume, "Backend Engineer", posting, level);
            let b = &analysis.score_breakdown;
            assert_eq!(analysis.ats_score, b.total());
            for score in [
                b.skills_match,
                b.project_impact,
                b.tools_frameworks,
                b.role_fit,
            ] {
                assert!((0..=25).contains(&score), "{b:?}");
            }
            if !resume.is_empty() {
                assert!((MIN_NOTES..=MAX_NOTES).contains(&analysis.strengths.len()));
                assert!((MIN_NOTES..=MAX_NOTES).contains(&analysis.suggestions.len()));
            }
        }
    }
    assert_eq!(run("", "", "", CandidateLevel::Fresher).ats_score, 0);
}

#[test]
fn strengths_quote_the_resume() {
    let analysis = run(
        STRONG,
        "Senior Backend Engineer",
        POSTING,
        CandidateLevel::Experienced,
    );
    assert_eq!(
        analysis.strengths[0],
        "Your resume shows Python, Django, Kubernetes, PostgreSQL and Amazon Web Services, which the posting asks for in its requirements."
    );
    assert_eq!(
        analysis.strengths[1],
        "Quantified impact: \"Designed PostgreSQL partitioning for 2TB of ledger data serving 3M users\""
    );
    assert_eq!(
        analysis.strengths[2],
        "Ownership: \"Led the migration of the billing monolith to Python/Django microservices on Kubernetes, cutting p99…\""
    );
    assert_eq!(
        analysis.strengths[3],
        "Your experience (about 8 years) meets the posting's 5+ years."
    );
}

#[test]
fn the_same_input_gives_the_same_analysis() {
    let first = run(
        STRONG,
        "Senior Backend Engineer",
        POSTING,
        CandidateLevel::Experienced,
    );
    for _ in 0..3 {
        assert_eq!(
            run(
                STRONG,
                "Senior Backend Engineer",
                POSTING,
                CandidateLevel::Experienced
            ),
            first
        );
    }
}

#[test]
fn an_unrelated_occupation_scores_low_and_advice_is_in_the_postings_terms() {
    let teaching = "About our school\nA friendly primary school with 300 pupils.\n\
        Requirements\n- Qualified Teacher Status\n- Phonics teaching and lesson planning\n\
        - Classroom management\nWhat we offer\nMentoring and a supportive team.";
    let sre = "Dana Reyes\nSenior Site Reliability Engineer\n\nEXPERIENCE\n\
        Site Reliability Engineer — Cloudly, 2018–present\n\
        - Cut p99 latency by 40% for 2M users\n- Raised uptime to 99.99% across 120 services\n\
        - Led the move of 300 services to Kubernetes";
    let teacher = "Sam Hill\nPrimary School Teacher\n\nEXPERIENCE\n\
        Class Teacher — Elm Primary, 2019–present\n\
        - Taught phonics to Year 1; 92% passed the phonics check\n\
        - Planned lessons with the year team and led classroom management training";
    let run = |resume: &str| {
        analyze_at(
            &input(
                resume,
                "Primary Teacher",
                teaching,
                CandidateLevel::Experienced,
                &[],
            ),
            THIS_MONTH,
        )
    };
    let (engineer, fitting) = (run(sre), run(teacher));
    assert!(
        engineer.score_breakdown.role_fit <= 5,
        "{:?}",
        engineer.score_breakdown
    );
    assert!(
        fitting.score_breakdown.role_fit >= 20,
        "{:?}",
        fitting.score_breakdown
    );
    assert!(fitting.ats_score > engineer.ats_score + 30);
    // The benefits' mentoring is not asked for; the advice speaks of pupils, not traffic.
    assert!(!engineer.missing_keywords.iter().any(|k| k == "Mentoring"));
    for note in engineer.suggestions.iter().chain(&fitting.suggestions) {
        assert!(
            !note.contains("latency") && !note.contains("traffic"),
            "{note}"
        );
    }
}
