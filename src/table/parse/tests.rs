use super::*;
use crate::table::{CellKind, ColumnKind, Query};
use serde_json::json;

/// Reads `body` in steps of `budget` bytes; the result and each step's
/// count of bytes handled.
fn stepped(body: &str, budget: usize) -> (Result<Dataset, ParseError>, Vec<usize>) {
    let mut parser = StepParser::new(body.to_owned());
    let mut counts = Vec::new();
    loop {
        let (handled, result) = parser.step_counted(budget);
        counts.push(handled);
        if let Some(result) = result {
            return (result, counts);
        }
        assert!(counts.len() < 1_000_000, "the parser makes progress");
    }
}

/// What reading the whole body with serde_json gives.
fn one_shot(body: &str) -> Result<Dataset, ParseError> {
    let value: Value = serde_json::from_str(body).map_err(|e| ParseError::Json(e.to_string()))?;
    Dataset::from_json(value).map_err(ParseError::Shape)
}

const CASES: [&str; 16] = [
    r#"[]"#,
    r#"  [ ]  "#,
    r#"[{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bob", "email": "b@x.io"}]"#,
    r#"[1, "two", null, true, 2.5, -3, [1, [2]], {"a": {"b": [1, {"c": "]}"}]}}]"#,
    r#"[{"s": "quote \" bracket ] brace } comma , colon : backslash \\"}, {"s": "\\\""}]"#,
    r#"[{"u": "\u00e9\ud83d\ude00 é 😀", "k\"ey": "v", "a,b": 1, "c:d": 2}]"#,
    "[\n  {\"id\" : 1 ,\n   \"x\" :\t[ 1 , 2 ] } ,\n  { \"id\":2 }\n]\n",
    r#"{"itemsReceived": 2, "curPage": 2, "nextPage": 3, "prevPage": 1, "offset": 2, "perPage": 2, "itemsTotal": 7, "pageTotal": 4, "items": [{"id": 3}, {"id": 4}]}"#,
    r#"{"items": [{"id": 1}], "curPage": 1, "nextPage": null, "meta": {"items": [9], "s": "]}"}}"#,
    r#"{"curPage": 4, "nextPage": null, "items": []}"#,
    r#"{"note": "x", "items": [{"a": [1, 2, {"b": "}"}]}, {"a": null}]}"#,
    r#"[{"n": 18446744073709551615, "m": -9223372036854775808, "f": 1e-400, "g": 1.7976931348623157e308}]"#,
    r#""just a string""#,
    r#"42"#,
    r#"{"rows": [1, 2]}"#,
    r#"{"items": {"id": 1}}"#,
];

#[test]
fn reading_in_steps_gives_what_reading_at_once_gives() {
    let wide = format!(
        "[{{{}}}, {{\"c7\": 1}}]",
        (0..300)
            .map(|i| format!("\"c{i}\": \"v{i} ]}}\\\"\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for case in CASES.iter().copied().chain([wide.as_str()]) {
        let expected = one_shot(case);
        for budget in [1, 2, 3, 7, 64, 1_000, STEP_BYTES] {
            let (result, _) = stepped(case, budget);
            match (&result, &expected) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{case} in steps of {budget}");
                    // The caches are not compared by `==`: the columns'
                    // order, kinds and each row's values are.
                    assert_eq!(a.columns, b.columns, "{case}");
                }
                (Err(ParseError::Shape(a)), Err(ParseError::Shape(b))) => {
                    assert_eq!(a, b, "{case} in steps of {budget}")
                }
                _ => panic!("{case} in steps of {budget}: {result:?} vs {expected:?}"),
            }
        }
    }
}

#[test]
fn no_step_handles_more_than_its_budget_unless_one_value_is_larger() {
    let rows: Vec<String> = (0..500)
        .map(|i| format!(r#"{{"id": {i}, "name": "row {i}", "tags": ["a", "b"]}}"#))
        .collect();
    let body = format!(r#"{{"curPage": 1, "items": [{}]}}"#, rows.join(","));
    for budget in [64, 100, 1_000, 4_096] {
        let (result, counts) = stepped(&body, budget);
        assert_eq!(result.expect("valid").rows.len(), 500);
        assert!(
            counts.iter().all(|&n| n <= budget),
            "budget {budget}: {counts:?}"
        );
        // Scanning and reading: each byte twice, and steps mostly full.
        assert!(
            counts.len() <= 3 * body.len() / budget + 3,
            "budget {budget}: {} steps for {} bytes",
            counts.len(),
            body.len()
        );
    }
    // One row of 20,000 columns is read a cell at a time: every step
    // within the budget, though the row is 30 times larger.
    let wide = format!(
        "[{{{}}}]",
        (0..20_000)
            .map(|i| format!("\"column_{i}\": {i}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let (result, counts) = stepped(&wide, 10_000);
    assert_eq!(result.expect("valid").columns.len(), 20_000);
    assert!(counts.iter().all(|&n| n <= 10_000), "{counts:?}");
    assert!(wide.len() > 30 * 10_000);
    // A long text cell is read a part at a time too.
    let big = format!(r#"[{{"a": 1, "big": "{}"}}]"#, "x".repeat(5_000));
    let (result, counts) = stepped(&big, 1_000);
    assert!(result.is_ok());
    assert!(counts.iter().all(|&n| n <= 1_000), "{counts:?}");
    // So is a nested value, however large: an element at a time.
    let nested = format!(r#"[{{"a": 1, "big": [{}]}}]"#, vec!["1"; 2_500].join(","));
    let (result, counts) = stepped(&nested, 1_000);
    assert_eq!(result, one_shot(&nested));
    assert!(counts.iter().all(|&n| n <= 1_000), "{counts:?}");
}

/// Large values of every kind in their places: a cell, a row that is not
/// an object, an envelope's field, the whole body.
fn large_bodies() -> Vec<String> {
    let element = |i: usize| {
        format!(
            r#"{{"id": {i}, "tags": ["a", "b,]}}", []], "on": true, "none": null, "deep": [[{{"x": "y"}}], {{}}]}}"#
        )
    };
    let list = (0..60).map(element).collect::<Vec<_>>().join(", ");
    let spaced = (0..60)
        .map(|i| format!("\n  {{ \"k\" :\t[ {i} , \"{i}\" ] ,\r\n \"k\" : {{ }} }}"))
        .collect::<Vec<_>>()
        .join(" ,");
    vec![
        format!(r#"[{{"id": 1, "big": [{list}], "after": 2}}, {{"id": 2}}]"#),
        format!(
            r#"[{{"big": {{"one": [{list}], "two": {{"three": [{spaced}]}}, "one": "again"}}}}]"#
        ),
        format!(r#"[[{list}], {{"id": 2}}, [{spaced}]]"#),
        format!(
            r#"{{"curPage": 1, "meta": [{list}], "items": [{{"big": [{spaced}]}}], "itemsTotal": 9}}"#
        ),
        format!(
            r#"[{{"nest": {}1{}}}]"#,
            "[{\"a\": ".repeat(40),
            "}]".repeat(40)
        ),
        format!(
            r#"[{{"empty": [ [], {{}}, [[]], "", {{"": ""}} ], "big": "{}"}}]"#,
            "x".repeat(3_000)
        ),
        format!(r#""{}""#, "text ".repeat(1_000)),
        format!(
            r#"[{{"id": 1, "{}": [1, 2]}}, {{"id": 2}}]"#,
            "key \\\" ".repeat(700)
        ),
    ]
}

#[test]
fn a_large_value_read_in_steps_is_what_reading_at_once_gives() {
    for body in large_bodies() {
        let expected = one_shot(&body);
        for budget in [1, 2, 5, 16, 64, 100, 1_000, STEP_BYTES] {
            let (result, _) = stepped(&body, budget);
            assert_eq!(result, expected, "in steps of {budget}: {body:.80}");
            if let (Ok(a), Ok(b)) = (&result, &expected) {
                assert_eq!(a.columns, b.columns);
            }
        }
    }
}

#[test]
fn a_large_value_is_read_within_each_steps_budget_in_few_steps() {
    for body in large_bodies() {
        for budget in [64, 100, 1_000] {
            let (result, counts) = stepped(&body, budget);
            assert!(!matches!(result, Err(ParseError::Json(_))), "{result:?}");
            // A part of a text may end up to 11 bytes later, after an escape.
            assert!(
                counts.iter().all(|&n| n <= budget + 11),
                "budget {budget}: {counts:?} for {body:.80}"
            );
            // Each byte scanned and read, a few bytes of structure per step,
            // and half a step's scan lost each time an element is entered.
            assert!(
                counts.len() <= 5 * body.len() / budget + 100,
                "budget {budget}: {} steps for {} bytes",
                counts.len(),
                body.len()
            );
        }
    }
}

#[test]
fn what_is_not_json_in_a_large_value_is_an_error_at_the_place_serde_json_names() {
    let list = vec![r#"{"a": [1, 2], "b": "c"}"#; 40].join(",\n ");
    for broken in [
        "[1 2]",
        "[1, tru]",
        "{\"a\" 1}",
        "{1: 2}",
        "[1, ]",
        "[1, , 2]",
        "[\"\\x\"]",
        "[1}",
        "{\"a\": 1]",
        "[\"open",
        "[nul]",
        "{\"a\": -}",
    ] {
        for (before, after) in [("", ""), ("[", "]"), ("{\"k\": [", "]}")] {
            let value = format!("[{list},\n {before}{broken}{after}]");
            let body = format!("[{{\"id\": 1, \"big\": {value}}}]");
            let Err(ParseError::Json(expected)) = one_shot(&body) else {
                panic!("{broken} is not JSON");
            };
            for budget in [1, 3, 16, 64, 100, 1_000] {
                match stepped(&body, budget).0 {
                    Err(ParseError::Json(message)) => assert_eq!(
                        place_of(&message),
                        place_of(&expected),
                        "{broken} in {before}…{after}, steps of {budget}: {message} vs {expected}"
                    ),
                    other => panic!("{broken} in steps of {budget}: {other:?}"),
                }
            }
        }
    }
}

/// " at line L column C" of an error message.
fn place_of(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |at| &message[at..])
}

#[test]
fn a_value_nested_too_deep_is_an_error_not_a_crash() {
    let depth = 5_000;
    let body = format!(
        r#"[{{"id": 1, "deep": {}{}}}]"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(one_shot(&body).is_err());
    for budget in [1, 64, 1_000, STEP_BYTES] {
        match stepped(&body, budget).0 {
            Err(ParseError::Json(message)) => {
                assert!(message.contains("recursion limit exceeded"), "{message}")
            }
            other => panic!("in steps of {budget}: {other:?}"),
        }
    }
}

#[test]
fn a_long_text_read_in_parts_keeps_every_escape_and_character() {
    let unit = r#"a\"b\\c\/\n\u00e9\ud83d\ude00é😀\t"#;
    let text = unit.repeat(40);
    let body = format!(r#"[{{"id": 1, "t": "{text}", "u": "{text}x"}}, {{"id": 2}}]"#);
    let expected = one_shot(&body).expect("valid");
    let t = expected.value(0, expected.column("t").unwrap()).unwrap();
    assert!(t.as_str().unwrap().contains("a\"b\\c/\né😀é😀\ta"), "{t}");
    for budget in 1..=40 {
        let (result, counts) = stepped(&body, budget);
        assert_eq!(
            result.as_ref().ok(),
            Some(&expected),
            "in steps of {budget}"
        );
        // A row's start counts as `ROW_COST` bytes, whatever the budget.
        assert!(
            counts.iter().all(|&n| n <= budget.max(ROW_COST) + 11),
            "an escape pair is never split: {budget} {counts:?}"
        );
    }
}

#[test]
fn a_number_a_double_cannot_hold_is_kept_as_its_text_and_the_rest_is_read() {
    let body = r#"[
        {"id": 1, "v": 1.5, "s": "1e400"},
        {"id": 2, "v": 1e400, "nested": {"deep": [-1e400, 2]}},
        {"id": 3, "v": -1E+400},
        {"id": 4, "v": 7}
    ]"#;
    assert!(
        serde_json::from_str::<Value>(body).is_err(),
        "serde_json alone refuses the whole body"
    );
    for budget in [5, 50, STEP_BYTES] {
        let (result, _) = stepped(body, budget);
        let d = result.expect("the table is read");
        let v = d.column("v").unwrap();
        let texts: Vec<String> = (0..4).map(|r| d.cell(r, v).text).collect();
        assert_eq!(texts, ["1.5", "1e400", "-1E+400", "7"]);
        assert_eq!(d.cell(1, v).kind, CellKind::Text);
        assert_eq!(v.kind, ColumnKind::Mixed);
        assert_eq!(d.value(0, d.column("s").unwrap()), Some(&json!("1e400")));
        assert_eq!(
            d.value(1, d.column("nested").unwrap()),
            Some(&json!({"deep": ["-1e400", 2]}))
        );
        assert_eq!(d.cell(3, d.column("id").unwrap()).text, "4");
        // Sorted as text: after the numbers when ascending.
        let mut query = Query::default();
        query.toggle_sort("v");
        assert_eq!(d.select(&query).rows, [0, 3, 2, 1]);
    }
    let paged = r#"{"curPage": 1e400, "itemsTotal": 3, "items": [{"x": 1e999}]}"#;
    let d = StepParser::parse(paged.to_owned()).expect("read");
    assert_eq!(d.paging.as_ref().unwrap().items_total, Some(3));
    assert_eq!(d.cell(0, &d.columns[0]).text, "1e999");
}

#[test]
fn integers_keep_their_digits_within_64_bits_and_become_doubles_beyond() {
    let d = StepParser::parse(
        r#"[{"a": 9007199254740993, "b": 18446744073709551615, "c": -9223372036854775808, "d": 18446744073709551616}]"#
            .to_owned(),
    )
    .expect("read");
    let text = |k: &str| d.cell(0, d.column(k).unwrap()).text;
    assert_eq!(text("a"), "9007199254740993");
    assert_eq!(text("b"), "18446744073709551615");
    assert_eq!(text("c"), "-9223372036854775808");
    assert_eq!(
        text("d"),
        "1.8446744073709552e+19",
        "as JSON.parse reads it"
    );
}

#[test]
fn what_is_not_json_is_an_error_with_its_place() {
    for (body, place) in [
        ("[1, 2", "line 1"),
        ("[1,]", "line 1 column 4"),
        ("[1 2]", "line 1"),
        ("[{\"a\": }]", "line 1"),
        ("[\"open]", "line 1"),
        ("{\"items\": [1], }", "line 1 column 16"),
        ("[1]\n x", "line 2 column 2"),
        ("[{\"a\": 1},\n {\"b\": tru}]", "line 2"),
        ("{\"items\" [1]}", "line 1"),
        ("{\"curPage\": x, \"items\": []}", "line 1"),
        ("nope", "line 1"),
        ("[1,\n", "line 2 column 0"),
    ] {
        let Err(ParseError::Json(expected)) = one_shot(body) else {
            panic!("{body:?} is not JSON");
        };
        for budget in [1, 4, STEP_BYTES] {
            match stepped(body, budget).0 {
                Err(ParseError::Json(message)) => {
                    assert!(message.contains(place), "{body:?}: {message}");
                    assert_eq!(place_of(&message), place_of(&expected), "{body:?}");
                }
                other => panic!("{body:?} in steps of {budget}: {other:?}"),
            }
        }
    }
}

#[test]
fn other_shapes_are_the_same_shape_errors_as_before() {
    for (body, shape) in [
        (r#"{"rows": []}"#, "an object without an `items` array"),
        (
            r#"{"items": null, "curPage": 1}"#,
            "an object without an `items` array",
        ),
        (r#""hi""#, "a string"),
        ("null", "null"),
        ("true", "a boolean"),
        ("1e400", "a string"),
    ] {
        assert_eq!(
            StepParser::parse(body.to_owned()).unwrap_err(),
            ParseError::Shape(DataError::Shape(shape)),
            "{body}"
        );
    }
}

#[test]
fn rows_past_the_most_a_table_holds_are_counted_not_kept() {
    use crate::table::model::MAX_ROWS;
    let tiny = format!("[{}]", vec!["1"; MAX_ROWS + 3].join(","));
    let objects = format!(
        r#"{{"curPage": 1, "items": [{}]}}"#,
        (0..MAX_ROWS + 2)
            .map(|i| format!(r#"{{"id": {i}}}"#))
            .collect::<Vec<_>>()
            .join(",")
    );
    let last_id = (MAX_ROWS - 1).to_string();
    for (body, left_out, last) in [(tiny, 3, "1"), (objects, 2, last_id.as_str())] {
        let (result, _) = stepped(&body, STEP_BYTES);
        let d = result.expect("read");
        assert_eq!(d.rows.len(), MAX_ROWS);
        assert_eq!(d.rows_left_out, left_out);
        assert_eq!(d.cell(MAX_ROWS - 1, &d.columns[0]).text, last);
        assert_eq!(Ok(d), one_shot(&body), "reading at once keeps as many");
    }
    // A row past the bound is not read, so it cannot fail the table.
    let body = format!(
        "[{}, {{\"a\": tru}}]",
        vec!["{\"a\": 1}"; MAX_ROWS].join(",")
    );
    let d = StepParser::parse(body).expect("the first rows are the table");
    assert_eq!((d.rows.len(), d.rows_left_out), (MAX_ROWS, 1));
}

#[test]
fn a_step_reads_at_most_so_many_rows_however_small() {
    let body = format!("[{}]", vec!["1"; 100_000].join(","));
    let budget = 64 * 1_000;
    let mut parser = StepParser::new(body);
    let mut rows_before = 0;
    loop {
        let (_, result) = parser.step_counted(budget);
        if let Some(result) = result {
            assert_eq!(result.expect("read").rows.len(), 100_000);
            break;
        }
        let rows = parser.builder_rows();
        let read = rows - rows_before;
        assert!(read <= budget / ROW_COST, "{read} rows in one step");
        rows_before = rows;
    }
}

/// `n` rows of a few kinds, about 150 bytes each, in a paging envelope when `enveloped`.
fn customer_rows(n: usize, enveloped: bool) -> String {
    let rows = (0..n)
        .map(|i| {
            // `late` appears only from row 1,000: a column the first step does not know.
            let late = if i >= 1_000 { r#", "late": "x""# } else { "" };
            format!(
                r#"{{"id": {i}, "name": "Customer {i}", "email": "c{i}@example.com", "amount": {}.5, "tags": ["a", {i}]{late}}}"#,
                i % 97
            )
        })
        .collect::<Vec<_>>()
        .join(",");
    if enveloped {
        format!(r#"{{"items": [{rows}], "curPage": 1, "itemsTotal": {n}}}"#)
    } else {
        format!("[{rows}]")
    }
}

#[test]
fn a_preview_after_the_first_step_is_the_first_rows_of_the_whole_table() {
    for enveloped in [false, true] {
        let body = customer_rows(2_000, enveloped);
        let whole = one_shot(&body).expect("rows");
        let mut parser = StepParser::new(body);
        assert_eq!(parser.preview(25), None, "nothing before the first step");
        assert!(parser.step(40 * 1024).is_none(), "more than one step");
        for rows in [1, 25, 100] {
            let preview = parser.preview(rows).expect("a preview");
            assert_eq!(preview.rows.len(), rows);
            assert_eq!(preview.paging, None, "paging is known only at the end");
            assert_eq!(preview.rows_left_out, 0);
            // The columns known so far, in the whole table's order and kinds.
            assert!(
                preview.columns.len() < whole.columns.len(),
                "`late` comes later"
            );
            for (shown, final_column) in preview.columns.iter().zip(&whole.columns) {
                assert_eq!(
                    (&shown.key, &shown.label, shown.kind),
                    (&final_column.key, &final_column.label, final_column.kind)
                );
            }
            for row in 0..rows {
                for column in &preview.columns {
                    assert_eq!(preview.cell(row, column), whole.cell(row, column));
                }
            }
        }
        // Not more than the first step read, however many are asked for.
        let read = parser.preview(usize::MAX).expect("a preview").rows.len();
        assert!(read > 100 && read < 2_000, "{read} rows in the first step");
        while parser.step(40 * 1024).is_none() {
            assert_eq!(
                parser.preview(usize::MAX).map(|p| p.rows.len()),
                Some(read),
                "later steps add nothing to copy"
            );
        }
        assert_eq!(
            parser.preview(25),
            None,
            "nothing once the reading has ended"
        );
    }
}

#[test]
fn a_preview_never_holds_a_row_with_a_value_larger_than_a_step() {
    let budget = 4 * 1024;
    let small = r#"{"id": 1, "note": "short"}"#;
    // A long text takes several steps; a long number is read in one go,
    // so its row can end within the first step (kept as its text: no
    // double holds it).
    let text = format!(r#"{{"id": 2, "note": "{}"}}"#, "x".repeat(3 * budget));
    let number = format!(r#"{{"id": 2, "note": 1{}}}"#, "0".repeat(3 * budget));
    for large in [text, number] {
        let body = format!("[{small}, {small}, {large}, {small}]");
        let mut parser = StepParser::new(body);
        let mut previews = 0;
        while parser.step(budget).is_none() {
            if let Some(preview) = parser.preview(25) {
                assert_eq!(preview.rows.len(), 2, "the large value is never copied");
                previews += 1;
            }
        }
        assert!(previews > 0);
        // A large value in the first row: no preview at all.
        let body = format!("[{large}, {small}, {small}]");
        let mut parser = StepParser::new(body);
        while parser.step(budget).is_none() {
            assert_eq!(parser.preview(25), None);
        }
    }
    // A body read in its first step needs none.
    let mut parser = StepParser::new(format!("[{small}, {small}]"));
    assert!(parser.step(STEP_BYTES).is_some());
    assert_eq!(parser.preview(25), None);
}

#[test]
fn the_first_step_reads_a_first_page_of_rows_of_the_usual_size() {
    // 100 rows of about 600 bytes, and many more after them.
    let row = |i: usize| format!(r#"{{"id": {i}, "text": "{}"}}"#, "x".repeat(580));
    let body = format!("[{}]", (0..1_000).map(row).collect::<Vec<_>>().join(","));
    let mut parser = StepParser::new(body);
    assert!(parser.step(FIRST_STEP_BYTES).is_none());
    assert_eq!(parser.preview(100).map(|p| p.rows.len()), Some(100));
}
