//! What the client did, as events: the UI's request timeline listens to
//! them, and tests read them.

use super::transport::Method;

/// Why a token was renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewReason {
    /// The API answered 401 to a request.
    Rejected,
    /// The token was close to expiry.
    Ahead,
}

/// One thing the client did.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientEvent {
    /// A request went out.
    Request {
        /// Numbers requests in this client's life.
        id: u64,
        method: Method,
        url: String,
        /// Whether it repeats a request after a renewal.
        replay: bool,
        /// Whether it carried the bearer token.
        bearer: bool,
    },
    /// A response came back.
    Response {
        /// The number of the request it answers.
        id: u64,
        status: u16,
    },
    /// No response: network error or timeout.
    Failed {
        /// The number of the request it answers.
        id: u64,
        /// What went wrong.
        message: String,
    },
    /// A silent login started.
    Renewing(RenewReason),
    /// A silent login stored a new token.
    Renewed(RenewReason),
    /// A silent login failed.
    RenewFailed(String),
    /// A newer token in storage (from another tab, or another request's
    /// renewal) was used instead of logging in.
    Adopted,
    /// A 401'd request was not repeated because its method is not idempotent.
    NotReplayed(Method),
    /// The user logged in through the form.
    LoggedIn,
    /// The token and credentials were forgotten.
    LoggedOut,
}
