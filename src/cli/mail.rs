//! Mail in: `rapport mail ingest` (one message on standard input) and `rapport import mbox|maildir`
//! (a whole history), parsed by `mail-parser`; every message is logged with the contacts it
//! names, once per Message-ID, in one write.

use std::io::{BufReader, Read, Write};

use anyhow::{anyhow, bail, Context as _};
use chrono::NaiveDateTime;
use mail_parser::{Address, MessageParser};

use super::args::{ImportArgs, ImportWhat, MailIngestArgs};
use super::Context;
use crate::domain::dates;
use crate::domain::text::{plural, printable, without_controls};
use crate::store::mail::{MailBatch, MailMessage, MailReport};
use crate::store::Store;

/// Unmatched addresses listed by name after an import; the rest are counted.
const LISTED_UNMATCHED: usize = 10;

pub fn ingest(ctx: &Context, args: MailIngestArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut raw = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut raw)
        .context("cannot read the message from standard input")?;
    let message = parse(&raw, now(ctx))
        .ok_or_else(|| anyhow!("standard input holds no mail message (no header was found)"))?;
    // Only `--add-unknown` can start a database: without it every message needs a known contact.
    let report = ctx.with_store(args.add_unknown, |store| {
        log_all(ctx, store, [Ok(message)], args.add_unknown, false, false)
    })?;
    write_report(&report, false, out)
}

pub fn import(ctx: &Context, args: &ImportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let shown = printable(&args.file.display().to_string()).into_owned();
    let default_at = now(ctx);
    let messages: Box<dyn Iterator<Item = anyhow::Result<MailMessage>>> = match args.what {
        ImportWhat::Mbox => {
            let file = std::fs::File::open(&args.file)
                .with_context(|| format!("cannot read the mbox file '{shown}'"))?;
            let mbox = mail_parser::mailbox::mbox::MessageIterator::new(BufReader::new(file));
            Box::new(mbox.enumerate().map(move |(i, m)| {
                let m = m.with_context(|| format!("cannot read message {} of '{shown}'", i + 1))?;
                parse(m.contents(), default_at)
                    .ok_or_else(|| anyhow!("message {} of the mbox is not a mail message", i + 1))
            }))
        }
        _ => {
            if !args.file.is_dir() {
                bail!("the maildir '{shown}' is not a folder");
            }
            let folders = mail_parser::mailbox::maildir::FolderIterator::new(&args.file, Some("."))
                .with_context(|| format!("cannot read the maildir '{shown}'"))?;
            Box::new(
                folders.flat_map(move |folder| -> Vec<anyhow::Result<MailMessage>> {
                    match folder {
                        Err(e) => vec![Err(anyhow!("cannot read a folder of the maildir: {e}"))],
                        Ok(folder) => folder
                            .map(|m| {
                                let m = m.map_err(|e| {
                                    anyhow!("cannot read a message of the maildir: {e}")
                                })?;
                                parse(m.contents(), default_at).ok_or_else(|| {
                                    anyhow!("{} is not a mail message", m.path().display())
                                })
                            })
                            .collect(),
                    }
                }),
            )
        }
    };
    let report = ctx.with_store(args.add_unknown && !args.dry_run, |store| {
        log_all(ctx, store, messages, args.add_unknown, args.dry_run, true)
    })?;
    write_report(&report, args.dry_run, out)
}

/// Logs every message in one write (all or nothing); a dry run rolls it back. `many` for a
/// mailbox, whose rows are indexed for search once at the end.
fn log_all(
    ctx: &Context,
    store: &mut Store,
    messages: impl IntoIterator<Item = anyhow::Result<MailMessage>>,
    add_unknown: bool,
    dry_run: bool,
    many: bool,
) -> anyhow::Result<MailReport> {
    let me = &ctx.config.mail.me;
    let mut failure = None;
    let (report, _) = store.write_if(ctx.today, |w| {
        if many {
            w.expect_many()?;
        }
        w.keep_models();
        let mut batch = MailBatch::new(me, add_unknown);
        for message in messages {
            match message {
                Ok(message) => w.log_mail(&mut batch, &message)?,
                Err(e) => {
                    failure = Some(e);
                    return Ok((batch.report, false));
                }
            }
        }
        let report = batch.report;
        // Nothing new (the same message again) leaves the file as it was.
        let wrote = report.logged > 0 || !report.added.is_empty();
        Ok((report, wrote && !dry_run))
    })?;
    if let Some(e) = failure {
        return Err(e.context("nothing was imported"));
    }
    Ok(report)
}

fn write_report(report: &MailReport, dry_run: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} {} from {}{}{}.",
        if dry_run { "Would log" } else { "Logged" },
        plural(report.logged as i64, "email", "emails"),
        plural(report.messages as i64, "message", "messages"),
        if report.already_logged > 0 {
            format!(" ({} logged before, left alone)", report.already_logged)
        } else {
            String::new()
        },
        if report.added.is_empty() {
            String::new()
        } else {
            format!(
                "; added {} as leads",
                plural(report.added.len() as i64, "address", "addresses")
            )
        }
    )?;
    if !report.unmatched.is_empty() {
        let mut by_count: Vec<(&String, &usize)> = report.unmatched.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let listed: Vec<String> = by_count
            .iter()
            .take(LISTED_UNMATCHED)
            .map(|(address, n)| format!("{} ({n})", printable(address)))
            .collect();
        let more = by_count.len().saturating_sub(LISTED_UNMATCHED);
        writeln!(
            out,
            "No contact has {}: {}{}; `--add-unknown` adds them as leads.",
            plural(by_count.len() as i64, "address", "addresses"),
            listed.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )?;
    }
    Ok(())
}

/// The parts of a message Rapport logs; None when `raw` has no header at all.
fn parse(raw: &[u8], default_at: NaiveDateTime) -> Option<MailMessage> {
    let message = MessageParser::default().parse(raw)?;
    let mut addresses = Vec::new();
    for field in [message.from(), message.to(), message.cc(), message.bcc()] {
        collect(field, &mut addresses);
    }
    if addresses.is_empty() && message.subject().is_none() && message.message_id().is_none() {
        return None;
    }
    let at = message
        .date()
        .and_then(|d| chrono::DateTime::from_timestamp(d.to_timestamp(), 0))
        .map(|utc| utc.with_timezone(&chrono::Local).naive_local())
        .unwrap_or(default_at);
    Some(MailMessage {
        message_id: message.message_id().map(str::to_string),
        at,
        subject: message.subject().map(|s| without_controls(s).into_owned()),
        addresses,
    })
}

fn collect(field: Option<&Address>, into: &mut Vec<(String, Option<String>)>) {
    for addr in field.into_iter().flat_map(|a| a.iter()) {
        // A header is the sender's text, not ours: an address no contact could hold is skipped
        // and a display name loses its control characters, so one odd message never stops an import.
        if let Some(address) = addr.address().filter(|a| !a.contains(char::is_control)) {
            let name = addr.name().map(|n| without_controls(n).into_owned());
            into.push((address.to_string(), name));
        }
    }
}

/// When a message without a Date happened: now, or noon of an `--as-of` day.
fn now(ctx: &Context) -> NaiveDateTime {
    dates::default_instant(ctx.today, chrono::Local::now().naive_local())
}
