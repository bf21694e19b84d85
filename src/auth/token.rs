//! Tokens: where to find one in a login response, and what counts as one.

use serde_json::Value;
use std::fmt;

/// A dot-separated path to the token inside the login response's JSON body,
/// e.g. `authToken` (Xano), `accessToken` (json-server-auth) or `data.token`.
///
/// A segment that is a whole number also indexes into an array
/// (`tokens.0.value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPath {
    segments: Vec<String>,
}

/// Why a token path from the configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenPathError {
    /// The path was empty or only white space.
    #[error("it is empty; give the token's field name, e.g. `authToken` or `data.token`")]
    Empty,
    /// A segment between dots was empty (`data..token`, `.token`).
    #[error("`{0}` has an empty segment between dots")]
    EmptySegment(String),
}

impl TokenPath {
    /// Parses `a.b.c`.
    pub fn parse(path: &str) -> Result<Self, TokenPathError> {
        let path = path.trim();
        if path.is_empty() {
            return Err(TokenPathError::Empty);
        }
        let segments: Vec<String> = path.split('.').map(str::to_owned).collect();
        if segments.iter().any(|s| s.trim().is_empty()) {
            return Err(TokenPathError::EmptySegment(path.to_owned()));
        }
        Ok(Self { segments })
    }

    /// Looks the path up in `body`.
    pub fn lookup<'a>(&self, body: &'a Value) -> Option<&'a Value> {
        self.segments
            .iter()
            .try_fold(body, |value, segment| match value {
                Value::Object(map) => map.get(segment),
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            })
    }
}

impl fmt::Display for TokenPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.segments.join("."))
    }
}

/// The longest token tokengrid stores or sends, in bytes.
///
/// Servers cap header size: nginx refuses a header line over 8 KiB (its
/// default `large_client_header_buffers`), Node.js all headers together
/// over 16 KiB, and both usually answer without CORS headers, so the
/// browser reports only a network error. 8,000 bytes keeps the whole
/// `Authorization: Bearer <token>` line under nginx's 8,192.
pub const MAX_TOKEN_BYTES: usize = 8_000;

/// Why a value is not a token tokengrid will store or send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a bearer token in form: empty, white space, JSON, a header line.
    NotBearer,
    /// `null`, `undefined`, `true` or `false`: bearer tokens by the grammar,
    /// but what scripts leave behind when they store a missing value.
    Placeholder,
    /// A bearer token in form, but longer than [`MAX_TOKEN_BYTES`] (its length).
    TooLong(usize),
}

impl Refusal {
    /// What the value is, to complete "the login response's `path` is …".
    pub fn found(&self, token: &str) -> String {
        match self {
            Refusal::NotBearer => "a string that is not a bearer token".into(),
            Refusal::Placeholder => format!("the string \"{token}\""),
            Refusal::TooLong(bytes) => format!(
                "a string of {bytes} bytes, more than the {MAX_TOKEN_BYTES} a server accepts in \
                 one header"
            ),
        }
    }
}

/// Whether `token` can be sent as `Authorization: Bearer <token>`.
///
/// RFC 6750 §2.1 defines the credential as `b64token`:
/// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
/// JWS and JWE compact serialisations and opaque random tokens all fit; an
/// empty string, a JSON value, white space or anything that could smuggle a
/// header line does not.
pub fn is_bearer_token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// The one rule for every token that enters: read from storage or from a
/// login answer. A bearer token in form, not a placeholder such as `null`,
/// and at most [`MAX_TOKEN_BYTES`] long.
pub fn check(token: &str) -> Result<(), Refusal> {
    if !is_bearer_token(token) {
        Err(Refusal::NotBearer)
    } else if matches!(token, "null" | "undefined" | "true" | "false") {
        Err(Refusal::Placeholder)
    } else if token.len() > MAX_TOKEN_BYTES {
        Err(Refusal::TooLong(token.len()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_find_flat_nested_and_indexed_tokens() {
        let body = json!({"authToken": "a", "accessToken": "b", "data": {"token": "c"}, "list": [{"t": "d"}]});
        for (path, want) in [
            ("authToken", "a"),
            ("accessToken", "b"),
            ("data.token", "c"),
            ("list.0.t", "d"),
        ] {
            let p = TokenPath::parse(path).unwrap();
            assert_eq!(p.lookup(&body), Some(&json!(want)), "{path}");
            assert_eq!(p.to_string(), path);
        }
        assert_eq!(
            TokenPath::parse("data.missing").unwrap().lookup(&body),
            None
        );
        assert_eq!(
            TokenPath::parse("authToken.deeper").unwrap().lookup(&body),
            None
        );
    }

    #[test]
    fn bad_paths_are_refused() {
        assert_eq!(TokenPath::parse("  "), Err(TokenPathError::Empty));
        assert!(matches!(
            TokenPath::parse("data..token"),
            Err(TokenPathError::EmptySegment(_))
        ));
        assert!(matches!(
            TokenPath::parse(".token"),
            Err(TokenPathError::EmptySegment(_))
        ));
    }

    #[test]
    fn bearer_tokens_follow_rfc_6750() {
        assert!(is_bearer_token("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.c2ln"));
        assert!(is_bearer_token("abc+/def=="));
        for bad in [
            "",
            "   ",
            "\"abc\"",
            "{\"a\":1}",
            "[1]",
            "a b",
            "abc\r\nX-Evil: 1",
            "==",
        ] {
            assert!(!is_bearer_token(bad), "{bad:?} must be refused");
            assert_eq!(check(bad), Err(Refusal::NotBearer), "{bad:?}");
        }
    }

    #[test]
    fn placeholders_are_refused_though_they_fit_the_grammar() {
        for placeholder in ["null", "undefined", "true", "false"] {
            assert!(is_bearer_token(placeholder));
            assert_eq!(check(placeholder), Err(Refusal::Placeholder));
            assert_eq!(
                Refusal::Placeholder.found(placeholder),
                format!("the string \"{placeholder}\"")
            );
        }
        assert_eq!(check("nullx"), Ok(()));
    }

    #[test]
    fn tokens_longer_than_a_header_line_allows_are_refused() {
        let longest = "a".repeat(MAX_TOKEN_BYTES);
        assert_eq!(check(&longest), Ok(()));
        assert!(
            "Authorization: Bearer ".len() + MAX_TOKEN_BYTES + 2 <= 8 * 1024,
            "the header line fits nginx's 8 KiB"
        );
        let over = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(check(&over), Err(Refusal::TooLong(8_001)));
        assert_eq!(
            Refusal::TooLong(123_456).found(""),
            "a string of 123456 bytes, more than the 8000 a server accepts in one header"
        );
    }
}
