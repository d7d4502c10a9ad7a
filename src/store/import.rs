//! CSV import: streamed row by row inside one transaction, all-or-nothing.
//! Every bad row is reported with its line number; if there is any, nothing is written.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Result, Store, StoreError, Write};
use crate::domain::contact::split_tags;
use crate::domain::text::unguard_formula;
use crate::domain::{
    dates, money, ContactFields, ContactId, InteractionKind, NewInteraction, Rating,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Contacts,
    Purchases,
    Interactions,
}

/// What the importer needs from the configuration.
pub struct ImportSettings<'a> {
    pub currency: &'a str,
    pub dimensions: &'a [String],
    pub dry_run: bool,
    /// At most this many bad rows are listed (all are counted).
    pub max_errors: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub rows: u64,
    pub contacts_added: u64,
    pub interactions_added: u64,
    pub bad_rows: u64,
    pub errors: Vec<RowError>,
    pub dry_run: bool,
}

impl ImportReport {
    pub fn committed(&self) -> bool {
        self.bad_rows == 0 && !self.dry_run
    }
}

impl Store {
    /// Imports CSV with a header from `input`. Returns the report; nothing is written unless it is clean.
    pub fn import_csv(
        &mut self,
        kind: ImportKind,
        input: impl Read,
        settings: &ImportSettings,
        today: NaiveDate,
    ) -> Result<ImportReport> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::Headers)
            .from_reader(input);
        let headers = reader
            .headers()
            .map_err(|e| {
                StoreError::invalid(format!(
                    "the CSV header cannot be read: {}",
                    csv_message(&e)
                ))
            })?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect::<Vec<_>>();
        let columns = Columns::new(kind, &headers, settings.dimensions)?;
        self.write_if(today, |w| {
            w.expect_many()?;
            let mut importer = Importer {
                w,
                columns,
                settings,
                report: ImportReport {
                    dry_run: settings.dry_run,
                    ..Default::default()
                },
                cache: HashMap::new(),
                referrals: Vec::new(),
            };
            let mut record = csv::StringRecord::new();
            loop {
                let line = reader.position().line() + 1;
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        let line = record.position().map(|p| p.line()).unwrap_or(line);
                        importer.row(kind, line, &record)?
                    }
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(line);
                        importer.report.rows += 1;
                        importer.bad(line, csv_message(&e));
                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                            break;
                        }
                    }
                }
            }
            importer.link_referrals()?;
            let mut report = importer.report;
            // Referrals are checked last; list every problem in file order all the same.
            report.errors.sort_by_key(|e| e.line);
            let commit = report.committed();
            Ok((report, commit))
        })
        .map(|(report, _changes)| report)
    }
}

fn csv_message(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8 text".into(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!(
                "the row has {} field{} but the header has {}",
                len,
                if *len == 1 { "" } else { "s" },
                expected_len
            )
        }
        csv::ErrorKind::Io(e) => format!("the file cannot be read: {}", e),
        _ => err.to_string(),
    }
}

/// Where each known column sits in the header.
struct Columns {
    index: HashMap<String, usize>,
    dimensions: Vec<(String, usize)>,
}

impl Columns {
    fn new(kind: ImportKind, headers: &[String], dimensions: &[String]) -> Result<Columns> {
        let (required, optional): (&[&str], &[&str]) = match kind {
            // Every column `export contacts` writes (name among them) is accepted back.
            ImportKind::Contacts => (&["name"], &super::export::CONTACT_COLUMNS),
            ImportKind::Purchases => (
                &["contact", "date", "amount"],
                &["item", "contact_id", "id", "summary"],
            ),
            ImportKind::Interactions => (
                &["kind", "date"],
                &["contact", "contact_id", "id", "summary", "amount", "item"],
            ),
        };
        let mut index = HashMap::new();
        let mut dims = Vec::new();
        for (i, header) in headers.iter().enumerate() {
            if required.contains(&header.as_str()) || optional.contains(&header.as_str()) {
                if index.insert(header.clone(), i).is_some() {
                    return Err(StoreError::invalid(format!(
                        "column '{}' appears twice in the header",
                        header
                    )));
                }
            } else if kind == ImportKind::Interactions && dimensions.contains(header) {
                dims.push((header.clone(), i));
            } else {
                let mut valid: Vec<&str> = required.iter().chain(optional).copied().collect();
                valid.retain({
                    let mut seen = std::collections::HashSet::new();
                    move |c| seen.insert(*c)
                });
                if kind == ImportKind::Interactions {
                    valid.extend(dimensions.iter().map(String::as_str));
                }
                return Err(StoreError::invalid(format!(
                    "column '{}' is not known; valid columns are {}",
                    crate::domain::text::printable(header),
                    valid.join(", ")
                )));
            }
        }
        if let Some(missing) = required.iter().find(|r| !index.contains_key(**r)) {
            return Err(StoreError::invalid(format!(
                "column '{}' is missing from the header",
                missing
            )));
        }
        if kind == ImportKind::Interactions
            && !index.contains_key("contact")
            && !index.contains_key("contact_id")
        {
            return Err(StoreError::invalid(
                "column 'contact' is missing from the header",
            ));
        }
        Ok(Columns {
            index,
            dimensions: dims,
        })
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        self.index
            .get(name)
            .and_then(|i| record.get(*i))
            .map(|v| unguard_formula(v.trim()))
            .filter(|v| !v.is_empty())
    }
}

struct Importer<'w, 'a, 's> {
    w: &'w mut Write<'a>,
    columns: Columns,
    settings: &'s ImportSettings<'s>,
    report: ImportReport,
    /// Contact references already resolved in this import.
    cache: HashMap<String, ContactId>,
    /// (line, contact, referrer reference) linked once every row is in, so order does not matter.
    referrals: Vec<(u64, ContactId, String)>,
}

impl Importer<'_, '_, '_> {
    fn bad(&mut self, line: u64, message: String) {
        self.report.bad_rows += 1;
        if self.report.errors.len() < self.settings.max_errors {
            self.report.errors.push(RowError { line, message });
        }
    }

    fn row(&mut self, kind: ImportKind, line: u64, record: &csv::StringRecord) -> Result<()> {
        self.report.rows += 1;
        let outcome = match kind {
            ImportKind::Contacts => self.contact_row(line, record),
            ImportKind::Purchases => self.interaction_row(record, Some(InteractionKind::Purchase)),
            ImportKind::Interactions => self.interaction_row(record, None),
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(StoreError::Invalid(message)) => {
                self.bad(line, message);
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    fn contact_row(&mut self, line: u64, record: &csv::StringRecord) -> Result<()> {
        let c = &self.columns;
        let text = |name: &str| c.get(record, name).map(str::to_string);
        let fields = ContactFields {
            name: text("name"),
            external_id: text("external_id"),
            email: text("email"),
            phone: text("phone"),
            company: text("company"),
            tags: c.get(record, "tags").map(split_tags),
            note: c
                .index
                .get("note")
                .and_then(|i| record.get(*i))
                .map(unguard_formula)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            referred_by: None,
        };
        let id = c.get(record, "id").map(|v| parse_id("id", v)).transpose()?;
        let created_at = match c.get(record, "created_at") {
            Some(v) => dates::parse_when(v, self.w.today()).map_err(StoreError::Invalid)?,
            None => self.w.today().and_hms_opt(12, 0, 0).expect("noon"),
        };
        let referrer = text("referred_by");
        // Rows after a bad one are still written (the transaction is rolled back at the end)
        // so that their own problems, such as a taken id or external id, are reported too.
        let new_id = self.w.insert_contact(id, &fields, created_at)?;
        if let Some(reference) = referrer {
            self.referrals.push((line, new_id, reference));
        }
        self.report.contacts_added += 1;
        Ok(())
    }

    fn interaction_row(
        &mut self,
        record: &csv::StringRecord,
        fixed_kind: Option<InteractionKind>,
    ) -> Result<()> {
        let c = &self.columns;
        let kind = match fixed_kind {
            Some(kind) => kind,
            None => c
                .get(record, "kind")
                .unwrap_or("")
                .parse::<InteractionKind>()
                .map_err(StoreError::Invalid)?,
        };
        let date = c
            .get(record, "date")
            .ok_or_else(|| StoreError::invalid("date is missing"))?;
        let occurred_at = dates::parse_when(date, self.w.today()).map_err(StoreError::Invalid)?;
        let amount = match c.get(record, "amount") {
            Some(v) => Some(money::parse_amount(v).map_err(StoreError::Invalid)?),
            None => None,
        };
        let mut ratings = Vec::new();
        for (dimension, i) in &c.dimensions {
            if let Some(value) = record.get(*i).map(str::trim).filter(|v| !v.is_empty()) {
                let stars = value
                    .parse::<u8>()
                    .ok()
                    .filter(|s| (1..=5).contains(s))
                    .ok_or_else(|| {
                        StoreError::invalid(format!(
                            "rating {}={} is out of range; stars go from 1 to 5",
                            dimension, value
                        ))
                    })?;
                ratings.push(Rating {
                    dimension: dimension.clone(),
                    stars,
                });
            }
        }
        let id = c.get(record, "id").map(|v| parse_id("id", v)).transpose()?;
        let contact_id = match (c.get(record, "contact_id"), c.get(record, "contact")) {
            (Some(v), Some(reference)) => {
                // An export names the contact both ways; if they disagree the ids were renumbered.
                let id = parse_id("contact_id", v)?;
                let named = resolve_cached(&mut self.cache, self.w, reference)?;
                if id != named {
                    return Err(StoreError::invalid(format!(
                        "contact_id '{}' does not match contact '{}' (#{}); leave one of the two columns empty",
                        v,
                        crate::domain::text::printable(reference),
                        named
                    )));
                }
                id
            }
            (Some(v), None) => parse_id("contact_id", v)?,
            (None, Some(reference)) => resolve_cached(&mut self.cache, self.w, reference)?,
            (None, None) => return Err(StoreError::invalid("contact is missing")),
        };
        let new = NewInteraction {
            contact_id,
            kind,
            occurred_at,
            summary: c.get(record, "summary").map(str::to_string),
            amount,
            item: c.get(record, "item").map(str::to_string),
            ratings,
        };
        super::interactions::validate(&new, self.w.today())?;
        self.w
            .insert_interaction(id, &new, self.settings.currency)?;
        self.report.interactions_added += 1;
        Ok(())
    }

    fn link_referrals(&mut self) -> Result<()> {
        for (line, contact, reference) in std::mem::take(&mut self.referrals) {
            match resolve_exact(self.w, &reference) {
                Ok(referrer) if referrer == contact => self.bad(
                    line,
                    format!("referred_by '{}' names the contact itself", reference),
                ),
                Ok(referrer) => {
                    self.w.tx().execute(
                        "UPDATE contacts SET referred_by = ?1 WHERE id = ?2",
                        [referrer, contact],
                    )?;
                    self.w.touch(referrer);
                }
                Err(StoreError::Invalid(message)) => {
                    self.bad(line, format!("referred_by: {}", message))
                }
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }
}

/// [`resolve_exact`] remembering answers, since imports name the same contacts again and again.
fn resolve_cached(
    cache: &mut HashMap<String, ContactId>,
    w: &Write,
    reference: &str,
) -> Result<ContactId> {
    if let Some(id) = cache.get(reference) {
        return Ok(*id);
    }
    let id = resolve_exact(w, reference)?;
    cache.insert(reference.to_string(), id);
    Ok(id)
}

fn parse_id(field: &str, value: &str) -> Result<i64> {
    value
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            StoreError::invalid(format!(
                "{} '{}' is not a positive whole number",
                field, value
            ))
        })
}

/// Exact resolution for imports: `#id`, then external id, then the full name in any case.
pub(crate) fn resolve_exact(w: &Write, reference: &str) -> Result<ContactId> {
    use rusqlite::OptionalExtension;
    let tx = w.tx();
    if let Some(id) = reference
        .strip_prefix('#')
        .and_then(|v| v.parse::<i64>().ok())
    {
        let found: Option<i64> = tx
            .prepare_cached("SELECT id FROM contacts WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        return found
            .ok_or_else(|| StoreError::invalid(format!("contact '{}' does not exist", reference)));
    }
    // The order `resolve_contact` uses: the exact external id, the name in any case, then the
    // external id in any case (after the name, so an id folding to a name never hides that person).
    let ids_where = |condition: &str| -> Result<Vec<i64>> {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT id FROM contacts WHERE {condition} LIMIT 2"
        ))?;
        let ids = stmt
            .query_map([reference], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    };
    if let [id] = ids_where("external_id = ?1")?.as_slice() {
        return Ok(*id);
    }
    let mut ids = ids_where("name = ?1 COLLATE NOCASE")?;
    if ids.is_empty() {
        ids = ids_where("external_id = ?1 COLLATE NOCASE")?;
    }
    match ids.as_slice() {
        [id] => Ok(*id),
        [] => Err(StoreError::invalid(format!(
            "no contact has the external id or name '{}'",
            crate::domain::text::printable(reference)
        ))),
        _ => Err(StoreError::invalid(format!(
            "contact '{}' is ambiguous: several contacts have that name; use their external id",
            crate::domain::text::printable(reference)
        ))),
    }
}
