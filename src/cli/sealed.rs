//! Encrypted backups, restores and exports: the plain copy only ever exists beside the database
//! itself (never in the backup folder), and is removed whatever happens.

use std::path::{Path, PathBuf};

use anyhow::bail;

use super::args::{EncryptArgs, RestoreArgs};
use super::passphrase::passphrase;
use crate::encryption::{self, Seal, Unseal};

impl EncryptArgs {
    /// Whether any encryption was asked for.
    pub fn wanted(&self) -> bool {
        !self.recipients.is_empty()
            || !self.recipients_file.is_empty()
            || self.passphrase
            || self.passphrase_command.is_some()
    }

    /// The seal asked for, with the passphrase read (twice on a terminal) if that is the way.
    pub fn seal(&self) -> anyhow::Result<Seal> {
        if self.passphrase || self.passphrase_command.is_some() {
            return Ok(Seal::Passphrase(passphrase(
                self.passphrase_command.as_deref(),
                true,
            )?));
        }
        let mut recipients = self
            .recipients
            .iter()
            .map(|r| encryption::parse_recipient(r))
            .collect::<Result<Vec<_>, _>>()?;
        for file in &self.recipients_file {
            recipients.extend(encryption::recipients_from_file(file)?);
        }
        Ok(Seal::Recipients(recipients))
    }
}

/// How `restore` opens `backup`: its identities, or a passphrase when the file was sealed with one.
pub fn unseal_for(backup: &Path, args: &RestoreArgs) -> anyhow::Result<Unseal> {
    if encryption::wants_passphrase(backup)? {
        return Ok(Unseal::Passphrase(passphrase(
            args.passphrase_command.as_deref(),
            false,
        )?));
    }
    if args.identity.is_empty() {
        bail!(
            "{} is encrypted to age keys; give the private key with --identity KEYFILE",
            backup.display()
        );
    }
    let mut identities = Vec::new();
    for file in &args.identity {
        identities.extend(encryption::identities_from_file(file)?);
    }
    Ok(Unseal::Identities(identities))
}

/// A private file beside the database for a plain copy on its way in or out, removed on drop.
pub struct PlainCopy {
    path: PathBuf,
}

impl PlainCopy {
    /// A name that does not exist yet in `db`'s folder (created, private, if it is missing).
    pub fn beside(db: &Path, purpose: &str) -> anyhow::Result<PlainCopy> {
        use std::os::unix::fs::DirBuilderExt;
        let dir = db
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let name = db.file_name().and_then(|n| n.to_str()).unwrap_or("rapport");
        let path = dir.join(format!(".{name}.{purpose}-{}", std::process::id()));
        // Left over from a killed run of this same process id: it is ours to replace.
        let _ = std::fs::remove_file(&path);
        Ok(PlainCopy { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PlainCopy {
    fn drop(&mut self) {
        // SQLite may have opened it with a log beside it: those hold plain pages too.
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}
