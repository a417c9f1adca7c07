//! Durations in job files: a whole number and a unit, `"36h"`, `"14d"` or `"2w"`. Hours, days
//! and weeks are all a round needs; a day is 24 hours, also across a daylight-saving change.

use chrono::Duration;

/// Ten years: anything longer is a typo, and stays far from chrono's limits.
const LONGEST_HOURS: i64 = 10 * 366 * 24;

const HOW: &str =
    "write a whole number and h (hours), d (days) or w (weeks), e.g. \"14d\", \"36h\" or \"2w\"";

/// Reads a duration; the error is a message for the file's author.
pub fn parse(text: &str) -> Result<Duration, String> {
    let unit_at = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_at);
    let hours_per = match unit {
        "h" => 1,
        "d" => 24,
        "w" => 7 * 24,
        _ => return Err(format!("\"{text}\" is not a duration; {HOW}")),
    };
    if number.is_empty() {
        return Err(format!("\"{text}\" has no number before the unit; {HOW}"));
    }
    // Only digits are left, so a failure means too many of them.
    let n = number.parse::<i64>().unwrap_or(i64::MAX);
    let hours = n.saturating_mul(hours_per);
    if hours == 0 {
        return Err(format!("\"{text}\" is no time at all; give a duration of more than 0"));
    }
    if hours > LONGEST_HOURS {
        return Err(format!("\"{text}\" is more than ten years; is there a typo?"));
    }
    Ok(Duration::hours(hours))
}

/// "14d" or "36h": a duration as a job file writes it, for messages.
pub fn short(d: Duration) -> String {
    let hours = d.num_hours();
    if hours % 24 == 0 { format!("{}d", hours / 24) } else { format!("{hours}h") }
}

/// "14 dagen", "1 dag" or "36 uur", as the `peil schedule` listing shows durations.
pub fn dutch(d: Duration) -> String {
    let hours = d.num_hours();
    match (hours % 24, hours / 24) {
        (0, 1) => "1 dag".to_string(),
        (0, days) => format!("{days} dagen"),
        _ => format!("{hours} uur"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_days_and_weeks_are_read() {
        assert_eq!(parse("36h"), Ok(Duration::hours(36)));
        assert_eq!(parse("14d"), Ok(Duration::days(14)));
        assert_eq!(parse("2w"), Ok(Duration::days(14)));
    }

    #[test]
    fn other_spellings_are_refused_with_the_way_to_write_them() {
        for text in ["14", "d", "14 d", "14 dagen", "-3d", "1.5d", ""] {
            let e = parse(text).unwrap_err();
            assert!(e.contains("e.g. \"14d\""), "{text}: {e}");
        }
        assert!(parse("0d").unwrap_err().contains("more than 0"));
        assert!(parse("99999999999999999999w").unwrap_err().contains("ten years"));
    }

    #[test]
    fn durations_read_as_dutch() {
        assert_eq!(dutch(Duration::days(1)), "1 dag");
        assert_eq!(dutch(Duration::days(21)), "21 dagen");
        assert_eq!(dutch(Duration::hours(36)), "36 uur");
    }
}
