//! Mail in at 10,000 clients / 1M interactions: `rapport import mbox` of 10,000 messages, each
//! from or to one of the demo's clients (and the user), process start to exit; then the same file
//! again, when every message was logged before.
//!
//! `cargo bench --bench mail`. The demo database is cached under target/bench-data.

use std::fmt::Write as _;
use std::time::Instant;

#[path = "support.rs"]
mod support;

use support::{cached_database, ms, rapport, today, working_copy};

const MESSAGES: usize = 10_000;

fn main() {
    let source = cached_database(10_000);
    let (dir, path) = working_copy(&source);
    // Migrate once, outside the timing.
    drop(rapport::store::Store::open(&path).expect("open"));
    let emails: Vec<String> = {
        let conn = rusqlite::Connection::open(&path).expect("open");
        let mut stmt = conn
            .prepare("SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY id")
            .expect("emails");
        stmt.query_map([], |r| r.get(0))
            .expect("emails")
            .collect::<Result<_, _>>()
            .expect("emails")
    };
    let mut mbox = String::new();
    for i in 0..MESSAGES {
        let client = &emails[(i * 7919) % emails.len()];
        let (from, to) = if i % 2 == 0 {
            (client.as_str(), "me@example.com")
        } else {
            ("me@example.com", client.as_str())
        };
        let day = 1 + i % 28;
        write!(
            mbox,
            "From {from} Mon Oct {day:2} 10:00:00 2026\nFrom: {from}\nTo: {to}\nSubject: =?UTF-8?Q?R=C3=BCckfrage_{i}?=\nDate: Mon, {day} Oct 2026 10:{:02}:00 +0000\nMessage-ID: <bench-{i}@example.com>\n\nHello {i}\n\n",
            i % 60
        )
        .expect("write");
    }
    let file = dir.path().join("bench.mbox");
    std::fs::write(&file, mbox).expect("mbox");
    let binary = env!("CARGO_BIN_EXE_rapport");
    let import = || {
        let started = Instant::now();
        let out = rapport(binary, &path)
            .args(["import", "mbox"])
            .arg(&file)
            .output()
            .expect("run rapport");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            started.elapsed(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (first, said) = import();
    let (again, said_again) = import();
    println!(
        "as of {}: {}",
        today(),
        said.lines().next().unwrap_or_default()
    );
    println!("| measure (10,000 clients, 1M interactions) | time | target |");
    println!("|---|---|---|");
    println!(
        "| `rapport import mbox` of {MESSAGES} messages | {} | ≤ 2 s |",
        ms(first)
    );
    println!(
        "| … the same file again ({}) | {} | — |",
        said_again.lines().next().unwrap_or_default(),
        ms(again)
    );
}
