//! `log call|email|meeting|note|purchase|feedback`.

use std::io::Write;

use anyhow::anyhow;

use super::args::{FeedbackArgs, LogCommand, PurchaseArgs, TouchArgs};
use super::Context;
use crate::config::Config;
use crate::domain::text::printable;
use crate::domain::{dates, money, InteractionKind, NewInteraction, Rating};

pub fn run(ctx: &Context, command: LogCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    let (contact, draft) = match command {
        LogCommand::Call(a) => touch(InteractionKind::Call, a),
        LogCommand::Email(a) => touch(InteractionKind::Email, a),
        LogCommand::Meeting(a) => touch(InteractionKind::Meeting, a),
        LogCommand::Note(a) => touch(InteractionKind::Note, a),
        LogCommand::Purchase(a) => purchase(a)?,
        LogCommand::Feedback(a) => feedback(a, &ctx.config)?,
    };
    let mut store = ctx.open()?;
    let contact = store.resolve_contact(&contact)?;
    let new = draft.finish(contact.id, ctx)?;
    let (_, changes) =
        store.write_scored(ctx.today, |w| w.add_interaction(&new, &ctx.config.currency))?;
    let mut what = format!(
        "Logged {} with {} on {}",
        new.kind,
        printable(&contact.name),
        dates::display(new.occurred_at)
    );
    if let Some(amount) = new.amount {
        what.push_str(&format!(
            ": {} {}",
            money::format_amount(amount, false),
            ctx.config.currency
        ));
    }
    writeln!(out, "{}.", what)?;
    for change in changes.iter().filter(|c| c.after.contact_id == contact.id) {
        writeln!(out, "{}", change.describe())?;
    }
    Ok(())
}

/// An interaction before its contact is resolved.
struct Draft {
    kind: InteractionKind,
    date: Option<String>,
    summary: Option<String>,
    amount: Option<i64>,
    item: Option<String>,
    ratings: Vec<Rating>,
}

impl Draft {
    fn finish(self, contact_id: i64, ctx: &Context) -> anyhow::Result<NewInteraction> {
        let occurred_at = match &self.date {
            Some(text) => dates::parse_when(text, ctx.today).map_err(|e| anyhow!(e))?,
            None => dates::default_instant(ctx.today, chrono::Local::now().naive_local()),
        };
        Ok(NewInteraction {
            contact_id,
            kind: self.kind,
            occurred_at,
            summary: self.summary,
            amount: self.amount,
            item: self.item,
            ratings: self.ratings,
        })
    }
}

fn touch(kind: InteractionKind, args: TouchArgs) -> (String, Draft) {
    let summary = Some(args.summary.join(" ")).filter(|s| !s.trim().is_empty());
    (
        args.contact,
        Draft {
            kind,
            date: args.date,
            summary,
            amount: None,
            item: None,
            ratings: Vec::new(),
        },
    )
}

fn purchase(args: PurchaseArgs) -> anyhow::Result<(String, Draft)> {
    let amount = money::parse_amount(&args.amount).map_err(|e| anyhow!(e))?;
    let draft = Draft {
        kind: InteractionKind::Purchase,
        date: args.date,
        summary: None,
        amount: Some(amount),
        item: args.item,
        ratings: Vec::new(),
    };
    Ok((args.contact, draft))
}

fn feedback(args: FeedbackArgs, config: &Config) -> anyhow::Result<(String, Draft)> {
    let ratings = parse_ratings(&args.ratings, config).map_err(|e| anyhow!(e))?;
    let draft = Draft {
        kind: InteractionKind::Feedback,
        date: args.date,
        summary: args.note,
        amount: None,
        item: None,
        ratings,
    };
    Ok((args.contact, draft))
}

/// `quality=5 price=4` → ratings; unknown dimensions and stars outside 1–5 are refused with what is valid.
pub fn parse_ratings(items: &[String], config: &Config) -> Result<Vec<Rating>, String> {
    let valid = config.dimension_names();
    let mut ratings: Vec<Rating> = Vec::new();
    for item in items {
        let (dimension, stars) = item.split_once('=').ok_or_else(|| {
            format!(
                "rating '{}' is not DIMENSION=STARS (e.g. {}=5)",
                printable(item),
                valid[0]
            )
        })?;
        let dimension = dimension.trim().to_ascii_lowercase();
        if !valid.contains(&dimension.as_str()) {
            return Err(format!(
                "dimension '{}' is not configured; valid dimensions are {}",
                printable(&dimension),
                valid.join(", ")
            ));
        }
        let stars = stars
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or_else(|| {
                format!(
                    "rating {}={} is out of range; stars go from 1 to 5",
                    dimension,
                    printable(stars.trim())
                )
            })?;
        if ratings.iter().any(|r| r.dimension == dimension) {
            return Err(format!("dimension '{}' is rated twice", dimension));
        }
        ratings.push(Rating { dimension, stars });
    }
    Ok(ratings)
}
