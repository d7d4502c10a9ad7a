//! The merge popup's state: the open contact's likely duplicates, which one is chosen, which of
//! the two is kept, and what merging them would move. Plain data and key handling, no I/O: the
//! session fills in the dry run and does the merge.

use super::action::Action;
use crate::domain::text::printable;
use crate::domain::ContactId;
use crate::store::Merged;

/// A likely duplicate of the contact in the detail pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub id: ContactId,
    pub name: String,
    /// "same email a@b.c", as `rapport duplicates` says it.
    pub reasons: Vec<String>,
}

/// A contact as the popup names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub id: ContactId,
    pub name: String,
}

/// What a dry run of one pair (keep, other) found: what would move, or why it cannot be merged.
pub type Preview = ((ContactId, ContactId), Result<Merged, String>);

#[derive(Debug, Clone, PartialEq)]
pub struct MergePrompt {
    /// The contact whose detail is open.
    pub open: Side,
    /// Never empty.
    pub candidates: Vec<Duplicate>,
    pub chosen: usize,
    /// Keep the newer of the two instead of the older (the CLI's default keep).
    pub swapped: bool,
    /// The dry run of a pair; the session reads it whenever the pair shown changes.
    pub preview: Option<Preview>,
}

/// What a key in the popup asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Stay,
    Cancel,
    Merge { keep: ContactId, other: ContactId },
}

impl MergePrompt {
    /// The popup for `open`, or what to say instead: its duplicates are still being looked for
    /// (None) or there are none.
    pub fn open(open: Side, duplicates: Option<&[Duplicate]>) -> Result<MergePrompt, String> {
        let name = printable(&open.name).into_owned();
        match duplicates {
            None => Err(format!(
                "Still looking for likely duplicates of {name}; try again in a moment."
            )),
            Some([]) => Err(format!(
                "No likely duplicates of {name}: no other contact shares its email, phone or name."
            )),
            Some(list) => Ok(MergePrompt {
                open,
                candidates: list.to_vec(),
                chosen: 0,
                swapped: false,
                preview: None,
            }),
        }
    }

    pub fn candidate(&self) -> &Duplicate {
        &self.candidates[self.chosen.min(self.candidates.len() - 1)]
    }

    /// (kept, merged into it and erased): the older contact is kept unless swapped.
    pub fn sides(&self) -> (Side, Side) {
        let candidate = self.candidate();
        let other = Side {
            id: candidate.id,
            name: candidate.name.clone(),
        };
        let (older, newer) = if self.open.id < other.id {
            (self.open.clone(), other)
        } else {
            (other, self.open.clone())
        };
        if self.swapped {
            (newer, older)
        } else {
            (older, newer)
        }
    }

    pub fn pair(&self) -> (ContactId, ContactId) {
        let (keep, other) = self.sides();
        (keep.id, other.id)
    }

    /// The dry run of the pair shown, once read.
    pub fn preview(&self) -> Option<&Result<Merged, String>> {
        self.preview
            .as_ref()
            .filter(|(pair, _)| *pair == self.pair())
            .map(|(_, result)| result)
    }

    /// y merges, n or Esc cancels, Tab swaps which is kept, up and down choose the candidate;
    /// other keys do nothing (a stray key must not merge, nor lose the popup).
    pub fn answer(&mut self, action: Action) -> Answer {
        match action {
            Action::Insert('y' | 'Y') => {
                let (keep, other) = self.pair();
                return Answer::Merge { keep, other };
            }
            Action::Insert('n' | 'N') | Action::Cancel => return Answer::Cancel,
            Action::NextField | Action::PrevField => self.swapped = !self.swapped,
            Action::Down | Action::Insert('j') => self.choose(self.chosen + 1),
            Action::Up | Action::Insert('k') => self.choose(self.chosen.saturating_sub(1)),
            _ => {}
        }
        Answer::Stay
    }

    fn choose(&mut self, index: usize) {
        let index = index.min(self.candidates.len() - 1);
        if index != self.chosen {
            self.chosen = index;
            self.swapped = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt() -> MergePrompt {
        let duplicate = |id, name: &str| Duplicate {
            id,
            name: name.into(),
            reasons: vec!["same name".into()],
        };
        let open = Side {
            id: 5,
            name: "Ana".into(),
        };
        MergePrompt::open(open, Some(&[duplicate(2, "ana"), duplicate(9, "ANA")])).unwrap()
    }

    #[test]
    fn the_older_is_kept_until_swapped_and_a_new_candidate_starts_over() {
        let mut p = prompt();
        assert_eq!(p.pair(), (2, 5));
        assert_eq!(p.answer(Action::NextField), Answer::Stay);
        assert_eq!(p.pair(), (5, 2));
        p.answer(Action::Down);
        assert_eq!(p.pair(), (5, 9));
        p.answer(Action::Down);
        assert_eq!(p.chosen, 1, "the last candidate stays chosen");
        p.answer(Action::PrevField);
        assert_eq!(
            p.answer(Action::Insert('y')),
            Answer::Merge { keep: 9, other: 5 }
        );
    }

    #[test]
    fn only_y_merges_and_n_or_esc_cancel() {
        let mut p = prompt();
        for stray in [Action::Submit, Action::Insert('m'), Action::DeleteBack] {
            assert_eq!(p.answer(stray), Answer::Stay);
        }
        assert_eq!(p.answer(Action::Insert('n')), Answer::Cancel);
        assert_eq!(p.answer(Action::Cancel), Answer::Cancel);
    }

    #[test]
    fn a_preview_of_another_pair_is_not_shown() {
        let mut p = prompt();
        p.preview = Some(((2, 5), Ok(Merged::default())));
        assert!(p.preview().is_some());
        p.answer(Action::NextField);
        assert!(p.preview().is_none());
    }

    #[test]
    fn no_popup_without_duplicates() {
        let open = Side {
            id: 1,
            name: "Bo".into(),
        };
        assert!(MergePrompt::open(open.clone(), None)
            .unwrap_err()
            .starts_with("Still looking"));
        assert!(MergePrompt::open(open, Some(&[]))
            .unwrap_err()
            .starts_with("No likely duplicates of Bo"));
    }
}
