//! The workspace without a terminal: state, the open store, and the effects of actions
//! (writes, undo, jumps, background commands and refits). The event loop and the tests drive it.

mod drafts;
mod follow_ups;
mod merge;
mod notes;

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::action::{Action, Tab};
use super::command;
use super::data::{self, Loader};
use super::form::{default_instant, FormError, Submission};
use super::keymap::Key;
use super::state::{App, ListCursor, Mode, Pager, UndoEntry};
use super::update::{self, Effect};
use super::worker::Worker;
use crate::domain::text::printable;
use crate::domain::{money, ContactFields, ContactId, ScoreChange};
use crate::store::{RefitReport, Store};

/// What only the owner of the terminal can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    /// Suspend, edit this contact's note in $EDITOR, resume, then call [`Session::save_note`].
    EditNote(ContactId),
    /// Suspend, edit a draft to this contact ([`Session::prepare_draft`]), resume, then call
    /// [`Session::finish_draft`].
    DraftMail(ContactId),
    /// Clear and repaint the whole screen.
    Redraw,
}

enum JobResult {
    Command {
        line: String,
        result: Result<String, String>,
    },
    Refit(Box<Result<Option<RefitReport>, String>>),
}

struct Job {
    label: String,
    refit: bool,
    rx: Receiver<JobResult>,
}

pub struct Session {
    pub app: App,
    store: Store,
    loader: Loader,
    version: i64,
    jobs: Vec<Job>,
    worker: Worker,
    /// A second reader only for filter searches, so they never queue behind the slower extras
    /// (similar clients can take a second at 100,000 clients).
    searcher: Worker,
    /// A third reader for the Overview's figures, which read every purchase (most of a second at
    /// 100,000 clients): neither searches nor similar clients wait behind them.
    reader: Worker,
    config_path: Option<PathBuf>,
    /// Refit in the background when the models are due (at start, after writes, at midnight).
    auto_refit: bool,
}

impl Session {
    pub fn new(store: Store, app: App) -> Session {
        let version = store.data_version().unwrap_or(0);
        let worker = Worker::start(store.path().to_path_buf(), app.config.clone());
        let searcher = Worker::start(store.path().to_path_buf(), app.config.clone());
        let reader = Worker::start(store.path().to_path_buf(), app.config.clone());
        let mut session = Session {
            app,
            store,
            worker,
            searcher,
            reader,
            loader: Loader::default(),
            version,
            jobs: Vec::new(),
            config_path: None,
            auto_refit: false,
        };
        session.refresh();
        session
    }

    /// The config file `:` commands read (the CLI's default when None).
    pub fn set_config_path(&mut self, path: Option<PathBuf>) {
        self.config_path = path;
    }

    /// Turns background refits on, and starts one now if the models are due.
    pub fn enable_auto_refit(&mut self) {
        self.auto_refit = true;
        self.refit_if_due();
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A key from the terminal; releases are ignored.
    pub fn key(&mut self, event: KeyEvent) -> Option<Outside> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let action =
            Key::from_event(event).and_then(|key| update::action_for_key(&self.app, key))?;
        self.act(action)
    }

    /// Applies one action and brings the visible data up to date.
    pub fn act(&mut self, action: Action) -> Option<Outside> {
        let outside = update::update(&mut self.app, action).and_then(|effect| self.apply(effect));
        self.preview_merge();
        self.refresh();
        outside
    }

    /// Reloads what is visible; a failure is shown, never fatal.
    pub fn refresh(&mut self) {
        let refreshed = data::refresh(
            &mut self.app,
            &mut self.store,
            &mut self.loader,
            &mut self.searcher,
            &mut self.reader,
        );
        if let Err(e) = refreshed {
            self.app.error(format!("Cannot read the database: {}", e));
        }
    }

    /// Called every ~250 ms: picks up other processes' writes, finished background work,
    /// midnight, and the slower detail extras. Returns whether the screen needs a redraw.
    pub fn tick(&mut self) -> bool {
        let mut changed = self.follow_midnight();
        changed |= self.poll_jobs();
        if let Ok(version) = self.store.data_version() {
            if version != self.version {
                self.version = version;
                self.app.data_changed();
                changed = true;
            }
        }
        if changed {
            self.refresh();
        }
        changed |= self.take_replies();
        data::request_idle(&self.app, &mut self.loader, &mut self.worker);
        changed
    }

    /// How long a keypress may search the contacts before the worker thread takes over (tests
    /// use zero to see the hand-over).
    pub fn set_search_budget(&mut self, budget: Duration) {
        self.loader.set_search_budget(budget);
    }

    /// Whether the worker thread owes an answer (the event loop then looks for it sooner).
    pub fn awaiting_worker(&self) -> bool {
        self.worker.pending() > 0 || self.searcher.pending() > 0 || self.reader.pending() > 0
    }

    /// Applies the worker's answers that have arrived, without waiting; returns whether any
    /// changed the screen.
    pub fn take_replies(&mut self) -> bool {
        let mut changed = false;
        let mut replies = self.searcher.replies();
        replies.extend(self.worker.replies());
        replies.extend(self.reader.replies());
        for reply in replies {
            match data::apply_reply(&mut self.app, &mut self.loader, reply) {
                Ok(applied) => changed |= applied,
                Err(e) => self.app.error(format!("Cannot read the database: {}", e)),
            }
        }
        if changed {
            // An answer may make a new page due (a search's matches).
            self.refresh();
        }
        changed
    }

    /// Waits (ticking) until background work is done, at most `limit`; for tests and shutdown.
    pub fn wait_for_jobs(&mut self, limit: Duration) {
        let start = Instant::now();
        loop {
            self.tick();
            if (self.jobs.is_empty() && !self.awaiting_worker()) || start.elapsed() >= limit {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn follow_midnight(&mut self) -> bool {
        let real = chrono::Local::now().date_naive();
        if !self.app.follow_clock || real <= self.app.today {
            return false;
        }
        self.app.today = real;
        self.app.data_changed();
        self.refit_if_due();
        true
    }

    fn apply(&mut self, effect: Effect) -> Option<Outside> {
        match effect {
            Effect::Save(Submission::Log { new, contact_name }) => {
                let currency = self.app.config.currency.clone();
                match self
                    .store
                    .write_scored(self.app.today, |w| w.add_interaction(&new, &currency))
                {
                    Ok((id, changes)) => {
                        let what = format!("{} with {}", new.kind, printable(&contact_name));
                        let amount = new
                            .amount
                            .map(|a| format!(" ({} {})", money::format_amount(a, false), currency))
                            .unwrap_or_default();
                        self.app.undo.push(UndoEntry {
                            interaction: id,
                            description: what.clone(),
                        });
                        self.app.mode = Mode::Normal;
                        self.app.info(with_changes(
                            format!("Logged {}{}.", what, amount),
                            &changes,
                        ));
                        self.after_write();
                    }
                    Err(e) => self.form_error(e.to_string()),
                }
            }
            Effect::Save(Submission::Add(fields)) => self.add_contact(fields),
            Effect::Save(Submission::FollowUp(plan)) => self.save_follow_up(plan),
            Effect::DeleteFollowUp(id, what) => self.delete_follow_up(id, what),
            Effect::Undo(entry) => match self
                .store
                .write_scored(self.app.today, |w| w.remove_interaction(entry.interaction))
            {
                Ok(((), changes)) => {
                    self.app.info(with_changes(
                        format!("Undid the {}.", entry.description),
                        &changes,
                    ));
                    self.after_write();
                }
                Err(e) => self
                    .app
                    .error(format!("Cannot undo the {}: {}", entry.description, e)),
            },
            Effect::Run(line) => self.run_command(line),
            Effect::Jump(id) => self.jump(id),
            Effect::Merge { keep, other } => self.merge(keep, other),
            Effect::EditNote(id) => return Some(Outside::EditNote(id)),
            Effect::DraftMail(id) => return Some(Outside::DraftMail(id)),
            Effect::Redraw => return Some(Outside::Redraw),
        }
        None
    }

    fn form_error(&mut self, message: String) {
        if let Mode::Form(form) = &mut self.app.mode {
            form.error = Some(FormError {
                field: None,
                message,
            });
        } else {
            self.app.error(message);
        }
    }

    fn after_write(&mut self) {
        self.app.data_changed();
        self.refit_if_due();
    }

    fn add_contact(&mut self, fields: ContactFields) {
        let created = default_instant(self.app.today, self.app.follow_clock);
        match self
            .store
            .write_scored(self.app.today, |w| w.add_contact(&fields, created))
        {
            Ok((id, _)) => {
                self.app.mode = Mode::Normal;
                self.after_write();
                self.jump(id);
                let name = fields.name.as_deref().unwrap_or_default();
                self.app.info(format!("Added {}.", printable(name)));
            }
            Err(e) => self.form_error(e.to_string()),
        }
    }

    /// Selects contact `id` on the Contacts tab (clearing a filter that hides it).
    fn jump(&mut self, id: ContactId) {
        let sort = self.app.contacts.sort;
        let filter = self.app.contacts.filter.text().trim().to_string();
        let search = Some(filter.as_str()).filter(|f| !f.is_empty());
        let found = match self.store.contact_position(search, sort, id) {
            Ok(None) if search.is_some() => {
                self.app.contacts.filter.apply(Action::ClearLine);
                self.store.contact_position(None, sort, id)
            }
            other => other,
        };
        match found {
            Ok(Some(position)) => {
                self.app.tab = Tab::Contacts;
                self.app.contacts.expanded = false;
                let height = self.app.list_height(Tab::Contacts);
                let cursor = &mut self.app.contacts.cursor;
                *cursor = ListCursor {
                    selected: position,
                    offset: cursor.offset,
                    total: cursor.total.max(position + 1),
                };
                cursor.move_by(0, height);
            }
            Ok(None) => self.app.error("That contact no longer exists."),
            Err(e) => self.app.error(format!("Cannot find the contact: {}", e)),
        }
    }

    fn run_command(&mut self, line: String) {
        if self.jobs.iter().any(|j| !j.refit) {
            self.app
                .error("A command is still running; wait for it to finish.");
            return;
        }
        match command::parse(
            &line,
            self.store.path(),
            self.config_path.as_deref(),
            self.app.today,
        ) {
            Err(message) => self.app.error(message),
            Ok(cli) => {
                let (tx, rx) = mpsc::channel();
                let label = format!(":{}", printable(&line));
                let job_line = line.clone();
                std::thread::spawn(move || {
                    let result = command::run(cli);
                    let _ = tx.send(JobResult::Command {
                        line: job_line,
                        result,
                    });
                });
                self.jobs.push(Job {
                    label,
                    refit: false,
                    rx,
                });
                self.update_busy();
            }
        }
    }

    fn refit_if_due(&mut self) {
        if !self.auto_refit || self.jobs.iter().any(|j| j.refit) {
            return;
        }
        let (tx, rx) = mpsc::channel();
        let path = self.store.path().to_path_buf();
        let config = self.app.config.clone();
        let today = self.app.today;
        std::thread::spawn(move || {
            let result = Store::open_with(&path, config)
                .and_then(|mut store| store.refit_if_due(today))
                .map_err(|e| e.to_string());
            let _ = tx.send(JobResult::Refit(Box::new(result)));
        });
        self.jobs.push(Job {
            label: "checking the models".into(),
            refit: true,
            rx,
        });
        self.update_busy();
    }

    fn poll_jobs(&mut self) -> bool {
        let mut finished = Vec::new();
        self.jobs.retain(|job| match job.rx.try_recv() {
            Ok(result) => {
                finished.push(result);
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => false,
        });
        let changed = !finished.is_empty();
        for result in finished {
            self.finish(result);
        }
        self.update_busy();
        changed
    }

    fn finish(&mut self, result: JobResult) {
        match result {
            JobResult::Command {
                line,
                result: Ok(output),
            } => {
                self.app.data_changed();
                let lines: Vec<String> =
                    output.lines().map(|l| printable(l).into_owned()).collect();
                match lines.len() {
                    0 => self.app.info(format!("Done: {}", printable(&line))),
                    // A short answer (what was logged and what moved) fits the status line.
                    1..=3 => self.app.info(lines.join(" ")),
                    n if self.app.mode == Mode::Normal => {
                        self.app.info(format!("{}: {} lines", printable(&line), n));
                        self.app.mode = Mode::Output(Pager {
                            title: format!(":{}", printable(&line)),
                            lines,
                            scroll: 0,
                        });
                    }
                    n => self.app.info(format!("{} (+{} lines)", lines[0], n - 1)),
                }
                self.refit_if_due();
            }
            JobResult::Command {
                result: Err(message),
                ..
            } => self.app.error(message),
            JobResult::Refit(result) => match *result {
                Ok(Some(report)) if report.refitted => {
                    self.app.data_changed();
                    self.app.info(format!(
                        "Models refitted over {} contacts in {} ms.",
                        report.contacts,
                        report.elapsed.as_millis()
                    ));
                }
                Ok(_) => {}
                Err(message) => self
                    .app
                    .error(format!("Refitting the models failed: {}", message)),
            },
        }
    }

    fn update_busy(&mut self) {
        self.app.busy = (!self.jobs.is_empty()).then(|| {
            self.jobs
                .iter()
                .map(|j| j.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
    }
}

/// `Logged call with Ana.` plus what moved: `Ana: churn 62% → 18%, stage At risk → Active`.
fn with_changes(done: String, changes: &[ScoreChange]) -> String {
    if changes.is_empty() {
        return done;
    }
    let moved: Vec<String> = changes.iter().map(ScoreChange::describe).collect();
    format!("{} {}", done, moved.join("; "))
}
