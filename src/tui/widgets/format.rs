//! How numbers, dates and entries read in tables; "—" wherever there is nothing (yet).

use chrono::NaiveDateTime;

use super::text::safe;
use crate::domain::money::{format_amount, format_major};
use crate::domain::{dates, Interaction, InteractionKind};

pub const NONE: &str = "—";

pub fn percent(p: f64) -> String {
    crate::domain::scores::percent(p)
}

pub fn opt_percent(p: Option<f64>) -> String {
    p.map(percent).unwrap_or_else(|| NONE.into())
}

/// A (fractional) major-unit value such as a CLV: `2,487`.
pub fn major(value: f64) -> String {
    format_major(value)
}

/// `1234` → `1.2k`, `24680` → `24k`, `2468000` → `2.4M` (cut, not rounded, so never a digit
/// more): at most four columns below a billion, for narrow bars and sparkline labels.
pub fn short(n: u64) -> String {
    let tenths = |unit: u64| format!("{}.{}", n / unit, n % unit * 10 / unit);
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{}k", tenths(1_000)),
        10_000..=999_999 => format!("{}k", n / 1_000),
        1_000_000..=9_999_999 => format!("{}M", tenths(1_000_000)),
        _ => format!("{}M", n / 1_000_000),
    }
}

/// Days as `94d`.
pub fn days(d: Option<i64>) -> String {
    d.map(|d| format!("{}d", d)).unwrap_or_else(|| NONE.into())
}

pub fn date(at: Option<NaiveDateTime>) -> String {
    at.map(|a| a.date().to_string())
        .unwrap_or_else(|| NONE.into())
}

pub fn when(at: NaiveDateTime) -> String {
    dates::display(at)
}

/// What an entry was: the summary, the amount and item of a purchase, the stars of feedback.
pub fn what(interaction: &Interaction, currency: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    match interaction.kind {
        InteractionKind::Purchase => {
            if let Some(amount) = interaction.amount {
                parts.push(format!("{} {}", format_amount(amount, false), currency));
            }
            if let Some(item) = &interaction.item {
                parts.push(safe(item));
            }
        }
        InteractionKind::Feedback => {
            let stars: Vec<String> = interaction
                .ratings
                .iter()
                .map(|r| format!("{} {}", safe(&r.dimension), r.stars))
                .collect();
            if !stars.is_empty() {
                parts.push(stars.join(" "));
            }
        }
        _ => {}
    }
    if let Some(summary) = &interaction.summary {
        parts.push(safe(summary));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn short_numbers_keep_two_or_three_digits() {
        let shown: Vec<String> = [7, 1_234, 9_999, 99_999, 2_468_000, 123_456_789]
            .into_iter()
            .map(short)
            .collect();
        assert_eq!(shown, ["7", "1.2k", "9.9k", "99k", "2.4M", "123M"]);
    }
}
