//! The data table: a pure model ([`parse`], [`model`], [`query`], [`pager`],
//! [`sort`], [`csv`]) and, in the browser, the component that renders it (`view`),
//! which only wires signals to the model and the model's answers to the DOM.

pub mod csv;
pub mod model;
pub mod pager;
pub mod parse;
pub mod query;
pub mod sort;
pub mod time;
#[cfg(target_arch = "wasm32")]
pub mod view;

pub use model::{Cell, CellKind, Column, ColumnKind, DataError, Dataset, Paging};
pub use pager::{Nav, Pager, Turn};
pub use query::{Query, Selection, SortSpec, TableState};
pub use sort::Direction;
