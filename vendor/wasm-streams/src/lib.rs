//! The part of `wasm-streams` 0.5 that `server_fn` (a dependency of Leptos)
//! calls, on the browser's own `ReadableStream`, with no exported classes:
//! the real crate's `#[wasm_bindgen]` exports stay in every module that
//! links it, used or not. tokengrid has no server functions, so none of
//! this runs in the app; it is kept working for whoever adds one.

use futures_core::Stream;
use js_sys::{Object, Promise, Reflect};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The browser's stream types, as the real crate names them.
pub mod readable {
    pub use super::{IntoStream, ReadableStream};

    /// The raw `web-sys` types.
    pub mod sys {
        pub use web_sys::{ReadableStream, ReadableStreamDefaultReader};
    }
}

/// A browser `ReadableStream`.
#[derive(Debug)]
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

type Chunks = Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>>;

impl ReadableStream {
    /// Wraps a browser stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// A browser stream that pulls its chunks from `stream`; an `Err` item
    /// errors the stream.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let chunks: Rc<RefCell<Chunks>> = Rc::new(RefCell::new(Box::pin(stream)));
        let pull = Closure::<dyn FnMut(web_sys::ReadableStreamDefaultController) -> Promise>::new(
            move |controller: web_sys::ReadableStreamDefaultController| {
                let chunks = chunks.clone();
                wasm_bindgen_futures::future_to_promise(async move {
                    let next =
                        std::future::poll_fn(|cx| chunks.borrow_mut().as_mut().poll_next(cx));
                    match next.await {
                        Some(Ok(chunk)) => controller.enqueue_with_chunk(&chunk)?,
                        Some(Err(error)) => controller.error_with_e(&error),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let source = Object::new();
        // Setting a property of a fresh object cannot fail.
        let _ = Reflect::set(&source, &JsValue::from_str("pull"), pull.as_ref());
        // The stream owns the source, and the source the closure.
        pull.forget();
        let raw = web_sys::ReadableStream::new_with_underlying_source(&source)
            .expect_throw("ReadableStream with a pull source");
        Self { raw }
    }

    /// The browser stream.
    pub fn as_raw(&self) -> &web_sys::ReadableStream {
        &self.raw
    }

    /// The browser stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// The chunks, read with a default reader that locks the stream.
    pub fn into_stream(self) -> IntoStream<'static> {
        let reader = self.raw.get_reader().unchecked_into();
        IntoStream {
            reader: Some(reader),
            read: None,
            lifetime: std::marker::PhantomData,
        }
    }
}

/// The chunks of a [`ReadableStream`]; dropping it early cancels the stream.
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct IntoStream<'reader> {
    reader: Option<web_sys::ReadableStreamDefaultReader>,
    read: Option<JsFuture>,
    lifetime: std::marker::PhantomData<&'reader ()>,
}

impl Stream for IntoStream<'_> {
    type Item = Result<JsValue, JsValue>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(reader) = &this.reader else {
            return Poll::Ready(None);
        };
        let read = this
            .read
            .get_or_insert_with(|| JsFuture::from(reader.read()));
        let result = match Pin::new(read).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.read = None;
        let field = |result: &JsValue, name: &str| {
            Reflect::get(result, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
        };
        match result {
            Ok(result) if field(&result, "done").as_bool() != Some(true) => {
                Poll::Ready(Some(Ok(field(&result, "value"))))
            }
            Ok(_) => {
                this.reader = None;
                Poll::Ready(None)
            }
            Err(error) => {
                this.reader = None;
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

impl Drop for IntoStream<'_> {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            let _ = reader.cancel();
        }
    }
}
