//! `rapport duplicates` (likely pairs) and `rapport merge KEEP OTHER` (one person again).

use std::io::Write;

use super::args::{DuplicatesArgs, ListFormat, MergeArgs};
use super::output::{Cell, Listing};
use super::Context;
use crate::domain::text::{plural, printable};
use crate::domain::{Contact, ContactId};
use crate::store::Merged;

pub fn duplicates(ctx: &Context, args: DuplicatesArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let pairs = store.duplicates()?;
    if pairs.is_empty() && args.format == ListFormat::Table {
        writeln!(
            out,
            "No likely duplicates: no two contacts share an email, a phone or a name."
        )?;
        return Ok(());
    }
    let mut listing = Listing::new(vec![
        "keep",
        "keep_name",
        "other",
        "other_name",
        "why",
        "merge",
    ]);
    for pair in &pairs {
        let (keep, other) = (store.contact(pair.keep)?, store.contact(pair.other)?);
        listing.rows.push(vec![
            Cell::text(reference(&keep)),
            Cell::text(keep.name.clone()),
            Cell::text(reference(&other)),
            Cell::text(other.name.clone()),
            Cell::text(pair.reasons.join("; ")),
            Cell::text(format!(
                "rapport merge {} {}",
                reference(&keep),
                reference(&other)
            )),
        ]);
    }
    listing.print(args.format, out)?;
    if args.format == ListFormat::Table {
        writeln!(
            out,
            "{}; check each with `rapport show`, then merge with `--dry-run` first.",
            plural(pairs.len() as i64, "likely pair", "likely pairs")
        )?;
    }
    Ok(())
}

pub fn merge(ctx: &Context, args: MergeArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = ctx.open()?;
    let keep = store.resolve_contact(&args.keep)?;
    let other = store.resolve_contact(&args.other)?;
    let (merged, changes) = store.write_if(ctx.today, |w| {
        Ok((w.merge_contacts(keep.id, other.id)?, !args.dry_run))
    })?;
    let what = describe(&merged, (keep.id, &keep.name), (other.id, &other.name));
    if args.dry_run {
        writeln!(out, "Would merge {what}. Nothing was written (--dry-run).")?;
        return Ok(());
    }
    writeln!(out, "Merged {what}; #{} is erased.", other.id)?;
    for change in changes.iter().filter(|c| c.after.contact_id == keep.id) {
        writeln!(out, "{}", change.describe())?;
    }
    Ok(())
}

/// `Müller, Lukas (#2) into Lukas Müller (#1): 1 interaction, … moved; taken from #2: phone`:
/// what a merge of `other` into `keep` (id, name) moved, as the CLI and the workspace say it.
pub fn describe(
    merged: &Merged,
    (keep, keep_name): (ContactId, &str),
    (other, other_name): (ContactId, &str),
) -> String {
    format!(
        "{} (#{other}) into {} (#{keep}): {} moved{}",
        printable(other_name),
        printable(keep_name),
        counts(merged),
        taken(merged, other)
    )
}

/// `1 interaction, 2 follow-ups, 0 recorded suggestions and 1 referral`.
pub fn counts(merged: &Merged) -> String {
    format!(
        "{}, {}, {} and {}",
        plural(merged.interactions as i64, "interaction", "interactions"),
        plural(merged.follow_ups as i64, "follow-up", "follow-ups"),
        plural(
            merged.suggestions as i64,
            "recorded suggestion",
            "recorded suggestions"
        ),
        plural(merged.referrals as i64, "referral", "referrals"),
    )
}

/// `; taken from #2: phone, company; also 1 email more`, or nothing when nothing was taken.
pub fn taken(merged: &Merged, other: ContactId) -> String {
    let mut taken = String::new();
    if !merged.fields_taken.is_empty() {
        taken = format!("; taken from #{other}: {}", merged.fields_taken.join(", "));
    }
    let more = [
        (merged.emails, "email", "emails"),
        (merged.phones, "phone", "phones"),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(*n as i64, one, many))
    .collect::<Vec<_>>();
    if !more.is_empty() {
        taken.push_str(&format!("; also {} more", more.join(" and ")));
    }
    taken
}

/// How a command line names a contact: its external id, else `#ID`.
fn reference(c: &Contact) -> String {
    c.external_id
        .clone()
        .unwrap_or_else(|| format!("#{}", c.id))
}
