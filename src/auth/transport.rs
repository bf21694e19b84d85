//! The HTTP seam: plain request/response values and the [`Transport`] trait.
//!
//! The client only ever sees these types, so tests script a transport in a
//! few lines and the browser implementation ([`FetchTransport`], wasm32
//! only) stays a thin adapter over `fetch`.

use std::fmt;

/// The HTTP methods the client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Get => "GET",
            Method::Post => "POST",
        })
    }
}

/// A request as the client builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The URL, absolute or relative to the page.
    pub url: String,
    /// Header name/value pairs, in order.
    pub headers: Vec<(String, String)>,
    /// A JSON body, if any.
    pub body: Option<String>,
}

impl HttpRequest {
    /// A `GET` without headers.
    pub fn get(url: impl Into<String>) -> Self {
        Self {
            method: Method::Get,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// A `POST` with a JSON body.
    pub fn post_json(url: impl Into<String>, body: &serde_json::Value) -> Self {
        Self {
            method: Method::Post,
            url: url.into(),
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: Some(body.to_string()),
        }
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
}

/// A response: status, headers and the whole body as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
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
}

/// Sends one HTTP request and returns the whole response.
///
/// Futures are not `Send`: in the browser they run on the single JS thread.
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
    use gloo_net::http::RequestBuilder;

    /// [`Transport`] over the browser's `fetch`, via `gloo-net`.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct FetchTransport;

    impl Transport for FetchTransport {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            let mut builder = RequestBuilder::new(&request.url).method(match request.method {
                Method::Get => gloo_net::http::Method::GET,
                Method::Post => gloo_net::http::Method::POST,
            });
            for (name, value) in &request.headers {
                builder = builder.header(name, value);
            }
            let network = |e: gloo_net::Error| TransportError::Network(e.to_string());
            let response = match request.body {
                Some(body) => builder.body(body).map_err(network)?.send().await,
                None => builder.send().await,
            }
            .map_err(network)?;
            let status = response.status();
            let headers = response.headers().entries().collect();
            let body = response.text().await.map_err(network)?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        }
    }
}
