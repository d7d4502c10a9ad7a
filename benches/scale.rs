//! Scale benchmark: the real `rapport` binary on generated businesses of several sizes.
//!
//! `cargo bench --bench scale` measures 1,000 and 10,000 contacts; choose sizes with
//! `RAPPORT_SCALE_SIZES=1000,10000,100000` (100,000 contacts is about ten million interactions:
//! minutes and several GB of disk, so run it by hand). For each size it reports:
//!
//! - `rapport demo --contacts N --no-tui`: time and peak memory (measured when the demo database
//!   is generated; it is then cached under target/bench-data with its figures);
//! - `rapport export interactions` of that database to CSV;
//! - `rapport import interactions` of that CSV into a database holding only the contacts: rows/s;
//! - `rapport log purchase`, process start to exit: median and p95 over 40 runs;
//! - `rapport score --refit` (full re-score with refit): median of 3;
//!
//! and the peak resident memory (max RSS) of each command, read by `/usr/bin/time -f %M` when it
//! exists, else by polling `VmHWM` in /proc/<pid>/status.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";
const LOG_RUNS: usize = 40;
const RSS_RUNS: usize = 5;
const REFIT_RUNS: usize = 3;

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_rapport")
}

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data dir");
    dir
}

/// `rapport --db DB --config <none> --as-of TODAY ARGS...`
fn rapport(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary());
    cmd.arg("--db")
        .arg(db)
        .args(["--config", "/nonexistent/rapport.toml", "--as-of", TODAY])
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    cmd
}

/// One measured run: wall time and peak resident memory (KiB) of the process.
struct Measured {
    elapsed: Duration,
    peak_kib: Option<u64>,
}

fn time_binary() -> Option<&'static Path> {
    let path = Path::new("/usr/bin/time");
    path.exists().then_some(path)
}

/// Runs `cmd` to completion (it must succeed), measuring its wall time and peak RSS.
fn measure(cmd: Command) -> Measured {
    if let Some(time) = time_binary() {
        let report = tempfile::NamedTempFile::new().expect("temp file");
        let mut wrapped = Command::new(time);
        wrapped
            .args(["-f", "%M", "-o"])
            .arg(report.path())
            .arg(cmd.get_program())
            .args(cmd.get_args())
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        for (key, value) in cmd.get_envs() {
            if let Some(value) = value {
                wrapped.env(key, value);
            }
        }
        let started = Instant::now();
        let status = wrapped.status().expect("run /usr/bin/time");
        let elapsed = started.elapsed();
        assert!(status.success(), "{:?} failed", cmd.get_args());
        let text = std::fs::read_to_string(report.path()).unwrap_or_default();
        let peak_kib = text.lines().rev().find_map(|l| l.trim().parse().ok());
        return Measured { elapsed, peak_kib };
    }
    let mut cmd = cmd;
    let started = Instant::now();
    let mut child = cmd.spawn().expect("run rapport");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = None;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            assert!(status.success(), "{:?} failed", cmd.get_args());
            break;
        }
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let hwm = text.lines().find_map(|l| {
                l.strip_prefix("VmHWM:")
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            });
            peak_kib = hwm.or(peak_kib);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Measured {
        elapsed: started.elapsed(),
        peak_kib,
    }
}

/// Wall time of `cmd` alone (no wrapper), for latency figures.
fn latency(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let status = cmd.status().expect("run rapport");
    let elapsed = started.elapsed();
    assert!(status.success(), "{:?} failed", cmd.get_args());
    elapsed
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |k| format!("{:.0} MB", k as f64 / 1024.0))
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Copies a database file (the cached ones are checkpointed: no log beside them).
fn copy_db(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{}", to.display(), suffix));
    }
    std::fs::copy(from, to).expect("copy database");
}

/// Empties a database's log into it, so a cached file is one self-contained file.
fn checkpoint(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
}

/// The cached demo database for `contacts`, with the figures of the `rapport demo` run that made it.
fn demo_database(contacts: usize) -> (PathBuf, String) {
    let dir = data_dir();
    let path = dir.join(format!("scale-demo-{contacts}.db"));
    let figures = dir.join(format!("scale-demo-{contacts}.txt"));
    if !path.exists() || !figures.exists() {
        let partial = dir.join(format!("scale-demo-{contacts}.partial.db"));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{}", partial.display(), suffix));
        }
        eprintln!("generating {contacts} contacts with `rapport demo` (cached afterwards)…");
        let count = contacts.to_string();
        let run = measure(rapport(
            &partial,
            &["demo", "--contacts", &count, "--no-tui"],
        ));
        checkpoint(&partial);
        std::fs::write(
            &figures,
            format!("{} / {}", secs(run.elapsed), mib(run.peak_kib)),
        )
        .expect("write figures");
        std::fs::rename(&partial, &path).expect("keep demo database");
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{}", partial.display(), suffix));
        }
    }
    let text = std::fs::read_to_string(&figures).unwrap_or_default();
    (path, text)
}

struct Row {
    contacts: usize,
    interactions: i64,
    demo: String,
    export: Measured,
    import: Measured,
    log_samples: Vec<Duration>,
    log_peak: Option<u64>,
    refit: Vec<Measured>,
}

fn measure_size(contacts: usize, work: &Path) -> Row {
    let (demo, demo_figures) = demo_database(contacts);
    let interactions: i64 = rusqlite::Connection::open(&demo)
        .expect("open demo")
        .query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))
        .expect("count");

    // Export, then import the interactions into a database holding only the contacts.
    let contacts_csv = work.join("contacts.csv");
    let interactions_csv = work.join("interactions.csv");
    let status = rapport(&demo, &["export", "contacts", "-o"])
        .arg(&contacts_csv)
        .status()
        .expect("export contacts");
    assert!(status.success());
    let mut export_cmd = rapport(&demo, &["export", "interactions", "-o"]);
    export_cmd.arg(&interactions_csv);
    let export = measure(export_cmd);
    let target = work.join("import.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{}", target.display(), suffix));
    }
    let status = rapport(&target, &["import", "contacts"])
        .arg(&contacts_csv)
        .status()
        .expect("import contacts");
    assert!(status.success());
    let mut import_cmd = rapport(&target, &["import", "interactions"]);
    import_cmd.arg(&interactions_csv);
    let import = measure(import_cmd);
    for file in [&contacts_csv, &interactions_csv] {
        let _ = std::fs::remove_file(file);
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{}", target.display(), suffix));
    }

    // `log purchase` on a working copy: latency unwrapped, memory from a few wrapped runs.
    let db = work.join("work.db");
    copy_db(&demo, &db);
    let log = |i: usize| {
        let contact = format!("C{:05}", 1 + (i * 7919) % contacts);
        rapport(
            &db,
            &["log", "purchase", &contact, "250", "--item", "Bench"],
        )
    };
    let _warm = latency(log(usize::MAX / 2));
    let log_samples: Vec<Duration> = (0..LOG_RUNS).map(|i| latency(log(i))).collect();
    let log_peak = (0..RSS_RUNS)
        .filter_map(|i| measure(log(LOG_RUNS + i)).peak_kib)
        .max();

    // Full re-score with refit, on the same copy.
    let refit = (0..REFIT_RUNS)
        .map(|_| measure(rapport(&db, &["score", "--refit"])))
        .collect();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{}", db.display(), suffix));
    }
    Row {
        contacts,
        interactions,
        demo: demo_figures,
        export,
        import,
        log_samples,
        log_peak,
        refit,
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::var("RAPPORT_SCALE_SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("RAPPORT_SCALE_SIZES: numbers"))
        .collect();
    // Working files next to the cache (same disk), removed after each size.
    let work = tempfile::tempdir_in(data_dir()).expect("work dir");
    let rows: Vec<Row> = sizes
        .iter()
        .map(|&n| {
            let row = measure_size(n, work.path());
            eprintln!("measured {n} contacts");
            row
        })
        .collect();

    println!(
        "peak memory by {}",
        if time_binary().is_some() {
            "/usr/bin/time -f %M (max RSS)"
        } else {
            "polling VmHWM"
        }
    );
    println!(
        "| contacts | interactions | `demo` time / peak | `export interactions` time / peak | `import interactions` rows/s / peak | `log purchase` median / p95 / peak | `score --refit` median / peak |"
    );
    println!("|---:|---:|---|---|---|---|---|");
    for row in &rows {
        let refit_time = {
            let times: Vec<Duration> = row.refit.iter().map(|m| m.elapsed).collect();
            percentile(&times, 0.5)
        };
        let refit_peak = row.refit.iter().filter_map(|m| m.peak_kib).max();
        println!(
            "| {} | {} | {} | {} / {} | {:.0} ({}) / {} | {} / {} / {} | {} / {} |",
            row.contacts,
            row.interactions,
            row.demo,
            secs(row.export.elapsed),
            mib(row.export.peak_kib),
            row.interactions as f64 / row.import.elapsed.as_secs_f64(),
            secs(row.import.elapsed),
            mib(row.import.peak_kib),
            ms(percentile(&row.log_samples, 0.5)),
            ms(percentile(&row.log_samples, 0.95)),
            mib(row.log_peak),
            secs(refit_time),
            mib(refit_peak),
        );
    }
    println!(
        "targets: `log purchase` < 30 ms; full re-score < 3 s at 10,000; every command < 150 MB"
    );
}
