//! Turning whatever a server sends with an error into one readable sentence.
//!
//! Backends differ: Xano sends `{"code","message"}`, others a bare JSON
//! string, `{"error": ...}`, `{"detail": ...}`, an HTML proxy page, plain
//! text or nothing at all. Validation errors list their fields: FastAPI
//! (pydantic) `{"detail": [{"loc": ["body","username"], "msg": "…"}]}`,
//! Django REST framework `{"password": ["…"]}`, Laravel
//! `{"message", "errors": {"email": ["…"]}}`, RFC 9457 problem details
//! (`application/problem+json`: `title`, `detail`, often `errors`), Spring
//! `{"status", "error", "message", "path"}` and its validation
//! `errors: [{"field", "defaultMessage"}]`. [`describe_body`] gives the
//! user something readable for each — field errors as `field: message`,
//! several joined, at most [`MAX_FIELD_ERRORS`] of them and
//! [`MAX_CHARS`] characters in all — and never raw markup.

use crate::text::json_text;
use serde_json::{Map, Value};

/// The longest server text shown to the user, in characters.
pub const MAX_CHARS: usize = 200;

/// The most field errors listed; the rest are counted ("and 2 more").
pub const MAX_FIELD_ERRORS: usize = 4;

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

/// Fields of one item of an error list that hold its message, in order of
/// preference: pydantic's `msg`, Spring's `defaultMessage`, JSON:API's
/// `detail` and `title`.
const ITEM_MESSAGE_FIELDS: [&str; 5] = ["msg", "message", "defaultMessage", "detail", "title"];

/// Keys of errors that belong to no one field (Django REST framework,
/// Django forms): listed without a field name.
const NON_FIELD_KEYS: [&str; 2] = ["non_field_errors", "__all__"];

/// Where FastAPI says an input came from, the first element of `loc`: not
/// part of the field's name.
const LOCATIONS: [&str; 5] = ["body", "query", "path", "header", "cookie"];

/// What Spring says when it was configured not to say anything.
const NO_MESSAGE: &str = "No message available";

/// How deep nested field errors are followed (`{"address": {"city": [..]}}`).
const MAX_DEPTH: usize = 4;
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
    let content_type = content_type.map(str::to_ascii_lowercase);
    if let Ok(json) = serde_json::from_str::<Value>(trimmed) {
        let problem = content_type
            .as_deref()
            .is_some_and(|t| t.contains("problem+json"));
        return match message_in(&json, problem) {
            Some(message) => clip(&message),
            None => format!("The server answered {label}: {}", clip(&json_text(&json))),
        };
    }
    let is_html = content_type.is_some_and(|t| t.contains("html")) || trimmed.starts_with('<');
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

/// The message of a JSON error body; `problem` when the content type says
/// RFC 9457 problem details.
fn message_in(json: &Value, problem: bool) -> Option<String> {
    match json {
        Value::String(s) => text(s),
        Value::Object(map) => {
            let problem = problem || looks_like_problem(map);
            let summary = if problem { problem_summary(map) } else { None };
            // A list of field errors says more than a summary such as
            // Laravel's "The given data was invalid." or pydantic's none.
            let listed = match (map.get("errors"), map.get("detail")) {
                (Some(errors @ (Value::Array(_) | Value::Object(_))), _) => listed_errors(errors),
                (_, Some(detail @ Value::Array(_))) => listed_errors(detail),
                _ => None,
            };
            match (summary, listed) {
                (Some(summary), Some(listed)) => Some(join_sentences(summary, &listed, ": ")),
                (summary @ Some(_), None) => summary,
                (None, Some(listed)) => Some(listed),
                (None, None) => message_field(map).or_else(|| field_errors_object(map)),
            }
        }
        _ => None,
    }
}

/// Problem details without the content type: a `title` with a numeric
/// `status` and no `message` (Spring's own errors carry a `message`).
fn looks_like_problem(map: &Map<String, Value>) -> bool {
    map.get("title").is_some_and(Value::is_string)
        && map.get("status").is_some_and(Value::is_number)
        && map.get("message").is_none()
}

/// RFC 9457: `title` (the kind of problem), then `detail` (this
/// occurrence), each when present and not a repeat.
fn problem_summary(map: &Map<String, Value>) -> Option<String> {
    let field = |name: &str| map.get(name).and_then(Value::as_str).and_then(text);
    match (field("title"), field("detail")) {
        (Some(title), Some(detail)) if title != detail => {
            Some(join_sentences(title, &detail, ": "))
        }
        (Some(title), _) => Some(title),
        (None, detail) => detail,
    }
}

/// The first usable string in the usual message fields, or in an object
/// nested there (`{"error": {"message": "…"}}`).
fn message_field(map: &Map<String, Value>) -> Option<String> {
    MESSAGE_FIELDS
        .iter()
        .find_map(|field| match map.get(*field) {
            Some(Value::String(s)) => text(s).filter(|s| s != NO_MESSAGE),
            Some(nested @ Value::Object(_)) => message_in(nested, false),
            _ => None,
        })
}

/// A whole body of field errors, as Django REST framework sends them:
/// every value a list of messages (or an object of such lists).
fn field_errors_object(map: &Map<String, Value>) -> Option<String> {
    let mut found = Vec::new();
    let whole = map.values().all(|v| !v.is_string()) && collect_object(map, "", 0, &mut found);
    whole.then_some(())?;
    list(found)
}

/// Field errors under `errors` or `detail`: an object of messages
/// (Laravel, ASP.NET), or a list of items with a message (pydantic's
/// `loc`/`msg`, Spring's `field`/`defaultMessage`, JSON:API's
/// `title`/`detail`).
fn listed_errors(value: &Value) -> Option<String> {
    let mut found = Vec::new();
    collect(value, "", 0, &mut found).then_some(())?;
    list(found)
}

/// Gathers `(field, message)` pairs from `value`, whose field is `field`;
/// false when `value` is not made of error messages only.
fn collect(value: &Value, field: &str, depth: usize, found: &mut Vec<(String, String)>) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match value {
        Value::String(s) => {
            if let Some(message) = text(s) {
                found.push((field.to_owned(), message));
            }
            true
        }
        Value::Array(items) => items.iter().all(|item| match item {
            Value::Object(map) => match item_message(map) {
                Some((name, message)) => {
                    found.push((join_field(field, &name), message));
                    true
                }
                None => collect_object(map, field, depth + 1, found),
            },
            other => collect(other, field, depth + 1, found),
        }),
        Value::Object(map) => collect_object(map, field, depth + 1, found),
        _ => false,
    }
}

/// [`collect`] over an object whose keys name fields (or none, for
/// [`NON_FIELD_KEYS`]).
fn collect_object(
    map: &Map<String, Value>,
    field: &str,
    depth: usize,
    found: &mut Vec<(String, String)>,
) -> bool {
    !map.is_empty()
        && map.iter().all(|(key, value)| {
            let name = if NON_FIELD_KEYS.contains(&key.as_str()) {
                field.to_owned()
            } else {
                join_field(field, key)
            };
            collect(value, &name, depth, found)
        })
}

/// An error item's field name and message: `{"loc": ["body","username"],
/// "msg": "Field required"}` → ("username", "Field required").
fn item_message(map: &Map<String, Value>) -> Option<(String, String)> {
    let message = ITEM_MESSAGE_FIELDS
        .iter()
        .find_map(|f| map.get(*f).and_then(Value::as_str).and_then(text))?;
    let name = match (map.get("loc"), map.get("field"), map.get("param")) {
        (Some(Value::Array(loc)), ..) => {
            let parts: Vec<String> = loc
                .iter()
                .enumerate()
                .filter_map(|(i, part)| match part {
                    Value::String(s) if i == 0 && LOCATIONS.contains(&s.as_str()) => None,
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect();
            parts.join(".")
        }
        (_, Some(Value::String(field)), _) | (_, _, Some(Value::String(field))) => field.clone(),
        _ => String::new(),
    };
    Some((name, message))
}

fn join_field(parent: &str, name: &str) -> String {
    match (parent.is_empty(), name.is_empty()) {
        (true, _) => name.to_owned(),
        (_, true) => parent.to_owned(),
        _ => format!("{parent}.{name}"),
    }
}

/// `field: message` pairs as one text: at most [`MAX_FIELD_ERRORS`], a
/// sentence after a full stop, else `; ` between them.
fn list(found: Vec<(String, String)>) -> Option<String> {
    let total = found.len();
    let mut out = String::new();
    for (field, message) in found.into_iter().take(MAX_FIELD_ERRORS) {
        let mut item = field;
        if !item.is_empty() {
            item.push_str(": ");
        }
        item.push_str(&message);
        out = if out.is_empty() {
            item
        } else {
            join_sentences(out, &item, "; ")
        };
    }
    if total > MAX_FIELD_ERRORS {
        out = join_sentences(
            out,
            &format!("(and {} more)", total - MAX_FIELD_ERRORS),
            " ",
        );
    }
    (!out.is_empty()).then_some(out)
}

/// `first` and `second` as one text: a space after sentence punctuation,
/// else `separator`.
fn join_sentences(mut first: String, second: &str, separator: &str) -> String {
    if first.ends_with(['.', '!', '?', ':', ';']) {
        first.push(' ');
    } else {
        first.push_str(separator);
    }
    first.push_str(second);
    first
}

/// A message with its white space collapsed, or none when blank.
fn text(s: &str) -> Option<String> {
    let collapsed = collapse_whitespace(s);
    (!collapsed.is_empty()).then_some(collapsed)
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

/// The server's text as the page shows it: without control characters and
/// the invisible characters that reorder text (bidirectional overrides,
/// isolates and marks: U+202E could make the rest of the sentence read
/// backwards), and at most [`MAX_CHARS`] characters.
fn clip(text: &str) -> String {
    let mut shown: String = text.chars().filter(|&c| !hidden(c)).collect();
    if let Some((cut, _)) = shown.char_indices().nth(MAX_CHARS) {
        shown.truncate(cut);
        shown.push('…');
    }
    shown
}

/// A control character or a bidirectional formatting character.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
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
    fn control_and_text_reordering_characters_never_reach_the_message() {
        let body =
            "Access denied\u{202E}gnp.exe\u{202C} for \u{0}user\u{7}\u{2066}x\u{2069}\u{200F}";
        assert_eq!(
            describe_body(403, Some("text/plain"), body),
            "Access deniedgnp.exe for userx"
        );
        assert_eq!(
            describe_body(500, None, r#"{"message": "bad\u202eevil\u0000"}"#),
            "badevil",
            "escaped in JSON too"
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
    fn fastapi_validation_errors_name_each_field() {
        let body = r#"{"detail":[{"type":"missing","loc":["body","username"],"msg":"Field required","input":null},{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}"#;
        assert_eq!(
            describe_body(422, Some("application/json"), body),
            "username: Field required; password: Field required"
        );
        assert_eq!(
            describe_body(
                422,
                None,
                r#"{"detail":[{"loc":["query","page",0],"msg":"Input should be a valid integer"}]}"#
            ),
            "page.0: Input should be a valid integer",
            "the location is not part of the name; indices are"
        );
        assert_eq!(
            describe_body(
                422,
                None,
                r#"{"detail":[{"loc":["body"],"msg":"JSON decode error"}]}"#
            ),
            "JSON decode error",
            "an error about the whole body names no field"
        );
        assert_eq!(
            describe_body(401, None, r#"{"detail":"Incorrect username or password"}"#),
            "Incorrect username or password"
        );
    }

    #[test]
    fn django_rest_framework_field_errors_read_as_sentences() {
        assert_eq!(
            describe_body(400, None, r#"{"password":["This field is required."]}"#),
            "password: This field is required."
        );
        assert_eq!(
            describe_body(
                400,
                None,
                r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#
            ),
            "Unable to log in with provided credentials."
        );
        assert_eq!(
            describe_body(
                400,
                None,
                r#"{"username":["This field is required."],"password":["This field may not be blank.","Too short."]}"#
            ),
            "username: This field is required. password: This field may not be blank. password: Too short."
        );
        assert_eq!(
            describe_body(
                400,
                None,
                r#"{"address":{"city":["This field is required."]}}"#
            ),
            "address.city: This field is required."
        );
        assert_eq!(
            describe_body(
                401,
                None,
                r#"{"detail":"No active account found with the given credentials","code":"no_active_account"}"#
            ),
            "No active account found with the given credentials"
        );
    }

    #[test]
    fn problem_details_give_title_and_detail() {
        let problem = Some("application/problem+json");
        assert_eq!(
            describe_body(
                401,
                problem,
                r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Full authentication is required to access this resource","instance":"/login"}"#
            ),
            "Unauthorized: Full authentication is required to access this resource"
        );
        assert_eq!(
            describe_body(
                403,
                problem,
                r#"{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit."}"#
            ),
            "You do not have enough credit."
        );
        assert_eq!(
            describe_body(
                403,
                problem,
                r#"{"title":"Forbidden","detail":"Forbidden"}"#
            ),
            "Forbidden",
            "not said twice"
        );
        assert_eq!(
            describe_body(
                400,
                Some("application/problem+json; charset=utf-8"),
                r#"{"title":"One or more validation errors occurred.","status":400,"errors":{"Email":["The Email field is required."]}}"#
            ),
            "One or more validation errors occurred. Email: The Email field is required."
        );
        assert_eq!(
            describe_body(
                404,
                None,
                r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"No route"}"#
            ),
            "Not Found: No route",
            "recognised without the content type too"
        );
    }

    #[test]
    fn laravel_lists_its_field_errors() {
        assert_eq!(
            describe_body(
                422,
                Some("application/json"),
                r#"{"message":"The email field is required. (and 1 more error)","errors":{"email":["The email field is required."],"password":["The password field is required."]}}"#
            ),
            "email: The email field is required. password: The password field is required."
        );
        assert_eq!(
            describe_body(401, None, r#"{"message":"Unauthenticated."}"#),
            "Unauthenticated."
        );
    }

    #[test]
    fn spring_errors_give_the_message_or_else_the_error() {
        assert_eq!(
            describe_body(
                401,
                None,
                r#"{"timestamp":"2025-01-01T00:00:00.000+00:00","status":401,"error":"Unauthorized","message":"Bad credentials","path":"/login"}"#
            ),
            "Bad credentials"
        );
        for message in ["", "No message available"] {
            let body = format!(
                r#"{{"timestamp":"2025-01-01T00:00:00.000+00:00","status":401,"error":"Unauthorized","message":"{message}","path":"/login"}}"#
            );
            assert_eq!(
                describe_body(401, None, &body),
                "Unauthorized",
                "{message:?}"
            );
        }
        assert_eq!(
            describe_body(
                400,
                None,
                r#"{"status":400,"error":"Bad Request","message":"Validation failed","errors":[{"field":"username","defaultMessage":"must not be blank","code":"NotBlank","codes":["NotBlank"],"rejectedValue":""}],"path":"/login"}"#
            ),
            "username: must not be blank"
        );
    }

    #[test]
    fn many_field_errors_are_counted_not_all_listed() {
        let fields: Vec<String> = (1..=7).map(|i| format!(r#""f{i}":["Bad."]"#)).collect();
        let body = format!("{{{}}}", fields.join(","));
        assert_eq!(
            describe_body(400, None, &body),
            "f1: Bad. f2: Bad. f3: Bad. f4: Bad. (and 3 more)"
        );
        let long: Vec<String> = (1..=3)
            .map(|i| format!(r#"{{"loc":["body","f{i}"],"msg":"{}"}}"#, "x".repeat(120)))
            .collect();
        let body = format!(r#"{{"detail":[{}]}}"#, long.join(","));
        let text = describe_body(422, None, &body);
        assert_eq!(text.chars().count(), MAX_CHARS + 1, "{text}");
        assert!(text.starts_with("f1: xxx") && text.ends_with('…'), "{text}");
    }

    #[test]
    fn bodies_that_only_look_like_field_errors_are_shown_as_json() {
        for body in [
            r#"{"ok":false}"#,
            r#"{"name":"Ada"}"#,
            r#"{"items":[]}"#,
            r#"{"ids":[1,2]}"#,
            r#"{}"#,
        ] {
            assert!(
                describe_body(500, None, body).starts_with("The server answered HTTP 500"),
                "{body}"
            );
        }
        assert_eq!(
            describe_body(400, None, r#"{"error":{"message":"nested"},"errors":5}"#),
            "nested",
            "an `errors` that is no list of errors is ignored"
        );
    }

    #[test]
    fn problem_details_are_recognised_by_title_and_numeric_status_without_a_message() {
        for (body, want) in [
            (
                r#"{"title":"Oops","status":400,"detail":"more"}"#,
                "Oops: more",
            ),
            (r#"{"title":"Oops","detail":"more"}"#, "more"),
            (r#"{"title":"Oops","status":"400","detail":"more"}"#, "more"),
            (
                r#"{"title":"Oops","status":400,"detail":"more","message":"Spring's"}"#,
                "Spring's",
            ),
            (r#"{"status":400,"detail":"more"}"#, "more"),
        ] {
            assert_eq!(describe_body(400, None, body), want, "{body}");
        }
    }

    #[test]
    fn nested_field_errors_are_followed_four_levels_deep_and_no_deeper() {
        for (body, want) in [
            (r#"{"a":{"b":{"c":{"d":["x"]}}}}"#, Some("a.b.c.d: x")),
            (r#"{"a":{"b":{"c":{"d":{"e":["x"]}}}}}"#, None),
            (
                r#"{"errors":[{"a":[{"b":[{"c":["x"]}]}]}]}"#,
                Some("a.b.c: x"),
            ),
            (r#"{"errors":[{"a":[{"b":[{"c":[{"d":["x"]}]}]}]}]}"#, None),
            (r#"{"errors":[[[["x"]]]]}"#, Some("x")),
            (r#"{"errors":[[[[["x"]]]]]}"#, None),
        ] {
            let got = describe_body(400, None, body);
            match want {
                Some(want) => assert_eq!(got, want, "{body}"),
                None => assert!(
                    got.starts_with("The server answered HTTP 400 (Bad Request): {"),
                    "{body}: {got}"
                ),
            }
        }
    }

    #[test]
    fn only_a_leading_location_is_left_out_of_a_field_name() {
        assert_eq!(
            describe_body(
                422,
                None,
                r#"{"detail":[{"loc":["username"],"msg":"Field required"},{"loc":["body","user","path"],"msg":"Bad"}]}"#
            ),
            "username: Field required; user.path: Bad"
        );
        assert_eq!(
            describe_body(400, None, r#"{"address":[{"msg":"Invalid."}]}"#),
            "address: Invalid.",
            "an item without a name is the field's own"
        );
    }

    #[test]
    fn exactly_four_field_errors_are_all_listed_without_a_count() {
        assert_eq!(
            describe_body(400, None, r#"{"a":["1"],"b":["2"],"c":["3"],"d":["4"]}"#),
            "a: 1; b: 2; c: 3; d: 4"
        );
    }

    #[test]
    fn markup_in_field_errors_stays_text_and_white_space_collapses() {
        assert_eq!(
            describe_body(400, None, r#"{"password":["<b>Too</b>\n   short"]}"#),
            "password: <b>Too</b> short",
            "rendered as a text node, never as HTML"
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
