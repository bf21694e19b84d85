//! The body of a login (or any credentials) request: a JSON object, or
//! `application/x-www-form-urlencoded` as the OAuth 2.0 password grant and
//! the frameworks built on it (FastAPI's `OAuth2PasswordRequestForm`, Spring
//! Security, Keycloak, Laravel Passport) expect.
//!
//! Pure: ordered name/value pairs in, a content type and a body out.

use super::transport::{HttpRequest, Method};

/// How a credentials request's body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyFormat {
    /// `application/json`: one JSON object with string values.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`, as the URL standard's
    /// urlencoded serializer writes it (what `URLSearchParams` sends).
    Form,
}

impl BodyFormat {
    /// The `Content-Type` header of a body in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            BodyFormat::Json => "application/json",
            BodyFormat::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// A request body and its content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The `Content-Type` header value.
    pub content_type: &'static str,
    /// The body text.
    pub text: String,
}

/// `fields`, in order, written as `format`. Names are expected to be
/// distinct (the configuration refuses collisions).
pub fn encode<'a>(
    format: BodyFormat,
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Body {
    let json = format == BodyFormat::Json;
    let write = |part: &str, text: &mut String| {
        if json {
            // serde_json's string escaping, as for any JSON it writes.
            text.push_str(&crate::text::json_text(&serde_json::Value::from(part)));
        } else {
            form_encode(part, text);
        }
    };
    let mut text = String::new();
    if json {
        text.push('{');
    }
    for (n, (name, value)) in fields.into_iter().enumerate() {
        if n > 0 {
            text.push(if json { ',' } else { '&' });
        }
        write(name, &mut text);
        text.push(if json { ':' } else { '=' });
        write(value, &mut text);
    }
    if json {
        text.push('}');
    }
    Body {
        content_type: format.content_type(),
        text,
    }
}

/// A `POST` of `fields` to `url`, its body written as `format` (the login
/// and the refresh request are both built this way).
pub fn post<'a>(
    url: &str,
    format: BodyFormat,
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> HttpRequest {
    let body = encode(format, fields);
    let mut request = HttpRequest::new(Method::Post, url);
    request
        .headers
        .push(("Content-Type".into(), body.content_type.into()));
    request.body = Some(body.text);
    request
}

/// The URL standard's `application/x-www-form-urlencoded` byte serializer:
/// ASCII alphanumerics and `*-._` stay, a space becomes `+`, every other
/// byte of the UTF-8 encoding is percent-encoded in upper-case hex.
fn form_encode(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> String {
        let body = encode(BodyFormat::Form, fields.iter().copied());
        assert_eq!(body.content_type, "application/x-www-form-urlencoded");
        body.text
    }

    #[test]
    fn json_bodies_keep_the_fields_in_order() {
        let body = encode(
            BodyFormat::Json,
            [
                ("username", "ada"),
                ("password", "p\"w"),
                ("grant_type", "password"),
            ],
        );
        assert_eq!(body.content_type, "application/json");
        assert_eq!(
            body.text,
            r#"{"username":"ada","password":"p\"w","grant_type":"password"}"#
        );
        let escaped = encode(BodyFormat::Json, [("p", "\\\n\u{1}é😀</script>")]).text;
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&escaped).unwrap()["p"],
            "\\\n\u{1}é😀</script>",
            "{escaped}"
        );
    }

    #[test]
    fn form_bodies_join_pairs_with_ampersands() {
        assert_eq!(
            form(&[
                ("username", "ada"),
                ("password", "secret"),
                ("grant_type", "password")
            ]),
            "username=ada&password=secret&grant_type=password"
        );
        assert_eq!(form(&[]), "");
        assert_eq!(encode(BodyFormat::Json, []).text, "{}");
        assert_eq!(form(&[("empty", "")]), "empty=");
    }

    #[test]
    fn form_bodies_encode_the_characters_that_would_change_their_meaning() {
        assert_eq!(
            form(&[("password", "a b&c=d%e+f")]),
            "password=a+b%26c%3Dd%25e%2Bf"
        );
        assert_eq!(form(&[("e mail", "x")]), "e+mail=x", "names too");
        assert_eq!(form(&[("p", "~!'()/?#")]), "p=%7E%21%27%28%29%2F%3F%23");
        assert_eq!(form(&[("p", "*-._")]), "p=*-._", "left as they are");
    }

    #[test]
    fn form_bodies_encode_non_ascii_and_control_characters_as_utf8() {
        assert_eq!(form(&[("p", "é")]), "p=%C3%A9");
        assert_eq!(form(&[("p", "€😀")]), "p=%E2%82%AC%F0%9F%98%80");
        assert_eq!(
            form(&[("p", "\n\r\t\0\u{7f}")]),
            "p=%0A%0D%09%00%7F",
            "line breaks are encoded, never normalised"
        );
    }

    /// The `url` crate implements the URL standard's serializer (it is not
    /// in the bundle; the browser would be): every byte value agrees.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn form_bodies_match_the_url_standards_serializer_for_every_character() {
        let mut text: String = (0u8..128).map(char::from).collect();
        text.push_str("é€😀\u{a0}\u{2028}\u{fffd}");
        let expected = url::form_urlencoded::Serializer::new(String::new())
            .append_pair(&text, &text)
            .append_pair("grant_type", "password")
            .finish();
        assert_eq!(
            form(&[(&text, &text), ("grant_type", "password")]),
            expected
        );
    }
}
