//! The learning roadmap for a target role: the skills the role's postings ask for that the user
//! lacks, most asked-for first (the same figures as `/skills/gap-analysis`), each preceded by the
//! prerequisites the user lacks too ("JavaScript" before "React"), then the skills the user
//! already has; every step with its resources and an estimate of the hours it takes.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use super::catalog::{Catalog, LearningResource, display_name};
use crate::market::gap::GapAnalysis;
use crate::skills;

/// Prerequisite chains deeper than this are not followed (the data has none; a guard).
const MAX_DEPTH: usize = 8;
/// A step's estimate: its first resource's hours and this share again for practice.
const PRACTICE_FACTOR: f64 = 1.25;

/// One step of the roadmap.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SkillLearningPath {
    /// The skill's display name (unique in a roadmap).
    pub skill: String,
    pub resources: Vec<LearningResource>,
    /// The user does not list the skill.
    pub is_missing: bool,
    /// The share (0–100) of the role's postings asking for the skill; `null` for a prerequisite
    /// the postings do not name themselves.
    pub priority_score: Option<f64>,
    /// careerhub: hours to work through the step's first resource and practise it.
    pub estimated_hours: u32,
    /// careerhub: the skills of the roadmap this one is a prerequisite of.
    pub prerequisite_of: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct LearningRoadmap {
    pub target_role: Option<String>,
    pub skill_paths: Vec<SkillLearningPath>,
    pub total_skills: usize,
    pub missing_skills_count: usize,
    /// The gap analysis's coverage; `null` without one.
    pub coverage_percentage: Option<f64>,
    pub recommendations: Vec<String>,
    /// careerhub: the hours of every missing step together.
    pub estimated_total_hours: u32,
    /// careerhub: the gap figures the roadmap was built from (`include_gap_analysis=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_analysis: Option<GapAnalysis>,
}

fn step(
    catalog: &Catalog,
    skill: String,
    is_missing: bool,
    share: Option<f64>,
) -> SkillLearningPath {
    let resources: Vec<LearningResource> =
        catalog.resources_of(&skill).into_iter().cloned().collect();
    let estimated_hours = resources
        .first()
        .map_or(0, |r| (f64::from(r.hours) * PRACTICE_FACTOR).round() as u32);
    SkillLearningPath {
        skill,
        resources,
        is_missing,
        priority_score: share,
        estimated_hours,
        prerequisite_of: Vec::new(),
    }
}

/// Builds the roadmap in order; `placed` holds the skill keys already in it.
struct Builder<'a> {
    catalog: &'a Catalog,
    owned: HashSet<String>,
    shares: HashMap<String, f64>,
    placed: HashMap<String, usize>,
    paths: Vec<SkillLearningPath>,
}

impl Builder<'_> {
    /// Places a missing skill after its missing prerequisites.
    fn place_missing(&mut self, skill: &str, for_skill: Option<&str>, depth: usize) {
        let key = skills::key(skill);
        if let Some(&at) = self.placed.get(&key) {
            if let Some(dependent) = for_skill {
                self.paths[at].prerequisite_of.push(dependent.to_owned());
            }
            return;
        }
        if depth < MAX_DEPTH {
            let name = display_name(skill);
            for required in self.catalog.requires(skill).to_vec() {
                if !self.owned.contains(&skills::key(&required)) {
                    self.place_missing(&required, Some(&name), depth + 1);
                }
            }
        }
        let mut path = step(
            self.catalog,
            display_name(skill),
            true,
            self.shares.get(&key).copied(),
        );
        path.prerequisite_of.extend(for_skill.map(str::to_owned));
        self.placed.insert(key, self.paths.len());
        self.paths.push(path);
    }
}

/// The roadmap from a gap analysis: missing skills by share with their prerequisites first, then
/// the owned ones.
pub fn from_gap(catalog: &Catalog, gap: &GapAnalysis, user_skills: &[String]) -> LearningRoadmap {
    let mut builder = Builder {
        catalog,
        owned: user_skills
            .iter()
            .map(|s| skills::key(&display_name(s)))
            .collect(),
        shares: gap
            .required_skills
            .iter()
            .map(|r| (skills::key(&r.name), r.required_percentage))
            .collect(),
        placed: HashMap::new(),
        paths: Vec::new(),
    };
    for required in gap.required_skills.iter().filter(|r| !r.user_has) {
        builder.place_missing(&required.name, None, 0);
    }
    for required in gap.required_skills.iter().filter(|r| r.user_has) {
        let key = skills::key(&required.name);
        if !builder.placed.contains_key(&key) {
            builder.placed.insert(key, builder.paths.len());
            let path = step(
                catalog,
                required.name.clone(),
                false,
                Some(required.required_percentage),
            );
            builder.paths.push(path);
        }
    }
    let paths = builder.paths;
    let missing: Vec<&SkillLearningPath> = paths.iter().filter(|p| p.is_missing).collect();
    let recommendations =
        gap_recommendations(&gap.role, &missing, paths.len(), gap.coverage_percentage);
    LearningRoadmap {
        target_role: Some(gap.role.clone()),
        total_skills: paths.len(),
        missing_skills_count: missing.len(),
        estimated_total_hours: missing.iter().map(|p| p.estimated_hours).sum(),
        coverage_percentage: Some(gap.coverage_percentage),
        recommendations,
        gap_analysis: None,
        skill_paths: paths,
    }
}

fn gap_recommendations(
    role: &str,
    missing: &[&SkillLearningPath],
    total: usize,
    coverage: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    if missing.is_empty() {
        out.push(format!(
            "You have every skill that {role} postings often ask for: build projects that show them."
        ));
        return out;
    }
    out.push(format!(
        "You're missing {} of the {total} skills on this roadmap for {role}; it starts with what most postings ask for.",
        missing.len()
    ));
    if let Some(first) = missing.iter().find(|p| !p.prerequisite_of.is_empty()) {
        out.push(format!(
            "Learn {} first: {} builds on it.",
            first.skill,
            first.prerequisite_of.join(", ")
        ));
    }
    let first_three: u32 = missing.iter().take(3).map(|p| p.estimated_hours).sum();
    if coverage < 50.0 {
        out.push(format!(
            "Your first three steps take about {first_three} hours; one a week keeps the roadmap moving."
        ));
    } else if coverage >= 80.0 {
        out.push(
            "You already cover most of the role: a project using the missing skills will show it."
                .to_owned(),
        );
    }
    out
}

/// The roadmap without gap figures: the user's own skills with their resources.
pub fn without_gap(
    catalog: &Catalog,
    role: Option<&str>,
    user_skills: &[String],
) -> LearningRoadmap {
    let mut seen = HashSet::new();
    let paths: Vec<SkillLearningPath> = user_skills
        .iter()
        .map(|s| display_name(s))
        .filter(|name| seen.insert(skills::key(name)))
        .map(|name| step(catalog, name, false, None))
        .collect();
    let advice = match role {
        Some(role) => format!(
            "There are no recent postings for {role} yet, so this roadmap lists resources for your own skills; it will follow the role's gap once postings for it arrive."
        ),
        None => "Add a target role to your profile to get a roadmap for it.".to_owned(),
    };
    LearningRoadmap {
        target_role: role.map(str::to_owned),
        total_skills: paths.len(),
        missing_skills_count: 0,
        coverage_percentage: None,
        recommendations: vec![advice],
        estimated_total_hours: 0,
        gap_analysis: None,
        skill_paths: paths,
    }
}

#[cfg(test)]
mod tests {
    use super::super::catalog::catalog;
    use super::*;
    use crate::market::gap::RequiredSkill;

    fn required(name: &str, share: f64, user_has: bool) -> RequiredSkill {
        RequiredSkill {
            skill: name.to_lowercase(),
            name: name.to_owned(),
            required_percentage: share,
            user_has,
        }
    }

    #[test]
    fn missing_skills_come_by_share_after_their_missing_prerequisites_then_owned_ones() {
        let gap = GapAnalysis {
            role: "Frontend Developer".into(),
            total_postings_analyzed: 40,
            required_skills: vec![
                required("React", 80.0, false),
                required("TypeScript", 60.0, false),
                required("CSS", 50.0, true),
                required("JavaScript", 30.0, false),
            ],
            missing_skills: vec!["react".into(), "typescript".into(), "javascript".into()],
            coverage_percentage: 25.0,
            skill_match_count: 1,
            total_required_skills: 4,
        };
        let roadmap = from_gap(catalog(), &gap, &["css".to_owned()]);
        let order: Vec<(&str, bool, Option<f64>)> = roadmap
            .skill_paths
            .iter()
            .map(|p| (p.skill.as_str(), p.is_missing, p.priority_score))
            .collect();
        assert_eq!(
            order,
            [
                ("JavaScript", true, Some(30.0)),
                ("HTML", true, None),
                ("React", true, Some(80.0)),
                ("TypeScript", true, Some(60.0)),
                ("CSS", false, Some(50.0)),
            ]
        );
        let javascript = &roadmap.skill_paths[0];
        assert_eq!(javascript.prerequisite_of, ["React", "TypeScript"]);
        assert!(!javascript.resources.is_empty() && javascript.estimated_hours > 0);
        assert_eq!(roadmap.skill_paths[1].prerequisite_of, ["React"]);
        assert_eq!((roadmap.total_skills, roadmap.missing_skills_count), (5, 4));
        assert_eq!(
            roadmap.estimated_total_hours,
            roadmap.skill_paths[..4]
                .iter()
                .map(|p| p.estimated_hours)
                .sum::<u32>()
        );
        assert_eq!(roadmap.coverage_percentage, Some(25.0));
        assert_eq!(
            roadmap.recommendations[1],
            "Learn JavaScript first: React, TypeScript builds on it."
        );
    }
}
