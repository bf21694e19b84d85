//! The table component mounted in headless Chromium: rendering, escaping,
//! and interaction (sort, search, paging, columns).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use serde_json::json;
use std::sync::Arc;
use tokengrid::table::view::DataTable;
use tokengrid::table::{Dataset, TableState};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

/// Lets Leptos run the effects a change scheduled.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

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

/// Mounts a table over `rows`; returns the container, the state and the handle.
fn mount(rows: serde_json::Value) -> (web_sys::HtmlElement, RwSignal<TableState>, impl Drop) {
    let parent = container();
    let dataset = Signal::stored(Some(Arc::new(Dataset::from_json(rows).unwrap())));
    let state = RwSignal::new(TableState::default());
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        view! { <DataTable title="Customers".to_owned() dataset state/> }
    });
    (parent, state, handle)
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
    // Markup from the server is shown literally; no element is created.
    assert!(parent.query_selector("tbody img").unwrap().is_none());
    assert!(parent.query_selector("tbody b").unwrap().is_none());
    let first_row = texts(&parent, "tbody tr:first-child td");
    assert!(
        first_row[1].contains("<img src=x onerror=alert(1)>"),
        "{first_row:?}"
    );
    assert!(
        first_row[2].contains('✓') && first_row[2].contains("yes"),
        "{first_row:?}"
    );
    assert!(first_row[3].contains('—'), "{first_row:?}");
    assert_eq!(first_row[4], r#"{"city":"Oslo"}"#);
    let second_row = texts(&parent, "tbody tr:nth-child(2) td");
    assert_eq!(
        second_row.len(),
        5,
        "a missing key is an empty cell, not a shifted row"
    );
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
    let (parent, state, _handle) = mount(json!([
        {"name": "item 10", "amount": 3}, {"name": "item 2", "amount": null}, {"name": "item 1", "amount": 7}
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
        ["item 10", "item 2", "item 1"],
        "back to the server's order"
    );
    assert_eq!(header().get_attribute("aria-sort").as_deref(), Some("none"));
    assert!(state.get_untracked().sort.is_none());
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
