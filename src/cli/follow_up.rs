//! `follow-up add|list|done|snooze|edit|rm` (alias `fu`).

use std::io::Write;

use anyhow::anyhow;
use serde_json::json;

use super::args::{
    FollowUpAddArgs, FollowUpCommand, FollowUpDoneArgs, FollowUpEditArgs, FollowUpListArgs,
};
use super::output::{Cell, Listing};
use super::Context;
use crate::domain::due::{parse_due, parse_every};
use crate::domain::follow_up::{done_text, parse_every_or_off, parse_touch_kind, plan_text};
use crate::domain::text::printable;
use crate::domain::{dates, FollowUp, FollowUpId, FollowUpSource, NewFollowUp};
use crate::store::{FollowUpFilter, FollowUpRow};

pub fn run(ctx: &Context, command: FollowUpCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        FollowUpCommand::Add(args) => add(ctx, args, out),
        FollowUpCommand::List(args) => list(ctx, args, out),
        FollowUpCommand::Done(args) => done(ctx, args, out),
        FollowUpCommand::Snooze(args) => {
            let id = parse_id(&args.id)?;
            let due = parse_due(&args.when, ctx.today).map_err(|e| anyhow!(e))?;
            let mut store = ctx.open()?;
            let f = store.write(ctx.today, |w| w.snooze_follow_up(id, due, now(ctx)))?;
            writeln!(out, "Follow-up {} put off to {}.", f.id, f.due)?;
            Ok(())
        }
        FollowUpCommand::Edit(args) => edit(ctx, args, out),
        FollowUpCommand::Rm(args) => {
            let id = parse_id(&args.id)?;
            let mut store = ctx.open()?;
            let f = store.write(ctx.today, |w| w.remove_follow_up(id))?;
            writeln!(out, "Deleted follow-up {}: {}.", f.id, printable(&f.text))?;
            Ok(())
        }
    }
}

/// The instant an action happens: now, or noon of `--as-of` (reproducible).
fn now(ctx: &Context) -> chrono::NaiveDateTime {
    dates::default_instant(ctx.today, chrono::Local::now().naive_local())
}

/// `12` or `#12`; anything else is one sentence.
pub fn parse_id(text: &str) -> anyhow::Result<FollowUpId> {
    text.trim()
        .trim_start_matches('#')
        .parse::<FollowUpId>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            anyhow!(
                "follow-up id '{}' is not a number; `rapport follow-up list` shows their ids",
                printable(text.trim())
            )
        })
}

fn add(ctx: &Context, args: FollowUpAddArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let due = parse_due(&args.due, ctx.today).map_err(|e| anyhow!("--due: {}", e))?;
    let every = args
        .every
        .as_deref()
        .map(parse_every)
        .transpose()
        .map_err(|e| anyhow!("--every: {}", e))?;
    let mut store = ctx.open()?;
    let contact = store.resolve_contact(&args.contact)?;
    let new = NewFollowUp {
        contact_id: contact.id,
        text: args.text.join(" "),
        due,
        every,
        source: FollowUpSource::Manual,
        created_at: now(ctx),
    };
    let id = store.write(ctx.today, |w| w.add_follow_up(&new))?;
    writeln!(
        out,
        "Follow-up {} for {}: {}.",
        id,
        printable(&contact.name),
        plan_text(&new.text, due, every)
    )?;
    Ok(())
}

fn list(ctx: &Context, args: FollowUpListArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let contact = args
        .contact
        .as_deref()
        .map(|c| store.resolve_contact(c))
        .transpose()?;
    let rows = store.follow_ups(&FollowUpFilter {
        contact: contact.map(|c| c.id),
        include_done: args.all,
        due_before: args.overdue.then_some(ctx.today),
        ..FollowUpFilter::default()
    })?;
    listing(&rows).print(args.format, out)
}

/// Follow-ups as a listing: the JSON objects carry id, contact, text, due, every, source, done_at.
pub fn listing<'a>(rows: impl IntoIterator<Item = &'a FollowUpRow>) -> Listing {
    let mut listing = Listing::new(vec![
        "id", "contact", "text", "due", "every", "source", "done_at",
    ]);
    for row in rows {
        let f = &row.follow_up;
        listing.rows.push(vec![
            Cell::int(f.id),
            Cell::text(row.contact_name.clone()),
            Cell::text(f.text.clone()),
            Cell::number(f.due.to_string(), json!(f.due.to_storage())),
            Cell::opt(f.every.map(|e| e.to_text())),
            Cell::text(f.source.key()),
            Cell::opt(f.done_at.map(dates::to_storage)),
        ]);
    }
    listing
}

fn done(ctx: &Context, args: FollowUpDoneArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let id = parse_id(&args.id)?;
    let mut store = ctx.open()?;
    let found: FollowUp = store.follow_up(id)?.ok_or_else(|| {
        anyhow!(
            "there is no follow-up {}; `rapport follow-up list` shows their ids",
            id
        )
    })?;
    let log = match &args.log {
        Some(words) => {
            let kind = parse_touch_kind(&words[0]).map_err(|e| anyhow!("--log {}", e))?;
            Some(found.done_by(kind, &words[1..].join(" "), now(ctx)))
        }
        None => None,
    };
    let currency = ctx.config.currency.clone();
    let (completed, changes) = store.write_scored(ctx.today, |w| {
        w.complete_follow_up(id, now(ctx), log.as_ref().map(|l| (l, currency.as_str())))
    })?;
    writeln!(
        out,
        "{}",
        done_text(
            &completed.follow_up,
            log.as_ref().map(|l| l.kind),
            completed.next_due
        )
    )?;
    for change in &changes {
        writeln!(out, "{}", change.describe())?;
    }
    Ok(())
}

fn edit(ctx: &Context, args: FollowUpEditArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let id = parse_id(&args.id)?;
    let due = args
        .due
        .as_deref()
        .map(|d| parse_due(d, ctx.today))
        .transpose()
        .map_err(|e| anyhow!("--due: {}", e))?;
    let every = args
        .every
        .as_deref()
        .map(parse_every_or_off)
        .transpose()
        .map_err(|e| anyhow!("--every: {}", e))?;
    if args.text.is_none() && due.is_none() && every.is_none() {
        return Err(anyhow!(
            "nothing to change; give --text, --due or --every (see `rapport follow-up edit --help`)"
        ));
    }
    let mut store = ctx.open()?;
    let f = store.write(ctx.today, |w| {
        w.edit_follow_up(id, args.text.as_deref(), due, every)
    })?;
    writeln!(
        out,
        "Follow-up {}: {}.",
        f.id,
        plan_text(&f.text, f.due, f.every)
    )?;
    Ok(())
}
