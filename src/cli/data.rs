//! `import`, `export`, `backup`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::args::{BackupArgs, DataFormat, ExportArgs, ExportWhat, ImportArgs, ImportWhat};
use super::Context;
use crate::domain::text::{plural, printable};
use crate::store::export::ExportFormat;
use crate::store::import::{ImportKind, ImportSettings};
use crate::store::FollowUpFilter;

/// Bad rows listed one per line; more are counted.
const MAX_LISTED_ERRORS: usize = 50;

pub fn import(ctx: &Context, args: ImportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let kind = match args.what {
        ImportWhat::Contacts => ImportKind::Contacts,
        ImportWhat::Purchases => ImportKind::Purchases,
        ImportWhat::Interactions => ImportKind::Interactions,
        ImportWhat::Mbox | ImportWhat::Maildir => return super::mail::import(ctx, &args, out),
        ImportWhat::Vcard => return super::vcard::import(ctx, &args, out),
    };
    if args.add_unknown {
        bail!("--add-unknown applies to mbox and maildir imports only");
    }
    let input: Box<dyn Read> = if args.file == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let file = File::open(&args.file)
            .with_context(|| format!("cannot read the file '{}'", args.file.display()))?;
        Box::new(BufReader::with_capacity(1 << 16, file))
    };
    let dimensions = ctx.dimensions();
    let settings = ImportSettings {
        currency: &ctx.config.currency,
        dimensions: &dimensions,
        dry_run: args.dry_run,
        max_errors: MAX_LISTED_ERRORS,
    };
    let mut store = ctx.open()?;
    let report = store.import_csv(kind, input, &settings, ctx.today)?;
    if report.bad_rows > 0 {
        let mut err = std::io::stderr().lock();
        for row in &report.errors {
            writeln!(err, "line {}: {}", row.line, printable(&row.message))?;
        }
        if report.bad_rows as usize > report.errors.len() {
            writeln!(
                err,
                "… and {} more bad rows",
                report.bad_rows as usize - report.errors.len()
            )?;
        }
        bail!(
            "nothing was imported: {} of {} invalid (listed above); fix them and import again",
            report.bad_rows,
            plural(report.rows as i64, "row is", "rows are")
        );
    }
    let verb = if report.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    writeln!(
        out,
        "{} {}: {}, {}{}.",
        verb,
        plural(report.rows as i64, "row", "rows"),
        plural(report.contacts_added as i64, "contact", "contacts"),
        plural(
            report.interactions_added as i64,
            "interaction",
            "interactions"
        ),
        if report.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    )?;
    Ok(())
}

pub fn export(ctx: &Context, args: ExportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if args.what == ExportWhat::Ics && args.format.is_some() {
        bail!("export ics always writes iCalendar; leave out --format");
    }
    if args.what == ExportWhat::Vcard {
        return super::vcard::export(ctx, &args, out);
    }
    if args.vdir.is_some() {
        bail!("--vdir applies to export vcard only");
    }
    let store = ctx.open()?;
    let format = match args.format.unwrap_or_default() {
        DataFormat::Csv => ExportFormat::Csv,
        DataFormat::Json => ExportFormat::Json,
    };
    let mut file_out;
    let sink: &mut dyn Write = match &args.output {
        Some(path) if path != Path::new("-") => {
            let file = File::create(path)
                .with_context(|| format!("cannot write the file '{}'", path.display()))?;
            file_out = BufWriter::new(file);
            &mut file_out
        }
        _ => out,
    };
    match args.what {
        ExportWhat::Contacts => store.export_contacts(format, &mut *sink)?,
        ExportWhat::Interactions => {
            store.export_interactions(format, &mut *sink, &ctx.dimensions())?
        }
        ExportWhat::Scores => {
            drop(store);
            super::scores::export_scores(ctx, format, &mut *sink)?
        }
        ExportWhat::Ics => {
            let open = store.follow_ups(&FollowUpFilter::default())?;
            sink.write_all(super::ics::calendar(&open).as_bytes())?;
        }
        // Written by `vcard::export` above.
        ExportWhat::Vcard => {}
    }
    sink.flush()?;
    Ok(())
}

pub fn backup(ctx: &Context, args: BackupArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let dest = args.dest.unwrap_or_else(|| default_backup_path(&ctx.db));
    store.backup_to(&dest)?;
    writeln!(out, "Backed up {} to {}.", ctx.db.display(), dest.display())?;
    Ok(())
}

/// `rapport.db` → `rapport-20261123-093000.db` beside it.
fn default_backup_path(db: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let stem = db.file_stem().and_then(|s| s.to_str()).unwrap_or("rapport");
    let mut path = db.with_file_name(format!("{}-{}.db", stem, stamp));
    // Two backups within one second get distinct names instead of a refusal.
    let mut n = 2;
    while path.exists() {
        path = db.with_file_name(format!("{}-{}-{}.db", stem, stamp, n));
        n += 1;
    }
    path
}
