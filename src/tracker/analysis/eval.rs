//! `careerhub eval-ats DIR`: how well the local engine ranks resumes against postings. `DIR`
//! holds `postings/*.txt` (title on the first line, "Company, Place" on the second),
//! `resumes/*.txt`, `pairs.tsv` (posting, resume, fit 0/1), `best.tsv` (the resume that should
//! rank first per posting) and `requirements.tsv` (what each posting asks for). Printed: AUC of
//! fit over non-fit within each posting, the share of postings whose best resume ranks first
//! alone, and the precision of `missing_keywords` against the labelled requirements.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::Context;

use super::{AnalysisInput, CandidateLevel, local};
use crate::skills;
use crate::tracker::page::NO_DETAILS;

/// One posting as the evaluation reads it.
struct Posting {
    title: String,
    company: String,
    description: String,
}

fn read_posting(text: &str) -> Posting {
    let mut lines = text.lines();
    let title = lines.next().unwrap_or_default().trim().to_owned();
    let company = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    Posting {
        title,
        company,
        description: lines.collect::<Vec<_>>().join("\n"),
    }
}

/// The rows of a TSV file after its header.
fn rows(dir: &Path, file: &str) -> anyhow::Result<Vec<Vec<String>>> {
    let raw = std::fs::read_to_string(dir.join(file)).with_context(|| format!("reading {file}"))?;
    Ok(raw
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(|f| f.trim().to_owned()).collect())
        .collect())
}

fn texts(dir: &Path, folder: &str) -> anyhow::Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for entry in std::fs::read_dir(dir.join(folder)).with_context(|| format!("reading {folder}"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let id = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            out.insert(id, std::fs::read_to_string(&path)?);
        }
    }
    Ok(out)
}

/// One pair's outcome.
struct Scored {
    resume: String,
    fit: bool,
    score: i32,
    missing: Vec<String>,
}

pub fn run(dir: &Path, detail: Option<&str>) -> anyhow::Result<()> {
    let postings = texts(dir, "postings")?;
    let resumes = texts(dir, "resumes")?;
    let mut by_posting: BTreeMap<String, Vec<Scored>> = BTreeMap::new();
    for row in rows(dir, "pairs.tsv")? {
        let [posting_id, resume_id, fit] = row.as_slice() else {
            continue;
        };
        let posting = read_posting(postings.get(posting_id).context("unknown posting")?);
        let resume = resumes.get(resume_id).context("unknown resume")?;
        let analysis = local::analyze(&AnalysisInput {
            resume_text: resume,
            job_title: &posting.title,
            company_name: &posting.company,
            job_description: &posting.description,
            candidate_level: CandidateLevel::Experienced,
            target_stack: &[],
            details: &NO_DETAILS,
        });
        if detail == Some(posting_id.as_str()) {
            println!(
                "{resume_id} (fit {fit}): {} {:?}\n  missing: {:?}\n  strengths: {:?}\n  suggestions: {:?}",
                analysis.ats_score,
                analysis.score_breakdown,
                analysis.missing_keywords,
                analysis.strengths,
                analysis.suggestions
            );
        }
        by_posting
            .entry(posting_id.clone())
            .or_default()
            .push(Scored {
                resume: resume_id.clone(),
                fit: fit == "1",
                score: analysis.ats_score,
                missing: analysis.missing_keywords,
            });
    }
    let best: HashMap<String, String> = rows(dir, "best.tsv")?
        .into_iter()
        .filter_map(|r| Some((r.first()?.clone(), r.get(1)?.clone())))
        .collect();
    let mut required: HashMap<String, HashSet<String>> = HashMap::new();
    for row in rows(dir, "requirements.tsv")? {
        if let [posting, requirement, _kind] = row.as_slice() {
            required
                .entry(posting.clone())
                .or_default()
                .insert(skills::key(requirement));
        }
    }
    report(&by_posting, &best, &required);
    Ok(())
}

fn report(
    by_posting: &BTreeMap<String, Vec<Scored>>,
    best: &HashMap<String, String>,
    required: &HashMap<String, HashSet<String>>,
) {
    let (mut wins, mut comparisons) = (0.0, 0usize);
    let (mut first, mut with_best) = (0usize, 0usize);
    let (mut right, mut named) = (0usize, 0usize);
    println!("posting\tfit scores\tnon-fit scores\tbest first\twrong keywords");
    for (posting, scored) in by_posting {
        let fit: Vec<i32> = scored.iter().filter(|s| s.fit).map(|s| s.score).collect();
        let unfit: Vec<i32> = scored.iter().filter(|s| !s.fit).map(|s| s.score).collect();
        for f in &fit {
            for u in &unfit {
                comparisons += 1;
                wins += match f.cmp(u) {
                    std::cmp::Ordering::Greater => 1.0,
                    std::cmp::Ordering::Equal => 0.5,
                    std::cmp::Ordering::Less => 0.0,
                };
            }
        }
        let best_first = best.get(posting).map(|b| {
            let top = scored.iter().find(|s| &s.resume == b).map(|s| s.score);
            top.is_some_and(|top| scored.iter().all(|s| &s.resume == b || s.score < top))
        });
        if let Some(ok) = best_first {
            with_best += 1;
            first += usize::from(ok);
        }
        let labelled = required.get(posting).cloned().unwrap_or_default();
        let mut wrong = Vec::new();
        for keyword in scored.iter().flat_map(|s| &s.missing) {
            named += 1;
            if labelled.contains(&skills::key(keyword)) {
                right += 1;
            } else {
                wrong.push(keyword.clone());
            }
        }
        wrong.sort();
        wrong.dedup();
        println!(
            "{posting}\t{fit:?}\t{unfit:?}\t{}\t{}",
            best_first.map_or("-", |ok| if ok { "yes" } else { "NO" }),
            wrong.join(", ")
        );
    }
    let share = |a: f64, b: usize| if b == 0 { 0.0 } else { a / b as f64 };
    println!();
    println!(
        "AUC (fit over non-fit, within postings): {:.3} over {comparisons} comparisons",
        share(wins, comparisons)
    );
    println!(
        "best resume ranked first: {first}/{with_best} ({:.1}%)",
        100.0 * share(first as f64, with_best)
    );
    println!(
        "missing_keywords precision: {right}/{named} ({:.1}%)",
        100.0 * share(right as f64, named)
    );
}
