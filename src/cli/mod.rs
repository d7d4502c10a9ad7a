//! The command line: one function per subcommand, on top of the store.

pub mod args;
mod backup_args;
mod contacts;
mod data;
pub mod demo;
mod draft;
mod follow_up;
mod formats;
mod ics;
pub mod log;
mod mail;
mod maintenance;
pub mod merge;
pub mod output;
mod overview;
mod passphrase;
mod report;
mod report_args;
mod scores;
mod sealed;
mod suggestions;
mod today;
mod vcard;

use std::io::Write;
use std::path::PathBuf;

use anyhow::{anyhow, Context as _};
use chrono::NaiveDate;
use clap::CommandFactory;

pub use args::Cli;
use args::{Command, Shell};

use crate::config::{default_paths, Config};
use crate::domain::dates;
use crate::domain::text::plural;
use crate::store::Store;

/// What every command knows: where the data is, the configuration, and "today".
pub struct Context {
    pub db: PathBuf,
    pub config: Config,
    pub today: NaiveDate,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> anyhow::Result<Context> {
        let real_today = chrono::Local::now().date_naive();
        let today = match &cli.as_of {
            Some(text) => {
                dates::parse_date(text, real_today).map_err(|e| anyhow!("--as-of: {}", e))?
            }
            None => real_today,
        };
        let needs_defaults = cli.db.is_none() || cli.config.is_none();
        let defaults = if needs_defaults {
            Some(default_paths().map_err(|e| anyhow!(e))?)
        } else {
            None
        };
        let db = cli
            .db
            .clone()
            .or_else(|| defaults.as_ref().map(|d| d.database.clone()))
            .expect("database path");
        let config_path = cli
            .config
            .clone()
            .or_else(|| defaults.as_ref().map(|d| d.config.clone()))
            .expect("config path");
        let config = Config::load(&config_path).map_err(|e| anyhow!(e))?;
        Ok(Context { db, config, today })
    }

    /// Opens the database for a command that reads or changes what is already there: a missing
    /// file is an error and nothing is created (a typo in `--db` must not leave an empty file).
    pub fn open(&self) -> anyhow::Result<Store> {
        if !self.db.exists() {
            return Err(crate::store::StoreError::Missing(self.db.clone()).into());
        }
        self.open_or_create()
    }

    /// Opens the database, creating it first, for the workspace (where a first client is added).
    pub fn open_or_create(&self) -> anyhow::Result<Store> {
        Store::open_with(&self.db, self.config.clone())
            .with_context(|| format!("cannot open the database {}", self.db.display()))
    }

    /// Runs `body` on the database. When `may_create` (add, import, mail with `--add-unknown`), a
    /// missing file is created first and removed again if `body` fails, so a refused first
    /// command leaves nothing behind; otherwise a missing file is an error, as for [`Self::open`].
    pub fn with_store<T>(
        &self,
        may_create: bool,
        body: impl FnOnce(&mut Store) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        if !may_create || self.db.exists() {
            return body(&mut self.open()?);
        }
        let dir = self.db.parent().filter(|d| !d.as_os_str().is_empty());
        let new_dir = dir.filter(|d| !d.exists());
        let result = self.open_or_create().and_then(|mut store| body(&mut store));
        if result.is_err() {
            for suffix in ["", "-wal", "-shm"] {
                let mut name = self.db.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(name);
            }
            if let Some(dir) = new_dir {
                let _ = std::fs::remove_dir(dir);
            }
        }
        result
    }

    /// The request to open the workspace on `db` with this context's configuration and date.
    pub fn workspace(&self, db: PathBuf) -> Next {
        Next::Workspace {
            db,
            config: Box::new(self.config.clone()),
            today: self.today,
        }
    }

    pub fn dimensions(&self) -> Vec<String> {
        self.config
            .dimension_names()
            .into_iter()
            .map(String::from)
            .collect()
    }
}

/// What a command line leaves for the binary to do. The workspace (the TUI) sits above the command
/// line and runs it for its `:` prompt, so the command line only asks for the workspace.
#[derive(Debug)]
pub enum Next {
    Done,
    /// Open the workspace on this database.
    Workspace {
        db: PathBuf,
        config: Box<Config>,
        today: NaiveDate,
    },
}

/// Runs one command line; the error, if any, is one sentence for the user.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<Next> {
    let ctx = Context::from_cli(&cli)?;
    let explicit_db = cli.db.clone();
    // Backups and exports write elsewhere: only a full database file system gets this sentence.
    let writes_elsewhere = matches!(cli.command, Some(Command::Backup(_) | Command::Export(_)));
    run_command(&ctx, cli.command, explicit_db, out).map_err(|err| {
        if !writes_elsewhere && crate::store::disk_full::is_disk_full(err.as_ref()) {
            anyhow!(crate::store::disk_full::disk_full_sentence(&ctx.db))
        } else {
            err
        }
    })
}

fn run_command(
    ctx: &Context,
    command: Option<Command>,
    explicit_db: Option<PathBuf>,
    out: &mut dyn Write,
) -> anyhow::Result<Next> {
    let Some(command) = command else {
        return no_command(ctx, out);
    };
    let done = match command {
        Command::Add(args) => contacts::add(ctx, args, out),
        Command::Edit(args) => contacts::edit(ctx, args, out),
        Command::Show(args) => contacts::show(ctx, args, out),
        Command::List(args) => contacts::list(ctx, args, out),
        Command::Forget(args) => contacts::forget(ctx, args, out),
        Command::Draft(args) => draft::draft(ctx, args, out),
        Command::Duplicates(args) => merge::duplicates(ctx, args, out),
        Command::Mail(args::MailCommand::Ingest(args)) => mail::ingest(ctx, args, out),
        Command::Merge(args) => merge::merge(ctx, args, out),
        Command::Log(command) => log::run(ctx, command, out),
        Command::Score(args) => scores::score(ctx, args, out),
        Command::FollowUp(command) => follow_up::run(ctx, command, out),
        Command::Today(args) => today::today(ctx, args, out),
        Command::Agenda(args) => today::agenda(ctx, args, out),
        Command::Report(args::ReportCli {
            command: Some(args::ReportCommand::Actions(args)),
            ..
        }) => report::actions(ctx, args, out),
        Command::Report(args::ReportCli {
            command: Some(args::ReportCommand::Segments(args)),
            ..
        }) => overview::segments(ctx, &args, out),
        Command::Report(args::ReportCli { periods, .. }) => overview::report(ctx, &periods, out),
        Command::Import(args) => data::import(ctx, args, out),
        Command::Export(args) => data::export(ctx, args, out),
        Command::Backup(args) => data::backup(ctx, args, out),
        Command::Doctor(args) => maintenance::doctor(ctx, args, out),
        Command::Restore(args) => maintenance::restore(ctx, args, out),
        Command::Demo(args) => return demo::run(ctx, args, explicit_db.as_ref(), out),
        Command::Completions(args) => completions(args.shell, out),
    };
    done.map(|()| Next::Done)
}

/// `rapport` alone: the TUI workspace on a terminal, a one-line summary otherwise (pipes, scripts).
fn no_command(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<Next> {
    if is_interactive() {
        // The workspace is where a new user adds their first client: it may start the file.
        drop(ctx.open_or_create()?);
        return Ok(ctx.workspace(ctx.db.clone()));
    }
    let store = ctx.open()?;
    writeln!(
        out,
        "{}: {}, {}. See `rapport --help`.",
        store.path().display(),
        plural(store.contact_count()?, "contact", "contacts"),
        plural(store.interaction_count()?, "interaction", "interactions")
    )?;
    Ok(Next::Done)
}

/// The workspace opens only on a real terminal; piped or scripted runs get a summary.
pub(crate) fn is_interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

fn completions(shell: Shell, out: &mut dyn Write) -> anyhow::Result<()> {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    // clap_complete panics on a failed write (`| head` closing the pipe), so generate into memory
    // and let our own write report the closed pipe, which `main` ends quietly on.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rapport", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// The error as one line: its context chain joined, made safe for the terminal.
pub fn describe(err: &anyhow::Error) -> String {
    output::error_sentence(err)
}

/// Whether the error is only the reader of our output going away (`rapport export | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || cause.downcast_ref::<csv::Error>().is_some_and(
                |e| matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
            || cause.to_string().contains("Broken pipe")
    })
}
