//! The local ATS engine: deterministic scoring of a resume against a posting through the skills
//! taxonomy; the default engine, and the fallback when the LLM fails.
//!
//! # Where the code lives
//!
//! - `mod.rs` (here): [`analyze`], the four scores and the assembly of the [`Analysis`].
//! - `scan`: cutting text into tokens, the phrase index over the taxonomy and finding skills in
//!   tokens, with the rules for ambiguous names (see "Finding skills in free text" below).
//! - `posting`: reading the posting: headings and cue sentences, each skill's importance, the
//!   company's own name and the years it requires (see "The posting" below).
//! - `resume`: reading the resume: its skills, statements, evidence of impact and years.
//! - `experience`: years of experience (stated or from date ranges), the level a title asks
//!   for and the role families it names.
//! - `notes`: strengths and suggestions, quoting the resume.
//!
//! # Finding skills in free text
//!
//! Text is cut into tokens at spaces and punctuation (`.`, `+`, `#`, `&` stay inside a token, so
//! "Node.js", "C++" and "C#" are one token). Every taxonomy name and alias is indexed twice: by
//! its matching key (`skills::key`, so "NodeJS" and "node.js" meet) and, when it has several
//! tokens, by its tokens' keys joined with spaces ("spring boot"). At each token the longest
//! indexed phrase of up to six tokens wins; a phrase never runs across a comma, a bullet or a
//! sentence end. Two tokens also meet when the second is a suffix like "js", "db" or "sql"
//! ("node js", "Mongo DB"). A product's name also shows the product it starts with ("AWS
//! Lambda" shows AWS, "Spring Boot" Spring). A few multi-word aliases that are places or
//! everyday phrases ("Palo Alto", "web API") are not looked for.
//!
//! Ambiguous one-word names need evidence. A name or alias is ambiguous when its key is one or
//! two letters ("C", "R", "Go", "AI") or a common English word (a list here: "swift",
//! "rust", "express", "spring", "less", "rest", "next", "node", ".NET" as "net"…). Such a token
//! counts when
//! - it is written as the taxonomy writes it, or in capitals when that has two letters or more
//!   ("Go", "GO", "Swift", "ML" for the alias "ml"), and it does not open a sentence, a bullet or
//!   the resume's first four tokens (where names live), unless a word like "developer",
//!   "framework" or "-based" follows ("Go developer");
//! - or, written any other way (or opening a sentence), it sits in a list next to a skill that
//!   counted: "Python, go, Rust", "Django and go", "Python/go".
//!
//! It never counts as an initial ("R."), before a year ("Spring 2024"), or inside a hyphenated
//! compound with a plain word ("Go-to", "less-known"). Single letters never count in lower case.
//! So "I like to go hiking" has no Go, while "Go, Python" and "built services in Go" do.
//!
//! # The posting
//!
//! Each posting skill gets an importance: its category weight (languages and frameworks 3,
//! databases and cloud 2.5, libraries and tools 2, practices 1.2, soft skills 0.5) × its section
//! (1.5 in "Requirements", "Must have", "Qualifications", "What you'll need" or a sentence saying
//! "required"/"must"; 0.6 under "Nice to have", "Bonus", "Preferred" or in a sentence saying "a
//! plus"; 1 elsewhere; the strongest mention counts) × frequency (+25% per further mention, up to
//! four) × 1.5 when the job title names it. Skills that are the company's own name are left out.
//!
//! # Scores (each 0–25, rounded; `ats_score` is their sum)
//!
//! - `skills_match`: the importance-weighted share of the posting's skills the resume shows. A
//!   practice or soft skill also counts as shown when the resume uses every word of its name in
//!   some form ("software engineer" for Software Engineering, "idempotent" for Idempotency).
//! - `project_impact`: for experienced candidates 2.4 per statement with a quantified outcome
//!   (%, ×, ms, $, k/M, or a number of users, requests, hours… — up to 5), 1 per statement with an
//!   ownership verb (led, built, designed, migrated… — up to 6), 1 per distinct scale word
//!   (production, distributed, latency, millions… — up to 5) and 1 per fresher signal (up to 2).
//!   For freshers 1.75 per quantified statement (up to 4), 0.8 per ownership statement (up to 5),
//!   1 per scale word (up to 2) and 3 per kind of fresher signal (projects, internships,
//!   hackathons, GitHub links, coursework, competitions and awards, open source, research,
//!   certifications — up to 4 kinds).
//! - `tools_frameworks`: the weighted share of the posting's frameworks, libraries, tools,
//!   databases and cloud services the resume shows, where target-stack items weigh double; plus
//!   1 per target-stack item the resume shows and the posting does not ask for (up to 3).
//! - `role_fit`: title (10: 6 when the resume speaks of the title's role family — backend,
//!   frontend, full stack, mobile, data, machine learning, devops, QA, security, embedded — and 4
//!   for the share of the title's other words it uses; 10 for that share when the title names no
//!   family), seniority (7: the resume's years against the title's level — intern 0–1, junior 0–2,
//!   mid 2–6, unstated 1+, senior 5+, lead/staff/principal 8+ — less 2 per missing year and 1 per
//!   year over a junior range) and years (8: scaled by years shown / years required, full when the
//!   posting states none).
//!
//! Years in the resume are the larger of what it states ("5+ years of experience") and its date
//! ranges ("2019 – 2023", "Jan 2020 - Present"), merged so overlaps count once and skipping
//! ranges next to education words. A fresher without dates counts as 0 years; an experienced
//! candidate without them gets middling seniority and years scores instead of a guess.
//!
//! Every score, list and text depends only on the input (and on today's month for "Present"),
//! with ties broken by position and name, never by hash order.

mod experience;
mod notes;
mod posting;
mod resume;
mod scan;

use chrono::{Datelike, Utc};

use super::{Analysis, AnalysisInput, CandidateLevel, ScoreBreakdown};

use experience::Level;
use notes::{strengths, suggestions};
use posting::{Posting, PostingSkill, is_tooling};
use resume::{Evidence, Resume};
use scan::{INDEX, skill};

/// Scores `input`; pure and fast (no I/O; "Present" in a date range means this month).
pub fn analyze(input: &AnalysisInput<'_>) -> Analysis {
    let now = Utc::now();
    let this_month = now.year() * 12 + i32::try_from(now.month0()).unwrap_or(0);
    analyze_at(input, this_month)
}

/// [`analyze`] with "Present" fixed to `this_month` (year × 12 + month from 0), for tests.
fn analyze_at(input: &AnalysisInput<'_>, this_month: i32) -> Analysis {
    let posting = Posting::read(input.job_title, input.company_name, input.job_description);
    let resume = Resume::read(input.resume_text, this_month);
    let facts = Facts {
        level: input.candidate_level,
        title: input.job_title.trim(),
        target: resolve_target(input.target_stack),
        years: match input.candidate_level {
            CandidateLevel::Fresher => Some(resume.years.unwrap_or(0.0)),
            CandidateLevel::Experienced => resume.years,
        },
        shown: posting
            .skills
            .iter()
            .map(|s| resume.shows(s.skill))
            .collect(),
        posting,
        resume,
    };
    let score_breakdown = if facts.resume.is_empty() {
        ScoreBreakdown::default()
    } else {
        ScoreBreakdown {
            skills_match: bucket(skills_match(&facts)),
            project_impact: bucket(project_impact(&facts.resume.evidence, facts.level)),
            tools_frameworks: bucket(tools_frameworks(&facts)),
            role_fit: bucket(role_fit(&facts)),
        }
    };
    Analysis {
        ats_score: score_breakdown.total(),
        score_breakdown,
        missing_keywords: facts
            .missing()
            .take(MAX_MISSING)
            .map(|s| skill(s.skill).name.clone())
            .collect(),
        strengths: strengths(&facts),
        suggestions: suggestions(&facts),
    }
}

/// At most this many missing keywords are listed.
const MAX_MISSING: usize = 15;
/// A bucket's score when the posting gives nothing to compare against.
const NEUTRAL: f64 = 12.0;

/// Rounds a bucket and keeps it in 0..=25.
fn bucket(score: f64) -> i32 {
    if score.is_nan() {
        return 0;
    }
    score.round().clamp(0.0, 25.0) as i32
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

/// Everything the scores and notes are drawn from.
struct Facts<'a> {
    level: CandidateLevel,
    title: &'a str,
    /// The target stack's skills (unknown names are left out), in the order given.
    target: Vec<usize>,
    /// Years the resume shows; a fresher without dates has 0.
    years: Option<f64>,
    posting: Posting,
    resume: Resume<'a>,
    /// Whether the resume shows each posting skill, in the posting's order.
    shown: Vec<bool>,
}

impl Facts<'_> {
    /// Posting skills the resume lacks, most important first.
    fn missing(&self) -> impl Iterator<Item = &PostingSkill> {
        self.with_shown()
            .filter(|(_, shown)| !shown)
            .map(|(s, _)| s)
    }

    fn matched(&self) -> impl Iterator<Item = &PostingSkill> {
        self.with_shown()
            .filter(|(_, shown)| *shown)
            .map(|(s, _)| s)
    }

    fn with_shown(&self) -> impl Iterator<Item = (&PostingSkill, bool)> {
        self.posting.skills.iter().zip(self.shown.iter().copied())
    }
}

/// The target stack as skills, each once; names the taxonomy does not know are left out.
fn resolve_target(stack: &[String]) -> Vec<usize> {
    let mut target = Vec::new();
    for item in stack {
        if let Some(s) = INDEX.skill_of(item)
            && !target.contains(&s)
        {
            target.push(s);
        }
    }
    target
}

/// 0–25: the importance-weighted share of the posting's skills the resume shows.
fn skills_match(facts: &Facts<'_>) -> f64 {
    let total: f64 = facts.posting.skills.iter().map(|s| s.importance).sum();
    if total <= 0.0 {
        return NEUTRAL;
    }
    let found: f64 = facts.matched().map(|s| s.importance).sum();
    25.0 * found / total
}

/// 0–25 (before clamping): the posting's tooling the resume shows, target stack weighing double,
/// plus a point per aimed-at tool the resume shows beyond the posting.
fn tools_frameworks(facts: &Facts<'_>) -> f64 {
    let weight = |s: &PostingSkill| {
        let aimed = if facts.target.contains(&s.skill) {
            2.0
        } else {
            1.0
        };
        s.importance * aimed
    };
    let asked = || {
        facts
            .posting
            .skills
            .iter()
            .filter(|s| is_tooling(skill(s.skill).category))
    };
    let total: f64 = asked().map(weight).sum();
    let base = if total <= 0.0 {
        NEUTRAL
    } else {
        let found: f64 = asked()
            .filter(|s| facts.resume.has(s.skill))
            .map(weight)
            .sum();
        25.0 * found / total
    };
    let extra = facts
        .target
        .iter()
        .filter(|&&s| facts.resume.has(s) && !facts.posting.asks_for(s))
        .count()
        .min(3);
    base + extra as f64
}

/// 0–25: numbers, ownership and scale; for freshers mostly projects, internships and the like.
fn project_impact(evidence: &Evidence, level: CandidateLevel) -> f64 {
    let count = |n: usize, cap: f64| (n as f64).min(cap);
    let quantified = evidence.quantified.len();
    let ownership = evidence.ownership.len();
    let scale = evidence.scale.len();
    let signals = evidence.signals.len();
    match level {
        CandidateLevel::Experienced => {
            2.4 * count(quantified, 5.0)
                + count(ownership, 6.0)
                + count(scale, 5.0)
                + count(signals, 2.0)
        }
        CandidateLevel::Fresher => {
            1.75 * count(quantified, 4.0)
                + 0.8 * count(ownership, 5.0)
                + count(scale, 2.0)
                + 3.0 * count(signals, 4.0)
        }
    }
}

/// 0–25: title 10, seniority 7, years 8.
fn role_fit(facts: &Facts<'_>) -> f64 {
    title_fit(facts) + seniority_fit(facts.posting.level, facts.years) + years_fit(facts)
}

/// 0–10: the title's role family and words in the resume.
fn title_fit(facts: &Facts<'_>) -> f64 {
    let words = &facts.posting.title_words;
    let share = if words.is_empty() {
        0.5
    } else {
        let used = words.iter().filter(|w| facts.resume.uses_word(w)).count();
        used as f64 / words.len() as f64
    };
    if facts.posting.families.is_empty() {
        return 10.0 * share;
    }
    let family = facts
        .posting
        .families
        .iter()
        .any(|f| f.in_resume(&facts.resume.lower));
    6.0 * f64::from(u8::from(family)) + 4.0 * share
}

/// 0–7: the resume's years against what the title's level means.
fn seniority_fit(level: Level, years: Option<f64>) -> f64 {
    let Some(years) = years else {
        return 4.0;
    };
    let (least, most) = level.expected_years();
    let fit = if years < least {
        7.0 - 2.0 * (least - years)
    } else if years > most {
        (7.0 - (years - most)).max(2.0)
    } else {
        7.0
    };
    fit.clamp(0.0, 7.0)
}

/// 0–8: years shown against years required.
fn years_fit(facts: &Facts<'_>) -> f64 {
    match (facts.posting.required_years, facts.years) {
        (None | Some(0), _) => 8.0,
        (Some(required), Some(years)) => 8.0 * (years / f64::from(required)).min(1.0),
        (Some(_), None) => 3.0,
    }
}

#[cfg(test)]
mod tests {
    use super::experience::resume_years;
    use super::notes::{MAX_NOTES, MIN_NOTES};
    use super::posting::{Layout, required_years};
    use super::*;

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
                "Quantify your outcomes: add users, latency, revenue or time saved to your strongest bullets.",
                "Open bullets with what you owned (led, designed, migrated, launched) rather than duties.",
            ]
        );
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
}
