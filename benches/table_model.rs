//! Benchmark of the pure table model: how long building a dataset, sorting,
//! searching and writing CSV take at 1k, 10k and 100k rows, and reading a
//! body at once or in steps. Not a test: it prints figures (median of
//! several runs) for the README.
//!
//! `cargo bench --bench table_model`

use serde_json::{Value, json};
use std::hint::black_box;
use std::time::{Duration, Instant};
use tokengrid::table::csv::to_csv;
use tokengrid::table::parse::{STEP_BYTES, StepParser};
use tokengrid::table::{Column, Dataset, Query, TableState};

/// Rows shaped like the development API's customers.
fn rows(n: usize) -> Value {
    let names = [
        "Ada Lovelace",
        "Grace Hopper",
        "Alan Turing",
        "Edsger Dijkstra",
        "Barbara Liskov",
        "Frances Allen",
    ];
    let plans = ["free", "starter", "pro", "enterprise"];
    Value::Array(
        (1..=n)
            .map(|i| {
                let name = format!("{} {}", names[i % names.len()], i % 997);
                json!({
                    "id": i,
                    "name": name,
                    "email": format!("user{i}@example.com"),
                    "created_at": 1_672_531_200_000u64 + (i as u64 * 7_919_000) % 94_608_000_000,
                    "amount": ((i * 7_919) % 500_000) as f64 / 100.0,
                    "active": i % 4 != 0,
                    "plan": plans[i % plans.len()],
                    "notes": if i % 3 == 0 { Value::Null } else { json!(format!("note {}", i % 50)) },
                    "address": {"city": "Lisbon", "country": "Portugal"},
                    "tags": ["a", "b"],
                })
            })
            .collect(),
    )
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<R>(runs: usize, mut f: impl FnMut() -> R) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let header = [
        "rows",
        "build",
        "sort text",
        "sort num",
        "re-sort",
        "1st search",
        "search",
        "filter",
        "csv",
    ];
    println!("{}", header.map(|h| format!("{h:>11}")).join(""));
    for n in [1_000, 10_000, 100_000] {
        let json = rows(n);
        let runs = if n >= 100_000 { 5 } else { 21 };
        let mut copies: Vec<Value> = (0..runs).map(|_| json.clone()).collect();
        let build = time(runs, || {
            Dataset::from_json(copies.pop().expect("a copy per run")).expect("rows")
        });
        let data = Dataset::from_json(json).expect("rows");
        let sorted_by = |key: &str| {
            let mut query = Query::default();
            query.toggle_sort(key);
            query
        };
        let (by_name, by_amount) = (sorted_by("name"), sorted_by("amount"));
        // The first sort of a column ranks its rows; later sorts reuse the ranks.
        let sort_text = time(1, || data.select(&by_name));
        let sort_num = time(1, || data.select(&by_amount));
        let resort = time(runs, || data.select(&by_name));
        let mut searching = TableState::default();
        searching.set_search("grace 12");
        // The first search builds the per-row search text; later ones reuse it.
        let first_search = time(1, || data.select(&searching.query));
        let search = time(runs, || data.select(&searching.query));
        let mut filtering = TableState::default();
        filtering.set_filter("plan", "pro");
        let filter = time(runs, || data.select(&filtering.query));
        let all: Vec<usize> = (0..n).collect();
        let columns: Vec<&Column> = data.columns.iter().collect();
        let csv = time(runs.min(5), || to_csv(&data, &all, &columns));
        let ms = |d: Duration| format!("{:>8.2} ms", d.as_secs_f64() * 1000.0);
        let figures = [
            build,
            sort_text,
            sort_num,
            resort,
            first_search,
            search,
            filter,
            csv,
        ]
        .map(ms);
        println!("{n:>11}{}", figures.join(""));
    }
    read_in_steps();
}

/// Reading a response body into a dataset: at once (serde_json, then the
/// model) and in steps of [`STEP_BYTES`] (the app's way), with the longest
/// step — for rows, and for the same rows held in one cell of one row.
fn read_in_steps() {
    println!();
    let header = ["body", "MiB", "at once", "in steps", "steps", "longest"];
    let rest: Vec<String> = header[1..].iter().map(|h| format!("{h:>11}")).collect();
    println!("{:>16}{}", header[0], rest.join(""));
    let shapes = [10_000, 100_000].into_iter().flat_map(|n| {
        let rows = rows(n);
        [
            (format!("{n} rows"), rows.to_string()),
            (
                format!("{n} in a cell"),
                json!([{ "id": 1, "all": rows }]).to_string(),
            ),
        ]
    });
    // The most rows 30 MiB can hold (past `MAX_ROWS`, counted only), and
    // one key of 30 MiB.
    let tiny = format!("[{}1]", "1,".repeat(15 * 1024 * 1024));
    {
        let key = format!(
            r#"[{{"id": 1, "{}": 1}}, {{"id": 2}}]"#,
            "k_".repeat(15 * 1024 * 1024)
        );
        let more = [
            ("[1,1,…] 30 MiB".to_owned(), tiny),
            ("a 30 MiB key".to_owned(), key),
        ];
        for (label, body) in shapes.chain(more) {
            let at_once = time(5, || {
                Dataset::from_json(serde_json::from_str(&body).expect("json")).expect("rows")
            });
            let in_steps = time(5, || StepParser::parse(body.clone()).expect("rows"));
            let mut parser = StepParser::new(body.clone());
            let (mut steps, mut longest) = (0, Duration::ZERO);
            loop {
                let start = Instant::now();
                let result = parser.step(STEP_BYTES);
                // Timed without dropping the dataset.
                longest = longest.max(start.elapsed());
                steps += 1;
                if result.is_some() {
                    break;
                }
            }
            let ms = |d: Duration| format!("{:>8.2} ms", d.as_secs_f64() * 1000.0);
            let mib = body.len() as f64 / (1024.0 * 1024.0);
            println!(
                "{label:>16}{mib:>11.1}{}{}{steps:>11}{}",
                ms(at_once),
                ms(in_steps),
                ms(longest)
            );
        }
    }
}
