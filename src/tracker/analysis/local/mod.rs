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

mod context;
mod experience;
mod notes;
mod occupation;
mod posting;
mod resume;
mod scan;
mod sections;

use chrono::{Datelike, Utc};

use super::{Analysis, AnalysisInput, CandidateLevel, ScoreBreakdown};
use crate::tracker::page::PostingDetails;

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
    let mut posting = Posting::read(input.job_title, input.company_name, input.job_description);
    if posting.level == Level::Unstated {
        // The title names no level; the source may state one apart from it.
        if let Some(level) = input
            .details
            .seniority
            .as_deref()
            .and_then(Level::of_stated)
        {
            posting.level = level;
        }
    }
    let resume = Resume::read(input.resume_text, this_month);
    let posting_occupation = occupation::of_title(input.job_title);
    let closeness = occupation::fit(
        posting_occupation,
        &occupation::of_resume(input.resume_text),
    );
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
        details: input.details,
        family: posting_occupation.map(|o| occupation::occupation(o).family),
        closeness,
    };
    let score_breakdown = if facts.resume.is_empty() {
        ScoreBreakdown::default()
    } else {
        ScoreBreakdown {
            skills_match: bucket(skills_match(&facts)),
            project_impact: bucket(
                project_impact(&facts.resume.evidence, facts.level) * relevance(&facts),
            ),
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
    /// Where the posting is and whether remote, when its source said.
    details: &'a PostingDetails,
    /// The kind of work the posting's title names ("education"), when the occupation is known.
    family: Option<occupation::Family>,
    /// 0–1: how close the resume's occupation is to the posting's, when both are known.
    closeness: Option<f64>,
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
        // Nothing to compare: neutral for the same kind of work, less the further from it.
        NEUTRAL * facts.closeness.unwrap_or(1.0)
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

/// 0–25: title 10, seniority 7, years 8; with both occupations known, all of it in proportion
/// to how close they are (an accountant's years say nothing for an ML role).
fn role_fit(facts: &Facts<'_>) -> f64 {
    let level = seniority_fit(facts.posting.level, facts.years) + years_fit(facts);
    match facts.closeness {
        Some(closeness) => closeness * (10.0 + level),
        None => title_fit(facts) + level,
    }
}

/// How much a resume's achievements count for this posting: fully in the same kind of work,
/// less than half in an unrelated one (an SRE's uptime figures on a teaching post).
fn relevance(facts: &Facts<'_>) -> f64 {
    facts.closeness.map_or(1.0, |c| 0.4 + 0.6 * c)
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
mod tests;
