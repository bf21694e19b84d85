//! Type-aware, stable sorting: numbers numerically, timestamps
//! chronologically, strings in natural order ("item 2" before "item 10"),
//! booleans false before true, nulls last in either direction.

use crate::text::shown_json;
use serde_json::Value;
use std::cmp::Ordering;

/// Which way a column is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Smallest first.
    Ascending,
    /// Largest first.
    Descending,
}

/// Sorts row positions by `compare`, keeping equal rows in their order (the
/// server's). Every comparison sort of rows goes through here (a column's
/// ranking; ordering rows by those ranks is a counting sort,
/// `query::by_rank`), with the comparison called through a reference, so
/// the bundle carries one copy of one sort: this bottom-up merge sort is
/// ≈ 0.4 KB of wasm where std's sorts are 4–5 KB each (README, "What the
/// bundle is made of"). Its tests hold it to std's stable sort. Runs
/// already in order cost one comparison a merge.
pub fn sort_rows(rows: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    let len = rows.len();
    let mut buffer = vec![0; len];
    // Sorted runs of `width` rows are in `rows` (or, after an odd number
    // of rounds, in `buffer`); each round merges pairs of them.
    let mut in_rows = true;
    let mut width = 1;
    while width < len {
        let (from, to): (&[usize], &mut [usize]) = if in_rows {
            (rows, &mut buffer)
        } else {
            (&buffer, rows)
        };
        for start in (0..len).step_by(2 * width) {
            let middle = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            merge(
                &from[start..middle],
                &from[middle..end],
                &mut to[start..end],
                compare,
            );
        }
        in_rows = !in_rows;
        width *= 2;
    }
    if !in_rows {
        rows.copy_from_slice(&buffer);
    }
}

/// `left` and `right` (each in order) merged into `out`; on a tie the row
/// from `left`, which came first, comes first.
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut [usize],
    compare: &dyn Fn(usize, usize) -> Ordering,
) {
    let (mut l, mut r) = (0, 0);
    if let (Some(&last), Some(&first)) = (left.last(), right.first())
        && compare(last, first).is_gt()
    {
        for slot in out.iter_mut() {
            let take_left =
                r == right.len() || (l < left.len() && compare(left[l], right[r]).is_le());
            *slot = if take_left {
                l += 1;
                left[l - 1]
            } else {
                r += 1;
                right[r - 1]
            };
        }
    } else {
        // Already in order.
        out[..left.len()].copy_from_slice(left);
        out[left.len()..].copy_from_slice(right);
    }
}

/// Compares two strings in natural order: runs of digits by their number,
/// the rest ASCII case-insensitively; ties broken by the exact text.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        if ab[i].is_ascii_digit() && bb[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let (na, nb) = (trim_zeros(&ab[si..i]), trim_zeros(&bb[sj..j]));
            let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if order != Ordering::Equal {
                return order;
            }
        } else {
            let order = ab[i].to_ascii_lowercase().cmp(&bb[j].to_ascii_lowercase());
            if order != Ordering::Equal {
                return order;
            }
            i += 1;
            j += 1;
        }
    }
    (ab.len() - i).cmp(&(bb.len() - j)).then_with(|| a.cmp(b))
}

/// Appends to `key` a byte key of `text` whose plain (memcmp) order is
/// [`natural_cmp`]'s order, so a text column is ranked by comparing bytes
/// instead of re-parsing digit runs in every comparison; a column's keys go
/// into one buffer, not one allocation per row. A digit run becomes `'0'`,
/// its significant length, its significant digits; other bytes are
/// lower-cased, with the bytes 0 and 1 written as 1 1 and 1 2, so that the 0
/// byte that ends this part sorts before anything a longer text goes on with
/// (a text may hold U+0000); then the exact text breaks ties as
/// `natural_cmp` does.
pub fn push_natural_key(key: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let digits = trim_zeros(&bytes[start..i]);
            key.push(b'0');
            // Runs longer than 255 significant digits compare by their first
            // 255 lengths' worth: far beyond any real identifier.
            key.push(u8::try_from(digits.len()).unwrap_or(u8::MAX));
            key.extend_from_slice(digits);
        } else {
            match bytes[i].to_ascii_lowercase() {
                low @ (0 | 1) => key.extend_from_slice(&[1, low + 1]),
                byte => key.push(byte),
            }
            i += 1;
        }
    }
    key.push(0);
    key.extend_from_slice(bytes);
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let start = digits
        .iter()
        .position(|d| *d != b'0')
        .unwrap_or(digits.len());
    &digits[start..]
}

/// The rank of a value's type, so mixed columns sort in a stable way:
/// numbers, then strings, then booleans, then nested values.
fn rank(value: &Value) -> u8 {
    match value {
        Value::Number(_) => 0,
        Value::String(_) => 1,
        Value::Bool(_) => 2,
        Value::Array(_) | Value::Object(_) => 3,
        Value::Null => 4,
    }
}

/// Compares two cells' values for `direction`; missing and null values go
/// last whatever the direction.
pub fn compare_values(a: Option<&Value>, b: Option<&Value>, direction: Direction) -> Ordering {
    let a = a.filter(|v| !v.is_null());
    let b = b.filter(|v| !v.is_null());
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Greater,
        (Some(_), None) => return Ordering::Less,
        (Some(a), Some(b)) => (a, b),
    };
    let order = match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x.total_cmp(&y)
        }
        (Value::String(x), Value::String(y)) => natural_cmp(x, y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        // Objects and arrays: by the text a cell shows, at most
        // `CELL_MAX_CHARS` characters, never the whole (possibly huge) value.
        (x, y) if rank(x) == rank(y) => shown_json(x).cmp(&shown_json(y)),
        (x, y) => rank(x).cmp(&rank(y)),
    };
    match direction {
        Direction::Ascending => order,
        Direction::Descending => order.reverse(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_that_compare_equal_keep_the_servers_order() {
        // 300 rows in three groups, interleaved: enough for the sort's
        // partitioning to move equal rows past each other if it could.
        let group = |row: usize| (row * 7) % 3;
        let mut rows: Vec<usize> = (0..300).collect();
        sort_rows(&mut rows, &|a, b| group(a).cmp(&group(b)));
        for pair in rows.windows(2) {
            let ([a, b], Ordering::Equal) = (pair, group(pair[0]).cmp(&group(pair[1]))) else {
                continue;
            };
            assert!(a < b, "row {a} before row {b} of the same group");
        }
        assert_eq!(rows.iter().map(|&row| group(row)).collect::<Vec<_>>(), {
            let mut groups: Vec<usize> = (0..300).map(group).collect();
            groups.sort();
            groups
        });
    }

    /// A deterministic stream of numbers for test inputs.
    fn numbers(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        }
    }

    #[test]
    fn rows_sort_as_std_stable_sort_orders_them() {
        let mut next = numbers(7);
        // Each shape: the key of row `row`, given a random number.
        type Shape = (&'static str, fn(usize, u64) -> u64);
        let shapes: [Shape; 5] = [
            ("random", |_, n| n),
            ("few distinct values", |_, n| n % 4),
            ("in order", |row, _| row as u64),
            ("reversed", |row, _| u64::MAX - row as u64),
            ("in order with a few out of place", |row, n| {
                if n % 50 == 0 { n } else { row as u64 }
            }),
        ];
        for len in [0, 1, 2, 3, 5, 8, 31, 64, 100, 257, 1000, 4097] {
            for (shape, key) in shapes {
                let keys: Vec<u64> = (0..len).map(|row| key(row, next())).collect();
                let compare = |a: usize, b: usize| keys[a].cmp(&keys[b]);
                let mut expected: Vec<usize> = (0..len).collect();
                expected.sort_by(|&a, &b| compare(a, b));
                let mut rows: Vec<usize> = (0..len).collect();
                sort_rows(&mut rows, &compare);
                assert_eq!(rows, expected, "{len} rows, {shape}");
            }
        }
    }

    #[test]
    fn rows_given_in_another_order_keep_it_among_equals() {
        let mut next = numbers(11);
        let mut rows: Vec<usize> = (0..500).rev().collect();
        let keys: Vec<u64> = (0..500).map(|_| next() % 3).collect();
        let compare = |a: usize, b: usize| keys[a].cmp(&keys[b]);
        let mut expected = rows.clone();
        expected.sort_by(|&a, &b| compare(a, b));
        sort_rows(&mut rows, &compare);
        assert_eq!(rows, expected);
    }

    fn sorted(mut items: Vec<&str>) -> Vec<&str> {
        items.sort_by(|a, b| natural_cmp(a, b));
        items
    }

    #[test]
    fn natural_order_puts_item_2_before_item_10() {
        assert_eq!(
            sorted(vec!["item 10", "item 2", "item 1", "Item 3"]),
            ["item 1", "item 2", "Item 3", "item 10"]
        );
        assert_eq!(
            sorted(vec!["a10b", "a9b", "a010c", "a10a"]),
            ["a9b", "a10a", "a10b", "a010c"]
        );
        assert_eq!(
            sorted(vec!["b", "B", "a"]),
            ["a", "B", "b"],
            "case-insensitive, ties by exact text"
        );
        assert_eq!(sorted(vec!["x", "", "x1"]), ["", "x", "x1"]);
        assert_eq!(
            sorted(vec!["18446744073709551616000", "9"]),
            ["9", "18446744073709551616000"],
            "no overflow"
        );
    }

    #[test]
    fn natural_keys_order_like_natural_cmp() {
        let natural_key = |text: &str| {
            let mut key = Vec::new();
            push_natural_key(&mut key, text);
            key
        };
        let words = [
            "item 10",
            "item 2",
            "Item 2",
            "item 02",
            "item 1",
            "a10b",
            "a9b",
            "a010c",
            "a10a",
            "b",
            "B",
            "a",
            "",
            "x",
            "x1",
            "x!",
            "x/",
            "x:",
            "x0",
            "x.5",
            "ünïcode",
            "Zeta",
            "zeta 3",
            "zeta 03",
            "n2n10",
            "n2n9",
            "a\0",
            "a\0b",
            "a\u{1}",
            "a\u{2}",
            "\0",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    natural_key(a).cmp(&natural_key(b)),
                    natural_cmp(a, b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn values_compare_by_type_with_nulls_last_both_ways() {
        let v = [json!(10), json!(9.5), json!(null), json!(-1)];
        for direction in [Direction::Ascending, Direction::Descending] {
            let mut items: Vec<Option<&Value>> = v.iter().map(Some).chain([None]).collect();
            items.sort_by(|a, b| compare_values(*a, *b, direction));
            let shown: Vec<String> = items
                .iter()
                .map(|x| x.map_or("missing".into(), |v| v.to_string()))
                .collect();
            let want = match direction {
                Direction::Ascending => ["-1", "9.5", "10", "null", "missing"],
                Direction::Descending => ["10", "9.5", "-1", "null", "missing"],
            };
            assert_eq!(shown, want);
        }
        assert_eq!(
            compare_values(
                Some(&json!(false)),
                Some(&json!(true)),
                Direction::Ascending
            ),
            Ordering::Less
        );
        assert_eq!(
            compare_values(Some(&json!(5)), Some(&json!("a")), Direction::Ascending),
            Ordering::Less,
            "numbers before text"
        );
        let up = |a: Value, b: Value| compare_values(Some(&a), Some(&b), Direction::Ascending);
        assert_eq!(
            up(json!([1, 2]), json!([1, 3])),
            Ordering::Less,
            "by JSON text"
        );
        assert_eq!(up(json!({"a": 2}), json!({"a": 1})), Ordering::Greater);
        assert_eq!(up(json!([1]), json!([1])), Ordering::Equal);
    }
}
