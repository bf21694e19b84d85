//! The table component: toolbar (search, count, page size, columns, CSV),
//! sortable and filterable headers, the visible page of rows, and the
//! pager. Every cell is a text node or an attribute value; nothing from the
//! server is ever parsed as HTML. The logic is in [`Dataset::select`],
//! [`Pager`] and [`to_csv`]; this file only wires it to the DOM.

use super::csv::to_csv;
use super::model::{Cell, CellKind, Column, ColumnKind, Dataset};
use super::query::{PAGE_SIZES, Pager, Selection, TableState};
use super::sort::Direction;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};

/// What the pager controls: client-side pages of the rows in memory, or
/// the server's pages of a paged (Xano envelope) endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PagerMode {
    Client(Pager),
    /// 1-based current page, page count if known, whether there is a next page, rows per page.
    Server {
        page: u64,
        pages: Option<u64>,
        has_next: bool,
        per_page: u64,
        total: Option<u64>,
    },
}

/// The data table. `state` (sort, search, filters, page, page size, hidden
/// columns) lives outside, so it survives refreshes and re-logins.
/// `on_server_page(page, per_page)` loads another page of a server-paged
/// endpoint.
#[component]
pub fn DataTable(
    /// The table's caption.
    title: String,
    /// The rows to show.
    dataset: Signal<Option<Arc<Dataset>>>,
    /// The user's view of the table.
    state: RwSignal<TableState>,
    /// Loads page `page` (1-based) of `per_page` rows from the server.
    #[prop(optional)]
    on_server_page: Option<Callback<(u64, u64)>>,
) -> impl IntoView {
    // The matching rows depend on the data and on sort/search/filters only,
    // not on the page: paging does not re-sort.
    let query = Memo::new(move |_| state.with(TableState::query));
    let selection = Memo::new(move |_| {
        let (sort, search, filters) = query.get();
        let state = TableState {
            sort,
            search,
            filters,
            ..TableState::default()
        };
        dataset.with(|d| d.as_ref().map(|d| d.select(&state)))
    });
    let pager = Memo::new(move |_| {
        let server = dataset.with(|d| d.as_ref().and_then(|d| d.paging.clone()));
        match server {
            Some(paging) => PagerMode::Server {
                page: paging.cur_page.unwrap_or(1),
                pages: paging.page_total,
                has_next: paging.next_page.is_some(),
                per_page: paging.per_page.unwrap_or(25),
                total: paging.items_total,
            },
            None => {
                let len = selection.with(|s| s.as_ref().map_or(0, |s| s.rows.len()));
                let (page, size) = state.with(|s| (s.page, s.page_size));
                PagerMode::Client(Pager::new(len, size, page))
            }
        }
    });
    let file_name = format!(
        "{}.csv",
        title
            .to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );

    move || {
        let Some(data) = dataset.get() else {
            return ().into_any();
        };
        if data.rows.is_empty() {
            return view! { <p class="empty" data-testid="empty">"No rows to show."</p> }
                .into_any();
        }
        let title = title.clone();
        let columns = data.columns.clone();
        let data_for_rows = data.clone();
        let visible = move || -> Vec<Column> {
            state.with(|s| {
                columns
                    .iter()
                    .filter(|c| s.is_visible(&c.key))
                    .cloned()
                    .collect()
            })
        };
        let visible_for_rows = visible.clone();
        let visible_for_filters = visible.clone();
        view! {
            <div class="table-panel">
                <Toolbar data=data.clone() state selection pager file_name=file_name.clone()/>
                <div class="table-scroll" tabindex="0" role="region" aria-label=title.clone()>
                    <table data-testid="data-table">
                        <caption>
                            {title.clone()} " "
                            <span class="muted" data-testid="row-count">{format!("{} rows", data.rows.len())}</span>
                        </caption>
                        <thead>
                            <tr>
                                {move || visible().into_iter().map(|column| header(column, state)).collect_view()}
                            </tr>
                            <tr class="filters">
                                {move || visible_for_filters().into_iter().map(|column| filter(column, state)).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                let rows = page_rows(selection.get(), pager.get());
                                let columns = visible_for_rows();
                                rows.into_iter()
                                    .map(|row| {
                                        let cells = columns
                                            .iter()
                                            .map(|column| cell_view(data_for_rows.cell(row, column), column.kind))
                                            .collect_view();
                                        view! { <tr>{cells}</tr> }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
                <PagerNav pager state on_server_page/>
            </div>
        }
        .into_any()
    }
}

/// The dataset rows on the current page, in display order.
fn page_rows(selection: Option<Selection>, pager: PagerMode) -> Vec<usize> {
    let Some(selection) = selection else {
        return Vec::new();
    };
    match pager {
        PagerMode::Client(p) => selection.rows[p.start..p.end].to_vec(),
        // The server already sent one page: show all of it.
        PagerMode::Server { .. } => selection.rows,
    }
}

#[component]
fn Toolbar(
    data: Arc<Dataset>,
    state: RwSignal<TableState>,
    selection: Memo<Option<Selection>>,
    pager: Memo<PagerMode>,
    file_name: String,
) -> impl IntoView {
    // The current view: matching rows in sort order, shown columns.
    let data_for_csv = data.clone();
    let download = move |_| {
        let Some(selection) = selection.get_untracked() else {
            return;
        };
        let hidden = state.with_untracked(|s| s.hidden.clone());
        let columns: Vec<&Column> = data_for_csv
            .columns
            .iter()
            .filter(|c| !hidden.contains(&c.key))
            .collect();
        save_file(
            &file_name,
            &to_csv(&data_for_csv, &selection.rows, &columns),
        );
    };
    let count = move || {
        let (matching, total) =
            selection.with(|s| s.as_ref().map_or((0, 0), |s| (s.rows.len(), s.total)));
        match pager.get() {
            PagerMode::Server {
                total: Some(all), ..
            } => format!("{matching} of {total} rows on this page, {all} in all"),
            PagerMode::Server { .. } => format!("{matching} of {total} rows on this page"),
            PagerMode::Client(_) if matching == total => format!("{total} rows"),
            PagerMode::Client(_) => format!("{matching} of {total} rows match"),
        }
    };
    let columns = data.columns.clone();
    let page_size = move || match pager.get() {
        PagerMode::Server { per_page, .. } => per_page.to_string(),
        PagerMode::Client(_) => {
            state.with(|s| s.page_size.map_or("all".to_owned(), |n| n.to_string()))
        }
    };
    view! {
        <div class="toolbar">
            <input
                type="search"
                class="search"
                placeholder="Search all columns"
                aria-label="Search all columns"
                data-testid="search"
                prop:value=move || state.with(|s| s.search.clone())
                on:input=move |ev| state.update(|s| s.set_search(&event_target_value(&ev)))
            />
            <span class="match-count" data-testid="match-count" aria-live="polite">{count}</span>
            <label class="page-size">
                "Rows per page "
                <select
                    data-testid="page-size"
                    prop:value=page_size
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        state.update(|s| s.set_page_size(value.parse().ok()));
                    }
                >
                    {PAGE_SIZES.map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    <option value="all">"All"</option>
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
    let key = StoredValue::new(column.key.clone());
    let direction = move || state.with(|s| key.with_value(|k| s.direction_of(k)));
    let aria_sort = move || match direction() {
        Some(Direction::Ascending) => "ascending",
        Some(Direction::Descending) => "descending",
        None => "none",
    };
    let arrow = move || match direction() {
        Some(Direction::Ascending) => "▲",
        Some(Direction::Descending) => "▼",
        None => "↕",
    };
    view! {
        <th scope="col" class=kind_class(column.kind) aria-sort=aria_sort>
            <button
                type="button"
                class="sort"
                data-testid=format!("sort-{}", column.key)
                on:click=move |_| state.update(|s| key.with_value(|k| s.toggle_sort(k)))
            >
                {column.label}
                <span class="sort-arrow" aria-hidden="true">{arrow}</span>
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
                prop:value=move || state.with(|s| s.filter_of(&key).to_owned())
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

#[component]
fn PagerNav(
    pager: Memo<PagerMode>,
    state: RwSignal<TableState>,
    on_server_page: Option<Callback<(u64, u64)>>,
) -> impl IntoView {
    let go = move |target: Target| match pager.get_untracked() {
        PagerMode::Client(p) => state.update(|s| {
            s.page = match target {
                Target::First => 0,
                Target::Previous => p.page.saturating_sub(1),
                Target::Next => (p.page + 1).min(p.pages - 1),
                Target::Last => p.pages - 1,
            }
        }),
        PagerMode::Server {
            page,
            pages,
            has_next,
            per_page,
            ..
        } => {
            let wanted = match target {
                Target::First => 1,
                Target::Previous => page.saturating_sub(1).max(1),
                Target::Next if has_next => page + 1,
                Target::Next => page,
                Target::Last => pages.unwrap_or(page),
            };
            if let (true, Some(load)) = (wanted != page, on_server_page) {
                load.run((wanted, per_page));
            }
        }
    };
    let status = move || match pager.get() {
        PagerMode::Client(p) => format!("Page {} of {}", p.page + 1, p.pages),
        PagerMode::Server {
            page,
            pages: Some(pages),
            ..
        } => format!("Page {page} of {pages}"),
        PagerMode::Server { page, .. } => format!("Page {page}"),
    };
    let at_start = move || match pager.get() {
        PagerMode::Client(p) => p.page == 0,
        PagerMode::Server { page, .. } => page <= 1,
    };
    let at_end = move || match pager.get() {
        PagerMode::Client(p) => p.page + 1 >= p.pages,
        PagerMode::Server { has_next, .. } => !has_next,
    };
    let no_last = move || matches!(pager.get(), PagerMode::Server { pages: None, .. }) || at_end();
    view! {
        <nav class="pager" aria-label="Table pages">
            <button type="button" class="secondary" data-testid="page-first" disabled=at_start on:click=move |_| go(Target::First)>"« First"</button>
            <button type="button" class="secondary" data-testid="page-prev" disabled=at_start on:click=move |_| go(Target::Previous)>"‹ Previous"</button>
            <span data-testid="page-status" aria-live="polite">{status}</span>
            <button type="button" class="secondary" data-testid="page-next" disabled=at_end on:click=move |_| go(Target::Next)>"Next ›"</button>
            <button type="button" class="secondary" data-testid="page-last" disabled=no_last on:click=move |_| go(Target::Last)>"Last »"</button>
        </nav>
    }
}

#[derive(Clone, Copy)]
enum Target {
    First,
    Previous,
    Next,
    Last,
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
