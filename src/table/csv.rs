//! The current view as CSV (RFC 4180), safe to open in a spreadsheet.

use super::model::{Cell, CellKind, Column, Dataset};

/// Characters that make a spreadsheet read a cell as a formula (OWASP
/// "CSV injection"): a text cell starting with one gets a leading `'`.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet could read `text` as a formula: it starts with a
/// formula character, or has one after leading white space or line breaks
/// (spaces, `\n`, NBSP and the other Unicode spaces, zero-width ones too),
/// which spreadsheets skip.
fn reads_as_formula(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS)
        || text
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}')
            })
            .starts_with(['=', '+', '-', '@'])
}

/// One field, neutralised and quoted as needed.
fn field(text: &str, is_text: bool) -> String {
    let neutral = if is_text && reads_as_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if neutral.contains([',', '"', '\n', '\r'])
        || neutral.starts_with(' ')
        || neutral.ends_with(' ')
    {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// `rows` (indices into `dataset`, in order) and `columns` as CSV: a
/// header of labels, then one line per row, CRLF line ends, UTF-8 with a
/// byte-order mark so spreadsheets read accents right. Values are the
/// plain text (booleans `true`/`false`, null empty, timestamps ISO 8601
/// UTC, nested values compact JSON), whole: not cut to what a cell shows.
pub fn to_csv(dataset: &Dataset, rows: &[usize], columns: &[&Column]) -> String {
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = columns.iter().map(|c| field(&c.label, true)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for &row in rows {
        let line: Vec<String> = columns
            .iter()
            .map(|column| {
                let cell = Cell::full(dataset.value(row, column), column.kind);
                let is_text = matches!(
                    cell.kind,
                    CellKind::Text | CellKind::Email | CellKind::Url | CellKind::Json
                );
                field(cell.plain(), is_text)
            })
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The download's file name for a table titled `title`: lower-case ASCII
/// letters and digits, anything else a `-` ("Customers" → `customers.csv`).
pub fn file_name(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{stem}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::model::CELL_MAX_CHARS;
    use serde_json::json;

    #[test]
    fn escaping_and_formula_neutralising() {
        let d = Dataset::from_json(json!([
            {"name": "Ada, Countess", "note": "said \"hi\"\nthen left", "amount": -5, "formula": "=HYPERLINK(\"x\")", "ok": true, "none": null},
            {"name": "+1 555", "note": "@SUM(A1)", "amount": 2.5, "formula": "-2+3", "ok": false, "none": null}
        ]))
        .unwrap();
        let columns: Vec<&Column> = d.columns.iter().collect();
        let csv = to_csv(&d, &[0, 1], &columns);
        assert_eq!(
            csv,
            "\u{feff}Name,Note,Amount,Formula,Ok,None\r\n\
             \"Ada, Countess\",\"said \"\"hi\"\"\nthen left\",-5,\"'=HYPERLINK(\"\"x\"\")\",true,\r\n\
             '+1 555,'@SUM(A1),2.5,'-2+3,false,\r\n"
        );
    }

    #[test]
    fn the_view_decides_rows_columns_and_order() {
        let d = Dataset::from_json(
            json!([{"id": 1, "created_at": 1_704_067_200_000u64}, {"id": 2, "created_at": null}]),
        )
        .unwrap();
        let created = d.column("created_at").unwrap();
        assert_eq!(
            to_csv(&d, &[1, 0], &[created]),
            "\u{feff}Created at\r\n\r\n2024-01-01T00:00:00Z\r\n"
        );
    }

    #[test]
    fn text_starting_with_tab_or_carriage_return_is_neutralised() {
        // A spreadsheet skips a leading tab or CR and reads the formula behind it.
        let d = Dataset::from_json(json!([
            {"a": "\t=1+1", "b": "\r=SUM(A1)", "c": "x\ty", "d": "\tplain"}
        ]))
        .unwrap();
        let columns: Vec<&Column> = d.columns.iter().collect();
        assert_eq!(
            to_csv(&d, &[0], &columns),
            "\u{feff}A,B,C,D\r\n'\t=1+1,\"'\r=SUM(A1)\",x\ty,'\tplain\r\n",
            "a tab or CR inside the text is left alone"
        );
    }

    #[test]
    fn formulas_behind_leading_white_space_or_line_breaks_are_neutralised() {
        for text in [
            " =1+1",
            "\n=1+1",
            "\r\n+1",
            "\u{a0}=1+1",
            "\u{2003}-1",
            "\u{3000}@SUM(A1)",
            "\u{200b}=1",
            "\u{feff}=1",
            " \t \n =HYPERLINK(\"x\")",
        ] {
            assert!(reads_as_formula(text), "{text:?}");
            assert!(
                field(text, true).trim_start_matches('"').starts_with('\''),
                "{text:?}"
            );
            assert!(!field(text, false).contains('\''), "numbers are left alone");
        }
        for text in ["", " ", "\n", " plain", "\u{a0}x", "a=1", "1-2", "x @y"] {
            assert!(!reads_as_formula(text), "{text:?}");
        }
        let d =
            Dataset::from_json(json!([{"a": " =1+1", "b": "\n=1+1", "c": "\u{a0}=1"}])).unwrap();
        let columns: Vec<&Column> = d.columns.iter().collect();
        assert_eq!(
            to_csv(&d, &[0], &columns),
            "\u{feff}A,B,C\r\n' =1+1,\"'\n=1+1\",'\u{a0}=1\r\n"
        );
    }

    #[test]
    fn numbers_labels_and_spaces() {
        // A negative number is a number, not a formula; a header label is
        // text; a space at either end is quoted so it survives.
        let d = Dataset::from_json(json!([{"=x": -1, "@y": " pad ", "l": " lead", "t": "trail "}]))
            .unwrap();
        let columns: Vec<&Column> = d.columns.iter().collect();
        assert_eq!(
            to_csv(&d, &[0], &columns),
            "\u{feff}'=x,'@y,L,T\r\n-1,\" pad \",\" lead\",\"trail \"\r\n"
        );
    }

    #[test]
    fn the_csv_keeps_the_whole_value_of_a_cell_the_table_cuts() {
        let long = "x".repeat(CELL_MAX_CHARS * 3);
        let d = Dataset::from_json(json!([{"a": long, "b": {"k": long}}])).unwrap();
        assert!(d.cell(0, &d.columns[0]).omitted > 0, "the table cuts it");
        let columns: Vec<&Column> = d.columns.iter().collect();
        assert_eq!(
            to_csv(&d, &[0], &columns),
            format!("\u{feff}A,B\r\n{long},\"{{\"\"k\"\":\"\"{long}\"\"}}\"\r\n")
        );
    }

    #[test]
    fn file_names_follow_the_title() {
        assert_eq!(file_name("Customers"), "customers.csv");
        assert_eq!(file_name("Open orders (EU)"), "open-orders--eu-.csv");
        assert_eq!(file_name("Größe 2"), "gr--e-2.csv");
    }
}
