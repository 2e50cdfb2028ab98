//! The learning catalog (`data/learning/`, described in its README): resources per skill, the
//! prerequisite relations between skills and the project ideas, parsed once. Skills are the
//! taxonomy's canonical names and are looked up by the taxonomy's key, so "react.js" finds React.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::skills;

const RESOURCES_TSV: &str = include_str!("../../data/learning/resources.tsv");
const PREREQUISITES_TSV: &str = include_str!("../../data/learning/prerequisites.tsv");
const PROJECTS_JSON: &str = include_str!("../../data/learning/projects.json");

/// The four kinds of resource, as the frontend filters them.
pub const RESOURCE_TYPES: [&str; 4] = ["Documentation", "Video", "Course", "Book"];
/// Project and resource levels, easiest first.
pub const LEVELS: [&str; 3] = ["Beginner", "Intermediate", "Advanced"];

/// One learning resource: the original's four keys, then careerhub's.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct LearningResource {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub url: String,
    pub description: String,
    pub provider: String,
    /// `Beginner`, `Intermediate` or `Advanced`.
    pub level: String,
    /// Usable at no cost.
    pub free: bool,
    /// About how long working through it takes.
    pub hours: u32,
    /// The canonical skill it teaches (not sent: the path or the query says it).
    #[serde(skip)]
    pub skill: String,
}

/// A project idea as stored.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Project {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub difficulty: String,
    pub estimated_time: String,
    pub skills: Vec<String>,
    pub features: Vec<String>,
    pub roles: Vec<String>,
}

pub struct Catalog {
    /// In file order (grouped by skill, free first).
    pub resources: Vec<LearningResource>,
    /// Skill key → indices into `resources`.
    by_skill: HashMap<String, Vec<usize>>,
    /// Skill key → the canonical names it directly requires.
    requires: HashMap<String, Vec<String>>,
    pub projects: Vec<Project>,
}

/// The catalog, parsed once; a malformed data file fails the catalog tests, not a server.
pub fn catalog() -> &'static Catalog {
    static CATALOG: LazyLock<Catalog> =
        LazyLock::new(|| Catalog::parse().expect("data/learning is valid"));
    &CATALOG
}

fn tsv_rows(tsv: &str, columns: usize) -> Result<Vec<Vec<&str>>, String> {
    tsv.lines()
        .enumerate()
        .skip(1)
        .map(|(n, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() == columns {
                Ok(fields)
            } else {
                Err(format!("line {}: expected {columns} columns", n + 1))
            }
        })
        .collect()
}

impl Catalog {
    fn parse() -> Result<Catalog, String> {
        let mut catalog = Catalog {
            resources: Vec::new(),
            by_skill: HashMap::new(),
            requires: HashMap::new(),
            projects: serde_json::from_str(PROJECTS_JSON).map_err(|e| e.to_string())?,
        };
        for fields in tsv_rows(RESOURCES_TSV, 9)? {
            let [
                skill,
                kind,
                title,
                url,
                provider,
                level,
                free,
                hours,
                description,
            ] = fields[..]
            else {
                unreachable!("nine columns checked");
            };
            let index = catalog.resources.len();
            catalog
                .by_skill
                .entry(skills::key(skill))
                .or_default()
                .push(index);
            catalog.resources.push(LearningResource {
                kind: kind.to_owned(),
                title: title.to_owned(),
                url: url.to_owned(),
                description: description.to_owned(),
                provider: provider.to_owned(),
                level: level.to_owned(),
                free: free == "yes",
                hours: hours.parse().map_err(|_| format!("{title}: hours"))?,
                skill: skill.to_owned(),
            });
        }
        for fields in tsv_rows(PREREQUISITES_TSV, 2)? {
            catalog
                .requires
                .entry(skills::key(fields[0]))
                .or_default()
                .push(fields[1].to_owned());
        }
        Ok(catalog)
    }

    /// A skill's resources, free first, as the catalog lists them.
    pub fn resources_of(&self, skill: &str) -> Vec<&LearningResource> {
        self.by_skill
            .get(&skills::key(skill))
            .into_iter()
            .flatten()
            .map(|&i| &self.resources[i])
            .collect()
    }

    /// What learning `skill` assumes, directly.
    pub fn requires(&self, skill: &str) -> &[String] {
        self.requires
            .get(&skills::key(skill))
            .map_or(&[], Vec::as_slice)
    }
}

/// The canonical display name of a skill as a user or the market spells it ("aws" → "Amazon Web
/// Services"); the spelling itself when the taxonomy does not know it.
pub fn display_name(skill: &str) -> String {
    skills::taxonomy()
        .lookup(skill)
        .map_or_else(|| skill.trim().to_owned(), |s| s.name.clone())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn resources_have_unique_https_urls_valid_types_and_levels_and_known_skills() {
        let catalog = catalog();
        assert!(
            catalog.resources.len() >= 1000,
            "{}",
            catalog.resources.len()
        );
        let mut urls = HashSet::new();
        for r in &catalog.resources {
            assert!(r.url.starts_with("https://"), "{}", r.url);
            assert!(urls.insert(r.url.as_str()), "repeated {}", r.url);
            assert!(RESOURCE_TYPES.contains(&r.kind.as_str()), "{}", r.kind);
            assert!(LEVELS.contains(&r.level.as_str()), "{}", r.level);
            assert!(!r.title.is_empty() && !r.description.is_empty() && r.hours > 0);
            assert!(skills::taxonomy().lookup(&r.skill).is_some(), "{}", r.skill);
        }
    }

    #[test]
    fn every_skill_a_roadmap_or_project_can_name_has_documentation() {
        let catalog = catalog();
        let has_docs = |skill: &str| {
            catalog
                .resources_of(skill)
                .iter()
                .any(|r| r.kind == "Documentation")
        };
        let named = catalog
            .requires
            .values()
            .flatten()
            .map(String::as_str)
            .chain(
                catalog
                    .projects
                    .iter()
                    .flat_map(|p| p.skills.iter().map(String::as_str)),
            );
        for skill in named {
            assert!(has_docs(skill), "{skill} has no documentation");
        }
        // Every software skill of the taxonomy, too: a roadmap names whatever postings ask for.
        let without: Vec<&str> = skills::taxonomy()
            .software_skills()
            .iter()
            .filter(|s| !has_docs(&s.name))
            .map(|s| s.name.as_str())
            .collect();
        assert!(
            without.is_empty(),
            "{} without docs: {:?}",
            without.len(),
            &without[..without.len().min(10)]
        );
    }

    #[test]
    fn prerequisites_form_no_cycle_and_projects_are_well_formed() {
        let catalog = catalog();
        fn visit<'a>(c: &'a Catalog, skill: &'a str, path: &mut Vec<String>) {
            let key = skills::key(skill);
            assert!(!path.contains(&key), "cycle through {skill}: {path:?}");
            path.push(key);
            for next in c.requires(skill) {
                visit(c, next, path);
            }
            path.pop();
        }
        for skill in catalog.requires.keys() {
            visit(catalog, skill, &mut Vec::new());
        }
        assert!(catalog.projects.len() >= 150, "{}", catalog.projects.len());
        let mut ids = HashSet::new();
        for p in &catalog.projects {
            assert!(ids.insert(p.id), "repeated id {}", p.id);
            assert!(LEVELS.contains(&p.difficulty.as_str()), "{}", p.difficulty);
            assert!((3..=8).contains(&p.skills.len()), "{}", p.title);
            assert!(
                p.estimated_time
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
            );
        }
    }
}
