//! Plain-words descriptions of a client's churn features, as shown beside a churn figure.

use crate::domain::money::format_amount;

use super::features::{Features, RECENT_DAYS};

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", n, if n == 1 { one } else { many })
}

fn recency_text(f: &Features) -> String {
    let r = f.recency_days.unwrap_or(0);
    match f.interval_mean {
        Some(i) => format!(
            "no purchase for {}, usually every {}",
            plural(r, "day", "days"),
            i.round() as i64
        ),
        None if r == 0 => "first and only purchase today".to_string(),
        None => format!(
            "no purchase for {} since the first one",
            plural(r, "day", "days")
        ),
    }
}

/// Text for a model feature group (see `churn::FEATURE_NAMES`; `rhythm` is part of `recency`).
pub fn describe(key: &str, f: &Features, horizon_days: u32) -> String {
    match key {
        "recency" | "rhythm" => recency_text(f),
        "frequency" => format!(
            "bought on {}",
            plural(i64::from(f.frequency), "day", "days")
        ),
        "monetary" => format!("spent {} in total", format_amount(f.monetary, false)),
        "tenure" => match f.tenure_days.unwrap_or(0) {
            t if t >= 730 => format!("client for {} years", t / 365),
            t => format!("client for {}", plural(t, "day", "days")),
        },
        "one_time" if f.is_one_time() => {
            format!(
                "bought only once; one-time buyers often do not return within {} days",
                horizon_days
            )
        }
        "one_time" => format!("has bought on {} days", f.frequency),
        "satisfaction" => match f.satisfaction {
            Some(s) => format!("satisfaction {:.0}%", s * 100.0),
            None => "no feedback yet".to_string(),
        },
        "interactions" => match f.recent_touches() + f.recent_feedback {
            0 => format!(
                "no calls, emails, meetings or feedback in {} days",
                RECENT_DAYS
            ),
            n => format!(
                "{} calls, emails, meetings or feedback in {} days",
                n, RECENT_DAYS
            ),
        },
        other => other.to_string(),
    }
}

/// Text of the stated rule, saying that it is the rule.
pub fn rule_text(f: &Features, horizon_days: u32) -> String {
    if f.is_lead() {
        let since = f.last_activity.or(f.created_on).unwrap_or(f.as_of);
        let days = (f.as_of - since).num_days();
        return format!(
            "lead without a purchase; last contact {} ago (rule: silence against a {}-day horizon)",
            plural(days, "day", "days"),
            horizon_days
        );
    }
    let basis = if f.interval_mean.is_some() {
        "their usual interval"
    } else {
        "the churn horizon"
    };
    format!(
        "{} (rule: recency against {}; no fitted model)",
        recency_text(f),
        basis
    )
}
