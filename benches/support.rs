//! What the end-to-end benchmarks share: the cached demo database, a working copy of it, and
//! the statistics they print.
#![allow(dead_code)] // each bench uses its own part

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rapport::config::Config;
use rapport::demo::DemoSpec;
use rapport::store::Store;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

pub fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The cached demo database for `contacts`, generated on first use.
pub fn cached_database(contacts: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    let path = dir.join(format!("demo-{}.db", contacts));
    if !path.exists() {
        let started = Instant::now();
        let partial = dir.join(format!("demo-{}.partial.db", contacts));
        let _ = std::fs::remove_file(&partial);
        let mut store = Store::open(&partial).expect("open bench database");
        let spec = DemoSpec {
            contacts,
            seed: 7,
            today: today(),
            dimensions: Config::default()
                .dimension_names()
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        rapport::cli::demo::fill(&mut store, &spec, "EUR").expect("generate demo");
        store.checkpoint().expect("checkpoint");
        drop(store);
        std::fs::rename(&partial, &path).expect("keep bench database");
        eprintln!(
            "generated {} contacts in {:.1} s",
            contacts,
            started.elapsed().as_secs_f64()
        );
    }
    path
}

/// `binary --db DB --config <none> --as-of <today>`, ready for a command's arguments.
pub fn rapport(binary: &str, db: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(binary);
    cmd.arg("--db")
        .arg(db)
        .args(["--config", "/nonexistent/rapport.toml", "--as-of"])
        .arg(today().to_string());
    cmd
}

pub fn working_copy(source: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    std::fs::copy(source, &path).expect("copy bench database");
    (dir, path)
}
