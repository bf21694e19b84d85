//! Everything the API client can fail with, as one enum.
//!
//! Each variant's `Display` is a sentence a user can read; the UI decides the
//! way forward from the variant: [`ApiError::needs_login`] shows the login
//! form, everything else an error with a retry button.

/// Why a request through [`ApiClient`](super::ApiClient) did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// There is no usable token and no way to get one silently: the user
    /// has to log in. The text says why.
    #[error("{0}")]
    NeedsLogin(String),
    /// The login endpoint refused the credentials (400, 401, 403, 422).
    #[error("{message}")]
    LoginRejected {
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The server answered with an error status.
    #[error("{message}")]
    Http {
        status: u16,
        /// A sentence naming the status and the server's message.
        message: String,
    },
    /// No response arrived (server down, offline, CORS refused).
    #[error("Could not reach {url}: {detail}. Check that the server is running and reachable.")]
    Network {
        /// The URL that could not be reached.
        url: String,
        /// What the browser said.
        detail: String,
    },
    /// A response arrived but could not be used.
    #[error("The answer from {url} could not be read: {detail}.")]
    InvalidResponse {
        /// The URL that answered.
        url: String,
        /// What was wrong with it.
        detail: String,
    },
    /// The answer is larger than the `maxResponseBytes` setting allows: it
    /// was not read further (not at all when its `Content-Length` said so)
    /// and its request was aborted. Asking again would bring the same
    /// answer, so it waits for the user.
    #[error(
        "The answer from {url} is larger than {}, the `maxResponseBytes` setting. {}",
        super::transport::size_text(*limit),
        match token_setting {
            None => "Ask for fewer rows (paging) or raise the setting.".to_owned(),
            Some(setting) => format!(
                "An answer with a token is a few fields: check the `{setting}` setting."
            ),
        }
    )]
    TooLarge {
        /// The URL that answered.
        url: String,
        /// The limit, in bytes.
        limit: u64,
        /// `None` for the data; for a login or refresh answer, the setting
        /// that names its endpoint (fewer rows would not help there).
        token_setting: Option<&'static str>,
    },
    /// 429: the server asks to slow down, maybe saying for how long.
    #[error(
        "The server is rate limiting requests ({message}).{}",
        match retry_after_s { Some(s) => format!(" It asks to wait {s} s."), None => String::new() }
    )]
    RateLimited {
        /// The server's message.
        message: String,
        /// `Retry-After`, in seconds, when given.
        retry_after_s: Option<u32>,
    },
    /// No answer within the timeout.
    #[error(
        "{url} did not answer within {} s. Check your connection and try again.",
        crate::text::number_text(f64::from(*ms) / 1000.0)
    )]
    Timeout {
        /// The URL that did not answer.
        url: String,
        /// The timeout, in milliseconds.
        ms: u32,
    },
    /// A POST or PATCH was refused with 401; the token was renewed but the
    /// request was not repeated, since repeating it might act twice.
    #[error(
        "The server refused the expired token for this {0} request. The session is renewed, but the request was not repeated automatically: send it again."
    )]
    NotReplayed(super::transport::Method),
    /// The circuit breaker: too many silent logins in the last minute.
    #[error(
        "tokengrid logged in by itself {count} times in the last minute, the most `maxReloginsPerMinute` allows, so it stopped: the server keeps refusing or expiring its tokens. Log in again."
    )]
    TooManyRenewals {
        /// Silent logins in the last minute.
        count: usize,
    },
    /// Renewal ahead of expiry was due, but the silent logins of the last
    /// minute already used up the budget: it pauses until the user acts.
    /// The token in hand is still used.
    #[error(
        "Automatic renewal paused: {count} logins in the last minute. It resumes when you log in or refresh."
    )]
    RenewalPaused {
        /// Silent logins in the last minute.
        count: usize,
    },
    /// The login succeeded but its body has nothing at the token path.
    #[error(
        "The login response has no token at `{path}`. Check the `tokenPath` setting (fields present: {fields})."
    )]
    TokenMissing {
        /// The configured path.
        path: String,
        /// The top-level fields the response did have.
        fields: String,
    },
    /// The value at the token path is not a usable bearer token.
    #[error(
        "The login response's `{path}` is {found}, not a token. Check the `tokenPath` setting."
    )]
    TokenInvalid {
        /// The configured path.
        path: String,
        /// What was found there.
        found: String,
    },
}

impl ApiError {
    /// This error for the answer of the token endpoint the setting
    /// `setting` names (`loginUrl`, `refreshUrl`).
    pub fn from_token_endpoint(self, setting: &'static str) -> Self {
        match self {
            ApiError::TooLarge { url, limit, .. } => ApiError::TooLarge {
                url,
                limit,
                token_setting: Some(setting),
            },
            other => other,
        }
    }

    /// Whether the way forward is the login form.
    pub fn needs_login(&self) -> bool {
        matches!(
            self,
            ApiError::NeedsLogin(_)
                | ApiError::LoginRejected { .. }
                | ApiError::TooManyRenewals { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_over_the_limit_names_the_setting_the_limit_and_the_way_forward() {
        let error = ApiError::TooLarge {
            url: "/api:data/customers".into(),
            limit: 32 << 20,
            token_setting: None,
        };
        assert_eq!(
            error.to_string(),
            "The answer from /api:data/customers is larger than 32 MiB, the `maxResponseBytes` setting. Ask for fewer rows (paging) or raise the setting."
        );
        assert!(
            !error.needs_login(),
            "the data error, with its retry button"
        );
        let login = ApiError::TooLarge {
            url: "/api:auth/auth/login".into(),
            limit: 1 << 20,
            token_setting: None,
        }
        .from_token_endpoint("loginUrl");
        assert_eq!(
            login.to_string(),
            "The answer from /api:auth/auth/login is larger than 1 MiB, the `maxResponseBytes` setting. An answer with a token is a few fields: check the `loginUrl` setting.",
            "paging is no advice for a login answer"
        );
    }
}
