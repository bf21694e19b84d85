//! The stand-in's streams in a real browser:
//! `cargo test -p wasm-streams --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use futures_util::stream;
use futures_util::StreamExt;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use wasm_streams::ReadableStream;

wasm_bindgen_test_configure!(run_in_browser);

fn chunks(items: &[Result<&str, &str>]) -> Vec<Result<JsValue, JsValue>> {
    items
        .iter()
        .map(|item| item.map(JsValue::from_str).map_err(JsValue::from_str))
        .collect()
}

#[wasm_bindgen_test]
async fn a_rust_stream_reads_back_through_a_browser_stream_chunk_by_chunk() {
    let raw =
        ReadableStream::from_stream(stream::iter(chunks(&[Ok("a"), Ok("bc"), Ok("")]))).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    let read: Vec<_> = read.into_iter().map(|c| c.unwrap().as_string()).collect();
    assert_eq!(
        read,
        [Some("a".into()), Some("bc".into()), Some(String::new())]
    );
}

#[wasm_bindgen_test]
async fn an_error_item_errors_the_browser_stream_and_ends_the_read() {
    let raw =
        ReadableStream::from_stream(stream::iter(chunks(&[Ok("a"), Err("broken")]))).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(read.len(), 2, "{read:?}");
    assert_eq!(
        read[0].as_ref().ok().and_then(JsValue::as_string),
        Some("a".into())
    );
    assert_eq!(
        read[1].as_ref().err().and_then(JsValue::as_string),
        Some("broken".into())
    );
}

#[wasm_bindgen_test]
async fn a_fetch_response_body_reads_as_byte_chunks() {
    let response = web_sys::Response::new_with_opt_str(Some("hello")).unwrap();
    let body = response.body().unwrap();
    let mut bytes = Vec::new();
    let mut read = ReadableStream::from_raw(body).into_stream();
    while let Some(chunk) = read.next().await {
        bytes.extend(js_sys::Uint8Array::new(&chunk.unwrap()).to_vec());
    }
    assert_eq!(bytes, b"hello");
}
