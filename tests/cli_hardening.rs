//! The rough edges a new user hit, each through the real binary: reading commands on a missing
//! database, control characters in one-line fields, spreadsheet formulas in CSV exports, a full
//! file system, a reader that goes away, and external ids typed in another case.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{small_business, write_file, Env};

#[test]
fn reading_commands_on_a_missing_database_say_so_and_create_nothing() {
    let env = Env::new();
    let parent = env.db.parent().unwrap().to_path_buf();
    for args in [
        &["show", "ana"][..],
        &["list", "contacts"],
        &["today"],
        &["agenda"],
        &["report"],
        &["report", "segments"],
        &["export", "contacts"],
        &["backup"],
        &["doctor"],
        &["duplicates"],
        &["log", "call", "ana"],
        &["follow-up", "list"],
        &["import", "contacts", "--dry-run", "/dev/null"],
    ] {
        let message = env.fails(args);
        assert_eq!(
            message,
            format!(
                "there is no database at {}; `rapport add NAME`, `rapport import` or `rapport demo` creates one",
                env.db.display()
            ),
            "{args:?}"
        );
        assert!(!parent.exists(), "{args:?} created {}", parent.display());
    }
    // Piped, the bare command prints a summary: it reads, so it creates nothing either.
    env.fails(&[]);
    assert!(!parent.exists());
    // Adding the first client is what starts the file.
    env.ok(&["add", "Ana Ruiz"]);
    assert!(env.db.exists());
}

#[test]
fn control_characters_in_one_line_fields_are_refused_with_one_sentence() {
    let env = Env::new();
    small_business(&env);
    assert_eq!(
        env.fails(&["add", "Evil\u{1b}]0;pwned\u{7}Name"]),
        "name 'Evil\\u{1b}]0;pwned\\u{7}Name' contains the control character \\u{1b}; \
         type it without control characters"
    );
    for (args, field) in [
        (
            &["edit", "ana", "--company", "Acme\u{9b}31m"][..],
            "company",
        ),
        (&["edit", "ana", "--email", "a\u{7}@x.com"], "email"),
        (&["edit", "ana", "--tag", "v\u{1b}ip"], "tag"),
        (&["add", "Ok Name", "--phone", "+33\u{8}6"], "phone"),
        (
            &["log", "purchase", "ana", "10", "--item", "Web\u{1b}[2Jsite"],
            "item",
        ),
        (&["log", "call", "ana", "rang\u{7}"], "summary"),
        (
            &[
                "follow-up",
                "add",
                "ana",
                "call\u{1b}[2J",
                "--due",
                "tomorrow",
            ],
            "follow-up text",
        ),
    ] {
        let message = env.fails(args);
        assert!(
            message.starts_with(&format!("{field} '")) && message.contains("control character"),
            "{args:?}: {message}"
        );
        assert!(!message.contains('\u{1b}') && !message.contains('\u{7}'));
    }
    // Notes and summaries are multi-line: line breaks and tabs stay.
    env.ok(&["edit", "ana", "--note", "first line\nsecond\tcolumn"]);
    assert_eq!(
        env.query_string("SELECT note FROM contacts WHERE name = 'Ana Ruiz'"),
        "first line\nsecond\tcolumn"
    );
    // A CSV import names the line and writes nothing.
    let file = write_file(
        &env,
        "evil.csv",
        "name,company\nFine Person,Acme\nEve\u{1b}[2J,Evil Corp\n",
    );
    let before = env.dump();
    let run = env.run(&["import", "contacts", &file]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("line 3: name 'Eve\\u{1b}[2J' contains the control character"),
        "{}",
        run.stderr
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn an_export_read_on_a_terminal_shows_old_control_characters_as_visible_text() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!(
            "note: `script` (util-linux) is not installed; skipping the terminal export test"
        );
        return;
    }
    let env = Env::new();
    small_business(&env);
    // Stored by an older Rapport, before input refused control characters.
    env.sql()
        .execute(
            "UPDATE contacts SET name = 'Evil' || char(27) || ']0;pwned' || char(7) WHERE name = 'Bo Li'",
            [],
        )
        .unwrap();
    let command = env.command(&["export", "contacts"]);
    let line = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| format!("'{}'", a.to_str().unwrap()))
        .collect::<Vec<_>>()
        .join(" ");
    let shown = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("Evil\\u{1b}]0;pwned\\u{7}"), "{shown}");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    // Into a pipe or a file the export keeps the bytes, for a faithful round trip.
    assert!(env
        .ok(&["export", "contacts"])
        .contains("Evil\u{1b}]0;pwned\u{7}"));
}

#[test]
fn csv_exports_quote_formulas_for_spreadsheets_and_import_them_back_exactly() {
    let env = Env::new();
    env.ok(&["add", "=HYPERLINK(\"http://evil.example\",\"x\")"]);
    env.ok(&["add", "Plus Phone", "--phone", "+33 6 12 34 56 78"]);
    env.ok(&["add", "'=already quoted", "--company", "@SUM(A1)"]);
    env.ok(&["log", "call", "plus", "--", "- rang twice"]);
    let exported = env.ok(&["export", "contacts"]);
    assert!(
        exported.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""),
        "{exported}"
    );
    assert!(exported.contains(",'+33 6 12 34 56 78,"), "{exported}");
    assert!(
        exported.contains("''=already quoted,,,'@SUM(A1)"),
        "{exported}"
    );
    assert!(env
        .ok(&["export", "interactions"])
        .contains(",'- rang twice,"));
    // Verbatim for other tools; JSON is always exact.
    let verbatim = env.ok(&["export", "contacts", "--verbatim"]);
    assert!(verbatim.contains(",+33 6 12 34 56 78,"), "{verbatim}");
    assert!(env
        .ok(&["export", "contacts", "--format", "json"])
        .contains("\"name\":\"=HYPERLINK("));
    assert_eq!(
        env.fails(&["export", "contacts", "--format", "json", "--verbatim"]),
        "--verbatim is for CSV; JSON is always exact"
    );
    // The guarded export imports back to exactly what was stored.
    let other = Env::new();
    let contacts = write_file(&other, "contacts.csv", &exported);
    let interactions = write_file(
        &other,
        "interactions.csv",
        &env.ok(&["export", "interactions"]),
    );
    other.ok(&["import", "contacts", &contacts]);
    other.ok(&["import", "interactions", &interactions]);
    assert_eq!(other.export_all(), env.export_all());
    assert_eq!(
        other.query_string("SELECT name FROM contacts WHERE id = 3"),
        "'=already quoted"
    );
}

/// A tmpfs of a few megabytes, unmounted when dropped; None where mounting is not allowed.
struct TinyFs {
    dir: tempfile::TempDir,
}

impl TinyFs {
    fn mount(megabytes: u32) -> Option<TinyFs> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(TinyFs { dir })
    }

    /// Fills what is left with one file.
    fn fill(&self) {
        let filler = self.dir.path().join("filler");
        let _ = Command::new("dd")
            .args(["if=/dev/zero", "bs=64k"])
            .arg(format!("of={}", filler.display()))
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for TinyFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_file_system_is_named_and_nothing_is_written() {
    let Some(fs) = TinyFs::mount(4) else {
        eprintln!("note: cannot mount a tmpfs here (needs root); skipping the full-disk test");
        return;
    };
    let mut env = Env::new();
    env.db = fs.dir.path().join("rapport.db");
    small_business(&env);
    let rows: String = (0..20_000)
        .map(|i| format!("Client number {i},client{i}@example.com,A long company name {i}\n"))
        .collect();
    let file = write_file(&env, "many.csv", &format!("name,email,company\n{rows}"));
    fs.fill();
    let before = env.dump();
    let run = env.run(&["import", "contacts", &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        format!(
            "rapport: the file system {} (holding {}) is full, so nothing was written; free some space there and run the command again\n",
            fs.dir.path().display(),
            env.db.display()
        )
    );
    std::fs::remove_file(fs.dir.path().join("filler")).unwrap();
    assert_eq!(env.dump(), before, "the refused import wrote");
}

#[test]
fn every_command_ends_quietly_when_its_reader_goes_away() {
    let env = Env::new();
    small_business(&env);
    let many: String = (0..3000).map(|i| format!("Person {i}\n")).collect();
    let file = write_file(&env, "many.csv", &format!("name\n{many}"));
    env.ok(&["import", "contacts", &file]);
    for args in [
        &["completions", "zsh"][..],
        &["completions", "bash"],
        &["export", "contacts"],
        &["export", "contacts", "--format", "json"],
        &["list", "contacts"],
        &["--help"],
    ] {
        let mut child = env
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Like `| head -3`: read three lines, then close the pipe.
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        for _ in 0..3 {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
        }
        drop(reader);
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
        assert!(output.status.code().is_some(), "{args:?} died of a signal");
    }
}

#[test]
fn external_ids_match_in_any_case_like_names() {
    let env = Env::new();
    env.ok(&["add", "Ana Ruiz", "--external-id", "C-1"]);
    env.ok(&["add", "Bo Li", "--external-id", "x-9"]);
    assert!(env.log(&["call", "c-1", "renewal"]).contains("Ana Ruiz"));
    assert!(env.ok(&["show", "X-9"]).starts_with("Bo Li"));
    assert!(env
        .ok(&["list", "contacts", "--search", "c-1"])
        .contains("Ana Ruiz"));
    let file = write_file(
        &env,
        "sales.csv",
        "contact,date,amount\nc-1,2026-11-01,100\n",
    );
    env.ok(&["import", "purchases", &file]);
    assert_eq!(
        env.query_i64(
            "SELECT count(*) FROM interactions WHERE kind = 'purchase' AND contact_id = 1"
        ),
        1
    );
    // Taken in another case is taken.
    assert_eq!(
        env.fails(&["add", "Cy Other", "--external-id", "c-1"]),
        "external id 'c-1' already belongs to Ana Ruiz"
    );
    // Two ids an older Rapport let differ only by case: the exact one wins.
    env.sql()
        .execute(
            "UPDATE contacts SET external_id = 'c-1' WHERE name = 'Bo Li'",
            [],
        )
        .unwrap();
    assert!(env.ok(&["show", "C-1"]).starts_with("Ana Ruiz"));
    assert!(env.ok(&["show", "c-1"]).starts_with("Bo Li"));
}
