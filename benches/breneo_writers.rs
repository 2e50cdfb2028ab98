//! The write soak for `scripts/bench-breneo.sh`: N concurrent writers against a running careerhub
//! for S seconds. Each registers its own account, then alternates a `PUT` of its industry profile
//! and a work-experience write (create until it has three, then `PATCH` one), reading every write
//! back at once. When time is up each writer makes a last `PUT`, and every writer's profile and
//! work history are read again and compared with what it wrote.
//!
//! Usage: `breneo_writers --base http://127.0.0.1:8100 --writers 64 --seconds 30`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[derive(Default)]
struct Tally {
    writes: AtomicU64,
    reads: AtomicU64,
    errors: AtomicU64,
    mismatches: AtomicU64,
}

struct Writer {
    client: reqwest::Client,
    base: String,
    token: String,
    tally: Arc<Tally>,
    /// Work experiences this writer created, with the description it last wrote to each.
    experiences: Vec<(i64, String)>,
    last_profile: Value,
}

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_owned())
}

#[tokio::main]
async fn main() {
    let base = arg("--base", "http://127.0.0.1:8100");
    let writers: usize = arg("--writers", "64").parse().expect("--writers N");
    let seconds: u64 = arg("--seconds", "30").parse().expect("--seconds S");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(writers)
        .build()
        .unwrap();
    let tally = Arc::new(Tally::default());
    let run_id = std::process::id();

    let mut handles = Vec::new();
    for index in 0..writers {
        let (client, base, tally) = (client.clone(), base.clone(), tally.clone());
        handles.push(tokio::spawn(async move {
            let token = register(
                &client,
                &base,
                &format!("writer{index}-{run_id}@bench.example"),
            )
            .await;
            let mut writer = Writer {
                client,
                base,
                token,
                tally,
                experiences: Vec::new(),
                last_profile: json!({}),
            };
            let deadline = Instant::now() + Duration::from_secs(seconds);
            let mut step = 0u64;
            while Instant::now() < deadline {
                if step.is_multiple_of(2) {
                    writer.put_profile(step).await
                } else {
                    writer.write_experience(step).await
                }
                step += 1;
            }
            writer.put_profile(step).await;
            writer
        }));
    }
    let started = Instant::now();
    let mut finished = Vec::new();
    for handle in handles {
        finished.push(handle.await.expect("writer task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    for writer in &finished {
        writer.verify_final_state().await;
    }
    let writes = tally.writes.load(Ordering::Relaxed);
    println!(
        "writers {writers}, {seconds}s: {writes} writes ({:.0}/s), {} reads, {} errors, {} mismatches after reading every write back",
        writes as f64 / elapsed,
        tally.reads.load(Ordering::Relaxed),
        tally.errors.load(Ordering::Relaxed),
        tally.mismatches.load(Ordering::Relaxed),
    );
    if tally.errors.load(Ordering::Relaxed) + tally.mismatches.load(Ordering::Relaxed) > 0 {
        std::process::exit(1);
    }
}

async fn register(client: &reqwest::Client, base: &str, email: &str) -> String {
    let body =
        json!({"email": email, "password1": "bench-pass-123", "password2": "bench-pass-123"});
    let response = client
        .post(format!("{base}/api/auth/register/"))
        .json(&body)
        .send()
        .await
        .expect("register");
    assert!(
        response.status().is_success(),
        "register: {}",
        response.status()
    );
    let body: Value = response.json().await.expect("register body");
    body["access"].as_str().expect("access token").to_owned()
}

impl Writer {
    async fn send(&self, request: reqwest::RequestBuilder, is_write: bool) -> Option<Value> {
        let counter = if is_write {
            &self.tally.writes
        } else {
            &self.tally.reads
        };
        counter.fetch_add(1, Ordering::Relaxed);
        match request.bearer_auth(&self.token).send().await {
            Ok(response) if response.status().is_success() => {
                Some(response.json().await.unwrap_or(Value::Null))
            }
            Ok(response) => {
                eprintln!(
                    "{} {}",
                    response.status(),
                    response.text().await.unwrap_or_default()
                );
                self.tally.errors.fetch_add(1, Ordering::Relaxed);
                None
            }
            Err(err) => {
                eprintln!("transport error: {err}");
                self.tally.errors.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    fn expect_equal(&self, what: &str, got: &Value, wanted: &Value) {
        if got != wanted {
            eprintln!("mismatch in {what}: got {got}, wrote {wanted}");
            self.tally.mismatches.fetch_add(1, Ordering::Relaxed);
        }
    }

    async fn put_profile(&mut self, step: u64) {
        let years = json!({"fintech": (step % 40) as f64 / 4.0, "step": step as f64});
        let url = format!("{}/api/me/industry-profile/", self.base);
        let put = self
            .client
            .put(&url)
            .json(&json!({"industry_years_json": years}));
        if self.send(put, true).await.is_some() {
            self.last_profile = years;
            if let Some(read) = self.send(self.client.get(&url), false).await {
                self.expect_equal(
                    "industry profile",
                    &read["industry_years_json"],
                    &self.last_profile,
                );
            }
        }
    }

    async fn write_experience(&mut self, step: u64) {
        let description = format!("step {step}");
        let created = if self.experiences.len() < 3 {
            let body = json!({"job_title": "Engineer", "company": "Stripe", "start_date": "2020-01", "end_date": "2021-06", "description": description});
            self.send(
                self.client
                    .post(format!("{}/api/work-experiences/", self.base))
                    .json(&body),
                true,
            )
            .await
        } else {
            let (id, _) = self.experiences[(step as usize) % 3];
            let body = json!({"description": description});
            self.send(
                self.client
                    .patch(format!("{}/api/work-experiences/{id}/", self.base))
                    .json(&body),
                true,
            )
            .await
        };
        let Some(written) = created else { return };
        let Some(id) = written["id"].as_i64() else {
            return;
        };
        match self.experiences.iter_mut().find(|(known, _)| *known == id) {
            Some(entry) => entry.1 = description.clone(),
            None => self.experiences.push((id, description.clone())),
        }
        if let Some(read) = self
            .send(
                self.client
                    .get(format!("{}/api/work-experiences/{id}/", self.base)),
                false,
            )
            .await
        {
            self.expect_equal("work experience", &read["description"], &json!(description));
        }
    }

    async fn verify_final_state(&self) {
        let url = format!("{}/api/me/industry-profile/", self.base);
        if let Some(read) = self.send(self.client.get(&url), false).await {
            self.expect_equal(
                "final industry profile",
                &read["industry_years_json"],
                &self.last_profile,
            );
        }
        let list = format!("{}/api/work-experiences/", self.base);
        if let Some(read) = self.send(self.client.get(&list), false).await {
            let mut stored: Vec<(i64, String)> = read
                .as_array()
                .map(|rows| {
                    rows.iter()
                        .map(|r| {
                            (
                                r["id"].as_i64().unwrap_or(0),
                                r["description"].as_str().unwrap_or("").to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut wanted = self.experiences.clone();
            stored.sort();
            wanted.sort();
            self.expect_equal("final work history", &json!(stored), &json!(wanted));
        }
    }
}
