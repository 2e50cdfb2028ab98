//! Experience and seniority: the level a job title asks for and the years it means, the role
//! families a title names, and the years a text states ("5+ years") or its date ranges cover.

// ---------------------------------------------------------------------------------------------
// Levels and role families
// ---------------------------------------------------------------------------------------------

/// The seniority a job title asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Intern,
    Entry,
    Unstated,
    Mid,
    Senior,
    Lead,
}

impl Level {
    pub(super) fn of_posting(title: &str, description: &str) -> Level {
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

    /// A level a posting's source states apart from the title: Personio's `entry-level`,
    /// `experienced`, `executive`; Workable's and LinkedIn's "Mid-Senior level"; schema.org's
    /// months of experience as read into words.
    pub(super) fn of_stated(stated: &str) -> Option<Level> {
        let stated = stated.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| stated.contains(w));
        if has(&["intern", "student", "trainee", "apprentice"]) {
            Some(Level::Intern)
        } else if has(&["entry", "junior", "graduate", "no experience"]) {
            Some(Level::Entry)
        } else if has(&["mid", "experienced", "intermediate", "associate"]) {
            Some(Level::Mid)
        } else if has(&["senior", "expert"]) {
            Some(Level::Senior)
        } else if has(&["lead", "executive", "director", "principal", "head"]) {
            Some(Level::Lead)
        } else {
            None
        }
    }

    /// The years of experience the level usually means, as (at least, at most).
    pub(super) fn expected_years(self) -> (f64, f64) {
        match self {
            Level::Intern => (0.0, 1.0),
            Level::Entry => (0.0, 2.0),
            Level::Unstated => (1.0, 40.0),
            Level::Mid => (2.0, 6.0),
            Level::Senior => (5.0, 40.0),
            Level::Lead => (8.0, 40.0),
        }
    }

    pub(super) fn name(self) -> &'static str {
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
pub(super) enum Family {
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
    pub(super) const ALL: [Family; 10] = [
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

    pub(super) fn name(self) -> &'static str {
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
    pub(super) fn named_in(self, lower: &str) -> bool {
        self.cues()
            .split('|')
            .any(|cue| contains_phrase(lower, cue))
    }

    /// The resume speaks of this kind of work (full stack: also backend plus frontend).
    pub(super) fn in_resume(self, lower: &str) -> bool {
        self.named_in(lower)
            || self == Family::FullStack
                && Family::Backend.in_resume(lower)
                && Family::Frontend.in_resume(lower)
    }
}

/// `needle` occurs in `hay` as whole words.
pub(super) fn contains_phrase(hay: &str, needle: &str) -> bool {
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
pub(super) struct YearsMention {
    pub(super) offset: usize,
    /// The lower bound.
    pub(super) years: u32,
    /// Written as a requirement: a "+", a range, or "at least"/"minimum"/"over".
    pub(super) marked: bool,
    /// "experience" follows within a few words.
    pub(super) experience: bool,
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

pub(super) fn years_mentions(lower: &str) -> Vec<YearsMention> {
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

pub(super) fn floor_boundary(s: &str, mut at: usize) -> usize {
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
pub(super) fn resume_years(lower: &str, this_month: i32) -> Option<f64> {
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
