//! The admin's pages, one module per section.

pub mod audit_log;
pub mod dashboard;
pub mod files;
mod owners;
pub mod portfolios;
pub mod postings;
pub mod promo_codes;
pub mod queue;
pub mod subscriptions;
pub mod tracker;
pub mod users;

/// Long text cut for a page (descriptions, page JSON): the admin shows, it does not export.
const SHOWN_CHARS: usize = 20_000;

fn truncated(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!(
            "{}\n… ({} characters in all)",
            &text[..at],
            text.chars().count()
        ),
        None => text.to_owned(),
    }
}
