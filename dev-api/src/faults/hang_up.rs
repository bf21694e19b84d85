//! The `drop` fault: closing the connection without sending any HTTP answer.
//!
//! A handler cannot close its connection itself, and an axum `Router` is an infallible service.
//! What hyper (HTTP/1.1) does, though, is buffer a response's head and write it out
//! only together with the first body frame or at the next flush; when the body's very first
//! poll fails, the connection is torn down with the head still unsent. So the fault answers a
//! response whose body fails at once: the client sees the socket closed (EOF, or a reset if
//! request bytes were still unread) and no status line — a browser reports a network error
//! such as `net::ERR_EMPTY_RESPONSE`. A real-socket test holds this to account.
//!
//! In-process (`oneshot`) callers instead get the never-sent response, whose body fails when
//! read. It carries a [`HungUp`] mark so the counters record the request under status
//! `0`. `HEAD` answers have no body for hyper to poll, so `drop` refuses `HEAD` endpoints.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::StatusCode;
use axum::response::Response;
use http_body::Frame;

use crate::unanswered::HungUp;

/// A body whose first poll fails, which makes hyper drop the connection.
#[derive(Debug)]
struct FailingBody;

impl HttpBody for FailingBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        Poll::Ready(Some(Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "drop fault: the connection is closed without an answer",
        ))))
    }

    fn is_end_stream(&self) -> bool {
        false
    }
}

/// The response that makes the server hang up. Its status (500) would only be seen if a
/// server buffered differently; the counters record it as `0`.
pub(crate) fn response() -> Response {
    let mut response = Response::new(Body::new(FailingBody));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response.extensions_mut().insert(HungUp);
    response
}
