//! A date question's answers as a distribution: a count per ISO week when the answers fall
//! within ten weeks, per month within three years, else per year; every period between the
//! first and the last answer is listed, so a quiet week reads as 0 rather than disappearing.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::results::{Count, Dates};

/// The most weeks shown week by week; a longer range is shown per month.
const MAX_WEEKS: i64 = 10;
/// The most months shown month by month; a longer range (birth dates, say) is shown per year.
const MAX_MONTHS: i32 = 36;
/// The months as a Dutch calendar abbreviates them ("mrt", not "maa"); "juni" and "juli" whole,
/// as they would be mistaken for each other shortened.
const SHORT_MONTHS: [&str; 12] =
    ["jan", "feb", "mrt", "apr", "mei", "juni", "juli", "aug", "sep", "okt", "nov", "dec"];

pub(super) fn dates(mut days: Vec<NaiveDate>) -> Dates {
    days.sort_unstable();
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Dates { answered: 0, first: None, last: None, periods: Vec::new() };
    };
    let period = Period::fitting(first, last);
    let mut periods: Vec<Count> = Vec::new();
    let mut at = period.start(first);
    while at <= last {
        periods.push(Count { value: period.value(at), label: period.label(at), count: 0 });
        at = period.next(at);
    }
    // The days are sorted, so each falls in the current period or a later one.
    let mut index = 0;
    let mut start = period.start(first);
    for day in &days {
        while period.next(start) <= *day {
            start = period.next(start);
            index += 1;
        }
        periods[index].count += 1;
    }
    Dates { answered: days.len() as u64, first: Some(first), last: Some(last), periods }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Period {
    Week,
    Month,
    Year,
}

impl Period {
    fn fitting(first: NaiveDate, last: NaiveDate) -> Period {
        let weeks = (monday(last) - monday(first)).num_weeks();
        let months = (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32;
        if weeks < MAX_WEEKS {
            Period::Week
        } else if months < MAX_MONTHS {
            Period::Month
        } else {
            Period::Year
        }
    }

    /// The first day of the period holding `day`.
    fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Week => monday(day),
            Period::Month => day.with_day(1).unwrap_or(day),
            Period::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
        }
    }

    /// The first day of the next period, from a period's first day.
    fn next(self, start: NaiveDate) -> NaiveDate {
        let later = match self {
            Period::Week => start.checked_add_days(Days::new(7)),
            Period::Month => start.checked_add_months(Months::new(1)),
            Period::Year => start.checked_add_months(Months::new(12)),
        };
        later.unwrap_or(NaiveDate::MAX)
    }

    /// "2027-W14", "2027-04", "2027".
    fn value(self, start: NaiveDate) -> String {
        match self {
            Period::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Year => start.year().to_string(),
        }
    }

    /// "week 14 (31 mrt)" (the ISO week and its Monday), "april 2027", "2027".
    fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Week => {
                let short = SHORT_MONTHS[start.month0() as usize];
                format!("week {} ({} {short})", start.iso_week().week(), start.day())
            }
            Period::Month => crate::time::dutch_month(start),
            Period::Year => start.year().to_string(),
        }
    }
}

fn monday(day: NaiveDate) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday()))).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn shown(dates: &Dates) -> Vec<(&str, &str, u64)> {
        dates.periods.iter().map(|p| (p.value.as_str(), p.label.as_str(), p.count)).collect()
    }

    #[test]
    fn dates_within_ten_weeks_are_counted_per_iso_week_with_the_empty_weeks_between() {
        let got = dates(vec![day(2027, 4, 14), day(2027, 3, 31), day(2027, 4, 4), day(2027, 4, 18)]);
        assert_eq!((got.first, got.last, got.answered), (Some(day(2027, 3, 31)), Some(day(2027, 4, 18)), 4));
        assert_eq!(
            shown(&got),
            [
                ("2027-W13", "week 13 (29 mrt)", 2),
                ("2027-W14", "week 14 (5 apr)", 0),
                ("2027-W15", "week 15 (12 apr)", 2),
            ]
        );
    }

    #[test]
    fn a_longer_range_is_counted_per_month_and_weeks_cross_the_year_as_iso_weeks() {
        let got = dates(vec![day(2027, 3, 3), day(2027, 6, 30), day(2027, 4, 28), day(2027, 4, 1)]);
        let months: Vec<_> = shown(&got).into_iter().map(|(v, l, n)| (v, l.to_string(), n)).collect();
        assert_eq!(
            months,
            [
                ("2027-03", "maart 2027".to_string(), 1),
                ("2027-04", "april 2027".to_string(), 2),
                ("2027-05", "mei 2027".to_string(), 0),
                ("2027-06", "juni 2027".to_string(), 1),
            ]
        );
        let got = dates(vec![day(2026, 12, 29), day(2027, 1, 4)]);
        assert_eq!(shown(&got), [("2026-W53", "week 53 (28 dec)", 1), ("2027-W01", "week 1 (4 jan)", 1)]);
    }

    #[test]
    fn ten_weeks_are_weeks_eleven_are_months_and_decades_are_years() {
        let ten = dates(vec![day(2027, 1, 4), day(2027, 3, 14)]);
        assert_eq!(ten.periods.len(), 10);
        let eleven = dates(vec![day(2027, 1, 4), day(2027, 3, 15)]);
        assert_eq!(
            shown(&eleven).iter().map(|p| p.1).collect::<Vec<_>>(),
            ["januari 2027", "februari 2027", "maart 2027"]
        );
        let births = dates(vec![day(1961, 5, 2), day(1990, 1, 1)]);
        assert_eq!((births.periods.len(), births.periods[0].label.as_str()), (30, "1961"));
        assert_eq!(dates(Vec::new()), Dates { answered: 0, first: None, last: None, periods: Vec::new() });
    }
}
