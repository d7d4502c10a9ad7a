//! `demo`: a generated business in a fresh database, never the user's own.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::bail;

use super::args::DemoArgs;
use super::Context;
use chrono::NaiveDate;

use crate::demo::{generate, plans, DemoSpec, Summary};
use crate::domain::text::plural;
use crate::domain::{
    money, ContactFields, ContactId, FollowUpId, FollowUpSource, NewFollowUp, NewInteraction,
    OwnCadence,
};
use crate::store::Store;

/// Where the demo goes: `--db` if given (must hold no contacts), else a new temporary file.
fn demo_path(explicit: Option<&PathBuf>, seed: u64) -> PathBuf {
    match explicit {
        Some(path) => path.clone(),
        None => {
            let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
            std::env::temp_dir().join(format!(
                "rapport-demo-{}-{}-{}.db",
                seed,
                stamp,
                std::process::id()
            ))
        }
    }
}

/// Fills `store` with the demo business; returns what was written.
pub fn fill(store: &mut Store, spec: &DemoSpec, currency: &str) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    store.write(spec.today, |w| {
        let mut ids: Vec<ContactId> = Vec::with_capacity(spec.contacts);
        for contact in generate(spec) {
            summary.add(&contact);
            let plans = plans::plans_of(&contact, spec.seed, spec.today);
            let fields = ContactFields {
                referred_by: contact.referred_by_index.map(|i| ids[i]),
                ..contact.fields
            };
            let id = w.add_contact(&fields, contact.created_at)?;
            ids.push(id);
            for f in &plans.follow_ups {
                let follow_up = w.add_follow_up(&NewFollowUp {
                    contact_id: id,
                    text: f.text.clone(),
                    due: f.due,
                    every: f.every,
                    source: FollowUpSource::Manual,
                    // Planned about a week before it is due, never before the contact existed
                    // nor after this morning.
                    created_at: (f.due.date - chrono::Duration::days(7))
                        .and_hms_opt(9, 0, 0)
                        .expect("nine")
                        .max(contact.created_at)
                        .min(spec.today.and_hms_opt(8, 0, 0).expect("eight")),
                })?;
                keep_up(
                    w,
                    &mut summary,
                    (follow_up, f.due.date),
                    f.done_on,
                    spec.today,
                )?;
            }
            if let Some(every) = plans.stay_in_touch {
                w.set_stay_in_touch(id, OwnCadence::Every(every))?;
            }
            for i in contact.interactions {
                let new = NewInteraction {
                    contact_id: id,
                    kind: i.kind,
                    occurred_at: i.occurred_at,
                    summary: i.summary,
                    amount: i.amount,
                    item: i.item,
                    ratings: i.ratings,
                };
                w.add_interaction(&new, currency)?;
            }
        }
        Ok(())
    })?;
    // Now that everyone is scored, the rules plan for those who entered a stage lately.
    let config = store.config().clone();
    store.write(spec.today, |w| {
        for planned in w.replay_stage_rules(&config, plans::RULES_REPLAY_DAYS)? {
            let due = planned.due.date;
            let done_on = plans::kept_up(due, spec.today)
                .then(|| due + chrono::Duration::days(plans::days_late(planned.id)));
            let open = keep_up(w, &mut summary, (planned.id, due), done_on, spec.today)?;
            summary.from_rules += usize::from(open);
        }
        Ok(())
    })?;
    // The overview's charts of value at risk and stages reach back two years, as if Rapport had
    // kept them all along.
    store.backfill_months(OVERVIEW_MONTHS, spec.today)?;
    Ok(summary)
}

/// Months of score history the demo recomputes for the overview.
const OVERVIEW_MONTHS: u32 = 24;

/// Marks follow-up `id` done on `done_on` if the freelancer did it, else counts it as open in
/// `summary` (and overdue if due before `today`); true if it is open.
fn keep_up(
    w: &mut crate::store::Write,
    summary: &mut Summary,
    (id, due): (FollowUpId, NaiveDate),
    done_on: Option<NaiveDate>,
    today: NaiveDate,
) -> crate::store::Result<bool> {
    match done_on {
        Some(day) => {
            let at = day.and_hms_opt(11, 0, 0).expect("eleven");
            w.complete_follow_up(id, at, None)?;
            Ok(false)
        }
        None => {
            summary.follow_ups += 1;
            summary.overdue += usize::from(due < today);
            Ok(true)
        }
    }
}

pub fn run(
    ctx: &Context,
    args: DemoArgs,
    explicit_db: Option<&PathBuf>,
    out: &mut dyn Write,
) -> anyhow::Result<super::Next> {
    if args.contacts == 0 {
        bail!("--contacts 0 is too few; a demo needs at least one contact");
    }
    let path = demo_path(explicit_db, args.seed);
    let mut store = Store::open_with(&path, ctx.config.clone())?;
    if store.contact_count()? > 0 {
        bail!(
            "database '{}' already has contacts; the demo only fills an empty database",
            path.display()
        );
    }
    let spec = DemoSpec {
        contacts: args.contacts,
        seed: args.seed,
        today: ctx.today,
        dimensions: ctx.dimensions(),
    };
    let started = Instant::now();
    let summary = fill(&mut store, &spec, &ctx.config.currency)?;
    writeln!(out, "Demo database: {}", path.display())?;
    writeln!(
        out,
        "Created {} with {} ({}, {} {} revenue) as of {} in {:.1} s.",
        plural(summary.contacts as i64, "contact", "contacts"),
        plural(summary.interactions() as i64, "interaction", "interactions"),
        plural(summary.purchases as i64, "purchase", "purchases"),
        money::format_amount(summary.revenue, false),
        ctx.config.currency,
        ctx.today,
        started.elapsed().as_secs_f64()
    )?;
    if !args.no_tui && super::is_interactive() {
        drop(store);
        return Ok(ctx.workspace(path));
    }
    let at_risk = store.count_at_risk()?;
    if let Some(models) = store.models()? {
        writeln!(out, "{}", super::scores::describe_models(&models))?;
    }
    writeln!(
        out,
        "{} planned ({} overdue, {} from rules); {} clients are at risk. Try: rapport --db {} today",
        plural(summary.follow_ups as i64, "follow-up", "follow-ups"),
        summary.overdue,
        summary.from_rules,
        at_risk,
        path.display()
    )?;
    Ok(super::Next::Done)
}
