//! CORS as Xano's per-group defaults: any origin, method and header, with credentials.
//!
//! Xano documents `*` for origins, methods and headers together with credentials; browsers
//! refuse `*` once credentials are allowed, so the request's own `Origin`, method and headers
//! are mirrored instead, which is what a browser sees from Xano. Preflights are answered here
//! (they never reach the routes) and may be cached for an hour.

use std::time::Duration;

use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer};

/// How long a browser may cache a preflight answer.
pub(crate) const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(3600);

/// The CORS layer wrapping the whole app.
pub(crate) fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::mirror_request())
        .allow_headers(AllowHeaders::mirror_request())
        .allow_credentials(true)
        .max_age(PREFLIGHT_MAX_AGE)
}
