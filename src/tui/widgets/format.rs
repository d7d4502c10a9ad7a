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
