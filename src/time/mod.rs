//! Time as people in the region read it: stored in UTC, shown and entered in Europe/Amsterdam.
//! `clock` is where "now" comes from; `span` reads the "13:30-15:30" of a session.

pub mod clock;
mod span;

pub use span::{SpanError, TimeSpan};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

/// The Dutch month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// The first moment after `day` in Amsterdam: a round that "closes on 7 december" takes answers
/// all through that day.
pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Midnight exists on every Amsterdam day (DST changes happen at 02:00 and 03:00).
    Amsterdam
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&midnight), |t| t.with_timezone(&Utc))
}

/// "7 december 2026 om 23.59 uur", in Amsterdam time.
pub fn dutch(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Amsterdam);
    let (local, time) = if local.format("%H:%M").to_string() == "00:00" {
        // Midnight reads better as the end of the previous day.
        (local - chrono::Duration::minutes(1), "23.59".to_string())
    } else {
        (local, local.format("%H.%M").to_string())
    };
    format!("{} om {time} uur", dutch_date(local.date_naive()))
}

/// "7 december 2026".
pub fn dutch_date(day: NaiveDate) -> String {
    format!("{} {} {}", day.day(), MONTHS[day.month0() as usize], day.year())
}

/// "januari 2027".
pub fn dutch_month(day: NaiveDate) -> String {
    format!("{} {}", MONTHS[day.month0() as usize], day.year())
}

/// "apr 2027": a month on a chart axis ("mei" and "juni" are short already).
pub fn dutch_short_month(day: NaiveDate) -> String {
    let name: String = MONTHS[day.month0() as usize].chars().take(4).collect();
    let name = if name == "juni" || name == "juli" { name } else { name.chars().take(3).collect() };
    format!("{name} {}", day.year())
}

const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

/// "maandag 1 februari 2027".
pub fn dutch_long_date(day: NaiveDate) -> String {
    format!("{} {}", DAYS[day.weekday().num_days_from_monday() as usize], dutch_date(day))
}

/// A moment entered as Amsterdam wall-clock time. A time the clock skips when summer time
/// starts (02:30 on the last Sunday of March) is read an hour later, as a clock would show it.
pub fn from_amsterdam(local: NaiveDateTime) -> DateTime<Utc> {
    from_local(Amsterdam, local)
}

/// A wall-clock time in `tz`, read as `from_amsterdam` reads Amsterdam's.
pub fn from_local(tz: chrono_tz::Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let hour_later = local + chrono::Duration::hours(1);
    let moment = tz.from_local_datetime(&local).earliest();
    let moment = moment.or_else(|| tz.from_local_datetime(&hour_later).earliest());
    moment.map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// The date in Amsterdam at `at`.
pub fn amsterdam_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Amsterdam).date_naive()
}

/// "dinsdag 9 maart 2027, 13.30–15.30 uur": a session on one day, in Amsterdam time.
pub fn dutch_span(starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let (from, to) = (starts.with_timezone(&Amsterdam), ends.with_timezone(&Amsterdam));
    let day = dutch_long_date(from.date_naive());
    if from.date_naive() == to.date_naive() {
        format!("{day}, {}\u{2013}{} uur", from.format("%H.%M"), to.format("%H.%M"))
    } else {
        format!(
            "{day} {} uur tot {} {} uur",
            from.format("%H.%M"),
            dutch_long_date(to.date_naive()),
            to.format("%H.%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_closing_on_a_summer_day_ends_at_local_midnight() {
        let day = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        assert_eq!(end_of_day(day).to_rfc3339(), "2027-06-30T22:00:00+00:00");
        assert_eq!(dutch(end_of_day(day)), "30 juni 2027 om 23.59 uur");
    }

    #[test]
    fn winter_times_use_the_winter_offset() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert_eq!(end_of_day(day).to_rfc3339(), "2026-12-07T23:00:00+00:00");
    }

    #[test]
    fn a_long_date_starts_with_the_day_of_the_week() {
        let day = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        assert_eq!(dutch_long_date(day), "maandag 1 februari 2027");
    }

    #[test]
    fn amsterdam_wall_clock_times_become_utc_also_in_the_skipped_hour() {
        let at = |s: &str| from_amsterdam(NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap());
        assert_eq!(at("2027-01-15T12:00").to_rfc3339(), "2027-01-15T11:00:00+00:00");
        assert_eq!(at("2027-07-15T12:00").to_rfc3339(), "2027-07-15T10:00:00+00:00");
        // 02:30 does not exist on 28 March 2027; it is read as 03:30 summer time.
        assert_eq!(at("2027-03-28T02:30").to_rfc3339(), "2027-03-28T01:30:00+00:00");
    }
}
