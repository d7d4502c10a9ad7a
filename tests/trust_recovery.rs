//! Trust: recovery. `rapport doctor` finds what is wrong with a file and says it in plain words
//! (exit 0 healthy, 1 not); `rapport restore` puts a checked backup in place and keeps the current
//! file — with what its write-ahead log held — aside; `forget` says when another session's read
//! kept an old copy of the erased data in the log.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{contains_bytes, dump_db, file_bytes_with_wal, small_business, Env};
use rusqlite::Connection;

/// The checks doctor printed, as (mark, check) pairs, and whether it said "Healthy.".
fn doctor(env: &Env) -> (i32, String, String) {
    let run = env.run(&["doctor"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (run.code, run.stdout, run.stderr)
}

#[track_caller]
fn assert_line(report: &str, mark: &str, check: &str, words: &str) {
    let found = report.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with(mark) && l[mark.len()..].trim_start().starts_with(check) && l.contains(words)
    });
    assert!(found, "no `{mark} {check} …{words}…` line in:\n{report}");
}

fn aside_files(env: &Env) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(env.db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect();
    files.sort();
    files
}

#[test]
fn doctor_on_a_healthy_database_lists_every_check_and_exits_0() {
    let env = Env::new();
    small_business(&env);
    let (code, report, stderr) = doctor(&env);
    assert_eq!((code, stderr.as_str()), (0, ""), "{report}");
    assert_eq!(
        report.lines().next().unwrap(),
        format!("Checking {}", env.db.display())
    );
    assert_line(&report, "ok", "permissions", "only you can read the file");
    assert_line(
        &report,
        "ok",
        "schema",
        &format!(
            "version {}, the one this Rapport writes",
            rapport::store::CURRENT_VERSION
        ),
    );
    assert_line(
        &report,
        "ok",
        "integrity",
        "every page and index checks out",
    );
    assert_line(
        &report,
        "ok",
        "foreign keys",
        "every reference points at an existing row",
    );
    assert_line(&report, "ok", "journal", "write-ahead logging (WAL)");
    assert_line(
        &report,
        "ok",
        "scores",
        "2 contacts scored as of 2026-11-23",
    );
    assert_line(
        &report,
        "ok",
        "write-ahead log",
        "emptied into the database file",
    );
    assert!(report.ends_with("Healthy.\n"));
    // Scores from an earlier day are a note, not a problem.
    let mut later = env.bare();
    later
        .arg("--db")
        .arg(&env.db)
        .arg("--config")
        .arg(&env.config)
        .args(["--as-of", "2026-11-30", "doctor"]);
    let run = common::run_command(later, None);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_line(
        &run.stdout,
        "note",
        "scores",
        "as of 2026-11-23, 7 days ago",
    );
}

#[test]
fn doctor_names_each_problem_with_what_to_do_and_exits_1() {
    let env = Env::new();
    small_business(&env);

    // Readable by others.
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, report, stderr) = doctor(&env);
    assert_eq!(code, 1);
    assert_line(
        &report,
        "PROBLEM",
        "permissions",
        "(mode 644); make it private with: chmod 600",
    );
    assert_eq!(stderr, "rapport: the database has a problem (see above)\n");
    std::fs::set_permissions(&env.db, std::fs::Permissions::from_mode(0o600)).unwrap();

    // A reference to a contact that does not exist, and a contact without scores.
    {
        let conn = env.sql();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO interactions (contact_id, kind, occurred_at) VALUES (99, 'call', '2026-11-01T12:00:00');
             DELETE FROM score_details WHERE contact_id = 2;
             DELETE FROM scores WHERE contact_id = 2;",
        )
        .unwrap();
    }
    let (code, report, stderr) = doctor(&env);
    assert_eq!(code, 1, "{report}");
    assert_line(
        &report,
        "PROBLEM",
        "foreign keys",
        "1 row refers to rows that do not exist (first: interactions row 4 → contacts)",
    );
    assert_line(
        &report,
        "PROBLEM",
        "scores",
        "1 contact has no scores; run `rapport score`",
    );
    assert_eq!(stderr, "rapport: the database has 2 problems (see above)\n");
    env.sql()
        .execute("DELETE FROM interactions WHERE contact_id = 99", [])
        .unwrap();
    env.ok(&["score"]);
    assert_eq!(doctor(&env).0, 0);

    // A table that migration 1 does not define.
    env.sql().execute_batch("CREATE TABLE scratch (x)").unwrap();
    let (code, report, _) = doctor(&env);
    assert_eq!(code, 1);
    assert_line(&report, "PROBLEM", "schema", "(unexpected scratch)");
}

#[test]
fn doctor_finds_a_damaged_file_and_never_creates_one() {
    let env = Env::new();
    for i in 0..300 {
        env.sql_or_create(i);
    }
    // Break the name index's root page: the table still reads, the index does not.
    let page: i64 =
        env.query_i64("SELECT rootpage FROM sqlite_master WHERE name = 'contacts_name'");
    let conn = env.sql();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&env.db).unwrap();
    let at = ((page - 1) * page_size) as usize;
    bytes[at] = 0x5a; // not a b-tree page type
    std::fs::write(&env.db, bytes).unwrap();
    let (code, report, _) = doctor(&env);
    assert_eq!(code, 1, "{report}");
    assert_line(&report, "PROBLEM", "integrity", "the file is damaged (");
    assert!(report.contains("restore a backup with `rapport restore FILE`"));
    assert!(
        !report.contains("emptied into"),
        "a damaged file is not checkpointed"
    );

    // Not a database at all.
    std::fs::write(
        &env.db,
        b"this is a shopping list, not a database\n".repeat(200),
    )
    .unwrap();
    let (code, report, _) = doctor(&env);
    assert_eq!(code, 1);
    assert_line(
        &report,
        "PROBLEM",
        "database",
        "the file cannot be read as a database",
    );

    // No file: said so, and not created.
    let missing = Env::new();
    let run = missing.run(&["doctor"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "rapport: there is no database at {}; `rapport add NAME`, `rapport import` or `rapport demo` creates one\n",
            missing.db.display()
        )
    );
    assert!(!missing.db.exists());
}

/// Adds one contact through the binary (the database is created on the first).
trait Fill {
    fn sql_or_create(&self, i: usize);
}

impl Fill for Env {
    fn sql_or_create(&self, i: usize) {
        if i == 0 {
            self.ok(&["add", "Contact 000"]);
        } else {
            self.sql()
                .execute(
                    "INSERT INTO contacts (name, created_at) VALUES (?1, '2026-11-01T12:00:00')",
                    [format!("Contact {i:03} {}", "x".repeat(40))],
                )
                .unwrap();
        }
    }
}

#[test]
fn restore_into_an_empty_place_needs_no_confirmation() {
    let env = Env::new();
    small_business(&env);
    let backup = env.path("copy.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let target = Env::new();
    let out = target.ok(&["restore", backup.to_str().unwrap()]);
    assert_eq!(
        out,
        format!(
            "Restored {} to {} (2 contacts, 3 interactions).\n",
            backup.display(),
            target.db.display()
        )
    );
    assert_eq!(target.dump(), env.dump());
    assert_eq!(
        std::fs::metadata(&target.db).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(doctor(&target).0, 0);
}

#[test]
fn restore_keeps_the_current_database_aside_with_what_its_log_held() {
    let env = Env::new();
    small_business(&env);
    let backup = env.path("monday.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let backup_dump = dump_db(&backup);
    // Work after the backup: committed, and still only in the write-ahead log.
    env.ok(&["add", "Only After Backup"]);
    env.ok(&["log", "purchase", "bo", "75", "--item", "Late item"]);
    assert!(
        std::fs::metadata(format!("{}-wal", env.db.display()))
            .unwrap()
            .len()
            > 0
    );
    let current = env.dump();

    // Refused without --yes: nothing moves.
    let message = env.fails(&["restore", backup.to_str().unwrap()]);
    assert!(
        message.starts_with(&format!(
            "restore would replace {}, which holds 3 contacts and 4 interactions; it would be kept as {}.before-restore-",
            env.db.display(),
            env.db.display()
        )) && message.ends_with(" — run again with --yes to restore"),
        "{message}"
    );
    assert!(aside_files(&env).is_empty());

    let out = env.ok(&["restore", backup.to_str().unwrap(), "--yes"]);
    let aside = aside_files(&env);
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(
        out.ends_with(&format!(
            "The database it replaced is kept as {}.\n",
            aside[0].display()
        )),
        "{out}"
    );
    // The restored database is the backup; the one it replaced is whole beside it, its log included.
    assert_eq!(env.dump(), backup_dump);
    assert!(!env.dump().contains("Only After Backup"));
    assert_eq!(dump_db(&aside[0]), current);
    assert_eq!(
        std::fs::metadata(&aside[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(doctor(&env).0, 0);
    // The restored database takes new entries as usual.
    env.ok(&["log", "call", "ana", "after restore"]);
}

#[test]
fn restore_refuses_bad_backups_and_an_open_database_and_changes_nothing() {
    let env = Env::new();
    small_business(&env);
    let garbage = env.path("notes.txt");
    std::fs::write(&garbage, "not a database").unwrap();
    let message = env.fails(&["restore", garbage.to_str().unwrap(), "--yes"]);
    assert!(
        message.contains("cannot be opened as a database"),
        "{message}"
    );
    let message = env.fails(&["restore", env.path("nope.db").to_str().unwrap(), "--yes"]);
    assert!(
        message.starts_with("there is no backup file at"),
        "{message}"
    );
    let message = env.fails(&["restore", env.db.to_str().unwrap(), "--yes"]);
    assert!(message.contains("is the database itself"), "{message}");

    // A database that is not Rapport's.
    let foreign = env.path("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let message = env.fails(&["restore", foreign.to_str().unwrap(), "--yes"]);
    assert!(message.ends_with("is not a Rapport database"), "{message}");

    // A damaged backup.
    let backup = env.path("damaged.db");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let conn = Connection::open(&backup).unwrap();
    let page: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'interactions_contact'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&backup).unwrap();
    let at = (page as usize - 1) * 4096 + 8;
    bytes[at..at + 4].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    std::fs::write(&backup, bytes).unwrap();
    let message = env.fails(&["restore", backup.to_str().unwrap(), "--yes"]);
    assert!(message.contains("is damaged"), "{message}");

    // Another session (here a long-lived one, as the workspace holds) has the database open.
    let good = env.path("good.db");
    env.ok(&["backup", good.to_str().unwrap()]);
    let session = rapport::store::Store::open(&env.db).unwrap();
    let message = env.fails(&["restore", good.to_str().unwrap(), "--yes"]);
    assert!(
        message.starts_with(&format!(
            "another Rapport session has {} open",
            env.db.display()
        )),
        "{message}"
    );
    drop(session);
    assert!(aside_files(&env).is_empty());
    env.ok(&["restore", good.to_str().unwrap(), "--yes"]);
}

#[test]
fn restore_brings_a_first_version_backup_up_to_date() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.db");
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("old-backup.db");
    std::fs::copy(&fixture, &backup).unwrap();
    let env = Env::new();
    let out = env.ok(&["restore", backup.to_str().unwrap()]);
    assert!(out.contains("(4 contacts, 10 interactions)"), "{out}");
    assert_eq!(
        env.query_i64("PRAGMA user_version"),
        rapport::store::CURRENT_VERSION
    );
    assert!(env.ok(&["show", "ana"]).contains("Website redesign"));
}

#[test]
fn forget_says_when_a_reading_session_keeps_an_old_copy_in_the_log_and_doctor_clears_it() {
    let env = Env::new();
    for i in 0..10 {
        env.ok(&["add", &format!("Client {i:02}"), "--note", &"x".repeat(200)]);
    }
    env.ok(&["add", "Zanzibar Quuxley", "--note", "Secret Zanzibar note"]);
    env.ok(&[
        "log",
        "purchase",
        "zanzibar",
        "10",
        "--item",
        "ZanzibarPackage",
        "--date",
        "2026-11-02",
    ]);
    // Another session in the middle of a read: its snapshot needs the log's current frames.
    let reader = env.sql();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();

    let run = env.run(&["forget", "zanzibar", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Erased Zanzibar Quuxley (#11)"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr,
        format!(
            "rapport: another session is reading the database, so {}-wal still holds an old copy of what was erased; close the other sessions and run `rapport doctor` to empty it\n",
            env.db.display()
        )
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM contacts WHERE name LIKE 'Zanzibar%'"),
        0
    );
    assert!(
        contains_bytes(&file_bytes_with_wal(&env.db), b"Zanzibar"),
        "what the message says is true: the log still holds the old pages"
    );

    // Once the reader is done, doctor empties the log and the person is gone from the bytes.
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    let (code, report, _) = doctor(&env);
    assert_eq!(code, 0, "{report}");
    assert_line(
        &report,
        "ok",
        "write-ahead log",
        "emptied into the database file",
    );
    let bytes = file_bytes_with_wal(&env.db);
    for needle in ["Zanzibar", "Quuxley", "Secret"] {
        assert!(
            !contains_bytes(&bytes, needle.as_bytes()),
            "{needle} is still in the file"
        );
    }
    assert!(contains_bytes(&bytes, b"Client 03"));
}
