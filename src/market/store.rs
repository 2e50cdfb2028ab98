//! Storing postings: the spec's upsert (match by `job_id`, then `url`; update in place; keep
//! the first `scraped_at`) for a whole batch at once, with the rollups it changes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

use super::postings::ValidPosting;
use super::{job_posting, posting_copy, rollups};
use crate::accounts::user::StringList;
use crate::db::CopyCapable;

/// What an upsert did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upserted {
    Inserted(i64),
    Updated(i64),
}

/// Inserts a posting, or updates the one with the same `job_id` (else the same `url`) in place,
/// keeping its first `scraped_at`.
pub async fn upsert(
    conn: &impl CopyCapable,
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
/// a transaction: the postings and their rollups must change together. In a
/// [`crate::db::CopyTransaction`] the new postings go in by `COPY`.
pub async fn upsert_many(
    conn: &impl CopyCapable,
    batch: Vec<ValidPosting>,
    now: DateTime<Utc>,
) -> Result<Vec<Result<Upserted, String>>, DbErr> {
    let stored = find_stored(conn, &batch).await?;
    let mut plan = BatchPlan::new(stored);
    let outcomes: Vec<Result<Target, String>> = batch
        .into_iter()
        .map(|posting| plan.apply(posting, now))
        .collect();
    let BatchPlan { stored, fresh, .. } = plan;
    let fresh = Arc::new(fresh);
    // A COPY's rows are encoded while the rollups and the updates are written.
    let copy = match conn.copy_transaction() {
        Some(txn) => Some((txn, posting_copy::start(txn, Arc::clone(&fresh)).await?)),
        None => None,
    };
    let mut deltas = rollups::Deltas::default();
    for (original, current, changed) in &stored {
        if *changed {
            deltas.count(original, -1);
            deltas.count(current, 1);
        }
    }
    for row in fresh.iter() {
        deltas.count(row, 1);
    }
    deltas.apply(conn).await?;

    let stored_ids: Vec<i64> = stored.iter().map(|(_, current, _)| current.id).collect();
    for (_, current, changed) in stored {
        if changed {
            job_posting::ActiveModel::from(current)
                .reset_all()
                .update(conn)
                .await?;
        }
    }
    let fresh_ids = match copy {
        Some((txn, copy)) => copy.finish(txn).await?,
        None => {
            let rows = Arc::try_unwrap(fresh).unwrap_or_else(|shared| (*shared).clone());
            insert_rows(conn, rows).await?
        }
    };
    Ok(outcomes
        .into_iter()
        .map(|outcome| {
            outcome.map(|target| {
                let (id, inserted) = match target {
                    Target::Stored(index, inserted) => (stored_ids[index], inserted),
                    Target::Fresh(index, inserted) => (fresh_ids[index], inserted),
                };
                if inserted {
                    Upserted::Inserted(id)
                } else {
                    Upserted::Updated(id)
                }
            })
        })
        .collect())
}

/// Rows per insert statement on SQLite: 20 values each, under its 32,766 bound parameters.
const ROWS_PER_INSERT: usize = 1_000;
/// Rows per insert statement on PostgreSQL, one JSON document: an import's whole chunk, so its
/// rows can be laid down in `scraped_at` order.
const ROWS_PER_DOCUMENT: usize = 20_000;

/// The columns a new posting's insert sets (all but `id`), in the order `row_values` binds (and
/// `posting_copy` writes), each with the type PostgreSQL's `json_to_recordset` reads it as.
pub(super) const INSERT_COLUMNS: [(&str, &str); 20] = [
    ("job_id", "text"),
    ("title", "text"),
    ("company", "text"),
    ("company_domain", "text"),
    ("company_industry", "text"),
    ("location", "text"),
    ("description", "text"),
    ("skills", "jsonb"),
    ("technology_slugs", "jsonb"),
    ("url", "text"),
    ("search_keywords", "text"),
    ("search_keywords_key", "text"),
    ("search_location", "text"),
    ("date_posted", "timestamptz"),
    ("scraped_at", "timestamptz"),
    ("updated_at", "timestamptz"),
    ("min_annual_salary_usd", "bigint"),
    ("max_annual_salary_usd", "bigint"),
    ("remote", "boolean"),
    ("coordinates", "jsonb"),
];

/// `INSERT_COLUMNS`' names, comma-separated.
pub(super) fn column_names() -> String {
    let names: Vec<&str> = INSERT_COLUMNS.iter().map(|(name, _)| *name).collect();
    names.join(", ")
}

/// Inserts new postings, a statement at a time; their ids, in order.
async fn insert_rows(
    conn: &impl ConnectionTrait,
    rows: Vec<job_posting::Model>,
) -> Result<Vec<i64>, DbErr> {
    let mut ids: Vec<i64> = Vec::with_capacity(rows.len());
    if conn.get_database_backend() == DbBackend::Postgres {
        for part in rows.chunks(ROWS_PER_DOCUMENT) {
            ids.extend(insert_document(conn, part).await?);
        }
        return Ok(ids);
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<job_posting::Model> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        ids.extend(insert_values(conn, part).await?);
    }
    Ok(ids)
}

/// SQLite: one hand-built multi-row statement. Built by hand rather than through
/// `insert_many`: at a million rows, the ORM's per-value expression trees and JSON values cost
/// more than the insert itself.
async fn insert_values(
    conn: &impl ConnectionTrait,
    rows: Vec<job_posting::Model>,
) -> Result<Vec<i64>, DbErr> {
    let backend = conn.get_database_backend();
    let count = rows.len();
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(count * INSERT_COLUMNS.len());
    for row in rows {
        values.extend(row_values(row)?);
    }
    let tuple = format!("({})", vec!["?"; INSERT_COLUMNS.len()].join(", "));
    let sql = format!(
        "INSERT INTO job_postings ({}) VALUES {}",
        column_names(),
        vec![tuple; count].join(", ")
    );
    // SQLite gives the rows of one statement consecutive ids (one writer, AUTOINCREMENT), and
    // RETURNING would hand each id across threads on its own.
    let done = conn
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let last = done.last_insert_id() as i64;
    Ok((last + 1 - count as i64..=last).collect())
}

/// PostgreSQL: the rows as one JSON document, one bound parameter, unpacked by
/// `json_to_recordset` (binding 20 parameters a row cost as much as the insert itself), in
/// `scraped_at` order: the heap keeps rows in the order they arrive, and a window's partial day
/// is read from the postings, so a day's postings on a few pages instead of one page each is
/// what makes that read cheap. The ids come back with their urls (unique within a batch).
async fn insert_document(
    conn: &impl ConnectionTrait,
    rows: &[job_posting::Model],
) -> Result<Vec<i64>, DbErr> {
    let mut document: Vec<DocumentRow<'_>> = rows.iter().map(DocumentRow::from).collect();
    document.sort_by_key(|row| row.scraped_at);
    let document = rollups::json_text(&document)?;
    let columns = column_names();
    let types: Vec<String> = INSERT_COLUMNS
        .iter()
        .map(|(name, kind)| format!("{name} {kind}"))
        .collect();
    let sql = format!(
        "INSERT INTO job_postings ({columns}) SELECT {columns} \
         FROM json_to_recordset(CAST($1 AS json)) AS rows({}) \
         RETURNING id, url",
        types.join(", ")
    );
    let returned = conn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [document.into()],
        ))
        .await?;
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(returned.len());
    for row in &returned {
        ids.insert(row.try_get("", "url")?, row.try_get("", "id")?);
    }
    rows.iter()
        .map(|row| {
            ids.get(&row.url)
                .copied()
                .ok_or_else(|| DbErr::Custom(format!("no id returned for {}", row.url)))
        })
        .collect()
}

/// A new posting in the PostgreSQL insert's JSON document (`INSERT_COLUMNS`); instants cut to
/// microseconds as a bound value would be, since PostgreSQL rounds the digits beyond.
#[derive(serde::Serialize)]
struct DocumentRow<'a> {
    job_id: Option<&'a str>,
    title: &'a str,
    company: &'a str,
    company_domain: Option<&'a str>,
    company_industry: Option<&'a str>,
    location: &'a str,
    description: &'a str,
    skills: &'a [String],
    technology_slugs: &'a [String],
    url: &'a str,
    search_keywords: &'a str,
    search_keywords_key: &'a str,
    search_location: &'a str,
    date_posted: Option<DateTime<Utc>>,
    scraped_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    min_annual_salary_usd: Option<i64>,
    max_annual_salary_usd: Option<i64>,
    remote: Option<bool>,
    coordinates: Option<&'a serde_json::Value>,
}

impl<'a> From<&'a job_posting::Model> for DocumentRow<'a> {
    fn from(row: &'a job_posting::Model) -> Self {
        DocumentRow {
            job_id: row.job_id.as_deref(),
            title: &row.title,
            company: &row.company,
            company_domain: row.company_domain.as_deref(),
            company_industry: row.company_industry.as_deref(),
            location: &row.location,
            description: &row.description,
            skills: &row.skills.0,
            technology_slugs: &row.technology_slugs.0,
            url: &row.url,
            search_keywords: &row.search_keywords,
            search_keywords_key: &row.search_keywords_key,
            search_location: &row.search_location,
            date_posted: row.date_posted.map(|at| at.trunc_subsecs(6)),
            scraped_at: row.scraped_at.trunc_subsecs(6),
            updated_at: row.updated_at.trunc_subsecs(6),
            min_annual_salary_usd: row.min_annual_salary_usd,
            max_annual_salary_usd: row.max_annual_salary_usd,
            remote: row.remote,
            coordinates: row.coordinates.as_ref(),
        }
    }
}

/// A new posting's values in `INSERT_COLUMNS` order; JSON columns as JSON text.
fn row_values(row: job_posting::Model) -> Result<[sea_orm::Value; 20], DbErr> {
    let to_text = |list: &StringList| rollups::json_text(&list.0);
    let coordinates = row
        .coordinates
        .as_ref()
        .map(rollups::json_text)
        .transpose()?;
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

/// The stored postings a batch could match, by `job_id` or `url`: two lookups on their unique
/// indexes, each list sent as one value (an `IN` list of a thousand bound values cost more to
/// build and bind than the lookup itself): a text array on PostgreSQL, a JSON document on
/// SQLite. On PostgreSQL the rows are locked (`FOR UPDATE`, in id order): a concurrent batch
/// updating the same posting waits for this one to commit and then reads its version, where it
/// would otherwise take the version before from the rollups a second time. SQLite's single
/// writer already runs batches one after another.
async fn find_stored(
    conn: &impl ConnectionTrait,
    batch: &[ValidPosting],
) -> Result<Vec<job_posting::Model>, DbErr> {
    let job_ids: Vec<&str> = batch
        .iter()
        .filter_map(|p| p.input.job_id.as_deref())
        .collect();
    let urls: Vec<&str> = batch.iter().map(|p| p.input.url.as_str()).collect();
    let postgres = conn.get_database_backend() == DbBackend::Postgres;
    let mut stored: Vec<job_posting::Model> = Vec::new();
    let mut seen: HashSet<i64> = HashSet::new();
    for (column, values) in [("job_id", job_ids), ("url", urls)] {
        if values.is_empty() {
            continue;
        }
        let (elements, list) = if postgres {
            (
                "unnest(CAST($1 AS text[])) AS value",
                rollups::text_array(&values),
            )
        } else {
            ("json_each(?)", rollups::json_text(&values)?.into())
        };
        let found = job_posting::Entity::find()
            .filter(Expr::cust_with_values(
                format!("{column} IN (SELECT value FROM {elements})"),
                [list],
            ))
            .order_by_asc(job_posting::Column::Id)
            .lock_exclusive()
            .all(conn)
            .await?;
        for row in found {
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
