//! New postings into PostgreSQL by `COPY`: ids drawn from the table's sequence first (`COPY`
//! returns none), then the rows in `COPY`'s text format, in `scraped_at` order, encoded on a
//! thread of their own while the batch's other statements run and sent a piece at a time, so
//! PostgreSQL reads one piece while the next is made. Against the multi-row insert of one JSON
//! document, PostgreSQL no longer parses the document twice (once to check it, once to unpack
//! it) nor sends every row's id and url back.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};
use tokio::sync::mpsc;

use super::job_posting;
use super::rollups::json_text;
use super::store::column_names;
use crate::db::CopyTransaction;

/// Bytes of rows per piece sent.
const PIECE_BYTES: usize = 1 << 20;

/// A `COPY` of new postings under way: their ids, and their rows being encoded.
pub struct PendingCopy {
    ids: Vec<i64>,
    pieces: mpsc::Receiver<Result<Vec<u8>, DbErr>>,
}

/// Draws ids for `rows` (their own `id`s are ignored) and starts encoding them.
pub async fn start(
    txn: &CopyTransaction,
    rows: Arc<Vec<job_posting::Model>>,
) -> Result<PendingCopy, DbErr> {
    let (sender, pieces) = mpsc::channel(64);
    if rows.is_empty() {
        return Ok(PendingCopy {
            ids: Vec::new(),
            pieces,
        });
    }
    let ids = draw_ids(txn, rows.len()).await?;
    let for_encoder = ids.clone();
    tokio::task::spawn_blocking(move || encode_rows(&rows, &for_encoder, &sender));
    Ok(PendingCopy { ids, pieces })
}

impl PendingCopy {
    /// Sends the rows; their ids, in the order the rows were given.
    pub async fn finish(mut self, txn: &CopyTransaction) -> Result<Vec<i64>, DbErr> {
        if self.ids.is_empty() {
            return Ok(self.ids);
        }
        let statement = format!(
            "COPY job_postings (id, {}) FROM STDIN (FORMAT text)",
            column_names()
        );
        let copied = txn.copy_in(&statement, &mut self.pieces).await?;
        if copied != self.ids.len() as u64 {
            return Err(DbErr::Custom(format!(
                "COPY stored {copied} postings of {}",
                self.ids.len()
            )));
        }
        Ok(self.ids)
    }
}

/// `count` ids from `job_postings`' own sequence, so later plain inserts never collide.
async fn draw_ids(txn: &CopyTransaction, count: usize) -> Result<Vec<i64>, DbErr> {
    // The sequence's name first: as an argument of `nextval` it would be looked up per id.
    let sequence: String = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_get_serial_sequence('job_postings', 'id') AS name",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("job_postings has no id sequence".into()))?
        .try_get("", "name")?;
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT nextval(CAST($1 AS regclass)) AS id FROM generate_series(1, $2)",
            [sequence.into(), (count as i64).into()],
        ))
        .await?;
    rows.iter().map(|row| row.try_get("", "id")).collect()
}

/// Encodes `rows` with their `ids` into pieces of about `PIECE_BYTES`, in `scraped_at` order:
/// the heap keeps rows in the order they arrive, and a window's partial quarter is read from
/// the postings, so a quarter's postings sit on a few pages instead of a page each. Stops when
/// the receiver is gone.
fn encode_rows(
    rows: &[job_posting::Model],
    ids: &[i64],
    pieces: &mpsc::Sender<Result<Vec<u8>, DbErr>>,
) {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&index| rows[index].scraped_at);
    let mut piece: Vec<u8> = Vec::with_capacity(PIECE_BYTES + 4_096);
    for index in order {
        if let Err(err) = encode_row(&mut piece, ids[index], &rows[index]) {
            let _ = pieces.blocking_send(Err(err));
            return;
        }
        if piece.len() >= PIECE_BYTES {
            let full = std::mem::replace(&mut piece, Vec::with_capacity(PIECE_BYTES + 4_096));
            if pieces.blocking_send(Ok(full)).is_err() {
                return;
            }
        }
    }
    if !piece.is_empty() {
        let _ = pieces.blocking_send(Ok(piece));
    }
}

/// One row in `COPY`'s text format: `id`, then `INSERT_COLUMNS` in order, tab-separated;
/// `None` is SQL NULL.
fn encode_row(out: &mut Vec<u8>, id: i64, row: &job_posting::Model) -> Result<(), DbErr> {
    write!(out, "{id}").map_err(io_err)?;
    fn text(value: Option<&str>) -> Option<Cow<'_, str>> {
        value.map(Cow::Borrowed)
    }
    fn made(value: Option<String>) -> Option<Cow<'static, str>> {
        value.map(Cow::Owned)
    }
    let fields: [Option<Cow<'_, str>>; 20] = [
        text(row.job_id.as_deref()),
        text(Some(row.title.as_str())),
        text(Some(row.company.as_str())),
        text(row.company_domain.as_deref()),
        text(row.company_industry.as_deref()),
        text(Some(row.location.as_str())),
        text(Some(row.description.as_str())),
        made(Some(json_text(&row.skills.0)?)),
        made(Some(json_text(&row.technology_slugs.0)?)),
        text(Some(row.url.as_str())),
        text(Some(row.search_keywords.as_str())),
        text(Some(row.search_keywords_key.as_str())),
        text(Some(row.search_location.as_str())),
        made(row.date_posted.map(instant)),
        made(Some(instant(row.scraped_at))),
        made(Some(instant(row.updated_at))),
        made(row.min_annual_salary_usd.map(|n| n.to_string())),
        made(row.max_annual_salary_usd.map(|n| n.to_string())),
        text(row.remote.map(|on| if on { "t" } else { "f" })),
        made(row.coordinates.as_ref().map(json_text).transpose()?),
    ];
    for field in &fields {
        out.push(b'\t');
        match field {
            None => out.extend_from_slice(b"\\N"),
            Some(value) => escape_into(out, value),
        }
    }
    out.push(b'\n');
    Ok(())
}

/// An instant as PostgreSQL reads a `timestamptz`, cut to microseconds as a bound value is.
fn instant(at: DateTime<Utc>) -> String {
    at.trunc_subsecs(6)
        .format("%Y-%m-%d %H:%M:%S%.6f+00")
        .to_string()
}

/// `text` with `COPY`'s text-format escapes: backslash, tab, newline and carriage return.
fn escape_into(out: &mut Vec<u8>, text: &str) {
    for &byte in text.as_bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

fn io_err(err: std::io::Error) -> DbErr {
    DbErr::Custom(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_would_end_a_field_or_a_row() {
        let mut out = Vec::new();
        escape_into(&mut out, "a\\b\tc\nd\re é");
        assert_eq!(out, "a\\\\b\\tc\\nd\\re é".as_bytes());
    }

    #[test]
    fn instants_are_written_to_the_microsecond_in_utc() {
        let at = DateTime::parse_from_rfc3339("2026-06-09T21:47:35.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(instant(at), "2026-06-09 21:47:35.123456+00");
    }
}
