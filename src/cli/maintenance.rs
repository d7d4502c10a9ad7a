//! `doctor` and `restore`: looking after the database file itself.

use std::io::Write;

use anyhow::bail;

use super::args::{DoctorArgs, RestoreArgs};
use super::sealed::{unseal_for, PlainCopy};
use super::Context;
use crate::domain::text::{plural, printable};
use crate::encryption;
use crate::store::maintenance::{self, Level};

/// Checks the database and says in plain words what is right and what is not; exit 1 on a problem.
pub fn doctor(ctx: &Context, _args: DoctorArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let health = maintenance::doctor(&ctx.db, ctx.today)?;
    writeln!(out, "Checking {}", printable(&ctx.db.display().to_string()))?;
    let width = health
        .findings
        .iter()
        .map(|f| f.check.len())
        .max()
        .unwrap_or(0);
    for finding in &health.findings {
        let mark = match finding.level {
            Level::Ok => "ok     ",
            Level::Note => "note   ",
            Level::Problem => "PROBLEM",
        };
        writeln!(
            out,
            "  {}  {:<width$}  {}",
            mark,
            finding.check,
            printable(&finding.message)
        )?;
    }
    match health.problems() {
        0 => {
            writeln!(out, "Healthy.")?;
            Ok(())
        }
        1 => bail!("the database has a problem (see above)"),
        n => bail!("the database has {} problems (see above)", n),
    }
}

/// Puts a checked backup in place, keeping the current database aside.
pub fn restore(ctx: &Context, args: RestoreArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let sealed = args.backup.is_file() && encryption::is_sealed(&args.backup)?;
    let restored = if sealed {
        // Opened beside the database, never beside the backup (which may be a synced folder).
        let unseal = unseal_for(&args.backup, &args)?;
        let plain = PlainCopy::beside(&ctx.db, "restore")?;
        encryption::unseal_file(&args.backup, plain.path(), &unseal)?;
        maintenance::restore(&ctx.db, plain.path(), args.yes)?
    } else {
        if !args.identity.is_empty() || args.passphrase_command.is_some() {
            bail!(
                "{} is not encrypted; leave out --identity and --passphrase-command",
                args.backup.display()
            );
        }
        maintenance::restore(&ctx.db, &args.backup, args.yes)?
    };
    let what = format!(
        "{}, {}",
        plural(restored.backup.contacts, "contact", "contacts"),
        plural(restored.backup.interactions, "interaction", "interactions")
    );
    writeln!(
        out,
        "Restored {} to {} ({}).",
        printable(&args.backup.display().to_string()),
        printable(&ctx.db.display().to_string()),
        what
    )?;
    if let Some(kept) = &restored.kept_as {
        writeln!(
            out,
            "The database it replaced is kept as {}.",
            printable(&kept.display().to_string())
        )?;
    }
    Ok(())
}
