//! Text for messages: how a JSON value or a number reads in a sentence, JSON
//! written as text (whole or its first characters), and cutting text by characters.
//!
//! The bottom layer: used by the configuration, the auth client's errors and
//! the table model alike, and it uses nothing else in this crate.

use serde_json::Value;

/// What kind of JSON value this is, as a sentence says it: "a string",
/// "an array", "null".
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The most characters of a value a table cell shows. Far more than a
/// cell can usefully display, and small enough that a page of 25 rows of 50
/// columns stays a few megabytes of text whatever the server sends (one
/// 50 MB cell once froze the tab for 23 s). Search, the column filters and
/// sorting read the same bounded text; the CSV download writes full values.
pub const CELL_MAX_CHARS: usize = 1_000;

/// `value` as compact JSON. Every JSON text the app writes comes from
/// [`json_prefix`], so the bundle carries one copy of serde_json's writer
/// (`Display` for `Value` would add a second, and a pretty one for `{:#}`).
pub fn json_text(value: &Value) -> String {
    json_prefix(value, usize::MAX).0
}

/// The first `limit` characters of `s` and how many characters follow: a
/// walk over the first characters, then a count of the rest.
pub fn cut(s: &str, limit: usize) -> (&str, usize) {
    if s.len() <= limit {
        return (s, 0);
    }
    let mut chars = 0;
    for (at, byte) in s.bytes().enumerate() {
        // A character starts at every byte that is not a UTF-8 continuation.
        if byte & 0xC0 != 0x80 {
            if chars == limit {
                return (&s[..at], char_count(&s[at..]));
            }
            chars += 1;
        }
    }
    (s, 0)
}

/// How many characters `s` has: its bytes less the UTF-8 continuation
/// bytes (`10xxxxxx`), counted eight bytes at a time, so a 32 MB value is
/// counted in a few milliseconds.
fn char_count(s: &str) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = s.as_bytes();
    let words = bytes.chunks_exact(8);
    let rest = words.remainder();
    let mut continuations = 0;
    for word in words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        // Bit 7 set and bit 6 clear, in each byte.
        continuations += (w & !(w << 1) & HIGH).count_ones() as usize;
    }
    continuations += rest.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    bytes.len() - continuations
}

/// `value` as compact JSON, at most `limit` characters of it, and how many
/// characters follow (counted by [`json_chars`], not written: writing 30 MB
/// of JSON took a second in the browser).
pub fn compact_json(value: &Value, limit: usize) -> (String, usize) {
    match json_prefix(value, limit) {
        (text, false) => (text, 0),
        (text, true) => (text, json_chars(value) - limit),
    }
}

/// The first `limit` characters of `value` as compact JSON, and whether
/// more follow: the writing stops there.
pub fn json_prefix(value: &Value, limit: usize) -> (String, bool) {
    /// Keeps the first `limit` characters; fails once there are more.
    struct Bounded {
        text: String,
        /// How many characters `text` has, counted from the first write
        /// that takes it past `limit` bytes, then kept up write by write.
        chars: Option<usize>,
        limit: usize,
    }
    impl std::io::Write for Bounded {
        /// serde_json writes whole characters at a time.
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let part = std::str::from_utf8(bytes).map_err(|_| std::io::ErrorKind::InvalidData)?;
            // Within `limit` bytes, within `limit` characters: no counting
            // (most values end here).
            if self.chars.is_none() && self.text.len() + part.len() <= self.limit {
                self.text.push_str(part);
                return Ok(bytes.len());
            }
            let chars = self.chars.get_or_insert_with(|| char_count(&self.text));
            let (kept, more) = cut(part, self.limit - *chars);
            self.text.push_str(kept);
            *chars += char_count(kept);
            if more > 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Bounded {
        text: String::with_capacity(64),
        chars: None,
        limit,
    };
    let more = serde_json::to_writer(&mut out, value).is_err();
    (out.text, more)
}

/// The compact JSON a cell shows of a value: at most [`CELL_MAX_CHARS`]
/// characters, what search and sort read of an object or array.
pub fn shown_json(value: &Value) -> String {
    json_prefix(value, CELL_MAX_CHARS).0
}

/// How many characters `value` has as compact JSON, counted without
/// writing it.
fn json_chars(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => digits(u),
            (None, Some(i)) => 1 + digits(i.unsigned_abs()),
            _ => json_text(value).len(),
        },
        Value::String(s) => quoted_chars(s),
        Value::Array(items) => {
            let commas = items.len().saturating_sub(1);
            2 + commas + items.iter().map(json_chars).sum::<usize>()
        }
        Value::Object(map) => {
            let commas = map.len().saturating_sub(1);
            let entries = map.iter().map(|(k, v)| quoted_chars(k) + 1 + json_chars(v));
            2 + commas + entries.sum::<usize>()
        }
    }
}

/// How many decimal digits `n` has.
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// The characters of `s` written as a JSON string: its quotes, and a
/// backslash before `"` and `\`; control characters as `\n` and alike or
/// as `\u00XX`.
fn quoted_chars(s: &str) -> usize {
    let escapes: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | b'\t' | b'\n' | 0x0C | b'\r' => 1,
            0..=0x1F => 5,
            _ => 0,
        })
        .sum();
    2 + char_count(s) + escapes
}

/// A number as JSON writes it (`60`, `1.5`), without pulling the float
/// formatting of `core::fmt` into the bundle (serde_json has its own).
pub fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return (value as i64).to_string();
    }
    serde_json::Number::from_f64(value).map_or_else(|| "not a number".to_owned(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values() -> Vec<Value> {
        vec![
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-17),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1.5),
            json!(-0.000_001_25),
            json!(1e300),
            json!(123_456_789.125),
            json!(""),
            json!("plain é 😀 日本"),
            json!(
                "quote \" backslash \\ slash / tab \t line \n cr \r bell \u{7} nul \0 del \u{7f} \u{1f} \u{8} \u{c}"
            ),
            json!([]),
            json!({}),
            json!([1, "two", [3, [4]], {"five": null}]),
            json!({"é": {"a\"b": [true, 2.5, "x\ny"]}, "": "", "k": []}),
        ]
    }

    #[test]
    fn the_count_is_the_length_of_serde_jsons_compact_text() {
        for value in values() {
            let text = value.to_string();
            assert_eq!(json_chars(&value), text.chars().count(), "{text}");
        }
    }

    #[test]
    fn the_kept_text_starts_the_compact_text_and_the_rest_is_counted() {
        for value in values() {
            let text = value.to_string();
            let chars: Vec<char> = text.chars().collect();
            // Every limit: the writing stops within a character's bytes too.
            for limit in 0..=chars.len() + 1 {
                let (kept, omitted) = compact_json(&value, limit);
                let expected: String = chars.iter().take(limit).collect();
                assert_eq!(kept, expected, "{text} cut at {limit}");
                assert_eq!(
                    omitted,
                    chars.len().saturating_sub(limit),
                    "{text} cut at {limit}"
                );
            }
        }
    }

    #[test]
    fn characters_are_counted_whatever_their_length_in_bytes() {
        let long = "é😀a€".repeat(37);
        for text in ["", "a", "é", "😀", "ab😀cdéfgh€ij", &long] {
            assert_eq!(char_count(text), text.chars().count(), "{text}");
            for limit in [0, 1, 5, 9, 30] {
                let (kept, omitted) = cut(text, limit);
                let shown: String = text.chars().take(limit).collect();
                assert_eq!(kept, shown, "{text} cut at {limit}");
                assert_eq!(omitted, text.chars().count().saturating_sub(limit));
            }
        }
    }

    #[test]
    fn every_json_kind_reads_as_a_phrase() {
        for (value, kind) in [
            (json!(null), "null"),
            (json!(true), "a boolean"),
            (json!(1), "a number"),
            (json!("x"), "a string"),
            (json!([1]), "an array"),
            (json!({"a": 1}), "an object"),
        ] {
            assert_eq!(json_kind(&value), kind, "{value}");
        }
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number_text(60.0), "60");
        assert_eq!(number_text(0.0), "0");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(-5.0), "-5");
        assert_eq!(number_text(0.25), "0.25");
        assert_eq!(number_text(f64::NAN), "not a number");
        assert_eq!(number_text(f64::INFINITY), "not a number");
    }

    #[test]
    fn whole_numbers_stay_whole_up_to_a_quadrillion() {
        assert_eq!(number_text(999_999_999_999_999.0), "999999999999999");
        assert_eq!(number_text(-999_999_999_999_999.0), "-999999999999999");
        // From 1e15 on, serde_json's own float form.
        assert_eq!(number_text(1e15), "1000000000000000.0");
        assert_eq!(number_text(-1e15), "-1000000000000000.0");
    }
}
