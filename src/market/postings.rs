//! Job postings: what an ingested posting must hold, the spec's upsert (match by `job_id`, then
//! `url`; update in place; keep the first `scraped_at`), and the spec's lookups (by skills, by
//! keywords and location, recent).

use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use std::collections::HashMap;

use super::{job_posting, rollups};
use crate::accounts::user::StringList;
use crate::industries;
use crate::skills;

const MAX_TITLE_CHARS: usize = 500;
const MAX_COMPANY_CHARS: usize = 300;
const MAX_URL_CHARS: usize = 2000;
const MAX_TEXT_CHARS: usize = 300;
const MAX_DESCRIPTION_CHARS: usize = 100_000;
const MAX_SLUGS: usize = 200;
/// Bounded so a rollup key stays well inside an index entry.
const MAX_SLUG_CHARS: usize = 100;

/// A posting as a source gives it, in careerhub's own shape (the import formats and the
/// provider client map theirs onto this).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct PostingInput {
    pub job_id: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub company: String,
    pub company_domain: Option<String>,
    /// The company's industry as the source names it; mapped onto careerhub's vocabulary.
    pub company_industry: Option<String>,
    pub location: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub technology_slugs: Vec<String>,
    /// When absent, derived from `technology_slugs` through the skills taxonomy.
    pub skills: Option<Vec<String>>,
    #[serde(default)]
    pub url: String,
    pub search_keywords: Option<String>,
    pub search_location: Option<String>,
    pub date_posted: Option<DateTime<Utc>>,
    pub min_annual_salary_usd: Option<i64>,
    pub max_annual_salary_usd: Option<i64>,
    pub remote: Option<bool>,
    pub coordinates: Option<Value>,
    /// When the source first saw the posting (a backfill's history); new postings only, never
    /// later than now. Absent: now.
    pub scraped_at: Option<DateTime<Utc>>,
}

/// A posting that passed validation, with its derived fields.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidPosting {
    input: PostingInput,
    skills: Vec<String>,
    company_industry: Option<String>,
}

/// Checks what every posting needs and derives normalized skills and the company's industry.
/// The error says what is wrong, for an import's report.
pub fn validate(mut input: PostingInput) -> Result<ValidPosting, String> {
    input.title = input.title.trim().to_owned();
    input.company = input.company.trim().to_owned();
    input.url = input.url.trim().to_owned();
    input.job_id = input
        .job_id
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty());
    require_text("title", &input.title, MAX_TITLE_CHARS)?;
    require_text("company", &input.company, MAX_COMPANY_CHARS)?;
    require_text("url", &input.url, MAX_URL_CHARS)?;
    if !crate::validate::is_web_url(&input.url) {
        return Err(format!("url is not an http(s) URL: {}", input.url));
    }
    for (field, value) in [
        ("location", &input.location),
        ("search_keywords", &input.search_keywords),
        ("search_location", &input.search_location),
        ("company_domain", &input.company_domain),
    ] {
        if value
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_TEXT_CHARS)
        {
            return Err(format!(
                "{field} is longer than {MAX_TEXT_CHARS} characters"
            ));
        }
    }
    if input
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(format!(
            "description is longer than {MAX_DESCRIPTION_CHARS} characters"
        ));
    }
    if input.technology_slugs.len() > MAX_SLUGS {
        return Err(format!("more than {MAX_SLUGS} technology_slugs"));
    }
    let tags = input.skills.iter().flatten().chain(&input.technology_slugs);
    if let Some(long) = tags
        .into_iter()
        .find(|t| t.chars().count() > MAX_SLUG_CHARS)
    {
        return Err(format!(
            "a skill or technology slug is longer than {MAX_SLUG_CHARS} characters: {long}"
        ));
    }
    if let (Some(min), Some(max)) = (input.min_annual_salary_usd, input.max_annual_salary_usd)
        && (min < 0 || max < min)
    {
        return Err(format!("salary range {min}–{max} is not valid"));
    }
    let skills = normalize_skills(input.skills.as_deref().unwrap_or(&input.technology_slugs));
    let company_industry = posting_industry(input.company_industry.as_deref(), &input.company);
    Ok(ValidPosting {
        input,
        skills,
        company_industry,
    })
}

fn require_text(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.is_empty() {
        Err(format!("{field} is required"))
    } else if value.chars().count() > max {
        Err(format!("{field} is longer than {max} characters"))
    } else {
        Ok(())
    }
}

/// Skills as Career Navigator shows them: the taxonomy's canonical name, lowercased, or the tag
/// itself lowercased; each once, in order.
pub fn normalize_skills(tags: &[String]) -> Vec<String> {
    let mut normalized: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let name = skill_identity(tag);
        if !normalized.contains(&name) {
            normalized.push(name);
        }
    }
    normalized
}

/// Which skill a tag names: the taxonomy's canonical name, lowercased, or the tag itself
/// lowercased (`k8s` and `Kubernetes` are both `kubernetes`).
pub fn skill_identity(tag: &str) -> String {
    let tag = tag.trim();
    skills::taxonomy()
        .lookup(tag)
        .map_or_else(|| tag.to_lowercase(), |s| s.name.to_lowercase())
}

/// The source's industry in our vocabulary (directly or by a provider's name for it), else the
/// company map's.
fn posting_industry(source: Option<&str>, company: &str) -> Option<String> {
    source
        .and_then(industries::vocabulary_industry)
        .or_else(|| industries::industry_of_company(company))
        .map(str::to_owned)
}

/// What an upsert did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upserted {
    Inserted(i64),
    Updated(i64),
}

/// Inserts a posting, or updates the one with the same `job_id` (else the same `url`) in place,
/// keeping its first `scraped_at`.
pub async fn upsert(
    conn: &impl ConnectionTrait,
    posting: ValidPosting,
    now: DateTime<Utc>,
) -> Result<Upserted, DbErr> {
    let mut outcomes = upsert_many(conn, vec![posting], now).await?;
    outcomes
        .pop()
        .unwrap_or_else(|| Err("nothing to store".into()))
        .map_err(DbErr::Custom)
}

/// Upserts a batch as if one by one, in order, with one lookup, one multi-row insert, an update
/// per changed stored posting, and one rollup write. Each posting gets its outcome, or the reason
/// it cannot be stored (its `job_id` and its `url` belong to two different postings). Run it in
/// a transaction: the postings and their rollups must change together.
pub async fn upsert_many(
    conn: &impl ConnectionTrait,
    batch: Vec<ValidPosting>,
    now: DateTime<Utc>,
) -> Result<Vec<Result<Upserted, String>>, DbErr> {
    let stored = find_stored(conn, &batch).await?;
    let mut plan = BatchPlan::new(stored);
    let outcomes: Vec<Result<Target, String>> = batch
        .into_iter()
        .map(|posting| plan.apply(posting, now))
        .collect();
    let mut deltas = rollups::Deltas::default();
    for (original, current, changed) in &plan.stored {
        if *changed {
            deltas.count(original, -1);
            deltas.count(current, 1);
        }
    }
    for row in &plan.fresh {
        deltas.count(row, 1);
    }
    deltas.apply(conn).await?;

    let stored_ids: Vec<i64> = plan
        .stored
        .iter()
        .map(|(_, current, _)| current.id)
        .collect();
    for (_, current, changed) in plan.stored {
        if changed {
            job_posting::ActiveModel::from(current)
                .reset_all()
                .update(conn)
                .await?;
        }
    }
    let mut fresh_ids: Vec<i64> = Vec::with_capacity(plan.fresh.len());
    let mut fresh = plan.fresh.into_iter().peekable();
    while fresh.peek().is_some() {
        let rows: Vec<job_posting::Model> = fresh.by_ref().take(ROWS_PER_INSERT).collect();
        fresh_ids.extend(insert_rows(conn, rows).await?);
    }
    Ok(outcomes
        .into_iter()
        .map(|outcome| {
            outcome.map(|target| match target {
                Target::Stored(index, inserted) => {
                    let id = stored_ids[index];
                    if inserted {
                        Upserted::Inserted(id)
                    } else {
                        Upserted::Updated(id)
                    }
                }
                Target::Fresh(index, inserted) => {
                    let id = fresh_ids[index];
                    if inserted {
                        Upserted::Inserted(id)
                    } else {
                        Upserted::Updated(id)
                    }
                }
            })
        })
        .collect())
}

/// Rows per multi-row insert: 20 values each, under SQLite's 32,766 bound parameters.
const ROWS_PER_INSERT: usize = 1_000;

/// The columns a new posting's insert sets (all but `id`), in the order `row_values` binds.
const INSERT_COLUMNS: [&str; 20] = [
    "job_id",
    "title",
    "company",
    "company_domain",
    "company_industry",
    "location",
    "description",
    "skills",
    "technology_slugs",
    "url",
    "search_keywords",
    "search_keywords_key",
    "search_location",
    "date_posted",
    "scraped_at",
    "updated_at",
    "min_annual_salary_usd",
    "max_annual_salary_usd",
    "remote",
    "coordinates",
];
/// Indexes in `INSERT_COLUMNS` of the JSON columns (text on SQLite, jsonb on PostgreSQL).
const JSON_COLUMNS: [usize; 3] = [7, 8, 19];

/// Inserts new postings with one hand-built multi-row statement; their ids, in order. Built by
/// hand rather than through `insert_many`: at a million rows, the ORM's per-value expression
/// trees and JSON values cost more than the insert itself.
async fn insert_rows(
    conn: &impl ConnectionTrait,
    rows: Vec<job_posting::Model>,
) -> Result<Vec<i64>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let backend = conn.get_database_backend();
    let count = rows.len();
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(count * INSERT_COLUMNS.len());
    let mut tuples: Vec<String> = Vec::with_capacity(count);
    for row in rows {
        let first = values.len();
        values.extend(row_values(row)?);
        let marks: Vec<String> = (0..INSERT_COLUMNS.len())
            .map(|column| {
                let mark = rollups::placeholder(backend, first + column + 1);
                if backend == DbBackend::Postgres && JSON_COLUMNS.contains(&column) {
                    format!("CAST({mark} AS jsonb)")
                } else {
                    mark
                }
            })
            .collect();
        tuples.push(format!("({})", marks.join(", ")));
    }
    let mut sql = format!(
        "INSERT INTO job_postings ({}) VALUES {}",
        INSERT_COLUMNS.join(", "),
        tuples.join(", ")
    );
    if backend == DbBackend::Postgres {
        sql.push_str(" RETURNING id");
        let returned = conn
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        return returned.iter().map(|row| row.try_get("", "id")).collect();
    }
    // SQLite gives the rows of one statement consecutive ids (one writer, AUTOINCREMENT), and
    // RETURNING would hand each id across threads on its own.
    let done = conn
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let last = done.last_insert_id() as i64;
    Ok((last + 1 - count as i64..=last).collect())
}

/// A new posting's values in `INSERT_COLUMNS` order; JSON columns as JSON text.
fn row_values(row: job_posting::Model) -> Result<[sea_orm::Value; 20], DbErr> {
    let to_text = |list: &StringList| {
        serde_json::to_string(&list.0).map_err(|err| DbErr::Custom(err.to_string()))
    };
    let coordinates = row
        .coordinates
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|err| DbErr::Custom(err.to_string()))?;
    Ok([
        row.job_id.into(),
        row.title.into(),
        row.company.into(),
        row.company_domain.into(),
        row.company_industry.into(),
        row.location.into(),
        row.description.into(),
        to_text(&row.skills)?.into(),
        to_text(&row.technology_slugs)?.into(),
        row.url.into(),
        row.search_keywords.into(),
        row.search_keywords_key.into(),
        row.search_location.into(),
        row.date_posted.into(),
        row.scraped_at.into(),
        row.updated_at.into(),
        row.min_annual_salary_usd.into(),
        row.max_annual_salary_usd.into(),
        row.remote.into(),
        coordinates.into(),
    ])
}

/// The stored postings a batch could match, by `job_id` or `url` (two lookups, each on its
/// unique index).
async fn find_stored(
    conn: &impl ConnectionTrait,
    batch: &[ValidPosting],
) -> Result<Vec<job_posting::Model>, DbErr> {
    let mut stored: Vec<job_posting::Model> = Vec::new();
    let mut seen: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for part in batch.chunks(ROWS_PER_INSERT) {
        let job_ids: Vec<&str> = part
            .iter()
            .filter_map(|p| p.input.job_id.as_deref())
            .collect();
        let urls: Vec<&str> = part.iter().map(|p| p.input.url.as_str()).collect();
        let by_job_id = job_posting::Entity::find()
            .filter(job_posting::Column::JobId.is_in(job_ids))
            .all(conn)
            .await?;
        let by_url = job_posting::Entity::find()
            .filter(job_posting::Column::Url.is_in(urls))
            .all(conn)
            .await?;
        for row in by_job_id.into_iter().chain(by_url) {
            if seen.insert(row.id) {
                stored.push(row);
            }
        }
    }
    Ok(stored)
}

/// Where a posting of a batch went: a stored row or a new one (by index), and whether that
/// posting created it.
#[derive(Clone, Copy)]
enum Target {
    Stored(usize, bool),
    Fresh(usize, bool),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Stored(usize),
    Fresh(usize),
}

/// A batch worked out in memory: the stored rows it touches (as found, as they end, whether
/// changed), the new rows, and both looked up by `job_id` and by `url` as they are now.
struct BatchPlan {
    stored: Vec<(job_posting::Model, job_posting::Model, bool)>,
    fresh: Vec<job_posting::Model>,
    by_job_id: HashMap<String, Slot>,
    by_url: HashMap<String, Slot>,
}

impl BatchPlan {
    fn new(found: Vec<job_posting::Model>) -> BatchPlan {
        let mut plan = BatchPlan {
            stored: Vec::with_capacity(found.len()),
            fresh: Vec::new(),
            by_job_id: HashMap::new(),
            by_url: HashMap::new(),
        };
        for (index, row) in found.into_iter().enumerate() {
            plan.index(&row, Slot::Stored(index));
            plan.stored.push((row.clone(), row, false));
        }
        plan
    }

    fn index(&mut self, row: &job_posting::Model, slot: Slot) {
        if let Some(job_id) = &row.job_id {
            self.by_job_id.insert(job_id.clone(), slot);
        }
        self.by_url.insert(row.url.clone(), slot);
    }

    fn unindex(&mut self, row: &job_posting::Model) {
        if let Some(job_id) = &row.job_id {
            self.by_job_id.remove(job_id);
        }
        self.by_url.remove(&row.url);
    }

    fn row(&self, slot: Slot) -> &job_posting::Model {
        match slot {
            Slot::Stored(index) => &self.stored[index].1,
            Slot::Fresh(index) => &self.fresh[index],
        }
    }

    /// The spec's upsert of one posting, against the batch so far.
    fn apply(&mut self, posting: ValidPosting, now: DateTime<Utc>) -> Result<Target, String> {
        let by_job_id = posting
            .input
            .job_id
            .as_ref()
            .and_then(|id| self.by_job_id.get(id))
            .copied();
        let by_url = self.by_url.get(&posting.input.url).copied();
        let Some(slot) = by_job_id.or(by_url) else {
            let row = new_row(posting, now);
            let slot = Slot::Fresh(self.fresh.len());
            self.index(&row, slot);
            self.fresh.push(row);
            return Ok(Target::Fresh(self.fresh.len() - 1, true));
        };
        if by_url.is_some_and(|other| other != slot) {
            return Err(format!(
                "its url belongs to another posting than its job_id ({})",
                posting.input.url
            ));
        }
        let old = self.row(slot).clone();
        self.unindex(&old);
        let mut row = new_row(posting, now);
        row.id = old.id;
        row.scraped_at = old.scraped_at;
        self.index(&row, slot);
        Ok(match slot {
            Slot::Stored(index) => {
                self.stored[index].1 = row;
                self.stored[index].2 = true;
                Target::Stored(index, false)
            }
            Slot::Fresh(index) => {
                self.fresh[index] = row;
                Target::Fresh(index, false)
            }
        })
    }
}

/// The row a valid posting becomes; `scraped_at` is the source's first sighting (never later
/// than now), else now.
fn new_row(posting: ValidPosting, now: DateTime<Utc>) -> job_posting::Model {
    let ValidPosting {
        input,
        skills,
        company_industry,
    } = posting;
    let keywords = input.search_keywords.unwrap_or_default();
    job_posting::Model {
        id: 0,
        job_id: input.job_id,
        title: input.title,
        company: input.company,
        company_domain: input.company_domain,
        company_industry,
        location: input.location.unwrap_or_default().trim().to_owned(),
        description: input.description.unwrap_or_default(),
        skills: StringList(skills),
        technology_slugs: StringList(input.technology_slugs),
        url: input.url,
        search_keywords_key: keywords.trim().to_lowercase(),
        search_keywords: keywords,
        search_location: input.search_location.unwrap_or_default(),
        date_posted: input.date_posted,
        scraped_at: input
            .scraped_at
            .map_or(now, |at| Ord::min(at.trunc_subsecs(6), now)),
        updated_at: now,
        min_annual_salary_usd: input.min_annual_salary_usd,
        max_annual_salary_usd: input.max_annual_salary_usd,
        remote: input.remote,
        coordinates: input.coordinates,
    }
}

/// Postings requiring any of these skills (normalized names), newest first.
pub async fn jobs_by_skills(
    conn: &impl ConnectionTrait,
    wanted: &[String],
    limit: u64,
) -> Result<Vec<job_posting::Model>, DbErr> {
    let wanted = normalize_skills(wanted);
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    job_posting::Entity::find()
        .filter(names_any_skill(conn, wanted))
        .order_by_desc(job_posting::Column::ScrapedAt)
        .order_by_desc(job_posting::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

/// `EXISTS` one of `skills` (normalized) in the posting's skills, a JSON array on both engines.
pub(super) fn names_any_skill(conn: &impl ConnectionTrait, skills: Vec<String>) -> Expr {
    let backend = conn.get_database_backend();
    let elements = match backend {
        DbBackend::Postgres => "jsonb_array_elements_text(job_postings.skills) AS s(value)",
        _ => "json_each(job_postings.skills) AS s",
    };
    // A custom expression numbers its own PostgreSQL placeholders from $1; sea-query shifts them.
    let marks: Vec<String> = (1..=skills.len())
        .map(|n| rollups::placeholder(backend, n))
        .collect();
    let marks = marks.join(", ");
    let values: Vec<sea_orm::Value> = skills.into_iter().map(Into::into).collect();
    Expr::cust_with_values(
        format!("EXISTS (SELECT 1 FROM {elements} WHERE s.value IN ({marks}))"),
        values,
    )
}

/// Postings whose title or search keywords contain `keywords`, optionally in a location, any
/// case; newest first.
pub async fn jobs_by_keywords(
    conn: &impl ConnectionTrait,
    keywords: &str,
    location: Option<&str>,
    limit: u64,
) -> Result<Vec<job_posting::Model>, DbErr> {
    let pattern = contains_pattern(keywords);
    let mut query = job_posting::Entity::find().filter(
        lower(job_posting::Column::Title)
            .like(escaped_like(pattern.clone()))
            .or(lower(job_posting::Column::SearchKeywords).like(escaped_like(pattern))),
    );
    if let Some(location) = location.filter(|l| !l.trim().is_empty()) {
        query = query.filter(
            lower(job_posting::Column::Location).like(escaped_like(contains_pattern(location))),
        );
    }
    query
        .order_by_desc(job_posting::Column::ScrapedAt)
        .order_by_desc(job_posting::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

/// Postings gathered within the last `days`, newest first.
pub async fn recent_jobs(
    conn: &impl ConnectionTrait,
    days: i64,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<job_posting::Model>, DbErr> {
    job_posting::Entity::find()
        .filter(job_posting::Column::ScrapedAt.gte(now - Duration::days(days)))
        .order_by_desc(job_posting::Column::ScrapedAt)
        .order_by_desc(job_posting::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

pub(super) fn lower(column: job_posting::Column) -> Expr {
    Expr::expr(Func::lower(Expr::col(column)))
}

/// SQLite's LIKE has no escape character unless told; PostgreSQL's is `\` already.
pub(crate) fn escaped_like(pattern: String) -> LikeExpr {
    LikeExpr::new(pattern).escape('\\')
}

/// `%text%` with LIKE's wildcards in the text taken literally.
pub(crate) fn contains_pattern(text: &str) -> String {
    let escaped: String = text
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting() -> PostingInput {
        PostingInput {
            job_id: Some("ts_1".into()),
            title: " Senior Software Engineer ".into(),
            company: "Stripe".into(),
            url: "https://jobs.example.com/1".into(),
            technology_slugs: vec![
                "Python".into(),
                "react-js".into(),
                "k8s".into(),
                "python".into(),
                "homegrown-tool".into(),
            ],
            ..PostingInput::default()
        }
    }

    #[test]
    fn skills_are_normalized_through_the_taxonomy_and_the_slugs_kept_raw() {
        let valid = validate(posting()).unwrap();
        assert_eq!(
            valid.skills,
            ["python", "react", "kubernetes", "homegrown-tool"]
        );
        assert_eq!(valid.input.technology_slugs.len(), 5);
        assert_eq!(valid.input.title, "Senior Software Engineer");
        assert_eq!(valid.company_industry.as_deref(), Some("fintech"));
    }

    #[test]
    fn the_source_industry_is_used_when_it_is_in_the_vocabulary() {
        let mut input = posting();
        input.company = "Unknown Startup".into();
        input.company_industry = Some("E-Commerce".into());
        assert_eq!(
            validate(input.clone()).unwrap().company_industry.as_deref(),
            Some("e-commerce")
        );
        input.company_industry = Some("Financial Services".into());
        assert_eq!(
            validate(input.clone()).unwrap().company_industry.as_deref(),
            Some("fintech")
        );
        input.company_industry = Some("Widgets".into());
        assert_eq!(validate(input).unwrap().company_industry, None);
    }

    #[test]
    fn broken_postings_say_what_is_wrong() {
        let mut no_title = posting();
        no_title.title = "  ".into();
        assert_eq!(validate(no_title).unwrap_err(), "title is required");
        let mut bad_url = posting();
        bad_url.url = "ftp://x".into();
        assert_eq!(
            validate(bad_url).unwrap_err(),
            "url is not an http(s) URL: ftp://x"
        );
        let mut bad_salary = posting();
        bad_salary.min_annual_salary_usd = Some(200_000);
        bad_salary.max_annual_salary_usd = Some(100_000);
        assert_eq!(
            validate(bad_salary).unwrap_err(),
            "salary range 200000–100000 is not valid"
        );
    }

    #[test]
    fn like_wildcards_in_keywords_are_literal() {
        assert_eq!(contains_pattern(" 100% Remote_ "), "%100\\% remote\\_%");
    }
}
