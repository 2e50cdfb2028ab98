//! The notes beside the scores: strengths, quoting the resume where it can, and suggestions,
//! most telling first.

use crate::skills::Category;
use crate::tracker::analysis::CandidateLevel;

use super::Facts;
use super::experience::{Level, contains_phrase, floor_boundary};
use super::posting::{PostingSkill, Section};
use super::resume::{Evidence, Signal};
use super::scan::{INDEX, skill};

/// Strengths and suggestions: at least this many for a non-empty resume…
pub(super) const MIN_NOTES: usize = 3;
/// …and at most this many.
pub(super) const MAX_NOTES: usize = 6;
/// Quotes from the resume are cut to about this many characters.
const QUOTE_CHARS: usize = 100;

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
pub(super) fn strengths(facts: &Facts<'_>) -> Vec<String> {
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
pub(super) fn suggestions(facts: &Facts<'_>) -> Vec<String> {
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
    out.extend(location_note(facts));
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

/// An on-site or unstated posting in a place the resume never names: recruiters filter by
/// location, so the candidate should say where they are or that they will relocate.
fn location_note(facts: &Facts<'_>) -> Option<String> {
    if facts.details.remote == Some(true) {
        return None;
    }
    // "Berlin, Germany; Remote": the first place, and its most specific part ("Berlin").
    let location = facts.details.location.as_deref()?.split(';').next()?.trim();
    let place = location.split(',').next()?.trim();
    if place.is_empty() || place.eq_ignore_ascii_case("remote") {
        return None;
    }
    if facts.resume.lower.contains(&place.to_lowercase()) {
        return None;
    }
    Some(format!(
        "The posting is based in {location}; if you live there or will relocate, say so next to your contact details, as recruiters filter by location."
    ))
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

/// The results a kind of work is judged by, for "add a number" advice.
fn measures_of(family: Option<&str>) -> &'static str {
    match family.unwrap_or("software") {
        "education" => "pupils' results, progress or attendance, class sizes",
        "healthcare" => "patients cared for, outcomes, safety or audit scores",
        "finance" => "close time, accuracy, savings or the value you managed",
        "sales" => "quota attained, revenue, pipeline or deal sizes",
        "marketing" => "pipeline, conversion, reach or return on spend",
        "legal" => "matters handled, deal values, turnaround or outcomes",
        "logistics" => "on-time rate, volumes, cost per shipment or accuracy",
        "hr" => "time to hire, retention, people supported",
        "support" => "satisfaction scores, resolution times or ticket volumes",
        "design" | "product" => "adoption, conversion, task success or revenue",
        "management" => "revenue, budget, team size or growth",
        "hospitality" => "covers, guest scores, revenue or costs",
        "engineering" | "trades" | "science" => "cost, defects, throughput, safety or time saved",
        _ => "users served, latency, cost or time saved",
    }
}

/// Whether the work is building software systems, where traffic and architecture are the scale.
fn builds_systems(family: Option<&str>) -> bool {
    matches!(family, None | Some("software" | "data"))
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
                let measures = measures_of(facts.family);
                out.push(match plain {
                    Some(&(n, at)) => format!(
                        "Add a number to \"{}\": {measures}.",
                        quote(resume.statements[n], at)
                    ),
                    None => {
                        format!("Quantify your outcomes: add {measures} to your strongest bullets.")
                    }
                });
            }
            if evidence.ownership.len() < 3 {
                out.push("Open bullets with what you owned (led, designed, migrated, launched) rather than duties.".to_owned());
            }
            if evidence.scale.len() < 2 && builds_systems(facts.family) {
                out.push("Show scale and architecture: traffic, data volume, team size, and the systems you designed and why.".to_owned());
            }
        }
        CandidateLevel::Fresher if !builds_systems(facts.family) => {
            // Placements and volunteering are a fresher's experience outside software.
            if !evidence.has(Signal::Internship) {
                out.push("List placements, volunteering and part-time work with what you did and one result; for a fresher they count like experience.".to_owned());
            }
            out.push(format!(
                "Name the training, certificates and practical hours this role asks for, and add {} where you have them.",
                measures_of(facts.family)
            ));
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
}
