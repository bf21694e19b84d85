//! The mark of a response that is never sent: the server closes the connection instead.
//!
//! The `drop` fault sets it; the counters read it and record such a request under status `0`.

/// Marks a response that is never sent: the connection is closed instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HungUp;
