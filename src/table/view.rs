//! The table component: toolbar (search, count, page size, columns, CSV),
//! sortable and filterable headers, the visible page of rows, and the
//! pager. Every cell is a text node or an attribute value; nothing from the
//! server is ever parsed as HTML. The decisions are in [`Dataset::select`],
//! [`TableState`], [`Pager`] and [`to_csv`]; this file only wires signals to
//! them and their answers to the DOM.
//!
//! Each part reads only the signals it shows, so a change re-renders only
//! what it changes: a page turn, a sort or a search keystroke replaces the
//! body rows that change (rows keyed by their index in the dataset, built
//! with plain DOM calls) and updates the count and the pager's status, never
//! the toolbar or the headers. Parts are type-erased (`into_any`) to keep the
//! bundle small.

use super::csv::{file_name, to_csv};
use super::model::{Cell, CellKind, ColumnKind, Dataset, grouped};
use super::pager::{Nav, PAGE_SIZES, Pager, Turn};
use super::query::{MAX_SHOWN_COLUMNS, Query, Selection, TableState, find_columns};
use super::sort::Direction;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};

/// How many columns the column menu lists at once.
const MENU_MAX_COLUMNS: usize = 50;

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
    /// The first rows of an answer still being read, shown while there
    /// is no `dataset`.
    #[prop(optional)]
    preview: Option<ReadSignal<Option<Arc<Dataset>>>>,
    /// The user's view of the table.
    state: RwSignal<TableState>,
    /// Loads page `page` (1-based) of `per_page` rows from the server.
    #[prop(optional)]
    on_server_page: Option<Callback<(u64, u64)>>,
) -> impl IntoView {
    let signals = Signals::new(dataset, state, on_server_page);
    move || match dataset.get() {
        None => match preview.and_then(|p| p.get()) {
            Some(data) => preview_table(data, &title, state),
            None => ().into_any(),
        },
        Some(data) if data.rows.is_empty() => {
            view! { <p class="empty" data-testid="empty">"No rows to show."</p> }.into_any()
        }
        Some(data) => table(data, &title, signals),
    }
}

/// What the table's parts read: each a memo, so a part re-renders only when
/// what it shows changes.
#[derive(Clone, Copy)]
struct Signals {
    state: RwSignal<TableState>,
    /// Sort, search and filters.
    query: Memo<Query>,
    /// The matching rows in display order.
    selection: Memo<Option<Selection>>,
    /// The shown columns' positions.
    visible: Memo<Vec<usize>>,
    pager: Memo<Pager>,
    on_server_page: Option<Callback<(u64, u64)>>,
}

impl Signals {
    fn new(
        dataset: ReadSignal<Option<Arc<Dataset>>>,
        state: RwSignal<TableState>,
        on_server_page: Option<Callback<(u64, u64)>>,
    ) -> Self {
        // The matching rows depend on the data and the query only: turning
        // a page or hiding a column does not search or sort again.
        let query = Memo::new(move |_| state.with(|s| s.query.clone()));
        let selection =
            Memo::new(move |_| dataset.with(|d| d.as_ref().map(|d| query.with(|q| d.select(q)))));
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
        Self {
            state,
            query,
            selection,
            visible,
            pager,
            on_server_page,
        }
    }

    /// Carries out what a pager button or the page-size control asks for.
    fn turn(self, turn: Turn) {
        match turn {
            Turn::Stay => {}
            Turn::Show { page, size } => self.state.update(|s| s.show(page, size)),
            Turn::Load { page, per_page } => {
                if let Some(load) = self.on_server_page {
                    load.run((page, per_page));
                }
            }
        }
    }
}

/// The table for a non-empty dataset.
fn table(data: Arc<Dataset>, title: &str, signals: Signals) -> AnyView {
    let Signals { visible, .. } = signals;
    let heads = data.clone();
    let filters = data.clone();
    view! {
        <div class="table-panel">
            {toolbar(data.clone(), title, signals)}
            {columns_note(&data, visible)}
            {rows_note(&data)}
            <div class="table-scroll" tabindex="0" role="region" aria-label=title.to_owned()>
                <table data-testid="data-table">
                    <caption>
                        {title.to_owned()} " "
                        <span class="muted" data-testid="row-count">{format!("{} rows", data.rows.len())}</span>
                    </caption>
                    <thead>
                        <tr>{move || visible.get().into_iter().map(|i| header(&heads, i, signals)).collect_view()}</tr>
                        <tr class="filters">{move || visible.get().into_iter().map(|i| filter(&filters, i, signals)).collect_view()}</tr>
                    </thead>
                    {body(data, signals)}
                </table>
            </div>
            {pager_nav(signals)}
        </div>
    }
    .into_any()
}

/// The first page of an answer still being read, when that is what the
/// table will show first (see [`TableState::preview_rows`]): the caption,
/// the column labels and the rows, nothing to act on until the whole table
/// replaces it. Plain DOM calls, as the rows of the whole table.
fn preview_table(data: Arc<Dataset>, title: &str, state: RwSignal<TableState>) -> AnyView {
    let Some((rows, columns)) = state.with_untracked(|s| {
        let rows = s.preview_rows(data.rows.len())?;
        Some((rows, s.visible_columns(&data.columns)))
    }) else {
        return ().into_any();
    };
    let shown = (data, title.to_owned(), rows, columns);
    view! { <div class="table-panel" use:preview_panel=shown></div> }.into_any()
}

/// The directive that fills the preview's panel as it is built: the table
/// of the first `rows` rows, its caption saying the rest is being read.
fn preview_panel(
    panel: web_sys::Element,
    (data, title, rows, columns): (Arc<Dataset>, String, usize, Vec<usize>),
) {
    if fill_preview(&panel, &data, &title, rows, &columns).is_some() && rows > 0 {
        mark_first_row();
    }
}

fn fill_preview(
    panel: &web_sys::Element,
    data: &Dataset,
    title: &str,
    rows: usize,
    columns: &[usize],
) -> Option<()> {
    let document = document();
    let element = |name: &str, attributes: &[(&str, &str)], text: Option<&str>| {
        let element = document.create_element(name).ok()?;
        for (name, value) in attributes {
            element.set_attribute(name, value).ok()?;
        }
        element.set_text_content(text);
        Some(element)
    };
    let scroll = element(
        "div",
        &[
            ("class", "table-scroll"),
            ("tabindex", "0"),
            ("role", "region"),
            ("aria-label", title),
            ("aria-busy", "true"),
        ],
        None,
    )?;
    let table = element("table", &[("data-testid", "data-table-preview")], None)?;
    let caption = element("caption", &[], Some(&format!("{title} ")))?;
    let reading = element(
        "span",
        &[("class", "muted"), ("data-testid", "reading-rows")],
        Some("first rows; reading the rest…"),
    )?;
    caption.append_child(&reading).ok()?;
    let head = element("thead", &[], None)?;
    let labels = element("tr", &[], None)?;
    for column in columns.iter().filter_map(|&i| data.columns.get(i)) {
        let th = element(
            "th",
            &[("scope", "col"), ("class", kind_class(column.kind))],
            Some(&column.label),
        )?;
        labels.append_child(&th).ok()?;
    }
    head.append_child(&labels).ok()?;
    let body = element("tbody", &[], None)?;
    for row in 0..rows {
        let tr = row_element(&document, data, row, columns)?;
        body.append_child(&tr).ok()?;
    }
    for (parent, child) in [
        (&table, &caption),
        (&table, &head),
        (&table, &body),
        (&scroll, &table),
        (panel, &scroll),
    ] {
        parent.append_child(child).ok()?;
    }
    Some(())
}

/// The rows of the current page, written with plain DOM calls and keyed by
/// their index in the dataset: a page turn, a sort or a search builds the
/// rows that come, drops the rows that leave and moves the rows that stay
/// (a change of the shown columns builds every row again). Through the view
/// macro a changed row would be rebuilt in place, and with erased components
/// that removes and sets again every attribute of every cell.
fn body(data: Arc<Dataset>, signals: Signals) -> impl IntoView {
    view! { <tbody use:rows=(data, signals)></tbody> }
}

/// The directive that fills the `tbody` as it is built, so the first rows
/// are in the element when it is mounted, and keeps it up to date.
fn rows(tbody: web_sys::Element, (data, signals): (Arc<Dataset>, Signals)) {
    let Signals {
        selection,
        pager,
        visible,
        ..
    } = signals;
    let effect = RenderEffect::new(move |previous: Option<Shown>| {
        let pager = pager.get();
        let shown = visible.with(|columns| {
            selection.with(|s| {
                let rows = s.as_ref().map_or(&[][..], |s| pager.rows(&s.rows));
                write_rows(&tbody, &data, rows, columns, previous.unwrap_or_default())
            })
        });
        if !shown.rows.is_empty() {
            mark_first_row();
        }
        shown
    });
    // Lives as long as the table.
    StoredValue::new_local(effect);
}

/// The rows in a `tbody`, with the columns they were built for.
#[derive(Default)]
struct Shown {
    columns: Vec<usize>,
    rows: Vec<(usize, web_sys::Element)>,
}

/// Makes `tbody` show `rows` in `columns`, reusing the elements of
/// `previous` for the rows it already shows in the same columns.
fn write_rows(
    tbody: &web_sys::Element,
    data: &Dataset,
    rows: &[usize],
    columns: &[usize],
    mut previous: Shown,
) -> Shown {
    if previous.columns != columns {
        previous.rows.clear();
    }
    let document = document();
    let mut shown = Vec::with_capacity(rows.len());
    let elements = js_sys::Array::new();
    for &row in rows {
        let element = match previous.rows.iter().position(|(r, _)| *r == row) {
            Some(at) => previous.rows.swap_remove(at).1,
            None => {
                let Some(tr) = row_element(&document, data, row, columns) else {
                    continue;
                };
                tr
            }
        };
        elements.push(&element);
        shown.push((row, element));
    }
    tbody.replace_children_with_node(&elements);
    Shown {
        columns: columns.to_vec(),
        rows: shown,
    }
}

/// One row's `tr` with a cell per column.
fn row_element(
    document: &web_sys::Document,
    data: &Dataset,
    row: usize,
    columns: &[usize],
) -> Option<web_sys::Element> {
    let tr = document.create_element("tr").ok()?;
    for column in columns.iter().filter_map(|&i| data.columns.get(i)) {
        let td = cell_element(document, data.cell(row, column), column.kind)?;
        tr.append_child(&td).ok()?;
    }
    Some(tr)
}

/// Marks [`crate::perf::FIRST_ROW`] once per page load, when the first
/// body row is in the document (the rows are mounted before microtasks run).
fn mark_first_row() {
    thread_local!(static MARKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !MARKED.replace(true) {
        queue_microtask(|| crate::perf::mark(crate::perf::FIRST_ROW));
    }
}

/// Search, the count, the page size, the column menu and the CSV download.
fn toolbar(data: Arc<Dataset>, title: &str, signals: Signals) -> AnyView {
    let Signals {
        state,
        query,
        selection,
        visible,
        pager,
        ..
    } = signals;
    let file_name = file_name(title);
    let for_csv = data.clone();
    let download = move |_| download_csv(&for_csv, selection, visible, &file_name);
    let count = move || {
        let (matching, total) =
            selection.with(|s| s.as_ref().map_or((0, 0), |s| (s.rows.len(), s.total)));
        pager.with(|p| p.count(matching, total))
    };
    view! {
        <div class="toolbar">
            <input
                type="search"
                class="search"
                placeholder="Search all columns"
                aria-label="Search all columns"
                data-testid="search"
                prop:value=move || query.with(|q| q.search.clone())
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
                        signals.turn(pager.with_untracked(|p| p.resize(size)));
                    }
                >
                    {PAGE_SIZES.map(|n| view! { <option value=n.to_string()>{n}</option> }).collect_view()}
                    <option value="all" disabled=move || !pager.with(Pager::offers_all)>"All"</option>
                </select>
            </label>
            {columns_menu(data.clone(), state)}
            <button type="button" class="secondary" on:click=download data-testid="download-csv">
                "Download CSV"
            </button>
        </div>
    }
    .into_any()
}

/// The current view as a CSV download: the matching rows in sort order, in
/// the shown columns only (what the user chose to see, as before the bound
/// on shown columns; a column the menu leaves hidden is not exported).
fn download_csv(
    data: &Dataset,
    selection: Memo<Option<Selection>>,
    visible: Memo<Vec<usize>>,
    file_name: &str,
) {
    let csv = selection.with_untracked(|s| {
        let rows = s.as_ref().map_or(&[][..], |s| &s.rows);
        visible.with_untracked(|shown| {
            let columns: Vec<_> = shown.iter().filter_map(|&i| data.columns.get(i)).collect();
            to_csv(data, rows, &columns)
        })
    });
    save_file(file_name, &csv);
}

/// The "Columns" menu: a checkbox per column, for up to [`MENU_MAX_COLUMNS`]
/// columns; beyond, a box to find columns by name and the checkboxes of the
/// first [`MENU_MAX_COLUMNS`] that match, so the menu stays small for a
/// response with 20,000 keys.
fn columns_menu(data: Arc<Dataset>, state: RwSignal<TableState>) -> AnyView {
    let toggled = Memo::new(move |_| state.with(|s| s.toggled.clone()));
    let find = RwSignal::new(String::new());
    let many = data.columns.len() > MENU_MAX_COLUMNS;
    let listed = data.clone();
    let toggles = move || {
        let (found, count) =
            find.with(|text| find_columns(&listed.columns, text, MENU_MAX_COLUMNS));
        let toggles = found
            .into_iter()
            .map(|column| {
                let key = column.key.clone();
                let key_for_toggle = key.clone();
                let index = column.index;
                view! {
                    <label>
                        <input
                            type="checkbox"
                            data-testid=format!("column-toggle-{key}")
                            prop:checked=move || toggled.with(|t| (index < MAX_SHOWN_COLUMNS) != t.contains(&key))
                            on:change=move |_| state.update(|s| s.toggle_column(&key_for_toggle))
                        />
                        " " {column.label.clone()}
                    </label>
                }
            })
            .collect_view();
        let more = if count > MENU_MAX_COLUMNS {
            format!(
                "{} more match: type more of a name to narrow the list.",
                grouped(count - MENU_MAX_COLUMNS)
            )
        } else if count == 0 {
            "No column matches.".to_owned()
        } else {
            String::new()
        };
        (
            toggles,
            view! { <p class="muted" data-testid="columns-more">{more}</p> },
        )
    };
    let finder = many.then(|| {
        view! {
            <input
                type="search"
                class="columns-find"
                placeholder="Find a column"
                aria-label="Find a column"
                data-testid="columns-find"
                prop:value=move || find.get()
                on:input=move |ev| find.set(event_target_value(&ev))
            />
        }
    });
    view! {
        <details class="columns-menu">
            <summary data-testid="columns-menu">"Columns"</summary>
            <fieldset>
                <legend class="sr-only">"Shown columns"</legend>
                {finder}
                {toggles}
            </fieldset>
        </details>
    }
    .into_any()
}

/// "Showing 50 of 20,000 columns", when the table has more columns than it
/// shows by itself.
fn columns_note(data: &Dataset, visible: Memo<Vec<usize>>) -> Option<AnyView> {
    let total = data.columns.len();
    (total > MAX_SHOWN_COLUMNS).then(|| {
        let text = move || {
            format!(
                "Showing {} of {} columns: choose others in the Columns menu.",
                grouped(visible.with(Vec::len)),
                grouped(total)
            )
        };
        view! { <p class="columns-note muted" data-testid="columns-note" aria-live="polite">{text}</p> }
            .into_any()
    })
}

/// "Showing the first 200,000 of 15,728,640 rows", when the answer had
/// more rows than a table holds.
fn rows_note(data: &Dataset) -> Option<AnyView> {
    (data.rows_left_out > 0).then(|| {
        let text = format!(
            "Showing the first {} of {} rows, the most a table holds: ask the server for fewer (paging).",
            grouped(data.rows.len()),
            grouped(data.rows.len() + data.rows_left_out)
        );
        view! { <p class="columns-note muted" data-testid="rows-note">{text}</p> }.into_any()
    })
}

/// A sortable header: a button inside the `th`, which carries `aria-sort`.
fn header(data: &Dataset, index: usize, signals: Signals) -> AnyView {
    let Some(column) = data.columns.get(index) else {
        return ().into_any();
    };
    let query = signals.query;
    let key = column.key.clone();
    // `aria-sort` and the arrow for the column's sort state. They re-run on
    // every change of the query, and the DOM changes only where they differ.
    let marks = move || match query.with(|q| {
        q.sort
            .as_ref()
            .filter(|s| s.key == key)
            .map(|s| s.direction)
    }) {
        Some(Direction::Ascending) => ("ascending", "▲"),
        Some(Direction::Descending) => ("descending", "▼"),
        None => ("none", "↕"),
    };
    let arrow = marks.clone();
    let key = column.key.clone();
    let state = signals.state;
    view! {
        <th scope="col" class=kind_class(column.kind) aria-sort=move || marks().0>
            <button
                type="button"
                class="sort"
                data-testid=format!("sort-{}", column.key)
                on:click=move |_| state.update(|s| s.query.toggle_sort(&key))
            >
                {column.label.clone()}
                <span class="sort-arrow" aria-hidden="true">{move || arrow().1}</span>
            </button>
        </th>
    }
    .into_any()
}

/// The per-column filter input under a header.
fn filter(data: &Dataset, index: usize, signals: Signals) -> AnyView {
    let Some(column) = data.columns.get(index) else {
        return ().into_any();
    };
    let Signals { state, query, .. } = signals;
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
                prop:value=move || query.with(|q| q.filter_of(&key).to_owned())
                on:input=move |ev| state.update(|s| s.set_filter(&key_for_input, &event_target_value(&ev)))
            />
        </th>
    }
    .into_any()
}

fn kind_class(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Number => "num",
        ColumnKind::Bool => "bool",
        _ => "",
    }
}

/// One cell, by kind: its text is a text node, never markup. Links only
/// for `mailto:` and http(s) URLs; a symbol (✓, ✗, —) is hidden from screen
/// readers, which read a word instead. A value cut to
/// [`CELL_MAX_CHARS`](super::model::CELL_MAX_CHARS) characters ends with a
/// mark saying how many are left out.
fn cell_element(
    document: &web_sys::Document,
    cell: Cell,
    column: ColumnKind,
) -> Option<web_sys::Element> {
    let class = match cell.kind {
        CellKind::Number => "num",
        CellKind::Bool(_) => "bool",
        CellKind::Empty => "null",
        CellKind::Json => "json",
        CellKind::Timestamp(_) => "time",
        _ if column == ColumnKind::Number => "num",
        _ => "",
    };
    let spoken = cell.spoken();
    let td = document.create_element("td").ok()?;
    let content = document
        .create_element(match cell.kind {
            CellKind::Email | CellKind::Url => "a",
            CellKind::Timestamp(_) => "time",
            _ => "span",
        })
        .ok()?;
    let long;
    let class = if cell.omitted > 0 {
        long = format!("{class} long");
        long.as_str()
    } else {
        class
    };
    let mut attributes = vec![(&td, "class", class)];
    let mailto;
    match cell.kind {
        // The whole value on hover when the cell shows all of it.
        CellKind::Json if cell.omitted == 0 => attributes.push((&td, "title", &cell.text)),
        CellKind::Email => {
            mailto = format!("mailto:{}", cell.text);
            attributes.push((&content, "href", &mailto));
        }
        CellKind::Url => attributes.extend([
            (&content, "href", cell.text.as_str()),
            (&content, "rel", "noopener noreferrer"),
            (&content, "target", "_blank"),
        ]),
        CellKind::Timestamp(_) => attributes.push((&content, "datetime", &cell.text)),
        _ if spoken.is_some() => attributes.push((&content, "aria-hidden", "true")),
        _ => {}
    }
    for (element, name, value) in attributes {
        element.set_attribute(name, value).ok()?;
    }
    let text = match cell.kind {
        CellKind::Timestamp(ms) => local_date_time(ms),
        _ => cell.text.clone(),
    };
    content.set_text_content(Some(&text));
    td.append_child(&content).ok()?;
    if let Some(mark) = cell.omitted_mark() {
        let cut = document.create_element("span").ok()?;
        cut.set_attribute("class", "cut").ok()?;
        cut.set_attribute("data-testid", "cell-cut").ok()?;
        cut.set_text_content(Some(&format!(" {mark}")));
        td.append_child(&cut).ok()?;
    }
    if let Some(word) = spoken {
        let words = document.create_element("span").ok()?;
        words.set_attribute("class", "sr-only").ok()?;
        words.set_text_content(Some(word));
        td.append_child(&words).ok()?;
    }
    Some(td)
}

/// Epoch ms as the browser's local date and time, `YYYY-MM-DD HH:MM:SS`:
/// the time zone's offset at that instant from `Date`, the text from
/// [`local_text`](super::time::local_text). Not `Intl`/`toLocaleString`:
/// their first use loads the browser's locale data (≈ 30 ms in Chromium),
/// which would come right before the first rows.
fn local_date_time(ms: f64) -> String {
    let offset = js_sys::Date::new(&JsValue::from_f64(ms)).get_timezone_offset();
    super::time::local_text(ms, offset)
}

/// First / Previous / status / Next / Last.
fn pager_nav(signals: Signals) -> AnyView {
    let pager = signals.pager;
    view! {
        <nav class="pager" aria-label="Table pages">
            {pager_button(signals, Nav::First, "page-first", "« First", Pager::at_start)}
            {pager_button(signals, Nav::Previous, "page-prev", "‹ Previous", Pager::at_start)}
            <span data-testid="page-status" aria-live="polite">{move || pager.with(Pager::status)}</span>
            {pager_button(signals, Nav::Next, "page-next", "Next ›", Pager::at_end)}
            {pager_button(signals, Nav::Last, "page-last", "Last »", Pager::last_off)}
        </nav>
    }
    .into_any()
}

/// One pager button, off when `off` says so. One function for the four
/// buttons: one copy of the button's code in the bundle.
#[inline(never)]
fn pager_button(
    signals: Signals,
    nav: Nav,
    test_id: &'static str,
    label: &'static str,
    off: fn(&Pager) -> bool,
) -> AnyView {
    let pager = signals.pager;
    view! {
        <button
            type="button"
            class="secondary"
            data-testid=test_id
            disabled=move || pager.with(off)
            on:click=move |_| signals.turn(pager.with_untracked(|p| p.go(nav)))
        >
            {label}
        </button>
    }
    .into_any()
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
