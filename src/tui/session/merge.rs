//! Merging a likely duplicate from the workspace: the popup's dry run, then the merge itself,
//! both through the store's `merge_contacts`, as `rapport merge` and its `--dry-run` do.

use super::{with_changes, Session};
use crate::cli::merge::describe;
use crate::domain::ContactId;
use crate::tui::state::Mode;

impl Session {
    /// Reads what merging the pair shown in the popup would move, in a write that is rolled
    /// back; once per pair.
    pub(super) fn preview_merge(&mut self) {
        let Mode::Merge(prompt) = &mut self.app.mode else {
            return;
        };
        if prompt.preview().is_some() {
            return;
        }
        let (keep, other) = prompt.pair();
        let result = self
            .store
            .write_if(self.app.today, |w| {
                Ok((w.merge_contacts(keep, other)?, false))
            })
            .map(|(merged, _)| merged)
            .map_err(|e| e.to_string());
        prompt.preview = Some(((keep, other), result));
    }

    /// Merges `other` into `keep` in one write (re-scored), then selects the contact kept and
    /// says what moved, as the CLI does. A merge erases `other`: it has no undo, hence the popup.
    pub(super) fn merge(&mut self, keep: ContactId, other: ContactId) {
        let names = self
            .store
            .contact(keep)
            .and_then(|k| Ok((k.name, self.store.contact(other)?.name)));
        let done = names.and_then(|names| {
            self.store
                .write_scored(self.app.today, |w| w.merge_contacts(keep, other))
                .map(|result| (names, result))
        });
        match done {
            Ok(((keep_name, other_name), (merged, changes))) => {
                self.after_write();
                self.jump(keep);
                let what = describe(&merged, (keep, &keep_name), (other, &other_name));
                let changes: Vec<_> = changes
                    .into_iter()
                    .filter(|c| c.after.contact_id == keep)
                    .collect();
                self.app.info(with_changes(
                    format!("Merged {what}; #{other} is erased."),
                    &changes,
                ));
            }
            Err(e) => self.app.error(format!("Cannot merge: {e}")),
        }
    }
}
