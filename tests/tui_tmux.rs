//! End to end: the real binary in a real terminal (tmux). Opens a database on Today, visits
//! every tab, logs a call with `c`, shrinks to 40×12, quits with `q`, and the call is in the
//! database; adds, snoozes and completes a follow-up through the keys; opens the Overview with
//! `6` and steps its period; drafts a mail with `M` through a script editor and sendmail.
//! A second test checks that SIGTERM leaves cleanly. Skipped (with a note) without tmux.

mod tui_support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rapport::store::{InteractionFilter, Store};

/// A private tmux server for one test, killed when dropped.
struct Tmux {
    socket: String,
    status_file: std::path::PathBuf,
}

impl Tmux {
    fn start(name: &str, db: &Path, width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("note: tmux is not installed; skipping the end-to-end TUI test");
            return None;
        }
        let status_file = db.with_extension(format!("{name}.status"));
        // The shell records the exit status: tmux may be slow to notice a pane's process ended.
        let command = format!(
            "'{}' --db '{}' --as-of 2026-11-23; echo $? > '{}'",
            env!("CARGO_BIN_EXE_rapport"),
            db.display(),
            status_file.display()
        );
        let tmux = Tmux {
            socket: format!("rapport-test-{}-{}", name, std::process::id()),
            status_file,
        };
        let status = Command::new("tmux")
            .args([
                "-L",
                &tmux.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
            ])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .arg(command)
            .env_remove("TMUX")
            .env("TERM", "xterm-256color")
            .env_remove("RAPPORT_DB")
            .env("RAPPORT_CONFIG", db.with_extension("toml"))
            // The draft test's editor script; the other tests never open the editor.
            .env("EDITOR", db.with_extension("editor.sh"))
            .env_remove("VISUAL")
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        tmux.run(&["set-option", "-t", "t", "remain-on-exit", "on"]);
        Some(tmux)
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "t", key]);
        }
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    /// Waits until the screen shows `text`, failing with the screen after 10 s.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!("waited 10 s for {text:?}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the program to exit and returns its exit status.
    fn wait_exit(&self) -> String {
        let start = Instant::now();
        loop {
            if let Ok(status) = std::fs::read_to_string(&self.status_file) {
                if status.ends_with('\n') {
                    return status.trim().to_string();
                }
            }
            if start.elapsed() > Duration::from_secs(10) {
                panic!(
                    "the program did not exit; the screen shows:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The process id of rapport (the child of the pane's shell).
    fn program_pid(&self) -> String {
        let shell = self.run(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
        let out = Command::new("ps")
            .args(["-o", "pid=", "--ppid", shell.trim()])
            .output()
            .expect("ps runs");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

#[test]
fn visit_every_tab_log_a_call_resize_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    drop(tui_support::build(&db));
    let Some(tmux) = Tmux::start("tour", &db, 100, 30) else {
        return;
    };

    // The workspace opens on Today.
    tmux.wait_for("Today, Mon 23 Nov · 1 overdue · 1 due");
    tmux.keys(&["2"]);
    tmux.wait_for("Contacts 1–6 of 6");
    tmux.keys(&["3"]);
    tmux.wait_for("Interactions 1–");
    tmux.keys(&["4"]);
    tmux.wait_for("Churn probability");
    tmux.keys(&["5"]);
    tmux.wait_for("Why Bo Chen");
    tmux.keys(&["2"]);
    tmux.wait_for("Contacts 1–6 of 6");

    tmux.keys(&["c"]);
    tmux.wait_for("Log call with Ana Ruiz");
    tmux.keys(&["-l", "Called from tmux"]);
    tmux.wait_for("Called from tmux");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Logged call with Ana Ruiz.");

    tmux.run(&["resize-window", "-t", "t", "-x", "40", "-y", "12"]);
    let small = tmux.wait_for(" 1  2 Contacts  3  4  5");
    assert!(small.lines().all(|l| l.chars().count() <= 40), "{small}");
    tmux.run(&["resize-window", "-t", "t", "-x", "30", "-y", "8"]);
    tmux.wait_for("at least 40×10");
    tmux.run(&["resize-window", "-t", "t", "-x", "100", "-y", "30"]);
    tmux.wait_for("Contacts 1–6 of 6");

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");

    let store = Store::open(&db).unwrap();
    let found = store
        .list_interactions(&InteractionFilter {
            search: Some("Called from tmux".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].contact_name, "Ana Ruiz");
    assert_eq!(
        found[0].interaction.kind,
        rapport::domain::InteractionKind::Call
    );
}

#[test]
fn add_snooze_and_complete_a_follow_up_through_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    drop(tui_support::build(&db));
    let Some(tmux) = Tmux::start("follow-up", &db, 100, 30) else {
        return;
    };
    tmux.wait_for("Today, Mon 23 Nov");

    // Add: F on the selected contact (Ana, first on Contacts), due today.
    tmux.keys(&["2", "F"]);
    tmux.wait_for("Follow up with Ana Ruiz");
    tmux.keys(&["-l", "call about tmux"]);
    tmux.keys(&["Tab", "-l", "today"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Follow-up #4 for Ana Ruiz: call about tmux (due 2026-11-23).");
    tmux.keys(&["1"]);
    tmux.wait_for("#4 call about tmux");

    // Snooze: the new one is first under Today (no time, so before the 14:00 check-in).
    tmux.keys(&["j", "z"]);
    tmux.wait_for("Put off follow-up #4 for Ana Ruiz");
    tmux.keys(&["-l", "tomorrow"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Follow-up #4 put off to 2026-11-24.");
    let screen = tmux.wait_for("Today · 1");
    assert!(!screen.contains("#4 call about tmux"), "{screen}");

    // Done with a call: the overdue promise, first on the list.
    tmux.keys(&["g", "d"]);
    tmux.wait_for("Done: follow-up #1 for Ana Ruiz");
    tmux.keys(&["-l", "call"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Done: follow-up 1 (send the renewal quote); logged a call.");
    tmux.wait_for("Overdue · nothing late");

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    let store = Store::open(&db).unwrap();
    let snoozed = store.follow_up(4).unwrap().unwrap();
    assert_eq!(snoozed.due.to_string(), "2026-11-24");
    assert!(snoozed.snoozed_at.is_some() && snoozed.done_at.is_none());
    assert!(store.follow_up(1).unwrap().unwrap().done_at.is_some());
    let calls = store
        .list_interactions(&InteractionFilter {
            search: Some("send the renewal quote".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].interaction.kind,
        rapport::domain::InteractionKind::Call
    );
}

#[test]
fn the_overview_opens_on_6_and_steps_through_periods() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    drop(tui_support::build(&db));
    let Some(tmux) = Tmux::start("overview", &db, 80, 24) else {
        return;
    };
    tmux.wait_for("Today, Mon 23 Nov");
    tmux.keys(&["6"]);
    let screen = tmux.wait_for("2026-11 so far (day 23 of 30) against 2026-10");
    assert!(
        screen.contains("Revenue             1,000 ▲ 100%"),
        "{screen}"
    );
    assert!(screen.contains("Revenue per month"), "{screen}");
    // The keys as a terminal sends them: `[`, the left arrow, `P`.
    tmux.keys(&["["]);
    tmux.wait_for("2026-10 against 2026-09");
    tmux.keys(&["Left"]);
    tmux.wait_for("2026-09 against 2026-08");
    tmux.keys(&["]", "P"]);
    tmux.wait_for("2026-Q4 so far (day 54 of 92) against 2026-Q3");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
}

#[test]
fn sigterm_leaves_cleanly() {
    leaves_cleanly_on("TERM");
}

#[test]
fn sighup_of_a_dropped_connection_leaves_cleanly() {
    leaves_cleanly_on("HUP");
}

fn leaves_cleanly_on(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    drop(tui_support::build(&db));
    let Some(tmux) = Tmux::start(signal, &db, 80, 24) else {
        return;
    };
    tmux.wait_for("At risk");
    let pid = tmux.program_pid();
    assert!(
        !pid.is_empty() && !pid.contains(char::is_whitespace),
        "one rapport process: {pid:?}"
    );
    let status = Command::new("kill")
        .args([&format!("-{}", signal), pid.trim()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        tmux.wait_exit(),
        "0",
        "a signal is a normal exit, the terminal restored"
    );
    // Leaving the alternate screen brings back the (empty) normal screen of the pane.
    assert!(!tmux.screen().contains("At risk"), "{}", tmux.screen());
}

#[test]
fn a_vanished_terminal_does_not_leave_the_program_spinning() {
    // A killed tmux server (like a dropped SSH connection) hangs the terminal up under the
    // program; it once kept running at 100% CPU, reading end-of-file forever.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    drop(tui_support::build(&db));
    let Some(tmux) = Tmux::start("vanish", &db, 80, 24) else {
        return;
    };
    tmux.wait_for("At risk");
    let pid = tmux.program_pid();
    tmux.run(&["kill-server"]);
    let proc_dir = Path::new("/proc").join(pid.trim());
    let start = Instant::now();
    while proc_dir.exists() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !proc_dir.exists(),
        "rapport (pid {pid}) still runs after its terminal went away"
    );
}

#[test]
fn m_drafts_a_mail_in_the_editor_and_sends_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rapport.db");
    drop(tui_support::build(&db));
    let executable = |path: &Path, body: &str| {
        std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    let sent = dir.path().join("sent.eml");
    let sendmail = dir.path().join("sendmail.sh");
    executable(&sendmail, &format!("cat > '{}'", sent.display()));
    executable(
        &db.with_extension("editor.sh"),
        "printf 'Sent from the workspace.\\n' >> \"$1\"",
    );
    std::fs::write(
        db.with_extension("toml"),
        format!(
            "[drafts]\nfrom = \"Me <me@example.com>\"\nsendmail = \"{}\"\n\n[drafts.templates.any]\nsubject = \"Hello {{first_name}}\"\nbody = \"Hi {{first_name}},\"\n",
            sendmail.display()
        ),
    )
    .unwrap();
    let Some(tmux) = Tmux::start("draft", &db, 100, 30) else {
        return;
    };
    tmux.wait_for("Today, Mon 23 Nov");
    tmux.keys(&["2"]);
    tmux.wait_for("Contacts 1–6 of 6");
    tmux.keys(&["M"]);
    tmux.wait_for("Sent \"Hello Ana\" to Ana Ruiz <ana@ruiz.design>");
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), "0");
    let raw = std::fs::read(&sent).unwrap();
    let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(message.subject(), Some("Hello Ana"));
    assert!(message
        .body_text(0)
        .unwrap()
        .contains("Sent from the workspace."));
    let store = Store::open(&db).unwrap();
    let logged = store
        .list_interactions(&InteractionFilter {
            search: Some("Hello Ana".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0].interaction.kind,
        rapport::domain::InteractionKind::Email
    );
}
