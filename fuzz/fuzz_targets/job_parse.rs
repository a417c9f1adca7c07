//! A job file, against the shipped forms: a job whose runs can be computed, or problems at
//! places in the file.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = "jobs/fuzz.toml";
    match peil::jobs::check_text(file, text, common::shipped_forms()) {
        Ok(job) => {
            let start = chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(20_000);
            if let Some(schedule) = &job.schedule {
                let _ = schedule.runs_after(start).take(3).count();
            }
            if let Some(rules) = &job.signup {
                let _ = rules.round(start, chrono_tz::Europe::Amsterdam);
            }
        }
        Err(diags) => common::assert_placed(file, text, &diags),
    }
});
