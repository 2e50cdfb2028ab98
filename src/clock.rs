//! The clock for rate limits and the job queue: real time plus an offset that only tests move,
//! so a test can show a limit recovering or a retry coming due without sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::clock::Clock;
use governor::nanos::Nanos;

#[derive(Clone, Debug)]
pub struct AppClock {
    start: Instant,
    offset_nanos: Arc<AtomicU64>,
}

impl Default for AppClock {
    fn default() -> Self {
        AppClock {
            start: Instant::now(),
            offset_nanos: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl AppClock {
    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        let nanos = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        self.offset_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Wall-clock time as stored (UTC, microseconds), moved by the same offset.
    pub fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        let offset = Duration::from_nanos(self.offset_nanos.load(Ordering::Relaxed));
        use chrono::SubsecRound;
        (chrono::Utc::now() + chrono::Duration::from_std(offset).unwrap_or_default())
            .trunc_subsecs(6)
    }
}

impl Clock for AppClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let elapsed = u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        Nanos::from(elapsed.saturating_add(self.offset_nanos.load(Ordering::Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::Reference;

    #[test]
    fn advancing_one_clone_moves_all_of_them() {
        let clock = AppClock::default();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(Duration::from_secs(60));
        assert!(copy.now().duration_since(before) >= Nanos::from(Duration::from_secs(60)));
    }
}
