//! `backup`, `forget` and `completions`.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{contains_bytes, dump_db, file_bytes_with_wal, small_business, Env};

#[test]
fn backup_to_a_chosen_file_is_a_private_copy_with_the_same_data() {
    let env = Env::new();
    small_business(&env);
    let dest = env.path("copy.db");
    let out = env.ok(&["backup", dest.to_str().unwrap()]);
    assert_eq!(
        out,
        format!("Backed up {} to {}.\n", env.db.display(), dest.display())
    );
    assert_eq!(
        std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(dump_db(&dest), env.dump());
    assert!(
        dump_db(&dest).contains("Text(\"Website\")"),
        "the copy holds the data"
    );
    // The copy is a working Rapport database.
    let copy = common::run_command(
        {
            let mut cmd = env.bare();
            cmd.arg("--db").arg(&dest).args([
                "--as-of",
                common::TODAY,
                "list",
                "contacts",
                "--format",
                "csv",
            ]);
            cmd
        },
        None,
    );
    assert_eq!(
        copy.stdout,
        env.ok(&["list", "contacts", "--format", "csv"])
    );
    // An existing file is never overwritten.
    let before = std::fs::read(&dest).unwrap();
    assert_eq!(
        env.fails(&["backup", dest.to_str().unwrap()]),
        format!(
            "backup destination '{}' already exists; choose a new file",
            dest.display()
        )
    );
    assert!(
        std::fs::read(&dest).unwrap() == before,
        "the existing file was changed"
    );
    let nowhere = env.path("missing-dir/copy.db");
    assert_eq!(
        env.fails(&["backup", nowhere.to_str().unwrap()]),
        format!(
            "backup directory '{}' does not exist",
            env.path("missing-dir").display()
        )
    );
}

#[test]
fn backup_copies_committed_data_still_in_the_wal_and_not_an_open_transaction() {
    let env = Env::new();
    small_business(&env);
    // Another session: commits one contact (left in the write-ahead log, not checkpointed),
    // then starts writing another and has not committed yet when the backup runs.
    let other = env.sql();
    other.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    other
        .execute("INSERT INTO contacts (name, created_at) VALUES ('Committed Carla', '2026-11-20T12:00:00')", [])
        .unwrap();
    assert!(
        std::fs::metadata(format!("{}-wal", env.db.display()))
            .unwrap()
            .len()
            > 0
    );
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO contacts (name, created_at) VALUES ('Pending Pete', '2026-11-20T12:00:00');").unwrap();
    let dest = env.path("during.db");
    env.ok(&["backup", dest.to_str().unwrap()]);
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    let copy = dump_db(&dest);
    assert!(
        copy.contains("Text(\"Committed Carla\")"),
        "committed data in the WAL is copied"
    );
    assert!(
        !copy.contains("Pending Pete"),
        "an uncommitted transaction is not copied"
    );
    assert!(env.dump().contains("Text(\"Pending Pete\")"));
}

#[test]
fn backup_without_a_destination_writes_a_timestamped_file_beside_the_database() {
    let env = Env::new();
    small_business(&env);
    let first = env.ok(&["backup"]);
    let second = env.ok(&["backup"]);
    let dir = env.db.parent().unwrap();
    let mut copies: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("rapport-") && n.ends_with(".db"))
        .collect();
    copies.sort();
    assert_eq!(copies.len(), 2, "two backups, two files: {copies:?}");
    for (name, out) in copies.iter().zip([&first, &second]) {
        // rapport-YYYYMMDD-HHMMSS[-N].db
        let stamp = &name["rapport-".len()..name.len() - 3];
        assert!(
            stamp.len() >= 15
                && stamp[..8].chars().all(|c| c.is_ascii_digit())
                && &stamp[8..9] == "-",
            "{name}"
        );
        let path = dir.join(name);
        assert!(
            first.contains(&path.display().to_string())
                || second.contains(&path.display().to_string()),
            "{out}"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(dump_db(&path), env.dump());
    }
}

#[test]
fn forget_without_yes_says_what_would_be_erased_and_changes_nothing() {
    let env = Env::new();
    small_business(&env);
    assert_eq!(
        env.fails(&["forget", "ana"]),
        "forget would erase Ana Ruiz (#1) and everything recorded about them: 2 interactions, 1 purchase, 1 feedback entry; run again with --yes to erase them"
    );
    assert_eq!(
        env.fails(&["forget", "nobody", "--yes"]),
        "no contact matches 'nobody'"
    );
    assert_eq!(
        env.fails(&["forget", "i", "--yes"]),
        "contact 'i' is ambiguous; it matches Ana Ruiz (C-1), Bo Li (#2)"
    );
    env.usage_error(&["forget"]);
}

#[test]
fn forget_erases_the_contact_and_every_trace_of_them_from_the_file() {
    let env = Env::new();
    // Enough other data that the erased rows share pages with rows that stay.
    for i in 0..20 {
        env.ok(&["add", &format!("Client {i:02}"), "--note", &"x".repeat(200)]);
    }
    env.ok(&[
        "add",
        "Zanzibar Quuxley",
        "--email",
        "zq@zanzibar.example",
        "--external-id",
        "ZQ-77",
        "--note",
        "Secret Zanzibar note",
    ]);
    env.ok(&["add", "Referred Friend", "--referred-by", "zanzibar"]);
    env.ok(&[
        "log",
        "call",
        "zanzibar",
        "Talked Zanzibar plans",
        "--date",
        "2026-11-01",
    ]);
    env.ok(&[
        "log",
        "purchase",
        "zanzibar",
        "4321.09",
        "--item",
        "ZanzibarPackage",
        "--date",
        "2026-11-02",
    ]);
    env.ok(&[
        "log",
        "feedback",
        "zanzibar",
        "quality=2",
        "service=5",
        "--note",
        "Zanzibar feedback",
        "--date",
        "2026-11-03",
    ]);
    env.ok(&["log", "call", "client 03", "kept", "--date", "2026-11-04"]);
    let others_before = env
        .ok(&["export", "interactions"])
        .lines()
        .filter(|l| !l.contains("ZQ-77"))
        .collect::<Vec<_>>()
        .join("\n");

    let out = env.ok(&["forget", "zanzibar", "--yes"]);
    assert_eq!(
        out,
        "Erased Zanzibar Quuxley (#21) and everything recorded about them: 3 interactions, 1 purchase, 1 feedback entry.\n"
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM contacts WHERE id = 21"),
        0
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE contact_id = 21"),
        0
    );
    assert_eq!(env.query_i64("SELECT count(*) FROM ratings"), 0);
    assert_eq!(
        env.query_i64("SELECT count(*) FROM scores WHERE contact_id = 21"),
        0
    );
    // The person they referred stays, without the link.
    assert_eq!(
        env.query_i64(
            "SELECT count(*) FROM contacts WHERE name = 'Referred Friend' AND referred_by IS NULL"
        ),
        1
    );
    assert_eq!(
        env.ok(&["export", "interactions"]).trim_end(),
        others_before
    );
    assert_eq!(
        env.fails(&["show", "zanzibar"]),
        "no contact matches 'zanzibar'"
    );

    // No trace in the bytes of the database file or its write-ahead log.
    let bytes = file_bytes_with_wal(&env.db);
    for needle in ["Zanzibar", "zanzibar", "ZQ-77", "Quuxley", "Secret"] {
        assert!(
            !contains_bytes(&bytes, needle.as_bytes()),
            "'{needle}' is still in the database file"
        );
    }
    assert!(
        contains_bytes(&bytes, b"Referred Friend"),
        "the check reads real data"
    );
}

#[test]
fn completions_print_a_script_for_each_shell() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(
        bash.contains("_rapport()") && bash.contains("complete -F _rapport"),
        "{bash}"
    );
    let zsh = env.ok(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef rapport\n"), "{zsh}");
    let fish = env.ok(&["completions", "fish"]);
    assert!(fish.contains("complete -c rapport"), "{fish}");
    for script in [&bash, &zsh, &fish] {
        for command in [
            "add", "edit", "log", "show", "list", "import", "export", "backup", "forget",
        ] {
            assert!(script.contains(command), "{command} missing");
        }
    }
    env.usage_error(&["completions", "tcsh"]);
    env.usage_error(&["completions"]);
}
