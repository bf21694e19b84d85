//! The table component mounted in headless Chromium: rendering, escaping,
//! and interaction (sort, search, filters, client and server paging,
//! columns).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use serde_json::json;
use std::sync::Arc;
use tokengrid::table::view::DataTable;
use tokengrid::table::{Dataset, TableState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod dom;
use dom::{container, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn texts(parent: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = parent.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn element(parent: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    parent
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

/// Whether `element` has the page's focus.
fn has_focus(element: &web_sys::HtmlElement) -> bool {
    let document = web_sys::window().unwrap().document().unwrap();
    document
        .active_element()
        .is_some_and(|active| active.is_same_node(Some(element)))
}

fn text(parent: &web_sys::HtmlElement, selector: &str) -> String {
    element(parent, selector).text_content().unwrap_or_default()
}

/// The value an input or select shows.
fn value(parent: &web_sys::HtmlElement, selector: &str) -> String {
    tokengrid::dom::value_of(&element(parent, selector))
}

fn disabled(parent: &web_sys::HtmlElement, test_id: &str) -> bool {
    element(parent, &format!("[data-testid='{test_id}']")).has_attribute("disabled")
}

/// Picks `value` in the page-size control, as a user does.
fn choose_page_size(parent: &web_sys::HtmlElement, value: &str) {
    let select = element(parent, "[data-testid='page-size']");
    js_sys::Reflect::set(&select, &"value".into(), &value.into()).unwrap();
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// Mounts a table over `rows`; returns the container, the state and the handle.
fn mount(rows: serde_json::Value) -> (web_sys::HtmlElement, RwSignal<TableState>, impl Drop) {
    mount_in(rows, TableState::default())
}

/// Mounts a table over `rows` in `state`.
fn mount_in(
    rows: serde_json::Value,
    state: TableState,
) -> (web_sys::HtmlElement, RwSignal<TableState>, impl Drop) {
    let parent = container();
    let dataset = RwSignal::new(Some(Arc::new(Dataset::from_json(rows).unwrap()))).read_only();
    let state = RwSignal::new(state);
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        DataTable {
            title: "Customers".to_owned(),
            dataset,
            state,
            preview: None,
            on_server_page: None,
        }
        .view()
    });
    (parent, state, handle)
}

/// A server-paged table, mounted.
struct ServerTable {
    parent: web_sys::HtmlElement,
    /// Every `on_server_page` call, in order.
    calls: RwSignal<Vec<(u64, u64)>>,
    /// The response shown: set it to answer a call.
    dataset: RwSignal<Option<Arc<Dataset>>>,
    /// Keeps the table mounted.
    _handle: Box<dyn std::any::Any>,
}

impl ServerTable {
    /// The server answers with `envelope`.
    fn answer(&self, envelope: serde_json::Value) {
        self.dataset
            .set(Some(Arc::new(Dataset::from_json(envelope).unwrap())));
    }
}

/// A server-paged table whose response is `envelope`.
fn mount_server(envelope: serde_json::Value) -> ServerTable {
    let parent = container();
    let dataset = RwSignal::new(Some(Arc::new(Dataset::from_json(envelope).unwrap())));
    let calls = RwSignal::new(Vec::new());
    let state = RwSignal::new(TableState::default());
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        let on_server_page = Callback::new(move |call| calls.update(|c| c.push(call)));
        DataTable {
            title: "Customers".to_owned(),
            dataset: dataset.read_only(),
            state,
            on_server_page: Some(on_server_page),
            preview: None,
        }
        .view()
    });
    ServerTable {
        parent,
        calls,
        dataset,
        _handle: Box::new(handle),
    }
}

/// Xano's envelope for page `page` of 300 rows, `per_page` a page, with
/// or without the totals.
fn envelope(page: u64, per_page: u64, totals: bool) -> serde_json::Value {
    let pages = 300u64.div_ceil(per_page);
    let first = (page - 1) * per_page + 1;
    let items: Vec<_> = (first..(first + per_page).min(301))
        .map(|id| json!({"id": id, "name": format!("row {id}")}))
        .collect();
    let mut envelope = json!({
        "itemsReceived": items.len(), "curPage": page,
        "nextPage": (page < pages).then_some(page + 1),
        "prevPage": (page > 1).then(|| page - 1),
        "offset": first - 1, "perPage": per_page, "items": items,
    });
    if totals {
        envelope["itemsTotal"] = json!(300);
        envelope["pageTotal"] = json!(pages);
    }
    envelope
}

fn ids(parent: &web_sys::HtmlElement) -> Vec<String> {
    texts(parent, "tbody tr td:first-child")
}

fn id_range(range: std::ops::RangeInclusive<u64>) -> Vec<String> {
    range.map(|i| i.to_string()).collect()
}

#[wasm_bindgen_test]
fn rows_render_with_labels_and_server_text_stays_text() {
    let (parent, _state, _handle) = mount(json!([
        {"id": 1, "first_name": "<img src=x onerror=alert(1)>", "active": true, "notes": null, "address": {"city": "Oslo"}},
        {"id": 2, "first_name": "<b>bold</b>", "active": false}
    ]));
    let headers: Vec<String> = texts(&parent, "thead tr:first-child th")
        .iter()
        .map(|h| h.trim_end_matches(['↕', '▲', '▼']).to_owned())
        .collect();
    assert_eq!(headers, ["ID", "First name", "Active", "Notes", "Address"]);
    assert_eq!(parent.query_selector_all("tbody tr").unwrap().length(), 2);
    assert_eq!(
        parent.query_selector_all("table > tbody").unwrap().length(),
        1,
        "one body, right under the table (valid HTML: no tbody inside a tbody)"
    );
    assert_eq!(
        parent.query_selector_all("tbody tbody").unwrap().length(),
        0
    );
    // Markup from the server is shown literally; no element is created.
    assert!(parent.query_selector("tbody img").unwrap().is_none());
    assert!(parent.query_selector("tbody b").unwrap().is_none());
    let first_row = texts(&parent, "tbody tr:first-child td");
    assert!(
        first_row[1].contains("<img src=x onerror=alert(1)>"),
        "{first_row:?}"
    );
    // The symbol, and the word a screen reader hears where the symbol is
    // not enough (its cell templates in src/table/view.rs).
    assert_eq!(first_row[2], "✓yes", "{first_row:?}");
    assert_eq!(first_row[3], "—empty", "{first_row:?}");
    assert_eq!(first_row[4], r#"{"city":"Oslo"}"#);
    let second_row = texts(&parent, "tbody tr:nth-child(2) td");
    assert_eq!(
        second_row.len(),
        5,
        "a missing key is an empty cell, not a shifted row"
    );
    assert_eq!(second_row[2], "✗no", "{second_row:?}");
    assert!(second_row[4].contains('—'));
}

#[wasm_bindgen_test]
fn emails_urls_and_timestamps_render_as_links_and_times() {
    let (parent, _state, _handle) = mount(json!([
        {"email": "ada@example.com", "site": "https://example.com/a", "bad": "javascript:alert(1)", "created_at": 1_704_067_200_000u64}
    ]));
    assert_eq!(
        element(&parent, "tbody a[href^='mailto:']")
            .get_attribute("href")
            .unwrap(),
        "mailto:ada@example.com"
    );
    assert_eq!(
        element(&parent, "tbody a[href^='https:']")
            .get_attribute("href")
            .unwrap(),
        "https://example.com/a"
    );
    assert_eq!(
        parent.query_selector_all("tbody a").unwrap().length(),
        2,
        "javascript: is text, not a link"
    );
    let time = element(&parent, "tbody time");
    assert_eq!(
        time.get_attribute("datetime").unwrap(),
        "2024-01-01T00:00:00Z"
    );
    assert!(
        time.text_content().unwrap().contains("2024")
            || time.text_content().unwrap().contains("2023")
    );
}

#[wasm_bindgen_test]
async fn clicking_a_header_sorts_and_sets_aria_sort() {
    // The server's order is neither ascending nor descending.
    let (parent, state, _handle) = mount(json!([
        {"name": "item 2", "amount": 3}, {"name": "item 10", "amount": null}, {"name": "item 1", "amount": 7}
    ]));
    let names = || texts(&parent, "tbody tr td:first-child");
    let header = || element(&parent, "thead th:first-child");
    assert_eq!(header().get_attribute("aria-sort").as_deref(), Some("none"));
    element(&parent, "[data-testid='sort-name']").click();
    settle().await;
    assert_eq!(names(), ["item 1", "item 2", "item 10"]);
    assert_eq!(
        header().get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    element(&parent, "[data-testid='sort-name']").click();
    settle().await;
    assert_eq!(names(), ["item 10", "item 2", "item 1"]);
    assert_eq!(
        header().get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
    element(&parent, "[data-testid='sort-name']").click();
    settle().await;
    assert_eq!(
        names(),
        ["item 2", "item 10", "item 1"],
        "back to the server's order"
    );
    assert_eq!(header().get_attribute("aria-sort").as_deref(), Some("none"));
    assert!(state.get_untracked().query.sort.is_none());
}

#[wasm_bindgen_test]
async fn search_paging_and_column_visibility() {
    let rows: Vec<_> = (1..=60)
        .map(|i| json!({"id": i, "name": format!("row {i}"), "even": i % 2 == 0}))
        .collect();
    let (parent, state, _handle) = mount(serde_json::Value::Array(rows));
    assert_eq!(
        parent.query_selector_all("tbody tr").unwrap().length(),
        25,
        "first page of 25"
    );
    assert_eq!(
        element(&parent, "[data-testid='page-status']")
            .text_content()
            .unwrap(),
        "Page 1 of 3"
    );
    element(&parent, "[data-testid='page-last']").click();
    settle().await;
    assert_eq!(
        texts(&parent, "tbody tr td:first-child"),
        (51..=60).map(|i| i.to_string()).collect::<Vec<_>>()
    );
    state.update(|s| s.set_search("row 1"));
    settle().await;
    assert_eq!(
        element(&parent, "[data-testid='match-count']")
            .text_content()
            .unwrap(),
        "11 of 60 rows match"
    );
    assert_eq!(
        element(&parent, "[data-testid='page-status']")
            .text_content()
            .unwrap(),
        "Page 1 of 1"
    );
    element(&parent, "[data-testid='column-toggle-even']").click();
    settle().await;
    assert_eq!(
        parent
            .query_selector_all("thead tr:first-child th")
            .unwrap()
            .length(),
        2
    );
    assert_eq!(
        parent
            .query_selector_all("tbody tr:first-child td")
            .unwrap()
            .length(),
        2
    );
}

#[wasm_bindgen_test]
fn an_empty_response_says_so() {
    let (parent, _state, _handle) = mount(json!([]));
    assert!(parent.query_selector("table").unwrap().is_none());
    assert!(parent.text_content().unwrap().contains("No rows to show."));
}

#[wasm_bindgen_test]
async fn a_filter_input_keeps_focus_while_the_user_types() {
    let (parent, state, _handle) = mount(json!([
        {"id": 1, "plan": "pro"}, {"id": 2, "plan": "free"}, {"id": 3, "plan": "pro"}
    ]));
    let input = element(&parent, "[data-testid='filter-plan']");
    input.focus().unwrap();
    state.update(|s| s.set_filter("plan", "p"));
    settle().await;
    state.update(|s| s.set_filter("plan", "pro"));
    settle().await;
    assert_eq!(ids(&parent), ["1", "3"]);
    let now = element(&parent, "[data-testid='filter-plan']");
    assert!(
        now.is_same_node(Some(&input)),
        "the input is not rebuilt on each keystroke"
    );
    assert!(has_focus(&input), "focus stays in the filter");
}

#[wasm_bindgen_test]
async fn hiding_a_filtered_column_in_the_menu_brings_back_the_rows_its_filter_kept_out() {
    let (parent, state, _handle) = mount(json!([
        {"id": 1, "plan": "pro"}, {"id": 2, "plan": "free"}, {"id": 3, "plan": "pro"}
    ]));
    type_into(&parent, "filter-plan", "free");
    settle().await;
    assert_eq!(ids(&parent), ["2"]);
    element(&parent, "[data-testid='column-toggle-plan']").click();
    settle().await;
    assert!(
        parent
            .query_selector("[data-testid='filter-plan']")
            .unwrap()
            .is_none(),
        "the column and its filter input are gone"
    );
    assert_eq!(
        ids(&parent),
        ["1", "2", "3"],
        "no hidden filter keeps rows out"
    );
    element(&parent, "[data-testid='column-toggle-plan']").click();
    settle().await;
    assert_eq!(
        value(&parent, "[data-testid='filter-plan']"),
        "",
        "shown again, with an empty filter"
    );
    assert_eq!(state.get_untracked().query.filter_of("plan"), "");
}

#[wasm_bindgen_test]
async fn the_client_page_size_control_keeps_the_first_row_shown() {
    let rows: Vec<_> = (1..=60).map(|i| json!({"id": i})).collect();
    let (parent, state, _handle) = mount(serde_json::Value::Array(rows));
    element(&parent, "[data-testid='page-next']").click();
    settle().await;
    assert_eq!(ids(&parent), id_range(26..=50));
    choose_page_size(&parent, "10");
    settle().await;
    assert_eq!(ids(&parent), id_range(21..=30), "row 26 is on page 3 of 10");
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 3 of 6");
    choose_page_size(&parent, "all");
    settle().await;
    assert_eq!(ids(&parent), id_range(1..=60));
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 1 of 1");
    assert!(disabled(&parent, "page-next") && disabled(&parent, "page-last"));
    assert_eq!(
        (state.get_untracked().page, state.get_untracked().page_size),
        (0, None)
    );
}

#[wasm_bindgen_test]
async fn all_rows_on_one_page_is_offered_up_to_500_matching_rows() {
    let rows = |n: u64| serde_json::Value::Array((1..=n).map(|i| json!({"id": i})).collect());
    let all_option = |parent: &web_sys::HtmlElement| {
        element(parent, "[data-testid='page-size'] option[value='all']").has_attribute("disabled")
    };
    let (parent, _state, _handle) = mount(rows(500));
    choose_page_size(&parent, "all");
    settle().await;
    assert!(!all_option(&parent));
    assert_eq!(ids(&parent).len(), 500);
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 1 of 1");

    // "All" kept from before, over a table with one row more: pages of 100.
    let (parent, _state, _handle) = mount_in(
        rows(501),
        TableState {
            page_size: None,
            ..TableState::default()
        },
    );
    settle().await;
    assert!(all_option(&parent), "not offered");
    assert_eq!(ids(&parent), id_range(1..=100));
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 1 of 6");
    assert_eq!(
        value(&parent, "[data-testid='page-size']"),
        "100",
        "the control shows the size used"
    );
}

#[wasm_bindgen_test]
async fn server_pages_are_requested_through_the_callback() {
    let table = mount_server(envelope(1, 20, true));
    let (parent, calls) = (table.parent.clone(), table.calls);
    assert_eq!(ids(&parent), id_range(1..=20));
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 1 of 15");
    assert_eq!(
        text(&parent, "[data-testid='match-count']"),
        "20 of 20 rows on this page, 300 in all"
    );
    assert!(disabled(&parent, "page-first") && disabled(&parent, "page-prev"));
    element(&parent, "[data-testid='page-first']").click();
    element(&parent, "[data-testid='page-next']").click();
    settle().await;
    assert_eq!(
        calls.get_untracked(),
        [(2, 20)],
        "First on page 1 asks nothing"
    );
    assert_eq!(
        ids(&parent),
        id_range(1..=20),
        "the table waits for the page"
    );

    table.answer(envelope(3, 20, true));
    settle().await;
    assert_eq!(ids(&parent), id_range(41..=60));
    assert!(!disabled(&parent, "page-first") && !disabled(&parent, "page-prev"));
    calls.set(Vec::new());
    element(&parent, "[data-testid='page-prev']").click();
    element(&parent, "[data-testid='page-first']").click();
    element(&parent, "[data-testid='page-last']").click();
    settle().await;
    assert_eq!(calls.get_untracked(), [(2, 20), (1, 20), (15, 20)]);

    table.answer(envelope(15, 20, true));
    settle().await;
    assert_eq!(ids(&parent), id_range(281..=300));
    assert!(disabled(&parent, "page-next") && disabled(&parent, "page-last"));
}

#[wasm_bindgen_test]
async fn the_server_page_size_control_requests_the_page_with_the_first_row() {
    let table = mount_server(envelope(2, 20, true));
    let (parent, calls) = (table.parent.clone(), table.calls);
    assert!(
        element(&parent, "[data-testid='page-size'] option[value='all']").has_attribute("disabled"),
        "a server does not send all rows at once"
    );
    choose_page_size(&parent, "10");
    settle().await;
    assert_eq!(
        calls.get_untracked(),
        [(3, 10)],
        "row 21 is on page 3 of 10"
    );
    table.answer(envelope(3, 10, true));
    settle().await;
    assert_eq!(ids(&parent), id_range(21..=30));
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 3 of 30");
    choose_page_size(&parent, "100");
    settle().await;
    assert_eq!(calls.get_untracked(), [(3, 10), (1, 100)]);
}

#[wasm_bindgen_test]
async fn server_pages_without_a_page_total_follow_next_page() {
    let table = mount_server(envelope(3, 20, false));
    let (parent, calls) = (table.parent.clone(), table.calls);
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 3");
    assert_eq!(
        text(&parent, "[data-testid='match-count']"),
        "20 of 20 rows on this page"
    );
    assert!(disabled(&parent, "page-last"), "the last page is unknown");
    assert!(!disabled(&parent, "page-next") && !disabled(&parent, "page-prev"));
    element(&parent, "[data-testid='page-next']").click();
    element(&parent, "[data-testid='page-prev']").click();
    element(&parent, "[data-testid='page-first']").click();
    settle().await;
    assert_eq!(calls.get_untracked(), [(4, 20), (2, 20), (1, 20)]);
}

/// Rows whose cells change kind from row to row in every column: text,
/// markup as text, links, e-mail addresses, null, booleans, times, JSON,
/// and values cut to `CELL_MAX_CHARS`.
fn varied_rows() -> serde_json::Value {
    let rows: Vec<_> = (1..=60u64)
        .map(|i| {
            json!({
                "id": i,
                "note": match i % 3 { 0 => json!(null), 1 => json!(format!("text {i}")), _ => json!(format!("<b>markup</b> {i}")) },
                "contact": match i % 4 { 0 => json!(format!("p{i}@example.com")), 1 => json!(format!("https://example.com/{i}")), 2 => json!(format!("plain {i}")), _ => json!(null) },
                "created_at": 1_704_067_200_000u64 + i * 86_400_000,
                "meta": match i % 5 { 0 => json!({"n": i}), 1 => json!("x".repeat(1_005 + i as usize)), _ => json!([i]) },
                "flag": match i % 3 { 0 => json!(true), 1 => json!(false), _ => json!(null) },
            })
        })
        .collect();
    serde_json::Value::Array(rows)
}

/// Column `key` of [`varied_rows`].
fn varied_column(key: &str) -> tokengrid::table::Column {
    let dataset = Dataset::from_json(varied_rows()).unwrap();
    dataset.column(key).unwrap().clone()
}

#[wasm_bindgen_test]
async fn a_change_rewrites_the_rows_in_place_exactly_as_a_new_table_shows_them() {
    let (parent, state, _handle) = mount(varied_rows());
    let body = |parent: &web_sys::HtmlElement| element(parent, "tbody").outer_html();
    // The rows of a table built anew in `state`.
    let fresh = |state: TableState| {
        let (fresh, _, handle) = mount_in(varied_rows(), state);
        let html = body(&fresh);
        drop(handle);
        fresh.remove();
        html
    };
    let row_elements = || {
        let nodes = parent.query_selector_all("tbody tr").unwrap();
        (0..nodes.length())
            .map(|i| nodes.item(i).unwrap())
            .collect::<Vec<_>>()
    };
    let first_page = row_elements();
    assert_eq!(first_page.len(), 25);
    assert_eq!(
        parent.query_selector_all("tbody .cut").unwrap().length(),
        5,
        "the page has cut cells"
    );

    // A page turn: the same 25 row elements, showing rows 26–50 cell for
    // cell as a table built on that page does.
    element(&parent, "[data-testid='page-next']").click();
    settle().await;
    assert_eq!(ids(&parent), id_range(26..=50));
    assert_eq!(body(&parent), fresh(state.get_untracked()));
    let second_page = row_elements();
    assert!(
        second_page
            .iter()
            .zip(&first_page)
            .all(|(now, before)| now.is_same_node(Some(before))),
        "a page turn builds no row"
    );

    // Fewer rows (a search), then a sort, then a hidden column, then back:
    // each as the new table shows it.
    type Change = fn(&mut TableState);
    let changes: [(&str, Change); 5] = [
        ("search", |s| s.set_search("text")),
        ("sort", |s| s.query.toggle_sort("contact")),
        ("descending", |s| s.query.toggle_sort("contact")),
        ("hidden column", |s| s.toggle_column(&varied_column("note"))),
        ("all rows again", |s| {
            s.set_search("");
            s.show(2, Some(25));
        }),
    ];
    for (change, apply) in changes {
        state.update(apply);
        settle().await;
        assert_eq!(
            body(&parent),
            fresh(state.get_untracked()),
            "after the {change}"
        );
    }
    assert_eq!(row_elements().len(), 10, "the last page: rows 51–60");
}

/// Types `value` into the input `test_id`, as a user does.
fn type_into(parent: &web_sys::HtmlElement, test_id: &str, value: &str) {
    let input = element(parent, &format!("[data-testid='{test_id}']"));
    js_sys::Reflect::set(&input, &"value".into(), &value.into()).unwrap();
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_long_cell_shows_its_start_and_what_it_leaves_out() {
    let long = format!("{}{}", "a".repeat(1_000), "b".repeat(48_213));
    let (parent, _state, _handle) = mount(json!([{"id": 1, "text": long, "meta": {"k": long}}]));
    let cells = texts(&parent, "tbody tr:first-child td");
    assert_eq!(
        cells[1],
        format!("{} … (+48,213 characters)", "a".repeat(1_000))
    );
    assert!(
        cells[2].ends_with("a … (+48,221 characters)"),
        "{}",
        cells[2]
    );
    assert_eq!(texts(&parent, "[data-testid='cell-cut']").len(), 2);
    let meta = element(&parent, "tbody tr:first-child td:nth-child(3)");
    assert!(
        !meta.has_attribute("title"),
        "no attribute holds the whole value"
    );
    assert!(
        parent
            .query_selector("[data-testid='columns-note']")
            .unwrap()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn columns_beyond_fifty_start_hidden_and_the_menu_finds_and_shows_one() {
    let row: serde_json::Map<String, serde_json::Value> =
        (0..2_000).map(|i| (format!("c{i}"), json!(i))).collect();
    let (parent, _state, _handle) = mount(json!([row]));
    let headers = || {
        parent
            .query_selector_all("thead tr:first-child th")
            .unwrap()
            .length()
    };
    assert_eq!(headers(), 50);
    assert_eq!(
        text(&parent, "[data-testid='columns-note']"),
        "Showing 50 of 2,000 columns: choose others in the Columns menu."
    );
    let toggles = || {
        parent
            .query_selector_all("[data-testid^='column-toggle-']")
            .unwrap()
            .length()
    };
    assert_eq!(toggles(), 50, "the menu lists a bounded number");
    assert_eq!(
        text(&parent, "[data-testid='columns-more']"),
        "1,950 more match: type more of a name to narrow the list."
    );
    type_into(&parent, "columns-find", "c1999");
    settle().await;
    assert_eq!(toggles(), 1);
    let toggle = element(&parent, "[data-testid='column-toggle-c1999']");
    assert!(
        !js_sys::Reflect::get(&toggle, &"checked".into())
            .unwrap()
            .is_truthy()
    );
    toggle.click();
    settle().await;
    assert_eq!(headers(), 51);
    assert_eq!(
        texts(&parent, "tbody tr:first-child td")
            .last()
            .map(String::as_str),
        Some("1999")
    );
    assert_eq!(
        text(&parent, "[data-testid='columns-note']"),
        "Showing 51 of 2,000 columns: choose others in the Columns menu."
    );
    type_into(&parent, "columns-find", "c7");
    settle().await;
    element(&parent, "[data-testid='column-toggle-c7']").click();
    settle().await;
    assert_eq!(headers(), 50, "one of the first fifty hidden");
}

/// The first rows of an answer still being read, as the parser's preview.
fn preview_of(n: usize) -> Arc<Dataset> {
    let rows: Vec<_> = (0..n)
        .map(|i| json!({"id": i, "name": format!("<b>Customer {i}</b>")}))
        .collect();
    let body = serde_json::to_string(&rows).unwrap();
    let mut parser = tokengrid::table::parse::StepParser::new(body);
    assert!(parser.step(4 * 1024).is_none(), "more than one step");
    Arc::new(parser.preview(100).expect("a preview"))
}

#[wasm_bindgen_test]
async fn the_first_rows_of_an_answer_still_being_read_show_until_the_table_replaces_them() {
    let parent = container();
    let dataset = RwSignal::new(None::<Arc<Dataset>>);
    let preview = RwSignal::new(Some(preview_of(2_000)));
    let state = RwSignal::new(TableState::default());
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        DataTable {
            title: "Customers".to_owned(),
            dataset: dataset.read_only(),
            preview: Some(preview.read_only()),
            state,
            on_server_page: None,
        }
        .view()
    });
    settle().await;
    // The first page (25 rows by default), as text, with nothing to act on yet.
    let names = texts(
        &parent,
        "[data-testid='data-table-preview'] tbody tr td:nth-child(2)",
    );
    assert_eq!(names.len(), 25);
    assert_eq!(names[0], "<b>Customer 0</b>");
    assert_eq!(names[24], "<b>Customer 24</b>");
    assert_eq!(texts(&parent, "thead th"), ["ID", "Name"]);
    assert!(text(&parent, "caption").ends_with("first rows; reading the rest…"));
    assert!(
        parent
            .query_selector("button, input, select")
            .unwrap()
            .is_none()
    );
    // The whole table replaces it.
    let rows: Vec<_> = (0..2_000)
        .map(|i| json!({"id": i, "name": format!("Customer {i}")}))
        .collect();
    dataset.set(Some(Arc::new(Dataset::from_json(json!(rows)).unwrap())));
    preview.set(None);
    settle().await;
    assert!(
        parent
            .query_selector("[data-testid='data-table-preview']")
            .unwrap()
            .is_none()
    );
    assert!(
        parent
            .query_selector("[data-testid='reading-rows']")
            .unwrap()
            .is_none()
    );
    assert_eq!(text(&parent, "[data-testid='row-count']"), "2,000 rows");
    // A load that ends without a table takes the preview away too.
    dataset.set(None);
    preview.set(Some(preview_of(2_000)));
    settle().await;
    assert_eq!(
        texts(&parent, "[data-testid='data-table-preview'] tbody tr").len(),
        25
    );
    preview.set(None);
    settle().await;
    assert!(parent.query_selector("table").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn no_preview_shows_when_the_first_page_depends_on_rows_not_read_yet() {
    for change in [
        (|s: &mut TableState| s.query.toggle_sort("name")) as fn(&mut TableState),
        |s| s.set_search("customer 1"),
        |s| s.show(3, Some(25)),
    ] {
        let parent = container();
        let mut table = TableState::default();
        change(&mut table);
        let state = RwSignal::new(table);
        let dataset = RwSignal::new(None::<Arc<Dataset>>).read_only();
        let preview = RwSignal::new(Some(preview_of(2_000))).read_only();
        let _handle = leptos::mount::mount_to(parent.clone(), move || {
            DataTable {
                title: "Customers".to_owned(),
                dataset,
                preview: Some(preview),
                state,
                on_server_page: None,
            }
            .view()
        });
        settle().await;
        assert!(parent.query_selector("table").unwrap().is_none());
    }
}

#[wasm_bindgen_test]
async fn another_dataset_keeps_the_toolbar_and_the_focus_in_it() {
    let rows = |n: u64| {
        serde_json::Value::Array((1..=n).map(|i| json!({"id": i, "plan": "pro"})).collect())
    };
    let parent = container();
    let dataset = RwSignal::new(Some(Arc::new(Dataset::from_json(rows(30)).unwrap())));
    let state = RwSignal::new(TableState::default());
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        DataTable {
            title: "Customers".to_owned(),
            dataset: dataset.read_only(),
            state,
            preview: None,
            on_server_page: None,
        }
        .view()
    });
    let search = element(&parent, "[data-testid='search']");
    search.focus().unwrap();
    // A refresh: another dataset with the same columns.
    dataset.set(Some(Arc::new(Dataset::from_json(rows(40)).unwrap())));
    settle().await;
    assert_eq!(text(&parent, "[data-testid='row-count']"), "40 rows");
    assert_eq!(text(&parent, "[data-testid='page-status']"), "Page 1 of 2");
    assert!(
        element(&parent, "[data-testid='search']").is_same_node(Some(&search)),
        "the toolbar is not built again"
    );
    assert!(has_focus(&search), "focus stays in the search box");
    // Other columns: the headers follow.
    dataset.set(Some(Arc::new(
        Dataset::from_json(json!([{"x": 1}])).unwrap(),
    )));
    settle().await;
    assert_eq!(texts(&parent, "thead tr:first-child th"), ["X↕"]);
    assert_eq!(ids(&parent), ["1"]);
    // Rows with no keys: no columns, and no row of the last dataset left.
    dataset.set(Some(Arc::new(Dataset::from_json(json!([{}, {}])).unwrap())));
    settle().await;
    assert_eq!(
        texts(&parent, "thead tr:first-child th"),
        Vec::<String>::new()
    );
    assert_eq!(texts(&parent, "tbody td"), Vec::<String>::new());
    assert_eq!(
        parent.query_selector_all("tbody tr").unwrap().length(),
        2,
        "a row each"
    );
}

/// Work of many steps done in idle time (the search text and sort ranks a
/// load prepares) runs every step, once, and several steps to an idle
/// period: 200 steps that cost nothing take a few idle callbacks, not 200.
#[wasm_bindgen_test]
async fn idle_time_work_runs_every_step_several_to_an_idle_period() {
    use std::cell::Cell;
    use std::rc::Rc;
    js_sys::eval(
        "window.idleCalls = 0; window.realIdle = window.requestIdleCallback; \
         window.requestIdleCallback = (f, o) => { window.idleCalls++; return window.realIdle.call(window, f, o); };",
    )
    .unwrap();
    let steps = Rc::new(Cell::new(0u32));
    let counted = steps.clone();
    tokengrid::dom::in_idle_time(move || {
        counted.set(counted.get() + 1);
        counted.get() < 200
    });
    for _ in 0..100 {
        if steps.get() >= 200 {
            break;
        }
        dom::sleep(20).await;
    }
    dom::sleep(100).await;
    let calls = js_sys::eval("window.requestIdleCallback = window.realIdle; window.idleCalls")
        .unwrap()
        .as_f64()
        .unwrap();
    assert_eq!(steps.get(), 200, "every step once, none after the last");
    assert!(calls < 20.0, "{calls} idle callbacks for 200 steps");
}
