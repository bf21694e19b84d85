//! The client against a scripted transport, an in-memory store and a
//! settable clock, one file per concern. Every test builds its client with
//! [`setup`]: a [`Script`] of answers, then any of other settings, another
//! store or a shared clock, then `build()` (or `logged_in()`).

mod breaker;
mod concurrent;
mod cross_tab;
mod error_shapes;
mod errors;
mod forms;
mod login;
mod origins;
mod refresh;
mod renewal_ahead;
mod replay;
mod session;
mod silent_logins;
mod stored_state;
mod timeouts;

use super::*;
use crate::auth::body::BodyFormat;
use crate::auth::store::MemoryStore;
use crate::auth::transport::{Method, TransportError};
use futures::executor::block_on;
use futures::lock::Mutex;
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
/// "no further request" is asserted — unless a [`Server`] answers the rest.
#[derive(Default)]
struct Script {
    replies: RefCell<VecDeque<Reply>>,
    sent: RefCell<Vec<HttpRequest>>,
    server: Option<Server>,
}

/// A server for long runs, on the test's clock: each login issues
/// `issue(n)` (n = 1, 2, …) and is recorded with its time; a data request
/// is refused with 401 when `refuses(n, age, uses)` says so for the token
/// it carries (its number, its age in ms, how often it was accepted before),
/// else answered with rows.
struct Server {
    env: TestEnv,
    issue: Box<dyn Fn(u32) -> String>,
    refuses: Box<dyn Fn(u32, f64, u32) -> bool>,
    /// Every token issued: (token, n, issued at, accepted uses).
    tokens: RefCell<Vec<(String, u32, f64, u32)>>,
    logins: Rc<RefCell<Vec<f64>>>,
}

impl Server {
    fn answer(&self, request: &HttpRequest) -> HttpResponse {
        let now = self.env.now_ms();
        let body = if request.url == LOGIN {
            self.logins.borrow_mut().push(now);
            let mut tokens = self.tokens.borrow_mut();
            let n = tokens.len() as u32 + 1;
            let token = (self.issue)(n);
            tokens.push((token.clone(), n, now, 0));
            login_body(&token)
        } else {
            let bearer = request.header("Authorization").unwrap_or_default();
            let mut tokens = self.tokens.borrow_mut();
            let known = tokens
                .iter_mut()
                .find(|(token, ..)| bearer == format!("Bearer {token}"));
            match known {
                Some((_, n, issued, uses)) if !(self.refuses)(*n, now - *issued, *uses) => {
                    *uses += 1;
                    ROWS.into()
                }
                _ => {
                    return HttpResponse {
                        status: 401,
                        headers: vec![],
                        body: UNAUTHORIZED.into(),
                    };
                }
            }
        };
        HttpResponse {
            status: 200,
            headers: vec![],
            body,
        }
    }
}

impl Script {
    /// Answers every request with a [`Server`] (after any scripted replies);
    /// returns the script and the times of the logins it answered.
    fn server(
        env: &TestEnv,
        issue: impl Fn(u32) -> String + 'static,
        refuses: impl Fn(u32, f64, u32) -> bool + 'static,
    ) -> (Self, Rc<RefCell<Vec<f64>>>) {
        let logins = Rc::new(RefCell::new(Vec::new()));
        let server = Server {
            env: env.clone(),
            issue: Box::new(issue),
            refuses: Box::new(refuses),
            tokens: RefCell::default(),
            logins: logins.clone(),
        };
        let script = Self {
            server: Some(server),
            ..Self::default()
        };
        (script, logins)
    }

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
    /// An answer the transport stopped reading at `limit` bytes.
    fn too_large(self, limit: u64) -> Self {
        let result = Err(TransportError::TooLarge(limit));
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
        let reply = match (reply, &self.server) {
            (Some(reply), _) => reply,
            (None, Some(server)) => Reply {
                result: Ok(server.answer(&request)),
                delay: 0,
            },
            (None, None) => panic!("unscripted request: {} {}", request.method, request.url),
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
/// The page the relative URLs above are resolved against.
const PAGE: &str = "http://app.test";
const ROWS: &str = r#"[{"id":1,"name":"Ada"}]"#;
const UNAUTHORIZED: &str =
    r#"{"code":"ERROR_CODE_UNAUTHORIZED","message":"Unauthorized - Authentication Required"}"#;
const DENIED: &str = r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"Invalid Credentials."}"#;

fn settings(token_path: &str) -> AuthSettings {
    AuthSettings {
        login_url: LOGIN.into(),
        login_body_format: BodyFormat::Json,
        login_extra_fields: Vec::new(),
        token_path: TokenPath::parse(token_path).unwrap(),
        identity_field: "email".into(),
        password_field: "password".into(),
        unauthorized_statuses: vec![401],
        api_origins: ApiOrigins::new([LOGIN, DATA], Some(PAGE)),
        lifetime_hint_ms: None,
        request_timeout_ms: 15_000,
        login_timeout_ms: 10_000,
        max_relogins_per_minute: 3,
        max_response_bytes: 32 << 20,
        lock_name: "tokengrid:authToken".into(),
        refresh: None,
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

/// The one test builder: the client's settings, transport, store and clock.
struct Setup<S = MemoryStore> {
    settings: AuthSettings,
    script: Script,
    store: S,
    env: TestEnv,
}

/// A client that will answer with `script`, with the default settings, an
/// empty in-memory store and a clock at 0 ms.
fn setup(script: Script) -> Setup {
    Setup {
        settings: settings("authToken"),
        script,
        store: MemoryStore::default(),
        env: TestEnv::default(),
    }
}

impl<S: TokenStore> Setup<S> {
    fn settings(self, settings: AuthSettings) -> Self {
        Self { settings, ..self }
    }

    /// Another store (a shared one, a lagging view).
    fn store<S2: TokenStore>(self, store: S2) -> Setup<S2> {
        Setup {
            settings: self.settings,
            script: self.script,
            store,
            env: self.env,
        }
    }

    /// A store holding `raw` as if someone else had written it.
    fn stored(self, raw: &str) -> Setup<MemoryStore> {
        self.store(MemoryStore::with_raw(raw))
    }

    /// A clock (and lock) the test keeps a handle on.
    fn env(self, env: TestEnv) -> Self {
        Self { env, ..self }
    }

    fn build(self) -> ApiClient<Script, S, TestEnv> {
        ApiClient::new(self.settings, self.script, self.store, self.env)
    }

    /// A client that logged in through the form (token `t1`); the login
    /// request is taken out of the log, the rest of the script follows.
    fn logged_in(self) -> ApiClient<Script, S, TestEnv> {
        let login = HttpResponse {
            status: 200,
            headers: vec![],
            body: r#"{"authToken":"t1"}"#.into(),
        };
        self.script.replies.borrow_mut().push_front(Reply {
            result: Ok(login),
            delay: 0,
        });
        let client = self.build();
        block_on(client.log_in(creds())).expect("form login");
        client.transport.sent.borrow_mut().clear();
        client
    }
}

/// Lets the other futures of a `join` run `n` times. It wakes itself, so a
/// test never hangs when the others have finished early.
async fn yield_times(n: u32) {
    for _ in 0..n {
        let mut yielded = false;
        futures::future::poll_fn(|cx| {
            if std::mem::replace(&mut yielded, true) {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
    }
}

fn creds() -> Credentials {
    Credentials::new("demo@example.com", "pw 123")
}

fn rows(value: Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

/// A JWS with the given `iat`/`exp` (seconds); the client never verifies it.
fn jws(iat: u64, exp: u64) -> String {
    let payload = format!(r#"{{"sub":"1","iat":{iat},"exp":{exp}}}"#);
    format!("e30.{}.sig", base64url(payload.as_bytes()))
}

/// A JWS with only an `exp` (seconds): its lifetime is unknown.
fn jws_exp_only(exp: u64) -> String {
    let payload = format!(r#"{{"sub":"1","exp":{exp}}}"#);
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

fn count<S: TokenStore>(c: &ApiClient<Script, S, TestEnv>, prefix: &str) -> usize {
    c.transport
        .log()
        .iter()
        .filter(|l| l.starts_with(prefix))
        .count()
}
