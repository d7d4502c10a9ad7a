//! When a client buys and what: occasions at the client's own rhythm in business time (see
//! `season`), slower as they cool, until the hidden churn day.

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::catalog::SERVICES;
use super::profile::{round_price, Profile};
use super::rng::{lognormal, stream, weighted, DemoRng, Stream};
use super::season;

/// One buying occasion: one or more services bought on the same day.
#[derive(Debug, Clone, PartialEq)]
pub struct Occasion {
    pub day: NaiveDate,
    /// (service, amount in minor units); the first is the main purchase.
    pub items: Vec<(usize, i64)>,
    pub pro_bono: bool,
    /// When the client would buy again (if they have not churned by then).
    pub next: Option<NaiveDate>,
}

/// The buying occasions up to `horizon` and before `churn_on`. The draws only depend on the
/// profile, so a later horizon extends the list without changing its beginning.
pub fn occasions(p: &Profile, churn_on: Option<NaiveDate>, horizon: NaiveDate) -> Vec<Occasion> {
    let (Some(mut day), Some(churn)) = (p.first_purchase, churn_on) else {
        return Vec::new();
    };
    let rng = &mut stream(p.seed, Stream::Purchases);
    let mut out = Vec::new();
    while day <= horizon && day < churn {
        let mut items = Vec::with_capacity(2);
        match p.retainer {
            Some(retainer) => items.push(retainer),
            None => items.push(project(p, rng, day)),
        }
        if rng.gen_bool(p.rhythm.add_on) {
            items.push(project(p, rng, day));
        }
        let pro_bono = rng.gen_bool(p.pro_bono);
        if pro_bono {
            items.iter_mut().for_each(|item| item.1 = 0);
        }
        let next = p.persona.repeats().then(|| {
            let slower = 1.0 + 0.8 * p.cooling(Some(churn), day);
            let gap = lognormal(rng, p.mean_interval, p.rhythm.cv) * slower;
            after(p, day, gap)
        });
        out.push(Occasion {
            day,
            items,
            pro_bono,
            next,
        });
        match next {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// The next occasion, `gap` days of the client's rhythm after `day` (at least a day later).
fn after(p: &Profile, day: NaiveDate, gap: f64) -> NaiveDate {
    let next = if p.seasonal {
        season::after(day, gap)
    } else {
        day + Duration::days(gap.round() as i64)
    };
    next.max(day + Duration::days(1))
}

/// A project service at the client's price level, among those asked for on `day`.
fn project(p: &Profile, rng: &mut DemoRng, day: NaiveDate) -> (usize, i64) {
    let item = weighted(rng, &p.weights_on(day));
    let s = &SERVICES[item];
    let list = s.min_price + rng.gen::<f64>() * (s.max_price - s.min_price);
    (item, round_price(list * p.spend))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::catalog::Persona;

    #[test]
    fn a_later_horizon_only_extends_the_occasions() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let later = today + Duration::days(400);
        let mut repeaters = 0;
        for i in 0..300 {
            let p = Profile::new(4, i, today);
            let churn = p.churn_on(false);
            let now = occasions(&p, churn, today);
            let then = occasions(&p, churn, later);
            assert_eq!(now[..], then[..now.len()]);
            assert!(then.iter().all(|o| Some(o.day) < churn));
            let days: Vec<NaiveDate> = then.iter().map(|o| o.day).collect();
            assert!(days.windows(2).all(|w| w[0] < w[1]));
            match p.persona {
                Persona::Lead => assert!(then.is_empty()),
                Persona::OneTime => assert!(then.len() <= 1),
                _ => repeaters += usize::from(then.len() > now.len()),
            }
        }
        assert!(repeaters > 10, "{repeaters} clients kept buying");
    }
}
