//! Xano's paging of `customers`: the envelope, uneven and default sizes, bad inputs, and the
//! configurable row count.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::http::StatusCode;
use dev_api::{CUSTOMERS_PATH, Config};
use serde_json::{Value, json};

mod support;
use support::{Server, UNAUTHORIZED, assert_exact, assert_input_error, keys};

async fn page(server: &Server, token: &str, query: &str) -> Value {
    let answer = server
        .get(&format!("{CUSTOMERS_PATH}?{query}"), Some(token))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{query}: {}", answer.text());
    answer.json()
}

const ENVELOPE_KEYS: [&str; 9] = [
    "itemsReceived",
    "curPage",
    "nextPage",
    "prevPage",
    "offset",
    "perPage",
    "items",
    "itemsTotal",
    "pageTotal",
];

fn ids(envelope: &Value) -> Vec<u64> {
    envelope["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|row| row["id"].as_u64())
        .collect()
}

#[tokio::test]
async fn paging_envelope_matches_xano() {
    let server = Server::default();
    let token = server.token().await;

    let first = page(&server, &token, "page=1&per_page=20").await;
    assert_eq!(keys(&first), ENVELOPE_KEYS);
    let expected = json!({"itemsReceived": 20, "curPage": 1, "nextPage": 2, "prevPage": null,
        "offset": 0, "perPage": 20, "itemsTotal": 300, "pageTotal": 15});
    for (key, value) in expected.as_object().expect("object") {
        assert_eq!(&first[key], value, "{key}");
    }
    assert_eq!(ids(&first), (1..=20).collect::<Vec<_>>());

    let middle = page(&server, &token, "page=2&per_page=20").await;
    assert_eq!(
        (&middle["prevPage"], &middle["nextPage"], &middle["offset"]),
        (&json!(1), &json!(3), &json!(20))
    );
    assert_eq!(ids(&middle), (21..=40).collect::<Vec<_>>());

    let last = page(&server, &token, "page=15&per_page=20").await;
    assert_eq!(last["nextPage"], Value::Null);
    assert_eq!(last["prevPage"], 14);
    assert_eq!(last["offset"], 280);
    assert_eq!(ids(&last), (281..=300).collect::<Vec<_>>());

    let beyond = page(&server, &token, "page=16&per_page=20").await;
    assert_eq!(beyond["itemsReceived"], 0);
    assert_eq!(beyond["items"], json!([]));
    assert_eq!(beyond["nextPage"], Value::Null);
    assert_eq!(beyond["prevPage"], 15);
    assert_eq!(beyond["offset"], 300);
    assert_eq!(beyond["pageTotal"], 15);
}

#[tokio::test]
async fn paging_handles_uneven_sizes_and_defaults() {
    let server = Server::default();
    let token = server.token().await;

    // 300 = 42 * 7 + 6.
    let last = page(&server, &token, "per_page=7&page=43").await;
    assert_eq!(last["pageTotal"], 43);
    assert_eq!(last["itemsReceived"], 6);
    assert_eq!(last["nextPage"], Value::Null);
    assert_eq!(ids(&last), (295..=300).collect::<Vec<_>>());

    // Only per_page: page 1.
    let only_per_page = page(&server, &token, "per_page=50").await;
    assert_eq!(only_per_page["curPage"], 1);
    assert_eq!(only_per_page["pageTotal"], 6);
    assert_eq!(only_per_page["itemsReceived"], 50);

    // Only page: 20 per page.
    let only_page = page(&server, &token, "page=3").await;
    assert_eq!(only_page["perPage"], 20);
    assert_eq!(ids(&only_page), (41..=60).collect::<Vec<_>>());

    // One page holds everything.
    for query in ["per_page=300", "per_page=1000&page=1"] {
        let all = page(&server, &token, query).await;
        assert_eq!(all["itemsReceived"], 300);
        assert_eq!(all["pageTotal"], 1);
        assert_eq!(all["nextPage"], Value::Null);
        assert_eq!(all["prevPage"], Value::Null);
    }

    // One per page, the last one.
    let single = page(&server, &token, "per_page=1&page=300").await;
    assert_eq!(ids(&single), [300]);
    assert_eq!(single["prevPage"], 299);
    assert_eq!(single["nextPage"], Value::Null);

    // Page items are exactly the corresponding slice of the full list.
    let full = server.get(CUSTOMERS_PATH, Some(&token)).await.json();
    let page4 = page(&server, &token, "page=4&per_page=25").await;
    assert_eq!(
        page4["items"].as_array().expect("items").as_slice(),
        &full.as_array().expect("rows")[75..100]
    );
}

#[tokio::test]
async fn bad_paging_inputs_are_input_errors_after_the_token_check() {
    let server = Server::default();
    let token = server.token().await;
    for (query, param) in [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=", "page"),
        ("page=1.5", "page"),
        ("page=99999999999", "page"),
        ("per_page=0", "per_page"),
        ("per_page=ten", "per_page"),
        ("page=2&per_page=-5", "per_page"),
    ] {
        let answer = server
            .get(&format!("{CUSTOMERS_PATH}?{query}"), Some(&token))
            .await;
        assert_input_error(&answer, param);
    }
    // Without a token the 401 comes first.
    assert_exact(
        &server.get(&format!("{CUSTOMERS_PATH}?page=0"), None).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
}

#[tokio::test]
async fn the_row_count_is_configurable_for_benchmarks() {
    let server = Server::new(Config {
        rows: 1_000,
        ..Config::default()
    });
    let token = server.token().await;
    let rows = server.get(CUSTOMERS_PATH, Some(&token)).await.json();
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), 1_000);
    assert_eq!(
        (rows[0]["id"].clone(), rows[999]["id"].clone()),
        (json!(1), json!(1000))
    );
    let page = server
        .get(
            &format!("{CUSTOMERS_PATH}?page=50&per_page=20"),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(
        (page["itemsTotal"].clone(), page["nextPage"].clone()),
        (json!(1000), json!(null))
    );
    assert_eq!(Config::default().rows, 300, "the documented default");
}
