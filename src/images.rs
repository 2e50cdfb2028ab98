//! Uploaded images, made safe before anything is stored: the format decided by the bytes
//! (JPEG, PNG, GIF or WebP), the dimensions read from the header and refused past the pixel
//! limits (decompression bombs), a decode under an allocation limit, the EXIF orientation
//! applied, and a re-encode that carries no metadata (EXIF, GPS, comments) and nothing appended
//! after the image; only the colour profile (ICC) is carried over, so a phone's wide-gamut photo
//! keeps its colours. Decoding runs in a parser child (`sandbox`) with a time limit; a crash
//! there is a refusal of the file, never the server's end.

use std::io::Cursor;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use bytes::Bytes;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::sandbox::protocol::{Answer, Task};
use crate::sandbox::{Sandbox, SandboxError};

/// Largest upload accepted.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Largest side and pixel count decoded.
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_PIXELS: u64 = 40_000_000;
/// Memory the decoder may take.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
const PROCESS_TIME_LIMIT: Duration = Duration::from_secs(20);
const JPEG_QUALITY: u8 = 88;
/// Largest colour profile carried over (display profiles are a few hundred bytes to a few
/// hundred kilobytes); a larger one is dropped and the image stored without it.
const MAX_ICC_BYTES: usize = 1024 * 1024;

/// Django's message for anything that is not a readable image.
pub const NOT_AN_IMAGE: &str =
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";

/// Why an upload was refused; each is a 400 on the upload's field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ImageError {
    #[error("{NOT_AN_IMAGE}")]
    NotAnImage,
    #[error("The image is larger than the 10 MB limit.")]
    TooLarge,
    #[error(
        "The image is {width}\u{d7}{height} pixels; the limit is 40 megapixels and 12000 pixels a side."
    )]
    TooManyPixels { width: u32, height: u32 },
    #[error("The file holds more than an image (for example an archive appended to it).")]
    Polyglot,
    /// Only `check_label` says this, in the server.
    #[error("The file's name or type says {claimed} but its content is {actual}.")]
    Mislabelled { claimed: String, actual: String },
}

/// The format a file name's extension or a content type names, if it is an image format.
fn claimed_format(name: Option<&str>, content_type: Option<&str>) -> Vec<ImageFormat> {
    let mut claims = Vec::new();
    if let Some(ext) = name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
    {
        claims.extend(match ext.as_str() {
            "jpg" | "jpeg" | "jpe" => Some(ImageFormat::Jpeg),
            "png" => Some(ImageFormat::Png),
            "gif" => Some(ImageFormat::Gif),
            "webp" => Some(ImageFormat::WebP),
            _ => None,
        });
    }
    if let Some(kind) = content_type.map(|t| t.trim().to_ascii_lowercase()) {
        claims.extend(match kind.as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(ImageFormat::Jpeg),
            "image/png" => Some(ImageFormat::Png),
            "image/gif" => Some(ImageFormat::Gif),
            "image/webp" => Some(ImageFormat::WebP),
            _ => None,
        });
    }
    claims
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        ImageFormat::Gif => "GIF",
        ImageFormat::WebP => "WebP",
        _ => "another format",
    }
}

/// Refuses a file whose name or declared type names an image format other than its content's
/// (for routes that hold uploads to what they claim, like profile pictures).
pub fn check_label(
    bytes: &[u8],
    name: Option<&str>,
    content_type: Option<&str>,
) -> Result<(), ImageError> {
    let Ok(actual) = image::guess_format(bytes) else {
        return Err(ImageError::NotAnImage);
    };
    match claimed_format(name, content_type)
        .into_iter()
        .find(|c| *c != actual)
    {
        Some(claimed) => Err(ImageError::Mislabelled {
            claimed: format_name(claimed).into(),
            actual: format_name(actual).into(),
        }),
        None => Ok(()),
    }
}

/// An image as stored.
#[derive(Debug, Clone)]
pub struct CleanImage {
    pub bytes: Bytes,
    /// `png` or `jpg`.
    pub extension: &'static str,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// How to re-encode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    /// Scale down (keeping the aspect ratio) so neither side passes this.
    pub max_side: Option<u32>,
}

/// Why an image was not cleaned: the file's fault (a 400 on its field) or ours (503).
#[derive(Debug, thiserror::Error)]
pub enum CleanError {
    #[error(transparent)]
    Refused(#[from] ImageError),
    #[error("images cannot be processed right now")]
    Unavailable,
}

impl CleanError {
    /// The API's answer: a refusal on `field`, or 503.
    pub fn into_api(self, field: &str) -> ApiError {
        match self {
            CleanError::Refused(err) => ApiError::field(field, err.to_string()),
            CleanError::Unavailable => ApiError::Unavailable(
                "Images cannot be processed right now. Try again later.".into(),
            ),
        }
    }
}

/// Validates `bytes` and cleans them once for each output (one decode), in a parser child.
pub async fn clean(
    sandbox: &Sandbox,
    bytes: &[u8],
    outputs: &[Output],
) -> Result<Vec<CleanImage>, CleanError> {
    // The cheap refusals need no child.
    sniff(bytes)?;
    let task = Task::Images {
        outputs: outputs.to_vec(),
    };
    match sandbox.run(task, bytes, PROCESS_TIME_LIMIT).await {
        Ok((Answer::Images { result, .. }, payload)) => Ok(split_images(result?, payload)?),
        Ok(_) => Err(CleanError::Refused(ImageError::NotAnImage)),
        Err(SandboxError::Unavailable(_)) => Err(CleanError::Unavailable),
        // The decoder died or hung on this file: the file is what we refuse.
        Err(SandboxError::TimedOut(_) | SandboxError::Crashed(_)) => {
            Err(CleanError::Refused(ImageError::NotAnImage))
        }
    }
}

/// Cuts a child's payload into the images its answer describes.
fn split_images(
    infos: Vec<crate::sandbox::protocol::ImageInfo>,
    payload: Vec<u8>,
) -> Result<Vec<CleanImage>, ImageError> {
    let payload = Bytes::from(payload);
    let mut at = 0;
    let mut images = Vec::with_capacity(infos.len());
    for info in infos {
        let end = at + info.len;
        let (extension, content_type) = match info.extension.as_str() {
            "jpg" => ("jpg", "image/jpeg"),
            "png" => ("png", "image/png"),
            _ => return Err(ImageError::NotAnImage),
        };
        if end > payload.len() {
            return Err(ImageError::NotAnImage);
        }
        images.push(CleanImage {
            bytes: payload.slice(at..end),
            extension,
            content_type,
            width: info.width,
            height: info.height,
        });
        at = end;
    }
    Ok(images)
}

/// One decode cleaned for every output, with a decoder panic as a refusal (the decoders are
/// third-party code): what a parser child runs, and what the fuzz target drives.
pub fn clean_many_guarded(bytes: &[u8], outputs: &[Output]) -> Result<Vec<CleanImage>, ImageError> {
    std::panic::catch_unwind(AssertUnwindSafe(|| clean_many(bytes, outputs))).unwrap_or_else(|_| {
        tracing::warn!("image decoding panicked");
        Err(ImageError::NotAnImage)
    })
}

/// The whole pipeline for one output, with a decoder panic as a refusal.
pub fn clean_guarded(bytes: &[u8], output: Output) -> Result<CleanImage, ImageError> {
    clean_many_guarded(bytes, &[output]).map(|mut images| images.remove(0))
}

/// The whole pipeline for one output, synchronously.
pub fn clean_blocking(bytes: &[u8], output: Output) -> Result<CleanImage, ImageError> {
    clean_many(bytes, &[output]).map(|mut images| images.remove(0))
}

/// The format, if the bytes are one of ours and carry nothing appended.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, ImageError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| ImageError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP
    ) {
        return Err(ImageError::NotAnImage);
    }
    if has_zip_directory(bytes) {
        return Err(ImageError::Polyglot);
    }
    Ok(format)
}

/// Decodes once and encodes once per output, synchronously.
pub fn clean_many(bytes: &[u8], outputs: &[Output]) -> Result<Vec<CleanImage>, ImageError> {
    let format = sniff(bytes)?;
    let (width, height) = header_reader(bytes, format)
        .into_dimensions()
        .map_err(|_| ImageError::NotAnImage)?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels { width, height });
    }
    let mut decoder = reader(bytes, format)
        .into_decoder()
        .map_err(|_| ImageError::NotAnImage)?;
    let orientation = decoder.orientation().map_err(|_| ImageError::NotAnImage)?;
    // A profile the decoder cannot read is left behind, not a reason to refuse the picture.
    let icc = decoder
        .icc_profile()
        .ok()
        .flatten()
        .filter(|profile| profile.len() <= MAX_ICC_BYTES);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| ImageError::NotAnImage)?;
    image.apply_orientation(orientation);
    let photo = format == ImageFormat::Jpeg;
    outputs
        .iter()
        .map(|output| match output.max_side {
            // Area averaging straight to the target size: good for shrinking, and it allocates
            // only the result (a Lanczos pass kept a float copy of the whole width: about
            // 500 MB for a 40-megapixel upload).
            Some(max) if image.width() > max || image.height() > max => {
                encode(&image.thumbnail(max, max), photo, icc.as_deref())
            }
            _ => encode(&image, photo, icc.as_deref()),
        })
        .collect()
}

/// A reader for the header alone, so an oversized image is reported with its size.
fn header_reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format);
    reader.no_limits();
    reader
}

fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    reader
}

/// A ZIP's end-of-central-directory record in the last 64 KB: the mark of an archive glued to
/// an image (a GIFAR-style polyglot). Image data holds these four bytes only by rare chance.
fn has_zip_directory(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    tail.windows(4).any(|w| w == b"PK\x05\x06")
}

/// Photos stay JPEG; everything else becomes PNG (lossless, keeps transparency). `icc`, the
/// source's colour profile, goes into the new file.
fn encode(image: &DynamicImage, photo: bool, icc: Option<&[u8]>) -> Result<CleanImage, ImageError> {
    use image::ImageEncoder;
    let (width, height) = (image.width(), image.height());
    let mut out = Vec::new();
    let with_profile = |encoder: &mut dyn ImageEncoder| {
        if let Some(profile) = icc {
            // Both encoders take one; should one refuse, the image is still stored.
            let _ = encoder.set_icc_profile(profile.to_vec());
        }
    };
    let (extension, content_type) = if photo {
        let mut encoder =
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
        with_profile(&mut encoder);
        let written = match image {
            // What a JPEG decodes to; anything else (a CMYK or 16-bit source) is made RGB.
            DynamicImage::ImageRgb8(_) | DynamicImage::ImageLuma8(_) => {
                image.write_with_encoder(encoder)
            }
            other => DynamicImage::ImageRgb8(other.to_rgb8()).write_with_encoder(encoder),
        };
        written.map_err(|_| ImageError::NotAnImage)?;
        ("jpg", "image/jpeg")
    } else {
        let mut encoder = image::codecs::png::PngEncoder::new(&mut out);
        with_profile(&mut encoder);
        image
            .write_with_encoder(encoder)
            .map_err(|_| ImageError::NotAnImage)?;
        ("png", "image/png")
    };
    Ok(CleanImage {
        bytes: Bytes::from(out),
        extension,
        content_type,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::new_rgba8(width, height);
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_png_is_re_encoded_and_scaled_down() {
        let clean = clean_blocking(
            &png(300, 150),
            Output {
                max_side: Some(100),
            },
        )
        .unwrap();
        assert_eq!(
            (clean.width, clean.height, clean.extension),
            (100, 50, "png")
        );
        assert!(clean.bytes.starts_with(b"\x89PNG"));
    }

    /// A phone photo's wide-gamut profile survives the re-encode (JPEG stays JPEG, and a PNG's
    /// profile stays in the PNG); EXIF does not.
    #[test]
    fn the_colour_profile_is_carried_over() {
        use image::ImageEncoder;
        let profile: Vec<u8> = b"fake display-p3 profile "
            .iter()
            .copied()
            .cycle()
            .take(3_000)
            .collect();
        let source = DynamicImage::new_rgb8(64, 48);
        let mut jpeg = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90);
        encoder.set_icc_profile(profile.clone()).unwrap();
        source.write_with_encoder(encoder).unwrap();
        let mut png_bytes = Vec::new();
        let mut encoder = image::codecs::png::PngEncoder::new(&mut png_bytes);
        encoder.set_icc_profile(profile.clone()).unwrap();
        source.write_with_encoder(encoder).unwrap();

        for (bytes, format) in [(jpeg, ImageFormat::Jpeg), (png_bytes, ImageFormat::Png)] {
            let outputs = [Output { max_side: None }, Output { max_side: Some(32) }];
            for clean in clean_many(&bytes, &outputs).unwrap() {
                let mut decoder = reader(&clean.bytes, format).into_decoder().unwrap();
                assert_eq!(decoder.icc_profile().unwrap(), Some(profile.clone()));
            }
        }
        // No profile in, none out.
        let clean = clean_blocking(&png(10, 10), Output { max_side: None }).unwrap();
        let mut decoder = reader(&clean.bytes, ImageFormat::Png)
            .into_decoder()
            .unwrap();
        assert_eq!(decoder.icc_profile().unwrap(), None);
    }

    #[test]
    fn refusals() {
        let unlimited = Output { max_side: None };
        assert_eq!(
            clean_blocking(b"GIF89a junk", unlimited).unwrap_err(),
            ImageError::NotAnImage
        );
        assert_eq!(
            clean_blocking(b"%PDF-1.7", unlimited).unwrap_err(),
            ImageError::NotAnImage
        );
        let good = png(20, 20);
        assert_eq!(
            clean_blocking(&good[..good.len() / 2], unlimited).unwrap_err(),
            ImageError::NotAnImage
        );
        let mut polyglot = good.clone();
        polyglot.extend_from_slice(b"PK\x03\x04....PK\x05\x06\0\0\0\0");
        assert_eq!(
            clean_blocking(&polyglot, unlimited).unwrap_err(),
            ImageError::Polyglot
        );
    }
}
