//! The client's view of time and of other tabs: the [`Environment`] trait.
//!
//! In the browser, time is `Date.now()` (wall clock, so a laptop waking from
//! sleep sees the real time) and the exclusive section is a Web Lock shared
//! by every tab of the origin. Tests use a settable clock and count lock
//! sections.

use std::future::Future;

/// Wall-clock time and a cross-tab critical section.
#[allow(async_fn_in_trait)]
pub trait Environment {
    /// Milliseconds since the Unix epoch, from the wall clock.
    fn now_ms(&self) -> f64;

    /// Runs `work` while holding the lock `name`, exclusive across every tab
    /// of this origin where the platform offers that; otherwise across this
    /// tab only (the client's own mutex and its compare-and-swap on the
    /// stored token then keep tabs from overwriting newer tokens).
    async fn exclusive<F: Future>(&self, name: &str, work: F) -> F::Output;
}

impl<E: Environment + ?Sized> Environment for std::rc::Rc<E> {
    fn now_ms(&self) -> f64 {
        (**self).now_ms()
    }
    async fn exclusive<F: Future>(&self, name: &str, work: F) -> F::Output {
        (**self).exclusive(name, work).await
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::BrowserEnvironment;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use futures::channel::oneshot;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `navigator.locks` (Web Locks API).
        type LockManager;
        #[wasm_bindgen(method, js_name = request)]
        fn request(this: &LockManager, name: &str, callback: &js_sys::Function) -> js_sys::Promise;
    }

    /// Releases a Web Lock when dropped.
    struct Release(js_sys::Function);

    impl Drop for Release {
        fn drop(&mut self) {
            let _ = self.0.call0(&JsValue::UNDEFINED);
        }
    }

    /// [`Environment`] in a browser tab: `Date.now()` and `navigator.locks`.
    #[derive(Debug, Default, Clone, Copy)]
    pub struct BrowserEnvironment;

    fn lock_manager() -> Option<LockManager> {
        let navigator = web_sys::window()?.navigator();
        let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
        (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
    }

    impl Environment for BrowserEnvironment {
        fn now_ms(&self) -> f64 {
            js_sys::Date::now()
        }

        async fn exclusive<F: Future>(&self, name: &str, work: F) -> F::Output {
            let Some(locks) = lock_manager() else {
                return work.await;
            };
            // The lock is held until the promise our callback returns settles:
            // the callback hands us its `resolve`; dropping `Release` calls
            // it — after `work`, or when this future is cancelled mid-way.
            let (granted_tx, granted_rx) = oneshot::channel::<Release>();
            let callback = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
                let mut resolve_slot = None;
                let held =
                    js_sys::Promise::new(&mut |resolve, _reject| resolve_slot = Some(resolve));
                if let Some(resolve) = resolve_slot {
                    // If we stopped waiting, the returned Release drops here
                    // and the lock is freed at once.
                    let _ = granted_tx.send(Release(resolve));
                }
                held
            });
            let _request = locks.request(name, callback.unchecked_ref());
            let Ok(_release) = granted_rx.await else {
                // The browser dropped the request: run unlocked rather than never.
                return work.await;
            };
            work.await
        }
    }
}
