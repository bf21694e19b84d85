//! Shown instead of the app when the configuration cannot be used.

use crate::config::{ConfigError, ELEMENT_ID};
use leptos::prelude::*;

/// A panel that names the broken setting and where to fix it.
#[component]
pub fn ConfigProblem(error: ConfigError) -> impl IntoView {
    view! {
        <main class="app-main">
            <section class="panel panel-error" role="alert" data-testid="config-error">
                <h1>"tokengrid cannot start"</h1>
                <p>{error.to_string()}</p>
                <p class="muted">
                    "Fix the JSON in the "<code>{format!("<script id=\"{ELEMENT_ID}\">")}</code>
                    " block of index.html and reload the page. No rebuild is needed."
                </p>
            </section>
        </main>
    }
}
