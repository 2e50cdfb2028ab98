//! Prometheus metrics: requests by route and status, a latency histogram by route, the
//! database pools' sizes, SQLite's memory, job runs by kind and outcome, the queue's depth by
//! status, the process's memory, CPU and open files, rendered in the text exposition format at
//! `/metrics` (on the API and, with `--metrics-addr`, on a worker).

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use axum::http::Method;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::process::ProcessStats;
use crate::db::Db;
use crate::sandbox::SandboxMetrics;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    kind: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    status: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    pool_size: Family<PoolLabels, Gauge>,
    pool_idle: Family<PoolLabels, Gauge>,
    job_runs: Family<JobLabels, Counter>,
    queue_depth: Family<QueueLabels, Gauge>,
    sqlite_memory: Gauge,
    /// Handed to the parser pool, which updates it.
    pub sandbox: SandboxMetrics,
    theirstack_jobs_today: Gauge,
    theirstack_daily_cap: Gauge,
    process_resident: Gauge,
    process_cpu: Gauge<f64, AtomicU64>,
    process_open_fds: Gauge,
}

/// 0.25 ms up to about 4 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("careerhub");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        let pool_size = Family::<PoolLabels, Gauge>::default();
        let pool_idle = Family::<PoolLabels, Gauge>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            latency.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Open database connections",
            pool_size.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            pool_idle.clone(),
        );
        let job_runs = Family::<JobLabels, Counter>::default();
        let queue_depth = Family::<QueueLabels, Gauge>::default();
        registry.register(
            "job_runs",
            "Background job runs by kind and outcome",
            job_runs.clone(),
        );
        registry.register(
            "queue_jobs",
            "Jobs in the queue by status, counted in the database: one number for every \
             instance and worker, not this process's own",
            queue_depth.clone(),
        );
        let sqlite_memory = Gauge::default();
        registry.register(
            "sqlite_memory_bytes",
            "Memory SQLite holds: page caches and statements of every connection (SQLite only)",
            sqlite_memory.clone(),
        );
        let sandbox = SandboxMetrics::default();
        registry.register(
            "parser_children_lost",
            "Parser children killed or lost, by reason (crashed, timed_out)",
            sandbox.children_lost.clone(),
        );
        registry.register(
            "parser_children_started",
            "Parser children started",
            sandbox.children_started.clone(),
        );
        registry.register(
            "parser_child_peak_rss_bytes",
            "The most resident memory any parser child reported",
            sandbox.child_peak_rss.clone(),
        );
        let theirstack_jobs_today = Gauge::default();
        let theirstack_daily_cap = Gauge::default();
        registry.register(
            "theirstack_jobs_requested_today",
            "TheirStack jobs requested this UTC day by every instance (one database number)",
            theirstack_jobs_today.clone(),
        );
        registry.register(
            "theirstack_daily_jobs_cap",
            "The configured daily cap on TheirStack jobs requested",
            theirstack_daily_cap.clone(),
        );
        let process_resident = Gauge::default();
        let process_cpu = Gauge::<f64, AtomicU64>::default();
        let process_open_fds = Gauge::default();
        registry.register(
            "process_resident_memory_bytes",
            "Resident memory of this process",
            process_resident.clone(),
        );
        registry.register(
            "process_cpu_seconds",
            "CPU time this process has used, user and system",
            process_cpu.clone(),
        );
        registry.register(
            "process_open_fds",
            "File descriptors this process has open",
            process_open_fds.clone(),
        );
        Metrics {
            process_resident,
            process_cpu,
            process_open_fds,
            theirstack_jobs_today,
            theirstack_daily_cap,
            sandbox,
            sqlite_memory,
            job_runs,
            queue_depth,
            registry,
            requests,
            latency,
            pool_size,
            pool_idle,
        }
    }
}

/// The method as a label: the standard methods by name, any other as `OTHER`, so a client
/// inventing methods cannot add series without bound.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

impl Metrics {
    pub fn record_request(&self, method: &Method, route: &str, status: u16, elapsed: Duration) {
        let method = method_label(method).to_owned();
        let route = route.to_owned();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.clone(),
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    pub fn record_job(&self, kind: &str, outcome: &crate::queue::worker::Outcome) {
        self.job_runs
            .get_or_create(&JobLabels {
                kind: kind.to_owned(),
                outcome: format!("{outcome:?}").to_lowercase(),
            })
            .inc();
    }

    /// Sets the provider spend gauges.
    pub fn set_theirstack_spend(&self, today: i64, cap: u64) {
        self.theirstack_jobs_today.set(today);
        self.theirstack_daily_cap
            .set(i64::try_from(cap).unwrap_or(i64::MAX));
    }

    /// Sets the queue gauges (every status, zero when none).
    pub fn set_queue_depth(&self, depth: &[(String, i64)]) {
        for status in [
            crate::queue::QUEUED,
            crate::queue::RUNNING,
            crate::queue::SUCCEEDED,
            crate::queue::FAILED,
        ] {
            let count = depth
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            self.queue_depth
                .get_or_create(&QueueLabels {
                    status: status.to_owned(),
                })
                .set(count);
        }
    }

    /// The exposition text, with the pool gauges read now.
    pub fn render(&self, db: &Db) -> String {
        for stats in db.pool_stats() {
            let labels = PoolLabels {
                pool: stats.pool.to_owned(),
            };
            self.pool_size
                .get_or_create(&labels)
                .set(i64::from(stats.size));
            self.pool_idle
                .get_or_create(&labels)
                .set(i64::from(stats.idle));
        }
        if let Some(bytes) = db.sqlite_memory_bytes() {
            self.sqlite_memory.set(bytes);
        }
        let process = ProcessStats::read();
        self.process_resident.set(process.resident_bytes);
        self.process_cpu.set(process.cpu_seconds);
        self.process_open_fds.set(process.open_fds);
        let mut out = String::new();
        if let Err(err) = encode(&mut out, &self.registry) {
            tracing::error!(error = %err, "could not encode metrics");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label(&Method::PATCH), "PATCH");
        assert_eq!(method_label(&Method::TRACE), "OTHER");
        let invented = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&invented), "OTHER");
    }
}
