//! Looking after the file itself: `doctor` (is it sound, private, current?) and `restore` (put a
//! checked backup in place, keeping the current file aside).
//!
//! Neither goes through [`Store::open`](super::Store::open): a damaged file, or one written by a
//! newer Rapport, must be examined without being migrated or otherwise changed.

mod doctor;
mod restore;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{migrations, Result, StoreError};

pub use doctor::{doctor, Finding, Health, Level};
pub use restore::{check_backup, restore, BackupInfo, Restored};

pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut text = path.as_os_str().to_owned();
    text.push(suffix);
    PathBuf::from(text)
}

pub(super) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Opens a file for reading only, without creating, migrating or checkpointing anything.
pub(super) fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(30))?;
    // Touch the file now, so "not a database" shows here and not in the first check.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    Ok(conn)
}

/// The problems `PRAGMA integrity_check` lists (none when the file is sound), at most `limit`.
pub(super) fn integrity_problems(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA integrity_check({limit})"))?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// A row whose reference points nowhere: (table, rowid, referenced table).
type BrokenReference = (String, i64, String);

/// How many rows refer to rows that do not exist, and the first `limit` of them.
pub(super) fn foreign_key_problems(
    conn: &Connection,
    limit: usize,
) -> rusqlite::Result<(usize, Vec<BrokenReference>)> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    let (mut count, mut first) = (0, Vec::new());
    while let Some(row) = rows.next()? {
        count += 1;
        if first.len() < limit {
            first.push((
                row.get(0)?,
                row.get::<_, Option<i64>>(1)?.unwrap_or(0),
                row.get(2)?,
            ));
        }
    }
    Ok((count, first))
}

/// One schema object as `sqlite_master` records it: (type, name, SQL).
pub type SchemaEntry = (String, String, Option<String>);

/// The schema as `sqlite_master` records it, without SQLite's own objects.
pub fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<SchemaEntry>> {
    conn.prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .collect()
}

/// The schema a brand-new database of this build has.
pub(super) fn current_schema() -> Result<Vec<SchemaEntry>> {
    let mut fresh = Connection::open_in_memory()?;
    migrations::migrate(&mut fresh)?;
    Ok(schema_of(&fresh)?)
}
