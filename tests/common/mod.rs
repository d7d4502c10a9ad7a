//! Shared helpers for the end-to-end tests: run the real `rapport` binary on a private temporary
//! database with a fixed "today", capture what the user sees, and dump the database to show
//! whether a command changed it.

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

/// The fixed "today" of every test: a Monday.
pub const TODAY: &str = "2026-11-23";

/// What one run of the binary produced.
#[derive(Debug, Clone)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub stdout_bytes: Vec<u8>,
}

impl Run {
    pub fn stdout_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// A temporary workspace: a database path inside a directory that does not exist yet,
/// and a config path that does not exist unless a test writes one.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub config: PathBuf,
}

impl Default for Env {
    fn default() -> Self {
        Env::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temporary directory");
        let db = dir.path().join("data").join("rapport.db");
        let config = dir.path().join("no-config.toml");
        Env { dir, db, config }
    }

    /// Creates the empty database, as the workspace or a first `add` would, for tests of what
    /// commands say about an empty business.
    pub fn empty_database(&self) -> &Env {
        rapport::store::Store::open(&self.db).expect("create the database");
        self
    }

    /// Writes `text` as the config file used by later runs.
    pub fn with_config(mut self, text: &str) -> Env {
        self.config = self.dir.path().join("config.toml");
        std::fs::write(&self.config, text).expect("write config");
        self
    }

    /// A path inside the workspace directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with no global options and no RAPPORT_* variables, HOME inside the workspace.
    pub fn bare(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
        cmd.env_remove("RAPPORT_DB")
            .env_remove("RAPPORT_CONFIG")
            .env_remove("RAPPORT_TODAY")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        cmd
    }

    /// `rapport --db DB --config CONFIG --as-of TODAY ARGS...`
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = self.bare();
        cmd.arg("--db")
            .arg(&self.db)
            .arg("--config")
            .arg(&self.config)
            .arg("--as-of")
            .arg(TODAY);
        cmd.args(args);
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_command(self.command(args), None)
    }

    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        run_command(self.command(args), Some(input))
    }

    /// Runs a command that must succeed silently on stderr; returns its stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 0, "rapport {:?} failed: {}", args, run.stderr);
        assert_eq!(run.stderr, "", "rapport {:?} wrote to stderr", args);
        run.stdout
    }

    /// Runs `log ...`, which must succeed; returns its first line (`Logged ... .`), the one about the
    /// entry itself — what follows is about scores, tested with scoring.
    #[track_caller]
    pub fn log(&self, args: &[&str]) -> String {
        let mut full = vec!["log"];
        full.extend_from_slice(args);
        self.ok(&full)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs a command that must be refused with exit 1, one line on stderr, nothing on stdout,
    /// and the database exactly as it was. Returns the message after `rapport: `.
    #[track_caller]
    pub fn fails(&self, args: &[&str]) -> String {
        let before = self.dump();
        let run = self.run(args);
        assert_eq!(
            run.code, 1,
            "rapport {:?} should fail with exit 1; stdout: {}; stderr: {}",
            args, run.stdout, run.stderr
        );
        assert_eq!(
            run.stdout, "",
            "rapport {:?} printed on stdout while failing",
            args
        );
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "rapport {:?}: one sentence expected, got {:?}",
            args,
            run.stderr
        );
        let message = run
            .stderr
            .strip_prefix("rapport: ")
            .unwrap_or_else(|| panic!("stderr does not start with 'rapport: ': {:?}", run.stderr))
            .trim_end()
            .to_string();
        assert_eq!(
            self.dump(),
            before,
            "rapport {:?} failed but changed the database",
            args
        );
        message
    }

    /// Runs a command that clap must refuse as a usage error (exit 2), leaving the database as it was.
    #[track_caller]
    pub fn usage_error(&self, args: &[&str]) -> String {
        let before = self.dump();
        let run = self.run(args);
        assert_eq!(
            run.code, 2,
            "rapport {:?} should be a usage error; stderr: {}",
            args, run.stderr
        );
        assert_eq!(run.stdout, "");
        assert_eq!(self.dump(), before);
        run.stderr
    }

    /// Every table's rows (and the schema version) as text; `<no database>` if the file does not exist.
    pub fn dump(&self) -> String {
        dump_db(&self.db)
    }

    /// Opens the database directly (for checks of what is stored raw).
    pub fn sql(&self) -> Connection {
        Connection::open_with_flags(&self.db, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .expect("open database")
    }

    /// One value from a query on the database.
    pub fn query_string(&self, sql: &str) -> String {
        self.sql()
            .query_row(sql, [], |r| r.get::<_, String>(0))
            .expect(sql)
    }

    pub fn query_i64(&self, sql: &str) -> i64 {
        self.sql()
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .expect(sql)
    }

    /// `export contacts` followed by `export interactions`, both CSV.
    pub fn export_all(&self) -> String {
        format!(
            "{}{}",
            self.ok(&["export", "contacts"]),
            self.ok(&["export", "interactions"])
        )
    }
}

pub fn run_command(mut cmd: Command, input: Option<&[u8]>) -> Run {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("start rapport");
    if let Some(input) = input {
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(input).expect("write stdin");
    }
    let output = child.wait_with_output().expect("wait for rapport");
    Run {
        code: output
            .status
            .code()
            .expect("exit code (not killed by a signal)"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        stdout_bytes: output.stdout,
    }
}

/// Every row of the scores table, one string each, by contact: to compare stored (incremental)
/// scores with a full re-score's.
pub fn scores_table(db: &Path) -> Vec<String> {
    let conn =
        Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE).expect("open database");
    let mut stmt = conn
        .prepare("SELECT * FROM scores ORDER BY contact_id")
        .unwrap();
    let width = stmt.column_count();
    stmt.query_map([], |r| {
        (0..width)
            .map(|i| r.get::<_, Value>(i))
            .collect::<Result<Vec<_>, _>>()
            .map(|row| format!("{row:?}"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Every table's rows in rowid order, with `PRAGMA user_version`.
pub fn dump_db(path: &Path) -> String {
    if !path.exists() {
        return "<no database>".into();
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .expect("open database");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    let mut out = format!("user_version {}\n", version);
    let tables: Vec<String> = conn
        // Full-text indexes (virtual tables and their shadow tables) are derived from the rows.
        .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("tables")
        .query_map([], |r| r.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    for table in tables {
        out.push_str(&format!("[{}]\n", table));
        for row in table_rows(&conn, &table) {
            out.push_str(&format!("{row}\n"));
        }
    }
    out
}

/// Each row of `table` in rowid order, every column's value shown.
pub fn table_rows(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM \"{}\" ORDER BY rowid", table))
        .expect("select");
    let width = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..width)
                .map(|i| r.get::<_, Value>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .expect("rows");
    rows.map(|row| format!("{:?}", row.expect("row"))).collect()
}

/// The rows of these tables, each line naming its table.
pub fn rows_of(conn: &Connection, tables: &[&str]) -> String {
    let mut out = String::new();
    for table in tables {
        for row in table_rows(conn, table) {
            out.push_str(&format!("{table} {row}\n"));
        }
    }
    out
}

/// A small business through the CLI: two clients (one referred by the other), a purchase, a
/// feedback entry and a call.
pub fn small_business(env: &Env) {
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1", "--tag", "vip"]);
    env.ok(&["add", "Bo Li", "--referred-by", "ana"]);
    env.ok(&[
        "log",
        "purchase",
        "ana",
        "1200",
        "--item",
        "Website",
        "--date",
        "2026-11-01",
    ]);
    env.ok(&[
        "log",
        "feedback",
        "ana",
        "quality=5",
        "--date",
        "2026-11-02",
    ]);
    env.ok(&["log", "call", "bo", "intro", "--date", "2026-11-03"]);
}

/// Three contacts as an address book has them (emails, a phone, a company; one with neither)
/// and what Rapport alone keeps about them: a tag, a note, a purchase, a call, a follow-up.
pub fn address_book(env: &Env) {
    env.ok(&[
        "add",
        "Ana Ruiz",
        "--email",
        "ana@ruiz.example",
        "--phone",
        "+34 600 000 001",
        "--company",
        "Ruiz Studio",
        "--tag",
        "vip",
        "--note",
        "Prefers calls",
    ]);
    env.ok(&["add", "Bo Li", "--email", "bo@li.example"]);
    env.ok(&["add", "Jürgen Müller"]);
    for entry in [
        &[
            "purchase",
            "ana",
            "1200",
            "--item",
            "Website",
            "--date",
            "2026-11-01",
        ][..],
        &["call", "bo", "intro", "--date", "2026-11-03"],
    ] {
        env.log(entry);
    }
    env.ok(&["fu", "add", "bo", "send the quote", "--due", "friday"]);
}

/// The bytes of the database file and its write-ahead log, if any.
pub fn file_bytes_with_wal(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap_or_default();
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Writes `text` to a file in the workspace and returns its path as a string.
pub fn write_file(env: &Env, name: &str, text: &str) -> String {
    let path = env.path(name);
    std::fs::write(&path, text).expect("write file");
    path.to_str().expect("utf-8 path").to_string()
}
