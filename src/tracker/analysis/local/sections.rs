//! A posting's parts: the section each offset of the description sits in, from headings (a short
//! line that names a part: "Requirements", "Person specification — essential", "Bonus points",
//! "Perks") and cue sentences ("Kafka is a plus", "we are an equal opportunity employer").
//! Requirements weigh most, nice-to-haves less; the company's description, benefits and legal
//! text are not read for skills at all.

/// Where a mention sits, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Section {
    /// The company, its benefits, how to apply, equal-opportunity text: says nothing of the job.
    Excluded,
    /// Responsibilities and text under no heading.
    Neutral,
    Nice,
    Required,
}

impl Section {
    pub(super) fn factor(self) -> f64 {
        match self {
            Section::Excluded => 0.0,
            Section::Neutral => 1.0,
            Section::Nice => 0.6,
            Section::Required => 1.5,
        }
    }
}

/// What a heading's words say its section is, tried in this order (so "Preferred
/// qualifications" is nice to have and "About the role" is not the company's blurb).
const HEADING_CUES: &[(Section, &[&str])] = &[
    (
        Section::Nice,
        &[
            "nice to have",
            "nice-to-have",
            "nice to haves",
            "bonus",
            "desirable",
            "preferred",
            "great if",
            "would be great",
            "a plus",
            "pluses",
            "extra credit",
            "even better",
            "good to have",
            "ideally",
            "optional",
        ],
    ),
    (
        Section::Excluded,
        &[
            "benefit",
            "perks",
            "we offer",
            "what we offer",
            "our offer",
            "package",
            "compensation",
            "salary",
            "why join",
            "why work",
            "life at",
            "our culture",
            "our values",
            "equal opportunit",
            "diversity",
            "inclusion",
            "eeo",
            "accommodation",
            "how to apply",
            "to apply",
            "apply now",
            "next steps",
            "hiring process",
            "interview process",
            "safeguarding",
            "what's in it",
            "what you get",
            "what you'll get",
            "in return",
            "rewards",
            "who we are",
            "about us",
            "about the company",
            "about our",
            "our story",
            "our mission",
            "the company",
        ],
    ),
    (
        Section::Neutral,
        &[
            "responsibilit",
            "what you'll do",
            "what you will do",
            "what you'll be doing",
            "the role",
            "your role",
            "the job",
            "duties",
            "day to day",
            "day-to-day",
            "your day",
            "in this role",
            "the position",
            "overview",
            "the team",
            "about the team",
            "your impact",
            "your mission",
            "key tasks",
            "tasks",
            "what you'll work on",
            "the opportunity",
        ],
    ),
    (
        Section::Required,
        &[
            "requirement",
            "qualification",
            "essential",
            "must have",
            "must-have",
            "looking for",
            "you have",
            "you should have",
            "you'll have",
            "you will have",
            "you bring",
            "you'll bring",
            "you need",
            "you'll need",
            "you will need",
            "what you need",
            "who you are",
            "your profile",
            "about you",
            "skills",
            "experience",
            "person specification",
            "we need",
            "you are",
            "competenc",
            "criteria",
            "what it takes",
            "your background",
        ],
    ),
];

/// Headings found inside a line before a colon ("… Nice to have: Kafka, Flink").
const INLINE_HEADINGS: &[(&str, Section)] = &[
    ("requirements", Section::Required),
    ("required", Section::Required),
    ("must have", Section::Required),
    ("must-have", Section::Required),
    ("nice to have", Section::Nice),
    ("nice-to-have", Section::Nice),
    ("bonus points", Section::Nice),
    ("bonus", Section::Nice),
    ("preferred", Section::Nice),
    ("desirable", Section::Nice),
    ("benefits", Section::Excluded),
    ("perks", Section::Excluded),
];

/// A sentence saying one of these is about the employer, not the job…
const EXCLUDED_CUES: &[&str] = &[
    "equal opportunit",
    "regardless of",
    "discriminat",
    "we offer",
    "we provide",
    "we give you",
    "you'll get",
    "you will get",
    "our benefits",
    "reasonable adjustment",
    "reasonable accommodation",
];

/// …one of these marks its skills optional…
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

/// The longest line read as a heading, in words.
const MAX_HEADING_WORDS: usize = 8;

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

    /// Whether some heading opens a requirements or nice-to-have part: then only those parts
    /// (and the title) say what the job asks for.
    pub(super) fn has_requirements(&self) -> bool {
        self.headings
            .iter()
            .any(|&(_, s)| matches!(s, Section::Required | Section::Nice))
    }

    /// The employer's parts stay excluded whatever a sentence says; otherwise a cue in the
    /// mention's own sentence wins over the heading above it.
    pub(super) fn section_at(&self, offset: usize) -> Section {
        let heading = self
            .headings
            .partition_point(|&(s, _)| s <= offset)
            .checked_sub(1)
            .map_or(Section::Neutral, |n| self.headings[n].1);
        if heading == Section::Excluded {
            return heading;
        }
        let cue = self
            .sentences
            .partition_point(|&(s, _)| s <= offset)
            .checked_sub(1)
            .and_then(|n| self.sentences[n].1);
        cue.unwrap_or(heading)
    }
}

/// The section a line names, when the line is a heading: short, not a sentence, with a cue.
fn heading_of(line: &str) -> Option<Section> {
    let body = line
        .trim_matches(|c: char| !c.is_alphanumeric())
        .replace('’', "'");
    let words = body.split_whitespace().count();
    // A heading may ask ("Why join us?"); a sentence ends.
    let sentence_end = line.trim_end().ends_with(['.', '!', ',', ';']);
    if words == 0 || words > MAX_HEADING_WORDS || sentence_end {
        return None;
    }
    let padded = format!(" {body} ");
    HEADING_CUES.iter().find_map(|(section, cues)| {
        cues.iter()
            .any(|cue| padded.contains(&format!(" {cue}")))
            .then_some(*section)
    })
}

/// Section headings: a line that is only a heading, or a heading followed by a colon in running
/// text ("… Nice to have: Kafka …").
fn headings(lower: &str) -> Vec<(usize, Section)> {
    let mut found: Vec<(usize, usize, Section)> = Vec::new();
    let mut line_start = 0;
    for line in lower.split('\n') {
        if let Some(section) = heading_of(line) {
            found.push((line_start, line_start + line.len(), section));
        }
        line_start += line.len() + 1;
    }
    for &(phrase, section) in INLINE_HEADINGS {
        for (at, _) in lower.match_indices(phrase) {
            let end = at + phrase.len();
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
    }
    // A heading line wins over a phrase inside it ("preferred qualifications:").
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
        let sentence = sentence.replace('’', "'");
        let has = |cues: &[&str]| cues.iter().any(|c| sentence.contains(c));
        if has(EXCLUDED_CUES) {
            Some(Section::Excluded)
        } else if has(NICE_CUES) {
            Some(Section::Nice)
        } else if has(REQUIRED_CUES) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sections_of(text: &str, words: &[&str]) -> Vec<Section> {
        let lower = text.to_lowercase();
        let layout = Layout::new(&lower);
        words
            .iter()
            .map(|w| layout.section_at(lower.find(&w.to_lowercase()).unwrap()))
            .collect()
    }

    #[test]
    fn headings_in_many_wordings_open_their_sections() {
        let posting = "About our school\nWe spark a love of reading.\nThe role\nTeach Year 1.\n\
            Person specification — essential\nQualified Teacher Status\nDesirable\nForest School training\n\
            What we offer\nA strong, supportive team and mentorship.\nWe are an equal opportunity employer.";
        assert_eq!(
            sections_of(
                posting,
                &[
                    "spark",
                    "teach",
                    "qualified",
                    "forest",
                    "mentorship",
                    "equal"
                ]
            ),
            [
                Section::Excluded,
                Section::Neutral,
                Section::Required,
                Section::Nice,
                Section::Excluded,
                Section::Excluded
            ]
        );
        assert!(Layout::new(&posting.to_lowercase()).has_requirements());
    }

    #[test]
    fn sentences_cue_their_own_section_outside_the_employers_parts() {
        let posting = "You should have:\n- Go and PostgreSQL\n- Kafka is a plus\nWe provide mentorship and a learning budget.";
        assert_eq!(
            sections_of(posting, &["go and", "kafka", "mentorship"]),
            [Section::Required, Section::Nice, Section::Excluded]
        );
        let plain = "We build services in Go. It would be great if you know Rust.";
        assert_eq!(
            sections_of(plain, &["go.", "rust"]),
            [Section::Neutral, Section::Nice]
        );
        assert!(!Layout::new(&plain.to_lowercase()).has_requirements());
    }
}
