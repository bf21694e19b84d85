//! Authentication: the API client and the seams it uses to reach the world.
//!
//! Nothing in this module imports Leptos. The browser is reached only
//! through the `wasm32`-only implementations in [`transport`], [`store`]
//! and [`env`]; the client itself is driven natively in tests with a
//! scripted transport, an in-memory store and a settable clock.

pub mod body;
pub mod breaker;
pub mod client;
pub mod decode;
pub mod env;
pub mod error;
pub mod events;
pub mod jws;
pub mod lifetime;
pub mod message;
pub mod origin;
pub mod prefetch;
pub mod refresh;
pub mod schedule;
pub mod session;
pub mod single_flight;
pub mod store;
pub mod token;
pub mod transport;

pub use client::{ApiClient, AuthSettings};
pub use env::Environment;
pub use error::ApiError;
pub use events::{ClientEvent, RenewReason};
pub use origin::ApiOrigins;
pub use session::{Credentials, SessionState};
pub use store::{MemoryStore, StoreError, StoredToken, TokenStore};
pub use transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
