//! Reading the resume: the skills it names, its statements (bullets, lines, sentences), the
//! evidence of impact in them (numbers, ownership verbs, scale words, fresher signals) and the
//! years it shows.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::skills::Category;

use super::experience::resume_years;
use super::scan::{Token, find_skills, is_year, skill, tokenize, word_set};

/// The resume's first tokens hold the candidate's name ("Ruby Chen"), so an ambiguous skill
/// there needs the same evidence as at a sentence start.
const RESUME_HEADER_TOKENS: usize = 4;

/// Title words for "the person who builds software", taken as one.
static ENGINEER_WORDS: LazyLock<HashSet<&str>> = LazyLock::new(|| {
    word_set("engineer engineers engineering developer developers development programmer swe")
});

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
pub(super) enum Signal {
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

    pub(super) fn label(self) -> &'static str {
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
pub(super) struct Evidence {
    /// Statements with quantified outcomes: (statement, how many, byte offset of the first).
    pub(super) quantified: Vec<(usize, usize, usize)>,
    /// Statements with an ownership verb: (statement, byte offset of the verb).
    pub(super) ownership: Vec<(usize, usize)>,
    /// Distinct scale words, first statement each.
    pub(super) scale: Vec<(&'static str, usize)>,
    /// Distinct fresher signals, first statement each.
    pub(super) signals: Vec<(Signal, usize)>,
}

impl Evidence {
    pub(super) fn has(&self, signal: Signal) -> bool {
        self.signals.iter().any(|&(s, _)| s == signal)
    }

    pub(super) fn is_quantified(&self, statement: usize) -> bool {
        self.quantified.iter().any(|&(s, _, _)| s == statement)
    }
}

pub(super) struct Resume<'t> {
    pub(super) lower: String,
    /// Token keys, sorted and deduplicated: for title words and word stems.
    words: Vec<String>,
    /// Skill → (mentions, first byte offset).
    pub(super) skills: HashMap<usize, (u32, usize)>,
    pub(super) statements: Vec<&'t str>,
    pub(super) evidence: Evidence,
    pub(super) years: Option<f64>,
    pub(super) word_count: usize,
}

impl<'t> Resume<'t> {
    pub(super) fn read(text: &'t str, this_month: i32) -> Resume<'t> {
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

    pub(super) fn is_empty(&self) -> bool {
        self.word_count == 0
    }

    pub(super) fn has(&self, skill: usize) -> bool {
        self.skills.contains_key(&skill)
    }

    /// Names the skill, or for a practice or soft skill uses every word of its name in some
    /// form ("software engineer" shows Software Engineering, "idempotent" Idempotency, "rate
    /// limiter" Rate Limiting): postings and resumes phrase these differently.
    pub(super) fn shows(&self, skill_index: usize) -> bool {
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
    pub(super) fn skills_by_mentions(&self) -> Vec<usize> {
        let mut found: Vec<(usize, u32, usize)> = self
            .skills
            .iter()
            .map(|(&s, &(count, first))| (s, count, first))
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        found.into_iter().map(|(s, _, _)| s).collect()
    }

    /// A title word, with "engineer", "developer" and kin taken as one.
    pub(super) fn uses_word(&self, word: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::super::scan::INDEX;
    use super::super::tests::THIS_MONTH;
    use super::*;

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
}
