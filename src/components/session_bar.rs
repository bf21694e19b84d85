//! Who is signed in, the session state with a live countdown, and the
//! refresh and log-out buttons.

use crate::auth::SessionState;
use crate::dom::{Markup, bind_attribute, bind_text, find, html, html_text, on, slot};
use crate::page::describe_session;
use leptos::prelude::*;
use leptos::tachys::renderer::Rndr;
use web_sys::Node;

/// The bar; the texts, `data-state` and `aria-busy` are added by
/// [`SessionBar`]. Refresh is not disabled while loading: pressing it again
/// restarts the load (the one in flight is aborted).
const BAR: &str = concat!(
    r#"<div class="session-bar" data-testid="session-bar">"#,
    r#"<span class="session-who" data-testid="session-who"></span>"#,
    r#"<span class="session-state" data-testid="session-state" data-state="" role="status"></span>"#,
    r#"<button type="button" aria-busy="false" data-testid="refresh">Refresh</button>"#,
    r#"<button class="secondary" type="button" data-testid="logout">Log out</button></div>"#,
);

/// Why the token is kept in memory only.
const WARNING: &str =
    r#"<p class="storage-warning" role="status" data-testid="storage-warning"></p>"#;

/// The header's session controls; empty while signed out.
pub struct SessionBar {
    /// Whether someone is signed in; the bar is empty otherwise.
    pub signed_in: ReadSignal<bool>,
    /// Who, when known (not after a reload).
    pub identity: ReadSignal<Option<String>>,
    /// The session as the client sees it.
    pub session: ReadSignal<SessionState>,
    /// Wall-clock ms, for the countdown to renewal or expiry.
    pub now: ReadSignal<f64>,
    /// Whether a load is in flight.
    pub loading: ReadSignal<bool>,
    /// Why the token is kept in memory only, if it is.
    pub storage_warning: ReadSignal<Option<String>>,
    /// The Refresh button.
    pub on_refresh: Callback<()>,
    /// The Log out button.
    pub on_log_out: Callback<()>,
}

impl SessionBar {
    /// Its elements, wired to its signals and callbacks.
    pub fn view(self) -> Markup {
        let Self {
            signed_in,
            identity,
            session,
            now,
            loading,
            storage_warning,
            on_refresh,
            on_log_out,
        } = self;
        // Two places side by side in the header, between two markers.
        let fragment = document().create_document_fragment();
        let first: Node = Rndr::create_placeholder().into();
        let last: Node = Rndr::create_placeholder().into();
        let _ = fragment.append_child(&first);
        let _ = fragment.append_child(&last);
        slot(
            &fragment,
            Some(&last),
            Box::new(move || {
                signed_in.get().then(|| {
                    let bar = html(BAR);
                    bind_text(
                        &find(&bar, ".session-who"),
                        Box::new(move || match identity.get() {
                            Some(identity) => format!("Signed in as {identity}"),
                            None => "Signed in".to_owned(),
                        }),
                    );
                    let state = find(&bar, ".session-state");
                    bind_attribute(
                        &state,
                        "data-state",
                        Box::new(move || {
                            Some(describe_session(session.get(), now.get()).0.to_owned())
                        }),
                    );
                    bind_text(
                        &state,
                        Box::new(move || describe_session(session.get(), now.get()).1),
                    );
                    let refresh = find(&bar, "[data-testid=refresh]");
                    bind_attribute(
                        &refresh,
                        "aria-busy",
                        Box::new(move || Some(loading.get().to_string())),
                    );
                    on(&refresh, "click", Box::new(move |_| on_refresh.run(())));
                    on(
                        &find(&bar, "[data-testid=logout]"),
                        "click",
                        Box::new(move |_| on_log_out.run(())),
                    );
                    bar
                })
            }),
        );
        slot(
            &fragment,
            Some(&last),
            Box::new(move || {
                let warning = if signed_in.get() {
                    storage_warning.get()
                } else {
                    None
                };
                warning.map(|warning| html_text(WARNING, &warning))
            }),
        );
        Markup::nodes(fragment, first, last)
    }
}
