//! The event loop on a real terminal: keys and resizes in, frames out, a ~250 ms tick for other
//! processes' writes and background work, signals to leave cleanly, and the $EDITOR round trip.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{enable_raw_mode, EnterAlternateScreen};
use ratatui::DefaultTerminal;

use super::action::Action;
use super::render;
use super::session::{Outside, Session};
use crate::domain::ContactId;

const TICK: Duration = Duration::from_millis(250);
/// How often the loop looks for the worker thread's answers while one is owed.
const WORKER_POLL: Duration = Duration::from_millis(10);

/// A flag raised by SIGTERM, SIGHUP (a dropped SSH connection), SIGINT or SIGQUIT; the loop
/// checks it at least every tick and leaves normally, so the terminal is restored.
pub fn stop_signals() -> std::io::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    spawn_watchdog(Arc::clone(&stop));
    Ok(stop)
}

/// How long the loop has to notice a stop signal before the watchdog ends the process.
const STOP_GRACE: Duration = Duration::from_millis(750);

/// When the terminal hangs up, crossterm's `poll` can spin on end-of-file and never return, so
/// the loop would never see the flag (seen with a killed tmux server: 100% CPU for an hour).
/// A signal that the loop has not acted on within [`STOP_GRACE`] ends the process here instead.
/// Nothing is lost: every write is one SQLite transaction, committed or rolled back as a whole.
fn spawn_watchdog(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(STOP_GRACE);
        ratatui::restore();
        std::process::exit(0);
    });
}

pub fn run_loop(
    terminal: &mut DefaultTerminal,
    session: &mut Session,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let mut last_tick = Instant::now();
    let mut dirty = true;
    loop {
        if stop.load(Ordering::Relaxed) || session.app.quit {
            return Ok(());
        }
        if dirty {
            terminal.draw(|frame| render::draw(frame, &session.app))?;
            dirty = false;
        }
        let mut timeout = TICK.saturating_sub(last_tick.elapsed());
        if session.awaiting_worker() {
            // A search handed to the worker shows as soon as it is done, not at the next tick.
            timeout = timeout.min(WORKER_POLL);
        }
        if event::poll(timeout)? {
            match event::read()? {
                Event::Key(key) => {
                    match session.key(key) {
                        Some(Outside::EditNote(id)) => edit_note(terminal, session, id)?,
                        Some(Outside::Redraw) => terminal.clear()?,
                        None => {}
                    }
                    dirty = true;
                }
                Event::Resize(width, height) => {
                    session.act(Action::Resize(width, height));
                    dirty = true;
                }
                _ => {}
            }
        }
        if session.awaiting_worker() {
            dirty |= session.take_replies();
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            dirty |= session.tick();
        }
    }
}

/// Leaves the TUI, edits the contact's note in $VISUAL/$EDITOR (vi by default), comes back.
fn edit_note(
    terminal: &mut DefaultTerminal,
    session: &mut Session,
    id: ContactId,
) -> anyhow::Result<()> {
    let before = match session.note(id) {
        Ok(note) => note,
        Err(message) => {
            session.app.error(message);
            return Ok(());
        }
    };
    let path = std::env::temp_dir().join(format!("rapport-note-{}-{}.txt", std::process::id(), id));
    if let Err(e) = write_private(&path, &before) {
        session
            .app
            .error(format!("Cannot prepare the note for editing: {}", e));
        return Ok(());
    }
    ratatui::try_restore()?;
    let edited = run_editor(&path);
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    terminal.clear()?;
    let after = edited
        .and_then(|()| std::fs::read_to_string(&path).context("cannot read the edited note back"));
    let _ = std::fs::remove_file(&path);
    match after {
        Ok(after) => session.save_note(id, &before, &after),
        Err(e) => session.app.error(format!("{:#}", e)),
    }
    Ok(())
}

/// The note is private data: the temporary file is readable by its owner only.
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    if !text.is_empty() && !text.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    Ok(())
}

fn run_editor(path: &Path) -> anyhow::Result<()> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|e| !e.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".into());
    // Through the shell, so EDITOR may carry arguments (`code -w`); the path is passed as $1.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", editor))
        .arg("sh")
        .arg(path)
        .status()
        .with_context(|| format!("cannot start the editor '{}'", editor))?;
    if !status.success() {
        anyhow::bail!(
            "the editor '{}' failed ({}); the note was not changed",
            editor,
            status
        );
    }
    Ok(())
}
