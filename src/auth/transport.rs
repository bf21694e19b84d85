//! The HTTP seam: plain request/response values and the [`Transport`] trait.
//!
//! The client only ever sees these types, so tests script a transport in a
//! few lines and the browser implementation ([`FetchTransport`], wasm32
//! only) stays a thin adapter over `fetch`.
//!
//! No answer is read past its request's limit (`maxResponseBytes`): the rule
//! is [`BodyLimit`], pure and tested natively; `index.html`'s early script
//! applies the same rule to the request it sends.

use std::fmt;

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the request cannot do more than sending it once
    /// (RFC 9110 §9.2.2): GET, HEAD, PUT and DELETE.
    pub fn is_idempotent(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Put | Method::Delete
        )
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request as the client builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// The URL, absolute or relative to the page.
    pub url: String,
    /// Header name/value pairs, in order.
    pub headers: Vec<(String, String)>,
    /// A body, if any; a replay sends the same body.
    pub body: Option<String>,
    /// Give up after this many milliseconds (`None`: the client's default).
    pub timeout_ms: Option<u32>,
    /// The caller vouches that repeating this POST/PATCH is safe (for
    /// example, it carries an idempotency key), so it may be replayed after
    /// a token renewal.
    pub idempotent: bool,
    /// The caller forbids the replay after a renewal whatever the method:
    /// its budget of requests has one left (see `crate::retry`).
    pub single_shot: bool,
    /// Read at most this many bytes of the answer's body (`None`: the
    /// client's `maxResponseBytes`; sent without a client,
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub max_response_bytes: Option<u64>,
}

impl HttpRequest {
    /// A request without headers or body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            timeout_ms: None,
            idempotent: false,
            single_shot: false,
            max_response_bytes: None,
        }
    }

    /// A `GET`.
    pub fn get(url: impl Into<String>) -> Self {
        Self::new(Method::Get, url)
    }

    /// A request with a JSON body.
    pub fn json(method: Method, url: impl Into<String>, body: &serde_json::Value) -> Self {
        let mut request = Self::new(method, url);
        request
            .headers
            .push(("Content-Type".into(), "application/json".into()));
        request.body = Some(body.to_string());
        request
    }

    /// A `POST` with a JSON body.
    pub fn post_json(url: impl Into<String>, body: &serde_json::Value) -> Self {
        Self::json(Method::Post, url, body)
    }

    /// Marks a POST/PATCH as safe to repeat after a token renewal.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Forbids the replay after a 401 and renewal: this request is sent
    /// once at most, whatever its method.
    pub fn single_shot(mut self) -> Self {
        self.single_shot = true;
        self
    }

    /// Whether the client may repeat this request after a 401 and renewal:
    /// GET, HEAD, PUT and DELETE always; POST and PATCH only when marked;
    /// never a [`single_shot`](Self::single_shot) request.
    pub fn may_replay(&self) -> bool {
        !self.single_shot && (self.method.is_idempotent() || self.idempotent)
    }

    /// The value of header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// This request with header `name` set to `value`, replacing any earlier value.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// This request without header `name`.
    pub fn without_header(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }
}

/// A response: status, headers and the whole body as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header name/value pairs.
    pub headers: Vec<(String, String)>,
    /// The body, decoded as UTF-8 text.
    pub body: String,
}

impl HttpResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a request got no HTTP response at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The network or the browser refused: server down, DNS, CORS, offline.
    #[error("{0}")]
    Network(String),
    /// No answer within the request's timeout.
    #[error("no answer within {0} ms")]
    Timeout(u32),
    /// The answer is larger than the request's limit, in bytes: its body
    /// was not read further and the request was aborted.
    #[error("the answer is larger than {}", size_text(*.0))]
    TooLarge(u64),
}

/// The most bytes of an answer read when neither the request nor a client
/// says otherwise: 32 MiB, the default of the `maxResponseBytes` setting.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 << 20;

/// A body's bytes as text, as `Response.text()` decodes them (the WHATWG
/// UTF-8 decode): a leading byte order mark dropped, each invalid sequence
/// replaced by one U+FFFD — Rust's lossy decoding replaces the same maximal
/// subparts the Encoding Standard does.
pub fn utf8_text(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes)
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
}

/// A number of bytes as people read it: `32 MiB`, `4 KiB`, or the bytes
/// themselves with the nearest tenth of a unit (`1500 bytes (1.5 KiB)`).
pub fn size_text(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    let (unit, name) = match bytes {
        b if b >= MIB => (MIB, "MiB"),
        b if b >= KIB => (KIB, "KiB"),
        b => return format!("{b} bytes"),
    };
    if bytes.is_multiple_of(unit) {
        return format!("{} {name}", bytes / unit);
    }
    // Tenths, rounded half up, in integers (no float formatting code).
    let tenths = bytes / unit * 10 + (bytes % unit * 10 + unit / 2) / unit;
    format!("{bytes} bytes ({}.{} {name})", tenths / 10, tenths % 10)
}

/// The limit rule for one answer's body: refuse it unread when its
/// `Content-Length` says it is larger than the limit, else count the bytes
/// as they arrive and stop as soon as the count passes the limit (a missing
/// or lying length, a chunked or compressed answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimit {
    limit: u64,
    read: u64,
}

impl BodyLimit {
    /// Nothing read yet; at most `limit` bytes may be.
    pub fn new(limit: u64) -> Self {
        Self { limit, read: 0 }
    }

    /// Before reading: whether the answer's `Content-Length` header (as
    /// `fetch` shows it) lets the body be read. A length that is not a plain
    /// number (absent, `"12, 12"`, `"-1"`, `" 12"`) says nothing, and the
    /// count decides; digits too many for a `u64` are over any limit.
    pub fn admit(&self, content_length: Option<&str>) -> Result<(), TransportError> {
        match content_length {
            Some(digits)
                if !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
                    && digits.parse::<u64>().map_or(true, |n| n > self.limit) =>
            {
                Err(TransportError::TooLarge(self.limit))
            }
            _ => Ok(()),
        }
    }

    /// After a chunk of `bytes` bytes arrived: whether reading may go on.
    pub fn count(&mut self, bytes: u64) -> Result<(), TransportError> {
        self.read = self.read.saturating_add(bytes);
        if self.read > self.limit {
            Err(TransportError::TooLarge(self.limit))
        } else {
            Ok(())
        }
    }
}

/// Sends one HTTP request and returns the response, its whole body read —
/// or [`TransportError::TooLarge`] when the body is larger than the
/// request's limit.
///
/// Futures are not `Send`: in the browser they run on the single JS thread.
/// Dropping the future cancels the request (the browser implementation
/// aborts the `fetch`).
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends `request`. Any HTTP status is a successful send.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<T: Transport + ?Sized> Transport for std::rc::Rc<T> {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(request).await
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::FetchTransport;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use crate::auth::env::{BrowserEnvironment, Environment};
    use crate::auth::prefetch;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    /// [`Transport`] over the browser's `fetch` (web-sys), with an
    /// `AbortController` per request: it fires on timeout, and when the
    /// request's future is dropped (the view went away, a newer load
    /// superseded it), so no abandoned request keeps running.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct FetchTransport;

    /// Aborts the fetch and clears the timer unless disarmed.
    struct AbortOnDrop {
        controller: web_sys::AbortController,
        timer: Option<i32>,
        _on_timeout: Option<Closure<dyn FnMut()>>,
    }

    impl Drop for AbortOnDrop {
        fn drop(&mut self) {
            if let (Some(timer), Some(window)) = (self.timer, web_sys::window()) {
                window.clear_timeout_with_handle(timer);
            }
            // Aborting a finished fetch does nothing.
            self.controller.abort();
        }
    }

    impl Transport for FetchTransport {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            // The first request may take over the exchange `index.html` started early.
            let adopted = prefetch::adopt(&request);
            let marks = prefetch::DataMarks::sending(&request);
            let controller = match &adopted {
                Some(adopted) => adopted.controller.clone(),
                None => web_sys::AbortController::new().map_err(|_| {
                    TransportError::Network("AbortController is unavailable".into())
                })?,
            };
            let mut guard = AbortOnDrop {
                controller,
                timer: None,
                _on_timeout: None,
            };
            if let (Some(ms), Some(window)) = (request.timeout_ms, web_sys::window()) {
                let controller = guard.controller.clone();
                let on_timeout = Closure::<dyn FnMut()>::new(move || controller.abort());
                guard.timer = window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        on_timeout.as_ref().unchecked_ref(),
                        i32::try_from(ms).unwrap_or(i32::MAX),
                    )
                    .ok();
                guard._on_timeout = Some(on_timeout);
            }
            let signal = guard.controller.signal();
            // A rejected fetch or body read: the timeout's abort, or the
            // network (the error's own text, e.g. "TypeError: Failed to fetch").
            let timed_out = |signal: &web_sys::AbortSignal, e: JsValue| match request.timeout_ms {
                Some(ms) if signal.aborted() => TransportError::Timeout(ms),
                _ => TransportError::Network(js_error(e)),
            };
            let mut read_early = None;
            let sent = match adopted {
                Some(adopted) => {
                    read_early = adopted.body;
                    adopted.response
                }
                None => {
                    let init = web_sys::RequestInit::new();
                    init.set_method(request.method.as_str());
                    let headers: js_sys::Array = request
                        .headers
                        .iter()
                        .map(|(name, value)| js_sys::Array::of2(&name.into(), &value.into()))
                        .collect();
                    init.set_headers(&headers);
                    if let Some(body) = &request.body {
                        init.set_body(&body.into());
                    }
                    init.set_signal(Some(&signal));
                    let window = web_sys::window()
                        .ok_or_else(|| TransportError::Network("no window".into()))?;
                    window.fetch_with_str_and_init(&request.url, &init)
                }
            };
            let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(sent)
                .await
                .map_err(|e| timed_out(&signal, e))?
                .unchecked_into();
            let status = response.status();
            let headers = header_pairs(&response.headers());
            let limit = request
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
            let body = match read_early {
                // The early script applied the same limit: `false` when the
                // answer was larger (it aborted the request).
                Some(read) => match wasm_bindgen_futures::JsFuture::from(read).await {
                    Ok(chunks) => match chunks.dyn_into::<js_sys::Array>() {
                        Ok(chunks) => Ok(utf8_text(joined(&chunks).await)),
                        Err(_) => Err(TransportError::TooLarge(limit)),
                    },
                    Err(e) => Err(timed_out(&signal, e)),
                },
                None => read_text(&response, limit, |e| timed_out(&signal, e)).await,
            }?;
            marks.received();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        }
    }

    /// How many bytes of a body are read in one task at most (about 1 MiB;
    /// chunks are not split).
    const PAUSE_EVERY_BYTES: u32 = 1 << 20;

    /// The body as text (UTF-8, as `Response.text()` decodes it), read
    /// chunk by chunk and counted against `limit`: nothing is read when the
    /// `Content-Length` is over it, and reading stops at the first chunk
    /// that passes it (the caller's guard then aborts the request). A
    /// stream that fails (aborted by the timeout, the network) is `failed`.
    async fn read_text(
        response: &web_sys::Response,
        limit: u64,
        failed: impl Fn(JsValue) -> TransportError,
    ) -> Result<String, TransportError> {
        let mut budget = BodyLimit::new(limit);
        let length = response.headers().get("content-length").ok().flatten();
        budget.admit(length.as_deref())?;
        let Some(stream) = response.body() else {
            return Ok(String::new());
        };
        let reader: js::Reader = stream.get_reader().unchecked_into();
        let mut bytes = Vec::new();
        let mut since_pause = 0;
        loop {
            let step: js::Step = wasm_bindgen_futures::JsFuture::from(reader.read())
                .await
                .map_err(&failed)?
                .unchecked_into();
            if step.done() {
                return Ok(utf8_text(bytes));
            }
            let chunk = step.value();
            let length = chunk.length();
            budget.count(u64::from(length))?;
            // Copied as bytes (a memory copy) and decoded once at the end:
            // turning each chunk into a JS string and then into Rust text
            // cost a JS loop over every character.
            append(&mut bytes, &chunk);
            // Chunks already received resolve one after another without
            // leaving the task: let the page run between megabytes.
            since_pause += length;
            if since_pause >= PAUSE_EVERY_BYTES {
                since_pause = 0;
                BrowserEnvironment.sleep(0).await;
            }
        }
    }

    /// The bytes of `chunks` (`Uint8Array`s), one after another, copied
    /// about a megabyte per task (30 MiB in one task took 100–160 ms).
    async fn joined(chunks: &js_sys::Array) -> Vec<u8> {
        let length =
            |chunk: &wasm_bindgen::JsValue| chunk.unchecked_ref::<js_sys::Uint8Array>().length();
        let total: u32 = chunks.iter().map(|c| length(&c)).sum();
        let mut bytes = Vec::with_capacity(total as usize);
        let mut since_pause = 0;
        for chunk in chunks.iter() {
            append(&mut bytes, chunk.unchecked_ref());
            since_pause += length(&chunk);
            if since_pause >= PAUSE_EVERY_BYTES {
                since_pause = 0;
                BrowserEnvironment.sleep(0).await;
            }
        }
        bytes
    }

    /// Appends `chunk`'s bytes to `bytes`: a memory copy, whatever its size.
    fn append(bytes: &mut Vec<u8>, chunk: &js_sys::Uint8Array) {
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
    }

    /// The browser interfaces the body read needs, bound by hand (a few
    /// lines, where the `web-sys` features would bring more).
    mod js {
        use wasm_bindgen::prelude::wasm_bindgen;

        #[wasm_bindgen]
        extern "C" {
            /// A `ReadableStreamDefaultReader`.
            pub type Reader;
            /// The next chunk: a [`Step`].
            #[wasm_bindgen(method)]
            pub fn read(this: &Reader) -> js_sys::Promise;

            /// A read's result: `{done, value}`.
            pub type Step;
            /// Whether the stream has ended.
            #[wasm_bindgen(method, getter)]
            pub fn done(this: &Step) -> bool;
            /// The chunk's bytes, when not done.
            #[wasm_bindgen(method, getter)]
            pub fn value(this: &Step) -> js_sys::Uint8Array;
        }
    }

    /// The name/value pairs of `headers`, as the browser lists them
    /// (lower-case names, repeated ones joined).
    fn header_pairs(headers: &web_sys::Headers) -> Vec<(String, String)> {
        let Ok(Some(entries)) = js_sys::try_iter(headers) else {
            return Vec::new();
        };
        entries
            .filter_map(|entry| {
                let pair: js_sys::Array = entry.ok()?.unchecked_into();
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect()
    }

    /// A rejection's text: an error's `toString()` ("TypeError: Failed to
    /// fetch"), or the rejected value when it is a string.
    fn js_error(value: JsValue) -> String {
        match value.dyn_ref::<js_sys::Error>() {
            Some(error) => String::from(error.to_string()),
            None => value.as_string().unwrap_or_else(|| "fetch failed".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_decode_as_response_text_does() {
        assert_eq!(
            utf8_text(b"\xEF\xBB\xBF[1]".to_vec()),
            "[1]",
            "the BOM is dropped"
        );
        assert_eq!(
            utf8_text(b"[\xEF\xBB\xBF]".to_vec()),
            "[\u{FEFF}]",
            "only a leading one"
        );
        assert_eq!(utf8_text("é😀".as_bytes().to_vec()), "é😀");
        assert_eq!(
            utf8_text(b"a\xC3b\xF0\x9F\x98c\xFF".to_vec()),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}",
            "one replacement per maximal invalid subpart"
        );
        assert_eq!(
            utf8_text(b"\xED\xA0\x80".to_vec()),
            "\u{FFFD}\u{FFFD}\u{FFFD}",
            "a surrogate's bytes are three invalid subparts, as in the Encoding Standard"
        );
    }

    #[test]
    fn sizes_read_in_the_largest_whole_unit_or_in_bytes_with_a_tenth() {
        assert_eq!(size_text(32 << 20), "32 MiB");
        assert_eq!(size_text(256 << 20), "256 MiB");
        assert_eq!(size_text(1024), "1 KiB");
        assert_eq!(size_text(4096), "4 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
        assert_eq!(size_text(1500), "1500 bytes (1.5 KiB)");
        assert_eq!(size_text(1535), "1535 bytes (1.5 KiB)");
        assert_eq!(size_text(2047), "2047 bytes (2.0 KiB)");
        assert_eq!(size_text((1 << 20) + 1), "1048577 bytes (1.0 MiB)");
        assert_eq!(size_text(50_000_000), "50000000 bytes (47.7 MiB)");
        assert!(
            size_text(u64::MAX).ends_with(" bytes (17592186044416.0 MiB)"),
            "no overflow"
        );
        assert_eq!(
            TransportError::TooLarge(32 << 20).to_string(),
            "the answer is larger than 32 MiB"
        );
    }

    #[test]
    fn a_content_length_over_the_limit_refuses_the_body_unread() {
        let limit = BodyLimit::new(1024);
        let over = Err(TransportError::TooLarge(1024));
        assert_eq!(limit.admit(Some("1025")), over);
        assert_eq!(limit.admit(Some("18446744073709551616")), over, "past u64");
        assert_eq!(limit.admit(Some("1024")), Ok(()));
        assert_eq!(limit.admit(Some("0")), Ok(()));
        for unreadable in ["", "abc", "-5", "12, 12", " 2000", "2000.0", "+2000"] {
            assert_eq!(
                limit.admit(Some(unreadable)),
                Ok(()),
                "{unreadable:?}: the count decides"
            );
        }
        assert_eq!(limit.admit(None), Ok(()), "no length: the count decides");
    }

    #[test]
    fn the_count_stops_at_the_chunk_that_passes_the_limit() {
        let mut limit = BodyLimit::new(1024);
        assert_eq!(limit.count(1000), Ok(()));
        assert_eq!(limit.count(24), Ok(()), "exactly the limit is read");
        assert_eq!(limit.count(0), Ok(()));
        assert_eq!(limit.count(1), Err(TransportError::TooLarge(1024)));
        let mut small = BodyLimit::new(10);
        assert_eq!(small.count(5), Ok(()));
        assert_eq!(
            small.count(u64::MAX),
            Err(TransportError::TooLarge(10)),
            "the count saturates instead of wrapping round"
        );
    }
}
