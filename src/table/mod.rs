//! The data table: a pure model ([`model`], [`query`], [`sort`], [`csv`])
//! and, in the browser, the component that renders it (`view`).

pub mod csv;
pub mod model;
pub mod query;
pub mod sort;
pub mod time;
#[cfg(target_arch = "wasm32")]
pub mod view;

pub use model::{Cell, CellKind, Column, ColumnKind, DataError, Dataset, Paging};
pub use query::{Pager, Selection, SortSpec, TableState};
pub use sort::Direction;
