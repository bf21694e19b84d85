//! Where the token persists: the [`TokenStore`] trait, an in-memory store
//! for tests, and the browser's `localStorage` ([`LocalStorageStore`],
//! wasm32 only).
//!
//! Only the token is ever stored — never credentials. The value is stored
//! as the raw token string (not JSON-encoded), so other scripts that read
//! `localStorage.authToken` see the token itself, as the tutorial's
//! persistent variable does.

use super::token::is_bearer_token;
use std::cell::RefCell;

/// Why the store could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Storage is missing or refused (private mode, disabled, quota).
    #[error("the browser refused to store the token ({0}); it is kept for this page only")]
    Unavailable(String),
}

/// Persists one token.
pub trait TokenStore {
    /// The stored token, if there is a usable one. Values that are not a
    /// bearer token (empty, white space, JSON such as `null` or `{}`) read as
    /// no token.
    fn load(&self) -> Option<String>;
    /// Stores `token`, replacing any other.
    fn save(&self, token: &str) -> Result<(), StoreError>;
    /// Removes the token.
    fn clear(&self);
}

/// Interprets a raw stored value: a usable bearer token or nothing.
pub fn usable_token(raw: Option<String>) -> Option<String> {
    let raw = raw?;
    let token = raw.trim();
    // `null`, `undefined`, `true`, `false` are b64tokens by the grammar but
    // are what scripts leave behind when they store a missing value.
    let accidental = matches!(token, "null" | "undefined" | "true" | "false");
    (is_bearer_token(token) && !accidental).then(|| token.to_owned())
}

/// A store that lives only as long as the value: for tests and as the
/// fallback when the browser refuses storage.
#[derive(Debug, Default)]
pub struct MemoryStore {
    value: RefCell<Option<String>>,
}

impl MemoryStore {
    /// A store holding `raw` as if it had been written by someone else.
    pub fn with_raw(raw: &str) -> Self {
        Self {
            value: RefCell::new(Some(raw.to_owned())),
        }
    }

    /// The raw stored value, unfiltered.
    pub fn raw(&self) -> Option<String> {
        self.value.borrow().clone()
    }
}

impl TokenStore for MemoryStore {
    fn load(&self) -> Option<String> {
        usable_token(self.raw())
    }

    fn save(&self, token: &str) -> Result<(), StoreError> {
        *self.value.borrow_mut() = Some(token.to_owned());
        Ok(())
    }

    fn clear(&self) {
        self.value.borrow_mut().take();
    }
}

impl<S: TokenStore + ?Sized> TokenStore for std::rc::Rc<S> {
    fn load(&self) -> Option<String> {
        (**self).load()
    }
    fn save(&self, token: &str) -> Result<(), StoreError> {
        (**self).save(token)
    }
    fn clear(&self) {
        (**self).clear()
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::LocalStorageStore;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;

    /// [`TokenStore`] over `window.localStorage` under a configurable key.
    ///
    /// When the browser refuses storage (disabled, private mode, quota) the
    /// token is kept in memory for the life of the page and `save` reports
    /// the refusal, so the UI can say the token will not persist.
    #[derive(Debug)]
    pub struct LocalStorageStore {
        key: String,
        fallback: MemoryStore,
    }

    impl LocalStorageStore {
        /// A store for `key` (the configuration's `storageKey`).
        pub fn new(key: impl Into<String>) -> Self {
            Self {
                key: key.into(),
                fallback: MemoryStore::default(),
            }
        }

        fn storage() -> Result<web_sys::Storage, StoreError> {
            let window =
                web_sys::window().ok_or_else(|| StoreError::Unavailable("no window".into()))?;
            window
                .local_storage()
                .map_err(|e| StoreError::Unavailable(js_message(&e)))?
                .ok_or_else(|| StoreError::Unavailable("localStorage is disabled".into()))
        }
    }

    impl TokenStore for LocalStorageStore {
        fn load(&self) -> Option<String> {
            let stored = Self::storage()
                .and_then(|s| {
                    s.get_item(&self.key)
                        .map_err(|e| StoreError::Unavailable(js_message(&e)))
                })
                .ok()
                .flatten();
            usable_token(stored).or_else(|| self.fallback.load())
        }

        fn save(&self, token: &str) -> Result<(), StoreError> {
            let written = Self::storage().and_then(|s| {
                s.set_item(&self.key, token)
                    .map_err(|e| StoreError::Unavailable(js_message(&e)))
            });
            // Memory holds the token only while storage refuses it, so a
            // logout in another tab (which removes the key) is not undone
            // by a stale copy here.
            match &written {
                Ok(()) => self.fallback.clear(),
                Err(_) => self.fallback.save(token)?,
            }
            written
        }

        fn clear(&self) {
            self.fallback.clear();
            if let Ok(storage) = Self::storage() {
                // Removing cannot fail for quota; a refusal leaves nothing to undo.
                let _ = storage.remove_item(&self.key);
            }
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
            "{\"token\":\"x\"}",
            "\"quoted\"",
            "two words",
        ] {
            assert_eq!(MemoryStore::with_raw(raw).load(), None, "{raw:?}");
        }
        assert_eq!(
            MemoryStore::with_raw(" abc.def ").load().as_deref(),
            Some("abc.def")
        );
    }

    #[test]
    fn save_then_clear() {
        let store = MemoryStore::default();
        store.save("t1").unwrap();
        assert_eq!(store.load().as_deref(), Some("t1"));
        store.clear();
        assert_eq!(store.raw(), None);
    }
}
