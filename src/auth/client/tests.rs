//! The client against a scripted transport and an in-memory store.

use super::*;
use crate::auth::store::MemoryStore;
use crate::auth::transport::{Method, TransportError};
use futures::executor::block_on;
use serde_json::json;
use std::cell::Cell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One scripted answer: the response, and how many polls it stays pending
/// (so concurrent requests interleave deterministically).
struct Reply {
    result: Result<HttpResponse, TransportError>,
    delay: u32,
}

/// Answers requests with scripted replies in send order and records them.
/// A request beyond the script panics, which fails the test: that is how
/// "no further request" is asserted.
#[derive(Default)]
struct Script {
    replies: RefCell<VecDeque<Reply>>,
    sent: RefCell<Vec<HttpRequest>>,
}

impl Script {
    fn reply(self, status: u16, body: &str) -> Self {
        self.reply_after(0, status, body)
    }
    fn reply_after(self, delay: u32, status: u16, body: &str) -> Self {
        let response = HttpResponse {
            status,
            headers: vec![],
            body: body.into(),
        };
        self.replies.borrow_mut().push_back(Reply {
            result: Ok(response),
            delay,
        });
        self
    }
    fn reply_with(self, status: u16, content_type: &str, body: &str) -> Self {
        let headers = vec![("Content-Type".into(), content_type.into())];
        let response = HttpResponse {
            status,
            headers,
            body: body.into(),
        };
        self.replies.borrow_mut().push_back(Reply {
            result: Ok(response),
            delay: 0,
        });
        self
    }
    fn fail(self, detail: &str) -> Self {
        let result = Err(TransportError::Network(detail.into()));
        self.replies
            .borrow_mut()
            .push_back(Reply { result, delay: 0 });
        self
    }
    fn sent(&self) -> Vec<HttpRequest> {
        self.sent.borrow().clone()
    }
    /// `METHOD url bearer` for each request sent, for compact assertions.
    fn log(&self) -> Vec<String> {
        self.sent
            .borrow()
            .iter()
            .map(|r| {
                let auth = r.header("Authorization").unwrap_or("-");
                format!("{} {} {auth}", r.method, r.url)
            })
            .collect()
    }
}

struct Delayed {
    remaining: Cell<u32>,
    result: Option<Result<HttpResponse, TransportError>>,
}

impl Future for Delayed {
    type Output = Result<HttpResponse, TransportError>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.remaining.get() == 0 {
            return Poll::Ready(self.result.take().expect("polled after completion"));
        }
        self.remaining.set(self.remaining.get() - 1);
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl Transport for Script {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let reply = self.replies.borrow_mut().pop_front();
        let Some(reply) = reply else {
            panic!("unscripted request: {} {}", request.method, request.url);
        };
        self.sent.borrow_mut().push(request);
        Delayed {
            remaining: Cell::new(reply.delay),
            result: Some(reply.result),
        }
        .await
    }
}

const LOGIN: &str = "/api:auth/auth/login";
const DATA: &str = "/api:data/customers";
const ROWS: &str = r#"[{"id":1,"name":"Ada"}]"#;
const UNAUTHORIZED: &str =
    r#"{"code":"ERROR_CODE_UNAUTHORIZED","message":"Unauthorized - Authentication Required"}"#;
const DENIED: &str = r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"Invalid Credentials."}"#;

fn settings(token_path: &str) -> AuthSettings {
    AuthSettings {
        login_url: LOGIN.into(),
        token_path: TokenPath::parse(token_path).unwrap(),
        identity_field: "email".into(),
        password_field: "password".into(),
        unauthorized_statuses: vec![401],
    }
}

fn client(script: Script, store: MemoryStore) -> ApiClient<Script, MemoryStore> {
    ApiClient::new(settings("authToken"), script, store)
}

fn stored(token: &str) -> MemoryStore {
    MemoryStore::with_raw(token)
}

fn creds() -> Credentials {
    Credentials::new("demo@example.com", "pw 123")
}

/// A client that logged in through the form (token `t1`); the login
/// request is taken out of the log, the rest of `script` follows.
fn logged_in(script: Script) -> ApiClient<Script, MemoryStore> {
    let login = HttpResponse {
        status: 200,
        headers: vec![],
        body: r#"{"authToken":"t1"}"#.into(),
    };
    script.replies.borrow_mut().push_front(Reply {
        result: Ok(login),
        delay: 0,
    });
    let client = client(script, MemoryStore::default());
    block_on(client.log_in(creds())).expect("form login");
    client.transport.sent.borrow_mut().clear();
    client
}

fn rows(value: Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

#[test]
fn a_request_carries_the_stored_token_as_bearer() {
    let c = client(Script::default().reply(200, ROWS), stored("t1"));
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(c.transport.log(), ["GET /api:data/customers Bearer t1"]);
}

#[test]
fn no_token_asks_for_login_without_any_request() {
    let c = client(Script::default(), MemoryStore::default());
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(NOT_SIGNED_IN.into()))
    );
    assert!(c.transport.sent().is_empty());
}

#[test]
fn garbage_in_storage_counts_as_no_token() {
    for raw in ["", "null", r#"{"authToken":"x"}"#, "not a token"] {
        let c = client(Script::default(), stored(raw));
        assert!(
            block_on(c.get_json(DATA)).unwrap_err().needs_login(),
            "{raw:?}"
        );
        assert!(c.transport.sent().is_empty(), "{raw:?}");
    }
}

#[test]
fn form_login_sends_configured_fields_and_stores_the_token() {
    let c = client(
        Script::default().reply(200, r#"{"authToken":"t1"}"#),
        MemoryStore::default(),
    );
    block_on(c.log_in(creds())).unwrap();
    let sent = c.transport.sent();
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(sent[0].url, LOGIN);
    assert_eq!(
        sent[0].header("Authorization"),
        None,
        "login carries no bearer"
    );
    let body: Value = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"email": "demo@example.com", "password": "pw 123"})
    );
    assert_eq!(c.store().raw().as_deref(), Some("t1"));
    assert!(c.has_credentials());
}

#[test]
fn expired_token_is_renewed_once_and_the_request_replayed_with_the_new_token() {
    let c = logged_in(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#)
            .reply(200, ROWS),
    );
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(
        c.transport.log(),
        [
            "GET /api:data/customers Bearer t1",
            "POST /api:auth/auth/login -",
            "GET /api:data/customers Bearer t2",
        ]
    );
    assert_eq!(c.store().raw().as_deref(), Some("t2"));
}

#[test]
fn a_401_on_the_replay_ends_at_the_login_form_without_a_third_request() {
    let c = logged_in(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#)
            .reply(401, UNAUTHORIZED),
    );
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert!(err.needs_login(), "{err:?}");
    assert!(
        err.to_string()
            .contains("Unauthorized - Authentication Required"),
        "{err}"
    );
    assert_eq!(c.transport.sent().len(), 3);
    assert_eq!(c.store().raw(), None, "the refused token is not kept");
    assert!(!c.has_credentials(), "no silent login is tried again");
    // The next load goes straight to the form: no request at all.
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
    assert_eq!(c.transport.sent().len(), 3);
}

#[test]
fn silent_login_refused_shows_the_servers_message_on_the_form() {
    for (status, body, message) in [
        (403, DENIED, "Invalid Credentials."),
        (
            400,
            r#""Wrong email or password""#,
            "Wrong email or password",
        ),
        (401, r#"{"error":"bad password"}"#, "bad password"),
    ] {
        let c = logged_in(
            Script::default()
                .reply(401, UNAUTHORIZED)
                .reply(status, body),
        );
        assert_eq!(
            block_on(c.get_json(DATA)),
            Err(ApiError::NeedsLogin(message.into()))
        );
        assert_eq!(
            c.transport.sent().len(),
            2,
            "no replay after a refused login"
        );
        assert!(!c.has_credentials());
        assert_eq!(c.store().raw(), None);
    }
}

#[test]
fn token_rejected_with_no_credentials_in_memory_goes_to_the_form() {
    let c = client(Script::default().reply(401, UNAUTHORIZED), stored("old"));
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert_eq!(c.transport.sent().len(), 1);
    assert_eq!(c.store().raw(), None);
}

#[test]
fn form_login_refusals_carry_the_servers_message() {
    for (status, body, message) in [
        (403, DENIED, "Invalid Credentials."),
        (
            400,
            r#"{"code":"ERROR_CODE_INPUT_ERROR","message":"Invalid email.","param":"email"}"#,
            "Invalid email.",
        ),
        (400, r#""Cannot find user""#, "Cannot find user"),
    ] {
        let c = client(
            Script::default().reply(status, body),
            MemoryStore::default(),
        );
        let err = block_on(c.log_in(creds())).unwrap_err();
        assert_eq!(
            err,
            ApiError::LoginRejected {
                status,
                message: message.into()
            }
        );
        assert!(err.needs_login());
        assert!(!c.has_credentials(), "refused credentials are not kept");
        assert_eq!(c.store().raw(), None);
    }
}

#[test]
fn a_missing_login_endpoint_names_the_setting() {
    let c = client(
        Script::default().reply(
            404,
            r#"{"code":"ERROR_CODE_NOT_FOUND","message":"Not Found"}"#,
        ),
        MemoryStore::default(),
    );
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert!(!err.needs_login());
    assert!(err.to_string().contains("`loginUrl`"), "{err}");
}

#[test]
fn token_paths_cover_other_backends() {
    for (path, body) in [
        ("accessToken", r#"{"accessToken":"tok","user":{"id":1}}"#),
        ("data.token", r#"{"data":{"token":"tok"}}"#),
        ("authToken", r#"{"authToken":"tok"}"#),
    ] {
        let c = ApiClient::new(
            settings(path),
            Script::default().reply(200, body),
            MemoryStore::default(),
        );
        block_on(c.log_in(creds())).unwrap();
        assert_eq!(c.store().raw().as_deref(), Some("tok"), "{path}");
    }
}

#[test]
fn a_login_answer_without_a_usable_token_names_the_setting() {
    let c = client(
        Script::default().reply(200, r#"{"accessToken":"tok"}"#),
        MemoryStore::default(),
    );
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert_eq!(
        err,
        ApiError::TokenMissing {
            path: "authToken".into(),
            fields: "`accessToken`".into()
        }
    );
    assert!(err.to_string().contains("`tokenPath`"));

    for (body, found) in [
        (r#"{"authToken":12}"#, "a number"),
        (r#"{"authToken":null}"#, "null"),
        (
            r#"{"authToken":"has spaces in it"}"#,
            "a string that is not a bearer token",
        ),
    ] {
        let c = client(Script::default().reply(200, body), MemoryStore::default());
        let err = block_on(c.log_in(creds())).unwrap_err();
        assert_eq!(
            err,
            ApiError::TokenInvalid {
                path: "authToken".into(),
                found: found.into()
            },
            "{body}"
        );
        assert_eq!(c.store().raw(), None);
    }
}

#[test]
fn error_bodies_of_every_shape_become_readable_messages() {
    for (status, content_type, body, want) in [
        (
            500,
            "application/json",
            r#"{"code":"ERROR_FATAL","message":"Database is down"}"#,
            "The server answered HTTP 500 (Internal Server Error): Database is down",
        ),
        (
            404,
            "application/json",
            r#""No such table""#,
            "The server answered HTTP 404 (Not Found): No such table",
        ),
        (
            502,
            "text/html",
            "<html><title>502 Bad Gateway</title></html>",
            "The server answered HTTP 502 (Bad Gateway) with an HTML page: “502 Bad Gateway”.",
        ),
        (
            503,
            "text/plain",
            "",
            "The server answered HTTP 503 (Service Unavailable) with an empty body.",
        ),
    ] {
        let c = client(
            Script::default().reply_with(status, content_type, body),
            stored("t1"),
        );
        assert_eq!(
            block_on(c.get_json(DATA)),
            Err(ApiError::Http {
                status,
                message: want.into()
            })
        );
        assert_eq!(
            c.store().raw().as_deref(),
            Some("t1"),
            "a server error keeps the token"
        );
    }
}

#[test]
fn unreadable_success_bodies_are_reported() {
    for body in ["", "{not json"] {
        let c = client(Script::default().reply(200, body), stored("t1"));
        assert!(
            matches!(
                block_on(c.get_json(DATA)),
                Err(ApiError::InvalidResponse { .. })
            ),
            "{body:?}"
        );
    }
}

#[test]
fn network_failures_name_the_url() {
    let c = client(Script::default().fail("Failed to fetch"), stored("t1"));
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        err,
        ApiError::Network {
            url: DATA.into(),
            detail: "Failed to fetch".into()
        }
    );
    assert!(!err.needs_login());
}

#[test]
fn a_network_failure_during_silent_login_keeps_the_credentials_for_a_retry() {
    let c = logged_in(Script::default().reply(401, UNAUTHORIZED).fail("offline"));
    assert!(matches!(
        block_on(c.get_json(DATA)),
        Err(ApiError::Network { .. })
    ));
    assert!(c.has_credentials());
}

#[test]
fn concurrent_401s_cause_one_login_and_all_replay_with_its_token() {
    let c = logged_in(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A's first try
            .reply_after(1, 401, UNAUTHORIZED) // B's first try
            .reply_after(2, 200, r#"{"authToken":"t2"}"#) // A's login
            .reply(200, ROWS) // A's replay
            .reply(200, ROWS), // B's replay
    );
    let (a, b) = block_on(futures::future::join(c.get_json(DATA), c.get_json(DATA)));
    assert_eq!((rows(a.unwrap()), rows(b.unwrap())), (1, 1));
    let log = c.transport.log();
    assert_eq!(
        log.iter().filter(|l| l.starts_with("POST")).count(),
        1,
        "{log:#?}"
    );
    assert_eq!(
        &log[3..],
        [
            "GET /api:data/customers Bearer t2",
            "GET /api:data/customers Bearer t2"
        ]
    );
}

#[test]
fn a_401_that_arrives_after_the_renewal_finished_replays_without_a_second_login() {
    let c = logged_in(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A
            .reply_after(20, 401, UNAUTHORIZED) // B: its 401 lands late
            .reply(200, r#"{"authToken":"t2"}"#) // A's login
            .reply(200, ROWS) // A's replay
            .reply(200, ROWS), // B's replay
    );
    let (a, b) = block_on(futures::future::join(c.get_json(DATA), c.get_json(DATA)));
    assert!(a.is_ok() && b.is_ok());
    let log = c.transport.log();
    assert_eq!(
        log.iter().filter(|l| l.starts_with("POST")).count(),
        1,
        "{log:#?}"
    );
    assert_eq!(log.last().unwrap(), "GET /api:data/customers Bearer t2");
}

#[test]
fn logout_forgets_token_and_credentials() {
    let c = logged_in(Script::default());
    c.log_out();
    assert_eq!(c.store().raw(), None);
    assert!(!c.has_credentials());
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
}

#[test]
fn the_unauthorized_statuses_are_configurable() {
    let mut s = settings("authToken");
    s.unauthorized_statuses = vec![401, 419];
    let script = Script::default()
        .reply(200, r#"{"authToken":"t1"}"#)
        .reply(419, "")
        .reply(200, r#"{"authToken":"t2"}"#)
        .reply(200, ROWS);
    let c = ApiClient::new(s, script, MemoryStore::default());
    block_on(c.log_in(creds())).unwrap();
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(c.transport.sent().len(), 4);
}
