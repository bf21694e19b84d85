//! Who is signed in, the session state with a live countdown, and the
//! refresh and log-out buttons.

use crate::auth::SessionState;
use crate::page::describe_session;
use leptos::prelude::*;

/// The header's session controls; empty while signed out.
#[component]
pub fn SessionBar(
    /// Whether someone is signed in; the bar is empty otherwise.
    signed_in: ReadSignal<bool>,
    /// Who, when known (not after a reload).
    identity: ReadSignal<Option<String>>,
    /// The session as the client sees it.
    session: ReadSignal<SessionState>,
    /// Wall-clock ms, for the countdown to renewal or expiry.
    now: ReadSignal<f64>,
    /// Whether a load is in flight.
    loading: ReadSignal<bool>,
    /// Why the token is kept in memory only, if it is.
    storage_warning: ReadSignal<Option<String>>,
    /// The Refresh button.
    on_refresh: Callback<()>,
    /// The Log out button.
    on_log_out: Callback<()>,
) -> impl IntoView {
    let state = move || describe_session(session.get(), now.get());
    view! {
        {move || signed_in.get().then(|| view! {
            <div class="session-bar" data-testid="session-bar">
                <span class="session-who" data-testid="session-who">
                    {move || match identity.get() {
                        Some(identity) => format!("Signed in as {identity}"),
                        None => "Signed in".to_owned(),
                    }}
                </span>
                <span class="session-state" data-testid="session-state" data-state=move || state().0 role="status">
                    {move || state().1}
                </span>
                // Not disabled while loading: pressing it again restarts
                // the load (the one in flight is aborted).
                <button
                    type="button"
                    on:click=move |_| on_refresh.run(())
                    aria-busy=move || loading.get().to_string()
                    data-testid="refresh"
                >
                    "Refresh"
                </button>
                <button type="button" class="secondary" on:click=move |_| on_log_out.run(()) data-testid="logout">
                    "Log out"
                </button>
            </div>
            {move || storage_warning.get().map(|warning| view! {
                <p class="storage-warning" role="status" data-testid="storage-warning">{warning}</p>
            })}
        })}
    }
}
