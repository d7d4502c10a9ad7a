//! What a search matches (`list ... --search`, the TUI's `/`), read from the full-text indexes of
//! migration 9 instead of scanning every row.
//!
//! A row matches when the search text occurs in one of its fields as a substring (any case, as a
//! plain `LIKE '%text%'` would find it), or when every word of the search begins a word of the
//! row, diacritics folded (`muller` finds `Müller`, `jo mul` finds `Jonas Müller`). Substrings are
//! found through the trigram index, so a text shorter than three characters, or one holding a
//! `%`, `_` or a control character, is looked for only as a substring, by scanning the rows as
//! before (that scan stops once a page is full; a word query beside it would read every match).
//! Interactions are ranked: whole-word matches of every search word first, then the rest; the
//! newest first within each.

use rusqlite::types::Value;

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
        // (A control character could match across the separator of the summary and item.)
        let scan = text.chars().count() < 3
            || text.contains(['%', '_'])
            || text.contains(char::is_control);
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
        if self.scan {
            let scanned = CONTACT_FIELDS.map(|f| format!("c.{f} LIKE (?{n} ->> 2) ESCAPE '\\'"));
            return format!("({})", scanned.join(" OR "));
        }
        let plus = if lookup { "" } else { "+" };
        let mut ids = self.word_ids("contacts_words", "", n, 0);
        ids.extend(self.gram_ids("contacts_grams", n));
        format!("{plus}c.id IN ({})", ids.join(" UNION "))
    }

    /// SQL that is true for the interactions `i` (with their contact `c`) this search matches.
    /// One set of ids (a union of index lookups) is looked up by id: an OR of several `IN`s made
    /// SQLite test every match against each of them again.
    pub fn interactions(&self, n: usize) -> String {
        if self.scan {
            let scanned =
                INTERACTION_FIELDS.map(|f| format!("i.{f} LIKE (?{n} ->> 2) ESCAPE '\\'"));
            return format!(
                "({} OR c.name LIKE (?{n} ->> 2) ESCAPE '\\')",
                scanned.join(" OR ")
            );
        }
        let mut ids = self.word_ids("interactions_words", "", n, 0);
        let mut clients = self.word_ids("contacts_words", "name", n, 0);
        ids.extend(self.gram_ids("interactions_grams", n));
        // The contacts' trigram column holds all their fields: the name is checked on the row.
        clients.push(format!(
            "SELECT g.rowid FROM contacts_grams g JOIN contacts n ON n.id = g.rowid
             WHERE g.text LIKE (?{n} ->> 2) AND n.name LIKE (?{n} ->> 2)"
        ));
        // The matching clients first (a few rows), then their interactions by the contact index.
        ids.push(format!(
            "SELECT x.id FROM interactions x WHERE x.contact_id IN ({})",
            clients.join(" UNION ")
        ));
        format!("i.id IN ({})", ids.join(" UNION "))
    }

    /// The ORDER BY key that puts interactions matching every word whole first (0) and the rest
    /// after (1); empty when there are no words to rank by, or the rows are scanned.
    pub fn interaction_rank(&self, n: usize) -> String {
        if self.words.is_none() || self.scan {
            return String::new();
        }
        let ids = self.word_ids("interactions_words", "", n, 1).join("");
        let clients = self.word_ids("contacts_words", "name", n, 1).join("");
        format!("(i.id NOT IN ({ids}) AND i.contact_id NOT IN ({clients})), ")
    }

    /// The ids the word `index` finds for the query at `?{n} ->> {at}` (prefixes 0, words 1), in
    /// `column` only unless empty: none when the search has no words.
    fn word_ids(&self, index: &str, column: &str, n: usize, at: usize) -> Vec<String> {
        if self.prefixes.is_none() {
            return Vec::new();
        }
        let query = match column {
            "" => format!("(?{n} ->> {at})"),
            column => format!("('{column} : (' || (?{n} ->> {at}) || ')')"),
        };
        vec![format!(
            "SELECT rowid FROM {index} WHERE {index} MATCH {query}"
        )]
    }

    /// The ids whose text holds the substring, through the trigram `index` (one column: the
    /// fields joined, migration 9).
    fn gram_ids(&self, index: &str, n: usize) -> Vec<String> {
        vec![format!(
            "SELECT rowid FROM {index} WHERE text LIKE (?{n} ->> 2)"
        )]
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

/// Escapes LIKE wildcards so a search for `50%` matches literally.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
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
