//! The freelancer's year: clients commission most work in spring and autumn, little in August
//! and over the holidays. Project work runs on "business time", which passes at the season's
//! rate: a gap of 30 business days that starts in late July ends well into September. New
//! contacts arrive at the same rate. Both keep their mean over a whole year, so a client's
//! rhythm averages out to what their profile says.

use chrono::{Datelike, Duration, NaiveDate};

/// A part of the year: its first day (month, day) and how busy it is relative to the mean.
struct Period {
    starts: (u32, u32),
    rate: f64,
}

const fn period(month: u32, day: u32, rate: f64) -> Period {
    Period {
        starts: (month, day),
        rate,
    }
}

/// In calendar order from 1 January; the rates average 1.0 over the year (within 0.1 %).
const YEAR: [Period; 14] = [
    period(1, 1, 0.25), // offices closed until Epiphany
    period(1, 7, 0.9),
    period(2, 1, 1.05),
    period(3, 1, 1.2), // spring: budgets approved, sites relaunched
    period(4, 1, 1.2),
    period(5, 1, 1.15),
    period(6, 1, 1.05),
    period(7, 1, 0.8),
    period(8, 1, 0.1),  // summer holidays: the freelancer's own, and their clients'
    period(9, 1, 1.45), // back from holiday: the autumn rush
    period(10, 1, 1.35),
    period(11, 1, 1.2),
    period(12, 1, 1.0),
    period(12, 20, 0.25), // the holidays
];

/// The busiest rate of the year, for thinning arrivals.
pub const PEAK: f64 = 1.45;

/// The position in [`YEAR`] of the period holding `day`.
fn period_of(day: NaiveDate) -> usize {
    let at = (day.month(), day.day());
    YEAR.iter()
        .rposition(|p| p.starts <= at)
        .expect("the year's first period starts on 1 January")
}

/// How busy `day` is relative to the year's mean.
pub fn rate(day: NaiveDate) -> f64 {
    YEAR[period_of(day)].rate
}

/// The first day after the period holding `day`.
fn period_end(day: NaiveDate) -> NaiveDate {
    let (year, (month, first)) = match YEAR.get(period_of(day) + 1) {
        Some(next) => (day.year(), next.starts),
        None => (day.year() + 1, (1, 1)),
    };
    NaiveDate::from_ymd_opt(year, month, first).expect("periods start on real days")
}

/// The day `business_days` of business time after `from` (rounded to whole days).
pub fn after(from: NaiveDate, business_days: f64) -> NaiveDate {
    let (mut day, mut left) = (from, business_days.max(0.0));
    loop {
        let (rate, end) = (rate(day), period_end(day));
        let room = (end - day).num_days() as f64 * rate;
        if left < room {
            return day + Duration::days((left / rate).round() as i64);
        }
        left -= room;
        day = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_year_of_business_time_is_about_a_calendar_year() {
        let start = day(2025, 1, 1);
        let days = (start.iter_days().take(365).map(rate).sum::<f64>() - 365.0).abs();
        assert!(days < 0.5, "{days}");
        let year_later = after(start, 365.0);
        assert!(
            (year_later - day(2026, 1, 1)).num_days().abs() <= 1,
            "{year_later}"
        );
        assert!(YEAR.iter().all(|p| p.rate <= PEAK));
    }

    #[test]
    fn work_waits_for_the_holidays_to_end() {
        // A calendar month in spring, more than one across August or the New Year.
        assert_eq!(after(day(2025, 4, 1), 36.0), day(2025, 5, 1));
        assert_eq!(after(day(2025, 7, 25), 30.0), day(2025, 9, 16));
        assert_eq!(after(day(2025, 12, 18), 10.0), day(2026, 1, 11));
        assert_eq!(after(day(2025, 4, 1), 0.0), day(2025, 4, 1));
        assert!(rate(day(2024, 8, 15)) < rate(day(2024, 10, 15)));
        assert_eq!(rate(day(2024, 12, 31)), rate(day(2025, 1, 3)));
    }
}
