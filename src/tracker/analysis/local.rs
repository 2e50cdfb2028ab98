//! The local ATS engine: deterministic scoring of a resume against a posting through the skills
//! taxonomy; the default engine, and the fallback when the LLM fails.
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

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{Datelike, Utc};

use crate::skills::{self, Category, Skill};

use super::{Analysis, AnalysisInput, CandidateLevel, ScoreBreakdown};

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
/// Strengths and suggestions: at least this many for a non-empty resume…
const MIN_NOTES: usize = 3;
/// …and at most this many.
const MAX_NOTES: usize = 6;
/// Quotes from the resume are cut to about this many characters.
const QUOTE_CHARS: usize = 100;
/// A bucket's score when the posting gives nothing to compare against.
const NEUTRAL: f64 = 12.0;
/// Phrases longer than this many tokens are not looked for (no taxonomy name is that long and
/// ambiguous at once, and the cap bounds the work per token).
const MAX_PHRASE_TOKENS: usize = 6;
/// The resume's first tokens hold the candidate's name ("Ruby Chen"), so an ambiguous skill
/// there needs the same evidence as at a sentence start.
const RESUME_HEADER_TOKENS: usize = 4;

/// Rounds a bucket and keeps it in 0..=25.
fn bucket(score: f64) -> i32 {
    if score.is_nan() {
        return 0;
    }
    score.round().clamp(0.0, 25.0) as i32
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// What separates a token from the one before it (bit flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Gap(u8);

impl Gap {
    /// A sentence, line or bullet starts here.
    const START: u8 = 1;
    /// A list separator: comma, semicolon, colon, pipe, bracket, bullet.
    const LIST: u8 = 2;
    /// A slash, a spaced dash or an ampersand: "CI/CD", "Weights & Biases".
    const JOIN: u8 = 4;
    /// A hyphen inside a compound: "Go-to", "React-based".
    const HYPHEN: u8 = 8;

    fn has(self, flags: u8) -> bool {
        self.0 & flags != 0
    }

    /// A phrase may run across this gap.
    fn crossable(self) -> bool {
        !self.has(Gap::START | Gap::LIST)
    }

    /// The tokens on both sides are items of one list ("Python, Go", "Python/Go").
    fn links_items(self) -> bool {
        self.has(Gap::LIST | Gap::JOIN | Gap::HYPHEN)
    }
}

/// A run of word characters as written, with its matching key.
#[derive(Debug)]
struct Token<'t> {
    raw: &'t str,
    /// Byte offset in the text.
    start: usize,
    key: String,
    gap: Gap,
}

/// Letters, digits and the punctuation that belongs inside names ("Node.js", "C++", "C#",
/// "R&D", "40%", "$2M").
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '.' | '+' | '#' | '&' | '_' | '\'' | '’' | '@' | '$' | '%'
        )
}

/// The gap a separator character opens; `before` and `after` are its neighbours.
fn separator_gap(c: char, before: Option<char>, after: Option<char>) -> u8 {
    match c {
        '\n' | '!' | '?' => Gap::START,
        '•' | '●' | '▪' | '◦' | '■' | '►' | '➢' | '➤' | '✓' | '✔' | '*' | '\u{f0b7}' => {
            Gap::START | Gap::LIST
        }
        '/' | '\\' | '–' | '—' => Gap::JOIN,
        '-' if before.is_some_and(char::is_alphanumeric)
            && after.is_some_and(char::is_alphanumeric) =>
        {
            Gap::HYPHEN
        }
        '-' => Gap::JOIN,
        c if c.is_whitespace() => 0,
        _ => Gap::LIST,
    }
}

/// The matching key of a token, without a possessive "'s" ("Python's" is Python).
fn token_key(raw: &str) -> String {
    let bare = raw
        .strip_suffix("'s")
        .or_else(|| raw.strip_suffix("’s"))
        .unwrap_or(raw);
    skills::key(bare)
}

/// Cuts `text` into tokens; URLs are skipped whole so "https://…" never reads as HTTP.
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut gap = Gap::START;
    let mut before = None;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            let after = chars.peek().map(|&(_, next)| next);
            gap |= separator_gap(c, before, after);
            before = Some(c);
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some((at, next)) = chars.next_if(|&(_, next)| is_word_char(next)) {
            end = at + next.len_utf8();
        }
        let raw = &text[start..end];
        before = raw.chars().next_back();
        if text[end..].starts_with("://") {
            while chars.next_if(|&(_, next)| !next.is_whitespace()).is_some() {}
            continue;
        }
        let key = token_key(raw);
        if key.is_empty() {
            // A lone "&" or quote joins its neighbours.
            gap |= Gap::JOIN;
            continue;
        }
        tokens.push(Token {
            raw,
            start,
            key,
            gap: Gap(gap),
        });
        gap = if raw.ends_with('.') { Gap::START } else { 0 };
    }
    tokens
}

// ---------------------------------------------------------------------------------------------
// The phrase index over the taxonomy
// ---------------------------------------------------------------------------------------------

/// A set of words written as one space-separated string, so long lists stay compact.
fn word_set(words: &'static str) -> HashSet<&'static str> {
    words.split_whitespace().collect()
}

/// One-word names and aliases that are also everyday English words, so they count only with the
/// evidence described in the module docs. Keys (lowercase, no punctuation).
static COMMON_WORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set(concat!(
        // languages
        "ada apex batch bicep cairo carbon chisel crystal cue dart elm flux forth hack jade ",
        "julia less liquid move mustache net odin pascal pug racket razor reason ruby rust ",
        "scheme scratch squirrel swift twig ",
        // frameworks and libraries
        "anchor angular astro backbone beam behave bootstrap boost bottle brownie bull bun ",
        "camel capacitor celery chi clap cobra coil compose cucumber cypress dagger dash ",
        "detox devise echo electron ember enzyme espresso expo express falcon fiber flax ",
        "foundry ghost gin glide haystack hilt hugo hypothesis ionic jackson jasmine joi ",
        "karate karma knockout leaflet lime lit locust meteor moment nest next node pact ",
        "passport phoenix picasso pillow play polymer prophet pyramid quill rails ray react ",
        "realm recoil relay remix rocket sails serenity slate spark spring stencil stimulus ",
        "storm swing tonic torch tornado transformers truffle turbo underscore unity vapor ",
        "viper warp winston yup zod ",
        // databases and cloud services
        "amplify aurora bedrock chroma derby dragonfly druid fauna glacier hive iceberg ",
        "ignite impala lambda neon neptune outposts pinot pinpoint presto sentinel snowball ",
        "snowflake spanner synapse vertex workspaces ",
        // tools
        "ant apt asana autopsy bamboo beats bind biome brew bubble buck burp caddy cargo chef ",
        "claude comet composer concourse consul copilot drone duo eclipse elk envoy excel ",
        "feast framer gem gemini greenhouse grunt gulp harbor helm honeycomb husky insomnia ",
        "instruments inventor jetty juniper kong lever lighthouse loom luigi marathon maya ",
        "mural nexus nix nomad notion packer parcel perf poetry postman prefect pulsar puppet ",
        "quay rally rider rollup sage samba sanity sap sentry sketch slack snow squid stripe ",
        "superset triton varnish vault vim windows windsurf wiz yarn yum zap zoom ",
        // practices (aliases)
        "ado ann cad can dao doe dom gan gru ids ips matic pam polygon rag regression rest ",
        "sem solid sox spa tam ",
    ))
});

/// Lower-case aliases of four letters or more that are acronyms, so capitals are evidence
/// ("REST", "SOLID"); other lower-case aliases ("next", "node") have no telling spelling.
const ACRONYM_ALIASES: &[&str] = &["rest", "solid"];

/// Multi-word aliases that are place names or everyday phrases and are not looked for in free
/// text ("Palo Alto, CA" is not the firewall vendor; "a web API" is not ASP.NET Web API).
const GENERIC_PHRASES: &[&str] = &[
    "palo alto",
    "web api",
    "testing library",
    "business objects",
    "tool use",
    "front door",
];

/// A second token that glues onto the first ("node js", "Mongo DB", "Java Script").
const JOIN_SUFFIXES: &[&str] = &[
    "js", "io", "db", "sql", "ql", "net", "script", "hub", "lab", "ops",
];

/// Words that, right after an ambiguous name, show it is technology ("Go developer",
/// "React-based").
static TECH_CUES: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set(concat!(
        "api apis app apps application applications backend based cli code codebase developer ",
        "developers development driven ecosystem engineer engineers engineering experience ",
        "expertise framework frameworks frontend knowledge lang language languages libraries ",
        "library microservices module modules native powered programming project projects ",
        "runtime sdk server servers service services stack toolchain ",
    ))
});

/// Words that put two list items side by side: "Python and Go".
const CONNECTORS: &[&str] = &["and", "or", "plus"];

/// One name or alias of a skill.
#[derive(Clone, Copy, Debug)]
struct Term {
    /// Index into the taxonomy's skills.
    skill: usize,
    /// As the taxonomy writes it.
    text: &'static str,
    /// Needs case or context evidence (see the module docs).
    ambiguous: bool,
}

struct Index {
    skills: &'static [Skill],
    /// A term by its key ("nodejs", "springboot") and, for several tokens, by its tokens' keys
    /// joined with spaces ("spring boot").
    terms: HashMap<String, Term>,
    /// The first token keys of multi-token terms: phrases are only tried from these.
    first_words: HashSet<String>,
    longest: usize,
}

static INDEX: LazyLock<Index> = LazyLock::new(Index::build);

impl Index {
    fn build() -> Index {
        let skills = skills::taxonomy().skills();
        let mut index = Index {
            skills,
            terms: HashMap::with_capacity(skills.len() * 3),
            first_words: HashSet::new(),
            longest: 1,
        };
        for (skill, s) in skills.iter().enumerate() {
            let texts =
                std::iter::once(s.name.as_str()).chain(s.aliases.iter().map(String::as_str));
            for text in texts {
                index.add(skill, text);
            }
        }
        index
    }

    fn add(&mut self, skill: usize, text: &'static str) {
        let tokens = tokenize(text);
        if tokens.is_empty() || tokens.len() > MAX_PHRASE_TOKENS {
            return;
        }
        let mut joined = String::new();
        spaced_keys(&tokens, &mut joined);
        if GENERIC_PHRASES.contains(&joined.as_str()) {
            return;
        }
        let key: String = tokens.iter().map(|t| t.key.as_str()).collect();
        let term = Term {
            skill,
            text,
            ambiguous: tokens.len() == 1 && is_ambiguous(&key),
        };
        if tokens.len() > 1 {
            self.first_words.insert(tokens[0].key.clone());
            self.longest = self.longest.max(tokens.len());
            self.terms.entry(joined).or_insert(term);
        }
        self.terms.entry(key).or_insert(term);
    }

    /// The skill a typed name stands for ("react.js" → React).
    fn skill_of(&self, raw: &str) -> Option<usize> {
        self.terms.get(&skills::key(raw)).map(|t| t.skill)
    }
}

fn is_ambiguous(key: &str) -> bool {
    // Digits and symbols make a key distinctive ("k8s", "s3", "c++", "c#").
    key.chars().all(char::is_alphabetic)
        && (key.chars().count() <= 2 || COMMON_WORDS.contains(&key))
}

fn skill(index: usize) -> &'static Skill {
    &INDEX.skills[index]
}

// ---------------------------------------------------------------------------------------------
// Scanning text for skills
// ---------------------------------------------------------------------------------------------

/// A skill found at `token..token + len`.
#[derive(Clone, Copy, Debug)]
struct Hit {
    skill: usize,
    token: usize,
    len: usize,
    /// Ambiguous and still waiting for a list neighbour to vouch for it.
    pending: bool,
}

enum Verdict {
    Accept,
    NeedContext,
    Reject,
}

/// The skills in `tokens`, in text order; `header` leading tokens count as a sentence start.
fn find_skills(tokens: &[Token<'_>], header: usize) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut buf = String::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some((term, len)) = term_at(tokens, i, &mut buf) else {
            i += 1;
            continue;
        };
        let verdict = if term.ambiguous {
            judge(tokens, i, term, header)
        } else {
            Verdict::Accept
        };
        match verdict {
            Verdict::Reject => i += 1,
            Verdict::Accept | Verdict::NeedContext => {
                if let Some((prefix, prefix_len)) = implied_prefix(tokens, i, len, term, &mut buf) {
                    hits.push(Hit {
                        skill: prefix.skill,
                        token: i,
                        len: prefix_len,
                        pending: false,
                    });
                }
                hits.push(Hit {
                    skill: term.skill,
                    token: i,
                    len,
                    pending: matches!(verdict, Verdict::NeedContext),
                });
                i += len;
            }
        }
    }
    if hits.iter().any(|h| h.pending) {
        confirm_listed(&mut hits, tokens);
        hits.retain(|h| !h.pending);
    }
    hits
}

/// Writes the tokens' keys into `buf`, separated by spaces ("spring boot").
fn spaced_keys(tokens: &[Token<'_>], buf: &mut String) {
    buf.clear();
    for (n, token) in tokens.iter().enumerate() {
        if n > 0 {
            buf.push(' ');
        }
        buf.push_str(&token.key);
    }
}

/// The longest term starting at token `i`, and its length in tokens.
fn term_at(tokens: &[Token<'_>], i: usize, buf: &mut String) -> Option<(Term, usize)> {
    let index = &*INDEX;
    let mut reach = 1;
    while reach < index.longest && i + reach < tokens.len() && tokens[i + reach].gap.crossable() {
        reach += 1;
    }
    for len in (2..=reach).rev() {
        let span = &tokens[i..i + len];
        if index.first_words.contains(span[0].key.as_str()) {
            spaced_keys(span, buf);
            if let Some(term) = index.terms.get(buf.as_str()) {
                return Some((*term, len));
            }
        }
        if len == 2 && JOIN_SUFFIXES.contains(&span[1].key.as_str()) {
            buf.clear();
            buf.push_str(&span[0].key);
            buf.push_str(&span[1].key);
            if let Some(term) = index.terms.get(buf.as_str()).filter(|t| !t.ambiguous) {
                return Some((*term, 2));
            }
        }
    }
    index.terms.get(tokens[i].key.as_str()).map(|t| (*t, 1))
}

/// The product a product's name starts with: "AWS Lambda" shows AWS, "Spring Boot" Spring,
/// "Python pandas" Python. Practices are left out on both sides, since "go-to-market" says
/// nothing about Go and "JSON Web Token" nothing about JSON.
fn implied_prefix(
    tokens: &[Token<'_>],
    i: usize,
    len: usize,
    term: Term,
    buf: &mut String,
) -> Option<(Term, usize)> {
    let is_product = |t: &Term| {
        !matches!(
            skill(t.skill).category,
            Category::Practice | Category::SoftSkill
        )
    };
    if len < 2 || !is_product(&term) {
        return None;
    }
    (1..len).rev().find_map(|prefix_len| {
        spaced_keys(&tokens[i..i + prefix_len], buf);
        INDEX
            .terms
            .get(buf.as_str())
            .filter(|t| t.skill != term.skill && is_product(t))
            .map(|t| (*t, prefix_len))
    })
}

/// Whether an ambiguous one-token term at `i` counts (see the module docs).
fn judge(tokens: &[Token<'_>], i: usize, term: Term, header: usize) -> Verdict {
    let token = &tokens[i];
    let next = tokens.get(i + 1);
    let single_letter = token.key.chars().count() == 1;
    if single_letter && token.raw.ends_with('.') {
        return Verdict::Reject; // an initial: "John R. Smith"
    }
    if next.is_some_and(|n| n.gap.crossable() && is_year(&n.key)) {
        return Verdict::Reject; // "Spring 2024", "Swift 2019 cohort"
    }
    if in_plain_compound(tokens, i) {
        return Verdict::Reject;
    }
    let cased = written_as_named(token.raw, term.text);
    if cased && !term.text.chars().any(char::is_uppercase) {
        return Verdict::Accept; // an acronym in capitals: "ML", "CAN", "REST"
    }
    let opens = token.gap.has(Gap::START) || i < header;
    let cue_follows = next
        .is_some_and(|n| !n.gap.has(Gap::START | Gap::LIST) && TECH_CUES.contains(&n.key.as_str()));
    if cased && (!opens || cue_follows) {
        return Verdict::Accept;
    }
    if single_letter && !cased {
        return Verdict::Reject;
    }
    Verdict::NeedContext
}

/// "Go-to", "less-known", "X-ray": a hyphen ties the token to a word that is not technology.
fn in_plain_compound(tokens: &[Token<'_>], i: usize) -> bool {
    let left = tokens[i].gap.has(Gap::HYPHEN) && i > 0 && !is_techy(&tokens[i - 1]);
    let right = tokens
        .get(i + 1)
        .is_some_and(|n| n.gap.has(Gap::HYPHEN) && !is_techy(n));
    left || right
}

fn is_techy(token: &Token<'_>) -> bool {
    TECH_CUES.contains(&token.key.as_str())
        || INDEX
            .terms
            .get(token.key.as_str())
            .is_some_and(|t| !t.ambiguous)
}

fn is_year(key: &str) -> bool {
    key.len() == 4
        && key.bytes().all(|b| b.is_ascii_digit())
        && (key.starts_with("19") || key.starts_with("20"))
}

/// `raw` is spelt as the taxonomy's `named` ("Go"), or in capitals when that has two letters or
/// more ("GO", "ML" for "ml"; lower-case words like "next" only when they are acronyms).
fn written_as_named(raw: &str, named: &str) -> bool {
    let bare = raw
        .strip_suffix("'s")
        .or_else(|| raw.strip_suffix("’s"))
        .unwrap_or(raw);
    let kept = |c: &char| c.is_alphanumeric() || *c == '+' || *c == '#';
    let seen = bare.chars().filter(kept);
    let want = named.chars().filter(kept);
    let named_has_capitals = named.chars().any(char::is_uppercase);
    if named_has_capitals && seen.clone().eq(want.clone()) {
        return true;
    }
    let letters = want.clone().filter(|c| c.is_alphabetic()).count();
    let capitals_mean_acronym =
        named_has_capitals || letters <= 3 || ACRONYM_ALIASES.contains(&named);
    letters >= 2 && capitals_mean_acronym && seen.eq(want.flat_map(char::to_uppercase))
}

/// Accepts pending hits that are list items next to an accepted hit. Sweeps run forwards and
/// backwards until nothing changes, so a list vouches along its length in either direction
/// ("Python, go, rust" and "go, rust, Python").
fn confirm_listed(hits: &mut [Hit], tokens: &[Token<'_>]) {
    const NONE: usize = usize::MAX;
    let mut owner = vec![NONE; tokens.len()];
    for (n, hit) in hits.iter().enumerate() {
        owner[hit.token..hit.token + hit.len].fill(n);
    }
    let mut forwards = true;
    loop {
        let mut changed = false;
        for step in 0..hits.len() {
            let n = if forwards {
                step
            } else {
                hits.len() - 1 - step
            };
            if hits[n].pending && listed_beside_accepted(hits, &owner, tokens, n) {
                hits[n].pending = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        forwards = !forwards;
    }
}

/// Hit `n` and an accepted hit are neighbours in a list: separated by a comma, slash or
/// bullet, or by "and"/"or".
fn listed_beside_accepted(hits: &[Hit], owner: &[usize], tokens: &[Token<'_>], n: usize) -> bool {
    let accepted = |t: usize| {
        owner
            .get(t)
            .and_then(|&o| hits.get(o))
            .is_some_and(|h| !h.pending)
    };
    let connector = |t: usize| CONNECTORS.contains(&tokens[t].key.as_str());
    let (first, after) = (hits[n].token, hits[n].token + hits[n].len);
    let left = first > 0
        && (tokens[first].gap.links_items() && accepted(first - 1)
            || first > 1 && connector(first - 1) && accepted(first - 2));
    let right = after < tokens.len()
        && (tokens[after].gap.links_items() && accepted(after)
            || connector(after) && accepted(after + 1));
    left || right
}

// ---------------------------------------------------------------------------------------------
// The posting
// ---------------------------------------------------------------------------------------------

/// Where a mention sits, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Nice,
    Neutral,
    Required,
}

impl Section {
    fn factor(self) -> f64 {
        match self {
            Section::Nice => 0.6,
            Section::Neutral => 1.0,
            Section::Required => 1.5,
        }
    }
}

/// Headings that open a section, lowercase.
const HEADINGS: &[(&str, Section)] = &[
    ("requirements", Section::Required),
    ("job requirements", Section::Required),
    ("required", Section::Required),
    ("required skills", Section::Required),
    ("required qualifications", Section::Required),
    ("minimum qualifications", Section::Required),
    ("basic qualifications", Section::Required),
    ("qualifications", Section::Required),
    ("must have", Section::Required),
    ("must-have", Section::Required),
    ("must haves", Section::Required),
    ("must-haves", Section::Required),
    ("what you'll need", Section::Required),
    ("what you will need", Section::Required),
    ("what you need", Section::Required),
    ("what you bring", Section::Required),
    ("what you'll bring", Section::Required),
    ("what we're looking for", Section::Required),
    ("what we are looking for", Section::Required),
    ("who you are", Section::Required),
    ("your profile", Section::Required),
    ("skills", Section::Required),
    ("key skills", Section::Required),
    ("experience", Section::Required),
    ("nice to have", Section::Nice),
    ("nice-to-have", Section::Nice),
    ("nice to haves", Section::Nice),
    ("nice-to-haves", Section::Nice),
    ("good to have", Section::Nice),
    ("bonus", Section::Nice),
    ("bonus points", Section::Nice),
    ("preferred", Section::Nice),
    ("preferred qualifications", Section::Nice),
    ("preferred skills", Section::Nice),
    ("pluses", Section::Nice),
    ("extra credit", Section::Nice),
    ("desirable", Section::Nice),
    ("even better", Section::Nice),
    ("responsibilities", Section::Neutral),
    ("key responsibilities", Section::Neutral),
    ("what you'll do", Section::Neutral),
    ("what you will do", Section::Neutral),
    ("the role", Section::Neutral),
    ("about the role", Section::Neutral),
    ("about us", Section::Neutral),
    ("about the company", Section::Neutral),
    ("about the team", Section::Neutral),
    ("who we are", Section::Neutral),
    ("benefits", Section::Neutral),
    ("perks", Section::Neutral),
    ("what we offer", Section::Neutral),
    ("compensation", Section::Neutral),
];

/// A sentence saying one of these marks its skills optional…
const NICE_CUES: &[&str] = &[
    "nice to have",
    "nice-to-have",
    "a plus",
    "bonus",
    "preferred",
    "desirable",
    "good to have",
    "ideally",
    "would be great",
    "not required",
    "optional",
    "an advantage",
    "advantageous",
];

/// …and one of these required.
const REQUIRED_CUES: &[&str] = &[
    "must",
    "required",
    "requirement",
    "mandatory",
    "essential",
    "proficien",
    "strong ",
    "solid ",
    "deep ",
    "expert",
];

/// Company-name words that say nothing about the company ("Acme Labs Inc.").
static COMPANY_SUFFIXES: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set(concat!(
        "inc llc ltd limited corp corporation co company gmbh plc ag sa bv pvt private ",
        "technologies technology labs group software solutions systems the ",
    ))
});

/// One skill the posting asks for.
#[derive(Clone, Debug)]
struct PostingSkill {
    skill: usize,
    mentions: u32,
    /// The strongest section it is mentioned in.
    section: Section,
    in_title: bool,
    /// Byte offset of the first mention in the description.
    first: usize,
    importance: f64,
}

struct Posting {
    /// Most important first.
    skills: Vec<PostingSkill>,
    required_years: Option<u32>,
    level: Level,
    families: Vec<Family>,
    /// The title's words that say what the job is (not its level).
    title_words: Vec<String>,
}

impl Posting {
    fn read(title: &str, company: &str, description: &str) -> Posting {
        let company_keys = company_keys(company);
        let own_name = |s: usize| company_keys.contains(&skills::key(&skill(s).name));
        let mut by_skill: HashMap<usize, PostingSkill> = HashMap::new();
        let mut mention = |s: usize, section: Section, at: Option<usize>| {
            let entry = by_skill.entry(s).or_insert(PostingSkill {
                skill: s,
                mentions: 0,
                section,
                in_title: false,
                first: usize::MAX,
                importance: 0.0,
            });
            entry.mentions += 1;
            entry.section = entry.section.max(section);
            match at {
                Some(offset) => entry.first = entry.first.min(offset),
                None => entry.in_title = true,
            }
        };

        let title_tokens = tokenize(title);
        for hit in find_skills(&title_tokens, 0) {
            if !own_name(hit.skill) {
                mention(hit.skill, Section::Required, None);
            }
        }
        let lower = description.to_ascii_lowercase();
        let layout = Layout::new(&lower);
        let tokens = tokenize(description);
        for hit in find_skills(&tokens, 0) {
            if !own_name(hit.skill) {
                let offset = tokens[hit.token].start;
                mention(hit.skill, layout.section_at(offset), Some(offset));
            }
        }

        let mut skills: Vec<PostingSkill> = by_skill.into_values().collect();
        for s in &mut skills {
            s.importance = importance(s);
        }
        skills.sort_by(|a, b| {
            b.importance
                .total_cmp(&a.importance)
                .then(b.in_title.cmp(&a.in_title))
                .then(a.first.cmp(&b.first))
                .then(a.skill.cmp(&b.skill))
        });

        let title_lower = title.to_ascii_lowercase();
        Posting {
            skills,
            required_years: required_years(&lower, &layout),
            level: Level::of_posting(&title_lower, &lower),
            families: Family::ALL
                .into_iter()
                .filter(|f| f.named_in(&title_lower))
                .collect(),
            title_words: title_words(&title_tokens),
        }
    }

    fn asks_for(&self, skill: usize) -> bool {
        self.skills.iter().any(|s| s.skill == skill)
    }
}

/// The title's words that say what the job is, each once ("backend", "engineer", "go").
fn title_words(tokens: &[Token<'_>]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for token in tokens {
        let key = &token.key;
        let is_word = key.len() >= 2 && key.chars().all(char::is_alphabetic);
        if is_word && !TITLE_STOPWORDS.contains(key.as_str()) && !words.contains(key) {
            words.push(key.clone());
        }
    }
    words
}

fn importance(s: &PostingSkill) -> f64 {
    let repeats = f64::from(s.mentions.saturating_sub(1).min(4));
    let title = if s.in_title { 1.5 } else { 1.0 };
    category_weight(skill(s.skill).category) * s.section.factor() * (1.0 + 0.25 * repeats) * title
}

/// Languages and frameworks are what a posting hires for; soft skills are said of every job.
fn category_weight(category: Category) -> f64 {
    match category {
        Category::Language | Category::Framework => 3.0,
        Category::Database | Category::Cloud => 2.5,
        Category::Library | Category::Tool => 2.0,
        Category::Practice => 1.2,
        Category::SoftSkill => 0.5,
    }
}

/// The categories `tools_frameworks` looks at.
fn is_tooling(category: Category) -> bool {
    matches!(
        category,
        Category::Framework
            | Category::Library
            | Category::Tool
            | Category::Database
            | Category::Cloud
    )
}

/// The company's name as keys: whole ("acmelabs") and word by word, without "Inc." and kin.
fn company_keys(company: &str) -> Vec<String> {
    let mut keys: Vec<String> = tokenize(company)
        .into_iter()
        .map(|t| t.key)
        .filter(|k| !COMPANY_SUFFIXES.contains(&k.as_str()))
        .collect();
    let whole = skills::key(company);
    if !whole.is_empty() {
        keys.push(whole);
    }
    keys
}

/// Where the description's sections and cue sentences start (byte offsets, ascending).
struct Layout {
    headings: Vec<(usize, Section)>,
    sentences: Vec<(usize, Option<Section>)>,
}

impl Layout {
    fn new(lower: &str) -> Layout {
        Layout {
            headings: headings(lower),
            sentences: sentence_cues(lower),
        }
    }

    /// A cue in the mention's own sentence wins over the heading above it.
    fn section_at(&self, offset: usize) -> Section {
        let cue = self
            .sentences
            .partition_point(|&(s, _)| s <= offset)
            .checked_sub(1)
            .and_then(|n| self.sentences[n].1);
        cue.unwrap_or_else(|| {
            self.headings
                .partition_point(|&(s, _)| s <= offset)
                .checked_sub(1)
                .map_or(Section::Neutral, |n| self.headings[n].1)
        })
    }
}

/// Section headings: a line that is only a heading ("Requirements", "What you'll need:"), or a
/// heading followed by a colon in running text ("… Nice to have: Kafka …").
fn headings(lower: &str) -> Vec<(usize, Section)> {
    let mut found: Vec<(usize, usize, Section)> = Vec::new();
    let mut line_start = 0;
    for line in lower.split('\n') {
        let body = line
            .trim_matches(|c: char| !c.is_alphanumeric())
            .replace('’', "'");
        if let Some(&(_, section)) = HEADINGS.iter().find(|(phrase, _)| body == *phrase) {
            found.push((line_start, line_start + line.len(), section));
        }
        line_start += line.len() + 1;
    }
    for &(phrase, section) in HEADINGS {
        let curly = phrase.replace('\'', "’");
        for spelling in [phrase, curly.as_str()] {
            for (at, _) in lower.match_indices(spelling) {
                let end = at + spelling.len();
                let starts_word = lower[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                if starts_word
                    && lower[end..]
                        .trim_start_matches([' ', '\t'])
                        .starts_with(':')
                {
                    found.push((at, end, section));
                }
            }
            if curly == phrase {
                break;
            }
        }
    }
    // A longer heading wins over one inside it ("preferred qualifications", not "qualifications").
    found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    let mut headings = Vec::with_capacity(found.len());
    let mut covered_to = 0;
    for (start, end, section) in found {
        if start >= covered_to || headings.is_empty() {
            headings.push((start, section));
            covered_to = end;
        }
    }
    headings
}

/// Sentence starts with the section their wording implies ("Kafka is a plus" → nice to have).
fn sentence_cues(lower: &str) -> Vec<(usize, Option<Section>)> {
    let cue = |sentence: &str| {
        if NICE_CUES.iter().any(|c| sentence.contains(c)) {
            Some(Section::Nice)
        } else if REQUIRED_CUES.iter().any(|c| sentence.contains(c)) {
            Some(Section::Required)
        } else {
            None
        }
    };
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut chars = lower.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = match c {
            '\n' | ';' | '•' | '●' | '▪' | '◦' | '■' => true,
            '.' | '!' | '?' => chars.peek().is_none_or(|&(_, n)| n.is_whitespace()),
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            sentences.push((start, cue(&lower[start..end])));
            start = end;
        }
    }
    if start < lower.len() {
        sentences.push((start, cue(&lower[start..])));
    }
    sentences
}

/// The years of experience the posting requires: the largest stated outside "nice to have".
fn required_years(lower: &str, layout: &Layout) -> Option<u32> {
    years_mentions(lower)
        .into_iter()
        .filter(|m| m.marked || m.experience)
        .filter(|m| layout.section_at(m.offset) != Section::Nice)
        .map(|m| m.years.min(20))
        .max()
}

// ---------------------------------------------------------------------------------------------
// Levels and role families
// ---------------------------------------------------------------------------------------------

/// The seniority a job title asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Intern,
    Entry,
    Unstated,
    Mid,
    Senior,
    Lead,
}

/// Title words that say the level or the contract, not the job.
static TITLE_STOPWORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set(concat!(
        "senior sr junior jr lead staff principal intern internship trainee entry level mid ",
        "ii iii iv the an of for and or with to in at remote hybrid onsite contract full part ",
        "time fulltime parttime new grad graduate associate head director manager chief us uk ",
        "eu emea apac ",
    ))
});

/// Title words for "the person who builds software", taken as one.
static ENGINEER_WORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set("engineer engineers engineering developer developers development programmer swe")
});

impl Level {
    fn of_posting(title: &str, description: &str) -> Level {
        let in_title = |words: &str| words.split_whitespace().any(|w| contains_phrase(title, w));
        let entry_phrases = [
            "entry level",
            "entry-level",
            "new grad",
            "recent graduate",
            "fresher",
        ];
        if in_title("lead staff principal architect head director distinguished") {
            Level::Lead
        } else if in_title("senior sr iii") {
            Level::Senior
        } else if in_title("mid mid-level ii intermediate") {
            Level::Mid
        } else if in_title("intern internship trainee apprentice") {
            Level::Intern
        } else if in_title("junior jr entry graduate grad associate i fresher")
            || entry_phrases
                .iter()
                .any(|p| contains_phrase(description, p))
        {
            Level::Entry
        } else {
            Level::Unstated
        }
    }

    /// The years of experience the level usually means, as (at least, at most).
    fn expected_years(self) -> (f64, f64) {
        match self {
            Level::Intern => (0.0, 1.0),
            Level::Entry => (0.0, 2.0),
            Level::Unstated => (1.0, 40.0),
            Level::Mid => (2.0, 6.0),
            Level::Senior => (5.0, 40.0),
            Level::Lead => (8.0, 40.0),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Level::Intern => "an internship",
            Level::Entry => "an entry-level role",
            Level::Unstated => "a role",
            Level::Mid => "a mid-level role",
            Level::Senior => "a senior role",
            Level::Lead => "a lead-level role",
        }
    }
}

/// The kinds of engineering job a title names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    FullStack,
    Backend,
    Frontend,
    Mobile,
    Data,
    MachineLearning,
    DevOps,
    Qa,
    Security,
    Embedded,
}

impl Family {
    const ALL: [Family; 10] = [
        Family::FullStack,
        Family::Backend,
        Family::Frontend,
        Family::Mobile,
        Family::Data,
        Family::MachineLearning,
        Family::DevOps,
        Family::Qa,
        Family::Security,
        Family::Embedded,
    ];

    fn name(self) -> &'static str {
        match self {
            Family::FullStack => "full stack",
            Family::Backend => "backend",
            Family::Frontend => "frontend",
            Family::Mobile => "mobile",
            Family::Data => "data",
            Family::MachineLearning => "machine learning",
            Family::DevOps => "devops",
            Family::Qa => "QA",
            Family::Security => "security",
            Family::Embedded => "embedded",
        }
    }

    /// Lowercase phrases, separated by "|", that name the family in a title or describe its
    /// work in a resume.
    fn cues(self) -> &'static str {
        match self {
            Family::FullStack => "full stack|full-stack|fullstack",
            Family::Backend => {
                "backend|back-end|back end|server-side|server side|microservices|rest api|rest apis"
            }
            Family::Frontend => "frontend|front-end|front end|user interface|react|angular|vue",
            Family::Mobile => "mobile|ios|android|react native|flutter",
            Family::Data => concat!(
                "data engineer|data engineering|data scientist|data science|data analyst|",
                "data analysis|analytics|etl|data pipeline|data pipelines|data warehouse",
            ),
            Family::MachineLearning => concat!(
                "machine learning|ml|deep learning|ai|artificial intelligence|computer vision|",
                "nlp|mlops|llm|llms",
            ),
            Family::DevOps => concat!(
                "devops|sre|site reliability|platform engineer|platform engineering|",
                "infrastructure|cloud engineer|ci/cd",
            ),
            Family::Qa => "qa|quality assurance|test automation|sdet|tester",
            Family::Security => "security|appsec|infosec|penetration",
            Family::Embedded => "embedded|firmware",
        }
    }

    /// Some cue of the family occurs in `lower` as whole words.
    fn named_in(self, lower: &str) -> bool {
        self.cues()
            .split('|')
            .any(|cue| contains_phrase(lower, cue))
    }

    /// The resume speaks of this kind of work (full stack: also backend plus frontend).
    fn in_resume(self, lower: &str) -> bool {
        self.named_in(lower)
            || self == Family::FullStack
                && Family::Backend.in_resume(lower)
                && Family::Frontend.in_resume(lower)
    }
}

/// `needle` occurs in `hay` as whole words.
fn contains_phrase(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

// ---------------------------------------------------------------------------------------------
// Years of experience
// ---------------------------------------------------------------------------------------------

/// "5+ years", "3-5 years", "at least 2 years", "three years of experience".
#[derive(Clone, Copy, Debug)]
struct YearsMention {
    offset: usize,
    /// The lower bound.
    years: u32,
    /// Written as a requirement: a "+", a range, or "at least"/"minimum"/"over".
    marked: bool,
    /// "experience" follows within a few words.
    experience: bool,
}

/// Runs of ASCII letters, digits and "+" with their byte offsets.
fn ascii_words(lower: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, b) in lower.bytes().enumerate() {
        let inside = b.is_ascii_alphanumeric() || b == b'+';
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &lower[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &lower[s..]));
    }
    words
}

fn small_number(word: &str) -> Option<u32> {
    if (1..=2).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    WORDS
        .iter()
        .position(|w| *w == word)
        .and_then(|n| u32::try_from(n + 1).ok())
}

fn years_mentions(lower: &str) -> Vec<YearsMention> {
    let words = ascii_words(lower);
    let mut mentions = Vec::new();
    for (k, &(offset, word)) in words.iter().enumerate() {
        if !matches!(word, "years" | "year" | "yrs" | "yr") || k == 0 {
            continue;
        }
        if words.get(k + 1).is_some_and(|&(_, w)| w == "old") {
            continue;
        }
        let mut j = k - 1;
        let mut marked = false;
        if words[j].1 == "+" {
            marked = true;
            let Some(before) = j.checked_sub(1) else {
                continue;
            };
            j = before;
        }
        let written = words[j].1;
        let number = match written.strip_suffix('+') {
            Some(bare) => {
                marked = true;
                bare
            }
            None => written,
        };
        let Some(mut years) = small_number(number) else {
            continue;
        };
        // A range counts from its lower bound: "3-5 years", "3 to 5 years".
        if j >= 1 {
            let (prev_at, prev) = words[j - 1];
            let between = lower[prev_at + prev.len()..words[j].0].trim();
            if matches!(between, "-" | "–" | "—")
                && let Some(low) = small_number(prev)
            {
                years = low;
                marked = true;
                j -= 1;
            } else if prev == "to"
                && let Some(low) = j.checked_sub(2).and_then(|p| small_number(words[p].1))
            {
                years = low;
                marked = true;
                j -= 2;
            }
        }
        let lead_in = &words[j.saturating_sub(2)..j];
        if lead_in
            .iter()
            .any(|&(_, w)| matches!(w, "least" | "minimum" | "min" | "over" | "than"))
        {
            marked = true;
        }
        let experience = words[k + 1..words.len().min(k + 7)]
            .iter()
            .any(|&(_, w)| w.starts_with("experience") || w == "exp");
        mentions.push(YearsMention {
            offset,
            years,
            marked,
            experience,
        });
    }
    mentions
}

/// Month names; a month index is year × 12 + month from 0.
const MONTHS: &str =
    "january february march april may june july august september october november december";

/// "jan", "sept" or "january", not "marketing".
fn month_of(word: &str) -> Option<i32> {
    let n = MONTHS
        .split_whitespace()
        .position(|m| word == m || word == &m[..3] || (word == "sept" && m.starts_with("sep")))?;
    i32::try_from(n).ok()
}

fn year_at(s: &str) -> Option<(i32, usize)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let year: i32 = s[..4].parse().ok()?;
    (1970..=2039).contains(&year).then_some((year, 4))
}

/// A date as resumes write it at the start of `s` ("2020", "jan 2020", "january, 2020",
/// "01/2020"): its month index and length. A bare year means January.
fn date_at(s: &str) -> Option<(i32, usize)> {
    let letters = s.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters > 0 {
        let month = month_of(&s[..letters])?;
        let rest = &s[letters..];
        let skip = rest
            .bytes()
            .take_while(|b| matches!(b, b'.' | b',' | b' '))
            .count();
        let (year, len) = year_at(&rest[skip..])?;
        return Some((year * 12 + month, letters + skip + len));
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && s[digits..].starts_with('/') {
        let month: i32 = s[..digits].parse().ok()?;
        let (year, len) = year_at(&s[digits + 1..])?;
        return (1..=12)
            .contains(&month)
            .then_some((year * 12 + month - 1, digits + 1 + len));
    }
    let (year, len) = year_at(s)?;
    Some((year * 12, len))
}

/// The separator of a date range at the start of `s`, with the spaces around it.
fn range_separator(s: &str) -> Option<usize> {
    let lead = s.len() - s.trim_start().len();
    let rest = &s[lead..];
    let sep = [
        "-", "–", "—", "~", "to ", "until ", "till ", "through ", "thru ",
    ]
    .into_iter()
    .find(|p| rest.starts_with(p))?;
    let after = &rest[sep.len()..];
    Some(lead + sep.len() + after.len() - after.trim_start().len())
}

/// The end of a range: a date, or "present" and its kin (this month).
fn range_end_at(s: &str, this_month: i32) -> Option<(i32, usize)> {
    for word in ["present", "current", "now", "today", "date", "ongoing"] {
        if s.starts_with(word)
            && s[word.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            return Some((this_month, word.len()));
        }
    }
    date_at(s)
}

/// Words that mark a date range as study rather than work.
const EDUCATION_WORDS: &str = concat!(
    "university college school bachelor master b.sc bsc b.tech btech m.tech mtech msc m.sc ",
    "phd ph.d degree gpa institute academy diploma b.e. b.s. m.s. education graduat semester",
);

fn floor_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Months of work the resume's date ranges cover, overlaps counted once; ranges beside
/// education words are study, not work.
fn ranged_months(lower: &str, this_month: i32) -> i32 {
    let bytes = lower.as_bytes();
    let mut periods: Vec<(i32, i32)> = Vec::new();
    let mut previous_end = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_word =
            bytes[i].is_ascii_alphanumeric() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        let parsed = starts_word
            .then(|| date_at(&lower[i..]))
            .flatten()
            .and_then(|(from, len)| {
                let sep = range_separator(&lower[i + len..])?;
                let (to, end_len) = range_end_at(&lower[i + len + sep..], this_month)?;
                Some((from, to, i + len + sep + end_len))
            });
        let Some((from, to, end)) = parsed else {
            i += 1;
            continue;
        };
        let before = &lower[floor_boundary(lower, previous_end.max(i.saturating_sub(80)))..i];
        let after = &lower[end..ceil_boundary(lower, end + 40)];
        let studying = EDUCATION_WORDS
            .split_whitespace()
            .any(|w| before.contains(w) || after.contains(w));
        let to = to.min(this_month);
        if !studying && from <= to && to - from <= 50 * 12 {
            periods.push((from, to));
        }
        previous_end = end;
        i = end;
    }
    periods.sort_unstable();
    let mut total = 0;
    let mut current: Option<(i32, i32)> = None;
    for (from, to) in periods {
        current = match current {
            Some((start, end)) if from <= end => Some((start, end.max(to))),
            Some((start, end)) => {
                total += end - start;
                Some((from, to))
            }
            None => Some((from, to)),
        };
    }
    total + current.map_or(0, |(start, end)| end - start)
}

/// Years the resume shows: what it states or what its dates cover, whichever is more.
fn resume_years(lower: &str, this_month: i32) -> Option<f64> {
    let stated = years_mentions(lower)
        .into_iter()
        .filter(|m| m.experience || m.marked)
        .map(|m| f64::from(m.years.min(40)))
        .reduce(f64::max);
    let months = ranged_months(lower, this_month);
    let ranged = (months > 0).then(|| f64::from(months) / 12.0);
    match (stated, ranged) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

// ---------------------------------------------------------------------------------------------
// The resume
// ---------------------------------------------------------------------------------------------

/// Verbs that say the candidate owned the work.
static OWNERSHIP_VERBS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set(concat!(
        "led built designed owned launched architected migrated scaled reduced improved ",
        "increased optimized optimised created developed implemented delivered automated ",
        "spearheaded drove founded shipped mentored refactored redesigned rebuilt deployed ",
        "cut boosted accelerated streamlined established initiated introduced headed managed ",
        "orchestrated ",
    ))
});

/// Words that say the work ran at scale.
static SCALE_WORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set(concat!(
        "users customers requests tb pb terabytes petabytes distributed production throughput ",
        "latency scalability scalable million millions billion billions concurrent real-time ",
        "realtime high-availability uptime multi-region traffic ",
    ))
});

/// Units that make a bare number an outcome ("10,000 users", "3 hours").
static UNIT_WORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set(concat!(
        "users customers clients requests rps qps transactions orders downloads installs ",
        "stars visitors subscribers members people engineers developers students teams hours ",
        "hrs days weeks minutes mins seconds ms servers nodes services microservices records ",
        "rows events messages queries jobs pipelines endpoints apis countries markets tb gb ",
        "pb mb million billion thousand percent times tickets incidents deployments releases ",
        "tests lines ",
    ))
});

/// Units glued to a number: "3x", "50k", "1.2m", "200ms", "2tb".
static NUMBER_SUFFIXES: LazyLock<HashSet<&str>> =
    LazyLock::new(|| word_set("x k m b mm bn ms s sec tb gb pb mb rps qps"));

/// What weighs for a fresher in place of work experience.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Signal {
    Project,
    Internship,
    Hackathon,
    CodeLink,
    Coursework,
    Competition,
    OpenSource,
    Research,
    Certification,
}

impl Signal {
    const ALL: [Signal; 9] = [
        Signal::Project,
        Signal::Internship,
        Signal::Hackathon,
        Signal::CodeLink,
        Signal::Coursework,
        Signal::Competition,
        Signal::OpenSource,
        Signal::Research,
        Signal::Certification,
    ];

    /// Whole lowercase words that show it, space-separated.
    fn words(self) -> &'static str {
        match self {
            Signal::Project => "project projects capstone",
            Signal::Internship => {
                "intern internship internships interned trainee apprentice apprenticeship"
            }
            Signal::Hackathon => "hackathon hackathons hackfest codefest",
            Signal::CodeLink => "",
            Signal::Coursework => "coursework courses",
            Signal::Competition => concat!(
                "competition competitions contest olympiad icpc codeforces leetcode codechef ",
                "kaggle award awarded winner won finalist scholarship",
            ),
            Signal::OpenSource => "contributor gsoc",
            Signal::Research => "research thesis publication published paper",
            Signal::Certification => "certified certification certificate",
        }
    }

    /// Lowercase substrings that show it.
    fn phrases(self) -> &'static [&'static str] {
        match self {
            Signal::CodeLink => &["github.com", "gitlab.com", "bitbucket.org", "kaggle.com"],
            Signal::Coursework => &["course work", "relevant courses"],
            Signal::OpenSource => &["open source", "open-source"],
            _ => &[],
        }
    }

    fn label(self) -> &'static str {
        match self {
            Signal::Project => "Project work",
            Signal::Internship => "Internship",
            Signal::Hackathon => "Hackathon",
            Signal::CodeLink => "Code you can show",
            Signal::Coursework => "Coursework",
            Signal::Competition => "Competitions and awards",
            Signal::OpenSource => "Open source",
            Signal::Research => "Research",
            Signal::Certification => "Certification",
        }
    }
}

/// Evidence of impact, each with the statement (index) it was found in.
#[derive(Debug, Default)]
struct Evidence {
    /// Statements with quantified outcomes: (statement, how many, byte offset of the first).
    quantified: Vec<(usize, usize, usize)>,
    /// Statements with an ownership verb: (statement, byte offset of the verb).
    ownership: Vec<(usize, usize)>,
    /// Distinct scale words, first statement each.
    scale: Vec<(&'static str, usize)>,
    /// Distinct fresher signals, first statement each.
    signals: Vec<(Signal, usize)>,
}

impl Evidence {
    fn has(&self, signal: Signal) -> bool {
        self.signals.iter().any(|&(s, _)| s == signal)
    }

    fn is_quantified(&self, statement: usize) -> bool {
        self.quantified.iter().any(|&(s, _, _)| s == statement)
    }
}

struct Resume<'t> {
    lower: String,
    /// Token keys, sorted and deduplicated: for title words and word stems.
    words: Vec<String>,
    /// Skill → (mentions, first byte offset).
    skills: HashMap<usize, (u32, usize)>,
    statements: Vec<&'t str>,
    evidence: Evidence,
    years: Option<f64>,
    word_count: usize,
}

impl<'t> Resume<'t> {
    fn read(text: &'t str, this_month: i32) -> Resume<'t> {
        let tokens = tokenize(text);
        let mut skills: HashMap<usize, (u32, usize)> = HashMap::new();
        for hit in find_skills(&tokens, RESUME_HEADER_TOKENS) {
            let seen = skills
                .entry(hit.skill)
                .or_insert((0, tokens[hit.token].start));
            seen.0 += 1;
        }
        let lower = text.to_ascii_lowercase();
        let statements = statements(text);
        Resume {
            evidence: evidence(&statements),
            years: resume_years(&lower, this_month),
            word_count: text.split_whitespace().count(),
            words: sorted_words(tokens),
            lower,
            skills,
            statements,
        }
    }

    fn is_empty(&self) -> bool {
        self.word_count == 0
    }

    fn has(&self, skill: usize) -> bool {
        self.skills.contains_key(&skill)
    }

    /// Names the skill, or for a practice or soft skill uses every word of its name in some
    /// form ("software engineer" shows Software Engineering, "idempotent" Idempotency, "rate
    /// limiter" Rate Limiting): postings and resumes phrase these differently.
    fn shows(&self, skill_index: usize) -> bool {
        if self.has(skill_index) {
            return true;
        }
        let s = skill(skill_index);
        if !matches!(s.category, Category::Practice | Category::SoftSkill) {
            return false;
        }
        let mut words = s
            .name
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.len() >= 4)
            .map(str::to_lowercase)
            .peekable();
        words.peek().is_some() && words.all(|word| self.has_stem_of(&word))
    }

    /// Some resume word is a form of `word` (see [`same_stem`]).
    fn has_stem_of(&self, word: &str) -> bool {
        let Some(prefix) = word.get(..4) else {
            return false;
        };
        let from = self.words.partition_point(|w| w.as_str() < prefix);
        self.words[from..]
            .iter()
            .take_while(|w| w.starts_with(prefix))
            .any(|w| same_stem(word, w))
    }

    /// Its skills, most mentioned first (then first seen).
    fn skills_by_mentions(&self) -> Vec<usize> {
        let mut found: Vec<(usize, u32, usize)> = self
            .skills
            .iter()
            .map(|(&s, &(count, first))| (s, count, first))
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        found.into_iter().map(|(s, _, _)| s).collect()
    }

    /// A title word, with "engineer", "developer" and kin taken as one.
    fn uses_word(&self, word: &str) -> bool {
        let used = |w: &str| self.words.binary_search_by(|k| k.as_str().cmp(w)).is_ok();
        if ENGINEER_WORDS.contains(&word) {
            ENGINEER_WORDS.iter().any(|w| used(w))
        } else {
            used(word)
        }
    }
}

fn sorted_words(tokens: Vec<Token<'_>>) -> Vec<String> {
    let mut words: Vec<String> = tokens.into_iter().map(|t| t.key).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Two forms of one word: they share a prefix of four letters or more that leaves at most three
/// letters of the shorter one ("engineer"/"engineering", "cache"/"caching", not "log"/"login").
fn same_stem(a: &str, b: &str) -> bool {
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    common >= 4 && common + 3 >= a.len().min(b.len())
}

/// Bullets, lines and sentences, trimmed: what a quote comes from.
fn statements(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = match c {
            '\n' | '\r' | '|' | '•' | '●' | '▪' | '◦' | '■' | '►' | '➢' | '➤' | '\u{f0b7}' => {
                true
            }
            '.' | '!' | '?' | ';' => chars.peek().is_none_or(|&(_, n)| n.is_whitespace()),
            _ => false,
        };
        if ends {
            push_statement(&mut out, &text[start..i]);
            start = i + c.len_utf8();
        }
    }
    push_statement(&mut out, &text[start..]);
    out
}

fn push_statement<'t>(out: &mut Vec<&'t str>, piece: &'t str) {
    let piece = piece.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '*' | '–'));
    if !piece.is_empty() {
        out.push(piece);
    }
}

/// The statement's words with their byte offsets.
fn words_at(statement: &str) -> impl Iterator<Item = (usize, &str)> {
    let base = statement.as_ptr() as usize;
    statement
        .split_whitespace()
        .map(move |w| (w.as_ptr() as usize - base, w))
}

/// A word stripped of surrounding punctuation and lowercased.
fn plain(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '$')
        .to_ascii_lowercase()
}

fn evidence(statements: &[&str]) -> Evidence {
    let mut evidence = Evidence::default();
    for (n, statement) in statements.iter().enumerate() {
        let words: Vec<(usize, &str)> = words_at(statement).collect();
        let lowered: Vec<String> = words.iter().map(|&(_, w)| plain(w)).collect();
        let mut quantities = 0;
        let mut first_quantity = None;
        for (k, &(at, word)) in words.iter().enumerate() {
            if is_quantity(word, lowered.get(k + 1).map(String::as_str)) {
                quantities += 1;
                first_quantity.get_or_insert(at);
            }
        }
        if let Some(at) = first_quantity {
            evidence.quantified.push((n, quantities, at));
        }
        if let Some(k) = lowered
            .iter()
            .position(|w| OWNERSHIP_VERBS.contains(&w.as_str()))
        {
            evidence.ownership.push((n, words[k].0));
        }
        for w in &lowered {
            if let Some(scale) = SCALE_WORDS.iter().find(|s| **s == w.as_str())
                && !evidence.scale.iter().any(|(seen, _)| seen == scale)
            {
                evidence.scale.push((scale, n));
            }
        }
        let lower = statement.to_ascii_lowercase();
        for signal in Signal::ALL {
            let by_word = signal
                .words()
                .split_whitespace()
                .any(|word| lowered.iter().any(|w| w == word));
            let by_phrase = signal.phrases().iter().any(|p| lower.contains(p));
            if !(by_word || by_phrase) {
                continue;
            }
            // A heading ("PROJECTS") shows the signal; its first item makes the better quote.
            let quotable = if words.len() < 4 && n + 1 < statements.len() {
                n + 1
            } else {
                n
            };
            match evidence.signals.iter_mut().find(|(s, _)| *s == signal) {
                None => evidence.signals.push((signal, quotable)),
                Some(seen) if statements[seen.1].split_whitespace().count() < 4 => {
                    seen.1 = quotable
                }
                Some(_) => {}
            }
        }
    }
    evidence.signals.sort_by_key(|&(signal, _)| signal);
    evidence
}

/// A number that measures an outcome: "40%", "3x", "$2M", "50k", "200ms", "10,000 users".
fn is_quantity(word: &str, next: Option<&str>) -> bool {
    let w =
        word.trim_matches(|c: char| matches!(c, ',' | '.' | ';' | ':' | '(' | ')' | '"' | '\''));
    if !w.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    if w.starts_with(['$', '€', '£', '₹']) || w.ends_with('%') {
        return true;
    }
    let w = w.trim_start_matches(['~', '<', '>']).trim_end_matches('+');
    let digits = w
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.' || *b == b',')
        .count();
    if digits == 0 {
        return false; // "p99", "v2", "s3"
    }
    let (number, unit) = w.split_at(digits);
    let unit = unit.to_ascii_lowercase();
    if !unit.is_empty() {
        return NUMBER_SUFFIXES.contains(&unit.as_str());
    }
    if is_year(number) {
        return false;
    }
    next.is_some_and(|n| UNIT_WORDS.contains(&n) || n == "%")
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

// ---------------------------------------------------------------------------------------------
// Strengths and suggestions
// ---------------------------------------------------------------------------------------------

/// "A", "A and B", "A, B and C".
fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn names_of<'a>(skills: impl Iterator<Item = &'a PostingSkill>, limit: usize) -> Vec<&'static str> {
    skills
        .take(limit)
        .map(|s| skill(s.skill).name.as_str())
        .collect()
}

/// At most about [`QUOTE_CHARS`] of `statement`, around the evidence at byte `focus`.
fn quote(statement: &str, focus: usize) -> String {
    let text = statement.trim_end_matches(['.', ',', ';', ':']);
    if text.chars().count() <= QUOTE_CHARS {
        return text.to_owned();
    }
    let mut start = 0;
    if focus > 60 {
        // Start at the clause holding the evidence ("…, cutting p99 latency by 40%"), or a
        // little before it at a word, so the quote keeps its verb.
        let focus = floor_boundary(text, focus);
        let reach = floor_boundary(text, focus - 60);
        start = match text[reach..focus].rfind([',', ';', ':']) {
            Some(mark) => reach + mark + 1,
            None => {
                let from = floor_boundary(text, focus - 40);
                text[from..]
                    .find(' ')
                    .map_or(from, |space| from + space + 1)
            }
        };
        start += text[start..].len() - text[start..].trim_start().len();
    }
    let window = &text[start..];
    let mut end = window
        .char_indices()
        .nth(QUOTE_CHARS)
        .map_or(window.len(), |(i, _)| i);
    if end < window.len()
        && let Some(space) = window[..end].rfind(' ')
    {
        end = space;
    }
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < window.len() { "…" } else { "" };
    let body = window[..end].trim_end_matches([',', ';', ':', ' ']);
    format!("{lead}{body}{tail}")
}

fn about_years(years: f64) -> String {
    if years < 1.0 {
        "less than a year".to_owned()
    } else {
        format!("about {}", years.floor())
    }
}

/// What the resume already does for this posting, quoting it where it can.
fn strengths(facts: &Facts<'_>) -> Vec<String> {
    let resume = &facts.resume;
    if resume.is_empty() {
        return Vec::new();
    }
    let mut quotes = Quotes::new(&resume.statements);
    let mut out: Vec<String> = skills_strength(facts).into_iter().collect();
    out.extend(quantified_strength(&resume.evidence, &mut quotes));
    out.extend(level_strengths(facts, &mut quotes));
    out.extend(fit_strengths(facts));
    if facts.level == CandidateLevel::Experienced {
        out.extend(scale_strength(&resume.evidence, &mut quotes));
    }
    // Plain facts about the resume, so a thin one still gets three.
    let missing = MIN_NOTES.saturating_sub(out.len());
    out.extend(resume_facts(facts).into_iter().take(missing));
    out.truncate(MAX_NOTES);
    out
}

/// Labelled quotes of resume statements, each statement at most once.
struct Quotes<'a> {
    statements: &'a [&'a str],
    used: Vec<usize>,
}

impl<'a> Quotes<'a> {
    fn new(statements: &'a [&'a str]) -> Quotes<'a> {
        Quotes {
            statements,
            used: Vec::new(),
        }
    }

    /// `Label: "…statement n around byte at…"`, unless statement `n` was quoted already.
    fn take(&mut self, label: &str, n: usize, at: usize) -> Option<String> {
        if self.used.contains(&n) {
            return None;
        }
        self.used.push(n);
        Some(format!("{label}: \"{}\"", quote(self.statements[n], at)))
    }
}

/// "Your resume shows Python, Django and PostgreSQL, which the posting asks for…": products
/// first, from the requirements when any match there.
fn skills_strength(facts: &Facts<'_>) -> Option<String> {
    let is_practice = |s: &&PostingSkill| {
        matches!(
            skill(s.skill).category,
            Category::Practice | Category::SoftSkill
        )
    };
    let listed = |required_only: bool| {
        let mut matched: Vec<&PostingSkill> = facts
            .matched()
            .filter(|s| !required_only || s.section == Section::Required)
            .collect();
        matched.sort_by_key(is_practice);
        names_of(matched.into_iter(), 5)
    };
    let required = listed(true);
    if !required.is_empty() {
        return Some(format!(
            "Your resume shows {}, which the posting asks for in its requirements.",
            join_names(&required)
        ));
    }
    let matched = listed(false);
    (!matched.is_empty()).then(|| {
        format!(
            "Your resume shows {}, which the posting asks for.",
            join_names(&matched)
        )
    })
}

/// The statement with the most numbers (then an ownership verb, then the first).
fn quantified_strength(evidence: &Evidence, quotes: &mut Quotes<'_>) -> Option<String> {
    let owned = |n: usize| evidence.ownership.iter().any(|&(s, _)| s == n);
    let &(n, _, at) = evidence.quantified.iter().max_by(|a, b| {
        a.1.cmp(&b.1)
            .then(owned(a.0).cmp(&owned(b.0)))
            .then(b.0.cmp(&a.0))
    })?;
    quotes.take("Quantified impact", n, at)
}

/// An ownership statement for an experienced candidate; the first two fresher signals for a
/// fresher.
fn level_strengths(facts: &Facts<'_>, quotes: &mut Quotes<'_>) -> Vec<String> {
    let resume = &facts.resume;
    let evidence = &resume.evidence;
    match facts.level {
        CandidateLevel::Experienced => evidence
            .ownership
            .iter()
            .filter(|&&(n, _)| resume.statements[n].split_whitespace().count() >= 4)
            .find_map(|&(n, at)| quotes.take("Ownership", n, at))
            .into_iter()
            .collect(),
        CandidateLevel::Fresher => evidence
            .signals
            .iter()
            .take(2)
            .filter_map(|&(signal, n)| quotes.take(signal.label(), n, 0))
            .collect(),
    }
}

/// The first statement about scale that is not quoted yet.
fn scale_strength(evidence: &Evidence, quotes: &mut Quotes<'_>) -> Option<String> {
    evidence.scale.iter().find_map(|&(word, n)| {
        let at = quotes.statements[n]
            .to_ascii_lowercase()
            .find(word)
            .unwrap_or(0);
        quotes.take("Scale", n, at)
    })
}

/// Years, role family and target stack, when they line up with the posting.
fn fit_strengths(facts: &Facts<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(required), Some(years)) = (facts.posting.required_years, facts.years)
        && required > 0
        && years >= f64::from(required)
    {
        out.push(format!(
            "Your experience ({} years) meets the posting's {required}+ years.",
            about_years(years)
        ));
    }
    let resume = &facts.resume;
    if let Some(family) = facts
        .posting
        .families
        .iter()
        .find(|f| f.in_resume(&resume.lower))
    {
        out.push(format!(
            "Your resume describes {} work, which is what the {} role is about.",
            family.name(),
            facts.title
        ));
    }
    let aligned: Vec<&str> = facts
        .target
        .iter()
        .filter(|&&s| facts.posting.asks_for(s) && resume.has(s))
        .map(|&s| skill(s).name.as_str())
        .collect();
    if !aligned.is_empty() {
        let them = if aligned.len() == 1 { "it" } else { "them" };
        out.push(format!(
            "Your target stack lines up with this posting: it asks for {} and your resume shows {them}.",
            join_names(&aligned)
        ));
    }
    out
}

/// True things to credit any non-empty resume with, most specific first.
fn resume_facts(facts: &Facts<'_>) -> Vec<String> {
    let resume = &facts.resume;
    let mut out = Vec::new();
    let known: Vec<&str> = resume
        .skills_by_mentions()
        .into_iter()
        .take(3)
        .map(|s| skill(s).name.as_str())
        .collect();
    if !known.is_empty() {
        out.push(format!(
            "Your resume names {} skill{} an ATS recognises, such as {}.",
            resume.skills.len(),
            if resume.skills.len() == 1 { "" } else { "s" },
            join_names(&known)
        ));
    }
    let sections: Vec<String> = ["experience", "projects", "education", "skills"]
        .into_iter()
        .filter(|h| contains_phrase(&resume.lower, h))
        .map(capitalized)
        .collect();
    if !sections.is_empty() {
        let sections: Vec<&str> = sections.iter().map(String::as_str).collect();
        out.push(format!(
            "Your resume has sections an ATS looks for: {}.",
            join_names(&sections)
        ));
    }
    if resume.lower.contains('@') || resume.evidence.has(Signal::CodeLink) {
        out.push(
            "Your resume gives a way to reach you or see your work (an email or a profile link)."
                .to_owned(),
        );
    }
    let words = resume.word_count;
    out.push(format!(
        "Your resume's text is readable ({words} word{}), so an ATS can parse all of it.",
        if words == 1 { "" } else { "s" }
    ));
    out.push(if words < 450 {
        "Your resume is short, so there is room to add what this posting asks for without cutting anything.".to_owned()
    } else if words <= 1000 {
        format!("Your resume's length ({words} words) is what recruiters expect: one to two pages.")
    } else {
        "Your resume has plenty of material to choose from when tailoring it to this posting."
            .to_owned()
    });
    out.push(match facts.level {
        CandidateLevel::Fresher => "As a fresher you are scored on projects, internships and fundamentals more than years, so each one you add counts.".to_owned(),
        CandidateLevel::Experienced => "As an experienced candidate you are scored on impact, ownership and scale, which you can show in the bullets you already have.".to_owned(),
    });
    out
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What to change for this posting, most telling first.
fn suggestions(facts: &Facts<'_>) -> Vec<String> {
    if facts.resume.is_empty() {
        return vec![
            "The resume has no readable text: upload a text-based PDF or DOCX (not a scan) so it can be analysed.".to_owned(),
        ];
    }
    let missing: Vec<&PostingSkill> = facts.missing().collect();
    let mut out: Vec<String> = missing
        .first()
        .map(|top| missing_skill(top))
        .into_iter()
        .collect();
    out.extend(years_gap(facts));
    if facts.level == CandidateLevel::Fresher && facts.posting.level >= Level::Senior {
        out.push(format!(
            "This is {}; as a fresher, junior, graduate or internship postings will match your profile better.",
            facts.posting.level.name()
        ));
    }
    out.extend(target_gap(facts));
    out.extend(level_suggestions(facts).into_iter().take(2));
    let more = names_of(
        missing
            .iter()
            .skip(1)
            .filter(|s| !facts.target.contains(&s.skill))
            .copied(),
        4,
    );
    if !more.is_empty() {
        out.push(format!(
            "Also missing: {}. Add the ones you have used, with where you used them.",
            join_names(&more)
        ));
    }
    out.extend(family_gap(facts));
    let missing = MIN_NOTES.saturating_sub(out.len());
    out.extend(general_suggestions(facts).into_iter().take(missing));
    out.truncate(MAX_NOTES);
    out
}

/// "The posting asks for Kubernetes in its requirements (mentioned 3 times) but…"
fn missing_skill(top: &PostingSkill) -> String {
    let place = if top.section == Section::Required {
        " in its requirements"
    } else {
        ""
    };
    let times = if top.mentions > 1 {
        format!(" (mentioned {} times)", top.mentions)
    } else {
        String::new()
    };
    format!(
        "The posting asks for {}{place}{times} but your resume does not mention it.",
        skill(top.skill).name
    )
}

/// The posting asks for more years than the resume shows (or the resume shows no dates).
fn years_gap(facts: &Facts<'_>) -> Option<String> {
    let required = facts.posting.required_years.filter(|&r| r > 0)?;
    match facts.years {
        Some(years) if years < f64::from(required) => Some(format!(
            "The posting asks for {required}+ years; your resume shows {}.",
            about_years(years)
        )),
        None => Some(format!(
            "The posting asks for {required}+ years; your resume shows no dates. Give each role its start and end (e.g. \"Jan 2021 – Present\")."
        )),
        Some(_) => None,
    }
}

/// Target-stack skills the posting asks for and the resume does not show.
fn target_gap(facts: &Facts<'_>) -> Option<String> {
    let gaps: Vec<&str> = facts
        .target
        .iter()
        .filter(|&&s| facts.posting.asks_for(s) && !facts.resume.has(s))
        .map(|&s| skill(s).name.as_str())
        .collect();
    let them = if gaps.len() == 1 { "it" } else { "them" };
    (!gaps.is_empty()).then(|| {
        format!(
            "You aim at {} and the posting asks for {them}, but your resume does not show {them}: add a project or a bullet where you used {them}.",
            join_names(&gaps)
        )
    })
}

/// The title names a role family the resume never speaks of.
fn family_gap(facts: &Facts<'_>) -> Option<String> {
    let families = &facts.posting.families;
    let first = families.first()?;
    if families.iter().any(|f| f.in_resume(&facts.resume.lower)) {
        return None;
    }
    let family = first.name();
    Some(format!(
        "The posting is for a {}; your resume never says \"{family}\". Describe your {family} work in those words.",
        facts.title
    ))
}

/// Advice that holds for any resume, so every analysis gives three suggestions.
fn general_suggestions(facts: &Facts<'_>) -> [String; 3] {
    let title = if facts.title.is_empty() {
        "the job title"
    } else {
        facts.title
    };
    let top = names_of(facts.posting.skills.iter(), 3);
    let wording = if top.is_empty() {
        format!(
            "Mirror the posting's wording: use \"{title}\" and the tools it names in your summary."
        )
    } else {
        format!(
            "Mirror the posting's wording: use \"{title}\" and its top skills ({}) in your summary.",
            join_names(&top)
        )
    };
    let order = match facts.level {
        CandidateLevel::Experienced => {
            "Open each role with its biggest outcome, then the stack you used."
        }
        CandidateLevel::Fresher => {
            "Put projects above education and give each one a line on what you built and with what."
        }
    };
    [
        wording,
        "Keep a plain Skills section near the top, one skill per item, so an ATS reads each one exactly.".to_owned(),
        order.to_owned(),
    ]
}

/// What a fresher or an experienced candidate should add, most telling first.
fn level_suggestions(facts: &Facts<'_>) -> Vec<String> {
    let resume = &facts.resume;
    let evidence = &resume.evidence;
    let mut out = Vec::new();
    match facts.level {
        CandidateLevel::Experienced => {
            if evidence.quantified.len() < 3 {
                let plain = evidence
                    .ownership
                    .iter()
                    .find(|&&(n, _)| !evidence.is_quantified(n));
                out.push(match plain {
                    Some(&(n, at)) => format!(
                        "Add a number to \"{}\": users served, latency, cost or time saved.",
                        quote(resume.statements[n], at)
                    ),
                    None => "Quantify your outcomes: add users, latency, revenue or time saved to your strongest bullets.".to_owned(),
                });
            }
            if evidence.ownership.len() < 3 {
                out.push("Open bullets with what you owned (led, designed, migrated, launched) rather than duties.".to_owned());
            }
            if evidence.scale.len() < 2 {
                out.push("Show scale and architecture: traffic, data volume, team size, and the systems you designed and why.".to_owned());
            }
        }
        CandidateLevel::Fresher => {
            if !evidence.has(Signal::Project) {
                out.push("Add 2–3 projects with a GitHub link, the stack you used and one result you can measure.".to_owned());
            } else if !evidence.has(Signal::CodeLink) {
                out.push(
                    "Link your projects' code (GitHub or a live demo) so a reviewer can check it."
                        .to_owned(),
                );
            }
            if !evidence.has(Signal::Internship) {
                out.push("List internships, freelance or open-source work: for a fresher they count like experience.".to_owned());
            }
            let fundamentals = [
                "Data Structures",
                "Algorithms",
                "Object-Oriented Programming",
            ];
            if !fundamentals
                .iter()
                .filter_map(|name| INDEX.skill_of(name))
                .any(|s| resume.has(s))
            {
                out.push("Name your fundamentals (data structures, algorithms, OOP, databases) in a coursework or skills line.".to_owned());
            }
            if !evidence.has(Signal::Hackathon) && !evidence.has(Signal::Competition) {
                out.push("Add hackathons, coding contests or Kaggle results if you have them; they stand in for work experience.".to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// March 2025.
    const THIS_MONTH: i32 = 2025 * 12 + 2;

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

    fn found(text: &str) -> Vec<&'static str> {
        let tokens = tokenize(text);
        let mut names: Vec<&str> = find_skills(&tokens, 0)
            .into_iter()
            .map(|h| skill(h.skill).name.as_str())
            .collect();
        names.dedup();
        names
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
    fn ambiguous_names_need_case_or_context() {
        assert_eq!(
            found("I like to go hiking and rest on weekends"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("Less than a year; Spring 2023 semester; a swift reply"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("I was the go-to person. John R. Smith"),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("Palo Alto, CA. We expose a web API."),
            Vec::<&str>::new()
        );
        assert_eq!(found("Go, Python"), ["Go", "Python"]);
        assert_eq!(found("Built services in Go and Rust"), ["Go", "Rust"]);
        assert_eq!(found("python, go, rust"), ["Python", "Go", "Rust"]);
        assert_eq!(found("Go developer"), ["Go"]);
        assert_eq!(found("Languages: C, C++, R"), ["C", "C++", "R"]);
        // A product's name shows the product it starts with.
        assert_eq!(
            found("Express and Spring Boot APIs"),
            ["Express", "Spring", "Spring Boot"]
        );
        assert_eq!(
            found("ML and AI"),
            ["Machine Learning", "Artificial Intelligence"]
        );
        assert_eq!(found("c, r"), Vec::<&str>::new());
    }

    #[test]
    fn spellings_of_a_name_meet() {
        for text in ["Node.js", "node js", "NodeJS", "NODE.JS"] {
            assert_eq!(found(text), ["Node.js"], "{text}");
        }
        assert_eq!(found("CI/CD on k8s"), ["CI/CD", "Kubernetes"]);
        assert_eq!(
            found("Spring-Boot, Mongo DB"),
            ["Spring", "Spring Boot", "MongoDB"]
        );
        assert_eq!(found("AWS Lambda"), ["Amazon Web Services", "AWS Lambda"]);
        assert_eq!(found("go-to-market"), ["Go-To-Market Strategy"]);
        assert_eq!(
            found("C#/.NET and Python's pandas"),
            ["C#", ".NET", "Python", "pandas"]
        );
        assert_eq!(found("see https://www.python.org/go"), Vec::<&str>::new());
    }

    #[test]
    fn practices_count_in_any_word_form() {
        let resume = Resume::read(
            "Software engineer who built idempotent payment APIs and a rate limiter.",
            THIS_MONTH,
        );
        let shows = |name: &str| resume.shows(INDEX.skill_of(name).unwrap());
        assert!(shows("Software Engineering"));
        assert!(shows("Idempotency"));
        assert!(shows("Rate Limiting"));
        assert!(!shows("Logging"));
        // Products need their name.
        assert!(!shows("Kubernetes"));
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
    fn quotes_are_cut_at_words_around_the_evidence() {
        let long = "Worked across many teams and projects over the years on all kinds of things, and in the end reduced p99 latency by 40% for the checkout service used by everyone";
        let at = long.find("40%").unwrap();
        let quoted = quote(long, at);
        assert!(
            quoted.starts_with('…') && quoted.contains("reduced p99 latency by 40%"),
            "{quoted}"
        );
        assert!(quoted.chars().count() <= QUOTE_CHARS + 2);
        assert_eq!(quote("Short one.", 0), "Short one");
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
