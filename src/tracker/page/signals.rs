//! What a page that yields no posting shows instead: a login wall or a script-rendered shell.

use super::*;

pub(super) fn is_sign_in_url(page_url: &Url) -> bool {
    page_url
        .path_segments()
        .into_iter()
        .flatten()
        .any(|segment| {
            let stem = segment
                .split('.')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            SIGN_IN_PATH_SEGMENTS.contains(&stem.as_str())
        })
}

/// Why nothing could be extracted.
pub(super) fn failure_reason(signals: &PageSignals) -> String {
    if signals.sign_in_prompt {
        SIGN_IN_REASON.to_owned()
    } else if signals.script_shell {
        SCRIPT_SHELL_REASON.to_owned()
    } else {
        format!(
            "no job description of at least {MIN_DESCRIPTION_CHARS} characters was found on the page"
        )
    }
}

/// What the page's visible text and structure say when no long description was found.
pub(super) struct PageSignals {
    pub(super) sign_in_prompt: bool,
    pub(super) script_shell: bool,
}

/// The body's visible text, lowercased: what the verdicts look for phrases in.
pub(super) fn visible_text(doc: &Html) -> String {
    render_text(body(doc), |el| is_unreadable(el.value())).to_lowercase()
}

impl PageSignals {
    /// `visible` is `visible_text(doc)`.
    pub(super) fn read(doc: &Html, visible: &str) -> PageSignals {
        let password_field = doc.select(&INPUT).any(|input| {
            let is_password = input
                .attr("type")
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("password"));
            is_password && !is_in_unreadable(input)
        });
        let sign_in_prompt = password_field
            || SIGN_IN_PHRASES
                .iter()
                .any(|phrase| visible.contains(phrase));

        let asks_for_javascript = doc.select(&NOSCRIPT).any(|n| {
            n.text()
                .collect::<String>()
                .to_lowercase()
                .contains("javascript")
        });
        let app_like = asks_for_javascript
            || doc.select(&APP_MOUNT).next().is_some()
            || doc.select(&SCRIPT).count() >= SHELL_MIN_SCRIPTS;
        PageSignals {
            sign_in_prompt,
            script_shell: app_like && char_count(visible) < SHELL_MAX_TEXT_CHARS,
        }
    }
}

// ---------------------------------------------------------------------------------------------
