//! Resume files to text: the kind decided from the bytes (never the name), PDF through
//! pdf_oxide, DOCX through office_oxide, plain text as is. Parsing runs in a parser child
//! (`sandbox`) with a time limit, and a crash, a panic or a timeout gives `""` rather than an
//! error: an unreadable resume is still stored, just not analysable.

use std::io::Cursor;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::sandbox::protocol::{Answer, Task};
use crate::sandbox::{Sandbox, SandboxError};

/// How long one document may take to parse.
pub const PARSE_TIME_LIMIT: Duration = Duration::from_secs(10);
/// Longer text is cut: no resume is this long, and the analysis reads it whole.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// What an uploaded resume is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Pdf,
    Docx,
    Txt,
}

impl DocumentKind {
    /// The stored file's extension.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Docx => "docx",
            DocumentKind::Txt => "txt",
        }
    }

    pub fn content_type(self) -> &'static str {
        crate::storage::content_type_of(self.extension())
    }

    /// Decides the kind from the first bytes: `%PDF-`, a ZIP holding `word/` parts, or UTF-8
    /// text without control characters. Anything else is not a resume we can read.
    pub fn sniff(bytes: &[u8]) -> Option<DocumentKind> {
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            return Some(DocumentKind::Pdf);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return contains(bytes, b"word/document.xml").then_some(DocumentKind::Docx);
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let plain = text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
        (plain && !text.trim().is_empty()).then_some(DocumentKind::Txt)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The document's text, normalised, read in a parser child; `""` when the document cannot be
/// read (the parser failed, crashed or ran out of time). Only a pool that cannot start a child
/// is an error (503): the file itself is not at fault then.
pub async fn extract_text(
    sandbox: &Sandbox,
    kind: DocumentKind,
    bytes: &[u8],
) -> ApiResult<String> {
    if kind == DocumentKind::Txt {
        // Text needs no parser: nothing third-party runs on it.
        return Ok(read_text(kind, bytes));
    }
    match sandbox
        .run(Task::ResumeText { kind }, bytes, PARSE_TIME_LIMIT)
        .await
    {
        Ok((Answer::Text { text, .. }, _)) => Ok(text),
        Ok(_) | Err(SandboxError::TimedOut(_) | SandboxError::Crashed(_)) => {
            tracing::info!(kind = ?kind, "resume could not be read; stored without text");
            Ok(String::new())
        }
        Err(SandboxError::Unavailable(_)) => Err(ApiError::Unavailable(
            "Resumes cannot be read right now. Nothing was stored; try again later.".into(),
        )),
    }
}

/// The document's text, normalised, synchronously; `""` when the parser fails or panics (the
/// third-party parsers are not trusted not to). What the fuzz target drives.
pub fn read_text(kind: DocumentKind, bytes: &[u8]) -> String {
    match std::panic::catch_unwind(AssertUnwindSafe(|| parse(kind, bytes))) {
        Ok(Ok(text)) => normalize(&text),
        Ok(Err(err)) => {
            tracing::info!(kind = ?kind, error = %err, "resume could not be parsed");
            String::new()
        }
        Err(_) => {
            tracing::warn!(kind = ?kind, "resume parser panicked");
            String::new()
        }
    }
}

/// Parses synchronously (for benchmarks and the blocking pool).
pub fn parse(kind: DocumentKind, bytes: &[u8]) -> anyhow::Result<String> {
    match kind {
        DocumentKind::Pdf => {
            let document = pdf_oxide::PdfDocument::from_bytes(bytes.to_vec())?;
            Ok(document.extract_all_text()?)
        }
        DocumentKind::Docx => {
            let document = office_oxide::docx::DocxDocument::from_reader(Cursor::new(bytes))?;
            Ok(document.plain_text())
        }
        DocumentKind::Txt => Ok(String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// Lines trimmed, runs of spaces collapsed, at most one blank line in a row, page breaks as
/// line breaks, capped at `MAX_TEXT_CHARS`.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    for line in raw.split(['\n', '\u{c}']) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(&line);
        out.push('\n');
    }
    let trimmed = out.trim_end();
    match trimmed.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => trimmed[..cut].to_owned(),
        None => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `scripts/fuzz.sh` (resume_text, `CAREERHUB_FUZZ_STRICT=1`): an object header
    /// that is not UTF-8 makes pdf_oxide 0.3.78 slice a string inside a character and panic
    /// (`has_standalone_obj_keyword`). The pipeline must contain that: the upload keeps the file
    /// (with no text) instead of failing, and the panic never reaches the caller.
    #[test]
    fn a_pdf_that_panics_the_parser_gives_no_text() {
        let mut pdf = include_bytes!("../../tests/fixtures/resume-chromium.pdf").to_vec();
        let header = b"13 0 obj";
        let at = pdf.windows(header.len()).position(|w| w == header).unwrap();
        pdf[at..at + 4].copy_from_slice(b"\xff\xff\xffR");
        // The first parse of the file in a process panics; pdf_oxide keeps state between calls,
        // and a second parse of the same bytes succeeds. Either way nothing escapes.
        for _ in 0..2 {
            let text = read_text(DocumentKind::Pdf, &pdf);
            assert!(
                text.is_empty() || text.starts_with("Priya Sharma"),
                "{text}"
            );
        }
    }

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(
            DocumentKind::sniff(b"%PDF-1.7\n..."),
            Some(DocumentKind::Pdf)
        );
        assert_eq!(
            DocumentKind::sniff(b"Jane Doe\nRust engineer\n"),
            Some(DocumentKind::Txt)
        );
        assert_eq!(DocumentKind::sniff(b"PK\x03\x04 not a word file"), None);
        assert_eq!(DocumentKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert_eq!(DocumentKind::sniff(b"   \n"), None);
    }

    #[test]
    fn text_is_normalised() {
        assert_eq!(
            normalize("  Jane   Doe \r\n\n\n\nRust\u{c}Go  \n"),
            "Jane Doe\n\nRust\nGo"
        );
    }
}
