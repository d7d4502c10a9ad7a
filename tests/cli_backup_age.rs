//! Encrypted backups and exports, with the standard `age` tool as the other end: what Rapport
//! seals, `age` opens (and the reverse); a wrong key or passphrase changes nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{contains_bytes, run_command, small_business, Env, Run};

/// `age` and `age-keygen` from Debian's package; None (with a note) where they are missing.
fn age_tool() -> Option<()> {
    let found = Command::new("age").arg("--version").output().is_ok()
        && Command::new("age-keygen").arg("--help").output().is_ok();
    if !found {
        eprintln!("note: the age tool is not installed (apt-get install age); skipping");
    }
    found.then_some(())
}

/// Runs the `age` tool, which must succeed; returns what it printed.
fn age(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new("age").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "age {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A new age key pair from `age-keygen`: the identity file and the public key.
fn keygen(env: &Env, name: &str) -> (PathBuf, String) {
    let file = env.path(name);
    let out = Command::new("age-keygen")
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = Command::new("age-keygen")
        .arg("-y")
        .arg(&file)
        .output()
        .unwrap();
    (
        file,
        String::from_utf8(public.stdout).unwrap().trim().to_string(),
    )
}

fn with_passphrase(env: &Env, args: &[&str], passphrase: &str) -> Run {
    let mut cmd = env.command(args);
    cmd.env("RAPPORT_PASSPHRASE", passphrase);
    run_command(cmd, None)
}

fn names_in_the_clear(file: &Path) -> bool {
    let bytes = std::fs::read(file).unwrap();
    ["Ana Ruiz", "Bo Li", "Website"]
        .iter()
        .any(|name| contains_bytes(&bytes, name.as_bytes()))
}

/// The files in the database's folder (to see that no plain copy is left behind).
fn files_beside(db: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_backup_sealed_to_an_age_key_opens_with_the_age_tool_into_a_healthy_database() {
    let Some(()) = age_tool() else { return };
    let env = Env::new();
    small_business(&env);
    let (key, public) = keygen(&env, "key.txt");
    let before = files_beside(&env.db);
    let dest = env.path("offsite.db.age");
    let out = env.ok(&["backup", dest.to_str().unwrap(), "--encrypt-to", &public]);
    assert_eq!(
        out,
        format!(
            "Backed up {} to {}, encrypted with 1 age key.\n",
            env.db.display(),
            dest.display()
        )
    );
    assert!(
        !names_in_the_clear(&dest),
        "a client's name is readable in the backup"
    );
    assert_eq!(
        files_beside(&env.db),
        before,
        "a plain copy was left beside the database"
    );

    let opened = env.path("opened.db");
    age(&[
        "-d".as_ref(),
        "-i".as_ref(),
        key.as_ref(),
        "-o".as_ref(),
        opened.as_ref(),
        dest.as_ref(),
    ]);
    // `age -o` follows the umask; the README says to open backups under `umask 077`.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&opened, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut doctor = env.bare();
    doctor.args(["--db", opened.to_str().unwrap(), "doctor"]);
    let doctor = run_command(doctor, None);
    assert_eq!(doctor.code, 0, "{}{}", doctor.stdout, doctor.stderr);
    assert!(doctor.stdout.ends_with("Healthy.\n"), "{}", doctor.stdout);
    let mut list = env.bare();
    list.args(["--db", opened.to_str().unwrap(), "list", "contacts"]);
    assert!(run_command(list, None).stdout.contains("Ana Ruiz"));
}

#[test]
fn restore_opens_a_sealed_backup_and_refuses_a_wrong_key_changing_nothing() {
    let Some(()) = age_tool() else { return };
    let env = Env::new();
    small_business(&env);
    let (key, public) = keygen(&env, "key.txt");
    let (other_key, _) = keygen(&env, "other.txt");
    let dest = env.path("b.db.age");
    env.ok(&["backup", dest.to_str().unwrap(), "--encrypt-to", &public]);
    env.ok(&["add", "Cy Later"]);

    let message = env.fails(&[
        "restore",
        dest.to_str().unwrap(),
        "--yes",
        "--identity",
        other_key.to_str().unwrap(),
    ]);
    assert_eq!(
        message,
        format!(
            "{} cannot be opened with the given identity (it was encrypted to other keys); nothing was changed",
            dest.display()
        )
    );
    assert_eq!(
        env.fails(&["restore", dest.to_str().unwrap(), "--yes"]),
        format!(
            "{} is encrypted to age keys; give the private key with --identity KEYFILE",
            dest.display()
        )
    );
    let before = files_beside(&env.db);
    let out = env.ok(&[
        "restore",
        dest.to_str().unwrap(),
        "--yes",
        "--identity",
        key.to_str().unwrap(),
    ]);
    assert!(
        out.starts_with(&format!("Restored {} to ", dest.display())),
        "{out}"
    );
    assert!(!env.ok(&["list", "contacts"]).contains("Cy Later"));
    // The database it replaced is kept aside as before; no decrypted copy is left.
    let after = files_beside(&env.db);
    let new: Vec<_> = after.iter().filter(|f| !before.contains(f)).collect();
    assert!(
        new.iter().all(|f| !f.starts_with(".rapport.db.restore")),
        "left behind: {new:?}"
    );
}

#[test]
fn a_passphrase_backup_round_trips_and_a_wrong_passphrase_is_refused() {
    let Some(()) = age_tool() else { return };
    let env = Env::new();
    small_business(&env);
    let dest = env.path("p.db.age");
    let run = with_passphrase(
        &env,
        &["backup", dest.to_str().unwrap(), "--passphrase"],
        "correct horse",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.ends_with("encrypted with a passphrase.\n"));
    assert!(!names_in_the_clear(&dest));
    assert!(std::fs::read(&dest)
        .unwrap()
        .starts_with(b"age-encryption.org/v1\n"));

    env.ok(&["add", "Cy Later"]);
    let before = env.dump();
    let wrong = with_passphrase(&env, &["restore", dest.to_str().unwrap(), "--yes"], "nope");
    assert_eq!(wrong.code, 1);
    assert_eq!(
        wrong.stderr,
        format!(
            "rapport: {} cannot be opened with this passphrase; nothing was changed\n",
            dest.display()
        )
    );
    assert_eq!(env.dump(), before);
    // A passphrase command, as a password manager would be used.
    let right = env.ok(&[
        "restore",
        dest.to_str().unwrap(),
        "--yes",
        "--passphrase-command",
        "printf 'correct horse\\n'",
    ]);
    assert!(right.starts_with("Restored "), "{right}");
    assert!(!env.ok(&["list", "contacts"]).contains("Cy Later"));
}

#[test]
fn files_sealed_by_the_age_tool_restore_and_sealed_exports_open_with_it() {
    let Some(()) = age_tool() else { return };
    let env = Env::new();
    small_business(&env);
    let (key, public) = keygen(&env, "key.txt");
    // A plain backup sealed by `age` itself, ASCII-armored.
    let plain = env.path("plain.db");
    env.ok(&["backup", plain.to_str().unwrap()]);
    let armored = env.path("plain.db.age");
    age(&[
        "-a".as_ref(),
        "-r".as_ref(),
        public.as_ref(),
        "-o".as_ref(),
        armored.as_ref(),
        plain.as_ref(),
    ]);
    env.ok(&["add", "Cy Later"]);
    env.ok(&[
        "restore",
        armored.to_str().unwrap(),
        "--yes",
        "--identity",
        key.to_str().unwrap(),
    ]);
    assert!(!env.ok(&["list", "contacts"]).contains("Cy Later"));

    // An encrypted export opens to exactly the plain export.
    let sealed = env.path("contacts.csv.age");
    env.ok(&[
        "export",
        "contacts",
        "-o",
        sealed.to_str().unwrap(),
        "--encrypt-to",
        &public,
    ]);
    assert!(!names_in_the_clear(&sealed));
    let opened = age(&["-d".as_ref(), "-i".as_ref(), key.as_ref(), sealed.as_ref()]);
    assert_eq!(
        String::from_utf8(opened).unwrap(),
        env.ok(&["export", "contacts"])
    );
}

#[test]
fn bad_keys_and_mismatched_options_get_one_sentence_and_write_nothing() {
    let env = Env::new();
    small_business(&env);
    let dest = env.path("x.db.age");
    assert_eq!(
        env.fails(&["backup", dest.to_str().unwrap(), "--encrypt-to", "age1nope"]),
        "recipient 'age1nope' is not an age public key (age1…, as `age-keygen` prints)"
    );
    assert!(!dest.exists());
    let recipients = env.path("recipients.txt");
    std::fs::write(&recipients, "# off-site\n\nnot-a-key\n").unwrap();
    assert_eq!(
        env.fails(&[
            "backup",
            dest.to_str().unwrap(),
            "--recipients-file",
            recipients.to_str().unwrap()
        ]),
        format!(
            "{} line 3: recipient 'not-a-key' is not an age public key (age1…, as `age-keygen` prints)",
            recipients.display()
        )
    );
    assert!(!dest.exists());
    let run = with_passphrase(
        &env,
        &["backup", dest.to_str().unwrap(), "--passphrase"],
        "",
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "rapport: the passphrase is empty; nothing was written\n"
    );
    assert!(!dest.exists());
    let failing = env.fails(&[
        "backup",
        dest.to_str().unwrap(),
        "--passphrase-command",
        "exit 3",
    ]);
    assert!(
        failing.starts_with("--passphrase-command 'exit 3' failed"),
        "{failing}"
    );
    assert!(!dest.exists());
    // A plain backup needs no key.
    let plain = env.path("plain.db");
    env.ok(&["backup", plain.to_str().unwrap()]);
    assert_eq!(
        env.fails(&["restore", plain.to_str().unwrap(), "--identity", "k.txt"]),
        format!(
            "{} is not encrypted; leave out --identity and --passphrase-command",
            plain.display()
        )
    );
}
