//! Shown instead of the app when the configuration cannot be used.

use crate::config::{ConfigError, ELEMENT_ID};
use crate::dom::{Markup, find, html};

/// The panel; the problem and the configuration block's tag are added by
/// [`ConfigProblem`].
const PANEL: &str = concat!(
    r#"<main class="app-main"><section class="panel panel-error" role="alert" data-testid="config-error">"#,
    "<h1>tokengrid cannot start</h1><p></p>",
    r#"<p class="muted">Fix the JSON in the <code></code> block of index.html and reload the page. No rebuild is needed.</p>"#,
    "</section></main>",
);

/// A panel that names the broken setting and where to fix it.
pub struct ConfigProblem {
    pub error: ConfigError,
}

impl ConfigProblem {
    /// Its elements, wired to its signals and callbacks.
    pub fn view(self) -> Markup {
        let Self { error } = self;
        let main = html(PANEL);
        find(&main, "p").set_text_content(Some(&error.to_string()));
        find(&main, "code").set_text_content(Some(&format!("<script id=\"{ELEMENT_ID}\">")));
        Markup::element(main)
    }
}
