//! What the user asked of the table — sort, search, per-column filters,
//! page, page size, hidden columns — and the rows and columns that answer
//! it. Pure: tested natively, and fast enough for 10,000 rows within a
//! frame. Paging itself is in [`super::pager`].

use super::model::{Column, Dataset, push_plain_lowercase};
use super::sort::Direction;

/// The sorted column and direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortSpec {
    /// The column's key.
    pub key: String,
    /// The direction.
    pub direction: Direction,
}

/// The part of the user's view that decides which rows match and in what
/// order. The table keeps it apart so that turning a page or hiding a
/// column does not search or sort again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The sort, if any.
    pub sort: Option<SortSpec>,
    /// Text searched for across all columns.
    pub search: String,
    /// Per-column filter text, by column key.
    pub filters: Vec<(String, String)>,
}

impl Query {
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

    /// Column `key`'s filter text.
    pub fn filter_of(&self, key: &str) -> &str {
        self.filters
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The user's view of the table. Survives refreshes and re-logins: it
/// lives beside the data, not in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableState {
    /// Sort, search and filters: which rows match, in what order.
    pub query: Query,
    /// The page, 0-based (client-side paging).
    pub page: usize,
    /// Rows per page; `None` shows all.
    pub page_size: Option<usize>,
    /// Keys of the columns the user showed or hid in the column menu: one
    /// of the first [`MAX_SHOWN_COLUMNS`] is hidden when listed, one beyond
    /// them is shown when listed.
    pub toggled: Vec<String>,
}

/// The most rows a table shows of an answer still being read (the largest
/// page size): see [`TableState::preview_rows`].
pub const PREVIEW_MAX_ROWS: usize = 100;

/// How many columns are shown before the user chooses: a response with
/// 20,000 keys once took 10 s to render. The rest start hidden and are
/// shown one by one from the column menu.
pub const MAX_SHOWN_COLUMNS: usize = 50;

impl Default for TableState {
    fn default() -> Self {
        Self {
            query: Query::default(),
            page: 0,
            page_size: Some(25),
            toggled: Vec::new(),
        }
    }
}

impl TableState {
    /// Sets the search text and goes back to the first page.
    pub fn set_search(&mut self, text: &str) {
        self.query.search = text.to_owned();
        self.page = 0;
    }

    /// Sets column `key`'s filter (empty removes it) and goes back to the first page.
    pub fn set_filter(&mut self, key: &str, text: &str) {
        self.query.filters.retain(|(k, _)| k != key);
        if !text.trim().is_empty() {
            self.query.filters.push((key.to_owned(), text.to_owned()));
        }
        self.page = 0;
    }

    /// Shows client page `page` (0-based) of `size` rows (`None`: all):
    /// what [`super::pager::Turn::Show`] asks for.
    pub fn show(&mut self, page: usize, size: Option<usize>) {
        self.page = page;
        self.page_size = size;
    }

    /// Shows or hides `column`. Hiding it drops its filter (and goes back
    /// to the first page, as any filter change does): a filter whose input
    /// the user no longer sees must not keep rows out of the table.
    pub fn toggle_column(&mut self, column: &Column) {
        let key = column.key.as_str();
        if self.toggled.iter().any(|k| k == key) {
            self.toggled.retain(|k| k != key);
        } else {
            self.toggled.push(key.to_owned());
        }
        if !self.is_visible(column) && !self.query.filter_of(key).is_empty() {
            self.set_filter(key, "");
        }
    }

    /// Whether `column` is shown: one of the first [`MAX_SHOWN_COLUMNS`]
    /// unless the user hid it, a later one if the user showed it.
    pub fn is_visible(&self, column: &Column) -> bool {
        let toggled = self.toggled.contains(&column.key);
        (column.index < MAX_SHOWN_COLUMNS) != toggled
    }

    /// How many of the first `read` rows of an answer still being read the
    /// table shows, as its first page, while the rest is read: `None` when
    /// what it shows depends on the rows not read yet (a sort, a search, a
    /// filter, or a page past the first). With all rows on one page, the
    /// first [`PREVIEW_MAX_ROWS`].
    pub fn preview_rows(&self, read: usize) -> Option<usize> {
        let query = &self.query;
        let in_order = query.sort.is_none()
            && query.search.trim().is_empty()
            && query.filters.is_empty()
            && self.page == 0;
        in_order.then(|| read.min(self.page_size.unwrap_or(PREVIEW_MAX_ROWS)))
    }

    /// The positions of the shown columns of `columns`, in their order:
    /// the table's headers, filters and cells, and the CSV's columns.
    pub fn visible_columns(&self, columns: &[Column]) -> Vec<usize> {
        columns
            .iter()
            .filter(|c| self.is_visible(c))
            .map(|c| c.index)
            .collect()
    }
}

/// At most `limit` of `columns` whose label or key contains `text`
/// (ASCII case-insensitive), in their order, and how many match in all:
/// the column menu's list, bounded whatever the number of columns.
pub fn find_columns<'a>(
    columns: &'a [Column],
    text: &str,
    limit: usize,
) -> (Vec<&'a Column>, usize) {
    let text = text.trim().to_ascii_lowercase();
    let mut found = Vec::new();
    let mut count = 0;
    for column in columns {
        let matches = text.is_empty()
            || column.label.to_ascii_lowercase().contains(&text)
            || column.key.to_ascii_lowercase().contains(&text);
        if matches {
            if found.len() < limit {
                found.push(column);
            }
            count += 1;
        }
    }
    (found, count)
}

/// The rows of a dataset that match the search and filters, in sort order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// Row indices into the dataset, in display order.
    pub rows: Vec<usize>,
    /// All rows in the dataset.
    pub total: usize,
}

impl Dataset {
    /// The matching rows for `query`'s search, filters and sort.
    pub fn select(&self, query: &Query) -> Selection {
        let search = query.search.trim().to_ascii_lowercase();
        let filters: Vec<(&Column, String)> = query
            .filters
            .iter()
            .filter_map(|(key, text)| Some((self.column(key)?, text.trim().to_ascii_lowercase())))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        // One buffer for every cell's lower-case text: no allocation per cell.
        let mut folded = String::new();
        let mut rows: Vec<usize> = (0..self.rows.len())
            .filter(|&row| {
                filters.iter().all(|(column, text)| {
                    folded.clear();
                    push_plain_lowercase(&mut folded, self.value(row, column), column.kind);
                    folded.contains(text.as_str())
                }) && (search.is_empty() || self.search_text(row).contains(search.as_str()))
            })
            .collect();
        if let Some(sort) = &query.sort
            && let Some(column) = self.column(&sort.key)
        {
            let ranks = self.sort_ranks(column);
            let descending = sort.direction == Direction::Descending;
            rows = by_rank(&rows, ranks, descending);
        }
        Selection {
            rows,
            total: self.rows.len(),
        }
    }
}

/// `rows` (in the server's order) ordered by their ranks (dense positions
/// in the ascending order, equal values sharing one; `u32::MAX`, or no
/// rank, for a null), reversed for a descending sort, nulls last either
/// way, equal ranks in the server's order. A counting sort: the ranks are
/// dense, so a re-sort is two passes over the rows, not a comparison sort.
fn by_rank(rows: &[usize], ranks: &[u32], descending: bool) -> Vec<usize> {
    let rank = |row: usize| ranks.get(row).copied().unwrap_or(u32::MAX);
    // One bucket per rank, then the nulls' bucket.
    let null_bucket = rows
        .iter()
        .map(|&row| rank(row))
        .filter(|&r| r != u32::MAX)
        .max()
        .map_or(0, |max| max as usize + 1);
    let bucket = |row: usize| match rank(row) {
        u32::MAX => null_bucket,
        r if descending => null_bucket - 1 - r as usize,
        r => r as usize,
    };
    // starts[b]: where bucket b begins, once the counts are summed.
    let mut starts = vec![0; null_bucket + 2];
    for &row in rows {
        starts[bucket(row) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut ordered = vec![0; rows.len()];
    for &row in rows {
        let b = bucket(row);
        ordered[starts[b]] = row;
        starts[b] += 1;
    }
    ordered
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
            .map(|&r| {
                d.value(r, d.column("id").unwrap())
                    .unwrap()
                    .as_i64()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn rows_order_by_rank_then_row_with_nulls_last_both_ways() {
        // Rows 0..5 with ranks 1, null, 0, 1, 2; row 9 has no rank (a null).
        let ranks = [1, u32::MAX, 0, 1, 2];
        let rows = [0, 1, 2, 3, 4, 9];
        assert_eq!(by_rank(&rows, &ranks, false), [2, 0, 3, 4, 1, 9]);
        assert_eq!(
            by_rank(&rows, &ranks, true),
            [4, 0, 3, 2, 1, 9],
            "ties keep the row order"
        );
        // A filtered selection: only the rows given, in their order.
        assert_eq!(by_rank(&[3, 1, 4], &ranks, true), [4, 3, 1]);
        assert_eq!(by_rank(&[], &ranks, false), Vec::<usize>::new());
        assert_eq!(by_rank(&[1, 9], &ranks, false), [1, 9], "only nulls");
    }

    #[test]
    fn rows_order_by_rank_as_a_stable_sort_by_rank_orders_them() {
        let mut state = 5u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u32
        };
        for len in [1, 2, 10, 100, 1000] {
            let ranks: Vec<u32> = (0..len)
                .map(|_| match next() % 10 {
                    0 => u32::MAX,
                    r => r % 4,
                })
                .collect();
            let rows: Vec<usize> = (0..len).filter(|_| next() % 3 != 0).collect();
            for descending in [false, true] {
                let place = |row: usize| match ranks[row] {
                    u32::MAX => (1, 0),
                    r if descending => (0, u32::MAX - r),
                    r => (0, r),
                };
                let mut expected = rows.clone();
                expected.sort_by_key(|&row| place(row));
                assert_eq!(
                    by_rank(&rows, &ranks, descending),
                    expected,
                    "{len} rows, descending {descending}"
                );
            }
        }
    }

    #[test]
    fn header_clicks_cycle_ascending_descending_none() {
        let mut s = Query::default();
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
        s.toggle_sort("id");
        s.toggle_sort("name");
        assert_eq!(
            (s.direction_of("name"), s.direction_of("id")),
            (Some(Direction::Ascending), None),
            "from another column's descending sort, a click starts at ascending"
        );
    }

    #[test]
    fn sorting_is_type_aware_with_nulls_last() {
        let d = data();
        let mut s = Query::default();
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
        assert_eq!(ids(&d, &d.select(&s.query)), [1, 2, 3]);
        s.set_search("vip");
        assert_eq!(ids(&d, &d.select(&s.query)), [2]);
        s.set_search("2024-01-01");
        assert_eq!(
            ids(&d, &d.select(&s.query)),
            [1],
            "timestamps match their ISO text"
        );
        s.set_search("");
        s.set_filter("active", "true");
        assert_eq!(ids(&d, &d.select(&s.query)), [1, 3]);
        s.set_filter("name", "1");
        assert_eq!(ids(&d, &d.select(&s.query)), [1, 3]);
        s.set_filter("name", "10");
        assert_eq!(ids(&d, &d.select(&s.query)), [1]);
        s.set_filter("name", "");
        s.set_filter("active", "");
        assert_eq!(d.select(&s.query).rows.len(), 4);
        assert_eq!(d.select(&s.query).total, 4);
        s.set_filter("no-such-column", "x");
        assert_eq!(
            d.select(&s.query).rows.len(),
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
    fn columns_can_be_hidden_and_shown() {
        let d = data();
        let (id, note) = (d.column("id").unwrap(), d.column("note").unwrap());
        let mut s = TableState::default();
        s.toggle_column(note);
        assert!(!s.is_visible(note) && s.is_visible(id));
        s.toggle_column(note);
        assert!(s.is_visible(note));
    }

    #[test]
    fn hiding_a_column_drops_its_filter_and_no_other() {
        let d = data();
        let (name, note) = (d.column("name").unwrap(), d.column("note").unwrap());
        let mut s = TableState::default();
        s.set_filter("note", "vip");
        s.set_filter("name", "item");
        assert_eq!(ids(&d, &d.select(&s.query)), [2], "both filters apply");
        s.show(1, Some(1));
        s.toggle_column(note);
        assert_eq!(s.query.filter_of("note"), "", "hidden: its filter is gone");
        assert_eq!(
            s.query.filter_of("name"),
            "item",
            "the shown column keeps its own"
        );
        assert_eq!(
            s.page, 0,
            "back to the first page, as for any filter change"
        );
        assert_eq!(
            ids(&d, &d.select(&s.query)),
            [1, 2, 3],
            "the rows the note filter kept out are back"
        );
        s.toggle_column(note);
        assert_eq!(
            s.query.filter_of("note"),
            "",
            "shown again: no filter comes back"
        );
        s.show(2, Some(1));
        s.toggle_column(name);
        s.toggle_column(name);
        assert_eq!(
            s.query.filter_of("name"),
            "",
            "hidden and shown: its filter went with the hiding"
        );
        let mut unfiltered = TableState::default();
        unfiltered.show(1, Some(1));
        unfiltered.toggle_column(note);
        assert_eq!(
            unfiltered.page, 1,
            "hiding a column with no filter keeps the page"
        );
    }

    /// A dataset of one row with `n` columns `c0`, `c1`, ….
    fn wide(n: usize) -> Dataset {
        let row: serde_json::Map<String, serde_json::Value> =
            (0..n).map(|i| (format!("c{i}"), json!(i))).collect();
        Dataset::from_json(json!([row])).unwrap()
    }

    #[test]
    fn columns_beyond_the_bound_start_hidden_and_can_be_shown() {
        let d = wide(20_000);
        let mut s = TableState::default();
        let shown = s.visible_columns(&d.columns);
        assert_eq!(shown, (0..MAX_SHOWN_COLUMNS).collect::<Vec<_>>());
        s.toggle_column(&d.columns[12_345]);
        s.toggle_column(&d.columns[3]);
        let shown = s.visible_columns(&d.columns);
        assert_eq!(shown.len(), MAX_SHOWN_COLUMNS);
        assert!(!shown.contains(&3) && shown.contains(&12_345));
        assert_eq!(shown.last(), Some(&12_345), "in the data's order");
        s.toggle_column(&d.columns[12_345]);
        assert!(!s.visible_columns(&d.columns).contains(&12_345));
        assert_eq!(
            TableState::default().visible_columns(&wide(3).columns),
            [0, 1, 2],
            "a narrow table shows every column"
        );
    }

    #[test]
    fn the_menu_finds_columns_by_label_or_key_and_lists_a_bounded_number() {
        let d = wide(20_000);
        let (found, count) = find_columns(&d.columns, "", 50);
        assert_eq!((found.len(), count), (50, 20_000));
        let (found, count) = find_columns(&d.columns, " C1234", 50);
        let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(count, 11, "c1234 and c12340…c12349");
        assert_eq!(keys[..3], ["c1234", "c12340", "c12341"]);
        let d = data();
        let (found, _) = find_columns(&d.columns, "created", 50);
        assert_eq!(found[0].key, "created_at");
        assert_eq!(
            find_columns(&d.columns, "At", 50).1,
            1,
            "the label Created at"
        );
        assert_eq!(find_columns(&d.columns, "nothing", 50), (vec![], 0));
    }

    #[test]
    fn filters_are_kept_per_column_and_blank_text_removes_one() {
        let mut s = TableState::default();
        s.set_filter("name", "ada");
        s.set_filter("plan", "pro");
        s.set_filter("name", "grace");
        assert_eq!(
            (s.query.filter_of("name"), s.query.filter_of("plan")),
            ("grace", "pro"),
            "a new text replaces the column's old one"
        );
        assert_eq!(s.query.filters.len(), 2);
        s.set_filter("plan", "  ");
        assert_eq!(s.query.filter_of("plan"), "");
        assert_eq!(s.query.filters, [("name".to_owned(), "grace".to_owned())]);
        assert_eq!(s.query.filter_of("other"), "");
    }

    #[test]
    fn the_visible_columns_are_the_shown_ones_in_data_order() {
        let d = data();
        let mut s = TableState::default();
        let keys = |s: &TableState| -> Vec<String> {
            s.visible_columns(&d.columns)
                .into_iter()
                .map(|i| d.columns[i].key.clone())
                .collect()
        };
        assert_eq!(
            keys(&s),
            ["id", "name", "amount", "active", "created_at", "note"]
        );
        s.toggle_column(d.column("name").unwrap());
        s.toggle_column(d.column("note").unwrap());
        assert_eq!(keys(&s), ["id", "amount", "active", "created_at"]);
        s.toggle_column(d.column("name").unwrap());
        assert_eq!(
            keys(&s),
            ["id", "name", "amount", "active", "created_at"],
            "a column shown again returns to its place"
        );
    }

    #[test]
    fn the_first_rows_read_are_shown_only_while_they_are_the_first_page() {
        let mut state = TableState::default();
        assert_eq!(
            state.preview_rows(1_000),
            Some(25),
            "a page of the default size"
        );
        assert_eq!(state.preview_rows(7), Some(7), "fewer rows read so far");
        state.show(0, None);
        assert_eq!(
            state.preview_rows(1_000),
            Some(PREVIEW_MAX_ROWS),
            "all on one page"
        );
        state.show(0, Some(50));
        state.toggle_column(data().column("name").unwrap());
        assert_eq!(
            state.preview_rows(1_000),
            Some(50),
            "hidden columns change no rows"
        );
        state.set_search("   ");
        assert_eq!(
            state.preview_rows(1_000),
            Some(50),
            "a blank search finds all"
        );
        let changes: [fn(&mut TableState); 4] = [
            |s| s.query.toggle_sort("name"),
            |s| s.set_search("ada"),
            |s| s.set_filter("plan", "pro"),
            |s| s.show(1, Some(50)),
        ];
        for change in changes {
            let mut state = TableState::default();
            change(&mut state);
            assert_eq!(state.preview_rows(1_000), None, "{state:?}");
        }
    }

    #[test]
    fn show_sets_the_page_and_its_size() {
        let mut s = TableState::default();
        s.show(3, Some(10));
        assert_eq!((s.page, s.page_size), (3, Some(10)));
        s.show(0, None);
        assert_eq!((s.page, s.page_size), (0, None));
    }
}
