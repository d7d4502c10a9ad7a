//! The hidden state of one demo client: who they are, when they arrived, how they buy and when
//! they will quietly stop. Everything derives from (run seed, index, today), never from N.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::Rng;

use super::catalog::{
    rhythm, suitability, Group, Persona, Rhythm, MAINTENANCE_RETAINER, SEO_RETAINER, SERVICES,
};
use super::rng::{contact_seed, exponential, lognormal, normal, stream, weighted, DemoRng, Stream};
use super::{season, story};

/// How far back the freelancer's business goes.
pub const HISTORY_DAYS: f64 = 3.0 * 365.0;
/// Mean satisfaction (stars) of an ordinary client.
pub const MEAN_SATISFACTION: f64 = 4.2;

#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub index: usize,
    pub seed: u64,
    /// The demo's present, which the story is told back from.
    pub today: NaiveDate,
    pub persona: Persona,
    pub rhythm: Rhythm,
    pub sector: Group,
    pub created_at: NaiveDateTime,
    /// None for leads.
    pub first_purchase: Option<NaiveDate>,
    /// Days from the first purchase to churning, before any referral bonus.
    pub(super) lifetime_days: f64,
    /// Satisfaction in stars when all is well; unhappy clients leave sooner.
    pub base_satisfaction: f64,
    /// The client's own mean days between buying occasions (infinite when they never repeat).
    pub mean_interval: f64,
    /// Spend relative to list prices.
    pub spend: f64,
    /// Chance of each service on a project occasion (or as an extra for retainer clients), once
    /// every service is in full demand (see [`Profile::weights_on`]).
    pub item_weights: [f64; SERVICES.len()],
    /// Retainer clients: the retainer service and its monthly fee in minor units.
    pub retainer: Option<(usize, i64)>,
    /// How long before churning the relationship visibly cools (slower buying, lower ratings).
    pub cooling_days: f64,
    /// Chance that an occasion is pro-bono work, free of charge.
    pub pro_bono: f64,
    /// Whether their buying follows the seasons (see `season`): a retainer is billed monthly
    /// all year.
    pub seasonal: bool,
}

/// Clients brought in by a happy client stay longer.
const REFERRAL_LOYALTY: f64 = 1.3;
/// Chance that an occasion is pro-bono work, free of charge.
const PRO_BONO: f64 = 0.02;

impl Profile {
    /// The hidden state of contact `index`; cheap, so referral checks can call it for others.
    pub fn new(run_seed: u64, index: usize, today: NaiveDate) -> Profile {
        let seed = contact_seed(run_seed, index);
        let mut rng = stream(seed, Stream::Profile);
        let shares: Vec<f64> = Persona::ALL.iter().map(|p| rhythm(*p).share).collect();
        let persona = Persona::ALL[weighted(&mut rng, &shares)];
        let rhythm = rhythm(persona);
        let sector = Group::SECTORS[rng.gen_range(0..Group::SECTORS.len())];
        let second = Group::SECTORS[rng.gen_range(0..Group::SECTORS.len())];

        let created_on = arrival_day(&mut rng, today);
        let minutes = rng.gen_range(8 * 60..19 * 60);
        let created_at = created_on
            .and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).expect("valid time"));
        let lead_time = 1.0 + exponential(&mut rng, 14.0).round();
        let first_purchase = persona.buys().then(|| season::after(created_on, lead_time));

        let base_satisfaction = (MEAN_SATISFACTION + 0.45 * normal(&mut rng)).clamp(2.6, 5.0);
        let happy = (1.1 * (base_satisfaction - MEAN_SATISFACTION)).exp();
        let lifetime_days = if persona.repeats() {
            exponential(&mut rng, rhythm.lifetime * happy).max(1.0)
        } else {
            rng.gen::<f64>(); // keep the stream aligned across personas
            1.0
        };
        let mean_interval = if persona.repeats() {
            rng.gen_range(rhythm.interval.0..=rhythm.interval.1)
        } else {
            rng.gen::<f64>();
            f64::INFINITY
        };
        let spend = rhythm.spend * lognormal(&mut rng, 1.0, 0.3);
        let cooling_days = rng.gen_range(90.0..210.0);

        let mut item_weights = [0.0; SERVICES.len()];
        for (i, service) in SERVICES.iter().enumerate() {
            let leaning = if service.group == sector {
                1.0
            } else if service.group == second {
                0.35
            } else {
                0.05
            };
            item_weights[i] = suitability(persona, i) * leaning;
        }
        // Favourites: the services this client comes back for.
        for _ in 0..2 {
            let favourite = weighted(&mut rng, &item_weights);
            item_weights[favourite] += 1.5 * item_weights.iter().sum::<f64>() / 4.0;
        }
        let retainer = (persona == Persona::Retainer).then(|| {
            let item = if sector == Group::Content {
                SEO_RETAINER
            } else {
                MAINTENANCE_RETAINER
            };
            let s = &SERVICES[item];
            let fee = (s.min_price + rng.gen::<f64>() * (s.max_price - s.min_price)) * spend;
            (item, round_price(fee))
        });
        let profile = Profile {
            index,
            seed,
            today,
            persona,
            rhythm,
            sector,
            created_at,
            first_purchase,
            lifetime_days,
            base_satisfaction,
            mean_interval,
            spend,
            item_weights,
            pro_bono: PRO_BONO,
            seasonal: retainer.is_none(),
            retainer,
            cooling_days,
        };
        if index == story::BIG_CLIENT {
            story::big_client(profile)
        } else {
            profile
        }
    }

    /// The chance of each service on an occasion on `day`: the newest only as far as word of it
    /// had spread by then.
    pub fn weights_on(&self, day: NaiveDate) -> [f64; SERVICES.len()] {
        let mut weights = self.item_weights;
        weights[story::GROWING_SERVICE] *= story::demand(day, self.today);
        weights
    }

    /// The day the client stops buying for good (None for leads). Every purchase is before it.
    pub fn churn_on(&self, referred: bool) -> Option<NaiveDate> {
        let first = self.first_purchase?;
        let bonus = if referred { REFERRAL_LOYALTY } else { 1.0 };
        let days = (self.lifetime_days * bonus).ceil().max(1.0) as i64;
        Some(first + Duration::days(days))
    }

    /// 0 while all is well, rising to 1 at churn: the relationship is cooling.
    pub fn cooling(&self, churn_on: Option<NaiveDate>, on: NaiveDate) -> f64 {
        if self.persona == Persona::OneTime {
            return 0.4;
        }
        let Some(churn) = churn_on else { return 0.0 };
        let left = (churn - on).num_days() as f64;
        (1.0 - left / self.cooling_days).clamp(0.0, 1.0)
    }

    /// Expected amount of one buying occasion in minor units (0 for leads), from today on.
    pub fn mean_spend(&self) -> i64 {
        if !self.persona.buys() {
            return 0;
        }
        let total: f64 = self.item_weights.iter().sum();
        let project: f64 = self
            .item_weights
            .iter()
            .zip(SERVICES.iter())
            .map(|(w, s)| w / total * s.mid_price() * 100.0 * self.spend)
            .sum();
        let occasion = match self.retainer {
            Some((_, fee)) => fee as f64 + self.rhythm.add_on * project,
            None => (1.0 + self.rhythm.add_on) * project,
        };
        ((1.0 - self.pro_bono) * occasion).round() as i64
    }

    /// An earlier contact who referred this one: a satisfied, buying client who was active
    /// when this contact arrived.
    pub fn referrer(&self, run_seed: u64, today: NaiveDate) -> Option<usize> {
        if self.index == 0 {
            return None;
        }
        let mut rng = stream(self.seed, Stream::Referral);
        let chance = if self.persona.buys() { 0.22 } else { 0.1 };
        if !rng.gen_bool(chance) {
            return None;
        }
        let arrived = self.created_at.date();
        (0..6).find_map(|_| {
            let j = rng.gen_range(0..self.index);
            let other = Profile::new(run_seed, j, today);
            let bought_before = other.first_purchase? + Duration::days(7) <= arrived;
            // Their referral bonus only lengthens their stay, so this check holds either way.
            let active = other.churn_on(false)? > arrived;
            (bought_before && active && other.base_satisfaction >= 3.8).then_some(j)
        })
    }
}

/// The day a contact first got in touch, within the last [`HISTORY_DAYS`]: more often lately,
/// as the business grows, and seldom in the quiet parts of the year.
fn arrival_day(rng: &mut DemoRng, today: NaiveDate) -> NaiveDate {
    loop {
        let ago = HISTORY_DAYS * rng.gen::<f64>().powf(1.25);
        let day = today - Duration::days(ago.floor() as i64);
        if rng.gen::<f64>() * season::PEAK < season::rate(day) {
            return day;
        }
    }
}

/// Prices are quoted in round numbers: whole tens of major units.
pub fn round_price(major: f64) -> i64 {
    ((major / 10.0).round().max(1.0) as i64) * 1_000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
    }

    #[test]
    fn profiles_are_reproducible_and_varied() {
        let a = Profile::new(9, 17, today());
        assert_eq!(a, Profile::new(9, 17, today()));
        assert_ne!(a, Profile::new(10, 17, today()));
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..500 {
            let p = Profile::new(1, i, today());
            seen.insert(p.persona);
            assert!(p.created_at.date() <= today());
            assert!(p.created_at.date() >= today() - Duration::days(HISTORY_DAYS as i64 + 1));
            assert_eq!(p.first_purchase.is_some(), p.persona.buys());
            assert_eq!(p.retainer.is_some(), p.persona == Persona::Retainer);
            if let (Some(first), Some(churn)) = (p.first_purchase, p.churn_on(false)) {
                assert!(churn > first && p.churn_on(true) >= Some(churn));
            }
        }
        assert_eq!(seen.len(), Persona::ALL.len());
    }

    #[test]
    fn referrers_come_earlier_and_were_buying() {
        let mut referred = 0;
        for i in 0..400 {
            let p = Profile::new(5, i, today());
            if let Some(j) = p.referrer(5, today()) {
                referred += 1;
                assert!(j < i);
                let r = Profile::new(5, j, today());
                assert!(r.persona.buys() && r.first_purchase.unwrap() < p.created_at.date());
            }
        }
        assert!(referred > 10, "{referred} referrals");
    }

    #[test]
    fn mean_spend_follows_the_persona() {
        let mean = |persona: Persona| {
            let spends: Vec<i64> = (0..3_000)
                .map(|i| Profile::new(2, i, today()))
                .filter(|p| p.persona == persona)
                .map(|p| p.mean_spend())
                .collect();
            spends.iter().sum::<i64>() / spends.len().max(1) as i64
        };
        assert_eq!(mean(Persona::Lead), 0);
        assert!(mean(Persona::BigProject) > 3 * mean(Persona::Regular));
        assert!(mean(Persona::Retainer) < mean(Persona::Regular));
    }
}
