//! Authentication: the API client and the seams it uses to reach the world.
//!
//! Nothing in this module imports Leptos or touches the browser except the
//! `wasm32`-only implementations in [`transport`] and [`store`]; the client
//! itself is driven natively in tests with a scripted transport and an
//! in-memory store.

pub mod client;
pub mod error;
pub mod message;
pub mod session;
pub mod store;
pub mod token;
pub mod transport;

pub use client::{ApiClient, AuthSettings};
pub use error::ApiError;
pub use session::Credentials;
pub use store::{MemoryStore, StoreError, TokenStore};
pub use transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
