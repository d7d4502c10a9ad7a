//! What a search matches (`list ... --search`, the TUI's `/`), read from the full-text indexes of
//! migration 8 instead of scanning every row.
//!
//! A row matches when the search text occurs in one of its fields as a substring (any case, as a
//! plain `LIKE '%text%'` would find it), or when every word of the search begins a word of the
//! row, diacritics folded (`muller` finds `Müller`, `jo mul` finds `Jonas Müller`). Substrings are
//! found through the trigram index, so a text shorter than three characters, or one holding a
//! `%` or `_`, is looked for by scanning the rows as before (words still come from the index).
//! Interactions are ranked: whole-word matches of every search word first, then the rest; the
//! newest first within each.

use rusqlite::types::Value;

use super::contacts::like_escape;

/// The searchable fields of a contact (`c`), in the order of the indexes' columns.
const CONTACT_FIELDS: [&str; 5] = ["name", "company", "email", "tags", "note"];
/// The searchable fields of an interaction (`i`); its client's name is searched too.
const INTERACTION_FIELDS: [&str; 2] = ["summary", "item"];

/// A search, ready to be bound as one SQL parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Search {
    /// Every word as a word prefix (FTS5 syntax, each word quoted), if any word has a letter or digit.
    prefixes: Option<String>,
    /// Every word as a whole word, for ranking.
    words: Option<String>,
    /// `%text%`: through the trigram index (unescaped), or as a scan (escaped) when it cannot be.
    substring: String,
    /// Whether the substring is looked for by scanning the rows.
    scan: bool,
}

impl Search {
    /// None for no search (nothing, or only spaces, given).
    pub fn new(text: Option<&str>) -> Option<Search> {
        let text = text.map(str::trim).filter(|t| !t.is_empty())?;
        let scan = text.chars().count() < 3 || text.contains(['%', '_']);
        let terms: Vec<String> = text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            // A quoted FTS5 string takes any text; its only special character is the quote.
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        let joined = |suffix: &str| {
            (!terms.is_empty()).then(|| {
                terms
                    .iter()
                    .map(|t| format!("{t}{suffix}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        };
        Some(Search {
            prefixes: joined("*"),
            words: joined(""),
            substring: if scan {
                format!("%{}%", like_escape(text))
            } else {
                format!("%{text}%")
            },
            scan,
        })
    }

    /// The value of the one parameter every condition here reads: `[prefixes, words, substring]`.
    pub fn value(&self) -> Value {
        Value::Text(serde_json::json!([self.prefixes, self.words, self.substring]).to_string())
    }

    /// SQL that is true for the contacts `c` this search matches, reading parameter `?{n}`.
    /// `lookup: false` keeps SQLite from looking the matches up by id (unary `+`), so a page can
    /// walk a sort's index and test each contact against the matches instead.
    pub fn contacts(&self, n: usize, lookup: bool) -> String {
        let mut any = self.substring_matches("c", &CONTACT_FIELDS, "contacts_grams", n);
        if self.prefixes.is_some() {
            any.push(format!(
                "c.id IN (SELECT rowid FROM contacts_words WHERE contacts_words MATCH (?{n} ->> 0))"
            ));
        }
        let any = any.join(" OR ");
        match lookup {
            true => format!("({any})"),
            false => format!("({})", any.replace("c.id IN", "+c.id IN")),
        }
    }

    /// SQL that is true for the interactions `i` (with their contact `c`) this search matches.
    pub fn interactions(&self, n: usize) -> String {
        let mut any = self.substring_matches("i", &INTERACTION_FIELDS, "interactions_grams", n);
        any.push(if self.scan {
            format!("c.name LIKE (?{n} ->> 2) ESCAPE '\\'")
        } else {
            // The matching clients first (a few rows), then their interactions by the contact index.
            format!(
                "i.contact_id IN (SELECT rowid FROM contacts_grams WHERE name LIKE (?{n} ->> 2))"
            )
        });
        if self.prefixes.is_some() {
            any.push(format!(
                "i.id IN (SELECT rowid FROM interactions_words WHERE interactions_words MATCH (?{n} ->> 0))"
            ));
            any.push(format!(
                "i.contact_id IN (SELECT rowid FROM contacts_words WHERE contacts_words MATCH ('name : (' || (?{n} ->> 0) || ')'))"
            ));
        }
        format!("({})", any.join(" OR "))
    }

    /// The ORDER BY key that puts interactions matching every word whole first (0) and the rest
    /// after (1); empty when there are no words to rank by.
    pub fn interaction_rank(&self, n: usize) -> String {
        match self.words {
            Some(_) => format!(
                "(i.id NOT IN (SELECT rowid FROM interactions_words WHERE interactions_words MATCH (?{n} ->> 1))
                  AND i.contact_id NOT IN (SELECT rowid FROM contacts_words WHERE contacts_words MATCH ('name : (' || (?{n} ->> 1) || ')'))), "
            ),
            None => String::new(),
        }
    }

    /// The substring conditions over `fields` of `alias`: by the trigram `index`, or a scan.
    fn substring_matches(
        &self,
        alias: &str,
        fields: &[&str],
        index: &str,
        n: usize,
    ) -> Vec<String> {
        if self.scan {
            return fields
                .iter()
                .map(|f| format!("{alias}.{f} LIKE (?{n} ->> 2) ESCAPE '\\'"))
                .collect();
        }
        let id = if alias == "i" { "i.id" } else { "c.id" };
        let each: Vec<String> = fields
            .iter()
            .map(|f| format!("SELECT rowid FROM {index} WHERE {f} LIKE (?{n} ->> 2)"))
            .collect();
        vec![format!("{id} IN ({})", each.join(" UNION ALL "))]
    }
}

/// The condition over contacts `c` of an optional search and the value of its parameter `?1`:
/// with no search, everyone (the parameter is then NULL). `lookup`: see [`Search::contacts`].
pub(crate) fn contacts_matching(text: Option<&str>, lookup: bool) -> (String, Value) {
    match Search::new(text) {
        Some(search) => (search.contacts(1, lookup), search.value()),
        None => ("?1 IS NULL".to_string(), Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_and_punctuation_alone_is_no_word() {
        let s = Search::new(Some(r#" Mül"ler  NEAR( * AND "#)).unwrap();
        assert_eq!(
            s.prefixes.as_deref(),
            Some(r#""Mül""ler"* "NEAR("* "AND"*"#)
        );
        assert!(!s.scan);
        assert_eq!(Search::new(Some("   ")), None);
        let short = Search::new(Some("_*")).unwrap();
        assert!(short.scan && short.prefixes.is_none());
        assert_eq!(short.substring, "%\\_*%");
    }
}
