//! Scanned resumes read by OCR: a PDF without a text layer or a photo of a resume is answered at
//! once with its text `pending`, and a worker job reads it with Tesseract (a PDF's first pages
//! rasterised by Poppler's `pdftoppm` first; both from Debian's packages). The tools run as child
//! processes under memory and CPU limits and one overall time limit, so a hostile file can only
//! end its own reading. The text then fills in, or the resume is marked as holding none.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::resume;
use super::text::{DocumentKind, normalize};
use crate::db;
use crate::queue::worker::{JobError, kinds};
use crate::queue::{Claim, NewJob};
use crate::sandbox::child::set_limit;
use crate::state::AppState;

/// A resume's text is read.
pub const TEXT_READ: &str = "read";
/// OCR is reading the resume.
pub const TEXT_PENDING: &str = "pending";
/// The resume holds no text OCR could read either.
pub const TEXT_UNREADABLE: &str = "unreadable";

/// How long reading one resume may take, rasterising and every page together.
const OCR_TIME_LIMIT: Duration = Duration::from_secs(90);
/// Pages of a PDF read: a resume is one or two; a 300-page scan is not read whole.
const MAX_PAGES: u32 = 4;
/// Each tool's address space and CPU time.
const TOOL_MEMORY_BYTES: u64 = 1536 * 1024 * 1024;
const TOOL_CPU_SECONDS: u64 = 120;

/// The job that reads one resume.
pub fn ocr_job(resume_id: i64) -> NewJob {
    NewJob::new(kinds::RESUME_OCR, json!({"resume_id": resume_id}))
}

/// Why OCR gave nothing.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("the OCR tools are not installed ({0})")]
    Missing(String),
    #[error("reading took longer than {} s", OCR_TIME_LIMIT.as_secs())]
    TimedOut,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The worker job: reads the resume's file and records its text, only while it is still
/// pending (a resume deleted meanwhile is left alone).
pub async fn run_ocr_job(state: &AppState, claim: &Claim, payload: &Value) -> Result<(), JobError> {
    let id = payload["resume_id"]
        .as_i64()
        .ok_or_else(|| JobError::permanent("payload has no resume_id"))?;
    let row = resume::Entity::find_by_id(id)
        .one(state.db.reader())
        .await
        .map_err(|err| JobError::retry(err.to_string()))?;
    let Some(row) = row.filter(|r| r.text_status == TEXT_PENDING) else {
        return Ok(());
    };
    let (Some(key), Some(kind)) = (row.file_key.as_deref(), kind_of(row.file_type.as_deref()))
    else {
        return record(state, claim, id, "").await;
    };
    let bytes = state
        .storage
        .get(key)
        .await
        .map_err(|err| JobError::retry(format!("reading the file: {err}")))?;
    match tokio::time::timeout(OCR_TIME_LIMIT, read_scan(kind, &bytes)).await {
        Ok(Ok(text)) => record(state, claim, id, &normalize(&text)).await,
        Ok(Err(err)) => {
            tracing::warn!(resume = id, error = %err, "OCR gave no text");
            record(state, claim, id, "").await
        }
        Err(_) => {
            tracing::warn!(resume = id, error = %OcrError::TimedOut, "OCR gave no text");
            record(state, claim, id, "").await
        }
    }
}

fn kind_of(file_type: Option<&str>) -> Option<DocumentKind> {
    match file_type? {
        "pdf" => Some(DocumentKind::Pdf),
        "png" => Some(DocumentKind::Png),
        "jpg" => Some(DocumentKind::Jpeg),
        _ => None,
    }
}

/// Stores the text (or marks the resume unreadable) if it is still pending, under the run's
/// claim.
async fn record(state: &AppState, claim: &Claim, id: i64, text: &str) -> Result<(), JobError> {
    let status = if text.trim().is_empty() {
        TEXT_UNREADABLE
    } else {
        TEXT_READ
    };
    let txn = claim
        .begin_result(state.db.writer(), state.clock.now_utc())
        .await?;
    resume::Entity::update_many()
        .col_expr(resume::Column::ParsedText, Expr::value(text))
        .col_expr(resume::Column::TextStatus, Expr::value(status))
        .col_expr(resume::Column::UpdatedAt, Expr::value(db::now()))
        .filter(resume::Column::Id.eq(id))
        .filter(resume::Column::TextStatus.eq(TEXT_PENDING))
        .exec(&txn)
        .await?;
    claim.commit_result(txn).await
}

/// A scratch folder removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The text of a scanned PDF or an image.
pub async fn read_scan(kind: DocumentKind, bytes: &[u8]) -> Result<String, OcrError> {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("careerhub-ocr-{}", uuid::Uuid::new_v4())));
    tokio::fs::create_dir_all(&scratch.0).await?;
    let input = scratch.0.join(format!("input.{}", kind.extension()));
    tokio::fs::write(&input, bytes).await?;
    let pages = match kind {
        DocumentKind::Pdf => rasterise(&input, &scratch.0).await?,
        _ => vec![input],
    };
    let mut text = String::new();
    for page in pages {
        let output = run_tool("tesseract", &[page.as_os_str(), "stdout".as_ref()]).await?;
        text.push_str(&String::from_utf8_lossy(&output));
        text.push('\n');
    }
    Ok(text)
}

/// A PDF's first pages as PNG files, in page order.
async fn rasterise(pdf: &Path, dir: &Path) -> Result<Vec<PathBuf>, OcrError> {
    let prefix = dir.join("page");
    let last = MAX_PAGES.to_string();
    run_tool(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "200".as_ref(),
            "-l".as_ref(),
            last.as_ref(),
            "-png".as_ref(),
            pdf.as_os_str(),
            prefix.as_os_str(),
        ],
    )
    .await?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "png"))
        .collect();
    // pdftoppm pads page numbers to the same width, so names sort in page order.
    pages.sort();
    Ok(pages)
}

/// Runs a tool under the limits and answers its standard output; a failing tool gives what it
/// printed (an unreadable file simply reads as no text).
async fn run_tool(program: &str, args: &[&std::ffi::OsStr]) -> Result<Vec<u8>, OcrError> {
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit, which
    // is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            set_limit(libc::RLIMIT_AS, TOOL_MEMORY_BYTES)?;
            set_limit(libc::RLIMIT_CPU, TOOL_CPU_SECONDS)?;
            set_limit(libc::RLIMIT_CORE, 0)
        });
    }
    let output = command.output().await.map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => OcrError::Missing(program.to_owned()),
        _ => OcrError::Io(err),
    })?;
    Ok(output.stdout)
}
