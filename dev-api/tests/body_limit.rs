//! Bodies over the limit: Xano-shaped 413s.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dev_api::{DEFAULT_DEMO_EMAIL, LOGIN_PATH};
use serde_json::json;

mod support;
use support::{Server, assert_exact};

#[tokio::test]
async fn oversized_bodies_get_a_xano_shaped_413() {
    let server = Server::default();
    let padding = "x".repeat(70 * 1024);
    let body = json!({"email": DEFAULT_DEMO_EMAIL, "password": padding}).to_string();
    let expected =
        r#"{"code":"ERROR_CODE_PAYLOAD_TOO_LARGE","message":"Request body is too large."}"#;

    // Refused up front from Content-Length...
    let answer = server
        .send(
            Request::post(LOGIN_PATH)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body.clone()))
                .expect("request builds"),
        )
        .await;
    assert_exact(&answer, StatusCode::PAYLOAD_TOO_LARGE, expected);

    // ...or while reading a body of undeclared length.
    let answer = server.post("/api:auth/auth/signup", body).await;
    assert_exact(&answer, StatusCode::PAYLOAD_TOO_LARGE, expected);

    // Just under the limit is fine (and merely a wrong password).
    let small = json!({"email": DEFAULT_DEMO_EMAIL, "password": "x".repeat(60 * 1024)});
    assert_eq!(
        server.post(LOGIN_PATH, small.to_string()).await.status,
        StatusCode::FORBIDDEN
    );
}
