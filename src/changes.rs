//! Cross-instance cache invalidation. On PostgreSQL, triggers (migration 20) announce on commit
//! what changed in the tables the in-process caches copy; every process LISTENs on its schema's
//! channel and drops the affected entries within milliseconds, whoever wrote (another instance,
//! a worker, the import CLI). While the listener is not subscribed (starting, or reconnecting
//! after an outage) a notification could be missed, so the caches are closed by the
//! [`CacheGate`] and emptied before they open again. SQLite has one writing process: its gate is
//! always open and the writers' own `forget` calls are the whole story. The same notifications
//! wake the analysis streams watching a job application ([`Wakeups`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgListener, PgPool};
use tokio::sync::watch;

use crate::state::Inner;

/// How long the listener waits before subscribing again after losing its connection.
const RESUBSCRIBE_AFTER: Duration = Duration::from_secs(1);

/// Whether this process's caches may serve and keep entries.
#[derive(Clone, Debug)]
pub struct CacheGate(Arc<AtomicBool>);

impl CacheGate {
    /// Open for good: the single-process SQLite setup.
    pub fn open() -> CacheGate {
        CacheGate(Arc::new(AtomicBool::new(true)))
    }

    /// Closed until a listener subscribes.
    pub fn closed() -> CacheGate {
        CacheGate(Arc::new(AtomicBool::new(false)))
    }

    pub fn is_open(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    fn set(&self, open: bool) {
        self.0.store(open, Ordering::Release);
    }
}

/// One announced change.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// An account, its skills or what its public pages embed (projects, name, plan).
    User(i64),
    IndustryProfile(i64),
    /// A portfolio with this slug was written (published, unpublished, renamed, deleted).
    Slug(String),
    Postings,
    /// The analysis of this job application was started, re-run or finished.
    Analysis(i64),
}

impl Change {
    /// Reads a trigger's payload (`user:42`, `industry:42`, `slug:jane`, `postings`).
    pub fn parse(payload: &str) -> Option<Change> {
        if payload == "postings" {
            return Some(Change::Postings);
        }
        let (what, key) = payload.split_once(':')?;
        match what {
            "user" => key.parse().ok().map(Change::User),
            "industry" => key.parse().ok().map(Change::IndustryProfile),
            "slug" => Some(Change::Slug(key.to_owned())),
            "analysis" => key.parse().ok().map(Change::Analysis),
            _ => None,
        }
    }
}

impl Inner {
    /// Drops what `change` makes stale in this process's caches.
    pub fn apply_change(&self, change: &Change) {
        match change {
            Change::User(id) => {
                self.accounts.forget(*id);
                self.public_pages.forget_owner(*id);
            }
            Change::IndustryProfile(id) => self.industry_profiles.forget(*id),
            Change::Slug(slug) => self.public_pages.forget(slug),
            Change::Postings => self.db.postings_changed(),
            Change::Analysis(job_id) => self.analysis_wakeups.announce(*job_id),
        }
    }

    /// Empties every cache (notifications may have been missed).
    pub fn forget_everything(&self) {
        self.accounts.clear();
        self.industry_profiles.clear();
        self.public_pages.clear();
        self.db.postings_changed();
    }
}

/// Within one process, which job applications' analyses just changed: announced by the writer
/// in this process and by the listener for every other one, heard by the streams that watch
/// them (`tracker::analysis`), so a stream answers when the result lands rather than at its next
/// poll.
#[derive(Clone, Debug)]
pub struct Wakeups(tokio::sync::broadcast::Sender<i64>);

/// Announcements kept for a slow stream; one that falls further behind reads the row again.
const WAKEUPS_KEPT: usize = 1_024;

impl Default for Wakeups {
    fn default() -> Self {
        Wakeups(tokio::sync::broadcast::channel(WAKEUPS_KEPT).0)
    }
}

impl Wakeups {
    /// Tells every watcher of `job_id` in this process to look again.
    pub fn announce(&self, job_id: i64) {
        // No receiver is fine: nobody is watching.
        let _ = self.0.send(job_id);
    }

    pub fn subscribe(&self) -> WakeupReceiver {
        WakeupReceiver(self.0.subscribe())
    }
}

/// One watcher's end of [`Wakeups`].
pub struct WakeupReceiver(tokio::sync::broadcast::Receiver<i64>);

impl WakeupReceiver {
    /// Returns once `job_id` was announced (or announcements were missed, so it may have been);
    /// never, once the sender is gone.
    pub async fn changed(&mut self, job_id: i64) {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match self.0.recv().await {
                Ok(announced) if announced == job_id => return,
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => return,
                Err(RecvError::Closed) => std::future::pending::<()>().await,
            }
        }
    }
}

/// Where the listener connects and which schema's channel it hears.
pub struct ListenerTarget {
    /// The database URL: the listener holds a connection of its own, outside the pool.
    pub url: String,
    /// The app's pool, asked which schema its tables are in.
    pub pool: PgPool,
}

/// Starts the listener for `state`'s caches on PostgreSQL; it stops when the returned sender is
/// dropped (with the state) or the state is gone.
pub fn spawn_listener(
    state: Weak<Inner>,
    target: ListenerTarget,
    gate: CacheGate,
) -> watch::Sender<()> {
    let (stop, stopped) = watch::channel(());
    tokio::spawn(listen(state, target, gate, stopped));
    stop
}

async fn listen(
    state: Weak<Inner>,
    target: ListenerTarget,
    gate: CacheGate,
    mut stopped: watch::Receiver<()>,
) {
    loop {
        let subscribed = tokio::select! {
            subscribed = subscribe(&target) => subscribed,
            _ = stopped.changed() => return,
        };
        match subscribed {
            Ok(mut listener) => {
                let Some(inner) = state.upgrade() else { return };
                inner.forget_everything();
                drop(inner);
                gate.set(true);
                tracing::debug!("listening for cache invalidations");
                let ended = tokio::select! {
                    ended = receive(&state, &mut listener) => ended,
                    _ = stopped.changed() => return,
                };
                gate.set(false);
                if let Some(inner) = state.upgrade() {
                    inner.forget_everything();
                }
                match ended {
                    Ended::StateGone => return,
                    Ended::Lost(err) => tracing::warn!(error = %err,
                        "cache invalidation listener lost its connection; caches off until it is back"),
                }
            }
            Err(err) => tracing::warn!(error = %err, "could not subscribe to cache invalidations"),
        }
        tokio::select! {
            () = tokio::time::sleep(RESUBSCRIBE_AFTER) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// A listener on the channel of the schema the app's tables are in (LISTEN itself is
/// database-wide, so its own connection needs no search path).
async fn subscribe(target: &ListenerTarget) -> Result<PgListener, sea_orm::sqlx::Error> {
    let schema: String = sea_orm::sqlx::query_scalar("SELECT current_schema()::text")
        .fetch_one(&target.pool)
        .await?;
    let mut listener = PgListener::connect(&target.url).await?;
    // Lost connections are handled here (resubscribe, empty the caches), not reconnected
    // silently.
    listener.eager_reconnect(false);
    listener.listen(&format!("careerhub_{schema}")).await?;
    Ok(listener)
}

enum Ended {
    StateGone,
    Lost(String),
}

async fn receive(state: &Weak<Inner>, listener: &mut PgListener) -> Ended {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                let Some(inner) = state.upgrade() else {
                    return Ended::StateGone;
                };
                match Change::parse(notification.payload()) {
                    Some(change) => inner.apply_change(&change),
                    None => tracing::warn!(
                        payload = notification.payload(),
                        "unknown change notification"
                    ),
                }
            }
            Ok(None) => return Ended::Lost("the connection closed".into()),
            Err(err) => return Ended::Lost(err.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt;

    use super::*;

    /// Polled once each (`now_or_never`): whether a watcher wakes is decided by what was
    /// announced before, never by a clock.
    #[test]
    fn a_watcher_wakes_for_its_own_job_only_and_when_it_fell_behind() {
        let wakeups = Wakeups::default();
        let mut watcher = wakeups.subscribe();
        wakeups.announce(8);
        assert_eq!(watcher.changed(7).now_or_never(), None);
        wakeups.announce(9);
        wakeups.announce(7);
        assert_eq!(watcher.changed(7).now_or_never(), Some(()));
        assert_eq!(watcher.changed(7).now_or_never(), None);
        // More announcements than are kept: the watcher cannot tell whether its job was one.
        for other in 0..(WAKEUPS_KEPT as i64 + 10) {
            wakeups.announce(1_000 + other);
        }
        assert_eq!(watcher.changed(7).now_or_never(), Some(()));
    }

    #[test]
    fn trigger_payloads_name_what_changed() {
        assert_eq!(Change::parse("user:42"), Some(Change::User(42)));
        assert_eq!(
            Change::parse("industry:7"),
            Some(Change::IndustryProfile(7))
        );
        assert_eq!(
            Change::parse("slug:jane-doe"),
            Some(Change::Slug("jane-doe".into()))
        );
        assert_eq!(Change::parse("postings"), Some(Change::Postings));
        assert_eq!(Change::parse("analysis:12"), Some(Change::Analysis(12)));
        assert_eq!(Change::parse("user:x"), None);
        assert_eq!(Change::parse("other:1"), None);
    }
}
