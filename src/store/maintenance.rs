//! Looking after the file itself: `doctor` (is it sound, private, current?) and `restore` (put a
//! checked backup in place, keeping the current file aside).
//!
//! Neither goes through [`Store::open`](super::Store::open): a damaged file, or one written by a
//! newer Rapport, must be examined without being migrated or otherwise changed.

use std::fs::OpenOptions;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::backup::Backup;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{migrations, Result, Store, StoreError};
use crate::domain::text::plural;
use crate::scoring::Models;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Ok,
    /// Worth knowing, nothing to repair.
    Note,
    /// Something is wrong; the message says what to do.
    Problem,
}

/// One check of `doctor`, in plain words.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub level: Level,
    /// What was checked: "integrity", "permissions", ...
    pub check: &'static str,
    pub message: String,
}

/// Everything `doctor` found about one database file.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    pub path: PathBuf,
    pub findings: Vec<Finding>,
}

impl Health {
    pub fn problems(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Problem)
            .count()
    }

    pub fn healthy(&self) -> bool {
        self.problems() == 0
    }

    fn ok(&mut self, check: &'static str, message: impl Into<String>) {
        self.push(Level::Ok, check, message);
    }

    fn note(&mut self, check: &'static str, message: impl Into<String>) {
        self.push(Level::Note, check, message);
    }

    fn problem(&mut self, check: &'static str, message: impl Into<String>) {
        self.push(Level::Problem, check, message);
    }

    fn push(&mut self, level: Level, check: &'static str, message: impl Into<String>) {
        self.findings.push(Finding {
            level,
            check,
            message: message.into(),
        });
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut text = path.as_os_str().to_owned();
    text.push(suffix);
    PathBuf::from(text)
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Opens a file for reading only, without creating, migrating or checkpointing anything.
fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
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
fn integrity_problems(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA integrity_check({limit})"))?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// A row whose reference points nowhere: (table, rowid, referenced table).
type BrokenReference = (String, i64, String);

/// How many rows refer to rows that do not exist, and the first `limit` of them.
fn foreign_key_problems(
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
fn current_schema() -> Result<Vec<SchemaEntry>> {
    let mut fresh = Connection::open_in_memory()?;
    migrations::migrate(&mut fresh)?;
    Ok(schema_of(&fresh)?)
}

/// Examines the database at `path`: permissions, integrity, foreign keys, schema version and shape,
/// journal mode, scores freshness; then empties the write-ahead log into the file when it can.
/// Changes nothing else: a damaged or newer file is only read.
pub fn doctor(path: &Path, today: NaiveDate) -> Result<Health> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::invalid(format!("there is no database at {}", path.display()))
        } else {
            io_error(path)(e)
        }
    })?;
    if !meta.is_file() {
        return Err(StoreError::invalid(format!(
            "{} is not a database file",
            path.display()
        )));
    }
    let mut health = Health {
        path: path.to_path_buf(),
        findings: Vec::new(),
    };
    check_permissions(&mut health, path)?;

    let conn = match open_read_only(path) {
        Ok(conn) => conn,
        Err(e) => {
            health.problem(
                "database",
                format!(
                    "the file cannot be read as a database ({}); restore a backup with `rapport restore FILE`",
                    e
                ),
            );
            return Ok(health);
        }
    };

    // Schema version first: it decides which later checks mean anything.
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let current = migrations::CURRENT_VERSION;
    let known_version = if version > current {
        health.problem(
            "schema",
            format!(
                "version {version} was written by a newer Rapport (this one knows {current}); upgrade Rapport — the file was left untouched"
            ),
        );
        false
    } else if version == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables == 0 {
            health.note(
                "schema",
                "the database is empty; Rapport creates its tables when it first opens it",
            );
        } else {
            health.problem(
                "schema",
                "the file is an SQLite database but not a Rapport one (it has no schema version)",
            );
        }
        false
    } else if version < current {
        health.note(
            "schema",
            format!(
                "version {version}; Rapport upgrades it to version {current} the next time it opens the file"
            ),
        );
        false
    } else {
        let expected = current_schema()?;
        let found = schema_of(&conn)?;
        if found == expected {
            health.ok(
                "schema",
                format!("version {version}, the one this Rapport writes"),
            );
            true
        } else {
            let names = |s: &[SchemaEntry]| -> Vec<String> {
                s.iter().map(|(_, name, _)| name.clone()).collect()
            };
            let (expected_names, found_names) = (names(&expected), names(&found));
            let missing: Vec<_> = expected_names
                .iter()
                .filter(|n| !found_names.contains(n))
                .cloned()
                .collect();
            let extra: Vec<_> = found_names
                .iter()
                .filter(|n| !expected_names.contains(n))
                .cloned()
                .collect();
            let changed: Vec<_> = found
                .iter()
                .filter(|f| expected.iter().any(|e| e.1 == f.1 && e != *f))
                .map(|f| f.1.clone())
                .collect();
            let mut parts = Vec::new();
            for (what, list) in [
                ("missing", missing),
                ("unexpected", extra),
                ("changed", changed),
            ] {
                if !list.is_empty() {
                    parts.push(format!("{} {}", what, list.join(", ")));
                }
            }
            health.problem(
                "schema",
                format!(
                    "version {version}, but the tables differ from what that version defines ({}); restore a backup",
                    parts.join("; ")
                ),
            );
            false
        }
    };

    // A badly damaged file makes the check itself fail: that is its answer too.
    let problems = integrity_problems(&conn, 10).unwrap_or_else(|e| vec![e.to_string()]);
    let sound = problems.is_empty();
    if sound {
        health.ok("integrity", "every page and index checks out");
    } else {
        health.problem(
            "integrity",
            format!(
                "the file is damaged ({}{}); restore a backup with `rapport restore FILE`",
                problems[0],
                if problems.len() > 1 {
                    format!(
                        ", and {} more",
                        plural(problems.len() as i64 - 1, "problem", "problems")
                    )
                } else {
                    String::new()
                }
            ),
        );
    }

    match foreign_key_problems(&conn, 3) {
        Ok((0, _)) => health.ok("foreign keys", "every reference points at an existing row"),
        Ok((count, first)) => health.problem(
            "foreign keys",
            format!(
                "{} to rows that do not exist (first: {}); restore a backup",
                plural(count as i64, "row refers", "rows refer"),
                first
                    .iter()
                    .map(|(table, row, parent)| format!("{table} row {row} → {parent}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Err(e) => health.problem("foreign keys", format!("cannot be checked: {e}")),
    }

    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let wal = mode.eq_ignore_ascii_case("wal");
    if wal {
        health.ok(
            "journal",
            "write-ahead logging (WAL), safe for several sessions at once",
        );
    } else {
        health.note(
            "journal",
            format!("journal mode is {mode}; Rapport switches it to WAL when it opens the file"),
        );
    }

    if known_version && sound {
        if let Err(e) = check_scores(&mut health, &conn, today) {
            health.problem(
                "scores",
                format!("cannot be read ({e}); run `rapport score --refit`"),
            );
        }
    }
    drop(conn);

    if wal && version <= current && sound {
        match checkpoint_file(path) {
            Ok(super::Checkpoint::Complete) => health.ok(
                "write-ahead log",
                "emptied into the database file (nothing erased lingers in it)",
            ),
            Ok(super::Checkpoint::Blocked) => health.note(
                "write-ahead log",
                "another session is reading the database, so the log could not be emptied; it may still hold copies of erased data — run `rapport doctor` again once other sessions are closed",
            ),
            Err(e) => health.note(
                "write-ahead log",
                format!("could not be emptied into the database file ({e})"),
            ),
        }
    }
    Ok(health)
}

fn check_permissions(health: &mut Health, path: &Path) -> Result<()> {
    let mut open_to_others = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let file = with_suffix(path, suffix);
        match std::fs::metadata(&file) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                open_to_others.push((file, meta.permissions().mode() & 0o777))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&file)(e)),
        }
    }
    if open_to_others.is_empty() {
        health.ok("permissions", "only you can read the file");
    } else {
        let files: Vec<String> = open_to_others
            .iter()
            .map(|(f, mode)| format!("{} (mode {:03o})", f.display(), mode))
            .collect();
        let paths: Vec<String> = open_to_others
            .iter()
            .map(|(f, _)| f.display().to_string())
            .collect();
        health.problem(
            "permissions",
            format!(
                "other users can read {}; make it private with: chmod 600 {}",
                files.join(", "),
                paths.join(" ")
            ),
        );
    }
    Ok(())
}

fn check_scores(health: &mut Health, conn: &Connection, today: NaiveDate) -> Result<()> {
    let count = |sql: &str| -> rusqlite::Result<i64> { conn.query_row(sql, [], |r| r.get(0)) };
    let contacts = count("SELECT count(*) FROM contacts")?;
    if contacts == 0 {
        health.ok("scores", "no contacts yet, nothing to score");
        return Ok(());
    }
    let latest: Option<(i64, String)> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT version, body FROM models ORDER BY version DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ))?;
    let Some((version, body)) = latest else {
        health.problem(
            "scores",
            format!(
                "{} but no fitted models; run `rapport score --refit`",
                plural(contacts, "contact", "contacts")
            ),
        );
        return Ok(());
    };
    if let Err(e) = serde_json::from_str::<Models>(&body) {
        health.problem(
            "scores",
            format!(
                "the stored models v{version} cannot be read ({e}); run `rapport score --refit`"
            ),
        );
        return Ok(());
    }
    let unscored = count(
        "SELECT count(*) FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.contact_id = c.id)",
    )?;
    let outdated = conn.query_row(
        "SELECT count(*) FROM scores WHERE model_version <> ?1",
        [version],
        |r| r.get::<_, i64>(0),
    )?;
    if unscored > 0 || outdated > 0 {
        let mut parts = Vec::new();
        if unscored > 0 {
            parts.push(format!(
                "{} no scores",
                plural(unscored, "contact has", "contacts have")
            ));
        }
        if outdated > 0 {
            parts.push(format!(
                "{} scored with models older than v{version}",
                plural(outdated, "contact is", "contacts are")
            ));
        }
        health.problem(
            "scores",
            format!("{}; run `rapport score`", parts.join(" and ")),
        );
        return Ok(());
    }
    let oldest: String = conn.query_row("SELECT min(as_of) FROM scores", [], |r| r.get(0))?;
    match oldest.parse::<NaiveDate>() {
        Ok(as_of) if as_of < today => health.note(
            "scores",
            format!(
                "{} scored as of {as_of}, {} ago, with models v{version}; any list or `rapport score` brings them up to date",
                plural(contacts, "contact", "contacts"),
                plural((today - as_of).num_days(), "day", "days")
            ),
        ),
        Ok(as_of) => health.ok(
            "scores",
            format!(
                "{} scored as of {as_of} with models v{version}",
                plural(contacts, "contact", "contacts")
            ),
        ),
        Err(_) => health.problem(
            "scores",
            format!("a score has an unreadable date ('{oldest}'); run `rapport score --refit`"),
        ),
    }
    Ok(())
}

/// Checkpoints the file through its own short-lived connection, without migrating it.
fn checkpoint_file(path: &Path) -> Result<super::Checkpoint> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    super::truncate_wal(&conn)
}

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
