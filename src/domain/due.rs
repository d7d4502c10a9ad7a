//! Dates in the future as users type them, for follow-ups: when one is due and how often it recurs.
//!
//! Past-event dates (`log --date`) live in [`super::dates`]; this module looks ahead.
//!
//! Hand-written with chrono rather than on the `interim` crate (0.2.2, tried against these forms):
//! interim reads `1m` as one *minute*, gives today for `fri` typed on a Friday (a due date must look
//! ahead), rolls `tomorrow 25:00` over into the next day instead of refusing it, has no `in 3 days`,
//! `eow` or `eom`, and accepts many forms this contract does not (`2h`, `april` = April 1st of this
//! year, `01/04/18` read one way or the other by dialect). Using it safely would take a layer that
//! recognises every form itself first, leaving interim nothing to do but a few lines of chrono
//! arithmetic, for five extra crates (a proc-macro lexer among them).

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};

use super::every::{compact, count_of, unit_word};
pub use super::every::{parse_every, Every, EveryUnit};

/// The furthest ahead a relative due date may reach: 200 years, as in [`super::dates`].
const MAX_DAYS_AHEAD: u64 = 365 * 200;
const MAX_MONTHS_AHEAD: u32 = 12 * 200;

/// When a follow-up is due: a day, optionally a time of day (minutes precision).
///
/// Serialized (JSON and any other serde format) as its storage text, e.g. `"2026-12-04T09:30"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "String", try_from = "String")]
pub struct Due {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl Due {
    /// Stored and JSON form: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" (seconds, if any, are dropped).
    /// The text is fixed-width for years 0000–9999, so it sorts chronologically, a bare date
    /// before the same day with a time.
    pub fn to_storage(&self) -> String {
        match self.time {
            None => self.date.format("%Y-%m-%d").to_string(),
            Some(time) => format!("{}T{}", self.date.format("%Y-%m-%d"), time.format("%H:%M")),
        }
    }

    /// Reads [`Due::to_storage`] text back; anything else is None.
    pub fn from_storage(text: &str) -> Option<Due> {
        match text.split_once('T') {
            None => Some(Due {
                date: iso_date(text)?,
                time: None,
            }),
            Some((date, time)) => Some(Due {
                date: iso_date(date)?,
                time: Some(clock_time(time).filter(|_| time.len() == 5)?),
            }),
        }
    }
}

impl std::fmt::Display for Due {
    /// "2026-12-04" or "2026-12-04 09:30".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        if let Some(time) = self.time {
            write!(f, " {}", time.format("%H:%M"))?;
        }
        Ok(())
    }
}

impl From<Due> for String {
    fn from(due: Due) -> String {
        due.to_storage()
    }
}

impl TryFrom<String> for Due {
    type Error = String;

    fn try_from(text: String) -> Result<Due, String> {
        Due::from_storage(&text).ok_or_else(|| {
            format!("'{text}' is not a stored due date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)")
        })
    }
}

/// Parses a due date typed by a user, relative to `today`; the error is one sentence naming the
/// input and listing the accepted forms.
///
/// Accepted (case-insensitive, surrounding spaces ignored):
/// - `today`, `tomorrow`;
/// - a weekday, `friday` or `fri`: the next one strictly after today (on a Friday, `fri` is a week
///   away), since a due date looks ahead;
/// - `next friday`: the same day as `friday`, the coming one after today. English is split on
///   this (for many British speakers it is the Friday of next week); Rapport takes the reading
///   that never skips a week silently, and `next` never changes the answer. For the Friday of
///   next week, type its date;
/// - `in 3 days`, `in 2 weeks`, `in 1 month`, `in 1 year` (singular or plural) and their short
///   forms `3d`, `2w`, `1m`, `1y`, all ahead of today; months and years clamp to the month's last
///   day (Jan 31 + 1m = Feb 28 or 29); at most 200 years ahead;
/// - `eow`: end of week, the coming Sunday (today on a Sunday); `eom`: the last day of this month;
/// - an ISO date `YYYY-MM-DD` (years 0000–9999; past dates are fine, for overdue follow-ups);
/// - any of these followed by a time `HH:MM` (`tomorrow 09:30`, `2026-12-04 14:00`), or an ISO
///   date and time joined by `T` (`2026-12-04T14:00`).
pub fn parse_due(input: &str, today: NaiveDate) -> Result<Due, String> {
    parse_due_any(input, today)
        .filter(|due| (0..=9999).contains(&due.date.year()))
        .ok_or_else(|| {
            format!(
                "due date '{input}' is not valid (use 'today', 'tomorrow', a weekday like 'fri' or \
                 'next friday', 'in 3 days', '3d', '2w', '1m', '1y', 'eow', 'eom' or YYYY-MM-DD, \
                 optionally followed by a time HH:MM)"
            )
        })
}

fn parse_due_any(input: &str, today: NaiveDate) -> Option<Due> {
    let lower = input.trim().to_ascii_lowercase();
    // `YYYY-MM-DDTHH:MM` (a 'T' can only join an ISO date to a time: no word form has one there).
    if let Some((date, time)) = lower.split_once('t').filter(|(d, _)| d.len() == 10) {
        if let (Some(date), Some(time)) = (iso_date(date), clock_time(time)) {
            return Some(Due {
                date,
                time: Some(time),
            });
        }
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    // A trailing HH:MM is the time; the rest is the day.
    let (words, time) = match words.split_last() {
        Some((last, rest)) if last.contains(':') => (rest, Some(clock_time(last)?)),
        _ => (&words[..], None),
    };
    let date = due_day(words, today)?;
    Some(Due { date, time })
}

/// The day named by the words of a due date (its time already split off).
fn due_day(words: &[&str], today: NaiveDate) -> Option<NaiveDate> {
    match words {
        ["today"] => Some(today),
        ["tomorrow"] => today.checked_add_days(Days::new(1)),
        ["eow"] => {
            let to_sunday = (7 - today.weekday().num_days_from_sunday()) % 7;
            today.checked_add_days(Days::new(u64::from(to_sunday)))
        }
        ["eom"] => NaiveDate::from_ymd_opt(today.year(), today.month(), 1)?
            .checked_add_months(Months::new(1))?
            .pred_opt(),
        ["next", day] => coming(weekday(day)?, today),
        ["in", count, unit] => ahead(today, count_of(count)?, unit_word(unit)?),
        [word] => {
            if let Some(day) = weekday(word) {
                return coming(day, today);
            }
            if let Some(date) = iso_date(word) {
                return Some(date);
            }
            let (count, unit) = compact(word)?;
            ahead(today, count, unit)
        }
        _ => None,
    }
}

/// The first `day` strictly after `today`.
fn coming(day: Weekday, today: NaiveDate) -> Option<NaiveDate> {
    let diff = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    let diff = if diff == 0 { 7 } else { diff };
    today.checked_add_days(Days::new(u64::from(diff)))
}

/// `count` units after `today`, refused beyond 200 years.
fn ahead(today: NaiveDate, count: u32, unit: EveryUnit) -> Option<NaiveDate> {
    let days = |n: u64| {
        (n <= MAX_DAYS_AHEAD)
            .then_some(n)
            .and_then(|n| today.checked_add_days(Days::new(n)))
    };
    let months = |n: u32| {
        (n <= MAX_MONTHS_AHEAD)
            .then_some(n)
            .and_then(|n| today.checked_add_months(Months::new(n)))
    };
    match unit {
        EveryUnit::Day => days(u64::from(count)),
        EveryUnit::Week => days(u64::from(count) * 7),
        EveryUnit::Month => months(count),
        EveryUnit::Year => months(count.checked_mul(12)?),
    }
}

/// A full weekday name or its three-letter abbreviation, as chrono reads them (and as
/// [`super::dates`] does for past events).
fn weekday(word: &str) -> Option<Weekday> {
    word.parse().ok()
}

/// Exactly `YYYY-MM-DD` (four-digit year, so 0000–9999), a real calendar day.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    NaiveDate::from_ymd_opt(
        text[..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..].parse().ok()?,
    )
}

/// `HH:MM` (or `H:MM`), 00:00 to 23:59.
fn clock_time(text: &str) -> Option<NaiveTime> {
    let (hour, minute) = text.split_once(':')?;
    let digits = |s: &str, lengths: &[usize]| {
        lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(hour, &[1, 2]) || !digits(minute, &[2]) {
        return None;
    }
    NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn day(s: &str) -> Due {
        Due {
            date: d(s),
            time: None,
        }
    }

    fn at(date: &str, time: &str) -> Due {
        Due {
            date: d(date),
            time: Some(t(time)),
        }
    }

    /// A Wednesday.
    const WEDNESDAY: &str = "2026-12-02";

    #[test]
    fn fixed_wednesday_is_a_wednesday() {
        assert_eq!(d(WEDNESDAY).weekday(), Weekday::Wed);
    }

    #[test]
    fn accepted_forms() {
        let today = d(WEDNESDAY);
        let table: &[(&str, Due)] = &[
            ("today", day("2026-12-02")),
            ("tomorrow", day("2026-12-03")),
            // Weekdays: the next one strictly after today.
            ("monday", day("2026-12-07")),
            ("mon", day("2026-12-07")),
            ("tuesday", day("2026-12-08")),
            ("tue", day("2026-12-08")),
            ("wednesday", day("2026-12-09")),
            ("wed", day("2026-12-09")),
            ("thursday", day("2026-12-03")),
            ("thu", day("2026-12-03")),
            ("friday", day("2026-12-04")),
            ("fri", day("2026-12-04")),
            ("saturday", day("2026-12-05")),
            ("sat", day("2026-12-05")),
            ("sunday", day("2026-12-06")),
            ("sun", day("2026-12-06")),
            // `next friday` is the coming one, the same as `friday`.
            ("next friday", day("2026-12-04")),
            ("next fri", day("2026-12-04")),
            ("next wednesday", day("2026-12-09")),
            ("next mon", day("2026-12-07")),
            // Relative, ahead.
            ("in 1 day", day("2026-12-03")),
            ("in 3 days", day("2026-12-05")),
            ("in 1 week", day("2026-12-09")),
            ("in 2 weeks", day("2026-12-16")),
            ("in 1 month", day("2027-01-02")),
            ("in 3 months", day("2027-03-02")),
            ("in 1 year", day("2027-12-02")),
            ("in 2 years", day("2028-12-02")),
            ("in 0 days", day("2026-12-02")),
            ("3d", day("2026-12-05")),
            ("32d", day("2027-01-03")),
            ("2w", day("2026-12-16")),
            ("1m", day("2027-01-02")),
            ("1y", day("2027-12-02")),
            ("73000d", day("2226-10-15")),
            ("200y", day("2226-12-02")),
            // End of week (the coming Sunday) and of month.
            ("eow", day("2026-12-06")),
            ("eom", day("2026-12-31")),
            // ISO dates, past ones too.
            ("2026-12-04", day("2026-12-04")),
            ("2025-01-15", day("2025-01-15")),
            ("2028-02-29", day("2028-02-29")),
            ("0000-01-01", day("0000-01-01")),
            ("9999-12-31", day("9999-12-31")),
            // With a time.
            ("tomorrow 09:30", at("2026-12-03", "09:30")),
            ("today 23:59", at("2026-12-02", "23:59")),
            ("fri 00:00", at("2026-12-04", "00:00")),
            ("next friday 17:15", at("2026-12-04", "17:15")),
            ("in 2 weeks 08:00", at("2026-12-16", "08:00")),
            ("3d 9:05", at("2026-12-05", "09:05")),
            ("eow 18:00", at("2026-12-06", "18:00")),
            ("eom 12:00", at("2026-12-31", "12:00")),
            ("2026-12-04 14:00", at("2026-12-04", "14:00")),
            ("2026-12-04T14:00", at("2026-12-04", "14:00")),
            // Case and spacing.
            ("  Tomorrow  ", day("2026-12-03")),
            ("FRI", day("2026-12-04")),
            ("Next  Friday", day("2026-12-04")),
            ("IN 3 DAYS", day("2026-12-05")),
            ("2W", day("2026-12-16")),
            ("EOM", day("2026-12-31")),
            ("2026-12-04t14:00", at("2026-12-04", "14:00")),
        ];
        for (input, expected) in table {
            assert_eq!(parse_due(input, today), Ok(*expected), "input {input:?}");
        }
    }

    #[test]
    fn relative_forms_from_other_days() {
        let table: &[(&str, &str, Due)] = &[
            // On a Sunday, `eow` is today; a weekday name still looks a week ahead.
            ("2026-12-06", "eow", day("2026-12-06")),
            ("2026-12-06", "sunday", day("2026-12-13")),
            ("2026-12-06", "next sunday", day("2026-12-13")),
            ("2026-12-07", "eow", day("2026-12-13")),
            ("2026-12-05", "eow", day("2026-12-06")),
            // Month ends clamp, leap years included.
            ("2027-01-31", "1m", day("2027-02-28")),
            ("2028-01-31", "in 1 month", day("2028-02-29")),
            ("2028-02-29", "1y", day("2029-02-28")),
            ("2028-02-10", "eom", day("2028-02-29")),
            ("2027-02-10", "eom", day("2027-02-28")),
            ("2026-04-30", "eom", day("2026-04-30")),
            ("2026-12-31", "tomorrow", day("2027-01-01")),
        ];
        for (today, input, expected) in table {
            assert_eq!(
                parse_due(input, d(today)),
                Ok(*expected),
                "{input:?} on {today}"
            );
        }
    }

    #[test]
    fn rejected_inputs() {
        let today = d(WEDNESDAY);
        for bad in [
            "",
            "   ",
            "tomorrowish",
            "yesterday",
            "someday",
            "fridays",
            "next",
            "next week",
            "last friday",
            "in",
            "in 3",
            "in days",
            "in 3 fortnights",
            "in -3 days",
            "3 days",
            "3",
            "d",
            "3x",
            "-3d",
            "+3d",
            "3.5d",
            "1h",
            "73001d",
            "10429w",
            "2401m",
            "201y",
            "99999999999d",
            "2026-02-30",
            "2026-13-01",
            "2026-12-4",
            "26-12-04",
            "12026-01-01",
            "+2026-12-04",
            "2026/12/04",
            "2026-12-04 24:00",
            "2026-12-04 14:60",
            "2026-12-04 14:0",
            "2026-12-04 14:00:00",
            "2026-12-04T14",
            "2026-12-04T",
            "tomorrow 9",
            "tomorrow 9pm",
            "tomorrow 25:00",
            "09:30",
            "09:30 tomorrow",
            "tomorrow 09:30 10:00",
            "today today",
            "eow eom",
        ] {
            let err = parse_due(bad, today).unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{bad:?}: {err}");
            for form in [
                "tomorrow",
                "next friday",
                "in 3 days",
                "eow",
                "YYYY-MM-DD",
                "HH:MM",
            ] {
                assert!(err.contains(form), "{bad:?}: {err} lacks {form}");
            }
        }
    }

    #[test]
    fn years_outside_0000_to_9999_are_refused() {
        assert!(parse_due("1d", d("9999-12-31")).is_err());
        assert!(parse_due("eow", d("9999-12-31")).is_err()); // a Friday: Sunday is in 10000
        assert!(parse_due("eom", d("9999-12-31")).is_ok());
        assert_eq!(
            parse_due("tomorrow", d("9999-12-30")),
            Ok(day("9999-12-31"))
        );
    }

    #[test]
    fn storage_round_trip() {
        for due in [
            day("2026-12-04"),
            at("2026-12-04", "09:30"),
            at("2026-12-04", "00:00"),
            day("0000-01-01"),
            at("9999-12-31", "23:59"),
        ] {
            let text = due.to_storage();
            assert_eq!(Due::from_storage(&text), Some(due), "{text}");
            let json = serde_json::to_string(&due).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Due>(&json).unwrap(), due);
        }
        assert_eq!(at("2026-12-04", "09:30").to_storage(), "2026-12-04T09:30");
        assert_eq!(day("2026-12-04").to_storage(), "2026-12-04");
        assert_eq!(at("2026-12-04", "09:30").to_string(), "2026-12-04 09:30");
        assert_eq!(day("2026-12-04").to_string(), "2026-12-04");
        for bad in [
            "",
            "2026-12-04 09:30",
            "2026-12-04T9:30",
            "2026-12-04T09:30:00",
            "2026-12-04T",
            "2026-02-30",
            "tomorrow",
        ] {
            assert_eq!(Due::from_storage(bad), None, "{bad:?}");
        }
        assert!(serde_json::from_str::<Due>("\"tomorrow\"").is_err());
    }

    #[test]
    fn storage_text_sorts_like_dues() {
        let mut dues = [
            at("2026-12-04", "09:30"),
            day("2026-12-04"),
            day("2026-11-30"),
            at("2026-12-04", "08:00"),
            day("0999-01-01"),
        ];
        let mut texts: Vec<String> = dues.iter().map(Due::to_storage).collect();
        dues.sort();
        texts.sort();
        let sorted: Vec<String> = dues.iter().map(Due::to_storage).collect();
        assert_eq!(texts, sorted);
        assert_eq!(dues[0], day("0999-01-01"));
        assert_eq!(dues[2], day("2026-12-04")); // a bare day before the same day with a time
    }
}
