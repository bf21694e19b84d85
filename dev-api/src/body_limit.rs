//! A Xano-shaped answer for bodies over the limit.
//!
//! `tower_http`'s `RequestBodyLimitLayer` refuses a too-long `Content-Length` with a bare 413,
//! and a streamed body that grows past the limit fails while being read (also a 413). This
//! response mapper, just outside the limit layer, turns any 413 into
//! `{"code":"ERROR_CODE_PAYLOAD_TOO_LARGE","message":"Request body is too large."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::errors::ApiError;

/// Replaces a 413 response with the JSON error body; passes everything else through.
pub(crate) async fn xano_payload_too_large(response: Response) -> Response {
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge.into_response()
    } else {
        response
    }
}
