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

/// `value` as compact JSON. Every JSON text the app writes comes from
/// [`compact_json`], so the bundle carries one copy of serde_json's writer
/// (`Display` for `Value` would add a second, and a pretty one for `{:#}`).
pub fn json_text(value: &Value) -> String {
    compact_json(value, usize::MAX).0
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
/// characters follow: written once, without holding the whole text.
pub fn compact_json(value: &Value, limit: usize) -> (String, usize) {
    /// Keeps the first `limit` characters, counts the rest.
    struct Bounded {
        text: String,
        chars: usize,
        limit: usize,
    }
    impl std::io::Write for Bounded {
        /// serde_json writes whole characters at a time.
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let part = std::str::from_utf8(bytes).map_err(|_| std::io::ErrorKind::InvalidData)?;
            let room = self.limit.saturating_sub(self.chars);
            if room > 0 {
                self.text.push_str(cut(part, room).0);
            }
            self.chars += char_count(part);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Bounded {
        text: String::new(),
        chars: 0,
        limit,
    };
    // The writer never fails.
    let _ = serde_json::to_writer(&mut out, value);
    let omitted = out.chars.saturating_sub(limit);
    (out.text, omitted)
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
