//! The login rate limit (`--login-rate-limit`, `--login-rate-window`): a fixed window per
//! lower-cased e-mail, Xano's 429 body with `Retry-After`, time from the manual clock.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use dev_api::{
    AppState, Config, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD, DEFAULT_LOGIN_RATE_LIMIT,
    DEFAULT_LOGIN_RATE_WINDOW_SECS, LOGIN_PATH, StartupError,
};
use serde_json::json;
use support::{Server, TOO_MANY_REQUESTS, assert_exact};

fn limited(limit: u32, window_secs: u64) -> Server {
    Server::new(Config {
        login_rate_limit: limit,
        login_rate_window_secs: window_secs,
        ..Config::default()
    })
}

async fn assert_limited(server: &Server, email: &str, retry_after: &str) {
    let answer = server.login_as(email, DEFAULT_DEMO_PASSWORD).await;
    assert_exact(&answer, StatusCode::TOO_MANY_REQUESTS, TOO_MANY_REQUESTS);
    assert_eq!(answer.header("retry-after"), Some(retry_after));
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://grid.example")
    );
}

#[tokio::test]
async fn the_default_is_ten_attempts_per_twenty_seconds_right_or_wrong() {
    assert_eq!(
        (DEFAULT_LOGIN_RATE_LIMIT, DEFAULT_LOGIN_RATE_WINDOW_SECS),
        (10, 20)
    );
    let server = Server::new(Config::default());
    for attempt in 0..10 {
        let password = if attempt % 2 == 0 {
            DEFAULT_DEMO_PASSWORD
        } else {
            "wrong"
        };
        let answer = server.login_as(DEFAULT_DEMO_EMAIL, password).await;
        let expected = if attempt % 2 == 0 {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(
            answer.status,
            expected,
            "attempt {attempt}: {}",
            answer.text()
        );
    }
    assert_limited(&server, DEFAULT_DEMO_EMAIL, "20").await;
    // Trimmed and lower-cased first: the same e-mail, the same window.
    assert_limited(&server, "  Demo@TokenGrid.dev ", "20").await;

    server.clock.advance(Duration::from_millis(12_500));
    assert_limited(&server, DEFAULT_DEMO_EMAIL, "8").await;
    server.clock.advance(Duration::from_millis(7_499));
    assert_limited(&server, DEFAULT_DEMO_EMAIL, "1").await;
    // The window closes 20 s after its first attempt; refused attempts did not extend it.
    server.clock.advance(Duration::from_millis(1));
    server.token().await;
}

#[tokio::test]
async fn a_new_window_allows_the_full_limit_again() {
    let server = limited(3, 5);
    for _ in 0..3 {
        server.token().await;
    }
    assert_limited(&server, DEFAULT_DEMO_EMAIL, "5").await;
    server.clock.advance(Duration::from_secs(5));
    for _ in 0..3 {
        server.token().await;
    }
    assert_limited(&server, DEFAULT_DEMO_EMAIL, "5").await;
}

#[tokio::test]
async fn emails_are_limited_independently() {
    let server = limited(2, 20);
    for _ in 0..2 {
        server.token().await;
    }
    assert_limited(&server, DEFAULT_DEMO_EMAIL, "20").await;
    // Another e-mail (unknown here, so 403) has its own window.
    for _ in 0..2 {
        let answer = server.login_as("other@example.com", "whatever").await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text());
    }
    assert_limited(&server, "other@example.com", "20").await;
}

#[tokio::test]
async fn bodies_without_an_email_are_input_errors_and_not_counted() {
    let server = limited(1, 20);
    for _ in 0..3 {
        let answer = server
            .post(LOGIN_PATH, json!({"password": "x"}).to_string())
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    }
    server.token().await;
    assert_limited(&server, DEFAULT_DEMO_EMAIL, "20").await;
}

#[tokio::test]
async fn zero_turns_the_limit_off() {
    let server = limited(0, 20);
    for _ in 0..30 {
        server.token().await;
    }
}

#[test]
fn a_zero_window_is_refused_while_the_limit_is_on() {
    let refused = AppState::new(Config {
        login_rate_window_secs: 0,
        ..Config::default()
    });
    assert!(matches!(refused, Err(StartupError::ZeroLoginRateWindow)));
    let off = AppState::new(Config {
        login_rate_limit: 0,
        login_rate_window_secs: 0,
        ..Config::default()
    });
    assert!(off.is_ok());
}
