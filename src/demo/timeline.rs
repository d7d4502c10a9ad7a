//! One client's history as a process in time: buying occasions at the client's rhythm until the
//! hidden churn day, the work and talk around each, everyday contact, and silence afterwards.
//!
//! Every part draws from its own random stream (occasions, opening, the k-th segment, the fade),
//! and the simulation only ever stops early at the horizon, so everything up to a date is the same
//! whatever the horizon: `simulate_future` continues exactly the history `generate` produced.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::Rng;

use super::catalog::{Persona, SERVICES};
use super::phrases::{self, fill};
use super::profile::{round_price, Profile, PRO_BONO};
use super::rng::{
    exponential, lognormal, normal, pick, poisson, stream, weighted, DemoRng, Stream,
};
use super::DemoInteraction;
use crate::domain::{InteractionKind, Rating};

/// What the simulation needs besides the hidden profile.
pub struct Context<'a> {
    pub profile: &'a Profile,
    pub churn_on: Option<NaiveDate>,
    pub first_name: &'a str,
    pub referrer: Option<&'a str>,
    pub dimensions: &'a [String],
    /// Nothing after this day is produced.
    pub horizon: NaiveDate,
}

/// One buying occasion: one or more services bought on the same day.
struct Occasion {
    day: NaiveDate,
    /// (service, amount in minor units)
    items: Vec<(usize, i64)>,
    pro_bono: bool,
    /// When the client would buy again (if they have not churned by then).
    next: Option<NaiveDate>,
}

/// The whole history up to the horizon, sorted by time.
pub fn simulate(ctx: &Context) -> Vec<DemoInteraction> {
    let occasions = occasions(ctx);
    let feedback_rng = &mut stream(ctx.profile.seed, Stream::Feedback);
    let bias = ctx
        .dimensions
        .iter()
        .map(|_| 0.35 * normal(feedback_rng))
        .collect();
    let mut sim = Sim {
        ctx,
        bias,
        out: Vec::new(),
    };
    sim.opening(occasions.first());
    for (k, occasion) in occasions.iter().enumerate() {
        sim.segment(k as u32, occasion);
    }
    if let Some(churn) = ctx.churn_on.filter(|c| *c <= ctx.horizon) {
        sim.fade(churn);
    }
    sim.out.sort_by_key(|i| i.occurred_at);
    sim.out
}

/// The buying occasions up to the horizon and before the churn day.
fn occasions(ctx: &Context) -> Vec<Occasion> {
    let p = ctx.profile;
    let (Some(mut day), Some(churn)) = (p.first_purchase, ctx.churn_on) else {
        return Vec::new();
    };
    let rng = &mut stream(p.seed, Stream::Purchases);
    let mut out = Vec::new();
    while day <= ctx.horizon && day < churn {
        let mut items = Vec::with_capacity(2);
        match p.retainer {
            Some(retainer) => items.push(retainer),
            None => items.push(project(p, rng)),
        }
        if rng.gen_bool(p.rhythm.add_on) {
            items.push(project(p, rng));
        }
        let pro_bono = rng.gen_bool(PRO_BONO);
        if pro_bono {
            items.iter_mut().for_each(|item| item.1 = 0);
        }
        let next = p.persona.repeats().then(|| {
            let slower = 1.0 + 0.8 * p.cooling(Some(churn), day);
            let gap = lognormal(rng, p.mean_interval, p.rhythm.cv) * slower;
            day + Duration::days(gap.round().max(1.0) as i64)
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

/// A project service at the client's price level.
fn project(p: &Profile, rng: &mut DemoRng) -> (usize, i64) {
    let item = weighted(rng, &p.item_weights);
    let s = &SERVICES[item];
    let list = s.min_price + rng.gen::<f64>() * (s.max_price - s.min_price);
    (item, round_price(list * p.spend))
}

struct Sim<'a> {
    ctx: &'a Context<'a>,
    /// Per dimension: how this client rates it relative to their overall satisfaction.
    bias: Vec<f64>,
    out: Vec<DemoInteraction>,
}

/// A time of day between the given hours, in five-minute steps.
fn moment(rng: &mut DemoRng, day: NaiveDate, from_hour: u32, to_hour: u32) -> NaiveDateTime {
    let minutes = rng.gen_range(from_hour * 12..to_hour * 12) * 5;
    day.and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).expect("valid time"))
}

/// Most contact happens on working days: weekend touches usually move to Monday.
fn workday(rng: &mut DemoRng, day: NaiveDate) -> NaiveDate {
    let shift = match day.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => 0,
    };
    if shift > 0 && rng.gen_bool(0.85) {
        day + Duration::days(shift)
    } else {
        day
    }
}

fn days(n: f64) -> Duration {
    Duration::days(n.floor() as i64)
}

impl Sim<'_> {
    fn push(&mut self, kind: InteractionKind, at: NaiveDateTime, summary: String) {
        self.push_full(kind, at, Some(summary), None, None, Vec::new());
    }

    fn push_full(
        &mut self,
        kind: InteractionKind,
        at: NaiveDateTime,
        summary: Option<String>,
        amount: Option<i64>,
        item: Option<String>,
        ratings: Vec<Rating>,
    ) {
        if at.date() > self.ctx.horizon {
            return;
        }
        self.out.push(DemoInteraction {
            kind,
            occurred_at: at.max(self.ctx.profile.created_at),
            summary,
            amount,
            item,
            ratings,
        });
    }

    /// A call, email, meeting or note on a working day.
    fn touch(&mut self, rng: &mut DemoRng, kind: InteractionKind, day: NaiveDate, text: &str) {
        let item = SERVICES[weighted(rng, &self.ctx.profile.item_weights)].name;
        let summary = fill(text, item, self.ctx.first_name, rng);
        let day = workday(rng, day);
        let at = moment(rng, day, 8, 19);
        self.push(kind, at, summary);
    }

    /// From the first contact to the first purchase, or a lead's short story.
    fn opening(&mut self, first: Option<&Occasion>) {
        let rng = &mut stream(self.ctx.profile.seed, Stream::Opening);
        let created = self.ctx.profile.created_at;
        if let Some(referrer) = self.ctx.referrer {
            let text = format!("Referred by {referrer}");
            self.push(InteractionKind::Note, created, text);
        }
        let (code, text) = *pick(rng, &phrases::FIRST_TOUCH);
        let kind = match code {
            b'c' => InteractionKind::Call,
            b'm' => InteractionKind::Meeting,
            _ => InteractionKind::Email,
        };
        self.push(kind, created, text.to_string());
        let start = created.date();
        match first {
            Some(first) => {
                let lead = (first.day - start).num_days().max(1) as f64;
                if rng.gen_bool(0.7) {
                    let day = start + days(rng.gen::<f64>() * lead);
                    self.touch(rng, InteractionKind::Call, day, "Discovery call");
                }
                let name = SERVICES[first.items[0].0].name.to_lowercase();
                let day = start + days(rng.gen::<f64>() * lead);
                self.touch(
                    rng,
                    InteractionKind::Email,
                    day,
                    &format!("Sent proposal for the {name}"),
                );
            }
            None if self.ctx.profile.persona == Persona::Lead => {
                let mut day = start;
                for _ in 0..1 + poisson(rng, 1.8) {
                    day += days(exponential(rng, 10.0));
                    let (kind, text) = if rng.gen_bool(0.4) {
                        (InteractionKind::Email, "Sent proposal for the {item}")
                    } else {
                        let kind = [InteractionKind::Email, InteractionKind::Call];
                        (*pick(rng, &kind), *pick(rng, &phrases::LEAD_FOLLOW_UP))
                    };
                    self.touch(rng, kind, day, text);
                }
                if rng.gen_bool(0.45) {
                    day += Duration::days(rng.gen_range(3..20));
                    let text = *pick(rng, &phrases::LEAD_DECLINED);
                    self.touch(rng, InteractionKind::Note, day, text);
                }
            }
            None => {}
        }
    }

    /// The k-th buying occasion, the work it brings, and everyday contact until the next one.
    fn segment(&mut self, k: u32, occasion: &Occasion) {
        let p = self.ctx.profile;
        let rng = &mut stream(p.seed, Stream::Segment(k));
        let day = occasion.day;
        let cooling = p.cooling(self.ctx.churn_on, day);
        let retainer = p.retainer.map(|r| r.0);
        for (n, &(item, amount)) in occasion.items.iter().enumerate() {
            let name = SERVICES[item].name;
            let summary = if occasion.pro_bono {
                format!("Pro-bono {} for a good cause", name.to_lowercase())
            } else if Some(item) == retainer {
                format!("{} retainer", day.format("%B %Y"))
            } else if retainer.is_some() {
                format!("Extra work: {}", name.to_lowercase())
            } else {
                pick(rng, &phrases::SIGN_OFF).to_string()
            };
            let at = moment(rng, day, 9, 17) + Duration::minutes(n as i64);
            self.push_full(
                InteractionKind::Purchase,
                at,
                Some(summary),
                Some(amount),
                Some(name.to_string()),
                Vec::new(),
            );
            if k > 0 && n == 0 && retainer.is_none() {
                let text = format!("Quote for the {}", name.to_lowercase());
                let before = day - Duration::days(rng.gen_range(1..8));
                self.touch(rng, InteractionKind::Email, before, &text);
            }
            let done = if Some(item) == retainer {
                self.touch(rng, InteractionKind::Email, day, "Monthly invoice sent");
                if rng.gen_bool(0.6) {
                    let report = day + Duration::days(rng.gen_range(0..5));
                    self.touch(
                        rng,
                        InteractionKind::Email,
                        report,
                        "Monthly report on {topic}",
                    );
                }
                day
            } else {
                self.project_work(rng, item, day, cooling)
            };
            if n == 0 && rng.gen_bool(p.rhythm.feedback) {
                let on = done + Duration::days(rng.gen_range(1..15));
                self.feedback(rng, name, on);
            }
        }
        let end = occasion
            .next
            .into_iter()
            .chain(self.ctx.churn_on)
            .min()
            .unwrap_or(day);
        self.everyday(rng, day, end);
    }

    /// Kick-off, progress, delivery and invoicing of one project; returns the delivery day.
    fn project_work(
        &mut self,
        rng: &mut DemoRng,
        item: usize,
        day: NaiveDate,
        cooling: f64,
    ) -> NaiveDate {
        use InteractionKind::{Call, Email, Meeting};
        let s = &SERVICES[item];
        let name = s.name.to_lowercase();
        let length = rng.gen_range(s.min_days..=s.max_days) as f64;
        let kick_off = day + days(rng.gen::<f64>() * length.min(3.0));
        let kind = if length >= 7.0 { Meeting } else { Call };
        self.touch(rng, kind, kick_off, &format!("Kick-off for the {name}"));
        for _ in 0..poisson(rng, 1.0 + 0.15 * length) {
            let on = day + days(rng.gen::<f64>() * length);
            let kind = if rng.gen_bool(0.7) { Email } else { Call };
            let text = *pick(rng, &phrases::PROGRESS);
            self.touch(rng, kind, on, text);
        }
        let delivered = day + days(length);
        self.touch(rng, Email, delivered, &format!("Delivered the {name}"));
        self.touch(
            rng,
            Email,
            delivered,
            &format!("Invoice sent for the {name}"),
        );
        if rng.gen_bool(0.12 + 0.4 * cooling) {
            let late = delivered + Duration::days(rng.gen_range(14..36));
            self.touch(
                rng,
                Email,
                late,
                &format!("Invoice reminder for the {name}"),
            );
        }
        delivered
    }

    /// Star ratings on every configured dimension, lower as the relationship cools.
    fn feedback(&mut self, rng: &mut DemoRng, item: &str, on: NaiveDate) {
        let p = self.ctx.profile;
        let mood = p.base_satisfaction - 1.8 * p.cooling(self.ctx.churn_on, on);
        let ratings: Vec<Rating> = self
            .ctx
            .dimensions
            .iter()
            .zip(&self.bias)
            .map(|(dimension, bias)| Rating {
                dimension: dimension.clone(),
                stars: (mood + bias + 0.5 * normal(rng)).round().clamp(1.0, 5.0) as u8,
            })
            .collect();
        let mean =
            ratings.iter().map(|r| f64::from(r.stars)).sum::<f64>() / ratings.len().max(1) as f64;
        let summary = phrases::feedback_summary(mean, item, rng);
        let at = moment(rng, on, 8, 21);
        self.push_full(
            InteractionKind::Feedback,
            at,
            Some(summary),
            None,
            None,
            ratings,
        );
    }

    /// Calls, emails, meetings and notes between occasions; fewer as the client cools.
    fn everyday(&mut self, rng: &mut DemoRng, from: NaiveDate, until: NaiveDate) {
        let p = self.ctx.profile;
        let span = (until - from).num_days() as f64;
        let mut t = 0.0;
        loop {
            let cooling = p.cooling(self.ctx.churn_on, from + days(t));
            let rate = p.rhythm.touches_per_day * (1.0 - 0.6 * cooling);
            if rate <= 0.0 {
                return;
            }
            t += exponential(rng, 1.0 / rate);
            let day = from + days(t);
            if t >= span || day > self.ctx.horizon {
                return;
            }
            use InteractionKind::{Call, Email, Meeting, Note};
            let (kind, list): (InteractionKind, &[&str]) = if rng.gen_bool(0.5 * cooling) {
                let kind = if rng.gen_bool(0.5) { Note } else { Email };
                (kind, &phrases::COOLING)
            } else {
                match weighted(rng, &[0.55, 0.2, 0.07, 0.18]) {
                    0 => (Email, &phrases::BACKGROUND_EMAIL),
                    1 => (Call, &phrases::BACKGROUND_CALL),
                    2 => (Meeting, &phrases::BACKGROUND_MEETING),
                    _ => (Note, &phrases::BACKGROUND_NOTE),
                }
            };
            let text = *pick(rng, list);
            self.touch(rng, kind, day, text);
        }
    }

    /// After the client has gone quiet: a few ever sparser attempts to reach them.
    fn fade(&mut self, churn: NaiveDate) {
        let rng = &mut stream(self.ctx.profile.seed, Stream::Fade);
        let mean = if self.ctx.profile.persona.repeats() {
            2.5
        } else {
            1.2
        };
        let mut t = 0.0;
        for i in 0..poisson(rng, mean) {
            t += exponential(rng, 25.0 * f64::from(i + 1));
            let kind = match weighted(rng, &[0.6, 0.25, 0.15]) {
                0 => InteractionKind::Email,
                1 => InteractionKind::Call,
                _ => InteractionKind::Note,
            };
            let text = *pick(rng, &phrases::FADE);
            self.touch(rng, kind, churn + days(t), text);
        }
    }
}
