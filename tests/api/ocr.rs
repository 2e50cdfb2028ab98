//! Scanned resumes: a photo of a resume (PNG) or a PDF holding only a page image is answered at
//! once with its text pending, read by Tesseract in the worker, and then analysable; an image
//! without any text is marked unreadable and the analysis says so. The scans are made here:
//! a text PDF written by the test, rasterised by Poppler's `pdftoppm`.

use std::process::Command;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::resumes::upload;

/// A one-page PDF from its objects' bodies (numbered from 1; the first is the catalog).
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", n + 1).as_bytes());
        out.extend(object);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn page_objects(page: &str) -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] {page} >>").into_bytes(),
    ]
}

fn stream(content: &str) -> Vec<u8> {
    format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
    .into_bytes()
}

/// A resume as a text PDF, large type so a 150 dpi scan of it reads cleanly.
fn text_pdf() -> Vec<u8> {
    let lines = [
        "Priya Raman",
        "Backend Engineer",
        "Python Django PostgreSQL",
        "Built payment services",
    ];
    let mut content = String::from("BT /F1 28 Tf 60 720 Td 40 TL");
    for line in lines {
        content.push_str(&format!(" ({line}) Tj T*"));
    }
    content.push_str(" ET");
    let mut objects = page_objects("/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >>");
    objects.push(stream(&content));
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec());
    pdf(&objects)
}

/// The page of `pdf` as an image file of `format` (`png` or `jpeg`), as a scanner would give it.
fn scan(pdf: &[u8], format: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("page.pdf");
    std::fs::write(&input, pdf).unwrap();
    let output = dir.path().join("scan");
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-singlefile", &format!("-{format}")])
        .arg(&input)
        .arg(&output)
        .status()
        .expect("pdftoppm runs (Debian's poppler-utils; scripts/test.sh installs it)");
    assert!(status.success());
    let extension = if format == "jpeg" { "jpg" } else { "png" };
    std::fs::read(output.with_extension(extension)).unwrap()
}

/// A PDF whose only content is a JPEG of the page: no text layer at all.
fn image_only_pdf(jpeg: &[u8]) -> Vec<u8> {
    let (width, height) = image::ImageReader::new(std::io::Cursor::new(jpeg))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap();
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB \
         /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        jpeg.len()
    )
    .into_bytes();
    image.extend(jpeg);
    image.extend(b"\nendstream");
    let mut objects = page_objects("/Contents 4 0 R /Resources << /XObject << /Scan 5 0 R >> >>");
    objects.push(stream("q 612 0 0 792 0 0 cm /Scan Do Q"));
    objects.push(image);
    pdf(&objects)
}

async fn listed(app: &TestApp, token: &str, id: &Value) -> Value {
    let list = app.get("/api/resumes/list/", Some(token)).await;
    list.json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| &r["id"] == id)
        .cloned()
        .unwrap()
}

async fn analyze(
    app: &TestApp,
    token: &str,
    job: i64,
    resume: &Value,
) -> crate::helpers::TestResponse {
    app.call(
        Method::POST,
        &format!("/api/ai/analyze/{job}/"),
        Some(json!({"resume_id": resume})),
        Some(token),
    )
    .await
}

#[tokio::test]
async fn a_photo_and_a_scanned_pdf_are_read_by_ocr_after_the_answer() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let job = app
        .call(
            Method::POST,
            "/api/jobs/create/",
            Some(
                json!({"company_name": "Fintrail", "job_title": "Backend Engineer",
                "job_description": crate::tracker::DESCRIPTION}),
            ),
            Some(&token),
        )
        .await
        .json["id"]
        .as_i64()
        .unwrap();
    let page = text_pdf();
    for (name, file) in [
        ("photo.png", scan(&page, "png")),
        ("scan.pdf", image_only_pdf(&scan(&page, "jpeg"))),
    ] {
        let body = upload(&app, &token, name, &file).await;
        assert_eq!(
            (&body["parsed_text"], &body["text_status"]),
            (&json!(""), &json!("pending")),
            "{name}"
        );
        analyze(&app, &token, job, &body["id"]).await.assert(
            StatusCode::BAD_REQUEST,
            json!({"detail": "Selected resume is still being read (it is a scan); try again in a minute."}),
        );
        assert_eq!(app.run_pending_jobs().await, 1, "{name}");
        let read = listed(&app, &token, &body["id"]).await;
        let text = read["parsed_text"].as_str().unwrap();
        assert_eq!(read["text_status"], "read", "{name}");
        for words in [
            "Priya Raman",
            "Backend Engineer",
            "Python Django PostgreSQL",
        ] {
            assert!(text.contains(words), "{name}: {words:?} not in {text:?}");
        }
        analyze(&app, &token, job, &body["id"])
            .await
            .assert_status(StatusCode::ACCEPTED);
        app.run_pending_jobs().await;
    }
}

#[tokio::test]
async fn an_image_with_no_text_is_marked_unreadable() {
    let app = TestApp::new().await;
    let token = app.access_token(app.seed_user("seeker@example.com").await.id);
    let blank = pdf(&page_objects(""));
    let body = upload(&app, &token, "blank.png", &scan(&blank, "png")).await;
    assert_eq!(body["text_status"], "pending");
    assert_eq!(app.run_pending_jobs().await, 1);
    let read = listed(&app, &token, &body["id"]).await;
    assert_eq!(
        (&read["parsed_text"], &read["text_status"]),
        (&json!(""), &json!("unreadable"))
    );
}
