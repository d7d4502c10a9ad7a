//! The database file and the global options: permissions, WAL, foreign keys, migrations,
//! refusing a newer schema, `--db`/`--config`/`--as-of` anywhere and from the environment.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{dump_db, file_bytes_with_wal, run_command, write_file, Env, TODAY};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn a_new_database_is_private_uses_wal_and_has_the_current_schema() {
    let env = Env::new();
    assert!(!env.db.parent().unwrap().exists());
    assert_eq!(env.ok(&["add", "Ana Ruiz"]), "Added Ana Ruiz (#1).\n");

    assert_eq!(
        mode(env.db.parent().unwrap()),
        0o700,
        "the data directory is created private"
    );
    assert_eq!(mode(&env.db), 0o600, "the database file is created private");
    assert_eq!(env.query_string("PRAGMA journal_mode"), "wal");
    assert_eq!(
        env.query_i64("PRAGMA user_version"),
        rapport::store::CURRENT_VERSION
    );
    for table in ["contacts", "interactions", "ratings", "scores", "models"] {
        assert_eq!(
            env.query_i64(&format!(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            )),
            1,
            "table {table}"
        );
    }
}

#[test]
fn foreign_keys_are_enforced() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    // An interaction for a contact id that does not exist is refused by the foreign key.
    let csv = write_file(
        &env,
        "orphan.csv",
        "contact_id,kind,date,summary\n99,call,2026-11-02,hello\n",
    );
    let before = env.dump();
    let run = env.run(&["import", "interactions", &csv]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.lines().next(),
        Some("line 2: contact #99 does not exist")
    );
    assert_eq!(env.dump(), before);
    // Erasing a contact cascades to its interactions and ratings.
    env.ok(&[
        "log",
        "feedback",
        "ana",
        "quality=4",
        "--date",
        "2026-11-02",
    ]);
    env.ok(&["forget", "ana", "--yes"]);
    assert_eq!(env.query_i64("SELECT count(*) FROM interactions"), 0);
    assert_eq!(env.query_i64("SELECT count(*) FROM ratings"), 0);
}

#[test]
fn an_empty_file_is_migrated_to_the_current_schema() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    std::fs::write(&env.db, b"").unwrap();
    assert_eq!(
        env.ok(&["list", "contacts"]),
        "ID  NAME  COMPANY  EMAIL  TAGS  LAST_TOUCH\n"
    );
    assert_eq!(
        env.query_i64("PRAGMA user_version"),
        rapport::store::CURRENT_VERSION
    );
    assert_eq!(env.query_string("PRAGMA journal_mode"), "wal");
    assert_eq!(env.ok(&["add", "Ana Ruiz"]), "Added Ana Ruiz (#1).\n");
    // Opening again does not migrate twice.
    assert_eq!(env.ok(&["add", "Bo Li"]), "Added Bo Li (#2).\n");
    assert_eq!(
        env.query_i64("PRAGMA user_version"),
        rapport::store::CURRENT_VERSION
    );
}

#[test]
fn a_database_from_a_newer_rapport_is_refused_and_left_byte_for_byte_untouched() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    let newer = rapport::store::CURRENT_VERSION + 1;
    {
        let conn = env.sql();
        conn.pragma_update(None, "user_version", newer).unwrap();
    }
    let bytes = file_bytes_with_wal(&env.db);
    assert!(!bytes.is_empty());
    for args in [
        &["list", "contacts"][..],
        &["add", "Bo Li"],
        &["log", "call", "ana"],
        &["export", "contacts"],
    ] {
        let run = env.run(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        let expected = format!(
            "rapport: cannot open the database {}: the database was written by a newer Rapport (schema version {}, this build knows {}); it was left untouched — upgrade Rapport to open it\n",
            env.db.display(),
            newer,
            rapport::store::CURRENT_VERSION
        );
        assert_eq!(run.stderr, expected, "{args:?}");
        assert!(
            file_bytes_with_wal(&env.db) == bytes,
            "{args:?} modified the newer database"
        );
    }
}

#[test]
fn a_newer_database_with_a_pending_write_ahead_log_is_left_untouched_too() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz"]);
    let newer = rapport::store::CURRENT_VERSION + 7;
    {
        // As a newer Rapport would leave it: its last write still in the WAL, not checkpointed.
        let conn = env.sql();
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .unwrap();
        conn.pragma_update(None, "user_version", newer).unwrap();
    }
    let wal = std::path::PathBuf::from(format!("{}-wal", env.db.display()));
    let (main_before, wal_before) = (
        std::fs::read(&env.db).unwrap(),
        std::fs::read(&wal).unwrap(),
    );
    assert!(!wal_before.is_empty(), "the test needs a WAL with frames");
    let run = env.run(&["show", "ana"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("schema version {newer}")),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::read(&env.db).unwrap() == main_before,
        "the database file was modified"
    );
    assert!(
        std::fs::read(&wal).unwrap() == wal_before,
        "the write-ahead log was modified"
    );
}

#[test]
fn global_options_work_anywhere_on_the_command_line() {
    let env = Env::new();
    let db = env.db.to_str().unwrap();
    let config = env.config.to_str().unwrap();
    let run = run_command(
        {
            let mut cmd = env.bare();
            cmd.args([
                "add",
                "Ana Ruiz",
                "--as-of",
                "2026-11-20",
                "--db",
                db,
                "--config",
                config,
            ]);
            cmd
        },
        None,
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "Added Ana Ruiz (#1).\n", "")
    );
    assert_eq!(
        env.query_string("SELECT created_at FROM contacts"),
        "2026-11-20T12:00:00"
    );

    let run = run_command(
        {
            let mut cmd = env.bare();
            cmd.args([
                "log",
                "--db",
                db,
                "call",
                "ana",
                "--as-of",
                "2026-11-20",
                "catch",
                "up",
            ]);
            cmd
        },
        None,
    );
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout.lines().next(),
        Some("Logged call with Ana Ruiz on 2026-11-20.")
    );
    // The date of an undated entry is --as-of; a weekday is the most recent one before it.
    let run = run_command(
        {
            let mut cmd = env.bare();
            cmd.args([
                "--db",
                db,
                "log",
                "note",
                "ana",
                "--date",
                "monday",
                "--as-of",
                "2026-11-20",
            ]);
            cmd
        },
        None,
    );
    assert_eq!(
        run.stdout.lines().next(),
        Some("Logged note with Ana Ruiz on 2026-11-16.")
    );
}

#[test]
fn environment_variables_pick_the_database_config_and_today_and_flags_win() {
    let env = Env::new().with_config("currency = \"USD\"\n");
    let other_db = env.path("other.db");
    let with_env = |args: &[&str]| {
        let mut cmd = env.bare();
        cmd.env("RAPPORT_DB", &env.db)
            .env("RAPPORT_CONFIG", &env.config)
            .env("RAPPORT_TODAY", "2026-11-10");
        cmd.args(args);
        run_command(cmd, None)
    };
    let run = with_env(&["add", "Ana Ruiz"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "Added Ana Ruiz (#1).\n"),
        "{}",
        run.stderr
    );
    let run = with_env(&["log", "purchase", "ana", "1200"]);
    assert_eq!(
        run.stdout.lines().next(),
        Some("Logged purchase with Ana Ruiz on 2026-11-10: 1,200 USD."),
        "{}",
        run.stderr
    );
    // RAPPORT_TODAY is today: a purchase after it is in the future.
    let run = with_env(&["log", "purchase", "ana", "5", "--date", "2026-11-11"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "rapport: date '2026-11-11' is after today (2026-11-10); a purchase cannot be in the future\n"
    );
    // Flags override the variables.
    let run = with_env(&[
        "log",
        "purchase",
        "ana",
        "5",
        "--date",
        "2026-11-11",
        "--as-of",
        "2026-11-12",
    ]);
    assert_eq!(
        run.stdout.lines().next(),
        Some("Logged purchase with Ana Ruiz on 2026-11-11: 5 USD."),
        "{}",
        run.stderr
    );
    let run = with_env(&["--db", other_db.to_str().unwrap(), "add", "Bo Li"]);
    assert_eq!(run.stdout, "Added Bo Li (#1).\n");
    assert!(dump_db(&other_db).contains("\"Bo Li\""));
    assert!(!env.dump().contains("\"Bo Li\""));
}

#[test]
fn a_missing_config_file_means_the_defaults() {
    let env = Env::new();
    assert!(!env.config.exists());
    env.ok(&["add", "Ana Ruiz"]);
    assert_eq!(
        env.log(&["purchase", "ana", "1200.50", "--date", "2026-11-20"]),
        "Logged purchase with Ana Ruiz on 2026-11-20: 1,200.50 EUR."
    );
    let message = env.fails(&["log", "feedback", "ana", "speed=4"]);
    assert_eq!(
        message,
        "dimension 'speed' is not configured; valid dimensions are quality, price, service"
    );
}

#[test]
fn the_config_file_sets_currency_and_feedback_dimensions() {
    let env = Env::new().with_config(
        "currency = \"USD\"\n\n[feedback]\ndimensions = [{ name = \"speed\", weight = 1.0 }, { name = \"care\", weight = 2.0 }]\n",
    );
    env.ok(&["add", "Ana Ruiz"]);
    assert_eq!(
        env.log(&["purchase", "ana", "12", "--date", "2026-11-20"]),
        "Logged purchase with Ana Ruiz on 2026-11-20: 12 USD."
    );
    assert_eq!(
        env.log(&[
            "feedback",
            "ana",
            "speed=4",
            "care=5",
            "--date",
            "2026-11-20"
        ]),
        "Logged feedback with Ana Ruiz on 2026-11-20."
    );
    let message = env.fails(&["log", "feedback", "ana", "quality=4"]);
    assert_eq!(
        message,
        "dimension 'quality' is not configured; valid dimensions are speed, care"
    );
    assert_eq!(
        env.query_string("SELECT currency FROM interactions WHERE kind = 'purchase'"),
        "USD"
    );
}

#[test]
fn an_unknown_key_or_a_wrong_type_in_the_config_names_the_key_and_the_file() {
    for (text, key) in [
        ("[clv]\ndiscount = 0.2\n", "discount"),
        ("[clv]\nhorizon_years = \"three\"\n", "clv.horizon_years"),
        ("currency = 5\n", "currency"),
        ("colour = \"red\"\n", "colour"),
    ] {
        let env = Env::new().with_config(text);
        let message = env.fails(&["add", "Ana Ruiz"]);
        let file = env.config.display().to_string();
        assert!(
            message.starts_with(&format!("config file {}: ", file)),
            "{text:?}: {message}"
        );
        assert!(
            message.contains(key),
            "{text:?} should name {key}: {message}"
        );
        assert_eq!(
            env.dump(),
            "<no database>",
            "a bad config stops before the database is created"
        );
    }
}

#[test]
fn a_bad_as_of_date_is_refused() {
    let env = Env::new();
    let run = run_command(
        {
            let mut cmd = env.bare();
            cmd.arg("--db")
                .arg(&env.db)
                .args(["--as-of", "2026-02-30", "list", "contacts"]);
            cmd
        },
        None,
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "rapport: --as-of: date '2026-02-30' is not a valid date (use YYYY-MM-DD, 'today', 'yesterday', '3d', '2w' or a weekday)\n"
    );
    assert_eq!(env.dump(), "<no database>");
    // TODAY itself is what every other test uses.
    assert_eq!(TODAY, "2026-11-23");
}

#[test]
fn a_database_path_that_cannot_be_opened_is_one_clear_sentence() {
    let env = Env::new();
    let dir = env.path("a-directory");
    std::fs::create_dir(&dir).unwrap();
    let run = run_command(
        {
            let mut cmd = env.bare();
            cmd.arg("--db").arg(&dir).args(["list", "contacts"]);
            cmd
        },
        None,
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!("rapport: cannot open the database {0}: database error: unable to open database file: {0}\n", dir.display())
    );
}
