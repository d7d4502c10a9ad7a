//! The story an overview of the demo tells, besides the seasons (see `season`):
//!
//! - **A big client leaves.** Contact [`BIG_CLIENT`] (C00001) is the business's first client, a
//!   start-up that bought a sizeable design or development project about every six weeks for
//!   two and a half years, one of the biggest clients by revenue. Their last purchase is the one
//!   nearest four months before today (three to five months ago); the next one never came, which
//!   is their hidden churn day, and a fortnight later they called to say they had hired their
//!   own developer. Happy to the end, they give no warning: their silence is the only sign.
//! - **A new service takes off.** AI automation, offered since [`LAUNCHED_DAYS_AGO`] days before
//!   today, is asked for ever more as word spreads: its revenue over the last six months is
//!   several times that of the same months a year before, the business's not even twice.
//!
//! Both are measured back from `today` and hang on a fixed index, so every demo of any size and
//! seed tells them.

use chrono::{Duration, NaiveDate};

use super::catalog::{rhythm, service_index, Group, Persona, Rhythm, AI_AUTOMATION, SERVICES};
use super::occasions::occasions;
use super::profile::Profile;

/// The index of the big client who leaves: the first contact, in every demo.
pub const BIG_CLIENT: usize = 0;
/// When the big client first got in touch: in the business's second month.
const CLIENT_SINCE_DAYS: i64 = 1_040;
/// Their last purchase is the one their rhythm brought nearest this long (four months) before
/// today.
pub const LAST_PURCHASE_DAYS_AGO: i64 = 122;
/// Mid-sized design and development work, at well above list prices for the bigger scope.
const BASKET: [(&str, f64); 5] = [
    ("Website redesign", 0.2),
    ("E-commerce setup", 0.1),
    ("UI/UX design", 0.3),
    ("API integration", 0.25),
    ("Workshop", 0.15),
];
const SPEND: f64 = 2.0;
/// The day the big client tells the freelancer why they stopped, after their churn day.
pub const GOODBYE_AFTER_DAYS: i64 = 14;
pub const GOODBYE: &str =
    "{first} called: they have hired an in-house developer, no new projects planned";

/// The big client's hidden state, in place of what contact [`BIG_CLIENT`] would have drawn
/// (their satisfaction and the time of day they got in touch are kept).
pub fn big_client(drawn: Profile) -> Profile {
    let created_on = drawn.today - Duration::days(CLIENT_SINCE_DAYS);
    let mut item_weights = [0.0; SERVICES.len()];
    for (name, weight) in BASKET {
        item_weights[service_index(name)] = weight;
    }
    let staying = Profile {
        persona: Persona::Regular,
        // Steadier than most regulars: a planned stream of work.
        rhythm: Rhythm {
            cv: 0.15,
            ..rhythm(Persona::Regular)
        },
        sector: Group::Dev,
        created_at: created_on.and_time(drawn.created_at.time()),
        first_purchase: Some(created_on + Duration::days(12)),
        lifetime_days: 0.0, // set below, from the purchases they would have made
        // Happy to the end, and no warning (no cooling before the churn day): the decision was
        // about hiring, not about the work.
        base_satisfaction: drawn.base_satisfaction.max(4.4),
        cooling_days: 1.0,
        mean_interval: 40.0,
        spend: SPEND,
        item_weights,
        retainer: None,
        pro_bono: 0.0, // a start-up is no good cause
        seasonal: true,
        ..drawn
    };
    Profile {
        lifetime_days: days_until_they_leave(&staying),
        ..staying
    }
}

/// Days from the big client's first purchase to the first one they skipped: the one after the
/// purchase of their rhythm nearest [`LAST_PURCHASE_DAYS_AGO`] before today. Nothing cools
/// before they leave, so their purchases until then are the same whenever they leave.
fn days_until_they_leave(p: &Profile) -> f64 {
    let first = p.first_purchase.expect("the big client buys");
    let target = p.today - Duration::days(LAST_PURCHASE_DAYS_AGO);
    let after_today = p.today + Duration::days(1);
    let days: Vec<NaiveDate> = occasions(p, Some(after_today), p.today)
        .iter()
        .map(|o| o.day)
        .collect();
    let last = days
        .iter()
        .min_by_key(|day| (**day - target).num_days().abs())
        .expect("years of purchases");
    let skipped = days.iter().find(|day| *day > last).unwrap_or(&p.today);
    (*skipped - first).num_days() as f64
}

/// The service whose demand grows over the last year and a half.
pub const GROWING_SERVICE: usize = AI_AUTOMATION;
/// When the freelancer started offering it.
pub const LAUNCHED_DAYS_AGO: i64 = 900;

/// How much of its demand of today the growing service had on `day`: none before its launch,
/// then slowly and ever faster as word spreads (with the cube of the time since), all of it
/// from today on.
pub fn demand(day: NaiveDate, today: NaiveDate) -> f64 {
    let since_launch = (day - today).num_days() + LAUNCHED_DAYS_AGO;
    (since_launch as f64 / LAUNCHED_DAYS_AGO as f64)
        .clamp(0.0, 1.0)
        .powi(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_rises_from_the_launch_to_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let ago = |days: i64| demand(today - Duration::days(days), today);
        assert_eq!(ago(LAUNCHED_DAYS_AGO + 30), 0.0);
        assert_eq!(ago(LAUNCHED_DAYS_AGO / 2), 0.125);
        assert_eq!((ago(0), ago(-100)), (1.0, 1.0));
    }

    #[test]
    fn the_big_client_left_after_years_of_buying() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let p = Profile::new(7, BIG_CLIENT, today);
        assert_eq!(p.referrer(7, today), None);
        let churn = p.churn_on(false).unwrap();
        assert!(
            today - churn < Duration::days(LAST_PURCHASE_DAYS_AGO),
            "{churn}"
        );
        assert!(p.first_purchase.unwrap() > p.created_at.date());
        assert!(p.mean_spend() > 800_000, "{}", p.mean_spend());
    }
}
