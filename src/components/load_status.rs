//! The line above the table: loading, retrying by itself, or the last
//! error with a retry button.

use crate::page::LoadPhase;
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
    let stale_note = move || {
        move || {
            stale.get().then(|| {
                view! {
                    <p class="muted" data-testid="stale-note">
                        "The table below is stale: it shows the last data that loaded."
                    </p>
                }
            })
        }
    };
    view! {
        <div class="status-slot" aria-live="polite">
            {move || match phase.get() {
                LoadPhase::Idle => ().into_any(),
                LoadPhase::Loading => view! {
                    <p class="status status-loading" data-testid="loading">
                        <span class="spinner" aria-hidden="true"></span>
                        "Loading…"
                    </p>
                }
                .into_any(),
                LoadPhase::Retrying { message, at } => view! {
                    <div class="status status-error" role="alert" data-testid="load-error" data-retrying="true">
                        <p>
                            <strong>"The data could not be loaded. "</strong>
                            {message}
                        </p>
                        <p data-testid="retry-countdown">
                            {move || {
                                let left = ((at - now.get()) / 1000.0).ceil().max(0.0) as u64;
                                format!("Trying again by itself in {left} s.")
                            }}
                        </p>
                        {stale_note()}
                        <button type="button" on:click=move |_| on_retry.run(()) data-testid="retry">
                            "Retry now"
                        </button>
                    </div>
                }
                .into_any(),
                LoadPhase::Failed(message) => view! {
                    <div class="status status-error" role="alert" data-testid="load-error">
                        <p>
                            <strong>"The data could not be loaded. "</strong>
                            {message}
                        </p>
                        {stale_note()}
                        <button type="button" on:click=move |_| on_retry.run(()) data-testid="retry">
                            "Retry"
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}
