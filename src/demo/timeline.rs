//! One client's history as a process in time: buying occasions at the client's rhythm until the
//! hidden churn day, the work and talk around each, everyday contact, and silence afterwards.
//!
//! Every part draws from its own random stream (occasions, opening, the k-th segment, the fade),
//! and the simulation only ever stops early at the horizon, so everything up to a date is the same
//! whatever the horizon: `simulate_future` continues exactly the history `generate` produced.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::Rng;

use super::catalog::{Persona, SERVICES};
use super::occasions::{occasions, Occasion};
use super::phrases::{self, fill};
use super::profile::Profile;
use super::rng::{exponential, normal, pick, poisson, stream, weighted, DemoRng, Stream};
use super::story;
use super::DemoInteraction;
use crate::domain::{InteractionKind, Rating};
use InteractionKind::{Call, Email, Meeting, Note, Purchase};

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

/// The whole history up to the horizon, sorted by time.
pub fn simulate(ctx: &Context) -> Vec<DemoInteraction> {
    let occasions = occasions(ctx.profile, ctx.churn_on, ctx.horizon);
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

    /// A call, email, meeting or note on a working day about `item` (when the text names one),
    /// or about one of the services the client leans towards.
    fn touch(
        &mut self,
        rng: &mut DemoRng,
        kind: InteractionKind,
        day: NaiveDate,
        text: &str,
        item: Option<usize>,
    ) {
        let item = match item {
            Some(item) => SERVICES[item].name,
            None if text.contains("{item}") => {
                SERVICES[weighted(rng, &self.ctx.profile.weights_on(day))].name
            }
            None => "",
        };
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
            self.push(Note, created, text);
        }
        let (code, text) = pick(rng, &phrases::FIRST_TOUCH);
        let kind = match code {
            b'c' => Call,
            b'm' => Meeting,
            _ => Email,
        };
        self.push(kind, created, text.to_string());
        let start = created.date();
        match first {
            Some(first) => {
                let lead = (first.day - start).num_days().max(1) as f64;
                if rng.gen_bool(0.7) {
                    let day = start + days(rng.gen::<f64>() * lead);
                    self.touch(rng, Call, day, "Discovery call", None);
                }
                let day = start + days(rng.gen::<f64>() * lead);
                let text = "Sent proposal for the {item}";
                self.touch(rng, Email, day, text, Some(first.items[0].0));
            }
            None if self.ctx.profile.persona == Persona::Lead => {
                let mut day = start;
                for _ in 0..1 + poisson(rng, 1.8) {
                    day += days(exponential(rng, 10.0));
                    let (kind, text) = if rng.gen_bool(0.4) {
                        (Email, "Sent proposal for the {item}")
                    } else {
                        (
                            pick(rng, &[Email, Call]),
                            pick(rng, &phrases::LEAD_FOLLOW_UP),
                        )
                    };
                    self.touch(rng, kind, day, text, None);
                }
                if rng.gen_bool(0.45) {
                    day += Duration::days(rng.gen_range(3..20));
                    let text = pick(rng, &phrases::LEAD_DECLINED);
                    self.touch(rng, Note, day, text, None);
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
            let (amount, name_text) = (Some(amount), Some(name.to_string()));
            self.push_full(Purchase, at, Some(summary), amount, name_text, Vec::new());
            if k > 0 && n == 0 && retainer.is_none() {
                let before = day - Duration::days(rng.gen_range(1..8));
                self.touch(rng, Email, before, "Quote for the {item}", Some(item));
            }
            let done = if Some(item) == retainer {
                self.touch(rng, Email, day, "Monthly invoice sent", None);
                if rng.gen_bool(0.6) {
                    let report = day + Duration::days(rng.gen_range(0..5));
                    self.touch(rng, Email, report, "Monthly report on {topic}", None);
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
        let s = &SERVICES[item];
        let it = Some(item);
        let delivered = if s.max_days <= 1 {
            // A session rather than a project: the meeting itself, then notes.
            let on = day + Duration::days(rng.gen_range(0..3));
            self.touch(rng, Meeting, on, "Held the {item} on {topic}", it);
            if rng.gen_bool(0.6) {
                self.touch(
                    rng,
                    Email,
                    on + Duration::days(1),
                    "Sent notes from the session",
                    it,
                );
            }
            on
        } else {
            let length = rng.gen_range(s.min_days..=s.max_days) as f64;
            let kick_off = day + days(rng.gen::<f64>() * length.min(3.0));
            let kind = if length >= 7.0 { Meeting } else { Call };
            self.touch(rng, kind, kick_off, "Kick-off for the {item}", it);
            let delivered = kick_off + days(length.max(1.0));
            let work = (delivered - kick_off).num_days() as f64;
            for _ in 0..poisson(rng, 1.0 + 0.15 * length) {
                let on = kick_off + days(1.0 + rng.gen::<f64>() * (work - 1.0));
                let kind = if rng.gen_bool(0.7) { Email } else { Call };
                let text = pick(rng, &phrases::PROGRESS);
                self.touch(rng, kind, on, text, it);
            }
            self.touch(rng, Email, delivered, "Delivered the {item}", it);
            delivered
        };
        let billed = delivered + Duration::days(rng.gen_range(0..3));
        self.touch(rng, Email, billed, "Invoice sent for the {item}", it);
        if rng.gen_bool(0.12 + 0.4 * cooling) {
            let late = billed + Duration::days(rng.gen_range(14..36));
            self.touch(rng, Email, late, "Invoice reminder for the {item}", it);
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
            let text = pick(rng, list);
            self.touch(rng, kind, day, text, None);
        }
    }

    /// After the client has gone quiet: a few ever sparser attempts to reach them (and the big
    /// client's call to say why they left).
    fn fade(&mut self, churn: NaiveDate) {
        let rng = &mut stream(self.ctx.profile.seed, Stream::Fade);
        if self.ctx.profile.index == story::BIG_CLIENT {
            let day = churn + Duration::days(story::GOODBYE_AFTER_DAYS);
            self.touch(rng, Call, day, story::GOODBYE, None);
        }
        let mean = if self.ctx.profile.persona.repeats() {
            2.5
        } else {
            1.2
        };
        let mut t = 0.0;
        for i in 0..poisson(rng, mean) {
            t += exponential(rng, 25.0 * f64::from(i + 1));
            let kind = match weighted(rng, &[0.6, 0.25, 0.15]) {
                0 => Email,
                1 => Call,
                _ => Note,
            };
            let text = pick(rng, &phrases::FADE);
            self.touch(rng, kind, churn + days(t), text, None);
        }
    }
}
