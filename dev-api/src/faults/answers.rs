//! The canned answers of the faults that replace the real one.
//!
//! Each is exactly what the README's "Faults" section promises; the CORS layer outside adds
//! its headers to all of them.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::Json;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use serde_json::json;

use super::spec::Oversize;
use crate::errors::ApiError;

/// The `error500` message. The markup is deliberate: a client must show it as text.
pub(crate) const ERROR_500_MESSAGE: &str =
    "An unexpected error occurred. <img src=x onerror=alert(1)>";

/// The `proxy502` page, as nginx words it when its upstream is down.
pub(crate) const PROXY_502_PAGE: &str = "<html>\r\n\
<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n\
<hr><center>nginx</center>\r\n\
</body>\r\n\
</html>\r\n";

/// The `malformed` body: JSON cut off mid-way.
pub(crate) const MALFORMED_BODY: &str = r#"{"items": [{"id": 1,"#;

/// The `revoke503` body, in Xano's error shape.
pub(crate) const UNAVAILABLE_503_BODY: &str = r#"{"code":"ERROR_CODE_SERVICE_UNAVAILABLE","message":"The service is temporarily unavailable."}"#;

/// The `non_string_token` body.
pub(crate) const NON_STRING_TOKEN_BODY: &str = r#"{"authToken":12345}"#;

/// `error500`: 500 `{"code":"ERROR_FATAL","message":"An unexpected error occurred. <img …>"}`.
pub(crate) fn error500() -> Response {
    ApiError::Fatal(ERROR_500_MESSAGE).into_response()
}

/// `proxy502`: 502, `text/html`, an nginx-like page.
pub(crate) fn proxy502() -> Response {
    with_content_type(StatusCode::BAD_GATEWAY, "text/html", PROXY_502_PAGE)
}

/// `rate429`: Xano's 429 with `Retry-After: <retry_after_secs>`.
pub(crate) fn rate429(retry_after_secs: u64) -> Response {
    ApiError::TooManyRequests { retry_after_secs }.into_response()
}

/// `empty200`: 200, `application/json`, no body at all.
pub(crate) fn empty200() -> Response {
    with_content_type(StatusCode::OK, "application/json", "")
}

/// `malformed`: 200, `application/json`, truncated JSON.
pub(crate) fn malformed() -> Response {
    with_content_type(StatusCode::OK, "application/json", MALFORMED_BODY)
}

/// `no_token`: 200 `{"user":{"id":1,"email":"<demo e-mail>"}}`, a login answer without token.
pub(crate) fn no_token(email: &str) -> Response {
    Json(json!({"user": {"id": 1, "email": email}})).into_response()
}

/// `non_string_token`: 200 `{"authToken":12345}`.
pub(crate) fn non_string_token() -> Response {
    with_content_type(StatusCode::OK, "application/json", NON_STRING_TOKEN_BODY)
}

/// `revoke503`'s answer: 503 in Xano's error shape.
pub(crate) fn unavailable503() -> Response {
    with_content_type(
        StatusCode::SERVICE_UNAVAILABLE,
        "application/json",
        UNAVAILABLE_503_BODY,
    )
}

/// The start of an `oversize` body; the note's text fills it up to its size.
pub(crate) const OVERSIZE_HEAD: &str = r#"[{"id":1,"note":""#;
/// The end of an `oversize` body.
pub(crate) const OVERSIZE_TAIL: &str = r#""}]"#;
/// The note's filler, sent a slice at a time.
static FILLER: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// `oversize`: 200, `application/json`, `[{"id":1,"note":"xxx…"}]` of exactly `bytes` bytes,
/// streamed in 64 KiB frames (nothing is held in memory), with `Content-Length` or, when
/// `chunked`, without (hyper then sends it with `Transfer-Encoding: chunked`).
pub(crate) fn oversize(oversize: Oversize) -> Response {
    let body = OversizeBody {
        filler: oversize.bytes - (OVERSIZE_HEAD.len() + OVERSIZE_TAIL.len()) as u64,
        stage: Stage::Head,
        chunked: oversize.chunked,
        left: oversize.bytes,
    };
    let mut response = Response::new(Body::new(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if !oversize.chunked {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(oversize.bytes));
    }
    response
}

/// Where an [`OversizeBody`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// `[{"id":1,"note":"` next.
    Head,
    /// Filler next, then `"}]`.
    Filler,
    /// All sent.
    Done,
}

/// The `oversize` body, frame by frame.
#[derive(Debug)]
struct OversizeBody {
    /// Filler bytes still to send.
    filler: u64,
    stage: Stage,
    /// Whether to hide the size (no exact size hint: hyper sends it chunked).
    chunked: bool,
    /// Bytes still to send in all.
    left: u64,
}

impl HttpBody for OversizeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let data = match self.stage {
            Stage::Head => {
                self.stage = Stage::Filler;
                Bytes::from_static(OVERSIZE_HEAD.as_bytes())
            }
            Stage::Filler if self.filler > 0 => {
                let n = self.filler.min(FILLER.len() as u64);
                self.filler -= n;
                Bytes::from_static(&FILLER[..n as usize])
            }
            Stage::Filler => {
                self.stage = Stage::Done;
                Bytes::from_static(OVERSIZE_TAIL.as_bytes())
            }
            Stage::Done => return Poll::Ready(None),
        };
        self.left -= data.len() as u64;
        Poll::Ready(Some(Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.stage == Stage::Done
    }

    fn size_hint(&self) -> SizeHint {
        if self.chunked {
            SizeHint::default()
        } else {
            SizeHint::with_exact(self.left)
        }
    }
}

fn with_content_type(
    status: StatusCode,
    content_type: &'static str,
    body: &'static str,
) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
