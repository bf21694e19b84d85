//! The pager: which of the matching rows a page shows, what the pager and
//! the count say, and what First / Previous / Next / Last and a change of
//! page size do. Pages are either slices of the rows in memory (client
//! paging) or the pages a paged endpoint sends in Xano's envelope (server
//! paging, where a turn of the page is a new request). Pure: the table
//! component shows these answers and carries out the [`Turn`]s.

use super::model::{Paging, grouped};

/// Page sizes the user can choose; "all" (`None`) is offered too, for
/// client paging of at most [`ALL_AT_MOST`] rows.
pub const PAGE_SIZES: [usize; 4] = [10, 25, 50, 100];

/// The most rows "all" puts on one page. Every sort, search or refresh
/// writes the rows of the page, and the browser lays out the whole table
/// again: with all of 10,000 rows on one page each took 5–7 s, with 1,000
/// 0.4–0.5 s, with 500 ≈ 0.2 s (to the next frame, on the benchmarks'
/// 2-core machine). With more matching rows than this, "all" is not
/// offered, and a page size of "all" kept from before shows pages of the
/// largest size instead.
pub const ALL_AT_MOST: usize = 500;

/// Rows per server page when the envelope does not say (Xano's default).
const DEFAULT_PER_PAGE: u64 = 25;

/// One page of the matching rows in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientPage {
    /// The page shown, 0-based, clamped to the last page.
    pub page: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
    /// The first row's index (into the matching rows) on this page.
    pub start: usize,
    /// One past the last row's index on this page.
    pub end: usize,
    /// Rows per page; `None`: all.
    pub size: Option<usize>,
    /// How many rows are paged (the matching rows).
    pub rows: usize,
}

impl ClientPage {
    /// Page `page` (clamped) of `len` rows, `size` a page (`None` or 0: all,
    /// when there are at most [`ALL_AT_MOST`]; else the largest page size).
    pub fn new(len: usize, size: Option<usize>, page: usize) -> Self {
        let largest = PAGE_SIZES[PAGE_SIZES.len() - 1];
        let size = size
            .filter(|s| *s > 0)
            .or_else(|| (len > ALL_AT_MOST).then_some(largest));
        let step = size.unwrap_or(len.max(1));
        let pages = len.div_ceil(step).max(1);
        let page = page.min(pages - 1);
        let start = (page * step).min(len);
        Self {
            page,
            pages,
            start,
            end: (start + step).min(len),
            size,
            rows: len,
        }
    }
}

/// The server page in memory, from the response's paging envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerPage {
    /// The page shown, 1-based (`curPage`).
    pub page: u64,
    /// How many pages there are (`pageTotal`), when the server counts them.
    pub pages: Option<u64>,
    /// Whether there is a next page (`nextPage` is not null).
    pub has_next: bool,
    /// Rows per page (`perPage`).
    pub per_page: u64,
    /// Rows in all pages (`itemsTotal`), when the server counts them.
    pub total: Option<u64>,
}

impl From<&Paging> for ServerPage {
    fn from(paging: &Paging) -> Self {
        Self {
            page: paging.cur_page.unwrap_or(1),
            pages: paging.page_total,
            has_next: paging.next_page.is_some(),
            per_page: paging
                .per_page
                .filter(|n| *n > 0)
                .unwrap_or(DEFAULT_PER_PAGE),
            total: paging.items_total,
        }
    }
}

/// Where the table's pages come from, and where it is among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pager {
    /// All rows are in memory; a page is a slice of the matching ones.
    Client(ClientPage),
    /// The rows in memory are one page of the server's.
    Server(ServerPage),
}

/// A pager button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// « First
    First,
    /// ‹ Previous
    Previous,
    /// Next ›
    Next,
    /// Last »
    Last,
}

/// What a pager control asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// Nothing: the page asked for is the one shown, or is unknown.
    Stay,
    /// Show page `page` (0-based) of the rows in memory, `size` rows a page
    /// (`None`: all); see [`super::query::TableState::show`].
    Show {
        /// The page, 0-based.
        page: usize,
        /// Rows per page.
        size: Option<usize>,
    },
    /// Load page `page` (1-based) of `per_page` rows from the server.
    Load {
        /// The page, 1-based.
        page: u64,
        /// Rows per page.
        per_page: u64,
    },
}

impl Pager {
    /// Server paging when the response had a paging envelope; otherwise
    /// client page `page` of `matching` rows, `size` a page.
    pub fn new(paging: Option<&Paging>, matching: usize, page: usize, size: Option<usize>) -> Self {
        match paging {
            Some(paging) => Self::Server(paging.into()),
            None => Self::Client(ClientPage::new(matching, size, page)),
        }
    }

    /// The part of `matching` (the matching rows, in display order) that
    /// this page shows: a server page shows all the rows it brought.
    pub fn rows<'a>(&self, matching: &'a [usize]) -> &'a [usize] {
        match self {
            Self::Client(p) => matching.get(p.start..p.end).unwrap_or_default(),
            Self::Server(_) => matching,
        }
    }

    /// What the pager says: "Page 2 of 12", or "Page 3" when the server
    /// does not count its pages.
    pub fn status(&self) -> String {
        match self {
            Self::Client(p) => format!(
                "Page {} of {}",
                grouped(p.page as u64 + 1),
                grouped(p.pages as u64)
            ),
            Self::Server(ServerPage {
                page,
                pages: Some(pages),
                ..
            }) => format!("Page {} of {}", grouped(*page), grouped(*pages)),
            Self::Server(p) => format!("Page {}", grouped(p.page)),
        }
    }

    /// The count beside the search box, for `matching` of `total` rows in
    /// memory; numbers grouped by thousands, as everywhere on the page.
    pub fn count(&self, matching: usize, total: usize) -> String {
        let all_match = matching == total;
        let (matching, total) = (grouped(matching as u64), grouped(total as u64));
        match self {
            Self::Server(ServerPage {
                total: Some(all), ..
            }) => format!(
                "{matching} of {total} rows on this page, {} in all",
                grouped(*all)
            ),
            Self::Server(_) => format!("{matching} of {total} rows on this page"),
            Self::Client(_) if all_match => format!("{total} rows"),
            Self::Client(_) => format!("{matching} of {total} rows match"),
        }
    }

    /// The page-size control's value: a number, or `all`.
    pub fn size_value(&self) -> String {
        match self {
            Self::Client(ClientPage { size: None, .. }) => "all".to_owned(),
            Self::Client(ClientPage { size: Some(n), .. }) => n.to_string(),
            Self::Server(p) => p.per_page.to_string(),
        }
    }

    /// Whether "all rows" can be chosen as the page size: not for server
    /// pages, which the server sends at most a page size at a time, nor for
    /// more than [`ALL_AT_MOST`] matching rows.
    pub fn offers_all(&self) -> bool {
        matches!(self, Self::Client(p) if p.rows <= ALL_AT_MOST)
    }

    /// On the first page: First and Previous are off.
    pub fn at_start(&self) -> bool {
        match self {
            Self::Client(p) => p.page == 0,
            Self::Server(p) => p.page <= 1,
        }
    }

    /// On the last page: Next is off.
    pub fn at_end(&self) -> bool {
        match self {
            Self::Client(p) => p.page + 1 >= p.pages,
            Self::Server(p) => !p.has_next,
        }
    }

    /// Whether Last is off: on the last page, or the server does not say
    /// which page is last.
    pub fn last_off(&self) -> bool {
        matches!(self, Self::Server(ServerPage { pages: None, .. })) || self.at_end()
    }

    /// What a pager button does. A server page already shown is not
    /// requested again.
    pub fn go(&self, nav: Nav) -> Turn {
        match *self {
            Self::Client(p) => Turn::Show {
                page: match nav {
                    Nav::First => 0,
                    Nav::Previous => p.page.saturating_sub(1),
                    Nav::Next => (p.page + 1).min(p.pages - 1),
                    Nav::Last => p.pages - 1,
                },
                size: p.size,
            },
            Self::Server(p) => {
                let page = match nav {
                    Nav::First => 1,
                    Nav::Previous => p.page.saturating_sub(1).max(1),
                    Nav::Next if p.has_next => p.page + 1,
                    Nav::Next => p.page,
                    Nav::Last => p.pages.unwrap_or(p.page),
                };
                p.load(page, p.per_page)
            }
        }
    }

    /// What choosing `size` rows a page (`None`: all) does: the page that
    /// holds the first row shown now becomes the page shown, so the reader
    /// keeps their place. With server paging that page is requested with
    /// the new size; "all" is not offered there and changes nothing.
    pub fn resize(&self, size: Option<usize>) -> Turn {
        let size = size.filter(|n| *n > 0);
        match *self {
            Self::Client(p) => Turn::Show {
                page: size.map_or(0, |n| p.start / n),
                size,
            },
            Self::Server(p) => match size {
                Some(n) => {
                    let per_page = n as u64;
                    let first_row = p.page.saturating_sub(1).saturating_mul(p.per_page);
                    p.load(first_row / per_page + 1, per_page)
                }
                None => Turn::Stay,
            },
        }
    }
}

impl ServerPage {
    /// A request for `page` of `per_page` rows, unless that is this page.
    fn load(&self, page: u64, per_page: u64) -> Turn {
        if (page, per_page) == (self.page, self.per_page) {
            Turn::Stay
        } else {
            Turn::Load { page, per_page }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(len: usize, size: Option<usize>, page: usize) -> Pager {
        Pager::new(None, len, page, size)
    }

    /// A server page from an envelope with these fields.
    fn server(cur: u64, next: Option<u64>, per: u64, page_total: Option<u64>) -> Pager {
        let paging = Paging {
            cur_page: Some(cur),
            next_page: next,
            prev_page: cur.checked_sub(1).filter(|p| *p > 0),
            per_page: Some(per),
            items_total: page_total.map(|_| 300),
            page_total,
        };
        Pager::new(Some(&paging), 20, 7, Some(10))
    }

    fn show(page: usize, size: Option<usize>) -> Turn {
        Turn::Show { page, size }
    }

    fn load(page: u64, per_page: u64) -> Turn {
        Turn::Load { page, per_page }
    }

    #[test]
    fn client_pages_are_slices_of_the_matching_rows() {
        let page = |len, size, page| ClientPage::new(len, size, page);
        let at = |page, pages, start, end, size, rows| ClientPage {
            page,
            pages,
            start,
            end,
            size,
            rows,
        };
        assert_eq!(page(0, Some(25), 0), at(0, 1, 0, 0, Some(25), 0));
        assert_eq!(page(300, Some(25), 0), at(0, 12, 0, 25, Some(25), 300));
        assert_eq!(page(300, Some(25), 11), at(11, 12, 275, 300, Some(25), 300));
        assert_eq!(page(301, Some(25), 12), at(12, 13, 300, 301, Some(25), 301));
        assert_eq!(
            page(30, Some(25), 99),
            at(1, 2, 25, 30, Some(25), 30),
            "clamped"
        );
        assert_eq!(page(30, None, 5), at(0, 1, 0, 30, None, 30), "all rows");
        assert_eq!(
            page(30, Some(0), 1),
            at(0, 1, 0, 30, None, 30),
            "0 means all"
        );
        assert_eq!(
            page(ALL_AT_MOST, None, 0),
            at(0, 1, 0, ALL_AT_MOST, None, ALL_AT_MOST),
            "all of 500 rows"
        );
        assert_eq!(
            page(10_000, None, 2),
            at(2, 100, 200, 300, Some(100), 10_000),
            "past 500 rows, all is pages of 100"
        );

        let matching: Vec<usize> = (100..160).collect();
        assert_eq!(
            client(60, Some(25), 2).rows(&matching),
            &matching[50..60],
            "the last page is short"
        );
        assert_eq!(client(60, Some(25), 1).rows(&matching), &matching[25..50]);
        assert_eq!(client(60, None, 0).rows(&matching), &matching[..]);
    }

    #[test]
    fn client_buttons_show_pages_of_the_rows_in_memory() {
        let middle = client(60, Some(25), 1);
        assert_eq!(middle.go(Nav::First), show(0, Some(25)));
        assert_eq!(middle.go(Nav::Previous), show(0, Some(25)));
        assert_eq!(middle.go(Nav::Next), show(2, Some(25)));
        assert_eq!(middle.go(Nav::Last), show(2, Some(25)));
        let last = client(60, Some(25), 2);
        assert_eq!(
            last.go(Nav::Next),
            show(2, Some(25)),
            "no page after the last"
        );
        assert_eq!(last.go(Nav::Previous), show(1, Some(25)));
        let first = client(60, Some(10), 0);
        assert_eq!(first.go(Nav::Previous), show(0, Some(10)));
        assert_eq!(first.go(Nav::Last), show(5, Some(10)));
        assert_eq!(
            client(30, Some(25), 99).go(Nav::Previous),
            show(0, Some(25)),
            "from the clamped page, not the stored one"
        );
    }

    #[test]
    fn client_buttons_are_off_at_the_ends() {
        let state = |p: Pager| (p.at_start(), p.at_end(), p.last_off());
        assert_eq!(state(client(60, Some(25), 0)), (true, false, false));
        assert_eq!(state(client(60, Some(25), 1)), (false, false, false));
        assert_eq!(state(client(60, Some(25), 2)), (false, true, true));
        assert_eq!(state(client(0, Some(25), 0)), (true, true, true));
        assert_eq!(state(client(25, Some(25), 0)), (true, true, true));
        assert_eq!(state(client(26, Some(25), 0)), (true, false, false));
    }

    #[test]
    fn a_client_page_size_change_keeps_the_first_row_shown() {
        // Page 5 of 10 starts at row 40, which is on page 2 of 25.
        assert_eq!(client(300, Some(10), 4).resize(Some(25)), show(1, Some(25)));
        // Row 50 starts page 3 of 25 and page 6 of 10.
        assert_eq!(client(300, Some(25), 2).resize(Some(10)), show(5, Some(10)));
        assert_eq!(client(300, Some(25), 2).resize(None), show(0, None));
        assert_eq!(client(300, None, 0).resize(Some(50)), show(0, Some(50)));
        assert_eq!(client(300, Some(25), 3).resize(Some(0)), show(0, None));
        // The stored page 99 shows as page 2 of 2 (rows 25–29).
        assert_eq!(client(30, Some(25), 99).resize(Some(10)), show(2, Some(10)));
    }

    #[test]
    fn client_status_count_and_size() {
        let p = client(60, Some(25), 1);
        assert_eq!(p.status(), "Page 2 of 3");
        assert_eq!(client(0, Some(25), 0).status(), "Page 1 of 1");
        assert_eq!(p.count(60, 60), "60 rows");
        assert_eq!(p.count(11, 60), "11 of 60 rows match");
        assert_eq!(p.size_value(), "25");
        assert_eq!(client(60, None, 0).size_value(), "all");
        assert!(p.offers_all());
        assert!(client(ALL_AT_MOST, Some(25), 0).offers_all());
        let many = client(ALL_AT_MOST + 1, None, 0);
        assert!(!many.offers_all(), "not for more than 500 rows");
        assert_eq!(many.size_value(), "100", "the control shows the size used");
        assert_eq!(many.status(), "Page 1 of 6");
    }

    #[test]
    fn the_envelope_makes_a_server_pager() {
        let paging = Paging {
            cur_page: Some(2),
            next_page: Some(3),
            prev_page: Some(1),
            per_page: Some(20),
            items_total: Some(300),
            page_total: Some(15),
        };
        let expected = ServerPage {
            page: 2,
            pages: Some(15),
            has_next: true,
            per_page: 20,
            total: Some(300),
        };
        assert_eq!(
            Pager::new(Some(&paging), 20, 4, Some(10)),
            Pager::Server(expected),
            "the client page and size do not matter"
        );
        let bare = Paging {
            per_page: Some(0),
            ..Paging::default()
        };
        assert_eq!(
            Pager::new(Some(&bare), 5, 0, None),
            Pager::Server(ServerPage {
                page: 1,
                pages: None,
                has_next: false,
                per_page: 25,
                total: None,
            }),
            "missing fields: page 1, the last, 25 a page"
        );
        let matching = [4, 2, 0];
        assert_eq!(
            Pager::new(Some(&paging), 3, 0, Some(1)).rows(&matching),
            &matching,
            "the server sent one page: all of it shows"
        );
    }

    #[test]
    fn server_buttons_request_other_pages() {
        let middle = server(3, Some(4), 20, Some(15));
        assert_eq!(middle.go(Nav::First), load(1, 20));
        assert_eq!(middle.go(Nav::Previous), load(2, 20));
        assert_eq!(middle.go(Nav::Next), load(4, 20));
        assert_eq!(middle.go(Nav::Last), load(15, 20));
        let second = server(2, Some(3), 20, Some(15));
        assert_eq!(second.go(Nav::Previous), load(1, 20));
        assert_eq!(second.go(Nav::First), load(1, 20));
    }

    #[test]
    fn server_pages_already_shown_are_not_requested_again() {
        let first = server(1, Some(2), 20, Some(15));
        assert_eq!(first.go(Nav::First), Turn::Stay);
        assert_eq!(first.go(Nav::Previous), Turn::Stay);
        let last = server(15, None, 20, Some(15));
        assert_eq!(last.go(Nav::Next), Turn::Stay);
        assert_eq!(last.go(Nav::Last), Turn::Stay);
        assert_eq!(last.go(Nav::Previous), load(14, 20));
    }

    #[test]
    fn server_pages_without_a_page_total() {
        // No `pageTotal`: the pager follows `nextPage` and cannot jump to the end.
        let third = server(3, Some(4), 20, None);
        assert_eq!(third.status(), "Page 3");
        assert_eq!(third.count(20, 20), "20 of 20 rows on this page");
        assert_eq!(third.go(Nav::Next), load(4, 20));
        assert_eq!(third.go(Nav::Previous), load(2, 20));
        assert_eq!(third.go(Nav::First), load(1, 20));
        assert_eq!(third.go(Nav::Last), Turn::Stay);
        assert_eq!(
            (third.at_start(), third.at_end(), third.last_off()),
            (false, false, true)
        );
        let end = server(7, None, 20, None);
        assert_eq!(end.go(Nav::Next), Turn::Stay);
        assert_eq!(
            (end.at_start(), end.at_end(), end.last_off()),
            (false, true, true)
        );
    }

    #[test]
    fn server_buttons_are_off_at_the_ends() {
        let state = |p: Pager| (p.at_start(), p.at_end(), p.last_off());
        assert_eq!(
            state(server(1, Some(2), 20, Some(15))),
            (true, false, false)
        );
        assert_eq!(
            state(server(2, Some(3), 20, Some(15))),
            (false, false, false)
        );
        assert_eq!(state(server(15, None, 20, Some(15))), (false, true, true));
        assert_eq!(state(server(1, None, 20, Some(1))), (true, true, true));
    }

    #[test]
    fn counts_and_pages_are_grouped_by_thousands() {
        let p = client(123_456, Some(10), 1_233);
        assert_eq!(p.status(), "Page 1,234 of 12,346");
        assert_eq!(p.count(123_456, 123_456), "123,456 rows");
        assert_eq!(p.count(1_000, 123_456), "1,000 of 123,456 rows match");
        let paging = Paging {
            cur_page: Some(2_000),
            next_page: Some(2_001),
            prev_page: Some(1_999),
            per_page: Some(1_000),
            items_total: Some(3_000_000),
            page_total: Some(3_000),
        };
        let p = Pager::new(Some(&paging), 1_000, 0, None);
        assert_eq!(p.status(), "Page 2,000 of 3,000");
        assert_eq!(
            p.count(1_000, 1_000),
            "1,000 of 1,000 rows on this page, 3,000,000 in all"
        );
    }

    #[test]
    fn server_status_count_and_size() {
        let p = server(2, Some(3), 20, Some(15));
        assert_eq!(p.status(), "Page 2 of 15");
        assert_eq!(p.count(20, 20), "20 of 20 rows on this page, 300 in all");
        assert_eq!(p.count(3, 20), "3 of 20 rows on this page, 300 in all");
        assert_eq!(p.size_value(), "20");
        assert!(!p.offers_all());
    }

    #[test]
    fn a_server_page_size_change_requests_the_page_with_the_first_row_shown() {
        // Page 2 of 20 a page starts at row 20 (0-based).
        let second = server(2, Some(3), 20, Some(15));
        assert_eq!(second.resize(Some(10)), load(3, 10), "rows 20–29");
        assert_eq!(second.resize(Some(50)), load(1, 50), "rows 0–49");
        assert_eq!(second.resize(Some(25)), load(1, 25), "rows 0–24");
        assert_eq!(second.resize(Some(20)), Turn::Stay, "the size shown");
        assert_eq!(second.resize(None), Turn::Stay, "no 'all' from a server");
        let far = server(15, None, 20, Some(15));
        assert_eq!(far.resize(Some(100)), load(3, 100), "row 280 is on page 3");
        assert_eq!(far.resize(Some(10)), load(29, 10), "row 280 is on page 29");
        assert_eq!(
            server(1, Some(2), 20, Some(15)).resize(Some(100)),
            load(1, 100)
        );
    }
}
