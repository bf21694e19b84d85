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

/// Whether `token` can be sent as `Authorization: Bearer <token>`.
///
/// RFC 6750 §2.1 defines the credential as `b64token`:
/// `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
/// JWS and JWE compact serialisations and opaque random tokens all fit; an
/// empty string, a JSON value, white space or anything that could smuggle a
/// header line does not. Values read from storage or a login response are
/// checked with this before they are used.
pub fn is_bearer_token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
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
        }
    }
}
