//! The table component: toolbar (search, count, page size, columns, CSV),
//! sortable and filterable headers, the visible page of rows, and the
//! pager. Every cell is a text node or an attribute value; nothing from the
//! server is ever parsed as HTML. The decisions are in [`Dataset::select`],
//! [`TableState`], [`Pager`] and [`to_csv`]; this file only wires signals to
//! them and their answers to the DOM.
//!
//! The table is built with plain DOM calls ([`crate::dom`]) rather than
//! Leptos' `view!`, whose code the bundle holds once per element, attribute
//! and event type: its static markup is one constant, and small effects and
//! listeners wire the elements to the signals. A change updates only what
//! it changes: a page turn, a sort or a search keystroke rewrites the cells
//! of the body rows that show another row, in place (a cell is replaced
//! only when its kind changes), and updates the count and the pager's
//! status, never the toolbar or the headers, whose text and attributes are
//! written only where they differ. Only two memos (the
//! query and the matching rows, which are costly to work out): each memo
//! type costs its own code in the bundle, so what is cheap (the pager, the
//! shown columns) is worked out where it is read.

use super::csv::{file_name, to_csv};
use super::model::{Cell, CellKind, Column, ColumnKind, Dataset, grouped};
use super::pager::{Nav, PAGE_SIZES, Pager, Turn};
use super::query::{MAX_SHOWN_COLUMNS, Query, Selection, TableState, find_columns};
use super::sort::Direction;
use crate::dom::{
    Markup, effect, el, find, html, listen, on, on_window, place, set_property, set_text, slot,
    value_of,
};
use leptos::prelude::*;
use leptos::tachys::renderer::Rndr;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

/// How many columns the column menu lists at once.
const MENU_MAX_COLUMNS: usize = 50;

/// The data table. `state` (sort, search, filters, page, page size, hidden
/// columns) lives outside, so it survives refreshes and re-logins.
/// `on_server_page(page, per_page)` loads another page of a server-paged
/// endpoint.
pub struct DataTable {
    /// The table's caption.
    pub title: String,
    /// The rows to show.
    pub dataset: ReadSignal<Option<Arc<Dataset>>>,
    /// The first rows of an answer still being read, shown while there
    /// is no `dataset`.
    pub preview: Option<ReadSignal<Option<Arc<Dataset>>>>,
    /// The user's view of the table.
    pub state: RwSignal<TableState>,
    /// Loads page `page` (1-based) of `per_page` rows from the server.
    pub on_server_page: Option<Callback<(u64, u64)>>,
}

impl DataTable {
    /// Its elements, wired to its signals and callbacks.
    pub fn view(self) -> Markup {
        let Self {
            title,
            dataset,
            preview,
            state,
            on_server_page,
        } = self;
        let signals = Signals::new(dataset, state, on_server_page);
        // Nothing (or the first rows of an answer still being read), the note,
        // or the table. Another dataset with rows keeps the
        // table's elements (and so the focus, the open menu and the scroll
        // position) and updates what changes.
        let (shown, has_rows) = (RwSignal::new(false), RwSignal::new(false));
        effect(move || {
            let (data, rows) = dataset.with(|d| {
                d.as_ref()
                    .map_or((false, false), |d| (true, !d.rows.is_empty()))
            });
            for (signal, now) in [(shown, data), (has_rows, rows)] {
                if signal.get_untracked() != now {
                    signal.set(now);
                }
            }
        });
        let fragment = document().create_document_fragment();
        let start: web_sys::Node = Rndr::create_placeholder().into();
        let _ = fragment.append_child(&start);
        slot(
            &fragment,
            None,
            Box::new(move || match shown.get().then(|| has_rows.get()) {
                None => preview
                    .and_then(|p| p.get())
                    .and_then(|data| preview_of(data, &title, state))
                    .map(panel),
                Some(false) => Some(html(EMPTY)),
                Some(true) => Some(panel(Panel::Table(title.clone(), signals))),
            }),
        );
        // The slot's marker: what it shows goes between `start` and it.
        let end = fragment.last_child().expect("the slot's marker");
        Markup::nodes(fragment, start, end)
    }
}

/// The note for an answer without rows.
const EMPTY: &str = r#"<p class="empty" data-testid="empty">No rows to show.</p>"#;

/// A `table-panel` showing `what`.
fn panel(what: Panel) -> Element {
    let element = html(r#"<div class="table-panel"></div>"#);
    fill(&element, what);
    element
}

/// The first page of an answer still being read, when that is what the
/// table will show first (see [`TableState::preview_rows`]): the caption,
/// the column labels and the rows, nothing to act on until the whole table
/// replaces it.
fn preview_of(data: Arc<Dataset>, title: &str, state: RwSignal<TableState>) -> Option<Panel> {
    state.with_untracked(|s| {
        let rows = s.preview_rows(data.rows.len())?;
        let columns = s.visible_columns(&data.columns);
        Some(Panel::Preview(data, title.to_owned(), rows, columns))
    })
}

/// What a `table-panel` shows: the table (its title and signals), or the
/// first page of an answer still being read (the rows so far, the title,
/// how many rows and which columns). One directive for both, so the bundle
/// holds one copy of the panel's view code.
#[derive(Clone)]
enum Panel {
    Table(String, Signals),
    Preview(Arc<Dataset>, String, usize, Vec<usize>),
}

/// Builds `panel` as `what` says (see [`Panel`]).
fn fill(panel: &Element, what: Panel) {
    match what {
        Panel::Table(title, signals) => table(panel.clone(), &title, signals),
        Panel::Preview(data, title, rows, columns) => {
            preview_panel(panel, &data, &title, rows, &columns)
        }
    }
}

/// Fills the preview's panel: the table of the first `rows` rows, its
/// caption saying the rest is being read.
fn preview_panel(panel: &Element, data: &Dataset, title: &str, rows: usize, columns: &[usize]) {
    let labels: js_sys::Array = columns
        .iter()
        .filter_map(|&i| data.columns.get(i))
        .map(|c| {
            let label = JsValue::from_str(&c.label);
            el(
                "th",
                &[("scope", "col"), ("class", kind_class(c.kind))],
                &[&label],
            )
        })
        .collect();
    let head = el("tr", &[], &[]);
    let _ = head.append_with_node(&labels);
    let body: js_sys::Array = (0..rows)
        .map(|row| row_element(data, row, columns).tr)
        .collect();
    let tbody = el("tbody", &[], &[]);
    let _ = tbody.append_with_node(&body);
    let reading = el(
        "span",
        &[("class", "muted"), ("data-testid", "reading-rows")],
        &[&"first rows; reading the rest…".into()],
    );
    let caption = el("caption", &[], &[&format!("{title} ").into(), &reading]);
    let table = el(
        "table",
        &[("data-testid", "data-table-preview")],
        &[&caption, &el("thead", &[], &[&head]), &tbody],
    );
    let scroll = el(
        "div",
        &[
            ("class", "table-scroll"),
            ("tabindex", "0"),
            ("role", "region"),
            ("aria-label", title),
            ("aria-busy", "true"),
        ],
        &[&table],
    );
    let _ = panel.append_with_node_1(&scroll);
    if rows > 0 {
        mark_first_row();
    }
}

/// What the table's parts read.
#[derive(Clone, Copy)]
struct Signals {
    dataset: ReadSignal<Option<Arc<Dataset>>>,
    state: RwSignal<TableState>,
    /// Sort, search and filters.
    query: Memo<Query>,
    /// The matching rows in display order.
    selection: Memo<Option<Selection>>,
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
        Self {
            dataset,
            state,
            query,
            selection,
            on_server_page,
        }
    }

    /// The shown columns' positions: every part that shows them compares
    /// them with what it shows.
    fn visible(self) -> Vec<usize> {
        self.dataset.with(|d| {
            d.as_ref().map_or_else(Vec::new, |d| {
                self.state.with(|s| s.visible_columns(&d.columns))
            })
        })
    }

    /// Where the pages stand.
    fn pager(self) -> Pager {
        let matching = self
            .selection
            .with(|s| s.as_ref().map_or(0, |s| s.rows.len()));
        self.dataset.with(|d| {
            let paging = d.as_ref().and_then(|d| d.paging.as_ref());
            self.state
                .with(|s| Pager::new(paging, matching, s.page, s.page_size))
        })
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

/// The table's static markup: the directive writes it into the panel and
/// then finds the elements it wires. Static text only; what the data says
/// goes into text nodes and attribute values.
const PANEL: &str = concat!(
    r#"<div class="toolbar">"#,
    r#"<input type="search" class="search" placeholder="Search all columns" aria-label="Search all columns" data-testid="search">"#,
    r#"<span class="match-count" data-testid="match-count" aria-live="polite"></span>"#,
    r#"<label class="page-size">Rows per page <select data-testid="page-size"><option value="all" title="Up to 500 rows">All</option></select></label>"#,
    r#"<details class="columns-menu"><summary data-testid="columns-menu">Columns</summary><fieldset><legend class="sr-only">Shown columns</legend>"#,
    r#"<input type="search" class="columns-find" placeholder="Find a column" aria-label="Find a column" data-testid="columns-find">"#,
    r#"<p class="muted" data-testid="columns-more"></p></fieldset></details>"#,
    r#"<button type="button" class="secondary" data-testid="download-csv">Download CSV</button></div>"#,
    r#"<p class="columns-note muted" data-testid="columns-note" aria-live="polite"></p>"#,
    r#"<p class="columns-note muted" data-testid="rows-note"></p>"#,
    r#"<div class="table-scroll" tabindex="0" role="region"><table data-testid="data-table">"#,
    r#"<caption> <span class="muted" data-testid="row-count"></span></caption>"#,
    r#"<thead><tr></tr><tr class="filters"></tr></thead><tbody></tbody></table></div>"#,
    r#"<p class="columns-note muted" data-testid="no-match">No rows match the search and the column filters.</p>"#,
    r#"<nav class="pager" aria-label="Table pages">"#,
    r#"<button type="button" class="secondary" data-testid="page-first">« First</button>"#,
    r#"<button type="button" class="secondary" data-testid="page-prev">‹ Previous</button>"#,
    r#"<span data-testid="page-status" aria-live="polite"></span>"#,
    r#"<button type="button" class="secondary" data-testid="page-next">Next ›</button>"#,
    r#"<button type="button" class="secondary" data-testid="page-last">Last »</button></nav>"#,
);

/// Builds the table into its panel as the panel is built (see [`fill`]),
/// so the first rows are in the panel when it is mounted. What it sets up
/// lives as long as the panel.
fn table(panel: Element, title: &str, signals: Signals) {
    let dataset = signals.dataset;
    panel.set_inner_html(PANEL);
    let get = |selector| find(&panel, selector);
    let heads = get("thead tr");
    let filters = get("tr.filters");
    let mut shown = Built::new();
    effect(move || {
        let Some((data, columns)) = dataset.with(|d| {
            let d = d.as_ref()?;
            let columns = signals.visible();
            let columns = columns
                .into_iter()
                .filter_map(|i| d.columns.get(i).cloned());
            Some((d.clone(), columns.collect()))
        }) else {
            return;
        };
        shown.build(&data, columns, |columns| {
            let (ths, inputs) = (js_sys::Array::new(), js_sys::Array::new());
            for column in columns {
                let (th, input) = header(column, signals);
                ths.push(&th);
                inputs.push(&input);
            }
            heads.replace_children_with_node(&ths);
            filters.replace_children_with_node(&inputs);
        });
    });
    rows(&get("tbody"), signals);
    let count = get("[data-testid=row-count]");
    effect(move || {
        if let Some(rows) = dataset.with(|d| d.as_ref().map(|d| d.rows.len())) {
            set_text(&count, &format!("{} rows", grouped(rows as u64)));
        }
    });
    let _ = get("caption").prepend_with_str_1(title);
    let _ = get(".table-scroll").set_attribute("aria-label", title);
    toolbar(&panel, title, signals);
    notes(&panel, signals);
    pager_nav(&panel, signals);
}

/// A part built again as a whole from the columns it shows, when they or
/// the dataset change: the effects and listeners of its last build stop
/// with it.
struct Built {
    /// The dataset (held weakly: the app drops an old one in idle time) and
    /// the columns of the last build.
    shown: Option<(std::sync::Weak<Dataset>, Vec<Column>)>,
    /// Owns what a build sets up. A child of the table's owner, not of the
    /// effect that builds: an effect's run stops what its last run set up.
    owner: Owner,
}

impl Built {
    fn new() -> Self {
        Self {
            shown: None,
            owner: Owner::new(),
        }
    }

    /// Builds with `build` unless the part already shows `columns` of
    /// `data`.
    fn build(&mut self, data: &Arc<Dataset>, columns: Vec<Column>, build: impl FnOnce(&[Column])) {
        let same = self.shown.as_ref().is_some_and(|(from, shown)| {
            std::ptr::eq(from.as_ptr(), Arc::as_ptr(data)) && *shown == columns
        });
        if !same {
            self.owner.with_cleanup(|| build(&columns));
            self.shown = Some((Arc::downgrade(data), columns));
        }
    }
}

/// Keeps `tbody` showing the rows of the current page, written with plain
/// DOM calls and keyed by their index in the dataset: a page turn, a sort
/// or a search builds the rows that come, drops the rows that leave and
/// moves the rows that stay (a change of the shown columns, or another
/// dataset, builds every row again).
fn rows(tbody: &Element, signals: Signals) {
    let Signals {
        dataset, selection, ..
    } = signals;
    let tbody = tbody.clone();
    let mut previous = Shown::default();
    // The dataset the rows were built from, held weakly: the app drops an
    // old dataset in idle time.
    let mut built_from = std::sync::Weak::new();
    effect(move || {
        let Some(data) = dataset.get() else {
            return;
        };
        if !std::ptr::eq(built_from.as_ptr(), Arc::as_ptr(&data)) {
            // Another dataset: its row indices mean other rows, so none of
            // the shown ones is taken over (`write_rows` empties the tbody).
            previous = Shown::default();
            built_from = Arc::downgrade(&data);
        }
        let pager = signals.pager();
        let columns = signals.visible();
        previous = selection.with(|s| {
            let rows = s.as_ref().map_or(&[][..], |s| pager.rows(&s.rows));
            write_rows(&tbody, &data, rows, &columns, std::mem::take(&mut previous))
        });
        if !previous.rows.is_empty() {
            mark_first_row();
        }
    });
}

/// The rows in a `tbody`, with the columns they were built for.
#[derive(Default)]
struct Shown {
    /// `None`: the `tbody` may hold rows that are not these (none yet, or
    /// another dataset's), to be removed before any is built.
    columns: Option<Vec<usize>>,
    rows: Vec<ShownRow>,
}

/// A `tr` in the `tbody`: the dataset row it shows and its cells.
struct ShownRow {
    row: usize,
    tr: Element,
    cells: Vec<ShownCell>,
}

/// A `td`: the template it was made from, so another row's cell made from
/// the same one can take it over by changing only its text and attribute.
struct ShownCell {
    td: Element,
    content: Element,
    /// The content's text node, once it has one: a new text is written
    /// into it ([`fill_cell`]).
    text: Option<web_sys::Node>,
    template: &'static str,
    /// It ends with a mark of what it leaves out (it is not taken over).
    cut: bool,
}

/// Makes `tbody` show `rows` in `columns`, a row per `tr` in order: a `tr`
/// that shows another row takes the new row's cells in place (a page turn
/// builds no element, only new texts and attributes; a cell whose kind
/// changes is replaced), and only the rows past the last `tr` are built.
/// The rows of a dataset change only from the toolbar, the headers and the
/// pager, so the focus is never in a `tr` that changes; another dataset (a
/// refresh, a server page) builds every row anew.
fn write_rows(
    tbody: &web_sys::Element,
    data: &Dataset,
    rows: &[usize],
    columns: &[usize],
    mut previous: Shown,
) -> Shown {
    if previous.columns.as_deref() != Some(columns) {
        previous.rows.clear();
        tbody.replace_children_with_node_0();
    }
    for gone in previous.rows.drain(rows.len().min(previous.rows.len())..) {
        gone.tr.remove();
    }
    let added: js_sys::Array = rows[previous.rows.len()..]
        .iter()
        .map(|&row| {
            let shown = row_element(data, row, columns);
            let tr = shown.tr.clone();
            previous.rows.push(shown);
            tr
        })
        .collect();
    for (shown, &row) in previous.rows.iter_mut().zip(rows) {
        if shown.row != row {
            rewrite_row(data, row, columns, shown);
        }
    }
    if added.length() > 0 {
        let _ = tbody.append_with_node(&added);
    }
    Shown {
        columns: Some(columns.to_vec()),
        rows: previous.rows,
    }
}

/// One row's `tr` with a cell per column.
fn row_element(data: &Dataset, row: usize, columns: &[usize]) -> ShownRow {
    let tr = el("tr", &[], &[]);
    let cells: Vec<ShownCell> = columns
        .iter()
        .filter_map(|&i| data.columns.get(i))
        .map(|column| cell_element(data.cell(row, column), column.kind))
        .collect();
    let tds: js_sys::Array = cells.iter().map(|cell| &cell.td).collect();
    let _ = tr.append_with_node(&tds);
    ShownRow { row, tr, cells }
}

/// Makes `shown` show dataset row `row` instead: each cell made from the
/// same template as before, and not cut, gets the new text and attribute;
/// any other is replaced by a new one.
fn rewrite_row(data: &Dataset, row: usize, columns: &[usize], shown: &mut ShownRow) {
    shown.row = row;
    let columns = columns.iter().filter_map(|&i| data.columns.get(i));
    for (column, old) in columns.zip(shown.cells.iter_mut()) {
        let cell = data.cell(row, column);
        if !old.cut && cell.omitted == 0 && old.template == cell_template(&cell, column.kind) {
            fill_cell(&old.td, &old.content, old.text.as_ref(), &cell);
        } else {
            let new = cell_element(cell, column.kind);
            let _ = old.td.replace_with_with_node_1(&new.td);
            *old = new;
        }
    }
}

/// Once per page load, when the app's first body row is in the document:
/// marks [`crate::perf::FIRST_ROW`] unless the first page `index.html`'s
/// script drew did, and marks [`crate::perf::APP_ROW`] (the rows are
/// mounted before microtasks run).
fn mark_first_row() {
    thread_local!(static MARKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !MARKED.replace(true) {
        queue_microtask(|| {
            crate::perf::mark_once(crate::perf::FIRST_ROW);
            crate::perf::mark(crate::perf::APP_ROW);
        });
    }
}

/// Search, the count, the page size, the column menu and the CSV download.
fn toolbar(panel: &Element, title: &str, signals: Signals) {
    let Signals {
        dataset,
        state,
        query,
        selection,
        ..
    } = signals;
    let search = find(panel, "[data-testid=search]");
    listen(&search, "input", move |search| {
        state.update(|s| s.set_search(&value_of(search)));
    });
    effect(move || set_property(&search, "value", &query.with(|q| q.search.as_str().into())));
    let count = find(panel, "[data-testid=match-count]");
    effect(move || {
        let (matching, total) =
            selection.with(|s| s.as_ref().map_or((0, 0), |s| (s.rows.len(), s.total)));
        set_text(&count, &signals.pager().count(matching, total));
    });
    let select = find(panel, "[data-testid=page-size]");
    let all = find(&select, "option");
    for n in PAGE_SIZES {
        let n = n.to_string();
        let _ = all.before_with_node_1(&el("option", &[("value", &n)], &[&n.as_str().into()]));
    }
    listen(&select, "change", move |select| {
        let size = value_of(select).parse().ok();
        signals.turn(untrack(|| signals.pager()).resize(size));
    });
    // The value is written when the pager changes, and only then: a size
    // asked of the server shows while its page loads.
    let mut shown = None;
    effect(move || {
        let pager = Some(signals.pager());
        if let Some(pager) = pager.as_ref().filter(|_| pager != shown) {
            let _ = all.toggle_attribute_with_force("disabled", !pager.offers_all());
            set_property(&select, "value", &pager.size_value().into());
        }
        shown = pager;
    });
    columns_menu(panel, signals);
    let file_name = file_name(title);
    listen(
        &find(panel, "[data-testid=download-csv]"),
        "click",
        move |_| {
            dataset.with_untracked(|d| {
                if let Some(data) = d {
                    download_csv(data, selection, &signals.visible(), &file_name);
                }
            });
        },
    );
}

/// The current view as a CSV download: the matching rows in sort order, in
/// the shown columns only (what the user chose to see, as before the bound
/// on shown columns; a column the menu leaves hidden is not exported).
fn download_csv(
    data: &Dataset,
    selection: Memo<Option<Selection>>,
    shown: &[usize],
    file_name: &str,
) {
    let csv = selection.with_untracked(|s| {
        let rows = s.as_ref().map_or(&[][..], |s| &s.rows);
        let columns: Vec<_> = shown.iter().filter_map(|&i| data.columns.get(i)).collect();
        to_csv(data, rows, &columns)
    });
    save_file(file_name, &csv);
}

/// The "Columns" menu: a checkbox per column, for up to [`MENU_MAX_COLUMNS`]
/// columns; beyond, a box to find columns by name and the checkboxes of the
/// first [`MENU_MAX_COLUMNS`] that match, so the menu stays small for a
/// response with 20,000 keys. Another dataset empties the box.
fn columns_menu(panel: &Element, signals: Signals) {
    let Signals { dataset, state, .. } = signals;
    closes_like_a_menu(&find(panel, ".columns-menu"));
    let legend = find(panel, "legend");
    let finder = find(panel, "[data-testid=columns-find]");
    let menu = Rc::new(RefCell::new(Menu {
        more: find(panel, "[data-testid=columns-more]"),
        listed: Built::new(),
        labels: Vec::new(),
    }));
    listen(&finder, "input", {
        let menu = menu.clone();
        move |finder| {
            dataset.with_untracked(|d| {
                if let Some(data) = d {
                    menu.borrow_mut().list(data, &value_of(finder), state);
                }
            });
        }
    });
    // Another dataset empties the box and lists its first columns.
    effect(move || {
        dataset.with(|d| {
            if let Some(data) = d {
                set_property(&finder, "value", &"".into());
                place(
                    &finder,
                    data.columns.len() > MENU_MAX_COLUMNS,
                    &legend,
                    true,
                );
                menu.borrow_mut().list(data, "", state);
            }
        });
    });
}

/// The checkboxes of the "Columns" menu, before the note `more`.
struct Menu {
    more: Element,
    listed: Built,
    labels: Vec<Element>,
}

impl Menu {
    /// Lists the columns of `data` that match `text`.
    fn list(&mut self, data: &Arc<Dataset>, text: &str, state: RwSignal<TableState>) {
        let (found, count) = find_columns(&data.columns, text, MENU_MAX_COLUMNS);
        let (more, labels) = (&self.more, &mut self.labels);
        let found = found.into_iter().cloned().collect();
        self.listed.build(data, found, |columns| {
            for label in labels.drain(..) {
                label.remove();
            }
            for column in columns {
                let label = column_toggle(column, state);
                let _ = more.before_with_node_1(&label);
                labels.push(label);
            }
        });
        let text = if count > MENU_MAX_COLUMNS {
            format!(
                "{} more match: type more of a name to narrow the list.",
                grouped((count - MENU_MAX_COLUMNS) as u64)
            )
        } else if count == 0 {
            "No column matches.".to_owned()
        } else {
            String::new()
        };
        set_text(more, &text);
    }
}

/// A column's checkbox in the "Columns" menu, in its label.
fn column_toggle(column: &Column, state: RwSignal<TableState>) -> Element {
    let input = el(
        "input",
        &[
            ("type", "checkbox"),
            ("data-testid", &format!("column-toggle-{}", column.key)),
        ],
        &[],
    );
    let column = std::rc::Rc::new(column.clone());
    // Written when it changes: the state changes on every keystroke.
    let mut shown = None;
    effect({
        let (input, column) = (input.clone(), column.clone());
        move || {
            let checked = state.with(|s| s.is_visible(&column));
            if shown != Some(checked) {
                set_property(&input, "checked", &checked.into());
                shown = Some(checked);
            }
        }
    });
    let label = format!(" {}", column.label);
    listen(&input, "change", move |_| {
        state.update(|s| s.toggle_column(&column))
    });
    el("label", &[], &[&input, &label.into()])
}

/// Under the toolbar, "Showing 50 of 20,000 columns" when the table has
/// more columns than it shows by itself, and "Showing the first 200,000 of
/// 15,728,640 rows" when the answer had more rows than a table holds.
fn notes(panel: &Element, signals: Signals) {
    let dataset = signals.dataset;
    let columns = find(panel, "[data-testid=columns-note]");
    let rows = find(panel, "[data-testid=rows-note]");
    let toolbar = find(panel, ".toolbar");
    let scroll = find(panel, ".table-scroll");
    let under = scroll.clone();
    effect(move || {
        let Some((total, kept, left_out)) = dataset.with(|d| {
            d.as_ref()
                .map(|d| (d.columns.len(), d.rows.len(), d.rows_left_out))
        }) else {
            return;
        };
        if total > MAX_SHOWN_COLUMNS {
            set_text(
                &columns,
                &format!(
                    "Showing {} of {} columns: choose others in the Columns menu.",
                    grouped(signals.visible().len() as u64),
                    grouped(total as u64)
                ),
            );
        }
        place(&columns, total > MAX_SHOWN_COLUMNS, &toolbar, true);
        if left_out > 0 {
            set_text(
                &rows,
                &format!(
                    "Showing the first {} of {} rows, the most a table holds: ask the server for fewer (paging).",
                    grouped(kept as u64),
                    grouped((kept + left_out) as u64)
                ),
            );
        }
        place(&rows, left_out > 0, &scroll, false);
    });
    // Under an empty body, what emptied it.
    let none = find(panel, "[data-testid=no-match]");
    let selection = signals.selection;
    effect(move || {
        let nothing =
            selection.with(|s| s.as_ref().is_some_and(|s| s.rows.is_empty() && s.total > 0));
        place(&none, nothing, &under, true);
    });
}

/// A column's sortable header — a button inside the `th`, which carries
/// `aria-sort` — and the `th` of its filter input.
fn header(column: &Column, signals: Signals) -> (Element, Element) {
    let Signals { state, query, .. } = signals;
    let arrow = el(
        "span",
        &[("class", "sort-arrow"), ("aria-hidden", "true")],
        &[],
    );
    let button = el(
        "button",
        &[
            ("type", "button"),
            ("class", "sort"),
            ("data-testid", &format!("sort-{}", column.key)),
        ],
        &[&column.label.as_str().into(), &arrow],
    );
    let th = el(
        "th",
        &[("scope", "col"), ("class", kind_class(column.kind))],
        &[&button],
    );
    let input = el(
        "input",
        &[
            ("type", "search"),
            ("class", "column-filter"),
            ("placeholder", "Filter"),
            ("aria-label", &format!("Filter {}", column.label)),
            ("data-testid", &format!("filter-{}", column.key)),
        ],
        &[],
    );
    // `aria-sort`, the arrow and the filter's text follow the query;
    // `aria-sort` and the arrow are written only where they differ.
    effect({
        let (key, th, input) = (column.key.clone(), th.clone(), input.clone());
        move || {
            let (sort, mark) = match query.with(|q| q.direction_of(&key)) {
                Some(Direction::Ascending) => ("ascending", "▲"),
                Some(Direction::Descending) => ("descending", "▼"),
                None => ("none", "↕"),
            };
            if th.get_attribute("aria-sort").as_deref() != Some(sort) {
                let _ = th.set_attribute("aria-sort", sort);
            }
            set_text(&arrow, mark);
            set_property(&input, "value", &query.with(|q| q.filter_of(&key).into()));
        }
    });
    let key = column.key.clone();
    listen(&button, "click", move |_| {
        state.update(|s| s.query.toggle_sort(&key));
    });
    let key = column.key.clone();
    listen(&input, "input", move |input| {
        state.update(|s| s.set_filter(&key, &value_of(input)));
    });
    (th, el("th", &[("scope", "col")], &[&input]))
}

fn kind_class(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Number => "num",
        ColumnKind::Bool => "bool",
        _ => "",
    }
}

/// The template of one cell's `td`, by kind: its text is a text node,
/// never markup. Links only for `mailto:` and http(s) URLs; a symbol (✓, ✗,
/// —) is hidden from screen readers, which read a word instead. A value
/// cut to [`CELL_MAX_CHARS`](super::model::CELL_MAX_CHARS) characters ends
/// with a mark saying how many are left out ([`cell_element`]).
///
/// Each shape of cell is a copy of a static template ([`html`]): one call
/// into the browser instead of an element, an attribute and a child at a
/// time, and no tag or attribute name crossing into JavaScript as text —
/// a page of 25 rows is a few hundred cells. A boolean or an empty cell is
/// whole in its template; the others get their text and at most one
/// attribute ([`fill_cell`]).
fn cell_template(cell: &Cell, column: ColumnKind) -> &'static str {
    let number_column = column == ColumnKind::Number;
    match cell.kind {
        CellKind::Bool(true) => {
            r#"<td class="bool"><span aria-hidden="true">✓</span><span class="sr-only">yes</span></td>"#
        }
        CellKind::Bool(false) => {
            r#"<td class="bool"><span aria-hidden="true">✗</span><span class="sr-only">no</span></td>"#
        }
        CellKind::Empty => {
            r#"<td class="null"><span aria-hidden="true">—</span><span class="sr-only">empty</span></td>"#
        }
        CellKind::Json => r#"<td class="json"><span></span></td>"#,
        CellKind::Timestamp(_) => r#"<td class="time"><time></time></td>"#,
        CellKind::Email if number_column => r#"<td class="num"><a></a></td>"#,
        CellKind::Email => r#"<td class=""><a></a></td>"#,
        CellKind::Url if number_column => {
            r#"<td class="num"><a rel="noopener noreferrer" target="_blank"></a></td>"#
        }
        CellKind::Url => r#"<td class=""><a rel="noopener noreferrer" target="_blank"></a></td>"#,
        CellKind::Text if !number_column => r#"<td class=""><span></span></td>"#,
        CellKind::Number | CellKind::Text => r#"<td class="num"><span></span></td>"#,
    }
}

/// A cell's `td`, made from its [template](cell_template).
fn cell_element(cell: Cell, column: ColumnKind) -> ShownCell {
    let template = cell_template(&cell, column);
    let td = html(template);
    let content = td
        .first_element_child()
        .expect("a cell template has its content element");
    fill_cell(&td, &content, None, &cell);
    let text = content.first_child();
    let mark = cell.omitted_mark();
    if let Some(mark) = &mark {
        let class = td.get_attribute("class").unwrap_or_default();
        let _ = td.set_attribute("class", &format!("{class} long"));
        let cut = el(
            "span",
            &[("class", "cut"), ("data-testid", "cell-cut")],
            &[&format!(" {mark}").into()],
        );
        let _ = td.append_child(&cut);
    }
    ShownCell {
        td,
        content,
        text,
        template,
        cut: mark.is_some(),
    }
}

/// Writes `cell`'s text and attribute (the link, the instant, the whole
/// value on hover) into a `td` made from its template. The text goes into
/// `text`, the content's text node, when it has one: the browser then keeps
/// the node and its layout object and changes only their text, where
/// `textContent` would remove the node and lay out a new one.
fn fill_cell(td: &Element, content: &Element, text: Option<&web_sys::Node>, cell: &Cell) {
    let mailto;
    let attribute = match cell.kind {
        // The symbol and the word are in the template.
        CellKind::Bool(_) | CellKind::Empty => return,
        // The whole value on hover when the cell shows all of it.
        CellKind::Json if cell.omitted == 0 => Some((td, "title", cell.text.as_str())),
        CellKind::Email => {
            mailto = format!("mailto:{}", cell.text);
            Some((content, "href", mailto.as_str()))
        }
        CellKind::Url => Some((content, "href", cell.text.as_str())),
        CellKind::Timestamp(_) => Some((content, "datetime", cell.text.as_str())),
        _ => None,
    };
    if let Some((element, name, value)) = attribute {
        let _ = element.set_attribute(name, value);
    }
    let time;
    let shown = match cell.kind {
        CellKind::Timestamp(ms) => {
            time = local_date_time(ms);
            &time
        }
        _ => &cell.text,
    };
    match text {
        Some(node) => node.set_node_value(Some(shown)),
        None => content.set_text_content(Some(shown)),
    }
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
fn pager_nav(panel: &Element, signals: Signals) {
    let status = find(panel, "[data-testid=page-status]");
    effect(move || set_text(&status, &signals.pager().status()));
    let buttons = [
        (
            Nav::First,
            "[data-testid=page-first]",
            Pager::at_start as fn(&Pager) -> bool,
        ),
        (Nav::Previous, "[data-testid=page-prev]", Pager::at_start),
        (Nav::Next, "[data-testid=page-next]", Pager::at_end),
        (Nav::Last, "[data-testid=page-last]", Pager::last_off),
    ]
    .map(|(nav, button, off)| {
        let button = find(panel, button);
        listen(&button, "click", move |_| {
            signals.turn(untrack(|| signals.pager()).go(nav));
        });
        (button, off)
    });
    effect(move || {
        let pager = signals.pager();
        let off = buttons.each_ref().map(|(button, off)| {
            let off = off(&pager);
            let _ = button.toggle_attribute_with_force("disabled", off);
            off
        });
        // A disabled button loses the focus to the page's body: a keyboard
        // user who turned to the last page with Next or Last (or to the
        // first with First or Previous) goes on from the button that leads
        // back.
        let focused = document().active_element();
        let lost = buttons
            .iter()
            .zip(off)
            .position(|((button, _), off)| off && focused.as_ref() == Some(button));
        if let Some(i) = lost {
            let back = if i < 2 { 2 } else { 1 };
            if !off[back] {
                let _ = buttons[back]
                    .0
                    .unchecked_ref::<web_sys::HtmlElement>()
                    .focus();
            }
        }
    });
}

/// Makes an open `<details>` close as a menu does: on Escape, with the
/// focus back on its `<summary>`, and on a click anywhere outside it.
fn closes_like_a_menu(details: &Element) {
    let summary = find(details, "summary");
    let menu = details.clone();
    on(
        details,
        "keydown",
        Box::new(move |event| {
            let key = js_sys::Reflect::get(&event, &"key".into()).ok();
            if menu.has_attribute("open")
                && key.and_then(|k| k.as_string()).as_deref() == Some("Escape")
            {
                let _ = menu.remove_attribute("open");
                let _ = summary.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
        }),
    );
    let menu = details.clone();
    on_window(
        "click",
        Box::new(move |event| {
            let target = js_sys::Reflect::get(&event, &"target".into()).ok();
            let inside = target
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|node| menu.contains(Some(&node)));
            if !inside {
                let _ = menu.remove_attribute("open");
            }
        }),
    );
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
