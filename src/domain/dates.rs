//! Dates as users type them: ISO dates and times, `today`, `yesterday`, `3d`/`2w` ago, weekday names.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// Parses a date (optionally with a time) relative to `today`.
/// A bare date gets noon so that it sorts after earlier entries of the same day logged with a time
/// only when they were later; entries typed without a time keep a stable, deterministic instant.
///
/// Only instants the store keeps exactly are accepted: years 0000–9999 (stored text is fixed-width
/// ISO, so it sorts by time) and whole seconds (a fraction is dropped, as storage would drop it).
pub fn parse_when(input: &str, today: NaiveDate) -> Result<NaiveDateTime, String> {
    let invalid = || {
        format!(
            "date '{}' is not a valid date (use YYYY-MM-DD, 'today', 'yesterday', '3d', '2w' or a weekday)",
            input
        )
    };
    parse_any(input, today)
        .and_then(storable)
        .ok_or_else(invalid)
}

fn parse_any(input: &str, today: NaiveDate) -> Option<NaiveDateTime> {
    let text = input.trim();
    let lower = text.to_ascii_lowercase();
    let noon = NaiveTime::from_hms_opt(12, 0, 0).expect("noon is a valid time");
    let days_back = |days: i64| {
        Some(
            today
                .checked_sub_signed(Duration::try_days(days)?)?
                .and_time(noon),
        )
    };
    match lower.as_str() {
        "today" | "now" => return days_back(0),
        "yesterday" => return days_back(1),
        _ => {}
    }
    if let Some(days) = relative_days(&lower) {
        return days_back(days?);
    }
    if let Ok(weekday) = lower.parse::<Weekday>() {
        let back = (7 + today.weekday().num_days_from_monday() as i64
            - weekday.num_days_from_monday() as i64)
            % 7;
        return days_back(back);
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date.and_time(noon));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at);
        }
    }
    // RFC 3339 with an offset (as other tools export): keep the local wall-clock time.
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.naive_local())
}

/// The instant as storage keeps it, or None when storage cannot keep it exactly.
fn storable(at: NaiveDateTime) -> Option<NaiveDateTime> {
    if !(0..=9999).contains(&at.year()) {
        return None;
    }
    // Also folds a leap second (:60, kept by chrono as an overlong fraction) into :59.
    at.with_nanosecond(0)
}

/// Parses a plain calendar date (for `--as-of`), accepting the same words as [`parse_when`].
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    parse_when(input, today).map(|at| at.date())
}

/// `3d` → Some(Some(3)), `2w` → Some(Some(14)); not of that form → None; overflow → Some(None).
fn relative_days(lower: &str) -> Option<Option<i64>> {
    // Split off the last character, not the last byte: the text may end in any character.
    let unit = lower.chars().last()?;
    let number = &lower[..lower.len() - unit.len_utf8()];
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let factor = match unit {
        'd' => 1,
        'w' => 7,
        _ => return None,
    };
    Some(
        number
            .parse::<i64>()
            .ok()
            .and_then(|n| n.checked_mul(factor))
            .filter(|n| *n <= 365 * 200),
    )
}

/// When an entry typed without a date happened: now if `today` is the real date, else noon of `today`
/// (so `--as-of` gives every undated entry the same, reproducible instant).
pub fn default_instant(today: NaiveDate, now: NaiveDateTime) -> NaiveDateTime {
    if now.date() == today {
        now
    } else {
        today.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon is a valid time"))
    }
}

/// Stored form of an instant: ISO-8601 text that sorts chronologically.
pub fn to_storage(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Reads the stored form back; tolerates a bare date.
pub fn from_storage(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

/// Short human form: the date, plus the time when it is not the default noon.
pub fn display(at: NaiveDateTime) -> String {
    if at.time() == NaiveTime::from_hms_opt(12, 0, 0).expect("noon") {
        at.format("%Y-%m-%d").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn words_and_offsets() {
        let today = d("2026-11-23"); // a Monday
        assert_eq!(parse_date("today", today), Ok(today));
        assert_eq!(parse_date("yesterday", today), Ok(d("2026-11-22")));
        assert_eq!(parse_date("3d", today), Ok(d("2026-11-20")));
        assert_eq!(parse_date("2w", today), Ok(d("2026-11-09")));
        assert_eq!(parse_date("friday", today), Ok(d("2026-11-20")));
        assert_eq!(parse_date("Mon", today), Ok(today));
        assert_eq!(parse_date("sunday", today), Ok(d("2026-11-22")));
    }

    #[test]
    fn iso_forms() {
        let today = d("2026-11-23");
        assert_eq!(parse_date("2026-02-28", today), Ok(d("2026-02-28")));
        let at = parse_when("2026-02-28 09:30", today).unwrap();
        assert_eq!(to_storage(at), "2026-02-28T09:30:00");
        assert_eq!(from_storage("2026-02-28T09:30:00"), Some(at));
        assert_eq!(display(at), "2026-02-28 09:30");
    }

    #[test]
    fn impossible_dates_are_refused() {
        let today = d("2026-11-23");
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "tomorrowish",
            "",
            "99999999d",
            "3x",
            "d",
        ] {
            let err = parse_date(bad, today).unwrap_err();
            assert!(err.contains("not a valid date"), "{bad}: {err}");
        }
    }
}
