//! Job files, mutated from the shipped ones and checked against the shipped forms: each is a job
//! whose schedule can be computed, or a list of problems placed in the file.

use chrono::{DateTime, Utc};
use peil::jobs::{self, Job, Schedule};
use proptest::prelude::*;

use super::*;

fn start() -> DateTime<Utc> {
    "2026-12-04T12:00:00Z".parse().expect("a time")
}

/// What the scheduler does with a loaded job: its next runs, and a round's sessions.
fn use_job(job: &Job) {
    if let Some(schedule) = &job.schedule {
        let runs: Vec<_> = schedule.runs_after(start()).take(3).collect();
        assert!(runs.windows(2).all(|w| w[0] < w[1]), "{runs:?}");
    }
    if let Some(rules) = &job.signup {
        let round = rules.round(start(), chrono_tz::Europe::Amsterdam);
        assert_eq!(round.sessions.len(), rules.sessions.len());
    }
}

fn check(file: &str, text: &str) {
    match quickly(file, || jobs::check_text(file, text, shipped_forms())) {
        Ok(job) => quickly("the job's schedule", || use_job(&job)),
        Err(diags) => assert_placed(file, text, &diags),
    }
}

/// A cron field: numbers, names, marks, and the odd thing that is not cron at all.
fn cron_field() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "*", "*/15", "0", "9", "1-5", "1,15", "L", "15W", "MON#1", "5L", "?", "JAN", "mon-fri", "+mon",
            "60", "24", "32", "13", "8", "*/0", "1-2-3", "5/2", "#", "-", ",", "", "L-3", "0-59/7", "31",
            "30", "29", "2", "SUN", "7", "W", "LW", "1#5",
        ])
        .prop_map(str::to_string),
        "[0-9*/,#LW?+-]{1,6}",
    ]
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn a_mutated_job_file_is_a_usable_job_or_problems_placed_in_the_file(
        file in prop::sample::select(shipped_files("jobs")),
        mutations in mutations(),
    ) {
        check(&file, &mutate(&shipped(&file), &mutations));
    }

    #[test]
    fn any_schedule_is_accepted_with_runs_or_refused_at_its_field(
        fields in prop::collection::vec(cron_field(), 0..8),
        timezone in prop::sample::select(vec!["Europe/Amsterdam", "UTC", "America/St_Johns", "Pacific/Chatham"]),
    ) {
        let text = format!(
            "form = \"wachttijden\"\nschedule = \"{}\"\ntimezone = \"{timezone}\"\n",
            fields.join(" ")
        );
        check("jobs/cron.toml", &text);
    }
}

#[test]
fn a_schedule_that_never_runs_is_refused_rather_than_searched_forever() {
    for pattern in ["0 9 30 2 *", "0 9 31 4,6,9,11 *", "0 0 0 31 2 *", "0 9 L 2 MON#5"] {
        let text = format!("form = \"wachttijden\"\nschedule = \"{pattern}\"\n");
        let outcome = quickly(pattern, || jobs::check_text("jobs/never.toml", &text, shipped_forms()));
        match outcome {
            Ok(job) => {
                let schedule: &Schedule = job.schedule.as_ref().expect("a schedule");
                assert!(quickly(pattern, || schedule.next_after(start())).is_some(), "{pattern}");
            }
            Err(diags) => assert_placed("jobs/never.toml", &text, &diags),
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// A file saved with Windows line ends has the same problems at the same places.
    #[test]
    fn a_job_file_with_crlf_line_ends_has_the_same_problems_at_the_same_places(
        file in prop::sample::select(shipped_files("jobs")),
        mutations in mutations(),
    ) {
        let text = mutate(&shipped(&file), &mutations).replace("\r\n", "\n");
        let lf = jobs::check_text(&file, &text, shipped_forms()).err().unwrap_or_default();
        if lf.iter().any(|d| d.message.starts_with("TOML syntax")) {
            return Ok(()); // where TOML itself stops reading may differ with \r
        }
        let crlf = jobs::check_text(&file, &text.replace('\n', "\r\n"), shipped_forms());
        let places = |diags: &[peil::forms::Diagnostic]| diags.iter().map(|d| (d.line, d.col)).collect::<Vec<_>>();
        prop_assert_eq!(places(&crlf.err().unwrap_or_default()), places(&lf));
    }
}
