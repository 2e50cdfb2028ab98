//! Reading the posting: the skills it asks for and how much each matters (headings and cue
//! sentences, mentions, the title, the company's own name left out), the years it requires, its
//! level and the role families its title names.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::skills::{self, Category};

use super::experience::{Family, Level, years_mentions};
use super::scan::{Token, find_skills, skill, tokenize, word_set};
pub(super) use super::sections::{Layout, Section};

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
            let offset = tokens[hit.token].start;
            let section = layout.section_at(offset);
            if !own_name(hit.skill) && section != Section::Excluded {
                mention(hit.skill, section, Some(offset));
            }
        }

        let mut skills: Vec<PostingSkill> = by_skill.into_values().collect();
        if layout.has_requirements() {
            // The posting says what it asks for: what only the duties mention is not asked.
            skills.retain(|s| s.in_title || s.section >= Section::Nice);
        }
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

/// The years of experience the posting requires: the largest stated outside "nice to have" and
/// the employer's own parts ("founded 25 years ago").
pub(super) fn required_years(lower: &str, layout: &Layout) -> Option<u32> {
    years_mentions(lower)
        .into_iter()
        .filter(|m| m.marked || m.experience)
        .filter(|m| {
            matches!(
                layout.section_at(m.offset),
                Section::Required | Section::Neutral
            )
        })
        .map(|m| m.years.min(20))
        .max()
}
