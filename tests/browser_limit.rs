//! `maxResponseBytes` in headless Chromium: the browser transport reads at
//! most that many bytes of an answer — none when its `Content-Length` says
//! more, else chunk by chunk until the count passes it — and the client
//! reports the answer with the setting named. Streams built in JavaScript
//! show how far the body is read; the live development API (its URL in
//! TOKENGRID_TEST_API at build time, as scripts/test.sh starts it) answers
//! with a `Content-Length`.
#![cfg(target_arch = "wasm32")]

use tokengrid::auth::env::BrowserEnvironment;
use tokengrid::auth::store::LocalStorageStore;
use tokengrid::auth::transport::FetchTransport;
use tokengrid::auth::{ApiClient, ApiError, Credentials, HttpRequest, Transport, TransportError};
use tokengrid::config::Config;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The URL a stand-in answer is taken over for (never fetched).
const STAND_IN: &str = "data:application/json,[]";

/// Leaves an early request for [`STAND_IN`] on the window, as `index.html`'s
/// script does, answering `response` (JavaScript, a `Promise<Response>`)
/// with `body` (JavaScript: the script's read of the body, or `undefined`
/// to leave the reading to the transport).
fn early(response: &str, body: &str) {
    js_sys::eval(&format!(
        "window.tokengridPrefetch = {{ url: {STAND_IN:?}, authorization: 'Bearer t',
           controller: new AbortController(), failed: false,
           response: {response}, body: {body} }}"
    ))
    .expect("the stand-in is built");
}

/// A `Response` whose body is a stream of `chunks` (JavaScript arrays of
/// bytes), pulled one at a time; `window.pulled` counts the chunks pulled.
/// `headers` is a JavaScript object.
fn streamed(chunks: &str, headers: &str) -> String {
    format!(
        "(() => {{
           const chunks = {chunks};
           window.pulled = 0;
           const body = new ReadableStream({{
             pull(c) {{
               if (window.pulled == chunks.length) return c.close();
               c.enqueue(new Uint8Array(chunks[window.pulled++]));
             }}
           }}, {{ highWaterMark: 0 }});
           return Promise.resolve(new Response(body, {{ headers: {headers} }}));
         }})()"
    )
}

fn pulled() -> f64 {
    let window = web_sys::window().expect("window");
    js_sys::Reflect::get(&window, &"pulled".into())
        .ok()
        .and_then(|n| n.as_f64())
        .expect("a count")
}

/// A `GET` of the stand-in's URL with its bearer, read up to `limit` bytes.
fn get(limit: u64) -> HttpRequest {
    let mut request = HttpRequest::get(STAND_IN).with_header("Authorization", "Bearer t");
    request.max_response_bytes = Some(limit);
    request
}

/// `n` bytes of `a`, as a JavaScript array.
fn bytes(n: usize) -> String {
    format!("Array({n}).fill(97)")
}

#[wasm_bindgen_test]
async fn a_stream_is_read_up_to_the_chunk_that_passes_the_limit_and_no_further() {
    let five = format!("[{}]", vec![bytes(1000); 5].join(","));
    early(&streamed(&five, "{}"), "undefined");
    let result = FetchTransport.send(get(2500)).await;
    assert_eq!(result, Err(TransportError::TooLarge(2500)));
    assert_eq!(
        pulled(),
        3.0,
        "the third chunk passes 2,500 bytes: none after it"
    );

    early(&streamed(&five, "{}"), "undefined");
    let response = FetchTransport.send(get(5000)).await.expect("read whole");
    assert_eq!(
        response.body,
        "a".repeat(5000),
        "exactly the limit is read whole"
    );
    assert_eq!(pulled(), 5.0);
}

#[wasm_bindgen_test]
async fn a_length_over_the_limit_refuses_the_body_unread() {
    let headers = "{ 'Content-Length': '1025' }";
    early(&streamed(&format!("[{}]", bytes(10)), headers), "undefined");
    let result = FetchTransport.send(get(1024)).await;
    assert_eq!(result, Err(TransportError::TooLarge(1024)));
    assert_eq!(pulled(), 0.0, "not a byte read");

    // A length that lies low does not let more through: the count decides.
    let headers = "{ 'Content-Length': '10' }";
    early(
        &streamed(&format!("[{}]", bytes(2000)), headers),
        "undefined",
    );
    let result = FetchTransport.send(get(1024)).await;
    assert_eq!(result, Err(TransportError::TooLarge(1024)));
}

#[wasm_bindgen_test]
async fn bytes_are_counted_not_characters_and_decoded_as_response_text_does() {
    // "é" is two bytes in UTF-8, one UTF-16 unit: 600 of them are 1,200 bytes.
    let accents = "[Array(600).fill([0xc3, 0xa9]).flat()]";
    early(&streamed(accents, "{}"), "undefined");
    let result = FetchTransport.send(get(1024)).await;
    assert_eq!(result, Err(TransportError::TooLarge(1024)));

    // A character split across chunks, a byte order mark, a cut-off end.
    let chunks = "[[0xef, 0xbb, 0xbf, 0x63, 0xc3], [0xa9, 0x20], [0xe2, 0x82]]";
    early(&streamed(chunks, "{}"), "undefined");
    let response = FetchTransport.send(get(1024)).await.expect("read whole");
    assert_eq!(response.body, "cé \u{fffd}");
}

#[wasm_bindgen_test]
async fn an_early_body_over_the_limit_is_the_same_error_as_the_transports_own() {
    early(&streamed("[]", "{}"), "Promise.resolve(false)");
    let result = FetchTransport.send(get(4096)).await;
    assert_eq!(result, Err(TransportError::TooLarge(4096)));
}

#[wasm_bindgen_test]
async fn a_data_url_answer_over_the_limit_fails_and_one_under_it_is_read_whole() {
    let url = format!("data:application/json,\"{}\"", "x".repeat(2000));
    let mut request = HttpRequest::get(&url);
    request.max_response_bytes = Some(1024);
    assert_eq!(
        FetchTransport.send(request.clone()).await,
        Err(TransportError::TooLarge(1024))
    );
    request.max_response_bytes = Some(2002);
    let response = FetchTransport.send(request).await.expect("read whole");
    assert_eq!(response.body.len(), 2002);
}

fn api() -> &'static str {
    match option_env!("TOKENGRID_TEST_API") {
        Some(url) => url,
        None => panic!("set TOKENGRID_TEST_API to a running dev API (scripts/test.sh does this)"),
    }
}

/// A client as the app makes it, against the test API, reading at most `limit` bytes.
fn client(limit: u64) -> ApiClient<FetchTransport, LocalStorageStore, BrowserEnvironment> {
    let config = Config::from_json(&format!(
        r#"{{"loginUrl":"{0}/api:auth/auth/login","dataUrl":"{0}/api:data/customers",
            "storageKey":"limit-test","maxResponseBytes":{limit}}}"#,
        api()
    ))
    .expect("a valid configuration");
    let origin = web_sys::window().unwrap().location().origin().ok();
    ApiClient::new(
        config.auth_settings(origin.as_deref()),
        FetchTransport,
        LocalStorageStore::new("limit-test"),
        BrowserEnvironment,
    )
}

#[wasm_bindgen_test]
async fn the_data_answer_over_the_setting_is_an_error_naming_it_and_a_smaller_page_is_read() {
    let client = client(4096);
    client
        .log_in(Credentials::new("demo@tokengrid.dev", "tokengrid-demo"))
        .await
        .expect("the login answer fits in 4 KiB");
    let data = format!("{}/api:data/customers", api());
    let error = client.get_json(&data).await.expect_err("300 rows are more");
    assert_eq!(
        error.to_string(),
        format!(
            "The answer from {data} is larger than 4 KiB, the `maxResponseBytes` setting. Ask for fewer rows (paging) or raise the setting."
        )
    );
    assert!(matches!(error, ApiError::TooLarge { limit: 4096, .. }));
    let page = client
        .get_json(&format!("{data}?page=1&per_page=3"))
        .await
        .expect("three rows fit");
    assert_eq!(page["items"].as_array().map(Vec::len), Some(3));
    client.log_out();
}
