//! Where the token persists: the [`TokenStore`] trait, an in-memory store
//! for tests, and the browser's `localStorage` ([`LocalStorageStore`],
//! wasm32 only, through `gloo-storage`).
//!
//! Only tokens are ever stored — never credentials. The value is stored
//! as the raw token string (not JSON-encoded), so other scripts that read
//! `localStorage.authToken` see the token itself, as the tutorial's
//! persistent variable does. Beside it, under `<key>.meta`, the browser
//! store keeps when this browser received the token, which opaque tokens
//! need for renewal ahead of expiry in every tab.
//!
//! A refresh token, when the backend hands one out, is kept where
//! [`RefreshStorage`] says: in the page's memory, in `sessionStorage` or in
//! `localStorage`, under `<key>.refresh` as a JSON record.

use super::token::{MAX_TOKEN_BYTES, Refusal, check};
use std::cell::RefCell;

/// Why the store could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Storage is missing or refused (private mode, disabled, quota).
    #[error("the browser refused to store the token ({0}); it is kept for this page only")]
    Unavailable(String),
}

/// A stored token and, when known, when this browser received it
/// (wall-clock ms since the Unix epoch).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredToken {
    pub token: String,
    /// When it was received, if recorded.
    pub received_at: Option<f64>,
}

impl StoredToken {
    /// A token received at `received_at`.
    pub fn new(token: impl Into<String>, received_at: Option<f64>) -> Self {
        Self {
            token: token.into(),
            received_at,
        }
    }
}

/// Where the refresh token is kept (the `refreshTokenStorage` setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshStorage {
    /// In the page's memory: gone on reload, never readable by other scripts
    /// through storage.
    Memory,
    /// `sessionStorage`: this tab only; survives a reload, gone with the tab.
    #[default]
    Session,
    /// `localStorage`: every tab of the origin; survives closing the browser.
    Local,
}

/// A kept refresh token and the token it goes with: the token that was
/// stored when it was received. A tab uses it only to renew that very token,
/// so a refresh token left behind — in a duplicated tab's `sessionStorage`,
/// or after someone else logged in — is never sent: it may be spent, and a
/// spent one sent again makes rotating servers revoke the whole session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptRefresh {
    /// The refresh token.
    pub token: String,
    /// The end of the token it goes with.
    pub with: String,
}

impl KeptRefresh {
    /// `token`, going with the token `access`.
    pub fn new(token: impl Into<String>, access: &str) -> Self {
        Self {
            token: token.into(),
            with: tail(access).to_owned(),
        }
    }

    /// Whether it goes with the token `access`.
    pub fn goes_with(&self, access: &str) -> bool {
        self.with == tail(access)
    }
}

/// The end of a token: enough to tell which token an entry beside it is
/// for, without copying the token.
pub fn tail(token: &str) -> &str {
    &token[token.len().saturating_sub(12)..]
}

/// Persists one token (and, beside it, a refresh token).
pub trait TokenStore {
    /// The stored token, if there is a usable one. Values the token rule
    /// ([`check`]) refuses — empty, white space, JSON such as `null` or
    /// `{}`, a token longer than [`MAX_TOKEN_BYTES`] — read as no token, so
    /// nothing is sent with them.
    fn load(&self) -> Option<StoredToken>;
    /// Why the stored value reads as no token, when the user should know:
    /// a sentence for the login form. `None` when nothing is stored, when
    /// the value is usable, or when it is only a leftover such as `null`.
    fn why_unusable(&self) -> Option<String> {
        None
    }
    /// Stores `token`, replacing any other.
    fn save(&self, token: &StoredToken) -> Result<(), StoreError>;
    /// Removes the token, and with it the log of silent logins.
    fn clear(&self);
    /// When the recent silent logins happened (wall-clock ms), as
    /// [`set_silent_logins`](Self::set_silent_logins) last wrote them — by
    /// this tab or any other on the same storage, so all of them spend one
    /// budget (see [`super::breaker`]). Unreadable entries read as none.
    fn silent_logins(&self) -> Vec<f64>;
    /// Records the recent silent logins.
    fn set_silent_logins(&self, at: &[f64]);
    /// The refresh token kept beside the token, if any. Read it afresh
    /// each time, inside the renewal lock: another tab may have rotated it.
    fn refresh_token(&self) -> Option<KeptRefresh> {
        None
    }
    /// Keeps `token` as the refresh token, replacing any other; `None`
    /// forgets it. A store without a place for refresh tokens keeps none.
    fn set_refresh_token(&self, token: Option<&KeptRefresh>) -> Result<(), StoreError> {
        let _ = token;
        Ok(())
    }
}

/// The most silent-login times a store keeps: far above any sensible
/// `maxReloginsPerMinute`, so a corrupted entry stays small.
pub const MAX_LOGGED_LOGINS: usize = 64;

/// The latest [`MAX_LOGGED_LOGINS`] of `at`: what a store keeps.
fn latest(at: &[f64]) -> &[f64] {
    &at[at.len().saturating_sub(MAX_LOGGED_LOGINS)..]
}

/// Interprets a raw stored value: a usable bearer token or nothing.
pub fn usable_token(raw: Option<String>) -> Option<String> {
    let raw = raw?;
    let token = raw.trim();
    check(token).is_ok().then(|| token.to_owned())
}

/// The sentence for a raw stored value that reads as no token although it
/// is a token in form: one too long for any server to accept.
pub fn unusable_reason(raw: Option<&str>) -> Option<String> {
    match check(raw?.trim()) {
        Err(Refusal::TooLong(bytes)) => Some(format!(
            "The stored token is too long for a server to accept ({bytes} bytes, more than \
             {MAX_TOKEN_BYTES}), so it was not sent. Log in again."
        )),
        _ => None,
    }
}

/// A store that lives only as long as the value: for tests and as the
/// fallback when the browser refuses storage.
#[derive(Debug, Default)]
pub struct MemoryStore {
    value: RefCell<Option<String>>,
    received_at: RefCell<Option<f64>>,
    silent_logins: RefCell<Vec<f64>>,
    refresh_token: RefCell<Option<KeptRefresh>>,
}

impl MemoryStore {
    /// A store holding `raw` as if it had been written by someone else.
    pub fn with_raw(raw: &str) -> Self {
        Self {
            value: RefCell::new(Some(raw.to_owned())),
            ..Self::default()
        }
    }

    /// The raw stored value, unfiltered.
    pub fn raw(&self) -> Option<String> {
        self.value.borrow().clone()
    }
}

impl TokenStore for MemoryStore {
    fn load(&self) -> Option<StoredToken> {
        let token = usable_token(self.raw())?;
        Some(StoredToken {
            token,
            received_at: *self.received_at.borrow(),
        })
    }

    fn why_unusable(&self) -> Option<String> {
        unusable_reason(self.value.borrow().as_deref())
    }

    fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        *self.value.borrow_mut() = Some(token.token.clone());
        *self.received_at.borrow_mut() = token.received_at;
        Ok(())
    }

    fn clear(&self) {
        self.value.borrow_mut().take();
        self.received_at.borrow_mut().take();
        self.silent_logins.borrow_mut().clear();
        self.refresh_token.borrow_mut().take();
    }

    fn silent_logins(&self) -> Vec<f64> {
        self.silent_logins.borrow().clone()
    }

    fn set_silent_logins(&self, at: &[f64]) {
        *self.silent_logins.borrow_mut() = latest(at).to_vec();
    }

    fn refresh_token(&self) -> Option<KeptRefresh> {
        self.refresh_token.borrow().clone()
    }

    fn set_refresh_token(&self, token: Option<&KeptRefresh>) -> Result<(), StoreError> {
        *self.refresh_token.borrow_mut() = token.cloned();
        Ok(())
    }
}

impl<S: TokenStore + ?Sized> TokenStore for std::rc::Rc<S> {
    fn load(&self) -> Option<StoredToken> {
        (**self).load()
    }
    fn why_unusable(&self) -> Option<String> {
        (**self).why_unusable()
    }
    fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        (**self).save(token)
    }
    fn clear(&self) {
        (**self).clear()
    }
    fn silent_logins(&self) -> Vec<f64> {
        (**self).silent_logins()
    }
    fn set_silent_logins(&self, at: &[f64]) {
        (**self).set_silent_logins(at)
    }
    fn refresh_token(&self) -> Option<KeptRefresh> {
        (**self).refresh_token()
    }
    fn set_refresh_token(&self, token: Option<&KeptRefresh>) -> Result<(), StoreError> {
        (**self).set_refresh_token(token)
    }
}

/// Reads a stored list of login times: a JSON array of numbers, at most
/// [`MAX_LOGGED_LOGINS`] of the latest; anything else reads as none.
pub fn parse_silent_logins(raw: &str) -> Vec<f64> {
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(raw) else {
        return Vec::new();
    };
    let times: Vec<f64> = items.iter().filter_map(serde_json::Value::as_f64).collect();
    latest(&times).to_vec()
}

/// Writes login times the way [`parse_silent_logins`] reads them.
pub fn format_silent_logins(at: &[f64]) -> String {
    crate::text::json_text(&serde_json::Value::from(latest(at)))
}

/// Writes `<key>.meta`: when this browser received the token, and the end of
/// the token it belongs to, as `{"receivedAt":…,"tail":…}` (the early
/// request script in `index.html` reads the same two fields).
pub fn format_token_meta(received_at: f64, token: &str) -> String {
    let mut meta = serde_json::Map::new();
    meta.insert("receivedAt".into(), received_at.into());
    meta.insert("tail".into(), tail(token).into());
    crate::text::json_text(&meta.into())
}

/// When `token` was received, read from a `<key>.meta` entry written by
/// [`format_token_meta`]: `None` when the entry is unreadable, of another
/// shape, or belongs to another token.
pub fn parse_token_meta(raw: &str, token: &str) -> Option<f64> {
    let meta: serde_json::Value = serde_json::from_str(raw).ok()?;
    let received_at = meta.get("receivedAt")?.as_f64()?;
    (meta.get("tail")?.as_str()? == tail(token)).then_some(received_at)
}

/// Writes `<key>.refresh`: the refresh token and the end of the token it
/// goes with, as `{"token":…,"for":…}`.
pub fn format_refresh_record(kept: &KeptRefresh) -> String {
    let mut record = serde_json::Map::new();
    record.insert("token".into(), kept.token.as_str().into());
    record.insert("for".into(), kept.with.as_str().into());
    crate::text::json_text(&record.into())
}

/// Reads a `<key>.refresh` entry written by [`format_refresh_record`];
/// unreadable or of another shape reads as none.
pub fn parse_refresh_record(raw: &str) -> Option<KeptRefresh> {
    let record: serde_json::Value = serde_json::from_str(raw).ok()?;
    Some(KeptRefresh {
        token: record.get("token")?.as_str()?.to_owned(),
        with: record.get("for")?.as_str()?.to_owned(),
    })
}

#[cfg(target_arch = "wasm32")]
pub use browser::LocalStorageStore;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use gloo_storage::{LocalStorage, SessionStorage, Storage};

    /// One of the browser's two storage areas, through `gloo-storage`.
    #[derive(Debug, Clone, Copy)]
    enum Area {
        Local,
        Session,
    }

    impl Area {
        fn name(self) -> &'static str {
            match self {
                Area::Local => "localStorage",
                Area::Session => "sessionStorage",
            }
        }

        /// Whether the page may use the area. `gloo-storage` throws when it
        /// may not (disabled, private mode, a sandboxed frame), so every use
        /// asks first.
        fn check(self) -> Result<(), StoreError> {
            let window =
                web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
            let area = match self {
                Area::Local => window.local_storage(),
                Area::Session => window.session_storage(),
            };
            match area {
                Ok(Some(_)) => Ok(()),
                Ok(None) => Err(StoreError::Unavailable(format!(
                    "{} is disabled",
                    self.name()
                ))),
                Err(e) => Err(StoreError::Unavailable(js_message(&e))),
            }
        }

        /// The raw area: values as plain strings.
        fn raw(self) -> Result<web_sys::Storage, StoreError> {
            self.check()?;
            Ok(match self {
                Area::Local => LocalStorage::raw(),
                Area::Session => SessionStorage::raw(),
            })
        }

        /// An entry's text; missing or unreadable reads as none.
        fn get(self, key: &str) -> Option<String> {
            self.raw().ok()?.get_item(key).ok()?
        }

        fn set(self, key: &str, value: &str) -> Result<(), StoreError> {
            self.raw()?
                .set_item(key, value)
                .map_err(|e| StoreError::Unavailable(js_message(&e)))
        }

        /// Removes an entry (removing never fails for quota; a refused area
        /// holds nothing to remove).
        fn delete(self, key: &str) {
            if self.check().is_ok() {
                match self {
                    Area::Local => LocalStorage::delete(key),
                    Area::Session => SessionStorage::delete(key),
                }
            }
        }
    }

    /// [`TokenStore`] over `window.localStorage` under a configurable key,
    /// with the refresh token where [`RefreshStorage`] says.
    ///
    /// When the browser refuses storage (disabled, private mode, quota) the
    /// tokens are kept in memory for the life of the page and `save` reports
    /// the refusal, so the UI can say the token will not persist.
    #[derive(Debug)]
    pub struct LocalStorageStore {
        key: String,
        refresh: RefreshStorage,
        fallback: MemoryStore,
    }

    impl LocalStorageStore {
        /// A store for `key` (the configuration's `storageKey`), keeping a
        /// refresh token in `sessionStorage` (the default of
        /// `refreshTokenStorage`).
        pub fn new(key: impl Into<String>) -> Self {
            Self {
                key: key.into(),
                refresh: RefreshStorage::default(),
                fallback: MemoryStore::default(),
            }
        }

        /// The same store, keeping refresh tokens in `refresh`.
        pub fn with_refresh_storage(mut self, refresh: RefreshStorage) -> Self {
            self.refresh = refresh;
            self
        }

        /// The `localStorage` key of the token.
        pub fn key(&self) -> &str {
            &self.key
        }

        fn meta_key(&self) -> String {
            format!("{}.meta", self.key)
        }

        fn logins_key(&self) -> String {
            format!("{}.silentLogins", self.key)
        }

        /// The key of the refresh token's record (in either area).
        pub fn refresh_key(&self) -> String {
            format!("{}.refresh", self.key)
        }

        /// The area the refresh token lives in; `None`: memory.
        fn refresh_area(&self) -> Option<Area> {
            match self.refresh {
                RefreshStorage::Memory => None,
                RefreshStorage::Session => Some(Area::Session),
                RefreshStorage::Local => Some(Area::Local),
            }
        }

        /// When the stored token was received, if the meta entry belongs to it.
        fn received_at(&self, token: &str) -> Option<f64> {
            parse_token_meta(&Area::Local.get(&self.meta_key())?, token)
        }
    }

    impl TokenStore for LocalStorageStore {
        fn load(&self) -> Option<StoredToken> {
            let stored = Area::Local.raw().ok().and_then(|storage| {
                let token = usable_token(storage.get_item(&self.key).ok().flatten())?;
                let received_at = self.received_at(&token);
                Some(StoredToken { token, received_at })
            });
            stored.or_else(|| self.fallback.load())
        }

        fn why_unusable(&self) -> Option<String> {
            let raw = Area::Local.raw().ok()?.get_item(&self.key).ok()??;
            unusable_reason(Some(&raw))
        }

        fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
            let written = Area::Local.raw().and_then(|storage| {
                // The token itself stays a raw string: other clients of the
                // same backend read it as it is.
                storage
                    .set_item(&self.key, &token.token)
                    .map_err(|e| StoreError::Unavailable(js_message(&e)))?;
                match token.received_at {
                    Some(at) => {
                        Area::Local.set(&self.meta_key(), &format_token_meta(at, &token.token))
                    }
                    None => {
                        Area::Local.delete(&self.meta_key());
                        Ok(())
                    }
                }
            });
            // Memory holds the token only while storage refuses it, so a
            // logout in another tab (which removes the key) is not undone
            // by a stale copy here.
            match &written {
                Ok(()) => {
                    self.fallback.value.borrow_mut().take();
                    self.fallback.received_at.borrow_mut().take();
                    self.fallback.silent_logins.borrow_mut().clear();
                }
                Err(_) => self.fallback.save(token)?,
            }
            written
        }

        fn clear(&self) {
            self.fallback.clear();
            Area::Local.delete(&self.key);
            Area::Local.delete(&self.meta_key());
            Area::Local.delete(&self.logins_key());
            // Wherever a refresh token may be kept, whatever the setting
            // said when it was stored.
            Area::Local.delete(&self.refresh_key());
            Area::Session.delete(&self.refresh_key());
        }

        fn silent_logins(&self) -> Vec<f64> {
            match Area::Local
                .raw()
                .map(|storage| storage.get_item(&self.logins_key()))
            {
                Ok(Ok(raw)) => raw.map(|raw| parse_silent_logins(&raw)).unwrap_or_default(),
                // Storage refused: this tab's own log, kept in memory.
                _ => self.fallback.silent_logins(),
            }
        }

        fn set_silent_logins(&self, at: &[f64]) {
            let written = Area::Local.raw().and_then(|storage| {
                let key = self.logins_key();
                // An empty log leaves nothing behind in storage.
                if at.is_empty() {
                    storage.remove_item(&key)
                } else {
                    storage.set_item(&key, &format_silent_logins(at))
                }
                .map_err(|e| StoreError::Unavailable(js_message(&e)))
            });
            // Where storage refuses, the budget is this tab's alone, but it
            // still holds: memory keeps the log.
            self.fallback
                .set_silent_logins(if written.is_ok() { &[] } else { at });
        }

        fn refresh_token(&self) -> Option<KeptRefresh> {
            let stored = self.refresh_area().and_then(|area| {
                area.get(&self.refresh_key())
                    .and_then(|raw| parse_refresh_record(&raw))
            });
            stored
                .or_else(|| self.fallback.refresh_token())
                .filter(|kept| !kept.token.trim().is_empty())
        }

        fn set_refresh_token(&self, token: Option<&KeptRefresh>) -> Result<(), StoreError> {
            let key = self.refresh_key();
            let Some(area) = self.refresh_area() else {
                return self.fallback.set_refresh_token(token);
            };
            let written = match token {
                Some(kept) => area.set(&key, &format_refresh_record(kept)),
                None => {
                    area.delete(&key);
                    Ok(())
                }
            };
            if written.is_err() {
                // Never leave a spent refresh token behind in storage.
                area.delete(&key);
            }
            self.fallback
                .set_refresh_token(if written.is_ok() { None } else { token })?;
            written
        }
    }

    fn js_message(value: &wasm_bindgen::JsValue) -> String {
        use wasm_bindgen::JsCast;
        value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "the browser gave no reason".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_accidental_values_read_as_no_token() {
        for raw in [
            "",
            "  ",
            "null",
            "undefined",
            "true",
            " false ",
            "{\"token\":\"x\"}",
            "\"quoted\"",
            "two words",
        ] {
            assert_eq!(MemoryStore::with_raw(raw).load(), None, "{raw:?}");
        }
        assert_eq!(
            MemoryStore::with_raw(" abc.def ").load(),
            Some(StoredToken::new("abc.def", None))
        );
    }

    #[test]
    fn a_token_too_long_for_any_server_reads_as_none_and_says_why() {
        let longest = "t".repeat(MAX_TOKEN_BYTES);
        let store = MemoryStore::with_raw(&longest);
        assert_eq!(store.load(), Some(StoredToken::new(longest, None)));
        assert_eq!(store.why_unusable(), None);

        let store = MemoryStore::with_raw(&format!(" {} ", "t".repeat(20_000)));
        assert_eq!(store.load(), None, "never sent");
        assert_eq!(
            store.why_unusable().as_deref(),
            Some(
                "The stored token is too long for a server to accept (20000 bytes, more than \
                 8000), so it was not sent. Log in again."
            )
        );
        let shared = std::rc::Rc::new(store);
        assert_eq!(shared.why_unusable(), shared.as_ref().why_unusable());
        assert!(shared.why_unusable().is_some());
    }

    #[test]
    fn leftovers_and_usable_tokens_need_no_explanation() {
        for raw in ["null", "", "two words", "{}", "abc.def"] {
            assert_eq!(MemoryStore::with_raw(raw).why_unusable(), None, "{raw:?}");
        }
        assert_eq!(MemoryStore::default().why_unusable(), None);
    }

    #[test]
    fn a_store_that_cannot_tell_why_gives_no_reason() {
        struct Silent;
        impl TokenStore for Silent {
            fn load(&self) -> Option<StoredToken> {
                None
            }
            fn save(&self, _: &StoredToken) -> Result<(), StoreError> {
                Ok(())
            }
            fn clear(&self) {}
            fn silent_logins(&self) -> Vec<f64> {
                Vec::new()
            }
            fn set_silent_logins(&self, _: &[f64]) {}
        }
        assert_eq!(Silent.load(), None);
        assert!(Silent.save(&StoredToken::new("t", None)).is_ok());
        Silent.clear();
        assert_eq!(
            Silent.why_unusable(),
            None,
            "the form then says only to log in"
        );
        assert_eq!(
            Silent.set_refresh_token(Some(&KeptRefresh::new("r1", "t1"))),
            Ok(()),
            "a store without a place for refresh tokens keeps none, silently"
        );
        assert_eq!(Silent.refresh_token(), None);
    }

    #[test]
    fn clones_of_an_rc_share_one_store() {
        let tab_a = std::rc::Rc::new(MemoryStore::default());
        let tab_b = tab_a.clone();
        tab_a.save(&StoredToken::new("t1", Some(5.0))).unwrap();
        assert_eq!(tab_b.load(), Some(StoredToken::new("t1", Some(5.0))));
        tab_b.clear();
        assert_eq!(tab_a.load(), None);
    }

    #[test]
    fn stored_login_times_read_back_and_anything_else_reads_as_none() {
        let times = [1_000.0, 2_500.5, 1.7e12];
        assert_eq!(parse_silent_logins(&format_silent_logins(&times)), times);
        for raw in ["", "null", "{}", "[\"a\"]", "not json", "3"] {
            assert_eq!(parse_silent_logins(raw), Vec::<f64>::new(), "{raw:?}");
        }
        assert_eq!(
            parse_silent_logins("[1, \"x\", 2]"),
            [1.0, 2.0],
            "numbers kept"
        );
        let many: Vec<f64> = (0..100).map(f64::from).collect();
        let kept = parse_silent_logins(&format_silent_logins(&many));
        assert_eq!(kept.len(), MAX_LOGGED_LOGINS);
        assert_eq!(kept.last(), Some(&99.0), "the latest are kept");
    }

    #[test]
    fn when_a_token_arrived_reads_back_for_that_token_only() {
        let token = "eyJhbGciOiJIUzI1NiJ9.e30.signature-one";
        let meta = format_token_meta(1.7e12 + 0.5, token);
        assert_eq!(
            meta, r#"{"receivedAt":1700000000000.5,"tail":"ignature-one"}"#,
            "the fields the early request script in index.html reads"
        );
        assert_eq!(parse_token_meta(&meta, token), Some(1.7e12 + 0.5));
        assert_eq!(
            parse_token_meta(&meta, "eyJhbGciOiJIUzI1NiJ9.e30.signature-two"),
            None,
            "another token's entry"
        );
        assert_eq!(
            parse_token_meta(r#"{"tail":"t1","receivedAt":5,"more":[]}"#, "t1"),
            Some(5.0),
            "any field order, an integer, other fields"
        );
        for raw in [
            "",
            "null",
            "[]",
            "not json",
            r#"{"tail":"t1"}"#,
            r#"{"receivedAt":5}"#,
            r#"{"receivedAt":"5","tail":"t1"}"#,
            r#"{"receivedAt":5,"tail":1}"#,
        ] {
            assert_eq!(parse_token_meta(raw, "t1"), None, "{raw:?}");
        }
    }

    #[test]
    fn a_kept_refresh_token_reads_back_and_anything_else_reads_as_none() {
        let kept = KeptRefresh::new("r\"1", "access1");
        let record = format_refresh_record(&kept);
        assert_eq!(record, r#"{"token":"r\"1","for":"access1"}"#);
        assert_eq!(parse_refresh_record(&record), Some(kept));
        for raw in [
            "",
            "null",
            "\"r1\"",
            r#"{"token":"r1"}"#,
            r#"{"for":"access1"}"#,
            r#"{"token":null,"for":"access1"}"#,
        ] {
            assert_eq!(parse_refresh_record(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn tabs_on_one_store_share_one_log_of_silent_logins() {
        let tab_a = std::rc::Rc::new(MemoryStore::default());
        let tab_b = tab_a.clone();
        tab_a.set_silent_logins(&[1.0, 2.0]);
        assert_eq!(tab_b.silent_logins(), [1.0, 2.0]);
        tab_b.clear();
        assert_eq!(
            tab_a.silent_logins(),
            Vec::<f64>::new(),
            "logging out leaves nothing (the next login through the form starts a fresh budget)"
        );
    }

    #[test]
    fn a_refresh_token_is_replaced_forgotten_and_cleared_with_the_token() {
        let shared = std::rc::Rc::new(MemoryStore::default());
        assert_eq!(shared.refresh_token(), None);
        shared
            .set_refresh_token(Some(&KeptRefresh::new("r1", "t1")))
            .unwrap();
        shared
            .set_refresh_token(Some(&KeptRefresh::new("r2", "t2")))
            .unwrap();
        assert_eq!(shared.refresh_token(), Some(KeptRefresh::new("r2", "t2")));
        shared.set_refresh_token(None).unwrap();
        assert_eq!(shared.refresh_token(), None);
        shared
            .set_refresh_token(Some(&KeptRefresh::new("r3", "t1")))
            .unwrap();
        shared.save(&StoredToken::new("t1", None)).unwrap();
        shared.clear();
        assert_eq!(shared.refresh_token(), None, "logging out forgets it");
    }

    #[test]
    fn a_refresh_token_goes_with_the_token_it_came_with_only() {
        let kept = KeptRefresh::new("r1", "eyJhbGciOiJIUzI1NiJ9.e30.signature-one");
        assert_eq!(kept.with, "ignature-one", "the last 12 characters");
        assert!(kept.goes_with("eyJhbGciOiJIUzI1NiJ9.e30.signature-one"));
        assert!(!kept.goes_with("eyJhbGciOiJIUzI1NiJ9.e30.signature-two"));
        assert!(
            KeptRefresh::new("r", "t1").goes_with("t1"),
            "short tokens whole"
        );
        assert!(!KeptRefresh::new("r", "t1").goes_with("xt1"));
    }

    #[test]
    fn save_then_clear() {
        let store = MemoryStore::default();
        store.save(&StoredToken::new("t1", Some(5.0))).unwrap();
        assert_eq!(store.load(), Some(StoredToken::new("t1", Some(5.0))));
        store.clear();
        assert_eq!(store.raw(), None);
    }
}
