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
    fn time_out_after(self, delay: u32) -> Self {
        let result = Err(TransportError::Timeout(5_000));
        self.replies.borrow_mut().push_back(Reply { result, delay });
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
        api_origins: ApiOrigins::new([LOGIN, DATA], None),
        lifetime_hint_ms: None,
        request_timeout_ms: 15_000,
        login_timeout_ms: 10_000,
        max_relogins_per_minute: 3,
        lock_name: "tokengrid:authToken".into(),
    }
}

/// A settable wall clock and a lock that can be shared between clients
/// (two clients on one store and one lock are two tabs).
#[derive(Clone, Default)]
struct TestEnv {
    now: Rc<Cell<f64>>,
    lock: Option<Rc<Mutex<()>>>,
    locked_sections: Rc<Cell<u32>>,
    sleeps: Rc<Cell<u32>>,
}

impl TestEnv {
    fn with_shared_lock() -> Self {
        Self {
            lock: Some(Rc::new(Mutex::new(()))),
            ..Self::default()
        }
    }
    fn at(&self, ms: f64) {
        self.now.set(ms);
    }
}

impl Environment for TestEnv {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    async fn sleep(&self, ms: u32) {
        self.now.set(self.now.get() + f64::from(ms));
        self.sleeps.set(self.sleeps.get() + 1);
    }
    async fn exclusive<F: std::future::Future>(
        &self,
        _name: &str,
        work: impl FnOnce(bool) -> F,
    ) -> F::Output {
        match &self.lock {
            Some(lock) => {
                let contended = lock.try_lock().is_none();
                let _held = lock.lock().await;
                self.locked_sections.set(self.locked_sections.get() + 1);
                work(contended).await
            }
            None => work(false).await,
        }
    }
}

type TestClient = ApiClient<Script, MemoryStore, TestEnv>;

fn client(script: Script, store: MemoryStore) -> TestClient {
    ApiClient::new(settings("authToken"), script, store, TestEnv::default())
}

fn stored(token: &str) -> MemoryStore {
    MemoryStore::with_raw(token)
}

fn creds() -> Credentials {
    Credentials::new("demo@example.com", "pw 123")
}

/// A client that logged in through the form (token `t1`); the login
/// request is taken out of the log, the rest of `script` follows.
fn logged_in(script: Script) -> TestClient {
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
            TestEnv::default(),
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
    let c = ApiClient::new(s, script, MemoryStore::default(), TestEnv::default());
    block_on(c.log_in(creds())).unwrap();
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(c.transport.sent().len(), 4);
}

// ---------------------------------------------------------------- issue 3: beyond the best clients

/// A JWS with the given `iat`/`exp` (seconds); the client never verifies it.
fn jws(iat: u64, exp: u64) -> String {
    let payload = format!(r#"{{"sub":"1","iat":{iat},"exp":{exp}}}"#);
    format!("e30.{}.sig", base64url(payload.as_bytes()))
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn login_body(token: &str) -> String {
    format!(r#"{{"authToken":"{token}"}}"#)
}

fn client_with(
    settings: AuthSettings,
    script: Script,
    store: MemoryStore,
    env: TestEnv,
) -> TestClient {
    ApiClient::new(settings, script, store, env)
}

fn count<S: TokenStore>(c: &ApiClient<Script, S, TestEnv>, prefix: &str) -> usize {
    c.transport
        .log()
        .iter()
        .filter(|l| l.starts_with(prefix))
        .count()
}

#[test]
fn an_always_401_server_costs_at_most_three_requests_per_action_and_then_the_form() {
    let c = logged_in(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#)
            .reply(401, UNAUTHORIZED),
    );
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert!(err.needs_login());
    assert_eq!(c.transport.sent().len(), 3);
    // The next action sends nothing: the form is the way forward.
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
    assert_eq!(c.transport.sent().len(), 3);
}

#[test]
fn the_circuit_breaker_caps_silent_logins_per_minute() {
    // Every token works once and is then refused (a server that expires
    // tokens immediately): each action costs 401 → login → replay.
    let mut script = Script::default();
    for i in 0..3 {
        script = script
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body(&format!("n{i}")))
            .reply(200, ROWS);
    }
    let c = logged_in(script.reply(401, UNAUTHORIZED));
    let env = c.env.clone();
    // All within a few milliseconds (no lifetime is learned from tokens
    // younger than a second).
    for _ in 0..3 {
        assert!(block_on(c.get_json(DATA)).is_ok());
    }
    env.at(10.0);
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(err, ApiError::TooManyRenewals { count: 3 });
    assert!(err.needs_login(), "the breaker ends at the form");
    assert_eq!(count(&c, "POST"), 3, "no fourth login");
    assert_eq!(
        c.transport.sent().len(),
        10,
        "the fourth action cost one request"
    );
}

#[test]
fn the_breaker_counts_a_rolling_minute() {
    let mut script = Script::default();
    for i in 0..4 {
        script = script
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body(&format!("n{i}")))
            .reply(200, ROWS);
    }
    let c = logged_in(script);
    for at in [0.0, 0.0, 0.0, 61_000.0] {
        c.env.at(at);
        assert!(block_on(c.get_json(DATA)).is_ok(), "at {at}");
    }
    assert_eq!(count(&c, "POST"), 4);
}

#[test]
fn a_jws_is_renewed_ahead_of_expiry_so_the_load_after_expiry_costs_one_request() {
    // Server clock and client clock differ wildly; only lifetimes matter.
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(1_700_000_000, 1_700_000_060)))
        .reply(200, &login_body(&jws(1_700_000_048, 1_700_000_108)))
        .reply(200, ROWS);
    let c = client_with(
        settings("authToken"),
        script,
        MemoryStore::default(),
        env.clone(),
    );
    env.at(1_000.0);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        c.next_renewal(),
        Some(1_000.0 + 48_000.0),
        "lead = 20 % of 60 s"
    );
    match c.session() {
        SessionState::SignedIn {
            expires_at,
            renews_at,
        } => {
            assert_eq!((expires_at, renews_at), (Some(61_000.0), Some(49_000.0)));
        }
        other => panic!("{other:?}"),
    }
    env.at(30_000.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(false), "not yet due");
    env.at(49_500.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    // Just after the first token's expiry: one request, no 401, no login.
    env.at(61_500.0);
    c.transport.sent.borrow_mut().clear();
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(
        c.transport.log(),
        [format!(
            "GET {DATA} Bearer {}",
            jws(1_700_000_048, 1_700_000_108)
        )]
    );
}

#[test]
fn sixty_second_tokens_never_renew_in_a_storm() {
    let env = TestEnv::default();
    let mut script = Script::default().reply(200, &login_body(&jws(0, 60)));
    for i in 1..=20u64 {
        script = script.reply(200, &login_body(&jws(i * 48, i * 48 + 60)));
    }
    let c = client_with(
        settings("authToken"),
        script,
        MemoryStore::default(),
        env.clone(),
    );
    block_on(c.log_in(creds())).unwrap();
    // Ten minutes of a timer that checks every second.
    for second in 1..=600 {
        env.at(f64::from(second) * 1000.0);
        block_on(c.renew_if_due()).unwrap();
    }
    let renewals = count(&c, "POST") - 1;
    assert_eq!(renewals, 12, "one renewal per 48 s over 600 s");
}

#[test]
fn a_request_due_for_renewal_renews_first_then_sends_once() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .reply(200, &login_body(&jws(50, 110)))
        .reply(200, ROWS);
    let c = client_with(
        settings("authToken"),
        script,
        MemoryStore::default(),
        env.clone(),
    );
    block_on(c.log_in(creds())).unwrap();
    env.at(50_000.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    let log = c.transport.log();
    assert_eq!(
        log[1..],
        [
            format!("POST {LOGIN} -"),
            format!("GET {DATA} Bearer {}", jws(50, 110))
        ]
    );
}

#[test]
fn opaque_tokens_renew_ahead_with_the_lifetime_hint() {
    let env = TestEnv::default();
    let mut s = settings("authToken");
    s.lifetime_hint_ms = Some(60_000.0);
    let script = Script::default()
        .reply(200, &login_body("opaque1"))
        .reply(200, &login_body("opaque2"));
    let c = client_with(s, script, MemoryStore::default(), env.clone());
    env.at(5_000.0);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(c.next_renewal(), Some(53_000.0));
    env.at(53_000.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    assert_eq!(c.store().raw().as_deref(), Some("opaque2"));
}

#[test]
fn an_opaque_tokens_lifetime_is_learned_from_its_first_401() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body("opaque1"))
        .reply(401, UNAUTHORIZED)
        .reply(200, &login_body("opaque2"))
        .reply(200, ROWS);
    let c = client_with(
        settings("authToken"),
        script,
        MemoryStore::default(),
        env.clone(),
    );
    env.at(0.0);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        c.next_renewal(),
        None,
        "an opaque token's lifetime is unknown at first"
    );
    env.at(30_000.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    // Learned 30 s: the new token (received at 30 s) renews 6 s early.
    assert_eq!(c.next_renewal(), Some(30_000.0 + 24_000.0));
}

#[test]
fn a_known_expired_jws_without_credentials_goes_to_the_form_without_a_request() {
    let env = TestEnv::default();
    let store = MemoryStore::default();
    store
        .save(&StoredToken::new(jws(0, 60), Some(0.0)))
        .unwrap();
    let c = client_with(settings("authToken"), Script::default(), store, env.clone());
    env.at(30_000.0);
    assert!(matches!(
        c.session(),
        SessionState::SignedIn {
            renews_at: None,
            ..
        }
    ));
    env.at(61_000.0);
    assert_eq!(c.session(), SessionState::Expired);
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert!(c.transport.sent().is_empty());
}

#[test]
fn the_session_state_machine() {
    let c = client(
        Script::default()
            .reply(200, &login_body("t1"))
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t2"))
            .reply(200, ROWS),
        MemoryStore::default(),
    );
    assert_eq!(c.session(), SessionState::SignedOut);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        c.session(),
        SessionState::SignedIn {
            expires_at: None,
            renews_at: None
        }
    );
    let c = Rc::new(c);
    let seen = Rc::new(RefCell::new(Vec::new()));
    {
        let (client, seen) = (Rc::downgrade(&c), seen.clone());
        c.set_observer(move |event| {
            if let (ClientEvent::Request { url, .. }, Some(client)) = (event, client.upgrade())
                && url == LOGIN
            {
                seen.borrow_mut().push(client.session());
            }
        });
    }
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(
        *seen.borrow(),
        [SessionState::Renewing],
        "renewing while the silent login runs"
    );
    c.log_out();
    assert_eq!(c.session(), SessionState::SignedOut);
}

#[test]
fn events_tell_the_story_of_a_401() {
    let c = logged_in(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t2"))
            .reply(200, ROWS),
    );
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    c.set_observer(move |e| sink.borrow_mut().push(e.clone()));
    assert!(block_on(c.get_json(DATA)).is_ok());
    let kinds: Vec<String> = events
        .borrow()
        .iter()
        .map(|e| match e {
            ClientEvent::Request {
                method,
                url,
                replay,
                bearer,
                ..
            } => format!("request {method} {url} replay={replay} bearer={bearer}"),
            ClientEvent::Response { status, .. } => format!("response {status}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            format!("request GET {DATA} replay=false bearer=true"),
            "response 401".into(),
            "Renewing(Rejected)".into(),
            format!("request POST {LOGIN} replay=false bearer=false"),
            "response 200".into(),
            "Renewed(Rejected)".into(),
            format!("request GET {DATA} replay=true bearer=true"),
            "response 200".into(),
        ]
    );
}

#[test]
fn post_and_patch_are_not_replayed_unless_marked_idempotent() {
    for method in [Method::Post, Method::Patch] {
        let c = logged_in(
            Script::default()
                .reply(401, UNAUTHORIZED)
                .reply(200, &login_body("t2")),
        );
        let request = HttpRequest::json(method, DATA, &json!({"name": "x"}));
        assert_eq!(
            block_on(c.send(request)),
            Err(ApiError::NotReplayed(method))
        );
        assert_eq!(
            c.transport.sent().len(),
            2,
            "{method}: request and login, no replay"
        );
        assert_eq!(
            c.store().raw().as_deref(),
            Some("t2"),
            "the session is renewed for the next call"
        );
    }
}

#[test]
fn idempotent_methods_and_marked_posts_are_replayed_with_the_same_body() {
    for (request, body) in [
        (
            HttpRequest::json(Method::Put, DATA, &json!({"id": 1})),
            Some(r#"{"id":1}"#),
        ),
        (HttpRequest::new(Method::Delete, DATA), None),
        (HttpRequest::new(Method::Head, DATA), None),
        (
            HttpRequest::json(Method::Post, DATA, &json!({"key": "k-1"})).idempotent(),
            Some(r#"{"key":"k-1"}"#),
        ),
    ] {
        let method = request.method;
        let c = logged_in(
            Script::default()
                .reply(401, UNAUTHORIZED)
                .reply(200, &login_body("t2"))
                .reply(200, "{}"),
        );
        assert!(block_on(c.send(request)).is_ok(), "{method}");
        let sent = c.transport.sent();
        assert_eq!(sent.len(), 3);
        assert_eq!((sent[2].method, sent[2].body.as_deref()), (method, body));
        assert_eq!(sent[0].body, sent[2].body);
    }
}

#[test]
fn the_bearer_goes_only_to_the_api_origins() {
    let mut s = settings("authToken");
    s.api_origins = ApiOrigins::new(
        [
            "https://api.example/api:auth/auth/login",
            "https://api.example/api:data/x",
        ],
        Some("https://app.example"),
    );
    let script = Script::default()
        .reply(200, ROWS)
        .reply(401, UNAUTHORIZED)
        .reply(200, ROWS);
    let c = client_with(s, script, stored("t1"), TestEnv::default());
    assert!(block_on(c.get_json("https://api.example/api:data/x")).is_ok());
    // A foreign origin: no bearer, and its 401 is not ours to fix.
    let err = block_on(c.get_json("https://other.example/api:data/x")).unwrap_err();
    assert!(matches!(err, ApiError::Http { status: 401, .. }));
    assert!(block_on(c.get_json("/relative/on/the/app/origin")).is_ok());
    assert_eq!(
        c.transport.log(),
        [
            "GET https://api.example/api:data/x Bearer t1",
            "GET https://other.example/api:data/x -",
            "GET /relative/on/the/app/origin -",
        ]
    );
}

#[test]
fn every_request_and_login_carries_a_timeout() {
    let c = logged_in(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t2"))
            .reply(200, ROWS),
    );
    assert!(block_on(c.get_json(DATA)).is_ok());
    let timeouts: Vec<_> = c.transport.sent().iter().map(|r| r.timeout_ms).collect();
    assert_eq!(timeouts, [Some(15_000), Some(10_000), Some(15_000)]);
}

#[test]
fn a_timeout_is_reported_with_the_url() {
    let c = client(Script::default().time_out_after(0), stored("t1"));
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        err,
        ApiError::Timeout {
            url: DATA.into(),
            ms: 5_000
        }
    );
    assert!(
        err.to_string().contains("did not answer within 5 s"),
        "{err}"
    );
}

#[test]
fn requests_queued_behind_a_renewal_fail_with_it() {
    let c = logged_in(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A
            .reply_after(1, 401, UNAUTHORIZED) // B
            .time_out_after(3), // A's login times out
    );
    let (a, b) = block_on(futures::future::join(c.get_json(DATA), c.get_json(DATA)));
    assert!(matches!(a, Err(ApiError::Timeout { .. })), "{a:?}");
    assert_eq!(a, b, "B failed with A's renewal instead of trying its own");
    assert_eq!(count(&c, "POST"), 1);
    assert!(
        c.has_credentials(),
        "a timeout is not a refusal: retry can renew"
    );
}

#[test]
fn a_cancelled_request_sends_nothing_more() {
    let c = logged_in(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A
            .reply_after(1, 401, UNAUTHORIZED) // B
            .reply_after(5, 200, &login_body("t2")) // A's login
            .reply(200, ROWS), // A's replay; B never replays
    );
    let a = c.get_json(DATA);
    // B is dropped (its view went away) while it waits behind A's renewal:
    // it loses a race against a two-poll timer.
    let b = async {
        let timer = Delayed {
            remaining: Cell::new(2),
            result: Some(Err(TransportError::Timeout(0))),
        };
        let load = std::pin::pin!(c.get_json(DATA));
        let timer = std::pin::pin!(timer);
        let raced = futures::future::select(load, timer).await;
        assert!(
            matches!(raced, futures::future::Either::Right(_)),
            "B should still be waiting"
        );
    };
    let (a, ()) = block_on(futures::future::join(a, b));
    assert!(a.is_ok());
    assert_eq!(c.transport.sent().len(), 4, "{:#?}", c.transport.log());
}

#[test]
fn two_tabs_that_expire_together_log_in_once() {
    // Two clients on one store and one cross-tab lock are two tabs.
    let env = TestEnv::with_shared_lock();
    let store = Rc::new(MemoryStore::default());
    let script_a = Script::default()
        .reply(200, &login_body("t1"))
        .reply_after(1, 401, UNAUTHORIZED)
        .reply_after(2, 200, &login_body("t2"))
        .reply(200, ROWS);
    let script_b = Script::default()
        .reply(200, &login_body("t0"))
        .reply_after(1, 401, UNAUTHORIZED)
        .reply(200, ROWS);
    let a = ApiClient::new(settings("authToken"), script_a, store.clone(), env.clone());
    let b = ApiClient::new(settings("authToken"), script_b, store.clone(), env.clone());
    block_on(b.log_in(creds())).unwrap();
    block_on(a.log_in(creds())).unwrap(); // both tabs hold credentials; t1 is stored
    let (ra, rb) = block_on(futures::future::join(a.get_json(DATA), b.get_json(DATA)));
    assert!(ra.is_ok() && rb.is_ok());
    let logins = a
        .transport
        .log()
        .iter()
        .chain(b.transport.log().iter())
        .filter(|l| l.starts_with("POST"))
        .count();
    assert_eq!(logins, 3, "two form logins and one renewal for both tabs");
    assert_eq!(
        b.transport.log().last().unwrap(),
        &format!("GET {DATA} Bearer t2"),
        "B adopted A's token"
    );
    assert_eq!(store.raw().as_deref(), Some("t2"));
}

#[test]
fn without_a_cross_tab_lock_no_tab_overwrites_a_newer_token() {
    let env = TestEnv::default(); // no Web Locks
    let store = Rc::new(MemoryStore::default());
    store.save(&StoredToken::new("old", Some(0.0))).unwrap();
    // Tab B starts its renewal at 10 s; its login answers late.
    let b = ApiClient::new(
        settings("authToken"),
        Script::default()
            .reply(200, &login_body("mine"))
            .reply(401, UNAUTHORIZED)
            .reply_after(5, 200, &login_body("b-token"))
            .reply(200, ROWS),
        store.clone(),
        env.clone(),
    );
    block_on(b.log_in(creds())).unwrap();
    store.save(&StoredToken::new("old", Some(0.0))).unwrap();
    env.at(10_000.0);
    let load = b.get_json(DATA);
    let other_tab = async {
        // Meanwhile tab A (no lock) stores a token it received at 11 s.
        for _ in 0..3 {
            futures::pending!();
        }
        store
            .save(&StoredToken::new("a-token", Some(11_000.0)))
            .unwrap();
    };
    let (result, ()) = block_on(futures::future::join(load, other_tab));
    assert!(result.is_ok());
    assert_eq!(
        store.raw().as_deref(),
        Some("a-token"),
        "B kept A's newer token"
    );
    assert_eq!(
        b.transport.log().last().unwrap(),
        &format!("GET {DATA} Bearer a-token")
    );
}

#[test]
fn a_failed_renewal_ahead_backs_off_instead_of_hammering() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .fail("offline")
        .reply(200, &login_body(&jws(60, 120)));
    let c = client_with(
        settings("authToken"),
        script,
        MemoryStore::default(),
        env.clone(),
    );
    block_on(c.log_in(creds())).unwrap();
    env.at(48_000.0);
    assert!(block_on(c.renew_if_due()).is_err());
    assert_eq!(
        c.next_renewal(),
        Some(53_000.0),
        "retry 5 s after the failure"
    );
    for ms in (48_100..53_000).step_by(100) {
        env.at(f64::from(ms));
        assert_eq!(block_on(c.renew_if_due()), Ok(false));
    }
    env.at(53_000.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    assert_eq!(count(&c, "POST"), 3);
}

#[test]
fn a_429_carries_retry_after() {
    let c = client(
        Script::default().reply(
            429,
            r#"{"code":"ERROR_CODE_TOO_MANY_REQUESTS","message":"Whoa there!"}"#,
        ),
        stored("t1"),
    );
    // The scripted reply has no headers; add one by hand.
    c.transport.replies.borrow_mut()[0]
        .result
        .as_mut()
        .unwrap()
        .headers
        .push(("Retry-After".into(), "7".into()));
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            message: "Whoa there!".into(),
            retry_after_s: Some(7)
        }
    );
    assert!(err.to_string().contains("wait 7 s"), "{err}");
    assert!(!err.needs_login());
    let c = client(Script::default().reply(429, ""), stored("t1"));
    assert!(matches!(
        block_on(c.get_json(DATA)),
        Err(ApiError::RateLimited {
            retry_after_s: None,
            ..
        })
    ));
}

#[test]
fn an_unreachable_login_url_names_the_setting() {
    let c = client(
        Script::default().fail("Failed to fetch"),
        MemoryStore::default(),
    );
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert!(err.to_string().contains("`loginUrl`"), "{err}");
}

/// One tab's view of shared storage that sees other tabs' writes late, as
/// browsers propagate localStorage between tabs asynchronously: after the
/// shared value changes, the first `lag` reads still return the old one.
struct LaggingView {
    shared: Rc<MemoryStore>,
    seen: RefCell<Option<StoredToken>>,
    lag: Cell<u32>,
    reads_behind: Cell<u32>,
}

impl TokenStore for LaggingView {
    fn load(&self) -> Option<StoredToken> {
        let actual = self.shared.load();
        if actual != *self.seen.borrow() {
            if self.reads_behind.get() < self.lag.get() {
                self.reads_behind.set(self.reads_behind.get() + 1);
                return self.seen.borrow().clone();
            }
            self.reads_behind.set(0);
            *self.seen.borrow_mut() = actual.clone();
        }
        actual
    }
    fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        *self.seen.borrow_mut() = Some(token.clone());
        self.shared.save(token)
    }
    fn clear(&self) {
        *self.seen.borrow_mut() = None;
        self.shared.clear()
    }
}

#[test]
fn a_tab_that_waited_for_the_lock_waits_for_the_other_tabs_token_to_arrive() {
    let env = TestEnv::with_shared_lock();
    let shared = Rc::new(MemoryStore::default());
    shared.save(&StoredToken::new("t1", Some(0.0))).unwrap();
    let view = LaggingView {
        shared: shared.clone(),
        seen: RefCell::new(shared.load()),
        lag: Cell::new(4),
        reads_behind: Cell::new(0),
    };
    let a = ApiClient::new(
        settings("authToken"),
        Script::default()
            .reply(200, &login_body("t0"))
            .reply_after(1, 401, UNAUTHORIZED)
            .reply_after(2, 200, &login_body("t2"))
            .reply(200, ROWS),
        shared.clone(),
        env.clone(),
    );
    let b = ApiClient::new(
        settings("authToken"),
        Script::default()
            .reply(200, &login_body("t0"))
            .reply_after(1, 401, UNAUTHORIZED)
            .reply(200, ROWS),
        view,
        env.clone(),
    );
    block_on(a.log_in(creds())).unwrap();
    block_on(b.log_in(creds())).unwrap();
    shared.save(&StoredToken::new("t1", Some(0.0))).unwrap();
    *b.store().seen.borrow_mut() = shared.load();
    let (ra, rb) = block_on(futures::future::join(a.get_json(DATA), b.get_json(DATA)));
    assert!(ra.is_ok() && rb.is_ok(), "{ra:?} {rb:?}");
    assert_eq!(
        count(&b, "POST"),
        1,
        "B's only login is its form login: {:#?}",
        b.transport.log()
    );
    assert_eq!(
        b.transport.log().last().unwrap(),
        &format!("GET {DATA} Bearer t2")
    );
    assert!(env.sleeps.get() > 0, "B waited for the write to arrive");
}
