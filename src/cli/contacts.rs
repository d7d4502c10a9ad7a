//! `add`, `edit`, `show`, `list`, `forget`.

use std::io::Write;

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use serde_json::{json, Value};

use super::args::{
    AddArgs, ContactOptions, EditArgs, ForgetArgs, ListArgs, ListWhat, ShowArgs, ShowFormat,
};
use super::output::{Cell, Listing};
use super::Context;
use crate::domain::card::Card;
use crate::domain::text::{plural, printable, printable_multiline};
use crate::domain::{dates, money, Contact, ContactFields};
use crate::store::{ContactSort, InteractionFilter, StayInTouch, Store};

fn fields_from(store: &Store, options: &ContactOptions) -> anyhow::Result<ContactFields> {
    let referred_by = match &options.referred_by {
        Some(reference) => Some(
            store
                .resolve_contact(reference)
                .context("--referred-by")?
                .id,
        ),
        None => None,
    };
    Ok(ContactFields {
        name: None,
        external_id: options.external_id.clone(),
        email: options.email.clone(),
        phone: options.phone.clone(),
        company: options.company.clone(),
        tags: if options.tags.is_empty() {
            None
        } else {
            Some(options.tags.clone())
        },
        note: options.note.clone(),
        referred_by,
    })
}

pub fn add(ctx: &Context, args: AddArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let id = ctx.with_store(true, |store| {
        let mut fields = fields_from(store, &args.options)?;
        fields.name = Some(args.name.clone());
        let created = dates::default_instant(ctx.today, chrono::Local::now().naive_local());
        Ok(store.write(ctx.today, |w| w.add_contact(&fields, created))?)
    })?;
    writeln!(out, "Added {} (#{}).", printable(args.name.trim()), id)?;
    Ok(())
}

pub fn edit(ctx: &Context, args: EditArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let contact = store.resolve_contact(&args.contact)?;
    let mut fields = fields_from(&store, &args.options)?;
    fields.name = args.name.clone();
    if let Some(tags) = fields.tags.as_mut().filter(|_| !args.clear_tags) {
        // Tags given without --clear-tags are added to the existing ones.
        let mut all = contact.tags.clone();
        all.extend(tags.drain(..).filter(|t| !contact.tags.contains(t)));
        *tags = all;
    } else if args.clear_tags && fields.tags.is_none() {
        fields.tags = Some(Vec::new());
    }
    let cadence = args
        .stay_in_touch
        .as_deref()
        .map(crate::domain::OwnCadence::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--stay-in-touch: {}", e))?;
    if fields == ContactFields::default() && cadence.is_none() {
        bail!(
            "nothing to change for {}; give at least one option such as --email",
            printable(&contact.name)
        );
    }
    store.write(ctx.today, |w| {
        if fields != ContactFields::default() {
            w.edit_contact(contact.id, &fields)?;
        }
        if let Some(cadence) = cadence {
            w.set_stay_in_touch(contact.id, cadence)?;
        }
        Ok(())
    })?;
    let updated = store.contact(contact.id)?;
    writeln!(
        out,
        "Updated {} (#{}).",
        printable(&updated.name),
        updated.id
    )?;
    Ok(())
}

pub fn show(ctx: &Context, args: ShowArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = super::scores::fresh_store(ctx)?;
    let contact = store.resolve_contact(&args.contact)?;
    let totals = store.contact_totals(contact.id)?;
    let recent = store.list_interactions(&InteractionFilter {
        contact: Some(contact.id),
        limit: Some(10),
        ..Default::default()
    })?;
    let mut scores = store.scores(contact.id)?;
    if let Some(s) = scores.as_mut() {
        super::suggestions::show_through_ledger(ctx, &store, vec![s], usize::MAX)?;
    }
    let referrer = match contact.referred_by {
        Some(id) => Some(store.contact(id)?),
        None => None,
    };
    let follow_ups = store.follow_ups(&crate::store::FollowUpFilter {
        contact: Some(contact.id),
        ..Default::default()
    })?;
    let in_touch = store.stay_in_touch_of(contact.id, scores.as_ref(), ctx.today)?;
    let card = store.card(contact.id)?;
    if args.format == ShowFormat::Json {
        let value = json!({
            "contact": contact,
            "card": card,
            "referred_by_name": referrer.as_ref().map(|r| r.name.clone()),
            "referrals_made": store.referrals_made(contact.id)?,
            "totals": totals,
            "recent_interactions": recent,
            "follow_ups": super::follow_up::listing(&follow_ups).json_rows(),
            "stay_in_touch": in_touch.map(stay_in_touch_json),
            "scores": match &scores {
                Some(scores) => super::scores::scores_json(&store, scores)?,
                None => Value::Null,
            },
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
        return Ok(());
    }
    write_contact_card(out, &contact, &card, referrer.as_ref())?;
    writeln!(out)?;
    writeln!(
        out,
        "Totals: {}, {} {} spent, {}, {}",
        plural(totals.purchases, "purchase", "purchases"),
        money::format_amount(totals.total_spent, false),
        ctx.config.currency,
        plural(totals.interactions, "interaction", "interactions"),
        plural(
            totals.feedback_entries,
            "feedback entry",
            "feedback entries"
        )
    )?;
    if let (Some(first), Some(last)) = (totals.first_purchase, totals.last_purchase) {
        writeln!(
            out,
            "First purchase {}, last purchase {}",
            dates::display(first),
            dates::display(last)
        )?;
    }
    if let Some(scores) = &scores {
        writeln!(out)?;
        super::scores::write_scores(out, &store, scores, ctx)?;
    }
    if let Some(in_touch) = in_touch {
        writeln!(out)?;
        writeln!(out, "{}", stay_in_touch_line(in_touch, ctx.today))?;
    }
    if !follow_ups.is_empty() {
        writeln!(out)?;
        writeln!(out, "Follow-ups:")?;
        for row in &follow_ups {
            let f = &row.follow_up;
            let repeat = f
                .every
                .map_or(String::new(), |e| format!(", every {}", e.to_text()));
            writeln!(
                out,
                "  #{:<4} due {}{} — {}",
                f.id,
                f.due,
                repeat,
                printable(&f.text)
            )?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Recent interactions:")?;
    if recent.is_empty() {
        writeln!(out, "  (none yet)")?;
    }
    for row in &recent {
        writeln!(
            out,
            "  {}",
            describe_interaction(&row.interaction, &ctx.config.currency)
        )?;
    }
    Ok(())
}

/// `Stay in touch: every 3m (stage Loyal); next touch due 2027-01-04`.
fn stay_in_touch_line(in_touch: StayInTouch, today: NaiveDate) -> String {
    match in_touch {
        StayInTouch::Off => "Stay in touch: off".into(),
        StayInTouch::On { cadence, due } => {
            let when = if due <= today {
                format!("a touch is due (since {})", due)
            } else {
                format!("next touch due {}", due)
            };
            format!(
                "Stay in touch: every {} ({}); {}",
                cadence.every.to_text(),
                cadence.source,
                when
            )
        }
    }
}

fn stay_in_touch_json(in_touch: StayInTouch) -> Value {
    match in_touch {
        StayInTouch::Off => json!({ "every": null, "source": "off", "due": null }),
        StayInTouch::On { cadence, due } => json!({
            "every": cadence.every.to_text(),
            "source": cadence.source.to_string(),
            "due": due.to_string(),
        }),
    }
}

fn write_contact_card(
    out: &mut dyn Write,
    c: &Contact,
    card: &Card,
    referrer: Option<&Contact>,
) -> anyhow::Result<()> {
    writeln!(out, "{} (#{})", printable(&c.name), c.id)?;
    let mut lines = vec![("External id", c.external_id.clone())];
    lines.extend(card.detail_lines().into_iter().map(|(l, v)| (l, Some(v))));
    lines.extend([
        ("Tags", Some(c.tags.join(", ")).filter(|t| !t.is_empty())),
        ("Referred by", referrer.map(|r| r.name.clone())),
        ("Since", Some(dates::display(c.created_at))),
        // Set when the contact's card was deleted from a vdir (`import vcard`).
        (
            "Archived",
            c.archived
                .then(|| "yes: its card is gone from the address book".to_string()),
        ),
    ]);
    for (label, value) in lines {
        if let Some(value) = value {
            writeln!(out, "  {:<12} {}", label, printable(&value))?;
        }
    }
    if let Some(note) = &c.note {
        writeln!(out, "  Note:")?;
        for line in printable_multiline(note).lines() {
            writeln!(out, "    {}", line)?;
        }
    }
    Ok(())
}

/// One line for a timeline: date, kind, and what it was.
pub fn describe_interaction(i: &crate::domain::Interaction, currency: &str) -> String {
    let mut parts = vec![format!(
        "{:<16} {:<8}",
        dates::display(i.occurred_at),
        i.kind.as_str()
    )];
    if let Some(amount) = i.amount {
        parts.push(format!(
            "{} {}",
            money::format_amount(amount, false),
            currency
        ));
    }
    if let Some(item) = &i.item {
        parts.push(printable(item).into_owned());
    }
    if !i.ratings.is_empty() {
        parts.push(
            i.ratings
                .iter()
                .map(|r| format!("{}={}", r.dimension, r.stars))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if let Some(summary) = &i.summary {
        parts.push(printable(summary).into_owned());
    }
    parts.join("  ")
}

pub fn list(ctx: &Context, args: ListArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if args.what != ListWhat::Interactions {
        let given = [
            ("--contact", &args.contact),
            ("--kind", &args.kind),
            ("--since", &args.since),
        ];
        if let Some((flag, _)) = given.iter().find(|(_, v)| v.is_some()) {
            return Err(anyhow::anyhow!(
                "{} applies to `rapport list interactions` only",
                flag
            ));
        }
    }
    let store = ctx.open()?;
    let listing = match args.what {
        ListWhat::Contacts => {
            let rows =
                store.list_contacts(args.search.as_deref(), ContactSort::Name, args.limit)?;
            let mut listing =
                Listing::new(vec!["id", "name", "company", "email", "tags", "last_touch"]);
            for row in rows {
                let c = row.contact;
                listing.rows.push(vec![
                    Cell::int(c.id),
                    Cell::text(c.name),
                    Cell::opt(c.company),
                    Cell::opt(c.email),
                    Cell::number(c.tags.join(","), Value::from(c.tags)),
                    Cell::opt(row.last_touch.map(dates::display)),
                ]);
            }
            listing
        }
        ListWhat::Interactions => {
            let kind = args
                .kind
                .as_deref()
                .map(str::parse::<crate::domain::InteractionKind>)
                .transpose()
                .map_err(|e| anyhow::anyhow!("--kind: {}", e))?;
            let since = args
                .since
                .as_deref()
                .map(|d| dates::parse_date(d, ctx.today))
                .transpose()
                .map_err(|e| anyhow::anyhow!("--since: {}", e))?;
            let contact = args
                .contact
                .as_deref()
                .map(|c| store.resolve_contact(c))
                .transpose()?;
            let filter = InteractionFilter {
                contact: contact.map(|c| c.id),
                kind,
                search: args.search.clone(),
                since: since.map(|d| d.and_time(chrono::NaiveTime::MIN)),
                limit: args.limit,
                ..Default::default()
            };
            let rows = store.list_interactions(&filter)?;
            let mut listing = Listing::new(vec![
                "id", "date", "contact", "kind", "amount", "item", "summary",
            ]);
            for row in rows {
                let i = row.interaction;
                listing.rows.push(vec![
                    Cell::int(i.id),
                    Cell::text(dates::display(i.occurred_at)),
                    Cell::text(row.contact_name),
                    Cell::text(i.kind.as_str()),
                    match i.amount {
                        Some(a) => Cell::number(
                            money::format_amount(a, false),
                            json!(money::minor_to_decimal(a)),
                        ),
                        None => Cell::opt(None::<String>),
                    },
                    Cell::opt(i.item),
                    Cell::opt(i.summary),
                ]);
            }
            listing
        }
        ListWhat::AtRisk => super::scores::at_risk(ctx, args.limit)?,
        ListWhat::Segments => super::scores::segments(ctx)?,
    };
    listing.print(args.format, out)
}

pub fn forget(ctx: &Context, args: ForgetArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let contact = store.resolve_contact(&args.contact)?;
    let totals = store.contact_totals(contact.id)?;
    let what = format!(
        "{} (#{}) and everything recorded about them: {}, {}, {}",
        printable(&contact.name),
        contact.id,
        plural(totals.interactions, "interaction", "interactions"),
        plural(totals.purchases, "purchase", "purchases"),
        plural(
            totals.feedback_entries,
            "feedback entry",
            "feedback entries"
        )
    );
    if !args.yes {
        bail!(
            "forget would erase {}; run again with --yes to erase them",
            what
        );
    }
    store.write(ctx.today, |w| w.forget_contact(contact.id))?;
    let checkpoint = store.checkpoint()?;
    writeln!(out, "Erased {}.", what)?;
    if checkpoint == crate::store::Checkpoint::Blocked {
        // Erased from the database, but older pages still sit in the write-ahead log.
        eprintln!(
            "rapport: another session is reading the database, so {}-wal still holds an old copy of what was erased; close the other sessions and run `rapport doctor` to empty it",
            printable(&ctx.db.display().to_string())
        );
    }
    Ok(())
}
