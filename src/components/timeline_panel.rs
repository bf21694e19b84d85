//! The collapsible request timeline: each request, its status, and what the
//! client did about it.

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

/// A `<details>` listing the newest timeline entries, newest first.
#[component]
pub fn TimelinePanel(
    /// The entries to list.
    timeline: ReadSignal<Timeline>,
) -> impl IntoView {
    view! {
        <details class="timeline" data-testid="timeline">
            <summary>
                "Request timeline "
                <span class="muted">{move || format!("({})", timeline.with(|t| t.entries().len()))}</span>
            </summary>
            <ol>
                {move || timeline.with(|t| {
                    t.entries()
                        .rev()
                        .map(|entry| view! {
                            <li class=entry.kind.as_str() data-kind=entry.kind.as_str()>
                                <time>{clock(entry.at)}</time>
                                " "
                                <span>{entry.text.clone()}</span>
                            </li>
                        })
                        .collect_view()
                })}
            </ol>
        </details>
    }
}
