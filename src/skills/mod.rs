//! The skills taxonomy (`data/skills.tsv`, described in `data/skills.md`): canonical skills with
//! categories and aliases, matching that ignores case, spacing and punctuation, and ranked
//! search. Breneo's skill routes use it today; Career Navigator and the ATS analysis share it.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;
use utoipa::ToSchema;

/// The embedded data files; a malformed line fails the unit tests, not a running server. The
/// second extends the first with the skills of non-software occupations (teaching, care,
/// finance, law, logistics…; `data/occupations.md`), its ids following on.
const SKILLS_TSV: &str = include_str!("../../data/skills.tsv");
const OCCUPATION_SKILLS_TSV: &str = include_str!("../../data/skills-occupations.tsv");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, ToSchema)]
pub enum Category {
    #[serde(rename = "language")]
    Language,
    #[serde(rename = "framework")]
    Framework,
    #[serde(rename = "library")]
    Library,
    #[serde(rename = "database")]
    Database,
    #[serde(rename = "cloud")]
    Cloud,
    #[serde(rename = "tool")]
    Tool,
    #[serde(rename = "practice")]
    Practice,
    #[serde(rename = "soft skill")]
    SoftSkill,
}

impl Category {
    pub fn parse(raw: &str) -> Option<Category> {
        Some(match raw {
            "language" => Category::Language,
            "framework" => Category::Framework,
            "library" => Category::Library,
            "database" => Category::Database,
            "cloud" => Category::Cloud,
            "tool" => Category::Tool,
            "practice" => Category::Practice,
            "soft skill" => Category::SoftSkill,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Language => "language",
            Category::Framework => "framework",
            Category::Library => "library",
            Category::Database => "database",
            Category::Cloud => "cloud",
            Category::Tool => "tool",
            Category::Practice => "practice",
            Category::SoftSkill => "soft skill",
        }
    }
}

/// One canonical skill.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skill {
    /// Its line number in the data file (1 for the first skill): stable while the file only grows.
    pub id: u32,
    pub name: String,
    pub category: Category,
    pub aliases: Vec<String>,
}

/// The matching key: lowercase, keeping only letters, digits, `+` and `#`
/// ("Node.js", "node js" and "NODEJS" are all `nodejs`; "C++" stays `c++`).
pub fn key(raw: &str) -> String {
    raw.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || *c == '+' || *c == '#')
        .collect()
}

pub struct Taxonomy {
    skills: Vec<Skill>,
    /// Every name and alias key → index into `skills`.
    by_key: HashMap<String, usize>,
    /// (key, skill index, is an alias), for search.
    keys: Vec<(String, usize, bool)>,
    /// How many skills the first file (`skills.tsv`, software and data) gave.
    first_file: usize,
}

/// The taxonomy, parsed once.
pub fn taxonomy() -> &'static Taxonomy {
    static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(|| {
        Taxonomy::parse_files(&[SKILLS_TSV, OCCUPATION_SKILLS_TSV])
            .expect("data/skills.tsv and data/skills-occupations.tsv are valid")
    });
    &TAXONOMY
}

impl Taxonomy {
    /// Parses the TSV, refusing duplicate keys and unknown categories.
    pub fn parse(tsv: &str) -> Result<Taxonomy, String> {
        Taxonomy::parse_files(&[tsv])
    }

    /// Parses several TSVs as one list (each with its header line), refusing a key used twice
    /// within or across them; ids run on from one file to the next.
    pub fn parse_files(files: &[&str]) -> Result<Taxonomy, String> {
        let mut taxonomy = Taxonomy {
            skills: Vec::new(),
            by_key: HashMap::new(),
            keys: Vec::new(),
            first_file: 0,
        };
        let lines = files
            .iter()
            .enumerate()
            .flat_map(|(file, tsv)| tsv.lines().enumerate().skip(1).map(move |l| (file, l)));
        for (file, (index, line)) in lines {
            if file == 0 {
                taxonomy.first_file += 1;
            }
            let line_no = format!("file {} line {}", file + 1, index + 1);
            let mut columns = line.split('\t');
            let (Some(name), Some(category), Some(aliases), None) = (
                columns.next(),
                columns.next(),
                columns.next(),
                columns.next(),
            ) else {
                return Err(format!("{line_no}: expected 3 tab-separated columns"));
            };
            let category = Category::parse(category)
                .ok_or_else(|| format!("{line_no}: unknown category {category:?}"))?;
            let aliases: Vec<String> = aliases
                .split('|')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            let skill_index = taxonomy.skills.len();
            for (text, is_alias) in
                std::iter::once((name, false)).chain(aliases.iter().map(|a| (a.as_str(), true)))
            {
                let k = key(text);
                if k.is_empty() {
                    return Err(format!("{line_no}: {text:?} has an empty key"));
                }
                if taxonomy.by_key.insert(k.clone(), skill_index).is_some() {
                    return Err(format!("{line_no}: the key {k:?} is used twice"));
                }
                taxonomy.keys.push((k, skill_index, is_alias));
            }
            taxonomy.skills.push(Skill {
                id: u32::try_from(skill_index + 1).unwrap_or(u32::MAX),
                name: name.to_owned(),
                category,
                aliases,
            });
        }
        Ok(taxonomy)
    }

    pub fn len(&self) -> usize {
        self.skills.len()
    }

    pub fn is_empty(&self) -> bool {
        self.skills.is_empty()
    }

    /// Every skill in data-file order (a skill's index here is `id - 1`), for building scanners.
    pub fn skills(&self) -> &[Skill] {
        &self.skills
    }

    /// The skills of `skills.tsv` alone: the software and data skills postings' technology
    /// lists name.
    pub fn software_skills(&self) -> &[Skill] {
        &self.skills[..self.first_file]
    }

    /// The skill with this id (its line in the data file).
    pub fn by_id(&self, id: u32) -> Option<&Skill> {
        self.skills.get(usize::try_from(id).ok()?.checked_sub(1)?)
    }

    /// The skill a name or alias stands for, however it is cased, spaced or punctuated.
    pub fn lookup(&self, raw: &str) -> Option<&Skill> {
        self.by_key.get(&key(raw)).map(|&index| &self.skills[index])
    }

    /// Suggestions for what a user is typing: skills whose name starts with the query first,
    /// then skills with an alias starting with it, then names or aliases containing it; within
    /// each group shorter names first. Each skill appears once.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Skill> {
        let query = key(query);
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut ranked: HashMap<usize, u8> = HashMap::new();
        for (k, index, is_alias) in &self.keys {
            let rank = if k.starts_with(&query) {
                if *is_alias { 1 } else { 0 }
            } else if k.contains(&query) {
                2
            } else {
                continue;
            };
            ranked
                .entry(*index)
                .and_modify(|best| *best = (*best).min(rank))
                .or_insert(rank);
        }
        let mut hits: Vec<(u8, &Skill)> = ranked
            .into_iter()
            .map(|(index, rank)| (rank, &self.skills[index]))
            .collect();
        hits.sort_by(|(rank_a, a), (rank_b, b)| {
            rank_a
                .cmp(rank_b)
                .then(a.name.len().cmp(&b.name.len()))
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        });
        hits.into_iter()
            .take(limit)
            .map(|(_, skill)| skill)
            .collect()
    }
}

/// A skill as a user entered it, resolved against the taxonomy: its display name (canonical
/// when known, as typed otherwise), category (when known) and matching key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedSkill {
    pub name: String,
    pub category: Option<Category>,
    pub key: String,
}

pub fn resolve(raw: &str) -> ResolvedSkill {
    let typed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    match taxonomy().lookup(&typed) {
        Some(skill) => ResolvedSkill {
            name: skill.name.clone(),
            category: Some(skill.category),
            key: key(&skill.name),
        },
        None => ResolvedSkill {
            key: key(&typed),
            name: typed,
            category: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_with_at_least_1500_skills_in_every_category() {
        let taxonomy = Taxonomy::parse(SKILLS_TSV).unwrap();
        assert!(taxonomy.len() >= 1500, "{}", taxonomy.len());
        for category in [
            Category::Language,
            Category::Framework,
            Category::Library,
            Category::Database,
            Category::Cloud,
            Category::Tool,
            Category::Practice,
            Category::SoftSkill,
        ] {
            assert!(
                taxonomy.skills.iter().any(|s| s.category == category),
                "{category:?}"
            );
        }
    }

    #[test]
    fn the_occupation_skills_follow_on_with_their_own_ids_and_no_shared_key() {
        let software = Taxonomy::parse(SKILLS_TSV).unwrap();
        let all = taxonomy();
        assert!(all.len() >= software.len() + 700, "{}", all.len());
        let phonics = all.lookup("synthetic phonics").unwrap();
        assert_eq!(phonics.name, "Phonics");
        assert!(phonics.id as usize > software.len());
        assert_eq!(all.by_id(phonics.id), Some(phonics));
        // Both files' ids are as before for the software skills.
        assert_eq!(
            all.lookup("python").unwrap().id,
            software.lookup("python").unwrap().id
        );
    }

    #[test]
    fn matching_ignores_case_spacing_and_punctuation() {
        let t = taxonomy();
        let node = t.lookup("Node.js").unwrap();
        assert_eq!(t.lookup("nodejs"), Some(node));
        assert_eq!(t.lookup("node js"), Some(node));
        assert_eq!(t.lookup("NODE-JS"), Some(node));
        assert_eq!(t.lookup("c++").unwrap().name, "C++");
        assert_ne!(t.lookup("c++"), t.lookup("c#"));
        assert_eq!(t.lookup("k8s").unwrap().name, "Kubernetes");
        assert_eq!(t.lookup("js").unwrap().name, "JavaScript");
        assert!(t.lookup("underwater basket weaving").is_none());
    }

    #[test]
    fn search_ranks_name_prefixes_then_alias_prefixes_then_substrings() {
        let t = taxonomy();
        let names: Vec<&str> = t
            .search("java", 50)
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names[0], "Java");
        let js = names.iter().position(|n| *n == "JavaScript").unwrap();
        assert!(
            names
                .iter()
                .take(js)
                .all(|n| n.to_lowercase().starts_with("java"))
        );

        // "k8s" is only an alias of Kubernetes.
        assert_eq!(t.search("k8s", 5)[0].name, "Kubernetes");

        // A substring-only match comes after every prefix match.
        let sql: Vec<&Skill> = t.search("sql", 200);
        let first_substring = sql.iter().position(|s| {
            !key(&s.name).starts_with("sql") && !s.aliases.iter().any(|a| key(a).starts_with("sql"))
        });
        if let Some(first) = first_substring {
            assert!(
                sql[first..]
                    .iter()
                    .all(|s| !key(&s.name).starts_with("sql"))
            );
        }
        assert!(sql.iter().any(|s| s.name == "PostgreSQL"));
        assert!(t.search("", 10).is_empty());
        assert_eq!(t.search("a", 7).len(), 7);
    }

    #[test]
    fn unknown_skills_keep_what_the_user_typed() {
        assert_eq!(
            resolve("  react.JS "),
            ResolvedSkill {
                name: "React".into(),
                category: Some(Category::Framework),
                key: "react".into()
            }
        );
        assert_eq!(
            resolve("Quantum  Knitting"),
            ResolvedSkill {
                name: "Quantum Knitting".into(),
                category: None,
                key: "quantumknitting".into()
            }
        );
    }

    #[test]
    fn duplicate_keys_and_bad_categories_are_refused() {
        assert!(
            Taxonomy::parse("name\tcategory\taliases\nGo\tlanguage\tgolang\nGolang\tlanguage\t")
                .is_err()
        );
        assert!(Taxonomy::parse("name\tcategory\taliases\nGo\tlanguages\t").is_err());
        assert!(Taxonomy::parse("name\tcategory\taliases\nGo\tlanguage").is_err());
    }
}
