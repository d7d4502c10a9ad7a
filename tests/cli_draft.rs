//! Mail out: `rapport draft CONTACT` fills the template for the contact's stage and action, opens
//! it in $EDITOR (a script here), and sends it through `[drafts] sendmail` (a script that keeps
//! its argv and standard input) or saves an .eml into the drafts folder — and logs it. The
//! messages are read back with mail-parser.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{run_command, Env, Run};
use mail_parser::{Message, MessageParser};

/// A shell script in the workspace, executable.
fn script(env: &Env, name: &str, body: &str) -> PathBuf {
    let path = env.path(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The fake sendmail: argv one per line into `argv`, the message into `message`.
fn fake_sendmail(env: &Env) -> PathBuf {
    let dir = env.dir.path().display();
    script(
        env,
        "sendmail.sh",
        &format!("printf '%s\\n' \"$@\" > '{dir}/argv'\ncat > '{dir}/message'"),
    )
}

/// An editor that adds a postscript, as a person would before saving.
fn appending_editor(env: &Env) -> PathBuf {
    script(env, "editor.sh", "printf 'P.S. Bis bald!\\n' >> \"$1\"")
}

fn config(sendmail: Option<&Path>, extra: &str) -> String {
    let sendmail = sendmail.map_or(String::new(), |p| {
        format!("sendmail = \"{}\"\n", p.display())
    });
    format!("[mail]\nme = [\"me@example.com\"]\n\n[drafts]\nfrom = \"Mika Häkkinen <me@example.com>\"\n{sendmail}{extra}")
}

/// Zoë bought a website redesign 30 days before the tests' today (2026-11-23).
fn with_zoe(env: &Env) {
    env.ok(&["add", "Zoë Ångström", "--email", "zoe@example.se"]);
    env.ok(&[
        "log",
        "purchase",
        "zoë",
        "2400",
        "--item",
        "Website redesign",
        "--date",
        "2026-10-24",
    ]);
}

fn draft(env: &Env, editor: &Path, args: &[&str]) -> Run {
    let mut full = vec!["draft"];
    full.extend_from_slice(args);
    let mut cmd = env.command(&full);
    cmd.env_remove("VISUAL").env("EDITOR", editor);
    run_command(cmd, None)
}

fn emails(env: &Env) -> i64 {
    env.query_i64("SELECT count(*) FROM interactions WHERE kind = 'email'")
}

fn parse(bytes: &[u8]) -> Message<'_> {
    MessageParser::default()
        .parse(bytes)
        .expect("a well-formed message")
}

/// Every header line is ASCII: names and subjects travel as encoded words.
fn headers_are_ascii(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap();
    head.is_ascii() && head.contains("=?utf-8?")
}

const CHECK_IN: &str = "
[drafts.templates.check_in]
subject = \"{first_name}: {last_service}, {days_since} days on\"
body = \"\"\"
Hej {first_name},

how is the {last_service|project} doing?
\"\"\"
";

#[test]
fn an_edited_draft_is_sent_through_sendmail_and_logged_once() {
    let base = Env::new();
    let sendmail = fake_sendmail(&base);
    let env = base.with_config(&config(Some(&sendmail), CHECK_IN));
    with_zoe(&env);
    let run = draft(&env, &appending_editor(&env), &["zoë"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "Sent \"Zoë: Website redesign, 30 days on\" to Zoë Ångström <zoe@example.se>"
        ),
        "{}",
        run.stdout
    );
    let argv = std::fs::read_to_string(env.path("argv")).unwrap();
    assert_eq!(argv, "-i\n-f\nme@example.com\n--\nzoe@example.se\n");
    let raw = std::fs::read(env.path("message")).unwrap();
    assert!(headers_are_ascii(&raw), "{}", String::from_utf8_lossy(&raw));
    let message = parse(&raw);
    let to = message.to().unwrap().first().unwrap();
    assert_eq!(to.address(), Some("zoe@example.se"));
    assert_eq!(to.name(), Some("Zoë Ångström"));
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(from.name(), Some("Mika Häkkinen"));
    assert_eq!(message.subject(), Some("Zoë: Website redesign, 30 days on"));
    let body = message.body_text(0).unwrap();
    assert!(
        body.contains("Hej Zoë,") && body.contains("how is the Website redesign doing?"),
        "{body}"
    );
    assert!(body.contains("P.S. Bis bald!"), "{body}");
    let id = message.message_id().unwrap().to_string();
    assert!(id.ends_with("@example.com"), "{id}");
    assert_eq!(
        env.query_string("SELECT kind || ' ' || summary || ' ' || message_id FROM interactions WHERE kind = 'email'"),
        format!("email Zoë: Website redesign, 30 days on {id}")
    );
    let listed = env.ok(&[
        "list",
        "interactions",
        "--contact",
        "zoë",
        "--kind",
        "email",
    ]);
    assert!(
        listed.contains("Zoë: Website redesign, 30 days on"),
        "{listed}"
    );
    // The sent copy fed back in (mutt's record, a Sent folder) is recognised by its Message-ID.
    let ingested = env.run_stdin(&["mail", "ingest"], &raw);
    assert_eq!(ingested.code, 0, "{}", ingested.stderr);
    assert!(
        ingested.stdout.contains("(1 logged before, left alone)"),
        "{}",
        ingested.stdout
    );
    assert_eq!(emails(&env), 1);
}

#[test]
fn an_untouched_or_emptied_draft_sends_and_logs_nothing() {
    let base = Env::new();
    let sendmail = fake_sendmail(&base);
    let env = base.with_config(&config(Some(&sendmail), ""));
    with_zoe(&env);
    let run = draft(&env, Path::new("true"), &["zoë"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "The draft was not changed: nothing was sent or logged.\n"
    );
    let emptied = draft(&env, &script(&env, "empty.sh", ": > \"$1\""), &["zoë"]);
    assert_eq!(
        emptied.stdout,
        "The draft is empty: nothing was sent or logged.\n"
    );
    assert!(!env.path("argv").exists(), "sendmail was not run");
    assert_eq!(emails(&env), 0);
}

#[test]
fn without_sendmail_the_draft_is_saved_as_an_eml_that_parses_back() {
    let env = Env::new().with_config(&config(None, ""));
    with_zoe(&env);
    // The built-in template for the action asked for.
    let run = draft(
        &env,
        &appending_editor(&env),
        &["zoë", "--action", "Win-back call"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folder = env.db.parent().unwrap().join("drafts");
    let files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "eml");
    assert!(
        run.stdout
            .starts_with("Saved \"How is Website redesign going, Zoë?\" to "),
        "{}",
        run.stdout
    );
    let raw = std::fs::read(&files[0]).unwrap();
    assert!(headers_are_ascii(&raw));
    let message = parse(&raw);
    assert_eq!(
        message.subject(),
        Some("How is Website redesign going, Zoë?")
    );
    assert_eq!(
        message.to().unwrap().first().unwrap().address(),
        Some("zoe@example.se")
    );
    assert!(message.body_text(0).unwrap().contains("Mika Häkkinen"));
    assert_eq!(
        env.query_string("SELECT message_id FROM interactions WHERE kind = 'email'"),
        message.message_id().unwrap()
    );
}

#[test]
fn print_shows_the_message_without_editor_or_log() {
    let env = Env::new().with_config(&config(None, CHECK_IN));
    with_zoe(&env);
    let run = draft(&env, Path::new("false"), &["zoë", "--print"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let message = parse(&run.stdout_bytes);
    assert_eq!(message.subject(), Some("Zoë: Website redesign, 30 days on"));
    assert_eq!(emails(&env), 0);
    assert!(!env.db.parent().unwrap().join("drafts").exists());
}

#[test]
fn a_failing_sendmail_is_one_sentence_with_its_stderr_and_nothing_is_logged() {
    let base = Env::new();
    let failing = script(
        &base,
        "fail.sh",
        "cat > /dev/null\necho 'msmtp: cannot connect to smtp.example.com' >&2\nexit 75",
    );
    let env = base.with_config(&config(Some(&failing), ""));
    with_zoe(&env);
    let run = draft(&env, &appending_editor(&env), &["zoë"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("failed (exit status: 75): msmtp: cannot connect to smtp.example.com; nothing was sent or logged"),
        "{}",
        run.stderr
    );
    assert_eq!(emails(&env), 0);
}

#[test]
fn refusals_are_one_sentence_and_write_nothing() {
    let env = Env::new().with_config(&config(
        None,
        "[drafts.templates.loyal_only]\nstage = \"loyal\"\nsubject = \"Hi {first_name}\"\nbody = \"b\"\n",
    ));
    with_zoe(&env);
    env.ok(&["add", "Bo Li"]);
    let message = env.fails(&["draft", "zoë"]);
    assert!(
        message.starts_with("no draft template fits Zoë Ångström (stage New"),
        "{message}"
    );
    let message = env.fails(&["draft", "zoë", "--action", "telepathy"]);
    assert!(
        message.starts_with("action 'telepathy' is neither a configured action"),
        "{message}"
    );
    let message = env.fails(&["draft", "bo"]);
    assert_eq!(
        message,
        "Bo Li has no email address; add one with `rapport edit` --email"
    );
    assert!(!env.db.parent().unwrap().join("drafts").exists());
}

#[test]
fn an_unknown_placeholder_is_a_config_error_naming_template_and_placeholder() {
    let env = Env::new().with_config(&config(
        None,
        "[drafts.templates.hello]\nsubject = \"Dear {lastname}\"\nbody = \"b\"\n",
    ));
    let message = env.fails(&["draft", "zoë"]);
    assert!(
        message.contains("drafts.templates.hello.subject uses the unknown placeholder {lastname}"),
        "{message}"
    );
}

#[test]
fn a_value_the_contact_lacks_without_fallback_is_named() {
    let env = Env::new().with_config(&config(
        None,
        "[drafts.templates.any]\nsubject = \"About {next_offer}\"\nbody = \"b\"\n",
    ));
    env.ok(&["add", "Cy Lead", "--email", "cy@example.com"]);
    let message = env.fails(&["draft", "cy"]);
    assert!(
        message.starts_with(
            "drafts.templates.any.subject uses {next_offer}, which this contact has no value for"
        ),
        "{message}"
    );
}
