//! Plain-words descriptions of a client's churn features, as shown beside a churn figure.

use crate::domain::money::format_amount;
use crate::domain::text::plural;

use super::features::{Features, RECENT_DAYS};
use super::rhythm::Window;

fn recency_text(f: &Features, window: &Window) -> String {
    let r = f.recency_days.unwrap_or(0);
    match f.interval_mean {
        Some(i) => format!(
            "no purchase for {}, usually every {}",
            plural(r, "day", "days"),
            i.round() as i64
        ),
        None if r == 0 => "first and only purchase today".to_string(),
        None => format!(
            "only purchase {} ago; clients here usually buy every {} days",
            plural(r, "day", "days"),
            window.rhythm.typical_interval_days.round() as i64
        ),
    }
}

/// Text for a model feature group (see `churn::FEATURE_NAMES`), said as a reason for risk: each
/// is only listed when it pushes this client's churn above an average client's.
pub fn describe(key: &str, f: &Features, window: &Window) -> String {
    match key {
        "recency" | "rhythm" => recency_text(f, window),
        "frequency" | "one_time" if f.is_one_time() => {
            "bought only once; one-time buyers often do not come back".to_string()
        }
        "frequency" | "one_time" => format!(
            "only {} of buying so far",
            plural(i64::from(f.frequency), "purchase day", "purchase days")
        ),
        "monetary" => format!("spent only {} in total", format_amount(f.monetary, false)),
        // Tenure raises risk when the fit finds that older relationships lapse more: said as
        // what it is, a long relationship without more frequent buying.
        "tenure" if f.is_one_time() => format!(
            "first and only purchase {} ago",
            plural(f.tenure_days.unwrap_or(0), "day", "days")
        ),
        "tenure" => {
            let t = f.tenure_days.unwrap_or(0);
            let since = if t >= 730 {
                format!("{} years", t / 365)
            } else {
                plural(t, "day", "days")
            };
            format!(
                "first purchase {} ago and {} since",
                since,
                plural(i64::from(f.frequency), "purchase day", "purchase days")
            )
        }
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

/// The reason given when nothing about a client is worse than average and churn is still high:
/// the base rate speaks.
pub fn window_text(f: &Features, window: &Window, probability: f64) -> String {
    format!(
        "{}; {:.0}% of clients like this buy nothing within {} days",
        recency_text(f, window),
        probability * 100.0,
        window.days(f)
    )
}

/// Text of the stated rule, saying that it is the rule.
pub fn rule_text(f: &Features, window: &Window) -> String {
    let basis = if f.interval_mean.is_some() {
        "their usual interval"
    } else {
        "the business's usual interval"
    };
    format!(
        "{} (rule: recency against {}; no fitted model)",
        recency_text(f, window),
        basis
    )
}

/// Where a lead stands against the follow-up cadence: what matters before a first purchase.
pub fn lead_text(f: &Features, cadence_days: u32) -> String {
    let ago = |d: chrono::NaiveDate| (f.as_of - d).num_days().max(0);
    let (since, what) = match (f.last_activity, f.created_on) {
        (Some(d), _) => (ago(d), "last contact"),
        (None, Some(d)) => (ago(d), "added, no contact since,"),
        (None, None) => return "lead without any contact yet".to_string(),
    };
    let cadence = i64::from(cadence_days);
    let due = if since >= cadence {
        format!(
            "follow-up overdue by {}",
            plural(since - cadence, "day", "days")
        )
    } else {
        format!(
            "follow-up due in {}",
            plural(cadence - since, "day", "days")
        )
    };
    format!(
        "lead: {} {} ago; {} (every {} days)",
        what,
        plural(since, "day", "days"),
        due,
        cadence
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::{ContactHistory, PurchaseEvent};
    use crate::scoring::features::features;
    use crate::scoring::rhythm::Rhythm;
    use chrono::NaiveDate;

    #[test]
    fn texts_describe_the_client() {
        let day = |n| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n);
        let buy = |n| PurchaseEvent {
            date: day(n),
            amount: 120_050,
            item: None,
        };
        let window = Window::new(
            &Config::default().churn,
            Rhythm {
                typical_interval_days: 135.0,
                repeat_buyers: 40,
            },
        );
        let once = ContactHistory {
            purchases: vec![buy(0)],
            ..Default::default()
        };
        let f = features(&once, day(40), &Config::default());
        assert_eq!(
            describe("recency", &f, &window),
            "only purchase 40 days ago; clients here usually buy every 135 days"
        );
        assert!(describe("one_time", &f, &window).starts_with("bought only once"));
        assert_eq!(
            describe("tenure", &f, &window),
            "first and only purchase 40 days ago"
        );
        assert_eq!(
            describe("monetary", &f, &window),
            "spent only 1,200.50 in total"
        );
        assert!(rule_text(&f, &window).contains("against the business's usual interval"));
        let twice = ContactHistory {
            purchases: vec![buy(0), buy(30)],
            ..Default::default()
        };
        let f = features(&twice, day(124), &Config::default());
        assert_eq!(
            describe("rhythm", &f, &window),
            "no purchase for 94 days, usually every 30"
        );
        assert_eq!(
            describe("frequency", &f, &window),
            "only 2 purchase days of buying so far"
        );
        assert_eq!(
            describe("tenure", &f, &window),
            "first purchase 124 days ago and 2 purchase days since"
        );
        assert_eq!(
            describe("interactions", &f, &window),
            "no purchases, calls, emails, meetings or feedback in 90 days"
        );
        // Rhythm (30 + 135) / 2 = 82.5 days, window 1.5 × 82.5 → 124 days.
        assert_eq!(
            window_text(&f, &window, 0.59),
            "no purchase for 94 days, usually every 30; 59% of clients like this buy nothing within 124 days"
        );
    }

    #[test]
    fn leads_are_told_against_the_follow_up_cadence() {
        let day = |n| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n);
        let mut h = ContactHistory {
            created_on: Some(day(0)),
            ..Default::default()
        };
        let f = features(&h, day(10), &Config::default());
        assert_eq!(
            lead_text(&f, 14),
            "lead: added, no contact since, 10 days ago; follow-up due in 4 days (every 14 days)"
        );
        h.touches.push(crate::domain::TouchEvent {
            date: day(3),
            kind: crate::domain::InteractionKind::Call,
        });
        let f = features(&h, day(20), &Config::default());
        assert_eq!(
            lead_text(&f, 14),
            "lead: last contact 17 days ago; follow-up overdue by 3 days (every 14 days)"
        );
        let nobody = features(&ContactHistory::default(), day(0), &Config::default());
        assert_eq!(lead_text(&nobody, 14), "lead without any contact yet");
    }
}
