//! A retention term as a form, job or `peil.toml` writes it: a whole number and a unit,
//! `"7 days"`, `"24 months"`, `"6 years"`, optionally followed by `after closing`. Months and
//! years are calendar months and years (24 months after 31 January is 31 January), which is how
//! a privacy statement promises them; days are 24 hours.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

/// Fifty years: anything longer is a typo, and stays far from chrono's limits.
const LONGEST_MONTHS: u32 = 50 * 12;

const HOW: &str = "write a whole number and days, months or years, e.g. \"24 months\", \"6 years\" \
                   or \"3 months after closing\"";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Term {
    count: u32,
    unit: Unit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Unit {
    Days,
    Months,
    Years,
}

impl Term {
    pub const fn days(count: u32) -> Term {
        Term { count, unit: Unit::Days }
    }

    pub const fn months(count: u32) -> Term {
        Term { count, unit: Unit::Months }
    }

    pub const fn years(count: u32) -> Term {
        Term { count, unit: Unit::Years }
    }

    /// Reads a term; the error is a message for the file's author.
    pub fn parse(text: &str) -> Result<Term, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let (number, unit, rest) = match words.as_slice() {
            [number, unit, rest @ ..] => (*number, *unit, rest),
            _ => return Err(format!("\"{text}\" is not a term; {HOW}")),
        };
        if !rest.is_empty() && rest != ["after", "closing"] {
            let rest = rest.join(" ");
            return Err(format!(
                "\"{text}\": \"{rest}\" is not understood; terms count from the round's closing, \
                 which \"after closing\" may say, and nothing else"
            ));
        }
        let unit = match unit.trim_end_matches('s') {
            "day" => Unit::Days,
            "month" => Unit::Months,
            "year" => Unit::Years,
            _ => return Err(format!("\"{text}\": \"{unit}\" is not a unit; {HOW}")),
        };
        let Ok(count) = number.parse::<u32>() else {
            return Err(format!("\"{text}\": \"{number}\" is not a whole number; {HOW}"));
        };
        let term = Term { count, unit };
        if count == 0 {
            return Err(format!("\"{text}\" is no time at all; keeping nothing is not a term"));
        }
        if term.approx_days() > i64::from(LONGEST_MONTHS) * 31 {
            return Err(format!("\"{text}\" is more than fifty years; is there a typo?"));
        }
        Ok(term)
    }

    /// The moment `term` after `from`; the latest representable moment if that overflows.
    pub fn after(self, from: DateTime<Utc>) -> DateTime<Utc> {
        let later = match self.unit {
            Unit::Days => from.checked_add_signed(chrono::Duration::days(i64::from(self.count))),
            Unit::Months => from.checked_add_months(Months::new(self.count)),
            Unit::Years => from.checked_add_months(Months::new(self.count.saturating_mul(12))),
        };
        later.unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The moment `term` before `now`: whatever started at or before it is past its term.
    pub fn cutoff(self, now: DateTime<Utc>) -> DateTime<Utc> {
        let earlier = match self.unit {
            Unit::Days => now.checked_sub_signed(chrono::Duration::days(i64::from(self.count))),
            Unit::Months => now.checked_sub_months(Months::new(self.count)),
            Unit::Years => now.checked_sub_months(Months::new(self.count.saturating_mul(12))),
        };
        earlier.unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// Days, counting a month as 30.44 and a year as 365.25: for comparing terms, not dates.
    pub fn approx_days(self) -> i64 {
        let n = i64::from(self.count);
        match self.unit {
            Unit::Days => n,
            Unit::Months => n * 3044 / 100,
            Unit::Years => n * 36525 / 100,
        }
    }

    /// "24 maanden", "1 jaar", "7 dagen".
    pub fn dutch(self) -> String {
        let (one, many) = match self.unit {
            Unit::Days => ("dag", "dagen"),
            Unit::Months => ("maand", "maanden"),
            Unit::Years => ("jaar", "jaar"),
        };
        format!("{} {}", self.count, if self.count == 1 { one } else { many })
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        write!(f, "{} {unit}{}", self.count, if self.count == 1 { "" } else { "s" })
    }
}

impl TryFrom<String> for Term {
    type Error = String;

    fn try_from(text: String) -> Result<Term, String> {
        Term::parse(&text)
    }
}

impl From<Term> for String {
    fn from(term: Term) -> String {
        term.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn days_months_and_years_are_read_with_or_without_after_closing() {
        assert_eq!(Term::parse("24 months"), Ok(Term::months(24)));
        assert_eq!(Term::parse("1 year"), Ok(Term::years(1)));
        assert_eq!(Term::parse("6 years"), Ok(Term::years(6)));
        assert_eq!(Term::parse("7 days"), Ok(Term::days(7)));
        assert_eq!(Term::parse("3 months after closing"), Ok(Term::months(3)));
    }

    #[test]
    fn other_spellings_are_refused_with_the_way_to_write_them() {
        for text in ["24", "months", "24months", "24 weeks", "-3 months", "1.5 years", ""] {
            let e = Term::parse(text).unwrap_err();
            assert!(e.contains("e.g. \"24 months\"") || e.contains("not a whole number"), "{text}: {e}");
        }
        assert!(Term::parse("3 months after sending").unwrap_err().contains("after closing"));
        assert!(Term::parse("0 days").unwrap_err().contains("no time at all"));
        assert!(Term::parse("99 years").unwrap_err().contains("fifty years"));
    }

    #[test]
    fn months_are_calendar_months() {
        let closed = Utc.with_ymd_and_hms(2027, 1, 31, 12, 0, 0).unwrap();
        assert_eq!(Term::months(1).after(closed), Utc.with_ymd_and_hms(2027, 2, 28, 12, 0, 0).unwrap());
        assert_eq!(Term::years(2).after(closed), Utc.with_ymd_and_hms(2029, 1, 31, 12, 0, 0).unwrap());
        let now = Utc.with_ymd_and_hms(2029, 1, 31, 12, 0, 0).unwrap();
        assert_eq!(Term::months(24).cutoff(now), closed);
    }

    #[test]
    fn terms_read_as_dutch_and_are_written_back_as_read() {
        assert_eq!(Term::years(1).dutch(), "1 jaar");
        assert_eq!(Term::months(24).dutch(), "24 maanden");
        assert_eq!(Term::days(1).dutch(), "1 dag");
        assert_eq!(Term::months(3).to_string(), "3 months");
        assert!(Term::years(5).approx_days() > Term::months(59).approx_days());
    }
}
