//! Plain-words descriptions of a client's churn features, as shown beside a churn figure.

use crate::domain::money::format_amount;
use crate::domain::text::plural;

use super::features::{Features, RECENT_DAYS};

fn recency_text(f: &Features) -> String {
    let r = f.recency_days.unwrap_or(0);
    match f.interval_mean {
        Some(i) => format!(
            "no purchase for {}, usually every {}",
            plural(r, "day", "days"),
            i.round() as i64
        ),
        None if r == 0 => "first and only purchase today".to_string(),
        None => format!("only purchase {} ago", plural(r, "day", "days")),
    }
}

/// Text for a model feature group (see `churn::FEATURE_NAMES`).
pub fn describe(key: &str, f: &Features, horizon_days: u32) -> String {
    match key {
        "recency" | "rhythm" => recency_text(f),
        "frequency" | "one_time" if f.is_one_time() => format!(
            "bought only once; one-time buyers often do not return within {} days",
            horizon_days
        ),
        "frequency" | "one_time" => format!(
            "bought on {}",
            plural(i64::from(f.frequency), "day", "days")
        ),
        "monetary" => format!("spent {} in total", format_amount(f.monetary, false)),
        "tenure" => match f.tenure_days.unwrap_or(0) {
            t if t >= 730 => format!("client for {} years", t / 365),
            t => format!("client for {}", plural(t, "day", "days")),
        },
        "satisfaction" => match f.satisfaction {
            Some(s) => format!("satisfaction {:.0}%", s * 100.0),
            None => "no feedback yet".to_string(),
        },
        "interactions" => match f.recent_touches() + f.recent_feedback + f.recent_purchase_days {
            0 => format!(
                "no purchases, calls, emails, meetings or feedback in {} days",
                RECENT_DAYS
            ),
            1 => format!(
                "only one purchase, call, email, meeting or feedback in {} days",
                RECENT_DAYS
            ),
            n => format!(
                "{} purchases, calls, emails, meetings or feedback in {} days",
                n, RECENT_DAYS
            ),
        },
        other => other.to_string(),
    }
}

/// Text of the stated rule, saying that it is the rule.
pub fn rule_text(f: &Features, horizon_days: u32) -> String {
    if f.is_lead() {
        let ago = |d: chrono::NaiveDate| plural((f.as_of - d).num_days().max(0), "day", "days");
        let state = match (f.last_activity, f.created_on) {
            (Some(d), _) => format!("lead without a purchase; last contact {} ago", ago(d)),
            (None, Some(d)) => format!(
                "lead without a purchase; added {} ago, no contact since",
                ago(d)
            ),
            (None, None) => "lead without a purchase or any contact yet".to_string(),
        };
        return format!(
            "{} (rule: silence against a {}-day horizon)",
            state, horizon_days
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::{ContactHistory, PurchaseEvent};
    use crate::scoring::features::features;
    use chrono::NaiveDate;

    #[test]
    fn texts_describe_the_client() {
        let day = |n| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n);
        let buy = |n| PurchaseEvent {
            date: day(n),
            amount: 120_050,
            item: None,
        };
        let once = ContactHistory {
            purchases: vec![buy(0)],
            ..Default::default()
        };
        let f = features(&once, day(40), &Config::default());
        assert_eq!(describe("recency", &f, 90), "only purchase 40 days ago");
        assert!(describe("one_time", &f, 90).starts_with("bought only once"));
        assert_eq!(describe("monetary", &f, 90), "spent 1,200.50 in total");
        assert!(rule_text(&f, 90).contains("against the churn horizon"));
        let twice = ContactHistory {
            purchases: vec![buy(0), buy(30)],
            ..Default::default()
        };
        let f = features(&twice, day(124), &Config::default());
        assert_eq!(
            describe("rhythm", &f, 90),
            "no purchase for 94 days, usually every 30"
        );
        assert_eq!(describe("frequency", &f, 90), "bought on 2 days");
        assert_eq!(
            describe("interactions", &f, 90),
            "no purchases, calls, emails, meetings or feedback in 90 days"
        );
        let lead = features(&ContactHistory::default(), day(0), &Config::default());
        assert!(
            rule_text(&lead, 90).starts_with("lead without a purchase or any contact yet (rule")
        );
    }
}
