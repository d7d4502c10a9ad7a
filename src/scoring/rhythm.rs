//! The business's rhythm and each client's: how long a client usually goes between purchases, and
//! so how long a silence has to be before it means something. Churn windows and lifecycle stages
//! are measured in these units rather than in fixed day counts, so a client who buys twice a year
//! is not "at risk" a month after buying, and a shop whose clients come back weekly sees a lapse
//! within weeks.

use serde::{Deserialize, Serialize};

use crate::config::ChurnConfig;

use super::exact;
use super::features::Features;

/// Used when too few clients have bought twice to learn a typical interval.
pub const FALLBACK_INTERVAL_DAYS: f64 = 90.0;
/// Fewer repeat buyers than this and the fallback interval is used.
pub const MIN_REPEAT_BUYERS: usize = 5;
/// How many intervals of the business's typical rhythm a client's own mean counts against:
/// one observed gap is a noisy estimate, so a client with one gap is half their own and half the
/// business's rhythm, one with nine gaps 90 % their own.
const PRIOR_GAPS: f64 = 1.0;

/// What a refit learns about the business's rhythm, stored with the models.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rhythm {
    /// Median over repeat buyers of their mean days between purchase days.
    #[serde(with = "exact::num")]
    pub typical_interval_days: f64,
    /// Clients with at least two purchase days it was learnt from.
    pub repeat_buyers: usize,
}

impl Default for Rhythm {
    fn default() -> Self {
        Rhythm {
            typical_interval_days: FALLBACK_INTERVAL_DAYS,
            repeat_buyers: 0,
        }
    }
}

impl Rhythm {
    /// Learns the typical interval from (mean interval, purchase days) of every buyer; clients
    /// with fewer than two purchase days say nothing about it.
    pub fn learn(buyers: impl IntoIterator<Item = (Option<f64>, u32)>) -> Rhythm {
        let mut means: Vec<f64> = buyers
            .into_iter()
            .filter(|(_, days)| *days >= 2)
            .filter_map(|(mean, _)| mean.filter(|m| m.is_finite() && *m > 0.0))
            .collect();
        if means.len() < MIN_REPEAT_BUYERS {
            return Rhythm {
                repeat_buyers: means.len(),
                ..Rhythm::default()
            };
        }
        means.sort_by(f64::total_cmp);
        let n = means.len();
        let median = if n % 2 == 1 {
            means[n / 2]
        } else {
            (means[n / 2 - 1] + means[n / 2]) / 2.0
        };
        Rhythm {
            typical_interval_days: median.max(1.0),
            repeat_buyers: n,
        }
    }

    /// Learns from purchase-day summaries: (first day, last day, distinct purchase days), day
    /// numbers in any unit of days. The mean gap is (last − first) / (days − 1), exactly the
    /// mean of the gaps between consecutive purchase days.
    pub fn from_spans(spans: impl IntoIterator<Item = (i64, i64, u32)>) -> Rhythm {
        Rhythm::learn(spans.into_iter().map(|(first, last, days)| {
            let mean = (days >= 2).then(|| (last - first) as f64 / f64::from(days - 1));
            (mean, days)
        }))
    }

    /// A client's own rhythm in days: their mean interval shrunk toward the business's typical
    /// one by how many gaps it rests on; the typical interval for a client with one purchase day.
    pub fn of_client(&self, f: &Features) -> f64 {
        let typical = self.typical_interval_days;
        match f.interval_mean {
            Some(mean) if f.frequency >= 2 => {
                let gaps = f64::from(f.frequency - 1);
                ((gaps * mean + PRIOR_GAPS * typical) / (gaps + PRIOR_GAPS)).max(1.0)
            }
            _ => typical,
        }
    }
}

/// How the churn window is set; stored with the churn model so scoring uses what it was trained
/// for, whatever the live config says.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Window {
    #[serde(with = "exact::num")]
    pub intervals: f64,
    pub min_days: u32,
    pub max_days: u32,
    pub rhythm: Rhythm,
}

impl Window {
    pub fn new(cfg: &ChurnConfig, rhythm: Rhythm) -> Window {
        Window {
            intervals: cfg.window_intervals,
            min_days: cfg.min_window_days,
            max_days: cfg.max_window_days.max(cfg.min_window_days),
            rhythm,
        }
    }

    /// Days ahead the churn probability speaks of for this client: `intervals` of their own
    /// rhythm, within the configured bounds.
    pub fn days(&self, f: &Features) -> u32 {
        let days = (self.intervals * self.rhythm.of_client(f)).round();
        (days.max(0.0) as u32).clamp(self.min_days.max(1), self.max_days.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::{ContactHistory, PurchaseEvent};
    use crate::scoring::features::features;
    use chrono::{Duration, NaiveDate};

    fn client(days: &[i64], as_of: i64) -> Features {
        let day = |n| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(n);
        let h = ContactHistory {
            purchases: days
                .iter()
                .map(|d| PurchaseEvent {
                    date: day(*d),
                    amount: 100,
                    item: None,
                })
                .collect(),
            ..Default::default()
        };
        features(&h, day(as_of), &Config::default())
    }

    #[test]
    fn typical_interval_is_the_median_of_repeat_buyers() {
        let r = Rhythm::learn([
            (Some(30.0), 3),
            (Some(60.0), 2),
            (None, 1),
            (Some(200.0), 5),
            (Some(45.0), 4),
            (Some(90.0), 2),
        ]);
        assert_eq!(r.typical_interval_days, 60.0);
        assert_eq!(r.repeat_buyers, 5);
        // Too few repeat buyers: the stated fallback.
        let few = Rhythm::learn([(Some(10.0), 2), (None, 1)]);
        assert_eq!(few.typical_interval_days, FALLBACK_INTERVAL_DAYS);
        // Spans: (0, 60, 3) is gaps of 30 on average.
        let spans = Rhythm::from_spans([
            (0, 60, 3),
            (0, 60, 2),
            (5, 5, 1),
            (0, 800, 5),
            (0, 135, 4),
            (0, 90, 2),
        ]);
        assert_eq!(spans.typical_interval_days, 60.0);
    }

    #[test]
    fn a_clients_rhythm_leans_on_the_business_until_they_have_history() {
        let r = Rhythm {
            typical_interval_days: 100.0,
            repeat_buyers: 50,
        };
        // One purchase day: the business's rhythm.
        assert_eq!(r.of_client(&client(&[0], 10)), 100.0);
        // One gap of 20 days: (1·20 + 1·100) / 2.
        assert_eq!(r.of_client(&client(&[0, 20], 30)), 60.0);
        // Four gaps of 20: (4·20 + 100) / 5.
        assert_eq!(r.of_client(&client(&[0, 20, 40, 60, 80], 90)), 36.0);
    }

    #[test]
    fn the_window_is_intervals_of_rhythm_within_bounds() {
        let w = Window {
            intervals: 1.5,
            min_days: 30,
            max_days: 365,
            rhythm: Rhythm {
                typical_interval_days: 100.0,
                repeat_buyers: 50,
            },
        };
        assert_eq!(w.days(&client(&[0], 10)), 150);
        assert_eq!(w.days(&client(&[0, 20, 40, 60, 80], 90)), 54);
        // Weekly buyers still get the shortest window; a yearly rhythm is capped.
        assert_eq!(
            w.days(&client(&(0..30).map(|k| 3 * k).collect::<Vec<_>>(), 90)),
            30
        );
        assert_eq!(w.days(&client(&[0, 700, 1400], 1400)), 365);
    }
}
