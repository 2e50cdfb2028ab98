//! Untrusted documents are parsed in child processes, never in the server.
//!
//! PDF, DOCX and image decoders and the HTML parser are third-party code fed with files chosen
//! by anyone with an account. A panic can be caught, but a stack overflow or an abort cannot:
//! in-process, one 10 KB PDF of nested arrays took every product down. So the server keeps a
//! small pool of `careerhub __sandbox-child` processes (started on demand, talking over pipes,
//! see `protocol`), each under an address-space limit with a deep parser stack, and gives each
//! task a wall-clock limit. A child that crashes, hangs or runs out of memory is killed and
//! replaced; the caller gets `SandboxError` and answers as for an unreadable file.
//!
//! The children get an empty environment (no secrets) and are recycled after a number of tasks,
//! since parsers keep state between calls (pdf_oxide does).

pub mod child;
pub mod protocol;

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Semaphore;

use protocol::{Answer, HELLO, Task};

/// How long a new child may take to say hello.
const START_TIME_LIMIT: Duration = Duration::from_secs(10);
/// A child is replaced after this many tasks, so parser state and heap growth do not pile up.
const TASKS_PER_CHILD: u32 = 200;

/// How the pool runs its children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The careerhub binary to start as a child (this executable by default).
    pub program: PathBuf,
    /// Children at once; more tasks wait for one.
    pub processes: usize,
    /// Each child's address-space limit.
    pub memory_bytes: u64,
    /// When set, no task may run longer than this, whatever its own limit (tests use it to
    /// see a hung parser killed without waiting out the production limit).
    pub max_task_time: Option<Duration>,
}

impl SandboxConfig {
    /// 1 GiB: a 40-megapixel image decoded, scaled and encoded fits with room to spare.
    pub const DEFAULT_MEMORY_BYTES: u64 = 1024 * 1024 * 1024;

    /// This executable, one child per core (at least two), the default memory limit.
    pub fn for_this_program() -> SandboxConfig {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        SandboxConfig {
            program: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("careerhub")),
            processes: cores.max(2),
            memory_bytes: Self::DEFAULT_MEMORY_BYTES,
            max_task_time: None,
        }
    }
}

/// Why a task got no answer.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// No child could be started (a deployment problem, not the document's).
    #[error("the parser process could not be started: {0}")]
    Unavailable(String),
    #[error("the parser took longer than {0:?}")]
    TimedOut(Duration),
    /// The child died on the document (a stack overflow, an allocation past its limit, a signal)
    /// or broke the protocol.
    #[error("the parser process ended: {0}")]
    Crashed(String),
}

/// Counters for `/metrics`, registered by `http::metrics`.
#[derive(Clone, Default)]
pub struct SandboxMetrics {
    /// Children killed or lost, by reason (`crashed`, `timed_out`).
    pub children_lost: Family<ReasonLabel, Counter>,
    /// Children started.
    pub children_started: Counter,
    /// The highest resident memory a child reported, in bytes.
    pub child_peak_rss: Gauge,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, prometheus_client::encoding::EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: String,
}

/// The pool of parser children.
pub struct Sandbox {
    config: SandboxConfig,
    idle: Mutex<Vec<Worker>>,
    slots: Arc<Semaphore>,
    metrics: SandboxMetrics,
}

/// One running child and its pipes.
struct Worker {
    /// Killed when dropped: a worker dropped mid-task (its caller gave up) takes its child down.
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    tasks_done: u32,
}

impl Sandbox {
    pub fn new(config: SandboxConfig, metrics: SandboxMetrics) -> Sandbox {
        Sandbox {
            slots: Arc::new(Semaphore::new(config.processes.max(1))),
            idle: Mutex::new(Vec::new()),
            config,
            metrics,
        }
    }

    /// Runs `task` on `payload` in a child within `time_limit` (counted from when a child has
    /// the task, not from the wait for one).
    pub async fn run(
        &self,
        task: Task,
        payload: &[u8],
        time_limit: Duration,
    ) -> Result<(Answer, Vec<u8>), SandboxError> {
        let time_limit = self
            .config
            .max_task_time
            .map_or(time_limit, |cap| cap.min(time_limit));
        let _slot = self
            .slots
            .acquire()
            .await
            .expect("the pool is never closed");
        let mut worker = match self.take_idle() {
            Some(worker) => worker,
            None => self.start().await?,
        };
        let label = task.label();
        match tokio::time::timeout(time_limit, worker.exchange(&task, payload)).await {
            Ok(Ok((Answer::Refused { reason }, _))) => {
                // A protocol disagreement: this child cannot be trusted with the next task.
                self.lose(worker, "crashed").await;
                Err(SandboxError::Crashed(format!("refused the task: {reason}")))
            }
            Ok(Ok((answer, bytes))) => {
                if let Some(peak) = answer.peak_rss_bytes() {
                    let peak = i64::try_from(peak).unwrap_or(i64::MAX);
                    if peak > self.metrics.child_peak_rss.get() {
                        self.metrics.child_peak_rss.set(peak);
                    }
                }
                self.give_back(worker);
                Ok((answer, bytes))
            }
            Ok(Err(err)) => {
                let status = self.lose(worker, "crashed").await;
                tracing::warn!(task = label, error = %err, status, "parser child died");
                Err(SandboxError::Crashed(status))
            }
            Err(_elapsed) => {
                self.lose(worker, "timed_out").await;
                tracing::warn!(task = label, ?time_limit, "parser child timed out; killed");
                Err(SandboxError::TimedOut(time_limit))
            }
        }
    }

    fn take_idle(&self) -> Option<Worker> {
        self.idle.lock().expect("pool lock").pop()
    }

    fn give_back(&self, mut worker: Worker) {
        worker.tasks_done += 1;
        if worker.tasks_done < TASKS_PER_CHILD {
            self.idle.lock().expect("pool lock").push(worker);
        }
        // Otherwise it is dropped here, which kills it; the next task starts a fresh one.
    }

    /// Kills a child that failed, counts it, and says how it ended.
    async fn lose(&self, mut worker: Worker, reason: &str) -> String {
        self.metrics
            .children_lost
            .get_or_create(&ReasonLabel {
                reason: reason.into(),
            })
            .inc();
        let _ = worker.child.start_kill();
        match worker.child.wait().await {
            Ok(status) => status.to_string(),
            Err(err) => err.to_string(),
        }
    }

    async fn start(&self) -> Result<Worker, SandboxError> {
        let mut child = Command::new(&self.config.program)
            .arg(child::CHILD_ARG)
            .arg(self.config.memory_bytes.to_string())
            .env_clear()
            // mimalloc reserves 1 GiB of address space per arena by default, which alone
            // would use up the child's address-space limit; small arenas keep the limit about
            // what the parsers may really allocate.
            .env("MIMALLOC_ARENA_RESERVE", "32MiB")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| {
                tracing::error!(program = %self.config.program.display(), error = %err,
                    "could not start a parser child");
                SandboxError::Unavailable(err.to_string())
            })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(SandboxError::Unavailable("no pipes to the child".into()));
        };
        let mut worker = Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            tasks_done: 0,
        };
        let hello = tokio::time::timeout(
            START_TIME_LIMIT,
            protocol::read_frame_async::<Answer>(&mut worker.stdout),
        )
        .await;
        match hello {
            Ok(Ok((Answer::Hello { protocol }, _))) if protocol == HELLO => {
                self.metrics.children_started.inc();
                Ok(worker)
            }
            other => {
                tracing::error!(program = %self.config.program.display(), answer = ?other.map(|r| r.map(|(a, _)| a)),
                    "the parser program did not answer as a careerhub sandbox child");
                let _ = worker.child.start_kill();
                Err(SandboxError::Unavailable(
                    "the parser program is not a careerhub sandbox child".into(),
                ))
            }
        }
    }
}

impl Worker {
    async fn exchange(
        &mut self,
        task: &Task,
        payload: &[u8],
    ) -> std::io::Result<(Answer, Vec<u8>)> {
        let head = protocol::encode_head(task, payload.len())?;
        self.stdin.write_all(&head).await?;
        self.stdin.write_all(payload).await?;
        self.stdin.flush().await?;
        protocol::read_frame_async(&mut self.stdout).await
    }
}
