//! How lists print (`--format`), shared by the commands' arguments.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Csv,
    Json,
}
