//! The collapsible request timeline: each request, its status, and what the
//! client did about it.

use crate::dom::{Markup, bind_text, effect, find, html};
use crate::timeline::Timeline;
use leptos::prelude::*;

/// Seconds since the entry, as `12.3 s ago`-style text is noisy: show the
/// local clock time instead.
fn clock(at: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

/// The panel; the count and the entries are added by [`TimelinePanel`].
const PANEL: &str = concat!(
    r#"<details class="timeline" data-testid="timeline">"#,
    r#"<summary>Request timeline <span class="muted"></span></summary><ol></ol></details>"#,
);

/// An entry; its kind and texts are added by [`TimelinePanel`].
const ENTRY: &str = "<li><time></time> <span></span></li>";

/// A `<details>` listing the newest timeline entries, newest first.
pub struct TimelinePanel {
    /// The entries to list.
    pub timeline: ReadSignal<Timeline>,
}

impl TimelinePanel {
    /// Its elements, wired to its signals and callbacks.
    pub fn view(self) -> Markup {
        let Self { timeline } = self;
        let details = html(PANEL);
        bind_text(
            &find(&details, "span"),
            Box::new(move || format!("({})", timeline.with(|t| t.entries().len()))),
        );
        let list = find(&details, "ol");
        effect(move || {
            list.set_text_content(None);
            timeline.with(|t| {
                for entry in t.entries().rev() {
                    let kind = entry.kind.as_str();
                    let item = html(ENTRY);
                    let _ = item.set_attribute("class", kind);
                    let _ = item.set_attribute("data-kind", kind);
                    find(&item, "time").set_text_content(Some(&clock(entry.at)));
                    find(&item, "span").set_text_content(Some(&entry.text));
                    let _ = list.append_child(&item);
                }
            });
        });
        Markup::element(details)
    }
}
