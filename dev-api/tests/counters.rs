//! `--counters`: per-endpoint request counters and the test probes, and their 404s without
//! the flag.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use dev_api::{CUSTOMERS_PATH, Config, DEFAULT_DEMO_EMAIL, MAX_OTHER_KEYS, OTHER_KEY};
use serde_json::json;

mod support;
use support::{NOT_FOUND, Server, UNAUTHORIZED, assert_exact, assert_input_error};

#[tokio::test]
async fn counters_count_per_endpoint_and_status_and_reset() {
    let server = Server::new(Config {
        counters: true,
        ..Config::default()
    });
    let token = server.token().await;
    server.get(CUSTOMERS_PATH, Some(&token)).await;
    server.get(CUSTOMERS_PATH, Some(&token)).await;
    server.get(CUSTOMERS_PATH, None).await;
    server.login_as(DEFAULT_DEMO_EMAIL, "wrong").await;
    // Neither preflights nor the counter routes are counted.
    server
        .send(
            Request::builder()
                .method(Method::OPTIONS)
                .uri(CUSTOMERS_PATH)
                .header(header::ORIGIN, "https://grid.example")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .body(Body::empty())
                .expect("request builds"),
        )
        .await;
    server.get("/__dev/counters", None).await;

    let counts = server.get("/__dev/counters", None).await;
    assert_eq!(counts.status, StatusCode::OK);
    assert_eq!(
        counts.json(),
        json!({
            "GET /api:data/customers": {"requests": 3, "status": {"200": 2, "401": 1}},
            "POST /api:auth/auth/login": {"requests": 2, "status": {"200": 1, "403": 1}},
        })
    );

    let reset = server.post("/__dev/counters/reset", "").await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(server.get("/__dev/counters", None).await.json(), json!({}));

    server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_eq!(
        server.get("/__dev/counters", None).await.json(),
        json!({"GET /api:data/customers": {"requests": 1, "status": {"200": 1}}})
    );
}

#[tokio::test]
async fn counters_are_404_when_disabled() {
    let server = Server::default();
    assert_exact(
        &server.get("/__dev/counters", None).await,
        StatusCode::NOT_FOUND,
        NOT_FOUND,
    );
    assert_exact(
        &server.post("/__dev/counters/reset", "").await,
        StatusCode::NOT_FOUND,
        NOT_FOUND,
    );
}

#[tokio::test]
async fn test_probes_echo_headers_and_delay_only_in_test_mode() {
    let server = Server::new(Config {
        counters: true,
        ..Config::default()
    });
    let echo = server.get("/__dev/echo", Some("abc.def")).await;
    assert_eq!(echo.status, StatusCode::OK);
    let echo = echo.json();
    assert_eq!(echo["method"], "GET");
    assert_eq!(echo["headers"]["authorization"], "Bearer abc.def");
    let plain = server.get("/__dev/echo", None).await.json();
    assert!(plain["headers"].get("authorization").is_none());

    let waited = server.get("/__dev/delay?ms=5", None).await;
    assert_eq!(waited.status, StatusCode::OK);
    assert_eq!(waited.json(), json!({"waited": 5}));
    for bad in [
        "/__dev/delay",
        "/__dev/delay?ms=-1",
        "/__dev/delay?ms=99999999",
    ] {
        assert_input_error(&server.get(bad, None).await, "ms");
    }

    let protected = server.post("/__dev/protected-echo", r#"{"a":1}"#).await;
    assert_exact(&protected, StatusCode::UNAUTHORIZED, UNAUTHORIZED);
    let token = server.token().await;
    let request = Request::builder()
        .method(Method::PATCH)
        .uri("/__dev/protected-echo")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(r#"{"a":1}"#))
        .expect("request builds");
    let echoed = server.send(request).await;
    assert_eq!(echoed.status, StatusCode::OK);
    assert_eq!(
        (
            echoed.json()["method"].clone(),
            echoed.json()["body"].clone()
        ),
        (json!("PATCH"), json!(r#"{"a":1}"#))
    );

    let production = Server::default();
    for path in ["/__dev/echo", "/__dev/delay?ms=1", "/__dev/protected-echo"] {
        assert_exact(
            &production.get(path, None).await,
            StatusCode::NOT_FOUND,
            NOT_FOUND,
        );
    }
}

/// However many distinct paths clients invent, the counters hold a bounded number of keys,
/// and the endpoints keep their exact counts.
#[tokio::test]
async fn counters_stay_bounded_under_unique_paths_and_endpoints_count_exactly() {
    let server = Server::new(Config {
        counters: true,
        ..Config::default()
    });
    let token = server.token().await;
    server.get(CUSTOMERS_PATH, Some(&token)).await;
    let invented = 3 * MAX_OTHER_KEYS;
    for n in 0..invented {
        server.get(&format!("/made-up/{n}"), None).await;
        server.post(&format!("/api:data/made-up-{n}"), "{}").await;
    }
    server.get(CUSTOMERS_PATH, None).await;
    server.login_as(DEFAULT_DEMO_EMAIL, "wrong").await;
    // A routed path with an invented method is another "other" request.
    server
        .send(
            Request::builder()
                .method(Method::from_bytes(b"BREW").expect("a method"))
                .uri(CUSTOMERS_PATH)
                .body(Body::empty())
                .expect("request builds"),
        )
        .await;

    let counts = server.get("/__dev/counters", None).await.json();
    let counts = counts.as_object().expect("an object");
    assert_eq!(
        counts["GET /api:data/customers"],
        json!({"requests": 2, "status": {"200": 1, "401": 1}})
    );
    assert_eq!(
        counts["POST /api:auth/auth/login"],
        json!({"requests": 2, "status": {"200": 1, "403": 1}})
    );
    // The two endpoints, the first invented keys, and one key for all the rest.
    assert_eq!(counts.len(), 2 + MAX_OTHER_KEYS + 1, "{counts:?}");
    assert!(counts.contains_key("GET /made-up/0"));
    assert!(counts.contains_key("POST /api:data/made-up-0"));
    let other_requests = 2 * invented + 1 - MAX_OTHER_KEYS;
    assert_eq!(
        counts[OTHER_KEY]["requests"],
        json!(other_requests),
        "every request is still counted once"
    );
    assert_eq!(counts[OTHER_KEY]["status"]["404"], json!(other_requests));

    // A reset frees the room for other keys again.
    server.post("/__dev/counters/reset", "").await;
    server.get("/made-up/again", None).await;
    assert_eq!(
        server.get("/__dev/counters", None).await.json(),
        json!({"GET /made-up/again": {"requests": 1, "status": {"404": 1}}})
    );
}
