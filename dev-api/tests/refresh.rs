//! `--refresh-tokens`: logins also hand out a refresh token; the refresh endpoint rotates it
//! and revokes the whole family when a spent one comes back.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use dev_api::{
    CUSTOMERS_PATH, Config, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD, REFRESH_PATH, TokenFormat,
};
use serde_json::{Value, json};
use support::{Answer, Server, UNAUTHORIZED, assert_exact, assert_input_error};

fn refreshing() -> Server {
    Server::new(Config {
        refresh_tokens: true,
        counters: true,
        ..Config::default()
    })
}

/// Logs in as the demo user: (access token, refresh token).
async fn log_in(server: &Server) -> (String, String) {
    let answer = server
        .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    pair(&answer)
}

fn pair(answer: &Answer) -> (String, String) {
    let body = answer.json();
    (
        body["authToken"].as_str().expect("authToken").to_owned(),
        body["refresh_token"]
            .as_str()
            .expect("refresh_token")
            .to_owned(),
    )
}

async fn refresh(server: &Server, token: &str) -> Answer {
    server
        .post(REFRESH_PATH, json!({"refresh_token": token}).to_string())
        .await
}

async fn refresh_form(server: &Server, body: &str) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(REFRESH_PATH)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap();
    server.send(request).await
}

async fn data_status(server: &Server, token: &str) -> StatusCode {
    server.get(CUSTOMERS_PATH, Some(token)).await.status
}

#[tokio::test]
async fn a_login_answer_carries_a_refresh_token_beside_the_access_token() {
    let server = refreshing();
    let answer = server
        .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
        .await;
    let body = answer.json();
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["authToken", "refresh_token"]);
    let (access, refresh_token) = pair(&answer);
    assert_ne!(access, refresh_token);
    assert!(refresh_token.len() >= 40, "{refresh_token}");
    assert_eq!(data_status(&server, &access).await, StatusCode::OK);
    assert_eq!(
        data_status(&server, &refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "a refresh token is no access token"
    );
}

#[tokio::test]
async fn a_refresh_rotates_both_tokens_and_spends_the_old_refresh_token() {
    let server = refreshing();
    let (_, r1) = log_in(&server).await;
    let first = refresh(&server, &r1).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let (a2, r2) = pair(&first);
    assert_ne!(r2, r1);
    assert_eq!(data_status(&server, &a2).await, StatusCode::OK);
    // The rotated one works in turn, form-encoded as OAuth 2.0 clients send it.
    let second = refresh_form(
        &server,
        &format!("grant_type=refresh_token&refresh_token={r2}"),
    )
    .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text());
    let (a3, _) = pair(&second);
    assert_eq!(data_status(&server, &a3).await, StatusCode::OK);
    assert_eq!(
        data_status(&server, &a2).await,
        StatusCode::OK,
        "an earlier access token lives on until it expires"
    );
}

#[tokio::test]
async fn a_spent_refresh_token_revokes_the_whole_family() {
    let server = refreshing();
    let (a1, r1) = log_in(&server).await;
    let (a2, r2) = pair(&refresh(&server, &r1).await);
    // An unrelated login is another family and is left alone.
    let (other_access, other_refresh) = log_in(&server).await;

    let reuse = refresh(&server, &r1).await;
    assert_exact(&reuse, StatusCode::UNAUTHORIZED, UNAUTHORIZED);
    for token in [&a1, &a2] {
        assert_eq!(data_status(&server, token).await, StatusCode::UNAUTHORIZED);
    }
    assert_exact(
        &refresh(&server, &r2).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
    assert_eq!(data_status(&server, &other_access).await, StatusCode::OK);
    assert_eq!(
        refresh(&server, &other_refresh).await.status,
        StatusCode::OK
    );
    // A new login starts a new family.
    let (_, fresh) = log_in(&server).await;
    assert_eq!(refresh(&server, &fresh).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_or_missing_refresh_tokens_are_refused() {
    let server = refreshing();
    assert_exact(
        &refresh(&server, "never-issued").await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
    assert_input_error(&server.post(REFRESH_PATH, "{}").await, "refresh_token");
    assert_input_error(
        &server.post(REFRESH_PATH, "not json").await,
        "refresh_token",
    );
    assert_input_error(
        &refresh_form(&server, "grant_type=refresh_token").await,
        "refresh_token",
    );
    assert_input_error(&refresh(&server, "  ").await, "refresh_token");
}

#[tokio::test]
async fn refreshes_are_counted_by_status() {
    let server = refreshing();
    let (_, r1) = log_in(&server).await;
    refresh(&server, &r1).await;
    refresh(&server, &r1).await;
    let counters = server.counters().await;
    assert_eq!(
        counters[format!("POST {REFRESH_PATH}")],
        json!({"requests": 2, "status": {"200": 1, "401": 1}})
    );
}

#[tokio::test]
async fn jwt_families_are_revoked_too() {
    let server = Server::new(Config {
        refresh_tokens: true,
        token_format: TokenFormat::Jwt,
        ..Config::default()
    });
    let (a1, r1) = log_in(&server).await;
    server.clock.advance(std::time::Duration::from_secs(1));
    let (a2, _) = pair(&refresh(&server, &r1).await);
    assert_eq!(data_status(&server, &a2).await, StatusCode::OK);
    assert_eq!(refresh(&server, &r1).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(data_status(&server, &a1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(data_status(&server, &a2).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_the_flag_there_are_no_refresh_tokens() {
    let server = Server::default();
    let answer = server
        .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
        .await;
    assert_eq!(answer.json().get("refresh_token"), None::<&Value>);
    assert_eq!(
        refresh(&server, "anything").await.status,
        StatusCode::NOT_FOUND
    );
}
