//! The event loop on a real terminal: keys and resizes in, frames out, a ~250 ms tick for other
//! processes' writes and background work, signals to leave cleanly, and the $EDITOR round trip.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{enable_raw_mode, EnterAlternateScreen};
use ratatui::DefaultTerminal;

use super::action::Action;
use super::render;
use super::session::{Outside, Session};
use crate::domain::ContactId;
use crate::editor;

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
                        Some(Outside::DraftMail(id)) => draft_mail(terminal, session, id)?,
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
    let note = session.note(id);
    let label = format!("note-{id}");
    if let Some((before, after)) =
        edit_outside(terminal, session, &label, note, "the note was not changed")?
    {
        session.save_note(id, &before, &after);
    }
    Ok(())
}

/// Leaves the TUI, edits a draft to the contact in $VISUAL/$EDITOR, sends or saves it, comes
/// back to say which.
fn draft_mail(
    terminal: &mut DefaultTerminal,
    session: &mut Session,
    id: ContactId,
) -> anyhow::Result<()> {
    let draft = session.prepare_draft(id);
    let text = draft.as_ref().map(|d| d.text.clone()).map_err(Clone::clone);
    let label = format!("draft-{id}");
    let edited = edit_outside(terminal, session, &label, text, "nothing was sent")?;
    if let (Ok(draft), Some((_, edited))) = (draft, edited) {
        session.finish_draft(&draft, &edited);
    }
    Ok(())
}

/// The editor round trip on `text`: the text before and after, or None with the reason on the
/// status line (no text to edit, or the editor failed, followed by `unchanged`).
fn edit_outside(
    terminal: &mut DefaultTerminal,
    session: &mut Session,
    label: &str,
    text: Result<String, String>,
    unchanged: &str,
) -> anyhow::Result<Option<(String, String)>> {
    let before = match text {
        Ok(text) => text,
        Err(message) => {
            session.app.error(message);
            return Ok(None);
        }
    };
    match suspended(terminal, || editor::edit_text(label, &before))? {
        Ok(after) => Ok(Some((before, after))),
        Err(e) => {
            session.app.error(format!("{e:#}; {unchanged}"));
            Ok(None)
        }
    }
}

/// Runs `work` (an editor) on the normal screen, then takes the terminal back.
fn suspended<T>(terminal: &mut DefaultTerminal, work: impl FnOnce() -> T) -> anyhow::Result<T> {
    ratatui::try_restore()?;
    let result = work();
    enable_raw_mode()?;
    execute!(std::io::stdout(), EnterAlternateScreen)?;
    terminal.clear()?;
    Ok(result)
}
