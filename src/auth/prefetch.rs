//! The first data request, sent early: `index.html` carries a small inline
//! script that starts the request the client would send first while the
//! wasm is still downloading, and the browser [`Transport`](super::Transport) takes that
//! exchange over as its first one.
//!
//! The script reads the same configuration block and the same stored token,
//! and sends only what the client would send: `GET` of the configured data
//! URL with `Authorization: Bearer <token>`, aborted after the configured
//! request timeout. It sends nothing for a configuration the app rejects,
//! for no token or one the token rule refuses, for a token known to be
//! expired, or for a data URL the bearer may not go to; when in doubt it
//! sends nothing and the client sends the request itself. It leaves the
//! exchange on `window.tokengridPrefetch`: `{ url, authorization, response
//! (the fetch promise), body (the body's bytes as it reads them, an array of
//! `Uint8Array` chunks, or `false` when
//! the answer is larger than `maxResponseBytes`; given once the first page
//! the script draws from it, if it draws one, has been shown), controller (its
//! AbortController), failed }`. It reads the body by the transport's limit
//! rule ([`BodyLimit`](super::transport::BodyLimit)), so an answer over the
//! limit fails the same way whoever read it.
//!
//! The client does not know: the first request the transport sends takes the
//! exchange off the window. When method, URL and `Authorization` match and the
//! fetch has not already failed, the request awaits the prefetched response
//! instead of a new fetch, and its timeout and abort act on the prefetch's
//! controller; otherwise the prefetch is aborted and forgotten. So the
//! timeline, the request counters, the 401 → login → replay path and every
//! bound see one request, as without the script.
//!
//! The rules of the script and the client's own rules are held together by
//! one list of cases, `tests/prefetch_cases.json`: the native test below
//! runs the client over each case; `e2e/prefetch_rules.test.mjs` runs the
//! script from `index.html` over the same cases. Its `bodies` hold the body
//! read the same way: the native test runs [`BodyLimit`](super::transport::BodyLimit)
//! over them, `e2e/response_limit.test.mjs` the script's read.
//!
//! This module also marks `tokengrid:data-sent` for a data request the
//! client sends itself (no prefetch), and `tokengrid:data-received` once,
//! when the first data answer's body has arrived. Data requests are the ones
//! that carry the bearer: the login and the form's hint never do.

#[cfg(target_arch = "wasm32")]
pub(crate) use browser::{DataMarks, adopt};

#[cfg(target_arch = "wasm32")]
mod browser {
    use crate::auth::transport::{HttpRequest, Method};
    use crate::perf;
    use std::cell::Cell;
    use wasm_bindgen::{JsCast, JsValue};

    /// The window property the inline script leaves its exchange on.
    const PROPERTY: &str = "tokengridPrefetch";

    thread_local! {
        /// Whether `tokengrid:data-sent` is marked (by the script or here).
        static SENT_MARKED: Cell<bool> = const { Cell::new(false) };
        /// Whether `tokengrid:data-received` is marked.
        static RECEIVED_MARKED: Cell<bool> = const { Cell::new(false) };
    }

    /// A prefetched exchange the request takes over.
    pub(crate) struct Adopted {
        /// The `fetch` promise.
        pub response: js_sys::Promise,
        /// The body's bytes (an array of `Uint8Array` chunks), when the
        /// script read them as they arrived (then the response's body is
        /// already used), or `false` when it was larger than the limit.
        pub body: Option<js_sys::Promise>,
        /// Its controller: the request's timeout and abort fire it.
        pub controller: web_sys::AbortController,
    }

    /// The prefetched exchange when it is this request's, else `None` (a
    /// prefetch that does not match is aborted). The exchange is removed from
    /// the window either way, so only the first request sees it.
    pub(crate) fn adopt(request: &HttpRequest) -> Option<Adopted> {
        let window = web_sys::window()?;
        let key = JsValue::from_str(PROPERTY);
        let sent = js_sys::Reflect::get(&window, &key).ok()?;
        if !sent.is_object() {
            return None;
        }
        let _ = js_sys::Reflect::delete_property(&window, &key);
        // The script marked `data-sent` for it.
        SENT_MARKED.set(true);
        let field = |name: &str| js_sys::Reflect::get(&sent, &JsValue::from_str(name)).ok();
        let controller: web_sys::AbortController = field("controller")?.dyn_into().ok()?;
        let response = field("response").and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        let matches = request.method == Method::Get
            && field("url").and_then(|u| u.as_string()).as_deref() == Some(request.url.as_str())
            && field("authorization")
                .and_then(|a| a.as_string())
                .as_deref()
                == request.header("Authorization")
            && field("failed").and_then(|f| f.as_bool()) == Some(false);
        let body = field("body").and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
        match response {
            Some(response) if matches => Some(Adopted {
                response,
                body,
                controller,
            }),
            _ => {
                controller.abort();
                None
            }
        }
    }

    /// The performance marks of one request, when it is a data request.
    pub(crate) struct DataMarks {
        data: bool,
    }

    impl DataMarks {
        /// The request is about to leave (itself, or taken over from the
        /// prefetch, which marked its own sending).
        pub(crate) fn sending(request: &HttpRequest) -> Self {
            let data = request.header("Authorization").is_some();
            if data && !SENT_MARKED.replace(true) {
                perf::mark(perf::DATA_SENT);
            }
            Self { data }
        }

        /// Its answer's body has arrived.
        pub(crate) fn received(&self) {
            if self.data && !RECEIVED_MARKED.replace(true) {
                perf::mark(perf::DATA_RECEIVED);
            }
        }
    }
}

#[cfg(test)]
mod tests;
