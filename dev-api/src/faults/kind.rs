//! The kinds of fault that can be injected, by the names clients use in `"fault"`.

/// One kind of injected fault (see the README's "Faults" section for the exact answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultKind {
    /// Wait `latency_ms`, then answer normally.
    Latency,
    /// 500 `ERROR_FATAL` whose message holds markup.
    Error500,
    /// 502 with an nginx-like HTML page.
    Proxy502,
    /// 429 `ERROR_CODE_TOO_MANY_REQUESTS` with `Retry-After`.
    Rate429,
    /// 200 with an empty body.
    Empty200,
    /// 200 with truncated JSON.
    Malformed,
    /// 200 login-like answer without a token field.
    NoToken,
    /// 200 `{"authToken": 12345}`.
    NonStringToken,
    /// Close the connection without any HTTP answer.
    Drop,
    /// Revoke the request's bearer token, then answer normally (a 401 where a token is needed).
    Revoke,
    /// A request with a live bearer token: revoke the token and answer 503 — a token's first
    /// use fails as if the server were overloaded, and every later use is a 401. A request
    /// without a live token is answered normally.
    Revoke503,
    /// Any status, content type and body, as the fault's `status`, `content_type` and `body`
    /// say (see `canned`).
    Answer,
    /// 200 with a JSON body of exactly `bytes` bytes (one row with one long cell), streamed,
    /// with `Content-Length` or (`chunked`) without.
    Oversize,
}

impl FaultKind {
    /// Every kind, in the order the README lists them.
    pub(crate) const ALL: [Self; 13] = [
        Self::Latency,
        Self::Error500,
        Self::Proxy502,
        Self::Rate429,
        Self::Empty200,
        Self::Malformed,
        Self::NoToken,
        Self::NonStringToken,
        Self::Drop,
        Self::Revoke,
        Self::Revoke503,
        Self::Answer,
        Self::Oversize,
    ];

    /// The name used in `"fault"`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Latency => "latency",
            Self::Error500 => "error500",
            Self::Proxy502 => "proxy502",
            Self::Rate429 => "rate429",
            Self::Empty200 => "empty200",
            Self::Malformed => "malformed",
            Self::NoToken => "no_token",
            Self::NonStringToken => "non_string_token",
            Self::Drop => "drop",
            Self::Revoke => "revoke",
            Self::Revoke503 => "revoke503",
            Self::Answer => "answer",
            Self::Oversize => "oversize",
        }
    }

    /// The kind called `name`, if any.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}
