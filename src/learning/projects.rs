//! Project ideas for a user: each idea's match against the user's skills, and the ranking that
//! puts first the ideas exercising most of what the user's target role asks for and lacks, at
//! a difficulty that fits the user.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use super::catalog::{LEVELS, Project, display_name};
use crate::skills;

/// A project idea as the frontend reads it.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ProjectIdea {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub difficulty: String,
    pub estimated_time: String,
    pub skills: Vec<String>,
    pub features: Vec<String>,
    pub roles: Vec<String>,
    /// The share (0–100, two decimals) of the idea's skills the user lists.
    pub skill_match_percentage: Option<f64>,
    /// The idea's skills the user does not list, in the idea's order.
    pub missing_skills: Option<Vec<String>>,
    /// careerhub: the target role's missing skills this idea exercises (filled by
    /// recommendations; `[]` elsewhere).
    pub builds_missing_skills: Vec<String>,
}

/// The user's skills as taxonomy keys.
pub fn owned_keys(user_skills: &[String]) -> HashSet<String> {
    user_skills
        .iter()
        .map(|s| skills::key(&display_name(s)))
        .collect()
}

/// An idea with its match against the user's skills.
pub fn idea(project: &Project, owned: &HashSet<String>) -> ProjectIdea {
    let missing: Vec<String> = project
        .skills
        .iter()
        .filter(|s| !owned.contains(&skills::key(s)))
        .cloned()
        .collect();
    let matched = project.skills.len() - missing.len();
    let percentage = if project.skills.is_empty() {
        100.0
    } else {
        (matched as f64 * 10_000.0 / project.skills.len() as f64).round() / 100.0
    };
    ProjectIdea {
        id: project.id,
        title: project.title.clone(),
        description: project.description.clone(),
        difficulty: project.difficulty.clone(),
        estimated_time: project.estimated_time.clone(),
        skills: project.skills.clone(),
        features: project.features.clone(),
        roles: project.roles.clone(),
        skill_match_percentage: Some(percentage),
        missing_skills: Some(missing),
        builds_missing_skills: Vec::new(),
    }
}

/// 0 for Beginner, 1 Intermediate, 2 Advanced.
pub fn level_index(level: &str) -> usize {
    LEVELS.iter().position(|l| *l == level).unwrap_or(0)
}

/// The level a user's profile suggests: Career Navigator's years of study ("12th Pass Out",
/// "1st Year"…), else how much of the role's gap they cover, else Beginner.
pub fn user_level(experience: Option<&str>, coverage: Option<f64>) -> usize {
    let experience = experience.unwrap_or_default().to_lowercase();
    let says = |words: &[&str]| words.iter().any(|w| experience.contains(w));
    if says(&[
        "12th", "1st", "2nd", "first", "second", "beginner", "student",
    ]) {
        0
    } else if says(&[
        "3rd",
        "4th",
        "third",
        "fourth",
        "final",
        "intermediate",
        "junior",
    ]) {
        1
    } else if says(&[
        "graduate",
        "professional",
        "experienced",
        "senior",
        "advanced",
    ]) {
        2
    } else {
        match coverage {
            Some(c) if c >= 75.0 => 2,
            Some(c) if c >= 40.0 => 1,
            _ => 0,
        }
    }
}

/// What a recommendation is ranked on.
pub struct Wants<'a> {
    /// The role's skills the user lacks, as (display name, share of postings 0–100), most
    /// asked-for first.
    pub gap_missing: &'a [(String, f64)],
    pub level: usize,
    pub role: Option<&'a str>,
}

/// Ideas ranked for the user, best first: the gap skills they exercise (each counting its share
/// of the role's postings), then a difficulty near the user's level and the role named among
/// the idea's; ties by match, then the catalog's order.
pub fn rank(ideas: Vec<ProjectIdea>, wants: &Wants<'_>) -> Vec<ProjectIdea> {
    let mut scored: Vec<(f64, ProjectIdea)> = ideas
        .into_iter()
        .map(|mut idea| {
            let keys: HashSet<String> = idea.skills.iter().map(|s| skills::key(s)).collect();
            let builds: Vec<&(String, f64)> = wants
                .gap_missing
                .iter()
                .filter(|(name, _)| keys.contains(&skills::key(name)))
                .collect();
            idea.builds_missing_skills = builds.iter().map(|(name, _)| name.clone()).collect();
            let gap: f64 = builds.iter().map(|(_, share)| share / 100.0).sum();
            let distance = level_index(&idea.difficulty).abs_diff(wants.level) as f64;
            let level_fit = 1.0 - distance / 2.0;
            let role_named = wants
                .role
                .is_some_and(|role| idea.roles.iter().any(|r| r.eq_ignore_ascii_case(role)));
            let score = gap + 0.5 * level_fit + if role_named { 0.3 } else { 0.0 };
            (score, idea)
        })
        .collect();
    scored.sort_by(|(a, x), (b, y)| {
        b.total_cmp(a)
            .then(
                y.skill_match_percentage
                    .unwrap_or(0.0)
                    .total_cmp(&x.skill_match_percentage.unwrap_or(0.0)),
            )
            .then(x.id.cmp(&y.id))
    });
    scored.into_iter().map(|(_, idea)| idea).collect()
}

/// Advice for the ideas returned.
pub fn recommendations(ideas: &[ProjectIdea], wants: &Wants<'_>) -> Vec<String> {
    if ideas.is_empty() {
        return vec![
            "No project ideas match these filters; try another difficulty or skill.".to_owned(),
        ];
    }
    let average = ideas
        .iter()
        .filter_map(|i| i.skill_match_percentage)
        .sum::<f64>()
        / ideas.len() as f64;
    let mut out = vec![
        if average >= 80.0 {
            "You have the skills for these projects: build one to show them."
        } else if average >= 50.0 {
            "You have a good base for these projects; each adds a few skills to it."
        } else {
            "These projects stretch you: start with a Beginner one and grow from there."
        }
        .to_owned(),
    ];
    let top: Vec<&str> = wants
        .gap_missing
        .iter()
        .take(3)
        .map(|(n, _)| n.as_str())
        .collect();
    if let (Some(role), false) = (wants.role, top.is_empty()) {
        out.push(format!(
            "The first ideas exercise what {role} postings ask for and you lack most: {}.",
            top.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::catalog::catalog;
    use super::*;

    #[test]
    fn ideas_exercising_the_gap_at_the_users_level_come_first() {
        let owned = owned_keys(&["html".to_owned(), "CSS".to_owned()]);
        let ideas: Vec<ProjectIdea> = catalog().projects.iter().map(|p| idea(p, &owned)).collect();
        let gap = [("React".to_owned(), 90.0), ("TypeScript".to_owned(), 70.0)];
        let wants = Wants {
            gap_missing: &gap,
            level: 0,
            role: Some("Frontend Developer"),
        };
        let ranked = rank(ideas, &wants);
        let first = &ranked[0];
        assert!(
            first.builds_missing_skills.contains(&"React".to_owned()),
            "{first:?}"
        );
        // Scores never rise down the list's gap coverage for ideas of one difficulty.
        let covers = |i: &ProjectIdea| i.builds_missing_skills.len();
        assert!(covers(first) >= covers(&ranked[ranked.len() - 1]));
        let portfolio = idea(&catalog().projects[0], &owned);
        assert_eq!(portfolio.skill_match_percentage, Some(40.0));
        assert_eq!(
            portfolio.missing_skills,
            Some(vec![
                "JavaScript".into(),
                "Git".into(),
                "GitHub Actions".into()
            ])
        );
    }

    #[test]
    fn the_users_level_comes_from_their_year_or_their_coverage() {
        assert_eq!(user_level(Some("2nd Year"), Some(90.0)), 0);
        assert_eq!(user_level(Some("4th Year"), None), 1);
        assert_eq!(user_level(None, Some(80.0)), 2);
        assert_eq!(user_level(None, None), 0);
    }
}
