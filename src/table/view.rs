//! The table component: renders a [`Dataset`] as an HTML table. Every cell
//! is a text node; nothing from the server is ever parsed as HTML.

use super::model::{CellKind, Dataset};
use leptos::prelude::*;
use std::sync::Arc;

/// The data table, or an empty state. Renders nothing before the first
/// successful load (the status line says what is happening).
#[component]
pub fn DataTable(
    /// The table's caption.
    title: String,
    /// The rows to show.
    dataset: Signal<Option<Arc<Dataset>>>,
) -> impl IntoView {
    move || {
        let title = title.clone();
        dataset.get().map(|data| {
            if data.rows.is_empty() {
                return view! { <p class="empty" data-testid="empty">"No rows to show."</p> }.into_any();
            }
            let count = format!("{} rows", data.rows.len());
            let headers = data
                .columns
                .iter()
                .map(|c| view! { <th scope="col">{c.label.clone()}</th> })
                .collect_view();
            let body = (0..data.rows.len())
                .map(|row| {
                    let cells = data
                        .columns
                        .iter()
                        .map(|column| {
                            let cell = data.cell(row, column);
                            let class = match cell.kind {
                                CellKind::Number => "num",
                                CellKind::Bool(_) => "bool",
                                CellKind::Empty => "null",
                                CellKind::Json => "json",
                                CellKind::Text => "",
                            };
                            let spoken = cell.spoken();
                            let title = (cell.kind == CellKind::Json).then(|| cell.text.clone());
                            view! {
                                <td class=class title=title>
                                    <span aria-hidden=spoken.map(|_| "true")>{cell.text}</span>
                                    {spoken.map(|s| view! { <span class="sr-only">{s}</span> })}
                                </td>
                            }
                        })
                        .collect_view();
                    view! { <tr>{cells}</tr> }
                })
                .collect_view();
            let region_label = title.clone();
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=region_label>
                    <table data-testid="data-table">
                        <caption>{title} " " <span class="muted" data-testid="row-count">{count}</span></caption>
                        <thead><tr>{headers}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
            .into_any()
        })
    }
}
