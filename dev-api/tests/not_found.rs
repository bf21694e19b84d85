//! Unknown paths and known paths with another verb: Xano's 404.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::http::StatusCode;
use dev_api::{CUSTOMERS_PATH, LOGIN_PATH};

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
