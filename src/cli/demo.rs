//! `demo`: a generated business in a fresh database, never the user's own.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::bail;

use super::args::DemoArgs;
use super::Context;
use crate::demo::{generate, DemoSpec, Summary};
use crate::domain::text::plural;
use crate::domain::{
    money, ContactFields, ContactId, FollowUpSource, NewFollowUp, NewInteraction, OwnCadence,
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
            let plans = crate::demo::plans::plans_of(&contact, spec.seed, spec.today);
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
                match f.done_on {
                    Some(day) => {
                        let at = day.and_hms_opt(11, 0, 0).expect("eleven");
                        w.complete_follow_up(follow_up, at, None)?;
                    }
                    None => {
                        summary.follow_ups += 1;
                        summary.overdue += usize::from(f.due.date < spec.today);
                    }
                }
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
    Ok(summary)
}

pub fn run(
    ctx: &Context,
    args: DemoArgs,
    explicit_db: Option<&PathBuf>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
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
        let tab = crate::tui::start_tab(&store)?;
        drop(store);
        return crate::tui::run(&path, ctx.config.clone(), ctx.today, tab);
    }
    let at_risk = store.count_at_risk()?;
    if let Some(models) = store.models()? {
        writeln!(out, "{}", super::scores::describe_models(&models))?;
    }
    writeln!(
        out,
        "{} planned ({} overdue); {} clients are at risk. Try: rapport --db {} today",
        plural(summary.follow_ups as i64, "follow-up", "follow-ups"),
        summary.overdue,
        at_risk,
        path.display()
    )?;
    Ok(())
}
