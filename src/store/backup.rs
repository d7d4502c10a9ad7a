//! Consistent copies of the database with SQLite's online backup API.

use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::Connection;

use super::{Result, Store, StoreError};

impl Store {
    /// Copies the whole database to `dest` page by page; safe while another process writes.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(StoreError::invalid(format!(
                "backup destination '{}' already exists; choose a new file",
                dest.display()
            )));
        }
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(StoreError::invalid(format!(
                    "backup directory '{}' does not exist",
                    dir.display()
                )));
            }
        }
        // Create the file private before SQLite writes a single page of contact data into it.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(dest)
            .map_err(|source| StoreError::Io {
                path: dest.to_path_buf(),
                source,
            })?;
        let mut target = Connection::open(dest)?;
        {
            let backup = Backup::new(&self.conn, &mut target)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
        }
        drop(target);
        Ok(())
    }
}
