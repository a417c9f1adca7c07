//! Time as people in the region read it: stored in UTC, shown and entered in Europe/Amsterdam.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

const MONTHS: [&str; 12] = [
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

/// Today's date in Amsterdam.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&Amsterdam).date_naive()
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
}
