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
    /// A photo or scan of a resume: no text layer, read by OCR.
    Png,
    Jpeg,
}

impl DocumentKind {
    /// The stored file's extension.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Docx => "docx",
            DocumentKind::Txt => "txt",
            DocumentKind::Png => "png",
            DocumentKind::Jpeg => "jpg",
        }
    }

    /// Whether a file of this kind may hold its text only as pixels (a scan), for OCR to read.
    pub fn may_be_scanned(self) -> bool {
        matches!(
            self,
            DocumentKind::Pdf | DocumentKind::Png | DocumentKind::Jpeg
        )
    }

    pub fn content_type(self) -> &'static str {
        crate::storage::content_type_of(self.extension())
    }

    /// Decides the kind from the first bytes: `%PDF-`, a ZIP holding `word/` parts, a PNG or
    /// JPEG signature, or UTF-8 text without control characters. Anything else is not a resume
    /// we can read.
    pub fn sniff(bytes: &[u8]) -> Option<DocumentKind> {
        let head = &bytes[..bytes.len().min(1024)];
        if head.windows(5).any(|w| w == b"%PDF-") {
            return Some(DocumentKind::Pdf);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(DocumentKind::Png);
        }
        if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            return Some(DocumentKind::Jpeg);
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
    if matches!(
        kind,
        DocumentKind::Txt | DocumentKind::Png | DocumentKind::Jpeg
    ) {
        // Text needs no parser, and an image has no text layer: nothing third-party runs here.
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
        // Pixels only: OCR reads them in the worker (`resumes::ocr`).
        DocumentKind::Png | DocumentKind::Jpeg => Ok(String::new()),
    }
}

/// Lines trimmed, runs of spaces collapsed, ligatures spelled out ("ﬃ" → "ffi"), sentences a
/// layout glued together split again, at most one blank line in a row, page breaks as line
/// breaks, capped at `MAX_TEXT_CHARS`.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_run = 0;
    let spelled = expand_ligatures(raw);
    let unglued = unglue_sentences(&spelled);
    for line in unglued.split(['\n', '\u{c}']) {
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

/// Typographic ligatures as their letters, so "eﬃcient" reads (and matches) as "efficient".
fn expand_ligatures(text: &str) -> std::borrow::Cow<'_, str> {
    let ligature = |c: char| ('\u{fb00}'..='\u{fb06}').contains(&c);
    if !text.contains(ligature) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            other => out.push(other),
        }
    }
    out.into()
}

/// A line break lost between two sentences ("serving 500k users.Introduced Docker": a PDF's
/// lines joined without a separator) put back: a period between a lower-case letter, digit or
/// closing bracket and a capitalised word. "Node.js", "ASP.NET" and "e.g. Kafka" are left as
/// they are.
fn unglue_sentences(text: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let glued = |i: usize| {
        chars[i] == '.'
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || matches!(chars[i - 1], ')' | '%'))
            && chars.get(i + 1).is_some_and(|c| c.is_uppercase())
            && chars.get(i + 2).is_some_and(|c| c.is_lowercase())
    };
    if !(0..chars.len()).any(glued) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        out.push(c);
        if glued(i) {
            out.push('\n');
        }
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_are_spelled_out_and_glued_sentences_split() {
        assert_eq!(
            normalize("box o\u{fb03}ce, \u{fb01}nance, e\u{fb00}ort"),
            "box office, finance, effort"
        );
        assert_eq!(
            normalize("serving 500k users.Introduced Docker (p99 down 40%).Led a team of 4"),
            "serving 500k users.\nIntroduced Docker (p99 down 40%).\nLed a team of 4"
        );
        assert_eq!(
            normalize("Node.js and ASP.NET, e.g. Kafka; U.S.A"),
            "Node.js and ASP.NET, e.g. Kafka; U.S.A"
        );
    }

    /// A PDF whose font maps a glyph to the "ﬃ" ligature (as TeX fonts do): pdf_oxide gives
    /// U+FB03, the stored text "office".
    #[test]
    fn a_pdf_with_ligature_glyphs_reads_as_plain_letters() {
        let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /L def \
            1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <01> <FB03> endbfchar \
            1 beginbfrange <20> <7E> <0020> endbfrange endcmap CMapName currentdict /CMap \
            defineresource pop end end";
        let content = "BT /F1 11 Tf 72 700 Td (Box o\\001ce manager, e\\001cient) Tj ET";
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_owned(),
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>".to_owned(),
            format!("<< /Length {} >>\nstream\n{cmap}\nendstream", cmap.len()),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (n, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", n + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        assert_eq!(
            read_text(DocumentKind::Pdf, &pdf),
            "Box office manager, efficient"
        );
    }

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
        // Scans and photos are resumes for OCR; other images are not.
        assert_eq!(
            DocumentKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(DocumentKind::Png)
        );
        assert_eq!(
            DocumentKind::sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"),
            Some(DocumentKind::Jpeg)
        );
        assert_eq!(DocumentKind::sniff(b"GIF89a\x01\0\x01\0\x80\0"), None);
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
