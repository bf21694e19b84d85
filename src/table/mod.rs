//! The data table: a pure model ([`model`]) and the component that renders it ([`view`]).

pub mod model;
pub mod view;

pub use model::{Cell, CellKind, Column, DataError, Dataset, Paging};
