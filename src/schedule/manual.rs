//! Which occurrence a job started by hand counts as. A scheduled job started by hand takes the
//! place of one of its scheduled rounds, so the schedule finds that occurrence already open (the
//! unique `(job_id, occurrence, part)` index) and does not invite everyone a second time:
//! - the occurrence whose window is open now (it fell due and `open_for` has not passed), else
//! - the next occurrence of the schedule.
//!
//! A job without a schedule is one-off: each start is an occurrence of its own, at that second.
//! A pure function, so the CLI and the page can say what a start will do before it happens.

use chrono::{DateTime, Duration, Utc};

use crate::jobs::Job;

/// A bound on the runs looked at within one window (a schedule "every second" open for weeks).
const MAX_SCANNED: usize = 10_000;

/// What starting a job by hand at some moment does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualStart {
    /// The occurrence key the rounds are opened under.
    pub at: DateTime<Utc>,
    /// When its rounds close.
    pub closes_at: DateTime<Utc>,
    pub counts_as: CountsAs,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CountsAs {
    /// No schedule: an occurrence of its own.
    OneOff,
    /// The scheduled occurrence whose window is open now.
    Current { label: String },
    /// The next scheduled occurrence, opened early: the schedule will not open it again.
    Next { label: String },
}

impl ManualStart {
    /// One plain Dutch sentence for the CLI and the confirmation page.
    pub fn explain(&self) -> String {
        match &self.counts_as {
            CountsAs::OneOff => "Deze job heeft geen schema: de start opent een eigen ronde, die het \
                                 schema nooit vanzelf opent."
                .to_string(),
            CountsAs::Current { label } => format!(
                "Telt als de ronde van {label}, die volgens het schema nu loopt; is die al open, \
                 dan opent er niets nieuws."
            ),
            CountsAs::Next { label } => {
                format!("Telt als de ronde van {label}; het schema opent die niet nog eens.")
            }
        }
    }
}

/// What starting `job` by hand at `now` counts as.
pub fn manual_start(job: &Job, now: DateTime<Utc>) -> ManualStart {
    // Whole seconds: the occurrence key is stored as RFC 3339 text without fractions.
    let whole = now - Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()));
    let one_off = ManualStart { at: whole, closes_at: whole + job.open_for, counts_as: CountsAs::OneOff };
    let Some(schedule) = &job.schedule else { return one_off };
    // The latest occurrence not after now whose round would still be open.
    let current =
        schedule.runs_after(now - job.open_for).take_while(|at| *at <= now).take(MAX_SCANNED).last();
    if let Some(at) = current {
        let label = label(schedule, at);
        return ManualStart { at, closes_at: at + job.open_for, counts_as: CountsAs::Current { label } };
    }
    match schedule.next_after(now) {
        Some(at) => {
            let label = label(schedule, at);
            ManualStart { at, closes_at: whole + job.open_for, counts_as: CountsAs::Next { label } }
        }
        None => one_off,
    }
}

/// "januari 2027" for a schedule that runs at most monthly, else the day and time.
fn label(schedule: &crate::jobs::Schedule, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&schedule.timezone);
    let monthly = schedule.next_after(at).is_none_or(|next| next - at >= Duration::days(28));
    if monthly {
        crate::time::dutch_month(local.date_naive())
    } else {
        format!("{} {}", crate::time::dutch_long_date(local.date_naive()), local.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::{Audience, MailTexts, Schedule};
    use chrono::TimeZone;

    fn job(cron: Option<&str>, open_days: i64) -> Job {
        Job {
            id: "scholing".into(),
            form: "scholing".into(),
            schedule: cron.map(|c| Schedule { cron: c.into(), timezone: chrono_tz::Europe::Amsterdam }),
            audience: Audience::default(),
            open_for: Duration::days(open_days),
            reminders: vec![],
            anonymous: None,
            mail: MailTexts::default(),
            signup: None,
            open_link: false,
            retention: Default::default(),
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    #[test]
    fn a_yearly_job_started_in_december_counts_as_januarys_round() {
        let start = manual_start(&job(Some("0 9 10 1 *"), 28), utc(2026, 12, 6, 14));
        assert_eq!(start.at, utc(2027, 1, 10, 8));
        assert_eq!(start.closes_at, utc(2027, 1, 3, 14), "open for 4 weeks from the start");
        assert_eq!(
            start.explain(),
            "Telt als de ronde van januari 2027; het schema opent die niet nog eens."
        );
    }

    #[test]
    fn a_start_while_an_occurrence_is_open_counts_as_that_one() {
        let start = manual_start(&job(Some("0 9 1 * *"), 10), utc(2027, 2, 3, 12));
        assert_eq!(start.at, utc(2027, 2, 1, 8));
        assert_eq!(start.closes_at, utc(2027, 2, 11, 8));
        assert!(matches!(start.counts_as, CountsAs::Current { ref label } if label == "februari 2027"));
    }

    #[test]
    fn a_daily_job_names_the_day_and_time() {
        let mut daily = job(Some("0 9 * * *"), 0);
        daily.open_for = Duration::hours(20);
        let start = manual_start(&daily, utc(2027, 3, 1, 6));
        assert_eq!(start.counts_as, CountsAs::Next { label: "maandag 1 maart 2027 09:00".into() });
    }

    #[test]
    fn a_one_off_job_is_its_own_occurrence_at_the_second() {
        let now = utc(2027, 3, 1, 12) + Duration::milliseconds(250);
        let start = manual_start(&job(None, 14), now);
        assert_eq!((start.at, start.counts_as), (utc(2027, 3, 1, 12), CountsAs::OneOff));
    }
}
