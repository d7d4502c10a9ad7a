//! Whole files sealed with age (backups, exports), so the standard `age` tool opens them and
//! nothing of a client is readable without the key or passphrase.

mod keys;

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;

pub use keys::{identities_from_file, parse_recipient, recipients_from_file};

/// How a file is sealed: to age public keys, or with a passphrase.
pub enum Seal {
    Recipients(Vec<age::x25519::Recipient>),
    Passphrase(SecretString),
}

/// How a sealed file is opened: with identities (age private keys), or with a passphrase.
pub enum Unseal {
    Identities(Vec<Box<dyn age::Identity + Send + Sync>>),
    Passphrase(SecretString),
}

#[derive(Debug, thiserror::Error)]
pub enum EncryptionError {
    #[error("{0}")]
    Invalid(String),
    #[error("{} cannot be opened with {}; nothing was changed", .file.display(), .with)]
    WrongKey { file: PathBuf, with: &'static str },
    #[error("{} is not a readable age file ({}); nothing was changed", .file.display(), .reason)]
    Damaged { file: PathBuf, reason: String },
    #[error("{}: {}", .path.display(), .source)]
    Io { path: PathBuf, source: io::Error },
}

type Result<T> = std::result::Result<T, EncryptionError>;

/// Every age file starts with one of these: binary, or ASCII-armored (`age -a`).
const BINARY_MAGIC: &[u8] = b"age-encryption.org/v1\n";
const ARMOR_MAGIC: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// Whether the file at `path` is an age file (by its first bytes, whatever its name).
pub fn is_sealed(path: &Path) -> Result<bool> {
    let mut head = [0u8; 34];
    let mut file = File::open(path).map_err(io_at(path))?;
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]).map_err(io_at(path))? {
            0 => break,
            n => read += n,
        }
    }
    let head = &head[..read];
    Ok(head.starts_with(BINARY_MAGIC) || head.starts_with(ARMOR_MAGIC))
}

/// Whether the sealed file at `path` asks for a passphrase rather than a key.
pub fn wants_passphrase(path: &Path) -> Result<bool> {
    let decryptor = decryptor(path)?;
    Ok(decryptor.is_scrypt())
}

/// Encrypts `out` as it is written; call `finish` on the writer at the end.
pub fn seal_stream<W: Write>(seal: &Seal, out: W) -> io::Result<age::stream::StreamWriter<W>> {
    let encryptor = match seal {
        Seal::Recipients(recipients) => {
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(io::Error::other)?
        }
        Seal::Passphrase(passphrase) => age::Encryptor::with_user_passphrase(passphrase.clone()),
    };
    encryptor.wrap_output(out)
}

/// Writes `plain` sealed into the new file `dest` (private, never overwriting).
pub fn seal_file(plain: &Path, dest: &Path, seal: &Seal) -> Result<()> {
    let mut input = BufReader::new(File::open(plain).map_err(io_at(plain))?);
    let out = create_private(dest)?;
    let written = (|| {
        let mut writer = seal_stream(seal, io::BufWriter::new(out))?;
        io::copy(&mut input, &mut writer)?;
        writer
            .finish()?
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()
    })();
    written.map_err(|e| {
        // A half-written backup must not look like one.
        let _ = std::fs::remove_file(dest);
        io_at(dest)(e)
    })
}

/// Opens the sealed `file` into the new private file `dest`. Refuses, writing nothing, when the
/// key or passphrase does not fit.
pub fn unseal_file(file: &Path, dest: &Path, unseal: &Unseal) -> Result<()> {
    let decryptor = decryptor(file)?;
    let passphrase_identity;
    let (identities, with): (Vec<&dyn age::Identity>, _) = match unseal {
        Unseal::Identities(ids) => (
            ids.iter()
                .map(|i| i.as_ref() as &dyn age::Identity)
                .collect(),
            "the given identity (it was encrypted to other keys)",
        ),
        Unseal::Passphrase(passphrase) => {
            let mut identity = age::scrypt::Identity::new(passphrase.clone());
            // Backups made with `age -p` on a faster machine still open here.
            identity.set_max_work_factor(22);
            passphrase_identity = identity;
            (vec![&passphrase_identity], "this passphrase")
        }
    };
    let mut reader = decryptor
        .decrypt(identities.into_iter())
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys
            | age::DecryptError::DecryptionFailed
            | age::DecryptError::KeyDecryptionFailed => EncryptionError::WrongKey {
                file: file.to_path_buf(),
                with,
            },
            other => damaged(file, other),
        })?;
    let mut out = io::BufWriter::new(create_private(dest)?);
    let copied = io::copy(&mut reader, &mut out).and_then(|_| out.flush());
    copied.map_err(|e| {
        let _ = std::fs::remove_file(dest);
        damaged(file, e)
    })
}

fn decryptor(file: &Path) -> Result<age::Decryptor<impl Read>> {
    let input = BufReader::new(File::open(file).map_err(io_at(file))?);
    age::Decryptor::new(age::armor::ArmoredReader::new(input)).map_err(|e| damaged(file, e))
}

fn create_private(path: &Path) -> Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io_at(path))
}

fn damaged(file: &Path, reason: impl std::fmt::Display) -> EncryptionError {
    EncryptionError::Damaged {
        file: file.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn io_at(path: &Path) -> impl Fn(io::Error) -> EncryptionError + '_ {
    move |source| EncryptionError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast_passphrase(text: &str) -> SecretString {
        SecretString::from(text.to_string())
    }

    #[test]
    fn a_sealed_file_opens_only_with_its_key_and_holds_no_plain_text() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.db");
        std::fs::write(&plain, b"Ana Ruiz bought a website").unwrap();
        let key = age::x25519::Identity::generate();
        let sealed = dir.path().join("backup.age");
        seal_file(&plain, &sealed, &Seal::Recipients(vec![key.to_public()])).unwrap();
        let bytes = std::fs::read(&sealed).unwrap();
        assert!(bytes.starts_with(BINARY_MAGIC));
        assert!(!bytes.windows(8).any(|w| w == b"Ana Ruiz"));
        assert!(is_sealed(&sealed).unwrap() && !is_sealed(&plain).unwrap());
        assert!(!wants_passphrase(&sealed).unwrap());

        let other = age::x25519::Identity::generate();
        let out = dir.path().join("wrong.db");
        let err = unseal_file(&sealed, &out, &Unseal::Identities(vec![Box::new(other)]));
        assert!(
            matches!(err, Err(EncryptionError::WrongKey { .. })),
            "{err:?}"
        );
        assert!(!out.exists(), "a refused key wrote a file");

        let out = dir.path().join("right.db");
        unseal_file(&sealed, &out, &Unseal::Identities(vec![Box::new(key)])).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"Ana Ruiz bought a website");
    }

    #[test]
    fn a_passphrase_seals_and_a_wrong_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.db");
        std::fs::write(&plain, b"secret clients").unwrap();
        let sealed = dir.path().join("backup.age");
        let seal = Seal::Passphrase(fast_passphrase("correct horse"));
        seal_file(&plain, &sealed, &seal).unwrap();
        assert!(wants_passphrase(&sealed).unwrap());
        let wrong = unseal_file(
            &sealed,
            &dir.path().join("x.db"),
            &Unseal::Passphrase(fast_passphrase("battery staple")),
        );
        assert!(
            matches!(wrong, Err(EncryptionError::WrongKey { .. })),
            "{wrong:?}"
        );
        let out = dir.path().join("y.db");
        unseal_file(
            &sealed,
            &out,
            &Unseal::Passphrase(fast_passphrase("correct horse")),
        )
        .unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"secret clients");
    }
}
