//! One line of editable text with a cursor, for forms, the filter and the command line.

use super::action::Action;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
}

impl LineInput {
    pub fn new(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(self.text.len())
    }

    /// Applies an editing action; returns whether the action was an edit (false: not for this line).
    pub fn apply(&mut self, action: Action) -> bool {
        let len = self.text.chars().count();
        match action {
            Action::Insert(c) => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
            }
            Action::DeleteBack => {
                if self.cursor > 0 {
                    let at = self.byte_at(self.cursor - 1);
                    self.text.remove(at);
                    self.cursor -= 1;
                }
            }
            Action::DeleteForward => {
                if self.cursor < len {
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            Action::CursorLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::CursorRight => self.cursor = (self.cursor + 1).min(len),
            Action::CursorHome => self.cursor = 0,
            Action::CursorEnd => self.cursor = len,
            Action::ClearLine => {
                self.text.clear();
                self.cursor = 0;
            }
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_at_the_cursor_with_wide_characters() {
        let mut line = LineInput::new("李明");
        line.apply(Action::CursorLeft);
        line.apply(Action::Insert('x'));
        assert_eq!(line.text(), "李x明");
        line.apply(Action::DeleteBack);
        line.apply(Action::DeleteBack);
        assert_eq!(line.text(), "明");
        line.apply(Action::CursorEnd);
        line.apply(Action::DeleteForward);
        assert_eq!(line.text(), "明");
        assert!(!line.apply(Action::Submit));
        line.apply(Action::ClearLine);
        assert_eq!((line.text(), line.cursor()), ("", 0));
    }
}
