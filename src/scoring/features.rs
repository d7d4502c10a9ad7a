//! A contact's behaviour summarised as of a date. Only events on or before that date count, so the
//! same function builds training rows (as of the cutoff) and scoring rows (as of today).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::domain::{ContactHistory, InteractionKind, PurchaseEvent};

use super::satisfaction::satisfaction;

/// "Recent" calls, emails, meetings and feedback: the 90 days ending on the as-of date.
pub const RECENT_DAYS: i64 = 90;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Features {
    pub as_of: NaiveDate,
    pub first_purchase: Option<NaiveDate>,
    pub last_purchase: Option<NaiveDate>,
    /// Days since the last purchase day.
    pub recency_days: Option<i64>,
    /// Distinct purchase days (several purchases on one day are one visit).
    pub frequency: u32,
    /// Purchase events, zero-amount ones included.
    pub purchases: u32,
    /// Total spent, minor units.
    pub monetary: i64,
    /// Mean spend per purchase day, minor units.
    pub avg_spend: f64,
    /// Days since the first purchase.
    pub tenure_days: Option<i64>,
    /// Mean and population spread of the days between consecutive purchase days (≥ 2 days).
    pub interval_mean: Option<f64>,
    pub interval_std: Option<f64>,
    /// Days since last purchase / usual interval: 1.0 means "due now".
    pub relative_recency: Option<f64>,
    pub recent_calls: u32,
    pub recent_emails: u32,
    pub recent_meetings: u32,
    pub recent_feedback: u32,
    /// Purchase days in the recent window.
    pub recent_purchase_days: u32,
    pub satisfaction: Option<f64>,
    pub referrals_made: u32,
    /// Last dated event of any kind (purchase, feedback, touch); for leads going cold.
    pub last_activity: Option<NaiveDate>,
    pub created_on: Option<NaiveDate>,
}

impl Features {
    pub fn is_lead(&self) -> bool {
        self.frequency == 0
    }

    pub fn is_one_time(&self) -> bool {
        self.frequency == 1
    }

    /// Calls, emails and meetings in the recent window.
    pub fn recent_touches(&self) -> u32 {
        self.recent_calls + self.recent_emails + self.recent_meetings
    }
}

/// Streaming summary of purchase days; expects dates in ascending order.
#[derive(Default)]
struct DayStats {
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    days: u32,
    // Welford accumulators over the gaps between purchase days.
    gap_mean: f64,
    gap_m2: f64,
}

impl DayStats {
    fn push(&mut self, date: NaiveDate) {
        match self.last {
            Some(last) if last == date => return,
            Some(last) => {
                let gap = (date - last).num_days() as f64;
                let n = f64::from(self.days); // gaps seen so far + 1
                let delta = gap - self.gap_mean;
                self.gap_mean += delta / n;
                self.gap_m2 += delta * (gap - self.gap_mean);
            }
            None => self.first = Some(date),
        }
        self.last = Some(date);
        self.days += 1;
    }
}

fn day_stats(purchases: &[PurchaseEvent], as_of: NaiveDate) -> DayStats {
    let sorted = purchases.windows(2).all(|w| w[0].date <= w[1].date);
    let mut stats = DayStats::default();
    if sorted {
        purchases
            .iter()
            .filter(|p| p.date <= as_of)
            .for_each(|p| stats.push(p.date));
    } else {
        // Histories are documented as date-ordered; stay correct if one is not.
        let mut dates: Vec<NaiveDate> = purchases
            .iter()
            .map(|p| p.date)
            .filter(|d| *d <= as_of)
            .collect();
        dates.sort_unstable();
        dates.into_iter().for_each(|d| stats.push(d));
    }
    stats
}

/// Distinct purchase days for which `is_recent` holds.
fn recent_days(
    purchases: &[PurchaseEvent],
    as_of: NaiveDate,
    is_recent: impl Fn(NaiveDate) -> bool,
) -> u32 {
    let mut count = 0;
    let mut previous = None;
    for p in purchases
        .iter()
        .filter(|p| p.date <= as_of && is_recent(p.date))
    {
        if previous != Some(p.date) {
            count += 1;
            previous = Some(p.date);
        }
    }
    count
}

/// The feature vector of one contact as of `as_of`; cost is linear in that contact's history.
pub fn features(history: &ContactHistory, as_of: NaiveDate, cfg: &Config) -> Features {
    let days = day_stats(&history.purchases, as_of);
    let (mut purchases, mut monetary) = (0u32, 0i64);
    for p in history.purchases.iter().filter(|p| p.date <= as_of) {
        purchases += 1;
        monetary = monetary.saturating_add(p.amount.max(0));
    }
    let is_recent = |d: NaiveDate| d <= as_of && (as_of - d).num_days() < RECENT_DAYS;
    let (mut calls, mut emails, mut meetings) = (0, 0, 0);
    let mut last_activity = days.last;
    for t in history.touches.iter().filter(|t| t.date <= as_of) {
        last_activity = last_activity.max(Some(t.date));
        if is_recent(t.date) {
            match t.kind {
                InteractionKind::Call => calls += 1,
                InteractionKind::Email => emails += 1,
                InteractionKind::Meeting => meetings += 1,
                _ => {}
            }
        }
    }
    let mut recent_feedback = 0;
    for f in history.feedback.iter().filter(|f| f.date <= as_of) {
        last_activity = last_activity.max(Some(f.date));
        recent_feedback += u32::from(is_recent(f.date));
    }
    let recent_purchase_days = recent_days(&history.purchases, as_of, is_recent);
    let recency_days = days.last.map(|d| (as_of - d).num_days());
    let interval_mean = (days.days >= 2).then_some(days.gap_mean);
    let interval_std =
        (days.days >= 2).then(|| (days.gap_m2 / f64::from(days.days - 1)).max(0.0).sqrt());
    Features {
        as_of,
        first_purchase: days.first,
        last_purchase: days.last,
        recency_days,
        frequency: days.days,
        purchases,
        monetary,
        avg_spend: if days.days > 0 {
            monetary as f64 / f64::from(days.days)
        } else {
            0.0
        },
        tenure_days: days.first.map(|d| (as_of - d).num_days()),
        interval_mean,
        interval_std,
        relative_recency: match (recency_days, interval_mean) {
            (Some(r), Some(i)) if i > 0.0 => Some(r as f64 / i),
            _ => None,
        },
        recent_calls: calls,
        recent_emails: emails,
        recent_meetings: meetings,
        recent_feedback,
        recent_purchase_days,
        satisfaction: satisfaction(&history.feedback, as_of, &cfg.feedback),
        referrals_made: history.referrals.iter().filter(|d| **d <= as_of).count() as u32,
        last_activity,
        created_on: history.created_on,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TouchEvent;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(n)
    }

    fn buy(n: i64, amount: i64) -> PurchaseEvent {
        PurchaseEvent {
            date: day(n),
            amount,
            item: None,
        }
    }

    #[test]
    fn same_day_purchases_are_one_day_and_zero_amounts_count() {
        let h = ContactHistory {
            contact_id: 1,
            purchases: vec![
                buy(0, 100),
                buy(0, 0),
                buy(30, 200),
                buy(90, 0),
                buy(200, 999),
            ],
            touches: vec![
                TouchEvent {
                    date: day(50),
                    kind: InteractionKind::Call,
                },
                TouchEvent {
                    date: day(100),
                    kind: InteractionKind::Email,
                },
                TouchEvent {
                    date: day(101),
                    kind: InteractionKind::Note,
                },
            ],
            ..Default::default()
        };
        let f = features(&h, day(120), &Config::default());
        assert_eq!((f.frequency, f.purchases, f.monetary), (3, 4, 300));
        assert_eq!(f.recency_days, Some(30));
        assert_eq!(f.tenure_days, Some(120));
        assert_eq!(f.interval_mean, Some(45.0)); // gaps 30 and 60
        assert_eq!(f.interval_std, Some(15.0));
        assert_eq!(f.relative_recency, Some(30.0 / 45.0));
        assert_eq!(f.avg_spend, 100.0);
        // Day 50 is 70 days back (recent), the note is not a touch, day 200 is in the future.
        assert_eq!(
            (f.recent_calls, f.recent_emails, f.recent_touches()),
            (1, 1, 2)
        );
        assert_eq!(f.last_activity, Some(day(101)));
    }

    #[test]
    fn unsorted_history_gives_the_same_features() {
        let sorted = ContactHistory {
            purchases: vec![buy(0, 1), buy(10, 2), buy(40, 3)],
            ..Default::default()
        };
        let mut shuffled = sorted.clone();
        shuffled.purchases.reverse();
        let cfg = Config::default();
        assert_eq!(
            features(&sorted, day(50), &cfg),
            features(&shuffled, day(50), &cfg)
        );
    }

    #[test]
    fn a_referral_counts_from_the_day_the_referred_contact_was_added() {
        let h = ContactHistory {
            referrals: vec![day(10), day(40)],
            ..Default::default()
        };
        let cfg = Config::default();
        assert_eq!(features(&h, day(5), &cfg).referrals_made, 0);
        assert_eq!(features(&h, day(10), &cfg).referrals_made, 1);
        assert_eq!(features(&h, day(50), &cfg).referrals_made, 2);
    }

    #[test]
    fn lead_has_no_purchase_figures() {
        let f = features(&ContactHistory::default(), day(0), &Config::default());
        assert!(f.is_lead());
        assert_eq!(
            (f.recency_days, f.tenure_days, f.interval_mean),
            (None, None, None)
        );
    }
}
