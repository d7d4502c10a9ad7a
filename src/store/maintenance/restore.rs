//! `restore`: put a checked backup in place, keeping the current file (log included) aside.

use std::fs::OpenOptions;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{foreign_key_problems, integrity_problems, io_error, open_read_only, with_suffix};
use crate::domain::text::plural;
use crate::store::{migrations, Result, Store, StoreError};

/// What a backup holds, after it passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupInfo {
    pub version: i64,
    pub contacts: i64,
    pub interactions: i64,
}

/// What `restore` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    pub backup: BackupInfo,
    /// Where the database that was replaced now is, if there was one.
    pub kept_as: Option<PathBuf>,
}

/// Checks that `backup` is a sound Rapport database this build can open: it opens read-only,
/// passes integrity and foreign key checks, and its schema version is not newer than ours.
pub fn check_backup(backup: &Path) -> Result<BackupInfo> {
    let shown = backup.display();
    if !backup.is_file() {
        return Err(StoreError::invalid(format!(
            "there is no backup file at {shown}"
        )));
    }
    let conn = open_read_only(backup).map_err(|e| {
        StoreError::invalid(format!("{shown} cannot be opened as a database ({e})"))
    })?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > migrations::CURRENT_VERSION {
        return Err(StoreError::invalid(format!(
            "{shown} was written by a newer Rapport (schema version {version}, this build knows {}); upgrade Rapport to restore it",
            migrations::CURRENT_VERSION
        )));
    }
    let has_contacts: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'contacts')",
        [],
        |r| r.get(0),
    )?;
    if version < 1 || !has_contacts {
        return Err(StoreError::invalid(format!(
            "{shown} is not a Rapport database"
        )));
    }
    let problems = integrity_problems(&conn, 3).unwrap_or_else(|e| vec![e.to_string()]);
    if let Some(first) = problems.first() {
        return Err(StoreError::invalid(format!(
            "{shown} is damaged (integrity check: {first}); choose another backup"
        )));
    }
    let (broken, _) = foreign_key_problems(&conn, 1).map_err(|e| {
        StoreError::invalid(format!("{shown} is damaged ({e}); choose another backup"))
    })?;
    if broken > 0 {
        return Err(StoreError::invalid(format!(
            "{shown} is damaged ({} to rows that do not exist); choose another backup",
            plural(broken as i64, "row refers", "rows refer")
        )));
    }
    let count = |sql: &str| -> rusqlite::Result<i64> { conn.query_row(sql, [], |r| r.get(0)) };
    Ok(BackupInfo {
        version,
        contacts: count("SELECT count(*) FROM contacts")?,
        interactions: count("SELECT count(*) FROM interactions")?,
    })
}

/// How long `restore` waits for other sessions to close the database before refusing.
const CLOSE_WAIT: Duration = Duration::from_secs(3);

/// The current database, locked so that no other session has it open while it is replaced.
struct Locked {
    conn: Connection,
    contacts: i64,
    interactions: i64,
}

/// Takes an exclusive lock on the database at `path`: in WAL mode every open connection holds a
/// shared lock for as long as it is open, so this succeeds only when no other session has the
/// file open (the workspace, a running command). Then moves the whole log into the file.
fn lock_current(path: &Path) -> Result<std::result::Result<Locked, String>> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Closing must neither checkpoint nor delete "<db>-wal" by name: by then that name is the
    // restored database's.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE")?;
    // The first read takes the lock, waiting this long for one-shot commands to finish.
    conn.busy_timeout(CLOSE_WAIT)?;
    let read = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .and_then(|()| {
            let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
            Ok((
                count("SELECT count(*) FROM contacts")?,
                count("SELECT count(*) FROM interactions")?,
            ))
        });
    let counts = match read {
        Ok(counts) => counts,
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
            return Err(StoreError::invalid(format!(
                "another Rapport session has {} open (the workspace, or a command still running); close it and run restore again",
                path.display()
            )))
        }
        Err(e) => return Ok(Err(e.to_string())),
    };
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(Ok(Locked {
        conn,
        contacts: counts.0,
        interactions: counts.1,
    }))
}

/// What the database at `path` holds, read without locking it (for the question before a restore).
fn current_contents(path: &Path) -> std::result::Result<Locked, String> {
    let conn = open_read_only(path).map_err(|e| e.to_string())?;
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let contacts = count("SELECT count(*) FROM contacts").map_err(|e| e.to_string())?;
    let interactions = count("SELECT count(*) FROM interactions").map_err(|e| e.to_string())?;
    Ok(Locked {
        conn,
        contacts,
        interactions,
    })
}

/// `rapport.db` → `rapport.db.before-restore-20261123-101500` (with `-2`, `-3` if taken).
fn aside_path(db: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let base = with_suffix(db, &format!(".before-restore-{stamp}"));
    let mut path = base.clone();
    let mut n = 2;
    while path.exists() || with_suffix(&path, "-wal").exists() {
        path = with_suffix(&base, &format!("-{n}"));
        n += 1;
    }
    path
}

/// Copies `backup` (already checked) into a new private file `dest`, page by page.
fn copy_private(backup: &Path, dest: &Path) -> Result<()> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dest)
        .map_err(io_error(dest))?;
    let source = open_read_only(backup)?;
    let mut target = Connection::open(dest)?;
    Backup::new(&source, &mut target)?.run_to_completion(1024, Duration::from_millis(5), None)?;
    drop(target);
    std::fs::File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(io_error(dest))?;
    Ok(())
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Puts the checked `backup` in place of the database at `db`. The current file, if any, is kept
/// beside it as `<db>.before-restore-<timestamp>` (with its write-ahead log emptied into it first).
/// A database holding data is replaced only when `confirmed`; one open in another session never is.
pub fn restore(db: &Path, backup: &Path, confirmed: bool) -> Result<Restored> {
    let info = check_backup(backup)?;
    if db.exists() {
        let same = std::fs::canonicalize(db).ok() == std::fs::canonicalize(backup).ok();
        if same {
            return Err(StoreError::invalid(format!(
                "{} is the database itself; choose a backup file",
                backup.display()
            )));
        }
    }
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let file_name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rapport.db".into());

    let aside = aside_path(db);
    // What the current database holds, and whether replacing it needs --yes.
    let refuse = |state: &std::result::Result<Locked, String>| -> Result<()> {
        let holds = match state {
            Ok(locked) if locked.contacts == 0 && locked.interactions == 0 => None,
            Ok(locked) => Some(format!(
                "which holds {} and {}",
                plural(locked.contacts, "contact", "contacts"),
                plural(locked.interactions, "interaction", "interactions")
            )),
            Err(why) => Some(format!("which cannot be read ({why})")),
        };
        match (holds, confirmed) {
            (Some(holds), false) => Err(StoreError::invalid(format!(
                "restore would replace {}, {}; it would be kept as {} — run again with --yes to restore",
                db.display(),
                holds,
                aside.display()
            ))),
            _ => Ok(()),
        }
    };
    if db.exists() {
        // Asked before the copy; asked again under the lock in case data arrived meanwhile.
        refuse(&current_contents(db))?;
    } else {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(io_error(&dir))?;
    }

    // Copy first, so the database is locked only for the moment of the swap.
    let temporary = dir.join(format!(".{}.restoring-{}", file_name, std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    if let Err(e) = copy_private(backup, &temporary) {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    let current = if db.exists() {
        let locked = lock_current(db).and_then(|state| refuse(&state).map(|()| state));
        match locked {
            Ok(state) => Some(state),
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                return Err(e);
            }
        }
    } else {
        None
    };
    // Swap while the lock is held, so no session starts on the old file in between.
    let kept_as = if current.is_some() {
        std::fs::rename(db, &aside).map_err(io_error(db))?;
        // The log was emptied into the file above unless the file could not be read: then keep it too.
        let wal = with_suffix(db, "-wal");
        match std::fs::metadata(&wal) {
            Ok(meta) if meta.len() == 0 => std::fs::remove_file(&wal).map_err(io_error(&wal))?,
            Ok(_) => std::fs::rename(&wal, with_suffix(&aside, "-wal")).map_err(io_error(&wal))?,
            Err(_) => {}
        }
        let shm = with_suffix(db, "-shm");
        if let Err(e) = std::fs::remove_file(&shm) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(io_error(&shm)(e));
            }
        }
        Some(aside)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&temporary, db) {
        // Put the previous database back rather than leave none.
        if let Some(aside) = &kept_as {
            let _ = std::fs::rename(aside, db);
            let _ = std::fs::rename(with_suffix(aside, "-wal"), with_suffix(db, "-wal"));
        }
        let _ = std::fs::remove_file(&temporary);
        return Err(io_error(db)(e));
    }
    sync_dir(&dir);
    if let Some(Ok(locked)) = current {
        drop(locked.conn);
    }
    // Opening brings an older backup up to the current schema and switches it to WAL.
    drop(Store::open(db)?);
    Ok(Restored {
        backup: info,
        kept_as,
    })
}
