//! One JSON value larger than a step, read in steps: a cell holding a large
//! object or array, a long text, a row that is not an object, a whole body
//! that is one scalar.
//!
//! The value's extent in the body is known (the scanner found it), so this
//! reads it front to back with a stack of the containers it is inside. In a
//! container, as many whole elements as fit in half a step are read
//! together by serde_json (the elements up to the last `,` the scan of that
//! half step found, wrapped in the container's brackets); an element that
//! does not fit is entered — a container becomes the top of the stack, a
//! text is read a part at a time — so no read is larger than a step. What
//! is left to read in one go is a single number or literal larger than a
//! step: JSON has no such value worth showing, and reading it is linear.
//!
//! The result equals serde_json's reading of the same text (a key seen
//! twice keeps the later value in the earlier place), and a number too
//! large for a double is kept as its text, as everywhere in the parser.

use super::{Scan, named, read_value};
use serde_json::{Map, Value};

/// How deep containers may nest in the part this reader walks itself (the
/// parts serde_json reads have their own limit of 128): deeper values would
/// exhaust the stack when they are dropped or written out.
const MAX_DEPTH: usize = 128;

/// Why the value is not JSON.
#[derive(Debug)]
pub(super) enum Fault {
    /// A message at a byte of the body.
    At(&'static str, usize),
    /// serde_json's error in a text whose first character stands for the
    /// byte at the offset (a bracket, a `,` or a quote it replaces).
    Serde(serde_json::Error, usize),
}

/// Where the reader stands in the container at the top of the stack.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    /// Right after the opening bracket.
    First,
    /// After a `,`: a value (or a key) must follow.
    Comma,
    /// In an object, reading a key (the text being read is one).
    Key,
    /// After a key: the `:`.
    Colon,
    /// After the `:`: the value.
    Value,
    /// After a value: a `,` or the closing bracket.
    After,
}

#[derive(Debug)]
enum Items {
    Array(Vec<Value>),
    /// The entries so far and the key whose value comes next.
    Object(Map<String, Value>, String),
}

#[derive(Debug)]
struct Frame {
    items: Items,
    at: At,
    /// Where the text after the last bracket or `,` starts: what a batch
    /// reads, white space included, so its first line is that byte's line.
    from: usize,
}

impl Frame {
    fn brackets(&self) -> (u8, u8) {
        match self.items {
            Items::Array(_) => (b'[', b']'),
            Items::Object(..) => (b'{', b'}'),
        }
    }
}

/// A value being read in steps.
#[derive(Debug)]
pub(super) struct LargeValue {
    pos: usize,
    end: usize,
    stack: Vec<Frame>,
    /// The text being read, while inside one.
    text: Option<String>,
    /// The value, once read (then only white space may follow).
    value: Option<Value>,
}

impl LargeValue {
    /// A reader of the value at `range` of the body (white space around it
    /// allowed).
    pub(super) fn new(range: std::ops::Range<usize>) -> Self {
        Self {
            pos: range.start,
            end: range.end,
            stack: Vec::new(),
            text: None,
            value: None,
        }
    }

    /// Reads on, handling at most `room` bytes — more only for the first
    /// unit of a step (`room == budget`), when that unit is one number or
    /// literal larger than a step. Returns the bytes handled and, at the
    /// end, the value. Handling 0 bytes means the next unit does not fit:
    /// the caller ends the step.
    pub(super) fn step(
        &mut self,
        body: &str,
        room: usize,
        budget: usize,
    ) -> Result<(usize, Option<Value>), Fault> {
        let bytes = body.as_bytes();
        let mut handled = 0;
        loop {
            let left = room.saturating_sub(handled);
            let fresh = handled == 0 && room >= budget;
            if left == 0 {
                return Ok((handled, None));
            }
            if self.text.is_some() {
                handled += self.text_part(body, left)?;
                continue;
            }
            // White space, within the room.
            let limit = self.end.min(self.pos + left);
            let start = self.pos;
            while self.pos < limit && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            }
            handled += self.pos - start;
            if self.pos == limit && limit < self.end {
                continue;
            }
            if self.value.is_some() {
                if self.pos < self.end {
                    return Err(Fault::At("trailing characters", self.pos));
                }
                return Ok((handled, self.value.take()));
            }
            if self.pos >= self.end {
                return Err(Fault::At(self.eof(), self.end));
            }
            let Some(top) = self.stack.last() else {
                match self.scalar_or_open(body, left, fresh)? {
                    Some(n) => handled += n,
                    None => return Ok((handled, None)),
                }
                continue;
            };
            let (open, close) = top.brackets();
            let byte = bytes[self.pos];
            match top.at {
                At::First | At::Comma => {
                    let full = (budget / 2).max(1);
                    match self.batch(body, (left / 2).min(full))? {
                        Some(n) => handled += n,
                        // Not even one element in a smaller probe than a
                        // fresh step's: the next step decides.
                        None if !fresh && left / 2 < full => return Ok((handled, None)),
                        None => {
                            handled += 1;
                            self.one_element(byte, open, close)?;
                        }
                    }
                }
                At::Key => unreachable!("a key is read as a text"),
                At::Colon => {
                    if byte != b':' {
                        return Err(Fault::At("expected `:`", self.pos));
                    }
                    self.pos += 1;
                    handled += 1;
                    self.set_at(At::Value);
                }
                At::Value => match self.scalar_or_open(body, left, fresh)? {
                    Some(n) => handled += n,
                    None => return Ok((handled, None)),
                },
                At::After => {
                    if byte == b',' {
                        if let Some(top) = self.stack.last_mut() {
                            top.at = At::Comma;
                            top.from = self.pos + 1;
                        }
                    } else if byte == close {
                        self.close();
                    } else if close == b']' {
                        return Err(Fault::At("expected `,` or `]`", self.pos));
                    } else {
                        return Err(Fault::At("expected `,` or `}`", self.pos));
                    }
                    self.pos += 1;
                    handled += 1;
                }
            }
        }
    }

    /// What ran out when the value ends early.
    fn eof(&self) -> &'static str {
        match self.stack.last().map(|f| &f.items) {
            None => "EOF while parsing a value",
            Some(Items::Array(_)) => "EOF while parsing a list",
            Some(Items::Object(..)) => "EOF while parsing an object",
        }
    }

    fn set_at(&mut self, at: At) {
        if let Some(top) = self.stack.last_mut() {
            top.at = at;
        }
    }

    /// Reads the elements of the top container that end within `limit`
    /// bytes, together: `Some(bytes handled)`, or `None` when not one does.
    fn batch(&mut self, body: &str, limit: usize) -> Result<Option<usize>, Fault> {
        let bytes = body.as_bytes();
        let Some(top) = self.stack.last() else {
            return Ok(None);
        };
        let (open, close) = top.brackets();
        let after_comma = top.at == At::Comma;
        let (from, start) = (top.from, self.pos);
        let mut scan = Scan {
            depth: 1,
            ..Scan::default()
        };
        let mut pos = start;
        let closed = scan.advance(bytes, start, &mut pos, self.end.min(start + limit));
        let scanned = pos - start;
        // The elements end at the closing bracket, or at the last `,`.
        let (stop, closes) = match closed {
            Some(after) => (after - 1, true),
            None => match scan.marks.iter().rev().find(|&&m| bytes[m] == b',') {
                Some(&comma) => (comma, false),
                None => return Ok(None),
            },
        };
        let inner = &body[from..stop];
        if inner.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
            if closes && !after_comma {
                self.pos = stop + 1;
                self.close();
                return Ok(Some(scanned));
            }
            let message = if closes {
                "trailing comma"
            } else {
                "expected value"
            };
            return Err(Fault::At(message, stop));
        }
        let mut text = String::with_capacity(inner.len() + 2);
        text.push(open as char);
        text.push_str(inner);
        text.push(if closes { bytes[stop] } else { close } as char);
        let read = read_value(&text).map_err(|e| Fault::Serde(e, from - 1))?;
        let Some(top) = self.stack.last_mut() else {
            return Ok(None);
        };
        match (&mut top.items, read) {
            (Items::Array(items), Value::Array(more)) => items.extend(more),
            (Items::Object(map, _), Value::Object(more)) => {
                for (key, value) in more {
                    map.insert(key, value);
                }
            }
            _ => {}
        }
        top.at = At::After;
        self.pos = stop;
        if closes {
            self.pos += 1;
            self.close();
        }
        Ok(Some(scanned + stop - start))
    }

    /// Starts the next element of the top container alone (it is larger
    /// than a batch): a key's text in an object, else the value.
    fn one_element(&mut self, byte: u8, open: u8, close: u8) -> Result<(), Fault> {
        if byte == close {
            let first = self.stack.last().is_some_and(|top| top.at == At::First);
            if !first {
                return Err(Fault::At("trailing comma", self.pos));
            }
            self.pos += 1;
            self.close();
            return Ok(());
        }
        if open == b'[' {
            self.set_at(At::Value);
            return Ok(());
        }
        if byte != b'"' {
            return Err(Fault::At("key must be a string", self.pos));
        }
        self.set_at(At::Key);
        self.pos += 1;
        self.text = Some(String::new());
        Ok(())
    }

    /// A value alone: a container is entered, a text started, a number or
    /// literal read whole. `None` when that read does not fit in `left`.
    fn scalar_or_open(
        &mut self,
        body: &str,
        left: usize,
        fresh: bool,
    ) -> Result<Option<usize>, Fault> {
        let bytes = body.as_bytes();
        let byte = bytes[self.pos];
        let items = match byte {
            b'[' => Items::Array(Vec::new()),
            b'{' => Items::Object(Map::new(), String::new()),
            b'"' => {
                self.pos += 1;
                self.text = Some(String::new());
                return Ok(Some(1));
            }
            b']' | b'}' | b',' | b':' => return Err(Fault::At("expected value", self.pos)),
            _ => {
                let start = self.pos;
                let len = bytes[start..self.end]
                    .iter()
                    .position(|b| b" \t\n\r,:[]{}\"".contains(b))
                    .unwrap_or(self.end - start);
                if len > left && !fresh {
                    return Ok(None);
                }
                let value = read_value(&body[start..start + len])
                    .map_err(|e| Fault::Serde(named(e, body, start..start + len), start))?;
                self.pos += len;
                self.deliver(value);
                return Ok(Some(len));
            }
        };
        if self.stack.len() >= MAX_DEPTH {
            return Err(Fault::At("recursion limit exceeded", self.pos));
        }
        self.stack.push(Frame {
            items,
            at: At::First,
            from: self.pos + 1,
        });
        self.pos += 1;
        Ok(Some(1))
    }

    /// Reads the next part of the text being read, at most `left` bytes
    /// (a few more to keep an escape whole); at its closing quote, the text
    /// becomes the value or the key.
    fn text_part(&mut self, body: &str, left: usize) -> Result<usize, Fault> {
        let from = self.pos;
        let (stop, closes) = text_stop(body.as_bytes(), from, self.end, from + left)?;
        let mut quoted = String::with_capacity(stop - from + 2);
        quoted.push('"');
        quoted.push_str(&body[from..stop]);
        quoted.push('"');
        let Some(text) = self.text.as_mut() else {
            return Ok(0);
        };
        match serde_json::from_str(&quoted) {
            Ok(Value::String(part)) => text.push_str(&part),
            Ok(_) => {}
            Err(e) => return Err(Fault::Serde(e, from - 1)),
        }
        self.pos = stop;
        if !closes {
            return Ok(stop - from);
        }
        self.pos += 1;
        let text = self.text.take().unwrap_or_default();
        match self.stack.last_mut() {
            Some(Frame {
                items: Items::Object(_, key),
                at: at @ At::Key,
                ..
            }) => {
                *key = text;
                *at = At::Colon;
            }
            _ => self.deliver(Value::String(text)),
        }
        Ok(stop + 1 - from)
    }

    /// Ends the container at the top of the stack.
    fn close(&mut self) {
        if let Some(frame) = self.stack.pop() {
            let value = match frame.items {
                Items::Array(items) => Value::Array(items),
                Items::Object(map, _) => Value::Object(map),
            };
            self.deliver(value);
        }
    }

    /// A value read: into the container at the top, or the result.
    fn deliver(&mut self, value: Value) {
        match self.stack.last_mut() {
            None => self.value = Some(value),
            Some(top) => {
                match &mut top.items {
                    Items::Array(items) => items.push(value),
                    Items::Object(map, key) => {
                        map.insert(std::mem::take(key), value);
                    }
                }
                top.at = At::After;
            }
        }
    }
}

/// Where the part of a text's content that starts at `from` ends: at the
/// closing quote (`true`), or at the first place at or after `want` that is
/// between two characters and not inside an escape, nor between the two
/// escapes of a surrogate pair (`false`).
fn text_stop(bytes: &[u8], from: usize, end: usize, want: usize) -> Result<(usize, bool), Fault> {
    let mut at = from;
    loop {
        let Some(&byte) = bytes.get(at).filter(|_| at < end) else {
            return Err(Fault::At("EOF while parsing a string", end));
        };
        match byte {
            b'"' => return Ok((at, true)),
            _ if at >= want && byte & 0xC0 != 0x80 => return Ok((at, false)),
            b'\\' if bytes.get(at + 1) == Some(&b'u') => {
                // `\uD800`–`\uDBFF` is the first half of a pair: keep the second.
                let high = bytes.get(at + 2..at + 4).is_some_and(|h| {
                    h[0].eq_ignore_ascii_case(&b'd')
                        && matches!(h[1], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
                });
                at += if high { 12 } else { 6 };
            }
            b'\\' => at += 2,
            _ => {
                // To the next quote or backslash, or to `want`, at once.
                let stop = end.min(want.max(at + 1));
                at += 1 + bytes[at + 1..stop.max(at + 1)]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\')
                    .unwrap_or(stop.max(at + 1) - at - 1);
            }
        }
    }
}
