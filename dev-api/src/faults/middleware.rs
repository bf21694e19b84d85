//! The middleware that applies faults to matching requests.
//!
//! It sits inside the counters (so faulted requests are counted with the status actually
//! sent, a dropped connection as `0`) and inside CORS (so faulted answers stay readable
//! cross-origin), and outside everything else, so a replacing fault skips the handler and its
//! side effects entirely.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use super::kind::FaultKind;
use super::{Faults, answers, hang_up};
use crate::bearer::bearer_token;
use crate::paths::is_control_path;

/// Applies the first active fault that fires for this request, if any.
pub(crate) async fn apply(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let fired = if is_control_path(path) {
        None
    } else {
        faults
            .registry
            .take(&format!("{} {path}", request.method()))
    };
    let Some(fired) = fired else {
        return next.run(request).await;
    };
    if let Some(latency_ms) = fired.latency_ms {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    match fired.kind {
        FaultKind::Latency => next.run(request).await,
        FaultKind::Revoke => {
            if let Some(token) = bearer(&request) {
                faults.issuer.revoke(token);
            }
            next.run(request).await
        }
        FaultKind::Revoke503 => match bearer(&request) {
            Some(token) if faults.issuer.verify(token).is_some() => {
                faults.issuer.revoke(token);
                answers::unavailable503()
            }
            _ => next.run(request).await,
        },
        FaultKind::Drop => {
            // Read the request body first (within the usual limit), so no unread bytes turn
            // the close into a reset; a body that cannot be read changes nothing.
            let _ = axum::body::to_bytes(request.into_body(), faults.body_limit_bytes).await;
            hang_up::response()
        }
        FaultKind::Error500 => answers::error500(),
        FaultKind::Proxy502 => answers::proxy502(),
        FaultKind::Rate429 => answers::rate429(
            fired
                .retry_after_secs
                .unwrap_or(super::spec::DEFAULT_RETRY_AFTER_SECS),
        ),
        FaultKind::Empty200 => answers::empty200(),
        FaultKind::Malformed => answers::malformed(),
        FaultKind::NoToken => answers::no_token(&faults.demo_email),
        FaultKind::NonStringToken => answers::non_string_token(),
        FaultKind::Answer => match &fired.answer {
            Some(answer) => answer.response(),
            None => next.run(request).await,
        },
        FaultKind::Oversize => match fired.oversize {
            Some(oversize) => answers::oversize(oversize),
            // The spec always carries one for this kind.
            None => next.run(request).await,
        },
    }
}

/// The request's bearer token, if it has one.
fn bearer(request: &Request) -> Option<&str> {
    request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(bearer_token)
}
