//! The command line: one function per subcommand, on top of the store.

pub mod args;
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
mod merge;
pub mod output;
mod overview;
mod report;
mod report_args;
mod scores;
mod suggestions;
mod today;

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

    pub fn open(&self) -> anyhow::Result<Store> {
        Store::open_with(&self.db, self.config.clone())
            .with_context(|| format!("cannot open the database {}", self.db.display()))
    }

    pub fn dimensions(&self) -> Vec<String> {
        self.config
            .dimension_names()
            .into_iter()
            .map(String::from)
            .collect()
    }
}

/// Runs one command line; the error, if any, is one sentence for the user.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    let ctx = Context::from_cli(&cli)?;
    let explicit_db = cli.db.clone();
    let Some(command) = cli.command else {
        return no_command(&ctx, out);
    };
    match command {
        Command::Add(args) => contacts::add(&ctx, args, out),
        Command::Edit(args) => contacts::edit(&ctx, args, out),
        Command::Show(args) => contacts::show(&ctx, args, out),
        Command::List(args) => contacts::list(&ctx, args, out),
        Command::Forget(args) => contacts::forget(&ctx, args, out),
        Command::Draft(args) => draft::draft(&ctx, args, out),
        Command::Duplicates(args) => merge::duplicates(&ctx, args, out),
        Command::Mail(args::MailCommand::Ingest(args)) => mail::ingest(&ctx, args, out),
        Command::Merge(args) => merge::merge(&ctx, args, out),
        Command::Log(command) => log::run(&ctx, command, out),
        Command::Score(args) => scores::score(&ctx, args, out),
        Command::FollowUp(command) => follow_up::run(&ctx, command, out),
        Command::Today(args) => today::today(&ctx, args, out),
        Command::Agenda(args) => today::agenda(&ctx, args, out),
        Command::Report(args::ReportCli {
            command: Some(args::ReportCommand::Actions(args)),
            ..
        }) => report::actions(&ctx, args, out),
        Command::Report(args::ReportCli {
            command: Some(args::ReportCommand::Segments(args)),
            ..
        }) => overview::segments(&ctx, &args, out),
        Command::Report(args::ReportCli { periods, .. }) => overview::report(&ctx, &periods, out),
        Command::Import(args) => data::import(&ctx, args, out),
        Command::Export(args) => data::export(&ctx, args, out),
        Command::Backup(args) => data::backup(&ctx, args, out),
        Command::Doctor(args) => maintenance::doctor(&ctx, args, out),
        Command::Restore(args) => maintenance::restore(&ctx, args, out),
        Command::Demo(args) => demo::run(&ctx, args, explicit_db.as_ref(), out),
        Command::Completions(args) => completions(args.shell, out),
    }
}

/// `rapport` alone: the TUI workspace on a terminal, a one-line summary otherwise (pipes, scripts).
fn no_command(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open()?;
    if is_interactive() {
        let tab = crate::tui::start_tab();
        drop(store);
        return crate::tui::run(&ctx.db, ctx.config.clone(), ctx.today, tab);
    }
    writeln!(
        out,
        "{}: {}, {}. See `rapport --help`.",
        store.path().display(),
        plural(store.contact_count()?, "contact", "contacts"),
        plural(store.interaction_count()?, "interaction", "interactions")
    )?;
    Ok(())
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
    clap_complete::generate(shell, &mut Cli::command(), "rapport", out);
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
