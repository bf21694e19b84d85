//! The fetch transport and the whole client against a live development API
//! (started by scripts/test.sh with 1-second tokens; its URL comes in
//! TOKENGRID_TEST_API at build time), in headless Chromium.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use tokengrid::auth::store::LocalStorageStore;
use tokengrid::auth::token::TokenPath;
use tokengrid::auth::transport::FetchTransport;
use tokengrid::auth::{
    ApiClient, ApiError, AuthSettings, Credentials, HttpRequest, TokenStore, Transport,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn api() -> &'static str {
    // Read at build time; a missing URL fails the tests at run time rather
    // than the build, so clippy and the other browser tests still compile.
    match option_env!("TOKENGRID_TEST_API") {
        Some(url) => url,
        None => panic!("set TOKENGRID_TEST_API to a running dev API (scripts/test.sh does this)"),
    }
}

fn url(path: &str) -> String {
    format!("{}{path}", api())
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

async fn counters() -> Value {
    let r = FetchTransport
        .send(HttpRequest::get(url("/__dev/counters")))
        .await
        .unwrap();
    serde_json::from_str(&r.body).unwrap()
}

async fn reset_counters() {
    let mut req = HttpRequest::get(url("/__dev/counters/reset"));
    req.method = tokengrid::auth::Method::Post;
    assert_eq!(FetchTransport.send(req).await.unwrap().status, 200);
}

fn requests(counters: &Value, endpoint: &str, status: &str) -> u64 {
    counters[endpoint]["status"][status].as_u64().unwrap_or(0)
}

fn client(key: &str) -> ApiClient<FetchTransport, LocalStorageStore> {
    let settings = AuthSettings {
        login_url: url("/api:auth/auth/login"),
        token_path: TokenPath::parse("authToken").unwrap(),
        identity_field: "email".into(),
        password_field: "password".into(),
        unauthorized_statuses: vec![401],
    };
    ApiClient::new(settings, FetchTransport, LocalStorageStore::new(key))
}

fn demo() -> Credentials {
    Credentials::new("demo@tokengrid.dev", "tokengrid-demo")
}

#[wasm_bindgen_test]
async fn fetch_transport_reads_status_headers_and_body_cross_origin() {
    let r = FetchTransport
        .send(HttpRequest::get(url("/api:data/customers")))
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    assert!(
        r.header("content-type")
            .unwrap_or_default()
            .contains("application/json")
    );
    let body: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["code"], "ERROR_CODE_UNAUTHORIZED");
}

#[wasm_bindgen_test]
async fn fetch_transport_reports_an_unreachable_server_as_a_network_error() {
    // Port 9 (discard) on loopback: nothing listens there.
    let r = FetchTransport
        .send(HttpRequest::get("http://127.0.0.1:9/"))
        .await;
    assert!(r.is_err(), "{r:?}");
}

#[wasm_bindgen_test]
async fn login_stores_the_token_and_data_loads_with_it() {
    let c = client("browserTestToken1");
    c.log_in(demo()).await.unwrap();
    let token = c.store().load().expect("token stored");
    assert_eq!(token.split('.').count(), 5, "an opaque JWE-like token");
    let rows = c.get_json(&url("/api:data/customers")).await.unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(300));
    c.log_out();
}

#[wasm_bindgen_test]
async fn a_wrong_password_is_refused_with_xanos_message() {
    let c = client("browserTestToken2");
    let err = c
        .log_in(Credentials::new("demo@tokengrid.dev", "wrong"))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::LoginRejected {
            status: 403,
            message: "Invalid Credentials.".into()
        }
    );
    assert_eq!(c.store().load(), None);
}

#[wasm_bindgen_test]
async fn an_expired_token_is_renewed_once_and_the_request_replayed() {
    let c = client("browserTestToken3");
    c.log_in(demo()).await.unwrap();
    let first = c.store().load().unwrap();
    sleep(1_300).await; // the test API's tokens live 1 s
    reset_counters().await;
    let rows = c.get_json(&url("/api:data/customers")).await.unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(300));
    let n = counters().await;
    assert_eq!(requests(&n, "GET /api:data/customers", "401"), 1);
    assert_eq!(requests(&n, "POST /api:auth/auth/login", "200"), 1);
    assert_eq!(requests(&n, "GET /api:data/customers", "200"), 1);
    assert_ne!(c.store().load().unwrap(), first, "the new token is stored");
    c.log_out();
}
