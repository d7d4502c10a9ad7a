//! The `:` command line: split shell-style, parsed by the CLI's own parser, run with the
//! workspace's database and date, its output captured for the status line.

use std::path::Path;

use chrono::NaiveDate;
use clap::Parser;

use crate::cli::args::Command;
use crate::cli::Cli;

/// Splits a line like a POSIX shell does for words: whitespace separates, single quotes keep
/// everything literally, double quotes keep spaces (with `\"` and `\\` escapes), a backslash
/// outside quotes escapes the next character. An unclosed quote is an error.
pub fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("the command has an unclosed ' quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("the command has an unclosed \" quote".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("the command has an unclosed \" quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Parses a command line as `rapport WORDS…`, pinned to this workspace's database and date.
pub fn parse(
    line: &str,
    db: &Path,
    config: Option<&Path>,
    today: NaiveDate,
) -> Result<Cli, String> {
    let mut words = split(line)?;
    if words.first().map(String::as_str) == Some("rapport") {
        words.remove(0);
    }
    if words.is_empty() {
        return Err("type a command, e.g. log call ana \"renewal next month\"".into());
    }
    let mut cli = Cli::try_parse_from(std::iter::once("rapport".to_string()).chain(words))
        .map_err(|e| clap_message(&e))?;
    match &cli.command {
        None => return Err("type a command, e.g. log call ana \"renewal next month\"".into()),
        Some(Command::Demo(_)) => {
            return Err("demo makes its own database; run `rapport demo` from a shell".into())
        }
        Some(_) => {}
    }
    cli.db = Some(db.to_path_buf());
    cli.as_of = Some(today.to_string());
    if let Some(config) = config {
        cli.config = Some(config.to_path_buf());
    }
    Ok(cli)
}

/// clap's message without the usage block: its first line, minus the `error: ` prefix.
fn clap_message(err: &clap::Error) -> String {
    let text = err.to_string();
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("the command cannot be read");
    first.trim().trim_start_matches("error: ").to_string()
}

/// Runs a parsed command, returning what it printed, or its error as one sentence.
pub fn run(cli: Cli) -> Result<String, String> {
    let mut out = Vec::new();
    let result = crate::cli::run(cli, &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    match result {
        // `parse` refuses the two command lines that would ask for a workspace (none and demo).
        Ok(_) => Ok(text),
        Err(err) => Err(crate::cli::describe(&err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            split(r#"add "Bo Chen" --email bo@x.io"#).unwrap(),
            ["add", "Bo Chen", "--email", "bo@x.io"]
        );
        assert_eq!(
            split(r#"log note ana 'it''s fine' a\ b "say \"hi\"""#).unwrap(),
            ["log", "note", "ana", "its fine", "a b", "say \"hi\""]
        );
        assert_eq!(split("  log   call  ").unwrap(), ["log", "call"]);
        assert_eq!(split(r#"x """#).unwrap(), ["x", ""]);
        assert!(split("log 'open").is_err());
        assert!(split("log \"open").is_err());
    }

    #[test]
    fn pins_database_and_date_and_refuses_what_cannot_run_here() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let cli = parse(
            "log purchase ana 1200 --item Website",
            Path::new("/tmp/x.db"),
            None,
            today,
        )
        .unwrap();
        assert_eq!(cli.db.as_deref(), Some(Path::new("/tmp/x.db")));
        assert_eq!(cli.as_of.as_deref(), Some("2026-11-23"));
        assert!(parse("", Path::new("/tmp/x.db"), None, today).is_err());
        assert!(parse("frobnicate", Path::new("/tmp/x.db"), None, today)
            .unwrap_err()
            .contains("frobnicate"));
    }
}
