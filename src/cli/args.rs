//! The command line as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use super::backup_args::{BackupArgs, DoctorArgs, EncryptArgs, RestoreArgs};
pub use super::formats::ListFormat;
pub use super::report_args::{
    PeriodArgs, PeriodChoice, ReportArgs, ReportCli, ReportCommand, ReportFormat,
};

#[derive(Debug, Parser)]
#[command(name = "rapport", version, about = "A terminal CRM for one-person companies", long_about = None)]
pub struct Cli {
    /// Database file (default: rapport.db in the XDG data directory).
    #[arg(long, global = true, env = "RAPPORT_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file (default: config.toml in the XDG config directory).
    #[arg(long, global = true, env = "RAPPORT_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Treat DATE as today: the default date of entries and the date scores are computed for.
    #[arg(long, global = true, env = "RAPPORT_TODAY", value_name = "DATE")]
    pub as_of: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a contact.
    Add(AddArgs),
    /// Change a contact's details (only the options given).
    Edit(EditArgs),
    /// Record a call, email, meeting, note, purchase or feedback.
    #[command(subcommand)]
    Log(LogCommand),
    /// Show a contact with its recent interactions and totals.
    Show(ShowArgs),
    /// List contacts or interactions.
    List(ListArgs),
    /// Import contacts, purchases or interactions from CSV, or vCards (all-or-nothing).
    Import(ImportArgs),
    /// Export contacts or interactions as CSV or JSON, follow-ups as iCalendar, contacts as vCard.
    Export(ExportArgs),
    /// Copy the database consistently, even while another session writes.
    Backup(BackupArgs),
    /// Erase a contact and everything recorded about them.
    Forget(ForgetArgs),
    /// Mail in: `mail ingest` logs the message on standard input (for a mutt or aerc key, a pipe).
    #[command(subcommand)]
    Mail(MailCommand),
    /// Mail out: a message from the template for the contact's stage and recommended action,
    /// edited in $VISUAL/$EDITOR, sent through `[drafts] sendmail` or saved into the drafts
    /// folder, and logged as an email.
    Draft(DraftArgs),
    /// Likely duplicate contacts: the same email, phone, or name (case and accents folded).
    Duplicates(DuplicatesArgs),
    /// Move everything of OTHER onto KEEP and erase OTHER (`--dry-run` says what would move).
    Merge(MergeArgs),
    /// Check the database: integrity, permissions, schema, scores; exit 1 on a problem.
    Doctor(DoctorArgs),
    /// Replace the database with a backup, keeping the current one aside.
    Restore(RestoreArgs),
    /// Re-score everyone (refitting the models when due or asked).
    Score(ScoreArgs),
    /// Plan what to do for a contact by when: add, list, done, snooze, edit, rm.
    #[command(subcommand, visible_alias = "fu")]
    FollowUp(FollowUpCommand),
    /// The morning agenda: overdue, due today, and the most valuable at-risk clients without a plan.
    Today(TodayArgs),
    /// Follow-ups of the coming days, grouped by day.
    Agenda(AgendaArgs),
    /// The business by period: revenue, clients, retention, risk (`report segments`: who moved;
    /// `report actions`: did the suggestions work?)
    Report(ReportCli),
    /// Generate a realistic demo business into a fresh database.
    Demo(DemoArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
}

#[derive(Debug, Args, Default, Clone)]
pub struct ContactOptions {
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// An id from another system, unique (used by imports).
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The contact who referred this one.
    #[arg(long, value_name = "CONTACT")]
    pub referred_by: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    pub name: String,
    #[command(flatten)]
    pub options: ContactOptions,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub contact: String,
    /// New name.
    #[arg(long)]
    pub name: Option<String>,
    /// Remove all tags before adding the given ones.
    #[arg(long)]
    pub clear_tags: bool,
    /// Keep in touch every DURATION (30d, 2w, 3m): a touch falls due that long after the last
    /// interaction of any kind; `off` stops it (the config's cadence for their stage too);
    /// `default` hands them back to the config's.
    #[arg(long, value_name = "DURATION|off|default")]
    pub stay_in_touch: Option<String>,
    #[command(flatten)]
    pub options: ContactOptions,
}

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// A phone call.
    Call(TouchArgs),
    /// An email.
    Email(TouchArgs),
    /// A meeting.
    Meeting(TouchArgs),
    /// A note.
    Note(TouchArgs),
    /// A purchase: CONTACT AMOUNT (1200, 1200.50 or 1,200.50; 0 for pro-bono work).
    Purchase(PurchaseArgs),
    /// Feedback: CONTACT DIM=STARS... (1-5 stars per configured dimension).
    Feedback(FeedbackArgs),
}

#[derive(Debug, Args)]
pub struct TouchArgs {
    pub contact: String,
    /// What it was about.
    pub summary: Vec<String>,
    /// When (YYYY-MM-DD[ HH:MM], today, yesterday, 3d, 2w, a weekday). Default: today.
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct PurchaseArgs {
    pub contact: String,
    /// Accepts a leading '-' so a negative amount gets a clear refusal, not a usage error.
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// What was bought.
    #[arg(long)]
    pub item: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct FeedbackArgs {
    pub contact: String,
    /// Ratings like quality=5 price=4 service=4.
    #[arg(required = true, value_name = "DIM=STARS")]
    pub ratings: Vec<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ShowFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DataFormat {
    #[default]
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub contact: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Contacts,
    Interactions,
    /// Clients ranked by value at risk (churn probability × CLV).
    AtRisk,
    /// The K-means client segments.
    Segments,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(value_enum)]
    pub what: ListWhat,
    /// Only rows whose text contains this.
    #[arg(long)]
    pub search: Option<String>,
    /// Interactions: only this contact's (external id, name or a unique part of a name).
    #[arg(long)]
    pub contact: Option<String>,
    /// Interactions: only this kind (call, email, meeting, note, purchase, feedback).
    #[arg(long)]
    pub kind: Option<String>,
    /// Interactions: only those on or after this date (2026-11-01, yesterday, 30d, friday).
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long)]
    pub limit: Option<usize>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportWhat {
    Contacts,
    Purchases,
    Interactions,
    /// A whole mailbox file: every message is logged as an email with the contacts it names.
    Mbox,
    /// A maildir folder (its cur and new, and its subfolders), like `mbox`.
    Maildir,
    /// vCard 3.0 or 4.0: one .vcf file of many cards (a phone's export) or a vdir folder of one
    /// card per .vcf file (khard, vdirsyncer); cards update the contacts with their UID or email.
    Vcard,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub what: ImportWhat,
    /// CSV file with a header, or - for standard input; the mbox file; the maildir folder; the
    /// .vcf file (or -) or vdir folder.
    pub file: PathBuf,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// mbox and maildir: add the addresses no contact has as leads (but yours, `[mail] me`).
    #[arg(long)]
    pub add_unknown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    Contacts,
    Interactions,
    Scores,
    /// Open follow-ups as an iCalendar feed of VTODOs (to-dos with a due date, not events), for
    /// khal, calcurse and phones; `--format` does not apply.
    Ics,
    /// Every contact not archived as a vCard 4.0 card with a stable UID: one file (-o) or, with
    /// --vdir, one file per card named by its UID (khard, vdirsyncer); `--format` does not apply.
    Vcard,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub what: ExportWhat,
    /// csv (the default) or json; not for ics.
    #[arg(long, value_enum)]
    pub format: Option<DataFormat>,
    /// Write to FILE instead of standard output (- is standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub encrypt: EncryptArgs,
    /// CSV cells exactly as stored: without it, a cell a spreadsheet would run as a formula
    /// (starting with = + - @) gets a leading ' that `import` takes off again.
    #[arg(long)]
    pub verbatim: bool,
    /// vcard: write one .vcf file per contact into DIR (a vdir), replacing Rapport's earlier ones.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub vdir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Refit segments and the churn model over everyone first.
    #[arg(long)]
    pub refit: bool,
    /// Also recompute the overview's score figures of up to MONTHS past months Rapport did not
    /// record (after importing a history), as of each month's last day with today's models.
    #[arg(long, value_name = "MONTHS", num_args = 0..=1, default_missing_value = "24")]
    pub backfill: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum FollowUpCommand {
    /// Plan a follow-up: CONTACT TEXT... --due WHEN [--every 2w]; prints its id.
    Add(FollowUpAddArgs),
    /// Open follow-ups, oldest due first.
    List(FollowUpListArgs),
    /// Mark a follow-up done; `--log call [SUMMARY...]` records the call in the same step.
    Done(FollowUpDoneArgs),
    /// Put a follow-up off: ID WHEN.
    Snooze(FollowUpSnoozeArgs),
    /// Change a follow-up's text, due date or recurrence.
    Edit(FollowUpEditArgs),
    /// Delete a follow-up.
    Rm(FollowUpIdArgs),
}

/// The due-date forms, for help texts.
const DUE_FORMS: &str = "today, tomorrow, friday, next friday, in 3 days, 3d, 2w, 1m, eow, eom, YYYY-MM-DD, optionally with HH:MM";

#[derive(Debug, Args)]
pub struct FollowUpAddArgs {
    pub contact: String,
    /// What to do.
    #[arg(required = true)]
    pub text: Vec<String>,
    #[arg(long, value_name = "WHEN", help = format!("When it is due ({DUE_FORMS})"))]
    pub due: String,
    /// Recur: every 2w, 10d, 3m, 1y.
    #[arg(long, value_name = "DURATION")]
    pub every: Option<String>,
}

#[derive(Debug, Args)]
pub struct FollowUpListArgs {
    /// Only those past their due date.
    #[arg(long)]
    pub overdue: bool,
    /// Only this contact's.
    #[arg(long, value_name = "CONTACT")]
    pub contact: Option<String>,
    /// Done ones too.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct FollowUpIdArgs {
    pub id: String,
}

#[derive(Debug, Args)]
pub struct FollowUpDoneArgs {
    pub id: String,
    /// Also record what was done: call, email, meeting or note, then an optional summary.
    #[arg(long, value_name = "KIND [SUMMARY...]", num_args = 1.., allow_hyphen_values = true)]
    pub log: Option<Vec<String>>,
}

#[derive(Debug, Args)]
pub struct FollowUpSnoozeArgs {
    pub id: String,
    #[arg(help = format!("The new due date ({DUE_FORMS})"))]
    pub when: String,
}

#[derive(Debug, Args)]
pub struct FollowUpEditArgs {
    pub id: String,
    #[arg(long)]
    pub text: Option<String>,
    #[arg(long, value_name = "WHEN")]
    pub due: Option<String>,
    /// A new recurrence (every 2w, 3m), or `off`.
    #[arg(long, value_name = "DURATION")]
    pub every: Option<String>,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// How many at-risk clients without a plan to suggest.
    #[arg(long, default_value_t = 5)]
    pub suggest: usize,
    /// At most this many follow-ups per section (the counts are always whole).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// How many days ahead, today included.
    #[arg(long, default_value_t = 7)]
    pub days: u32,
    #[arg(long, value_enum, default_value_t)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    pub contact: String,
    /// Really erase; without it Rapport only says what would be erased.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Log one RFC 5322 message from standard input as an email with every contact among its
    /// From, To and Cc (by any case of their address), dated by its Date; once per Message-ID.
    Ingest(MailIngestArgs),
}

#[derive(Debug, Args)]
pub struct MailIngestArgs {
    /// Add the addresses no contact has as leads (but yours, `[mail] me`).
    #[arg(long)]
    pub add_unknown: bool,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// External id, name, or a unique part of a name.
    pub contact: String,
    /// Draft for this action instead of the recommended one (e.g. "retention discount").
    #[arg(long, value_name = "NAME")]
    pub action: Option<String>,
    /// Print the message as it would be sent, without the editor; sends and logs nothing.
    #[arg(long, visible_alias = "dry-run")]
    pub print: bool,
}

#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The contact that stays (a name, an external id, or #ID).
    pub keep: String,
    /// The contact merged into KEEP and then erased.
    pub other: String,
    /// Only say what would move; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many clients to generate.
    #[arg(long, default_value_t = 300)]
    pub contacts: usize,
    /// Random seed; the same seed gives the same business.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Print a summary instead of opening the workspace.
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}
