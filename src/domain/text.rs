//! Text from the database is the user's, but it must never drive the terminal:
//! control characters and escape sequences are shown as visible escapes instead.

/// "1 purchase", "3 purchases": a count with its noun in the right number.
pub fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{} {}", n, if n == 1 { one } else { many })
}

/// Replaces control characters (C0, DEL, C1) with `\u{..}`-style visible text; keeps everything else.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Like [`printable`] but keeps newlines, for multi-line notes.
pub fn printable_multiline(text: &str) -> String {
    text.split('\n')
        .map(|line| printable(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Refuses control characters in a one-line field (a name, an email, a tag): stored, they would
/// reach every terminal and spreadsheet the field is later shown in.
pub fn check_one_line(field: &str, value: &str) -> Result<(), String> {
    check_controls(field, value, |_| false)
}

/// Like [`check_one_line`] but lets line breaks and tabs through, for notes and summaries.
pub fn check_multiline(field: &str, value: &str) -> Result<(), String> {
    check_controls(field, value, |c| matches!(c, '\n' | '\r' | '\t'))
}

fn check_controls(field: &str, value: &str, allowed: fn(char) -> bool) -> Result<(), String> {
    match value.chars().find(|&c| c.is_control() && !allowed(c)) {
        None => Ok(()),
        Some(c) => Err(format!(
            "{} '{}' contains the control character \\u{{{:x}}}; type it without control characters",
            field,
            printable(value),
            c as u32
        )),
    }
}

/// Turns control characters into spaces in one-line text the user did not type (a mail's
/// subject), where refusing would throw away the whole message.
pub fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
    )
}

/// What makes a spreadsheet read a CSV cell as a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn reads_as_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A CSV cell a spreadsheet will show as text: one leading `'` before anything it would run as a
/// formula (`=HYPERLINK(..)`, `+33 6..`), and before a `'` that already stands there, so
/// [`unguard_formula`] gives back exactly what was stored.
pub fn guard_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if reads_as_formula(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Undoes [`guard_formula`] on an imported cell.
pub fn unguard_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if reads_as_formula(rest) => rest,
        _ => cell,
    }
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || ('\u{200e}'..='\u{200f}').contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_survive() {
        let hostile = "Eve\x1b[2J\x1b]0;pwned\x07\u{9b}31m";
        let shown = printable(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown}");
        assert!(shown.starts_with("Eve\\u{1b}[2J"));
        assert_eq!(printable("Ana Ruiz 🌟 李"), "Ana Ruiz 🌟 李");
    }

    #[test]
    fn control_characters_are_refused_with_the_field_and_a_visible_value() {
        assert_eq!(
            check_one_line("name", "Evil\x1b]0;pwned\x07Name"),
            Err(
                "name 'Evil\\u{1b}]0;pwned\\u{7}Name' contains the control character \\u{1b}; \
                 type it without control characters"
                    .into()
            )
        );
        assert!(check_one_line("name", "C1\u{9b}31m").is_err());
        assert!(check_one_line("name", "two\nlines").is_err());
        assert_eq!(check_one_line("name", "李小龍 🌟 \u{202e}bidi"), Ok(()));
        assert_eq!(check_multiline("note", "first\r\nsecond\tthird"), Ok(()));
        assert!(check_multiline("note", "bell\x07").is_err());
        assert_eq!(without_controls("Re:\x1b[2J hi\n"), "Re: [2J hi ");
    }

    #[test]
    fn formula_guard_quotes_what_a_spreadsheet_would_run_and_undoes_exactly() {
        let cases = [
            (
                "=HYPERLINK(\"http://x\",\"x\")",
                "'=HYPERLINK(\"http://x\",\"x\")",
            ),
            ("+33 6 12", "'+33 6 12"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("'=already quoted", "''=already quoted"),
            ("'plain", "'plain"),
            ("Ana Ruiz", "Ana Ruiz"),
            ("", ""),
            ("'", "'"),
        ];
        for (stored, cell) in cases {
            assert_eq!(guard_formula(stored), cell, "guard of {stored:?}");
            assert_eq!(unguard_formula(cell), stored, "unguard of {cell:?}");
        }
    }
}
