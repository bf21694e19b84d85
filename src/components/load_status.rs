//! The line above the table: loading, retrying by itself, or the last
//! error with a retry button.

use crate::app::{Controller, LoadPhase};
use leptos::prelude::*;

/// Loading and error states. A failed refresh leaves the last table on
/// screen, marked as stale.
#[component]
pub fn LoadStatus() -> impl IntoView {
    let controller = expect_context::<Controller>();
    let has_rows = move || controller.dataset.with(Option::is_some);
    let stale_note = move || {
        move || {
            has_rows().then(|| {
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
            {move || match controller.phase.get() {
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
                                // The ticker may be up to a second old; the clock is not.
                                let now = controller.now.get().max(js_sys::Date::now());
                                let left = ((at - now) / 1000.0).ceil().max(0.0) as u64;
                                format!("Trying again by itself in {left} s.")
                            }}
                        </p>
                        {stale_note()}
                        <button type="button" on:click=move |_| controller.load() data-testid="retry">
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
                        <button type="button" on:click=move |_| controller.load() data-testid="retry">
                            "Retry"
                        </button>
                    </div>
                }
                .into_any(),
            }}
        </div>
    }
}
