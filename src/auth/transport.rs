//! The HTTP seam: plain request/response values and the [`Transport`] trait.
//!
//! The client only ever sees these types, so tests script a transport in a
//! few lines and the browser implementation ([`FetchTransport`], wasm32
//! only) stays a thin adapter over `fetch`.

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
}

/// Sends one HTTP request and returns the whole response.
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
    use crate::auth::prefetch;
    use gloo_net::http::RequestBuilder;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    /// [`Transport`] over the browser's `fetch`, via `gloo-net`, with an
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
            let network = |e: gloo_net::Error| TransportError::Network(e.to_string());
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
            let timed_out =
                |signal: &web_sys::AbortSignal, e: gloo_net::Error| match request.timeout_ms {
                    Some(ms) if signal.aborted() => TransportError::Timeout(ms),
                    _ => network(e),
                };
            let mut read_early = None;
            let sent = match adopted {
                Some(adopted) => {
                    read_early = adopted.body;
                    wasm_bindgen_futures::JsFuture::from(adopted.response)
                        .await
                        .map(|r| {
                            gloo_net::http::Response::from(r.unchecked_into::<web_sys::Response>())
                        })
                        .map_err(js_error)
                }
                None => {
                    let mut builder = RequestBuilder::new(&request.url)
                        .method(match request.method {
                            Method::Get => gloo_net::http::Method::GET,
                            Method::Head => gloo_net::http::Method::HEAD,
                            Method::Post => gloo_net::http::Method::POST,
                            Method::Put => gloo_net::http::Method::PUT,
                            Method::Patch => gloo_net::http::Method::PATCH,
                            Method::Delete => gloo_net::http::Method::DELETE,
                        })
                        .abort_signal(Some(&signal));
                    for (name, value) in &request.headers {
                        builder = builder.header(name, value);
                    }
                    match request.body.clone() {
                        Some(body) => builder.body(body).map_err(network)?.send().await,
                        None => builder.send().await,
                    }
                }
            };
            let response = sent.map_err(|e| timed_out(&signal, e))?;
            let status = response.status();
            let headers = response.headers().entries().collect();
            let body = match read_early {
                Some(text) => wasm_bindgen_futures::JsFuture::from(text)
                    .await
                    .map(|text| text.as_string().unwrap_or_default())
                    .map_err(js_error),
                None => response.text().await,
            }
            .map_err(|e| timed_out(&signal, e))?;
            marks.received();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        }
    }

    /// A rejected `fetch` as `gloo-net` reports it: the error's `toString()`.
    fn js_error(value: wasm_bindgen::JsValue) -> gloo_net::Error {
        let text = match value.dyn_ref::<js_sys::Error>() {
            Some(error) => String::from(error.to_string()),
            None => value.as_string().unwrap_or_else(|| "fetch failed".into()),
        };
        gloo_net::Error::GlooError(text)
    }
}
