//! The fallback for everything no API route matched: Xano's 404, or a static site.
//!
//! With `--serve-dist <dir>`, a `GET`/`HEAD` for a path outside the API (`/api:…`, `/__dev/…`)
//! is served from `dir`, and any path with no file there gets `dir/index.html` (status 200),
//! as a single-page app's static host would. API routes always take precedence, and unknown
//! API paths stay Xano 404s even then.
//!
//! The feature's state is the [`StaticSite`]; its [`router`] holds nothing but the fallback,
//! and is merged into the app only when a site is configured (otherwise the app's fallback is
//! the plain 404).

use std::path::Path;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

use crate::errors::{ApiError, StartupError};
use crate::paths::is_api_path;

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

/// A router with only a fallback: the site for non-API `GET`/`HEAD`, else Xano's 404.
pub(crate) fn router(site: StaticSite) -> Router {
    Router::new().fallback(fallback).with_state(site)
}

async fn fallback(State(mut site): State<StaticSite>, request: Request) -> Response {
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    if !readable || is_api_path(request.uri().path()) {
        return ApiError::NotFound.into_response();
    }
    match site.service.try_call(request).await {
        Ok(response) => response.into_response(),
        Err(_) => ApiError::Fatal("Could not read the static site.").into_response(),
    }
}
