//! The line above the table: loading, retrying by itself, or the last
//! error with a retry button.

use crate::page::{LoadPhase, retry_countdown};
use leptos::prelude::*;

/// Loading and error states. A failed refresh leaves the last table on
/// screen, marked as stale.
#[component]
pub fn LoadStatus(
    /// The current load.
    phase: ReadSignal<LoadPhase>,
    /// Whether the table below is from an earlier load.
    stale: ReadSignal<bool>,
    /// Wall-clock ms, for the countdown to an automatic retry.
    now: ReadSignal<f64>,
    /// The Retry button.
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="status-slot" aria-live="polite">
            {move || {
                // A failure with an automatic retry at `at`, or without
                // one: one view for both, so the bundle carries one.
                let (message, at) = match phase.get() {
                    LoadPhase::Idle => return ().into_any(),
                    LoadPhase::Loading => {
                        return view! {
                            <p class="status status-loading" data-testid="loading">
                                <span class="spinner" aria-hidden="true"></span>
                                "Loading…"
                            </p>
                        }
                        .into_any();
                    }
                    LoadPhase::Retrying { message, at } => (message, Some(at)),
                    LoadPhase::Failed(message) => (message, None),
                };
                view! {
                    <div class="status status-error" role="alert" data-testid="load-error" data-retrying=at.map(|_| "true")>
                        <p>
                            <strong>"The data could not be loaded. "</strong>
                            {message}
                        </p>
                        {at.map(|at| view! {
                            <p data-testid="retry-countdown">{move || retry_countdown(at, now.get())}</p>
                        })}
                        {move || stale.get().then(|| view! {
                            <p class="muted" data-testid="stale-note">
                                "The table below is stale: it shows the last data that loaded."
                            </p>
                        })}
                        <button type="button" on:click=move |_| on_retry.run(()) data-testid="retry">
                            {if at.is_some() { "Retry now" } else { "Retry" }}
                        </button>
                    </div>
                }
                .into_any()
            }}
        </div>
    }
}
