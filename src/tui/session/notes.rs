//! The contact's note through `$EDITOR` (`E`): read for the editor, saved when it changed.

use super::Session;
use crate::domain::{ContactFields, ContactId};

impl Session {
    /// The contact's note, for the editor.
    pub fn note(&self, id: ContactId) -> Result<String, String> {
        self.store
            .contact(id)
            .map(|c| c.note.unwrap_or_default())
            .map_err(|e| e.to_string())
    }

    /// Saves an edited note (trailing blank lines dropped); unchanged text writes nothing.
    pub fn save_note(&mut self, id: ContactId, before: &str, after: &str) {
        let after = after.trim_end();
        if after == before.trim_end() {
            self.app.info("Note unchanged.");
            return;
        }
        let fields = ContactFields {
            note: Some(after.to_string()),
            ..ContactFields::default()
        };
        match self
            .store
            .write_scored(self.app.today, |w| w.edit_contact(id, &fields))
        {
            Ok(_) => {
                self.app.info("Note saved.");
                self.after_write();
            }
            Err(e) => self.app.error(format!("Cannot save the note: {}", e)),
        }
        self.refresh();
    }
}
