//! CPU-heavy work on Tokio's blocking pool, a bounded number at a time per kind.
//!
//! The pool grows to 512 threads, so without a bound a flood of logins or uploads would run
//! hundreds of argon2 hashes (19 MiB each) or image decodes (up to 256 MiB each) at once and take
//! the process's memory. Work past the bound waits its turn. The permit is held by the running
//! task, not by the caller: a caller that stops waiting (a timeout) does not free a slot while
//! its work still runs.

use std::sync::{Arc, OnceLock};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinHandle;

/// One kind of blocking work and how many of it may run at once.
pub struct Lane {
    per_core: usize,
    permits: OnceLock<Arc<Semaphore>>,
}

/// The right to start one piece of work in a lane.
pub struct Permit(OwnedSemaphorePermit);

impl Lane {
    /// A lane running `per_core` pieces of work at once for each core the process may use.
    pub const fn new(per_core: usize) -> Lane {
        Lane {
            per_core,
            permits: OnceLock::new(),
        }
    }

    /// How many pieces of work may run at once.
    pub fn capacity(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        (cores * self.per_core).max(1)
    }

    /// Waits for a free slot.
    pub async fn acquire(&self) -> Permit {
        let permits = self
            .permits
            .get_or_init(|| Arc::new(Semaphore::new(self.capacity())));
        // The semaphore is never closed, so acquiring only waits.
        Permit(
            permits
                .clone()
                .acquire_owned()
                .await
                .expect("a lane is never closed"),
        )
    }

    /// Waits for a slot, then runs `work` on the blocking pool.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        self.acquire().await.spawn(work).await
    }
}

impl Permit {
    /// Runs `work` on the blocking pool, holding the slot until it ends.
    pub fn spawn<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> JoinHandle<T> {
        tokio::task::spawn_blocking(move || {
            let _slot = self.0;
            work()
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lane_never_runs_more_than_its_capacity() {
        static LANE: Lane = Lane::new(1);
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let tasks: Vec<_> = (0..LANE.capacity() * 4)
            .map(|_| {
                tokio::spawn(LANE.run(|| {
                    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                    MOST.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    RUNNING.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let most = MOST.load(Ordering::SeqCst);
        assert!((1..=LANE.capacity()).contains(&most), "{most} ran at once");
    }

    #[tokio::test]
    async fn a_slot_stays_taken_while_abandoned_work_runs() {
        static LANE: Lane = Lane::new(1);
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let slots: Vec<_> =
            futures::future::join_all((0..LANE.capacity()).map(|_| LANE.acquire())).await;
        let mut handles = Vec::new();
        let wait = Arc::new(std::sync::Mutex::new(wait));
        for slot in slots {
            let wait = wait.clone();
            // The caller drops its handle at once, as a timed-out caller would.
            handles.push(slot.spawn(move || {
                let _ = wait.lock().unwrap().recv();
            }));
        }
        drop(handles);
        let free = || LANE.permits.get().unwrap().available_permits();
        assert_eq!(
            free(),
            0,
            "a slot was free while every piece of work still ran"
        );
        for _ in 0..LANE.capacity() {
            release.send(()).unwrap();
        }
        // Every slot comes back once the work ends.
        LANE.acquire().await;
    }
}
