//! Who is signed in, with the refresh and log-out buttons.

use crate::app::{Controller, LoadPhase};
use leptos::prelude::*;

/// The header's session controls; empty while signed out.
#[component]
pub fn SessionBar() -> impl IntoView {
    let controller = expect_context::<Controller>();
    let loading = move || controller.phase.get() == LoadPhase::Loading;
    view! {
        <Show when=move || controller.signed_in.get()>
            <div class="session-bar" data-testid="session-bar">
                <span class="session-who">
                    {move || match controller.identity.get() {
                        Some(identity) => format!("Signed in as {identity}"),
                        None => "Signed in".to_owned(),
                    }}
                </span>
                <button
                    type="button"
                    on:click=move |_| controller.load()
                    disabled=loading
                    aria-busy=move || loading().to_string()
                    data-testid="refresh"
                >
                    "Refresh"
                </button>
                <button type="button" class="secondary" on:click=move |_| controller.log_out() data-testid="logout">
                    "Log out"
                </button>
            </div>
            {move || controller.storage_warning.get().map(|warning| view! {
                <p class="storage-warning" role="status" data-testid="storage-warning">{warning}</p>
            })}
        </Show>
    }
}
