//! The data table: a pure model ([`model`]) and, in the browser, the
//! component that renders it (`view`).

pub mod model;
#[cfg(target_arch = "wasm32")]
pub mod view;

pub use model::{Cell, CellKind, Column, DataError, Dataset, Paging};
