//! Numbers as a Dutch reader expects them: a decimal comma, a dot between thousands,
//! percentages without decimals.

/// "3,4", "12", "12.345", "-0,5": at most two decimals, trailing zeros dropped.
pub(super) fn number(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let sign = if rounded < 0.0 { "-" } else { "" };
    let int = group_thousands(int);
    if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int},{frac}") }
}

/// "40%" for a share of 0.4.
pub(super) fn percent(share: f64) -> String {
    format!("{}%", number((share * 100.0).round()))
}

/// "12 (40%)" for 12 of 30; just "12" when there is nothing to take a share of.
pub(super) fn count_share(count: u64, base: u64) -> String {
    let count_text = number(count as f64);
    if base == 0 { count_text } else { format!("{count_text} ({})", percent(count as f64 / base as f64)) }
}

// Four-digit numbers stay ungrouped ("2027", "1500"), as in Dutch running text.
fn group_thousands(digits: &str) -> String {
    if digits.len() <= 4 {
        return digits.to_owned();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_a_decimal_comma_and_group_thousands() {
        assert_eq!(number(3.4), "3,4");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(2.25), "2,25");
        assert_eq!(number(-0.5), "-0,5");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(2027.0), "2027");
        assert_eq!(number(12345.0), "12.345");
        assert_eq!(number(1234567.5), "1.234.567,5");
    }

    #[test]
    fn percentages_have_no_decimals_and_a_zero_base_has_none() {
        assert_eq!(percent(0.4), "40%");
        assert_eq!(percent(0.666), "67%");
        assert_eq!(count_share(12, 30), "12 (40%)");
        assert_eq!(count_share(12, 0), "12");
    }
}
