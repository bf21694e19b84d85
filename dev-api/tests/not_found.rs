//! Unknown paths and known paths with another verb, the optional features' routes included:
//! Xano's 404.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::body::Body;
use axum::http::{Method, StatusCode};
use dev_api::{
    COUNTERS_PATH, COUNTERS_RESET_PATH, CUSTOMERS_PATH, DELAY_PATH, ECHO_PATH, FAULTS_PATH,
    LOGIN_PATH, REVOKE_PATH,
};

mod support;
use support::{NOT_FOUND, Server, assert_exact};

#[tokio::test]
async fn unknown_endpoints_are_xano_404s() {
    let server = Server::default();
    let token = server.token().await;
    for path in [
        "/api:data/orders",
        "/api:data/customers/1",
        "/api:other/customers",
        "/nope",
        "/",
        "/__dev/counters",
    ] {
        assert_exact(
            &server.get(path, Some(&token)).await,
            StatusCode::NOT_FOUND,
            NOT_FOUND,
        );
    }
    // A known path with another verb is not found either.
    assert_exact(
        &server.post(CUSTOMERS_PATH, "{}").await,
        StatusCode::NOT_FOUND,
        NOT_FOUND,
    );
    assert_exact(
        &server.get(LOGIN_PATH, None).await,
        StatusCode::NOT_FOUND,
        NOT_FOUND,
    );
}

#[tokio::test]
async fn the_features_routes_with_another_verb_are_xano_404s_too() {
    // Each feature's router is merged into the app; the 404 for a known path with another
    // verb must reach their routes as well (axum would otherwise answer 405).
    let server = Server::with_faults();
    for (method, path) in [
        (Method::PUT, COUNTERS_PATH),
        (Method::GET, COUNTERS_RESET_PATH),
        (Method::POST, ECHO_PATH),
        (Method::DELETE, DELAY_PATH),
        (Method::PATCH, FAULTS_PATH),
        (Method::GET, REVOKE_PATH),
    ] {
        let answer = server
            .request(method.clone(), path, None, Body::empty())
            .await;
        assert_exact(&answer, StatusCode::NOT_FOUND, NOT_FOUND);
        assert_eq!(
            answer.header("access-control-allow-origin"),
            Some("https://grid.example"),
            "{method} {path}"
        );
    }
}
