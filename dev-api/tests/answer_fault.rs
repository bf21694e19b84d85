//! The `answer` fault: any status, content type and body from the fault's params, so a client
//! can be shown every backend's error shape by one dev API.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

mod support;

use axum::http::StatusCode;
use dev_api::{CUSTOMERS_PATH, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD};
use serde_json::{Value, json};
use support::{Server, assert_input_error};

const FASTAPI_422: &str = r#"{"detail":[{"type":"missing","loc":["body","username"],"msg":"Field required","input":null}]}"#;

fn answer(endpoint: &str, status: u64, content_type: Option<&str>, body: &str) -> Value {
    let mut spec = json!({"endpoint": endpoint, "fault": "answer", "count": 1,
        "status": status, "body": body});
    if let Some(content_type) = content_type {
        spec["content_type"] = json!(content_type);
    }
    spec
}

#[tokio::test]
async fn answer_sends_the_given_status_content_type_and_body_then_normal_answers() {
    let server = Server::with_faults();
    let token = server.token().await;
    let problem = r#"{"type":"about:blank","title":"Forbidden","status":403,"detail":"No access"}"#;
    server
        .fault(answer(
            "GET /api:data/customers",
            403,
            Some("application/problem+json"),
            problem,
        ))
        .await;
    let faulted = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_eq!(faulted.status, StatusCode::FORBIDDEN);
    assert_eq!(faulted.text(), problem);
    assert_eq!(
        faulted.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(
        faulted.header("access-control-allow-origin"),
        Some("https://grid.example"),
        "CORS headers as on every answer"
    );
    let normal = server.get(CUSTOMERS_PATH, Some(&token)).await;
    assert_eq!(normal.status, StatusCode::OK, "the count is used up");
}

#[tokio::test]
async fn answer_on_the_login_replaces_it_json_by_default() {
    let server = Server::with_faults();
    server
        .fault(answer("POST /api:auth/auth/login", 422, None, FASTAPI_422))
        .await;
    let faulted = server
        .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
        .await;
    assert_eq!(faulted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(faulted.text(), FASTAPI_422);
    assert_eq!(faulted.header("content-type"), Some("application/json"));
    // Bodies are sent byte for byte, markup and all, and may be empty.
    for (content_type, body) in [
        ("text/html; charset=utf-8", "<h1>Nope</h1>\n"),
        ("text/plain", ""),
    ] {
        server
            .fault(answer(
                "POST /api:auth/auth/login",
                500,
                Some(content_type),
                body,
            ))
            .await;
        let faulted = server
            .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
            .await;
        assert_eq!(faulted.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(faulted.text(), body);
        assert_eq!(faulted.header("content-type"), Some(content_type));
    }
}

#[tokio::test]
async fn the_list_shows_an_answers_status_content_type_and_body() {
    let server = Server::with_faults();
    server
        .fault(answer(
            "GET /api:data/customers",
            401,
            None,
            r#"{"detail":"x"}"#,
        ))
        .await;
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "error500", "count": 1}))
        .await;
    let list = server.get("/__dev/faults", None).await.json();
    assert_eq!(
        list[0]["answer"],
        json!({"status": 401, "content_type": "application/json", "body": r#"{"detail":"x"}"#})
    );
    assert_eq!(list[0]["fault"], "answer");
    assert!(
        list[1].get("answer").is_none(),
        "other kinds list as before: {}",
        list[1]
    );
}

#[tokio::test]
async fn bad_answer_params_are_input_errors_naming_the_param() {
    let server = Server::with_faults();
    let endpoint = "GET /api:data/customers";
    let base = |extra: Value| {
        let mut spec = json!({"endpoint": endpoint, "fault": "answer", "count": 1});
        for (key, value) in extra.as_object().expect("an object") {
            spec[key] = value.clone();
        }
        spec
    };
    for (spec, param) in [
        (base(json!({"body": ""})), "status"),
        (base(json!({"status": 199, "body": ""})), "status"),
        (base(json!({"status": 600, "body": ""})), "status"),
        (base(json!({"status": "422", "body": ""})), "status"),
        (base(json!({"status": 422.5, "body": ""})), "status"),
        (base(json!({"status": 422})), "body"),
        (
            base(json!({"status": 422, "body": {"detail": "x"}})),
            "body",
        ),
        (
            base(json!({"status": 422, "body": "", "content_type": ""})),
            "content_type",
        ),
        (
            base(json!({"status": 422, "body": "", "content_type": "text/plain\r\nX-Evil: 1"})),
            "content_type",
        ),
        (
            base(json!({"status": 422, "body": "", "content_type": 5})),
            "content_type",
        ),
        (
            json!({"endpoint": endpoint, "fault": "error500", "count": 1, "status": 500}),
            "status",
        ),
        (
            json!({"endpoint": endpoint, "fault": "proxy502", "count": 1, "body": "x"}),
            "body",
        ),
        (
            json!({"endpoint": endpoint, "fault": "empty200", "count": 1, "content_type": "text/plain"}),
            "content_type",
        ),
    ] {
        let answer = server.post("/__dev/faults", spec.to_string()).await;
        assert_input_error(&answer, param);
    }
    assert_eq!(
        server.get("/__dev/faults", None).await.json(),
        json!([]),
        "nothing was added"
    );
}
