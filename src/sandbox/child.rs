//! The parser child: `careerhub __sandbox-child`, started by the server with pipes for stdin and
//! stdout. It limits itself first (address space, no core dumps, no files written), says hello,
//! then answers one task at a time. A stack overflow, an allocation past the limit or any other
//! abort ends this process only; the server sees the pipe close and starts another.

use std::io::{self, BufReader, BufWriter};
use std::panic::AssertUnwindSafe;
use std::process::ExitCode;
use std::sync::mpsc;

use super::protocol::{self, Answer, HELLO, ImageInfo, Task};
use crate::images;
use crate::resumes::text;
use crate::tracker::page;

/// The argument that makes the binary a parser child.
pub const CHILD_ARG: &str = "__sandbox-child";
/// The parsers' stack. Deep enough for any real document (a 2 MiB stack, Tokio's default,
/// overflowed at 5,000 nested PDF arrays); a deeper one overflows this and kills the child
/// (Rust's guard page turns the overflow into an abort, never into memory corruption).
const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;
/// Files a child may have open: its three pipes and a few the runtime needs.
const MAX_OPEN_FILES: u64 = 32;

/// True when this process was started as a parser child.
pub fn is_child_invocation() -> bool {
    std::env::args_os()
        .nth(1)
        .is_some_and(|arg| arg == CHILD_ARG)
}

/// The child's whole life. The memory limit comes as the next argument, in bytes.
pub fn main() -> ExitCode {
    let memory = std::env::args()
        .nth(2)
        .and_then(|arg| arg.parse::<u64>().ok());
    if let Err(err) = limit_self(memory) {
        eprintln!("careerhub sandbox child: could not set limits: {err}");
        return ExitCode::FAILURE;
    }
    let (tasks, inbox) = mpsc::sync_channel::<(Task, Vec<u8>)>(0);
    let parser = std::thread::Builder::new()
        .name("parser".into())
        .stack_size(PARSER_STACK_BYTES)
        .spawn(move || answer_tasks(inbox));
    if let Err(err) = parser {
        eprintln!("careerhub sandbox child: no parser thread: {err}");
        return ExitCode::FAILURE;
    }
    // This thread only reads. The server closing the pipe (it stopped, or it gave up on this
    // child) ends the process at once, even in the middle of a parse.
    let mut input = BufReader::new(io::stdin().lock());
    loop {
        match protocol::read_frame::<Task>(&mut input) {
            Ok(Some(task)) => {
                if tasks.send(task).is_err() {
                    return ExitCode::FAILURE;
                }
            }
            Ok(None) => std::process::exit(0),
            Err(err) => {
                eprintln!("careerhub sandbox child: bad request frame: {err}");
                std::process::exit(2);
            }
        }
    }
}

/// Runs each task and writes its answer; the hello goes first.
fn answer_tasks(inbox: mpsc::Receiver<(Task, Vec<u8>)>) {
    let mut out = BufWriter::new(io::stdout().lock());
    let hello = Answer::Hello {
        protocol: HELLO.into(),
    };
    if protocol::write_frame(&mut out, &hello, &[]).is_err() {
        std::process::exit(3);
    }
    for (task, payload) in inbox {
        let (answer, bytes) = run(task, payload);
        if protocol::write_frame(&mut out, &answer, &bytes).is_err() {
            std::process::exit(3);
        }
    }
}

/// One task, synchronously. Parser panics are contained where the in-process entry points
/// already contain them; what is left (an overflow, an abort) takes the process down.
pub fn run(task: Task, payload: Vec<u8>) -> (Answer, Vec<u8>) {
    match task {
        Task::ResumeText { kind } => {
            let text = text::read_text(kind, &payload);
            (
                Answer::Text {
                    text,
                    peak_rss_bytes: peak_rss_bytes(),
                },
                Vec::new(),
            )
        }
        Task::Images { outputs } => match images::clean_many_guarded(&payload, &outputs) {
            Ok(cleaned) => {
                let infos = cleaned.iter().map(ImageInfo::of).collect();
                let bytes = cleaned
                    .iter()
                    .flat_map(|i| i.bytes.iter().copied())
                    .collect();
                let answer = Answer::Images {
                    result: Ok(infos),
                    peak_rss_bytes: peak_rss_bytes(),
                };
                (answer, bytes)
            }
            Err(err) => (
                Answer::Images {
                    result: Err(err),
                    peak_rss_bytes: peak_rss_bytes(),
                },
                Vec::new(),
            ),
        },
        Task::JobPage { url } => {
            let Ok(url) = url::Url::parse(&url) else {
                return refused("the page's URL does not parse");
            };
            let html = String::from_utf8_lossy(&payload);
            let verdict =
                std::panic::catch_unwind(AssertUnwindSafe(|| page::extract_job(&html, &url))).ok();
            (
                Answer::Page {
                    verdict,
                    peak_rss_bytes: peak_rss_bytes(),
                },
                Vec::new(),
            )
        }
    }
}

fn refused(reason: &str) -> (Answer, Vec<u8>) {
    (
        Answer::Refused {
            reason: reason.into(),
        },
        Vec::new(),
    )
}

/// The most resident memory this process has held, in bytes.
fn peak_rss_bytes() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    // Linux reports kilobytes.
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

/// Caps this process: its address space (so a decompression bomb fails an allocation here),
/// no core files (a crash must not fill the disk), no file written, few files open.
fn limit_self(memory_bytes: Option<u64>) -> io::Result<()> {
    if let Some(bytes) = memory_bytes {
        set_limit(libc::RLIMIT_AS, bytes)?;
    }
    set_limit(libc::RLIMIT_CORE, 0)?;
    set_limit(libc::RLIMIT_FSIZE, 0)?;
    set_limit(libc::RLIMIT_NOFILE, MAX_OPEN_FILES)
}

/// Sets one resource limit of this process (soft and hard alike); also what the OCR tools'
/// children call before exec.
pub fn set_limit(resource: libc::__rlimit_resource_t, value: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: setrlimit reads the struct it is given and changes only this process's limits.
    if unsafe { libc::setrlimit(resource, &limit) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}
