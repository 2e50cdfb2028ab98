//! Skills whose names are everyday words or mean something else in some jobs (Go, Excel,
//! Workday, Documentation, Routing, Experimentation, Spark…; `data/ambiguous-skills.tsv`) count
//! only with support: one of the skill's cue phrases near the mention ("pivot tables" for Excel,
//! "goroutines" for Go), a spelling that is the name's own (several words, "Microsoft Excel", or
//! the name as it is cased inside a sentence, "built in React"), or a place in a list beside a
//! supported skill ("Python, Go, PostgreSQL"). "We excel at pub quizzes", "go the extra mile",
//! "every workday" and "documentation culture" then name no skill.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::scan::{CONNECTORS, Hit, INDEX, Token, skill, tokenize, written_as_named};

const AMBIGUOUS_TSV: &str = include_str!("../../../../data/ambiguous-skills.tsv");

/// How many tokens either side of a mention a cue may be.
const WINDOW: usize = 40;

/// Skill → its cue phrases, as token keys joined by spaces ("pivot tables").
static CUES: LazyLock<HashMap<usize, Vec<String>>> = LazyLock::new(|| {
    let mut cues = HashMap::new();
    for line in AMBIGUOUS_TSV.lines().skip(1) {
        let Some((name, phrases)) = line.split_once('\t') else {
            continue;
        };
        let Some(skill) = INDEX.skill_of(name) else {
            continue;
        };
        let phrases: Vec<String> = phrases
            .split('|')
            .map(|p| {
                tokenize(p)
                    .iter()
                    .map(|t| t.key.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|p| !p.is_empty())
            .collect();
        cues.insert(skill, phrases);
    }
    cues
});

/// Drops the hits of cue-needing skills without support. `hits` are in text order.
pub(super) fn keep_supported(hits: &mut Vec<Hit>, tokens: &[Token<'_>]) {
    if !hits.iter().any(|h| CUES.contains_key(&h.skill)) {
        return;
    }
    let mut supported: Vec<bool> = hits
        .iter()
        .map(|h| !CUES.contains_key(&h.skill) || own_spelling(h, tokens) || cue_near(h, tokens))
        .collect();
    // A list vouches along its length, in either direction.
    loop {
        let mut changed = false;
        for n in 0..hits.len() {
            let beside = |m: usize| {
                supported[m] && {
                    let (left, right) = if m < n { (m, n) } else { (n, m) };
                    listed_together(&hits[left], &hits[right], tokens)
                }
            };
            if !supported[n] && (n > 0 && beside(n - 1) || n + 1 < hits.len() && beside(n + 1)) {
                supported[n] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut n = 0;
    hits.retain(|_| {
        n += 1;
        supported[n - 1]
    });
}

/// Written as only the skill is: in several words, or inside a sentence with the name's own
/// capitals ("built in React"; "Excel at …" opening a sentence is not).
fn own_spelling(hit: &Hit, tokens: &[Token<'_>]) -> bool {
    if hit.len > 1 {
        return true;
    }
    let token = &tokens[hit.token];
    let name = &skill(hit.skill).name;
    !token.starts_sentence()
        && name.chars().any(|c| c.is_uppercase())
        && written_as_named(token.raw(), name)
}

/// One of the skill's cues within [`WINDOW`] tokens of the mention.
fn cue_near(hit: &Hit, tokens: &[Token<'_>]) -> bool {
    let from = hit.token.saturating_sub(WINDOW);
    let to = (hit.token + hit.len + WINDOW).min(tokens.len());
    let mut window = String::from(" ");
    for token in &tokens[from..to] {
        window.push_str(&token.key);
        window.push(' ');
    }
    CUES[&hit.skill]
        .iter()
        .any(|cue| window.contains(&format!(" {cue} ")))
}

/// `left` and `right` are neighbouring items of one list: a separator or "and"/"or" between.
fn listed_together(left: &Hit, right: &Hit, tokens: &[Token<'_>]) -> bool {
    let end = left.token + left.len;
    (end == right.token && tokens[right.token].follows_list_separator())
        || (end + 1 == right.token && CONNECTORS.contains(&tokens[end].key.as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::scan::{find_skills, skill};
    use super::*;

    fn found(text: &str) -> Vec<&'static str> {
        find_skills(&tokenize(text), 0)
            .iter()
            .map(|h| skill(h.skill).name.as_str())
            .collect()
    }

    #[test]
    fn everyday_words_are_not_skills_without_support() {
        assert_eq!(
            found("We excel at pub quizzes and take time for experimentation."),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("Workday-free Fridays, every workday a good one."),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("We have a strong documentation culture."),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn cues_and_lists_of_skills_support_them() {
        assert_eq!(
            found("Advanced Excel: pivot tables and VLOOKUP."),
            ["Microsoft Excel", "Pivot Tables", "VLOOKUP"]
        );
        assert_eq!(found("Built services in Go and Rust"), ["Go", "Rust"]);
        assert_eq!(
            found("We go the extra mile to spark a love of reading."),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("Stack: Python, Go, PostgreSQL"),
            ["Python", "Go", "PostgreSQL"]
        );
        assert_eq!(
            found("We configure Workday HCM for payroll."),
            ["Workday", "Payroll"]
        );
    }
}
