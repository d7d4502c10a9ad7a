//! Printing lists as an aligned table, CSV or JSON. Table text is made safe for the terminal.

use std::io::Write;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::args::ListFormat;
use crate::domain::text::{printable, printable_multiline};

/// One cell: what a person reads in a table, and the machine value for CSV/JSON.
pub struct Cell {
    pub shown: String,
    pub value: Value,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell {
            shown: text.clone(),
            value: Value::String(text),
        }
    }

    pub fn opt(text: Option<impl Into<String>>) -> Cell {
        match text {
            Some(t) => Cell::text(t),
            None => Cell {
                shown: String::new(),
                value: Value::Null,
            },
        }
    }

    pub fn int(n: i64) -> Cell {
        Cell {
            shown: n.to_string(),
            value: Value::from(n),
        }
    }

    /// A number shown one way (`1,200.50`, `62%`) and exported exactly.
    pub fn number(shown: impl Into<String>, value: Value) -> Cell {
        Cell {
            shown: shown.into(),
            value,
        }
    }
}

pub struct Listing {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl Listing {
    pub fn new(columns: Vec<&'static str>) -> Listing {
        Listing {
            columns,
            rows: Vec::new(),
        }
    }

    pub fn print(&self, format: ListFormat, out: &mut dyn Write) -> anyhow::Result<()> {
        match format {
            ListFormat::Table => self.print_table(out),
            ListFormat::Csv => self.print_csv(out),
            ListFormat::Json => self.print_json(out),
        }
    }

    fn print_table(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let shown: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| printable(&c.shown).into_owned())
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.width()).collect();
        for row in &shown {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width().min(40));
            }
        }
        let line = |cells: Vec<&str>| -> String {
            let mut text = String::new();
            for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
                let cell = truncate(cell, *width);
                text.push_str(&cell);
                if i + 1 < cells.len() {
                    text.push_str(&" ".repeat(width - cell.width() + 2));
                }
            }
            text.trim_end().to_string()
        };
        writeln!(
            out,
            "{}",
            line(
                self.columns
                    .iter()
                    .map(|c| c.to_uppercase())
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str)
                    .collect()
            )
        )?;
        for row in &shown {
            writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
        }
        Ok(())
    }

    fn print_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(&self.columns)?;
        for row in &self.rows {
            // A list is read on the terminal too: its text must not drive it (`export` is the raw copy).
            writer.write_record(row.iter().map(|c| printable_multiline(&plain(&c.value))))?;
        }
        writer.flush()?;
        Ok(())
    }

    /// The rows as JSON objects keyed by column, as `--format json` prints them.
    pub fn json_rows(&self) -> Vec<Value> {
        self.rows
            .iter()
            .map(|row| {
                Value::Object(
                    self.columns
                        .iter()
                        .zip(row)
                        .map(|(k, c)| (k.to_string(), c.value.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    fn print_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let records = self.json_rows();
        serde_json::to_writer_pretty(&mut *out, &records)?;
        writeln!(out)?;
        Ok(())
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Cuts text to `width` columns, ending in `…` when cut; wide characters count double.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// An error as one line: its causes joined by `: `, leaving out a cause already said by the ones
/// before it (I/O and SQLite errors repeat their source in their own message), made safe for the terminal.
pub fn error_sentence(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        // SQLite's innermost cause is "Error code 14: unable to open database file".
        let tail = part
            .split_once(": ")
            .map_or(part.as_str(), |(_, tail)| tail);
        if part.is_empty() || text.contains(&part) || text.contains(tail) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    printable(&text).into_owned()
}
