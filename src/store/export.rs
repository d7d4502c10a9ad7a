//! Export of contacts and interactions as CSV or JSON, streamed; the CSV imports back unchanged.

use std::io::Write as IoWrite;

use rusqlite::params;

use super::contacts::contact_from_row;
use super::{Result, Store, StoreError};
use crate::domain::text::guard_formula;
use crate::domain::{dates, money, Contact};

/// The columns of `export contacts`, which `import contacts` takes back.
pub const CONTACT_COLUMNS: [&str; 10] = [
    "id",
    "external_id",
    "name",
    "email",
    "phone",
    "company",
    "tags",
    "note",
    "referred_by",
    "created_at",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// CSV with text cells a spreadsheet would run as formulas quoted (see `guard_formula`).
    Csv,
    /// CSV exactly as stored, for tools that are not spreadsheets.
    CsvVerbatim,
    Json,
}

/// Writes records either as CSV rows under a header or as one JSON array of objects.
pub struct RecordSink<W: IoWrite> {
    format: ExportFormat,
    csv: Option<csv::Writer<W>>,
    json: Option<W>,
    header: Vec<String>,
    first: bool,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::invalid(format!("the export cannot be written: {}", e))
}

impl<W: IoWrite> RecordSink<W> {
    pub fn new(format: ExportFormat, out: W, header: Vec<String>) -> Result<Self> {
        let mut sink = RecordSink {
            format,
            csv: None,
            json: None,
            header,
            first: true,
        };
        match format {
            ExportFormat::Csv | ExportFormat::CsvVerbatim => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(&sink.header).map_err(io)?;
                sink.csv = Some(writer);
            }
            ExportFormat::Json => {
                let mut out = out;
                out.write_all(b"[").map_err(io)?;
                sink.json = Some(out);
            }
        }
        Ok(sink)
    }

    /// One record: values in header order; `None` is an empty cell / JSON null.
    pub fn record(&mut self, values: &[Option<String>], json_types: &[JsonType]) -> Result<()> {
        match self.format {
            ExportFormat::Csv => {
                let writer = self.csv.as_mut().expect("csv writer");
                let cells = values.iter().zip(json_types).map(|(v, kind)| {
                    let cell = v.as_deref().unwrap_or("");
                    match kind {
                        JsonType::Text | JsonType::List => guard_formula(cell),
                        JsonType::Integer | JsonType::Number => cell.into(),
                    }
                });
                writer
                    .write_record(cells.map(|c| c.into_owned()))
                    .map_err(io)?;
            }
            ExportFormat::CsvVerbatim => {
                let writer = self.csv.as_mut().expect("csv writer");
                writer
                    .write_record(values.iter().map(|v| v.as_deref().unwrap_or("")))
                    .map_err(io)?;
            }
            ExportFormat::Json => {
                let mut object = serde_json::Map::new();
                for ((key, value), kind) in self.header.iter().zip(values).zip(json_types) {
                    object.insert(key.clone(), kind.to_json(value.as_deref()));
                }
                let out = self.json.as_mut().expect("json writer");
                let sep: &[u8] = if self.first { b"\n" } else { b",\n" };
                out.write_all(sep).map_err(io)?;
                serde_json::to_writer(&mut *out, &object).map_err(io)?;
                self.first = false;
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        if let Some(mut writer) = self.csv.take() {
            writer.flush().map_err(io)?;
        }
        if let Some(mut out) = self.json.take() {
            out.write_all(b"\n]\n").map_err(io)?;
            out.flush().map_err(io)?;
        }
        Ok(())
    }
}

/// How a text cell is typed in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Text,
    Integer,
    Number,
    List,
}

impl JsonType {
    fn to_json(self, value: Option<&str>) -> serde_json::Value {
        use serde_json::Value;
        let Some(value) = value else {
            return if self == JsonType::List {
                Value::Array(Vec::new())
            } else {
                Value::Null
            };
        };
        match self {
            JsonType::Text => Value::String(value.to_string()),
            JsonType::Integer => value
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or(Value::String(value.into())),
            JsonType::Number => value
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            JsonType::List => Value::Array(
                value
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(|t| Value::String(t.into()))
                    .collect(),
            ),
        }
    }
}

/// How other rows refer to a contact: its external id, else `#id`.
pub fn contact_reference(contact: &Contact) -> String {
    contact
        .external_id
        .clone()
        .unwrap_or_else(|| format!("#{}", contact.id))
}

impl Store {
    pub fn export_contacts<W: IoWrite>(&self, format: ExportFormat, out: W) -> Result<()> {
        use JsonType::*;
        let header = CONTACT_COLUMNS;
        let types = [
            Integer, Text, Text, Text, Text, Text, List, Text, Text, Text,
        ];
        let mut sink = RecordSink::new(format, out, header.map(String::from).to_vec())?;
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.external_id, c.name, c.email, c.phone, c.company, c.tags, c.note, c.referred_by, c.created_at, c.archived,
                    r.external_id
             FROM contacts c LEFT JOIN contacts r ON r.id = c.referred_by ORDER BY c.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let c = contact_from_row(row)?;
            let referrer: Option<String> = row.get(11)?;
            let referred = c
                .referred_by
                .map(|id| referrer.unwrap_or_else(|| format!("#{}", id)));
            sink.record(
                &[
                    Some(c.id.to_string()),
                    c.external_id,
                    Some(c.name),
                    c.email,
                    c.phone,
                    c.company,
                    Some(c.tags.join(",")).filter(|t| !t.is_empty()),
                    c.note,
                    referred,
                    Some(dates::to_storage(c.created_at)),
                ],
                &types,
            )?;
        }
        sink.finish()
    }

    /// Interactions in id order; one column per feedback dimension in `dimensions`.
    pub fn export_interactions<W: IoWrite>(
        &self,
        format: ExportFormat,
        out: W,
        dimensions: &[String],
    ) -> Result<()> {
        use JsonType::*;
        let mut header: Vec<String> = [
            "id",
            "contact_id",
            "contact",
            "kind",
            "date",
            "summary",
            "amount",
            "item",
        ]
        .map(String::from)
        .to_vec();
        header.extend(dimensions.iter().cloned());
        let mut types = vec![Integer, Integer, Text, Text, Text, Text, Number, Text];
        types.extend(dimensions.iter().map(|_| Integer));
        let mut sink = RecordSink::new(format, out, header)?;
        let mut stmt = self.conn.prepare(
            "SELECT i.id, i.contact_id, coalesce(c.external_id, '#' || c.id), i.kind, i.occurred_at, i.summary, i.amount, i.item
             FROM interactions i JOIN contacts c ON c.id = i.contact_id ORDER BY i.id",
        )?;
        let mut ratings = self
            .conn
            .prepare("SELECT dimension, stars FROM ratings WHERE interaction_id = ?1")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let kind: String = row.get(3)?;
            let mut values = vec![
                Some(id.to_string()),
                Some(row.get::<_, i64>(1)?.to_string()),
                Some(row.get(2)?),
                Some(kind.clone()),
                Some(row.get(4)?),
                row.get(5)?,
                row.get::<_, Option<i64>>(6)?.map(money::minor_to_decimal),
                row.get(7)?,
            ];
            let mut stars: Vec<Option<String>> = vec![None; dimensions.len()];
            if kind == "feedback" {
                let mut found = ratings.query(params![id])?;
                while let Some(r) = found.next()? {
                    let dimension: String = r.get(0)?;
                    if let Some(i) = dimensions.iter().position(|d| *d == dimension) {
                        stars[i] = Some(r.get::<_, i64>(1)?.to_string());
                    }
                }
            }
            values.extend(stars);
            sink.record(&values, &types)?;
        }
        sink.finish()
    }
}
