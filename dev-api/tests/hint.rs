//! The dev-only demo-login hint, and the refusal of empty demo credentials at startup.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::http::StatusCode;
use dev_api::{AppState, Config, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD, StartupError};
use serde_json::json;

mod support;
use support::Server;

#[tokio::test]
async fn hint_tells_the_demo_login_and_it_works() {
    let server = Server::default();
    let hint = server.get("/api:auth/__dev/hint", None).await;
    assert_eq!(hint.status, StatusCode::OK);
    assert_eq!(
        hint.text(),
        r#"{"email":"demo@tokengrid.dev","password":"tokengrid-demo"}"#
    );

    let custom = Server::new(Config {
        demo_email: " Tester@Example.COM ".into(),
        demo_password: "s3cret-demo".into(),
        ..Config::default()
    });
    let hint = custom.get("/api:auth/__dev/hint", None).await.json();
    assert_eq!(
        hint,
        json!({"email": "tester@example.com", "password": "s3cret-demo"})
    );
    assert_eq!(
        custom
            .login_as("tester@example.com", "s3cret-demo")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        custom
            .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[test]
fn empty_demo_credentials_are_refused_at_startup() {
    let empty_email = AppState::new(Config {
        demo_email: "  ".into(),
        ..Config::default()
    });
    assert!(matches!(empty_email, Err(StartupError::EmptyDemoEmail)));
    let empty_password = AppState::new(Config {
        demo_password: String::new(),
        ..Config::default()
    });
    assert!(matches!(
        empty_password,
        Err(StartupError::EmptyDemoPassword)
    ));
}
