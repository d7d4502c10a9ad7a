//! Reading age keys: public keys (recipients) typed or listed in a file, private keys
//! (identities) from a key file as `age-keygen` writes it.

use std::path::Path;

use super::{EncryptionError, Result};

/// An age public key (`age1…`); the message names the value when it is not one.
pub fn parse_recipient(text: &str) -> Result<age::x25519::Recipient> {
    text.trim().parse().map_err(|_| {
        EncryptionError::Invalid(format!(
            "recipient '{}' is not an age public key (age1…, as `age-keygen` prints)",
            crate::domain::text::printable(text.trim())
        ))
    })
}

/// The public keys in a recipients file: one per line, blank lines and `#` comments skipped.
pub fn recipients_from_file(path: &Path) -> Result<Vec<age::x25519::Recipient>> {
    let text = std::fs::read_to_string(path).map_err(|source| EncryptionError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let keys = text
        .lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(n, line)| {
            parse_recipient(line).map_err(|e| {
                EncryptionError::Invalid(format!("{} line {}: {}", path.display(), n + 1, e))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if keys.is_empty() {
        return Err(EncryptionError::Invalid(format!(
            "{} lists no age public key",
            path.display()
        )));
    }
    Ok(keys)
}

/// The private keys in an identity file (`age-keygen -o key.txt`).
pub fn identities_from_file(path: &Path) -> Result<Vec<Box<dyn age::Identity + Send + Sync>>> {
    let unreadable = |reason: String| {
        EncryptionError::Invalid(format!(
            "{} is not an age identity file ({reason})",
            path.display()
        ))
    };
    let file = age::IdentityFile::from_file(path.display().to_string()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            EncryptionError::Io {
                path: path.to_path_buf(),
                source: e,
            }
        } else {
            unreadable(e.to_string())
        }
    })?;
    let identities = file
        .into_identities()
        .map_err(|e| unreadable(e.to_string()))?;
    if identities.is_empty() {
        return Err(unreadable("it holds no key".into()));
    }
    Ok(identities)
}
