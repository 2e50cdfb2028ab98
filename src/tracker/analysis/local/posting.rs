//! Reading the posting: the skills it asks for and how much each matters (headings and cue
//! sentences, mentions, the title, the company's own name left out), the years it requires, its
//! level and the role families its title names.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::skills::{self, Category};

use super::experience::{Family, Level, years_mentions};
use super::scan::{Token, find_skills, skill, tokenize, word_set};

/// Where a mention sits, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Section {
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
pub(super) struct PostingSkill {
    pub(super) skill: usize,
    pub(super) mentions: u32,
    /// The strongest section it is mentioned in.
    pub(super) section: Section,
    in_title: bool,
    /// Byte offset of the first mention in the description.
    first: usize,
    pub(super) importance: f64,
}

pub(super) struct Posting {
    /// Most important first.
    pub(super) skills: Vec<PostingSkill>,
    pub(super) required_years: Option<u32>,
    pub(super) level: Level,
    pub(super) families: Vec<Family>,
    /// The title's words that say what the job is (not its level).
    pub(super) title_words: Vec<String>,
}

impl Posting {
    pub(super) fn read(title: &str, company: &str, description: &str) -> Posting {
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

    pub(super) fn asks_for(&self, skill: usize) -> bool {
        self.skills.iter().any(|s| s.skill == skill)
    }
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
pub(super) fn is_tooling(category: Category) -> bool {
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
pub(super) struct Layout {
    headings: Vec<(usize, Section)>,
    sentences: Vec<(usize, Option<Section>)>,
}

impl Layout {
    pub(super) fn new(lower: &str) -> Layout {
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
pub(super) fn required_years(lower: &str, layout: &Layout) -> Option<u32> {
    years_mentions(lower)
        .into_iter()
        .filter(|m| m.marked || m.experience)
        .filter(|m| layout.section_at(m.offset) != Section::Nice)
        .map(|m| m.years.min(20))
        .max()
}
