//! The table component: toolbar (search, count, page size, columns, CSV),
//! sortable and filterable headers, the visible page of rows, and the
//! pager. Every cell is a text node or an attribute value; nothing from the
//! server is ever parsed as HTML. The decisions are in [`Dataset::select`],
//! [`TableState`], [`Pager`] and [`to_csv`]; this file only wires signals to
//! them and their answers to the DOM.

use super::csv::{file_name, to_csv};
use super::model::{Cell, CellKind, Column, ColumnKind, Dataset};
use super::pager::{Nav, PAGE_SIZES, Pager, Turn};
use super::query::{Selection, TableState};
use super::sort::Direction;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};

/// The data table. `state` (sort, search, filters, page, page size, hidden
/// columns) lives outside, so it survives refreshes and re-logins.
/// `on_server_page(page, per_page)` loads another page of a server-paged
/// endpoint.
#[component]
pub fn DataTable(
    /// The table's caption.
    title: String,
    /// The rows to show.
    dataset: ReadSignal<Option<Arc<Dataset>>>,
    /// The user's view of the table.
    state: RwSignal<TableState>,
    /// Loads page `page` (1-based) of `per_page` rows from the server.
    #[prop(optional)]
    on_server_page: Option<Callback<(u64, u64)>>,
) -> impl IntoView {
    // The matching rows depend on the data and the query only: turning a
    // page or hiding a column does not search or sort again.
    let query = Memo::new(move |_| state.with(|s| s.query.clone()));
    let selection =
        Memo::new(move |_| dataset.with(|d| d.as_ref().map(|d| query.with(|q| d.select(q)))));
    // Headers, filters and cells re-render only when the shown columns
    // change, not on every keystroke in a filter.
    let visible = Memo::new(move |_| {
        dataset.with(|d| {
            d.as_ref()
                .map_or_else(Vec::new, |d| state.with(|s| s.visible_columns(&d.columns)))
        })
    });
    let pager = Memo::new(move |_| {
        let matching = selection.with(|s| s.as_ref().map_or(0, |s| s.rows.len()));
        dataset.with(|d| {
            let paging = d.as_ref().and_then(|d| d.paging.as_ref());
            state.with(|s| Pager::new(paging, matching, s.page, s.page_size))
        })
    });
    // What a pager button or the page-size control asks for, carried out.
    let turn = move |turn: Turn| match turn {
        Turn::Stay => {}
        Turn::Show { page, size } => state.update(|s| s.show(page, size)),
        Turn::Load { page, per_page } => {
            if let Some(load) = on_server_page {
                load.run((page, per_page));
            }
        }
    };
    let file_name = file_name(&title);

    move || {
        let Some(data) = dataset.get() else {
            return ().into_any();
        };
        if data.rows.is_empty() {
            return view! { <p class="empty" data-testid="empty">"No rows to show."</p> }
                .into_any();
        }
        let title = title.clone();
        let data_for_rows = data.clone();
        view! {
            <div class="table-panel">
                {toolbar(data.clone(), state, selection, visible, pager, turn, file_name.clone())}
                <div class="table-scroll" tabindex="0" role="region" aria-label=title.clone()>
                    <table data-testid="data-table">
                        <caption>
                            {title.clone()} " "
                            <span class="muted" data-testid="row-count">{format!("{} rows", data.rows.len())}</span>
                        </caption>
                        <thead>
                            <tr>
                                {move || visible.get().into_iter().map(|column| header(column, state)).collect_view()}
                            </tr>
                            <tr class="filters">
                                {move || visible.get().into_iter().map(|column| filter(column, state)).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                let pager = pager.get();
                                let columns = visible.get();
                                selection.with(|s| {
                                    let rows = s.as_ref().map_or(&[][..], |s| pager.rows(&s.rows));
                                    rows.iter()
                                        .map(|&row| {
                                            let cells = columns
                                                .iter()
                                                .map(|column| cell_view(data_for_rows.cell(row, column), column.kind))
                                                .collect_view();
                                            view! { <tr>{cells}</tr> }
                                        })
                                        .collect_view()
                                })
                            }}
                        </tbody>
                    </table>
                </div>
                {pager_nav(pager, turn)}
            </div>
        }
        .into_any()
    }
}

/// Search, the count, the page size, the column menu and the CSV download.
fn toolbar(
    data: Arc<Dataset>,
    state: RwSignal<TableState>,
    selection: Memo<Option<Selection>>,
    visible: Memo<Vec<Column>>,
    pager: Memo<Pager>,
    turn: impl Fn(Turn) + Copy + 'static,
    file_name: String,
) -> impl IntoView {
    // The current view: matching rows in sort order, shown columns.
    let data_for_csv = data.clone();
    let download = move |_| {
        let csv = selection.with_untracked(|s| {
            let rows = s.as_ref().map_or(&[][..], |s| &s.rows);
            visible.with_untracked(|columns| {
                to_csv(&data_for_csv, rows, &columns.iter().collect::<Vec<_>>())
            })
        });
        save_file(&file_name, &csv);
    };
    let count = move || {
        let (matching, total) =
            selection.with(|s| s.as_ref().map_or((0, 0), |s| (s.rows.len(), s.total)));
        pager.with(|p| p.count(matching, total))
    };
    let columns = data.columns.clone();
    view! {
        <div class="toolbar">
            <input
                type="search"
                class="search"
                placeholder="Search all columns"
                aria-label="Search all columns"
                data-testid="search"
                prop:value=move || state.with(|s| s.query.search.clone())
                on:input=move |ev| state.update(|s| s.set_search(&event_target_value(&ev)))
            />
            <span class="match-count" data-testid="match-count" aria-live="polite">{count}</span>
            <label class="page-size">
                "Rows per page "
                <select
                    data-testid="page-size"
                    prop:value=move || pager.with(Pager::size_value)
                    on:change=move |ev| {
                        let size = event_target_value(&ev).parse().ok();
                        turn(pager.with_untracked(|p| p.resize(size)));
                    }
                >
                    {PAGE_SIZES.map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    <option value="all" disabled=move || !pager.with(Pager::offers_all)>"All"</option>
                </select>
            </label>
            <details class="columns-menu">
                <summary data-testid="columns-menu">"Columns"</summary>
                <fieldset>
                    <legend class="sr-only">"Shown columns"</legend>
                    {columns
                        .into_iter()
                        .map(|column| {
                            let key = column.key.clone();
                            let key_for_toggle = key.clone();
                            view! {
                                <label>
                                    <input
                                        type="checkbox"
                                        data-testid=format!("column-toggle-{key}")
                                        prop:checked=move || state.with(|s| s.is_visible(&key))
                                        on:change=move |_| state.update(|s| s.toggle_column(&key_for_toggle))
                                    />
                                    " " {column.label}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            </details>
            <button type="button" class="secondary" on:click=download data-testid="download-csv">
                "Download CSV"
            </button>
        </div>
    }
}

/// A sortable header: a button inside the `th`, which carries `aria-sort`.
fn header(column: Column, state: RwSignal<TableState>) -> impl IntoView {
    let key = column.key.clone();
    // `aria-sort` and the arrow for the column's sort state.
    let marks = move || match state.with(|s| s.query.direction_of(&key)) {
        Some(Direction::Ascending) => ("ascending", "▲"),
        Some(Direction::Descending) => ("descending", "▼"),
        None => ("none", "↕"),
    };
    let arrow = marks.clone();
    let key = column.key.clone();
    view! {
        <th scope="col" class=kind_class(column.kind) aria-sort=move || marks().0>
            <button
                type="button"
                class="sort"
                data-testid=format!("sort-{}", column.key)
                on:click=move |_| state.update(|s| s.query.toggle_sort(&key))
            >
                {column.label}
                <span class="sort-arrow" aria-hidden="true">{move || arrow().1}</span>
            </button>
        </th>
    }
}

/// The per-column filter input under a header.
fn filter(column: Column, state: RwSignal<TableState>) -> impl IntoView {
    let key = column.key.clone();
    let key_for_input = key.clone();
    view! {
        <th scope="col">
            <input
                type="search"
                class="column-filter"
                placeholder="Filter"
                aria-label=format!("Filter {}", column.label)
                data-testid=format!("filter-{}", column.key)
                prop:value=move || state.with(|s| s.query.filter_of(&key).to_owned())
                on:input=move |ev| state.update(|s| s.set_filter(&key_for_input, &event_target_value(&ev)))
            />
        </th>
    }
}

fn kind_class(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Number => "num",
        ColumnKind::Bool => "bool",
        _ => "",
    }
}

/// One cell, by kind. Links only for `mailto:` and http(s) URLs.
fn cell_view(cell: Cell, column: ColumnKind) -> impl IntoView {
    let spoken = cell.spoken();
    let class = match cell.kind {
        CellKind::Number => "num",
        CellKind::Bool(_) => "bool",
        CellKind::Empty => "null",
        CellKind::Json => "json",
        CellKind::Timestamp(_) => "time",
        _ if column == ColumnKind::Number => "num",
        _ => "",
    };
    let title = (cell.kind == CellKind::Json).then(|| cell.text.clone());
    let content = match cell.kind {
        CellKind::Email => {
            let href = format!("mailto:{}", cell.text);
            view! { <a href=href>{cell.text}</a> }.into_any()
        }
        CellKind::Url => {
            let href = cell.text.clone();
            view! { <a href=href rel="noopener noreferrer" target="_blank">{cell.text}</a> }
                .into_any()
        }
        CellKind::Timestamp(ms) => {
            view! { <time datetime=cell.text>{local_date_time(ms)}</time> }.into_any()
        }
        _ => view! { <span aria-hidden=spoken.map(|_| "true")>{cell.text}</span> }.into_any(),
    };
    view! {
        <td class=class title=title>
            {content}
            {spoken.map(|s| view! { <span class="sr-only">{s}</span> })}
        </td>
    }
}

/// Epoch ms as the browser's local date and time.
fn local_date_time(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let locale = window()
        .navigator()
        .language()
        .unwrap_or_else(|| "en".to_owned());
    String::from(date.to_locale_string(&locale, &JsValue::UNDEFINED))
}

/// First / Previous / status / Next / Last.
fn pager_nav(pager: Memo<Pager>, turn: impl Fn(Turn) + Copy + 'static) -> impl IntoView {
    let go = move |nav: Nav| turn(pager.with_untracked(|p| p.go(nav)));
    let at_start = move || pager.with(Pager::at_start);
    view! {
        <nav class="pager" aria-label="Table pages">
            <button type="button" class="secondary" data-testid="page-first" disabled=at_start on:click=move |_| go(Nav::First)>"« First"</button>
            <button type="button" class="secondary" data-testid="page-prev" disabled=at_start on:click=move |_| go(Nav::Previous)>"‹ Previous"</button>
            <span data-testid="page-status" aria-live="polite">{move || pager.with(Pager::status)}</span>
            <button type="button" class="secondary" data-testid="page-next" disabled=move || pager.with(Pager::at_end) on:click=move |_| go(Nav::Next)>"Next ›"</button>
            <button type="button" class="secondary" data-testid="page-last" disabled=move || pager.with(Pager::last_off) on:click=move |_| go(Nav::Last)>"Last »"</button>
        </nav>
    }
}

/// Offers `contents` as a file download (a Blob behind a temporary link).
fn save_file(name: &str, contents: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(link) = document().create_element("a") {
        let link: web_sys::HtmlAnchorElement = link.unchecked_into();
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
