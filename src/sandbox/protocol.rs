//! The pipe protocol between the server and a parser child: each message is a frame of a JSON
//! header and a raw payload (a file, a page, encoded images), each preceded by its length as a
//! little-endian `u32`. JSON carries the small structured part; the bytes travel as they are.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::images::{CleanImage, ImageError, Output};
use crate::resumes::text::DocumentKind;
use crate::tracker::page::PageVerdict;

/// The first frame a child writes, so the server knows it started the right program.
pub const HELLO: &str = "careerhub-sandbox/1";
/// A header longer than this is a broken peer, not a message.
const MAX_HEADER_BYTES: u32 = 8 * 1024 * 1024;
/// Payloads are at most an upload (10 MB) or a page, plus encoded images; this bounds a broken
/// peer's claim before anything is allocated.
const MAX_PAYLOAD_BYTES: u32 = 256 * 1024 * 1024;

/// What the server asks a child to do; the payload is the document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Task {
    /// A resume's text (`resumes::text::read_text`).
    ResumeText { kind: DocumentKind },
    /// One decode of an image, re-encoded once per output (`images::clean_many`).
    Images { outputs: Vec<Output> },
    /// A job page's verdict (`tracker::page::extract_job`); the payload is the HTML.
    JobPage { url: String },
}

impl Task {
    /// The label of this kind of task in metrics and logs.
    pub fn label(&self) -> &'static str {
        match self {
            Task::ResumeText { .. } => "resume_text",
            Task::Images { .. } => "images",
            Task::JobPage { .. } => "job_page",
        }
    }
}

/// What a child answers; image bytes follow in the payload, in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    Hello {
        protocol: String,
    },
    Text {
        text: String,
        peak_rss_bytes: u64,
    },
    Images {
        result: Result<Vec<ImageInfo>, ImageError>,
        peak_rss_bytes: u64,
    },
    Page {
        /// `None` when the extractor panicked on the page.
        verdict: Option<PageVerdict>,
        peak_rss_bytes: u64,
    },
    /// The request could not be understood (a bug on one side, never a document's fault).
    Refused {
        reason: String,
    },
}

impl Answer {
    /// The child's peak resident memory so far, when the answer reports it.
    pub fn peak_rss_bytes(&self) -> Option<u64> {
        match self {
            Answer::Text { peak_rss_bytes, .. }
            | Answer::Images { peak_rss_bytes, .. }
            | Answer::Page { peak_rss_bytes, .. } => Some(*peak_rss_bytes),
            Answer::Hello { .. } | Answer::Refused { .. } => None,
        }
    }
}

/// A cleaned image without its bytes (they travel in the payload).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageInfo {
    pub len: usize,
    pub extension: String,
    pub width: u32,
    pub height: u32,
}

impl ImageInfo {
    pub fn of(image: &CleanImage) -> ImageInfo {
        ImageInfo {
            len: image.bytes.len(),
            extension: image.extension.to_owned(),
            width: image.width,
            height: image.height,
        }
    }
}

/// Writes one frame and flushes it.
pub fn write_frame(
    out: &mut impl Write,
    header: &impl Serialize,
    payload: &[u8],
) -> io::Result<()> {
    out.write_all(&encode_head(header, payload.len())?)?;
    out.write_all(payload)?;
    out.flush()
}

/// Everything of a frame before its payload: the header's length, the header, the payload's
/// length.
pub fn encode_head(header: &impl Serialize, payload_len: usize) -> io::Result<Vec<u8>> {
    let header = serde_json::to_vec(header).map_err(io::Error::other)?;
    let mut head = Vec::with_capacity(header.len() + 8);
    head.extend_from_slice(&frame_len(header.len())?.to_le_bytes());
    head.extend_from_slice(&header);
    head.extend_from_slice(&frame_len(payload_len)?.to_le_bytes());
    Ok(head)
}

fn frame_len(len: usize) -> io::Result<u32> {
    u32::try_from(len).map_err(|_| io::Error::other("frame part over 4 GiB"))
}

/// Reads one frame; `None` at a clean end of input (the other side closed the pipe).
pub fn read_frame<H: for<'de> Deserialize<'de>>(
    input: &mut impl Read,
) -> io::Result<Option<(H, Vec<u8>)>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(err) => return Err(err),
    }
    let header = read_part(input, u32::from_le_bytes(len), MAX_HEADER_BYTES)?;
    let header = serde_json::from_slice(&header).map_err(io::Error::other)?;
    input.read_exact(&mut len)?;
    let payload = read_part(input, u32::from_le_bytes(len), MAX_PAYLOAD_BYTES)?;
    Ok(Some((header, payload)))
}

fn read_part(input: &mut impl Read, len: u32, max: u32) -> io::Result<Vec<u8>> {
    let mut part = vec![0u8; checked_len(len, max)?];
    input.read_exact(&mut part)?;
    Ok(part)
}

/// Reads one frame from an async pipe (the server's side); an end of input is an error here,
/// since the server only reads when it expects an answer.
pub async fn read_frame_async<H: for<'de> Deserialize<'de>>(
    input: &mut (impl AsyncRead + Unpin),
) -> io::Result<(H, Vec<u8>)> {
    let header = read_part_async(input, MAX_HEADER_BYTES).await?;
    let header = serde_json::from_slice(&header).map_err(io::Error::other)?;
    let payload = read_part_async(input, MAX_PAYLOAD_BYTES).await?;
    Ok((header, payload))
}

async fn read_part_async(input: &mut (impl AsyncRead + Unpin), max: u32) -> io::Result<Vec<u8>> {
    let len = input.read_u32_le().await?;
    let mut part = vec![0u8; checked_len(len, max)?];
    input.read_exact(&mut part).await?;
    Ok(part)
}

fn checked_len(len: u32, max: u32) -> io::Result<usize> {
    if len > max {
        return Err(io::Error::other(format!("frame part of {len} bytes")));
    }
    Ok(len as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_reads_back_as_written() {
        let mut pipe = Vec::new();
        let task = Task::JobPage {
            url: "https://jobs.example.com/1".into(),
        };
        write_frame(&mut pipe, &task, b"<html>hi</html>").unwrap();
        let (read, payload): (Task, Vec<u8>) = read_frame(&mut pipe.as_slice()).unwrap().unwrap();
        assert!(matches!(read, Task::JobPage { url } if url == "https://jobs.example.com/1"));
        assert_eq!(payload, b"<html>hi</html>");
    }

    #[test]
    fn an_empty_pipe_is_the_end_and_a_cut_frame_is_an_error() {
        assert!(read_frame::<Task>(&mut [].as_slice()).unwrap().is_none());
        let mut pipe = Vec::new();
        write_frame(&mut pipe, &Task::Images { outputs: vec![] }, b"12345").unwrap();
        pipe.truncate(pipe.len() - 2);
        assert!(read_frame::<Task>(&mut pipe.as_slice()).is_err());
    }

    #[test]
    fn an_absurd_length_is_refused_before_allocating() {
        let pipe = u32::MAX.to_le_bytes();
        assert!(read_frame::<Task>(&mut pipe.as_slice()).is_err());
    }
}
