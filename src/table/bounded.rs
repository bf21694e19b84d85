//! Bounded text of a value: its first characters and a count of the rest,
//! so a cell costs the same whatever the server sends. Each function here
//! does work in proportion to the characters it keeps, plus at most one
//! counting pass over the rest.

use serde_json::Value;

/// The most characters of a value a cell shows. Far more than a table
/// cell can usefully display, and small enough that a page of 25 rows of
/// 50 columns stays a few megabytes of text whatever the server sends (one
/// 50 MB cell once froze the tab for 23 s). Search, the column filters and
/// sorting read the same bounded text; the CSV download writes full values.
pub const CELL_MAX_CHARS: usize = 1_000;

/// The first `limit` characters of `s` and how many characters follow: a
/// walk over the first characters, then a count of the rest.
pub(crate) fn cut(s: &str, limit: usize) -> (&str, usize) {
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
/// of JSON through the formatter took a second in the browser).
pub(crate) fn compact_json(value: &Value, limit: usize) -> (String, usize) {
    match json_prefix(value, limit) {
        (text, false) => (text, 0),
        (text, true) => (text, json_chars(value) - limit),
    }
}

/// The first `limit` characters of `value` as compact JSON, and whether
/// more follow: the writing stops there.
pub(crate) fn json_prefix(value: &Value, limit: usize) -> (String, bool) {
    /// Keeps the first `limit` characters; fails once there are more.
    struct Bounded {
        text: String,
        chars: usize,
        limit: usize,
    }
    impl std::fmt::Write for Bounded {
        fn write_str(&mut self, part: &str) -> std::fmt::Result {
            let (kept, more) = cut(part, self.limit - self.chars);
            self.text.push_str(kept);
            self.chars += char_count(kept);
            if more > 0 {
                return Err(std::fmt::Error);
            }
            Ok(())
        }
    }
    let mut out = Bounded {
        text: String::new(),
        chars: 0,
        limit,
    };
    let more = std::fmt::Write::write_fmt(&mut out, format_args!("{value}")).is_err();
    (out.text, more)
}

/// How many characters `value` has as compact JSON (serde_json's
/// `to_string`), counted without writing it.
fn json_chars(value: &Value) -> usize {
    match value {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => digits(u),
            (None, Some(i)) => 1 + digits(i.unsigned_abs()),
            _ => n.to_string().len(),
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
            for limit in [
                0,
                1,
                5,
                chars.len().saturating_sub(1),
                chars.len(),
                chars.len() + 1,
            ] {
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
}
