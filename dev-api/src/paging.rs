//! Xano's paging: `page` / `per_page` query inputs and the envelope a paged list answers with.
//!
//! Without either input a list answers as a bare JSON array. With one or both it answers
//! `{"itemsReceived","curPage","nextPage","prevPage","offset","perPage","items","itemsTotal",
//! "pageTotal"}` (Xano's order, totals included). Pages are 1-based; `nextPage` is `null` on
//! the last page and beyond, `prevPage` is `null` on page 1. A page past the end is not an
//! error: it answers no items.

use serde::Serialize;

use crate::errors::ApiError;

/// Page size when only `page` is given.
pub(crate) const DEFAULT_PER_PAGE: u32 = 20;

/// A validated paging request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    /// 1-based page number.
    pub(crate) page: u32,
    /// Items per page, at least 1.
    pub(crate) per_page: u32,
}

impl PageRequest {
    /// Reads `page` and `per_page` from query pairs (the last occurrence wins).
    /// `Ok(None)` when neither is present.
    pub(crate) fn from_query(pairs: &[(String, String)]) -> Result<Option<Self>, ApiError> {
        let last = |name: &str| {
            pairs
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let (page, per_page) = (last("page"), last("per_page"));
        if page.is_none() && per_page.is_none() {
            return Ok(None);
        }
        Ok(Some(Self {
            page: page.map_or(Ok(1), |value| positive("page", value))?,
            per_page: per_page.map_or(Ok(DEFAULT_PER_PAGE), |value| positive("per_page", value))?,
        }))
    }
}

/// A positive whole number, or a 400 about `param`.
fn positive(param: &str, value: &str) -> Result<u32, ApiError> {
    match value.trim().parse::<u32>() {
        Ok(number) if number >= 1 => Ok(number),
        Ok(_) => Err(ApiError::input(
            param,
            format!("Value for param {param} must be at least 1."),
        )),
        Err(_) => Err(ApiError::input(
            param,
            format!("Value for param {param} is not a whole number."),
        )),
    }
}

/// Xano's paging envelope, borrowing its items.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Page<'a, T> {
    items_received: usize,
    cur_page: u32,
    next_page: Option<u32>,
    prev_page: Option<u32>,
    offset: u64,
    per_page: u32,
    items: &'a [T],
    items_total: usize,
    page_total: u64,
}

impl<'a, T> Page<'a, T> {
    /// The page `request` asks for out of `all`.
    pub(crate) fn of(all: &'a [T], request: PageRequest) -> Self {
        let total = all.len();
        let per_page = u64::from(request.per_page);
        let page_total = (total as u64).div_ceil(per_page);
        // Both factors fit in u32, so neither the product nor `offset + per_page` overflows u64.
        let offset = u64::from(request.page.saturating_sub(1)) * per_page;
        let start = usize::try_from(offset).map_or(total, |start| start.min(total));
        let end = usize::try_from(offset + per_page).map_or(total, |end| end.min(total));
        let items = &all[start..end];
        Self {
            items_received: items.len(),
            cur_page: request.page,
            next_page: (u64::from(request.page) < page_total)
                .then(|| request.page.saturating_add(1)),
            prev_page: (request.page > 1).then(|| request.page - 1),
            offset,
            per_page: request.per_page,
            items,
            items_total: total,
            page_total,
        }
    }
}
