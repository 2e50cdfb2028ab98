//! The writing tasks of `POST /api/ai/generate-text/`: one per AI feature of Grooya's frontend
//! (`services/aiService.ts`, named as its `AIFeature`s), plus the earlier task names. Each task
//! says what the provider must answer (`Shape`) and how that becomes the frontend's result
//! type; an answer is checked against its shape before anyone is charged for it.

use serde_json::{Map, Value, json};

/// What a JSON value must be.
#[derive(Debug)]
pub enum Shape {
    /// A non-empty string.
    Text,
    /// A string, possibly empty.
    AnyText,
    /// One of these strings (any case; answered as written here).
    OneOf(&'static [&'static str]),
    /// A `#RRGGBB` colour (`#RGB` is widened).
    Hex,
    /// An id: a string or a number, answered as a string; generated when absent.
    Id,
    List(&'static Shape),
    /// Fields and whether each is required; other keys are dropped.
    Object(&'static [(&'static str, Shape, bool)]),
}

const BLOCK_TYPES: &[&str] = &[
    "hero",
    "about",
    "projects",
    "skills",
    "gallery",
    "testimonials",
    "cta",
    "resume",
    "links",
    "experience",
    "contact",
    "code",
    "services",
    "blog",
    "video",
];

const TEXT: Shape = Shape::Object(&[("text", Shape::Text, true)]);
const HERO: Shape = Shape::Object(&[
    ("headline", Shape::Text, true),
    ("subheadline", Shape::Text, true),
]);
const ABOUT_BLOCK: Shape = Shape::Object(&[("content", Shape::Text, true)]);
const STRINGS: Shape = Shape::List(&Shape::Text);
const DESIGN: Shape = Shape::Object(&[
    (
        "theme",
        Shape::OneOf(&["light", "dark", "mint", "rose"]),
        true,
    ),
    (
        "fontPairing",
        Shape::OneOf(&["sans", "serif", "mixed"]),
        true,
    ),
    ("accentColor", Shape::Hex, true),
]);
const RESUME: Shape = Shape::Object(&[
    ("fullName", Shape::AnyText, true),
    ("jobTitle", Shape::AnyText, true),
    ("email", Shape::AnyText, true),
    ("phone", Shape::AnyText, false),
    ("website", Shape::AnyText, false),
    ("linkedin", Shape::AnyText, false),
    ("github", Shape::AnyText, false),
    ("summary", Shape::Text, true),
    (
        "experience",
        Shape::List(&Shape::Object(&[
            ("id", Shape::Id, false),
            ("title", Shape::Text, true),
            ("company", Shape::AnyText, true),
            ("dateRange", Shape::AnyText, true),
            ("description", Shape::AnyText, true),
        ])),
        true,
    ),
    (
        "education",
        Shape::List(&Shape::Object(&[
            ("id", Shape::Id, false),
            ("institution", Shape::Text, true),
            ("degree", Shape::AnyText, true),
            ("dateRange", Shape::AnyText, true),
            ("description", Shape::AnyText, false),
        ])),
        true,
    ),
    (
        "skills",
        Shape::List(&Shape::Object(&[
            ("id", Shape::Id, false),
            ("name", Shape::Text, true),
            (
                "category",
                Shape::OneOf(&["Language", "Framework", "Tool", "Database", "Cloud"]),
                true,
            ),
        ])),
        true,
    ),
    (
        "projects",
        Shape::List(&Shape::Object(&[
            ("id", Shape::Id, false),
            ("title", Shape::Text, true),
            ("description", Shape::AnyText, true),
            ("technologies", Shape::List(&Shape::Text), true),
        ])),
        true,
    ),
]);
const TAILORING: Shape = Shape::Object(&[
    ("newSummary", Shape::Text, true),
    ("suggestedKeywords", STRINGS, true),
    ("feedbackPoints", STRINGS, true),
]);
const REVIEW: Shape = Shape::Object(&[
    ("overallImpression", Shape::Text, true),
    (
        "contentSuggestions",
        Shape::List(&Shape::Object(&[
            ("area", Shape::Text, true),
            ("suggestion", Shape::Text, true),
        ])),
        true,
    ),
    ("projectShowcaseFeedback", Shape::Text, true),
    (
        "missingSections",
        Shape::List(&Shape::OneOf(BLOCK_TYPES)),
        true,
    ),
]);
const BLOCKS: Shape = Shape::Object(&[(
    "suggestions",
    Shape::List(&Shape::Object(&[
        ("type", Shape::OneOf(BLOCK_TYPES), true),
        ("reason", Shape::Text, true),
    ])),
    true,
)]);
const PALETTE: Shape = Shape::Object(&[(
    "colors",
    Shape::Object(&[
        ("background", Shape::Hex, true),
        ("text", Shape::Hex, true),
        ("heading", Shape::Hex, true),
        ("subtle", Shape::Hex, true),
        ("cardBackground", Shape::Hex, true),
        ("cardBorder", Shape::Hex, true),
        ("inputBackground", Shape::Hex, true),
        ("inputBorder", Shape::Hex, true),
        ("inputText", Shape::Hex, true),
        ("inputPlaceholder", Shape::Hex, true),
    ]),
    true,
)]);
const SKILLS: Shape = Shape::Object(&[(
    "skills",
    Shape::List(&Shape::Object(&[
        ("name", Shape::Text, true),
        (
            "category",
            Shape::OneOf(&["Language", "Framework", "Tool", "Database", "Cloud"]),
            true,
        ),
    ])),
    true,
)]);

/// How a checked answer becomes the task's result.
#[derive(Clone, Copy, Debug)]
pub enum Outcome {
    /// The answer as it is.
    Whole,
    /// The value of one key (a string or a list the frontend takes bare).
    Key(&'static str),
    /// `fontPairing` as the frontend's font names (`generateDesignSuggestions`).
    DesignFonts,
}

/// One writing task.
#[derive(Debug)]
pub struct Task {
    /// The frontend's `AIFeature` (what free plans get one use of).
    pub feature: &'static str,
    /// Also accepted as `task`.
    pub aliases: &'static [&'static str],
    pub instructions: &'static str,
    pub shape: &'static Shape,
    pub result: Outcome,
}

pub const TASKS: &[Task] = &[
    Task {
        feature: "projectStory",
        aliases: &["project_description"],
        instructions: "Describe the project for a portfolio as a short story: the problem, what the candidate built and how (the technologies given), and the result, 50-100 words. Answer {\"text\": string}.",
        shape: &TEXT,
        result: Outcome::Key("text"),
    },
    Task {
        feature: "heroContent",
        aliases: &["hero"],
        instructions: "Write the hero section of a personal portfolio site from the name and title given. Answer {\"headline\": string (at most 10 words), \"subheadline\": string (one sentence)}.",
        shape: &HERO,
        result: Outcome::Whole,
    },
    Task {
        feature: "aboutContent",
        aliases: &["about"],
        instructions: "Write the 'About me' text of a personal portfolio, first person, 80-150 words, improving the existing text if one is given. Answer {\"text\": string}.",
        shape: &TEXT,
        result: Outcome::Key("text"),
    },
    Task {
        feature: "designSuggestions",
        aliases: &[],
        instructions: "Suggest a design theme for the portfolio of a person with the title given. Answer {\"theme\": one of \"light\", \"dark\", \"mint\", \"rose\", \"fontPairing\": one of \"sans\", \"serif\", \"mixed\", \"accentColor\": a #RRGGBB colour that suits the theme}.",
        shape: &DESIGN,
        result: Outcome::DesignFonts,
    },
    Task {
        feature: "resumeFromPortfolio",
        aliases: &[],
        instructions: "Write a resume from the portfolio and user given, using only facts they contain. Answer {\"fullName\", \"jobTitle\", \"email\", \"phone\", \"website\", \"linkedin\", \"github\": strings, \"summary\": string, \"experience\": [{\"title\", \"company\", \"dateRange\", \"description\"}], \"education\": [{\"institution\", \"degree\", \"dateRange\", \"description\"}], \"skills\": [{\"name\", \"category\": one of \"Language\", \"Framework\", \"Tool\", \"Database\", \"Cloud\"}], \"projects\": [{\"title\", \"description\", \"technologies\": [string]}]}.",
        shape: &RESUME,
        result: Outcome::Whole,
    },
    Task {
        feature: "resumeFromJobDescription",
        aliases: &[],
        instructions: "Rewrite the base resume for the job description given, ATS-friendly, using the posting's keywords only where the resume supports them truthfully. Answer {\"fullName\", \"jobTitle\", \"email\", \"phone\", \"website\", \"linkedin\", \"github\": strings, \"summary\": string, \"experience\": [{\"title\", \"company\", \"dateRange\", \"description\"}], \"education\": [{\"institution\", \"degree\", \"dateRange\", \"description\"}], \"skills\": [{\"name\", \"category\": one of \"Language\", \"Framework\", \"Tool\", \"Database\", \"Cloud\"}], \"projects\": [{\"title\", \"description\", \"technologies\": [string]}]}.",
        shape: &RESUME,
        result: Outcome::Whole,
    },
    Task {
        feature: "resumeTailoring",
        aliases: &["tailor_resume"],
        instructions: "Tailor the resume to the job description: a new summary, the posting's keywords the resume should use (truthfully), and specific feedback. Answer {\"newSummary\": string, \"suggestedKeywords\": [string], \"feedbackPoints\": [string]}.",
        shape: &TAILORING,
        result: Outcome::Whole,
    },
    Task {
        feature: "portfolioReview",
        aliases: &[],
        instructions: "Review the portfolio as a recruiter would and give actionable feedback. Answer {\"overallImpression\": string, \"contentSuggestions\": [{\"area\": string, \"suggestion\": string}], \"projectShowcaseFeedback\": string, \"missingSections\": [block types among hero, about, projects, skills, gallery, testimonials, cta, resume, links, experience, contact, code, services, blog, video]}.",
        shape: &REVIEW,
        result: Outcome::Whole,
    },
    Task {
        feature: "experienceEnhancement",
        aliases: &[],
        instructions: "Rewrite the job experience description to be more impactful: strong action verbs, the STAR method where the text allows, the same number of points, nothing invented. Answer {\"text\": string}.",
        shape: &TEXT,
        result: Outcome::Key("text"),
    },
    Task {
        feature: "blockSuggestions",
        aliases: &[],
        instructions: "Suggest 2-3 sections the portfolio should add for the goal and role given, none of the existing ones. Answer {\"suggestions\": [{\"type\": a block type among about, projects, skills, gallery, testimonials, cta, resume, links, experience, contact, code, services, blog, video, \"reason\": string under 15 words}]}.",
        shape: &BLOCKS,
        result: Outcome::Key("suggestions"),
    },
    Task {
        feature: "paletteGeneration",
        aliases: &[],
        instructions: "Make an accessible (WCAG AA) website colour palette for the theme described. Answer {\"colors\": {\"background\", \"text\", \"heading\", \"subtle\", \"cardBackground\", \"cardBorder\", \"inputBackground\", \"inputBorder\", \"inputText\", \"inputPlaceholder\": #RRGGBB colours}}.",
        shape: &PALETTE,
        result: Outcome::Whole,
    },
    Task {
        feature: "contentTuning",
        aliases: &[],
        instructions: "Rewrite the hero section given for the audience named. Answer {\"headline\": string, \"subheadline\": string}.",
        shape: &HERO,
        result: Outcome::Whole,
    },
    Task {
        feature: "resumeSummary",
        aliases: &["resume_summary"],
        instructions: "Write a professional summary for the top of a resume, 2-4 sentences, no first person. Answer {\"text\": string}.",
        shape: &TEXT,
        result: Outcome::Key("text"),
    },
    Task {
        feature: "skillsSuggestions",
        aliases: &["skills_suggestions"],
        instructions: "Suggest skills this person should list, given their role and experience. Answer {\"skills\": [{\"name\": string, \"category\": one of \"Language\", \"Framework\", \"Tool\", \"Database\", \"Cloud\"}]}.",
        shape: &SKILLS,
        result: Outcome::Whole,
    },
];

/// Tuning an About block answers its new `content` (`tuneContentForAudience`).
const TUNE_ABOUT: Task = Task {
    feature: "contentTuning",
    aliases: &[],
    instructions: "Rewrite the 'About me' text given for the audience named: tone, language and focus. Answer {\"content\": string}.",
    shape: &ABOUT_BLOCK,
    result: Outcome::Whole,
};

/// The task a request names, by feature or alias; content tuning of an About block (the
/// payload's `block.type`) has its own.
pub fn find(name: &str, payload: &Value) -> Option<&'static Task> {
    let task = TASKS
        .iter()
        .find(|task| task.feature == name || task.aliases.contains(&name))?;
    let tunes_about = payload.pointer("/block/type").and_then(Value::as_str) == Some("about");
    if task.feature == "contentTuning" && tunes_about {
        return Some(&TUNE_ABOUT);
    }
    Some(task)
}

/// Every name `task` takes, for the error that lists them.
pub fn names() -> Vec<&'static str> {
    TASKS
        .iter()
        .flat_map(|task| std::iter::once(task.feature).chain(task.aliases.iter().copied()))
        .collect()
}

impl Task {
    /// The provider's answer as the task's result, or what is wrong with it (told to the
    /// provider when it is asked again).
    pub fn result_of(&self, answer: &Value) -> Result<Value, String> {
        let checked = check(answer, self.shape, "answer")?;
        Ok(match self.result {
            Outcome::Whole => checked,
            Outcome::Key(key) => checked.get(key).cloned().unwrap_or(Value::Null),
            Outcome::DesignFonts => design_fonts(checked),
        })
    }
}

fn design_fonts(answer: Value) -> Value {
    let (heading, body) = match answer.get("fontPairing").and_then(Value::as_str) {
        Some("serif") => ("Playfair Display", "Lora"),
        Some("mixed") => ("Poppins", "Merriweather"),
        _ => ("Sora", "Inter"),
    };
    json!({"theme": answer["theme"], "headingFont": heading, "bodyFont": body,
        "accentColor": answer["accentColor"]})
}

/// `value` checked against `shape` and normalized (`at` names it in the error).
fn check(value: &Value, shape: &Shape, at: &str) -> Result<Value, String> {
    match shape {
        Shape::Text => match value.as_str().map(str::trim) {
            Some(text) if !text.is_empty() => Ok(json!(text)),
            _ => Err(format!("{at} must be a non-empty string")),
        },
        Shape::AnyText => match value {
            Value::String(text) => Ok(json!(text.trim())),
            Value::Null => Ok(json!("")),
            _ => Err(format!("{at} must be a string")),
        },
        Shape::OneOf(choices) => value
            .as_str()
            .and_then(|v| choices.iter().find(|c| c.eq_ignore_ascii_case(v.trim())))
            .map(|c| json!(c))
            .ok_or_else(|| format!("{at} must be one of {}", choices.join(", "))),
        Shape::Hex => value
            .as_str()
            .and_then(hex_colour)
            .map(Value::String)
            .ok_or_else(|| format!("{at} must be a #RRGGBB colour")),
        Shape::Id => Ok(match value {
            Value::String(id) if !id.trim().is_empty() => json!(id.trim()),
            Value::Number(n) => json!(n.to_string()),
            _ => json!(uuid::Uuid::now_v7().to_string()),
        }),
        Shape::List(item) => {
            let items = value
                .as_array()
                .ok_or_else(|| format!("{at} must be a list"))?;
            items
                .iter()
                .enumerate()
                .map(|(i, v)| check(v, item, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        Shape::Object(fields) => {
            let object = value
                .as_object()
                .ok_or_else(|| format!("{at} must be an object"))?;
            let mut checked = Map::new();
            for (name, shape, required) in fields.iter() {
                let path = format!("{at}.{name}");
                match object.get(*name) {
                    Some(v) => {
                        checked.insert((*name).to_owned(), check(v, shape, &path)?);
                    }
                    None if matches!(shape, Shape::Id) => {
                        checked.insert((*name).to_owned(), check(&Value::Null, shape, &path)?);
                    }
                    None if *required => return Err(format!("{path} is missing")),
                    None => {}
                }
            }
            Ok(Value::Object(checked))
        }
    }
}

/// `#RRGGBB` from `#RRGGBB` or `#RGB` (any case).
fn hex_colour(raw: &str) -> Option<String> {
    let digits = raw.trim().strip_prefix('#')?;
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match digits.len() {
        6 => Some(format!("#{}", digits.to_ascii_uppercase())),
        3 => Some(format!(
            "#{}",
            digits
                .chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_uppercase()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_checked_and_shaped_as_the_frontend_reads_them() {
        let story = find("project_description", &json!({})).unwrap();
        assert_eq!(
            story.result_of(&json!({"text": " Built it. "})),
            Ok(json!("Built it."))
        );
        assert!(story.result_of(&json!({"text": ""})).is_err());
        let design = find("designSuggestions", &json!({})).unwrap();
        assert_eq!(
            design.result_of(
                &json!({"theme": "Dark", "fontPairing": "serif", "accentColor": "#3b8"})
            ),
            Ok(
                json!({"theme": "dark", "headingFont": "Playfair Display", "bodyFont": "Lora", "accentColor": "#33BB88"})
            )
        );
        assert_eq!(
            design
                .result_of(
                    &json!({"theme": "neon", "fontPairing": "sans", "accentColor": "#000000"})
                )
                .unwrap_err(),
            "answer.theme must be one of light, dark, mint, rose"
        );
        let blocks = find("blockSuggestions", &json!({})).unwrap();
        assert_eq!(
            blocks.result_of(
                &json!({"suggestions": [{"type": "blog", "reason": "Shows writing", "x": 1}]})
            ),
            Ok(json!([{"type": "blog", "reason": "Shows writing"}]))
        );
        let tune = find("contentTuning", &json!({"block": {"type": "about"}})).unwrap();
        assert_eq!(
            tune.result_of(&json!({"content": "New"})),
            Ok(json!({"content": "New"}))
        );
    }
}
