//! The client's own rules over `tests/prefetch_cases.json`: for each case,
//! the configuration is read by [`Config::from_json`], the page opens as the
//! app opens it ([`PageState`] with `Event::Opened`), and the [`ApiClient`]
//! sends its first request through a recording transport. The inline script
//! in `index.html` is held to the same cases by `e2e/prefetch_rules.test.mjs`.

use crate::auth::store::usable_token;
use crate::auth::transport::BodyLimit;
use crate::auth::{
    ApiClient, ApiError, Environment, HttpRequest, HttpResponse, Method, StoredToken, TokenStore,
    Transport, TransportError,
};
use crate::config::Config;
use crate::page::{Effect, Event, PageState};
use futures::executor::block_on;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Records every request and answers each with an empty table.
#[derive(Default)]
struct Recorder(RefCell<Vec<HttpRequest>>);

impl Transport for Recorder {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.borrow_mut().push(request);
        Ok(HttpResponse {
            status: 200,
            headers: Vec::new(),
            body: "[]".into(),
        })
    }
}

/// The clock stands at the case's `now`.
struct Clock(f64);

impl Environment for Clock {
    fn now_ms(&self) -> f64 {
        self.0
    }
    async fn sleep(&self, _ms: u32) {}
    async fn exclusive<F: std::future::Future>(
        &self,
        _name: &str,
        work: impl FnOnce(bool) -> F,
    ) -> F::Output {
        work(false).await
    }
}

/// `localStorage` as the browser store reads it: the token under the key
/// (through the token rule, [`usable_token`]) and its receipt time from
/// `<key>.meta` when that entry names the same token's tail.
struct Storage {
    items: RefCell<HashMap<String, String>>,
    key: String,
}

impl TokenStore for Storage {
    fn load(&self) -> Option<StoredToken> {
        let items = self.items.borrow();
        let token = usable_token(items.get(&self.key).cloned())?;
        let received_at = items
            .get(&format!("{}.meta", self.key))
            .and_then(|meta| serde_json::from_str::<Value>(meta).ok())
            .and_then(|meta| {
                let tail = &token[token.len().saturating_sub(12)..];
                (meta.get("tail")?.as_str()? == tail).then(|| meta.get("receivedAt")?.as_f64())?
            });
        Some(StoredToken { token, received_at })
    }
    fn save(&self, token: &StoredToken) -> Result<(), crate::auth::StoreError> {
        self.items
            .borrow_mut()
            .insert(self.key.clone(), token.token.clone());
        Ok(())
    }
    fn clear(&self) {
        self.items.borrow_mut().remove(&self.key);
    }
    fn silent_logins(&self) -> Vec<f64> {
        Vec::new()
    }
    fn set_silent_logins(&self, _: &[f64]) {}
}

/// A stored value: text, or `{"repeat": s, "times": n}`.
fn stored_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other["repeat"]
            .as_str()
            .expect("repeat")
            .repeat(other["times"].as_u64().expect("times") as usize),
    }
}

/// The first request the client sends on opening, if any.
fn first_request(case: &Value, page_origin: &str, default_now: f64) -> Option<HttpRequest> {
    let text = match (&case["config"], &case["configText"]) {
        (Value::Null, Value::String(text)) => text.clone(),
        (Value::Null, _) => return None, // no configuration block: the app stops there
        (config, _) => config.to_string(),
    };
    let config = Config::from_json(&text).ok()?;
    let items = case["storage"]
        .as_object()
        .expect("storage")
        .iter()
        .map(|(key, value)| (key.clone(), stored_value(value)))
        .collect();
    let store = Storage {
        items: RefCell::new(items),
        key: config.storage_key.clone(),
    };
    let now = case["now"].as_f64().unwrap_or(default_now);
    let transport = Rc::new(Recorder::default());
    let client = ApiClient::new(
        config.auth_settings(Some(page_origin)),
        transport.clone(),
        store,
        Clock(now),
    );
    let mut page = PageState::<()>::new(config.data_url.clone(), client.has_token());
    for effect in page.handle(Event::Opened, now) {
        if let Effect::StartRequest { url, .. } = effect {
            let _ = block_on(client.get_json(&url));
        }
    }
    transport.0.borrow().first().cloned()
}

#[test]
fn the_client_sends_first_what_every_prefetch_case_says() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/prefetch_cases.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the cases"))
        .expect("the cases are JSON");
    let page_origin = file["pageOrigin"].as_str().expect("pageOrigin");
    let now = file["now"].as_f64().expect("now");
    let cases = file["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40, "the cases are all there");
    let mut wrong = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let want = &case["request"];
        assert!(
            !(case["prefetch"] == Value::Bool(false) && want.is_null()),
            "{name}: the script cannot step aside from a request nobody sends"
        );
        let got = first_request(case, page_origin, now).map(|request| {
            assert_eq!(request.method, Method::Get, "{name}");
            assert_eq!(request.body, None, "{name}");
            let authorization = match request.headers.as_slice() {
                [] => Value::Null,
                [(header, value)] if header == "Authorization" => Value::from(value.as_str()),
                other => panic!("{name}: unexpected headers {other:?}"),
            };
            serde_json::json!({
                "url": request.url,
                "authorization": authorization,
                "timeoutMs": request.timeout_ms,
            })
        });
        if got.as_ref().unwrap_or(&Value::Null) != want {
            wrong.push(format!("{name}: sent {got:?}, the case says {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_script_defaults_are_the_apps() {
    let html = include_str!("../../../index.html");
    let start = html
        .find("var DEFAULTS = ")
        .expect("DEFAULTS in index.html")
        + 15;
    let end = start + html[start..].find("};").expect("end of DEFAULTS") + 1;
    let defaults = &html[start..end];
    assert_eq!(
        Config::from_json(defaults).expect("the script's defaults are a valid configuration"),
        Config::default(),
        "index.html's DEFAULTS are the defaults of src/config/settings.rs"
    );
    let names: Vec<String> = serde_json::from_str::<Value>(defaults)
        .expect("JSON")
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    assert_eq!(names.len(), 22, "every setting: {names:?}");
}

/// The bytes of one chunk of a body case: a number of bytes (that many
/// `a`), a string's UTF-8 bytes, or `{"bytes": [...]}`.
fn chunk_bytes(chunk: &Value) -> Vec<u8> {
    match chunk {
        Value::Number(n) => vec![b'a'; n.as_u64().expect("a byte count") as usize],
        Value::String(text) => text.as_bytes().to_vec(),
        other => other["bytes"]
            .as_array()
            .expect("bytes")
            .iter()
            .map(|b| b.as_u64().expect("a byte") as u8)
            .collect(),
    }
}

/// The client's read of a body under `limit`, as the browser transport
/// does it: the length first, then chunk by chunk. How many chunks it
/// read (the last read of a whole body says "done"), and whether it
/// refused the body as too large.
fn read_case(limit: u64, content_length: Option<&str>, chunks: Option<&[Value]>) -> (usize, bool) {
    let mut budget = BodyLimit::new(limit);
    if budget.admit(content_length).is_err() {
        return (0, true);
    }
    let Some(chunks) = chunks else {
        return (0, false); // no body: the empty text, nothing read
    };
    let mut reads = 0;
    for chunk in chunks {
        reads += 1;
        match budget.count(chunk_bytes(chunk).len() as u64) {
            Ok(()) => {}
            Err(TransportError::TooLarge(n)) => {
                assert_eq!(n, limit, "the error carries the limit");
                return (reads, true);
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    (reads + 1, false)
}

#[test]
fn the_client_reads_every_body_case_as_the_case_says() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/prefetch_cases.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("the cases"))
        .expect("the cases are JSON");
    let cases = file["bodies"].as_array().expect("bodies");
    assert!(cases.len() >= 20, "the body cases are all there");
    let mut wrong = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let limit = case["limit"].as_u64().expect("limit");
        let chunks = case["chunks"].as_array().map(Vec::as_slice);
        let got = read_case(limit, case["contentLength"].as_str(), chunks);
        let want = (
            case["reads"].as_u64().expect("reads") as usize,
            case["over"].as_bool().expect("over"),
        );
        if got != want {
            wrong.push(format!(
                "{name}: read {} chunks, over: {}; the case says {} and {}",
                got.0, got.1, want.0, want.1
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Records every request and refuses each answer as larger than the
/// request's limit, as the browser transport does.
#[derive(Default)]
struct Oversize(RefCell<Vec<HttpRequest>>);

impl Transport for Oversize {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let limit = request.max_response_bytes.expect("the client sets a limit");
        self.0.borrow_mut().push(request);
        Err(TransportError::TooLarge(limit))
    }
}

#[test]
fn the_configured_limit_reaches_data_requests_and_logins_and_names_the_setting() {
    let config = Config::from_json(r#"{"maxResponseBytes": 4096}"#).unwrap();
    let transport = Rc::new(Oversize::default());
    let client = ApiClient::new(
        config.auth_settings(Some("http://127.0.0.1:8080")),
        transport.clone(),
        crate::auth::MemoryStore::with_raw("t1"),
        Clock(0.0),
    );
    let error = block_on(client.get_json("/api:data/customers")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "The answer from /api:data/customers is larger than 4 KiB, the `maxResponseBytes` setting. Ask for fewer rows (paging) or raise the setting."
    );
    assert!(!error.needs_login(), "a data error, not the form");
    assert_eq!(
        crate::retry::after_failure(&error, 0),
        crate::retry::Next::WaitForUser,
        "not retried by itself: the answer would be as large"
    );
    let login = block_on(client.log_in(crate::auth::Credentials::new("a@b.c", "pw"))).unwrap_err();
    assert_eq!(
        login,
        ApiError::TooLarge {
            url: "/api:auth/auth/login".into(),
            limit: 4096,
            token_setting: Some("loginUrl"),
        },
        "the login form shows it"
    );
    let mut own = HttpRequest::get("/api:data/customers");
    own.max_response_bytes = Some(2048);
    let error = block_on(client.send(own)).unwrap_err();
    assert!(
        matches!(error, ApiError::TooLarge { limit: 2048, .. }),
        "{error:?}"
    );
    let limits: Vec<Option<u64>> = transport
        .0
        .borrow()
        .iter()
        .map(|r| r.max_response_bytes)
        .collect();
    assert_eq!(
        limits,
        [Some(4096), Some(4096), Some(2048)],
        "the data request and the login under the setting; a request's own limit is kept"
    );
}
