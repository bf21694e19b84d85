//! The table component.
