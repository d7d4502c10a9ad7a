//! Opening the database file: private permissions, pragmas, migrations.

use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{migrations, Result, StoreError};

/// How long a writer waits for another session's transaction before giving up.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// How much a statement's rollback journal may hold in memory before SQLite moves it to a
/// temporary file (SQLite's default is 64 KiB).
const STATEMENT_JOURNAL_IN_MEMORY: i32 = 8 << 20;

pub fn open_connection(path: &Path) -> Result<Connection> {
    keep_statement_journals_in_memory();
    create_private_file(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Read the version before anything writes to the file: a newer database stays untouched.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > migrations::CURRENT_VERSION {
        // Closing would checkpoint a WAL left by the newer Rapport into the file: leave both as they are.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
        return Err(StoreError::TooNew {
            found: version,
            supported: migrations::CURRENT_VERSION,
        });
    }
    enable_wal(&conn, path)?;
    // Temporary storage (large sorts, such as rebuilding an index after a bulk import) spills to an
    // unlinked file past the cache size instead of growing in memory: ten million rows in memory
    // would cost hundreds of megabytes.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = FILE;",
    )?;
    // One plan per statement whatever its values. Once a statement is re-prepared (a write that
    // sets an index aside changes the schema), SQLite matches expression indexes against the
    // values bound at that moment, and then re-prepares at every new value: the address lookup
    // on `lower(trim(address))` was prepared 7,800 times in one mbox import (a tenth of its
    // time). The plans are the ones a statement gets when first prepared.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    // Leave the WAL in place on close: a one-shot `rapport log` then costs no checkpoint fsyncs.
    // Writes empty the log once it passes 1 MiB (see `Store::keep_wal_small`: each new process
    // reads all of it on open), and `forget` checkpoints explicitly.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    migrations::migrate(&mut conn)?;
    Ok(conn)
}

/// Every insert into the interactions table runs triggers inside the write's transaction, so
/// SQLite keeps a journal of that one statement in case it must be undone alone. With the
/// default limit one larger statement moves that journal to a file, and every later statement
/// of the same transaction writes its pages there too: an mbox import of 10,000 messages wrote
/// 628 MB to a deleted temporary file (a second of system time) for a 44 MB change. Raising the
/// limit keeps ordinary statements' journals in memory; a bulk rebuild still spills past it.
/// SQLite takes this setting only before its first connection in the process; later it
/// refuses it, harmlessly.
fn keep_statement_journals_in_memory() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called with an integer argument, as this option takes, and
        // SQLite itself rejects the call (SQLITE_MISUSE) once it is initialised.
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_STMTJRNL_SPILL,
                STATEMENT_JOURNAL_IN_MEMORY,
            );
        }
    });
}

/// Switches the file to write-ahead logging. When several sessions open a brand-new file at once,
/// SQLite answers all but one "database is locked" at once — the switch needs an exclusive lock
/// and does not wait through the busy handler — so wait here, as long as any other write would.
fn enable_wal(conn: &Connection, path: &Path) -> Result<()> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    let mode: String = loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
            Ok(mode) => break mode,
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => return Err(e.into()),
        }
    };
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(StoreError::invalid(format!(
            "database {} cannot use WAL journaling (mode {})",
            path.display(),
            mode
        )));
    }
    Ok(())
}

/// Creates the directory (0700) and the empty file (0600) so SQLite never creates them world-readable.
fn create_private_file(path: &Path) -> Result<()> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(io)?;
        }
    }
    match OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(e)),
    }
}
