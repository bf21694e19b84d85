//! The table component mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use serde_json::json;
use std::sync::Arc;
use tokengrid::table::Dataset;
use tokengrid::table::view::DataTable;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

#[wasm_bindgen_test]
fn rows_render_with_labels_and_server_text_stays_text() {
    let dataset = Dataset::from_json(json!([
        {"id": 1, "first_name": "<img src=x onerror=alert(1)>", "active": true, "notes": null, "address": {"city": "Oslo"}},
        {"id": 2, "first_name": "<b>bold</b>", "active": false}
    ]))
    .unwrap();
    let parent = container();
    let signal = Signal::stored(Some(Arc::new(dataset)));
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        view! { <DataTable title="Customers".to_owned() dataset=signal/> }
    });

    let headers: Vec<String> = texts(&parent, "thead th");
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
    // A key missing from the second row shows as empty, not as a shifted cell.
    let second_row = texts(&parent, "tbody tr:nth-child(2) td");
    assert_eq!(second_row.len(), 5);
    assert!(second_row[4].contains('—'));
    assert!(parent.text_content().unwrap().contains("2 rows"));
}

#[wasm_bindgen_test]
fn an_empty_response_says_so() {
    let parent = container();
    let signal = Signal::stored(Some(Arc::new(Dataset::from_json(json!([])).unwrap())));
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        view! { <DataTable title="Customers".to_owned() dataset=signal/> }
    });
    assert!(parent.query_selector("table").unwrap().is_none());
    assert!(parent.text_content().unwrap().contains("No rows to show."));
}

fn texts(parent: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let nodes = parent.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}
