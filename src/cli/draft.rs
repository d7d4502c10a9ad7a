//! `rapport draft CONTACT`: the contact's template in the editor, then sent or saved and logged.

use std::io::Write;

use super::args::DraftArgs;
use super::Context;
use crate::domain::dates;
use crate::outbox;

pub fn draft(ctx: &Context, args: DraftArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = super::scores::fresh_store(ctx)?;
    let contact = store.resolve_contact(&args.contact)?;
    let draft = outbox::prepare(
        &store,
        &ctx.config,
        ctx.today,
        &contact,
        args.action.as_deref(),
    )?;
    let now = dates::default_instant(ctx.today, chrono::Local::now().naive_local());
    if args.print {
        out.write_all(&outbox::preview(&draft, now)?)?;
        return Ok(());
    }
    let edited = crate::editor::edit_text(&format!("draft-{}", contact.id), &draft.text)
        .map_err(|e| anyhow::anyhow!("{e:#}; nothing was sent"))?;
    let (outcome, changes) =
        outbox::finish(&mut store, &ctx.config, ctx.today, now, &draft, &edited)?;
    writeln!(out, "{}", outcome.describe(&contact.name))?;
    for change in changes.iter().filter(|c| c.after.contact_id == contact.id) {
        writeln!(out, "{}", change.describe())?;
    }
    Ok(())
}
