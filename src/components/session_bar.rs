//! Who is signed in, the session state with a live countdown, and the
//! refresh and log-out buttons.

use crate::auth::SessionState;
use leptos::prelude::*;

/// `41 s`, `3 min 5 s`, `2 h 10 min`.
fn duration_text(ms: f64) -> String {
    let s = (ms / 1000.0).ceil().max(0.0) as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// The sentence and a machine-readable name for the session's state.
fn describe(state: SessionState, now: f64) -> (&'static str, String) {
    match state {
        SessionState::SignedOut => ("signed-out", "Signed out".into()),
        SessionState::Renewing => ("renewing", "Renewing the session…".into()),
        SessionState::Expired => (
            "expired",
            "Session expired: the next load asks you to log in".into(),
        ),
        SessionState::SignedIn {
            renews_at: Some(at),
            ..
        } => (
            "signed-in",
            if at > now {
                format!("Token renews in {}", duration_text(at - now))
            } else {
                "Token renews now".into()
            },
        ),
        SessionState::SignedIn {
            expires_at: Some(at),
            renews_at: None,
        } => (
            "signed-in",
            if at > now {
                format!("Token expires in {}", duration_text(at - now))
            } else {
                "Token has expired".into()
            },
        ),
        SessionState::SignedIn { .. } => (
            "signed-in",
            "Token lifetime unknown: renewed when refused".into(),
        ),
    }
}

/// The header's session controls; empty while signed out.
#[component]
pub fn SessionBar(
    /// Whether someone is signed in; the bar is empty otherwise.
    #[prop(into)]
    signed_in: Signal<bool>,
    /// Who, when known (not after a reload).
    #[prop(into)]
    identity: Signal<Option<String>>,
    /// The session as the client sees it.
    #[prop(into)]
    session: Signal<SessionState>,
    /// Wall-clock ms, for the countdown to renewal or expiry.
    #[prop(into)]
    now: Signal<f64>,
    /// Whether a load is in flight.
    #[prop(into)]
    loading: Signal<bool>,
    /// Why the token is kept in memory only, if it is.
    #[prop(into)]
    storage_warning: Signal<Option<String>>,
    /// The Refresh button.
    on_refresh: Callback<()>,
    /// The Log out button.
    on_log_out: Callback<()>,
) -> impl IntoView {
    let state = move || describe(session.get(), now.get());
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
