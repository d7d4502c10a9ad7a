//! How often a follow-up recurs, as users type it (`every 2w`, `monthly`, `3 months`) and as it is
//! stored (`2w`), and the next date on that rhythm. The count-and-unit words here are also the
//! relative due dates of [`super::due`] (`in 3 days`, `2w`).

use chrono::{Days, Months, NaiveDate};

/// Plain decimal digits as a count (no sign, no spaces).
pub(super) fn count_of(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `day`/`days`, `week`/`weeks`, `month`/`months`, `year`/`years`.
pub(super) fn unit_word(word: &str) -> Option<EveryUnit> {
    match word {
        "day" | "days" => Some(EveryUnit::Day),
        "week" | "weeks" => Some(EveryUnit::Week),
        "month" | "months" => Some(EveryUnit::Month),
        "year" | "years" => Some(EveryUnit::Year),
        _ => None,
    }
}

/// `3d`, `2w`, `1m`, `1y` → (count, unit).
pub(super) fn compact(word: &str) -> Option<(u32, EveryUnit)> {
    let unit = match word.chars().last()? {
        'd' => EveryUnit::Day,
        'w' => EveryUnit::Week,
        'm' => EveryUnit::Month,
        'y' => EveryUnit::Year,
        _ => return None,
    };
    // The unit letter is ASCII, so slicing off its one byte stays on a character boundary.
    Some((count_of(&word[..word.len() - 1])?, unit))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum EveryUnit {
    Day,
    Week,
    Month,
    Year,
}

impl EveryUnit {
    fn letter(self) -> char {
        match self {
            EveryUnit::Day => 'd',
            EveryUnit::Week => 'w',
            EveryUnit::Month => 'm',
            EveryUnit::Year => 'y',
        }
    }
}

/// A recurrence: every `count` units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Every {
    pub count: u32,
    pub unit: EveryUnit,
}

/// Counts [`parse_every`] and [`Every::from_text`] accept.
const EVERY_COUNTS: std::ops::RangeInclusive<u32> = 1..=999;

impl Every {
    /// The next date after `date` (months clamp to the month's last day: Jan 31 + 1m = Feb 28/29;
    /// years likewise: Feb 29 + 1y = Feb 28).
    ///
    /// Each step starts from the date it is given, so stepping a clamped date again keeps the
    /// clamped day (Jan 31 → Feb 28 → Mar 28); to keep the 31st, step from the original date by a
    /// multiple. A count of 0 (which the parsers never produce) counts as 1, so the result is
    /// always later than `date`; beyond chrono's last representable date it stays at that date.
    pub fn after(&self, date: NaiveDate) -> NaiveDate {
        let count = self.count.max(1);
        let next = match self.unit {
            EveryUnit::Day => date.checked_add_days(Days::new(u64::from(count))),
            EveryUnit::Week => date.checked_add_days(Days::new(u64::from(count) * 7)),
            EveryUnit::Month => date.checked_add_months(Months::new(count)),
            EveryUnit::Year => count
                .checked_mul(12)
                .and_then(|months| date.checked_add_months(Months::new(months))),
        };
        next.unwrap_or(NaiveDate::MAX)
    }

    /// The fewest days one step can span (a month is at least 28 days, a year 365).
    pub fn min_days(&self) -> u32 {
        let count = self.count.max(1);
        match self.unit {
            EveryUnit::Day => count,
            EveryUnit::Week => count.saturating_mul(7),
            EveryUnit::Month => count.saturating_mul(28),
            EveryUnit::Year => count.saturating_mul(365),
        }
    }

    /// Stored/shown form: "2w", "3m", "10d", "1y".
    pub fn to_text(&self) -> String {
        format!("{}{}", self.count, self.unit.letter())
    }

    /// Reads [`Every::to_text`] text back (count 1..=999); anything else is None.
    pub fn from_text(text: &str) -> Option<Every> {
        let (count, unit) = compact(text)?;
        EVERY_COUNTS
            .contains(&count)
            .then_some(Every { count, unit })
    }
}

/// Parses `every 2w`, `2w`, `every 3 months`, `weekly`, `monthly`, `daily`, `yearly`, `fortnightly`;
/// count 1..=999; error = one sentence naming the input and the accepted forms.
///
/// Also accepted: `3 months` without `every`, `every week` (count 1), singular or plural unit
/// words, any case, surrounding spaces ignored.
pub fn parse_every(input: &str) -> Result<Every, String> {
    parse_every_any(input)
        .filter(|every| EVERY_COUNTS.contains(&every.count))
        .ok_or_else(|| {
            format!(
                "recurrence '{input}' is not valid (use 'daily', 'weekly', 'fortnightly', \
                 'monthly', 'yearly', or a count from 1 to 999 of days, weeks, months or years \
                 such as '2w', '10d', 'every 3m' or 'every 3 months')"
            )
        })
}

fn parse_every_any(input: &str) -> Option<Every> {
    let lower = input.trim().to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let every = |count, unit| Some(Every { count, unit });
    match words.as_slice() {
        ["daily"] => every(1, EveryUnit::Day),
        ["weekly"] => every(1, EveryUnit::Week),
        ["fortnightly"] => every(2, EveryUnit::Week),
        ["monthly"] => every(1, EveryUnit::Month),
        ["yearly"] => every(1, EveryUnit::Year),
        ["every", unit] if unit_word(unit).is_some() && !unit.ends_with('s') => {
            every(1, unit_word(unit)?)
        }
        ["every", compact_form] | [compact_form] => {
            let (count, unit) = compact(compact_form)?;
            every(count, unit)
        }
        ["every", count, unit] | [count, unit] => every(count_of(count)?, unit_word(unit)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_after() {
        let every = |count, unit| Every { count, unit };
        let table: &[(Every, &str, &str)] = &[
            (every(1, EveryUnit::Day), "2026-12-31", "2027-01-01"),
            (every(10, EveryUnit::Day), "2026-12-02", "2026-12-12"),
            (every(1, EveryUnit::Week), "2026-12-02", "2026-12-09"),
            (every(2, EveryUnit::Week), "2026-12-25", "2027-01-08"),
            (every(1, EveryUnit::Month), "2026-12-02", "2027-01-02"),
            (every(3, EveryUnit::Month), "2026-11-30", "2027-02-28"),
            // Month-end clamping, leap and common years.
            (every(1, EveryUnit::Month), "2027-01-31", "2027-02-28"),
            (every(1, EveryUnit::Month), "2028-01-31", "2028-02-29"),
            (every(1, EveryUnit::Month), "2026-03-31", "2026-04-30"),
            (every(1, EveryUnit::Month), "2027-02-28", "2027-03-28"),
            (every(13, EveryUnit::Month), "2027-01-31", "2028-02-29"),
            (every(1, EveryUnit::Year), "2028-02-29", "2029-02-28"),
            (every(4, EveryUnit::Year), "2028-02-29", "2032-02-29"),
            (every(1, EveryUnit::Year), "2026-12-02", "2027-12-02"),
            (every(100, EveryUnit::Year), "2000-02-29", "2100-02-28"),
            (every(1, EveryUnit::Day), "2028-02-28", "2028-02-29"),
            // A count of 0 still moves forward.
            (every(0, EveryUnit::Week), "2026-12-02", "2026-12-09"),
        ];
        for (every, from, to) in table {
            // The shortest span a step can have is a lower bound of every real step.
            assert!((d(to) - d(from)).num_days() >= i64::from(every.min_days()));
            assert_eq!(
                every.after(d(from)),
                d(to),
                "{} after {from}",
                every.to_text()
            );
        }
        assert_eq!(
            every(999, EveryUnit::Year).after(NaiveDate::MAX),
            NaiveDate::MAX
        );
    }

    #[test]
    fn every_forms() {
        let every = |count, unit| Every { count, unit };
        let table: &[(&str, Every)] = &[
            ("daily", every(1, EveryUnit::Day)),
            ("weekly", every(1, EveryUnit::Week)),
            ("fortnightly", every(2, EveryUnit::Week)),
            ("monthly", every(1, EveryUnit::Month)),
            ("yearly", every(1, EveryUnit::Year)),
            ("2w", every(2, EveryUnit::Week)),
            ("10d", every(10, EveryUnit::Day)),
            ("3m", every(3, EveryUnit::Month)),
            ("1y", every(1, EveryUnit::Year)),
            ("999d", every(999, EveryUnit::Day)),
            ("every 2w", every(2, EveryUnit::Week)),
            ("every 3 months", every(3, EveryUnit::Month)),
            ("every 1 month", every(1, EveryUnit::Month)),
            ("every 10 days", every(10, EveryUnit::Day)),
            ("every 2 weeks", every(2, EveryUnit::Week)),
            ("every 5 years", every(5, EveryUnit::Year)),
            ("every week", every(1, EveryUnit::Week)),
            ("every day", every(1, EveryUnit::Day)),
            ("3 months", every(3, EveryUnit::Month)),
            ("  Every  2W ", every(2, EveryUnit::Week)),
            ("MONTHLY", every(1, EveryUnit::Month)),
        ];
        for (input, expected) in table {
            assert_eq!(parse_every(input), Ok(*expected), "input {input:?}");
        }
    }

    #[test]
    fn every_rejections() {
        for bad in [
            "",
            "every",
            "0d",
            "every 0 weeks",
            "1000d",
            "every 1000 days",
            "99999999999w",
            "2h",
            "2",
            "w",
            "-2w",
            "every -2 weeks",
            "every weeks",
            "every weekly",
            "weekly 2",
            "biweekly",
            "every 2 fortnights",
            "every other week",
            "every 2w please",
        ] {
            let err = parse_every(bad).unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{bad:?}: {err}");
            for form in [
                "daily",
                "weekly",
                "fortnightly",
                "monthly",
                "yearly",
                "2w",
                "every 3 months",
                "999",
            ] {
                assert!(err.contains(form), "{bad:?}: {err} lacks {form}");
            }
        }
    }

    #[test]
    fn every_text_round_trip() {
        for text in ["1d", "10d", "2w", "3m", "1y", "999y"] {
            let every = Every::from_text(text).unwrap();
            assert_eq!(every.to_text(), text);
            assert_eq!(parse_every(text), Ok(every));
        }
        for bad in ["", "0d", "1000d", "2 w", "every 2w", "weekly", "2x", "+2w"] {
            assert_eq!(Every::from_text(bad), None, "{bad:?}");
        }
    }
}
