//! Reading a data response in steps, so a large body never blocks the page:
//! each [`StepParser::step`] handles a bounded number of bytes, and the
//! caller gives the browser its turn between steps.
//!
//! A small scanner walks the body once, tracking strings, escapes and
//! nesting, and finds the rows: the elements of the top-level array, or of
//! the `items` array of Xano's paging envelope. serde_json reads each row
//! once the scanner has found its end (a row larger than a step is read a
//! cell at a time, and any value larger than a step — a long text, a large
//! object or array in a cell, a row that is not an object, a whole body
//! that is one value — in steps by [`large`]), and the rows go into a
//! [`DatasetBuilder`]. The result equals reading the whole body with
//! serde_json and [`Dataset::from_json`], with three differences, all for
//! bodies that whole-body reading handles worse:
//!
//! - A number too large for a double (`1e400`, `-1e400`) is kept as its
//!   text, a string, where serde_json refuses the whole body. Its column
//!   then holds strings, so it sorts as text: after the numbers when
//!   ascending. Integers beyond 64 bits are read as the nearest double,
//!   as the browser's `JSON.parse` reads them; integers within 64 bits keep
//!   every digit.
//! - Of an envelope, only the first `items` and the paging fields are read;
//!   the other fields are skipped (their brackets and strings must balance,
//!   but their content is not checked).
//! - Error positions are the same, the messages serde_json's or alike.
//! - Rows past [`MAX_ROWS`](super::model::MAX_ROWS) are counted, not read
//!   (whole-body reading keeps as many, but has read them all).
//!
//! One step is at most [`STEP_BYTES`] of scanning and reading together
//! (plus up to 11 bytes, so that a part of a long text ends between two
//! escapes), except a single number or literal, or an envelope's key,
//! larger than that: read in one go (linear, and nothing a table shows).

mod large;

use super::model::{DataError, Dataset, DatasetBuilder, paging_from};
use large::{Fault, LargeValue};
use serde_json::{Map, Value};
use std::ops::Range;

/// Bytes one step handles: about 10–30 ms of work in the browser, so the
/// page answers input between steps, in few enough steps that the yields
/// between them cost little.
pub const STEP_BYTES: usize = 512 * 1024;

/// Bytes of the first step: enough for a first page of rows of the usual
/// size (100 rows of 600 bytes, scanned and read), few enough to handle in
/// a few milliseconds, so the table's first page ([`StepParser::preview`])
/// shows that soon.
pub const FIRST_STEP_BYTES: usize = 128 * 1024;

/// What a row costs a step at the least, in bytes: a row is an allocation
/// and a pass through the model whatever its size, so a step of 512 KiB of
/// `[1,1,1,…]` (262,144 rows) took 57 ms natively, against 9 ms for rows of
/// the usual size; counted as 64 bytes, a step holds at most 8,192 rows.
const ROW_COST: usize = 64;

/// Why a body could not be read as rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Not JSON: serde_json's message, or alike, with the line and column.
    Json(String),
    /// JSON, but not rows.
    Shape(DataError),
}

/// Where the scanner is in the body.
#[derive(Debug)]
enum State {
    /// Before the top-level value.
    Start,
    /// A top-level value that is neither an array nor an object.
    Scalar { start: usize, scan: Scan },
    /// In the rows array, before an element (or the `]`).
    Rows { first: bool },
    /// In a row.
    Row { start: usize, scan: Scan },
    /// After a row: a `,` or the `]`.
    AfterRow,
    /// In the envelope, before a key (or the `}`).
    Envelope { first: bool },
    /// In an envelope key.
    Key { start: usize, scan: Scan },
    /// After an envelope key: the `:`.
    Colon { key: String },
    /// After the `:`: the value.
    Value { key: String },
    /// In an envelope value that is not the rows.
    Member {
        key: String,
        start: usize,
        scan: Scan,
    },
    /// After an envelope member: a `,` or the `}`.
    AfterMember,
    /// After the top-level value: only white space.
    Trailing,
    /// The whole body is scanned.
    End,
}

/// Where a value read in steps goes.
#[derive(Debug)]
enum Place {
    /// A whole row.
    Row,
    /// A cell of the row being built, with its key.
    Cell(Range<usize>),
    /// A key larger than a step, starting at the byte given: kept for the
    /// [`KeyedCell`](Place::KeyedCell) after it.
    Key(usize),
    /// A cell whose key was read just before it.
    KeyedCell,
    /// A paging field of the envelope.
    Paging(String),
    /// The top-level scalar.
    Scalar,
}

/// A part of the body the scanner has found, to be read by serde_json.
#[derive(Debug)]
enum Piece {
    /// A whole row.
    Row(Range<usize>),
    /// The start of a row that comes cell by cell.
    StartRow,
    /// A cell of that row: its key and its value.
    Cell {
        key: Range<usize>,
        value: Range<usize>,
    },
    /// A value larger than a step, read in steps, and where it goes.
    Large { into: Place, reader: LargeValue },
    /// The end of that row.
    EndRow,
    /// A paging field of the envelope.
    Paging { key: String, value: Range<usize> },
    /// The top-level scalar.
    Scalar(Range<usize>),
}

impl Piece {
    /// The bytes reading it (or, for a long text, its next part) takes —
    /// a row at least [`ROW_COST`], whatever its size.
    fn cost(&self) -> usize {
        match self {
            // At least a byte: what fits in the rest of the step.
            Piece::Large { .. } => 1,
            Piece::Row(r) => r.len().max(ROW_COST),
            Piece::Scalar(r) | Piece::Paging { value: r, .. } => r.len(),
            Piece::Cell { key, value } => key.len() + value.len(),
            Piece::StartRow => ROW_COST,
            Piece::EndRow => 0,
        }
    }
}

/// The scanner's state inside one value: nesting depth, whether it is in a
/// string or right after a backslash there, and where the value's own `:`
/// and `,` are (those of an object row, to read it a cell at a time).
#[derive(Debug, Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
    marks: Vec<usize>,
}

impl Scan {
    /// Scans `bytes` from `*pos` up to `limit`, the value having started at
    /// `start`; `Some(end)` when the value ends (`end` exclusive), else
    /// `None` with `*pos` at `limit`.
    fn advance(
        &mut self,
        bytes: &[u8],
        start: usize,
        pos: &mut usize,
        limit: usize,
    ) -> Option<usize> {
        while *pos < limit {
            let at = *pos;
            let byte = bytes[at];
            *pos += 1;
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if byte == b'\\' {
                    self.escaped = true;
                } else if byte == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(*pos);
                    }
                } else {
                    // Skip to the next quote or backslash at once.
                    let rest = &bytes[*pos..limit];
                    *pos += rest
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\')
                        .unwrap_or(rest.len());
                }
                continue;
            }
            match byte {
                b'"' => {
                    if self.depth == 0 && at > start {
                        // A scalar runs into a string: the value ended.
                        *pos = at;
                        return Some(at);
                    }
                    self.in_string = true;
                }
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    if self.depth == 0 {
                        *pos = at;
                        return Some(at);
                    }
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(*pos);
                    }
                }
                b',' | b':' if self.depth == 1 => self.marks.push(at),
                b',' | b':' | b' ' | b'\t' | b'\n' | b'\r' if self.depth == 0 => {
                    *pos = at;
                    return Some(at);
                }
                _ => {}
            }
        }
        None
    }
}

/// A data response read in steps.
pub struct StepParser {
    body: String,
    pos: usize,
    state: State,
    /// Whether the rows are an envelope's `items`.
    enveloped: bool,
    /// Whether the envelope's `items` array was found.
    found_items: bool,
    /// Pieces found and not yet read: `pending[next..]`.
    pending: Vec<Piece>,
    next: usize,
    /// The current step's budget: a row larger than this is read a cell at a time.
    budget: usize,
    builder: DatasetBuilder,
    paging: Map<String, Value>,
    scalar: Option<Value>,
    /// A key read in steps, for the cell after it.
    long_key: String,
    /// How many rows the first step read (see [`preview`](StepParser::preview)).
    first_step_rows: Option<usize>,
}

/// The envelope's fields that [`paging_from`] reads.
const PAGING_KEYS: [&str; 6] = [
    "curPage",
    "nextPage",
    "prevPage",
    "perPage",
    "itemsTotal",
    "pageTotal",
];

impl StepParser {
    /// A parser for `body`; nothing is read until the first step.
    pub fn new(body: String) -> Self {
        Self {
            body,
            pos: 0,
            state: State::Start,
            enveloped: false,
            found_items: false,
            pending: Vec::new(),
            next: 0,
            budget: STEP_BYTES,
            builder: DatasetBuilder::default(),
            paging: Map::new(),
            scalar: None,
            long_key: String::new(),
            first_step_rows: None,
        }
    }

    /// Reads `body` in one go (steps without a pause): what the tests
    /// compare the steps with, and a plain way to read small bodies.
    pub fn parse(body: String) -> Result<Dataset, ParseError> {
        let mut parser = Self::new(body);
        loop {
            if let Some(result) = parser.step(STEP_BYTES) {
                return result;
            }
        }
    }

    /// Handles at most `budget` bytes (see the module documentation for the
    /// one exception): `None` while there is more to do, then the result.
    pub fn step(&mut self, budget: usize) -> Option<Result<Dataset, ParseError>> {
        let result = self.step_counted(budget).1;
        if result.is_none() && self.first_step_rows.is_none() {
            self.first_step_rows = Some(self.builder.rows());
        }
        result
    }

    /// The first rows while the rest is still to read, so a table can show
    /// its first page after the first step rather than after the last: a
    /// copy of at most `rows` of the rows the first step read. Those come
    /// from at most one step's bytes (a value larger than a step takes
    /// more than one step to scan, so no such row is among them), which
    /// bounds the copy. `None` before the first step, when it read no
    /// whole row, or once the reading has ended.
    pub fn preview(&self, rows: usize) -> Option<Dataset> {
        let rows = rows.min(self.first_step_rows?).min(self.builder.rows());
        (rows > 0).then(|| self.builder.preview(rows))
    }

    /// [`step`](Self::step), also saying how many bytes it handled.
    fn step_counted(&mut self, budget: usize) -> (usize, Option<Result<Dataset, ParseError>>) {
        let mut handled = 0;
        self.budget = budget.max(1);
        loop {
            while let Some(piece) = self.pending.get_mut(self.next) {
                let cost = piece.cost();
                if handled > 0 && handled + cost > budget {
                    return (handled, None);
                }
                let result = match piece {
                    Piece::Large { .. } => match self.read_large(budget - handled) {
                        Ok(0) => return (handled, None),
                        other => other,
                    },
                    _ => {
                        let piece = std::mem::replace(piece, Piece::EndRow);
                        self.next += 1;
                        self.read(piece).map(|()| cost)
                    }
                };
                match result {
                    Ok(read) => handled += read,
                    Err(e) => return (handled, Some(Err(e))),
                }
            }
            self.pending.clear();
            self.next = 0;
            if matches!(self.state, State::End) {
                return (handled, Some(self.finish()));
            }
            if handled >= budget {
                return (handled, None);
            }
            let before = self.pos;
            let limit = self.body.len().min(self.pos + (budget - handled));
            if let Err(e) = self.scan(limit) {
                return (handled, Some(Err(e)));
            }
            handled += self.pos - before;
        }
    }

    /// How many rows the model holds so far (for the tests).
    #[cfg(test)]
    fn builder_rows(&self) -> usize {
        self.builder.rows()
    }

    fn finish(&mut self) -> Result<Dataset, ParseError> {
        if let Some(scalar) = self.scalar.take() {
            return Dataset::from_json(scalar).map_err(ParseError::Shape);
        }
        if self.enveloped && !self.found_items {
            return Err(ParseError::Shape(DataError::Shape(
                "an object without an `items` array",
            )));
        }
        let paging = self.enveloped.then(|| paging_from(&self.paging));
        Ok(std::mem::take(&mut self.builder).finish(paging))
    }

    /// Reads one piece with serde_json.
    fn read(&mut self, piece: Piece) -> Result<(), ParseError> {
        match piece {
            Piece::Row(range) => {
                let row = self.value(range)?;
                self.builder.push_row(row);
            }
            Piece::StartRow => self.builder.start_row(),
            Piece::Cell { key, value } => {
                let key = self.key(key)?;
                let value = self.value(value)?;
                self.builder.push_cell(key, value);
            }
            Piece::EndRow => self.builder.end_row(),
            // Read in steps: see `read_large`.
            Piece::Large { .. } => {}
            Piece::Paging { key, value } => {
                let value = self.value(value)?;
                self.paging.insert(key, value);
            }
            Piece::Scalar(range) => self.scalar = Some(self.value(range)?),
        }
        Ok(())
    }

    /// Reads on in the large value at `pending[next]`, at most `room`
    /// bytes (see [`LargeValue::step`]), and says how many it read; the
    /// value goes where it belongs once whole.
    fn read_large(&mut self, room: usize) -> Result<usize, ParseError> {
        let Some(Piece::Large { reader, .. }) = self.pending.get_mut(self.next) else {
            return Ok(0);
        };
        let (handled, value) = match reader.step(&self.body, room, self.budget) {
            Ok(read) => read,
            Err(Fault::At(message, at)) => return Err(self.error_at(message, at)),
            Err(Fault::Serde(e, at)) => return Err(self.serde_error(&e, at)),
        };
        let Some(value) = value else {
            return Ok(handled);
        };
        let piece = std::mem::replace(&mut self.pending[self.next], Piece::EndRow);
        self.next += 1;
        if let Piece::Large { into, .. } = piece {
            match into {
                Place::Row => self.builder.push_row(value),
                Place::Cell(key) => {
                    let key = self.key(key)?;
                    self.builder.push_cell(key, value);
                }
                Place::Key(at) => match value {
                    Value::String(key) => self.long_key = key,
                    _ => return Err(self.error_at("key must be a string", at)),
                },
                Place::KeyedCell => {
                    let key = std::mem::take(&mut self.long_key);
                    self.builder.push_cell(key, value);
                }
                Place::Paging(key) => {
                    self.paging.insert(key, value);
                }
                Place::Scalar => self.scalar = Some(value),
            }
        }
        Ok(handled.max(1))
    }

    /// The piece that reads the value at `range` and puts it `into` its
    /// place: a [`Piece::Large`] when the value is larger than a step.
    fn piece(&self, range: Range<usize>, into: Place) -> Piece {
        if range.len() > self.budget {
            return Piece::Large {
                into,
                reader: LargeValue::new(range),
            };
        }
        match into {
            Place::Row => Piece::Row(range),
            Place::Cell(key) => Piece::Cell { key, value: range },
            Place::Paging(key) => Piece::Paging { key, value: range },
            Place::Scalar => Piece::Scalar(range),
            // Only ever larger than a step (see `queue_row`).
            Place::Key(_) | Place::KeyedCell => Piece::Large {
                into,
                reader: LargeValue::new(range),
            },
        }
    }

    /// A key: read as any value (one serde_json reader in the bundle), then
    /// it must be a string.
    fn key(&self, range: Range<usize>) -> Result<String, ParseError> {
        let start = range.start;
        match self.value(range)? {
            Value::String(key) => Ok(key),
            _ => Err(self.error_at("key must be a string", start)),
        }
    }

    fn value(&self, range: Range<usize>) -> Result<Value, ParseError> {
        read_value(&self.body[range.clone()])
            .map_err(|e| self.serde_error(&named(e, &self.body, range.clone()), range.start))
    }

    /// serde_json's error in the piece at `offset`, placed in the body.
    fn serde_error(&self, error: &serde_json::Error, offset: usize) -> ParseError {
        let text = error.to_string();
        let message = text
            .find(" at line ")
            .map_or(text.as_str(), |at| &text[..at]);
        let (line, column) = self.line_column(offset);
        let (line, column) = if error.line() <= 1 {
            (line, column - 1 + error.column())
        } else {
            (line + error.line() - 1, error.column())
        };
        ParseError::Json(format!("{message} at line {line} column {column}"))
    }

    /// An error of the scanner's at byte `at`.
    /// At the end of the body, the column is that of the last character,
    /// as serde_json counts it (0 on an empty last line).
    fn error_at(&self, message: &str, at: usize) -> ParseError {
        let (line, mut column) = self.line_column(at);
        if at >= self.body.len() {
            column -= 1;
        }
        ParseError::Json(format!("{message} at line {line} column {column}"))
    }

    /// The 1-based line and column of byte `at` (only on an error: one pass
    /// over the body before it).
    fn line_column(&self, at: usize) -> (usize, usize) {
        let before = &self.body.as_bytes()[..at.min(self.body.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        (line, column + 1)
    }

    /// Skips white space; the next byte, if any, without taking it.
    fn peek(&mut self, limit: usize) -> Option<u8> {
        let bytes = self.body.as_bytes();
        while self.pos < limit && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
        (self.pos < limit).then(|| bytes[self.pos])
    }

    /// Advances the scanner up to byte `limit`, queueing the pieces it
    /// finds; stops early after a piece so the next step reads it.
    fn scan(&mut self, limit: usize) -> Result<(), ParseError> {
        let at_end = limit == self.body.len();
        while self.pos < limit || (at_end && !matches!(self.state, State::End)) {
            if !self.pending.is_empty() {
                return Ok(());
            }
            // The states between values skip white space to the next
            // token; the states inside a value scan it byte by byte.
            let between = !matches!(
                self.state,
                State::Scalar { .. } | State::Row { .. } | State::Key { .. } | State::Member { .. }
            );
            let next = if between { self.peek(limit) } else { None };
            if (between && next.is_none() || self.pos >= limit) && !at_end {
                return Ok(());
            }
            let state = std::mem::replace(&mut self.state, State::End);
            self.state = match state {
                State::Start => match next {
                    None => return Err(self.error_at("EOF while parsing a value", self.pos)),
                    Some(b'[') => {
                        self.pos += 1;
                        State::Rows { first: true }
                    }
                    Some(b'{') => {
                        self.pos += 1;
                        self.enveloped = true;
                        State::Envelope { first: true }
                    }
                    Some(_) => State::Scalar {
                        start: self.pos,
                        scan: Scan::default(),
                    },
                },
                State::Scalar { start, mut scan } => {
                    let bytes = self.body.as_bytes();
                    match scan.advance(bytes, start, &mut self.pos, limit) {
                        Some(end) => {
                            self.pending.push(self.piece(start..end, Place::Scalar));
                            State::Trailing
                        }
                        None if at_end => {
                            self.pending
                                .push(self.piece(start..self.pos, Place::Scalar));
                            State::Trailing
                        }
                        None => State::Scalar { start, scan },
                    }
                }
                State::Rows { first } => match next {
                    None => return Err(self.error_at("EOF while parsing a list", self.pos)),
                    Some(b']') if first => {
                        self.pos += 1;
                        self.after_rows()
                    }
                    Some(b']') => return Err(self.error_at("trailing comma", self.pos)),
                    Some(_) => State::Row {
                        start: self.pos,
                        scan: Scan::default(),
                    },
                },
                State::Row { start, mut scan } => {
                    let bytes = self.body.as_bytes();
                    match scan.advance(bytes, start, &mut self.pos, limit) {
                        Some(end) => {
                            self.queue_row(start, end, scan.marks);
                            State::AfterRow
                        }
                        None if at_end => {
                            return Err(self.error_at("EOF while parsing a list", self.pos));
                        }
                        None => State::Row { start, scan },
                    }
                }
                State::AfterRow => match next {
                    None => return Err(self.error_at("EOF while parsing a list", self.pos)),
                    Some(b',') => {
                        self.pos += 1;
                        State::Rows { first: false }
                    }
                    Some(b']') => {
                        self.pos += 1;
                        self.after_rows()
                    }
                    Some(_) => return Err(self.error_at("expected `,` or `]`", self.pos)),
                },
                State::Envelope { first } => match next {
                    None => return Err(self.error_at("EOF while parsing an object", self.pos)),
                    Some(b'}') if first => {
                        self.pos += 1;
                        State::Trailing
                    }
                    Some(b'}') => return Err(self.error_at("trailing comma", self.pos)),
                    Some(b'"') => State::Key {
                        start: self.pos,
                        scan: Scan::default(),
                    },
                    Some(_) => return Err(self.error_at("key must be a string", self.pos)),
                },
                State::Key { start, mut scan } => {
                    let bytes = self.body.as_bytes();
                    match scan.advance(bytes, start, &mut self.pos, limit) {
                        Some(end) => State::Colon {
                            key: self.key(start..end)?,
                        },
                        None if at_end => {
                            return Err(self.error_at("EOF while parsing a string", self.pos));
                        }
                        None => State::Key { start, scan },
                    }
                }
                State::Colon { key } => match next {
                    None => return Err(self.error_at("EOF while parsing an object", self.pos)),
                    Some(b':') => {
                        self.pos += 1;
                        State::Value { key }
                    }
                    Some(_) => return Err(self.error_at("expected `:`", self.pos)),
                },
                State::Value { key } => match next {
                    None => return Err(self.error_at("EOF while parsing a value", self.pos)),
                    Some(b'[') if key == "items" && !self.found_items => {
                        self.pos += 1;
                        self.found_items = true;
                        State::Rows { first: true }
                    }
                    Some(_) if key == "items" && !self.found_items => {
                        return Err(ParseError::Shape(DataError::Shape(
                            "an object without an `items` array",
                        )));
                    }
                    Some(_) => State::Member {
                        key,
                        start: self.pos,
                        scan: Scan::default(),
                    },
                },
                State::Member {
                    key,
                    start,
                    mut scan,
                } => {
                    let bytes = self.body.as_bytes();
                    match scan.advance(bytes, start, &mut self.pos, limit) {
                        Some(end) => {
                            if PAGING_KEYS.contains(&key.as_str()) {
                                self.pending
                                    .push(self.piece(start..end, Place::Paging(key)));
                            }
                            State::AfterMember
                        }
                        None if at_end => {
                            return Err(self.error_at("EOF while parsing an object", self.pos));
                        }
                        None => State::Member { key, start, scan },
                    }
                }
                State::AfterMember => match next {
                    None => return Err(self.error_at("EOF while parsing an object", self.pos)),
                    Some(b',') => {
                        self.pos += 1;
                        State::Envelope { first: false }
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        State::Trailing
                    }
                    Some(_) => return Err(self.error_at("expected `,` or `}`", self.pos)),
                },
                State::Trailing => match next {
                    None => State::End,
                    Some(_) => return Err(self.error_at("trailing characters", self.pos)),
                },
                State::End => State::End,
            };
        }
        Ok(())
    }

    /// Where the scanner goes after the rows array's `]`.
    fn after_rows(&self) -> State {
        if self.enveloped {
            State::AfterMember
        } else {
            State::Trailing
        }
    }

    /// Queues the row at `start..end`: whole, or — an object larger than
    /// the step's budget — a cell at a time, split at its own `:` and `,`
    /// (`marks`); past [`MAX_ROWS`](super::model::MAX_ROWS), only counts it
    /// (its brackets and strings balance; its content is not checked).
    fn queue_row(&mut self, start: usize, end: usize, marks: Vec<usize>) {
        // Past the most rows a table holds, a row is counted, not read.
        if self.builder.full() {
            return self.builder.leave_out();
        }
        let bytes = self.body.as_bytes();
        if end - start <= self.budget || bytes[start] != b'{' || bytes[end - 1] != b'}' {
            self.pending.push(self.piece(start..end, Place::Row));
            return;
        }
        // `{ k : v , k : v }`: the marks alternate `:` and `,`; anything
        // else is not a valid object, and serde_json says why.
        let well_formed = marks
            .iter()
            .enumerate()
            .all(|(i, &at)| bytes[at] == if i % 2 == 0 { b':' } else { b',' })
            && marks.len() % 2 == 1;
        if !well_formed {
            self.pending.push(self.piece(start..end, Place::Row));
            return;
        }
        self.pending.push(Piece::StartRow);
        let mut key_start = start + 1;
        for pair in marks.chunks(2) {
            let colon = pair[0];
            let value_end = pair.get(1).copied().unwrap_or(end - 1);
            let value = colon + 1..value_end;
            let key = key_start..colon;
            if key.len() > self.budget {
                // A key larger than a step is read in steps too, then its value.
                let text = &self.body[key.clone()];
                let at = key.start + text.len() - text.trim_start().len();
                self.pending.push(self.piece(key, Place::Key(at)));
                self.pending.push(self.piece(value, Place::KeyedCell));
            } else {
                self.pending.push(self.piece(value, Place::Cell(key)));
            }
            key_start = value_end + 1;
        }
        self.pending.push(Piece::EndRow);
    }
}

/// One JSON value; a number too large for a double is kept as its text
/// (see the module documentation).
fn read_value(text: &str) -> Result<Value, serde_json::Error> {
    match serde_json::from_str(text) {
        Err(e) if e.to_string().starts_with("number out of range") => {
            serde_json::from_str(&quote_huge_numbers(text))
        }
        other => other,
    }
}

/// serde_json's error reading `body[range]` as it would name it reading
/// the whole body: where it ran out of text, read again with the byte after
/// it (`tru}`: "expected ident" at the `}`, not an early end).
fn named(error: serde_json::Error, body: &str, range: Range<usize>) -> serde_json::Error {
    if !error.is_eof() {
        return error;
    }
    body.get(range.start..=range.end)
        .and_then(|text| read_value(text).err())
        .unwrap_or(error)
}

/// `text` with every number a double cannot hold written as a string.
fn quote_huge_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let (mut i, mut copied) = (0, 0);
    let mut in_string = false;
    while i < bytes.len() {
        let byte = bytes[i];
        if in_string {
            match byte {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                let number = &text[start..i];
                if serde_json::from_str::<Value>(number).is_err() {
                    out.push_str(&text[copied..start]);
                    out.push('"');
                    out.push_str(number);
                    out.push('"');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests;
