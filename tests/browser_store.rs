//! The localStorage token store, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use tokengrid::auth::store::LocalStorageStore;
use tokengrid::auth::{StoredToken, TokenStore};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

const JWS: &str = "eyJhbGciOiJIUzI1NiJ9.e30.sig";

#[wasm_bindgen_test]
fn the_token_is_stored_raw_under_the_configured_key() {
    let store = LocalStorageStore::new("authToken");
    store.save(&StoredToken::new(JWS, Some(1_000.0))).unwrap();
    // Raw, not JSON-encoded: other scripts read the token itself.
    assert_eq!(
        local_storage().get_item("authToken").unwrap().as_deref(),
        Some(JWS)
    );
    assert_eq!(store.load(), Some(StoredToken::new(JWS, Some(1_000.0))));
    store.clear();
    assert_eq!(local_storage().get_item("authToken").unwrap(), None);
    assert_eq!(local_storage().get_item("authToken.meta").unwrap(), None);
    assert_eq!(store.load(), None);
}

#[wasm_bindgen_test]
fn the_receipt_time_belongs_to_its_token_only() {
    let store = LocalStorageStore::new("authToken");
    store
        .save(&StoredToken::new("first-token", Some(5.0)))
        .unwrap();
    // Another script replaces the token but not the meta entry.
    local_storage()
        .set_item("authToken", "other-token")
        .unwrap();
    assert_eq!(store.load(), Some(StoredToken::new("other-token", None)));
    store.clear();
}

#[wasm_bindgen_test]
fn another_key_leaves_authtoken_alone() {
    local_storage().set_item("authToken", "keep-me").unwrap();
    let store = LocalStorageStore::new("myAppToken");
    store.save(&StoredToken::new("abc", None)).unwrap();
    assert_eq!(
        local_storage().get_item("myAppToken").unwrap().as_deref(),
        Some("abc")
    );
    store.clear();
    assert_eq!(
        local_storage().get_item("authToken").unwrap().as_deref(),
        Some("keep-me")
    );
    local_storage().remove_item("authToken").unwrap();
}

#[wasm_bindgen_test]
fn values_other_scripts_left_behind_read_as_no_token() {
    let store = LocalStorageStore::new("authToken");
    for junk in [
        "",
        "null",
        "undefined",
        "{\"token\":\"x\"}",
        "\"quoted\"",
        "has spaces",
    ] {
        local_storage().set_item("authToken", junk).unwrap();
        assert_eq!(store.load(), None, "{junk:?}");
    }
    local_storage().remove_item("authToken").unwrap();
}

#[wasm_bindgen_test]
fn a_logout_elsewhere_is_seen_at_the_next_read() {
    let store = LocalStorageStore::new("authToken");
    store.save(&StoredToken::new("t1", None)).unwrap();
    local_storage().remove_item("authToken").unwrap();
    assert_eq!(
        store.load(),
        None,
        "no stale in-memory copy revives the token"
    );
}

#[wasm_bindgen_test]
fn a_stored_token_too_long_for_a_header_reads_as_none_and_says_why() {
    let store = LocalStorageStore::new("authToken");
    local_storage()
        .set_item("authToken", &"t".repeat(9_000))
        .unwrap();
    assert_eq!(store.load(), None);
    assert!(
        store
            .why_unusable()
            .is_some_and(|why| why.contains("too long") && why.contains("9000 bytes")),
        "{:?}",
        store.why_unusable()
    );
    local_storage().set_item("authToken", JWS).unwrap();
    assert_eq!(store.why_unusable(), None);
    store.clear();
    assert_eq!(store.why_unusable(), None);
}

#[wasm_bindgen_test]
fn every_store_on_the_same_key_reads_one_log_of_silent_logins() {
    let tab_a = LocalStorageStore::new("budgetKey");
    let tab_b = LocalStorageStore::new("budgetKey");
    tab_a.set_silent_logins(&[1_000.0, 2_000.5]);
    assert_eq!(
        local_storage()
            .get_item("budgetKey.silentLogins")
            .unwrap()
            .as_deref(),
        Some("[1000.0,2000.5]")
    );
    assert_eq!(tab_b.silent_logins(), [1_000.0, 2_000.5]);
    tab_b.clear();
    assert!(
        tab_a.silent_logins().is_empty(),
        "logging out leaves nothing behind"
    );
    assert_eq!(
        local_storage().get_item("budgetKey.silentLogins").unwrap(),
        None
    );
    // Something else wrote the entry: it reads as no logins, never an error.
    local_storage()
        .set_item("budgetKey.silentLogins", "{not json")
        .unwrap();
    assert!(tab_a.silent_logins().is_empty());
    tab_a.set_silent_logins(&[]);
    assert_eq!(
        local_storage().get_item("budgetKey.silentLogins").unwrap(),
        None,
        "an empty log is no entry"
    );
}
