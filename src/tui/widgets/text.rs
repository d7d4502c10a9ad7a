//! Text fitted to terminal columns: user data made printable, cut with `…` by display width
//! (wide CJK and emoji count double), padded so columns line up.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::text::printable;

/// User data as it may be shown: control characters escaped, newlines as `\n`.
pub fn safe(text: &str) -> String {
    printable(text).into_owned()
}

pub fn width(text: &str) -> usize {
    text.width()
}

/// Cuts `text` to at most `max` columns, ending with `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// Exactly `cols` columns: clipped, then padded on the right.
pub fn pad(text: &str, cols: usize) -> String {
    let mut out = clip(text, cols);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Exactly `cols` columns, right-aligned (numbers).
pub fn pad_left(text: &str, cols: usize) -> String {
    let clipped = clip(text, cols);
    let w = clipped.width();
    let mut out: String = std::iter::repeat_n(' ', cols.saturating_sub(w)).collect();
    out.push_str(&clipped);
    out
}

/// Greedy word wrap to `cols` columns (long words are cut); at least one line.
pub fn wrap(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if needed > cols && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if line.width() > cols {
            lines.push(clip(&line, cols));
            line.clear();
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_are_measured_and_cut_by_columns() {
        assert_eq!(pad("李小龙", 5), "李小…");
        assert_eq!(pad("李小龙", 5).width(), 5);
        assert_eq!(pad("Ana 🌟", 8).width(), 8);
        assert_eq!(pad_left("1,200", 7), "  1,200");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(safe("Eve\x1b[2J"), "Eve\\u{1b}[2J");
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
    }
}
