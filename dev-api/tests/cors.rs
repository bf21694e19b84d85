//! CORS as Xano's defaults: mirrored preflights, and CORS headers on error answers too.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use dev_api::{CUSTOMERS_PATH, LOGIN_PATH};

mod support;
use support::Server;

#[tokio::test]
async fn cors_preflight_mirrors_origin_method_and_headers() {
    let server = Server::default();
    let answer = server
        .send(
            Request::builder()
                .method(Method::OPTIONS)
                .uri(CUSTOMERS_PATH)
                .header(header::ORIGIN, "https://grid.example")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(
                    header::ACCESS_CONTROL_REQUEST_HEADERS,
                    "authorization,x-custom",
                )
                .body(Body::empty())
                .expect("request builds"),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.status);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://grid.example")
    );
    assert_eq!(answer.header("access-control-allow-methods"), Some("GET"));
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("authorization,x-custom")
    );
    assert_eq!(
        answer.header("access-control-allow-credentials"),
        Some("true")
    );
    assert_eq!(answer.header("access-control-max-age"), Some("3600"));

    // Preflight for the login POST from another origin.
    let answer = server
        .send(
            Request::builder()
                .method(Method::OPTIONS)
                .uri(LOGIN_PATH)
                .header(header::ORIGIN, "http://localhost:8080")
                .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                .body(Body::empty())
                .expect("request builds"),
        )
        .await;
    assert!(answer.status.is_success());
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://localhost:8080")
    );
    assert_eq!(answer.header("access-control-allow-methods"), Some("POST"));
}

#[tokio::test]
async fn cors_headers_are_on_errors_too_so_the_browser_can_read_a_401() {
    let server = Server::default();
    let answer = server
        .send(
            Request::get(CUSTOMERS_PATH)
                .header(header::ORIGIN, "https://grid.example")
                .body(Body::empty())
                .expect("request builds"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://grid.example")
    );
    assert_eq!(
        answer.header("access-control-allow-credentials"),
        Some("true")
    );
}
