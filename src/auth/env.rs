//! The client's view of time, of other tabs and of URLs: the [`Environment`]
//! trait.
//!
//! In the browser, time is `Date.now()` (wall clock, so a laptop waking from
//! sleep sees the real time), the exclusive section is a Web Lock shared
//! by every tab of the origin, and where a URL goes is what the browser's
//! own `URL` parser says. Tests use a settable clock, count lock sections,
//! and parse URLs with the `url` crate.

use super::origin::{self, Origin, UrlError};
use std::future::Future;

/// Wall-clock time, waiting, a cross-tab critical section, and the URL
/// parser.
#[allow(async_fn_in_trait)]
pub trait Environment {
    /// Milliseconds since the Unix epoch, from the wall clock.
    fn now_ms(&self) -> f64;

    /// Waits about `ms` milliseconds.
    async fn sleep(&self, ms: u32);

    /// Runs `work` while holding the lock `name`, exclusive across every tab
    /// of this origin where the platform offers that; otherwise across this
    /// tab only (the client's own mutex and its compare-and-swap on the
    /// stored token then keep tabs from overwriting newer tokens).
    ///
    /// `work` is told whether the lock was contended — whether another
    /// holder had to finish first — because a tab that waited for another
    /// tab's renewal may not see that tab's `localStorage` write yet:
    /// browsers propagate it between tabs asynchronously.
    async fn exclusive<F: Future>(&self, name: &str, work: impl FnOnce(bool) -> F) -> F::Output;

    /// Calls `callback` once, about `ms` milliseconds from now, unless the
    /// returned [`Timer`] is dropped first. The default is the platform's
    /// timer: `setTimeout` in a browser; natively, where nothing runs
    /// timers, the callback is dropped unrun and tests drive time by hand.
    fn timer(&self, ms: u32, callback: impl FnOnce() + 'static) -> Timer {
        Timer::start(ms, callback)
    }

    /// The origin a request to `url` goes to, `url` resolved against `base`
    /// (the page's address) when relative; see [`origin::origin_of`]. The
    /// default is the platform's URL parser: the browser's `URL`, the very
    /// parser `fetch` uses, so the decision is where the request really
    /// goes; natively the `url` crate, which follows the same standard.
    fn origin_of(&self, url: &str, base: Option<&str>) -> Result<Option<Origin>, UrlError> {
        origin::origin_of(url, base)
    }
}

impl<E: Environment + ?Sized> Environment for std::rc::Rc<E> {
    fn now_ms(&self) -> f64 {
        (**self).now_ms()
    }
    async fn sleep(&self, ms: u32) {
        (**self).sleep(ms).await
    }
    async fn exclusive<F: Future>(&self, name: &str, work: impl FnOnce(bool) -> F) -> F::Output {
        (**self).exclusive(name, work).await
    }
    fn timer(&self, ms: u32, callback: impl FnOnce() + 'static) -> Timer {
        (**self).timer(ms, callback)
    }
    fn origin_of(&self, url: &str, base: Option<&str>) -> Result<Option<Origin>, UrlError> {
        (**self).origin_of(url, base)
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
        #[wasm_bindgen(method, js_name = request)]
        fn request_with_options(
            this: &LockManager,
            name: &str,
            options: &JsValue,
            callback: &js_sys::Function,
        ) -> js_sys::Promise;
    }

    /// Releases a Web Lock when dropped.
    struct Release(js_sys::Function);

    impl Drop for Release {
        fn drop(&mut self) {
            let _ = self.0.call0(&JsValue::UNDEFINED);
        }
    }

    /// [`Environment`] in a browser tab: `Date.now()`, `setTimeout` and
    /// `navigator.locks`.
    #[derive(Debug, Default, Clone, Copy)]
    pub struct BrowserEnvironment;

    fn lock_manager() -> Option<LockManager> {
        let navigator = web_sys::window()?.navigator();
        let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
        (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
    }

    /// Asks for the lock (at once only, with `if_available`) and resolves
    /// with its release guard, or `None` when it was not available.
    async fn acquire(locks: &LockManager, name: &str, if_available: bool) -> Option<Release> {
        // The lock is held until the promise our callback returns settles:
        // the callback hands us its `resolve`; dropping `Release` calls it —
        // after the work, or when the waiting future is cancelled.
        let (granted_tx, granted_rx) = oneshot::channel::<Option<Release>>();
        let callback = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
            if lock.is_null() {
                let _ = granted_tx.send(None);
                return js_sys::Promise::resolve(&JsValue::UNDEFINED);
            }
            let mut resolve_slot = None;
            let held = js_sys::Promise::new(&mut |resolve, _reject| resolve_slot = Some(resolve));
            if let Some(resolve) = resolve_slot {
                // If we stopped waiting, the Release drops here: freed at once.
                let _ = granted_tx.send(Some(Release(resolve)));
            }
            held
        });
        let _request = if if_available {
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
            locks.request_with_options(name, &options, callback.unchecked_ref())
        } else {
            locks.request(name, callback.unchecked_ref())
        };
        granted_rx.await.ok().flatten()
    }

    impl Environment for BrowserEnvironment {
        fn now_ms(&self) -> f64 {
            js_sys::Date::now()
        }

        async fn sleep(&self, ms: u32) {
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                if let Some(window) = web_sys::window() {
                    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                        &resolve,
                        i32::try_from(ms).unwrap_or(i32::MAX),
                    );
                }
            });
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        }

        async fn exclusive<F: Future>(
            &self,
            name: &str,
            work: impl FnOnce(bool) -> F,
        ) -> F::Output {
            let Some(locks) = lock_manager() else {
                return work(false).await;
            };
            if let Some(_release) = acquire(&locks, name, true).await {
                return work(false).await;
            }
            match acquire(&locks, name, false).await {
                Some(_release) => work(true).await,
                // The browser dropped the request: run unlocked rather than never.
                None => work(true).await,
            }
        }
    }
}

/// A pending timer: dropping it (or [`Timer::cancel`]) clears it.
#[must_use = "dropping a Timer clears it"]
pub struct Timer(Option<Box<dyn FnOnce()>>);

impl Timer {
    /// A timer that `clear` cancels: called once, when the handle goes.
    pub fn new(clear: impl FnOnce() + 'static) -> Self {
        Self(Some(Box::new(clear)))
    }

    /// Clears the timer.
    pub fn cancel(self) {}

    #[cfg(target_arch = "wasm32")]
    fn start(ms: u32, callback: impl FnOnce() + 'static) -> Self {
        use wasm_bindgen::{JsCast, closure::Closure};
        let Some(window) = web_sys::window() else {
            return Self(None);
        };
        let callback = Closure::once_into_js(callback);
        let id = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            i32::try_from(ms).unwrap_or(i32::MAX),
        );
        match id {
            Ok(id) => Self::new(move || window.clear_timeout_with_handle(id)),
            Err(_) => Self(None),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn start(_ms: u32, _callback: impl FnOnce() + 'static) -> Self {
        Self(None)
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(clear) = self.0.take() {
            clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    type Started = (u32, Box<dyn FnOnce()>);

    /// Keeps the callbacks of the timers it starts; dropping a handle
    /// records that the timer was cleared. Records the URLs it is asked
    /// about.
    #[derive(Default)]
    struct Recorder {
        started: RefCell<Vec<Started>>,
        cleared: Rc<RefCell<u32>>,
        asked: RefCell<Vec<String>>,
    }

    impl Environment for Recorder {
        fn now_ms(&self) -> f64 {
            0.0
        }
        async fn sleep(&self, _ms: u32) {}
        async fn exclusive<F: Future>(&self, _: &str, work: impl FnOnce(bool) -> F) -> F::Output {
            work(false).await
        }
        fn timer(&self, ms: u32, callback: impl FnOnce() + 'static) -> Timer {
            self.started.borrow_mut().push((ms, Box::new(callback)));
            let cleared = self.cleared.clone();
            Timer::new(move || *cleared.borrow_mut() += 1)
        }
        fn origin_of(&self, url: &str, base: Option<&str>) -> Result<Option<Origin>, UrlError> {
            self.asked.borrow_mut().push(url.to_owned());
            origin::origin_of(url, base)
        }
    }

    #[test]
    fn an_environment_behind_an_rc_parses_urls_with_its_own_parser() {
        let env = Rc::new(Recorder::default());
        let origin = env.origin_of("http://0x7f.1:9300\\@127.0.0.1:9302/x", None);
        assert_eq!(
            origin.map(|o| o.map(|o| o.as_str().to_owned())),
            Ok(Some("http://127.0.0.1:9300".to_owned()))
        );
        assert_eq!(
            *env.asked.borrow(),
            ["http://0x7f.1:9300\\@127.0.0.1:9302/x"]
        );
        assert!(env.origin_of("http://127.0.0.1:99999/", None).is_err());
        assert_eq!(
            Recorder::default().origin_of("data:,x", None),
            Ok(None),
            "only http(s) URLs have an origin a bearer could go to"
        );
    }

    #[test]
    fn an_environment_behind_an_rc_starts_its_own_timers() {
        let env = Rc::new(Recorder::default());
        let fired = Rc::new(RefCell::new(false));
        let flag = fired.clone();
        let timer = env.timer(250, move || *flag.borrow_mut() = true);
        let (ms, callback) = env
            .started
            .borrow_mut()
            .pop()
            .expect("the timer was started");
        assert_eq!(ms, 250);
        callback();
        assert!(*fired.borrow());
        assert_eq!(*env.cleared.borrow(), 0);
        drop(timer);
        assert_eq!(
            *env.cleared.borrow(),
            1,
            "dropping the handle clears the timer"
        );
    }

    #[test]
    fn a_timer_is_cleared_once_whether_cancelled_or_dropped() {
        let cleared = Rc::new(RefCell::new(0));
        let count = cleared.clone();
        Timer::new(move || *count.borrow_mut() += 1).cancel();
        assert_eq!(*cleared.borrow(), 1);
    }
}
