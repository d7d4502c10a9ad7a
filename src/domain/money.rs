//! Money is kept in integer minor units (cents); floats never hold an amount.

/// Parses a user-typed amount such as `1200`, `1200.50` or `1,200.50` into minor units.
/// Zero is allowed (pro-bono work); negative, non-numeric or over-precise amounts are refused.
pub fn parse_amount(input: &str) -> Result<i64, String> {
    let fail = || {
        format!(
            "amount '{}' is not a valid amount (use e.g. 1200, 1200.50 or 1,200.50)",
            input
        )
    };
    let text = input.trim();
    if text.starts_with('-') {
        return Err(format!(
            "amount '{}' is negative; amounts must be zero or more",
            input
        ));
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return Err(fail());
    }
    if !valid_grouping(whole) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return Err(fail());
    }
    if text.contains('.') && frac.is_empty() {
        return Err(fail());
    }
    let digits: String = whole.chars().filter(|c| *c != ',').collect();
    let too_large = || format!("amount '{}' is too large", input);
    let units: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| too_large())?
    };
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| fail())? * 10,
        _ => frac.parse().map_err(|_| fail())?,
    };
    units
        .checked_mul(100)
        .and_then(|v| v.checked_add(cents))
        .filter(|v| *v <= MAX_AMOUNT)
        .ok_or_else(too_large)
}

/// The largest amount accepted: a trillion in major units, far beyond any one purchase.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000 * 100;

/// Digits with optional thousands commas in groups of three (`1,200`, `12000`).
fn valid_grouping(whole: &str) -> bool {
    if !whole.contains(',') {
        return whole.chars().all(|c| c.is_ascii_digit());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first_ok = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[0].chars().all(|c| c.is_ascii_digit());
    first_ok
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// Formats minor units as `1,200.50` (cents shown only when present, unless `always_cents`).
pub fn format_amount(minor: i64, always_cents: bool) -> String {
    let negative = minor < 0;
    let abs = minor.unsigned_abs();
    let (units, cents) = (abs / 100, abs % 100);
    let mut out = group_thousands(units);
    if always_cents || cents != 0 {
        out.push_str(&format!(".{:02}", cents));
    }
    if negative {
        out.insert(0, '-');
    }
    out
}

/// Formats a (possibly fractional) major-unit value such as a CLV, rounded to whole units.
pub fn format_major(value: f64) -> String {
    if !value.is_finite() {
        return "-".into();
    }
    let rounded = value.round();
    let text = group_thousands(rounded.abs() as u64);
    if rounded < 0.0 {
        format!("-{}", text)
    } else {
        text
    }
}

/// Exact decimal text of minor units for machine output (`1200.50`).
pub fn minor_to_decimal(minor: i64) -> String {
    format!(
        "{}{}.{:02}",
        if minor < 0 { "-" } else { "" },
        minor.unsigned_abs() / 100,
        minor.unsigned_abs() % 100
    )
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(parse_amount("1200"), Ok(120_000));
        assert_eq!(parse_amount("1200.50"), Ok(120_050));
        assert_eq!(parse_amount("1,200.50"), Ok(120_050));
        assert_eq!(parse_amount("0"), Ok(0));
        assert_eq!(parse_amount("0.5"), Ok(50));
        assert_eq!(parse_amount(".75"), Ok(75));
        assert_eq!(parse_amount("1,234,567"), Ok(123_456_700));
    }

    #[test]
    fn refuses_bad_amounts() {
        for bad in [
            "-5", "abc", "", "1.234", "12,00", "1..2", "1,2345", "1.", "1e3", "NaN", ",100",
        ] {
            assert!(parse_amount(bad).is_err(), "{bad} should be refused");
        }
        assert!(parse_amount("-5").unwrap_err().contains("negative"));
        assert!(parse_amount("99999999999999999999")
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn formats() {
        assert_eq!(format_amount(120_050, false), "1,200.50");
        assert_eq!(format_amount(120_000, false), "1,200");
        assert_eq!(format_amount(5, true), "0.05");
        assert_eq!(format_major(2486.85), "2,487");
        assert_eq!(minor_to_decimal(120_050), "1200.50");
    }
}
