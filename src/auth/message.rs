//! Turning whatever a server sends with an error into one readable sentence.
//!
//! Backends differ: Xano sends `{"code","message"}`, others a bare JSON
//! string, `{"error": ...}`, `{"detail": ...}`, an HTML proxy page, plain
//! text or nothing at all. [`describe_body`] gives the user something
//! readable for each, never raw markup.

use serde_json::Value;

/// The longest server text shown to the user, in characters.
const MAX_CHARS: usize = 200;

/// Fields that commonly hold the human-readable message, in order of preference.
const MESSAGE_FIELDS: [&str; 7] = [
    "message",
    "error_description",
    "error",
    "detail",
    "msg",
    "title",
    "description",
];

/// The standard reason phrase for common statuses.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `HTTP 502 (Bad Gateway)`, or `HTTP 599` for statuses without a phrase.
pub fn status_label(status: u16) -> String {
    match reason_phrase(status) {
        "" => format!("HTTP {status}"),
        phrase => format!("HTTP {status} ({phrase})"),
    }
}

/// One readable sentence for an error response with `status` and `body`.
pub fn describe_body(status: u16, content_type: Option<&str>, body: &str) -> String {
    let trimmed = body.trim();
    let label = status_label(status);
    if trimmed.is_empty() {
        return format!("The server answered {label} with an empty body.");
    }
    if let Ok(json) = serde_json::from_str::<Value>(trimmed) {
        return match message_in_json(&json) {
            Some(message) => clip(&message),
            None => format!("The server answered {label}: {}", clip(&json.to_string())),
        };
    }
    let is_html = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("html"))
        || trimmed.starts_with('<');
    if is_html {
        return match html_title(trimmed) {
            Some(title) => format!(
                "The server answered {label} with an HTML page: “{}”.",
                clip(&title)
            ),
            None => format!("The server answered {label} with an HTML page."),
        };
    }
    clip(&collapse_whitespace(trimmed))
}

/// The message a JSON error body carries, if it has one in a known place.
pub fn message_in_json(json: &Value) -> Option<String> {
    match json {
        Value::String(s) if !s.trim().is_empty() => Some(collapse_whitespace(s)),
        Value::Object(map) => MESSAGE_FIELDS
            .iter()
            .find_map(|field| match map.get(*field) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(collapse_whitespace(s)),
                Some(nested @ Value::Object(_)) => message_in_json(nested),
                _ => None,
            }),
        _ => None,
    }
}

fn html_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = collapse_whitespace(&html[open_end..close]);
    (!title.is_empty()).then_some(title)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xano_object_gives_its_message() {
        let body = r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"Invalid Credentials."}"#;
        assert_eq!(
            describe_body(403, Some("application/json"), body),
            "Invalid Credentials."
        );
    }

    #[test]
    fn bare_json_string_is_the_message() {
        assert_eq!(
            describe_body(400, None, r#""Email or password is wrong""#),
            "Email or password is wrong"
        );
    }

    #[test]
    fn other_backends_message_fields() {
        assert_eq!(
            describe_body(401, None, r#"{"error":"jwt expired"}"#),
            "jwt expired"
        );
        assert_eq!(
            describe_body(422, None, r#"{"detail":"Bad input"}"#),
            "Bad input"
        );
        assert_eq!(
            describe_body(400, None, r#"{"error":{"message":"nested"}}"#),
            "nested"
        );
    }

    #[test]
    fn json_without_message_is_shown_compactly_with_status() {
        assert_eq!(
            describe_body(500, None, r#"{"ok": false}"#),
            r#"The server answered HTTP 500 (Internal Server Error): {"ok":false}"#
        );
    }

    #[test]
    fn html_pages_are_summarised_by_title_never_shown_as_markup() {
        let page =
            "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>";
        assert_eq!(
            describe_body(502, Some("text/html"), page),
            "The server answered HTTP 502 (Bad Gateway) with an HTML page: “502 Bad Gateway”."
        );
        assert_eq!(
            describe_body(503, None, "<p>down</p>"),
            "The server answered HTTP 503 (Service Unavailable) with an HTML page."
        );
    }

    #[test]
    fn statuses_are_named_with_their_reason_phrase() {
        for (status, label) in [
            (400, "HTTP 400 (Bad Request)"),
            (401, "HTTP 401 (Unauthorized)"),
            (403, "HTTP 403 (Forbidden)"),
            (404, "HTTP 404 (Not Found)"),
            (405, "HTTP 405 (Method Not Allowed)"),
            (408, "HTTP 408 (Request Timeout)"),
            (409, "HTTP 409 (Conflict)"),
            (413, "HTTP 413 (Payload Too Large)"),
            (422, "HTTP 422 (Unprocessable Content)"),
            (429, "HTTP 429 (Too Many Requests)"),
            (500, "HTTP 500 (Internal Server Error)"),
            (502, "HTTP 502 (Bad Gateway)"),
            (503, "HTTP 503 (Service Unavailable)"),
            (504, "HTTP 504 (Gateway Timeout)"),
            (599, "HTTP 599"),
        ] {
            assert_eq!(status_label(status), label);
        }
    }

    #[test]
    fn an_html_content_type_is_enough_to_hide_the_markup() {
        assert_eq!(
            describe_body(
                502,
                Some("Text/HTML; charset=utf-8"),
                "Bad gateway <b>x</b>"
            ),
            "The server answered HTTP 502 (Bad Gateway) with an HTML page."
        );
        assert_eq!(
            describe_body(502, Some("text/plain"), "Bad gateway"),
            "Bad gateway"
        );
        assert_eq!(
            describe_body(500, None, "<html><TITLE>\n  Oops \n</TITLE></html>"),
            "The server answered HTTP 500 (Internal Server Error) with an HTML page: “Oops”."
        );
        assert_eq!(
            describe_body(500, None, "<html><title> </title></html>"),
            "The server answered HTTP 500 (Internal Server Error) with an HTML page.",
            "an empty title is no title"
        );
    }

    #[test]
    fn message_fields_are_tried_in_order_and_blank_ones_skipped() {
        assert_eq!(
            describe_body(400, None, r#"{"error":"second","message":"first"}"#),
            "first"
        );
        assert_eq!(
            describe_body(400, None, r#"{"message":"  ","error_description":"used"}"#),
            "used"
        );
        for field in ["msg", "title", "description"] {
            let body = format!(r#"{{"{field}":"from {field}"}}"#);
            assert_eq!(describe_body(400, None, &body), format!("from {field}"));
        }
        assert_eq!(
            describe_body(400, None, r#""""#),
            r#"The server answered HTTP 400 (Bad Request): """#,
            "a blank JSON string is no message"
        );
        assert_eq!(
            describe_body(400, None, r#"{"message":"two\n  lines"}"#),
            "two lines"
        );
    }

    #[test]
    fn long_messages_are_clipped_to_200_characters() {
        let exactly = "é".repeat(200);
        assert_eq!(describe_body(500, None, &exactly), exactly, "not clipped");
        let longer = "é".repeat(201);
        assert_eq!(
            describe_body(500, None, &longer),
            format!("{}…", "é".repeat(200))
        );
    }

    #[test]
    fn empty_and_plain_text_bodies() {
        assert_eq!(
            describe_body(500, None, "  "),
            "The server answered HTTP 500 (Internal Server Error) with an empty body."
        );
        assert_eq!(describe_body(418, None, "I'm\n a teapot"), "I'm a teapot");
        let long = "x".repeat(500);
        assert_eq!(
            describe_body(500, None, &long).chars().count(),
            MAX_CHARS + 1
        );
    }
}
