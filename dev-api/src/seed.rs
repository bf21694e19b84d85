//! The seeded `customers` table: 300 deterministic rows, identical on every run.
//!
//! A fixed-seed SplitMix64 picks from fixed lists; nothing depends on the time or the machine.
//! Keys come in this order (serde_json keeps insertion order): `id`, `name`, `email`,
//! `created_at` (epoch ms, ascending, within 2023–2025), `amount` (float, 2 decimals),
//! `active`, `plan`, `notes` (text or `null`, about a third `null`), `address`
//! (`{"city","country"}`), `tags` (array of text, sometimes empty). A few notes carry markup,
//! commas, quotes and newlines on purpose, to exercise HTML escaping and CSV export.

use serde_json::{Map, Value, json};

/// Number of seeded rows.
pub const CUSTOMER_COUNT: u64 = 300;
/// 2023-01-01T00:00:00Z in epoch ms.
pub(crate) const CREATED_FROM_MS: u64 = 1_672_531_200_000;
/// 2026-01-01T00:00:00Z in epoch ms (exclusive).
pub(crate) const CREATED_UNTIL_MS: u64 = 1_767_225_600_000;

const SEED: u64 = 0x7052_4744_5345_4544;

const FIRST_NAMES: [&str; 20] = [
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Hedy",
    "Niklaus",
    "Sophie",
    "Guido",
    "Katherine",
    "Bjarne",
    "Joan",
    "Yukihiro",
];
const LAST_NAMES: [&str; 20] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Wirth",
    "Wilson",
    "van Rossum",
    "Johnson",
    "Stroustrup",
    "O'Neil",
    "Matsumoto",
];
const PLACES: [(&str, &str); 12] = [
    ("Lisbon", "Portugal"),
    ("Berlin", "Germany"),
    ("Zürich", "Switzerland"),
    ("São Paulo", "Brazil"),
    ("Toronto", "Canada"),
    ("Osaka", "Japan"),
    ("Nairobi", "Kenya"),
    ("Melbourne", "Australia"),
    ("Austin", "United States"),
    ("Dublin", "Ireland"),
    ("Kraków", "Poland"),
    ("Montréal", "Canada"),
];
const DOMAINS: [&str; 3] = ["example.com", "example.org", "example.net"];
const PLANS: [&str; 4] = ["free", "starter", "pro", "enterprise"];
const TAGS: [&str; 7] = [
    "vip",
    "newsletter",
    "beta",
    "partner",
    "trial",
    "overdue",
    "priority",
];
const NOTES: [&str; 8] = [
    "Renewal due next quarter",
    "Requested a demo",
    "Pays by invoice",
    "Churn risk",
    "Referred by a partner",
    "Upgraded last month",
    "Prefers e-mail over phone",
    "Asked about SSO",
];
/// Rows whose notes are fixed, to exercise escaping and CSV quoting.
const TRICKY_NOTES: [(u64, &str); 6] = [
    (2, "Prefers <b>bold</b> invoices"),
    (5, "Asked for \"net 30\", then paid early"),
    (9, "First line\nSecond line"),
    (14, "<script>alert(\"x\")</script> pasted into the CRM"),
    (23, "Mixed: <i>italic</i>, \"quoted\", and a\nnewline"),
    (42, "Semicolon; comma, tab\tand 'single quotes'"),
];

/// SplitMix64: tiny, fast, and the same everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; the tiny modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// An item of `items` (non-empty).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let len = items.len() as u64;
        // `below(len) < len`, so the index is in range; fall back to the first item anyway.
        let index = usize::try_from(self.below(len)).unwrap_or(0);
        &items[index.min(items.len() - 1)]
    }
}

/// `count` customer rows (300 by default; more for benchmarks), the same
/// for the same count on every run.
pub(crate) fn customers(count: u64) -> Vec<Value> {
    let mut rng = SplitMix64(SEED);
    let step = ((CREATED_UNTIL_MS - CREATED_FROM_MS) / count.max(1)).max(1);
    (1..=count)
        .map(|id| {
            let first = *rng.pick(&FIRST_NAMES);
            let last = *rng.pick(&LAST_NAMES);
            let domain = *rng.pick(&DOMAINS);
            let email = format!("{}.{}{id}@{domain}", email_part(first), email_part(last));
            let created_at = CREATED_FROM_MS + (id - 1) * step + rng.below(step);
            let cents = rng.below(500_000);
            let active = rng.below(4) != 0;
            let plan = *rng.pick(&PLANS);
            let notes = note(&mut rng, id);
            let (city, country) = *rng.pick(&PLACES);
            let tags = tags(&mut rng);

            let mut row = Map::new();
            row.insert("id".into(), json!(id));
            row.insert("name".into(), json!(format!("{first} {last}")));
            row.insert("email".into(), json!(email));
            row.insert("created_at".into(), json!(created_at));
            // Whole cents over 100 never need more than 2 decimals; serde_json writes
            // `12.0` (not `12`) for whole amounts, so the JSON type stays a float.
            row.insert("amount".into(), json!(cents as f64 / 100.0));
            row.insert("active".into(), json!(active));
            row.insert("plan".into(), json!(plan));
            row.insert("notes".into(), notes.map_or(Value::Null, Value::from));
            row.insert("address".into(), json!({"city": city, "country": country}));
            row.insert("tags".into(), json!(tags));
            Value::Object(row)
        })
        .collect()
}

/// A name as it appears in an e-mail: ASCII letters only, lower-cased.
fn email_part(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The row's notes: a fixed tricky one, `None` for about a third, otherwise a stock note.
fn note(rng: &mut SplitMix64, id: u64) -> Option<&'static str> {
    let roll = rng.below(3);
    let stock = *rng.pick(&NOTES);
    if let Some((_, tricky)) = TRICKY_NOTES.iter().find(|(row, _)| *row == id) {
        return Some(tricky);
    }
    (roll != 0).then_some(stock)
}

/// Zero to three distinct tags.
fn tags(rng: &mut SplitMix64) -> Vec<&'static str> {
    let count = rng.below(4);
    let mut chosen = Vec::new();
    for _ in 0..count {
        let tag = *rng.pick(&TAGS);
        if !chosen.contains(&tag) {
            chosen.push(tag);
        }
    }
    chosen
}
