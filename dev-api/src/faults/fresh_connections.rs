//! With faults on, every answer closes its connection (`Connection: close`).
//!
//! Browsers silently resend a request whose *reused* keep-alive connection closes before any
//! answer byte (Chromium retries a `GET` that met `net::ERR_EMPTY_RESPONSE` on a reused
//! socket, on a fresh one). A `drop` fault with `"count": 1` would then hit the first attempt
//! only, and the page would see the normal answer of the retry. So while faults are enabled no
//! connection is ever reused: each request arrives on a fresh connection, and a dropped one
//! is reported to the page as the network error it is. On loopback the extra handshakes cost
//! next to nothing; without `--faults` keep-alive is untouched.

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// Marks `response` as the last on its connection.
pub(crate) async fn close_after(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
