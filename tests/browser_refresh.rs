//! Refresh tokens in headless Chromium: where each `refreshTokenStorage`
//! choice keeps the refresh token, what survives a reload (a new store over
//! the same storage) and another tab, that logging out clears it; then the
//! whole client against a development API started with `--refresh-tokens`
//! (1-second tokens; its URL comes in TOKENGRID_TEST_REFRESH_API at build
//! time).
#![cfg(target_arch = "wasm32")]

mod dom;

use dom::sleep;
use serde_json::Value;
use tokengrid::auth::env::BrowserEnvironment;
use tokengrid::auth::store::{KeptRefresh, LocalStorageStore, RefreshStorage};
use tokengrid::auth::transport::FetchTransport;
use tokengrid::auth::{
    ApiClient, ApiError, Credentials, HttpRequest, Method, StoredToken, TokenStore, Transport,
};
use tokengrid::config::Config;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn session() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

fn store(key: &str, kept: RefreshStorage) -> LocalStorageStore {
    LocalStorageStore::new(key).with_refresh_storage(kept)
}

/// A store that logged in: token `access1` and refresh token `r1`.
fn logged_in(key: &str, kept: RefreshStorage) -> LocalStorageStore {
    let store = store(key, kept);
    store
        .save(&StoredToken::new("access1", Some(1_000.0)))
        .unwrap();
    store
        .set_refresh_token(Some(&KeptRefresh::new("r1", "access1")))
        .unwrap();
    store
}

/// The refresh token a store keeps, if any.
fn kept(store: &LocalStorageStore) -> Option<String> {
    store.refresh_token().map(|kept| kept.token)
}

#[wasm_bindgen_test]
fn memory_keeps_the_refresh_token_in_this_page_only() {
    let key = "rt.memory";
    let store = logged_in(key, RefreshStorage::Memory);
    assert_eq!(kept(&store).as_deref(), Some("r1"));
    let entry = format!("{key}.refresh");
    assert_eq!(
        local().get_item(&entry).unwrap(),
        None,
        "nothing in storage"
    );
    assert_eq!(session().get_item(&entry).unwrap(), None);
    // A reload is a new store over the same storage: the token survives,
    // the refresh token does not.
    let reloaded = store_after_reload(key, RefreshStorage::Memory);
    assert_eq!(reloaded.load().map(|t| t.token).as_deref(), Some("access1"));
    assert_eq!(reloaded.refresh_token(), None);
    store.clear();
    assert_eq!(store.refresh_token(), None, "logging out forgets it");
}

fn store_after_reload(key: &str, kept: RefreshStorage) -> LocalStorageStore {
    store(key, kept)
}

#[wasm_bindgen_test]
fn session_keeps_a_json_record_in_session_storage_that_a_reload_finds() {
    let key = "rt.session";
    let store = logged_in(key, RefreshStorage::Session);
    let entry = format!("{key}.refresh");
    assert_eq!(
        session().get_item(&entry).unwrap().as_deref(),
        Some(r#"{"token":"r1","for":"access1"}"#)
    );
    assert_eq!(
        local().get_item(&entry).unwrap(),
        None,
        "not in localStorage"
    );
    assert_eq!(
        local().get_item(key).unwrap().as_deref(),
        Some("access1"),
        "the token itself stays a raw string"
    );
    let reloaded = store_after_reload(key, RefreshStorage::Session);
    assert_eq!(kept(&reloaded).as_deref(), Some("r1"));
    // Rotation replaces it in place.
    reloaded
        .set_refresh_token(Some(&KeptRefresh::new("r2", "access1")))
        .unwrap();
    assert_eq!(kept(&store).as_deref(), Some("r2"));
    reloaded.clear();
    assert_eq!(session().get_item(&entry).unwrap(), None);
    assert_eq!(store.refresh_token(), None);
    assert_eq!(local().get_item(key).unwrap(), None);
}

#[wasm_bindgen_test]
fn local_is_shared_with_every_tab_and_cleared_for_all_by_a_logout() {
    let key = "rt.local";
    let tab_a = logged_in(key, RefreshStorage::Local);
    let entry = format!("{key}.refresh");
    assert_eq!(
        local().get_item(&entry).unwrap().as_deref(),
        Some(r#"{"token":"r1","for":"access1"}"#)
    );
    assert_eq!(session().get_item(&entry).unwrap(), None);
    let tab_b = store(key, RefreshStorage::Local);
    assert_eq!(kept(&tab_b).as_deref(), Some("r1"));
    tab_b
        .set_refresh_token(Some(&KeptRefresh::new("r2", "access1")))
        .unwrap();
    assert_eq!(kept(&tab_a).as_deref(), Some("r2"), "rotated for all");
    tab_b.clear();
    assert_eq!(tab_a.refresh_token(), None);
    assert_eq!(local().get_item(&entry).unwrap(), None);
}

#[wasm_bindgen_test]
fn a_logout_clears_a_refresh_token_wherever_it_is_kept() {
    let key = "rt.everywhere";
    let entry = format!("{key}.refresh");
    for storage in [local(), session()] {
        storage
            .set_item(&entry, r#"{"token":"left","for":"x"}"#)
            .unwrap();
    }
    store(key, RefreshStorage::Memory).clear();
    assert_eq!(local().get_item(&entry).unwrap(), None);
    assert_eq!(session().get_item(&entry).unwrap(), None);
}

#[wasm_bindgen_test]
fn entries_other_scripts_left_behind_read_as_no_refresh_token() {
    let key = "rt.junk";
    let entry = format!("{key}.refresh");
    let store = store(key, RefreshStorage::Local);
    for junk in [
        "r1",
        "null",
        "{}",
        r#"{"token":5}"#,
        r#"{"token":""}"#,
        "{not json",
    ] {
        local().set_item(&entry, junk).unwrap();
        assert_eq!(store.refresh_token(), None, "{junk}");
    }
    local().remove_item(&entry).unwrap();
}

#[wasm_bindgen_test]
fn the_token_metadata_is_a_typed_json_entry_the_early_script_can_read() {
    let key = "rt.meta";
    let store = store(key, RefreshStorage::Session);
    store
        .save(&StoredToken::new("abc.def.ghi", Some(1_234.5)))
        .unwrap();
    let meta: Value =
        serde_json::from_str(&local().get_item(&format!("{key}.meta")).unwrap().unwrap()).unwrap();
    assert_eq!(
        meta,
        serde_json::json!({"receivedAt": 1234.5, "tail": "abc.def.ghi"})
    );
    assert_eq!(
        store.load(),
        Some(StoredToken::new("abc.def.ghi", Some(1_234.5)))
    );
    store.clear();
}

// The whole client against the development API in refresh mode.

fn api() -> &'static str {
    match option_env!("TOKENGRID_TEST_REFRESH_API") {
        Some(url) => url,
        None => panic!(
            "set TOKENGRID_TEST_REFRESH_API to a dev API started with --refresh-tokens \
             (scripts/test.sh does this)"
        ),
    }
}

fn url(path: &str) -> String {
    format!("{}{path}", api())
}

type Client = ApiClient<FetchTransport, LocalStorageStore, BrowserEnvironment>;

/// A client configured the way the app configures it, with refresh tokens
/// kept in `kept` under `key`: a page load.
fn page(key: &str, kept: &str) -> Client {
    let config = Config::from_json(&format!(
        r#"{{"loginUrl":"{}","dataUrl":"{}","refreshUrl":"{}","storageKey":"{key}",
            "refreshTokenStorage":"{kept}","requestTimeoutSeconds":2,"maxReloginsPerMinute":60}}"#,
        url("/api:auth/auth/login"),
        url("/api:data/customers"),
        url("/api:auth/auth/refresh"),
    ))
    .unwrap();
    let origin = web_sys::window().unwrap().location().origin().ok();
    ApiClient::new(
        config.auth_settings(origin.as_deref()),
        FetchTransport,
        LocalStorageStore::new(key).with_refresh_storage(config.refresh_token_storage),
        BrowserEnvironment,
    )
}

fn demo() -> Credentials {
    Credentials::new("demo@tokengrid.dev", "tokengrid-demo")
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
    req.method = Method::Post;
    assert_eq!(FetchTransport.send(req).await.unwrap().status, 200);
}

fn requests(counters: &Value, endpoint: &str, status: &str) -> u64 {
    counters[endpoint]["status"][status].as_u64().unwrap_or(0)
}

const REFRESH: &str = "POST /api:auth/auth/refresh";
const LOGIN: &str = "POST /api:auth/auth/login";

#[wasm_bindgen_test]
async fn after_a_reload_an_expired_token_is_renewed_through_the_kept_refresh_token() {
    for area in ["session", "local"] {
        let key = format!("rt.reload.{area}");
        let before = page(&key, area);
        before.log_in(demo()).await.unwrap();
        let first = kept(before.store()).expect("kept from the login");
        drop(before);
        sleep(1_300).await; // the test API's tokens live 1 s
        reset_counters().await;
        let after = page(&key, area);
        assert!(!after.has_credentials() && after.can_renew(), "{area}");
        let rows = after.get_json(&url("/api:data/customers")).await.unwrap();
        assert_eq!(rows.as_array().map(Vec::len), Some(300), "{area}");
        let n = counters().await;
        assert_eq!(requests(&n, REFRESH, "200"), 1, "{area}: {n}");
        assert_eq!(n[REFRESH]["requests"], 1, "{area}: {n}");
        assert_eq!(n.get(LOGIN), None, "{area}: no password: {n}");
        let rotated = kept(after.store()).expect("rotated");
        assert_ne!(rotated, first, "{area}");
        after.log_out();
        assert_eq!(after.store().refresh_token(), None, "{area}");
    }
}

#[wasm_bindgen_test]
async fn after_a_reload_a_refresh_token_kept_in_memory_is_gone() {
    let key = "rt.reload.memory";
    let before = page(key, "memory");
    before.log_in(demo()).await.unwrap();
    assert!(kept(before.store()).is_some());
    drop(before);
    sleep(1_300).await;
    let after = page(key, "memory");
    assert!(!after.can_renew());
    assert!(matches!(
        after.get_json(&url("/api:data/customers")).await,
        Err(ApiError::NeedsLogin(_))
    ));
    after.log_out();
}

#[wasm_bindgen_test]
async fn two_tabs_on_local_storage_send_the_rotating_refresh_token_once_per_expiry() {
    // Two clients on one localStorage key are two tabs as far as storage
    // and navigator.locks are concerned; the second opened after the login.
    let key = "rt.tabs";
    let a = page(key, "local");
    a.log_in(demo()).await.unwrap();
    let b = page(key, "local");
    let data = url("/api:data/customers");
    for expiry in 1..=2 {
        sleep(1_300).await;
        reset_counters().await;
        let loads = (0..5).flat_map(|_| [a.get_json(&data), b.get_json(&data)]);
        let results = futures::future::join_all(loads).await;
        assert!(results.iter().all(Result::is_ok), "{expiry}: {results:?}");
        let n = counters().await;
        assert_eq!(n[REFRESH]["requests"], 1, "{expiry}: one refresh: {n}");
        assert_eq!(
            requests(&n, REFRESH, "200"),
            1,
            "{expiry}: never refused: {n}"
        );
        assert_eq!(n.get(LOGIN), None, "{expiry}: {n}");
    }
    a.log_out();
    assert_eq!(b.store().refresh_token(), None, "gone for every tab");
}
