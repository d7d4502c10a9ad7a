//! What a freelancer would have planned for each demo client as of "today": the promise made in
//! a recent call or meeting (some already overdue), a monthly check-in with retainer clients,
//! a nudge for new leads, and stay-in-touch cadences for the clients worth keeping close.
//! Deterministic per (seed, contact), like everything else in the demo. The automation rules'
//! follow-ups come on top, from the store once the demo is scored (`Write::replay_stage_rules`).

use chrono::{Duration, NaiveDate};
use rand::Rng;

use super::rng::{contact_seed, stream, Stream};
use super::{DemoContact, Persona};
use crate::domain::due::{Due, Every, EveryUnit};
use crate::domain::InteractionKind;

/// A follow-up the demo plans for a client.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoFollowUp {
    pub text: String,
    pub due: Due,
    pub every: Option<Every>,
    /// Done already (history): the freelancer kept up with all but the last five days.
    pub done_on: Option<NaiveDate>,
}

/// Follow-ups due more than this many days ago were done by "today".
const KEPT_UP_DAYS: i64 = 5;

/// Whether the freelancer had done a follow-up due on `due` by `today`: all but the last
/// [`KEPT_UP_DAYS`] days' (so nothing open is more than five days late).
pub fn kept_up(due: NaiveDate, today: NaiveDate) -> bool {
    (today - due).num_days() > KEPT_UP_DAYS
}

/// How many days after `due` a follow-up the rules planned was done, 0 to 3 (varied by its id,
/// as the others' are by the plans' random stream).
pub fn days_late(id: i64) -> i64 {
    id.rem_euclid(4)
}

/// The automation rules' follow-ups (`follow_ups.on_enter`) are replayed for the clients who
/// entered their stage within this many days before "today".
pub const RULES_REPLAY_DAYS: u32 = 21;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemoPlans {
    pub follow_ups: Vec<DemoFollowUp>,
    pub stay_in_touch: Option<Every>,
}

const PROMISES: [&str; 6] = [
    "send the proposal we discussed",
    "share the first draft",
    "send the quote",
    "book the next workshop",
    "send the case study they asked for",
    "check the invoice was paid",
];

fn every(count: u32, unit: EveryUnit) -> Every {
    Every { count, unit }
}

/// The plans for `contact` as of `today`.
pub fn plans_of(contact: &DemoContact, seed: u64, today: NaiveDate) -> DemoPlans {
    let mut rng = stream(contact_seed(seed, contact.index), Stream::Plans);
    let persona = contact.truth.persona;
    let gone = contact.truth.churned_on.is_some();
    let last_talk = contact
        .interactions
        .iter()
        .rev()
        .find(|i| matches!(i.kind, InteractionKind::Call | InteractionKind::Meeting))
        .map(|i| i.occurred_at.date());
    let mut plans = DemoPlans::default();
    let day = |d: NaiveDate| Due {
        date: d,
        time: None,
    };
    // A promise made in a call or meeting of the last three weeks, due a few days after it.
    if let Some(talked) = last_talk.filter(|d| (today - *d).num_days() <= 21 && !gone) {
        if rng.gen_bool(0.6) {
            let text = PROMISES[rng.gen_range(0..PROMISES.len())];
            let due = talked + Duration::days(rng.gen_range(2..=10));
            plans.follow_ups.push(DemoFollowUp {
                text: text.into(),
                due: day(due),
                every: None,
                done_on: None,
            });
        }
    }
    match persona {
        Persona::Retainer if !gone => {
            // The monthly check-in, some at a set time.
            let due = today + Duration::days(rng.gen_range(-3..=27));
            let time = rng
                .gen_bool(0.4)
                .then(|| chrono::NaiveTime::from_hms_opt(rng.gen_range(9..=16), 0, 0))
                .flatten();
            plans.follow_ups.push(DemoFollowUp {
                text: "monthly check-in".into(),
                due: Due { date: due, time },
                every: Some(every(1, EveryUnit::Month)),
                done_on: None,
            });
            if rng.gen_bool(0.5) {
                plans.stay_in_touch = Some(every(30, EveryUnit::Day));
            }
        }
        Persona::Regular | Persona::BigProject if !gone && rng.gen_bool(0.25) => {
            plans.stay_in_touch = Some(every(2, EveryUnit::Month));
        }
        Persona::Lead => {
            let fresh = (today - contact.created_at.date()).num_days() <= 60;
            if fresh && rng.gen_bool(0.7) {
                let since = last_talk.unwrap_or(contact.created_at.date());
                plans.follow_ups.push(DemoFollowUp {
                    text: "follow up on the introduction".into(),
                    due: day(since + Duration::days(rng.gen_range(5..=14))),
                    every: None,
                    done_on: None,
                });
            }
        }
        _ => {}
    }
    for f in &mut plans.follow_ups {
        if kept_up(f.due.date, today) {
            f.done_on = Some(f.due.date + Duration::days(rng.gen_range(0..=3)));
        }
    }
    plans
}
