//! A per-user cap on open analysis streams: each one is a long-lived connection that reads the
//! database whenever its analysis changes (and polls besides), so one account (or one stolen
//! token) must not open them without bound. Counted per process, like the rate limits.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::{Arc, Mutex, PoisonError};

/// Streams one user may hold open at once on one instance: a few browser tabs, not a flood.
pub const STREAMS_PER_USER: usize = 4;

/// Open streams by user id; only users with at least one are present.
#[derive(Default)]
pub struct StreamSlots {
    open: Arc<Mutex<HashMap<i64, usize>>>,
}

/// One open stream; dropping it (the stream ended or the client went away) frees the slot.
pub struct StreamSlot {
    open: Arc<Mutex<HashMap<i64, usize>>>,
    user_id: i64,
}

impl StreamSlots {
    /// A slot for `user_id`, or `None` when they already hold `limit` streams.
    pub fn take(&self, user_id: i64, limit: usize) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(user_id).or_default();
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(StreamSlot {
            open: Arc::clone(&self.open),
            user_id,
        })
    }

    /// How many users hold at least one stream (for tests: it must fall back to 0).
    pub fn users(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Entry::Occupied(mut entry) = open.entry(self.user_id) {
            *entry.get_mut() -= 1;
            if *entry.get() == 0 {
                entry.remove();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_gets_up_to_the_limit_and_a_closed_stream_frees_its_slot() {
        let slots = StreamSlots::default();
        let mut held: Vec<StreamSlot> = (0..3).map(|_| slots.take(1, 3).unwrap()).collect();
        assert!(slots.take(1, 3).is_none());
        // Another user is not affected.
        let other = slots.take(2, 3).unwrap();
        held.pop();
        held.push(slots.take(1, 3).unwrap());
        assert!(slots.take(1, 3).is_none());
        assert_eq!(slots.users(), 2);
        drop(held);
        drop(other);
        assert_eq!(slots.users(), 0);
    }
}
