//! What the user asked of the table — sort, search, per-column filters,
//! page, page size, hidden columns — and the rows that answer it. Pure:
//! tested natively, and fast enough for 10,000 rows within a frame.

use super::model::{Column, Dataset};
use super::sort::Direction;

/// Page sizes the user can choose; `None` in [`TableState::page_size`] is "all".
pub const PAGE_SIZES: [usize; 4] = [10, 25, 50, 100];

/// The sorted column and direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortSpec {
    /// The column's key.
    pub key: String,
    /// The direction.
    pub direction: Direction,
}

/// The user's view of the table. Survives refreshes and re-logins: it
/// lives beside the data, not in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableState {
    /// The sort, if any.
    pub sort: Option<SortSpec>,
    /// Text searched for across all columns.
    pub search: String,
    /// Per-column filter text, by column key.
    pub filters: Vec<(String, String)>,
    /// The page, 0-based (client-side paging).
    pub page: usize,
    /// Rows per page; `None` shows all.
    pub page_size: Option<usize>,
    /// Keys of hidden columns.
    pub hidden: Vec<String>,
}

impl Default for TableState {
    fn default() -> Self {
        Self {
            sort: None,
            search: String::new(),
            filters: Vec::new(),
            page: 0,
            page_size: Some(25),
            hidden: Vec::new(),
        }
    }
}

impl TableState {
    /// Header click: none → ascending → descending → none; another column
    /// starts at ascending.
    pub fn toggle_sort(&mut self, key: &str) {
        self.sort = match self.sort.take() {
            Some(SortSpec {
                key: k,
                direction: Direction::Ascending,
            }) if k == key => Some(SortSpec {
                key: k,
                direction: Direction::Descending,
            }),
            Some(SortSpec {
                key: k,
                direction: Direction::Descending,
            }) if k == key => None,
            _ => Some(SortSpec {
                key: key.to_owned(),
                direction: Direction::Ascending,
            }),
        };
    }

    /// The sort direction of column `key`, if it is the sorted one.
    pub fn direction_of(&self, key: &str) -> Option<Direction> {
        self.sort
            .as_ref()
            .filter(|s| s.key == key)
            .map(|s| s.direction)
    }

    /// Sets the search text and goes back to the first page.
    pub fn set_search(&mut self, text: &str) {
        self.search = text.to_owned();
        self.page = 0;
    }

    /// Sets column `key`'s filter (empty removes it) and goes back to the first page.
    pub fn set_filter(&mut self, key: &str, text: &str) {
        self.filters.retain(|(k, _)| k != key);
        if !text.trim().is_empty() {
            self.filters.push((key.to_owned(), text.to_owned()));
        }
        self.page = 0;
    }

    /// Column `key`'s filter text.
    pub fn filter_of(&self, key: &str) -> &str {
        self.filters
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Sets the page size and keeps the first visible row on screen.
    pub fn set_page_size(&mut self, size: Option<usize>) {
        let first_row = self
            .page_size
            .map_or(0, |size| self.page.saturating_mul(size));
        self.page = match size {
            Some(size) if size > 0 => first_row / size,
            _ => 0,
        };
        self.page_size = size.filter(|s| *s > 0);
    }

    /// Shows or hides column `key`.
    pub fn toggle_column(&mut self, key: &str) {
        if self.hidden.iter().any(|k| k == key) {
            self.hidden.retain(|k| k != key);
        } else {
            self.hidden.push(key.to_owned());
        }
    }

    /// Whether column `key` is shown.
    pub fn is_visible(&self, key: &str) -> bool {
        !self.hidden.iter().any(|k| k == key)
    }

    /// The search and filter part, which decides the matching rows.
    pub fn query(&self) -> (Option<SortSpec>, String, Vec<(String, String)>) {
        (self.sort.clone(), self.search.clone(), self.filters.clone())
    }
}

/// The rows of a dataset that match the search and filters, in sort order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Row indices into the dataset, in display order.
    pub rows: Vec<usize>,
    /// All rows in the dataset.
    pub total: usize,
}

/// Case-insensitive (ASCII) substring test without allocating per cell
/// when the needle is empty.
fn contains_folded(haystack: &str, needle_lower: &str) -> bool {
    needle_lower.is_empty() || haystack.to_ascii_lowercase().contains(needle_lower)
}

impl Dataset {
    /// The matching rows for `state`'s search, filters and sort.
    pub fn select(&self, state: &TableState) -> Selection {
        let search = state.search.trim().to_ascii_lowercase();
        let filters: Vec<(&Column, String)> = state
            .filters
            .iter()
            .filter_map(|(key, text)| Some((self.column(key)?, text.trim().to_ascii_lowercase())))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        let mut rows: Vec<usize> = (0..self.rows.len())
            .filter(|&row| {
                filters
                    .iter()
                    .all(|(column, text)| contains_folded(self.cell(row, column).plain(), text))
                    && (search.is_empty() || self.search_text(row).contains(search.as_str()))
            })
            .collect();
        if let Some(sort) = &state.sort
            && let Some(column) = self.column(&sort.key)
        {
            let ranks = self.sort_ranks(column);
            let key = |row: usize| ranks.get(row).copied().unwrap_or(u32::MAX);
            // Ranks are dense positions in the ascending order (equal values
            // share one; nulls are u32::MAX). Ties break by row index, so
            // the order is stable: equal values keep the server's order.
            match sort.direction {
                Direction::Ascending => rows.sort_unstable_by_key(|&row| (key(row), row)),
                Direction::Descending => rows.sort_unstable_by_key(|&row| {
                    let rank = key(row);
                    (rank == u32::MAX, std::cmp::Reverse(rank), row)
                }),
            }
        }
        Selection {
            rows,
            total: self.rows.len(),
        }
    }
}

/// One page of a list of `len` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    /// The page shown, 0-based, clamped to the last page.
    pub page: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
    /// The first item's index on this page.
    pub start: usize,
    /// One past the last item's index on this page.
    pub end: usize,
}

impl Pager {
    /// The page `page` (clamped) of `len` items, `size` a page (`None`: all).
    pub fn new(len: usize, size: Option<usize>, page: usize) -> Self {
        let size = size.filter(|s| *s > 0).unwrap_or(len.max(1));
        let pages = len.div_ceil(size).max(1);
        let page = page.min(pages - 1);
        let start = (page * size).min(len);
        Self {
            page,
            pages,
            start,
            end: (start + size).min(len),
        }
    }
}

/// `url` asking for server page `page` (1-based) of `per_page` rows:
/// Xano's `page`/`per_page` query inputs, replacing any already there and
/// keeping every other parameter and the fragment.
pub fn server_page_url(url: &str, page: u64, per_page: u64) -> String {
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (url, None),
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let name = p.split('=').next().unwrap_or_default();
            name != "page" && name != "per_page"
        })
        .map(str::to_owned)
        .collect();
    params.push(format!("page={page}"));
    params.push(format!("per_page={per_page}"));
    let mut out = format!("{path}?{}", params.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn server_page_urls_replace_only_the_paging_inputs() {
        assert_eq!(
            server_page_url("/api:data/customers", 2, 25),
            "/api:data/customers?page=2&per_page=25"
        );
        assert_eq!(
            server_page_url(
                "https://x.xano.io/api:a/orders?status=open&page=1&per_page=10#top",
                3,
                50
            ),
            "https://x.xano.io/api:a/orders?status=open&page=3&per_page=50#top"
        );
        assert_eq!(
            server_page_url("/x?pagesize=1", 1, 5),
            "/x?pagesize=1&page=1&per_page=5"
        );
    }

    use super::*;
    use serde_json::json;

    fn data() -> Dataset {
        Dataset::from_json(json!([
            {"id": 1, "name": "item 10", "amount": 5.5, "active": true, "created_at": 1_704_067_200_000u64, "note": null},
            {"id": 2, "name": "Item 2", "amount": -3, "active": false, "created_at": 1_700_000_000_000u64, "note": "VIP, call"},
            {"id": 3, "name": "item 1", "amount": 12, "active": true, "created_at": 1_710_000_000_000u64, "note": "ok"},
            {"id": 4, "name": "zeta", "amount": null, "active": false, "created_at": null}
        ]))
        .unwrap()
    }

    fn ids(d: &Dataset, s: &Selection) -> Vec<i64> {
        s.rows
            .iter()
            .map(|&r| d.rows[r]["id"].as_i64().unwrap())
            .collect()
    }

    #[test]
    fn header_clicks_cycle_ascending_descending_none() {
        let mut s = TableState::default();
        s.toggle_sort("name");
        assert_eq!(s.direction_of("name"), Some(Direction::Ascending));
        s.toggle_sort("name");
        assert_eq!(s.direction_of("name"), Some(Direction::Descending));
        s.toggle_sort("name");
        assert_eq!(s.sort, None);
        s.toggle_sort("name");
        s.toggle_sort("id");
        assert_eq!(
            (s.direction_of("name"), s.direction_of("id")),
            (None, Some(Direction::Ascending))
        );
    }

    #[test]
    fn sorting_is_type_aware_with_nulls_last() {
        let d = data();
        let mut s = TableState::default();
        s.toggle_sort("name");
        assert_eq!(
            ids(&d, &d.select(&s)),
            [3, 2, 1, 4],
            "natural: item 1, Item 2, item 10, zeta"
        );
        s.sort = Some(SortSpec {
            key: "amount".into(),
            direction: Direction::Ascending,
        });
        assert_eq!(ids(&d, &d.select(&s)), [2, 1, 3, 4]);
        s.toggle_sort("amount");
        assert_eq!(
            ids(&d, &d.select(&s)),
            [3, 1, 2, 4],
            "descending, null still last"
        );
        s.sort = Some(SortSpec {
            key: "created_at".into(),
            direction: Direction::Ascending,
        });
        assert_eq!(ids(&d, &d.select(&s)), [2, 1, 3, 4], "chronological");
        s.sort = Some(SortSpec {
            key: "active".into(),
            direction: Direction::Ascending,
        });
        assert_eq!(
            ids(&d, &d.select(&s)),
            [2, 4, 1, 3],
            "false first, stable within"
        );
    }

    #[test]
    fn search_spans_all_columns_and_filters_narrow_per_column() {
        let d = data();
        let mut s = TableState::default();
        s.set_search("  ITEM ");
        assert_eq!(ids(&d, &d.select(&s)), [1, 2, 3]);
        s.set_search("vip");
        assert_eq!(ids(&d, &d.select(&s)), [2]);
        s.set_search("2024-01-01");
        assert_eq!(
            ids(&d, &d.select(&s)),
            [1],
            "timestamps match their ISO text"
        );
        s.set_search("");
        s.set_filter("active", "true");
        assert_eq!(ids(&d, &d.select(&s)), [1, 3]);
        s.set_filter("name", "1");
        assert_eq!(ids(&d, &d.select(&s)), [1, 3]);
        s.set_filter("name", "10");
        assert_eq!(ids(&d, &d.select(&s)), [1]);
        s.set_filter("name", "");
        s.set_filter("active", "");
        assert_eq!(d.select(&s).rows.len(), 4);
        assert_eq!(d.select(&s).total, 4);
        s.set_filter("no-such-column", "x");
        assert_eq!(
            d.select(&s).rows.len(),
            4,
            "a filter on a column that left is ignored"
        );
    }

    #[test]
    fn searching_or_filtering_goes_back_to_the_first_page() {
        let mut s = TableState {
            page: 3,
            ..TableState::default()
        };
        s.set_search("x");
        assert_eq!(s.page, 0);
        s.page = 2;
        s.set_filter("a", "b");
        assert_eq!(s.page, 0);
    }

    #[test]
    fn paging_maths() {
        assert_eq!(
            Pager::new(0, Some(25), 0),
            Pager {
                page: 0,
                pages: 1,
                start: 0,
                end: 0
            }
        );
        assert_eq!(
            Pager::new(300, Some(25), 0),
            Pager {
                page: 0,
                pages: 12,
                start: 0,
                end: 25
            }
        );
        assert_eq!(
            Pager::new(300, Some(25), 11),
            Pager {
                page: 11,
                pages: 12,
                start: 275,
                end: 300
            }
        );
        assert_eq!(
            Pager::new(301, Some(25), 12),
            Pager {
                page: 12,
                pages: 13,
                start: 300,
                end: 301
            }
        );
        assert_eq!(
            Pager::new(30, Some(25), 99),
            Pager {
                page: 1,
                pages: 2,
                start: 25,
                end: 30
            },
            "clamped"
        );
        assert_eq!(
            Pager::new(30, None, 5),
            Pager {
                page: 0,
                pages: 1,
                start: 0,
                end: 30
            },
            "all rows"
        );
    }

    #[test]
    fn changing_the_page_size_keeps_the_first_visible_row() {
        let mut s = TableState {
            page: 4,
            page_size: Some(10),
            ..TableState::default()
        };
        s.set_page_size(Some(25));
        assert_eq!(s.page, 1, "row 40 is on page 2 of 25");
        s.set_page_size(None);
        assert_eq!((s.page, s.page_size), (0, None));
    }

    #[test]
    fn columns_can_be_hidden_and_shown() {
        let mut s = TableState::default();
        s.toggle_column("note");
        assert!(!s.is_visible("note") && s.is_visible("id"));
        s.toggle_column("note");
        assert!(s.is_visible("note"));
    }
}
