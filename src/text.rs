//! Text for messages: how a JSON value or a number reads in a sentence.
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
