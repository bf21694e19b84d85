//! Epoch milliseconds as ISO 8601 UTC text and as local date-time text,
//! without a date crate: the civil-from-days algorithm (H. Hinnant), a
//! dozen lines.

/// `1704067200000` → `2024-01-01T00:00:00Z` (seconds precision).
pub fn iso_utc(ms: f64) -> String {
    date_time(ms, 'T', "Z")
}

/// Epoch ms as local date and time, `YYYY-MM-DD HH:MM:SS`, where local time
/// is `offset_minutes` behind UTC (as `Date.getTimezoneOffset()` says:
/// −60 for UTC+1).
pub fn local_text(ms: f64, offset_minutes: f64) -> String {
    date_time(ms - offset_minutes * 60_000.0, ' ', "")
}

/// `YYYY-MM-DD`, `between`, `HH:MM:SS`, `suffix` for the civil time `ms`.
/// Written digit by digit, as `format!("{y:04}-{m:02}…")` would write it
/// (a year below zero as `-001`): a search of 100,000 rows with a time
/// column writes 100,000 of these, and the formatting machinery took most
/// of that time.
fn date_time(ms: f64, between: char, suffix: &str) -> String {
    let secs = (ms / 1000.0).floor() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(20 + suffix.len());
    if y < 0 {
        out.push('-');
    }
    push_digits(&mut out, y.unsigned_abs(), if y < 0 { 3 } else { 4 });
    for (separator, value) in [
        ('-', u64::from(m)),
        ('-', u64::from(d)),
        (between, rem as u64 / 3600),
        (':', rem as u64 % 3600 / 60),
        (':', rem as u64 % 60),
    ] {
        out.push(separator);
        push_digits(&mut out, value, 2);
    }
    out.push_str(suffix);
    out
}

/// `n` in decimal, with leading zeros to at least `width` digits.
fn push_digits(out: &mut String, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let from = at.min(digits.len() - width.min(digits.len()));
    out.extend(digits[from..].iter().map(|&b| char::from(b)));
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(iso_utc(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_704_067_200_000.0), "2024-01-01T00:00:00Z");
        assert_eq!(
            iso_utc(1_709_210_096_789.0),
            "2024-02-29T12:34:56Z",
            "a leap day"
        );
        assert_eq!(iso_utc(4_102_444_799_000.0), "2099-12-31T23:59:59Z");
        assert_eq!(iso_utc(-1_000.0), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn local_text_shifts_by_the_offset_the_browser_gives() {
        assert_eq!(local_text(0.0, 0.0), "1970-01-01 00:00:00");
        assert_eq!(local_text(0.0, -60.0), "1970-01-01 01:00:00", "UTC+1");
        assert_eq!(
            local_text(1_704_067_200_000.0, 300.0),
            "2023-12-31 19:00:00",
            "UTC−5: the day before"
        );
        assert_eq!(
            local_text(1_709_210_096_789.0, -330.0),
            "2024-02-29 18:04:56",
            "UTC+5:30, a leap day"
        );
    }

    #[test]
    fn the_text_is_what_format_writes_for_every_year_sign_and_width() {
        let formatted = |ms: f64| {
            let secs = (ms / 1000.0).floor() as i64;
            let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
            let (y, m, d) = civil_from_days(days);
            let (h, min, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
        };
        // From the year −2000 to 12000, in uneven steps that reach every
        // month, day, hour, minute and second.
        let mut ms = -125_000_000_000_000.0;
        while ms < 316_000_000_000_000.0 {
            assert_eq!(iso_utc(ms), formatted(ms), "at {ms} ms");
            ms += 86_399_999_937.0;
        }
        assert_eq!(iso_utc(-62_198_755_200_000.0), "-001-01-01T00:00:00Z");
        assert_eq!(iso_utc(253_402_300_800_000.0), "10000-01-01T00:00:00Z");
    }

    #[test]
    fn century_and_400_year_leap_rules() {
        for (ms, text) in [
            (951_868_799_000.0, "2000-02-29T23:59:59Z"),
            (951_868_800_000.0, "2000-03-01T00:00:00Z"),
            (946_684_799_000.0, "1999-12-31T23:59:59Z"),
            (-2_203_934_400_000.0, "1900-02-28T12:00:00Z"),
            (-2_203_891_200_000.0, "1900-03-01T00:00:00Z"),
            (3_981_312_000_000.0, "2096-02-29T00:00:00Z"),
            (4_107_456_000_000.0, "2100-02-28T00:00:00Z"),
            (4_107_542_400_000.0, "2100-03-01T00:00:00Z"),
        ] {
            assert_eq!(iso_utc(ms), text);
        }
    }
}
