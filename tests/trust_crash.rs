//! Trust: `rapport` killed with SIGKILL at arbitrary moments (seeded, so every run kills at the same
//! fractions of the command's running time) never leaves a damaged database or half an operation:
//! after each kill the file passes `PRAGMA integrity_check` and `foreign_key_check`, and the
//! import, the logged entry or the refit is either wholly there or wholly absent.
//!
//! What this proves: every command's writes are one SQLite transaction, and a process crash at any
//! instant — including during the commit — is rolled back or completed by SQLite's WAL recovery.
//! What it does not prove: durability across power loss or an OS crash (synchronous = NORMAL may lose
//! the last commits there, by design, but still never corrupts).

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{dump_db, rows_of, Env, TODAY};
use rusqlite::Connection;

/// The tests of this file run one at a time: each times its command and kills it at fractions of
/// that time, which only means something when the two cores are not shared with another kill loop.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a refit writes: the models, the scores and the change counter.
fn refit_tables(db: &Path) -> String {
    rows_of(
        &Connection::open(db).unwrap(),
        &["models", "scores", "score_details", "meta"],
    )
}

/// A small deterministic generator (splitmix64) for the kill moments.
struct Moments(u64);

impl Moments {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `count` moments spread over [from·span, to·span]: one in each of `count` equal strata, so the
    /// start, the middle and the commit at the end all get hit, in a seeded order.
    fn spread(&mut self, count: usize, span: Duration, from: f64, to: f64) -> Vec<Duration> {
        (0..count)
            .map(|i| {
                let f = from + (to - from) * (i as f64 + self.next_unit()) / count as f64;
                span.mul_f64(f)
            })
            .collect()
    }
}

#[derive(Debug, PartialEq)]
enum Outcome {
    /// SIGKILL arrived while the command was running.
    Killed,
    /// The command had already finished (successfully).
    Finished,
}

/// Starts `cmd`, and after `after` kills it with SIGKILL unless it has finished.
fn run_and_kill(mut cmd: Command, after: Duration) -> Outcome {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start rapport");
    std::thread::sleep(after);
    if child.try_wait().expect("poll").is_none() {
        child.kill().expect("SIGKILL");
    }
    let out = child.wait_with_output().expect("wait");
    match out.status.signal() {
        Some(9) => Outcome::Killed,
        _ => {
            assert!(
                out.status.success(),
                "unkilled run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Outcome::Finished
        }
    }
}

/// The file is sound: integrity and foreign keys check out (opening it replays a hot WAL first).
#[track_caller]
fn assert_sound(db: &Path) {
    let conn = Connection::open(db).expect("open after the crash");
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(integrity, vec!["ok".to_string()], "integrity_check");
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0, "foreign_key_check");
}

/// Every table, index and trigger with its SQL: a large import sets indexes aside and must put
/// them back exactly.
fn schema(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} {} {}\n",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn query_i64(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Copies a database with its write-ahead log (if any), as a crash would find them.
fn copy_db(from: &Path, to: &Path) {
    for suffix in ["", "-wal"] {
        let src = PathBuf::from(format!("{}{}", from.display(), suffix));
        let dst = PathBuf::from(format!("{}{}", to.display(), suffix));
        let _ = std::fs::remove_file(&dst);
        if src.exists() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
    let _ = std::fs::remove_file(format!("{}-shm", to.display()));
}

/// `rapport --db DB --config CONFIG --as-of AS_OF ARGS...`
fn rapport(env: &Env, db: &Path, as_of: &str, args: &[&str]) -> Command {
    let mut cmd = env.bare();
    cmd.arg("--db")
        .arg(db)
        .arg("--config")
        .arg(&env.config)
        .arg("--as-of")
        .arg(as_of)
        .args(args);
    cmd
}

#[test]
fn an_import_killed_at_any_moment_is_wholly_there_or_wholly_absent() {
    let _serial = serial();
    let env = Env::new();
    env.ok(&["demo", "--contacts", "300", "--no-tui"]);
    let contacts = env.path("contacts.csv");
    let interactions = env.path("interactions.csv");
    env.ok(&["export", "contacts", "-o", contacts.to_str().unwrap()]);
    env.ok(&[
        "export",
        "interactions",
        "-o",
        interactions.to_str().unwrap(),
    ]);
    let rows = std::fs::read_to_string(&interactions)
        .unwrap()
        .lines()
        .count() as i64
        - 1;
    assert!(rows > 20_000, "a large file: {rows} rows");

    // The starting point of every attempt: the contacts only.
    let base = env.path("base.db");
    let run = common::run_command(
        rapport(
            &env,
            &base,
            TODAY,
            &["import", "contacts", contacts.to_str().unwrap()],
        ),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let base_dump = dump_db(&base);
    let base_schema = schema(&base);

    // One complete import, timed: the kills are spread over its running time.
    let reference = env.path("reference.db");
    copy_db(&base, &reference);
    let import = ["import", "interactions", interactions.to_str().unwrap()];
    let started = Instant::now();
    let run = common::run_command(rapport(&env, &reference, TODAY, &import), None);
    let span = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        schema(&reference),
        base_schema,
        "indexes rebuilt as they were"
    );
    // The triggers were set aside with the indexes: their work (each contact's last touch) is done.
    assert_eq!(
        query_i64(
            &reference,
            "SELECT count(*) FROM contacts c WHERE c.last_touch IS NOT
                 (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = c.id)"
        ),
        0,
        "every last touch kept after a large import"
    );
    assert!(query_i64(&reference, "SELECT count(last_touch) FROM contacts") > 200);
    let export = |db: &Path| {
        let run = common::run_command(rapport(&env, db, TODAY, &["export", "interactions"]), None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let complete = export(&reference);

    let mut moments = Moments(0x5eed_0001);
    let (mut absent, mut whole, mut killed) = (0, 0, 0);
    let attempt = env.path("attempt.db");
    for (i, after) in moments.spread(7, span, 0.05, 1.4).into_iter().enumerate() {
        copy_db(&base, &attempt);
        let outcome = run_and_kill(rapport(&env, &attempt, TODAY, &import), after);
        killed += usize::from(outcome == Outcome::Killed);
        assert_sound(&attempt);
        assert_eq!(
            schema(&attempt),
            base_schema,
            "kill {i} at {after:?}: the schema"
        );
        let count = query_i64(&attempt, "SELECT count(*) FROM interactions");
        if count == 0 {
            assert_ne!(outcome, Outcome::Finished, "a finished import is there");
            assert_eq!(
                dump_db(&attempt),
                base_dump,
                "kill {i} at {after:?}: nothing of the import may remain"
            );
            if absent == 0 {
                // The same file takes the import again, whole, after the crash.
                let run = common::run_command(rapport(&env, &attempt, TODAY, &import), None);
                assert_eq!(run.code, 0, "{}", run.stderr);
                assert_eq!(export(&attempt), complete);
            }
            absent += 1;
        } else {
            assert_eq!(count, rows, "kill {i} at {after:?}: a partial import");
            assert_eq!(export(&attempt), complete);
            assert_eq!(
                query_i64(&attempt, "SELECT count(*) FROM scores"),
                300,
                "the import's scores commit with it"
            );
            whole += 1;
        }
    }
    eprintln!("import {span:?}: {killed} killed mid-run, {absent} absent, {whole} whole");
    assert!(killed >= 2, "kills must land while the import runs");
    assert!(absent >= 1, "some kill must land before the commit");
}

#[test]
fn a_log_killed_at_any_moment_is_recorded_with_its_scores_or_not_at_all() {
    let _serial = serial();
    let env = Env::new();
    env.ok(&["demo", "--contacts", "300", "--no-tui"]);
    let changes = |db: &Path| {
        query_i64(
            db,
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'changes_since_fit'",
        )
    };
    let start_changes = changes(&env.db);
    // Time one log, then kill the next ones across that span.
    let started = Instant::now();
    env.ok(&["log", "purchase", "C00001", "1.00", "--item", "timing"]);
    let span = started.elapsed();

    let mut moments = Moments(0x5eed_0002);
    let mut committed = 1; // the timing entry
    let mut killed = 0;
    for (i, after) in moments.spread(20, span, 0.0, 1.3).into_iter().enumerate() {
        let contact = format!("C{:05}", 1 + (i * 37) % 300);
        let item = format!("crash-{i:02}");
        let cmd = rapport(
            &env,
            &env.db,
            TODAY,
            &["log", "purchase", &contact, "7.01", "--item", &item],
        );
        let outcome = run_and_kill(cmd, after);
        assert_sound(&env.db);
        let present = query_i64(
            &env.db,
            &format!("SELECT count(*) FROM interactions WHERE item = '{item}'"),
        );
        match outcome {
            Outcome::Finished => assert_eq!(present, 1, "{item}"),
            Outcome::Killed => {
                killed += 1;
                assert!(present <= 1, "{item}")
            }
        }
        committed += present;
        // The entry, its contact's scores and the change counter commit together or not at all.
        assert_eq!(
            changes(&env.db),
            start_changes + committed,
            "kill {i} at {after:?}: the change counter disagrees with the entries"
        );
        let contact_id = 1 + (i as i64 * 37) % 300;
        assert_eq!(
            query_i64(
                &env.db,
                &format!("SELECT monetary FROM scores WHERE contact_id = {contact_id}")
            ),
            query_i64(
                &env.db,
                &format!(
                    "SELECT coalesce(sum(amount), 0) FROM interactions
                     WHERE contact_id = {contact_id} AND kind = 'purchase'"
                )
            ),
            "kill {i} at {after:?}: the contact's scores disagree with their purchases"
        );
    }
    eprintln!("log {span:?}: {killed} of 20 killed mid-run, {committed} committed");
    assert!(killed >= 5, "kills must land while log runs");
    assert!(
        committed > 1 && (committed as usize) < 21,
        "kills landed both before and after the commit ({committed})"
    );
}

#[test]
fn a_refit_killed_at_any_moment_leaves_everyone_scored_by_one_model_set() {
    let _serial = serial();
    let env = Env::new();
    env.ok(&["demo", "--contacts", "300", "--no-tui"]);
    let state = |db: &Path| -> (i64, i64, i64, i64) {
        let latest = query_i64(db, "SELECT max(version) FROM models");
        let versions = query_i64(db, "SELECT count(DISTINCT model_version) FROM scores");
        let days = query_i64(db, "SELECT count(DISTINCT as_of) FROM scores");
        let scored_with_latest = query_i64(
            db,
            &format!("SELECT count(*) FROM scores WHERE model_version = {latest}"),
        );
        (latest, versions, days, scored_with_latest)
    };
    let started = Instant::now();
    env.ok(&["score", "--refit"]);
    let span = started.elapsed();
    let (mut version, ..) = state(&env.db);

    let mut moments = Moments(0x5eed_0003);
    let (mut killed, mut refits, mut absent) = (0, 0, 0);
    for (i, after) in moments.spread(7, span, 0.05, 1.4).into_iter().enumerate() {
        // Each attempt scores as of a later day, so old and new scores differ in as_of as well.
        let day = (chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
            + chrono::Duration::days(1 + i as i64))
        .to_string();
        let before = refit_tables(&env.db);
        let outcome = run_and_kill(rapport(&env, &env.db, &day, &["score", "--refit"]), after);
        killed += usize::from(outcome == Outcome::Killed);
        assert_sound(&env.db);
        let (latest, versions, days, with_latest) = state(&env.db);
        assert_eq!(
            (versions, days, with_latest),
            (1, 1, 300),
            "kill {i} at {after:?}: everyone is scored by one model set on one day"
        );
        if latest == version {
            assert_ne!(outcome, Outcome::Finished);
            assert_eq!(
                refit_tables(&env.db),
                before,
                "kill {i}: a refit left a trace"
            );
            absent += 1;
        } else {
            assert_eq!(latest, version + 1);
            assert_eq!(
                query_i64(
                    &env.db,
                    &format!("SELECT count(*) FROM scores WHERE as_of = '{day}'")
                ),
                300
            );
            version = latest;
            refits += 1;
        }
    }
    eprintln!("refit {span:?}: {killed} killed mid-run, {absent} absent, {refits} completed");
    assert!(killed >= 2, "kills must land while the refit runs");
    assert!(absent >= 1, "some kill must land before the commit");
}
