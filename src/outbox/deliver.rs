//! Where a finished message goes: into a sendmail-compatible command, or as an `.eml` file into
//! the drafts folder for mutt (`mutt -H FILE`) or aerc to pick up.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{anyhow, bail, Context as _};
use lettre::Message;

use crate::domain::text::printable;

/// Runs `command` through the shell, as sendmail is called (lettre's own transport too):
/// `-i -f FROM -- RECIPIENTS` appended, the message on standard input. Its stderr is the error.
pub fn send(command: &str, message: &Message) -> anyhow::Result<()> {
    let envelope = message.envelope();
    let from = envelope
        .from()
        .map(|a| a.to_string())
        .ok_or_else(|| anyhow!("the draft has no sender"))?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$@\""))
        .arg("sh")
        .args(["-i", "-f", &from, "--"])
        .args(envelope.to().iter().map(|a| a.to_string()))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start the sendmail command '{}'", printable(command)))?;
    // A command that exits without reading all of the message closes the pipe: its exit
    // status and stderr say why, so a write error here is not the one to report.
    let written = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(&message.formatted()));
    let output = child.wait_with_output().with_context(|| {
        format!(
            "the sendmail command '{}' did not finish",
            printable(command)
        )
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        bail!(
            "the sendmail command '{}' failed ({}){}; nothing was sent or logged",
            printable(command),
            output.status,
            if said.is_empty() {
                String::new()
            } else {
                format!(": {}", printable(&said))
            }
        );
    }
    if let Some(Err(e)) = written {
        bail!(
            "the sendmail command '{}' did not read the whole message ({e}); nothing was logged",
            printable(command)
        );
    }
    Ok(())
}

/// Writes the message as a new private `.eml` in `folder` (made if missing) and says where.
pub fn save(folder: &Path, stem: &str, message: &Message) -> anyhow::Result<PathBuf> {
    let shown = printable(&folder.display().to_string()).into_owned();
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot make the drafts folder '{shown}'"))?;
    let bytes = message.formatted();
    for n in 0..100 {
        let name = match n {
            0 => format!("{stem}.eml"),
            n => format!("{stem}-{n}.eml"),
        };
        let path = folder.join(name);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(&bytes)
                    .with_context(|| format!("cannot write the draft into '{shown}'"))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(anyhow!("cannot write the draft into '{shown}': {e}")),
        }
    }
    bail!("the drafts folder '{shown}' already holds a hundred drafts named '{stem}'")
}

/// `~/Mail/drafts` → the home folder's; other paths as given.
pub fn expand_home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// `20261202-061500-zoe-angstrom`: sortable by time, readable in a file list.
pub fn file_stem(name: &str, now: chrono::NaiveDateTime) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug: String = slug.chars().take(40).collect();
    format!(
        "{}-{}",
        now.format("%Y%m%d-%H%M%S"),
        if slug.is_empty() { "draft" } else { &slug }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_time_then_name() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(6, 15, 0)
            .unwrap();
        assert_eq!(
            file_stem("Zoë  Ångström", now),
            "20261202-061500-zoë-ångström"
        );
        assert_eq!(file_stem("../..", now), "20261202-061500-draft");
    }

    #[test]
    fn home_is_expanded() {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if let Some(home) = home {
            assert_eq!(expand_home(Path::new("~/Mail")), home.join("Mail"));
        }
        assert_eq!(expand_home(Path::new("/tmp/x")), PathBuf::from("/tmp/x"));
    }
}
