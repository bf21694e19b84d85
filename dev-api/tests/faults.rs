//! Fault injection (`--faults`): the exact answer of every fault kind, counts and
//! probabilities, the control routes, revocation and how the counters see faulted requests.
//!
//! In-process with `oneshot`; `drop` on a real socket is in `tests/drop.rs`.

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use dev_api::{CUSTOMERS_PATH, Config, ME_PATH, TokenFormat};
use serde_json::{Value, json};
use support::{
    NOT_FOUND, Server, TOO_MANY_REQUESTS, UNAUTHORIZED, assert_exact, assert_input_error,
};

const ERROR_500: &str = r#"{"code":"ERROR_FATAL","message":"An unexpected error occurred. <img src=x onerror=alert(1)>"}"#;
const PROXY_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn customers_fault(kind: &str, count: u64) -> Value {
    json!({"endpoint": "GET /api:data/customers", "fault": kind, "count": count})
}

fn login_fault(kind: &str) -> Value {
    json!({"endpoint": "POST /api:auth/auth/login", "fault": kind, "count": 1})
}

fn assert_cors(answer: &support::Answer) {
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://grid.example")
    );
    assert_eq!(
        answer.header("access-control-allow-credentials"),
        Some("true")
    );
}

/// After the fault is used up, customers answer normally: 200 with all rows.
async fn assert_customers_normal(server: &Server, token: &str) {
    let answer = server.get(CUSTOMERS_PATH, Some(token)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json().as_array().map(Vec::len), Some(300));
}

// ---------------------------------------------------------------- each kind

#[tokio::test]
async fn error500_is_xano_fatal_with_markup_in_the_message() {
    let server = Server::with_faults();
    let token = server.token().await;
    server.fault(customers_fault("error500", 2)).await;
    for _ in 0..2 {
        let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
        assert_exact(&answer, StatusCode::INTERNAL_SERVER_ERROR, ERROR_500);
        assert_cors(&answer);
    }
    assert_customers_normal(&server, &token).await;
}

#[tokio::test]
async fn proxy502_is_an_nginx_html_page() {
    let server = Server::with_faults();
    let token = server.token().await;
    server.fault(customers_fault("proxy502", 1)).await;
    let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_eq!(answer.status, StatusCode::BAD_GATEWAY);
    assert_eq!(answer.header("content-type"), Some("text/html"));
    assert_eq!(answer.text(), PROXY_502);
    assert!(answer.text().contains("<title>502 Bad Gateway</title>"));
    assert_cors(&answer);
    assert_customers_normal(&server, &token).await;
}

#[tokio::test]
async fn rate429_is_xanos_too_many_requests_with_retry_after() {
    let server = Server::with_faults();
    let token = server.token().await;
    server.fault(customers_fault("rate429", 1)).await;
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "rate429", "count": 1, "retry_after": 7}))
        .await;

    let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_exact(&answer, StatusCode::TOO_MANY_REQUESTS, TOO_MANY_REQUESTS);
    assert_eq!(answer.header("retry-after"), Some("2"));
    assert_cors(&answer);
    let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_exact(&answer, StatusCode::TOO_MANY_REQUESTS, TOO_MANY_REQUESTS);
    assert_eq!(answer.header("retry-after"), Some("7"));
    assert_customers_normal(&server, &token).await;
}

#[tokio::test]
async fn empty200_has_no_body_at_all() {
    let server = Server::with_faults();
    let token = server.token().await;
    server.fault(customers_fault("empty200", 1)).await;
    let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_exact(&answer, StatusCode::OK, "");
    assert_eq!(answer.header("content-length"), Some("0"));
    assert_cors(&answer);
    assert_customers_normal(&server, &token).await;
}

#[tokio::test]
async fn malformed_is_truncated_json() {
    let server = Server::with_faults();
    let token = server.token().await;
    server.fault(customers_fault("malformed", 1)).await;
    let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_exact(&answer, StatusCode::OK, r#"{"items": [{"id": 1,"#);
    assert!(serde_json::from_slice::<Value>(&answer.body).is_err());
    assert_cors(&answer);
    assert_customers_normal(&server, &token).await;
}

#[tokio::test]
async fn no_token_and_non_string_token_are_login_answers_without_a_usable_token() {
    let server = Server::with_faults();
    server.fault(login_fault("no_token")).await;
    server.fault(login_fault("non_string_token")).await;

    let answer = server
        .login_as("demo@tokengrid.dev", "tokengrid-demo")
        .await;
    assert_exact(
        &answer,
        StatusCode::OK,
        r#"{"user":{"id":1,"email":"demo@tokengrid.dev"}}"#,
    );
    assert_cors(&answer);
    let answer = server
        .login_as("demo@tokengrid.dev", "tokengrid-demo")
        .await;
    assert_exact(&answer, StatusCode::OK, r#"{"authToken":12345}"#);
    assert_cors(&answer);
    // Both used up: a real token again.
    let token = server.token().await;
    assert_customers_normal(&server, &token).await;
}

/// The requests to `endpoint` the counters have seen, answered or not (`0` if none).
/// The `oversize` body of `bytes` bytes: one row whose note is `x` repeated.
fn oversize_body(bytes: usize) -> String {
    format!(r#"[{{"id":1,"note":"{}"}}]"#, "x".repeat(bytes - 20))
}

#[tokio::test]
async fn oversize_sends_exactly_bytes_of_json_with_content_length_or_chunked_without() {
    let server = Server::with_faults();
    let token = server.token().await;
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "oversize", "count": 1, "bytes": 200_000}))
        .await;
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "oversize", "count": 1, "bytes": 5000, "chunked": true}))
        .await;
    server
        .fault(json!({"endpoint": "POST /api:auth/auth/login", "fault": "oversize", "count": 1, "bytes": 20}))
        .await;

    let sized = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_eq!(sized.status, StatusCode::OK);
    assert_eq!(sized.header("content-type"), Some("application/json"));
    assert_eq!(sized.header("content-length"), Some("200000"));
    assert_eq!(sized.body.len(), 200_000);
    assert_eq!(sized.text(), oversize_body(200_000));
    assert_eq!(sized.json()[0]["id"], 1, "valid JSON: a table of one row");
    assert_cors(&sized);

    let chunked = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_eq!(chunked.status, StatusCode::OK);
    assert_eq!(chunked.header("content-length"), None, "no length given");
    assert_eq!(chunked.text(), oversize_body(5000));

    let login = server
        .login_as("demo@tokengrid.dev", "tokengrid-demo")
        .await;
    assert_exact(&login, StatusCode::OK, r#"[{"id":1,"note":""}]"#);

    assert_customers_normal(&server, &token).await;
}

#[tokio::test]
async fn oversize_streams_its_body_so_even_4_gib_costs_the_server_nothing() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let server = Server::with_faults();
    let token = server.token().await;
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "oversize", "count": 1, "bytes": 4_294_967_296_u64}))
        .await;
    let request = axum::http::Request::get(CUSTOMERS_PATH)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request builds");
    let response = server
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("answers");
    assert_eq!(
        response
            .headers()
            .get("content-length")
            .map(|v| v.as_bytes()),
        Some(&b"4294967296"[..])
    );
    let mut body = response.into_body();
    let mut read = Vec::new();
    for _ in 0..3 {
        let frame = body.frame().await.expect("a frame").expect("no error");
        read.extend_from_slice(frame.data_ref().expect("data"));
    }
    // The head, then 64 KiB frames of the note: the rest is made only as it is read.
    assert_eq!(read.len(), 17 + 2 * 65_536);
    assert!(read.starts_with(br#"[{"id":1,"note":"xx"#));
    assert_eq!(
        http_body::Body::size_hint(&body).exact(),
        Some(4_294_967_296 - read.len() as u64)
    );
}

#[tokio::test]
async fn oversize_on_the_wire_has_content_length_or_transfer_encoding_chunked() {
    let server = Server::with_faults();
    let token = server.token().await;
    for (chunked, bytes) in [(false, 70_000_u64), (true, 70_000)] {
        server
            .fault(json!({"endpoint": "GET /api:data/customers", "fault": "oversize", "count": 1, "bytes": bytes, "chunked": chunked}))
            .await;
        let wire = raw_get(&server, CUSTOMERS_PATH, &token).await;
        let (head, body) = wire.split_once("\r\n\r\n").expect("a head and a body");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
        if chunked {
            assert!(head.contains("\r\ntransfer-encoding: chunked"), "{head}");
            assert!(!head.contains("content-length"), "{head}");
            assert!(
                body.ends_with("\"}]\r\n0\r\n\r\n"),
                "the last chunk, then the end"
            );
        } else {
            assert!(head.contains("\r\ncontent-length: 70000"), "{head}");
            assert!(!head.contains("transfer-encoding"), "{head}");
            assert_eq!(body, oversize_body(70_000));
        }
    }
}

/// `GET path` with the bearer on a real socket (`dev_api::serve` on a free loopback port):
/// every byte the server sent before it closed the connection.
async fn raw_get(server: &Server, path: &str, token: &str) -> String {
    use std::io::{Read, Write};

    let (address, serving) = server
        .serve_on_loopback(dev_api::DEFAULT_HEADER_READ_TIMEOUT)
        .await;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    let wire = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("sets a timeout");
        stream.write_all(request.as_bytes()).expect("writes");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("reads to the close");
        String::from_utf8(bytes).expect("text")
    })
    .await
    .expect("the client thread finishes");
    serving.abort();
    wire
}

async fn requests_seen(server: &Server, endpoint: &str) -> u64 {
    server.counters().await[endpoint]["requests"]
        .as_u64()
        .unwrap_or(0)
}

/// Sends `GET /api:data/customers` and checks, on tokio's paused clock, that the answer does
/// not come (and the counters have not seen the request) until the clock has moved the full
/// `latency_ms`; answers what finally comes. No wall clock is read: the paused clock only moves
/// when every task waits on a timer, so the order of events is the same on any machine.
async fn customers_after_latency(server: &Server, token: &str, latency_ms: u64) -> support::Answer {
    let endpoint = "GET /api:data/customers";
    let request = server.get(CUSTOMERS_PATH, Some(token));
    tokio::pin!(request);
    let early = tokio::time::timeout(Duration::from_millis(latency_ms - 1), &mut request).await;
    assert!(early.is_err(), "answered before the latency was over");
    assert_eq!(
        requests_seen(server, endpoint).await,
        0,
        "recorded before the latency was over"
    );
    let answer = request.await;
    assert_eq!(requests_seen(server, endpoint).await, 1);
    answer
}

#[tokio::test(start_paused = true)]
async fn latency_delays_then_answers_normally() {
    let server = Server::with_faults();
    let token = server.token().await;
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "latency", "count": 1, "latency_ms": 1_000}))
        .await;
    let answer = customers_after_latency(&server, &token, 1_000).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json().as_array().map(Vec::len), Some(300));
    assert_eq!(server.get("/__dev/faults", None).await.json(), json!([]));
}

#[tokio::test(start_paused = true)]
async fn latency_ms_also_delays_a_replacing_fault() {
    let server = Server::with_faults();
    let token = server.token().await;
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "error500", "count": 1, "latency_ms": 1_000}))
        .await;
    let answer = customers_after_latency(&server, &token, 1_000).await;
    assert_exact(&answer, StatusCode::INTERNAL_SERVER_ERROR, ERROR_500);
}

#[tokio::test]
async fn revoke_fault_revokes_the_requests_token_so_it_answers_401() {
    for format in [TokenFormat::Opaque, TokenFormat::Jwt] {
        let server = Server::new(Config {
            faults: true,
            token_format: format,
            ..Config::default()
        });
        let token = server.token().await;
        let other = server.token().await;
        server.fault(customers_fault("revoke", 1)).await;
        let answer = server.get(CUSTOMERS_PATH, Some(&token)).await;
        assert_exact(&answer, StatusCode::UNAUTHORIZED, UNAUTHORIZED);
        assert_cors(&answer);
        // Revoked for good, on every endpoint; other tokens are untouched.
        assert_exact(
            &server.get(ME_PATH, Some(&token)).await,
            StatusCode::UNAUTHORIZED,
            UNAUTHORIZED,
        );
        assert_customers_normal(&server, &other).await;
        let fresh = server.token().await;
        assert_customers_normal(&server, &fresh).await;
    }
}

#[tokio::test]
async fn revoke503_fails_a_tokens_first_use_with_503_and_every_later_use_with_401() {
    let server = Server::with_faults();
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "revoke503", "probability": 1.0}))
        .await;
    for _ in 0..2 {
        // Each new token: 503 on its first use, 401 on the next, while the fault stays on.
        let token = server.token().await;
        let first = server.get(CUSTOMERS_PATH, Some(&token)).await;
        assert_exact(
            &first,
            StatusCode::SERVICE_UNAVAILABLE,
            r#"{"code":"ERROR_CODE_SERVICE_UNAVAILABLE","message":"The service is temporarily unavailable."}"#,
        );
        assert_cors(&first);
        assert_exact(
            &server.get(CUSTOMERS_PATH, Some(&token)).await,
            StatusCode::UNAUTHORIZED,
            UNAUTHORIZED,
        );
    }
    assert_eq!(
        server.get(CUSTOMERS_PATH, None).await.status,
        StatusCode::UNAUTHORIZED,
        "no token: the usual 401"
    );
}

#[tokio::test]
async fn drop_in_process_is_a_response_whose_body_fails_and_counts_as_0() {
    let server = Server::with_faults();
    server.fault(customers_fault("drop", 1)).await;
    assert!(server.get(CUSTOMERS_PATH, None).await.body_failed);
    assert_eq!(
        server.counters().await,
        json!({"GET /api:data/customers": {"requests": 1, "status": {"0": 1}}})
    );
}

// ---------------------------------------------------------------- triggers

#[tokio::test]
async fn probability_one_always_fires_and_the_fault_is_kept_until_cleared() {
    let server = Server::with_faults();
    let token = server.token().await;
    let id = server
        .fault(
            json!({"endpoint": "GET /api:data/customers", "fault": "error500", "probability": 1.0}),
        )
        .await;
    for _ in 0..5 {
        assert_exact(
            &server.get(CUSTOMERS_PATH, Some(&token)).await,
            StatusCode::INTERNAL_SERVER_ERROR,
            ERROR_500,
        );
    }
    assert_eq!(
        server.get("/__dev/faults", None).await.json(),
        json!([{
            "id": id, "endpoint": "GET /api:data/customers", "fault": "error500",
            "remaining": null, "probability": 1.0, "latency_ms": null, "retry_after": null,
            "fired": 5,
        }])
    );
    let cleared = server
        .request(Method::DELETE, "/__dev/faults", None, Body::empty())
        .await;
    assert_exact(&cleared, StatusCode::OK, "{}");
    assert_eq!(server.get("/__dev/faults", None).await.json(), json!([]));
    assert_customers_normal(&server, &token).await;
}

#[tokio::test]
async fn faults_apply_in_order_only_to_their_endpoint_and_list_what_remains() {
    let server = Server::with_faults();
    let token = server.token().await;
    let first = server.fault(customers_fault("error500", 1)).await;
    let second = server.fault(customers_fault("proxy502", 2)).await;
    let third = server
        .fault(json!({"endpoint": "POST /api:auth/auth/login", "fault": "rate429", "probability": 0.5, "latency_ms": 10}))
        .await;
    assert!(first < second && second < third);
    assert_eq!(
        server.get("/__dev/faults", None).await.json(),
        json!([
            {"id": first, "endpoint": "GET /api:data/customers", "fault": "error500",
             "remaining": 1, "probability": null, "latency_ms": null, "retry_after": null, "fired": 0},
            {"id": second, "endpoint": "GET /api:data/customers", "fault": "proxy502",
             "remaining": 2, "probability": null, "latency_ms": null, "retry_after": null, "fired": 0},
            {"id": third, "endpoint": "POST /api:auth/auth/login", "fault": "rate429",
             "remaining": null, "probability": 0.5, "latency_ms": 10, "retry_after": 2, "fired": 0},
        ])
    );
    // Another endpoint, another method, or a query string do not matter to these faults.
    assert_eq!(
        server.get(ME_PATH, Some(&token)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        server
            .get(&format!("{CUSTOMERS_PATH}?page=1"), Some(&token))
            .await
            .status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(
        server.get("/__dev/faults", None).await.json()[0]["remaining"],
        1
    );
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::BAD_GATEWAY
    );
    assert_customers_normal(&server, &token).await;
    assert_eq!(
        server
            .get("/__dev/faults", None)
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn with_faults_on_every_answer_closes_its_connection_preflights_included() {
    let server = Server::with_faults();
    let preflight = server
        .send(
            axum::http::Request::builder()
                .method(Method::OPTIONS)
                .uri(CUSTOMERS_PATH)
                .header("origin", "https://grid.example")
                .header("access-control-request-method", "GET")
                .header("access-control-request-headers", "authorization")
                .body(Body::empty())
                .expect("request builds"),
        )
        .await;
    assert_eq!(preflight.status, StatusCode::OK);
    assert_eq!(preflight.header("connection"), Some("close"));
    assert_cors(&preflight);
    for answer in [
        server.get(CUSTOMERS_PATH, None).await,
        server.get("/__dev/faults", None).await,
        server.get("/nowhere", None).await,
    ] {
        assert_eq!(answer.header("connection"), Some("close"));
    }
    let plain = Server::new(Config::default());
    assert_eq!(
        plain.get(CUSTOMERS_PATH, None).await.header("connection"),
        None
    );
}

// ---------------------------------------------------------------- control routes

#[tokio::test]
async fn bad_fault_bodies_are_input_errors_naming_the_param() {
    let server = Server::with_faults();
    let cases = [
        (json!("not an object"), "endpoint"),
        (json!({}), "endpoint"),
        (
            json!({"endpoint": 1, "fault": "drop", "count": 1}),
            "endpoint",
        ),
        (
            json!({"endpoint": "/api:data/customers", "fault": "drop", "count": 1}),
            "endpoint",
        ),
        (
            json!({"endpoint": "get /api:data/customers", "fault": "drop", "count": 1}),
            "endpoint",
        ),
        (
            json!({"endpoint": "GET /api:data/customers?page=1", "fault": "drop", "count": 1}),
            "endpoint",
        ),
        (
            json!({"endpoint": "OPTIONS /api:data/customers", "fault": "drop", "count": 1}),
            "endpoint",
        ),
        (
            json!({"endpoint": "POST /__dev/faults", "fault": "drop", "count": 1}),
            "endpoint",
        ),
        (
            json!({"endpoint": "POST /__dev/revoke", "fault": "error500", "count": 1}),
            "endpoint",
        ),
        (
            json!({"endpoint": "GET /__dev/counters", "fault": "error500", "count": 1}),
            "endpoint",
        ),
        (json!({"endpoint": "GET /x"}), "fault"),
        (
            json!({"endpoint": "GET /x", "fault": "explode", "count": 1}),
            "fault",
        ),
        (
            json!({"endpoint": "HEAD /x", "fault": "drop", "count": 1}),
            "fault",
        ),
        (json!({"endpoint": "GET /x", "fault": "drop"}), "count"),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "count": 0}),
            "count",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "count": 1.5}),
            "count",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "count": "1"}),
            "count",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "count": 1, "probability": 0.5}),
            "probability",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "probability": 0}),
            "probability",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "probability": 1.5}),
            "probability",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "probability": "half"}),
            "probability",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "latency", "count": 1}),
            "latency_ms",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "latency", "count": 1, "latency_ms": 30_001}),
            "latency_ms",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "latency", "count": 1, "latency_ms": -1}),
            "latency_ms",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "error500", "count": 1, "retry_after": 3}),
            "retry_after",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "rate429", "count": 1, "retry_after": -3}),
            "retry_after",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "drop", "count": 1, "probabilty": 0.5}),
            "probabilty",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "oversize", "count": 1}),
            "bytes",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "oversize", "count": 1, "bytes": 19}),
            "bytes",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "oversize", "count": 1, "bytes": 4_294_967_297_u64}),
            "bytes",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "oversize", "count": 1, "bytes": "1 MB"}),
            "bytes",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "oversize", "count": 1, "bytes": 100, "chunked": "yes"}),
            "chunked",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "error500", "count": 1, "bytes": 100}),
            "bytes",
        ),
        (
            json!({"endpoint": "GET /x", "fault": "malformed", "count": 1, "chunked": true}),
            "chunked",
        ),
    ];
    for (body, param) in cases {
        let answer = server.post("/__dev/faults", body.to_string()).await;
        assert_input_error(&answer, param);
    }
    assert_input_error(&server.post("/__dev/faults", "{").await, "endpoint");
    assert_eq!(server.get("/__dev/faults", None).await.json(), json!([]));
    // The largest latency is accepted, and the smallest and largest oversize bodies; only an
    // oversize fault lists its body.
    server
        .fault(json!({"endpoint": "GET /x", "fault": "latency", "count": 1, "latency_ms": 30_000}))
        .await;
    server
        .fault(json!({"endpoint": "GET /x", "fault": "oversize", "count": 1, "bytes": 20}))
        .await;
    server
        .fault(json!({"endpoint": "GET /x", "fault": "oversize", "count": 1, "bytes": 4_294_967_296_u64, "chunked": true}))
        .await;
    let listed = server.get("/__dev/faults", None).await.json();
    let bodies: Vec<(Value, Value)> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|fault| (fault["bytes"].clone(), fault["chunked"].clone()))
        .collect();
    assert_eq!(
        bodies,
        [
            (Value::Null, Value::Null),
            (json!(20), json!(false)),
            (json!(4_294_967_296_u64), json!(true)),
        ]
    );
    assert!(
        listed[0].get("bytes").is_none(),
        "absent, not null: {listed}"
    );
}

#[tokio::test]
async fn faults_and_revoke_are_404_without_the_flag() {
    let server = Server::new(Config {
        counters: true,
        ..Config::default()
    });
    for method in [Method::GET, Method::POST, Method::DELETE] {
        let answer = server
            .request(
                method,
                "/__dev/faults",
                None,
                customers_fault("error500", 1).to_string(),
            )
            .await;
        assert_exact(&answer, StatusCode::NOT_FOUND, NOT_FOUND);
    }
    let token = server.token().await;
    assert_exact(
        &server.post("/__dev/revoke", "").await,
        StatusCode::NOT_FOUND,
        NOT_FOUND,
    );
    assert_customers_normal(&server, &token).await;
}

async fn assert_revoke_refuses_old_tokens(format: TokenFormat, revoked: Value) {
    let server = Server::new(Config {
        faults: true,
        token_format: format,
        ..Config::default()
    });
    let old = server.token().await;
    let older = server.token().await;
    assert_customers_normal(&server, &old).await;

    // Same instant as the logins: the manual clock has not moved.
    let answer = server.post("/__dev/revoke", "").await;
    assert_exact(
        &answer,
        StatusCode::OK,
        &json!({ "revoked": revoked }).to_string(),
    );
    for token in [&old, &older] {
        assert_exact(
            &server.get(CUSTOMERS_PATH, Some(token)).await,
            StatusCode::UNAUTHORIZED,
            UNAUTHORIZED,
        );
    }
    // A token issued afterwards works, in the same millisecond and later.
    let fresh = server.token().await;
    assert_customers_normal(&server, &fresh).await;
    server.clock.advance(Duration::from_millis(1500));
    let later = server.token().await;
    assert_customers_normal(&server, &later).await;
    assert_customers_normal(&server, &fresh).await;
    assert_exact(
        &server.get(ME_PATH, Some(&old)).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );

    // A second revoke catches the tokens issued since the first.
    server.clock.advance(Duration::from_millis(200));
    server.post("/__dev/revoke", "").await;
    for token in [&fresh, &later] {
        assert_exact(
            &server.get(CUSTOMERS_PATH, Some(token)).await,
            StatusCode::UNAUTHORIZED,
            UNAUTHORIZED,
        );
    }
    let newest = server.token().await;
    assert_customers_normal(&server, &newest).await;
}

#[tokio::test]
async fn revoke_makes_every_opaque_token_401_and_counts_them() {
    assert_revoke_refuses_old_tokens(TokenFormat::Opaque, json!(2)).await;
}

#[tokio::test]
async fn revoke_makes_every_earlier_jwt_401() {
    assert_revoke_refuses_old_tokens(TokenFormat::Jwt, json!(true)).await;
}

#[tokio::test]
async fn jwts_from_an_earlier_process_are_revoked_too() {
    let config = Config {
        faults: true,
        token_format: TokenFormat::Jwt,
        jwt_secret: Some("shared-test-secret".to_owned()),
        ..Config::default()
    };
    let before = Server::new(config.clone());
    let token = before.token().await;
    let after = Server::new(config);
    after.clock.advance(Duration::from_secs(3));
    assert_customers_normal(&after, &token).await;
    after.post("/__dev/revoke", "").await;
    assert_exact(
        &after.get(CUSTOMERS_PATH, Some(&token)).await,
        StatusCode::UNAUTHORIZED,
        UNAUTHORIZED,
    );
}

// ---------------------------------------------------------------- counters

#[tokio::test]
async fn counters_count_faulted_requests_with_the_status_sent() {
    let server = Server::with_faults();
    let token = server.token().await;
    server.fault(customers_fault("error500", 1)).await;
    server.fault(customers_fault("rate429", 1)).await;
    server.fault(customers_fault("drop", 1)).await;
    server.fault(customers_fault("revoke", 1)).await;
    server.fault(login_fault("no_token")).await;
    for _ in 0..4 {
        server.get(CUSTOMERS_PATH, Some(&token)).await;
    }
    // The no_token login, then a real one.
    server
        .login_as("demo@tokengrid.dev", "tokengrid-demo")
        .await;
    let fresh = server.token().await;
    server.get(CUSTOMERS_PATH, Some(&fresh)).await;
    server.get("/__dev/faults", None).await;
    server
        .request(Method::DELETE, "/__dev/faults", None, Body::empty())
        .await;
    server.post("/__dev/revoke", "").await;

    // The faults and revoke routes themselves are not counted, like the counter routes.
    assert_eq!(
        server.counters().await,
        json!({
            "GET /api:data/customers": {"requests": 5, "status": {"0": 1, "200": 1, "401": 1, "429": 1, "500": 1}},
            "POST /api:auth/auth/login": {"requests": 3, "status": {"200": 3}},
        })
    );
}
