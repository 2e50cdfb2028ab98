//! Finding taxonomy skills in free text: tokens, the phrase index over the taxonomy and the
//! evidence rules for ambiguous names (described in the parent module's docs).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::skills::{self, Category, Skill};

/// Phrases longer than this many tokens are not looked for (no taxonomy name is that long and
/// ambiguous at once, and the cap bounds the work per token).
const MAX_PHRASE_TOKENS: usize = 6;

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
pub(super) struct Token<'t> {
    raw: &'t str,
    /// Byte offset in the text.
    pub(super) start: usize,
    pub(super) key: String,
    gap: Gap,
}

impl Token<'_> {
    /// A list separator, slash or hyphen puts this token and the one before in one list.
    pub(super) fn follows_list_separator(&self) -> bool {
        self.gap.links_items()
    }

    /// A sentence, line or bullet starts with this token.
    pub(super) fn starts_sentence(&self) -> bool {
        self.gap.has(Gap::START)
    }

    pub(super) fn raw(&self) -> &str {
        self.raw
    }
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
pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
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
pub(super) fn word_set(words: &'static str) -> HashSet<&'static str> {
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
pub(super) const CONNECTORS: &[&str] = &["and", "or", "plus"];

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

pub(super) struct Index {
    skills: &'static [Skill],
    /// A term by its key ("nodejs", "springboot") and, for several tokens, by its tokens' keys
    /// joined with spaces ("spring boot").
    terms: HashMap<String, Term>,
    /// The first token keys of multi-token terms: phrases are only tried from these.
    first_words: HashSet<String>,
    longest: usize,
}

pub(super) static INDEX: LazyLock<Index> = LazyLock::new(Index::build);

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
    pub(super) fn skill_of(&self, raw: &str) -> Option<usize> {
        self.terms.get(&skills::key(raw)).map(|t| t.skill)
    }
}

fn is_ambiguous(key: &str) -> bool {
    // Digits and symbols make a key distinctive ("k8s", "s3", "c++", "c#").
    key.chars().all(char::is_alphabetic)
        && (key.chars().count() <= 2 || COMMON_WORDS.contains(&key))
}

pub(super) fn skill(index: usize) -> &'static Skill {
    &INDEX.skills[index]
}

// ---------------------------------------------------------------------------------------------
// Scanning text for skills
// ---------------------------------------------------------------------------------------------

/// A skill found at `token..token + len`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hit {
    pub(super) skill: usize,
    pub(super) token: usize,
    pub(super) len: usize,
    /// Ambiguous and still waiting for a list neighbour to vouch for it.
    pending: bool,
}

enum Verdict {
    Accept,
    NeedContext,
    Reject,
}

/// The skills in `tokens`, in text order; `header` leading tokens count as a sentence start.
pub(super) fn find_skills(tokens: &[Token<'_>], header: usize) -> Vec<Hit> {
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
    super::context::keep_supported(&mut hits, tokens);
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

pub(super) fn is_year(key: &str) -> bool {
    key.len() == 4
        && key.bytes().all(|b| b.is_ascii_digit())
        && (key.starts_with("19") || key.starts_with("20"))
}

/// `raw` is spelt as the taxonomy's `named` ("Go"), or in capitals when that has two letters or
/// more ("GO", "ML" for "ml"; lower-case words like "next" only when they are acronyms).
pub(super) fn written_as_named(raw: &str, named: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&'static str> {
        let tokens = tokenize(text);
        let mut names: Vec<&str> = find_skills(&tokens, 0)
            .into_iter()
            .map(|h| skill(h.skill).name.as_str())
            .collect();
        names.dedup();
        names
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
}
