//! A deterministic, realistic demo business: a freelancer selling web, design, content, dev and
//! consulting services, and their clients over about three years.
//!
//! Pure: no SQL, no terminal. [`generate`] streams contacts one at a time so that a store can
//! write a large demo without holding it in memory. Contact `i` depends only on the seed, `i`,
//! `today` and the dimension names, never on how many contacts are asked for.
//!
//! Each contact carries its hidden [`Truth`] (persona, churn day, rhythm, spend) so that the
//! churn model, segments and CLV can be checked against what really drives the data, and
//! [`simulate_future`] continues the very same process past `today`.
//!
//! The data tells a story an overview can show, measured back from `today` so that every demo
//! tells it (`tests/demo_generate.rs` checks each part):
//! - **Seasons** (`season`): project work and new enquiries slow to a tenth in August and to a
//!   quarter over Christmas and New Year, and pick up in spring and most in autumn (retainers are
//!   billed monthly all year). August earns well under the mean month of every full year.
//! - **A big client leaves** (`story`): contact [`BIG_CLIENT`] (C00001), a start-up and the
//!   business's first client, bought a sizeable project about every six weeks and was among the
//!   top three by revenue, then stopped three to five months before today; their churn day is
//!   the purchase that never came, and a later call says why. At the default 300 contacts their
//!   loss shows in revenue concentration and value at risk.
//! - **A service takes off** (`story`): AI automation ([`GROWING_SERVICE`]), offered for two and
//!   a half years, is asked for ever more: over the last six months it earns several times what
//!   it did in the same months a year before, while the business grows by less than double.

mod catalog;
mod names;
mod occasions;
mod people;
mod phrases;
pub mod plans;
mod profile;
mod rng;
mod season;
mod story;
mod timeline;

pub mod history;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::{ContactFields, InteractionKind, Rating};

pub use catalog::{Group, Persona, Service, SERVICES};
pub use story::{BIG_CLIENT, GROWING_SERVICE};

use people::{identity, name_of};
use profile::Profile;
use timeline::{simulate, Context};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSpec {
    pub contacts: usize,
    pub seed: u64,
    /// The demo's present: nothing happens after this day.
    pub today: NaiveDate,
    /// Feedback dimension names, from the config; every feedback entry rates each of them.
    pub dimensions: Vec<String>,
}

/// One generated contact with their history up to `today`.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoContact {
    /// Position in the generated sequence (0-based); `external_id` is `C` + index + 1.
    pub index: usize,
    /// `referred_by` is left empty: the store knows the ids; see `referred_by_index`.
    pub fields: ContactFields,
    /// Index of an earlier contact who referred this one.
    pub referred_by_index: Option<usize>,
    pub created_at: NaiveDateTime,
    /// Sorted by time, none before `created_at` or after `today`.
    pub interactions: Vec<DemoInteraction>,
    pub truth: Truth,
}

/// An interaction ready to be written for a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoInteraction {
    pub kind: InteractionKind,
    pub occurred_at: NaiveDateTime,
    pub summary: Option<String>,
    /// Purchases only: minor units, zero for pro-bono work.
    pub amount: Option<i64>,
    /// Purchases only: the service bought.
    pub item: Option<String>,
    /// Feedback only: one rating (1–5 stars) per dimension of the spec, in its order.
    pub ratings: Vec<Rating>,
}

/// The hidden ground truth behind a contact, for evaluating models.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    pub persona: Persona,
    /// The day the client silently stopped buying (no purchase on or after it), if that day is
    /// on or before `today`; None for clients still active and for leads.
    pub churned_on: Option<NaiveDate>,
    /// The client's own mean days between buying occasions while all is well (it lengthens
    /// as they cool towards churning); infinite for one-time buyers and leads.
    pub mean_interval_days: f64,
    /// Expected amount of one buying occasion (all purchases of that day), in minor units;
    /// 0 for leads.
    pub mean_spend: i64,
}

/// Contact `index` of the demo described by `spec` (its `contacts` count is not used).
pub fn contact(spec: &DemoSpec, index: usize) -> DemoContact {
    let profile = Profile::new(spec.seed, index, spec.today);
    let referrer = profile.referrer(spec.seed, spec.today);
    let referrer_name = referrer.map(|j| name_of(rng::contact_seed(spec.seed, j)));
    let churn_on = profile.churn_on(referrer.is_some());
    let id = identity(
        profile.seed,
        profile.persona,
        profile.sector,
        referrer.is_some(),
        index == story::BIG_CLIENT,
    );
    let ctx = Context {
        profile: &profile,
        churn_on,
        first_name: &id.person.first,
        referrer: referrer_name.as_deref(),
        dimensions: &spec.dimensions,
        horizon: spec.today,
    };
    let interactions = simulate(&ctx);
    let truth = Truth {
        persona: profile.persona,
        churned_on: churn_on.filter(|day| *day <= spec.today),
        mean_interval_days: profile.mean_interval,
        mean_spend: profile.mean_spend(),
    };
    DemoContact {
        index,
        fields: ContactFields {
            name: Some(id.person.name),
            external_id: Some(format!("C{:05}", index + 1)),
            email: id.email,
            phone: id.phone,
            company: id.company,
            tags: Some(id.tags),
            note: id.note,
            referred_by: None,
        },
        referred_by_index: referrer,
        created_at: profile.created_at,
        interactions,
        truth,
    }
}

/// Streams `spec.contacts` contacts in index order; deterministic for a seed.
pub fn generate(spec: &DemoSpec) -> impl Iterator<Item = DemoContact> {
    let spec = spec.clone();
    (0..spec.contacts).map(move |index| contact(&spec, index))
}

/// The purchases this client would make after `spec.today` up to and including `until`:
/// the same hidden process continued, so a model fitted on the generated history can be checked
/// against what really happened next. Empty for leads and for clients who already churned.
pub fn simulate_future(
    contact: &DemoContact,
    spec: &DemoSpec,
    until: NaiveDate,
) -> Vec<DemoInteraction> {
    if until <= spec.today {
        return Vec::new();
    }
    let profile = Profile::new(spec.seed, contact.index, spec.today);
    let referrer = profile.referrer(spec.seed, spec.today);
    let churn_on = profile.churn_on(referrer.is_some());
    if churn_on.is_none_or(|day| day <= spec.today) {
        return Vec::new();
    }
    let ctx = Context {
        profile: &profile,
        churn_on,
        first_name: "",
        referrer: None,
        dimensions: &spec.dimensions,
        horizon: until,
    };
    simulate(&ctx)
        .into_iter()
        .filter(|i| i.kind == InteractionKind::Purchase && i.occurred_at.date() > spec.today)
        .collect()
}

/// Totals of a generated demo, for a one-line report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub contacts: usize,
    pub purchases: usize,
    /// Calls, emails, meetings, notes and feedback.
    pub other_interactions: usize,
    /// Sum of all purchase amounts, minor units.
    pub revenue: i64,
    /// Open follow-ups planned, how many of them are overdue, and how many the automation
    /// rules planned.
    pub follow_ups: usize,
    pub overdue: usize,
    pub from_rules: usize,
}

impl Summary {
    pub fn add(&mut self, contact: &DemoContact) {
        self.contacts += 1;
        for i in &contact.interactions {
            if i.kind == InteractionKind::Purchase {
                self.purchases += 1;
                self.revenue += i.amount.unwrap_or(0);
            } else {
                self.other_interactions += 1;
            }
        }
    }

    pub fn interactions(&self) -> usize {
        self.purchases + self.other_interactions
    }
}

impl<'a> Extend<&'a DemoContact> for Summary {
    fn extend<T: IntoIterator<Item = &'a DemoContact>>(&mut self, iter: T) {
        iter.into_iter().for_each(|c| self.add(c));
    }
}

impl<'a> FromIterator<&'a DemoContact> for Summary {
    fn from_iter<T: IntoIterator<Item = &'a DemoContact>>(iter: T) -> Self {
        let mut summary = Summary::default();
        summary.extend(iter);
        summary
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} contacts, {} purchases worth {}, {} other interactions",
            self.contacts,
            self.purchases,
            crate::domain::money::format_amount(self.revenue, false),
            self.other_interactions
        )
    }
}
