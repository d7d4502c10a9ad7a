//! The workspace's part of the action ledger. Held-back actions are taken out of what is shown
//! when a page or a detail is loaded (a read, once per page); what is actually on screen is
//! recorded by the worker thread when keys are idle, at most once per contact and data generation,
//! so neither drawing a frame nor a keypress ever writes.

use std::collections::HashSet;

use chrono::NaiveDate;
use ratatui::layout::Rect;

use super::action::Tab;
use super::layout;
use super::state::App;
use super::worker::{Request, Worker};
use crate::domain::{ContactId, Scores, Stage};
use crate::store::{Result, ScoredContact, ShownActions, Store};

/// A contact's actions as scored, before the held-back ones were taken out.
type Scored = (ContactId, Stage, Vec<String>);

#[derive(Debug, Default)]
pub struct Ledger {
    generation: u64,
    /// Contacts already sent to be recorded in this generation, and whether with every action.
    sent: HashSet<(ContactId, bool)>,
    /// The At-risk page on screen, row for row.
    at_risk_page: Vec<Scored>,
    /// The Contacts detail on screen.
    detail: Option<Scored>,
    /// The clients Today suggests calling.
    today: Vec<Scored>,
}

impl Ledger {
    /// Takes the held-back actions out of an At-risk page just loaded, keeping the scored ones.
    pub fn load_at_risk(
        &mut self,
        store: &Store,
        today: NaiveDate,
        rows: &mut [ScoredContact],
    ) -> Result<()> {
        self.at_risk_page = keep_page(store, today, rows)?;
        Ok(())
    }

    /// Takes the held-back actions out of Today's suggestions just loaded.
    pub fn load_today(
        &mut self,
        store: &Store,
        today: NaiveDate,
        rows: &mut [ScoredContact],
    ) -> Result<()> {
        self.today = keep_page(store, today, rows)?;
        Ok(())
    }

    /// Takes the held-back actions out of the Contacts detail just loaded.
    pub fn load_detail(
        &mut self,
        store: &Store,
        today: NaiveDate,
        scores: Option<&mut Scores>,
    ) -> Result<()> {
        self.detail = match scores {
            Some(s) => Some(keep_shown(store, today, s)?),
            None => None,
        };
        Ok(())
    }

    /// Asks the worker to record what the current tab shows and was not recorded yet.
    pub fn request(&mut self, app: &App, worker: &mut Worker) {
        if self.generation != app.generation {
            self.generation = app.generation;
            self.sent.clear();
        }
        let Some(body) = layout::screen(Rect::new(0, 0, app.size.0, app.size.1)).map(|s| s.body)
        else {
            return;
        };
        let mut shown = Vec::new();
        match app.tab {
            Tab::AtRisk => {
                // Each row shows its first action; the pane below, every action of the selected one.
                let pane = layout::at_risk(body).1.is_some();
                let selected = app.at_risk.cursor.in_window();
                for (i, scored) in self.at_risk_page.iter().enumerate() {
                    let every = pane && i == selected;
                    if !self.sent.contains(&(scored.0, true)) {
                        shown.push(ask(scored, every));
                    }
                }
            }
            // Each suggestion shows its first action.
            Tab::Today => shown.extend(
                self.today
                    .iter()
                    .filter(|s| {
                        !self.sent.contains(&(s.0, false)) && !self.sent.contains(&(s.0, true))
                    })
                    .map(|s| ask(s, false)),
            ),
            Tab::Contacts if layout::contacts(body, app.contacts.expanded).1.is_some() => {
                if let Some(scored) = &self.detail {
                    shown.push(ask(scored, true));
                }
            }
            _ => {}
        }
        shown.retain(|s| self.sent.insert((s.contact, s.max == usize::MAX)));
        if !shown.is_empty() {
            worker.send(Request::RecordShown {
                today: app.today,
                shown,
            });
        }
    }
}

fn ask((contact, stage, actions): &Scored, every: bool) -> ShownActions {
    ShownActions {
        contact: *contact,
        stage: *stage,
        actions: actions.clone(),
        max: if every { usize::MAX } else { 1 },
    }
}

fn keep_page(store: &Store, today: NaiveDate, rows: &mut [ScoredContact]) -> Result<Vec<Scored>> {
    rows.iter_mut()
        .filter_map(|r| r.scores.as_mut())
        .map(|s| keep_shown(store, today, s))
        .collect()
}

fn keep_shown(store: &Store, today: NaiveDate, s: &mut Scores) -> Result<Scored> {
    let scored = (s.contact_id, s.stage, s.actions.clone());
    s.actions = store.shown_actions(today, s.contact_id, &s.actions)?;
    Ok(scored)
}
