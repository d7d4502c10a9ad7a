//! Draft templates: `{first_name}` placeholders, `{next_offer|our newer services}` with a
//! fallback for a value the contact may not have, `{{` and `}}` for literal braces. Pure text:
//! the values are gathered elsewhere.

use std::collections::BTreeMap;

/// Every placeholder a template may use, with what it stands for (for the docs and errors).
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("first_name", "the first word of the contact's name"),
    ("name", "the contact's full name"),
    ("company", "the contact's company"),
    ("stage", "the lifecycle stage (New, At risk, …)"),
    ("action", "the action the draft is for (win-back call, …)"),
    ("last_service", "the item of the last purchase"),
    (
        "last_purchase",
        "the date of the last purchase (YYYY-MM-DD)",
    ),
    ("days_since", "whole days since the last purchase"),
    (
        "next_offer",
        "the next-best offer: what clients like this one bought next",
    ),
    (
        "satisfaction",
        "the satisfaction score as a percentage (80%)",
    ),
    ("my_name", "your name, from the From address"),
];

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Brace(char),
    Slot {
        name: &'a str,
        fallback: Option<&'a str>,
    },
}

/// Why a template cannot be used as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{lastname}`: not in [`PLACEHOLDERS`].
    Unknown(String),
    /// A `{` without its `}`, or a lone `}`.
    Unbalanced,
    /// The contact has no value for this placeholder and the template gives no fallback.
    Missing(String),
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Unknown(name) => write!(
                f,
                "uses the unknown placeholder {{{}}}; known ones are {}",
                name,
                PLACEHOLDERS
                    .iter()
                    .map(|(n, _)| format!("{{{n}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TemplateError::Unbalanced => f.write_str(
                "has an unclosed '{' or a lone '}' (write {{ and }} for literal braces)",
            ),
            TemplateError::Missing(name) => write!(
                f,
                "uses {{{name}}}, which this contact has no value for; give it a fallback such as {{{name}|…}}"
            ),
        }
    }
}

fn parse(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        if i > 0 {
            pieces.push(Piece::Text(&rest[..i]));
        }
        let after = &rest[i + 1..];
        let brace = rest.as_bytes()[i] as char;
        if after.starts_with(brace) {
            pieces.push(Piece::Brace(brace));
            rest = &after[1..];
            continue;
        }
        if brace == '}' {
            return Err(TemplateError::Unbalanced);
        }
        let end = after.find('}').ok_or(TemplateError::Unbalanced)?;
        let inner = &after[..end];
        if inner.contains('{') {
            return Err(TemplateError::Unbalanced);
        }
        let (name, fallback) = match inner.split_once('|') {
            Some((name, fallback)) => (name.trim(), Some(fallback)),
            None => (inner.trim(), None),
        };
        if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
            return Err(TemplateError::Unknown(name.to_string()));
        }
        pieces.push(Piece::Slot { name, fallback });
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

/// Checks a template's syntax and placeholder names without any contact (config validation).
pub fn check(text: &str) -> Result<(), TemplateError> {
    parse(text).map(|_| ())
}

/// Fills `text` from `values` (placeholder → value; absent or empty means "no value").
pub fn render(text: &str, values: &BTreeMap<&str, String>) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len() + 32);
    for piece in parse(text)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Brace(c) => out.push(c),
            Piece::Slot { name, fallback } => {
                match (values.get(name).filter(|v| !v.is_empty()), fallback) {
                    (Some(value), _) => out.push_str(value),
                    (None, Some(fallback)) => out.push_str(fallback),
                    (None, None) => return Err(TemplateError::Missing(name.to_string())),
                }
            }
        }
    }
    Ok(out)
}

/// "Zoë Ångström" → "Zoë"; a name of one word is its own first name.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("first_name", "Zoë".to_string()),
            ("days_since", "42".to_string()),
            ("next_offer", String::new()),
        ])
    }

    #[test]
    fn fills_placeholders_fallbacks_and_braces() {
        let text = "Hi {first_name}, {days_since} days {{really}}; try {next_offer|our new work}.";
        assert_eq!(
            render(text, &values()).unwrap(),
            "Hi Zoë, 42 days {really}; try our new work."
        );
        assert_eq!(render("{ first_name }", &values()).unwrap(), "Zoë");
    }

    #[test]
    fn unknown_missing_and_unbalanced_are_errors() {
        assert_eq!(
            check("Dear {lastname}"),
            Err(TemplateError::Unknown("lastname".into()))
        );
        assert_eq!(check("Dear {name"), Err(TemplateError::Unbalanced));
        assert_eq!(check("Dear name}"), Err(TemplateError::Unbalanced));
        assert_eq!(
            render("{next_offer}", &values()),
            Err(TemplateError::Missing("next_offer".into()))
        );
        assert_eq!(
            render("{satisfaction}", &values()),
            Err(TemplateError::Missing("satisfaction".into()))
        );
        let message = TemplateError::Unknown("lastname".into()).to_string();
        assert!(message.contains("{lastname}") && message.contains("{first_name}"));
    }

    #[test]
    fn first_name_is_the_first_word() {
        assert_eq!(first_name("Zoë Ångström"), "Zoë");
        assert_eq!(first_name("  Cher "), "Cher");
        assert_eq!(first_name(""), "");
    }
}
