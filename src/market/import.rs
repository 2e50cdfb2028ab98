//! Bulk import of job postings from a file: JSON Lines or CSV, in careerhub's own shape or in
//! TheirStack's job shape. Every row is validated on its own; a bad row is reported with its line
//! number and reason and never costs the rest of the file. Rows are written in chunks, one
//! transaction each; a chunk that fails in the database is replayed row by row.

use std::io::BufRead;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::{Map, Value};

use super::postings::{self, PostingInput, ValidPosting};
use super::store::{self, Upserted};
use crate::db::{self, Db};

/// Rows per transaction: large, because a chunk's rollup changes are summed before they are
/// written (20,000 postings over half a year touch about 0.9 rollup rows each, 5,000 about 1.8),
/// yet a chunk (parsed, planned and sent) stays some tens of megabytes.
const CHUNK: usize = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Csv,
}

impl Format {
    /// From the file name, else from the first byte (`{` means JSON Lines).
    pub fn detect(name: &str, first_byte: Option<u8>) -> Format {
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") {
            Format::Csv
        } else if lower.ends_with(".jsonl")
            || lower.ends_with(".ndjson")
            || first_byte == Some(b'{')
        {
            Format::JsonLines
        } else {
            Format::Csv
        }
    }
}

/// Optional values applied to rows that do not carry them.
#[derive(Clone, Debug, Default)]
pub struct ImportDefaults {
    pub search_keywords: Option<String>,
    pub search_location: Option<String>,
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: u64,
    pub updated: u64,
    /// (line number, reason).
    pub rejected: Vec<(usize, String)>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "inserted {}, updated {}, rejected {}",
            self.inserted,
            self.updated,
            self.rejected.len()
        )?;
        for (line, reason) in self.rejected.iter().take(100) {
            writeln!(f, "  line {line}: {reason}")?;
        }
        if self.rejected.len() > 100 {
            writeln!(f, "  … and {} more", self.rejected.len() - 100)?;
        }
        Ok(())
    }
}

/// Rows parsed and validated, ready to write.
struct ParsedChunk {
    valid: Vec<(usize, ValidPosting)>,
    rejected: Vec<(usize, String)>,
    rows_read: u64,
}

/// Imports every row of `reader`; `progress` is called with the number of rows read so far.
/// Parsing and validation run on a thread of their own, a chunk ahead of the database writes.
pub async fn import(
    db: &Db,
    reader: impl BufRead + Send + 'static,
    format: Format,
    defaults: &ImportDefaults,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<ImportReport> {
    let (chunks, mut parsed) = tokio::sync::mpsc::channel::<ParsedChunk>(2);
    let defaults = defaults.clone();
    let parser =
        tokio::task::spawn_blocking(move || parse_chunks(reader, format, &defaults, chunks));
    let mut report = ImportReport::default();
    while let Some(chunk) = parsed.recv().await {
        report.rejected.extend(chunk.rejected);
        write_chunk(db, chunk.valid, &mut report).await?;
        progress(chunk.rows_read);
    }
    parser.await?;
    report.rejected.sort_by_key(|(line, _)| *line);
    if report.inserted + report.updated >= CHUNK as u64 {
        refresh_statistics(db).await?;
    }
    Ok(report)
}

/// After a bulk import on PostgreSQL, the planner's statistics for the tables it filled, now
/// rather than when autovacuum gets to them: read with the statistics of an empty table, the
/// rollups were planned for a row a bucket where they hold hundreds (about a second at a
/// million postings; reads and writes go on meanwhile).
async fn refresh_statistics(db: &Db) -> Result<(), sea_orm::DbErr> {
    let conn = db.writer();
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        conn.execute_unprepared("ANALYZE job_postings, market_counts")
            .await?;
    }
    Ok(())
}

/// Reads, parses and validates rows into chunks until the file ends or the writer stops.
fn parse_chunks(
    reader: impl BufRead + Send + 'static,
    format: Format,
    defaults: &ImportDefaults,
    chunks: tokio::sync::mpsc::Sender<ParsedChunk>,
) {
    let mut chunk = ParsedChunk {
        valid: Vec::with_capacity(CHUNK),
        rejected: Vec::new(),
        rows_read: 0,
    };
    let mut rows_read = 0u64;
    for (line, parsed) in read_rows(reader, format) {
        rows_read += 1;
        match parsed
            .map(|input| with_defaults(input, defaults))
            .and_then(postings::validate)
        {
            Ok(valid) => chunk.valid.push((line, valid)),
            Err(reason) => chunk.rejected.push((line, reason)),
        }
        if chunk.valid.len() >= CHUNK {
            chunk.rows_read = rows_read;
            let full = std::mem::replace(
                &mut chunk,
                ParsedChunk {
                    valid: Vec::with_capacity(CHUNK),
                    rejected: Vec::new(),
                    rows_read: 0,
                },
            );
            if chunks.blocking_send(full).is_err() {
                return;
            }
        }
    }
    chunk.rows_read = rows_read;
    let _ = chunks.blocking_send(chunk);
}

fn with_defaults(mut input: PostingInput, defaults: &ImportDefaults) -> PostingInput {
    if input
        .search_keywords
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        input.search_keywords = defaults.search_keywords.clone();
    }
    if input
        .search_location
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        input.search_location = defaults.search_location.clone();
    }
    input
}

async fn write_chunk(
    db: &Db,
    chunk: Vec<(usize, ValidPosting)>,
    report: &mut ImportReport,
) -> anyhow::Result<()> {
    if chunk.is_empty() {
        return Ok(());
    }
    let now = db::now();
    let (lines, batch): (Vec<usize>, Vec<ValidPosting>) = chunk.into_iter().unzip();
    let written = write_batch(db, batch.clone(), now).await;
    match written {
        Ok(outcomes) => {
            db.postings_changed();
            for (line, outcome) in lines.into_iter().zip(outcomes) {
                record(report, line, outcome);
            }
            return Ok(());
        }
        Err(err) if db::is_connection_error(&err) => return Err(err.into()),
        Err(_) => {}
    }
    // The database refused the batch (say, a concurrent writer took one of its urls): replay it
    // one row at a time to find the row and keep the others.
    for (line, posting) in lines.into_iter().zip(batch) {
        let written = db::in_transaction(db.writer(), async |txn| {
            store::upsert_many(txn, vec![posting], now).await
        })
        .await;
        match written {
            Ok(mut outcomes) => {
                db.postings_changed();
                record(
                    report,
                    line,
                    outcomes.pop().unwrap_or(Err("not stored".into())),
                );
            }
            Err(err) if db::is_connection_error(&err) => return Err(err.into()),
            Err(err) => report
                .rejected
                .push((line, format!("could not be stored: {err}"))),
        }
    }
    Ok(())
}

/// One chunk in one transaction; on PostgreSQL one that can `COPY` the new postings.
async fn write_batch(
    db: &Db,
    batch: Vec<ValidPosting>,
    now: DateTime<Utc>,
) -> Result<Vec<Result<Upserted, String>>, sea_orm::DbErr> {
    let conn = db.writer();
    if conn.get_database_backend() == sea_orm::DbBackend::Postgres {
        db::in_copy_transaction(conn, async |txn| store::upsert_many(txn, batch, now).await).await
    } else {
        db::in_transaction(conn, async |txn| store::upsert_many(txn, batch, now).await).await
    }
}

fn record(report: &mut ImportReport, line: usize, outcome: Result<Upserted, String>) {
    match outcome {
        Ok(Upserted::Inserted(_)) => report.inserted += 1,
        Ok(Upserted::Updated(_)) => report.updated += 1,
        Err(reason) => report.rejected.push((line, reason)),
    }
}

/// Each data row with its line number (1-based; a CSV's header is line 1).
fn read_rows(
    reader: impl BufRead + Send + 'static,
    format: Format,
) -> Box<dyn Iterator<Item = (usize, Result<PostingInput, String>)> + Send> {
    match format {
        Format::JsonLines => Box::new(
            reader
                .lines()
                .enumerate()
                .map(|(index, line)| (index + 1, line.map_err(|err| format!("unreadable: {err}"))))
                .filter(|(_, line)| line.as_ref().map_or(true, |l| !l.trim().is_empty()))
                .map(|(number, line)| (number, line.and_then(|l| parse_json_line(&l)))),
        ),
        Format::Csv => {
            let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
            let headers = csv.headers().cloned().unwrap_or_default();
            Box::new(csv.into_records().enumerate().map(move |(index, record)| {
                let row = record
                    .map_err(|err| format!("not valid CSV: {err}"))
                    .and_then(|record| posting_from_value(csv_object(&headers, &record)));
                (index + 2, row)
            }))
        }
    }
}

fn parse_json_line(line: &str) -> Result<PostingInput, String> {
    let value: Value =
        serde_json::from_str(line).map_err(|err| format!("not valid JSON: {err}"))?;
    if !value.is_object() {
        return Err("not a JSON object".into());
    }
    posting_from_value(value)
}

/// A row in either shape: TheirStack's jobs carry `job_title`.
fn posting_from_value(value: Value) -> Result<PostingInput, String> {
    if value.get("job_title").is_some() {
        from_theirstack(&value)
    } else {
        serde_json::from_value(value).map_err(|err| format!("not a posting: {err}"))
    }
}

/// Maps a TheirStack job object onto ours.
pub fn from_theirstack(job: &Value) -> Result<PostingInput, String> {
    let text = |key: &str| {
        job.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .filter(|s| !s.is_empty())
    };
    let id = match job.get("id") {
        Some(Value::Number(n)) => Some(format!("theirstack_{n}")),
        Some(Value::String(s)) if !s.is_empty() => Some(format!("theirstack_{s}")),
        _ => None,
    };
    Ok(PostingInput {
        job_id: id,
        title: text("job_title").unwrap_or_default(),
        company: text("company")
            .or_else(|| {
                job.pointer("/company_object/name")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default(),
        company_domain: text("company_domain"),
        company_industry: job
            .pointer("/company_object/industry")
            .and_then(Value::as_str)
            .map(str::to_owned),
        location: text("location").or_else(|| text("short_location")),
        description: text("description"),
        technology_slugs: string_list(job.get("technology_slugs")),
        skills: None,
        url: text("url")
            .or_else(|| text("final_url"))
            .or_else(|| text("source_url"))
            .unwrap_or_default(),
        search_keywords: None,
        search_location: None,
        date_posted: text("date_posted").as_deref().and_then(parse_date_time),
        min_annual_salary_usd: whole_number(job.get("min_annual_salary_usd")),
        max_annual_salary_usd: whole_number(job.get("max_annual_salary_usd")),
        remote: job.get("remote").and_then(Value::as_bool),
        coordinates: None,
        scraped_at: text("discovered_at").as_deref().and_then(parse_date_time),
    })
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn whole_number(value: Option<&Value>) -> Option<i64> {
    value.and_then(|v| v.as_i64().or_else(|| v.as_f64().map(|f| f.round() as i64)))
}

/// `2025-10-20` or an RFC 3339 timestamp.
pub(super) fn parse_date_time(raw: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .map(|dt| dt.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// A CSV record as a JSON object, typed by field: numbers, booleans and lists (a JSON array or
/// `|`-separated) where the posting shapes expect them; empty cells absent but for titles.
fn csv_object(headers: &csv::StringRecord, record: &csv::StringRecord) -> Value {
    let mut object = Map::new();
    for (header, cell) in headers.iter().zip(record.iter()) {
        let cell = cell.trim();
        // An empty title still says which shape the row is in (and that its title is missing).
        if cell.is_empty() && !matches!(header.trim(), "title" | "job_title") {
            continue;
        }
        let value = match header.trim() {
            "technology_slugs" | "skills" => {
                Value::Array(list_cell(cell).into_iter().map(Value::String).collect())
            }
            "min_annual_salary_usd" | "max_annual_salary_usd" | "id" => cell
                .parse::<f64>()
                .map(|n| serde_json::json!(n.round() as i64))
                .unwrap_or_else(|_| Value::String(cell.into())),
            "remote" => match cell.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Value::Bool(true),
                "false" | "0" | "no" => Value::Bool(false),
                _ => Value::String(cell.into()),
            },
            "date_posted" => match parse_date_time(cell) {
                Some(at) => Value::String(at.to_rfc3339()),
                None => Value::String(cell.into()),
            },
            _ => Value::String(cell.into()),
        };
        object.insert(header.trim().to_owned(), value);
    }
    Value::Object(object)
}

fn list_cell(cell: &str) -> Vec<String> {
    if cell.starts_with('[')
        && let Ok(items) = serde_json::from_str::<Vec<String>>(cell)
    {
        return items;
    }
    cell.split('|')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theirstack_job_maps_onto_a_posting() {
        let job = serde_json::json!({
            "id": 123456, "job_title": "Senior Software Engineer", "company": "Tech Corp",
            "company_domain": "techcorp.com", "location": "San Francisco, CA", "description": "We are looking for…",
            "technology_slugs": ["python", "react"], "min_annual_salary_usd": 120000.0, "max_annual_salary_usd": 180000,
            "remote": true, "date_posted": "2025-10-20", "url": "https://jobs.example.com/123",
            "company_object": {"industry": "Financial Services", "name": "Tech Corp"}
        });
        let posting = from_theirstack(&job).unwrap();
        assert_eq!(posting.job_id.as_deref(), Some("theirstack_123456"));
        assert_eq!(
            (posting.title.as_str(), posting.company.as_str()),
            ("Senior Software Engineer", "Tech Corp")
        );
        assert_eq!(posting.technology_slugs, ["python", "react"]);
        assert_eq!(
            (posting.min_annual_salary_usd, posting.max_annual_salary_usd),
            (Some(120000), Some(180000))
        );
        assert_eq!(
            posting.date_posted.unwrap().to_rfc3339(),
            "2025-10-20T00:00:00+00:00"
        );
        assert_eq!(
            posting.company_industry.as_deref(),
            Some("Financial Services")
        );
    }

    #[test]
    fn csv_cells_are_typed_by_field() {
        let headers = csv::StringRecord::from(vec![
            "title",
            "technology_slugs",
            "remote",
            "max_annual_salary_usd",
            "location",
        ]);
        let record = csv::StringRecord::from(vec!["Dev", "python|aws", "yes", "150000", ""]);
        assert_eq!(
            csv_object(&headers, &record),
            serde_json::json!({"title": "Dev", "technology_slugs": ["python", "aws"], "remote": true, "max_annual_salary_usd": 150000})
        );
        assert_eq!(list_cell(r#"["a","b"]"#), ["a", "b"]);
    }

    #[test]
    fn the_format_comes_from_the_name_or_the_first_byte() {
        assert_eq!(Format::detect("jobs.csv", Some(b'{')), Format::Csv);
        assert_eq!(Format::detect("jobs.jsonl", None), Format::JsonLines);
        assert_eq!(Format::detect("jobs.txt", Some(b'{')), Format::JsonLines);
        assert_eq!(Format::detect("jobs", Some(b't')), Format::Csv);
    }
}
