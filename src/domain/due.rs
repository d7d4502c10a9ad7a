//! When a follow-up is due, and how it recurs, as users type them.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// When a follow-up is due: a day, optionally a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Due {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl Due {
    /// Stored and JSON form: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM".
    pub fn to_storage(&self) -> String {
        match self.time {
            Some(t) => format!("{}T{}", self.date, t.format("%H:%M")),
            None => self.date.to_string(),
        }
    }

    pub fn from_storage(text: &str) -> Option<Due> {
        let (date, time) = match text.split_once('T') {
            Some((d, t)) => (d, Some(NaiveTime::parse_from_str(t, "%H:%M").ok()?)),
            None => (text, None),
        };
        Some(Due {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?,
            time,
        })
    }
}

impl std::fmt::Display for Due {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.time {
            Some(t) => write!(f, "{} {}", self.date, t.format("%H:%M")),
            None => write!(f, "{}", self.date),
        }
    }
}

/// Parses a due date relative to `today`: `today`, `tomorrow`, a weekday (the next one), `3d`,
/// `2w`, or `YYYY-MM-DD`, each optionally followed by `HH:MM`.
pub fn parse_due(input: &str, today: NaiveDate) -> Result<Due, String> {
    let invalid = || {
        format!(
            "due date '{}' is not understood (use today, tomorrow, a weekday, 3d, 2w or YYYY-MM-DD, optionally with HH:MM)",
            input.trim()
        )
    };
    let lower = input.trim().to_ascii_lowercase();
    // `YYYY-MM-DDTHH:MM`: the ISO separator is a space like the other forms.
    let text = match lower.as_bytes().get(10) {
        Some(b't')
            if lower.as_bytes()[..10]
                .iter()
                .filter(|b| **b == b'-')
                .count()
                == 2 =>
        {
            format!("{} {}", &lower[..10], &lower[11..])
        }
        _ => lower.clone(),
    };
    let (day, time) = match text.rsplit_once(' ') {
        Some((d, t)) if NaiveTime::parse_from_str(t, "%H:%M").is_ok() => (
            d.trim().to_string(),
            NaiveTime::parse_from_str(t, "%H:%M").ok(),
        ),
        _ => (text.clone(), None),
    };
    let date = match day.as_str() {
        "today" => Some(today),
        "tomorrow" => today.succ_opt(),
        _ => None,
    }
    .or_else(|| {
        day.parse::<Weekday>().ok().map(|w| {
            let ahead = (7 + w.num_days_from_monday() as i64
                - today.weekday().num_days_from_monday() as i64
                - 1)
                % 7
                + 1;
            today + Duration::days(ahead)
        })
    })
    .or_else(|| {
        let (n, unit) = day.split_at(day.len().saturating_sub(1));
        let n: i64 = n.parse().ok()?;
        let factor = match unit {
            "d" => 1,
            "w" => 7,
            _ => return None,
        };
        today.checked_add_signed(Duration::try_days(n.checked_mul(factor)?)?)
    })
    .or_else(|| NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok())
    .filter(|d| (0..=9999).contains(&d.year()))
    .ok_or_else(invalid)?;
    Ok(Due { date, time })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EveryUnit {
    Day,
    Week,
    Month,
    Year,
}

/// A recurrence: every `count` units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Every {
    pub count: u32,
    pub unit: EveryUnit,
}

impl Every {
    /// The next date after `date` (months clamp to the month's last day).
    pub fn after(&self, date: NaiveDate) -> NaiveDate {
        let n = self.count.max(1);
        match self.unit {
            EveryUnit::Day => date + Duration::days(i64::from(n)),
            EveryUnit::Week => date + Duration::days(7 * i64::from(n)),
            EveryUnit::Month => date + chrono::Months::new(n),
            EveryUnit::Year => date + chrono::Months::new(12 * n),
        }
    }

    /// Stored/shown form: "2w", "3m", "10d", "1y".
    pub fn to_text(&self) -> String {
        let unit = match self.unit {
            EveryUnit::Day => 'd',
            EveryUnit::Week => 'w',
            EveryUnit::Month => 'm',
            EveryUnit::Year => 'y',
        };
        format!("{}{}", self.count, unit)
    }

    pub fn from_text(text: &str) -> Option<Every> {
        let text = text.trim();
        let unit = match text.chars().last()? {
            'd' => EveryUnit::Day,
            'w' => EveryUnit::Week,
            'm' => EveryUnit::Month,
            'y' => EveryUnit::Year,
            _ => return None,
        };
        let count: u32 = text[..text.len() - 1].parse().ok()?;
        (1..=999).contains(&count).then_some(Every { count, unit })
    }
}

/// Parses `every 2w` or `2w` (d, w, m, y; 1 to 999).
pub fn parse_every(input: &str) -> Result<Every, String> {
    let text = input.trim().to_ascii_lowercase();
    let text = text.strip_prefix("every").unwrap_or(&text).trim();
    Every::from_text(text).ok_or_else(|| {
        format!(
            "recurrence '{}' is not understood (use e.g. every 2w, 10d, 3m or 1y)",
            input.trim()
        )
    })
}
