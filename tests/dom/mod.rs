//! DOM helpers shared by the browser tests: an element of the test's own to
//! mount into, a wait for Leptos' scheduled effects and spawned tasks, and a
//! timer. Each test file uses a part of them.
#![allow(dead_code)]

use wasm_bindgen::JsCast;

/// A fresh `<div>` appended to the body.
pub fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

/// Lets Leptos run the effects a change scheduled, and spawned tasks run.
pub async fn settle() {
    sleep(0).await;
}

/// Waits `ms` milliseconds (a browser timer).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
