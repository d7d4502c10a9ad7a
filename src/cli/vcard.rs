//! `import vcard` and `export vcard`: files and vdirs on one side, the store on the other.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::args::{ExportArgs, ImportArgs};
use super::Context;
use crate::domain::text::{plural, printable};
use crate::interop::vcard_read::read_cards;
use crate::interop::vcard_write::{file_name, write_card, write_card_over};
use crate::store::vcard::{CardInput, VcardReport};

/// Problems listed one per line; more are counted.
const MAX_LISTED: usize = 50;

pub fn import(ctx: &Context, args: &ImportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if args.add_unknown {
        bail!("--add-unknown applies to mbox and maildir imports only");
    }
    let (texts, vdir) = if args.file.is_dir() {
        let dir = std::fs::canonicalize(&args.file)
            .with_context(|| format!("cannot read the folder '{}'", args.file.display()))?;
        (vdir_texts(&dir)?, Some(dir.to_string_lossy().into_owned()))
    } else {
        (vec![file_text(&args.file)?], None)
    };
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in &texts {
        for read in read_cards(text) {
            match read {
                Ok(card) => inputs.push(CardInput {
                    place: format!("{name} line {}", card.line),
                    card: card.card,
                }),
                Err(p) => problems.push((format!("{name} line {}", p.line), p.message)),
            }
        }
    }
    let cards = inputs.len() + problems.len();
    if cards == 0 {
        // An emptied vdir would otherwise archive everyone it held.
        bail!(
            "nothing was imported: '{}' holds no vCard (BEGIN:VCARD … END:VCARD)",
            args.file.display()
        );
    }
    if !problems.is_empty() {
        return refuse(&problems, cards);
    }
    // Like the CSV imports, a real import may start the database; a dry run needs one.
    ctx.with_store(!args.dry_run, |store| {
        let report = store.import_vcards(&inputs, vdir.as_deref(), args.dry_run, ctx.today)?;
        if !report.problems.is_empty() {
            return refuse(&report.problems, cards);
        }
        summary(&report, vdir.as_deref(), out)
    })
}

/// Each `.vcf` file of a vdir (one card each, by the vdir convention), by file name.
fn vdir_texts(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    vcf_paths(dir)?
        .into_iter()
        .map(|path| {
            let (_, text) = file_text(&path)?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            Ok((name.unwrap_or_default(), text))
        })
        .collect()
}

/// The `.vcf` files of a vdir, in file name order.
fn vcf_paths(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder '{}'", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("vcf")))
        .collect();
    files.sort();
    Ok(files)
}

/// Which file of the vdir already holds each UID: a card synced from a server or made by
/// another program need not be named after its UID, and it must be rewritten, not doubled.
/// (A file that cannot be read holds no card Rapport could rewrite.)
fn files_by_uid(dir: &Path) -> anyhow::Result<HashMap<String, PathBuf>> {
    let mut found = HashMap::new();
    for path in vcf_paths(dir)? {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for card in read_cards(&text).into_iter().flatten() {
            if let Some(uid) = card.card.uid {
                found.entry(uid).or_insert_with(|| path.clone());
            }
        }
    }
    Ok(found)
}

/// The file's name as given and its text (`-`: standard input).
fn file_text(path: &Path) -> anyhow::Result<(String, String)> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().lock().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the file '{}'", path.display()))?;
    }
    let name = if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok((name, text)),
        Err(_) => bail!("nothing was imported: {name} is not UTF-8 text"),
    }
}

/// One problem is the error itself; several are listed above a count.
fn refuse(problems: &[(String, String)], cards: usize) -> anyhow::Result<()> {
    if let [(place, message)] = problems {
        bail!(
            "nothing was imported: {place}: {}; fix it and import again",
            printable(message)
        );
    }
    let mut err = std::io::stderr().lock();
    for (place, message) in problems.iter().take(MAX_LISTED) {
        writeln!(err, "{place}: {}", printable(message))?;
    }
    if problems.len() > MAX_LISTED {
        writeln!(err, "… and {} more", problems.len() - MAX_LISTED)?;
    }
    bail!(
        "nothing was imported: {} of {} invalid (listed above); fix them and import again",
        problems.len(),
        plural(cards as i64, "card is", "cards are")
    )
}

fn summary(report: &VcardReport, vdir: Option<&str>, out: &mut dyn Write) -> anyhow::Result<()> {
    let (verb, archive, tail) = if report.dry_run {
        (
            "Would import",
            "Would archive",
            " (dry run: nothing written)",
        )
    } else {
        ("Imported", "Archived", "")
    };
    writeln!(
        out,
        "{verb} {}: {} added, {} updated, {} unchanged{tail}.",
        plural(report.cards as i64, "card", "cards"),
        report.added,
        report.updated,
        report.unchanged
    )?;
    if !report.archived.is_empty() {
        let names: Vec<String> = report
            .archived
            .iter()
            .map(|n| printable(n).into_owned())
            .collect();
        writeln!(
            out,
            "{archive} {} whose card is gone from {} (history kept; a card back in the folder restores them): {}.",
            plural(names.len() as i64, "contact", "contacts"),
            vdir.unwrap_or("the folder"),
            names.join(", ")
        )?;
    }
    Ok(())
}

pub fn export(ctx: &Context, args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if args.format.is_some() {
        bail!("export vcard always writes vCard; leave out --format");
    }
    let to_file = args.output.as_deref().is_some_and(|p| p != Path::new("-"));
    if args.encrypt.wanted() && (args.vdir.is_some() || !to_file) {
        bail!("an encrypted vCard export is one sealed file; give -o FILE (a vdir stays plain for khard)");
    }
    let mut store = ctx.open()?;
    let Some(dir) = &args.vdir else {
        let mut text = String::new();
        store.export_vcards(None, ctx.today, |cards| {
            for card in cards {
                text.push_str(&write_card(card, card.uid.as_deref().unwrap_or_default()));
            }
            Ok(())
        })?;
        return match &args.output {
            Some(path) if args.encrypt.wanted() => {
                let seal = args.encrypt.seal()?;
                let file = std::fs::File::create(path)
                    .with_context(|| format!("cannot write the file '{}'", path.display()))?;
                let mut sealed = crate::encryption::seal_stream(&seal, file)?;
                sealed.write_all(text.as_bytes())?;
                sealed.finish()?;
                Ok(())
            }
            Some(path) if path != Path::new("-") => std::fs::write(path, text)
                .with_context(|| format!("cannot write the file '{}'", path.display())),
            _ => Ok(out.write_all(text.as_bytes())?),
        };
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder '{}'", dir.display()))?;
    let canonical = std::fs::canonicalize(dir)
        .with_context(|| format!("cannot read the folder '{}'", dir.display()))?;
    let existing = files_by_uid(&canonical)?;
    let mut changed = 0;
    let written = store.export_vcards(Some(&canonical.to_string_lossy()), ctx.today, |cards| {
        for card in cards {
            let uid = card.uid.as_deref().unwrap_or_default();
            let path = existing
                .get(uid)
                .cloned()
                .unwrap_or_else(|| canonical.join(file_name(uid)));
            let previous = std::fs::read_to_string(&path).ok();
            if write_if_changed(&path, &write_card_over(card, uid, previous.as_deref()))? {
                changed += 1;
            }
        }
        Ok(())
    })?;
    writeln!(
        out,
        "Exported {} to {} ({} written, the others unchanged).",
        plural(written as i64, "card", "cards"),
        canonical.display(),
        changed
    )?;
    Ok(())
}

/// Writes only what differs (so vdirsyncer sees only real changes), through a temporary file
/// renamed into place (so khard never reads half a card).
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    let tmp = path.with_extension("vcf.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)?;
    Ok(true)
}
