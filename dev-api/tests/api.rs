//! End-to-end tests of the dev API, driving the router in-process with `oneshot`.
//!
//! No sockets and no sleeping: token expiry is exercised by advancing a [`ManualClock`].

//! The router, the decoded answers and the assertions are shared with the
//! fault, rate-limit and socket tests (`support/`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dev_api::{
    AppState, CUSTOMERS_PATH, Config, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD, LOGIN_PATH,
    StartupError, TokenFormat,
};
use serde_json::{Value, json};

mod support;
use support::{NOT_FOUND, START_MS, Server, UNAUTHORIZED, assert_exact, assert_input_error};

const INVALID_CREDENTIALS: &str =
    r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"Invalid Credentials."}"#;
const ACCOUNT_IN_USE: &str =
    r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"This account is already in use."}"#;

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn decode_part(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).expect("base64url part")
}

// ---------------------------------------------------------------- login

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
    // The content type does not matter: a form body is just not JSON.
    let answer = server
        .send(
            Request::post(LOGIN_PATH)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("email=demo%40tokengrid.dev&password=x"))
                .expect("request builds"),
        )
        .await;
    assert_input_error(&answer, "email");
}

// ---------------------------------------------------------------- signup and me

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

// ---------------------------------------------------------------- protected data

#[tokio::test]
async fn data_without_a_valid_token_is_401_with_one_body_for_every_case() {
    let server = Server::default();
    let real = server.token().await;
    let forged_but_well_shaped = {
        let mut parts: Vec<String> = real.split('.').map(str::to_owned).collect();
        parts[3] = URL_SAFE_NO_PAD.encode([7u8; 96]);
        parts.join(".")
    };
    let headers = [
        None,
        Some("".to_owned()),
        Some("Bearer".to_owned()),
        Some("Bearer ".to_owned()),
        Some("Bearer garbage".to_owned()),
        Some(format!("Bearer {forged_but_well_shaped}")),
        Some(format!("Basic {real}")),
        Some(format!("Token {real}")),
        Some(real.clone()),
    ];
    for value in headers {
        let mut request = Request::get(CUSTOMERS_PATH);
        if let Some(value) = &value {
            request = request.header(header::AUTHORIZATION, value);
        }
        let answer = server
            .send(request.body(Body::empty()).expect("request builds"))
            .await;
        assert_exact(&answer, StatusCode::UNAUTHORIZED, UNAUTHORIZED);
    }
    // The scheme is case-insensitive.
    let answer = server
        .send(
            Request::get(CUSTOMERS_PATH)
                .header(header::AUTHORIZATION, format!("bearer {real}"))
                .body(Body::empty())
                .expect("request builds"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}

async fn assert_token_expires_after_ttl(format: TokenFormat) {
    let server = Server::new(Config {
        token_format: format,
        token_ttl_secs: 60,
        ..Config::default()
    });
    let token = server.token().await;
    server.clock.advance(Duration::from_millis(59_999));
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::OK,
        "{format}: still valid 1 ms before expiry"
    );
    server.clock.advance(Duration::from_millis(1));
    assert_exact(
        &server.get(CUSTOMERS_PATH, Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
    assert_exact(
        &server.get("/api:auth/auth/me", Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
    // Logging in again is the way back.
    let fresh = server.token().await;
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&fresh)).await.status,
        StatusCode::OK
    );
    // Even a clock moving backwards does not revive the expired token in opaque mode
    // (its session was dropped); in JWT mode the claims would be valid again, so skip that.
    if format == TokenFormat::Opaque {
        server.clock.set(START_MS);
        assert_eq!(
            server.get(CUSTOMERS_PATH, Some(&token)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn opaque_tokens_expire_exactly_at_ttl() {
    assert_token_expires_after_ttl(TokenFormat::Opaque).await;
}

#[tokio::test]
async fn jwt_tokens_expire_exactly_at_ttl() {
    assert_token_expires_after_ttl(TokenFormat::Jwt).await;
}

#[tokio::test]
async fn ttl_is_configurable() {
    let server = Server::new(Config {
        token_ttl_secs: 5,
        ..Config::default()
    });
    let token = server.token().await;
    server.clock.advance(Duration::from_secs(4));
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::OK
    );
    server.clock.advance(Duration::from_secs(1));
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn data_returns_300_deterministic_rows_in_key_order_with_mixed_types() {
    let server = Server::default();
    let token = server.token().await;
    let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let rows = answer.json();
    let rows = rows.as_array().expect("a bare array without paging inputs");
    assert_eq!(rows.len(), 300);

    let mut nulls = 0;
    let mut empty_tags = 0;
    let mut previous_created = 0;
    for (index, row) in rows.iter().enumerate() {
        assert_eq!(
            keys(row),
            [
                "id",
                "name",
                "email",
                "created_at",
                "amount",
                "active",
                "plan",
                "notes",
                "address",
                "tags"
            ]
        );
        assert_eq!(row["id"], index + 1);
        assert!(row["name"].as_str().is_some_and(|name| name.contains(' ')));
        assert!(
            row["email"]
                .as_str()
                .is_some_and(|email| email.contains('@'))
        );
        let created = row["created_at"].as_u64().expect("epoch ms");
        // 2023-01-01 ..= 2025-12-31, ascending with id.
        assert!((1_672_531_200_000..1_767_225_600_000).contains(&created));
        assert!(created > previous_created);
        previous_created = created;
        let amount = row["amount"].as_f64().expect("amount");
        assert!(row["amount"].is_f64(), "amount is a JSON float: {row}");
        assert!(((amount * 100.0).round() - amount * 100.0).abs() < 1e-6);
        assert!(row["active"].is_boolean());
        assert!(
            ["free", "starter", "pro", "enterprise"].contains(&row["plan"].as_str().expect("plan"))
        );
        match &row["notes"] {
            Value::Null => nulls += 1,
            Value::String(_) => {}
            other => panic!("notes must be text or null, got {other}"),
        }
        assert_eq!(keys(&row["address"]), ["city", "country"]);
        assert!(row["address"]["city"].is_string() && row["address"]["country"].is_string());
        let tags = row["tags"].as_array().expect("tags array");
        assert!(tags.iter().all(Value::is_string));
        empty_tags += usize::from(tags.is_empty());
    }
    assert!((70..=130).contains(&nulls), "about a third null: {nulls}");
    assert!(empty_tags > 0 && empty_tags < 300);
    let notes: Vec<&str> = rows
        .iter()
        .filter_map(|row| row["notes"].as_str())
        .collect();
    assert!(notes.iter().any(|note| note.contains("<b>bold</b>")));
    assert!(
        notes
            .iter()
            .any(|note| note.contains(',') && note.contains('"'))
    );
    assert!(notes.iter().any(|note| note.contains('\n')));
    assert!(rows.iter().any(|row| row["active"] == true));
    assert!(rows.iter().any(|row| row["active"] == false));

    // Same rows on every run.
    let again = Server::default();
    let again_token = again.token().await;
    assert_eq!(
        again.get(CUSTOMERS_PATH, Some(&again_token)).await.body,
        answer.body
    );
}

// ---------------------------------------------------------------- paging

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

// ---------------------------------------------------------------- not found

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

// ---------------------------------------------------------------- CORS

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

// ---------------------------------------------------------------- counters

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

// ---------------------------------------------------------------- hint

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

// ---------------------------------------------------------------- static site

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dev-api-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn serve_dist_serves_files_and_falls_back_to_index_html() {
    let dist = TempDir::new("dist");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>tokengrid</title>",
    )
    .expect("write index");
    std::fs::write(dist.path().join("app.js"), "console.log('hi');").expect("write js");
    let server = Server::new(Config {
        serve_dist: Some(dist.path().to_path_buf()),
        ..Config::default()
    });

    for path in ["/", "/index.html", "/grid/settings", "/missing.png"] {
        let answer = server.get(path, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(answer.text().contains("<title>tokengrid</title>"), "{path}");
        assert!(
            answer
                .header("content-type")
                .is_some_and(|kind| kind.starts_with("text/html")),
            "{path}"
        );
    }
    let js = server.get("/app.js", None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.text(), "console.log('hi');");

    // API routes keep precedence, and unknown API paths stay Xano 404s.
    let token = server.token().await;
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::OK
    );
    for path in ["/api:data/orders", "/__dev/counters"] {
        assert_exact(
            &server.get(path, None).await,
            StatusCode::NOT_FOUND,
            NOT_FOUND,
        );
    }
    // Only reads are served from the site.
    assert_exact(
        &server.post("/grid/settings", "{}").await,
        StatusCode::NOT_FOUND,
        NOT_FOUND,
    );
}

#[test]
fn serve_dist_must_be_a_directory() {
    let missing = std::env::temp_dir().join("dev-api-test-definitely-missing-dir");
    let state = AppState::new(Config {
        serve_dist: Some(missing),
        ..Config::default()
    });
    assert!(matches!(state, Err(StartupError::ServeDist(_))));
}

// ---------------------------------------------------------------- body limit

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
