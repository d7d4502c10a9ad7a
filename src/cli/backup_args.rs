//! The arguments of `backup`, `restore` and `doctor`, and the age sealing that backups and
//! exports share.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Destination file (default: a timestamped file beside the database, `.db.age` when encrypted).
    pub dest: Option<PathBuf>,
    #[command(flatten)]
    pub encrypt: EncryptArgs,
}

/// Sealing a file with age, so that only the holder of a key or the passphrase can read it and
/// the standard `age` tool opens it.
#[derive(Debug, Args, Default)]
pub struct EncryptArgs {
    /// Encrypt to this age public key (age1…, from `age-keygen`); repeat for several.
    #[arg(long = "encrypt-to", value_name = "RECIPIENT")]
    pub recipients: Vec<String>,
    /// Encrypt to every age public key in FILE (one per line; # starts a comment).
    #[arg(long, value_name = "FILE")]
    pub recipients_file: Vec<PathBuf>,
    /// Encrypt with a passphrase: asked twice on the terminal, or taken from RAPPORT_PASSPHRASE.
    #[arg(long, conflicts_with_all = ["recipients", "recipients_file"])]
    pub passphrase: bool,
    /// Encrypt with the passphrase CMD prints (its first line), e.g. `pass show rapport`.
    #[arg(long, value_name = "CMD", conflicts_with_all = ["recipients", "recipients_file"])]
    pub passphrase_command: Option<String>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file (made by `rapport backup`), plain or encrypted with age.
    pub backup: PathBuf,
    /// For a backup encrypted to age keys: the private key file (`age-keygen -o`); repeatable.
    #[arg(long, value_name = "KEYFILE")]
    pub identity: Vec<PathBuf>,
    /// For a backup encrypted with a passphrase: the command that prints it (else
    /// RAPPORT_PASSPHRASE, else the terminal asks).
    #[arg(long, value_name = "CMD")]
    pub passphrase_command: Option<String>,
    /// Replace a database that holds data (it is kept aside either way).
    #[arg(long)]
    pub yes: bool,
}
