//! `import`, `export`, `backup`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::args::{BackupArgs, DataFormat, ExportArgs, ExportWhat, ImportArgs, ImportWhat};
use super::sealed::PlainCopy;
use super::Context;
use crate::domain::text::{plural, printable, printable_multiline};
use crate::encryption::{self, Seal};
use crate::store::export::ExportFormat;
use crate::store::import::{ImportKind, ImportReport, ImportSettings};
use crate::store::{FollowUpFilter, Store};

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
    // A dry run only reads, so it needs a database; a real import may start one.
    ctx.with_store(!args.dry_run, |store| {
        let report = store.import_csv(kind, input, &settings, ctx.today)?;
        write_import_report(&report, out)
    })
}

fn write_import_report(report: &ImportReport, out: &mut dyn Write) -> anyhow::Result<()> {
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
    let format = match (args.format.unwrap_or_default(), args.verbatim) {
        (DataFormat::Csv, false) => ExportFormat::Csv,
        (DataFormat::Csv, true) => ExportFormat::CsvVerbatim,
        (DataFormat::Json, false) => ExportFormat::Json,
        (DataFormat::Json, true) => bail!("--verbatim is for CSV; JSON is always exact"),
    };
    // Read on a terminal, the export is shown with escapes made visible: a name stored before
    // control characters were refused must not drive the terminal. Files and pipes get the bytes.
    let to_screen = args.output.as_deref().is_none_or(|p| p == Path::new("-")) && is_terminal();
    let seal = match args.encrypt.wanted() {
        true if to_screen => {
            bail!("an encrypted export is binary; write it to a file with -o FILE or pipe it")
        }
        true => Some(args.encrypt.seal()?),
        false => None,
    };
    let mut file_out;
    let mut screen = Vec::new();
    let sink: &mut dyn Write = match &args.output {
        Some(path) if path != Path::new("-") => {
            let file = File::create(path)
                .with_context(|| format!("cannot write the file '{}'", path.display()))?;
            file_out = BufWriter::new(file);
            &mut file_out
        }
        _ if to_screen => &mut screen,
        _ => &mut *out,
    };
    match &seal {
        Some(seal) => {
            let mut sealed = encryption::seal_stream(seal, &mut *sink)?;
            write_export(ctx, store, args.what, format, &mut sealed)?;
            sealed.finish()?;
        }
        None => write_export(ctx, store, args.what, format, &mut *sink)?,
    }
    sink.flush()?;
    if to_screen {
        out.write_all(printable_multiline(&String::from_utf8_lossy(&screen)).as_bytes())?;
    }
    Ok(())
}

fn write_export(
    ctx: &Context,
    store: Store,
    what: ExportWhat,
    format: ExportFormat,
    sink: &mut dyn Write,
) -> anyhow::Result<()> {
    match what {
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
    Ok(())
}

fn is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
}

pub fn backup(ctx: &Context, args: BackupArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    let encrypted = args.encrypt.wanted();
    let extension = if encrypted { "db.age" } else { "db" };
    let dest = args
        .dest
        .unwrap_or_else(|| default_backup_path(&ctx.db, extension));
    if !encrypted {
        store.backup_to(&dest)?;
        writeln!(out, "Backed up {} to {}.", ctx.db.display(), dest.display())?;
        return Ok(());
    }
    if dest.exists() {
        bail!(
            "backup destination '{}' already exists; choose a new file",
            dest.display()
        );
    }
    // The key first: a refused recipient or passphrase must not cost a copy of the database.
    let seal = args.encrypt.seal()?;
    let plain = PlainCopy::beside(&ctx.db, "backup")?;
    store.backup_to(plain.path())?;
    encryption::seal_file(plain.path(), &dest, &seal)?;
    let to = match &seal {
        Seal::Recipients(keys) => plural(keys.len() as i64, "age key", "age keys"),
        Seal::Passphrase(_) => "a passphrase".into(),
    };
    writeln!(
        out,
        "Backed up {} to {}, encrypted with {}.",
        ctx.db.display(),
        dest.display(),
        to
    )?;
    Ok(())
}

/// `rapport.db` → `rapport-20261123-093000.db` (or `.db.age`) beside it.
fn default_backup_path(db: &Path, extension: &str) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let stem = db.file_stem().and_then(|s| s.to_str()).unwrap_or("rapport");
    let mut path = db.with_file_name(format!("{}-{}.{}", stem, stamp, extension));
    // Two backups within one second get distinct names instead of a refusal.
    let mut n = 2;
    while path.exists() {
        path = db.with_file_name(format!("{}-{}-{}.{}", stem, stamp, n, extension));
        n += 1;
    }
    path
}
