//! The real khard against a vdir Rapport exported: khard lists the contacts with their emails,
//! and a contact khard adds or changes comes back through `import vcard`. Skipped, saying so,
//! where khard is not installed (`.ci/run` installs it).

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use common::Env;

fn khard_installed() -> bool {
    Command::new("khard")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A khard configuration with one address book, the vdir.
fn khard_config(env: &Env, vdir: &Path) -> String {
    let config = env.path("khard.conf");
    std::fs::write(
        &config,
        format!(
            "[addressbooks]\n[[rapport]]\npath = {}\n\n[general]\ndefault_action = list\neditor = /bin/false\nmerge_editor = /bin/false\n\n[vcard]\npreferred_version = 3.0\n",
            vdir.display()
        ),
    )
    .unwrap();
    config.to_str().unwrap().to_string()
}

/// Runs khard with the config; it must succeed. Returns stdout.
#[track_caller]
fn khard(env: &Env, config: &str, args: &[&str], input: Option<&str>) -> String {
    let mut cmd = Command::new("khard");
    cmd.arg("-c").arg(config).args(args);
    cmd.env("HOME", env.dir.path());
    cmd.env("XDG_CONFIG_HOME", env.path("xdg-config"));
    if let Some(text) = input {
        let path = env.path("khard-input.yaml");
        std::fs::write(&path, text).unwrap();
        cmd.arg("-i").arg(&path);
    }
    // khard asks before it changes a card: the answer is yes.
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"y\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "khard {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn khard_reads_the_exported_vdir_and_its_changes_come_back() {
    if !khard_installed() {
        eprintln!("note: khard is not installed; skipping the khard end-to-end test");
        return;
    }
    let env = Env::new();
    common::address_book(&env);
    let vdir = env.path("contacts");
    env.ok(&["export", "vcard", "--vdir", vdir.to_str().unwrap()]);
    let config = khard_config(&env, &vdir);

    let list = khard(&env, &config, &["list"], None);
    assert!(
        list.contains("Ana Ruiz") && list.contains("Jürgen Müller"),
        "{list}"
    );
    let emails = khard(&env, &config, &["email", "--parsable"], None);
    // khard says what it searched for first; the entries are the tab-separated lines.
    let mut lines: Vec<&str> = emails.lines().filter(|l| l.contains('\t')).collect();
    lines.sort();
    assert_eq!(lines.len(), 2, "{emails}");
    assert!(
        lines[0].starts_with("ana@ruiz.example\tAna Ruiz"),
        "{emails}"
    );
    assert!(lines[1].starts_with("bo@li.example\tBo Li"), "{emails}");
    let phones = khard(&env, &config, &["phone", "--parsable"], None);
    assert!(phones.contains("+34 600 000 001\tAna Ruiz"), "{phones}");

    // khard adds a contact (as a vCard 3.0 file of its own) and changes Ana's card.
    khard(
        &env,
        &config,
        &["new", "-a", "rapport"],
        Some("First name : Carla\nLast name : Lima\nEmail :\n    work : carla@lima.example\nPhone :\n    cell : +351 910 000 000\nBirthday : 1990-04-02\n"),
    );
    let ana_yaml = "Formatted name : Ana Ruiz\nFirst name : Ana\nLast name : Ruiz\nOrganisation : Ruiz Studio\nTitle : Founder\nEmail :\n    pref : ana@ruiz.example\nPhone :\n    pref : +34 600 000 001\n    cell : +34 611 222 333\n";
    khard(&env, &config, &["edit", "Ana Ruiz"], Some(ana_yaml));
    let list = khard(&env, &config, &["list"], None);
    assert!(list.contains("Carla Lima"), "{list}");

    let out = env.ok(&["import", "vcard", vdir.to_str().unwrap()]);
    assert_eq!(out, "Imported 4 cards: 1 added, 1 updated, 2 unchanged.\n");
    let ana = env.ok(&["show", "Ana Ruiz"]);
    assert!(ana.contains("  Title        Founder\n"), "{ana}");
    assert!(ana.contains("  Phone        +34 600 000 001"), "{ana}");
    assert!(
        ana.contains("  Other phone  +34 611 222 333 (cell)\n"),
        "{ana}"
    );
    assert!(ana.contains("Website"), "her history stays: {ana}");
    let carla = env.ok(&["show", "Carla Lima"]);
    assert!(
        carla.contains("  Email        carla@lima.example (work)\n"),
        "{carla}"
    );
    assert!(carla.contains("  Birthday     2 April 1990\n"), "{carla}");

    // Exported again, khard's own card is rewritten in place (its UID names the same file),
    // and khard still reads everything.
    let files = || std::fs::read_dir(&vdir).unwrap().count();
    let before = files();
    env.ok(&["export", "vcard", "--vdir", vdir.to_str().unwrap()]);
    assert_eq!(
        files(),
        before,
        "no second file for a contact khard created"
    );
    let emails = khard(&env, &config, &["email", "--parsable"], None);
    assert_eq!(
        emails.lines().filter(|l| l.contains('\t')).count(),
        3,
        "{emails}"
    );
    // Carla's card is Rapport's vCard 4.0 now, her birthday read by khard from it.
    let birthdays = khard(&env, &config, &["birthdays", "--parsable"], None);
    assert!(birthdays.contains("1990.04.02\tCarla Lima"), "{birthdays}");
    assert_eq!(
        env.ok(&["import", "vcard", vdir.to_str().unwrap()]),
        "Imported 4 cards: 0 added, 0 updated, 4 unchanged.\n"
    );
}
