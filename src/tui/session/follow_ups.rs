//! The workspace's follow-up writes: a form saved (new, edit, snooze, done) and a delete.

use super::{with_changes, Session};
use crate::domain::follow_up::{done_text, plan_text};
use crate::domain::text::printable;
use crate::domain::FollowUpId;
use crate::tui::form::default_instant;
use crate::tui::form_follow_up::FollowUpSubmission;
use crate::tui::state::Mode;

impl Session {
    /// Writes a follow-up form: a new one, an edit, a snooze, or done (with its entry in the same
    /// transaction and the re-score it causes).
    pub(super) fn save_follow_up(&mut self, plan: FollowUpSubmission) {
        let today = self.app.today;
        let now = default_instant(today, self.app.follow_clock);
        let currency = self.app.config.currency.clone();
        let written: crate::store::Result<String> = match plan {
            FollowUpSubmission::Add { new, contact_name } => self
                .store
                .write(today, |w| w.add_follow_up(&new))
                .map(|id| {
                    format!(
                        "Follow-up #{} for {}: {}.",
                        id,
                        printable(&contact_name),
                        plan_text(&new.text, new.due, new.every)
                    )
                }),
            FollowUpSubmission::Edit {
                id,
                text,
                due,
                every,
            } => self
                .store
                .write(today, |w| {
                    w.edit_follow_up(id, Some(&text), Some(due), Some(every))
                })
                .map(|f| {
                    format!(
                        "Follow-up #{}: {}.",
                        f.id,
                        plan_text(&f.text, f.due, f.every)
                    )
                }),
            FollowUpSubmission::Snooze { id, due } => self
                .store
                .write(today, |w| w.snooze_follow_up(id, due, now))
                .map(|f| format!("Follow-up #{} put off to {}.", f.id, f.due)),
            FollowUpSubmission::Done { follow_up, log } => self
                .store
                .write_scored(today, |w| {
                    w.complete_follow_up(
                        follow_up.id,
                        now,
                        log.as_ref().map(|l| (l, currency.as_str())),
                    )
                })
                .map(|(done, changes)| {
                    with_changes(
                        done_text(&done.follow_up, log.as_ref().map(|l| l.kind), done.next_due),
                        &changes,
                    )
                }),
        };
        match written {
            Ok(message) => {
                self.app.mode = Mode::Normal;
                self.app.info(message);
                self.after_write();
            }
            Err(e) => self.form_error(e.to_string()),
        }
    }

    /// Deletes a follow-up the user confirmed; `what` names it in the status line.
    pub(super) fn delete_follow_up(&mut self, id: FollowUpId, what: String) {
        match self.store.write(self.app.today, |w| w.remove_follow_up(id)) {
            Ok(_) => {
                self.app.info(format!("Deleted {}.", what));
                self.after_write();
            }
            Err(e) => self.app.error(format!("Cannot delete {}: {}", what, e)),
        }
    }
}
