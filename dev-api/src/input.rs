//! Reading request bodies into validated inputs, with Xano-shaped 400s.
//!
//! [`XanoJson`] is the one extractor for bodies. A body whose `Content-Type` is
//! `application/x-www-form-urlencoded` (an OAuth 2.0 password grant, FastAPI's
//! `OAuth2PasswordRequestForm`) is read as form fields, every value a string, unless it starts
//! with `{` (`curl -d '{…}'` sends JSON with that label); any other body is read from raw bytes
//! whatever the content type, as Xano does, and parsed as a JSON object.
//! Either way the fields go to the input type's [`XanoInput::from_fields`], and unknown fields
//! (`grant_type`, `client_id`) are ignored. Any body — unreadable, not JSON, not an object,
//! missing or mistyped fields — is answered with
//! `{"code":"ERROR_CODE_INPUT_ERROR","message":"…","param":"…"}` rather than axum's text, and a
//! body over the limit with the Xano-shaped 413.

use std::fmt;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use crate::errors::ApiError;

/// Shortest password signup accepts.
pub(crate) const MIN_PASSWORD_CHARS: usize = 8;

/// Login input: `{"email", "password"}`, e-mail trimmed and lower-cased.
///
/// Its `Debug` output redacts the password.
pub(crate) struct LoginInput {
    /// Normalised e-mail.
    pub(crate) email: String,
    /// Password as sent.
    pub(crate) password: String,
}

/// Signup input: `{"name", "email", "password"}`, e-mail trimmed and lower-cased, name trimmed.
///
/// Its `Debug` output redacts the password.
pub(crate) struct SignupInput {
    /// Trimmed display name.
    pub(crate) name: String,
    /// Normalised e-mail.
    pub(crate) email: String,
    /// Password as sent.
    pub(crate) password: String,
}

impl fmt::Debug for LoginInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginInput")
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for SignupInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignupInput")
            .field("name", &self.name)
            .field("email", &self.email)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Xano's e-mail normalisation: trim, then lower-case.
pub(crate) fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// An input read from a JSON object body.
pub(crate) trait XanoInput: Sized {
    /// The endpoint's first input: errors about the body as a whole name it as their `param`.
    const FIRST_PARAM: &'static str;

    /// Validates the body's fields.
    fn from_fields(fields: &Map<String, Value>) -> Result<Self, ApiError>;
}

/// A validated input `T` from a JSON object body; any failure is the dev API's error answer.
#[derive(Debug)]
pub(crate) struct XanoJson<T>(pub(crate) T);

impl<S, T> FromRequest<S> for XanoJson<T>
where
    S: Send + Sync,
    T: XanoInput,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let form = is_form(&request);
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::input(T::FIRST_PARAM, "Unable to read the request body.")
                }
            })?;
        // `curl -d '{…}'` labels JSON as a form: a body that opens an object is JSON whatever
        // its label (a browser's form body never starts with `{`, which it writes as `%7B`).
        if form && !body.trim_ascii_start().starts_with(b"{") {
            return T::from_fields(&form_fields(&body)).map(Self);
        }
        T::from_fields(&object(&body, T::FIRST_PARAM)?).map(Self)
    }
}

impl XanoInput for LoginInput {
    const FIRST_PARAM: &'static str = "email";

    fn from_fields(fields: &Map<String, Value>) -> Result<Self, ApiError> {
        let email = normalize_email(&required_string(fields, "email")?);
        if email.is_empty() {
            return Err(missing("email"));
        }
        let password = required_string(fields, "password")?;
        if password.is_empty() {
            return Err(missing("password"));
        }
        Ok(Self { email, password })
    }
}

impl XanoInput for SignupInput {
    const FIRST_PARAM: &'static str = "name";

    fn from_fields(fields: &Map<String, Value>) -> Result<Self, ApiError> {
        let name = required_string(fields, "name")?.trim().to_owned();
        if name.is_empty() {
            return Err(missing("name"));
        }
        let email = normalize_email(&required_string(fields, "email")?);
        if email.is_empty() {
            return Err(missing("email"));
        }
        if !looks_like_email(&email) {
            return Err(ApiError::input("email", "Invalid email address."));
        }
        let password = required_string(fields, "password")?;
        if password.is_empty() {
            return Err(missing("password"));
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(ApiError::input(
                "password",
                format!("Password must be at least {MIN_PASSWORD_CHARS} characters."),
            ));
        }
        Ok(Self {
            name,
            email,
            password,
        })
    }
}

/// Whether the request says its body is form-encoded (`application/x-www-form-urlencoded`, in
/// any case, with or without parameters such as `; charset=UTF-8`).
fn is_form(request: &Request) -> bool {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// The fields of a form-encoded body, every value a string; a repeated name keeps its last
/// value, as a repeated JSON key does.
fn form_fields(body: &[u8]) -> Map<String, Value> {
    form_urlencoded::parse(body)
        .map(|(name, value)| (name.into_owned(), Value::String(value.into_owned())))
        .collect()
}

/// The body as a JSON object; an empty body counts as `{}` (so its fields are "missing").
/// Whole-body errors are reported against `first_param`, the endpoint's first input.
fn object(body: &[u8], first_param: &str) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(ApiError::input(
            first_param,
            "The request body must be a JSON object.",
        )),
        Err(_) => Err(ApiError::input(
            first_param,
            "Unable to parse the request body as JSON.",
        )),
    }
}

/// A field that must be present and a string (`null` counts as missing).
pub(crate) fn required_string(
    fields: &Map<String, Value>,
    param: &str,
) -> Result<String, ApiError> {
    match fields.get(param) {
        None | Some(Value::Null) => Err(missing(param)),
        Some(Value::String(text)) => Ok(text.clone()),
        Some(_) => Err(ApiError::input(
            param,
            format!("Invalid value for param: {param}. Expected text."),
        )),
    }
}

fn missing(param: &str) -> ApiError {
    ApiError::input(param, format!("Missing param: {param}"))
}

/// A deliberately loose check: something before and after a single `@`, no spaces.
fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::{LoginInput, MIN_PASSWORD_CHARS, SignupInput, XanoInput, looks_like_email};
    use crate::errors::ApiError;

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(fields) => fields,
            _ => unreachable!("the tests pass objects"),
        }
    }

    fn signup(password: &str) -> Result<SignupInput, ApiError> {
        SignupInput::from_fields(&fields(
            json!({"name": "Ada", "email": "ada@example.com", "password": password}),
        ))
    }

    #[test]
    fn debug_output_shows_the_email_but_never_the_password() {
        let login = LoginInput::from_fields(&fields(
            json!({"email": " Ada@Example.com ", "password": "hunter2-secret"}),
        ))
        .expect("a valid login");
        let shown = format!("{login:?}");
        assert!(shown.contains("ada@example.com"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");

        let signup = signup("hunter2-secret").expect("a valid signup");
        let shown = format!("{signup:?}");
        assert!(
            shown.contains("Ada") && shown.contains("ada@example.com"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn signup_accepts_a_password_of_exactly_the_minimum_length_and_not_one_less() {
        let just_long_enough = "é".repeat(MIN_PASSWORD_CHARS);
        assert!(signup(&just_long_enough).is_ok());
        let one_short = "é".repeat(MIN_PASSWORD_CHARS - 1);
        assert!(matches!(
            signup(&one_short),
            Err(ApiError::Input { param, .. }) if param == "password"
        ));
    }

    #[test]
    fn an_email_needs_text_on_both_sides_of_a_single_at_and_no_spaces() {
        assert!(looks_like_email("a@b"));
        for refused in ["ab", "@b", "a@", "a@b@c", "a b@c", "a@b c", "a@@b"] {
            assert!(!looks_like_email(refused), "{refused:?}");
        }
    }
}
