//! Trust at scale, the fast part (the figures come from `cargo bench --bench scale`): what keeps
//! one-shot commands fast as the database and its history grow.

mod common;

use common::Env;

fn wal_len(env: &Env) -> u64 {
    std::fs::metadata(format!("{}-wal", env.db.display()))
        .map(|m| m.len())
        .unwrap_or(0)
}

#[test]
fn the_write_ahead_log_stays_small_after_bulk_writes_and_many_logs() {
    // Every `rapport` process reads the whole log when it opens the file (SQLite's WAL recovery);
    // a log left at the size of a bulk write, or growing with every entry, slows every command.
    let env = Env::new();
    env.ok(&["demo", "--contacts", "300", "--no-tui"]);
    assert!(
        wal_len(&env) <= 1 << 20,
        "after the demo: {} bytes",
        wal_len(&env)
    );
    env.ok(&["score", "--refit"]);
    assert!(
        wal_len(&env) <= 1 << 20,
        "after a refit: {} bytes",
        wal_len(&env)
    );
    let mut largest = 0;
    for i in 0..120 {
        let contact = format!("C{:05}", 1 + (i * 7) % 300);
        env.ok(&["log", "purchase", &contact, "10", "--item", "Many"]);
        largest = largest.max(wal_len(&env));
    }
    // Each entry adds a few pages; the log is emptied once it passes 1 MiB.
    assert!(
        largest <= (1 << 20) + (256 << 10),
        "the log grew to {largest} bytes"
    );
    assert_eq!(
        env.query_i64("SELECT count(*) FROM interactions WHERE item = 'Many'"),
        120
    );
}
