//! Calendar periods the overview reports by: months, quarters and years.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// How long one period of a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    #[default]
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 3] = [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year];

    fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }

    /// The next longer kind, back to months after years (the TUI's period key cycles).
    pub fn cycle(self) -> PeriodKind {
        match self {
            PeriodKind::Month => PeriodKind::Quarter,
            PeriodKind::Quarter => PeriodKind::Year,
            PeriodKind::Year => PeriodKind::Month,
        }
    }
}

/// One calendar period: a month, quarter or year, named by its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    pub start: NaiveDate,
}

impl Period {
    /// The period of `kind` that holds `day`.
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Period {
        let month0 = day.month0() / kind.months() * kind.months();
        let start = NaiveDate::from_ymd_opt(day.year(), month0 + 1, 1).expect("first of a month");
        Period { kind, start }
    }

    /// The first day after the period.
    pub fn end_exclusive(self) -> NaiveDate {
        self.start + Months::new(self.kind.months())
    }

    /// The period's last day.
    pub fn last_day(self) -> NaiveDate {
        self.end_exclusive().pred_opt().expect("a day before")
    }

    pub fn next(self) -> Period {
        Period {
            start: self.end_exclusive(),
            ..self
        }
    }

    pub fn previous(self) -> Period {
        Period {
            start: self.start - Months::new(self.kind.months()),
            ..self
        }
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.start <= day && day < self.end_exclusive()
    }

    /// While `today` falls inside the period before its last day: which day of the period it is
    /// and how many days the period has, `(2, 31)` on 2 December for December.
    pub fn running(self, today: NaiveDate) -> Option<(i64, i64)> {
        let last = self.last_day();
        (self.contains(today) && today < last).then(|| {
            (
                (today - self.start).num_days() + 1,
                (last - self.start).num_days() + 1,
            )
        })
    }

    /// The label, saying so while the period is still running: `2026-12 so far (day 2 of 31)`.
    pub fn label_so_far(self, today: NaiveDate) -> String {
        match self.running(today) {
            Some((day, days)) => format!("{} so far (day {day} of {days})", self.label()),
            None => self.label(),
        }
    }

    /// `2026-11`, `2026-Q4` or `2026`.
    pub fn label(self) -> String {
        match self.kind {
            PeriodKind::Month => self.start.format("%Y-%m").to_string(),
            PeriodKind::Quarter => {
                format!("{}-Q{}", self.start.year(), self.start.month0() / 3 + 1)
            }
            PeriodKind::Year => self.start.year().to_string(),
        }
    }

    /// Every period from the one holding `from` to the one holding `to`, in order.
    pub fn range(kind: PeriodKind, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
        let last = Period::containing(kind, to);
        let mut at = Period::containing(kind, from);
        let mut out = Vec::new();
        while at <= last {
            out.push(at);
            at = at.next();
        }
        out
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_hold_their_days_and_step_across_year_ends() {
        let nov = Period::containing(PeriodKind::Month, day(2026, 11, 30));
        assert_eq!(
            (nov.label(), nov.last_day()),
            ("2026-11".into(), day(2026, 11, 30))
        );
        assert_eq!(nov.next().next().label(), "2027-01");
        let q = Period::containing(PeriodKind::Quarter, day(2026, 11, 2));
        assert_eq!(
            (q.label(), q.start, q.last_day()),
            ("2026-Q4".into(), day(2026, 10, 1), day(2026, 12, 31))
        );
        assert_eq!(q.previous().label(), "2026-Q3");
        assert_eq!(
            Period::containing(PeriodKind::Year, day(2024, 2, 29)).label(),
            "2024"
        );
        assert!(q.contains(day(2026, 12, 31)) && !q.contains(day(2027, 1, 1)));
        let months = Period::range(PeriodKind::Month, day(2025, 11, 20), day(2026, 2, 1));
        let labels: Vec<String> = months.iter().map(|p| p.label()).collect();
        assert_eq!(labels, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert!(Period::range(PeriodKind::Month, day(2026, 3, 1), day(2026, 2, 1)).is_empty());
    }

    #[test]
    fn a_running_period_says_which_day_it_is() {
        let dec = Period::containing(PeriodKind::Month, day(2026, 12, 2));
        assert_eq!(dec.running(day(2026, 12, 2)), Some((2, 31)));
        assert_eq!(
            dec.label_so_far(day(2026, 12, 2)),
            "2026-12 so far (day 2 of 31)"
        );
        // Its last day completes it; another period's day is not inside it.
        assert_eq!(dec.label_so_far(day(2026, 12, 31)), "2026-12");
        assert_eq!(dec.running(day(2027, 1, 5)), None);
        let q4 = Period::containing(PeriodKind::Quarter, day(2026, 11, 23));
        assert_eq!(q4.running(day(2026, 11, 23)), Some((54, 92)));
    }
}
