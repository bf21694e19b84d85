//! Helpers shared by every test crate: a router on a [`ManualClock`], decoded answers and the
//! assertions on Xano's error bodies.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use dev_api::{
    AppState, Config, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD, LOGIN_PATH, ManualClock, app,
};
use serde_json::{Value, json};
use tower::ServiceExt;

/// 2025-06-15T12:00:00Z: a whole second, so JWT `iat` (seconds) equals the clock exactly.
pub const START_MS: u64 = 1_750_000_000_000;

/// Xano's 401 body.
pub const UNAUTHORIZED: &str =
    r#"{"code":"ERROR_CODE_UNAUTHORIZED","message":"Unauthorized - Authentication Required"}"#;
/// Xano's 404 body.
pub const NOT_FOUND: &str = r#"{"code":"ERROR_CODE_NOT_FOUND","message":"Not Found","payload":""}"#;
/// Xano's 429 body.
pub const TOO_MANY_REQUESTS: &str = r#"{"code":"ERROR_CODE_TOO_MANY_REQUESTS","message":"Whoa there! Too many requests, please slow down."}"#;

/// A router under test, its state and the clock it runs on.
pub struct Server {
    pub router: Router,
    pub state: AppState,
    pub clock: ManualClock,
}

/// A decoded response.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body failed while being read (the `drop` fault's never-sent answer).
    pub body_failed: bool,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// The keys of a JSON object, in order.
pub fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// Asserts status, exact body and JSON content type.
pub fn assert_exact(answer: &Answer, status: StatusCode, body: &str) {
    assert_eq!(answer.status, status, "{}", answer.text());
    assert_eq!(answer.text(), body);
    assert_eq!(answer.header("content-type"), Some("application/json"));
}

/// Asserts a Xano 400 input error about `param`: exactly `code`, `message`
/// (non-empty) and `param`.
pub fn assert_input_error(answer: &Answer, param: &str) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    let body = answer.json();
    let fields: Vec<&str> = body
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["code", "message", "param"], "{}", answer.text());
    assert!(
        !body["message"].as_str().unwrap_or_default().is_empty(),
        "{}",
        answer.text()
    );
    assert_eq!(body["code"], "ERROR_CODE_INPUT_ERROR", "{}", answer.text());
    assert_eq!(body["param"], param, "{}", answer.text());
    assert!(!body["message"].as_str().unwrap_or_default().is_empty());
}

impl Default for Server {
    /// Everything default: no faults, no counters.
    fn default() -> Self {
        Self::new(Config::default())
    }
}

impl Server {
    pub fn new(config: Config) -> Self {
        let clock = ManualClock::new(START_MS);
        let state = AppState::with_clock(config, Arc::new(clock.clone())).expect("state builds");
        Self {
            router: app(state.clone()),
            state,
            clock,
        }
    }

    /// Faults and counters on, everything else default.
    pub fn with_faults() -> Self {
        Self::new(Config {
            faults: true,
            counters: true,
            ..Config::default()
        })
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await;
        Answer {
            status,
            headers,
            body_failed: body.is_err(),
            body: body.map(|bytes| bytes.to_vec()).unwrap_or_default(),
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: impl Into<Body>,
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ORIGIN, "https://grid.example");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(body.into()).expect("request builds"))
            .await
    }

    pub async fn post(&self, path: &str, body: impl Into<Body>) -> Answer {
        self.request(Method::POST, path, None, body).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.request(Method::GET, path, token, Body::empty()).await
    }

    pub async fn login_as(&self, email: &str, password: &str) -> Answer {
        self.post(
            LOGIN_PATH,
            json!({"email": email, "password": password}).to_string(),
        )
        .await
    }

    /// Serves the router on a free loopback port with `dev_api::serve`, exactly as `main`
    /// serves it, with `header_timeout` for a request head: the address, and the serving task
    /// (it ends with the test, or when aborted).
    pub async fn serve_on_loopback(
        &self,
        header_timeout: std::time::Duration,
    ) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let address = listener.local_addr().expect("has an address");
        let serving = tokio::spawn(dev_api::serve(
            listener,
            self.router.clone(),
            header_timeout,
            std::future::pending(),
        ));
        (address, serving)
    }

    /// Logs in as the demo user and returns the token.
    pub async fn token(&self) -> String {
        let answer = self
            .login_as(DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        answer.json()["authToken"]
            .as_str()
            .expect("authToken is a string")
            .to_owned()
    }

    /// Adds a fault; panics unless it is accepted. Answers its id.
    pub async fn fault(&self, spec: Value) -> u64 {
        let answer = self.post("/__dev/faults", spec.to_string()).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        answer.json()["id"].as_u64().expect("a numeric id")
    }

    /// The counters as JSON.
    pub async fn counters(&self) -> Value {
        self.get("/__dev/counters", None).await.json()
    }
}
