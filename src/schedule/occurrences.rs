//! Which occurrences of a schedule are due: a pure function, so the catch-up rule is tested
//! without a database.

use chrono::{DateTime, Duration, Utc};

use crate::jobs::Schedule;

/// More occurrences than any sensible schedule has within one open window; a guard against a
/// schedule like "every minute" with a window of weeks.
const MAX_DUE: usize = 100;

/// The occurrences after `since` and not after `now` whose round would still be open at `now`
/// (occurrence + `open_for` > now), oldest first. A window that has passed is not opened late.
pub fn due_occurrences(
    schedule: &Schedule,
    open_for: Duration,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut from = since.max(now - open_for);
    let mut due = Vec::new();
    while let Some(at) = schedule.next_after(from) {
        if at > now || due.len() == MAX_DUE {
            break;
        }
        if at + open_for > now {
            due.push(at);
        }
        from = at;
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn monthly() -> Schedule {
        Schedule { cron: "0 9 1 * *".into(), timezone: chrono_tz::Europe::Amsterdam }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn nothing_is_due_before_the_first_occurrence() {
        let due = due_occurrences(&monthly(), Duration::days(10), utc(2027, 1, 15, 0), utc(2027, 1, 31, 23));
        assert!(due.is_empty());
    }

    #[test]
    fn an_occurrence_missed_while_down_is_due_while_its_window_is_open() {
        // 1 February 09:00 in Amsterdam is 08:00 UTC; the service comes back on the 5th.
        let due = due_occurrences(&monthly(), Duration::days(10), utc(2027, 1, 15, 0), utc(2027, 2, 5, 12));
        assert_eq!(due, vec![utc(2027, 2, 1, 8)]);
    }

    #[test]
    fn an_occurrence_whose_window_has_passed_is_not_opened_late() {
        let due = due_occurrences(&monthly(), Duration::days(10), utc(2027, 1, 15, 0), utc(2027, 2, 20, 12));
        assert!(due.is_empty());
    }

    #[test]
    fn occurrences_before_the_job_was_known_are_not_caught_up() {
        let due = due_occurrences(&monthly(), Duration::days(10), utc(2027, 2, 3, 0), utc(2027, 2, 5, 12));
        assert!(due.is_empty());
    }
}
