//! Named points on the browser's performance timeline, so anyone can read the load's breakdown
//! in the developer tools' performance panel (and the benchmark can print it).
//!
//! The names are part of the page's public surface:
//!
//! * `tokengrid:wasm-ready` — the module is instantiated and `main` runs;
//! * `tokengrid:data-sent` — the first data request leaves (from the inline prefetch script when
//!   it sends one, otherwise from the client);
//! * `tokengrid:data-received` — its answer's body has arrived;
//! * `tokengrid:first-row` — the first table row is in the document (the first page `index.html`'s
//!   script draws from the prefetched answer, or the app's own table);
//! * `tokengrid:app-row` — the app's own table shows its first row: the page is live.
//!
//! Natively (tests) a mark does nothing.

/// The module is instantiated and `main` runs.
pub const WASM_READY: &str = "tokengrid:wasm-ready";
/// The first data request leaves.
pub const DATA_SENT: &str = "tokengrid:data-sent";
/// The first data answer's body has arrived.
pub const DATA_RECEIVED: &str = "tokengrid:data-received";
/// The first table row is in the document.
pub const FIRST_ROW: &str = "tokengrid:first-row";
/// The app's own table shows its first row (the page is live): after
/// [`FIRST_ROW`] when `index.html`'s script drew the first page, at it otherwise.
pub const APP_ROW: &str = "tokengrid:app-row";

/// Records `name` unless the timeline has it already (`tokengrid:first-row`
/// from the first page `index.html`'s script draws).
pub fn mark_once(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(performance) = web_sys::window().and_then(|w| w.performance())
        && performance.get_entries_by_name(name).length() == 0
    {
        let _ = performance.mark(name);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

/// Records `name` on the page's performance timeline; ignored where there is none.
pub fn mark(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        // A mark can only fail for a reserved name; ours are not.
        let _ = performance.mark(name);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}
