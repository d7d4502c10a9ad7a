//! Where a passphrase comes from: a command (`pass show rapport`), the RAPPORT_PASSPHRASE
//! variable, or the terminal, asked twice when it seals something new.

use std::process::{Command, Stdio};

use age::secrecy::{ExposeSecret, SecretString};
use anyhow::{anyhow, bail, Context as _};

/// The variable scripts and cron jobs set instead of typing.
pub const PASSPHRASE_VARIABLE: &str = "RAPPORT_PASSPHRASE";

/// The passphrase from `command` if given, else the variable, else the terminal (twice when
/// `confirm`, so a typo cannot lock a backup away).
pub fn passphrase(command: Option<&str>, confirm: bool) -> anyhow::Result<SecretString> {
    let passphrase = match command {
        Some(command) => from_command(command)?,
        None => match std::env::var(PASSPHRASE_VARIABLE) {
            Ok(value) => SecretString::from(value),
            Err(_) => from_terminal(confirm)?,
        },
    };
    if passphrase.expose_secret().is_empty() {
        bail!("the passphrase is empty; nothing was written");
    }
    Ok(passphrase)
}

/// The first line `command` prints (run through `sh -c`, like an editor command).
fn from_command(command: &str) -> anyhow::Result<SecretString> {
    let output = Command::new("sh")
        .args(["-c", command])
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("--passphrase-command '{command}' cannot be run"))?;
    if !output.status.success() {
        bail!(
            "--passphrase-command '{command}' failed ({}); nothing was written",
            output.status
        );
    }
    let text = String::from_utf8(output.stdout).map_err(|_| {
        anyhow!("--passphrase-command '{command}' printed something that is not text")
    })?;
    Ok(SecretString::from(
        text.lines().next().unwrap_or("").to_string(),
    ))
}

fn from_terminal(confirm: bool) -> anyhow::Result<SecretString> {
    let no_terminal = |_| {
        anyhow!(
            "a passphrase is needed and no terminal can ask for it; set {PASSPHRASE_VARIABLE} or give --passphrase-command"
        )
    };
    let first = rpassword::prompt_password("Passphrase: ").map_err(no_terminal)?;
    if confirm {
        let again = rpassword::prompt_password("Passphrase again: ").map_err(no_terminal)?;
        if again != first {
            bail!("the two passphrases differ; nothing was written");
        }
    }
    Ok(SecretString::from(first))
}
