//! The arguments of `rapport report` and its subcommands.

use clap::{Args, Subcommand, ValueEnum};

use super::formats::ListFormat;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ReportCli {
    #[command(subcommand)]
    pub command: Option<ReportCommand>,
    #[command(flatten)]
    pub periods: PeriodArgs,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// How many clients moved between stages and segments in each period.
    Segments(PeriodArgs),
    /// Each recommended action: how often it was shown, acted on, and whether clients came back.
    Actions(ReportArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum PeriodChoice {
    #[default]
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Args, Clone, Default)]
pub struct PeriodArgs {
    /// How long each period is.
    #[arg(long, value_enum, default_value_t)]
    pub period: PeriodChoice,
    /// First day to report on (any date form `log --date` takes); default: 11 periods back.
    #[arg(long)]
    pub from: Option<String>,
    /// Last day to report on; default: today.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportFormat,
}
