//! The table model: rows out of a JSON response, columns, and the text of
//! each cell. Pure Rust, no browser: tested natively.

pub use crate::text::CELL_MAX_CHARS;
use crate::text::compact_json;
pub(crate) use crate::text::cut;
use serde_json::{Map, Value};

/// Why a response could not be turned into rows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// The JSON is neither an array nor an object with an `items` array.
    #[error(
        "The data response is {0}; expected a JSON array of rows or a paged object with an `items` array. Check the `dataUrl` setting."
    )]
    Shape(&'static str),
}

/// A column: the row key, its human label and the kind of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The key in each row's JSON object.
    pub key: String,
    /// The header text, from [`label_for_key`].
    pub label: String,
    /// What the column holds, from its values.
    pub kind: ColumnKind,
    /// Its position in [`Dataset::columns`] and in each row's values.
    pub index: usize,
}

/// What a column holds, judged from all its non-null values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Numbers: right-aligned, sorted numerically.
    Number,
    /// Epoch-millisecond times (numbers in 2000–2100 under a time-like key
    /// such as `created_at`): shown as local date-time, sorted chronologically.
    Timestamp,
    /// Booleans.
    Bool,
    /// Strings: sorted in natural order.
    Text,
    /// Objects or arrays: compact JSON.
    Json,
    /// More than one kind.
    Mixed,
    /// Only nulls.
    Empty,
}

/// Xano's paging envelope, when the response had one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// `curPage` (1-based).
    pub cur_page: Option<u64>,
    /// `nextPage`, null on the last page.
    pub next_page: Option<u64>,
    /// `prevPage`, null on the first page.
    pub prev_page: Option<u64>,
    /// `perPage`.
    pub per_page: Option<u64>,
    /// `itemsTotal`, when totals are enabled.
    pub items_total: Option<u64>,
    /// `pageTotal`, when totals are enabled.
    pub page_total: Option<u64>,
}

/// The most rows a table holds. Sorting a column, the first search and
/// dropping a table are each one task of work in proportion to the rows;
/// at 200,000 rows each stays under 200 ms. A 30 MiB answer of rows like
/// Xano's holds about 180,000; one of `[1,1,1,…]` holds 15 million, which
/// took a second per sort. The rows after these are counted, not kept, and
/// the table says so.
pub const MAX_ROWS: usize = 200_000;

/// Rows and columns as received.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// The columns: the union of the rows' keys in first-seen order.
    pub columns: Vec<Column>,
    /// The rows: each row's values by column position (see
    /// [`Column::index`]); a row may be shorter than the columns, and a key
    /// a row lacks reads as null. A row that is not an object becomes
    /// `{"value": row}`.
    pub rows: Vec<Vec<Value>>,
    /// The paging envelope, if the response was paged.
    pub paging: Option<Paging>,
    /// How many rows of the response came after the first [`MAX_ROWS`]
    /// and are not in the table.
    pub rows_left_out: usize,
    /// Each row's cells as lower-case text, joined by U+001F: built ahead
    /// in idle time (see [`prepare_search`](Self::prepare_search)) or on
    /// the first search, so a search of 10,000 rows is a substring scan.
    search_text: Vec<std::sync::OnceLock<String>>,
    /// Per column, each row's rank in the ascending order: built on the
    /// column's first sort, so later sorts (other direction, new filters)
    /// compare integers.
    sort_ranks: Vec<std::sync::OnceLock<Vec<u32>>>,
}

impl PartialEq for Dataset {
    fn eq(&self, other: &Self) -> bool {
        self.columns == other.columns
            && self.rows == other.rows
            && self.paging == other.paging
            && self.rows_left_out == other.rows_left_out
    }
}

impl Dataset {
    /// A dataset of `rows` in `columns`, nothing prepared yet.
    fn new(
        columns: Vec<Column>,
        rows: Vec<Vec<Value>>,
        paging: Option<Paging>,
        rows_left_out: usize,
    ) -> Self {
        let sort_ranks = columns.iter().map(|_| std::sync::OnceLock::new()).collect();
        let search_text = rows.iter().map(|_| std::sync::OnceLock::new()).collect();
        Self {
            columns,
            rows,
            paging,
            rows_left_out,
            search_text,
            sort_ranks,
        }
    }

    /// Builds a dataset from a data response: a bare array of rows, or
    /// Xano's paging envelope `{ "items": [...], "curPage": …, … }`.
    pub fn from_json(value: Value) -> Result<Self, DataError> {
        let (items, paging) = match value {
            Value::Array(items) => (items, None),
            Value::Object(mut map) => match map.remove("items") {
                Some(Value::Array(items)) => (items, Some(paging_from(&map))),
                _ => return Err(DataError::Shape("an object without an `items` array")),
            },
            other => return Err(DataError::Shape(crate::text::json_kind(&other))),
        };
        let mut builder = DatasetBuilder::default();
        for item in items {
            builder.push_row(item);
        }
        Ok(builder.finish(paging))
    }

    /// Each row's rank in `column`'s ascending order (see the field's
    /// documentation); nulls and missing values rank `u32::MAX`.
    pub(crate) fn sort_ranks(&self, column: &Column) -> &[u32] {
        let Some(slot) = self.sort_ranks.get(column.index) else {
            return &[];
        };
        slot.get_or_init(|| {
            use super::sort::{Direction, compare_values};
            let values: Vec<Option<&Value>> = self
                .rows
                .iter()
                .map(|cells| cells.get(column.index))
                .collect();
            // Nulls (and missing cells) are unranked, last in either
            // direction: only the other rows are sorted.
            let mut order: Vec<usize> = (0..self.rows.len())
                .filter(|&row| !values[row].is_none_or(Value::is_null))
                .collect();
            // A text or JSON column compares precomputed byte keys (same
            // order as `compare_values`, without re-parsing digit runs or
            // re-writing JSON) of the text the cells show, at most
            // `CELL_MAX_CHARS` characters: values alike that far keep the
            // server's order. The keys are one buffer (`ends[row]` is where
            // a row's key ends), and each key's first 8 bytes, as a number,
            // decide most comparisons without reading the buffer. One sort
            // call for both, so the bundle holds one sort.
            let keyed = matches!(column.kind, ColumnKind::Text | ColumnKind::Json);
            let (mut keys, mut ends) = (Vec::new(), Vec::new());
            if keyed {
                ends.reserve(values.len());
                for value in &values {
                    match value {
                        Some(Value::String(s)) => {
                            super::sort::push_natural_key(&mut keys, cut(s, CELL_MAX_CHARS).0)
                        }
                        // Objects and arrays: the text each cell shows.
                        Some(v) if column.kind == ColumnKind::Json => {
                            keys.extend_from_slice(crate::text::shown_json(v).as_bytes())
                        }
                        _ => {}
                    }
                    ends.push(keys.len());
                }
            }
            let key = |row: usize| &keys[if row == 0 { 0 } else { ends[row - 1] }..ends[row]];
            let prefixes: Vec<u64> = (0..ends.len())
                .map(|row| {
                    let mut first = [0u8; 8];
                    let k = key(row);
                    let n = k.len().min(8);
                    first[..n].copy_from_slice(&k[..n]);
                    u64::from_be_bytes(first)
                })
                .collect();
            let same = |a: usize, b: usize| {
                if keyed {
                    prefixes[a]
                        .cmp(&prefixes[b])
                        .then_with(|| key(a).cmp(key(b)))
                } else {
                    compare_values(values[a], values[b], Direction::Ascending)
                }
            };
            super::sort::sort_rows(&mut order, &same);
            let mut ranks = vec![u32::MAX; self.rows.len()];
            let mut rank = 0u32;
            for (i, &row) in order.iter().enumerate() {
                // The first row is its own `previous`: rank 0.
                if same(order[i.saturating_sub(1)], row).is_ne() {
                    rank += 1;
                }
                ranks[row] = rank;
            }
            ranks
        })
    }

    /// Ranks column `index` for sorting now rather than on its first sort
    /// (the app calls this in idle time after a load).
    pub fn prepare_sort(&self, index: usize) {
        if let Some(column) = self.columns.get(index) {
            self.sort_ranks(column);
        }
    }

    /// Builds the search text of `rows` now rather than on the first
    /// search: the app does it a few rows at a time in idle time.
    pub fn prepare_search(&self, rows: std::ops::Range<usize>) {
        for row in rows {
            self.search_text(row);
        }
    }

    /// Row `row`'s searchable text (see the field's documentation).
    pub(crate) fn search_text(&self, row: usize) -> &str {
        let (Some(slot), Some(cells)) = (self.search_text.get(row), self.rows.get(row)) else {
            return "";
        };
        slot.get_or_init(|| {
            // Written into one buffer for every row, then copied once at
            // its final length: no growing a new string cell by cell. A
            // buffer a huge row made large is not kept.
            thread_local!(static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) });
            BUFFER.with_borrow_mut(|text| {
                text.clear();
                for column in &self.columns {
                    push_plain_lowercase(text, cells.get(column.index), column.kind);
                    text.push('\u{1f}');
                }
                let row = text.as_str().to_owned();
                if text.capacity() > 1 << 16 {
                    *text = String::new();
                }
                row
            })
        })
    }

    /// The rows alone, the caches dropped: for dropping a large dataset a
    /// part at a time.
    pub fn into_rows(self) -> Vec<Vec<Value>> {
        self.rows
    }

    /// The cell of `row` in `column`; a key the row lacks reads as null.
    pub fn cell(&self, row: usize, column: &Column) -> Cell {
        Cell::new(self.value(row, column), column.kind)
    }

    /// The raw value of `row` in `column`, if the row has the key.
    pub fn value(&self, row: usize, column: &Column) -> Option<&Value> {
        self.rows.get(row).and_then(|cells| cells.get(column.index))
    }

    /// The column with `key`.
    pub fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.key == key)
    }
}

/// Builds a [`Dataset`] a row at a time, or a row a cell at a time, so a
/// response can be read in steps (see [`super::parse`]).
///
/// One pass over every value, with no hashing: a row's keys are usually in
/// the previous rows' order, so the column at the key's position is tried
/// first.
#[derive(Default)]
pub struct DatasetBuilder {
    columns: Vec<Column>,
    scans: Vec<KindScan>,
    rows: Vec<Vec<Value>>,
    /// Each column's position by key, for keys not at their usual place:
    /// without it, a row of 20,000 new keys compared each with every column
    /// before it (seconds). A serde_json map, already in the bundle, with
    /// the positions as numbers.
    positions: Map<String, Value>,
    /// The row being built cell by cell, if any.
    row: Option<Vec<Value>>,
    /// How many cells the row being built has received.
    position: usize,
    /// Rows counted past [`MAX_ROWS`].
    left_out: usize,
}

impl DatasetBuilder {
    /// Whether the table holds [`MAX_ROWS`] rows: a row after that is only
    /// counted ([`leave_out`](Self::leave_out)).
    pub fn full(&self) -> bool {
        self.rows.len() >= MAX_ROWS
    }

    /// How many rows it holds.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// Counts a row past [`MAX_ROWS`], without keeping it.
    pub fn leave_out(&mut self) {
        self.left_out += 1;
    }

    /// Adds a whole row: an object's entries; anything else as `{"value": row}`.
    /// Past [`MAX_ROWS`], only counts it.
    pub fn push_row(&mut self, item: Value) {
        if self.full() {
            return self.leave_out();
        }
        let entries = match item {
            Value::Object(map) => map,
            other => Map::from_iter([("value".to_owned(), other)]),
        };
        self.start_row();
        for (key, value) in entries {
            self.push_cell(key, value);
        }
        self.end_row();
    }

    /// Starts a row whose cells come one by one.
    pub fn start_row(&mut self) {
        self.row = Some(Vec::with_capacity(self.columns.len()));
        self.position = 0;
    }

    /// Adds `key: value` to the row started last; a key seen twice keeps
    /// the later value, as a JSON object read whole does.
    pub fn push_cell(&mut self, key: String, value: Value) {
        let key = bounded_key(key);
        let position = self.position;
        self.position += 1;
        let index = match self.columns.get(position) {
            Some(c) if c.key == key => position,
            _ => match self.positions.get(&key).and_then(Value::as_u64) {
                Some(index) => index as usize,
                None => {
                    let index = self.columns.len();
                    self.positions.insert(key.clone(), Value::from(index));
                    self.columns.push(Column {
                        label: label_for_key(&key),
                        key,
                        kind: ColumnKind::Empty,
                        index,
                    });
                    self.scans.push(KindScan::default());
                    index
                }
            },
        };
        self.scans[index].see(&value);
        let cells = self.row.get_or_insert_with(Vec::new);
        if cells.len() <= index {
            cells.resize(index + 1, Value::Null);
        }
        cells[index] = value;
    }

    /// Ends the row started last.
    pub fn end_row(&mut self) {
        self.rows.push(self.row.take().unwrap_or_default());
    }

    /// The dataset of the rows so far.
    pub fn finish(self, paging: Option<Paging>) -> Dataset {
        let Self {
            mut columns,
            scans,
            rows,
            left_out,
            ..
        } = self;
        type_columns(&mut columns, &scans);
        Dataset::new(columns, rows, paging, left_out)
    }

    /// A copy of the first `rows` whole rows, with the columns and their
    /// kinds as far as the rows so far tell: what a table can show while
    /// the rest is read. It copies those rows, so the caller bounds them.
    pub fn preview(&self, rows: usize) -> Dataset {
        let mut columns = self.columns.clone();
        type_columns(&mut columns, &self.scans);
        let rows = self.rows[..rows.min(self.rows.len())].to_vec();
        Dataset::new(columns, rows, None, 0)
    }
}

/// Gives each column the kind its values so far make it (see [`KindScan`]).
fn type_columns(columns: &mut [Column], scans: &[KindScan]) {
    for (column, scan) in columns.iter_mut().zip(scans) {
        column.kind = scan.kind(&column.key);
    }
}

/// Appends a value's [`Cell::plain`] text, lower-cased, without building
/// the cell (this runs for every cell of the table once, on first search):
/// at most [`CELL_MAX_CHARS`] characters, the text the cell shows.
pub(crate) fn push_plain_lowercase(out: &mut String, value: Option<&Value>, column: ColumnKind) {
    let start = out.len();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => out.push_str(cut(s, CELL_MAX_CHARS).0),
        Some(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        // Without counting what the cell leaves out.
        Some(value @ (Value::Array(_) | Value::Object(_))) => {
            out.push_str(&crate::text::shown_json(value))
        }
        Some(value) => out.push_str(Cell::new(Some(value), column).plain()),
    }
    // In place: no second copy of the text.
    out[start..].make_ascii_lowercase();
}

/// Epoch milliseconds of 2000-01-01 and 2100-01-01: a number in between,
/// under a time-like key, is taken as a timestamp.
const TIMESTAMP_RANGE: std::ops::Range<f64> = 946_684_800_000.0..4_102_444_800_000.0;

/// Whether a key names a time: `created_at`, `updatedAt`, `timestamp`,
/// `start_date`, `time`…
fn is_time_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.ends_with("_at")
        || (key.ends_with("At") && key.len() > 2)
        || ["time", "date", "timestamp"]
            .iter()
            .any(|w| lower.contains(w))
}

/// A column's kind so far, while its values are read one by one.
#[derive(Default)]
struct KindScan {
    /// The kind of the non-null values seen, `Mixed` once two differ.
    kind: Option<ColumnKind>,
    /// Whether a number outside [`TIMESTAMP_RANGE`] (or not whole) was seen.
    not_time: bool,
}

impl KindScan {
    fn see(&mut self, value: &Value) {
        let this = match value {
            Value::Null => return,
            Value::Number(n) => {
                self.not_time |= !n
                    .as_f64()
                    .is_some_and(|v| v.fract() == 0.0 && TIMESTAMP_RANGE.contains(&v));
                ColumnKind::Number
            }
            Value::Bool(_) => ColumnKind::Bool,
            Value::String(_) => ColumnKind::Text,
            Value::Array(_) | Value::Object(_) => ColumnKind::Json,
        };
        self.kind = match self.kind {
            None => Some(this),
            Some(k) if k == this => Some(k),
            Some(_) => Some(ColumnKind::Mixed),
        };
    }

    /// The column's kind once every value is seen.
    fn kind(&self, key: &str) -> ColumnKind {
        match self.kind {
            None => ColumnKind::Empty,
            Some(ColumnKind::Number) if !self.not_time && is_time_key(key) => ColumnKind::Timestamp,
            Some(k) => k,
        }
    }
}

/// The paging fields of Xano's envelope `map`.
pub(crate) fn paging_from(map: &Map<String, Value>) -> Paging {
    let number = |key: &str| map.get(key).and_then(Value::as_u64);
    Paging {
        cur_page: number("curPage"),
        next_page: number("nextPage"),
        prev_page: number("prevPage"),
        per_page: number("perPage"),
        items_total: number("itemsTotal"),
        page_total: number("pageTotal"),
    }
}

/// How a cell's value is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellKind {
    /// A string, shown as text.
    Text,
    /// A string that is an email address: a `mailto:` link.
    Email,
    /// A string that is an http(s) URL: a link.
    Url,
    /// A number, right-aligned.
    Number,
    /// Epoch milliseconds in a timestamp column: local date-time in the
    /// browser; the text is ISO 8601 UTC.
    Timestamp(f64),
    /// A boolean, shown as ✓ / ✗ with a word for screen readers.
    Bool(bool),
    /// Null or missing, shown as an em dash.
    Empty,
    /// An object or array, shown as compact JSON.
    Json,
}

/// The display text of one cell and how to present it. The text is always
/// rendered as a text node, never as HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// What kind of value it is.
    pub kind: CellKind,
    /// The text to show: at most [`CELL_MAX_CHARS`] characters of the value.
    pub text: String,
    /// How many characters of the value the text leaves out (0: none).
    pub omitted: usize,
}

impl Cell {
    /// The cell for `value` (`None` = the row lacks the key) in a column of
    /// `column` kind, its text bounded to [`CELL_MAX_CHARS`] characters: a
    /// link or email too long for that is shown as text.
    pub fn new(value: Option<&Value>, column: ColumnKind) -> Self {
        Self::bounded(value, column, CELL_MAX_CHARS)
    }

    /// The cell with the value's whole text, for the CSV download.
    pub fn full(value: Option<&Value>, column: ColumnKind) -> Self {
        Self::bounded(value, column, usize::MAX)
    }

    fn bounded(value: Option<&Value>, column: ColumnKind, limit: usize) -> Self {
        let (kind, (text, omitted)) = match value {
            None | Some(Value::Null) => (CellKind::Empty, ("—".to_owned(), 0)),
            Some(Value::String(s)) => match cut(s, limit) {
                (text, 0) if is_email(s) => (CellKind::Email, (text.to_owned(), 0)),
                (text, 0) if is_web_url(s) => (CellKind::Url, (text.to_owned(), 0)),
                (text, omitted) => (CellKind::Text, (text.to_owned(), omitted)),
            },
            Some(Value::Number(n)) => match (column, n.as_f64()) {
                (ColumnKind::Timestamp, Some(ms)) => {
                    (CellKind::Timestamp(ms), (super::time::iso_utc(ms), 0))
                }
                _ => (CellKind::Number, (n.to_string(), 0)),
            },
            Some(Value::Bool(b)) => (
                CellKind::Bool(*b),
                (if *b { "✓" } else { "✗" }.to_owned(), 0),
            ),
            Some(nested) => (CellKind::Json, compact_json(nested, limit)),
        };
        Self {
            kind,
            text,
            omitted,
        }
    }

    /// The cell for `value` judged on its own (no column context).
    pub fn from_value(value: Option<&Value>) -> Self {
        Self::new(value, ColumnKind::Mixed)
    }

    /// The text for searching, filtering and CSV: like the display text,
    /// but booleans as `true`/`false` and null as empty.
    pub fn plain(&self) -> &str {
        match self.kind {
            CellKind::Bool(true) => "true",
            CellKind::Bool(false) => "false",
            CellKind::Empty => "",
            _ => &self.text,
        }
    }

    /// The mark after a cut text, "… (+48,213,112 characters)", or `None`
    /// when nothing is left out.
    pub fn omitted_mark(&self) -> Option<String> {
        (self.omitted > 0).then(|| {
            let unit = if self.omitted == 1 {
                "character"
            } else {
                "characters"
            };
            format!("… (+{} {unit})", grouped(self.omitted as u64))
        })
    }
}

/// `n` with a comma every three digits: 48,213,112. (Counts are `usize`:
/// `as u64` is lossless on the 32- and 64-bit targets.)
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A plain address, `local@domain.tld`: exactly one `@`, a local part of
/// letters, digits and `. _ + - ' ! $ & * = ^ ` { | } ~`, a domain of
/// dot-separated labels of letters, digits and `-` with at least one dot.
/// Nothing a `mailto:` URL would read as more than one recipient: no `?`
/// (headers such as `bcc=`), `%` (escapes such as `%2C`), `/`, `:`, `,`,
/// white space or markup.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| is_word_char(c) || "._+-'!$&*=^`{|}~".contains(c));
    local_ok
        && domain.contains('.')
        && domain
            .split('.')
            .all(|label| !label.is_empty() && label.chars().all(|c| is_word_char(c) || c == '-'))
}

/// An ASCII letter or digit, or a visible non-ASCII character (addresses
/// and domains in other scripts): not white space, a control character, or
/// an invisible or direction-changing one that would make the link's text
/// lie about its target.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (!c.is_ascii()
            && !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}'))
}

/// An absolute http(s) URL without spaces and without credentials: only
/// these become links (never `javascript:` or `data:`). A URL with user
/// information (`https://user:pass@host/`, `https://bank.example@evil.example/`)
/// is shown as text: the link would hand over the credentials, and its
/// text misleads about where it goes.
fn is_web_url(s: &str) -> bool {
    let lower = s.get(..8).map(str::to_ascii_lowercase).unwrap_or_default();
    let Some(rest) = lower
        .starts_with("http://")
        .then(|| &s[7..])
        .or_else(|| lower.starts_with("https://").then(|| &s[8..]))
    else {
        return false;
    };
    // The authority ends where the browser ends it: `/`, `\`, `?` or `#`.
    let authority = &rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())];
    rest.len() > 1
        && !authority.contains('@')
        && !s.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
}

/// The most characters of a key a column keeps: past them, the key is
/// its first characters and "… (+N characters)", so a 30 MB key costs what
/// a short one does wherever the column goes (the sort, the filters, the
/// menus). Two keys alike that far and as long become one column.
pub const KEY_MAX_CHARS: usize = 1_000;

/// `key`, cut as [`KEY_MAX_CHARS`] says.
fn bounded_key(key: String) -> String {
    match cut(&key, KEY_MAX_CHARS) {
        (_, 0) => key,
        (kept, more) => format!("{kept}… (+{} characters)", grouped(more as u64)),
    }
}

/// The most characters of a key a header label is made of; a longer key's
/// label ends with "…" (a server once sent a 30 MB key).
pub const LABEL_MAX_CHARS: usize = 100;

/// A header label from a JSON key: `created_at` → "Created at",
/// `firstName` → "First name", `id` → "ID"; from at most
/// [`LABEL_MAX_CHARS`] characters of the key.
pub fn label_for_key(key: &str) -> String {
    let (key, cut_off) = cut(key, LABEL_MAX_CHARS);
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in key.chars() {
        if matches!(ch, '_' | '-' | ' ' | '.') {
            words.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        // ASCII case rules only: keys are identifiers, and full Unicode
        // case tables would cost the bundle kilobytes for no real key.
        current.push(ch.to_ascii_lowercase());
    }
    words.extend((!current.is_empty()).then_some(current));
    let mut label = String::with_capacity(key.len() + 4);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            label.push(' ');
        }
        match word.as_str() {
            "id" | "url" | "uuid" | "api" | "ip" | "json" => {
                label.push_str(&word.to_ascii_uppercase())
            }
            _ if i == 0 => {
                let mut chars = word.chars();
                label.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                label.extend(chars);
            }
            _ => label.push_str(word),
        }
    }
    if cut_off > 0 {
        label.push('…');
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_are_the_union_of_keys_in_first_seen_order() {
        let d = Dataset::from_json(
            json!([{"id": 1, "name": "a"}, {"id": 2, "email": "e", "name": "b"}, {"zip": 9}]),
        )
        .unwrap();
        let keys: Vec<_> = d.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["id", "name", "email", "zip"]);
        assert_eq!(
            d.cell(0, &d.columns[2]).kind,
            CellKind::Empty,
            "a missing key is empty"
        );
        assert!(d.paging.is_none());
    }

    #[test]
    fn each_value_stays_under_its_own_key_whatever_the_rows_key_order() {
        let d = Dataset::from_json(json!([
            {"id": 1, "name": "a", "email": "a@x.io"},
            {"email": "b@x.io", "id": 2},
            {"zip": 9, "name": "c"},
            {"name": null, "id": 4, "zip": 10, "email": "d@x.io"}
        ]))
        .unwrap();
        let text = |row: usize, key: &str| d.cell(row, d.column(key).unwrap()).text;
        assert_eq!(
            [
                text(1, "id"),
                text(1, "name"),
                text(1, "email"),
                text(1, "zip")
            ],
            ["2", "—", "b@x.io", "—"]
        );
        assert_eq!(
            [text(2, "name"), text(2, "zip"), text(2, "id")],
            ["c", "9", "—"]
        );
        assert_eq!(
            [
                text(3, "id"),
                text(3, "name"),
                text(3, "email"),
                text(3, "zip")
            ],
            ["4", "—", "d@x.io", "10"]
        );
        let keys: Vec<_> = d
            .columns
            .iter()
            .map(|c| (c.key.as_str(), c.index))
            .collect();
        assert_eq!(keys, [("id", 0), ("name", 1), ("email", 2), ("zip", 3)]);
    }

    #[test]
    fn a_later_row_can_change_a_columns_kind() {
        let ms = 1_704_067_200_000u64;
        let d = Dataset::from_json(json!([
            {"n": 1, "t": "x", "created_at": ms, "b": null},
            {"n": 2, "t": "y", "created_at": ms, "b": true},
            {"n": "3", "t": "z", "created_at": 5, "b": false}
        ]))
        .unwrap();
        let kind = |k: &str| d.column(k).unwrap().kind;
        assert_eq!(kind("n"), ColumnKind::Mixed, "a string after numbers");
        assert_eq!(kind("t"), ColumnKind::Text);
        assert_eq!(
            kind("created_at"),
            ColumnKind::Number,
            "one number outside the timestamp range"
        );
        assert_eq!(kind("b"), ColumnKind::Bool, "nulls do not count");
        let mixed_then_back = Dataset::from_json(json!([{"v": 1}, {"v": "a"}, {"v": 2}])).unwrap();
        assert_eq!(mixed_then_back.columns[0].kind, ColumnKind::Mixed);
    }

    #[test]
    fn xano_paging_envelope_gives_rows_and_paging() {
        let d = Dataset::from_json(json!({
            "itemsReceived": 2, "curPage": 2, "nextPage": 3, "prevPage": 1, "offset": 2,
            "perPage": 2, "itemsTotal": 7, "pageTotal": 4,
            "items": [{"id": 3}, {"id": 4}]
        }))
        .unwrap();
        assert_eq!(d.rows.len(), 2);
        assert_eq!(
            d.paging,
            Some(Paging {
                cur_page: Some(2),
                next_page: Some(3),
                prev_page: Some(1),
                per_page: Some(2),
                items_total: Some(7),
                page_total: Some(4)
            })
        );
        let last =
            Dataset::from_json(json!({"curPage": 4, "nextPage": null, "items": []})).unwrap();
        assert_eq!(last.paging.unwrap().next_page, None);
        assert!(last.columns.is_empty() && last.rows.is_empty());
    }

    #[test]
    fn other_shapes_are_clear_errors() {
        assert_eq!(
            Dataset::from_json(json!({"rows": []})),
            Err(DataError::Shape("an object without an `items` array"))
        );
        assert_eq!(
            Dataset::from_json(json!("hi")),
            Err(DataError::Shape("a string"))
        );
        assert!(
            Dataset::from_json(json!(null))
                .unwrap_err()
                .to_string()
                .contains("`dataUrl`")
        );
    }

    #[test]
    fn scalar_rows_become_a_value_column() {
        let d = Dataset::from_json(json!([1, "two"])).unwrap();
        assert_eq!(d.columns[0].key, "value");
        assert_eq!(d.cell(1, &d.columns[0]).text, "two");
    }

    #[test]
    fn each_value_type_is_shown_sensibly() {
        let cell = |v: Value| Cell::from_value(Some(&v));
        assert_eq!(
            cell(json!("Ada <b>")),
            Cell {
                kind: CellKind::Text,
                text: "Ada <b>".into(),
                omitted: 0,
            }
        );
        assert_eq!(
            cell(json!(12.5)),
            Cell {
                kind: CellKind::Number,
                text: "12.5".into(),
                omitted: 0,
            }
        );
        assert_eq!(cell(json!(1_700_000_000_000u64)).text, "1700000000000");
        assert_eq!(cell(json!(true)).text, "✓");
        assert_eq!(
            cell(json!(null)),
            Cell {
                kind: CellKind::Empty,
                text: "—".into(),
                omitted: 0,
            }
        );
        assert_eq!(
            cell(json!({"city": "Oslo", "tags": [1, 2]})),
            Cell {
                kind: CellKind::Json,
                text: r#"{"city":"Oslo","tags":[1,2]}"#.into(),
                omitted: 0,
            }
        );
        assert_eq!(cell(json!([])).text, "[]");
    }

    #[test]
    fn columns_are_typed_from_their_values() {
        let d = Dataset::from_json(json!([
            {"id": 1, "created_at": 1_704_067_200_000u64, "updatedAt": 1_704_067_200_000u64, "views": 1_704_067_200_000u64,
             "active": true, "name": "a", "meta": {"k": 1}, "mixed": 1, "nothing": null, "start_date": 1_704_067_200_000u64},
            {"id": 2, "created_at": null, "updatedAt": 1_000, "views": 3, "active": false, "name": "b", "meta": [], "mixed": "x", "nothing": null}
        ]))
        .unwrap();
        let kind = |k: &str| d.column(k).unwrap().kind;
        assert_eq!(kind("id"), ColumnKind::Number);
        assert_eq!(kind("created_at"), ColumnKind::Timestamp);
        assert_eq!(kind("start_date"), ColumnKind::Timestamp);
        assert_eq!(
            kind("updatedAt"),
            ColumnKind::Number,
            "1000 ms is not a plausible timestamp"
        );
        assert_eq!(
            kind("views"),
            ColumnKind::Number,
            "big numbers under a non-time key stay numbers"
        );
        assert_eq!(kind("active"), ColumnKind::Bool);
        assert_eq!(kind("name"), ColumnKind::Text);
        assert_eq!(kind("meta"), ColumnKind::Json);
        assert_eq!(kind("mixed"), ColumnKind::Mixed);
        assert_eq!(kind("nothing"), ColumnKind::Empty);
        let created = d.column("created_at").unwrap();
        assert_eq!(
            d.cell(0, created),
            Cell {
                kind: CellKind::Timestamp(1_704_067_200_000.0),
                text: "2024-01-01T00:00:00Z".into(),
                omitted: 0,
            }
        );
    }

    #[test]
    fn emails_and_web_urls_become_links_nothing_else_does() {
        let cell = |s: &str| Cell::from_value(Some(&json!(s))).kind;
        assert_eq!(cell("ada@example.com"), CellKind::Email);
        assert_eq!(cell("https://example.com/a?b=c"), CellKind::Url);
        assert_eq!(cell("HTTP://EXAMPLE.COM"), CellKind::Url);
        assert_eq!(cell("https://ab"), CellKind::Url);
        assert_eq!(cell("http://ab"), CellKind::Url);
        for text in [
            "javascript:alert(1)",
            "data:text/html,<b>",
            "ftp://x.example",
            "a@b",
            "two@at@x.io",
            "see ada@example.com",
            "https://",
            "https://a",
            "http://x y",
        ] {
            assert_eq!(cell(text), CellKind::Text, "{text}");
        }
    }

    #[test]
    fn only_a_plain_address_becomes_a_mailto_link() {
        let cell = |s: &str| Cell::from_value(Some(&json!(s))).kind;
        for address in [
            "ada@example.com",
            "first.last+tag@mail.example.co.uk",
            "o'brien@example.ie",
            "x_y-z@sub-domain.example",
            "josé@exemple.fr",
            "用户@例子.广告",
        ] {
            assert_eq!(cell(address), CellKind::Email, "{address}");
        }
        for text in [
            "a@b.c?bcc=x%40evil.example&body=hi",
            "a@b.c?subject=hi",
            "a%2Cx@evil.example",
            "a@b.c/path",
            "a:b@c.d",
            "a@b.c:25",
            "a@b.c#frag",
            "a@b..c",
            "a@.b.c",
            "a@b.c.",
            "a@b_c.d",
            "a,b@c.d",
            "<a@b.c>",
            "a@b.c\n",
            "mailto:a@b.c",
            "a\u{a0}b@c.d",
            "a@b\u{3000}c.d",
            "a\u{202e}b@c.d",
            "a@b\u{200b}.c",
            "a\u{85}@b.c",
            "a\u{feff}@b.c",
            "a@b.c\u{2066}",
        ] {
            assert_ne!(cell(text), CellKind::Email, "{text}");
        }
    }

    #[test]
    fn urls_with_credentials_are_neither_emails_nor_links() {
        let cell = |s: &str| Cell::from_value(Some(&json!(s))).kind;
        for text in [
            "https://user:pass@host.example/",
            "https://user@host.example",
            "http://bank.example@evil.example/login",
            "HTTPS://u:p@h.example",
        ] {
            assert_eq!(cell(text), CellKind::Text, "{text}");
        }
        for url in [
            "https://host.example/@user",
            "https://host.example/a?by=ada@example.com",
            "https://host.example#x@y",
            "https://host.example\\@evil",
            "http://host.example:8080/",
        ] {
            assert_eq!(cell(url), CellKind::Url, "{url}");
        }
    }

    #[test]
    fn a_long_value_shows_its_first_characters_and_says_how_many_are_left_out() {
        let long = format!("{}{}", "é".repeat(CELL_MAX_CHARS), "z".repeat(48_213_112));
        let cell = Cell::from_value(Some(&json!(long)));
        assert_eq!(cell.kind, CellKind::Text);
        assert_eq!(cell.text, "é".repeat(CELL_MAX_CHARS));
        assert_eq!(cell.omitted, 48_213_112);
        assert_eq!(
            cell.omitted_mark().as_deref(),
            Some("… (+48,213,112 characters)")
        );
        let exact = Cell::from_value(Some(&json!("a".repeat(CELL_MAX_CHARS))));
        assert_eq!((exact.text.len(), exact.omitted), (CELL_MAX_CHARS, 0));
        assert_eq!(exact.omitted_mark(), None);
        let one_more = Cell::from_value(Some(&json!("a".repeat(CELL_MAX_CHARS + 1))));
        assert_eq!(one_more.omitted_mark().as_deref(), Some("… (+1 character)"));
        assert_eq!(
            Cell::full(Some(&json!(long)), ColumnKind::Text).text,
            long,
            "the full cell (the CSV's) keeps every character"
        );
    }

    #[test]
    fn a_long_nested_value_or_link_is_cut_too() {
        let nested = json!({"tags": vec!["ab"; 1_000]});
        let cell = Cell::from_value(Some(&nested));
        let whole = nested.to_string();
        assert_eq!(cell.kind, CellKind::Json);
        assert_eq!(cell.text, whole[..CELL_MAX_CHARS]);
        assert_eq!(cell.omitted, whole.len() - CELL_MAX_CHARS);
        let url = format!("https://example.com/{}", "a".repeat(CELL_MAX_CHARS));
        let cell = Cell::from_value(Some(&json!(url)));
        assert_eq!(
            (cell.kind, cell.omitted),
            (CellKind::Text, 20),
            "a cut link would lead elsewhere: it is text"
        );
    }

    #[test]
    fn search_filters_and_sort_read_the_text_the_cell_shows() {
        let head = "a".repeat(CELL_MAX_CHARS);
        let d = Dataset::from_json(json!([
            {"t": format!("{head}needle"), "n": 1},
            {"t": format!("{head}b"), "n": 2},
            {"t": "b", "n": 3},
            {"t": format!("{head}a"), "n": 4}
        ]))
        .unwrap();
        let mut query = crate::table::Query {
            search: "needle".into(),
            ..Default::default()
        };
        assert_eq!(d.select(&query).rows, Vec::<usize>::new());
        query.search = "aaa".into();
        assert_eq!(d.select(&query).rows, [0, 1, 3]);
        query.search.clear();
        query.filters = vec![("t".into(), "needle".into())];
        assert!(d.select(&query).rows.is_empty());
        query.filters.clear();
        query.toggle_sort("t");
        assert_eq!(
            d.select(&query).rows,
            [0, 1, 3, 2],
            "equal shown text keeps the server's order"
        );
    }

    #[test]
    fn a_text_column_ranks_as_natural_cmp_orders_its_values() {
        // Keys shorter than the 8 bytes compared first, keys alike in
        // those 8 bytes, zero bytes, case, digit runs, leading zeros.
        let texts = [
            "",
            "a",
            "A",
            "a\0",
            "a\0b",
            "ab",
            "abcdefgh",
            "abcdefgh",
            "abcdefghi",
            "abcdefgH",
            "abcdefg",
            "item 2",
            "item 10",
            "item 02",
            "Item 2",
            "x9",
            "x09",
            "x10",
            "\0",
            "é",
            "e",
            "abcdefgh\0",
            "zz",
            "10",
            "9",
            "010",
        ];
        let d = Dataset::from_json(Value::Array(
            texts.iter().map(|t| json!({ "t": t })).collect(),
        ))
        .unwrap();
        assert_eq!(d.columns[0].kind, ColumnKind::Text);
        let ranks = d.sort_ranks(&d.columns[0]);
        for (a, x) in texts.iter().enumerate() {
            for (b, y) in texts.iter().enumerate() {
                assert_eq!(
                    ranks[a].cmp(&ranks[b]),
                    super::super::sort::natural_cmp(x, y),
                    "{x:?} vs {y:?}"
                );
            }
        }
    }

    #[test]
    fn objects_and_arrays_sort_by_the_json_the_cell_shows() {
        let long = |last: u32| json!({"a": vec![0; CELL_MAX_CHARS], "z": last});
        let d = Dataset::from_json(json!([
            {"j": long(2)},
            {"j": {"a": [1]}},
            {"j": null},
            {"j": [3, 4]},
            {"j": long(1)},
            {"j": {"a": [0, 5]}}
        ]))
        .unwrap();
        assert_eq!(d.columns[0].kind, ColumnKind::Json);
        let mut query = crate::table::Query::default();
        query.toggle_sort("j");
        assert_eq!(
            d.select(&query).rows,
            // `[` before `{`; values alike in what the cells show keep the
            // server's order; null last.
            [3, 0, 4, 5, 1, 2],
        );
        query.toggle_sort("j");
        assert_eq!(d.select(&query).rows, [1, 5, 0, 4, 3, 2]);
        // Search reads the same text: what lies beyond it is not found.
        let mut query = crate::table::Query {
            search: "[3,4]".into(),
            ..Default::default()
        };
        assert_eq!(d.select(&query).rows, [3]);
        query.search = "\"z\":".into();
        assert!(d.select(&query).rows.is_empty());
        query.search = "{\"A\":[0,".into();
        assert_eq!(d.select(&query).rows, [0, 4, 5], "case-insensitive");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (20_000, "20,000"),
            (48_213_112, "48,213,112"),
        ] {
            assert_eq!(grouped(n), text);
        }
    }

    #[test]
    fn a_key_longer_than_a_column_keeps_is_cut_and_says_by_how_much() {
        let long = format!("{}{}", "k".repeat(KEY_MAX_CHARS), "x".repeat(4_000));
        let d = Dataset::from_json(json!([{"id": 1, &long: "a"}, {&long: "b", "id": 2}])).unwrap();
        let key = format!("{}… (+4,000 characters)", "k".repeat(KEY_MAX_CHARS));
        assert_eq!(d.columns.len(), 2, "the same long key is the same column");
        assert_eq!(d.columns[1].key, key);
        let column = d.column(&key).unwrap();
        assert_eq!([d.cell(0, column).text, d.cell(1, column).text], ["a", "b"]);
        let exact = "k".repeat(KEY_MAX_CHARS);
        let d = Dataset::from_json(json!([{&exact: 1}])).unwrap();
        assert_eq!(
            d.columns[0].key, exact,
            "a key of the most characters stays whole"
        );
    }

    #[test]
    fn labels_from_keys() {
        for (key, label) in [
            ("created_at", "Created at"),
            ("firstName", "First name"),
            ("id", "ID"),
            ("user_id", "User ID"),
            ("avatar-url", "Avatar URL"),
            ("Name", "Name"),
            ("amount2", "Amount2"),
            ("prénom", "Prénom"),
            ("", ""),
        ] {
            assert_eq!(label_for_key(key), label, "{key}");
        }
        // A huge key: a label of its first characters, marked as cut.
        let huge = "note_".repeat(1_000_000);
        let label = label_for_key(&huge);
        assert!(label.starts_with("Note note note"), "{label:.40}");
        assert!(label.ends_with('…'));
        assert!(label.chars().count() <= LABEL_MAX_CHARS + 1);
        assert_eq!(
            label_for_key(&"x".repeat(LABEL_MAX_CHARS)).chars().count(),
            LABEL_MAX_CHARS
        );
    }

    #[test]
    fn datasets_are_equal_by_columns_rows_and_paging_not_by_caches() {
        let make = |v: Value| Dataset::from_json(v).unwrap();
        let a = make(json!([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]));
        let b = make(json!([{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]));
        b.prepare_search(0..2);
        b.prepare_sort(1);
        assert_eq!(a, b, "the search and sort caches do not count");
        assert_ne!(
            a,
            make(json!([{"id": 1, "name": "a"}, {"id": 2, "name": "c"}])),
            "another value"
        );
        assert_ne!(
            a,
            make(json!([{"id": 1, "name": "a"}, {"id": 2, "name": 2}])),
            "another column kind, same keys"
        );
        let paged = |cur: u64| {
            make(json!({"curPage": cur, "items": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}))
        };
        assert_ne!(a, paged(1), "paged and not paged");
        assert_ne!(paged(1), paged(2), "another page");
        assert_eq!(paged(2), paged(2));
    }

    #[test]
    fn only_time_like_keys_make_timestamp_columns() {
        let ms = 1_704_067_200_000u64;
        let d = Dataset::from_json(json!([{
            "views": ms, "At": ms, "updatedAt": ms, "paidAt": ms, "paid_at": ms, "Timestamp": ms,
            "start_date": ms, "time": ms, "cat": ms
        }]))
        .unwrap();
        let kind = |k: &str| d.column(k).unwrap().kind;
        for key in ["views", "At", "cat"] {
            assert_eq!(kind(key), ColumnKind::Number, "{key}");
        }
        for key in [
            "updatedAt",
            "paidAt",
            "paid_at",
            "Timestamp",
            "start_date",
            "time",
        ] {
            assert_eq!(kind(key), ColumnKind::Timestamp, "{key}");
        }
    }

    #[test]
    fn prepare_builds_the_sort_ranks_and_search_text_ahead() {
        let d =
            Dataset::from_json(json!([{"id": 2, "name": "b"}, {"id": 1, "name": "a"}])).unwrap();
        assert!(d.sort_ranks.iter().all(|r| r.get().is_none()));
        d.prepare_sort(1);
        assert_eq!(d.sort_ranks[1].get().map(Vec::as_slice), Some(&[1, 0][..]));
        assert!(d.sort_ranks[0].get().is_none(), "one column at a time");
        d.prepare_sort(9);
        assert!(d.search_text.iter().all(|t| t.get().is_none()));
        d.prepare_search(1..2);
        assert_eq!(d.search_text[0].get(), None, "only the rows asked for");
        assert_eq!(
            d.search_text[1].get().map(String::as_str),
            Some("1\u{1f}a\u{1f}")
        );
        d.prepare_search(0..9);
        assert_eq!(
            d.search_text[0].get().map(String::as_str),
            Some("2\u{1f}b\u{1f}")
        );
    }
}
