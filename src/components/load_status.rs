//! The line above the table: loading, retrying by itself, or the last
//! error with a retry button.

use crate::dom::{Markup, bind_text, find, html, on, slot};
use crate::page::{LoadPhase, retry_countdown};
use leptos::prelude::*;

/// What a load in flight shows.
const LOADING: &str = concat!(
    r#"<p class="status status-loading" data-testid="loading">"#,
    r#"<span class="spinner" aria-hidden="true"></span>Loading…</p>"#,
);

/// A failed load; the message, the countdown, the stale note and the
/// button's text are added by [`LoadStatus`].
const FAILED: &str = concat!(
    r#"<div class="status status-error" role="alert" data-testid="load-error">"#,
    r#"<p><strong>The data could not be loaded. </strong></p>"#,
    r#"<button type="button" data-testid="retry"></button></div>"#,
);

/// The place of the status line.
const STATUS: &str = r#"<div class="status-slot" aria-live="polite"></div>"#;

/// The countdown to an automatic retry.
const COUNTDOWN: &str = r#"<p data-testid="retry-countdown"></p>"#;

/// Under the error, while what shows below is from an earlier load: its
/// table, or the note that its answer had no rows.
const STALE: &str = concat!(
    r#"<p class="muted" data-testid="stale-note">"#,
    "Shown below: the last data that loaded, which may be out of date.</p>",
);

/// Loading and error states. A failed refresh leaves the last table on
/// screen, marked as stale.
pub struct LoadStatus {
    /// The current load.
    pub phase: ReadSignal<LoadPhase>,
    /// Whether what shows below is from an earlier load.
    pub stale: ReadSignal<bool>,
    /// Wall-clock ms, for the countdown to an automatic retry.
    pub now: ReadSignal<f64>,
    /// The Retry button.
    pub on_retry: Callback<()>,
}

impl LoadStatus {
    /// Its elements, wired to its signals and callbacks.
    pub fn view(self) -> Markup {
        let Self {
            phase,
            stale,
            now,
            on_retry,
        } = self;
        let status = html(STATUS);
        slot(
            &status,
            None,
            Box::new(move || {
                // A failure with an automatic retry at `at`, or without one.
                let (message, at) = match phase.get() {
                    LoadPhase::Idle => return None,
                    LoadPhase::Loading => return Some(html(LOADING)),
                    LoadPhase::Retrying { message, at } => (message, Some(at)),
                    LoadPhase::Failed(message) => (message, None),
                };
                let failed = html(FAILED);
                let _ = find(&failed, "p").append_child(&document().create_text_node(&message));
                let button = find(&failed, "button");
                if let Some(at) = at {
                    let _ = failed.set_attribute("data-retrying", "true");
                    let countdown = html(COUNTDOWN);
                    bind_text(&countdown, Box::new(move || retry_countdown(at, now.get())));
                    let _ = failed.insert_before(&countdown, Some(&button));
                }
                slot(
                    &failed,
                    Some(&button),
                    Box::new(move || stale.get().then(|| html(STALE))),
                );
                button.set_text_content(Some(if at.is_some() { "Retry now" } else { "Retry" }));
                on(&button, "click", Box::new(move |_| on_retry.run(())));
                Some(failed)
            }),
        );
        Markup::element(status)
    }
}
