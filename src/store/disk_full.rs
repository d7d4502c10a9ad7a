//! Running out of space: SQLite rolls the transaction back, so the user needs to hear which file
//! system is full and that nothing was written, not "database or disk is full".

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Whether anything in `err`'s chain is SQLite's SQLITE_FULL or an I/O error saying the same.
pub fn is_disk_full(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(err);
    while let Some(e) = cause {
        let full = match e.downcast_ref::<rusqlite::Error>() {
            Some(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull),
            None => e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::StorageFull),
        };
        if full {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The mount point holding `path`: its highest ancestor on the same device.
pub fn file_system_of(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut found = absolute.clone();
    let mut device = None;
    for dir in absolute.ancestors() {
        let Ok(meta) = std::fs::metadata(dir) else {
            continue;
        };
        match device {
            None => device = Some(meta.dev()),
            Some(dev) if dev != meta.dev() => break,
            Some(_) => {}
        }
        found = dir.to_path_buf();
    }
    found
}

/// The sentence for a write to `db` that ran out of space.
pub fn disk_full_sentence(db: &Path) -> String {
    format!(
        "the file system {} (holding {}) is full, so nothing was written; free some space there and run the command again",
        file_system_of(db).display(),
        db.display()
    )
}
