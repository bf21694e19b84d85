//! Every path the dev API routes, and the two path families the features must tell apart:
//! the dev control routes (never counted nor faulted) and the API (never the static site).

/// Path of the login endpoint (Xano's auth template, in the `auth` API group).
pub const LOGIN_PATH: &str = "/api:auth/auth/login";
/// Path of the signup endpoint.
pub const SIGNUP_PATH: &str = "/api:auth/auth/signup";
/// Path of the "who am I" endpoint.
pub const ME_PATH: &str = "/api:auth/auth/me";
/// Path of the dev-only demo-login hint (no Xano equivalent).
pub const HINT_PATH: &str = "/api:auth/__dev/hint";
/// Path of the protected customers table (in the `data` API group).
pub const CUSTOMERS_PATH: &str = "/api:data/customers";
/// Path of the request counters (only routed when counters are enabled).
pub const COUNTERS_PATH: &str = "/__dev/counters";
/// Path that zeroes the request counters (only routed when counters are enabled).
pub const COUNTERS_RESET_PATH: &str = "/__dev/counters/reset";
/// Path that echoes the request's headers (only routed when counters are enabled).
pub const ECHO_PATH: &str = "/__dev/echo";
/// Path that answers after `?ms=N` milliseconds (only routed when counters are enabled).
pub const DELAY_PATH: &str = "/__dev/delay";
/// Path that echoes any method and body, but only with a valid token (only
/// routed when counters are enabled).
pub const PROTECTED_ECHO_PATH: &str = "/__dev/protected-echo";
/// Path that adds (`POST`), lists (`GET`) and clears (`DELETE`) injected faults (only routed
/// when faults are enabled).
pub const FAULTS_PATH: &str = "/__dev/faults";
/// Path that revokes every token issued so far (only routed when faults are enabled).
pub const REVOKE_PATH: &str = "/__dev/revoke";

/// Whether `path` is one of the routed endpoints other than the control routes: the Xano
/// endpoints, the hint and the test probes.
pub(crate) fn is_routed_path(path: &str) -> bool {
    [
        LOGIN_PATH,
        SIGNUP_PATH,
        ME_PATH,
        HINT_PATH,
        CUSTOMERS_PATH,
        ECHO_PATH,
        DELAY_PATH,
        PROTECTED_ECHO_PATH,
    ]
    .contains(&path)
}

/// Whether `path` is one of the dev control routes (counters, faults, revoke), which are
/// neither counted nor faulted.
pub(crate) fn is_control_path(path: &str) -> bool {
    [COUNTERS_PATH, FAULTS_PATH, REVOKE_PATH]
        .iter()
        .any(|control| path.starts_with(control))
}

/// Whether `path` belongs to the API (never answered by the static site).
pub(crate) fn is_api_path(path: &str) -> bool {
    path.starts_with("/api:") || path == "/__dev" || path.starts_with("/__dev/")
}
