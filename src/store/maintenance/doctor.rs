//! `doctor`: is the file sound, private and current? Reports in plain words, changes nothing but
//! emptying the write-ahead log.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::{
    current_schema, foreign_key_problems, integrity_problems, io_error, open_read_only, schema_of,
    with_suffix, SchemaEntry,
};
use crate::domain::text::plural;
use crate::scoring::Models;
use crate::store::{migrations, Result, StoreError};

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

/// journal mode, scores freshness; then empties the write-ahead log into the file when it can.
/// Changes nothing else: a damaged or newer file is only read.
pub fn doctor(path: &Path, today: NaiveDate) -> Result<Health> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::Missing(path.to_path_buf())
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
                .filter(|f| {
                    expected
                        .iter()
                        .any(|e| (&e.0, &e.1) == (&f.0, &f.1) && e != *f)
                })
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
        if let Err(e) = check_preferred(&mut health, &conn) {
            health.problem("emails and phones", format!("cannot be read ({e})"));
        }
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
            Ok(crate::store::Checkpoint::Complete) => health.ok(
                "write-ahead log",
                "emptied into the database file (nothing erased lingers in it)",
            ),
            Ok(crate::store::Checkpoint::Blocked) => health.note(
                "write-ahead log",
                "another session is reading the database, so the log could not be emptied; it may still hold copies of erased data — run `rapport doctor` again once other sessions are closed",
            ),
            // Out of space, the log keeps growing and the next write fails: that is no mere note.
            Err(e) if crate::store::disk_full::is_disk_full(&e) => health.problem(
                "write-ahead log",
                format!(
                    "could not be emptied into the database file because the file system {} is full; free some space there and run `rapport doctor` again",
                    crate::store::disk_full::file_system_of(path).display()
                ),
            ),
            Err(e) => health.note(
                "write-ahead log",
                format!("could not be emptied into the database file ({e})"),
            ),
        }
    }
    Ok(health)
}

/// Each contact's email and phone columns are its preferred entry of the lists (schema 13).
fn check_preferred(health: &mut Health, conn: &Connection) -> Result<()> {
    let drift: i64 = conn.query_row(
        "SELECT count(*) FROM contacts c
         WHERE trim(coalesce(c.email, '')) <> coalesce((SELECT group_concat(address, ' ')
                   FROM contact_emails e WHERE e.contact_id = c.id AND e.preferred = 1), '')
            OR trim(coalesce(c.phone, '')) <> coalesce((SELECT group_concat(number, ' ')
                   FROM contact_phones p WHERE p.contact_id = c.id AND p.preferred = 1), '')",
        [],
        |r| r.get(0),
    )?;
    if drift == 0 {
        health.ok(
            "emails and phones",
            "each contact's email and phone are its preferred ones",
        );
    } else {
        health.problem(
            "emails and phones",
            format!(
                "{} an email or phone that is not its preferred one; set it again with `rapport edit CONTACT --email …` or `--phone …`",
                plural(drift, "contact has", "contacts have")
            ),
        );
    }
    Ok(())
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
fn checkpoint_file(path: &Path) -> Result<crate::store::Checkpoint> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    crate::store::truncate_wal(&conn)
}
