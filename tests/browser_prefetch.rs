//! The browser transport taking over the request `index.html`'s inline script
//! sent early (`window.tokengridPrefetch`), in headless Chromium. The
//! prefetches here are stand-ins built in JavaScript; requests the transport
//! sends itself go to `data:` URLs, so no server is needed.
#![cfg(target_arch = "wasm32")]

use tokengrid::auth::transport::FetchTransport;
use tokengrid::auth::{HttpRequest, Transport, TransportError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A data URL the transport fetches itself, answering `[1]`.
const OWN: &str = "data:application/json,[1]";

/// Leaves a prefetch for `url` with `authorization` on the window, as the
/// script does, answering `response` (JavaScript); returns its controller.
fn prefetch(
    url: &str,
    authorization: &str,
    failed: bool,
    response: &str,
) -> web_sys::AbortController {
    let make = js_sys::Function::new_with_args(
        "url, authorization, failed",
        &format!(
            "const controller = new AbortController();
             window.tokengridPrefetch = {{ url, authorization, controller, failed,
               response: (signal => {response})(controller.signal) }};
             return controller;"
        ),
    );
    make.call3(
        &JsValue::NULL,
        &url.into(),
        &authorization.into(),
        &failed.into(),
    )
    .expect("the stand-in is built")
    .unchecked_into()
}

fn left_on_window() -> bool {
    let window = web_sys::window().expect("window");
    !js_sys::Reflect::get(&window, &"tokengridPrefetch".into())
        .expect("readable")
        .is_undefined()
}

fn data_get(url: &str, authorization: &str) -> HttpRequest {
    let mut request = HttpRequest::get(url).with_header("Authorization", authorization);
    request.timeout_ms = Some(10_000);
    request
}

const ANSWER: &str = "Promise.resolve(new Response('{\"from\":\"prefetch\"}', { status: 203, headers: { 'x-from': 'prefetch' } }))";

#[wasm_bindgen_test]
async fn a_matching_request_takes_the_prefetched_answer_once() {
    prefetch(OWN, "Bearer t1", false, ANSWER);
    let response = FetchTransport
        .send(data_get(OWN, "Bearer t1"))
        .await
        .expect("an answer");
    assert_eq!(response.status, 203);
    assert_eq!(response.body, "{\"from\":\"prefetch\"}");
    assert_eq!(response.header("x-from"), Some("prefetch"));
    assert!(!left_on_window(), "taken off the window");
    // The next request is the transport's own.
    let response = FetchTransport
        .send(data_get(OWN, "Bearer t1"))
        .await
        .expect("an answer");
    assert_eq!((response.status, response.body.as_str()), (200, "[1]"));
    // The page's marks: the first data answer's body once; the sending is
    // the script's to mark when there was a prefetch (these stand-ins do not).
    assert_eq!(marks("tokengrid:data-received"), 1);
    assert_eq!(marks("tokengrid:data-sent"), 0);
}

fn marks(name: &str) -> u32 {
    web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance")
        .get_entries_by_name(name)
        .length()
}

#[wasm_bindgen_test]
async fn a_request_with_another_bearer_aborts_the_prefetch_and_sends_its_own() {
    let controller = prefetch(OWN, "Bearer old", false, ANSWER);
    let response = FetchTransport
        .send(data_get(OWN, "Bearer new"))
        .await
        .expect("an answer");
    assert_eq!((response.status, response.body.as_str()), (200, "[1]"));
    assert!(controller.signal().aborted(), "nothing dangles");
    assert!(!left_on_window());
}

#[wasm_bindgen_test]
async fn a_request_for_another_url_or_without_the_bearer_is_not_the_prefetch() {
    let controller = prefetch("/api:data/customers", "Bearer t", false, ANSWER);
    let response = FetchTransport
        .send(data_get(OWN, "Bearer t"))
        .await
        .expect("an answer");
    assert_eq!(response.status, 200);
    assert!(controller.signal().aborted());

    let controller = prefetch(OWN, "Bearer t", false, ANSWER);
    let response = FetchTransport
        .send(HttpRequest::get(OWN))
        .await
        .expect("an answer");
    assert_eq!(response.status, 200);
    assert!(controller.signal().aborted());
}

#[wasm_bindgen_test]
async fn a_prefetch_that_already_failed_is_forgotten() {
    prefetch(
        OWN,
        "Bearer t",
        true,
        "Promise.reject(new TypeError('Failed to fetch'))",
    );
    let response = FetchTransport
        .send(data_get(OWN, "Bearer t"))
        .await
        .expect("the transport's own answer");
    assert_eq!((response.status, response.body.as_str()), (200, "[1]"));
    assert!(!left_on_window());
}

#[wasm_bindgen_test]
async fn the_request_timeout_aborts_the_prefetch_it_took_over() {
    // A prefetch that never answers until its controller fires.
    let controller = prefetch(
        OWN,
        "Bearer t",
        false,
        "new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))",
    );
    let mut request = data_get(OWN, "Bearer t");
    request.timeout_ms = Some(1);
    let result = FetchTransport.send(request).await;
    assert_eq!(result, Err(TransportError::Timeout(1)));
    assert!(controller.signal().aborted());
}

#[wasm_bindgen_test]
async fn a_prefetched_network_error_is_the_requests_network_error() {
    // It failed after the request took it over: the client sees it as its own.
    prefetch(
        OWN,
        "Bearer t",
        false,
        "new Promise((_, reject) => setTimeout(() => reject(new TypeError('Failed to fetch')), 0))",
    );
    let result = FetchTransport.send(data_get(OWN, "Bearer t")).await;
    assert_eq!(
        result,
        Err(TransportError::Network("TypeError: Failed to fetch".into()))
    );
}

#[wasm_bindgen_test]
async fn a_body_the_script_already_read_is_taken_as_it_is() {
    prefetch(OWN, "Bearer t3", false, ANSWER);
    // As the script does: it reads the body as soon as the answer arrives.
    js_sys::eval(
        "window.tokengridPrefetch.body = window.tokengridPrefetch.response.then(r => r.arrayBuffer()).then(b => [new Uint8Array(b)])",
    )
    .expect("the body is read");
    let response = FetchTransport
        .send(data_get(OWN, "Bearer t3"))
        .await
        .expect("an answer, though the response's body is used");
    assert_eq!(response.status, 203);
    assert_eq!(response.body, "{\"from\":\"prefetch\"}");
    assert_eq!(response.header("x-from"), Some("prefetch"));
}
