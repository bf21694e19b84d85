//! Reading answers: the token out of a login answer, JSON out of a data
//! answer, and an [`ApiError`] with a readable message out of any error
//! status. Pure functions of a response, so every shape a backend may send
//! is tested without a client.

use super::error::ApiError;
use super::message::{describe_body, status_label};
use super::token::{TokenPath, check};
use super::transport::HttpResponse;
use crate::text::json_kind;
use serde_json::Value;

/// The token in the answer of the login endpoint at `login_url`, found at
/// `path`; or why there is none.
///
/// 400, 401, 403 and 422 are refused credentials ([`ApiError::LoginRejected`]
/// with the server's message); 404 and 405 mean the endpoint is wrong, and
/// the error names the `loginUrl` setting; a success without a usable token
/// names the `tokenPath` setting. A token the store would refuse (see
/// [`check`]: a placeholder such as `"null"`, one too long for a header) is
/// such a success without a usable token.
pub fn login_token(
    response: &HttpResponse,
    login_url: &str,
    path: &TokenPath,
) -> Result<String, ApiError> {
    let status = response.status;
    if !response.is_success() {
        let message = describe(response);
        return Err(match status {
            400 | 401 | 403 | 422 => ApiError::LoginRejected { status, message },
            404 | 405 => ApiError::Http {
                status,
                message: format!(
                    "The login endpoint {login_url} answered {}: check the `loginUrl` setting.",
                    status_label(status)
                ),
            },
            _ => http_error(response, message),
        });
    }
    let json = json(response, login_url)?;
    match path.lookup(&json) {
        Some(Value::String(token)) => match check(token) {
            Ok(()) => Ok(token.clone()),
            Err(refusal) => Err(ApiError::TokenInvalid {
                path: path.to_string(),
                found: refusal.found(token),
            }),
        },
        Some(other) => Err(ApiError::TokenInvalid {
            path: path.to_string(),
            found: json_kind(other).into(),
        }),
        None => Err(ApiError::TokenMissing {
            path: path.to_string(),
            fields: match &json {
                Value::Object(map) if !map.is_empty() => map
                    .keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                Value::Object(_) => "none".into(),
                other => format!("none, the body is {}", json_kind(other)),
            },
        }),
    }
}

/// A login request that got no answer: the error also points at the
/// `loginUrl` setting, the likeliest cause when the server is up.
pub fn login_unreachable(error: ApiError) -> ApiError {
    match error {
        ApiError::Network { url, detail } => ApiError::Network {
            url,
            detail: format!("{detail}; check the `loginUrl` setting if the server is up"),
        },
        other => other.from_token_endpoint("loginUrl"),
    }
}

/// The response itself when its status is 2xx, else the error it means.
pub fn success(response: HttpResponse) -> Result<HttpResponse, ApiError> {
    if response.is_success() {
        return Ok(response);
    }
    let message = describe(&response);
    Err(http_error(&response, message))
}

/// A replay refused with a token issued a moment ago: not expiry but an
/// authorization problem, so the way forward is the form.
pub fn fresh_token_refused(replay: &HttpResponse) -> ApiError {
    ApiError::NeedsLogin(format!(
        "The server refused a freshly issued token ({}). Log in again.",
        describe(replay)
    ))
}

/// The body of the answer from `url`, parsed as JSON.
pub fn json(response: &HttpResponse, url: &str) -> Result<Value, ApiError> {
    check_not_empty(response, url)?;
    serde_json::from_str(&response.body).map_err(|e| not_json(url, &e.to_string()))
}

/// The body of a data answer from `url`, to be read as rows in steps (see
/// `crate::table::parse`); an empty body is the same error as for [`json`].
pub fn data_body(response: HttpResponse, url: &str) -> Result<String, ApiError> {
    check_not_empty(&response, url)?;
    Ok(response.body)
}

/// The error for an answer from `url` that is not valid JSON; `detail` is
/// the parser's message with its line and column.
pub fn not_json(url: &str, detail: &str) -> ApiError {
    ApiError::InvalidResponse {
        url: url.to_owned(),
        detail: format!("it is not valid JSON ({detail})"),
    }
}

fn check_not_empty(response: &HttpResponse, url: &str) -> Result<(), ApiError> {
    if response.body.trim().is_empty() {
        return Err(ApiError::InvalidResponse {
            url: url.to_owned(),
            detail: format!(
                "{} with an empty body, where JSON was expected",
                status_label(response.status)
            ),
        });
    }
    Ok(())
}

fn describe(response: &HttpResponse) -> String {
    describe_body(
        response.status,
        response.header("content-type"),
        &response.body,
    )
}

/// The error for a non-success answer: 429 carries its `Retry-After`.
fn http_error(response: &HttpResponse, message: String) -> ApiError {
    let status = response.status;
    if status == 429 {
        return ApiError::RateLimited {
            message,
            retry_after_s: retry_after(response),
        };
    }
    ApiError::Http {
        status,
        message: with_status(status, message),
    }
}

fn with_status(status: u16, message: String) -> String {
    if message.starts_with("The server answered") {
        message
    } else {
        format!("The server answered {}: {message}", status_label(status))
    }
}

/// `Retry-After` in seconds (the delta form; an HTTP date is not used).
fn retry_after(response: &HttpResponse) -> Option<u32> {
    response.header("retry-after")?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGIN: &str = "/api:auth/auth/login";

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    fn with_header(mut response: HttpResponse, name: &str, value: &str) -> HttpResponse {
        response.headers.push((name.into(), value.into()));
        response
    }

    fn token_at(path: &str, body: &str) -> Result<String, ApiError> {
        login_token(&answer(200, body), LOGIN, &TokenPath::parse(path).unwrap())
    }

    #[test]
    fn the_token_is_read_at_the_configured_path() {
        assert_eq!(
            token_at("authToken", r#"{"authToken":"t1"}"#),
            Ok("t1".into())
        );
        assert_eq!(
            token_at("data.token", r#"{"data":{"token":"t2"}}"#),
            Ok("t2".into())
        );
        assert_eq!(
            token_at("accessToken", r#"{"accessToken":"t3","user":{"id":1}}"#),
            Ok("t3".into())
        );
    }

    #[test]
    fn a_missing_token_lists_the_fields_that_are_there() {
        let missing = |body: &str| match token_at("authToken", body) {
            Err(ApiError::TokenMissing { path, fields }) => {
                assert_eq!(path, "authToken");
                fields
            }
            other => panic!("{body}: {other:?}"),
        };
        assert_eq!(
            missing(r#"{"accessToken":"t","user":{}}"#),
            "`accessToken`, `user`"
        );
        assert_eq!(missing("{}"), "none");
        assert_eq!(missing("[1,2]"), "none, the body is an array");
        assert_eq!(missing(r#""just text""#), "none, the body is a string");
    }

    #[test]
    fn a_value_that_is_not_a_bearer_token_says_what_it_is() {
        for (body, found) in [
            (r#"{"authToken":12}"#, "a number"),
            (r#"{"authToken":null}"#, "null"),
            (r#"{"authToken":{"t":1}}"#, "an object"),
            (
                r#"{"authToken":"two words"}"#,
                "a string that is not a bearer token",
            ),
            (r#"{"authToken":""}"#, "a string that is not a bearer token"),
            (
                r#"{"authToken":"   "}"#,
                "a string that is not a bearer token",
            ),
            (r#"{"authToken":"null"}"#, "the string \"null\""),
            (r#"{"authToken":"undefined"}"#, "the string \"undefined\""),
        ] {
            assert_eq!(
                token_at("authToken", body),
                Err(ApiError::TokenInvalid {
                    path: "authToken".into(),
                    found: found.into()
                }),
                "{body}"
            );
        }
    }

    #[test]
    fn a_token_too_long_for_a_header_is_a_login_error_naming_the_setting() {
        let body = format!(r#"{{"authToken":"{}"}}"#, "t".repeat(9_000));
        let err = token_at("authToken", &body).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The login response's `authToken` is a string of 9000 bytes, more than the 8000 a \
             server accepts in one header, not a token. Check the `tokenPath` setting."
        );
        let longest = "t".repeat(8_000);
        assert_eq!(
            token_at("authToken", &format!(r#"{{"authToken":"{longest}"}}"#)),
            Ok(longest)
        );
    }

    #[test]
    fn refused_credentials_carry_the_servers_message() {
        let path = TokenPath::parse("authToken").unwrap();
        for status in [400, 401, 403, 422] {
            let refused = answer(status, r#"{"message":"Invalid Credentials."}"#);
            assert_eq!(
                login_token(&refused, LOGIN, &path),
                Err(ApiError::LoginRejected {
                    status,
                    message: "Invalid Credentials.".into()
                })
            );
        }
    }

    #[test]
    fn a_wrong_login_endpoint_names_the_setting() {
        let path = TokenPath::parse("authToken").unwrap();
        for status in [404, 405] {
            let err = login_token(&answer(status, "{}"), LOGIN, &path).unwrap_err();
            let ApiError::Http { status: s, message } = &err else {
                panic!("{err:?}");
            };
            assert_eq!(*s, status);
            assert!(message.contains(LOGIN), "{message}");
            assert!(message.contains("`loginUrl`"), "{message}");
            assert!(!err.needs_login());
        }
    }

    #[test]
    fn other_login_failures_are_server_errors() {
        let path = TokenPath::parse("authToken").unwrap();
        assert_eq!(
            login_token(&answer(500, r#"{"message":"down"}"#), LOGIN, &path),
            Err(ApiError::Http {
                status: 500,
                message: "The server answered HTTP 500 (Internal Server Error): down".into()
            })
        );
        let limited = with_header(answer(429, ""), "Retry-After", "3");
        assert!(matches!(
            login_token(&limited, LOGIN, &path),
            Err(ApiError::RateLimited {
                retry_after_s: Some(3),
                ..
            })
        ));
        assert!(matches!(
            login_token(&answer(200, ""), LOGIN, &path),
            Err(ApiError::InvalidResponse { .. })
        ));
        assert!(
            login_token(&answer(204, r#"{"authToken":"t"}"#), LOGIN, &path).is_ok(),
            "any 2xx is a success"
        );
    }

    #[test]
    fn an_unreachable_login_endpoint_points_at_the_setting() {
        let network = ApiError::Network {
            url: LOGIN.into(),
            detail: "Failed to fetch".into(),
        };
        assert_eq!(
            login_unreachable(network),
            ApiError::Network {
                url: LOGIN.into(),
                detail: "Failed to fetch; check the `loginUrl` setting if the server is up".into()
            }
        );
        let timeout = ApiError::Timeout {
            url: LOGIN.into(),
            ms: 10_000,
        };
        assert_eq!(login_unreachable(timeout.clone()), timeout);
    }

    #[test]
    fn success_passes_2xx_and_names_the_status_of_anything_else() {
        for status in [200, 201, 204, 299] {
            assert!(success(answer(status, "")).is_ok(), "{status}");
        }
        for (status, body, want) in [
            (
                500,
                r#"{"message":"Database is down"}"#,
                "The server answered HTTP 500 (Internal Server Error): Database is down",
            ),
            (302, "moved", "The server answered HTTP 302: moved"),
            (
                503,
                "",
                "The server answered HTTP 503 (Service Unavailable) with an empty body.",
            ),
            (
                401,
                r#""Unauthorized""#,
                "The server answered HTTP 401 (Unauthorized): Unauthorized",
            ),
        ] {
            assert_eq!(
                success(answer(status, body)),
                Err(ApiError::Http {
                    status,
                    message: want.into()
                }),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn a_429_reads_retry_after_in_seconds() {
        let limited = |value: Option<&str>| {
            let response = answer(429, r#"{"message":"Whoa there!"}"#);
            let response = match value {
                Some(v) => with_header(response, "retry-after", v),
                None => response,
            };
            success(response).unwrap_err()
        };
        assert_eq!(
            limited(Some(" 7 ")),
            ApiError::RateLimited {
                message: "Whoa there!".into(),
                retry_after_s: Some(7)
            }
        );
        for unusable in [
            None,
            Some("soon"),
            Some("Wed, 21 Oct 2026 07:28:00 GMT"),
            Some("-1"),
        ] {
            assert_eq!(
                limited(unusable),
                ApiError::RateLimited {
                    message: "Whoa there!".into(),
                    retry_after_s: None
                },
                "{unusable:?}"
            );
        }
    }

    #[test]
    fn a_refused_fresh_token_goes_to_the_form_with_the_servers_words() {
        let err = fresh_token_refused(&answer(401, r#"{"message":"Token revoked"}"#));
        assert_eq!(
            err,
            ApiError::NeedsLogin(
                "The server refused a freshly issued token (Token revoked). Log in again.".into()
            )
        );
    }

    #[test]
    fn json_bodies_empty_or_invalid_are_reported_with_the_url() {
        assert_eq!(
            json(&answer(200, r#"[{"id":1}]"#), "/x"),
            Ok(serde_json::json!([{"id": 1}]))
        );
        assert_eq!(
            json(&answer(200, "  "), "/x"),
            Err(ApiError::InvalidResponse {
                url: "/x".into(),
                detail: "HTTP 200 with an empty body, where JSON was expected".into()
            })
        );
        let Err(ApiError::InvalidResponse { url, detail }) = json(&answer(200, "{no"), "/x") else {
            panic!("invalid JSON must be refused");
        };
        assert_eq!(url, "/x");
        assert!(detail.starts_with("it is not valid JSON ("), "{detail}");
    }
}
