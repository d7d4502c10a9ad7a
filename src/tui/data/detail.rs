//! The selected contact's detail pane: read at once when selected, with the slower extras
//! (similar clients, likely duplicates) asked of the worker thread when keys are idle.

use crate::domain::ContactId;
use crate::store::{FollowUpFilter, Result, Store};
use crate::tui::ledger::Ledger;
use crate::tui::state::{App, Detail};
use crate::tui::worker::{Reply, Request, Worker};

/// Recent entries shown in the detail pane.
const TIMELINE: usize = 20;
/// Similar clients shown in the detail pane.
const SIMILAR: usize = 5;

/// Data generation and contact something was read or asked for.
type Key = (u64, ContactId);

/// One extra of the detail: what it was last filled for, and last asked for.
#[derive(Debug, Default)]
struct Extra {
    filled: Option<Key>,
    asked: Option<Key>,
}

impl Extra {
    /// Whether to ask for `key` now (once per key); marks it asked.
    fn ask(&mut self, key: Key) -> bool {
        let due = self.filled != Some(key) && self.asked != Some(key);
        if due {
            self.asked = Some(key);
        }
        due
    }
}

#[derive(Debug, Default)]
pub struct DetailLoader {
    shown: Option<Key>,
    similar: Extra,
    duplicates: Extra,
}

/// Reads the detail of the selected contact when the selection or the data changed.
pub fn load(
    app: &mut App,
    store: &Store,
    loader: &mut DetailLoader,
    ledger: &mut Ledger,
) -> Result<()> {
    let cursor = app.contacts.cursor;
    let Some(row) = app
        .contacts
        .rows
        .get(cursor.selected.saturating_sub(cursor.offset))
    else {
        app.contacts.detail = None;
        loader.shown = None;
        return Ok(());
    };
    let key = (app.generation, row.contact.id);
    if loader.shown == Some(key) {
        return Ok(());
    }
    let id = row.contact.id;
    // The extras stay as they were for the same contact until the idle refresh replaces them.
    let before = app.contacts.detail.as_ref().filter(|d| d.contact.id == id);
    let similar = before.and_then(|d| d.similar.clone());
    let duplicates = before.and_then(|d| d.duplicates.clone());
    let mut scores = row.scores.clone();
    ledger.load_detail(store, app.today, scores.as_mut())?;
    app.contacts.detail = Some(Detail {
        contact: row.contact.clone(),
        card: store.card(id)?,
        scores,
        totals: store.contact_totals(id)?,
        referrals: store.referrals_made(id)?,
        timeline: store.contact_timeline(id, TIMELINE)?,
        follow_ups: store
            .follow_ups(&FollowUpFilter {
                contact: Some(id),
                ..FollowUpFilter::default()
            })?
            .into_iter()
            .map(|r| r.follow_up)
            .collect(),
        similar,
        duplicates,
    });
    loader.shown = Some(key);
    Ok(())
}

impl DetailLoader {
    /// Asks the worker for the extras of the contact shown, once per contact and data generation.
    pub fn request_extras(&mut self, app: &App, worker: &mut Worker) {
        let Some(detail) = &app.contacts.detail else {
            return;
        };
        let (generation, id) = (app.generation, detail.contact.id);
        if self.similar.ask((generation, id)) {
            worker.send(Request::Similar {
                generation,
                id,
                n: SIMILAR,
            });
        }
        if self.duplicates.ask((generation, id)) {
            worker.send(Request::Duplicates { generation, id });
        }
    }

    /// Fills in an extra if it is still for the contact shown; returns whether it did.
    pub fn answer(&mut self, app: &mut App, reply: Reply) -> Result<bool, String> {
        let (generation, id) = match &reply {
            Reply::Similar { generation, id, .. } | Reply::Duplicates { generation, id, .. } => {
                (*generation, *id)
            }
            _ => return Ok(false),
        };
        let Some(detail) = app
            .contacts
            .detail
            .as_mut()
            .filter(|d| d.contact.id == id && generation == app.generation)
        else {
            return Ok(false);
        };
        match reply {
            Reply::Similar { result, .. } => {
                detail.similar = Some(result?);
                self.similar.filled = Some((generation, id));
            }
            Reply::Duplicates { result, .. } => {
                detail.duplicates = Some(result?);
                self.duplicates.filled = Some((generation, id));
            }
            _ => {}
        }
        Ok(true)
    }
}
