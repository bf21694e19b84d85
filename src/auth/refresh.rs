//! Refresh tokens: the refresh request, and what a login or refresh answer
//! says about the refresh token.
//!
//! A backend that hands out refresh tokens answers a login with an access
//! token and a refresh token; the client then renews by sending the refresh
//! token to the refresh endpoint instead of the password. Servers that
//! rotate answer each refresh with a new refresh token and refuse the old
//! one from then on (some revoke the whole family when a spent one comes
//! back), so the client keeps exactly the latest and never sends one twice.
//! Pure functions of settings and answers; the client does the rest.

use super::body::{self, BodyFormat};
use super::decode;
use super::error::ApiError;
use super::message::{describe_body, status_label};
use super::token::{TokenPath, check};
use super::transport::{HttpRequest, HttpResponse};
use serde_json::Value;

/// Where and how to refresh (present when `refreshUrl` is set).
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshSettings {
    /// The refresh endpoint (`POST`).
    pub url: String,
    /// Where the refresh token is in the login and refresh answers.
    pub token_path: TokenPath,
    /// The refresh request's field for the refresh token.
    pub request_field: String,
    /// Fields added to every refresh request, in order.
    pub extra_fields: Vec<(String, String)>,
}

/// What an answer means for the refresh token kept so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The answer carries none: keep the one there is.
    Keep,
    /// The answer carries this one: it replaces the old at once.
    Replace(String),
    /// Forget the one there is: a new login without a refresh token, or a
    /// value that is not a usable token where a new one was due (the old
    /// one may already be spent).
    Forget,
}

/// The refresh request's fields, in order: the extra fields, then the
/// refresh token.
pub fn fields(settings: &RefreshSettings, refresh_token: &str) -> Vec<(String, String)> {
    let mut fields = settings.extra_fields.clone();
    fields.push((settings.request_field.clone(), refresh_token.to_owned()));
    fields
}

/// The refresh request, without its timeout: the body written as the
/// login's is (`loginBodyFormat`).
pub fn request(settings: &RefreshSettings, format: BodyFormat, refresh_token: &str) -> HttpRequest {
    let fields = fields(settings, refresh_token);
    body::post(
        &settings.url,
        format,
        fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    )
}

/// What a successful answer says about the refresh token at `path`. In a
/// refresh answer a missing one means the server does not rotate
/// ([`Rotation::Keep`]); in a login answer it means this login has none
/// (`absent` = [`Rotation::Forget`]).
pub fn rotation(response: &HttpResponse, path: &TokenPath, absent: Rotation) -> Rotation {
    let Ok(json) = serde_json::from_str::<Value>(&response.body) else {
        return absent;
    };
    match path.lookup(&json) {
        None | Some(Value::Null) => absent,
        Some(Value::String(token)) if check(token.trim()).is_ok() => {
            Rotation::Replace(token.trim().to_owned())
        }
        Some(_) => Rotation::Forget,
    }
}

/// The access token in the refresh endpoint's answer, or why there is none.
///
/// 400, 401 and 403 mean the refresh token is refused (expired, revoked,
/// spent): [`ApiError::LoginRejected`] with the server's message, after
/// which the client forgets it. 404 and 405 name the `refreshUrl` setting;
/// other statuses are server errors, after which the refresh token is kept.
pub fn access_token(
    response: &HttpResponse,
    settings: &RefreshSettings,
    token_path: &TokenPath,
) -> Result<String, ApiError> {
    let status = response.status;
    match status {
        400 | 401 | 403 => Err(ApiError::LoginRejected {
            status,
            message: describe_body(status, response.header("content-type"), &response.body),
        }),
        404 | 405 => Err(ApiError::Http {
            status,
            message: format!(
                "The refresh endpoint {} answered {}: check the `refreshUrl` setting.",
                settings.url,
                status_label(status)
            ),
        }),
        _ if !response.is_success() => decode::success(response.clone()).map(|_| String::new()),
        _ => decode::login_token(response, &settings.url, token_path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RefreshSettings {
        RefreshSettings {
            url: "/api/token/refresh/".into(),
            token_path: TokenPath::parse("refresh").unwrap(),
            request_field: "refresh".into(),
            extra_fields: vec![
                ("grant_type".into(), "refresh_token".into()),
                ("client_id".into(), "web".into()),
            ],
        }
    }

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    fn request_form(settings: &RefreshSettings, token: &str) -> HttpRequest {
        request(settings, BodyFormat::Form, token)
    }

    #[test]
    fn the_request_carries_the_extra_fields_then_the_refresh_token() {
        let request = request(&settings(), BodyFormat::Json, "r1");
        assert_eq!(request.url, "/api/token/refresh/");
        assert_eq!(
            request.body.as_deref(),
            Some(r#"{"grant_type":"refresh_token","client_id":"web","refresh":"r1"}"#)
        );
        assert_eq!(request.header("Content-Type"), Some("application/json"));
        assert_eq!(request.header("Authorization"), None, "never a bearer");
        let form = request_form(&settings(), "r1/+ &");
        assert_eq!(
            form.body.as_deref(),
            Some("grant_type=refresh_token&client_id=web&refresh=r1%2F%2B+%26"),
            "form-encoded like the login when `loginBodyFormat` is \"form\""
        );
        assert_eq!(
            form.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn a_new_refresh_token_replaces_the_old_and_none_keeps_it() {
        let path = TokenPath::parse("refresh").unwrap();
        let rotated = answer(200, r#"{"access":"a2","refresh":"r2"}"#);
        assert_eq!(
            rotation(&rotated, &path, Rotation::Keep),
            Rotation::Replace("r2".into())
        );
        let not_rotated = answer(200, r#"{"access":"a2"}"#);
        assert_eq!(
            rotation(&not_rotated, &path, Rotation::Keep),
            Rotation::Keep
        );
        assert_eq!(
            rotation(&not_rotated, &path, Rotation::Forget),
            Rotation::Forget,
            "a login without one starts without one"
        );
        for unusable in [
            r#"{"refresh":12}"#,
            r#"{"refresh":"null"}"#,
            r#"{"refresh":"a b"}"#,
        ] {
            assert_eq!(
                rotation(&answer(200, unusable), &path, Rotation::Keep),
                Rotation::Forget,
                "{unusable}: the old one may be spent"
            );
        }
    }

    #[test]
    fn refused_refresh_tokens_carry_the_servers_message() {
        let path = TokenPath::parse("access").unwrap();
        for status in [400, 401, 403] {
            let refused = answer(status, r#"{"detail":"Token is blacklisted"}"#);
            assert_eq!(
                access_token(&refused, &settings(), &path),
                Err(ApiError::LoginRejected {
                    status,
                    message: "Token is blacklisted".into()
                })
            );
        }
        assert_eq!(
            access_token(&answer(200, r#"{"access":"a2"}"#), &settings(), &path),
            Ok("a2".into())
        );
    }

    #[test]
    fn a_wrong_endpoint_names_the_setting_and_server_errors_are_not_refusals() {
        let path = TokenPath::parse("access").unwrap();
        let err = access_token(&answer(404, "{}"), &settings(), &path).unwrap_err();
        assert!(err.to_string().contains("`refreshUrl`"), "{err}");
        // A validation error (a wrong `refreshRequestField` on FastAPI) is
        // no refusal of the token: it is kept.
        let err = access_token(&answer(422, r#"{"detail":"missing"}"#), &settings(), &path);
        assert!(
            matches!(err, Err(ApiError::Http { status: 422, .. })),
            "{err:?}"
        );
        let err = access_token(&answer(500, r#"{"message":"down"}"#), &settings(), &path);
        assert_eq!(
            err,
            Err(ApiError::Http {
                status: 500,
                message: "The server answered HTTP 500 (Internal Server Error): down".into()
            })
        );
    }
}
