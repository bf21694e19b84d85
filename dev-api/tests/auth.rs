//! Login, signup and `auth/me`: the token each format issues, Xano's answers to wrong
//! credentials and malformed bodies, e-mail normalisation.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dev_api::{
    CUSTOMERS_PATH, Config, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD, LOGIN_PATH, TokenFormat,
};
use serde_json::{Value, json};

mod support;
use support::{START_MS, Server, UNAUTHORIZED, assert_exact, assert_input_error, keys};

const INVALID_CREDENTIALS: &str =
    r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"Invalid Credentials."}"#;

const ACCOUNT_IN_USE: &str =
    r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"This account is already in use."}"#;

fn decode_part(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).expect("base64url part")
}

#[tokio::test]
async fn login_returns_an_opaque_jwe_shaped_token() {
    let server = Server::default();
    let answer = server
        .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json();
    assert_eq!(keys(&body), ["authToken"]);
    let token = body["authToken"].as_str().expect("string token");
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 5, "JWE compact form has five parts: {token}");
    let header: Value = serde_json::from_slice(&decode_part(parts[0])).expect("JSON header");
    assert_eq!(
        header.to_string(),
        r#"{"alg":"A256KW","enc":"A256CBC-HS512","zip":"DEF"}"#
    );
    for part in &parts[1..] {
        assert!(!decode_part(part).is_empty());
    }
    // Nothing readable: the payload parts are not JSON, so the client cannot learn `exp`.
    assert!(serde_json::from_slice::<Value>(&decode_part(parts[3])).is_err());
    // Each login gets a fresh token, and both work.
    let second = server.token().await;
    assert_ne!(second, token);
    for token in [token, second.as_str()] {
        assert_eq!(
            server.get(CUSTOMERS_PATH, Some(token)).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn jwt_mode_issues_hs256_with_exp_equal_to_iat_plus_ttl() {
    let server = Server::new(Config {
        token_format: TokenFormat::Jwt,
        token_ttl_secs: 90,
        ..Config::default()
    });
    let token = server.token().await;
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&decode_part(parts[0])).expect("JSON header");
    assert_eq!(header["alg"], "HS256");
    let claims: Value = serde_json::from_slice(&decode_part(parts[1])).expect("JSON claims");
    assert_eq!(claims["sub"], "1");
    assert_eq!(claims["iat"], START_MS / 1000);
    assert_eq!(claims["exp"], START_MS / 1000 + 90);
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::OK
    );
    // A tampered signature is refused.
    let forged = format!("{}.{}.{}", parts[0], parts[1], "AAAA");
    assert_exact(
        &server.get(CUSTOMERS_PATH, Some(&forged)).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
}

#[tokio::test]
async fn jwt_mode_with_a_fixed_secret_accepts_tokens_across_restarts() {
    let config = Config {
        token_format: TokenFormat::Jwt,
        jwt_secret: Some("a-shared-dev-secret".into()),
        ..Config::default()
    };
    let token = Server::new(config.clone()).token().await;
    let restarted = Server::new(config);
    assert_eq!(
        restarted.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::OK
    );
    // With the default random secret, another process refuses it.
    let other = Server::new(Config {
        token_format: TokenFormat::Jwt,
        ..Config::default()
    });
    assert_eq!(
        other.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn wrong_password_or_unknown_email_is_403_invalid_credentials() {
    let server = Server::default();
    for (email, password) in [
        (DEFAULT_DEMO_EMAIL, "wrong-password"),
        ("nobody@tokengrid.dev", DEFAULT_DEMO_PASSWORD),
        (DEFAULT_DEMO_EMAIL, "TOKENGRID-DEMO"),
    ] {
        let answer = server.login_as(email, password).await;
        assert_exact(&answer, StatusCode::FORBIDDEN, INVALID_CREDENTIALS);
    }
}

#[tokio::test]
async fn login_email_is_trimmed_and_case_insensitive() {
    let server = Server::default();
    for email in [
        "DEMO@TokenGrid.Dev",
        "  demo@tokengrid.dev\t",
        " Demo@TOKENGRID.dev ",
    ] {
        let answer = server.login_as(email, DEFAULT_DEMO_PASSWORD).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{email:?}: {}",
            answer.text()
        );
    }
    // The password is not trimmed.
    let answer = server
        .login_as(DEFAULT_DEMO_EMAIL, " tokengrid-demo ")
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_login_bodies_are_xano_input_errors_naming_the_param() {
    let server = Server::default();
    let cases: [(&str, &str); 11] = [
        ("", "email"),
        ("not json", "email"),
        ("{\"email\": ", "email"),
        ("[1, 2]", "email"),
        ("\"demo@tokengrid.dev\"", "email"),
        ("{}", "email"),
        (r#"{"password": "tokengrid-demo"}"#, "email"),
        (r#"{"email": 5, "password": "tokengrid-demo"}"#, "email"),
        (r#"{"email": null, "password": "x"}"#, "email"),
        (r#"{"email": "demo@tokengrid.dev"}"#, "password"),
        (
            r#"{"email": "demo@tokengrid.dev", "password": ["x"]}"#,
            "password",
        ),
    ];
    for (body, param) in cases {
        let answer = server.post(LOGIN_PATH, body).await;
        assert_input_error(&answer, param);
    }
    // Any content type but a form's is read as JSON, as Xano does: a form
    // body labelled as JSON is just not JSON.
    for content_type in ["application/json", "text/plain", "multipart/form-data"] {
        let answer = server
            .send(
                Request::post(LOGIN_PATH)
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from("email=demo%40tokengrid.dev&password=x"))
                    .expect("request builds"),
            )
            .await;
        assert_input_error(&answer, "email");
    }
}

#[tokio::test]
async fn signup_returns_a_token_for_the_new_user_and_me_describes_them() {
    let server = Server::default();
    server.clock.advance(Duration::from_secs(5));
    let answer = server
        .post(
            "/api:auth/auth/signup",
            json!({"name": " Grace ", "email": " Grace@Example.com ", "password": "hopper-1906"})
                .to_string(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(keys(&answer.json()), ["authToken"]);
    let token = answer.json()["authToken"]
        .as_str()
        .expect("token")
        .to_owned();

    let me = server.get("/api:auth/auth/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(keys(&me), ["id", "created_at", "name", "email"]);
    assert_eq!(me["id"], 2);
    assert_eq!(me["created_at"], START_MS + 5000);
    assert_eq!(me["name"], "Grace");
    assert_eq!(me["email"], "grace@example.com");

    // The new account can log in.
    let login = server.login_as("grace@example.com", "hopper-1906").await;
    assert_eq!(login.status, StatusCode::OK);
}

#[tokio::test]
async fn signup_with_a_taken_email_is_403_already_in_use() {
    let server = Server::default();
    for email in [DEFAULT_DEMO_EMAIL, " DEMO@tokengrid.dev "] {
        let answer = server
            .post(
                "/api:auth/auth/signup",
                json!({"name": "Copy", "email": email, "password": "another-password"}).to_string(),
            )
            .await;
        assert_exact(&answer, StatusCode::FORBIDDEN, ACCOUNT_IN_USE);
    }
    // The demo password is unchanged.
    assert_eq!(
        server
            .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn malformed_signup_bodies_are_input_errors() {
    let server = Server::default();
    let cases = [
        ("nope", "name"),
        (r#"{"email": "a@b.c", "password": "long-enough"}"#, "name"),
        (
            r#"{"name": "  ", "email": "a@b.c", "password": "long-enough"}"#,
            "name",
        ),
        (r#"{"name": "A", "password": "long-enough"}"#, "email"),
        (
            r#"{"name": "A", "email": "not-an-email", "password": "long-enough"}"#,
            "email",
        ),
        (r#"{"name": "A", "email": "a@b.c"}"#, "password"),
        (
            r#"{"name": "A", "email": "a@b.c", "password": "short"}"#,
            "password",
        ),
    ];
    for (body, param) in cases {
        assert_input_error(&server.post("/api:auth/auth/signup", body).await, param);
    }
}

#[tokio::test]
async fn me_describes_the_demo_user_and_needs_a_token() {
    let server = Server::default();
    let token = server.token().await;
    let me = server.get("/api:auth/auth/me", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(keys(&me), ["id", "created_at", "name", "email"]);
    assert_eq!(me["id"], 1);
    assert!(me["created_at"].is_u64());
    assert_eq!(me["email"], DEFAULT_DEMO_EMAIL);
    assert_exact(
        &server.get("/api:auth/auth/me", None).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
}
