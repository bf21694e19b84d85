//! tokengrid: a Leptos single-page app that keeps a JWT-protected data table
//! loaded through token expiry.
//!
//! The crate is split so that everything with logic in it runs natively:
//!
//! * [`config`] — the runtime configuration read from `index.html`.
//! * [`auth`] — the HTTP client that attaches the bearer token, and on a 401
//!   logs in again with in-memory credentials and replays the request once.
//!   It talks to the world only through the [`auth::Transport`] and
//!   [`auth::TokenStore`] traits.
//! * [`table`] — the pure table model (rows from JSON, columns, cell text)
//!   and, in the browser, the thin view that renders it.
//! * [`page`] — the page's state machine: which side shows, the data load,
//!   automatic retries, and what a session change does to them.
//! * [`perf`] — the named marks on the browser's performance timeline.
//! * [`text`] — how JSON values and numbers read in messages; the bottom
//!   layer, used by all of the above.
//! * `app` and `components` (wasm32 only) — the Leptos glue.

pub mod auth;
pub mod config;
pub mod form;
pub mod page;
pub mod perf;
pub mod retry;
pub mod table;
pub mod text;
pub mod timeline;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod dom;

#[cfg(target_arch = "wasm32")]
pub use app::app;
