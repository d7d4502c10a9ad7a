//! The workspace's draft key: the same draft as `rapport draft`, prepared before the runtime
//! suspends the screen for the editor and finished (sent or saved, logged) after.

use super::{with_changes, Session};
use crate::domain::ContactId;
use crate::outbox::{self, Draft};
use crate::tui::form::default_instant;

impl Session {
    /// The contact's draft for the editor; the error is the status line's sentence.
    pub fn prepare_draft(&self, id: ContactId) -> Result<Draft, String> {
        let contact = self.store.contact(id).map_err(|e| e.to_string())?;
        outbox::prepare(
            &self.store,
            &self.app.config,
            self.app.today,
            &contact,
            None,
        )
        .map_err(|e| crate::cli::describe(&e))
    }

    /// Sends or saves what the editor left and says what happened on the status line.
    pub fn finish_draft(&mut self, draft: &Draft, edited: &str) {
        let today = self.app.today;
        let now = default_instant(today, self.app.follow_clock);
        let config = self.app.config.clone();
        match outbox::finish(&mut self.store, &config, today, now, draft, edited) {
            Ok((outcome, changes)) => {
                let done = outcome.describe(&draft.contact_name);
                if outcome.delivered() {
                    self.app.info(with_changes(done, &changes));
                    self.after_write();
                } else {
                    self.app.info(done);
                }
            }
            Err(e) => self.app.error(crate::cli::describe(&e)),
        }
        self.refresh();
    }
}
