//! Trust: schema evolution. `tests/fixtures/schema-v1.db` is a database written by the first
//! schema version (built once by `build_schema_v1_fixture` below from a small known dataset, then
//! committed and never rebuilt). The current binary must open it, bring it to the current version
//! with every row kept, and end with exactly the schema a brand-new database gets — which also fails
//! if anyone edits a released migration in place instead of appending a new one.

mod common;

use std::path::{Path, PathBuf};

use common::Env;
use rapport::store::maintenance::schema_of;
use rapport::store::CURRENT_VERSION;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.db")
}

/// A copy of the fixture that is only ever read. (SQLite creates `-shm`/`-wal` files beside a
/// WAL-mode database even to read it, so the committed file itself is never opened.)
fn pristine() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pristine.db");
    std::fs::copy(fixture(), &path).unwrap();
    (dir, path)
}

/// A private copy of the fixture (the committed file is never opened for writing).
fn fixture_copy(env: &Env) -> PathBuf {
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    std::fs::copy(fixture(), &env.db).unwrap();
    // A checkout makes the file 0644; Rapport's own files are 0600.
    std::fs::set_permissions(&env.db, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    env.db.clone()
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// The tables of the first schema and their columns, read from the fixture itself.
fn v1_tables() -> Vec<(String, Vec<String>)> {
    let (_dir, path) = pristine();
    let conn = read_only(&path);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let columns = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
                ))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            (table, columns)
        })
        .collect()
}

/// Every row of the first schema's tables, reading only the first schema's columns.
fn column_names(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap();
    names.map(Result::unwrap).collect()
}

fn v1_rows(path: &Path) -> Vec<String> {
    let conn = read_only(path);
    // Migration 3 moved the scores' full record into `score_details`.
    let moved = column_names(&conn, "scores").iter().all(|c| c != "body");
    rows_in_columns(path, &v1_tables(), |table, column| match column {
        "body" if moved && table == "scores" => {
            "(SELECT d.body FROM score_details d WHERE d.contact_id = scores.contact_id)".into()
        }
        _ => format!("\"{column}\""),
    })
}

/// Every row of `tables` in rowid order, each column read as `select(table, column)` says.
fn rows_in_columns(
    path: &Path,
    tables: &[(String, Vec<String>)],
    select: impl Fn(&str, &str) -> String,
) -> Vec<String> {
    let conn = read_only(path);
    let mut out = Vec::new();
    for (table, columns) in tables {
        let list = columns
            .iter()
            .map(|c| select(table, c))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = conn
            .prepare(&format!("SELECT {list} FROM \"{table}\" ORDER BY rowid"))
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                (0..columns.len())
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            out.push(format!("{table} {:?}", row.unwrap()));
        }
    }
    out
}

fn user_version(path: &Path) -> i64 {
    read_only(path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_fixture_is_the_known_first_version_dataset() {
    let (_dir, path) = pristine();
    let conn = read_only(&path);
    assert_eq!(
        user_version(&path),
        1,
        "the fixture must stay at schema version 1"
    );
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM contacts"), 4);
    assert_eq!(count("SELECT count(*) FROM interactions"), 10);
    assert_eq!(count("SELECT count(*) FROM ratings"), 3);
    assert_eq!(count("SELECT count(*) FROM scores"), 4);
    assert!(count("SELECT count(*) FROM models") >= 1);
    assert_eq!(
        conn.query_row(
            "SELECT group_concat(name, '|') FROM (SELECT name FROM contacts ORDER BY id)",
            [],
            |r| r.get::<_, String>(0)
        )
        .unwrap(),
        "Ana Ruiz|Bo Li|李小龍|Eve O'Hara"
    );
    assert!(
        !Path::new(&format!("{}-wal", fixture().display())).exists(),
        "the fixture is one self-contained file"
    );
}

#[test]
fn a_version_1_database_is_upgraded_by_the_current_binary_with_every_row_kept() {
    let env = Env::new();
    let db = fixture_copy(&env);
    // Schema 5 takes the churn figure away from leads (they have nothing to lapse from): the one
    // value the upgrade changes on purpose.
    let before: Vec<String> = v1_rows(&pristine().1)
        .into_iter()
        .map(|row| {
            if row.starts_with("scores ") && row.contains("Text(\"lead\"), Null, Real(") {
                let (head, tail) = row.split_once("Text(\"lead\"), Null, Real(").unwrap();
                let rest = tail.split_once("), ").unwrap().1;
                format!("{head}Text(\"lead\"), Null, Null, {rest}")
            } else {
                row
            }
        })
        .collect();
    assert!(before.len() > 20, "the fixture holds data");

    // Opening migrates; exporting changes nothing else.
    let contacts = env.ok(&["export", "contacts"]);
    assert!(contacts.contains("李小龍"), "{contacts}");
    assert_eq!(user_version(&db), CURRENT_VERSION);
    assert_eq!(
        v1_rows(&db),
        before,
        "a row of the first schema changed or was lost"
    );
    let violations: i64 = read_only(&db)
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
    // Schema 4 keeps each contact's latest interaction beside it (the Contacts sorts read it).
    let stale: i64 = read_only(&db)
        .query_row(
            "SELECT count(*) FROM contacts c WHERE c.last_touch IS NOT
                (SELECT max(occurred_at) FROM interactions i WHERE i.contact_id = c.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let touched: i64 = read_only(&db)
        .query_row("SELECT count(last_touch) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (stale, touched > 0),
        (0, true),
        "last touch after the upgrade"
    );

    // Schema 5's action ledger starts empty: the upgrade invents no suggestions.
    let suggestions = |db: &Path| -> i64 {
        read_only(db)
            .query_row("SELECT count(*) FROM suggestions", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(suggestions(&db), 0);

    // Schema 10 keeps every buyer's basket: the distinct services bought, trimmed and sorted.
    let baskets: Vec<(i64, String)> = {
        let conn = read_only(&db);
        let mut stmt = conn
            .prepare(
                "SELECT cb.contact_id, b.items FROM contact_baskets cb
                 JOIN baskets b ON b.id = cb.basket_id ORDER BY cb.contact_id",
            )
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let buyers: i64 = read_only(&db)
        .query_row(
            "SELECT count(DISTINCT contact_id) FROM interactions
             WHERE kind = 'purchase' AND trim(item) <> ''",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(baskets.len() as i64, buyers, "{baskets:?}");
    assert!(
        baskets
            .iter()
            .any(|(_, items)| items.contains("\"Website redesign\"")),
        "{baskets:?}"
    );

    // And the upgraded file works like any other.
    let shown = env.ok(&["show", "ana"]);
    assert!(
        shown.contains("Ana Ruiz") && shown.contains("Website redesign"),
        "{shown}"
    );
    assert!(
        suggestions(&db) > 0,
        "`show` records the actions it printed"
    );
    let report = env.ok(&["report", "actions"]);
    assert!(report.contains("still open"), "{report}");
    env.ok(&["log", "purchase", "bo", "250", "--item", "After upgrade"]);
    env.ok(&["score", "--refit"]);
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, 0, "{}", doctor.stdout);
    assert!(doctor.stdout.ends_with("Healthy.\n"), "{}", doctor.stdout);
}

#[test]
fn the_upgraded_first_version_has_exactly_the_schema_of_a_new_database() {
    // A new database gets every migration from the first; the fixture got migration 1 when it was
    // built and the later ones now. If migration 1 is edited in place (instead of a new migration
    // being appended), the two differ and this test fails.
    let env = Env::new();
    let upgraded = fixture_copy(&env);
    env.ok(&["export", "contacts"]);
    let fresh = Env::new();
    fresh.empty_database().ok(&["list", "contacts"]);
    let new_schema = schema_of(&read_only(&fresh.db)).unwrap();
    let upgraded_schema = schema_of(&read_only(&upgraded)).unwrap();
    assert!(!new_schema.is_empty());
    assert_eq!(
        upgraded_schema, new_schema,
        "a released migration was changed: append a new migration instead"
    );
    assert_eq!(user_version(&fresh.db), user_version(&upgraded));
}

#[test]
fn a_database_from_a_newer_rapport_is_refused_and_left_byte_for_byte() {
    let env = Env::new();
    let db = fixture_copy(&env);
    {
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    let _ = std::fs::remove_file(format!("{}-wal", db.display()));
    let _ = std::fs::remove_file(format!("{}-shm", db.display()));
    let bytes = std::fs::read(&db).unwrap();
    let message = env.fails(&["list", "contacts"]);
    assert!(message.contains("written by a newer Rapport"), "{message}");
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, 1);
    assert!(
        doctor.stdout.contains("was written by a newer Rapport"),
        "{}",
        doctor.stdout
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the newer file was modified"
    );
    // Nor is it accepted as a backup.
    let other = Env::new();
    other.ok(&["add", "Someone"]);
    let message = other.fails(&["restore", db.to_str().unwrap(), "--yes"]);
    assert!(
        message.contains("was written by a newer Rapport"),
        "{message}"
    );
}

/// Rebuilds the fixture. Run only to create it the first time:
/// `RAPPORT_WRITE_FIXTURE=1 cargo test --test trust_schema build_schema_v1_fixture -- --ignored`.
/// A released fixture must not be rebuilt: that would hide exactly the changes it exists to catch.
#[test]
#[ignore]
fn build_schema_v1_fixture() {
    if std::env::var("RAPPORT_WRITE_FIXTURE").as_deref() != Ok("1") {
        eprintln!(
            "set RAPPORT_WRITE_FIXTURE=1 to write {}",
            fixture().display()
        );
        return;
    }
    assert_eq!(
        CURRENT_VERSION, 1,
        "the v1 fixture can only be built by a version-1 build"
    );
    let env = Env::new();
    let steps: &[&[&str]] = &[
        &[
            "add",
            "Ana Ruiz",
            "--external-id",
            "C-1",
            "--email",
            "ana@ruiz.example",
            "--phone",
            "+34 600 000 001",
            "--company",
            "Ruiz & Co",
            "--tag",
            "vip",
            "--tag",
            "web",
            "--note",
            "Prefers calls\nafter 10",
        ],
        &[
            "add",
            "Bo Li",
            "--external-id",
            "C-2",
            "--referred-by",
            "ana",
        ],
        &["add", "李小龍", "--company", "🌟 Stars, Inc."],
        &["add", "Eve O'Hara", "--email", "eve@example.org"],
        &[
            "log",
            "purchase",
            "ana",
            "1200",
            "--item",
            "Website redesign",
            "--date",
            "2026-06-01",
        ],
        &[
            "log",
            "purchase",
            "ana",
            "350.50",
            "--item",
            "Hosting",
            "--date",
            "2026-09-15 09:30",
        ],
        &[
            "log",
            "purchase",
            "bo",
            "99.99",
            "--item",
            "Logo",
            "--date",
            "2026-10-02",
        ],
        &[
            "log",
            "call",
            "ana",
            "renewal next month",
            "--date",
            "2026-11-02",
        ],
        &[
            "log",
            "email",
            "bo",
            "sent the invoice",
            "--date",
            "2026-10-03",
        ],
        &[
            "log",
            "meeting",
            "李小龍",
            "kick-off",
            "--date",
            "2026-11-10",
        ],
        &[
            "log",
            "note",
            "eve",
            "met at a conference",
            "--date",
            "2026-11-20",
        ],
        &[
            "log",
            "feedback",
            "ana",
            "quality=5",
            "price=3",
            "service=4",
            "--note",
            "very happy",
            "--date",
            "2026-11-05",
        ],
        &[
            "log",
            "purchase",
            "李小龍",
            "0",
            "--item",
            "Pro bono review",
            "--date",
            "2026-11-11",
        ],
        &["log", "call", "eve", "follow-up", "--date", "2026-11-21"],
        &["score", "--refit"],
    ];
    for step in steps {
        env.ok(step);
    }
    // One self-contained file: the log moved into it and removed.
    let conn = Connection::open(&env.db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    conn.execute_batch("VACUUM").unwrap();
    drop(conn);
    assert!(!Path::new(&format!("{}-wal", env.db.display())).exists());
    std::fs::create_dir_all(fixture().parent().unwrap()).unwrap();
    std::fs::copy(&env.db, fixture()).unwrap();
    eprintln!("{}", env.ok(&["doctor"]));
}

#[test]
fn a_version_12_database_keeps_every_row_and_gets_its_emails_and_phones_listed() {
    let env = Env::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    {
        let mut conn = Connection::open(&env.db).unwrap();
        rapport::store::migrate_to(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO contacts (id, name, email, phone, company, tags, note, created_at)
                 VALUES (1, 'Ana Ruiz', 'Ana@Ruiz.example', '+34 600 000 001', 'Ruiz', 'vip', 'n', '2026-01-02 09:00'),
                        (2, 'Bo Li', ' bo@li.example ', NULL, NULL, '', NULL, '2026-02-03 10:00'),
                        (3, 'Eve', NULL, '030 123456', NULL, '', NULL, '2026-03-04 11:00'),
                        (4, 'Cy', '', '', NULL, '', NULL, '2026-03-05 11:00');
             INSERT INTO interactions (contact_id, kind, occurred_at, summary, amount, currency, item)
                 VALUES (1, 'purchase', '2026-06-01 12:00', NULL, 120000, 'EUR', 'Website'),
                        (2, 'call', '2026-07-01 12:00', 'intro', NULL, NULL, NULL);
             INSERT INTO follow_ups (contact_id, text, due, source, created_at)
                 VALUES (2, 'send the quote', '2026-11-27', 'manual', '2026-11-20 09:00');",
        )
        .unwrap();
        assert_eq!(
            conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
                .unwrap(),
            12
        );
    }
    std::fs::set_permissions(&env.db, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let tables: Vec<(String, Vec<String>)> = {
        let conn = read_only(&env.db);
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                   AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE '%\\_words\\_%' ESCAPE '\\'
                   AND name NOT LIKE '%\\_grams\\_%' ESCAPE '\\' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        names
            .into_iter()
            .map(|t| {
                let columns = column_names(&conn, &t);
                (t, columns)
            })
            .collect()
    };
    let before = rows_in_columns(&env.db, &tables, |_, c| format!("\"{c}\""));
    assert!(
        before.iter().any(|r| r.starts_with("follow_ups ")),
        "{before:?}"
    );

    let listed = env.ok(&["list", "contacts"]);
    assert!(listed.contains("Ana Ruiz"), "{listed}");
    assert_eq!(user_version(&env.db), CURRENT_VERSION);
    assert_eq!(
        rows_in_columns(&env.db, &tables, |_, c| format!("\"{c}\"")),
        before,
        "a row of schema 12 changed or was lost"
    );
    // Each contact's email and phone became its preferred (and only) one.
    let listed = |sql: &str| -> Vec<(i64, String, bool)> {
        let conn = read_only(&env.db);
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(
        listed("SELECT contact_id, address, preferred FROM contact_emails ORDER BY contact_id"),
        vec![
            (1, "Ana@Ruiz.example".to_string(), true),
            (2, "bo@li.example".to_string(), true)
        ]
    );
    assert_eq!(
        listed("SELECT contact_id, number, preferred FROM contact_phones ORDER BY contact_id"),
        vec![
            (1, "+34 600 000 001".to_string(), true),
            (3, "030 123456".to_string(), true)
        ]
    );
    // Mail finds them by the new lists, and the first vCard export gives each a UID it keeps.
    env.ok(&["export", "vcard", "-o", env.path("a.vcf").to_str().unwrap()]);
    let uids: i64 = read_only(&env.db)
        .query_row("SELECT count(DISTINCT vcard_uid) FROM contacts", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(uids, 4);
    let first = std::fs::read_to_string(env.path("a.vcf")).unwrap();
    env.ok(&["export", "vcard", "-o", env.path("b.vcf").to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(env.path("b.vcf")).unwrap(), first);
    // The rows were written without Rapport, so nothing was scored yet.
    env.ok(&["score", "--refit"]);
    let doctor = env.run(&["doctor"]);
    assert_eq!(doctor.code, 0, "{}", doctor.stdout);
}
