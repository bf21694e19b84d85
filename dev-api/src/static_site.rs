//! The fallback for everything no API route matched: Xano's 404, or a static site.
//!
//! With `--serve-dist <dir>`, a `GET`/`HEAD` for a path outside the API (`/api:…`, `/__dev/…`)
//! is served from `dir`, and any path with no file there gets `dir/index.html` (status 200),
//! as a single-page app's static host would. API routes always take precedence, and unknown
//! API paths stay Xano 404s even then.

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

use crate::errors::{ApiError, StartupError};
use crate::state::AppState;

/// A built site served from a directory, `index.html` for anything not found.
#[derive(Debug, Clone)]
pub(crate) struct StaticSite {
    service: ServeDir<ServeFile>,
}

impl StaticSite {
    /// Serves `dir`, which must be a directory.
    pub(crate) fn new(dir: &Path) -> Result<Self, StartupError> {
        if !dir.is_dir() {
            return Err(StartupError::ServeDist(dir.to_path_buf()));
        }
        Ok(Self {
            service: ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html"))),
        })
    }
}

/// Whether `path` belongs to the API (never answered by the static site).
fn is_api_path(path: &str) -> bool {
    path.starts_with("/api:") || path == "/__dev" || path.starts_with("/__dev/")
}

/// Router fallback: static site for non-API `GET`/`HEAD` when configured, else Xano's 404.
pub(crate) async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    match state.static_site() {
        Some(site) if readable && !is_api_path(request.uri().path()) => {
            match site.service.clone().try_call(request).await {
                Ok(response) => response.into_response(),
                Err(_) => ApiError::Fatal("Could not read the static site.").into_response(),
            }
        }
        _ => ApiError::NotFound.into_response(),
    }
}
