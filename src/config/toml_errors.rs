//! Turning toml's parse errors into one sentence that names the key and the line.

/// toml's message names the key; keep its first line and the location.
pub(super) fn describe_toml_error(text: &str, err: toml::de::Error) -> String {
    let message = err.message().trim().to_string();
    let Some(span) = err.span() else {
        return message;
    };
    let start = span.start.min(text.len());
    let line_no = text[..start].matches('\n').count() + 1;
    // toml says "invalid type: string, expected u32" without the key: name it from the line.
    match key_at(text, start) {
        Some(key) => format!("key '{}': {} (line {})", key, message, line_no),
        None => format!("{} (line {})", message, line_no),
    }
}

/// The dotted key (`clv.horizon_years`) written on the line holding byte `offset`, under its table header.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let key = line.split_once('=')?.0.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('[') || key.starts_with('#') {
        return None;
    }
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    Some(match table {
        Some(table) if !table.is_empty() => format!("{}.{}", table, key),
        _ => key.to_string(),
    })
}
