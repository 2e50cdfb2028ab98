//! Load and soak (issue #9): mixed realistic traffic against a running careerhub at N
//! connections for a while, each connection a user of its own (reads, writes, uploads, analyses,
//! public pages), then p50/p99 and errors per route and the server's memory over time.
//!
//! Usage: soak BASE_URL SECONDS CONNECTIONS SERVER_PID RESUME_PDF
//! (`scripts/bench-soak.sh` builds, starts the server and runs this.)

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const DESCRIPTION: &str = "We are hiring a Backend Engineer to build payment APIs in Python and Django. You will design PostgreSQL schemas, run services on AWS with Docker and Kubernetes, and own features from design to production. Requirements: 3+ years of Python, Django REST Framework, PostgreSQL, Redis.";

/// Latencies (µs) and unexpected answers of one route.
#[derive(Default)]
struct RouteStats {
    micros: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

type Stats = Arc<Mutex<BTreeMap<&'static str, RouteStats>>>;

/// One simulated user: their token and records.
struct User {
    token: String,
    portfolio_id: i64,
    slug: String,
    job_id: i64,
    resume_id: i64,
}

struct Load {
    client: Client,
    base: String,
    stats: Stats,
    png: Vec<u8>,
    pdf: Vec<u8>,
}

impl Load {
    /// Sends a request and records it under `route`; the JSON answer when the status is one of
    /// `expected`.
    async fn call(
        &self,
        route: &'static str,
        request: reqwest::RequestBuilder,
        expected: &[StatusCode],
    ) -> Option<Value> {
        let started = Instant::now();
        let result = request.send().await;
        let (ok, body, problem) = match result {
            Ok(response) => {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                let ok = expected.contains(&status);
                let problem = (!ok)
                    .then(|| format!("{status}: {}", text.chars().take(200).collect::<String>()));
                (
                    ok,
                    serde_json::from_str(&text).unwrap_or(Value::Null),
                    problem,
                )
            }
            Err(err) => (false, Value::Null, Some(err.to_string())),
        };
        let micros = started.elapsed().as_micros() as u64;
        let mut stats = self.stats.lock().unwrap();
        let entry = stats.entry(route).or_default();
        entry.micros.push(micros);
        if !ok {
            entry.errors += 1;
            entry.first_error.get_or_insert(problem.unwrap_or_default());
        }
        ok.then_some(body)
    }

    fn request(&self, method: Method, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn sign_up(&self, n: usize) -> User {
        let email = format!("soak{n}-{}@example.com", rand::rng().random::<u32>());
        let body = json!({"email": email, "password1": "soak-pass-123", "password2": "soak-pass-123", "first_name": "Soak", "last_name": format!("User {n}")});
        let registered = self
            .call(
                "POST /api/auth/register/",
                self.request(Method::POST, "/api/auth/register/", None)
                    .json(&body),
                &[StatusCode::CREATED],
            )
            .await
            .expect("registration works");
        let token = registered["access"].as_str().unwrap().to_owned();
        let slug = format!("soak-{n}-{}", rand::rng().random::<u32>());
        let pages = json!([{"id": "home", "blocks": [{"id": "b1", "type": "hero", "content": {"text": "Services in Rust. ".repeat(200)}}]}]);
        let portfolio = self
            .call("POST /api/portfolios/", self.request(Method::POST, "/api/portfolios/", Some(&token)).json(&json!({"title": "Soak", "slug": slug, "is_published": true, "pages": pages})), &[StatusCode::CREATED])
            .await
            .expect("portfolio created");
        let job = self
            .call("POST /api/jobs/create/", self.request(Method::POST, "/api/jobs/create/", Some(&token)).json(&json!({"company_name": "Fintrail", "job_title": "Backend Engineer", "job_description": DESCRIPTION})), &[StatusCode::CREATED])
            .await
            .expect("application created");
        let resume = self.upload_resume(&token).await.expect("resume uploaded");
        User {
            token,
            portfolio_id: portfolio["id"].as_i64().unwrap(),
            slug,
            job_id: job["id"].as_i64().unwrap(),
            resume_id: resume["id"].as_i64().unwrap(),
        }
    }

    async fn upload_resume(&self, token: &str) -> Option<Value> {
        let request = self.request(Method::POST, "/api/resumes/upload/", Some(token));
        let request = with_file(request, "cv.pdf", &self.pdf);
        self.call("POST /api/resumes/upload/", request, &[StatusCode::CREATED])
            .await
    }

    /// SQLite's allocations in KiB, from the server's `/metrics` (0 if it cannot be read).
    async fn sqlite_kb(&self) -> u64 {
        let text = match self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await
        {
            Ok(response) => response.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        text.lines()
            .find_map(|l| l.strip_prefix("careerhub_sqlite_memory_bytes "))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(0, |bytes| bytes / 1024)
    }

    /// One step of a user's session, chosen by weight.
    async fn step(&self, user: &User) {
        let token = Some(user.token.as_str());
        let ok = [StatusCode::OK];
        // Drawn before the match: the thread's RNG must not be held across an await.
        let pick = rand::rng().random_range(0..100);
        match pick {
            0..20 => {
                self.call(
                    "GET /api/auth/user/",
                    self.request(Method::GET, "/api/auth/user/", token),
                    &ok,
                )
                .await;
            }
            20..40 => {
                let path = format!("/api/public/portfolios/{}/", user.slug);
                self.call(
                    "GET /api/public/portfolios/{slug}/",
                    self.request(Method::GET, &path, None),
                    &ok,
                )
                .await;
            }
            40..50 => {
                self.call(
                    "GET /api/portfolios/",
                    self.request(Method::GET, "/api/portfolios/", token),
                    &ok,
                )
                .await;
            }
            50..60 => {
                self.call(
                    "GET /api/jobs/list/",
                    self.request(Method::GET, "/api/jobs/list/", token),
                    &ok,
                )
                .await;
            }
            60..68 => {
                let path = format!("/api/portfolios/{}/", user.portfolio_id);
                let body = json!({"title": format!("Soak {}", rand::rng().random::<u16>())});
                self.call(
                    "PATCH /api/portfolios/{id}/",
                    self.request(Method::PATCH, &path, token).json(&body),
                    &ok,
                )
                .await;
            }
            68..76 => {
                let created = self
                    .call(
                        "POST /api/projects/",
                        self.request(Method::POST, "/api/projects/", token)
                            .json(&json!({"title": "Soak project", "technologies": ["Rust"]})),
                        &[StatusCode::CREATED],
                    )
                    .await;
                if let Some(id) = created.and_then(|p| p["id"].as_i64()) {
                    let path = format!("/api/projects/{id}/");
                    self.call(
                        "DELETE /api/projects/{id}/",
                        self.request(Method::DELETE, &path, token),
                        &[StatusCode::NO_CONTENT],
                    )
                    .await;
                }
            }
            76..80 => {
                let request = self.request(Method::POST, "/api/assets/", token);
                let request = with_file(request, "a.png", &self.png);
                let created = self
                    .call("POST /api/assets/", request, &[StatusCode::CREATED])
                    .await;
                if let Some(id) = created.and_then(|a| a["id"].as_i64()) {
                    let path = format!("/api/assets/{id}/");
                    self.call(
                        "DELETE /api/assets/{id}/",
                        self.request(Method::DELETE, &path, token),
                        &[StatusCode::NO_CONTENT],
                    )
                    .await;
                }
            }
            80..82 => {
                // Uploaded, then deleted as people replace a CV: kept, every upload would grow
                // the export and the database, and memory with them, which is not a leak.
                let uploaded = self.upload_resume(&user.token).await;
                if let Some(id) = uploaded.and_then(|r| r["id"].as_i64()) {
                    let path = format!("/api/resumes/{id}/");
                    self.call(
                        "DELETE /api/resumes/{id}/",
                        self.request(Method::DELETE, &path, token),
                        &[StatusCode::NO_CONTENT],
                    )
                    .await;
                }
            }
            82..86 => {
                let path = format!("/api/ai/analyze/{}/", user.job_id);
                let body = json!({"resume_id": user.resume_id, "candidate_level": "experienced"});
                self.call(
                    "POST /api/ai/analyze/{job_id}/",
                    self.request(Method::POST, &path, token).json(&body),
                    &[StatusCode::ACCEPTED],
                )
                .await;
            }
            86..94 => {
                let path = format!("/api/ai/result/{}/", user.job_id);
                self.call(
                    "GET /api/ai/result/{job_id}/",
                    self.request(Method::GET, &path, token),
                    &ok,
                )
                .await;
            }
            94..98 => {
                self.call(
                    "GET /market/trending",
                    self.request(Method::GET, "/market/trending?days=30", None),
                    &ok,
                )
                .await;
            }
            _ => {
                self.call(
                    "GET /api/me/export/",
                    self.request(Method::GET, "/api/me/export/", token),
                    &ok,
                )
                .await;
            }
        }
    }
}

/// A multipart/form-data body with one `file` part, as a browser sends an upload.
fn with_file(
    request: reqwest::RequestBuilder,
    name: &str,
    bytes: &[u8],
) -> reqwest::RequestBuilder {
    const BOUNDARY: &str = "careerhub-soak-boundary-5f2c9a";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    request
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
}

/// One memory sample in KiB: (anonymous, file-backed, SQLite's own).
type Sample = (u64, u64, u64);
/// One figure read from a sample.
type Part = fn(&Sample) -> u64;

/// The server's resident memory in KiB: (anonymous, file-backed). Anonymous is the heap
/// (allocations, SQLite's page caches); file-backed is mostly the database file mapped by
/// SQLite's `mmap_size`, which grows with the data written, not with leaks.
fn rss_kb(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    };
    (field("RssAnon:"), field("RssFile:") + field("RssShmem:"))
}

fn megabytes(samples: impl Iterator<Item = u64>) -> String {
    samples
        .map(|kb| format!("{:.0}", kb as f64 / 1024.0))
        .collect::<Vec<_>>()
        .join(" ")
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank] as f64 / 1000.0
}

fn png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 64, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 4) as u8, 128])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [base, seconds, connections, pid, resume] = &args[..] else {
        panic!("usage: soak BASE_URL SECONDS CONNECTIONS SERVER_PID RESUME_PDF");
    };
    let (seconds, connections, pid): (u64, usize, u32) = (
        seconds.parse().unwrap(),
        connections.parse().unwrap(),
        pid.parse().unwrap(),
    );
    let load = Arc::new(Load {
        client: Client::builder()
            .pool_max_idle_per_host(connections)
            .build()
            .unwrap(),
        base: base.trim_end_matches('/').to_owned(),
        stats: Stats::default(),
        png: png(),
        pdf: std::fs::read(resume).expect("resume PDF"),
    });
    let mut users = Vec::new();
    for n in 0..connections {
        users.push(load.sign_up(n).await);
    }
    load.stats.lock().unwrap().clear();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let memory = {
        let load = load.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                let (anon, file) = rss_kb(pid);
                samples.push((anon, file, load.sqlite_kb().await));
                if Instant::now() >= deadline {
                    break samples;
                }
                tokio::time::sleep(Duration::from_secs((seconds / 10).max(1))).await;
            }
        })
    };
    let workers: Vec<_> = users
        .into_iter()
        .map(|user| {
            let load = load.clone();
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    load.step(&user).await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    let memory = memory.await.unwrap();

    let stats = load.stats.lock().unwrap();
    let (mut total, mut errors) = (0, 0);
    println!("\ncareerhub soak: {connections} connections, {seconds} s, release build\n");
    println!(
        "{:<40} {:>9} {:>8} {:>9} {:>9}",
        "route", "requests", "errors", "p50 ms", "p99 ms"
    );
    for (route, s) in stats.iter() {
        let mut sorted = s.micros.clone();
        sorted.sort_unstable();
        println!(
            "{route:<40} {:>9} {:>8} {:>9.2} {:>9.2}",
            sorted.len(),
            s.errors,
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.99)
        );
        total += sorted.len();
        errors += s.errors;
    }
    println!(
        "{:<40} {:>9} {:>8}  ({:.0} req/s)",
        "all",
        total,
        errors,
        total as f64 / seconds as f64
    );
    println!(
        "\nserver memory over the run, MB (anonymous: heap and caches): {}",
        megabytes(memory.iter().map(|m| m.0))
    );
    println!(
        "server memory over the run, MB (file-backed: the mapped database): {}",
        megabytes(memory.iter().map(|m| m.1))
    );
    println!(
        "of the anonymous, SQLite's own (page caches, statements), MB: {}",
        megabytes(memory.iter().map(|m| m.2))
    );
    // Caches fill during the first half; a leak keeps raising the peak through the second,
    // while churn (requests' buffers coming and going) only moves memory below it. SQLite's
    // page caches grow with the pages touched up to their bound (cache_size per connection),
    // so the rest (careerhub's heap, buffers, stacks) is the figure that must stay flat.
    let middle = memory.len() / 2;
    let peak = |part: &[Sample], of: Part| part.iter().map(of).max().unwrap_or(0);
    let parts: [(&str, Part); 3] = [
        ("anonymous memory", |m| m.0),
        ("SQLite's own", |m| m.2),
        ("anonymous besides SQLite", |m| m.0.saturating_sub(m.2)),
    ];
    for (what, of) in parts {
        let (first, second) = (peak(&memory[..middle], of), peak(&memory[middle..], of));
        println!(
            "{what}, peak of the first half -> of the second: {:.0} -> {:.0} MB ({:+.1} MB)",
            first as f64 / 1024.0,
            second as f64 / 1024.0,
            (second as f64 - first as f64) / 1024.0
        );
    }
    for (route, s) in stats.iter().filter(|(_, s)| s.errors > 0) {
        println!(
            "first error on {route}: {}",
            s.first_error.as_deref().unwrap_or_default()
        );
    }
    if errors > 0 {
        std::process::exit(1);
    }
}
