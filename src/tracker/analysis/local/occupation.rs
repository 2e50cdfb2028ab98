//! Occupations (`data/occupations.tsv`: O*NET-SOC codes and titles, with the job titles postings
//! use and the skills each values): the one a job title names, the ones a resume's headline and
//! job titles name, and how close two are, so a teacher's resume is not scored as a fit for an
//! engineering post because both have numbers in them.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::scan::{INDEX, tokenize};

const OCCUPATIONS_TSV: &str = include_str!("../../../../data/occupations.tsv");

/// Level words a title may carry around an occupation's name ("Senior", "II", "Head of").
const LEVEL_WORDS: &[&str] = &[
    "senior",
    "sr",
    "junior",
    "jr",
    "lead",
    "principal",
    "staff",
    "head",
    "of",
    "chief",
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "mid",
    "level",
    "entry",
    "graduate",
    "trainee",
    "intern",
    "associate",
];

/// How far into a resume its headline reaches, in non-blank lines.
const HEADLINE_LINES: usize = 3;
/// The longest line read as a job title, in tokens.
const MAX_TITLE_TOKENS: usize = 14;

/// The kinds of work an occupation's family groups ("software", "education", "healthcare"…).
pub(super) type Family = &'static str;

/// One occupation of the table.
pub(super) struct Occupation {
    pub(super) family: Family,
    /// The skills it values, as taxonomy indices.
    skills: Vec<usize>,
}

struct Table {
    occupations: Vec<Occupation>,
    /// An alias's tokens' keys joined by spaces ("backend engineer") → occupation index.
    by_alias: HashMap<String, usize>,
    longest: usize,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut table = Table {
        occupations: Vec::new(),
        by_alias: HashMap::new(),
        longest: 1,
    };
    for line in OCCUPATIONS_TSV.lines().skip(1) {
        let columns: Vec<&'static str> = line.split('\t').collect();
        let [_code, title, family, aliases, skills] = columns[..] else {
            continue;
        };
        let index = table.occupations.len();
        for alias in std::iter::once(title).chain(aliases.split('|')) {
            let key = spaced_keys(alias);
            if !key.is_empty() {
                table.longest = table.longest.max(key.split(' ').count());
                table.by_alias.entry(key).or_insert(index);
            }
        }
        table.occupations.push(Occupation {
            family,
            skills: skills
                .split('|')
                .filter_map(|s| INDEX.skill_of(s))
                .collect(),
        });
    }
    table
});

fn spaced_keys(text: &str) -> String {
    tokenize(text)
        .iter()
        .map(|t| t.key.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The occupation an alias phrase of `keys` names, longest phrase first: aliases of several
/// words anywhere ("Staff Accountant", "Head of English"), then, without the level words, one
/// word ("Senior Recruiter"); a title that is an alias whole counts whole ("Principal").
fn named_in(keys: &[String]) -> Option<usize> {
    let table = &*TABLE;
    if let Some(&whole) = table.by_alias.get(&keys.join(" ")) {
        return Some(whole);
    }
    let longest_in = |keys: &[&str], least: usize| {
        (least..=table.longest.min(keys.len()))
            .rev()
            .find_map(|len| {
                keys.windows(len)
                    .find_map(|phrase| table.by_alias.get(&phrase.join(" ")).copied())
            })
    };
    let all: Vec<&str> = keys.iter().map(String::as_str).collect();
    if let Some(found) = longest_in(&all, 2) {
        return Some(found);
    }
    let bare: Vec<&str> = all
        .iter()
        .copied()
        .filter(|k| !LEVEL_WORDS.contains(k))
        .collect();
    longest_in(&bare, 1)
}

/// The occupation a job title names.
pub(super) fn of_title(title: &str) -> Option<usize> {
    let keys: Vec<String> = tokenize(title).into_iter().map(|t| t.key).collect();
    named_in(&keys)
}

/// The occupations a resume names, with weights: its headline counts three times, each job
/// title line (short, with a year or "present") once.
pub(super) fn of_resume(text: &str) -> Vec<(usize, u32)> {
    let mut weights: HashMap<usize, u32> = HashMap::new();
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    for (n, line) in lines.enumerate() {
        let tokens = tokenize(line);
        if tokens.is_empty() || tokens.len() > MAX_TITLE_TOKENS {
            continue;
        }
        let headline = n < HEADLINE_LINES;
        let dated = tokens
            .iter()
            .any(|t| super::scan::is_year(&t.key) || t.key == "present");
        if !headline && !dated {
            continue;
        }
        let keys: Vec<String> = tokens.into_iter().map(|t| t.key).collect();
        if let Some(occupation) = named_in(&keys) {
            *weights.entry(occupation).or_default() += if headline { 3 } else { 1 };
        }
    }
    let mut found: Vec<(usize, u32)> = weights.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    found
}

pub(super) fn occupation(index: usize) -> &'static Occupation {
    &TABLE.occupations[index]
}

/// 0–1: the same occupation 1; the same family a half and more as their skills overlap; other
/// families at most a little, by shared skills.
pub(super) fn closeness(a: usize, b: usize) -> f64 {
    if a == b {
        return 1.0;
    }
    let (a, b) = (occupation(a), occupation(b));
    let shared = a.skills.iter().filter(|s| b.skills.contains(s)).count();
    let fewer = a.skills.len().min(b.skills.len()).max(1);
    let overlap = shared as f64 / fewer as f64;
    if a.family == b.family {
        0.55 + 0.45 * overlap
    } else {
        (0.1 + 0.6 * overlap).min(0.45)
    }
}

/// How close a resume's occupations come to the posting's: the closest of those the resume
/// names at least a third as strongly as its main one; `None` when either is unknown.
pub(super) fn fit(posting: Option<usize>, resume: &[(usize, u32)]) -> Option<f64> {
    let posting = posting?;
    let strongest = resume.first()?.1;
    resume
        .iter()
        .filter(|(_, weight)| weight * 3 >= strongest)
        .map(|&(o, _)| closeness(posting, o))
        .reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family_of(title: &str) -> Option<Family> {
        of_title(title).map(|o| occupation(o).family)
    }

    #[test]
    fn titles_name_their_occupation_whatever_the_level() {
        assert_eq!(
            of_title("Senior Backend Engineer"),
            of_title("Backend Developer")
        );
        assert_eq!(
            family_of("Class Teacher – Key Stage 1 (Year 1)"),
            Some("education")
        );
        assert_eq!(family_of("Staff Accountant"), Some("finance"));
        assert_eq!(family_of("Principal Software Engineer"), Some("software"));
        assert_eq!(family_of("Registered Nurse – ICU"), Some("healthcare"));
        assert_eq!(of_title("Chief Vibes Wrangler"), None);
    }

    #[test]
    fn a_resume_is_read_by_its_headline_and_job_titles() {
        let resume = "Ana Silva\nSenior Backend Engineer\nLisbon\n\nEXPERIENCE\n\
            Backend Engineer — Paywell, 2020–present\n- Built the ledger\nTeacher of English — Oak School, 2014–2016";
        let found = of_resume(resume);
        let backend = of_title("Backend Engineer").unwrap();
        assert_eq!(found[0], (backend, 4));
        // The main occupation decides; a short spell long ago weighs too little to.
        let teacher = of_title("Teacher of English");
        assert_eq!(fit(teacher, &found).map(|f| f < 0.5), Some(true));
        assert_eq!(fit(Some(backend), &found), Some(1.0));
        assert_eq!(fit(None, &found), None);
    }

    #[test]
    fn the_same_family_is_closer_than_another() {
        let primary = of_title("Primary Teacher").unwrap();
        let secondary = of_title("English Teacher").unwrap();
        let nurse = of_title("Registered Nurse").unwrap();
        assert!(closeness(primary, secondary) >= 0.55);
        assert!(closeness(primary, nurse) <= 0.45);
        assert_eq!(closeness(nurse, nurse), 1.0);
    }
}
